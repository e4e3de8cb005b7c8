//! `cargo bench --bench charts`: how long one chart takes (specification
//! and SVG drawing), in-process, on the example's update (four charts) and
//! a 50-update region (time series).

use std::time::Instant;

use relance::pipeline::{Options, prepare};
use relance::render::charts::draw;
use relance::view::charts::{region_charts, update_charts};

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let rounds = if quick { 5 } else { 2_000 };
    let content = concat!(env!("CARGO_MANIFEST_DIR"), "/content");
    let loaded = prepare(&Options::new(std::path::Path::new(content))).expect("example loads");
    let model = &loaded.model;
    let region = &model.regions[0];
    let update = &region.updates[0];
    let lang = loaded.locales.default_for(&model.site);

    // Warm up fonts and caches.
    let _ = update_charts(update, lang).iter().map(draw).count();
    let start = Instant::now();
    let mut n = 0usize;
    for _ in 0..rounds {
        n += update_charts(update, lang).iter().map(draw).count();
    }
    let per = start.elapsed().as_secs_f64() / n as f64;
    println!(
        "update charts     {n:>7} charts  {:>8.1} µs/chart  ({:.0} charts/s, one core)",
        per * 1e6,
        1.0 / per
    );

    // The PNG beside each SVG: rasterised at 2× and encoded.
    let svgs: Vec<String> = update_charts(update, lang)
        .iter()
        .map(|c| draw(c).svg)
        .collect();
    let start = Instant::now();
    let mut n = 0usize;
    let mut bytes = 0usize;
    for _ in 0..(rounds / 20).max(1) {
        for svg in &svgs {
            let png = relance::render::png::rasterise(svg, relance::render::png::CHART_SCALE)
                .expect("rasterise");
            bytes += png.len();
            n += 1;
        }
    }
    let per = start.elapsed().as_secs_f64() / n as f64;
    println!(
        "chart PNG (2×)    {n:>7} charts  {:>8.1} µs/chart  ({:.0} charts/s, one core, {:.1} KB each)",
        per * 1e6,
        1.0 / per,
        bytes as f64 / n as f64 / 1024.0
    );

    let dir = tempfile::tempdir().expect("tempdir");
    relance::synthetic::generate(&dir.path().join("content"), 1, 50, "fr").expect("generate");
    let loaded = prepare(&Options::new(&dir.path().join("content"))).expect("synthetic loads");
    let region = &loaded.model.regions[0];
    let start = Instant::now();
    let mut n = 0usize;
    // At least one round, so that the quick mode of CI draws one too.
    for _ in 0..(rounds / 10).max(1) {
        n += region_charts(region, lang).iter().map(draw).count();
    }
    assert!(n > 0, "no time series drawn");
    let per = start.elapsed().as_secs_f64() / n.max(1) as f64;
    println!(
        "time series (50)  {n:>7} charts  {:>8.1} µs/chart  ({:.0} charts/s, one core)",
        per * 1e6,
        1.0 / per
    );
}
