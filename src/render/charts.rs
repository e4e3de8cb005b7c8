//! Accessible SVG charts drawn with plotters.
//!
//! Layout is computed here with text measured by ab_glyph against the bundled
//! Noto Sans, at the exact font size written into the SVG (plotters' own
//! estimate scales by line height, not em size, and under-measures by ~10 %).
//! Each chart carries `<title>`, `<desc>` (alt text written from the data),
//! `role="img"`, and the same figures as table rows for the page.

use ab_glyph::{Font, FontRef, ScaleFont};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Serialize;
use std::sync::OnceLock;

use super::view::Labelled;
use super::xml_escape;
use crate::content::model::{Date, Language};
use crate::derive::{DerivedRegion, DerivedUpdate, SiteModel};
use crate::format;

pub const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
pub const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");
pub const FONT_ITALIC: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Italic.ttf");
/// Fallback for the few glyphs Noto Sans lacks (U+2212 MINUS SIGN…).
pub const FONT_FALLBACK: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const FAMILY: &str = "Noto Sans";

/// Okabe–Ito colours: distinguishable with every common colour blindness,
/// and of different lightness so they survive black-and-white printing.
const BLUE: RGBColor = RGBColor(0x00, 0x5A, 0x9C);
const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
const TEXT: RGBColor = RGBColor(0x1F, 0x29, 0x37);
const MUTED: RGBColor = RGBColor(0x5B, 0x63, 0x70);
const TRACK: RGBColor = RGBColor(0xE5, 0xE7, 0xEB);
const GRID: RGBColor = RGBColor(0xD1, 0xD5, 0xDB);

const WIDTH: u32 = 640;
const FONT_PX: f64 = 13.0;
const TITLE_PX: f64 = 15.0;

/// One chart: its file name beside the page, its SVG, and its data as text.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Chart {
    /// File stem, also the id prefix inside the SVG: `traffic`, `telework`…
    pub id: String,
    pub file: String,
    pub title: String,
    pub alt: String,
    pub svg: String,
    /// The same figures as a table, for readers who cannot see the chart.
    pub rows: Vec<Labelled>,
    /// Column headers of `rows`.
    pub columns: (String, String),
    /// Size of the drawing in pixels (its width is always 640), so a page
    /// layout can give a tall chart a bounded height.
    pub height: u32,
}

fn register_fonts() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        // The bytes are ours and known good; a failure would only drop to
        // plotters' error path, which the caller turns into an empty chart.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT_REGULAR);
        let _ = plotters::style::register_font(FAMILY, FontStyle::Bold, FONT_BOLD);
    });
}

fn font(bold: bool) -> &'static FontRef<'static> {
    static REGULAR: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    static BOLD: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    let cell = if bold { &BOLD } else { &REGULAR };
    let bytes = if bold { FONT_BOLD } else { FONT_REGULAR };
    cell.get_or_init(|| FontRef::try_from_slice(bytes).ok())
        .as_ref()
        .unwrap_or_else(|| unreachable_font())
}

#[cold]
fn unreachable_font() -> &'static FontRef<'static> {
    // The bundled font is checked by a unit test; reaching here means the
    // binary itself is corrupt.
    panic!("bundled Noto Sans font failed to load")
}

/// Width in pixels of `text` set in Noto Sans at `px` (the CSS font size).
pub fn text_width(text: &str, px: f64, bold: bool) -> f64 {
    let f = font(bold);
    let scaled = f.as_scaled(
        f.pt_to_px_scale(px as f32)
            .unwrap_or(ab_glyph::PxScale::from(px as f32)),
    );
    let mut width = 0.0f32;
    let mut prev = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            width += scaled.kern(p, id);
        }
        width += scaled.h_advance(id);
        prev = Some(id);
    }
    f64::from(width)
}

/// Splits `text` into lines no wider than `max` pixels, breaking at spaces
/// (a single word longer than `max` gets a line of its own).
pub fn wrap(text: &str, px: f64, max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if text_width(&candidate, px, false) <= max || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::take(&mut current));
            current = word.to_string();
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// A text style whose SVG font-size is exactly `px` (plotters divides by 1.24).
fn style(px: f64, color: &'static RGBColor, h: HPos, bold: bool) -> TextStyle<'static> {
    let font_style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    TextStyle::from((FAMILY, px * 1.24, font_style).into_font())
        .color(color)
        .pos(Pos::new(h, VPos::Center))
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// Draws with plotters into a string and adds the accessibility wrapper.
fn draw_svg(
    id: &str,
    title: &str,
    alt: &str,
    height: u32,
    paint: impl FnOnce(&Area) -> Result<(), String>,
) -> String {
    register_fonts();
    let mut buf = String::new();
    let result = {
        let area = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        let r = area
            .fill(&WHITE)
            .map_err(|e| e.to_string())
            .and_then(|_| paint(&area));
        r.and_then(|_| area.present().map_err(|e| e.to_string()))
    };
    if result.is_err() {
        // A drawing error leaves a blank but valid, still-described chart.
        buf = format!(
            "<svg width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" xmlns=\"http://www.w3.org/2000/svg\">\n</svg>\n"
        );
    }
    accessible(&buf, id, title, alt)
}

/// Adds `role`, `aria-labelledby`, `<title>` and `<desc>` to plotters' SVG.
fn accessible(svg: &str, id: &str, title: &str, alt: &str) -> String {
    let Some(open_end) = svg.find('>') else {
        return svg.to_string();
    };
    let (open, rest) = svg.split_at(open_end);
    let open = open.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" class=\"chart\" "),
        1,
    );
    format!(
        "{open}>\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>{}",
        xml_escape(title),
        xml_escape(alt),
        &rest[1..]
    )
}

fn text(area: &Area, s: &str, x: f64, y: f64, st: &TextStyle) -> Result<(), String> {
    area.draw(&Text::new(
        s.to_string(),
        (x.round() as i32, y.round() as i32),
        st.clone(),
    ))
    .map_err(|e| e.to_string())
}

fn rect(area: &Area, x0: f64, y0: f64, x1: f64, y1: f64, color: &RGBColor) -> Result<(), String> {
    area.draw(&Rectangle::new(
        [
            (x0.round() as i32, y0.round() as i32),
            (x1.round() as i32, y1.round() as i32),
        ],
        color.filled(),
    ))
    .map_err(|e| e.to_string())
}

/// One bar of a horizontal bar chart.
struct Bar {
    label: String,
    value: f64,
    shown: String,
}

/// Horizontal bars, one per row, labels on the left (wrapped, never
/// clipped), value labels at the bar ends. `max` fixes the scale (100 for
/// shares) or, when `None`, the largest value sets it.
fn bar_chart(
    id: &str,
    title: &str,
    alt: &str,
    bars: &[Bar],
    max: Option<f64>,
    color: &RGBColor,
) -> String {
    let left_pad = 12.0;
    let label_cap = f64::from(WIDTH) * 0.42;
    let wrapped: Vec<Vec<String>> = bars
        .iter()
        .map(|b| wrap(&b.label, FONT_PX, label_cap))
        .collect();
    let label_w = wrapped
        .iter()
        .flatten()
        .map(|l| text_width(l, FONT_PX, false))
        .fold(0.0, f64::max)
        .min(label_cap.max(1.0));
    let value_w = bars
        .iter()
        .map(|b| text_width(&b.shown, FONT_PX, true))
        .fold(0.0, f64::max);
    let line_h = FONT_PX * 1.35;
    let row_h: Vec<f64> = wrapped
        .iter()
        .map(|l| (l.len().max(1) as f64 * line_h + 10.0).max(30.0))
        .collect();
    let top = TITLE_PX * 2.4;
    let height = (top + row_h.iter().sum::<f64>() + 12.0).ceil() as u32;
    let bar_x = left_pad + label_w + 10.0;
    let bar_max_w = (f64::from(WIDTH) - bar_x - value_w - 20.0).max(10.0);
    let scale_max = max
        .unwrap_or_else(|| bars.iter().map(|b| b.value).fold(0.0, f64::max))
        .max(f64::MIN_POSITIVE);
    let title_style = style(TITLE_PX, &TEXT, HPos::Left, true);
    let label_style = style(FONT_PX, &TEXT, HPos::Right, false);
    let value_style = style(FONT_PX, &TEXT, HPos::Left, true);

    draw_svg(id, title, alt, height, |area| {
        text(area, title, left_pad, TITLE_PX, &title_style)?;
        let mut y = top;
        for ((bar, lines), h) in bars.iter().zip(&wrapped).zip(&row_h) {
            let mid = y + h / 2.0;
            let first = mid - (lines.len() as f64 - 1.0) * line_h / 2.0;
            for (i, line) in lines.iter().enumerate() {
                text(
                    area,
                    line,
                    bar_x - 10.0,
                    first + i as f64 * line_h,
                    &label_style,
                )?;
            }
            let thickness = (h - 12.0).min(20.0);
            if max.is_some() {
                rect(
                    area,
                    bar_x,
                    mid - thickness / 2.0,
                    bar_x + bar_max_w,
                    mid + thickness / 2.0,
                    &TRACK,
                )?;
            }
            let w = (bar.value.max(0.0) / scale_max).min(1.0) * bar_max_w;
            // A non-zero value always shows as at least a sliver.
            let w = if bar.value > 0.0 { w.max(2.0) } else { 0.0 };
            rect(
                area,
                bar_x,
                mid - thickness / 2.0,
                bar_x + w,
                mid + thickness / 2.0,
                color,
            )?;
            let value_x = if max.is_some() {
                bar_x + bar_max_w + 8.0
            } else {
                bar_x + w + 8.0
            };
            text(area, &bar.shown, value_x, mid, &value_style)?;
            y += h;
        }
        Ok(())
    })
}

/// "a, b et c" / "a, b and c".
pub fn join_list(items: &[String], lang: Language) -> String {
    let and = if lang == Language::Fr { "et" } else { "and" };
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} {and} {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

fn file_of(id: &str) -> String {
    format!("{id}.svg")
}

fn chart(
    id: &str,
    title: String,
    alt: String,
    svg: String,
    rows: Vec<Labelled>,
    columns: (&str, &str),
) -> Chart {
    // The height plotters wrote into the root element.
    let height = svg
        .split_once(" height=\"")
        .and_then(|(_, rest)| rest.split('"').next())
        .and_then(|h| h.parse().ok())
        .unwrap_or(0);
    Chart {
        id: id.into(),
        file: file_of(id),
        title,
        alt,
        svg,
        height,
        rows,
        columns: (columns.0.into(), columns.1.into()),
    }
}

fn columns(lang: Language) -> (&'static str, &'static str) {
    match lang {
        Language::Fr => ("Indicateur", "Valeur"),
        Language::En => ("Figure", "Value"),
    }
}

/// The charts of one update, for the sections it has.
pub fn update_charts(d: &DerivedUpdate, lang: Language) -> Vec<Chart> {
    let u = &d.update;
    let mut out = Vec::new();
    let fr = lang == Language::Fr;

    if !d.multipliers_ranked.is_empty() {
        let title = if fr {
            "Multiplication du trafic"
        } else {
            "Traffic multipliers"
        }
        .to_string();
        let parts: Vec<String> = d
            .multipliers_ranked
            .iter()
            .map(|m| {
                let n = format::number(m.factor, lang);
                if fr {
                    format!("par {n} pour {}", super::view::lowercase_first(&m.label))
                } else {
                    format!("{n} times for {}", m.label)
                }
            })
            .collect();
        let baseline = u.traffic.as_ref().and_then(|t| t.baseline.clone());
        let mut alt = if fr {
            format!("Trafic multiplié {}", join_list(&parts, lang))
        } else {
            format!("Traffic multiplied {}", join_list(&parts, lang))
        };
        if let Some(b) = baseline {
            alt.push_str(&if fr {
                format!(", par rapport à {b}")
            } else {
                format!(", compared with {b}")
            });
        }
        alt.push('.');
        let bars: Vec<Bar> = d
            .multipliers_ranked
            .iter()
            .map(|m| Bar {
                label: m.label.clone(),
                value: m.factor,
                shown: format::multiplier(m.factor, lang),
            })
            .collect();
        let rows = bars
            .iter()
            .map(|b| Labelled {
                label: b.label.clone(),
                value: b.shown.clone(),
            })
            .collect();
        let svg = bar_chart("traffic", &title, &alt, &bars, None, &BLUE);
        out.push(chart("traffic", title, alt, svg, rows, columns(lang)));
    }

    let mut share =
        |id: &str, title: &str, label: String, value: f64, alt: String, color: &RGBColor| {
            let shown = format::percent(value, lang);
            let bars = [Bar {
                label: label.clone(),
                value,
                shown: shown.clone(),
            }];
            let svg = bar_chart(id, title, &alt, &bars, Some(100.0), color);
            out.push(chart(
                id,
                title.into(),
                alt,
                svg,
                vec![Labelled {
                    label,
                    value: shown,
                }],
                columns(lang),
            ));
        };
    if let Some(p) = u.telework.as_ref().and_then(|t| t.percent) {
        let pc = format::percent(p, lang);
        let (title, label, alt) = if fr {
            (
                "Télétravail",
                "Salariés en télétravail".to_string(),
                format!("{pc} des salariés en télétravail."),
            )
        } else {
            (
                "Telework",
                "Staff working remotely".to_string(),
                format!("{pc} of staff working remotely."),
            )
        };
        share("telework", title, label, p, alt, &BLUE);
    }
    if let (Some(pct), Some(s)) = (d.shops_reopened_percent, u.shops.as_ref()) {
        let (r, t) = (s.reopened.unwrap_or(0), s.total.unwrap_or(0));
        let (title, label, alt) = if fr {
            (
                "Boutiques rouvertes",
                format!("{r} boutiques sur {t}"),
                format!(
                    "{r} boutiques rouvertes sur {t}, soit {}.",
                    format::percent(pct, lang)
                ),
            )
        } else {
            (
                "Shops reopened",
                format!("{r} of {t} shops"),
                format!("{r} of {t} shops reopened, {}.", format::percent(pct, lang)),
            )
        };
        share("shops", title, label, pct, alt, &GREEN);
    }
    if let Some(c) = u.online.as_ref().and_then(|o| o.customers_percent) {
        let pc = format::percent(c, lang);
        let (title, label, alt) = if fr {
            (
                "Clients en ligne",
                "Clients servis en ligne".to_string(),
                format!("{pc} des clients servis en ligne."),
            )
        } else {
            (
                "Online customers",
                "Customers served online".to_string(),
                format!("{pc} of customers served online."),
            )
        };
        share("online", title, label, c, alt, &ORANGE);
    }
    out
}

/// A series of a time-series chart.
struct Series {
    name: String,
    color: RGBColor,
    points: Vec<(Date, f64)>,
    /// Dash pattern in pixels, so series differ without colour too.
    dash: Option<(f64, f64)>,
    marker: Marker,
}

#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Square,
    Triangle,
}

/// Lines over time on a 0–100 % scale, with a legend and date labels that
/// are thinned out until they no longer overlap.
fn time_series(
    id: &str,
    title: &str,
    alt: &str,
    dates: &[Date],
    series: &[Series],
    lang: Language,
) -> String {
    let height = 320u32;
    let (left, right, top, bottom) = (
        48.0,
        f64::from(WIDTH) - 24.0,
        64.0,
        f64::from(height) - 40.0,
    );
    let first = dates.first().map_or(0, Date::days_since_epoch);
    let last = dates.last().map_or(1, Date::days_since_epoch);
    let span = ((last - first).max(1)) as f64;
    let x_of = |d: &Date| left + (d.days_since_epoch() - first) as f64 / span * (right - left);
    let y_of = |v: f64| bottom - v.clamp(0.0, 100.0) / 100.0 * (bottom - top);
    let multi_year = dates.first().map(|d| d.year) != dates.last().map(|d| d.year);
    let labels: Vec<(f64, String)> = dates
        .iter()
        .map(|d| (x_of(d), format::short_date(*d, lang, multi_year)))
        .collect();
    // Keep every k-th label so that none overlaps its neighbour.
    let half: Vec<f64> = labels
        .iter()
        .map(|(_, l)| text_width(l, 11.0, false) / 2.0)
        .collect();
    let mut step = 1;
    while step < labels.len() {
        let overlaps = (step..labels.len())
            .step_by(step)
            .any(|i| labels[i - step].0 + half[i - step] + 8.0 > labels[i].0 - half[i]);
        if !overlaps {
            break;
        }
        step += 1;
    }
    let title_style = style(TITLE_PX, &TEXT, HPos::Left, true);
    let axis_style = style(11.0, &MUTED, HPos::Right, false);
    let date_style = style(11.0, &MUTED, HPos::Center, false);
    let legend_style = style(12.0, &TEXT, HPos::Left, false);

    let svg = draw_svg(id, title, alt, height, |area| {
        text(area, title, 12.0, TITLE_PX, &title_style)?;
        // Legend on one line under the title.
        let mut lx = 12.0;
        for s in series {
            draw_marker(area, s.marker, lx + 6.0, 40.0, &s.color)?;
            text(area, &s.name, lx + 16.0, 40.0, &legend_style)?;
            lx += 16.0 + text_width(&s.name, 12.0, false) + 24.0;
        }
        for v in [0.0, 25.0, 50.0, 75.0, 100.0] {
            let y = y_of(v);
            area.draw(&PathElement::new(
                vec![(left as i32, y as i32), (right as i32, y as i32)],
                GRID.stroke_width(1),
            ))
            .map_err(|e| e.to_string())?;
            text(area, &format::percent(v, lang), left - 6.0, y, &axis_style)?;
        }
        // Date labels at the sides are kept inside the chart.
        for (x, label) in labels.iter().step_by(step) {
            let half = text_width(label, 11.0, false) / 2.0;
            let x = x.clamp(half + 2.0, f64::from(WIDTH) - half - 2.0);
            text(area, label, x, bottom + 16.0, &date_style)?;
        }
        for s in series {
            let pts: Vec<(f64, f64)> = s.points.iter().map(|(d, v)| (x_of(d), y_of(*v))).collect();
            // One polyline per series; its dash pattern is added below.
            let line: Vec<(i32, i32)> = pts
                .iter()
                .map(|(x, y)| (x.round() as i32, y.round() as i32))
                .collect();
            area.draw(&PathElement::new(line, s.color.stroke_width(2)))
                .map_err(|e| e.to_string())?;
            for (x, y) in &pts {
                draw_marker(area, s.marker, *x, *y, &s.color)?;
            }
        }
        Ok(())
    });
    // plotters cannot dash a line: give each dashed series' polyline (the
    // only 2-px strokes of its colour) a stroke-dasharray, so the series
    // differ in black-and-white print too.
    series.iter().fold(svg, |svg, s| match s.dash {
        Some((on, off)) => {
            let stroke = format!(
                "stroke=\"#{:02X}{:02X}{:02X}\" stroke-width=\"2\"",
                s.color.0, s.color.1, s.color.2
            );
            svg.replace(
                &stroke,
                &format!("{stroke} stroke-dasharray=\"{on} {off}\""),
            )
        }
        None => svg,
    })
}

fn draw_marker(
    area: &Area,
    marker: Marker,
    x: f64,
    y: f64,
    color: &RGBColor,
) -> Result<(), String> {
    let (xi, yi) = (x.round() as i32, y.round() as i32);
    let r = match marker {
        Marker::Circle => area.draw(&Circle::new((xi, yi), 5, color.filled())),
        Marker::Square => area.draw(&Rectangle::new(
            [(xi - 4, yi - 4), (xi + 4, yi + 4)],
            color.filled(),
        )),
        Marker::Triangle => area.draw(&Polygon::new(
            vec![(xi, yi - 6), (xi - 5, yi + 4), (xi + 5, yi + 4)],
            color.filled(),
        )),
    };
    r.map_err(|e| e.to_string())
}

/// Time series for a region with two or more updates.
pub fn region_charts(region: &DerivedRegion, lang: Language) -> Vec<Chart> {
    if region.updates.len() < 2 {
        return Vec::new();
    }
    let fr = lang == Language::Fr;
    let dates: Vec<Date> = region.updates.iter().map(|d| d.update.date).collect();
    let pick = |f: &dyn Fn(&DerivedUpdate) -> Option<f64>| -> Vec<(Date, f64)> {
        region
            .updates
            .iter()
            .filter_map(|d| f(d).map(|v| (d.update.date, v)))
            .collect()
    };
    let all = [
        Series {
            name: if fr { "Télétravail" } else { "Telework" }.into(),
            color: BLUE,
            points: pick(&|d| d.update.telework.as_ref().and_then(|t| t.percent)),
            dash: None,
            marker: Marker::Circle,
        },
        Series {
            name: if fr {
                "Boutiques rouvertes"
            } else {
                "Shops reopened"
            }
            .into(),
            color: GREEN,
            points: pick(&|d| d.shops_reopened_percent),
            dash: Some((8.0, 4.0)),
            marker: Marker::Square,
        },
        Series {
            name: if fr {
                "Clients en ligne"
            } else {
                "Online customers"
            }
            .into(),
            color: ORANGE,
            points: pick(&|d| d.update.online.as_ref().and_then(|o| o.customers_percent)),
            dash: Some((2.0, 4.0)),
            marker: Marker::Triangle,
        },
    ];
    let series: Vec<Series> = all.into_iter().filter(|s| !s.points.is_empty()).collect();
    if series.is_empty() {
        return Vec::new();
    }
    let title = if fr {
        format!("Évolution en {}", region.region.name)
    } else {
        format!("Trends in {}", region.region.name)
    };
    let describe = |s: &Series| {
        let (a, b) = (s.points[0], s.points[s.points.len() - 1]);
        if fr {
            format!(
                "{} : de {} le {} à {} le {}",
                s.name,
                format::percent(a.1, lang),
                format::date(a.0, lang),
                format::percent(b.1, lang),
                format::date(b.0, lang)
            )
        } else {
            format!(
                "{}: from {} on {} to {} on {}",
                s.name,
                format::percent(a.1, lang),
                format::date(a.0, lang),
                format::percent(b.1, lang),
                format::date(b.0, lang)
            )
        }
    };
    let alt = series.iter().map(describe).collect::<Vec<_>>().join(". ") + ".";
    let mut rows = Vec::new();
    for d in &dates {
        let values: Vec<String> = series
            .iter()
            .filter_map(|s| {
                s.points
                    .iter()
                    .find(|p| p.0 == *d)
                    .map(|p| format!("{} {}", s.name, format::percent(p.1, lang)))
            })
            .collect();
        rows.push(Labelled {
            label: format::date(*d, lang),
            value: values.join(" · "),
        });
    }
    let svg = time_series("trends", &title, &alt, &dates, &series, lang);
    vec![chart(
        "trends",
        title,
        alt,
        svg,
        rows,
        ("Date", if fr { "Valeurs" } else { "Values" }),
    )]
}

/// Every region's latest telework and shops-reopened shares, side by side.
pub fn overview_charts(model: &SiteModel) -> Vec<Chart> {
    let lang = model.site.language;
    let fr = lang == Language::Fr;
    let mut rows: Vec<&crate::derive::OverviewRow> = model
        .overview
        .iter()
        .filter(|r| r.telework_percent.is_some() || r.shops_reopened_percent.is_some())
        .collect();
    if rows.is_empty() {
        return Vec::new();
    }
    rows.sort_by(|a, b| {
        b.telework_percent
            .unwrap_or(-1.0)
            .total_cmp(&a.telework_percent.unwrap_or(-1.0))
            .then(a.name.cmp(&b.name))
    });
    let title = if fr {
        "Dernières données par région"
    } else {
        "Latest figures by region"
    }
    .to_string();
    let tw = if fr { "Télétravail" } else { "Telework" };
    let sh = if fr {
        "Boutiques rouvertes"
    } else {
        "Shops reopened"
    };
    let fmt = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| format::percent(v, lang));
    let parts: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} : {} {}, {} {}",
                r.name,
                tw.to_lowercase(),
                fmt(r.telework_percent),
                sh.to_lowercase(),
                fmt(r.shops_reopened_percent)
            )
        })
        .map(|s| if fr { s } else { s.replacen(" :", ":", 1) })
        .collect();
    let alt = parts
        .join(" ; ")
        .replace(" ; ", if fr { " ; " } else { "; " })
        + ".";
    let table = rows
        .iter()
        .map(|r| Labelled {
            label: r.name.clone(),
            value: format!(
                "{tw} {} · {sh} {}",
                fmt(r.telework_percent),
                fmt(r.shops_reopened_percent)
            ),
        })
        .collect();

    // Grouped bars: two per region, telework then shops, on a 0–100 scale.
    let label_cap = f64::from(WIDTH) * 0.36;
    let wrapped: Vec<Vec<String>> = rows
        .iter()
        .map(|r| wrap(&r.name, FONT_PX, label_cap))
        .collect();
    let label_w = wrapped
        .iter()
        .flatten()
        .map(|l| text_width(l, FONT_PX, false))
        .fold(0.0, f64::max)
        .min(label_cap);
    let value_w = text_width(&format::percent(100.0, lang), 12.0, true);
    let line_h = FONT_PX * 1.35;
    let row_h: Vec<f64> = wrapped
        .iter()
        .map(|l| (l.len() as f64 * line_h + 12.0).max(44.0))
        .collect();
    let top = 64.0;
    let height = (top + row_h.iter().sum::<f64>() + 12.0).ceil() as u32;
    let bar_x = 12.0 + label_w + 10.0;
    let bar_max_w = f64::from(WIDTH) - bar_x - value_w - 24.0;
    let title_style = style(TITLE_PX, &TEXT, HPos::Left, true);
    let label_style = style(FONT_PX, &TEXT, HPos::Right, false);
    let value_style = style(12.0, &TEXT, HPos::Left, true);
    let legend_style = style(12.0, &TEXT, HPos::Left, false);
    let svg = draw_svg("overview", &title, &alt, height, |area| {
        text(area, &title, 12.0, TITLE_PX, &title_style)?;
        let mut lx = 12.0;
        for (name, color) in [(tw, BLUE), (sh, GREEN)] {
            rect(area, lx, 34.0, lx + 12.0, 46.0, &color)?;
            text(area, name, lx + 18.0, 40.0, &legend_style)?;
            lx += 18.0 + text_width(name, 12.0, false) + 24.0;
        }
        let mut y = top;
        for ((r, lines), h) in rows.iter().zip(&wrapped).zip(&row_h) {
            let mid = y + h / 2.0;
            let first = mid - (lines.len() as f64 - 1.0) * line_h / 2.0;
            for (i, line) in lines.iter().enumerate() {
                text(
                    area,
                    line,
                    bar_x - 10.0,
                    first + i as f64 * line_h,
                    &label_style,
                )?;
            }
            for (k, (v, color)) in [
                (r.telework_percent, BLUE),
                (r.shops_reopened_percent, GREEN),
            ]
            .into_iter()
            .enumerate()
            {
                let cy = mid - 8.0 + k as f64 * 16.0;
                let Some(v) = v else { continue };
                let w = (v / 100.0).clamp(0.0, 1.0) * bar_max_w;
                let w = if v > 0.0 { w.max(2.0) } else { 0.0 };
                rect(area, bar_x, cy - 6.0, bar_x + w, cy + 6.0, &color)?;
                text(
                    area,
                    &format::percent(v, lang),
                    bar_x + w + 6.0,
                    cy,
                    &value_style,
                )?;
            }
            y += h;
        }
        Ok(())
    });
    vec![chart(
        "overview",
        title,
        alt,
        svg,
        table,
        (
            if fr { "Région" } else { "Region" },
            if fr { "Valeurs" } else { "Values" },
        ),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_font_measures_text() {
        let w = text_width("Visioconférence", 13.0, false);
        assert!(w > 80.0 && w < 130.0, "{w}");
        assert!(text_width("WW", 13.0, false) > text_width("ii", 13.0, false));
    }

    #[test]
    fn wrapping_respects_the_width() {
        let lines = wrap(
            "Visioconférence et partage d'écran HD en haute définition",
            13.0,
            150.0,
        );
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(
                text_width(l, 13.0, false) <= 150.0 || !l.contains(' '),
                "{l}"
            );
        }
    }
}
