//! Hostile and accidental inputs: limits, links out of the content folder,
//! dangerous output folders, broken links, and builds killed mid-way.

mod common;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::ffi::OsStrExt;

/// The project folder holds only what the user put there and `output/`.
fn assert_nothing_else_written(p: &Project) {
    let mut names: Vec<String> = std::fs::read_dir(p.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names.retain(|n| n != "content" && n != "output" && n != "templates");
    // The previous generation, kept for the next build to update in place.
    if names.first().is_some_and(|n| n == ".output.relance-spare") {
        let spare = p.path(".output.relance-spare");
        assert!(
            std::fs::symlink_metadata(&spare).unwrap().is_dir()
                && spare.join(".relance-output").is_file(),
            "the spare generation is not a relance folder"
        );
        names.remove(0);
    }
    assert!(names.is_empty(), "left behind: {names:?}");
}

fn fails_cleanly(p: &Project, args: &[&str], code: i32, message: &str) -> Run {
    let before = p.snapshot("output");
    let run = p.run(args);
    assert_eq!(run.code, code, "{}", run.stderr);
    assert!(
        run.stderr.contains(message),
        "expected {message:?} in\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"));
    assert_eq!(p.snapshot("output"), before, "output changed");
    assert_nothing_else_written(p);
    run
}

/// The example update padded with comment lines to exactly `len` bytes.
fn padded_update(len: usize) -> String {
    let mut text = std::fs::read_to_string(repo().join(UPDATE)).unwrap();
    assert!(text.ends_with('\n'));
    while len - text.len() >= 102 {
        text.push('#');
        text.push_str(&"x".repeat(98));
        text.push('\n');
    }
    let rest = len - text.len();
    text.push('#');
    text.push_str(&"x".repeat(rest - 2));
    text.push('\n');
    assert_eq!(text.len(), len);
    text
}

#[test]
fn ten_megabytes_exactly_is_the_limit() {
    let limit = 10 * 1024 * 1024;
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let before = p.snapshot("output");
    p.write(UPDATE, padded_update(limit));
    let run = p.run(&["build", "--no-pdf"]);
    assert_ok(&run);
    assert_eq!(p.snapshot("output"), before, "a comment changes no output");
    p.write(UPDATE, padded_update(limit + 1));
    fails_cleanly(
        &p,
        &["build", "--no-pdf"],
        1,
        &format!(
            "{UPDATE}:1:1: error: the file is {} bytes, more than the 10 MB",
            limit + 1
        ),
    );
}

/// An update whose `quotes` value is `depth - 1` nested lists (the file's
/// top-level mapping is the first level).
fn nested(depth: usize) -> String {
    format!(
        "title: x\ndate: 2020-05-14\nquotes: {}{}\n",
        "[".repeat(depth - 1),
        "]".repeat(depth - 1)
    )
}

#[test]
fn thirty_two_levels_exactly_is_the_limit() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    // 32 levels: read, then refused for what it says (a list of lists is
    // not a list of quotes), not for its depth.
    p.write(UPDATE, nested(32));
    let run = fails_cleanly(
        &p,
        &["build", "--no-pdf"],
        1,
        &format!("{UPDATE}:3:10: error: `quotes` must be text, found a list"),
    );
    assert!(!run.stderr.contains("nesting deeper"), "{}", run.stderr);
    // 33 levels: refused for its depth, at the 33rd opening bracket.
    p.write(UPDATE, nested(33));
    fails_cleanly(
        &p,
        &["build", "--no-pdf"],
        1,
        &format!(
            "{UPDATE}:3:{}: error: nesting deeper than 32 levels",
            9 + 31
        ),
    );
    // Far deeper: a located error (the YAML reader's own limit may speak
    // first), no stack exhaustion.
    p.write(UPDATE, nested(100_000));
    fails_cleanly(&p, &["build", "--no-pdf"], 1, &format!("{UPDATE}:3:"));
}

#[test]
fn max_files_exactly_is_the_limit() {
    // The multi fixture has 7 fact files: site.yaml, 3 region.yaml and 3
    // updates (the .md narrative is not a fact file).
    let p = Project::multi();
    assert_ok(&p.run(&["build", "--no-pdf", "--max-files", "7"]));
    // Refused even when nothing changed since the last build.
    fails_cleanly(
        &p,
        &["build", "--no-pdf", "--max-files", "6"],
        1,
        "the content folder holds 7 fact files, more than the limit of 6",
    );
    assert_ok(&p.run(&["build", "--no-pdf", "--max-files", "7"]));
}

#[test]
fn symlinks_out_of_the_content_folder_are_not_read() {
    let secret_dir = tempfile::tempdir().unwrap();
    let secret = secret_dir.path().join("secret.yaml");
    std::fs::write(&secret, "title: TOP-SECRET-TITLE\ndate: 2020-05-21\n").unwrap();
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    std::os::unix::fs::symlink(
        &secret,
        p.path("content/regions/languedoc-roussillon/2020-05-21.yaml"),
    )
    .unwrap();
    fails_cleanly(
        &p,
        &["build", "--no-pdf"],
        1,
        "content/regions/languedoc-roussillon/2020-05-21.yaml:1:1: error: this file is a link to a place outside the content folder",
    );

    // A whole region folder linked from elsewhere.
    let q = Project::example();
    assert_ok(&q.run(&["build", "--no-pdf"]));
    let outside = tempfile::tempdir().unwrap();
    copy_dir(
        &q.path("content/regions/languedoc-roussillon"),
        &outside.path().join("r"),
    );
    std::os::unix::fs::symlink(
        outside.path().join("r"),
        q.path("content/regions/elsewhere"),
    )
    .unwrap();
    fails_cleanly(
        &q,
        &["build", "--no-pdf"],
        1,
        "content/regions/elsewhere:1:1: error: this region folder is a link",
    );

    // A link inside the content folder is fine.
    let r = Project::example();
    std::os::unix::fs::symlink(
        r.path("content/regions/languedoc-roussillon/2020-05-14.yaml"),
        r.path("content/regions/languedoc-roussillon/2020-05-21.yaml"),
    )
    .unwrap();
    let run = r.run(&["build", "--no-pdf"]);
    assert_eq!(
        run.code, 1,
        "a copy with the wrong date is still checked: {}",
        run.stderr
    );
    assert!(run.stderr.contains("does not match the file name"));
}

#[test]
fn dangerous_output_folders_are_refused() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    for out in [
        "content",
        "content/regions",
        ".",
        "..",
        "content/../content/x",
    ] {
        let run = p.run(&["build", "--no-pdf", "--output", out]);
        assert_eq!(run.code, 2, "--output {out}: {}", run.stderr);
    }
    assert!(p.path("content/site.yaml").is_file());
    assert_nothing_else_written(&p);
}

#[test]
fn a_path_going_up_out_of_a_missing_folder_is_refused() {
    // `missing/../foreign` names nothing that exists, so no check applied;
    // once the build had created `missing/`, it replaced `foreign` (then
    // the content's own folders) and moved its files into the spare.
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    p.write("foreign/important.txt", "keep");
    let content = p.snapshot("content");
    let output = p.snapshot("output");
    for out in [
        "missing/../foreign",
        "missing/../content/regions",
        "missing/deeper/../../output",
    ] {
        let run = p.run(&["build", "--no-pdf", "--output", out]);
        assert_eq!(run.code, 2, "--output {out}: {}", run.stderr);
        assert!(
            run.stderr.contains("goes up (`..`) out of `missing"),
            "{}",
            run.stderr
        );
    }
    let run = p.run(&["build", "--no-pdf", "--report", "missing/../content/r.json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!p.path("missing").exists());
    assert_eq!(p.read("foreign/important.txt"), "keep");
    assert_eq!(p.snapshot("content"), content);
    assert_eq!(p.snapshot("output"), output);
    // Going up out of a folder that exists is an ordinary path.
    std::fs::create_dir(p.path("there")).unwrap();
    assert_ok(&p.run(&["build", "--no-pdf", "--output", "there/../site"]));
    assert!(p.path("site/index.html").is_file());
}

/// Checks every link of every page of a built site with readers of its own
/// (html5ever for the HTML, the `url` crate to resolve): each `href`/`src`
/// of any element resolves to a file of the site, and each `#fragment` to
/// an `id` of the page it names. Returns how many links were checked.
fn check_links_independently(files: &BTreeMap<String, Vec<u8>>) -> usize {
    let base = url::Url::parse("file:///site/").unwrap();
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut pages: BTreeMap<String, Vec<Tag>> = BTreeMap::new();
    for (path, bytes) in files.iter().filter(|(k, _)| k.ends_with(".html")) {
        let (found, errors) = html_tags(std::str::from_utf8(bytes).unwrap());
        assert!(errors.is_empty(), "{path}: HTML parse errors {errors:?}");
        ids.insert(
            path.clone(),
            found
                .iter()
                .flat_map(|t| t.attrs.iter())
                .filter(|(k, _)| k == "id")
                .map(|(_, v)| v.clone())
                .collect(),
        );
        pages.insert(path.clone(), found);
    }
    let mut checked = 0;
    for (path, found) in &pages {
        let page = base.join(path).unwrap();
        let mut on_page = 0;
        for tag in found {
            for (attr, value) in &tag.attrs {
                if !["href", "src", "xlink:href", "action", "poster", "data"]
                    .contains(&attr.as_str())
                {
                    continue;
                }
                let target = page
                    .join(value)
                    .unwrap_or_else(|e| panic!("{path}: <{}> {attr}={value:?}: {e}", tag.name));
                if target.scheme() != "file" {
                    assert!(
                        ["http", "https", "mailto"].contains(&target.scheme()),
                        "{path}: <{}> {attr}={value:?} has scheme {}",
                        tag.name,
                        target.scheme()
                    );
                    continue;
                }
                let rel = target
                    .path()
                    .strip_prefix("/site/")
                    .unwrap_or_else(|| panic!("{path}: {value:?} leaves the site: {target}"));
                let rel = percent_decode(rel);
                let file = if rel.is_empty() || rel.ends_with('/') {
                    format!("{rel}index.html")
                } else {
                    rel
                };
                assert!(
                    files.contains_key(&file),
                    "{path}: <{}> {attr}={value:?} points at {file}, which the site does not have",
                    tag.name
                );
                if let Some(fragment) = target.fragment()
                    && file.ends_with(".html")
                {
                    assert!(
                        ids[&file].contains(fragment),
                        "{path}: {value:?}: no id {fragment:?} in {file}"
                    );
                }
                on_page += 1;
            }
        }
        // Every page at least links its stylesheet: an empty scan would be
        // a broken reader, not a clean site.
        assert!(on_page >= 3, "{path}: only {on_page} links found");
        checked += on_page;
    }
    checked
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .expect("a link decodes to UTF-8")
        .into_owned()
}

#[test]
fn generated_sites_have_no_broken_links() {
    for p in [Project::example(), Project::multi()] {
        let run = p.run(&["check"]);
        assert_ok(&run);
        assert!(!run.stderr.contains("broken link"), "{}", run.stderr);
        assert_ok(&p.build());
        let checked = check_links_independently(&p.snapshot("output"));
        assert!(checked > 20, "{checked} links");
    }
}

#[test]
fn independent_link_check_sees_what_relance_may_miss() {
    // The reader above is not relance's: it sees single-quoted and
    // unquoted attributes, entities, and fragments.
    let mut files = BTreeMap::new();
    let page = |body: &str| {
        format!(
            "<!DOCTYPE html><html><head><link rel=stylesheet href=a.css><link rel='icon' href=a.css></head><body id=top>{body}<a href=\"#top\">t</a></body></html>"
        )
        .into_bytes()
    };
    files.insert("a.css".to_string(), Vec::new());
    files.insert("index.html".to_string(), page("<a href='b.html'>b</a>"));
    files.insert("b.html".to_string(), page(""));
    assert_eq!(check_links_independently(&files), 7);
    for bad in [
        "<a href='missing.html'>x</a>",
        "<img src=missing.png alt=x>",
        "<a href=\"b.html#nowhere\">x</a>",
        "<a href=\"../outside.html\">x</a>",
        "<a href=\"b&#46;htm\">x</a>",
    ] {
        files.insert("index.html".to_string(), page(bad));
        let caught = std::panic::catch_unwind(|| check_links_independently(&files)).is_err();
        assert!(caught, "{bad} not caught");
    }
}
#[test]
fn a_template_with_a_broken_link_is_not_published() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let base = std::fs::read_to_string(repo().join("templates/base.html")).unwrap();
    p.write(
        "templates/base.html",
        base.replace(
            "<main id=\"main\"",
            "<a href=\"{{ root }}missing.html\">x</a><main id=\"main\"",
        ),
    );
    let run = fails_cleanly(
        &p,
        &["build", "--no-pdf"],
        1,
        "error: broken link `missing.html`",
    );
    assert!(run.stderr.contains("output/index.html:"), "{}", run.stderr);
    // Reported under the output folder as given.
    let run = p.run(&["build", "--no-pdf", "--output", "public/site"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("public/site/index.html:"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("output/index.html"), "{}", run.stderr);
    let check = p.run(&["check"]);
    assert_eq!(check.code, 1);
    assert!(check.stderr.contains("broken link"), "{}", check.stderr);
}

/// Hash of every file of a site folder (cache excluded).
fn digest(p: &Project) -> BTreeMap<String, u64> {
    p.snapshot("output")
        .into_iter()
        .map(|(k, v)| (k, relance::fingerprint(&v)))
        .collect()
}

const OLD_TITLE: &str = "title: Continuité synthétique\n";
const NEW_TITLE: &str = "title: Continuité synthétique (bis)\n";

/// A synthetic project whose published site is the "old" one, and the
/// digests of the old and the new site (every page changes with the title).
fn old_and_new(
    regions: usize,
    updates: usize,
) -> (Project, BTreeMap<String, u64>, BTreeMap<String, u64>) {
    let p = Project::example();
    std::fs::remove_dir_all(p.path("content")).unwrap();
    relance::synthetic::generate(&p.path("content"), regions, updates, "fr").unwrap();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let old = digest(&p);
    let next = Project::from(&p.path("content"));
    next.edit("content/site.yaml", OLD_TITLE, NEW_TITLE);
    assert_ok(&next.run(&["build", "--no-pdf"]));
    let new = digest(&next);
    assert_ne!(old, new);
    assert!(old.len() > 10 && new.len() == old.len());
    (p, old, new)
}

fn relance_with(p: &Project, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_relance"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(p.dir.path())
        .output()
        .unwrap()
}

/// A build aborted at each named stage of the write path (deterministic:
/// the `RELANCE_TEST_ABORT_AT` hook, see src/testhook.rs) leaves exactly the
/// old site before the swap and exactly the new one after it; the next run
/// removes the leftovers (even a run that then fails on its content), and
/// the next good build publishes the new site. Both the atomic exchange and
/// the two-rename fallback are killed at every stage they have.
#[test]
fn a_build_aborted_at_every_stage_leaves_the_old_site_or_the_new_one() {
    use std::os::unix::process::ExitStatusExt;
    let (p, old, new) = old_and_new(3, 6);
    let cases: &[(&str, bool, &str)] = &[
        // (stage, fallback, what output/ holds right after the abort)
        ("during-render", false, "old"),
        ("after-staging", false, "old"),
        ("before-swap", false, "old"),
        ("after-swap-before-cleanup", false, "new"),
        // The spare generation is pruned before it is swapped in.
        ("during-cleanup", false, "old"),
        ("during-render", true, "old"),
        ("after-staging", true, "old"),
        ("before-swap", true, "old"),
        // Between the two renames of the fallback: no output/ at all; the
        // next run puts the old site back.
        ("during-swap", true, "none"),
        ("after-swap-before-cleanup", true, "new"),
        ("during-cleanup", true, "old"),
    ];
    for (i, &(stage, fallback, expected)) in cases.iter().enumerate() {
        let what = format!("{stage} (fallback: {fallback})");
        assert_eq!(digest(&p), old, "{what}: not starting from the old site");
        // The spare generation (the previous site, updated in place by the
        // next build) holds a site that is neither old nor new, so that the
        // aborted build has everything to do: render, prune, swap.
        let between = format!("title: Continuité synthétique (étape {i})\n");
        p.edit("content/site.yaml", OLD_TITLE, &between);
        assert_ok(&p.run(&["build", "--no-pdf"]));
        p.edit("content/site.yaml", &between, OLD_TITLE);
        assert_ok(&p.run(&["build", "--no-pdf"]));
        p.edit("content/site.yaml", OLD_TITLE, NEW_TITLE);
        let mut env = vec![("RELANCE_TEST_ABORT_AT", stage)];
        if fallback {
            env.push(("RELANCE_TEST_NO_EXCHANGE", "1"));
        }
        let out = relance_with(&p, &["build", "--no-pdf"], &env);
        assert_eq!(
            out.status.signal(),
            Some(libc::SIGABRT),
            "{what}: the build was not stopped at that stage\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let after = if p.path("output").exists() {
            if digest(&p) == old {
                "old"
            } else if digest(&p) == new {
                "new"
            } else {
                "a mix"
            }
        } else {
            "none"
        };
        assert_eq!(after, expected, "{what}: output/ holds {after}");
        let left: Vec<String> = std::fs::read_dir(p.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".output.relance-"))
            .collect();
        assert!(
            !left.is_empty(),
            "{what}: the abort left nothing to clean up?"
        );

        // The next run recovers first, even when its own content fails.
        let good = p.read("content/site.yaml");
        p.write("content/site.yaml", "title: [\n");
        let failed = p.run(&["build", "--no-pdf"]);
        assert_eq!(failed.code, 1, "{what}: {}", failed.stderr);
        assert_nothing_else_written(&p);
        let recovered = if expected == "none" { "old" } else { expected };
        assert!(
            p.path("output").is_dir(),
            "{what}: no output/ after the next run's recovery"
        );
        let d = digest(&p);
        assert!(
            (recovered == "old" && d == old) || (recovered == "new" && d == new),
            "{what}: after recovery output/ is not the {recovered} site"
        );
        p.write("content/site.yaml", good);

        // The next good build publishes the new site, cleanly.
        assert_ok(&p.run(&["build", "--no-pdf"]));
        assert_eq!(digest(&p), new, "{what}: the next build");
        assert_nothing_else_written(&p);
        // Back to the old site for the next case.
        p.edit("content/site.yaml", NEW_TITLE, OLD_TITLE);
        assert_ok(&p.run(&["build", "--no-pdf"]));
    }
    assert_eq!(digest(&p), old);
}

/// The same promise against real SIGKILLs at times spread over a whole
/// build of 2 000 updates (never at 0 ms: a kill before the build starts
/// proves nothing). Timing decides which stage each kill hits; the
/// deterministic test above makes sure every stage is hit.
#[test]
fn a_build_killed_at_any_time_leaves_the_old_site_or_the_new_one() {
    use std::cell::Cell;
    use std::os::unix::process::ExitStatusExt;
    let (p, old, new) = old_and_new(20, 100);
    p.edit("content/site.yaml", OLD_TITLE, NEW_TITLE);
    let start = std::time::Instant::now();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let full = start.elapsed();
    p.edit("content/site.yaml", NEW_TITLE, OLD_TITLE);
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert_eq!(digest(&p), old);
    p.edit("content/site.yaml", OLD_TITLE, NEW_TITLE);

    let (saw_old, saw_new, killed) = (Cell::new(0), Cell::new(0), Cell::new(0));
    let bump = |c: &Cell<u32>| c.set(c.get() + 1);
    let kill_after = |delay: std::time::Duration, what: &str| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_relance"))
            .args(["build", "--no-pdf"])
            .current_dir(p.dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        if status.signal() == Some(libc::SIGKILL) {
            bump(&killed);
        }
        let now = digest(&p);
        if now == old {
            bump(&saw_old);
        } else if now == new {
            bump(&saw_new);
            p.edit("content/site.yaml", NEW_TITLE, OLD_TITLE);
            assert_ok(&p.run(&["build", "--no-pdf"]));
            assert_eq!(digest(&p), old);
            p.edit("content/site.yaml", OLD_TITLE, NEW_TITLE);
        } else {
            panic!(
                "{what} (killed after {delay:?}): the output is a mix of the old and the new site"
            );
        }
    };
    for round in 1..=12u32 {
        kill_after(
            full.mul_f64(f64::from(round) / 12.0),
            &format!("round {round}"),
        );
    }
    // On a loaded machine the measured build may have been much slower than
    // the next ones: kill sooner and sooner until one is caught mid-way.
    let mut delay = full / 24;
    for round in 1..=10 {
        if killed.get() > 0 {
            break;
        }
        kill_after(delay, &format!("extra round {round}"));
        delay /= 2;
    }
    assert!(killed.get() > 0, "no build was killed while it ran");
    // The next build succeeds, equals a clean build, and cleans up.
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert_eq!(digest(&p), new);
    assert_nothing_else_written(&p);
    eprintln!(
        "{} builds killed mid-way: {} left the old site, {} the new one (full build {full:?})",
        killed.get(),
        saw_old.get(),
        saw_new.get()
    );
}

/// Exit code 3: an I/O failure, reported with the path, nothing published.
#[test]
fn io_failures_exit_3() {
    let p = Project::example();
    // The output's parent is a file: the staging folder cannot be made.
    p.write("blocker", "a file, not a folder\n");
    let run = p.run(&["build", "--no-pdf", "--output", "blocker/site"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("error: blocker"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(p.read("blocker"), "a file, not a folder\n");
    std::fs::remove_file(p.path("blocker")).unwrap();
    assert_nothing_else_written(&p);

    // The report cannot be written (its folder does not exist): the build
    // itself succeeds, the command fails with 3.
    let run = p.run(&["build", "--no-pdf", "--report", "missing/report.json"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: missing/report.json"),
        "{}",
        run.stderr
    );
}

/// Builds `p` and checks the output equals a clean build of its content.
fn builds_like_a_clean_build(p: &Project, what: &str) {
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let clean = Project::from(&p.path("content"));
    assert_ok(&clean.run(&["build", "--no-pdf"]));
    assert_same_site(&p.snapshot("output"), &clean.snapshot("output"), what);
}

/// The spare generation (the previous site, kept beside the output and
/// brought up to date in place by the next build) is never trusted over the
/// disk: edited, deleted, stray or linked files in it, a link where a
/// region folder was, or the whole spare deleted, and the next build still
/// publishes exactly a clean build, without touching what a link points to.
#[test]
fn a_tampered_spare_generation_never_reaches_the_site() {
    let (p, _, _) = old_and_new(3, 6);
    let spare = p.path(".output.relance-spare");
    let victim = p.path("victim.txt");
    std::fs::write(&victim, "not relance's").unwrap();
    // A second build leaves the previous generation as the spare.
    p.edit("content/site.yaml", OLD_TITLE, NEW_TITLE);
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert!(
        spare.join(".relance-output").is_file(),
        "no spare generation"
    );
    let region = first_entry(&spare.join("regions"), |_| true);
    let update = first_entry(&region, |p| p.is_dir());
    // Tamper: an edited page, a deleted page, a stray file, links.
    let page = update.join("index.html");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("<h1", "<h1 data-tampered")).unwrap();
    std::fs::remove_file(update.join("brief.txt")).unwrap();
    std::fs::write(spare.join("stray.html"), "stray").unwrap();
    std::os::unix::fs::symlink(&victim, update.join("facts.json.bak")).unwrap();
    std::fs::remove_file(update.join("facts.json")).unwrap();
    std::os::unix::fs::symlink(&victim, update.join("facts.json")).unwrap();
    // One edit, then a build: it updates the tampered spare and swaps it in.
    p.edit("content/site.yaml", NEW_TITLE, OLD_TITLE);
    builds_like_a_clean_build(&p, "tampered spare");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "not relance's");

    // A region folder of the spare replaced by a link to a folder outside.
    let outside = p.path("outside");
    std::fs::create_dir_all(outside.join("keep")).unwrap();
    std::fs::write(outside.join("keep/file.txt"), "keep me").unwrap();
    let region = first_entry(&spare.join("regions"), |_| true);
    std::fs::remove_dir_all(&region).unwrap();
    std::os::unix::fs::symlink(&outside, &region).unwrap();
    p.edit("content/site.yaml", OLD_TITLE, NEW_TITLE);
    builds_like_a_clean_build(&p, "linked region");
    assert_eq!(
        std::fs::read_to_string(outside.join("keep/file.txt")).unwrap(),
        "keep me",
        "a build deleted through a link"
    );

    // An untrusted spare (no cache) whose regions/ is a link outside: it is
    // removed without deleting through the link.
    let outside2 = p.path("outside2");
    std::fs::create_dir_all(outside2.join("r")).unwrap();
    std::fs::write(outside2.join("r/file.txt"), "keep me too").unwrap();
    std::fs::remove_dir_all(spare.join("regions")).unwrap();
    std::os::unix::fs::symlink(&outside2, spare.join("regions")).unwrap();
    std::fs::remove_file(spare.join(".relance-cache")).unwrap();
    p.edit("content/site.yaml", NEW_TITLE, OLD_TITLE);
    builds_like_a_clean_build(&p, "untrusted spare");
    assert_eq!(
        std::fs::read_to_string(outside2.join("r/file.txt")).unwrap(),
        "keep me too",
        "a build deleted through a link"
    );
    p.edit("content/site.yaml", OLD_TITLE, NEW_TITLE);
    assert_ok(&p.run(&["build", "--no-pdf"]));

    // The whole spare deleted by hand.
    std::fs::remove_dir_all(&spare).unwrap();
    p.edit("content/site.yaml", NEW_TITLE, OLD_TITLE);
    builds_like_a_clean_build(&p, "deleted spare");
    assert!(
        spare.join(".relance-output").is_file(),
        "the spare is made again"
    );

    // A file where the site has a folder, and a stray whose name is not
    // UTF-8 (which no relative site path can name).
    let region = first_entry(&spare.join("regions"), |_| true);
    let update = first_entry(&region, |p| p.is_dir());
    assert!(update.join("embed").is_dir(), "no embed folder to replace");
    std::fs::remove_dir_all(update.join("embed")).unwrap();
    std::fs::write(update.join("embed"), "not a folder").unwrap();
    let odd = std::ffi::OsStr::from_bytes(b"\xff.css");
    std::fs::write(spare.join("assets").join(odd), "stray").unwrap();
    p.edit("content/site.yaml", OLD_TITLE, NEW_TITLE);
    builds_like_a_clean_build(&p, "a file for a folder, a name not UTF-8");
    assert!(!p.path("output/assets").join(odd).exists());
}

/// A spare generation whose survey vouches for its folders (it settled
/// before a no-op recorded it) is not walked: only the folders that no
/// longer look as surveyed are listed. Strays added deep inside it, a
/// page edited in place with the same length, an empty folder and a
/// folder of strays made by hand still never reach the site.
#[test]
fn a_tampered_settled_spare_is_found_from_its_survey() {
    let (p, _, _) = old_and_new(3, 6);
    let spare = p.path(".output.relance-spare");
    // The output settles, and a no-op records a survey that vouches for
    // its folders; an edit then publishes a new generation beside it, and
    // it becomes the spare, with that survey.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_ok(&p.run(&["build", "--no-pdf"]));
    p.edit("content/site.yaml", OLD_TITLE, NEW_TITLE);
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert!(spare.join(".relance-output").is_file(), "no spare");
    let cache = std::fs::read_to_string(spare.join(".relance-cache")).unwrap();
    assert!(
        cache.contains("\nfolder "),
        "the spare has no survey:\n{}",
        &cache[..300]
    );
    let region = first_entry(&spare.join("regions"), |_| true);
    let update = first_entry(&region, |p| p.is_dir());
    let page = update.join("index.html");
    let text = std::fs::read_to_string(&page).unwrap();
    let same_length = text.replacen("<h1", "<h2", 1).replacen("</h1", "</h2", 1);
    assert_eq!(same_length.len(), text.len());
    std::fs::write(&page, same_length).unwrap();
    std::fs::write(update.join("stray.html"), "stray").unwrap();
    std::fs::create_dir(update.join("empty")).unwrap();
    std::fs::create_dir_all(region.join("made/by/hand")).unwrap();
    std::fs::write(region.join("made/by/hand/page.html"), "stray").unwrap();
    std::os::unix::fs::symlink(&page, region.join("link.html")).unwrap();
    p.edit("content/site.yaml", NEW_TITLE, OLD_TITLE);
    builds_like_a_clean_build(&p, "tampered settled spare");
    let out = p.path("output").join(region.strip_prefix(&spare).unwrap());
    assert!(!out.join("made").exists() && !out.join("link.html").exists());
}

/// A spare whose own files were tampered with: its cache naming paths
/// outside it (an absolute folder, a `../` file), relance's marker and the
/// cache's temporary name made links to a file outside, a page replaced by
/// a folder. Nothing outside is deleted or written, the spare's cache is
/// not used, and the site equals a clean build, with no link in it.
#[test]
fn a_spare_with_a_forged_cache_or_linked_own_files_touches_nothing_outside() {
    let (p, _, _) = old_and_new(2, 3);
    let spare = p.path(".output.relance-spare");
    p.edit("content/site.yaml", OLD_TITLE, NEW_TITLE);
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let victim_dir = p.path("victim-dir");
    std::fs::create_dir_all(&victim_dir).unwrap();
    std::fs::write(victim_dir.join("keep.txt"), "keep").unwrap();
    let victim = p.path("victim.txt");
    std::fs::write(&victim, "not relance's").unwrap();
    // A forged cache: a survey folder outside, a unit's file above the spare.
    let cache = std::fs::read_to_string(spare.join(".relance-cache")).unwrap();
    let forged = cache
        .replacen(
            "\nfolder ",
            &format!("\nfolder 1 1 1 1 {}\nfolder ", victim_dir.display()),
            1,
        )
        .replacen("\nfile ", "\nfile 1 1 1 ../victim.txt\nfile ", 1);
    assert_ne!(forged, cache);
    std::fs::write(spare.join(".relance-cache"), forged).unwrap();
    p.edit("content/site.yaml", NEW_TITLE, OLD_TITLE);
    builds_like_a_clean_build(&p, "forged spare cache");
    assert!(victim_dir.join("keep.txt").is_file(), "deleted outside");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "not relance's");

    // relance's own files in the spare made links to a file outside, and a
    // page made a folder.
    assert!(spare.join(".relance-output").is_file(), "no spare");
    std::fs::remove_file(spare.join(".relance-output")).unwrap();
    std::os::unix::fs::symlink(&victim, spare.join(".relance-output")).unwrap();
    std::os::unix::fs::symlink(&victim, spare.join(".relance-cache.tmp")).unwrap();
    let region = first_entry(&spare.join("regions"), |_| true);
    let page = first_entry(&region, |p| p.is_dir()).join("index.html");
    std::fs::remove_file(&page).unwrap();
    std::fs::create_dir(&page).unwrap();
    std::fs::write(page.join("junk"), "junk").unwrap();
    p.edit("content/site.yaml", OLD_TITLE, NEW_TITLE);
    builds_like_a_clean_build(&p, "linked marker and cache name");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "not relance's");
    assert_no_links(&p.path("output"));
}

/// The first edit after a full build, with a region folder of the output
/// replaced by a link to a copy of it: nothing is read or linked through
/// the link (the copy's files gain no link), and the site equals a clean
/// build.
#[test]
fn a_linked_folder_in_the_output_is_not_carried_over() {
    use std::os::unix::fs::MetadataExt;
    let (p, _, _) = old_and_new(3, 6);
    let region = p.path("output/regions/region-001");
    let moved = p.path("moved");
    std::fs::rename(&region, &moved).unwrap();
    std::os::unix::fs::symlink(&moved, &region).unwrap();
    let page = first_entry(&moved, |d| d.is_dir()).join("index.html");
    assert_eq!(std::fs::metadata(&page).unwrap().nlink(), 1);
    edit_the_first_update(&p);
    builds_like_a_clean_build(&p, "a linked region folder");
    assert_no_links(&p.path("output"));
    assert_eq!(
        std::fs::metadata(&page).unwrap().nlink(),
        1,
        "a file was carried over through the link"
    );
}

/// No entry under `dir` is a symbolic link.
fn assert_no_links(dir: &std::path::Path) {
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        assert!(
            !entry.path_is_symlink(),
            "a link: {}",
            entry.path().display()
        );
    }
}

/// The first file (sorted) of a folder's entries that satisfy `keep`.
fn first_entry(
    dir: &std::path::Path,
    keep: impl Fn(&std::path::Path) -> bool,
) -> std::path::PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| keep(p))
        .min()
        .unwrap()
}

/// Whether `p` is an update's fact file (not `region.yaml`).
fn is_update_file(p: &std::path::Path) -> bool {
    p.extension().is_some_and(|e| e == "yaml") && !p.ends_with("region.yaml")
}

/// Edits the first fact file of `region-000` and builds, so that the
/// previous site becomes the spare generation; returns the fact file.
fn edit_with_a_spare(p: &Project) -> String {
    let fact = edit_the_first_update(p);
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert!(p.path(".output.relance-spare/.relance-output").is_file());
    fact
}

/// Edits the first fact file of `region-000`; returns the fact file.
fn edit_the_first_update(p: &Project) -> String {
    let first = first_entry(&p.path("content/regions/region-000"), is_update_file);
    let fact = format!(
        "content/regions/region-000/{}",
        first.file_name().unwrap().to_string_lossy()
    );
    p.edit(&fact, "by_appointment: true", "by_appointment: false");
    fact
}

/// The published page of the first update of `region`.
fn published_page(p: &Project, region: &str) -> std::path::PathBuf {
    first_entry(&p.path(&format!("output/regions/{region}")), |d| d.is_dir()).join("index.html")
}

/// Replaces `page` by a new file (a new inode) with its heading marked.
fn replace_page(page: &std::path::Path) {
    let text = std::fs::read_to_string(page).unwrap();
    std::fs::remove_file(page).unwrap();
    std::fs::write(page, text.replace("<h1", "<h1 data-tampered")).unwrap();
}

/// A one-edit build with a valid spare does not stat the whole published
/// output: it takes the spare, brought up to date, and checks each file it
/// carries over from the output. A published page edited by hand (in place,
/// so its spare twin, the same inode, changes too; or replaced, so only
/// the output's changes), a page replaced by a link to a copy of itself, a
/// stray file in the output: the build still publishes exactly a clean
/// build.
#[test]
fn a_one_edit_build_checks_what_it_carries_over_from_the_output() {
    let (p, _, _) = old_and_new(3, 6);
    let fact = edit_with_a_spare(&p);
    tamper_with_the_output(&p);
    p.edit(&fact, "by_appointment: false", "by_appointment: true");
    builds_like_a_clean_build(&p, "tampered output, one edit");
    assert!(!p.path("output/stray.html").exists());
    assert!(!p.path("output/index.html").is_symlink());
}

/// The first edit after a full build has no spare: it fills a new
/// generation from the output's cache, without a table of the output, and
/// still checks each file it carries over.
#[test]
fn the_first_edit_after_a_full_build_checks_what_it_carries_over() {
    let (p, _, _) = old_and_new(3, 6);
    assert!(!p.path(".output.relance-spare").exists(), "a spare already");
    tamper_with_the_output(&p);
    edit_the_first_update(&p);
    builds_like_a_clean_build(&p, "tampered output, first edit");
    assert!(!p.path("output/stray.html").exists());
    assert!(!p.path("output/index.html").is_symlink());
}

/// A published page edited by hand in place (its spare twin, the same
/// inode, changes too), another replaced (only the output's changes), the
/// site-wide page replaced by a link to a file with its very bytes (never
/// carried over as a link), a stray file.
fn tamper_with_the_output(p: &Project) {
    let shared = published_page(p, "region-001");
    let text = std::fs::read_to_string(&shared).unwrap();
    std::fs::write(&shared, text.replace("<h1", "<h1 data-tampered")).unwrap();
    replace_page(&published_page(p, "region-002"));
    let copy = p.path("copy.html");
    std::fs::copy(p.path("output/index.html"), &copy).unwrap();
    std::fs::remove_file(p.path("output/index.html")).unwrap();
    std::os::unix::fs::symlink(&copy, p.path("output/index.html")).unwrap();
    p.write("output/stray.html", "stray");
}

/// Content unchanged and the spare's copy intact: a published page
/// replaced or deleted by hand is still put back (the spare's file is
/// counted as a change, not as the published one).
#[test]
fn a_published_page_replaced_by_hand_is_put_back_from_the_spare() {
    let (p, _, _) = old_and_new(3, 6);
    edit_with_a_spare(&p);
    replace_page(&published_page(&p, "region-002"));
    std::fs::remove_file(published_page(&p, "region-001")).unwrap();
    builds_like_a_clean_build(&p, "published pages replaced and deleted, spare intact");
}

/// A one-edit build killed while it brings the spare generation up to
/// date leaves the published site untouched, and the next build (which no
/// longer trusts the half-updated spare) equals a clean build.
#[test]
fn a_one_edit_build_killed_while_updating_the_spare() {
    use std::os::unix::process::ExitStatusExt;
    let (p, old, _) = old_and_new(3, 6);
    // Make a spare: build the new title, then back to the old one.
    p.edit("content/site.yaml", OLD_TITLE, NEW_TITLE);
    assert_ok(&p.run(&["build", "--no-pdf"]));
    p.edit("content/site.yaml", NEW_TITLE, OLD_TITLE);
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert_eq!(digest(&p), old);
    // One edited update.
    let region = first_entry(&p.path("content/regions"), |_| true);
    let file = first_entry(&region, is_update_file);
    let other = file.with_file_name(
        std::fs::read_dir(&region)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yaml") && n != "region.yaml")
            .max()
            .unwrap(),
    );
    assert_ne!(file, other);
    let text = std::fs::read_to_string(&file).unwrap();
    let other_text = std::fs::read_to_string(&other).unwrap();
    for (i, stage) in [
        "during-render",
        "during-cleanup",
        "after-staging",
        "before-swap",
    ]
    .into_iter()
    .enumerate()
    {
        // A trusted spare that differs from the output in one other update.
        std::fs::write(
            &other,
            other_text.replacen("title: ", &format!("title: Autre {i} "), 1),
        )
        .unwrap();
        assert_ok(&p.run(&["build", "--no-pdf"]));
        std::fs::write(&other, &other_text).unwrap();
        assert_ok(&p.run(&["build", "--no-pdf"]));
        assert_eq!(digest(&p), old);
        // The one edit, killed at `stage`.
        std::fs::write(&file, text.replacen("title: ", "title: Édité ", 1)).unwrap();
        let out = relance_with(
            &p,
            &["build", "--no-pdf"],
            &[("RELANCE_TEST_ABORT_AT", stage)],
        );
        assert_eq!(
            out.status.signal(),
            Some(libc::SIGABRT),
            "{stage}: not stopped"
        );
        assert_eq!(digest(&p), old, "{stage}: the published site changed");
        std::fs::write(&file, &text).unwrap();
    }
    std::fs::write(&file, text.replacen("title: ", "title: Édité ", 1)).unwrap();
    builds_like_a_clean_build(&p, "after the kills");
    assert_nothing_else_written(&p);
}
