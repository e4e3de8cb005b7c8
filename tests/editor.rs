//! Issue 14, the editor's side: plausibility checks and `checked`, the JSON
//! Schemas written from the format's table (read back with the
//! `jsonschema` crate, an independent validator), and `relance init`.

mod common;
use common::schema::{schema_errors, schemas, yaml_json};
use common::*;

use serde_json::Value;
use std::path::Path;

/// Runs relance in `dir`.
fn relance_in(dir: &Path, args: &[&str]) -> Run {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_relance"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

// ------------------------------------------------------ plausibility checks

const PREVIOUS: &str = "content/regions/languedoc-roussillon/2020-05-07.yaml";

/// The example with an update of 7 May before it, from which the 14 May
/// figures move implausibly: telework 30 → 90 (60 points), shops 18 → 20,
/// "Voix sur mobile" ×0.2 → ×3 (15 times), online customers 57 → 0.57.
fn implausible_site() -> Project {
    let p = Project::example();
    p.write(
        PREVIOUS,
        "title: Premier bilan\ndate: 2020-05-07\ntelework:\n  percent: 30\ntraffic:\n  multipliers:\n    - label: Voix sur mobile\n      factor: 0.2\nonline:\n  customers_percent: 57\nshops:\n  total: 18\n  reopened: 0\n",
    );
    p.edit(UPDATE, "customers_percent: 57", "customers_percent: 0.57");
    p
}

fn check_json(p: &Project) -> (i32, Vec<Value>) {
    let run = p.run(&["check", "--format", "json"]);
    let list: Vec<Value> = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}\n{}\n{}", run.stdout, run.stderr));
    (run.code, list)
}

#[test]
fn the_four_implausible_changes_are_warned_at_the_value() {
    let p = implausible_site();
    let (code, list) = check_json(&p);
    assert_eq!(code, 0, "warnings do not fail: {list:#?}");
    let found: Vec<(u64, u64, &str, &str, &str)> = list
        .iter()
        .filter(|d| d["code"] == "implausible-change")
        .map(|d| {
            assert_eq!(d["file"], UPDATE);
            assert_eq!(d["severity"], "warning");
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap(),
                d["help"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(found.len(), 4, "{list:#?}");
    let expect = [
        (
            17,
            12,
            "telework.percent moved by 60 points, from 30 on 2020-05-07 to 90",
            "add `checked: [telework.percent]`",
        ),
        (
            42,
            15,
            "the traffic multiplier `Voix sur mobile` changed from 0.2 on 2020-05-07 to 3, 15 times more",
            "add `checked: [traffic.multipliers]`",
        ),
        (
            56,
            22,
            "online.customers_percent is 0.57, after 57 on 2020-05-07: a share written as a fraction?",
            "0.57 — did you mean 57?",
        ),
        (
            60,
            10,
            "shops.total changed from 18 on 2020-05-07 to 20: the number of shops rarely changes",
            "add `checked: [shops.total]`",
        ),
    ];
    for ((line, column, message, help, _), (l, c, m, h)) in found.iter().zip(expect) {
        assert_eq!((*line, *column, *message), (l, c, m));
        assert!(help.contains(h), "{help:?} lacks {h:?}");
    }
    // The human report shows the value under a caret.
    let run = p.run(&["check"]);
    assert!(
        run.stderr.contains(&format!(
            "{UPDATE}:17:12: warning: telework.percent moved by 60 points"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("17 |   percent: 90\n   |            ^^"),
        "{}",
        run.stderr
    );
    // --deny-warnings fails the build, and build, check and serve agree.
    let denied = p.run(&["build", "--no-pdf", "--deny-warnings"]);
    assert_eq!(denied.code, 1, "{}", denied.stderr);
    let all = diagnostics_agree(&p, &["--no-pdf"]);
    assert_eq!(
        all.iter()
            .filter(|h| h.contains("warning: ") && h.contains(UPDATE))
            .count(),
        4,
        "{all:#?}"
    );
    let all = diagnostics_agree(&p, &["--no-pdf", "--deny-warnings"]);
    assert!(all.iter().any(|h| h.contains("moved by 60 points")));
}

#[test]
fn checked_fields_are_silenced_one_by_one() {
    let p = implausible_site();
    p.edit(
        UPDATE,
        "narrative: |",
        "checked: [telework.percent, shops.total]\nnarrative: |",
    );
    let (code, list) = check_json(&p);
    assert_eq!(code, 0);
    let left: Vec<&str> = list
        .iter()
        .filter(|d| d["code"] == "implausible-change")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(left.len(), 2, "{left:#?}");
    assert!(
        left.iter()
            .all(|m| !m.contains("telework") && !m.contains("shops"))
    );
    p.edit(
        UPDATE,
        "checked: [telework.percent, shops.total]",
        "checked: [telework.percent, shops.total, traffic.multipliers, online.customers_percent]",
    );
    let (_, list) = check_json(&p);
    assert!(
        list.iter().all(|d| d["code"] != "implausible-change"),
        "{list:#?}"
    );
    assert_ok(&p.run(&["build", "--no-pdf", "--deny-warnings"]));
}

#[test]
fn plausible_changes_and_other_regions_are_not_warned() {
    let p = Project::example();
    // 40 points, the same total, a factor 3 → 9, and 0.5 after 3: fine.
    p.write(
        PREVIOUS,
        "title: Premier bilan\ndate: 2020-05-07\ntelework:\n  percent: 50\ntraffic:\n  multipliers:\n    - label: Voix sur mobile\n      factor: 1\nshops:\n  total: 20\n",
    );
    let (_, list) = check_json(&p);
    assert!(
        list.iter().all(|d| d["code"] != "implausible-change"),
        "{list:#?}"
    );
    // A figure is compared with the same region only.
    p.run(&["new", "region", "bretagne", "--name", "Bretagne"]);
    p.write(
        "content/regions/bretagne/2020-05-20.yaml",
        "title: Bretagne\ndate: 2020-05-20\ntelework:\n  percent: 1\nshops:\n  total: 3\n",
    );
    let (_, list) = check_json(&p);
    assert!(
        list.iter().all(|d| d["code"] != "implausible-change"),
        "{list:#?}"
    );
}

// ------------------------------------------------------------------ schemas

#[test]
fn the_example_and_every_fixture_validate_against_the_schemas() {
    let p = Project::example();
    let v = schemas(&p);
    // The example (content/ is the shared example, copied) and every fixture.
    let mut folders = vec![repo().join("content")];
    for entry in std::fs::read_dir(repo().join("tests/fixtures")).unwrap() {
        folders.push(entry.unwrap().path());
    }
    let mut checked = 0;
    for folder in folders.iter().filter(|f| f.join("site.yaml").is_file()) {
        let errors = schema_errors(&v, folder);
        assert!(errors.is_empty(), "{}: {errors:#?}", folder.display());
        checked += 1;
    }
    assert!(checked >= 4, "example, content and three fixtures");
}

/// The keys of the README's format tables, by file: `telework.percent`,
/// `shops.total`, `shops.reopened`… (a row may name several keys).
fn readme_keys() -> Vec<(&'static str, String)> {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme.find("## Fact-file format").expect("format section");
    let end = start + readme[start..].find("\n## Problems").expect("next section");
    let mut file = "";
    let mut out = Vec::new();
    for line in readme[start..end].lines() {
        if line.starts_with("### `site.yaml`") {
            file = "site";
        } else if line.starts_with("### `region.yaml`") {
            file = "region";
        } else if line.starts_with("### An update") {
            file = "update";
        }
        let Some(cell) = line.strip_prefix("| `") else {
            continue;
        };
        let cell = cell.split(" |").next().unwrap();
        for key in cell.split(", ") {
            out.push((file, key.trim_matches('`').to_string()));
        }
    }
    out
}

/// The schema of the key at a dotted path, through objects, lists and
/// the `anyOf` that lets an optional key be empty.
fn schema_at<'a>(schema: &'a Value, path: &str) -> Option<&'a Value> {
    fn object(s: &Value) -> &Value {
        if s.get("properties").is_some() {
            return s;
        }
        if let Some(items) = s.get("items") {
            return object(items);
        }
        if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
            for a in any {
                let o = object(a);
                if o.get("properties").is_some() {
                    return o;
                }
            }
        }
        s
    }
    path.split('.')
        .try_fold(schema, |s, key| object(s).get("properties")?.get(key))
}

/// The smallest document of `kind` that sets `key` (to the sample value of
/// its schema, chosen by hand per type).
fn document_with(kind: &str, key: &str, date: &str) -> String {
    let required = match kind {
        "site" => "title: T\norganisation: O\n".to_string(),
        "region" => "name: N\n".to_string(),
        _ => format!("title: T\ndate: {date}\n"),
    };
    let sample = match key {
        "title" | "date" | "organisation" | "name" => return required,
        "language" => "fr".into(),
        "languages" => "[fr]".into(),
        "proper_nouns" => "[Orange]".into(),
        "base_url" | "source.url" => "https://example.org/".into(),
        "delegate" | "speaker" | "source" => "{name: X}".into(),
        "period" => format!("{{end: {date}}}"),
        "period.start" | "period.end" | "shops.reopened_on" => date.into(),
        "traffic.network_held" | "shops.by_appointment" | "shops.stayed_open" => "true".into(),
        // Given together: the pair.
        "telework.staff" | "telework.remote" => {
            return format!("{required}telework:\n  staff: 10\n  remote: 5\n");
        }
        "traffic.multipliers" => "[{label: A, factor: 2}]".into(),
        "incidents" => "[{kind: A}]".into(),
        "indicators" => "[{label: A, value: 1, unit: \"%\"}]".into(),
        "checked" => "[telework.percent]".into(),
        "publish_at" => "2020-05-14T18:00:00+02:00".into(),
        "corrections" => "[{date: 2020-05-16, note: A}]".into(),
        k if k.ends_with("percent") || k.starts_with("shops.") => "10".into(),
        k if k.contains("except")
            || k.contains("priorit")
            || k == "quotes"
            || k == "departments" =>
        {
            "[A]".into()
        }
        _ => "A text".into(),
    };
    // `telework.percent: 10` → `telework:\n  percent: 10`.
    let mut doc = required;
    let parts: Vec<&str> = key.split('.').collect();
    for (depth, part) in parts.iter().enumerate() {
        let indent = "  ".repeat(depth);
        if depth + 1 == parts.len() {
            doc.push_str(&format!("{indent}{part}: {sample}\n"));
        } else {
            doc.push_str(&format!("{indent}{part}:\n"));
        }
    }
    doc
}

/// Validates one file with relance (`check` on a one-update site).
fn relance_accepts(kind: &str, doc: &str) -> Result<(), String> {
    let p = Project::example();
    let rel = match kind {
        "site" => "content/site.yaml".to_string(),
        "region" => "content/regions/languedoc-roussillon/region.yaml".to_string(),
        _ => UPDATE.to_string(),
    };
    p.write(&rel, doc);
    // The example's narrative file-less update: nothing else to keep.
    let run = p.run(&["check", "--no-pdf", "--format", "json"]);
    let list: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let errors: Vec<&Value> = list.iter().filter(|d| d["severity"] == "error").collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{errors:#?}"))
    }
}

#[test]
fn every_key_of_the_readme_format_table_is_in_the_schema_and_the_validator() {
    let p = Project::example();
    let v = schemas(&p);
    let keys = readme_keys();
    assert!(keys.len() >= 30, "the README's tables were read: {keys:?}");
    for (kind, key) in &keys {
        let schema: Value =
            serde_json::from_str(&p.read(&format!("schemas/{kind}.schema.json"))).unwrap();
        let at = schema_at(&schema, key)
            .unwrap_or_else(|| panic!("`{key}` of {kind} is not in {kind}.schema.json"));
        assert!(at.get("description").is_some(), "`{key}` has a description");
        let doc = document_with(kind, key, "2020-05-14");
        let json = yaml_json(&doc).unwrap();
        let (_, validator) = v.iter().find(|(n, _)| n == kind).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "schema refuses `{key}`:\n{doc}\n{errors:#?}"
        );
        relance_accepts(kind, &doc)
            .unwrap_or_else(|e| panic!("relance refuses `{key}`:\n{doc}\n{e}"));
    }
}

#[test]
fn the_schema_rejects_what_the_validator_rejects_within_one_file() {
    let p = Project::example();
    let v = schemas(&p);
    let (_, update) = v.iter().find(|(n, _)| n == "update").unwrap();
    for (doc, why) in [
        ("title: T\ndate: 2020-05-14\ntelwork: {}\n", "unknown key"),
        (
            "title: T\ndate: 2020-05-14\ntelework: {percent: 190}\n",
            "out of range",
        ),
        (
            "title: T\ndate: 2020-05-14\ntelework: {percent: \"90\"}\n",
            "quoted number",
        ),
        (
            "title: T\ndate: 2020-05-31\nshops: {reopened_on: 2020-02-30}\n",
            "no such date",
        ),
        ("title: \"\"\ndate: 2020-05-14\n", "empty title"),
        ("date: 2020-05-14\n", "missing title"),
        (
            "title: T\ndate: 2020-05-14\nsource: {url: \"javascript:x\"}\n",
            "not http",
        ),
        (
            "title: T\ndate: 2020-05-14\ntraffic: {multipliers: [{label: A, factor: 0}]}\n",
            "factor 0",
        ),
        (
            "title: T\ndate: 2020-05-14\nchecked: [telework.percnt]\n",
            "unknown checked field",
        ),
        (
            "title: {fr: T, de: T}\ndate: 2020-05-14\n",
            "unknown language",
        ),
        (
            "title: \"a\u{7}b\"\ndate: 2020-05-14\n",
            "control character",
        ),
        ("title: \"a\u{FFFE}b\"\ndate: 2020-05-14\n", "noncharacter"),
        (
            "title: \"a\u{202E}b\"\ndate: 2020-05-14\n",
            "direction override",
        ),
        (
            "title: \"\u{200B}\u{301}\"\ndate: 2020-05-14\n",
            "invisible title",
        ),
    ] {
        let json = yaml_json(doc).unwrap();
        assert!(!update.is_valid(&json), "schema accepts {why}:\n{doc}");
        assert!(
            relance_accepts("update", doc).is_err(),
            "relance accepts {why}"
        );
    }
}

// --------------------------------------------------------------------- init

#[test]
fn init_makes_a_project_that_builds_at_once() {
    for lang in ["fr", "en", "es"] {
        let dir = scratch();
        let project = dir.path().join("site");
        let run = relance_in(
            dir.path(),
            &[
                "init",
                "site",
                "--language",
                lang,
                "--organisation",
                "Réseau \"Sud\"",
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let content = project.join("content");
        let site = std::fs::read_to_string(content.join("site.yaml")).unwrap();
        assert!(
            site.starts_with("# yaml-language-server: $schema=../schemas/site.schema.json\n"),
            "{site}"
        );
        assert!(site.contains(&format!("language: {lang}\n")));
        assert!(
            site.contains("organisation: \"Réseau \\\"Sud\\\"\""),
            "{site}"
        );
        for name in ["site", "region", "update"] {
            assert!(
                project
                    .join(format!("schemas/{name}.schema.json"))
                    .is_file()
            );
        }
        assert!(
            std::fs::read_to_string(project.join(".gitignore"))
                .unwrap()
                .contains("/output/")
        );
        let regions: Vec<_> = std::fs::read_dir(content.join("regions"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(regions.len(), 1);
        let updates: Vec<_> = std::fs::read_dir(&regions[0])
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n != "region.yaml")
            .collect();
        assert_eq!(updates.len(), 1, "{updates:?}");
        let update = std::fs::read_to_string(regions[0].join(&updates[0])).unwrap();
        assert!(
            update.starts_with(
                "# yaml-language-server: $schema=../../../schemas/update.schema.json\n"
            )
        );
        // Every key of the format's table is present and explained.
        for key in relance::content::format::keys(relance::content::format::UPDATE) {
            assert!(update.contains(&format!("\n{key}:")), "{key} present");
            assert!(update.contains(&format!("# {key}: ")), "{key} explained");
        }
        assert!(update.contains("# telework.percent: the share of staff working remotely"));
        // The schema accepts the files, and relance builds them at once.
        let p = Project::from(&content);
        let v = schemas(&p);
        let errors = schema_errors(&v, &content);
        assert!(errors.is_empty(), "{errors:#?}");
        let run = relance_in(&project, &["build", "--no-pdf"]);
        assert_eq!(run.code, 0, "{lang}: {}", run.stderr);
        let slug = regions[0]
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let date = updates[0].trim_end_matches(".yaml");
        assert!(project.join("output/index.html").is_file());
        assert!(
            project
                .join(format!("output/regions/{slug}/{date}/index.html"))
                .is_file()
        );
        // Only the missing base_url is warned about.
        let check = relance_in(&project, &["check", "--format", "json"]);
        let list: Vec<Value> = serde_json::from_str(&check.stdout).unwrap();
        let codes: Vec<&str> = list.iter().map(|d| d["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["no-base-url"], "{list:#?}");
    }
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = scratch();
    std::fs::write(dir.path().join("notes.txt"), "mine\n").unwrap();
    let run = relance_in(dir.path(), &["init", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing written"
    );
    let run = relance_in(dir.path(), &["init", "notes.txt"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn new_files_start_with_the_schema_line() {
    let p = Project::example();
    assert_ok(&p.run(&["new", "region", "bretagne", "--name", "Bretagne"]));
    let region = p.read("content/regions/bretagne/region.yaml");
    assert!(
        region.starts_with("# yaml-language-server: $schema=../../../schemas/region.schema.json\n")
    );
    assert!(
        p.path("schemas/update.schema.json").is_file(),
        "schemas written beside content"
    );
    assert_ok(&p.run(&[
        "new",
        "update",
        "languedoc-roussillon",
        "--date",
        "2020-05-21",
    ]));
    let update = p.read("content/regions/languedoc-roussillon/2020-05-21.yaml");
    assert!(update.starts_with(
        "# yaml-language-server: $schema=../../../schemas/update.schema.json\n# One update"
    ));
    // The next one starts from it, with one schema line.
    assert_ok(&p.run(&[
        "new",
        "update",
        "languedoc-roussillon",
        "--date",
        "2020-05-28",
    ]));
    let next = p.read("content/regions/languedoc-roussillon/2020-05-28.yaml");
    assert_eq!(next.matches("yaml-language-server").count(), 1);
    assert_ok(&p.run(&["check"]));
}

#[test]
fn a_file_with_errors_is_not_compared() {
    let p = implausible_site();
    // 190 is an error: the file is not compared (no warning piled on it).
    p.edit(UPDATE, "percent: 90", "percent: 190");
    let (code, list) = check_json(&p);
    assert_eq!(code, 1);
    assert!(
        list.iter().all(|d| d["code"] != "implausible-change"),
        "{list:#?}"
    );
}
