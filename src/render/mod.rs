//! Rendering: the derived model in, files (path + bytes) out, in memory.
//! Every output format is a renderer over the same model; none reads files.
//!
//! The site is cut into units — one per update, one per region, one for the
//! site-wide files — so that an incremental build can re-render only the
//! units whose inputs changed.

pub mod brief;
pub mod charts;
pub mod data;
pub mod feeds;
pub mod html;
pub mod i18n;
pub mod markdown;
pub mod pdf;
pub mod theme;
pub mod view;

use rayon::prelude::*;

use crate::derive::SiteModel;
use crate::error::Failure;
use theme::Theme;
use view::ViewOptions;

/// Escapes text for HTML, SVG and XML alike (attributes included) and drops
/// the control characters XML 1.0 forbids. The one escaper behind feeds,
/// chart titles and the preview overlay.
pub fn xml_escape(s: &str) -> String {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    pub pdf: bool,
}

/// A part of the site rendered as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// Indices into `model.regions` and that region's `updates`.
    Update {
        region: usize,
        update: usize,
    },
    Region(usize),
    /// Overview, feeds, sitemap, open data, stylesheet.
    Global,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Stable name: `update:<slug>/<date>`, `region:<slug>`, `global`.
    pub id: String,
    pub kind: UnitKind,
}

/// Every unit of the site, in a stable order.
pub fn units(model: &SiteModel) -> Vec<Unit> {
    let mut out = Vec::new();
    for (ri, r) in model.regions.iter().enumerate() {
        for (ui, d) in r.updates.iter().enumerate() {
            out.push(Unit {
                id: format!("update:{}/{}", r.region.slug, d.update.date),
                kind: UnitKind::Update {
                    region: ri,
                    update: ui,
                },
            });
        }
        out.push(Unit {
            id: format!("region:{}", r.region.slug),
            kind: UnitKind::Region(ri),
        });
    }
    out.push(Unit {
        id: "global".into(),
        kind: UnitKind::Global,
    });
    out
}

/// What rendering needs, prepared once per build.
pub struct Renderer<'a> {
    pub model: &'a SiteModel,
    pub theme: &'a Theme,
    pub opts: RenderOptions,
    html: html::HtmlRenderer,
}

impl<'a> Renderer<'a> {
    pub fn new(
        model: &'a SiteModel,
        theme: &'a Theme,
        opts: RenderOptions,
    ) -> Result<Self, Failure> {
        Ok(Renderer {
            model,
            theme,
            opts,
            html: html::HtmlRenderer::new(theme)?,
        })
    }

    /// The files of one unit.
    pub fn render_unit(&self, unit: &Unit) -> Result<Vec<OutputFile>, Failure> {
        let model = self.model;
        let site = view::site_view(&model.site);
        let t = view::t(&model.site);
        let vopts = ViewOptions { pdf: self.opts.pdf };
        let mut files = Vec::new();
        match unit.kind {
            UnitKind::Update { region, update } => {
                let r = &model.regions[region];
                let d = &r.updates[update];
                let uv = view::update_view(model, r, d, vopts);
                let dir = format!("regions/{}/{}", r.region.slug, d.update.date);
                files.push(OutputFile::new(
                    format!("{dir}/index.html"),
                    self.html.update(&site, &t, &uv)?,
                ));
                for c in &uv.charts {
                    files.push(OutputFile::new(format!("{dir}/{}", c.file), c.svg.clone()));
                }
                files.push(OutputFile::new(
                    format!("{dir}/facts.json"),
                    data::facts_json(r, d)?,
                ));
                files.push(OutputFile::new(
                    format!("{dir}/brief.txt"),
                    brief::render_text(&brief::build(model, r, d), false),
                ));
                if self.opts.pdf {
                    let base = format!("{}-{}", r.region.slug, d.update.date);
                    files.push(OutputFile::new(
                        format!("{dir}/{base}.pdf"),
                        pdf::render_report(self.theme, &site, &t, &uv)?,
                    ));
                    files.push(OutputFile::new(
                        format!("{dir}/{base}-press.pdf"),
                        pdf::render_press(self.theme, &site, &t, &uv)?,
                    ));
                }
            }
            UnitKind::Region(region) => {
                let r = &model.regions[region];
                let rv = view::region_view(model, r, vopts);
                let dir = format!("regions/{}", r.region.slug);
                files.push(OutputFile::new(
                    format!("{dir}/index.html"),
                    self.html.region(&site, &t, &rv)?,
                ));
                for c in &rv.charts {
                    files.push(OutputFile::new(format!("{dir}/{}", c.file), c.svg.clone()));
                }
                files.push(OutputFile::new(
                    format!("{dir}/feed.xml"),
                    feeds::region_feed(model, r),
                ));
            }
            UnitKind::Global => {
                let overview = view::overview_view(model);
                files.push(OutputFile::new(
                    "index.html",
                    self.html.overview(&site, &t, &overview)?,
                ));
                for c in &overview.charts {
                    files.push(OutputFile::new(format!("charts/{}", c.file), c.svg.clone()));
                }
                files.push(OutputFile::new(
                    "assets/style.css",
                    self.theme.text("style.css"),
                ));
                files.push(OutputFile::new(
                    "assets/favicon.svg",
                    self.theme.text("favicon.svg"),
                ));
                files.push(OutputFile::new("feed.xml", feeds::site_feed(model)));
                if let Some(s) = feeds::sitemap(model) {
                    files.push(OutputFile::new("sitemap.xml", s));
                }
                files.push(OutputFile::new(
                    "data/updates.json",
                    data::updates_json(model)?,
                ));
                files.push(OutputFile::new(
                    "data/updates.csv",
                    data::updates_csv(model),
                ));
            }
        }
        Ok(files)
    }

    /// Renders the given units in parallel; results keep the units' order.
    /// `progress` is called once per unit done (for a progress bar).
    pub fn render_units(
        &self,
        units: &[&Unit],
        progress: &(dyn Fn() + Sync),
    ) -> Result<Vec<(String, Vec<OutputFile>)>, Failure> {
        units
            .par_iter()
            .map(|u| {
                let r = self.render_unit(u).map(|f| (u.id.clone(), f));
                progress();
                r
            })
            .collect()
    }
}

/// Renders the whole site in memory, sorted by path.
pub fn render_site(
    model: &SiteModel,
    theme: &Theme,
    opts: RenderOptions,
) -> Result<Vec<OutputFile>, Failure> {
    let renderer = Renderer::new(model, theme, opts)?;
    let all = units(model);
    let refs: Vec<&Unit> = all.iter().collect();
    let mut files: Vec<OutputFile> = renderer
        .render_units(&refs, &|| {})?
        .into_iter()
        .flat_map(|(_, f)| f)
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
