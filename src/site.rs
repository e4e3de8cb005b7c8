//! The disk output: the staging folder beside the output folder, the
//! incremental cache inside it, and the one atomic swap that publishes a
//! whole site. The pipeline (`crate::pipeline`) decides what to render;
//! this module decides only what is already on disk and how to publish.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::cache::{self, Stamp};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Failure;
use crate::pipeline::{Held, Options, Output, Unchanged, WriteStats};
use crate::render::OutputFile;
use rayon::prelude::*;

/// The file that marks a folder as relance's output, so that a mistyped
/// `--output` can never replace a folder relance did not make.
pub const MARKER: &str = ".relance-output";

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

/// The spare generation: the site as it was before the last publish, kept
/// hidden beside the output folder (same file system) so that the next
/// build brings it up to date in place, by writing only what differs, and
/// swaps it in. The generation swapped out becomes the next spare.
struct Spare {
    cache: cache::Cache,
    /// Its root, for checking its files where they are used.
    root: crate::survey::Root,
    /// What it holds that its cache does not list.
    strays: crate::survey::Strays,
}

/// `.<output>.relance-spare` beside the output folder.
pub fn spare_path(output: &Path) -> PathBuf {
    let (parent, prefix) = sibling(output, "spare");
    parent.join(prefix.trim_end_matches('-'))
}

/// The spare generation, when it can be trusted: a real folder (not a
/// link) made by relance, with a readable cache of this version, theme and
/// options. A build that started updating it removed its cache first, so a
/// spare left half-updated by a killed build is never trusted.
fn open_spare(output: &Path, theme: u64, pdf: bool) -> Option<Spare> {
    let path = spare_path(output);
    let real = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
    if !real || !path.join(MARKER).is_file() {
        return None;
    }
    let cache = cache::read(&path).ok().flatten()?;
    if cache.version != cache::version() || cache.theme != theme || cache.pdf != pdf {
        return None;
    }
    // Proved from its survey, not walked: a one-edit build of 100 000
    // updates no longer lists the two million files of the spare.
    let root = crate::survey::Root::open(&path)?;
    Some(Spare {
        strays: crate::survey::strays(&root, &cache)?,
        root,
        cache,
    })
}

/// Where a unit whose files need no rendering is taken from.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Source {
    /// Already in the spare generation, as the new site wants it.
    Spare,
    /// In the published output: hard-linked into the new generation.
    Output,
}

/// The output folder on disk. The new site is written into a generation
/// beside it (the spare, brought up to date in place, or a new staging
/// folder), then swapped in whole with one atomic exchange.
pub struct Disk {
    output: PathBuf,
    theme: u64,
    pdf: bool,
    cache: Option<cache::Cache>,
    /// Every file of the output folder with its stamp, once scanned (see
    /// [`Published`]: a build into a valid spare reads the output's cache
    /// instead).
    disk: cache::Scan,
    published: Published,
    spare: Option<Spare>,
    content_fp: u64,
    /// The content files as this build saw them, for the next one.
    inputs: cache::InputIndex,
    keys: BTreeMap<String, u64>,
    kept: BTreeMap<String, Source>,
    /// The file lists of the kept units, moved out of their source's
    /// cache (into the new cache, as they are: no path is copied).
    taken: Mutex<UnitFiles>,
    writer: Option<Writer>,
    written: Mutex<Written>,
    /// The run's embargo state, recorded in the cache.
    embargo: crate::embargo::Embargo,
    /// Notes about the output folder itself (an ignored cache).
    pub notes: Diagnostics,
    /// When the run began, before it looked at anything on disk.
    since: i128,
}

/// Where [`Disk`]'s table of published files comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Published {
    /// Not known yet.
    Unread,
    /// Every file of the output folder, stat-ed.
    Scanned,
    /// As the output's cache lists them, when content changed and the
    /// cache is trusted: the new site is the spare brought up to date or a
    /// new staging folder, and the output's files matter only where one is
    /// carried over, each checked then (its stamp for a kept unit, its
    /// bytes for a rendered file). A one-edit build of 10 000 updates no
    /// longer stats the 200 000 files of both generations, nor holds a
    /// table of the output's.
    Listed,
}

/// Replaces the published output's cache file (atomically: another run
/// reads either the old or the new one).
fn refresh_cache(output: &Path, cache: &cache::Cache) -> Result<(), Failure> {
    cache.save(&output.join(cache::CACHE_FILE))
}

/// Whether the scanned folders are exactly those holding `files` (an empty
/// folder made by hand is not part of the site) and no entry has a name
/// that is not UTF-8.
fn only_folders_of<'a>(scan: &cache::Scan, files: impl Iterator<Item = &'a str>) -> bool {
    only_folders(scan, &crate::survey::folders_of(files))
}

/// Whether the scanned folders are exactly `folders` and no entry has a
/// name that is not UTF-8.
fn only_folders(scan: &cache::Scan, folders: &BTreeSet<&str>) -> bool {
    scan.unnamed.is_empty()
        && scan
            .folders
            .iter()
            .map(String::as_str)
            .eq(folders.iter().copied())
}

/// How a generation's cache differs from the new site's files, unit by
/// unit, without a table of the site's paths: a path belongs to one unit,
/// so a path of a unit whose list is the same in both is in both, and a
/// path the generation lists is gone unless a unit whose list changed now
/// has it.
struct Diff<'o, 'n> {
    /// Paths the generation lists that the new site does not have.
    gone: Vec<&'o str>,
    /// The files of the new site's units that the generation does not list
    /// as they are (new units, units whose files changed): the only paths
    /// of the new site the generation may not list.
    new_paths: std::collections::HashSet<&'n str>,
}

type UnitFiles = std::collections::HashMap<String, Vec<(String, Stamp)>>;

impl<'o, 'n> Diff<'o, 'n> {
    /// `new`'s lists sorted by path, as a cache's are. Units for which
    /// `taken` holds left `old` with their lists, unchanged.
    fn between(
        old: &'o cache::Cache,
        new: &'n UnitFiles,
        taken: &dyn Fn(&str) -> bool,
    ) -> Diff<'o, 'n> {
        let same = |a: &[(String, Stamp)], b: &[(String, Stamp)]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.0 == y.0)
        };
        let new_paths: std::collections::HashSet<&str> = new
            .iter()
            .filter(|(id, _)| !taken(id))
            .filter(|(id, files)| old.units.get(*id).is_none_or(|u| !same(&u.files, files)))
            .flat_map(|(_, files)| files.iter().map(|(p, _)| p.as_str()))
            .collect();
        let gone = old
            .units
            .iter()
            .filter(|(id, u)| new.get(*id).is_none_or(|files| !same(&u.files, files)))
            .flat_map(|(_, u)| u.files.iter().map(|(p, _)| p.as_str()))
            .filter(|p| !new_paths.contains(p))
            .collect();
        Diff { gone, new_paths }
    }
}

/// What leaves the spare for the new site (`units`, sorted): the paths its
/// cache (`listed`) lists that the new site has no more, and its strays
/// that are not the new site's.
fn leaving_spare<'a>(
    listed: &'a cache::Cache,
    strays: &'a crate::survey::Strays,
    units: &UnitFiles,
    kept: &Kept,
) -> Vec<&'a str> {
    let diff = Diff::between(listed, units, &kept.from(Source::Spare));
    let strays = strays
        .entries
        .iter()
        .map(String::as_str)
        .filter(|p| !diff.new_paths.contains(p));
    diff.gone.iter().copied().chain(strays).collect()
}

/// How many published files the new site (`units`, sorted) no longer has.
fn removed_from(published: Table, units: &UnitFiles, taken: &dyn Fn(&str) -> bool) -> usize {
    match published {
        Table::Listed(c) => Diff::between(c, units, taken).gone.len(),
        Table::Scanned(scan) if scan.files.is_empty() && scan.others.is_empty() => 0,
        Table::Scanned(scan) => {
            let wanted: std::collections::HashSet<&str> =
                units.values().flatten().map(|(p, _)| p.as_str()).collect();
            // Entries that are not files (links…) count: the new site has
            // none.
            scan.files
                .keys()
                .chain(&scan.others)
                .filter(|p| !wanted.contains(p.as_str()))
                .count()
        }
    }
}

/// The unit `id` as `cache` lists it, if it was made from the key `key`.
fn cached<'c>(cache: &'c cache::Cache, id: &str, key: u64) -> Option<&'c cache::CachedUnit> {
    cache.units.get(id).filter(|u| u.key == key)
}

fn unit_matches(u: &cache::CachedUnit, files: &BTreeMap<String, Stamp>) -> bool {
    u.files.iter().all(|(p, s)| files.get(p) == Some(s))
}

impl Disk {
    /// Opens `output` for a run with `opts`: refuses dangerous folders,
    /// cleans what a killed build left, reads the caches.
    pub fn open(opts: &Options, output: &Path) -> Result<Disk, Failure> {
        let since = cache::now_ns();
        // An `--output` link publishes into the folder it leads to.
        let output = &crate::guard::resolve_output(output)?;
        crate::guard::refuse_cwd_inside(output)?;
        check_output_dir(&opts.content, output)?;
        recover(output)?;
        let theme = crate::pipeline::load_theme(opts)?.fingerprint();
        let mut notes = Diagnostics::default();
        let cache = trusted_cache(output, theme, opts.pdf, &mut notes);
        Ok(Disk {
            output: output.to_path_buf(),
            theme,
            pdf: opts.pdf,
            cache,
            disk: cache::Scan::default(),
            published: Published::Unread,
            spare: None,
            content_fp: 0,
            inputs: cache::InputIndex::default(),
            keys: BTreeMap::new(),
            kept: BTreeMap::new(),
            taken: Mutex::default(),
            writer: None,
            written: Mutex::new(Written::default()),
            embargo: crate::embargo::Embargo::default(),
            notes,
            since,
        })
    }

    /// The published files, compared with the new ones even when the
    /// cache is not trusted (another theme or options): unchanged bytes
    /// are kept as hard links and the counts stay true.
    fn scan_output(&mut self) {
        if self.published != Published::Scanned {
            self.disk = if self.output.join(MARKER).is_file() {
                cache::scan(&self.output)
            } else {
                cache::Scan::default()
            };
            self.published = Published::Scanned;
        }
    }

    /// Whether every file of a unit the output's cache lists is on disk
    /// as listed (stat-ed now when the table was not scanned).
    fn published_matches(&self, u: &cache::CachedUnit) -> bool {
        match self.published {
            Published::Listed => u
                .files
                .iter()
                .all(|(p, s)| Stamp::of_regular(&self.output.join(p)) == Some(*s)),
            _ => unit_matches(u, &self.disk.files),
        }
    }

    /// The published files as this build knows them.
    fn table(&self) -> Table<'_> {
        match (self.published, &self.cache) {
            (Published::Listed, Some(c)) => Table::Listed(c),
            _ => Table::Scanned(&self.disk),
        }
    }

    fn writer(&self) -> Result<&Writer, Failure> {
        self.writer
            .as_ref()
            .ok_or_else(|| Failure::Internal("the disk output was not begun".into()))
    }

    /// Records where `unit`'s files ended up in the new generation.
    fn push(&self, unit: &str, files: Vec<Placed>) {
        let changed = files.iter().filter(|f| f.changed).count();
        let list = files.into_iter().map(|f| (f.path, f.stamp)).collect();
        self.push_list(unit, list, changed);
    }

    /// Records `unit`'s files, `changed` of them not the published ones.
    fn push_list(&self, unit: &str, list: Vec<(String, Stamp)>, changed: usize) {
        let mut w = crate::pipeline::lock(&self.written);
        w.changed += changed;
        match w.units.get_mut(unit) {
            Some(known) => known.extend(list),
            None => {
                w.units.insert(unit.to_string(), list);
            }
        }
    }

    /// Moves the file lists of the kept units out of their source's cache,
    /// for [`Output::keep`] to hand over whole.
    fn take_kept(&mut self) {
        let mut lists = UnitFiles::with_capacity(self.kept.len());
        for (id, source) in &self.kept {
            let cache = match source {
                Source::Spare => self.spare.as_mut().map(|s| &mut s.cache),
                Source::Output => self.cache.as_mut(),
            };
            if let Some(u) = cache.and_then(|c| c.units.remove(id)) {
                lists.insert(id.clone(), u.files);
            }
        }
        self.taken = Mutex::new(lists);
    }

    /// Where each unit already exists as the new site wants it.
    fn sources(&self, units: &[(String, u64)]) -> BTreeMap<String, Source> {
        units
            .par_iter()
            .with_min_len(64)
            .filter_map(|(id, key)| {
                let source = if let Some(sp) = &self.spare
                    && let Some(u) = cached(&sp.cache, id, *key)
                    && sp.root.holds(&u.files)
                {
                    Source::Spare
                } else if let Some(c) = &self.cache
                    && let Some(u) = cached(c, id, *key)
                    && self.published_matches(u)
                {
                    Source::Output
                } else {
                    return None;
                };
                Some((id.clone(), source))
            })
            .collect()
    }

    /// After a no-op: files read because the index could not vouch for
    /// them (changed in the second they were indexed) and not changed
    /// since, or a new survey that vouches for what the old one could not,
    /// are recorded in the output's cache, so that the next run trusts the
    /// index and proves the output from the survey instead of reading and
    /// scanning again on every run. Nothing is written otherwise.
    fn record_settled(
        &self,
        c: &cache::Cache,
        folders: Option<crate::survey::Folders>,
    ) -> Result<(), Failure> {
        if self.inputs.settled == 0 && folders.is_none() {
            return Ok(());
        }
        let refreshed = cache::Cache {
            inputs: self.inputs.clone(),
            folders: folders.or_else(|| c.folders.clone()),
            ..c.clone()
        };
        refresh_cache(&self.output, &refreshed)
    }

    /// The files of a kept unit, as its source's cache lists them (before
    /// [`Disk::take_kept`]).
    fn kept_files(&self, unit: &str) -> &[(String, Stamp)] {
        let cache = match self.kept.get(unit) {
            Some(Source::Spare) => self.spare.as_ref().map(|s| &s.cache),
            Some(Source::Output) => self.cache.as_ref(),
            None => None,
        };
        cache
            .and_then(|c| c.units.get(unit))
            .map(|u| u.files.as_slice())
            .unwrap_or_default()
    }
}

impl Output for Disk {
    /// Nothing under content/ changed and the output on disk is exactly
    /// what the cache describes: nothing is parsed, rendered or written.
    fn unchanged(&mut self, opts: &Options) -> Result<Option<Unchanged>, Failure> {
        let before = self.cache.as_ref().map(|c| &c.inputs);
        let (content_fp, content_files, index) = if opts.content.is_dir() {
            cache::content_fingerprint(&opts.content, before)?
        } else {
            (0, 0, cache::InputIndex::default())
        };
        self.content_fp = content_fp;
        self.inputs = index;
        let Some(c) = &self.cache else {
            return Ok(None);
        };
        // The clock passing a `publish_at` changes the site as surely as
        // an edit does.
        if content_files > opts.limits.max_files
            || c.content != content_fp
            || !c.embargo.window.contains(opts.now())
        {
            return Ok(None);
        }
        if crate::survey::unchanged(&self.output, c) {
            // Proved from the survey: the index alone may need recording.
            self.record_settled(c, None)?;
            return Ok(Some(unchanged_from(c)));
        }
        let checked = cache::now_ns();
        self.scan_output();
        let Some(c) = &self.cache else {
            return Ok(None);
        };
        let files: usize = c.units.values().map(|u| u.files.len()).sum();
        let same = files == self.disk.files.len()
            && self.disk.others.is_empty()
            && only_folders_of(&self.disk, c.paths())
            && c.units.values().all(|u| unit_matches(u, &self.disk.files));
        if !same {
            return Ok(None);
        }
        let folders =
            crate::survey::survey(&self.output, c.paths(), checked).filter(|f| f.vouches_for(c));
        self.record_settled(c, folders)?;
        Ok(Some(unchanged_from(c)))
    }

    fn begin(&mut self, units: &[(String, u64)]) -> Result<Held, Failure> {
        self.keys = units.iter().cloned().collect();
        self.spare = open_spare(&self.output, self.theme, self.pdf);
        match (&self.cache, self.published) {
            // Its folders checked once: a file carried over from it is
            // then never reached through a link.
            (Some(c), Published::Unread)
                if self.output.join(MARKER).is_file()
                    && crate::survey::folders_are_real(&self.output, c) =>
            {
                self.published = Published::Listed;
            }
            _ => self.scan_output(),
        }
        let spare = spare_path(&self.output);
        self.writer = Some(if self.spare.is_some() {
            // From here on the spare is being changed: untrusted until done.
            fs::remove_file(spare.join(cache::CACHE_FILE)).map_err(|e| Failure::io(&spare, e))?;
            Writer::in_place(&spare, self.since)
        } else {
            if fs::symlink_metadata(&spare).is_ok() {
                remove_entry(&spare)?;
            }
            Writer::fresh(&self.output, self.since)?
        });
        self.kept = self.sources(units);
        let paths = self
            .kept
            .keys()
            .flat_map(|id| self.kept_files(id).iter().map(|(p, _)| p.as_str()))
            .collect();
        let held = Held {
            units: self.kept.keys().cloned().collect(),
            paths,
        };
        self.take_kept();
        Ok(held)
    }

    fn keep(&self, unit: &str) -> Result<(), Failure> {
        let writer = self.writer()?;
        // Every kept unit's list was taken: without it, the unit would be
        // recorded with no file.
        let list = crate::pipeline::lock(&self.taken)
            .remove(unit)
            .ok_or_else(|| Failure::Internal(format!("{unit} was kept without its files")))?;
        if self.kept.get(unit) == Some(&Source::Spare) {
            // The spare's file is the published one (a hard link to it) or
            // it changes the site, even when the unit's key is the same: a
            // published file replaced or deleted by hand is then put back.
            let published = self.table().of_unit(unit);
            let changed = list
                .iter()
                .filter(|(path, stamp)| published.get(path) != Some(*stamp))
                .count();
            self.push_list(unit, list, changed);
            return Ok(());
        }
        let mut placed = Vec::with_capacity(list.len());
        for (path, stamp) in list {
            placed.push(writer.keep(&self.output, path, stamp)?);
        }
        self.push(unit, placed);
        Ok(())
    }

    fn put(&self, unit: &str, files: Vec<OutputFile>) -> Result<(), Failure> {
        let spare = self.spare.as_ref().map(|s| Table::Listed(&s.cache));
        let writer = self.writer()?;
        let mut placed = Vec::with_capacity(files.len());
        for file in files {
            placed.push(writer.write(&self.output, self.table(), spare, unit, file)?);
        }
        self.push(unit, placed);
        Ok(())
    }

    fn embargo(&mut self, embargo: &crate::embargo::Embargo) {
        self.embargo = embargo.clone();
    }

    fn commit(&mut self, diags: &Diagnostics) -> Result<WriteStats, Failure> {
        let writer = self
            .writer
            .take()
            .ok_or_else(|| Failure::Internal("the disk output was not begun".into()))?;
        let written = std::mem::take(&mut *crate::pipeline::lock(&self.written));
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
            inputs: std::mem::take(&mut self.inputs),
            embargo: std::mem::take(&mut self.embargo),
            folders: None,
        };
        let stale = self.spare.as_ref().map(|s| (&s.cache, &s.strays));
        let published = self.table();
        let kept = Kept {
            keys: &self.keys,
            sources: &self.kept,
        };
        writer.finish(&self.output, published, stale, written, kept, header)
    }
}

/// What a no-op build reports: the run that made the output, from its
/// cache.
fn unchanged_from(c: &cache::Cache) -> Unchanged {
    let files: usize = c.units.values().map(|u| u.files.len()).sum();
    let count = |prefix: &str| c.units.keys().filter(|k| k.starts_with(prefix)).count();
    Unchanged {
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
        embargo: c.embargo.clone(),
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
            let spare = spare_path(output);
            if !output.exists() && path.join(MARKER).is_file() {
                fs::rename(&path, output).map_err(|e| Failure::io(&path, e))?;
            } else if fs::symlink_metadata(&spare).is_err() {
                // Killed after the new site went in: the old one is the spare.
                fs::rename(&path, &spare).map_err(|e| Failure::io(&path, e))?;
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

/// The published files as a build knows them.
#[derive(Clone, Copy)]
enum Table<'a> {
    /// Every entry of the output folder, stat-ed.
    Scanned(&'a cache::Scan),
    /// As the output's cache lists them, unit by unit (no table of its
    /// own: 35 MB for 200 000 files).
    Listed(&'a cache::Cache),
}

impl<'a> Table<'a> {
    /// The stamp of `unit`'s file `path`.
    fn get(&self, unit: &str, path: &str) -> Option<Stamp> {
        self.of_unit(unit).get(path)
    }

    /// Where `unit`'s files are, looked up once for all of them.
    fn of_unit(&self, unit: &str) -> UnitTable<'a> {
        match *self {
            Table::Scanned(scan) => UnitTable::Scanned(scan),
            Table::Listed(cache) => {
                UnitTable::Listed(cache.units.get(unit).map_or(&[], |u| u.files.as_slice()))
            }
        }
    }

    /// The stamp of `unit`'s file `path` in the generation at `root` as it
    /// is now: as scanned, or, when the cache lists it, stat-ed now
    /// without following a link (only a regular file is ever read or
    /// carried over, under its own stamp).
    fn now(&self, root: &Path, unit: &str, path: &str) -> Option<Stamp> {
        let listed = self.get(unit, path);
        match self {
            Table::Scanned(_) => listed,
            Table::Listed(_) => listed.and_then(|_| Stamp::of_regular(&root.join(path))),
        }
    }
}

/// A [`Table`] narrowed to one unit's files.
enum UnitTable<'a> {
    Scanned(&'a cache::Scan),
    /// Sorted by path (in a list put out of order by hand, fewer files
    /// are found: they are then written anew or counted as changed, never
    /// wrongly kept).
    Listed(&'a [(String, Stamp)]),
}

impl UnitTable<'_> {
    fn get(&self, path: &str) -> Option<Stamp> {
        match self {
            UnitTable::Scanned(scan) => scan.files.get(path).copied(),
            UnitTable::Listed(files) => {
                let at = files.binary_search_by(|(p, _)| p.as_str().cmp(path)).ok()?;
                Some(files[at].1)
            }
        }
    }
}

/// One file of the new site as it ended up in the new generation.
struct Placed {
    path: String,
    stamp: Stamp,
    /// False when the file is the same as the one already published.
    changed: bool,
}

/// Every file of the new generation, unit by unit (each unit's list made
/// at its size, then moved whole into the new cache: the files of a
/// 100 000-update site are never listed twice).
#[derive(Default)]
struct Written {
    units: UnitFiles,
    /// How many files differ from the published ones (or are new).
    changed: usize,
}

/// Fills the new generation beside the output folder and swaps it in
/// whole: a reader of the output folder sees the old site or the new one,
/// never a mix. The generation is either the spare, brought up to date in
/// place, or a new staging folder. A file already published is never
/// written into: files that change are replaced (new inode), files that do
/// not are hard links to the published ones, so nothing is copied.
struct Writer {
    root: PathBuf,
    /// A new staging folder (removed if the build fails), or `None` when
    /// the spare generation is updated in place.
    staging: Option<tempfile::TempDir>,
    /// Folders already created in the generation.
    made: Mutex<std::collections::HashSet<PathBuf>>,
    /// When the build began looking at the generations: what changed
    /// since is not settled in the surveys it records.
    since: i128,
}

/// Every unit's key, and where the kept units were taken from (their
/// lists left that cache: see [`Disk::take_kept`]).
struct Kept<'a> {
    keys: &'a BTreeMap<String, u64>,
    sources: &'a BTreeMap<String, Source>,
}

impl Kept<'_> {
    /// Whether `id` was kept from `source`.
    fn from(&self, source: Source) -> impl Fn(&str) -> bool + '_ {
        move |id| self.sources.get(id) == Some(&source)
    }
}

/// Removes a file, link or folder at `path` without following links.
fn remove_entry(path: &Path) -> Result<(), Failure> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => remove_tree(path),
        Ok(_) => fs::remove_file(path).map_err(|e| Failure::io(path, e)),
        // Gone, or under what is no longer a folder (removed already).
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            Ok(())
        }
        Err(e) => Err(Failure::io(path, e)),
    }
}

impl Writer {
    fn fresh(output: &Path, since: i128) -> Result<Self, Failure> {
        let (parent, prefix) = sibling(output, "tmp");
        fs::create_dir_all(&parent).map_err(|e| Failure::io(&parent, e))?;
        let staging = tempfile::Builder::new()
            .prefix(&prefix)
            .tempdir_in(&parent)
            .map_err(|e| Failure::io(&parent, e))?;
        Ok(Writer {
            root: staging.path().to_path_buf(),
            staging: Some(staging),
            made: Mutex::new(std::collections::HashSet::new()),
            since,
        })
    }

    fn in_place(spare: &Path, since: i128) -> Self {
        Writer {
            root: spare.to_path_buf(),
            staging: None,
            made: Mutex::new(std::collections::HashSet::new()),
            since,
        }
    }

    /// Where `rel` goes, its folder made; in the spare, whatever was there
    /// is removed first (it may be a link to a published file).
    fn target(&self, rel: &str) -> Result<PathBuf, Failure> {
        let target = safe_join(&self.root, rel)?;
        if let Some(dir) = target.parent() {
            let known = self.made.lock().map(|m| m.contains(dir)).unwrap_or(false);
            if !known {
                if self.staging.is_none() {
                    // A file or link where a folder belongs (a tampered spare).
                    for ancestor in dir.ancestors().take_while(|a| *a != self.root) {
                        if fs::symlink_metadata(ancestor).is_ok_and(|m| !m.is_dir()) {
                            remove_entry(ancestor)?;
                        }
                    }
                }
                fs::create_dir_all(dir).map_err(|e| Failure::io(dir, e))?;
                if let Ok(mut m) = self.made.lock() {
                    m.insert(dir.to_path_buf());
                }
            }
        }
        if self.staging.is_none() {
            remove_entry(&target)?;
        }
        Ok(target)
    }

    /// Carries a published file over unchanged (a hard link; a copy where
    /// the file system has none).
    fn keep(&self, output: &Path, rel: String, stamp: Stamp) -> Result<Placed, Failure> {
        let target = self.target(&rel)?;
        let source = output.join(&rel);
        let stamp = if fs::hard_link(&source, &target).is_ok() {
            stamp
        } else {
            fs::copy(&source, &target).map_err(|e| Failure::io(&target, e))?;
            Stamp::of(&fs::metadata(&target).map_err(|e| Failure::io(&target, e))?)
        };
        Ok(Placed {
            path: rel,
            stamp,
            changed: false,
        })
    }

    /// Writes a rendered file: a link to the published file when the bytes
    /// are the same, the spare's own file when it already has them, else a
    /// new file.
    fn write(
        &self,
        output: &Path,
        published: Table,
        spare: Option<Table>,
        unit: &str,
        file: OutputFile,
    ) -> Result<Placed, Failure> {
        let same = |root: &Path, stamp: &Stamp| {
            stamp.len == file.bytes.len() as u64
                && fs::read(root.join(&file.path)).is_ok_and(|old| old == file.bytes)
        };
        if let Some(stamp) = published.now(output, unit, &file.path)
            && same(output, &stamp)
        {
            return self.keep(output, file.path, stamp);
        }
        // A file the spare's cache lists for this unit (a file under a
        // stray folder or link is never taken for the site's).
        if let Some(stamp) = spare.and_then(|t| t.now(&self.root, unit, &file.path))
            && same(&self.root, &stamp)
        {
            return Ok(Placed {
                path: file.path,
                stamp,
                changed: true,
            });
        }
        let target = self.target(&file.path)?;
        fs::write(&target, &file.bytes).map_err(|e| Failure::io(&target, e))?;
        let stamp = Stamp::of(&fs::metadata(&target).map_err(|e| Failure::io(&target, e))?);
        Ok(Placed {
            path: file.path,
            stamp,
            changed: true,
        })
    }

    /// Removes from the spare what the new site does not have (`gone`:
    /// files its cache lists for units or paths that went, strays), and
    /// folders the new site does not need.
    fn prune(
        &self,
        gone: Vec<&str>,
        listed: &cache::Cache,
        strays: &crate::survey::Strays,
        needed: &BTreeSet<&str>,
    ) -> Result<(), Failure> {
        // An entry where the new site now has a folder was replaced (a
        // file or a link by a folder): it is not removed.
        let replaced =
            |rel: &str| fs::symlink_metadata(self.root.join(rel)).is_ok_and(|m| m.is_dir());
        let gone: Vec<&str> = gone.into_iter().filter(|p| !replaced(p)).collect();
        crate::testhook::abort_at("during-cleanup");
        gone.par_iter()
            .try_for_each(|rel| remove_entry(&self.root.join(rel)))?;
        for path in &strays.unnamed {
            remove_entry(path)?;
        }
        // Folders no wanted file is under (emptied by the removals, or made
        // by hand), deepest first: the generation must hold exactly the
        // site's files and their folders, as its survey will say.
        let mut folders: Vec<&str> = listed
            .folders
            .iter()
            .flat_map(|f| f.list.iter().map(|(p, _)| p.as_str()))
            .chain(strays.folders.iter().map(String::as_str))
            .collect();
        folders.sort_unstable();
        for rel in folders.iter().rev() {
            let path = self.root.join(rel);
            // A folder where the new site now has a file was replaced.
            if !needed.contains(rel) && fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
                remove_entry(&path)?;
            }
        }
        Ok(())
    }

    /// Writes the cache and swaps the new generation in; when nothing
    /// changed, keeps the published output and only refreshes its cache.
    fn finish(
        self,
        output: &Path,
        published: Table,
        stale: Option<(&cache::Cache, &crate::survey::Strays)>,
        written: Written,
        kept: Kept,
        mut cache: cache::Cache,
    ) -> Result<WriteStats, Failure> {
        let mut units = written.units;
        // Each unit's list is sorted so that the cache reads the same for
        // the same site, and so that two lists compare path by path.
        units
            .par_iter_mut()
            .for_each(|(_, files)| files.sort_unstable_by(|a, b| a.0.cmp(&b.0)));
        let files = units.values().map(Vec::len).sum();
        let stats = WriteStats {
            files,
            changed: written.changed,
            unchanged: files - written.changed,
            removed: removed_from(published, &units, &kept.from(Source::Output)),
            ..WriteStats::default()
        };
        let leaving = stale.map(|(listed, strays)| leaving_spare(listed, strays, &units, &kept));
        // Each unit's list moves into the cache as it is (no path copied).
        for (unit, files) in units {
            let key = kept.keys.get(&unit).copied().unwrap_or(0);
            cache.units.insert(unit, cache::CachedUnit { key, files });
        }
        let needed = crate::survey::folders_of(cache.paths());
        if let (Some(gone), Some((listed, strays))) = (leaving, stale) {
            self.prune(gone, listed, strays, &needed)?;
        }
        crate::testhook::abort_at("after-staging");
        let surveyed = crate::survey::survey_folders(&self.root, &needed, self.since);
        // Only a scanned output is known to equal the new generation.
        let same_as_output = stats.changed == 0
            && stats.removed == 0
            && matches!(published, Table::Scanned(scan) if only_folders(scan, &needed))
            && output.join(MARKER).is_file();
        let output_survey =
            same_as_output.then(|| crate::survey::survey_folders(output, &needed, self.since));
        drop(needed);
        cache.folders = surveyed;
        self.seal(&cache)?;
        let fresh = self.staging.map(tempfile::TempDir::keep);
        if let Some(folders) = output_survey {
            // Nothing to publish: the new generation equals the output and
            // becomes the spare; the output's cache is refreshed (with the
            // output's own folders).
            cache.folders = folders;
            refresh_cache(output, &cache)?;
            if let Some(staging) = fresh {
                fs::rename(&staging, spare_path(output)).map_err(|e| Failure::io(&staging, e))?;
            }
            return Ok(stats);
        }
        crate::testhook::abort_at("before-swap");
        swap_in(&self.root, output)?;
        Ok(stats)
    }

    /// Marks the generation as relance's and writes its cache.
    fn seal(&self, cache: &cache::Cache) -> Result<(), Failure> {
        let marker = self.root.join(MARKER);
        crate::fsafe::create_anew(&marker)
            .and_then(|mut f| {
                std::io::Write::write_all(
                    &mut f,
                    b"This folder is written by relance build; it is replaced whole on every build.\n",
                )
            })
            .map_err(|e| Failure::io(&marker, e))?;
        cache.save(&self.root.join(cache::CACHE_FILE))
    }
}

/// Publishes the generation at `new` as `output`: one atomic exchange where
/// the system has it, else renames (which `recover` completes if killed).
/// The generation swapped out is kept as the spare.
fn swap_in(new: &Path, output: &Path) -> Result<(), Failure> {
    let spare = spare_path(output);
    if !output.exists() {
        return fs::rename(new, output).map_err(|e| Failure::io(output, e));
    }
    if exchange(new, output).is_ok() {
        crate::testhook::abort_at("after-swap-before-cleanup");
        if new != spare {
            fs::rename(new, &spare).map_err(|e| Failure::io(new, e))?;
        }
        return Ok(());
    }
    let (parent, old_prefix) = sibling(output, "old");
    let old = parent.join(format!("{old_prefix}{}", std::process::id()));
    fs::rename(output, &old).map_err(|e| Failure::io(output, e))?;
    crate::testhook::abort_at("during-swap");
    fs::rename(new, output).map_err(|e| Failure::io(output, e))?;
    crate::testhook::abort_at("after-swap-before-cleanup");
    fs::rename(&old, &spare).map_err(|e| Failure::io(&old, e))
}

/// Removes a folder tree, its top-level entries in parallel.
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
    // Links are never followed: a link is removed, not what it points to.
    let real_dir = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
    let deeper = dir.join("regions");
    if real_dir(&deeper) {
        regions.retain(|p| p != &deeper);
        regions.extend(
            fs::read_dir(&deeper)
                .map_err(|e| Failure::io(&deeper, e))?
                .filter_map(Result::ok)
                .map(|e| e.path()),
        );
    }
    regions.par_iter().try_for_each(|p| {
        if real_dir(p) {
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
    if crate::paths::is_plain(rel) {
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
