//! Corrections (`corrections: [{date, note}]`) on every output: a dated
//! notice at the top of the update page, schema.org JSON-LD, the site-wide
//! corrections page (newest first, linked from every footer), the PDF
//! report and the press sheet, the brief (read first, digits and words),
//! the Atom `<updated>`, open data — in every language of the site.

mod common;
use common::*;

const PAGE: &str = "output/regions/languedoc-roussillon/2020-05-14/index.html";
const LATER: &str = "content/regions/languedoc-roussillon/2020-05-21.yaml";
const NOTE_16: &str = "18 boutiques avaient rouvert, et non 20.";
const NOTE_20: &str = "Le trafic WhatsApp a été multiplié par 5, et non 4.";
const NBSP: char = '\u{a0}';

fn corrections(list: &[(&str, &str)]) -> String {
    let mut out = String::from("corrections:\n");
    for (date, note) in list {
        out.push_str(&format!(
            "  - date: {date}\n    note: {}\n",
            serde_json::to_string(note).unwrap()
        ));
    }
    out
}

/// The example with two corrections of its update (written oldest first),
/// and a later update with one of its own.
fn corrected() -> Project {
    let p = Project::example();
    let text = p.read(UPDATE);
    let later = text.replace("date: 2020-05-14", "date: 2020-05-21")
        + &corrections(&[("2020-05-22", "Une boutique de plus.")]);
    p.write(
        UPDATE,
        text + &corrections(&[("2020-05-16", NOTE_16), ("2020-05-20", NOTE_20)]),
    );
    p.write(LATER, later);
    p
}

fn notice(date: &str, note: &str) -> String {
    format!("Correction du {date}{NBSP}: {note}")
}

/// The JSON-LD of a page, parsed.
fn json_ld(html: &str) -> serde_json::Value {
    let open = "<script type=\"application/ld+json\">";
    let start = html.find(open).expect("a JSON-LD block") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap_or_else(|e| panic!("{e}: {}", &html[start..end]))
}

#[test]
fn the_update_page_opens_with_dated_notices_and_carries_json_ld() {
    let p = corrected();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let html = p.read(PAGE);
    let (n20, n16) = (
        html.find(&notice(
            "20 mai 2020",
            "Le trafic WhatsApp a été multiplié par 5, et non 4.",
        ))
        .expect("the 20 May notice"),
        html.find(&notice("16 mai 2020", NOTE_16))
            .expect("the 16 May notice"),
    );
    assert!(n20 < n16, "newest first");
    let figures = html.find("class=\"figures\"").unwrap();
    assert!(n16 < figures, "the notices come before the figures");
    let ld = json_ld(&html);
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "Report");
    assert_eq!(ld["datePublished"], "2020-05-14");
    assert_eq!(ld["dateModified"], "2020-05-20");
    assert_eq!(ld["inLanguage"], "fr");
    let list = ld["correction"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["@type"], "CorrectionComment");
    assert_eq!(list[0]["datePublished"], "2020-05-16");
    assert_eq!(list[0]["text"], NOTE_16);
    assert_eq!(list[1]["datePublished"], "2020-05-20");
    // An update without corrections has JSON-LD without `correction`.
    let other = Project::example();
    assert_ok(&other.run(&["build", "--no-pdf"]));
    let plain = json_ld(&other.read(PAGE));
    assert_eq!(plain["@type"], "Report");
    assert!(plain.get("correction").is_none());
    assert!(!other.read(PAGE).contains("class=\"correction\""));
}

#[test]
fn a_note_cannot_break_out_of_the_json_ld_script() {
    let p = Project::example();
    let hostile = "</script><script>alert(1)</script><!-- & -->";
    p.write(
        UPDATE,
        p.read(UPDATE) + &corrections(&[("2020-05-16", hostile)]),
    );
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let html = p.read(PAGE);
    assert_eq!(executable_scripts(&html), 0, "no script but the JSON-LD");
    assert_eq!(
        html.matches("</script>").count(),
        1,
        "the JSON-LD's own end"
    );
    assert!(!html.contains("<script>alert"));
    let (_, errors) = html_tags(&html);
    assert!(errors.is_empty(), "{errors:?}");
    // The note survives intact as data.
    assert_eq!(json_ld(&html)["correction"][0]["text"], hostile);
    // And as text on the page, escaped.
    assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn the_corrections_page_lists_every_correction_newest_first() {
    let p = corrected();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let page = p.read("output/corrections/index.html");
    let at = |s: &str| {
        page.find(s)
            .unwrap_or_else(|| panic!("{s} missing:\n{page}"))
    };
    let (a, b, c) = (
        at(&notice("22 mai 2020", "Une boutique de plus.")),
        at(&notice(
            "20 mai 2020",
            "Le trafic WhatsApp a été multiplié par 5, et non 4.",
        )),
        at(&notice("16 mai 2020", NOTE_16)),
    );
    assert!(a < b && b < c, "newest first");
    // Each links to its update, and the link resolves.
    let hrefs: Vec<String> = html_tags(&page)
        .0
        .iter()
        .filter(|t| t.name == "a")
        .filter_map(|t| t.attr("href").map(str::to_string))
        .filter(|h| h.contains("regions/"))
        .collect();
    assert_eq!(
        hrefs,
        [
            "../regions/languedoc-roussillon/2020-05-21/index.html",
            "../regions/languedoc-roussillon/2020-05-14/index.html",
            "../regions/languedoc-roussillon/2020-05-14/index.html",
        ]
    );
    for h in &hrefs {
        assert!(p.path(&format!("output/corrections/{h}")).is_file(), "{h}");
    }
    // Without corrections, the page says so.
    let none = Project::example();
    assert_ok(&none.run(&["build", "--no-pdf"]));
    assert!(
        none.read("output/corrections/index.html")
            .contains("Aucune correction publiée.")
    );
}

#[test]
fn every_page_footer_links_to_the_corrections_page() {
    let p = corrected();
    // The build checks every link: the footer's resolve.
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let site = p.snapshot("output");
    // Every page but the charts' embed pages, which carry the chart alone
    // and a link to their update.
    let pages: Vec<&String> = site
        .keys()
        .filter(|k| k.ends_with(".html") && !k.contains("/embed/"))
        .collect();
    assert!(pages.len() >= 5, "{pages:?}");
    for page in pages {
        let html = String::from_utf8_lossy(&site[page]);
        let footer = &html[html.find("<footer class=\"wrap site-footer\">").unwrap()..];
        let depth = page.matches('/').count();
        let href = format!("{}corrections/index.html", "../".repeat(depth));
        assert!(
            footer.contains(&format!("<a href=\"{href}\">Corrections</a>")),
            "{page}: no footer link to {href}"
        );
    }
}

#[test]
fn feeds_and_sitemap_date_an_update_by_its_latest_correction() {
    let p = corrected();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let feed = p.read("output/regions/languedoc-roussillon/feed.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let entries: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            let child = |name: &str| {
                e.children()
                    .find(|c| c.has_tag_name(name))
                    .and_then(|c| c.text().or_else(|| c.attribute("href")))
                    .unwrap()
                    .to_string()
            };
            (child("link"), child("updated"))
        })
        .collect();
    let updated = |date: &str| {
        entries
            .iter()
            .find(|(link, _)| link.contains(date))
            .map(|(_, u)| u.clone())
            .unwrap()
    };
    assert_eq!(updated("2020-05-14"), "2020-05-20T00:00:00Z");
    assert_eq!(updated("2020-05-21"), "2020-05-22T00:00:00Z");
    let feed_updated = doc
        .root_element()
        .children()
        .find(|c| c.has_tag_name("updated"))
        .and_then(|c| c.text())
        .unwrap();
    assert_eq!(feed_updated, "2020-05-22T00:00:00Z");
    let sitemap = p.read("output/sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://example.org/relance/regions/languedoc-roussillon/2020-05-14/index.html</loc><lastmod>2020-05-20</lastmod>"
    ));
    assert!(sitemap.contains(
        "<loc>https://example.org/relance/corrections/index.html</loc><lastmod>2020-05-22</lastmod>"
    ));
}

#[test]
fn open_data_holds_the_corrections() {
    let p = corrected();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let json: serde_json::Value =
        serde_json::from_str(&p.read("output/data/updates.json")).unwrap();
    let record = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["date"] == "2020-05-14")
        .unwrap();
    assert_eq!(record["corrections"][0]["date"], "2020-05-16");
    assert_eq!(record["corrections"][0]["note"], NOTE_16);
    assert_eq!(record["corrections"][1]["date"], "2020-05-20");
    let facts: serde_json::Value =
        serde_json::from_str(&p.read("output/regions/languedoc-roussillon/2020-05-14/facts.json"))
            .unwrap();
    assert_eq!(&facts, record);
    let text = p.read("output/data/updates.csv");
    let mut csv = csv::Reader::from_reader(text.as_bytes());
    let header = csv.headers().unwrap().clone();
    let col = header.iter().position(|h| h == "corrections").unwrap();
    let v1_last = header.iter().position(|h| h == "speaker_name").unwrap();
    assert_eq!(col, v1_last + 1, "appended after the v1 columns");
    let row = csv
        .records()
        .map(Result::unwrap)
        .find(|r| &r[2] == "2020-05-14")
        .unwrap();
    assert_eq!(
        &row[col],
        format!("2020-05-16: {NOTE_16}; 2020-05-20: {NOTE_20}")
    );
}

#[test]
fn the_brief_reads_the_corrections_first() {
    let p = corrected();
    let brief = |words: bool| {
        let mut args = vec!["brief", "languedoc-roussillon", "--date", "2020-05-14"];
        if words {
            args.push("--words");
        }
        let run = p.run(&args);
        assert_ok(&run);
        run.stdout
    };
    let digits = brief(false);
    let body: Vec<&str> = digits.split("\n\n").collect();
    assert_eq!(
        body[1],
        format!(
            "{}\n{}",
            notice("20 mai 2020", NOTE_20),
            notice("16 mai 2020", NOTE_16)
        ),
        "{digits}"
    );
    assert!(body[2].starts_with("90"), "the figures follow: {digits}");
    let words = brief(true);
    assert!(
        words.contains(&notice("vingt mai deux mille vingt", NOTE_20)),
        "{words}"
    );
    let published = p.path("output");
    assert!(!published.exists());
    // brief.txt in the site is the same script.
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert_eq!(
        p.read("output/regions/languedoc-roussillon/2020-05-14/brief.txt"),
        digits
    );
    let json = p.run(&[
        "brief",
        "languedoc-roussillon",
        "--date",
        "2020-05-14",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["corrections"][0]["topic"], "correction");
    assert_eq!(v["corrections"][1]["text"], notice("16 mai 2020", NOTE_16));
}

#[test]
fn pdfs_carry_the_corrections() {
    let p = corrected();
    assert_ok(&p.run(&["build"]));
    let dir = "output/regions/languedoc-roussillon/2020-05-14";
    for pdf in [
        "languedoc-roussillon-2020-05-14.pdf",
        "languedoc-roussillon-2020-05-14-press.pdf",
    ] {
        let path = p.path(&format!("{dir}/{pdf}"));
        let out = std::process::Command::new("pdftotext")
            .args([path.to_str().unwrap(), "-"])
            .output()
            .expect("pdftotext (apt-get install poppler-utils)");
        let text = String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for n in [
            "Correction du 16 mai 2020 : 18 boutiques avaient rouvert, et non 20.",
            "Correction du 20 mai 2020 : Le trafic WhatsApp a été multiplié par 5, et non 4.",
        ] {
            assert!(text.contains(n), "{pdf} lacks {n:?}:\n{text}");
        }
        let info = std::process::Command::new("pdfinfo")
            .arg(&path)
            .output()
            .unwrap();
        let info = String::from_utf8_lossy(&info.stdout);
        if pdf.ends_with("-press.pdf") {
            assert!(
                info.contains("Pages:           1"),
                "press sheet stays one page:\n{info}"
            );
        }
    }
}

#[test]
fn corrections_are_published_in_every_language() {
    let p = Project::from(&repo().join("tests/fixtures/bilingual"));
    let update = "content/regions/languedoc-roussillon/2020-05-14.yaml";
    p.write(
        update,
        p.read(update)
            + "corrections:\n  - date: 2020-05-16\n    note:\n      fr: 18 boutiques avaient rouvert, et non 20.\n      en: 18 shops had reopened, not 20.\n",
    );
    assert_ok(&p.run(&["build"]));
    let fr = p.read(PAGE);
    assert!(fr.contains(&notice("16 mai 2020", NOTE_16)));
    let en = p.read("output/en/regions/languedoc-roussillon/2020-05-14/index.html");
    let en_notice = "Correction of 16 May 2020: 18 shops had reopened, not 20.";
    assert!(en.contains(en_notice), "{en}");
    assert_eq!(
        json_ld(&en)["correction"][0]["text"],
        "18 shops had reopened, not 20."
    );
    assert_eq!(json_ld(&en)["inLanguage"], "en");
    assert!(
        p.read("output/en/corrections/index.html")
            .contains(en_notice)
    );
    assert!(en.contains("<a href=\"../../../corrections/index.html\">Corrections</a>"));
    let brief = p.run(&["brief", "languedoc-roussillon", "--lang", "en"]);
    assert!(brief.stdout.contains(en_notice), "{}", brief.stdout);
    let en_press = p.path(
        "output/en/regions/languedoc-roussillon/2020-05-14/languedoc-roussillon-2020-05-14-press.pdf",
    );
    let out = std::process::Command::new("pdftotext")
        .args([en_press.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains(en_notice), "{text}");
    assert!(
        p.read("output/en/data/updates.csv")
            .contains("2020-05-16: 18 shops had reopened, not 20.")
    );
}

#[test]
fn spanish_notice() {
    let p = Project::from(&repo().join("tests/fixtures/es"));
    let update = "content/regions/andalucia/2020-05-14.yaml";
    p.write(
        update,
        p.read(update) + &corrections(&[("2020-05-16", "Eran 20 tiendas, no 21.")]),
    );
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let page = p.read("output/regions/andalucia/2020-05-14/index.html");
    assert!(
        page.contains("Corrección del 16 de mayo de 2020: Eran 20 tiendas, no 21."),
        "{page}"
    );
    assert!(
        p.read("output/corrections/index.html")
            .contains("Correcciones")
    );
}

#[test]
fn an_overriding_base_template_from_before_corrections_still_builds() {
    let p = corrected();
    let base = std::fs::read_to_string(repo().join("templates/base.html")).unwrap();
    let link = " · <a href=\"{{ root }}corrections/index.html\">{{ t.corrections }}</a>";
    assert!(base.contains(link));
    p.write("templates/base.html", base.replace(link, ""));
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let html = p.read(PAGE);
    assert!(
        !html.contains("corrections/index.html"),
        "the override is used"
    );
    assert_eq!(json_ld(&html)["correction"][0]["text"], NOTE_16);
    assert!(html.contains(&notice("16 mai 2020", NOTE_16)));
}
