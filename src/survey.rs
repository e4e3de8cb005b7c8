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

use std::collections::BTreeSet;
use std::path::Path;

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

/// The root folder, opened for stat-ing relative to it (never through a
/// link).
fn open_root(root: &Path) -> Option<rustix::fd::OwnedFd> {
    rustix::fs::open(
        root,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .ok()
}

/// The entry `rel` under the open root, its link not followed.
fn stat_at(dir: &rustix::fd::OwnedFd, rel: &str) -> Option<rustix::fs::Stat> {
    rustix::fs::statat(dir, rel, AtFlags::SYMLINK_NOFOLLOW).ok()
}

/// Every folder holding one of `files` (paths relative to the root, `/`
/// between components), ancestors included, the root excluded.
pub fn folders_of<'a>(files: impl Iterator<Item = &'a str>) -> BTreeSet<&'a str> {
    let mut out = BTreeSet::new();
    for path in files {
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
    let dir = open_root(root)?;
    let list = folders_of(files)
        .into_iter()
        .map(|rel| {
            let st = stat_at(&dir, rel)?;
            (FileType::from_raw_mode(st.st_mode) == FileType::Directory)
                .then(|| (rel.to_string(), look_of(&st)))
        })
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
    let Some(dir) = open_root(root) else {
        return false;
    };
    let files: Vec<&(String, Stamp)> = cache.units.values().flat_map(|u| &u.files).collect();
    root_holds_only(root, folders, &files)
        && folders.list.par_iter().all(|(rel, look)| {
            stat_at(&dir, rel).is_some_and(|st| {
                FileType::from_raw_mode(st.st_mode) == FileType::Directory
                    && look_of(&st) == *look
                    && folders.settled(look.mtime_ns.max(look.ctime_ns))
            })
        })
        && files.par_iter().with_min_len(1024).all(|(rel, stamp)| {
            stat_at(&dir, rel).is_some_and(|st| {
                FileType::from_raw_mode(st.st_mode) == FileType::RegularFile
                    && Stamp::from(look_of(&st)) == *stamp
                    && folders.settled(stamp.mtime_ns.into())
            })
        })
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
    }
}
