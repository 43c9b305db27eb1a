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
//! (key, start, length, checksum) and the entries, each encoded by [`Encoder`].

use std::cell::RefCell;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use jiff::civil::Date;
use rustc_hash::FxHashMap;

use crate::diagnostic::{Category, Diagnostic, Severity, Span};
use crate::document::{Document, FrontMatter, Kind, ProfileLink, Status};
use crate::fields::Located;
use crate::markdown::{BodyHtml, Heading, LinkKind, LinkMark, LinkRef, Reading, Scan};

/// Changed whenever the format does.
const MAGIC: &[u8] = b"practica parse cache 2\n";
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

/// Identifies a file's contents at a path.
pub type Key = u128;

pub fn key(relative: &str, bytes: &[u8]) -> Key {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(relative.as_bytes());
    hasher.update(&[0]);
    hasher.update(bytes);
    hasher.digest128()
}

/// The cache as the last run left it.
#[derive(Default)]
pub struct ParseCache {
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
pub struct Entry {
    pub key: Key,
    pub bytes: EntryBytes,
}

pub enum EntryBytes {
    /// Already in the cache read at the start of the run, with the
    /// checksum it was read with.
    Kept { range: Range<usize>, check: u64 },
    /// Parsed in this run.
    New(Vec<u8>),
}

impl ParseCache {
    /// No cache: every document is parsed, nothing is written.
    pub fn off() -> ParseCache {
        ParseCache::default()
    }

    pub fn is_on(&self) -> bool {
        self.file.is_some()
    }

    /// The cache of the community at `root`, empty if there is none yet or
    /// it was written by other code.
    pub fn open(dir: &Path, root: &Path) -> ParseCache {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let name = format!(
            "parse-{:032x}.bin",
            key(&root.to_string_lossy(), b"community")
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
    pub fn get(
        &self,
        key: Key,
        reading: Reading,
    ) -> Option<(Option<Document>, Vec<Diagnostic>, Entry)> {
        let (range, check) = self.index.get(&key)?.clone();
        let bytes = self.bytes.get(range.clone())?;
        // A torn or damaged entry is a miss, never a wrong document.
        (xxhash_rust::xxh3::xxh3_64(bytes) == check).then_some(())?;
        let mut decoder = Decoder { bytes, reading };
        let (document, diagnostics) = decoder.entry()?;
        let entry = Entry {
            key,
            bytes: EntryBytes::Kept { range, check },
        };
        Some((document, diagnostics, entry))
    }

    /// Writes the cache for the next run on another thread, unless nothing
    /// changed; the returned guard waits for the write when dropped.
    pub fn save(self, entries: Vec<Entry>) -> PendingWrite {
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
pub struct PendingWrite(Option<JoinHandle<()>>);

impl PendingWrite {
    pub fn none() -> PendingWrite {
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
fn parser_stamp() -> Vec<u8> {
    let mut encoder = Encoder::default();
    encoder.text(env!("CARGO_PKG_VERSION"));
    encoder.text(env!("PRACTICA_SOURCE_HASH"));
    encoder.bytes
}

fn read_index(bytes: &[u8]) -> Option<FxHashMap<Key, (Range<usize>, u64)>> {
    let mut decoder = Decoder {
        bytes: bytes.strip_prefix(MAGIC)?,
        reading: Reading::Outline,
    };
    if decoder.bytes_field()? != parser_stamp() {
        return None;
    }
    let count = decoder.size()?;
    let mut index = FxHashMap::default();
    for _ in 0..count {
        let key = decoder.key()?;
        let start = usize::try_from(decoder.fixed()?).ok()?;
        let end = start.checked_add(usize::try_from(decoder.fixed()?).ok()?)?;
        let check = decoder.fixed()?;
        (end <= bytes.len()).then_some(())?;
        index.insert(key, (start..end, check));
    }
    Some(index)
}

/// Each new entry's bytes are freed as soon as they are written: they are a
/// copy of every document's text and HTML, and the build is rendering pages
/// meanwhile.
fn write_file(file: &Path, old: &[u8], entries: Vec<Entry>) -> std::io::Result<()> {
    let mut header = Encoder::default();
    header.bytes.extend_from_slice(MAGIC);
    header.bytes_field(&parser_stamp());
    header.number(entries.len() as u64);
    // Fixed-width index rows, so entry offsets are known before writing them.
    let mut start = header.bytes.len() + entries.len() * INDEX_ROW;
    for entry in &entries {
        let bytes = entry.bytes(old);
        header.key(entry.key);
        header.fixed(start as u64);
        header.fixed(bytes.len() as u64);
        header.fixed(entry.check());
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
        out.write_all(&header.bytes)?;
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
    pub fn new(key: Key, document: Option<&Document>, diagnostics: &[Diagnostic]) -> Entry {
        // Encoded in a buffer each thread reuses, then copied at its exact
        // size: until the cache is written the entries of a first run are a
        // copy of every document, and a Vec grown by doubling holds up to
        // twice its bytes (a 10k first build peaked at 540 MiB).
        thread_local!(static BUFFER: RefCell<Encoder> = RefCell::default());
        let bytes = BUFFER.with_borrow_mut(|encoder| {
            encoder.bytes.clear();
            encoder.option(document, Encoder::document);
            encoder.list(diagnostics, Encoder::diagnostic);
            encoder.bytes.clone()
        });
        Entry {
            key,
            bytes: EntryBytes::New(bytes),
        }
    }

    /// Whether the entry is the one the last run left.
    pub fn is_kept(&self) -> bool {
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

/// Our own compact format: numbers as LEB128, texts with their length first.
#[derive(Default)]
struct Encoder {
    bytes: Vec<u8>,
}

impl Encoder {
    fn number(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.bytes.push((n as u8) | 0x80);
            n >>= 7;
        }
        self.bytes.push(n as u8);
    }

    fn key(&mut self, key: Key) {
        self.bytes.extend_from_slice(&key.to_le_bytes());
    }

    fn fixed(&mut self, n: u64) {
        self.bytes.extend_from_slice(&n.to_le_bytes());
    }

    fn bytes_field(&mut self, bytes: &[u8]) {
        self.number(bytes.len() as u64);
        self.bytes.extend_from_slice(bytes);
    }

    fn text(&mut self, text: &str) {
        self.bytes_field(text.as_bytes());
    }

    fn flag(&mut self, flag: bool) {
        self.number(u64::from(flag));
    }

    fn list<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Self, &T)) {
        self.number(items.len() as u64);
        for item in items {
            each(self, item);
        }
    }

    fn option<T>(&mut self, item: Option<&T>, each: impl FnOnce(&mut Self, &T)) {
        self.flag(item.is_some());
        if let Some(item) = item {
            each(self, item);
        }
    }

    fn span(&mut self, span: &Span) {
        self.number(span.line as u64);
        self.number(span.col as u64);
    }

    fn located(&mut self, located: &Located) {
        self.text(&located.text);
        self.span(&located.span);
    }

    fn date(&mut self, date: &Date) {
        // Years run from -9999; shifted, they are never negative.
        self.number((i64::from(date.year()) + 10_000) as u64);
        self.number(date.month() as u64);
        self.number(date.day() as u64);
    }

    fn document(&mut self, document: &Document) {
        // Destructured, so that a new field cannot be left out of the cache.
        let Document {
            kind,
            slug,
            source,
            url,
            front,
            body,
            body_line,
            scan,
        } = document;
        self.number(place(&Kind::ALL, kind));
        self.text(slug);
        self.text(source);
        self.text(url);
        self.front_matter(front);
        self.number(*body_line as u64);
        self.scan(scan);
        // What only a full reading has, in one field that `check` skips whole.
        let full = body.as_ref().map(|html| {
            let mut section = Encoder::default();
            section.text(&scan.text);
            section.body_html(html);
            section.bytes
        });
        self.option(full.as_ref(), |e, bytes| e.bytes_field(bytes));
    }

    fn front_matter(&mut self, front: &FrontMatter) {
        let FrontMatter {
            title,
            summary,
            tags,
            authors,
            date,
            updated,
            draft,
            status,
            review_by,
            owner,
            practices,
            expertise,
            learning,
            mentor,
            role,
            organization,
            links,
            extra,
        } = front;
        self.text(title);
        self.text(summary);
        for list in [tags, authors] {
            self.list(list, Self::located);
        }
        for day in [date, updated] {
            self.option(day.as_ref(), Self::date);
        }
        self.flag(*draft);
        self.option(status.as_ref(), |e, s| e.number(place(&STATUSES, s)));
        self.option(review_by.as_ref(), Self::date);
        self.option(owner.as_ref(), Self::located);
        for list in [practices, expertise, learning] {
            self.list(list, Self::located);
        }
        self.flag(*mentor);
        for text in [role, organization] {
            self.option(text.as_ref(), |e, t| e.text(t));
        }
        self.list(links, |e, link| {
            e.text(&link.title);
            e.text(&link.url);
        });
        // Values of keys practica does not know can be anything; JSON says what.
        self.text(&serde_json::to_string(extra).unwrap_or_default());
    }

    fn scan(&mut self, scan: &Scan) {
        let Scan {
            headings,
            links,
            words,
            first_paragraph,
            // Kept with the HTML, by `document`.
            text: _,
        } = scan;
        self.list(headings, |e, heading| {
            e.number(u64::from(heading.level));
            e.text(&heading.text);
            e.text(&heading.id);
        });
        self.list(links, |e, link| {
            e.text(&link.dest);
            e.number(place(&LINK_KINDS, &link.kind));
            e.span(&link.span);
        });
        self.number(*words as u64);
        self.text(first_paragraph);
    }

    fn body_html(&mut self, body: &BodyHtml) {
        let BodyHtml {
            html,
            marks,
            text_runs,
        } = body;
        self.text(html);
        self.list(marks, |e, mark| match mark {
            LinkMark::Link {
                open,
                href,
                close,
                texts,
            } => {
                e.number(0);
                for range in [open, close, texts] {
                    e.range(range);
                }
                e.number(*href as u64);
            }
            LinkMark::Image { src } => {
                e.number(1);
                e.number(*src as u64);
            }
            LinkMark::InAlt => e.number(2),
        });
        self.list(text_runs, Self::range);
    }

    fn range(&mut self, range: &Range<usize>) {
        self.number(range.start as u64);
        self.number(range.end as u64);
    }

    fn diagnostic(&mut self, diagnostic: &Diagnostic) {
        let Diagnostic {
            severity,
            category,
            path,
            span,
            message,
            hint,
        } = diagnostic;
        self.flag(*severity == Severity::Error);
        self.flag(*category == Category::Settings);
        self.text(path);
        self.span(span);
        self.text(message);
        self.option(hint.as_ref(), |e, h| e.text(h));
    }
}

/// Enumerations are stored as their place in these tables.
const STATUSES: [Status; 4] = [
    Status::Proposed,
    Status::Emerging,
    Status::Established,
    Status::Retired,
];
const LINK_KINDS: [LinkKind; 5] = [
    LinkKind::Markdown,
    LinkKind::Wiki { has_text: false },
    LinkKind::Wiki { has_text: true },
    LinkKind::Image,
    LinkKind::Email,
];

fn place<T: PartialEq>(table: &[T], item: &T) -> u64 {
    table.iter().position(|t| t == item).unwrap_or(0) as u64
}

/// Reads what `Encoder` wrote; `None` at anything unexpected, which makes
/// the entry a miss.
struct Decoder<'a> {
    bytes: &'a [u8],
    /// How much of the body the run needs: an entry from an outline
    /// reading is a miss for a full one.
    reading: Reading,
}

impl<'a> Decoder<'a> {
    fn number(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            n |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(n);
            }
        }
        None
    }

    fn size(&mut self) -> Option<usize> {
        usize::try_from(self.number()?).ok()
    }

    fn key(&mut self) -> Option<Key> {
        let (key, rest) = self.bytes.split_first_chunk::<16>()?;
        self.bytes = rest;
        Some(Key::from_le_bytes(*key))
    }

    fn fixed(&mut self) -> Option<u64> {
        let (n, rest) = self.bytes.split_first_chunk::<8>()?;
        self.bytes = rest;
        Some(u64::from_le_bytes(*n))
    }

    fn bytes_field(&mut self) -> Option<&'a [u8]> {
        let length = self.size()?;
        let (field, rest) = self.bytes.split_at_checked(length)?;
        self.bytes = rest;
        Some(field)
    }

    fn text(&mut self) -> Option<String> {
        std::str::from_utf8(self.bytes_field()?)
            .ok()
            .map(str::to_string)
    }

    fn flag(&mut self) -> Option<bool> {
        match self.number()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn list<T>(&mut self, mut each: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let count = self.size()?;
        // A corrupt count must not reserve memory: lists are short anyway.
        let mut items = Vec::with_capacity(count.min(16));
        for _ in 0..count {
            items.push(each(self)?);
        }
        Some(items)
    }

    fn option<T>(&mut self, each: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.flag()? {
            each(self).map(Some)
        } else {
            Some(None)
        }
    }

    fn span(&mut self) -> Option<Span> {
        Some(Span::new(self.size()?, self.size()?))
    }

    fn located(&mut self) -> Option<Located> {
        Some(Located {
            text: self.text()?,
            span: self.span()?,
        })
    }

    fn date(&mut self) -> Option<Date> {
        let year = i16::try_from(i64::try_from(self.number()?).ok()? - 10_000).ok()?;
        let month = i8::try_from(self.number()?).ok()?;
        let day = i8::try_from(self.number()?).ok()?;
        Date::new(year, month, day).ok()
    }

    fn entry(&mut self) -> Option<(Option<Document>, Vec<Diagnostic>)> {
        let document = self.option(Self::document)?;
        let diagnostics = self.list(Self::diagnostic)?;
        self.bytes.is_empty().then_some((document, diagnostics))
    }

    fn document(&mut self) -> Option<Document> {
        let kind = *Kind::ALL.get(self.size()?)?;
        let slug = self.text()?;
        let source = self.text()?;
        let url = self.text()?;
        let front = self.front_matter()?;
        let body_line = self.size()?;
        let mut scan = self.scan()?;
        let body = self.body(&mut scan)?;
        Some(Document {
            kind,
            slug,
            source,
            url,
            front,
            body,
            body_line,
            scan,
        })
    }

    fn front_matter(&mut self) -> Option<FrontMatter> {
        Some(FrontMatter {
            title: self.text()?,
            summary: self.text()?,
            tags: self.list(Self::located)?,
            authors: self.list(Self::located)?,
            date: self.option(Self::date)?,
            updated: self.option(Self::date)?,
            draft: self.flag()?,
            status: self.option(|d| STATUSES.get(d.size()?).copied())?,
            review_by: self.option(Self::date)?,
            owner: self.option(Self::located)?,
            practices: self.list(Self::located)?,
            expertise: self.list(Self::located)?,
            learning: self.list(Self::located)?,
            mentor: self.flag()?,
            role: self.option(Self::text)?,
            organization: self.option(Self::text)?,
            links: self.list(|d| {
                Some(ProfileLink {
                    title: d.text()?,
                    url: d.text()?,
                })
            })?,
            extra: serde_json::from_slice(self.bytes_field()?).ok()?,
        })
    }

    fn scan(&mut self) -> Option<Scan> {
        Some(Scan {
            headings: self.list(|d| {
                Some(Heading {
                    level: u8::try_from(d.number()?).ok()?,
                    text: d.text()?,
                    id: d.text()?,
                })
            })?,
            links: self.list(|d| {
                Some(LinkRef {
                    dest: d.text()?,
                    kind: *LINK_KINDS.get(d.size()?)?,
                    span: d.span()?,
                })
            })?,
            words: self.size()?,
            first_paragraph: self.text()?,
            text: String::new(),
        })
    }

    /// The body's HTML for a full reading, which also fills in the plain
    /// text; nothing for an outline reading.
    fn body(&mut self, scan: &mut Scan) -> Option<Option<BodyHtml>> {
        let full = self.option(Self::bytes_field)?;
        if self.reading == Reading::Outline {
            return Some(None);
        }
        let mut section = Decoder {
            bytes: full?,
            reading: self.reading,
        };
        scan.text = section.text()?;
        let html = section.body_html()?;
        // Marks out of place would cut the HTML wrongly: parse such an entry again.
        (section.bytes.is_empty() && html.is_sound(scan.links.len())).then_some(Some(html))
    }

    fn body_html(&mut self) -> Option<BodyHtml> {
        Some(BodyHtml {
            html: self.text()?,
            marks: self.list(|d| match d.number()? {
                0 => Some(LinkMark::Link {
                    open: d.range()?,
                    close: d.range()?,
                    texts: d.range()?,
                    href: d.size()?,
                }),
                1 => Some(LinkMark::Image { src: d.size()? }),
                2 => Some(LinkMark::InAlt),
                _ => None,
            })?,
            text_runs: self.list(Self::range)?,
        })
    }

    fn range(&mut self) -> Option<Range<usize>> {
        Some(self.size()?..self.size()?)
    }

    fn diagnostic(&mut self) -> Option<Diagnostic> {
        Some(Diagnostic {
            severity: match self.flag()? {
                true => Severity::Error,
                false => Severity::Warning,
            },
            category: match self.flag()? {
                true => Category::Settings,
                false => Category::Content,
            },
            path: self.text()?,
            span: self.span()?,
            message: self.text()?,
            hint: self.option(Self::text)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\u{feff}---\ntitle: Peer review\nsummary: Two eyes\ntags: [review, quality]\nauthors: [ana]\ndate: 2024-02-29\nupdated: 2025-01-01\nstatus: retired\nreview_by: -0001-03-04\nowner: ana\npractices: [a]\nexpertise: [x]\nlearning: [y]\nmentor: true\nrole: steward\norganization: Commons\nlinks:\n  - title: Site\n    url: https://example.org\nsponsor: {name: board, years: [1, 2.5]}\ntag: typo\n---\n# Why *this*\n\nSee [a](b.md), [[Wiki|text]], [[?Wanted]] and ![i](p.png). Café.\n";

    fn parsed() -> (Option<Document>, Vec<Diagnostic>) {
        crate::load::parse_document(Path::new("practices/peer-review.md"), Kind::Practice, TEXT)
    }

    fn encoded(document: &Option<Document>, diagnostics: &[Diagnostic]) -> Vec<u8> {
        match Entry::new(0, document.as_ref(), diagnostics).bytes {
            EntryBytes::New(bytes) => bytes,
            EntryBytes::Kept { .. } => unreachable!("a new entry"),
        }
    }

    #[test]
    fn an_entry_gives_back_the_document_and_its_diagnostics() {
        let (document, diagnostics) = parsed();
        let entry = encoded(&document, &diagnostics);
        let decoded = Decoder {
            bytes: &entry,
            reading: Reading::Full,
        }
        .entry()
        .expect("decodes");
        assert!(!diagnostics.is_empty());
        assert_eq!(
            format!("{decoded:?}"),
            format!("{:?}", (document, diagnostics))
        );
    }

    #[test]
    fn a_cut_or_changed_entry_is_a_miss_not_a_panic() {
        let (document, diagnostics) = parsed();
        let entry = encoded(&document, &diagnostics);
        for cut in 0..entry.len() {
            let mut decoder = Decoder {
                bytes: &entry[..cut],
                reading: Reading::Full,
            };
            assert!(decoder.entry().is_none(), "cut at {cut}");
        }
        for at in 0..entry.len() {
            let mut changed = entry.clone();
            changed[at] ^= 0xff;
            let _ = Decoder {
                bytes: &changed,
                reading: Reading::Full,
            }
            .entry();
        }
    }
}
