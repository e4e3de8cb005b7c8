//! Spanish: a language is one catalogue (`locales/es.ftl`) plus its locale
//! data. The whole brief, the pages' text and the PDFs' text of a Spanish
//! fixture are snapshots; the design's formats are checked one by one.

mod common;
use common::*;

use std::process::Command;

const UPDATE_DIR: &str = "output/regions/andalucia/2020-05-14";

fn spanish() -> Project {
    Project::from(&repo().join("tests/fixtures/es"))
}

/// The visible text of a page: charts, tags and runs of blanks removed.
fn page_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg") {
        text.push_str(&rest[..i]);
        text.push_str(" [chart] ");
        rest = rest[i..].split_once("</svg>").map_or("", |(_, r)| r);
    }
    text.push_str(rest);
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'");
    out.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

fn pdf_text(p: &Project, rel: &str) -> String {
    let out = Command::new("pdftotext")
        .args([p.path(rel).to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is needed (apt-get install poppler-utils)");
    assert!(out.status.success());
    let raw = String::from_utf8_lossy(&out.stdout);
    raw.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn spanish_brief_in_digits() {
    let p = spanish();
    let run = p.run(&["brief", "andalucia"]);
    assert_ok(&run);
    insta::assert_snapshot!("brief_es", run.stdout);
    for part in [
        "Andalucía — 14 de mayo de 2020",
        "El 90\u{a0}% de la plantilla ha trabajado a distancia",
        "se ha multiplicado por 3.",
        "se ha multiplicado por 2,5.",
        "Minutos de voz: 12.500 minutos.",
        "Las 21 tiendas han reabierto el 11 de mayo de 2020, con cita previa.",
        "El teletrabajo baja 5 puntos desde el 7 de mayo.",
        "Ha reabierto 1 tienda más desde el 7 de mayo.",
    ] {
        assert!(run.stdout.contains(part), "{part:?} in\n{}", run.stdout);
    }
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert_eq!(p.read(&format!("{UPDATE_DIR}/brief.txt")), run.stdout);
}

#[test]
fn spanish_brief_in_words() {
    let p = spanish();
    let run = p.run(&["brief", "andalucia", "--words"]);
    assert_ok(&run);
    insta::assert_snapshot!("brief_es_words", run.stdout);
    for part in [
        "El noventa por ciento de la plantilla",
        "se ha multiplicado por tres.",
        "se ha multiplicado por dos coma cinco.",
        "se ha multiplicado por veintiuno.",
        "Centros de datos activos: veintiuno.",
        // Shops are feminine: "veintiuna tiendas", "una tienda".
        "Las veintiuna tiendas han reabierto el once de mayo de dos mil veinte",
        "Ha reabierto una tienda más desde el siete de mayo.",
        "doce mil quinientos minutos",
    ] {
        assert!(run.stdout.contains(part), "{part:?} in\n{}", run.stdout);
    }
    let markdown = p.run(&["brief", "andalucia", "--format", "markdown"]);
    assert!(
        markdown.stdout.contains("## Cifras clave"),
        "{}",
        markdown.stdout
    );
    assert!(
        markdown.stdout.contains("## Evolución"),
        "{}",
        markdown.stdout
    );
}

#[test]
fn spanish_pages_use_spanish_formats() {
    let p = spanish();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let html = p.read(&format!("{UPDATE_DIR}/index.html"));
    assert!(html.contains("<html lang=\"es\">"));
    let text = page_text(&html);
    for part in [
        "90\u{a0}% de la plantilla en teletrabajo",
        "×3 Voz móvil",
        "×2,5 Videoconferencia",
        "12.500 minutos",
        "14 de mayo de 2020",
        "21 de 21 tiendas reabiertas",
        "Crecimiento en línea: +35\u{a0}%",
        "Teletrabajo \u{2212}5 puntos",
    ] {
        assert!(text.contains(part), "{part:?} in\n{text}");
    }
    insta::assert_snapshot!("page_es_update", text);
    insta::assert_snapshot!(
        "page_es_region",
        page_text(&p.read("output/regions/andalucia/index.html"))
    );
    insta::assert_snapshot!("page_es_overview", page_text(&p.read("output/index.html")));
    let traffic = p.read(&format!("{UPDATE_DIR}/traffic.svg"));
    assert!(
        traffic.contains("Tráfico multiplicado por 21 en WhatsApp, por 3 en voz móvil y por 2,5 en videoconferencia, respecto a antes del confinamiento."),
        "{traffic}"
    );
    assert!(p.read("output/feed.xml").contains("xml:lang=\"es\""));
}

#[test]
fn spanish_pdf_text() {
    let p = spanish();
    assert_ok(&p.run(&["build"]));
    let report = pdf_text(&p, &format!("{UPDATE_DIR}/andalucia-2020-05-14.pdf"));
    let press = pdf_text(&p, &format!("{UPDATE_DIR}/andalucia-2020-05-14-press.pdf"));
    for part in [
        "90 %",
        "×2,5",
        "12.500 minutos",
        "14 de mayo de 2020",
        "Portavoz:",
    ] {
        let part = part.replace(' ', "\u{a0}");
        let found = report.contains(&part) || report.contains(&part.replace('\u{a0}', " "));
        assert!(found, "{part:?} in\n{report}");
    }
    assert!(press.contains("FICHA DE PRENSA"), "{press}");
    insta::assert_snapshot!("pdf_es_report", report);
    insta::assert_snapshot!("pdf_es_press", press);
}
