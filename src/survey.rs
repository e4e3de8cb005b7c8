//! Proving a published site unchanged without reading its folders.
//!
//! A no-op build must not trust the cache over the disk, and walking the
//! 20 000 folders of a 10 000-update site to compare 200 000 entries cost
//! most of its time. A folder's own times change whenever an entry is
//! added to it, removed, renamed or replaced; a file's stamp changes when
//! it is written. So the cache also records every folder of the generation
//! it describes (the survey, taken once the generation is complete), and a
//! site is proved unchanged by stat-ing each listed folder and file once,
//! relative to the output folder, with no listing and no table built: if
//! every folder and file looks exactly as surveyed and none had changed
//! for a second when the run that took the survey began looking at the
//! disk (a change in the same tick of the clock would not show, "racily
//! clean" in git's words, and an entry added by hand while a build runs
//! must not become part of the baseline), nothing was added, removed or
//! edited. Anything less proves nothing, and the build falls back to
//! scanning the whole output as before.
//!
//! The spare generation (the previous site, brought up to date in place by
//! the next build that changes something) is proved the same way, folder
//! by folder rather than all or nothing: its cache keeps the survey it was
//! published with, the folders that still look as surveyed are known to
//! hold only the cache's files, and only the others are listed for strays
//! ([`strays`]); each file it keeps is stat-ed ([`Root::holds`]).

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustix::fs::{AtFlags, FileType, Mode, OFlags};

use crate::cache::{Cache, Look, Stamp, ns};

/// The folders of a generation as its survey found them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Folders {
    /// When the run that took the survey began looking at the generation
    /// (its check or its writing), in nanoseconds since the epoch.
    pub at_ns: i128,
    /// Every folder under the root (not the root itself), by path.
    pub list: Vec<(String, Look)>,
}

impl Folders {
    /// Whether a folder or file last changed at `changed_ns` is old enough
    /// for this survey to vouch for it.
    fn settled(&self, changed_ns: i128) -> bool {
        crate::cache::settled(changed_ns, self.at_ns)
    }

    /// Whether a folder recorded as `look` and found as `now` holds what
    /// it held when surveyed: it looks the same and had settled.
    fn vouches(&self, look: &Look, now: Option<Look>) -> bool {
        now.as_ref() == Some(look) && self.settled(look.mtime_ns.max(look.ctime_ns))
    }

    /// Whether this survey can vouch for every folder, and for every
    /// file of `cache` (by its modification time: a file's change time
    /// moves whenever a generation beside it links it).
    pub fn vouches_for(&self, cache: &Cache) -> bool {
        self.list
            .iter()
            .all(|(_, l)| self.settled(l.mtime_ns.max(l.ctime_ns)))
            && cache
                .units
                .values()
                .flat_map(|u| &u.files)
                .all(|(_, s)| self.settled(s.mtime_ns.into()))
    }
}

fn look_of(st: &rustix::fs::Stat) -> Look {
    Look {
        len: u64::try_from(st.st_size).unwrap_or(u64::MAX),
        mtime_ns: ns(st.st_mtime.into(), st.st_mtime_nsec.into()),
        ctime_ns: ns(st.st_ctime.into(), st.st_ctime_nsec.into()),
        ino: st.st_ino,
    }
}

/// A generation's root folder, open for stat-ing entries relative to it
/// (no path walked again from the file system's root for each of 200 000
/// files).
pub struct Root {
    fd: rustix::fd::OwnedFd,
    path: PathBuf,
}

impl Root {
    /// Opens `root`, never through a link.
    pub fn open(root: &Path) -> Option<Root> {
        rustix::fs::open(
            root,
            OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .ok()
        .map(|fd| Root {
            fd,
            path: root.to_path_buf(),
        })
    }

    /// The entry `rel` under the root, its link not followed.
    fn stat(&self, rel: &str) -> Option<rustix::fs::Stat> {
        rustix::fs::statat(&self.fd, rel, AtFlags::SYMLINK_NOFOLLOW).ok()
    }

    /// Whether `rel` is a folder (not a link to one), and how it looks.
    fn folder(&self, rel: &str) -> Option<Look> {
        self.stat(rel)
            .filter(|st| FileType::from_raw_mode(st.st_mode) == FileType::Directory)
            .map(|st| look_of(&st))
    }

    /// The stamp of the regular file `rel` (not a link), if it is one.
    fn file(&self, rel: &str) -> Option<Stamp> {
        self.stat(rel)
            .filter(|st| FileType::from_raw_mode(st.st_mode) == FileType::RegularFile)
            .map(|st| Stamp::from(look_of(&st)))
    }

    /// Whether each of `files` is a regular file with its recorded stamp.
    pub fn holds(&self, files: &[(String, Stamp)]) -> bool {
        files
            .iter()
            .all(|(rel, stamp)| self.file(rel) == Some(*stamp))
    }
}

/// Every folder holding one of `files` (paths relative to the root, `/`
/// between components), ancestors included, the root excluded.
pub fn folders_of<'a>(files: impl Iterator<Item = &'a str>) -> BTreeSet<&'a str> {
    let mut out = BTreeSet::new();
    // Files come folder by folder (a unit's list is sorted): a file in the
    // same folder as the one before adds nothing.
    let mut last = None;
    for path in files {
        let parent = path.rsplit_once('/').map(|(parent, _)| parent);
        if parent.is_some() && parent == last {
            continue;
        }
        last = parent;
        let mut rest = path;
        while let Some((parent, _)) = rest.rsplit_once('/') {
            if !out.insert(parent) {
                break;
            }
            rest = parent;
        }
    }
    out
}

/// Surveys the folders of the generation at `root`, which holds `files`
/// and nothing else as checked or written since `at_ns`: the survey
/// vouches only for what changed more than a second before that instant
/// (a change made after the check, even long before the survey, is then
/// never taken for settled). `None` when a folder cannot be stat-ed (no
/// proof will then be attempted).
pub fn survey<'a>(
    root: &Path,
    files: impl Iterator<Item = &'a str>,
    at_ns: i128,
) -> Option<Folders> {
    survey_folders(root, &folders_of(files), at_ns)
}

/// [`survey`] of the generation's `folders` ([`folders_of`] its files).
pub fn survey_folders(root: &Path, folders: &BTreeSet<&str>, at_ns: i128) -> Option<Folders> {
    let dir = Root::open(root)?;
    let list = folders
        .par_iter()
        .map(|rel| Some((rel.to_string(), dir.folder(rel)?)))
        .collect::<Option<Vec<_>>>()?;
    Some(Folders { at_ns, list })
}

/// Whether the generation at `root` is provably exactly what `cache`
/// describes: its survey's folders and every unit's files look as
/// recorded and settled, and the root holds only their top-level entries
/// and relance's own hidden files. `false` proves nothing.
pub fn unchanged(root: &Path, cache: &Cache) -> bool {
    let Some(folders) = &cache.folders else {
        return false;
    };
    let Some(dir) = Root::open(root) else {
        return false;
    };
    let files: Vec<&(String, Stamp)> = cache.units.values().flat_map(|u| &u.files).collect();
    root_holds_only(root, folders, &files)
        && folders
            .list
            .par_iter()
            .all(|(rel, look)| folders.vouches(look, dir.folder(rel)))
        && files.par_iter().with_min_len(1024).all(|(rel, stamp)| {
            dir.file(rel) == Some(*stamp) && folders.settled(stamp.mtime_ns.into())
        })
}

/// What a generation holds besides what its cache lists: entries found by
/// listing only the folders its survey cannot vouch for, and the root.
#[derive(Debug, Default)]
pub struct Strays {
    /// Entries that are not folders (files, links…), by path.
    pub entries: Vec<String>,
    /// Folders that hold none of the cache's files, by path.
    pub folders: Vec<String>,
    /// Entries whose names are not UTF-8 (never part of a site, and not
    /// walked), by their real path.
    pub unnamed: Vec<PathBuf>,
}

impl Strays {
    fn extend(&mut self, other: Strays) {
        self.entries.extend(other.entries);
        self.folders.extend(other.folders);
        self.unnamed.extend(other.unnamed);
    }
}

/// The strays of the generation open at `dir`, which `cache` describes, found
/// without walking the generation: a folder that looks as its survey
/// recorded it, settled, holds the same entries as then (adding, removing
/// or renaming an entry changes a folder's times), so only the root and
/// the other folders are listed. The cache's files themselves are checked
/// where they are used ([`Root::holds`]). `None`, and the generation is
/// not to be used, when there is no survey, the survey is not closed (see
/// [`closed_survey`]) or a surveyed folder is no longer a folder (gone, a
/// file, a link: what is under it cannot be stat-ed without following a
/// link).
pub fn strays(dir: &Root, cache: &Cache) -> Option<Strays> {
    let (folders, surveyed) = closed_survey(cache)?;
    let vouched: Vec<bool> = folders
        .list
        .par_iter()
        .map(|(rel, look)| {
            let now = dir.folder(rel)?;
            Some(folders.vouches(look, Some(now)))
        })
        .collect::<Option<_>>()?;
    let mut unsure: HashSet<&str> = HashSet::from([""]);
    unsure.extend(
        folders
            .list
            .iter()
            .zip(vouched)
            .filter(|(_, v)| !v)
            .map(|((rel, _), _)| rel.as_str()),
    );
    let listed: HashSet<&str> = cache
        .paths()
        .filter(|p| unsure.contains(parent(p)))
        .collect();
    let found: Vec<Strays> = unsure
        .par_iter()
        .map(|rel| list_folder(&dir.path, rel, &surveyed, &listed))
        .collect::<Option<_>>()?;
    let mut all = Strays::default();
    for part in found {
        all.extend(part);
    }
    Some(all)
}

/// The folder holding `rel` (empty for the root).
fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(parent, _)| parent)
}

/// `cache`'s survey and its folders by path, when it is closed: every file
/// the cache lists, and every surveyed folder, is in a surveyed folder (or
/// at the root). Checking the surveyed folders then checks every folder on
/// the way to a listed file, so that nothing under them is reached through
/// a link. A cache relance wrote always is; one edited by hand may not be.
fn closed_survey(cache: &Cache) -> Option<(&Folders, HashSet<&str>)> {
    let folders = cache.folders.as_ref()?;
    let surveyed: HashSet<&str> = folders.list.iter().map(|(p, _)| p.as_str()).collect();
    let inside = |rel: &str| {
        let up = parent(rel);
        up.is_empty() || surveyed.contains(up)
    };
    let closed = folders.list.iter().all(|(p, _)| inside(p)) && cache.paths().all(inside);
    closed.then_some((folders, surveyed))
}

/// Whether every folder on the way to a file `cache` lists under `root` is
/// a real folder (not a link, not gone): such a file is then stat-ed, read
/// or linked without crossing a link.
pub fn folders_are_real(root: &Path, cache: &Cache) -> bool {
    let Some(dir) = Root::open(root) else {
        return false;
    };
    match closed_survey(cache) {
        Some((folders, _)) => folders
            .list
            .par_iter()
            .all(|(rel, _)| dir.folder(rel).is_some()),
        None => folders_of(cache.paths())
            .par_iter()
            .all(|rel| dir.folder(rel).is_some()),
    }
}

/// The entries of the folder `rel` (empty for the root, whose relance
/// files are left out) that are neither `listed` files nor `surveyed`
/// folders; a folder that is not surveyed is walked whole (nothing under
/// it is part of the site).
fn list_folder(
    root: &Path,
    rel: &str,
    surveyed: &HashSet<&str>,
    listed: &HashSet<&str>,
) -> Option<Strays> {
    let mut out = Strays::default();
    for entry in std::fs::read_dir(root.join(rel)).ok()? {
        let entry = entry.ok()?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            out.unnamed.push(entry.path());
            continue;
        };
        if rel.is_empty() && crate::cache::is_own_file(name) {
            continue;
        }
        let child = match rel {
            "" => name.to_string(),
            _ => format!("{rel}/{name}"),
        };
        if entry.file_type().ok()?.is_dir() {
            if !surveyed.contains(child.as_str()) {
                let mut walked = crate::cache::Scan::default();
                crate::cache::walk(&entry.path(), &child, false, &mut walked);
                out.folders.push(child);
                out.folders.extend(walked.folders);
                out.entries
                    .extend(walked.files.into_keys().chain(walked.others));
                out.unnamed.extend(walked.unnamed);
            }
        } else if !listed.contains(child.as_str()) {
            out.entries.push(child);
        }
    }
    Some(out)
}

/// The root's own entries (its times change with the cache it holds, so
/// it is listed rather than surveyed): exactly the top-level folders and
/// files, besides relance's hidden files.
fn root_holds_only(root: &Path, folders: &Folders, files: &[&(String, Stamp)]) -> bool {
    let Ok(entries) = std::fs::read_dir(root) else {
        return false;
    };
    let mut found = BTreeSet::new();
    for entry in entries {
        let Ok(entry) = entry else {
            return false;
        };
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            return false;
        };
        if !crate::cache::is_own_file(name) {
            found.insert(name.to_string());
        }
    }
    let top = |p: &String| (!p.contains('/')).then(|| p.clone());
    let wanted: BTreeSet<String> = folders
        .list
        .iter()
        .filter_map(|(p, _)| top(p))
        .chain(files.iter().filter_map(|(p, _)| top(p)))
        .collect();
    found == wanted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_of_lists_every_ancestor_once() {
        let files = ["index.html", "a/b/c.txt", "a/b/d.txt", "a/e.txt", "f/g.txt"];
        let got: Vec<&str> = folders_of(files.into_iter()).into_iter().collect();
        assert_eq!(got, ["a", "a/b", "f"]);
        // In any order (a folder sorting before the last one, a subfolder
        // of it, names that extend others), every ancestor of every file.
        let files = [
            "c.txt",
            "a/b.txt",
            "ab/c.txt",
            "a/bc/d.txt",
            "a/x.txt",
            "a/b/y.txt",
            "b/z.txt",
        ];
        let every: BTreeSet<&str> = files
            .iter()
            .flat_map(|f| f.match_indices('/').map(|(i, _)| &f[..i]))
            .collect();
        for shift in 0..files.len() {
            for reversed in [false, true] {
                let mut order = files.to_vec();
                order.rotate_left(shift);
                if reversed {
                    order.reverse();
                }
                assert_eq!(folders_of(order.iter().copied()), every, "{order:?}");
            }
        }
    }
}
