//! `relance serve` over real HTTP: pages, traversal, Host check, live
//! rebuilds (content and templates), the error overlay and recovery, PDFs,
//! and a clean Ctrl-C.
//!
//! No fixed time window: every wait polls with a generous deadline
//! ([`DEADLINE`]) and asserts on events (build generations compared as
//! numbers, page contents). Edits are atomic (write + rename).

mod common;
use common::*;

const PAGE: &str = "/regions/languedoc-roussillon/2020-05-14/index.html";

#[test]
fn serves_pages_and_nothing_else() {
    let p = Project::example();
    let server = Server::start(&p, &["--no-pdf"]);
    for path in [
        "/",
        "/index.html",
        "/regions/languedoc-roussillon/",
        PAGE,
        "/assets/style.css",
        "/feed.xml",
        "/data/updates.csv",
    ] {
        let (status, body) = get(server.port, path);
        assert_eq!(status, 200, "{path}");
        assert!(!body.is_empty());
    }
    let (_, page) = get(server.port, PAGE);
    assert!(page.contains("Thierry Alignan"));
    assert!(
        page.contains("/__relance/wait"),
        "live-reload script injected in serve mode"
    );
    // Without PDFs, no PDF is served.
    let (status, _) = get(
        server.port,
        "/regions/languedoc-roussillon/2020-05-14/languedoc-roussillon-2020-05-14.pdf",
    );
    assert_eq!(status, 404);
    for evil in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2fetc/passwd",
        "/regions/..%5c..%5cetc/passwd",
        "/%2e%2e%2f%2e%2e%2fcontent/site.yaml",
        "/content/site.yaml",
        "/regions/languedoc-roussillon/2020-05-14.yaml",
        "/templates/style.css",
        "/.relance-cache",
    ] {
        let (status, body) = get(server.port, evil);
        assert_eq!(status, 404, "{evil} was served");
        assert!(
            !body.contains("root:") && !body.contains("organisation:"),
            "{evil} leaked a file"
        );
    }
    // serve never writes output/.
    assert!(!p.path("output").exists());
    assert_eq!(server.stop(), Some(0), "Ctrl-C stops cleanly");
}

/// The Host check, over real HTTP with hand-written requests.
#[test]
fn host_header_is_checked_over_http() {
    let p = Project::example();
    let server = Server::start(&p, &["--no-pdf"]);
    let port = server.port;
    let with_host = |host: &str, path: &str| -> u16 {
        let req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        raw_http(port, req.as_bytes()).0
    };
    for (host, expected) in [
        // Loopback names and IP literals, with and without a port.
        (format!("127.0.0.1:{port}"), 200),
        ("127.0.0.1".to_string(), 200),
        (format!("localhost:{port}"), 200),
        ("localhost".to_string(), 200),
        ("LocalHost:1111".to_string(), 200),
        (format!("[::1]:{port}"), 200),
        ("[::1]".to_string(), 200),
        // A LAN address is an IP literal too: no DNS rebinding possible.
        ("192.168.1.5:1111".to_string(), 200),
        ("[fe80::1]:1111".to_string(), 200),
        // Domain names other than localhost: refused.
        ("attacker.example".to_string(), 403),
        ("attacker.example:1111".to_string(), 403),
        (format!("evil.localhost:{port}"), 403),
        ("localhost.attacker.example".to_string(), 403),
        ("127.0.0.1.nip.io".to_string(), 403),
    ] {
        assert_eq!(with_host(&host, "/"), expected, "Host: {host} on /");
        assert_eq!(
            with_host(&host, "/__relance/wait?since=999999"),
            expected,
            "Host: {host} on the reload endpoint"
        );
    }
    // No Host header at all (HTTP/1.0): not a browser, so not a rebinding
    // attack; served.
    let (status, _, body) = raw_http(port, b"GET / HTTP/1.0\r\n\r\n");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("Languedoc-Roussillon"));
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn edits_break_and_recovery_are_seen_live() {
    let p = Project::example();
    let server = Server::start(&p, &["--no-pdf"]);
    let g1 = server.generation();
    assert_eq!(g1, 1, "the first build is generation 1");

    p.edit(UPDATE, "percent: 90", "percent: 77");
    let g2 = server.wait_generation_above(g1);
    server.wait_for(PAGE, "the edited figure", |b| {
        b.contains("<span class=\"value\">77\u{202F}%</span>")
    });

    p.edit(UPDATE, "percent: 77", "percent: 190");
    let g3 = server.wait_generation_above(g2);
    let body = server.wait_for(PAGE, "the overlay", |b| b.contains("relance-overlay"));
    let (status, _) = get(server.port, PAGE);
    assert_eq!(status, 200, "the last good build is still served");
    assert!(
        body.contains("<span class=\"value\">77\u{202F}%</span>"),
        "last good figure kept"
    );
    assert!(body.contains("content/regions/languedoc-roussillon/2020-05-14.yaml:17:12: error: telework.percent must be between 0 and 100, found 190"), "{body}");

    p.edit(UPDATE, "percent: 190", "percent: 65");
    let g4 = server.wait_generation_above(g3);
    server.wait_for(PAGE, "recovery", |b| {
        b.contains("<span class=\"value\">65\u{202F}%</span>") && !b.contains("relance-overlay")
    });
    let now = server.generation();
    assert!(
        now >= g4 && g4 > g3 && g3 > g2 && g2 > g1,
        "{g1} {g2} {g3} {g4} {now}"
    );
    // The reload script of a page names the generation it was served at.
    let (_, page) = get(server.port, PAGE);
    assert!(
        page.contains(&format!("data-generation=\"{now}\"")),
        "{page}"
    );
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn starts_with_broken_content_and_recovers() {
    let p = Project::example();
    p.edit(UPDATE, "percent: 90", "percent: 190");
    let server = Server::start(&p, &["--no-pdf"]);
    let (status, body) = get(server.port, "/");
    assert_eq!(status, 503);
    assert!(body.contains(":17:12: error:"), "{body}");
    let g = server.generation();
    p.edit(UPDATE, "percent: 190", "percent: 90");
    server.wait_generation_above(g);
    server.wait_for("/", "the recovered overview", |b| {
        b.contains("Languedoc-Roussillon") && !b.contains("relance-overlay")
    });
    let (status, _) = get(server.port, "/");
    assert_eq!(status, 200);
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn templates_folder_is_watched() {
    let p = Project::example();
    std::fs::create_dir_all(p.path("templates")).unwrap();
    let server = Server::start(&p, &["--no-pdf"]);
    let (_, css) = get(server.port, "/assets/style.css");
    assert!(!css.contains("rebeccapurple"));
    let g = server.generation();
    p.write("templates/style.css", "body { color: rebeccapurple; }\n");
    server.wait_generation_above(g);
    server.wait_for("/assets/style.css", "the overriding stylesheet", |b| {
        b == "body { color: rebeccapurple; }\n"
    });
    // A broken overriding template shows the overlay, located.
    let g = server.generation();
    p.write(
        "templates/index.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n{% endblock main %}\n",
    );
    server.wait_generation_above(g);
    let body = server.wait_for("/", "the template error", |b| b.contains("relance-overlay"));
    assert!(body.contains("templates/index.html:3:"), "{body}");
    // Removing it recovers.
    let g = server.generation();
    std::fs::remove_file(p.path("templates/index.html")).unwrap();
    server.wait_generation_above(g);
    server.wait_for("/", "recovery", |b| !b.contains("relance-overlay"));
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn a_locales_folder_made_while_serving_is_watched() {
    let p = Project::example();
    let server = Server::start(&p, &["--no-pdf"]);
    let (_, page) = get(server.port, "/");
    assert!(!page.contains("Vue d’ensemble rebaptisée"));
    // The folder does not exist when the preview starts.
    assert!(!p.path("locales").exists());
    let g = server.generation();
    std::fs::create_dir(p.path("locales")).unwrap();
    server.wait_generation_above(g);
    // A catalogue written in it afterwards is read, message by message.
    let g = server.generation();
    p.write(
        "locales/fr.ftl",
        "ui-overview = Vue d’ensemble rebaptisée\n",
    );
    server.wait_generation_above(g);
    server.wait_for("/", "the overriding catalogue", |b| {
        b.contains("Vue d’ensemble rebaptisée")
    });
    assert_eq!(server.stop(), Some(0));
}

/// PDFs and PNGs are not made up front by the preview (they are the
/// costly files) but each is made, whole, when it is asked for.
#[test]
fn serves_pdfs_and_images_when_asked() {
    let p = Project::example();
    let server = Server::start(&p, &[]);
    let dir = "/regions/languedoc-roussillon/2020-05-14";
    for (file, kind, magic) in [
        (
            "languedoc-roussillon-2020-05-14.pdf",
            "application/pdf",
            &b"%PDF-"[..],
        ),
        (
            "languedoc-roussillon-2020-05-14-press.pdf",
            "application/pdf",
            b"%PDF-",
        ),
        ("card.png", "image/png", b"\x89PNG\r\n\x1a\n"),
        ("telework.png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ] {
        let req =
            format!("GET {dir}/{file} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        let (status, head, body) = raw_http(server.port, req.as_bytes());
        assert_eq!(status, 200, "{file}");
        assert!(head.contains(&format!("content-type: {kind}")), "{head}");
        assert!(body.starts_with(magic), "{file} is not a {kind}");
        assert!(body.len() > 5_000, "{file}: {} bytes", body.len());
    }
    let (_, page) = get(server.port, &format!("{dir}/index.html"));
    assert!(page.contains("href=\"languedoc-roussillon-2020-05-14.pdf\""));
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn non_loopback_bind_warns() {
    let p = Project::example();
    let server = Server::start(&p, &["--no-pdf", "--bind", "0.0.0.0"]);
    assert!(
        server
            .log
            .lock()
            .unwrap()
            .contains("warning: serving on 0.0.0.0")
    );
    let loopback = Project::example();
    let quiet = Server::start(&loopback, &["--no-pdf"]);
    assert!(!quiet.log.lock().unwrap().contains("warning"));
    assert_eq!(quiet.stop(), Some(0));
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn missing_content_is_a_usage_error() {
    let p = Project::example();
    let run = p.run(&["serve", "--content", "nowhere", "--port", "0"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("no content folder at `nowhere`"),
        "{}",
        run.stderr
    );
}
