//! `practica report`: the insights of a period as markdown (for a
//! newsletter or a funder), JSON (versioned by `schema`) or a printable
//! HTML summary that fits two A4 pages.

use std::fmt::Write;
use std::path::PathBuf;

use jiff::civil::Date;

use super::chart;
use super::sections::{Section, Table};
use super::{Insights, PageView};
use crate::model::period::Period;
use crate::project::{InsightsRun, Project, ProjectOptions, Purpose};
use crate::stages::labels::Labels;
use crate::support::diagnostic::{Diagnostic, Diagnostics};
use crate::support::markdown::escape;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Markdown,
    Json,
    Html,
}

/// What to report on.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    pub root: PathBuf,
    /// Default: a year before `until`.
    pub since: Option<Date>,
    /// Default: today.
    pub until: Option<Date>,
    pub format: ReportFormat,
    /// The day the community is judged by (gaps, "now"); `None` is today.
    pub today: Option<Date>,
    /// `false` reads no git history (`--no-history`).
    pub history: bool,
    pub drafts: bool,
    pub cache: Option<PathBuf>,
}

impl ReportRequest {
    pub fn new(root: impl Into<PathBuf>) -> ReportRequest {
        ReportRequest {
            root: root.into(),
            since: None,
            until: None,
            format: ReportFormat::Markdown,
            today: None,
            history: true,
            drafts: false,
            cache: None,
        }
    }
}

pub struct ReportOutcome {
    pub diagnostics: Diagnostics,
    /// The report, unless the settings could not be read.
    pub text: Option<String>,
}

impl ReportOutcome {
    /// 2 when there is no report (settings or usage errors), else 0:
    /// problems in the content are `practica check`'s to report.
    pub fn exit_code(&self) -> u8 {
        if self.text.is_none() || self.diagnostics.has_settings_errors() {
            2
        } else {
            0
        }
    }

    /// The settings' problems in full; the content's as one line.
    pub fn problems(&self) -> Vec<Diagnostic> {
        crate::support::diagnostic::content_in_one_line(&self.diagnostics, "the report is made")
    }
}

pub fn report(request: &ReportRequest) -> ReportOutcome {
    let today = request
        .today
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    let until = request.until.unwrap_or(today);
    let period = match request.since {
        Some(since) => Period { since, until },
        None => Period::year_to(until),
    };
    if period.since > period.until {
        let problem = Diagnostic::run_error(format!(
            "--since {} is after --until {}",
            period.since, period.until
        ))
        .with_hint("give the first day of the period to --since, the last to --until")
        .settings();
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(problem);
        return ReportOutcome {
            diagnostics,
            text: None,
        };
    }
    let options = ProjectOptions {
        root: request.root.clone(),
        purpose: Purpose::Gaps,
        drafts: request.drafts,
        today,
        cache: request.cache.clone(),
        insights: Some(InsightsRun {
            period,
            history: request.history,
        }),
    };
    let mut watch = crate::Stopwatch::start();
    let mut project = Project::open(options, &mut watch);
    let (derived, diagnostics) = project.derive(&mut watch);
    // The prose follows the community's language; JSON's keys do not.
    let text = derived.and_then(|d| {
        let config = &d.site.config;
        let insights = d.insights.as_ref()?;
        Some(match request.format {
            ReportFormat::Markdown => markdown(insights, &config.labels),
            ReportFormat::Json => json(insights),
            ReportFormat::Html => html(insights, &config.labels, &config.language),
        })
    });
    ReportOutcome { diagnostics, text }
}

pub(crate) fn json(insights: &Insights) -> String {
    let mut text = serde_json::to_string_pretty(insights).unwrap_or_default();
    text.push('\n');
    text
}

pub(crate) fn markdown(insights: &Insights, labels: &Labels) -> String {
    let view = PageView::of(insights, labels);
    let mut md = format!("# {}\n\n{}\n\n", title(insights, labels), view.note);
    let _ = writeln!(md, "{}\n", key_figures(insights, labels).join(" · "));
    for group in &view.groups {
        let _ = writeln!(md, "## {}\n\n{}\n", group.heading, group.intro);
        for section in &group.sections {
            let _ = writeln!(md, "### {}\n\n{}\n", section.heading, section.reading);
            if !section.table.rows.is_empty() {
                md.push_str(&markdown_table(&section.table));
                md.push('\n');
            }
        }
    }
    md
}

fn markdown_table(table: &Table) -> String {
    let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
    let mut md = format!("| {} |\n", table.heads.join(" | "));
    let rule: String = (0..table.heads.len())
        .map(|column| match numeric(table, column) {
            true => " ---: |",
            false => " --- |",
        })
        .collect();
    let _ = writeln!(md, "|{rule}");
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        let _ = writeln!(md, "| {} |", cells.join(" | "));
    }
    md
}

/// Whether a column holds counts (`3`, `2 of 5`, `–`): aligned right.
fn numeric(table: &Table, column: usize) -> bool {
    column > 0
        && table.rows.iter().all(|row| {
            row.get(column)
                .is_some_and(|c| c.starts_with(|ch: char| ch.is_ascii_digit()) || c == "–")
        })
}

/// "Commons: community health, 2025-06-16 to 2026-06-15".
fn title(insights: &Insights, labels: &Labels) -> String {
    let period = insights.period;
    labels.fill(
        "insights_report_title",
        &[
            ("community", &insights.community),
            ("since", &period.since),
            ("until", &period.until),
        ],
    )
}

/// The period's headline numbers, each a short phrase.
fn key_figures(insights: &Insights, l: &Labels) -> Vec<String> {
    let p = &insights.participation;
    let mut figures = vec![
        l.count_with(
            "insights_figure_contributors",
            p.contributors,
            &[("new", &p.new_contributors)],
        ),
        l.count("insights_figure_written", p.written),
        l.count("insights_figure_updated", p.updated),
    ];
    let case_studies: usize = insights.impact.case_studies.iter().map(|c| c.count).sum();
    figures.push(l.count("insights_figure_case_studies", case_studies));
    if let Some(now) = insights.impact.status.last() {
        figures.push(l.count("insights_figure_established", now.practices.established));
    }
    if let Some(now) = insights.coverage.last() {
        figures.push(l.count("insights_figure_gaps", now.total));
    }
    figures
}

/// Rows of a table the summary shows; its full table is in the markdown
/// and JSON reports and on the site.
const SUMMARY_ROWS: usize = 5;

/// The printable summary: a standalone page, its charts and tables cut to
/// what fits two A4 pages.
pub(crate) fn html(insights: &Insights, labels: &Labels, language: &str) -> String {
    let view = PageView::of(insights, labels);
    let title = title(insights, labels);
    let mut body = format!(
        "<header><h1>{}</h1><p class=\"note\">{}</p><ul class=\"figures\">",
        escape(&title),
        escape(&view.note)
    );
    for figure in key_figures(insights, labels) {
        let _ = write!(body, "<li>{}</li>", escape(&figure));
    }
    body.push_str("</ul></header>");
    for group in &view.groups {
        let _ = write!(
            body,
            "<section><h2>{}</h2><div class=\"cols\">",
            escape(&group.heading)
        );
        for section in &group.sections {
            body.push_str(&summary_section(section, labels));
        }
        body.push_str("</div></section>");
    }
    format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light\">\n<title>{}</title>\n<style>{SUMMARY_CSS}</style>\n</head>\n<body>\n<main>{body}</main>\n</body>\n</html>\n",
        escape(language),
        escape(&title)
    )
}

fn summary_section(section: &Section, labels: &Labels) -> String {
    let mut html = format!(
        "<div class=\"item\"><h3>{}</h3><p>{}</p>",
        escape(&section.heading),
        escape(&section.reading)
    );
    // A chart of topics grows a row a topic: on paper its table is shorter.
    let chart = section
        .chart
        .as_ref()
        .filter(|_| section.id != "know-and-learn");
    if let Some(svg) = chart {
        html.push_str(svg);
        if section.legend.len() > 1 {
            html.push_str("<p class=\"legend\">");
            for (i, name) in section.legend.iter().enumerate() {
                let _ = write!(
                    html,
                    "<span class=\"swatch s{}\"></span>{} ",
                    i + 1,
                    escape(name)
                );
            }
            html.push_str("</p>");
        }
    } else if !section.table.rows.is_empty() {
        let rows: Vec<Vec<String>> = section.table.rows
            [..section.table.rows.len().min(SUMMARY_ROWS)]
            .iter()
            .map(|row| row.iter().map(|cell| shortened(cell)).collect())
            .collect();
        let mut table = chart::table(&section.table.caption, &section.table.heads, &rows);
        if section.table.rows.len() > SUMMARY_ROWS {
            let more = section.table.rows.len() - SUMMARY_ROWS;
            let more = escape(&labels.count("and_more", more));
            let _ = write!(table, "<p class=\"more\">{more}</p>");
        }
        html.push_str(&table);
    }
    html.push_str("</div>");
    html
}

/// How many characters a cell of the summary shows.
const SUMMARY_CELL: usize = 44;

/// A cell cut to `SUMMARY_CELL` characters at a word, with an ellipsis.
fn shortened(cell: &str) -> String {
    if cell.chars().count() <= SUMMARY_CELL {
        return cell.to_string();
    }
    let cut: String = cell.chars().take(SUMMARY_CELL).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end_matches(','))
}

/// The summary's own style: no theme, no request, A4 with room to spare.
const SUMMARY_CSS: &str = r#"
@page { size: A4; margin: 12mm; }
body { font: 9.5pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; color: #1a201d; margin: 0; }
main { max-width: 186mm; margin: 0 auto; padding: 8px; }
h1 { font-size: 15pt; margin: 0 0 4px; }
h2 { font-size: 11.5pt; margin: 10px 0 4px; padding-bottom: 2px; border-bottom: 1px solid #7d8a84; break-after: avoid; }
h3 { font-size: 9.5pt; margin: 0 0 2px; }
p { margin: 0 0 4px; }
.note { color: #4f5a55; font-size: 8.5pt; }
.figures { display: flex; flex-wrap: wrap; gap: 4px 14px; list-style: none; padding: 0; margin: 6px 0; font-weight: 600; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; }
.item { break-inside: avoid; }
.chart { width: 100%; max-height: 36mm; display: block; }
.chart-label, .chart-value { font-size: 11px; fill: currentColor; }
.chart-grid { stroke: #d2d9d5; stroke-width: 1; }
.s1 { fill: #1f7a63; background: #1f7a63; } .s2 { fill: #d99a2b; background: #d99a2b; }
.s3 { fill: #2c68b0; background: #2c68b0; } .s4 { fill: #8a8f8c; background: #8a8f8c; }
.s5 { fill: #8c4aa3; background: #8c4aa3; }
.swatch { display: inline-block; width: 8px; height: 8px; margin-right: 3px; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.legend { font-size: 8pt; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; }
caption { text-align: left; font-size: 8pt; color: #4f5a55; }
th, td { text-align: left; padding: 1px 4px; border-bottom: 1px solid #d2d9d5; vertical-align: top; }
.more { font-size: 8pt; color: #4f5a55; }
* { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes_in_cells_do_not_break_a_markdown_table() {
        let table = Table {
            caption: String::new(),
            heads: vec!["Page".into(), "Asked for by".into()],
            rows: vec![vec!["A | B".into(), "2".into()]],
        };
        assert_eq!(
            markdown_table(&table),
            "| Page | Asked for by |\n| --- | ---: |\n| A \\| B | 2 |\n"
        );
    }
}
