//! One pipeline for `build`, `check` and `serve`: the same diagnostics for
//! warnings, template errors and broken links; and unit keys that follow
//! what a unit is rendered from without any list of dependencies.

mod common;
use common::*;

const REGION_PAGE: &str = "output/regions/languedoc-roussillon/index.html";

#[test]
fn warnings_are_the_same_in_build_check_and_serve() {
    let p = Project::example();
    // Three warnings: no base_url, a factor over 100, an ignored file.
    p.edit(
        "content/site.yaml",
        "base_url: https://example.org/relance/\n",
        "",
    );
    p.edit(UPDATE, "factor: 10", "factor: 150");
    p.write("content/regions/languedoc-roussillon/notes.txt", "draft");
    let all = diagnostics_agree(&p, &["--no-pdf"]);
    let codes = ["no `base_url`", "150", "ignored: not a fact file"];
    for code in codes {
        assert!(all.iter().any(|d| d.contains(code)), "{code}: {all:#?}");
    }
    assert_eq!(all.len(), 3, "{all:#?}");
    assert!(all.iter().all(|d| d.contains(": warning: ")), "{all:#?}");
    // Denied, they fail build and check alike (exit 1).
    let denied = diagnostics_agree(&p, &["--no-pdf", "--deny-warnings"]);
    assert_eq!(denied, all);
    let build = p.run(&["build", "--no-pdf", "--deny-warnings"]);
    let check = p.run(&["check", "--no-pdf", "--deny-warnings"]);
    assert_eq!(
        (build.code, check.code),
        (1, 1),
        "{}\n{}",
        build.stderr,
        check.stderr
    );
}

#[test]
fn template_errors_and_broken_links_are_the_same_everywhere() {
    let p = Project::example();
    // A region page template with a broken link and an update page
    // template that names a variable the page model does not have.
    let region = std::fs::read_to_string(repo().join("templates/region.html")).unwrap();
    p.write(
        "templates/region.html",
        region.replacen("</h1>", "</h1><a href=\"nowhere.html\">x</a>", 1),
    );
    let all = diagnostics_agree(&p, &["--no-pdf"]);
    assert!(
        all.iter().any(|d| d.contains("broken link `nowhere.html`")),
        "{all:#?}"
    );
    let update = std::fs::read_to_string(repo().join("templates/update.html")).unwrap();
    p.write(
        "templates/update.html",
        update.replacen("</h1>", "{{ update.no_such_field.x }}</h1>", 1),
    );
    let all = diagnostics_agree(&p, &["--no-pdf"]);
    assert!(
        all.iter().any(|d| d.starts_with("templates/update.html:")),
        "{all:#?}"
    );
}

#[test]
fn a_clean_site_has_no_diagnostics_anywhere() {
    let p = Project::multi();
    assert_eq!(diagnostics_agree(&p, &["--no-pdf"]), Vec::<String>::new());
}

/// The ids of the units a build re-rendered, from its `--report`.
fn rendered(p: &Project, args: &[&str]) -> Vec<String> {
    let mut all = vec!["--no-pdf"];
    all.extend_from_slice(args);
    let (run, report) = p.build_report(&all);
    assert_ok(&run);
    rendered_units(&report)
}

#[test]
fn a_new_dependency_is_followed_without_touching_any_key() {
    // A theme whose region page starts showing the organisation from
    // site.yaml: nothing lists that dependency anywhere, yet editing the
    // organisation re-renders the region page and the output equals a
    // clean build.
    let p = Project::multi();
    let region = std::fs::read_to_string(repo().join("templates/region.html")).unwrap();
    p.write(
        "templates/region.html",
        region.replacen(
            "</h1>",
            "</h1><p class=\"org\">{{ site.organisation }}</p>",
            1,
        ),
    );
    rendered(&p, &[]);
    let page = p.read(
        REGION_PAGE
            .replace("languedoc-roussillon", "north-coast")
            .as_str(),
    );
    let org_before = page
        .split("<p class=\"org\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    p.edit(
        "content/site.yaml",
        &format!("organisation: {org_before}"),
        "organisation: Renamed Networks Ltd",
    );
    let again = rendered(&p, &[]);
    assert!(
        again.contains(&"region:north-coast".to_string()),
        "{again:?}"
    );
    let page = p.read(
        REGION_PAGE
            .replace("languedoc-roussillon", "north-coast")
            .as_str(),
    );
    assert!(
        page.contains("<p class=\"org\">Renamed Networks Ltd</p>"),
        "{page}"
    );
    // Same bytes as a clean build of the same content and theme.
    let clean = Project::from(&p.path("content"));
    std::fs::create_dir_all(clean.path("templates")).unwrap();
    std::fs::copy(
        p.path("templates/region.html"),
        clean.path("templates/region.html"),
    )
    .unwrap();
    assert_ok(&clean.run(&["build", "--no-pdf"]));
    assert_eq!(p.snapshot("output"), clean.snapshot("output"));
}

#[test]
fn an_edit_re_renders_exactly_the_units_that_read_it() {
    let p = Project::multi();
    rendered(&p, &[]);
    assert_eq!(
        rendered(&p, &[]),
        Vec::<String>::new(),
        "no-op renders nothing"
    );
    // A quote of the latest north-coast update is shown on its page and on
    // the region page (which shows the latest update), and in the open
    // data (global); the previous update and the other region are not
    // rendered from it.
    let file = "content/regions/north-coast/2020-05-14.yaml";
    let text = p.read(file);
    let title_line = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .unwrap()
        .to_string();
    p.edit(file, &title_line, &format!("{title_line} (edited)"));
    let again = rendered(&p, &[]);
    assert_eq!(
        again,
        vec![
            "global".to_string(),
            "region:north-coast".to_string(),
            "update:north-coast/2020-05-14".to_string(),
        ]
    );
}
