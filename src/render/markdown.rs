//! Narrative Markdown: rendered with pulldown-cmark, then sanitised with
//! ammonia so that no script, event handler or `javascript:` link survives.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};
use std::collections::HashSet;

/// The Markdown dialect of narratives (shared with `content::narrative`).
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION
}

/// Markdown to HTML that is safe to embed in a page. A published page loads
/// nothing from another site: an image becomes a link to it (its alt text,
/// or its address, as the link's text) and raw `<img>` tags are removed.
/// Run `content::narrative::check` first: it refuses what would make
/// rendering slow.
pub fn to_safe_html(markdown: &str) -> String {
    let mut raw = String::new();
    let events = images_as_links(Parser::new_ext(markdown, options())).map(|event| match event {
        Event::Text(t) => Event::Text(shield(t)),
        Event::Code(t) => Event::Code(shield(t)),
        other => other,
    });
    html::push_html(&mut raw, events);
    let schemes: HashSet<&str> = ["http", "https", "mailto"].into_iter().collect();
    let clean = ammonia::Builder::default()
        .url_schemes(schemes)
        .link_rel(Some("noopener noreferrer"))
        // A narrative's relative links would point into the generated
        // tree and break; only absolute http(s)/mailto addresses are kept.
        .url_relative(ammonia::UrlRelative::Deny)
        .rm_tags(["img"])
        .clean(&raw)
        .to_string();
    defuse_schemes(&unshield(&drop_dead_links(&clean)))
}

/// Whether a narrative's link or image address survives sanitising.
fn kept_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s))
}

/// Sanitised HTML with every element that lost a required attribute
/// removed whole: an `<a>` without `href` (its address was refused) keeps
/// only its text, and an `<img>` never reaches here (`rm_tags`). ammonia's
/// output is html5ever's serialisation: attributes double-quoted, `<a>`
/// never nested, so the next `</a>` closes the one found.
fn drop_dead_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut open_dead = false;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = tag_end(rest);
        let tag = &rest[..end];
        if tag.starts_with("<a ") || tag == "<a>" {
            open_dead = !tag.contains(" href=\"");
            if !open_dead {
                out.push_str(tag);
            }
        } else if tag == "</a>" {
            if !open_dead {
                out.push_str(tag);
            }
            open_dead = false;
        } else {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.replace("<p></p>\n", "").replace("<p></p>", "")
}

/// The length of the tag that `html` starts with, `>` inside a quoted
/// attribute value not ending it.
fn tag_end(html: &str) -> usize {
    let mut quoted = false;
    for (i, c) in html.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '>' if !quoted => return i + 1,
            _ => {}
        }
    }
    html.len()
}

/// Where [`shield`] puts the characters it hides: U+E000 plus their code.
const SHIELD: u32 = 0xE000;

/// Markdown text with `&` and the Latin-1 characters U+0080–U+00BF (`«`,
/// `»`, `°`, no-break space…) replaced by private-use placeholders, which
/// [`unshield`] puts back after sanitising. html5ever's serialiser rescans
/// the rest of a text node for each of those characters: 10 MB of `&` in a
/// narrative took hours, and now takes as long as any other text. (A
/// private-use character in the narrative itself, which no reader could
/// see anyway, becomes U+FFFD.)
fn shield(text: pulldown_cmark::CowStr<'_>) -> pulldown_cmark::CowStr<'_> {
    let hidden = |c: char| c == '&' || ('\u{80}'..='\u{BF}').contains(&c);
    let placeholder = |c: char| ('\u{E000}'..='\u{E0FF}').contains(&c);
    if !text.chars().any(|c| hidden(c) || placeholder(c)) {
        return text;
    }
    let out: String = text
        .chars()
        .map(|c| match c {
            c if hidden(c) => char::from_u32(SHIELD + c as u32).unwrap_or('\u{FFFD}'),
            c if placeholder(c) => '\u{FFFD}',
            c => c,
        })
        .collect();
    out.into()
}

/// Puts back what [`shield`] hid, written as html5ever would have.
fn unshield(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    for c in html.chars() {
        match (c as u32).checked_sub(SHIELD) {
            Some(0x26) => out.push_str("&amp;"),
            Some(0xA0) => out.push_str("&nbsp;"),
            Some(code @ 0x80..=0xBF) => out.push(char::from_u32(code).unwrap_or('\u{FFFD}')),
            _ => out.push(c),
        }
    }
    out
}

/// Images turned into links to them, so that a page never loads anything
/// from another site (a tracking pixel in a narrative would otherwise be
/// fetched by every reader).
fn images_as_links<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut url: Option<pulldown_cmark::CowStr<'a>> = None;
    let mut has_text = false;
    let mut linked = false;
    events.flat_map(move |event| -> Vec<Event<'a>> {
        match event {
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                url = Some(dest_url.clone());
                has_text = false;
                // An address that would be refused leaves its text alone.
                if !kept_url(&dest_url) {
                    linked = false;
                    return vec![];
                }
                linked = true;
                vec![Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })]
            }
            Event::End(TagEnd::Image) => {
                let mut out = Vec::new();
                if let Some(u) = url.take().filter(|_| !has_text) {
                    out.push(Event::Text(u));
                }
                if linked {
                    out.push(Event::End(TagEnd::Link));
                }
                out
            }
            Event::Text(t) => {
                has_text |= !t.trim().is_empty();
                vec![Event::Text(t)]
            }
            other => vec![other],
        }
    })
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
    fn elements_that_lose_required_attributes_go_whole() {
        for input in [
            "<img src=\"x\" onerror=\"alert(1)\">",
            "a <img src=\"x\" onerror=alert(1)> b",
            "<p><img src=x onerror=alert(1)></p>",
            "<img>",
        ] {
            let html = to_safe_html(input);
            assert!(!html.contains("<img"), "{input} gave {html}");
            assert!(!html.contains("<p></p>"), "{input} gave {html}");
        }
        for (input, text) in [
            ("<a href=\"javascript:x\" title=\"a>b\">t</a>", "t"),
            ("[t](relative/page.html)", "t"),
            ("![alt](x.png)", "alt"),
            ("![](x.png)", "x.png"),
        ] {
            let html = to_safe_html(input);
            assert!(!html.contains("<a"), "{input} gave {html}");
            assert!(html.contains(text), "{input} gave {html}");
        }
        assert_eq!(
            to_safe_html("[ok](https://example.org) ![pic](https://example.org/p.png)"),
            "<p><a href=\"https://example.org\" rel=\"noopener noreferrer\">ok</a> \
             <a href=\"https://example.org/p.png\" rel=\"noopener noreferrer\">pic</a></p>\n"
        );
    }

    #[test]
    fn shielded_characters_come_back_as_before() {
        assert_eq!(
            to_safe_html("R&D « ok »\u{a0}: 10\u{b0}, `a&b`, \u{e026}."),
            "<p>R&amp;D « ok »&nbsp;: 10\u{b0}, <code>a&amp;b</code>, \u{fffd}.</p>\n"
        );
    }

    #[test]
    fn paragraphs_are_plain() {
        assert_eq!(to_paragraphs("A **b**\nc.\n\nD."), vec!["A b c.", "D."]);
    }
}
