//! The insights as people read them: groups of sections, each with a
//! one-line reading, a chart where one helps, and its data as a table.
//! The /insights/ page, the markdown report and the HTML summary all show
//! these, so a figure reads the same everywhere.

use serde::Serialize;

use super::chart::{self, Series};
use super::{Insights, QuarterActivity, QuarterGaps};
use crate::model::document::Status;
use crate::model::period::Quarter;
use crate::stages::gaps::Rule;
use crate::stages::history::Source;
use crate::stages::labels::Labels;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Group {
    pub(crate) id: &'static str,
    pub(crate) heading: String,
    pub(crate) intro: String,
    pub(crate) sections: Vec<Section>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Section {
    pub(crate) id: &'static str,
    pub(crate) heading: String,
    /// One sentence with the figure that matters most.
    pub(crate) reading: String,
    /// Inline SVG, when a chart helps.
    pub(crate) chart: Option<String>,
    /// The chart's series, in its colour order (`s1`, `s2`…).
    pub(crate) legend: Vec<String>,
    pub(crate) table: Table,
    /// The table as HTML, for templates: its first `PAGE_ROWS` rows.
    pub(crate) table_html: String,
    /// The rows the page leaves out (`practica report` has them all).
    pub(crate) more: usize,
}

/// How many rows of a table the page shows: at 10,000 documents
/// "Evidence per practice" alone has 4,000 and made /insights/ 680 KB.
const PAGE_ROWS: usize = 100;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Table {
    pub(crate) caption: String,
    pub(crate) heads: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

impl Section {
    fn new(id: &'static str, heading: &str, reading: String, table: Table) -> Section {
        let shown = &table.rows[..table.rows.len().min(PAGE_ROWS)];
        let table_html = chart::table(&table.caption, &table.heads, shown);
        let more = table.rows.len() - shown.len();
        Section {
            id,
            heading: heading.to_string(),
            reading,
            chart: None,
            legend: Vec::new(),
            table,
            table_html,
            more,
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
pub(crate) fn source_note(insights: &Insights, l: &Labels) -> String {
    match &insights.history {
        Source::Git => l.count("insights_source_git", insights.participation.commits),
        Source::Off => l.get("insights_source_off").into(),
        Source::NotInGit(reason) => l.fill("insights_source_not_in_git", &[("reason", reason)]),
        Source::Shallow => l.get("insights_source_shallow").into(),
    }
}

pub(crate) fn groups(insights: &Insights, l: &Labels) -> Vec<Group> {
    let group = |id, key: &str, sections| Group {
        id,
        heading: l.get(&format!("insights_{key}")).into(),
        intro: l.get(&format!("insights_{key}_intro")).into(),
        sections,
    };
    vec![
        group(
            "participation",
            "participation",
            vec![
                documents(insights, l),
                contributors(insights, l),
                topics(insights, l),
                unmatched(insights, l),
            ],
        ),
        group(
            "needs",
            "needs",
            vec![
                know_and_learn(insights, l),
                unmentored(insights, l),
                wanted(insights, l),
            ],
        ),
        group(
            "impact",
            "impact",
            vec![
                status(insights, l),
                evidence(insights, l),
                case_studies(insights, l),
                without_evidence(insights, l),
            ],
        ),
        group("coverage", "coverage", vec![coverage(insights, l)]),
    ]
}

/// "up from 9 the quarter before", "the same as at the end of 2025 Q1".
fn change(l: &Labels, now: usize, before: usize, when: &str) -> String {
    let key = match now.cmp(&before) {
        std::cmp::Ordering::Greater => "insights_up_from",
        std::cmp::Ordering::Less => "insights_down_from",
        std::cmp::Ordering::Equal => "insights_same_as",
    };
    l.fill(key, &[("n", &before), ("when", &when)])
}

/// "the quarter before".
fn quarter_before(l: &Labels) -> &str {
    l.get("insights_quarter_before")
}

/// "at the end of 2025 Q1".
fn end_of(l: &Labels, quarter: Quarter) -> String {
    l.fill("insights_at_end_of", &[("quarter", &quarter.name(l))])
}

/// A table's column heads from their label keys.
fn heads(l: &Labels, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|key| l.get(key).to_string()).collect()
}

fn last_two<T>(items: &[T]) -> (Option<&T>, Option<&T>) {
    let n = items.len();
    (items.last(), n.checked_sub(2).and_then(|i| items.get(i)))
}

fn documents(insights: &Insights, l: &Labels) -> Section {
    let months = &insights.participation.months;
    let labels: Vec<String> = months.iter().map(|m| m.month.short(l)).collect();
    let series = [
        Series::new(
            l.get("insights_written"),
            months.iter().map(|m| m.written).collect(),
        ),
        Series::new(
            l.get("insights_updated"),
            months.iter().map(|m| m.updated).collect(),
        ),
    ];
    let reading = match last_two(&insights.participation.quarters) {
        (Some(now), Some(before)) => l.fill(
            "insights_documents_reading",
            &[
                ("quarter", &now.quarter.name(l)),
                ("written", &now.written),
                (
                    "written_change",
                    &change(l, now.written, before.written, quarter_before(l)),
                ),
                ("updated", &now.updated),
                (
                    "updated_change",
                    &change(l, now.updated, before.updated, quarter_before(l)),
                ),
            ],
        ),
        (Some(now), None) => l.fill(
            "insights_documents_reading_first",
            &[
                ("quarter", &now.quarter.name(l)),
                ("written", &now.written),
                ("updated", &now.updated),
            ],
        ),
        _ => l.get("insights_no_documents").into(),
    };
    let rows = months
        .iter()
        .map(|m| {
            vec![
                m.month.short(l),
                m.written.to_string(),
                m.updated.to_string(),
            ]
        })
        .collect();
    let title = l.get("insights_documents_caption");
    let table = Table {
        caption: title.into(),
        heads: heads(
            l,
            &["insights_month", "insights_written", "insights_updated"],
        ),
        rows,
    };
    let svg = chart::stacked_bars("chart-documents", title, &labels, &series);
    Section::new(
        "documents",
        l.get("insights_documents_heading"),
        reading,
        table,
    )
    .with_chart(svg, &series)
}

fn contributors(insights: &Insights, l: &Labels) -> Section {
    let quarters = &insights.participation.quarters;
    let labels: Vec<String> = quarters.iter().map(|q| q.quarter.name(l)).collect();
    let series = [
        Series::new(
            l.get("insights_returning"),
            quarters
                .iter()
                .map(|q| q.contributors - q.new_contributors)
                .collect(),
        ),
        Series::new(
            l.get("insights_new"),
            quarters.iter().map(|q| q.new_contributors).collect(),
        ),
    ];
    let reading = match last_two(quarters) {
        (Some(now), Some(before)) => l.fill(
            "insights_contributors_reading",
            &[
                ("quarter", &now.quarter.name(l)),
                ("n", &now.contributors),
                (
                    "change",
                    &change(l, now.contributors, before.contributors, quarter_before(l)),
                ),
                ("new", &now.new_contributors),
            ],
        ),
        (Some(now), None) => l.fill(
            "insights_contributors_reading_first",
            &[
                ("quarter", &now.quarter.name(l)),
                ("n", &now.contributors),
                ("new", &now.new_contributors),
            ],
        ),
        _ => l.get("insights_no_contributors").into(),
    };
    let rows = quarters.iter().map(|q| contributor_row(q, l)).collect();
    let table = Table {
        caption: l.get("insights_contributors_caption").into(),
        heads: heads(
            l,
            &[
                "insights_quarter",
                "insights_contributors",
                "insights_new",
                "insights_still_active",
                "insights_documents_written",
                "insights_documents_updated",
            ],
        ),
        rows,
    };
    let svg = chart::stacked_bars(
        "chart-contributors",
        l.get("insights_contributors_chart"),
        &labels,
        &series,
    );
    Section::new(
        "contributors",
        l.get("insights_contributors"),
        reading,
        table,
    )
    .with_chart(svg, &series)
}

fn contributor_row(q: &QuarterActivity, l: &Labels) -> Vec<String> {
    vec![
        q.quarter.name(l),
        q.contributors.to_string(),
        q.new_contributors.to_string(),
        q.stayed.map_or_else(
            || "–".into(),
            |s| l.fill("insights_n_of", &[("n", &s), ("of", &q.contributors)]),
        ),
        q.written.to_string(),
        q.updated.to_string(),
    ]
}

fn topics(insights: &Insights, l: &Labels) -> Section {
    let topics = &insights.participation.topics;
    let reading = match topics.first() {
        Some(top) => l.count_with(
            "insights_topics_reading",
            topics.len(),
            &[("title", &top.title), ("top", &top.contributors.len())],
        ),
        None => l.get("insights_no_topic").into(),
    };
    let rows = topics
        .iter()
        .map(|t| {
            vec![
                t.title.clone(),
                t.contributors.len().to_string(),
                some_of(&t.contributors, l),
            ]
        })
        .collect();
    let table = Table {
        caption: l.get("insights_topics_caption").into(),
        heads: heads(l, &["topic", "insights_contributors", "insights_who"]),
        rows,
    };
    Section::new("topics", l.get("insights_topics_heading"), reading, table)
}

/// How many names a cell lists; the JSON report has them all.
const NAMES_SHOWN: usize = 8;

/// The first names of a list, and how many more there are.
fn some_of(names: &[String], l: &Labels) -> String {
    let shown = names[..names.len().min(NAMES_SHOWN)].join(", ");
    match names.len().saturating_sub(NAMES_SHOWN) {
        0 => shown,
        more => format!("{shown} {}", l.count("and_more", more)),
    }
}

fn unmatched(insights: &Insights, l: &Labels) -> Section {
    let authors = &insights.participation.unmatched;
    let reading = if !insights.history.has_git() {
        l.get("insights_unmatched_no_git").into()
    } else if authors.is_empty() {
        l.get("insights_unmatched_none").into()
    } else {
        l.count("insights_unmatched_reading", authors.len())
    };
    let rows = authors
        .iter()
        .map(|a| vec![a.name.clone(), a.email.clone(), a.commits.to_string()])
        .collect();
    let heading = l.get("insights_unmatched_heading");
    let table = Table {
        caption: heading.into(),
        heads: heads(l, &["insights_name", "insights_email", "insights_commits"]),
        rows,
    };
    Section::new("unmatched", heading, reading, table)
}

/// How many topics the needs chart shows; its table lists them all.
const NEEDS_CHARTED: usize = 8;

fn know_and_learn(insights: &Insights, l: &Labels) -> Section {
    let topics = &insights.needs.topics;
    let shown = &topics[..topics.len().min(NEEDS_CHARTED)];
    let rows_named: Vec<String> = shown.iter().map(|t| t.title.clone()).collect();
    let series = [
        Series::new(
            l.get("insights_know_it"),
            shown.iter().map(|t| t.experts).collect(),
        ),
        Series::new(
            l.get("insights_want_to_learn_it"),
            shown.iter().map(|t| t.learners).collect(),
        ),
    ];
    let reading = match topics.first() {
        Some(t) if t.learners > t.mentors => l.fill(
            "insights_unmet_need",
            &[
                ("title", &t.title),
                ("learners", &t.learners),
                ("mentors", &t.mentors),
            ],
        ),
        Some(_) => l.get("insights_needs_met").into(),
        None => l.get("insights_no_needs").into(),
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
        caption: l.get("insights_know_learn_caption").into(),
        heads: heads(
            l,
            &[
                "topic",
                "insights_know_it",
                "mentors",
                "insights_want_to_learn_it",
            ],
        ),
        rows,
    };
    let section = Section::new(
        "know-and-learn",
        l.get("insights_know_learn_heading"),
        reading,
        table,
    );
    if shown.is_empty() {
        return section;
    }
    let title = l.get("insights_know_learn_chart");
    let svg = chart::paired_bars("chart-needs", title, &rows_named, &series);
    section.with_chart(svg, &series)
}

fn unmentored(insights: &Insights, l: &Labels) -> Section {
    let learners = &insights.needs.unmentored;
    let reading = match learners.len() {
        0 => l.get("insights_all_mentored").into(),
        n => l.count("insights_unmentored_reading", n),
    };
    let rows = learners
        .iter()
        .map(|l| vec![l.name.clone(), l.topic_title.clone()])
        .collect();
    let table = Table {
        caption: l.get("insights_unmentored_caption").into(),
        heads: heads(l, &["member", "insights_wants_to_learn"]),
        rows,
    };
    Section::new(
        "unmentored",
        l.get("insights_unmentored_heading"),
        reading,
        table,
    )
}

fn wanted(insights: &Insights, l: &Labels) -> Section {
    let wanted = &insights.needs.wanted;
    let reading = match wanted.first() {
        Some(w) => l.count_with(
            "insights_wanted_reading",
            wanted.len(),
            &[("title", &w.title), ("requests", &w.requests)],
        ),
        None => l.get("insights_no_wanted").into(),
    };
    let rows = wanted
        .iter()
        .map(|w| vec![w.title.clone(), w.requests.to_string()])
        .collect();
    let table = Table {
        caption: l.get("insights_wanted_caption").into(),
        heads: heads(l, &["insights_page", "insights_asked_for_by"]),
        rows,
    };
    Section::new("wanted", l.get("wanted_pages"), reading, table)
}

/// A status as a series or column name: "Established".
fn status_head(l: &Labels, status: Status) -> String {
    capitalized(&status_name(l, Some(status)))
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn status(insights: &Insights, l: &Labels) -> Section {
    let status = &insights.impact.status;
    let labels: Vec<String> = status.iter().map(|s| s.quarter.name(l)).collect();
    let of =
        |f: fn(&super::StatusCounts) -> usize| status.iter().map(|s| f(&s.practices)).collect();
    let names = [
        status_head(l, Status::Proposed),
        status_head(l, Status::Emerging),
        status_head(l, Status::Established),
        status_head(l, Status::Retired),
        l.get("insights_no_status").to_string(),
    ];
    let series = [
        Series::new(&names[0], of(|c| c.proposed)),
        Series::new(&names[1], of(|c| c.emerging)),
        Series::new(&names[2], of(|c| c.established)),
        Series::new(&names[3], of(|c| c.retired)),
        Series::new(&names[4], of(|c| c.unset)),
    ];
    let reading = match last_two(status) {
        (Some(now), Some(before)) => l.fill(
            "insights_established_reading",
            &[
                ("quarter", &now.quarter.name(l)),
                ("n", &now.practices.established),
                (
                    "change",
                    &change(
                        l,
                        now.practices.established,
                        before.practices.established,
                        &end_of(l, before.quarter),
                    ),
                ),
            ],
        ),
        (Some(now), None) => l.fill(
            "insights_established_reading_first",
            &[
                ("quarter", &now.quarter.name(l)),
                ("n", &now.practices.established),
            ],
        ),
        _ => l.get("insights_no_practices").into(),
    };
    let rows = status
        .iter()
        .map(|s| {
            let c = &s.practices;
            [s.quarter.name(l)]
                .into_iter()
                .chain(
                    [c.proposed, c.emerging, c.established, c.retired, c.unset]
                        .map(|n| n.to_string()),
                )
                .collect()
        })
        .collect();
    let title = l.get("insights_status_caption");
    let mut columns = vec![l.get("insights_quarter").to_string()];
    columns.extend(names.iter().cloned());
    let table = Table {
        caption: title.into(),
        heads: columns,
        rows,
    };
    let svg = chart::stacked_bars("chart-status", title, &labels, &series);
    Section::new("status", l.get("insights_status_heading"), reading, table)
        .with_chart(svg, &series)
}

fn status_name(l: &Labels, status: Option<Status>) -> String {
    status.map_or_else(
        || "–".into(),
        |s| {
            let name = serde_json::to_value(s).ok();
            let name = name.and_then(|v| v.as_str().map(str::to_string));
            name.map(|name| l.get(&format!("status_{name}")).to_string())
                .unwrap_or_default()
        },
    )
}

fn evidence(insights: &Insights, l: &Labels) -> Section {
    let practices = &insights.impact.evidence;
    let with = practices
        .iter()
        .filter(|p| p.guides + p.case_studies > 0)
        .count();
    let reading = l.count_with(
        "insights_evidence_reading",
        practices.len(),
        &[("with", &with)],
    );
    let rows = practices
        .iter()
        .map(|p| {
            vec![
                p.title.clone(),
                status_name(l, p.status),
                p.guides.to_string(),
                p.case_studies.to_string(),
            ]
        })
        .collect();
    let heading = l.get("insights_evidence_heading");
    let table = Table {
        caption: heading.into(),
        heads: heads(
            l,
            &["practice", "insights_status", "guides", "case_studies"],
        ),
        rows,
    };
    Section::new("evidence", heading, reading, table)
}

fn case_studies(insights: &Insights, l: &Labels) -> Section {
    let counts = &insights.impact.case_studies;
    let labels: Vec<String> = counts.iter().map(|c| c.quarter.name(l)).collect();
    let series = [Series::new(
        l.get("case_studies"),
        counts.iter().map(|c| c.count).collect(),
    )];
    let reading = match last_two(counts) {
        (Some(now), Some(before)) => l.fill(
            "insights_case_studies_reading",
            &[
                ("quarter", &now.quarter.name(l)),
                ("n", &now.count),
                (
                    "change",
                    &change(l, now.count, before.count, quarter_before(l)),
                ),
            ],
        ),
        (Some(now), None) => l.fill(
            "insights_case_studies_reading_first",
            &[("quarter", &now.quarter.name(l)), ("n", &now.count)],
        ),
        _ => l.get("insights_no_case_studies").into(),
    };
    let rows = counts
        .iter()
        .map(|c| vec![c.quarter.name(l), c.count.to_string()])
        .collect();
    let title = l.get("insights_case_studies_caption");
    let table = Table {
        caption: title.into(),
        heads: heads(l, &["insights_quarter", "case_studies"]),
        rows,
    };
    let svg = chart::stacked_bars("chart-case-studies", title, &labels, &series);
    Section::new(
        "case-studies",
        l.get("insights_case_studies_heading"),
        reading,
        table,
    )
    .with_chart(svg, &series)
}

fn without_evidence(insights: &Insights, l: &Labels) -> Section {
    let practices = &insights.impact.without_evidence;
    let reading = match practices.len() {
        0 => l.get("insights_all_evidenced").into(),
        n => l.count("insights_without_evidence_reading", n),
    };
    let rows = practices
        .iter()
        .map(|p| vec![p.title.clone(), status_name(l, p.status)])
        .collect();
    let heading = l.get("insights_without_evidence_heading");
    let table = Table {
        caption: heading.into(),
        heads: heads(l, &["practice", "insights_status"]),
        rows,
    };
    Section::new("without-evidence", heading, reading, table)
}

fn coverage(insights: &Insights, l: &Labels) -> Section {
    let quarters = &insights.coverage;
    let labels: Vec<String> = quarters.iter().map(|q| q.quarter.name(l)).collect();
    let series = [Series::new(
        l.get("gaps"),
        quarters.iter().map(|q| q.total).collect(),
    )];
    let reading = match last_two(quarters) {
        (Some(now), Some(before)) => l.fill(
            "insights_gaps_reading",
            &[
                ("quarter", &now.quarter.name(l)),
                ("n", &now.total),
                (
                    "change",
                    &change(l, now.total, before.total, &end_of(l, before.quarter)),
                ),
            ],
        ),
        (Some(now), None) => l.fill(
            "insights_gaps_reading_first",
            &[("quarter", &now.quarter.name(l)), ("n", &now.total)],
        ),
        _ => l.get("insights_no_quarter_state").into(),
    };
    let rules = rules_seen(quarters);
    let mut heads = heads(l, &["insights_quarter", "insights_all_gaps"]);
    heads.extend(
        rules
            .iter()
            .map(|r| Rule::parse(r).map_or_else(|| r.to_string(), |rule| rule_name(l, rule))),
    );
    let rows = quarters
        .iter()
        .map(|q| {
            [q.quarter.name(l), q.total.to_string()]
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
        caption: l.get("insights_coverage_caption").into(),
        heads,
        rows,
    };
    let svg = chart::stacked_bars(
        "chart-coverage",
        l.get("insights_coverage_chart"),
        &labels,
        &series,
    );
    Section::new(
        "gaps-over-time",
        l.get("insights_coverage_heading"),
        reading,
        table,
    )
    .with_chart(svg, &series)
}

/// A gap rule's name for readers, as the gap map writes it.
fn rule_name(l: &Labels, rule: Rule) -> String {
    l.get(&format!("gap_{}", rule.name().replace('-', "_")))
        .to_string()
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
