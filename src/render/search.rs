//! The search index, split so that a reader's first query downloads little.
//!
//! Files under `search/`, all JavaScript that registers data with the page's
//! search script, because `<script>` loads from `file://` where `fetch` may not:
//! - `meta.js`: the shard names, each document's kind, the tag names;
//! - `s/<prefix>.js`: one shard per two-letter word prefix, every word with
//!   its best documents and scores as `[step, score, …]`, where each step
//!   adds to the previous document id (a query reads one shard per word);
//! - `d/<id>.js`: one document's title, address, tags, summary and text, fetched
//!   only for the results on screen (for the snippet);
//! - `doc-tags.js`: each document's tags, loaded when a reader filters by tag.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;
use unicode_normalization::UnicodeNormalization;

use super::OutputFile;
use super::view::href;
use crate::document::{Document, Kind};
use crate::link::{DocId, Site};

pub const DIR: &str = "search";
/// Words are sharded by their first this many characters.
const PREFIX: usize = 2;
/// A word lists at most this many documents, the best first: enough to rank a
/// page of results, and it keeps shards of common words small.
pub const POSTINGS_KEPT: usize = 300;
/// Characters of body text kept per document for result snippets.
const TEXT_KEPT: usize = 2_500;

/// Scores of where a word occurs; a title match outranks anything else.
const IN_TITLE: u32 = 100;
const IN_TAG: u32 = 30;
const IN_HEADING: u32 = 20;
const IN_SUMMARY: u32 = 10;
/// Body occurrences count once each, up to this many.
const BODY_CAP: u32 = 10;

/// Lower case with accents removed, as the search script folds queries.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Folded words of two characters or more.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
}

/// The shard a word (or a typed prefix of one) lives in.
pub fn shard_of(word: &str) -> String {
    let prefix: String = word.chars().take(PREFIX).collect();
    if prefix.chars().all(|c| c.is_ascii_alphanumeric()) {
        prefix
    } else {
        let hex: String = prefix.bytes().map(|b| format!("{b:02x}")).collect();
        format!("u{hex}")
    }
}

fn kind_letter(kind: Kind) -> char {
    match kind {
        Kind::Practice => 'p',
        Kind::Guide => 'g',
        Kind::CaseStudy => 'c',
        Kind::Member => 'm',
    }
}

/// Every word of a document with its score.
pub fn scored_words(site: &Site, doc: &Document) -> BTreeMap<String, u32> {
    let mut scores: BTreeMap<String, u32> = BTreeMap::new();
    let mut add = |text: &str, weight: u32, cap: u32| {
        let mut seen: BTreeMap<String, u32> = BTreeMap::new();
        for word in words(text) {
            let count = seen.entry(word).or_default();
            if *count < cap {
                *count += 1;
            }
        }
        for (word, count) in seen {
            *scores.entry(word).or_default() += weight * count;
        }
    };
    add(&doc.front.title, IN_TITLE, 1);
    let tag_titles = [&doc.front.tags, &doc.front.expertise]
        .into_iter()
        .flatten()
        .map(|t| {
            site.tag(&t.text)
                .map_or(t.text.as_str(), |t| t.title.as_str())
        })
        .collect::<Vec<_>>()
        .join(" ");
    add(&tag_titles, IN_TAG, 1);
    let headings: Vec<&str> = doc.scan.headings.iter().map(|h| h.text.as_str()).collect();
    add(&headings.join(" "), IN_HEADING, 1);
    add(doc.summary(), IN_SUMMARY, 1);
    add(&doc.scan.text, 1, BODY_CAP);
    scores
}

/// The index in memory; `serve` keeps it and replaces single documents.
#[derive(Default)]
pub struct SearchIndex {
    /// Scored words of each document, by `DocId`; drafts have none.
    documents: Vec<BTreeMap<String, u32>>,
    /// Word → (document, score), every document.
    postings: BTreeMap<String, BTreeMap<DocId, u32>>,
}

impl SearchIndex {
    pub fn new(site: &Site) -> SearchIndex {
        let mut index = SearchIndex {
            documents: vec![BTreeMap::new(); site.documents.len()],
            postings: BTreeMap::new(),
        };
        let scored: Vec<BTreeMap<String, u32>> = {
            use rayon::prelude::*;
            site.documents
                .par_iter()
                .map(|doc| indexed(site, doc))
                .collect()
        };
        for (id, words) in scored.into_iter().enumerate() {
            index.insert(id, words);
        }
        index
    }

    fn insert(&mut self, id: DocId, words: BTreeMap<String, u32>) {
        for (word, score) in &words {
            self.postings
                .entry(word.clone())
                .or_default()
                .insert(id, *score);
        }
        self.documents[id] = words;
    }

    fn remove(&mut self, id: DocId) -> BTreeMap<String, u32> {
        let words = std::mem::take(&mut self.documents[id]);
        for word in words.keys() {
            if let Some(list) = self.postings.get_mut(word) {
                list.remove(&id);
                if list.is_empty() {
                    self.postings.remove(word);
                }
            }
        }
        words
    }

    /// Indexes the documents `ids` again (their ids unchanged) and returns
    /// the files that changed: their own, the shards of words they gained or
    /// lost, and the document tables.
    pub fn replace(&mut self, site: &Site, ids: &[DocId]) -> Vec<OutputFile> {
        let mut shards = BTreeSet::new();
        for &id in ids {
            let old = self.remove(id);
            let new = indexed(site, &site.documents[id]);
            let changed = old
                .iter()
                .filter(|(w, s)| new.get(*w) != Some(s))
                .chain(new.iter().filter(|(w, s)| old.get(*w) != Some(s)))
                .map(|(w, _)| shard_of(w));
            shards.extend(changed);
            self.insert(id, new);
        }
        let mut files = self.tables(site);
        files.extend(ids.iter().filter_map(|&id| document_file(site, id)));
        files.extend(self.shards(Some(&shards)));
        files
    }

    /// Every file of the index.
    pub fn files(&self, site: &Site) -> Vec<OutputFile> {
        let mut files = self.tables(site);
        files.extend((0..site.documents.len()).filter_map(|id| document_file(site, id)));
        files.extend(self.shards(None));
        files
    }

    /// The paths of every file of the index.
    pub fn paths(&self, site: &Site) -> BTreeSet<String> {
        let mut paths: BTreeSet<String> = [META, DOC_TAGS].map(|p| format!("{DIR}/{p}")).into();
        paths.extend(self.shard_names().into_iter().map(|s| shard_path(&s)));
        paths.extend(
            (0..site.documents.len())
                .filter(|&id| !site.documents[id].front.draft)
                .map(document_path),
        );
        paths
    }

    fn shard_names(&self) -> BTreeSet<String> {
        self.postings.keys().map(|w| shard_of(w)).collect()
    }

    fn shards(&self, only: Option<&BTreeSet<String>>) -> Vec<OutputFile> {
        let mut grouped: BTreeMap<String, serde_json::Map<String, serde_json::Value>> =
            BTreeMap::new();
        for name in only.cloned().unwrap_or_default() {
            grouped.entry(name).or_default();
        }
        for (word, documents) in &self.postings {
            let shard = shard_of(word);
            if only.is_some_and(|set| !set.contains(&shard)) {
                continue;
            }
            let mut best: Vec<(DocId, u32)> = documents.iter().map(|(&d, &s)| (d, s)).collect();
            best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            best.truncate(POSTINGS_KEPT);
            // In id order, each id as the step from the one before: short numbers.
            best.sort_unstable();
            let mut previous = 0;
            let flat: Vec<usize> = best
                .into_iter()
                .flat_map(|(d, s)| {
                    let step = d - previous;
                    previous = d;
                    [step, s as usize]
                })
                .collect();
            grouped
                .entry(shard)
                .or_default()
                .insert(word.clone(), json!(flat));
        }
        grouped
            .into_iter()
            .map(|(name, words)| script(&shard_path(&name), "shard", &json!([name, words])))
            .collect()
    }

    /// `meta.js` and `doc-tags.js`.
    fn tables(&self, site: &Site) -> Vec<OutputFile> {
        let kinds: String = site
            .documents
            .iter()
            .map(|d| {
                if d.front.draft {
                    '-'
                } else {
                    kind_letter(d.kind)
                }
            })
            .collect();
        let tags: Vec<serde_json::Value> = site
            .tags
            .iter()
            .map(|t| json!([t.slug, t.title, t.documents.len()]))
            .collect();
        let meta = json!({
            "version": 1,
            "shards": self.shard_names(),
            "kinds": kinds,
            "tags": tags,
            "postingsKept": POSTINGS_KEPT,
        });
        let doc_tags: Vec<Vec<usize>> = site
            .documents
            .iter()
            .map(|d| {
                d.front
                    .tags
                    .iter()
                    .filter_map(|t| site.tag_position(&t.text))
                    .collect()
            })
            .collect();
        vec![
            script(&format!("{DIR}/{META}"), "meta", &meta),
            script(&format!("{DIR}/{DOC_TAGS}"), "docTags", &json!(doc_tags)),
        ]
    }
}

const META: &str = "meta.js";
const DOC_TAGS: &str = "doc-tags.js";

fn indexed(site: &Site, doc: &Document) -> BTreeMap<String, u32> {
    if doc.front.draft {
        BTreeMap::new()
    } else {
        scored_words(site, doc)
    }
}

fn shard_path(name: &str) -> String {
    format!("{DIR}/s/{name}.js")
}

fn document_path(id: DocId) -> String {
    format!("{DIR}/d/{id}.js")
}

fn document_file(site: &Site, id: DocId) -> Option<OutputFile> {
    let doc = &site.documents[id];
    if doc.front.draft {
        return None;
    }
    let tags: Vec<&str> = doc
        .front
        .tags
        .iter()
        .map(|t| {
            site.tag(&t.text)
                .map_or(t.text.as_str(), |t| t.title.as_str())
        })
        .collect();
    let text: String = doc.scan.text.chars().take(TEXT_KEPT).collect();
    let value = json!({
        "title": doc.front.title,
        "url": href(&doc.url, site.config.pretty_links),
        "kind": doc.kind,
        "label": doc.kind.label(),
        "tags": tags,
        "summary": doc.summary(),
        "text": text,
    });
    Some(script(&document_path(id), "doc", &json!([id, value])))
}

/// `practicaSearch.NAME(DATA);` — data registered with the page's script.
fn script(path: &str, name: &str, data: &serde_json::Value) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        content: format!("practicaSearch.{name}({data});\n").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_case_and_accents_and_drop_single_letters() {
        let found: Vec<String> = words("Café au LAIT, a Zürich-style crème brûlée").collect();
        assert_eq!(
            found,
            ["cafe", "au", "lait", "zurich", "style", "creme", "brulee"]
        );
    }

    #[test]
    fn shards_are_named_by_the_first_two_characters() {
        assert_eq!(shard_of("community"), "co");
        assert_eq!(shard_of("x"), "x");
        assert_eq!(shard_of("ßx"), "uc39f78");
        assert_eq!(shard_of("пр"), "ud0bfd180");
    }
}
