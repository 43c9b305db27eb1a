//! Parsed documents kept between runs, so that `check` and `build` parse
//! only the files that changed since the last run of the same code.
//!
//! An entry is found by a hash of the file's path and bytes, never by its
//! modification time, so an entry cannot go stale; the whole cache is
//! thrown away when the parser's code changes (`parser_stamp`). A cache
//! that cannot be read is ignored, and a run that cannot write one only
//! loses the speed-up.
//!
//! One file per community folder, in the cache folder:
//! `MAGIC`, the parser's stamp, the entry count, an index of
//! (key, start, length, checksum) and the entries, each encoded by
//! [`encode_entry`] with postcard.

use std::cell::RefCell;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use jiff::civil::Date;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::model::document::{Document, FrontMatter, Kind, Part, PartHeading, ProfileLink, Status};
use crate::support::diagnostic::{Diagnostic, Span};
use crate::support::fields::{Dated, Located};
use crate::support::markdown::{BodyHtml, Heading, LinkRef, Reading, Scan, WikiText};
use crate::support::raw_html::RawHtml;

/// Changed whenever the format does.
const MAGIC: &[u8] = b"practica parse cache 5\n";
/// Key, start, length and checksum of one entry in the index.
const INDEX_ROW: usize = 16 + 8 + 8 + 8;
/// Cache files kept per cache folder; the least recently written go first.
const KEEP_FILES: usize = 16;

/// The cache folder a command uses unless told otherwise:
/// `$PRACTICA_CACHE_DIR`, else `$XDG_CACHE_HOME/practica`, else
/// `~/.cache/practica`. An empty `PRACTICA_CACHE_DIR` turns caching off.
pub fn default_dir() -> Option<PathBuf> {
    let var = |name| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = std::env::var_os("PRACTICA_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    var("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .map(|dir| dir.join("practica"))
}

/// Identifies a file's contents at a path, as read with one `raw_html`.
pub(crate) type Key = u128;

/// A file's key. The `raw_html` setting is part of it, as its entry holds
/// the body's HTML: a change of the setting finds no entry, never HTML
/// written under the other.
pub(crate) fn key(relative: &str, bytes: &[u8], raw_html: RawHtml) -> Key {
    hash(&[raw_html.name().as_bytes(), relative.as_bytes(), bytes])
}

/// A hash of `parts`, each but the last ending with a byte no path holds.
fn hash(parts: &[&[u8]]) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (n, part) in parts.iter().enumerate() {
        if n > 0 {
            hasher.update(&[0]);
        }
        hasher.update(part);
    }
    hasher.digest128()
}

/// The cache as the last run left it.
#[derive(Default)]
pub(crate) struct ParseCache {
    /// Where it is kept; `None` when caching is off.
    file: Option<PathBuf>,
    bytes: Bytes,
    /// Each entry's place in `bytes` and the checksum of its bytes.
    index: FxHashMap<Key, (Range<usize>, u64)>,
}

/// How a run used the cache: files whose parse it took, files it parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheUse {
    pub reused: usize,
    pub parsed: usize,
}

/// One document's cache entry, as the next cache file will hold it.
pub(crate) struct Entry {
    pub(crate) key: Key,
    pub(crate) bytes: EntryBytes,
}

pub(crate) enum EntryBytes {
    /// Already in the cache read at the start of the run, with the
    /// checksum it was read with.
    Kept { range: Range<usize>, check: u64 },
    /// Parsed in this run.
    New(Vec<u8>),
}

impl ParseCache {
    /// No cache: every document is parsed, nothing is written.
    pub(crate) fn off() -> ParseCache {
        ParseCache::default()
    }

    pub(crate) fn is_on(&self) -> bool {
        self.file.is_some()
    }

    /// The cache of the community at `root`, empty if there is none yet or
    /// it was written by other code.
    pub(crate) fn open(dir: &Path, root: &Path) -> ParseCache {
        ParseCache::open_named(dir, root, "community")
    }

    /// A cache of its own for the files of `root` read under `name`: the
    /// past versions of its documents (`history`) are kept apart from the
    /// working tree's, whose cache holds only what a run read.
    pub(crate) fn open_named(dir: &Path, root: &Path, name: &str) -> ParseCache {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let name = format!(
            "parse-{:032x}.bin",
            hash(&[root.to_string_lossy().as_bytes(), name.as_bytes()])
        );
        let file = dir.join(name);
        let bytes = Bytes::map(&file);
        let index = read_index(&bytes).unwrap_or_default();
        ParseCache {
            file: Some(file),
            bytes,
            index,
        }
    }

    /// The document (or failure) parsed from the same bytes at the same
    /// path in an earlier run.
    /// After a `Reading::Outline` the document's plain text and HTML are left
    /// out; a full reading misses an entry that an outline reading left.
    /// Also gives the entry to keep for the next run.
    pub(crate) fn get(
        &self,
        key: Key,
        reading: Reading,
    ) -> Option<(Option<Document>, Vec<Diagnostic>, Entry)> {
        let (range, check) = self.index.get(&key)?.clone();
        let bytes = self.bytes.get(range.clone())?;
        // A torn or damaged entry is a miss, never a wrong document.
        (xxhash_rust::xxh3::xxh3_64(bytes) == check).then_some(())?;
        let (document, diagnostics) = decode_entry(bytes, reading)?;
        let entry = Entry {
            key,
            bytes: EntryBytes::Kept { range, check },
        };
        Some((document, diagnostics, entry))
    }

    /// Writes the cache for the next run on another thread, unless nothing
    /// changed; the returned guard waits for the write when dropped.
    pub(crate) fn save(self, entries: Vec<Entry>) -> PendingWrite {
        let unchanged = entries.len() == self.index.len() && entries.iter().all(Entry::is_kept);
        let Some(file) = self.file.filter(|_| !unchanged) else {
            return PendingWrite(None);
        };
        let old = self.bytes;
        PendingWrite(Some(std::thread::spawn(move || {
            // Losing the cache only costs speed, so a failed write is not reported.
            let _ = write_file(&file, &old, entries);
            prune(file.parent().unwrap_or(Path::new(".")));
        })))
    }
}

/// The cache file's bytes, mapped rather than read: most of them are only
/// looked at by the documents that hit, and copying 70 MB for 10,000
/// documents costs more than parsing what changed.
#[derive(Default)]
struct Bytes(Option<memmap2::Mmap>);

impl Bytes {
    fn map(file: &Path) -> Bytes {
        let file = std::fs::File::open(file).ok();
        // SAFETY: a mapped file must not shrink while mapped. practica
        // replaces cache files whole by `rename`, never writes one in place,
        // so a mapping keeps the old contents even while another run saves.
        // Only something else truncating a file in practica's cache folder
        // while a run reads it could break this.
        Bytes(file.and_then(|f| unsafe { memmap2::Mmap::map(&f) }.ok()))
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.0.as_deref().unwrap_or_default()
    }
}

/// A cache write still running; dropping it waits for the write to end.
pub(crate) struct PendingWrite(Option<JoinHandle<()>>);

impl PendingWrite {
    pub(crate) fn none() -> PendingWrite {
        PendingWrite(None)
    }
}

impl Drop for PendingWrite {
    fn drop(&mut self) {
        if let Some(thread) = self.0.take() {
            let _ = thread.join();
        }
    }
}

/// What identifies the parser: practica's version and a hash of the code
/// it was built from (`build.rs`). Identical builds share caches, wherever
/// and whenever they were installed; any change to the code starts anew.
///
/// Each part ends with a newline, which neither contains, so that no stamp
/// is the start of another.
pub(crate) fn parser_stamp() -> String {
    format!(
        "{}\n{}\n",
        env!("CARGO_PKG_VERSION"),
        env!("PRACTICA_SOURCE_HASH")
    )
}

fn read_index(bytes: &[u8]) -> Option<FxHashMap<Key, (Range<usize>, u64)>> {
    let mut rest = bytes
        .strip_prefix(MAGIC)?
        .strip_prefix(parser_stamp().as_bytes())?;
    let count = usize::try_from(fixed(&mut rest)?).ok()?;
    // A damaged count must not reserve memory: each row takes INDEX_ROW bytes.
    let mut index = FxHashMap::default();
    index.reserve(count.min(rest.len() / INDEX_ROW));
    for _ in 0..count {
        let (key, after) = rest.split_first_chunk::<16>()?;
        rest = after;
        let start = usize::try_from(fixed(&mut rest)?).ok()?;
        let end = start.checked_add(usize::try_from(fixed(&mut rest)?).ok()?)?;
        let check = fixed(&mut rest)?;
        (end <= bytes.len()).then_some(())?;
        index.insert(Key::from_le_bytes(*key), (start..end, check));
    }
    Some(index)
}

/// A little-endian u64 off the front of `bytes`.
fn fixed(bytes: &mut &[u8]) -> Option<u64> {
    let (n, rest) = bytes.split_first_chunk::<8>()?;
    *bytes = rest;
    Some(u64::from_le_bytes(*n))
}

/// Each new entry's bytes are freed as soon as they are written: they are a
/// copy of every document's text and HTML, and the build is rendering pages
/// meanwhile.
fn write_file(file: &Path, old: &[u8], entries: Vec<Entry>) -> std::io::Result<()> {
    let mut header = MAGIC.to_vec();
    header.extend_from_slice(parser_stamp().as_bytes());
    header.extend_from_slice(&(entries.len() as u64).to_le_bytes());
    // Fixed-width index rows, so entry offsets are known before writing them.
    let mut start = header.len() + entries.len() * INDEX_ROW;
    for entry in &entries {
        let bytes = entry.bytes(old);
        header.extend_from_slice(&entry.key.to_le_bytes());
        for n in [start as u64, bytes.len() as u64, entry.check()] {
            header.extend_from_slice(&n.to_le_bytes());
        }
        start += bytes.len();
    }
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // Unique per process and write, so concurrent runs never share one.
    static WRITES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let write = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temporary = dir.join(format!(".parse-{}-{write}.tmp", std::process::id()));
    let written = (|| {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::fs::File::create(&temporary)?);
        out.write_all(&header)?;
        for entry in entries {
            out.write_all(entry.bytes(old))?;
        }
        out.flush()?;
        std::fs::rename(&temporary, file)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

impl Entry {
    /// A new entry: the document (or none, when the file could not make
    /// one), with its HTML and plain text after a full reading, and the
    /// diagnostics its parse gave.
    pub(crate) fn new(key: Key, document: Option<&Document>, diagnostics: &[Diagnostic]) -> Entry {
        // Encoded in a buffer each thread reuses, then copied at its exact
        // size: until the cache is written the entries of a first run are a
        // copy of every document, and a Vec grown by doubling holds up to
        // twice its bytes (a 10k first build peaked at 540 MiB).
        thread_local!(static BUFFER: RefCell<Vec<u8>> = RefCell::default());
        let bytes = BUFFER.with_borrow_mut(|buffer| {
            buffer.clear();
            // Only a value serde_json cannot write fails; no bytes are a miss.
            if encode_entry(document, diagnostics, buffer).is_err() {
                buffer.clear();
            }
            buffer.clone()
        });
        Entry {
            key,
            bytes: EntryBytes::New(bytes),
        }
    }

    /// Whether the entry is the one the last run left.
    pub(crate) fn is_kept(&self) -> bool {
        matches!(self.bytes, EntryBytes::Kept { .. })
    }

    fn bytes<'a>(&'a self, old: &'a [u8]) -> &'a [u8] {
        match &self.bytes {
            EntryBytes::Kept { range, .. } => &old[range.clone()],
            EntryBytes::New(bytes) => bytes,
        }
    }

    /// The checksum of its bytes: known already for a kept entry.
    fn check(&self) -> u64 {
        match &self.bytes {
            EntryBytes::Kept { check, .. } => *check,
            EntryBytes::New(bytes) => xxhash_rust::xxh3::xxh3_64(bytes),
        }
    }
}

/// What one entry holds: the document (or none, when its file could not
/// make one) and its parse's diagnostics.
type Parsed = (Option<Document>, Vec<Diagnostic>);

/// An entry's document and diagnostics; `None` for bytes that are not a
/// whole entry or, for a full reading, an entry an outline reading left.
fn decode_entry(bytes: &[u8], reading: Reading) -> Option<Parsed> {
    let ((document, diagnostics), full): ((Option<LoadedDocument>, Vec<Diagnostic>), _) =
        postcard::take_from_bytes(bytes).ok()?;
    let mut document = document.map(|LoadedDocument(d)| d);
    if reading == Reading::Full
        && let Some(document) = document.as_mut()
    {
        // An outline entry has no such part: a miss for a full reading.
        let ((text, html), rest): ((String, BodyHtml), _) = postcard::take_from_bytes(full).ok()?;
        // Marks out of place would cut the HTML wrongly: parse such an entry again.
        (rest.is_empty() && html.is_sound(document.scan.links.len())).then_some(())?;
        document.scan.text = text;
        document.body = Some(html);
    }
    Some((document, diagnostics))
}

/// The document (without what only a full reading has) and the
/// diagnostics, then, after a full reading, the plain text and the HTML:
/// an outline reading stops before them.
fn encode_entry(
    document: Option<&Document>,
    diagnostics: &[Diagnostic],
    buffer: &mut Vec<u8>,
) -> postcard::Result<()> {
    postcard::serialize_with_flavor(&(document.map(StoredDocument), diagnostics), Buffer(buffer))?;
    if let Some(document) = document
        && let Some(html) = &document.body
    {
        postcard::serialize_with_flavor(&(&document.scan.text, html), Buffer(&mut *buffer))?;
    }
    Ok(())
}

/// Appends to a buffer that already holds bytes (postcard's own `Vec`
/// flavour starts a new one).
struct Buffer<'a>(&'a mut Vec<u8>);

impl postcard::ser_flavors::Flavor for Buffer<'_> {
    type Output = ();

    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        self.0.extend_from_slice(data);
        Ok(())
    }

    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        self.0.push(data);
        Ok(())
    }

    fn finalize(self) -> postcard::Result<()> {
        Ok(())
    }
}

struct StoredDocument<'a>(&'a Document);

impl Serialize for StoredDocument<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        DocumentHead::serialize(self.0, serializer)
    }
}

struct LoadedDocument(Document);

impl<'de> Deserialize<'de> for LoadedDocument {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        DocumentHead::deserialize(deserializer).map(LoadedDocument)
    }
}

// The model's fields as the cache keeps them, in serde's remote form: the
// model's own `Serialize` is what templates see (a `Located` without its
// span), and a field added to the model fails to compile here until the
// cache keeps it.

#[derive(Serialize, Deserialize)]
#[serde(remote = "Document")]
struct DocumentHead {
    kind: Kind,
    slug: String,
    source: String,
    url: String,
    #[serde(with = "FrontMatterFields")]
    front: FrontMatter,
    /// Kept after the head, by `encode_entry`.
    #[serde(skip)]
    body: Option<BodyHtml>,
    body_line: usize,
    #[serde(with = "ScanOutline")]
    scan: Scan,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "Scan")]
struct ScanOutline {
    headings: Vec<Heading>,
    links: Vec<LinkRef>,
    words: usize,
    first_paragraph: String,
    /// Kept with the HTML, by `encode_entry`.
    #[serde(skip)]
    text: String,
    anchors: Vec<String>,
    html_links: Vec<LinkRef>,
    wiki_texts: Vec<WikiText>,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "FrontMatter")]
struct FrontMatterFields {
    title: String,
    summary: String,
    #[serde(with = "located_list")]
    tags: Vec<Located>,
    #[serde(with = "located_list")]
    authors: Vec<Located>,
    #[serde(with = "day")]
    date: Option<Date>,
    #[serde(with = "day")]
    updated: Option<Date>,
    draft: bool,
    status: Option<Status>,
    #[serde(with = "dated")]
    review_by: Option<Dated>,
    language: Option<String>,
    #[serde(with = "located_option")]
    image: Option<Located>,
    #[serde(with = "located_option")]
    owner: Option<Located>,
    #[serde(with = "located_list")]
    practices: Vec<Located>,
    #[serde(with = "located_list")]
    expertise: Vec<Located>,
    #[serde(with = "located_list")]
    learning: Vec<Located>,
    mentor: bool,
    role: Option<String>,
    organization: Option<String>,
    links: Vec<ProfileLink>,
    git: Vec<String>,
    audience: Option<String>,
    #[serde(with = "parts")]
    items: Vec<Part>,
    #[serde(with = "json_text")]
    extra: Map<String, Value>,
}

/// A toolkit's parts, each item with its span.
mod parts {
    use super::*;

    type Stored = (Option<PartHeading>, Vec<(String, Span)>);

    pub(crate) fn serialize<S: Serializer>(
        parts: &[Part],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(parts.iter().map(|part| {
            let items: Vec<(&String, Span)> =
                part.items.iter().map(|l| (&l.text, l.span)).collect();
            (&part.heading, items)
        }))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Part>, D::Error> {
        let stored = Vec::<Stored>::deserialize(deserializer)?;
        Ok(stored
            .into_iter()
            .map(|(heading, items)| Part {
                heading,
                items: items
                    .into_iter()
                    .map(|(text, span)| Located { text, span })
                    .collect(),
            })
            .collect())
    }
}

/// A `Located` with its span, which its own `Serialize` leaves out.
mod located_list {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        list: &[Located],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(list.iter().map(|l| (&l.text, l.span)))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Located>, D::Error> {
        let pairs = Vec::<(String, Span)>::deserialize(deserializer)?;
        Ok(pairs
            .into_iter()
            .map(|(text, span)| Located { text, span })
            .collect())
    }
}

mod located_option {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        item: &Option<Located>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        item.as_ref()
            .map(|l| (&l.text, l.span))
            .serialize(serializer)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Located>, D::Error> {
        let pair = Option::<(String, Span)>::deserialize(deserializer)?;
        Ok(pair.map(|(text, span)| Located { text, span }))
    }
}

/// Year, month and day: jiff's own serde form is text to parse again.
mod day {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        date: &Option<Date>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        date.map(|d| (d.year(), d.month(), d.day()))
            .serialize(serializer)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Date>, D::Error> {
        let parts = Option::<(i16, i8, i8)>::deserialize(deserializer)?;
        parts
            .map(|(year, month, day)| Date::new(year, month, day).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// A date with its span.
mod dated {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        dated: &Option<Dated>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        dated
            .map(|d| (d.date.year(), d.date.month(), d.date.day(), d.span))
            .serialize(serializer)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Dated>, D::Error> {
        let parts = Option::<(i16, i8, i8, Span)>::deserialize(deserializer)?;
        parts
            .map(|(year, month, day, span)| {
                Date::new(year, month, day)
                    .map(|date| Dated { date, span })
                    .map_err(serde::de::Error::custom)
            })
            .transpose()
    }
}

/// Values of keys practica does not know can be anything, which a format
/// without type tags cannot read back: JSON says what they are.
mod json_text {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        extra: &Map<String, Value>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(extra).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Map<String, Value>, D::Error> {
        let text = <&str>::deserialize(deserializer)?;
        serde_json::from_str(text).map_err(serde::de::Error::custom)
    }
}

/// Keeps the cache folder to the `KEEP_FILES` most recently written caches.
fn prune(dir: &Path) {
    let Ok(listing) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    let mut caches: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    for entry in listing.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(modified) = entry.metadata().and_then(|m| m.modified()).ok() else {
            continue;
        };
        if is_cache_name(&name) {
            caches.push((modified, entry.path()));
        } else if is_temporary_name(&name)
            && now.duration_since(modified).unwrap_or_default() > FORGOTTEN
        {
            // Left by a run that was killed while saving.
            let _ = std::fs::remove_file(entry.path());
        }
    }
    caches.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
    for (_, path) in caches.into_iter().skip(KEEP_FILES) {
        let _ = std::fs::remove_file(path);
    }
}

/// A temporary file older than this was left by a run that stopped.
const FORGOTTEN: std::time::Duration = std::time::Duration::from_secs(3600);

/// `parse-` and 32 hexadecimal digits, `.bin`: the only files pruning deletes.
fn is_cache_name(name: &str) -> bool {
    name.strip_prefix("parse-")
        .and_then(|rest| rest.strip_suffix(".bin"))
        .is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `.parse-PID-N.tmp`, as `write_file` names its temporary files.
fn is_temporary_name(name: &str) -> bool {
    name.strip_prefix(".parse-")
        .and_then(|rest| rest.strip_suffix(".tmp"))
        .is_some_and(|middle| middle.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::Arc;

    use super::*;
    use crate::stages::load::{self, ReadAll};
    use crate::support::markdown::Href;

    const TEXT: &str = "\u{feff}---\ntitle: Peer review\nsummary: Two eyes\ntags: [review, quality]\nauthors: [ana]\ndate: 2024-02-29\nupdated: 2025-01-01\nstatus: retired\nreview_by: -0001-03-04\nowner: ana\npractices: [a]\nexpertise: [x]\nlearning: [y]\nmentor: true\nrole: steward\norganization: Commons\nlinks:\n  - title: Site\n    url: https://example.org\nsponsor: {name: board, years: [1, 2.5]}\ntag: typo\n---\n# Why *this*\n\nSee [a](b.md), [[Wiki|text]], [[?Wanted]] and ![i](p.png). Café.\n";

    fn parsed() -> Parsed {
        load::parse_document(Path::new("practices/peer-review.md"), Kind::Practice, TEXT)
    }

    fn encoded((document, diagnostics): &Parsed) -> Vec<u8> {
        match Entry::new(0, document.as_ref(), diagnostics).bytes {
            EntryBytes::New(bytes) => bytes,
            EntryBytes::Kept { .. } => unreachable!("a new entry"),
        }
    }

    #[test]
    fn an_entry_gives_back_the_document_and_its_diagnostics() {
        let parsed = parsed();
        assert!(!parsed.1.is_empty());
        let entry = encoded(&parsed);
        assert_eq!(decode_entry(&entry, Reading::Full), Some(parsed));
    }

    #[test]
    fn a_cut_or_changed_entry_is_a_miss_not_a_panic() {
        let entry = encoded(&parsed());
        for cut in 0..entry.len() {
            assert_eq!(
                decode_entry(&entry[..cut], Reading::Full),
                None,
                "cut at {cut}"
            );
        }
        for at in 0..entry.len() {
            let mut changed = entry.clone();
            changed[at] ^= 0xff;
            used(decode_entry(&changed, Reading::Full));
        }
    }

    use crate::support::random::SplitMix64 as Rng;

    /// Texts safe unquoted in YAML and markdown alike.
    const WORDS: &[&str] = &[
        "review",
        "cold chain",
        "Peer Review",
        "café",
        "naïve",
        "Ærøskøbing",
        "日本語",
        "Привет",
        "emoji 🎉",
        "2024",
        "x_y",
        "über-cool",
        "ﬁ ligature",
        "e\u{301}",
        "ana",
        "o'brien",
    ];
    /// Texts YAML must read quoted.
    const AWKWARD: &[&str] = &[
        "a: b",
        "# not a comment",
        "quote \\\" inside",
        "back\\\\slash",
        "",
        "   spaced  ",
        "???",
        "[not, a list]",
        "{not: a map}",
        "tab\\there",
        "line\\nbreak",
        "- dash",
        "@at",
        "\\u00e9",
        "true",
        "~",
    ];
    const DESTS: &[&str] = &[
        "x.md",
        "../guides/start.md#first-steps",
        "practices/peer-review.md",
        "https://example.org/é?q=1&r=2",
        "#local",
        "mailto:someone@example.org",
        "<with space.md>",
        "/absolute/path/",
        "caf%C3%A9.md",
        "images/p.png",
        "",
        "../members/ana.md",
        "tel:+123",
    ];

    fn scalar(rng: &mut Rng) -> String {
        match rng.below(12) {
            0..=3 => rng.pick(WORDS).to_string(),
            4 | 5 => format!("\"{}\"", rng.pick(AWKWARD)),
            6 => format!("'{}'", rng.pick(WORDS).replace('\'', "''")),
            7 => rng
                .pick(&[
                    "0",
                    "-7",
                    "18446744073709551615",
                    "-9223372036854775808",
                    "99999999999999999999999",
                ])
                .to_string(),
            8 => rng
                .pick(&[
                    "2.5", "-0.0", "1e300", "6.02e-23", ".inf", "-.inf", ".nan", "0x1f", "0o17",
                ])
                .to_string(),
            9 => rng
                .pick(&["true", "false", "yes", "no", "null", "~"])
                .to_string(),
            10 => date_text(rng),
            _ => rng
                .pick(&["https://example.org", "a-b-c", "x.y", "100%"])
                .to_string(),
        }
    }

    fn date_text(rng: &mut Rng) -> String {
        match rng.below(8) {
            0 => "2024-02-29".into(),
            1 => "-0001-03-04".into(),
            2 => "9999-12-31".into(),
            3 => "2024-03-01T09:30:00Z".into(),
            4 => "2024-03-01T23:30:00-05:00".into(),
            5 => rng
                .pick(&["2023-02-29", "2024-13-01", "March 2024", "-9999-01-01"])
                .into(),
            _ => format!(
                "{:04}-{:02}-{:02}",
                1900 + rng.below(200),
                1 + rng.below(12),
                1 + rng.below(28)
            ),
        }
    }

    fn flow(rng: &mut Rng) -> String {
        let items = rng.below(4);
        if rng.chance(50) {
            let list: Vec<String> = (0..items).map(|_| scalar(rng)).collect();
            format!("[{}]", list.join(", "))
        } else {
            let map: Vec<String> = (0..items)
                .map(|n| format!("k{n}: {}", scalar(rng)))
                .collect();
            format!("{{{}}}", map.join(", "))
        }
    }

    /// A value for `key:`, written after the colon: inline, or block lines
    /// indented by `indent`.
    fn value(rng: &mut Rng, depth: usize, indent: usize) -> String {
        let pad = " ".repeat(indent);
        match rng.below(if depth > 2 { 3 } else { 7 }) {
            0 | 1 => format!(" {}", scalar(rng)),
            2 => format!(" {}", flow(rng)),
            3 => {
                let items: Vec<String> = (0..1 + rng.below(3))
                    .map(|_| match rng.below(3) {
                        0 => format!("{pad}- {}", scalar(rng)),
                        1 => format!("{pad}- {}", flow(rng)),
                        _ => format!(
                            "{pad}- a: {}\n{pad}  b:{}",
                            scalar(rng),
                            value(rng, depth + 1, indent + 4)
                        ),
                    })
                    .collect();
                format!("\n{}", items.join("\n"))
            }
            4 => {
                let keys: Vec<String> = (0..1 + rng.below(3))
                    .map(|n| {
                        format!(
                            "{pad}{}{n}:{}",
                            rng.pick(&["k", "ключ", "key-"]),
                            value(rng, depth + 1, indent + 2)
                        )
                    })
                    .collect();
                format!("\n{}", keys.join("\n"))
            }
            5 => format!(
                " {}\n{pad}{}\n{pad}{}",
                rng.pick(&["|", ">", "|-"]),
                rng.pick(WORDS),
                rng.pick(WORDS)
            ),
            _ => String::new(),
        }
    }

    /// A value of the shape `key` asks for, or now and then of another.
    fn known_value(rng: &mut Rng, key: &str) -> String {
        if rng.chance(12) {
            return value(rng, 0, 2);
        }
        let list = |rng: &mut Rng| -> String {
            let items: Vec<String> = (0..rng.below(4))
                .map(|_| {
                    if rng.chance(85) {
                        rng.pick(WORDS).to_string()
                    } else {
                        scalar(rng)
                    }
                })
                .collect();
            match rng.below(3) {
                0 => format!(" [{}]", items.join(", ")),
                1 if !items.is_empty() => format!("\n  - {}", items.join("\n  - ")),
                _ => format!(" {}", rng.pick(WORDS)),
            }
        };
        match key {
            "items" => match rng.below(3) {
                0 => list(rng),
                1 => format!(
                    "\n  - {}\n  - part: {}\n    text: {}\n    items:{}",
                    rng.pick(WORDS),
                    rng.pick(WORDS),
                    rng.pick(WORDS),
                    list(rng).replace("\n  ", "\n      ")
                ),
                _ => format!(
                    " [{{part: {}, items: [{}]}}]",
                    rng.pick(WORDS),
                    rng.pick(WORDS)
                ),
            },
            "title" | "summary" | "role" | "organization" | "audience" => match rng.below(4) {
                0 => format!(" \"{}\"", rng.pick(AWKWARD)),
                _ => format!(" {} {}", rng.pick(WORDS), rng.pick(WORDS)),
            },
            "tags" | "authors" | "practices" | "expertise" | "learning" | "git" => list(rng),
            "date" | "updated" | "review_by" => format!(" {}", date_text(rng)),
            "draft" | "mentor" => {
                format!(" {}", rng.pick(&["true", "false", "yes", "\"true\"", "1"]))
            }
            "status" => format!(
                " {}",
                rng.pick(&[
                    "proposed",
                    "emerging",
                    "established",
                    "retired",
                    "Established",
                    "establised",
                    "3"
                ])
            ),
            "owner" => format!(
                " {}",
                rng.pick(&["ana", "Ana María", "\"???\"", "[a, b]", "ben"])
            ),
            "links" => {
                let items: Vec<String> = (0..rng.below(4))
                    .map(|_| match rng.below(4) {
                        0 => format!(
                            "  - {{title: {}, url: https://example.org/{}}}",
                            rng.pick(WORDS),
                            rng.below(9)
                        ),
                        1 => format!(
                            "  - title: {}\n    url: {}",
                            rng.pick(WORDS),
                            rng.pick(DESTS)
                        ),
                        2 => "  - https://bare.example.org".to_string(),
                        _ => format!("  - title: {}", rng.pick(WORDS)),
                    })
                    .collect();
                if items.is_empty() {
                    rng.pick(&[" []", " https://not-a-list.org", ""])
                        .to_string()
                } else {
                    format!("\n{}", items.join("\n"))
                }
            }
            _ => value(rng, 0, 2),
        }
    }

    const KEYS: &[&str] = &[
        "title",
        "summary",
        "tags",
        "authors",
        "date",
        "updated",
        "draft",
        "status",
        "review_by",
        "owner",
        "practices",
        "expertise",
        "learning",
        "mentor",
        "role",
        "organization",
        "links",
        "git",
        "audience",
        "items",
    ];
    const EXTRA_KEYS: &[&str] = &[
        "sponsor",
        "tag",
        "weight",
        "nested",
        "x-custom",
        "ünïcode",
        "menu",
        "aliases",
    ];

    fn front_matter(rng: &mut Rng) -> String {
        let mut keys: Vec<&str> = KEYS
            .iter()
            .copied()
            .filter(|key| rng.chance(if *key == "title" { 92 } else { 45 }))
            .collect();
        keys.extend(EXTRA_KEYS.iter().filter(|_| rng.chance(12)));
        // Keys in any order, as people write them.
        for n in (1..keys.len()).rev() {
            keys.swap(n, rng.below(n + 1));
        }
        let mut lines: Vec<String> = keys
            .iter()
            .map(|key| format!("{key}:{}", known_value(rng, key)))
            .collect();
        if rng.chance(5) {
            lines.push("# a comment".into());
        }
        lines.join("\n")
    }

    fn inline(rng: &mut Rng, links: bool) -> String {
        let mut pieces = Vec::new();
        for _ in 0..1 + rng.below(10) {
            let word = rng.pick(WORDS);
            let dest = rng.pick(DESTS);
            let piece = match rng.below(if links { 30 } else { 10 }) {
                0..=3 => word.to_string(),
                4 => format!("*{word}*"),
                5 => format!("**{word}**"),
                6 => format!("`{word} [[x]]`"),
                7 => format!("~~{word}~~"),
                8 => rng
                    .pick(&[
                        "&amp; &copy; &#x1F600;",
                        "\\*escaped\\*",
                        "<span class=\"x\">raw</span>",
                        "a  \nbreak",
                    ])
                    .to_string(),
                9 => rng.pick(&["[[", "]]", "[^", "<", "![", "[x]"]).to_string(),
                10 | 11 => format!("[{word}]({dest})"),
                12 => format!("[{word}]({dest} \"a title\")"),
                13 => format!("[[{word}]]"),
                14 => format!("[[{word}|{}]]", rng.pick(WORDS)),
                15 => format!("[[?{word}]]"),
                16 => format!("![{word}](images/{}.png)", rng.below(5)),
                17 => format!("![{word} [[{}]]](p.png)", rng.pick(WORDS)),
                18 => "![outer ![inner](i.png) <https://in.alt>](o.png)".to_string(),
                19 => format!("[![{word}](i.png)]({dest})"),
                20 => format!("[see <https://auto.example/{}>]({dest})", rng.below(9)),
                21 => "<https://example.org/a?b=c&d=é>".to_string(),
                22 => format!("<someone{}@example.org>", rng.below(9)),
                23 => format!("[^n{}]", rng.below(3)),
                24 => format!("<a href=\"{dest}\">raw a</a>"),
                25 => format!("[{word}][r{}]", rng.below(3)),
                26 => format!("[r{}]", rng.below(3)),
                27 => format!("[*{word}* and `code`]({dest})"),
                28 => "https://bare.example.org".to_string(),
                _ => format!("[[{word}#part]]"),
            };
            pieces.push(piece);
        }
        pieces.join(" ")
    }

    fn body(rng: &mut Rng) -> String {
        let mut blocks = Vec::new();
        for _ in 0..rng.below(14) {
            let block = match rng.below(16) {
                0 | 1 => {
                    let attributes = match rng.below(5) {
                        0 => format!(" {{#id-{}}}", rng.below(3)),
                        1 => " {.class #custom}".to_string(),
                        _ => String::new(),
                    };
                    let links = rng.chance(30);
                    format!(
                        "{} {}{attributes}",
                        "#".repeat(1 + rng.below(6)),
                        inline(rng, links)
                    )
                }
                2 => format!("{}\n{}", rng.pick(WORDS), rng.pick(&["===", "---"])),
                3..=6 => inline(rng, true),
                7 => format!(
                    "| a | {} |\n|---|:-:|\n| {} | {} |\n| é | |",
                    rng.pick(WORDS),
                    inline(rng, true),
                    inline(rng, false)
                ),
                8 => {
                    let items: Vec<String> = (0..1 + rng.below(4))
                        .map(|n| {
                            let marker = rng.pick(&["- ", "* ", "1. ", "- [ ] ", "- [x] "]);
                            let nest = if n > 0 && rng.chance(30) { "  " } else { "" };
                            format!("{nest}{marker}{}", inline(rng, true))
                        })
                        .collect();
                    items.join("\n")
                }
                9 => format!("> {}\n> {}", inline(rng, true), inline(rng, false)),
                10 => format!(
                    "```{}\nlet x = [[no]]; <b>\n```",
                    rng.pick(&["", "rust", "html"])
                ),
                11 => format!("    indented [code]({})", rng.pick(DESTS)),
                12 => format!(
                    "<div class=\"box\">\n<a href=\"{}\">raw</a> {}\n</div>",
                    rng.pick(DESTS),
                    rng.pick(WORDS)
                ),
                13 => format!("[^n{}]: {}", rng.below(3), inline(rng, true)),
                14 => format!("[r{}]: {} \"Title\"", rng.below(3), rng.pick(DESTS)),
                _ => rng
                    .pick(&[
                        "***",
                        "",
                        "\u{a0}",
                        "<!-- a comment [[x]] -->",
                        "Ωμέγα ∑ 𝒳",
                        "a <span id=\"s\" onclick=\"x()\">[in](x.md) span</span>",
                    ])
                    .to_string(),
            };
            blocks.push(block);
        }
        blocks.join("\n\n")
    }

    /// A whole document file: mostly well formed, now and then broken in
    /// one of the ways the loader reports.
    fn file_text(rng: &mut Rng) -> String {
        let text = match rng.below(40) {
            0 => String::new(),
            1 => " \n\t\n".into(),
            2 => format!("# No front matter\n\n{}", body(rng)),
            3 => format!("---\n{}\n", front_matter(rng)),
            4 => format!("---\ntitle: [unclosed\n---\n{}", body(rng)),
            5 => format!("---\n- a list\n- not a mapping\n---\n{}", body(rng)),
            6 => format!("---\n{}\n...\n{}", front_matter(rng), body(rng)),
            7 => format!("---\n---\n{}", body(rng)),
            8 => format!("---\n{}\n---\n", front_matter(rng)),
            _ => format!("---\n{}\n---\n{}\n", front_matter(rng), body(rng)),
        };
        let text = if rng.chance(5) {
            text.replace('\n', "\r\n")
        } else {
            text
        };
        if rng.chance(4) {
            format!("\u{feff}{text}")
        } else {
            text
        }
    }

    /// Generated document files in a temporary community folder.
    struct Corpus {
        dir: tempfile::TempDir,
        files: Vec<(Kind, PathBuf)>,
    }

    fn corpus(count: usize, seed: u64) -> Corpus {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut rng = Rng(seed);
        let mut files = Vec::new();
        for n in 0..count {
            let kind = Kind::ALL[rng.below(Kind::ALL.len())];
            let name = match rng.below(10) {
                0 => format!("Café {n}.md"),
                1 => format!("sub/dir/n{n}.md"),
                2 if rng.chance(20) => format!("x{n}/__.md"),
                _ => format!("doc-{n}.md"),
            };
            let path = dir.path().join(kind.section()).join(name);
            std::fs::create_dir_all(path.parent().expect("in a section")).expect("folder");
            std::fs::write(&path, file_text(&mut rng)).expect("written");
            files.push((kind, path));
        }
        Corpus { dir, files }
    }

    fn read(corpus: &Corpus, at: usize, reading: Reading) -> Parsed {
        let (kind, path) = &corpus.files[at];
        let (document, diagnostics) =
            load::read_file(corpus.dir.path(), path, *kind, reading, RawHtml::Allow);
        (document.map(Arc::unwrap_or_clone), diagnostics)
    }

    /// A decoded entry used as a build would use it: whatever damaged
    /// bytes decode to must not make a later stage panic either.
    fn used(decoded: Option<Parsed>) {
        if let Some((Some(document), _)) = decoded {
            let hrefs = vec![Href::Keep; document.scan.links.len()];
            let _ =
                crate::support::markdown::to_html(document.body.as_ref(), &document.scan, &hrefs);
            let _ = document.summary();
        }
    }

    /// What the generated documents held, so that the test fails when the
    /// generator stops reaching a part of the model.
    fn features((document, diagnostics): &Parsed) -> Vec<String> {
        let mut seen = Vec::new();
        for d in diagnostics {
            seen.push(format!(
                "diagnostic {:?} hint {}",
                d.severity,
                d.hint.is_some()
            ));
        }
        let Some(document) = document else {
            seen.push("no document".into());
            return seen;
        };
        let f = &document.front;
        let fields = [
            ("title", !f.title.is_empty()),
            ("summary", !f.summary.is_empty()),
            ("tags", !f.tags.is_empty()),
            ("authors", !f.authors.is_empty()),
            ("date", f.date.is_some()),
            ("updated", f.updated.is_some()),
            ("draft", f.draft),
            ("status", f.status.is_some()),
            ("review_by", f.review_by.is_some()),
            ("owner", f.owner.is_some()),
            ("practices", !f.practices.is_empty()),
            ("expertise", !f.expertise.is_empty()),
            ("learning", !f.learning.is_empty()),
            ("mentor", f.mentor),
            ("role", f.role.is_some()),
            ("organization", f.organization.is_some()),
            ("links", !f.links.is_empty()),
            ("git", !f.git.is_empty()),
            ("audience", f.audience.is_some()),
            ("items", !f.items.is_empty()),
            ("extra", !f.extra.is_empty()),
            (
                "nested extra",
                f.extra.values().any(|v| v.is_object() || v.is_array()),
            ),
            ("headings", !document.scan.headings.is_empty()),
            ("first paragraph", !document.scan.first_paragraph.is_empty()),
            (
                "empty body",
                document.scan.headings.is_empty()
                    && document.scan.links.is_empty()
                    && document.scan.first_paragraph.is_empty(),
            ),
            ("non-ASCII text", !document.scan.text.is_ascii()),
            (
                "text runs",
                document
                    .body
                    .as_ref()
                    .is_some_and(|b| !b.text_runs.is_empty()),
            ),
        ];
        seen.extend(
            fields
                .iter()
                .filter(|(_, s)| *s)
                .map(|(name, _)| name.to_string()),
        );
        seen.push(format!("kind {:?}", document.kind));
        for link in &document.scan.links {
            seen.push(format!("link {:?}", link.kind));
        }
        for mark in document.body.iter().flat_map(|b| &b.marks) {
            seen.push(format!(
                "mark {}",
                format!("{mark:?}")
                    .split([' ', '{'])
                    .next()
                    .unwrap_or_default()
            ));
        }
        seen
    }

    const DOCUMENTS: usize = 3000;

    #[test]
    fn every_generated_document_comes_back_from_its_entry() {
        let corpus = corpus(DOCUMENTS, 0x5eed);
        let mut damage = Rng(17);
        let mut seen = BTreeSet::new();
        for at in 0..corpus.files.len() {
            for reading in [Reading::Full, Reading::Outline] {
                let parsed = read(&corpus, at, reading);
                let name = corpus.files[at].1.display();
                seen.extend(features(&parsed));
                let entry = encoded(&parsed);
                assert_eq!(
                    decode_entry(&entry, reading).as_ref(),
                    Some(&parsed),
                    "{name}, {reading:?}"
                );
                let (document, diagnostics) = parsed;
                match reading {
                    Reading::Full => {
                        // An outline reading takes what it needs of a full entry.
                        let outline = document.map(|mut d| {
                            d.body = None;
                            d.scan.text.clear();
                            d
                        });
                        assert_eq!(
                            decode_entry(&entry, Reading::Outline),
                            Some((outline, diagnostics)),
                            "{name}, a full entry read for an outline"
                        );
                    }
                    Reading::Outline if document.is_some() => {
                        assert_eq!(
                            decode_entry(&entry, Reading::Full),
                            None,
                            "{name}: an outline entry is a miss for a full reading"
                        );
                    }
                    Reading::Outline => {}
                }
                // Any one byte changed: a miss or some document, never a panic.
                let every_byte = at % 64 == 0;
                let places: Vec<usize> = if every_byte {
                    (0..entry.len()).collect()
                } else {
                    (0..8).map(|_| damage.below(entry.len())).collect()
                };
                for place in places {
                    let mut changed = entry.clone();
                    changed[place] ^= 1 + damage.below(255) as u8;
                    used(decode_entry(&changed, reading));
                    used(decode_entry(&changed, Reading::Full));
                }
                if every_byte {
                    for cut in 0..entry.len() {
                        used(decode_entry(&entry[..cut], reading));
                    }
                }
            }
        }
        let wanted = [
            "no document",
            "diagnostic Error hint true",
            "diagnostic Warning hint true",
            "extra",
            "nested extra",
            "headings",
            "first paragraph",
            "empty body",
            "non-ASCII text",
            "text runs",
            "kind Practice",
            "kind Guide",
            "kind CaseStudy",
            "kind Member",
            "kind Toolkit",
            "link Markdown",
            "link Wiki { has_text: false }",
            "link Wiki { has_text: true }",
            "link Image",
            "link Email",
            "mark Link",
            "mark Image",
            "mark InAlt",
        ];
        let missing: Vec<&str> = KEYS
            .iter()
            .chain(&wanted)
            .copied()
            .filter(|feature| !seen.contains(*feature))
            .collect();
        assert!(missing.is_empty(), "the generator never made: {missing:?}");
    }

    /// The same documents through the whole cache: written by one run,
    /// mapped and read by the next, and damaged on disk in between.
    #[test]
    fn a_cache_file_gives_back_what_its_run_read() {
        let corpus = corpus(300, 0xcafe);
        let root = corpus.dir.path();
        let sources: Vec<(Kind, PathBuf)> = load::sources(root);
        assert_eq!(sources.len(), corpus.files.len());
        let run_as = |cache: ParseCache, reading, raw_html| {
            let ReadAll {
                results,
                cache_use,
                written,
            } = load::read_all(root, &sources, cache, reading, raw_html);
            drop(written);
            (results, cache_use)
        };
        let run = |cache: ParseCache, reading| run_as(cache, reading, RawHtml::Allow);
        let cache_file = |dir: &Path| {
            let mut files = std::fs::read_dir(dir)
                .expect("cache folder")
                .map(|e| e.expect("listed").path())
                .filter(|p| is_cache_name(&p.file_name().unwrap_or_default().to_string_lossy()));
            files.next().expect("a cache file")
        };
        let mut damage = Rng(99);
        for reading in [Reading::Full, Reading::Outline] {
            let fresh = run(ParseCache::off(), reading).0;
            let cache = tempfile::tempdir().expect("temp dir");
            let (first, used) = run(ParseCache::open(cache.path(), root), reading);
            assert_eq!(first, fresh);
            let used = used.expect("on");
            assert_eq!(used.reused, 0);
            let (second, used) = run(ParseCache::open(cache.path(), root), reading);
            assert_eq!(second, fresh, "{reading:?}");
            assert_eq!(used.expect("on").parsed, 0);
            let file = cache_file(cache.path());
            let sound = std::fs::read(&file).expect("cache file");
            for _ in 0..24 {
                let mut changed = sound.clone();
                let at = damage.below(changed.len());
                changed[at] ^= 1 + damage.below(255) as u8;
                std::fs::write(&file, &changed).expect("damaged");
                let (damaged, _) = run(ParseCache::open(cache.path(), root), reading);
                assert_eq!(damaged, fresh, "{reading:?}, byte {at} changed");
                std::fs::write(&file, &sound).expect("mended");
            }
            // Another `raw_html` finds no entry: each holds HTML written under
            // its own. Each run writes the cache anew: the sound file goes back.
            for raw_html in [RawHtml::Sanitize, RawHtml::Escape] {
                let cache = ParseCache::open(cache.path(), root);
                let (read, used) = run_as(cache, reading, raw_html);
                assert_eq!(used.expect("on").reused, 0, "{raw_html:?}");
                assert_eq!(read, run_as(ParseCache::off(), reading, raw_html).0);
                if reading == Reading::Full {
                    assert_ne!(read, fresh, "the corpus has raw HTML");
                }
            }
            std::fs::write(&file, &sound).expect("mended");
            // The other reading: full entries serve an outline; outline entries miss.
            let other = match reading {
                Reading::Full => Reading::Outline,
                Reading::Outline => Reading::Full,
            };
            let (crossed, used) = run(ParseCache::open(cache.path(), root), other);
            let used = used.expect("on");
            if other == Reading::Full {
                assert_eq!(crossed, run(ParseCache::off(), other).0);
                // A file that made no document has no body to miss.
                let failed = crossed.iter().filter(|(_, (d, _))| d.is_none()).count();
                assert_eq!(used.reused, failed);
            } else {
                assert_eq!(used.parsed, 0);
                let outline = |(source, (document, diagnostics)): (String, load::ReadResult)| {
                    let document = document.map(|d| {
                        let mut d = Arc::unwrap_or_clone(d);
                        d.body = None;
                        d.scan.text.clear();
                        Arc::new(d)
                    });
                    (source, (document, diagnostics))
                };
                assert_eq!(crossed, fresh.into_iter().map(outline).collect::<Vec<_>>());
            }
        }
    }
}
