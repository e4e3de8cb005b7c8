//! The `relance` command line: parses arguments, calls the library, prints
//! what happened and maps failures to exit codes (0 ok, 1 content problems,
//! 2 wrong usage, 3 I/O or internal failure).

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use relance::content::Limits;
use relance::diagnostics::{Diagnostics, did_you_mean, printable, printable_lines};
use relance::error::Failure;
use relance::render::brief;
use relance::site::{self, BuildConfig};

/// mimalloc instead of glibc's malloc: a 10 000-update build spent a quarter
/// of its CPU time in malloc/free across threads (measured with perf).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "relance",
    version,
    about = "Turn YAML fact files about regional business continuity into a static site, PDF reports and radio briefings.",
    long_about = "relance reads content/ (site.yaml, regions/<slug>/region.yaml and one <YYYY-MM-DD>.yaml per update),\n\
                  checks every fact, and writes a static website with charts, A4 PDF reports and radio scripts.\n\n\
                  Start with `relance check` to validate your facts, then `relance build` and open output/index.html.\n\n\
                  Exit codes: 0 success, 1 problems in the content (or warnings with --deny-warnings),\n\
                  2 wrong usage, 3 I/O or internal failure."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct ContentArg {
    /// The content folder to read.
    #[arg(long, value_name = "DIR", default_value = "content")]
    content: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (all or nothing).
    Build {
        #[command(flatten)]
        content: ContentArg,
        /// Where to write the site. Replaced whole on success, untouched on failure.
        #[arg(long, value_name = "DIR", default_value = "output")]
        output: PathBuf,
        /// Folder of templates overriding the embedded theme file by file
        /// [default: templates/ beside the content folder, if it exists].
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        /// Skip the PDF reports and press sheets (faster).
        #[arg(long)]
        no_pdf: bool,
        /// Number of parallel jobs [default: number of CPUs].
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// Treat warnings as errors (exit 1, nothing written).
        #[arg(long)]
        deny_warnings: bool,
        /// Write a JSON build report (counts, diagnostics, durations) to FILE.
        #[arg(long, value_name = "FILE.json")]
        report: Option<PathBuf>,
        /// Refuse content folders with more fact files than this.
        #[arg(long, value_name = "N", default_value_t = Limits::default().max_files)]
        max_files: usize,
    },
    /// Check the content and report every problem; writes nothing.
    Check {
        #[command(flatten)]
        content: ContentArg,
        /// `human` (with source excerpts) or `json` (for CI annotations).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Print the radio/press briefing of a region's update.
    Brief {
        /// The region's slug (its folder name under regions/).
        region: String,
        #[command(flatten)]
        content: ContentArg,
        /// The update's date [default: the latest].
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        #[arg(long, value_enum, default_value_t = BriefFormat::Text)]
        format: BriefFormat,
        /// Spell numbers as they are spoken ("quatre-vingt-dix pour cent").
        #[arg(long)]
        words: bool,
    },
    /// Preview the site locally; rebuilds and reloads pages on every change.
    Serve {
        #[command(flatten)]
        content: ContentArg,
        /// Address to listen on. Keep the loopback default unless other
        /// machines must see the preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Template overrides [default: templates/ beside the content folder].
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        /// Skip PDFs in the preview (faster rebuilds).
        #[arg(long)]
        no_pdf: bool,
    },
    /// Start a new region or update from the command line.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// Create regions/SLUG/region.yaml.
    Region {
        /// Folder name: lowercase letters, digits and hyphens.
        slug: String,
        /// The region's display name.
        #[arg(long)]
        name: String,
        #[command(flatten)]
        content: ContentArg,
    },
    /// Create the next update of REGION, starting from its latest one.
    Update {
        region: String,
        /// The new update's date [default: today].
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        #[command(flatten)]
        content: ContentArg,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum BriefFormat {
    Text,
    Markdown,
    Json,
}

/// Prints to stdout; a closed pipe (`relance brief … | head`) is not an error.
fn print_out(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::io(Path::new("<stdout>"), e))
        }
        _ => Ok(()),
    }
}

fn print_diagnostics(d: &Diagnostics) {
    let mut err = std::io::stderr().lock();
    for item in &d.items {
        let _ = write!(err, "{}", item.render_human());
    }
}

fn shown(p: &Path) -> String {
    p.display().to_string()
}

/// Rayon's workers get a large stack: Typst's layout recurses deeply on
/// real documents and overflowed the default 2 MiB in the PDF benchmark.
fn configure_threads(jobs: Option<usize>) {
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(64 * 1024 * 1024);
    if let Some(n) = jobs {
        pool = pool.num_threads(n);
    }
    // Only fails if a pool already exists, which it cannot here.
    let _ = pool.build_global();
}

fn run(cli: Cli) -> Result<(), Failure> {
    if !matches!(cli.command, Command::Build { .. }) {
        configure_threads(None);
    }
    match cli.command {
        Command::Build {
            content,
            output,
            templates,
            no_pdf,
            jobs,
            deny_warnings,
            report,
            max_files,
        } => {
            if jobs == Some(0) {
                return Err(Failure::Usage("--jobs must be at least 1".into()));
            }
            configure_threads(jobs);
            let cfg = BuildConfig {
                content_shown: shown(&content.content),
                templates: Some(
                    templates.unwrap_or_else(|| site::default_templates(&content.content)),
                ),
                content: content.content,
                output,
                pdf: !no_pdf,
                deny_warnings,
                limits: Limits { max_files },
                progress: std::io::stderr().is_terminal(),
            };
            if let Some(path) = &report {
                relance::guard::check_report_path(path, &cfg.content, &cfg.output)?;
            }
            let result = site::build(&cfg);
            if let Some(path) = &report {
                write_report(path, &result)?;
            }
            let r = result?;
            let mut d = Diagnostics {
                items: r.diagnostics.clone(),
            };
            d.sort();
            print_diagnostics(&d);
            eprintln!(
                "built {} region(s), {} update(s) into {}: {} files ({} changed, {} unchanged, {} removed){} in {:.0} ms",
                r.regions,
                r.updates,
                printable(&cfg.output.display().to_string()),
                r.output.files,
                r.output.changed,
                r.output.unchanged,
                r.output.removed,
                if r.warnings > 0 {
                    format!(", {} warning(s)", r.warnings)
                } else {
                    String::new()
                },
                r.times.total_ms
            );
            Ok(())
        }
        Command::Check {
            content,
            format,
            deny_warnings,
        } => {
            let loaded = relance::content::load(
                &content.content,
                &shown(&content.content),
                Limits::default(),
            )?;
            let mut d = loaded.diagnostics;
            // Valid content: also render the site in memory (without PDFs)
            // so that template errors and broken links show up here too.
            if let Some(c) = &loaded.content {
                let model = relance::derive::derive(c);
                let theme = relance::render::theme::Theme::load(Some(&site::default_templates(
                    &content.content,
                )))?;
                match relance::linkcheck::check_rendering(&model, &theme, "output") {
                    Ok(problems) => d.extend(problems),
                    Err(Failure::Content(problems)) => d.extend(problems),
                    Err(other) => return Err(other),
                }
                d.sort();
            }
            match format {
                Format::Json => print_out(&d.to_json())?,
                Format::Human => {
                    print_diagnostics(&d);
                    if d.items.is_empty() {
                        eprintln!(
                            "{}: {} files checked, no problems found",
                            printable(&shown(&content.content)),
                            loaded.inputs.len()
                        );
                    }
                }
            }
            if d.errors() > 0 || (deny_warnings && d.warnings() > 0) {
                return Err(Failure::Reported {
                    code: 1,
                    summary: d.summary(),
                });
            }
            Ok(())
        }
        Command::Brief {
            region,
            content,
            date,
            format,
            words,
        } => {
            let model = site::load_model(
                &content.content,
                &shown(&content.content),
                Limits::default(),
                false,
            )?;
            let model = model.model;
            let Some(r) = model.region(&region) else {
                let slugs: Vec<&str> = model
                    .regions
                    .iter()
                    .map(|r| r.region.slug.as_str())
                    .collect();
                let hint = match did_you_mean(&region, slugs.iter().copied()) {
                    Some(s) => format!("; did you mean `{s}`?"),
                    None => String::new(),
                };
                return Err(Failure::Usage(format!(
                    "unknown region `{region}`{hint}\nregions: {}",
                    if slugs.is_empty() {
                        "(none)".to_string()
                    } else {
                        slugs.join(", ")
                    }
                )));
            };
            if r.updates.is_empty() {
                return Err(Failure::Usage(format!(
                    "region `{region}` has no update yet; create one with `relance new update {region}`"
                )));
            }
            let d = match &date {
                None => r.latest(),
                Some(text) => r
                    .updates
                    .iter()
                    .find(|u| u.update.date.to_string() == *text),
            };
            let Some(d) = d else {
                let dates: Vec<String> = r
                    .updates
                    .iter()
                    .map(|u| u.update.date.to_string())
                    .collect();
                return Err(Failure::Usage(format!(
                    "region `{region}` has no update dated `{}`\ndates: {}",
                    date.unwrap_or_default(),
                    dates.join(", ")
                )));
            };
            let b = brief::build(&model, r, d);
            let text = match format {
                BriefFormat::Text => brief::render_text(&b, words),
                BriefFormat::Markdown => brief::render_markdown(&b, words),
                BriefFormat::Json => {
                    serde_json::to_string_pretty(&b)
                        .map_err(|e| Failure::Internal(e.to_string()))?
                        + "\n"
                }
            };
            print_out(&text)
        }
        Command::Serve {
            content,
            bind,
            port,
            templates,
            no_pdf,
        } => relance::serve::serve(relance::serve::ServeConfig {
            content_shown: shown(&content.content),
            templates: Some(templates.unwrap_or_else(|| site::default_templates(&content.content))),
            content: content.content,
            bind,
            port,
            pdf: !no_pdf,
        }),
        Command::New { what } => match what {
            NewCommand::Region {
                slug,
                name,
                content,
            } => {
                let path = relance::scaffold::new_region(&content.content, &slug, &name)?;
                eprintln!("created {}", printable(&path.display().to_string()));
                Ok(())
            }
            NewCommand::Update {
                region,
                date,
                content,
            } => {
                let path = relance::scaffold::new_update(
                    &content.content,
                    &shown(&content.content),
                    &region,
                    date.as_deref(),
                )?;
                eprintln!(
                    "created {}; edit the figures, then run `relance check`",
                    printable(&path.display().to_string())
                );
                Ok(())
            }
        },
    }
}

fn write_report(path: &Path, result: &Result<site::BuildReport, Failure>) -> Result<(), Failure> {
    let value = match result {
        Ok(r) => serde_json::to_value(r),
        Err(f) => {
            let diagnostics = match f {
                Failure::Content(d) | Failure::DeniedWarnings(d) => d.items.clone(),
                _ => Vec::new(),
            };
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == relance::diagnostics::Severity::Error)
                .count();
            Ok(serde_json::json!({
                "ok": false,
                "failure": f.to_string(),
                "exit_code": f.exit_code(),
                "errors": errors,
                "warnings": diagnostics.len() - errors,
                "diagnostics": diagnostics,
            }))
        }
    }
    .map_err(|e| Failure::Internal(e.to_string()))?;
    let text =
        serde_json::to_string_pretty(&value).map_err(|e| Failure::Internal(e.to_string()))? + "\n";
    std::fs::write(path, text).map_err(|e| Failure::io(path, e))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            match &failure {
                Failure::Content(d) | Failure::DeniedWarnings(d) => {
                    print_diagnostics(d);
                    eprintln!("{}; nothing was written.", failure);
                }
                Failure::Reported { summary, .. } => eprintln!("{}", printable_lines(summary)),
                other => eprintln!("error: {}", printable_lines(&other.to_string())),
            }
            ExitCode::from(failure.exit_code() as u8)
        }
    }
}
