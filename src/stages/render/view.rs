//! What templates see: plain serialisable views of the site model, with
//! every URL relative to the site root (templates prefix them with `root`).

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use serde_json::{Map, Value};

use super::affected::{card_kept, member_summary_kept};
use super::facts::{Edits, Facts};
use crate::model::document::{Document, Kind, ProfileLink, Status};
use crate::model::facts::Fact;
use crate::stages::config::Evidence;
use crate::stages::labels::Labels;
use crate::stages::link::{DocId, IdVec, Site, Tag, TagId, Target};
use crate::support::markdown::Heading;

/// A page's address as linked from other pages: a folder, or its
/// `index.html` so links also work from `file://` and hosts without index files.
pub(crate) fn href(folder: &str, pretty: bool) -> String {
    if pretty {
        folder.to_string()
    } else {
        format!("{folder}index.html")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct TagLink {
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct DateView {
    pub(crate) iso: String,
    /// In the community's language: "5 March 2024", "5 mars 2024".
    pub(crate) display: String,
    /// `<time datetime="…">…</time>`, for labels with a `{date}`.
    pub(crate) html: String,
}

impl DateView {
    pub(crate) fn of(date: Option<jiff::civil::Date>, labels: &Labels) -> Option<DateView> {
        date.map(|d| {
            let display = labels.date(d);
            DateView {
                html: format!("<time datetime=\"{d}\">{}</time>", escape_text(&display)),
                iso: d.to_string(),
                display,
            }
        })
    }
}

/// `text` escaped for HTML: a label written in community.yaml may hold `<`.
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A document as it appears in lists: cards, backlinks, related, tag pages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Card {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) kind: Kind,
    pub(crate) kind_label: String,
    pub(crate) summary: String,
    /// The summary cut at a word boundary for cards and meta descriptions.
    pub(crate) short_summary: String,
    pub(crate) date: Option<DateView>,
    /// Whether `date` is the `updated` date rather than the publication date.
    pub(crate) updated: bool,
    pub(crate) status: Option<Status>,
    pub(crate) tags: Vec<TagLink>,
    /// Members: their role and whether they mentor.
    pub(crate) role: Option<String>,
    pub(crate) mentor: bool,
    /// The document's `language` where it is not the community's, for the
    /// card's `lang`.
    pub(crate) language: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TagSummary {
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) url: String,
    pub(crate) parent: Option<TagLink>,
    pub(crate) declared: bool,
    pub(crate) archived: bool,
    pub(crate) documents: usize,
    pub(crate) practices: usize,
    pub(crate) guides: usize,
    pub(crate) case_studies: usize,
    pub(crate) experts: usize,
    pub(crate) mentors: usize,
    pub(crate) learners: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Group {
    pub(crate) title: String,
    pub(crate) kind: Kind,
    pub(crate) url: String,
    /// The first `page_size` of the group…
    pub(crate) documents: Vec<CardValue>,
    /// …of this many.
    pub(crate) total: usize,
}

/// A [`Card`] already converted for templates. Tera shares a value's data
/// instead of copying it, so a card is converted once per build however many
/// pages list it (converting cards per page was a tenth of rendering).
pub(crate) type CardValue = tera::Value;

/// The full view of one document page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageView {
    pub(crate) kind: Kind,
    pub(crate) kind_label: String,
    /// The absolute address of its `image`, for shared links.
    pub(crate) image: Option<String>,
    /// Its section's name, `Case studies`.
    pub(crate) section_title: String,
    pub(crate) slug: String,
    pub(crate) title: String,
    /// The front matter's `summary` only: a page shows its first
    /// paragraph once, in the body, never again as the lead.
    pub(crate) summary: String,
    pub(crate) short_summary: String,
    /// The page's `lang`: the document's `language`, else the community's.
    pub(crate) language: String,
    pub(crate) url: String,
    pub(crate) source: String,
    pub(crate) date: Option<DateView>,
    pub(crate) updated: Option<DateView>,
    pub(crate) review_by: Option<DateView>,
    /// `review_by` has passed by the build date: the page says so.
    pub(crate) review_overdue: bool,
    /// schema.org JSON-LD (an Article, a member's Person), ready for a
    /// `<script type="application/ld+json">`.
    pub(crate) structured_data: String,
    pub(crate) status: Option<Status>,
    pub(crate) owner: Option<CardValue>,
    pub(crate) tags: Vec<TagLink>,
    pub(crate) authors: Vec<CardValue>,
    /// The body's HTML, converted for templates by whoever made it, so a
    /// large body is not copied once more when the view is.
    pub(crate) content: tera::Value,
    pub(crate) toc: Vec<Heading>,
    pub(crate) words: usize,
    pub(crate) reading_minutes: usize,
    /// The newest of the documents linking here, `page_size` of them…
    pub(crate) backlinks: Vec<CardValue>,
    /// …of this many.
    pub(crate) backlinks_total: usize,
    /// Practices: the documents citing it that count as evidence
    /// (`gaps.evidence`, as the gap rules count them)…
    pub(crate) evidence: Vec<CardValue>,
    /// …and the others that cite it.
    pub(crate) cited_by: Vec<CardValue>,
    /// What counts as evidence, in words: "case studies".
    pub(crate) evidence_kinds: String,
    pub(crate) cites: Vec<CardValue>,
    pub(crate) related: Vec<CardValue>,
    pub(crate) edit_url: Option<String>,
    pub(crate) extra: Map<String, Value>,
    pub(crate) expertise: Vec<TagLink>,
    pub(crate) learning: Vec<TagLink>,
    pub(crate) mentor: bool,
    pub(crate) role: Option<String>,
    pub(crate) organization: Option<String>,
    pub(crate) links: Vec<ProfileLink>,
    pub(crate) contributions: Vec<CardValue>,
    /// Members: gaps in topics they know well, which they could close.
    pub(crate) can_help: Vec<super::gap_map::GapItem>,
    /// Members: for each topic they are learning, the mentors who know it.
    pub(crate) help_from: Vec<HelpFrom>,
    /// Toolkits: their parts and items in reading order.
    pub(crate) toolkit: Option<super::toolkit::ToolkitView>,
    /// Where the document stands in each toolkit that holds it.
    pub(crate) positions: Vec<super::toolkit::Position>,
    /// The newer and older documents of its section, as its list orders them.
    pub(crate) newer: Option<CardValue>,
    pub(crate) older: Option<CardValue>,
    /// Members: the toolkits they keep current.
    pub(crate) kept_toolkits: Vec<CardValue>,
}

/// Each document's neighbours in its section's list (`sections`, in
/// `Kind::ALL`'s order); members, listed by name, have none.
fn section_steps(
    site: &Site,
    sections: &[Vec<DocId>; Kind::ALL.len()],
) -> IdVec<DocId, [Option<DocId>; 2]> {
    let mut steps = IdVec::from(vec![[None, None]; site.documents.len()]);
    for (kind, ids) in Kind::ALL.into_iter().zip(sections) {
        if kind == Kind::Member {
            continue;
        }
        for (at, &id) in ids.iter().enumerate() {
            steps[id] = [at.checked_sub(1).map(|n| ids[n]), ids.get(at + 1).copied()];
        }
    }
    steps
}

/// A member as the member directory lists them: who, what they know, whether they mentor.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MemberSummary {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) summary: String,
    pub(crate) short_summary: String,
    pub(crate) role: Option<String>,
    pub(crate) organization: Option<String>,
    pub(crate) mentor: bool,
    pub(crate) expertise: Vec<TagLink>,
    pub(crate) learning: Vec<TagLink>,
    pub(crate) language: Option<String>,
}

impl MemberSummary {
    pub(crate) fn of(site: &Site, id: DocId) -> MemberSummary {
        let doc = &site.documents[id];
        let pretty = site.config.pretty_links;
        let links = |tags: &[crate::support::fields::Located]| {
            tag_links(site, tags.iter().map(|t| t.text.as_str()), pretty)
        };
        MemberSummary {
            title: doc.front.title.clone(),
            url: href(&doc.url, pretty),
            summary: doc.summary().to_string(),
            short_summary: shorten(doc.summary(), 180),
            role: doc.front.role.clone(),
            organization: doc.front.organization.clone(),
            mentor: doc.front.mentor,
            expertise: links(&doc.front.expertise),
            learning: links(&doc.front.learning),
            language: own_language(site, doc),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct HelpFrom {
    pub(crate) tag: TagLink,
    pub(crate) mentors: Vec<CardValue>,
}

/// An earlier state of the site, its views, and what was edited since.
pub(crate) struct Earlier<'a> {
    pub(crate) site: &'a Site,
    pub(crate) views: &'a Views,
    pub(crate) edits: &'a Edits,
}

/// Cards and tag links computed once and cloned into each page's view.
pub(crate) struct Views {
    pub(crate) cards: IdVec<DocId, CardValue>,
    /// Each member's entry in the member directory, converted once like
    /// the cards (`none` for other kinds).
    pub(crate) members: IdVec<DocId, CardValue>,
    pub(crate) tags: IdVec<TagId, TagSummary>,
    /// Ranked gaps, filled in once the cards exist (see `gap_map::items`).
    pub(crate) gaps: Vec<super::gap_map::GapItem>,
    /// Per-document findings in all, of which `gaps` holds the first few.
    pub(crate) document_gap_count: usize,
    /// The build date pages are judged by (overdue reviews), as the gaps' are.
    pub(crate) today: jiff::civil::Date,
    /// Each section's documents in its list's order, by `Kind::ALL`'s
    /// order (`shows::section_order`, sorted once for every page).
    sections: [Vec<DocId>; Kind::ALL.len()],
    /// Each document's newer and older neighbour in its section's list
    /// (`shows::section_neighbours`, for all documents at once).
    pub(crate) section_steps: IdVec<DocId, [Option<DocId>; 2]>,
    /// The /insights/ page, when the run made it (`build`, `serve`).
    pub(crate) insights: Option<std::sync::Arc<crate::stages::insights::PageView>>,
}

impl Views {
    /// The views of `site`, taking from an earlier state's views (`serve`
    /// after an edit) each card and member summary that still shows its
    /// document (`card_kept`). Besides their documents they show only tag
    /// titles, which change only with `community.yaml`, and that rebuilds
    /// everything.
    pub(crate) fn reusing(
        site: &Site,
        earlier: Option<Earlier>,
        today: jiff::civil::Date,
    ) -> Views {
        let pretty = site.config.pretty_links;
        let tags = site
            .tags
            .iter()
            .map(|t| tag_summary(site, t, pretty))
            .collect();
        // With the same documents, ids are the same: no map of 10,000 paths.
        let same_documents = earlier
            .as_ref()
            .is_some_and(|e| e.site.same_documents(site, |_, _| true));
        let earlier_ids: FxHashMap<&str, DocId> = earlier
            .iter()
            .filter(|_| !same_documents)
            .flat_map(|e| e.site.documents.iter_enumerated())
            .map(|(id, d)| (d.source.as_str(), id))
            .collect();
        let (cards, members): (Vec<CardValue>, Vec<CardValue>) = site
            .documents
            .par_iter_enumerated()
            .map(|(id, d)| {
                // The earlier views of this document, if they still show it.
                let kept = |still_shows: fn(Facts) -> bool| {
                    let e = earlier.as_ref()?;
                    let was = match same_documents {
                        true => id,
                        false => *earlier_ids.get(d.source.as_str())?,
                    };
                    still_shows(e.edits.facts(&d.source)).then_some((e.views, was))
                };
                let card = match kept(card_kept) {
                    Some((views, was)) => views.cards[was].clone(),
                    None => CardValue::from_serializable(&card(site, d, pretty)),
                };
                let member = match kept(member_summary_kept) {
                    Some((views, was)) => views.members[was].clone(),
                    None if d.kind == Kind::Member => {
                        CardValue::from_serializable(&MemberSummary::of(site, id))
                    }
                    None => CardValue::none(),
                };
                (card, member)
            })
            .unzip();
        // Lists are in newest-first order, members by name: the same
        // while no title or date changed.
        let order = Facts::of(&[Fact::Title, Fact::Dates]);
        let same_order = earlier.as_ref().filter(|e| {
            same_documents
                && e.site.rank == site.rank
                && e.edits.iter().all(|(_, f)| !f.meets(order))
        });
        let (sections, section_steps) = match same_order {
            Some(e) => (e.views.sections.clone(), e.views.section_steps.clone()),
            None => {
                let sections = Kind::ALL.map(|kind| super::shows::section_order(site, kind));
                let steps = section_steps(site, &sections);
                (sections, steps)
            }
        };
        Views {
            cards: cards.into(),
            members: members.into(),
            tags,
            gaps: Vec::new(),
            document_gap_count: 0,
            today,
            section_steps,
            sections,
            insights: None,
        }
    }

    /// A section's documents in its list's order: members by name, the
    /// others newest first.
    pub(crate) fn section(&self, kind: Kind) -> &[DocId] {
        let at = Kind::ALL
            .iter()
            .position(|&k| k == kind)
            .unwrap_or_default();
        &self.sections[at]
    }

    pub(crate) fn cards(&self, ids: &[DocId]) -> Vec<CardValue> {
        ids.iter().map(|&id| self.cards[id].clone()).collect()
    }

    pub(crate) fn page(&self, site: &Site, id: DocId, content: tera::Value) -> PageView {
        let doc = &site.documents[id];
        let relations = &site.relations[id];
        let pretty = site.config.pretty_links;
        let toc = toc_headings(doc)
            .take(TOC_KEPT)
            .cloned()
            .collect::<Vec<_>>();
        let words = doc.scan.words;
        let (evidence, cited_by): (Vec<DocId>, Vec<DocId>) = relations
            .evidence
            .iter()
            .partition(|&&e| site.config.gaps.evidence.counts(site.documents[e].kind));
        PageView {
            kind: doc.kind,
            kind_label: site.config.labels.kind(doc.kind).to_string(),
            section_title: site.config.labels.kinds(doc.kind).to_string(),
            slug: doc.slug.clone(),
            title: doc.front.title.clone(),
            summary: doc.front.summary.clone(),
            short_summary: description(site, doc, &relations.authors),
            structured_data: structured_data(site, id, &relations.authors),
            image: image_address(site, id),
            language: doc
                .front
                .language
                .clone()
                .unwrap_or_else(|| site.config.language.clone()),
            url: href(&doc.url, pretty),
            source: doc.source.clone(),
            date: DateView::of(doc.front.date, &site.config.labels),
            updated: DateView::of(doc.front.updated, &site.config.labels),
            review_by: DateView::of(doc.front.review_by.map(|d| d.date), &site.config.labels),
            review_overdue: doc.front.review_overdue(self.today).is_some(),
            status: doc.front.status,
            owner: relations.owner.map(|o| self.cards[o].clone()),
            tags: tag_links(site, doc.front.tags.iter().map(|t| t.text.as_str()), pretty),
            authors: self.cards(&relations.authors),
            content,
            toc: if toc.len() >= 3 { toc } else { Vec::new() },
            words,
            reading_minutes: words.div_ceil(200).max(1),
            backlinks: self.cards(&newest(site, &relations.backlinks)),
            backlinks_total: relations.backlinks.len(),
            evidence: self.cards(&evidence),
            cited_by: self.cards(&cited_by),
            evidence_kinds: evidence_kinds(site),
            cites: self.cards(&relations.cites),
            related: self.cards(&relations.related),
            edit_url: site.config.edit_link(&doc.source),
            extra: doc.front.extra.clone(),
            expertise: tag_links(
                site,
                doc.front.expertise.iter().map(|t| t.text.as_str()),
                pretty,
            ),
            learning: tag_links(
                site,
                doc.front.learning.iter().map(|t| t.text.as_str()),
                pretty,
            ),
            mentor: doc.front.mentor,
            role: doc.front.role.clone(),
            organization: doc.front.organization.clone(),
            links: doc.front.links.clone(),
            contributions: self.cards(&relations.contributions),
            can_help: self
                .gaps
                .iter()
                .filter(|g| {
                    g.tag
                        .as_ref()
                        .is_some_and(|t| doc.front.expertise.iter().any(|e| &e.text == t))
                })
                .map(|g| g.without(id, &site.config.labels))
                .collect(),
            help_from: doc
                .front
                .learning
                .iter()
                .filter_map(|t| site.tag(&t.text))
                .map(|tag| HelpFrom {
                    tag: TagLink {
                        slug: tag.slug.clone(),
                        title: tag.title.clone(),
                        url: tag_url(&tag.slug, pretty),
                    },
                    mentors: self.cards(
                        &tag.mentors
                            .iter()
                            .copied()
                            .filter(|&m| m != id)
                            .collect::<Vec<_>>(),
                    ),
                })
                .collect(),
            toolkit: (doc.kind == Kind::Toolkit).then(|| super::toolkit::view(site, self, id)),
            positions: super::toolkit::positions(site, self, id),
            newer: self.section_steps[id][0].map(|n| self.cards[n].clone()),
            older: self.section_steps[id][1].map(|o| self.cards[o].clone()),
            kept_toolkits: match doc.kind {
                Kind::Member => self.cards(&super::toolkit::kept(site, id)),
                _ => Vec::new(),
            },
        }
    }

    /// A tag page's documents grouped by kind, in the order of the sections.
    pub(crate) fn groups(&self, site: &Site, ids: &[DocId]) -> Vec<Group> {
        [Kind::Practice, Kind::Guide, Kind::CaseStudy, Kind::Toolkit]
            .into_iter()
            .map(|kind| {
                let of_kind = ids.iter().filter(|&&id| site.documents[id].kind == kind);
                Group {
                    title: site.config.labels.kinds(kind).to_string(),
                    kind,
                    url: href(&format!("{}/", kind.section()), site.config.pretty_links),
                    documents: of_kind
                        .clone()
                        .take(site.config.page_size.get())
                        .map(|&id| self.cards[id].clone())
                        .collect(),
                    total: of_kind.count(),
                }
            })
            .filter(|g| g.total > 0)
            .collect()
    }
}

/// The newest `page_size` of `ids`: a list on a page is bounded, as a
/// popular document has hundreds of backlinks.
fn newest(site: &Site, ids: &[DocId]) -> Vec<DocId> {
    let mut ids = ids.to_vec();
    site.newest_first(&mut ids);
    ids.truncate(site.config.page_size.get());
    ids
}

/// A table of contents lists at most this many headings: more is no help
/// to a reader, and a generated page of 330,000 headings made 120 MB of
/// template values and 30 MB of HTML from them.
pub(crate) const TOC_KEPT: usize = 1_000;

/// The headings a table of contents lists, before `TOC_KEPT` cuts them.
pub(crate) fn toc_headings(doc: &Document) -> impl Iterator<Item = &Heading> {
    doc.scan
        .headings
        .iter()
        .filter(|h| (2..=3).contains(&h.level))
}

/// `text` cut to at most `max` characters at a word boundary, with an ellipsis.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let words = cut
        .rsplit_once(char::is_whitespace)
        .map_or(cut.as_str(), |(head, _)| head);
    format!(
        "{}…",
        words.trim_end_matches(|c: char| c.is_whitespace() || ",;:.-–—".contains(c))
    )
}

pub(crate) fn tag_url(slug: &str, pretty: bool) -> String {
    href(&super::shows::Page::tag_folder(slug), pretty)
}

/// A page's meta description: its summary (or first paragraph), else a
/// sentence from its kind, topics and authors, so that no page shares an
/// empty one with every other.
fn description(site: &Site, doc: &Document, authors: &[DocId]) -> String {
    if !doc.summary().is_empty() {
        return shorten(doc.summary(), 200);
    }
    let titles = |slugs: &[crate::support::fields::Located]| -> Vec<String> {
        tag_links(site, slugs.iter().map(|t| t.text.as_str()), false)
            .into_iter()
            .map(|t| t.title)
            .collect()
    };
    let community = &site.config.title;
    let labels = &site.config.labels;
    let mut sentence = match doc.kind {
        Kind::Member => labels
            .get("description_member")
            .replace("{name}", &doc.front.title)
            .replace("{community}", community),
        kind => labels
            .get("description_document")
            .replace("{kind_lower}", &labels.kind(kind).to_lowercase())
            .replace("{kind}", labels.kind(kind))
            .replace("{community}", community),
    };
    let (topics, on) = match doc.kind {
        Kind::Member => (
            titles(&doc.front.expertise),
            labels.get("description_who_knows"),
        ),
        _ => (titles(&doc.front.tags), labels.get("description_on")),
    };
    if !topics.is_empty() {
        sentence += &format!(" {on} {}", joined(labels, &topics));
    }
    let people: Vec<String> = authors
        .iter()
        .map(|&a| site.documents[a].front.title.clone())
        .collect();
    if !people.is_empty() {
        let by = labels.get("description_by");
        sentence += &format!(" {by} {}", joined(labels, &people));
    }
    sentence.push('.');
    shorten(&sentence, 200)
}

/// "A, B and C" in the community's language.
fn joined(labels: &Labels, names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), labels.get("and")),
    }
}

/// The kinds whose documents count as evidence, for "No case studies cite
/// this practice yet": "case studies", "case studies or guides".
fn evidence_kinds(site: &Site) -> String {
    let labels = &site.config.labels;
    let names: Vec<String> = Evidence::KINDS
        .into_iter()
        .filter(|&k| site.config.gaps.evidence.counts(k))
        .map(|k| labels.kinds(k).to_lowercase())
        .collect();
    names.join(&format!(" {} ", labels.get("or")))
}

/// What search engines and link previews read of a document: a member as
/// a schema.org Person, any other document as an Article. `</` is escaped
/// so that no text ends the script element early.
/// The absolute address of the community's `image`, from `base_url`.
pub(crate) fn community_image(site: &Site) -> Option<String> {
    let image = site.config.look.image.as_ref()?;
    Some(format!("{}/{}", site.config.base_url.as_ref()?, image.path))
}

/// The absolute address of a document's `image`, for shared links: an
/// external address as written, a file under static/ from `base_url`
/// (without one, no address a crawler could fetch is known).
fn image_address(site: &Site, id: DocId) -> Option<String> {
    let written = site.documents[id].front.image.as_ref()?;
    match site.relations[id].image.as_ref()? {
        Target::Static(path) => Some(format!("{}/{path}", site.config.base_url.as_ref()?)),
        Target::Unchecked => Some(written.text.trim().to_string()),
        _ => None,
    }
}

fn structured_data(site: &Site, id: DocId, authors: &[DocId]) -> String {
    let doc = &site.documents[id];
    let mut data = Map::new();
    let mut put = |key: &str, value: Value| {
        if !(value.is_null() || value == "" || value == Value::Array(Vec::new())) {
            data.insert(key.to_string(), value);
        }
    };
    put("@context", "https://schema.org".into());
    let description = description(site, doc, authors);
    let topics = |slugs: &[crate::support::fields::Located]| -> Value {
        tag_links(site, slugs.iter().map(|t| t.text.as_str()), false)
            .into_iter()
            .map(|t| Value::String(t.title))
            .collect()
    };
    match doc.kind {
        Kind::Member => {
            put("@type", "Person".into());
            put("name", doc.front.title.clone().into());
            put("description", description.into());
            put("jobTitle", doc.front.role.clone().into());
            put(
                "worksFor",
                doc.front.organization.as_ref().map_or(
                    Value::Null,
                    |o| serde_json::json!({"@type": "Organization", "name": o}),
                ),
            );
            put("knowsAbout", topics(&doc.front.expertise));
        }
        _ => {
            put("@type", "Article".into());
            put("headline", doc.front.title.clone().into());
            put("description", description.into());
            put(
                "datePublished",
                doc.front.date.map(|d| d.to_string()).into(),
            );
            put(
                "dateModified",
                doc.sort_date().map(|d| d.to_string()).into(),
            );
            put(
                "author",
                authors
                    .iter()
                    .map(|&a| serde_json::json!({"@type": "Person", "name": site.documents[a].front.title}))
                    .collect(),
            );
            put("keywords", topics(&doc.front.tags));
            put("image", image_address(site, id).into());
            put(
                "publisher",
                serde_json::json!({"@type": "Organization", "name": site.config.title}),
            );
        }
    }
    put(
        "url",
        site.config
            .base_url
            .as_ref()
            .map(|base| format!("{base}/{}", doc.url))
            .into(),
    );
    Value::Object(data).to_string().replace("</", "<\\/")
}

fn tag_links<'a>(site: &Site, slugs: impl Iterator<Item = &'a str>, pretty: bool) -> Vec<TagLink> {
    slugs
        .map(|slug| TagLink {
            slug: slug.to_string(),
            title: site
                .tag(slug)
                .map_or_else(|| slug.to_string(), |t| t.title.clone()),
            url: tag_url(slug, pretty),
        })
        .collect()
}

fn card(site: &Site, doc: &Document, pretty: bool) -> Card {
    Card {
        title: doc.front.title.clone(),
        url: href(&doc.url, pretty),
        kind: doc.kind,
        kind_label: site.config.labels.kind(doc.kind).to_string(),
        summary: doc.summary().to_string(),
        short_summary: shorten(doc.summary(), 180),
        date: DateView::of(doc.sort_date(), &site.config.labels),
        updated: doc.front.updated.is_some(),
        status: doc.front.status,
        tags: tag_links(site, doc.front.tags.iter().map(|t| t.text.as_str()), pretty),
        role: doc.front.role.clone(),
        mentor: doc.front.mentor,
        language: own_language(site, doc),
    }
}

/// The document's `language` where it differs from the community's.
fn own_language(site: &Site, doc: &Document) -> Option<String> {
    doc.front
        .language
        .clone()
        .filter(|l| !l.eq_ignore_ascii_case(&site.config.language))
}

fn tag_summary(site: &Site, tag: &Tag, pretty: bool) -> TagSummary {
    let count = |kind: Kind| {
        tag.documents
            .iter()
            .filter(|&&id| site.documents[id].kind == kind)
            .count()
    };
    TagSummary {
        slug: tag.slug.clone(),
        title: tag.title.clone(),
        description: tag.description.clone(),
        url: tag_url(&tag.slug, pretty),
        parent: tag.parent.as_ref().map(|p| TagLink {
            slug: p.clone(),
            title: site.tag(p).map_or_else(|| p.clone(), |t| t.title.clone()),
            url: tag_url(p, pretty),
        }),
        declared: tag.declared,
        archived: tag.archived,
        documents: tag.documents.len(),
        practices: count(Kind::Practice),
        guides: count(Kind::Guide),
        case_studies: count(Kind::CaseStudy),
        experts: tag.experts.len(),
        mentors: tag.mentors.len(),
        learners: tag.learners.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_work_from_file_urls_unless_pretty() {
        assert_eq!(href("practices/a/", false), "practices/a/index.html");
        assert_eq!(href("practices/a/", true), "practices/a/");
        assert_eq!(href("", false), "index.html");
    }

    #[test]
    fn summaries_are_cut_between_words() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("one two, three", 10), "one two…");
    }

    #[test]
    fn dates_read_naturally_and_label_text_is_escaped_in_time_elements() {
        let english = Labels::default();
        let date = DateView::of(Some(jiff::civil::date(2024, 3, 5)), &english).unwrap();
        assert_eq!(date.display, "5 March 2024");
        assert_eq!(
            date.html,
            r#"<time datetime="2024-03-05">5 March 2024</time>"#
        );
    }
}
