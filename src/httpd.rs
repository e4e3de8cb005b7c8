//! The preview server's HTTP layer, hardened against slow and hostile
//! clients: a header-read timeout (which is also the idle timeout of a
//! kept-alive connection), a cap on a connection's life, a shutdown that
//! never waits on clients for more than a moment, security headers on every
//! answer, the trailing-slash redirect for folders, and the error overlay.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A client must send a request's whole head within this time, and a
/// kept-alive connection with no new request is closed after it.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// After this, a connection is asked to close once its current answer is
/// sent (a client that never reads its answer cannot hold it for ever).
pub const MAX_CONNECTION: Duration = Duration::from_secs(120);
/// On shutdown, how long answers being sent may take before their
/// connections are dropped.
pub const SHUTDOWN_GRACE: Duration = Duration::from_millis(300);
/// The overlay lists at most this many problems, then a count.
pub const OVERLAY_MAX: usize = 50;

/// Serves `app` on `listener` until `shutdown` completes, then returns
/// within [`SHUTDOWN_GRACE`] whatever the clients are doing.
pub async fn run(listener: TcpListener, app: Router, shutdown: impl Future<Output = ()>) {
    let (closing_tx, closing_rx) = watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(connection(stream, app.clone(), closing_rx.clone()));
                }
                // Out of file descriptors and the like: do not spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    let _ = closing_tx.send(true);
    let drained = async { while connections.join_next().await.is_some() {} };
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, drained).await;
    connections.abort_all();
}

/// One HTTP/1.1 connection, with its timeouts.
async fn connection(stream: TcpStream, app: Router, mut closing: watch::Receiver<bool>) {
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let conn = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
    tokio::pin!(conn);
    // Stopping: answers in flight get a moment. Too old: the current
    // answer (a long-poll lasts up to 25 s) is finished first.
    let grace = tokio::select! {
        _ = conn.as_mut() => return,
        _ = closing.wait_for(|c| *c) => SHUTDOWN_GRACE,
        () = tokio::time::sleep(MAX_CONNECTION) => Duration::from_secs(30),
    };
    conn.as_mut().graceful_shutdown();
    let _ = tokio::time::timeout(grace, conn).await;
}

/// Completes on the first SIGINT (Ctrl-C) or SIGTERM. The handlers are
/// installed by this call, before the server announces itself, so that a
/// signal sent right after the announcement is never missed.
pub fn stop_signal() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut int = signal(SignalKind::interrupt())?;
    let mut term = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
        }
    })
}

/// Only the site's own files, the reload script and its stylesheet: no
/// inline script, no other origin (a narrative cannot load anything).
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Headers on every answer of the preview: no content sniffing, no caching
/// (a preview is always fresh, error pages included) and, on documents, the
/// content security policy.
pub async fn security_headers(mut response: Response) -> Response {
    let is_document = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html") || t.starts_with("image/svg"));
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if is_document {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    response
}

/// The live-reload script, served as a file so that the policy needs no
/// inline script: it long-polls the server and reloads on a new build.
pub const RELOAD_JS: &str = "(function(){var s=document.currentScript;var url=s.getAttribute('data-wait');var g=Number(s.getAttribute('data-generation'));function poll(){fetch(url+'?since='+g).then(function(r){return r.json()}).then(function(d){if(d.generation!==g){location.reload()}else{poll()}}).catch(function(){setTimeout(poll,1000)})}poll()})();\n";

/// The overlay's look, served as a file (no inline style either).
pub const OVERLAY_CSS: &str = "#relance-overlay{position:fixed;z-index:99999;top:0;left:0;right:0;max-height:60vh;overflow:auto;background:#7f1d1d;color:#fff;font:14px/1.45 monospace;padding:14px 18px;box-shadow:0 4px 12px rgba(0,0,0,.4)}#relance-overlay ul{margin:8px 0 0 18px;padding:0}#relance-overlay.warnings{background:#78350f}\n";

pub async fn reload_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        RELOAD_JS,
    )
        .into_response()
}

pub async fn overlay_css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        OVERLAY_CSS,
    )
        .into_response()
}

/// The tag that loads the reload script on a served page.
pub fn reload_tag(generation: u64) -> String {
    format!(
        "<script src=\"/__relance/reload.js\" data-wait=\"/__relance/wait\" data-generation=\"{generation}\"></script>"
    )
}

/// For a folder asked for without its trailing slash
/// (`/regions/languedoc-roussillon`), a redirect to the slash form, so that
/// the page's relative links resolve. `path` is the site path found to be a
/// folder; the location is built from it, never copied from the request,
/// so it cannot point to another site.
pub fn folder_redirect(path: &str, query: Option<&str>) -> Response {
    let mut location = String::from("/");
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            location.push(char::from(b));
        } else {
            location.push_str(&format!("%{b:02X}"));
        }
    }
    location.push('/');
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        location.push('?');
        location.push_str(q);
    }
    match HeaderValue::from_str(&location) {
        Ok(value) => (
            StatusCode::PERMANENT_REDIRECT,
            [(header::LOCATION, value)],
            "",
        )
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_stay_on_this_site() {
        let r = folder_redirect("regions/a", Some("x=1"));
        assert_eq!(r.status(), StatusCode::PERMANENT_REDIRECT);
        assert_eq!(r.headers()[header::LOCATION], "/regions/a/?x=1");
        let r = folder_redirect("a b", None);
        assert_eq!(r.headers()[header::LOCATION], "/a%20b/");
    }
}
