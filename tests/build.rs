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
    assert!(!html.contains("<script"), "pages need no script");
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
    assert_ok(&p.build());
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
    assert_ok(&p.build());
    for (path, bytes) in p.snapshot("output") {
        if path.ends_with(".pdf") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("<script"), "{path}: script survived");
        assert!(!text.contains("onerror"), "{path}: event handler survived");
        assert!(
            !text.contains("javascript:"),
            "{path}: javascript: link survived"
        );
    }
    assert!(
        p.read(PAGE).contains("<strong>réseau 4G</strong>"),
        "ordinary Markdown still renders"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let a = Project::multi();
    let b = Project::multi();
    assert_ok(&a.build());
    assert_ok(&b.build());
    let (sa, sb) = (a.snapshot("output"), b.snapshot("output"));
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (k, v) in &sa {
        assert!(v == &sb[k], "{k} differs between two builds");
    }
}

#[test]
fn rebuild_without_changes_rewrites_nothing() {
    let p = Project::example();
    assert_ok(&p.build());
    let again = p.build();
    assert_ok(&again);
    assert!(again.stderr.contains("0 changed"), "{}", again.stderr);
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

#[test]
fn report_file_describes_the_build() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf", "--report", "report.json"]));
    let v: serde_json::Value = serde_json::from_str(&p.read("report.json")).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["regions"], 1);
    assert_eq!(v["updates"], 1);
    assert!(v["times"]["total_ms"].as_f64().is_some());
    p.edit(UPDATE, "percent: 90", "percent: 190");
    let run = p.run(&["build", "--no-pdf", "--report", "report.json"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&p.read("report.json")).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["errors"], 1);
    assert_eq!(v["diagnostics"][0]["line"], 17);
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
