//! `relance serve` over real HTTP: pages, traversal, Host check, live
//! rebuilds, the error overlay and recovery, and a clean Ctrl-C.

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
    for evil in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2fetc/passwd",
        "/regions/..%5c..%5cetc/passwd",
        "/%2e%2e%2f%2e%2e%2fcontent/site.yaml",
        "/content/site.yaml",
    ] {
        let (status, body) = get(server.port, evil);
        assert_eq!(status, 404, "{evil} was served");
        assert!(
            !body.contains("root:") && !body.contains("organisation:"),
            "{evil} leaked a file"
        );
    }
    let (status, _) = http("GET", server.port, "/", "attacker.example", None);
    assert_eq!(
        status, 403,
        "DNS rebinding: a foreign Host header must be refused"
    );
    let (status, _) = http("GET", server.port, "/", "localhost:1111", None);
    assert_eq!(status, 200);
    // serve never writes output/.
    assert!(!p.path("output").exists());
    assert_eq!(server.stop(), Some(0), "Ctrl-C stops cleanly");
}

#[test]
fn edits_break_and_recovery_are_seen_live() {
    let p = Project::example();
    let server = Server::start(&p, &["--no-pdf"]);
    let (_, before) = get(server.port, "/__relance/wait?since=0");
    assert!(before.contains("\"generation\":1"), "{before}");

    p.edit(UPDATE, "percent: 90", "percent: 77");
    let took = server.wait_for(PAGE, 2.0, |b| b.contains("77\u{202F}%"));
    assert!(
        took.is_some(),
        "the edited figure did not appear within 2 s\n{}",
        server.log.lock().unwrap()
    );

    p.edit(UPDATE, "percent: 77", "percent: 190");
    let broken = server.wait_for(PAGE, 2.0, |b| b.contains("relance-overlay"));
    assert!(broken.is_some(), "no overlay after breaking the content");
    let (status, body) = get(server.port, PAGE);
    assert_eq!(status, 200, "the last good build is still served");
    assert!(body.contains("77\u{202F}%"), "last good figure kept");
    assert!(body.contains("content/regions/languedoc-roussillon/2020-05-14.yaml:17:12: error: telework.percent must be between 0 and 100, found 190"), "{body}");

    p.edit(UPDATE, "percent: 190", "percent: 65");
    let fixed = server.wait_for(PAGE, 2.0, |b| {
        b.contains("65\u{202F}%") && !b.contains("relance-overlay")
    });
    assert!(fixed.is_some(), "did not recover after the fix");
    let (_, after) = get(server.port, "/__relance/wait?since=1");
    assert!(
        !after.contains("\"generation\":1"),
        "generation moves on: {after}"
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
    p.edit(UPDATE, "percent: 190", "percent: 90");
    assert!(
        server
            .wait_for("/", 2.0, |b| b.contains("Languedoc-Roussillon")
                && !b.contains("relance-overlay"))
            .is_some()
    );
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
}

#[test]
fn missing_content_is_a_usage_error() {
    let p = Project::example();
    let run = p.run(&["serve", "--content", "nowhere", "--port", "0"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}
