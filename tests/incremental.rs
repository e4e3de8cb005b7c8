//! Incremental builds, feeds, sitemap and open data.

mod common;
use common::*;

/// Builds `p` incrementally after `edit`, and a fresh copy of the same
/// content from scratch, and checks the two sites are byte-identical.
fn incremental_equals_clean(p: &Project, edit: impl FnOnce(&Project)) -> Run {
    assert_ok(&p.build());
    edit(p);
    let run = p.build();
    assert_ok(&run);
    let clean = Project::from(&p.path("content"));
    if p.path("templates").is_dir() {
        copy_dir(&p.path("templates"), &clean.path("templates"));
    }
    assert_ok(&clean.build());
    let (a, b) = (p.snapshot("output"), clean.snapshot("output"));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "different file sets"
    );
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs from a clean build");
    }
    run
}

#[test]
fn edited_update_rebuilds_what_depends_on_it() {
    let p = Project::multi();
    let run = incremental_equals_clean(&p, |p| {
        p.edit(
            "content/regions/north-coast/2020-05-07.yaml",
            "percent: 90",
            "percent: 80",
        )
    });
    // The update, its successor (changes since), its region and the site-wide files.
    assert!(run.stderr.contains("changed"), "{}", run.stderr);
    let page = p.read("output/regions/north-coast/2020-05-14/index.html");
    assert!(
        page.contains("\u{2212}20 points"),
        "the next update's change follows the edit"
    );
}

#[test]
fn edited_region_file() {
    let p = Project::multi();
    incremental_equals_clean(&p, |p| {
        p.edit(
            "content/regions/north-coast/region.yaml",
            "name: North Coast",
            "name: Northern Coast",
        )
    });
    assert!(
        p.read("output/regions/north-coast/2020-05-07/index.html")
            .contains("Northern Coast")
    );
}

#[test]
fn edited_site_file() {
    let p = Project::multi();
    incremental_equals_clean(&p, |p| {
        p.edit("content/site.yaml", "language: en", "language: fr")
    });
    assert!(
        p.read("output/regions/north-coast/2020-05-07/index.html")
            .contains("<html lang=\"fr\">")
    );
}

#[test]
fn edited_template() {
    let p = Project::multi();
    let base = std::fs::read_to_string(repo().join("templates/base.html")).unwrap();
    incremental_equals_clean(&p, |p| {
        p.write(
            "templates/base.html",
            base.replace("<main id=\"main\"", "<main data-edited id=\"main\""),
        )
    });
    assert!(
        p.read("output/regions/east-valley/2020-05-12/index.html")
            .contains("data-edited")
    );
}

#[test]
fn added_and_removed_updates() {
    let p = Project::multi();
    incremental_equals_clean(&p, |p| {
        std::fs::remove_file(p.path("content/regions/north-coast/2020-05-14.yaml")).unwrap();
        std::fs::remove_file(p.path("content/regions/north-coast/2020-05-14.md")).unwrap();
        p.write(
            "content/regions/east-valley/2020-05-19.yaml",
            "title: Later\ndate: 2020-05-19\ntelework:\n  percent: 50\n",
        );
    });
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
    let page = p.path("output/regions/languedoc-roussillon/2020-05-14/index.html");
    let before = std::fs::metadata(&page).unwrap();
    let cache_before = std::fs::read(p.path("output/.relance-cache")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let run = p.build();
    assert_ok(&run);
    assert!(run.stderr.contains("0 changed"), "{}", run.stderr);
    let after = std::fs::metadata(&page).unwrap();
    use std::os::unix::fs::MetadataExt;
    assert_eq!(
        (before.ino(), before.mtime_nsec()),
        (after.ino(), after.mtime_nsec()),
        "page was rewritten"
    );
    assert_eq!(
        cache_before,
        std::fs::read(p.path("output/.relance-cache")).unwrap(),
        "cache was rewritten"
    );
}

#[test]
fn output_edited_by_hand_is_restored() {
    let p = Project::example();
    assert_ok(&p.build());
    let clean = p.snapshot("output");
    p.write(
        "output/regions/languedoc-roussillon/2020-05-14/index.html",
        "defaced",
    );
    p.write("output/stray.html", "not ours");
    std::fs::remove_file(p.path("output/feed.xml")).unwrap();
    assert_ok(&p.build());
    assert_eq!(
        p.snapshot("output"),
        clean,
        "the cache was trusted over the disk"
    );
}

#[test]
fn corrupt_or_foreign_cache_is_ignored_with_a_warning() {
    for bad in [
        "garbage\n",
        "relance-cache 1\nversion 0.0.0-other\ntheme 0\npdf 1\ncontent 0\n",
        "relance-cache 1\nversion 0.1.0\ntheme zz\n",
    ] {
        let p = Project::example();
        assert_ok(&p.build());
        let clean = p.snapshot("output");
        p.write("output/.relance-cache", bad);
        p.edit(UPDATE, "percent: 90", "percent: 91");
        let run = p.build();
        assert_ok(&run);
        assert!(
            run.stderr.contains("warning: ignoring"),
            "{bad:?}: {}",
            run.stderr
        );
        let fresh = Project::from(&p.path("content"));
        assert_ok(&fresh.build());
        assert_eq!(p.snapshot("output"), fresh.snapshot("output"));
        assert_ne!(p.snapshot("output"), clean);
    }
}

#[test]
fn warnings_are_repeated_on_a_no_op_build() {
    let p = Project::example();
    p.edit(UPDATE, "factor: 3", "factor: 300");
    assert_ok(&p.build());
    let again = p.build();
    assert_ok(&again);
    assert!(
        again.stderr.contains(":42:15: warning:"),
        "{}",
        again.stderr
    );
    assert_eq!(p.run(&["build", "--deny-warnings"]).code, 1);
}

#[test]
fn feeds_and_sitemap_are_valid_xml_with_the_right_entries() {
    let p = Project::multi();
    assert_ok(&p.build());
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
        links[0],
        "https://example.org/continuity/regions/north-coast/2020-05-14/index.html"
    );
    let region = roxmltree::Document::parse(&p.read("output/regions/north-coast/feed.xml"))
        .unwrap()
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .count();
    assert_eq!(region, 2);
    let sitemap = p.read("output/sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(
        locs.len(),
        1 + 3 + 3,
        "overview, three regions, three updates"
    );
    assert!(
        locs.contains(&"https://example.org/continuity/regions/east-valley/2020-05-12/index.html")
    );
}

#[test]
fn no_base_url_means_no_sitemap_and_a_warning() {
    let p = Project::multi();
    p.edit(
        "content/site.yaml",
        "base_url: https://example.org/continuity/\n",
        "",
    );
    let run = p.build();
    assert_ok(&run);
    assert!(
        run.stderr
            .contains("content/site.yaml:1:1: warning: no `base_url`"),
        "{}",
        run.stderr
    );
    assert!(!p.path("output/sitemap.xml").exists());
    roxmltree::Document::parse(&p.read("output/feed.xml")).unwrap();
}

#[test]
fn open_data_equals_the_fact_files() {
    let p = Project::multi();
    assert_ok(&p.build());
    let json: serde_json::Value =
        serde_json::from_str(&p.read("output/data/updates.json")).unwrap();
    let records = json.as_array().unwrap();
    assert_eq!(records.len(), 3);
    let nc = records
        .iter()
        .find(|r| r["region"] == "north-coast" && r["date"] == "2020-05-14")
        .unwrap();
    assert_eq!(nc["telework"]["percent"], 60.0);
    assert_eq!(nc["shops"]["total"], 12);
    assert_eq!(nc["shops"]["reopened"], 12);
    assert_eq!(nc["online"]["growth_percent"], -5.0);
    assert_eq!(nc["traffic"]["multipliers"][1]["label"], "Telework");
    assert_eq!(nc["traffic"]["multipliers"][1]["factor"], 10.0);
    assert_eq!(nc["indicators"][0]["value"], 12500.0);
    assert_eq!(nc["changes"]["telework_points"], -30.0);
    assert_eq!(nc["changes"]["shops_reopened"], 8);
    assert_eq!(nc["previous_date"], "2020-05-07");
    assert_eq!(
        nc["narrative_text"][0],
        "Shops reopened on 11 May, by appointment only."
    );
    let facts: serde_json::Value =
        serde_json::from_str(&p.read("output/regions/north-coast/2020-05-14/facts.json")).unwrap();
    assert_eq!(&facts, nc);

    let csv = p.read("output/data/updates.csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        header[..5],
        ["region", "region_name", "date", "title", "telework_percent"]
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 3);
    let row = rows
        .iter()
        .find(|r| r[0] == "north-coast" && r[2] == "2020-05-14")
        .unwrap();
    let col = |name: &str| row[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!(col("telework_percent"), "60");
    assert_eq!(col("shops_total"), "12");
    assert_eq!(col("shops_reopened"), "12");
    assert_eq!(col("shops_reopened_percent"), "100");
    assert_eq!(col("online_growth_percent"), "-5");
    assert_eq!(col("telework_change_points"), "-30");
    assert_eq!(col("traffic_multipliers"), "Mobile voice=2; Telework=10");
    // Pages link to the data.
    assert!(
        p.read("output/regions/north-coast/2020-05-14/index.html")
            .contains("href=\"facts.json\"")
    );
}

#[test]
fn csv_defuses_formulas() {
    let p = Project::example();
    p.edit(
        UPDATE,
        "title: Les réseaux ont tenu malgré un trafic exceptionnel",
        "title: \"=HYPERLINK(\\\"http://x\\\")\"",
    );
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let csv = p.read("output/data/updates.csv");
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
}
