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
    assert!(
        p.read("output/regions/languedoc-roussillon/2020-05-21/index.html")
            .contains("0 points")
    );
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
    assert_eq!(p.run(&["new", "region", "Bad_Slug", "--name", "X"]).code, 2);
    assert_eq!(
        p.run(&["new", "region", "../escape", "--name", "X"]).code,
        2
    );
    assert!(!p.dir.path().join("escape").exists());
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
    let run = p.run(&["new", "update", "languedoc-roussillon"]);
    assert_ok(&run);
    let today = relance::scaffold::today().to_string();
    assert!(
        p.path(&format!(
            "content/regions/languedoc-roussillon/{today}.yaml"
        ))
        .is_file()
    );
}
