//! What a steward acts on: who could close a gap (always someone, where
//! anyone wrote on or knows the topic) and what to ask of them, in plain
//! words. One definition for the CLI, gaps.json and the site.

use jiff::civil::Date;

use super::{Entry, Finding, GapReport, Rule, Subject, TagCounts};
use crate::stages::labels::Labels;
use crate::stages::link::{DocId, Site, Tag};

/// Why a member is named as a helper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The document's `owner`.
    Owner,
    /// Declares the topic in `expertise` and mentors.
    Mentor,
    /// Declares the topic in `expertise`.
    Expert,
    /// Wrote on the topic, or the document.
    Author,
    /// Knows a topic next to it in the domain map (parent, sibling, child).
    RelatedExpert,
    /// Wrote a page that asks for the wanted page.
    Asked,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Mentor => "mentor",
            Role::Expert => "expert",
            Role::Author => "wrote on it",
            Role::RelatedExpert => "knows a related topic",
            Role::Asked => "asked for it",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Helper {
    pub member: DocId,
    pub role: Role,
}

/// Members named once each, in the order they were first added.
#[derive(Default)]
struct Named(Vec<Helper>);

impl Named {
    fn add(&mut self, members: impl IntoIterator<Item = DocId>, role: Role) {
        for member in members {
            if !self.0.iter().any(|h| h.member == member) {
                self.0.push(Helper { member, role });
            }
        }
    }
}

/// Who could help with `finding`, most able first. A topic: its mentors,
/// its experts, the members who wrote on it or a topic below it (most
/// documents first, then the most recent), then experts of the topics next
/// to it. A document: for `overdue-review` its owner, then its authors;
/// for the others its authors, then its owner; then experts of its topics.
pub(crate) fn helpers(site: &Site, finding: &Finding) -> Vec<Helper> {
    let mut named = Named::default();
    match &finding.subject {
        Subject::Topic(slug) => {
            let Some(tag) = site.tag(slug) else {
                return Vec::new();
            };
            named.add(tag.mentors.iter().copied(), Role::Mentor);
            named.add(tag.experts.iter().copied(), Role::Expert);
            let documents = super::family(site, slug)
                .into_iter()
                .filter_map(|t| site.tag(t))
                .flat_map(|t| t.documents.iter().copied());
            let authors = authors_by_weight(site, documents);
            // Another voice is what these lack: not the author they rest on.
            let others = match finding.rule {
                Rule::SingleVoice => &[][..],
                Rule::Concentration => authors.get(1..).unwrap_or_default(),
                _ => &authors[..],
            };
            named.add(others.iter().copied(), Role::Author);
            for related in related(site, tag) {
                named.add(related.mentors.iter().copied(), Role::RelatedExpert);
                named.add(related.experts.iter().copied(), Role::RelatedExpert);
            }
        }
        Subject::Wanted(title) => {
            let asking = site
                .wanted
                .iter()
                .find(|w| &w.title == title)
                .map_or(&[][..], |w| &w.requested_by[..]);
            let authors = asking
                .iter()
                .flat_map(|&page| site.relations[page].authors.iter().copied());
            named.add(authors, Role::Asked);
            for tag in asking
                .iter()
                .flat_map(|&page| site.documents[page].front.tags.iter())
            {
                if let Some(tag) = site.tag(&tag.text) {
                    named.add(tag.mentors.iter().copied(), Role::Mentor);
                    named.add(tag.experts.iter().copied(), Role::Expert);
                }
            }
        }
        Subject::Document(id) => {
            let relations = &site.relations[*id];
            let owner = relations.owner;
            if finding.rule == Rule::OverdueReview {
                named.add(owner, Role::Owner);
            }
            named.add(relations.authors.iter().copied(), Role::Author);
            named.add(owner, Role::Owner);
            for tag in site.documents[*id].front.tags.iter() {
                if let Some(tag) = site.tag(&tag.text) {
                    named.add(tag.mentors.iter().copied(), Role::Mentor);
                    named.add(tag.experts.iter().copied(), Role::Expert);
                }
            }
        }
    }
    named.0
}

/// The authors of `documents` (each counted once), those who wrote most
/// first, then those who wrote last, then by name.
fn authors_by_weight(site: &Site, documents: impl Iterator<Item = DocId>) -> Vec<DocId> {
    let mut seen = rustc_hash::FxHashSet::default();
    let mut wrote: rustc_hash::FxHashMap<DocId, (usize, Option<Date>)> =
        rustc_hash::FxHashMap::default();
    for doc in documents.filter(|&d| seen.insert(d)) {
        let date = site.documents[doc].sort_date();
        for &author in &site.relations[doc].authors {
            let entry = wrote.entry(author).or_insert((0, None));
            entry.0 += 1;
            entry.1 = entry.1.max(date);
        }
    }
    let mut authors: Vec<DocId> = wrote.keys().copied().collect();
    authors.sort_by(|a, b| {
        let key = |id: &DocId| {
            let (n, newest) = wrote[id];
            (std::cmp::Reverse(n), std::cmp::Reverse(newest))
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| {
                site.documents[*a]
                    .front
                    .title
                    .cmp(&site.documents[*b].front.title)
            })
            .then(a.cmp(b))
    });
    authors
}

/// The topics next to `tag` in the domain map: its parent, its siblings,
/// its children.
fn related<'a>(site: &'a Site, tag: &'a Tag) -> impl Iterator<Item = &'a Tag> {
    let parent = tag.parent.as_deref().and_then(|p| site.tag(p));
    let near = site.tags.iter().filter(move |t| {
        t.slug != tag.slug
            && (t.parent.as_deref() == Some(tag.slug.as_str())
                || (tag.parent.is_some() && t.parent == tag.parent))
    });
    parent.into_iter().chain(near)
}

/// What to do about a finding: ask people for something, or a change
/// anyone can make. Helpers' names are put in when it is shown, so a
/// member's page can leave that member out.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Action {
    /// What is missing, as a sentence without its full stop.
    pub situation: String,
    /// What to ask the helpers for ("for a how-to"); `None` when the
    /// action needs nobody ("add it to `tags:`").
    pub ask: Option<String>,
    /// What to do when nobody could help, or the action itself.
    pub otherwise: String,
}

impl Action {
    /// The action in plain words, asking the people named.
    pub(crate) fn text(&self, names: &[String], l: &Labels) -> String {
        match (&self.ask, names) {
            (Some(ask), [_, ..]) => l.fill(
                "gap_ask",
                &[
                    ("situation", &self.situation),
                    ("names", &join(names, l)),
                    ("ask", ask),
                ],
            ),
            _ => l.fill(
                "gap_do",
                &[("situation", &self.situation), ("action", &self.otherwise)],
            ),
        }
    }
}

/// "A", "A and B", "A, B and C".
pub(crate) fn join(names: &[String], l: &Labels) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), l.get("and")),
    }
}

/// A helper's role for readers: "mentor", "wrote on it".
pub(crate) fn role_label(l: &Labels, role: Role) -> &str {
    l.get(match role {
        Role::Owner => "role_owner",
        Role::Mentor => "role_mentor",
        Role::Expert => "role_expert",
        Role::Author => "role_author",
        Role::RelatedExpert => "role_related_expert",
        Role::Asked => "role_asked",
    })
}

/// "1 other", "3 others": the helpers past those named.
pub(crate) fn others(l: &Labels, n: usize) -> Option<String> {
    (n > 0).then(|| l.count("gap_others", n))
}

/// Up to `most` helpers as "Amara Okafor (mentor)", and "N others" for
/// the rest.
pub(crate) fn names(site: &Site, helpers: &[Helper], most: usize, l: &Labels) -> Vec<String> {
    let mut names: Vec<String> = helpers
        .iter()
        .take(most)
        .map(|h| {
            let title = &site.documents[h.member].front.title;
            format!("{title} ({})", role_label(l, h.role))
        })
        .collect();
    names.extend(others(l, helpers.len().saturating_sub(most)));
    names
}

/// "3 practices and 2 case studies".
fn supply(counts: &TagCounts, l: &Labels) -> String {
    let parts: Vec<String> = [
        (counts.practices, "gap_supply_practices"),
        (counts.guides, "gap_supply_guides"),
        (counts.case_studies, "gap_supply_case_studies"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, key)| l.count(key, n))
    .collect();
    join(&parts, l)
}

/// Whole months from `from` to `to`.
pub(crate) fn months_between(from: Date, to: Date) -> i32 {
    let months = |d: Date| i32::from(d.year()) * 12 + i32::from(d.month());
    months(to) - months(from)
}

/// "26 months", "3 years".
fn age(months: i32, l: &Labels) -> String {
    if months >= 36 {
        l.count("gap_years", (months / 12) as usize)
    } else {
        l.count("gap_months", months.max(0) as usize)
    }
}

/// An action that asks the helpers: its situation, and the label keys of
/// what to ask them and what to do without them.
fn ask(l: &Labels, situation: String, ask: &str, otherwise: &str) -> Action {
    Action {
        situation,
        ask: Some(l.get(ask).into()),
        otherwise: l.get(otherwise).into(),
    }
}

/// An action nobody needs asking for.
fn just(situation: String, otherwise: String) -> Action {
    Action {
        situation,
        ask: None,
        otherwise,
    }
}

/// The next step for `finding`, from the numbers behind it.
pub(crate) fn action(site: &Site, report: &GapReport, finding: &Finding, l: &Labels) -> Action {
    match &finding.subject {
        Subject::Topic(slug) => topic_action(site, report, finding, slug, l),
        Subject::Wanted(title) => {
            let pages = site
                .wanted
                .iter()
                .find(|w| &w.title == title)
                .map_or(0, |w| w.requested_by.len());
            ask(
                l,
                l.count_with("gap_wanted_situation", pages, &[("title", title)]),
                "gap_ask_write",
                "gap_otherwise_wanted",
            )
        }
        Subject::Document(id) => document_action(site, finding, *id, l),
    }
}

fn topic_action(
    site: &Site,
    report: &GapReport,
    finding: &Finding,
    slug: &str,
    l: &Labels,
) -> Action {
    let title = site.tag(slug).map_or(slug, |t| t.title.as_str());
    let empty = TagCounts::default();
    let c = report.counts(slug).unwrap_or(&empty);
    let on = |key: &str| l.fill(key, &[("title", &title)]);
    let counted = |key: &str, n: usize| l.count_with(key, n, &[("title", &title)]);
    const FIND: &str = "gap_find";
    match finding.rule {
        Rule::NoContent => {
            let situation = match c.learners {
                0 => on("gap_nothing_written"),
                n => counted("gap_nothing_written_wanted", n),
            };
            ask(l, situation, "gap_ask_first", "gap_otherwise_first")
        }
        Rule::NoPractice | Rule::NoGuide => {
            let (key, asked) = match finding.rule {
                Rule::NoPractice => ("gap_no_practice_situation", "gap_ask_practice"),
                _ => ("gap_no_guide_situation", "gap_ask_guide"),
            };
            let situation = l.fill(key, &[("title", &title), ("supply", &supply(c, l))]);
            ask(l, situation, asked, FIND)
        }
        Rule::NoEvidence => ask(
            l,
            counted("gap_no_evidence_situation", c.practices),
            "gap_ask_case_study",
            FIND,
        ),
        Rule::NoMentor => ask(
            l,
            counted("gap_no_mentor_situation", c.learners),
            "gap_ask_mentor",
            "gap_otherwise_mentor",
        ),
        Rule::SingleVoice => ask(
            l,
            counted("gap_single_voice_situation", c.documents()),
            "gap_ask_review_own",
            "gap_otherwise_review",
        ),
        Rule::Stale => {
            let situation = match c.newest {
                Some(d) => l.fill(
                    "gap_stale_situation_since",
                    &[
                        ("title", &title),
                        ("age", &age(months_between(d, report.today), l)),
                        ("date", &d),
                    ],
                ),
                None => on("gap_stale_situation"),
            };
            ask(l, situation, "gap_ask_stale", "gap_otherwise_stale")
        }
        Rule::Undeclared => just(
            counted("gap_undeclared_situation", c.documents()),
            l.get("gap_otherwise_undeclared").into(),
        ),
        Rule::Declining => {
            let this = report.today.year();
            let recent: usize = c.activity.range(this - 1..=this).map(|(_, n)| n).sum();
            let before: usize = c.activity.range(..this - 1).map(|(_, n)| n).sum();
            let situation = l.count_with(
                "gap_declining_situation",
                recent,
                &[("title", &title), ("before", &before)],
            );
            ask(l, situation, "gap_ask_declining", "gap_otherwise_declining")
        }
        Rule::Concentration => {
            let (name, wrote) = c.top_author.map_or_else(
                || (l.get("gap_one_member").to_string(), 0),
                |(id, n)| (site.documents[id].front.title.clone(), n),
            );
            let situation = l.count_with(
                "gap_concentration_situation",
                c.documents(),
                &[("title", &title), ("name", &name), ("wrote", &wrote)],
            );
            ask(
                l,
                situation,
                "gap_ask_concentration",
                "gap_otherwise_concentration",
            )
        }
        Rule::NearDuplicate => {
            let keep = c.duplicate_of.as_deref().unwrap_or_default();
            let keep_title = site.tag(keep).map_or(keep, |t| t.title.as_str());
            just(
                l.fill(
                    "gap_duplicate_situation",
                    &[("title", &title), ("keep", &keep_title)],
                ),
                l.count_with(
                    "gap_otherwise_duplicate",
                    c.documents(),
                    &[("keep", &keep_title), ("slug", &keep)],
                ),
            )
        }
        Rule::OverdueReview | Rule::Orphan | Rule::Unproven | Rule::WantedPage => just(
            l.fill(
                "gap_topic_why",
                &[("title", &title), ("why", &explanation(l, finding.rule))],
            ),
            l.get("gap_otherwise_look").into(),
        ),
    }
}

fn document_action(site: &Site, finding: &Finding, id: DocId, l: &Labels) -> Action {
    let doc = &site.documents[id];
    let title = &doc.front.title;
    match finding.rule {
        Rule::OverdueReview => {
            let situation = match &doc.front.review_by {
                Some(due) => l.fill(
                    "gap_overdue_situation",
                    &[("title", title), ("date", &due.date)],
                ),
                None => l.fill("gap_overdue_situation_undated", &[("title", title)]),
            };
            ask(l, situation, "gap_ask_review", "gap_otherwise_review_by")
        }
        Rule::Unproven => ask(
            l,
            l.fill("gap_unproven_situation", &[("title", title)]),
            "gap_ask_unproven",
            "gap_find",
        ),
        _ => ask(
            l,
            l.fill("gap_orphan_situation", &[("title", title)]),
            "gap_ask_orphan",
            "gap_otherwise_orphan",
        ),
    }
}

/// A rule's meaning in a line, in the labels (`why_no_content`); English's
/// are `Rule::explanation`'s, which the CLI and the JSON keep.
pub(crate) fn explanation(l: &Labels, rule: Rule) -> String {
    l.get(&format!("why_{}", rule.name().replace('-', "_")))
        .to_string()
}

/// A rule's plain name in the labels (`gap_no_content`).
pub(crate) fn rule_label(l: &Labels, rule: Rule) -> String {
    l.get(&format!("gap_{}", rule.name().replace('-', "_")))
        .to_string()
}

/// What `finding` means here, in a line: the rule's explanation, with
/// the numbers where they say more (how old a stale topic's newest
/// document is).
pub(crate) fn why(site: &Site, report: &GapReport, finding: &Finding, l: &Labels) -> String {
    let newest = finding
        .subject
        .topic()
        .and_then(|slug| report.counts(slug))
        .and_then(|c| c.newest);
    match (finding.rule, newest) {
        (Rule::Stale, Some(newest)) => l.fill(
            "gap_why_stale",
            &[
                ("date", &newest),
                ("age", &age(months_between(newest, report.today), l)),
                ("n", &site.config.gaps.stale_after_months),
            ],
        ),
        (rule, _) => explanation(l, rule),
    }
}

/// Why an entry scores what it does, in words: "Score 30: gaps weighing 5
/// (No content 5) × demand 6 (1 + 2 learners + 1 for the domain map + 2
/// links in)".
pub(crate) fn score_explained(report: &GapReport, entry: &Entry, l: &Labels) -> String {
    let demand = entry.demand().max(1);
    let weights: Vec<String> = entry
        .findings
        .iter()
        .map(|f| format!("{} {}", rule_label(l, f.rule), f.score / demand))
        .collect();
    let weight: u32 = entry.findings.iter().map(|f| f.score / demand).sum();
    let asked = match entry.subject {
        Subject::Topic(slug) => report.counts(slug).map(|c| demand_parts(c, l)),
        Subject::Document(_) => None,
        Subject::Wanted(_) => Some(l.count("gap_pages_ask", (demand - 1) as usize)),
    }
    .unwrap_or_else(|| match demand - 1 {
        0 => l.get("gap_nothing_links").to_string(),
        n => l.count("gap_pages_link", n as usize),
    });
    l.fill(
        "gap_score_explained",
        &[
            ("score", &entry.score()),
            ("weight", &weight),
            ("weights", &weights.join(", ")),
            ("demand", &demand),
            ("asked", &asked),
        ],
    )
}

/// "2 learners + 1 for the domain map + 3 links in".
fn demand_parts(c: &TagCounts, l: &Labels) -> String {
    let mut parts = Vec::new();
    if c.learners > 0 {
        parts.push(l.count("gap_learners", c.learners));
    }
    if c.declared {
        parts.push(l.get("gap_for_domain_map").to_string());
    }
    if c.inbound_links > 0 {
        parts.push(l.count("gap_links_in", c.inbound_links.min(10)));
    }
    if parts.is_empty() {
        l.get("gap_nothing_more").into()
    } else {
        parts.join(" + ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CLI and gaps.json say what a rule means with `Rule::explanation`,
    /// the site with the labels: in English, the same words.
    #[test]
    fn english_labels_explain_and_name_each_rule_as_the_cli_does() {
        let english = Labels::default();
        for rule in Rule::ALL {
            assert_eq!(explanation(&english, rule), rule.explanation(), "{rule:?}");
            assert_eq!(rule_label(&english, rule), rule.label(), "{rule:?}");
        }
    }
}
