//! The build: load → validate → derive → render → write, and the one write
//! path (an atomic swap of the whole output folder) that every command uses.

use serde::Serialize;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::content::{self, Limits};
use crate::derive::{self, SiteModel};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Failure;
use crate::render::{self, OutputFile, RenderOptions, theme::Theme};

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
}

/// Loads, validates and derives. Errors (or denied warnings) fail.
pub fn load_model(
    content_dir: &Path,
    shown: &str,
    limits: Limits,
    deny_warnings: bool,
) -> Result<(SiteModel, Diagnostics, usize), Failure> {
    let loaded = content::load(content_dir, shown, limits)?;
    let files = loaded.inputs.len();
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
    if deny_warnings && diags.warnings() > 0 {
        return Err(Failure::DeniedWarnings(diags));
    }
    Ok((derive::derive(&content), diags, files))
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

/// Runs a whole build. On any failure `output` is left as it was.
pub fn build(cfg: &BuildConfig) -> Result<BuildReport, Failure> {
    let start = Instant::now();
    check_output_dir(&cfg.content, &cfg.output)?;
    let (model, diags, input_files) = load_model(
        &cfg.content,
        &cfg.content_shown,
        cfg.limits,
        cfg.deny_warnings,
    )?;
    let load_ms = ms(start);

    let t = Instant::now();
    let theme = Theme::load(cfg.templates.as_deref())?;
    let rendered = render::render_site(&model, &theme, RenderOptions { pdf: cfg.pdf })?;
    let mut diags = diags;
    diags.extend(rendered.warnings);
    diags.sort();
    if cfg.deny_warnings && diags.warnings() > 0 {
        return Err(Failure::DeniedWarnings(diags));
    }
    let render_ms = ms(t);

    let t = Instant::now();
    let stats = write_output(&rendered.files, &cfg.output)?;
    let write_ms = ms(t);

    Ok(BuildReport {
        ok: true,
        regions: model.regions.len(),
        updates: model.regions.iter().map(|r| r.updates.len()).sum(),
        input_files,
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

/// Writes `files` as the new content of `output`, all or nothing: a staging
/// folder beside it is filled (files unchanged since the last build are hard
/// links to the old ones), then swapped in with one atomic rename.
/// A build whose files all equal the output on disk writes nothing.
pub fn write_output(files: &[OutputFile], output: &Path) -> Result<WriteStats, Failure> {
    recover(output)?;
    let mut stats = WriteStats {
        files: files.len(),
        ..WriteStats::default()
    };
    let previous = if output.join(MARKER).is_file() {
        list_files(output)?
    } else {
        Vec::new()
    };
    let mut same = Vec::with_capacity(files.len());
    for f in files {
        let old = output.join(&f.path);
        let unchanged = previous.binary_search(&f.path).is_ok()
            && fs::metadata(&old).is_ok_and(|m| m.len() == f.bytes.len() as u64)
            && fs::read(&old).is_ok_and(|b| b == f.bytes);
        same.push(unchanged);
    }
    stats.unchanged = same.iter().filter(|s| **s).count();
    stats.changed = files.len() - stats.unchanged;
    let wanted: std::collections::BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    stats.removed = previous
        .iter()
        .filter(|p| p.as_str() != MARKER && !wanted.contains(p.as_str()))
        .count();
    if stats.changed == 0 && stats.removed == 0 && output.join(MARKER).is_file() {
        return Ok(stats);
    }

    let (parent, prefix) = sibling(output, "tmp");
    fs::create_dir_all(&parent).map_err(|e| Failure::io(&parent, e))?;
    let staging = tempfile::Builder::new()
        .prefix(&prefix)
        .tempdir_in(&parent)
        .map_err(|e| Failure::io(&parent, e))?;
    for (f, unchanged) in files.iter().zip(&same) {
        let target = safe_join(staging.path(), &f.path)?;
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).map_err(|e| Failure::io(dir, e))?;
        }
        let linked = *unchanged && fs::hard_link(output.join(&f.path), &target).is_ok();
        if !linked {
            fs::write(&target, &f.bytes).map_err(|e| Failure::io(&target, e))?;
        }
    }
    fs::write(
        staging.path().join(MARKER),
        "This folder is written by relance build; it is replaced whole on every build.\n",
    )
    .map_err(|e| Failure::io(staging.path(), e))?;

    let staging = staging.keep();
    if output.exists() {
        if exchange(&staging, output).is_ok() {
            fs::remove_dir_all(&staging).map_err(|e| Failure::io(&staging, e))?;
        } else {
            let (_, old_prefix) = sibling(output, "old");
            let old = parent.join(format!("{old_prefix}{}", std::process::id()));
            fs::rename(output, &old).map_err(|e| Failure::io(output, e))?;
            fs::rename(&staging, output).map_err(|e| Failure::io(output, e))?;
            fs::remove_dir_all(&old).map_err(|e| Failure::io(&old, e))?;
        }
    } else {
        fs::rename(&staging, output).map_err(|e| Failure::io(output, e))?;
    }
    Ok(stats)
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
