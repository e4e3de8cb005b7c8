//! A real browser (Debian's headless Chromium, driven through chromedriver)
//! loads the pages — served by `relance serve` and built to disk — and checks
//! there is no console error, every chart is drawn at a non-zero size, and
//! the update page prints to PDF.
//!
//! Needs `chromium` and `chromium-driver` (installed by `.ci/run`). Set
//! RELANCE_SKIP_BROWSER=1 to skip on a machine without them.

mod common;
use common::*;
use serde_json::{Value, json};

/// One browser at a time: two Chromiums on two cores only slow each other.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn skip() -> bool {
    std::env::var("RELANCE_SKIP_BROWSER").is_ok_and(|v| v == "1")
}

struct Driver {
    child: std::process::Child,
    port: u16,
    session: String,
}

impl Driver {
    fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("chromedriver is needed (apt-get install chromium-driver), or set RELANCE_SKIP_BROWSER=1");
        let start = std::time::Instant::now();
        // Ready when /status answers (early connections may be reset).
        loop {
            assert!(start.elapsed().as_secs() < 20, "chromedriver did not start");
            std::thread::sleep(std::time::Duration::from_millis(100));
            let ready = std::panic::catch_unwind(|| {
                http("GET", port, "/status", "127.0.0.1", None).0 == 200
            });
            if matches!(ready, Ok(true)) {
                break;
            }
        }
        let mut d = Driver {
            child,
            port,
            session: String::new(),
        };
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--window-size=1200,900"]
            },
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        let v = d.call("POST", "/session", Some(caps));
        d.session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        d
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string());
        let (status, text) = http(method, self.port, path, "127.0.0.1", body.as_deref());
        let v: Value = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("{method} {path}: {status} {text}"));
        assert!(status == 200, "{method} {path}: {status} {v}");
        v
    }

    fn open(&self, url: &str) {
        self.call(
            "POST",
            &format!("/session/{}/url", self.session),
            Some(json!({"url": url})),
        );
    }

    fn script(&self, script: &str) -> Value {
        self.call(
            "POST",
            &format!("/session/{}/execute/sync", self.session),
            Some(json!({"script": script, "args": []})),
        )["value"]
            .clone()
    }

    /// Console messages at SEVERE level since the last call.
    fn console_errors(&self) -> Vec<String> {
        let v = self.call(
            "POST",
            &format!("/session/{}/se/log", self.session),
            Some(json!({"type": "browser"})),
        );
        v["value"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|e| e["level"] == "SEVERE")
                    .map(|e| e["message"].to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Checks a loaded page: no console error, every chart visible.
    fn check_page(&self, url: &str, min_charts: usize) {
        self.open(url);
        let title = self.script("return document.title");
        assert!(
            title.as_str().is_some_and(|t| !t.is_empty()),
            "{url}: no title"
        );
        let sizes = self.script("return Array.from(document.querySelectorAll('svg.chart')).map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; })");
        let sizes = sizes.as_array().unwrap();
        assert!(
            sizes.len() >= min_charts,
            "{url}: {} charts, expected at least {min_charts}",
            sizes.len()
        );
        for s in sizes {
            assert!(
                s[0].as_f64().unwrap() > 100.0 && s[1].as_f64().unwrap() > 20.0,
                "{url}: chart drawn at {s}"
            );
        }
        let errors = self.console_errors();
        assert!(errors.is_empty(), "{url}: console errors {errors:?}");
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = http(
                "DELETE",
                self.port,
                &format!("/session/{}", self.session),
                "127.0.0.1",
                None,
            );
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn served_pages_render_in_a_browser() {
    if skip() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let p = Project::multi();
    let server = Server::start(&p, &["--no-pdf"]);
    let d = Driver::start();
    let base = format!("http://127.0.0.1:{}", server.port);
    d.check_page(&format!("{base}/"), 1);
    d.check_page(&format!("{base}/regions/north-coast/"), 1);
    d.check_page(
        &format!("{base}/regions/north-coast/2020-05-14/index.html"),
        3,
    );
}

#[test]
fn built_pages_work_from_file_urls_and_print() {
    if skip() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let d = Driver::start();
    let root = p.path("output");
    let url = |rel: &str| format!("file://{}/{rel}", root.display());
    d.check_page(&url("index.html"), 1);
    d.check_page(&url("regions/languedoc-roussillon/index.html"), 0);
    d.check_page(
        &url("regions/languedoc-roussillon/2020-05-14/index.html"),
        4,
    );
    // The stylesheet loaded through its relative link.
    let color =
        d.script("return getComputedStyle(document.querySelector('.masthead')).backgroundColor");
    assert_eq!(
        color, "rgb(0, 90, 156)",
        "style.css not applied from file://"
    );
    // Print to PDF (the browser's own A4 print path).
    let pdf = d.call(
        "POST",
        &format!("/session/{}/print", d.session),
        Some(json!({"page": {"width": 21.0, "height": 29.7}})),
    );
    let b64 = pdf["value"].as_str().unwrap();
    assert!(b64.starts_with("JVBERi0"), "not a PDF");
    assert!(b64.len() > 10_000, "suspiciously small PDF");
}

#[test]
fn reload_script_and_overlay_work_under_the_content_security_policy() {
    if skip() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let p = Project::example();
    let server = Server::start(&p, &["--no-pdf"]);
    let d = Driver::start();
    d.open(&format!(
        "http://127.0.0.1:{}/regions/languedoc-roussillon/2020-05-14/",
        server.port
    ));
    p.edit(UPDATE, "percent: 90", "percent: 190");
    // The page reloads itself (the script is allowed by the policy) and shows
    // the overlay, styled by its stylesheet (no inline style is allowed).
    let start = std::time::Instant::now();
    loop {
        let position = d.script(
            "const o = document.getElementById('relance-overlay'); return o ? getComputedStyle(o).position : ''",
        );
        if position == "fixed" {
            break;
        }
        assert!(
            start.elapsed().as_secs() < 20,
            "the page did not reload into a styled overlay ({position})"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let errors = d.console_errors();
    assert!(
        !errors.iter().any(|e| e.contains("Content Security Policy")),
        "policy violations: {errors:?}"
    );
}
