//! practica: a static site generator for communities of practice.
//!
//! The pipeline, each stage a module, data flowing one way:
//! `config` → `load` → `link` → `gaps` → `render` → `write`, driven by one
//! core, [`project::Project`], which `build`, `check`, `gaps` and `serve`
//! all open. Every stage collects [`Diagnostic`]s instead of stopping at
//! the first problem.

pub mod import;
mod model;
pub mod project;
pub mod scaffold;
pub mod serve;
mod stages;
mod support;

pub use model::{document, ids};
pub use stages::{config, gaps, link, load, render, write};
pub use support::{diagnostic, parse_cache};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use support::diagnostic::{Diagnostic, Diagnostics, Severity, Span};

use project::{Project, ProjectOptions, Purpose, Scope};
use stages::render::OutputFile;
use stages::render::theme::{DEFAULT_ASSETS, Theme};
use stages::write::CopyDir;
use support::parse_cache::CacheUse;

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `ROOT/public`.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// The date gap rules judge by; `None` is today.
    pub today: Option<jiff::civil::Date>,
    /// `false` runs every check without writing anything (`practica check`).
    pub write: bool,
    /// The folder of parse caches (`parse_cache::default_dir`); `None` parses every document.
    pub cache: Option<PathBuf>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            today: None,
            write: true,
            cache: None,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

#[derive(Debug)]
pub struct BuildReport {
    pub diagnostics: Diagnostics,
    /// HTML pages rendered (`check` renders one page per template only).
    pub pages: usize,
    /// Documents loaded, drafts left out unless asked for.
    pub documents: usize,
    /// Document files taken from the parse cache and parsed (drafts
    /// included); `None` when no cache was used.
    pub cache_use: Option<CacheUse>,
    pub elapsed: Duration,
    pub output: PathBuf,
    /// Whether the site was written (never when there are errors).
    pub written: bool,
    /// How long each stage took, in pipeline order.
    pub stages: Vec<Lap>,
}

impl BuildReport {
    /// 0 fine, 1 content errors, 2 usage or settings errors.
    pub fn exit_code(&self) -> i32 {
        if self.diagnostics.has_settings_errors() {
            2
        } else if self.diagnostics.has_errors() {
            1
        } else {
            0
        }
    }
}

/// The stages of a build, in order, as `BuildReport::stages` names them.
pub const STAGES: [&str; 8] = [
    "config", "load", "link", "theme", "gaps", "render", "search", "write",
];

pub fn build(options: &BuildOptions) -> BuildReport {
    build_observed(options, &|_| {})
}

/// `build`, calling `on_stage` with each stage's name as it ends (for progress bars).
pub fn build_observed(options: &BuildOptions, on_stage: &dyn Fn(&'static str)) -> BuildReport {
    let started = Instant::now();
    let mut report = BuildReport {
        diagnostics: Diagnostics::default(),
        pages: 0,
        documents: 0,
        cache_use: None,
        elapsed: Duration::ZERO,
        output: options.output_dir(),
        written: false,
        stages: Vec::new(),
    };
    let mut watch = Stopwatch::start();
    watch.observer = Some(on_stage);
    run(options, &mut report, &mut watch);
    report.stages = watch.laps;
    report.elapsed = started.elapsed();
    report
}

/// One stage of a run: how long it took, and the process's peak memory
/// when it ended (where the system tells: Linux).
#[derive(Debug, Clone)]
pub struct Lap {
    pub stage: &'static str,
    pub took: Duration,
    /// Processor time of all threads during the stage (where the system
    /// tells: Linux); against `took`, how well the stage used the cores.
    pub cpu: Option<Duration>,
    pub peak_bytes: Option<u64>,
}

/// The process's peak resident memory so far, from `/proc/self/status`.
fn peak_resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Processor time the process has used so far, from `/proc/self/stat`.
fn processor_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // Linux reports in clock ticks of 1/100 s (USER_HZ) on every architecture.
    Some(Duration::from_millis(ticks * 10))
}

/// Times the stages of a run, one lap each.
pub struct Stopwatch<'o> {
    last: Instant,
    last_cpu: Option<Duration>,
    pub laps: Vec<Lap>,
    /// Told the name of each stage as it ends.
    pub observer: Option<&'o dyn Fn(&'static str)>,
}

impl Stopwatch<'_> {
    pub fn start() -> Self {
        Stopwatch {
            last: Instant::now(),
            last_cpu: processor_time(),
            laps: Vec::new(),
            observer: None,
        }
    }

    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        let cpu = processor_time();
        self.laps.push(Lap {
            stage,
            took: now - self.last,
            cpu: cpu
                .zip(self.last_cpu)
                .map(|(now, last)| now.saturating_sub(last)),
            peak_bytes: peak_resident_bytes(),
        });
        self.last = now;
        self.last_cpu = cpu;
        if let Some(observer) = self.observer {
            observer(stage);
        }
    }
}

fn run(options: &BuildOptions, report: &mut BuildReport, watch: &mut Stopwatch) {
    let purpose = if options.write {
        Purpose::Build
    } else {
        Purpose::Check
    };
    let mut project = Project::open(project_options(options, purpose), watch);
    report.cache_use = project.cache_use();
    let (derived, problems) = project.derive(watch);
    report.diagnostics.extend(problems);
    let Some(derived) = derived else {
        return;
    };
    report.documents = derived.site.documents.len();
    if !options.write {
        return check_templates(&mut project, derived, report, watch);
    }
    if let Err(d) = write::check_output(&options.root, &report.output) {
        report.diagnostics.push(d);
    }
    if report.diagnostics.has_errors() {
        // Rendered all the same, to report template errors too; not written.
        let rendered = project.render(
            derived,
            Scope::Every,
            &mut report.diagnostics,
            &|_| {},
            watch,
        );
        report.pages = rendered.pages();
        return;
    }
    let hidden = project
        .config()
        .map(|c| c.publish_hidden.clone())
        .unwrap_or_default();
    let Ok(theme) = project.theme() else { return };
    let copies = copy_dirs(&options.root, theme, &hidden);
    let staging = match write::Staging::begin(&options.root, &report.output, &copies) {
        Ok(staging) => staging,
        Err(d) => return report.diagnostics.push(d),
    };
    let put = |file: OutputFile| staging.add(&file);
    let rendered = project.render(derived, Scope::Every, &mut report.diagnostics, &put, watch);
    report.pages = rendered.pages();
    if rendered.failed {
        return;
    }
    with_assets(Vec::new())
        .iter()
        .for_each(|file| staging.add(file));
    match staging.finish() {
        Ok(left_behind) => {
            report.written = true;
            report.diagnostics.extend(left_behind);
        }
        Err(d) => report.diagnostics.push(d),
    }
    watch.lap("write");
}

/// `check` renders pages only for a community with templates of its own
/// (the default templates are tested with practica itself), and then one
/// page per template.
fn check_templates(
    project: &mut Project,
    derived: project::Derived,
    report: &mut BuildReport,
    watch: &mut Stopwatch,
) {
    if !project.has_own_templates() {
        return watch.lap("render");
    }
    let sample = one_page_per_template(&derived.site);
    let pages = std::sync::atomic::AtomicUsize::new(0);
    let count = |file: OutputFile| {
        if file.path.ends_with(".html") {
            pages.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    };
    let scope = Scope::Only(&sample);
    project.render(derived, scope, &mut report.diagnostics, &count, watch);
    report.pages = pages.into_inner();
}

fn project_options(options: &BuildOptions, purpose: Purpose) -> ProjectOptions {
    ProjectOptions {
        root: options.root.clone(),
        purpose,
        drafts: options.drafts,
        today: options
            .today
            .unwrap_or_else(|| jiff::ZonedDateTime::now().date()),
        cache: options.cache.clone(),
    }
}

/// The pages `check` renders when the community has its own templates: every page that is not a document or a tag
/// page, plus the first document of each kind and the first tag page. Every
/// template runs once, so template errors surface without rendering the
/// whole site; errors that only some documents' data trigger need `build`.
fn one_page_per_template(site: &link::Site) -> BTreeSet<String> {
    let documents: BTreeSet<String> = site
        .documents
        .iter()
        .map(|d| format!("{}index.html", d.url))
        .collect();
    let mut sample: BTreeSet<String> = render::output_paths(site)
        .into_iter()
        .filter(|p| p.ends_with(".html") && !documents.contains(p) && !p.starts_with("tags/"))
        .collect();
    for kind in document::Kind::ALL {
        if let Some(first) = site.documents.iter().find(|d| d.kind == kind) {
            sample.insert(format!("{}index.html", first.url));
        }
    }
    sample.insert("tags/index.html".into());
    if let Some(tag) = site.tags.first() {
        sample.insert(format!("tags/{}/index.html", tag.slug));
    }
    sample
}

/// The folders copied into every site: the theme's and the community's
/// `static/`, with the hidden names `publish_hidden` lets through.
pub(crate) fn copy_dirs(root: &Path, theme: &Theme, hidden: &[String]) -> Vec<CopyDir> {
    let own = root.join(load::STATIC_DIR);
    theme
        .static_dir
        .iter()
        .cloned()
        .chain(own.exists().then_some(own))
        .map(|from| CopyDir {
            from,
            to: String::new(),
            root: root.to_path_buf(),
            hidden: hidden.to_vec(),
        })
        .collect()
}

/// The default theme's asset published at `path` (`assets/NAME`), if any.
pub(crate) fn default_asset(path: &str) -> Option<&'static [u8]> {
    let name = path.strip_prefix("assets/")?;
    DEFAULT_ASSETS
        .iter()
        .find(|(asset, _)| *asset == name)
        .map(|(_, bytes)| *bytes)
}

/// The rendered files plus the default theme's assets.
pub(crate) fn with_assets(mut files: Vec<OutputFile>) -> Vec<OutputFile> {
    files.extend(DEFAULT_ASSETS.iter().map(|(name, bytes)| OutputFile {
        path: format!("assets/{name}"),
        content: bytes.to_vec(),
    }));
    files
}
