//! The preview's HTTP side: safe paths, content types, ETags, redirects, the 404 page,
//! the reload script and the server-sent events stream.

use std::io::Write;
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use tiny_http::{Header, Method, Response, ResponseBox, StatusCode};

use crate::fsio;
use crate::load;
use crate::model::urls;
use crate::serve::connection::Request;
use crate::serve::escape;
use crate::serve::state::{Event, Preview, State, etag_of};

/// The live-reload script.
pub const RELOAD_SCRIPT: &str = include_str!("reload.js");
/// Where the script is served.
pub const SCRIPT_PATH: &str = "/__herald/reload.js";
/// Where browsers listen for events.
pub const EVENTS_PATH: &str = "/__herald/events";

/// What a request asks for, once its path has been checked.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    /// The reload script.
    Script,
    /// The event stream.
    Events,
    /// A file of the site, by output path (`plans/x/index.html`).
    File(String),
    /// A path that must not be served.
    Bad,
    /// A path longer than any the site has.
    TooLong,
}

/// The longest request path answered; the longest a site has is far shorter.
const PATH_LIMIT: usize = 2048;

/// Decodes and checks a request target. Anything that could leave the site is `Bad`.
pub fn route(target: &str) -> Route {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if path.len() > PATH_LIMIT {
        return Route::TooLong;
    }
    // Control characters have no place in a URL; a bare CR must not reach a `Location`.
    if !path.starts_with('/') || target.chars().any(|c| c.is_ascii_control() || c == ' ') {
        return Route::Bad;
    }
    if path == SCRIPT_PATH {
        return Route::Script;
    }
    if path == EVENTS_PATH {
        return Route::Events;
    }
    let Some(decoded) = percent_decode(path) else {
        return Route::Bad;
    };
    let unsafe_path = decoded.chars().any(|c| c.is_control())
        || decoded.contains('\\')
        || decoded.contains("//")
        || decoded.split('/').any(|part| part == ".." || part == ".")
        || decoded.contains(':');
    if unsafe_path {
        return Route::Bad;
    }
    Route::File(urls::output_file(decoded.trim_start_matches('/')))
}

/// Decodes `%xx` escapes; `None` for a broken escape or bytes that are not UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = path.get(index + 1..index + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a file name.
pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "ics" => "text/calendar; charset=utf-8",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// Adds the reload script, and the current error for the overlay, to an HTML page.
pub fn inject(html: &[u8], error: Option<&str>) -> Vec<u8> {
    let mut tag = String::new();
    if let Some(error) = error {
        tag.push_str(&format!(
            "<script>window.__heraldError = {};</script>",
            escape::script_string(error)
        ));
    }
    tag.push_str(&format!("<script src=\"{SCRIPT_PATH}\"></script>"));
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(index) => format!("{}{tag}{}", &text[..index], &text[index..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// The answer where the site has no page, not even a 404 page: its first build failed, or
/// it is still running. The error is written into the page itself too, so that it can be
/// read even where the overlay's script does not run.
fn no_page_yet(error: Option<&str>) -> Vec<u8> {
    match error {
        Some(error) => format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>herald</title></head><body><pre>{}</pre></body></html>",
            escape::html_text(error)
        )
        .into_bytes(),
        None => b"404 Not Found".to_vec(),
    }
}

/// What to do with a request.
pub enum Answer {
    /// Send this, and keep the connection if the client wants.
    Page(ResponseBox),
    /// Send this refusal, then close the connection: after a request that was refused
    /// nothing that follows on it can be trusted.
    Refusal(ResponseBox),
    /// Hold the connection open for the event stream.
    Events,
}

/// Answers one request.
pub fn answer(request: &Request, state: &Arc<State>) -> Answer {
    if !matches!(request.method, Method::Get | Method::Head) {
        let response = refusal(405, "the preview answers GET and HEAD only")
            .with_header(header("Allow", "GET, HEAD"));
        return Answer::Refusal(response);
    }
    if has_body(request) {
        return Answer::Refusal(refusal(400, "a request to the preview carries no body"));
    }
    match route(&request.url) {
        Route::Script => Answer::Page(
            Response::from_string(RELOAD_SCRIPT)
                .with_header(header("Content-Type", content_type("reload.js")))
                .with_header(header("Cache-Control", "no-store"))
                .boxed(),
        ),
        Route::Events => Answer::Events,
        Route::Bad => Answer::Refusal(refusal(400, "this path cannot be served")),
        Route::TooLong => Answer::Refusal(refusal(414, "the path is too long")),
        Route::File(path) => Answer::Page(serve_file(request, state, &path)),
    }
}

/// The answer to a refused request: its status, and why in plain text.
pub fn refusal(status: u16, reason: &str) -> ResponseBox {
    Response::from_string(format!("{status} {reason}\n"))
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
        .boxed()
}

/// Whether the request announces a body: GET and HEAD have none, and a second
/// `Content-Length` or a `Transfer-Encoding` is how requests are smuggled past proxies.
fn has_body(request: &Request) -> bool {
    request.header_values("Transfer-Encoding").next().is_some()
        || request.header_values("Content-Length").count() > 1
        || request
            .header_values("Content-Length")
            .any(|length| length.trim() != "0")
}

fn serve_file(request: &Request, state: &Arc<State>, path: &str) -> ResponseBox {
    let preview = state.preview();
    let error = state.error();
    let search = state.search_files();
    let found = match search.get(path) {
        Some(page) => Found::Page(page.bytes.to_vec(), page.etag.clone()),
        None => lookup(&preview, path),
    };
    let (status, bytes, etag) = match found {
        Found::Page(bytes, etag) => (200, bytes, etag),
        Found::Redirect => {
            let target = format!("/{}", urls::site_path(path));
            let location = format!(
                "{}/",
                request
                    .url
                    .split(['?', '#'])
                    .next()
                    .unwrap_or(&target)
                    .trim_end_matches('/')
            );
            return Response::empty(301)
                .with_header(header("Location", &location))
                .boxed();
        }
        Found::Missing => match preview.pages.get(urls::NOT_FOUND) {
            Some(page) => (404, page.bytes.to_vec(), page.etag.clone()),
            None => (404, no_page_yet(error.as_deref()), String::new()),
        },
    };
    let is_html = path.ends_with(".html") || status == 404;
    let (bytes, etag) = if is_html {
        let bytes = inject(&bytes, error.as_deref());
        let etag = etag_of(&bytes);
        (bytes, etag)
    } else {
        (bytes, etag)
    };
    let fresh = request
        .header_values("If-None-Match")
        .any(|value| value == etag);
    if fresh && status == 200 {
        return Response::empty(304)
            .with_header(header("ETag", &etag))
            .boxed();
    }
    let content_type = if status == 404 {
        content_type(urls::NOT_FOUND)
    } else {
        content_type(path)
    };
    let mut response = Response::from_data(bytes)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-cache"));
    if !etag.is_empty() {
        response = response.with_header(header("ETag", &etag));
    }
    response.boxed()
}

enum Found {
    Page(Vec<u8>, String),
    Redirect,
    Missing,
}

fn lookup(preview: &Preview, path: &str) -> Found {
    if let Some(page) = preview.pages.get(path) {
        return Found::Page(page.bytes.to_vec(), page.etag.clone());
    }
    if let Some(source) = preview.copies.get(path) {
        if !serves_from_site(preview, source) {
            return Found::Missing;
        }
        return match read_source(source) {
            Some(bytes) => {
                let etag = etag_of(&bytes);
                Found::Page(bytes, etag)
            }
            None => Found::Missing,
        };
    }
    let as_folder = urls::output_file(&format!("{path}/"));
    if !path.ends_with(".html") && preview.pages.contains_key(&as_folder) {
        return Found::Redirect;
    }
    Found::Missing
}

/// Whether a file to copy may be served now. A file of `content/` published at the last
/// good build may have been swapped for a link to somewhere else since: where it leads is
/// checked at every request, as a build checks it. Theme, static and cache files are the
/// site owner's and herald's.
fn serves_from_site(preview: &Preview, source: &Path) -> bool {
    !source.starts_with(&preview.content) || load::leads_inside(&preview.root, source)
}

/// Reads a source file to serve: a regular file only, opened without waiting.
fn read_source(path: &Path) -> Option<Vec<u8>> {
    fsio::read(path).ok()
}

/// Holds a connection open and writes each event as it comes, until the browser goes away.
pub fn stream_events(stream: &TcpStream, state: &Arc<State>) {
    let (sender, receiver) = mpsc::channel();
    let mut writer = stream;
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\nX-Accel-Buffering: no\r\n\r\n";
    if writer.write_all(head.as_bytes()).is_err() {
        return;
    }
    fn send(mut writer: &TcpStream, event: &Event) -> std::io::Result<()> {
        write!(writer, "event: {}\ndata: {}\n\n", event.name, event.data)?;
        writer.flush()
    }
    // Subscribe first: an event raised while the greeting is written must not be lost.
    state.subscribe(sender);
    if send(writer, &state.hello()).is_err() {
        return;
    }
    loop {
        let outcome = match receiver.recv_timeout(Duration::from_secs(15)) {
            Ok(event) => send(writer, &event),
            // A comment keeps proxies and the browser from closing an idle stream.
            Err(mpsc::RecvTimeoutError::Timeout) => writer
                .write_all(b": keep-alive\n\n")
                .and_then(|_| writer.flush()),
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if outcome.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Route, content_type, inject, route};

    #[test]
    fn routes_pretty_urls_to_index_files() {
        assert_eq!(route("/"), Route::File("index.html".into()));
        assert_eq!(
            route("/plans/x/?a=1"),
            Route::File("plans/x/index.html".into())
        );
        assert_eq!(route("/style.css"), Route::File("style.css".into()));
        assert_eq!(
            route("/tags/%E5%AD%A6/"),
            Route::File("tags/学/index.html".into())
        );
        assert_eq!(route("/__herald/events"), Route::Events);
    }

    #[test]
    fn rejects_everything_that_could_leave_the_site() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/plans/%2E%2E/%2E%2E/x",
            "/a%2f..%2f..%2fetc",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/a%00b",
            "//etc/passwd",
            "http://evil/x",
            "/C:/Windows",
            "/%zz",
            "/%ff%fe",
        ] {
            assert_eq!(route(bad), Route::Bad, "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("a.ICS"), "text/calendar; charset=utf-8");
        assert_eq!(content_type("photo.webp"), "image/webp");
        assert_eq!(content_type("font.woff2"), "font/woff2");
    }

    #[test]
    fn script_goes_before_the_body_end_and_errors_cannot_break_out() {
        let html = inject(
            b"<html><body><p>x</p></body></html>",
            Some("a </script><script>alert(1) <!--<script>"),
        );
        let html = String::from_utf8(html).unwrap();
        assert!(html.ends_with("<script src=\"/__herald/reload.js\"></script></body></html>"));
        assert_eq!(html.matches("<script").count(), 2, "{html}");
        assert!(!html.contains("<!--"));
    }
}
