//! Fetching one address: HEAD first, GET where the server refuses HEAD,
//! redirects followed by hand (so a loop is named as one), and tries
//! again after answers that say "later" (429, 5xx) or none at all.

use std::time::{Duration, Instant};

use ureq::http::{Response, StatusCode, header};

use super::address::Address;
use super::settings::Settings;

/// Redirects followed before giving up on an address.
const MAX_REDIRECTS: usize = 10;
/// The first pause before trying again; each next one is twice as long.
const FIRST_PAUSE: Duration = Duration::from_millis(500);
/// The longest a `Retry-After` is waited for; a server asking for more is
/// reported as it answered.
const LONGEST_PAUSE: Duration = Duration::from_secs(10);

/// What became of an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A 2xx answer, after any redirects.
    Fine,
    /// Any other final answer.
    Status(u16),
    /// The addresses round the loop, the first one again last.
    RedirectLoop(Vec<String>),
    TooManyRedirects,
    /// A redirect whose `Location` is missing or not a web address.
    BadRedirect(u16, Option<String>),
    TimedOut(Duration),
    Refused,
    HostNotFound,
    /// The connection closed before an answer came.
    Dropped,
    /// Anything else the connection met (TLS, a garbled answer).
    Failed(String),
}

impl Outcome {
    /// What a server might answer otherwise a moment later.
    fn worth_retrying(&self) -> bool {
        match self {
            Outcome::Status(status) => matches!(status, 429 | 500 | 502 | 503 | 504),
            Outcome::TimedOut(_) | Outcome::Dropped => true,
            _ => false,
        }
    }

    /// The answer, as the cache keeps it: only answers that stay true a
    /// while (success, and pages that are gone).
    pub(crate) fn lasting_status(&self) -> Option<u16> {
        match self {
            Outcome::Fine => Some(200),
            Outcome::Status(status @ (404 | 410)) => Some(*status),
            _ => None,
        }
    }

    /// An outcome kept by the cache with `lasting_status`.
    pub(crate) fn from_status(status: u16) -> Outcome {
        match status {
            200..=299 => Outcome::Fine,
            other => Outcome::Status(other),
        }
    }

    /// What went wrong, as a message ends: "404 Not Found".
    pub(crate) fn describe(&self) -> String {
        match self {
            Outcome::Fine => "fine".into(),
            Outcome::Status(status) => status_text(*status),
            Outcome::RedirectLoop(round) => format!("redirect loop: {}", round.join(" → ")),
            Outcome::TooManyRedirects => format!("more than {MAX_REDIRECTS} redirects"),
            Outcome::BadRedirect(status, None) => {
                format!("{} without a `Location` to go to", status_text(*status))
            }
            Outcome::BadRedirect(status, Some(location)) => format!(
                "{} to `{location}`, which is not a web address",
                status_text(*status)
            ),
            Outcome::TimedOut(after) => format!("timed out after {} s", after.as_secs()),
            Outcome::Refused => "connection refused".into(),
            Outcome::HostNotFound => "host not found".into(),
            Outcome::Dropped => "the connection closed before an answer".into(),
            Outcome::Failed(why) => why.clone(),
        }
    }
}

/// `404 Not Found`, or the number alone for a status with no name.
fn status_text(status: u16) -> String {
    let reason = StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason());
    match reason {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// Fetches addresses with one connection pool for the whole run.
pub(crate) struct Fetcher {
    agent: ureq::Agent,
    timeout: Duration,
    retries: u32,
}

/// One try's final outcome, and how long the server asked to wait.
struct Try {
    outcome: Outcome,
    retry_after: Option<Duration>,
}

impl Fetcher {
    pub(crate) fn new(settings: &Settings) -> Fetcher {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // Followed by hand, so a loop can be told from a long chain.
            .max_redirects(0)
            .user_agent(concat!(
                "practica/",
                env!("CARGO_PKG_VERSION"),
                " (link check)"
            ))
            .accept("text/html,application/xhtml+xml,*/*;q=0.8")
            .build();
        Fetcher {
            agent: config.into(),
            timeout: settings.timeout,
            retries: settings.retries,
        }
    }

    /// The outcome of `address`, tried again with growing pauses while
    /// the server says to wait or does not answer.
    pub(crate) fn check(&self, address: &Address) -> Outcome {
        let mut attempt = 0;
        loop {
            let tried = self.try_once(address);
            if attempt >= self.retries || !tried.outcome.worth_retrying() {
                return tried.outcome;
            }
            let backoff = FIRST_PAUSE * 2u32.pow(attempt);
            let pause = match tried.retry_after {
                Some(asked) if asked > LONGEST_PAUSE => return tried.outcome,
                Some(asked) => asked.max(backoff),
                None => backoff,
            };
            std::thread::sleep(pause);
            attempt += 1;
        }
    }

    /// HEAD, then GET when HEAD gets an error answer: many servers refuse
    /// HEAD (405, 403, 501) or answer it wrongly while GET works.
    fn try_once(&self, address: &Address) -> Try {
        let head = self.follow(address, Method::Head);
        match head.outcome {
            Outcome::Status(status) if status >= 400 && status != 429 => {
                self.follow(address, Method::Get)
            }
            _ => head,
        }
    }

    /// Follows redirects from `address` within one timeout for the chain.
    fn follow(&self, address: &Address, method: Method) -> Try {
        let deadline = Instant::now() + self.timeout;
        let mut visited = vec![address.url().to_string()];
        let mut at = address.clone();
        for _ in 0..=MAX_REDIRECTS {
            let left = deadline.saturating_duration_since(Instant::now());
            let response = match self.request(method, &at, left) {
                Ok(response) => response,
                Err(outcome) => return plain(outcome),
            };
            let status = response.status();
            if !status.is_redirection() || status == StatusCode::NOT_MODIFIED {
                return answer(&response);
            }
            let location = response
                .headers()
                .get(header::LOCATION)
                .and_then(|l| l.to_str().ok());
            let Some(next) = location.and_then(|l| at.join(l)) else {
                let location = location.map(str::to_string);
                return plain(Outcome::BadRedirect(status.as_u16(), location));
            };
            let looped = visited.iter().any(|v| v == next.url());
            visited.push(next.url().to_string());
            if looped {
                return plain(Outcome::RedirectLoop(visited));
            }
            at = next;
        }
        plain(Outcome::TooManyRedirects)
    }

    fn request(
        &self,
        method: Method,
        address: &Address,
        left: Duration,
    ) -> Result<Response<ureq::Body>, Outcome> {
        if left.is_zero() {
            return Err(Outcome::TimedOut(self.timeout));
        }
        let builder = match method {
            Method::Head => self.agent.head(address.url()),
            Method::Get => self.agent.get(address.url()),
        };
        builder
            .config()
            .timeout_global(Some(left))
            .build()
            .call()
            .map_err(|error| self.failure(error))
    }

    fn failure(&self, error: ureq::Error) -> Outcome {
        use std::io::ErrorKind;
        match error {
            ureq::Error::Timeout(_) => Outcome::TimedOut(self.timeout),
            ureq::Error::HostNotFound => Outcome::HostNotFound,
            ureq::Error::Io(io) => match io.kind() {
                ErrorKind::ConnectionRefused => Outcome::Refused,
                ErrorKind::TimedOut | ErrorKind::WouldBlock => Outcome::TimedOut(self.timeout),
                ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::BrokenPipe
                | ErrorKind::UnexpectedEof => Outcome::Dropped,
                // How the standard library words a failed name lookup,
                // whose kind has no stable name.
                _ if io.to_string().contains("lookup address") => Outcome::HostNotFound,
                _ => Outcome::Failed(format!("connection failed: {io}")),
            },
            ureq::Error::Protocol(why) => {
                Outcome::Failed(format!("the answer is not valid HTTP: {why}"))
            }
            other => Outcome::Failed(other.to_string()),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Method {
    Head,
    Get,
}

fn plain(outcome: Outcome) -> Try {
    Try {
        outcome,
        retry_after: None,
    }
}

/// A final answer, with the wait a 429 or 503 asks for in seconds.
fn answer(response: &Response<ureq::Body>) -> Try {
    let status = response.status();
    let outcome = match status.is_success() {
        true => Outcome::Fine,
        false => Outcome::Status(status.as_u16()),
    };
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    Try {
        outcome,
        retry_after,
    }
}
