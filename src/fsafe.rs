//! Reading files that a hostile or careless user may have put in the
//! content folder: never block on open (a FIFO, a device), never read more
//! than a limit, never read anything that is not a regular file. And
//! creating relance's own files where such a user may have put a link.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadFail {
    /// Not a regular file: what it is instead ("a named pipe (FIFO)"…).
    NotRegular(&'static str),
    /// Larger than the limit: its size in bytes.
    TooLarge(u64),
    Io(io::Error),
}

impl std::fmt::Display for ReadFail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadFail::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadFail::TooLarge(len) => write!(f, "it is {len} bytes, over the limit"),
            ReadFail::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Creates `path` as a new file, for writing: whatever was at its name (a
/// file, a link put there by hand, a folder) is removed first, never
/// written or deleted through.
pub fn create_anew(path: &Path) -> io::Result<File> {
    match std::fs::symlink_metadata(path) {
        // `remove_dir_all` does not follow links, inside or at the top.
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path)?,
        Ok(_) => std::fs::remove_file(path)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    OpenOptions::new().write(true).create_new(true).open(path)
}

/// What a file type is, in words, for messages.
pub fn kind_of(ft: &std::fs::FileType) -> &'static str {
    if ft.is_file() {
        "a regular file"
    } else if ft.is_dir() {
        "a folder"
    } else if ft.is_fifo() {
        "a named pipe (FIFO)"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_block_device() || ft.is_char_device() {
        "a device"
    } else if ft.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

/// Opens `path` (following links) for reading without ever blocking, and
/// only if it is a regular file. `O_NONBLOCK` makes opening a FIFO or a
/// device return at once; the type is then checked on the open descriptor,
/// so a file swapped in between cannot slip through.
pub fn open_regular(path: &Path) -> Result<(File, u64), ReadFail> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(ReadFail::Io)?;
    let meta = file.metadata().map_err(ReadFail::Io)?;
    if !meta.file_type().is_file() {
        return Err(ReadFail::NotRegular(kind_of(&meta.file_type())));
    }
    Ok((file, meta.len()))
}

/// Reads a whole regular file of at most `max` bytes.
pub fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>, ReadFail> {
    let (file, len) = open_regular(path)?;
    if len > max {
        return Err(ReadFail::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // The file may grow after the check: never read past the limit.
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadFail::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadFail::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Streams a regular file of at most `max` bytes through the fingerprint,
/// holding one small buffer at a time.
pub fn hash_regular(path: &Path, max: u64) -> Result<u64, ReadFail> {
    let (file, len) = open_regular(path)?;
    if len > max {
        return Err(ReadFail::TooLarge(len));
    }
    let mut hasher = crate::Fingerprint::default();
    let mut reader = file.take(max.saturating_add(1));
    let mut buf = [0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ReadFail::Io(e)),
        };
        total += n as u64;
        hasher.write(&buf[..n]);
    }
    if total > max {
        return Err(ReadFail::TooLarge(total));
    }
    Ok(hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_hash_equals_whole_hash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a");
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(
            hash_regular(&path, u64::MAX).unwrap(),
            crate::fingerprint(&bytes)
        );
        assert!(matches!(
            read_regular(&path, 10),
            Err(ReadFail::TooLarge(200_000))
        ));
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pipe");
        let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        assert!(matches!(
            read_regular(&path, 10),
            Err(ReadFail::NotRegular("a named pipe (FIFO)"))
        ));
    }
}
