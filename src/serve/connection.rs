//! The preview's connections. herald accepts them itself, one thread each, and reads the
//! request heads; tiny_http writes the answers. tiny_http 0.12's own server has no timeouts,
//! reads the unread rest of an announced body into one buffer of the announced size (a
//! forged `Content-Length` of a few terabytes ends the process), and hands connections that
//! arrive together to a pool that queues all but the first few behind connections that stay
//! open (a browser opening eight at once waited for four of them). Here idle and slow
//! clients are let go, heads are bounded, bodies are refused unread, and a client that
//! stops reading its answers holds up only its own thread.

use std::io::{BufWriter, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tiny_http::{HTTPVersion, Header, Method, ResponseBox};

use crate::serve::http::{self, Answer};
use crate::serve::state::State;

/// The most connections open at once; more are answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 1024;
/// How long a kept-alive connection may stay silent, and how long a request head may take.
pub const IDLE: Duration = Duration::from_secs(30);
/// How long an answer may wait for a client that does not read it.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest request head (request line and headers); browsers send under 8 KiB.
pub const HEAD_LIMIT: usize = 16 * 1024;
/// After a refusal, how much of what the client still sends is read before closing, so that
/// the refusal is not lost to a reset.
const LINGER_BYTES: u64 = 4 << 20;
const LINGER_TIME: Duration = Duration::from_secs(1);

/// A request as read from a connection: its head only, as bodies are never read.
#[derive(Debug)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The request target, as sent.
    pub url: String,
    /// HTTP/1.0 or HTTP/1.1.
    pub version: HTTPVersion,
    /// The header lines.
    pub headers: Vec<Header>,
}

impl Request {
    /// The values of the headers named `name`.
    pub fn header_values(&self, name: &'static str) -> impl Iterator<Item = &str> {
        self.headers
            .iter()
            .filter(move |h| h.field.equiv(name))
            .map(|h| h.value.as_str())
    }

    fn keep_alive(&self) -> bool {
        let connection: Vec<String> = self
            .header_values("Connection")
            .map(str::to_ascii_lowercase)
            .collect();
        if self.version == HTTPVersion(1, 1) {
            !connection.iter().any(|v| v.contains("close"))
        } else {
            // An HTTP/1.0 client is not told that the connection stays; it is closed.
            false
        }
    }
}

/// Counts open connections; one is released when its thread ends or cannot start.
struct Open(Arc<AtomicUsize>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Accepts connections for as long as the process runs.
pub fn serve(listener: TcpListener, state: Arc<State>) {
    let open = Arc::new(AtomicUsize::new(0));
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            // Out of file descriptors, or a connection reset while it waited: the preview
            // goes on, after a pause so that a lasting failure does not spin.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            drop(Open(Arc::clone(&open)));
            // Answered from the accepting thread, so without waiting for the client.
            let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
            let refusal = http::refusal(503, "too many connections");
            let _ = write(&stream, refusal, &HTTPVersion(1, 1), false);
            continue;
        }
        let guard = Open(Arc::clone(&open));
        let state = Arc::clone(&state);
        // Should no thread be had, the closure is dropped: the connection is closed and
        // its count released.
        let _ = std::thread::Builder::new().spawn(move || {
            let _guard = guard;
            serve_connection(&stream, &state);
        });
    }
}

/// Answers one connection's requests in order until it closes, idles or misbehaves.
fn serve_connection(stream: &TcpStream, state: &Arc<State>) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let mut pending = Vec::new();
    loop {
        let head = match read_head(stream, &mut pending, IDLE) {
            Ok(Some(head)) => head,
            Ok(None) => return,
            Err(refusal) => return refuse(stream, refusal),
        };
        let request = match parse(&head) {
            Ok(request) => request,
            Err(refusal) => return refuse(stream, refusal),
        };
        let head_only = request.method == Method::Head;
        match http::answer(&request, state) {
            Answer::Page(response) => {
                if write(stream, response, &request.version, head_only).is_err() {
                    return;
                }
                if !request.keep_alive() {
                    return close(stream);
                }
            }
            Answer::Refusal(response) => {
                let _ = write(stream, response, &request.version, head_only);
                return linger(stream);
            }
            Answer::Events => return http::stream_events(stream, state),
        }
    }
}

/// Reads the next request head (without its blank line) from the connection, keeping what
/// follows it. `None` when the client closed or stayed silent for `wait`; a refusal for a
/// head too long, not finished within `wait`, or cut short.
fn read_head(
    stream: &TcpStream,
    pending: &mut Vec<u8>,
    wait: Duration,
) -> Result<Option<Vec<u8>>, ResponseBox> {
    let deadline = Instant::now() + wait;
    let mut searched: usize = 0;
    loop {
        let end = pending[searched.saturating_sub(3)..]
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map(|at| searched.saturating_sub(3) + at);
        let head = &pending[..end.unwrap_or(pending.len())];
        if head.len() > HEAD_LIMIT {
            let line = head.windows(2).position(|w| w == b"\r\n");
            return Err(if line.is_some_and(|length| length <= HEAD_LIMIT) {
                http::refusal(431, "request headers too large")
            } else {
                http::refusal(414, "the request line is too long")
            });
        }
        if let Some(end) = end {
            let head = pending[..end].to_vec();
            pending.drain(..end + 4);
            return Ok(Some(head));
        }
        searched = pending.len();
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return slow(pending);
        }
        let mut chunk = [0; 4096];
        match (&*stream).read(&mut chunk) {
            Ok(0) if pending.is_empty() => return Ok(None),
            Ok(0) => return Err(http::refusal(400, "the request was cut short")),
            Ok(n) => pending.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return slow(pending);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return Ok(None),
        }
    }
}

fn slow(pending: &[u8]) -> Result<Option<Vec<u8>>, ResponseBox> {
    if pending.is_empty() {
        Ok(None)
    } else {
        Err(http::refusal(408, "the request took too long"))
    }
}

/// Parses a request head. Anything but a plain HTTP/1.x head of ASCII text is refused.
fn parse(head: &[u8]) -> Result<Request, ResponseBox> {
    let bad = |why: &str| http::refusal(400, why);
    let text = std::str::from_utf8(head)
        .ok()
        .filter(|t| t.is_ascii())
        .ok_or_else(|| bad("the request is not ASCII text"))?;
    // One empty line before a request is tolerated (RFC 9112, 2.2).
    let text = text.strip_prefix("\r\n").unwrap_or(text);
    let mut lines = text.split("\r\n");
    let line = lines.next().unwrap_or("");
    let parts: Vec<&str> = line.split(' ').collect();
    let [method, url, version] = parts[..] else {
        return Err(bad("the request line is not `METHOD target HTTP/1.1`"));
    };
    let version = match version {
        "HTTP/1.1" => HTTPVersion(1, 1),
        "HTTP/1.0" => HTTPVersion(1, 0),
        v if v.starts_with("HTTP/") => {
            return Err(http::refusal(505, "HTTP/1.0 or HTTP/1.1 only"));
        }
        _ => return Err(bad("the request line has no HTTP version")),
    };
    if method.is_empty() || !method.bytes().all(is_token) {
        return Err(bad("the method is not a word"));
    }
    let method = Method::from_str(method).map_err(|()| bad("the method is not a word"))?;
    if url.is_empty() || url.bytes().any(|b| b.is_ascii_control()) {
        return Err(bad(
            "the request target is empty or holds control characters",
        ));
    }
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| bad("a header line has no colon"))?;
        let value_ok = value.bytes().all(|b| b == b'\t' || !b.is_ascii_control());
        if name.is_empty() || !name.bytes().all(is_token) || !value_ok {
            return Err(bad("a header line is malformed"));
        }
        headers.push(Header::from_str(line).map_err(|()| bad("a header line is malformed"))?);
    }
    Ok(Request {
        method,
        url: url.to_string(),
        version,
        headers,
    })
}

/// A character allowed in a method or a header name (RFC 9110, 5.6.2).
fn is_token(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

fn write(
    stream: &TcpStream,
    response: ResponseBox,
    version: &HTTPVersion,
    head_only: bool,
) -> std::io::Result<()> {
    let mut writer = BufWriter::new(stream);
    // Always a Content-Length: every answer's length is known.
    response.with_chunked_threshold(usize::MAX).raw_print(
        &mut writer,
        version.clone(),
        &[],
        head_only,
        None,
    )?;
    writer.flush()
}

/// Sends a refusal to a request that could not be read, then closes.
fn refuse(stream: &TcpStream, response: ResponseBox) {
    let _ = write(stream, response, &HTTPVersion(1, 1), false);
    linger(stream);
}

/// Closes after the last answer.
fn close(stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
}

/// Closes after a refusal, first reading (a bounded amount of) what the client is still
/// sending: closing with unread bytes resets the connection, and the client may lose the
/// refusal before reading it.
fn linger(stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(LINGER_TIME));
    let started = Instant::now();
    let mut rest = stream.take(LINGER_BYTES);
    let mut chunk = [0; 16 * 1024];
    while started.elapsed() < LINGER_TIME {
        match rest.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::net::{TcpListener, TcpStream};
    use std::time::Duration;

    use super::{HEAD_LIMIT, Request, parse, read_head};

    /// The heads, then the final outcome (`Ok(0)` for a silent or closed client, or the
    /// refusal's status), of a connection on which `sent` was sent and the sending side
    /// closed or, with `hold`, kept open.
    fn heads(sent: &[u8], hold: bool) -> (Vec<String>, Result<u16, u16>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        client.write_all(sent).unwrap();
        if !hold {
            client.shutdown(std::net::Shutdown::Write).unwrap();
        }
        let mut pending = Vec::new();
        let mut found = Vec::new();
        loop {
            match read_head(&server, &mut pending, Duration::from_millis(200)) {
                Ok(Some(head)) => found.push(String::from_utf8(head).unwrap()),
                Ok(None) => return (found, Ok(0)),
                Err(refusal) => return (found, Err(refusal.status_code().0)),
            }
        }
    }

    #[test]
    fn splits_pipelined_heads_and_refuses_bad_ones() {
        let two = b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
        let (found, end) = heads(two, false);
        assert_eq!(found, ["GET /a HTTP/1.1\r\nHost: x", "GET /b HTTP/1.1"]);
        assert_eq!(end, Ok(0));
        assert_eq!(
            heads(b"", true),
            (vec![], Ok(0)),
            "a silent client is let go"
        );
        assert_eq!(heads(b"GET / HT", true).1, Err(408), "an unfinished head");
        assert_eq!(heads(b"GET / HTTP/1.1\r\n", false).1, Err(400), "cut short");
        let long_line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(HEAD_LIMIT));
        assert_eq!(heads(long_line.as_bytes(), true).1, Err(414));
        let long_headers = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X: y\r\n".repeat(HEAD_LIMIT / 4)
        );
        assert_eq!(heads(long_headers.as_bytes(), true).1, Err(431));
    }

    fn parsed(head: &str) -> Result<Request, u16> {
        parse(head.as_bytes()).map_err(|r| r.status_code().0)
    }

    #[test]
    fn reads_plain_heads() {
        let request = parsed("GET /a?b HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"1\"").unwrap();
        assert_eq!(request.url, "/a?b");
        assert_eq!(request.header_values("if-none-match").next(), Some("\"1\""));
        assert!(request.keep_alive());
        assert!(!parsed("GET / HTTP/1.0").unwrap().keep_alive());
        assert!(
            !parsed("GET / HTTP/1.1\r\nConnection: close")
                .unwrap()
                .keep_alive()
        );
    }

    #[test]
    fn refuses_malformed_heads() {
        for (head, status) in [
            ("GET /", 400),
            ("GET  / HTTP/1.1", 400),
            ("GET / HTTP/2.0", 505),
            ("GET / HTTP/0.9", 505),
            ("GET / FTP/1.1", 400),
            ("G(T / HTTP/1.1", 400),
            ("GET /a\u{1}b HTTP/1.1", 400),
            ("GET /\u{5b66} HTTP/1.1", 400),
            ("GET / HTTP/1.1\r\nNoColon", 400),
            ("GET / HTTP/1.1\r\n Folded: x", 400),
            ("GET / HTTP/1.1\r\nX: a\u{0}b", 400),
        ] {
            assert_eq!(parsed(head).err(), Some(status), "{head:?}");
        }
    }
}
