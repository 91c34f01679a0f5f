//! `herald serve` under load and under hostile clients: many clients at once, connections
//! held open idle or half-used, and a corpus of traversal and malformed requests sent as raw
//! bytes. The server must answer every good request, never serve a file from outside the
//! site, and keep standing.

mod common;

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::TestSite;
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
        "/search/docs/0.json",
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
fn idle_and_half_sent_connections_do_not_block_a_new_client() {
    const IDLE: usize = 200;
    let site = TestSite::fixture("basic");
    let (server, _) = start(&site, &[]);
    let port = server.port;
    let expected = home_page(port);
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
