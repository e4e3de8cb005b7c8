//! The disk output: the staging folder beside the output folder, the
//! incremental cache inside it, and the one atomic swap that publishes a
//! whole site. The pipeline (`crate::pipeline`) decides what to render;
//! this module decides only what is already on disk and how to publish.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::cache::{self, Stamp};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Failure;
use crate::pipeline::{Options, Output, Unchanged, WriteStats};
use crate::render::OutputFile;
use rayon::prelude::*;

/// The file that marks a folder as relance's output, so that a mistyped
/// `--output` can never replace a folder relance did not make.
pub const MARKER: &str = ".relance-output";

/// Refuses output folders that would overwrite content or foreign folders.
pub fn check_output_dir(content: &Path, output: &Path) -> Result<(), Failure> {
    let abs = |p: &Path| -> PathBuf {
        // The output may not exist yet: resolve its nearest existing parent.
        let mut existing = p.to_path_buf();
        let mut tail = Vec::new();
        while !existing.exists() {
            match (existing.file_name(), existing.parent()) {
                (Some(name), Some(parent)) => {
                    tail.push(name.to_os_string());
                    existing = if parent.as_os_str().is_empty() {
                        PathBuf::from(".")
                    } else {
                        parent.to_path_buf()
                    };
                }
                _ => break,
            }
        }
        let mut base = existing.canonicalize().unwrap_or(existing);
        for t in tail.iter().rev() {
            base.push(t);
        }
        base
    };
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

/// A cache that cannot be trusted, as a warning about the output folder.
fn cache_ignored(output: &Path, message: String) -> Diagnostic {
    Diagnostic::warning(
        &output.join(cache::CACHE_FILE).display().to_string(),
        crate::content::yaml::Pos::START,
        "cache-ignored",
        message,
    )
}

/// Reads the output's cache, trusted only in a folder relance made, from
/// this version, theme and options; a corrupt or foreign one is noted and
/// ignored.
fn trusted_cache(
    output: &Path,
    theme: u64,
    pdf: bool,
    notes: &mut Diagnostics,
) -> Option<cache::Cache> {
    if !output.join(MARKER).is_file() {
        return None;
    }
    match cache::read(output) {
        Ok(Some(c)) if c.version != cache::version() => {
            notes.push(cache_ignored(
                output,
                format!(
                    "ignoring the build cache of relance {}; rebuilding everything",
                    c.version
                ),
            ));
            None
        }
        Ok(c) => c.filter(|c| c.theme == theme && c.pdf == pdf),
        Err(reason) => {
            notes.push(cache_ignored(
                output,
                format!("ignoring an unreadable build cache ({reason}); rebuilding everything"),
            ));
            None
        }
    }
}

/// The output folder on disk. Units whose key and files on disk match the
/// cache are carried over as hard links; everything is written to a
/// staging folder that replaces the output folder in one atomic swap.
pub struct Disk {
    output: PathBuf,
    theme: u64,
    pdf: bool,
    cache: Option<cache::Cache>,
    /// Every file of the output folder with its stamp (when there is a cache).
    disk: BTreeMap<String, Stamp>,
    content_fp: u64,
    keys: BTreeMap<String, u64>,
    writer: Option<Writer>,
    written: Mutex<Vec<Written>>,
    /// Notes about the output folder itself (an ignored cache).
    pub notes: Diagnostics,
}

impl Disk {
    /// Opens `output` for a run with `opts`: refuses dangerous folders,
    /// cleans what a killed build left, reads the cache.
    pub fn open(opts: &Options, output: &Path) -> Result<Disk, Failure> {
        check_output_dir(&opts.content, output)?;
        recover(output)?;
        let theme = crate::pipeline::load_theme(opts)?.fingerprint();
        let mut notes = Diagnostics::default();
        let cache = trusted_cache(output, theme, opts.pdf, &mut notes);
        // The published files, compared with the new ones even when the
        // cache is not trusted (another theme or options): unchanged bytes
        // are kept as hard links and the counts stay true.
        let disk = if output.join(MARKER).is_file() {
            cache::stamps(output)
        } else {
            BTreeMap::new()
        };
        Ok(Disk {
            output: output.to_path_buf(),
            theme,
            pdf: opts.pdf,
            cache,
            disk,
            content_fp: 0,
            keys: BTreeMap::new(),
            writer: None,
            written: Mutex::new(Vec::new()),
            notes,
        })
    }

    fn unit_on_disk(&self, u: &cache::CachedUnit) -> bool {
        u.files.iter().all(|(p, s)| self.disk.get(p) == Some(s))
    }

    fn writer(&self) -> Result<&Writer, Failure> {
        self.writer
            .as_ref()
            .ok_or_else(|| Failure::Internal("the disk output was not begun".into()))
    }

    fn push(&self, w: Written) {
        self.written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(w);
    }
}

impl Output for Disk {
    /// Nothing under content/ changed and the output on disk is exactly
    /// what the cache describes: nothing is parsed, rendered or written.
    fn unchanged(&mut self, opts: &Options) -> Result<Option<Unchanged>, Failure> {
        let (content_fp, content_files) = if opts.content.is_dir() {
            cache::content_fingerprint(&opts.content).map_err(|e| Failure::io(&opts.content, e))?
        } else {
            (0, 0)
        };
        self.content_fp = content_fp;
        let Some(c) = &self.cache else {
            return Ok(None);
        };
        let files: usize = c.units.values().map(|u| u.files.len()).sum();
        let same = content_files <= opts.limits.max_files
            && c.content == content_fp
            && files == self.disk.len()
            && c.units.values().all(|u| self.unit_on_disk(u));
        let count = |prefix: &str| c.units.keys().filter(|k| k.starts_with(prefix)).count();
        Ok(same.then(|| Unchanged {
            warnings: Diagnostics {
                items: c.warnings.clone(),
            },
            stats: WriteStats {
                files,
                unchanged: files,
                reused_units: c.units.len(),
                ..WriteStats::default()
            },
            regions: count("region:"),
            updates: count("update:"),
        }))
    }

    fn begin(&mut self, units: &[(String, u64)]) -> Result<BTreeMap<String, Vec<String>>, Failure> {
        self.keys = units.iter().cloned().collect();
        let mut reuse = BTreeMap::new();
        if let Some(c) = &self.cache {
            for (id, key) in units {
                if let Some(u) = c.units.get(id)
                    && u.key == *key
                    && self.unit_on_disk(u)
                {
                    reuse.insert(id.clone(), u.files.iter().map(|(p, _)| p.clone()).collect());
                }
            }
        }
        self.writer = Some(Writer::new(&self.output)?);
        Ok(reuse)
    }

    fn keep(&self, unit: &str) -> Result<(), Failure> {
        let writer = self.writer()?;
        let files = self
            .cache
            .as_ref()
            .and_then(|c| c.units.get(unit))
            .map(|u| u.files.as_slice())
            .unwrap_or_default();
        for (path, stamp) in files {
            self.push(writer.keep(&self.output, unit, path, *stamp)?);
        }
        Ok(())
    }

    fn put(&self, unit: &str, file: OutputFile) -> Result<(), Failure> {
        let w = self.writer()?.write(&self.output, &self.disk, unit, file)?;
        self.push(w);
        Ok(())
    }

    fn commit(&mut self, diags: &Diagnostics) -> Result<WriteStats, Failure> {
        let writer = self
            .writer
            .take()
            .ok_or_else(|| Failure::Internal("the disk output was not begun".into()))?;
        let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(|p| p.into_inner()));
        let header = cache::Cache {
            version: cache::version(),
            theme: self.theme,
            pdf: self.pdf,
            content: self.content_fp,
            warnings: diags
                .items
                .iter()
                .filter(|d| d.severity == crate::diagnostics::Severity::Warning)
                .cloned()
                .collect(),
            units: BTreeMap::new(),
        };
        writer.finish(&self.output, &self.disk, written, &self.keys, header)
    }
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
    if crate::testhook::no_exchange() {
        return Err(std::io::Error::from(std::io::ErrorKind::Unsupported));
    }
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
struct Writer {
    staging: tempfile::TempDir,
    /// Folders already created in the staging tree.
    made: Mutex<std::collections::HashSet<PathBuf>>,
}

impl Writer {
    fn new(output: &Path) -> Result<Self, Failure> {
        let (parent, prefix) = sibling(output, "tmp");
        fs::create_dir_all(&parent).map_err(|e| Failure::io(&parent, e))?;
        let staging = tempfile::Builder::new()
            .prefix(&prefix)
            .tempdir_in(&parent)
            .map_err(|e| Failure::io(&parent, e))?;
        Ok(Writer {
            staging,
            made: Mutex::new(std::collections::HashSet::new()),
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
    fn keep(&self, output: &Path, unit: &str, rel: &str, stamp: Stamp) -> Result<Written, Failure> {
        let target = self.target(rel)?;
        let source = output.join(rel);
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
    fn write(
        &self,
        output: &Path,
        disk: &BTreeMap<String, Stamp>,
        unit: &str,
        file: OutputFile,
    ) -> Result<Written, Failure> {
        if let Some(stamp) = disk.get(&file.path)
            && stamp.len == file.bytes.len() as u64
            && fs::read(output.join(&file.path)).is_ok_and(|old| old == file.bytes)
        {
            return self.keep(output, unit, &file.path, *stamp);
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
        output: &Path,
        disk: &BTreeMap<String, Stamp>,
        mut written: Vec<Written>,
        keys: &BTreeMap<String, u64>,
        mut cache: cache::Cache,
    ) -> Result<WriteStats, Failure> {
        written.sort_by(|a, b| a.path.cmp(&b.path));
        let mut stats = WriteStats {
            files: written.len(),
            ..WriteStats::default()
        };
        stats.changed = written.iter().filter(|w| w.changed).count();
        stats.unchanged = written.len() - stats.changed;
        let wanted: std::collections::BTreeSet<&str> =
            written.iter().map(|w| w.path.as_str()).collect();
        stats.removed = disk.keys().filter(|p| !wanted.contains(p.as_str())).count();
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
        stats.reused_units = 0;
        stats.rendered_units = 0;
        if stats.changed == 0 && stats.removed == 0 && output.join(MARKER).is_file() {
            let tmp = output.join(".relance-cache.tmp");
            fs::write(&tmp, cache.to_text()).map_err(|e| Failure::io(&tmp, e))?;
            fs::rename(&tmp, output.join(cache::CACHE_FILE)).map_err(|e| Failure::io(output, e))?;
            let staging = self.staging.keep();
            remove_tree(&staging)?;
            return Ok(stats);
        }
        crate::testhook::abort_at("after-staging");
        let root = self.staging.path();
        fs::write(
            root.join(MARKER),
            "This folder is written by relance build; it is replaced whole on every build.\n",
        )
        .map_err(|e| Failure::io(root, e))?;
        fs::write(root.join(cache::CACHE_FILE), cache.to_text())
            .map_err(|e| Failure::io(root, e))?;
        let staging = self.staging.keep();
        crate::testhook::abort_at("before-swap");
        swap_in(&staging, output)?;
        Ok(stats)
    }
}

/// Publishes the staging folder as `output`: one atomic exchange where the
/// system has it, else two renames (which `recover` completes if killed).
fn swap_in(staging: &Path, output: &Path) -> Result<(), Failure> {
    if !output.exists() {
        return fs::rename(staging, output).map_err(|e| Failure::io(output, e));
    }
    if exchange(staging, output).is_ok() {
        crate::testhook::abort_at("after-swap-before-cleanup");
        return remove_tree(staging);
    }
    let (parent, old_prefix) = sibling(output, "old");
    let old = parent.join(format!("{old_prefix}{}", std::process::id()));
    fs::rename(output, &old).map_err(|e| Failure::io(output, e))?;
    crate::testhook::abort_at("during-swap");
    fs::rename(staging, output).map_err(|e| Failure::io(output, e))?;
    crate::testhook::abort_at("after-swap-before-cleanup");
    remove_tree(&old)
}

/// Removes a folder tree, its top-level entries in parallel.
fn remove_tree(dir: &Path) -> Result<(), Failure> {
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
        .map_err(|e| Failure::io(p, e))?;
        crate::testhook::abort_at("during-cleanup");
        Ok::<(), Failure>(())
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
