//! A site in two languages (`tests/fixtures/bilingual`: `languages: [fr,
//! en]`): both trees built and checked with readers of the tests' own
//! (html5ever, url): hreflang pairs valid both ways, switcher links that
//! resolve, figures formatted per language, fallbacks marked and warned,
//! feeds, sitemap, open data, PDFs and briefs per language.

mod common;
use common::*;

use std::collections::BTreeMap;

const BASE: &str = "https://example.org/relance/";
const UPDATE: &str = "regions/languedoc-roussillon/2020-05-14/index.html";
const FACTS: &str = "content/regions/languedoc-roussillon/2020-05-14.yaml";

fn bilingual() -> Project {
    Project::from(&repo().join("tests/fixtures/bilingual"))
}

/// Every start tag of `html`; the page must parse without error.
fn tags(html: &str) -> Vec<Tag> {
    let (tags, errors) = html_tags(html);
    assert!(errors.is_empty(), "HTML parse errors: {errors:?}");
    tags
}

/// The site path an `href` of the page at `page` leads to (absolute
/// addresses under the site's base_url included).
fn resolve(page: &str, href: &str) -> String {
    let site = url::Url::parse(BASE).unwrap();
    let target = site.join(page).unwrap().join(href).unwrap();
    target
        .as_str()
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{page}: {href} leaves the site"))
        .to_string()
}

/// Each language's version of `page` as its `<link rel=alternate
/// hreflang>` say, resolved to site paths.
fn alternates(page: &str, html: &str) -> BTreeMap<String, String> {
    tags(html)
        .iter()
        .filter(|t| t.name == "link" && t.attr("rel") == Some("alternate"))
        .filter_map(|t| Some((t.attr("hreflang")?.to_string(), t.attr("href")?.to_string())))
        .map(|(lang, href)| (lang, resolve(page, &href)))
        .collect()
}

fn pages(site: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    site.keys()
        .filter(|k| k.ends_with(".html"))
        .cloned()
        .collect()
}

fn html(site: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(site[path].clone()).unwrap()
}

#[test]
fn both_trees_mirror_each_other() {
    let p = bilingual();
    assert_ok(&p.build());
    let site = p.snapshot("output");
    let root: Vec<&String> = site
        .keys()
        .filter(|k| !k.starts_with("en/") && !k.starts_with(".relance") && *k != "sitemap.xml")
        .collect();
    assert!(root.len() > 20, "{root:?}");
    for path in root {
        assert!(site.contains_key(&format!("en/{path}")), "no en/{path}");
    }
    assert!(
        !site.contains_key("en/sitemap.xml"),
        "one sitemap, at the root"
    );
    assert!(
        !site.contains_key("fr/index.html"),
        "the default language is the root"
    );
    // No language mark leaks into any file.
    for (path, bytes) in &site {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains(['\u{E000}', '\u{E001}', '\u{E002}']),
            "{path} holds a language mark"
        );
    }
}

#[test]
fn hreflang_pairs_are_valid_both_ways() {
    let p = bilingual();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let site = p.snapshot("output");
    let all = pages(&site);
    assert!(all.len() >= 8, "{all:?}");
    for page in &all {
        let alt = alternates(page, &html(&site, page));
        let default = page.strip_prefix("en/").unwrap_or(page).to_string();
        let en = format!("en/{default}");
        let expected: BTreeMap<String, String> = [
            ("en".to_string(), en.clone()),
            ("fr".to_string(), default.clone()),
            ("x-default".to_string(), default.clone()),
        ]
        .into();
        assert_eq!(alt, expected, "{page}");
        // Each alternate exists and names this page back.
        for target in alt.values() {
            assert!(site.contains_key(target), "{page}: {target} does not exist");
            let back = alternates(target, &html(&site, target));
            assert!(
                back.values().any(|v| v == page),
                "{target} does not link back to {page}"
            );
        }
    }
}

#[test]
fn the_language_switcher_leads_to_the_same_page() {
    let p = bilingual();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let site = p.snapshot("output");
    for page in pages(&site) {
        let found = tags(&html(&site, &page));
        let links: Vec<(String, String)> = found
            .iter()
            .filter(|t| t.name == "a" && t.attr("hreflang").is_some())
            .map(|t| {
                (
                    t.attr("hreflang").unwrap().into(),
                    t.attr("href").unwrap().into(),
                )
            })
            .collect();
        assert_eq!(links.len(), 1, "{page}: one link to the other language");
        let (lang, href) = &links[0];
        assert!(
            !href.starts_with("http"),
            "{page}: switcher links are relative"
        );
        let target = resolve(&page, href);
        assert!(
            site.contains_key(&target),
            "{page}: {href} → {target} missing"
        );
        let same = page.strip_prefix("en/").unwrap_or(&page);
        let expected = if lang == "en" {
            format!("en/{same}")
        } else {
            same.to_string()
        };
        assert_eq!(target, expected, "{page}");
        let current = found
            .iter()
            .filter(|t| t.attr("aria-current") == Some("true"))
            .filter_map(|t| t.attr("lang"))
            .collect::<Vec<_>>();
        let here = if page.starts_with("en/") { "en" } else { "fr" };
        assert_eq!(current, [here], "{page}");
    }
    assert!(html(&site, "index.html").contains("<html lang=\"fr\">"));
    assert!(html(&site, "en/index.html").contains("<html lang=\"en\">"));
}

#[test]
fn figures_are_formatted_for_each_language() {
    let p = bilingual();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let fr = p.read(&format!("output/{UPDATE}"));
    let en = p.read(&format!("output/en/{UPDATE}"));
    for part in [
        "90\u{202F}%",
        "×2,5",
        "12\u{202F}500",
        "14 mai 2020",
        "Chiffres clés",
    ] {
        assert!(fr.contains(part), "fr: {part:?}");
        assert!(!en.contains(part), "en: {part:?}");
    }
    for part in ["90%", "2.5×", "12,500", "14 May 2020", "Key figures"] {
        assert!(en.contains(part), "en: {part:?}");
    }
    assert!(fr.contains("<h1>Les réseaux ont tenu malgré un trafic exceptionnel</h1>"));
    assert!(en.contains("<h1>Networks held despite exceptional traffic</h1>"));
    // A plain string is the same in every language and is not marked.
    assert!(en.contains("<li>EHPAD</li>"), "{en}");
}

#[test]
fn a_missing_translation_falls_back_marked_and_warned() {
    let p = bilingual();
    let run = p.run(&["build", "--no-pdf"]);
    assert_ok(&run);
    let en = p.read(&format!("output/en/{UPDATE}"));
    assert!(
        en.contains("<span lang=\"fr\">Prise de rendez-vous en ligne sur orange.fr</span>"),
        "{en}"
    );
    let fr = p.read(&format!("output/{UPDATE}"));
    // (The switcher's current language is `<span lang="fr" aria-current…>`.)
    assert!(
        !fr.contains("<span lang=\"en\">") && !fr.contains("<span lang=\"fr\">"),
        "nothing falls back in French"
    );
    let older = p.read("output/en/regions/languedoc-roussillon/2020-05-07/index.html");
    assert!(
        older.contains("<section class=\"narrative\" lang=\"fr\">"),
        "{older}"
    );
    assert!(
        run.stderr.contains(&format!(
            "{FACTS}:40:12: warning: `shops.booking` has no `en` text; the `fr` text is shown instead"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("2020-05-07.md:1:1: warning: `narrative` has no `en` text"),
        "{}",
        run.stderr
    );
    let denied = p.run(&["build", "--no-pdf", "--deny-warnings"]);
    assert_eq!(denied.code, 1, "{}", denied.stderr);
    // Complete the translations: no warning left.
    p.edit(
        FACTS,
        "booking: {fr: Prise de rendez-vous en ligne sur orange.fr}",
        "booking: {fr: Prise de rendez-vous en ligne sur orange.fr, en: Online booking on orange.fr}",
    );
    p.write(
        "content/regions/languedoc-roussillon/2020-05-07.en.md",
        "Traffic **doubled** in a week.\n",
    );
    let clean = p.run(&["build", "--no-pdf", "--deny-warnings"]);
    assert_ok(&clean);
    assert!(
        !p.read(&format!("output/en/{UPDATE}"))
            .contains("<span lang=\"fr\">")
    );
}

/// Every `/Lang(..)` of a PDF's structure tree, its streams inflated.
fn pdf_languages(pdf: &[u8]) -> Vec<String> {
    use std::io::Read;
    let mut text = String::from_utf8_lossy(pdf).into_owned();
    let mut rest = pdf;
    while let Some(i) = find(rest, b"stream") {
        rest = &rest[i + 6..];
        let body = rest
            .strip_prefix(b"\r\n")
            .or(rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
        let mut inflated = Vec::new();
        if flate2::read::ZlibDecoder::new(body)
            .read_to_end(&mut inflated)
            .is_ok()
        {
            text.push_str(&String::from_utf8_lossy(&inflated));
        }
    }
    text.split("/Lang")
        .skip(1)
        .filter_map(|s| s.trim_start().strip_prefix('('))
        .filter_map(|s| s.split(')').next())
        .map(str::to_string)
        .collect()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn a_fallback_is_marked_with_its_language_in_pdfs() {
    let p = bilingual();
    assert_ok(&p.run(&["build"]));
    let dir = "regions/languedoc-roussillon/2020-05-14";
    let report = |root: &str| {
        std::fs::read(p.path(&format!(
            "output/{root}{dir}/languedoc-roussillon-2020-05-14.pdf"
        )))
        .unwrap()
    };
    // The English report shows the French booking text, tagged French.
    let en = pdf_languages(&report("en/"));
    assert!(en.iter().any(|l| l == "en"), "{en:?}");
    assert!(
        en.iter().any(|l| l == "fr"),
        "the fallback is tagged fr: {en:?}"
    );
    let fr = pdf_languages(&report(""));
    assert!(
        !fr.iter().any(|l| l == "en"),
        "nothing falls back in French: {fr:?}"
    );
    // The marks themselves never reach a reader.
    let out = std::process::Command::new("pdftotext")
        .arg(p.path(&format!(
            "output/en/{dir}/languedoc-roussillon-2020-05-14.pdf"
        )))
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Prise de rendez-vous"), "{text}");
    assert!(
        !text.contains(['\u{E000}', '\u{E001}', '\u{E002}']),
        "{text}"
    );
}

#[test]
fn briefs_feeds_sitemap_and_open_data_exist_per_language() {
    let p = bilingual();
    assert_ok(&p.build());
    let fr = p.run(&["brief", "languedoc-roussillon"]);
    let en = p.run(&["brief", "languedoc-roussillon", "--lang", "en"]);
    assert_ok(&en);
    assert!(
        fr.stdout
            .contains("Les réseaux ont tenu malgré un trafic exceptionnel")
    );
    assert!(
        en.stdout
            .contains("Networks held despite exceptional traffic")
    );
    assert!(
        en.stdout
            .contains("90% of staff worked remotely, except field technicians.")
    );
    assert!(
        en.stdout
            .contains("Booking: prise de rendez-vous en ligne sur orange.fr.")
    );
    assert_eq!(
        p.read("output/en/regions/languedoc-roussillon/2020-05-14/brief.txt"),
        en.stdout
    );
    let words = p.run(&["brief", "languedoc-roussillon", "--lang", "en", "--words"]);
    assert!(
        words.stdout.contains("Ninety percent of staff"),
        "{}",
        words.stdout
    );
    let es = p.run(&["brief", "languedoc-roussillon", "--lang", "es"]);
    assert_eq!(es.code, 2, "{}", es.stderr);
    assert!(es.stderr.contains("not published in `es`"), "{}", es.stderr);
    assert_eq!(
        p.run(&["brief", "languedoc-roussillon", "--lang", "xx"])
            .code,
        2
    );

    let feed = p.read("output/en/feed.xml");
    assert!(feed.contains("xml:lang=\"en\""));
    assert!(feed.contains(&format!("{BASE}en/{UPDATE}")), "{feed}");
    assert!(feed.contains("Networks held despite exceptional traffic"));
    assert!(p.read("output/feed.xml").contains("xml:lang=\"fr\""));

    let sitemap = p.read("output/sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let urls: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .collect();
    assert_eq!(
        urls.len(),
        2 * (1 + 1 + 1 + 2),
        "overview, corrections, region, 2 updates, in 2 languages"
    );
    for url in urls {
        let alts: Vec<&str> = url
            .children()
            .filter(|n| n.has_tag_name("link"))
            .filter_map(|n| n.attribute("hreflang"))
            .collect();
        assert_eq!(alts, ["fr", "en", "x-default"]);
    }

    let csv_en = p.read("output/en/data/updates.csv");
    assert!(csv_en.contains("Networks held despite exceptional traffic"));
    let csv_fr = p.read("output/data/updates.csv");
    assert!(csv_fr.contains("Les réseaux ont tenu malgré un trafic exceptionnel"));
    let pdf = std::process::Command::new("pdftotext")
        .args([
            p.path("output/en/regions/languedoc-roussillon/2020-05-14/languedoc-roussillon-2020-05-14.pdf")
                .to_str()
                .unwrap(),
            "-",
        ])
        .output()
        .expect("pdftotext is needed (apt-get install poppler-utils)");
    let text = String::from_utf8_lossy(&pdf.stdout);
    assert!(
        text.contains("Networks held despite exceptional traffic"),
        "{text}"
    );
    assert!(
        text.contains("Key figures") || text.contains("90%"),
        "{text}"
    );
}

#[test]
fn check_reports_the_same_as_build_and_builds_are_identical() {
    let p = bilingual();
    let check = p.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(
        check.stderr.matches("missing-translation").count()
            + check.stderr.matches("has no `en` text").count(),
        2,
        "{}",
        check.stderr
    );
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let first = p.snapshot("output");
    std::fs::remove_dir_all(p.path("output")).unwrap();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert_eq!(first, p.snapshot("output"), "same content, same bytes");
}

#[test]
fn an_untranslated_narrative_keeps_its_language_in_the_pdf() {
    let p = bilingual();
    assert_ok(&p.build());
    let dir = "output/en/regions/languedoc-roussillon";
    let read = |rel: &str| std::fs::read(p.path(&format!("{dir}/{rel}"))).unwrap();
    let langs = |pdf: &[u8]| {
        let text = String::from_utf8_lossy(pdf);
        let mut found: Vec<String> = text
            .match_indices("/Lang(")
            .map(|(i, _)| text[i + 6..].chars().take_while(|c| *c != ')').collect())
            .collect();
        found.sort();
        found.dedup();
        found
    };
    // 7 May has only the French narrative: the English report says so.
    assert_eq!(
        langs(&read("2020-05-07/languedoc-roussillon-2020-05-07.pdf")),
        ["en", "fr"]
    );
    // 14 May is translated: English throughout.
    assert_eq!(
        langs(&read("2020-05-14/languedoc-roussillon-2020-05-14.pdf")),
        ["en"]
    );
}

#[test]
fn the_preview_serves_every_language() {
    let p = bilingual();
    // Like templates/, a locales/ folder is watched when it exists at start.
    p.write("locales/en.ftl", "ui-history = History\n");
    let server = Server::start(&p, &["--no-pdf"]);
    let (status, page) = get(server.port, &format!("/en/{UPDATE}"));
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<h1>Networks held despite exceptional traffic</h1>"));
    let (status, page) = get(server.port, &format!("/{UPDATE}"));
    assert_eq!(status, 200);
    assert!(page.contains("<h1>Les réseaux ont tenu malgré un trafic exceptionnel</h1>"));
    // The default language has no folder of its own.
    assert_eq!(get(server.port, "/fr/index.html").0, 404);
    // An edited catalogue is seen by the preview.
    let before = server.generation();
    p.write("locales/en.ftl", "ui-key-figures = Figures that matter\n");
    server.wait_generation_above(before);
    let page = server.wait_for(&format!("/en/{UPDATE}"), "the edited catalogue", |b| {
        b.contains("Figures that matter")
    });
    assert!(!page.contains("Key figures"));
    server.stop();
}

#[test]
fn editing_one_language_re_renders_only_that_language() {
    let p = bilingual();
    assert_ok(&p.build_report(&["--no-pdf"]).0);
    p.edit(
        FACTS,
        "en: Networks held despite exceptional traffic",
        "en: Networks held through exceptional traffic",
    );
    let (run, report) = p.build_report(&["--no-pdf"]);
    assert_ok(&run);
    assert_eq!(
        rendered_units(&report),
        [
            "en:global",
            "en:region:languedoc-roussillon",
            "en:update:languedoc-roussillon/2020-05-14",
        ],
        "the French tree does not depend on an English text"
    );
    assert!(
        p.read(&format!("output/en/{UPDATE}"))
            .contains("held through exceptional")
    );
    // The incremental result is the clean build's.
    let incremental = p.snapshot("output");
    std::fs::remove_dir_all(p.path("output")).unwrap();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert_same_site(&incremental, &p.snapshot("output"), "incremental vs clean");
}
