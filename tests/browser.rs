//! A real browser (Debian's headless Chromium, driven through chromedriver)
//! loads the pages — served by `relance serve` and built to disk — and checks
//! there is no console error, every chart is drawn at a non-zero size with
//! its labels inside it, and the update page prints on A4 without
//! navigation and with every card whole.
//!
//! Needs `chromium` and `chromium-driver` (installed by `.ci/run`). On a
//! machine without them, RELANCE_SKIP_BROWSER=1 skips these tests — loudly:
//! each prints `SKIPPED`, and under CI (RELANCE_CI=1, set by `.ci/run`) a
//! skip is a failure.

mod common;
use common::*;
use serde_json::{Value, json};

/// One browser at a time: two Chromiums on two cores only slow each other.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// True when the browser tests are to be skipped; says so, and refuses
/// under CI.
fn skip(test: &str) -> bool {
    if std::env::var("RELANCE_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        assert!(
            std::env::var("RELANCE_CI").is_err(),
            "{test}: RELANCE_SKIP_BROWSER=1 is refused under CI"
        );
        // Straight to the terminal: the test harness hides what passing
        // tests print with `println!`.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: RELANCE_SKIP_BROWSER=1, no browser was started"
        );
        return true;
    }
    false
}

struct Driver {
    child: std::process::Child,
    port: u16,
    session: String,
}

impl Driver {
    fn start() -> Driver {
        use std::io::BufRead;
        // chromedriver picks its own port (--port=0) and prints it: no port
        // is bound, released and reused.
        let mut child = std::process::Command::new("chromedriver")
            .arg("--port=0")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("chromedriver is needed (apt-get install chromium-driver), or set RELANCE_SKIP_BROWSER=1");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(rest) = line.split("started successfully on port ").nth(1) {
                    let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(port.parse::<u16>().unwrap());
                    }
                }
            }
        });
        let port = rx
            .recv_timeout(DEADLINE)
            .expect("chromedriver did not start");
        let start = std::time::Instant::now();
        // Ready when /status answers.
        loop {
            assert!(start.elapsed() < DEADLINE, "chromedriver did not answer");
            let ready = std::panic::catch_unwind(|| {
                http("GET", port, "/status", "127.0.0.1", None).0 == 200
            });
            if matches!(ready, Ok(true)) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
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

    /// Runs an async script: it calls `arguments[0]` with its result.
    fn script_async(&self, script: &str) -> Value {
        self.call(
            "POST",
            &format!("/session/{}/execute/async", self.session),
            Some(json!({"script": script, "args": []})),
        )["value"]
            .clone()
    }

    /// Waits until the page's fonts are loaded, and checks that the site's
    /// own web font is one of them (served or from `file://`).
    fn check_webfont(&self, url: &str) {
        let loaded = self.script_async(
            "const done = arguments[0]; document.fonts.ready.then(() => done(\
               Array.from(document.fonts).filter(f => f.family.replace(/[\"']/g, '') === 'Noto Sans' && f.status === 'loaded').length))",
        );
        assert!(
            loaded.as_u64().is_some_and(|n| n >= 1),
            "{url}: the web font Noto Sans was not loaded ({loaded})"
        );
    }

    /// A Chrome DevTools Protocol command.
    fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.call(
            "POST",
            &format!("/session/{}/goog/cdp/execute", self.session),
            Some(json!({"cmd": cmd, "params": params})),
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

    /// Checks a loaded page: no console error, exactly `charts` charts, each
    /// drawn at a real size, with every label inside its chart as the
    /// browser lays it out (its own fonts, its own text metrics).
    fn check_page(&self, url: &str, charts: usize) {
        self.open(url);
        self.check_webfont(url);
        let title = self.script("return document.title");
        assert!(
            title.as_str().is_some_and(|t| !t.is_empty()),
            "{url}: no title"
        );
        // The charts shown: each chart is drawn wide and narrow, and the
        // stylesheet shows one of them.
        let sizes = self.script("return Array.from(document.querySelectorAll('svg.chart')).filter(s => s.getBoundingClientRect().width > 0).map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; })");
        let sizes = sizes.as_array().unwrap();
        assert_eq!(sizes.len(), charts, "{url}: charts shown");
        for s in sizes {
            assert!(
                s[0].as_f64().unwrap() > 100.0 && s[1].as_f64().unwrap() > 20.0,
                "{url}: chart drawn at {s}"
            );
        }
        let labels = self.script(
            "return Array.from(document.querySelectorAll('svg.chart text')).map(t => { \
               const b = t.getBBox(); const v = t.ownerSVGElement.viewBox.baseVal; \
               return [t.textContent.trim(), b.x, b.y, b.x + b.width, b.y + b.height, v.width, v.height]; })",
        );
        let labels = labels.as_array().unwrap();
        assert!(labels.len() >= charts, "{url}: {} labels", labels.len());
        for l in labels {
            let n = |i: usize| l[i].as_f64().unwrap();
            assert!(
                n(1) >= -0.5 && n(2) >= -0.5 && n(3) <= n(5) + 0.5 && n(4) <= n(6) + 0.5,
                "{url}: label {} clipped: x {:.1}..{:.1}, y {:.1}..{:.1} in {}×{}",
                l[0],
                n(1),
                n(3),
                n(2),
                n(4),
                n(5),
                n(6)
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
    if skip("served_pages_render_in_a_browser") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let p = Project::multi();
    let server = Server::start(&p, &["--no-pdf"]);
    let d = Driver::start();
    let base = format!("http://127.0.0.1:{}", server.port);
    // The overview's comparison; a region's time series (two updates), none
    // for a region with one update; an update's four sections.
    d.check_page(&format!("{base}/"), 1);
    d.check_page(&format!("{base}/regions/north-coast/"), 1);
    d.check_page(&format!("{base}/regions/east-valley/"), 0);
    d.check_page(
        &format!("{base}/regions/north-coast/2020-05-14/index.html"),
        4,
    );
    d.check_page(
        &format!("{base}/regions/east-valley/2020-05-12/index.html"),
        2,
    );
    // The page reloads itself after an edit (the injected script).
    d.script("window.__before_edit = 1; return 0");
    let g = server.generation();
    p.edit(
        "content/regions/east-valley/2020-05-12.yaml",
        "percent: 75",
        "percent: 74",
    );
    server.wait_generation_above(g);
    let start = std::time::Instant::now();
    loop {
        let v = d.script(
            "return [window.__before_edit === undefined, document.body.innerText.includes('74%')]",
        );
        if v == json!([true, true]) {
            break;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "the open page did not reload with the edit: {v}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(server.stop(), Some(0));
}

/// Decodes standard base64 (the PDF the browser prints).
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let clean: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let mut out = Vec::new();
    for chunk in clean.chunks(4) {
        let data: Vec<u8> = chunk.iter().copied().filter(|&c| c != b'=').collect();
        let mut n = 0u32;
        for (i, c) in data.iter().enumerate() {
            n |= value(*c) << (18 - 6 * i);
        }
        for i in 0..data.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed (apt-get install poppler-utils): {e}"));
    assert!(out.status.success(), "{name} {args:?} failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn built_pages_work_from_file_urls_and_print() {
    if skip("built_pages_work_from_file_urls_and_print") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let d = Driver::start();
    let root = p.path("output");
    let url = |rel: &str| format!("file://{}/{rel}", root.display());
    d.check_page(&url("index.html"), 1);
    // One update: no time series on the region page.
    d.check_page(&url("regions/languedoc-roussillon/index.html"), 0);
    let page = url("regions/languedoc-roussillon/2020-05-14/index.html");
    d.check_page(&page, 4);
    // The stylesheet loaded through its relative link.
    let color =
        d.script("return getComputedStyle(document.querySelector('.masthead')).backgroundColor");
    assert_eq!(
        color, "rgb(0, 90, 156)",
        "style.css not applied from file://"
    );

    check_print(&d, &page);
    // A second update: the page gains a "change since" section, and the
    // cards fall elsewhere on the pages.
    assert_ok(&p.run(&[
        "new",
        "update",
        "languedoc-roussillon",
        "--date",
        "2020-05-21",
    ]));
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let second = url("regions/languedoc-roussillon/2020-05-21/index.html");
    d.check_page(&second, 4);
    check_print(&d, &second);
}

/// Prints the open page `url` as the browser does and checks the result:
/// every page A4 (the stylesheet's own @page size), the facts printed, the
/// navigation not, and no card, key figure or chart cut by a page break.
fn check_print(d: &Driver, url: &str) {
    d.open(url);
    // Print with the page's own @page size (not a size we impose).
    let printed = d.cdp(
        "Page.printToPDF",
        json!({"preferCSSPageSize": true, "printBackground": true}),
    );
    let pdf = base64(printed["data"].as_str().unwrap());
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let dir = scratch();
    let file = dir.path().join("print.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let file = file.to_str().unwrap();
    let info = tool("pdfinfo", &[file]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages >= 2, "{info}");
    let sizes = tool("pdfinfo", &["-f", "1", "-l", &pages.to_string(), file]);
    let page_sizes: Vec<&str> = sizes
        .lines()
        .filter(|l| l.starts_with("Page ") && l.contains(" size:"))
        .collect();
    assert_eq!(page_sizes.len(), pages, "{sizes}");
    for size in page_sizes {
        assert!(size.ends_with("pts (A4)"), "not A4: {size}");
    }
    let page_texts: Vec<String> = (1..=pages)
        .map(|i| {
            words(&tool(
                "pdftotext",
                &["-f", &i.to_string(), "-l", &i.to_string(), file, "-"],
            ))
        })
        .collect();
    let all = page_texts.join(" ");
    // The facts are printed, the navigation is not.
    for fact in ["Thierry Alignan", "90 %", "Orange Cyberdéfense"] {
        assert!(all.contains(fact), "{fact} not printed:\n{all}");
    }

    // What the screen shows and print hides, read from the page itself.
    d.cdp("Emulation.setEmulatedMedia", json!({"media": "print"}));
    let hidden = d.script(
        "return Array.from(document.querySelectorAll('.masthead nav, .skip, .site-footer a, .downloads, details summary')) \
           .map(e => [e.innerText.trim(), getComputedStyle(e).display])",
    );
    let hidden = hidden.as_array().unwrap();
    assert!(hidden.len() >= 4, "{hidden:?}");
    for h in hidden {
        assert_eq!(h[1], "none", "{} is printed", h[0]);
    }
    // The stylesheet asks the browser to keep each of them whole.
    let breaks = d.script(
        "return Array.from(document.querySelectorAll('.card, .figure, .chart-figure, .changes')) \
           .map(e => [e.className, getComputedStyle(e).breakInside])",
    );
    for b in breaks.as_array().unwrap() {
        assert_eq!(b[1], "avoid", "{} may be cut by a page break", b[0]);
    }
    // Cards, key figures and charts are never cut by a page break: every
    // line of each one (as printed) is found on one single page.
    let cards = d.script(
        "return Array.from(document.querySelectorAll('.card, .figure, .chart-figure')) \
           .map(e => e.innerText.split('\\n').map(l => l.trim()).filter(l => l.length > 0))",
    );
    d.cdp("Emulation.setEmulatedMedia", json!({"media": ""}));
    let nav = d.script(
        "return Array.from(document.querySelectorAll('.masthead nav, .skip, .site-footer a')).map(e => e.innerText.trim())",
    );
    for text in nav.as_array().unwrap() {
        let text = words(text.as_str().unwrap());
        assert!(!text.is_empty());
        assert!(!all.contains(&text), "navigation {text:?} printed");
    }

    let cards = cards.as_array().unwrap();
    assert!(cards.len() >= 12, "{} cards", cards.len());
    for card in cards {
        let lines: Vec<String> = card
            .as_array()
            .unwrap()
            .iter()
            .map(|l| words(l.as_str().unwrap()))
            .collect();
        let whole = page_texts
            .iter()
            .any(|page| lines.iter().all(|l| page.contains(l.as_str())));
        assert!(whole, "card {lines:?} is cut across pages");
    }
}

#[test]
fn reload_script_and_overlay_work_under_the_content_security_policy() {
    if skip("reload_script_and_overlay_work_under_the_content_security_policy") {
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

/// What a phone shows, on every page of every fixture (embed pages
/// included): at 360 CSS px wide no page scrolls sideways (wide tables
/// scroll in their own box) and no chart text is under 11 CSS px; and
/// axe-core, injected into each page, finds no accessibility violation.
#[test]
fn every_fixture_page_fits_a_phone_and_passes_axe() {
    let test = "every_fixture_page_fits_a_phone_and_passes_axe";
    if skip(test) {
        return;
    }
    let axe = web_check(test, "axe-core/axe.min.js")
        .map(|d| std::fs::read_to_string(d.join("axe-core/axe.min.js")).unwrap());
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let fixtures = built_fixtures();
    let d = Driver::start();
    d.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": true}),
    );
    let mut checked = 0;
    for (name, p) in &fixtures {
        let root = p.path("output");
        for rel in html_pages(&root) {
            let url = format!("file://{}/{rel}", root.display());
            d.open(&url);
            d.check_webfont(&url);
            let page = format!("{name}: {rel}");
            let width = d.script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            assert!(
                width[0].as_f64().unwrap() <= 360.0 && width[1].as_f64().unwrap() <= 360.0,
                "{page}: scrolls sideways at 360 px ({width})"
            );
            // Each shown chart's text: its font size times the chart's scale.
            let sizes = d.script(
                "return Array.from(document.querySelectorAll('svg.chart')).filter(s => s.getBoundingClientRect().width > 0) \
                   .flatMap(s => { const k = s.getBoundingClientRect().width / s.viewBox.baseVal.width; \
                     return Array.from(s.querySelectorAll('text')).map(t => [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize) * k, t.getBoundingClientRect().height]); })",
            );
            for t in sizes.as_array().unwrap() {
                let (px, h) = (t[1].as_f64().unwrap(), t[2].as_f64().unwrap());
                assert!(
                    px >= 11.0 && h >= 11.0,
                    "{page}: chart text {} is {px:.1} CSS px ({h:.1} px high)",
                    t[0]
                );
            }
            if let Some(axe) = &axe {
                d.script(&format!("{axe}\nreturn 0"));
                let found = d.script_async(
                    "const done = arguments[0]; axe.run(document, {resultTypes: ['violations']}) \
                       .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' ' + v.nodes.map(n => n.target.join(' ')).join(', '))), \
                             e => done(['axe failed: ' + e]))",
                );
                let found = found.as_array().unwrap();
                assert!(found.is_empty(), "{page}: axe-core violations {found:?}");
            }
            checked += 1;
        }
    }
    assert!(checked > 40, "{checked} pages checked");
}
