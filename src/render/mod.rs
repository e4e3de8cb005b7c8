//! Rendering: the derived model in, files (path + bytes) out, in memory.
//! Every output format is a renderer over the same model; none reads files.

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

use crate::derive::{DerivedRegion, DerivedUpdate, SiteModel};
use crate::diagnostics::Diagnostics;
use crate::error::Failure;
use theme::Theme;
use view::ViewOptions;

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

#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub pdf: bool,
}

/// Everything `render_site` produced, plus what it had to say.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub warnings: Diagnostics,
}

/// The files of one update: page, charts, facts, brief, PDFs.
fn render_update(
    model: &SiteModel,
    html: &html::HtmlRenderer,
    theme: &Theme,
    region: &DerivedRegion,
    d: &DerivedUpdate,
    opts: RenderOptions,
) -> Result<Vec<OutputFile>, Failure> {
    let site = view::site_view(&model.site);
    let t = view::t(&model.site);
    let uv = view::update_view(model, region, d, ViewOptions { pdf: opts.pdf });
    let dir = format!("regions/{}/{}", region.region.slug, d.update.date);
    let mut files = vec![OutputFile::new(
        format!("{dir}/index.html"),
        html.update(&site, &t, &uv)?,
    )];
    for c in &uv.charts {
        files.push(OutputFile::new(format!("{dir}/{}", c.file), c.svg.clone()));
    }
    files.push(OutputFile::new(
        format!("{dir}/facts.json"),
        data::facts_json(model, region, d)?,
    ));
    files.push(OutputFile::new(
        format!("{dir}/brief.txt"),
        brief::render_text(&brief::build(model, region, d), false),
    ));
    if opts.pdf {
        let base = format!("{}-{}", region.region.slug, d.update.date);
        files.push(OutputFile::new(
            format!("{dir}/{base}.pdf"),
            pdf::render_report(theme, &site, &t, &uv)?,
        ));
        files.push(OutputFile::new(
            format!("{dir}/{base}-press.pdf"),
            pdf::render_press(theme, &site, &t, &uv)?,
        ));
    }
    Ok(files)
}

/// Renders the whole site in memory, in parallel, sorted by path.
pub fn render_site(
    model: &SiteModel,
    theme: &Theme,
    opts: RenderOptions,
) -> Result<Rendered, Failure> {
    let html = html::HtmlRenderer::new(theme)?;
    let site = view::site_view(&model.site);
    let t = view::t(&model.site);
    let mut warnings = Diagnostics::default();

    let jobs: Vec<(&DerivedRegion, &DerivedUpdate)> = model
        .regions
        .iter()
        .flat_map(|r| r.updates.iter().map(move |u| (r, u)))
        .collect();
    let per_update: Vec<Result<Vec<OutputFile>, Failure>> = jobs
        .par_iter()
        .map(|(r, d)| render_update(model, &html, theme, r, d, opts))
        .collect();
    let per_region: Vec<Result<Vec<OutputFile>, Failure>> = model
        .regions
        .par_iter()
        .map(|r| {
            let rv = view::region_view(model, r, ViewOptions { pdf: opts.pdf });
            let dir = format!("regions/{}", r.region.slug);
            let mut files = vec![OutputFile::new(
                format!("{dir}/index.html"),
                html.region(&site, &t, &rv)?,
            )];
            for c in &rv.charts {
                files.push(OutputFile::new(format!("{dir}/{}", c.file), c.svg.clone()));
            }
            files.push(OutputFile::new(
                format!("{dir}/feed.xml"),
                feeds::region_feed(model, r),
            ));
            Ok(files)
        })
        .collect();

    let mut files = Vec::new();
    for result in per_update.into_iter().chain(per_region) {
        files.extend(result?);
    }
    let overview = view::overview_view(model);
    files.push(OutputFile::new(
        "index.html",
        html.overview(&site, &t, &overview)?,
    ));
    for c in &overview.charts {
        files.push(OutputFile::new(format!("charts/{}", c.file), c.svg.clone()));
    }
    files.push(OutputFile::new("assets/style.css", theme.text("style.css")));
    files.push(OutputFile::new("feed.xml", feeds::site_feed(model)));
    match feeds::sitemap(model) {
        Some(s) => files.push(OutputFile::new("sitemap.xml", s)),
        None => warnings.push(
            crate::diagnostics::Diagnostic::warning(
                "site.yaml",
                crate::content::yaml::Pos::START,
                "no-base-url",
                "no base_url in site.yaml: sitemap.xml is not written and feed links are relative",
            )
            .with_help("add `base_url: https://…/` to site.yaml"),
        ),
    }
    files.push(OutputFile::new(
        "data/updates.json",
        data::updates_json(model)?,
    ));
    files.push(OutputFile::new(
        "data/updates.csv",
        data::updates_csv(model),
    ));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered { files, warnings })
}
