//! The site `serve` shows: a `Project` kept open and its pages in memory,
//! brought up to date file by file. `Project::apply` re-reads only the
//! files that changed, and `render::affected` (from the declarations in
//! `render::shows`) says which pages to render again; a broken edit leaves
//! the last good pages in place and reports its diagnostics instead.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use rustc_hash::FxHashSet;

use crate::Stopwatch;
use crate::model::document::Document;
use crate::project::{Changes, Derived, Project, ProjectOptions, Purpose};
use crate::stages::config::CONFIG_FILE;
use crate::stages::gaps::GapReport;
use crate::stages::link::{DocId, FullSite, Site};
use crate::stages::load;
use crate::stages::render::affected::{Affected, State, affected, own_pages_only};
use crate::stages::render::facts::Edits;
use crate::stages::render::search::SearchIndex;
use crate::stages::render::view::{Earlier, Views};
use crate::stages::render::{self, OutputFile};
use crate::stages::write;
use crate::support::diagnostic::{Diagnostic, Diagnostics, display_path};

/// A file's bytes as served; shared so a response never copies a page.
pub(crate) type Bytes = Arc<Vec<u8>>;

/// The site as the server answers from it at one moment.
#[derive(Clone, Default)]
pub struct Published {
    pages: Arc<HashMap<String, Bytes>>,
    copied: Arc<HashMap<String, Bytes>>,
    problems: Arc<Vec<Diagnostic>>,
    /// Data files the edit changed that are still being made.
    deferred: Option<Arc<Deferred>>,
}

impl Published {
    /// A file of the site by its path relative to the site root; a data
    /// file still being made is waited for, so no answer is out of date.
    pub fn file(&self, path: &str) -> Option<Bytes> {
        if let Some(deferred) = self.deferred.as_ref().filter(|d| d.paths.contains(path))
            && let Some(files) = deferred.wait()
        {
            return files.get(path).cloned();
        }
        self.pages
            .get(path)
            .or_else(|| self.copied.get(path))
            .cloned()
    }

    /// Every output path with its bytes, for comparing with `build`.
    pub fn snapshot(&self) -> BTreeMap<String, Bytes> {
        let mut all: BTreeMap<String, Bytes> = (*self.copied).clone().into_iter().collect();
        all.extend((*self.pages).clone());
        if let Some(deferred) = &self.deferred
            && let Some(files) = deferred.wait()
        {
            all.retain(|path, _| !deferred.paths.contains(path));
            all.extend(files);
        }
        all
    }

    /// The problems of the files as they are now, sorted.
    pub fn problems(&self) -> &[Diagnostic] {
        &self.problems
    }

    pub fn failed(&self) -> bool {
        self.problems
            .iter()
            .any(|d| d.severity == crate::Severity::Error)
    }

    /// The event that tells a browser the state on connecting.
    pub(crate) fn state_event(&self) -> &'static str {
        if self.failed() { "errors" } else { "ok" }
    }

    /// Problems as JSON for the page's overlay.
    pub fn problems_json(&self) -> String {
        overlay_json(&self.problems)
    }
}

/// Problems as the page's overlay reads them: each one's severity and its
/// text, `path:line:col: severity: message` with the hint below.
pub(crate) fn overlay_json(problems: &[Diagnostic]) -> String {
    let items: Vec<serde_json::Value> = problems
        .iter()
        .map(|d| {
            serde_json::json!({
                "severity": if d.is_error() { "error" } else { "warning" },
                "text": d.to_string(),
            })
        })
        .collect();
    serde_json::Value::Array(items).to_string()
}

/// Data files an edit changed, published after the pages: no page loads
/// them, and at 10,000 documents `graph.json` and `gaps.json` take longer
/// to make than every page an edit touches.
pub(crate) struct Deferred {
    paths: BTreeSet<String>,
    files: Mutex<Option<HashMap<String, Bytes>>>,
    made: Condvar,
}

impl Deferred {
    fn new(paths: BTreeSet<String>) -> Deferred {
        Deferred {
            paths,
            files: Mutex::new(None),
            made: Condvar::new(),
        }
    }

    /// The files once made; `None` if they never come (the watcher stopped).
    fn wait(&self) -> Option<HashMap<String, Bytes>> {
        let files = self.files.lock().ok()?;
        let (files, _) = self
            .made
            .wait_timeout_while(files, DEFERRED_PATIENCE, |f| f.is_none())
            .ok()?;
        files.clone()
    }

    fn fulfil(&self, made: HashMap<String, Bytes>) {
        if let Ok(mut files) = self.files.lock() {
            *files = Some(made);
        }
        self.made.notify_all();
    }
}

const DEFERRED_PATIENCE: Duration = Duration::from_secs(30);

/// What an update did, for the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing the site shows changed.
    Unchanged,
    /// Only stylesheets changed: the page can swap them without reloading.
    Styles,
    /// Pages changed: reload.
    Reload,
    /// The edit broke the build; the last good site is still served.
    Failed,
}

/// The result of one update.
#[derive(Debug)]
pub struct Update {
    pub outcome: Outcome,
    /// Files written by this update.
    pub rendered: usize,
    /// How many of them are HTML pages.
    pub pages: usize,
    pub took: Duration,
}

/// The last good site and what its pages were made from.
struct Good {
    site: FullSite,
    views: Views,
    report: GapReport,
    search: SearchIndex,
}

impl Good {
    fn state(&self) -> State<'_> {
        State {
            site: &self.site,
            views: &self.views,
        }
    }
}

pub struct LiveSite {
    /// How the project is opened again after a settings change.
    options: ProjectOptions,
    project: Project,
    good: Option<Good>,
    /// Rendered files of the last good site (shared with the server's
    /// readers, copied only when one still holds the previous version).
    pages: Arc<HashMap<String, Bytes>>,
    /// Static files and theme assets.
    copied: Arc<HashMap<String, Bytes>>,
    /// The problems of the current state of the files.
    diagnostics: Diagnostics,
    /// Sources edited since the pages were last rendered.
    pending: BTreeSet<String>,
    /// Templates changed since every page was last rendered.
    templates_pending: bool,
    /// Data files of the last update still to make (`make_deferred`).
    deferred: Option<Arc<Deferred>>,
}

impl Drop for LiveSite {
    /// A watcher that stops (or panics) between pages and data files must
    /// not leave readers waiting out `DEFERRED_PATIENCE`.
    fn drop(&mut self) {
        if let Some(deferred) = self.deferred.take() {
            self.release(&deferred);
        }
    }
}

/// What a batch of changed paths touches.
#[derive(Default)]
struct Touched {
    config: bool,
    static_files: Vec<String>,
    /// Templates, documents and folders: what the project takes in.
    inputs: Changes,
}

impl LiveSite {
    /// Builds the whole site into memory.
    pub fn open(root: &Path, drafts: bool, today: Option<jiff::civil::Date>) -> LiveSite {
        LiveSite::open_cached(root, drafts, today, None)
    }

    /// `open`, taking unchanged documents from the parse cache in `cache`
    /// (as `build` does) whenever it reads every file.
    pub fn open_cached(
        root: &Path,
        drafts: bool,
        today: Option<jiff::civil::Date>,
        cache: Option<&Path>,
    ) -> LiveSite {
        let options = ProjectOptions {
            root: root.to_path_buf(),
            purpose: Purpose::Serve,
            drafts,
            today: today.unwrap_or_else(|| jiff::ZonedDateTime::now().date()),
            cache: cache.map(Path::to_path_buf),
        };
        let mut live = LiveSite {
            project: Project::open(options.clone(), &mut Stopwatch::start()),
            options,
            good: None,
            pages: Arc::default(),
            copied: Arc::default(),
            diagnostics: Diagnostics::default(),
            pending: BTreeSet::new(),
            templates_pending: false,
            deferred: None,
        };
        live.derive_all();
        live
    }

    pub fn diagnostics(&self) -> &Diagnostics {
        &self.diagnostics
    }

    /// The files and problems of this moment, for the server to answer from.
    pub fn publish(&self) -> Published {
        Published {
            pages: Arc::clone(&self.pages),
            copied: Arc::clone(&self.copied),
            problems: Arc::new(self.diagnostics.clone().sorted()),
            deferred: self.deferred.clone(),
        }
    }

    /// Brings the site up to date after the files at `paths` changed.
    pub fn update(&mut self, paths: &[PathBuf]) -> Update {
        let mut update = self.update_pages_first(paths);
        update.rendered += self.make_deferred();
        update
    }

    /// `update`, leaving the data files it changed to `make_deferred`: the
    /// server publishes the pages and tells the browser before making them.
    pub fn update_pages_first(&mut self, paths: &[PathBuf]) -> Update {
        self.make_deferred();
        let started = Instant::now();
        let touched = self.classify(paths);
        let (outcome, written) = if touched.config {
            self.reopen()
        } else {
            self.apply(touched)
        };
        Update {
            outcome,
            rendered: written.len(),
            pages: written.iter().filter(|p| p.ends_with(".html")).count(),
            took: started.elapsed(),
        }
    }

    fn classify(&self, paths: &[PathBuf]) -> Touched {
        let theme_dirs = self.theme_dirs();
        let mut touched = Touched::default();
        for path in paths {
            let Ok(relative) = path.strip_prefix(self.project.root()) else {
                continue;
            };
            if ignored(relative) {
                continue;
            }
            let shown = display_path(relative);
            if shown == CONFIG_FILE {
                touched.config = true;
            } else if theme_dirs.templates.iter().any(|d| relative.starts_with(d)) {
                touched.inputs.templates = true;
            } else if theme_dirs.statics.iter().any(|d| relative.starts_with(d)) {
                touched.static_files.push(shown);
            } else if load::kind_of(relative).is_some() && !path.is_dir() {
                touched.inputs.documents.insert(shown);
            } else if path.is_dir() || self.project.reads_under(&shown) {
                touched.inputs.rescan |= crate::model::document::Kind::ALL
                    .iter()
                    .any(|k| relative.starts_with(k.section()));
            }
        }
        touched
    }

    fn theme_dirs(&self) -> ThemeDirs {
        let chosen = self
            .project
            .config()
            .and_then(|c| c.theme.clone())
            .filter(|t| t != "default");
        let mut dirs = ThemeDirs {
            templates: vec![PathBuf::from("templates")],
            statics: vec![PathBuf::from(load::STATIC_DIR)],
        };
        if let Some(name) = chosen {
            let theme = Path::new("themes").join(name);
            dirs.templates.push(theme.join("templates"));
            dirs.statics.push(theme.join("static"));
        }
        dirs
    }

    fn apply(&mut self, touched: Touched) -> (Outcome, Vec<String>) {
        let statics_changed = self.refresh_copies(&touched.static_files);
        self.templates_pending |= touched.inputs.templates;
        self.pending.extend(self.project.apply(&touched.inputs));
        // A new static file breaks nothing, but one that vanished may be linked.
        let relink_statics =
            statics_changed.removed || (statics_changed.added && self.diagnostics.has_errors());
        let nothing_else = !self.templates_pending && !touched.inputs.rescan && !relink_statics;
        if nothing_else && self.pending.is_empty() {
            let written = touched.static_files;
            return match written.len() {
                0 => (Outcome::Unchanged, written),
                _ if statics_changed.only_css && !statics_changed.added => {
                    (Outcome::Styles, written)
                }
                _ => (Outcome::Reload, written),
            };
        }
        if nothing_else && let Some(written) = self.edits_in_place() {
            return (Outcome::Reload, written);
        }
        self.relink()
    }

    /// Reads changed static files again; says whether the set of files changed.
    fn refresh_copies(&mut self, changed: &[String]) -> StaticChange {
        let mut change = StaticChange {
            only_css: changed.iter().all(|p| p.ends_with(".css")),
            added: false,
            removed: false,
        };
        let statics = self.theme_dirs().statics;
        for source in changed {
            let Some(key) = statics
                .iter()
                .find_map(|d| Path::new(source).strip_prefix(d).ok())
                .map(display_path)
            else {
                continue;
            };
            match self.copy_for(&key, &statics) {
                Some(bytes) => {
                    change.added |= !self.copied.contains_key(&key);
                    Arc::make_mut(&mut self.copied).insert(key, Arc::new(bytes));
                }
                None => change.removed |= Arc::make_mut(&mut self.copied).remove(&key).is_some(),
            }
        }
        change
    }

    /// What `build` publishes at `key`: a default asset, else the community's
    /// static file, else the theme's (`statics` in that order), the order in
    /// which later copies win. Symbolic links are not published.
    fn copy_for(&self, key: &str, statics: &[PathBuf]) -> Option<Vec<u8>> {
        if let Some(asset) = crate::default_asset(key) {
            return Some(asset.to_vec());
        }
        statics
            .iter()
            .map(|dir| self.project.root().join(dir).join(key))
            .find(|path| std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()))
            .and_then(|path| std::fs::read(path).ok())
    }

    fn all_copies(&self) -> Vec<OutputFile> {
        let dirs = self
            .project
            .loaded_theme()
            .map(|t| {
                let hidden = self
                    .project
                    .config()
                    .map(|c| c.publish_hidden.clone())
                    .unwrap_or_default();
                crate::copy_dirs(self.project.root(), t, &hidden)
            })
            .unwrap_or_default();
        let mut files = write::read_copies(&dirs);
        files.extend(crate::with_assets(Vec::new()));
        files
    }

    /// The quick path for the common edit, prose: when the edits changed
    /// only what the documents' own pages show (`own_pages_only`), swaps
    /// the documents in place and makes again what `affected` says they
    /// change, their pages and search entries.
    fn edits_in_place(&mut self) -> Option<Vec<String>> {
        let good = self.good.as_mut()?;
        if self.diagnostics.has_errors() {
            return None;
        }
        let mut swaps: Vec<(DocId, Arc<Document>)> = Vec::new();
        for source in &self.pending {
            let (Some(new), problems) = self.project.file(source)? else {
                return None;
            };
            if !problems.is_empty()
                || self
                    .diagnostics
                    .iter()
                    .any(|d| d.path() == Some(source.as_str()))
            {
                return None;
            }
            let id = good.site.documents.position(|d| &d.source == source)?;
            swaps.push((id, new.clone()));
        }
        let edits = Edits::new(&self.pending, &good.site, |source| {
            swaps
                .iter()
                .find(|(_, new)| new.source == source)
                .map(|(_, new)| &**new)
        });
        if !own_pages_only(&edits) {
            return None;
        }
        let previous: Vec<(DocId, Arc<Document>)> = swaps
            .into_iter()
            .map(|(id, document)| {
                (
                    id,
                    std::mem::replace(&mut good.site.documents[id], document),
                )
            })
            .collect();
        let changed = affected(good.state(), good.state(), &edits);
        let rendered = self.project.theme().ok().map(|theme| {
            render::render_only(
                &good.site,
                &good.report,
                theme,
                &good.views,
                Some(&changed.paths),
            )
        });
        let Some((mut files, _)) = rendered.filter(|(_, problems)| problems.is_empty()) else {
            // The full path below must see these edits against the site
            // before them, to render their pages again and report why.
            for (id, document) in previous {
                good.site.documents[id] = document;
            }
            return None;
        };
        let replaced =
            good.search
                .replace(&good.site, &changed.search_entries, changed.search_tables);
        files.extend(replaced.files);
        let written = paths_of(&files);
        let pages = Arc::make_mut(&mut self.pages);
        remove_all(pages, &replaced.gone);
        for file in files {
            pages.insert(file.path, Arc::new(file.content));
        }
        self.pending.clear();
        Some(written)
    }

    /// Links the whole site again and makes again the files the edits
    /// change (every page after a template edit).
    fn relink(&mut self) -> (Outcome, Vec<String>) {
        let earlier = self.good.as_ref().map(|good| &*good.site);
        let (derived, diagnostics) = self.project.derive(earlier, &mut Stopwatch::start());
        // serve opens its project for a full reading, so only a failed
        // derivation is not a site to render.
        let Some((site, report)) =
            derived.and_then(|Derived { site, gaps }| site.into_full().map(|site| (site, gaps)))
        else {
            self.diagnostics = diagnostics;
            return (Outcome::Failed, Vec::new());
        };
        let mut diagnostics = diagnostics;
        let (views, changed) = self.views_and_changes(&site, &report);
        let (only, data) = pages_and_data(changed.as_ref(), self.templates_pending);
        let theme = match self.project.theme() {
            Ok(theme) => theme,
            Err(problems) => {
                diagnostics.extend(problems);
                self.diagnostics = diagnostics;
                return (Outcome::Failed, Vec::new());
            }
        };
        let (mut files, render_problems) =
            render::render_only(&site, &report, theme, &views, only.as_ref());
        diagnostics.extend(render_problems);
        self.diagnostics = diagnostics;
        if self.diagnostics.has_errors() {
            return (Outcome::Failed, Vec::new());
        }
        let mut gone = Vec::new();
        let search = self.reindex(&site, changed.as_ref(), &mut files, &mut gone);
        let written = paths_of(&files);
        let pages = Arc::make_mut(&mut self.pages);
        match self.good.as_ref() {
            Some(good) if same_page_paths(&good.site, &site) => remove_all(pages, &gone),
            _ => {
                let mut keep: FxHashSet<String> = render::output_paths(&site).into_iter().collect();
                keep.extend(search.paths(&site));
                pages.retain(|path, _| keep.contains(path));
            }
        }
        for file in files {
            pages.insert(file.path, Arc::new(file.content));
        }
        if !data.is_empty() {
            self.deferred = Some(Arc::new(Deferred::new(data)));
        }
        let earlier = self.good.replace(Good {
            site,
            views,
            report,
            search,
        });
        // Freeing ten thousand documents takes tens of milliseconds that
        // the reader should not wait for.
        std::thread::spawn(move || drop(earlier));
        self.pending.clear();
        self.templates_pending = false;
        (Outcome::Reload, written)
    }

    /// The views of the newly linked `site`, reusing the last good site's,
    /// and the files the edits since then change (`None` without one).
    fn views_and_changes(&self, site: &FullSite, report: &GapReport) -> (Views, Option<Affected>) {
        let Some(good) = &self.good else {
            return (render::views(site, report), None);
        };
        let edits = Edits::between_sites(&self.pending, &good.site, site);
        let earlier = Earlier {
            site: &good.site,
            views: &good.views,
            edits: &edits,
        };
        let views = render::views_reusing(site, report, Some(earlier));
        let new = State {
            site,
            views: &views,
        };
        let changed = affected(good.state(), new, &edits);
        (views, Some(changed))
    }

    /// The search index for `site`: the entries `changed` names replaced in
    /// the last one when no document came or went (ids are positions), else
    /// made anew. Files it made go to `files`; shard files that lost their
    /// last word, to `gone`.
    fn reindex(
        &mut self,
        site: &Site,
        changed: Option<&Affected>,
        files: &mut Vec<OutputFile>,
        gone: &mut Vec<String>,
    ) -> SearchIndex {
        let same_documents = self
            .good
            .as_ref()
            .is_some_and(|good| good.site.same_documents(site, |_, _| true));
        match (self.good.as_mut(), changed) {
            (Some(good), Some(changed)) if same_documents => {
                let mut index = std::mem::take(&mut good.search);
                let replaced = index.replace(site, &changed.search_entries, changed.search_tables);
                files.extend(replaced.files);
                gone.extend(replaced.gone);
                index
            }
            _ => {
                let index = SearchIndex::new(site);
                files.extend(index.files(site));
                index
            }
        }
    }

    /// Makes the data files the last update left; how many it made.
    pub fn make_deferred(&mut self) -> usize {
        let Some(deferred) = self.deferred.take() else {
            return 0;
        };
        let Some(good) = self.good.as_ref() else {
            self.release(&deferred);
            return 0;
        };
        let made: HashMap<String, Bytes> =
            render::render_data(&good.site, &good.report, &deferred.paths)
                .into_iter()
                .map(|f| (f.path, Arc::new(f.content)))
                .collect();
        let pages = Arc::make_mut(&mut self.pages);
        pages.extend(
            made.iter()
                .map(|(path, bytes)| (path.clone(), Arc::clone(bytes))),
        );
        let count = made.len();
        deferred.fulfil(made);
        count
    }

    /// Lets readers waiting for data files that will not be made have the
    /// versions there are.
    fn release(&self, deferred: &Deferred) {
        let there: HashMap<String, Bytes> = deferred
            .paths
            .iter()
            .filter_map(|path| Some((path.clone(), Arc::clone(self.pages.get(path)?))))
            .collect();
        deferred.fulfil(there);
    }

    /// Opens the project again, as `build` does (after a settings change).
    fn reopen(&mut self) -> (Outcome, Vec<String>) {
        self.project = Project::open(self.options.clone(), &mut Stopwatch::start());
        self.derive_all()
    }

    /// Derives and renders every page; keeps the last good pages if the
    /// project has errors.
    fn derive_all(&mut self) -> (Outcome, Vec<String>) {
        self.good = None;
        self.templates_pending = true;
        let previous = std::mem::take(&mut self.pages);
        let outcome = self.relink();
        if outcome.0 == Outcome::Failed {
            self.pages = previous;
        } else {
            self.copied = Arc::new(
                self.all_copies()
                    .into_iter()
                    .map(|f| (f.path, Arc::new(f.content)))
                    .collect(),
            );
        }
        outcome
    }
}

/// Whether two sites render pages at the same paths: the same documents
/// (drafts alike, which have no search fragment) and the same tags. Only
/// then can an update skip listing all 20,000 paths of a large site.
fn same_page_paths(old: &Site, new: &Site) -> bool {
    let same_documents =
        old.same_documents(new, |a, b| a.url == b.url && a.front.draft == b.front.draft);
    let same_tags = old.tags.len() == new.tags.len()
        && old
            .tags
            .iter()
            .zip(&new.tags)
            .all(|(a, b)| a.slug == b.slug);
    same_documents && same_tags && old.config.base_url == new.config.base_url
}

/// The pages to render and the data files to make after them; `None`
/// renders every page and data file at once (a template changed).
fn pages_and_data(
    changed: Option<&Affected>,
    every_page: bool,
) -> (Option<BTreeSet<String>>, BTreeSet<String>) {
    match changed {
        Some(changed) if !every_page => {
            let (data, pages) = changed
                .paths
                .iter()
                .cloned()
                .partition(|p| render::is_data_file(p));
            (Some(pages), data)
        }
        _ => (None, BTreeSet::new()),
    }
}

fn remove_all(pages: &mut HashMap<String, Bytes>, paths: &[String]) {
    for path in paths {
        pages.remove(path);
    }
}

fn paths_of(files: &[OutputFile]) -> Vec<String> {
    files.iter().map(|f| f.path.clone()).collect()
}

struct ThemeDirs {
    templates: Vec<PathBuf>,
    statics: Vec<PathBuf>,
}

struct StaticChange {
    only_css: bool,
    added: bool,
    removed: bool,
}

/// Paths whose changes never affect the site: hidden files and folders
/// (`.git`, editor swap files), editor backups and temporary files, and the
/// default output folder.
pub(crate) fn ignored(relative: &Path) -> bool {
    let mut names = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy());
    if names.next().is_some_and(|first| first == "public") {
        return true;
    }
    relative.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.')
            || name.starts_with('#')
            || name.ends_with('~')
            || name == "4913"
            || [".swp", ".swo", ".swx", ".tmp", ".bak", ".crswap"]
                .iter()
                .any(|end| name.ends_with(end))
            || name.contains("___jb_")
            || name.starts_with(".goutputstream")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_and_output_are_ignored() {
        for path in [
            "practices/.a.md.swp",
            "practices/a.md~",
            "practices/#a.md#",
            "practices/4913",
            "public/index.html",
            ".git/index",
            "practices/a.md___jb_tmp___",
            "static/site.css.tmp",
        ] {
            assert!(ignored(Path::new(path)), "{path}");
        }
        for path in ["practices/a.md", "community.yaml", "static/x.css"] {
            assert!(!ignored(Path::new(path)), "{path}");
        }
    }
}
