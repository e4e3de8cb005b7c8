//! `relance brief`: whole scripts in French and English, spelled numbers,
//! JSON for other tools, and the errors a press officer may hit.

mod common;
use common::*;

#[test]
fn french_script_for_the_example() {
    let p = Project::example();
    let run = p.run(&["brief", "languedoc-roussillon"]);
    assert_ok(&run);
    insta::assert_snapshot!("brief_fr", run.stdout);
    for line in [
        "90\u{202F}% des salariés ont travaillé à distance, sauf les techniciens d'intervention.",
        "Par rapport à avant le confinement, le trafic voix sur mobile a été multiplié par 3.",
        "Le trafic WhatsApp a été multiplié par 5.",
        "Les 20 boutiques ont rouvert le 11 mai 2020, sur rendez-vous.",
        "57\u{202F}% des clients ont été servis en ligne, en hausse de 35\u{202F}%.",
        "Cyberattaques contre les centres hospitaliers : la riposte a été assurée par Orange Cyberdéfense.",
    ] {
        assert!(
            run.stdout.contains(line),
            "missing {line:?} in\n{}",
            run.stdout
        );
    }
    assert!(
        run.stdout.contains("Durée de lecture estimée : 1 minute"),
        "{}",
        run.stdout
    );
    // build writes the same script beside the page.
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert_eq!(
        p.read("output/regions/languedoc-roussillon/2020-05-14/brief.txt"),
        run.stdout
    );
}

#[test]
fn french_script_with_words() {
    let p = Project::example();
    let run = p.run(&["brief", "languedoc-roussillon", "--words"]);
    assert_ok(&run);
    insta::assert_snapshot!("brief_fr_words", run.stdout);
    for part in [
        "Quatre-vingt-dix pour cent des salariés",
        "a été multiplié par trois.",
        "multiplié par dix",
        "Les vingt boutiques ont rouvert le onze mai deux mille vingt",
        "Cinquante-sept pour cent des clients ont été servis en ligne, en hausse de trente-cinq pour cent.",
        "Huit services ont été traités en priorité",
    ] {
        assert!(
            run.stdout.contains(part),
            "missing {part:?} in\n{}",
            run.stdout
        );
    }
    // No figure is left as digits in the spoken sentences ("4G" is a name).
    let body: Vec<&str> = run
        .stdout
        .lines()
        .skip(4)
        .filter(|l| !l.starts_with("Durée"))
        .collect();
    for line in body {
        let numeric = line
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_digit()));
        assert!(!numeric, "digits left in a spoken sentence: {line}");
    }
}

#[test]
fn french_words_follow_the_rules() {
    let p = Project::example();
    p.edit(UPDATE, "percent: 90", "percent: 21");
    p.edit(UPDATE, "factor: 2\n", "factor: 2.5\n");
    p.edit(UPDATE, "customers_percent: 57", "customers_percent: 80");
    p.edit(UPDATE, "total: 20", "total: 71");
    let run = p.run(&["brief", "languedoc-roussillon", "--words"]);
    assert_ok(&run);
    for part in [
        "Vingt et un pour cent",
        "multiplié par deux virgule cinq",
        "Quatre-vingts pour cent",
        "Vingt boutiques sur soixante et onze",
    ] {
        assert!(
            run.stdout.contains(part),
            "missing {part:?} in\n{}",
            run.stdout
        );
    }
}

#[test]
fn english_script_with_changes() {
    let p = Project::multi();
    let run = p.run(&["brief", "north-coast"]);
    assert_ok(&run);
    insta::assert_snapshot!("brief_en", run.stdout);
    for line in [
        "60% of staff worked remotely.",
        "Mobile voice traffic was 2 times what it was before the lockdown.",
        "All 12 shops reopened on 11 May 2020, by appointment.",
        "Telework is down 30 points since 7 May.",
        "8 more shops have reopened since 7 May.",
        "The share of customers served online is up 5 points since 7 May.",
    ] {
        assert!(
            run.stdout.contains(line),
            "missing {line:?} in\n{}",
            run.stdout
        );
    }
    let words = p.run(&["brief", "north-coast", "--words"]);
    assert_ok(&words);
    insta::assert_snapshot!("brief_en_words", words.stdout);
    for part in [
        "Sixty percent of staff",
        "ten times",
        "Telework is down thirty points since May seventh.",
        "twelve thousand five hundred calls",
    ] {
        assert!(
            words.stdout.contains(part),
            "missing {part:?} in\n{}",
            words.stdout
        );
    }
    let older = p.run(&["brief", "north-coast", "--date", "2020-05-07", "--words"]);
    assert_ok(&older);
    assert!(
        older.stdout.contains("two point five times"),
        "{}",
        older.stdout
    );
    assert!(
        !older.stdout.contains("since"),
        "the first update has no change"
    );
}

#[test]
fn json_carries_every_figure_and_sentence() {
    let p = Project::example();
    let run = p.run(&["brief", "languedoc-roussillon", "--format", "json"]);
    assert_ok(&run);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["region"], "languedoc-roussillon");
    assert_eq!(v["date"], "2020-05-14");
    assert_eq!(v["language"], "fr");
    let figures = v["figures"].as_array().unwrap();
    let value = |key: &str, label: &str| {
        figures
            .iter()
            .find(|f| f["key"] == key && (label.is_empty() || f["label"] == label))
            .unwrap_or_else(|| panic!("{key} {label} missing"))["value"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(value("telework.percent", ""), 90.0);
    assert_eq!(value("traffic.multipliers", "Voix sur mobile"), 3.0);
    assert_eq!(value("traffic.multipliers", "Télétravail"), 10.0);
    assert_eq!(value("traffic.multipliers", "Visioconférence"), 2.0);
    assert_eq!(value("traffic.multipliers", "WhatsApp"), 5.0);
    assert_eq!(value("shops.total", ""), 20.0);
    assert_eq!(value("shops.reopened", ""), 20.0);
    assert_eq!(value("online.customers_percent", ""), 57.0);
    assert_eq!(value("online.growth_percent", ""), 35.0);
    assert_eq!(value("priority_services", ""), 8.0);
    assert_eq!(value("incidents", ""), 1.0);
    let sentences = v["sentences"].as_array().unwrap();
    assert!(
        sentences
            .iter()
            .all(|s| s["text"].is_string() && s["spoken"].is_string() && s["topic"].is_string())
    );
    assert!(sentences.iter().any(|s| {
        s["spoken"]
            .as_str()
            .unwrap()
            .contains("multiplié par trois")
    }));
    assert!(v["reading_seconds"].as_u64().unwrap() > 0);
}

#[test]
fn markdown_format() {
    let p = Project::example();
    let run = p.run(&["brief", "languedoc-roussillon", "--format", "markdown"]);
    assert_ok(&run);
    assert!(
        run.stdout
            .starts_with("# Languedoc-Roussillon — 14 mai 2020\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("\n- Le trafic WhatsApp a été multiplié par 5.\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn unknown_region_lists_regions_with_a_suggestion() {
    let p = Project::multi();
    let run = p.run(&["brief", "north-cost"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("unknown region `north-cost`; did you mean `north-coast`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("regions: east-valley, empty-hills, north-coast"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_date_lists_the_regions_dates() {
    let p = Project::multi();
    let run = p.run(&["brief", "north-coast", "--date", "2020-06-01"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("dates: 2020-05-07, 2020-05-14"),
        "{}",
        run.stderr
    );
}

#[test]
fn region_without_updates_says_so() {
    let p = Project::multi();
    let run = p.run(&["brief", "empty-hills"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("region `empty-hills` has no update yet"),
        "{}",
        run.stderr
    );
}

#[test]
fn invalid_content_fails_with_exit_1() {
    let p = Project::example();
    p.edit(UPDATE, "percent: 90", "percent: 190");
    let run = p.run(&["brief", "languedoc-roussillon"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(":17:12: error:"), "{}", run.stderr);
}

/// A pipe whose reading end is already closed: every write to it fails
/// with EPIPE, whatever the timing (`relance … | head -0`, deterministic).
fn closed_pipe() -> std::process::Stdio {
    use std::os::fd::FromRawFd;
    let mut fds = [0; 2];
    // SAFETY: pipe fills two descriptors we then own; the reading end is
    // closed at once, the writing end handed to the child.
    unsafe {
        assert_eq!(libc::pipe(fds.as_mut_ptr()), 0);
        libc::close(fds[0]);
        std::process::Stdio::from(std::os::fd::OwnedFd::from_raw_fd(fds[1]))
    }
}

/// Runs every command that prints with `closed` ("stdout" or "stderr")
/// going to a closed pipe: the exit code is the one it has with an open
/// pipe, and nothing panics.
fn every_command_with_a_closed(closed: &str) {
    let p = Project::example();
    let bad = Project::example();
    bad.edit(UPDATE, "percent: 90", "percent: 190");
    let cases: &[(&Project, &[&str], i32)] = &[
        (&p, &["brief", "languedoc-roussillon"], 0),
        (&p, &["brief", "languedoc-roussillon", "--words"], 0),
        (
            &p,
            &["brief", "languedoc-roussillon", "--format", "markdown"],
            0,
        ),
        (
            &p,
            &["brief", "languedoc-roussillon", "--format", "json"],
            0,
        ),
        (&p, &["brief", "nowhere"], 2),
        (&p, &["check"], 0),
        (&p, &["check", "--format", "json"], 0),
        (&bad, &["check"], 1),
        (&bad, &["check", "--format", "json"], 1),
        (&p, &["build", "--no-pdf"], 0),
        (&bad, &["build", "--no-pdf"], 1),
        (&p, &["new", "region", "bretagne", "--name", "Bretagne"], 0),
        (&p, &["--help"], 0),
        (&p, &["--version"], 0),
        (&p, &["build", "--help"], 0),
        (&p, &["build", "--frobnicate"], 2),
    ];
    let mut failures = Vec::new();
    for &(project, args, code) in cases {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_relance"));
        cmd.args(args).current_dir(project.dir.path());
        if closed == "stdout" {
            cmd.stdout(closed_pipe())
                .stderr(std::process::Stdio::piped());
        } else {
            cmd.stderr(closed_pipe())
                .stdout(std::process::Stdio::piped());
        }
        let out = cmd.output().unwrap();
        let other = String::from_utf8_lossy(if closed == "stdout" {
            &out.stderr
        } else {
            &out.stdout
        })
        .into_owned();
        if out.status.code() != Some(code) || other.contains("panicked") {
            failures.push(format!(
                "relance {}: exit {:?}, expected {code} {other}",
                args.join(" "),
                out.status.code()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "with a closed {closed}:\n{}",
        failures.join("\n")
    );
}

#[test]
fn closed_pipe_is_not_an_error() {
    every_command_with_a_closed("stdout");
}

#[test]

fn closed_stderr_is_not_an_error() {
    every_command_with_a_closed("stderr");
}

#[test]
fn french_changes_since_the_previous_update() {
    let p = Project::multi();
    p.edit("content/site.yaml", "language: en", "language: fr");
    let run = p.run(&["brief", "north-coast"]);
    assert_ok(&run);
    for line in [
        "Le télétravail recule de 30 points depuis le 7 mai.",
        "8 boutiques de plus ont rouvert depuis le 7 mai.",
        "La part des clients servis en ligne progresse de 5 points depuis le 7 mai.",
        "55\u{202F}% des clients ont été servis en ligne, en baisse de 5\u{202F}%.",
    ] {
        assert!(
            run.stdout.contains(line),
            "missing {line:?} in\n{}",
            run.stdout
        );
    }
    let words = p.run(&["brief", "north-coast", "--words"]);
    assert!(
        words
            .stdout
            .contains("Le télétravail recule de trente points depuis le sept mai."),
        "{}",
        words.stdout
    );
}
