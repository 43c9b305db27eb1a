//! `practica serve`: the site from memory on a local port, rebuilt as files
//! change, with the browser told to reload over Server-Sent Events.
//!
//! Three kinds of thread share one [`Published`] snapshot: connection
//! threads (`accept`, a bounded number) read it, the watcher replaces it
//! after each update, and nothing a browser does can block the rebuild.

mod accept;
mod head;
pub(crate) mod http;
pub mod live;

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::event::{MetadataKind, ModifyKind};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::support::diagnostic::Diagnostic;
use accept::{Connections, Service};
use http::EventClients;
use live::{LiveSite, Outcome, Published, Update};

/// The first port tried when none is given, as Zola does.
pub(crate) const FIRST_PORT: u16 = 1111;
const PORTS_TRIED: u16 = 100;
/// Saves closer together than this rebuild once. Editors write a file,
/// or a temporary file and its rename, within a few milliseconds, and
/// every millisecond here is one more before the browser reloads; a save
/// read half way is read again at its next event.
const DEBOUNCE: Duration = Duration::from_millis(10);
/// How long a connection may stay silent, or a browser not read, by default.
const IDLE: Duration = Duration::from_secs(30);
/// How often idle event streams get a comment, so closed tabs are noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// `None` tries 1111 upwards; `Some(0)` lets the system choose.
    pub port: Option<u16>,
    pub drafts: bool,
    pub today: Option<jiff::civil::Date>,
    /// The folder of parse caches (`parse_cache::default_dir`); `None` parses every document.
    pub cache: Option<PathBuf>,
    /// How long a connection may send nothing, take to send a request's
    /// head, or not take what is sent to it, before it is closed.
    pub idle: Duration,
    /// Read git history for /insights/ (`serve --no-history` turns it off).
    pub history: bool,
}

impl ServeOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ServeOptions {
            root: root.into(),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: None,
            drafts: false,
            today: None,
            cache: None,
            idle: IDLE,
            history: true,
        }
    }
}

/// What happened in the watcher, for whoever prints progress.
pub enum Report<'a> {
    Update(&'a Update, &'a [Diagnostic]),
    /// Watching the files failed, or an update stopped on a bug.
    WatchError(Diagnostic),
}

/// A running server; dropping it leaves it running until `stop`.
pub struct Server {
    pub address: SocketAddr,
    site: Arc<RwLock<Published>>,
    stopping: Arc<AtomicBool>,
    connections: Arc<Connections>,
    threads: Vec<JoinHandle<()>>,
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// The files being served now.
    pub fn published(&self) -> Published {
        self.site.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Blocks until the server stops.
    pub fn wait(mut self) {
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }

    pub fn stop(mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        accept::wake(self.address);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
        // Accepting has stopped, so no connection opens after this.
        self.connections.close_all();
    }
}

/// Listens and watches `options.root`, then builds the site into memory
/// and serves it. A port that is taken, or files that cannot be watched,
/// are reported before anything is built; a save during the build is
/// applied after it. `report` is called from the watcher thread after
/// every update.
pub fn run(
    options: &ServeOptions,
    report: impl Fn(Report) + Send + 'static,
) -> Result<Server, Diagnostic> {
    // The watcher reports absolute paths; so must the root they are cut from.
    let root = std::fs::canonicalize(&options.root).map_err(|e| {
        Diagnostic::run_error(format!("cannot open {}: {e}", options.root.display()))
            .with_hint("give the community folder, the one that holds community.yaml")
            .settings()
    })?;
    // Browsers that connect during the build wait in the listener's queue.
    let listener = bind(options)?;
    let address = listener
        .local_addr()
        .map_err(|e| Diagnostic::run_error(format!("the server has no address: {e}")).settings())?;
    let (sender, receiver) = channel();
    let watch_error = |e: notify_debouncer_full::notify::Error| {
        Diagnostic::run_error(format!("cannot watch {}: {e}", root.display()))
            .with_hint("on Linux, raise fs.inotify.max_user_watches, or watch a smaller folder")
            .settings()
    };
    let mut debouncer = new_debouncer(DEBOUNCE, None, sender).map_err(watch_error)?;
    debouncer
        .watch(&root, RecursiveMode::Recursive)
        .map_err(watch_error)?;
    let live = LiveSite::open_with(
        &root,
        options.drafts,
        options.today,
        options.cache.as_deref(),
        options.history,
    );
    let (mut server, clients) = assemble(listener, address, options.idle, live.publish());
    let site = Arc::clone(&server.site);
    let stopping = Arc::clone(&server.stopping);
    let options = ServeOptions {
        root,
        ..options.clone()
    };
    server.threads.push(std::thread::spawn(move || {
        let _keep_watching = debouncer;
        let watcher = Watcher {
            receiver,
            site,
            clients,
            stopping,
            options,
        };
        watcher.rebuild_loop(live, &report);
    }));
    Ok(server)
}

fn assemble(
    listener: TcpListener,
    address: SocketAddr,
    idle: Duration,
    first: Published,
) -> (Server, Arc<EventClients>) {
    let site = Arc::new(RwLock::new(first));
    let clients = Arc::new(EventClients::default());
    let stopping = Arc::new(AtomicBool::new(false));
    let connections = Arc::new(Connections::default());
    let service = Arc::new(Service {
        site: Arc::clone(&site),
        clients: Arc::clone(&clients),
        port: address.port(),
        idle,
    });
    let acceptor = {
        let (connections, stopping) = (Arc::clone(&connections), Arc::clone(&stopping));
        std::thread::spawn(move || {
            accept::accept_loop(&listener, &connections, &service, &stopping);
        })
    };
    let server = Server {
        address,
        site,
        stopping,
        connections,
        threads: vec![acceptor],
    };
    (server, clients)
}

fn bind(options: &ServeOptions) -> Result<TcpListener, Diagnostic> {
    let ports: Vec<u16> = match options.port {
        Some(port) => vec![port],
        None => (FIRST_PORT..FIRST_PORT + PORTS_TRIED).collect(),
    };
    let mut last_error = None;
    for port in ports {
        match TcpListener::bind(SocketAddr::new(options.bind, port)) {
            Ok(listener) => return Ok(listener),
            Err(e) => last_error = Some(format!("cannot listen on {}:{port}: {e}", options.bind)),
        }
    }
    let message = last_error.unwrap_or_else(|| "no port to listen on".into());
    Err(Diagnostic::run_error(message)
        .with_hint("choose another port with --port, or stop the program using it")
        .settings())
}

/// The thread that owns the live site: it takes the file events, updates
/// the site, publishes it and tells the browsers.
struct Watcher {
    receiver: Receiver<DebounceEventResult>,
    site: Arc<RwLock<Published>>,
    clients: Arc<EventClients>,
    stopping: Arc<AtomicBool>,
    /// With the root made absolute, for opening the site again.
    options: ServeOptions,
}

impl Watcher {
    fn rebuild_loop(&self, mut live: LiveSite, report: &impl Fn(Report)) {
        let mut last_ping = Instant::now();
        while !self.stopping.load(Ordering::SeqCst) {
            let events = match self.receiver.recv_timeout(Duration::from_millis(250)) {
                Ok(Ok(events)) => events,
                Ok(Err(errors)) => {
                    for error in errors {
                        let problem =
                            Diagnostic::run_warning(format!("cannot watch the files: {error}"))
                                .with_hint("saves may not show until serve is started again");
                        report(Report::WatchError(problem));
                    }
                    continue;
                }
                Err(RecvTimeoutError::Timeout) => {
                    if last_ping.elapsed() >= KEEP_ALIVE {
                        self.clients.ping();
                        last_ping = Instant::now();
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            };
            let paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| changes_content(&e.event.kind))
                .flat_map(|e| e.event.paths)
                .collect();
            if paths.is_empty() {
                continue;
            }
            match guarded(|| self.update(&mut live, &paths)) {
                Ok((update, problems)) => report(Report::Update(&update, &problems)),
                Err(bug) => live = self.recover(live, &bug, report),
            }
        }
    }

    /// Applies one batch of changed files, publishing the pages, then the
    /// data files no page loads; returns the update and its problems.
    fn update(&self, live: &mut LiveSite, paths: &[PathBuf]) -> (Update, Vec<Diagnostic>) {
        let mut update = live.update_pages_first(paths);
        let published = live.publish();
        self.publish(published.clone());
        match update.outcome {
            Outcome::Unchanged => {}
            Outcome::Styles => self.clients.send("styles", ""),
            Outcome::Reload => self.clients.send("reload", ""),
            Outcome::Failed => self.clients.send("errors", &published.problems_json()),
        }
        // The browser is reloading; the data files no page loads come after.
        update.rendered += live.make_deferred();
        self.publish(live.publish());
        (update, published.problems().to_vec())
    }

    fn publish(&self, published: Published) {
        if let Ok(mut current) = self.site.write() {
            *current = published;
        }
    }

    /// After a bug stopped an update half way: tells the browsers and the
    /// terminal, and reads the whole site again, so watching goes on.
    fn recover(&self, broken: LiveSite, bug: &str, report: &impl Fn(Report)) -> LiveSite {
        let problem = Diagnostic::run_error(format!(
            "practica stopped on a bug while updating the site: {bug}"
        ))
        .with_hint("the site is read again from the files; please report this bug");
        self.clients.send(
            "errors",
            &live::overlay_json(std::slice::from_ref(&problem)),
        );
        report(Report::WatchError(problem));
        let options = &self.options;
        match guarded(|| {
            LiveSite::open_with(
                &options.root,
                options.drafts,
                options.today,
                options.cache.as_deref(),
                options.history,
            )
        }) {
            Ok(fresh) => {
                self.publish(fresh.publish());
                fresh
            }
            Err(_) => broken,
        }
    }
}

/// Runs `work`, turning a panic (a bug) into its message, so that no bug
/// in one update ends rebuilding for the rest of the session.
fn guarded<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into())
    })
}

/// Whether an event may change what a file holds. Reading files makes
/// access events, and the rebuild reads files: counting those would loop.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(what)) => !matches!(what, MetadataKind::AccessTime),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_in_an_update_is_caught_with_its_message() {
        assert_eq!(super::guarded(|| 7), Ok(7));
        let caught = super::guarded(|| -> u8 { panic!("months out of range: {}", 239_977) });
        assert_eq!(caught, Err("months out of range: 239977".to_string()));
        assert!(super::guarded(|| -> u8 { std::panic::panic_any(5_u32) }).is_err());
    }
}
