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
        // The previous generation, kept on purpose for the next build.
        .filter(|n| !n.ends_with(".relance-spare"))
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

// 2. Quadratic Markdown nesting.

/// `unit` repeated to just under the 10 MB a fact file may hold.
fn ten_megabytes(head: &str, unit: &str, tail: &str) -> String {
    let room = 10 * 1024 * 1024 - head.len() - tail.len() - 1;
    format!("{head}{}{tail}", unit.repeat(room / unit.len()))
}

#[test]
fn ten_megabyte_adversarial_narratives_finish_in_seconds() {
    let md = format!("{REGION}/2020-05-14.md");
    let deeper = "error: the narrative nests deeper than 32 levels";
    let too_many = "error: the narrative holds more than 10000 Markdown elements";
    const LINK: &str = "[a](https://example.org/?a&b) ";
    let cases: Vec<(&str, String, Option<String>)> = vec![
        // Nesting: refused where it passes 32 levels, before the parser runs.
        (
            "divs",
            ten_megabytes("", "<div>", "\n"),
            Some(format!(":1:161: {deeper}")),
        ),
        (
            "quotes",
            ten_megabytes("", ">", " x\n"),
            Some(format!(":1:33: {deeper}")),
        ),
        (
            "lists",
            ten_megabytes("Intro.\n\n", "- ", "x\n"),
            Some(format!(":3:65: {deeper}")),
        ),
        // Raw HTML is kept to a few tags.
        (
            "closed divs",
            ten_megabytes(
                "",
                &format!("{}x{}\n\n", "<div>".repeat(30), "</div>".repeat(30)),
                "",
            ),
            Some(":395:1: error: the narrative holds more than 64 KB of raw HTML".into()),
        ),
        // Text that made the sanitiser quadratic (hours for 10 MB of `&`).
        ("ampersands", ten_megabytes("", "&", "\n"), None),
        ("R&D", ten_megabytes("", "R&D « Z » ", "\n"), None),
        ("guillemets", ten_megabytes("", "«\u{a0}", "\n"), None),
        // Heavy but within the limits.
        (
            "shallow quotes",
            ten_megabytes("", &format!("{} x\n", "> ".repeat(30)), ""),
            None,
        ),
        // Unmatched emphasis markers are text (each was a piece of every
        // page's data: gigabytes for one megabyte).
        ("stars", ten_megabytes("", "*a ", "\n"), None),
        // Elements beyond 10 000 are refused at the first one too many
        // (a paragraph, then one link or emphasis per unit).
        (
            "links",
            ten_megabytes("", LINK, "\n"),
            Some(format!(":1:{}: {too_many}", 9_999 * LINK.len() + 1)),
        ),
        (
            "emphasis",
            ten_megabytes("", "*a* ", "\n"),
            Some(format!(":1:{}: {too_many}", 9_999 * 4 + 1)),
        ),
        // Code spans and line breaks are pieces too.
        (
            "code spans",
            ten_megabytes("", "`a` ", "\n"),
            Some(format!(":1:{}: {too_many}", 9_999 * 4 + 1)),
        ),
        (
            "line breaks",
            ten_megabytes("", "a\\\n", "\n"),
            Some(format!(":10000:2: {too_many}")),
        ),
    ];
    for (name, text, error) in cases {
        let p = Project::example();
        // The narrative moves to a .md file.
        let yaml = p.read(common::UPDATE);
        let cut = yaml.find("narrative: |").unwrap();
        p.write(common::UPDATE, &yaml[..cut]);
        p.write(&md, &text);
        let start = Instant::now();
        let run = run_for(&p, &["check"], 60);
        let took = start.elapsed();
        eprintln!("{name}: {} MB checked in {took:?}", text.len() >> 20);
        assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
        match error {
            Some(at) => {
                assert_eq!(run.code, 1, "{name}: {}", run.stderr);
                let shown = &run.stderr[..run.stderr.len().min(2000)];
                assert!(run.stderr.contains(&format!("{md}{at}")), "{name}: {shown}");
            }
            None => assert_eq!(
                run.code,
                0,
                "{name}: {}",
                &run.stderr[..run.stderr.len().min(2000)]
            ),
        }
        assert!(took < Duration::from_secs(20), "{name}: took {took:?}");
    }
}

#[test]
fn deep_nesting_in_a_narrative_key_is_located() {
    let p = Project::example();
    p.edit(
        common::UPDATE,
        "  Hors techniciens de terrain,",
        &format!("  {}x\n\n  Hors techniciens de terrain,", "> ".repeat(40)),
    );
    let run = run_for(&p, &["build", "--no-pdf"], 60);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = p
        .read(common::UPDATE)
        .lines()
        .position(|l| l.starts_with("  > > >"))
        .unwrap()
        + 1;
    // The 33rd `>` is at column 3 + 2 × 32.
    assert!(
        run.stderr.contains(&format!(
            "{}:{line}:67: error: the narrative nests deeper than 32 levels",
            common::UPDATE
        )),
        "{}",
        run.stderr
    );
    assert!(!p.path("output").exists());
}

// 3. An --output link.

#[test]
fn output_link_publishes_into_its_target_and_keeps_the_link() {
    let p = Project::example();
    assert_ok(&run_for(&p, &["build", "--no-pdf", "--output", "m"], 60));
    symlink(Path::new("m"), &p.path("site"));
    for (out, percent) in [("site", "77"), ("site/", "78")] {
        p.write(
            common::UPDATE,
            p.read(common::UPDATE)
                .replace("percent: 90", &format!("percent: {percent}")),
        );
        let run = run_for(&p, &["build", "--no-pdf", "--output", out], 60);
        assert_ok(&run);
        let link = std::fs::symlink_metadata(p.path("site")).unwrap();
        assert!(
            link.file_type().is_symlink(),
            "--output {out}: the link was replaced"
        );
        assert!(
            p.path("m/.relance-output").is_file(),
            "--output {out}: m/ was emptied"
        );
        let page = p.read("m/regions/languedoc-roussillon/2020-05-14/index.html");
        assert!(
            page.contains(&format!("{percent}\u{202F}%")),
            "--output {out}: not published into m/"
        );
        p.edit(
            common::UPDATE,
            &format!("percent: {percent}"),
            "percent: 90",
        );
    }
    assert!(
        leftovers(p.dir.path()).is_empty(),
        "{:?}",
        leftovers(p.dir.path())
    );
    // A link leading nowhere is refused, and left alone.
    symlink(Path::new("nowhere"), &p.path("dangling"));
    let run = run_for(&p, &["build", "--no-pdf", "--output", "dangling"], 60);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("is a link to `nowhere`"),
        "{}",
        run.stderr
    );
    assert!(
        std::fs::symlink_metadata(p.path("dangling"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!p.path("nowhere").exists());
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
    server.wait_for("/", "the FIFO located in the overlay", |b| {
        b.contains("named pipe (FIFO)")
    });
    std::fs::remove_file(p.path(&format!("{REGION}/2020-05-21.yaml"))).unwrap();
    server.wait_for("/", "recovery", |b| !b.contains("relance-overlay"));
}

// 5. Stopping serve.

/// Opens a connection and sends `bytes` on it, keeping it open.
fn send(port: u16, bytes: &str) -> std::net::TcpStream {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(bytes.as_bytes()).unwrap();
    s
}

#[test]
fn serve_stops_at_once_despite_a_long_poll_and_a_half_sent_request() {
    let p = Project::example();
    let mut server = Server::start(&p, &["--no-pdf"]);
    // The page's reload script waiting for the next build (25 s)...
    let _poll = send(
        server.port,
        "GET /__relance/wait?since=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    );
    // ...and a client that never finishes its request.
    let _half = send(server.port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    // Both were accepted before this one is answered.
    assert_eq!(get(server.port, "/").0, 200);
    let start = Instant::now();
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(server.child.id() as i32, libc::SIGINT) };
    let code = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status.code();
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "serve still running 2 s after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    eprintln!("serve stopped {:?} after SIGINT", start.elapsed());
    assert_eq!(code, Some(0));
}

#[test]
fn serve_drops_a_client_that_never_finishes_its_request() {
    let p = Project::example();
    let server = Server::start(&p, &["--no-pdf"]);
    let mut half = send(server.port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    half.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    // The server closes the connection (EOF, or an error status first).
    let closed = loop {
        match half.read(&mut buf) {
            Ok(0) => break true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break true,
            Err(_) => break false,
        }
    };
    assert!(closed, "the half-sent request was kept for 30 s");
    assert!(
        start.elapsed() < Duration::from_secs(25),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(get(server.port, "/").0, 200, "other clients unaffected");
}

// 6. Terminal escapes.

#[test]
fn control_characters_never_reach_the_terminal() {
    let p = Project::example();
    // ESC sequences (clear screen, set window title), a BEL, a CR that would
    // overwrite the error, in a key, a value and a folder name.
    p.edit(
        common::UPDATE,
        "telework:",
        "tele\u{1b}[2J\u{1b}]0;pwned\u{7}work:",
    );
    std::fs::create_dir_all(p.path("content/regions/bad\u{1b}[8mhidden\r")).unwrap();
    for args in [&["check"][..], &["build", "--no-pdf"][..]] {
        let run = run_for(&p, args, 60);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let raw: Vec<char> = run
            .stderr
            .chars()
            .filter(|c| c.is_control() && *c != '\n')
            .collect();
        assert!(raw.is_empty(), "{args:?} printed {raw:?}:\n{}", run.stderr);
        assert!(
            run.stderr
                .contains("unknown key `tele\\u{1b}[2J\\u{1b}]0;pwned\\u{7}work`"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("regions/bad\\u{1b}[8mhidden\\u{d}"),
            "{}",
            run.stderr
        );
    }
    // JSON carries the exact text, escaped the JSON way.
    let json = run_for(&p, &["check", "--format", "json"], 60);
    assert!(json.stdout.contains("\\u001b[2J"), "{}", json.stdout);
}

// 7. The serve watcher.

/// How many inotify watches a process holds.
fn inotify_watches(pid: u32) -> usize {
    let mut count = 0;
    for fd in std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .flatten()
    {
        let is_inotify =
            std::fs::read_link(fd.path()).is_ok_and(|t| t.to_string_lossy().contains("inotify"));
        if is_inotify {
            let info = std::fs::read_to_string(format!(
                "/proc/{pid}/fdinfo/{}",
                fd.file_name().to_string_lossy()
            ))
            .unwrap_or_default();
            count += info
                .lines()
                .filter(|l| l.starts_with("inotify wd:"))
                .count();
        }
    }
    count
}

#[test]
fn the_watcher_stays_inside_the_content_folder() {
    let p = Project::example();
    let outside = tempfile::tempdir().unwrap();
    for i in 0..300 {
        std::fs::create_dir_all(outside.path().join(format!("d{i}/e"))).unwrap();
    }
    symlink(outside.path(), &p.path("content/.usr"));
    let server = Server::start(&p, &["--no-pdf"]);
    let watches = inotify_watches(server.child.id());
    assert!(
        (1..50).contains(&watches),
        "{watches} inotify watches for a content folder of 3 folders"
    );
}

// 8. --report.

#[test]
fn a_report_inside_the_content_or_output_folder_is_refused() {
    let p = Project::example();
    assert_ok(&run_for(&p, &["build", "--no-pdf"], 60));
    let site = p.read("content/site.yaml");
    let before = p.snapshot("output");
    for report in [
        "content/site.yaml",
        "content/report.json",
        "content/../content/regions/r.json",
        "output/report.json",
        "output",
    ] {
        let run = run_for(&p, &["build", "--no-pdf", "--report", report], 60);
        assert_eq!(run.code, 2, "--report {report}: {}", run.stderr);
        assert!(run.stderr.contains("write it elsewhere"), "{}", run.stderr);
    }
    assert_eq!(p.read("content/site.yaml"), site);
    assert!(!p.path("content/report.json").exists());
    assert_eq!(p.snapshot("output"), before);
    let run = run_for(&p, &["build", "--no-pdf", "--report", "report.json"], 60);
    assert_ok(&run);
    assert!(p.read("report.json").contains("\"ok\": true"));
}

// 9. --output . from inside the output folder.

#[test]
fn output_dot_inside_the_output_folder_is_refused_up_front() {
    let p = Project::example();
    assert_ok(&run_for(&p, &["build", "--no-pdf"], 60));
    let before = p.snapshot("output");
    for (cwd, output) in [("output", "."), ("output", "./"), ("output/regions", "..")] {
        let run = run_in(
            &p.path(cwd),
            &[
                "build",
                "--no-pdf",
                "--content",
                &format!("{}/content", p.dir.path().display()),
                "--output",
                output,
            ],
            60,
            None,
        );
        assert_eq!(run.code, 2, "in {cwd}, --output {output}: {}", run.stderr);
        assert!(
            run.stderr.contains("run relance from outside it"),
            "{}",
            run.stderr
        );
        assert_eq!(p.snapshot("output"), before, "output changed");
        let inside: Vec<String> = std::fs::read_dir(p.path("output"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.contains("relance-tmp") || n.contains("relance-old"))
            .collect();
        assert!(inside.is_empty(), "left behind: {inside:?}");
        assert!(leftovers(p.dir.path()).is_empty());
    }
}

// 10. serve: redirects, headers, the overlay.

/// Sends a raw request and returns the whole answer (head and body).
fn exchange(port: u16, request: &str) -> String {
    let mut s = send(port, request);
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn head_of(port: u16, path: &str) -> String {
    let answer = exchange(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
    );
    answer
        .split("\r\n\r\n")
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

#[test]
fn serve_redirects_folders_and_sends_security_headers() {
    let p = Project::example();
    let server = Server::start(&p, &["--no-pdf"]);
    let head = head_of(server.port, "/regions/languedoc-roussillon");
    assert!(head.starts_with("http/1.1 308"), "{head}");
    assert!(
        head.contains("\r\nlocation: /regions/languedoc-roussillon/\r\n"),
        "{head}"
    );
    let head = head_of(server.port, "/regions/languedoc-roussillon/2020-05-14?x=1");
    assert!(
        head.contains("location: /regions/languedoc-roussillon/2020-05-14/?x=1"),
        "{head}"
    );
    for path in [
        "/",
        "/assets/style.css",
        "/missing",
        "/__relance/wait?since=0",
        "/%2e%2e/x",
    ] {
        let head = head_of(server.port, path);
        assert!(
            head.contains("x-content-type-options: nosniff"),
            "{path}: {head}"
        );
        assert!(head.contains("cache-control: no-store"), "{path}: {head}");
    }
    let head = head_of(server.port, "/");
    assert!(
        head.contains("content-security-policy: default-src 'self'; script-src 'self'"),
        "{head}"
    );
    // The policy allows no inline script: the reload script is a file.
    let (_, page) = get(server.port, "/");
    assert!(!page.contains("<script>"), "inline script in the page");
    assert!(page.contains("<script src=\"/__relance/reload.js\""));
    let (status, js) = get(server.port, "/__relance/reload.js");
    assert_eq!(status, 200);
    assert!(js.contains("location.reload()"));
}

#[test]
fn the_overlay_tells_the_truth_and_is_capped() {
    let p = Project::example();
    // 400 problems, and no good build ever.
    let quotes: String = (0..400).map(|i| format!("  - {{n: {i}}}\n")).collect();
    p.edit(
        common::UPDATE,
        "narrative: |",
        &format!("quotes:\n{quotes}narrative: |"),
    );
    let server = Server::start(&p, &["--no-pdf"]);
    let (status, body) = get(server.port, "/");
    assert_eq!(status, 503);
    assert!(body.contains("no good build to show yet"), "{body}");
    assert!(!body.contains("showing the last good build"), "{body}");
    assert!(body.contains("and 350 more"), "{}", body.len());
    assert!(body.len() < 20_000, "overlay of {} bytes", body.len());
}

// 11. Remote images in narratives.

#[test]
fn narratives_load_nothing_from_other_sites() {
    let p = Project::example();
    p.edit(
        common::UPDATE,
        "  Hors techniciens de terrain,",
        "  ![Carte](https://tracker.example/pixel.gif) <img src=\"https://tracker.example/raw.gif\" alt=\"r\">\n  ![](https://tracker.example/bare.gif)\n\n  Hors techniciens de terrain,",
    );
    let run = run_for(&p, &["build", "--no-pdf"], 60);
    assert_ok(&run);
    let line = p
        .read(common::UPDATE)
        .lines()
        .position(|l| l.contains("![Carte]"))
        .unwrap()
        + 1;
    assert!(
        run.stderr.contains(&format!(
            "{}:{line}:3: warning: the image `https://tracker.example/pixel.gif` is not shown",
            common::UPDATE
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "{}:{line}:47: warning: the image `<img>`",
            common::UPDATE
        )),
        "{}",
        run.stderr
    );
    for (path, bytes) in p.snapshot("output") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("<img"), "{path} embeds an image");
        assert!(!text.contains("raw.gif"), "{path} keeps the raw <img>");
    }
    let page = p.read(PAGE);
    assert!(
        page.contains("href=\"https://tracker.example/pixel.gif\""),
        "the image became a link"
    );
    assert!(page.contains(">Carte</a>"));
    assert!(page.contains(">https://tracker.example/bare.gif</a>"));
    // --deny-warnings makes it an error.
    let run = run_for(&p, &["build", "--no-pdf", "--deny-warnings"], 60);
    assert_eq!(run.code, 1);
}
