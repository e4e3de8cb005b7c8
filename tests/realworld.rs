//! Real-world-shaped statements (tests/fixtures/realworld: several regions,
//! French first, English and Spanish too), built with the real binary and
//! read back: pages, briefs, charts, PDFs and open data.

mod common;
use common::*;
use std::sync::OnceLock;

/// The fixture, built once with its PDFs.
fn site() -> &'static Project {
    static SITE: OnceLock<Project> = OnceLock::new();
    SITE.get_or_init(|| {
        let p = Project::from(&repo().join("tests/fixtures/realworld"));
        assert_ok(&p.build());
        p
    })
}

fn brief(region: &str, date: &str, lang: &str, words: bool) -> String {
    let mut args = vec!["brief", region, "--date", date, "--lang", lang];
    if words {
        args.push("--words");
    }
    let run = site().run(&args);
    assert_ok(&run);
    plain(&run.stdout)
}

/// Non-breaking spaces as plain spaces, for reading text back.
fn plain(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
}

fn pdf_text(rel: &str) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(site().path(rel))
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success(), "{rel}");
    plain(&String::from_utf8_lossy(&out.stdout))
}

/// Every brief of the fixture, in every language, digits and words.
fn every_brief() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (region, date) in UPDATES {
        for lang in ["fr", "en", "es"] {
            for words in [false, true] {
                let name = format!("{region} {date} {lang} words={words}");
                out.push((name, brief(region, date, lang, words)));
            }
        }
    }
    out
}

const UPDATES: &[(&str, &str)] = &[
    ("occitanie-est", "2020-04-28"),
    ("occitanie-est", "2020-05-12"),
    ("grand-ouest", "2020-05-07"),
    ("sud-ouest", "2020-05-05"),
];

/// Every page and PDF text of the fixture's updates.
fn every_page() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (region, date) in UPDATES {
        for prefix in ["", "en/", "es/"] {
            let rel = format!("output/{prefix}regions/{region}/{date}/index.html");
            out.push((rel.clone(), plain(&site().read(&rel))));
        }
        for name in [
            format!("{region}-{date}.pdf"),
            format!("{region}-{date}-press.pdf"),
        ] {
            let rel = find_file(&site().path("output"), &name);
            out.push((rel.clone(), pdf_text(&rel)));
        }
    }
    out
}

/// The path (relative to the project) of the first file called `name`
/// under `dir`, in the default language's tree.
fn find_file(dir: &std::path::Path, name: &str) -> String {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for e in entries {
            if e.is_dir() && !e.ends_with("en") && !e.ends_with("es") {
                stack.push(e);
            } else if e.file_name().is_some_and(|n| n == name) {
                return e
                    .strip_prefix(site().path(""))
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
            }
        }
    }
    panic!("no {name} under {}", dir.display())
}

#[test]
fn decreases_are_worded_as_decreases() {
    let fr = brief("occitanie-est", "2020-04-28", "fr", false);
    assert!(fr.contains("Le trafic SMS est en baisse de 5 %."), "{fr}");
    assert!(
        fr.contains("est en baisse de 40 %."),
        "a factor of 0.6: {fr}"
    );
    assert!(fr.contains("est en hausse de 35 %."), "{fr}");
    assert!(fr.contains("a été multiplié par environ 7."), "{fr}");
    let en = brief("grand-ouest", "2020-05-07", "en", true);
    assert!(
        en.contains("Voice traffic was down twelve point five percent."),
        "{en}"
    );
    assert!(en.contains("traffic was unchanged."), "{en}");
    let es = brief("grand-ouest", "2020-05-07", "es", false);
    assert!(es.contains("ha bajado un 12,5 %"), "{es}");
    let page = plain(&site().read("output/regions/occitanie-est/2020-04-28/index.html"));
    for shown in [
        "<strong>−5 %</strong> SMS",
        "<strong>+35 %</strong> Voix sur mobile",
        "<strong>−40 %</strong> Itinérance",
    ] {
        assert!(page.contains(shown), "{shown} in the page");
    }
    let svg = site().read("output/en/regions/grand-ouest/2020-05-07/traffic.svg");
    assert!(svg.contains("Traffic change"), "{svg}");
    assert!(svg.contains("down 12.5% for voice traffic"), "{svg}");
}

#[test]
fn no_brief_or_page_multiplies_by_less_than_one() {
    let bad = [
        "multiplié par 0",
        "multiplied by 0",
        "multiplicado por 0",
        "×0,",
        "×0.",
        "0.6 times",
        "zéro virgule",
        "zero point",
        "cero coma",
    ];
    for (name, text) in every_brief().into_iter().chain(every_page()) {
        for b in bad {
            assert!(!text.contains(b), "{name} contains {b:?}:\n{text}");
        }
    }
}

#[test]
fn open_data_keeps_changes_as_given() {
    let csv = site().read("output/data/updates.csv");
    assert!(
        csv.contains(
            "Voix sur mobile=35%; SMS=-5%; Données mobiles=35..60%; Visioconférence=~7; Itinérance=0.6"
        ),
        "{csv}"
    );
    let json = site().read("output/data/updates.json");
    assert!(json.contains("\"change_percent\": -5"), "{json}");
}

/// A baseline written with its article ("le début du confinement") reads
/// "au début", "al inicio": the preposition merges with the article, in
/// briefs (digits and words) and chart descriptions.
#[test]
fn prepositions_merge_with_the_baselines_article() {
    for words in [false, true] {
        let fr = brief("occitanie-est", "2020-04-28", "fr", words);
        assert!(fr.contains("Par rapport au début du confinement"), "{fr}");
        let es = brief("occitanie-est", "2020-04-28", "es", words);
        assert!(es.contains("Respecto al inicio del confinamiento"), "{es}");
    }
    let svg = site().read("output/regions/occitanie-est/2020-04-28/traffic.svg");
    assert!(svg.contains("par rapport au début du confinement"), "{svg}");
    for (name, text) in every_brief() {
        for wrong in ["à le ", "à les ", " de le ", " a el ", " de el "] {
            assert!(!text.contains(wrong), "{wrong:?} in {name}:\n{text}");
        }
    }
}

/// A label or text that starts with the word the sentence puts before it
/// ("Trafic voix", "les techniciens") does not get it twice.
#[test]
fn no_word_is_said_twice() {
    let fr = brief("grand-ouest", "2020-05-07", "fr", false);
    assert!(fr.contains("Le trafic voix "), "{fr}");
    let fr = brief("occitanie-est", "2020-05-12", "fr", false);
    assert!(fr.contains("sauf les techniciens d'intervention."), "{fr}");
    for (name, text) in every_brief() {
        let lower = text.to_lowercase();
        for twice in [
            "les les ",
            "trafic trafic",
            "tráfico de tráfico",
            "the the ",
        ] {
            assert!(!lower.contains(twice), "{twice:?} in {name}:\n{text}");
        }
    }
}

/// CLDR's grouping: French and English group a four-digit figure
/// (1 800, 1,800), Spanish from five digits (1800, 12.500).
#[test]
fn four_digit_figures_are_grouped_as_each_language_does() {
    let brief_of = |lang| brief("occitanie-est", "2020-05-12", lang, false);
    let (fr, en, es) = (brief_of("fr"), brief_of("en"), brief_of("es"));
    assert!(fr.contains("1 200") && fr.contains("1 800"), "{fr}");
    assert!(en.contains("1,200") && en.contains("1,800"), "{en}");
    assert!(es.contains("1200") && es.contains("1800"), "{es}");
    let page = plain(&site().read("output/regions/occitanie-est/2020-05-12/index.html"));
    assert!(
        page.contains("2 500"),
        "indicator value grouped in the page"
    );
}

/// Telework given as counts (750 of 1 800) is shown as counts with the
/// share they make, in every language, on pages, PDFs and briefs.
#[test]
fn telework_counts_are_shown_with_their_share() {
    let page = |prefix: &str| {
        plain(&site().read(&format!(
            "output/{prefix}regions/occitanie-est/2020-04-28/index.html"
        )))
    };
    assert!(page("").contains("750 salariés sur 1 800, soit 41,7 %"));
    assert!(page("en/").contains("750 of 1,800 staff, or 41.7%"));
    assert!(page("es/").contains("750 empleados de 1800, es decir, el 41,7 %"));
    assert!(page("").contains("Périmètre : tous les salariés de la région"));
    let pdf = pdf_text(&find_file(
        &site().path("output"),
        "occitanie-est-2020-04-28.pdf",
    ));
    assert!(pdf.contains("750 salariés sur 1 800, soit 41,7 %"), "{pdf}");
    let fr = brief("occitanie-est", "2020-04-28", "fr", false);
    assert!(
        fr.contains("750 salariés sur 1 800 ont travaillé à distance, soit 41,7 %."),
        "{fr}"
    );
    let en = brief("occitanie-est", "2020-04-28", "en", true);
    assert!(
        en.contains("Seven hundred fifty of one thousand eight hundred staff worked remotely, or forty-one point seven percent."),
        "{en}"
    );
    let json = site().read("output/data/updates.json");
    assert!(
        json.contains("\"staff\": 1800") && json.contains("\"remote\": 750"),
        "{json}"
    );
    assert!(
        json.contains("\"percent\": 41.7"),
        "the derived share: {json}"
    );
}

/// Two updates whose telework counts other people are never compared:
/// no change figure or sentence, a break in the time series, and a note.
#[test]
fn telework_of_different_scopes_is_never_compared() {
    for (name, text) in every_brief()
        .into_iter()
        .filter(|(n, _)| n.contains("2020-05-12"))
    {
        for compared in [
            "progresse",
            "48,3",
            "48.3",
            "is up",
            "sube",
            "quarante-huit",
            "forty-eight",
            "cuarenta y ocho",
        ] {
            assert!(!text.contains(compared), "{compared:?} in {name}:\n{text}");
        }
    }
    let fr = brief("occitanie-est", "2020-05-12", "fr", false);
    assert!(
        fr.contains("Le télétravail n'est pas comparé depuis le 28 avril : d'autres personnes sont comptées."),
        "{fr}"
    );
    let page = plain(&site().read("output/regions/occitanie-est/2020-05-12/index.html"));
    assert!(!page.contains("48,3"), "no change figure on the page");
    assert!(page.contains("non comparable (autre périmètre)"));
    // The region's time series: the two telework points are not joined,
    // and the chart says why.
    let svg = site().read("output/regions/occitanie-est/trends.svg");
    let blue_lines: Vec<&str> = svg
        .split("<polyline")
        .filter(|l| l.contains("stroke=\"#005A9C\""))
        .collect();
    assert!(!blue_lines.is_empty(), "{svg}");
    for line in &blue_lines {
        let points = line
            .split("points=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(
            points.split_whitespace().count(),
            1,
            "a run of one point: {line}"
        );
    }
    let region =
        plain(&site().read("output/regions/occitanie-est/index.html")).replace("&#39;", "'");
    assert!(
        region.contains("à partir du 12 mai 2020, d'autres personnes sont comptées"),
        "{region}"
    );
    let csv = site().read("output/data/updates.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[col("date")] == "2020-05-12")
        .unwrap();
    assert_eq!(&row[col("telework_change_points")], "");
    assert_eq!(
        &row[col("telework_scope")],
        "les salariés de la région hors techniciens"
    );
}

/// Shops that never closed are said to have stayed open, never to have
/// reopened; shops reopened out of an unknown total still count.
#[test]
fn shops_that_stayed_open_and_shops_without_a_total() {
    let fr = brief("sud-ouest", "2020-05-05", "fr", false);
    assert!(
        fr.contains("Les 600 boutiques sont restées ouvertes."),
        "{fr}"
    );
    let en = brief("sud-ouest", "2020-05-05", "en", false);
    assert!(en.contains("All 600 shops stayed open."), "{en}");
    let es = brief("sud-ouest", "2020-05-05", "es", false);
    assert!(es.contains("Las 600 tiendas siguieron abiertas."), "{es}");
    for (name, text) in every_brief()
        .into_iter()
        .filter(|(n, _)| n.contains("sud-ouest"))
    {
        for wrong in [
            "rouvert",
            "reopened",
            "reabierto",
            "seiscientas tiendas han",
        ] {
            assert!(!text.contains(wrong), "{wrong:?} in {name}:\n{text}");
        }
    }
    let page = plain(&site().read("output/regions/sud-ouest/2020-05-05/index.html"));
    assert!(page.contains("600 boutiques restées ouvertes"), "{page}");
    let overview = plain(&site().read("output/index.html"));
    assert!(overview.contains("600 boutiques restées ouvertes"));

    let fr = brief("grand-ouest", "2020-05-07", "fr", false);
    assert!(fr.contains("11 boutiques ont rouvert."), "{fr}");
    let page = plain(&site().read("output/regions/grand-ouest/2020-05-07/index.html"));
    assert!(page.contains("11 boutiques rouvertes"), "{page}");
    let svg = site().read("output/regions/grand-ouest/2020-05-07/shops.svg");
    assert!(svg.contains("11 boutiques rouvertes"), "{svg}");
    assert!(!svg.contains('%'), "no share invented: {svg}");
    assert!(overview.contains("11 boutiques rouvertes"));
}

/// An estimate (`approx: true`) is said "about" wherever it is shown or
/// read, and marked in open data.
#[test]
fn estimates_are_said_about() {
    let fr = brief("occitanie-est", "2020-04-28", "fr", false);
    assert!(
        fr.contains("Le trafic visioconférence a été multiplié par environ 7."),
        "{fr}"
    );
    let en = brief("occitanie-est", "2020-04-28", "en", true);
    assert!(
        en.contains("Visioconférence traffic was about seven times as high."),
        "{en}"
    );
    let es = brief("occitanie-est", "2020-04-28", "es", false);
    assert!(
        es.contains("se ha multiplicado por alrededor de 7."),
        "{es}"
    );
    let page = plain(&site().read("output/regions/occitanie-est/2020-04-28/index.html"));
    assert!(
        page.contains("<strong>environ ×7</strong> Visioconférence"),
        "{page}"
    );
    let svg = plain(&site().read("output/en/regions/occitanie-est/2020-04-28/traffic.svg"));
    assert!(svg.contains("about 7×"), "{svg}");
    assert!(
        svg.contains("Traffic about 7 times as high for visioconférence"),
        "{svg}"
    );
    let fr = brief("sud-ouest", "2020-05-05", "fr", false);
    assert!(fr.contains("Antennes renforcées : environ 25."), "{fr}");
    let es = brief("sud-ouest", "2020-05-05", "es", true);
    assert!(es.contains("alrededor de veinticinco"), "{es}");
    let page = plain(&site().read("output/regions/sud-ouest/2020-05-05/index.html"));
    assert!(page.contains("environ 25"), "{page}");
    let csv = site().read("output/data/updates.csv");
    assert!(
        csv.contains("Visioconférence=~7") && csv.contains("Antennes renforcées=~25"),
        "{csv}"
    );
    let json = site().read("output/data/updates.json");
    assert!(json.contains("\"approx\": true"), "{json}");
}

/// A figure typed in a title ("90 %", "1 800") is held together: no line
/// of a page or PDF starts with "%" or with the rest of a number.
#[test]
fn typed_figures_never_split_across_lines() {
    let p = Project::from(&repo().join("tests/fixtures/realworld"));
    p.edit(
        "content/regions/grand-ouest/2020-05-07.yaml",
        "title: Le réseau a tenu",
        "title: \"Le réseau a tenu : 90 % du trafic écoulé, 1 800 techniciens\"",
    );
    assert_ok(&p.run(&["build"]));
    let page = p.read("output/regions/grand-ouest/2020-05-07/index.html");
    assert!(
        page.contains("90\u{202F}% du trafic écoulé, 1\u{202F}800 techniciens"),
        "{page}"
    );
    // In the PDF, the figures are held by the same no-break spaces.
    // The same place as in the fixture's own build.
    let pdf = find_file(&site().path("output"), "grand-ouest-2020-05-07.pdf");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(p.path(&pdf))
        .arg("-")
        .output()
        .unwrap();
    let text = plain(&String::from_utf8_lossy(&out.stdout));
    assert!(text.contains("90 % du trafic"), "{text}");
    for line in text.lines() {
        let t = line.trim_start();
        assert!(
            !t.starts_with('%') && !t.starts_with("800 "),
            "{line:?} in\n{text}"
        );
    }
    // The open data keeps the title as written.
    let json = p.read("output/data/updates.json");
    assert!(
        json.contains("90 % du trafic écoulé, 1 800 techniciens"),
        "{json}"
    );
}

/// A quote may say who said it (`{text, by}`); a plain quote is the
/// speaker's. Both are attributed on pages, in PDFs and in open data.
#[test]
fn quotes_are_attributed() {
    for prefix in ["", "en/", "es/"] {
        let page = plain(&site().read(&format!(
            "output/{prefix}regions/occitanie-est/2020-04-28/index.html"
        )));
        assert!(
            page.contains(
                "<p>Le réseau a tenu, et nos équipes aussi.</p><footer>— Claire Martin</footer>"
            ),
            "{page}"
        );
        assert!(
            page.contains("<p>Nous avons doublé les équipes de nuit.</p><footer>— Paul Durand, directeur technique</footer>"),
            "{page}"
        );
    }
    let pdf = pdf_text(&find_file(
        &site().path("output"),
        "occitanie-est-2020-04-28.pdf",
    ));
    assert!(pdf.contains("— Paul Durand, directeur technique"), "{pdf}");
    assert!(pdf.contains("— Claire Martin"), "{pdf}");
    let json = site().read("output/data/updates.json");
    assert!(
        json.contains("\"by\": \"Paul Durand, directeur technique\""),
        "{json}"
    );
}

/// A figure with a source of its own cites it as a numbered note (one
/// number per source), listed with its address on the page and in the
/// PDF; the report shows the update's own source with its address.
#[test]
fn figures_cite_their_own_sources() {
    let page = site().read("output/regions/occitanie-est/2020-05-12/index.html");
    assert_eq!(
        page.matches("<sup><a href=\"#note-1\"").count(),
        2,
        "{page}"
    );
    assert!(!page.contains("#note-2"), "one source, one number");
    assert!(
        page.contains("<li id=\"note-1\"><a href=\"https://example.org/presse/la-depeche-2020-05-12\">La Dépêche</a></li>"),
        "{page}"
    );
    let en = site().read("output/en/regions/occitanie-est/2020-05-12/index.html");
    assert!(en.contains("Sources of the figures"), "{en}");
    let page = site().read("output/regions/sud-ouest/2020-05-05/index.html");
    // Notes in reading order: the incident's source, then the indicator's.
    assert!(
        page.contains(
            "<li id=\"note-1\"><a href=\"https://example.org/ncsc/advisory\">NCSC</a></li>"
        ),
        "{page}"
    );
    assert!(page.contains("<li id=\"note-2\">Ofcom</li>"), "{page}");
    let pdf = pdf_text(&find_file(
        &site().path("output"),
        "occitanie-est-2020-05-12.pdf",
    ));
    assert!(pdf.contains("Sources des chiffres"), "{pdf}");
    assert!(
        pdf.contains("La Dépêche — https://example.org/presse/la-depeche-2020-05-12"),
        "{pdf}"
    );
    let pdf = pdf_text(&find_file(
        &site().path("output"),
        "occitanie-est-2020-04-28.pdf",
    ));
    assert!(
        pdf.contains("Midi Libre — https://example.org/presse/midi-libre-2020-04-28"),
        "{pdf}"
    );
    let json = site().read("output/data/updates.json");
    assert!(json.contains("\"name\": \"La Dépêche\""), "{json}");
}

/// A range `{min, max}` is shown with both bounds in every output, as
/// each language says it; no summary shows one bound alone.
#[test]
fn ranges_show_both_bounds_everywhere() {
    let fr = brief("grand-ouest", "2020-05-07", "fr", false);
    for said in [
        "Le trafic appels vers l'international est en baisse de 10 à 20 %.",
        "Le trafic messageries instantanées a été multiplié par 1,35 à 1,6.",
        "Sites raccordés en urgence : 20 à 25.",
        "Part des appels vers les urgences : 8 à 12,5 %.",
    ] {
        assert!(fr.contains(said), "{said:?} in\n{fr}");
    }
    let up = brief("occitanie-est", "2020-04-28", "fr", false);
    assert!(
        up.contains("Le trafic données mobiles est en hausse de 35 à 60 %."),
        "{up}"
    );
    let en = brief("grand-ouest", "2020-05-07", "en", true);
    for said in [
        "traffic was down ten to twenty percent.",
        "traffic was one point three five to one point six times as high.",
        "Sites raccordés en urgence: twenty to twenty-five.",
    ] {
        assert!(en.contains(said), "{said:?} in\n{en}");
    }
    let es = brief("grand-ouest", "2020-05-07", "es", false);
    for said in [
        "ha bajado entre un 10 % y un 20 %.",
        "se ha multiplicado entre 1,35 y 1,6 veces.",
    ] {
        assert!(es.contains(said), "{said:?} in\n{es}");
    }
    // Key figures, chart labels and the chart's data.
    let dir = "output/regions/grand-ouest/2020-05-07";
    let page = plain(&site().read(&format!("{dir}/index.html")));
    for shown in ["×1,35 à ×1,6", "−20 à −10 %", "20 à 25", "8 à 12,5 %"] {
        assert!(page.contains(shown), "{shown:?} in\n{page}");
    }
    let page = plain(&site().read("output/regions/occitanie-est/2020-04-28/index.html"));
    assert!(page.contains("+35 à +60 %"), "{page}");
    let svg = plain(&site().read(&format!("{dir}/traffic.svg")));
    assert!(svg.contains("\n×1,35 à ×1,6\n"), "{svg}");
    // The span: the bar's colour a third of the way to white, once per
    // range.
    assert_eq!(svg.matches("fill=\"#5993BE\"").count(), 2, "{svg}");
    let csv = site().read(&format!("{dir}/traffic.csv"));
    assert!(csv.starts_with("Indicateur,Minimum,Maximum\n"), "{csv}");
    assert!(csv.contains("Messageries instantanées,1.35,1.6\n"), "{csv}");
    assert!(csv.contains("Trafic voix,0.875,0.875\n"), "{csv}");
    // Open data keeps the range as given.
    let csv = site().read("output/data/updates.csv");
    for cell in [
        "Messageries instantanées=1.35..1.6",
        "Appels vers l'international=-20..-10%",
        "Sites raccordés en urgence=20..25",
        "Part des appels vers les urgences=8..12.5 %",
    ] {
        assert!(csv.contains(cell), "{cell:?} in\n{csv}");
    }
    let json = site().read("output/data/updates.json");
    let facts: serde_json::Value = serde_json::from_str(&json).unwrap();
    let text = facts.to_string();
    assert!(
        text.contains(r#""change_percent":{"max":-10.0,"min":-20.0}"#)
            || text.contains(r#""change_percent":{"min":-20.0,"max":-10.0}"#),
        "{text}"
    );
    // Nowhere, in any language or format, is a bound shown alone.
    let mut files = Vec::new();
    walk(&site().path("output"), &mut files);
    for file in files {
        let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !["html", "xml", "svg", "txt", "md"].contains(&ext) {
            continue;
        }
        let text = plain(&std::fs::read_to_string(&file).unwrap());
        for bound in ["×1,35", "1.35×"] {
            for (i, _) in text.match_indices(bound) {
                let rest = &text[i + bound.len()..];
                assert!(
                    [" à ×1,6", " a ×1,6", " to 1.6×"]
                        .iter()
                        .any(|next| rest.starts_with(next)),
                    "{} shows {bound} without its upper bound: {}",
                    file.display(),
                    &rest[..rest.len().min(40)]
                );
            }
        }
        for upper in ["×1,6", "1.6×"] {
            for (i, _) in text.match_indices(upper) {
                let before = &text[..i];
                assert!(
                    before.ends_with(" à ") || before.ends_with(" a ") || before.ends_with(" to "),
                    "{} shows {upper} without its lower bound",
                    file.display()
                );
            }
        }
    }
    let pdf = pdf_text(&find_file(
        &site().path("output"),
        "grand-ouest-2020-05-07.pdf",
    ));
    assert!(pdf.contains("×1,35 à ×1,6"), "{pdf}");
}

fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Every brief of the corpus, in full, per language and form: a change
/// of wording anywhere shows in review.
#[test]
fn briefs_of_the_corpus() {
    for lang in ["fr", "en", "es"] {
        for words in [false, true] {
            let all: Vec<String> = UPDATES
                .iter()
                .map(|(region, date)| {
                    format!("## {region} {date}\n\n{}", brief(region, date, lang, words))
                })
                .collect();
            let name = match words {
                false => format!("brief_{lang}"),
                true => format!("brief_{lang}_words"),
            };
            insta::assert_snapshot!(name, all.join("\n"));
        }
    }
}

/// A text inside a sentence starts with a small letter ("santé"), except
/// acronyms, brands, "État" (known in every language) and the names the
/// site lists in `proper_nouns` ("Orange Bank"); a label that already
/// ends with the noun a sentence adds is not doubled ("Voice traffic").
#[test]
fn proper_nouns_keep_their_capital_inside_sentences() {
    let fr = brief("grand-ouest", "2020-05-07", "fr", false);
    assert!(
        fr.contains("Sur le terrain, les priorités ont été : santé, sécurité et État."),
        "{fr}"
    );
    assert!(
        fr.contains("2 services ont été traités en priorité : hôpitaux et Orange Bank."),
        "{fr}"
    );
    let en = brief("grand-ouest", "2020-05-07", "en", false);
    assert!(en.contains("santé, sécurité and État."), "{en}");
    assert!(en.contains("Voice traffic was down 12.5%."), "{en}");
    let es = brief("grand-ouest", "2020-05-07", "es", true);
    assert!(es.contains("El tráfico de voz ha bajado"), "{es}");
    assert!(es.contains("hôpitaux y Orange Bank."), "{es}");
    // Without the site's list, the brand is a text like any other.
    let p = Project::from(&repo().join("tests/fixtures/realworld"));
    p.edit("content/site.yaml", "proper_nouns: [Orange Bank]", "");
    let run = p.run(&["brief", "grand-ouest", "--date", "2020-05-07"]);
    assert_ok(&run);
    assert!(
        plain(&run.stdout).contains("hôpitaux et orange Bank."),
        "{}",
        run.stdout
    );
}

/// Over every fixture (example, multi, bilingual, Spanish, real-world):
/// no page text or brief says a word twice in a row, uses "à le",
/// "à les", "a el" where a contraction belongs, or words a fall as a
/// multiplication.
#[test]
fn no_fixture_page_or_brief_doubles_a_word_or_misses_a_contraction() {
    for (name, p) in built_fixtures() {
        let out = p.path("output");
        let mut texts: Vec<(String, String)> = html_pages(&out)
            .into_iter()
            .map(|rel| {
                let html = std::fs::read_to_string(out.join(&rel)).unwrap();
                (rel, plain(&visible_text(&html)))
            })
            .collect();
        let mut files = Vec::new();
        walk(&out, &mut files);
        for f in files.iter().filter(|f| f.ends_with("brief.txt")) {
            let text = plain(&std::fs::read_to_string(f).unwrap());
            texts.push((f.display().to_string(), text));
        }
        for (rel, text) in texts {
            // Within one run of text (a heading next to a title is not a
            // sentence).
            for run in text.split(SEGMENT) {
                let words: Vec<String> = run
                    .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
                    .filter(|w| !w.is_empty())
                    .map(str::to_lowercase)
                    .collect();
                for pair in words.windows(2) {
                    let word = pair[0].chars().any(char::is_alphabetic);
                    assert!(
                        pair[0] != pair[1] || !word || pair[0].chars().count() < 2,
                        "{name}: {rel} says {:?} twice: {run:?}",
                        pair[0]
                    );
                }
            }
            let lower = text.to_lowercase();
            for bad in [
                " à le ",
                " à les ",
                " a el ",
                " de el ",
                "multiplié par 0",
                "multiplied by 0",
                "multiplicado por 0",
            ] {
                assert!(!lower.contains(bad), "{name}: {rel} contains {bad:?}");
            }
        }
    }
}

/// Where [`visible_text`] puts a tag.
const SEGMENT: char = '\u{1}';

/// The text a reader sees in an HTML page: tags (each a [`SEGMENT`]),
/// scripts and styles removed, entities for apostrophes decoded.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        out.push(SEGMENT);
        let tag = &rest[i..];
        let skip_to = ["<script", "<style"]
            .iter()
            .find(|t| tag.starts_with(**t))
            .and_then(|t| tag.find(&format!("</{}>", &t[1..])));
        let end = match skip_to {
            Some(close) => close,
            None => tag.find('>').unwrap_or(tag.len() - 1),
        };
        rest = &tag[(end + 1).min(tag.len())..];
    }
    out.push_str(rest);
    out.replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
