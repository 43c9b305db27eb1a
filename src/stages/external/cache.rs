//! Results of earlier checks, so CI does not ask the same hosts again on
//! every run: one JSON file in the cache folder, shared by every
//! community (an address answers the same whoever links to it). Only
//! lasting answers are kept (`Outcome::lasting_status`). A cache that
//! cannot be read is ignored; one that cannot be written costs only the
//! saving.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::fetch::Outcome;
use super::settings::LONGEST_CACHE;

/// The file's name in the cache folder (which the parse cache's pruning
/// leaves alone: it deletes only its own `parse-*.bin`).
const FILE: &str = "external-links.json";
const VERSION: u32 = 1;

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Stored {
    version: u32,
    /// By address: when it was checked (seconds since 1970) and its status.
    links: BTreeMap<String, (u64, u16)>,
}

pub(crate) struct LinkCache {
    /// `None` when caching is off.
    file: Option<PathBuf>,
    stored: Stored,
    now: u64,
    keep_for: Duration,
}

impl LinkCache {
    /// The cache in `dir`, trusted for `keep_for`; off without a folder
    /// (`--no-cache`) or for a zero time.
    pub(crate) fn open(dir: Option<&Path>, keep_for: Duration) -> LinkCache {
        let file = dir
            .filter(|_| !keep_for.is_zero())
            .map(|dir| dir.join(FILE));
        let stored = file
            .as_deref()
            .and_then(|file| std::fs::read(file).ok())
            .and_then(|bytes| serde_json::from_slice::<Stored>(&bytes).ok())
            .filter(|stored| stored.version == VERSION)
            .unwrap_or_default();
        LinkCache {
            file,
            stored,
            now: seconds_now(),
            keep_for,
        }
    }

    /// The outcome of `url` and how long ago it was found, if that is
    /// within the time results are trusted.
    pub(crate) fn get(&self, url: &str) -> Option<(Outcome, Duration)> {
        self.file.as_ref()?;
        let &(checked, status) = self.stored.links.get(url)?;
        let age = Duration::from_secs(self.now.checked_sub(checked)?);
        (age < self.keep_for).then(|| (Outcome::from_status(status), age))
    }

    pub(crate) fn put(&mut self, url: &str, outcome: &Outcome) {
        match outcome.lasting_status() {
            Some(status) => self
                .stored
                .links
                .insert(url.to_string(), (self.now, status)),
            // A result that may change soon replaces nothing older.
            None => self.stored.links.remove(url),
        };
    }

    /// Writes the cache, without results older than any setting keeps.
    pub(crate) fn save(mut self) {
        let Some(file) = self.file.take() else { return };
        let now = self.now;
        self.stored
            .links
            .retain(|_, (checked, _)| now.saturating_sub(*checked) <= LONGEST_CACHE.as_secs());
        self.stored.version = VERSION;
        let Ok(bytes) = serde_json::to_vec(&self.stored) else {
            return;
        };
        let Some(dir) = file.parent() else { return };
        // Written whole, then renamed: a run reading it meanwhile sees
        // the old file or the new one.
        let temporary = dir.join(format!(".external-links-{}.tmp", std::process::id()));
        let written = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&temporary, bytes))
            .and_then(|()| std::fs::rename(&temporary, &file));
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }
}

fn seconds_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_lasting_answers_for_their_time() {
        let dir = tempfile::tempdir().unwrap();
        let day = Duration::from_secs(24 * 3600);
        let mut cache = LinkCache::open(Some(dir.path()), day);
        cache.put("https://a.example/", &Outcome::Fine);
        cache.put("https://b.example/", &Outcome::Status(404));
        cache.put("https://c.example/", &Outcome::Status(503));
        cache.put("https://d.example/", &Outcome::Refused);
        cache.save();
        let cache = LinkCache::open(Some(dir.path()), day);
        assert_eq!(
            cache.get("https://a.example/").map(|r| r.0),
            Some(Outcome::Fine)
        );
        let gone = cache.get("https://b.example/").map(|r| r.0);
        assert_eq!(gone, Some(Outcome::Status(404)));
        assert_eq!(cache.get("https://c.example/"), None);
        assert_eq!(cache.get("https://d.example/"), None);
        let off = LinkCache::open(Some(dir.path()), Duration::ZERO);
        assert_eq!(off.get("https://a.example/"), None);
        let no_folder = LinkCache::open(None, day);
        assert_eq!(no_folder.get("https://a.example/"), None);
    }

    #[test]
    fn old_results_are_not_trusted_and_damage_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let stored = format!(
            r#"{{"version":1,"links":{{"https://a.example/":[{},200]}}}}"#,
            seconds_now() - 7200
        );
        std::fs::write(dir.path().join(FILE), stored).unwrap();
        let hour = LinkCache::open(Some(dir.path()), Duration::from_secs(3600));
        assert_eq!(hour.get("https://a.example/"), None);
        let day = LinkCache::open(Some(dir.path()), Duration::from_secs(86400));
        assert!(day.get("https://a.example/").is_some());
        std::fs::write(dir.path().join(FILE), "{not json").unwrap();
        let damaged = LinkCache::open(Some(dir.path()), Duration::from_secs(86400));
        assert_eq!(damaged.get("https://a.example/"), None);
    }
}
