//! Property tests over load → validate → render with random and mutated fact
//! files: nothing panics, every problem is located, and no fact ever reaches
//! the markup unescaped. Bounded case counts keep `cargo test` quick.

use proptest::prelude::*;
use relance::content::{Limits, load};
use relance::render::{RenderOptions, render_site, theme::Theme};

const MARKER: &str = "<x-evil";

fn example() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/content/regions/languedoc-roussillon/2020-05-14.yaml"
    ))
    .unwrap()
}

/// Text that tries hard to be markup in one of the output formats.
fn hostile_text() -> impl Strategy<Value = String> {
    let payloads = prop::sample::select(vec![
        "<x-evil>",
        "\"><x-evil onload=1>",
        "'><x-evil>",
        "</title><x-evil>",
        "]]><x-evil>",
        "{{ t }}<x-evil>",
        "{% raw %}<x-evil>",
        "#set page(paper: \"a5\")<x-evil>",
        "$x^2$<x-evil>",
        // A direction mark (overrides and isolates are refused: see
        // bad_input::direction_control_in_text).
        "\u{200F}<x-evil>",
        "&amp;<x-evil>",
        "javascript:<x-evil>",
    ]);
    (
        prop::string::string_regex("[a-zA-Zéàç0-9 ,.'\"\\\\-]{0,12}").unwrap(),
        payloads,
        prop::string::string_regex("[^\\p{Cc}\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}]{0,8}")
            .unwrap(),
    )
        .prop_map(|(a, p, b)| format!("{a}{p}{b}"))
}

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A structurally valid update whose every text is hostile and whose numbers
/// may be out of range.
fn update_file() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(hostile_text(), 12),
        // Mostly valid figures, so that most cases render; some out of range.
        prop_oneof![4 => 0.0f64..=100.0, 1 => -50.0f64..250.0],
        prop_oneof![4 => 0.01f64..150.0, 1 => -5.0f64..2000.0],
        0u32..40,
        0.0f64..=1.0,
        any::<bool>(),
    )
        .prop_map(|(t, pct, factor, total, share, held)| {
            let reopened = (f64::from(total) * share).round() as u32;
            format!(
                "title: {}\ndate: 2020-05-14\nsource:\n  name: {}\n  url: https://example.org/?q={}\nspeaker:\n  name: {}\n  role: {}\ntelework:\n  percent: {pct}\n  except: [{}]\npriority_services: [{}, {}]\ntraffic:\n  baseline: {}\n  network_held: {held}\n  multipliers:\n    - label: {}\n      factor: {factor}\n    - label: {}\n      factor: 2\nincidents:\n  - kind: {}\n    target: {}\n    response: {}\nshops:\n  total: {total}\n  reopened: {reopened}\nindicators:\n  - label: {}\n    value: {factor}\n    unit: {}\nquotes: [{}]\nnarrative: {}\n",
                q(&t[0]), q(&t[1]), t[2].len(), q(&t[3]), q(&t[4]), q(&t[5]), q(&t[6]), q(&format!("{} bis", t[6])), q(&t[7]), q(&t[8]), q(&format!("{} 2", t[8])),
                q(&t[9]), q(&t[10]), q(&t[11]), q(&t[1]), q(&t[2]), q(&t[3]), q(&format!("{}\n\n<script>alert(1)</script>[x](javascript:alert(2)) {}", t[4], t[5])),
            )
        })
}

/// The example with random damage: lines dropped, repeated, cut, or bytes
/// inserted.
fn mutated_example() -> impl Strategy<Value = Vec<u8>> {
    (prop::collection::vec((0usize..4, any::<usize>(), any::<u8>()), 1..6)).prop_map(|edits| {
        let mut lines: Vec<Vec<u8>> = example().lines().map(|l| l.as_bytes().to_vec()).collect();
        for (kind, at, byte) in edits {
            if lines.is_empty() {
                break;
            }
            let i = at % lines.len();
            match kind {
                0 => {
                    lines.remove(i);
                }
                1 => {
                    let l = lines[i].clone();
                    lines.insert(i, l);
                }
                2 => {
                    let cut = at % (lines[i].len() + 1);
                    lines[i].truncate(cut);
                }
                _ => {
                    let pos = at % (lines[i].len() + 1);
                    lines[i].insert(pos, byte);
                }
            }
        }
        lines.join(&b'\n')
    })
}

fn config(cases: u32) -> ProptestConfig {
    let mut c = ProptestConfig::with_cases(cases);
    c.failure_persistence = None;
    if std::env::var("PROPTEST_RNG_SEED").is_err() {
        c.rng_seed = proptest::test_runner::RngSeed::Fixed(0x7265_6c61_6e63_6501);
    }
    c
}

/// A content folder holding one region with one update file.
fn content_with(dir: &std::path::Path, update: &[u8], language: &str) -> std::path::PathBuf {
    let content = dir.join("content");
    let region = content.join("regions/test-region");
    std::fs::create_dir_all(&region).unwrap();
    std::fs::write(
        content.join("site.yaml"),
        format!("title: T\norganisation: O\nlanguage: {language}\n"),
    )
    .unwrap();
    std::fs::write(
        region.join("region.yaml"),
        "name: \"Région <x-evil> test\"\n",
    )
    .unwrap();
    std::fs::write(region.join("2020-05-14.yaml"), update).unwrap();
    content
}

/// Runs the pipeline on one update file; checks the invariants. Returns
/// whether the update was valid and rendered.
fn pipeline(update: &[u8], language: &str) -> Result<bool, TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let content = content_with(dir.path(), update, language);
    let loaded =
        load(&content, "content", Limits::default()).expect("load never fails on content problems");
    for d in &loaded.diagnostics.items {
        prop_assert!(d.line >= 1 && d.column >= 1, "unlocated: {}", d.headline());
        prop_assert!(!d.message.is_empty());
    }
    let rendered = loaded.content.is_some();
    if let Some(c) = loaded.content {
        let model = relance::derive::derive(c);
        let files = render_site(
            &model,
            &relance::locale::Locales::default(),
            &Theme::embedded(),
            RenderOptions { pdf: true },
        )
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
        for f in &files {
            if [".html", ".svg", ".xml", ".json"]
                .iter()
                .any(|ext| f.path.ends_with(ext))
            {
                let text = String::from_utf8_lossy(&f.bytes);
                prop_assert!(
                    !text.contains(MARKER),
                    "a fact reached the markup of {} unescaped",
                    f.path
                );
                prop_assert!(!text.contains("<script>alert"), "script in {}", f.path);
            }
            if f.path.ends_with(".pdf") {
                prop_assert!(f.bytes.starts_with(b"%PDF"), "{} is not a PDF", f.path);
            }
        }
        prop_assert!(
            relance::linkcheck::check_site(&files, "output").errors() == 0,
            "broken links"
        );
    }
    Ok(rendered)
}

/// Renders one update file's site on a thread pool of `threads`.
fn render_on(threads: usize, update: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let dir = tempfile::tempdir().unwrap();
    let content = content_with(dir.path(), update, "fr");
    let loaded = load(&content, "content", Limits::default()).unwrap();
    let model = relance::derive::derive(loaded.content?);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(64 * 1024 * 1024)
        .build()
        .unwrap();
    let files = pool
        .install(|| {
            render_site(
                &model,
                &relance::locale::Locales::default(),
                &Theme::embedded(),
                RenderOptions { pdf: true },
            )
        })
        .unwrap();
    let mut out: Vec<(String, Vec<u8>)> = files.into_iter().map(|f| (f.path, f.bytes)).collect();
    out.sort();
    Some(out)
}

proptest! {
    // A fixed seed: CI runs the same cases every time (set PROPTEST_CASES and
    // PROPTEST_RNG_SEED to explore further by hand).
    #![proptest_config(config(40))]

    #[test]
    fn hostile_facts_never_reach_markup(update in update_file(), fr in any::<bool>()) {
        pipeline(update.as_bytes(), if fr { "fr" } else { "en" })?;
    }

    #[test]
    fn damaged_files_never_panic(bytes in mutated_example()) {
        pipeline(&bytes, "fr")?;
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        pipeline(&bytes, "en")?;
    }
}

proptest! {
    #![proptest_config(config(12))]

    /// The same facts give the same bytes (PDFs included), on one thread
    /// or several.
    #[test]
    fn rendering_is_deterministic(update in update_file()) {
        let one = render_on(1, update.as_bytes());
        let two = render_on(2, update.as_bytes());
        prop_assert_eq!(one.is_some(), two.is_some());
        if let (Some(a), Some(b)) = (one, two) {
            prop_assert_eq!(
                a.iter().map(|f| &f.0).collect::<Vec<_>>(),
                b.iter().map(|f| &f.0).collect::<Vec<_>>()
            );
            for (x, y) in a.iter().zip(&b) {
                prop_assert!(x.1 == y.1, "{} differs between 1 and 2 threads", x.0);
            }
        }
    }
}

#[test]
fn most_hostile_cases_are_valid_and_rendered() {
    // The strategy must exercise rendering, not only validation. Its own
    // runner, the fixed seed, and counts local to this test (no counter
    // shared with the tests running beside it).
    let mut runner = proptest::test_runner::TestRunner::new(config(20));
    let tried = std::cell::Cell::new(0usize);
    let rendered = std::cell::Cell::new(0usize);
    runner
        .run(&update_file(), |u| {
            tried.set(tried.get() + 1);
            if pipeline(u.as_bytes(), "fr")? {
                rendered.set(rendered.get() + 1);
            }
            Ok(())
        })
        .unwrap();
    let (tried, rendered) = (tried.get(), rendered.get());
    eprintln!("{rendered} of {tried} generated updates were valid and rendered");
    assert_eq!(tried, 20);
    assert!(
        rendered * 3 >= tried * 2,
        "only {rendered} of {tried} generated updates were valid"
    );
}
