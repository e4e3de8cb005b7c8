//! Hostile and accidental inputs: limits, links out of the content folder,
//! dangerous output folders, broken links, and builds killed mid-way.

mod common;
use common::*;
use std::collections::BTreeMap;

/// The project folder holds only what the user put there and `output/`.
fn assert_nothing_else_written(p: &Project) {
    let mut names: Vec<String> = std::fs::read_dir(p.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names.retain(|n| n != "content" && n != "output" && n != "templates");
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

#[test]
fn file_over_ten_megabytes() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let mut big = p.read(UPDATE);
    big.push_str("quotes:\n");
    while big.len() < 11 * 1024 * 1024 {
        big.push_str("  - Une citation répétée pour grossir le fichier au-delà de la limite.\n");
    }
    p.write(UPDATE, big);
    fails_cleanly(
        &p,
        &["build", "--no-pdf"],
        1,
        &format!("{UPDATE}:1:1: error: the file is"),
    );
}

#[test]
fn nesting_deeper_than_the_format_needs() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    p.write(
        UPDATE,
        format!(
            "title: x\ndate: 2020-05-14\nquotes: {}{}\n",
            "[".repeat(200),
            "]".repeat(200)
        ),
    );
    fails_cleanly(
        &p,
        &["build", "--no-pdf"],
        1,
        "nesting deeper than 32 levels",
    );
}

#[test]
fn more_files_than_the_limit() {
    let p = Project::multi();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    fails_cleanly(
        &p,
        &["build", "--no-pdf", "--max-files", "3"],
        1,
        "more than the limit of 3",
    );
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
fn generated_sites_have_no_broken_links() {
    for p in [Project::example(), Project::multi()] {
        let run = p.run(&["check"]);
        assert_ok(&run);
        assert!(!run.stderr.contains("broken link"), "{}", run.stderr);
        assert_ok(&p.build());
        // Independently of relance's checker: every href/src resolves.
        let files = p.snapshot("output");
        for (path, bytes) in files.iter().filter(|(k, _)| k.ends_with(".html")) {
            for link in relance::linkcheck::links(path, &String::from_utf8_lossy(bytes)) {
                let target = link.target.clone().unwrap_or_default();
                assert!(
                    files.contains_key(&target),
                    "{path}:{}: {} does not resolve",
                    link.line,
                    link.href
                );
            }
        }
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

#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one() {
    // A few thousand updates, so that a build takes long enough to be
    // killed in the middle of rendering, writing and swapping.
    let p = Project::from(&repo().join("content"));
    std::fs::remove_dir_all(p.path("content")).unwrap();
    relance::synthetic::generate(&p.path("content"), 20, 100, "fr").unwrap();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let old = digest(&p);

    // The new site: every page changes with the title.
    let next = Project::from(&p.path("content"));
    next.edit(
        "content/site.yaml",
        "title: Continuité synthétique",
        "title: Continuité synthétique (bis)",
    );
    assert_ok(&next.run(&["build", "--no-pdf"]));
    let new = digest(&next);
    assert_ne!(old, new);

    p.edit(
        "content/site.yaml",
        "title: Continuité synthétique",
        "title: Continuité synthétique (bis)",
    );
    let start = std::time::Instant::now();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let full = start.elapsed();
    // Back to the old content; each round kills a build of the new content.
    p.edit(
        "content/site.yaml",
        "title: Continuité synthétique (bis)",
        "title: Continuité synthétique",
    );
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert_eq!(digest(&p), old);
    p.edit(
        "content/site.yaml",
        "title: Continuité synthétique",
        "title: Continuité synthétique (bis)",
    );

    let mut saw_old = 0;
    let mut saw_new = 0;
    for round in 0..12u32 {
        let delay = full.mul_f64(f64::from(round) / 11.0 * 1.1);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_relance"))
            .args(["build", "--no-pdf"])
            .current_dir(p.dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = digest(&p);
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
            // Go back to the old site for the next round.
            p.edit(
                "content/site.yaml",
                "title: Continuité synthétique (bis)",
                "title: Continuité synthétique",
            );
            assert_ok(&p.run(&["build", "--no-pdf"]));
            assert_eq!(digest(&p), old);
            p.edit(
                "content/site.yaml",
                "title: Continuité synthétique",
                "title: Continuité synthétique (bis)",
            );
        } else {
            panic!(
                "round {round} (killed after {delay:?}): the output is a mix of the old and the new site"
            );
        }
    }
    assert!(saw_old > 0, "no build was killed before the swap");
    // The next build succeeds, equals a clean build, and cleans up.
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert_eq!(digest(&p), new);
    assert_nothing_else_written(&p);
    eprintln!("killed builds: {saw_old} left the old site, {saw_new} the new one");
}
