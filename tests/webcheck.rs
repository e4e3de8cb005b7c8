//! The Nu Html Checker (npm `vnu-jar`, run with Java) on every page of
//! every fixture: no error. Installed by `.ci/run` (`npm ci --prefix
//! tools/web-check`); skipped, loudly, only outside CI when missing.

mod common;
use common::*;

#[test]
fn every_fixture_page_is_valid_html() {
    let test = "every_fixture_page_is_valid_html";
    let Some(modules) = web_check(test, "vnu-jar/build/dist/vnu.jar") else {
        return;
    };
    let jar = modules.join("vnu-jar/build/dist/vnu.jar");
    let mut pages = Vec::new();
    let fixtures = built_fixtures();
    for (_, p) in &fixtures {
        let out = p.path("output");
        pages.extend(html_pages(&out).into_iter().map(|rel| out.join(rel)));
    }
    assert!(pages.len() > 40, "{} pages", pages.len());
    let run = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "json"])
        .args(&pages)
        .output()
        .expect("java is needed for the Nu Html Checker (apt-get install default-jre-headless)");
    // vnu writes its JSON report to stderr.
    let report = String::from_utf8_lossy(&run.stderr);
    let v: serde_json::Value = serde_json::from_str(&report)
        .unwrap_or_else(|e| panic!("vnu gave no JSON report ({e}): {report}"));
    let errors: Vec<String> = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| {
            format!(
                "{}:{}: {} [{}]",
                m["url"].as_str().unwrap_or(""),
                m["lastLine"],
                m["message"].as_str().unwrap_or(""),
                m["extract"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(
        errors.is_empty(),
        "{} HTML errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert!(run.status.success(), "vnu failed: {report}");
}
