//! The incremental-build cache, kept inside the output folder (so it is
//! swapped in atomically with the site it describes).
//!
//! It records, for the build that produced the output: relance's version,
//! the theme's fingerprint, the options, a fingerprint of the whole content
//! folder, the warnings, and for every render unit its input key and the
//! files it wrote with their size, modification time and inode. A unit is
//! reused only when its key matches *and* every one of its files is still on
//! disk exactly as recorded; anything else is re-rendered. A cache that
//! cannot be read is ignored with a warning, never trusted.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::content::model::{Date, Timestamp};
use crate::diagnostics::Diagnostic;
use crate::embargo::{Embargo, Pending, Window};
use crate::error::Failure;
use crate::survey::Folders;

pub const CACHE_FILE: &str = ".relance-cache";
/// Added to a path by [`Cache::save`] for the file it writes the cache
/// into before renaming it into place.
const TMP_SUFFIX: &str = ".tmp";

/// Whether `name`, at the top of a generation, is one of relance's own
/// files rather than part of the site: the cache (and the temporary file it
/// is written to) and the marker. Any other name is the site's, and a
/// stray one goes, hidden or not.
pub fn is_own_file(name: &str) -> bool {
    name == CACHE_FILE
        || name.strip_suffix(TMP_SUFFIX) == Some(CACHE_FILE)
        || name == crate::site::MARKER
}
const MAGIC: &str = "relance-cache 1";

/// How a file looked on disk when the cache was written. Its time fits 64
/// bits (nanoseconds from 1678 to 2262; a time outside is held at the
/// bound): a 100 000-update build keeps four lists of two million stamps,
/// and 128 bits made each stamp a third larger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub mtime_ns: i64,
    pub ino: u64,
}

impl Stamp {
    pub fn of(meta: &fs::Metadata) -> Stamp {
        Look::of(meta).into()
    }

    /// The stamp of the regular file at `path`, never following a link;
    /// `None` for anything else (missing, a link, a folder, a pipe).
    pub fn of_regular(path: &Path) -> Option<Stamp> {
        fs::symlink_metadata(path)
            .ok()
            .filter(fs::Metadata::is_file)
            .map(|m| Stamp::of(&m))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedUnit {
    pub key: u64,
    pub files: Vec<(String, Stamp)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cache {
    pub version: String,
    pub theme: u64,
    pub pdf: bool,
    /// Fingerprint of every file under the content folder.
    pub content: u64,
    pub warnings: Vec<Diagnostic>,
    pub units: BTreeMap<String, CachedUnit>,
    /// The fact files read for `content`, with their hashes and how they
    /// looked on disk: a file that still looks the same is not read again.
    pub inputs: InputIndex,
    /// The updates that build left pending, and the window of instants in
    /// which its set of due updates holds: outside it, the content must be
    /// looked at again even if no file changed.
    pub embargo: Embargo,
    /// The folders of the generation this cache describes, surveyed once
    /// it was complete: what lets a no-op build prove it unchanged
    /// without listing it (see [`crate::survey`]).
    pub folders: Option<Folders>,
}

/// How a content file looked on disk (as git's index records it): size,
/// modification and change times, inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    pub len: u64,
    pub mtime_ns: i128,
    pub ctime_ns: i128,
    pub ino: u64,
}

impl Look {
    fn of(meta: &fs::Metadata) -> Look {
        Look {
            len: meta.len(),
            mtime_ns: ns(meta.mtime().into(), meta.mtime_nsec().into()),
            ctime_ns: ns(meta.ctime().into(), meta.ctime_nsec().into()),
            ino: meta.ino(),
        }
    }
}

/// A stamp is a look without the change time (which moves whenever a
/// generation beside the file links it).
impl From<Look> for Stamp {
    fn from(l: Look) -> Stamp {
        let mtime_ns =
            i64::try_from(l.mtime_ns).unwrap_or(if l.mtime_ns < 0 { i64::MIN } else { i64::MAX });
        Stamp {
            len: l.len,
            mtime_ns,
            ino: l.ino,
        }
    }
}

/// A time as nanoseconds since the epoch, from its seconds and nanoseconds.
pub fn ns(secs: i128, nanos: i128) -> i128 {
    secs * 1_000_000_000 + nanos
}

/// Whether something last changed at `changed_ns` can be vouched for by a
/// look taken at `at_ns`: a change in the same tick of the clock as the
/// look would not show in the times ("racily clean", in git's words), so
/// only what is more than a second older is.
pub fn settled(changed_ns: i128, at_ns: i128) -> bool {
    changed_ns + 1_000_000_000 < at_ns
}

/// Content files by path: how each looked and the hash of its bytes, as
/// of `at_ns` (when they were looked at).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InputIndex {
    pub at_ns: i128,
    pub files: BTreeMap<String, (Look, u64)>,
    /// How many files had to be read to make this index (the previous one
    /// could not vouch for them) and can be trusted from it next time (not
    /// changed within a second of now); not stored.
    pub settled: usize,
}

impl InputIndex {
    /// The recorded hash of `rel`, when the file looks as recorded and was
    /// not changed in the same instant it was indexed (a "racily clean"
    /// file, in git's words, is hashed again).
    fn hash_of(&self, rel: &str, look: &Look) -> Option<u64> {
        let (known, hash) = self.files.get(rel)?;
        (known == look && settled(look.mtime_ns.max(look.ctime_ns), self.at_ns)).then_some(*hash)
    }
}

pub fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// relance's version and the hash of the sources it was built from: a
/// binary built from other sources (same version number) renders anew.
pub fn version() -> String {
    format!(
        "{}+{}",
        env!("CARGO_PKG_VERSION"),
        env!("RELANCE_SOURCE_HASH")
    )
}

impl Cache {
    /// The cache as text (builds stream it with [`Cache::save`]).
    #[cfg(test)]
    pub fn to_text(&self) -> String {
        let mut out = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = self.write_to(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    /// The path of every file the cache lists.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.units
            .values()
            .flat_map(|u| u.files.iter().map(|(p, _)| p.as_str()))
    }

    /// Writes the cache to `path`, streamed (the text of 200 000 files is
    /// never held whole: it was 32 MB at the peak of a one-edit build) into
    /// a temporary file renamed over `path` once complete: a build killed
    /// or a disk filled while it writes leaves no cache, never a cut one
    /// (which would parse, listing a unit with only some of its files).
    pub fn save(&self, path: &Path) -> Result<(), Failure> {
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(TMP_SUFFIX);
        let tmp = std::path::PathBuf::from(tmp);
        let file = crate::fsafe::create_anew(&tmp).map_err(|e| Failure::io(&tmp, e))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        self.write_to(&mut out)
            .and_then(|()| std::io::Write::flush(&mut out))
            .map_err(|e| Failure::io(&tmp, e))?;
        drop(out);
        fs::rename(&tmp, path).map_err(|e| Failure::io(path, e))
    }

    fn write_to(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        write!(
            out,
            "{MAGIC}\nversion {}\ntheme {:016x}\npdf {}\ncontent {:016x}\n",
            self.version,
            self.theme,
            u8::from(self.pdf),
            self.content
        )?;
        let bound = |x: Option<i64>| x.map_or_else(|| "-".to_string(), |x| x.to_string());
        let w = self.embargo.window;
        writeln!(out, "window {} {}", bound(w.since), bound(w.until))?;
        for p in &self.embargo.pending {
            writeln!(out, "pending {} {} {}", p.publish_at, p.date, p.region)?;
        }
        writeln!(out, "indexed {}", self.inputs.at_ns)?;
        for (path, (l, hash)) in &self.inputs.files {
            writeln!(
                out,
                "input {hash:016x} {} {} {} {} {path}",
                l.len, l.mtime_ns, l.ctime_ns, l.ino
            )?;
        }
        for w in &self.warnings {
            writeln!(
                out,
                "warning {}",
                serde_json::to_string(w).unwrap_or_default()
            )?;
        }
        if let Some(f) = &self.folders {
            writeln!(out, "surveyed {}", f.at_ns)?;
            for (path, l) in &f.list {
                writeln!(
                    out,
                    "folder {} {} {} {} {path}",
                    l.len, l.mtime_ns, l.ctime_ns, l.ino
                )?;
            }
        }
        let mut num = itoa::Buffer::new();
        for (id, unit) in &self.units {
            writeln!(out, "unit {:016x} {id}", unit.key)?;
            for (path, s) in &unit.files {
                // The most frequent line by far (200 000 at 10 000
                // updates), written without the formatting machinery.
                out.write_all(b"file ")?;
                out.write_all(num.format(s.len).as_bytes())?;
                out.write_all(b" ")?;
                out.write_all(num.format(s.mtime_ns).as_bytes())?;
                out.write_all(b" ")?;
                out.write_all(num.format(s.ino).as_bytes())?;
                out.write_all(b" ")?;
                out.write_all(path.as_bytes())?;
                out.write_all(b"\n")?;
            }
        }
        Ok(())
    }

    #[cfg(test)]
    pub fn parse(text: &str) -> Result<Cache, String> {
        let mut reading = CacheReader::default();
        reading.lines(text)?;
        reading.finish()
    }

    /// The magic line and the four fields that follow it, as a cache with
    /// nothing else yet.
    fn parse_header<S: AsRef<str>>(lines: &mut impl Iterator<Item = S>) -> Result<Cache, String> {
        if lines.next().as_ref().map(AsRef::as_ref) != Some(MAGIC) {
            return Err("not a relance cache of this format".into());
        }
        let mut field = |name: &str| -> Result<String, String> {
            let line = lines.next().ok_or("truncated")?;
            line.as_ref()
                .strip_prefix(name)
                .and_then(|r| r.strip_prefix(' '))
                .map(str::to_string)
                .ok_or_else(|| format!("expected `{name}`"))
        };
        let hex = |s: String| u64::from_str_radix(&s, 16).map_err(|e| e.to_string());
        let version = field("version")?;
        let theme = hex(field("theme")?)?;
        let pdf = field("pdf")? == "1";
        let content = hex(field("content")?)?;
        Ok(Cache {
            version,
            theme,
            pdf,
            content,
            warnings: Vec::new(),
            units: BTreeMap::new(),
            inputs: InputIndex::default(),
            embargo: Embargo::default(),
            folders: None,
        })
    }
}

/// A cache being read, a block of whole lines at a time.
#[derive(Default)]
struct CacheReader {
    /// Once its header is read.
    cache: Option<Cache>,
    /// The unit being read, inserted once its files are all read.
    current: Option<(String, CachedUnit)>,
}

impl CacheReader {
    /// Reads whole lines (`text` ends at a line's end, or at the file's).
    /// The header is read from the first block (about 100 bytes; one that
    /// does not fit in a block is refused as truncated).
    fn lines(&mut self, text: &str) -> Result<(), String> {
        let mut lines = text.split_terminator('\n');
        if self.cache.is_none() {
            self.cache = Some(Cache::parse_header(&mut lines)?);
        }
        lines.try_for_each(|line| self.line(line))
    }

    fn line(&mut self, line: &str) -> Result<(), String> {
        let cache = self.cache.as_mut().ok_or("truncated")?;
        let (kind, rest) = line.split_once(' ').ok_or("malformed line")?;
        match kind {
            "file" => {
                let (_, unit) = self.current.as_mut().ok_or("file before any unit")?;
                unit.files.push(parse_file(rest)?);
            }
            "unit" => {
                if let Some((id, unit)) = self.current.replace(parse_unit(rest)?) {
                    cache.units.insert(id, unit);
                }
            }
            "folder" => {
                let (look, path) = parse_look(rest)?;
                let folders = cache.folders.as_mut().ok_or("folder before survey")?;
                folders.list.push((plain(path)?.to_string(), look));
            }
            "input" => {
                let (hash, rest) = rest.split_once(' ').ok_or("malformed input line")?;
                let hash = u64::from_str_radix(hash, 16).map_err(|e| e.to_string())?;
                let (look, path) = parse_look(rest)?;
                cache.inputs.files.insert(path.to_string(), (look, hash));
            }
            "indexed" => cache.inputs.at_ns = rest.parse().map_err(|_| "bad time")?,
            "window" => cache.embargo.window = parse_window(rest)?,
            "pending" => cache.embargo.pending.push(parse_pending(rest)?),
            "surveyed" => {
                let at_ns = rest.parse().map_err(|_| "bad time")?;
                let list = Vec::new();
                cache.folders = Some(Folders { at_ns, list });
            }
            "warning" => cache
                .warnings
                .push(serde_json::from_str(rest).map_err(|e| e.to_string())?),
            _ => return Err(format!("unknown line kind `{kind}`")),
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Cache, String> {
        let mut cache = self.cache.take().ok_or("truncated")?;
        if let Some((id, unit)) = self.current.take() {
            cache.units.insert(id, unit);
        }
        Ok(cache)
    }
}

/// `<key> <id>`: a unit with no file yet, and its id.
fn parse_unit(rest: &str) -> Result<(String, CachedUnit), String> {
    let (key, id) = rest.split_once(' ').ok_or("malformed unit")?;
    let key = u64::from_str_radix(key, 16).map_err(|e| e.to_string())?;
    let files = Vec::new();
    Ok((id.to_string(), CachedUnit { key, files }))
}

/// `<len> <mtime> <inode> <path>`: a unit's file and its stamp.
fn parse_file(rest: &str) -> Result<(String, Stamp), String> {
    let mut parts = rest.splitn(4, ' ');
    let mut num = || parts.next().ok_or("malformed file line");
    let len = num()?.parse().map_err(|_| "bad length")?;
    let mtime_ns = num()?.parse().map_err(|_| "bad time")?;
    let ino = num()?.parse().map_err(|_| "bad inode")?;
    let path = plain(num()?)?.to_string();
    Ok((path, Stamp { len, mtime_ns, ino }))
}

/// A path as relance writes it: a cache that lists another (`/etc`,
/// `../x`) was not written by relance, and its paths are never used.
fn plain(path: &str) -> Result<&str, String> {
    if crate::paths::is_plain(path) {
        Ok(path)
    } else {
        Err(format!("a path that is not a site path: {path:?}"))
    }
}

/// `<len> <mtime> <ctime> <inode> <path>`: the look and the path.
fn parse_look(rest: &str) -> Result<(Look, &str), String> {
    let mut parts = rest.splitn(5, ' ');
    let mut next = || parts.next().ok_or("malformed line");
    let len = next()?.parse().map_err(|_| "bad length")?;
    let mtime_ns = next()?.parse().map_err(|_| "bad time")?;
    let ctime_ns = next()?.parse().map_err(|_| "bad time")?;
    let ino = next()?.parse().map_err(|_| "bad inode")?;
    let look = Look {
        len,
        mtime_ns,
        ctime_ns,
        ino,
    };
    Ok((look, next()?))
}

fn parse_window(rest: &str) -> Result<Window, String> {
    let bound = |s: &str| -> Result<Option<i64>, String> {
        match s {
            "-" => Ok(None),
            n => n.parse().map(Some).map_err(|_| "bad window".to_string()),
        }
    };
    let (since, until) = rest.split_once(' ').ok_or("malformed window")?;
    Ok(Window {
        since: bound(since)?,
        until: bound(until)?,
    })
}

fn parse_pending(rest: &str) -> Result<Pending, String> {
    let mut parts = rest.splitn(3, ' ');
    let mut next = || parts.next().ok_or("malformed pending line");
    let publish_at = Timestamp::parse(next()?)?;
    let date = Date::parse(next()?)?;
    Ok(Pending {
        publish_at,
        date,
        region: next()?.to_string(),
    })
}

/// How much of a cache is read at a time: a cache file is never held
/// whole (at 100 000 updates it is 180 MB of text).
const READ_BLOCK: usize = 1 << 20;

/// Reads the cache of `output`: `Ok(None)` when there is none, `Err` with a
/// reason when there is one that cannot be trusted.
pub fn read(output: &Path) -> Result<Option<Cache>, String> {
    use std::io::Read;
    let path = output.join(CACHE_FILE);
    let mut file = match fs::File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let mut reading = CacheReader::default();
    let mut buf = Vec::with_capacity(READ_BLOCK);
    loop {
        let room = READ_BLOCK.saturating_sub(buf.len()).max(1 << 16) as u64;
        let before = buf.len();
        let got = (&mut file)
            .take(room)
            .read_to_end(&mut buf)
            .map_err(|e| e.to_string())?;
        let end = if got == 0 {
            buf.len()
        } else {
            // Whole lines only; a line longer than a block waits for more
            // (what was read before holds no line's end: only the new
            // bytes are searched).
            match buf[before..].iter().rposition(|b| *b == b'\n') {
                Some(last) => before + last + 1,
                None => continue,
            }
        };
        let text = std::str::from_utf8(&buf[..end]).map_err(|_| "the cache is not text")?;
        reading.lines(text)?;
        buf.drain(..end);
        if got == 0 {
            return reading.finish().map(Some);
        }
    }
}

/// The sub-trees of a site folder worth walking in parallel: each region
/// folder on its own, and everything else.
fn subtrees(dir: &Path) -> Vec<(std::path::PathBuf, bool)> {
    let mut out = vec![(dir.to_path_buf(), true)];
    if let Ok(entries) = fs::read_dir(dir.join("regions")) {
        let mut list: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| (e.path(), false))
            .collect();
        list.sort();
        out.extend(list);
    }
    out
}

/// What a site folder holds: every regular file with its stamp, and every
/// other entry that is not a folder (links, pipes…), which a site never
/// has. Hidden relance files at the top are left out.
#[derive(Debug, Default)]
pub struct Scan {
    pub files: BTreeMap<String, Stamp>,
    pub others: Vec<String>,
    /// Every folder (the root left out).
    pub folders: std::collections::BTreeSet<String>,
    /// Entries whose names are not UTF-8 (never part of a site), by their
    /// real path; their contents are not walked.
    pub unnamed: Vec<std::path::PathBuf>,
}

impl Scan {
    /// An entry that is not a folder, as its own (not followed) metadata
    /// shows it: a regular file with its stamp, anything else an other.
    fn record(&mut self, rel: String, meta: std::io::Result<fs::Metadata>) {
        match meta {
            Ok(m) if m.is_file() => {
                self.files.insert(rel, Stamp::of(&m));
            }
            _ => self.others.push(rel),
        }
    }
}

/// Walks a site folder, each region folder in parallel. Links are never
/// followed, not even at the root of a sub-tree: a link is an entry of its
/// own (so that removing it can never delete through it). Entries are
/// stat-ed relative to their open folder (no path walked again from the
/// root for each of 200 000 files: a no-op build of 10 000 updates spent
/// most of its time there).
pub fn scan(dir: &Path) -> Scan {
    use rayon::prelude::*;
    let regions = dir.join("regions");
    let regions_real = fs::symlink_metadata(&regions).is_ok_and(|m| m.is_dir());
    let trees: Vec<(std::path::PathBuf, bool)> = if regions_real {
        subtrees(dir)
    } else {
        vec![(dir.to_path_buf(), true)]
    };
    let parts: Vec<Scan> = trees
        .par_iter()
        .map(|(root, top)| {
            let mut out = Scan::default();
            if *top {
                // The top walk skips regions/, whose folders are walked apart.
                walk(root, "", regions_real, &mut out);
                return out;
            }
            let rel = root
                .strip_prefix(dir)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            match fs::symlink_metadata(root) {
                Ok(m) if m.is_dir() => {
                    out.folders.insert(rel.clone());
                    walk(root, &rel, false, &mut out);
                }
                Ok(m) => out.record(rel, Ok(m)),
                Err(_) => {}
            }
            out
        })
        .collect();
    let mut all = Scan::default();
    if regions_real {
        all.folders.insert("regions".to_string());
    }
    for part in parts {
        all.files.extend(part.files);
        all.others.extend(part.others);
        all.folders.extend(part.folders);
        all.unnamed.extend(part.unnamed);
    }
    all
}

/// The entries under the folder `path` (`rel` from the site's root, empty
/// for the root itself) into `out`; at the root, relance's own hidden
/// files are left out, and `regions/` too when `skip_regions`. Unreadable
/// entries are left out: whatever then differs from the cache is redone.
pub(crate) fn walk(path: &Path, rel: &str, skip_regions: bool, out: &mut Scan) {
    let Ok(entries) = fs::read_dir(path) else {
        return;
    };
    // Sub-folders are walked once this folder is closed: however deep a
    // tree (a stray chain of folders made by hand), one folder is open at a
    // time per walk.
    let mut folders = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            // Never a site path (they are UTF-8), and not one a relative
            // path could name for removal: kept as the real path.
            out.unnamed.push(entry.path());
            continue;
        };
        if rel.is_empty() && (is_own_file(name) || (skip_regions && name == "regions")) {
            continue;
        }
        let child = match rel {
            "" => name.to_string(),
            _ => format!("{rel}/{name}"),
        };
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            out.folders.insert(child.clone());
            folders.push((entry.path(), child));
            continue;
        }
        // Not followed: the entry's own metadata, as `file_type` is.
        out.record(child, entry.metadata());
    }
    for (folder, child) in folders {
        walk(&folder, &child, false, out);
    }
}

/// What one entry of the content folder is, as `load` will see it.
enum Seen {
    Missing,
    /// A link leading outside the content folder (or nowhere): never followed.
    Outside,
    Dir,
    File(Look),
    Other(String),
}

fn look(root: &Path, path: &Path) -> Seen {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            if !crate::content::inside(root, path) {
                return Seen::Outside;
            }
            fs::metadata(path)
        }
        other => other,
    };
    match meta {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Seen::Missing,
        Err(e) => Seen::Other(e.to_string()),
        Ok(m) if m.is_dir() => Seen::Dir,
        Ok(m) if m.is_file() => Seen::File(Look::of(&m)),
        Ok(m) => Seen::Other(crate::fsafe::kind_of(&m.file_type()).to_string()),
    }
}

/// The fingerprint of one entry: its bytes for a fact file or narrative
/// (streamed, at most the fact-file limit), what it is for anything else.
/// Problems are folded into the fingerprint, not reported: `load` reports
/// them, located, when the fingerprint differs from the cache's.
fn entry_print(root: &Path, path: &Path, read: Option<Reading>) -> u64 {
    use crate::fsafe::{ReadFail, hash_regular};
    let tag = |t: &str| crate::fingerprint(t.as_bytes());
    match look(root, path) {
        Seen::Missing => tag("missing"),
        Seen::Outside => tag("outside"),
        Seen::Dir => tag("folder"),
        Seen::Other(what) => tag(&format!("other {what}")),
        Seen::File(_) if read.is_none() => tag("file"),
        Seen::File(look) => {
            let Some(Reading { rel, before, after }) = read else {
                return tag("file");
            };
            if let Some(hash) = before.and_then(|b| b.hash_of(rel, &look)) {
                after.push((rel.to_string(), (look, hash)));
                return hash;
            }
            match hash_regular(path, crate::content::MAX_FILE_BYTES) {
                Ok(h) => {
                    after.push((rel.to_string(), (look, h)));
                    h
                }
                Err(ReadFail::TooLarge(n)) => tag(&format!("too large {n}")),
                Err(e) => tag(&format!("unreadable {e}")),
            }
        }
    }
}

/// A fact file to fingerprint: its path in the content folder, the index
/// of the previous build, and where the new index entries go.
struct Reading<'a> {
    rel: &'a str,
    before: Option<&'a InputIndex>,
    after: &'a mut Vec<(String, (Look, u64))>,
}

/// The visible entries of a folder, sorted (names starting with `.` are
/// ignored by `load`, so they are not even looked at).
fn visible_entries(dir: &Path) -> Result<Vec<String>, Failure> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| Failure::io(dir, e))? {
        let name = entry.map_err(|e| Failure::io(dir, e))?.file_name();
        let name = name.to_string_lossy().to_string();
        if !name.starts_with('.') {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// Fingerprint of what a build reads from the content folder, computed
/// without parsing: the fast path of a build where nothing changed. Only
/// what `load` looks at counts: `site.yaml`, and under `regions/` each
/// region folder's `.yaml` and `.md` files (their bytes) and the names of
/// everything else. Nothing outside the folder is followed, nothing that is
/// not a regular file is opened, no file is held in memory. Also returns
/// how many fact files there are.
pub fn content_fingerprint(
    dir: &Path,
    before: Option<&InputIndex>,
) -> Result<(u64, usize, InputIndex), Failure> {
    use rayon::prelude::*;
    let at_ns = now_ns();
    let root = dir.canonicalize().map_err(|e| Failure::io(dir, e))?;
    let mut index = Vec::new();
    let site = Reading {
        rel: "site.yaml",
        before,
        after: &mut index,
    };
    let mut files = vec![(
        "site.yaml".to_string(),
        entry_print(&root, &dir.join("site.yaml"), Some(site)),
    )];
    let regions = dir.join("regions");
    let mut region_dirs = Vec::new();
    if matches!(look(&root, &regions), Seen::Dir) {
        for name in visible_entries(&regions)? {
            let path = regions.join(&name);
            let rel = format!("regions/{name}");
            if matches!(look(&root, &path), Seen::Dir) {
                region_dirs.push((rel, path));
            } else {
                files.push((rel, entry_print(&root, &path, None)));
            }
        }
    } else {
        files.push(("regions".into(), entry_print(&root, &regions, None)));
    }
    type Part = (Vec<(String, u64)>, Vec<(String, (Look, u64))>);
    let parts: Vec<Result<Part, Failure>> = region_dirs
        .par_iter()
        .map(|(rel, path)| {
            let mut out = vec![(rel.clone(), crate::fingerprint(b"folder"))];
            let mut seen = Vec::new();
            for name in visible_entries(path)? {
                let file = format!("{rel}/{name}");
                let read = (name.ends_with(".yaml") || name.ends_with(".md")).then(|| Reading {
                    rel: &file,
                    before,
                    after: &mut seen,
                });
                let print = entry_print(&root, &path.join(&name), read);
                out.push((file, print));
            }
            Ok((out, seen))
        })
        .collect();
    for part in parts {
        let (prints, seen) = part?;
        files.extend(prints);
        index.extend(seen);
    }
    files.sort();
    let count = files.iter().filter(|(n, _)| n.ends_with(".yaml")).count();
    let mut all = crate::Fingerprint::default();
    for (name, fp) in files {
        all.write(name.as_bytes());
        all.write(&[0]);
        all.write(&fp.to_le_bytes());
    }
    let mut index = InputIndex {
        at_ns,
        files: index.into_iter().collect(),
        settled: 0,
    };
    index.settled = index
        .files
        .iter()
        .filter(|(rel, (look, _))| {
            before.and_then(|b| b.hash_of(rel, look)).is_none()
                && index.hash_of(rel, look).is_some()
        })
        .count();
    Ok((all.finish(), count, index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut units = BTreeMap::new();
        units.insert(
            "update:a/2020-05-14".to_string(),
            CachedUnit {
                key: 42,
                files: vec![
                    (
                        "regions/a/2020-05-14/index.html".into(),
                        Stamp {
                            len: 10,
                            mtime_ns: 123,
                            ino: 7,
                        },
                    ),
                    // The bounds a stamp's time is held at, and before 1970.
                    (
                        "regions/a/2020-05-14/x.png".into(),
                        Stamp {
                            len: u64::MAX,
                            mtime_ns: i64::MIN,
                            ino: u64::MAX,
                        },
                    ),
                    (
                        "regions/a/2020-05-14/y.png".into(),
                        Stamp {
                            len: 0,
                            mtime_ns: -1,
                            ino: 0,
                        },
                    ),
                    (
                        "regions/a/2020-05-14/z.png".into(),
                        Stamp {
                            len: 1,
                            mtime_ns: i64::MAX,
                            ino: 1,
                        },
                    ),
                ],
            },
        );
        let c = Cache {
            version: "1".into(),
            theme: 1,
            pdf: true,
            content: 2,
            warnings: Vec::new(),
            units,
            inputs: InputIndex {
                at_ns: 1_700_000_000_000_000_000,
                files: [(
                    "regions/a/2020-05-14.yaml".to_string(),
                    (
                        Look {
                            len: 5,
                            mtime_ns: 1,
                            ctime_ns: 2,
                            ino: 3,
                        },
                        0xfeed,
                    ),
                )]
                .into_iter()
                .collect(),
                settled: 0,
            },
            embargo: Embargo {
                pending: vec![Pending {
                    region: "a".into(),
                    date: Date::parse("2020-05-14").unwrap(),
                    publish_at: Timestamp::parse("2020-05-14T18:00:00+02:00").unwrap(),
                }],
                window: Window {
                    since: None,
                    until: Some(1_589_472_000),
                },
            },
            folders: Some(Folders {
                at_ns: 1_700_000_000_000_000_001,
                list: vec![(
                    "regions/a 1".to_string(),
                    Look {
                        len: 60,
                        mtime_ns: 4,
                        ctime_ns: 5,
                        ino: 6,
                    },
                )],
            }),
        };
        assert_eq!(Cache::parse(&c.to_text()).unwrap(), c);
        assert!(Cache::parse("garbage").is_err());
        assert!(Cache::parse("relance-cache 1\nversion 1\n").is_err());
        // A cache naming a file or folder outside its generation was not
        // written by relance: refused, so that no path of it is used.
        let text = c.to_text();
        for (from, to) in [
            ("7 regions/a/2020-05-14/index.html", "7 ../index.html"),
            ("7 regions/a/2020-05-14/index.html", "7 /etc/passwd"),
            ("7 regions/a/2020-05-14/index.html", "7 regions//index.html"),
            ("6 regions/a 1", "6 regions/./a"),
            ("6 regions/a 1", "6 /tmp"),
        ] {
            assert!(text.contains(from));
            let forged = text.replace(from, to);
            assert!(Cache::parse(&forged).is_err(), "{to} accepted");
        }
    }

    /// A cache of several blocks, with a line longer than a block, reads
    /// back from its file as written: no line is cut or lost at a block's
    /// edge.
    #[test]
    fn a_cache_larger_than_a_block_reads_back_whole() {
        let stamp = |i: u64| Stamp {
            len: i,
            mtime_ns: 1_700_000_000_000_000_000 + i as i64,
            ino: i * 7,
        };
        let units: BTreeMap<String, CachedUnit> = (0..3_000u64)
            .map(|u| {
                let files = (0..20)
                    .map(|f| {
                        (
                            format!("regions/r-{u}/2020-05-{f:02}/index.html"),
                            stamp(u * 20 + f),
                        )
                    })
                    .collect();
                (format!("update:r-{u}"), CachedUnit { key: u, files })
            })
            .collect();
        let long = Diagnostic::warning(
            "x.yaml",
            crate::content::yaml::Pos::START,
            "x",
            "x".repeat(READ_BLOCK * 2),
        );
        let c = Cache {
            version: "1".into(),
            theme: 1,
            pdf: false,
            content: 2,
            warnings: vec![long],
            units,
            inputs: InputIndex::default(),
            embargo: Embargo::default(),
            folders: None,
        };
        let dir = tempfile::tempdir().unwrap();
        c.save(&dir.path().join(CACHE_FILE)).unwrap();
        let size = fs::metadata(dir.path().join(CACHE_FILE)).unwrap().len();
        assert!(
            size > 4 * READ_BLOCK as u64,
            "{size} bytes: too small to cross blocks"
        );
        assert_eq!(read(dir.path()).unwrap(), Some(c.clone()));
        // The last line without its line end reads the same.
        let text = c.to_text();
        fs::write(dir.path().join(CACHE_FILE), text.trim_end_matches('\n')).unwrap();
        assert_eq!(read(dir.path()).unwrap(), Some(c));
        // A cut header, bytes that are not text: refused.
        fs::write(
            dir.path().join(CACHE_FILE),
            "relance-cache 1\nversion 1\ntheme",
        )
        .unwrap();
        assert!(read(dir.path()).is_err());
        fs::write(dir.path().join(CACHE_FILE), b"relance-cache 1\n\xff\n").unwrap();
        assert_eq!(read(dir.path()), Err("the cache is not text".to_string()));
    }

    #[test]
    fn an_index_entry_is_trusted_only_when_the_file_looks_the_same_and_is_not_racy() {
        let look = Look {
            len: 5,
            mtime_ns: 1_000,
            ctime_ns: 1_000,
            ino: 3,
        };
        let mut index = InputIndex {
            at_ns: 10_000_000_000,
            files: [("a.yaml".to_string(), (look, 42))].into_iter().collect(),
            settled: 0,
        };
        assert_eq!(index.hash_of("a.yaml", &look), Some(42));
        assert_eq!(index.hash_of("b.yaml", &look), None);
        for other in [
            Look { len: 6, ..look },
            Look { ino: 4, ..look },
            Look {
                mtime_ns: 2_000,
                ..look
            },
            Look {
                ctime_ns: 2_000,
                ..look
            },
        ] {
            assert_eq!(index.hash_of("a.yaml", &other), None, "{other:?}");
        }
        // Changed in the second it was indexed: hashed again.
        index.at_ns = 1_500;
        assert_eq!(index.hash_of("a.yaml", &look), None);
    }
}
