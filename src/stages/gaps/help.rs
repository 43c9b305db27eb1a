//! What a steward acts on: who could close a gap (always someone, where
//! anyone wrote on or knows the topic) and what to ask of them, in plain
//! words. One definition for the CLI, gaps.json and the site.

use std::collections::HashMap;

use jiff::civil::Date;

use super::{Entry, Finding, GapReport, Rule, Subject, TagCounts};
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
    let mut seen = std::collections::HashSet::new();
    let mut wrote: HashMap<DocId, (usize, Option<Date>)> = HashMap::new();
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
    pub ask: Option<&'static str>,
    /// What to do when nobody could help, or the action itself.
    pub otherwise: std::borrow::Cow<'static, str>,
}

impl Action {
    /// The action in plain words, asking the people named.
    pub fn text(&self, names: &[String]) -> String {
        match (self.ask, names) {
            (Some(ask), [_, ..]) => {
                format!("{}: ask {} {ask}.", self.situation, join(names))
            }
            _ => format!("{}: {}.", self.situation, self.otherwise),
        }
    }
}

/// "A", "A and B", "A, B and C".
pub(crate) fn join(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Up to `most` helpers as "Amara Okafor (mentor)", and "N others" for
/// the rest.
pub(crate) fn names(site: &Site, helpers: &[Helper], most: usize) -> Vec<String> {
    let mut names: Vec<String> = helpers
        .iter()
        .take(most)
        .map(|h| {
            let title = &site.documents[h.member].front.title;
            format!("{title} ({})", h.role.label())
        })
        .collect();
    match helpers.len().saturating_sub(most) {
        0 => {}
        1 => names.push("1 other".into()),
        n => names.push(format!("{n} others")),
    }
    names
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "3 practices and 2 case studies".
fn supply(counts: &TagCounts) -> String {
    let parts: Vec<String> = [
        (counts.practices, "practice", "practices"),
        (counts.guides, "guide", "guides"),
        (counts.case_studies, "case study", "case studies"),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| count(n, one, many))
    .collect();
    join(&parts)
}

/// Whole months from `from` to `to`.
pub(crate) fn months_between(from: Date, to: Date) -> i32 {
    let months = |d: Date| i32::from(d.year()) * 12 + i32::from(d.month());
    months(to) - months(from)
}

/// "26 months", "3 years".
fn age(months: i32) -> String {
    if months >= 36 {
        count((months / 12) as usize, "year", "years")
    } else {
        count(months.max(0) as usize, "month", "months")
    }
}

/// The next step for `finding`, from the numbers behind it.
pub(crate) fn action(site: &Site, report: &GapReport, finding: &Finding) -> Action {
    let ask = |situation: String, ask: &'static str, otherwise: &'static str| Action {
        situation,
        ask: Some(ask),
        otherwise: otherwise.into(),
    };
    const FIND: &str = "find someone who knows it and ask them";
    match &finding.subject {
        Subject::Topic(slug) => {
            let title = site.tag(slug).map_or(slug.as_str(), |t| t.title.as_str());
            let empty = TagCounts::default();
            let c = report.counts(slug).unwrap_or(&empty);
            match finding.rule {
                Rule::NoContent => {
                    let wanted = match c.learners {
                        0 => String::new(),
                        n => format!(
                            ", though {} to learn it",
                            count(n, "member wants", "members want")
                        ),
                    };
                    ask(
                        format!("Nothing is written on {title} yet{wanted}"),
                        "to write a first guide or practice",
                        "find someone who knows it and ask for a first guide or practice",
                    )
                }
                Rule::NoPractice => ask(
                    format!("No practice on {title} yet: {} exist", supply(c)),
                    "to write down the practice behind them",
                    FIND,
                ),
                Rule::NoGuide => ask(
                    format!("No guide on {title} yet: {} exist", supply(c)),
                    "for a how-to",
                    FIND,
                ),
                Rule::NoEvidence => ask(
                    match c.practices {
                        1 => format!("Nothing shows the practice on {title} applied"),
                        n => format!("Nothing shows any of the {n} practices on {title} applied"),
                    },
                    "for a case study of one in use",
                    FIND,
                ),
                Rule::NoMentor => ask(
                    format!(
                        "{} to learn {title} and no mentor knows it",
                        count(c.learners, "member wants", "members want")
                    ),
                    "to mentor",
                    "find a mentor outside the community, or ask a member who wrote on it",
                ),
                Rule::SingleVoice => ask(
                    format!(
                        "All {} on {title} come from one author",
                        count(c.documents(), "document", "documents")
                    ),
                    "to review them or add their own",
                    "ask another member to review them",
                ),
                Rule::Stale => {
                    let since = c
                        .newest
                        .map(|d| {
                            format!(" in {} (newest: {d})", age(months_between(d, report.today)))
                        })
                        .unwrap_or_default();
                    ask(
                        format!("Nothing on {title} was updated{since}"),
                        "to review it, or archive the topic (`archived: true`) if it is history",
                        "review it, or archive the topic (`archived: true`) if it is history",
                    )
                }
                Rule::Undeclared => Action {
                    situation: format!(
                        "{title} is used in {} but not in the domain map",
                        count(c.documents(), "document", "documents")
                    ),
                    ask: None,
                    otherwise: "add it to `tags:` in community.yaml, or retag its documents with a declared topic".into(),
                },
                Rule::Declining => {
                    let this = report.today.year();
                    let recent: usize = c.activity.range(this - 1..=this).map(|(_, n)| n).sum();
                    let before: usize = c.activity.range(..this - 1).map(|(_, n)| n).sum();
                    ask(
                        format!(
                            "Work on {title} has slowed: {} written or updated in the last two years, against {before} before",
                            count(recent, "document", "documents")
                        ),
                        "what changed, and whether it needs new material or can be archived (`archived: true`)",
                        "decide whether it needs new material or can be archived (`archived: true`)",
                    )
                }
                Rule::Concentration => {
                    let (name, wrote) = c.top_author.map_or(("one member".to_string(), 0), |(id, n)| {
                        (site.documents[id].front.title.clone(), n)
                    });
                    ask(
                        format!(
                            "{name} wrote {wrote} of the {} on {title}",
                            count(c.documents(), "document", "documents")
                        ),
                        "to learn it from them and write the next one",
                        "find a second member to learn it from them",
                    )
                }
                Rule::NearDuplicate => {
                    let keep = c.duplicate_of.as_deref().unwrap_or_default();
                    let keep_title = site.tag(keep).map_or(keep, |t| t.title.as_str());
                    Action {
                        situation: format!(
                            "{title} and {keep_title} look like one topic"
                        ),
                        ask: None,
                        otherwise: format!(
                            "merge it into {keep_title}: tag its {} `{keep}` instead",
                            count(c.documents(), "document", "documents")
                        )
                        .into(),
                    }
                }
                Rule::OverdueReview | Rule::Orphan | Rule::Unproven | Rule::WantedPage => Action {
                    situation: format!("{title}: {}", finding.rule.explanation()),
                    ask: None,
                    otherwise: "look at its documents".into(),
                },
            }
        }
        Subject::Wanted(title) => {
            let pages = site
                .wanted
                .iter()
                .find(|w| &w.title == title)
                .map_or(0, |w| w.requested_by.len());
            ask(
                format!(
                    "{} ask for {title} and nobody has written it",
                    count(pages, "page", "pages")
                ),
                "to write it",
                "write it, or point the links at a page that covers it",
            )
        }
        Subject::Document(id) => {
            let doc = &site.documents[*id];
            let title = &doc.front.title;
            match finding.rule {
                Rule::OverdueReview => ask(
                    match doc.front.review_by {
                        Some(due) => format!("{title} was due for review on {}", due.date),
                        None => format!("{title} is due for review"),
                    },
                    "to review it and set a new `review_by`",
                    "review it and set a new `review_by`",
                ),
                Rule::Unproven => ask(
                    format!("Nothing shows {title} applied"),
                    "for a case study where it was used",
                    FIND,
                ),
                _ => ask(
                    format!("No page links to {title}"),
                    "where it belongs, and link it from there",
                    "link it from its topic's guide or a related page",
                ),
            }
        }
    }
}

/// What `finding` means here, in a line: the rule's explanation, with
/// the numbers where they say more (how old a stale topic's newest
/// document is).
pub(crate) fn why(site: &Site, report: &GapReport, finding: &Finding) -> String {
    let newest = finding
        .subject
        .topic()
        .and_then(|slug| report.counts(slug))
        .and_then(|c| c.newest);
    match (finding.rule, newest) {
        (Rule::Stale, Some(newest)) => format!(
            "its newest document is from {newest}, {} ago; a topic counts as not updated after {} months",
            age(months_between(newest, report.today)),
            site.config.gaps.stale_after_months
        ),
        (rule, _) => rule.explanation().to_string(),
    }
}

/// Why an entry scores what it does, in words: "Score 30: gaps weighing 5
/// (No content 5) × demand 6 (1 + 2 learners + 1 for the domain map + 2
/// links in)".
pub(crate) fn score_explained(report: &GapReport, entry: &Entry) -> String {
    let demand = entry.demand().max(1);
    let weights: Vec<String> = entry
        .findings
        .iter()
        .map(|f| format!("{} {}", f.rule.label(), f.score / demand))
        .collect();
    let weight: u32 = entry.findings.iter().map(|f| f.score / demand).sum();
    let asked = match entry.subject {
        Subject::Topic(slug) => report.counts(slug).map(demand_parts),
        Subject::Document(_) => None,
        Subject::Wanted(_) => Some(count(
            (demand - 1) as usize,
            "page asks for it",
            "pages ask for it",
        )),
    }
    .unwrap_or_else(|| match demand - 1 {
        0 => "nothing links here".to_string(),
        n => count(n as usize, "page links here", "pages link here"),
    });
    format!(
        "Score {}: gaps weighing {weight} ({}) × demand {demand} (1 + {asked})",
        entry.score(),
        weights.join(", ")
    )
}

/// "2 learners + 1 for the domain map + 3 links in".
fn demand_parts(c: &TagCounts) -> String {
    let mut parts = Vec::new();
    if c.learners > 0 {
        parts.push(count(c.learners, "learner", "learners"));
    }
    if c.declared {
        parts.push("1 for the domain map".into());
    }
    if c.inbound_links > 0 {
        parts.push(count(c.inbound_links.min(10), "link in", "links in"));
    }
    if parts.is_empty() {
        "nothing more".into()
    } else {
        parts.join(" + ")
    }
}
