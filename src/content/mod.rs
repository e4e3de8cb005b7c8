//! Loading a content folder: find the files, read them safely, parse them
//! into positioned YAML and validate them into the typed model.

pub mod format;
pub mod model;
pub mod narrative;
pub mod plausibility;
pub mod schema;
pub mod translations;
pub mod validate;
pub mod yaml;

use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Failure;
use crate::fsafe::ReadFail;
use model::{Content, Date, Language, Region, Site, Update};
use validate::FileCheck;
use yaml::Pos;

/// A fact file larger than this is refused: no honest update comes close.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Limits a hostile or mistaken content folder cannot exceed.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_files: usize,
}

impl Default for Limits {
    /// Room for the largest site relance is measured on: 100 000 updates
    /// are 101 001 fact files with their regions and site.yaml (885 MB at
    /// the peak of a full build without PDFs), which the old limit of
    /// 100 000 refused.
    fn default() -> Self {
        Limits { max_files: 200_000 }
    }
}

/// The result of loading: the content when there are no errors, and every
/// diagnostic (warnings included) either way.
pub struct Loaded {
    pub content: Option<Content>,
    pub diagnostics: Diagnostics,
    /// Every file read, relative to the content folder, with its bytes'
    /// fingerprint: what the incremental cache keys on.
    pub inputs: Vec<(String, u64)>,
}

enum Job {
    Site,
    Region {
        slug: String,
    },
    Update {
        slug: String,
        date: Date,
        /// `<date>.md` (no language: the default) and `<date>.<code>.md`.
        narratives: Vec<(Option<Language>, PathBuf)>,
    },
}

/// What processing one file gives: its diagnostics, its model (when
/// valid) and the fingerprints of the files read.
type FileResult = (Diagnostics, Option<Parsed>, Vec<(String, u64)>);

#[derive(Clone)]
enum Parsed {
    Site(Site),
    Region(Region),
    /// With its figures that plausibility checks follow.
    Update(Box<Update>, Box<plausibility::Watched>),
}

/// How a file looked on disk: size, modification and change times, inode.
type Identity = (u64, i64, i64, i64, i64, u64);

fn identity(path: &Path) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::symlink_metadata(path).ok()?;
    Some((
        m.len(),
        m.mtime(),
        m.mtime_nsec(),
        m.ctime(),
        m.ctime_nsec(),
        m.ino(),
    ))
}

/// A file's identities on disk when it was processed, and the result.
type MemoEntry = (Vec<Option<Identity>>, FileResult);

/// Results of reading and validating fact files, kept between loads of the
/// same folder (`relance serve`): a file whose metadata did not change (as
/// git's index judges it) is not read or parsed again.
#[derive(Default)]
pub struct Memo(std::sync::Mutex<std::collections::HashMap<String, MemoEntry>>);

impl Memo {
    fn identities(dir: &Path, rel: &str, job: &Job) -> Vec<Option<Identity>> {
        let mut ids = vec![identity(&dir.join(rel))];
        if let Job::Update { narratives, .. } = job {
            ids.extend(narratives.iter().map(|(_, p)| identity(p)));
        }
        ids
    }

    fn get(&self, rel: &str, ids: &[Option<Identity>]) -> Option<FileResult> {
        let map = self.0.lock().ok()?;
        map.get(rel)
            .filter(|(known, _)| {
                known.as_slice() == ids && ids.first().is_some_and(Option::is_some)
            })
            .map(|(_, r)| r.clone())
    }

    fn put(&self, rel: &str, ids: Vec<Option<Identity>>, result: &FileResult) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(rel.to_string(), (ids, result.clone()));
        }
    }
}

/// Reads and validates one file, through `memo` when there is one.
fn process_memo(
    dir: &Path,
    root: &Path,
    shown: &str,
    rel: &str,
    job: &Job,
    memo: Option<&Memo>,
) -> FileResult {
    let Some(memo) = memo else {
        return process(dir, root, shown, rel, job);
    };
    let ids = Memo::identities(dir, rel, job);
    if let Some(hit) = memo.get(rel, &ids) {
        return hit;
    }
    let result = process(dir, root, shown, rel, job);
    memo.put(rel, ids, &result);
    result
}

/// Loads and validates `dir`. `shown` is how to name the folder in messages
/// (usually the path exactly as the user typed it).
pub fn load(dir: &Path, shown: &str, limits: Limits) -> Result<Loaded, Failure> {
    load_with(dir, shown, limits, None)
}

/// [`load`], reusing what `memo` holds of files that did not change.
pub fn load_with(
    dir: &Path,
    shown: &str,
    limits: Limits,
    memo: Option<&Memo>,
) -> Result<Loaded, Failure> {
    if !dir.is_dir() {
        return Err(Failure::Usage(format!(
            "no content folder at `{shown}`; run relance from your project folder or pass --content DIR"
        )));
    }
    let root = dir.canonicalize().map_err(|e| Failure::io(dir, e))?;
    let mut found = Listing {
        dir,
        root: &root,
        shown,
        jobs: Vec::new(),
        diags: Diagnostics::default(),
    };
    found.site()?;
    for (slug, path) in found.region_folders()? {
        found.region(&slug, &path)?;
    }
    let Listing {
        jobs, mut diags, ..
    } = found;
    if jobs.len() > limits.max_files {
        diags.push(too_many_files(shown, jobs.len(), limits.max_files));
        diags.sort();
        return Ok(Loaded {
            content: None,
            diagnostics: diags,
            inputs: Vec::new(),
        });
    }
    // Parse and validate every file in parallel; results keep job order.
    let results: Vec<FileResult> = jobs
        .par_iter()
        .map(|(rel, job)| process_memo(dir, &root, shown, rel, job, memo))
        .collect();
    Ok(assemble(&jobs, results, diags, shown))
}

/// What a content folder asks to be read, found by listing it: the jobs,
/// in order, and the problems of its layout.
struct Listing<'a> {
    dir: &'a Path,
    root: &'a Path,
    shown: &'a str,
    jobs: Vec<(String, Job)>,
    diags: Diagnostics,
}

impl Listing<'_> {
    fn display(&self, rel: &str) -> String {
        display_path(self.shown, rel)
    }

    /// `site.yaml`, and what else the top of the folder holds.
    fn site(&mut self) -> Result<(), Failure> {
        if present(&self.dir.join("site.yaml")) {
            self.jobs.push(("site.yaml".into(), Job::Site));
        } else {
            self.diags.push(
                Diagnostic::error(
                    &self.display("site.yaml"),
                    Pos::START,
                    "missing-file",
                    "missing site.yaml",
                )
                .with_help("create it with at least `title:` and `organisation:`"),
            );
        }
        self.diags.extend(unexpected_at_top(self.dir, self.shown)?);
        Ok(())
    }

    /// The folders of `regions/` that are read, by name; what else is
    /// there is reported.
    fn region_folders(&mut self) -> Result<Vec<(String, PathBuf)>, Failure> {
        let regions_dir = self.dir.join("regions");
        let mut out = Vec::new();
        if is_link(&regions_dir) && !inside(self.root, &regions_dir) {
            self.diags.push(
                Diagnostic::error(
                    &self.display("regions"),
                    Pos::START,
                    "outside-content",
                    "regions/ is a link to a place outside the content folder; it was not read",
                )
                .with_help("keep the regions inside the content folder"),
            );
        } else if regions_dir.is_dir() {
            for entry in read_dir_sorted(&regions_dir)? {
                let name = entry
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_string();
                if name.starts_with('.') {
                    continue;
                }
                let at = self.display(&format!("regions/{name}"));
                if is_link(&entry) && !inside(self.root, &entry) {
                    self.diags.push(
                        Diagnostic::error(&at, Pos::START, "outside-content", "this region folder is a link to a place outside the content folder; it was not read")
                            .with_help("keep the region's files inside the content folder"),
                    );
                } else if entry.is_dir() {
                    out.push((name, entry));
                } else {
                    self.diags.push(Diagnostic::warning(
                        &at,
                        Pos::START,
                        "ignored-file",
                        "ignored: only region folders belong in regions/",
                    ));
                }
            }
        } else {
            self.diags.push(
                Diagnostic::warning(
                    &self.display("regions"),
                    Pos::START,
                    "no-regions",
                    "no regions/ folder: the site will list no region",
                )
                .with_help("add regions/<slug>/region.yaml and one <YYYY-MM-DD>.yaml per update"),
            );
        }
        Ok(out)
    }

    /// The region folder `slug`: its `region.yaml`, its updates, and what
    /// does not belong in it.
    fn region(&mut self, slug: &str, path: &Path) -> Result<(), Failure> {
        let rel_dir = format!("regions/{slug}");
        if !validate::is_slug(slug) {
            let at = if path.join("region.yaml").is_file() {
                format!("{rel_dir}/region.yaml")
            } else {
                rel_dir
            };
            self.diags.push(
                Diagnostic::error(&self.display(&at), Pos::START, "slug", format!("invalid region folder name `{slug}`"))
                    .with_help("a region folder is named with lowercase letters, digits and single hyphens, e.g. `languedoc-roussillon`"),
            );
            return Ok(());
        }
        let region_yaml = format!("{rel_dir}/region.yaml");
        if present(&path.join("region.yaml")) {
            let slug = slug.to_string();
            self.jobs.push((region_yaml, Job::Region { slug }));
        } else {
            self.diags.push(
                Diagnostic::error(
                    &self.display(&region_yaml),
                    Pos::START,
                    "missing-file",
                    "region folder has no region.yaml",
                )
                .with_help("create it with at least `name:`"),
            );
        }
        let files = list_folder(path)?;
        let names: HashSet<&str> = files.iter().map(|f| f.name.as_str()).collect();
        for file in &files {
            let name = &file.name;
            if name.starts_with('.') || name == "region.yaml" {
                continue;
            }
            let rel = format!("{rel_dir}/{name}");
            if file.is_dir {
                self.diags.push(Diagnostic::warning(
                    &self.display(&rel),
                    Pos::START,
                    "ignored-file",
                    "ignored: sub-folders of a region are not read",
                ));
                continue;
            }
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name.as_str(), ""));
            match ext {
                "yaml" => self.update(slug, path, rel, stem, &names),
                "md" => self.narrative(&rel, stem, &names),
                "yml" => self.diags.push(
                    Diagnostic::error(
                        &self.display(&rel),
                        Pos::START,
                        "file-name",
                        "fact files end in .yaml",
                    )
                    .with_help(format!("rename it to {stem}.yaml")),
                ),
                _ => self.diags.push(Diagnostic::warning(
                    &self.display(&rel),
                    Pos::START,
                    "ignored-file",
                    "ignored: not a fact file",
                )),
            }
        }
        Ok(())
    }

    /// `<stem>.yaml` of the region `slug` (in the folder `path`, which
    /// holds `names`): an update, when its name is a date.
    fn update(&mut self, slug: &str, path: &Path, rel: String, stem: &str, names: &HashSet<&str>) {
        match Date::parse(stem) {
            Ok(date) => {
                let narratives = narrative_files(path, stem, names);
                let slug = slug.to_string();
                let job = Job::Update {
                    slug,
                    date,
                    narratives,
                };
                self.jobs.push((rel, job));
            }
            Err(e) => self.diags.push(
                Diagnostic::error(
                    &self.display(&rel),
                    Pos::START,
                    "file-name",
                    format!("update file name: {e}"),
                )
                .with_help("an update is named after its date: YYYY-MM-DD.yaml"),
            ),
        }
    }

    /// `<stem>.md`: read with its update (`<date>.md`, `<date>.<code>.md`),
    /// reported here when its name or its update is wrong.
    fn narrative(&mut self, rel: &str, stem: &str, names: &HashSet<&str>) {
        let stem = match stem.rsplit_once('.') {
            Some((base, code)) if Date::parse(base).is_ok() => {
                if Language::from_code(code).is_none() {
                    self.diags.push(
                        Diagnostic::error(&self.display(rel), Pos::START, "language", format!("narrative in `{code}`, which is not a language relance writes"))
                            .with_help("name it <date>.md (the site's default language) or <date>.<code>.md with fr, en or es"),
                    );
                }
                base
            }
            _ => stem,
        };
        if !names.contains(format!("{stem}.yaml").as_str()) {
            self.diags.push(
                Diagnostic::error(
                    &self.display(rel),
                    Pos::START,
                    "orphan-narrative",
                    format!("narrative without an update: there is no {stem}.yaml beside it"),
                )
                .with_help(
                    "a <date>.md narrative belongs to the <date>.yaml update of the same name",
                ),
            );
        }
    }
}

fn too_many_files(shown: &str, found: usize, limit: usize) -> Diagnostic {
    Diagnostic::error(
        shown,
        Pos::START,
        "too-many-files",
        format!("the content folder holds {found} fact files, more than the limit of {limit}"),
    )
    .with_help("raise the limit with --max-files if this is intended")
}

/// The content from each job's result (in job order), checked as a whole
/// (texts by language once the site's languages are known, each update
/// against its region's previous one); none when there are errors.
fn assemble(
    jobs: &[(String, Job)],
    results: Vec<FileResult>,
    mut diags: Diagnostics,
    shown: &str,
) -> Loaded {
    let mut site = None;
    let mut regions = Vec::new();
    let mut updates = Vec::new();
    let mut inputs = Vec::new();
    let mut watched = Vec::new();
    for ((_, job), (d, parsed, read)) in jobs.iter().zip(results) {
        diags.extend(d);
        inputs.extend(read);
        match parsed {
            Some(Parsed::Site(s)) => site = Some(s),
            Some(Parsed::Region(r)) => regions.push(r),
            Some(Parsed::Update(u, w)) => {
                updates.push(*u);
                watched.push(*w);
            }
            // An update with errors: its neighbours are not compared
            // across it.
            None => {
                if let Job::Update { slug, date, .. } = job {
                    watched.push(plausibility::Watched::invalid(slug, *date));
                }
            }
        }
    }
    inputs.sort();
    let content = site.map(|site| {
        regions.sort_by(|a: &Region, b| a.slug.cmp(&b.slug));
        updates.sort_by(|a: &Update, b| (&a.region, a.date).cmp(&(&b.region, b.date)));
        let mut c = Content {
            site,
            regions,
            updates,
        };
        diags.extend(translations::check(&mut c, shown));
        diags.extend(plausibility::check(watched));
        c
    });
    diags.sort();
    let content = content.filter(|_| diags.errors() == 0);
    Loaded {
        content,
        diagnostics: diags,
        inputs,
    }
}

/// Warnings for what the top of the content folder holds besides
/// `site.yaml` and `regions/` (hidden entries are ignored silently).
fn unexpected_at_top(dir: &Path, shown: &str) -> Result<Diagnostics, Failure> {
    let mut diags = Diagnostics::default();
    for entry in read_dir_sorted(dir)? {
        let name = entry
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        if name.starts_with('.') || name == "site.yaml" || name == "regions" {
            continue;
        }
        diags.push(
            Diagnostic::warning(
                &display_path(shown, &name),
                Pos::START,
                "ignored-file",
                "ignored: the content folder holds site.yaml and regions/ only",
            )
            .with_help(
                "move it out of the content folder, or hide it with a name starting with `.`",
            ),
        );
    }
    Ok(diags)
}

/// The narratives beside `<stem>.yaml`: `<stem>.md`, then
/// `<stem>.<code>.md` for each language relance writes.
/// `names` is the folder's listing: nothing is looked up on disk.
fn narrative_files(
    dir: &Path,
    stem: &str,
    names: &HashSet<&str>,
) -> Vec<(Option<Language>, PathBuf)> {
    let mut out = vec![(None, format!("{stem}.md"))];
    for lang in Language::ALL {
        out.push((Some(lang), format!("{stem}.{}.md", lang.code())));
    }
    // Anything with such a name (a FIFO too) is read, and refused there.
    out.into_iter()
        .filter(|(_, name)| names.contains(name.as_str()))
        .map(|(lang, name)| (lang, dir.join(name)))
        .collect()
}

/// Whether `path` (following links) resolves inside `root`.
pub fn inside(root: &Path, path: &Path) -> bool {
    path.canonicalize().is_ok_and(|real| real.starts_with(root))
}

/// Whether something (anything: a file, a link, a FIFO…) has this name.
fn present(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

pub fn display_path(shown: &str, rel: &str) -> String {
    let base = shown.trim_end_matches('/');
    if base.is_empty() || base == "." {
        rel.to_string()
    } else {
        format!("{base}/{rel}")
    }
}

/// One entry of a region folder, as its listing tells it.
struct Listed {
    path: PathBuf,
    name: String,
    /// A folder, or a link to one.
    is_dir: bool,
}

/// A region folder's entries, sorted, their kinds from the listing itself
/// (a link is followed to tell whether it leads to a folder).
fn list_folder(dir: &Path) -> Result<Vec<Listed>, Failure> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Failure::io(dir, e))? {
        let entry = entry.map_err(|e| Failure::io(dir, e))?;
        let path = entry.path();
        let is_dir = match entry.file_type() {
            Ok(t) if t.is_symlink() => path.is_dir(),
            Ok(t) => t.is_dir(),
            Err(_) => path.is_dir(),
        };
        let name = entry.file_name().to_string_lossy().to_string();
        out.push(Listed { path, name, is_dir });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn read_dir_sorted(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Failure::io(dir, e))? {
        out.push(entry.map_err(|e| Failure::io(dir, e))?.path());
    }
    out.sort();
    Ok(out)
}

/// What to do about a YAML syntax error, by what the parser said.
fn syntax_help(message: &str) -> Option<&'static str> {
    if message.contains("mapping values are not allowed") {
        // A plain text holding ": " reads as a second key on the line.
        Some(
            "a text that contains `: ` (a colon and a space) must be in quotes, \
             e.g. `title: \"Réseaux : ils ont tenu\"`; otherwise check the indentation",
        )
    } else if message.starts_with("YAML syntax error") {
        Some("check the indentation and that every `key:` is followed by a space")
    } else {
        None
    }
}

/// Reads, parses and validates one fact file (and its narrative).
fn process(dir: &Path, root: &Path, shown: &str, rel: &str, job: &Job) -> FileResult {
    let mut diags = Diagnostics::default();
    let mut inputs = Vec::new();
    let file = display_path(shown, rel);
    let Some(text) = read_text(dir, root, rel, &file, &mut diags, &mut inputs) else {
        return (diags, None, inputs);
    };
    let node = match yaml::parse(&text) {
        Err(e) => {
            let d = Diagnostic::error(&file, e.pos, "syntax", e.message.clone());
            diags.push(match syntax_help(&e.message) {
                Some(help) => d.with_help(help),
                None => d,
            });
            None
        }
        Ok(None) => {
            let what = match job {
                Job::Site => "site.yaml needs at least `title:` and `organisation:`",
                Job::Region { .. } => "region.yaml needs at least `name:`",
                Job::Update { .. } => "an update needs at least `title:` and `date:`",
            };
            diags.push(
                Diagnostic::error(&file, Pos::START, "empty-file", "the file is empty")
                    .with_help(what),
            );
            None
        }
        Ok(Some(node)) => Some(node),
    };
    let parsed = node.and_then(|node| {
        let mut check = FileCheck::new(file.clone(), &mut diags);
        match job {
            Job::Site => validate::site(&mut check, &node).map(Parsed::Site),
            Job::Region { slug } => validate::region(&mut check, &node, slug).map(Parsed::Region),
            Job::Update { slug, date, narratives } => {
                let mut update = validate::update(&mut check, &node, slug, *date);
                for (value, literal, raw) in narrative_values(&node, &text) {
                    if !check_narrative(&file, raw, Some((value, literal)), check.diags) {
                        update = None;
                    }
                }
                for (lang, md_path) in narratives {
                    let md_rel = format!("{}/{}", rel.rsplit_once('/').map_or("", |(d, _)| d), md_path.file_name().unwrap_or_default().to_string_lossy());
                    let md_file = display_path(shown, &md_rel);
                    let Some(md) = read_text(dir, root, &md_rel, &md_file, check.diags, &mut inputs) else {
                        update = None;
                        continue;
                    };
                    if !check_narrative(&md_file, &md, None, check.diags) {
                        update = None;
                    }
                    if let Some(u) = update.as_mut() {
                        if u.narrative.is_some() {
                            check.diags.push(
                                Diagnostic::error(&md_file, Pos::START, "narrative-twice", "this update has both a `narrative:` key and a .md narrative file")
                                    .with_help("keep one: delete the `narrative:` key or this file"),
                            );
                            update = None;
                        } else if !md.trim().is_empty() {
                            u.narrative_files.push((*lang, md));
                        }
                    }
                }
                // A file with errors (even one that only dropped a
                // section) is not compared, nor compared with.
                let watched = if check.diags.errors() == 0 {
                    plausibility::watched(&node, &text, slug, *date, &file)
                } else {
                    plausibility::Watched::invalid(slug, *date)
                };
                update.map(|u| Parsed::Update(Box::new(u), Box::new(watched)))
            }
        }
    });
    diags.attach_sources(|f| (f == file).then(|| text.clone()));
    (diags, parsed, inputs)
}

/// The `narrative:` texts of an update (one, or one per language of a
/// map): each text's position, whether it is a literal block
/// (`narrative: |`, whose lines are the file's), and the text.
fn narrative_values<'a>(node: &'a yaml::Node, source: &str) -> Vec<(Pos, bool, &'a str)> {
    let yaml::NodeKind::Map(entries) = &node.kind else {
        return Vec::new();
    };
    let literal = |k: &yaml::Node, v: &yaml::Node, key_len: usize| {
        let after_key: String = source
            .lines()
            .nth(k.pos.line.saturating_sub(1))
            .unwrap_or("")
            .chars()
            .skip(k.pos.column.saturating_sub(1) + key_len + 1)
            .collect();
        after_key.trim_start().starts_with('|') && v.pos.line > k.pos.line
    };
    let mut out = Vec::new();
    for (k, v) in entries {
        let yaml::NodeKind::Scalar { value: key, .. } = &k.kind else {
            continue;
        };
        if key != "narrative" {
            continue;
        }
        match &v.kind {
            yaml::NodeKind::Scalar { value, .. } => {
                out.push((v.pos, literal(k, v, key.len()), value.as_str()))
            }
            yaml::NodeKind::Map(by_language) => {
                for (code, text) in by_language {
                    if let (
                        yaml::NodeKind::Scalar { value: c, .. },
                        yaml::NodeKind::Scalar { value, .. },
                    ) = (&code.kind, &text.kind)
                    {
                        out.push((text.pos, literal(code, text, c.len()), value.as_str()));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Line and column (1-based, in characters) of a byte offset of `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Checks a narrative before anything renders it (nesting, images: see
/// `narrative::check`); false when it has errors. `key` is the position of
/// the `narrative:` value and whether it is a literal block, when the
/// narrative comes from the fact file rather than from a `.md` file.
fn check_narrative(
    file: &str,
    narrative: &str,
    key: Option<(Pos, bool)>,
    diags: &mut Diagnostics,
) -> bool {
    let mut ok = true;
    // A fact file's texts are checked by the validator; a `.md` file's
    // here, with the same rule (its line ends may be CRLF).
    let refused = key
        .is_none()
        .then(|| refused_character(narrative))
        .flatten();
    for f in refused.into_iter().chain(narrative::check(narrative)) {
        let (line, column) = line_col(narrative, f.offset);
        let pos = match key {
            None => Pos {
                line,
                column,
                width: 1,
            },
            Some((value, literal)) => key_position(value, literal, line, column),
        };
        ok &= !f.error;
        let d = if f.error {
            Diagnostic::error(file, pos, f.code, f.message)
        } else {
            Diagnostic::warning(file, pos, f.code, f.message)
        };
        let mut d = d.with_help(f.help);
        if key.is_none() {
            d.source_line = narrative.lines().nth(line - 1).map(str::to_string);
        }
        diags.push(d);
    }
    ok
}

/// The first character of a `.md` narrative that no text may hold (a
/// control character, a direction embedding left open…), as the validator
/// refuses it in a fact file.
fn refused_character(narrative: &str) -> Option<narrative::Finding> {
    let (offset, c, what) = narrative
        .char_indices()
        .filter(|&(_, c)| c != '\r')
        .find_map(|(i, c)| validate::refused(c).map(|what| (i, c, what)))?;
    Some(narrative::Finding {
        offset,
        error: true,
        code: "control-character",
        message: format!("the narrative contains {what} U+{:04X}", c as u32),
        help: "delete it (it is invisible in most editors; retype the text around it)",
    })
}

/// Where line `line`, column `column` of a `narrative:` value is in the
/// fact file: exact for a literal block (`narrative: |`, which starts at
/// its first line, indented), the value's start for other styles.
fn key_position(value: Pos, literal: bool, line: usize, column: usize) -> Pos {
    if !literal {
        return value;
    }
    Pos {
        line: value.line + line - 1,
        column: value.column - 1 + column,
        width: 1,
    }
}

/// Reads a file as UTF-8 text, refusing what a fact file can never be.
fn read_text(
    dir: &Path,
    root: &Path,
    rel: &str,
    file: &str,
    diags: &mut Diagnostics,
    inputs: &mut Vec<(String, u64)>,
) -> Option<String> {
    let path = dir.join(rel);
    let bytes = match read_bytes(root, &path, file) {
        Ok(b) => b,
        Err(d) => {
            diags.push(*d);
            return None;
        }
    };
    inputs.push((rel.to_string(), crate::fingerprint(&bytes)));
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    match decode_utf8(bytes, file) {
        Ok(text) => Some(text),
        Err(d) => {
            diags.push(*d);
            None
        }
    }
}

/// The bytes of a fact file, or the located reason it was not read.
fn read_bytes(root: &Path, path: &Path, file: &str) -> Result<Vec<u8>, Box<Diagnostic>> {
    let error = |code, message: String, help: &str| {
        Box::new(Diagnostic::error(file, Pos::START, code, message).with_help(help))
    };
    // A symlink may point anywhere; only what stays inside the content
    // folder is read. (Folders on the way were checked by `load`.)
    let meta = std::fs::symlink_metadata(path).map_err(|e| {
        error(
            "io",
            format!("cannot read the file: {e}"),
            "check that the file exists and can be read",
        )
    })?;
    if meta.file_type().is_symlink() {
        match path.canonicalize() {
            Err(e) => {
                return Err(error(
                    "io",
                    format!("this link cannot be followed: {e}"),
                    "fix the link or delete it",
                ));
            }
            Ok(real) if !real.starts_with(root) => {
                return Err(error(
                    "outside-content",
                    "this file is a link to a place outside the content folder; it was not read"
                        .into(),
                    "copy the file into the content folder instead of linking to it",
                ));
            }
            Ok(_) => {}
        }
    }
    // Only a regular file is read (a FIFO would block for ever, a device
    // never end), opened without blocking and never past the size limit.
    crate::fsafe::read_regular(path, MAX_FILE_BYTES).map_err(|e| match e {
        ReadFail::TooLarge(len) => error(
            "too-large",
            format!("the file is {len} bytes, more than the 10 MB a fact file may hold"),
            "a fact file holds one update's figures; keep large documents out of the content folder",
        ),
        ReadFail::NotRegular(kind) => error(
            "not-a-file",
            format!("this is {kind}, not a regular file; it was not read"),
            "replace it with an ordinary file, or delete it",
        ),
        ReadFail::Io(e) => error("io", format!("cannot read the file: {e}"), "check that the file can be read"),
    })
}

/// UTF-8 text, or an error at the first bad byte.
fn decode_utf8(bytes: Vec<u8>, file: &str) -> Result<String, Box<Diagnostic>> {
    String::from_utf8(bytes).map_err(|e| -> Box<Diagnostic> {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let before = String::from_utf8_lossy(valid);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Diagnostic::error(
            file,
            Pos {
                line,
                column,
                width: 1,
            },
            "encoding",
            "the file is not valid UTF-8 text",
        )
        .with_help("save it as UTF-8 (most editors offer this under \"Save as… / Encoding\")")
        .into()
    })
}
