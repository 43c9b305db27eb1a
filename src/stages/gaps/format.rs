//! A `GapReport` as a terminal table, a GitHub markdown table, or the
//! versioned JSON document that is also written as `gaps.json`.

use serde::Serialize;
use serde_json::Value;

use super::{Finding, GapReport, Subject};
use crate::stages::link::Site;

/// Bumped whenever a field changes meaning or goes away.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// What a finding is about: a tag slug, or a document's source path.
fn subject(site: &Site, finding: &Finding) -> String {
    match &finding.subject {
        Subject::Topic(tag) => format!("#{tag}"),
        Subject::Document(id) => site.documents[*id].source.clone(),
    }
}

/// The slugs of the members who could help, alphabetically.
fn helpers(site: &Site, finding: &Finding) -> Vec<String> {
    let mut slugs: Vec<String> = super::helpers(site, finding)
        .into_iter()
        .map(|id| site.documents[id].slug.clone())
        .collect();
    slugs.sort();
    slugs
}

fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let kept: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// Fits an 80-column terminal: score, rule, subject, helpers.
pub fn table(site: &Site, report: &GapReport) -> String {
    let mut out = format!(
        "{:>5}  {:<14}  {:<32}  {}\n",
        "score", "rule", "where", "who can help"
    );
    for finding in &report.findings {
        let helpers = helpers(site, finding).join(", ");
        out.push_str(&format!(
            "{:>5}  {:<14}  {:<32}  {}\n",
            finding.score,
            finding.rule.name(),
            cut(&subject(site, finding), 32),
            cut(if helpers.is_empty() { "-" } else { &helpers }, 20),
        ));
    }
    out.push_str(&format!("{} gaps\n", report.findings.len()));
    out
}

/// A GitHub-flavoured markdown table, for pull request comments.
pub fn markdown(site: &Site, report: &GapReport) -> String {
    let mut out = String::from(
        "| score | rule | where | why | who can help |\n| ---: | --- | --- | --- | --- |\n",
    );
    let escape = |text: &str| text.replace('|', "\\|");
    for finding in &report.findings {
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            finding.score,
            finding.rule.name(),
            escape(&subject(site, finding)),
            escape(finding.rule.explanation()),
            escape(&helpers(site, finding).join(", ")),
        ));
    }
    out
}

/// The versioned JSON document: counts per tag, then ranked findings.
pub(crate) fn json(site: &Site, report: &GapReport) -> Value {
    serde_json::to_value(document(site, report)).unwrap_or_default()
}

/// `json`, pretty-printed as `gaps.json` is written; serialised straight
/// from the report rather than through a `Value` (thousands of findings).
pub(crate) fn json_text(site: &Site, report: &GapReport) -> Vec<u8> {
    let mut text = serde_json::to_vec_pretty(&document(site, report)).unwrap_or_default();
    text.push(b'\n');
    text
}

fn document<'a>(site: &'a Site, report: &'a GapReport) -> GapsDocument<'a> {
    GapsDocument {
        findings: report
            .findings
            .iter()
            .map(|f| FindingJson {
                document: f
                    .subject
                    .document()
                    .map(|id| site.documents[id].source.as_str()),
                explanation: f.rule.explanation(),
                helpers: helpers(site, f),
                rule: f.rule.name(),
                score: f.score,
                tag: f.subject.topic(),
            })
            .collect(),
        schema_version: SCHEMA_VERSION,
        tags: report
            .tags
            .iter()
            .map(|(slug, c)| TagJson {
                declared: c.declared,
                demand: Demand {
                    inbound_links: c.inbound_links,
                    learners: c.learners,
                },
                newest: c.newest.map(|d| d.to_string()),
                slug,
                supply: Supply {
                    authors: c.authors,
                    case_studies: c.case_studies,
                    experts: c.experts,
                    guides: c.guides,
                    mentors: c.mentors,
                    practices: c.practices,
                },
            })
            .collect(),
    }
}

// gaps.json's shape. Fields are in alphabetical order, the order the
// document had when it was built as a `Value`; the golden test pins it.
#[derive(Serialize)]
struct GapsDocument<'a> {
    findings: Vec<FindingJson<'a>>,
    schema_version: u32,
    tags: Vec<TagJson<'a>>,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    document: Option<&'a str>,
    explanation: &'static str,
    helpers: Vec<String>,
    rule: &'static str,
    score: u32,
    tag: Option<&'a str>,
}

#[derive(Serialize)]
struct TagJson<'a> {
    declared: bool,
    demand: Demand,
    newest: Option<String>,
    slug: &'a str,
    supply: Supply,
}

#[derive(Serialize)]
struct Demand {
    inbound_links: usize,
    learners: usize,
}

#[derive(Serialize)]
struct Supply {
    authors: usize,
    case_studies: usize,
    experts: usize,
    guides: usize,
    mentors: usize,
    practices: usize,
}

/// What a finding is about, as written in gaps.json: rule plus tag or document.
fn finding_key(finding: &Value) -> (String, String) {
    let text = |key: &str| finding[key].as_str().unwrap_or_default().to_string();
    let subject = if finding["tag"].is_string() {
        format!("#{}", text("tag"))
    } else {
        text("document")
    };
    (text("rule"), subject)
}

/// The findings of `current` that `baseline` lacks (opened) and the other way round (closed).
pub(crate) fn compare(baseline: &Value, current: &Value) -> (Vec<Value>, Vec<Value>) {
    let findings = |v: &Value| v["findings"].as_array().cloned().unwrap_or_default();
    let (old, new) = (findings(baseline), findings(current));
    let keys = |list: &[Value]| {
        list.iter()
            .map(finding_key)
            .collect::<std::collections::HashSet<_>>()
    };
    let (old_keys, new_keys) = (keys(&old), keys(&new));
    let opened = new
        .into_iter()
        .filter(|f| !old_keys.contains(&finding_key(f)))
        .collect();
    let closed = old
        .into_iter()
        .filter(|f| !new_keys.contains(&finding_key(f)))
        .collect();
    (opened, closed)
}

/// The change as markdown: the comment a steward wants on a pull request.
pub fn change_markdown(opened: &[Value], closed: &[Value]) -> String {
    let mut out = format!(
        "**Gaps opened: {}, closed: {}**\n\n",
        opened.len(),
        closed.len()
    );
    for (title, list) in [("Opened", opened), ("Closed", closed)] {
        if list.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "{title}:\n\n| rule | where | why |\n| --- | --- | --- |\n"
        ));
        for f in list {
            let (rule, subject) = finding_key(f);
            let why = f["explanation"]
                .as_str()
                .unwrap_or_default()
                .replace('|', "\\|");
            out.push_str(&format!(
                "| `{rule}` | {} | {why} |\n",
                subject.replace('|', "\\|")
            ));
        }
        out.push('\n');
    }
    out
}

/// The change for a terminal.
pub fn change_table(opened: &[Value], closed: &[Value]) -> String {
    let mut out = format!("gaps opened: {}, closed: {}\n", opened.len(), closed.len());
    for (sign, list) in [("+", opened), ("-", closed)] {
        for f in list {
            let (rule, subject) = finding_key(f);
            out.push_str(&format!("{sign} {rule:<14}  {}\n", cut(&subject, 60)));
        }
    }
    out
}
