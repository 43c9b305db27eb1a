//! Which facts (`model::facts`) each edited document changed, for the
//! edits `serve` applies at once; `affected` decides everything about them.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::document::{Document, Kind};
pub(crate) use crate::model::facts::{Fact, Facts};
use crate::stages::link::{DocId, Site};

/// The facts a batch of edits changed, for each source path it touched; a
/// document that came or went changed every fact. Sources whose reading
/// changed no fact are left out.
#[derive(Debug, Default)]
pub(crate) struct Edits(BTreeMap<String, Facts>);

impl Edits {
    /// The edits of `sources` from the documents of `before` to what `now`
    /// says each source holds (`None`: no document of the site).
    pub(crate) fn new<'n>(
        sources: &BTreeSet<String>,
        before: &Site,
        now: impl Fn(&str) -> Option<&'n Document>,
    ) -> Edits {
        let edits = sources
            .iter()
            .map(|source| {
                let facts = match (document_of(before, source), now(source)) {
                    (Some(old), Some(new)) => Facts::between(old, new),
                    (None, None) => Facts::NONE,
                    _ => Facts::ALL,
                };
                (source.clone(), facts)
            })
            .filter(|&(_, facts)| facts != Facts::NONE)
            .collect();
        Edits(edits)
    }

    /// The edits of `sources` from one linked site to the next.
    pub(crate) fn between_sites(sources: &BTreeSet<String>, before: &Site, after: &Site) -> Edits {
        Edits::new(sources, before, |source| document_of(after, source))
    }

    /// The facts the edit of `source` changed; none if it was not edited.
    pub(crate) fn facts(&self, source: &str) -> Facts {
        self.0.get(source).copied().unwrap_or_default()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, Facts)> {
        self.0
            .iter()
            .map(|(source, facts)| (source.as_str(), *facts))
    }

    /// The edited documents that `site` has, by id, with their facts.
    pub(crate) fn in_site(&self, site: &Site) -> Vec<(DocId, Facts)> {
        self.0
            .iter()
            .filter_map(|(source, facts)| Some((id_of(site, source)?, *facts)))
            .collect()
    }
}

/// The document read from `source`, found by halves: documents are sorted
/// by kind (their section, the source's first folder), then source.
fn id_of(site: &Site, source: &str) -> Option<DocId> {
    let kind = Kind::from_section(source.split('/').next()?)?;
    let documents = site.documents.iter().as_slice();
    documents
        .binary_search_by(|d| (d.kind, d.source.as_str()).cmp(&(kind, source)))
        .ok()
        .map(DocId::from_index)
}

fn document_of<'s>(site: &'s Site, source: &str) -> Option<&'s Document> {
    id_of(site, source).map(|id| &*site.documents[id])
}
