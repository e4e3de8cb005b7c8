//! Where a build may write: the real folder behind an `--output` link, and
//! the places it must refuse (exit 2) before touching anything.

use std::path::{Component, Path, PathBuf};

use crate::error::Failure;

/// `p` made absolute, with every link in its existing part resolved; the
/// part that does not exist yet is appended as written.
pub fn absolute(p: &Path) -> PathBuf {
    let mut existing: PathBuf = p.components().collect();
    if existing.as_os_str().is_empty() {
        existing = PathBuf::from(".");
    }
    let mut tail = Vec::new();
    while std::fs::symlink_metadata(&existing).is_err() {
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
    let mut base = existing.canonicalize().unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|cwd| cwd.join(&existing))
            .unwrap_or(existing)
    });
    for t in tail.iter().rev() {
        base.push(t);
    }
    base
}

/// The folder a build publishes into. When `--output` is a symbolic link
/// (the common `output -> /var/www/site`), that is the folder the link leads
/// to: the new site replaces it and the link is left as it is. Replacing the
/// link itself would delete the web root through it.
pub fn resolve_output(output: &Path) -> Result<PathBuf, Failure> {
    refuse_up_from_nowhere(output, "output folder")?;
    // `site/` and `site` name the same thing; without the slash a link is
    // seen as a link.
    let plain: PathBuf = output.components().collect();
    let plain = if plain.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        plain
    };
    let is_link = std::fs::symlink_metadata(&plain).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(plain);
    }
    plain.canonicalize().map_err(|e| {
        let target = std::fs::read_link(&plain).unwrap_or_default();
        Failure::Usage(format!(
            "the output `{}` is a link to `{}`, which cannot be used ({e}); create that folder or remove the link",
            output.display(),
            target.display()
        ))
    })
}

/// Refuses a path that goes up (`..`) out of a folder that does not exist
/// (`new/../site`). Checked as written it names nothing yet; once the
/// build creates `new/`, it names `site` beside it: a folder no check was
/// made for (another project, the content folder itself).
pub fn refuse_up_from_nowhere(path: &Path, what: &str) -> Result<(), Failure> {
    let mut walked = PathBuf::new();
    for part in path.components() {
        if part == Component::ParentDir
            && !walked.as_os_str().is_empty()
            && std::fs::symlink_metadata(&walked).is_err()
        {
            return Err(Failure::Usage(format!(
                "the {what} `{}` goes up (`..`) out of `{}`, which does not exist; write the path without `..` through a missing folder",
                path.display(),
                walked.display()
            )));
        }
        walked.push(part);
    }
    Ok(())
}

/// Refuses an output folder that is the current folder or contains it: a
/// build replaces the output folder whole, which cannot be done to the
/// folder relance runs in (and would stage the new site inside the old).
pub fn refuse_cwd_inside(output: &Path) -> Result<(), Failure> {
    let Ok(cwd) = std::env::current_dir() else {
        return Ok(());
    };
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    if cwd.starts_with(absolute(output)) {
        return Err(Failure::Usage(format!(
            "the output folder `{}` is the folder relance runs in (or contains it), and a build replaces it whole; run relance from outside it (e.g. `cd ..` and `--output {}`)",
            output.display(),
            absolute(output)
                .file_name()
                .map_or_else(|| "DIR".into(), |n| n.to_string_lossy().to_string())
        )));
    }
    Ok(())
}

/// Refuses a `--report` file inside the content folder (it would replace a
/// fact file) or inside the output folder (it would be deleted, or
/// published, by the next build).
pub fn check_report_path(report: &Path, content: &Path, output: &Path) -> Result<(), Failure> {
    refuse_up_from_nowhere(report, "report file")?;
    let at = absolute(report);
    for (folder, what) in [(content, "content"), (output, "output")] {
        if at.starts_with(absolute(folder)) {
            return Err(Failure::Usage(format!(
                "the report file `{}` is inside the {what} folder `{}`; write it elsewhere (e.g. --report build-report.json)",
                report.display(),
                folder.display()
            )));
        }
    }
    Ok(())
}
