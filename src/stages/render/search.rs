//! The search index, split so that a reader's first query downloads little.
//!
//! Files under `search/`, all JavaScript that registers data with the page's
//! search script, because `<script>` loads from `file://` where `fetch` may not:
//! - `meta.js`: the shard names, each document's kind, the tag names;
//! - `s/<prefix>.js`: one shard per two-letter word prefix, every word with
//!   its best documents and scores as `[step, score, …]`, where each step
//!   adds to the previous document id (a query reads one shard per word),
//!   then the shard's words that share a stem, in groups (`fridge`,
//!   `fridges`), so the script finds a word's other forms without a
//!   stemmer of its own;
//! - `d/<id>.js`: one document's title, address, tags, summary and text, fetched
//!   only for the results on screen (for the snippet);
//! - `doc-tags.js`: each document's tags, loaded when a reader filters by tag.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};

use serde_json::json;
use unicode_normalization::UnicodeNormalization;

use super::OutputFile;
use super::view::href;
use crate::model::document::{Document, Kind};
use crate::stages::link::{DocId, IdVec, Site, Target};
use crate::support::markdown::WikiText;

pub(crate) const DIR: &str = "search";
/// Words are sharded by their first this many characters.
const PREFIX: usize = 2;
/// A word lists at most this many documents, the best first: enough to rank a
/// page of results, and it keeps shards of common words small.
pub const POSTINGS_KEPT: usize = 300;
/// Characters of body text kept per document for result snippets.
const TEXT_KEPT: usize = 2_500;
/// A document gives the index at most this many distinct words, the first
/// met (title, tags, headings, summary, then body). A book uses a few tens
/// of thousands; a generated page of a million made the index of its one
/// document 300 MB. Full-text indexers cap likewise (Lucene's field length,
/// OpenGrok's words per file).
pub(crate) const WORDS_KEPT: usize = 50_000;

/// Scores of where a word occurs; a title match outranks anything else.
const IN_TITLE: u32 = 100;
const IN_TAG: u32 = 30;
/// A member's role and organisation.
const IN_PROFILE: u32 = 30;
const IN_HEADING: u32 = 20;
const IN_SUMMARY: u32 = 10;
/// Body occurrences count once each, up to this many.
const BODY_CAP: u32 = 10;

/// Lower case with accents removed, as the search script folds queries.
pub(crate) fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Hands `found` the words of already folded text: runs of letters and
/// digits, two characters or more. Most text is ASCII, and a byte loop
/// splits it in a tenth of the instructions that decoding every character
/// took (a quarter of a build's indexing).
fn each_word<'a>(folded: &'a str, mut found: impl FnMut(&'a str)) {
    if !folded.is_ascii() {
        folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| word.chars().nth(1).is_some())
            .for_each(found);
        return;
    }
    let mut start = 0;
    for (at, byte) in folded.bytes().enumerate() {
        if !byte.is_ascii_alphanumeric() {
            if at - start >= 2 {
                found(&folded[start..at]);
            }
            start = at + 1;
        }
    }
    if folded.len() - start >= 2 {
        found(&folded[start..]);
    }
}

/// The words `each_word` finds, in order.
#[cfg(test)]
fn split_words(folded: &str) -> Vec<&str> {
    let mut words = Vec::new();
    each_word(folded, |word| words.push(word));
    words
}

/// Folded words of two characters or more.
#[cfg(test)]
pub(crate) fn words(text: &str) -> Vec<String> {
    split_words(&fold(text))
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// The shard a word (or a typed prefix of one) lives in: its first
/// characters when they are ASCII letters or digits, borrowed (serve asks
/// this of every word on each edit), else their bytes in hex.
pub(crate) fn shard_of(word: &str) -> Cow<'_, str> {
    let end = word
        .char_indices()
        .nth(PREFIX)
        .map_or(word.len(), |(at, _)| at);
    let prefix = &word[..end];
    if prefix.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Cow::Borrowed(prefix)
    } else {
        let hex: String = prefix.bytes().map(|b| format!("{b:02x}")).collect();
        Cow::Owned(format!("u{hex}"))
    }
}

fn kind_letter(kind: Kind) -> char {
    match kind {
        Kind::Practice => 'p',
        Kind::Guide => 'g',
        Kind::CaseStudy => 'c',
        Kind::Member => 'm',
        Kind::Toolkit => 't',
    }
}

/// What the index reads of a document, not yet folded.
struct Texts<'d> {
    /// Title, tags, profile, headings and summary, each with the score of
    /// a word found there.
    fields: [(Cow<'d, str>, u32); 5],
    body: Cow<'d, str>,
}

fn texts(site: &Site, id: DocId) -> Texts<'_> {
    let doc = &site.documents[id];
    let tag_titles = [&doc.front.tags, &doc.front.expertise]
        .into_iter()
        .flatten()
        .map(|t| {
            site.tag(&t.text)
                .map_or(t.text.as_str(), |t| t.title.as_str())
        })
        .collect::<Vec<_>>()
        .join(" ");
    let headings: Vec<&str> = doc.scan.headings.iter().map(|h| h.text.as_str()).collect();
    Texts {
        fields: [
            (Cow::Borrowed(doc.front.title.as_str()), IN_TITLE),
            (Cow::Owned(tag_titles), IN_TAG),
            (Cow::Owned(profile(doc)), IN_PROFILE),
            (Cow::Owned(headings.join(" ")), IN_HEADING),
            (shown_summary(site, id), IN_SUMMARY),
        ],
        body: shown_text(site, id),
    }
}

/// A member's role and organisation as their page shows them, `·` between;
/// empty for other documents.
fn profile(doc: &Document) -> String {
    [&doc.front.role, &doc.front.organization]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The body's text as its page shows it: a bare `[[wikilink]]` shows its
/// target's title (or a wanted page's name) where the text has the target
/// as typed, so snippets and words are what readers see, never a slug.
/// Borrowed when the body has no such link.
fn shown_text(site: &Site, id: DocId) -> Cow<'_, str> {
    let text = &site.documents[id].scan.text;
    with_titles(site, id, text, |wiki| Some(wiki.range.clone()))
}

/// The summary, or the first paragraph as its page shows it (as
/// `shown_text`).
fn shown_summary(site: &Site, id: DocId) -> Cow<'_, str> {
    let doc = &site.documents[id];
    if !doc.front.summary.is_empty() {
        return Cow::Borrowed(&doc.front.summary);
    }
    with_titles(site, id, &doc.scan.first_paragraph, |wiki| {
        wiki.paragraph.clone()
    })
}

/// `text` (a document's) with each bare wikilink's text, at the place
/// `place` gives, replaced by what its page shows.
fn with_titles<'s>(
    site: &'s Site,
    id: DocId,
    text: &'s str,
    place: impl Fn(&WikiText) -> Option<Range<usize>>,
) -> Cow<'s, str> {
    let doc = &site.documents[id];
    if doc.scan.wiki_texts.is_empty() {
        return Cow::Borrowed(text);
    }
    let targets = &site.relations[id].targets;
    let mut shown = String::with_capacity(text.len());
    let mut at = 0;
    for wiki in &doc.scan.wiki_texts {
        let title = match targets.get(wiki.link) {
            // A link to an anchor of its own page keeps its text, as on the page.
            Some(Target::Document { id: to, anchor }) if *to != id || anchor.is_none() => {
                site.documents[*to].front.title.as_str()
            }
            Some(Target::Wanted(name)) => name.as_str(),
            _ => continue,
        };
        // The text was trimmed, so a place may reach past its end.
        let Some(range) = place(wiki) else { continue };
        let end = range.end.min(text.len());
        let (Some(before), true) = (
            text.get(at..range.start.min(end)),
            text.is_char_boundary(end),
        ) else {
            continue;
        };
        shown.push_str(before);
        shown.push_str(title);
        at = end;
    }
    shown.push_str(text.get(at..).unwrap_or_default());
    Cow::Owned(shown)
}

/// Every word of a document with its score, handed to `found` one word at a
/// time (borrowed, so no word is copied unless the index has not seen it);
/// at most `WORDS_KEPT` of them, and whether others were left out. Drafts
/// have no words.
fn each_scored_word(site: &Site, id: DocId, found: &mut dyn FnMut(&str, u32)) -> bool {
    if site.documents[id].front.draft {
        return false;
    }
    let Texts { fields, body } = texts(site, id);
    let fields = fields.map(|(text, weight)| (fold(&text), weight));
    let body = fold(&body);
    // One map for all fields: a word counts once per field, and once per use
    // in the body up to BODY_CAP (a map per field was most of indexing).
    let mut seen = Seen {
        words: FxHashMap::with_capacity_and_hasher(512, Default::default()),
        left_out: false,
    };
    for (bit, (text, weight)) in fields.iter().enumerate() {
        each_word(text, |word| {
            if let Some(entry) = seen.entry(word)
                && entry.fields & (1 << bit) == 0
            {
                entry.fields |= 1 << bit;
                entry.score += weight;
            }
        });
    }
    each_word(&body, |word| {
        if let Some(entry) = seen.entry(word)
            && entry.body < BODY_CAP
        {
            entry.body += 1;
            entry.score += 1;
        }
    });
    for (word, entry) in seen.words {
        found(word, entry.score);
    }
    seen.left_out
}

/// Whether a document has more distinct words than the index takes
/// (`WORDS_KEPT`), for a warning. Only a long text can, so most documents
/// are not read again for it.
pub(crate) fn words_left_out(site: &Site, id: DocId) -> bool {
    let Texts { fields, body } = texts(site, id);
    let most = fields
        .iter()
        .map(|(text, _)| most_words(text))
        .fold(most_words(&body), usize::saturating_add);
    most > WORDS_KEPT && each_scored_word(site, id, &mut |_, _| {})
}

/// At most how many words `each_word` finds in `text` once folded. A word
/// is two characters and a separator; folding keeps ASCII as it is, and
/// turns a character of two bytes or more into at most two characters a
/// byte (a test checks every character).
fn most_words(text: &str) -> usize {
    if text.is_ascii() {
        text.len().div_ceil(3)
    } else {
        text.len() + 1
    }
}

/// The words of one document as they are scored, at most `WORDS_KEPT`.
struct Seen<'t> {
    words: FxHashMap<&'t str, WordSeen>,
    /// Whether a word was met when there was no room left for it.
    left_out: bool,
}

impl<'t> Seen<'t> {
    fn entry(&mut self, word: &'t str) -> Option<&mut WordSeen> {
        if self.words.len() < WORDS_KEPT {
            return Some(self.words.entry(word).or_default());
        }
        let known = self.words.get_mut(word);
        self.left_out |= known.is_none();
        known
    }
}

/// Every word of a document with its score.
fn scored_words(site: &Site, id: DocId) -> FxHashMap<String, u32> {
    let mut words = FxHashMap::default();
    each_scored_word(site, id, &mut |word, score| {
        words.insert(word.to_string(), score);
    });
    words
}

/// The postings of a run of consecutive documents, while the index is made.
#[derive(Default)]
struct Postings(FxHashMap<String, Vec<(DocId, u32)>>);

impl Postings {
    fn add(mut self, site: &Site, id: DocId) -> Postings {
        each_scored_word(site, id, &mut |word, score| match self.0.get_mut(word) {
            Some(list) => list.push((id, score)),
            None => {
                self.0.insert(word.to_string(), vec![(id, score)]);
            }
        });
        self
    }

    /// Joins the postings of the documents just before `later`'s, keeping
    /// every list in document order.
    fn join(mut self, mut later: Postings) -> Postings {
        if self.0.len() >= later.0.len() {
            for (word, list) in later.0 {
                self.0.entry(word).or_default().extend(list);
            }
            self
        } else {
            for (word, mut list) in self.0 {
                let after = later.0.entry(word).or_default();
                list.append(after);
                *after = list;
            }
            later
        }
    }
}

/// Where a word was seen in one document, while scoring it.
#[derive(Default)]
struct WordSeen {
    score: u32,
    /// One bit per field the word was counted in.
    fields: u8,
    body: u32,
}

/// What replacing documents in the index changed.
pub(crate) struct Replaced {
    pub(crate) files: Vec<OutputFile>,
    /// Shard files whose last word went: a build would not write them.
    pub(crate) gone: Vec<String>,
}

/// A word's number in the index's word table.
type WordId = u32;

/// The index in memory; `serve` keeps it and replaces single documents.
#[derive(Default)]
pub(crate) struct SearchIndex {
    words: Vec<String>,
    /// Each word's id: made when `serve` first replaces a document, since a
    /// build never looks a word up.
    word_ids: FxHashMap<String, WordId>,
    /// Per word: (document, score), in document order.
    postings: Vec<Vec<(DocId, u32)>>,
    /// Per document: its words and scores; drafts have none.
    documents: IdVec<DocId, Vec<(WordId, u32)>>,
}

impl SearchIndex {
    pub(crate) fn new(site: &Site) -> SearchIndex {
        use rayon::prelude::*;
        // Each run of documents collects its own postings, so a word is
        // copied once per run rather than once per document that uses it.
        let postings = site
            .documents
            .par_ids()
            .fold(Postings::default, |postings, id| postings.add(site, id))
            .reduce(Postings::default, Postings::join);
        let (words, postings): (Vec<String>, Vec<Vec<(DocId, u32)>>) =
            postings.0.into_iter().unzip();
        SearchIndex {
            words,
            word_ids: FxHashMap::default(),
            postings,
            documents: IdVec::new(),
        }
    }

    /// Makes each document's word list, which `replace` needs to take a
    /// document out; only when first needed, since a build never replaces one.
    fn list_documents_words(&mut self, count: usize) {
        if self.documents.len() != count {
            let mut documents = IdVec::from(vec![Vec::new(); count]);
            for (word, list) in self.postings.iter().enumerate() {
                for &(id, score) in list {
                    documents[id].push((word as WordId, score));
                }
            }
            self.documents = documents;
        }
    }

    fn word_id(&mut self, word: String) -> WordId {
        if self.word_ids.len() != self.words.len() {
            self.word_ids = self
                .words
                .iter()
                .enumerate()
                .map(|(id, word)| (word.clone(), id as WordId))
                .collect();
        }
        if let Some(&id) = self.word_ids.get(&word) {
            return id;
        }
        let id = self.words.len() as WordId;
        self.words.push(word.clone());
        self.word_ids.insert(word, id);
        self.postings.push(Vec::new());
        id
    }

    /// Adds a document's words; `was_live` notes for each word that had no
    /// document left whether it had one before the replacement began.
    fn insert(&mut self, id: DocId, words: FxHashMap<String, u32>, was_live: &mut WasLive) {
        let mut entries: Vec<(WordId, u32)> = words
            .into_iter()
            .map(|(word, score)| (self.word_id(word), score))
            .collect();
        entries.sort_unstable();
        for &(word, score) in &entries {
            let list = &mut self.postings[word as usize];
            if list.is_empty() {
                was_live.entry(word).or_insert(false);
            }
            // Documents arrive in id order when the index is made; `replace`
            // puts an edited document back in its place.
            if list.last().is_none_or(|&(d, _)| d < id) {
                list.push((id, score));
            } else {
                let at = list.partition_point(|&(d, _)| d < id);
                list.insert(at, (id, score));
            }
        }
        self.documents[id] = entries;
    }

    /// Takes a document's words out; `was_live` as for `insert`.
    fn remove(&mut self, id: DocId, was_live: &mut WasLive) -> Vec<(WordId, u32)> {
        let entries = std::mem::take(&mut self.documents[id]);
        for &(word, _) in &entries {
            let list = &mut self.postings[word as usize];
            if let Ok(at) = list.binary_search_by_key(&id, |&(d, _)| d) {
                list.remove(at);
            }
            if list.is_empty() {
                was_live.entry(word).or_insert(true);
            }
        }
        entries
    }

    /// Indexes the documents `ids` again (their ids unchanged) and returns
    /// the files that changed: their own, the shards of words they gained or
    /// lost, and the tables when `tables` says what they show of the
    /// documents (kinds, tags) changed, or `meta.js` alone when a shard came
    /// or went.
    pub(crate) fn replace(&mut self, site: &Site, ids: &[DocId], tables: bool) -> Replaced {
        let mut shards = BTreeSet::new();
        let mut was_live = WasLive::default();
        self.list_documents_words(site.documents.len());
        for &id in ids {
            let old = self.remove(id, &mut was_live);
            self.insert(id, scored_words(site, id), &mut was_live);
            let new = &self.documents[id];
            let changed: Vec<WordId> = old
                .iter()
                .filter(|e| new.binary_search(e).is_err())
                .chain(new.iter().filter(|e| old.binary_search(e).is_err()))
                .map(|&(w, _)| w)
                .collect();
            shards.extend(
                changed
                    .into_iter()
                    .map(|w| shard_of(&self.words[w as usize]).into_owned()),
            );
        }
        // `meta.js` names every shard, so a shard that came (all its words
        // are new) or went changes it too.
        let born: FxHashSet<WordId> = was_live
            .into_iter()
            .filter(|&(word, live)| !live && !self.postings[word as usize].is_empty())
            .map(|(word, _)| word)
            .collect();
        let grouped = self.grouped(Some(&shards));
        let new_shard = grouped
            .values()
            .any(|words| words.iter().all(|(word, _, _)| born.contains(word)));
        let made = shard_files(grouped, &Stems::of(site));
        let gone: Vec<String> = shards
            .iter()
            .map(|name| shard_path(name))
            .filter(|path| !made.iter().any(|f| &f.path == path))
            .collect();
        let mut files = if tables {
            self.tables(site)
        } else if new_shard || !gone.is_empty() {
            vec![self.meta(site)]
        } else {
            Vec::new()
        };
        files.extend(ids.iter().filter_map(|&id| document_file(site, id)));
        files.extend(made);
        Replaced { files, gone }
    }

    /// Hands every file of the index to `emit` as it is made (in parallel),
    /// so a build can write them without holding them all.
    pub(crate) fn each_file(&self, site: &Site, emit: &(dyn Fn(OutputFile) + Sync)) {
        use rayon::prelude::*;
        self.tables(site).into_iter().for_each(emit);
        site.documents
            .par_ids()
            .filter_map(|id| document_file(site, id))
            .for_each(emit);
        shard_files(self.grouped(None), &Stems::of(site))
            .into_iter()
            .for_each(emit);
    }

    /// The paths of every file of the index.
    pub(crate) fn paths(&self, site: &Site) -> Vec<String> {
        let mut paths: Vec<String> = [META, DOC_TAGS].map(|p| format!("{DIR}/{p}")).into();
        paths.extend(self.shard_names().into_iter().map(|s| shard_path(&s)));
        paths.extend(
            site.documents
                .ids_where(|d| !d.front.draft)
                .map(document_path),
        );
        paths
    }

    /// Words that some document still has: id, text and documents.
    fn live_words(&self) -> impl Iterator<Item = Listed<'_>> {
        self.words
            .iter()
            .zip(&self.postings)
            .enumerate()
            .filter(|(_, (_, list))| !list.is_empty())
            .map(|(word, (text, list))| (word as WordId, text.as_str(), list.as_slice()))
    }

    fn shard_names(&self) -> BTreeSet<String> {
        // Borrowed while deduplicated: most of the words share a few hundred names.
        let names: FxHashSet<Cow<str>> = self
            .live_words()
            .map(|(_, word, _)| shard_of(word))
            .collect();
        names.into_iter().map(Cow::into_owned).collect()
    }

    /// The live words of the shards in `only` (all when `None`), by shard.
    fn grouped(&self, only: Option<&BTreeSet<String>>) -> BTreeMap<String, Vec<Listed<'_>>> {
        // A shard whose last word went has no words here, so no file, as in a build.
        let mut grouped: BTreeMap<String, Vec<Listed>> = BTreeMap::new();
        for listed in self.live_words() {
            let shard = shard_of(listed.1);
            if only.is_some_and(|set| !set.contains(shard.as_ref())) {
                continue;
            }
            grouped.entry(shard.into_owned()).or_default().push(listed);
        }
        grouped
    }

    /// `meta.js` and `doc-tags.js`.
    fn tables(&self, site: &Site) -> Vec<OutputFile> {
        vec![self.meta(site), doc_tags(site)]
    }

    /// `meta.js`: the shard names, each document's kind, the tags.
    fn meta(&self, site: &Site) -> OutputFile {
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
        script(&format!("{DIR}/{META}"), "meta", &meta, 0)
    }
}

/// `doc-tags.js`: each document's tags.
fn doc_tags(site: &Site) -> OutputFile {
    script(&format!("{DIR}/{DOC_TAGS}"), "docTags", &site.tag_ids(), 0)
}

/// A live word: its id, its text and its documents.
type Listed<'a> = (WordId, &'a str, &'a [(DocId, u32)]);

/// For each word that had no document left during a replacement, whether
/// it had one before the replacement began.
type WasLive = FxHashMap<WordId, bool>;

/// One file per shard, each word with its best documents.
fn shard_files(grouped: BTreeMap<String, Vec<Listed>>, stems: &Stems) -> Vec<OutputFile> {
    use rayon::prelude::*;
    let grouped: Vec<(String, Vec<Listed>)> = grouped.into_iter().collect();
    grouped
        .into_par_iter()
        .map(|(name, mut words)| {
            words.sort_unstable_by_key(|&(_, word, _)| word);
            let groups = stems.groups(&words);
            let mut content = b"practicaSearch.shard([".to_vec();
            push_json(&mut content, &name);
            content.extend_from_slice(b",{");
            for (n, (_, word, list)) in words.into_iter().enumerate() {
                if n > 0 {
                    content.push(b',');
                }
                push_json(&mut content, word);
                content.push(b':');
                push_postings(&mut content, list);
            }
            content.extend_from_slice(b"},");
            push_json(&mut content, &groups);
            content.extend_from_slice(b"]);\n");
            OutputFile {
                path: shard_path(&name),
                content,
            }
        })
        .collect()
}

/// Finds the words of a shard that are forms of one word, with the Snowball
/// stemmer of the community's `language:`; none for a language Snowball
/// has no stemmer for (every word then stands alone).
struct Stems(Option<rust_stemmers::Stemmer>);

impl Stems {
    fn of(site: &Site) -> Stems {
        Stems::for_language(&site.config.language)
    }

    /// The stemmer for a language tag (`en`, `en-GB`, `pt_BR`, `nb`).
    fn for_language(tag: &str) -> Stems {
        use rust_stemmers::{Algorithm as A, Stemmer};
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        let algorithm = match primary.to_ascii_lowercase().as_str() {
            "ar" => A::Arabic,
            "da" => A::Danish,
            "nl" => A::Dutch,
            "en" => A::English,
            "fi" => A::Finnish,
            "fr" => A::French,
            "de" => A::German,
            "el" => A::Greek,
            "hu" => A::Hungarian,
            "it" => A::Italian,
            "no" | "nb" | "nn" => A::Norwegian,
            "pt" => A::Portuguese,
            "ro" => A::Romanian,
            "ru" => A::Russian,
            "es" => A::Spanish,
            "sv" => A::Swedish,
            "ta" => A::Tamil,
            "tr" => A::Turkish,
            _ => return Stems(None),
        };
        Stems(Some(Stemmer::create(algorithm)))
    }

    /// The stem of a folded word; digits stay as they are.
    fn stem<'w>(&self, word: &'w str) -> Cow<'w, str> {
        match &self.0 {
            Some(stemmer) if !word.bytes().all(|b| b.is_ascii_digit()) => stemmer.stem(word),
            _ => Cow::Borrowed(word),
        }
    }

    /// The words of one shard (sorted) that share a stem, in groups of two
    /// or more, each group sorted and the groups by their first word.
    fn groups<'w>(&self, words: &[Listed<'w>]) -> Vec<Vec<&'w str>> {
        if self.0.is_none() {
            return Vec::new();
        }
        let mut by_stem: FxHashMap<Cow<str>, Vec<&str>> = FxHashMap::default();
        for &(_, word, _) in words {
            by_stem.entry(self.stem(word)).or_default().push(word);
        }
        let mut groups: Vec<Vec<&str>> = by_stem
            .into_values()
            .filter(|group| group.len() > 1)
            .collect();
        groups.sort_unstable();
        groups
    }
}

const META: &str = "meta.js";
const DOC_TAGS: &str = "doc-tags.js";

/// A word's best documents as `[step,score,…]`, in id order, each id written
/// as the step from the one before, so the numbers stay short.
fn push_postings(out: &mut Vec<u8>, documents: &[(DocId, u32)]) {
    let best: Cow<[(DocId, u32)]> = if documents.len() > POSTINGS_KEPT {
        let mut best = documents.to_vec();
        best.select_nth_unstable_by(POSTINGS_KEPT, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        best.truncate(POSTINGS_KEPT);
        best.sort_unstable();
        Cow::Owned(best)
    } else {
        Cow::Borrowed(documents)
    };
    out.push(b'[');
    let mut previous = 0;
    for (n, &(id, score)) in best.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        // itoa: formatting through `fmt` was most of writing the shards.
        let mut digits = itoa::Buffer::new();
        out.extend_from_slice(digits.format(id.index() - previous).as_bytes());
        out.push(b',');
        out.extend_from_slice(digits.format(score).as_bytes());
        previous = id.index();
    }
    out.push(b']');
}

/// `value` as JSON at the end of `out`, without a `serde_json::Value` or
/// `fmt` in between (they were half the cost of writing the index).
fn push_json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Writing to a Vec cannot fail, and these values have no maps with
    // non-text keys, the one thing serde_json refuses.
    let _ = serde_json::to_writer(&mut *out, value);
}

fn shard_path(name: &str) -> String {
    format!("{DIR}/s/{name}.js")
}

fn document_path(id: DocId) -> String {
    format!("{DIR}/d/{}.js", id.index())
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
    let text = shown_text(site, id);
    let entry = SearchDocument {
        kind: doc.kind,
        label: site.config.labels.kind(doc.kind),
        profile: profile(doc),
        summary: shown_summary(site, id),
        tags,
        text: kept_text(&text),
        title: &doc.front.title,
        url: href(&doc.url, site.config.pretty_links),
    };
    let capacity = entry.text.len() + entry.summary.len() + 512;
    Some(script(&document_path(id), "doc", &(id, entry), capacity))
}

/// One document's file under `d/`; the fields in the order the file has
/// always listed them (alphabetical, as a `serde_json::Value` wrote them).
#[derive(serde::Serialize)]
struct SearchDocument<'a> {
    kind: Kind,
    label: &'a str,
    /// A member's role and organisation.
    #[serde(skip_serializing_if = "String::is_empty")]
    profile: String,
    summary: Cow<'a, str>,
    tags: Vec<&'a str>,
    text: &'a str,
    title: &'a str,
    url: String,
}

/// The first `TEXT_KEPT` characters of a document's text.
fn kept_text(text: &str) -> &str {
    if text.len() <= TEXT_KEPT {
        return text;
    }
    // As many characters as bytes when those bytes are ASCII.
    if text.as_bytes()[..TEXT_KEPT].is_ascii() {
        return &text[..TEXT_KEPT];
    }
    text.char_indices()
        .nth(TEXT_KEPT)
        .map_or(text, |(end, _)| &text[..end])
}

/// `practicaSearch.NAME(DATA);` — data registered with the page's script.
/// `capacity` is a guess at the file's size, so a large one is not grown
/// by doubling.
fn script<T: serde::Serialize>(path: &str, name: &str, data: &T, capacity: usize) -> OutputFile {
    let mut content = Vec::with_capacity(capacity);
    content.extend_from_slice(b"practicaSearch.");
    content.extend_from_slice(name.as_bytes());
    content.push(b'(');
    push_json(&mut content, data);
    content.extend_from_slice(b");\n");
    OutputFile {
        path: path.to_string(),
        content,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_case_and_accents_and_drop_single_letters() {
        let found = words("Café au LAIT, a Zürich-style crème brûlée");
        assert_eq!(
            found,
            ["cafe", "au", "lait", "zurich", "style", "creme", "brulee"]
        );
    }

    #[test]
    fn words_split_on_every_character_that_is_not_a_letter_or_digit() {
        let text = "a  bc--déf\u{a0}gh, ü 日本 x9 ½½ end.";
        assert_eq!(
            split_words(text),
            ["bc", "déf", "gh", "日本", "x9", "½½", "end"]
        );
        assert_eq!(split_words("x9 a end."), ["x9", "end"]);
        assert!(split_words("").is_empty());
        assert!(split_words("--").is_empty());
    }

    #[test]
    fn words_are_the_runs_a_split_on_every_character_would_give() {
        let texts = [
            "ab",
            "a",
            "é",
            "éé x",
            " leading and trailing ",
            "mixed日本語text, ascii-then-ü",
            "9½ ½ 1",
            "tab\tnew\nline",
            "line\u{2028}sep",
            "x",
            "xy",
            "under_score and-dash 42 a1",
            "emoji 🙂🙂 between🙂words",
            "ß",
            "ßß",
        ];
        for text in texts {
            let by_char: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 2)
                .collect();
            assert_eq!(split_words(text), by_char, "{text:?}");
        }
    }

    #[test]
    fn kept_text_is_the_first_characters_not_bytes() {
        assert_eq!(kept_text("short é"), "short é");
        let ascii = "a".repeat(TEXT_KEPT + 10);
        assert_eq!(kept_text(&ascii).len(), TEXT_KEPT);
        let accented = "é".repeat(TEXT_KEPT + 10);
        assert_eq!(kept_text(&accented).chars().count(), TEXT_KEPT);
        let late = format!("{}é{}", "a".repeat(TEXT_KEPT - 1), "b".repeat(10));
        assert_eq!(kept_text(&late).chars().count(), TEXT_KEPT);
        assert!(kept_text(&late).ends_with('é'));
    }

    /// `most_words` lets a document too short to reach `WORDS_KEPT` skip
    /// the count, which holds only if folding makes at most two characters
    /// of a byte.
    #[test]
    fn folding_makes_at_most_two_characters_of_a_byte() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let folded = fold(c.encode_utf8(&mut [0; 4]));
            assert!(folded.chars().count() <= 2 * c.len_utf8(), "{c:?}");
        }
    }

    #[test]
    fn most_words_is_never_fewer_than_the_words_found() {
        let pieces = [
            "a", "ab", " ", "-", "é", "Ǆ", "İ", "ᾂ", "각", "ﬃ", "\u{301}", "\u{93c}", "क", "日",
            "🙂", "9", "½", "ß", "\t",
        ];
        let mut random = crate::support::random::SplitMix64(18);
        for _ in 0..20_000 {
            let text: String = (0..random.below(12))
                .map(|_| random.pick(&pieces))
                .collect();
            let found = split_words(&fold(&text)).len();
            assert!(found <= most_words(&text), "{text:?}: {found}");
        }
    }

    #[test]
    fn stems_follow_the_language_tag_and_leave_numbers_alone() {
        let english = Stems::for_language("en-GB");
        assert_eq!(english.stem("fridges"), english.stem("fridge"));
        assert_eq!(english.stem("volunteering"), english.stem("volunteers"));
        assert_eq!(english.stem("2024"), "2024");
        let norwegian = Stems::for_language("nb_NO");
        assert_eq!(norwegian.stem("kjøleskapene"), norwegian.stem("kjøleskap"));
        let none = Stems::for_language("tlh");
        assert_eq!(none.stem("fridges"), "fridges");
        assert!(Stems::for_language("").0.is_none());
    }

    #[test]
    fn shards_are_named_by_the_first_two_characters() {
        assert_eq!(shard_of("community"), "co");
        assert_eq!(shard_of("x"), "x");
        assert_eq!(shard_of("ßx"), "uc39f78");
        assert_eq!(shard_of("пр"), "ud0bfd180");
        assert_eq!(shard_of("cö"), "u63c3b6");
        assert_eq!(shard_of("c1"), "c1");
        assert!(matches!(shard_of("community"), Cow::Borrowed(_)));
    }
}
