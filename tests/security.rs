//! Issue 18, security and robustness: one test per finding, each
//! reproducing the attack (or the accident) against the real binary. Hangs
//! are caught by generous deadlines, never by timing assertions.

mod common;
use common::*;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const REGION: &str = "content/regions/languedoc-roussillon";
const PAGE: &str = "output/regions/languedoc-roussillon/2020-05-14/index.html";

/// Runs relance in `dir` and kills it if it has not finished after `secs`
/// (a hang fails the test instead of blocking the suite). `limit_memory`
/// caps its address space (bytes).
fn run_in(dir: &Path, args: &[&str], secs: u64, limit_memory: Option<u64>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_relance"));
    cmd.args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(bytes) = limit_memory {
        use std::os::unix::process::CommandExt;
        // SAFETY: only setrlimit, which is async-signal-safe, runs in the child.
        unsafe {
            cmd.pre_exec(move || {
                let lim = libc::rlimit {
                    rlim_cur: bytes,
                    rlim_max: bytes,
                };
                libc::setrlimit(libc::RLIMIT_AS, &lim);
                Ok(())
            });
        }
    }
    let mut child = cmd.spawn().unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader_out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let reader_err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("relance {args:?} did not finish within {secs} s (it hangs)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&reader_out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&reader_err.join().unwrap()).into_owned(),
    }
}

fn run_for(p: &Project, args: &[&str], secs: u64) -> Run {
    run_in(p.dir.path(), args, secs, None)
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// Names in the project folder other than the user's and `output/`.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("relance-"))
        .collect();
    names.sort();
    names
}

// 1. The content fingerprint reads only what the build reads.

#[test]
fn fingerprint_reads_only_fact_files_and_follows_no_link_out() {
    let p = Project::example();
    assert_ok(&run_for(&p, &["build", "--no-pdf"], 60));
    let outside = tempfile::tempdir().unwrap();
    // A FIFO outside, linked from the content folder: opening it would
    // block for ever, so a build that finishes never opened it.
    mkfifo(&outside.path().join("pipe"));
    symlink(&outside.path().join("pipe"), &p.path("content/x"));
    symlink(
        &outside.path().join("pipe"),
        &p.path(&format!("{REGION}/notes.txt")),
    );
    // A stray 4 GB disk image (sparse: it costs no disk space) and a FIFO
    // the user left there.
    let img = std::fs::File::create(p.path("content/.backup.img")).unwrap();
    img.set_len(4 << 30).unwrap();
    mkfifo(&p.path(&format!("{REGION}/.scratch")));
    // Under a 1.5 GB address-space limit, reading the image whole fails.
    let run = run_in(p.dir.path(), &["build", "--no-pdf"], 60, Some(1536 << 20));
    assert_ok(&run);
    assert!(
        run.stderr
            .contains(&format!("{REGION}/notes.txt:1:1: warning: ignored")),
        "{}",
        run.stderr
    );
    // Twice: the second build takes the fast path through the fingerprint.
    assert_ok(&run_in(
        p.dir.path(),
        &["build", "--no-pdf"],
        60,
        Some(1536 << 20),
    ));
}

#[test]
fn unreadable_files_are_named_and_located() {
    let p = Project::example();
    assert_ok(&run_for(&p, &["build", "--no-pdf"], 60));
    // A link to itself: following it fails with ELOOP.
    let looped = p.path(&format!("{REGION}/2020-05-21.yaml"));
    symlink(Path::new("2020-05-21.yaml"), &looped);
    let run = run_for(&p, &["build", "--no-pdf"], 60);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "{REGION}/2020-05-21.yaml:1:1: error: this link cannot be followed"
        )),
        "{}",
        run.stderr
    );
    // A folder full of files that cannot be read (/proc) is not a content
    // folder; nothing in it is read.
    let run = run_for(&p, &["check", "--content", "/proc"], 60);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("/proc/site.yaml:1:1: error: missing site.yaml"),
        "{}",
        run.stderr
    );
    let run = run_for(&p, &["build", "--no-pdf", "--content", "/proc"], 60);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("denied"), "{}", run.stderr);
}

// 4. FIFOs and other non-files.

#[test]
fn fifos_are_refused_never_waited_for() {
    let p = Project::example();
    assert_ok(&run_for(&p, &["build", "--no-pdf"], 60));
    let before = p.snapshot("output");
    mkfifo(&p.path(&format!("{REGION}/2020-05-21.yaml")));
    mkfifo(&p.path(&format!("{REGION}/2020-05-14.md")));
    // A link inside the folder to a FIFO inside the folder.
    mkfifo(&p.path("content/pipe"));
    symlink(
        &p.path("content/pipe"),
        &p.path(&format!("{REGION}/2020-05-28.yaml")),
    );
    for args in [&["check"][..], &["build", "--no-pdf"][..]] {
        let run = run_for(&p, args, 30);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        for name in ["2020-05-21.yaml", "2020-05-14.md", "2020-05-28.yaml"] {
            let expected = format!(
                "{REGION}/{name}:1:1: error: this is a named pipe (FIFO), not a regular file"
            );
            assert!(run.stderr.contains(&expected), "{args:?}: {}", run.stderr);
        }
    }
    assert_eq!(p.snapshot("output"), before, "output changed");
}

#[test]
fn a_fifo_does_not_freeze_serve() {
    let p = Project::example();
    let server = Server::start(&p, &["--no-pdf"]);
    mkfifo(&p.path(&format!("{REGION}/2020-05-21.yaml")));
    let shown = server.wait_for("/", 20.0, |b| b.contains("named pipe (FIFO)"));
    assert!(shown.is_some(), "{}", server.log.lock().unwrap());
    std::fs::remove_file(p.path(&format!("{REGION}/2020-05-21.yaml"))).unwrap();
    let fixed = server.wait_for("/", 20.0, |b| !b.contains("relance-overlay"));
    assert!(fixed.is_some(), "did not recover");
}
