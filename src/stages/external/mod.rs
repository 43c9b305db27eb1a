//! Link rot, on demand (`practica check --external`): every web address
//! the documents link to (in bodies, and members' profile `links`) is
//! fetched once, however many places name it, on a few threads with a
//! limit per host, a timeout and retries; results that last are cached
//! for `external_links.cache_for`. Each place that names a broken address
//! is reported at its `file:line:col`, at `external_links.severity`.
//! Nothing here runs without the flag: a plain `check` never touches the
//! network.

mod address;
mod cache;
mod fetch;
mod pool;
pub(crate) mod settings;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::model::document::Document;
use crate::stages::link::Site;
use crate::support::diagnostic::{Diagnostic, LineIndex, Severity, Span};
use crate::support::markdown::LinkKind;
use address::{Address, Unfit};
use cache::LinkCache;
use fetch::{Fetcher, Outcome};
pub(crate) use settings::Settings;

/// Fetches at once, over all hosts.
const WORKERS: usize = 8;

/// What a check of the external links did, for `--verbose`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkCheckUse {
    /// Different addresses checked (each fetched once at most).
    pub addresses: usize,
    /// Of those, answered from the cache of earlier runs.
    pub cached: usize,
    /// Links not checked: their address starts with an `external_links.skip` prefix.
    pub skipped: usize,
    /// Addresses found broken.
    pub broken: usize,
}

/// A place that links to a web address, as written there.
struct Place {
    source: String,
    /// `None` when the place in the file could not be found again.
    span: Option<Span>,
    written: String,
}

/// Checks every web address `site` links to; the problems are at
/// `external_links.severity`.
pub(crate) fn check(
    site: &Site,
    root: &Path,
    cache_dir: Option<&Path>,
) -> (Vec<Diagnostic>, LinkCheckUse) {
    let settings = &site.config.external_links;
    let mut gathered = gather(site, root, settings);
    let mut cache = LinkCache::open(cache_dir, settings.cache_for);
    let mut outcomes: BTreeMap<Address, (Outcome, Option<Duration>)> = BTreeMap::new();
    let mut jobs = Vec::new();
    for address in gathered.links.keys() {
        match cache.get(address.url()) {
            Some((outcome, age)) => {
                outcomes.insert(address.clone(), (outcome, Some(age)));
            }
            None => jobs.push((address.host().to_string(), address.clone())),
        }
    }
    let mut used = LinkCheckUse {
        addresses: gathered.links.len(),
        cached: outcomes.len(),
        skipped: gathered.skipped,
        broken: 0,
    };
    let fetcher = Fetcher::new(settings);
    for (address, outcome) in pool::run(jobs, WORKERS, settings.per_host, |a| fetcher.check(a)) {
        cache.put(address.url(), &outcome);
        outcomes.insert(address, (outcome, None));
    }
    cache.save();
    for (address, (outcome, age)) in outcomes {
        if outcome == Outcome::Fine {
            continue;
        }
        used.broken += 1;
        for place in gathered.links.get(&address).into_iter().flatten() {
            let problem = broken(settings.severity, place, &outcome, age);
            gathered.problems.push(problem);
        }
    }
    (gathered.problems, used)
}

/// The web addresses of a site, each with every place naming it.
#[derive(Default)]
struct Gathered {
    links: BTreeMap<Address, Vec<Place>>,
    skipped: usize,
    /// Addresses that cannot be fetched as written.
    problems: Vec<Diagnostic>,
}

fn gather(site: &Site, root: &Path, settings: &Settings) -> Gathered {
    let mut gathered = Gathered::default();
    for doc in site.documents.iter() {
        for link in &doc.scan.links {
            if matches!(link.kind, LinkKind::Wiki { .. } | LinkKind::Email) {
                continue;
            }
            // As `link` counts body lines: the same place its other messages name.
            let line = (link.span.line + doc.body_line).saturating_sub(1);
            let span = Some(Span::new(line, link.span.col));
            gathered.add(settings, &link.dest, &doc.source, span);
        }
        if !doc.front.links.is_empty() {
            let front = FrontMatterText::read(root, doc);
            for link in &doc.front.links {
                gathered.add(settings, &link.url, &doc.source, front.find(&link.url));
            }
        }
    }
    gathered
}

impl Gathered {
    fn add(&mut self, settings: &Settings, written: &str, source: &str, span: Option<Span>) {
        let written = written.trim();
        let Some(parsed) = Address::parse(written) else {
            return;
        };
        let skipped = |text: &str| settings.skip.iter().any(|p| text.starts_with(p.as_str()));
        if skipped(written) || parsed.as_ref().is_ok_and(|a| skipped(a.url())) {
            self.skipped += 1;
            return;
        }
        let place = Place {
            source: source.to_string(),
            span,
            written: written.to_string(),
        };
        match parsed {
            Ok(address) => self.links.entry(address).or_default().push(place),
            Err(unfit) => self
                .problems
                .push(unfit_address(settings.severity, &place, unfit)),
        }
    }
}

/// A document file's front matter, to find where a profile link is written.
struct FrontMatterText {
    text: String,
}

impl FrontMatterText {
    fn read(root: &Path, doc: &Document) -> FrontMatterText {
        let text = std::fs::read_to_string(root.join(&doc.source)).unwrap_or_default();
        let end = text
            .match_indices('\n')
            .nth(doc.body_line.saturating_sub(2))
            .map_or(text.len(), |(at, _)| at);
        FrontMatterText {
            text: text[..end].to_string(),
        }
    }

    fn find(&self, url: &str) -> Option<Span> {
        let at = self.text.find(url.trim())?;
        Some(LineIndex::new(&self.text).span(at))
    }
}

fn diagnostic(severity: Severity, place: &Place, message: String) -> Diagnostic {
    match (severity, place.span) {
        (Severity::Error, Some(span)) => Diagnostic::error(&place.source, span, message),
        (Severity::Warning, Some(span)) => Diagnostic::warning(&place.source, span, message),
        (Severity::Error, None) => Diagnostic::error_in(&place.source, message),
        (Severity::Warning, None) => Diagnostic::warning_in(&place.source, message),
    }
}

const SKIP_IT: &str =
    "to stop checking it, add a prefix of it to `external_links.skip` in community.yaml";

fn unfit_address(severity: Severity, place: &Place, unfit: Unfit) -> Diagnostic {
    let message = format!(
        "external link `{}` cannot be checked: {}",
        place.written,
        unfit.reason()
    );
    diagnostic(severity, place, message).with_hint(format!("correct the address; {SKIP_IT}"))
}

fn broken(
    severity: Severity,
    place: &Place,
    outcome: &Outcome,
    age: Option<Duration>,
) -> Diagnostic {
    let message = format!(
        "external link `{}` is broken: {}",
        place.written,
        outcome.describe()
    );
    let mut hint = format!("{}; {SKIP_IT}", remedy(outcome));
    if let Some(age) = age {
        hint.push_str(&format!(
            " (found {} ago and kept in the link cache: `--no-cache` checks again)",
            how_long(age)
        ));
    }
    diagnostic(severity, place, message).with_hint(hint)
}

/// What to do about a broken address, by what became of it.
fn remedy(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Status(401 | 403 | 429) => {
            "the site refused an automatic check: if the page opens in a browser, keep the link"
        }
        Outcome::Status(404 | 410) => {
            "update the link to where the page is now (an archived copy will do), or remove it"
        }
        Outcome::HostNotFound | Outcome::Refused => {
            "nothing answers there: update the link to where the site is now, or remove it"
        }
        Outcome::Status(500..) | Outcome::Dropped | Outcome::Failed(_) => {
            "the site may be down for a while: check again later, or update or remove the link"
        }
        Outcome::TimedOut(_) => {
            "the site may be slow or down: check again later, raise `external_links.timeout`, or update the link"
        }
        Outcome::RedirectLoop(_) | Outcome::TooManyRedirects | Outcome::BadRedirect(..) => {
            "the site's redirects never reach a page: link to the page itself, or remove the link"
        }
        Outcome::Status(_) | Outcome::Fine => "update or remove the link",
    }
}

/// "5 min", "3 h", "2 days".
fn how_long(age: Duration) -> String {
    let minutes = age.as_secs() / 60;
    match minutes {
        0..60 => format!("{} min", minutes.max(1)),
        60..2880 => format!("{} h", minutes / 60),
        _ => format!("{} days", minutes / 1440),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_as_people_say_them() {
        assert_eq!(how_long(Duration::from_secs(20)), "1 min");
        assert_eq!(how_long(Duration::from_secs(600)), "10 min");
        assert_eq!(how_long(Duration::from_secs(3 * 3600 + 100)), "3 h");
        assert_eq!(how_long(Duration::from_secs(3 * 86400)), "3 days");
    }

    #[test]
    fn profile_links_are_found_in_front_matter_only() {
        let front = FrontMatterText {
            text: "---\ntitle: A\nlinks:\n  - title: Site\n    url: https://a.example/\n---".into(),
        };
        assert_eq!(front.find("https://a.example/"), Some(Span::new(5, 10)));
        assert_eq!(front.find("https://b.example/"), None);
    }
}
