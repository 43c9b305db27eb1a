//! Answers requests from the site in memory: for its own hosts only, safe
//! paths only, the right content types, the site's own 404 page, and the
//! live-reload stream (one writer thread and a short queue per browser).
//! Requests come from `accept`, already read and bounded.

use std::io::{BufWriter, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use tiny_http::{HTTPVersion, Header, Method, Response, StatusCode};

use super::head::Head;
use super::live::{Bytes, Published};

/// Where the browser listens for reload events.
pub(crate) const EVENTS_PATH: &str = "/__practica/events";

/// The script added to HTML pages in `serve`, never to `build` output.
const RELOAD_SCRIPT: &str = include_str!("reload.js");

/// A request path as a key of the site's files, or `None` when it tries to
/// leave the site. Percent-escapes are decoded once, so an escaped `%2e%2e`
/// stays literal text and matches nothing.
pub(crate) fn site_path(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let path = path.strip_prefix('/')?;
    let decoded = crate::stages::link::percent_decode(path);
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            part if part.contains(':') => return None,
            part => parts.push(part),
        }
    }
    let mut key = parts.join("/");
    if decoded.is_empty() || decoded.ends_with('/') {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

pub(crate) fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        // RFC 9512; Decap CMS looks for it on its config.yml.
        "yml" | "yaml" => "application/yaml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

pub(crate) type Reply = Response<std::io::Cursor<Vec<u8>>>;

/// What a request is answered with.
pub(crate) enum Answer {
    Reply(Reply),
    /// The live-reload stream, starting with this event.
    Events(String),
}

/// Adds a header. tiny_http refuses values that are not ASCII; only a
/// redirect's `Location` (built from the request) can be one, and then the
/// redirect goes without it rather than with a made-up header.
fn with_header(response: Reply, name: &str, value: &str) -> Reply {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(header) => response.with_header(header),
        Err(()) => response,
    }
}

/// HTML with the reload script before `</body>`.
fn with_reload_script(html: &[u8]) -> Vec<u8> {
    let script = format!("<script>{RELOAD_SCRIPT}</script>\n");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The line a static page holds to be served as it is, without the
/// reload script: an app that reloading would interrupt (the web editor
/// of `practica cms`, which saves into the files `serve` watches).
pub(crate) const NO_RELOAD: &str = r#"<meta name="practica-live-reload" content="off">"#;

fn reloads(html: &[u8]) -> bool {
    memchr::memmem::find(html, NO_RELOAD.as_bytes()).is_none()
}

fn file_response(status: u16, path: &str, bytes: &Bytes) -> Reply {
    let kind = content_type(path);
    let body = if kind.starts_with("text/html") && reloads(bytes) {
        with_reload_script(bytes)
    } else {
        bytes.to_vec()
    };
    let response = Response::from_data(body).with_status_code(StatusCode(status));
    let response = with_header(response, "Content-Type", kind);
    with_header(response, "Cache-Control", "no-store")
}

pub(crate) fn plain(status: u16, text: &str) -> Reply {
    let response = Response::from_string(text).with_status_code(StatusCode(status));
    with_header(response, "Content-Type", "text/plain; charset=utf-8")
}

/// Whether a request's `Host` names this server: `localhost` (or a name
/// under `.localhost`) or an address written as numbers, with the port it
/// listens on. Any other name is a page elsewhere that had its name point
/// here (DNS rebinding), and must not read the preview.
pub(crate) fn is_own_host(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else {
        // HTTP/1.0 without Host: a local tool, not a browser.
        return true;
    };
    let (name, given_port) = match host.rsplit_once(':') {
        Some((name, port)) if !name.ends_with(':') && !port.contains(']') => (name, Some(port)),
        _ => (host, None),
    };
    let port_matches = given_port.is_none_or(|p| p.parse() == Ok(port));
    let name = name.to_ascii_lowercase();
    let numeric = name.parse::<std::net::Ipv4Addr>().is_ok()
        || name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .is_some_and(|n| n.parse::<std::net::Ipv6Addr>().is_ok());
    port_matches && (numeric || name == "localhost" || name.ends_with(".localhost"))
}

/// Writes `reply` to the request `head` (`None` when the head could not be
/// read). tiny_http sets no `Connection` header: a connection that ends
/// after the answer is simply closed.
pub(crate) fn send(
    stream: &mut TcpStream,
    reply: Reply,
    head: Option<&Head>,
) -> std::io::Result<()> {
    let version = head.map_or(HTTPVersion(1, 1), |h| h.version.clone());
    let headers = head.map_or(&[][..], |h| &h.headers);
    let head_only = head.is_some_and(|h| h.method == Method::Head);
    let mut out = BufWriter::new(stream);
    reply.raw_print(&mut out, version, headers, head_only, None)?;
    out.flush()
}

/// The answer to one request; `port` is the one the server listens on.
pub(crate) fn respond(head: &Head, site: &Published, clients: &EventClients, port: u16) -> Answer {
    if !is_own_host(head.header("Host"), port) {
        let text = format!(
            "practica serve answers only for localhost and numeric addresses: open http://localhost:{port}/\n"
        );
        return Answer::Reply(plain(421, &text));
    }
    if !matches!(head.method, Method::Get | Method::Head) {
        return Answer::Reply(with_header(
            plain(405, "practica serve answers GET and HEAD only\n"),
            "Allow",
            "GET, HEAD",
        ));
    }
    if head.has_body {
        return Answer::Reply(plain(413, "practica serve takes no request bodies\n"));
    }
    let url = head.target.as_str();
    if url.split('?').next() == Some(EVENTS_PATH) {
        return clients.join(site);
    }
    Answer::Reply(match site_path(url) {
        Some(key) => match site.file(&key) {
            Some(bytes) => file_response(200, &key, &bytes),
            None if site.file(&format!("{key}/index.html")).is_some() => {
                // From the cleaned path, never the raw one: `//x/` would be another host.
                let query = url.split_once('?').map(|(_, q)| q);
                let location = match query {
                    Some(query) => format!("/{key}/?{query}"),
                    None => format!("/{key}/"),
                };
                with_header(plain(301, "moved\n"), "Location", &location)
            }
            None => not_found(site),
        },
        None => not_found(site),
    })
}

fn not_found(site: &Published) -> Reply {
    match site.file(crate::stages::render::NOT_FOUND) {
        Some(bytes) => file_response(404, crate::stages::render::NOT_FOUND, &bytes),
        None if site.failed() => not_built_yet(site),
        None => plain(404, "not found\n"),
    }
}

/// While no build has succeeded there is no site to show: a page with the
/// problems instead, which reloads itself once they are fixed.
fn not_built_yet(site: &Published) -> Reply {
    let problems: String = site
        .problems()
        .iter()
        .map(|d| {
            format!(
                "<pre>{}</pre>\n",
                crate::support::markdown::escape(&d.to_string())
            )
        })
        .collect();
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><meta charset=\"utf-8\"><title>practica: not built yet</title>\n<body>\n<h1>The site could not be built yet</h1>\n{problems}</body></html>\n"
    );
    file_response(503, "index.html", &std::sync::Arc::new(html.into_bytes()))
}

/// Browsers listening for reloads. Each has its own thread writing its
/// connection's raw stream (tiny_http sends a streaming `Response` only
/// when it ends, so the stream is written by hand, one flush per event),
/// fed through a short queue: a browser that stops reading fills its queue
/// and is dropped, and never holds up the watcher or the other browsers.
#[derive(Default)]
pub(crate) struct EventClients {
    queues: Mutex<Vec<SyncSender<Arc<str>>>>,
    /// Writer threads still running, stuck ones included: a connection
    /// that stops reading holds its thread until the system gives up on it.
    writers: Arc<AtomicUsize>,
}

/// Events a browser may fall behind by before it is dropped; it reconnects
/// (`retry: 500`) and is told the state then.
const QUEUE: usize = 16;
/// Event streams at once, stuck ones included; more are refused.
const MAX_STREAMS: usize = 64;

impl EventClients {
    /// A new stream's answer: its first event, or a refusal when there
    /// are too many; `join_writer` then starts it.
    fn join(&self, site: &Published) -> Answer {
        if self.writers.load(Ordering::SeqCst) >= MAX_STREAMS {
            return Answer::Reply(plain(503, "too many live-reload streams\n"));
        }
        Answer::Events(event(site.state_event(), &site.problems_json()))
    }

    /// Starts a browser's stream on `writer` with the event `first`.
    pub(crate) fn join_writer(&self, mut writer: Box<dyn Write + Send>, first: String) {
        let (queue, events) = sync_channel::<Arc<str>>(QUEUE);
        let writers = Arc::clone(&self.writers);
        writers.fetch_add(1, Ordering::SeqCst);
        std::thread::spawn(move || {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n";
            let mut write = |text: &str| {
                writer
                    .write_all(text.as_bytes())
                    .and_then(|()| writer.flush())
            };
            if write(head).and_then(|()| write(&first)).is_ok() {
                while let Ok(text) = events.recv() {
                    if write(&text).is_err() {
                        break;
                    }
                }
            }
            writers.fetch_sub(1, Ordering::SeqCst);
        });
        if let Ok(mut queues) = self.queues.lock() {
            queues.push(queue);
        }
    }

    /// Sends one event to every browser, dropping those that went away or
    /// fell behind.
    pub(crate) fn send(&self, name: &str, data: &str) {
        self.queue_all(event(name, data).into());
    }

    /// A comment line, which browsers ignore, to find closed connections.
    pub(crate) fn ping(&self) {
        self.queue_all(": ping\n\n".into());
    }

    fn queue_all(&self, text: Arc<str>) {
        if let Ok(mut queues) = self.queues.lock() {
            queues.retain(|queue| queue.try_send(Arc::clone(&text)).is_ok());
        }
    }

    /// Browsers connected and keeping up.
    #[cfg(test)]
    pub(crate) fn count(&self) -> usize {
        self.queues.lock().map_or(0, |q| q.len())
    }
}

fn event(name: &str, data: &str) -> String {
    let mut text = format!("event: {name}\n");
    for line in data.lines() {
        text.push_str("data: ");
        text.push_str(line);
        text.push('\n');
    }
    if data.is_empty() {
        text.push_str("data:\n");
    }
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/practices/a/?x=1").as_deref(),
            Some("practices/a/index.html")
        );
        assert_eq!(site_path("/a%20b.png").as_deref(), Some("a b.png"));
        for bad in [
            "/../secret",
            "/practices/../../x",
            "/%2e%2e/secret",
            "/%2E%2E%2Fsecret",
            "/a/..%2f..%2fsecret",
            "/..\\secret",
            "/%5c..%5csecret",
            "relative",
            "/C:/windows",
            "/a%00b",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
        // Double encoding decodes once to literal text, which is no file.
        assert_eq!(site_path("/%252e%252e/x").as_deref(), Some("%2e%2e/x"));
    }

    #[test]
    fn own_hosts_are_localhost_and_numbers_on_our_port() {
        for host in [
            "localhost:1111",
            "LocalHost:1111",
            "docs.localhost:1111",
            "127.0.0.1:1111",
            "192.168.1.20:1111",
            "[::1]:1111",
            "[::1]",
            "localhost",
        ] {
            assert!(is_own_host(Some(host), 1111), "{host}");
        }
        for host in [
            "evil.example.com:1111",
            "localhost:2222",
            "localhost.evil.com:1111",
            "127.0.0.1.nip.io",
            "[::1]:2222",
            "",
        ] {
            assert!(!is_own_host(Some(host), 1111), "{host}");
        }
        assert!(is_own_host(None, 1111));
    }

    #[test]
    fn the_script_goes_before_the_body_ends() {
        let html = with_reload_script(b"<html><body><p>x</p></body></html>");
        let text = String::from_utf8(html).unwrap();
        assert!(text.contains("<p>x</p><script>"), "{text}");
        assert!(text.ends_with("</script>\n</body></html>"));
    }

    #[test]
    fn a_page_that_opts_out_is_served_without_the_script() {
        let page = format!("<html><head>{NO_RELOAD}</head><body>app</body></html>");
        let bytes = Bytes::from(page.clone().into_bytes());
        let mut served = Vec::new();
        file_response(200, "admin/index.html", &bytes)
            .raw_print(&mut served, tiny_http::HTTPVersion(1, 1), &[], false, None)
            .unwrap();
        let served = String::from_utf8(served).unwrap();
        assert!(served.ends_with(&page), "{served}");
        assert!(reloads(b"<html><body>page</body></html>"));
    }

    /// A writer that records what it is sent, or blocks for ever (a
    /// browser that stopped reading, whose socket buffer is full).
    struct Browser {
        seen: Arc<Mutex<Vec<u8>>>,
        stuck: bool,
    }

    impl Write for Browser {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if self.stuck {
                std::thread::park();
            }
            self.seen.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// One browser that stopped reading took 4 of 20 events from the others
    /// and held up the watcher; it is now dropped once it falls behind.
    #[test]
    fn a_browser_that_stops_reading_holds_up_no_one() {
        let clients = EventClients::default();
        let stuck = Browser {
            seen: Arc::default(),
            stuck: true,
        };
        let seen = Arc::new(Mutex::new(Vec::new()));
        let reading = Browser {
            seen: Arc::clone(&seen),
            stuck: false,
        };
        clients.join_writer(Box::new(stuck), event("ok", ""));
        clients.join_writer(Box::new(reading), event("ok", ""));
        let started = std::time::Instant::now();
        let has_read = |n: usize| {
            let mark = format!("[{n}]");
            let seen = seen.lock().unwrap();
            seen.windows(mark.len()).any(|w| w == mark.as_bytes())
        };
        for n in 0..200 {
            clients.send("errors", &format!("[{n}]"));
            // The reading browser keeps up, however busy the machine: it
            // has each event before the next is sent, and so never falls
            // a queue behind as the stuck one does.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            while !has_read(n) && std::time::Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(30));
        assert_eq!(clients.count(), 1, "the stuck browser is dropped");
        let text = String::from_utf8(seen.lock().unwrap().clone()).unwrap();
        assert_eq!(text.matches("event: errors").count(), 200, "{text}");
    }

    #[test]
    fn events_put_each_line_in_a_data_field() {
        assert_eq!(
            event("errors", "a\nb"),
            "event: errors\ndata: a\ndata: b\n\n"
        );
    }

    #[test]
    fn content_types_cover_the_web() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.SVG"), "image/svg+xml");
        assert_eq!(content_type("f.woff2"), "font/woff2");
        assert_eq!(content_type("feed.xml"), "application/xml");
        assert_eq!(content_type("admin/config.yml"), "application/yaml");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
