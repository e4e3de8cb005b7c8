//! Every output path and every relative URL of the site, in one place.
//!
//! Renderers ask here where a file goes and how one page links to another;
//! the link checker and `serve` ask here which unit makes a given path. No
//! other module spells a path of the output tree.

use std::fmt;

use crate::content::model::{Date, Language, Site};

/// Whether `rel` is a plain path inside a folder: relative, `/` between
/// non-empty components, none of them `.` or `..`, no backslash or NUL.
/// Every path relance writes is one; a path read back from a cache that is
/// not is refused (the cache was not written by relance).
pub fn is_plain(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && rel.split('/').all(|part| {
            !part.is_empty() && part != "." && part != ".." && !part.contains(['\\', '\0'])
        })
}

pub const OVERVIEW: &str = "index.html";
pub const STYLESHEET: &str = "assets/style.css";
pub const FAVICON: &str = "assets/favicon.svg";
/// The web fonts' folder, beside the stylesheet (which names them
/// `fonts/<file>`).
pub const WEBFONT_DIR: &str = "assets/fonts";
pub const SITE_FEED: &str = "feed.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub const DATA_JSON: &str = "data/updates.json";
pub const DATA_CSV: &str = "data/updates.csv";
/// Every correction of the site, newest first.
pub const CORRECTIONS: &str = "corrections/index.html";
/// Within an update's folder.
pub const FACTS: &str = "facts.json";
pub const BRIEF: &str = "brief.txt";
/// The update's share card (1200 × 630 PNG).
pub const CARD: &str = "card.png";
/// Within a region's folder.
pub const REGION_FEED: &str = "feed.xml";
const PAGE: &str = "index.html";

/// A web font's file, `assets/fonts/<file>`.
pub fn webfont(file: &str) -> String {
    format!("{WEBFONT_DIR}/{file}")
}

/// The folder of a region, `regions/<slug>`.
pub fn region_dir(slug: &str) -> String {
    format!("regions/{slug}")
}

pub fn region_page(slug: &str) -> String {
    format!("{}/{PAGE}", region_dir(slug))
}

pub fn region_file(slug: &str, name: &str) -> String {
    format!("{}/{name}", region_dir(slug))
}

/// The folder of an update, `regions/<slug>/<date>`.
pub fn update_dir(slug: &str, date: Date) -> String {
    format!("{}/{date}", region_dir(slug))
}

pub fn update_page(slug: &str, date: Date) -> String {
    update_file(slug, date, PAGE)
}

pub fn update_file(slug: &str, date: Date, name: &str) -> String {
    format!("{}/{name}", update_dir(slug, date))
}

/// File names of an update's PDFs (report, press sheet): named after the
/// region and date so that a downloaded file says what it is.
pub fn report_pdf_name(slug: &str, date: Date) -> String {
    format!("{slug}-{date}.pdf")
}

pub fn press_pdf_name(slug: &str, date: Date) -> String {
    format!("{slug}-{date}-press.pdf")
}

/// A chart's file beside the page that shows it.
pub fn chart_name(id: &str) -> String {
    format!("{id}.svg")
}

/// A chart's PNG beside its SVG.
pub fn chart_png_name(id: &str) -> String {
    format!("{id}.png")
}

/// The figures a chart draws, as CSV, beside its SVG.
pub fn chart_csv_name(id: &str) -> String {
    format!("{id}.csv")
}

/// An update chart's embeddable page, `embed/<id>.html` in the update's
/// folder.
pub fn embed_page(slug: &str, date: Date, id: &str) -> String {
    update_file(slug, date, &format!("embed/{id}.html"))
}

/// The folder of the overview's charts.
pub const OVERVIEW_CHARTS: &str = "charts";

/// The overview's charts.
pub fn overview_chart(id: &str) -> String {
    format!("{OVERVIEW_CHARTS}/{}", chart_name(id))
}

/// The tree of `lang` on `site`: `None` for the default language, whose
/// tree is the site's root; `Some(lang)` for the others, under `<code>/`.
pub fn tree(site: &Site, lang: Language) -> Option<Language> {
    (lang != site.language()).then_some(lang)
}

/// The site path of the tree path `path` in `tree`: `en/regions/…`.
pub fn in_tree(tree: Option<Language>, path: &str) -> String {
    match tree {
        None => path.to_string(),
        Some(lang) => format!("{}/{path}", lang.code()),
    }
}

/// The relative URL from the page at `from` to the site path `to`
/// (`regions/a/2020-05-14/index.html` → `regions/a/index.html` gives
/// `../index.html`).
pub fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len() - 1);
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// The site path that a relative link `href` in the page at `page` leads
/// to (the inverse of [`relative`]); `None` when it leaves the site.
pub fn resolve(page: &str, href: &str) -> Option<String> {
    let href = href.split(['#', '?']).next().unwrap_or("");
    if href.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if href.ends_with('/') || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

/// The prefix that leads from the page at `from` to the site's root
/// (`""`, `"../../"`…), for templates that link to shared assets.
pub fn root_from(from: &str) -> String {
    "../".repeat(from.matches('/').count())
}

/// A part of the site rendered as a whole: one per update, one per region,
/// one for the site-wide files.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnitId {
    Update {
        region: String,
        date: Date,
    },
    Region(String),
    Global,
    /// A unit of another language's tree (`en/…`).
    Translated(Language, Box<UnitId>),
}

impl UnitId {
    /// The order units are best rendered in: the site's shared files,
    /// then regions, then updates (which link to both).
    pub fn rank(&self) -> u8 {
        match self {
            UnitId::Global => 0,
            UnitId::Region(_) => 1,
            UnitId::Update { .. } => 2,
            UnitId::Translated(_, inner) => inner.rank(),
        }
    }
}

impl fmt::Display for UnitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnitId::Update { region, date } => write!(f, "update:{region}/{date}"),
            UnitId::Region(slug) => write!(f, "region:{slug}"),
            UnitId::Global => f.write_str("global"),
            UnitId::Translated(lang, unit) => write!(f, "{}:{unit}", lang.code()),
        }
    }
}

/// Whether `path` is one of the costly files (PDF reports and press
/// sheets, PNG charts and share cards) that `check` and the preview list
/// without making them: the preview makes one when it is asked for.
pub fn is_binary(path: &str) -> bool {
    path.ends_with(".pdf") || path.ends_with(".png")
}

/// The unit that renders the site path `path`, judged by its shape alone
/// (whether that unit exists is the caller's question).
pub fn unit_of(path: &str) -> UnitId {
    if let Some((first, rest)) = path.split_once('/')
        && let Some(lang) = Language::from_code(first)
    {
        return UnitId::Translated(lang, Box::new(unit_of(rest)));
    }
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["regions", slug, dir, _, ..] => match Date::parse(dir).ok() {
            Some(date) => UnitId::Update {
                region: slug.to_string(),
                date,
            },
            None => UnitId::Region(slug.to_string()),
        },
        ["regions", slug, _] => UnitId::Region(slug.to_string()),
        _ => UnitId::Global,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn relative_urls() {
        let page = update_page("a", d("2020-05-14"));
        assert_eq!(
            relative(&page, &update_page("a", d("2020-05-07"))),
            "../2020-05-07/index.html"
        );
        assert_eq!(relative(&page, &region_page("a")), "../index.html");
        assert_eq!(relative(&page, STYLESHEET), "../../../assets/style.css");
        assert_eq!(
            relative(OVERVIEW, &region_page("a")),
            "regions/a/index.html"
        );
        assert_eq!(
            relative(&region_page("a"), &update_page("a", d("2020-05-14"))),
            "2020-05-14/index.html"
        );
        assert_eq!(
            relative(&page, &update_file("a", d("2020-05-14"), "traffic.svg")),
            "traffic.svg"
        );
        assert_eq!(root_from(&page), "../../../");
        assert_eq!(root_from(OVERVIEW), "");
        let embed = embed_page("a", d("2020-05-14"), "traffic");
        assert_eq!(embed, "regions/a/2020-05-14/embed/traffic.html");
        assert_eq!(relative(&embed, &page), "../index.html");
    }

    #[test]
    fn every_path_belongs_to_its_unit() {
        let date = d("2020-05-14");
        let update = UnitId::Update {
            region: "a".into(),
            date,
        };
        for p in [
            update_page("a", date),
            update_file("a", date, &report_pdf_name("a", date)),
            update_file("a", date, &chart_name("traffic")),
            update_file("a", date, &chart_png_name("traffic")),
            update_file("a", date, CARD),
            update_file("a", date, &chart_csv_name("traffic")),
            embed_page("a", date, "traffic"),
        ] {
            assert_eq!(unit_of(&p), update);
        }
        assert_eq!(unit_of(&region_page("a")), UnitId::Region("a".into()));
        assert_eq!(
            unit_of(&region_file("a", REGION_FEED)),
            UnitId::Region("a".into())
        );
        for p in [
            OVERVIEW,
            STYLESHEET,
            DATA_CSV,
            CORRECTIONS,
            &overview_chart("x"),
        ] {
            assert_eq!(unit_of(p), UnitId::Global);
        }
        let en = Some(Language::En);
        assert_eq!(
            unit_of(&in_tree(en, &update_page("a", date))),
            UnitId::Translated(Language::En, Box::new(update.clone()))
        );
        assert_eq!(unit_of(&in_tree(en, OVERVIEW)).to_string(), "en:global");
        assert_eq!(in_tree(None, OVERVIEW), OVERVIEW);
    }
}
