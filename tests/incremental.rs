//! Incremental builds, feeds, sitemap and open data.
//!
//! Every incremental build is checked three ways: its output equals a clean
//! build of the same content byte for byte; exactly the expected units were
//! re-rendered (the `rendered` list of `--report`); and the counts of the
//! report and the inodes on disk agree with a diff of the two sites computed
//! here: a file whose bytes did not change keeps its inode (a hard link to
//! the published one), a changed file is a new one.

mod common;
use common::*;
use std::collections::{BTreeMap, BTreeSet};

/// Units of the multi fixture.
const MULTI_UNITS: [&str; 7] = [
    "global",
    "region:east-valley",
    "region:empty-hills",
    "region:north-coast",
    "update:east-valley/2020-05-12",
    "update:north-coast/2020-05-07",
    "update:north-coast/2020-05-14",
];

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn sorted(list: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

/// The published site (cache and marker left out).
fn site(p: &Project) -> BTreeMap<String, Vec<u8>> {
    let mut s = p.snapshot("output");
    s.remove(".relance-output");
    s
}

/// Builds `p`, applies `edit`, builds again incrementally; checks the
/// result against a clean build, the re-rendered units against `expected`,
/// and the report's counts and the inodes against the diff of the sites.
fn incremental(
    p: &Project,
    args: &[&str],
    edit: impl FnOnce(&Project),
    expected: &[&str],
) -> (Run, serde_json::Value) {
    let mut full = vec!["build"];
    full.extend_from_slice(args);
    assert_ok(&p.run(&full));
    let before = site(p);
    let before_ino = p.inodes("output");
    edit(p);
    let (run, report) = p.build_report(args);
    assert_ok(&run);
    let after = site(p);
    let after_ino = p.inodes("output");

    // Incremental == clean.
    let clean = Project::from(&p.path("content"));
    if p.path("templates").is_dir() {
        copy_dir(&p.path("templates"), &clean.path("templates"));
    }
    assert_ok(&clean.run(&full));
    let fresh = site(&clean);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>(),
        "different file sets from a clean build"
    );
    for (k, v) in &after {
        assert!(v == &fresh[k], "{k} differs from a clean build");
    }

    // Exactly these units were re-rendered.
    assert_eq!(
        strings(&report["output"]["rendered"]),
        sorted(expected),
        "re-rendered units\n{}",
        run.stderr
    );
    assert_eq!(report["output"]["rendered_units"], expected.len());

    // The counts are those of the diff, and unchanged files are the very
    // same files (hard links), changed ones are new files.
    let changed: BTreeSet<&String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| k)
        .collect();
    let removed = before.keys().filter(|k| !after.contains_key(*k)).count();
    assert_eq!(report["output"]["files"], after.len());
    assert_eq!(report["output"]["changed"], changed.len(), "{changed:?}");
    assert_eq!(report["output"]["unchanged"], after.len() - changed.len());
    assert_eq!(report["output"]["removed"], removed);
    assert!(
        run.stderr.contains(&format!(
            ": {} files ({} changed, {} unchanged, {removed} removed)",
            after.len(),
            changed.len(),
            after.len() - changed.len()
        )),
        "{}",
        run.stderr
    );
    for path in after.keys() {
        let same_inode = before_ino.get(path) == after_ino.get(path);
        if changed.contains(path) {
            assert!(!same_inode, "{path} changed but kept its inode");
        } else {
            assert!(
                same_inode,
                "{path} did not change but was rewritten (not a hard link)"
            );
        }
    }
    (run, report)
}

#[test]
fn edited_update_rebuilds_what_depends_on_it() {
    // With PDFs: they are part of the units too.
    let p = Project::multi();
    incremental(
        &p,
        &[],
        |p| {
            p.edit(
                "content/regions/north-coast/2020-05-07.yaml",
                "percent: 90",
                "percent: 80",
            )
        },
        // The update, its successor (change since), its region and the
        // site-wide files; not east-valley nor empty-hills.
        &[
            "update:north-coast/2020-05-07",
            "update:north-coast/2020-05-14",
            "region:north-coast",
            "global",
        ],
    );
    let page = p.read("output/regions/north-coast/2020-05-14/index.html");
    assert!(
        page.contains("\u{2212}20 points"),
        "the next update's change follows the edit"
    );
    assert!(!page.contains("\u{2212}30 points"));
}

#[test]
fn edited_narrative_file() {
    let p = Project::multi();
    incremental(
        &p,
        &["--no-pdf"],
        |p| {
            let md = p.read("content/regions/north-coast/2020-05-14.md");
            p.write(
                "content/regions/north-coast/2020-05-14.md",
                md + "\nAn added line.\n",
            )
        },
        &[
            "update:north-coast/2020-05-14",
            "region:north-coast",
            "global",
        ],
    );
    assert!(
        p.read("output/regions/north-coast/2020-05-14/index.html")
            .contains("An added line.")
    );
}

#[test]
fn edited_region_file() {
    let p = Project::multi();
    incremental(
        &p,
        &["--no-pdf"],
        |p| {
            p.edit(
                "content/regions/north-coast/region.yaml",
                "name: North Coast",
                "name: Northern Coast",
            )
        },
        &[
            "update:north-coast/2020-05-07",
            "update:north-coast/2020-05-14",
            "region:north-coast",
            "global",
        ],
    );
    assert!(
        p.read("output/regions/north-coast/2020-05-07/index.html")
            .contains("Northern Coast")
    );
}

#[test]
fn edited_site_file() {
    let p = Project::multi();
    incremental(
        &p,
        &["--no-pdf"],
        |p| p.edit("content/site.yaml", "language: en", "language: fr"),
        &MULTI_UNITS,
    );
    assert!(
        p.read("output/regions/north-coast/2020-05-07/index.html")
            .contains("<html lang=\"fr\">")
    );
}

#[test]
fn edited_template() {
    let p = Project::multi();
    let base = std::fs::read_to_string(repo().join("templates/base.html")).unwrap();
    incremental(
        &p,
        &["--no-pdf"],
        |p| {
            p.write(
                "templates/base.html",
                base.replace("<main id=\"main\"", "<main data-edited id=\"main\""),
            )
        },
        &MULTI_UNITS,
    );
    assert!(
        p.read("output/regions/east-valley/2020-05-12/index.html")
            .contains("data-edited")
    );
}

#[test]
fn added_and_removed_updates() {
    let p = Project::multi();
    incremental(
        &p,
        &["--no-pdf"],
        |p| {
            std::fs::remove_file(p.path("content/regions/north-coast/2020-05-14.yaml")).unwrap();
            std::fs::remove_file(p.path("content/regions/north-coast/2020-05-14.md")).unwrap();
            p.write(
                "content/regions/east-valley/2020-05-19.yaml",
                "title: Later\ndate: 2020-05-19\ntelework:\n  percent: 50\n",
            );
        },
        &[
            // Its next update changed (a link to it, or none any more).
            "update:east-valley/2020-05-12",
            "update:east-valley/2020-05-19",
            "region:east-valley",
            "update:north-coast/2020-05-07",
            "region:north-coast",
            "global",
        ],
    );
    assert!(!p.path("output/regions/north-coast/2020-05-14").exists());
    assert!(
        p.path("output/regions/east-valley/2020-05-19/index.html")
            .is_file()
    );
}

#[test]
fn nothing_changed_writes_nothing() {
    let p = Project::example();
    assert_ok(&p.build());
    let state = p.state();
    // Different times would show a rewrite even on a coarse clock.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let (run, report) = p.build_report(&[]);
    assert_ok(&run);
    // Nothing in the project folder was created, written, replaced or
    // removed: not a page, not the cache, not a staging folder (which would
    // change the folders' times).
    assert_eq!(p.state(), state, "the no-op build wrote something");
    let files = site(&p).len();
    assert_eq!(report["output"]["files"], files);
    assert_eq!(report["output"]["changed"], 0);
    assert_eq!(report["output"]["unchanged"], files);
    assert_eq!(report["output"]["removed"], 0);
    assert_eq!(report["output"]["rendered_units"], 0);
    assert_eq!(strings(&report["output"]["rendered"]), Vec::<String>::new());
    assert_eq!(report["output"]["reused_units"], 3);
    // Nothing parsed either.
    assert_eq!(report["input_files"], 0);
    assert!(
        run.stderr.contains(&format!(
            ": {files} files (0 changed, {files} unchanged, 0 removed)"
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn files_read_again_on_a_no_op_are_trusted_from_then_on() {
    let p = Project::example();
    // Built within a second of writing the content: the index cannot vouch
    // for the files yet ("racily clean"), so a no-op build reads them.
    assert_ok(&p.build());
    let cache = || p.read("output/.relance-cache");
    let indexed = |c: &str| -> i128 {
        c.lines()
            .find_map(|l| l.strip_prefix("indexed "))
            .and_then(|t| t.parse().ok())
            .expect("the cache records when it indexed the content")
    };
    let first = cache();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (run, report) = p.build_report(&[]);
    assert_ok(&run);
    assert_eq!(report["output"]["changed"], 0);
    // Now they are old enough: the index records that, once...
    let second = cache();
    assert!(indexed(&second) > indexed(&first), "{second}");
    // ...and the next no-op build writes nothing at all.
    let state = p.state();
    let (run, _) = p.build_report(&[]);
    assert_ok(&run);
    assert_eq!(p.state(), state, "the second no-op build wrote something");
    assert_eq!(cache(), second);
}

/// Every entry under the output folder (files, folders, links), by kind.
fn entries(p: &Project) -> BTreeMap<String, char> {
    p.state()
        .into_iter()
        .filter(|(k, _)| k.starts_with("output/"))
        .map(|(k, (kind, ..))| (k, kind))
        .collect()
}

/// Waits until what the last build wrote is more than a second old, then
/// runs the no-op build that records the survey of the output's folders
/// (a folder changed in the second it is surveyed cannot be vouched for).
fn settle(p: &Project) {
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let cache = p.read("output/.relance-cache");
    assert!(cache.contains("\nsurveyed "), "no survey recorded");
    assert!(
        cache.lines().any(|l| l.starts_with("folder ")
            && l.ends_with(" regions/languedoc-roussillon/2020-05-14/embed")),
        "the deepest folder was not surveyed"
    );
    // From now on a no-op is proved from the survey and writes nothing.
    let state = p.state();
    let (run, report) = p.build_report(&["--no-pdf"]);
    assert_ok(&run);
    assert_eq!(report["output"]["rendered_units"], 0);
    assert_eq!(p.state(), state, "a settled no-op build wrote something");
}

/// An edit made by hand to a published output.
type Tamper = Box<dyn Fn(&Project)>;

/// A no-op build proves the output unchanged from the survey of its
/// folders instead of listing them; each kind of hand edit of a settled
/// output must still be seen and undone, however deep it is.
#[test]
fn a_settled_output_edited_by_hand_is_restored() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let clean = site(&p);
    let listing = entries(&p);
    const DIR: &str = "output/regions/languedoc-roussillon/2020-05-14";
    let tampers: [(&str, Tamper); 9] = [
        (
            "a stray file in a deep folder",
            Box::new(|p| p.write(&format!("{DIR}/embed/stray.html"), "<p>stray</p>")),
        ),
        (
            "a stray empty folder",
            Box::new(|p| std::fs::create_dir(p.path(&format!("{DIR}/stray"))).unwrap()),
        ),
        (
            "a link beside the pages",
            Box::new(|p| {
                std::os::unix::fs::symlink("/etc/hostname", p.path(&format!("{DIR}/link"))).unwrap()
            }),
        ),
        (
            "a deleted page",
            Box::new(|p| std::fs::remove_file(p.path(&format!("{DIR}/index.html"))).unwrap()),
        ),
        (
            "a page rewritten in place",
            Box::new(|p| {
                use std::io::Write;
                let mut f = std::fs::OpenOptions::new()
                    .append(true)
                    .open(p.path(&format!("{DIR}/index.html")))
                    .unwrap();
                f.write_all(b"<script>alert(1)</script>").unwrap();
            }),
        ),
        (
            "a page replaced by a folder",
            Box::new(|p| {
                let page = p.path(&format!("{DIR}/brief.txt"));
                std::fs::remove_file(&page).unwrap();
                std::fs::create_dir(&page).unwrap();
            }),
        ),
        (
            "a stray file at the top",
            Box::new(|p| p.write("output/stray.txt", "stray")),
        ),
        (
            "a file whose name is not UTF-8",
            Box::new(|p| {
                use std::os::unix::ffi::OsStrExt;
                let odd = std::ffi::OsStr::from_bytes(b"\xff.html");
                std::fs::write(p.path(DIR).join(odd), "stray").unwrap();
            }),
        ),
        (
            "a hidden file named like relance's own",
            Box::new(|p| p.write("output/.relance-stray.html", "<p>stray</p>")),
        ),
    ];
    for (what, tamper) in tampers {
        settle(&p);
        tamper(&p);
        assert!(
            site(&p) != clean || entries(&p) != listing,
            "{what}: the tamper changed nothing"
        );
        let run = p.run(&["build", "--no-pdf"]);
        assert_ok(&run);
        assert_eq!(site(&p), clean, "{what}: not restored");
        assert_eq!(entries(&p), listing, "{what}: entries differ");
    }
}

#[test]
fn output_edited_by_hand_is_restored() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let clean = p.snapshot("output");
    p.write(
        "output/regions/languedoc-roussillon/2020-05-14/index.html",
        "defaced",
    );
    p.write("output/stray.html", "not ours");
    std::fs::remove_file(p.path("output/feed.xml")).unwrap();
    let (run, report) = p.build_report(&["--no-pdf"]);
    assert_ok(&run);
    assert_eq!(
        p.snapshot("output"),
        clean,
        "the cache was trusted over the disk"
    );
    // Only the units whose files were touched were re-rendered.
    assert_eq!(
        strings(&report["output"]["rendered"]),
        sorted(&["global", "update:languedoc-roussillon/2020-05-14"])
    );
    assert_eq!(report["output"]["changed"], 2, "the page and feed.xml");
    assert_eq!(report["output"]["removed"], 1, "stray.html");
}

#[test]
fn corrupt_or_foreign_cache_is_ignored_with_a_warning() {
    for bad in [
        "garbage\n",
        "relance-cache 1\nversion 0.0.0-other\ntheme 0\npdf 1\ncontent 0\n",
        "relance-cache 1\nversion 0.1.0\ntheme zz\n",
    ] {
        let p = Project::example();
        assert_ok(&p.run(&["build", "--no-pdf"]));
        let clean = p.snapshot("output");
        p.write("output/.relance-cache", bad);
        p.edit(UPDATE, "percent: 90", "percent: 91");
        let (run, report) = p.build_report(&["--no-pdf"]);
        assert_ok(&run);
        assert!(
            run.stderr.contains("warning: ignoring"),
            "{bad:?}: {}",
            run.stderr
        );
        // Nothing of the cache was trusted: every unit re-rendered.
        assert_eq!(
            strings(&report["output"]["rendered"]),
            sorted(&[
                "global",
                "region:languedoc-roussillon",
                "update:languedoc-roussillon/2020-05-14"
            ])
        );
        let fresh = Project::from(&p.path("content"));
        assert_ok(&fresh.run(&["build", "--no-pdf"]));
        assert_eq!(p.snapshot("output"), fresh.snapshot("output"));
        assert_ne!(p.snapshot("output"), clean);
        // The note was about that run's cache, not about the content: the
        // next build, a no-op, does not repeat it.
        let again = p.run(&["build", "--no-pdf"]);
        assert_ok(&again);
        assert!(
            !again.stderr.contains("warning"),
            "{bad:?}: {}",
            again.stderr
        );
    }
}

#[test]
fn warnings_are_repeated_on_a_no_op_build() {
    let p = Project::example();
    p.edit(UPDATE, "factor: 3", "factor: 300");
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let (again, report) = p.build_report(&["--no-pdf"]);
    assert_ok(&again);
    assert_eq!(report["output"]["rendered_units"], 0, "a no-op build");
    assert_eq!(
        again.stderr.matches(":42:15: warning:").count(),
        1,
        "{}",
        again.stderr
    );
    assert_eq!(report["warnings"], 1);
    assert_eq!(report["diagnostics"][0]["line"], 42);
    let state = p.state();
    let denied = p.run(&["build", "--no-pdf", "--deny-warnings"]);
    assert_eq!(denied.code, 1, "{}", denied.stderr);
    assert!(
        denied.stderr.contains(":42:15: warning:"),
        "{}",
        denied.stderr
    );
    assert_eq!(p.state(), state, "a denied build wrote something");
}

#[test]
fn feeds_and_sitemap_are_valid_xml_with_the_right_entries() {
    let p = Project::multi();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let feed = p.read("output/feed.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 3);
    let updated: Vec<&str> = entries
        .iter()
        .map(|e| {
            e.children()
                .find(|c| c.has_tag_name("updated"))
                .unwrap()
                .text()
                .unwrap()
        })
        .collect();
    assert_eq!(
        updated,
        [
            "2020-05-14T00:00:00Z",
            "2020-05-12T00:00:00Z",
            "2020-05-07T00:00:00Z"
        ],
        "newest first"
    );
    let links: Vec<&str> = entries
        .iter()
        .map(|e| {
            e.children()
                .find(|c| c.has_tag_name("link"))
                .unwrap()
                .attribute("href")
                .unwrap()
        })
        .collect();
    assert_eq!(
        links,
        [
            "https://example.org/continuity/regions/north-coast/2020-05-14/index.html",
            "https://example.org/continuity/regions/east-valley/2020-05-12/index.html",
            "https://example.org/continuity/regions/north-coast/2020-05-07/index.html",
        ]
    );
    let region = roxmltree::Document::parse(&p.read("output/regions/north-coast/feed.xml"))
        .unwrap()
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .count();
    assert_eq!(region, 2);
    let sitemap = p.read("output/sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let mut locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap())
        .collect();
    locs.sort();
    let base = "https://example.org/continuity/";
    let mut expected: Vec<String> = [
        "index.html",
        "corrections/index.html",
        "regions/east-valley/index.html",
        "regions/empty-hills/index.html",
        "regions/north-coast/index.html",
        "regions/east-valley/2020-05-12/index.html",
        "regions/north-coast/2020-05-07/index.html",
        "regions/north-coast/2020-05-14/index.html",
    ]
    .iter()
    .map(|p| format!("{base}{p}"))
    .collect();
    expected.sort();
    assert_eq!(
        locs, expected,
        "overview, corrections, three regions, three updates"
    );
}

#[test]
fn site_feed_holds_the_newest_hundred() {
    // 101 updates in one region: the site-wide feed keeps the newest 100,
    // the region feed and the open data keep all 101.
    let p = Project::example();
    std::fs::remove_dir_all(p.path("content")).unwrap();
    relance::synthetic::generate(&p.path("content"), 1, 101, "en").unwrap();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let region = relance::synthetic::region_slug(0);
    let dates: Vec<String> = (0..101)
        .map(|i| relance::synthetic::update_date(i).to_string())
        .collect();
    let mut newest_first = dates.clone();
    newest_first.sort();
    newest_first.reverse();
    let updated = |xml: &str| -> Vec<String> {
        roxmltree::Document::parse(xml)
            .unwrap()
            .descendants()
            .filter(|n| n.has_tag_name("entry"))
            .map(|e| {
                e.children()
                    .find(|c| c.has_tag_name("updated"))
                    .unwrap()
                    .text()
                    .unwrap()
                    .trim_end_matches("T00:00:00Z")
                    .to_string()
            })
            .collect()
    };
    let site_feed = updated(&p.read("output/feed.xml"));
    assert_eq!(site_feed.len(), 100);
    assert_eq!(
        site_feed,
        newest_first[..100],
        "the newest 100, newest first"
    );
    let region_feed = updated(&p.read(&format!("output/regions/{region}/feed.xml")));
    assert_eq!(region_feed, newest_first, "the region feed holds all 101");
    let json: serde_json::Value =
        serde_json::from_str(&p.read("output/data/updates.json")).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 101);
    let csv = p.read("output/data/updates.csv");
    assert_eq!(csv_records(&csv).1.len(), 101);

    // Exactly 100: all of them.
    let q = Project::example();
    std::fs::remove_dir_all(q.path("content")).unwrap();
    relance::synthetic::generate(&q.path("content"), 1, 100, "en").unwrap();
    assert_ok(&q.run(&["build", "--no-pdf"]));
    assert_eq!(updated(&q.read("output/feed.xml")).len(), 100);
}

#[test]
fn no_base_url_means_no_sitemap_and_a_warning() {
    let p = Project::multi();
    p.edit(
        "content/site.yaml",
        "base_url: https://example.org/continuity/\n",
        "",
    );
    let run = p.run(&["build", "--no-pdf"]);
    assert_ok(&run);
    assert!(
        run.stderr
            .contains("content/site.yaml:1:1: warning: no `base_url`"),
        "{}",
        run.stderr
    );
    assert!(!p.path("output/sitemap.xml").exists());
    let feed = p.read("output/feed.xml");
    roxmltree::Document::parse(&feed).unwrap();
    assert!(!feed.contains("https://example.org"), "{feed}");
}

#[test]
fn stale_sitemap_is_removed_when_base_url_goes() {
    let p = Project::multi();
    let (_, report) = incremental(
        &p,
        &["--no-pdf"],
        |p| {
            p.edit(
                "content/site.yaml",
                "base_url: https://example.org/continuity/\n",
                "",
            )
        },
        &MULTI_UNITS,
    );
    assert!(!p.path("output/sitemap.xml").exists(), "stale sitemap kept");
    assert!(report["output"]["removed"].as_u64().unwrap() >= 1);
    // And it comes back with the base_url.
    p.write(
        "content/site.yaml",
        p.read("content/site.yaml") + "base_url: https://example.org/continuity/\n",
    );
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert!(p.path("output/sitemap.xml").is_file());
}

/// Parses a CSV with a real CSV reader (quotes, commas and newlines in
/// cells); every record must have as many cells as the header.
fn csv_records(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            r.unwrap_or_else(|e| panic!("invalid CSV: {e}\n{text}"))
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    (header, rows)
}

/// The CSV columns as the README documents them, in order.
fn readme_csv_columns() -> Vec<String> {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let at = readme
        .find("these columns, in this order")
        .expect("README documents the CSV columns");
    let rest = &readme[at..];
    let start = rest.find("appended): `").unwrap() + "appended): `".len();
    let end = start + rest[start..].find('`').unwrap();
    rest[start..end]
        .split(',')
        .map(|c| c.trim().to_string())
        .collect()
}

#[test]
fn open_data_equals_the_fact_files() {
    let p = Project::multi();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let json: serde_json::Value =
        serde_json::from_str(&p.read("output/data/updates.json")).unwrap();
    let records = json.as_array().unwrap();
    assert_eq!(records.len(), 3);
    let nc = records
        .iter()
        .find(|r| r["region"] == "north-coast" && r["date"] == "2020-05-14")
        .unwrap();
    assert_eq!(nc["region_name"], "North Coast");
    assert_eq!(nc["telework"]["percent"], 60.0);
    assert_eq!(nc["shops"]["total"], 12);
    assert_eq!(nc["shops"]["reopened"], 12);
    assert_eq!(nc["shops_reopened_percent"], 100.0);
    assert_eq!(nc["online"]["growth_percent"], -5.0);
    assert_eq!(nc["incidents"].as_array().map(Vec::len), Some(1));
    // A section the fact file leaves out is null, incidents included:
    // "said nothing" is not "none".
    let ev = records
        .iter()
        .find(|r| r["region"] == "east-valley")
        .unwrap();
    assert!(ev["incidents"].is_null() && ev["online"].is_null(), "{ev}");
    assert_eq!(nc["traffic"]["multipliers"][1]["label"], "Telework");
    assert_eq!(nc["traffic"]["multipliers"][1]["factor"], 10.0);
    assert_eq!(nc["indicators"][0]["value"], 12500.0);
    assert_eq!(nc["changes"]["since"], "2020-05-07");
    assert_eq!(nc["changes"]["telework_points"], -30.0);
    assert_eq!(nc["changes"]["shops_reopened"], 8);
    assert_eq!(nc["changes"]["online_points"], 5.0);
    assert_eq!(nc["previous_date"], "2020-05-07");
    assert_eq!(
        nc["narrative_text"][0],
        "Shops reopened on 11 May, by appointment only."
    );
    let facts: serde_json::Value =
        serde_json::from_str(&p.read("output/regions/north-coast/2020-05-14/facts.json")).unwrap();
    assert_eq!(&facts, nc);

    // CSV: the documented columns in the documented order, read with a
    // real CSV reader, every cell of one row checked.
    let (header, rows) = csv_records(&p.read("output/data/updates.csv"));
    assert_eq!(header, readme_csv_columns(), "columns and their order");
    assert_eq!(rows.len(), 3);
    let row = rows
        .iter()
        .find(|r| r[0] == "north-coast" && r[2] == "2020-05-14")
        .unwrap();
    let expected = [
        ("region", "north-coast"),
        ("region_name", "North Coast"),
        ("date", "2020-05-14"),
        ("title", "Shops reopen by appointment"),
        ("telework_percent", "60"),
        ("shops_total", "12"),
        ("shops_reopened", "12"),
        ("shops_reopened_percent", "100"),
        ("shops_reopened_on", "2020-05-11"),
        ("shops_by_appointment", "true"),
        ("online_customers_percent", "55"),
        ("online_growth_percent", "-5"),
        ("traffic_network_held", "true"),
        ("traffic_multipliers", "Mobile voice=2; Telework=10"),
        ("priority_services", "Hospitals; Emergency services"),
        ("incidents", "1"),
        ("telework_change_points", "-30"),
        ("shops_reopened_change", "8"),
        ("online_change_points", "5"),
        ("previous_date", "2020-05-07"),
        ("source_name", "North Radio"),
        ("source_url", "https://example.org/north-radio"),
        ("speaker_name", "Jane Doe"),
        ("corrections", ""),
        ("indicators", "Calls to the help line=12500 calls"),
        ("telework_staff", ""),
        ("telework_remote", ""),
        ("telework_scope", ""),
        ("shops_stayed_open", ""),
    ];
    assert_eq!(expected.len(), header.len(), "every column is checked");
    for (i, (name, value)) in expected.iter().enumerate() {
        assert_eq!(header[i], *name);
        assert_eq!(row[i], *value, "column {name}");
    }
    // "Not given" is empty: east-valley has no online section, no source.
    let ev = rows.iter().find(|r| r[0] == "east-valley").unwrap();
    let col =
        |r: &Vec<String>, name: &str| r[header.iter().position(|h| h == name).unwrap()].clone();
    for empty in [
        "online_customers_percent",
        "traffic_multipliers",
        "previous_date",
        "source_url",
        "telework_change_points",
        "incidents",
        "indicators",
    ] {
        assert_eq!(col(ev, empty), "", "{empty} of east-valley");
    }
    assert_eq!(col(ev, "shops_reopened_percent"), "75");
    // Pages link to the data.
    assert!(
        p.read("output/regions/north-coast/2020-05-14/index.html")
            .contains("href=\"facts.json\"")
    );
}

#[test]
fn csv_quotes_commas_quotes_and_newlines() {
    let p = Project::multi();
    p.edit(
        "content/regions/north-coast/2020-05-14.yaml",
        "title: Shops reopen by appointment",
        "title: \"Shops reopen, \\\"by appointment\\\"\\nonly\"",
    );
    p.edit(
        "content/regions/north-coast/2020-05-14.yaml",
        "  - label: Telework",
        "  - label: \"Telework, video\"",
    );
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let raw = p.read("output/data/updates.csv");
    // The bytes as RFC 4180 writes them (the reader below is the crate
    // relance writes with), lines ending in LF.
    assert!(
        raw.contains(",\"Shops reopen, \"\"by appointment\"\"\nonly\","),
        "{raw}"
    );
    assert!(
        raw.contains(",\"Mobile voice=2; Telework, video=10\","),
        "{raw}"
    );
    assert!(!raw.contains('\r'), "LF line ends");
    let (header, rows) = csv_records(&raw);
    let row = rows.iter().find(|r| r[2] == "2020-05-14").unwrap();
    let col = |name: &str| row[header.iter().position(|h| h == name).unwrap()].as_str();
    assert_eq!(col("title"), "Shops reopen, \"by appointment\"\nonly");
    assert_eq!(
        col("traffic_multipliers"),
        "Mobile voice=2; Telework, video=10"
    );
    assert_eq!(
        col("telework_percent"),
        "60",
        "cells after the comma in place"
    );
}

#[test]
fn csv_defuses_formulas_in_every_text_column() {
    // One region per dangerous first character; every text cell of its
    // update starts with it.
    let p = Project::multi();
    let text_columns = [
        "region_name",
        "title",
        "traffic_multipliers",
        "priority_services",
        "source_name",
        "speaker_name",
        "indicators",
    ];
    for (i, c) in ['=', '+', '-', '@'].iter().enumerate() {
        let slug = format!("formula-{i}");
        p.write(
            &format!("content/regions/{slug}/region.yaml"),
            format!("name: \"{c}Region {i}\"\n"),
        );
        p.write(
            &format!("content/regions/{slug}/2020-05-14.yaml"),
            format!(
                "title: \"{c}HYPERLINK(\\\"http://x\\\")\"\ndate: 2020-05-14\nsource:\n  name: \"{c}Source\"\n  url: https://example.org/\nspeaker:\n  name: \"{c}Speaker\"\ntraffic:\n  multipliers:\n    - label: \"{c}Label\"\n      factor: 2\npriority_services:\n  - \"{c}Service\"\nonline:\n  growth_percent: -5\nindicators:\n  - label: \"{c}Indicator\"\n    value: 3\n"
            ),
        );
    }
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let (header, rows) = csv_records(&p.read("output/data/updates.csv"));
    let col =
        |r: &Vec<String>, name: &str| r[header.iter().position(|h| h == name).unwrap()].clone();
    for (i, c) in ['=', '+', '-', '@'].iter().enumerate() {
        let row = rows
            .iter()
            .find(|r| r[0] == format!("formula-{i}"))
            .unwrap();
        for name in text_columns {
            let cell = col(row, name);
            assert!(
                cell.starts_with(&format!("'{c}")),
                "{name} starting with {c:?} not defused: {cell:?}"
            );
        }
        assert_eq!(col(row, "title"), format!("'{c}HYPERLINK(\"http://x\")"));
        // Numbers are numbers: a negative figure is not defused.
        assert_eq!(col(row, "online_growth_percent"), "-5");
    }
    // Ordinary text is left alone.
    let nc = rows
        .iter()
        .find(|r| r[0] == "north-coast" && r[2] == "2020-05-14")
        .unwrap();
    assert_eq!(col(nc, "region_name"), "North Coast");
    assert_eq!(col(nc, "online_growth_percent"), "-5");
}

/// `incidents: []` says "none" (0); no `incidents` key says nothing
/// (empty cell, null in JSON, no figure in the brief's JSON).
#[test]
fn no_incident_is_not_the_same_as_nothing_said() {
    let p = Project::multi();
    let rel = "content/regions/north-coast/2020-05-07.yaml";
    p.write(rel, p.read(rel) + "incidents: []\n");
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let (header, rows) = csv_records(&p.read("output/data/updates.csv"));
    let at = header.iter().position(|h| h == "incidents").unwrap();
    let cell = |region: &str, date: &str| {
        rows.iter()
            .find(|r| r[0] == region && r[2] == date)
            .map(|r| r[at].clone())
            .unwrap()
    };
    assert_eq!(cell("north-coast", "2020-05-07"), "0");
    assert_eq!(cell("north-coast", "2020-05-14"), "1");
    assert_eq!(cell("east-valley", "2020-05-12"), "");
    let facts = |rel: &str| -> serde_json::Value {
        serde_json::from_str(&p.read(&format!("output/regions/{rel}/facts.json"))).unwrap()
    };
    assert_eq!(
        facts("north-coast/2020-05-07")["incidents"],
        serde_json::json!([])
    );
    assert!(facts("east-valley/2020-05-12")["incidents"].is_null());
    let brief = |region: &str| -> serde_json::Value {
        let run = p.run(&["brief", region, "--format", "json"]);
        assert_ok(&run);
        serde_json::from_str(&run.stdout).unwrap()
    };
    let said = |b: &serde_json::Value| b.to_string().contains("\"incidents\"");
    assert!(said(&brief("north-coast")), "north-coast lists one");
    assert!(!said(&brief("east-valley")), "east-valley says nothing");
}
