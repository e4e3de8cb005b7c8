//! Rendering: the derived model in, files (path + bytes) out, in memory.
//! Every output format is a renderer over the same model; none reads files.
//!
//! The site is cut into units — one per update, one per region, one for the
//! site-wide files — so that an incremental build can re-render only the
//! units whose inputs changed.

pub mod brief;
pub mod card;
pub mod charts;
pub mod data;
pub mod feeds;
mod glyphs;
pub mod html;
pub mod keys;
pub mod markdown;
pub mod pdf;
pub mod png;
pub mod theme;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::model::{Date, Language};
use crate::content::model::{Region, Site};
use crate::derive::{DerivedRegion, DerivedUpdate, SiteModel};
use crate::error::Failure;
use crate::locale::{Locale, Locales};
use crate::paths::{self, UnitId};
use crate::view::{self, ShareMeta, SiteView, UpdateView, ViewOptions, charts::Chart};
use charts::Drawn;
use theme::Theme;

/// Escapes text for HTML, SVG and XML alike (attributes included) and drops
/// the control characters XML 1.0 forbids. The one escaper behind feeds,
/// chart titles and the preview overlay.
pub fn xml_escape(s: &str) -> String {
    let s = crate::locale::strip_marks(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// One file of the built site, its path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RenderOptions {
    pub pdf: bool,
}

/// What one unit is rendered from, and nothing else: the renderer of a unit
/// receives only this value, so the fingerprint of this value serialised is
/// a cache key that cannot miss a dependency.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "unit", rename_all = "lowercase")]
pub enum UnitInput<'a> {
    /// An update's page, charts, facts, brief and PDFs.
    Update {
        site: &'a Site,
        locale: &'a Locale,
        region: &'a Region,
        #[serde(serialize_with = "keys::update")]
        update: &'a DerivedUpdate,
    },
    /// A region's page, charts and feed.
    Region {
        site: &'a Site,
        locale: &'a Locale,
        region: &'a DerivedRegion,
    },
    /// Overview, feeds, sitemap, open data, stylesheet.
    Global {
        model: &'a SiteModel,
        locale: &'a Locale,
    },
}

/// A part of the site rendered as a whole.
#[derive(Debug, Clone)]
pub struct Unit<'a> {
    pub id: UnitId,
    pub input: UnitInput<'a>,
}

/// One language's tree of the site: the model with its texts in that
/// language, the language's locale, and where the tree goes (`None`: the
/// default language, at the root; `Some(en)`: under `en/`).
#[derive(Debug, Clone, Copy)]
pub struct Tree<'a> {
    pub model: &'a SiteModel,
    pub locale: &'a Locale,
    pub lang: Option<Language>,
}

/// A unit id inside `tree`.
fn in_tree(tree: Option<Language>, id: UnitId) -> UnitId {
    match tree {
        None => id,
        Some(lang) => UnitId::Translated(lang, Box::new(id)),
    }
}

/// Every unit of one tree, in a stable order.
fn tree_units<'a>(tree: &Tree<'a>, out: &mut Vec<Unit<'a>>) {
    let (model, locale) = (tree.model, tree.locale);
    let site = &model.site;
    for r in &model.regions {
        let slug = &r.region.slug;
        for d in &r.updates {
            let id = UnitId::Update {
                region: slug.clone(),
                date: d.update.date,
            };
            out.push(Unit {
                id: in_tree(tree.lang, id),
                input: UnitInput::Update {
                    site,
                    locale,
                    region: &r.region,
                    update: d,
                },
            });
        }
        out.push(Unit {
            id: in_tree(tree.lang, UnitId::Region(slug.clone())),
            input: UnitInput::Region {
                site,
                locale,
                region: r,
            },
        });
    }
    out.push(Unit {
        id: in_tree(tree.lang, UnitId::Global),
        input: UnitInput::Global { model, locale },
    });
}

/// Every unit of the site, tree by tree, in a stable order.
pub fn units<'a>(trees: &[Tree<'a>]) -> Vec<Unit<'a>> {
    let mut out = Vec::new();
    for t in trees {
        tree_units(t, &mut out);
    }
    out
}

/// The unit `id` of the site, if it exists.
pub fn unit<'a>(trees: &[Tree<'a>], id: &UnitId) -> Option<Unit<'a>> {
    let (lang, part) = match id {
        UnitId::Translated(lang, part) => (Some(*lang), part.as_ref()),
        other => (None, other),
    };
    let tree = trees.iter().find(|t| t.lang == lang)?;
    let (model, locale) = (tree.model, tree.locale);
    let site = &model.site;
    let input = match part {
        UnitId::Update { region, date } => {
            let r = model.region(region)?;
            let update = r.updates.iter().find(|d| d.update.date == *date)?;
            UnitInput::Update {
                site,
                locale,
                region: &r.region,
                update,
            }
        }
        UnitId::Region(slug) => UnitInput::Region {
            site,
            locale,
            region: model.region(slug)?,
        },
        UnitId::Global => UnitInput::Global { model, locale },
        UnitId::Translated(..) => return None,
    };
    Some(Unit {
        id: id.clone(),
        input,
    })
}

/// What rendering needs, prepared once per build: the theme and options,
/// and no model (each unit brings its input).
pub struct Renderer<'a> {
    pub theme: &'a Theme,
    pub opts: RenderOptions,
    html: html::HtmlRenderer,
    /// When false, PDFs and PNG images are listed with no bytes (`check`
    /// and the preview make none up front: they are the costly files).
    binaries: bool,
}

impl Renderer<'_> {
    /// The charts of a page drawn, and their files beside the page: the SVG
    /// and its PNG at twice the pixel density.
    fn drawn_charts(
        &self,
        charts: &[Chart],
        dir: &str,
        files: &mut Vec<OutputFile>,
    ) -> Result<Vec<Drawn>, Failure> {
        charts
            .iter()
            .map(|c| {
                let d = charts::draw(&c.unmarked());
                let png = self.binary(|| {
                    png::rasterise(&d.svg, png::CHART_SCALE).map_err(|e| {
                        Failure::Internal(format!("cannot rasterise chart {}: {e}", c.id))
                    })
                })?;
                files.push(OutputFile::new(format!("{dir}/{}", c.file), d.svg.clone()));
                files.push(OutputFile::new(
                    format!("{dir}/{}", paths::chart_png_name(&c.id)),
                    png,
                ));
                Ok(d)
            })
            .collect()
    }
}

impl<'a> Renderer<'a> {
    pub fn new(theme: &'a Theme, opts: RenderOptions) -> Result<Self, Failure> {
        Ok(Renderer {
            theme,
            opts,
            html: html::HtmlRenderer::new(theme)?,
            binaries: true,
        })
    }

    /// Whether PDFs are compiled and PNG images rasterised (else they are
    /// listed with no bytes, so that links to them still resolve).
    pub fn making_binaries(mut self, yes: bool) -> Self {
        self.binaries = yes;
        self
    }

    /// The bytes of a costly file, or none when binaries are not made.
    fn binary(&self, make: impl FnOnce() -> Result<Vec<u8>, Failure>) -> Result<Vec<u8>, Failure> {
        if self.binaries {
            make()
        } else {
            Ok(Vec::new())
        }
    }

    /// The files of one unit, at their place in the site (`en/…` for
    /// another language's tree).
    pub fn render_unit(&self, unit: &Unit) -> Result<Vec<OutputFile>, Failure> {
        let (site, lang) = match unit.input {
            UnitInput::Update { site, locale, .. } | UnitInput::Region { site, locale, .. } => {
                (site, locale.lang)
            }
            UnitInput::Global { model, locale } => (&model.site, locale.lang),
        };
        let tree = paths::tree(site, lang);
        let mut files = self.render_tree_files(unit)?;
        if tree.is_some() {
            for f in &mut files {
                f.path = paths::in_tree(tree, &f.path);
            }
        }
        Ok(files)
    }

    /// The files of one unit, with paths inside its language's tree.
    fn render_tree_files(&self, unit: &Unit) -> Result<Vec<OutputFile>, Failure> {
        match unit.input {
            UnitInput::Update {
                site,
                locale,
                region,
                update,
            } => self.update((site, locale), region, update),
            UnitInput::Region {
                site,
                locale,
                region,
            } => self.region((site, locale), region),
            UnitInput::Global { model, locale } => self.global(model, locale),
        }
    }

    fn update(
        &self,
        (site, loc): (&Site, &Locale),
        r: &Region,
        d: &DerivedUpdate,
    ) -> Result<Vec<OutputFile>, Failure> {
        let (sv, t) = (view::site_view(site, loc), view::t(loc));
        let uv = view::update_view(loc, r, d, ViewOptions { pdf: self.opts.pdf });
        let (slug, date) = (r.slug.as_str(), d.update.date);
        let page = paths::update_page(slug, date);
        let mut files = Vec::new();
        let drawn = self.drawn_charts(&uv.charts, &paths::update_dir(slug, date), &mut files)?;
        let mut value = html::with_drawn_narrow(&uv, &drawn)?;
        let kits = chart_kits(&sv, &page, (slug, date), &uv.charts, &drawn);
        html::with_kits(&mut value, &kits)?;
        for (c, kit) in uv.charts.iter().zip(&kits) {
            files.push(OutputFile::new(
                paths::update_file(slug, date, &paths::chart_csv_name(&c.id)),
                data::chart_csv(&c.unmarked()),
            ));
            files.push(self.embed_page((&sv, &t), &value, c, &kit.embed_path)?);
        }
        let card = paths::update_file(slug, date, paths::CARD);
        let share = ShareMeta::new(
            &sv,
            &page,
            ("article", update_title(&uv), update_description(&uv)),
            Some((&card, uv.title.clone())),
        );
        let html = self
            .html
            .page("update.html", &page, (&sv, &t), ("update", &value), &share)?;
        files.push(OutputFile::new(page, html));
        files.push(OutputFile::new(card, self.binary(|| share_card(&sv, &uv))?));
        files.push(OutputFile::new(
            paths::update_file(slug, date, paths::FACTS),
            data::facts_json(r, d)?,
        ));
        files.push(OutputFile::new(
            paths::update_file(slug, date, paths::BRIEF),
            brief::render_text(&brief::build(loc, r, d), loc, false),
        ));
        if self.opts.pdf {
            let report = paths::update_file(slug, date, &paths::report_pdf_name(slug, date));
            let press = paths::update_file(slug, date, &paths::press_pdf_name(slug, date));
            files.push(OutputFile::new(
                report,
                self.binary(|| pdf::render_report(self.theme, (&sv, &t), &uv, &drawn))?,
            ));
            files.push(OutputFile::new(
                press,
                self.binary(|| pdf::render_press(self.theme, (&sv, &t), &uv, &drawn))?,
            ));
        }
        Ok(files)
    }

    /// An update chart's embeddable page: the chart, its title, the
    /// update's region, date and source, a link to the update.
    fn embed_page(
        &self,
        (sv, t): (&SiteView, &view::Labels),
        update: &serde_json::Value,
        chart: &Chart,
        path: &str,
    ) -> Result<OutputFile, Failure> {
        let drawn = update["charts"]
            .as_array()
            .and_then(|a| a.iter().find(|c| c["id"] == chart.id.as_str()))
            .cloned()
            .unwrap_or_default();
        let slug = update["region_slug"].as_str().unwrap_or_default();
        let date = Date::parse(update["date_iso"].as_str().unwrap_or_default())
            .map_err(|e| Failure::Internal(format!("bad update date: {e}")))?;
        let to = |name: String| paths::relative(path, &paths::update_file(slug, date, &name));
        let value = serde_json::json!({
            "chart": drawn,
            "update": update,
            "back": paths::relative(path, &paths::update_page(slug, date)),
            "png": to(paths::chart_png_name(&chart.id)),
            "svg": to(chart.file.clone()),
            "csv": to(paths::chart_csv_name(&chart.id)),
        });
        let share = ShareMeta::new(
            sv,
            path,
            ("website", chart.title.clone(), chart.alt.clone()),
            None,
        );
        let html = self
            .html
            .page("embed.html", path, (sv, t), ("embed", &value), &share)?;
        Ok(OutputFile::new(path, html))
    }

    fn region(
        &self,
        (site, loc): (&Site, &Locale),
        r: &DerivedRegion,
    ) -> Result<Vec<OutputFile>, Failure> {
        let (sv, t) = (view::site_view(site, loc), view::t(loc));
        let rv = view::region_view(loc, r, ViewOptions { pdf: self.opts.pdf });
        let slug = r.region.slug.as_str();
        let page = paths::region_page(slug);
        let mut files = Vec::new();
        let drawn = self.drawn_charts(&rv.charts, &paths::region_dir(slug), &mut files)?;
        let value = html::with_drawn_narrow(&rv, &drawn)?;
        let card = rv.latest.as_ref().map(|u| {
            let date = r.updates.iter().map(|d| d.update.date).max();
            (
                date.map(|d| paths::update_file(slug, d, paths::CARD)),
                u.title.clone(),
            )
        });
        let card = card.and_then(|(path, alt)| Some((path?, alt)));
        let share = ShareMeta::new(
            &sv,
            &page,
            (
                "website",
                format!("{} · {}", rv.name, sv.title),
                rv.latest
                    .as_ref()
                    .map(update_description)
                    .unwrap_or_default(),
            ),
            card.as_ref().map(|(p, alt)| (p.as_str(), alt.clone())),
        );
        let html = self
            .html
            .page("region.html", &page, (&sv, &t), ("region", &value), &share)?;
        files.push(OutputFile::new(page, html));
        files.push(OutputFile::new(
            paths::region_file(slug, paths::REGION_FEED),
            feeds::region_feed(site, loc, r),
        ));
        Ok(files)
    }

    /// The site-wide files: the overview, the corrections page, the
    /// shared assets, feed and sitemap, and open data. Their three parts
    /// are made in parallel: on a one-edit build this unit is the longest
    /// (the overview's charts and 20 MB of open data for 10 000 updates).
    fn global(&self, model: &SiteModel, loc: &Locale) -> Result<Vec<OutputFile>, Failure> {
        let sv = view::site_view(&model.site, loc);
        let (overview, (site, data)) = rayon::join(
            || self.overview(model, loc, &sv),
            || {
                rayon::join(
                    || self.site_files(model, loc, &sv),
                    || data::open_data(model),
                )
            },
        );
        let mut files = overview?;
        files.extend(site?);
        files.extend(data?);
        Ok(files)
    }

    /// The overview page and its charts.
    fn overview(
        &self,
        model: &SiteModel,
        loc: &Locale,
        sv: &view::SiteView,
    ) -> Result<Vec<OutputFile>, Failure> {
        let t = view::t(loc);
        let overview = view::overview_view(model, loc);
        let mut files = Vec::new();
        let drawn = self.drawn_charts(&overview.charts, paths::OVERVIEW_CHARTS, &mut files)?;
        let value = html::with_drawn_narrow(&overview, &drawn)?;
        let page = paths::OVERVIEW;
        let first = overview.charts.first();
        let chart = first.map(|c| {
            format!(
                "{}/{}",
                paths::OVERVIEW_CHARTS,
                paths::chart_png_name(&c.id)
            )
        });
        let share = ShareMeta::new(
            sv,
            page,
            (
                "website",
                sv.title.clone(),
                first.map(|c| c.alt.clone()).unwrap_or_default(),
            ),
            chart.as_deref().zip(first.map(|c| c.title.clone())),
        );
        let html = self
            .html
            .page("index.html", page, (sv, &t), ("overview", &value), &share)?;
        files.push(OutputFile::new(page, html));
        Ok(files)
    }

    /// The corrections page, the shared assets, the feed and the sitemap.
    fn site_files(
        &self,
        model: &SiteModel,
        loc: &Locale,
        sv: &view::SiteView,
    ) -> Result<Vec<OutputFile>, Failure> {
        let t = view::t(loc);
        let mut files = Vec::new();
        let corrections = serde_json::to_value(view::corrections_view(model, loc))
            .map_err(|e| Failure::Internal(format!("cannot serialise a page view: {e}")))?;
        files.push(OutputFile::new(
            paths::CORRECTIONS,
            self.html.page(
                "corrections.html",
                paths::CORRECTIONS,
                (sv, &t),
                ("corrections", &corrections),
                &ShareMeta::new(
                    sv,
                    paths::CORRECTIONS,
                    ("website", sv.title.clone(), String::new()),
                    None,
                ),
            )?,
        ));
        files.push(OutputFile::new(
            paths::STYLESHEET,
            self.theme.text("style.css"),
        ));
        for (name, bytes) in charts::WEBFONTS {
            files.push(OutputFile::new(paths::webfont(name), *bytes));
        }
        files.push(OutputFile::new(
            paths::FAVICON,
            self.theme.text("favicon.svg"),
        ));
        files.push(OutputFile::new(
            paths::SITE_FEED,
            feeds::site_feed(model, loc),
        ));
        // One sitemap, at the root, lists every language's pages.
        if paths::tree(&model.site, loc.lang).is_none()
            && let Some(s) = feeds::sitemap(model)
        {
            files.push(OutputFile::new(paths::SITEMAP, s));
        }
        Ok(files)
    }
}

/// What the update page offers under a chart: its files (relative to the
/// page), its embeddable page and the `<iframe>` code that shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ChartKit {
    pub png: String,
    pub svg: String,
    pub csv: String,
    pub embed: String,
    pub iframe: String,
    #[serde(skip)]
    pub embed_path: String,
}

/// The kits of an update's charts, for the page at `page`.
fn chart_kits(
    sv: &SiteView,
    page: &str,
    (slug, date): (&str, Date),
    charts: &[Chart],
    drawn: &[Drawn],
) -> Vec<ChartKit> {
    charts
        .iter()
        .zip(drawn)
        .map(|(c, d)| {
            let embed_path = paths::embed_page(slug, date, &c.id);
            let file = |name: String| paths::relative(page, &paths::update_file(slug, date, &name));
            // The embed page is the chart plus about 120 px of text.
            let iframe = format!(
                "<iframe src=\"{}\" title=\"{}\" width=\"640\" height=\"{}\" style=\"width:100%;max-width:640px;border:0\" loading=\"lazy\"></iframe>",
                view::link(sv, page, &embed_path),
                xml_escape(&crate::locale::strip_marks(&c.title)),
                d.height + 120,
            );
            ChartKit {
                png: file(paths::chart_png_name(&c.id)),
                svg: file(c.file.clone()),
                csv: file(paths::chart_csv_name(&c.id)),
                embed: paths::relative(page, &embed_path),
                iframe,
                embed_path,
            }
        })
        .collect()
}

/// An update's title as shared: its title, region and date.
fn update_title(u: &UpdateView) -> String {
    format!("{} — {}, {}", u.title, u.region_name, u.date)
}

/// An update's description as shared: its narrative's first paragraph, or
/// else its key figures.
fn update_description(u: &UpdateView) -> String {
    match u.narrative_text.first() {
        Some(p) => view::summary(p, 200),
        None => u
            .key_figures
            .iter()
            .map(|f| format!("{} {}", f.value, f.label))
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

/// The update's share card, rasterised.
fn share_card(site: &SiteView, u: &UpdateView) -> Result<Vec<u8>, Failure> {
    png::rasterise(&card::svg(site, u), 1.0)
        .map_err(|e| Failure::Internal(format!("cannot rasterise the share card: {e}")))
}

/// Renders the whole site in memory, sorted by path.
pub fn render_site(
    model: &SiteModel,
    locales: &Locales,
    theme: &Theme,
    opts: RenderOptions,
) -> Result<Vec<OutputFile>, Failure> {
    let renderer = Renderer::new(theme, opts)?;
    let tree = Tree {
        model,
        locale: locales.default_for(&model.site),
        lang: None,
    };
    let parts: Vec<Result<Vec<OutputFile>, Failure>> = units(&[tree])
        .par_iter()
        .map(|u| renderer.render_unit(u))
        .collect();
    let mut files = Vec::new();
    for p in parts {
        files.extend(p?);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
