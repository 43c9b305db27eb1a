//! The head of a request (its line and headers), read with a bound on its
//! size and on the time it may take. No body is ever read: `serve` answers
//! `GET` and `HEAD`, and a request that announces a body is answered and
//! its connection closed.

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use tiny_http::{HTTPVersion, Header, Method};

/// The request line and headers together, at most, as the servers most
/// clients meet allow (nginx 8 KiB a line, Node.js 16 KiB in all).
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// Headers in one request; a browser sends about twenty.
const MAX_HEADERS: usize = 100;
/// Bytes asked of the socket at a time.
const CHUNK: usize = 4096;

/// A request's line and headers.
pub(crate) struct Head {
    pub(crate) method: Method,
    pub(crate) target: String,
    pub(crate) version: HTTPVersion,
    pub(crate) headers: Vec<Header>,
    /// Whether a body follows, which is never read.
    pub(crate) has_body: bool,
}

impl Head {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// Whether another request may follow on the connection: HTTP/1.1
    /// keeps it unless told to close, and a body left unread would be
    /// taken for the next request. HTTP/1.0 closes: keeping it would take
    /// a `Connection: keep-alive` in the answer, a header tiny_http does
    /// not let an answer set.
    pub(crate) fn keeps_alive(&self) -> bool {
        let connection = self.header("Connection").unwrap_or_default();
        let says = |word: &str| {
            connection
                .split(',')
                .any(|token| token.trim().eq_ignore_ascii_case(word))
        };
        self.version >= HTTPVersion(1, 1) && !self.has_body && !says("close") && !says("upgrade")
    }
}

/// Why a head was refused; the answer has this status and the connection
/// is closed, since where the next request starts is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Longer than `MAX_HEAD`, or more than `MAX_HEADERS` headers.
    TooLarge,
    Malformed,
    /// Not HTTP/1.x.
    Version,
    /// Begun but not finished within the time allowed.
    TooSlow,
}

impl Refusal {
    pub(crate) fn status(self) -> u16 {
        match self {
            Refusal::TooLarge => 431,
            Refusal::Malformed => 400,
            Refusal::Version => 505,
            Refusal::TooSlow => 408,
        }
    }

    pub(crate) fn text(self) -> &'static str {
        match self {
            Refusal::TooLarge => {
                "practica serve takes request lines and headers of at most 16 KiB\n"
            }
            Refusal::Malformed => "practica serve could not read this request\n",
            Refusal::Version => "practica serve speaks HTTP/1.0 and HTTP/1.1\n",
            Refusal::TooSlow => "the request took too long to arrive\n",
        }
    }
}

/// What came next on a connection.
pub(crate) enum Incoming {
    Request(Head),
    /// Closed, failed, or silent for the whole time allowed.
    Closed,
    Refused(Refusal),
}

/// Reads the heads of one connection's requests in turn.
#[derive(Default)]
pub(crate) struct HeadReader {
    /// Bytes read and not yet part of a head: the start of the next
    /// request when a client sends several without waiting.
    buffer: Vec<u8>,
}

impl HeadReader {
    /// The next request's head, which must arrive whole within `patience`
    /// and `MAX_HEAD` bytes; no byte past that is read.
    pub(crate) fn next(&mut self, stream: &mut TcpStream, patience: Duration) -> Incoming {
        let deadline = Instant::now() + patience;
        let mut new_line = !self.buffer.is_empty();
        loop {
            // Parsing again only when a line ended keeps a head sent a
            // byte at a time from costing its length squared.
            if new_line {
                match parse(&self.buffer) {
                    Ok(Some((head, used))) => {
                        self.buffer.drain(..used);
                        return Incoming::Request(head);
                    }
                    Ok(None) => {}
                    Err(refusal) => return Incoming::Refused(refusal),
                }
            }
            if self.buffer.len() >= MAX_HEAD {
                return Incoming::Refused(Refusal::TooLarge);
            }
            let read = match self.read_some(stream, deadline) {
                Ok(0) => return Incoming::Closed,
                Ok(read) => read,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) if is_timeout(&e) && !self.buffer.is_empty() => {
                    return Incoming::Refused(Refusal::TooSlow);
                }
                Err(_) => return Incoming::Closed,
            };
            let end = self.buffer.len();
            new_line = self.buffer[end - read..].contains(&b'\n');
        }
    }

    /// Appends what the socket has, up to `MAX_HEAD` bytes in all,
    /// waiting until `deadline` at most.
    fn read_some(&mut self, stream: &mut TcpStream, deadline: Instant) -> std::io::Result<usize> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        stream.set_read_timeout(Some(left))?;
        let mut chunk = [0; CHUNK];
        let room = CHUNK.min(MAX_HEAD - self.buffer.len());
        let read = stream.read(&mut chunk[..room])?;
        self.buffer.extend_from_slice(&chunk[..read]);
        Ok(read)
    }
}

fn is_timeout(error: &std::io::Error) -> bool {
    matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

/// A whole head at the start of `bytes`, with its length; `None` while it
/// is not complete.
fn parse(bytes: &[u8]) -> Result<Option<(Head, usize)>, Refusal> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    let used = match request.parse(bytes) {
        Ok(httparse::Status::Complete(used)) => used,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(Refusal::TooLarge),
        Err(httparse::Error::Version) => return Err(Refusal::Version),
        Err(_) => return Err(Refusal::Malformed),
    };
    let (Some(method), Some(target), Some(minor)) = (request.method, request.path, request.version)
    else {
        return Err(Refusal::Malformed);
    };
    // Header values are ASCII in practice; tiny_http, which writes the
    // answer, refused others too.
    let headers = request
        .headers
        .iter()
        .map(|h| Header::from_bytes(h.name.as_bytes(), h.value))
        .collect::<Result<Vec<_>, ()>>()
        .map_err(|()| Refusal::Malformed)?;
    let head = Head {
        method: method.parse().map_err(|()| Refusal::Malformed)?,
        target: target.to_string(),
        version: HTTPVersion(1, minor),
        has_body: has_body(&headers)?,
        headers,
    };
    Ok(Some((head, used)))
}

/// Whether the headers announce a body; lengths that disagree or are not
/// numbers make the request unreadable.
fn has_body(headers: &[Header]) -> Result<bool, Refusal> {
    if headers.iter().any(|h| h.field.equiv("Transfer-Encoding")) {
        return Ok(true);
    }
    let mut length = None;
    for header in headers.iter().filter(|h| h.field.equiv("Content-Length")) {
        let value: u64 = header
            .value
            .as_str()
            .trim()
            .parse()
            .map_err(|_| Refusal::Malformed)?;
        if length.is_some_and(|l| l != value) {
            return Err(Refusal::Malformed);
        }
        length = Some(value);
    }
    Ok(length.is_some_and(|l| l > 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Result<Option<Head>, Refusal> {
        parse(text.as_bytes()).map(|parsed| parsed.map(|(head, _)| head))
    }

    #[test]
    fn a_browser_request_is_read_whole() {
        let text =
            "GET /a%20b/?q=1 HTTP/1.1\r\nHost: localhost:1111\r\nAccept: */*\r\n\r\nGET /next";
        let (head, used) = parse(text.as_bytes()).unwrap().unwrap();
        assert_eq!(used, text.len() - "GET /next".len());
        assert_eq!(head.method, Method::Get);
        assert_eq!(head.target, "/a%20b/?q=1");
        assert_eq!(head.header("host"), Some("localhost:1111"));
        assert!(!head.has_body);
        assert!(head.keeps_alive());
    }

    #[test]
    fn a_head_not_yet_complete_is_waited_for() {
        assert!(
            head("GET / HTTP/1.1\r\nHost: localhost\r\n")
                .unwrap()
                .is_none()
        );
        assert!(head("").unwrap().is_none());
    }

    #[test]
    fn connections_close_when_asked_or_when_a_body_would_be_left() {
        let keeps = |text: &str| head(text).unwrap().unwrap().keeps_alive();
        assert!(!keeps("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n"));
        assert!(!keeps("GET / HTTP/1.0\r\n\r\n"));
        assert!(!keeps("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        assert!(!keeps("GET / HTTP/1.1\r\nConnection: Upgrade\r\n\r\n"));
        assert!(!keeps("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n"));
        assert!(!keeps(
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        ));
        assert!(keeps("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n"));
    }

    #[test]
    fn bad_heads_are_refused_with_their_reason() {
        let refused = |text: &str| head(text).err();
        assert_eq!(refused("GET / HTTP/2.0\r\n\r\n"), Some(Refusal::Version));
        assert_eq!(refused("GET  HTTP/1.1\r\n\r\n"), Some(Refusal::Malformed));
        assert_eq!(
            refused("GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"),
            Some(Refusal::Malformed)
        );
        assert_eq!(
            refused("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"),
            Some(Refusal::Malformed)
        );
        let many: String = (0..=MAX_HEADERS).map(|n| format!("X-{n}: y\r\n")).collect();
        assert_eq!(
            refused(&format!("GET / HTTP/1.1\r\n{many}\r\n")),
            Some(Refusal::TooLarge)
        );
    }
}
