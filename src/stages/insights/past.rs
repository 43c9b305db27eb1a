//! The past quarters' figures: the practices' statuses and the gaps of the
//! community as it was at each quarter's last commit. Only a new commit, a
//! change of `community.yaml` or another practica changes them, so they
//! are kept in the cache folder between runs, with the commits of the head
//! they were read at: a build with no new commit asks git only for its head
//! and the quarters' last commits.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{QuarterGaps, StatusCounts, status_counts};
use crate::model::document::Document;
use crate::model::period::Quarter;
use crate::stages::config::{CONFIG_FILE, Config};
use crate::stages::gaps::{self, GapReport, Rule};
use crate::stages::history::{
    Author, Commit, History, HistoryUse, PastVersions, Snapshot, Source, versions,
};
use crate::stages::link::{self, Site};
use crate::stages::load;
use crate::support::markdown::Reading;
use crate::support::parse_cache::parser_stamp;

/// A quarter that has ended, as it was at its last commit.
#[derive(Debug, Clone)]
pub(crate) struct PastQuarter {
    pub(crate) quarter: Quarter,
    pub(crate) commit: String,
    pub(crate) practices: StatusCounts,
    pub(crate) gaps: QuarterGaps,
}

/// The git history read for insights, with its past quarters.
pub(crate) struct Past {
    pub(crate) history: History,
    pub(crate) quarters: Vec<PastQuarter>,
    /// How the past versions of the documents were read; `None` when no
    /// quarter needed them (all known from the cache, or no history).
    pub(crate) used: Option<HistoryUse>,
}

/// The history read beside today's documents, its past quarters waiting
/// for them (`finish`): a past version that is today's file is not read
/// again.
pub(crate) struct PendingPast {
    history: History,
    known: BTreeMap<(Quarter, String), PastQuarter>,
    /// The head the cache file was written at, if there is one.
    stored_head: Option<String>,
    /// The documents at the quarters not known from the cache.
    missing: Option<PastVersions>,
}

impl Past {
    /// The history of the quarters of `quarters` (none when `history` is
    /// off), from the cache in `cache` where it has them.
    pub(crate) fn read(
        config: &Config,
        quarters: &[Quarter],
        history: bool,
        today: Date,
        cache: Option<&Path>,
    ) -> Past {
        let pending = Past::begin(config, quarters, history, today, cache, &HashSet::new());
        pending.finish(config, cache, |_| None)
    }

    /// `read` up to today's documents: `sources` are the paths of the
    /// document files being read now, whose versions git holds unchanged
    /// are left for `PendingPast::finish`.
    pub(crate) fn begin(
        config: &Config,
        quarters: &[Quarter],
        history: bool,
        today: Date,
        cache: Option<&Path>,
        sources: &HashSet<String>,
    ) -> PendingPast {
        if !history || !config.history {
            return PendingPast {
                history: History::none(Source::Off),
                known: BTreeMap::new(),
                stored_head: None,
                missing: None,
            };
        }
        let stored = cache.and_then(|dir| Stored::load(dir, config));
        let known: BTreeMap<(Quarter, String), PastQuarter> =
            stored.as_ref().map(Stored::quarters).unwrap_or_default();
        let from_cache = |head: &str| {
            stored
                .as_ref()
                .filter(|s| s.head == head)
                .map(Stored::commits)
        };
        // The quarters' documents are read while git walks the commits.
        let (history, missing) = History::read(config, quarters, today, from_cache, |ends| {
            let missing: Vec<(Quarter, String)> = ends
                .iter()
                .filter(|end| !known.contains_key(end))
                .cloned()
                .collect();
            (!missing.is_empty()).then(|| versions(config, &missing, cache, sources))
        });
        PendingPast {
            stored_head: stored.map(|s| s.head),
            history,
            known,
            missing: missing.flatten(),
        }
    }
}

impl PendingPast {
    /// The history as git gave it (its commits read already).
    pub(crate) fn history(&self) -> &History {
        &self.history
    }

    /// The past quarters, `today` giving today's reading of a document
    /// file by its path (see `PastVersions::snapshots`); the cache in
    /// `cache` updated.
    pub(crate) fn finish(
        self,
        config: &Config,
        cache: Option<&Path>,
        today: impl Fn(&str) -> Option<Arc<Document>> + Sync,
    ) -> Past {
        let PendingPast {
            history,
            mut known,
            stored_head,
            missing,
        } = self;
        let used = missing.as_ref().map(|m| m.used);
        let found: Vec<PastQuarter> = missing
            .map(|m| m.snapshots(today))
            .unwrap_or_default()
            .par_iter()
            .flat_map_iter(|snapshot| summarise(config, snapshot))
            .collect();
        let changed = !found.is_empty() || stored_head.as_ref() != history.head.as_ref();
        for quarter in found {
            known.insert((quarter.quarter, quarter.commit.clone()), quarter);
        }
        if let (Some(dir), true, true) = (cache, changed, history.source.has_git()) {
            Stored::new(config, &history, &known).save(dir, config);
        }
        let quarters = history
            .ends
            .iter()
            .filter_map(|end| known.get(end).cloned())
            .collect();
        Past {
            history,
            quarters,
            used,
        }
    }
}

/// The statuses and the gaps of each quarter a commit ends, judged on the
/// quarter's last day with today's settings: the commit's documents are
/// linked once for all of them.
fn summarise(config: &Config, snapshot: &Snapshot) -> Vec<PastQuarter> {
    let site = link_snapshot(config, snapshot);
    let practices = status_counts(site.documents.iter().map(|d| &**d));
    snapshot
        .quarters
        .iter()
        .map(|&quarter| PastQuarter {
            quarter,
            commit: snapshot.commit.clone(),
            practices,
            gaps: counted(config, quarter, &gaps::analyse(&site, quarter.last_day())),
        })
        .collect()
}

/// The documents of a past commit, linked as `check` links an outline
/// reading (a document today's reading stands for may hold more, which
/// an outline's site does not look at).
fn link_snapshot(config: &Config, snapshot: &Snapshot) -> Site {
    let results = snapshot
        .documents
        .iter()
        .map(|(source, document)| (source.as_str(), (document.clone(), Vec::new())));
    let mut loaded = load::assemble(results, BTreeSet::new(), false);
    loaded.reading = Reading::Outline;
    link::link_reusing(config.clone(), loaded, None).0
}

/// The findings of `report` per rule; every rule in use is named, so
/// that one at zero reads as closed.
pub(crate) fn counted(config: &Config, quarter: Quarter, report: &GapReport) -> QuarterGaps {
    let mut rules: BTreeMap<&'static str, usize> = BTreeMap::new();
    for finding in &report.findings {
        *rules.entry(finding.rule.name()).or_default() += 1;
    }
    let total = rules.values().sum();
    for rule in Rule::ALL
        .into_iter()
        .filter(|&r| config.gaps.rules.weight(r).is_some())
    {
        rules.entry(rule.name()).or_default();
    }
    QuarterGaps {
        quarter,
        total,
        rules,
    }
}

/// The cache file: what a run read, for the next.
#[derive(Serialize, Deserialize)]
struct Stored {
    /// The code and the settings it was made with: any change, and the
    /// file is not used.
    stamp: String,
    head: String,
    commits: Vec<StoredCommit>,
    quarters: Vec<StoredQuarter>,
}

#[derive(Serialize, Deserialize)]
struct StoredCommit {
    name: String,
    email: String,
    date: String,
    files: Vec<(String, bool)>,
}

#[derive(Serialize, Deserialize)]
struct StoredQuarter {
    /// The quarter's first day.
    first_day: String,
    commit: String,
    practices: StatusCounts,
    rules: BTreeMap<String, usize>,
}

/// At most this many quarters are kept (each commit that ends a quarter
/// adds one; a rewritten history leaves old ones).
const KEPT_QUARTERS: usize = 400;

impl Stored {
    fn new(
        config: &Config,
        history: &History,
        known: &BTreeMap<(Quarter, String), PastQuarter>,
    ) -> Stored {
        Stored {
            stamp: stamp(config),
            head: history.head.clone().unwrap_or_default(),
            commits: history
                .commits
                .iter()
                .map(|c| StoredCommit {
                    name: c.author.name.clone(),
                    email: c.author.email.clone(),
                    date: c.date.to_string(),
                    files: c.files.clone(),
                })
                .collect(),
            quarters: known
                .values()
                .rev()
                .take(KEPT_QUARTERS)
                .map(|q| StoredQuarter {
                    first_day: q.quarter.first_day().to_string(),
                    commit: q.commit.clone(),
                    practices: q.practices,
                    rules: q
                        .gaps
                        .rules
                        .iter()
                        .map(|(r, n)| (r.to_string(), *n))
                        .collect(),
                })
                .collect(),
        }
    }

    fn load(dir: &Path, config: &Config) -> Option<Stored> {
        let bytes = std::fs::read(file(dir, config)).ok()?;
        let stored: Stored = serde_json::from_slice(&bytes).ok()?;
        (stored.stamp == stamp(config)).then_some(stored)
    }

    /// Written whole, then renamed: a reader never sees half a file.
    /// Losing it only costs speed, so a failure is not reported.
    fn save(&self, dir: &Path, config: &Config) {
        let Ok(text) = serde_json::to_vec(self) else {
            return;
        };
        let target = file(dir, config);
        let temporary = target.with_extension(format!("{}.tmp", std::process::id()));
        let written = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&temporary, text))
            .and_then(|()| std::fs::rename(&temporary, &target));
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }

    fn commits(&self) -> Vec<Commit> {
        self.commits
            .iter()
            .filter_map(|c| {
                Some(Commit {
                    author: Author {
                        name: c.name.clone(),
                        email: c.email.clone(),
                    },
                    date: c.date.parse().ok()?,
                    files: c.files.clone(),
                })
            })
            .collect()
    }

    fn quarters(&self) -> BTreeMap<(Quarter, String), PastQuarter> {
        self.quarters
            .iter()
            .filter_map(|q| {
                let quarter = Quarter::of(q.first_day.parse().ok()?);
                let rules: BTreeMap<&'static str, usize> = q
                    .rules
                    .iter()
                    .filter_map(|(name, n)| Some((Rule::parse(name)?.name(), *n)))
                    .collect();
                let gaps = QuarterGaps {
                    quarter,
                    total: rules.values().sum(),
                    rules,
                };
                let past = PastQuarter {
                    quarter,
                    commit: q.commit.clone(),
                    practices: q.practices,
                    gaps,
                };
                Some(((quarter, q.commit.clone()), past))
            })
            .collect()
    }
}

/// practica's code, and the settings every count depends on.
fn stamp(config: &Config) -> String {
    let settings = std::fs::read(config.root.join(CONFIG_FILE)).unwrap_or_default();
    format!(
        "{}{:016x}\n",
        parser_stamp(),
        xxhash_rust::xxh3::xxh3_64(&settings)
    )
}

/// One file per community folder, beside the parse caches.
fn file(dir: &Path, config: &Config) -> PathBuf {
    let root = std::fs::canonicalize(&config.root).unwrap_or_else(|_| config.root.clone());
    let hash = xxhash_rust::xxh3::xxh3_64(root.to_string_lossy().as_bytes());
    dir.join(format!("history-{hash:016x}.json"))
}
