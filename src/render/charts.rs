//! Accessible SVG charts drawn with plotters, from the chart
//! specifications of the views (`view::charts`).
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

use super::xml_escape;
use crate::content::model::Date;
use crate::view::charts::{Bar, Chart, Colour, Drawing, GroupRow, Marker, Series};

pub const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
pub const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");
pub const FONT_ITALIC: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Italic.ttf");
/// Fallback for the few glyphs Noto Sans lacks (U+2212 MINUS SIGN…).
pub const FONT_FALLBACK: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub const FAMILY: &str = "Noto Sans";
/// The same font as WOFF2 subset to Latin (`assets/webfonts/README.md`),
/// shipped with the site so that browsers lay charts out as measured here:
/// file name and bytes; the stylesheet's `@font-face` rules name them.
pub const WEBFONTS: &[(&str, &[u8])] = &[
    (
        "NotoSans-Regular.woff2",
        include_bytes!("../../assets/webfonts/NotoSans-Regular.woff2"),
    ),
    (
        "NotoSans-Bold.woff2",
        include_bytes!("../../assets/webfonts/NotoSans-Bold.woff2"),
    ),
    (
        "NotoSans-Italic.woff2",
        include_bytes!("../../assets/webfonts/NotoSans-Italic.woff2"),
    ),
    ("OFL.txt", include_bytes!("../../assets/webfonts/OFL.txt")),
];
/// What an SVG names as its font: the bundled font (the site's web font,
/// [`WEBFONTS`]), then look-alikes, then any sans-serif.
const FAMILIES: &str = "'Noto Sans', 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif";

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
/// Room left in a label column beyond the width measured with Noto Sans: a
/// reader whose browser draws the labels with a fallback font (DejaVu Sans
/// is up to 12 % wider) must still see them whole.
const LABEL_SLACK: f64 = 1.15;
/// A bar's label or a chart's title longer than this many characters is
/// cut, with an ellipsis, before it is wrapped (the chart's data table
/// holds the whole text): a 200-character label is still drawn whole, but
/// a 5 000-character one made a 13 000-pixel-high image.
const TEXT_CHARS: usize = 300;

/// The canvas a chart is drawn on: the page's wide chart, or its narrow
/// variant that phones show instead (`style.css`), drawn 300 px wide with
/// no text under 12 px so that, scaled into a 360 px screen, no text is
/// under 11 CSS px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Canvas {
    pub width: u32,
    /// Size of the smallest text (axis and date labels).
    pub small: f64,
    /// Class of the root element besides `chart`.
    class: &'static str,
    /// Suffix of the element ids, unique on a page showing both.
    suffix: &'static str,
}

pub const WIDE: Canvas = Canvas {
    width: WIDTH,
    small: 11.0,
    class: "",
    suffix: "",
};

pub const NARROW: Canvas = Canvas {
    width: 300,
    small: 12.0,
    class: " chart-narrow",
    suffix: "-narrow",
};

impl Canvas {
    fn w(self) -> f64 {
        f64::from(self.width)
    }
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
    // ab_glyph scales by the font's height, CSS by its em: `px` pixels per
    // em (not points, which `pt_to_px_scale` would take it for, 4/3 wider).
    let per_em = f
        .units_per_em()
        .map_or(px as f32, |upem| px as f32 * f.height_unscaled() / upem);
    let scaled = f.as_scaled(ab_glyph::PxScale::from(per_em));
    let mut width = 0.0f32;
    let mut prev = None;
    // Format characters (bidi isolates and marks, joiners) take no room.
    for c in text
        .chars()
        .filter(|c| !crate::content::validate::is_format(*c))
    {
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
/// (a single word longer than `max` is cut between characters).
pub fn wrap(text: &str, px: f64, max: f64) -> Vec<String> {
    wrap_weighted(text, px, max, false)
}

/// [`wrap`] for regular (`bold` false) or bold text.
pub fn wrap_weighted(text: &str, px: f64, max: f64, bold: bool) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    // Lines break at breakable spaces only: "90 %" and "1 800" (no-break
    // spaces, as relance writes them or binds them in typed text) stay whole.
    let text = crate::locale::bind_figures(text);
    let words = text
        .split(crate::locale::is_breakable_space)
        .filter(|w| !w.is_empty())
        .flat_map(|w| cut_word(w, px, max.max(px), bold));
    for word in words {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if text_width(&candidate, px, bold) <= max || current.is_empty() {
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

/// `word` cut into pieces no wider than `max` (one piece when it fits).
fn cut_word(word: &str, px: f64, max: f64, bold: bool) -> Vec<String> {
    if text_width(word, px, bold) <= max {
        return vec![word.to_string()];
    }
    let mut pieces = vec![String::new()];
    for c in word.chars() {
        let last = pieces.last_mut().map(|p| {
            let mut q = p.clone();
            q.push(c);
            (text_width(&q, px, bold) <= max || p.is_empty(), p)
        });
        match last {
            Some((true, p)) => p.push(c),
            _ => pieces.push(c.to_string()),
        }
    }
    pieces
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
    (id, title, alt): (&str, &str, &str),
    canvas: Canvas,
    height: u32,
    paint: impl FnOnce(&Area) -> Result<(), String>,
) -> String {
    register_fonts();
    let width = canvas.width;
    let mut buf = String::new();
    let result = {
        let area = SVGBackend::with_string(&mut buf, (width, height)).into_drawing_area();
        let r = area
            .fill(&WHITE)
            .map_err(|e| e.to_string())
            .and_then(|_| paint(&area));
        r.and_then(|_| area.present().map_err(|e| e.to_string()))
    };
    if result.is_err() {
        // A drawing error leaves a blank but valid, still-described chart.
        buf = format!(
            "<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">\n</svg>\n"
        );
    }
    let id = format!("{id}{}", canvas.suffix);
    accessible(&buf, (&id, canvas.class), title, alt)
}

/// Adds `role`, `aria-labelledby`, `<title>` and `<desc>` to plotters' SVG.
fn accessible(svg: &str, (id, class): (&str, &str), title: &str, alt: &str) -> String {
    let Some(open_end) = svg.find('>') else {
        return svg.to_string();
    };
    let (open, rest) = svg.split_at(open_end);
    let open = open.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" class=\"chart{class}\" "
        ),
        1,
    );
    let body = rest[1..].replace(
        &format!("font-family=\"{FAMILY}\""),
        &format!("font-family=\"{FAMILIES}\""),
    );
    format!(
        "{open}>\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>{body}",
        xml_escape(title),
        xml_escape(alt),
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

/// `color` a third of the way to white: a range's span (still 3:1
/// against the white page for the palette's blue).
fn lighter(color: &RGBColor) -> RGBColor {
    let tint = |c: u8| ((u32::from(c) * 65 + 255 * 35) / 100) as u8;
    RGBColor(tint(color.0), tint(color.1), tint(color.2))
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

/// Where the bars of a chart are drawn: from `x`, `max_w` pixels long
/// for `scale_max`; `shaded`: the whole length is shaded behind each bar
/// (a share out of a fixed scale).
struct BarTrack {
    x: f64,
    max_w: f64,
    scale_max: f64,
    shaded: bool,
}

impl BarTrack {
    /// The length of a bar of value `v`.
    fn width(&self, v: f64) -> f64 {
        let w = (v.max(0.0) / self.scale_max).min(1.0) * self.max_w;
        // A non-zero value always shows as at least a sliver.
        if v > 0.0 { w.max(2.0) } else { 0.0 }
    }

    /// Draws `bar` centred on `mid`, `thickness` high; returns where its
    /// value label starts.
    fn draw(
        &self,
        area: &Area,
        bar: &Bar,
        (mid, thickness): (f64, f64),
        color: &RGBColor,
    ) -> Result<f64, String> {
        let (x, y0, y1) = (self.x, mid - thickness / 2.0, mid + thickness / 2.0);
        if self.shaded {
            rect(area, x, y0, x + self.max_w, y1, &TRACK)?;
        }
        let w = self.width(bar.value);
        let solid = bar.from.map_or(w, |v| self.width(v));
        rect(area, x, y0, x + solid, y1, color)?;
        if bar.from.is_some() {
            // A range: a lighter span from the lower bound to the upper,
            // each bound marked by a rule across the bar.
            rect(area, x + solid, y0, x + w, y1, &lighter(color))?;
            for at in [solid, w] {
                rect(area, x + at - 1.0, y0 - 3.0, x + at + 1.0, y1 + 3.0, color)?;
            }
        }
        Ok(match self.shaded {
            true => x + self.max_w + 8.0,
            false => x + w + 8.0,
        })
    }
}

/// Horizontal bars, one per row, labels on the left (wrapped, never
/// clipped), value labels at the bar ends. `max` fixes the scale (100 for
/// shares) or, when `None`, the largest value sets it.
fn bar_chart(
    texts: (&str, &str, &str),
    canvas: Canvas,
    bars: &[Bar],
    max: Option<f64>,
    color: &RGBColor,
) -> String {
    let title = texts.1;
    let left_pad = 12.0;
    let label_cap = canvas.w() * 0.42;
    let wrapped: Vec<Vec<String>> = bars
        .iter()
        .map(|b| label_lines(&b.label, label_cap))
        .collect();
    let label_w = wrapped
        .iter()
        .flatten()
        .map(|l| text_width(l, FONT_PX, false))
        .fold(0.0, f64::max)
        .min(label_cap.max(1.0))
        * LABEL_SLACK;
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
    let bar_max_w = (canvas.w() - bar_x - value_w - 20.0).max(10.0);
    let track = BarTrack {
        x: bar_x,
        max_w: bar_max_w,
        scale_max: max
            .unwrap_or_else(|| bars.iter().map(|b| b.value).fold(0.0, f64::max))
            .max(f64::MIN_POSITIVE),
        shaded: max.is_some(),
    };
    let title_style = style(TITLE_PX, &TEXT, HPos::Left, true);
    let label_style = style(FONT_PX, &TEXT, HPos::Right, false);
    let value_style = style(FONT_PX, &TEXT, HPos::Left, true);

    let (title_lines, top) = title_block(title, canvas, top);
    let height = height + (top - TITLE_PX * 2.4) as u32;
    draw_svg(texts, canvas, height, |area| {
        draw_title(area, &title_lines, left_pad, &title_style)?;
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
            let value_x = track.draw(area, bar, (mid, thickness), color)?;
            text(area, &bar.shown, value_x, mid, &value_style)?;
            y += h;
        }
        Ok(())
    })
}

/// Lines over time on a 0–100 % scale, with a legend and date labels that
/// are thinned out until they no longer overlap.
fn time_series(
    texts: (&str, &str, &str),
    canvas: Canvas,
    dated: &[(Date, String)],
    axis: &[(f64, String)],
    series: &[Series],
) -> String {
    let title = texts.1;
    let small = canvas.small;
    let dates: Vec<Date> = dated.iter().map(|(d, _)| *d).collect();
    let (title_lines, title_h) = title_block(title, canvas, 0.0);
    let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
    let legend = legend_rows(&names, canvas, 16.0, title_h + 16.0);
    let legend_bottom = legend.last().map_or(title_h, |(_, y)| *y);
    let top = legend_bottom + 24.0;
    let height = (top + 216.0 + 40.0).ceil() as u32;
    let (left, right, bottom) = (48.0, canvas.w() - 24.0, f64::from(height) - 40.0);
    let first = dates.first().map_or(0, Date::days_since_epoch);
    let last = dates.last().map_or(1, Date::days_since_epoch);
    let span = ((last - first).max(1)) as f64;
    let x_of = |d: &Date| left + (d.days_since_epoch() - first) as f64 / span * (right - left);
    let y_of = |v: f64| bottom - v.clamp(0.0, 100.0) / 100.0 * (bottom - top);
    let labels: Vec<(f64, String)> = dated.iter().map(|(d, l)| (x_of(d), l.clone())).collect();
    // Keep every k-th label so that none overlaps its neighbour.
    let half: Vec<f64> = labels
        .iter()
        .map(|(_, l)| text_width(l, small, false) / 2.0)
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
    let axis_style = style(small, &MUTED, HPos::Right, false);
    let date_style = style(small, &MUTED, HPos::Center, false);
    let legend_style = style(12.0, &TEXT, HPos::Left, false);

    let svg = draw_svg(texts, canvas, height, |area| {
        draw_title(area, &title_lines, 12.0, &title_style)?;
        // Legend under the title, on as many lines as it needs.
        for (s, (lx, ly)) in series.iter().zip(&legend) {
            draw_marker(area, s.marker, lx + 6.0, *ly, &rgb(s.colour))?;
            text(area, &s.name, lx + 16.0, *ly, &legend_style)?;
        }
        for (v, label) in axis {
            let y = y_of(*v);
            area.draw(&PathElement::new(
                vec![(left as i32, y as i32), (right as i32, y as i32)],
                GRID.stroke_width(1),
            ))
            .map_err(|e| e.to_string())?;
            text(area, label, left - 6.0, y, &axis_style)?;
        }
        // Date labels at the sides are kept inside the chart.
        for (x, label) in labels.iter().step_by(step) {
            let half = text_width(label, small, false) / 2.0;
            let x = x.clamp(half + 2.0, canvas.w() - half - 2.0);
            text(area, label, x, bottom + 16.0, &date_style)?;
        }
        for s in series {
            // One polyline per run of comparable points (a series breaks
            // where its figures stop being comparable); dashes added below.
            for run in s.runs() {
                let line: Vec<(i32, i32)> = run
                    .iter()
                    .map(|(d, v)| (x_of(d).round() as i32, y_of(*v).round() as i32))
                    .collect();
                area.draw(&PathElement::new(line, rgb(s.colour).stroke_width(2)))
                    .map_err(|e| e.to_string())?;
            }
            for (d, v) in &s.points {
                draw_marker(area, s.marker, x_of(d), y_of(*v), &rgb(s.colour))?;
            }
        }
        Ok(())
    });
    // plotters cannot dash a line: give each dashed series' polyline (the
    // only 2-px strokes of its colour) a stroke-dasharray, so the series
    // differ in black-and-white print too.
    series.iter().fold(svg, |svg, s| match s.dash {
        Some((on, off)) => {
            let c = rgb(s.colour);
            let stroke = format!(
                "stroke=\"#{:02X}{:02X}{:02X}\" stroke-width=\"2\"",
                c.0, c.1, c.2
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

/// Grouped horizontal bars on a 0–100 scale: one row per label, one bar
/// per legend entry.
fn grouped(
    texts: (&str, &str, &str),
    canvas: Canvas,
    legend: &[(String, Colour)],
    rows: &[GroupRow],
    widest: &str,
) -> String {
    let title = texts.1;
    let label_cap = canvas.w() * 0.36;
    let wrapped: Vec<Vec<String>> = rows
        .iter()
        .map(|r| label_lines(&r.label, label_cap))
        .collect();
    let label_w = wrapped
        .iter()
        .flatten()
        .map(|l| text_width(l, FONT_PX, false))
        .fold(0.0, f64::max)
        .min(label_cap)
        * LABEL_SLACK;
    let value_w = text_width(widest, 12.0, true);
    let line_h = FONT_PX * 1.35;
    let row_h: Vec<f64> = wrapped
        .iter()
        .map(|l| (l.len() as f64 * line_h + 12.0).max(44.0))
        .collect();
    let (title_lines, title_h) = title_block(title, canvas, 0.0);
    let names: Vec<&str> = legend.iter().map(|(n, _)| n.as_str()).collect();
    let legend_at = legend_rows(&names, canvas, 18.0, title_h + 16.0);
    let top = legend_at.last().map_or(title_h, |(_, y)| *y) + 24.0;
    let height = (top + row_h.iter().sum::<f64>() + 12.0).ceil() as u32;
    let bar_x = 12.0 + label_w + 10.0;
    let bar_max_w = canvas.w() - bar_x - value_w - 24.0;
    let title_style = style(TITLE_PX, &TEXT, HPos::Left, true);
    let label_style = style(FONT_PX, &TEXT, HPos::Right, false);
    let value_style = style(12.0, &TEXT, HPos::Left, true);
    let legend_style = style(12.0, &TEXT, HPos::Left, false);
    draw_svg(texts, canvas, height, |area| {
        draw_title(area, &title_lines, 12.0, &title_style)?;
        for ((name, colour), (lx, ly)) in legend.iter().zip(&legend_at) {
            rect(area, *lx, ly - 6.0, lx + 12.0, ly + 6.0, &rgb(*colour))?;
            text(area, name, lx + 18.0, *ly, &legend_style)?;
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
            for (k, (value, (_, colour))) in r.values.iter().zip(legend).enumerate() {
                let cy = mid - 8.0 + k as f64 * 16.0;
                let Some((v, shown)) = value else { continue };
                let w = (v / 100.0).clamp(0.0, 1.0) * bar_max_w;
                let w = if *v > 0.0 { w.max(2.0) } else { 0.0 };
                rect(area, bar_x, cy - 6.0, bar_x + w, cy + 6.0, &rgb(*colour))?;
                text(area, shown, bar_x + w + 6.0, cy, &value_style)?;
            }
            y += h;
        }
        Ok(())
    })
}

/// `text` cut after [`TEXT_CHARS`] characters, with an ellipsis.
fn cut_chars(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(TEXT_CHARS) {
        Some((at, _)) => format!("{}…", text[..at].trim_end()).into(),
        None => text.into(),
    }
}

/// A bar's label as lines no wider than `max`.
fn label_lines(label: &str, max: f64) -> Vec<String> {
    wrap(&cut_chars(label), FONT_PX, max)
}

/// The title's lines (wrapped to the canvas) and where what follows it
/// starts: `below` for a one-line title, one line lower per extra line.
fn title_block(title: &str, canvas: Canvas, below: f64) -> (Vec<String>, f64) {
    let lines = wrap_weighted(&cut_chars(title), TITLE_PX, canvas.w() - 24.0, true);
    let extra = lines.len().saturating_sub(1) as f64 * TITLE_PX * 1.3;
    let below = if below > 0.0 { below } else { TITLE_PX * 1.6 };
    (lines, below + extra)
}

fn draw_title(area: &Area, lines: &[String], x: f64, st: &TextStyle) -> Result<(), String> {
    for (i, line) in lines.iter().enumerate() {
        text(area, line, x, TITLE_PX + i as f64 * TITLE_PX * 1.3, st)?;
    }
    Ok(())
}

/// Where each legend entry goes (`x`, middle `y`): left to right from
/// the middle line `y`, on a new line when the next one would leave the canvas. `mark`
/// is the width of the swatch and its gap.
fn legend_rows(names: &[&str], canvas: Canvas, mark: f64, y: f64) -> Vec<(f64, f64)> {
    let (mut x, mut y) = (12.0, y);
    let mut out = Vec::new();
    for name in names {
        let w = mark + text_width(name, 12.0, false);
        if x > 12.0 && x + w > canvas.w() - 12.0 {
            (x, y) = (12.0, y + 20.0);
        }
        out.push((x, y));
        x += w + 24.0;
    }
    out
}

fn rgb(colour: Colour) -> RGBColor {
    match colour {
        Colour::Blue => BLUE,
        Colour::Green => GREEN,
        Colour::Orange => ORANGE,
    }
}

/// A chart drawn: its SVG and its height in pixels (its width is always
/// 640), so a page layout can give a tall chart a bounded height; and its
/// narrow variant for phones, shown inline instead of it on small screens.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Drawn {
    pub svg: String,
    pub height: u32,
    pub narrow: String,
}

/// Draws a chart specification as an accessible SVG, wide and narrow.
pub fn draw(chart: &Chart) -> Drawn {
    let svg = draw_on(chart, WIDE);
    Drawn {
        height: svg_height(&svg),
        svg,
        narrow: draw_on(chart, NARROW),
    }
}

/// The height written into an SVG's root element.
pub fn svg_height(svg: &str) -> u32 {
    svg.split_once(" height=\"")
        .and_then(|(_, rest)| rest.split('"').next())
        .and_then(|h| h.parse().ok())
        .unwrap_or(0)
}

/// Draws a chart specification on `canvas`.
pub fn draw_on(chart: &Chart, canvas: Canvas) -> String {
    let texts = (chart.id.as_str(), chart.title.as_str(), chart.alt.as_str());
    match &chart.drawing {
        Drawing::Bars { bars, max, colour } => bar_chart(texts, canvas, bars, *max, &rgb(*colour)),
        Drawing::Lines {
            dates,
            axis,
            series,
        } => time_series(texts, canvas, dates, axis, series),
        Drawing::Grouped {
            legend,
            rows,
            widest,
        } => grouped(texts, canvas, legend, rows, widest),
    }
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

    #[test]
    fn a_huge_label_or_title_keeps_the_chart_small() {
        let bar = |label: &str| Bar {
            label: label.to_string(),
            value: 40.0,
            from: None,
            shown: "40 %".to_string(),
        };
        let height = |label: &str, title: &str, canvas: Canvas| {
            svg_height(&bar_chart(
                ("c", title, "alt"),
                canvas,
                &[bar(label), bar("Voix mobile")],
                Some(100.0),
                &BLUE,
            ))
        };
        let huge = "Télétravail à domicile ".repeat(250);
        let cut = cut_chars(&huge);
        assert!(cut.chars().count() <= TEXT_CHARS + 1);
        assert!(cut.ends_with('…'), "{cut}");
        for canvas in [WIDE, NARROW] {
            let tall = height(&huge, &huge, canvas);
            assert_eq!(tall, height(&cut, &cut, canvas));
            assert!(tall < 1_200, "{tall} px");
        }
        // Up to the cut, a label is drawn whole.
        let long = "Réseau ".repeat(40);
        assert_eq!(label_lines(&long, 200.0).join(" "), long.trim_end());
    }

    #[test]
    fn a_long_word_is_cut_to_the_width() {
        let label = format!("{}😀", "Télétravail".repeat(18));
        let lines = wrap(&label, 13.0, 150.0);
        assert!(lines.len() > 5, "{lines:?}");
        assert_eq!(lines.concat(), label);
        for l in &lines {
            assert!(text_width(l, 13.0, false) <= 150.0, "{l}");
        }
    }
}
