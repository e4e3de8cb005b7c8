//! Narrative Markdown: rendered with pulldown-cmark, then sanitised with
//! ammonia so that no script, event handler or `javascript:` link survives.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;
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

/// A narrative block as the PDF templates lay it out: structured data, not
/// markup, so that no narrative text can be read as Typst code. Raw HTML is
/// dropped (its text between tags kept, a `<script>`'s or `<style>`'s not);
/// links keep only http(s) and mailto addresses, as on the pages.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "k", rename_all = "lowercase")]
pub enum Block {
    Para {
        c: Vec<Inline>,
    },
    Heading {
        level: u8,
        c: Vec<Inline>,
    },
    /// `start` is the first number of an ordered list.
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Quote {
        c: Vec<Block>,
    },
    /// `align` per column: "start", "center", "end" or "auto"; every row
    /// has as many cells as the head.
    Table {
        align: Vec<&'static str>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Code {
        t: String,
    },
    Rule,
}

/// A piece of a block's text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "k", rename_all = "lowercase")]
pub enum Inline {
    Text { t: String },
    Code { t: String },
    Strong { c: Vec<Inline> },
    Emph { c: Vec<Inline> },
    Strike { c: Vec<Inline> },
    Link { url: String, c: Vec<Inline> },
    Break,
}

/// Containers nested deeper than this are flattened into their parent
/// (the load-time check allows 32 levels; Typst's layout and call depths
/// would not).
const MAX_PDF_DEPTH: usize = 6;

/// Markdown to the blocks the PDF templates show (see [`Block`]).
pub fn to_blocks(markdown: &str) -> Vec<Block> {
    let mut events = Parser::new_ext(markdown, options());
    blocks(&mut events, 0)
}

/// Blocks up to the end of the enclosing container (or of the text).
fn blocks<'a>(ev: &mut impl Iterator<Item = Event<'a>>, depth: usize) -> Vec<Block> {
    let mut out = Vec::new();
    // Inline content directly in a container (a tight list's item).
    let mut loose: Vec<Inline> = Vec::new();
    while let Some(event) = ev.next() {
        let block = match event {
            Event::End(_) => break,
            Event::Start(Tag::Paragraph) => Block::Para {
                c: inlines(ev, depth),
            },
            Event::Start(Tag::Heading { level, .. }) => Block::Heading {
                level: level as u8,
                c: inlines(ev, depth),
            },
            Event::Start(Tag::BlockQuote(_)) if depth < MAX_PDF_DEPTH => Block::Quote {
                c: blocks(ev, depth + 1),
            },
            Event::Start(Tag::List(start)) if depth < MAX_PDF_DEPTH => Block::List {
                start,
                items: items(ev, depth + 1),
            },
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Item) => {
                // Too deep: its blocks join the parent's.
                out.extend(blocks(ev, depth));
                continue;
            }
            Event::Start(Tag::CodeBlock(_)) => Block::Code { t: plain_text(ev) },
            Event::Start(Tag::Table(align)) => table(ev, &align, depth),
            Event::Start(Tag::HtmlBlock) => {
                plain_text(ev);
                continue;
            }
            Event::Rule => Block::Rule,
            other => {
                join(&mut loose, inline(other, ev, depth));
                continue;
            }
        };
        flush(&mut loose, &mut out);
        out.push(block);
    }
    flush(&mut loose, &mut out);
    out
}

fn flush(loose: &mut Vec<Inline>, out: &mut Vec<Block>) {
    if !loose.is_empty() {
        out.push(Block::Para {
            c: std::mem::take(loose),
        });
    }
}

/// A list's items, up to the list's end.
fn items<'a>(ev: &mut impl Iterator<Item = Event<'a>>, depth: usize) -> Vec<Vec<Block>> {
    let mut out = Vec::new();
    while let Some(event) = ev.next() {
        match event {
            Event::Start(Tag::Item) => out.push(blocks(ev, depth)),
            _ => break,
        }
    }
    out
}

fn table<'a>(
    ev: &mut impl Iterator<Item = Event<'a>>,
    align: &[pulldown_cmark::Alignment],
    depth: usize,
) -> Block {
    use pulldown_cmark::Alignment;
    let align: Vec<&'static str> = align
        .iter()
        .map(|a| match a {
            Alignment::None => "auto",
            Alignment::Left => "start",
            Alignment::Center => "center",
            Alignment::Right => "end",
        })
        .collect();
    let mut head = Vec::new();
    let mut rows = Vec::new();
    while let Some(event) = ev.next() {
        match event {
            Event::Start(Tag::TableHead) => head = cells(ev, depth),
            Event::Start(Tag::TableRow) => rows.push(cells(ev, depth)),
            _ => break,
        }
    }
    let width = align.len();
    head.resize(width, Vec::new());
    for row in &mut rows {
        row.resize(width, Vec::new());
    }
    Block::Table { align, head, rows }
}

fn cells<'a>(ev: &mut impl Iterator<Item = Event<'a>>, depth: usize) -> Vec<Vec<Inline>> {
    let mut out = Vec::new();
    while let Some(event) = ev.next() {
        match event {
            Event::Start(Tag::TableCell) => out.push(inlines(ev, depth)),
            _ => break,
        }
    }
    out
}

/// Inline content up to the end of the enclosing element; an inline
/// `<script>` or `<style>` element is dropped with its content.
fn inlines<'a>(ev: &mut impl Iterator<Item = Event<'a>>, depth: usize) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut hidden: Option<&'static str> = None;
    while let Some(event) = ev.next() {
        match (event, hidden) {
            (Event::End(_), _) => break,
            (Event::InlineHtml(tag), Some(name)) => {
                if closes(&tag, name) {
                    hidden = None;
                }
            }
            (Event::InlineHtml(tag), None) => hidden = hidden_element(&tag),
            (Event::Start(_), Some(_)) => {
                inlines(ev, depth);
            }
            (_, Some(_)) => {}
            (event, None) => join(&mut out, inline(event, ev, depth)),
        }
    }
    out
}

/// Appends `pieces` to `out`, a text following a text joined to it: the
/// parser gives each unmatched `*` or `_` as a text of its own, and a
/// hostile narrative of 300 000 of them was as many pieces in every
/// page's and PDF's data (gigabytes for one megabyte of text).
fn join(out: &mut Vec<Inline>, pieces: Vec<Inline>) {
    for piece in pieces {
        match (out.last_mut(), piece) {
            (Some(Inline::Text { t }), Inline::Text { t: more }) => t.push_str(&more),
            (_, piece) => out.push(piece),
        }
    }
}

/// One inline event (with what it encloses), as inline pieces.
fn inline<'a>(
    event: Event<'a>,
    ev: &mut impl Iterator<Item = Event<'a>>,
    depth: usize,
) -> Vec<Inline> {
    let wrap = |c: Vec<Inline>, f: fn(Vec<Inline>) -> Inline| match depth < MAX_PDF_DEPTH {
        true => vec![f(c)],
        false => c,
    };
    match event {
        Event::Text(t) => vec![Inline::Text { t: t.to_string() }],
        Event::Code(t) => vec![Inline::Code { t: t.to_string() }],
        Event::SoftBreak => vec![Inline::Text { t: " ".into() }],
        Event::HardBreak => vec![Inline::Break],
        Event::Start(Tag::Emphasis) => wrap(inlines(ev, depth + 1), |c| Inline::Emph { c }),
        Event::Start(Tag::Strong) => wrap(inlines(ev, depth + 1), |c| Inline::Strong { c }),
        Event::Start(Tag::Strikethrough) => wrap(inlines(ev, depth + 1), |c| Inline::Strike { c }),
        Event::Start(Tag::Link { dest_url, .. }) => {
            link(dest_url.to_string(), inlines(ev, depth + 1))
        }
        // An image is never embedded: a link to it, as on the pages.
        Event::Start(Tag::Image { dest_url, .. }) => {
            let mut c = inlines(ev, depth + 1);
            if c.is_empty() {
                c.push(Inline::Text {
                    t: dest_url.to_string(),
                });
            }
            link(dest_url.to_string(), c)
        }
        Event::Start(_) => inlines(ev, depth),
        _ => vec![],
    }
}

fn link(url: String, c: Vec<Inline>) -> Vec<Inline> {
    match kept_url(&url) {
        true => vec![Inline::Link { url, c }],
        false => c,
    }
}

/// `script` or `style` when `tag` opens one: its content is not text.
fn hidden_element(tag: &str) -> Option<&'static str> {
    let lower = tag.trim_start().to_ascii_lowercase();
    ["script", "style"].into_iter().find(|name| {
        lower
            .strip_prefix('<')
            .and_then(|r| r.strip_prefix(name))
            .is_some_and(|r| r.starts_with(['>', ' ', '\t', '\n', '/']))
    })
}

/// Whether the raw HTML `tag` is `</name>`.
fn closes(tag: &str, name: &str) -> bool {
    let lower = tag.trim().to_ascii_lowercase();
    lower
        .strip_prefix("</")
        .and_then(|r| r.strip_prefix(name))
        .is_some_and(|r| r.trim_start().starts_with('>'))
}

/// The text up to the end of the enclosing element, as is.
fn plain_text<'a>(ev: &mut impl Iterator<Item = Event<'a>>) -> String {
    let mut out = String::new();
    for event in ev.by_ref() {
        match event {
            Event::Text(t) => out.push_str(&t),
            Event::End(_) => break,
            _ => {}
        }
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

    fn text(t: &str) -> Inline {
        Inline::Text { t: t.into() }
    }

    #[test]
    fn blocks_keep_the_structure_and_drop_raw_html() {
        let blocks = to_blocks(
            "A *b* **c** [l](https://x.org) [r](rel.html) <b>d</b> <script>x()</script>e\n\n\
             | Site | Status |\n|:--|--:|\n| Port | open |\n\n\
             - one\n- two\n\n3. three\n\n> quoted\n\n<div>block html</div>\n",
        );
        assert_eq!(
            blocks[0],
            Block::Para {
                c: vec![
                    text("A "),
                    Inline::Emph { c: vec![text("b")] },
                    text(" "),
                    Inline::Strong { c: vec![text("c")] },
                    text(" "),
                    Inline::Link {
                        url: "https://x.org".into(),
                        c: vec![text("l")]
                    },
                    // A dropped link's and raw HTML's texts join theirs.
                    text(" r d e"),
                ]
            }
        );
        assert_eq!(
            blocks[1],
            Block::Table {
                align: vec!["start", "end"],
                head: vec![vec![text("Site")], vec![text("Status")]],
                rows: vec![vec![vec![text("Port")], vec![text("open")]]],
            }
        );
        assert_eq!(
            blocks[2],
            Block::List {
                start: None,
                items: vec![
                    vec![Block::Para {
                        c: vec![text("one")]
                    }],
                    vec![Block::Para {
                        c: vec![text("two")]
                    }]
                ]
            }
        );
        assert!(matches!(blocks[3], Block::List { start: Some(3), .. }));
        assert_eq!(
            blocks[4],
            Block::Quote {
                c: vec![Block::Para {
                    c: vec![text("quoted")]
                }]
            }
        );
        assert_eq!(blocks.len(), 5, "{blocks:?}");
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let deep = format!("{}deep", "> ".repeat(30));
        let blocks = to_blocks(&deep);
        let mut depth = 0;
        let mut b = &blocks[0];
        while let Block::Quote { c } = b {
            depth += 1;
            b = &c[0];
        }
        assert_eq!(depth, MAX_PDF_DEPTH);
        assert_eq!(
            b,
            &Block::Para {
                c: vec![text("deep")]
            }
        );
    }
    #[test]
    fn texts_in_a_row_are_one_piece() {
        // Unmatched markers and soft breaks come as texts of their own.
        let blocks = to_blocks("*a *b _c\nd **e** f *g");
        let Block::Para { c } = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(
            c,
            &vec![
                text("*a *b _c d "),
                Inline::Strong { c: vec![text("e")] },
                text(" f *g"),
            ]
        );
    }
}
