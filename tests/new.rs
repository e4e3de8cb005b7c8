//! `relance new region` and `relance new update`.

mod common;
use common::*;

#[test]
fn new_region_then_update_passes_check() {
    let p = Project::example();
    let run = p.run(&[
        "new",
        "region",
        "bretagne",
        "--name",
        "Bretagne \"Nord\" : côte",
    ]);
    assert_ok(&run);
    let text = p.read("content/regions/bretagne/region.yaml");
    assert!(
        text.contains("name: \"Bretagne \\\"Nord\\\" : côte\""),
        "{text}"
    );
    assert_ok(&p.run(&["check"]));
    // A region without updates gets a skeleton to fill in.
    let run = p.run(&["new", "update", "bretagne", "--date", "2020-05-21"]);
    assert_ok(&run);
    assert!(
        p.read("content/regions/bretagne/2020-05-21.yaml")
            .contains("date: 2020-05-21")
    );
}

#[test]
fn new_update_starts_from_the_latest() {
    let p = Project::example();
    let run = p.run(&[
        "new",
        "update",
        "languedoc-roussillon",
        "--date",
        "2020-05-21",
    ]);
    assert_ok(&run);
    let text = p.read("content/regions/languedoc-roussillon/2020-05-21.yaml");
    assert!(text.contains("date: 2020-05-21\n"));
    assert!(text.contains("percent: 90"), "figures carried over");
    assert!(
        text.contains("# One update from one region"),
        "comments kept"
    );
    assert!(!text.contains("narrative"), "narrative emptied");
    assert_ok(&p.run(&["check"]));
    // The build shows the change since 14 May (none: same figures).
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let page = p.read("output/regions/languedoc-roussillon/2020-05-21/index.html");
    for change in [
        "<li><span class=\"label\">Télétravail</span> <strong>0 points</strong></li>",
        "<li><span class=\"label\">Boutiques rouvertes</span> <strong>0</strong></li>",
        "<li><span class=\"label\">Clients servis en ligne</span> <strong>0 points</strong></li>",
        "(depuis le 14 mai 2020)",
    ] {
        assert!(page.contains(change), "{change} missing");
    }
}

#[test]
fn new_never_overwrites() {
    let p = Project::example();
    let before = p.read(UPDATE);
    let run = p.run(&[
        "new",
        "update",
        "languedoc-roussillon",
        "--date",
        "2020-05-14",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(p.read(UPDATE), before);
    let run = p.run(&["new", "region", "languedoc-roussillon", "--name", "X"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        p.read("content/regions/languedoc-roussillon/region.yaml")
            .contains("name: Languedoc-Roussillon")
    );
}

#[test]
fn new_rejects_bad_names_and_dates() {
    let p = Project::example();
    let before = p.state();
    let existed = std::path::Path::new("/tmp/escape").exists();
    for slug in [
        "Bad_Slug",
        "../escape",
        "../../escape",
        "a/../../escape",
        "/tmp/escape",
        "",
        ".",
        "..",
        "-x",
    ] {
        assert_eq!(
            p.run(&["new", "region", slug, "--name", "X"]).code,
            2,
            "slug {slug:?}"
        );
        // Nothing written anywhere: not in regions/, not beside it
        // (content/escape), not above the content folder.
        assert_eq!(p.state(), before, "`new region {slug:?}` wrote something");
    }
    assert_eq!(std::path::Path::new("/tmp/escape").exists(), existed);
    let run = p.run(&["new", "update", "languedoc-rousillon"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `languedoc-roussillon`?"),
        "{}",
        run.stderr
    );
    assert_eq!(
        p.run(&[
            "new",
            "update",
            "languedoc-roussillon",
            "--date",
            "2020-02-30"
        ])
        .code,
        2
    );
}

#[test]
fn new_update_that_would_not_pass_check_is_refused() {
    let p = Project::example();
    // The period ends on 11 May 2020: an update dated before it cannot keep it.
    let run = p.run(&[
        "new",
        "update",
        "languedoc-roussillon",
        "--date",
        "2020-05-01",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("period.end"), "{}", run.stderr);
    assert!(
        !p.path("content/regions/languedoc-roussillon/2020-05-01.yaml")
            .exists()
    );
}

#[test]
fn new_update_defaults_to_today() {
    let p = Project::example();
    // The date may change while the command runs: either day is right.
    let before = relance::scaffold::today().to_string();
    let run = p.run(&["new", "update", "languedoc-roussillon"]);
    let after = relance::scaffold::today().to_string();
    assert_ok(&run);
    let created: Vec<String> = std::fs::read_dir(p.path("content/regions/languedoc-roussillon"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "region.yaml" && n != "2020-05-14.yaml")
        .collect();
    assert_eq!(created.len(), 1, "{created:?}");
    assert!(
        created[0] == format!("{before}.yaml") || created[0] == format!("{after}.yaml"),
        "{created:?}, today is {before} or {after}"
    );
    let date = created[0].trim_end_matches(".yaml");
    assert!(
        p.read(&format!("content/regions/languedoc-roussillon/{date}.yaml"))
            .contains(&format!("date: {date}\n"))
    );
}

/// `relance new update` writes the keys of format v1.1 as commented
/// examples, once; uncommented, they are a valid update.
#[test]
fn new_update_shows_the_newer_keys_as_examples() {
    let p = Project::example();
    let rel = "content/regions/languedoc-roussillon/2020-05-21.yaml";
    let run = p.run(&[
        "new",
        "update",
        "languedoc-roussillon",
        "--date",
        "2020-05-21",
    ]);
    assert_ok(&run);
    let text = p.read(rel);
    let marker = "# ---- Format v1.1";
    assert_eq!(text.matches(marker).count(), 1, "{text}");
    let block = &text[text.find(marker).unwrap()..];
    for key in [
        "staff:",
        "remote:",
        "scope:",
        "change_percent:",
        "{min:",
        "approx: true",
        "source:",
        "stayed_open:",
        "by:",
    ] {
        assert!(block.contains(key), "{key} in\n{block}");
    }
    // A second update copies the first: the examples are not repeated.
    let run = p.run(&[
        "new",
        "update",
        "languedoc-roussillon",
        "--date",
        "2020-05-28",
    ]);
    assert_ok(&run);
    let next = p.read("content/regions/languedoc-roussillon/2020-05-28.yaml");
    assert_eq!(next.matches(marker).count(), 1, "{next}");
    // Uncommented, the examples are an update that passes `check`.
    let body: String = block
        .lines()
        .skip(1)
        .map(|l| l.strip_prefix("# ").unwrap_or(l).to_string() + "\n")
        .collect();
    p.write(rel, format!("title: Exemples\ndate: 2020-05-21\n{body}"));
    let check = p.run(&["check"]);
    assert_ok(&check);
    // (The plausibility check may find 600 shops many beside the region's
    // 20: a warning, never an error.)
    assert!(!check.stderr.contains("error"), "{}", check.stderr);
}

/// Run from inside the content folder (`--content .`), `new` writes the
/// schemas beside it, never in it, and the modeline leads to them.
#[test]
fn new_update_from_inside_the_content_folder() {
    let p = Project::example();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_relance"))
        .args([
            "new",
            "update",
            "languedoc-roussillon",
            "--content",
            ".",
            "--date",
            "2020-05-21",
        ])
        .current_dir(p.path("content"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !p.path("content/schemas").exists(),
        "schemas inside the content folder"
    );
    assert!(p.path("schemas/update.schema.json").is_file());
    let text = p.read("content/regions/languedoc-roussillon/2020-05-21.yaml");
    assert!(
        text.starts_with("# yaml-language-server: $schema=../../../schemas/update.schema.json\n"),
        "{text}"
    );
    assert_ok(&p.run(&["check", "--deny-warnings"]));
}
