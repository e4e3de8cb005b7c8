//! Narrative Markdown: rendered with pulldown-cmark, then sanitised with
//! ammonia so that no script, event handler or `javascript:` link survives.

use pulldown_cmark::{Event, Options, Parser, TagEnd, html};
use std::collections::HashSet;

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION
}

/// Markdown to HTML that is safe to embed in a page.
pub fn to_safe_html(markdown: &str) -> String {
    let mut raw = String::new();
    html::push_html(&mut raw, Parser::new_ext(markdown, options()));
    let schemes: HashSet<&str> = ["http", "https", "mailto"].into_iter().collect();
    let clean = ammonia::Builder::default()
        .url_schemes(schemes)
        .link_rel(Some("noopener noreferrer"))
        // A narrative's relative links would point into the generated
        // tree and break; only absolute http(s)/mailto addresses are kept.
        .url_relative(ammonia::UrlRelative::Deny)
        .clean(&raw)
        .to_string();
    defuse_schemes(&clean)
}

/// After ammonia no attribute can hold a `javascript:` URL, but the words
/// may remain as visible text (e.g. inside a stripped HTML block). Writing
/// the colon as an entity displays the same and leaves no such string for a
/// careless consumer (or a downstream filter) to trip over.
fn defuse_schemes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    while i < html.len() {
        let rest = &lower[i..];
        let hit = ["javascript:", "vbscript:"]
            .into_iter()
            .find(|s| rest.starts_with(s));
        match hit {
            Some(s) => {
                out.push_str(&html[i..i + s.len() - 1]);
                out.push_str("&#58;");
                i += s.len();
            }
            None => {
                let c = html[i..].chars().next().unwrap_or(' ');
                out.push(c);
                i += c.len_utf8().max(1);
            }
        }
    }
    out
}

/// Markdown to plain paragraphs (for PDF, briefings and feeds).
pub fn to_paragraphs(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::BlockQuote(_),
            ) => {
                let p = current.split_whitespace().collect::<Vec<_>>().join(" ");
                if !p.is_empty() {
                    out.push(p);
                }
                current.clear();
            }
            _ => {}
        }
    }
    let p = current.split_whitespace().collect::<Vec<_>>().join(" ");
    if !p.is_empty() {
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_are_removed() {
        let html = to_safe_html(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn paragraphs_are_plain() {
        assert_eq!(to_paragraphs("A **b**\nc.\n\nD."), vec!["A b c.", "D."]);
    }
}
