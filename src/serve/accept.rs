//! The front of `serve`: it accepts connections itself and bounds what
//! each may cost, then answers through `http`.
//!
//! tiny_http read a request head of any size into memory (one 400 MB
//! header took 770 MB and kept it) and gave every connection its own
//! thread (3,000 half-open connections made 3,000 threads, 1 GB). Its
//! `Server` can only be handed a listening socket, not a connection that
//! was already checked, so the front does the whole of the reading side
//! and tiny_http only writes the answers (`Response::raw_print`):
//!
//! - at most `MAX_CONNECTIONS` connections, one thread each. When all are
//!   taken, the one that has waited longest for a request (half-open, a
//!   slow head, a browser's idle keep-alive) is closed to make room, as
//!   nginx does; when none is waiting, the newcomer gets a 503 from the
//!   accepting thread at once, without a thread of its own.
//! - a head of at most `head::MAX_HEAD` bytes (431 past it), which must
//!   arrive whole within the idle time (408), and no body ever read (405
//!   or 413, then the connection closes).
//! - every connection is closed after the idle time without a request,
//!   and an answer that is not taken within it is abandoned.
//!
//! The live-reload stream leaves its connection's slot for `EventClients`,
//! which bounds streams on its own (`MAX_STREAMS`).

use std::io::{ErrorKind, Read};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{Duration, Instant};

use super::head::{HeadReader, Incoming};
use super::http::{self, Answer, EventClients};
use super::live::Published;

/// Connections at once, each with its own thread and at most a head's
/// worth of buffer. A browser opens six per site.
pub(crate) const MAX_CONNECTIONS: usize = 256;
/// How long the front waits for a closed connection's thread to end.
const EVICTION_PATIENCE: Duration = Duration::from_secs(1);
/// How often the accepting thread looks whether the server is stopping.
const STOP_CHECK: Duration = Duration::from_millis(250);
/// After an answer to a request whose rest is left unread, what is still
/// read and thrown away so the client sees the answer rather than a reset.
const LINGER_BYTES: usize = 64 * 1024;
const LINGER_TIME: Duration = Duration::from_millis(500);

/// What the connections' threads answer from.
pub(crate) struct Service {
    pub(crate) site: Arc<RwLock<Published>>,
    pub(crate) clients: Arc<EventClients>,
    /// The port the server listens on, for checking `Host`.
    pub(crate) port: u16,
    /// How long a connection may send nothing, or not take its answer.
    pub(crate) idle: Duration,
}

/// The connections open now, each with the moment it began waiting for a
/// request, if it is waiting.
#[derive(Default)]
pub(crate) struct Connections {
    open: Mutex<Open>,
    /// Told whenever a connection ends.
    ended: Condvar,
}

#[derive(Default)]
struct Open {
    next_id: u64,
    slots: Vec<Slot>,
}

struct Slot {
    id: u64,
    /// The connection's socket, to close it from here.
    stream: TcpStream,
    waiting_since: Option<Instant>,
}

/// A connection's place among the open ones, given up when dropped.
struct Ticket {
    id: u64,
    connections: Arc<Connections>,
}

impl Connections {
    fn lock(&self) -> MutexGuard<'_, Open> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A place for `stream`, making room by closing the connection that
    /// has waited longest for a request; `None` when every one is busy.
    fn admit(self: &Arc<Self>, stream: &TcpStream) -> Option<Ticket> {
        let handle = stream.try_clone().ok()?;
        let mut open = self.lock();
        if open.slots.len() >= MAX_CONNECTIONS {
            let oldest = open
                .slots
                .iter_mut()
                .filter(|slot| slot.waiting_since.is_some())
                .min_by_key(|slot| slot.waiting_since)?;
            oldest.waiting_since = None;
            let _ = oldest.stream.shutdown(Shutdown::Both);
            open = self
                .ended
                .wait_timeout_while(open, EVICTION_PATIENCE, |open| {
                    open.slots.len() >= MAX_CONNECTIONS
                })
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            if open.slots.len() >= MAX_CONNECTIONS {
                return None;
            }
        }
        let id = open.next_id;
        open.next_id += 1;
        open.slots.push(Slot {
            id,
            stream: handle,
            waiting_since: Some(Instant::now()),
        });
        Some(Ticket {
            id,
            connections: Arc::clone(self),
        })
    }

    /// Closes every connection, for stopping the server.
    pub(crate) fn close_all(&self) {
        for slot in &self.lock().slots {
            let _ = slot.stream.shutdown(Shutdown::Both);
        }
    }

    /// Connections open now.
    #[cfg(test)]
    fn count(&self) -> usize {
        self.lock().slots.len()
    }
}

impl Ticket {
    /// Marks the connection as waiting for a request (`true`), which may
    /// be closed to make room, or as answering one.
    fn set_waiting(&self, waiting: bool) {
        let mut open = self.connections.lock();
        if let Some(slot) = open.slots.iter_mut().find(|s| s.id == self.id) {
            slot.waiting_since = waiting.then(Instant::now);
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.connections.lock().slots.retain(|s| s.id != self.id);
        self.connections.ended.notify_all();
    }
}

/// Accepts connections until `stopping` is set, each answered on its own
/// thread within the bounds above.
pub(crate) fn accept_loop(
    listener: &TcpListener,
    connections: &Arc<Connections>,
    service: &Arc<Service>,
    stopping: &AtomicBool,
) {
    // Linux and the BSDs end a waiting `accept` after the read timeout;
    // elsewhere `wake` does it.
    let _ = socket2::SockRef::from(listener).set_read_timeout(Some(STOP_CHECK));
    while !stopping.load(Ordering::SeqCst) {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => continue,
            Err(_) => {
                // Out of file descriptors, say: let connections end first.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        let Some(ticket) = connections.admit(&stream) else {
            refuse(stream);
            continue;
        };
        let service = Arc::clone(service);
        // A thread that cannot be made drops the connection and its ticket.
        let _ = std::thread::Builder::new()
            .name("practica-http".into())
            .spawn(move || serve_connection(stream, &ticket, &service));
    }
}

/// Wakes a waiting `accept_loop` by connecting to it.
pub(crate) fn wake(address: SocketAddr) {
    let mut address = address;
    if address.ip().is_unspecified() {
        address.set_ip(match address {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    let _ = TcpStream::connect_timeout(&address, STOP_CHECK);
}

/// Turns a connection away without reading it, from the accepting thread.
fn refuse(mut stream: TcpStream) {
    // A new socket's buffer takes the whole answer, so this never waits.
    let _ = stream.set_nonblocking(true);
    let reply = http::plain(503, "practica serve has too many connections open\n");
    let _ = http::send(&mut stream, reply, None);
}

/// Answers one connection's requests until it closes, stays silent for
/// the idle time, or breaks a bound.
fn serve_connection(mut stream: TcpStream, ticket: &Ticket, service: &Service) {
    let _ = stream.set_write_timeout(Some(service.idle));
    // Answers are written whole; events must not wait for an ACK.
    let _ = stream.set_nodelay(true);
    let mut reader = HeadReader::default();
    loop {
        ticket.set_waiting(true);
        let head = match reader.next(&mut stream, service.idle) {
            Incoming::Request(head) => head,
            Incoming::Closed => return,
            Incoming::Refused(refusal) => {
                let reply = http::plain(refusal.status(), refusal.text());
                if http::send(&mut stream, reply, None).is_ok() {
                    linger(&mut stream);
                }
                return;
            }
        };
        ticket.set_waiting(false);
        let site = service.site.read().map(|s| s.clone()).unwrap_or_default();
        match http::respond(&head, &site, &service.clients, service.port) {
            Answer::Events(first) => {
                service.clients.join_writer(Box::new(stream), first);
                return;
            }
            Answer::Reply(reply) => {
                let keep = head.keeps_alive();
                let sent = http::send(&mut stream, reply, Some(&head));
                if sent.is_err() || !keep {
                    if sent.is_ok() && head.has_body {
                        linger(&mut stream);
                    }
                    return;
                }
            }
        }
    }
}

/// Closes the sending side and reads a little of what the client is
/// still sending: closing with unread bytes resets the connection, and a
/// reset can lose the answer before the client reads it.
fn linger(stream: &mut TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let until = Instant::now() + LINGER_TIME;
    let mut chunk = [0; 4096];
    let mut drained = 0;
    while drained < LINGER_BYTES {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(read) => drained += read,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(listener: &TcpListener) -> (TcpStream, TcpStream) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (client, server)
    }

    /// A thread that holds its connection while it waits, as a connection
    /// thread does, and gives its ticket back once the socket closes.
    fn hold(ticket: Ticket, mut server: TcpStream) -> std::thread::JoinHandle<()> {
        std::thread::spawn(move || {
            let mut byte = [0];
            let _ = server.read(&mut byte);
            drop(ticket);
        })
    }

    #[test]
    fn when_full_the_longest_waiting_connection_makes_room() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let connections = Arc::new(Connections::default());
        let mut clients = Vec::new();
        let mut first_ticket = None;
        let mut holders = Vec::new();
        for n in 0..MAX_CONNECTIONS {
            let (client, server) = pair(&listener);
            let ticket = connections.admit(&server).expect("room");
            if n == 0 {
                first_ticket = Some((ticket, server));
            } else {
                // Half wait for a request, since later; half are answering.
                ticket.set_waiting(n % 2 == 0);
                holders.push(hold(ticket, server));
            }
            clients.push(client);
        }
        let (first, first_server) = first_ticket.unwrap();
        let first_holder = hold(first, first_server);
        assert_eq!(connections.count(), MAX_CONNECTIONS);

        let (_late_client, late) = pair(&listener);
        let ticket = connections.admit(&late).expect("room made");
        first_holder.join().unwrap();
        let mut byte = [0];
        assert_eq!(
            clients[0].read(&mut byte).unwrap_or(0),
            0,
            "the oldest was closed"
        );
        assert_eq!(connections.count(), MAX_CONNECTIONS);

        // With none waiting, a newcomer is refused rather than waited for.
        connections
            .lock()
            .slots
            .iter_mut()
            .for_each(|s| s.waiting_since = None);
        let (_refused_client, refused) = pair(&listener);
        assert!(connections.admit(&refused).is_none());
        drop(ticket);
        connections.close_all();
        for holder in holders {
            holder.join().unwrap();
        }
        assert_eq!(connections.count(), 0);
    }
}
