//! `relance serve`: a local preview. The site is built into memory (never
//! into `output/`), served over HTTP, and rebuilt when a file under the
//! content or templates folder changes; open pages reload themselves. When
//! the content becomes invalid the last good build stays up with an overlay
//! listing the problems, and the preview recovers by itself once fixed.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use tokio::sync::watch;

use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Failure;
use crate::paths;
use crate::pipeline::{self, Options, Prepared, lock};
use crate::render::{self, Renderer, xml_escape};

#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The pipeline's options (the same as `build`'s and `check`'s).
    pub options: Options,
    pub bind: IpAddr,
    pub port: u16,
}

/// The preview's state. Pages are rendered on request from the last good
/// content and kept per unit under the unit's key; the problems are those
/// of the latest run of the pipeline, exactly as `build` reports them.
#[derive(Default)]
struct Snapshot {
    /// The last content that loaded without errors.
    good: Option<Arc<Prepared>>,
    problems: Vec<Diagnostic>,
    /// A failure that is not about the content (I/O…), shown as is.
    failure: Option<String>,
}

/// Units rendered on request, by unit id: their key and files. Bounded: the
/// preview of a 10 000-update site keeps only what was recently visited.
#[derive(Default)]
struct Pages {
    units: HashMap<String, (u64, Arc<Vec<render::OutputFile>>)>,
}

/// How many rendered units the preview keeps before forgetting them all.
const MAX_CACHED_UNITS: usize = 256;

struct Preview {
    cfg: ServeConfig,
    snapshot: RwLock<Snapshot>,
    pages: Mutex<Pages>,
    /// Fact files already parsed, reused while unchanged on disk.
    memo: content::Memo,
    /// The background check's memory of every unit's paths.
    links: Mutex<pipeline::Memory>,
    generation: watch::Sender<u64>,
}

fn read<T>(l: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(|p| p.into_inner())
}

fn write<T>(l: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(|p| p.into_inner())
}

impl Preview {
    /// Loads the content again (only changed files are parsed); keeps the
    /// last good content when it fails. Moves the generation on (under the
    /// snapshot's lock, so a stale background check cannot overwrite what
    /// this load found). Returns the new generation when it loaded.
    fn reload(&self) -> Option<u64> {
        let start = std::time::Instant::now();
        let result = pipeline::prepare_with(&self.cfg.options, Some(&self.memo));
        if let Ok(p) = &result {
            crate::say!(
                "loaded {} fact files in {:.0} ms{}",
                p.input_files,
                start.elapsed().as_secs_f64() * 1000.0,
                match p.embargo.next() {
                    Some(next) => format!(
                        "; {} update(s) under embargo, shown under a banner (next publish_at {next})",
                        p.embargo.pending.len()
                    ),
                    None => String::new(),
                }
            );
        }
        let mut snap = write(&self.snapshot);
        self.generation.send_modify(|g| *g += 1);
        let generation = *self.generation.borrow();
        match result {
            Ok(prepared) => {
                snap.problems = prepared.diagnostics.items.clone();
                snap.failure = None;
                // The previous model (10 000 updates take ~40 ms to free)
                // is dropped on another thread, not under the lock.
                let old = snap.good.replace(Arc::new(prepared));
                std::thread::spawn(move || drop(old));
                Some(generation)
            }
            Err(Failure::Content(d) | Failure::DeniedWarnings(d)) => {
                report(&d);
                snap.problems = d.items;
                snap.failure = None;
                None
            }
            Err(other) => {
                crate::say!("error: {other}");
                snap.failure = Some(other.to_string());
                None
            }
        }
    }

    /// Runs the rest of the pipeline (render without PDFs, link check) in
    /// the background, so the overlay shows every problem `build` would.
    /// Only units whose inputs changed since the last check are rendered.
    fn check(&self, generation: u64) {
        let Some(prepared) = read(&self.snapshot).good.clone() else {
            return;
        };
        let mut links = lock(&self.links);
        if *self.generation.borrow() != generation {
            return;
        }
        let result = pipeline::run_prepared(
            &prepared,
            &self.cfg.options,
            &mut *links,
            Diagnostics::default(),
            &pipeline::Quiet,
        );
        let mut snap = write(&self.snapshot);
        if *self.generation.borrow() != generation {
            // The content changed meanwhile: this result is already stale.
            return;
        }
        let before = (snap.problems.clone(), snap.failure.clone());
        match result {
            Ok(r) => snap.problems = r.diagnostics,
            Err(Failure::Content(d) | Failure::DeniedWarnings(d)) => {
                report(&d);
                snap.problems = d.items;
            }
            Err(other) => snap.failure = Some(other.to_string()),
        }
        let same = before == (snap.problems.clone(), snap.failure.clone());
        drop(snap);
        if !same {
            // The overlay changed: open pages reload to show it.
            self.generation.send_modify(|g| *g += 1);
        }
    }

    /// The files of the unit that makes `path`, rendered now or taken from
    /// the cache; PDFs and PNGs are made only when one is asked for.
    fn unit_files(&self, path: &str) -> Result<Option<Arc<Vec<render::OutputFile>>>, Failure> {
        let Some(prepared) = read(&self.snapshot).good.clone() else {
            return Ok(None);
        };
        let id = paths::unit_of(path);
        let trees = prepared.trees();
        let Some(unit) = render::unit(&trees, &id) else {
            return Ok(None);
        };
        let binary = paths::is_binary(path);
        let name = format!("{id}{}", if binary { "+binaries" } else { "" });
        let context = pipeline::context_key(&prepared.theme, self.cfg.options.render_options());
        let key = pipeline::unit_key(&unit, context);
        if let Some((k, files)) = lock(&self.pages).units.get(&name)
            && *k == key
        {
            return Ok(Some(files.clone()));
        }
        let renderer = Renderer::new(&prepared.theme, self.cfg.options.render_options())?
            .making_binaries(binary);
        let files = Arc::new(renderer.render_unit(&unit)?);
        let mut pages = lock(&self.pages);
        if pages.units.len() >= MAX_CACHED_UNITS {
            pages.units.clear();
        }
        pages.units.insert(name, (key, files.clone()));
        Ok(Some(files))
    }
}

#[derive(Clone)]
struct AppState {
    preview: Arc<Preview>,
    allowed_hosts: Arc<Vec<String>>,
}

fn report(d: &Diagnostics) {
    for item in &d.items {
        crate::say_part!("{}", item.render_human());
    }
    crate::say!("{}; still serving the last good content", d.summary());
}

/// The overlay listing the problems of the latest run: errors (saying
/// whether an older version is shown), or warnings only. Styled by the
/// preview's own stylesheet (the pages' Content-Security-Policy allows no
/// inline style); the first problems, then a count.
fn overlay(snap: &Snapshot) -> String {
    overlay_html(&snap.problems, snap.failure.as_deref(), snap.good.is_some())
}

fn overlay_html(problems: &[Diagnostic], failure: Option<&str>, has_good: bool) -> String {
    use crate::httpd::OVERLAY_MAX;
    if problems.is_empty() && failure.is_none() {
        return String::new();
    }
    let errors = failure.is_some()
        || problems
            .iter()
            .any(|d| d.severity == crate::diagnostics::Severity::Error);
    let mut items = String::new();
    for d in problems.iter().take(OVERLAY_MAX) {
        let line: String = d.headline().chars().take(500).collect();
        items.push_str(&format!("<li>{}</li>", xml_escape(&line)));
    }
    if problems.len() > OVERLAY_MAX {
        items.push_str(&format!(
            "<li>… and {} more; run <code>relance check</code> to see them all</li>",
            problems.len() - OVERLAY_MAX
        ));
    }
    if let Some(f) = failure {
        items.push_str(&format!("<li>{}</li>", xml_escape(f)));
    }
    let (class, heading) = match (errors, has_good) {
        (false, _) => ("warnings", "relance: warnings (the site builds)"),
        (true, true) => (
            "errors",
            "relance: the content has problems; showing the last good build.",
        ),
        (true, false) => (
            "errors",
            "relance: the content has problems; there is no good build to show yet; fix them and this page reloads by itself.",
        ),
    };
    format!(
        "<link rel=\"stylesheet\" href=\"/__relance/overlay.css\"><div id=\"relance-overlay\" class=\"{class}\" role=\"alert\"><strong>{heading}</strong><ul>{items}</ul></div>"
    )
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

/// Decodes `%XX` escapes; `None` when the result is not UTF-8 or still
/// holds a `%` (a malformed escape, kept as written by the decoder, or an
/// encoded `%`: no site path has one).
fn percent_decode(s: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(s).decode_utf8().ok()?;
    (!decoded.contains('%')).then(|| decoded.into_owned())
}

/// Maps a request path to a site file, refusing anything that is not a
/// plain path inside the site (`..`, `.`, backslashes, NUL, encoded or not).
pub fn site_path(uri_path: &str) -> Option<String> {
    let decoded = percent_decode(uri_path)?;
    let trimmed = decoded.trim_start_matches('/');
    let mut parts = Vec::new();
    for part in trimmed.split('/') {
        if part.is_empty() {
            continue;
        }
        if part == ".." || part == "." || part.contains(['\\', '\0']) {
            return None;
        }
        parts.push(part);
    }
    let mut path = parts.join("/");
    if path.is_empty() || decoded.ends_with('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

fn host_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        // HTTP/1.0 clients may omit Host; they cannot be a rebinding attack
        // from a browser, which always sends one.
        return true;
    };
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    // DNS rebinding needs a domain name: IP literals are always fine (so a
    // preview bound to the LAN answers to its address), names only if listed.
    name.parse::<IpAddr>().is_ok() || allowed.iter().any(|a| a.eq_ignore_ascii_case(name))
}

async fn serve_file(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    if !host_allowed(&headers, &state.allowed_hosts) {
        return (
            StatusCode::FORBIDDEN,
            "relance serve: unexpected Host header (DNS rebinding protection)\n",
        )
            .into_response();
    }
    let Some(path) = site_path(uri.path()) else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    let preview = state.preview.clone();
    let found = tokio::task::spawn_blocking(move || lookup(&preview, &path)).await;
    let generation = *state.preview.generation.borrow();
    let extras = {
        let snap = read(&state.preview.snapshot);
        format!("{}{}", overlay(&snap), crate::httpd::reload_tag(generation))
    };
    match found {
        Ok(Ok(Some(Found::File(path, bytes)))) => file_response(&path, bytes, &extras),
        Ok(Ok(Some(Found::Folder(path)))) => crate::httpd::folder_redirect(&path, uri.query()),
        Ok(Ok(None)) => {
            let has_site = read(&state.preview.snapshot).good.is_some();
            error_page(has_site, &extras)
        }
        Ok(Err(failure)) => {
            let mut snap = write(&state.preview.snapshot);
            if let Failure::Content(d) = &failure {
                snap.problems = d.items.clone();
            } else {
                snap.failure = Some(failure.to_string());
            }
            let extras = format!("{}{}", overlay(&snap), crate::httpd::reload_tag(generation));
            error_page(snap.good.is_some(), &extras)
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// What a request path finds in the site.
enum Found {
    File(String, Vec<u8>),
    /// A folder asked for without its trailing slash.
    Folder(String),
}

/// Finds a site file: `path`, or the folder `path` when it has an index.
fn lookup(preview: &Preview, path: &str) -> Result<Option<Found>, Failure> {
    if let Some(files) = preview.unit_files(path)?
        && let Some(f) = files.iter().find(|f| f.path == path)
    {
        return Ok(Some(Found::File(path.to_string(), f.bytes.clone())));
    }
    let index = format!("{path}/index.html");
    if let Some(files) = preview.unit_files(&index)?
        && files.iter().any(|f| f.path == index)
    {
        return Ok(Some(Found::Folder(path.to_string())));
    }
    Ok(None)
}

fn error_page(has_site: bool, extras: &str) -> Response {
    let (status, title) = if has_site {
        (StatusCode::NOT_FOUND, "Not found")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "No site yet")
    };
    let body = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>relance serve</title></head><body><h1>{title}</h1>{extras}</body></html>"
    );
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn file_response(path: &str, mut body: Vec<u8>, extras: &str) -> Response {
    let kind = content_type(path);
    if kind.starts_with("text/html") {
        let text = String::from_utf8_lossy(&body).into_owned();
        let injected = match text.rfind("</body>") {
            Some(i) => format!("{}{extras}{}", &text[..i], &text[i..]),
            None => text + extras,
        };
        body = injected.into_bytes();
    }
    let mut response = (StatusCode::OK, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(Deserialize)]
struct WaitQuery {
    since: Option<u64>,
}

/// Long poll: answers when a build newer than `since` is ready, or after
/// 25 seconds with the current generation.
async fn wait(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<WaitQuery>,
) -> Response {
    if !host_allowed(&headers, &state.allowed_hosts) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let mut rx = state.preview.generation.subscribe();
    let since = q.since.unwrap_or(0);
    if *rx.borrow() == since {
        let _ = tokio::time::timeout(Duration::from_secs(25), rx.changed()).await;
    }
    let generation = *rx.borrow();
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        format!("{{\"generation\":{generation}}}"),
    )
        .into_response()
}

/// Watches `dirs` and calls `on_change` once per burst of changes. A
/// folder that does not exist yet (a project's `templates/` or `locales/`
/// made while the preview runs) is watched from its parent until it
/// appears, then recursively.
fn watch_dirs(
    dirs: Vec<PathBuf>,
    on_change: impl Fn() + Send + 'static,
) -> Result<Arc<Mutex<notify::RecommendedWatcher>>, Failure> {
    use notify::{RecursiveMode, Watcher};
    // Absolute, so that the paths events name compare with them.
    let dirs: Vec<PathBuf> = dirs
        .into_iter()
        .map(|d| std::path::absolute(&d).unwrap_or(d))
        .collect();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let relevant = dirs.clone();
    let handler = move |event: notify::Result<notify::Event>| {
        // A parent folder's other entries (`output/` being swapped) are not
        // the preview's business.
        if let Ok(e) = event
            && !matches!(e.kind, notify::EventKind::Access(_))
            && e.paths
                .iter()
                .any(|p| relevant.iter().any(|d| p.starts_with(d)))
        {
            let _ = tx.send(());
        }
    };
    // Links are not followed: a link to /usr in the content folder must not
    // add thousands of watches, nor rebuild on changes out there (`load`
    // reads nothing through such a link anyway).
    let config = notify::Config::default().with_follow_symlinks(false);
    let watcher = notify::RecommendedWatcher::new(handler, config)
        .map_err(|e| Failure::Internal(format!("cannot watch files: {e}")))?;
    let watcher = Arc::new(Mutex::new(watcher));
    let mut waiting = Vec::new();
    for dir in dirs {
        if dir.is_dir() {
            lock(&watcher)
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| Failure::Internal(format!("cannot watch {}: {e}", dir.display())))?;
        } else if let Some(parent) = existing_parent(&dir) {
            // Best effort: without it, the folder is read at the next change.
            let _ = lock(&watcher).watch(&parent, RecursiveMode::NonRecursive);
            waiting.push(dir);
        }
    }
    let adopting = watcher.clone();
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            // Debounce: editors write several times per save, within a
            // few milliseconds.
            while rx.recv_timeout(Duration::from_millis(50)).is_ok() {}
            waiting.retain(|dir| {
                let appeared = dir.is_dir();
                if appeared {
                    let _ = lock(&adopting).watch(dir, RecursiveMode::Recursive);
                }
                !appeared
            });
            on_change();
        }
    });
    Ok(watcher)
}

/// `dir`'s parent folder, if it exists.
fn existing_parent(dir: &Path) -> Option<PathBuf> {
    dir.parent().filter(|p| p.is_dir()).map(Path::to_path_buf)
}

fn is_loopback(ip: &IpAddr) -> bool {
    ip.is_loopback()
}

/// Loads the content again after a change, tells open pages, then checks
/// the whole site in the background.
fn changed(preview: &Arc<Preview>) {
    if let Some(generation) = preview.reload() {
        let p = preview.clone();
        std::thread::spawn(move || p.check(generation));
    }
}

/// Runs the preview server until Ctrl-C.
pub fn serve(cfg: ServeConfig) -> Result<(), Failure> {
    let opts = &cfg.options;
    if !opts.content.is_dir() {
        return Err(Failure::Usage(format!(
            "no content folder at `{}`; run relance from your project folder or pass --content DIR",
            opts.content_shown
        )));
    }
    if !is_loopback(&cfg.bind) {
        crate::say!(
            "warning: serving on {} makes the preview reachable from other machines; use the default 127.0.0.1 unless you mean it",
            cfg.bind
        );
    }
    let mut dirs = vec![opts.content.clone()];
    if let Some(t) = &opts.templates {
        dirs.push(t.clone());
    }
    if let Some(l) = &opts.locales {
        dirs.push(l.clone());
    }
    let (gen_tx, _) = watch::channel(0u64);
    let preview = Arc::new(Preview {
        cfg: cfg.clone(),
        snapshot: RwLock::new(Snapshot::default()),
        pages: Mutex::new(Pages::default()),
        memo: content::Memo::default(),
        links: Mutex::new(pipeline::Memory::links_only()),
        generation: gen_tx,
    });
    changed(&preview);
    let watched = preview.clone();
    let _watcher = watch_dirs(dirs, move || changed(&watched))?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Internal(format!("cannot start the server runtime: {e}")))?;
    let result = runtime.block_on(listen(cfg, preview));
    // Nothing left may keep the process alive past a moment.
    runtime.shutdown_timeout(crate::httpd::SHUTDOWN_GRACE);
    result
}

async fn listen(cfg: ServeConfig, preview: Arc<Preview>) -> Result<(), Failure> {
    let stop = crate::httpd::stop_signal()
        .map_err(|e| Failure::Internal(format!("cannot handle Ctrl-C: {e}")))?;
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(cfg.bind, cfg.port))
        .await
        .map_err(|e| Failure::Usage(format!("cannot listen on {}:{}: {e}", cfg.bind, cfg.port)))?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::Internal(e.to_string()))?;
    let mut allowed = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
        cfg.bind.to_string(),
    ];
    allowed.dedup();
    let state = AppState {
        preview,
        allowed_hosts: Arc::new(allowed),
    };
    let app = Router::new()
        .route("/__relance/wait", get(wait))
        .route("/__relance/reload.js", get(crate::httpd::reload_js))
        .route("/__relance/overlay.css", get(crate::httpd::overlay_css))
        .fallback(get(serve_file))
        .with_state(state)
        .layer(axum::middleware::map_response(
            crate::httpd::security_headers,
        ));
    let shown = if (local.ip().is_loopback() || local.ip().is_unspecified()) && local.ip().is_ipv4()
    {
        format!("http://127.0.0.1:{}/", local.port())
    } else {
        format!("http://{local}/")
    };
    crate::say!(
        "serving {} on {shown} (Ctrl-C to stop)",
        crate::diagnostics::printable(&cfg.options.content_shown)
    );
    crate::httpd::run(listener, app, async {
        stop.await;
        crate::say!("stopping");
    })
    .await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_is_capped_and_honest() {
        let many: Vec<Diagnostic> = (0..1000)
            .map(|i| {
                Diagnostic::error(
                    "f.yaml",
                    crate::content::yaml::Pos {
                        line: i + 1,
                        column: 1,
                        width: 1,
                    },
                    "x",
                    "x",
                )
            })
            .collect();
        let html = overlay_html(&many, None, false);
        assert_eq!(html.matches("<li>").count(), crate::httpd::OVERLAY_MAX + 1);
        assert!(html.contains("and 950 more"));
        assert!(html.contains("no good build to show yet"));
        assert!(!html.contains("last good build"));
        assert!(overlay_html(&many[..1], None, true).contains("showing the last good build"));
        assert_eq!(overlay_html(&[], None, true), "");
        let warning = Diagnostic::warning("f.yaml", crate::content::yaml::Pos::START, "w", "w");
        assert!(overlay_html(&[warning], None, true).contains("class=\"warnings\""));
    }

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/regions/a/").as_deref(),
            Some("regions/a/index.html")
        );
        assert_eq!(site_path("/feed.xml").as_deref(), Some("feed.xml"));
        assert_eq!(site_path("/../etc/passwd"), None);
        assert_eq!(site_path("/%2e%2e/etc/passwd"), None);
        assert_eq!(site_path("/a/%2E%2E/%2E%2E/x"), None);
        assert_eq!(site_path("/a%5c..%5cb"), None);
        assert_eq!(site_path("/%zz"), None);
    }

    #[test]
    fn hosts_are_checked() {
        let allowed = vec![
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "::1".to_string(),
        ];
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:1111"));
        assert!(host_allowed(&h, &allowed));
        h.insert(header::HOST, HeaderValue::from_static("[::1]:1111"));
        assert!(host_allowed(&h, &allowed));
        h.insert(header::HOST, HeaderValue::from_static("192.168.1.5:1111"));
        assert!(host_allowed(&h, &allowed));
        h.insert(header::HOST, HeaderValue::from_static("evil.example:1111"));
        assert!(!host_allowed(&h, &allowed));
    }
}
