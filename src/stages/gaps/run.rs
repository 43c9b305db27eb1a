//! `practica gaps` as a library call: opens the project for its gaps,
//! compares them with a baseline when given one, and says which watched
//! rules fired. The CLI only prints what this returns.

use std::path::PathBuf;

use super::{Baseline, Change, GapReport, Recorded, Rule};
use crate::project::{Derived, Project, ProjectOptions, Purpose};
use crate::stages::link::Site;
use crate::support::diagnostic::{Diagnostic, Diagnostics};

/// What `practica gaps` was asked.
#[derive(Debug, Clone)]
pub struct GapsRequest {
    pub root: PathBuf,
    pub drafts: bool,
    /// The date rules judge by; `None` is today.
    pub today: Option<jiff::civil::Date>,
    /// The folder of parse caches; `None` parses every document.
    pub cache: Option<PathBuf>,
    /// Rules whose findings (new ones, with a baseline) fail the run.
    pub fail_on: Vec<Rule>,
    /// The `gaps.json` of an earlier build (`read_baseline`), to report
    /// only what changed.
    pub baseline: Option<Baseline>,
}

/// The gaps of a community, or the problems that kept them from being found.
pub struct GapsOutcome {
    pub diagnostics: Diagnostics,
    /// `None` when the settings could not be read.
    pub found: Option<Found>,
}

pub struct Found {
    pub site: Site,
    pub report: GapReport,
    /// Findings opened and closed since the baseline, if one was given.
    pub change: Option<Change>,
    /// Watched rules with a finding (a new one, with a baseline).
    pub fired: Vec<Rule>,
}

impl GapsOutcome {
    /// 1 when a watched rule fired or content has errors, 2 for settings errors.
    pub fn exit_code(&self) -> u8 {
        if self.found.as_ref().is_some_and(|f| !f.fired.is_empty()) {
            1
        } else if self.diagnostics.has_settings_errors() || self.found.is_none() {
            2
        } else {
            u8::from(self.diagnostics.has_errors())
        }
    }
}

pub fn gaps(request: &GapsRequest) -> GapsOutcome {
    let options = ProjectOptions {
        root: request.root.clone(),
        purpose: Purpose::Gaps,
        drafts: request.drafts,
        today: request
            .today
            .unwrap_or_else(|| jiff::ZonedDateTime::now().date()),
        cache: request.cache.clone(),
    };
    let mut watch = crate::Stopwatch::start();
    let mut project = Project::open(options, &mut watch);
    let (derived, diagnostics) = project.derive(&mut watch);
    let found = derived.map(|Derived { site, gaps: report }| {
        let change = request
            .baseline
            .as_ref()
            .map(|old| Change::since(old, Recorded::of(&site, &report)));
        let fired = fired(&request.fail_on, &report, change.as_ref());
        Found {
            site,
            report,
            change,
            fired,
        }
    });
    GapsOutcome { diagnostics, found }
}

/// Rule names as `--fail-on` takes them, comma-separated pieces already split.
pub fn parse_rules(names: &[String]) -> Result<Vec<Rule>, Diagnostic> {
    names
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .map(|name| {
            Rule::parse(name).ok_or_else(|| {
                let valid: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
                Diagnostic::run_error(format!("unknown gap rule `{name}` in --fail-on"))
                    .with_hint(format!("the rules are: {}", valid.join(", ")))
                    .settings()
            })
        })
        .collect()
}

/// The watched rules with a finding: a newly opened one, given a change.
fn fired(watched: &[Rule], report: &GapReport, change: Option<&Change>) -> Vec<Rule> {
    let fires = |rule: Rule| match change {
        Some(change) => change.opened.iter().any(|f| f.rule == rule),
        None => report.findings.iter().any(|f| f.rule == rule),
    };
    watched
        .iter()
        .copied()
        .filter(|&rule| fires(rule))
        .collect()
}
