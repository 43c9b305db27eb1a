//! practica: a static site generator for communities of practice.
//!
//! The pipeline, each stage a module, data flowing one way:
//! `config` → `load` → `link` → `gaps` → `render` → `write`, driven by one
//! core, `project::Project`, which `build`, `check`, `gaps` and `serve`
//! all open. Every stage collects [`Diagnostic`]s instead of stopping at
//! the first problem.

// Items are `pub(crate)` unless the CLI, the tests or a library user name
// them; the lint catches a `pub` that nothing outside the crate can reach.
#![warn(unreachable_pub)]

pub mod cms;
pub mod import;
mod model;
pub(crate) mod project;
pub mod scaffold;
pub mod schema;
pub mod serve;
mod stages;
mod support;

pub use model::{document, ids};
pub(crate) use stages::{config, load};
pub use stages::{gaps, link, render, write};
pub use support::{diagnostic, memory, parse_cache};

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use stages::external::LinkCheckUse;
pub use stages::history::HistoryUse;
pub use stages::insights::report::{ReportFormat, ReportOutcome, ReportRequest, report};
pub use support::diagnostic::{Diagnostic, Diagnostics, Severity, Span};

use project::{InsightsRun, Project, ProjectOptions, Purpose, Scope};
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
    /// The site's address, instead of `base_url` in community.yaml
    /// (`build --base-url`, as CI knows it); checked the same way.
    pub base_url: Option<String>,
    /// Also fetch every web address the documents link to (`check
    /// --external`); without it nothing touches the network.
    pub external: bool,
    /// Warnings fail the run as errors do (`--deny-warnings`), for CI that
    /// lets no new warning in while legacy ones are listed.
    pub deny_warnings: bool,
    /// Read git history for the /insights/ page (`build --no-history`
    /// turns it off; so does `history: false` in community.yaml).
    pub history: bool,
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
            base_url: None,
            external: false,
            deny_warnings: false,
            history: true,
        }
    }

    pub(crate) fn output_dir(&self) -> PathBuf {
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
    /// How the past versions of the documents were read for /insights/;
    /// `None` when none were (no history, or every quarter cached).
    pub history_use: Option<HistoryUse>,
    pub elapsed: Duration,
    pub output: PathBuf,
    /// Whether the site was written (never when there are errors).
    pub written: bool,
    /// How long each stage took, in pipeline order.
    pub stages: Vec<Lap>,
    /// What the check of external links did, when it ran.
    pub external: Option<LinkCheckUse>,
    /// Whether warnings fail the run (`BuildOptions::deny_warnings`).
    pub deny_warnings: bool,
}

impl BuildReport {
    /// 0 fine, 1 content errors (or warnings, when they are denied), 2
    /// usage or settings errors.
    pub fn exit_code(&self) -> i32 {
        let warned = self.deny_warnings && self.diagnostics.iter().next().is_some();
        if self.diagnostics.has_settings_errors() {
            2
        } else if self.diagnostics.has_errors() || warned {
            1
        } else {
            0
        }
    }
}

/// A stage of a run, as `BuildReport::stages` and progress bars name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    Config,
    Load,
    Link,
    Theme,
    Gaps,
    /// Community health over time (`build` and `serve`).
    Insights,
    /// Fetching web addresses: `check --external` only.
    External,
    Render,
    Search,
    Write,
}

impl Stage {
    /// Every stage, in the order a run goes through them.
    pub const ALL: [Stage; 10] = [
        Stage::Config,
        Stage::Load,
        Stage::Link,
        Stage::Theme,
        Stage::Gaps,
        Stage::Insights,
        Stage::External,
        Stage::Render,
        Stage::Search,
        Stage::Write,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Config => "config",
            Stage::Load => "load",
            Stage::Link => "link",
            Stage::Theme => "theme",
            Stage::Gaps => "gaps",
            Stage::Insights => "insights",
            Stage::External => "external",
            Stage::Render => "render",
            Stage::Search => "search",
            Stage::Write => "write",
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `pad`, so that `{:<8}` lines stages up.
        f.pad(self.name())
    }
}

/// The stages a run with `options` goes through, in order: `check` stops
/// after `render`; `external` (fetching web addresses) only when asked.
pub fn stages_of(options: &BuildOptions) -> Vec<Stage> {
    Stage::ALL
        .into_iter()
        .filter(|stage| match stage {
            Stage::External => options.external,
            Stage::Search | Stage::Write | Stage::Insights => options.write,
            Stage::Config
            | Stage::Load
            | Stage::Link
            | Stage::Theme
            | Stage::Gaps
            | Stage::Render => true,
        })
        .collect()
}

pub fn build(options: &BuildOptions) -> BuildReport {
    build_observed(options, &|_| {})
}

/// `build`, calling `on_stage` with each stage as it ends (for progress bars).
pub fn build_observed(options: &BuildOptions, on_stage: &dyn Fn(Stage)) -> BuildReport {
    let started = Instant::now();
    let mut report = BuildReport {
        diagnostics: Diagnostics::default(),
        pages: 0,
        documents: 0,
        cache_use: None,
        history_use: None,
        elapsed: Duration::ZERO,
        output: options.output_dir(),
        written: false,
        stages: Vec::new(),
        external: None,
        deny_warnings: options.deny_warnings,
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
    pub stage: Stage,
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
pub(crate) struct Stopwatch<'o> {
    last: Instant,
    last_cpu: Option<Duration>,
    laps: Vec<Lap>,
    /// Told each stage as it ends.
    observer: Option<&'o dyn Fn(Stage)>,
}

impl Stopwatch<'_> {
    pub(crate) fn start() -> Self {
        Stopwatch {
            last: Instant::now(),
            last_cpu: processor_time(),
            laps: Vec::new(),
            observer: None,
        }
    }

    pub(crate) fn lap(&mut self, stage: Stage) {
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
    let base_url = base_url_override(options).unwrap_or_else(|problem| {
        report.diagnostics.push(problem);
        None
    });
    let mut project = Project::open(project_options(options, purpose), watch);
    report.cache_use = project.cache_use();
    report.history_use = project.history_use();
    let (derived, problems) = project.derive(watch);
    report.diagnostics.extend(problems);
    let Some(mut derived) = derived else {
        return;
    };
    report.diagnostics.extend(cms::check(&derived.site.config));
    // Only rendering reads `base_url` (links are relative), so it may change here.
    if base_url.is_some() {
        derived.site.config.base_url = base_url;
    }
    report.documents = derived.site.documents.len();
    if options.external {
        let cache = options.cache.as_deref();
        let (problems, used) = stages::external::check(&derived.site, &options.root, cache);
        report.diagnostics.extend(problems);
        report.external = Some(used);
        watch.lap(Stage::External);
    }
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
    let theme = match project.theme() {
        Ok(theme) => theme,
        Err(problems) => return report.diagnostics.extend(problems),
    };
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
    with_assets(Vec::new(), &copies)
        .iter()
        .for_each(|file| staging.add(file));
    match staging.finish() {
        Ok(left_behind) => {
            report.written = true;
            report.diagnostics.extend(left_behind);
        }
        Err(d) => report.diagnostics.push(d),
    }
    watch.lap(Stage::Write);
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
        return watch.lap(Stage::Render);
    }
    let sample = render::one_page_per_template(&derived.site);
    let scope = Scope::Only(&sample);
    let rendered = project.render(derived, scope, &mut report.diagnostics, &|_| {}, watch);
    report.pages = rendered.pages();
}

/// `BuildOptions::base_url`, checked as `base_url` is in community.yaml.
fn base_url_override(options: &BuildOptions) -> Result<Option<String>, Diagnostic> {
    let Some(url) = options.base_url.as_deref() else {
        return Ok(None);
    };
    config::site_address(url.trim()).map(Some).map_err(|problem| {
        Diagnostic::run_error(format!("`--base-url` {problem}, found `{url}`"))
            .with_hint("give the address the site is published at, like `--base-url https://example.org/toolkit/`")
            .settings()
    })
}

fn project_options(options: &BuildOptions, purpose: Purpose) -> ProjectOptions {
    let today = options
        .today
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    ProjectOptions {
        root: options.root.clone(),
        purpose,
        drafts: options.drafts,
        today,
        cache: options.cache.clone(),
        insights: (purpose == Purpose::Build).then(|| InsightsRun::page(today, options.history)),
    }
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

/// The rendered files plus the default theme's assets that no folder of
/// `copies` replaces: a community's `static/assets/favicon.svg` is its
/// favicon, as a reader of the docs expects, not silently the default's.
pub(crate) fn with_assets(mut files: Vec<OutputFile>, copies: &[CopyDir]) -> Vec<OutputFile> {
    files.extend(
        DEFAULT_ASSETS
            .iter()
            .map(|(name, bytes)| (format!("assets/{name}"), bytes))
            .filter(|(path, _)| !copies.iter().any(|c| copies_file(c, path)))
            .map(|(path, bytes)| OutputFile {
                path,
                content: bytes.to_vec(),
            }),
    );
    files
}

/// `copy` publishes a file at `path` of the site.
pub(crate) fn copies_file(copy: &CopyDir, path: &str) -> bool {
    let entry = load::published_file(&copy.from, &copy.root, &copy.hidden, Path::new(path));
    matches!(entry, load::StaticEntry::File)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The progress bar counts on `stages_of`: a run laps exactly the
    /// stages it announces, in order.
    #[test]
    fn a_run_laps_the_stages_it_announces() {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-community");
        let out = tempfile::tempdir().unwrap();
        let built = BuildOptions {
            output: Some(out.path().join("site")),
            ..BuildOptions::new(&example)
        };
        let checked = BuildOptions {
            write: false,
            ..BuildOptions::new(&example)
        };
        for options in [built, checked] {
            let report = build(&options);
            assert!(!report.diagnostics.has_errors(), "{:?}", report.diagnostics);
            let lapped: Vec<Stage> = report.stages.iter().map(|lap| lap.stage).collect();
            assert_eq!(lapped, stages_of(&options), "write: {}", options.write);
        }
    }
}
