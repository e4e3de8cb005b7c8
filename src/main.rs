//! The `relance` command line: parses arguments, calls the library, prints
//! what happened and maps failures to exit codes (0 ok, 1 content problems,
//! 2 wrong usage, 3 I/O or internal failure).

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use relance::content::Limits;
use relance::content::model::{Language, Timestamp};
use relance::diagnostics::{Diagnostics, did_you_mean, printable, printable_lines};
use relance::error::Failure;
use relance::pipeline::{self, Options};
use relance::render::brief;
use relance::site;

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

/// What every command that renders the site takes: the same options give
/// the same pipeline, so `check`, `build` and `serve` cannot disagree.
#[derive(clap::Args, Clone)]
struct SiteArgs {
    #[command(flatten)]
    content: ContentArg,
    /// Folder of templates overriding the embedded theme file by file
    /// [default: templates/ beside the content folder, if it exists].
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Folder of message catalogues (`fr.ftl`, `en.ftl`…) overriding the
    /// embedded ones message by message [default: locales/ beside the
    /// content folder, if it exists].
    #[arg(long, value_name = "DIR")]
    locales: Option<PathBuf>,
    /// Skip the PDF reports and press sheets (faster).
    #[arg(long)]
    no_pdf: bool,
    /// Refuse content folders with more fact files than this.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_files)]
    max_files: usize,
    #[command(flatten)]
    now: NowArg,
}

/// The build's instant, for embargoes (`publish_at`).
#[derive(clap::Args, Clone)]
struct NowArg {
    /// Publish as at this instant (RFC 3339 with its offset, e.g.
    /// 2020-05-14T18:00:00+02:00): updates whose `publish_at` is later are
    /// left out [default: the system clock].
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    now: Option<Timestamp>,
}

fn parse_now(text: &str) -> Result<Timestamp, String> {
    Timestamp::parse(text)
}

impl SiteArgs {
    fn options(self, deny_warnings: bool) -> Result<Options, Failure> {
        if let Some(t) = &self.templates
            && !t.is_dir()
        {
            return Err(Failure::Usage(format!(
                "no templates folder at `{}`; pass an existing folder to --templates",
                t.display()
            )));
        }
        let content = self.content.content;
        Ok(Options {
            content_shown: shown(&content),
            output_shown: "output".into(),
            templates: Some(
                self.templates
                    .unwrap_or_else(|| pipeline::default_templates(&content)),
            ),
            locales: Some(
                self.locales
                    .unwrap_or_else(|| pipeline::default_locales(&content)),
            ),
            content,
            pdf: !self.no_pdf,
            deny_warnings,
            limits: Limits {
                max_files: self.max_files,
            },
            // One instant for the whole run: the clock is read once.
            now: Some(
                self.now
                    .now
                    .map_or_else(relance::embargo::clock, |t| t.unix),
            ),
            preview: false,
        })
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (all or nothing).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site. Replaced whole on success, untouched on failure.
        #[arg(long, value_name = "DIR", default_value = "output")]
        output: PathBuf,
        /// Number of parallel jobs [default: number of CPUs].
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// Treat warnings as errors (exit 1, nothing written).
        #[arg(long)]
        deny_warnings: bool,
        /// Write a JSON build report (counts, diagnostics, durations) to FILE.
        #[arg(long, value_name = "FILE.json")]
        report: Option<PathBuf>,
    },
    /// Check the content and report every problem; writes nothing.
    Check {
        #[command(flatten)]
        site: SiteArgs,
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
        /// The language of the script, one of the site's `languages`
        /// [default: the site's first].
        #[arg(long, value_name = "CODE")]
        lang: Option<String>,
        #[command(flatten)]
        now: NowArg,
    },
    /// Preview the site locally; rebuilds and reloads pages on every change.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Address to listen on. Keep the loopback default unless other
        /// machines must see the preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
    },
    /// Start a new region or update from the command line.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Write the JSON Schemas of site.yaml, region.yaml and an update, for
    /// editors that complete keys and flag errors as you type.
    Schema {
        /// The folder to write site.schema.json, region.schema.json and
        /// update.schema.json into (created if needed).
        #[arg(long, value_name = "DIR")]
        write: PathBuf,
    },
    /// Create a ready project: content/ with one region and one update
    /// dated today, the schemas, a .gitignore. `relance build` then works.
    Init {
        /// The project folder, which must be empty or absent [default: .].
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The site's language.
        #[arg(long, value_enum, default_value_t = InitLanguage::Fr)]
        language: InitLanguage,
        /// The organisation publishing the site.
        #[arg(long, value_name = "NAME")]
        organisation: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum InitLanguage {
    Fr,
    En,
    Es,
}

impl InitLanguage {
    fn language(self) -> Language {
        match self {
            InitLanguage::Fr => Language::Fr,
            InitLanguage::En => Language::En,
            InitLanguage::Es => Language::Es,
        }
    }
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

/// Rayon's workers get the large stack Typst's layout needs
/// (`workers::STACK_SIZE`).
fn configure_threads(jobs: Option<usize>) {
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(relance::workers::STACK_SIZE);
    if let Some(n) = jobs {
        pool = pool.num_threads(n);
    }
    // Only fails if a pool already exists, which it cannot here.
    let _ = pool.build_global();
}

/// A progress bar on a terminal, for long builds; logs stay line-oriented.
struct Progress(indicatif::ProgressBar);

impl Progress {
    fn new(enabled: bool) -> Progress {
        Progress(if enabled {
            indicatif::ProgressBar::new(0)
        } else {
            indicatif::ProgressBar::hidden()
        })
    }
}

impl pipeline::Observer for Progress {
    fn rendering(&self, units: usize) {
        if units < 500 {
            self.0
                .set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
        self.0.set_length(units as u64);
        self.0.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} rendering {pos}/{len} units {wide_bar} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
    }
    fn unit_done(&self) {
        self.0.inc(1);
    }
    fn finished(&self) {
        self.0.finish_and_clear();
    }
}

fn build(
    opts: &Options,
    output: &Path,
    report: Option<&Path>,
) -> Result<pipeline::Report, Failure> {
    if let Some(path) = report {
        relance::guard::check_report_path(path, &opts.content, output)?;
    }
    let progress = Progress::new(std::io::stderr().is_terminal());
    let result = site::Disk::open(opts, output).and_then(|mut disk| {
        let notes = std::mem::take(&mut disk.notes);
        pipeline::run(opts, &mut disk, notes, &progress)
    });
    if let Some(path) = report {
        write_report(path, &result)?;
    }
    result
}

fn print_build(r: &pipeline::Report, output: &Path) {
    print_diagnostics(&Diagnostics {
        items: r.diagnostics.clone(),
    });
    relance::say!(
        "built {} region(s), {} update(s) into {}: {} files ({} changed, {} unchanged, {} removed){} in {:.0} ms{}",
        r.regions,
        r.updates,
        printable(&output.display().to_string()),
        r.output.files,
        r.output.changed,
        r.output.unchanged,
        r.output.removed,
        if r.warnings > 0 {
            format!(", {} warning(s)", r.warnings)
        } else {
            String::new()
        },
        r.times.total_ms,
        embargo_note(r)
    );
}

/// The summary's end for a scheduler: how many updates wait, and when the
/// next one is due.
fn embargo_note(r: &pipeline::Report) -> String {
    match &r.next_publish_at {
        Some(next) => format!(
            "; {} update(s) under embargo, next publish_at {next}",
            r.pending.len()
        ),
        None => String::new(),
    }
}

/// `check`: the pipeline into no output; prints what `build` would.
fn check(opts: &Options, format: Format) -> Result<(), Failure> {
    let result = pipeline::run(
        opts,
        &mut pipeline::Memory::links_only(),
        Diagnostics::default(),
        &pipeline::Quiet,
    );
    let (diags, failure) = match result {
        Ok(r) => (
            Diagnostics {
                items: r.diagnostics,
            },
            None,
        ),
        Err(Failure::Content(d)) => (d, Some(1)),
        Err(Failure::DeniedWarnings(d)) => (d, Some(1)),
        Err(other) => return Err(other),
    };
    match format {
        Format::Json => print_out(&diags.to_json())?,
        Format::Human => {
            print_diagnostics(&diags);
            if diags.items.is_empty() {
                relance::say!("{}: no problems found", printable(&opts.content_shown));
            }
        }
    }
    match failure {
        Some(code) => Err(Failure::Reported {
            code,
            summary: diags.summary(),
        }),
        None => Ok(()),
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    if !matches!(cli.command, Command::Build { .. }) {
        configure_threads(None);
    }
    match cli.command {
        Command::Build {
            site,
            output,
            jobs,
            deny_warnings,
            report,
        } => {
            if jobs == Some(0) {
                return Err(Failure::Usage("--jobs must be at least 1".into()));
            }
            configure_threads(jobs);
            let mut opts = site.options(deny_warnings)?;
            opts.output_shown = shown(&output);
            let r = build(&opts, &output, report.as_deref())?;
            print_build(&r, &output);
            Ok(())
        }
        Command::Check {
            site,
            format,
            deny_warnings,
        } => check(&site.options(deny_warnings)?, format),
        Command::Brief {
            region,
            content,
            date,
            format,
            words,
            lang,
            now,
        } => brief_command(
            &region,
            &content.content,
            (date, now.now),
            lang.as_deref(),
            (format, words),
        ),
        Command::Serve { site, bind, port } => serve(site, bind, port),
        Command::Schema { write } => {
            for path in relance::content::schema::write(&write)? {
                relance::say!("wrote {}", printable(&path.display().to_string()));
            }
            Ok(())
        }
        Command::Init {
            dir,
            language,
            organisation,
        } => init(&dir, language.language(), organisation.as_deref()),
        Command::New { what } => new(what),
    }
}

/// `relance serve`: the preview.
fn serve(site: SiteArgs, bind: std::net::IpAddr, port: u16) -> Result<(), Failure> {
    let given = site.now.now;
    let mut options = site.options(false)?;
    // The preview shows what is not yet due, under a banner; without
    // `--now` it reads the clock at each reload.
    options.preview = true;
    options.now = given.map(|t| t.unix);
    relance::serve::serve(relance::serve::ServeConfig {
        options,
        bind,
        port,
    })
}

/// `relance init`: a new project.
fn init(dir: &Path, language: Language, organisation: Option<&str>) -> Result<(), Failure> {
    let made = relance::scaffold::init(dir, language, organisation)?;
    for path in &made {
        relance::say!("created {}", printable(&path.display().to_string()));
    }
    relance::say!(
        "ready: run `relance build` in {} (set `base_url` in content/site.yaml before publishing)",
        printable(&dir.display().to_string())
    );
    Ok(())
}

/// `relance new region|update`.
fn new(what: NewCommand) -> Result<(), Failure> {
    match what {
        NewCommand::Region {
            slug,
            name,
            content,
        } => {
            let path = relance::scaffold::new_region(&content.content, &slug, &name)?;
            relance::say!("created {}", printable(&path.display().to_string()));
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
            relance::say!(
                "created {}; edit the figures, then run `relance check`",
                printable(&path.display().to_string())
            );
            Ok(())
        }
    }
}

/// The tree of `--lang` (the site's default language without it).
fn brief_tree<'a>(
    prepared: &'a pipeline::Prepared,
    lang: Option<&str>,
) -> Result<relance::render::Tree<'a>, Failure> {
    let site = &prepared.model.site;
    let codes = || {
        site.languages
            .iter()
            .map(|l| l.code())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let wanted = match lang {
        None => site.language(),
        Some(code) => Language::from_code(code).ok_or_else(|| {
            Failure::Usage(format!(
                "unknown language `{code}`\nlanguages of this site: {}",
                codes()
            ))
        })?,
    };
    prepared.tree(wanted).ok_or_else(|| {
        Failure::Usage(format!(
            "the site is not published in `{}`\nlanguages of this site: {}",
            wanted.code(),
            codes()
        ))
    })
}

/// `relance brief`: the script of a region's update.
fn brief_command(
    region: &str,
    content: &Path,
    (date, now): (Option<String>, Option<Timestamp>),
    lang: Option<&str>,
    (format, words): (BriefFormat, bool),
) -> Result<(), Failure> {
    let mut opts = Options::new(content);
    opts.now = now.map(|t| t.unix);
    let prepared = pipeline::prepare(&opts)?;
    let tree = brief_tree(&prepared, lang)?;
    let (model, loc) = (tree.model, tree.locale);
    let Some(r) = model.region(region) else {
        let slugs: Vec<&str> = model
            .regions
            .iter()
            .map(|r| r.region.slug.as_str())
            .collect();
        let hint = match did_you_mean(region, slugs.iter().copied()) {
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
    let b = brief::build(loc, &r.region, d);
    let text = match format {
        BriefFormat::Text => brief::render_text(&b, loc, words),
        BriefFormat::Markdown => brief::render_markdown(&b, loc, words),
        BriefFormat::Json => {
            serde_json::to_string_pretty(&b).map_err(|e| Failure::Internal(e.to_string()))? + "\n"
        }
    };
    // Never a sentence with `{$name}` in it (a broken catalogue override).
    let broken = loc.take_problems();
    if broken.errors() > 0 {
        return Err(Failure::Content(broken));
    }
    print_out(&text)
}

fn write_report(path: &Path, result: &Result<pipeline::Report, Failure>) -> Result<(), Failure> {
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

/// No transparent huge pages for this process: mimalloc's arenas otherwise
/// take whole 2 MB pages, zeroed on first touch, for small heaps. A full
/// build of 10 000 updates peaked at 243 MB with them and 217 MB without,
/// no slower (a no-op build spent 15 % of its time zeroing such pages).
fn small_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag
    // of this process; a failure (an old kernel) changes nothing.
    unsafe {
        let (on, unused): (libc::c_ulong, libc::c_ulong) = (1, 0);
        libc::prctl(libc::PR_SET_THP_DISABLE, on, unused, unused, unused);
    }
}

/// mimalloc's option that delays giving freed memory back to the system
/// (`mi_option_purge_delay`: the same place in the options of mimalloc 2
/// and 3; not exported by name, "for stability", so pinned by a test).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory goes back to the system after 50 ms instead of mimalloc's
/// 1 s (10 s for whole arenas). Loading fact files frees most of what it
/// allocates, hundreds of megabytes a second: with the default delay none
/// of it was returned while a large site loaded, so the peak grew with the
/// site (100 000 updates: 864 MB while loading, 460 MB while rendering).
/// With 50 ms the peak of 10 000 updates fell from 181–193 MB to
/// 139–143 MB in the same run, ≈ 1 s slower in 30. `MIMALLOC_PURGE_DELAY`
/// (or its old name `MIMALLOC_RESET_DELAY`, in any case, as mimalloc reads
/// them) still wins.
fn prompt_purge() {
    let set = std::env::vars_os().any(|(name, _)| {
        let name = name.to_string_lossy().to_ascii_uppercase();
        name == "MIMALLOC_PURGE_DELAY" || name == "MIMALLOC_RESET_DELAY"
    });
    if !set {
        // SAFETY: sets one integer option, before any thread is started
        // (mimalloc's options are not synchronised).
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 50) }
    }
}

fn main() -> ExitCode {
    small_pages();
    prompt_purge();
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
                    relance::say!("{}; nothing was written.", failure);
                }
                Failure::Reported { summary, .. } => relance::say!("{}", printable_lines(summary)),
                other => relance::say!("error: {}", printable_lines(&other.to_string())),
            }
            ExitCode::from(failure.exit_code() as u8)
        }
    }
}

#[cfg(test)]
mod tests {
    /// The option `prompt_purge` sets is mimalloc's purge delay: that
    /// option's default (1 s in mimalloc 3) reads back at its index.
    #[test]
    fn the_purge_option_is_mimallocs_purge_delay() {
        // SAFETY: reads one integer option.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        let expected = std::env::var("MIMALLOC_PURGE_DELAY")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000);
        assert_eq!(delay, expected);
    }
}
