//! `practica gaps --baseline`: the findings of an earlier build's
//! gaps.json, read into typed findings, and which ones a change opened and
//! closed. Findings are compared by rule and subject, a document by its
//! source path, since ids do not last from one build to the next.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::format::SCHEMA_VERSION;
use super::{GapReport, Rule, Subject};
use crate::stages::link::Site;
use crate::support::diagnostic::{Diagnostic, LineIndex, Span, suggest};

/// A finding as gaps.json records it: comparable with another build's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub rule: Rule,
    /// A document by its source path, or a topic.
    pub subject: Subject<String>,
    pub score: u32,
    /// How much its subject is asked for (0 in a version 1 baseline).
    pub demand: u32,
    /// The slugs of the members who could help, most able first.
    pub helpers: Vec<String>,
    /// The next step, in plain words (empty in a version 1 baseline).
    pub action: String,
}

impl Recorded {
    /// The findings of `report`, ranked as it ranks them.
    pub(crate) fn of(site: &Site, report: &GapReport) -> Vec<Recorded> {
        report
            .findings
            .iter()
            .map(|finding| Recorded {
                rule: finding.rule,
                subject: match &finding.subject {
                    Subject::Topic(slug) => Subject::Topic(slug.clone()),
                    Subject::Document(id) => Subject::Document(site.documents[*id].source.clone()),
                    Subject::Wanted(title) => Subject::Wanted(title.clone()),
                },
                score: finding.score,
                demand: finding.demand,
                helpers: super::format::helpers(site, finding),
                action: super::format::action_text(site, report, finding),
            })
            .collect()
    }

    /// What makes it the same finding in another build.
    fn key(&self) -> (Rule, &Subject<String>) {
        (self.rule, &self.subject)
    }
}

/// The findings of an earlier build's gaps.json, in its order.
#[derive(Debug, Clone)]
pub struct Baseline {
    findings: Vec<Recorded>,
}

/// What a change did to the gaps: the findings it opened (in the current
/// ranking) and those it closed (in the baseline's order).
#[derive(Debug, Clone)]
pub struct Change {
    pub opened: Vec<Recorded>,
    pub closed: Vec<Recorded>,
    /// How many opened and closed findings `--top` left out of the lists.
    pub left_out: [usize; 2],
}

impl Change {
    pub(crate) fn since(baseline: &Baseline, current: Vec<Recorded>) -> Change {
        let closed = {
            let new = keys(&current);
            let closed = baseline.findings.iter().filter(|f| !new.contains(&f.key()));
            closed.cloned().collect()
        };
        let old = keys(&baseline.findings);
        let opened = current
            .into_iter()
            .filter(|f| !old.contains(&f.key()))
            .collect();
        Change {
            opened,
            closed,
            left_out: [0, 0],
        }
    }

    /// Keeps the first `count` of each list, each ranked as its report
    /// ranked it, and how many were left out.
    pub(crate) fn keep_top(&mut self, count: usize) {
        for (list, left_out) in [&mut self.opened, &mut self.closed]
            .into_iter()
            .zip(&mut self.left_out)
        {
            *left_out += list.len().saturating_sub(count);
            list.truncate(count);
        }
    }

    /// How many findings opened and closed in all, shown or not.
    pub fn totals(&self) -> [usize; 2] {
        [
            self.opened.len() + self.left_out[0],
            self.closed.len() + self.left_out[1],
        ]
    }
}

fn keys(findings: &[Recorded]) -> HashSet<(Rule, &Subject<String>)> {
    findings.iter().map(Recorded::key).collect()
}

const HINT: &str = "pass the gaps.json of an earlier build";

/// The oldest `schema_version` whose findings this practica compares.
const OLDEST_READ: u32 = 1;

/// A `gaps.json` of an earlier build. Its problems name the file as given,
/// which may lie outside the community: errors (not JSON, a newer or
/// unknown `schema_version`, a finding of the wrong shape) leave no
/// baseline; a rule this practica does not know is warned about and its
/// findings left out of the comparison.
pub fn read_baseline(path: &Path) -> (Option<Baseline>, Vec<Diagnostic>) {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            let d = Diagnostic::error_in(path, format!("cannot read the baseline: {e}"));
            return (None, vec![d.with_hint(HINT).settings()]);
        }
    };
    match parse(path, &text) {
        Ok((findings, warnings)) => (Some(Baseline { findings }), warnings),
        Err(problems) => (None, problems),
    }
}

/// What is read of the file before its findings: whether this practica
/// reads its version.
#[derive(Deserialize)]
struct Head {
    schema_version: Option<u64>,
}

#[derive(Deserialize)]
struct Body<'a> {
    #[serde(borrow)]
    findings: Option<Vec<&'a RawValue>>,
}

/// A finding as gaps.json writes it; `explanation` is the rule's own.
#[derive(Deserialize)]
struct FindingJson {
    rule: String,
    tag: Option<String>,
    document: Option<String>,
    #[serde(default)]
    wanted: Option<String>,
    score: u32,
    #[serde(default)]
    demand: u32,
    #[serde(default)]
    helpers: Vec<String>,
    #[serde(default)]
    action: String,
}

type Findings = (Vec<Recorded>, Vec<Diagnostic>);

fn parse(path: &Path, text: &str) -> Result<Findings, Vec<Diagnostic>> {
    let lines = LineIndex::new(text);
    let not_json = |e: serde_json::Error| {
        let span = Span::new(e.line().max(1), e.column().max(1));
        vec![problem(
            path,
            Some(span),
            format!("not a gaps.json: {e}"),
            HINT,
        )]
    };
    let head: Head = serde_json::from_str(text).map_err(not_json)?;
    let version_at = text.find("\"schema_version\"").map(|i| lines.span(i));
    let refused = match head.schema_version {
        None => Some(("not a gaps.json: no `schema_version`".to_string(), HINT)),
        Some(version) if version > u64::from(SCHEMA_VERSION) => Some((
            format!(
                "the baseline has schema_version {version}, newer than this practica reads ({SCHEMA_VERSION})"
            ),
            "compare with a gaps.json this version of practica wrote (build the base with it), or update practica",
        )),
        // Version 2 added fields; a version 1 file's findings read the same.
        Some(version) if version < u64::from(OLDEST_READ) => {
            Some((format!("unknown schema_version {version}"), HINT))
        }
        Some(_) => None,
    };
    if let Some((message, hint)) = refused {
        return Err(vec![problem(path, version_at, message, hint)]);
    }
    let body: Body = serde_json::from_str(text).map_err(not_json)?;
    let Some(raw) = body.findings else {
        let message = "not a gaps.json: no `findings` list".into();
        return Err(vec![problem(path, None, message, HINT)]);
    };
    findings(path, text, &lines, &raw)
}

/// An error in the baseline, at `span` or in the whole file.
fn problem(path: &Path, span: Option<Span>, message: String, hint: &str) -> Diagnostic {
    let d = match span {
        Some(span) => Diagnostic::error(path, span, message),
        None => Diagnostic::error_in(path, message),
    };
    d.with_hint(hint).settings()
}

/// Each finding read on its own, so a problem is reported where it starts.
fn findings(
    path: &Path,
    text: &str,
    lines: &LineIndex,
    raw: &[&RawValue],
) -> Result<Findings, Vec<Diagnostic>> {
    let mut found = Vec::with_capacity(raw.len());
    let mut errors = Vec::new();
    // Rule name → where it first appears, and how many findings it has.
    let mut unknown: BTreeMap<String, (Span, usize)> = BTreeMap::new();
    for finding in raw {
        // A borrowed `RawValue` is a slice of `text`: its offset is where
        // the finding starts.
        let offset = (finding.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        let span = lines.span(offset);
        let error = |message: String| problem(path, Some(span), message, HINT);
        let json: FindingJson = match serde_json::from_str(finding.get()) {
            Ok(json) => json,
            Err(e) => {
                errors.push(error(format!("not a gap finding: {e}")));
                continue;
            }
        };
        let subject = match (json.tag, json.document, json.wanted) {
            (Some(tag), None, None) => Subject::Topic(tag),
            (None, Some(document), None) => Subject::Document(document),
            (None, None, Some(title)) => Subject::Wanted(title),
            _ => {
                let message =
                    "a gap finding names one `tag`, one `document` or one `wanted` page".into();
                errors.push(error(message));
                continue;
            }
        };
        let Some(rule) = Rule::parse(&json.rule) else {
            let at = value_of(finding.get(), "rule").map_or(span, |i| lines.span(offset + i));
            unknown.entry(json.rule).or_insert((at, 0)).1 += 1;
            continue;
        };
        found.push(Recorded {
            rule,
            subject,
            score: json.score,
            demand: json.demand,
            helpers: json.helpers,
            action: json.action,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let warnings = unknown
        .into_iter()
        .map(|(name, (span, count))| unknown_rule(path, span, &name, count))
        .collect();
    Ok((found, warnings))
}

/// Where the value of `key` starts in the JSON object `object`: after the
/// key's colon (a string followed by one is a key, never a value).
fn value_of(object: &str, key: &str) -> Option<usize> {
    let quoted = format!("\"{key}\"");
    object.match_indices(&quoted).find_map(|(at, _)| {
        let after = &object[at + quoted.len()..];
        let value = after.trim_start().strip_prefix(':')?.trim_start();
        Some(object.len() - value.len())
    })
}

/// A rule the baseline's practica had and this one does not (or a typo).
fn unknown_rule(path: &Path, span: Span, name: &str, count: usize) -> Diagnostic {
    let findings = if count == 1 {
        "its finding is".to_string()
    } else {
        format!("its {count} findings are")
    };
    let message = format!("unknown gap rule `{name}`: {findings} left out of the comparison");
    let names = Rule::ALL.map(Rule::name);
    let hint = match suggest(name, names) {
        Some(near) => format!("did you mean `{near}`? the rules are: {}", names.join(", ")),
        None => format!(
            "compare with a gaps.json this version of practica wrote; its rules are: {}",
            names.join(", ")
        ),
    };
    Diagnostic::warning(path, span, message).with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keys_value_is_found_after_its_colon_not_where_a_value_has_its_name() {
        let object = r#"{"tag": "rule", "rule" :  "x"}"#;
        assert_eq!(value_of(object, "rule"), object.find("\"x\""));
        assert_eq!(value_of(object, "document"), None);
    }
}
