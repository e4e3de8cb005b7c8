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

/// One build: its wall time and its own peak resident memory.
#[derive(Clone, Copy)]
struct Run {
    secs: f64,
    mb: f64,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.3} s, {:.1} MB", self.secs, self.mb)
    }
}

/// Runs `relance build` in `dir`, waited for with `wait4` so that its
/// peak memory is its own (not the largest of every run so far).
#[allow(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which std's wait cannot replace"
)]
fn build(dir: &Path, args: &[&str]) -> Run {
    use std::io::Read;
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_relance"))
        .arg("build")
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run relance");
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    let (mut status, pid) = (0, child.id() as libc::pid_t);
    // SAFETY: wait4 fills the status and the struct we pass for a child of
    // ours that has not been waited for (the Child is not waited on after).
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        let got = libc::wait4(pid, &mut status, 0, &mut usage);
        assert_eq!(got, pid, "wait4 failed");
        usage
    };
    let secs = start.elapsed().as_secs_f64();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "build failed: {stderr}"
    );
    Run {
        secs,
        mb: usage.ru_maxrss as f64 / 1024.0,
    }
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
    // The first no-op after a build lists the output (nothing the build
    // wrote is settled in its survey) and, once what it found is a second
    // old, records the survey that later no-ops (an hourly build) are
    // proved from (see README, Incremental builds).
    let noop_first = build(dir, &["--no-pdf"]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    build(dir, &["--no-pdf"]);
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
    // The first edit after a full build has no spare generation yet (it
    // links the whole tree once); later ones update the spare in place.
    let first_edit = build(dir, &["--no-pdf"]);
    // Undoing it: the spare generation holds the update as it was, so
    // nothing is rendered (what a steady edit costs besides rendering).
    std::fs::write(&edited, &text).expect("write");
    let undo = build(dir, &["--no-pdf"]);
    // Steady edits, each to a value no generation holds: the update, its
    // region and the site-wide files (overview, open data) are rendered.
    let mut edits: Vec<Run> = (1..=3)
        .map(|k| {
            let figure = format!("customers_percent: 36.{k}");
            let new = text
                .lines()
                .map(|l| match l.trim_start().starts_with("customers_percent:") {
                    true => format!("  {figure}"),
                    false => l.to_string(),
                })
                .collect::<Vec<_>>()
                .join("\n");
            assert!(new.contains(&figure), "no figure to edit");
            std::fs::write(&edited, new + "\n").expect("write");
            build(dir, &["--no-pdf"])
        })
        .collect();
    edits.sort_by(|a, b| a.secs.total_cmp(&b.secs));
    let one = edits[edits.len() / 2];
    let files = relance::site::list_files(&dir.join("output"))
        .map(|f| f.len())
        .unwrap_or(0);

    // Each line: wall time and that build's peak resident memory.
    println!(
        "full build (no PDF)   {full}   ({:.0} updates/s, {files} files)",
        (regions * updates) as f64 / full.secs
    );
    println!("no-op rebuild         {noop}   (the first after a build: {noop_first})");
    println!(
        "one-edit rebuild      {one}   (median of 3; the first after a full build: {first_edit})"
    );
    println!("edit undone           {undo}   (found in the spare: nothing rendered)");

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
    let pdf_secs = (with.secs - without.secs).max(1e-9);
    println!(
        "PDF build             {with}   for {n} updates, {pdfs} PDFs: {:.0} PDFs/s ({:.1} ms each, both cores)",
        pdfs as f64 / pdf_secs,
        pdf_secs * 1000.0 / pdfs as f64
    );
    println!("  the same without    {without}");

    serve(dir, regions, updates);
}

/// GET `path` from the preview on `port`: (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = String::new();
    let _ = s.read_to_string(&mut raw);
    let status = raw
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = raw.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, body.to_string())
}

/// Resident and peak resident memory of a process, in MB.
fn memory_mb(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// `relance serve` on the synthetic site: time to listen, to the first
/// page, from an edit to the live reload and to the edited page, and the
/// memory after visiting 50 pages.
fn serve(dir: &Path, regions: usize, updates: usize) {
    use std::io::BufRead;
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_relance"))
        .args(["serve", "--no-pdf", "--port", "0"])
        .current_dir(dir)
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("serve");
    let mut lines = std::io::BufReader::new(child.stderr.take().expect("stderr")).lines();
    let port: u16 = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| {
            let i = l.find("http://127.0.0.1:")?;
            l[i + 17..]
                .trim_end_matches('/')
                .split('/')
                .next()?
                .parse()
                .ok()
        })
        .expect("serve address");
    std::thread::spawn(move || lines.for_each(drop));
    let listening = start.elapsed().as_secs_f64();
    let page = |r: usize, u: usize| {
        format!(
            "/regions/{}/{}/index.html",
            relance::synthetic::region_slug(r),
            relance::synthetic::update_date(u)
        )
    };
    let (status, _) = get(port, &page(0, updates - 1));
    let first = start.elapsed().as_secs_f64();
    assert_eq!(status, 200, "first page");
    let visit = Instant::now();
    for i in 0..50 {
        let (status, _) = get(port, &page(i * 7 % regions, i % updates));
        assert_eq!(status, 200);
    }
    let per_page = visit.elapsed().as_secs_f64() / 50.0;
    // Let the background check finish before measuring memory and edits.
    std::thread::sleep(std::time::Duration::from_secs(
        if regions * updates > 1000 { 8 } else { 1 },
    ));
    let (rss, hwm) = memory_mb(child.id());

    // An edit: the long-poll fires, then the page shows the new title.
    let (_, g) = get(port, "/__relance/wait?since=18446744073709551615");
    let generation: u64 = g
        .split(':')
        .nth(1)
        .and_then(|v| v.trim_end_matches('}').trim().parse().ok())
        .unwrap_or(0);
    let (r, u) = (regions / 2, updates / 2);
    let file = dir
        .join("content/regions")
        .join(relance::synthetic::region_slug(r))
        .join(format!("{}.yaml", relance::synthetic::update_date(u)));
    let text = std::fs::read_to_string(&file).expect("read");
    let poll = std::thread::spawn(move || {
        get(port, &format!("/__relance/wait?since={generation}"));
        Instant::now()
    });
    std::thread::sleep(std::time::Duration::from_millis(100));
    let edited = Instant::now();
    let tmp = file.with_extension("tmp");
    std::fs::write(&tmp, text.replacen("title: ", "title: Édité ", 1)).expect("write");
    std::fs::rename(&tmp, &file).expect("rename");
    let fired = poll.join().expect("poll");
    let reload = fired.saturating_duration_since(edited).as_secs_f64();
    let shown = loop {
        let (_, body) = get(port, &page(r, u));
        if body.contains("Édité") || edited.elapsed().as_secs() > 30 {
            break edited.elapsed().as_secs_f64();
        }
    };
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let _ = child.wait();
    println!("serve: listening     {listening:>8.3} s");
    println!("serve: first page    {first:>8.3} s after start");
    println!(
        "serve: a page        {:>8.1} ms on average (50 pages, rendered on request)",
        per_page * 1000.0
    );
    println!("serve: edit→reload   {reload:>8.3} s (long-poll answered)");
    println!("serve: edit→page     {shown:>8.3} s (edited page served)");
    println!("serve: memory        {rss:>8.1} MB resident after 50 pages (peak {hwm:.1} MB)");
}
