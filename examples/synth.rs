//! Writes a synthetic content folder: `cargo run --release --example synth -- DIR REGIONS UPDATES [fr|en]`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: synth DIR REGIONS UPDATES [fr|en]");
        std::process::exit(2);
    }
    let regions = args[2].parse().unwrap_or(10);
    let updates = args[3].parse().unwrap_or(10);
    let lang = args.get(4).map_or("fr", String::as_str);
    if let Err(e) =
        relance::synthetic::generate(std::path::Path::new(&args[1]), regions, updates, lang)
    {
        eprintln!("{}: {e}", args[1]);
        std::process::exit(3);
    }
}
