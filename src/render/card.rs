//! The share card of an update (`card.png`, 1200 × 630, the size social
//! networks show large): region, date, title and up to three key figures,
//! drawn as an SVG from the update's view and rasterised like the charts.

use super::charts::{text_width, wrap, wrap_weighted};
use super::xml_escape;
use crate::view::{Figure, SiteView, UpdateView};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
const MARGIN: f64 = 72.0;
const TEXT: &str = "#1F2937";
const MUTED: &str = "#5B6370";
const ACCENT: &str = "#005A9C";
const TITLE_PX: f64 = 54.0;
const TITLE_LINES: usize = 3;
const VALUE_PX: f64 = 60.0;
const LABEL_PX: f64 = 24.0;
const KICKER_PX: f64 = 34.0;
const FIGURES: usize = 3;

/// The card of `update` on `site`, as an SVG.
pub fn svg(site: &SiteView, update: &UpdateView) -> String {
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"{}\">\n\
         <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#FFFFFF\"/>\n\
         <rect width=\"16\" height=\"{HEIGHT}\" fill=\"{ACCENT}\"/>\n",
        super::charts::FAMILY
    );
    let inner = f64::from(WIDTH) - 2.0 * MARGIN;
    // Each text from the content is isolated from the words around it: a
    // right-to-left name, or a direction override left in one, must not
    // reorder the date or the other name on the same line.
    let site_line = format!("{} · {}", isolate(&site.organisation), isolate(&site.title));
    line(
        &mut out,
        &fit(&site_line, 26.0, inner),
        90.0,
        (26.0, MUTED, false),
    );
    let kicker = kicker(&update.region_name, &update.date, inner);
    line(&mut out, &kicker, 148.0, (KICKER_PX, ACCENT, true));
    let title = clamp_lines(
        wrap_bold(&update.title, TITLE_PX, inner),
        (TITLE_LINES, TITLE_PX),
        inner,
    );
    for (i, l) in title.iter().enumerate() {
        let y = 232.0 + i as f64 * TITLE_PX * 1.18;
        line(&mut out, l, y, (TITLE_PX, TEXT, true));
    }
    figures(&mut out, &update.key_figures);
    out.push_str("</svg>\n");
    out
}

/// "Region · date" in `max` pixels: a long name gives way to the date
/// (the name is cut with an ellipsis; the date never is).
fn kicker(region: &str, date: &str, max: f64) -> String {
    let date = format!(" · {date}");
    let room = (max - text_width(&date, KICKER_PX, true)).max(KICKER_PX * 4.0);
    format!(
        "{}{date}",
        isolate(&close_bidi(&fit_bold(region, KICKER_PX, room)))
    )
}

/// `s` with every direction embedding, override or isolate it opens and
/// does not close closed at its end: a name cut inside one must not leave
/// it open, or the isolate's own closing mark would end it instead, and
/// the date after the name would be drawn inside.
fn close_bidi(s: &str) -> String {
    let mut open = Vec::new();
    for c in s.chars() {
        match c {
            '\u{202A}' | '\u{202B}' | '\u{202D}' | '\u{202E}' => open.push('\u{202C}'),
            '\u{2066}' | '\u{2067}' | '\u{2068}' => open.push('\u{2069}'),
            '\u{202C}' if open.last() == Some(&'\u{202C}') => {
                open.pop();
            }
            // A PDI closes its isolate and whatever was opened inside it.
            '\u{2069}' => {
                if let Some(at) = open.iter().rposition(|c| *c == '\u{2069}') {
                    open.truncate(at);
                }
            }
            _ => {}
        }
    }
    let mut out = s.to_string();
    out.extend(open.iter().rev());
    out
}

/// `s` as a bidirectional isolate (first strong character decides its
/// direction; nothing in it reaches outside).
fn isolate(s: &str) -> String {
    format!("\u{2068}{s}\u{2069}")
}

/// Up to three key figures side by side along the bottom, each its value
/// over its label (two lines at most).
fn figures(out: &mut String, figures: &[Figure]) {
    let shown = &figures[..figures.len().min(FIGURES)];
    if shown.is_empty() {
        return;
    }
    let column = (f64::from(WIDTH) - 2.0 * MARGIN) / FIGURES as f64;
    out.push_str(&format!(
        "<rect x=\"{MARGIN}\" y=\"430\" width=\"{}\" height=\"2\" fill=\"#D1D5DB\"/>\n",
        f64::from(WIDTH) - 2.0 * MARGIN
    ));
    for (i, f) in shown.iter().enumerate() {
        let x = MARGIN + i as f64 * column;
        let width = column - 24.0;
        // A figure is never cut (a range would lose a bound): it is set
        // smaller until it fits.
        let px = value_size(&f.value, width);
        let value = fit_bold(&f.value, px, width);
        text_at(out, &value, (x, 508.0), (px, ACCENT, true));
        let label = clamp_lines(wrap(&f.label, LABEL_PX, width), (2, LABEL_PX), width);
        for (k, l) in label.iter().enumerate() {
            let y = 548.0 + k as f64 * LABEL_PX * 1.25;
            text_at(out, l, (x, y), (LABEL_PX, TEXT, false));
        }
    }
}

/// The largest size, from [`VALUE_PX`] down to a third of it, at which
/// `s` fits in `width` pixels in bold.
fn value_size(s: &str, width: f64) -> f64 {
    let mut px = VALUE_PX;
    while px > VALUE_PX / 3.0 && text_width(s, px, true) > width {
        px -= 2.0;
    }
    px
}

fn line(out: &mut String, s: &str, y: f64, style: (f64, &str, bool)) {
    text_at(out, s, (MARGIN, y), style);
}

fn text_at(out: &mut String, s: &str, (x, y): (f64, f64), (px, fill, bold): (f64, &str, bool)) {
    let weight = if bold { " font-weight=\"bold\"" } else { "" };
    out.push_str(&format!(
        "<text x=\"{x}\" y=\"{y}\" font-size=\"{px}\" fill=\"{fill}\"{weight}>{}</text>\n",
        xml_escape(s)
    ));
}

fn wrap_bold(s: &str, px: f64, max: f64) -> Vec<String> {
    wrap_weighted(s, px, max, true)
}

/// At most `count` lines; the last one ends with an ellipsis when text
/// was left out.
fn clamp_lines(mut lines: Vec<String>, (count, px): (usize, f64), max: f64) -> Vec<String> {
    if lines.len() > count {
        lines.truncate(count);
        if let Some(last) = lines.last_mut() {
            *last = ellipsis(last, px, max);
        }
    }
    lines
}

/// `s` whole if it fits in `max` pixels, else cut with an ellipsis.
fn fit(s: &str, px: f64, max: f64) -> String {
    if text_width(s, px, false) <= max {
        s.to_string()
    } else {
        ellipsis(s, px, max)
    }
}

fn fit_bold(s: &str, px: f64, max: f64) -> String {
    if text_width(s, px, true) <= max {
        s.to_string()
    } else {
        ellipsis(s, px, max)
    }
}

/// The longest start of `s` that, followed by `…`, fits in `max` pixels.
/// (Measured bold, the wider weight, so that it fits either way.)
fn ellipsis(s: &str, px: f64, max: f64) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let candidate = format!("{out}{c}…");
        if text_width(&candidate, px, true) > max {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_with_an_ellipsis() {
        let lines = clamp_lines(
            wrap(&"mot ".repeat(200), TITLE_PX, 1000.0),
            (TITLE_LINES, TITLE_PX),
            1000.0,
        );
        assert_eq!(lines.len(), TITLE_LINES);
        assert!(lines[2].ends_with('…'));
        assert!(text_width(&lines[2], TITLE_PX, true) <= 1000.0);
        assert_eq!(fit("court", 20.0, 1000.0), "court");
    }

    #[test]
    fn a_long_region_name_gives_way_to_the_date() {
        let inner = f64::from(WIDTH) - 2.0 * MARGIN;
        let line = kicker(&"Région Très-Longue ".repeat(40), "14 mai 2020", inner);
        assert!(line.ends_with("\u{2069} · 14 mai 2020"), "{line}");
        assert!(line.contains('…'));
        assert!(text_width(&line, KICKER_PX, true) <= inner, "{line}");
        let short = kicker("Occitanie", "14 mai 2020", inner);
        assert_eq!(short, "\u{2068}Occitanie\u{2069} · 14 mai 2020");
        // Cut inside an isolate and an override of its own, the name
        // closes both before the date.
        let nested = format!(
            "\u{2067}{}\u{202E}{}",
            "إقليم ".repeat(60),
            "abc".repeat(40)
        );
        let line = kicker(&nested, "14 mai 2020", inner);
        assert!(
            line.ends_with("…\u{2069}\u{2069} · 14 mai 2020"),
            "{line:?}"
        );
        assert_eq!(
            close_bidi("a\u{2067}b\u{202E}c"),
            "a\u{2067}b\u{202E}c\u{202C}\u{2069}"
        );
        assert_eq!(
            close_bidi("\u{2067}b\u{202E}c\u{2069}d"),
            "\u{2067}b\u{202E}c\u{2069}d"
        );
    }

    /// A key figure is set smaller rather than cut: a range keeps both
    /// bounds on the card.
    #[test]
    fn figures_shrink_instead_of_losing_a_bound() {
        let width = (f64::from(WIDTH) - 2.0 * MARGIN) / FIGURES as f64 - 24.0;
        for value in [
            "×1,35 à ×1,6",
            "−99,9 à −50 %",
            "1.35× to 1.6×",
            "+35 a +60 %",
        ] {
            let px = value_size(value, width);
            assert!(px < VALUE_PX || value.len() < 8, "{value}");
            assert_eq!(fit_bold(value, px, width), value);
        }
        assert_eq!(value_size("×3", width), VALUE_PX);
    }

    /// A name from the content holding a direction override leaves the
    /// date beside it as it is: the line draws exactly as it does with a
    /// plain name (without the isolate, the date comes out reversed).
    #[test]
    fn a_name_cannot_reorder_the_date_beside_it() {
        let draw = |line: &str| {
            let mut svg = String::from(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"600\" \
                 height=\"60\" viewBox=\"0 0 600 60\" font-family=\"Noto Sans\">",
            );
            text_at(&mut svg, line, (10.0, 40.0), (30.0, TEXT, true));
            svg.push_str("</svg>");
            super::super::png::rasterise(&svg, 1.0).unwrap()
        };
        let kicker = |name: &str| draw(&format!("{} · 14 mai 2020", isolate(name)));
        let plain = kicker("Occitanie");
        assert_eq!(kicker("Occitanie\u{202E}"), plain);
        assert_eq!(kicker("Occitanie\u{202B}"), plain);
        assert_ne!(
            draw("Occitanie\u{202E} · 14 mai 2020"),
            plain,
            "the override changes nothing even unisolated: the test shows nothing"
        );
    }
}
