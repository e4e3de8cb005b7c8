//! PDF reports and press sheets, read back with poppler's pdftotext/pdfinfo.

mod common;
use common::*;
use std::process::Command;

const DIR: &str = "output/regions/languedoc-roussillon/2020-05-14";
const REPORT: &str =
    "output/regions/languedoc-roussillon/2020-05-14/languedoc-roussillon-2020-05-14.pdf";
const PRESS: &str =
    "output/regions/languedoc-roussillon/2020-05-14/languedoc-roussillon-2020-05-14-press.pdf";

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} is needed for this test (apt-get install poppler-utils): {e}")
    });
    assert!(
        out.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn text(p: &Project, rel: &str) -> String {
    // Without -layout: one reading-order stream, whitespace normalised below.
    let raw = tool("pdftotext", &[p.path(rel).to_str().unwrap(), "-"]);
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn info(p: &Project, rel: &str) -> String {
    tool("pdfinfo", &[p.path(rel).to_str().unwrap()])
}

#[test]
fn report_is_a4_tagged_titled_and_complete() {
    let p = Project::example();
    assert_ok(&p.build());
    let info = info(&p, REPORT);
    assert!(
        info.contains("Page size:       595.276 x 841.89 pts (A4)"),
        "{info}"
    );
    assert!(info.contains("Title:           Les réseaux ont tenu malgré un trafic exceptionnel — Languedoc-Roussillon, 14 mai 2020"), "{info}");
    assert!(info.contains("Author:          Orange"), "{info}");
    assert!(info.contains("Tagged:          yes"), "{info}");
    let t = text(&p, REPORT);
    for m in [
        "Languedoc-Roussillon",
        "14 mai 2020",
        "90 %",
        "×3",
        "×10",
        "×2",
        "×5",
        "Voix sur mobile",
        "WhatsApp",
        "20 boutiques rouvertes sur 20",
        "11 mai 2020",
        "57 %",
        "Cyberattaques",
        "Orange Cyberdéfense",
        "Thierry Alignan",
        "France Bleu Hérault",
    ] {
        assert!(t.contains(m), "report lacks {m:?}:\n{t}");
    }
    for s in [
        "Hôpitaux",
        "Services d'urgence",
        "Professionnels de santé",
        "EHPAD",
        "Collectivités locales",
        "Personnes isolées",
        "Personnes âgées",
        "Entreprises",
    ] {
        assert!(t.contains(s), "report lacks priority service {s:?}");
    }
    // Page numbers in the footer, the language in the catalog.
    assert!(t.contains("Page 1 / 2"), "{t}");
    let bytes = std::fs::read(p.path(REPORT)).unwrap();
    assert!(
        bytes.windows(9).any(|w| w == b"/Lang(fr)"),
        "no /Lang in the PDF"
    );
    // Linked from the update page.
    assert!(
        p.read(&format!("{DIR}/index.html"))
            .contains("href=\"languedoc-roussillon-2020-05-14.pdf\"")
    );
}

#[test]
fn english_report() {
    let p = Project::multi();
    assert_ok(&p.build());
    let rel = "output/regions/north-coast/2020-05-14/north-coast-2020-05-14.pdf";
    let t = text(&p, rel);
    for m in [
        "North Coast",
        "14 May 2020",
        "60%",
        "10×",
        "12 of 12 shops reopened",
        "Hospitals",
        "−30 points",
    ] {
        assert!(t.contains(m), "English report lacks {m:?}:\n{t}");
    }
    let bytes = std::fs::read(p.path(rel)).unwrap();
    assert!(
        bytes.windows(9).any(|w| w == b"/Lang(en)"),
        "no /Lang(en) in the PDF"
    );
}

#[test]
fn press_sheet_is_one_page_with_key_figures() {
    let p = Project::example();
    assert_ok(&p.build());
    let info = info(&p, PRESS);
    assert!(info.contains("Pages:           1\n"), "{info}");
    assert!(info.contains("(A4)"), "{info}");
    let t = text(&p, PRESS);
    for m in [
        "90 %",
        "×10",
        "20/20",
        "57 %",
        "Thierry Alignan",
        "France Bleu Hérault",
        "14 mai 2020",
    ] {
        assert!(t.contains(m), "press sheet lacks {m:?}:\n{t}");
    }
}

#[test]
fn pdfs_are_byte_identical_across_builds() {
    let a = Project::multi();
    let b = Project::multi();
    assert_ok(&a.build());
    assert_ok(&b.build());
    let (sa, sb) = (a.snapshot("output"), b.snapshot("output"));
    let pdfs: Vec<&String> = sa.keys().filter(|k| k.ends_with(".pdf")).collect();
    assert_eq!(pdfs.len(), 6, "two PDFs for each of the three updates");
    for k in pdfs {
        assert!(sa[k] == sb[k], "{k} differs between builds");
    }
}

#[test]
fn no_pdf_flag_skips_them() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert!(
        !p.snapshot("output").keys().any(|k| k.ends_with(".pdf")),
        "a PDF was written"
    );
    assert!(
        !p.read(&format!("{DIR}/index.html")).contains(".pdf\""),
        "no link to a PDF that was not built"
    );
}

#[test]
fn broken_typst_template_is_located_and_nothing_is_written() {
    let p = Project::example();
    assert_ok(&p.build());
    let before = p.snapshot("output");
    let mut typ = std::fs::read_to_string(repo().join("templates/update.typ")).unwrap();
    typ.push_str("\n#let broken = (\n");
    p.write("templates/update.typ", &typ);
    let lines = typ.lines().count();
    let run = p.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("templates/update.typ:{lines}:")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Typst"), "{}", run.stderr);
    assert_eq!(p.snapshot("output"), before);

    // An unknown field is reported at its line too.
    p.write(
        "templates/update.typ",
        "#let data = json(\"/data.json\")\n\n#data.update.no_such_field\n",
    );
    let run = p.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("templates/update.typ:3:"),
        "{}",
        run.stderr
    );
}

#[test]
fn broken_press_template_is_located_and_nothing_is_written() {
    let p = Project::example();
    assert_ok(&p.build());
    let before = p.snapshot("output");
    let mut typ = std::fs::read_to_string(repo().join("templates/press.typ")).unwrap();
    typ.push_str("\n#let broken = (\n");
    let lines = typ.lines().count();
    p.write("templates/press.typ", &typ);
    let run = p.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("templates/press.typ:{lines}:")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("error: Typst:"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("templates/update.typ"),
        "{}",
        run.stderr
    );
    assert_eq!(p.snapshot("output"), before);
    p.write(
        "templates/press.typ",
        "#let data = json(\"/data.json\")\n#data.update.no_such_field\n",
    );
    let run = p.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("templates/press.typ:2:"),
        "{}",
        run.stderr
    );
    assert_eq!(p.snapshot("output"), before);
}

/// A template reads what it is served (`/data.json`, `/charts/*.svg`) and
/// nothing else: not the content, not the templates, not the output, not
/// the project's or the system's files, by any path.
#[test]
fn typst_template_reads_only_the_served_files() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let project = p.dir.path().display().to_string();
    // What is served can be read (the control: the mechanism works).
    // (`/main.typ` is the template itself.)
    for served in [
        "/data.json",
        "data.json",
        "/charts/traffic.svg",
        "charts/telework.svg",
        "/main.typ",
    ] {
        // (A title, which PDF/UA-1 requires, on the same line.)
        p.write(
            "templates/update.typ",
            format!("#set document(title: \"t\"); #read(\"{served}\")\n"),
        );
        let run = p.build();
        assert_ok(&run);
    }
    let before = p.snapshot("output");
    let repo = repo().display().to_string();
    let forbidden = [
        "/etc/passwd".to_string(),
        "/content/site.yaml".into(),
        "content/site.yaml".into(),
        "../content/site.yaml".into(),
        "/charts/../content/site.yaml".into(),
        "/regions/languedoc-roussillon/2020-05-14.yaml".into(),
        "/templates/update.typ".into(),
        "/templates/press.typ".into(),
        "templates/style.css".into(),
        "update.typ".into(),
        "press.typ".into(),
        "/output/index.html".into(),
        "/output/regions/languedoc-roussillon/2020-05-14/facts.json".into(),
        "/regions/languedoc-roussillon/2020-05-14/facts.json".into(),
        "/charts/nope.svg".into(),
        format!("{project}/content/site.yaml"),
        format!("{project}/templates/update.typ"),
        format!("{repo}/content/site.yaml"),
        format!("{repo}/assets/fonts/NotoSans-Regular.ttf"),
        "/Cargo.toml".into(),
        "/src/lib.rs".into(),
    ];
    for path in &forbidden {
        p.write("templates/update.typ", format!("#read(\"{path}\")\n"));
        let run = p.build();
        assert_eq!(run.code, 1, "{path} was readable:\n{}", run.stderr);
        assert!(
            run.stderr.contains("templates/update.typ:1:") && run.stderr.contains("Typst:"),
            "{path}: {}",
            run.stderr
        );
        assert_eq!(p.snapshot("output"), before);
    }
    // Nor images, nor packages.
    for source in [
        format!("#image(\"{repo}/docs/images/update-page.png\")"),
        "#image(\"/docs/images/update-page.png\")".to_string(),
        "#import \"@preview/cetz:0.3.0\"".to_string(),
        "#import \"/templates/press.typ\"".to_string(),
        "#include \"press.typ\"".to_string(),
    ] {
        p.write("templates/update.typ", format!("{source}\n"));
        let run = p.build();
        assert_eq!(run.code, 1, "{source} worked:\n{}", run.stderr);
        assert!(
            run.stderr.contains("templates/update.typ:1:"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn press_sheet_stays_one_page_with_many_bars() {
    let p = Project::example();
    let mut bars = String::from("  multipliers:\n");
    for i in 0..14 {
        bars.push_str(&format!(
            "    - label: Visioconférence et partage d'écran HD numéro {i}\n      factor: {}\n",
            i + 1
        ));
    }
    let text = p.read(UPDATE);
    let start = text.find("  multipliers:\n").unwrap();
    let end = text.find("\nincidents:").unwrap();
    p.write(
        UPDATE,
        format!("{}{}{}", &text[..start], bars, &text[end..]),
    );
    assert_ok(&p.build());
    let info = info(&p, PRESS);
    assert!(info.contains("Pages:           1\n"), "{info}");
}

/// The text of page `n` of a PDF, as laid out.
fn page_text(path: &std::path::Path, n: usize) -> String {
    let n = n.to_string();
    let path = path.to_str().unwrap();
    tool("pdftotext", &["-layout", "-f", &n, "-l", &n, path, "-"])
}

fn pages(path: &std::path::Path) -> usize {
    let info = tool("pdfinfo", &[path.to_str().unwrap()]);
    let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
    line["Pages:".len()..].trim().parse().unwrap()
}

/// The XMP metadata packet of a PDF, found in its raw bytes or in a
/// deflated stream.
fn xmp(pdf: &[u8]) -> String {
    use std::io::Read;
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let packet = |bytes: &[u8]| -> Option<String> {
        let start = find(bytes, b"<x:xmpmeta")?;
        let end = find(&bytes[start..], b"</x:xmpmeta>")? + start;
        Some(String::from_utf8_lossy(&bytes[start..end]).into_owned())
    };
    if let Some(p) = packet(pdf) {
        return p;
    }
    let mut rest = pdf;
    while let Some(i) = find(rest, b"stream\n") {
        rest = &rest[i + 7..];
        let end = find(rest, b"endstream").unwrap_or(rest.len());
        let mut out = Vec::new();
        let inflated = flate2::read::ZlibDecoder::new(&rest[..end]).read_to_end(&mut out);
        if let (Ok(_), Some(p)) = (inflated, packet(&out)) {
            return p;
        }
    }
    panic!("no XMP metadata in the PDF")
}

#[test]
fn reports_and_press_sheets_declare_pdfa_2b_and_pdfua_1() {
    let p = Project::example();
    assert_ok(&p.build());
    for rel in [REPORT, PRESS] {
        let meta = xmp(&std::fs::read(p.path(rel)).unwrap());
        for id in [
            "<pdfaid:part>2</pdfaid:part>",
            "<pdfaid:conformance>B</pdfaid:conformance>",
            "<pdfuaid:part>1</pdfuaid:part>",
        ] {
            assert!(meta.contains(id), "{rel} lacks {id}:\n{meta}");
        }
        // The date PDF/A requires is the update's, not the clock's.
        assert!(
            meta.contains("<xmp:CreateDate>2020-05-14T00:00:00"),
            "{meta}"
        );
    }
}

#[test]
fn a_template_breaking_conformance_fails_located() {
    let p = Project::example();
    assert_ok(&p.build());
    let before = p.snapshot("output");
    // Compiles, but an image without alternative text is not PDF/UA-1.
    p.write(
        "templates/press.typ",
        "#set document(title: \"x\")\n#set text(lang: \"fr\")\nText\n#image(\"/charts/traffic.svg\")\n",
    );
    let run = p.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("templates/press.typ:4:") && run.stderr.contains("PDF/UA-1"),
        "{}",
        run.stderr
    );
    assert_eq!(p.snapshot("output"), before);
}

#[test]
fn narrative_markdown_is_laid_out_and_raw_html_dropped() {
    let p = Project::example();
    p.edit(
        UPDATE,
        "narrative: |\n",
        "narrative: |\n  | Site | Status |\n  |------|--------|\n  | Port depot | open |\n\n  \
         > A *quoted* line with <b>bold</b> and <span onclick=\"x()\">tags</span>.\n\n  \
         1. first step\n  2. second step\n\n",
    );
    assert_ok(&p.build());
    let page = page_text(&p.path(REPORT), 1);
    let row = |a: &str, b: &str| {
        page.lines().any(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                == [a, b]
        })
    };
    assert!(row("Site", "Status"), "head cells not apart:\n{page}");
    assert!(row("Port depot", "open"), "row cells not apart:\n{page}");
    assert!(!page.contains("SiteStatus"), "{page}");
    assert!(page.contains("A quoted line with bold and tags."), "{page}");
    for html in ["<b>", "</b>", "<span", "onclick", "x()"] {
        assert!(!page.contains(html), "{html} printed:\n{page}");
    }
    assert!(page.contains("1. first step"), "{page}");
    assert!(page.contains("2. second step"), "{page}");
}

/// Every report of the four fixtures (fr, en, es, bilingual): no page
/// whose only content is a chart (each page's body, without its running
/// header and footer, has more lines and words than a chart of these
/// fixtures alone: a heuristic), and
/// every press sheet is one page.
#[test]
fn charts_never_stand_alone_and_press_sheets_are_one_page() {
    let fixtures = [
        repo().join("content"),
        repo().join("tests/fixtures/multi"),
        repo().join("tests/fixtures/es"),
        repo().join("tests/fixtures/bilingual"),
    ];
    let mut reports = 0;
    for fixture in fixtures {
        let p = Project::from(&fixture);
        assert_ok(&p.build());
        for rel in p.snapshot("output").keys().filter(|k| k.ends_with(".pdf")) {
            let path = p.path(&format!("output/{rel}"));
            if rel.ends_with("-press.pdf") {
                assert_eq!(pages(&path), 1, "{rel}");
                continue;
            }
            reports += 1;
            for n in 1..=pages(&path) {
                let text = page_text(&path, n);
                let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
                // Without the running header (first line) and footer (last).
                let body = &lines[1..lines.len() - 1];
                let words: usize = body.iter().map(|l| l.split_whitespace().count()).sum();
                assert!(
                    words >= 20 && body.len() >= 4,
                    "{rel} page {n} has little but a chart:\n{text}"
                );
            }
        }
    }
    assert!(reports >= 6, "{reports} reports checked");
}

/// PDF/A forbids text drawn without a glyph: a character no bundled font
/// has (an emoji, a rare symbol) is shown as U+FFFD instead of failing.
#[test]
fn characters_no_font_draws_do_not_fail_the_build() {
    let p = Project::example();
    let yaml = p.read(UPDATE);
    let title = yaml.lines().find(|l| l.starts_with("title:")).unwrap();
    p.edit(UPDATE, title, "title: \"Réseaux ⪣ tenus 😀\"");
    assert_ok(&p.build());
    let t = text(&p, REPORT);
    assert!(t.contains("Réseaux \u{FFFD} tenus"), "{t}");
}
