//! The site `serve` shows: a `Project` kept open and its pages in memory,
//! brought up to date file by file. `Project::apply` re-reads only the
//! files that changed, and `render::affected` (from the declarations in
//! `render::shows`) says which pages to render again; a broken edit leaves
//! the last good pages in place and reports its diagnostics instead.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::Stopwatch;
use crate::project::{Changes, InsightsRun, Project, ProjectOptions, Purpose, Rendered, Scope};
use crate::stages::config::CONFIG_FILE;
use crate::stages::load::{self, StaticEntry};
use crate::stages::render::OutputFile;
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
    /// A file of the site by its path relative to the site root; a file
    /// still being made is waited for, so no answer is out of date.
    pub fn file(&self, path: &str) -> Option<Bytes> {
        if let Some(deferred) = self.deferred.as_ref().filter(|d| d.covers(path))
            && let Some(made) = deferred.wait()
        {
            if made.gone.contains(path) {
                return None;
            }
            if let Some(file) = made.files.get(path) {
                return Some(Arc::clone(file));
            }
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
            && let Some(made) = deferred.wait()
        {
            all.retain(|path, _| !made.gone.contains(path));
            all.extend(made.files);
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

/// Files an edit changed that are published after its pages: data files,
/// the /insights/ page and search files, which no page an edit shows
/// loads, and which at 10,000 documents take longer to make than every
/// page it touches (`Project::render_later`).
pub(crate) struct Deferred {
    paths: BTreeSet<String>,
    /// Whether files under `search/` change.
    search: bool,
    made: Mutex<Option<Made>>,
    done: Condvar,
}

/// The files a `Deferred` made, and those it took out.
#[derive(Clone, Default)]
struct Made {
    files: HashMap<String, Bytes>,
    gone: BTreeSet<String>,
}

impl Deferred {
    fn new(paths: BTreeSet<String>, search: bool) -> Deferred {
        Deferred {
            paths,
            search,
            made: Mutex::new(None),
            done: Condvar::new(),
        }
    }

    /// Whether the file at `path` may be among those being made.
    fn covers(&self, path: &str) -> bool {
        self.paths.contains(path)
            || self.search
                && path
                    .strip_prefix(crate::stages::render::search::DIR)
                    .is_some_and(|rest| rest.starts_with('/'))
    }

    /// The files once made; `None` if they never come (the watcher stopped).
    fn wait(&self) -> Option<Made> {
        let made = self.made.lock().ok()?;
        let (made, _) = self
            .done
            .wait_timeout_while(made, DEFERRED_PATIENCE, |m| m.is_none())
            .ok()?;
        made.clone()
    }

    fn fulfil(&self, made: Made) {
        if let Ok(mut slot) = self.made.lock() {
            *slot = Some(made);
        }
        self.done.notify_all();
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

pub struct LiveSite {
    /// How the project is opened again after a settings change.
    options: ProjectOptions,
    project: Project,
    /// Rendered files of the last good site (shared with the server's
    /// readers, copied only when one still holds the previous version).
    pages: Arc<HashMap<String, Bytes>>,
    /// Static files and theme assets.
    copied: Arc<HashMap<String, Bytes>>,
    /// The problems of the current state of the files.
    diagnostics: Diagnostics,
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
        LiveSite::open_with(root, drafts, today, cache, true)
    }

    /// `open_cached`, reading git history for /insights/ only if `history`.
    pub fn open_with(
        root: &Path,
        drafts: bool,
        today: Option<jiff::civil::Date>,
        cache: Option<&Path>,
        history: bool,
    ) -> LiveSite {
        let today = today.unwrap_or_else(|| jiff::ZonedDateTime::now().date());
        let options = ProjectOptions {
            root: root.to_path_buf(),
            purpose: Purpose::Serve,
            drafts,
            today,
            cache: cache.map(Path::to_path_buf),
            insights: Some(InsightsRun::page(today, history)),
        };
        let mut live = LiveSite {
            project: Project::open(options.clone(), &mut Stopwatch::start()),
            options,
            pages: Arc::default(),
            copied: Arc::default(),
            diagnostics: Diagnostics::default(),
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
        let hidden = self.publish_hidden();
        let mut touched = Touched::default();
        for path in paths {
            let Ok(relative) = path.strip_prefix(self.project.root()) else {
                continue;
            };
            if moves_head(relative) {
                touched.inputs.commit = true;
                continue;
            }
            if ignored(relative, &theme_dirs.statics, &hidden) {
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

    /// The hidden names `static/` publishes all the same (`publish_hidden`).
    fn publish_hidden(&self) -> Vec<String> {
        self.project
            .config()
            .map(|c| c.publish_hidden.clone())
            .unwrap_or_default()
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

    fn apply(&mut self, mut touched: Touched) -> (Outcome, Vec<String>) {
        let statics_changed = self.refresh_copies(&touched.static_files);
        touched.inputs.statics =
            statics_changed.added || statics_changed.removed || statics_changed.warned;
        self.project.apply(&touched.inputs);
        // A new static file breaks nothing, but one that vanished may be
        // linked; a link out of the community has its warning come or go.
        let relink_statics = statics_changed.removed
            || statics_changed.warned
            || (statics_changed.added && self.diagnostics.has_errors());
        let nothing_else = !touched.inputs.rescan && !relink_statics;
        if nothing_else && !self.project.has_pending() {
            let written = touched.static_files;
            // A toolkit's zip holds copies of its files: made again after.
            let zips = self.project.zips_holding(&written);
            if !zips.is_empty() {
                self.deferred = Some(Arc::new(Deferred::new(zips, false)));
            }
            return match written.len() {
                0 => (Outcome::Unchanged, written),
                _ if statics_changed.only_css && !statics_changed.added => {
                    (Outcome::Styles, written)
                }
                _ => (Outcome::Reload, written),
            };
        }
        if nothing_else {
            let files = Mutex::new(Vec::new());
            let emit = |file: OutputFile| push(&files, file);
            if let Some(rendered) = self.project.render_in_place(&self.diagnostics, &emit) {
                self.publish_files(&rendered, files);
                return (Outcome::Reload, rendered.written);
            }
        }
        self.step()
    }

    /// Reads changed static files again; says whether the set of files changed.
    fn refresh_copies(&mut self, changed: &[String]) -> StaticChange {
        let mut change = StaticChange {
            only_css: changed.iter().all(|p| p.ends_with(".css")),
            added: false,
            removed: false,
            warned: false,
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
            let (bytes, link_out) = self.copy_for(&key, &statics);
            // A link out that came, or one a warning names that went.
            change.warned |= link_out || self.diagnostics.iter().any(|d| d.path() == Some(source));
            match bytes {
                Some(bytes) => {
                    change.added |= !self.copied.contains_key(&key);
                    Arc::make_mut(&mut self.copied).insert(key, Arc::new(bytes));
                }
                None => change.removed |= Arc::make_mut(&mut self.copied).remove(&key).is_some(),
            }
        }
        change
    }

    /// What `build` publishes at `key`: the community's static file, else
    /// the theme's (`statics` in that order), else a default asset, the
    /// order in which later copies win (`with_assets` leaves out what a
    /// folder replaces); each folder's files as `build` finds them
    /// (`load::published_file`). Also whether one is a link out of the
    /// community, which `build` warns of.
    fn copy_for(&self, key: &str, statics: &[PathBuf]) -> (Option<Vec<u8>>, bool) {
        let (own, link_out) = self.static_copy_for(key, statics);
        match (own, crate::default_asset(key)) {
            (None, Some(asset)) => (Some(asset.to_vec()), link_out),
            (own, _) => (own, link_out),
        }
    }

    /// `copy_for` among the static folders only.
    fn static_copy_for(&self, key: &str, statics: &[PathBuf]) -> (Option<Vec<u8>>, bool) {
        let (root, hidden) = (self.project.root(), self.publish_hidden());
        let mut link_out = false;
        for dir in statics {
            let dir = root.join(dir);
            match load::published_file(&dir, root, &hidden, Path::new(key)) {
                StaticEntry::File => return (std::fs::read(dir.join(key)).ok(), link_out),
                StaticEntry::LinkOut(_) => link_out = true,
                StaticEntry::Not => {}
            }
        }
        (None, link_out)
    }

    fn all_copies(&self) -> Vec<OutputFile> {
        let dirs = self
            .project
            .loaded_theme()
            .map(|t| crate::copy_dirs(self.project.root(), t, &self.publish_hidden()))
            .unwrap_or_default();
        let mut files = write::read_copies(&dirs);
        files.extend(crate::with_assets(Vec::new(), &dirs));
        files
    }

    /// The project's step: links the site again and makes again the files
    /// the edits change (every page after a template edit).
    fn step(&mut self) -> (Outcome, Vec<String>) {
        let mut watch = Stopwatch::start();
        let (derived, mut diagnostics) = self.project.derive(&mut watch);
        let Some(derived) = derived else {
            self.diagnostics = diagnostics;
            return (Outcome::Failed, Vec::new());
        };
        let files = Mutex::new(Vec::new());
        let emit = |file: OutputFile| push(&files, file);
        let rendered =
            self.project
                .render(derived, Scope::Changed, &mut diagnostics, &emit, &mut watch);
        self.diagnostics = diagnostics;
        if rendered.failed {
            return (Outcome::Failed, Vec::new());
        }
        self.publish_files(&rendered, files);
        if !rendered.data_later.is_empty() || rendered.search_later {
            let later = Deferred::new(rendered.data_later.clone(), rendered.search_later);
            self.deferred = Some(Arc::new(later));
        }
        (Outcome::Reload, rendered.written)
    }

    /// Puts the files a step made in the pages served, and takes out
    /// those the site no longer has.
    fn publish_files(&mut self, rendered: &Rendered, files: Mutex<Vec<OutputFile>>) {
        let pages = Arc::make_mut(&mut self.pages);
        match &rendered.paths {
            Some(paths) => pages.retain(|path, _| paths.contains(path)),
            None => remove_all(pages, &rendered.gone),
        }
        for file in files.into_inner().unwrap_or_default() {
            pages.insert(file.path, Arc::new(file.content));
        }
    }

    /// Makes the files the last update left; how many it made.
    pub fn make_deferred(&mut self) -> usize {
        let Some(deferred) = self.deferred.take() else {
            return 0;
        };
        if self.project.rendition().is_none() {
            self.release(&deferred);
            return 0;
        }
        let later = self.project.render_later(&deferred.paths);
        self.diagnostics.extend(later.problems);
        let made = Made {
            files: later
                .files
                .into_iter()
                .map(|f| (f.path, Arc::new(f.content)))
                .collect(),
            gone: later.gone.into_iter().collect(),
        };
        let pages = Arc::make_mut(&mut self.pages);
        for path in &made.gone {
            pages.remove(path);
        }
        pages.extend(
            made.files
                .iter()
                .map(|(path, bytes)| (path.clone(), Arc::clone(bytes))),
        );
        let count = made.files.len();
        deferred.fulfil(made);
        count
    }

    /// Lets readers waiting for files that will not be made have the
    /// versions there are.
    fn release(&self, deferred: &Deferred) {
        deferred.fulfil(Made::default());
    }

    /// Opens the project again, as `build` does (after a settings change).
    fn reopen(&mut self) -> (Outcome, Vec<String>) {
        self.project = Project::open(self.options.clone(), &mut Stopwatch::start());
        self.derive_all()
    }

    /// Derives and renders every page; keeps the last good pages if the
    /// project has errors.
    fn derive_all(&mut self) -> (Outcome, Vec<String>) {
        let previous = std::mem::take(&mut self.pages);
        let outcome = self.step();
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

fn remove_all(pages: &mut HashMap<String, Bytes>, paths: &[String]) {
    for path in paths {
        pages.remove(path);
    }
}

/// Keeps a file made on any thread.
fn push(files: &Mutex<Vec<OutputFile>>, file: OutputFile) {
    if let Ok(mut files) = files.lock() {
        files.push(file);
    }
}

struct ThemeDirs {
    templates: Vec<PathBuf>,
    statics: Vec<PathBuf>,
}

struct StaticChange {
    only_css: bool,
    added: bool,
    removed: bool,
    /// A link out of the community came or went: `build` warns of it.
    warned: bool,
}

/// Paths whose changes never affect the site: hidden files and folders
/// (`.git`, editor swap files) but for those a folder of static files
/// (`statics`) publishes (`hidden`, as `build` has it), editor backups and
/// temporary files, and the default output folder.
pub(crate) fn ignored(relative: &Path, statics: &[PathBuf], hidden: &[String]) -> bool {
    let mut names = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy());
    if names.next().is_some_and(|first| first == "public") {
        return true;
    }
    // How many names the static folder the path is in has, if it is in one.
    let in_static = statics
        .iter()
        .find(|d| relative.starts_with(d))
        .map(|d| d.components().count());
    relative.components().enumerate().any(|(index, c)| {
        let name = c.as_os_str().to_string_lossy();
        let unpublished = match in_static {
            Some(depth) if index >= depth => !load::shown_name(&name, index + 1 - depth, hidden),
            _ => name.starts_with('.'),
        };
        unpublished || editor_file(&name)
    })
}

/// Whether a change at `relative` may be a commit, or a checkout, in the
/// community's own repository: its head or a branch moved.
fn moves_head(relative: &Path) -> bool {
    let Ok(git) = relative.strip_prefix(".git") else {
        return false;
    };
    git == Path::new("HEAD") || git == Path::new("packed-refs") || git.starts_with("refs/heads")
}

/// An editor's swap, backup or temporary file.
fn editor_file(name: &str) -> bool {
    name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swo", ".swx", ".tmp", ".bak", ".crswap"]
            .iter()
            .any(|end| name.ends_with(end))
        || name.contains("___jb_")
        || name.starts_with(".goutputstream")
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
            assert!(ignored(Path::new(path), &[], &[]), "{path}");
        }
        for path in ["practices/a.md", "community.yaml", "static/x.css"] {
            assert!(!ignored(Path::new(path), &[], &[]), "{path}");
        }
    }

    /// The hidden names `publish_hidden` lets through at the top of a
    /// static folder are the site's; below them, hidden names are not.
    #[test]
    fn published_hidden_names_are_watched() {
        let statics = [PathBuf::from("static"), PathBuf::from("themes/t/static")];
        let hidden = [".well-known".to_string()];
        for path in [
            "static/.well-known/security.txt",
            "static/.well-known",
            "themes/t/static/.well-known/x",
        ] {
            assert!(!ignored(Path::new(path), &statics, &hidden), "{path}");
        }
        for path in [
            "static/.env",
            "static/.well-known/.x",
            "static/.well-known/x.swp",
            "static/a/.well-known/x",
            ".well-known/x",
            "practices/.well-known/x.md",
        ] {
            assert!(ignored(Path::new(path), &statics, &hidden), "{path}");
        }
        assert!(ignored(Path::new("static/.well-known/x"), &statics, &[]));
    }
}
