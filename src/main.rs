//! The command line: parses arguments, runs the library, prints diagnostics.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use practica::gaps::{Rule, format};
use practica::serve::live::Outcome;
use practica::serve::{Report, ServeOptions};
use practica::{BuildOptions, BuildReport, Diagnostic};

#[derive(Parser)]
#[command(
    name = "practica",
    version,
    about = "A static site generator for communities of practice"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
        /// Include documents marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Print only errors and warnings, no summary
        #[arg(short, long, conflicts_with = "verbose")]
        quiet: bool,
        /// Also print how long each stage took
        #[arg(short, long)]
        verbose: bool,
    },
    /// Run every check of a build without writing anything
    Check {
        #[arg(default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        drafts: bool,
        #[arg(short, long, conflicts_with = "verbose")]
        quiet: bool,
        #[arg(short, long)]
        verbose: bool,
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
        /// A gaps.json from before the change: show what it opened and closed
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// The date to judge staleness and reviews by (default: today)
        #[arg(long)]
        today: Option<jiff::civil::Date>,
        #[arg(long)]
        drafts: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum GapFormat {
    Table,
    Markdown,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (options, output, verb) = match cli.command {
        Command::Serve {
            root,
            port,
            bind,
            open,
            drafts,
        } => {
            let options = ServeOptions {
                port,
                bind,
                drafts,
                ..ServeOptions::new(root)
            };
            return ExitCode::from(serve(&options, open));
        }
        Command::Gaps {
            root,
            format,
            fail_on,
            baseline,
            today,
            drafts,
        } => {
            let request = GapRequest {
                format,
                fail_on,
                baseline,
                today,
                drafts,
            };
            return ExitCode::from(gaps(&root, &request));
        }
        Command::Build {
            root,
            output,
            drafts,
            quiet,
            verbose,
        } => (
            BuildOptions {
                today: None,
                root,
                output,
                drafts,
                write: true,
            },
            Verbosity::of(quiet, verbose),
            "built",
        ),
        Command::Check {
            root,
            drafts,
            quiet,
            verbose,
        } => (
            BuildOptions {
                today: None,
                root,
                output: None,
                drafts,
                write: false,
            },
            Verbosity::of(quiet, verbose),
            "checked",
        ),
    };
    let report = practica::build(&options);
    print_report(&report, output, verb);
    ExitCode::from(report.exit_code() as u8)
}

fn serve(options: &ServeOptions, open: bool) -> u8 {
    let color = use_color();
    let server = match practica::serve::run(options, move |report| print_serve(&report, color)) {
        Ok(server) => server,
        Err(message) => {
            eprintln!(
                "error: {message}\n  hint: choose another port with --port, or stop the program using it"
            );
            return 2;
        }
    };
    let published = server.published();
    for problem in published.problems() {
        print_diagnostic(problem, color);
    }
    eprintln!(
        "serving {} at {}  (Ctrl-C to stop)",
        options.root.display(),
        server.url()
    );
    if open {
        open_browser(&server.url());
    }
    server.wait();
    0
}

fn print_serve(report: &Report, color: bool) {
    match report {
        Report::WatchError(message) => eprintln!("watch error: {message}"),
        Report::Update(update, problems) => {
            for problem in problems.iter() {
                print_diagnostic(problem, color);
            }
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

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("could not open a browser ({opener}: {e}); open {url} yourself");
    }
}

struct GapRequest {
    format: GapFormat,
    fail_on: Vec<String>,
    baseline: Option<PathBuf>,
    today: Option<jiff::civil::Date>,
    drafts: bool,
}

fn parse_rules(names: &[String]) -> Result<Vec<Rule>, String> {
    names
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .map(|name| {
            Rule::parse(name).ok_or_else(|| {
                let valid: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
                format!(
                    "error: unknown gap rule `{name}`\n  hint: the rules are: {}",
                    valid.join(", ")
                )
            })
        })
        .collect()
}

fn read_baseline(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
    let hint = "hint: pass the gaps.json of an earlier build";
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: error: not a gaps.json: {e}\n  {hint}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    if value["findings"].is_array() {
        Ok(value)
    } else {
        Err(format!(
            "{}:1:1: error: no `findings` list\n  {hint}",
            path.display()
        ))
    }
}

fn gaps(root: &Path, request: &GapRequest) -> u8 {
    let rules = match parse_rules(&request.fail_on) {
        Ok(rules) => rules,
        Err(message) => {
            eprintln!("{message}");
            return 2;
        }
    };
    let baseline = match request.baseline.as_deref().map(read_baseline).transpose() {
        Ok(baseline) => baseline,
        Err(message) => {
            eprintln!("{message}");
            return 2;
        }
    };
    let (site, diagnostics) = practica::load_site(root, request.drafts);
    for diagnostic in diagnostics.clone().sorted() {
        eprintln!("{diagnostic}");
    }
    let Some(site) = site else { return 2 };
    let today = request
        .today
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    let report = practica::gaps::analyse(&site, today);
    let current = format::json(&site, &report);
    let watched = match &baseline {
        Some(old) => {
            let (opened, closed) = format::compare(old, &current);
            match request.format {
                GapFormat::Table => print!("{}", format::change_table(&opened, &closed)),
                GapFormat::Markdown => print!("{}", format::change_markdown(&opened, &closed)),
                GapFormat::Json => println!(
                    "{:#}",
                    serde_json::json!({"opened": opened, "closed": closed})
                ),
            }
            opened
        }
        None => {
            match request.format {
                GapFormat::Table => print!("{}", format::table(&site, &report)),
                GapFormat::Markdown => print!("{}", format::markdown(&site, &report)),
                GapFormat::Json => println!("{current:#}"),
            }
            current["findings"].as_array().cloned().unwrap_or_default()
        }
    };
    let fired: Vec<&str> = rules
        .iter()
        .map(|r| r.name())
        .filter(|name| watched.iter().any(|f| f["rule"] == *name))
        .collect();
    if !fired.is_empty() {
        let what = if baseline.is_some() {
            "newly opened gaps"
        } else {
            "gap rules that fired"
        };
        eprintln!("{what}: {}", fired.join(", "));
        return 1;
    }
    if diagnostics.has_settings_errors() {
        2
    } else {
        u8::from(diagnostics.has_errors())
    }
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

fn print_diagnostic(diagnostic: &Diagnostic, color: bool) {
    let text = diagnostic.to_string();
    if !color {
        eprintln!("{text}");
        return;
    }
    let (code, word) = match diagnostic.severity {
        practica::Severity::Error => ("31", "error"),
        practica::Severity::Warning => ("33", "warning"),
    };
    eprintln!(
        "{}",
        text.replacen(
            &format!(": {word}: "),
            &format!(": \x1b[1;{code}m{word}\x1b[0m: "),
            1
        )
    );
}

fn print_report(report: &BuildReport, output: Verbosity, verb: &str) {
    let color = use_color();
    for diagnostic in report.diagnostics.clone().sorted() {
        print_diagnostic(&diagnostic, color);
    }
    if output == Verbosity::Quiet {
        return;
    }
    if output == Verbosity::Verbose {
        for (stage, took) in &report.stages {
            eprintln!("  {stage:<8} {:>8.1} ms", took.as_secs_f64() * 1000.0);
        }
    }
    let errors = report.diagnostics.errors();
    let warnings = report.diagnostics.warnings();
    let outcome = if report.written {
        format!(
            "{verb} {} pages into {}",
            report.pages,
            report.output.display()
        )
    } else if errors > 0 {
        format!("{} pages rendered, site not written", report.pages)
    } else {
        format!("{verb} {} pages", report.pages)
    };
    eprintln!(
        "{outcome} in {:.2} s: {errors} {}, {warnings} {}",
        report.elapsed.as_secs_f64(),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
    );
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
