//! The knowledge-gap analysis: supply and demand per tag, the named rules
//! that turn them into gaps, and one score to rank them. Fed only by the
//! linked `Site`; "today" is a parameter so results are reproducible.

mod baseline;
pub mod format;
pub(crate) mod help;
mod run;
mod twins;

pub use baseline::{Baseline, Change, Recorded, read_baseline};
pub use help::{Action, Helper, Role};
pub(crate) use help::{action, helpers, names, score_explained, why};
pub use run::{Found, GapsOutcome, GapsRequest, Selection, gaps, parse_rules};

use std::collections::BTreeMap;

use rustc_hash::FxHashSet;

use jiff::ToSpan;
use jiff::civil::Date;

use crate::model::document::Kind;
use crate::stages::config::GapSettings;
use crate::stages::link::{DocId, Site, Tag};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    NoContent,
    NoPractice,
    NoGuide,
    NoEvidence,
    NoMentor,
    SingleVoice,
    Stale,
    Undeclared,
    OverdueReview,
    Orphan,
    Unproven,
    Declining,
    Concentration,
    NearDuplicate,
    WantedPage,
}

impl Rule {
    pub(crate) const ALL: [Rule; 15] = [
        Rule::NoContent,
        Rule::NoPractice,
        Rule::NoGuide,
        Rule::NoEvidence,
        Rule::NoMentor,
        Rule::SingleVoice,
        Rule::Stale,
        Rule::Undeclared,
        Rule::OverdueReview,
        Rule::Orphan,
        Rule::Unproven,
        Rule::Declining,
        Rule::Concentration,
        Rule::NearDuplicate,
        Rule::WantedPage,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Rule::NoContent => "no-content",
            Rule::NoPractice => "no-practice",
            Rule::NoGuide => "no-guide",
            Rule::NoEvidence => "no-evidence",
            Rule::NoMentor => "no-mentor",
            Rule::SingleVoice => "single-voice",
            Rule::Stale => "stale",
            Rule::Undeclared => "undeclared",
            Rule::OverdueReview => "overdue-review",
            Rule::Orphan => "orphan",
            Rule::Unproven => "unproven",
            Rule::Declining => "declining",
            Rule::Concentration => "concentration",
            Rule::NearDuplicate => "near-duplicate",
            Rule::WantedPage => "wanted-page",
        }
    }

    /// What the rule means, in plain language, for reports and the gap map.
    pub(crate) const fn explanation(self) -> &'static str {
        match self {
            Rule::NoContent => "declared in the domain map, but no document has this tag",
            Rule::NoPractice => "has content, but no practice",
            Rule::NoGuide => "has content, but no guide that teaches it",
            Rule::NoEvidence => "has practices, but nothing counted as evidence cites any of them",
            Rule::NoMentor => "members want to learn it, and no mentor knows it",
            Rule::SingleVoice => "all its documents come from one author",
            Rule::Stale => "its newest document is older than the stale_after_months setting",
            Rule::Undeclared => "used in documents, but missing from the domain map",
            Rule::OverdueReview => "its review date has passed",
            Rule::Orphan => "no other page links to it",
            Rule::Unproven => "a practice that nothing counted as evidence cites",
            Rule::Declining => {
                "far fewer documents are written or updated on it than it used to have"
            }
            Rule::Concentration => {
                "one author wrote most of it: the community's knowledge of it leaves with them"
            }
            Rule::NearDuplicate => {
                "another topic has its name in the plural, singular or abbreviated: probably one topic"
            }
            Rule::WantedPage => {
                "pages ask for it with a [[?Title]] link, and nobody has written it"
            }
        }
    }

    /// The rule's plain name, for people.
    pub fn label(self) -> &'static str {
        match self {
            Rule::NoContent => "No content",
            Rule::NoPractice => "No practice",
            Rule::NoGuide => "No guide",
            Rule::NoEvidence => "No evidence",
            Rule::NoMentor => "No mentor",
            Rule::SingleVoice => "One voice",
            Rule::Stale => "Not updated",
            Rule::Undeclared => "Not in the domain map",
            Rule::OverdueReview => "Review overdue",
            Rule::Orphan => "Not linked",
            Rule::Unproven => "Unproven practice",
            Rule::Declining => "Declining",
            Rule::Concentration => "One main author",
            Rule::NearDuplicate => "Near-duplicate topic",
            Rule::WantedPage => "Wanted page",
        }
    }

    pub(crate) fn parse(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.name() == name)
    }

    /// How much missing this kind of supply hurts, unless the community
    /// chose otherwise (`gaps.rules`); the score multiplies it by demand.
    pub(crate) const fn default_weight(self) -> u32 {
        match self {
            Rule::NoContent => 5,
            Rule::NoEvidence | Rule::NoMentor => 4,
            Rule::NoPractice | Rule::Stale | Rule::Unproven | Rule::WantedPage => 3,
            Rule::NoGuide
            | Rule::SingleVoice
            | Rule::OverdueReview
            | Rule::Declining
            | Rule::Concentration => 2,
            Rule::Undeclared | Rule::Orphan | Rule::NearDuplicate => 1,
        }
    }
}

/// Supply and demand of one tag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagCounts {
    pub practices: usize,
    pub(crate) guides: usize,
    pub(crate) case_studies: usize,
    pub authors: usize,
    pub(crate) experts: usize,
    pub(crate) mentors: usize,
    pub learners: usize,
    pub(crate) declared: bool,
    /// History, not neglect (`archived: true`): no rule reports it.
    pub(crate) archived: bool,
    /// Links from documents to this tag's documents.
    pub inbound_links: usize,
    pub(crate) newest: Option<Date>,
    /// Practices cited by a document that counts as evidence.
    pub(crate) proven_practices: usize,
    /// Documents written (`date`) or updated (`updated`, else the last
    /// commit) per year; a document written and updated in one year
    /// counts once.
    pub(crate) activity: BTreeMap<i16, usize>,
    /// Documents by the author who wrote the most of them.
    pub(crate) top_author: Option<(DocId, usize)>,
    /// The topic this one is probably the same as (`tool` and `tools`,
    /// `ux` and `user-experience`), the one to keep.
    pub(crate) duplicate_of: Option<String>,
}

impl TagCounts {
    pub(crate) fn documents(&self) -> usize {
        self.practices + self.guides + self.case_studies
    }

    /// Demand in one number: learners, links and being declared all ask for content.
    fn demand(&self) -> u32 {
        1 + self.learners as u32 + u32::from(self.declared) + self.inbound_links.min(10) as u32
    }
}

/// What a finding is about: a document (by its id in the site, or by its
/// source path where the finding comes from an earlier build's gaps.json),
/// or a topic.
///
/// The variants are in sort order: among findings of one score and rule,
/// documents come before topics, as when each was an `Option` and `None`
/// sorted first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject<D = DocId> {
    Document(D),
    /// A tag, by slug.
    Topic(String),
    /// A page asked for with `[[?Title]]`, by its title.
    Wanted(String),
}

impl<D> Subject<D> {
    pub fn topic(&self) -> Option<&str> {
        match self {
            Subject::Topic(slug) => Some(slug),
            Subject::Document(_) | Subject::Wanted(_) => None,
        }
    }
}

impl Subject {
    pub fn document(&self) -> Option<DocId> {
        match self {
            Subject::Document(id) => Some(*id),
            Subject::Topic(_) | Subject::Wanted(_) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub subject: Subject,
    /// The rule's weight times the subject's demand.
    pub score: u32,
    /// How much the subject is asked for: breaks ties between equal scores.
    pub demand: u32,
}

#[derive(Debug, Clone)]
pub struct GapReport {
    /// The day the rules judged by.
    pub today: Date,
    /// In the site's tag order.
    pub tags: Vec<(String, TagCounts)>,
    /// Grouped by subject, one group per [`Entry`], the entries ranked
    /// (see [`rank`]); in a group, highest score first.
    pub findings: Vec<Finding>,
}

/// One topic or document with its findings: what a steward acts on.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub subject: &'a Subject,
    /// Never empty.
    pub findings: &'a [Finding],
}

impl Entry<'_> {
    /// The sum of its findings' scores: a topic with several gaps is
    /// more urgent than one with one of them.
    pub fn score(&self) -> u32 {
        self.findings.iter().map(|f| f.score).sum()
    }

    pub fn demand(&self) -> u32 {
        self.findings.first().map_or(0, |f| f.demand)
    }
}

impl GapReport {
    /// The supply and demand of the tag `slug`.
    pub fn counts(&self, slug: &str) -> Option<&TagCounts> {
        self.tags.iter().find(|(s, _)| s == slug).map(|(_, c)| c)
    }

    /// The findings grouped by subject, in rank order.
    pub fn entries(&self) -> Vec<Entry<'_>> {
        self.findings
            .chunk_by(|a, b| a.subject == b.subject)
            .map(|findings| Entry {
                subject: &findings[0].subject,
                findings,
            })
            .collect()
    }

    /// Keeps the findings `keep` accepts, in their order.
    pub(crate) fn retain(&mut self, keep: impl Fn(&Finding) -> bool) {
        self.findings.retain(keep);
    }

    /// Keeps the first `n` entries.
    pub(crate) fn keep_top(&mut self, n: usize) {
        let kept: usize = self
            .entries()
            .iter()
            .take(n)
            .map(|e| e.findings.len())
            .sum();
        self.findings.truncate(kept);
    }
}

/// Groups findings by subject and ranks the groups: highest total score
/// first, then the most demand (ties were common, and alphabetical order
/// told a steward nothing), then the subject, so every run agrees. In a
/// group, the highest score first, then the rule.
fn rank(findings: Vec<Finding>) -> Vec<Finding> {
    let mut groups: BTreeMap<Subject, Vec<Finding>> = BTreeMap::new();
    for finding in findings {
        groups
            .entry(finding.subject.clone())
            .or_default()
            .push(finding);
    }
    let mut groups: Vec<Vec<Finding>> = groups.into_values().collect();
    for group in &mut groups {
        group.sort_by(|a, b| b.score.cmp(&a.score).then(a.rule.cmp(&b.rule)));
    }
    let key = |group: &Vec<Finding>| {
        let score: u32 = group.iter().map(|f| f.score).sum();
        (std::cmp::Reverse(score), std::cmp::Reverse(group[0].demand))
    };
    // Stable: groups of one key stay in subject order.
    groups.sort_by_key(key);
    groups.into_iter().flatten().collect()
}

/// A tag and every tag below it in the domain map, each once, even if
/// parents were declared in a loop.
pub(crate) fn family<'a>(site: &'a Site, slug: &'a str) -> FxHashSet<&'a str> {
    let mut family = FxHashSet::from_iter([slug]);
    let mut next: Vec<&Tag> = site.tag(slug).into_iter().collect();
    while let Some(tag) = next.pop() {
        for &child in &tag.children {
            let child = &site.tags[child];
            if family.insert(child.slug.as_str()) {
                next.push(child);
            }
        }
    }
    family
}

pub(crate) fn analyse(site: &Site, today: Date) -> GapReport {
    let stale_before = today
        .checked_sub(site.config.gaps.stale_after_months.months())
        .unwrap_or(today);
    let mut report = GapReport {
        today,
        tags: Vec::new(),
        findings: Vec::new(),
    };
    let weight = |rule| site.config.gaps.rules.weight(rule);
    let twins = twins::NearDuplicates::of(site);
    for tag in &site.tags {
        let mut counts = count(site, tag);
        counts.duplicate_of = twins.kept_instead_of(&tag.slug).map(str::to_string);
        let demand = counts.demand();
        for rule in tag_rules(site, &counts, stale_before, today) {
            let Some(weight) = weight(rule) else { continue };
            report.findings.push(Finding {
                rule,
                subject: Subject::Topic(tag.slug.clone()),
                score: weight * demand,
                demand,
            });
        }
        report.tags.push((tag.slug.clone(), counts));
    }
    report.findings.extend(document_findings(site, today));
    report.findings.extend(wanted_findings(site));
    report.findings = rank(std::mem::take(&mut report.findings));
    report
}

/// A tag's supply and demand, its documents, experts and mentors taken
/// together with those of the topics below it: a parent is not short of
/// what its children have.
fn count(site: &Site, tag: &Tag) -> TagCounts {
    let family: Vec<&Tag> = family(site, &tag.slug)
        .into_iter()
        .filter_map(|slug| site.tag(slug))
        .collect();
    let union = |list: fn(&Tag) -> &Vec<DocId>| -> FxHashSet<DocId> {
        family
            .iter()
            .flat_map(|t| list(t).iter().copied())
            .collect()
    };
    let documents = union(|t| &t.documents);
    let of_kind = |kind| {
        documents
            .iter()
            .filter(|&&id| site.documents[id].kind == kind)
            .count()
    };
    let authors: FxHashSet<DocId> = documents
        .iter()
        .flat_map(|&id| site.relations[id].authors.iter().copied())
        .collect();
    let practices = documents
        .iter()
        .filter(|&&id| site.documents[id].kind == Kind::Practice);
    TagCounts {
        practices: of_kind(Kind::Practice),
        guides: of_kind(Kind::Guide),
        case_studies: of_kind(Kind::CaseStudy),
        authors: authors.len(),
        experts: union(|t| &t.experts).len(),
        mentors: union(|t| &t.mentors).len(),
        learners: tag.learners.len(),
        declared: tag.declared,
        archived: tag.archived,
        inbound_links: documents
            .iter()
            .map(|&id| site.relations[id].backlinks.len())
            .sum(),
        newest: documents
            .iter()
            .filter_map(|&id| site.documents[id].sort_date())
            .max(),
        proven_practices: practices.filter(|&&id| proven(site, id)).count(),
        activity: activity(site, &documents),
        top_author: top_author(site, &documents),
        duplicate_of: None,
    }
}

/// Documents written or updated per year.
fn activity(site: &Site, documents: &FxHashSet<DocId>) -> BTreeMap<i16, usize> {
    let mut years = BTreeMap::new();
    for &id in documents {
        let front = &site.documents[id].front;
        let written = front.date.map(|d| d.year());
        let updated = front
            .updated
            .map(|d| d.year())
            .filter(|&y| Some(y) != written);
        for year in written.into_iter().chain(updated) {
            *years.entry(year).or_insert(0) += 1;
        }
    }
    years
}

/// The author of the most of `documents`, and how many; the first by id
/// among equals.
fn top_author(site: &Site, documents: &FxHashSet<DocId>) -> Option<(DocId, usize)> {
    let mut wrote: BTreeMap<DocId, usize> = BTreeMap::new();
    for &id in documents {
        for &author in &site.relations[id].authors {
            *wrote.entry(author).or_insert(0) += 1;
        }
    }
    wrote
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
}

/// Whether a topic's activity fell sharply against its own past: the
/// last two years' yearly average under `declining_percent` of the
/// average of its active years before, which had `declining_documents`
/// documents or more.
fn declining(counts: &TagCounts, today: Date, settings: &GapSettings) -> bool {
    let this = today.year();
    let Some(&first) = counts.activity.keys().next() else {
        return false;
    };
    if first > this - 2 {
        return false;
    }
    let sum = |years: std::ops::RangeInclusive<i16>| -> usize {
        counts.activity.range(years).map(|(_, n)| n).sum()
    };
    let (recent, past) = (sum(this - 1..=this), sum(first..=this - 2));
    // Against the years it was active: a quiet stretch before is no
    // reason to call the last two years normal.
    let active_years = counts.activity.range(first..=this - 2).count().max(1);
    past >= settings.declining_documents
        && recent * 100 * active_years < settings.declining_percent * past * 2
}

/// Whether one author wrote `concentration_percent` or more of a topic
/// that has other authors (one author alone is `single-voice`).
fn concentrated(counts: &TagCounts, settings: &GapSettings) -> bool {
    let documents = counts.documents();
    counts.authors >= 2
        && documents >= settings.concentration_documents
        && counts
            .top_author
            .is_some_and(|(_, n)| n * 100 >= settings.concentration_percent * documents)
}

/// Pages asked for with `[[?Title]]`: wanted the more, the more pages ask.
fn wanted_findings(site: &Site) -> Vec<Finding> {
    let Some(weight) = site.config.gaps.rules.weight(Rule::WantedPage) else {
        return Vec::new();
    };
    site.wanted
        .iter()
        .map(|w| {
            let demand = 1 + w.requested_by.len().min(10) as u32;
            Finding {
                rule: Rule::WantedPage,
                subject: Subject::Wanted(w.title.clone()),
                score: weight * demand,
                demand,
            }
        })
        .collect()
}

fn tag_rules(site: &Site, counts: &TagCounts, stale_before: Date, today: Date) -> Vec<Rule> {
    if counts.archived {
        return Vec::new();
    }
    let has_content = counts.documents() > 0;
    let settings = &site.config.gaps;
    let evidence = counts.proven_practices > 0;
    let stale = counts.newest.is_some_and(|d| d < stale_before);
    [
        (Rule::NoContent, counts.declared && !has_content),
        (Rule::NoPractice, has_content && counts.practices == 0),
        (Rule::NoGuide, has_content && counts.guides == 0),
        (Rule::NoEvidence, counts.practices > 0 && !evidence),
        (Rule::NoMentor, counts.learners > 0 && counts.mentors == 0),
        (
            Rule::SingleVoice,
            counts.documents() >= settings.single_voice_documents
                && (1..=settings.single_voice_authors).contains(&counts.authors),
        ),
        (Rule::Stale, stale),
        (
            Rule::Declining,
            !stale && declining(counts, today, settings),
        ),
        (Rule::Concentration, concentrated(counts, settings)),
        (Rule::NearDuplicate, counts.duplicate_of.is_some()),
        (Rule::Undeclared, !counts.declared),
    ]
    .into_iter()
    .filter_map(|(rule, fires)| fires.then_some(rule))
    .collect()
}

/// The documents citing `practice` that count as evidence (`gaps.evidence`:
/// case studies, unless the community says otherwise): the one definition
/// the gap rules, the practice page and toolkits use.
pub(crate) fn evidence_of(site: &Site, practice: DocId) -> impl Iterator<Item = DocId> + '_ {
    let evidence = &site.config.gaps.evidence;
    site.relations[practice]
        .evidence
        .iter()
        .copied()
        .filter(|&e| evidence.counts(site.documents[e].kind))
}

/// Whether a document that counts as evidence cites this practice.
pub(crate) fn proven(site: &Site, practice: DocId) -> bool {
    evidence_of(site, practice).next().is_some()
}

fn document_findings(site: &Site, today: Date) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (id, doc) in site.documents.iter_enumerated() {
        let relations = &site.relations[id];
        let demand = 1 + relations.backlinks.len().min(10) as u32;
        let unproven = doc.kind == Kind::Practice && !proven(site, id);
        // Members and toolkits are found from their own sections.
        let orphan = !matches!(doc.kind, Kind::Member | Kind::Toolkit)
            && relations.backlinks.is_empty()
            && relations.evidence.is_empty();
        let overdue = doc.front.review_overdue(today).is_some();
        for (rule, fires) in [
            (Rule::OverdueReview, overdue),
            (Rule::Orphan, orphan),
            (Rule::Unproven, unproven),
        ] {
            if let (true, Some(weight)) = (fires, site.config.gaps.rules.weight(rule)) {
                findings.push(Finding {
                    rule,
                    subject: Subject::Document(id),
                    score: weight * demand,
                    demand,
                });
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ties were once broken by the pair (tag, document), two `Option`s.
    #[test]
    fn subjects_sort_as_the_tag_and_document_pair_did() {
        let subjects = vec![
            Subject::Topic("b".into()),
            Subject::Document(DocId::from_index(2)),
            Subject::Topic("a".into()),
            Subject::Document(DocId::from_index(0)),
        ];
        let pair = |s: &Subject| (s.topic().map(str::to_string), s.document());
        let mut by_subject = subjects.clone();
        by_subject.sort();
        let mut by_pair = subjects;
        by_pair.sort_by_key(pair);
        assert_eq!(by_subject, by_pair);
    }
}
