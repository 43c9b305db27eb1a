//! `practica check --external`: web addresses fetched from a server of the
//! test's own on 127.0.0.1, which answers 200, 404, redirect loops, slow
//! answers, refused HEADs and "too many requests", and counts what it is
//! asked and how many requests it serves at once.

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Fixture, doc, member};
use practica::{BuildOptions, BuildReport, Diagnostic, Severity, Span};

/// What the server was asked, and how many requests it served at once.
#[derive(Default)]
struct Seen {
    /// By `METHOD /path`.
    requests: Mutex<HashMap<String, usize>>,
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Seen {
    fn count(&self, request: &str) -> usize {
        self.lock().get(request).copied().unwrap_or(0)
    }

    fn total(&self) -> usize {
        self.lock().values().sum()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, usize>> {
        self.requests.lock().unwrap()
    }
}

struct Server {
    base: String,
    seen: Arc<Seen>,
}

impl Server {
    /// Serves each connection on a thread of its own, one request each.
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let seen = Arc::new(Seen::default());
        let served = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = Arc::clone(&served);
                std::thread::spawn(move || answer(stream, &seen));
            }
        });
        Server { base, seen }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

fn answer(mut stream: TcpStream, seen: &Seen) {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut head = Vec::new();
    let mut byte = [0];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut words = head.split_whitespace();
    let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let request = format!("{method} {path}");
    let asked = {
        let mut requests = seen.lock();
        let count = requests.entry(request).or_default();
        *count += 1;
        *count
    };
    let now = seen.now.fetch_add(1, Ordering::SeqCst) + 1;
    seen.most.fetch_max(now, Ordering::SeqCst);
    let (status, location) = route(method, path, asked);
    seen.now.fetch_sub(1, Ordering::SeqCst);
    let mut reply = format!("HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: 2\r\n");
    if let Some(location) = location {
        reply.push_str(&format!("Location: {location}\r\n"));
    }
    if status.starts_with("429") {
        reply.push_str("Retry-After: 0\r\n");
    }
    reply.push_str("\r\n");
    if method != "HEAD" {
        reply.push_str("ok");
    }
    let _ = stream.write_all(reply.as_bytes());
}

/// The answer to the `asked`th request of `method path`.
fn route(method: &str, path: &str, asked: usize) -> (&'static str, Option<&'static str>) {
    match path {
        "/missing" => ("404 Not Found", None),
        "/gone" => ("410 Gone", None),
        "/loop-a" => ("301 Moved Permanently", Some("/loop-b")),
        "/loop-b" => ("301 Moved Permanently", Some("/loop-a")),
        "/moved" => ("301 Moved Permanently", Some("/ok")),
        "/lost" => ("302 Found", None),
        "/no-head" if method == "HEAD" => ("405 Method Not Allowed", None),
        "/busy" if asked == 1 => ("429 Too Many Requests", None),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(4));
            ("200 OK", None)
        }
        _ if path.starts_with("/pause/") => {
            std::thread::sleep(Duration::from_millis(150));
            ("200 OK", None)
        }
        _ => ("200 OK", None),
    }
}

/// A port on 127.0.0.1 where nothing listens, held (bound, never
/// listening) so no other test's server can take it meanwhile.
struct Refusing(socket2::Socket);

impl Refusing {
    fn new() -> Refusing {
        let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None);
        let socket = socket.unwrap();
        let any: std::net::SocketAddr = "127.0.0.1:0".parse().unwrap();
        socket.bind(&any.into()).unwrap();
        Refusing(socket)
    }

    fn url(&self) -> String {
        let port = self.0.local_addr().unwrap().as_socket().unwrap().port();
        format!("http://127.0.0.1:{port}/nobody")
    }
}

fn check(f: &Fixture, cache: Option<&Path>) -> BuildReport {
    practica::build(&BuildOptions {
        write: false,
        external: true,
        cache: cache.map(Path::to_path_buf),
        ..BuildOptions::new(f.root())
    })
}

/// The problems about external links, sorted.
fn external(report: &BuildReport) -> Vec<Diagnostic> {
    report
        .diagnostics
        .clone()
        .sorted()
        .into_iter()
        .filter(|d| d.message.starts_with("external link"))
        .collect()
}

fn config(settings: &str) -> String {
    format!("{}external_links:\n{settings}", common::MINIMAL_CONFIG)
}

#[test]
fn broken_links_are_reported_where_they_are_written_with_what_went_wrong() {
    let server = Server::start();
    let refusing = Refusing::new();
    let f = Fixture::with_config(&config("  timeout: 1\n  retries: 1\n"));
    let body = [
        format!("Fine: [ok]({}).", server.url("/ok")),
        format!("Gone: [missing]({}#part).", server.url("/missing")),
        format!("Round: [loop]({}).", server.url("/loop-a")),
        format!("Slow: [slow]({}).", server.url("/slow")),
        format!("No HEAD: [form]({}).", server.url("/no-head")),
        format!("Busy: [busy]({}).", server.url("/busy")),
        format!("Moved: [moved]({}).", server.url("/moved")),
        format!("Nobody: [refused]({}).", refusing.url()),
        format!("Gone too: ![picture]({}).", server.url("/gone")),
        format!("Lost: [lost]({}).", server.url("/lost")),
    ]
    .join("\n\n");
    f.write("practices/a.md", &doc("title: A", &body));
    let started = Instant::now();
    let report = check(&f, None);
    let took = started.elapsed();
    let found: Vec<(Span, String)> = external(&report)
        .iter()
        .map(|d| (d.span().unwrap(), d.message.clone()))
        .collect();
    let missing = server.url("/missing");
    let (loop_a, loop_b) = (server.url("/loop-a"), server.url("/loop-b"));
    let expected = vec![
        (
            Span::new(6, 7),
            format!("external link `{missing}#part` is broken: 404 Not Found"),
        ),
        (
            Span::new(8, 8),
            format!(
                "external link `{loop_a}` is broken: redirect loop: {loop_a} → {loop_b} → {loop_a}"
            ),
        ),
        (
            Span::new(10, 7),
            format!(
                "external link `{}` is broken: timed out after 1 s",
                server.url("/slow")
            ),
        ),
        (
            Span::new(18, 9),
            format!(
                "external link `{}` is broken: connection refused",
                refused_in(&body)
            ),
        ),
        (
            Span::new(20, 11),
            format!(
                "external link `{}` is broken: 410 Gone",
                server.url("/gone")
            ),
        ),
        (
            Span::new(22, 7),
            format!(
                "external link `{}` is broken: 302 Found without a `Location` to go to",
                server.url("/lost")
            ),
        ),
    ];
    assert_eq!(found, expected, "{:#?}", common::messages(&report));
    for d in external(&report) {
        assert_eq!(d.severity, Severity::Warning, "{d}");
        assert_eq!(d.path(), Some("practices/a.md"));
        let hint = d.hint.as_deref().unwrap_or_default();
        assert!(hint.contains("`external_links.skip`"), "{hint}");
    }
    assert_eq!(
        report.exit_code(),
        0,
        "broken external links are warnings by default"
    );
    // HEAD refused: GET tried and fine; 429 tried again and fine.
    assert_eq!(server.seen.count("HEAD /no-head"), 1);
    assert_eq!(server.seen.count("GET /no-head"), 1);
    assert_eq!(server.seen.count("HEAD /busy"), 2);
    assert_eq!(
        server.seen.count("HEAD /ok"),
        2,
        "itself and the end of /moved"
    );
    // A 404 answer to HEAD is asked again with GET; retried it is not.
    assert_eq!(server.seen.count("HEAD /missing"), 1);
    assert_eq!(server.seen.count("GET /missing"), 1);
    // The slow answer was waited for 1 s a try, two tries, not 4 s each.
    assert_eq!(server.seen.count("HEAD /slow"), 2);
    assert!(took < Duration::from_secs(8), "{took:?}");
    let used = report.external.expect("the check ran");
    assert_eq!((used.addresses, used.broken, used.cached), (10, 6, 0));
}

/// The refused address as written in `body`.
fn refused_in(body: &str) -> &str {
    let start = body.find("[refused](").unwrap() + "[refused](".len();
    let end = start + body[start..].find(')').unwrap();
    &body[start..end]
}

#[test]
fn an_address_named_in_many_places_is_fetched_once_and_reported_at_each() {
    let server = Server::start();
    let f = Fixture::new();
    let missing = server.url("/missing");
    f.write(
        "practices/a.md",
        &doc("title: A", &format!("[x]({missing})\n")),
    );
    f.write(
        "guides/b.md",
        &doc(
            "title: B",
            &format!("One [y]({missing}) and [z]({missing}).\n"),
        ),
    );
    f.write(
        "members/ann.md",
        &member(
            "Ann",
            &format!(
                "links:\n  - title: Old site\n    url: {missing}\n  - title: Now\n    url: {}",
                server.url("/ok")
            ),
        ),
    );
    let report = check(&f, None);
    let places: Vec<String> = external(&report)
        .iter()
        .map(|d| d.place().unwrap())
        .collect();
    let second = "One [y]() and ".len() + missing.len() + 1;
    assert_eq!(
        places,
        [
            "guides/b.md:4:5".to_string(),
            format!("guides/b.md:4:{second}"),
            "members/ann.md:5:10".to_string(),
            "practices/a.md:4:1".to_string(),
        ],
        "{:#?}",
        common::messages(&report)
    );
    assert_eq!(server.seen.count("HEAD /missing"), 1);
    assert_eq!(server.seen.count("GET /missing"), 1);
    assert_eq!(
        server.seen.count("HEAD /ok"),
        1,
        "profile links are checked too"
    );
}

#[test]
fn skipped_prefixes_are_never_fetched() {
    let server = Server::start();
    let skip = format!("  skip:\n    - {}\n", server.url("/private/"));
    let f = Fixture::with_config(&config(&skip));
    let body = format!(
        "[a]({}) [b]({}) [c]({})\n",
        server.url("/private/one"),
        server.url("/private/two"),
        server.url("/missing")
    );
    f.write("practices/a.md", &doc("title: A", &body));
    let report = check(&f, None);
    assert_eq!(
        external(&report).len(),
        1,
        "{:#?}",
        common::messages(&report)
    );
    assert_eq!(server.seen.count("HEAD /private/one"), 0);
    assert_eq!(server.seen.count("HEAD /private/two"), 0);
    assert_eq!(server.seen.total(), 2, "only /missing: HEAD and GET");
    assert_eq!(report.external.unwrap().skipped, 2);
}

#[test]
fn results_are_cached_for_their_time_and_no_cache_fetches_again() {
    let server = Server::start();
    let refusing = Refusing::new();
    let cache = tempfile::tempdir().unwrap();
    let f = Fixture::new();
    let body = format!(
        "[a]({}) [b]({}) [c]({})\n",
        server.url("/ok"),
        server.url("/missing"),
        refusing.url()
    );
    f.write("practices/a.md", &doc("title: A", &body));
    let first = check(&f, Some(cache.path()));
    assert_eq!(external(&first).len(), 2);
    let asked = server.seen.total();
    assert_eq!(asked, 3, "HEAD /ok, HEAD and GET /missing");

    let second = check(&f, Some(cache.path()));
    assert_eq!(
        server.seen.total(),
        asked,
        "a fine answer and a 404 come from the cache"
    );
    let messages: Vec<String> = external(&second)
        .iter()
        .map(|d| d.message.clone())
        .collect();
    let first_messages: Vec<String> = external(&first).iter().map(|d| d.message.clone()).collect();
    assert_eq!(
        messages, first_messages,
        "the same problems, from the cache"
    );
    let cached = external(&second)
        .into_iter()
        .find(|d| d.message.contains("404"))
        .unwrap();
    assert!(
        cached
            .hint
            .unwrap()
            .contains("kept in the link cache: `--no-cache` checks again")
    );
    assert_eq!(
        second.external.unwrap().cached,
        2,
        "a refused connection is not cached"
    );

    check(&f, None);
    assert_eq!(
        server.seen.total(),
        asked + 3,
        "without the cache every address is fetched"
    );

    f.write("community.yaml", &config("  cache_for: 0\n"));
    check(&f, Some(cache.path()));
    assert_eq!(
        server.seen.total(),
        asked + 6,
        "`cache_for: 0` turns the cache off"
    );
}

#[test]
fn one_host_is_never_sent_more_than_its_limit_at_once() {
    for (settings, limit) in [("  retries: 0\n", 2), ("  per_host: 1\n", 1)] {
        let server = Server::start();
        let f = Fixture::with_config(&config(settings));
        let body: String = (0..10)
            .map(|n| format!("[p{n}]({})\n\n", server.url(&format!("/pause/{n}"))))
            .collect();
        f.write("practices/a.md", &doc("title: A", &body));
        let report = check(&f, None);
        assert!(
            external(&report).is_empty(),
            "{:#?}",
            common::messages(&report)
        );
        assert_eq!(server.seen.total(), 10);
        assert_eq!(server.seen.most.load(Ordering::SeqCst), limit, "{settings}");
    }
}

#[test]
fn plain_check_and_build_never_touch_the_network() {
    let server = Server::start();
    let f = Fixture::new();
    let body = format!(
        "[a]({}) [b]({})\n",
        server.url("/ok"),
        server.url("/missing")
    );
    f.write("practices/a.md", &doc("title: A", &body));
    let out = f.cli(&["check"]);
    assert_eq!(out.status.code(), Some(0));
    let report = f.build();
    assert!(report.written);
    assert!(report.external.is_none());
    assert_eq!(server.seen.total(), 0);
}

#[test]
fn severity_error_fails_the_check_and_the_cli_reports_at_the_link() {
    let server = Server::start();
    let f = Fixture::new();
    let body = format!("See [old]({}).\n", server.url("/missing"));
    f.write("practices/a.md", &doc("title: A", &body));
    let warned = f.cli(&["check", "--external", "--no-cache"]);
    let text = String::from_utf8_lossy(&warned.stderr);
    assert_eq!(warned.status.code(), Some(0), "{text}");
    assert!(
        text.contains(&format!(
            "warning: external link `{}` is broken: 404 Not Found\n --> practices/a.md:4:5\n",
            server.url("/missing")
        )),
        "{text}"
    );

    f.write("community.yaml", &config("  severity: error\n"));
    let failed = f.cli(&["check", "--external", "--no-cache", "--format", "json"]);
    assert_eq!(failed.status.code(), Some(1));
    let line = String::from_utf8_lossy(&failed.stdout).into_owned();
    let json: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(json["severity"], "error");
    assert_eq!(
        (json["line"].as_u64(), json["column"].as_u64()),
        (Some(4), Some(5))
    );
}

#[test]
fn wrong_settings_are_settings_errors_at_their_place() {
    let f = Fixture::with_config(&config(
        "  skip: [twitter.com/]\n  timeout: 0\n  retries: many\n  per_host: 50\n  cache_for: 12\n  severity: fatal\n  timeuot: 3\n",
    ));
    let report = f.build_with(|o| o.write = false);
    let found: Vec<(usize, Severity)> = report
        .diagnostics
        .clone()
        .sorted()
        .iter()
        .filter(|d| d.message.contains("external_links"))
        .map(|d| (d.span().unwrap().line, d.severity))
        .collect();
    let e = Severity::Error;
    let expected = vec![
        (4, e),
        (5, e),
        (6, e),
        (7, e),
        (8, e),
        (9, e),
        (10, Severity::Warning),
    ];
    assert_eq!(found, expected, "{:#?}", common::messages(&report));
    assert_eq!(report.exit_code(), 2);
    let typo = common::find(&report, "timeuot");
    assert!(typo.message.contains("did you mean `timeout`?"), "{typo}");
}

#[test]
fn addresses_that_cannot_be_fetched_say_why() {
    let f = Fixture::new();
    f.write(
        "practices/a.md",
        &doc(
            "title: A",
            "[a](https:///nowhere) and [b](https://bücher.example/)\n",
        ),
    );
    let report = check(&f, None);
    let messages: Vec<String> = external(&report).iter().map(|d| d.to_string()).collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(
        messages[0].starts_with(
            "practices/a.md:4:1: warning: external link `https:///nowhere` cannot be checked: it has no host\n  hint: correct the address"
        ),
        "{messages:#?}"
    );
    assert!(
        messages[1].starts_with(
            "practices/a.md:4:27: warning: external link `https://bücher.example/` cannot be checked: its host name holds"
        ),
        "{messages:#?}"
    );
    assert_eq!(report.external.unwrap().addresses, 0);
}
