//! Helpers shared by the integration tests: run the real binary on fixture
//! content copied into a temporary folder.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub mod schema;

pub const UPDATE: &str = "content/regions/languedoc-roussillon/2020-05-14.yaml";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// How long a test waits for something that should happen soon (a rebuild
/// of the preview, a server starting). Generous: CI is a loaded 2-core
/// machine; tests poll, so a quick machine does not wait.
pub const DEADLINE: std::time::Duration = std::time::Duration::from_secs(60);

/// A scratch folder: in tmpfs (`/dev/shm`) when it exists, so that the
/// suite measures relance rather than the disk, else the system's temp
/// folder. `RELANCE_TEST_TMPDIR` chooses another place.
pub fn scratch() -> tempfile::TempDir {
    let base = std::env::var_os("RELANCE_TEST_TMPDIR")
        .map(PathBuf::from)
        .or_else(|| {
            let shm = PathBuf::from("/dev/shm");
            tempfile::tempdir_in(&shm).ok().map(|_| shm)
        })
        .unwrap_or_else(std::env::temp_dir);
    tempfile::Builder::new()
        .prefix("relance-test-")
        .tempdir_in(base)
        .unwrap()
}

/// Writes a file atomically (a temporary file beside it, then a rename), so
/// that a watcher never sees it half-written. The temporary name starts
/// with `.`, which relance ignores.
pub fn write_atomic(path: &Path, bytes: &[u8]) {
    let dir = path.parent().unwrap();
    std::fs::create_dir_all(dir).unwrap();
    let tmp = dir.join(format!(
        ".{}.relance-test-tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, bytes).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A project folder in a temporary directory: `content/` copied from a
/// fixture, `output/` beside it.
pub struct Project {
    pub dir: tempfile::TempDir,
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl Project {
    /// The sample content (the worked example).
    pub fn example() -> Project {
        Project::from(&repo().join("content"))
    }

    /// The English multi-region fixture.
    pub fn multi() -> Project {
        Project::from(&repo().join("tests/fixtures/multi"))
    }

    pub fn from(content: &Path) -> Project {
        let dir = scratch();
        copy_dir(content, &dir.path().join("content"));
        Project { dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Writes a file of the project atomically (see [`write_atomic`]).
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        write_atomic(&self.path(rel), text.as_ref());
    }

    /// Replaces `from` by `to` in a file, checking `from` is there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, text.replacen(from, to, 1));
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_relance"))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Runs `relance build ARGS --report <file outside the project>` and
    /// returns the run and the parsed report (the report is written outside
    /// the project so that the project folder only changes by the build).
    pub fn build_report(&self, args: &[&str]) -> (Run, serde_json::Value) {
        let dir = scratch();
        let report = dir.path().join("report.json");
        let mut all: Vec<&str> = vec!["build"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--report", report.to_str().unwrap()]);
        let run = self.run(&all);
        let text = std::fs::read_to_string(&report)
            .unwrap_or_else(|e| panic!("no report ({e})\n{}", run.stderr));
        let value = serde_json::from_str(&text).unwrap();
        (run, value)
    }

    /// Every file under `rel` (cache and marker included), path → inode.
    pub fn inodes(&self, rel: &str) -> BTreeMap<String, u64> {
        use std::os::unix::fs::MetadataExt;
        let root = self.path(rel);
        let mut out = BTreeMap::new();
        for entry in walkdir::WalkDir::new(&root) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let key = entry
                    .path()
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(key, entry.metadata().unwrap().ino());
            }
        }
        out
    }

    /// Every entry of the project folder, recursively: path → (kind, size,
    /// mtime in ns, inode). Two equal states mean nothing was written,
    /// created, removed or replaced, folders included.
    pub fn state(&self) -> BTreeMap<String, (char, u64, i128, u64)> {
        use std::os::unix::fs::MetadataExt;
        let root = self.dir.path();
        let mut out = BTreeMap::new();
        for entry in walkdir::WalkDir::new(root).follow_links(false) {
            let entry = entry.unwrap();
            let m = entry.path().symlink_metadata().unwrap();
            let kind = if m.is_dir() {
                'd'
            } else if m.is_symlink() {
                'l'
            } else {
                'f'
            };
            let key = entry
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let mtime = i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec());
            out.insert(key, (kind, m.len(), mtime, m.ino()));
        }
        out
    }

    /// Every file under `rel`, path → bytes; the build cache (which records
    /// times and inodes) is left out, everything else is the site.
    pub fn snapshot(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        let root = self.path(rel);
        let mut out = BTreeMap::new();
        for entry in walkdir::WalkDir::new(&root) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let key = entry
                    .path()
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if key == ".relance-cache" {
                    continue;
                }
                out.insert(key, std::fs::read(entry.path()).unwrap());
            }
        }
        out
    }
}

pub fn assert_ok(run: &Run) {
    assert_eq!(
        run.code, 0,
        "expected success\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
}

/// A minimal HTTP/1.1 client for the tests: (status, body).
pub fn http(method: &str, port: u16, path: &str, host: &str, body: Option<&str>) -> (u16, String) {
    let body = body.unwrap_or("");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let (status, _, body) = raw_http(port, request.as_bytes());
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// Sends `request` as is to 127.0.0.1:`port`; returns the status, the
/// head (lowercased) and the body bytes.
pub fn raw_http(port: u16, request: &[u8]) -> (u16, String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    stream.write_all(request).unwrap();
    // Read the head, then exactly the body it announces: some servers keep
    // the connection open despite `Connection: close`.
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut buf).unwrap();
        if n == 0 {
            break raw.len();
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let chunked = head.contains("transfer-encoding: chunked");
    loop {
        let body_len = raw.len() - head_end;
        let done = match length {
            Some(n) => body_len >= n,
            None if chunked => raw.ends_with(b"0\r\n\r\n"),
            None => false,
        };
        if done {
            break;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    }
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let rest = raw[head_end..].to_vec();
    let body = if chunked { dechunk(&rest) } else { rest };
    (status, head, body)
}

fn dechunk(mut s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = s.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&s[..i]).trim().to_string();
        let rest = &s[i + 2..];
        let n = usize::from_str_radix(&size, 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.extend_from_slice(&rest[..n]);
        s = &rest[n..];
        if s.starts_with(b"\r\n") {
            s = &s[2..];
        }
    }
    out
}

pub fn get(port: u16, path: &str) -> (u16, String) {
    http("GET", port, path, "127.0.0.1", None)
}

/// A running `relance serve` on a port it chose itself (`--port 0`: no
/// port is bound, released and reused), stopped (SIGINT) by `stop`,
/// killed on drop.
pub struct Server {
    pub child: std::process::Child,
    pub port: u16,
    pub log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    pub fn start(p: &Project, extra: &[&str]) -> Server {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_relance"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(p.dir.path())
            .stderr(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(i) = line.find("http://127.0.0.1:") {
                    let port: String = line[i + 17..]
                        .chars()
                        .take_while(char::is_ascii_digit)
                        .collect();
                    let _ = tx.send(port.parse::<u16>().unwrap_or(0));
                }
                let mut l = sink.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        let port = rx
            .recv_timeout(DEADLINE)
            .unwrap_or_else(|_| panic!("server did not start:\n{}", log.lock().unwrap()));
        Server { child, port, log }
    }

    /// The preview's current build generation, as a number.
    pub fn generation(&self) -> u64 {
        // `since` differs from any real generation: answers at once.
        let (status, body) = get(self.port, &format!("/__relance/wait?since={}", u64::MAX));
        assert_eq!(status, 200, "{body}");
        parse_generation(&body)
    }

    /// Long-polls until the generation is above `after`; panics after
    /// [`DEADLINE`]. Returns the new generation.
    pub fn wait_generation_above(&self, after: u64) -> u64 {
        let start = std::time::Instant::now();
        loop {
            let (status, body) = get(self.port, &format!("/__relance/wait?since={after}"));
            assert_eq!(status, 200, "{body}");
            let g = parse_generation(&body);
            if g > after {
                return g;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "no rebuild after generation {after} within {DEADLINE:?}\n{}",
                self.log.lock().unwrap()
            );
        }
    }

    /// Polls `path` until `pred` holds on the body; panics with `what` and
    /// the server's log after [`DEADLINE`]. Returns the body.
    pub fn wait_for(&self, path: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = std::time::Instant::now();
        loop {
            let (_, body) = get(self.port, path);
            if pred(&body) {
                return body;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "{what}: not seen on {path} within {DEADLINE:?}\nlast body:\n{body}\nserver log:\n{}",
                self.log.lock().unwrap()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// Stops with SIGINT (Ctrl-C) and returns the exit code.
    pub fn stop(mut self) -> Option<i32> {
        // The Ctrl-C handler is installed once the server runs, a moment
        // after it prints its address: a signal before that kills it
        // outright. A served request shows it is running.
        let (status, _) = get(self.port, "/__relance/wait?since=18446744073709551615");
        assert_eq!(status, 200);
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGINT) };
        let code = self.child.wait().ok().and_then(|s| s.code());
        std::mem::forget(self);
        code
    }
}

/// `{"generation":N}` → N, strictly.
pub fn parse_generation(body: &str) -> u64 {
    let v: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"));
    v["generation"]
        .as_u64()
        .unwrap_or_else(|| panic!("no numeric generation in {body}"))
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `file:line:column: severity: message` lines of a JSON diagnostic list.
fn headlines(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list of diagnostics: {list}"))
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}: {}: {}",
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["severity"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect()
}

/// The items of the preview's problem overlay in a served page, unescaped.
pub fn overlay_items(page: &str) -> Vec<String> {
    let Some(start) = page.find("id=\"relance-overlay\"") else {
        return Vec::new();
    };
    let overlay = &page[start..];
    let overlay = &overlay[..overlay.find("</div>").unwrap_or(overlay.len())];
    overlay
        .split("<li>")
        .skip(1)
        .map(|item| {
            item.split("</li>")
                .next()
                .unwrap_or("")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}

/// Runs `build`, `check` and `serve` on the project with the same `flags`
/// and asserts that they report the same diagnostics, in the same order,
/// with the same exit code (build and check), and that the preview's
/// overlay lists exactly them. Returns the diagnostics' headlines.
pub fn diagnostics_agree(p: &Project, flags: &[&str]) -> Vec<String> {
    let report = p.path("agree-report.json");
    let report_arg = report.to_string_lossy().to_string();
    let mut args = vec!["build", "--output", "agree-output", "--report", &report_arg];
    args.extend_from_slice(flags);
    let build = p.run(&args);
    // A broken link is reported under the output folder as given; `check`
    // writes none and names it `output`.
    let built = p
        .read("agree-report.json")
        .replace("\"agree-output/", "\"output/");
    let built: serde_json::Value = serde_json::from_str(&built).expect("build report");
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(flags);
    let check = p.run(&args);
    let checked: serde_json::Value = serde_json::from_str(&check.stdout)
        .unwrap_or_else(|e| panic!("check --format json: {e}\n{}", check.stdout));
    assert_eq!(
        build.code, check.code,
        "build and check exit codes differ\nbuild: {}\ncheck: {}",
        build.stderr, check.stderr
    );
    assert_eq!(
        built["diagnostics"], checked,
        "build and check report different diagnostics\nbuild: {}\ncheck: {}",
        build.stderr, check.stderr
    );
    let expected = headlines(&checked);
    // The preview has no verdict to deny: it shows warnings as they are.
    let serve_flags: Vec<&str> = flags
        .iter()
        .copied()
        .filter(|f| *f != "--deny-warnings")
        .collect();
    let server = Server::start(p, &serve_flags);
    // The overlay is polled until it lists the same problems (the preview
    // checks the whole site in the background); `wait_for` fails with the
    // last page and the server's log after its deadline.
    let page = server.wait_for("/", "the overlay lists build's diagnostics", |page| {
        overlay_items(page) == expected
    });
    assert_eq!(overlay_items(&page), expected);
    std::fs::remove_file(&report).ok();
    std::fs::remove_dir_all(p.path("agree-output")).ok();
    expected
}

/// Asserts that two site snapshots are equal, naming the files that differ
/// (not dumping their bytes).
pub fn assert_same_site(
    got: &BTreeMap<String, Vec<u8>>,
    want: &BTreeMap<String, Vec<u8>>,
    what: &str,
) {
    let differ: Vec<&String> = got
        .keys()
        .chain(want.keys())
        .filter(|k| got.get(*k) != want.get(*k))
        .collect();
    assert!(differ.is_empty(), "{what}: these files differ: {differ:?}");
}

/// A start tag as html5ever reads it: its name and attributes.
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every start tag of `html`, and the tokenizer's parse errors.
pub fn html_tags(html: &str) -> (Vec<Tag>, Vec<String>) {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{
        BufferQueue, StartTag, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    use std::cell::RefCell;

    #[derive(Default)]
    struct Sink {
        tags: RefCell<Vec<Tag>>,
        errors: RefCell<Vec<String>>,
    }
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
            match token {
                Token::TagToken(t) if t.kind == StartTag => self.tags.borrow_mut().push(Tag {
                    name: t.name.to_string(),
                    attrs: t
                        .attrs
                        .iter()
                        .map(|a| (a.name.local.to_string(), a.value.to_string()))
                        .collect(),
                }),
                Token::ParseError(e) => self.errors.borrow_mut().push(format!("line {line}: {e}")),
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tok = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let _ = tok.feed(&input);
    tok.end();
    let tags = tok.sink.tags.take();
    let errors = tok.sink.errors.take();
    (tags, errors)
}

/// The ids of the units a build re-rendered, from its `--report`.
pub fn rendered_units(report: &serde_json::Value) -> Vec<String> {
    report["output"]["rendered"]
        .as_array()
        .unwrap_or_else(|| panic!("no rendered list in {report}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// The `<script>` elements of `html` that a browser would run: every one
/// but schema.org's JSON-LD data (`type="application/ld+json"`).
pub fn executable_scripts(html: &str) -> usize {
    html_tags(html)
        .0
        .iter()
        .filter(|t| t.name == "script" && t.attr("type") != Some("application/ld+json"))
        .count()
}

/// Width and height of a PNG, read from its IHDR chunk.
pub fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&png[12..16], b"IHDR", "IHDR is not the first chunk");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

/// Every fixture site (the worked example and `tests/fixtures/*`), built
/// without PDFs: its name and project.
pub fn built_fixtures() -> Vec<(&'static str, Project)> {
    let all = [
        ("example", Project::example()),
        ("multi", Project::multi()),
        (
            "bilingual",
            Project::from(&repo().join("tests/fixtures/bilingual")),
        ),
        ("es", Project::from(&repo().join("tests/fixtures/es"))),
        (
            "realworld",
            Project::from(&repo().join("tests/fixtures/realworld")),
        ),
    ];
    all.into_iter()
        .map(|(name, p)| {
            assert_ok(&p.run(&["build", "--no-pdf"]));
            (name, p)
        })
        .collect()
}

/// Every HTML page under `dir`, as paths relative to it, sorted.
pub fn html_pages(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let path = e.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else if path.extension().is_some_and(|x| x == "html") {
                let rel = path.strip_prefix(base).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The npm checkers of `tools/web-check` (`npm ci --prefix tools/web-check`):
/// the folder of their `node_modules`, or `None` when they are not
/// installed — which only a developer's machine may tolerate: under CI
/// (RELANCE_CI set) a missing checker fails the test.
pub fn web_check(test: &str, what: &str) -> Option<PathBuf> {
    let dir = repo().join("tools/web-check/node_modules");
    if dir.join(what).exists() {
        return Some(dir);
    }
    assert!(
        std::env::var("RELANCE_CI").is_err(),
        "{test}: tools/web-check/node_modules/{what} is missing under CI (npm ci --prefix tools/web-check)"
    );
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {what} not installed; run `npm ci --prefix tools/web-check`"
    );
    None
}
