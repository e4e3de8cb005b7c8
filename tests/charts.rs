//! Charts: valid SVG, accessible, labels equal to the facts, nothing
//! clipped or overlapping, sensible with awkward data.

mod common;
use common::*;
use relance::render::charts::text_width;

const DIR: &str = "output/regions/languedoc-roussillon/2020-05-14";

struct Label {
    text: String,
    x: f64,
    y: f64,
    anchor: String,
    size: f64,
    bold: bool,
}

/// Parses an SVG and checks what every chart must have.
fn parse(svg: &str) -> (String, String, Vec<Label>) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("invalid SVG: {e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .expect("<title>")
        .text()
        .unwrap_or("")
        .to_string();
    let desc = root
        .children()
        .find(|n| n.has_tag_name("desc"))
        .expect("<desc>")
        .text()
        .unwrap_or("")
        .to_string();
    assert!(!title.is_empty() && !desc.is_empty());
    let labelled = root.attribute("aria-labelledby").unwrap();
    for id in labelled.split(' ') {
        assert!(
            doc.descendants().any(|n| n.attribute("id") == Some(id)),
            "aria-labelledby points at missing {id}"
        );
    }
    let labels = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| Label {
            text: n.text().unwrap_or("").trim().to_string(),
            x: n.attribute("x").unwrap().parse().unwrap(),
            y: n.attribute("y").unwrap().parse().unwrap(),
            anchor: n.attribute("text-anchor").unwrap_or("start").to_string(),
            size: n.attribute("font-size").unwrap().parse().unwrap(),
            bold: n.attribute("font-weight") == Some("bold"),
        })
        .collect();
    (title, desc, labels)
}

/// Every label lies inside the 640-pixel-wide canvas.
fn assert_not_clipped(labels: &[Label], width: f64) {
    for l in labels {
        let w = text_width(&l.text, l.size, l.bold);
        let (left, right) = match l.anchor.as_str() {
            "end" => (l.x - w, l.x),
            "middle" => (l.x - w / 2.0, l.x + w / 2.0),
            _ => (l.x, l.x + w),
        };
        assert!(
            left >= -0.5 && right <= width + 0.5,
            "label {:?} clipped: {left}..{right}",
            l.text
        );
    }
}

#[test]
fn example_charts_are_valid_accessible_and_truthful() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let (title, desc, labels) = parse(&p.read(&format!("{DIR}/traffic.svg")));
    assert_eq!(title, "Multiplication du trafic");
    assert_eq!(
        desc,
        "Trafic multiplié par 10 pour télétravail, par 5 pour WhatsApp, par 3 pour voix sur mobile et par 2 pour visioconférence, par rapport à avant le confinement."
    );
    let values: Vec<&str> = labels
        .iter()
        .filter(|l| l.text.starts_with('×'))
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(
        values,
        ["×10", "×5", "×3", "×2"],
        "sorted, formatted like the facts"
    );
    assert_not_clipped(&labels, 640.0);

    let (_, desc, labels) = parse(&p.read(&format!("{DIR}/telework.svg")));
    assert!(desc.contains("90\u{202F}%"));
    assert!(labels.iter().any(|l| l.text == "90\u{202F}%"));
    let (_, _, labels) = parse(&p.read(&format!("{DIR}/shops.svg")));
    assert!(labels.iter().any(|l| l.text == "100\u{202F}%"));
    // The shops figure is worded once (catalogue `shops-of`): the same on
    // the chart and on the page.
    assert!(
        labels
            .iter()
            .any(|l| l.text == "20 boutiques rouvertes sur 20")
    );
    assert!(
        p.read(&format!("{DIR}/index.html"))
            .contains("20 boutiques rouvertes sur 20")
    );
    let (_, _, labels) = parse(&p.read(&format!("{DIR}/online.svg")));
    assert!(labels.iter().any(|l| l.text == "57\u{202F}%"));
    let (_, desc, _) = parse(&p.read("output/charts/overview.svg"));
    assert!(desc.contains("Languedoc-Roussillon"));

    // The page embeds the chart and its data table.
    let html = p.read(&format!("{DIR}/index.html"));
    assert!(html.contains("<svg role=\"img\" aria-labelledby=\"traffic-title traffic-desc\""));
    assert!(html.contains("<th scope=\"row\">Télétravail</th><td>×10</td>"));
}

#[test]
fn example_charts_snapshots() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    for name in ["traffic", "telework", "shops", "online"] {
        insta::assert_snapshot!(
            format!("chart_{name}"),
            p.read(&format!("{DIR}/{name}.svg"))
        );
    }
    insta::assert_snapshot!("chart_overview", p.read("output/charts/overview.svg"));
}

#[test]
fn english_charts_use_english_formats() {
    let p = Project::multi();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let (_, desc, labels) = parse(&p.read("output/regions/north-coast/2020-05-07/traffic.svg"));
    assert!(
        labels.iter().any(|l| l.text == "2.5×"),
        "English multiplier format"
    );
    assert!(
        desc.starts_with(
            "Traffic multiplied 3 times for Mobile voice and 2.5 times for Video calls"
        ),
        "{desc}"
    );
    // A region with two updates gets a time series with English dates.
    let (_, desc, labels) = parse(&p.read("output/regions/north-coast/trends.svg"));
    assert!(labels.iter().any(|l| l.text == "7 May"), "date axis");
    assert!(
        desc.contains("Telework: from 90% on 7 May 2020 to 60% on 14 May 2020"),
        "{desc}"
    );
    assert_not_clipped(&labels, 640.0);
    // A region with one update has no time series.
    assert!(!p.path("output/regions/east-valley/trends.svg").exists());
}

#[test]
fn long_labels_and_many_bars_are_never_clipped_or_overlapping() {
    let p = Project::example();
    let mut bars = String::from("  multipliers:\n");
    for i in 0..12 {
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
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let (_, _, labels) = parse(&p.read(&format!("{DIR}/traffic.svg")));
    assert_not_clipped(&labels, 640.0);
    let values: Vec<&Label> = labels.iter().filter(|l| l.text.starts_with('×')).collect();
    assert_eq!(values.len(), 12);
    // Category labels (right-aligned, left column) never overlap vertically.
    let mut rows: Vec<&Label> = labels.iter().filter(|l| l.anchor == "end").collect();
    rows.sort_by(|a, b| a.y.total_cmp(&b.y));
    for w in rows.windows(2) {
        assert!(
            w[1].y - w[0].y >= w[0].size * 1.2,
            "labels {:?} and {:?} overlap",
            w[0].text,
            w[1].text
        );
    }
    // Each full label text is still all there (wrapped, not cut).
    let all: String = rows
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    for i in 0..12 {
        assert!(all.contains(&format!("numéro {i}")), "label {i} lost");
    }
}

#[test]
fn awkward_data_still_renders() {
    let p = Project::example();
    // One huge factor beside small ones, a zero share, one bar.
    p.edit(UPDATE, "factor: 3", "factor: 1000");
    p.edit(UPDATE, "percent: 90", "percent: 0");
    p.edit(UPDATE, "customers_percent: 57", "customers_percent: 100");
    let run = p.run(&["build", "--no-pdf"]);
    assert_ok(&run);
    assert!(run.stderr.contains("warning"), "factor 1000 is flagged");
    let (_, _, labels) = parse(&p.read(&format!("{DIR}/traffic.svg")));
    assert!(labels.iter().any(|l| l.text == "×1000"));
    assert_not_clipped(&labels, 640.0);
    let (_, _, labels) = parse(&p.read(&format!("{DIR}/telework.svg")));
    assert!(labels.iter().any(|l| l.text == "0\u{202F}%"));

    let q = Project::example();
    let text = q.read(UPDATE);
    let start = text.find("    - label: Télétravail").unwrap();
    let end = text.find("\nincidents:").unwrap();
    q.write(UPDATE, format!("{}{}", &text[..start], &text[end..]));
    assert_ok(&q.run(&["build", "--no-pdf"]));
    let (_, desc, labels) = parse(&q.read(&format!("{DIR}/traffic.svg")));
    assert_eq!(labels.iter().filter(|l| l.text.starts_with('×')).count(), 1);
    assert!(desc.contains("par 3 pour voix sur mobile"));
}

#[test]
fn charts_are_deterministic() {
    let p = Project::multi();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let a = p.snapshot("output");
    std::fs::remove_dir_all(p.path("output")).unwrap();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let b = p.snapshot("output");
    for (k, v) in a.iter().filter(|(k, _)| k.ends_with(".svg")) {
        assert!(v == &b[k], "{k} differs");
    }
}
