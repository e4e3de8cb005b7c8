//! Gives the binary an identity beyond its version number: a hash of the
//! sources it is built from (`RELANCE_SOURCE_HASH`). The incremental cache
//! records it, so that a relance built from other sources — a development
//! build, a patched release — never reuses output rendered by another.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

const INPUTS: &[&str] = &[
    "src",
    "templates",
    "locales",
    "assets",
    "Cargo.toml",
    "Cargo.lock",
];

fn files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        for e in entries {
            files(&e, out);
        }
    } else if path.is_file() {
        out.push(path.to_path_buf());
    }
}

fn main() {
    let mut all = Vec::new();
    for input in INPUTS {
        println!("cargo:rerun-if-changed={input}");
        files(Path::new(input), &mut all);
    }
    // FNV-1a over paths and bytes: stable across Rust versions, unlike
    // the standard library's default hasher.
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    for f in &all {
        h.write(f.to_string_lossy().replace('\\', "/").as_bytes());
        h.write(&[0]);
        h.write(&std::fs::read(f).unwrap_or_default());
        h.write(&[0]);
    }
    println!("cargo:rustc-env=RELANCE_SOURCE_HASH={:016x}", h.finish());
}

struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}
