//! The insights as people read them: groups of sections, each with a
//! one-line reading, a chart where one helps, and its data as a table.
//! The /insights/ page, the markdown report and the HTML summary all show
//! these, so a figure reads the same everywhere.

use serde::Serialize;

use super::chart::{self, Series};
use super::{Insights, QuarterActivity, QuarterGaps};
use crate::stages::gaps::Rule;
use crate::stages::history::Source;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Group {
    pub(crate) id: &'static str,
    pub(crate) heading: &'static str,
    pub(crate) intro: &'static str,
    pub(crate) sections: Vec<Section>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Section {
    pub(crate) id: &'static str,
    pub(crate) heading: &'static str,
    /// One sentence with the figure that matters most.
    pub(crate) reading: String,
    /// Inline SVG, when a chart helps.
    pub(crate) chart: Option<String>,
    /// The chart's series, in its colour order (`s1`, `s2`…).
    pub(crate) legend: Vec<String>,
    pub(crate) table: Table,
    /// The table as HTML, for templates.
    pub(crate) table_html: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Table {
    pub(crate) caption: String,
    pub(crate) heads: Vec<&'static str>,
    pub(crate) rows: Vec<Vec<String>>,
}

impl Section {
    fn new(id: &'static str, heading: &'static str, reading: String, table: Table) -> Section {
        let heads = &table.heads;
        let table_html = chart::table(&table.caption, heads, &table.rows);
        Section {
            id,
            heading,
            reading,
            chart: None,
            legend: Vec::new(),
            table,
            table_html,
        }
    }

    fn with_chart(mut self, svg: String, series: &[Series]) -> Section {
        self.chart = Some(svg);
        self.legend = series.iter().map(|s| s.name.clone()).collect();
        self
    }
}

/// What the figures come from, in a sentence: the page says what it
/// cannot know.
pub(crate) fn source_note(insights: &Insights) -> String {
    match &insights.history {
        Source::Git => format!(
            "From the documents' front matter and {} git commits that changed documents in the period.",
            insights.participation.commits
        ),
        Source::Off => "Git history is turned off (--no-history, or history: false in community.yaml): these figures come from front matter dates alone, so changes without an updated date, git authors, past statuses and past gaps are not counted.".into(),
        Source::NotInGit(reason) => format!(
            "This folder is not in a git repository ({reason}): these figures come from front matter dates alone, so changes without an updated date, git authors, past statuses and past gaps are not counted."
        ),
        Source::Shallow => "This is a shallow clone, which lacks most of the git history: these figures come from front matter dates alone. Fetch the whole history (git fetch --unshallow; in GitHub Actions, fetch-depth: 0) to see who changed what and how statuses and gaps moved.".into(),
    }
}

pub(crate) fn groups(insights: &Insights) -> Vec<Group> {
    vec![
        Group {
            id: "participation",
            heading: "Participation",
            intro: "How many people contribute, how often, and whether they stay.",
            sections: vec![
                documents(insights),
                contributors(insights),
                topics(insights),
                unmatched(insights),
            ],
        },
        Group {
            id: "needs",
            heading: "Needs",
            intro: "What members know, what they want to learn, and what pages they ask for.",
            sections: vec![
                know_and_learn(insights),
                unmentored(insights),
                wanted(insights),
            ],
        },
        Group {
            id: "impact",
            heading: "Impact",
            intro: "Which practices are adopted, and the evidence for them.",
            sections: vec![
                status(insights),
                evidence(insights),
                case_studies(insights),
                without_evidence(insights),
            ],
        },
        Group {
            id: "coverage",
            heading: "Knowledge coverage",
            intro: "The gap map's findings at the end of each quarter: gaps that open and close.",
            sections: vec![coverage(insights)],
        },
    ]
}

/// "up from 9", "down from 9", "as in 2025 Q1".
fn change(now: usize, before: usize, when: &str) -> String {
    match now.cmp(&before) {
        std::cmp::Ordering::Greater => format!("up from {before} {when}"),
        std::cmp::Ordering::Less => format!("down from {before} {when}"),
        std::cmp::Ordering::Equal => format!("the same as {when}"),
    }
}

fn last_two<T>(items: &[T]) -> (Option<&T>, Option<&T>) {
    let n = items.len();
    (items.last(), n.checked_sub(2).and_then(|i| items.get(i)))
}

fn documents(insights: &Insights) -> Section {
    let months = &insights.participation.months;
    let labels: Vec<String> = months.iter().map(|m| m.month.short()).collect();
    let series = [
        Series::new("Written", months.iter().map(|m| m.written).collect()),
        Series::new("Updated", months.iter().map(|m| m.updated).collect()),
    ];
    let reading = match last_two(&insights.participation.quarters) {
        (Some(now), Some(before)) => format!(
            "Documents written in {}: {}, {}; updated: {}, {}.",
            now.quarter,
            now.written,
            change(now.written, before.written, "the quarter before"),
            now.updated,
            change(now.updated, before.updated, "the quarter before"),
        ),
        (Some(now), None) => format!(
            "Documents written in {}: {}; updated: {}.",
            now.quarter, now.written, now.updated
        ),
        _ => "No documents in the period.".into(),
    };
    let rows = months
        .iter()
        .map(|m| {
            vec![
                m.month.short(),
                m.written.to_string(),
                m.updated.to_string(),
            ]
        })
        .collect();
    let table = Table {
        caption: "Documents written and updated per month".into(),
        heads: vec!["Month", "Written", "Updated"],
        rows,
    };
    let title = "Documents written and updated per month";
    let svg = chart::stacked_bars("chart-documents", title, &labels, &series);
    Section::new("documents", "Documents written and updated", reading, table)
        .with_chart(svg, &series)
}

fn contributors(insights: &Insights) -> Section {
    let quarters = &insights.participation.quarters;
    let labels: Vec<String> = quarters.iter().map(|q| q.quarter.to_string()).collect();
    let series = [
        Series::new(
            "Returning",
            quarters
                .iter()
                .map(|q| q.contributors - q.new_contributors)
                .collect(),
        ),
        Series::new("New", quarters.iter().map(|q| q.new_contributors).collect()),
    ];
    let reading = match last_two(quarters) {
        (Some(now), Some(before)) => format!(
            "Contributors in {}: {}, {}; {} of them new.",
            now.quarter,
            now.contributors,
            change(now.contributors, before.contributors, "the quarter before"),
            now.new_contributors
        ),
        (Some(now), None) => format!(
            "Contributors in {}: {}; {} of them new.",
            now.quarter, now.contributors, now.new_contributors
        ),
        _ => "No contributors in the period.".into(),
    };
    let rows = quarters.iter().map(contributor_row).collect();
    let table = Table {
        caption: "Contributors per quarter".into(),
        heads: vec![
            "Quarter",
            "Contributors",
            "New",
            "Still active the next quarter",
            "Documents written",
            "Documents updated",
        ],
        rows,
    };
    let svg = chart::stacked_bars(
        "chart-contributors",
        "Contributors per quarter, new and returning",
        &labels,
        &series,
    );
    Section::new("contributors", "Contributors", reading, table).with_chart(svg, &series)
}

fn contributor_row(q: &QuarterActivity) -> Vec<String> {
    vec![
        q.quarter.to_string(),
        q.contributors.to_string(),
        q.new_contributors.to_string(),
        q.stayed
            .map_or_else(|| "–".into(), |s| format!("{s} of {}", q.contributors)),
        q.written.to_string(),
        q.updated.to_string(),
    ]
}

fn topics(insights: &Insights) -> Section {
    let topics = &insights.participation.topics;
    let reading = match topics.first() {
        Some(top) => format!(
            "{} topics had contributors in the period; the most, {}: {}.",
            topics.len(),
            top.title,
            top.contributors.len()
        ),
        None => "No topic had contributors in the period.".into(),
    };
    let rows = topics
        .iter()
        .map(|t| {
            vec![
                t.title.clone(),
                t.contributors.len().to_string(),
                some_of(&t.contributors),
            ]
        })
        .collect();
    let table = Table {
        caption: "Contributors per topic in the period".into(),
        heads: vec!["Topic", "Contributors", "Who"],
        rows,
    };
    Section::new("topics", "Who contributes to which topics", reading, table)
}

/// How many names a cell lists; the JSON report has them all.
const NAMES_SHOWN: usize = 8;

/// The first names of a list, and how many more there are.
fn some_of(names: &[String]) -> String {
    let shown = names[..names.len().min(NAMES_SHOWN)].join(", ");
    match names.len().saturating_sub(NAMES_SHOWN) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

fn unmatched(insights: &Insights) -> Section {
    let authors = &insights.participation.unmatched;
    let reading = if !insights.history.has_git() {
        "Without git history, only the authors named in front matter are counted.".into()
    } else if authors.is_empty() {
        "Every git author in the period is matched to a member.".into()
    } else {
        format!(
            "{} git authors are not matched to a member: add their names or e-mails to the git list of a member's profile.",
            authors.len()
        )
    };
    let rows = authors
        .iter()
        .map(|a| vec![a.name.clone(), a.email.clone(), a.commits.to_string()])
        .collect();
    let table = Table {
        caption: "git authors not matched to a member".into(),
        heads: vec!["Name", "E-mail", "Commits"],
        rows,
    };
    Section::new(
        "unmatched",
        "git authors not matched to a member",
        reading,
        table,
    )
}

/// How many topics the needs chart shows; its table lists them all.
const NEEDS_CHARTED: usize = 8;

fn know_and_learn(insights: &Insights) -> Section {
    let topics = &insights.needs.topics;
    let shown = &topics[..topics.len().min(NEEDS_CHARTED)];
    let rows_named: Vec<String> = shown.iter().map(|t| t.title.clone()).collect();
    let series = [
        Series::new("Know it", shown.iter().map(|t| t.experts).collect()),
        Series::new(
            "Want to learn it",
            shown.iter().map(|t| t.learners).collect(),
        ),
    ];
    let reading = match topics.first() {
        Some(t) if t.learners > t.mentors => format!(
            "Most unmet need: {}, {} learners and {} mentors.",
            t.title, t.learners, t.mentors
        ),
        Some(_) => "Every topic members want to learn has as many mentors as learners.".into(),
        None => "No member lists expertise or topics to learn.".into(),
    };
    let rows = topics
        .iter()
        .map(|t| {
            vec![
                t.title.clone(),
                t.experts.to_string(),
                t.mentors.to_string(),
                t.learners.to_string(),
            ]
        })
        .collect();
    let table = Table {
        caption: "Members who know and who want to learn each topic".into(),
        heads: vec!["Topic", "Know it", "Mentors", "Want to learn it"],
        rows,
    };
    let title = "Members who know each topic against members who want to learn it";
    let section = Section::new(
        "know-and-learn",
        "Who knows and who wants to learn",
        reading,
        table,
    );
    if shown.is_empty() {
        return section;
    }
    let svg = chart::paired_bars("chart-needs", title, &rows_named, &series);
    section.with_chart(svg, &series)
}

fn unmentored(insights: &Insights) -> Section {
    let learners = &insights.needs.unmentored;
    let reading = match learners.len() {
        0 => "Every learner has a mentor on their topic.".into(),
        n => format!("{n} times a member wants to learn a topic no mentor knows."),
    };
    let rows = learners
        .iter()
        .map(|l| vec![l.name.clone(), l.topic_title.clone()])
        .collect();
    let table = Table {
        caption: "Learners with no mentor on their topic".into(),
        heads: vec!["Member", "Wants to learn"],
        rows,
    };
    Section::new("unmentored", "Learners with no mentor", reading, table)
}

fn wanted(insights: &Insights) -> Section {
    let wanted = &insights.needs.wanted;
    let reading = match wanted.first() {
        Some(w) => format!(
            "{} pages are asked for; the most, “{}”, by {} documents.",
            wanted.len(),
            w.title,
            w.requests
        ),
        None => "No page is asked for with a [[?Title]] link.".into(),
    };
    let rows = wanted
        .iter()
        .map(|w| vec![w.title.clone(), w.requests.to_string()])
        .collect();
    let table = Table {
        caption: "Wanted pages, most asked for first".into(),
        heads: vec!["Page", "Asked for by"],
        rows,
    };
    Section::new("wanted", "Wanted pages", reading, table)
}

fn status(insights: &Insights) -> Section {
    let status = &insights.impact.status;
    let labels: Vec<String> = status.iter().map(|s| s.quarter.to_string()).collect();
    let of =
        |f: fn(&super::StatusCounts) -> usize| status.iter().map(|s| f(&s.practices)).collect();
    let series = [
        Series::new("Proposed", of(|c| c.proposed)),
        Series::new("Emerging", of(|c| c.emerging)),
        Series::new("Established", of(|c| c.established)),
        Series::new("Retired", of(|c| c.retired)),
        Series::new("No status", of(|c| c.unset)),
    ];
    let reading = match last_two(status) {
        (Some(now), Some(before)) => format!(
            "Established practices in {}: {}, {}.",
            now.quarter,
            now.practices.established,
            change(
                now.practices.established,
                before.practices.established,
                &format!("at the end of {}", before.quarter)
            )
        ),
        (Some(now), None) => format!(
            "Established practices in {}: {}.",
            now.quarter, now.practices.established
        ),
        _ => "No practices in the period.".into(),
    };
    let rows = status
        .iter()
        .map(|s| {
            let c = &s.practices;
            [s.quarter.to_string()]
                .into_iter()
                .chain(
                    [c.proposed, c.emerging, c.established, c.retired, c.unset]
                        .map(|n| n.to_string()),
                )
                .collect()
        })
        .collect();
    let table = Table {
        caption: "Practices by status at the end of each quarter".into(),
        heads: vec![
            "Quarter",
            "Proposed",
            "Emerging",
            "Established",
            "Retired",
            "No status",
        ],
        rows,
    };
    let svg = chart::stacked_bars(
        "chart-status",
        "Practices by status at the end of each quarter",
        &labels,
        &series,
    );
    Section::new("status", "Practices by status", reading, table).with_chart(svg, &series)
}

fn status_name(status: Option<crate::model::document::Status>) -> String {
    status.map_or_else(
        || "–".into(),
        |s| {
            let name = serde_json::to_value(s).ok();
            name.and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        },
    )
}

fn evidence(insights: &Insights) -> Section {
    let practices = &insights.impact.evidence;
    let with = practices
        .iter()
        .filter(|p| p.guides + p.case_studies > 0)
        .count();
    let reading = format!(
        "{with} of {} practices have evidence: a guide or case study that cites them.",
        practices.len()
    );
    let rows = practices
        .iter()
        .map(|p| {
            vec![
                p.title.clone(),
                status_name(p.status),
                p.guides.to_string(),
                p.case_studies.to_string(),
            ]
        })
        .collect();
    let table = Table {
        caption: "Evidence per practice".into(),
        heads: vec!["Practice", "Status", "Guides", "Case studies"],
        rows,
    };
    Section::new("evidence", "Evidence per practice", reading, table)
}

fn case_studies(insights: &Insights) -> Section {
    let counts = &insights.impact.case_studies;
    let labels: Vec<String> = counts.iter().map(|c| c.quarter.to_string()).collect();
    let series = [Series::new(
        "Case studies",
        counts.iter().map(|c| c.count).collect(),
    )];
    let reading = match last_two(counts) {
        (Some(now), Some(before)) => format!(
            "Case studies written in {}: {}, {}.",
            now.quarter,
            now.count,
            change(now.count, before.count, "the quarter before")
        ),
        (Some(now), None) => format!("Case studies written in {}: {}.", now.quarter, now.count),
        _ => "No case studies in the period.".into(),
    };
    let rows = counts
        .iter()
        .map(|c| vec![c.quarter.to_string(), c.count.to_string()])
        .collect();
    let table = Table {
        caption: "Case studies written per quarter".into(),
        heads: vec!["Quarter", "Case studies"],
        rows,
    };
    let svg = chart::stacked_bars(
        "chart-case-studies",
        "Case studies written per quarter",
        &labels,
        &series,
    );
    Section::new("case-studies", "Case studies per quarter", reading, table)
        .with_chart(svg, &series)
}

fn without_evidence(insights: &Insights) -> Section {
    let practices = &insights.impact.without_evidence;
    let reading = match practices.len() {
        0 => "Every practice in use has evidence.".into(),
        n => format!(
            "{n} practices in use have no evidence yet: a case study or guide would prove them."
        ),
    };
    let rows = practices
        .iter()
        .map(|p| vec![p.title.clone(), status_name(p.status)])
        .collect();
    let table = Table {
        caption: "Practices with no evidence".into(),
        heads: vec!["Practice", "Status"],
        rows,
    };
    Section::new(
        "without-evidence",
        "Practices with no evidence",
        reading,
        table,
    )
}

fn coverage(insights: &Insights) -> Section {
    let quarters = &insights.coverage;
    let labels: Vec<String> = quarters.iter().map(|q| q.quarter.to_string()).collect();
    let series = [Series::new(
        "Gaps",
        quarters.iter().map(|q| q.total).collect(),
    )];
    let reading = match last_two(quarters) {
        (Some(now), Some(before)) => format!(
            "Gaps in {}: {}, {}.",
            now.quarter,
            now.total,
            change(
                now.total,
                before.total,
                &format!("at the end of {}", before.quarter)
            )
        ),
        (Some(now), None) => format!("Gaps in {}: {}.", now.quarter, now.total),
        _ => "No quarter of the period has a known state.".into(),
    };
    let rules = rules_seen(quarters);
    let mut heads = vec!["Quarter", "All gaps"];
    heads.extend(rules.iter().map(|r| Rule::parse(r).map_or(*r, Rule::label)));
    let rows = quarters
        .iter()
        .map(|q| {
            [q.quarter.to_string(), q.total.to_string()]
                .into_iter()
                .chain(
                    rules
                        .iter()
                        .map(|r| q.rules.get(r).copied().unwrap_or(0).to_string()),
                )
                .collect()
        })
        .collect();
    let table = Table {
        caption: "Gaps per rule at the end of each quarter".into(),
        heads,
        rows,
    };
    let svg = chart::stacked_bars(
        "chart-coverage",
        "Gaps found at the end of each quarter",
        &labels,
        &series,
    );
    Section::new(
        "gaps-over-time",
        "Gaps at the end of each quarter",
        reading,
        table,
    )
    .with_chart(svg, &series)
}

/// The rules with a gap in some quarter: the table's columns.
fn rules_seen(quarters: &[QuarterGaps]) -> Vec<&'static str> {
    let mut rules: Vec<&'static str> = quarters
        .iter()
        .flat_map(|q| q.rules.iter().filter(|(_, n)| **n > 0).map(|(r, _)| *r))
        .collect();
    rules.sort_unstable();
    rules.dedup();
    rules
}
