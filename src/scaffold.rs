//! `relance new`: start a region or an update from the command line. New
//! files are checked before they are written and never replace a file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::content::model::{Date, Language};
use crate::content::{format, schema, validate, yaml};
use crate::diagnostics::Diagnostics;
use crate::error::Failure;
use crate::locale::Locale;

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
        "{}# Region {slug}: its name and who speaks for it.\nname: {}\n# delegate:\n#   name: \n#   role: \n# departments: []\n",
        schema::modeline(3, schema::FILES[1].0),
        quoted(name.trim())
    );
    create_new(&path, &text)?;
    ensure_schemas(content)?;
    Ok(path)
}

/// Today's date in UTC, for the default of `new update` only (a build never
/// reads the clock).
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_days_since_epoch(i64::try_from(secs / 86_400).unwrap_or(i64::MAX))
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
    let text = with_examples(&with_modeline(&text, 3, schema::FILES[2].0));
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
    ensure_schemas(content)?;
    Ok(path)
}

// ------------------------------------------------------------ relance init

/// The update `relance init` writes: every section present, each key
/// explained. `#: path` lines become the key's meaning from the format's
/// table (`# …`), `{name}` a placeholder from the catalogue (`init-name`),
/// `{date}` today.
const INIT_UPDATE: &str = r#"# One update: what the region reported on one date. The file is named after
# its date. Only `title` and `date` are required: delete a section you do
# not know rather than guess. `relance check` locates every problem.

#: title
title: "{update-title}"
#: date
date: {date}

#: period
period:
  #: period.label
  label: "{period}"
  #: period.start
  start: {date}
  #: period.end
  end: {date}

#: source
source:
  #: source.name
  name: "{source}"
  #: source.kind
  kind: "{source-kind}"
  #: source.url
  # url: https://example.org/interview

#: speaker
speaker:
  #: speaker.name
  name: "{delegate}"
  #: speaker.role
  role: "{delegate-role}"

#: telework
telework:
  #: telework.percent
  percent: 80
  #: telework.except
  except:
    - "{telework-except}"

#: field_work
field_work:
  #: field_work.priorities
  priorities:
    - "{priority}"

#: priority_services
priority_services:
  - "{service}"

#: traffic
traffic:
  #: traffic.baseline
  baseline: "{baseline}"
  #: traffic.network_held
  network_held: true
  #: traffic.multipliers
  multipliers:
    #: traffic.multipliers.label
    - label: "{multiplier}"
      #: traffic.multipliers.factor
      factor: 2

#: incidents
incidents:
  #: incidents.kind
  - kind: "{incident}"
    #: incidents.target
    target: "{incident-target}"
    #: incidents.response
    response: "{incident-response}"

#: online
online:
  #: online.customers_percent
  customers_percent: 40
  #: online.growth_percent
  growth_percent: 25

#: shops
shops:
  #: shops.total
  total: 10
  #: shops.reopened
  reopened: 5
  #: shops.reopened_on
  reopened_on: {date}
  #: shops.by_appointment
  by_appointment: true
  #: shops.booking
  booking: "{booking}"

#: indicators
indicators:
  #: indicators.label
  - label: "{indicator}"
    #: indicators.value
    value: 120
    #: indicators.unit
    # unit: "%"

#: quotes
quotes:
  - "{quote}"

#: publish_at
# Leave it empty to publish at once, or write e.g. 2020-05-14T18:00:00+02:00.
publish_at:

#: corrections
corrections: []
# corrections:
#   - date: {date}
#     note: "…"

#: checked
checked: []

#: narrative
narrative: |
  {narrative}
"#;

/// The placeholders of [`INIT_UPDATE`] and the region and site files.
const INIT_WORDS: &[&str] = &[
    "site-title",
    "organisation",
    "region-name",
    "delegate",
    "delegate-role",
    "update-title",
    "period",
    "source",
    "source-kind",
    "telework-except",
    "priority",
    "service",
    "baseline",
    "multiplier",
    "incident",
    "incident-target",
    "incident-response",
    "booking",
    "indicator",
    "quote",
    "narrative",
];

/// Replaces each `#: path` line by the key's meaning, as a comment at the
/// same indentation.
pub fn explain(template: &str, root: &'static [format::Rule]) -> String {
    template
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            match trimmed.strip_prefix("#: ") {
                Some(path) => {
                    let indent = &line[..line.len() - trimmed.len()];
                    let rule = format::rule_at(root, path);
                    let doc = rule.map_or("", |r| r.doc);
                    let required = if rule.is_some_and(|r| r.required) {
                        " (required)"
                    } else {
                        ""
                    };
                    format!("{indent}# {path}: {doc}{required}\n")
                }
                None => format!("{line}\n"),
            }
        })
        .collect()
}

/// The YAML double-quoted form of a catalogue word, without its quotes
/// (the templates quote it).
fn word(locale: &Locale, name: &str) -> String {
    let q = quoted(&locale.t(&format!("init-{name}"), &[]));
    q[1..q.len() - 1].to_string()
}

fn fill(template: &str, locale: &Locale, date: Date, organisation: Option<&str>) -> String {
    let mut text = template.replace("{date}", &date.to_string());
    for name in INIT_WORDS {
        let value = match (*name, organisation) {
            ("organisation", Some(o)) => {
                let q = quoted(o.trim());
                q[1..q.len() - 1].to_string()
            }
            // A literal block: no escapes.
            ("narrative", _) => locale.t("init-narrative", &[]),
            _ => word(locale, name),
        };
        text = text.replace(&format!("{{{name}}}"), &value);
    }
    text
}

/// Whether `dir` is absent or an empty folder.
fn empty_or_absent(dir: &Path) -> Result<bool, Failure> {
    match fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => Ok(false),
        Err(e) => Err(Failure::io(dir, e)),
    }
}

/// `relance init`: a ready project in `dir` (absent or empty): content with
/// one region and one update dated today, every section commented, the
/// schemas and a `.gitignore`. Returns the files made.
pub fn init(
    dir: &Path,
    lang: Language,
    organisation: Option<&str>,
) -> Result<Vec<PathBuf>, Failure> {
    if !empty_or_absent(dir)? {
        return Err(Failure::Usage(format!(
            "{} is not empty; relance init only creates a project in an empty or new folder",
            dir.display()
        )));
    }
    if organisation.is_some_and(|o| o.trim().is_empty()) {
        return Err(Failure::Usage("--organisation must not be empty".into()));
    }
    let locale = Locale::embedded(lang);
    let date = today();
    let slug = locale.t("init-region-slug", &[]);
    let content = dir.join("content");
    let site = format!(
        "{}# The site: its title, who publishes it, its language.\n\n#: title\ntitle: \"{{site-title}}\"\n#: organisation\norganisation: \"{{organisation}}\"\n#: language\nlanguage: {}\n#: base_url\n# base_url: https://example.org/continuity/\n",
        schema::modeline(1, "site.schema.json"),
        lang.code()
    );
    let region = format!(
        "{}# A region: its name and who speaks for it.\n\n#: name\nname: \"{{region-name}}\"\n#: delegate\ndelegate:\n  #: delegate.name\n  name: \"{{delegate}}\"\n  #: delegate.role\n  role: \"{{delegate-role}}\"\n#: departments\ndepartments: []\n",
        schema::modeline(3, "region.schema.json")
    );
    let update = format!("{}{INIT_UPDATE}", schema::modeline(3, "update.schema.json"));
    let files = [
        (
            content.join("site.yaml"),
            fill(&explain(&site, format::SITE), &locale, date, organisation),
        ),
        (
            content.join("regions").join(&slug).join("region.yaml"),
            fill(&explain(&region, format::REGION), &locale, date, organisation),
        ),
        (
            content
                .join("regions")
                .join(&slug)
                .join(format!("{date}.yaml")),
            fill(&explain(&update, format::UPDATE), &locale, date, organisation),
        ),
        (
            dir.join(".gitignore"),
            "# relance build's output, its spare generation and its cache\n/output/\n/.output.relance-*\n".to_string(),
        ),
    ];
    let mut made = Vec::new();
    for (path, text) in files {
        create_new(&path, &text)?;
        made.push(path);
    }
    made.extend(schema::write(&dir.join(schema::DIR))?);
    Ok(made)
}

/// Writes the schemas beside the content folder (`schemas/`) when they are
/// not there yet, so that the modelines of new files lead somewhere.
fn ensure_schemas(content: &Path) -> Result<(), Failure> {
    let dir = crate::pipeline::beside_content(content, schema::DIR);
    if !dir.join(schema::FILES[2].0).exists() {
        schema::write(&dir)?;
    }
    Ok(())
}

/// The keys of format v1.1 as commented examples, appended once to an
/// update written by `relance new` (the next copies carry them on).
/// Without the `# ` of each line the block is a valid update of its own
/// (tested); a delegate copies the keys into the sections the file has.
pub const EXAMPLES: &str = "\
# ---- Format v1.1 examples: copy a key you need into its section, without \"# \" ----
# telework:
#   staff: 1800                  # staff counted, with remote: the share is computed
#   remote: 750
#   scope: all the region's staff  # who is counted: other scopes are never compared
# traffic:
#   multipliers:
#     - label: Mobile data
#       change_percent: {min: 35, max: 60}  # a change in percent; a range {min, max}
#     - label: Video calls
#       factor: 7
#       approx: true                        # an estimate: said \"about 7\"
#       source: {name: Midi Libre, url: \"https://example.org/article\"}
# shops:
#   total: 600
#   stayed_open: true            # never closed (not with reopened)
# indicators:
#   - label: Sites connected
#     value: {min: 20, max: 25}
# quotes:
#   - text: \"The network held.\"
#     by: Claire Martin, regional delegate
";

/// `text` with [`EXAMPLES`] at its end, unless it has them already.
fn with_examples(text: &str) -> String {
    let marker = EXAMPLES.lines().next().unwrap_or_default();
    if text.contains(marker) {
        return text.to_string();
    }
    let sep = if text.ends_with('\n') { "\n" } else { "\n\n" };
    format!("{text}{sep}{EXAMPLES}")
}

/// `text` starting with the schema modeline (`up` folders below the
/// project), replacing one it already had.
fn with_modeline(text: &str, up: usize, name: &str) -> String {
    let body = match text.split_once('\n') {
        Some((first, rest)) if first.starts_with("# yaml-language-server:") => rest,
        _ => text,
    };
    format!("{}{body}", schema::modeline(up, name))
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
}
