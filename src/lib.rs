//! relance: YAML fact files about how regions kept working through a crisis,
//! turned into a static site, PDF reports and radio briefings.
//!
//! Data flows one way: [`content`] loads and validates, [`derive`] computes,
//! [`render`] produces files in memory, [`site`] writes them atomically.

pub mod cache;
pub mod content;
pub mod derive;
pub mod diagnostics;
pub mod embargo;
pub mod error;
pub mod fsafe;
pub mod guard;
pub mod httpd;
pub mod linkcheck;
pub mod locale;
pub mod paths;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod survey;
pub mod synthetic;
pub mod testhook;
pub mod view;
pub mod workers;

/// Writes a line to stderr, where relance says what it does; a closed
/// stderr (`relance check 2>&1 | head -1`) is not an error and never panics.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// [`say!`] without the line end.
#[macro_export]
macro_rules! say_part {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

/// A stable 64-bit fingerprint (FNV-1a) of some bytes, for cache keys.
/// Not cryptographic; stable across runs, machines and Rust versions.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    let mut f = Fingerprint::default();
    f.write(bytes);
    f.finish()
}

/// [`fingerprint`] fed piece by piece (for files streamed from disk).
pub struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }
}

impl Fingerprint {
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// A fingerprint as a writer, so a value can be fingerprinted while it is
/// serialised, without holding its bytes.
impl std::io::Write for Fingerprint {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        Fingerprint::write(self, bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
