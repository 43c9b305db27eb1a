//! A raw HTTP client for `serve`'s tests: requests written exactly as
//! given, and a browser's event stream.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

pub struct Reply {
    pub status: u16,
    pub headers: String,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }
}

/// One raw request, exactly as written: HTTP clients would tidy `..` away.
pub fn request(address: SocketAddr, method: &str, target: &str) -> Reply {
    let host = format!("localhost:{}", address.port());
    request_with(
        address,
        &format!("{method} {target} HTTP/1.1\r\nHost: {host}"),
    )
}

/// A request whose line and headers are `head`, exactly as written.
pub fn request_with(address: SocketAddr, head: &str) -> Reply {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(stream, "{head}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap();
    Reply {
        status,
        headers: head,
        body: raw[split + 4..].to_vec(),
    }
}

pub fn get(address: SocketAddr, target: &str) -> Reply {
    request(address, "GET", target)
}

/// A browser's event stream: each event's name and data, as they arrive.
pub fn listen(address: SocketAddr) -> mpsc::Receiver<(String, String)> {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET /__practica/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut name = String::new();
        let mut data = String::new();
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data:") {
                data.push_str(d.trim_start());
            } else if line.is_empty()
                && !name.is_empty()
                && sender
                    .send((std::mem::take(&mut name), std::mem::take(&mut data)))
                    .is_err()
            {
                return;
            }
        }
    });
    receiver
}

pub fn next_event(events: &mpsc::Receiver<(String, String)>) -> (String, String) {
    events
        .recv_timeout(Duration::from_secs(20))
        .expect("an event within 20 s")
}

pub fn next_event_or_none(events: &mpsc::Receiver<(String, String)>) -> Option<String> {
    events
        .recv_timeout(Duration::from_millis(400))
        .ok()
        .map(|e| e.0)
}
