//! Deterministic fault injection for the tests of the write path (see
//! `tests/hardening.rs`). Inert unless the environment asks for it:
//!
//! - `RELANCE_TEST_ABORT_AT=<stage>` aborts the process (as a SIGKILL would
//!   stop it: no destructor, no cleanup) when the build reaches `<stage>`:
//!   `during-render`, `after-staging`, `before-swap`, `during-swap`,
//!   `after-swap-before-cleanup`, `during-cleanup`.
//! - `RELANCE_TEST_NO_EXCHANGE=1` makes the atomic exchange report itself
//!   unsupported, so that the two-rename fallback (and its recovery) runs.
//!
//! A build reads these variables once; they cost nothing otherwise.

use std::sync::OnceLock;

fn abort_stage() -> Option<&'static str> {
    static STAGE: OnceLock<Option<String>> = OnceLock::new();
    STAGE
        .get_or_init(|| {
            std::env::var("RELANCE_TEST_ABORT_AT")
                .ok()
                .filter(|s| !s.is_empty())
        })
        .as_deref()
}

/// Aborts the process when `RELANCE_TEST_ABORT_AT` names `stage`.
pub fn abort_at(stage: &str) {
    if abort_stage() == Some(stage) {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "relance: test hook: aborting at {stage}");
        std::process::abort();
    }
}

/// True when `RELANCE_TEST_NO_EXCHANGE=1`: the exchange is reported
/// unsupported and the fallback path runs.
pub fn no_exchange() -> bool {
    static NO: OnceLock<bool> = OnceLock::new();
    *NO.get_or_init(|| std::env::var("RELANCE_TEST_NO_EXCHANGE").is_ok_and(|v| v == "1"))
}
