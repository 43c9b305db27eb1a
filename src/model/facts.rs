//! The facts about a document that pages show, and which of them differ
//! between two readings of it. `render::shows` declares which facts each
//! kind of page shows; `render::facts` gathers them per edit for `serve`.

use crate::model::document::{Document, FrontMatter, Part};
use crate::support::fields::Located;
use crate::support::markdown::{LinkRef, Scan};

/// One thing about a document that a page can show, or list documents by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fact {
    /// Its section: fixed for a file, so it changes only when a document
    /// comes or goes.
    Kind,
    Title,
    /// `summary`, or the first paragraph when there is none.
    Summary,
    Tags,
    /// `date` and `updated`.
    Dates,
    /// A practice's `status`.
    Status,
    /// `review_by`.
    Review,
    Owner,
    Authors,
    /// `practices`: what a guide or case study cites.
    Cites,
    /// Where the body's links go.
    Links,
    /// Its headings, and the ids its raw HTML gives: where links can land.
    Headings,
    /// The body as its own page shows it: HTML, word count, plain text.
    Body,
    /// A member's `role`, `organization` and `mentor`.
    Profile,
    /// A member's `expertise` and `learning`.
    Topics,
    /// A member's profile `links`.
    Contacts,
    /// Front matter keys practica does not know, kept for templates.
    Extra,
    /// `language`: the `lang` its page and its cards are marked with.
    Language,
    Draft,
    /// A toolkit's `items`: its documents, their order and parts.
    Items,
    /// A toolkit's `audience`.
    Audience,
}

impl Fact {
    pub(crate) const ALL: [Fact; 21] = [
        Fact::Kind,
        Fact::Title,
        Fact::Summary,
        Fact::Tags,
        Fact::Dates,
        Fact::Status,
        Fact::Review,
        Fact::Owner,
        Fact::Authors,
        Fact::Cites,
        Fact::Links,
        Fact::Headings,
        Fact::Body,
        Fact::Profile,
        Fact::Topics,
        Fact::Contacts,
        Fact::Extra,
        Fact::Language,
        Fact::Draft,
        Fact::Items,
        Fact::Audience,
    ];

    const fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// A set of facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Facts(u32);

impl Facts {
    pub(crate) const NONE: Facts = Facts(0);
    pub(crate) const ALL: Facts = Facts::of(&Fact::ALL);

    pub(crate) const fn of(facts: &[Fact]) -> Facts {
        let mut bits = 0;
        let mut at = 0;
        while at < facts.len() {
            bits |= facts[at].bit();
            at += 1;
        }
        Facts(bits)
    }

    pub(crate) const fn union(self, other: Facts) -> Facts {
        Facts(self.0 | other.0)
    }

    pub(crate) const fn without(self, other: Facts) -> Facts {
        Facts(self.0 & !other.0)
    }

    pub(crate) fn has(self, fact: Fact) -> bool {
        self.0 & fact.bit() != 0
    }

    /// Whether the two sets share a fact.
    pub(crate) fn meets(self, other: Facts) -> bool {
        self.0 & other.0 != 0
    }

    /// Whether every fact of this set is in `other`.
    pub(crate) fn within(self, other: Facts) -> bool {
        self.without(other) == Facts::NONE
    }

    /// The facts that differ between two readings of one source file.
    pub(crate) fn between(old: &Document, new: &Document) -> Facts {
        if std::ptr::eq(old, new) {
            return Facts::NONE;
        }
        let same_file = (old.kind, &old.slug, &old.source, &old.url)
            == (new.kind, &new.slug, &new.source, &new.url);
        if !same_file {
            return Facts::ALL;
        }
        differences(old, new)
            .into_iter()
            .filter(|&(_, differs)| differs)
            .fold(Facts::NONE, |facts, (fact, _)| {
                facts.union(Facts::of(&[fact]))
            })
    }
}

/// Each fact with whether it differs between two readings of one file.
/// Every field of a document is named here, so that a new field does not
/// compile until it is given a fact. Positions (`body_line`, the spans of
/// slugs and links) are no fact: only diagnostics show them, and `serve`
/// takes no shortcut for a file with diagnostics.
fn differences(old: &Document, new: &Document) -> [(Fact, bool); 20] {
    let Document {
        kind: _,
        slug: _,
        source: _,
        url: _,
        front,
        body,
        body_line: _,
        scan,
    } = new;
    let FrontMatter {
        title,
        summary: _,
        tags,
        authors,
        date,
        updated,
        draft,
        status,
        review_by,
        language,
        image,
        owner,
        practices,
        expertise,
        learning,
        mentor,
        role,
        organization,
        links,
        git,
        audience,
        items,
        extra,
    } = front;
    let Scan {
        headings,
        links: body_links,
        words,
        first_paragraph: _,
        text,
        anchors,
        html_links,
        wiki_texts,
    } = scan;
    let (was, scanned) = (&old.front, &old.scan);
    [
        (Fact::Title, was.title != *title),
        // Read through `summary()`: the summary, else the first paragraph.
        (Fact::Summary, old.summary() != new.summary()),
        (Fact::Tags, !same_slugs(&was.tags, tags)),
        (Fact::Dates, (was.date, was.updated) != (*date, *updated)),
        (Fact::Status, was.status != *status),
        // Its date, not where it is written.
        (
            Fact::Review,
            was.review_by.map(|d| d.date) != review_by.map(|d| d.date),
        ),
        (
            Fact::Owner,
            !same_slugs(was.owner.as_slice(), owner.as_slice()),
        ),
        (Fact::Authors, !same_slugs(&was.authors, authors)),
        (Fact::Cites, !same_slugs(&was.practices, practices)),
        // Raw HTML's addresses are only checked, but a change must be
        // checked again, as a markdown link's is; `image` is resolved as
        // a link is.
        (
            Fact::Links,
            !same_destinations(&scanned.links, body_links)
                || !same_destinations(&scanned.html_links, html_links)
                || was.image.as_ref().map(|i| &i.text) != image.as_ref().map(|i| &i.text),
        ),
        (
            Fact::Headings,
            scanned.headings != *headings || scanned.anchors != *anchors,
        ),
        (
            Fact::Body,
            old.body != *body
                || scanned.words != *words
                || scanned.text != *text
                || scanned.wiki_texts != *wiki_texts,
        ),
        (
            Fact::Profile,
            // A member's git names: insights count their commits.
            (&was.role, &was.organization, was.mentor, &was.git)
                != (role, organization, *mentor, git),
        ),
        (
            Fact::Topics,
            !same_slugs(&was.expertise, expertise) || !same_slugs(&was.learning, learning),
        ),
        (Fact::Contacts, was.links != *links),
        (Fact::Extra, was.extra != *extra),
        (Fact::Language, was.language != *language),
        (Fact::Draft, was.draft != *draft),
        (Fact::Items, !same_parts(&was.items, items)),
        (Fact::Audience, was.audience != *audience),
    ]
}

/// Slugs compared by text: their positions move with unrelated lines.
fn same_slugs(a: &[Located], b: &[Located]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.text == y.text)
}

/// Parts compared by their headings and slugs' text, as `same_slugs`.
fn same_parts(a: &[Part], b: &[Part]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.heading == y.heading && same_slugs(&x.items, &y.items))
}

fn same_destinations(a: &[LinkRef], b: &[LinkRef]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.dest == y.dest && x.kind == y.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> Document {
        Document {
            kind: crate::model::document::Kind::Practice,
            slug: "a".into(),
            source: "practices/a.md".into(),
            url: "practices/a/".into(),
            front: FrontMatter::default(),
            body: None,
            body_line: 1,
            scan: Scan::default(),
        }
    }

    #[test]
    fn every_fact_but_the_kind_is_told_by_one_difference() {
        let told: Vec<Fact> = differences(&document(), &document())
            .into_iter()
            .map(|(fact, _)| fact)
            .collect();
        for fact in Fact::ALL {
            let times = told.iter().filter(|&&t| t == fact).count();
            assert_eq!(times, usize::from(fact != Fact::Kind), "{fact:?}");
        }
    }

    #[test]
    fn a_reading_differs_in_the_facts_it_changed_and_another_file_in_all() {
        let old = document();
        let mut new = document();
        new.front.title = "New".into();
        new.front.summary = "Now summarised".into();
        new.body_line = 7;
        let summary = Facts::of(&[Fact::Title, Fact::Summary]);
        assert_eq!(Facts::between(&old, &new), summary);
        assert_eq!(Facts::between(&old, &document()), Facts::NONE);
        new.slug = "b".into();
        assert_eq!(Facts::between(&old, &new), Facts::ALL);
    }
}
