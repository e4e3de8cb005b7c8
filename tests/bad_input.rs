//! Every malformed input: a located message, exit 1, no panic, and the
//! previous output left byte-identical.

mod common;
use common::*;

/// Builds the example once, breaks it with `mutate`, builds again and checks
/// the failure is reported at `location` with `message` and nothing changed.
fn rejects(mutate: impl FnOnce(&Project), location: &str, message: &str) {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let before = p.snapshot("output");
    assert!(!before.is_empty());
    mutate(&p);
    let run = p.run(&["build", "--no-pdf"]);
    assert_eq!(run.code, 1, "exit code\nstderr:\n{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("{location}: error: ")),
        "expected `{location}: error:` in:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(message),
        "expected {message:?} in:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(
        p.snapshot("output"),
        before,
        "output changed after a failed build"
    );
    // `check` agrees, with the same location, and exits 1 too.
    let check = p.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check.stderr.contains(&format!("{location}: error: ")),
        "{}",
        check.stderr
    );
    // build, check and the preview's overlay report the very same list.
    let all = diagnostics_agree(&p, &["--no-pdf"]);
    assert!(
        all.iter()
            .any(|d| d.starts_with(&format!("{location}: error: "))),
        "{all:#?}"
    );
    schema_agrees(&p);
}

/// The cases whose rule no JSON Schema of one file can express, and why.
const NOT_IN_A_SCHEMA: &[(&str, &str)] = &[
    ("more_shops_reopened_than_exist", "compares two values"),
    ("a_range_whose_bounds_are_reversed", "compares two values"),
    ("a_range_with_equal_bounds", "compares two values"),
    ("a_range_whose_bounds_read_the_same", "compares two values"),
    (
        "a_range_that_rises_and_falls",
        "relates the two bounds (the validator words it better)",
    ),
    ("a_range_marked_approx", "relates two keys' values"),
    (
        "a_factor_that_would_read_as_no_change",
        "a figure as it reads once rounded (the schema keeps the floors)",
    ),
    (
        "a_change_that_would_read_as_no_change",
        "a figure as it reads once rounded (the schema keeps the floors)",
    ),
    (
        "a_fall_that_would_read_as_total",
        "a figure as it reads once rounded (the schema keeps the floors)",
    ),
    ("more_staff_remote_than_counted", "compares two values"),
    (
        "telework_percent_that_disagrees_with_the_counts",
        "computes from two values",
    ),
    ("period_starts_after_it_ends", "compares two values"),
    ("correction_dated_before_its_update", "compares two dates"),
    (
        "date_differs_from_file_name",
        "compares a value with the file name",
    ),
    (
        "duplicate_multiplier_label",
        "unique by one property of the items",
    ),
    ("invalid_region_slug", "a folder name"),
    ("missing_site_yaml", "a missing file"),
    ("region_without_region_yaml", "a missing file"),
    (
        "duplicate_key",
        "JSON has no duplicate keys: the tree keeps one",
    ),
    (
        "translation_of_a_language_the_site_does_not_publish",
        "site.yaml decides",
    ),
    ("narrative_in_an_unknown_language", "a Markdown file's name"),
    (
        "narrative_in_a_language_the_site_does_not_publish",
        "a Markdown file",
    ),
    ("narrative_given_twice", "a Markdown file beside the update"),
    (
        "narrative_twice_in_the_default_language",
        "two Markdown files beside the update",
    ),
    ("orphan_narrative", "a Markdown file without its update"),
    ("direction_control_in_a_narrative_file", "a Markdown file"),
];

/// Every case that a schema can express is refused by the JSON Schemas of
/// `relance schema` too (read with the `jsonschema` crate); the others are
/// listed above. A file that is not YAML at all (syntax, aliases, not
/// UTF-8) counts as refused: an editor flags it before any schema.
fn schema_agrees(p: &Project) {
    let thread = std::thread::current();
    let Some(test) = thread.name().and_then(|n| n.rsplit("::").next()) else {
        return;
    };
    if test == "main" {
        return; // not run on a test's own thread: the case is unknown
    }
    let validators = common::schema::schemas(p);
    let errors = common::schema::schema_errors(&validators, &p.path("content"));
    let expressible = !NOT_IN_A_SCHEMA.iter().any(|(t, _)| *t == test);
    assert_eq!(
        !errors.is_empty(),
        expressible,
        "{test}: the schema {} it: {errors:#?}",
        if errors.is_empty() {
            "accepts"
        } else {
            "refuses"
        }
    );
}

#[test]
fn typo_in_a_key() {
    rejects(
        |p| p.edit(UPDATE, "telework:", "telwork:"),
        &format!("{UPDATE}:16:1"),
        "unknown key `telwork`; did you mean `telework`?",
    );
}

#[test]
fn percent_out_of_range() {
    rejects(
        |p| p.edit(UPDATE, "percent: 90", "percent: 190"),
        &format!("{UPDATE}:17:12"),
        "telework.percent must be between 0 and 100, found 190",
    );
}

#[test]
fn more_shops_reopened_than_exist() {
    rejects(
        |p| p.edit(UPDATE, "reopened: 20", "reopened: 25"),
        &format!("{UPDATE}:61:13"),
        "shops.reopened (25) is more than shops.total (20)",
    );
}

#[test]
fn date_differs_from_file_name() {
    rejects(
        |p| p.edit(UPDATE, "date: 2020-05-14", "date: 2020-05-15"),
        &format!("{UPDATE}:4:7"),
        "does not match the file name",
    );
}

#[test]
fn impossible_date() {
    rejects(
        |p| p.edit(UPDATE, "reopened_on: 2020-05-11", "reopened_on: 2020-02-30"),
        &format!("{UPDATE}:62:16"),
        "is not a real date",
    );
}

#[test]
fn impossible_date_in_file_name() {
    rejects(
        |p| {
            p.write(
                "content/regions/languedoc-roussillon/2021-02-29.yaml",
                "title: x\ndate: 2021-02-29\n",
            )
        },
        "content/regions/languedoc-roussillon/2021-02-29.yaml:1:1",
        "is not a real date",
    );
}

#[test]
fn period_starts_after_it_ends() {
    rejects(
        |p| p.edit(UPDATE, "start: 2020-03-17", "start: 2020-05-12"),
        &format!("{UPDATE}:8:8"),
        "period.end (2020-05-11) is before period.start (2020-05-12)",
    );
}

#[test]
fn factor_not_positive() {
    rejects(
        |p| p.edit(UPDATE, "factor: 3", "factor: 0"),
        &format!("{UPDATE}:42:15"),
        "factor must be greater than 0, found 0",
    );
}

#[test]
fn negative_factor() {
    rejects(
        |p| p.edit(UPDATE, "factor: 3", "factor: -2"),
        &format!("{UPDATE}:42:15"),
        "factor must be greater than 0, found -2",
    );
}

#[test]
fn factor_and_change_percent_together() {
    rejects(
        |p| p.edit(UPDATE, "factor: 3", "factor: 3\n      change_percent: 35"),
        &format!("{UPDATE}:43:23"),
        "traffic.multipliers gives both `factor` and `change_percent`",
    );
}

#[test]
fn traffic_item_without_factor_or_change() {
    rejects(
        |p| p.edit(UPDATE, "\n      factor: 3", ""),
        &format!("{UPDATE}:41:7"),
        "traffic.multipliers needs `factor` or `change_percent`",
    );
}

#[test]
fn change_percent_of_minus_100_or_less() {
    rejects(
        |p| p.edit(UPDATE, "factor: 3", "change_percent: -100"),
        &format!("{UPDATE}:42:23"),
        "change_percent must be greater than -100, found -100",
    );
}

#[test]
fn a_factor_that_would_read_as_no_change() {
    rejects_with_help(
        |p| p.edit(UPDATE, "factor: 3", "factor: 1.004"),
        &format!("{UPDATE}:42:15"),
        "traffic.multipliers.factor 1.004 would be published as ×1, no change",
        "a change this small reads better in percent: write `change_percent: 0.4` instead of the factor",
    );
    // A range keeps both its bounds in the suggestion.
    let p = Project::example();
    p.edit(UPDATE, "factor: 3", "factor: {min: 1.001, max: 1.5}");
    let run = p.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("write `change_percent: {min: 0.1, max: 50}` instead of the factor"),
        "{}",
        run.stderr
    );
}

/// Figures at the edge of what two decimals show are published as
/// written: ×0.995 is down 0.5 %, ×1.01 is ×1.01, −99.99 % and +0.005 %
/// (which rounds to 0.01) read as they say.
#[test]
fn traffic_figures_at_the_edge_of_two_decimals_are_accepted() {
    for (from, to) in [
        ("factor: 3", "factor: 0.995"),
        ("factor: 3", "factor: 1.01"),
        ("factor: 3", "change_percent: -99.99"),
        ("factor: 3", "change_percent: 0.005"),
    ] {
        let p = Project::example();
        p.edit(UPDATE, from, to);
        let run = p.run(&["check"]);
        assert_eq!(run.code, 0, "{to}: {}", run.stderr);
        assert!(!run.stderr.contains("would be published as"), "{to}");
    }
}

#[test]
fn a_change_that_would_read_as_no_change() {
    rejects(
        |p| p.edit(UPDATE, "factor: 3", "change_percent: 0.001"),
        &format!("{UPDATE}:42:23"),
        "traffic.multipliers.change_percent 0.001 would be published as 0 %, no change",
    );
}

#[test]
fn a_fall_that_would_read_as_total() {
    rejects(
        |p| p.edit(UPDATE, "factor: 3", "factor: {min: 0.00001, max: 0.5}"),
        &format!("{UPDATE}:42:15"),
        "would be published as down 100 %",
    );
}

#[test]
fn duplicate_multiplier_label() {
    rejects(
        |p| p.edit(UPDATE, "label: WhatsApp", "label: Télétravail"),
        &format!("{UPDATE}:47:14"),
        "`Télétravail` is listed twice in traffic.multipliers labels",
    );
}

#[test]
fn duplicate_priority_service() {
    rejects(
        |p| p.edit(UPDATE, "  - Entreprises", "  - Hôpitaux"),
        &format!("{UPDATE}:35:5"),
        "`Hôpitaux` is listed twice in priority_services",
    );
}

#[test]
fn text_where_a_number_belongs() {
    rejects(
        |p| p.edit(UPDATE, "customers_percent: 57", "customers_percent: 57 %"),
        &format!("{UPDATE}:56:22"),
        "`online.customers_percent` must be a number, found `57 %`",
    );
}

#[test]
fn yaml_syntax_error() {
    rejects(
        |p| p.edit(UPDATE, "  except:\n", "  except: [\n"),
        &format!("{UPDATE}:19:5"),
        "YAML syntax error",
    );
}

#[test]
fn non_http_url() {
    rejects(
        |p| {
            p.edit(
                UPDATE,
                "  kind: Interview radio\n",
                "  kind: Interview radio\n  url: javascript:alert(1)\n",
            )
        },
        &format!("{UPDATE}:12:8"),
        "`source.url` must be an http or https address",
    );
}

#[test]
fn base_url_with_a_query_or_fragment() {
    rejects(
        |p| {
            p.edit(
                "content/site.yaml",
                "base_url: https://example.org/relance/",
                "base_url: https://example.org/relance/?x=1#top",
            )
        },
        "content/site.yaml:5:11",
        "`base_url` must be the site's folder address, without `?` or `#`",
    );
}

#[test]
fn missing_title() {
    rejects(
        |p| {
            p.edit(
                UPDATE,
                "title: Les réseaux ont tenu malgré un trafic exceptionnel\n",
                "",
            )
        },
        &format!("{UPDATE}:3:1"),
        "missing required key `title`",
    );
}

#[test]
fn empty_title() {
    rejects(
        |p| {
            p.edit(
                UPDATE,
                "title: Les réseaux ont tenu malgré un trafic exceptionnel",
                "title: \"  \"",
            )
        },
        &format!("{UPDATE}:3:8"),
        "`title` must not be empty",
    );
}

#[test]
fn invalid_region_slug() {
    rejects(
        |p| {
            p.write("content/regions/Bad_Slug/region.yaml", "name: Bad\n");
        },
        "content/regions/Bad_Slug/region.yaml:1:1",
        "invalid region folder name `Bad_Slug`",
    );
}

#[test]
fn yaml_alias_bomb() {
    let bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    rejects(
        |p| p.write(UPDATE, bomb),
        &format!("{UPDATE}:2:8"),
        "YAML aliases (`*name`) are not allowed",
    );
}

#[test]
fn non_utf8_file() {
    rejects(
        |p| p.write(UPDATE, b"title: caf\xe9\ndate: 2020-05-14\n"),
        &format!("{UPDATE}:1:11"),
        "not valid UTF-8",
    );
}

#[test]
fn empty_file() {
    rejects(
        |p| p.write(UPDATE, ""),
        &format!("{UPDATE}:1:1"),
        "the file is empty",
    );
}

#[test]
fn comment_only_file() {
    rejects(
        |p| p.write(UPDATE, "# nothing yet\n"),
        &format!("{UPDATE}:1:1"),
        "the file is empty",
    );
}

#[test]
fn missing_site_yaml() {
    rejects(
        |p| std::fs::remove_file(p.path("content/site.yaml")).unwrap(),
        "content/site.yaml:1:1",
        "missing site.yaml",
    );
}

#[test]
fn region_without_name() {
    rejects(
        |p| {
            p.write(
                "content/regions/languedoc-roussillon/region.yaml",
                "delegate:\n  name: X\n",
            )
        },
        "content/regions/languedoc-roussillon/region.yaml:1:1",
        "missing required key `name`",
    );
}

#[test]
fn region_without_region_yaml() {
    rejects(
        |p| {
            p.write(
                "content/regions/new-region/2020-05-14.yaml",
                "title: t\ndate: 2020-05-14\n",
            )
        },
        "content/regions/new-region/region.yaml:1:1",
        "region folder has no region.yaml",
    );
}

#[test]
fn wrong_type_for_a_section() {
    rejects(
        |p| p.edit(UPDATE, "  - Hôpitaux\n", "  - [Hôpitaux]\n"),
        &format!("{UPDATE}:28:5"),
        "`priority_services` must be text, found a list",
    );
}

#[test]
fn quoted_number() {
    rejects(
        |p| p.edit(UPDATE, "percent: 90", "percent: \"90\""),
        &format!("{UPDATE}:17:12"),
        "remove the quotes",
    );
}

#[test]
fn french_decimal_comma() {
    rejects(
        |p| p.edit(UPDATE, "factor: 3", "factor: 2,5"),
        &format!("{UPDATE}:42:15"),
        "use a dot for decimals: `2.5`",
    );
}

#[test]
fn duplicate_key() {
    rejects(
        |p| {
            p.edit(
                UPDATE,
                "  growth_percent: 35\n",
                "  growth_percent: 35\n  growth_percent: 36\n",
            )
        },
        &format!("{UPDATE}:58:3"),
        "key `online.growth_percent` is given twice",
    );
}

#[test]
fn invalid_language() {
    rejects(
        |p| p.edit("content/site.yaml", "language: fr", "language: de"),
        "content/site.yaml:4:11",
        "language must be `fr`, `en` or `es`, found `de`",
    );
}

#[test]
fn empty_languages() {
    rejects(
        |p| p.edit("content/site.yaml", "language: fr", "languages: []"),
        "content/site.yaml:4:12",
        "`languages` lists no language",
    );
}

#[test]
fn duplicate_language() {
    rejects(
        |p| {
            p.edit(
                "content/site.yaml",
                "language: fr",
                "languages: [fr, en, fr]",
            )
        },
        "content/site.yaml:4:21",
        "`fr` is listed twice in `languages`",
    );
}

#[test]
fn unknown_language_in_languages() {
    rejects(
        |p| p.edit("content/site.yaml", "language: fr", "languages: [fr, de]"),
        "content/site.yaml:4:17",
        "languages must be `fr`, `en` or `es`, found `de`",
    );
}

#[test]
fn language_and_languages_together() {
    rejects(
        |p| {
            p.edit(
                "content/site.yaml",
                "language: fr",
                "language: fr\nlanguages: [fr, en]",
            )
        },
        "content/site.yaml:5:12",
        "`language` and `languages` are both given",
    );
}

#[test]
fn text_map_with_an_unknown_language() {
    rejects(
        |p| {
            p.edit(
                UPDATE,
                "title: Les réseaux ont tenu malgré un trafic exceptionnel",
                "title: {fr: Les réseaux ont tenu, xx: Netze}",
            )
        },
        "content/regions/languedoc-roussillon/2020-05-14.yaml:3:35",
        "`title` has a text in `xx`, which is not a language relance writes",
    );
}

#[test]
fn translation_of_a_language_the_site_does_not_publish() {
    rejects(
        |p| {
            p.edit(
                UPDATE,
                "title: Les réseaux ont tenu malgré un trafic exceptionnel",
                "title: {fr: Les réseaux ont tenu, en: Networks held}",
            )
        },
        "content/regions/languedoc-roussillon/2020-05-14.yaml:3:8",
        "`title` has a text in `en`, a language the site does not publish",
    );
}

#[test]
fn narrative_in_an_unknown_language() {
    rejects(
        |p| {
            p.write(
                "content/regions/languedoc-roussillon/2020-05-14.de.md",
                "Die Netze haben gehalten.\n",
            )
        },
        "content/regions/languedoc-roussillon/2020-05-14.de.md:1:1",
        "narrative in `de`, which is not a language relance writes",
    );
}

#[test]
fn narrative_in_a_language_the_site_does_not_publish() {
    rejects(
        |p| {
            let facts = p.read(UPDATE);
            p.write(UPDATE, facts.split("narrative:").next().unwrap());
            p.write(
                "content/regions/languedoc-roussillon/2020-05-14.en.md",
                "The networks held.\n",
            )
        },
        "content/regions/languedoc-roussillon/2020-05-14.en.md:1:1",
        "narrative in `en`, a language the site does not publish",
    );
}

#[test]
fn a_map_where_a_number_is_expected() {
    rejects(
        |p| p.edit(UPDATE, "percent: 90", "percent: {fr: 90, en: 90}"),
        "content/regions/languedoc-roussillon/2020-05-14.yaml:17:12",
        "`telework.percent` must be a number, found a mapping",
    );
}

#[test]
fn narrative_given_twice() {
    rejects(
        |p| {
            p.write(
                "content/regions/languedoc-roussillon/2020-05-14.md",
                "Also here.\n",
            )
        },
        "content/regions/languedoc-roussillon/2020-05-14.md:1:1",
        "both a `narrative:` key and a .md narrative file",
    );
}

#[test]
fn narrative_twice_in_the_default_language() {
    rejects(
        |p| {
            let yaml = p.read(UPDATE);
            let cut = yaml.find("narrative: |").unwrap();
            p.write(UPDATE, &yaml[..cut]);
            let dir = "content/regions/languedoc-roussillon";
            p.write(&format!("{dir}/2020-05-14.md"), "Le réseau a tenu.\n");
            p.write(
                &format!("{dir}/2020-05-14.fr.md"),
                "Le réseau a bien tenu.\n",
            );
        },
        "content/regions/languedoc-roussillon/2020-05-14.fr.md:1:1",
        "both 2020-05-14.md and 2020-05-14.fr.md, and fr is the site's default language",
    );
}

#[test]
fn orphan_narrative() {
    rejects(
        |p| {
            p.write(
                "content/regions/languedoc-roussillon/2020-05-21.md",
                "Text.\n",
            )
        },
        "content/regions/languedoc-roussillon/2020-05-21.md:1:1",
        "narrative without an update",
    );
}

/// [`rejects`] an update with `lines` appended (the example's update has
/// 76 lines: the first appended line is line 77), and checks the `help:`
/// line too.
fn rejects_appended(lines: &str, location: (usize, usize), message: &str, help: &str) {
    let append = |p: &Project| p.write(UPDATE, p.read(UPDATE) + lines);
    let location = format!("{UPDATE}:{}:{}", location.0, location.1);
    rejects_with_help(append, &location, message, help);
}

/// [`rejects`], and `check` gives `help` for it.
fn rejects_with_help(mutate: impl Fn(&Project), location: &str, message: &str, help: &str) {
    rejects(&mutate, location, message);
    let p = Project::example();
    mutate(&p);
    let run = p.run(&["check"]);
    assert!(
        run.stderr.contains(&format!("= help: {help}")),
        "expected help {help:?} in:\n{}",
        run.stderr
    );
}

#[test]
fn unquoted_text_with_a_colon() {
    rejects_with_help(
        |p| {
            p.edit(
                UPDATE,
                "title: Les réseaux ont tenu malgré",
                "title: Réseaux: ils ont tenu malgré",
            )
        },
        &format!("{UPDATE}:3:15"),
        "mapping values are not allowed",
        "a text that contains `: ` (a colon and a space) must be in quotes",
    );
}

#[test]
fn a_range_written_as_text() {
    rejects_with_help(
        |p| p.edit(UPDATE, "factor: 3", "factor: 1.35-1.6"),
        &format!("{UPDATE}:42:15"),
        "traffic.multipliers.factor` must be a number",
        "`1.35-1.6` is a range: write it `{min: 1.35, max: 1.6}`",
    );
}

#[test]
fn a_range_where_one_figure_goes() {
    rejects_with_help(
        |p| p.edit(UPDATE, "percent: 90", "percent: 35-60"),
        &format!("{UPDATE}:17:12"),
        "`telework.percent` must be a number",
        "`35-60` is a range, and this field takes one figure: write one number (`35`)",
    );
}

#[test]
fn a_range_written_with_words() {
    rejects_with_help(
        |p| p.edit(UPDATE, "factor: 3", "change_percent: 35 à 60"),
        &format!("{UPDATE}:42:23"),
        "`traffic.multipliers.change_percent` must be a number",
        "`35 à 60` is a range: write it `{min: 35, max: 60}`",
    );
}

#[test]
fn a_range_where_a_field_takes_one_figure() {
    rejects_with_help(
        |p| p.edit(UPDATE, "percent: 90", "percent: {min: 35, max: 60}"),
        &format!("{UPDATE}:17:12"),
        "`telework.percent` must be a number",
        "this field takes one figure, not a range",
    );
}

#[test]
fn a_figure_beyond_ten_to_the_fifteen() {
    rejects_with_help(
        |p| {
            p.edit(
                UPDATE,
                "factor: 3",
                "change_percent: {min: 1e308, max: 1.7e308}",
            )
        },
        &format!("{UPDATE}:42:29"),
        "`traffic.multipliers.change_percent.min` is 1e308, beyond what any figure here can be",
        "figures go up to 10^15",
    );
}

#[test]
fn a_range_whose_bounds_read_the_same() {
    rejects_with_help(
        |p| {
            p.edit(
                UPDATE,
                "factor: 3",
                "change_percent: {min: 1, max: 1.0000001}",
            )
        },
        &format!("{UPDATE}:42:23"),
        "the range `traffic.multipliers.change_percent` goes from 1 to 1.0000001, which read the same once rounded to two decimals",
        "give one figure, or bounds at least 0.01 apart",
    );
}

#[test]
fn a_range_whose_bounds_are_reversed() {
    rejects_with_help(
        |p| p.edit(UPDATE, "factor: 3", "factor: {min: 1.6, max: 1.35}"),
        &format!("{UPDATE}:42:15"),
        "the range `traffic.multipliers.factor` must go from a smaller to a larger figure, found min 1.6 and max 1.35",
        "write the smaller figure as `min` and the larger as `max`",
    );
}

#[test]
fn a_range_with_equal_bounds() {
    rejects(
        |p| p.edit(UPDATE, "factor: 3", "factor: {min: 3, max: 3}"),
        &format!("{UPDATE}:42:15"),
        "must go from a smaller to a larger figure, found min 3 and max 3",
    );
}

#[test]
fn a_range_with_a_factor_of_zero() {
    rejects(
        |p| p.edit(UPDATE, "factor: 3", "factor: {min: 0, max: 2}"),
        &format!("{UPDATE}:42:21"),
        "traffic.multipliers.factor.min must be greater than 0, found 0",
    );
}

#[test]
fn a_range_written_as_a_list() {
    rejects_with_help(
        |p| p.edit(UPDATE, "factor: 3", "factor: [1.35, 1.6]"),
        &format!("{UPDATE}:42:15"),
        "`traffic.multipliers.factor` must be a number",
        "write a range as `{min: 1.35, max: 1.6}`",
    );
}

#[test]
fn a_range_without_its_max() {
    rejects(
        |p| p.edit(UPDATE, "factor: 3", "factor: {min: 1.35}"),
        &format!("{UPDATE}:42:15"),
        "missing required key `traffic.multipliers.factor.max`",
    );
}

#[test]
fn a_range_with_an_unknown_key() {
    rejects(
        |p| p.edit(UPDATE, "factor: 3", "factor: {min: 1.35, mx: 1.6}"),
        &format!("{UPDATE}:42:27"),
        "unknown key `traffic.multipliers.factor.mx`; did you mean `traffic.multipliers.factor.max`?",
    );
}

#[test]
fn a_range_that_rises_and_falls() {
    rejects_with_help(
        |p| p.edit(UPDATE, "factor: 3", "change_percent: {min: -5, max: 10}"),
        &format!("{UPDATE}:42:23"),
        "the range traffic.multipliers.change_percent goes from -5 to 10: it must rise at both ends or fall at both ends",
        "give the figure the statement stresses, or split the item in two",
    );
}

#[test]
fn a_range_marked_approx() {
    rejects_with_help(
        |p| {
            p.edit(
                UPDATE,
                "factor: 3",
                "factor: {min: 1.35, max: 1.6}\n      approx: true",
            )
        },
        &format!("{UPDATE}:43:15"),
        "traffic.multipliers gives a range and approx: true",
        "a range already says the figure is not exact: remove `approx`",
    );
}

#[test]
fn text_where_a_whole_number_goes() {
    rejects_with_help(
        |p| p.edit(UPDATE, "total: 20", "total: vingt"),
        &format!("{UPDATE}:60:10"),
        "`shops.total` must be a number",
        "write a whole number such as 12",
    );
}

const PUBLISH_AT_HELP: &str =
    "write the instant with its offset from UTC, e.g. 2020-05-14T18:00:00+02:00";

#[test]
fn publish_at_without_an_offset() {
    rejects_appended(
        "publish_at: 2020-05-14T18:00:00\n",
        (77, 13),
        "`publish_at`: `2020-05-14T18:00:00` has no offset from UTC, so the build machine's time zone would decide when it is due",
        PUBLISH_AT_HELP,
    );
}

#[test]
fn publish_at_that_is_not_a_date_time() {
    for value in ["2020-05-14", "demain 18h", "2020-05-14T25:00:00+02:00"] {
        rejects_appended(
            &format!("publish_at: {value}\n"),
            (77, 13),
            "`publish_at`: ",
            PUBLISH_AT_HELP,
        );
    }
}

#[test]
fn correction_dated_before_its_update() {
    rejects_appended(
        "corrections:\n  - date: 2020-05-13\n    note: Vingt boutiques, et non dix-huit.\n",
        (78, 11),
        "the correction is dated 2020-05-13, before the update it corrects (2020-05-14)",
        "a correction is published on or after its update's date",
    );
}

#[test]
fn correction_with_an_empty_note() {
    rejects_appended(
        "corrections:\n  - date: 2020-05-16\n    note: \"  \"\n",
        (79, 11),
        "`corrections.note` must not be empty",
        "say what was wrong and what is right",
    );
}

#[test]
fn correction_without_a_note() {
    rejects_appended(
        "corrections:\n  - date: 2020-05-16\n    note:\n",
        (79, 9),
        "`corrections.note` has no value",
        "write the value after the colon",
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let p = Project::example();
    p.edit(UPDATE, "telework:", "telwork:");
    p.edit(UPDATE, "reopened: 20", "reopened: 25");
    p.edit(UPDATE, "factor: 3", "factor: 0");
    p.edit("content/site.yaml", "language: fr", "language: xx");
    let run = p.run(&["check"]);
    assert_eq!(run.code, 1);
    for loc in [
        format!("{UPDATE}:16:1"),
        format!("{UPDATE}:61:13"),
        format!("{UPDATE}:42:15"),
        "content/site.yaml:4:11".to_string(),
    ] {
        assert!(
            run.stderr.contains(&format!("{loc}: error:")),
            "missing {loc} in\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("4 errors in 2 files"), "{}", run.stderr);
}

/// The `file:line:column` of every diagnostic headline, in printed order.
fn headlines(stderr: &str) -> Vec<(String, usize, usize)> {
    stderr
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .map(|l| {
            let mut parts = l.splitn(4, ':');
            let file = parts.next().unwrap().to_string();
            let line = parts.next().unwrap().parse().unwrap();
            let column = parts.next().unwrap().parse().unwrap();
            (file, line, column)
        })
        .collect()
}

#[test]
fn problems_are_sorted_by_file_line_and_column() {
    let p = Project::example();
    // Introduced out of order, in three files, warnings among errors.
    p.edit(UPDATE, "reopened: 20", "reopened: 25");
    p.edit(UPDATE, "factor: 3", "factor: 300");
    p.edit(UPDATE, "telework:", "telwork:");
    p.edit(UPDATE, "factor: 10", "factor: 0");
    p.edit("content/site.yaml", "language: fr", "language: xx");
    p.write(
        "content/regions/languedoc-roussillon/2020-05-21.yaml",
        "title: x\ndate: 2020-05-22\n",
    );
    p.write("content/regions/languedoc-roussillon/notes.txt", "x\n");
    let expected: Vec<(String, usize, usize)> = [
        (
            "content/regions/languedoc-roussillon/2020-05-14.yaml",
            16,
            1,
        ),
        (
            "content/regions/languedoc-roussillon/2020-05-14.yaml",
            42,
            15,
        ),
        (
            "content/regions/languedoc-roussillon/2020-05-14.yaml",
            44,
            15,
        ),
        (
            "content/regions/languedoc-roussillon/2020-05-14.yaml",
            61,
            13,
        ),
        ("content/regions/languedoc-roussillon/2020-05-21.yaml", 2, 7),
        ("content/regions/languedoc-roussillon/notes.txt", 1, 1),
        ("content/site.yaml", 4, 11),
    ]
    .iter()
    .map(|(f, l, c)| (f.to_string(), *l, *c))
    .collect();
    for args in [&["check"][..], &["build", "--no-pdf"][..]] {
        let run = p.run(args);
        assert_eq!(run.code, 1);
        assert_eq!(headlines(&run.stderr), expected, "{args:?}\n{}", run.stderr);
    }
    let run = p.run(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let json: Vec<(String, usize, usize)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap() as usize,
                d["column"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(json, expected);
}

#[test]
fn human_report_shows_the_source_line_and_a_caret() {
    let p = Project::example();
    p.edit(UPDATE, "percent: 90", "percent: 190");
    let run = p.run(&["check"]);
    assert!(
        run.stderr
            .contains("17 |   percent: 190\n   |            ^^^\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn json_report_for_ci() {
    let p = Project::example();
    p.edit(UPDATE, "percent: 90", "percent: 190");
    let run = p.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let first = &v.as_array().unwrap()[0];
    assert_eq!(first["file"], UPDATE);
    assert_eq!(first["line"], 17);
    assert_eq!(first["column"], 12);
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "range");
    assert_eq!(
        first["message"],
        "telework.percent must be between 0 and 100, found 190"
    );
    assert_eq!(
        first["help"],
        "the share of staff working remotely, in percent"
    );
    // Every item has the documented fields, and nothing else; `help` says
    // what to do (a did-you-mean and the allowed keys for a typo).
    p.edit(UPDATE, "telework:", "telwork:");
    let run = p.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let items = v.as_array().unwrap();
    assert!(!items.is_empty());
    for d in items {
        let keys: Vec<&String> = d.as_object().unwrap().keys().collect();
        for k in &keys {
            assert!(
                [
                    "file", "line", "column", "severity", "code", "message", "help"
                ]
                .contains(&k.as_str()),
                "undocumented field {k} in {d}"
            );
        }
        for k in ["file", "line", "column", "severity", "code", "message"] {
            assert!(d.get(k).is_some(), "{k} missing in {d}");
        }
    }
    let typo = items.iter().find(|d| d["code"] == "unknown-key").unwrap();
    assert_eq!(typo["line"], 16);
    assert_eq!(
        typo["message"],
        "unknown key `telwork`; did you mean `telework`?"
    );
    assert!(
        typo["help"]
            .as_str()
            .unwrap()
            .starts_with("keys allowed here: title, date, period, source,"),
        "{typo}"
    );
}

#[test]
fn warnings_pass_unless_denied() {
    let p = Project::example();
    p.edit(UPDATE, "factor: 3", "factor: 300");
    let run = p.run(&["build", "--no-pdf"]);
    assert_ok(&run);
    assert!(
        run.stderr.contains(&format!("{UPDATE}:42:15: warning: ")),
        "{}",
        run.stderr
    );
    std::fs::remove_dir_all(p.path("output")).unwrap();
    let denied = p.run(&["build", "--no-pdf", "--deny-warnings"]);
    assert_eq!(denied.code, 1, "{}", denied.stderr);
    assert!(!p.path("output").exists());
}

#[test]
fn missing_content_folder_is_a_usage_error() {
    let p = Project::example();
    let run = p.run(&["build", "--content", "nowhere"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("no content folder at `nowhere`"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let p = Project::example();
    assert_eq!(p.run(&["build", "--frobnicate"]).code, 2);
    assert_eq!(p.run(&["frobnicate"]).code, 2);
}

#[test]
fn control_character_in_text() {
    rejects(
        |p| {
            p.edit(
                UPDATE,
                "name: Thierry Alignan",
                "name: \"Thierry\\u0007 Alignan\"",
            )
        },
        &format!("{UPDATE}:13:9"),
        "contains the control character U+0007",
    );
}

/// An override left open reversed what templates put after the text (a
/// region name before a date: "14 MAI 2020" read "0202 IAM 41").
#[test]
fn direction_control_in_text() {
    for control in ["\\u202E", "\\u2067"] {
        rejects(
            |p| {
                p.edit(
                    UPDATE,
                    "name: Thierry Alignan",
                    &format!("name: \"Thierry Alignan {control}\""),
                )
            },
            &format!("{UPDATE}:13:9"),
            &format!("contains the direction control U+{}", &control[2..]),
        );
    }
}

/// A `.md` narrative is text as a fact file's is: a direction override
/// or a control character in it is refused where it stands (CRLF line
/// ends are not control characters here).
#[test]
fn direction_control_in_a_narrative_file() {
    for (control, code) in [('\u{202E}', "202E"), ('\u{1b}', "001B")] {
        rejects(
            |p| {
                let yaml = p.read(UPDATE);
                let cut = yaml.find("narrative: |").unwrap();
                p.write(UPDATE, &yaml[..cut]);
                p.write(
                    "content/regions/languedoc-roussillon/2020-05-14.md",
                    format!("Le réseau a tenu.\r\n\r\nÀ la *une* : {control}tout.\r\n"),
                );
            },
            "content/regions/languedoc-roussillon/2020-05-14.md:3:14",
            &format!(
                "the narrative contains the {} U+{code}",
                if code == "202E" {
                    "direction control"
                } else {
                    "control character"
                }
            ),
        );
    }
}

/// YAML tags are not part of the format: `!!str 90` would make a number
/// text without a word of warning, a custom tag means nothing here.
#[test]
fn yaml_tag() {
    rejects(
        |p| p.edit(UPDATE, "percent: 90", "percent: !!str 90"),
        &format!("{UPDATE}:17:12"),
        "YAML tags (`!!str`, `!name`) are not used in fact files",
    );
}

/// A title of zero-width characters, or of accents with no letter, is as
/// empty as a blank one: the share card would show no title.
#[test]
fn invisible_text_is_empty() {
    for title in ["\\u200B\\u200D", "\\u0301\\u0302", "\\u2068\\u2069 \\uFEFF"] {
        rejects(
            |p| {
                let text = p.read(UPDATE);
                let line = text.lines().find(|l| l.starts_with("title:")).unwrap();
                p.edit(UPDATE, line, &format!("title: \"{title}\""));
            },
            &format!("{UPDATE}:3:8"),
            "`title` holds no visible character",
        );
    }
}

/// U+FFFE and U+FFFF are not XML characters: the share card's SVG did
/// not parse and the build stopped with an internal error.
#[test]
fn noncharacter_in_text() {
    for c in ["\\uFFFE", "\\uFFFF"] {
        rejects(
            |p| {
                p.edit(
                    UPDATE,
                    "name: Thierry Alignan",
                    &format!("name: \"Thierry{c} Alignan\""),
                )
            },
            &format!("{UPDATE}:13:9"),
            &format!("contains the noncharacter U+{}", &c[2..]),
        );
    }
}

#[test]
fn checked_names_an_unknown_field() {
    rejects(
        |p| {
            p.edit(
                UPDATE,
                "narrative: |",
                "checked: [telework.percnt]\nnarrative: |",
            )
        },
        &format!("{UPDATE}:66:11"),
        "`checked` names an unknown field `telework.percnt`; did you mean `telework.percent`?",
    );
    let p = Project::example();
    p.edit(UPDATE, "narrative: |", "checked: [shops]\nnarrative: |");
    let run = p.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "= help: fields that can be checked: telework.percent, online.customers_percent"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn required_key_without_a_value() {
    rejects(
        |p| {
            p.edit(
                UPDATE,
                "title: Les réseaux ont tenu malgré un trafic exceptionnel",
                "title:",
            )
        },
        &format!("{UPDATE}:3:6"),
        "`title` has no value",
    );
}

#[test]
fn telework_percent_that_disagrees_with_the_counts() {
    rejects_with_help(
        |p| {
            p.edit(
                UPDATE,
                "percent: 90\n",
                "percent: 90\n  staff: 1800\n  remote: 750\n",
            )
        },
        &format!("{UPDATE}:17:12"),
        "telework.percent (90) does not agree with the counts: 750 of 1800 is 41.7",
        "remove `percent` (it is computed from `remote` and `staff`), or correct the counts",
    );
}

#[test]
fn more_staff_remote_than_counted() {
    rejects(
        |p: &Project| p.edit(UPDATE, "percent: 90\n", "staff: 10\n  remote: 12\n"),
        &format!("{UPDATE}:18:11"),
        "telework.remote (12) is more than telework.staff (10)",
    );
}

#[test]
fn remote_staff_without_the_count_of_staff() {
    rejects_with_help(
        |p| p.edit(UPDATE, "percent: 90\n", "remote: 12\n"),
        &format!("{UPDATE}:17:11"),
        "telework.remote needs telework.staff",
        "give both `staff` (how many are counted) and `remote` (how many of them worked remotely), or `percent` alone",
    );
}

#[test]
fn shops_that_stayed_open_cannot_have_reopened() {
    rejects_with_help(
        |p| p.edit(UPDATE, "total: 20\n", "total: 20\n  stayed_open: true\n"),
        &format!("{UPDATE}:62:13"),
        "shops.reopened with shops.stayed_open: true",
        "keep `stayed_open: true` and `total`, or remove `stayed_open` if the shops closed and reopened",
    );
}

#[test]
fn attributed_quote_without_its_text() {
    rejects(
        |p: &Project| {
            let text = p.read(UPDATE);
            p.write(UPDATE, format!("{text}quotes:\n  - by: Jeanne Martin\n"));
        },
        &format!("{UPDATE}:78:5"),
        "missing required key `quotes.text`",
    );
}

#[test]
fn a_figures_source_without_a_name() {
    rejects(
        |p: &Project| {
            p.edit(
                UPDATE,
                "factor: 3\n",
                "factor: 3\n      source: {url: \"https://example.org/\"}\n",
            )
        },
        &format!("{UPDATE}:43:15"),
        "missing required key `traffic.multipliers.source.name`",
    );
}
