//! The site being imported, as every engine reads it: its settings, its
//! pages with their front matter (each key with its line) and old URLs,
//! and the files it publishes as they are.

use std::path::Path;

use jiff::civil::Date;
use serde_json::Value;

use crate::support::diagnostic::{Diagnostic, Span};
use crate::support::yaml;

/// What the site's own settings say about it.
#[derive(Debug, Default, Clone)]
pub(crate) struct Settings {
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) language: Option<String>,
    /// The site's address (`https://example.org/blog/`): absolute links
    /// that start with it are the site's own.
    pub(crate) base_url: Option<String>,
}

/// A site read by one engine.
#[derive(Debug, Default)]
pub(crate) struct SourceSite {
    pub(crate) settings: Settings,
    /// Where pages live, relative to the source root: `content`, `docs`, or
    /// `` for Jekyll and Obsidian. Zola's `@/` links start there.
    pub(crate) content_dir: String,
    pub(crate) pages: Vec<SourcePage>,
    pub(crate) files: Vec<StaticFile>,
    /// Display names of authors the site declares (Jekyll's
    /// `_data/authors.yml`), by the key its pages name them with.
    pub(crate) author_names: Vec<(String, String)>,
    /// Files left out, and why.
    pub(crate) notes: Vec<Diagnostic>,
}

/// One page of the source site.
#[derive(Debug, Clone)]
pub(crate) struct SourcePage {
    /// Relative to the source root, with `/` separators.
    pub(crate) path: String,
    /// The folder that decides its kind, relative to the content folder
    /// (`posts`, `docs/setup`; `` at the top). A bundle's `index.md` counts
    /// as a page of the folder holding the bundle.
    pub(crate) folder: String,
    /// The name its slug is made from: the file name without extension and
    /// date prefix, or a bundle's or section's folder name.
    pub(crate) stem: String,
    /// A section's own page (`_index.md`, MkDocs' `index.md`): imported
    /// only when it has text of its own.
    pub(crate) section_page: bool,
    pub(crate) front: Front,
    pub(crate) body: String,
    /// The line of the source file the body starts on (1-based).
    pub(crate) body_line: usize,
    /// Its addresses on the old site, root-relative (`/posts/hello/`).
    pub(crate) urls: Vec<String>,
    /// The date its file name carries (`2019-03-04-title.md`).
    pub(crate) name_date: Option<Date>,
    /// In a drafts folder (Jekyll's `_drafts`).
    pub(crate) draft_folder: bool,
    /// The title a navigation menu gives it (MkDocs' `nav`).
    pub(crate) nav_title: Option<String>,
    /// Its file name is its title (a vault's note).
    pub(crate) name_is_title: bool,
}

impl SourcePage {
    /// A page with its path and text; the engine fills in the rest.
    pub(crate) fn read(path: String, text: &str, notes: &mut Vec<Diagnostic>) -> SourcePage {
        let (front, body, body_line) = read_front(&path, text, notes);
        SourcePage {
            stem: stem_of(&path),
            folder: String::new(),
            section_page: false,
            front,
            body: body.to_string(),
            body_line,
            urls: Vec::new(),
            name_date: None,
            draft_folder: false,
            nav_title: None,
            name_is_title: false,
            path,
        }
    }

    /// The folder its file is in, relative to the source root.
    pub(crate) fn dir(&self) -> &str {
        parent_of(&self.path)
    }
}

/// A file the old site published as it is: an image, a download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StaticFile {
    /// Relative to the source root.
    pub(crate) path: String,
    /// Where the old site served it, relative to its root (`images/x.png`);
    /// it goes to `static/` at the same place, so old addresses still work.
    pub(crate) url: String,
}

/// Front matter as written, each top-level key with the line it is on.
#[derive(Debug, Clone, Default)]
pub(crate) struct Front {
    pub(crate) entries: Vec<Entry>,
    /// The front matter text, to find nested keys in.
    text: String,
    /// The file line of the text's first line.
    first_line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) value: Value,
    /// In the source file, 1-based.
    pub(crate) line: usize,
}

impl Front {
    /// The value of `key`, matched without regard to case (Hugo's keys
    /// are case-insensitive: `lastMod`, `Title`).
    pub(crate) fn get(&self, key: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case(key))
    }

    pub(crate) fn remove(&mut self, key: &str) -> Option<Entry> {
        let at = self
            .entries
            .iter()
            .position(|e| e.key.eq_ignore_ascii_case(key))?;
        Some(self.entries.remove(at))
    }

    pub(crate) fn string(&self, key: &str) -> Option<String> {
        self.get(key).and_then(|e| scalar_text(&e.value))
    }

    /// Replaces a table (`[taxonomies]`, `[extra]`) by its keys, each at
    /// its own line; a key already at the top stays as it is.
    pub(crate) fn flatten(&mut self, table: &str) {
        let Some(entry) = self.remove(table) else {
            return;
        };
        let Value::Object(map) = entry.value else {
            self.entries.push(entry);
            return;
        };
        for (key, value) in map {
            if self.get(&key).is_some() {
                continue;
            }
            let line = self.nested_line(entry.line, &key);
            self.entries.push(Entry { key, value, line });
        }
        self.entries.sort_by_key(|e| e.line);
    }

    /// The line of `key` written below the line `after` (a table's
    /// header), else that line.
    fn nested_line(&self, after: usize, key: &str) -> usize {
        let skip = after.saturating_sub(self.first_line) + 1;
        self.text
            .lines()
            .enumerate()
            .skip(skip)
            .find(|(_, line)| key_written(line.trim_start(), key))
            .map_or(after, |(index, _)| self.first_line + index)
    }
}

/// A string, number or boolean as text.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Whether `line` starts by writing `key` (`key:`, `key =`, `"key" =`).
fn key_written(line: &str, key: &str) -> bool {
    let rest = line
        .strip_prefix(key)
        .or_else(|| line.strip_prefix(&format!("\"{key}\"")))
        .or_else(|| line.strip_prefix(&format!("'{key}'")));
    rest.is_some_and(|r| {
        let r = r.trim_start();
        r.starts_with('=') || r.starts_with(':')
    })
}

/// Splits a page into its front matter (YAML between `---` lines, or TOML
/// between `+++` lines) and body; a front matter that cannot be read is
/// noted and left out.
fn read_front<'t>(
    path: &str,
    text: &'t str,
    notes: &mut Vec<Diagnostic>,
) -> (Front, &'t str, usize) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some((fence, front_text, body, body_line)) = split_front(text) else {
        return (Front::default(), text, 1);
    };
    let front = match fence {
        "---" => yaml_front(front_text),
        _ => toml_front(front_text),
    };
    match front {
        Ok(entries) => {
            let front = Front {
                entries,
                text: front_text.to_string(),
                first_line: 2,
            };
            (front, body, body_line)
        }
        Err((span, message)) => {
            notes.push(
                Diagnostic::warning(
                    path,
                    span,
                    format!("front matter cannot be read: {message}"),
                )
                .with_hint("the page is imported without it: add its title, date and tags by hand"),
            );
            (Front::default(), body, body_line)
        }
    }
}

/// (fence, front matter text, body, body's first line) when the text
/// starts with a `---` or `+++` line that is closed again.
fn split_front(text: &str) -> Option<(&'static str, &str, &str, usize)> {
    let fence = ["---", "+++"]
        .into_iter()
        .find(|f| text.lines().next().is_some_and(|l| l.trim_end() == *f))?;
    let start = text.find('\n')? + 1;
    let mut offset = start;
    for (index, line) in text[start..].split_inclusive('\n').enumerate() {
        let bare = line.trim_end();
        if bare == fence || (fence == "---" && bare == "...") {
            let body = &text[offset + line.len()..];
            return Some((fence, &text[start..offset], body, index + 3));
        }
        offset += line.len();
    }
    None
}

type FrontError = (Span, String);

fn yaml_front(text: &str) -> Result<Vec<Entry>, FrontError> {
    let mapping = yaml::parse_mapping(text).map_err(|e| {
        (
            Span::new(e.span.line + 1, e.span.col),
            format!("invalid YAML: {}", e.message),
        )
    })?;
    let mut entries: Vec<Entry> = mapping
        .entries
        .iter()
        .map(|(key, value)| Entry {
            key: key.clone(),
            value: value.clone(),
            line: mapping.key_span(key).line + 1,
        })
        .collect();
    entries.sort_by_key(|e| e.line);
    Ok(entries)
}

fn toml_front(text: &str) -> Result<Vec<Entry>, FrontError> {
    let table = parse_toml(text).map_err(|(span, message)| {
        (
            Span::new(span.line + 1, span.col),
            format!("invalid TOML: {message}"),
        )
    })?;
    let lines: Vec<&str> = text.lines().collect();
    let mut entries: Vec<Entry> = table
        .into_iter()
        .map(|(key, value)| {
            let line = lines
                .iter()
                .position(|l| key_written(l, &key) || l.trim() == format!("[{key}]"))
                .map_or(1, |i| i + 1);
            Entry {
                key,
                value,
                line: line + 1,
            }
        })
        .collect();
    entries.sort_by_key(|e| e.line);
    Ok(entries)
}

/// A TOML text as JSON values (dates become their text), or where and
/// why it cannot be read.
pub(crate) fn parse_toml(text: &str) -> Result<serde_json::Map<String, Value>, (Span, String)> {
    match toml::from_str::<toml::Table>(text) {
        Ok(table) => Ok(table.into_iter().map(|(k, v)| (k, toml_json(v))).collect()),
        Err(error) => {
            let offset = error.span().map_or(0, |s| s.start);
            let before = text.get(..offset).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            let message = error.message().trim().to_string();
            Err((Span::new(line, col), message))
        }
    }
}

fn toml_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_json).collect()),
        toml::Value::Table(table) => {
            Value::Object(table.into_iter().map(|(k, v)| (k, toml_json(v))).collect())
        }
    }
}

/// A YAML settings file's top-level keys, or where and why it cannot be read.
pub(crate) fn parse_yaml(text: &str) -> Result<serde_json::Map<String, Value>, (Span, String)> {
    yaml::parse_mapping(text)
        .map(|m| m.entries)
        .map_err(|e| (e.span, e.message))
}

/// A settings file of the source site, read as TOML or YAML by its
/// extension; `None` when it is missing. One it cannot read is a refusal.
pub(crate) fn settings_file(
    root: &Path,
    relative: &str,
) -> Result<Option<serde_json::Map<String, Value>>, Diagnostic> {
    let Ok(text) = std::fs::read_to_string(root.join(relative)) else {
        return Ok(None);
    };
    let parsed = if relative.ends_with(".toml") {
        parse_toml(&text)
    } else if relative.ends_with(".json") {
        serde_json::from_str(&text).map_err(|e| (Span::new(e.line(), e.column()), e.to_string()))
    } else {
        parse_yaml(&text)
    };
    parsed.map(Some).map_err(|(span, message)| {
        Diagnostic::error(
            relative,
            span,
            format!("cannot read the site's settings: {message}"),
        )
        .with_hint("fix the file, or pass --from to name the engine if this is not its settings")
    })
}

/// A string setting, looked for under each of `keys` (`params.description`).
pub(crate) fn setting(map: &serde_json::Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|key| {
        let mut parts = key.split('.');
        let first = map.get(parts.next()?)?;
        parts
            .try_fold(first, |value, part| value.get(part))
            .and_then(scalar_text)
            .filter(|s| !s.is_empty())
    })
}

/// The file name without its extension.
pub(crate) fn stem_of(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .map_or(name, |(stem, _)| stem)
        .to_string()
}

/// The folder of a `/`-separated path (`` at the top).
pub(crate) fn parent_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `a/b` + `c` → `a/b/c`, with no leading `/` when `dir` is empty.
pub(crate) fn join(dir: &str, name: &str) -> String {
    match (dir.is_empty(), name.is_empty()) {
        (true, _) => name.to_string(),
        (_, true) => dir.to_string(),
        _ => format!("{dir}/{name}"),
    }
}

/// A date at the start of a file name: `2019-03-04-title` → (date, `title`).
pub(crate) fn dated_name(stem: &str) -> Option<(Date, &str)> {
    let date = stem.get(..10)?.parse::<Date>().ok()?;
    let rest = stem[10..].strip_prefix(['-', '_'])?;
    (!rest.is_empty()).then_some((date, rest))
}

/// Markdown files, by extension.
pub(crate) fn is_markdown(path: &str) -> bool {
    let lower = path.to_lowercase();
    [".md", ".markdown", ".mdown", ".mkd", ".mkdn"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// Every file under `dir` (relative to `root`), sorted, skipping hidden
/// names and not following links; links are noted, never read.
pub(crate) fn files_under(root: &Path, dir: &str, notes: &mut Vec<Diagnostic>) -> Vec<String> {
    let base = root.join(dir);
    let mut found = Vec::new();
    let walk = walkdir::WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk.filter_map(Result::ok) {
        let Ok(relative) = entry.path().strip_prefix(root) else {
            continue;
        };
        let relative = crate::support::diagnostic::display_path(relative);
        if entry.path_is_symlink() {
            notes.push(
                Diagnostic::warning_in(&relative, "a symbolic link: not imported")
                    .with_hint("copy what it points to into the site if it belongs there"),
            );
        } else if entry.file_type().is_file() {
            found.push(relative);
        }
    }
    found
}

/// Reads a page's text; a file that is not UTF-8 is noted and skipped.
pub(crate) fn read_text(root: &Path, path: &str, notes: &mut Vec<Diagnostic>) -> Option<String> {
    match std::fs::read(root.join(path)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(text),
            Err(_) => {
                notes.push(
                    Diagnostic::warning_in(path, "not UTF-8 text: not imported")
                        .with_hint("save it as UTF-8 and import again"),
                );
                None
            }
        },
        Err(error) => {
            notes.push(Diagnostic::warning_in(
                path,
                format!("cannot be read ({error}): not imported"),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_front_matter_keeps_lines_and_flattens_tables() {
        let text = "+++\ntitle = \"Hello\"\ndate = 2019-03-04T10:00:00Z\n\n[taxonomies]\ntags = [\"a\", \"b\"]\n\n[extra]\nmood = \"calm\"\n+++\nBody\n";
        let mut notes = Vec::new();
        let mut page = SourcePage::read("content/x.md".into(), text, &mut notes);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(page.body, "Body\n");
        assert_eq!(page.body_line, 11);
        assert_eq!(page.front.get("date").map(|e| e.line), Some(3));
        assert_eq!(
            page.front.string("date").as_deref(),
            Some("2019-03-04T10:00:00Z")
        );
        page.front.flatten("taxonomies");
        page.front.flatten("extra");
        assert_eq!(page.front.get("tags").map(|e| e.line), Some(6));
        assert_eq!(page.front.get("mood").map(|e| e.line), Some(9));
    }

    #[test]
    fn yaml_front_matter_keys_have_their_lines() {
        let text = "---\ntitle: Hi\ntags:\n  - a\nauthor: Amara\n---\n\nText\n";
        let mut notes = Vec::new();
        let page = SourcePage::read("_posts/x.md".into(), text, &mut notes);
        assert_eq!(page.front.get("author").map(|e| e.line), Some(5));
        assert_eq!(page.body_line, 7);
    }

    #[test]
    fn broken_front_matter_is_noted_at_its_line() {
        let text = "---\ntitle: [Hi\n---\nText\n";
        let mut notes = Vec::new();
        let page = SourcePage::read("a.md".into(), text, &mut notes);
        assert_eq!(page.body, "Text\n");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].span().map(|s| s.line), Some(2));
    }

    #[test]
    fn dates_in_file_names() {
        assert_eq!(
            dated_name("2019-03-04-first-post"),
            Some((jiff::civil::date(2019, 3, 4), "first-post"))
        );
        assert_eq!(dated_name("2019-03-04"), None);
        assert_eq!(dated_name("about"), None);
    }
}
