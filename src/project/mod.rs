//! The core every command drives: a community's inputs (settings, the
//! documents as read, dates from git, the theme; static files are listed
//! at each `derive`) and the one step that derives the linked site and its
//! gap report from them (`derive`) and renders it (`render`, in
//! `rendition`).
//!
//! `build` and `check` open a project and take the step once, `gaps` only
//! its first half; `serve` keeps one open, applies each batch of changed
//! files to it, and takes the step again, reusing what the change cannot
//! have touched.

mod rendition;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::model::document::{Document, Kind};
use crate::model::period::Period;
use crate::stages::config::{self, Config};
use crate::stages::gaps::{self, GapReport};
use crate::stages::history::HistoryUse;
use crate::stages::insights::past::{Past, PendingPast};
use crate::stages::insights::{self, Insights};
use crate::stages::link::{self, Site};
use crate::stages::load::{self, ReadResult};
use crate::stages::render::affected::gap_report_kept;
use crate::stages::render::facts::Edits;
use crate::stages::render::theme::Theme;
use crate::support::diagnostic::{Diagnostic, Diagnostics, display_path};
use crate::support::git_dates::GitDates;
use crate::support::markdown::Reading;
use crate::support::parse_cache::{CacheUse, ParseCache, PendingWrite};
use crate::{Stage, Stopwatch};
pub(crate) use rendition::{Rendered, Rendition, Scope};

/// What a project is opened for: it decides how much of each body is read
/// and whether the theme is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Every page is rendered.
    Build,
    /// Everything is checked, nothing written; pages are rendered (one per
    /// template) only when the community has templates of its own.
    Check,
    /// Only the linked site and its gaps; no theme.
    Gaps,
    /// Every page is rendered, then kept up to date.
    Serve,
}

/// How to open a project.
#[derive(Debug, Clone)]
pub(crate) struct ProjectOptions {
    pub(crate) root: PathBuf,
    pub(crate) purpose: Purpose,
    pub(crate) drafts: bool,
    /// The date gap rules judge by.
    pub(crate) today: jiff::civil::Date,
    /// The folder of parse caches; `None` parses every document.
    pub(crate) cache: Option<PathBuf>,
    /// The insights to make, if any (`build`, `serve`, `report`).
    pub(crate) insights: Option<InsightsRun>,
}

/// Which insights a run makes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InsightsRun {
    pub(crate) period: Period,
    /// `false` (`--no-history`) reads no git history: front matter only.
    pub(crate) history: bool,
}

impl InsightsRun {
    /// The /insights/ page's: the last `PAGE_QUARTERS` quarters to `today`.
    pub(crate) fn page(today: jiff::civil::Date, history: bool) -> InsightsRun {
        InsightsRun {
            period: Period::quarters_to(today, insights::PAGE_QUARTERS),
            history,
        }
    }
}

/// A community's inputs, read once and then kept up to date by `apply`.
pub(crate) struct Project {
    options: ProjectOptions,
    /// `None` when `community.yaml` could not be read: nothing else is.
    config: Option<Config>,
    config_problems: Vec<Diagnostic>,
    dates: GitDates,
    dates_problem: Option<Diagnostic>,
    /// Read with the documents when insights are made.
    past: Option<Past>,
    /// A commit was seen since the last rendition (`Changes::commit`).
    commit_pending: bool,
    /// Links out of the community in the sections, which are not read.
    links_out: Vec<Diagnostic>,
    /// The files `static/` publishes, by path relative to it, and what it
    /// refused (links out of the community).
    static_files: BTreeSet<String>,
    static_refused: Vec<Diagnostic>,
    reading: Reading,
    own_templates: bool,
    /// Every document file read, by source path relative to the root.
    files: BTreeMap<String, ReadResult>,
    /// Loaded when first needed, and again after a template changed.
    theme: Option<Theme>,
    cache_use: Option<CacheUse>,
    /// The parse cache being saved after a reading of every file; the save
    /// goes on beside the later stages until this is dropped.
    cache_written: PendingWrite,
    /// The last site rendered without errors (`render`).
    rendition: Option<Rendition>,
    /// Sources of documents that came, went or changed since `rendition`.
    pending: BTreeSet<String>,
    /// Whether a template changed since `rendition`: every page is
    /// rendered again.
    templates_pending: bool,
}

/// What is derived from a project's inputs.
pub(crate) struct Derived {
    pub(crate) site: Site,
    pub(crate) gaps: GapReport,
    /// When the run makes them (`ProjectOptions::insights`).
    pub(crate) insights: Option<Insights>,
}

/// Files that changed, sorted by what they are (see `Project::apply`).
#[derive(Debug, Default)]
pub(crate) struct Changes {
    /// Document files, by source path relative to the root.
    pub(crate) documents: BTreeSet<String>,
    /// A template of the community or its theme.
    pub(crate) templates: bool,
    /// A folder appeared or vanished inside a section: list them again.
    pub(crate) rescan: bool,
    /// A file came or went under `static/`: list them again.
    pub(crate) statics: bool,
    /// The git repository's head moved (a commit, a checkout): insights
    /// read the history again.
    pub(crate) commit: bool,
}

impl Project {
    /// Reads the settings, then every document (with dates from git, asked
    /// while the files are read).
    pub(crate) fn open(options: ProjectOptions, watch: &mut Stopwatch) -> Project {
        let (config, config_problems) = config::load(&options.root);
        watch.lap(Stage::Config);
        let mut project = Project {
            reading: Reading::Full,
            own_templates: false,
            config,
            config_problems,
            dates: GitDates::default(),
            dates_problem: None,
            past: None,
            commit_pending: false,
            links_out: Vec::new(),
            static_files: BTreeSet::new(),
            static_refused: Vec::new(),
            files: BTreeMap::new(),
            theme: None,
            cache_use: None,
            cache_written: PendingWrite::none(),
            rendition: None,
            pending: BTreeSet::new(),
            templates_pending: false,
            options,
        };
        if let Some(config) = &project.config {
            project.own_templates = has_own_templates(&project.options.root, config);
            project.reading = project.reading_for(project.own_templates);
            project.read_everything();
            project.list_static_files();
        }
        watch.lap(Stage::Load);
        project
    }

    fn reading_for(&self, own_templates: bool) -> Reading {
        match self.options.purpose {
            Purpose::Build | Purpose::Serve => Reading::Full,
            Purpose::Check if own_templates => Reading::Full,
            Purpose::Check | Purpose::Gaps => Reading::Outline,
        }
    }

    pub(crate) fn root(&self) -> &Path {
        &self.options.root
    }

    pub(crate) fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    /// Whether any template is not the default theme's. `check` renders
    /// pages only then: the default templates are tested with practica itself.
    pub(crate) fn has_own_templates(&self) -> bool {
        self.own_templates
    }

    pub(crate) fn cache_use(&self) -> Option<CacheUse> {
        self.cache_use
    }

    /// The theme, loaded on first use.
    pub(crate) fn theme(&mut self) -> Result<&mut Theme, Vec<Diagnostic>> {
        if self.theme.is_none()
            && let Some(config) = &self.config
        {
            self.theme = Some(Theme::load(&self.options.root, config)?);
        }
        self.theme.as_mut().ok_or_else(Vec::new)
    }

    /// The theme if it is loaded.
    pub(crate) fn loaded_theme(&self) -> Option<&Theme> {
        self.theme.as_ref()
    }

    /// Takes in a batch of changed files: documents are read again, the
    /// sections listed again, the theme dropped to be loaded again; the
    /// next `render` makes again what they change.
    /// Settings changes are not applied here: they change how every file is
    /// read, so the caller opens the project again.
    pub(crate) fn apply(&mut self, changes: &Changes) {
        if changes.templates {
            self.theme = None;
            self.templates_pending = true;
        }
        if changes.rescan {
            let changed = self.rescan();
            self.pending.extend(changed);
        }
        if changes.statics {
            self.list_static_files();
        }
        self.commit_pending |= changes.commit && self.past.is_some();
        for source in &changes.documents {
            self.reread(source);
            self.pending.insert(source.clone());
        }
    }

    /// Whether anything was applied since the last rendition.
    pub(crate) fn has_pending(&self) -> bool {
        self.templates_pending || self.commit_pending || !self.pending.is_empty()
    }

    /// The document read from `source`, if it is one.
    pub(crate) fn file(&self, source: &str) -> Option<&ReadResult> {
        self.files.get(source)
    }

    /// Whether some file read lies under the folder `prefix`.
    pub(crate) fn reads_under(&self, prefix: &str) -> bool {
        self.files.keys().any(|f| f.starts_with(prefix))
    }

    /// Links the documents as they are now and finds the gaps; the related
    /// documents of the last rendition (in `serve`) are taken over where
    /// the changes since cannot have altered them.
    /// `None` when the settings or (for every purpose but `Gaps`) the theme
    /// could not be read; the problems say why.
    pub(crate) fn derive(&mut self, watch: &mut Stopwatch) -> (Option<Derived>, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(self.config_problems.iter().cloned());
        let Some(config) = self.config.clone() else {
            return (None, diagnostics);
        };
        let results = self
            .files
            .iter()
            .map(|(source, result)| (source.as_str(), result.clone()));
        diagnostics.extend(self.static_refused.iter().cloned());
        let mut loaded = load::assemble(results, self.static_files.clone(), self.options.drafts);
        loaded.reading = self.reading;
        diagnostics.extend(std::mem::take(&mut loaded.diagnostics));
        diagnostics.extend(self.dates_problem.clone());
        diagnostics.extend(self.links_out.iter().cloned());
        let earlier = self.rendition.as_ref().map(|last| &*last.site);
        let severities = config.severities;
        let (site, problems) = link::link_reusing(config, loaded, earlier);
        diagnostics.extend(problems);
        diagnostics.extend(link::toolkit_warnings(&site, self.options.today));
        // `gaps` reports each as an overdue-review finding already.
        if self.options.purpose != Purpose::Gaps {
            diagnostics.extend(link::overdue_reviews(&site, self.options.today));
        }
        diagnostics.retain_map(|d| d.at_level(|check| severities.level(check)));
        watch.lap(Stage::Link);
        if self.options.purpose != Purpose::Gaps
            && let Err(problems) = self.theme()
        {
            diagnostics.extend(problems);
            return (None, diagnostics);
        }
        watch.lap(Stage::Theme);
        let gaps = match self.kept_gaps(&site) {
            Some(report) => report,
            None => gaps::analyse(&site, self.options.today),
        };
        watch.lap(Stage::Gaps);
        // `serve` makes them after the pages an edit changed (`render_later`).
        let later = self.options.purpose == Purpose::Serve && self.rendition.is_some();
        let insights = if later {
            None
        } else {
            self.insights(&site, &gaps)
        };
        if insights.is_some() {
            watch.lap(Stage::Insights);
        }
        let derived = Derived {
            site,
            gaps,
            insights,
        };
        (Some(derived), diagnostics)
    }

    /// Reads every document file, from the parse cache where unchanged;
    /// `git log` runs meanwhile, as it waits on another process: once,
    /// for the history of insights and the dates of the documents both
    /// when insights read it.
    fn read_everything(&mut self) {
        let Some(config) = &self.config else { return };
        let root = self.options.root.as_path();
        let cache = self
            .options
            .cache
            .as_deref()
            .map_or_else(ParseCache::off, |dir| ParseCache::open(dir, root));
        let (sources, links_out) = load::sources_checked(root);
        self.links_out = links_out;
        let (insights, today) = (self.options.insights, self.options.today);
        let cache_dir = self.options.cache.as_deref();
        let with_history = insights.is_some_and(|run| run.history) && config.history;
        let (read, dates, past) = std::thread::scope(|scope| {
            let git = scope.spawn(|| (!with_history).then(|| GitDates::read(config)));
            let past = scope.spawn(|| {
                insights.map(|run| {
                    let quarters = run.period.quarters();
                    let sources = source_paths(root, &sources);
                    Past::begin(config, &quarters, run.history, today, cache_dir, &sources)
                })
            });
            let read = load::read_all(root, &sources, cache, self.reading, config.raw_html);
            let dates = git.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            let past = past.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            (read, dates, past)
        });
        let (dates, problem) = dates.unwrap_or_else(|| {
            let history = past.as_ref().map(PendingPast::history);
            GitDates::of_history(config, history)
        });
        // Before the documents are dated: a past version has no date from
        // git, and only then is each document owned here alone again.
        self.past = past.map(|pending| finish_past(pending, config, cache_dir, &read.results));
        let mut results = read.results;
        // Each document has one owner here, so dating it copies nothing.
        results
            .par_iter_mut()
            .for_each(|(_, (document, _))| dates.fill_one(root, document.as_mut()));
        self.files = results.into_iter().collect();
        self.cache_use = read.cache_use;
        self.cache_written = read.written;
        self.dates = dates;
        self.dates_problem = problem;
    }

    /// The last rendition's gap report, if the edits since cannot have
    /// changed it (`serve`: a new title, summary or body, say).
    fn kept_gaps(&self, site: &Site) -> Option<GapReport> {
        let last = self.rendition.as_ref()?;
        if !last.site.same_documents(site, |_, _| true) {
            return None;
        }
        let edits = Edits::between_sites(&self.pending, &last.site, site);
        gap_report_kept(&edits).then(|| last.report.clone())
    }

    /// How the past versions of the documents were read for insights, if
    /// any were.
    pub(crate) fn history_use(&self) -> Option<HistoryUse> {
        self.past.as_ref().and_then(|past| past.used)
    }

    /// The insights of the derived site, the git history read again
    /// first if a commit came since it was (`serve`).
    pub(crate) fn insights(&mut self, site: &Site, gaps: &GapReport) -> Option<Insights> {
        let run = self.options.insights?;
        let root = self.options.root.clone();
        let today = self.options.today;
        if let Some(past) = &mut self.past
            && past.history.source.has_git()
            && past.history.is_stale(&root)
        {
            let quarters = run.period.quarters();
            let cache = self.options.cache.as_deref();
            *past = Past::read(&site.config, &quarters, run.history, today, cache);
        }
        let past = self.past.as_ref()?;
        Some(insights::derive(
            site,
            gaps,
            &past.history,
            &past.quarters,
            run.period,
        ))
    }

    fn list_static_files(&mut self) {
        let Some(config) = &self.config else { return };
        (self.static_files, self.static_refused) =
            load::static_files(&self.options.root, &config.publish_hidden);
    }

    /// Reads one document file again, or forgets it if it is gone.
    fn reread(&mut self, source: &str) {
        let path = self.options.root.join(source);
        match load::kind_of(Path::new(source)) {
            Some(kind) if path.is_file() => {
                let result = self.read_one(kind, &path);
                self.files.insert(source.to_string(), result);
            }
            _ => {
                self.files.remove(source);
            }
        }
    }

    /// One document file, dated as every other.
    fn read_one(&self, kind: Kind, path: &Path) -> ReadResult {
        let root = self.options.root.as_path();
        let raw_html = self.config.as_ref().map(|c| c.raw_html).unwrap_or_default();
        let mut result = load::read_file(root, path, kind, self.reading, raw_html);
        self.dates.fill_one(root, result.0.as_mut());
        result
    }

    /// Lists the sections again (after folders moved); reads the files not
    /// read yet, in parallel, and forgets those gone. Returns their sources.
    fn rescan(&mut self) -> BTreeSet<String> {
        let root = self.options.root.as_path();
        let (found, links_out) = load::sources_checked(root);
        self.links_out = links_out;
        let sources: BTreeMap<String, (Kind, PathBuf)> = found
            .into_iter()
            .filter_map(|(kind, path)| {
                let relative = path.strip_prefix(root).ok()?;
                Some((display_path(relative), (kind, path)))
            })
            .collect();
        let mut changed: BTreeSet<String> = self
            .files
            .keys()
            .filter(|k| !sources.contains_key(*k))
            .cloned()
            .collect();
        self.files.retain(|source, _| sources.contains_key(source));
        let new: Vec<(String, ReadResult)> = sources
            .par_iter()
            .filter(|(source, _)| !self.files.contains_key(*source))
            .map(|(source, (kind, path))| (source.clone(), self.read_one(*kind, path)))
            .collect();
        for (source, result) in new {
            changed.insert(source.clone());
            self.files.insert(source, result);
        }
        changed
    }
}

/// Whether any template is not the default theme's.
fn has_own_templates(root: &Path, config: &Config) -> bool {
    let overrides =
        std::fs::read_dir(root.join("templates")).is_ok_and(|mut entries| entries.next().is_some());
    overrides
        || config
            .theme
            .as_deref()
            .is_some_and(|name| name != "default")
}

/// The past quarters, with today's reading of the files git holds unchanged.
fn finish_past(
    pending: PendingPast,
    config: &Config,
    cache: Option<&Path>,
    results: &[(String, ReadResult)],
) -> Past {
    let today: HashMap<&str, &Option<Arc<Document>>> = results
        .iter()
        .map(|(source, (document, _))| (source.as_str(), document))
        .collect();
    pending.finish(config, cache, |source| {
        today.get(source).and_then(|d| (*d).clone())
    })
}

/// The paths of `sources` relative to `root`, as documents name them.
fn source_paths(root: &Path, sources: &[(Kind, PathBuf)]) -> HashSet<String> {
    sources
        .iter()
        .map(|(_, path)| display_path(path.strip_prefix(root).unwrap_or(path)))
        .collect()
}
