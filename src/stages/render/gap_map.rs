//! The gap map's data for templates, the heatmap drawn as SVG at build time,
//! and the open-data files `gaps.json` and `graph.json`.

use std::borrow::Cow;

use serde::Serialize;

use super::view::{CardValue, Views, href, tag_url};
use crate::stages::gaps::{self, Entry, GapReport, Rule, Subject, TagCounts};
use crate::stages::labels::Labels;
use crate::stages::link::{DocId, Site, Target};

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
    pub(crate) label: String,
    /// What it means here, in a line.
    pub(crate) why: String,
    /// The next step, naming the first few who could help with this gap
    /// (who helps differs: not the one author a topic rests on).
    pub(crate) next: String,
    #[serde(skip)]
    action: gaps::Action,
    /// Its first helpers and one more, and how many there are.
    #[serde(skip)]
    named: Vec<HelperView>,
    #[serde(skip)]
    total_named: usize,
}

/// How many helpers a next step names.
const HELPERS_NAMED: usize = 3;

impl FindingView {
    fn new(site: &Site, report: &GapReport, finding: &gaps::Finding) -> FindingView {
        let l = &site.config.labels;
        let helpers = gaps::helpers(site, finding);
        let mut view = FindingView {
            rule: finding.rule.name(),
            label: rule_label(site, finding.rule),
            why: first_upper(&gaps::why(site, report, finding, l)),
            next: String::new(),
            action: gaps::action(site, report, finding, l),
            named: helper_views(site, &helpers, HELPERS_NAMED + 1),
            total_named: helpers.len(),
        };
        view.set_next(l);
        view
    }

    fn without(&mut self, member: DocId, l: &Labels) {
        let before = self.named.len();
        self.named.retain(|h| h.member != member);
        self.total_named -= before - self.named.len();
        self.set_next(l);
    }

    fn set_next(&mut self, l: &Labels) {
        let mut names: Vec<String> = self
            .named
            .iter()
            .take(HELPERS_NAMED)
            .map(|h| format!("{} ({})", h.title, h.role))
            .collect();
        names.extend(gaps::help::others(
            l,
            self.total_named.saturating_sub(names.len()),
        ));
        self.next = self.action.text(&names, l);
    }
}

/// The first `most` of `helpers` as templates show them.
fn helper_views(site: &Site, helpers: &[gaps::Helper], most: usize) -> Vec<HelperView> {
    let pretty = site.config.pretty_links;
    helpers
        .iter()
        .take(most)
        .map(|h| {
            let doc = &site.documents[h.member];
            HelperView {
                member: h.member,
                title: doc.front.title.clone(),
                url: href(&doc.url, pretty),
                role: role_label(site, h.role),
            }
        })
        .collect()
}

/// A member named as someone who could help.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct HelperView {
    #[serde(skip)]
    pub(crate) member: DocId,
    pub(crate) title: String,
    pub(crate) url: String,
    /// Why they are named: "mentor", "wrote on it"…
    pub(crate) role: String,
}

impl GapItem {
    /// The item as the page of `member` shows it: without that member
    /// among those who could help.
    pub(crate) fn without(&self, member: DocId, l: &Labels) -> GapItem {
        let mut item = self.clone();
        let before = item.candidates.len();
        item.candidates.retain(|h| h.member != member);
        let total = item.total_helpers - (before - item.candidates.len());
        item.set_helpers(total);
        for finding in &mut item.findings {
            finding.without(member, l);
        }
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
/// The gap map's lists are bounded so that it stays light at any size.
pub(crate) const DOCUMENT_GAPS_SHOWN: usize = 25;

/// How many topic gaps the gap map lists; each topic's page shows its own.
pub(crate) const TOPIC_GAPS_SHOWN: usize = 30;

/// How many topics the heatmap shows (with the topics above them).
const HEAT_ROWS_SHOWN: usize = 50;

/// The heatmap's rows a page shows: the `HEAT_ROWS_SHOWN` topics with the
/// most gaps, then learners, then supply, each with the topics above it
/// so the tree still reads; in the order of `rows`.
pub(crate) fn heat_rows_shown(rows: &[HeatRow]) -> Vec<&HeatRow> {
    let weight = |row: &HeatRow| {
        let learners = row.values.last().copied().unwrap_or(0);
        (row.gaps.len(), learners, row.values.iter().sum::<usize>())
    };
    let mut ranked: Vec<usize> = (0..rows.len()).collect();
    ranked.sort_by_key(|&i| std::cmp::Reverse(weight(&rows[i])));
    let mut kept = vec![false; rows.len()];
    for &i in ranked.iter().take(HEAT_ROWS_SHOWN) {
        kept[i] = true;
        // Rows are depth first: the nearest shallower row before is the parent.
        let mut depth = rows[i].depth;
        for j in (0..i).rev() {
            if depth == 0 {
                break;
            }
            if rows[j].depth < depth {
                kept[j] = true;
                depth = rows[j].depth;
            }
        }
    }
    rows.iter()
        .zip(kept)
        .filter(|(_, k)| *k)
        .map(|(r, _)| r)
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct WantedItem {
    pub(crate) title: String,
    pub(crate) requested_by: Vec<CardValue>,
    pub(crate) new_url: Option<String>,
}

/// A row of the heatmap, a table whose topic names stay in view as it
/// scrolls sideways on a phone.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HeatRow {
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) depth: usize,
    pub(crate) declared: bool,
    pub(crate) archived: bool,
    pub(crate) values: Vec<usize>,
    pub(crate) cells: Vec<Cell>,
    /// Documents written or updated per year, as an inline SVG.
    pub(crate) sparkline: String,
    /// Their plain names.
    pub(crate) gaps: Vec<String>,
}

/// A heatmap cell: its shade (a class) and what it says.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Cell {
    pub(crate) class: String,
    pub(crate) text: String,
}

/// The label keys of the heatmap's columns.
const COLUMN_LABELS: [&str; 7] = [
    "practices",
    "guides",
    "case_studies",
    "authors",
    "experts",
    "mentors",
    "learners",
];

/// The heatmap's column headings, in the community's language.
pub(crate) fn columns(site: &Site) -> Vec<&str> {
    COLUMN_LABELS
        .iter()
        .map(|key| site.config.labels.get(key))
        .collect()
}

/// A gap rule's name for readers: `gap_no_content` in the labels.
fn rule_label(site: &Site, rule: Rule) -> String {
    gaps::help::rule_label(&site.config.labels, rule)
}

/// Why a member could help, for readers.
fn role_label(site: &Site, role: gaps::Role) -> String {
    gaps::help::role_label(&site.config.labels, role).to_string()
}

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
    let candidates = helper_views(site, &helpers, HELPERS_SHOWN + 1);
    let mut item = GapItem {
        kind,
        rule: first.rule.name(),
        score: entry.score(),
        score_explained: gaps::score_explained(report, entry, &site.config.labels),
        tag: entry.subject.topic().map(str::to_string),
        title,
        url,
        findings: entry
            .findings
            .iter()
            .map(|f| FindingView::new(site, report, f))
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

/// Rows grouped under their parents: declared tags in map order, each
/// followed by the topics below it (at any depth), then tags used but not
/// declared.
pub(crate) fn rows(site: &Site, report: &GapReport) -> Vec<HeatRow> {
    let counts: std::collections::HashMap<&str, &TagCounts> = report
        .tags
        .iter()
        .map(|(slug, c)| (slug.as_str(), c))
        .collect();
    let mut rules: std::collections::HashMap<&str, Vec<Rule>> = std::collections::HashMap::new();
    for finding in &report.findings {
        if let Some(slug) = finding.subject.topic() {
            rules.entry(slug).or_default().push(finding.rule);
        }
    }
    let mut order = Vec::new();
    let mut placed = std::collections::HashSet::new();
    for tag in site.tags.iter() {
        let top = tag.parent.as_deref().is_none_or(|p| site.tag(p).is_none());
        if top {
            place(site, &tag.slug, &mut order, &mut placed);
        }
    }
    // Tags in a loop of parents have no top: shown at the end, flat.
    for tag in site.tags.iter() {
        place(site, &tag.slug, &mut order, &mut placed);
    }
    let this_year = report.today.year();
    let empty = TagCounts::default();
    let raw: Vec<(Vec<usize>, Vec<Rule>)> = order
        .iter()
        .map(|(slug, _)| {
            let c = counts.get(slug).copied().unwrap_or(&empty);
            let values = vec![
                c.practices,
                c.guides,
                c.case_studies,
                c.authors,
                c.experts,
                c.mentors,
                c.learners,
            ];
            (values, rules.get(slug).cloned().unwrap_or_default())
        })
        .collect();
    let max = column_max(&raw);
    order
        .into_iter()
        .zip(raw)
        .filter_map(|((slug, depth), (values, rules))| {
            let tag = site.tag(slug)?;
            let c = counts.get(slug).copied().unwrap_or(&empty);
            Some(HeatRow {
                slug: slug.to_string(),
                title: tag.title.clone(),
                url: tag_url(slug, site.config.pretty_links),
                depth: depth.min(4),
                declared: tag.declared,
                archived: tag.archived,
                cells: cells(&values, &rules, &max, site.config.labels.get("gap_cell")),
                values,
                sparkline: sparkline(&c.activity, this_year, &site.config.labels),
                gaps: rules.iter().map(|&r| rule_label(site, r)).collect(),
            })
        })
        .collect()
}

/// `slug` and then the topics below it, depth first, each once (parents
/// declared in a loop included).
fn place<'a>(
    site: &'a Site,
    slug: &'a str,
    order: &mut Vec<(&'a str, usize)>,
    placed: &mut std::collections::HashSet<&'a str>,
) {
    let mut next: Vec<(&str, usize)> = vec![(slug, 0)];
    while let Some((slug, depth)) = next.pop() {
        if !placed.insert(slug) {
            continue;
        }
        order.push((slug, depth));
        let Some(tag) = site.tag(slug) else { continue };
        for &child in tag.children.iter().rev() {
            next.push((site.tags[child].slug.as_str(), depth + 1));
        }
    }
}

/// The cells of a heatmap row: supply columns shade green by count
/// against the column's largest, learners amber; a zero where supply is
/// missing is hatched and says "gap", so it reads without colour too.
fn cells(values: &[usize], rules: &[Rule], max: &[usize], gap_word: &str) -> Vec<Cell> {
    values
        .iter()
        .enumerate()
        .map(|(c, &value)| {
            let gap = value == 0 && column_rules(c).iter().any(|rule| rules.contains(rule));
            if gap {
                return Cell {
                    class: "hm-gap".into(),
                    text: format!("0 · {gap_word}"),
                };
            }
            let level = if value == 0 {
                0
            } else {
                1 + (value * 4 / (max[c] + 1)).min(3)
            };
            let scale = if c == COLUMN_LABELS.len() - 1 {
                "hm-demand"
            } else {
                "hm-supply"
            };
            Cell {
                class: format!("{scale}-{level}"),
                text: value.to_string(),
            }
        })
        .collect()
}

/// Each column's largest value (at least 1): experts and documents live
/// on different scales.
fn column_max(rows: &[(Vec<usize>, Vec<Rule>)]) -> Vec<usize> {
    (0..COLUMN_LABELS.len())
        .map(|c| rows.iter().map(|r| r.0[c]).max().unwrap_or(1).max(1))
        .collect()
}

/// How many years a sparkline shows, ending this year.
const SPARK_YEARS: i16 = 10;

/// A topic's documents written or updated per year, the last
/// [`SPARK_YEARS`] years, as a small inline SVG with the numbers in its
/// label (and title, for a pointer).
fn sparkline(
    activity: &std::collections::BTreeMap<i16, usize>,
    this_year: i16,
    l: &Labels,
) -> String {
    let years: Vec<(i16, usize)> = (this_year - SPARK_YEARS + 1..=this_year)
        .map(|y| (y, activity.get(&y).copied().unwrap_or(0)))
        .collect();
    let most = years.iter().map(|y| y.1).max().unwrap_or(0).max(1);
    const W: usize = 80;
    const H: usize = 20;
    let step = W / (SPARK_YEARS as usize - 1);
    let points: Vec<String> = years
        .iter()
        .enumerate()
        .map(|(i, &(_, n))| format!("{},{}", i * step, H - 2 - n * (H - 4) / most))
        .collect();
    let described: Vec<String> = years
        .iter()
        .filter(|y| y.1 > 0)
        .map(|(y, n)| format!("{y}: {n}"))
        .collect();
    let label = if described.is_empty() {
        let since = this_year - SPARK_YEARS + 1;
        l.fill("activity_none", &[("year", &since)])
    } else {
        l.fill("activity_per_year", &[("years", &described.join(", "))])
    };
    format!(
        "<svg class=\"sparkline\" viewBox=\"-2 0 {} {H}\" width=\"{}\" height=\"{H}\" role=\"img\" aria-label=\"{label}\"><title>{label}</title><polyline points=\"{}\"/></svg>",
        W + 4,
        W + 4,
        points.join(" ")
    )
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
                reviewed: super::view::DateView::of(
                    site.documents[toolkit].sort_date(),
                    &site.config.labels,
                ),
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
