//! `serve` bounds what a client can make it hold: the size of a request
//! head, request bodies (never read), the number of connections and
//! threads, and the time a request may take to arrive.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use practica::serve::{ServeOptions, Server};

use common::Fixture;
use common::http::{get, request_with};

/// The tests count the process's threads; one runs at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Connections `serve` holds at once (`accept::MAX_CONNECTIONS`).
const MAX_CONNECTIONS: usize = 256;

fn start(idle: Duration) -> (Fixture, Server) {
    let fixture = Fixture::new();
    fixture.write(
        "practices/a.md",
        "---\ntitle: A practice\n---\nSome text.\n",
    );
    let options = ServeOptions {
        port: Some(0),
        today: Some(jiff::civil::date(2026, 11, 1)),
        idle,
        ..ServeOptions::new(fixture.root())
    };
    let server = practica::serve::run(&options, |_| {}).expect("server starts");
    (fixture, server)
}

fn connect(address: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
}

/// Everything the server sends until it closes, as text.
fn read_all(stream: &mut TcpStream) -> String {
    let mut raw = Vec::new();
    let result = stream.read_to_end(&mut raw);
    assert!(
        raw.starts_with(b"HTTP/") || result.is_ok(),
        "the server neither answered nor closed: {result:?}"
    );
    String::from_utf8_lossy(&raw).into_owned()
}

#[test]
fn a_head_past_16_kib_is_refused_and_no_more_of_it_is_read() {
    let _one = ONE_AT_A_TIME.lock();
    let (_fixture, server) = start(Duration::from_secs(30));
    let address = server.address;

    let big = "a".repeat(20 * 1024);
    let reply = request_with(
        address,
        &format!("GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: {big}"),
    );
    assert_eq!(reply.status, 431);
    let many: String = (0..200).map(|n| format!("X-{n}: y\r\n")).collect();
    let reply = request_with(
        address,
        &format!("GET / HTTP/1.1\r\nHost: localhost\r\n{many}X: y"),
    );
    assert_eq!(reply.status, 431, "too many headers");

    // A 100 MB header, as the one that once took 770 MB: the server stops
    // reading and closes, so the client can write little more than the
    // head limit and what the sockets' buffers hold.
    let socket = socket2::Socket::new(
        socket2::Domain::for_address(address),
        socket2::Type::STREAM,
        None,
    )
    .unwrap();
    socket.set_send_buffer_size(4096).unwrap();
    socket.connect(&address.into()).unwrap();
    let mut stream: TcpStream = socket.into();
    stream
        .set_write_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ")
        .unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0;
    let error = loop {
        match stream.write(&chunk) {
            Ok(written) => sent += written,
            Err(e) => break Some(e),
        }
        if sent >= 100_000_000 {
            break None;
        }
    };
    let error = error.expect("the server read a 100 MB header");
    assert!(
        matches!(
            error.kind(),
            ErrorKind::BrokenPipe | ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
        ),
        "the server closed the connection rather than stop reading it: {error}"
    );
    assert!(
        sent < 1024 * 1024,
        "{sent} bytes went in before the server closed"
    );
    assert_eq!(get(address, "/").status, 200, "the server still answers");
    server.stop();
}

#[test]
fn request_bodies_are_refused_without_being_read() {
    let _one = ONE_AT_A_TIME.lock();
    let (_fixture, server) = start(Duration::from_secs(30));
    let address = server.address;

    // A body of 100 MB is announced and never sent: the answer comes at once.
    for (head, status) in [
        ("GET / HTTP/1.1\r\nContent-Length: 100000000", "413"),
        ("POST / HTTP/1.1\r\nContent-Length: 100000000", "405"),
        ("PUT / HTTP/1.1\r\nTransfer-Encoding: chunked", "405"),
    ] {
        let mut stream = connect(address);
        let started = Instant::now();
        write!(
            stream,
            "{head}\r\nHost: localhost\r\n\r\n{}",
            "b".repeat(1000)
        )
        .unwrap();
        let answer = read_all(&mut stream);
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status} ")),
            "{head}: {answer}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{head}: the connection closes soon after the answer"
        );
    }
    let reply = request_with(address, "DELETE / HTTP/1.1\r\nHost: localhost");
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("Allow").as_deref(), Some("GET, HEAD"));
    server.stop();
}

#[test]
fn a_head_sent_a_little_at_a_time_must_arrive_within_the_idle_time() {
    let _one = ONE_AT_A_TIME.lock();
    let (_fixture, server) = start(Duration::from_secs(1));
    let mut stream = connect(server.address);
    let started = Instant::now();
    stream.write_all(b"GET / HTTP/1.1\r\n").unwrap();
    // Each header comes well within the idle time of the one before, so
    // only a deadline on the whole head ends this.
    let mut answer = Vec::new();
    for n in 0..50 {
        if stream
            .write_all(format!("X-{n}: y\r\n").as_bytes())
            .is_err()
        {
            break;
        }
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut chunk = [0; 1024];
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(read) => {
                answer.extend_from_slice(&chunk[..read]);
                break;
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(3));

    // A connection that sends nothing is closed without an answer.
    let mut silent = connect(server.address);
    assert_eq!(read_all(&mut silent), "");
    server.stop();
}

#[test]
fn requests_sent_together_on_one_connection_are_all_answered() {
    let _one = ONE_AT_A_TIME.lock();
    let (_fixture, server) = start(Duration::from_secs(30));
    let mut stream = connect(server.address);
    stream
        .write_all(
            b"GET /practices/a/ HTTP/1.1\r\nHost: localhost\r\n\r\n\
              HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n\
              GET /nothing-here HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
    let answers = read_all(&mut stream);
    let statuses: Vec<&str> = answers
        .split("HTTP/1.1 ")
        .skip(1)
        .filter_map(|a| a.get(..3))
        .collect();
    assert_eq!(statuses, ["200", "200", "404"], "{answers}");
    assert!(answers.contains("A practice"));
    server.stop();
}

/// The threads of this process now.
#[cfg(target_os = "linux")]
fn threads() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

/// 3,000 half-open connections once made 3,000 threads (1 GB).
#[cfg(target_os = "linux")]
#[test]
fn a_thousand_half_open_connections_take_a_bounded_number_of_threads() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    let _one = ONE_AT_A_TIME.lock();
    let (_fixture, server) = start(Duration::from_secs(30));
    let address = server.address;
    let before = threads();
    let most = Arc::new(AtomicUsize::new(before));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (most, done) = (Arc::clone(&most), Arc::clone(&done));
        std::thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                most.fetch_max(threads(), Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };

    // Silent ones, and ones that begin a head and stop.
    let half_open: Vec<TcpStream> = (0..1000)
        .map(|n| {
            let mut stream = TcpStream::connect(address).unwrap();
            if n % 2 == 1 {
                stream.write_all(b"GET / HTTP/1.1\r\nHost: loc").unwrap();
            }
            stream
        })
        .collect();
    let started = Instant::now();
    let reply = get(address, "/practices/a/");
    assert_eq!(reply.status, 200, "a real request is still answered");
    assert!(reply.text().contains("A practice"));
    assert!(started.elapsed() < Duration::from_secs(5));

    // The ones that waited longest were closed to make room.
    let deadline = Instant::now() + Duration::from_secs(10);
    let closed = loop {
        let closed = half_open.iter().filter(|s| is_closed(s)).count();
        if closed >= half_open.len() - MAX_CONNECTIONS || Instant::now() > deadline {
            break closed;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    done.store(true, Ordering::SeqCst);
    sampler.join().unwrap();
    let most = most.load(Ordering::SeqCst);
    // The sampler's own thread and a few ending ones besides.
    assert!(
        most <= before + MAX_CONNECTIONS + 16,
        "{most} threads at most, {before} before"
    );
    assert!(
        closed >= half_open.len() - MAX_CONNECTIONS,
        "{closed} closed"
    );
    server.stop();
}

/// Whether the server closed `stream`, without waiting.
fn is_closed(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let mut byte = [0];
    let closed = match (&*stream).read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != ErrorKind::WouldBlock,
    };
    stream.set_nonblocking(false).unwrap();
    closed
}
