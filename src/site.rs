//! The build: load → validate → derive → render → write, and the one write
//! path (an atomic swap of the whole output folder) that every command uses.

use serde::Serialize;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cache::{self, Stamp};
use crate::content::{self, Limits};
use crate::derive::{self, SiteModel};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Failure;
use crate::render::{self, OutputFile, RenderOptions, Renderer, theme::Theme};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The file that marks a folder as relance's output, so that a mistyped
/// `--output` can never replace a folder relance did not make.
pub const MARKER: &str = ".relance-output";

#[derive(Debug, Clone)]
pub struct BuildConfig {
    pub content: PathBuf,
    /// The content folder as the user typed it, for messages.
    pub content_shown: String,
    pub output: PathBuf,
    pub templates: Option<PathBuf>,
    pub pdf: bool,
    pub deny_warnings: bool,
    pub limits: Limits,
    /// Show a progress bar while rendering (a terminal, and enough work).
    pub progress: bool,
}

/// A validated, derived model and what it was made from.
pub struct LoadedModel {
    pub model: SiteModel,
    pub diagnostics: Diagnostics,
    /// Every fact file read, relative path → fingerprint of its bytes.
    pub inputs: BTreeMap<String, u64>,
}

/// The templates folder used when none is given: `templates/` beside the
/// content folder.
pub fn default_templates(content: &Path) -> PathBuf {
    match content.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join("templates"),
        _ => PathBuf::from("templates"),
    }
}

/// Loads, validates and derives. Errors (or denied warnings) fail.
pub fn load_model(
    content_dir: &Path,
    shown: &str,
    limits: Limits,
    deny_warnings: bool,
) -> Result<LoadedModel, Failure> {
    let loaded = content::load(content_dir, shown, limits)?;
    let Some(content) = loaded.content else {
        return Err(Failure::Content(loaded.diagnostics));
    };
    let mut diags = loaded.diagnostics;
    if content.site.base_url.is_none() {
        diags.push(
            Diagnostic::warning(
                &content::display_path(shown, "site.yaml"),
                crate::content::yaml::Pos::START,
                "no-base-url",
                "no `base_url`: sitemap.xml is not written and feed links are relative",
            )
            .with_help("add `base_url: https://…/` to site.yaml"),
        );
    }
    diags.sort();
    if deny_warnings && diags.warnings() > 0 {
        return Err(Failure::DeniedWarnings(diags));
    }
    Ok(LoadedModel {
        model: derive::derive(&content),
        diagnostics: diags,
        inputs: loaded.inputs.into_iter().collect(),
    })
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct StageTimes {
    pub load_ms: f64,
    pub render_ms: f64,
    pub write_ms: f64,
    pub total_ms: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct WriteStats {
    pub files: usize,
    /// Files whose bytes changed (or are new).
    pub changed: usize,
    /// Files carried over from the previous output unchanged (hard links).
    pub unchanged: usize,
    pub removed: usize,
    /// Render units re-rendered, and reused from the cache.
    pub rendered_units: usize,
    pub reused_units: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct BuildReport {
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
}

fn ms(t: Instant) -> f64 {
    (t.elapsed().as_secs_f64() * 1000.0 * 10.0).round() / 10.0
}

/// Refuses output folders that would overwrite content or foreign folders.
pub fn check_output_dir(content: &Path, output: &Path) -> Result<(), Failure> {
    let abs = crate::guard::absolute;
    let content_abs = abs(content);
    let output_abs = abs(output);
    if output_abs.starts_with(&content_abs) {
        return Err(Failure::Usage(format!(
            "the output folder `{}` is inside the content folder `{}`; choose an output folder outside it",
            output.display(),
            content.display()
        )));
    }
    if content_abs.starts_with(&output_abs) {
        return Err(Failure::Usage(format!(
            "the output folder `{}` contains the content folder; replacing it would delete your content",
            output.display()
        )));
    }
    if output.exists() {
        if !output.is_dir() {
            return Err(Failure::Usage(format!(
                "`{}` exists and is not a folder",
                output.display()
            )));
        }
        let empty = fs::read_dir(output)
            .map_err(|e| Failure::io(output, e))?
            .next()
            .is_none();
        if !empty && !output.join(MARKER).is_file() {
            return Err(Failure::Usage(format!(
                "refusing to replace `{}`: it is not empty and was not made by relance (no {MARKER} file); choose another --output or empty it",
                output.display()
            )));
        }
    }
    Ok(())
}

/// Accumulates bytes for a unit key.
#[derive(Default)]
struct KeyBuilder(Vec<u8>);

impl KeyBuilder {
    fn add(&mut self, bytes: &[u8]) -> &mut Self {
        self.0
            .extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        self.0.extend_from_slice(bytes);
        self
    }
    fn num(&mut self, n: u64) -> &mut Self {
        self.add(&n.to_le_bytes())
    }
    fn finish(&self) -> u64 {
        crate::fingerprint(&self.0)
    }
}

/// The input key of every unit: a fingerprint of exactly the fact files its
/// output depends on. Equal keys (with equal version, theme and options)
/// mean byte-identical output.
pub fn unit_keys(model: &SiteModel, inputs: &BTreeMap<String, u64>) -> BTreeMap<String, u64> {
    let fp = |rel: &str| inputs.get(rel).copied().unwrap_or(0);
    let site = fp("site.yaml");
    let mut keys = BTreeMap::new();
    for r in &model.regions {
        let slug = &r.region.slug;
        let region_fp = fp(&format!("regions/{slug}/region.yaml"));
        let update_fp = |d: &crate::derive::DerivedUpdate| {
            let date = d.update.date;
            KeyBuilder::default()
                .num(fp(&format!("regions/{slug}/{date}.yaml")))
                .num(fp(&format!("regions/{slug}/{date}.md")))
                .finish()
        };
        let fps: Vec<u64> = r.updates.iter().map(update_fp).collect();
        let mut region_key = KeyBuilder::default();
        region_key.add(b"region").num(site).num(region_fp);
        for (i, d) in r.updates.iter().enumerate() {
            let mut k = KeyBuilder::default();
            k.add(b"update").num(site).num(region_fp).num(fps[i]);
            k.num(if i > 0 { fps[i - 1] } else { 0 });
            k.add(
                r.updates
                    .get(i + 1)
                    .map(|n| n.update.date.to_string())
                    .unwrap_or_default()
                    .as_bytes(),
            );
            keys.insert(format!("update:{slug}/{}", d.update.date), k.finish());
            region_key
                .add(d.update.date.to_string().as_bytes())
                .num(fps[i]);
        }
        keys.insert(format!("region:{slug}"), region_key.finish());
    }
    let mut global = KeyBuilder::default();
    global.add(b"global");
    for (rel, f) in inputs {
        global.add(rel.as_bytes()).num(*f);
    }
    keys.insert("global".into(), global.finish());
    keys
}

/// Runs a whole build. On any failure `output` is left as it was.
pub fn build(cfg: &BuildConfig) -> Result<BuildReport, Failure> {
    let start = Instant::now();
    // An `--output` link publishes into the folder it leads to.
    let cfg = &BuildConfig {
        output: crate::guard::resolve_output(&cfg.output)?,
        ..cfg.clone()
    };
    crate::guard::refuse_cwd_inside(&cfg.output)?;
    check_output_dir(&cfg.content, &cfg.output)?;
    recover(&cfg.output)?;
    let theme = Theme::load(cfg.templates.as_deref())?;
    let mut notes = Diagnostics::default();

    // The cache is only trusted in a folder relance made, from this version,
    // theme and options; a corrupt or foreign one is reported and ignored.
    let cache = if cfg.output.join(MARKER).is_file() {
        match cache::read(&cfg.output) {
            Ok(Some(c)) if c.version != cache::version() => {
                notes.push(Diagnostic::warning(
                    &cfg.output.join(cache::CACHE_FILE).display().to_string(),
                    crate::content::yaml::Pos::START,
                    "cache-ignored",
                    format!(
                        "ignoring the build cache of relance {}; rebuilding everything",
                        c.version
                    ),
                ));
                None
            }
            Ok(c) => c.filter(|c| c.theme == theme.fingerprint() && c.pdf == cfg.pdf),
            Err(reason) => {
                notes.push(Diagnostic::warning(
                    &cfg.output.join(cache::CACHE_FILE).display().to_string(),
                    crate::content::yaml::Pos::START,
                    "cache-ignored",
                    format!("ignoring an unreadable build cache ({reason}); rebuilding everything"),
                ));
                None
            }
        }
    } else {
        None
    };
    let disk = if cache.is_some() {
        cache::stamps(&cfg.output)
    } else {
        BTreeMap::new()
    };
    let unit_on_disk = |u: &cache::CachedUnit| u.files.iter().all(|(p, s)| disk.get(p) == Some(s));

    // Fast path: nothing under content/ changed and the output is exactly
    // what the cache describes. Nothing is parsed, rendered or written.
    let (content_fp, content_files) = if cfg.content.is_dir() {
        cache::content_fingerprint(&cfg.content)?
    } else {
        (0, 0)
    };
    {
        if let Some(c) = &cache {
            let files: usize = c.units.values().map(|u| u.files.len()).sum();
            if content_files <= cfg.limits.max_files
                && c.content == content_fp
                && files == disk.len()
                && c.units.values().all(unit_on_disk)
            {
                let mut diags = Diagnostics {
                    items: c.warnings.clone(),
                };
                diags.extend(notes);
                diags.sort();
                if cfg.deny_warnings && diags.warnings() > 0 {
                    return Err(Failure::DeniedWarnings(diags));
                }
                let updates = c.units.keys().filter(|k| k.starts_with("update:")).count();
                let regions = c.units.keys().filter(|k| k.starts_with("region:")).count();
                return Ok(BuildReport {
                    ok: true,
                    regions,
                    updates,
                    input_files: 0,
                    output: WriteStats {
                        files,
                        changed: 0,
                        unchanged: files,
                        removed: 0,
                        rendered_units: 0,
                        reused_units: c.units.len(),
                    },
                    pdf: cfg.pdf,
                    errors: 0,
                    warnings: diags.warnings(),
                    diagnostics: diags.items,
                    times: StageTimes {
                        total_ms: ms(start),
                        ..StageTimes::default()
                    },
                });
            }
        }
    }

    let loaded = load_model(
        &cfg.content,
        &cfg.content_shown,
        cfg.limits,
        cfg.deny_warnings,
    )?;
    let load_ms = ms(start);
    let model = &loaded.model;

    let t = Instant::now();
    let keys = unit_keys(model, &loaded.inputs);
    let all_units = render::units(model);
    let mut reuse: Vec<(&str, &cache::CachedUnit)> = Vec::new();
    let mut todo: Vec<&render::Unit> = Vec::new();
    for unit in &all_units {
        let cached = cache.as_ref().and_then(|c| c.units.get(&unit.id));
        match cached {
            Some(c) if Some(&c.key) == keys.get(&unit.id) && unit_on_disk(c) => {
                reuse.push((&unit.id, c))
            }
            _ => todo.push(unit),
        }
    }
    let renderer = Renderer::new(model, &theme, RenderOptions { pdf: cfg.pdf })?;
    // A bar only for long builds on a terminal; logs stay line-oriented.
    let bar = if cfg.progress && todo.len() >= 500 {
        let bar = indicatif::ProgressBar::new(todo.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} rendering {pos}/{len} units {wide_bar} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };

    let mut diags = loaded.diagnostics;
    let warnings: Vec<Diagnostic> = diags
        .items
        .iter()
        .filter(|d| d.severity == crate::diagnostics::Severity::Warning)
        .cloned()
        .collect();
    diags.extend(notes);
    diags.sort();
    let header = cache::Cache {
        version: cache::version(),
        theme: theme.fingerprint(),
        pdf: cfg.pdf,
        content: content_fp,
        warnings,
        units: BTreeMap::new(),
    };

    // Render and write in one parallel pass, so that a unit's bytes live
    // only until they are on disk (memory stays flat on large sites).
    let writer = Writer::new(&cfg.output, &disk)?;
    let reused: Vec<Result<Vec<Written>, Failure>> = reuse
        .par_iter()
        .map(|(id, c)| {
            c.files
                .iter()
                .map(|(path, stamp)| writer.keep(id, path, *stamp))
                .collect()
        })
        .collect();
    let rendered: Vec<Result<Vec<Written>, Failure>> = todo
        .par_iter()
        .map(|unit| {
            let files = renderer.render_unit(unit)?;
            bar.inc(1);
            files
                .into_iter()
                .map(|f| writer.write(&unit.id, f))
                .collect()
        })
        .collect();
    bar.finish_and_clear();
    let mut written = Vec::new();
    for r in reused.into_iter().chain(rendered) {
        written.extend(r?);
    }
    let render_ms = ms(t);
    let t = Instant::now();
    let stats = writer.finish(written, &keys, header, reuse.len(), todo.len())?;
    let write_ms = ms(t);

    Ok(BuildReport {
        ok: true,
        regions: model.regions.len(),
        updates: model.regions.iter().map(|r| r.updates.len()).sum(),
        input_files: loaded.inputs.len(),
        output: stats,
        pdf: cfg.pdf,
        errors: 0,
        warnings: diags.warnings(),
        diagnostics: diags.items,
        times: StageTimes {
            load_ms,
            render_ms,
            write_ms,
            total_ms: ms(start),
        },
    })
}

fn sibling(output: &Path, kind: &str) -> (PathBuf, String) {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = output
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().to_string());
    (parent, format!(".{name}.relance-{kind}-"))
}

/// Puts back or removes what a killed build left beside the output folder.
pub fn recover(output: &Path) -> Result<(), Failure> {
    let (parent, tmp_prefix) = sibling(output, "tmp");
    let (_, old_prefix) = sibling(output, "old");
    let Ok(entries) = fs::read_dir(&parent) else {
        return Ok(());
    };
    let mut leftovers: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    leftovers.sort();
    for path in leftovers {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if name.starts_with(&old_prefix) {
            // Killed between moving the old site away and moving the new one
            // in: the old site is the last complete one.
            if !output.exists() && path.join(MARKER).is_file() {
                fs::rename(&path, output).map_err(|e| Failure::io(&path, e))?;
            } else {
                fs::remove_dir_all(&path).map_err(|e| Failure::io(&path, e))?;
            }
        } else if name.starts_with(&tmp_prefix) {
            fs::remove_dir_all(&path).map_err(|e| Failure::io(&path, e))?;
        }
    }
    Ok(())
}

/// Atomically exchanges two paths (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    // SAFETY: both are valid NUL-terminated paths; AT_FDCWD resolves them
    // relative to the working directory, as std's own rename does.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// One file of the new site as it ended up in the staging folder.
struct Written {
    unit: String,
    path: String,
    stamp: Stamp,
    /// False when the file is the same as the one already published.
    changed: bool,
}

/// Fills a staging folder beside the output folder and swaps it in whole:
/// a reader of the output folder sees the old site or the new one, never a
/// mix. Files unchanged since the last build are hard links to the
/// published ones, so an incremental build copies no data.
struct Writer<'a> {
    output: &'a Path,
    disk: &'a BTreeMap<String, Stamp>,
    staging: tempfile::TempDir,
    /// Folders already created in the staging tree.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    /// Links of the pages written this time, checked before the swap.
    links: std::sync::Mutex<Vec<crate::linkcheck::Link>>,
}

impl<'a> Writer<'a> {
    fn new(output: &'a Path, disk: &'a BTreeMap<String, Stamp>) -> Result<Self, Failure> {
        let (parent, prefix) = sibling(output, "tmp");
        fs::create_dir_all(&parent).map_err(|e| Failure::io(&parent, e))?;
        let staging = tempfile::Builder::new()
            .prefix(&prefix)
            .tempdir_in(&parent)
            .map_err(|e| Failure::io(&parent, e))?;
        Ok(Writer {
            output,
            disk,
            staging,
            made: std::sync::Mutex::new(std::collections::HashSet::new()),
            links: std::sync::Mutex::new(Vec::new()),
        })
    }

    fn target(&self, rel: &str) -> Result<PathBuf, Failure> {
        let target = safe_join(self.staging.path(), rel)?;
        if let Some(dir) = target.parent() {
            let known = self.made.lock().map(|m| m.contains(dir)).unwrap_or(false);
            if !known {
                fs::create_dir_all(dir).map_err(|e| Failure::io(dir, e))?;
                if let Ok(mut m) = self.made.lock() {
                    m.insert(dir.to_path_buf());
                }
            }
        }
        Ok(target)
    }

    /// Carries a published file over unchanged (a hard link; a copy where
    /// the file system has none).
    fn keep(&self, unit: &str, rel: &str, stamp: Stamp) -> Result<Written, Failure> {
        let target = self.target(rel)?;
        let source = self.output.join(rel);
        let stamp = if fs::hard_link(&source, &target).is_ok() {
            stamp
        } else {
            fs::copy(&source, &target).map_err(|e| Failure::io(&target, e))?;
            Stamp::of(&fs::metadata(&target).map_err(|e| Failure::io(&target, e))?)
        };
        Ok(Written {
            unit: unit.to_string(),
            path: rel.to_string(),
            stamp,
            changed: false,
        })
    }

    /// Writes a rendered file, or keeps the published one when the bytes
    /// are the same.
    fn write(&self, unit: &str, file: OutputFile) -> Result<Written, Failure> {
        if file.path.ends_with(".html") {
            let found = crate::linkcheck::links(&file.path, &String::from_utf8_lossy(&file.bytes));
            if let Ok(mut all) = self.links.lock() {
                all.extend(found);
            }
        }
        if let Some(stamp) = self.disk.get(&file.path)
            && stamp.len == file.bytes.len() as u64
            && fs::read(self.output.join(&file.path)).is_ok_and(|old| old == file.bytes)
        {
            return self.keep(unit, &file.path, *stamp);
        }
        let target = self.target(&file.path)?;
        fs::write(&target, &file.bytes).map_err(|e| Failure::io(&target, e))?;
        let stamp = Stamp::of(&fs::metadata(&target).map_err(|e| Failure::io(&target, e))?);
        Ok(Written {
            unit: unit.to_string(),
            path: file.path,
            stamp,
            changed: true,
        })
    }

    /// Writes the cache and swaps the staging folder in; when nothing
    /// changed, drops it and only refreshes the cache.
    fn finish(
        self,
        mut written: Vec<Written>,
        keys: &BTreeMap<String, u64>,
        mut cache: cache::Cache,
        reused_units: usize,
        rendered_units: usize,
    ) -> Result<WriteStats, Failure> {
        written.sort_by(|a, b| a.path.cmp(&b.path));
        let mut stats = WriteStats {
            files: written.len(),
            reused_units,
            rendered_units,
            ..WriteStats::default()
        };
        stats.changed = written.iter().filter(|w| w.changed).count();
        stats.unchanged = written.len() - stats.changed;
        let wanted: std::collections::BTreeSet<&str> =
            written.iter().map(|w| w.path.as_str()).collect();
        stats.removed = self
            .disk
            .keys()
            .filter(|p| !wanted.contains(p.as_str()))
            .count();
        // A site with a broken link is not published (the staging folder is
        // dropped with `self`).
        let paths: std::collections::BTreeSet<String> =
            wanted.iter().map(|p| p.to_string()).collect();
        let links = std::mem::take(
            &mut *self
                .links
                .lock()
                .map_err(|_| Failure::Internal("link list poisoned".into()))?,
        );
        let broken = crate::linkcheck::check(&links, &paths, &self.output.display().to_string());
        if broken.errors() > 0 {
            return Err(Failure::Content(broken));
        }
        for w in &written {
            let unit = cache
                .units
                .entry(w.unit.clone())
                .or_insert_with(|| cache::CachedUnit {
                    key: keys.get(&w.unit).copied().unwrap_or(0),
                    files: Vec::new(),
                });
            unit.files.push((w.path.clone(), w.stamp));
        }
        let output = self.output;
        if stats.changed == 0 && stats.removed == 0 && output.join(MARKER).is_file() {
            let tmp = output.join(".relance-cache.tmp");
            fs::write(&tmp, cache.to_text()).map_err(|e| Failure::io(&tmp, e))?;
            fs::rename(&tmp, output.join(cache::CACHE_FILE)).map_err(|e| Failure::io(output, e))?;
            let staging = self.staging.keep();
            remove_tree(&staging)?;
            return Ok(stats);
        }
        let root = self.staging.path();
        fs::write(
            root.join(MARKER),
            "This folder is written by relance build; it is replaced whole on every build.\n",
        )
        .map_err(|e| Failure::io(root, e))?;
        fs::write(root.join(cache::CACHE_FILE), cache.to_text())
            .map_err(|e| Failure::io(root, e))?;
        let staging = self.staging.keep();
        if output.exists() {
            if exchange(&staging, output).is_ok() {
                remove_tree(&staging)?;
            } else {
                let (parent, old_prefix) = sibling(output, "old");
                let old = parent.join(format!("{old_prefix}{}", std::process::id()));
                fs::rename(output, &old).map_err(|e| Failure::io(output, e))?;
                fs::rename(&staging, output).map_err(|e| Failure::io(output, e))?;
                remove_tree(&old)?;
            }
        } else {
            fs::rename(&staging, output).map_err(|e| Failure::io(output, e))?;
        }
        Ok(stats)
    }
}

/// Removes a folder tree, its top-level entries in parallel. A link is
/// removed itself: nothing is ever deleted through one.
fn remove_tree(dir: &Path) -> Result<(), Failure> {
    if fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return fs::remove_file(dir).map_err(|e| Failure::io(dir, e));
    }
    let entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| Failure::io(dir, e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    let mut regions: Vec<PathBuf> = entries.clone();
    // Regions hold nearly all files: split one level deeper.
    let deeper = dir.join("regions");
    if deeper.is_dir() {
        regions.retain(|p| p != &deeper);
        regions.extend(
            fs::read_dir(&deeper)
                .map_err(|e| Failure::io(&deeper, e))?
                .filter_map(Result::ok)
                .map(|e| e.path()),
        );
    }
    regions.par_iter().try_for_each(|p| {
        if p.is_dir() {
            fs::remove_dir_all(p)
        } else {
            fs::remove_file(p)
        }
        .map_err(|e| Failure::io(p, e))
    })?;
    fs::remove_dir_all(dir).map_err(|e| Failure::io(dir, e))
}

/// Joins a rendered relative path under `base`, refusing anything that
/// could escape it.
fn safe_join(base: &Path, rel: &str) -> Result<PathBuf, Failure> {
    let ok = !rel.is_empty()
        && !rel.starts_with('/')
        && rel
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains('\\'));
    if ok {
        Ok(base.join(rel))
    } else {
        Err(Failure::Internal(format!(
            "refusing to write outside the output folder: {rel}"
        )))
    }
}

/// Every file under `dir`, as sorted relative paths with `/`.
pub fn list_files(dir: &Path) -> Result<Vec<String>, Failure> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| Failure::io(dir, std::io::Error::other(e.to_string())))?;
        if entry.file_type().is_file()
            && let Ok(rel) = entry.path().strip_prefix(dir)
        {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    out.sort();
    Ok(out)
}
