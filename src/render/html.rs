//! HTML pages through Tera 2. Templates receive the presentation model
//! (`view`) and the interface words (`t`); `root` is the relative path back
//! to the site root so pages work from `file://` and any sub-path.

use serde::Serialize;
use tera::{Context, Tera};

use super::charts::Drawn;
use super::theme::Theme;
use crate::content::yaml::Pos;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Failure;
use crate::view::{Labels, ShareMeta, SiteView};

pub struct HtmlRenderer {
    tera: Tera,
    theme_origin: Vec<(String, String)>,
}

/// Finds `--> name:line:col` in a Tera message.
fn tera_pos(message: &str, name: &str) -> Pos {
    let marker = format!("--> {name}:");
    message
        .find(&marker)
        .and_then(|i| {
            let rest = &message[i + marker.len()..];
            let mut parts = rest.split(|c: char| !c.is_ascii_digit());
            let line = parts.next()?.parse().ok()?;
            let column = parts.next()?.parse().ok()?;
            Some(Pos {
                line,
                column,
                width: 1,
            })
        })
        .unwrap_or(Pos::START)
}

fn template_failure(theme: &Theme, name: &str, message: &str) -> Failure {
    let mut d = Diagnostics::default();
    let first = message
        .lines()
        .next()
        .unwrap_or(message)
        .trim_start_matches("error: ")
        .to_string();
    d.push(
        Diagnostic::error(
            &theme.origin(name),
            tera_pos(message, name),
            "template",
            format!("template error: {first}"),
        )
        .with_help("fix the template, or delete it to use the embedded theme's version"),
    );
    Failure::Content(d)
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

impl HtmlRenderer {
    pub fn new(theme: &Theme) -> Result<HtmlRenderer, Failure> {
        let mut tera = Tera::new();
        let names: Vec<&String> = theme
            .files
            .keys()
            .filter(|n| n.ends_with(".html"))
            .collect();
        tera.add_raw_templates(names.iter().map(|n| (n.as_str(), theme.text(n))))
            .map_err(|e| {
                let message = error_chain(&e);
                // Tera names the faulty template in its message (`--> name:line:col`).
                let culprit = names
                    .iter()
                    .find(|n| message.contains(&format!("--> {n}:")))
                    .map_or("base.html", |n| n.as_str());
                template_failure(theme, culprit, &message)
            })?;
        Ok(HtmlRenderer {
            tera,
            theme_origin: names
                .iter()
                .map(|n| (n.to_string(), theme.origin(n)))
                .collect(),
        })
    }

    fn render(&self, name: &str, ctx: &Context) -> Result<String, Failure> {
        self.tera.render(name, ctx).map_err(|e| {
            let origin = self
                .theme_origin
                .iter()
                .find(|(n, _)| n == name)
                .map_or_else(|| name.to_string(), |(_, o)| o.clone());
            let message = error_chain(&e);
            let first = message
                .lines()
                .next()
                .unwrap_or(&message)
                .trim_start_matches("error: ")
                .to_string();
            let mut d = Diagnostics::default();
            d.push(
                Diagnostic::error(
                    &origin,
                    tera_pos(&message, name),
                    "template",
                    format!("cannot render {name}: {first}"),
                )
                .with_help(
                    "a template only displays what the page model holds; check the variable names",
                ),
            );
            Failure::Content(d)
        })
    }

    /// Renders the page at site path `page` with template `name`: the
    /// template gets `site`, `t`, `root` (the way back to the site's root)
    /// and the page's view under `key`.
    pub fn page(
        &self,
        name: &str,
        page: &str,
        (site, t): (&SiteView, &Labels),
        (key, view): (&'static str, &serde_json::Value),
        share: &ShareMeta,
    ) -> Result<String, Failure> {
        let mut ctx = Context::new();
        ctx.insert("share", share);
        ctx.insert("site", site);
        ctx.insert("t", t);
        ctx.insert("root", &crate::paths::root_from(page));
        ctx.insert("alternates", &crate::view::alternates(site, page));
        ctx.insert(key, view);
        self.render(name, &ctx).map(|html| marks_to_html(&html))
    }
}

/// Turns language marks ([`crate::locale::mark`]) into `<span lang="…">`
/// in text, and drops them inside tags and `<title>`, where markup is not
/// read.
pub fn marks_to_html(html: &str) -> String {
    use crate::locale::{MARK_CLOSE, MARK_LANG_END, MARK_OPEN};
    if !html.contains(MARK_OPEN) {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 64);
    let (mut in_tag, mut in_title, mut code) = (false, false, None::<String>);
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if c == '<' && !in_tag {
            in_title = rest.starts_with("<title") || (in_title && !rest.starts_with("</title"));
        }
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ => {}
        }
        match c {
            MARK_OPEN => code = Some(String::new()),
            MARK_LANG_END => {
                let lang = code.take().unwrap_or_default();
                if !in_tag && !in_title {
                    out.push_str(&format!("<span lang=\"{lang}\">"));
                }
            }
            MARK_CLOSE if !in_tag && !in_title => out.push_str("</span>"),
            MARK_CLOSE => {}
            c => match code.as_mut() {
                Some(code) => code.push(c),
                None => out.push(c),
            },
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Every text of a view with its figures held together
/// ([`crate::locale::bind_figures`]): "90 %" typed in a title never wraps
/// before the `%`, on a page or in a PDF. Drawings are added afterwards.
fn bind_figures(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(s) => {
            if let std::borrow::Cow::Owned(bound) = crate::locale::bind_figures(s) {
                *s = bound;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(bind_figures),
        Value::Object(fields) => fields.values_mut().for_each(bind_figures),
        _ => {}
    }
}

/// A view as templates see it: the view's own fields, each of its charts
/// with its drawing (`svg`, `height`) beside its specification.
pub fn with_drawn<T: Serialize>(view: &T, drawn: &[Drawn]) -> Result<serde_json::Value, Failure> {
    let mut value = serde_json::to_value(view)
        .map_err(|e| Failure::Internal(format!("cannot serialise a page view: {e}")))?;
    bind_figures(&mut value);
    if let Some(serde_json::Value::Array(charts)) = value.get_mut("charts") {
        for (chart, d) in charts.iter_mut().zip(drawn) {
            if let serde_json::Value::Object(fields) = chart {
                fields.insert("svg".into(), d.svg.clone().into());
                fields.insert("height".into(), d.height.into());
            }
        }
    }
    Ok(value)
}

/// A page view as HTML templates see it: [`with_drawn`], and each chart's
/// narrow variant (`narrow`) that phones show instead.
pub fn with_drawn_narrow<T: Serialize>(
    view: &T,
    drawn: &[Drawn],
) -> Result<serde_json::Value, Failure> {
    let mut value = with_drawn(view, drawn)?;
    if let Some(serde_json::Value::Array(charts)) = value.get_mut("charts") {
        for (chart, d) in charts.iter_mut().zip(drawn) {
            if let serde_json::Value::Object(fields) = chart {
                fields.insert("narrow".into(), d.narrow.clone().into());
            }
        }
    }
    Ok(value)
}

/// Gives each chart of a page view its press kit (`kit`: download links
/// and embed code), in order.
pub fn with_kits(value: &mut serde_json::Value, kits: &[super::ChartKit]) -> Result<(), Failure> {
    if let Some(serde_json::Value::Array(charts)) = value.get_mut("charts") {
        for (chart, kit) in charts.iter_mut().zip(kits) {
            if let serde_json::Value::Object(fields) = chart {
                let kit = serde_json::to_value(kit)
                    .map_err(|e| Failure::Internal(format!("cannot serialise a chart kit: {e}")))?;
                fields.insert("kit".into(), kit);
            }
        }
    }
    Ok(())
}

/// Serialises any view as pretty JSON (for `facts.json` and open data).
/// `<`, `>` and `&` only occur inside JSON strings, so writing them as
/// `\u003c`… keeps the file inert even if someone inlines it in a page.
pub fn to_json<T: Serialize>(value: &T) -> Result<String, Failure> {
    let json = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Internal(format!("cannot serialise to JSON: {e}")))?;
    Ok(json_for_pages(&json))
}

/// Serialised JSON without language marks and with `<`, `>` and `&`
/// escaped (so that it can sit in a `<script>`), in one pass that copies
/// the text between them whole: open data of a large site is tens of
/// megabytes (pushed character by character, 20 MB took 30 ms).
fn json_for_pages(json: &str) -> String {
    use crate::locale::{MARK_CLOSE, MARK_LANG_END, MARK_OPEN};
    let special = |c: char| matches!(c, '<' | '>' | '&' | MARK_OPEN | MARK_LANG_END | MARK_CLOSE);
    let mut out = String::with_capacity(json.len() + json.len() / 64 + 1);
    // Inside a mark's language code (`MARK_OPEN` to `MARK_LANG_END`),
    // nothing is copied.
    let mut in_code = false;
    let mut from = 0;
    for (at, found) in json.match_indices(special) {
        if !in_code {
            out.push_str(&json[from..at]);
        }
        from = at + found.len();
        match found.chars().next() {
            Some(MARK_OPEN) => in_code = true,
            Some(MARK_LANG_END) => in_code = false,
            _ if in_code => {}
            Some('<') => out.push_str("\\u003c"),
            Some('>') => out.push_str("\\u003e"),
            Some('&') => out.push_str("\\u0026"),
            _ => {}
        }
    }
    if !in_code {
        out.push_str(&json[from..]);
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::json_for_pages;
    use crate::locale::{MARK_CLOSE, MARK_LANG_END, MARK_OPEN, unmarked_chars};
    use proptest::prelude::*;

    /// What [`json_for_pages`] must give, a character at a time.
    fn reference(json: &str) -> String {
        let mut out = String::new();
        for c in unmarked_chars(json) {
            match c {
                '<' => out.push_str("\\u003c"),
                '>' => out.push_str("\\u003e"),
                '&' => out.push_str("\\u0026"),
                c => out.push(c),
            }
        }
        out.push('\n');
        out
    }

    proptest! {
        #[test]
        fn copies_runs_as_the_reference_copies_characters(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("<".to_string()), Just(">".to_string()), Just("&".to_string()),
                    Just(MARK_OPEN.to_string()), Just(MARK_LANG_END.to_string()),
                    Just(MARK_CLOSE.to_string()), Just("\u{E003}".to_string()),
                    "[a-zé\"{}:, \\n]{0,6}",
                ],
                0..40,
            )
        ) {
            let json = parts.concat();
            prop_assert_eq!(json_for_pages(&json), reference(&json));
        }
    }

    #[test]
    fn marks_go_and_markup_is_escaped() {
        let json = format!("{{\"t\": \"{MARK_OPEN}en{MARK_LANG_END}R&D <b>{MARK_CLOSE}\"}}");
        assert_eq!(
            json_for_pages(&json),
            "{\"t\": \"R\\u0026D \\u003cb\\u003e\"}\n"
        );
    }
}
