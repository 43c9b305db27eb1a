//! A `GapReport` as a terminal table, a GitHub markdown table, or the
//! versioned JSON document that is also written as `gaps.json`.

use serde::{Serialize, Serializer};

use super::{Change, Finding, GapReport, Recorded, Subject};
use crate::stages::labels;
use crate::stages::link::Site;

/// Bumped whenever a field changes meaning or goes away (README, "Knowledge
/// gaps", says what each version changed).
pub(crate) const SCHEMA_VERSION: u32 = 2;

/// A pull-request comment may hold 65,536 characters; the markdown report
/// stays under this many bytes, whatever the community's size.
pub(crate) const MARKDOWN_BUDGET: usize = 60_000;

/// How many entries the markdown report shows in full before the rest
/// goes into `<details>`.
const MARKDOWN_TOP: usize = 10;

/// What a finding is about: a tag slug, or a document's source path.
fn subject(site: &Site, finding: &Finding) -> String {
    match &finding.subject {
        Subject::Topic(tag) => format!("#{tag}"),
        Subject::Document(id) => site.documents[*id].source.clone(),
        Subject::Wanted(title) => format!("?{title}"),
    }
}

/// A recorded finding's subject as the change reports name it.
fn named(subject: &Subject<String>) -> String {
    match subject {
        Subject::Topic(tag) => format!("#{tag}"),
        Subject::Document(source) => source.clone(),
        Subject::Wanted(title) => format!("?{title}"),
    }
}

/// How many helpers gaps.json names per finding: enough to act on; a
/// topic's page lists everyone who wrote on it.
const HELPERS_LISTED: usize = 10;

/// How many helpers an action names in the CLI's formats.
const HELPERS_NAMED: usize = 3;

/// The slugs of the members who could help, most able first.
pub(super) fn helpers(site: &Site, finding: &Finding) -> Vec<String> {
    super::helpers(site, finding)
        .into_iter()
        .take(HELPERS_LISTED)
        .map(|h| site.documents[h.member].slug.clone())
        .collect()
}

/// The next step for `finding`, naming the first few who could help.
pub(super) fn action_text(site: &Site, report: &GapReport, finding: &Finding) -> String {
    let helpers = super::helpers(site, finding);
    // The command line stays English, whatever the community's language.
    let l = labels::english();
    let names = super::names(site, &helpers, HELPERS_NAMED, l);
    super::action(site, report, finding, l).text(&names, l)
}

/// `text` broken into lines of at most `width` characters at spaces (a
/// longer word is broken where the line ends), each after `indent`.
fn wrap(text: &str, indent: &str, width: usize) -> String {
    let room = width.saturating_sub(indent.chars().count()).max(1);
    let mut out = String::new();
    let mut line = String::new();
    let words = text.split_whitespace().flat_map(|word| {
        let chars: Vec<char> = word.chars().collect();
        chars
            .chunks(room)
            .map(|piece| piece.iter().collect::<String>())
            .collect::<Vec<_>>()
    });
    for word in words {
        let word = word.as_str();
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > room {
            out.push_str(&format!("{indent}{line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&format!("{indent}{line}\n"));
    }
    out
}

fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let kept: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// Fits an 80-column terminal: each place (a topic or a document) with
/// its score and rules, then its next step, naming who could help.
pub fn table(site: &Site, report: &GapReport) -> String {
    let mut out = format!("{:>5}  {:<30}  {}\n", "score", "where", "gaps");
    let entries = report.entries();
    for entry in &entries {
        let rules: Vec<&str> = entry.findings.iter().map(|f| f.rule.name()).collect();
        let first = &entry.findings[0];
        out.push_str(&format!(
            "{:>5}  {:<30}  {}\n",
            entry.score(),
            cut(&subject(site, first), 30),
            cut(&rules.join(", "), 41),
        ));
        out.push_str(&wrap(&action_text(site, report, first), "       ", 80));
    }
    out.push_str(&format!(
        "{} in {}\n",
        count(report.findings.len(), "gap", "gaps"),
        count(entries.len(), "place", "places")
    ));
    out
}

/// A pull-request comment: how many gaps of each kind, the most urgent
/// entries with who could help, the rest folded in `<details>`, all within
/// [`MARKDOWN_BUDGET`] (the last lines say how many were left out).
pub fn markdown(site: &Site, report: &GapReport) -> String {
    let entries = report.entries();
    let mut out = format!(
        "**{} in {}** ({}).\n\n",
        count(report.findings.len(), "gap", "gaps"),
        count(entries.len(), "place", "places"),
        places(&entries),
    );
    out.push_str("| gap | what it means | found |\n| --- | --- | ---: |\n");
    for rule in super::Rule::ALL {
        let n = report.findings.iter().filter(|f| f.rule == rule).count();
        if n > 0 {
            out.push_str(&format!(
                "| {} (`{}`) | {} | {n} |\n",
                rule.label(),
                rule.name(),
                rule.explanation()
            ));
        }
    }
    if entries.is_empty() {
        return out;
    }
    let head = "| # | where | gaps | score | who could help |\n| ---: | --- | --- | ---: | --- |\n";
    let (top, rest) = entries.split_at(entries.len().min(MARKDOWN_TOP));
    out.push_str(&format!("\n#### The {} most urgent\n\n", top.len()));
    for (i, entry) in top.iter().enumerate() {
        let first = &entry.findings[0];
        let gaps: Vec<&str> = entry.findings.iter().map(|f| f.rule.label()).collect();
        out.push_str(&format!(
            "{}. **{}**: {} (score {})  \n   {}\n",
            i + 1,
            md(&subject(site, first)),
            gaps.join(", "),
            entry.score(),
            md(&action_text(site, report, first)),
        ));
    }
    if rest.is_empty() {
        return out;
    }
    let close = "\n</details>\n";
    out.push_str(&format!(
        "\n<details><summary>The other {}</summary>\n\n{head}",
        count(rest.len(), "place", "places")
    ));
    for (i, entry) in rest.iter().enumerate() {
        let row = markdown_row(site, top.len() + i + 1, entry);
        // Room for the row, the note on what is left out, and the close.
        if out.len() + row.len() + 200 + close.len() > MARKDOWN_BUDGET {
            out.push_str(&format!(
                "\n{} more not shown here: `practica gaps --format json` lists every one.\n",
                count(rest.len() - i, "place", "places")
            ));
            break;
        }
        out.push_str(&row);
    }
    out.push_str(close);
    out
}

/// Text from the community (titles, names) in markdown: a `|` would end a
/// table cell, and `<`, `>` could open HTML (a title `</details>` would
/// close the folded list).
fn md(text: &str) -> String {
    text.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// "3 topics and 40 documents".
fn places(entries: &[super::Entry]) -> String {
    let topics = entries
        .iter()
        .filter(|e| e.subject.topic().is_some())
        .count();
    format!(
        "{} and {}",
        count(topics, "topic", "topics"),
        count(entries.len() - topics, "document", "documents")
    )
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One entry as a markdown table row: its gaps by plain name, its score,
/// and the first few who could help.
fn markdown_row(site: &Site, rank: usize, entry: &super::Entry) -> String {
    let gaps: Vec<&str> = entry.findings.iter().map(|f| f.rule.label()).collect();
    let helpers = super::helpers(site, &entry.findings[0]);
    let l = labels::english();
    let who = super::names(site, &helpers, HELPERS_NAMED, l);
    format!(
        "| {rank} | {} | {} | {} | {} |\n",
        md(&subject(site, &entry.findings[0])),
        gaps.join(", "),
        entry.score(),
        md(&super::help::join(&who, l)),
    )
}

/// The versioned JSON document, as `--format json` prints it and the site
/// writes it as gaps.json: counts per tag, then ranked findings.
pub fn json(site: &Site, report: &GapReport) -> String {
    let findings = Recorded::of(site, report);
    pretty(&document(site, &findings, report))
}

/// `json`'s bytes, for the site.
pub(crate) fn json_text(site: &Site, report: &GapReport) -> Vec<u8> {
    json(site, report).into_bytes()
}

/// A change as `--baseline --format json` prints it.
pub fn change_json(change: &Change) -> String {
    let [opened_total, closed_total] = change.totals();
    pretty(&ChangeDocument {
        closed: &change.closed,
        closed_total,
        opened: &change.opened,
        opened_total,
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

fn document<'a>(
    site: &'a Site,
    findings: &'a [Recorded],
    report: &'a GapReport,
) -> GapsDocument<'a> {
    GapsDocument {
        findings,
        schema_version: SCHEMA_VERSION,
        wanted: site
            .wanted
            .iter()
            .map(|w| WantedJson {
                requested_by: w
                    .requested_by
                    .iter()
                    .map(|&id| site.documents[id].source.as_str())
                    .collect(),
                title: &w.title,
            })
            .collect(),
        tags: report
            .tags
            .iter()
            .map(|(slug, c)| TagJson {
                activity: c
                    .activity
                    .iter()
                    .map(|(y, n)| (y.to_string(), *n))
                    .collect(),
                archived: c.archived,
                duplicate_of: c.duplicate_of.as_deref(),
                parent: site.tag(slug).and_then(|t| t.parent.as_deref()),
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
    wanted: Vec<WantedJson<'a>>,
}

/// A page asked for with `[[?Title]]`, and the pages (by source path)
/// that ask for it.
#[derive(Serialize)]
struct WantedJson<'a> {
    requested_by: Vec<&'a str>,
    title: &'a str,
}

/// What `--baseline` prints: the findings opened and closed, each as
/// gaps.json writes findings.
#[derive(Serialize)]
struct ChangeDocument<'a> {
    closed: &'a [Recorded],
    /// With `--top`, more than the list holds.
    closed_total: usize,
    opened: &'a [Recorded],
    opened_total: usize,
    schema_version: u32,
}

/// A finding in gaps.json: a `tag` or a `document`, the other `null`.
#[derive(Serialize)]
struct FindingJson<'a> {
    action: &'a str,
    demand: u32,
    document: Option<&'a str>,
    explanation: &'static str,
    helpers: &'a [String],
    label: &'static str,
    rule: &'static str,
    score: u32,
    tag: Option<&'a str>,
    wanted: Option<&'a str>,
}

impl Serialize for Recorded {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let document = match &self.subject {
            Subject::Document(source) => Some(source.as_str()),
            Subject::Topic(_) | Subject::Wanted(_) => None,
        };
        let wanted = match &self.subject {
            Subject::Wanted(title) => Some(title.as_str()),
            Subject::Topic(_) | Subject::Document(_) => None,
        };
        FindingJson {
            action: &self.action,
            demand: self.demand,
            document,
            explanation: self.rule.explanation(),
            helpers: &self.helpers,
            label: self.rule.label(),
            rule: self.rule.name(),
            score: self.score,
            tag: self.subject.topic(),
            wanted,
        }
        .serialize(serializer)
    }
}

#[derive(Serialize)]
struct TagJson<'a> {
    /// Documents written or updated per year.
    activity: std::collections::BTreeMap<String, usize>,
    archived: bool,
    declared: bool,
    demand: Demand,
    duplicate_of: Option<&'a str>,
    newest: Option<String>,
    parent: Option<&'a str>,
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

/// The change as markdown: the comment a steward wants on a pull request,
/// within [`MARKDOWN_BUDGET`] however many gaps a change opens.
pub fn change_markdown(change: &Change) -> String {
    let (opened, closed) = (&change.opened, &change.closed);
    let [opened_total, closed_total] = change.totals();
    let mut out = format!("**Gaps opened: {opened_total}, closed: {closed_total}**\n\n");
    for ((title, list), left_out) in [("Opened", opened), ("Closed", closed)]
        .into_iter()
        .zip(change.left_out)
    {
        if list.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "{title}:\n\n| rule | where | why |\n| --- | --- | --- |\n"
        ));
        for (i, f) in list.iter().enumerate() {
            let row = format!(
                "| `{}` | {} | {} |\n",
                f.rule.name(),
                md(&named(&f.subject)),
                f.rule.explanation(),
            );
            // Room for this list's note and the other list's heading.
            if out.len() + row.len() + 400 > MARKDOWN_BUDGET {
                out.push_str(&format!(
                    "\n{} more not shown here: `--format json` lists every one.\n",
                    list.len() - i
                ));
                break;
            }
            out.push_str(&row);
        }
        if left_out > 0 {
            out.push_str(&format!("\n{left_out} more left out by `--top`.\n"));
        }
        out.push('\n');
    }
    out
}

/// The change for a terminal.
pub fn change_table(change: &Change) -> String {
    let (opened, closed) = (&change.opened, &change.closed);
    let [opened_total, closed_total] = change.totals();
    let mut out = format!("gaps opened: {opened_total}, closed: {closed_total}\n");
    for ((sign, list), left_out) in [("+", opened), ("-", closed)]
        .into_iter()
        .zip(change.left_out)
    {
        for f in list {
            let subject = cut(&named(&f.subject), 60);
            out.push_str(&format!("{sign} {:<14}  {subject}\n", f.rule.name()));
        }
        if left_out > 0 {
            out.push_str(&format!("{sign} {left_out} more left out by --top\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::gaps::Rule;

    /// A change that opens thousands of gaps still fits a comment, and
    /// says how many it left out; a title cannot open HTML in it.
    #[test]
    fn a_large_change_fits_a_pull_request_comment() {
        let finding = |i: usize| Recorded {
            rule: Rule::Orphan,
            subject: Subject::Document(format!("guides/</details>-{i}.md")),
            score: 1,
            demand: 1,
            helpers: Vec::new(),
            action: String::new(),
        };
        let change = Change {
            opened: (0..5000).map(finding).collect(),
            closed: (0..5000).map(finding).collect(),
            left_out: [0, 0],
        };
        let text = change_markdown(&change);
        assert!(text.len() <= MARKDOWN_BUDGET, "{} bytes", text.len());
        assert!(text.contains("more not shown here: `--format json` lists every one."));
        assert!(!text.contains("</details>"), "escaped");
        assert!(text.starts_with("**Gaps opened: 5000, closed: 5000**"));
    }
}
