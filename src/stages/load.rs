//! Walks the community folder and reads every document in parallel.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use walkdir::WalkDir;

use crate::model::document::{Document, Kind};
use crate::support::diagnostic::{Diagnostic, LineIndex, Span, display_path};
use crate::support::markdown::{self, Reading};
use crate::support::parse_cache::{self, CacheUse, Entry, ParseCache, PendingWrite};
use crate::support::raw_html::RawHtml;
use crate::{support::front_matter, support::yaml};

pub(crate) const STATIC_DIR: &str = "static";

/// Everything read from disk, before links are resolved.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    /// Sorted by section, then source path.
    /// Shared: `serve` keeps every file it read and links them again after
    /// each edit, without copying them.
    pub(crate) documents: Vec<Arc<Document>>,
    /// Drafts left out of this build, by source path, so links to them get a clear message.
    pub(crate) skipped_drafts: Vec<String>,
    /// Document files that could not be read: their own diagnostics say
    /// why, so links and references to them are not reported as well.
    pub(crate) unreadable: Vec<Unreadable>,
    /// Files under `static/`, relative to it, with `/` separators.
    pub(crate) static_files: BTreeSet<String>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// How much of each body was read: after an outline reading the link
    /// stage skips what only pages show.
    pub(crate) reading: Reading,
}

/// A document file that could not be made into a document (bad front
/// matter, not UTF-8): what links to it can name it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unreadable {
    pub(crate) kind: Kind,
    pub(crate) source: String,
    /// From the file name, as the document's would be; `None` when the
    /// name has nothing to make a slug from.
    pub(crate) slug: Option<String>,
}

/// Files read by `read_all`: each result with its source path relative to
/// the root, and how the parse cache served them (`None` without one).
pub(crate) struct ReadAll {
    pub(crate) results: Vec<(String, ReadResult)>,
    pub(crate) cache_use: Option<CacheUse>,
    /// The cache for the next run, written on another thread until dropped.
    pub(crate) written: PendingWrite,
}

/// Reads `sources` in parallel, taking unchanged documents from the parse
/// cache of an earlier run and leaving the cache for the next: written on
/// another thread until the returned guard is dropped. `reading` says how
/// much of each body to keep (see `markdown::Reading`), `raw_html` what
/// becomes of raw HTML in it.
pub(crate) fn read_all(
    root: &Path,
    sources: &[(Kind, PathBuf)],
    cache: ParseCache,
    reading: Reading,
    raw_html: RawHtml,
) -> ReadAll {
    let (results, entries): (Vec<(String, ReadResult)>, Vec<Option<Entry>>) = sources
        .par_iter()
        .map(|(kind, path)| {
            let (result, entry) = read_cached(root, path, *kind, &cache, reading, raw_html);
            let source = display_path(path.strip_prefix(root).unwrap_or(path));
            ((source, result), entry)
        })
        .unzip();
    let entries: Vec<Entry> = entries.into_iter().flatten().collect();
    let cache_use = cache.is_on().then(|| {
        let reused = entries.iter().filter(|e| e.is_kept()).count();
        CacheUse {
            reused,
            parsed: entries.len() - reused,
        }
    });
    ReadAll {
        results,
        cache_use,
        written: cache.save(entries),
    }
}

/// One file's reading: the document, if it could be made, and its problems.
pub(crate) type ReadResult = (Option<Arc<Document>>, Vec<Diagnostic>);

/// Every document file of the four sections, with its kind.
pub(crate) fn sources(root: &Path) -> Vec<(Kind, PathBuf)> {
    sources_checked(root).0
}

/// `sources`, with a warning for each link out of the community, which is
/// not read: a section folder, or a document, that is a link to elsewhere.
pub(crate) fn sources_checked(root: &Path) -> (Vec<(Kind, PathBuf)>, Vec<Diagnostic>) {
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut files = Vec::new();
    let mut refused = Vec::new();
    for kind in Kind::ALL {
        let (found, problems) = markdown_files(&root.join(kind.section()), root, &real_root);
        files.extend(found.into_iter().map(|path| (kind, path)));
        refused.extend(problems);
    }
    (files, refused)
}
fn unreadable(source: &str) -> Option<Unreadable> {
    let path = Path::new(source);
    Some(Unreadable {
        kind: kind_of(path)?,
        slug: file_slug(path),
        source: source.to_string(),
    })
}

/// The kind of document a path (relative to the root) would be, if it is one.
pub(crate) fn kind_of(relative: &Path) -> Option<Kind> {
    let mut parts = relative.components();
    let section = parts.next()?.as_os_str().to_str()?;
    let kind = Kind::from_section(section)?;
    let name = relative.file_name()?.to_string_lossy().to_lowercase();
    let hidden = relative
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    (name.ends_with(".md") && name != "readme.md" && !hidden).then_some(kind)
}

/// Puts files read one by one, each with its source path, together:
/// drafts set aside, unreadable files noted, URLs checked.
pub(crate) fn assemble<'s>(
    results: impl IntoIterator<Item = (&'s str, ReadResult)>,
    static_files: BTreeSet<String>,
    include_drafts: bool,
) -> Loaded {
    let mut loaded = Loaded::default();
    for (source, (document, diagnostics)) in results {
        loaded.diagnostics.extend(diagnostics);
        match document {
            Some(d) if d.front.draft && !include_drafts => {
                loaded.skipped_drafts.push(d.source.clone())
            }
            Some(d) => loaded.documents.push(d),
            None => loaded.unreadable.extend(unreadable(source)),
        }
    }
    check_unique_urls(&loaded.documents, &mut loaded.diagnostics);
    loaded.static_files = static_files;
    loaded
}

/// Markdown files of one section, in a stable order. Hidden files, editor
/// backups and a section's README (which documents the folder on GitHub) are not documents.
fn markdown_files(
    section: &Path,
    root: &Path,
    real_root: &Path,
) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let refuse = |path: &Path, real: &Path| {
        let link = display_path(path.strip_prefix(root).unwrap_or(path));
        Diagnostic::warning_in(
            &link,
            format!(
                "{link} is a link to {}, outside the community: it is not read",
                real.display()
            ),
        )
        .with_hint("copy it into the community instead of linking to it")
    };
    if let Ok(real) = std::fs::canonicalize(section)
        && !real.starts_with(real_root)
    {
        return (Vec::new(), vec![refuse(section, &real)]);
    }
    let mut refused = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    let entries = WalkDir::new(section)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok);
    for entry in entries {
        let is_document = entry.file_type().is_file()
            || (entry.path_is_symlink()
                && match std::fs::canonicalize(entry.path()) {
                    Ok(real) if !real.starts_with(real_root) => {
                        refused.push(refuse(entry.path(), &real));
                        false
                    }
                    Ok(real) => real.is_file(),
                    Err(_) => false,
                });
        let name = entry.file_name().to_string_lossy().to_lowercase();
        if is_document && name.ends_with(".md") && name != "readme.md" {
            files.push(entry.into_path());
        }
    }
    // Keys made once per file: walkdir's own sort by name found both names
    // again from their paths on every comparison (3 % of a cold `check`).
    files.sort_by_cached_key(|path| walk_order(path));
    (files, refused)
}

/// A path's bytes with each separator made the lowest byte, so that their
/// order is that of a walk taking each folder's names in order: `a/z.md`,
/// then `a-b.md`, then `a.md`.
fn walk_order(path: &Path) -> Vec<u8> {
    let bytes = path.as_os_str().as_encoded_bytes();
    bytes
        .iter()
        .map(|&b| {
            if std::path::is_separator(char::from(b)) {
                0
            } else {
                b
            }
        })
        .collect()
}

/// Files under `ROOT/static/` that the site publishes, relative to it, and
/// the links that were refused.
pub(crate) fn static_files(root: &Path, hidden: &[String]) -> (BTreeSet<String>, Vec<Diagnostic>) {
    let (files, problems) = published_files(&root.join(STATIC_DIR), root, hidden);
    (
        files.into_iter().map(|(_, relative)| relative).collect(),
        problems,
    )
}

/// The files a folder of static files publishes: each file's path to read
/// and its path relative to the folder. Hidden files and folders (`.git`,
/// `.env`, editor files) are left out but for the top-level names in
/// `hidden`. A link is followed only where it stays in the community `root`;
/// one out of it (the folder itself, or a file in it) is refused with a
/// warning naming it. `published_file` asks the same of one file.
pub(crate) fn published_files(
    dir: &Path,
    root: &Path,
    hidden: &[String],
) -> (Vec<(PathBuf, String)>, Vec<Diagnostic>) {
    let Ok(root) = std::fs::canonicalize(root) else {
        return (Vec::new(), Vec::new());
    };
    let relative_to_root = |path: &Path| display_path(path.strip_prefix(&root).unwrap_or(path));
    match std::fs::canonicalize(dir) {
        Ok(real) if !real.starts_with(&root) => {
            return (Vec::new(), vec![link_out(&relative_to_root(dir), &real)]);
        }
        Ok(_) => {}
        Err(_) => return (Vec::new(), Vec::new()),
    }
    let shown = |entry: &walkdir::DirEntry| {
        shown_name(&entry.file_name().to_string_lossy(), entry.depth(), hidden)
    };
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for entry in WalkDir::new(dir).into_iter().filter_entry(shown).flatten() {
        let Ok(relative) = entry.path().strip_prefix(dir).map(display_path) else {
            continue;
        };
        match static_entry(entry.path(), entry.file_type(), &root) {
            StaticEntry::File => files.push((entry.into_path(), relative)),
            StaticEntry::LinkOut(real) => {
                problems.push(link_out(&relative_to_root(entry.path()), &real));
            }
            StaticEntry::Not => {}
        }
    }
    (files, problems)
}

/// What `published_files(dir, root, hidden)` makes of the file at
/// `relative` in `dir`, asked of that file alone (for `serve`, after an
/// edit): the same names, and the same links followed.
pub(crate) fn published_file(
    dir: &Path,
    root: &Path,
    hidden: &[String],
    relative: &Path,
) -> StaticEntry {
    let (Ok(root), Ok(real_dir)) = (std::fs::canonicalize(root), std::fs::canonicalize(dir)) else {
        return StaticEntry::Not;
    };
    if !real_dir.starts_with(&root) {
        return StaticEntry::Not;
    }
    let mut path = dir.to_path_buf();
    let mut names = relative.components().peekable();
    let mut depth = 0;
    while let Some(std::path::Component::Normal(name)) = names.next() {
        depth += 1;
        path.push(name);
        if !shown_name(&name.to_string_lossy(), depth, hidden) {
            return StaticEntry::Not;
        }
        // The walk goes into folders, never into links to them.
        let last = names.peek().is_none();
        let Ok(metadata) = std::fs::symlink_metadata(&path) else {
            return StaticEntry::Not;
        };
        match last {
            true => return static_entry(&path, metadata.file_type(), &root),
            false if !metadata.is_dir() => return StaticEntry::Not,
            false => {}
        }
    }
    StaticEntry::Not
}

/// Whether a name `depth` levels into a folder of static files is
/// published: a hidden one only at the top, and only when `hidden` lists it.
pub(crate) fn shown_name(name: &str, depth: usize, hidden: &[String]) -> bool {
    depth == 0 || !name.starts_with('.') || (depth == 1 && hidden.iter().any(|h| h == name))
}

/// What a folder of static files does with one of its entries.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum StaticEntry {
    /// Published: a file, or a link to a file in the community.
    File,
    /// A link out of the community, to the real path: refused, with a warning.
    LinkOut(PathBuf),
    /// Not published: a folder, a broken link, a hidden name.
    Not,
}

fn static_entry(path: &Path, kind: std::fs::FileType, real_root: &Path) -> StaticEntry {
    if kind.is_file() {
        return StaticEntry::File;
    }
    if !kind.is_symlink() {
        return StaticEntry::Not;
    }
    match std::fs::canonicalize(path) {
        Ok(real) if !real.starts_with(real_root) => StaticEntry::LinkOut(real),
        Ok(real) if real.is_file() => StaticEntry::File,
        _ => StaticEntry::Not,
    }
}

fn link_out(link: &str, real: &Path) -> Diagnostic {
    Diagnostic::warning_in(
        link,
        format!(
            "{link} is a link to {}, outside the community: it is not published",
            real.display()
        ),
    )
    .with_hint("copy what it links to into the community instead of linking to it")
}

/// One file, with the dates its front matter gives.
pub(crate) fn read_file(
    root: &Path,
    path: &Path,
    kind: Kind,
    reading: Reading,
    raw_html: RawHtml,
) -> ReadResult {
    read_cached(root, path, kind, &ParseCache::off(), reading, raw_html).0
}

/// One file, from the cache when its bytes are those of an earlier run
/// read with the same `raw_html`, with its entry for the next cache (none
/// for a file that cannot be read).
fn read_cached(
    root: &Path,
    path: &Path,
    kind: Kind,
    cache: &ParseCache,
    reading: Reading,
    raw_html: RawHtml,
) -> (ReadResult, Option<Entry>) {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let bytes = match read_bytes(path, relative) {
        Ok(bytes) => bytes,
        Err(d) => return ((None, vec![d]), None),
    };
    let key = cache
        .is_on()
        .then(|| parse_cache::key(&display_path(relative), &bytes, raw_html));
    let text = match utf8_text(bytes, relative) {
        Ok(text) => text,
        Err(d) => return ((None, vec![d]), None),
    };
    let hit = key.and_then(|key| cache.get(key, reading));
    let (document, diagnostics, entry) = match hit {
        Some((document, diagnostics, entry)) => (document, diagnostics, Some(entry)),
        None => {
            crate::support::memory::document_ahead(text.len());
            let (document, diagnostics) =
                read_document_text(relative, kind, &text, reading, raw_html);
            let entry = key.map(|key| Entry::new(key, document.as_ref(), &diagnostics));
            (document, diagnostics, entry)
        }
    };
    ((document.map(Arc::new), diagnostics), entry)
}

fn read_bytes(path: &Path, relative: &Path) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(path).map_err(|e| {
        Diagnostic::error_in(relative, format!("cannot read file: {e}"))
            .with_hint("check the file's permissions")
    })
}

fn utf8_text(bytes: Vec<u8>, relative: &Path) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let prefix = String::from_utf8_lossy(valid);
        let span = LineIndex::new(&prefix).span(prefix.len());
        Diagnostic::error(relative, span, "file is not UTF-8 text")
            .with_hint("save it as UTF-8 in your editor (the bad byte is here)")
    })
}

/// Parses one document from its text, raw HTML as written; `relative` is
/// its path from the root.
pub(crate) fn parse_document(
    relative: &Path,
    kind: Kind,
    text: &str,
) -> (Option<Document>, Vec<Diagnostic>) {
    read_document_text(relative, kind, text, Reading::Full, RawHtml::Allow)
}

/// A past version of a document (from git), read as `check` reads the
/// working tree: an outline, its problems dropped (they were fixed or are
/// reported on today's file).
pub(crate) fn parse_outline(
    relative: &Path,
    kind: Kind,
    text: &str,
    raw_html: RawHtml,
) -> (Option<Document>, Vec<Diagnostic>) {
    read_document_text(relative, kind, text, Reading::Outline, raw_html)
}

/// `parse_document`, keeping as much of the body as `reading` asks, its
/// raw HTML as `raw_html` says.
fn read_document_text(
    relative: &Path,
    kind: Kind,
    text: &str,
    reading: Reading,
    raw_html: RawHtml,
) -> (Option<Document>, Vec<Diagnostic>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (yaml_text, body, body_line) = match split_front_matter(text) {
        Ok(parts) => parts,
        Err(d) => return (None, vec![d.at(relative)]),
    };
    let mapping = match yaml::parse_mapping(yaml_text) {
        Ok(mapping) => mapping,
        Err(error) => {
            let span = Span::new(error.span.line + 1, error.span.col);
            let d = Diagnostic::error(
                relative,
                span,
                format!("invalid YAML in front matter: {}", error.message),
            )
            .with_hint(error.hint.unwrap_or_else(|| {
                "front matter is `key: value` lines; check indentation, colons and quotes here"
                    .into()
            }));
            return (None, vec![d]);
        }
    };
    let (front, mut diagnostics) = front_matter::read(&mapping, kind, relative, 1);
    let Some(slug) = file_slug(relative) else {
        diagnostics.push(
            Diagnostic::error_in(
                relative,
                "the file name has no letters or digits to make a URL from",
            )
            .with_hint("rename the file, like `peer-review.md`"),
        );
        return (None, diagnostics);
    };
    diagnostics.extend(template_leftovers(relative, body, body_line));
    diagnostics.extend(crate::scaffold::starter_leftovers(
        relative, kind, body, body_line,
    ));
    let (scan, kept) = markdown::read(body, reading, raw_html);
    let document = Document {
        kind,
        url: format!("{}/{slug}/", kind.section()),
        slug,
        source: display_path(relative),
        scan,
        body: kept,
        body_line,
        front,
    };
    (Some(document), diagnostics)
}

/// Template code of other engines left in a body, outside code blocks and
/// code spans: Jekyll's Liquid (`{{ site.x }}`, `{% include %}`, `{% link
/// %}`) and Hugo's shortcodes (`{{< ref "x" >}}`, `{{% note %}}`). Each is
/// shown as text on the page; one warning per line says what it is.
fn template_leftovers(relative: &Path, body: &str, body_line: usize) -> Vec<Diagnostic> {
    // Every body is read here: most have no `{{` or `{%` at all.
    if !body.contains("{{") && !body.contains("{%") {
        return Vec::new();
    }
    let mut fence: Option<&str> = None;
    let mut found = Vec::new();
    for (n, line) in body.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if let Some(open) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
            fence = Some(open);
            continue;
        }
        if line.starts_with("    ") || line.starts_with('\t') {
            continue;
        }
        let Some((col, what, advice)) = leftover_in(line) else {
            continue;
        };
        let span = Span::new(body_line + n, col);
        found.push(
            Diagnostic::warning(
                relative,
                span,
                format!("{what} is left from another engine; practica shows it as text"),
            )
            .with_hint(advice)
            .of(crate::support::diagnostic::Check::OtherEngines),
        );
    }
    found
}

/// The first piece of template code in a line outside code spans: its
/// column, what it is, and what to write instead.
fn leftover_in(line: &str) -> Option<(usize, &'static str, &'static str)> {
    const KINDS: [(&str, &str, &str); 4] = [
        (
            "{{<",
            "a Hugo shortcode",
            "for `ref`/`relref`, link to the `.md` file relative to this one; for other shortcodes, write their content as markdown or HTML",
        ),
        (
            "{{%",
            "a Hugo shortcode",
            "write its content as markdown (a note can be a `> ` quote)",
        ),
        (
            "{%",
            "Liquid template code (Jekyll)",
            "for `{% link %}` and `{% post_url %}`, link to the `.md` file relative to this one; put an include's content in the page",
        ),
        (
            "{{",
            "a Liquid or Hugo variable",
            "write the value itself (like the site's title or address)",
        ),
    ];
    let mut in_code = false;
    let mut col = 0;
    for (at, c) in line.char_indices() {
        col += 1;
        if c == '`' {
            in_code = !in_code;
            continue;
        }
        if in_code || c != '{' {
            continue;
        }
        let rest = &line[at..];
        if let Some((_, what, advice)) = KINDS.iter().find(|(open, ..)| rest.starts_with(open)) {
            let closes = ["}}", "%}", ">}}"]
                .iter()
                .any(|close| rest[2..].contains(close));
            if closes {
                return Some((col, what, advice));
            }
        }
    }
    None
}

fn file_slug(relative: &Path) -> Option<String> {
    let stem = relative.file_stem()?.to_string_lossy();
    let slug = slug::slugify(stem);
    (!slug.is_empty()).then_some(slug)
}

/// A front matter problem before the path is known.
struct SplitError {
    span: Span,
    message: &'static str,
    hint: &'static str,
}

impl SplitError {
    fn at(self, path: &Path) -> Diagnostic {
        Diagnostic::error(path, self.span, self.message).with_hint(self.hint)
    }
}

/// Splits `---` front matter from the body: (yaml, body, first body line).
fn split_front_matter(text: &str) -> Result<(&str, &str, usize), SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError {
            span: Span::new(1, 1),
            message: "file is empty",
            hint: "a document starts with front matter, like:\n  ---\n  title: Peer review of pickups\n  ---",
        });
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if first.trim_end() != "---" {
        return Err(SplitError {
            span: Span::new(1, 1),
            message: "document has no front matter",
            hint: "start the file with a `---` line, then `title: ...`, then another `---` line",
        });
    }
    let mut offset = first.len();
    for (number, line) in lines.enumerate() {
        if matches!(line.trim_end(), "---" | "...") {
            let yaml = &text[first.len()..offset];
            let body = &text[offset + line.len()..];
            return Ok((yaml, body, number + 3));
        }
        offset += line.len();
    }
    Err(SplitError {
        span: Span::new(1, 1),
        message: "front matter is never closed",
        hint: "add a line with `---` after the last front matter key",
    })
}

fn check_unique_urls(documents: &[Arc<Document>], diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: FxHashMap<&str, &Document> = FxHashMap::default();
    for document in documents {
        if let Some(first) = seen.insert(&document.url, document) {
            diagnostics.push(
                Diagnostic::error_in(
                    &document.source,
                    format!(
                        "{} and {} both make the page /{}",
                        first.source, document.source, document.url
                    ),
                )
                .with_hint("rename one of the two files; a page's URL comes from its file name"),
            );
            seen.insert(&first.url, first);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Option<Document>, Vec<Diagnostic>) {
        parse_document(Path::new("practices/x.md"), Kind::Practice, text)
    }

    #[test]
    fn markdown_files_come_in_the_order_of_a_walk_through_sorted_folders() {
        use std::fs;
        let section = tempfile::tempdir().unwrap();
        let names = [
            "b.md",
            "a.md",
            "a-b.md",
            "a/z.md",
            "a/b/c.md",
            "a/a.md",
            "A.md",
            "é.md",
            "z.md",
            "a.b/x.md",
            ".hidden/x.md",
            "README.md",
            "notes.txt",
        ];
        for name in names {
            let path = section.path().join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "x").unwrap();
        }
        let walked: Vec<PathBuf> = WalkDir::new(section.path())
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.path().extension() == Some("md".as_ref()))
            .filter(|e| e.file_name() != "README.md")
            .map(walkdir::DirEntry::into_path)
            .collect();
        let real = fs::canonicalize(section.path()).unwrap();
        let (found, refused) = markdown_files(section.path(), section.path(), &real);
        assert!(refused.is_empty());
        assert_eq!(found, walked);
        let relative: Vec<String> = found
            .iter()
            .map(|p| display_path(p.strip_prefix(section.path()).unwrap()))
            .collect();
        assert_eq!(
            relative,
            [
                "A.md", "a/a.md", "a/b/c.md", "a/z.md", "a-b.md", "a.b/x.md", "a.md", "b.md",
                "z.md", "é.md"
            ]
        );
    }

    /// `published_file`, asked of every path of a folder of static files
    /// (and of some that are not there), agrees with the walk of
    /// `published_files`: files, hidden names, links in and out, links to
    /// folders and what is under them.
    #[cfg(unix)]
    #[test]
    fn one_file_is_published_exactly_when_the_walk_publishes_it() {
        use std::fs;
        use std::os::unix::fs::symlink;
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret"), "s").unwrap();
        let dir = root.path().join("static");
        for file in [
            "a.css",
            "img/b.png",
            ".env",
            ".well-known/x.txt",
            ".well-known/.y",
            "img/.hidden/c",
            "deep/.well-known/z",
            "../notes.txt",
        ] {
            let path = dir.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "x").unwrap();
        }
        symlink(root.path().join("notes.txt"), dir.join("in.txt")).unwrap();
        symlink(outside.path().join("secret"), dir.join("out.txt")).unwrap();
        symlink(dir.join("img"), dir.join("linked-img")).unwrap();
        symlink(dir.join("a.css"), dir.join(".well-known/link.css")).unwrap();
        symlink(dir.join("gone"), dir.join("broken")).unwrap();
        let hidden = [".well-known".to_string()];
        let (walked, _) = published_files(&dir, root.path(), &hidden);
        let walked: BTreeSet<String> = walked.into_iter().map(|(_, r)| r).collect();
        let mut asked: Vec<String> = WalkDir::new(&dir)
            .min_depth(1)
            .into_iter()
            .flatten()
            .map(|e| display_path(e.path().strip_prefix(&dir).unwrap()))
            .collect();
        asked.extend(["linked-img/b.png", "nothing", "img/nothing"].map(String::from));
        for relative in &asked {
            let alone = published_file(&dir, root.path(), &hidden, Path::new(relative));
            let expected = match relative.as_str() {
                "out.txt" => {
                    StaticEntry::LinkOut(fs::canonicalize(outside.path().join("secret")).unwrap())
                }
                _ if walked.contains(relative) => StaticEntry::File,
                _ => StaticEntry::Not,
            };
            assert_eq!(alone, expected, "{relative}");
        }
        let published = [
            "a.css",
            "img/b.png",
            "in.txt",
            ".well-known/link.css",
            ".well-known/x.txt",
        ];
        assert_eq!(walked, BTreeSet::from(published.map(String::from)));
    }

    #[test]
    fn splits_front_matter_and_knows_the_body_line() {
        let (doc, diagnostics) = parse("---\ntitle: X\ntags: solo\n---\n# Body\n");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let doc = doc.unwrap();
        assert_eq!(doc.body_line, 5);
        assert_eq!(doc.front.tags[0].text, "solo");
        assert_eq!(doc.url, "practices/x/");
    }

    #[test]
    fn unclosed_front_matter_and_empty_file_are_errors() {
        let (_, d) = parse("---\ntitle: X\n");
        assert!(d[0].message.contains("never closed"));
        let (_, d) = parse("  \n");
        assert!(d[0].message.contains("empty"));
    }

    #[test]
    fn yaml_error_points_at_the_file_line() {
        let (_, d) = parse("---\ntitle: X\ntags: [a, b\n---\n");
        assert_eq!(d[0].span(), Some(Span::new(3, 7)), "{d:?}");
        let (_, d) = parse("---\ntitle: X\nsummary: a: b\n---\n");
        assert_eq!(d[0].span(), Some(Span::new(3, 11)), "{d:?}");
    }

    #[test]
    fn misspelt_key_warns_and_is_kept_as_extra() {
        let (doc, d) = parse("---\ntitle: X\ntag: a\n---\n");
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("did you mean `tags`"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].span(), Some(Span::new(3, 1)));
        assert!(doc.unwrap().front.extra.contains_key("tag"));
    }
}
