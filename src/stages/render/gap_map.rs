//! The gap map's data for templates, the heatmap drawn as SVG at build time,
//! and the open-data files `gaps.json` and `graph.json`.

use std::borrow::Cow;
use std::fmt::Write;

use serde::Serialize;

use super::view::{CardValue, Views, href, tag_url};
use crate::stages::gaps::{self, Finding, GapReport, Subject, TagCounts};
use crate::stages::link::{DocId, Site, Target};
use crate::support::markdown::escape;

/// One ranked gap as templates show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct GapItem {
    pub(crate) rule: &'static str,
    pub(crate) explanation: &'static str,
    pub(crate) score: u32,
    pub(crate) tag: Option<String>,
    pub(crate) title: String,
    pub(crate) url: String,
    /// The first few members who could help, mentors first.
    pub(crate) helpers: Vec<CardValue>,
    pub(crate) more_helpers: usize,
}

/// Enough names to act on; the full lists are on tag pages and in gaps.json.
const HELPERS_SHOWN: usize = 5;

/// How many per-document findings the gap map lists; gaps.json has them all.
pub(crate) const DOCUMENT_GAPS_SHOWN: usize = 50;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct WantedItem {
    pub(crate) title: String,
    pub(crate) requested_by: Vec<CardValue>,
    pub(crate) new_url: Option<String>,
}

/// A row of the heatmap and of its table twin.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HeatRow {
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) depth: usize,
    pub(crate) declared: bool,
    pub(crate) values: Vec<usize>,
    pub(crate) gaps: Vec<&'static str>,
}

pub(crate) const COLUMNS: [&str; 7] = [
    "Practices",
    "Guides",
    "Case studies",
    "Authors",
    "Experts",
    "Mentors",
    "Learners",
];

/// The ranked gaps pages show: every tag gap, and the first
/// [`DOCUMENT_GAPS_SHOWN`] per-document ones (sites have thousands of those,
/// and pages list no more).
pub(crate) fn items(site: &Site, views: &Views, report: &GapReport) -> Vec<GapItem> {
    let mut documents_shown = 0;
    report
        .findings
        .iter()
        .filter(|f| {
            let on_document = f.subject.document().is_some();
            let shown = !on_document || documents_shown < DOCUMENT_GAPS_SHOWN;
            documents_shown += usize::from(on_document);
            shown
        })
        .map(|f| item(site, views, f))
        .collect()
}

fn item(site: &Site, views: &Views, finding: &Finding) -> GapItem {
    let pretty = site.config.pretty_links;
    let (title, url) = match &finding.subject {
        Subject::Topic(slug) => {
            let title = site
                .tag(slug)
                .map_or_else(|| slug.clone(), |t| t.title.clone());
            (title, tag_url(slug, pretty))
        }
        Subject::Document(id) => {
            let doc = &site.documents[*id];
            (doc.front.title.clone(), href(&doc.url, pretty))
        }
    };
    let mut experts = gaps::helpers(site, finding);
    experts.sort_by(|&a, &b| {
        let key = |id: DocId| {
            let front = &site.documents[id].front;
            (!front.mentor, &front.title)
        };
        key(a).cmp(&key(b))
    });
    let more_helpers = experts.len().saturating_sub(HELPERS_SHOWN);
    experts.truncate(HELPERS_SHOWN);
    GapItem {
        rule: finding.rule.name(),
        explanation: finding.rule.explanation(),
        score: finding.score,
        tag: finding.subject.topic().map(str::to_string),
        title,
        url,
        helpers: views.cards(&experts),
        more_helpers,
    }
}

/// Rows grouped under their parents: declared tags in map order, children
/// after their parent, then tags used but not declared.
pub(crate) fn rows(site: &Site, report: &GapReport) -> Vec<HeatRow> {
    let counts: std::collections::HashMap<&str, &TagCounts> = report
        .tags
        .iter()
        .map(|(slug, c)| (slug.as_str(), c))
        .collect();
    let mut rows = Vec::new();
    let push = |slug: &str, depth: usize, rows: &mut Vec<HeatRow>| {
        let Some(tag) = site.tag(slug) else { return };
        let c = counts.get(slug).copied().cloned().unwrap_or_default();
        let gaps = report
            .findings
            .iter()
            .filter(|f| f.subject.topic() == Some(slug))
            .map(|f| f.rule.name())
            .collect();
        rows.push(HeatRow {
            slug: slug.to_string(),
            title: tag.title.clone(),
            url: tag_url(slug, site.config.pretty_links),
            depth,
            declared: tag.declared,
            values: vec![
                c.practices,
                c.guides,
                c.case_studies,
                c.authors,
                c.experts,
                c.mentors,
                c.learners,
            ],
            gaps,
        });
    };
    let is_child = |slug: &str| site.tag(slug).and_then(|t| t.parent.as_ref()).is_some();
    for tag in site.tags.iter().filter(|t| !is_child(&t.slug)) {
        push(&tag.slug, 0, &mut rows);
        for child in site
            .tags
            .iter()
            .filter(|c| c.parent.as_deref() == Some(tag.slug.as_str()))
        {
            push(&child.slug, 1, &mut rows);
        }
    }
    rows
}

/// The heatmap as inline SVG: supply columns shade green by count, learners
/// amber; a zero where supply is missing is hatched and marked "gap", so it
/// reads without colour too.
pub(crate) fn heatmap_svg(rows: &[HeatRow], root: &str) -> String {
    const LABEL: usize = 230;
    const CELL: usize = 86;
    const ROW: usize = 26;
    const HEAD: usize = 44;
    let width = LABEL + CELL * COLUMNS.len();
    let height = HEAD + ROW * rows.len();
    // Shade each column against its own largest value: experts and
    // documents live on different scales.
    let max: Vec<usize> = (0..COLUMNS.len())
        .map(|c| rows.iter().map(|r| r.values[c]).max().unwrap_or(1).max(1))
        .collect();
    let mut svg = format!(
        "<svg class=\"heatmap\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"group\" aria-labelledby=\"heatmap-title\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"heatmap-title\">Supply and demand per topic; the table below has the same numbers</title>\n<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" class=\"hm-gap-bg\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" class=\"hm-hatch\"/></pattern></defs>\n"
    );
    for (i, name) in COLUMNS.iter().enumerate() {
        let x = LABEL + CELL * i + CELL / 2;
        let _ = writeln!(
            svg,
            "<text x=\"{x}\" y=\"{}\" class=\"hm-head\" text-anchor=\"middle\">{name}</text>",
            HEAD - 14
        );
    }
    for (r, row) in rows.iter().enumerate() {
        let y = HEAD + ROW * r;
        let indent = 8 + row.depth * 16;
        let label = if row.declared {
            escape(&row.title)
        } else {
            format!("{} (undeclared)", escape(&row.title))
        };
        let _ = writeln!(
            svg,
            "<a href=\"{root}{}\"><text x=\"{indent}\" y=\"{}\" class=\"hm-label\">{label}</text></a>",
            escape(&row.url),
            y + ROW / 2 + 5
        );
        for (c, &value) in row.values.iter().enumerate() {
            let x = LABEL + CELL * c;
            let learners = c == COLUMNS.len() - 1;
            let gap = value == 0 && column_rules(c).iter().any(|rule| row.gaps.contains(rule));
            let (class, fill) = if gap {
                ("hm-cell hm-gap".to_string(), "url(#hatch)".to_string())
            } else {
                let level = if value == 0 {
                    0
                } else {
                    1 + (value * 4 / (max[c] + 1)).min(3)
                };
                (
                    format!(
                        "hm-cell {}-{level}",
                        if learners { "hm-demand" } else { "hm-supply" }
                    ),
                    String::new(),
                )
            };
            let fill_attr = if fill.is_empty() {
                String::new()
            } else {
                format!(" fill=\"{fill}\"")
            };
            let _ = writeln!(
                svg,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" class=\"{class}\"{fill_attr}/><text x=\"{}\" y=\"{}\" class=\"hm-value\" text-anchor=\"middle\">{}</text>",
                x + 2,
                y + 2,
                CELL - 4,
                ROW - 4,
                x + CELL / 2,
                y + ROW / 2 + 5,
                if gap {
                    "0 · gap".to_string()
                } else {
                    value.to_string()
                },
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// The rules whose firing makes a zero in this heatmap column a gap.
fn column_rules(column: usize) -> &'static [&'static str] {
    match column {
        0 => &["no-content", "no-practice"],
        1 => &["no-content", "no-guide"],
        2 => &["no-content", "no-evidence"],
        5 => &["no-mentor"],
        _ => &[],
    }
}

/// A toolkit as the gap map shows it: how fresh it is, and which of its
/// items readers should not be sent to as they are.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ToolkitGaps {
    pub(crate) toolkit: CardValue,
    /// Its `updated` date, else its `date`.
    pub(crate) reviewed: Option<super::view::DateView>,
    /// Its own review is overdue.
    pub(crate) overdue: bool,
    /// Practices in it that no guide or case study cites.
    pub(crate) without_evidence: Vec<CardValue>,
    /// Items past their `review_by`.
    pub(crate) stale: Vec<CardValue>,
}

/// Every toolkit, newest first, with its findings.
pub(crate) fn toolkit_gaps(site: &Site, views: &Views, report: &GapReport) -> Vec<ToolkitGaps> {
    let overdue = |id: DocId| {
        report
            .findings
            .iter()
            .any(|f| f.rule == gaps::Rule::OverdueReview && f.subject.document() == Some(id))
    };
    super::toolkit::every(site)
        .into_iter()
        .map(|toolkit| {
            let items: Vec<DocId> = site.relations[toolkit].items.iter().map(|i| i.id).collect();
            let pick = |keep: &dyn Fn(DocId) -> bool| {
                let ids: Vec<DocId> = items.iter().copied().filter(|&id| keep(id)).collect();
                views.cards(&ids)
            };
            ToolkitGaps {
                toolkit: views.cards[toolkit].clone(),
                reviewed: super::view::DateView::of(site.documents[toolkit].sort_date()),
                overdue: overdue(toolkit),
                without_evidence: pick(&|id| {
                    site.documents[id].kind == crate::model::document::Kind::Practice
                        && site.relations[id].evidence.is_empty()
                }),
                stale: pick(&|id| overdue(id)),
            }
        })
        .collect()
}

/// The declared topics that no toolkit covers: neither a toolkit nor any
/// of its items carries the tag.
pub(crate) fn uncovered_topics<'v>(
    site: &Site,
    views: &'v Views,
) -> Vec<&'v super::view::TagSummary> {
    let mut covered = rustc_hash::FxHashSet::default();
    for toolkit in site.of_kind(crate::model::document::Kind::Toolkit) {
        let items = site.relations[toolkit].items.iter().map(|i| i.id);
        for id in std::iter::once(toolkit).chain(items) {
            covered.extend(
                site.documents[id]
                    .front
                    .tags
                    .iter()
                    .map(|t| t.text.as_str()),
            );
        }
    }
    views
        .tags
        .iter()
        .filter(|t| t.declared && !covered.contains(t.slug.as_str()))
        .collect()
}

pub(crate) fn wanted(site: &Site, views: &Views) -> Vec<WantedItem> {
    site.wanted
        .iter()
        .map(|w| WantedItem {
            title: w.title.clone(),
            requested_by: views.cards(&w.requested_by),
            new_url: new_file_url(site, &w.title),
        })
        .collect()
}

/// A "start this page" link for hosts whose edit URL has a `/edit/` step
/// (GitHub, Gitea, Forgejo): the same URL with `/new/`, a file name and front matter.
fn new_file_url(site: &Site, title: &str) -> Option<String> {
    let pattern = site.config.edit_url.as_ref()?;
    let (before, after) = pattern.split_once("{path}")?;
    if !before.contains("/edit/") || !after.is_empty() {
        return None;
    }
    let base = before.replacen("/edit/", "/new/", 1);
    let slug = slug::slugify(title);
    let front = format!("---\ntitle: {title}\nsummary: \ntags: []\nauthors: []\n---\n");
    Some(format!(
        "{}?filename=guides/{slug}.md&value={}",
        base.trim_end_matches('/'),
        url_encode(&front)
    ))
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `graph.json`: nodes (documents, members, tags) and typed edges, for the
/// community's own tools.
#[derive(Serialize)]
struct Graph<'a> {
    edges: Vec<GraphEdge<'a>>,
    nodes: Vec<GraphNode<'a>>,
    schema_version: u32,
}

/// `graph.json`, pretty-printed by serde_json. (A hand-made printer that
/// indented parallel runs was no faster: BENCHMARKS.md, "graph.json".)
pub(crate) fn graph_json(site: &Site) -> Vec<u8> {
    let id = |doc: DocId| site.documents[doc].url.trim_end_matches('/');
    let mut nodes: Vec<GraphNode> = site
        .documents
        .ids()
        .map(|i| GraphNode {
            id: id(i).into(),
            title: &site.documents[i].front.title,
            kind: NodeKind::Document(site.documents[i].kind),
        })
        .collect();
    nodes.extend(site.tags.iter().map(|t| GraphNode {
        id: format!("tags/{}", t.slug).into(),
        title: &t.title,
        kind: NodeKind::Tag,
    }));
    let mut edges = Vec::new();
    for from in site.documents.ids() {
        graph_edges(site, from, &mut edges);
    }
    edges.dedup();
    let graph = Graph {
        edges,
        nodes,
        schema_version: 1,
    };
    // Sized for the usual 1.7 kB a document: growing a buffer of 17 MB by
    // doubling copies it and holds twice its memory at the end.
    let mut out = Vec::with_capacity(site.documents.len() * 1800);
    let _ = serde_json::to_writer_pretty(&mut out, &graph);
    out.push(b'\n');
    out
}

/// The edges that start or end at one document, in the order graph.json lists them.
fn graph_edges<'a>(site: &'a Site, from: DocId, edges: &mut Vec<GraphEdge<'a>>) {
    let id = |doc: DocId| Cow::Borrowed(site.documents[doc].url.trim_end_matches('/'));
    let mut edge = |from, to, kind| edges.push(GraphEdge { from, to, kind });
    let relations = &site.relations[from];
    for target in &relations.targets {
        if let Target::Document { id: to, .. } = target
            && *to != from
        {
            edge(id(from), id(*to), "link");
        }
    }
    for &author in &relations.authors {
        edge(id(author), id(from), "authorship");
    }
    for &practice in &relations.cites {
        edge(id(from), id(practice), "evidence");
    }
    for item in &relations.items {
        edge(id(from), id(item.id), "toolkit-item");
    }
    let front = &site.documents[from].front;
    for (list, kind) in [
        (&front.tags, "tagging"),
        (&front.expertise, "expertise"),
        (&front.learning, "learning"),
    ] {
        for tag in list {
            edge(id(from), format!("tags/{}", tag.text).into(), kind);
        }
    }
}

// graph.json is written straight from borrowed data: building it as a
// `serde_json::Value` cost a map per node and edge. Fields are declared in
// alphabetical order, the order a `Value` map printed them in.
#[derive(Serialize)]
struct GraphNode<'a> {
    id: Cow<'a, str>,
    title: &'a str,
    #[serde(rename = "type")]
    kind: NodeKind,
}

#[derive(Serialize)]
#[serde(untagged)]
enum NodeKind {
    Document(crate::model::document::Kind),
    #[serde(serialize_with = "tag_kind")]
    Tag,
}

fn tag_kind<S: serde::Serializer>(serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str("tag")
}

#[derive(Serialize, PartialEq)]
struct GraphEdge<'a> {
    from: Cow<'a, str>,
    to: Cow<'a, str>,
    #[serde(rename = "type")]
    kind: &'static str,
}
