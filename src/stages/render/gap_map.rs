//! The gap map's data for templates, the heatmap drawn as SVG at build time,
//! and the open-data files `gaps.json` and `graph.json`.

use std::borrow::Cow;
use std::fmt::Write;

use serde::Serialize;

use super::view::{CardValue, Views, href, tag_url};
use crate::stages::gaps::{self, Entry, GapReport, Rule, Subject, TagCounts};
use crate::stages::link::{DocId, Site, Target};
use crate::support::markdown::escape;

/// What a place with gaps is (`kind` in templates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Place {
    Topic,
    Document,
    /// A page asked for with `[[?Title]]`.
    Wanted,
}

/// One place with gaps (a topic, a document, a wanted page) as templates show it:
/// its gaps, each with what it means and the next step, who could help,
/// and why it ranks where it does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct GapItem {
    pub(crate) kind: Place,
    /// The first gap's rule, for a class name.
    pub(crate) rule: &'static str,
    pub(crate) score: u32,
    /// The score in words: weights times demand.
    pub(crate) score_explained: String,
    pub(crate) tag: Option<String>,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) findings: Vec<FindingView>,
    /// The first few who could help, most able first.
    pub(crate) helpers: Vec<HelperView>,
    pub(crate) more_helpers: usize,
    /// Those and one more, with how many there are: enough to leave one
    /// out (the member whose page shows the item) and still show as many.
    #[serde(skip)]
    candidates: Vec<HelperView>,
    #[serde(skip)]
    total_helpers: usize,
}

/// One gap of a place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct FindingView {
    pub(crate) rule: &'static str,
    /// The rule's plain name.
    pub(crate) label: &'static str,
    /// What it means here, in a line.
    pub(crate) why: String,
    pub(crate) action: gaps::Action,
}

/// A member named as someone who could help.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct HelperView {
    #[serde(skip)]
    pub(crate) member: DocId,
    pub(crate) title: String,
    pub(crate) url: String,
    /// Why they are named: "mentor", "wrote on it"…
    pub(crate) role: &'static str,
}

impl GapItem {
    /// The item as the page of `member` shows it: without that member
    /// among those who could help.
    pub(crate) fn without(&self, member: DocId) -> GapItem {
        let mut item = self.clone();
        let before = item.candidates.len();
        item.candidates.retain(|h| h.member != member);
        let total = item.total_helpers - (before - item.candidates.len());
        item.set_helpers(total);
        item
    }

    fn set_helpers(&mut self, total: usize) {
        self.total_helpers = total;
        self.helpers = self
            .candidates
            .iter()
            .take(HELPERS_SHOWN)
            .cloned()
            .collect();
        self.more_helpers = total - self.helpers.len();
    }
}

/// Enough names to act on; the full lists are on tag pages and in gaps.json.
const HELPERS_SHOWN: usize = 5;

/// How many documents with gaps the gap map lists; gaps.json has them all.
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
    pub(crate) archived: bool,
    pub(crate) values: Vec<usize>,
    /// The rules that fired on the topic.
    #[serde(skip)]
    pub(crate) rules: Vec<Rule>,
    /// Their plain names.
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

/// The places with gaps pages show, ranked: every topic, and the first
/// [`DOCUMENT_GAPS_SHOWN`] documents (sites have thousands of those, and
/// pages list no more).
pub(crate) fn items(site: &Site, report: &GapReport) -> Vec<GapItem> {
    let mut documents_shown = 0;
    report
        .entries()
        .into_iter()
        .filter(|e| {
            let on_document = e.subject.document().is_some();
            let shown = !on_document || documents_shown < DOCUMENT_GAPS_SHOWN;
            documents_shown += usize::from(on_document);
            shown
        })
        .map(|e| item(site, report, &e))
        .collect()
}

fn item(site: &Site, report: &GapReport, entry: &Entry) -> GapItem {
    let pretty = site.config.pretty_links;
    let (kind, title, url) = match entry.subject {
        Subject::Wanted(title) => (
            Place::Wanted,
            title.clone(),
            format!("{}#wanted-heading", href("gaps/", pretty)),
        ),
        Subject::Topic(slug) => {
            let title = site
                .tag(slug)
                .map_or_else(|| slug.clone(), |t| t.title.clone());
            (Place::Topic, title, tag_url(slug, pretty))
        }
        Subject::Document(id) => {
            let doc = &site.documents[*id];
            (
                Place::Document,
                doc.front.title.clone(),
                href(&doc.url, pretty),
            )
        }
    };
    let first = &entry.findings[0];
    let helpers = gaps::helpers(site, first);
    let candidates = helpers
        .iter()
        .take(HELPERS_SHOWN + 1)
        .map(|h| {
            let doc = &site.documents[h.member];
            HelperView {
                member: h.member,
                title: doc.front.title.clone(),
                url: href(&doc.url, pretty),
                role: h.role.label(),
            }
        })
        .collect();
    let mut item = GapItem {
        kind,
        rule: first.rule.name(),
        score: entry.score(),
        score_explained: gaps::score_explained(report, entry),
        tag: entry.subject.topic().map(str::to_string),
        title,
        url,
        findings: entry
            .findings
            .iter()
            .map(|f| FindingView {
                rule: f.rule.name(),
                label: f.rule.label(),
                why: first_upper(&gaps::why(site, report, f)),
                action: gaps::action(site, report, f),
            })
            .collect(),
        helpers: Vec::new(),
        more_helpers: 0,
        candidates,
        total_helpers: 0,
    };
    item.set_helpers(helpers.len());
    item
}

/// `text` with its first letter a capital (Tera's `capitalize` would
/// lower the rest: names, dates, `settings`).
fn first_upper(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
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
        let rules: Vec<Rule> = report
            .findings
            .iter()
            .filter(|f| f.subject.topic() == Some(slug))
            .map(|f| f.rule)
            .collect();
        rows.push(HeatRow {
            slug: slug.to_string(),
            title: tag.title.clone(),
            url: tag_url(slug, site.config.pretty_links),
            depth,
            declared: tag.declared,
            archived: tag.archived,
            values: vec![
                c.practices,
                c.guides,
                c.case_studies,
                c.authors,
                c.experts,
                c.mentors,
                c.learners,
            ],
            gaps: rules.iter().map(|r| r.label()).collect(),
            rules,
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
        let label = match (row.declared, row.archived) {
            (false, _) => format!("{} (undeclared)", escape(&row.title)),
            (true, true) => format!("{} (archived)", escape(&row.title)),
            (true, false) => escape(&row.title),
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
            let gap = value == 0 && column_rules(c).iter().any(|rule| row.rules.contains(rule));
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
fn column_rules(column: usize) -> &'static [Rule] {
    match column {
        0 => &[Rule::NoContent, Rule::NoPractice],
        1 => &[Rule::NoContent, Rule::NoGuide],
        2 => &[Rule::NoContent, Rule::NoEvidence],
        5 => &[Rule::NoMentor],
        _ => &[],
    }
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
