//! The build on real content: what the pages show, languages, changes
//! since the previous update, escaping, sanitising and determinism.

mod common;
use common::*;

const PAGE: &str = "output/regions/languedoc-roussillon/2020-05-14/index.html";
const NNBSP: &str = "\u{202F}";

#[test]
fn example_builds_every_page() {
    let p = Project::example();
    let run = p.build();
    assert_ok(&run);
    for f in [
        "output/index.html",
        "output/regions/languedoc-roussillon/index.html",
        PAGE,
        "output/regions/languedoc-roussillon/2020-05-14/languedoc-roussillon-2020-05-14.pdf",
        "output/regions/languedoc-roussillon/2020-05-14/brief.txt",
        "output/regions/languedoc-roussillon/2020-05-14/traffic.svg",
        "output/data/updates.json",
        "output/data/updates.csv",
        "output/feed.xml",
        "output/sitemap.xml",
        "output/assets/style.css",
    ] {
        assert!(p.path(f).is_file(), "{f} missing");
    }
}

#[test]
fn update_page_shows_every_fact() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let html = p.read(PAGE);
    let must = [
        format!("90{NNBSP}%"),
        "×3".into(),
        "×10".into(),
        "×2".into(),
        "×5".into(),
        "20 boutiques rouvertes sur 20".into(),
        "11 mai 2020".into(),
        "Sur rendez-vous".into(),
        format!("57{NNBSP}%"),
        "Cyberattaques".into(),
        "Centres hospitaliers".into(),
        "Orange Cyberdéfense".into(),
        "Thierry Alignan".into(),
        "Délégué régional Languedoc-Roussillon".into(),
        "<strong>réseau 4G</strong>".into(),
        "sur rendez-vous\npris en ligne".into(),
        "France Bleu Hérault".into(),
        "Techniciens d&#39;intervention".into(),
    ];
    for m in &must {
        assert!(html.contains(m.as_str()), "update page lacks {m:?}");
    }
    for s in [
        "Hôpitaux",
        "Services d&#39;urgence",
        "Professionnels de santé",
        "EHPAD",
        "Collectivités locales",
        "Personnes isolées",
        "Personnes âgées",
        "Entreprises",
    ] {
        assert!(
            html.contains(&format!("<li>{s}</li>")),
            "priority service {s} missing"
        );
    }
    // Relative links only: the page works from file:// and any sub-path.
    assert!(html.contains("href=\"../../../assets/style.css\""));
    assert!(!html.contains("href=\"/"), "absolute link found");
    assert_eq!(executable_scripts(&html), 0, "pages need no script");
}

#[test]
fn overview_and_region_pages() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let index = p.read("output/index.html");
    assert!(index.contains("href=\"regions/languedoc-roussillon/index.html\""));
    assert!(index.contains(&format!("90{NNBSP}%")));
    assert!(index.contains("<html lang=\"fr\">"));
    let region = p.read("output/regions/languedoc-roussillon/index.html");
    assert!(region.contains("href=\"2020-05-14/index.html\""));
    assert!(region.contains("Languedoc-Roussillon"));
    assert!(region.contains("11, 30, 34, 48, 66"));
}

#[test]
fn the_overview_says_only_the_figures_a_region_has() {
    let p = Project::example();
    let said = |p: &Project| {
        let index = p.read("output/index.html");
        let start = index.find("Languedoc-Roussillon :").expect("described");
        index[start..start + index[start..].find('.').unwrap()].to_string()
    };
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert_eq!(
        said(&p),
        format!("Languedoc-Roussillon : télétravail 90{NNBSP}%, boutiques rouvertes 100{NNBSP}%")
    );
    // Without a shops section, the description does not say "—".
    p.edit(
        UPDATE,
        "shops:\n  total: 20\n  reopened: 20\n  reopened_on: 2020-05-11\n  by_appointment: true\n  booking: Prise de rendez-vous en ligne sur orange.fr\n",
        "",
    );
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert_eq!(
        said(&p),
        format!("Languedoc-Roussillon : télétravail 90{NNBSP}%")
    );
    // (The figures' table keeps its dash for a missing cell.)
    assert!(!p.read("output/index.html").contains("rouvertes —."));
}

#[test]
fn english_site_formats_numbers_and_dates() {
    let p = Project::example();
    p.edit("content/site.yaml", "language: fr", "language: en");
    p.edit(UPDATE, "factor: 2\n", "factor: 2.5\n");
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let html = p.read(PAGE);
    for m in [
        "90%",
        "3×",
        "10×",
        "2.5×",
        "14 May 2020",
        "11 May 2020",
        "<html lang=\"en\">",
        "Priority services",
    ] {
        assert!(html.contains(m), "English page lacks {m:?}");
    }
    assert!(!html.contains(&format!("90{NNBSP}%")));
}

#[test]
fn multi_region_site_shows_changes_since_previous_update() {
    let p = Project::multi();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let page = p.read("output/regions/north-coast/2020-05-14/index.html");
    // Telework 90 → 60, shops 4 → 12, online 50 → 55.
    assert!(
        page.contains("\u{2212}30 points"),
        "telework change missing"
    );
    assert!(page.contains("<strong>+8</strong>"), "shops change missing");
    assert!(page.contains("+5 points"), "online change missing");
    assert!(page.contains("since 7 May 2020"));
    assert!(
        page.contains("href=\"../2020-05-07/index.html\""),
        "link to previous update"
    );
    let first = p.read("output/regions/north-coast/2020-05-07/index.html");
    assert!(!first.contains("Change since the previous update"));
    assert!(
        first.contains("href=\"../2020-05-14/index.html\""),
        "link to next update"
    );
    let region = p.read("output/regions/north-coast/index.html");
    let newer = region.find("2020-05-14/index.html").unwrap();
    let older = region.find("2020-05-07/index.html").unwrap();
    assert!(newer < older, "history is newest first");
    let index = p.read("output/index.html");
    for name in ["North Coast", "East Valley", "Empty Hills"] {
        assert!(index.contains(name), "{name} missing from overview");
    }
    assert!(
        p.read("output/regions/empty-hills/index.html")
            .contains("No update published yet.")
    );
    // A narrative from a .md file.
    assert!(page.contains("<strong>reopened</strong>"));
}

#[test]
fn html_in_facts_is_escaped() {
    let p = Project::example();
    p.edit(
        UPDATE,
        "title: Les réseaux ont tenu malgré un trafic exceptionnel",
        "title: \"<script>alert('x')</script> & <b>bold</b>\"",
    );
    p.edit(
        UPDATE,
        "label: WhatsApp",
        "label: \"<img src=x onerror=alert(1)>\"",
    );
    p.edit(
        UPDATE,
        "  - EHPAD",
        "  - \"<iframe src=javascript:alert(1)>\"",
    );
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let html = p.read(PAGE);
    assert!(
        html.contains(
            "<h1>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</h1>"
        ),
        "title not escaped"
    );
    // Markup formats only: CSV and brief.txt are plain text and carry the
    // facts exactly as typed.
    for (path, bytes) in p.snapshot("output") {
        if !(path.ends_with(".html")
            || path.ends_with(".svg")
            || path.ends_with(".xml")
            || path.ends_with(".json"))
        {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("<script>alert"),
            "{path} carries a live script"
        );
        assert!(!text.contains("<img src=x"), "{path} carries a live img");
        assert!(!text.contains("<iframe"), "{path} carries a live iframe");
    }
    // The chart shows the label as text, escaped for XML.
    let svg = p.read("output/regions/languedoc-roussillon/2020-05-14/traffic.svg");
    assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

#[test]
fn narrative_is_sanitised() {
    let p = Project::example();
    p.write(
        UPDATE,
        p.read(UPDATE).replace(
            "  Pendant le confinement,",
            "  <script>alert(1)</script> <img src=x onerror=\"alert(2)\"> [clic](javascript:alert(3)) <a href=\"javascript:alert(4)\">x</a>\n\n  Pendant le confinement,",
        ),
    );
    assert_ok(&p.run(&["build", "--no-pdf"]));
    for (path, bytes) in p.snapshot("output") {
        if path.ends_with(".pdf") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("<script>"), "{path}: script survived");
        assert_eq!(executable_scripts(&text), 0, "{path}: script survived");
        assert!(!text.contains("onerror"), "{path}: event handler survived");
        assert!(
            !text.contains("javascript:"),
            "{path}: javascript: link survived"
        );
    }
    let page = p.read(PAGE);
    assert!(
        page.contains("<strong>réseau 4G</strong>"),
        "ordinary Markdown still renders"
    );
    // Elements that lost a required attribute are removed whole.
    assert!(!page.contains("<img"), "a bare <img> survived");
    assert!(
        !page.contains("<a rel=\"noopener noreferrer\">"),
        "a link without its address survived"
    );
}

/// Copies a folder creating its entries in name order, or in reverse name
/// order, so that a file system that lists entries by creation order lists
/// the two copies differently.
fn copy_dir_in_order(from: &std::path::Path, to: &std::path::Path, reverse: bool) {
    std::fs::create_dir_all(to).unwrap();
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    if reverse {
        entries.reverse();
    }
    for entry in entries {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir_in_order(&entry.path(), &target, reverse);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The multi fixture, its files created in name order or in reverse.
fn multi_in_order(reverse: bool) -> Project {
    let p = Project::multi();
    std::fs::remove_dir_all(p.path("content")).unwrap();
    copy_dir_in_order(
        &repo().join("tests/fixtures/multi"),
        &p.path("content"),
        reverse,
    );
    p
}

fn raw_listing(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn assert_same_site(a: &Project, b: &Project, what: &str) {
    let (sa, sb) = (a.snapshot("output"), b.snapshot("output"));
    assert_eq!(
        sa.keys().collect::<Vec<_>>(),
        sb.keys().collect::<Vec<_>>(),
        "{what}: different files"
    );
    for (k, v) in &sa {
        assert!(v == &sb[k], "{k} differs ({what})");
    }
}

#[test]
fn builds_are_byte_identical_whatever_the_jobs_and_file_order() {
    // PDFs included: Typst runs on several threads.
    let one = multi_in_order(false);
    assert_ok(&one.run(&["build", "--jobs", "1"]));
    let two = multi_in_order(false);
    assert_ok(&two.run(&["build", "--jobs", "2"]));
    assert_same_site(&one, &two, "--jobs 1 vs --jobs 2");

    // The same content, its files created in the opposite order.
    let reversed = multi_in_order(true);
    assert_ne!(
        raw_listing(&one.path("content/regions")),
        raw_listing(&reversed.path("content/regions")),
        "the file system lists both orders alike: this test would prove nothing"
    );
    assert_ok(&reversed.run(&["build", "--jobs", "3"]));
    assert_same_site(&one, &reversed, "files created in another order");

    // And the same project built again from scratch.
    std::fs::remove_dir_all(one.path("output")).unwrap();
    assert_ok(&one.build());
    assert_same_site(&one, &two, "a second build");
}

#[test]
fn jobs_must_be_positive() {
    let p = Project::example();
    let run = p.run(&["build", "--no-pdf", "--jobs", "0"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("--jobs must be at least 1"),
        "{}",
        run.stderr
    );
    assert!(!p.path("output").exists());
    assert_eq!(p.run(&["build", "--no-pdf", "--jobs", "x"]).code, 2);
}

#[test]
fn rebuild_without_changes_rewrites_nothing() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let before = p.state();
    let again = p.run(&["build", "--no-pdf"]);
    assert_ok(&again);
    assert_eq!(p.state(), before);
    let files = p.snapshot("output").len() - 1; // without the marker
    assert!(
        again.stderr.contains(&format!(
            "{files} files (0 changed, {files} unchanged, 0 removed)"
        )),
        "{}",
        again.stderr
    );
}

#[test]
fn output_folder_that_is_not_ours_is_refused() {
    let p = Project::example();
    p.write("output/precious.txt", "do not delete");
    let run = p.build();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("refusing to replace"), "{}", run.stderr);
    assert_eq!(p.read("output/precious.txt"), "do not delete");
}

#[test]
fn output_inside_content_is_refused() {
    let p = Project::example();
    let run = p.run(&["build", "--output", "content/site"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = p.run(&["build", "--output", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(p.path("content/site.yaml").is_file());
}

/// Every field of the `--report` file, on success and on failure.
#[test]
fn report_file_describes_the_build() {
    let p = Project::multi();
    p.edit(
        "content/regions/north-coast/2020-05-14.yaml",
        "factor: 10",
        "factor: 300",
    );
    assert_ok(&p.run(&["build", "--no-pdf", "--report", "report.json"]));
    let v: serde_json::Value = serde_json::from_str(&p.read("report.json")).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&v),
        [
            "diagnostics",
            "errors",
            "input_files",
            "next_publish_at",
            "ok",
            "output",
            "pdf",
            "pending",
            "regions",
            "times",
            "updates",
            "warnings"
        ]
    );
    assert_eq!(v["ok"], true);
    assert_eq!(v["regions"], 3);
    assert_eq!(v["updates"], 3);
    assert_eq!(v["input_files"], 8, "7 fact files and one narrative");
    assert_eq!(v["pdf"], false);
    assert_eq!(v["errors"], 0);
    assert_eq!(v["warnings"], 1);
    let site_files = p.snapshot("output").len() - 1; // the marker is not a site file
    assert_eq!(
        keys(&v["output"]),
        [
            "changed",
            "files",
            "removed",
            "rendered",
            "rendered_units",
            "reused_units",
            "unchanged"
        ]
    );
    assert_eq!(v["output"]["files"], site_files);
    assert_eq!(v["output"]["changed"], site_files, "a first build");
    assert_eq!(v["output"]["unchanged"], 0);
    assert_eq!(v["output"]["removed"], 0);
    assert_eq!(v["output"]["rendered_units"], 7);
    assert_eq!(v["output"]["reused_units"], 0);
    assert_eq!(v["output"]["rendered"].as_array().unwrap().len(), 7);
    // The one warning, located, with every field.
    let d = &v["diagnostics"][0];
    // `help` is there when there is something to say (not for this one).
    assert_eq!(
        keys(d),
        ["code", "column", "file", "line", "message", "severity"]
    );
    assert_eq!(d["code"], "large-factor");
    assert_eq!(d["file"], "content/regions/north-coast/2020-05-14.yaml");
    assert_eq!(d["line"], 23);
    assert_eq!(d["column"], 15);
    assert_eq!(d["severity"], "warning");
    assert!(d["message"].as_str().unwrap().contains("300"), "{d}");
    // Stage timings: each stage measured, none longer than the whole.
    assert_eq!(
        keys(&v["times"]),
        ["load_ms", "render_ms", "total_ms", "write_ms"]
    );
    let t = |k: &str| v["times"][k].as_f64().unwrap();
    for stage in ["load_ms", "render_ms", "write_ms"] {
        assert!(
            t(stage) > 0.0 && t(stage) <= t("total_ms"),
            "{stage}: {}",
            v["times"]
        );
    }
    assert!(t("load_ms") + t("render_ms") + t("write_ms") <= t("total_ms") + 0.5);

    // On failure: ok false, the exit code, every error located.
    p.edit(
        "content/regions/north-coast/2020-05-14.yaml",
        "percent: 60",
        "percent: 190",
    );
    p.edit(
        "content/regions/east-valley/2020-05-12.yaml",
        "reopened: 6",
        "reopened: 9",
    );
    let run = p.run(&["build", "--no-pdf", "--report", "report.json"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&p.read("report.json")).unwrap();
    assert_eq!(
        keys(&v),
        [
            "diagnostics",
            "errors",
            "exit_code",
            "failure",
            "ok",
            "warnings"
        ]
    );
    assert_eq!(v["ok"], false);
    assert_eq!(v["exit_code"], 1);
    assert_eq!(v["errors"], 2);
    assert_eq!(v["warnings"], 1);
    assert!(v["failure"].as_str().unwrap().contains("2 errors"), "{v}");
    let located: Vec<(String, u64, u64, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        located,
        [
            (
                "content/regions/east-valley/2020-05-12.yaml".to_string(),
                7,
                13,
                "error".to_string()
            ),
            (
                "content/regions/north-coast/2020-05-14.yaml".to_string(),
                15,
                12,
                "error".to_string()
            ),
            (
                "content/regions/north-coast/2020-05-14.yaml".to_string(),
                23,
                15,
                "warning".to_string()
            ),
        ]
    );
    // A usage failure is reported too.
    let run = p.run(&[
        "build",
        "--no-pdf",
        "--output",
        "content",
        "--report",
        "report.json",
    ]);
    assert_eq!(run.code, 2);
    let v: serde_json::Value = serde_json::from_str(&p.read("report.json")).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["exit_code"], 2);
}

#[test]
fn template_override_replaces_one_file() {
    let p = Project::example();
    p.write("templates/style.css", "body { color: rebeccapurple; }\n");
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert_eq!(
        p.read("output/assets/style.css"),
        "body { color: rebeccapurple; }\n"
    );
    assert!(
        p.read(PAGE).contains("Thierry Alignan"),
        "other templates still embedded"
    );
}

#[test]
fn broken_html_template_is_located() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let before = p.snapshot("output");
    for (template, location) in [
        (
            "{% extends \"base.html\" %}\n{% block main %}\n{{ overview.rows | nosuchfilter }}\n{% endblock main %}\n",
            "templates/index.html:3:20",
        ),
        (
            "{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n{% endblock main %}\n",
            "templates/index.html:3:",
        ),
    ] {
        p.write("templates/index.html", template);
        let run = p.run(&["build", "--no-pdf"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains(location),
            "{location} not in {}",
            run.stderr
        );
        assert_eq!(p.snapshot("output"), before);
    }
}

#[test]
fn explicit_templates_folder_wins() {
    let p = Project::example();
    // A templates/ beside the content folder, and another folder given
    // with --templates: only the latter is used.
    p.write("templates/style.css", "body { color: red; }\n");
    p.write("theme/style.css", "body { color: rebeccapurple; }\n");
    assert_ok(&p.run(&["build", "--no-pdf", "--templates", "theme"]));
    assert_eq!(
        p.read("output/assets/style.css"),
        "body { color: rebeccapurple; }\n"
    );
    // Without the flag, templates/ beside the content is the default.
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert_eq!(p.read("output/assets/style.css"), "body { color: red; }\n");
}

#[test]
fn custom_content_and_output_folders() {
    let p = Project::example();
    std::fs::rename(p.path("content"), p.path("facts")).unwrap();
    std::fs::create_dir_all(p.path("work")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_relance"))
        .args([
            "build",
            "--no-pdf",
            "--content",
            "../facts",
            "--output",
            "../public/site",
        ])
        .current_dir(p.path("work"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("into ../public/site"), "{stderr}");
    assert!(
        p.path("public/site/regions/languedoc-roussillon/2020-05-14/index.html")
            .is_file()
    );
    assert!(p.path("public/site/.relance-output").is_file());
    // Nothing at the defaults.
    assert!(!p.path("work/output").exists() && !p.path("output").exists());
    // Errors name the content folder as typed.
    p.edit(
        "facts/regions/languedoc-roussillon/2020-05-14.yaml",
        "percent: 90",
        "percent: 190",
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_relance"))
        .args(["check", "--content", "../facts"])
        .current_dir(p.path("work"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("../facts/regions/languedoc-roussillon/2020-05-14.yaml:17:12: error:"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn check_writes_nothing() {
    let p = Project::example();
    p.write("templates/style.css", "body { color: rebeccapurple; }\n");
    let before = p.state();
    let run = p.run(&["check"]);
    assert_ok(&run);
    assert!(run.stderr.contains("no problems found"), "{}", run.stderr);
    assert_eq!(p.state(), before, "check wrote something");
    // With a built site, and with errors, still nothing.
    assert_ok(&p.run(&["build", "--no-pdf"]));
    p.edit(UPDATE, "percent: 90", "percent: 190");
    let before = p.state();
    assert_eq!(p.run(&["check"]).code, 1);
    assert_eq!(p.run(&["check", "--format", "json"]).code, 1);
    assert_eq!(p.state(), before, "check wrote something");
}

#[test]
fn check_deny_warnings() {
    let p = Project::example();
    p.edit(UPDATE, "factor: 3", "factor: 300");
    let run = p.run(&["check"]);
    assert_eq!(run.code, 0, "a warning alone passes: {}", run.stderr);
    assert!(
        run.stderr.contains(&format!("{UPDATE}:42:15: warning:")),
        "{}",
        run.stderr
    );
    let run = p.run(&["check", "--deny-warnings"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("{UPDATE}:42:15: warning:")),
        "{}",
        run.stderr
    );
    let run = p.run(&["check", "--deny-warnings", "--format", "json"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v[0]["severity"], "warning");
    // No warning: --deny-warnings passes.
    p.edit(UPDATE, "factor: 300", "factor: 3");
    assert_ok(&p.run(&["check", "--deny-warnings"]));
}

#[test]
fn first_of_the_month_is_1er_in_french() {
    let p = Project::example();
    p.write(
        "content/regions/languedoc-roussillon/2020-06-01.yaml",
        "title: Juin\ndate: 2020-06-01\nshops:\n  total: 20\n  reopened: 20\n  reopened_on: 2020-06-01\n",
    );
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let page = p.read("output/regions/languedoc-roussillon/2020-06-01/index.html");
    let region = p.read("output/regions/languedoc-roussillon/index.html");
    let index = p.read("output/index.html");
    for (name, html) in [("update", &page), ("region", &region), ("overview", &index)] {
        assert!(
            html.contains(">1er juin 2020<"),
            "{name} page: no `1er juin 2020`"
        );
        assert!(
            !html.contains(">1 juin 2020<"),
            "{name} page: `1 juin 2020`"
        );
    }
    let brief = p.read("output/regions/languedoc-roussillon/2020-06-01/brief.txt");
    assert!(
        brief.starts_with("Languedoc-Roussillon — 1er juin 2020\n"),
        "{brief}"
    );
    assert!(brief.contains("le 1er juin 2020"), "{brief}");
    // Other days have no suffix; English has none either.
    assert!(p.read(PAGE).contains(">14 mai 2020<"));
    p.edit("content/site.yaml", "language: fr", "language: en");
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let page = p.read("output/regions/languedoc-roussillon/2020-06-01/index.html");
    assert!(page.contains(">1 June 2020<"), "English date");
}

#[test]
fn hidden_files_are_ignored_and_unexpected_ones_warned() {
    let p = Project::example();
    // Hidden files: never read, never reported, even when invalid.
    p.write(
        "content/regions/languedoc-roussillon/.2020-05-21.yaml",
        "title: [\n",
    );
    p.write("content/regions/.DS_Store", "\0\0");
    p.write("content/regions/.hidden-region/region.yaml", "name: [\n");
    let run = p.run(&["build", "--no-pdf"]);
    assert_ok(&run);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    // Unexpected files are reported, located, and do not fail the build.
    p.write("content/regions/languedoc-roussillon/notes.txt", "notes\n");
    p.write("content/regions/languedoc-roussillon/drafts/x.yaml", "x\n");
    p.write("content/regions/README", "x\n");
    let run = p.run(&["build", "--no-pdf"]);
    assert_ok(&run);
    for (file, message) in [
        (
            "content/regions/README",
            "ignored: only region folders belong in regions/",
        ),
        (
            "content/regions/languedoc-roussillon/drafts",
            "ignored: sub-folders of a region are not read",
        ),
        (
            "content/regions/languedoc-roussillon/notes.txt",
            "ignored: not a fact file",
        ),
    ] {
        assert!(
            run.stderr
                .contains(&format!("{file}:1:1: warning: {message}")),
            "{file}: {}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("3 warning(s)"), "{}", run.stderr);
    assert_eq!(p.run(&["build", "--no-pdf", "--deny-warnings"]).code, 1);
    assert_eq!(p.run(&["check", "--deny-warnings"]).code, 1);
}

#[test]

fn unexpected_file_at_the_top_of_the_content_folder_is_warned() {
    let p = Project::example();
    p.write("content/notes.txt", "notes\n");
    let run = p.run(&["build", "--no-pdf"]);
    assert_ok(&run);
    assert!(
        run.stderr.contains("content/notes.txt:1:1: warning:"),
        "{}",
        run.stderr
    );
}

fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// Under each chart of an update page: the download line, the iframe code
/// (escaped as text, so the link checker and the browser do not take it
/// for markup); beside the chart its PNG, SVG and CSV of exactly the
/// charted figures; and its embed page, linked back to the update.
#[test]
fn chart_press_kit_links_files_and_embeds() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let dir = "output/regions/languedoc-roussillon/2020-05-14";
    let html = p.read(PAGE);
    for id in ["traffic", "telework", "shops", "online"] {
        assert!(
            html.contains(&format!(
                "Télécharger\u{a0}: <a href=\"{id}.png\" download>PNG</a> · <a href=\"{id}.svg\" download>SVG</a> · <a href=\"{id}.csv\" download>données (CSV)</a>"
            )),
            "{id}: no download line"
        );
        for ext in ["png", "svg", "csv"] {
            assert!(p.path(&format!("{dir}/{id}.{ext}")).is_file(), "{id}.{ext}");
        }
        // Absolute: the example sets `base_url`.
        let code = format!("/regions/languedoc-roussillon/2020-05-14/embed/{id}.html\" title=\"");
        let text = unescape(&html);
        assert!(
            text.contains("<iframe src=\"https://") && text.contains(&code),
            "{id}: no iframe code"
        );
        assert!(
            !html.contains("<iframe"),
            "the iframe code is text, not markup"
        );
        let embed = p.read(&format!("{dir}/embed/{id}.html"));
        assert!(embed.contains(&format!("aria-labelledby=\"{id}-title {id}-desc\"")));
        assert!(embed.contains(
            "<a href=\"../index.html\" target=\"_top\">Voir le point de situation complet</a>"
        ));
        assert!(embed.contains("<time datetime=\"2020-05-14\">14 mai 2020</time>"));
        assert!(embed.contains(&format!(
            "<a href=\"../{id}.csv\" download>données (CSV)</a>"
        )));
        assert!(embed.contains("href=\"../../../../assets/style.css\""));
    }
    // The CSV holds the figures of the chart's data table, raw.
    let csv = p.read(&format!("{dir}/traffic.csv"));
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        rows.headers().unwrap().iter().collect::<Vec<_>>(),
        ["Indicateur", "Valeur"]
    );
    let rows: Vec<(String, String)> = rows
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].to_string())
        })
        .collect();
    assert!(rows.len() >= 3, "{rows:?}");
    for (label, value) in &rows {
        let shown = format!(
            "<th scope=\"row\">{label}</th><td>×{}</td>",
            value.replace('.', ",")
        );
        assert!(
            html.contains(&shown),
            "{label},{value} is not a charted figure ({shown})"
        );
    }
    assert_eq!(
        p.read(&format!("{dir}/telework.csv"))
            .lines()
            .nth(1)
            .unwrap()
            .split(',')
            .nth(1),
        Some("90")
    );
    // In English, the same line in English words.
    let en = Project::from(&repo().join("tests/fixtures/bilingual"));
    assert_ok(&en.run(&["build", "--no-pdf"]));
    let page = en.read("output/en/regions/languedoc-roussillon/2020-05-14/index.html");
    assert!(
        page.contains("Download: <a href=\"traffic.png\" download>PNG</a>"),
        "no English download line"
    );
    assert!(page.contains("Embed this chart"));
}

/// A `base_url` whose scheme is in capitals (`HTTPS://`, the same
/// address) is published in lower case, as feed readers and share tags
/// expect; the rest of the address is kept as written.
#[test]
fn a_base_url_in_capitals_is_published_in_lower_case() {
    let p = Project::example();
    let site = p.read("content/site.yaml");
    assert!(site.contains("base_url: https://example.org/relance/"));
    p.write(
        "content/site.yaml",
        site.replace(
            "base_url: https://example.org/relance/",
            "base_url: HTTPS://example.org/Relance/",
        ),
    );
    assert_ok(&p.run(&["build", "--no-pdf"]));
    for file in ["output/feed.xml", "output/sitemap.xml", PAGE] {
        let text = p.read(file);
        assert!(text.contains("https://example.org/Relance/"), "{file}");
        assert!(!text.contains("HTTPS://"), "{file}");
    }
}
