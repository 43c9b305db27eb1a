//! A `GapReport` as a terminal table, a GitHub markdown table, or the
//! versioned JSON document that is also written as `gaps.json`.

use serde::{Serialize, Serializer};

use super::{Change, Finding, GapReport, Recorded, Subject};
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

/// A recorded finding's subject as the change reports name it.
fn named(subject: &Subject<String>) -> String {
    match subject {
        Subject::Topic(tag) => format!("#{tag}"),
        Subject::Document(source) => source.clone(),
    }
}

/// The slugs of the members who could help, alphabetically.
pub(super) fn helpers(site: &Site, finding: &Finding) -> Vec<String> {
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

/// The versioned JSON document, as `--format json` prints it and the site
/// writes it as gaps.json: counts per tag, then ranked findings.
pub fn json(site: &Site, report: &GapReport) -> String {
    let findings = Recorded::of(site, report);
    pretty(&document(&findings, report))
}

/// `json`'s bytes, for the site.
pub(crate) fn json_text(site: &Site, report: &GapReport) -> Vec<u8> {
    json(site, report).into_bytes()
}

/// A change as `--baseline --format json` prints it.
pub fn change_json(change: &Change) -> String {
    pretty(&ChangeDocument {
        closed: &change.closed,
        opened: &change.opened,
        schema_version: SCHEMA_VERSION,
    })
}

/// Indented JSON ending in a newline. Serialising these types cannot fail:
/// every map key is a string.
fn pretty(document: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
    text.push('\n');
    text
}

fn document<'a>(findings: &'a [Recorded], report: &'a GapReport) -> GapsDocument<'a> {
    GapsDocument {
        findings,
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

// The JSON shapes. Fields are in alphabetical order, the order the
// documents had when they were built as a `Value`; the golden test pins it.
#[derive(Serialize)]
struct GapsDocument<'a> {
    findings: &'a [Recorded],
    schema_version: u32,
    tags: Vec<TagJson<'a>>,
}

/// What `--baseline` prints: the findings opened and closed, each as
/// gaps.json writes findings.
#[derive(Serialize)]
struct ChangeDocument<'a> {
    closed: &'a [Recorded],
    opened: &'a [Recorded],
    schema_version: u32,
}

/// A finding in gaps.json: a `tag` or a `document`, the other `null`.
#[derive(Serialize)]
struct FindingJson<'a> {
    document: Option<&'a str>,
    explanation: &'static str,
    helpers: &'a [String],
    rule: &'static str,
    score: u32,
    tag: Option<&'a str>,
}

impl Serialize for Recorded {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let document = match &self.subject {
            Subject::Document(source) => Some(source.as_str()),
            Subject::Topic(_) => None,
        };
        FindingJson {
            document,
            explanation: self.rule.explanation(),
            helpers: &self.helpers,
            rule: self.rule.name(),
            score: self.score,
            tag: self.subject.topic(),
        }
        .serialize(serializer)
    }
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

/// The change as markdown: the comment a steward wants on a pull request.
pub fn change_markdown(change: &Change) -> String {
    let (opened, closed) = (&change.opened, &change.closed);
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
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                f.rule.name(),
                named(&f.subject).replace('|', "\\|"),
                f.rule.explanation().replace('|', "\\|"),
            ));
        }
        out.push('\n');
    }
    out
}

/// The change for a terminal.
pub fn change_table(change: &Change) -> String {
    let (opened, closed) = (&change.opened, &change.closed);
    let mut out = format!("gaps opened: {}, closed: {}\n", opened.len(), closed.len());
    for (sign, list) in [("+", opened), ("-", closed)] {
        for f in list {
            let subject = cut(&named(&f.subject), 60);
            out.push_str(&format!("{sign} {:<14}  {subject}\n", f.rule.name()));
        }
    }
    out
}
