//! Languages: every word comes from a catalogue (no sentence and no
//! language test in the renderers), catalogues are overridable from the
//! project's `locales/`, and a broken override is a located error.

mod common;
use common::*;

use std::path::Path;

/// String literals of the non-test code of `file`, with their line.
fn literals(text: &str) -> Vec<(usize, usize, String)> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let bytes: Vec<char> = code.chars().collect();
    let (mut out, mut i, mut line) = (Vec::new(), 0, 1);
    while i < bytes.len() {
        match bytes[i] {
            '\n' => line += 1,
            '/' if bytes.get(i + 1) == Some(&'/') => {
                while i < bytes.len() && bytes[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '\'' if bytes.get(i + 2) == Some(&'\'') || bytes.get(i + 1) == Some(&'\\') => {
                // A char literal ('"', '\n'): skip it whole.
                i += if bytes[i + 1] == '\\' { 4 } else { 3 };
                continue;
            }
            '"' => {
                let start = i;
                let mut lit = String::new();
                i += 1;
                while i < bytes.len() && bytes[i] != '"' {
                    if bytes[i] == '\\' {
                        lit.push(bytes[i]);
                        i += 1;
                    }
                    if bytes[i] == '\n' {
                        line += 1;
                    }
                    lit.push(bytes[i]);
                    i += 1;
                }
                out.push((line, start, lit));
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Diagnostics stay English and are not in catalogues: a literal in a
/// statement that builds one is not a page's sentence.
fn in_diagnostic(code: &str, at: usize) -> bool {
    let chars: Vec<char> = code.chars().collect();
    let from = at.saturating_sub(400);
    let before: String = chars[from..at].iter().collect();
    let statement = before.rsplit([';', '}']).next().unwrap_or(&before);
    [
        "Diagnostic::",
        "Failure::",
        "with_help",
        "panic!",
        "expect(",
        "map_err",
        "eprintln!",
    ]
    .iter()
    .any(|m| statement.contains(m))
}

/// Literals that look like prose but are not language: font names,
/// markup attribute values.
const NOT_PROSE: &[&str] = &[
    "Noto Sans",
    "noopener noreferrer",
    "(embedded theme)/{name}",
];

fn prose(lit: &str) -> bool {
    if lit.contains('<') || lit.contains("=\\\"") || NOT_PROSE.contains(&lit) {
        return false;
    }
    let words: Vec<&str> = lit.split(' ').collect();
    words.windows(2).any(|w| {
        w.iter()
            .all(|x| x.chars().count() >= 2 && x.chars().all(char::is_alphabetic))
    })
}

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

#[test]
fn renderers_and_views_hold_no_sentence_and_no_language_test() {
    let mut found = Vec::new();
    for dir in ["src/render", "src/view"] {
        for path in rust_files(&repo().join(dir)) {
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap();
            let name = path.strip_prefix(repo()).unwrap().display().to_string();
            for (line, at, lit) in literals(&text) {
                if prose(&lit) && !in_diagnostic(code, at) {
                    found.push(format!("{name}:{line}: sentence literal {lit:?}"));
                }
                if lit == "fr" || lit == "en" || lit == "es" {
                    found.push(format!("{name}:{line}: language code {lit:?}"));
                }
            }
            for (i, l) in code.lines().enumerate() {
                let variant = ["Language::Fr", "Language::En", "Language::Es"]
                    .iter()
                    .any(|v| l.contains(v));
                if variant {
                    found.push(format!("{name}:{}: language test: {}", i + 1, l.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "words belong in locales/*.ftl:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scanner_finds_what_it_looks_for() {
    let sample = "fn a() {\n    let s = \"Le réseau a tenu.\";\n    let c = '\"';\n    let x = \"{} {}\";\n    d.push(Diagnostic::error(f, p, \"x\", \"cannot read the file\"));\n}\n";
    let lits = literals(sample);
    let flagged: Vec<&str> = lits
        .iter()
        .filter(|(_, at, l)| prose(l) && !in_diagnostic(sample, *at))
        .map(|(_, _, l)| l.as_str())
        .collect();
    assert_eq!(flagged, ["Le réseau a tenu."]);
}

#[test]
fn templates_hold_no_language_switch() {
    for entry in std::fs::read_dir(repo().join("templates")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for needle in ["language ==", "\"fr\"", "\"en\"", "if fr", "site.language"] {
            let bad = text
                .lines()
                .filter(|l| l.contains(needle) && !l.contains("lang: site.language"))
                .collect::<Vec<_>>();
            assert!(bad.is_empty(), "{}: {bad:?}", path.display());
        }
    }
}

#[test]
fn a_project_catalogue_overrides_words_message_by_message() {
    let p = Project::example();
    p.write(
        "locales/fr.ftl",
        "ui-overview = Accueil\nbrief-network-held = Le réseau a résisté.\n",
    );
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let page = p.read("output/index.html");
    assert!(
        page.contains("<span aria-current=\"page\">Accueil</span>"),
        "{page}"
    );
    // Messages the override does not give keep the embedded text.
    assert!(page.contains("Données ouvertes"), "{page}");
    let brief = p.read("output/regions/languedoc-roussillon/2020-05-14/brief.txt");
    assert!(brief.contains("Le réseau a résisté."), "{brief}");
    let run = p.run(&["brief", "languedoc-roussillon"]);
    assert!(
        run.stdout.contains("Le réseau a résisté."),
        "{}",
        run.stdout
    );
}

#[test]
fn a_broken_catalogue_is_a_located_error_and_nothing_is_written() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let before = p.snapshot("output");
    p.write(
        "locales/fr.ftl",
        "ui-overview = Accueil\nui-history = { $\n",
    );
    let run = p.run(&["build", "--no-pdf"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("locales/fr.ftl:2:"),
        "not located: {}",
        run.stderr
    );
    assert!(run.stderr.contains("Fluent syntax error"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(before, p.snapshot("output"), "output changed");
    let check = p.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
}

/// An override may use the variables relance gives the message, and only
/// them: one it is not given would be published as `{$telework}` in a
/// sentence. What relance gives is what it formats the message with (the
/// `$count` of a plural the embedded French does not use is given), found
/// as the site is rendered, also through a message the override refers
/// to. The old variables of a message whose wording changed are refused
/// the same way.
#[test]
fn an_override_using_a_variable_it_is_not_given_is_a_located_error() {
    let p = Project::example();
    p.write(
        "locales/fr.ftl",
        "\u{FEFF}chart-overview-part = { $region } — { $figures }\n\
         figure-services = { $count ->\n    [one] service maintenu\n   *[other] services maintenus\n}\n",
    );
    let run = p.run(&["build", "--no-pdf"]);
    assert_ok(&run);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert!(
        p.read("output/index.html")
            .contains("Languedoc-Roussillon — ")
    );
    let before = p.snapshot("output");
    let cases = [
        (
            "ui-overview = Accueil\nchart-overview-part = { $region } : télétravail { $telework }\n",
            "locales/fr.ftl:2:51: error: message `chart-overview-part` uses `$telework`, which relance does not give it",
            "relance gives this message `$figures`, `$region`",
        ),
        // `$word` is found whole, not in `$words`; CRLF line ends.
        (
            "# a\r\n# b\r\nbrief-reading = { $words } mots, { $word }\r\n",
            "locales/fr.ftl:3:36: error: message `brief-reading` uses `$word`",
            "`$words`",
        ),
        // Through a message of the project's own, which is used (no
        // "never used" warning).
        (
            "ui-overview = Accueil { my-words }\nmy-words = { $telework }\n",
            "locales/fr.ftl:2:14: error: message `ui-overview` uses `$telework`",
            "relance gives this message no variable",
        ),
        // What Fluent prints without a word: a term's variable as
        // `{$percent}`, a failed function as `LEAD()`, a message with no
        // text as its id.
        (
            "-t = {$percent} télé\nbrief-telework-except = { -t } des salariés, sauf { LEAD(\"les\", $except) }.\n",
            "locales/fr.ftl:1:7: error: term `-t` uses `$percent`, which its call does not give it",
            "write `$percent` in the messages themselves",
        ),
        (
            "brief-telework-except = { $percent } des salariés, sauf { LEAD(\"les\") }.\n",
            "locales/fr.ftl:1:59: error: message `brief-telework-except` calls `LEAD` with arguments it cannot use",
            "relance gives this message `$except`, `$percent`",
        ),
        (
            "brief-telework-except =\n    .attr = { $y }\n",
            "locales/fr.ftl:1:1: error: message `brief-telework-except` has no text of its own",
            "write its text in full",
        ),
        // A cycle through embedded messages is the project's doing.
        (
            "brief-approx-percent = { brief-approx-factor }\nbrief-approx-factor = { brief-approx-percent }\n",
            "reaches messages that refer to each other in a cycle",
            "locales/fr.ftl:1:1: error: message `",
        ),
        // A comment naming the variable is not where it is used.
        (
            "# we dropped $nope here\nhelper = a { $nope }\nbrief-telework-except = { $percent } { helper } sauf { $except }.\n",
            "locales/fr.ftl:2:14: error: message `brief-telework-except` uses `$nope`",
            "relance gives this message `$except`, `$percent`",
        ),
    ];
    for (ftl, error, help) in cases {
        p.write("locales/fr.ftl", ftl);
        for command in [
            &["build", "--no-pdf"][..],
            &["check"],
            &["brief", "languedoc-roussillon"],
        ] {
            let run = p.run(command);
            if command[0] == "brief" && !ftl.contains("brief-") {
                continue; // the brief does not say the overview's words
            }
            assert_eq!(run.code, 1, "{command:?} {ftl}: {}", run.stderr);
            assert!(run.stderr.contains(error), "{command:?}: {}", run.stderr);
            assert!(run.stderr.contains(help), "{command:?}: {}", run.stderr);
            assert!(!run.stderr.contains("never used"), "{}", run.stderr);
            assert!(!run.stdout.contains("{$"), "{}", run.stdout);
            assert!(!run.stdout.contains("LEAD("), "{}", run.stdout);
        }
    }
    assert_eq!(before, p.snapshot("output"), "output changed");
}

#[test]
fn an_unknown_message_in_an_override_is_a_located_warning() {
    let p = Project::example();
    p.write(
        "locales/fr.ftl",
        "ui-overview = Accueil\nui-overveiw = typo\n",
    );
    let run = p.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("locales/fr.ftl:2:1: warning: message `ui-overveiw`"),
        "{}",
        run.stderr
    );
    assert_eq!(p.run(&["check", "--deny-warnings"]).code, 1);
}

#[test]
fn an_edited_catalogue_rebuilds_what_it_words() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    p.write("locales/fr.ftl", "ui-history = Chronologie\n");
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let page = p.read("output/regions/languedoc-roussillon/index.html");
    assert!(page.contains("<h2>Chronologie</h2>"), "{page}");
}

#[test]
fn french_sentences_agree_in_number_and_gender() {
    let p = Project::example();
    p.edit(UPDATE, "total: 20", "total: 21");
    p.edit(UPDATE, "reopened: 20", "reopened: 1");
    let services = "priority_services:\n  - Hôpitaux\n  - Services d'urgence\n  - Professionnels de santé\n  - EHPAD\n  - Collectivités locales\n  - Personnes isolées\n  - Personnes âgées\n  - Entreprises\n";
    p.edit(UPDATE, services, "priority_services:\n  - Hôpitaux\n");
    let digits = p.run(&["brief", "languedoc-roussillon"]);
    assert_ok(&digits);
    for part in [
        "1 boutique sur 21 a rouvert le 11 mai 2020",
        "1 service a été traité en priorité : hôpitaux.",
    ] {
        assert!(
            digits.stdout.contains(part),
            "{part:?} in\n{}",
            digits.stdout
        );
    }
    let words = p.run(&["brief", "languedoc-roussillon", "--words"]);
    assert_ok(&words);
    for part in [
        "Une boutique sur vingt et une a rouvert le onze mai deux mille vingt",
        "Un service a été traité en priorité",
    ] {
        assert!(words.stdout.contains(part), "{part:?} in\n{}", words.stdout);
    }
    let json: serde_json::Value = serde_json::from_str(
        &p.run(&["brief", "languedoc-roussillon", "--format", "json"])
            .stdout,
    )
    .unwrap();
    let labels: Vec<&str> = json["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"boutiques au total"), "{labels:?}");
}
