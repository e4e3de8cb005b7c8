//! `relance new`: start a region or an update from the command line. New
//! files are checked before they are written and never replace a file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::content::model::Date;
use crate::content::{validate, yaml};
use crate::diagnostics::Diagnostics;
use crate::error::Failure;

/// A YAML double-quoted string, safe for any text.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// Creates `path` with `text`, failing if it exists (no race: `create_new`).
fn create_new(path: &Path, text: &str) -> Result<(), Failure> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| Failure::io(dir, e))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Failure::Usage(format!(
                    "{} already exists; relance never overwrites a fact file",
                    path.display()
                ))
            } else {
                Failure::io(path, e)
            }
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Failure::io(path, e))
}

pub fn new_region(content: &Path, slug: &str, name: &str) -> Result<PathBuf, Failure> {
    if !validate::is_slug(slug) {
        return Err(Failure::Usage(format!(
            "invalid region slug `{slug}`: use lowercase letters, digits and single hyphens, e.g. `languedoc-roussillon`"
        )));
    }
    if name.trim().is_empty() {
        return Err(Failure::Usage("--name must not be empty".into()));
    }
    if !content.is_dir() {
        return Err(Failure::Usage(format!(
            "no content folder at `{}`",
            content.display()
        )));
    }
    let dir = content.join("regions").join(slug);
    let path = dir.join("region.yaml");
    let text = format!(
        "# Region {slug}: its name and who speaks for it.\nname: {}\n# delegate:\n#   name: \n#   role: \n# departments: []\n",
        quoted(name.trim())
    );
    create_new(&path, &text)?;
    Ok(path)
}

/// Today's date in UTC, for the default of `new update` only (a build never
/// reads the clock).
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days((secs / 86_400) as i64)
}

/// Howard Hinnant's civil_from_days.
pub fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    Date {
        year: (y + i64::from(m <= 2)) as i32,
        month: m,
        day: d,
    }
}

/// Keys of an update that belong to that update alone: a new update does
/// not inherit its narrative, its embargo or its corrections.
const NOT_COPIED: &[&str] = &["narrative:", "publish_at:", "corrections:"];

/// Copies `previous` with the date changed and the narrative, embargo and
/// corrections removed, keeping comments and layout.
pub fn next_update_text(previous: &str, date: Date) -> String {
    let mut out = String::new();
    let mut skipping = false;
    let mut saw_date = false;
    for line in previous.lines() {
        let top_level = !line.starts_with([' ', '\t', '#', '-']) && !line.trim().is_empty();
        if skipping {
            if top_level {
                skipping = false;
            } else {
                continue;
            }
        }
        if top_level && NOT_COPIED.iter().any(|k| line.starts_with(k)) {
            skipping = true;
            continue;
        }
        if top_level && line.starts_with("date:") {
            out.push_str(&format!("date: {date}\n"));
            saw_date = true;
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    if !saw_date {
        out.push_str(&format!("date: {date}\n"));
    }
    out
}

pub fn new_update(
    content: &Path,
    shown: &str,
    region: &str,
    date: Option<&str>,
) -> Result<PathBuf, Failure> {
    let dir = content.join("regions").join(region);
    if !validate::is_slug(region) || !dir.join("region.yaml").is_file() {
        let mut known: Vec<String> = fs::read_dir(content.join("regions"))
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter(|e| e.path().join("region.yaml").is_file())
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .collect()
            })
            .unwrap_or_default();
        known.sort();
        let hint = crate::diagnostics::did_you_mean(region, known.iter().map(String::as_str))
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        return Err(Failure::Usage(format!(
            "unknown region `{region}`{hint}\nregions: {}\ncreate it with `relance new region {region} --name \"…\"`",
            if known.is_empty() {
                "(none)".into()
            } else {
                known.join(", ")
            }
        )));
    }
    let date = match date {
        Some(text) => Date::parse(text).map_err(|e| Failure::Usage(format!("--date: {e}")))?,
        None => today(),
    };
    let path = dir.join(format!("{date}.yaml"));
    if path.exists() {
        return Err(Failure::Usage(format!(
            "{} already exists; relance never overwrites a fact file",
            path.display()
        )));
    }
    let mut previous: Vec<(Date, PathBuf)> = fs::read_dir(&dir)
        .map_err(|e| Failure::io(&dir, e))?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let stem = name.strip_suffix(".yaml")?;
            Date::parse(stem).ok().map(|d| (d, e.path()))
        })
        .collect();
    previous.sort();
    let text = match previous.last() {
        Some((_, p)) => {
            // Never blocks on a FIFO, never reads past the fact-file limit.
            let old = crate::fsafe::read_regular(p, crate::content::MAX_FILE_BYTES)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| {
                    Failure::Usage(format!(
                        "the latest update of `{region}` ({}) cannot be read; fix it first with `relance check`",
                        p.display()
                    ))
                })?;
            next_update_text(&old, date)
        }
        None => format!("# Update of {date}.\ntitle: \"\"\ndate: {date}\n"),
    };
    // The new file must pass `check` as it stands.
    let rel = format!("regions/{region}/{date}.yaml");
    let file = crate::content::display_path(shown, &rel);
    let mut diags = Diagnostics::default();
    match yaml::parse(&text) {
        Ok(Some(node)) => {
            let mut check = validate::FileCheck::new(file.clone(), &mut diags);
            validate::update(&mut check, &node, region, date);
        }
        _ => {
            return Err(Failure::Usage(format!(
                "the latest update of `{region}` cannot be read; fix it first with `relance check`"
            )));
        }
    }
    let errors = diags.errors() > 0;
    if errors && previous.is_empty() {
        // The blank skeleton has an empty title on purpose: write it anyway,
        // the message tells what to fill in.
    } else if errors {
        diags.attach_sources(|f| (f == file).then(|| text.clone()));
        return Err(Failure::Content(diags));
    }
    create_new(&path, &text)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrative_is_dropped_and_date_changed() {
        let old = "title: T\ndate: 2020-05-14\nnarrative: |\n  text\n  more\nquotes:\n  - q\n";
        let new = next_update_text(old, Date::parse("2020-05-21").unwrap());
        assert_eq!(new, "title: T\ndate: 2020-05-21\nquotes:\n  - q\n");
    }

    #[test]
    fn embargo_and_corrections_are_not_copied() {
        let old = "title: T\ndate: 2020-05-14\npublish_at: 2020-05-14T18:00:00+02:00\ncorrections:\n- date: 2020-05-16\n  note: n\n  - {date: 2020-05-17, note: m}\nquotes:\n  - q\n";
        let new = next_update_text(old, Date::parse("2020-05-21").unwrap());
        assert_eq!(new, "title: T\ndate: 2020-05-21\nquotes:\n  - q\n");
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0).to_string(), "1970-01-01");
        assert_eq!(civil_from_days(18_396).to_string(), "2020-05-14");
    }
}
