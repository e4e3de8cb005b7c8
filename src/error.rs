//! Why a command failed, and the exit code each reason maps to.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostics;

#[derive(Debug)]
pub enum Failure {
    /// Problems in the content or in an overriding template (exit 1).
    Content(Diagnostics),
    /// Warnings with `--deny-warnings` (exit 1).
    DeniedWarnings(Diagnostics),
    /// Problems already printed (by `check`); only the exit code is left.
    Reported { code: i32, summary: String },
    /// The command was used wrongly (exit 2).
    Usage(String),
    /// Reading or writing a file failed (exit 3).
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A bug or an impossible state (exit 3).
    Internal(String),
}

impl Failure {
    pub fn io(path: &Path, error: std::io::Error) -> Failure {
        Failure::Io {
            path: path.to_path_buf(),
            error,
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Content(_) | Failure::DeniedWarnings(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Reported { code, .. } => *code,
            Failure::Io { .. } | Failure::Internal(_) => 3,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Content(d) => write!(f, "{}", d.summary()),
            Failure::DeniedWarnings(d) => write!(f, "{} (denied by --deny-warnings)", d.summary()),
            Failure::Usage(m) => write!(f, "{m}"),
            Failure::Reported { summary, .. } => write!(f, "{summary}"),
            Failure::Io { path, error } => write!(f, "{}: {error}", path.display()),
            Failure::Internal(m) => write!(f, "internal error: {m}"),
        }
    }
}
