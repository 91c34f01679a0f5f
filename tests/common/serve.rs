//! The real `herald serve` started on a free port, and raw HTTP to talk to it, so that the
//! tests see exactly what the server sends.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::TestSite;

/// A running preview server, stopped when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `herald serve` on the site and waits until it accepts connections; also gives
/// the first line it printed.
pub fn start(site: &TestSite, extra: &[&str]) -> (Server, String) {
    launch(Command::new(env!("CARGO_BIN_EXE_herald")), site, extra)
}

/// Starts `herald serve` allowed only `limit` open file descriptors.
#[cfg(unix)]
pub fn start_with_file_limit(site: &TestSite, limit: usize) -> Server {
    let mut shell = Command::new("sh");
    shell
        .arg("-c")
        .arg(format!("ulimit -n {limit} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_herald"));
    launch(shell, site, &[]).0
}

fn launch(mut command: Command, site: &TestSite, extra: &[&str]) -> (Server, String) {
    let port = free_port();
    let mut child = command
        .arg("--root")
        .arg(site.root())
        .args(["--lang", "en", "serve", "--port", &port.to_string()])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut first_line).unwrap();
    // Keep reading what the server prints, as a terminal would.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let server = Server { child, port };
    wait_until(|| TcpStream::connect(("127.0.0.1", port)).is_ok());
    (server, first_line)
}

pub fn wait_until(mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(started.elapsed() < Duration::from_secs(10), "timed out");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Splits a response into its status, its head and its body.
pub fn split_response(response: &[u8]) -> Option<(u16, String, &[u8])> {
    let split = response.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, head, &response[split + 4..]))
}

/// A raw HTTP/1.0 GET.
pub fn request(port: u16, target: &str, headers: &[&str]) -> (u16, String, Vec<u8>) {
    request_method(port, "GET", target, headers)
}

/// A raw HTTP/1.0 request, read to the end.
pub fn request_method(
    port: u16,
    method: &str,
    target: &str,
    headers: &[&str],
) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut text = format!("{method} {target} HTTP/1.0\r\nHost: 127.0.0.1\r\n");
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    text.push_str("\r\n");
    stream.write_all(text.as_bytes()).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let (status, head, body) = split_response(&response).unwrap_or_else(|| {
        panic!(
            "not a full response to {target}: {:?}",
            String::from_utf8_lossy(&response)
        )
    });
    (status, head, body.to_vec())
}

pub fn get_text(port: u16, target: &str) -> (u16, String) {
    let (status, _, body) = request(port, target, &[]);
    (status, String::from_utf8_lossy(&body).into_owned())
}
