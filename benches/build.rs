//! `cargo bench`: times the real `relance` binary on a synthetic site and
//! prints the numbers. Not a test: nothing here fails on timing.
//!
//! Environment: RELANCE_BENCH_REGIONS (default 200), RELANCE_BENCH_UPDATES
//! (default 50), RELANCE_BENCH_PDF_UPDATES (default 200: the PDF sample),
//! RELANCE_BENCH_DIR (where to build; default /dev/shm when it exists, so
//! the numbers measure relance rather than the state of the disk — see the
//! README for the same run on disk).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Peak resident memory of the children waited for so far, in MB.
fn children_peak_mb() -> f64 {
    // SAFETY: getrusage fills the struct we pass; no other invariant.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage.ru_maxrss as f64 / 1024.0
    }
}

fn build(dir: &Path, args: &[&str]) -> f64 {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_relance"))
        .arg("build")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run relance");
    let secs = start.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    secs
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs us with no
    // flag and expects a quick pass.
    let quick = !std::env::args().any(|a| a == "--bench");
    let regions = if quick {
        3
    } else {
        env("RELANCE_BENCH_REGIONS", 200)
    };
    let updates = if quick {
        4
    } else {
        env("RELANCE_BENCH_UPDATES", 50)
    };
    let pdf_updates = if quick {
        2
    } else {
        env("RELANCE_BENCH_PDF_UPDATES", 200)
    };
    let base = std::env::var("RELANCE_BENCH_DIR")
        .ok()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            let shm = std::path::PathBuf::from("/dev/shm");
            if shm.is_dir() {
                shm
            } else {
                std::env::temp_dir()
            }
        });
    println!("building in {}", base.display());
    let tmp = tempfile::tempdir_in(&base).expect("tempdir");
    let dir = tmp.path();
    let start = Instant::now();
    relance::synthetic::generate(&dir.join("content"), regions, updates, "fr").expect("generate");
    println!(
        "synthetic site: {regions} regions × {updates} updates = {} updates (generated in {:.2} s)",
        regions * updates,
        start.elapsed().as_secs_f64()
    );

    let full = build(dir, &["--no-pdf"]);
    let peak = children_peak_mb();
    let noop = build(dir, &["--no-pdf"]);
    // One edit: change a figure in one update.
    let edited = dir
        .join("content/regions")
        .join(relance::synthetic::region_slug(regions / 2))
        .join(format!(
            "{}.yaml",
            relance::synthetic::update_date(updates / 2)
        ));
    let text = std::fs::read_to_string(&edited).expect("read");
    std::fs::write(
        &edited,
        text.replace("by_appointment: true", "by_appointment: false"),
    )
    .expect("write");
    let one = build(dir, &["--no-pdf"]);
    let files = relance::site::list_files(&dir.join("output"))
        .map(|f| f.len())
        .unwrap_or(0);

    println!(
        "full build (no PDF)   {full:>8.3} s   ({:.0} updates/s, {files} files)",
        (regions * updates) as f64 / full
    );
    println!("no-op rebuild         {noop:>8.3} s");
    println!("one-edit rebuild      {one:>8.3} s");
    println!("peak memory (full)    {peak:>8.1} MB");

    // PDFs: a smaller site, timed with and without PDFs; the difference is
    // the PDF work (two PDFs per update: report and press sheet).
    let pdir = tempfile::tempdir_in(&base).expect("tempdir");
    let r = pdf_updates.div_ceil(10).max(1);
    relance::synthetic::generate(
        &pdir.path().join("content"),
        r,
        pdf_updates.div_ceil(r),
        "fr",
    )
    .expect("generate");
    let n = r * pdf_updates.div_ceil(r);
    let without = build(pdir.path(), &["--no-pdf"]);
    std::fs::remove_dir_all(pdir.path().join("output")).expect("clean");
    let with = build(pdir.path(), &[]);
    let pdfs = 2 * n;
    println!(
        "PDF build             {with:>8.3} s   for {n} updates, {pdfs} PDFs: {:.0} PDFs/s ({:.1} ms each, both cores)",
        pdfs as f64 / (with - without).max(1e-9),
        (with - without) * 1000.0 / pdfs as f64
    );
    println!("peak memory (all)     {:>8.1} MB", children_peak_mb());
}
