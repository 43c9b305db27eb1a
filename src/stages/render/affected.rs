//! Which pages an edit can change, so `serve` re-renders only those.
//!
//! A page shows a document through its card, its title on a link, or a gap
//! item that names it. So when documents change, the pages to redo are the
//! ones that list them, in the site before the edit and after it: their own
//! pages, their neighbours (links both ways, authors, owner, evidence,
//! related), their tags' pages, their sections, and the pages that gather the
//! whole site (home, topics, gap map, data files).

use std::collections::{BTreeSet, HashMap};

use super::gap_map::GapItem;
use super::view::Views;
use super::{GAPS_JSON, GRAPH_JSON, NOT_FOUND, feeds};
use crate::model::document::Kind;
use crate::stages::link::{DocId, IdVec, Site, Target};

/// One state of the site with the views its pages were made from.
#[derive(Clone, Copy)]
pub(crate) struct State<'a> {
    pub(crate) site: &'a Site,
    pub(crate) views: &'a Views,
}

/// Output paths to re-render after the documents at `changed` (source
/// paths; added, edited or deleted) turned `old` into `new`.
pub(crate) fn affected(old: State, new: State, changed: &BTreeSet<String>) -> BTreeSet<String> {
    let mut paths: BTreeSet<String> = [
        "index.html",
        "tags/index.html",
        "gaps/index.html",
        GAPS_JSON,
        GRAPH_JSON,
    ]
    .map(String::from)
    .into();
    if new.site.config.base_url.is_some() {
        paths.extend(feeds::PATHS.map(String::from));
    }
    paths.insert(section_page(Kind::Member));
    for state in [old, new] {
        paths.extend(showing_documents(state.site, changed));
    }
    paths.extend(showing_changed_gaps(old, new));
    paths.remove(NOT_FOUND);
    paths
}

fn section_page(kind: Kind) -> String {
    format!("{}/index.html", kind.section())
}

fn document_page(site: &Site, id: DocId) -> String {
    format!("{}index.html", site.documents[id].url)
}

fn tag_page(slug: &str) -> String {
    format!("tags/{slug}/index.html")
}

/// Pages of one site state that show any of the changed documents.
fn showing_documents(site: &Site, changed: &BTreeSet<String>) -> BTreeSet<String> {
    let is_changed: IdVec<DocId, bool> = site
        .documents
        .iter()
        .map(|d| changed.contains(&d.source))
        .collect();
    let mut documents: BTreeSet<DocId> = BTreeSet::new();
    let mut tags: BTreeSet<&str> = BTreeSet::new();
    let mut paths = BTreeSet::new();
    for id in is_changed.ids_where(|&changed| changed) {
        documents.extend(neighbours(site, id));
        let front = &site.documents[id].front;
        tags.extend(
            [&front.tags, &front.expertise, &front.learning]
                .into_iter()
                .flatten()
                .map(|t| t.text.as_str()),
        );
        paths.insert(section_page(site.documents[id].kind));
        // Mentors appear on the pages of members learning what they know.
        for tag in front.expertise.iter().filter_map(|t| site.tag(&t.text)) {
            documents.extend(&tag.learners);
        }
    }
    documents.extend(listing_changed(site, &is_changed));
    let parents: Vec<&str> = tags
        .iter()
        .filter_map(|slug| site.tag(slug)?.parent.as_deref())
        .collect();
    tags.extend(parents);
    paths.extend(documents.into_iter().map(|id| document_page(site, id)));
    paths.extend(tags.into_iter().map(tag_page));
    paths
}

/// A document and everything its page lists or that lists it directly.
fn neighbours(site: &Site, id: DocId) -> Vec<DocId> {
    let relations = &site.relations[id];
    let linked = relations.targets.iter().filter_map(|t| match t {
        Target::Document { id, .. } => Some(*id),
        _ => None,
    });
    let lists = [
        &relations.backlinks,
        &relations.authors,
        &relations.contributions,
        &relations.cites,
        &relations.evidence,
        &relations.related,
    ];
    std::iter::once(id)
        .chain(linked)
        .chain(relations.owner)
        .chain(lists.into_iter().flatten().copied())
        .collect()
}

/// Documents whose related list or owner names a changed document; these
/// relations are not kept in both directions.
fn listing_changed(site: &Site, is_changed: &IdVec<DocId, bool>) -> Vec<DocId> {
    site.relations
        .ids_where(|r| {
            r.related.iter().any(|&other| is_changed[other])
                || r.owner.is_some_and(|owner| is_changed[owner])
        })
        .collect()
}

/// Tag pages and member pages whose gap items differ between the states.
fn showing_changed_gaps(old: State, new: State) -> BTreeSet<String> {
    let by_tag = |views: &Views| {
        let mut items: HashMap<String, Vec<GapItem>> = HashMap::new();
        for item in &views.gaps {
            if let Some(tag) = &item.tag {
                items.entry(tag.clone()).or_default().push(item.clone());
            }
        }
        items
    };
    let (before, after) = (by_tag(old.views), by_tag(new.views));
    let tags: BTreeSet<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|tag| before.get(*tag) != after.get(*tag))
        .collect();
    let mut paths = BTreeSet::new();
    for slug in tags {
        paths.insert(tag_page(slug));
        for state in [old, new] {
            if let Some(tag) = state.site.tag(slug) {
                paths.extend(tag.experts.iter().map(|&m| document_page(state.site, m)));
            }
        }
    }
    paths
}
