//! Helpers shared by the integration tests: run the real binary on fixture
//! content copied into a temporary folder.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const UPDATE: &str = "content/regions/languedoc-roussillon/2020-05-14.yaml";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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
        let dir = tempfile::tempdir().unwrap();
        copy_dir(content, &dir.path().join("content"));
        Project { dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
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
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let body = body.unwrap_or("");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
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
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    (status, body)
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

pub fn get(port: u16, path: &str) -> (u16, String) {
    http("GET", port, path, "127.0.0.1", None)
}

/// A running `relance serve` on a free port, stopped (SIGINT) on drop.
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
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("server did not start");
        Server { child, port, log }
    }

    /// Polls `path` until `pred` holds on the body, for at most `secs`.
    pub fn wait_for(
        &self,
        path: &str,
        secs: f64,
        pred: impl Fn(&str) -> bool,
    ) -> Option<std::time::Duration> {
        let start = std::time::Instant::now();
        while start.elapsed().as_secs_f64() < secs {
            let (_, body) = get(self.port, path);
            if pred(&body) {
                return Some(start.elapsed());
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        None
    }

    /// Stops with SIGINT (Ctrl-C) and returns the exit code.
    pub fn stop(mut self) -> Option<i32> {
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGINT) };
        let code = self.child.wait().ok().and_then(|s| s.code());
        std::mem::forget(self);
        code
    }
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
    let built: serde_json::Value =
        serde_json::from_str(&p.read("agree-report.json")).expect("build report");
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
    let seen = server.wait_for("/", 20.0, |page| overlay_items(page) == expected);
    let (_, page) = get(server.port, "/");
    assert!(
        seen.is_some(),
        "the preview's overlay differs from build's diagnostics\nexpected: {expected:#?}\noverlay: {:#?}\nlog:\n{}",
        overlay_items(&page),
        server.log.lock().unwrap()
    );
    std::fs::remove_file(&report).ok();
    std::fs::remove_dir_all(p.path("agree-output")).ok();
    expected
}
