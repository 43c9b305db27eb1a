//! The command line: parses arguments, runs the library, prints diagnostics.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use practica::{BuildOptions, BuildReport};

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
        #[arg(short, long)]
        quiet: bool,
    },
    /// Run every check of a build without writing anything
    Check {
        #[arg(default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        drafts: bool,
        #[arg(short, long)]
        quiet: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (options, quiet, verb) = match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            quiet,
        } => (
            BuildOptions {
                root,
                output,
                drafts,
                write: true,
            },
            quiet,
            "built",
        ),
        Command::Check {
            root,
            drafts,
            quiet,
        } => (
            BuildOptions {
                root,
                output: None,
                drafts,
                write: false,
            },
            quiet,
            "checked",
        ),
    };
    let report = practica::build(&options);
    print_report(&report, quiet, verb);
    ExitCode::from(report.exit_code() as u8)
}

fn print_report(report: &BuildReport, quiet: bool, verb: &str) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for diagnostic in report.diagnostics.clone().sorted() {
        let text = diagnostic.to_string();
        if color {
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
        } else {
            eprintln!("{text}");
        }
    }
    if quiet {
        return;
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
