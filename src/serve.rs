//! `relance serve`: a local preview. The site is built into memory (never
//! into `output/`), served over HTTP, and rebuilt when a file under the
//! content or templates folder changes; open pages reload themselves. When
//! the content becomes invalid the last good build stays up with an overlay
//! listing the problems, and the preview recovers by itself once fixed.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use tokio::sync::watch;

use crate::content::Limits;
use crate::diagnostics::Diagnostic;
use crate::error::Failure;
use crate::render::{self, RenderOptions, theme::Theme};
use crate::site;

#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub content: PathBuf,
    pub content_shown: String,
    pub templates: Option<PathBuf>,
    pub bind: IpAddr,
    pub port: u16,
    pub pdf: bool,
}

/// What the server shows: the last good site, and the problems of the
/// latest build when it failed.
#[derive(Default)]
struct Snapshot {
    files: HashMap<String, Arc<Vec<u8>>>,
    problems: Vec<Diagnostic>,
    /// A failure that is not about the content (I/O…), shown as is.
    failure: Option<String>,
    has_site: bool,
}

#[derive(Clone)]
struct AppState {
    snapshot: Arc<RwLock<Snapshot>>,
    generation: watch::Receiver<u64>,
    allowed_hosts: Arc<Vec<String>>,
}

/// Builds the site in memory. Errors keep the previous files.
fn rebuild(cfg: &ServeConfig, snapshot: &RwLock<Snapshot>) {
    let result = (|| -> Result<Vec<render::OutputFile>, Failure> {
        let loaded = site::load_model(&cfg.content, &cfg.content_shown, Limits::default(), false)?;
        let theme = Theme::load(cfg.templates.as_deref())?;
        render::render_site(&loaded.model, &theme, RenderOptions { pdf: cfg.pdf })
    })();
    let mut snap = match snapshot.write() {
        Ok(s) => s,
        Err(poisoned) => poisoned.into_inner(),
    };
    match result {
        Ok(files) => {
            snap.files = files
                .into_iter()
                .map(|f| (f.path, Arc::new(f.bytes)))
                .collect();
            snap.problems.clear();
            snap.failure = None;
            snap.has_site = true;
            eprintln!("rebuilt: {} files", snap.files.len());
        }
        Err(Failure::Content(d) | Failure::DeniedWarnings(d)) => {
            for item in &d.items {
                eprint!("{}", item.render_human());
            }
            eprintln!("{}; still serving the last good build", d.summary());
            snap.problems = d.items;
            snap.failure = None;
        }
        Err(other) => {
            eprintln!(
                "error: {}",
                crate::diagnostics::printable_lines(&other.to_string())
            );
            snap.failure = Some(other.to_string());
        }
    }
}

/// The overlay listing the problems of the latest build.
fn overlay(snap: &Snapshot) -> String {
    let headlines: Vec<String> = snap.problems.iter().map(Diagnostic::headline).collect();
    crate::httpd::overlay(&headlines, snap.failure.as_deref(), snap.has_site)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

/// Decodes `%XX` escapes; `None` for malformed ones.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
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
    let generation = *state.generation.borrow();
    let snap = match state.snapshot.read() {
        Ok(s) => s,
        Err(poisoned) => poisoned.into_inner(),
    };
    let extras = format!("{}{}", overlay(&snap), crate::httpd::reload_tag(generation));
    let found = snap.files.get(&path);
    if found.is_none() && snap.files.contains_key(&format!("{path}/index.html")) {
        return crate::httpd::folder_redirect(&path, uri.query());
    }
    let Some(bytes) = found else {
        let status = if snap.has_site {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        };
        let body = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>relance serve</title></head><body><h1>{}</h1>{extras}</body></html>",
            if snap.has_site {
                "Not found"
            } else {
                "No site yet"
            }
        );
        return (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response();
    };
    let mut body = bytes.as_ref().clone();
    let kind = content_type(&path);
    if kind.starts_with("text/html") {
        let text = String::from_utf8_lossy(&body).into_owned();
        let injected = match text.rfind("</body>") {
            Some(i) => format!("{}{extras}{}", &text[..i], &text[i..]),
            None => text + &extras,
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
    let mut rx = state.generation.clone();
    let since = q.since.unwrap_or(0);
    if *rx.borrow() == since {
        let _ = tokio::time::timeout(Duration::from_secs(25), rx.changed()).await;
    }
    let generation = *rx.borrow();
    (
        [(header::CONTENT_TYPE, "application/json")],
        format!("{{\"generation\":{generation}}}"),
    )
        .into_response()
}

/// Watches `dirs` and calls `on_change` once per burst of changes.
fn watch_dirs(
    dirs: Vec<PathBuf>,
    on_change: impl Fn() + Send + 'static,
) -> Result<notify::RecommendedWatcher, Failure> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let handler = move |event: notify::Result<notify::Event>| {
        if let Ok(e) = event
            && !matches!(e.kind, notify::EventKind::Access(_))
        {
            let _ = tx.send(());
        }
    };
    // Links are not followed: a link to /usr in the content folder must not
    // add thousands of watches, nor rebuild on changes out there (`load`
    // reads nothing through such a link anyway).
    let config = notify::Config::default().with_follow_symlinks(false);
    let mut watcher = notify::RecommendedWatcher::new(handler, config)
        .map_err(|e| Failure::Internal(format!("cannot watch files: {e}")))?;
    for dir in &dirs {
        if dir.is_dir() {
            watcher
                .watch(dir, RecursiveMode::Recursive)
                .map_err(|e| Failure::Internal(format!("cannot watch {}: {e}", dir.display())))?;
        }
    }
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            // Debounce: editors write several times per save.
            while rx.recv_timeout(Duration::from_millis(120)).is_ok() {}
            on_change();
        }
    });
    Ok(watcher)
}

fn is_loopback(ip: &IpAddr) -> bool {
    ip.is_loopback()
}

/// Runs the preview server until Ctrl-C.
pub fn serve(cfg: ServeConfig) -> Result<(), Failure> {
    if !cfg.content.is_dir() {
        return Err(Failure::Usage(format!(
            "no content folder at `{}`; run relance from your project folder or pass --content DIR",
            cfg.content_shown
        )));
    }
    if !is_loopback(&cfg.bind) {
        eprintln!(
            "warning: serving on {} makes the preview reachable from other machines; use the default 127.0.0.1 unless you mean it",
            cfg.bind
        );
    }
    let snapshot = Arc::new(RwLock::new(Snapshot::default()));
    rebuild(&cfg, &snapshot);
    let (gen_tx, gen_rx) = watch::channel(1u64);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Internal(format!("cannot start the server runtime: {e}")))?;
    let result = runtime.block_on(async move {
        let stop = crate::httpd::stop_signal()
            .map_err(|e| Failure::Internal(format!("cannot handle Ctrl-C: {e}")))?;
        let listener = tokio::net::TcpListener::bind(SocketAddr::new(cfg.bind, cfg.port))
            .await
            .map_err(|e| {
                Failure::Usage(format!("cannot listen on {}:{}: {e}", cfg.bind, cfg.port))
            })?;
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
            snapshot: snapshot.clone(),
            generation: gen_rx,
            allowed_hosts: Arc::new(allowed),
        };

        let watch_cfg = cfg.clone();
        let watch_snapshot = snapshot.clone();
        let mut dirs = vec![cfg.content.clone()];
        if let Some(t) = &cfg.templates {
            dirs.push(t.clone());
        }
        let _watcher = watch_dirs(dirs, move || {
            rebuild(&watch_cfg, &watch_snapshot);
            gen_tx.send_modify(|g| *g += 1);
        })?;

        let app = Router::new()
            .route("/__relance/wait", get(wait))
            .fallback(get(serve_file))
            .route("/__relance/reload.js", get(crate::httpd::reload_js))
            .route("/__relance/overlay.css", get(crate::httpd::overlay_css))
            .with_state(state)
            .layer(axum::middleware::map_response(
                crate::httpd::security_headers,
            ));
        let shown =
            if (local.ip().is_loopback() || local.ip().is_unspecified()) && local.ip().is_ipv4() {
                format!("http://127.0.0.1:{}/", local.port())
            } else {
                format!("http://{local}/")
            };
        eprintln!(
            "serving {} on {shown} (Ctrl-C to stop)",
            crate::diagnostics::printable(&cfg.content_shown)
        );
        crate::httpd::run(listener, app, async {
            stop.await;
            eprintln!("stopping");
        })
        .await;
        Ok(())
    });
    // Nothing left may keep the process alive past a moment.
    runtime.shutdown_timeout(crate::httpd::SHUTDOWN_GRACE);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

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
