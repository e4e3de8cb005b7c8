//! The one build pipeline behind `build`, `check` and `serve`:
//!
//! ```text
//! content/ ─load─▶ model + diagnostics ─derive─▶ SiteModel ─units─▶ inputs + keys
//!          ─render─▶ files ─▶ Output (disk staging + swap | memory | links only)
//! ```
//!
//! Options, limits, warnings, the link check and the verdict (errors, denied
//! warnings) belong here, so the commands cannot drift apart: `check`
//! reports exactly what `build` would, in the same order, with the same
//! exit code. An [`Output`] only decides where files go and which units it
//! already holds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::{self, Limits};
use crate::derive::{self, SiteModel};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::embargo::{Embargo, Pending};
use crate::error::Failure;
use crate::linkcheck::{self, Link};
use crate::locale::{Locale, Locales};
use crate::render::{self, OutputFile, RenderOptions, Renderer, Unit, theme::Theme};

/// What a run is asked to do; the same for every command.
#[derive(Debug, Clone)]
pub struct Options {
    pub content: PathBuf,
    /// The content folder as the user typed it, for messages.
    pub content_shown: String,
    /// The output folder as the user typed it, for messages (a broken
    /// link is reported at its page there); `output` for a command that
    /// writes none.
    pub output_shown: String,
    pub templates: Option<PathBuf>,
    /// The project's message catalogues (`<code>.ftl`), overriding the
    /// embedded ones message by message.
    pub locales: Option<PathBuf>,
    /// Whether the site has PDFs (pages link to them).
    pub pdf: bool,
    pub deny_warnings: bool,
    pub limits: Limits,
    /// The build's instant (`--now`), in seconds since the epoch; `None`:
    /// the system clock, read when the content is prepared.
    pub now: Option<i64>,
    /// Keep updates not yet due, marked (the preview); a build never does.
    pub preview: bool,
}

impl Options {
    /// Options for `content`, with the templates folder beside it.
    pub fn new(content: &Path) -> Options {
        Options {
            content: content.to_path_buf(),
            content_shown: content.display().to_string(),
            output_shown: "output".into(),
            templates: Some(default_templates(content)),
            locales: Some(default_locales(content)),
            pdf: true,
            deny_warnings: false,
            limits: Limits::default(),
            now: None,
            preview: false,
        }
    }

    /// The instant updates are judged due at: `--now`, or the clock.
    pub fn now(&self) -> i64 {
        self.now.unwrap_or_else(crate::embargo::clock)
    }

    pub fn render_options(&self) -> RenderOptions {
        RenderOptions { pdf: self.pdf }
    }
}

/// The templates folder used when none is given: `templates/` beside the
/// content folder.
pub fn default_templates(content: &Path) -> PathBuf {
    beside_content(content, "templates")
}

/// The folder `name` beside the content folder (in the project folder
/// that holds it): `content/` → `templates/`, `site/content` →
/// `site/templates`, and `.` (the content folder itself) → `../templates`,
/// never inside the content folder.
pub fn beside_content(content: &Path, name: &str) -> PathBuf {
    let named = content
        .components()
        .next_back()
        .is_some_and(|c| matches!(c, std::path::Component::Normal(_)));
    match content.parent() {
        Some(p) if named && !p.as_os_str().is_empty() => p.join(name),
        _ if named => PathBuf::from(name),
        _ => std::path::absolute(content)
            .ok()
            .and_then(|a| a.parent().map(|p| p.join(name)))
            .unwrap_or_else(|| PathBuf::from(name)),
    }
}

/// The catalogues folder used when none is given: `locales/` beside the
/// content folder.
pub fn default_locales(content: &Path) -> PathBuf {
    beside_content(content, "locales")
}

/// The theme of a run: templates and catalogues, embedded and overriding.
pub fn load_theme(opts: &Options) -> Result<Theme, Failure> {
    Theme::load(opts.templates.as_deref())?.with_locales(opts.locales.as_deref())
}

/// The locales of the site's languages, from the theme's catalogues.
pub fn load_locales(model: &SiteModel, theme: &Theme) -> Result<(Locales, Diagnostics), Failure> {
    let mut warnings = Diagnostics::default();
    let mut list = Vec::new();
    for lang in model.site.languages() {
        let project = theme.catalogue(&crate::locale::file_name(lang));
        let names = &model.site.proper_nouns;
        let (locale, w) = Locale::load(lang, project.as_ref(), names).map_err(Failure::Content)?;
        warnings.extend(w);
        list.push(locale);
    }
    Ok((Locales::new(list), warnings))
}

/// Told how rendering goes (a progress bar, a log); the library prints
/// nothing itself.
pub trait Observer: Sync {
    fn rendering(&self, _units: usize) {}
    fn unit_done(&self) {}
    fn finished(&self) {}
}

/// An observer that ignores everything.
pub struct Quiet;
impl Observer for Quiet {}

/// Where the files of a run go.
pub trait Output: Sync {
    /// Whether PDFs are compiled and PNG images rasterised (`false`: their
    /// paths are listed with no bytes, so that links to them still resolve).
    fn makes_binaries(&self) -> bool {
        true
    }

    /// Called before anything is read: `Some` when the output knows that
    /// nothing changed since it was made (the run ends there).
    fn unchanged(&mut self, _opts: &Options) -> Result<Option<Unchanged>, Failure> {
        Ok(None)
    }

    /// Called once with every unit's id and key: returns the units the
    /// output already holds for that key, and their files' paths. Those
    /// are not rendered again.
    fn begin(&mut self, units: &[(String, u64)]) -> Result<Held, Failure>;

    /// Takes over a unit that [`Output::begin`] said it holds.
    fn keep(&self, unit: &str) -> Result<(), Failure>;

    /// Takes the rendered files of `unit` (all of them, in one call).
    fn put(&self, unit: &str, files: Vec<OutputFile>) -> Result<(), Failure>;

    /// Told the run's embargo state before [`Output::commit`], to remember
    /// when the set of due updates changes.
    fn embargo(&mut self, _embargo: &Embargo) {}

    /// Publishes what was put and kept; called only for a run without
    /// errors, with its diagnostics (warnings). Nothing may be published
    /// before.
    fn commit(&mut self, diags: &Diagnostics) -> Result<WriteStats, Failure>;
}

/// The units an output already holds for this run's keys, and the paths of
/// their files as the link check looks them up (hashed: the 2 000 000
/// paths of a 100 000-update site were copied here as strings).
#[derive(Default)]
pub struct Held {
    pub units: BTreeSet<String>,
    pub paths: linkcheck::PathSet,
}

/// What an output that knows nothing changed reports of itself.
#[derive(Debug, Clone, Default)]
pub struct Unchanged {
    /// The warnings of the run that made it.
    pub warnings: Diagnostics,
    pub stats: WriteStats,
    pub regions: usize,
    pub updates: usize,
    /// The embargo state of the run that made it.
    pub embargo: Embargo,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct WriteStats {
    pub files: usize,
    /// Files whose bytes changed (or are new).
    pub changed: usize,
    /// Files carried over from the previous output unchanged.
    pub unchanged: usize,
    pub removed: usize,
    /// Render units re-rendered, and reused.
    pub rendered_units: usize,
    pub reused_units: usize,
    /// The ids of the units rendered, sorted.
    pub rendered: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct StageTimes {
    pub load_ms: f64,
    pub render_ms: f64,
    pub write_ms: f64,
    pub total_ms: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub ok: bool,
    pub regions: usize,
    pub updates: usize,
    pub input_files: usize,
    pub output: WriteStats,
    pub pdf: bool,
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub times: StageTimes,
    /// The next `publish_at` to come (RFC 3339): when a scheduler should
    /// build again.
    pub next_publish_at: Option<String>,
    /// The updates not yet due, soonest first; none of them was published.
    pub pending: Vec<Pending>,
}

fn ms(t: Instant) -> f64 {
    (t.elapsed().as_secs_f64() * 1000.0 * 10.0).round() / 10.0
}

/// The content loaded, validated and derived, with the theme and every
/// diagnostic so far (warnings only: errors fail).
pub struct Prepared {
    pub model: SiteModel,
    pub theme: Theme,
    /// One locale per language of the site.
    pub locales: Locales,
    /// On a site of several languages, the model as read in each language
    /// after the first, in the site's order (`model` is then read in the
    /// first: every text resolved, its maps gone).
    pub localised: Vec<SiteModel>,
    pub diagnostics: Diagnostics,
    /// Fact files read.
    pub input_files: usize,
    /// The updates not yet due at the run's instant (absent from `model`
    /// unless the run is a preview).
    pub embargo: Embargo,
}

impl Prepared {
    /// The site's trees, one per language, the default first.
    pub fn trees(&self) -> Vec<render::Tree<'_>> {
        let site = &self.model.site;
        site.languages
            .iter()
            .enumerate()
            .map(|(i, lang)| render::Tree {
                model: i
                    .checked_sub(1)
                    .and_then(|j| self.localised.get(j))
                    .unwrap_or(&self.model),
                locale: self.locales.get(*lang),
                lang: crate::paths::tree(site, *lang),
            })
            .collect()
    }

    /// The tree of `lang`, if the site publishes it.
    pub fn tree(&self, lang: crate::content::model::Language) -> Option<render::Tree<'_>> {
        self.trees().into_iter().find(|t| t.locale.lang == lang)
    }
}

/// Warnings about the site as a whole.
fn site_warnings(model: &SiteModel, opts: &Options) -> Diagnostics {
    let mut d = Diagnostics::default();
    if model.site.base_url.is_none() {
        d.push(
            Diagnostic::warning(
                &content::display_path(&opts.content_shown, "site.yaml"),
                crate::content::yaml::Pos::START,
                "no-base-url",
                "no `base_url`: sitemap.xml is not written and feed links are relative",
            )
            .with_help("add `base_url: https://…/` to site.yaml"),
        );
    }
    d
}

/// Loads, validates and derives the content and loads the theme. Content
/// errors fail with every diagnostic of the content (warnings included).
pub fn prepare(opts: &Options) -> Result<Prepared, Failure> {
    prepare_with(opts, None)
}

/// [`prepare`], reusing what `memo` holds of unchanged files.
pub fn prepare_with(opts: &Options, memo: Option<&content::Memo>) -> Result<Prepared, Failure> {
    let loaded = content::load_with(&opts.content, &opts.content_shown, opts.limits, memo)?;
    let Some(mut content) = loaded.content else {
        return Err(Failure::Content(loaded.diagnostics));
    };
    // The one place where updates not yet due leave the content: nothing
    // downstream can show them.
    let embargo = crate::embargo::split(&mut content, opts.now(), opts.preview);
    let mut model = derive::derive(content);
    mark_embargoed(&mut model, &embargo);
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(site_warnings(&model, opts));
    let theme = load_theme(opts)?;
    let (locales, warnings) = match load_locales(&model, &theme) {
        Err(Failure::Content(mut d)) => {
            d.extend(diagnostics);
            d.sort();
            return Err(Failure::Content(d));
        }
        other => other?,
    };
    diagnostics.extend(warnings);
    diagnostics.sort();
    let languages = model.site.languages();
    let (model, localised) = if languages.len() > 1 {
        let others = languages[1..]
            .par_iter()
            .map(|l| model.localised(*l))
            .collect();
        (model.localised(languages[0]), others)
    } else {
        (model, Vec::new())
    };
    Ok(Prepared {
        model,
        theme,
        locales,
        localised,
        diagnostics,
        input_files: loaded.inputs.len(),
        embargo,
    })
}

/// Marks the pending updates a preview keeps, for its banner.
fn mark_embargoed(model: &mut SiteModel, embargo: &Embargo) {
    if embargo.pending.is_empty() {
        return;
    }
    for r in &mut model.regions {
        for d in &mut r.updates {
            d.embargoed = embargo.is_pending(&r.region.slug, d.update.date);
        }
    }
}

/// The verdict of a run on its diagnostics: errors fail, and so do
/// warnings when they are denied.
pub fn verdict(mut diags: Diagnostics, opts: &Options) -> Result<Diagnostics, Failure> {
    diags.sort();
    if diags.errors() > 0 {
        Err(Failure::Content(diags))
    } else if opts.deny_warnings && diags.warnings() > 0 {
        Err(Failure::DeniedWarnings(diags))
    } else {
        Ok(diags)
    }
}

/// What rendering the units gave: the links of the new pages that no
/// file made so far answers (checked once every file is known), every path
/// of the site, and the problems met (template errors).
struct Rendered {
    links: Vec<Link>,
    paths: linkcheck::PathSet,
    problems: Diagnostics,
    rendered: Vec<String>,
}

/// Renders the units not reused into `output`, in parallel, collecting
/// links and paths as files go by (nothing is kept in memory).
fn render_into(
    units: &[Unit],
    reused: Held,
    renderer: &Renderer,
    output: &dyn Output,
    observer: &dyn Observer,
) -> Result<Rendered, Failure> {
    let Held {
        units: reused,
        paths,
    } = reused;
    let acc = Mutex::new(Rendered {
        links: Vec::new(),
        paths,
        problems: Diagnostics::default(),
        rendered: Vec::new(),
    });
    let mut todo: Vec<&Unit> = units
        .iter()
        .filter(|u| !reused.contains(&u.id.to_string()))
        .collect();
    // Shared files first (styles, indexes, region pages): the links every
    // later page makes to them are then checked, and let go, at once.
    todo.sort_by_key(|u| u.id.rank());
    observer.rendering(todo.len());
    reused.par_iter().try_for_each(|id| output.keep(id))?;
    crate::workers::for_each(&todo, |unit| {
        let id = unit.id.to_string();
        let files = match renderer.render_unit(unit) {
            Ok(files) => files,
            Err(Failure::Content(d)) => {
                lock(&acc).problems.extend(d);
                return Ok(());
            }
            Err(other) => return Err(other),
        };
        let mut links = Vec::new();
        let mut paths = linkcheck::PathSet::default();
        for f in &files {
            if f.path.ends_with(".html") {
                links.extend(linkcheck::links(
                    &f.path,
                    &String::from_utf8_lossy(&f.bytes),
                ));
            }
            paths.insert(&f.path);
        }
        // Each path is made by one unit, which outputs compare unit by
        // unit (see site::Diff): a second maker is a fault of relance's.
        if paths.len() != files.len() || !lock(&acc).paths.extend(paths) {
            return Err(Failure::Internal(format!(
                "{id} makes a file that another part of the site makes too"
            )));
        }
        output.put(&id, files)?;
        let mut a = lock(&acc);
        // A link to a file already made is good now: only the others are
        // kept for the final check (a full build's pages hold millions of
        // links, most to their own charts and to shared files).
        let known = &a.paths;
        links.retain(|l| !linkcheck::resolves(l, known));
        a.links.extend(links);
        a.rendered.push(id);
        drop(a);
        crate::testhook::abort_at("during-render");
        observer.unit_done();
        Ok(())
    })?;
    observer.finished();
    let mut r = acc.into_inner().unwrap_or_else(|p| p.into_inner());
    r.rendered.sort();
    Ok(r)
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// What every unit's files depend on besides its input: the theme, the
/// render options and relance's version.
pub fn context_key(theme: &Theme, opts: RenderOptions) -> u64 {
    let mut bytes = theme.fingerprint().to_le_bytes().to_vec();
    bytes.push(u8::from(opts.pdf));
    bytes.extend_from_slice(env!("CARGO_PKG_VERSION").as_bytes());
    crate::fingerprint(&bytes)
}

/// A unit's cache key: its input's fingerprint with the context's.
pub fn unit_key(unit: &Unit, context: u64) -> u64 {
    with_context(unit.input.key(), context)
}

/// A unit's cache key from its input's key and the context's.
fn with_context(input: u64, context: u64) -> u64 {
    let mut f = crate::Fingerprint::default();
    f.write(&input.to_le_bytes());
    f.write(&context.to_le_bytes());
    f.finish()
}

/// Runs the pipeline into `output`. On failure nothing is published.
pub fn run(
    opts: &Options,
    output: &mut dyn Output,
    notes: Diagnostics,
    observer: &dyn Observer,
) -> Result<Report, Failure> {
    let start = Instant::now();
    if let Some(mut same) = output.unchanged(opts)? {
        same.warnings.extend(notes);
        let diags = verdict(std::mem::take(&mut same.warnings), opts)?;
        return Ok(unchanged_report(opts, same, diags, ms(start)));
    }
    let prepared = match prepare(opts) {
        Err(Failure::Content(mut d)) => {
            d.extend(notes);
            d.sort();
            return Err(Failure::Content(d));
        }
        other => other?,
    };
    let mut report = run_prepared(&prepared, opts, output, notes, observer)?;
    report.times.load_ms = ms(start) - report.times.total_ms;
    report.times.total_ms = ms(start);
    Ok(report)
}

/// Renders prepared content into `output`: the part of [`run`] after
/// loading, for a caller that keeps the prepared content (`serve`).
pub fn run_prepared(
    prepared: &Prepared,
    opts: &Options,
    output: &mut dyn Output,
    notes: Diagnostics,
    observer: &dyn Observer,
) -> Result<Report, Failure> {
    let start = Instant::now();
    let trees = prepared.trees();
    let units = render::units(&trees);
    let context = context_key(&prepared.theme, opts.render_options());
    let keyed: Vec<(String, u64)> = units
        .iter()
        .zip(render::keys::of_units(&trees, &units))
        .map(|(u, input)| (u.id.to_string(), with_context(input, context)))
        .collect();
    let reused = output.begin(&keyed)?;
    drop(keyed);
    let reused_units = reused.units.len();
    let renderer = Renderer::new(&prepared.theme, opts.render_options())?
        .making_binaries(output.makes_binaries());
    let Rendered {
        links,
        paths,
        problems,
        rendered,
    } = render_into(&units, reused, &renderer, &*output, observer)?;
    let render_ms = ms(start);
    let mut site = prepared.diagnostics.clone();
    site.extend(problems);
    // A catalogue message formatted without what it uses (an override
    // naming a variable relance does not give it) would publish `{$name}`.
    site.extend(prepared.locales.take_problems());
    site.extend(linkcheck::check(&links, &paths, &opts.output_shown));
    // What only rendering and the link check needed goes before the
    // output commits.
    drop((links, paths));
    let mut diags = site.clone();
    diags.extend(notes);
    let diags = verdict(diags, opts)?;
    let t = Instant::now();
    output.embargo(&prepared.embargo);
    // The output keeps the site's own warnings, to repeat them on a no-op
    // build; the notes were about this run's output folder (an ignored
    // cache) and are not repeated.
    let mut stats = output.commit(&site)?;
    stats.rendered_units = rendered.len();
    stats.reused_units = reused_units;
    stats.rendered = rendered;
    let model = &prepared.model;
    Ok(Report {
        ok: true,
        regions: model.regions.len(),
        updates: model.regions.iter().map(|r| r.updates.len()).sum(),
        input_files: prepared.input_files,
        output: stats,
        pdf: opts.pdf,
        errors: 0,
        warnings: diags.warnings(),
        diagnostics: diags.items,
        times: StageTimes {
            load_ms: 0.0,
            render_ms,
            write_ms: ms(t),
            total_ms: ms(start),
        },
        next_publish_at: prepared.embargo.next().map(|t| t.to_string()),
        pending: prepared.embargo.pending.clone(),
    })
}

fn unchanged_report(opts: &Options, same: Unchanged, diags: Diagnostics, total_ms: f64) -> Report {
    Report {
        ok: true,
        regions: same.regions,
        updates: same.updates,
        input_files: 0,
        output: same.stats,
        pdf: opts.pdf,
        errors: 0,
        warnings: diags.warnings(),
        diagnostics: diags.items,
        times: StageTimes {
            total_ms,
            ..StageTimes::default()
        },
        next_publish_at: same.embargo.next().map(|t| t.to_string()),
        pending: same.embargo.pending,
    }
}

/// The output of `check` and of `serve`'s background check: keeps only
/// what the link check needs (each unit's key and paths, no bytes) and
/// compiles no PDF. A later run into the same memory re-renders only the
/// units whose inputs changed.
#[derive(Default)]
pub struct Memory {
    units: BTreeMap<String, (u64, Vec<String>)>,
    keys: BTreeMap<String, u64>,
    incoming: Mutex<Vec<(String, String)>>,
}

impl Memory {
    pub fn links_only() -> Memory {
        Memory::default()
    }
}

impl Output for Memory {
    fn makes_binaries(&self) -> bool {
        false
    }

    fn begin(&mut self, units: &[(String, u64)]) -> Result<Held, Failure> {
        self.keys = units.iter().cloned().collect();
        lock(&self.incoming).clear();
        let mut held = Held::default();
        for (id, (key, paths)) in &self.units {
            if self.keys.get(id) == Some(key) {
                held.units.insert(id.clone());
                for p in paths {
                    held.paths.insert(p);
                }
            }
        }
        Ok(held)
    }

    fn keep(&self, _: &str) -> Result<(), Failure> {
        Ok(())
    }

    fn put(&self, unit: &str, files: Vec<OutputFile>) -> Result<(), Failure> {
        lock(&self.incoming).extend(files.into_iter().map(|f| (unit.to_string(), f.path)));
        Ok(())
    }

    fn commit(&mut self, _: &Diagnostics) -> Result<WriteStats, Failure> {
        let incoming = std::mem::take(&mut *lock(&self.incoming));
        let keys = std::mem::take(&mut self.keys);
        let paths = |units: &BTreeMap<String, (u64, Vec<String>)>| -> BTreeSet<String> {
            units
                .values()
                .flat_map(|(_, p)| p.iter().cloned())
                .collect()
        };
        let before = paths(&self.units);
        self.units.retain(|id, (key, _)| keys.get(id) == Some(key));
        let changed = incoming.len();
        for (unit, path) in incoming {
            let key = keys.get(&unit).copied().unwrap_or(0);
            self.units
                .entry(unit)
                .or_insert((key, Vec::new()))
                .1
                .push(path);
        }
        let after = paths(&self.units);
        Ok(WriteStats {
            files: after.len(),
            changed,
            unchanged: after.len().saturating_sub(changed),
            removed: before.difference(&after).count(),
            ..WriteStats::default()
        })
    }
}
