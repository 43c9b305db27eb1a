//! `practica gaps` as a library call: opens the project for its gaps,
//! compares them with a baseline when given one, and says which watched
//! rules fired. The CLI only prints what this returns.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{GapReport, Rule, format};
use crate::project::{Derived, Project, ProjectOptions, Purpose};
use crate::stages::link::Site;
use crate::support::diagnostic::{Diagnostic, Diagnostics, Span};

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
    /// The `gaps.json` of an earlier build, to report only what changed.
    pub baseline: Option<Value>,
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
    /// The findings as `gaps.json` has them.
    pub current: Value,
    /// Findings opened and closed since the baseline, if one was given.
    pub change: Option<(Vec<Value>, Vec<Value>)>,
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
        let current = format::json(&site, &report);
        let change = request
            .baseline
            .as_ref()
            .map(|old| format::compare(old, &current));
        let watched = match &change {
            Some((opened, _)) => opened.clone(),
            None => current["findings"].as_array().cloned().unwrap_or_default(),
        };
        let fired = request
            .fail_on
            .iter()
            .copied()
            .filter(|rule| watched.iter().any(|f| f["rule"] == rule.name()))
            .collect();
        Found {
            site,
            report,
            current,
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

/// A `gaps.json` of an earlier build, checked to have its findings. Its
/// problems name the file as given, which may lie outside the community.
pub fn read_baseline(path: &Path) -> Result<Value, Diagnostic> {
    let hint = "pass the gaps.json of an earlier build";
    let problem = |message: String, span: Option<Span>| {
        let d = match span {
            Some(span) => Diagnostic::error(path, span, message),
            None => Diagnostic::error_in(path, message),
        };
        d.with_hint(hint).settings()
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| problem(format!("cannot read the baseline: {e}"), None))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        let span = Span::new(e.line().max(1), e.column().max(1));
        problem(format!("not a gaps.json: {e}"), Some(span))
    })?;
    if value["findings"].is_array() {
        Ok(value)
    } else {
        Err(problem("no `findings` list".into(), None))
    }
}
