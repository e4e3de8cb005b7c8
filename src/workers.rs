//! Render units spread over plain threads, outside rayon's pool.
//!
//! Typst parallelises inside a document with rayon. When units themselves
//! ran on rayon's workers, a worker waiting for a Typst subtask stole the
//! next *unit* and started another document inside the first one's stack:
//! documents nested without bound, each holding its layout and decoded
//! chart images until every document started after it had finished (a build
//! with PDFs grew by ~0.9 MB per update). Units now run on as many plain
//! threads as the pool has workers: a plain thread that waits for the pool
//! only waits, so at most that many units are ever in progress, and the
//! pool's workers only ever run subtasks.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::error::Failure;

/// Typst's layout recurses deeply on real documents and overflowed the
/// default 2 MiB stack in the PDF benchmark; the pool's workers get the
/// same size (`main::configure_threads`).
pub const STACK_SIZE: usize = 64 * 1024 * 1024;

/// Calls `f` on every item, on as many threads as rayon's pool has
/// workers, stopping at the first error (which is returned). Items are
/// taken in order, so that what a caller sorts first is done first.
pub fn for_each<T: Sync>(
    items: &[T],
    f: impl Fn(&T) -> Result<(), Failure> + Sync,
) -> Result<(), Failure> {
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let first_error = Mutex::new(None);
    let work = || {
        while !failed.load(Ordering::Relaxed) {
            let Some(item) = items.get(next.fetch_add(1, Ordering::Relaxed)) else {
                return;
            };
            if let Err(e) = f(item) {
                failed.store(true, Ordering::Relaxed);
                first_error
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .get_or_insert(e);
            }
        }
    };
    let threads = rayon::current_num_threads().clamp(1, items.len().max(1));
    std::thread::scope(|scope| {
        // Every item runs on a spawned thread (the main thread's stack is
        // smaller); the main thread works only if none could be started.
        let started = (0..threads)
            .filter(|i| {
                std::thread::Builder::new()
                    .name(format!("relance-unit-{i}"))
                    .stack_size(STACK_SIZE)
                    .spawn_scoped(scope, work)
                    .is_ok()
            })
            .count();
        if started == 0 {
            work();
        }
    });
    match first_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_once_and_the_first_error_stops() {
        let seen = Mutex::new(Vec::new());
        for_each(&(0..100).collect::<Vec<_>>(), |i| {
            seen.lock().unwrap().push(*i);
            Ok(())
        })
        .unwrap();
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        assert_eq!(seen, (0..100).collect::<Vec<_>>());

        let done = AtomicUsize::new(0);
        let r = for_each(&(0..1000).collect::<Vec<_>>(), |i| {
            done.fetch_add(1, Ordering::Relaxed);
            match *i {
                3 => Err(Failure::Internal("three".into())),
                _ => Ok(()),
            }
        });
        assert!(matches!(r, Err(Failure::Internal(m)) if m == "three"));
        assert!(done.load(Ordering::Relaxed) < 1000);
    }
}
