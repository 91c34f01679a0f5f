//! `herald serve` under load and under hostile clients: many clients at once, connections
//! held open idle or half-used, and a corpus of traversal and malformed requests sent as raw
//! bytes. The server must answer every good request, never serve a file from outside the
//! site, and keep standing.

mod common;

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::TestSite;
#[cfg(unix)]
use common::serve::start_with_file_limit;
use common::serve::{Server, split_response, start, wait_until};

/// The generous wait for an answer: long enough for a loaded machine, short enough to fail
/// when the server is blocked.
const PATIENCE: Duration = Duration::from_secs(10);

/// A keep-alive HTTP/1.1 client that reads each answer by its `Content-Length`.
struct Client {
    stream: TcpStream,
    pending: Vec<u8>,
}

impl Client {
    fn connect(port: u16) -> std::io::Result<Client> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(PATIENCE))?;
        Ok(Client {
            stream,
            pending: Vec::new(),
        })
    }

    /// Sends a GET and reads the whole answer: its status and body.
    fn get(&mut self, target: &str) -> Result<(u16, Vec<u8>), String> {
        let text = format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        self.stream
            .write_all(text.as_bytes())
            .map_err(|e| format!("{target}: write: {e}"))?;
        let head_end = loop {
            if let Some(at) = self.pending.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            self.fill(target)?;
        };
        let (status, head, _) = split_response(&self.pending[..head_end])
            .ok_or_else(|| format!("{target}: no status line"))?;
        let length: usize = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().to_string())
            })
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{target}: no Content-Length in {head:?}"))?;
        while self.pending.len() < head_end + length {
            self.fill(target)?;
        }
        let body = self.pending[head_end..head_end + length].to_vec();
        self.pending.drain(..head_end + length);
        Ok((status, body))
    }

    fn fill(&mut self, target: &str) -> Result<(), String> {
        let mut chunk = [0; 16 * 1024];
        match self.stream.read(&mut chunk) {
            Ok(0) => Err(format!("{target}: connection closed mid-answer")),
            Ok(n) => {
                self.pending.extend_from_slice(&chunk[..n]);
                Ok(())
            }
            Err(e) => Err(format!("{target}: read: {e}")),
        }
    }
}

/// Starts a server and waits until the search index (built after the pages) is served.
fn start_ready(site: &TestSite) -> Server {
    let (server, _) = start(site, &[]);
    let port = server.port;
    wait_until(|| {
        Client::connect(port)
            .ok()
            .and_then(|mut c| c.get("/search/meta.json").ok())
            .is_some_and(|(status, _)| status == 200)
    });
    server
}

#[test]
fn a_hundred_clients_for_ten_seconds_get_every_answer_right() {
    const CLIENTS: usize = 100;
    const DURATION: Duration = Duration::from_secs(10);
    let site = TestSite::fixture("basic");
    let server = start_ready(&site);
    let port = server.port;
    let targets = [
        "/",
        "/plans/honghu/",
        "/stories/",
        "/style.css",
        "/search/meta.json",
        "/search/docs/0/0.json",
        "/search/shards/0.json",
        "/galleries/spring/01.png",
        "/no/such/page/",
    ];
    // What each answer must be, asked once before the load.
    let mut expected = HashMap::new();
    let mut client = Client::connect(port).unwrap();
    for target in targets {
        let (status, body) = client.get(target).unwrap();
        let wanted = if target == "/no/such/page/" { 404 } else { 200 };
        assert_eq!(status, wanted, "{target}");
        assert!(!body.is_empty(), "{target}");
        expected.insert(target, (status, body));
    }
    let expected = Arc::new(expected);
    let failures = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let threads: Vec<_> = (0..CLIENTS)
        .map(|number| {
            let (expected, failures) = (Arc::clone(&expected), Arc::clone(&failures));
            std::thread::spawn(move || {
                let mut answered = 0;
                let mut client = match Client::connect(port) {
                    Ok(client) => client,
                    Err(e) => {
                        failures.lock().unwrap().push(format!("connect: {e}"));
                        return answered;
                    }
                };
                let mut turn = number;
                while started.elapsed() < DURATION {
                    let target = targets[turn % targets.len()];
                    turn += 1;
                    let failure = match client.get(target) {
                        Ok(answer) if answer == expected[target] => {
                            answered += 1;
                            continue;
                        }
                        Ok((status, body)) => format!(
                            "{target}: {status} with {} bytes, expected {} with {}",
                            body.len(),
                            expected[target].0,
                            expected[target].1.len()
                        ),
                        Err(e) => e,
                    };
                    failures.lock().unwrap().push(failure);
                    break;
                }
                answered
            })
        })
        .collect();
    let answered: Vec<usize> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let seconds = started.elapsed().as_secs_f64();
    let served: usize = answered.iter().sum();
    let failures = failures.lock().unwrap();
    // The figure for the README; `cargo test --test serve_attack -- --nocapture` shows it.
    println!(
        "{CLIENTS} clients, {seconds:.1} s: {served} requests, {:.0} requests/s, {} failures",
        served as f64 / seconds,
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures, the first: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert!(
        answered.iter().all(|&n| n > 0),
        "every client was answered: {answered:?}"
    );
}

/// Opens a fresh connection and checks that the home page comes whole, as `expected`.
fn home_page_comes(port: u16, expected: &(u16, Vec<u8>)) {
    let answer = Client::connect(port)
        .map_err(|e| e.to_string())
        .and_then(|mut client| client.get("/"));
    match answer {
        Ok(answer) => assert!(answer == *expected, "the home page changed: {}", answer.0),
        Err(e) => panic!("no home page for a new client: {e}"),
    }
}

fn home_page(port: u16) -> (u16, Vec<u8>) {
    let answer = Client::connect(port).unwrap().get("/").unwrap();
    assert_eq!(answer.0, 200);
    answer
}

#[test]
fn bursts_idle_and_half_sent_connections_do_not_block_a_new_client() {
    const IDLE: usize = 200;
    let site = TestSite::fixture("basic");
    let (server, _) = start(&site, &[]);
    let port = server.port;
    let expected = home_page(port);
    // Connections that arrive together, as a browser's do, are all answered.
    let mut burst: Vec<Client> = (0..16).map(|_| Client::connect(port).unwrap()).collect();
    for client in &mut burst {
        assert!(
            client.get("/").unwrap() == expected,
            "a connection of the burst"
        );
    }
    let mut held = Vec::new();
    for number in 0..IDLE {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        match number % 3 {
            0 => {}
            1 => stream.write_all(b"GET /plans/hong").unwrap(),
            _ => stream
                .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                .unwrap(),
        }
        held.push(stream);
    }
    home_page_comes(port, &expected);
    // The held connections were not answered nor closed: they were still waiting.
    for stream in &held {
        stream.set_nonblocking(true).unwrap();
        let mut byte = [0];
        let read = (&*stream).read(&mut byte);
        assert!(
            matches!(&read, Err(e) if e.kind() == ErrorKind::WouldBlock),
            "{read:?}"
        );
    }
}

#[test]
fn clients_that_stop_reading_or_never_send_their_body_hold_up_only_themselves() {
    const EACH: usize = 8;
    let site = TestSite::fixture("basic");
    let (server, _) = start(&site, &[]);
    let port = server.port;
    let expected = home_page(port);
    let mut held = Vec::new();
    for _ in 0..EACH {
        // A body is announced and never sent.
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000\r\n\r\n")
            .unwrap();
        held.push(stream);
        // Thousands of requests sent at once, and no answer read: the answers fill the
        // socket's buffers and the server's writes wait.
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let burst = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(3000);
        stream.write_all(&burst).unwrap();
        held.push(stream);
    }
    home_page_comes(port, &expected);
    drop(held);
    home_page_comes(port, &expected);
}

#[cfg(unix)]
#[test]
fn running_out_of_file_descriptors_does_not_stop_the_server() {
    let site = TestSite::fixture("basic");
    let server = start_with_file_limit(&site, 64);
    let port = server.port;
    let expected = home_page(port);
    // More connections than the process may hold: accepting fails until some close.
    let held: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    drop(held);
    home_page_comes(port, &expected);
}

/// Traversal and malformed requests, one per line: the expected status, then the raw bytes.
/// `{port}` is the server's port, `{N*text}` is `text` N times, and `{eof}` at the end
/// closes the sending side. Statuses: 400 for what cannot be read or could leave the site,
/// 404 for a well-formed path that is not in the site, 405 for methods other than GET and
/// HEAD, 414 for a request line over 16 KiB, 431 for headers over 16 KiB, 505 for HTTP
/// versions other than 1.0 and 1.1. A request that announces a body gets 400 and the
/// connection is closed unread.
const CORPUS: &[(u16, &[u8])] = &[
    (400, b"GET /../secret.txt HTTP/1.1\r\n\r\n"),
    (400, b"GET /%2e%2e/secret.txt HTTP/1.1\r\n\r\n"),
    (400, b"GET /%2E%2E/secret.txt HTTP/1.1\r\n\r\n"),
    (400, b"GET /.%2e/secret.txt HTTP/1.1\r\n\r\n"),
    (400, b"GET /%2e%2e%2fsecret.txt HTTP/1.1\r\n\r\n"),
    (400, b"GET /..%2fsecret.txt HTTP/1.1\r\n\r\n"),
    (400, b"GET /..%2Fsite%2Fsecret.txt HTTP/1.1\r\n\r\n"),
    (400, b"GET /..%5csecret.txt HTTP/1.1\r\n\r\n"),
    (400, b"GET /%2e%2e%5c%2e%2e%5csecret.txt HTTP/1.1\r\n\r\n"),
    (400, b"GET /..\\secret.txt HTTP/1.1\r\n\r\n"),
    (400, b"GET /static/../../secret.txt HTTP/1.1\r\n\r\n"),
    (400, b"GET /__herald/../../secret.txt HTTP/1.1\r\n\r\n"),
    (400, b"GET /%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n\r\n"),
    (404, b"GET /%252e%252e/secret.txt HTTP/1.1\r\n\r\n"),
    (404, b"GET /%252e%252e%252fsecret.txt HTTP/1.1\r\n\r\n"),
    (400, b"GET /%c0%ae%c0%ae/secret.txt HTTP/1.1\r\n\r\n"),
    (400, b"GET /..%c0%afsecret.txt HTTP/1.1\r\n\r\n"),
    (404, b"GET /secret.txt HTTP/1.1\r\n\r\n"),
    (404, b"GET /site.yaml HTTP/1.1\r\n\r\n"),
    (404, b"GET /content/plans/honghu.md HTTP/1.1\r\n\r\n"),
    (404, b"GET /style.css/ HTTP/1.1\r\n\r\n"),
    (400, b"GET //secret.txt HTTP/1.1\r\n\r\n"),
    (400, b"GET /C:/Windows/win.ini HTTP/1.1\r\n\r\n"),
    (400, b"GET /a%00b HTTP/1.1\r\n\r\n"),
    (400, b"GET /style.css%00.html HTTP/1.1\r\n\r\n"),
    (400, b"GET /a\0b HTTP/1.1\r\n\r\n"),
    (400, b"GET / HTTP/1.1\r\nX-Nul: a\0b\r\n\r\n"),
    (400, b"GET /%zz HTTP/1.1\r\n\r\n"),
    (400, b"GET /% HTTP/1.1\r\n\r\n"),
    (400, b"GET /plans/honghu#\rLocation: http://evil/ HTTP/1.1\r\n\r\n"),
    (400, b"GET /plans/honghu\nX: y HTTP/1.1\r\n\r\n"),
    (400, b"GET /plans/honghu%0d%0aSet-Cookie:%20x=1 HTTP/1.1\r\n\r\n"),
    (414, b"GET /{100000*a} HTTP/1.1\r\n\r\n"),
    (431, b"GET / HTTP/1.1\r\nX-Big: {1048576*a}\r\n\r\n"),
    (431, b"GET / HTTP/1.1\r\n{2000*X-Many: 12345678\r\n}\r\n"),
    (400, b"GET http://evil/ HTTP/1.1\r\n\r\n"),
    (400, b"GET http://127.0.0.1:{port}/../../etc/passwd HTTP/1.1\r\n\r\n"),
    (400, b"GET * HTTP/1.1\r\n\r\n"),
    (400, b"GET /\xff\xfe HTTP/1.1\r\n\r\n"),
    (400, b"GET /\xe5\xad\xa6 HTTP/1.1\r\n\r\n"),
    (400, b"GET / HTTP/1.1\r\nX-Name: \xc3\x28\r\n\r\n"),
    (400, b"G\xc3\x89T / HTTP/1.1\r\n\r\n"),
    (400, b"GET /\r\n\r\n"),
    (400, b"GET\r\n\r\n"),
    (400, b"\r\n\r\n"),
    (400, b"GET  / HTTP/1.1\r\n\r\n"),
    (400, b"GET / HTTP/1.1 extra\r\n\r\n"),
    (400, b"GET / FTP/1.1\r\n\r\n"),
    (505, b"GET / HTTP/2.0\r\n\r\n"),
    (505, b"GET / HTTP/0.9\r\n\r\n"),
    (505, b"GET / HTTP/9.9\r\n\r\n"),
    (400, b"GET / HTTP/1.1\r\nNoColon\r\n\r\n"),
    (400, b"GET / HTTP/1.1\r\n Folded: x\r\n\r\n"),
    (400, b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n"),
    (400, b"GET / HTTP/1.1\r\nHost: x{eof}"),
    (405, b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"),
    (405, b"PUT /secret.txt HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"),
    (405, b"DELETE /index.html HTTP/1.1\r\n\r\n"),
    (405, b"TRACE / HTTP/1.1\r\n\r\n"),
    (405, b"OPTIONS * HTTP/1.1\r\n\r\n"),
    (405, b"CONNECT 127.0.0.1:22 HTTP/1.1\r\n\r\n"),
    (405, b"CONNECT evil:443 HTTP/1.1\r\nHost: evil:443\r\n\r\n"),
    (405, b"BREW /pot HTTP/1.1\r\n\r\n"),
    (405, b"get / HTTP/1.1\r\n\r\n"),
    (400, b"G(T / HTTP/1.1\r\n\r\n"),
    (400, b"GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"),
    (400, b"GET / HTTP/1.1\r\nContent-Length: 0\r\nContent-Length: 42\r\n\r\nGET /../secret.txt HTTP/1.1\r\n\r\n"),
    (400, b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    (400, b"GET / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    (400, b"GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"),
    (400, b"GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
    (400, b"GET / HTTP/1.1\r\nContent-Length: 1099511627776\r\n\r\n"),
    (400, b"GET / HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\n"),
    (400, b"GET / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n"),
    (400, b"HEAD /../secret.txt HTTP/1.1\r\n\r\n"),
];

/// Expands the corpus notation (see [`CORPUS`]); `true` when the sending side is to close.
fn expand(raw: &[u8], port: u16) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let mut rest = raw;
    let mut eof = false;
    while let Some(open) = rest.iter().position(|&b| b == b'{') {
        out.extend_from_slice(&rest[..open]);
        let close = open + rest[open..].iter().position(|&b| b == b'}').unwrap();
        let inside = std::str::from_utf8(&rest[open + 1..close]).unwrap();
        if inside == "port" {
            out.extend_from_slice(port.to_string().as_bytes());
        } else if inside == "eof" {
            eof = true;
        } else {
            let (count, text) = inside.split_once('*').unwrap();
            out.extend_from_slice(&text.as_bytes().repeat(count.parse().unwrap()));
        }
        rest = &rest[close + 1..];
    }
    out.extend_from_slice(rest);
    (out, eof)
}

/// Sends raw bytes (from a thread, so that an early answer is read while the rest is still
/// being sent) and reads until the server closes or, once an answer has come, falls quiet.
/// The first answer's status, or `None` for a connection closed without one, and every
/// byte received.
fn exchange(port: u16, raw: &[u8], eof: bool) -> (Option<u16>, Vec<u8>) {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut received = Vec::new();
    std::thread::scope(|scope| {
        let sender = stream.try_clone().unwrap();
        scope.spawn(move || {
            let mut sender = sender;
            // The server may close before all is sent; what it answered is what counts.
            let _ = sender.write_all(raw);
            if eof {
                let _ = sender.shutdown(std::net::Shutdown::Write);
            }
        });
        let mut chunk = [0; 16 * 1024];
        loop {
            match (&stream).read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => received.extend_from_slice(&chunk[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    assert!(
                        split_response(&received).is_some(),
                        "no answer and no close within {PATIENCE:?}"
                    );
                    break;
                }
                Err(_) => break,
            }
            if split_response(&received).is_some() {
                stream
                    .set_read_timeout(Some(Duration::from_millis(300)))
                    .unwrap();
            }
        }
        // Unblock the sender should the server have stopped reading.
        let _ = stream.shutdown(std::net::Shutdown::Both);
    });
    (
        split_response(&received).map(|(status, _, _)| status),
        received,
    )
}

#[test]
fn hostile_and_malformed_requests_are_refused_and_the_server_stands() {
    const SECRETS: [&str; 2] = ["SECRET-BESIDE-THE-SITE-5d1c", "SECRET-IN-THE-ROOT-a93e"];
    let site = TestSite::fixture_in_folder("basic");
    std::fs::write(site.outside("secret.txt"), SECRETS[0]).unwrap();
    std::fs::write(site.path("secret.txt"), SECRETS[1]).unwrap();
    let (mut server, _) = start(&site, &[]);
    let port = server.port;
    let expected = home_page(port);
    let outcomes: Vec<(usize, Option<u16>, Vec<u8>)> = std::thread::scope(|scope| {
        let threads: Vec<_> = CORPUS
            .iter()
            .enumerate()
            .map(|(line, (_, raw))| {
                scope.spawn(move || {
                    let (raw, eof) = expand(raw, port);
                    let (status, received) = exchange(port, &raw, eof);
                    (line, status, received)
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let mut wrong = Vec::new();
    for (line, status, received) in &outcomes {
        let (wanted, raw) = CORPUS[*line];
        let shown = String::from_utf8_lossy(&raw[..raw.len().min(80)]).into_owned();
        let text = String::from_utf8_lossy(received);
        for secret in SECRETS {
            assert!(
                !text.contains(secret),
                "{shown:?} leaked a file outside the site"
            );
        }
        if *status != Some(wanted) {
            wrong.push(format!("{shown:?}: {status:?}, expected {wanted}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    println!("{} hostile requests refused as expected", CORPUS.len());
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server stopped"
    );
    home_page_comes(port, &expected);
}
