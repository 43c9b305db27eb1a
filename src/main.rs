//! The command line: parses arguments, runs the library, prints diagnostics.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{CommandFactory, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use practica::diagnostic::format::{self as diagnostic_format, Grouped, Sources};
use practica::document::Kind;
use practica::gaps::{Baseline, GapsRequest, format as gap_format};
use practica::import::{Engine, ImportOptions, ImportReport};
use practica::scaffold;
use practica::schema::Subject;
use practica::serve::live::Outcome;
use practica::serve::{Report, ServeOptions};
use practica::{BuildOptions, BuildReport, Diagnostic, Stage};

/// mimalloc takes fewer instructions than the system allocator for the
/// many short-lived allocations of a build (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (its bindings do
/// not name it): how long freed memory is kept before it goes back.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// From the first very large document on, freed memory goes back at once:
/// a 10 MB document then peaks at 16–21 times its size instead of 24–29,
/// while ten thousand small ones keep mimalloc's speed (BENCHMARKS.md).
fn release_freed_memory_at_once() {
    // SAFETY: setting an option is an atomic store in mimalloc, valid at
    // any time from any thread; 0 is a documented value of this option.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}

#[derive(Parser)]
#[command(
    name = "practica",
    version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("PRACTICA_COMMIT"), ")"),
    about = "A static site generator for communities of practice"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What `build` and `check` share: which documents, and how to report.
#[derive(clap::Args)]
struct RunArgs {
    /// `human` for people, `json` one object per line, `github` workflow annotations
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    format: MessageFormat,
    /// Include documents marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Print only errors and warnings, no summary
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print how long each stage took
    #[arg(short, long)]
    verbose: bool,
    /// Exit with 1 when there are warnings too (for CI: no new warning
    /// while legacy ones are listed)
    #[arg(long)]
    deny_warnings: bool,
    #[command(flatten)]
    cache: CacheArgs,
}

/// The parse cache, shared by every command that reads the whole community.
#[derive(clap::Args)]
struct CacheArgs {
    /// Parse every document again instead of reusing what earlier runs parsed
    /// (kept in $PRACTICA_CACHE_DIR, else $XDG_CACHE_HOME/practica or ~/.cache/practica)
    #[arg(long)]
    no_cache: bool,
}

impl CacheArgs {
    fn dir(&self) -> Option<PathBuf> {
        if self.no_cache {
            None
        } else {
            practica::parse_cache::default_dir()
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into ROOT/public (or -o DIR)
    Build {
        /// The community folder (holds community.yaml)
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Output folder
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The address the site is published at, instead of `base_url` in community.yaml
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Make /insights/ from front matter dates only, without reading git history
        #[arg(long)]
        no_history: bool,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Report every problem a build would find, without writing anything (for CI)
    Check {
        /// The community folder (holds community.yaml)
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Also fetch every external link (http/https) to find broken ones;
        /// set up in community.yaml under `external_links`
        #[arg(long)]
        external: bool,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Preview the site on a local port, rebuilding and reloading as files change
    Serve {
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Port to listen on (default: the first free one from 1111)
        #[arg(short, long)]
        port: Option<u16>,
        /// Address to listen on; anything but 127.0.0.1 shows the site to your network
        #[arg(short, long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        #[arg(long)]
        drafts: bool,
        /// Make /insights/ from front matter dates only, without reading git history
        #[arg(long)]
        no_history: bool,
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// Report the community's health over a period: participation, needs,
    /// impact and knowledge coverage, as on /insights/
    ///
    /// For example: `practica report --since 2025-01-01 --format html -o report.html`,
    /// then print it from a browser (two A4 pages).
    Report {
        #[arg(default_value = ".")]
        root: PathBuf,
        /// The period's first day (default: a year before --until)
        #[arg(long, value_name = "DATE")]
        since: Option<jiff::civil::Date>,
        /// The period's last day (default: today)
        #[arg(long, value_name = "DATE")]
        until: Option<jiff::civil::Date>,
        #[arg(long, value_enum, default_value_t = ReportFormatArg::Markdown)]
        format: ReportFormatArg,
        /// Write the report to this file instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The date to judge gaps and "now" by (default: today)
        #[arg(long)]
        today: Option<jiff::civil::Date>,
        /// Front matter dates only, without reading git history
        #[arg(long)]
        no_history: bool,
        #[arg(long)]
        drafts: bool,
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// Show the community's knowledge gaps, ranked
    Gaps {
        #[arg(default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = GapFormat::Table)]
        format: GapFormat,
        /// Exit with 1 when any of these rules fires (comma-separated names)
        #[arg(long, value_delimiter = ',')]
        fail_on: Vec<String>,
        /// Report only these rules (comma-separated names)
        #[arg(long, value_delimiter = ',')]
        rule: Vec<String>,
        /// Report only these topics, the topics below them and their documents (comma-separated slugs)
        #[arg(long, value_delimiter = ',')]
        topic: Vec<String>,
        /// Report only the N most urgent topics and documents
        #[arg(long, value_name = "N")]
        top: Option<usize>,
        /// A gaps.json from before the change: show what it opened and closed
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// The date to judge staleness and reviews by (default: today)
        #[arg(long)]
        today: Option<jiff::civil::Date>,
        #[arg(long)]
        drafts: bool,
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// Write a new document from its kind's archetype and print its path
    New {
        /// What to write
        #[arg(value_parser = named(&Kind::ALL, Kind::name))]
        kind: Kind,
        /// The document's title; its file name is made from it
        title: String,
        /// The community folder (holds community.yaml)
        #[arg(default_value = ".")]
        root: PathBuf,
    },
    /// Start a community in a new or empty folder
    Init {
        /// The folder to create, or an empty one to fill
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Write a web editor (Decap CMS) for the community into static/admin/, or bring it up to date
    ///
    /// Its forms are made from the kinds, their front matter keys and the domain map;
    /// settings above the `Made by practica cms` line of static/admin/config.yml are kept.
    /// Try it with `npx decap-server` in the community folder and `practica serve`.
    Cms {
        /// The community folder (holds community.yaml)
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Where the editor page loads Decap CMS from (default: unpkg's copy of the tested release)
        #[arg(long, value_name = "URL")]
        script: Option<String>,
    },
    /// Print the JSON Schema of community.yaml or of a kind's front matter, for editors
    ///
    /// For example: `practica schema community`, or `practica schema --out .practica/schemas`
    /// to write them all (what `practica init` writes, made again for this version).
    Schema {
        /// What the schema describes
        #[arg(value_parser = named(&Subject::ALL, Subject::name), required_unless_present = "out")]
        subject: Option<Subject>,
        /// Write every schema into this folder (replacing older ones) instead
        #[arg(long, value_name = "DIR", conflicts_with = "subject")]
        out: Option<PathBuf>,
    },
    /// Convert another engine's site into a new community, leaving the site as it was
    ///
    /// Reads a Hugo, Jekyll or Zola site, an MkDocs project or an Obsidian vault, and
    /// writes DEST: documents with practica's front matter, links rewritten to
    /// relative `.md` paths, files under static/, a member profile per author and
    /// the tags found in community.yaml. Ends with what it could not convert, at
    /// file:line in the source, and a check of the new community.
    Import {
        /// The site to import (nothing in it is changed)
        source: PathBuf,
        /// The new community's folder: new, or empty
        dest: PathBuf,
        /// The site's engine (detected from its files when left out)
        #[arg(long, value_enum)]
        from: Option<EngineArg>,
        /// FOLDER=KIND: pages under FOLDER (of the content folder; `.` for all others)
        /// become KIND: practice, guide, case-study, member, or skip. Repeatable
        #[arg(long = "map", value_name = "FOLDER=KIND")]
        map: Vec<practica::import::FolderRule>,
        /// Print the plan and what could not be converted; write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Print a shell completion script
    ///
    /// For example: `practica completions bash > ~/.local/share/bash-completion/completions/practica`
    /// or `practica completions zsh > ~/.zfunc/_practica`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, or a command's
    ///
    /// For example: `practica man > practica.1`, `practica man check > practica-check.1`.
    Man {
        /// A command, for its own page
        command: Option<String>,
    },
}

#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
enum MessageFormat {
    Human,
    Json,
    Github,
}

/// Takes the names of `all` (and `--help` lists them), for values that
/// name themselves: a new kind or schema needs no change here.
fn named<T>(all: &'static [T], name: fn(T) -> &'static str) -> impl TypedValueParser<Value = T>
where
    T: Copy + Send + Sync + 'static,
{
    PossibleValuesParser::new(all.iter().map(|&value| name(value))).try_map(move |given| {
        all.iter()
            .copied()
            .find(|&value| name(value) == given)
            .ok_or("not one of the possible values")
    })
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum EngineArg {
    Hugo,
    Jekyll,
    Zola,
    Mkdocs,
    Obsidian,
}

impl EngineArg {
    fn engine(self) -> Engine {
        match self {
            EngineArg::Hugo => Engine::Hugo,
            EngineArg::Jekyll => Engine::Jekyll,
            EngineArg::Zola => Engine::Zola,
            EngineArg::Mkdocs => Engine::MkDocs,
            EngineArg::Obsidian => Engine::Obsidian,
        }
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportFormatArg {
    Markdown,
    Json,
    Html,
}

impl ReportFormatArg {
    fn format(self) -> practica::ReportFormat {
        match self {
            ReportFormatArg::Markdown => practica::ReportFormat::Markdown,
            ReportFormatArg::Json => practica::ReportFormat::Json,
            ReportFormatArg::Html => practica::ReportFormat::Html,
        }
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum GapFormat {
    Table,
    Markdown,
    Json,
}

impl GapFormat {
    /// How the run's problems are printed beside the report: as JSON lines
    /// for a JSON report, else for people.
    fn messages(self) -> MessageFormat {
        match self {
            GapFormat::Json => MessageFormat::Json,
            GapFormat::Table | GapFormat::Markdown => MessageFormat::Human,
        }
    }
}

fn main() -> ExitCode {
    practica::memory::on_large_document(release_freed_memory_at_once);
    let cli = Cli::parse();
    let (options, run) = match cli.command {
        Command::New { kind, title, root } => {
            return ExitCode::from(new(kind, &title, &root));
        }
        Command::Init { dir } => return ExitCode::from(init(&dir)),
        Command::Schema { subject, out } => return ExitCode::from(schema(subject, out)),
        Command::Cms { root, script } => return ExitCode::from(cms(&root, script)),
        Command::Import {
            source,
            dest,
            from,
            map,
            dry_run,
        } => {
            let options = ImportOptions {
                source,
                dest,
                engine: from.map(EngineArg::engine),
                rules: map,
                dry_run,
            };
            return ExitCode::from(import(&options));
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "practica",
                &mut std::io::stdout(),
            );
            return ExitCode::SUCCESS;
        }
        Command::Man { command } => return ExitCode::from(man(command.as_deref())),
        Command::Serve {
            root,
            port,
            bind,
            open,
            drafts,
            no_history,
            cache,
        } => {
            let options = ServeOptions {
                port,
                bind,
                drafts,
                history: !no_history,
                cache: cache.dir(),
                ..ServeOptions::new(root)
            };
            return ExitCode::from(serve(&options, open));
        }
        Command::Gaps {
            root,
            format,
            fail_on,
            rule,
            topic,
            top,
            baseline,
            today,
            drafts,
            cache,
        } => {
            let messages = format.messages();
            let rules = |names: &[String], flag: &str| {
                practica::gaps::parse_rules(names, flag).inspect_err(|problem| {
                    print_gap_problems(std::slice::from_ref(problem), &root, messages)
                })
            };
            let (Ok(fail_on), Ok(only)) = (rules(&fail_on, "--fail-on"), rules(&rule, "--rule"))
            else {
                return ExitCode::from(2);
            };
            let baseline = match baseline
                .as_deref()
                .map(|path| read_baseline(path, messages))
            {
                Some(None) => return ExitCode::from(2),
                read => read.flatten(),
            };
            let request = GapsRequest {
                fail_on,
                baseline,
                today,
                drafts,
                cache: cache.dir(),
                selection: practica::gaps::Selection {
                    rules: only,
                    topics: topic
                        .iter()
                        .map(|t| t.trim().to_string())
                        .filter(|t| !t.is_empty())
                        .collect(),
                },
                top,
                ..GapsRequest::new(root)
            };
            return ExitCode::from(gaps(&request, format));
        }
        Command::Report {
            root,
            since,
            until,
            format,
            output,
            today,
            no_history,
            drafts,
            cache,
        } => {
            let request = practica::ReportRequest {
                since,
                until,
                format: format.format(),
                today,
                history: !no_history,
                drafts,
                cache: cache.dir(),
                ..practica::ReportRequest::new(root)
            };
            return ExitCode::from(report(&request, output.as_deref()));
        }
        Command::Build {
            root,
            output,
            base_url,
            no_history,
            run,
        } => (
            BuildOptions {
                today: None,
                root,
                output,
                drafts: run.drafts,
                write: true,
                cache: run.cache.dir(),
                base_url,
                external: false,
                deny_warnings: run.deny_warnings,
                history: !no_history,
            },
            run,
        ),
        Command::Check {
            root,
            external,
            run,
        } => (
            BuildOptions {
                today: None,
                root,
                output: None,
                drafts: run.drafts,
                write: false,
                cache: run.cache.dir(),
                base_url: None,
                external,
                deny_warnings: run.deny_warnings,
                history: false,
            },
            run,
        ),
    };
    let output = Verbosity::of(run.quiet, run.verbose);
    let format = run.format;
    ExitCode::from(build(&options, output, format))
}

/// `build` and `check`: the pipeline, a progress bar for people, the report.
fn build(options: &BuildOptions, output: Verbosity, format: MessageFormat) -> u8 {
    let progress = (output != Verbosity::Quiet && format == MessageFormat::Human)
        .then(|| Progress::after(Duration::from_millis(300), practica::stages_of(options)));
    let report = match &progress {
        Some(progress) => practica::build_observed(options, &|stage| progress.stage_done(stage)),
        None => practica::build(options),
    };
    if let Some(progress) = progress {
        progress.finish();
    }
    print_report(&report, options, output, format);
    report.exit_code() as u8
}

/// A progress bar on stderr, for a person at a terminal: it shows up only
/// when a build takes longer than `delay`, and clears itself at the end.
struct Progress {
    bar: ProgressBar,
    /// The run's stages, in order.
    stages: Vec<Stage>,
    /// Set when the build ends; the lock keeps a late "show the bar" from
    /// drawing a bar that has just been cleared.
    ended: Arc<Mutex<bool>>,
}

impl Progress {
    fn after(delay: Duration, stages: Vec<Stage>) -> Progress {
        let bar =
            ProgressBar::with_draw_target(Some(stages.len() as u64), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{bar:24}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(stages.first().map_or("", |s| stage_message(*s)));
        let ended = Arc::new(Mutex::new(false));
        if std::io::stderr().is_terminal() {
            let (shown, ended) = (bar.clone(), Arc::clone(&ended));
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                let ended = ended.lock().unwrap_or_else(|e| e.into_inner());
                if !*ended {
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(Duration::from_millis(100));
                }
            });
        }
        Progress { bar, stages, ended }
    }

    fn stage_done(&self, stage: Stage) {
        self.bar.inc(1);
        let next = self.stages.iter().skip_while(|s| **s != stage).nth(1);
        if let Some(&next) = next {
            self.bar.set_message(stage_message(next));
        }
    }

    fn finish(self) {
        let mut ended = self.ended.lock().unwrap_or_else(|e| e.into_inner());
        *ended = true;
        self.bar.finish_and_clear();
    }
}

/// What the progress bar says while `stage` runs.
fn stage_message(stage: Stage) -> &'static str {
    match stage {
        Stage::Config => "reading community.yaml",
        Stage::Load => "reading documents",
        Stage::Link => "linking",
        Stage::Theme => "compiling templates",
        Stage::Gaps => "analysing gaps",
        Stage::Insights => "reading history for insights",
        Stage::External => "checking external links",
        Stage::Render => "rendering pages",
        Stage::Search => "indexing for search",
        Stage::Write => "writing the site",
    }
}

fn new(kind: Kind, title: &str, root: &Path) -> u8 {
    let today = jiff::ZonedDateTime::now().date();
    match scaffold::new_document(root, kind, title, today) {
        Ok(relative) => {
            println!("{}", shown(root, &relative));
            0
        }
        Err(refusals) => {
            print_problems(&refusals, root, use_color());
            2
        }
    }
}

fn init(dir: &Path) -> u8 {
    let today = jiff::ZonedDateTime::now().date();
    match scaffold::init(dir, today) {
        Ok(files) => {
            for file in files {
                println!("{}", shown(dir, &file));
            }
            let serve = if dir == Path::new(".") {
                "practica serve".to_string()
            } else {
                format!("practica serve {}", dir.display())
            };
            eprintln!("started a community; preview it with `{serve}`");
            0
        }
        Err(refusal) => {
            print_problems(std::slice::from_ref(&refusal), dir, use_color());
            2
        }
    }
}

/// `practica cms`: each file and what became of it on stdout.
fn cms(root: &Path, script: Option<String>) -> u8 {
    let options = practica::cms::CmsOptions {
        root: root.to_path_buf(),
        script,
    };
    match practica::cms::write(&options) {
        Ok(files) => {
            for (file, change) in files {
                let what = match change {
                    practica::cms::Change::Created => "created",
                    practica::cms::Change::Updated => "updated",
                    practica::cms::Change::Unchanged => "unchanged",
                };
                println!("{what:<9} {}", shown(root, &file));
            }
            eprintln!(
                "try the editor: `npx decap-server` in the community folder, `practica serve`, then open /admin/"
            );
            0
        }
        Err(problems) => {
            print_problems(&problems, root, use_color());
            2
        }
    }
}

/// `practica schema`: one schema on stdout, or all of them into a folder.
fn schema(subject: Option<Subject>, out: Option<PathBuf>) -> u8 {
    // clap takes one of the two, never both.
    let Some(dir) = out else {
        if let Some(subject) = subject {
            print!("{}", practica::schema::text(subject));
        }
        return 0;
    };
    match practica::schema::write_all(&dir) {
        Ok(files) => {
            for file in files {
                println!("{}", practica::diagnostic::display_path(&file));
            }
            0
        }
        Err(refusal) => {
            print_problems(std::slice::from_ref(&refusal), Path::new(""), use_color());
            2
        }
    }
}

/// `practica import`: the plan on stdout; what could not be converted, a
/// summary and a check of the new community on stderr.
fn import(options: &ImportOptions) -> u8 {
    let color = use_color();
    let report = match practica::import::import(options) {
        Ok(report) => report,
        Err(refusal) => {
            print_problems(std::slice::from_ref(&refusal), &options.source, color);
            return 2;
        }
    };
    for page in &report.pages {
        println!("{page}");
    }
    print_leftovers(&report, &options.source, color);
    let imported = report
        .pages
        .iter()
        .filter(|p| matches!(p.outcome, practica::import::PageOutcome::Imported { .. }))
        .count();
    let what = format!(
        "{imported} of {} pages, {} files, {} member {} started, {} {} declared; {} {} not converted",
        report.pages.len(),
        report.static_files,
        report.members_started.len(),
        plural(report.members_started.len(), "profile", "profiles"),
        report.tags.len(),
        plural(report.tags.len(), "tag", "tags"),
        report.leftovers.len(),
        plural(report.leftovers.len(), "thing", "things"),
    );
    if !report.written {
        eprintln!(
            "dry run of importing the {} {}: {what}; nothing written",
            report.engine.source_name(),
            options.source.display()
        );
        return 0;
    }
    eprintln!(
        "imported the {} {} into {}: {what}",
        report.engine.source_name(),
        options.source.display(),
        options.dest.display()
    );
    let check = practica::build(&BuildOptions {
        write: false,
        ..BuildOptions::new(&options.dest)
    });
    let (errors, warnings) = (check.diagnostics.errors(), check.diagnostics.warnings());
    eprintln!(
        "practica check {}: {errors} {}, {warnings} {} (run it to see them)",
        options.dest.display(),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
    );
    check.exit_code() as u8
}

/// Everything `import` could not convert, each at its `file:line`; after
/// three of one message, the others with that message are one line each.
fn print_leftovers(report: &ImportReport, source: &Path, color: bool) {
    let mut sources = Sources::new(source);
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for leftover in &report.leftovers {
        let shown = seen.entry(leftover.message.as_str()).or_default();
        *shown += 1;
        if *shown <= 3 {
            eprintln!("{}\n", sources.human(leftover, color));
        } else {
            let place = leftover.place().unwrap_or_default();
            eprintln!("  also at {place}: {}", leftover.message);
        }
    }
}

/// A path as the person typed its folder: `practices/x.md` from `.`,
/// `site/practices/x.md` from `site`.
fn shown(folder: &Path, relative: &Path) -> String {
    let path = if folder == Path::new(".") {
        relative.to_path_buf()
    } else {
        folder.join(relative)
    };
    practica::diagnostic::display_path(&path)
}

fn man(command: Option<&str>) -> u8 {
    let cli = Cli::command();
    let page = match command {
        None => cli,
        Some(name) => match cli.find_subcommand(name) {
            Some(sub) => sub
                .clone()
                .name(format!("practica-{name}"))
                .version(env!("CARGO_PKG_VERSION")),
            None => {
                let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
                let problem = Diagnostic::run_error(format!("no command `{name}`"))
                    .with_hint(format!("the commands are: {}", names.join(", ")));
                print_problems(&[problem], Path::new(""), use_color());
                return 2;
            }
        },
    };
    match clap_mangen::Man::new(page).render(&mut std::io::stdout()) {
        Ok(()) => 0,
        Err(e) => {
            let problem = Diagnostic::run_error(format!("cannot write the manual page: {e}"))
                .with_hint(
                    "redirect it to a file that can be written, like `practica man > practica.1`",
                );
            print_problems(&[problem], Path::new(""), use_color());
            1
        }
    }
}

fn serve(options: &ServeOptions, open: bool) -> u8 {
    let color = use_color();
    let root = options.root.clone();
    let server =
        match practica::serve::run(options, move |report| print_serve(&report, &root, color)) {
            Ok(server) => server,
            Err(problem) => {
                print_problems(std::slice::from_ref(&problem), &options.root, color);
                return 2;
            }
        };
    print_problems(server.published().problems(), &options.root, color);
    eprintln!(
        "serving {} at {}  (Ctrl-C to stop)",
        options.root.display(),
        server.url()
    );
    if open && let Err(problem) = open_browser(&server.url()) {
        print_problems(&[problem], &options.root, color);
    }
    server.wait();
    0
}

/// Problems printed at most by `serve` per update (the watcher waits while
/// it prints; the overlay and `practica check` list them all) and by the
/// other commands that print a few (`new`, `init`, `gaps`' arguments).
const PROBLEMS_SHOWN: usize = 20;

fn print_problems(problems: &[Diagnostic], root: &Path, color: bool) {
    let mut sources = Sources::new(root);
    for problem in problems.iter().take(PROBLEMS_SHOWN) {
        eprintln!("{}", sources.human(problem, color));
    }
    if problems.len() > PROBLEMS_SHOWN {
        eprintln!(
            "… and {} more problems: the page's overlay lists them all, and so does `practica check`",
            problems.len() - PROBLEMS_SHOWN
        );
    }
}

fn print_serve(report: &Report, root: &Path, color: bool) {
    match report {
        Report::WatchError(problem) => print_problems(std::slice::from_ref(problem), root, color),
        Report::Update(update, problems) => {
            print_problems(problems, root, color);
            let ms = update.took.as_secs_f64() * 1000.0;
            match update.outcome {
                Outcome::Unchanged => {}
                Outcome::Failed => {
                    eprintln!("the edit has errors; still serving the last good site ({ms:.0} ms)")
                }
                Outcome::Styles | Outcome::Reload => eprintln!(
                    "updated {} {} ({} {}) in {ms:.0} ms",
                    update.rendered,
                    plural(update.rendered, "file", "files"),
                    update.pages,
                    plural(update.pages, "page", "pages")
                ),
            }
        }
    }
}

fn open_browser(url: &str) -> Result<(), Diagnostic> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    match std::process::Command::new(opener).arg(url).spawn() {
        Ok(_) => Ok(()),
        Err(e) => Err(
            Diagnostic::run_warning(format!("cannot open a browser ({opener}: {e})"))
                .with_hint(format!("open {url} yourself")),
        ),
    }
}

/// `--baseline`'s file, its problems printed; `None` when it cannot be used.
fn read_baseline(path: &Path, format: MessageFormat) -> Option<Baseline> {
    let (baseline, problems) = practica::gaps::read_baseline(path);
    // The baseline's path is as given, not under the community.
    print_gap_problems(&problems, Path::new(""), format);
    baseline
}

/// `practica gaps`: the library finds them; this prints them.
/// `practica report`: the report on standard output or into `output`.
fn report(request: &practica::ReportRequest, output: Option<&Path>) -> u8 {
    let outcome = practica::report(request);
    print_gap_problems(&outcome.problems(), &request.root, MessageFormat::Human);
    let Some(text) = &outcome.text else {
        return outcome.exit_code();
    };
    match output {
        None => print!("{text}"),
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                let problem = Diagnostic::run_error(format!(
                    "cannot write the report to {}: {e}",
                    path.display()
                ))
                .with_hint("check that its folder exists and can be written");
                print_gap_problems(&[problem], &request.root, MessageFormat::Human);
                return 2;
            }
        }
    }
    outcome.exit_code()
}

fn gaps(request: &GapsRequest, format: GapFormat) -> u8 {
    let outcome = practica::gaps::gaps(request);
    print_gap_problems(&outcome.problems(), &request.root, format.messages());
    let Some(found) = &outcome.found else {
        return outcome.exit_code();
    };
    let (site, report) = (&found.site, &found.report);
    let text = match (&found.change, format) {
        (Some(change), GapFormat::Table) => gap_format::change_table(change),
        (Some(change), GapFormat::Markdown) => gap_format::change_markdown(change),
        (Some(change), GapFormat::Json) => gap_format::change_json(change),
        (None, GapFormat::Table) => gap_format::table(site, report),
        (None, GapFormat::Markdown) => gap_format::markdown(site, report),
        (None, GapFormat::Json) => gap_format::json(site, report),
    };
    print!("{text}");
    if !found.fired.is_empty() {
        let what = if found.change.is_some() {
            "newly opened gaps"
        } else {
            "gap rules that fired"
        };
        let names: Vec<&str> = found.fired.iter().map(|r| r.name()).collect();
        eprintln!("{what}: {}", names.join(", "));
    }
    outcome.exit_code()
}

#[derive(Clone, Copy, PartialEq)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

impl Verbosity {
    fn of(quiet: bool, verbose: bool) -> Self {
        match (quiet, verbose) {
            (true, _) => Verbosity::Quiet,
            (_, true) => Verbosity::Verbose,
            _ => Verbosity::Normal,
        }
    }
}

fn use_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Problems through the one renderer in `format`: for people on stderr,
/// each followed by a blank line; JSON lines and GitHub annotations on
/// `machine`.
fn print_diagnostics(
    problems: &[Diagnostic],
    root: &Path,
    format: MessageFormat,
    machine: &mut dyn Write,
) {
    let color = use_color();
    let mut sources = Sources::new(root);
    let annotation_root = from_working_dir(root);
    if format == MessageFormat::Human {
        for group in diagnostic_format::grouped(problems) {
            let text = match group {
                Grouped::Shown(diagnostic) => sources.human(diagnostic, color),
                Grouped::More { like, count } => format!(
                    "… and {count} more like this in {}\n",
                    like.path().unwrap_or("this run")
                ),
            };
            // A closed pipe leaves nobody to tell.
            let _ = writeln!(std::io::stderr(), "{text}\n");
        }
        return;
    }
    for diagnostic in problems {
        // A closed pipe leaves nobody to tell.
        let _ = match format {
            MessageFormat::Human => {
                writeln!(std::io::stderr(), "{}\n", sources.human(diagnostic, color))
            }
            MessageFormat::Json => writeln!(machine, "{}", diagnostic_format::json(diagnostic)),
            MessageFormat::Github => writeln!(
                machine,
                "{}",
                diagnostic_format::github(diagnostic, &annotation_root)
            ),
        };
    }
}

/// `gaps`' problems: its stdout is the report, so JSON lines go to stderr.
fn print_gap_problems(problems: &[Diagnostic], root: &Path, format: MessageFormat) {
    print_diagnostics(problems, root, format, &mut std::io::stderr());
}

/// A build's or check's problems in the chosen format, then its summary.
fn print_report(
    report: &BuildReport,
    options: &BuildOptions,
    output: Verbosity,
    format: MessageFormat,
) {
    let color = use_color();
    let problems = report.diagnostics.clone().sorted();
    print_diagnostics(&problems, &options.root, format, &mut std::io::stdout());
    if output == Verbosity::Quiet {
        return;
    }
    if output == Verbosity::Verbose {
        for lap in &report.stages {
            let cpu = lap
                .cpu
                .map(|c| format!("  cpu {:>6.0} ms", c.as_secs_f64() * 1000.0))
                .unwrap_or_default();
            let peak = lap
                .peak_bytes
                .map(|b| format!("  peak {:>6.0} MiB", b as f64 / 1_048_576.0))
                .unwrap_or_default();
            eprintln!(
                "  {:<8} {:>8.1} ms{cpu}{peak}",
                lap.stage,
                lap.took.as_secs_f64() * 1000.0
            );
        }
        eprintln!("{}", cache_line(report.cache_use));
        if let Some(used) = report.history_use {
            eprintln!("{}", history_line(used));
        }
        if let Some(used) = report.external {
            eprintln!("{}", external_line(used));
        }
    }
    eprintln!("{}", summary(report, options.write, color));
}

/// What `--verbose` says of the parse cache.
fn cache_line(cache_use: Option<practica::parse_cache::CacheUse>) -> String {
    match cache_use {
        None => "  parse cache off (--no-cache or PRACTICA_CACHE_DIR=)".to_string(),
        Some(used) => format!(
            "  parse cache: {} files taken from an earlier run, {} parsed",
            used.reused, used.parsed
        ),
    }
}

/// What `--verbose` says of the past versions read for /insights/.
fn history_line(used: practica::HistoryUse) -> String {
    format!(
        "  history: {} past {} parsed, {} from the history's parse cache, {} the same as today's files (read once)",
        used.parsed,
        plural(used.parsed, "version", "versions"),
        used.cached,
        used.today
    )
}

/// What `--verbose` says of `check --external`.
fn external_line(used: practica::LinkCheckUse) -> String {
    format!(
        "  external links: {} {} checked ({} from the link cache), {} broken; {} {} skipped",
        used.addresses,
        plural(used.addresses, "address", "addresses"),
        used.cached,
        used.broken,
        used.skipped,
        plural(used.skipped, "link", "links"),
    )
}

/// GitHub resolves annotation paths from the workspace, where CI runs
/// practica: an absolute ROOT inside it is given relative to it.
fn from_working_dir(root: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| root.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| root.to_path_buf())
}

fn summary(report: &BuildReport, write: bool, color: bool) -> String {
    let errors = report.diagnostics.errors();
    let warnings = report.diagnostics.warnings();
    let outcome = if report.written {
        format!(
            "built {} pages into {}",
            report.pages,
            report.output.display()
        )
    } else if !write {
        format!(
            "checked {} {}",
            report.documents,
            plural(report.documents, "document", "documents")
        )
    } else if errors > 0 {
        format!("{} pages rendered, site not written", report.pages)
    } else {
        format!("built {} pages", report.pages)
    };
    let counts = format!(
        "{errors} {}, {warnings} {}",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
    );
    let counts = match (color, errors, warnings) {
        (false, _, _) | (true, 0, 0) => counts,
        (true, 0, _) => format!("\x1b[1;33m{counts}\x1b[0m"),
        (true, _, _) => format!("\x1b[1;31m{counts}\x1b[0m"),
    };
    format!(
        "{outcome} in {:.2} s: {counts}",
        report.elapsed.as_secs_f64()
    )
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
