//! PDF reports and press sheets, compiled in-process by Typst.
//!
//! The Typst template never receives facts as markup: it reads `/data.json`
//! (the same presentation model the HTML pages use) and the chart SVGs from a
//! world served entirely from memory. Fonts are bundled; no system font, file
//! or network is ever touched. Virtual paths are fixed (`/main.typ`,
//! `/data.json`, `/charts/<id>.svg`) because Typst interns file ids for the
//! life of the process: per-update paths would leak ids on long builds.

use serde::Serialize;
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::charts::Drawn;
use super::charts::{FONT_BOLD, FONT_FALLBACK, FONT_ITALIC, FONT_REGULAR};
use super::theme::Theme;
use crate::content::yaml::Pos;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Failure;
use crate::view::{Labels, SiteView, UpdateView};

struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let fonts: Vec<Font> = [FONT_REGULAR, FONT_BOLD, FONT_ITALIC, FONT_FALLBACK]
            .into_iter()
            .flat_map(|b| Font::iter(Bytes::new(b)))
            .collect();
        Shared {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

/// Where templates import the theme's Typst helpers from.
const LIBRARY: &str = "/relance.typ";

fn file_id(path: &str) -> FileId {
    match VirtualPath::new(path) {
        Ok(vp) => RootedPath::new(VirtualRoot::Project, vp).intern(),
        // Only called with the fixed literal paths below.
        Err(_) => unreachable_path(path),
    }
}

#[cold]
fn unreachable_path(path: &str) -> ! {
    panic!("invalid fixed Typst path {path}")
}

/// A Typst world holding one document's template, the theme's Typst
/// library (`/relance.typ`), its data and charts.
struct MemoryWorld {
    main: Source,
    library: Source,
    files: Vec<(FileId, Bytes)>,
}

impl World for MemoryWorld {
    fn library(&self) -> &LazyHash<Library> {
        &shared().library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &shared().book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        [&self.main, &self.library]
            .into_iter()
            .find(|s| s.id() == id)
            .cloned()
            .ok_or(FileError::NotSource)
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(s) = [&self.main, &self.library]
            .into_iter()
            .find(|s| s.id() == id)
        {
            return Ok(Bytes::from_string(s.text().to_string()));
        }
        self.files
            .iter()
            .find(|(fid, _)| *fid == id)
            .map(|(_, b)| b.clone())
            // Anything else (a system path, a package) does not exist here.
            .ok_or_else(|| FileError::AccessDenied)
    }
    fn font(&self, index: usize) -> Option<Font> {
        shared().fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // No clock: a report must not change because it was built on
        // another day.
        None
    }
}

#[derive(Serialize)]
struct PdfData<'a> {
    site: &'a SiteView,
    t: &'a Labels,
    update: &'a serde_json::Value,
}

fn line_col(text: &str, offset: usize) -> Pos {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Pos {
        line,
        column,
        width: 1,
    }
}

fn located(
    world: &MemoryWorld,
    theme: &Theme,
    template: &str,
    diag: &SourceDiagnostic,
) -> Diagnostic {
    // The error is in the template or in the library it imports.
    let (name, source) = match diag.span.id() {
        Some(id) if id == world.library.id() => ("relance.typ", &world.library),
        _ => (template, &world.main),
    };
    let pos = match (diag.span.id(), world.range(diag.span)) {
        (Some(id), Some(range)) if id == source.id() => line_col(source.text(), range.start),
        _ => Pos::START,
    };
    let mut message = format!("Typst: {}", diag.message);
    for hint in &diag.hints {
        message.push_str(&format!(" (hint: {})", hint.v));
    }
    let mut d = Diagnostic::error(&theme.origin(name), pos, "pdf-template", message);
    if pos != Pos::START || diag.span.id() == Some(source.id()) {
        d.source_line = source.text().lines().nth(pos.line - 1).map(str::to_string);
    }
    d.with_help("fix the Typst template, or delete it to use the embedded theme's version")
}

/// Typst memoises layout results process-wide and never forgets them on its
/// own: over thousands of documents that grew by ~1.5 MB per update. Every
/// few compilations, results not reused since the previous eviction are
/// dropped (what documents share, such as fonts and the library, keeps
/// being hit and stays). Measured on 1 000 updates with PDFs: peak 1.63 GB
/// without, 0.72 GB with. The rest of the growth was documents started
/// inside one another on rayon's workers, which `workers::for_each` ended:
/// a build with PDFs now keeps a flat ~200 MB.
fn forget_old_results() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COMPILED: AtomicUsize = AtomicUsize::new(0);
    if COMPILED.fetch_add(1, Ordering::Relaxed) % 16 == 15 {
        typst::comemo::evict(2);
    }
}

/// Whether a bundled font draws `c` (or `c` is one of the language marks
/// `relance.typ` consumes).
fn drawable_char(c: char) -> bool {
    c.is_ascii()
        || ('\u{E000}'..='\u{E002}').contains(&c)
        || (!invisible(c)
            && shared()
                .fonts
                .iter()
                .any(|f| f.info().coverage.contains(c as u32)))
}

/// A character PDF/UA forbids in text, though a font maps it: the byte
/// order mark (zero-width no-break space).
fn invisible(c: char) -> bool {
    matches!(c, '\u{FEFF}' | '\u{FFFE}')
}

/// The data with every character no bundled font draws (an emoji, a rare
/// symbol, a private-use character) replaced by U+FFFD, and byte order
/// marks dropped: PDF/A and PDF/UA forbid text drawn with no glyph or
/// those code points, so they would otherwise fail the whole build.
fn drawable(data: &str) -> String {
    if data.chars().all(drawable_char) {
        return data.to_string();
    }
    data.chars()
        .filter(|&c| !invisible(c))
        .map(|c| if drawable_char(c) { c } else { '\u{FFFD}' })
        .collect()
}

/// Compiles `template` (a theme file name) with the update's data and its
/// drawn charts.
fn compile(
    theme: &Theme,
    template: &str,
    (site, t): (&SiteView, &Labels),
    update: &UpdateView,
    drawn: &[Drawn],
) -> Result<Vec<u8>, Failure> {
    let data = serde_json::to_string(&PdfData {
        site,
        t,
        update: &super::html::with_drawn(update, drawn)?,
    })
    .map_err(|e| Failure::Internal(format!("cannot serialise PDF data: {e}")))?;
    // A text in another language than the report's is marked; the embedded
    // templates show it with its `lang` (relance.typ). A template of the
    // project's that does not import that library gets plain texts.
    let data = match theme.text(template).contains(LIBRARY) {
        true => drawable(&data).into_bytes(),
        false => drawable(&crate::locale::strip_marks(&data)).into_bytes(),
    };
    let mut files = vec![(file_id("/data.json"), Bytes::new(data))];
    for (c, d) in update.charts.iter().zip(drawn) {
        files.push((
            file_id(&format!("/charts/{}", c.file)),
            // A chart's text is drawn by Typst too.
            Bytes::from_string(drawable(&d.svg)),
        ));
    }
    let world = MemoryWorld {
        main: Source::new(file_id("/main.typ"), theme.text(template).to_string()),
        library: Source::new(file_id(LIBRARY), theme.text("relance.typ").to_string()),
        files,
    };
    let warned = typst::compile::<PagedDocument>(&world);
    forget_old_results();
    let document = warned.output.map_err(|errors| {
        let mut d = Diagnostics::default();
        for e in errors.iter().filter(|e| e.severity == Severity::Error) {
            d.push(located(&world, theme, template, e));
        }
        Failure::Content(d)
    })?;
    let options = PdfOptions {
        // The document id comes from the update, not the clock or chance, so
        // two builds give the same bytes.
        ident: Smart::Custom(format!(
            "relance/{}/{}/{template}",
            update.region_slug, update.date_iso
        )),
        timestamp: update_date(update),
        standards: standards()?,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| {
        let mut d = Diagnostics::default();
        for e in errors.iter() {
            d.push(located(&world, theme, template, e));
        }
        Failure::Content(d)
    })
}

/// The document's date (PDF/A requires one): the update's, never the
/// clock's, so that two builds give the same bytes. A template's own
/// `set document(date: ..)` wins.
fn update_date(update: &UpdateView) -> Option<Timestamp> {
    let mut parts = update.date_iso.split('-').map(str::parse::<u32>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    let date = Datetime::from_ymd(y as i32, u8::try_from(m).ok()?, u8::try_from(d).ok()?)?;
    Some(Timestamp::new_utc(date))
}

/// What every PDF conforms to: PDF/A-2b (archival) and PDF/UA-1
/// (accessible) at once. Typst checks both while writing; a template that
/// breaks either (an image without `alt`, no title or language) fails with
/// a diagnostic located in that template.
fn standards() -> Result<PdfStandards, Failure> {
    PdfStandards::new(&[PdfStandard::A_2b, PdfStandard::Ua_1])
        .map_err(|e| Failure::Internal(format!("PDF standards: {}", e.message())))
}

/// The A4 report of one update.
pub fn render_report(
    theme: &Theme,
    site: (&SiteView, &Labels),
    update: &UpdateView,
    drawn: &[Drawn],
) -> Result<Vec<u8>, Failure> {
    compile(theme, "update.typ", site, update, drawn)
}

/// The one-page press sheet of one update.
pub fn render_press(
    theme: &Theme,
    site: (&SiteView, &Labels),
    update: &UpdateView,
    drawn: &[Drawn],
) -> Result<Vec<u8>, Failure> {
    compile(theme, "press.typ", site, update, drawn)
}
