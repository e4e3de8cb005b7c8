//! Atom feeds (site-wide and per region, newest first) and the sitemap.
//! Dates come from the updates, never the clock, so feeds are reproducible.

use super::xml_escape;
use crate::content::model::{Date, Region, Site};
use crate::derive::{DerivedRegion, DerivedUpdate, SiteModel};
use crate::locale::Locale;
use crate::paths;

fn stamp(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

/// The link to a site path: absolute with `base_url`, else relative.
fn link(site: &Site, path: &str) -> String {
    match &site.base_url {
        Some(base) => format!("{base}{path}"),
        None => path.to_string(),
    }
}

fn entry(site: &Site, loc: &Locale, r: &Region, d: &DerivedUpdate) -> String {
    let u = &d.update;
    let tree = paths::tree(site, loc.lang);
    let path = paths::in_tree(tree, &paths::update_page(&r.slug, u.date));
    let href = link(site, &path);
    let id = match &site.base_url {
        Some(_) => href.clone(),
        None => format!("tag:relance,{}:{}", u.date, path),
    };
    let summary = crate::view::key_figures(d, loc)
        .iter()
        .map(|f| format!("{} {}", f.value, f.label))
        .collect::<Vec<_>>()
        .join(" · ");
    format!(
        "  <entry>\n    <title>{}</title>\n    <link href=\"{}\"/>\n    <id>{}</id>\n    <updated>{}</updated>\n    <author><name>{}</name></author>\n    <category term=\"{}\" label=\"{}\"/>\n    <summary>{}</summary>\n  </entry>\n",
        xml_escape(&format!("{} — {}", r.name, u.title)),
        xml_escape(&href),
        xml_escape(&id),
        stamp(u.last_modified()),
        xml_escape(u.speaker.as_ref().map_or(&site.organisation, |s| &s.name)),
        xml_escape(&r.slug),
        xml_escape(&r.name),
        xml_escape(&summary),
    )
}

fn feed(
    (site, loc): (&Site, &Locale),
    title: &str,
    self_path: &str,
    entries: &[(&Region, &DerivedUpdate)],
) -> String {
    let updated = entries.iter().map(|(_, d)| d.update.last_modified()).max();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        loc.code()
    ));
    out.push_str(&format!("  <title>{}</title>\n", xml_escape(title)));
    let self_path = &paths::in_tree(paths::tree(site, loc.lang), self_path);
    let id = match &site.base_url {
        Some(_) => link(site, self_path),
        None => format!("tag:relance,2020:{self_path}"),
    };
    out.push_str(&format!("  <id>{}</id>\n", xml_escape(&id)));
    if site.base_url.is_some() {
        out.push_str(&format!(
            "  <link rel=\"self\" href=\"{}\"/>\n",
            xml_escape(&link(site, self_path))
        ));
    }
    out.push_str(&format!(
        "  <updated>{}</updated>\n",
        updated.map_or_else(|| "1970-01-01T00:00:00Z".into(), stamp)
    ));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_escape(&site.organisation)
    ));
    for (r, d) in entries {
        out.push_str(&entry(site, loc, r, d));
    }
    out.push_str("</feed>\n");
    out
}

/// Entries in the site-wide feed: feed readers poll the newest items; the
/// complete history is in the region feeds and in the open data.
pub const SITE_FEED_ENTRIES: usize = 100;

pub fn site_feed(model: &SiteModel, loc: &Locale) -> String {
    let entries: Vec<(&Region, &DerivedUpdate)> = model
        .updates_newest_first()
        .into_iter()
        .take(SITE_FEED_ENTRIES)
        .map(|(r, d)| (&r.region, d))
        .collect();
    feed(
        (&model.site, loc),
        &model.site.title,
        paths::SITE_FEED,
        &entries,
    )
}

pub fn region_feed(site: &Site, loc: &Locale, region: &DerivedRegion) -> String {
    let entries: Vec<(&Region, &DerivedUpdate)> = region
        .updates
        .iter()
        .rev()
        .map(|d| (&region.region, d))
        .collect();
    feed(
        (site, loc),
        &format!("{} — {}", site.title, region.region.name),
        &paths::region_file(&region.region.slug, paths::REGION_FEED),
        &entries,
    )
}

/// `sitemap.xml`, which needs absolute addresses: `None` without `base_url`.
pub fn sitemap(model: &SiteModel) -> Option<String> {
    model.site.base_url.as_ref()?;
    let mut urls: Vec<(String, Option<Date>)> = vec![(
        paths::OVERVIEW.into(),
        model
            .regions
            .iter()
            .filter_map(|r| r.latest())
            .map(|d| d.update.date)
            .max(),
    )];
    let last_correction = model
        .regions
        .iter()
        .flat_map(|r| &r.updates)
        .flat_map(|d| &d.update.corrections)
        .map(|c| c.date)
        .max();
    urls.push((paths::CORRECTIONS.into(), last_correction));
    for r in &model.regions {
        urls.push((
            paths::region_page(&r.region.slug),
            r.latest().map(|d| d.update.date),
        ));
        for d in &r.updates {
            urls.push((
                paths::update_page(&r.region.slug, d.update.date),
                Some(d.update.last_modified()),
            ));
        }
    }
    let site = &model.site;
    let multilingual = site.languages.len() > 1;
    let mut out = String::from(if multilingual {
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
    } else {
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    });
    for (path, date) in urls {
        for lang in &site.languages {
            let here = paths::in_tree(paths::tree(site, *lang), &path);
            out.push_str(&format!(
                "  <url><loc>{}</loc>",
                xml_escape(&link(site, &here))
            ));
            if let Some(d) = date {
                out.push_str(&format!("<lastmod>{d}</lastmod>"));
            }
            if multilingual {
                out.push_str(&sitemap_alternates(site, &path));
            }
            out.push_str("</url>\n");
        }
    }
    out.push_str("</urlset>\n");
    Some(out)
}

/// Every language's version of the tree path `path`, and the default
/// language's as `x-default`.
fn sitemap_alternates(site: &Site, path: &str) -> String {
    let mut out = String::new();
    let versions = site
        .languages
        .iter()
        .map(|l| (l.code(), *l))
        .chain([("x-default", site.language())]);
    for (hreflang, lang) in versions {
        let href = link(site, &paths::in_tree(paths::tree(site, lang), path));
        out.push_str(&format!(
            "<xhtml:link rel=\"alternate\" hreflang=\"{hreflang}\" href=\"{}\"/>",
            xml_escape(&href)
        ));
    }
    out
}
