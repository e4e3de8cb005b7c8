//! Embargo (`publish_at:`): an update not yet due at the build's instant
//! appears nowhere — the site is byte for byte the site without its file —
//! yet is validated; the clock passing its `publish_at` publishes it even
//! when no file changed; the summary and `--report` say when to build
//! again; the preview shows it under a banner.

mod common;
use common::*;

const REGION: &str = "content/regions/languedoc-roussillon";
const NEXT: &str = "content/regions/languedoc-roussillon/2020-05-21.yaml";
const PUBLISH_AT: &str = "2020-05-21T18:00:00+02:00";
/// One second before the embargo lifts, and the very instant it does,
/// written in UTC: the offsets are compared, not the wall clocks.
const BEFORE: &str = "2020-05-21T15:59:59Z";
const AT: &str = "2020-05-21T16:00:00Z";

/// The example's update, re-dated to `date`, with figures of its own so
/// that every output it reaches (overview, changes, charts) differs.
fn next_update(p: &Project, date: &str, publish_at: Option<&str>) -> String {
    let text = p
        .read(UPDATE)
        .replace("date: 2020-05-14", &format!("date: {date}"))
        .replace("percent: 90", "percent: 70")
        .replace("reopened: 20", "reopened: 18");
    match publish_at {
        Some(at) => format!("{text}publish_at: {at}\n"),
        None => text,
    }
}

fn with_pending(at: &str) -> Project {
    let p = Project::example();
    p.write(NEXT, next_update(&p, "2020-05-21", Some(at)));
    p
}

fn build_at(p: &Project, now: &str, extra: &[&str]) -> (Run, serde_json::Value) {
    let mut args = vec!["--now", now];
    args.extend_from_slice(extra);
    let (run, report) = p.build_report(&args);
    assert_ok(&run);
    (run, report)
}

#[test]
fn a_site_before_its_embargo_is_the_site_without_the_file() {
    let with = with_pending(PUBLISH_AT);
    let without = Project::example();
    // PDFs included: they show the previous and next updates too.
    build_at(&with, BEFORE, &[]);
    build_at(&without, BEFORE, &[]);
    let site = with.snapshot("output");
    assert!(site.contains_key("sitemap.xml") && site.contains_key("data/updates.csv"));
    assert_same_site(
        &site,
        &without.snapshot("output"),
        "built before the embargo",
    );
    // Nothing of it anywhere, not even its date.
    for (path, bytes) in &site {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("2020-05-21"),
            "{path} mentions the pending update"
        );
        assert!(
            !text.contains("21 mai"),
            "{path} mentions the pending update"
        );
    }
    // `check` agrees that nothing is wrong.
    assert_ok(&with.run(&["check", "--now", BEFORE]));
}

#[test]
fn an_update_is_published_at_its_instant_with_its_changes() {
    let p = with_pending(PUBLISH_AT);
    build_at(&p, AT, &["--no-pdf"]);
    let page = p.read("output/regions/languedoc-roussillon/2020-05-21/index.html");
    assert!(page.contains("70"), "the new figures");
    assert!(!page.contains("class=\"embargo\""), "no banner in a build");
    // It is the latest: the overview and the feed show it.
    assert!(p.read("output/index.html").contains("21 mai 2020"));
    assert!(p.read("output/feed.xml").contains("2020-05-21/index.html"));
}

#[test]
fn a_pending_update_is_still_validated() {
    let p = with_pending(PUBLISH_AT);
    p.edit(NEXT, "percent: 70", "percent: 170");
    let run = p.run(&["build", "--no-pdf", "--now", BEFORE]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("telework.percent must be between 0 and 100, found 170"),
        "{}",
        run.stderr
    );
    assert!(!p.path("output").exists(), "nothing was written");
}

#[test]
fn the_clock_passing_publish_at_publishes_on_a_no_op_build() {
    let p = with_pending(PUBLISH_AT);
    let (_, first) = build_at(&p, BEFORE, &["--no-pdf"]);
    assert!(
        !p.path("output/regions/languedoc-roussillon/2020-05-21")
            .exists()
    );
    assert!(!rendered_units(&first).is_empty());
    // Still before: nothing changed, nothing is written.
    let state = p.state();
    let (_, same) = build_at(&p, BEFORE, &["--no-pdf"]);
    assert!(rendered_units(&same).is_empty(), "{same}");
    assert_eq!(
        p.state(),
        state,
        "a no-op build before the embargo wrote something"
    );
    // The clock passes publish_at; no file changed. The update is published,
    // and the site is the one a clean build gives at that instant.
    let (_, after) = build_at(&p, AT, &["--no-pdf"]);
    let rendered = rendered_units(&after);
    assert!(
        rendered.contains(&"update:languedoc-roussillon/2020-05-21".to_string()),
        "{rendered:?}"
    );
    assert!(rendered.contains(&"global".to_string()), "{rendered:?}");
    assert!(
        p.path("output/regions/languedoc-roussillon/2020-05-21/index.html")
            .is_file()
    );
    let clean = with_pending(PUBLISH_AT);
    build_at(&clean, AT, &["--no-pdf"]);
    assert_same_site(
        &p.snapshot("output"),
        &clean.snapshot("output"),
        "incremental after the embargo lifted vs clean",
    );
    // And a build asked for an earlier instant takes it down again.
    build_at(&p, BEFORE, &["--no-pdf"]);
    let before = Project::example();
    build_at(&before, BEFORE, &["--no-pdf"]);
    assert_same_site(
        &p.snapshot("output"),
        &before.snapshot("output"),
        "built again before the embargo",
    );
}

#[test]
fn summary_and_report_give_the_next_publish_at() {
    let p = with_pending(PUBLISH_AT);
    p.write(
        &format!("{REGION}/2020-05-28.yaml"),
        next_update(&p, "2020-05-28", Some("2020-05-28T09:30:00+02:00")),
    );
    let (run, report) = build_at(&p, BEFORE, &["--no-pdf"]);
    assert_eq!(report["next_publish_at"], PUBLISH_AT);
    let pending = report["pending"].as_array().unwrap();
    assert_eq!(pending.len(), 2);
    assert_eq!(pending[0]["date"], "2020-05-21");
    assert_eq!(pending[0]["region"], "languedoc-roussillon");
    assert_eq!(pending[0]["publish_at"], PUBLISH_AT);
    assert_eq!(pending[1]["publish_at"], "2020-05-28T09:30:00+02:00");
    assert_eq!(report["updates"], 1);
    assert!(
        run.stderr.contains(&format!(
            "2 update(s) under embargo, next publish_at {PUBLISH_AT}"
        )),
        "{}",
        run.stderr
    );
    // The no-op build (from the cache) says the same.
    let (run, report) = build_at(&p, BEFORE, &["--no-pdf"]);
    assert!(rendered_units(&report).is_empty());
    assert_eq!(report["next_publish_at"], PUBLISH_AT);
    assert_eq!(report["pending"].as_array().unwrap().len(), 2);
    assert!(run.stderr.contains("next publish_at"), "{}", run.stderr);
    // Between the two: the next is the second.
    let (_, report) = build_at(&p, "2020-05-25T00:00:00Z", &["--no-pdf"]);
    assert_eq!(report["next_publish_at"], "2020-05-28T09:30:00+02:00");
    assert_eq!(report["updates"], 2);
    // After both: nothing pending, and the summary says nothing of it.
    let (run, report) = build_at(&p, "2020-06-01T00:00:00+02:00", &["--no-pdf"]);
    assert!(report["next_publish_at"].is_null());
    assert!(!run.stderr.contains("embargo"), "{}", run.stderr);
}

#[test]
fn the_preview_shows_a_pending_update_under_a_banner() {
    let p = with_pending(PUBLISH_AT);
    let server = Server::start(&p, &["--no-pdf", "--now", BEFORE]);
    let page = server.wait_for(
        "/regions/languedoc-roussillon/2020-05-21/index.html",
        "the pending update with its banner",
        |page| page.contains("class=\"embargo\""),
    );
    assert!(
        page.contains("Sous embargo jusqu&#39;au 21 mai 2020 à 18\u{a0}h\u{a0}00 (UTC+02:00)"),
        "{page}"
    );
    let (_, published) = get(
        server.port,
        "/regions/languedoc-roussillon/2020-05-14/index.html",
    );
    assert!(!published.contains("class=\"embargo\""));
    let log = server.log.lock().unwrap().clone();
    assert!(
        log.contains(&format!(
            "1 update(s) under embargo, shown under a banner (next publish_at {PUBLISH_AT})"
        )),
        "{log}"
    );
    server.stop();
    // Never in a build.
    build_at(&p, BEFORE, &["--no-pdf"]);
    for (path, bytes) in p.snapshot("output") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("class=\"embargo\"") && !text.contains("Sous embargo"),
            "{path} shows an embargo"
        );
    }
}

#[test]
fn the_banner_is_worded_in_each_language() {
    let p = Project::from(&repo().join("tests/fixtures/multi"));
    let update = "content/regions/north-coast/2020-05-21.yaml";
    let text = p
        .read("content/regions/north-coast/2020-05-14.yaml")
        .replace("date: 2020-05-14", "date: 2020-05-21");
    p.write(
        update,
        format!("{text}publish_at: 2020-05-21T09:05:00-04:00\n"),
    );
    p.edit("content/site.yaml", "language: en", "languages: [en, es]");
    let server = Server::start(&p, &["--no-pdf", "--now", "2020-05-21T13:04:59Z"]);
    let en = server.wait_for(
        "/regions/north-coast/2020-05-21/index.html",
        "the English banner",
        |page| page.contains("class=\"embargo\""),
    );
    assert!(
        en.contains("Embargoed until 21 May 2020 at 09:05 (UTC-04:00)"),
        "{en}"
    );
    let (_, es) = get(server.port, "/es/regions/north-coast/2020-05-21/index.html");
    assert!(
        es.contains("Bajo embargo hasta el 21 de mayo de 2020 a las 09:05 (UTC-04:00)"),
        "{es}"
    );
    server.stop();
}

#[test]
fn brief_leaves_pending_updates_out() {
    let p = with_pending(PUBLISH_AT);
    let brief = |args: &[&str]| {
        let mut all = vec!["brief", "languedoc-roussillon"];
        all.extend_from_slice(args);
        p.run(&all)
    };
    let before = brief(&["--now", BEFORE]);
    assert_ok(&before);
    assert!(before.stdout.contains("14 mai 2020"), "{}", before.stdout);
    let asked = brief(&["--now", BEFORE, "--date", "2020-05-21"]);
    assert_eq!(asked.code, 2, "{}", asked.stderr);
    assert!(
        asked.stderr.contains("dates: 2020-05-14"),
        "{}",
        asked.stderr
    );
    let after = brief(&["--now", AT]);
    assert_ok(&after);
    assert!(after.stdout.contains("21 mai 2020"), "{}", after.stdout);
    assert!(after.stdout.contains("70\u{202f}%"), "{}", after.stdout);
}

#[test]
fn now_must_be_rfc3339_with_an_offset() {
    let p = Project::example();
    for (bad, why) in [
        ("2020-05-21T18:00:00", "has no offset"),
        ("2020-05-21", "expected a date and time"),
        ("tomorrow", "expected a date and time"),
    ] {
        for command in [
            &["build"][..],
            &["check"],
            &["brief", "languedoc-roussillon"],
        ] {
            let mut args = command.to_vec();
            args.extend_from_slice(&["--now", bad]);
            let run = p.run(&args);
            assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
            assert!(run.stderr.contains(why), "{args:?}: {}", run.stderr);
        }
    }
    assert!(!p.path("output").exists());
}

#[test]
fn a_bilingual_site_before_its_embargo_is_the_site_without_the_file() {
    let fixture = repo().join("tests/fixtures/bilingual");
    let (with, without) = (Project::from(&fixture), Project::from(&fixture));
    let text = with
        .read(UPDATE)
        .replace("date: 2020-05-14", "date: 2020-05-21");
    with.write(NEXT, format!("{text}publish_at: {PUBLISH_AT}\n"));
    // Its narratives too: a pending update's `.md` files are not published.
    with.write(
        "content/regions/languedoc-roussillon/2020-05-21.en.md",
        "Not yet.\n",
    );
    build_at(&with, BEFORE, &["--no-pdf"]);
    build_at(&without, BEFORE, &["--no-pdf"]);
    let site = with.snapshot("output");
    assert!(site.contains_key("en/corrections/index.html"));
    assert_same_site(
        &site,
        &without.snapshot("output"),
        "bilingual, before the embargo",
    );
}
