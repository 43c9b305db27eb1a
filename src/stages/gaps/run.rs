//! `practica gaps` as a library call: opens the project for its gaps,
//! compares them with a baseline when given one, and says which watched
//! rules fired. The CLI only prints what this returns.

use std::path::PathBuf;

use super::{Baseline, Change, Finding, GapReport, Recorded, Rule, Subject};
use crate::project::{Derived, Project, ProjectOptions, Purpose};
use crate::stages::link::Site;
use crate::support::diagnostic::{Diagnostic, Diagnostics, suggest};

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
    /// Which findings to report (`--rule`, `--topic`); `--fail-on` judges
    /// only these.
    pub selection: Selection,
    /// Report only the first this many entries (`--top`).
    pub top: Option<usize>,
}

impl GapsRequest {
    /// Every gap of the community at `root`, as of today.
    pub fn new(root: PathBuf) -> GapsRequest {
        GapsRequest {
            root,
            drafts: false,
            today: None,
            cache: None,
            fail_on: Vec::new(),
            baseline: None,
            selection: Selection::default(),
            top: None,
        }
    }
}

/// The findings a steward asked for: of these rules (all when empty), on
/// these topics (all when empty). A topic takes in the topics below it in
/// the domain map, and the documents tagged with any of them.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub rules: Vec<Rule>,
    pub topics: Vec<String>,
}

impl Selection {
    /// A problem for each topic the site does not have, with the nearest.
    fn unknown_topics(&self, site: &Site) -> Vec<Diagnostic> {
        let slugs = || site.tags.iter().map(|t| t.slug.as_str());
        self.topics
            .iter()
            .filter(|t| site.tag(t).is_none())
            .map(|topic| {
                let hint = match suggest(topic, slugs()) {
                    Some(near) => {
                        format!("did you mean `{near}`? `practica gaps` lists every topic")
                    }
                    None => {
                        "give a tag slug as documents write it; `practica gaps` lists every topic"
                            .into()
                    }
                };
                Diagnostic::run_error(format!("no topic `{topic}` in --topic"))
                    .with_hint(hint)
                    .settings()
            })
            .collect()
    }

    fn apply(&self, site: &Site, report: &mut GapReport) {
        let topics: std::collections::HashSet<&str> = self
            .topics
            .iter()
            .flat_map(|t| super::family(site, t))
            .collect();
        let on_topic = |finding: &Finding| match &finding.subject {
            Subject::Topic(slug) => topics.contains(slug.as_str()),
            Subject::Document(id) => site.documents[*id]
                .front
                .tags
                .iter()
                .any(|t| topics.contains(t.text.as_str())),
            Subject::Wanted(_) => false,
        };
        report.retain(|f| {
            (self.rules.is_empty() || self.rules.contains(&f.rule))
                && (self.topics.is_empty() || on_topic(f))
        });
    }
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
    /// 2 when the gaps could not be found (settings errors, a topic or rule
    /// that is not there), else 1 when a watched rule fired. Problems in
    /// the content do not count: they are `practica check`'s to report,
    /// and the gaps are found all the same.
    pub fn exit_code(&self) -> u8 {
        if self.diagnostics.has_settings_errors() || self.found.is_none() {
            2
        } else {
            u8::from(self.found.as_ref().is_some_and(|f| !f.fired.is_empty()))
        }
    }

    /// What `practica gaps` prints of its problems: those of the settings
    /// and of how it was run in full, and the content's as one line with
    /// their count (a community with thousands of broken links would
    /// bury the report).
    pub fn problems(&self) -> Vec<Diagnostic> {
        crate::support::diagnostic::content_in_one_line(&self.diagnostics, "the gaps are found")
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
        insights: None,
    };
    let mut watch = crate::Stopwatch::start();
    let mut project = Project::open(options, &mut watch);
    let (derived, mut diagnostics) = project.derive(&mut watch);
    let found = derived.and_then(
        |Derived {
             site,
             gaps: mut report,
             ..
         }| {
            let unknown = request.selection.unknown_topics(&site);
            if !unknown.is_empty() {
                diagnostics.extend(unknown);
                return None;
            }
            request.selection.apply(&site, &mut report);
            let mut change = request
                .baseline
                .as_ref()
                .map(|old| Change::since(old, Recorded::of(&site, &report)));
            let fired = fired(&request.fail_on, &report, change.as_ref());
            if let Some(top) = request.top {
                report.keep_top(top);
                if let Some(change) = &mut change {
                    change.keep_top(top);
                }
            }
            Some(Found {
                site,
                report,
                change,
                fired,
            })
        },
    );
    GapsOutcome { diagnostics, found }
}

/// Rule names as `--fail-on` and `--rule` (`flag`) take them,
/// comma-separated pieces already split.
pub fn parse_rules(names: &[String], flag: &str) -> Result<Vec<Rule>, Diagnostic> {
    names
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .map(|name| {
            Rule::parse(name).ok_or_else(|| {
                let valid: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
                Diagnostic::run_error(format!("unknown gap rule `{name}` in {flag}"))
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
