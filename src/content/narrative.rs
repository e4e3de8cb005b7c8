//! Load-time checks of a narrative's Markdown: bounded nesting, bounded
//! raw HTML and links, and remote images reported. They run when the
//! content is loaded, so `build`, `check` and `serve` report them alike;
//! rendering (`render::markdown`) can then stay linear.

use crate::render::markdown::options;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Deepest nesting of blocks, inline elements and raw HTML tags accepted in
/// a narrative, as for YAML. Rendering costs grow with the square of the
/// nesting (the HTML sanitiser looks through every open element at each
/// new one), so 100 000 nested `<div>`s took over a minute.
pub const MAX_NARRATIVE_DEPTH: usize = 32;

/// A problem found in a narrative, at a byte offset of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub offset: usize,
    pub error: bool,
    pub code: &'static str,
    pub message: String,
    pub help: &'static str,
}

const NESTING_HELP: &str =
    "narratives are a few paragraphs of text: remove the nested quotes, lists or HTML tags";

fn too_deep(offset: usize) -> Finding {
    Finding {
        offset,
        error: true,
        code: "nesting",
        message: format!("the narrative nests deeper than {MAX_NARRATIVE_DEPTH} levels"),
        help: NESTING_HELP,
    }
}

/// Raw HTML a narrative may hold, in bytes. The text of raw HTML reaches
/// the sanitiser as written, character references included, and its
/// serialiser rescans the rest of a text node for each `&` or Latin-1
/// character (quadratic); Markdown text is shielded from that (see
/// [`shield`]), raw HTML is kept small instead.
pub const MAX_RAW_HTML: usize = 64 * 1024;
/// Longest link or image address (and title) accepted, in bytes.
pub const MAX_LINK: usize = 2048;
/// Most Markdown elements (paragraphs, list items, emphasis, links…) a
/// narrative may hold. Each is a piece of every page's and PDF's data:
/// 300 000 links in 6 MB took 7 s and 2.6 GB to check; a long honest
/// narrative has a few hundred.
pub const MAX_ELEMENTS: usize = 10_000;

/// Checks a narrative before it is rendered: nesting beyond
/// [`MAX_NARRATIVE_DEPTH`], more raw HTML than [`MAX_RAW_HTML`] and links
/// longer than [`MAX_LINK`] and more than [`MAX_ELEMENTS`] elements are
/// errors (found in linear time, the first
/// before the parser sees the text); images are warnings (they are
/// published as links).
pub fn check(markdown: &str) -> Vec<Finding> {
    if let Some(offset) = deep_line_prefix(markdown) {
        return vec![too_deep(offset)];
    }
    let mut walk = Walk::default();
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        let done = match &event {
            // An HTML block is no element of its own: its tags count.
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => false,
            Event::Start(tag) => walk.start(tag, range.start),
            Event::End(_) => {
                walk.depth = walk.depth.saturating_sub(1);
                false
            }
            // Pieces of their own in the rendered narrative, as elements are.
            Event::Code(_)
            | Event::HardBreak
            | Event::Rule
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_) => walk.element(range.start),
            Event::Html(text) | Event::InlineHtml(text) => {
                // Block HTML comes line by line, as written (unless inside a
                // quote or list, where the tag is pointed at by its line).
                let base = (range.len() == text.len()).then_some(range.start);
                walk.html(text, base.unwrap_or(range.start), base.is_some())
            }
            _ => false,
        };
        if done {
            break;
        }
    }
    walk.findings
}

/// The state of [`check`]'s walk through the events.
#[derive(Default)]
struct Walk {
    findings: Vec<Finding>,
    depth: usize,
    html_depth: usize,
    raw_html: usize,
    elements: usize,
}

impl Walk {
    /// Records an error; the walk stops at the first.
    fn fail(&mut self, finding: Finding) -> bool {
        self.findings.push(finding);
        true
    }

    /// Counts one element (a block, an emphasis, a link, a code span, a
    /// line break…); more than [`MAX_ELEMENTS`] is an error.
    fn element(&mut self, at: usize) -> bool {
        self.elements += 1;
        if self.elements <= MAX_ELEMENTS {
            return false;
        }
        self.fail(Finding {
            offset: at,
            error: true,
            code: "too-many-elements",
            message: format!(
                "the narrative holds more than {MAX_ELEMENTS} Markdown elements (paragraphs, list items, emphasis, links, code spans, line breaks…)"
            ),
            help: "narratives are a few paragraphs of text: shorten it, or link to a longer document",
        })
    }

    fn start(&mut self, tag: &Tag, at: usize) -> bool {
        self.depth += 1;
        if self.depth + self.html_depth > MAX_NARRATIVE_DEPTH {
            return self.fail(too_deep(at));
        }
        if self.element(at) {
            return true;
        }
        let (url, title) = match tag {
            Tag::Image {
                dest_url, title, ..
            } => {
                self.findings.push(image_warning(at, dest_url));
                (dest_url, title)
            }
            Tag::Link {
                dest_url, title, ..
            } => (dest_url, title),
            _ => return false,
        };
        if url.len() + title.len() > MAX_LINK {
            return self.fail(Finding {
                offset: at,
                error: true,
                code: "link-too-long",
                message: format!(
                    "this link is {} bytes long, more than {MAX_LINK}",
                    url.len() + title.len()
                ),
                help: "shorten the address (a link shortener, or the page's plain address)",
            });
        }
        false
    }

    fn html(&mut self, text: &str, at: usize, verbatim: bool) -> bool {
        for tag in html_tags(text) {
            let here = if verbatim { at + tag.offset } else { at };
            if tag.name.eq_ignore_ascii_case("img") && !tag.closing {
                self.findings.push(image_warning(here, "<img>"));
            }
            self.html_depth = html_depth_after(self.html_depth, &tag);
            if self.depth + self.html_depth > MAX_NARRATIVE_DEPTH {
                return self.fail(too_deep(here));
            }
        }
        self.raw_html += text.len();
        if self.raw_html > MAX_RAW_HTML {
            return self.fail(Finding {
                offset: at,
                error: true,
                code: "raw-html",
                message: format!(
                    "the narrative holds more than {} KB of raw HTML",
                    MAX_RAW_HTML / 1024
                ),
                help: "write the narrative in Markdown; keep raw HTML to a few tags",
            });
        }
        false
    }
}

fn image_warning(offset: usize, what: &str) -> Finding {
    let shown: String = what.chars().take(80).collect();
    Finding {
        offset,
        error: false,
        code: "remote-image",
        message: format!(
            "the image `{shown}` is not shown: published pages load nothing from other sites"
        ),
        help: "a Markdown image ![text](address) is published as a link to it; a raw <img> tag is removed",
    }
}

/// The first offset at which a line opens more than the allowed number of
/// block containers by its prefix alone (`> > > …`, `- - - …`, `1. 1. …`).
/// Linear, and run before parsing: such prefixes are what makes the parser
/// itself slow.
fn deep_line_prefix(markdown: &str) -> Option<usize> {
    let mut line_start = 0;
    for line in markdown.split_inclusive('\n') {
        let b = line.as_bytes();
        let mut i = 0;
        let mut depth = 0;
        while i < b.len() {
            let width = match b[i] {
                b' ' | b'\t' => {
                    i += 1;
                    continue;
                }
                b'>' => 1,
                c @ (b'-' | b'+' | b'*') if matches!(b.get(i + 1), Some(b' ' | b'\t')) => {
                    // `- - -` and `* * *` are rules, not lists.
                    let rule =
                        c != b'+' && b[i..].iter().all(|&x| x == c || x.is_ascii_whitespace());
                    if rule {
                        break;
                    }
                    2
                }
                b'0'..=b'9' => {
                    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                    let after = b.get(i + digits..i + digits + 2);
                    if digits > 9 || !matches!(after, Some([b'.' | b')', b' ' | b'\t'])) {
                        break;
                    }
                    digits + 2
                }
                _ => break,
            };
            depth += 1;
            if depth > MAX_NARRATIVE_DEPTH {
                return Some(line_start + i);
            }
            i += width;
        }
        line_start += line.len();
    }
    None
}

/// A tag seen in raw HTML.
struct HtmlTag<'a> {
    offset: usize,
    name: &'a str,
    closing: bool,
    self_closing: bool,
}

/// The tags of a piece of raw HTML (comments and declarations skipped).
fn html_tags(text: &str) -> Vec<HtmlTag<'_>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = b[i..].iter().position(|&c| c == b'<') {
        let start = i + lt;
        let closing = b.get(start + 1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = b[name_start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
            .count();
        if name_len == 0 || !b[name_start].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        let end = b[name_start..]
            .iter()
            .position(|&c| c == b'>')
            .map_or(b.len(), |p| name_start + p);
        out.push(HtmlTag {
            offset: start,
            name: &text[name_start..name_start + name_len],
            closing,
            self_closing: end > 0 && b.get(end - 1) == Some(&b'/'),
        });
        i = name_start + name_len;
    }
    out
}

/// Elements that never hold others (void), or that the HTML parser closes
/// by itself when the next one starts: they do not deepen the nesting.
fn never_nests(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "param", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "option",
        "optgroup", "thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rtc", "rp",
    ];
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(name))
}

fn html_depth_after(depth: usize, tag: &HtmlTag) -> usize {
    if tag.self_closing || never_nests(tag.name) {
        depth
    } else if tag.closing {
        depth.saturating_sub(1)
    } else {
        depth + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::markdown::to_safe_html;

    #[test]
    fn images_become_links() {
        let html = to_safe_html(
            "![Carte](https://t.example/p.gif) ![](https://t.example/q.gif) <img src=\"https://t.example/r.gif\">",
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains(">Carte</a>"), "{html}");
        assert!(html.contains(">https://t.example/q.gif</a>"), "{html}");
        let found = check("![Carte](https://t.example/p.gif)\n\n<img src=x>");
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|f| !f.error && f.code == "remote-image"));
        assert_eq!((found[0].offset, found[1].offset), (0, 35));
    }

    #[test]
    fn nesting_is_bounded() {
        let at = |s: &str| check(s).into_iter().find(|f| f.error).map(|f| f.offset);
        assert_eq!(at(&"> ".repeat(32)), None);
        assert_eq!(at(&"> ".repeat(33)), Some(64));
        assert_eq!(at(&format!("x\n\n{}x", "- ".repeat(40))), Some(3 + 64));
        assert_eq!(at("- ".repeat(40).trim_end()), None, "a rule");
        assert_eq!(at(&"<div>".repeat(40)), Some(32 * 5));
        assert_eq!(at(&"<p><br><img src=x>".repeat(40)), None);
        assert_eq!(at(&"<b>x</b>".repeat(4000)), None);
        assert_eq!(at(&"*a ".repeat(40)), None);
        assert!(at(&"<b>x</b>".repeat(10_000)).is_some(), "raw HTML cap");
        assert!(at(&format!("[a](https://e.org/{})", "a".repeat(3000))).is_some());
    }
}
