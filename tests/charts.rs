//! Charts: valid SVG, accessible, labels equal to the facts, nothing
//! clipped or overlapping, sensible with awkward data.

mod common;
use common::*;

/// Text width in pixels measured here, from the bundled font files, not
/// with relance's own function: advance widths and kerning in font units,
/// scaled by the font size over units-per-em (as a browser lays out SVG
/// text). Glyphs Noto Sans lacks are measured in the DejaVu Sans fallback.
fn measured_width(text: &str, size: f64, bold: bool) -> f64 {
    use ab_glyph::{Font, FontRef};
    use std::sync::OnceLock;
    static FONTS: OnceLock<(Vec<u8>, Vec<u8>, Vec<u8>)> = OnceLock::new();
    let (regular, bold_bytes, fallback) = FONTS.get_or_init(|| {
        let read = |f: &str| std::fs::read(repo().join("assets/fonts").join(f)).unwrap();
        (
            read("NotoSans-Regular.ttf"),
            read("NotoSans-Bold.ttf"),
            read("DejaVuSans.ttf"),
        )
    });
    let main = FontRef::try_from_slice(if bold { bold_bytes } else { regular }).unwrap();
    let fallback = FontRef::try_from_slice(fallback).unwrap();
    let mut width = 0.0f64;
    let mut prev = None;
    for c in text.chars() {
        let id = main.glyph_id(c);
        if id.0 == 0 {
            let f = fallback.glyph_id(c);
            assert_ne!(f.0, 0, "no glyph for {c:?} in either font");
            width += f64::from(fallback.h_advance_unscaled(f))
                / f64::from(fallback.units_per_em().unwrap())
                * size;
            prev = None;
            continue;
        }
        if let Some(p) = prev {
            width += f64::from(main.kern_unscaled(p, id)) / f64::from(main.units_per_em().unwrap())
                * size;
        }
        width +=
            f64::from(main.h_advance_unscaled(id)) / f64::from(main.units_per_em().unwrap()) * size;
        prev = Some(id);
    }
    width
}

const DIR: &str = "output/regions/languedoc-roussillon/2020-05-14";

struct Label {
    text: String,
    x: f64,
    y: f64,
    anchor: String,
    size: f64,
    bold: bool,
    /// The height of the chart the label is in.
    canvas_height: f64,
}

/// One bar of a bar chart, as drawn: its label lines (right-aligned text
/// before the bar), the bar, and its value label (the text after it).
struct Bar {
    label_lines: Vec<String>,
    label_ys: Vec<f64>,
    x: f64,
    y: f64,
    height: f64,
    value: String,
}

/// Reads the bars of a horizontal bar chart in document order.
fn read_bars(svg: &str) -> Vec<Bar> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let mut out = Vec::new();
    let mut lines = Vec::new();
    let mut ys = Vec::new();
    let mut bar: Option<(f64, f64, f64)> = None;
    for n in doc.root_element().children().filter(|n| n.is_element()) {
        let attr = |a: &str| n.attribute(a).unwrap_or("");
        let num = |a: &str| attr(a).parse::<f64>().unwrap();
        match n.tag_name().name() {
            "text" if attr("text-anchor") == "end" => {
                lines.push(n.text().unwrap_or("").trim().to_string());
                ys.push(num("y"));
            }
            "rect" if !lines.is_empty() => bar = Some((num("x"), num("y"), num("height"))),
            "text" if bar.is_some() => {
                let (x, y, height) = bar.take().unwrap();
                out.push(Bar {
                    label_lines: std::mem::take(&mut lines),
                    label_ys: std::mem::take(&mut ys),
                    x,
                    y,
                    height,
                    value: n.text().unwrap_or("").trim().to_string(),
                });
            }
            _ => {}
        }
    }
    out
}

/// Parses an SVG and checks what every chart must have.
fn parse(svg: &str) -> (String, String, Vec<Label>) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("invalid SVG: {e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let canvas_height: f64 = root.attribute("height").unwrap().parse().unwrap();
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
        .inspect(|n| {
            // The premise of the measurements: the font the SVG names.
            // The premise of the measurements: the font the SVG names
            // first (the bundled one, shipped with the site), then fallbacks.
            let family = n.attribute("font-family").unwrap();
            assert!(family.starts_with("'Noto Sans', "), "{family}");
            assert!(family.ends_with(", sans-serif"), "{family}");
        })
        .map(|n| Label {
            text: n.text().unwrap_or("").trim().to_string(),
            x: n.attribute("x").unwrap().parse().unwrap(),
            y: n.attribute("y").unwrap().parse().unwrap(),
            anchor: n.attribute("text-anchor").unwrap_or("start").to_string(),
            size: n.attribute("font-size").unwrap().parse().unwrap(),
            bold: n.attribute("font-weight") == Some("bold"),
            canvas_height,
        })
        .collect();
    (title, desc, labels)
}

/// Every label lies inside the 640-pixel-wide canvas, measured with the
/// test's own font metrics.
fn assert_not_clipped(labels: &[Label], width: f64) {
    for l in labels {
        let w = measured_width(&l.text, l.size, l.bold);
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
        // Vertically: the text is centred on y (dy="0.5ex"); ascenders
        // reach about half the size above, descenders a bit more below.
        assert!(
            l.y - 0.5 * l.size >= -0.5 && l.y + 0.55 * l.size <= l.canvas_height + 0.5,
            "label {:?} clipped vertically at y={} in {}",
            l.text,
            l.y,
            l.canvas_height
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
            "Traffic multiplied 3 times for mobile voice and 2.5 times for video calls"
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
            i + 2
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
    let svg = p.read(&format!("{DIR}/traffic.svg"));
    let (_, _, labels) = parse(&svg);
    assert_not_clipped(&labels, 640.0);
    let bars = read_bars(&svg);
    assert_eq!(bars.len(), 12, "one bar per multiplier");
    let mut previous_bottom = f64::NEG_INFINITY;
    for (k, bar) in bars.iter().enumerate() {
        // Sorted by factor, largest first: label i has factor i + 2 (a
        // factor of 1 is shown "stable").
        let i = 11 - k;
        assert_eq!(bar.value, format!("×{}", i + 2), "bar {k}");
        // The label, wrapped but whole: its lines joined give it back.
        assert_eq!(
            bar.label_lines.join(" "),
            format!("Visioconférence et partage d'écran HD numéro {i}"),
            "bar {k}: the label lost words"
        );
        assert!(bar.label_lines.len() >= 2, "a long label wraps");
        // Each line fits in the space left of the bar.
        for line in &bar.label_lines {
            let w = measured_width(line, 13.0, false);
            assert!(
                w <= bar.x,
                "{line:?} ({w:.1} px) runs into its bar at x={}",
                bar.x
            );
        }
        // Lines are spaced by at least a line height, centred on their bar,
        // and clear of the previous bar's lines.
        for w in bar.label_ys.windows(2) {
            assert!(w[1] - w[0] >= 13.0 * 1.1, "lines of bar {k} overlap: {w:?}");
        }
        let first = bar.label_ys[0];
        let last = *bar.label_ys.last().unwrap();
        let centre = bar.y + bar.height / 2.0;
        assert!(
            ((first + last) / 2.0 - centre).abs() <= 2.0,
            "bar {k}: label centred at {} but bar at {centre}",
            (first + last) / 2.0
        );
        assert!(
            first - 13.0 * 0.6 >= previous_bottom,
            "bar {k}: its label overlaps the one above"
        );
        previous_bottom = last + 13.0 * 0.6;
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
    assert!(labels.iter().any(|l| l.text == "×1\u{202F}000"));
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
    let charts: Vec<_> = a
        .iter()
        .filter(|(k, _)| k.ends_with(".svg") || k.ends_with(".png"))
        .collect();
    assert!(charts.iter().filter(|(k, _)| k.ends_with(".png")).count() >= 4);
    for (k, v) in charts {
        assert!(v == &b[k], "{k} differs");
    }
}

/// Width and height of an SVG's root element.
fn svg_size(svg: &str) -> (u32, u32) {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let root = doc.root_element();
    let get = |a: &str| root.attribute(a).unwrap().parse().unwrap();
    (get("width"), get("height"))
}

/// Every chart SVG of the built site has its PNG beside it, at twice its
/// pixel size, with more than one colour (something was drawn).
fn assert_pngs_beside_svgs(p: &Project) -> usize {
    let site = p.snapshot("output");
    let mut count = 0;
    for (path, bytes) in site.iter().filter(|(k, _)| k.ends_with(".svg")) {
        if path.starts_with("assets/") {
            continue;
        }
        let png_path = path.replace(".svg", ".png");
        let png = site
            .get(&png_path)
            .unwrap_or_else(|| panic!("no {png_path}"));
        let (w, h) = svg_size(std::str::from_utf8(bytes).unwrap());
        assert_eq!(png_size(png), (2 * w, 2 * h), "{png_path}");
        let decoded = png_pixels(png);
        let first = &decoded[..4];
        assert!(
            decoded.chunks(4).any(|px| px != first),
            "{png_path} is blank"
        );
        count += 1;
    }
    count
}

/// Decoded RGBA pixels, read with the png crate.
fn png_pixels(bytes: &[u8]) -> Vec<u8> {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    buf
}

#[test]
fn every_chart_has_a_png_at_twice_its_size() {
    let p = Project::multi();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    // Update charts, region time series and the overview.
    assert!(p.path("output/regions/north-coast/trends.png").exists());
    assert!(p.path("output/charts/overview.png").exists());
    assert!(assert_pngs_beside_svgs(&p) >= 6);
}

#[test]
fn a_200_character_label_with_emoji_still_rasterises_and_wraps() {
    let p = Project::example();
    let label = format!("{}📶🚀", "Réseau".repeat(33));
    assert_eq!(label.chars().count(), 200);
    p.edit(UPDATE, "label: Télétravail", &format!("label: \"{label}\""));
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let svg = p.read(&format!("{DIR}/traffic.svg"));
    let (_, _, labels) = parse(&svg);
    let bar = read_bars(&svg)
        .into_iter()
        .find(|b| b.label_lines.concat() == label)
        .expect("the label, whole, cut into lines");
    assert!(bar.label_lines.len() >= 4, "{:?}", bar.label_lines);
    for line in &bar.label_lines {
        // Neither bundled font draws emoji: measure the rest.
        let drawable: String = line.chars().filter(|c| (*c as u32) < 0x1F000).collect();
        assert!(measured_width(&drawable, 13.0, false) <= bar.x, "{line}");
    }
    assert_not_clipped(
        &labels
            .into_iter()
            .filter(|l| l.text.chars().all(|c| (c as u32) < 0x1F000))
            .collect::<Vec<_>>(),
        640.0,
    );
    assert_pngs_beside_svgs(&p);
}
