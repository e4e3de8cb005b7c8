//! The internal link checker: every relative `href` and `src` of every
//! generated page must resolve to a file of the site. A page that links to
//! nothing is a broken site, so a build with a broken link fails.

use std::collections::HashSet;
use std::hash::Hasher;

use siphasher::sip128::{Hasher128, SipHasher13};

use crate::content::yaml::Pos;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::paths::resolve;

/// A link found in a page: where it is and the path it resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub page: String,
    pub line: usize,
    pub column: usize,
    pub href: String,
    /// The site path it points at, `None` when it climbs out of the site.
    pub target: Option<String>,
}

/// Whether a link leaves the site (and so is not ours to check).
fn is_external(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    href.is_empty()
        || href.starts_with('#')
        || href.starts_with("//")
        || lower.starts_with("http:")
        || lower.starts_with("https:")
        || lower.starts_with("mailto:")
        || lower.starts_with("tel:")
        || lower.starts_with("data:")
}

fn decode_entities(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
}

/// Every relative link of an HTML page, with its line and column. The page
/// is scanned once per attribute name (this runs on every page of a build).
pub fn links(page: &str, html: &str) -> Vec<Link> {
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for attr in [" href=\"", " src=\""] {
        hits.extend(
            html.match_indices(attr)
                .map(|(i, a)| (i + a.len(), a.len())),
        );
    }
    hits.sort_unstable();
    let mut out = Vec::new();
    let (mut line, mut line_start, mut scanned) = (1usize, 0usize, 0usize);
    for (start, _) in hits {
        let Some(len) = html[start..].find('"') else {
            continue;
        };
        let href = decode_entities(&html[start..start + len]);
        if is_external(&href) {
            continue;
        }
        for (k, b) in html.as_bytes()[scanned..start].iter().enumerate() {
            if *b == b'\n' {
                line += 1;
                line_start = scanned + k + 1;
            }
        }
        scanned = start;
        out.push(Link {
            page: page.to_string(),
            line,
            column: html[line_start..start].chars().count() + 1,
            target: resolve(page, &href),
            href,
        });
    }
    out
}

/// The paths of a site's files, kept as 128-bit hashes: whether a path is
/// one of them is all the link check asks, and a million paths held as
/// strings took ≈ 100 MB of a 50 000-update build (two paths meeting on a
/// hash is a chance of about one in 10^26 for a million files).
#[derive(Debug, Default)]
pub struct PathSet(HashSet<u128>);

fn path_hash(path: &str) -> u128 {
    let mut h = SipHasher13::new();
    h.write(path.as_bytes());
    h.finish128().as_u128()
}

impl PathSet {
    /// Adds `path`; false when it was there already.
    pub fn insert(&mut self, path: &str) -> bool {
        self.0.insert(path_hash(path))
    }

    pub fn contains(&self, path: &str) -> bool {
        self.0.contains(&path_hash(path))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds every path of `other`; false when one was there already.
    pub fn extend(&mut self, other: PathSet) -> bool {
        let before = self.0.len();
        let added = other.0.len();
        self.0.extend(other.0);
        self.0.len() == before + added
    }
}

impl<'a> FromIterator<&'a str> for PathSet {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        PathSet(iter.into_iter().map(path_hash).collect())
    }
}

/// Whether `link` leads to one of `files` (a folder to its `index.html`).
pub fn resolves(link: &Link, files: &PathSet) -> bool {
    link.target
        .as_ref()
        .is_some_and(|t| files.contains(t) || files.contains(&format!("{t}/index.html")))
}

/// Checks `links` against the set of site files; one error per broken link.
pub fn check(links: &[Link], files: &PathSet, output_shown: &str) -> Diagnostics {
    let mut d = Diagnostics::default();
    for l in links {
        if !resolves(l, files) {
            let file = crate::content::display_path(output_shown, &l.page);
            let why = if l.target.is_none() {
                "points outside the site"
            } else {
                "points at no file of the site"
            };
            d.push(
                Diagnostic::error(&file, Pos { line: l.line, column: l.column, width: l.href.chars().count().max(1) }, "broken-link", format!("broken link `{}`: it {why}", l.href))
                    .with_help("links in pages must be relative and lead to a generated file; check the template or the narrative that wrote it"),
            );
        }
    }
    d.sort();
    d
}

/// Checks a whole site held in memory.
pub fn check_site(files: &[crate::render::OutputFile], output_shown: &str) -> Diagnostics {
    let set: PathSet = files.iter().map(|f| f.path.as_str()).collect();
    let all: Vec<Link> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .flat_map(|f| links(&f.path, &String::from_utf8_lossy(&f.bytes)))
        .collect();
    check(&all, &set, output_shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(
            resolve(
                "regions/a/2020-05-14/index.html",
                "../../../assets/style.css"
            )
            .as_deref(),
            Some("assets/style.css")
        );
        assert_eq!(
            resolve("regions/a/index.html", "2020-05-14/index.html").as_deref(),
            Some("regions/a/2020-05-14/index.html")
        );
        assert_eq!(
            resolve("index.html", "regions/a/").as_deref(),
            Some("regions/a/index.html")
        );
        assert_eq!(resolve("index.html", "../secret"), None);
        assert_eq!(resolve("index.html", "/abs"), None);
        assert_eq!(
            resolve("a/index.html", "x.pdf#page=2").as_deref(),
            Some("a/x.pdf")
        );
    }

    #[test]
    fn finds_links_with_positions() {
        let html = "<a href=\"a.html\">x</a>\n  <img src=\"b.svg\"> <a href=\"https://x\">e</a> <a href=\"#top\">t</a>";
        let l = links("index.html", html);
        assert_eq!(l.len(), 2);
        assert_eq!((l[0].line, l[0].column), (1, 10));
        assert_eq!((l[1].line, l[1].target.as_deref()), (2, Some("b.svg")));
    }

    #[test]
    fn reports_broken_links() {
        let files: PathSet = ["index.html", "regions/a/index.html"].into_iter().collect();
        let l = links(
            "index.html",
            "<a href=\"missing.html\">x</a> <a href=\"index.html\">y</a>",
        );
        let d = check(&l, &files, "output");
        assert_eq!(d.errors(), 1);
        assert!(
            d.items[0]
                .headline()
                .starts_with("output/index.html:1:10: error: broken link `missing.html`")
        );
        // A folder resolves to its index; a path is not any of its prefixes.
        let l = links(
            "index.html",
            "<a href=\"regions/a/\">a</a> <a href=\"regions/\">r</a>",
        );
        assert_eq!(check(&l, &files, "output").errors(), 1);
    }
}
