//! Typed reading of YAML mappings (front matter and `community.yaml`): each
//! wrong type becomes a diagnostic at the key's line, and reading goes on.

use std::path::Path;

use jiff::civil::Date;
use serde_json::Value;

use crate::support::diagnostic::{Diagnostic, Span, suggest};
use crate::support::yaml::{Mapping, describe};

/// A key practica reads from YAML, as one table both the loader and the
/// editor schemas (`crate::schema`) take their keys from, so a key the
/// loader knows is a key editors complete, and no other.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub(crate) key: &'static str,
    pub(crate) shape: Shape,
    /// For people: what the key does, as editors show it on hover.
    pub(crate) about: &'static str,
    /// Missing, empty or `null` is an error.
    pub(crate) required: bool,
    /// What a missing key means, when that is a value.
    pub(crate) default: Option<Literal>,
}

/// A value written in a table of fields.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Literal {
    Text(&'static str),
    Flag(bool),
    Count(i64),
}

impl Field {
    pub(crate) const fn new(key: &'static str, shape: Shape, about: &'static str) -> Field {
        Field {
            key,
            shape,
            about,
            required: false,
            default: None,
        }
    }

    pub(crate) const fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub(crate) const fn default(mut self, value: Literal) -> Field {
        self.default = Some(value);
        self
    }
}

/// The values a field takes, as its reader accepts them.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Shape {
    /// Text; a number counts as its text (`FieldReader::string`).
    Text,
    /// `YYYY-MM-DD` or an RFC 3339 timestamp (`FieldReader::date`).
    Date,
    /// `true` or `false` (`FieldReader::bool`).
    Flag,
    /// A list of texts, or one text (`FieldReader::string_list`).
    TextList,
    /// One of these words, in any letter case.
    Word(&'static [&'static str]),
    /// A whole number in a range.
    Count { min: i64, max: i64 },
    /// A list of these words (in any letter case), or one of them.
    Words(&'static [&'static str]),
    /// `on`, `off` (or `true`, `false`), or a weight from 0 (off) to 100.
    Weight,
    /// `auto`, `true` or `false`.
    AutoOrFlag,
    /// The name of a folder, not a path.
    FolderName,
    /// An absolute http(s) address with a host, and no query or fragment.
    SiteAddress,
    /// An http(s) address with a `{path}` placeholder.
    EditAddress,
    /// A list of the starts of http(s) addresses, or one.
    WebPrefixes,
    /// `0`, or a count of minutes, hours or days: `30m`, `12h`, `1d`.
    Duration,
    /// A list of `{title, url}` mappings, or of bare addresses.
    ProfileLinks,
    /// The path of a file in `static/`.
    StaticFile,
    /// A list of `{text, url}` mappings.
    FooterLinks,
    /// A CSS colour, or a mapping of `light` and `dark` ones.
    Accent,
    /// Label keys to texts, or to `one` and `other` texts.
    Labels,
    /// A BCP 47 language tag, like `en`, `es` or `pt-BR` (`FieldReader::language`).
    Language,
    /// A picture: a file under static/ linked as from the body, or an
    /// https:// address (the link stage checks it).
    Image,
    /// A toolkit's `items`: document slugs, and parts `{part, text, items}`
    /// of them.
    ToolkitItems,
    /// A list of mappings of these fields, or of bare texts naming the
    /// first field (a declared tag given by its slug alone).
    Items(&'static [Field]),
    /// A mapping of these fields.
    Settings(&'static [Field]),
}

/// A text value and where it was written, so later stages (links, authors)
/// can point at it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Located {
    pub(crate) text: String,
    #[serde(skip)]
    pub(crate) span: Span,
}

/// A date and where its value is written, for a warning once it has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dated {
    pub(crate) date: Date,
    pub(crate) span: Span,
}

pub(crate) struct FieldReader<'a> {
    mapping: &'a Mapping,
    path: &'a Path,
    /// Lines before the YAML text in its file (the opening `---`).
    line_offset: usize,
    settings: bool,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<'a> FieldReader<'a> {
    pub(crate) fn new(mapping: &'a Mapping, path: &'a Path, line_offset: usize) -> Self {
        FieldReader {
            mapping,
            path,
            line_offset,
            settings: false,
            diagnostics: Vec::new(),
        }
    }

    /// Problems found by this reader are settings problems (exit code 2).
    pub(crate) fn for_settings(mut self) -> Self {
        self.settings = true;
        self
    }

    pub(crate) fn key_span(&self, key: &str) -> Span {
        self.shift(self.mapping.key_span(key))
    }

    pub(crate) fn item_span(&self, key: &str, needle: &str) -> Span {
        self.shift(self.mapping.item_span(key, needle))
    }

    /// The byte ranges of the items of the block list under `key`.
    pub(crate) fn list_items(&self, key: &str) -> Vec<std::ops::Range<usize>> {
        self.mapping.list_items(key)
    }

    /// Where `field` is written in a list item, else where the item starts.
    pub(crate) fn span_in(&self, item: std::ops::Range<usize>, field: &str) -> Span {
        self.shift(self.mapping.span_in(item, field))
    }

    /// A span in the YAML text as a span in its file.
    pub(crate) fn shift(&self, span: Span) -> Span {
        Span::new(span.line + self.line_offset, span.col)
    }

    pub(crate) fn error(&mut self, span: Span, message: String, hint: &str) {
        self.error_at(Some(span), message, hint);
    }

    /// An error at `span`, or about the file as a whole when there is no
    /// place to point at (a key that is missing).
    pub(crate) fn error_at(&mut self, span: Option<Span>, message: String, hint: &str) {
        let d = match span {
            Some(span) => Diagnostic::error(self.path, span, message),
            None => Diagnostic::error_in(self.path, message),
        };
        let mut d = d.with_hint(hint);
        if self.settings {
            d = d.settings();
        }
        self.diagnostics.push(d);
    }

    pub(crate) fn warning(&mut self, span: Span, message: String, hint: String) {
        let d = Diagnostic::warning(self.path, span, message).with_hint(hint);
        self.diagnostics.push(d);
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        match self.mapping.entries.get(key) {
            None | Some(Value::Null) => None,
            // A form's field left empty: Decap CMS writes `date: ""`.
            Some(Value::String(text)) if !self.settings && text.trim().is_empty() => None,
            Some(value) => Some(value),
        }
    }

    fn wrong_type(&mut self, key: &str, expected: &str, found: &Value, example: &str) {
        let span = self.key_span(key);
        let message = format!("`{key}` should be {expected}, found {}", describe(found));
        self.error(span, message, &format!("write it like `{key}: {example}`"));
    }

    /// Text; numbers are accepted as their text (a title like `2024`).
    pub(crate) fn string(&mut self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            other => {
                self.wrong_type(key, "text", other, "some text");
                None
            }
        }
    }

    pub(crate) fn located_string(&mut self, key: &str) -> Option<Located> {
        let text = self.string(key)?;
        let span = self.item_span(key, &text);
        Some(Located { text, span })
    }

    pub(crate) fn bool(&mut self, key: &str) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            other => {
                self.wrong_type(key, "true or false", other, "true");
                None
            }
        }
    }

    /// A list of texts; a single text counts as a one-item list.
    pub(crate) fn string_list(&mut self, key: &str) -> Vec<Located> {
        let items: Vec<&Value> = match self.get(key) {
            None => return Vec::new(),
            Some(Value::Array(items)) => items.iter().collect(),
            Some(single @ (Value::String(_) | Value::Number(_))) => vec![single],
            Some(other) => {
                self.wrong_type(key, "a list", other, "[first, second]");
                return Vec::new();
            }
        };
        let mut list = Vec::new();
        for item in items {
            let text = match item {
                Value::String(s) => s.trim().to_string(),
                Value::Number(n) => n.to_string(),
                other => {
                    let span = self.key_span(key);
                    let message =
                        format!("items of `{key}` should be text, found {}", describe(other));
                    self.error(
                        span,
                        message,
                        "write each item as a plain word, like `- peer-review`",
                    );
                    continue;
                }
            };
            let span = self.item_span(key, &text);
            list.push(Located { text, span });
        }
        list
    }

    /// A language tag. One that is not (`Spanish`, `en_GB`) is a warning
    /// naming the tag meant, and counts as not given: a page marked with a
    /// wrong `lang` is read aloud and hyphenated wrongly, which is worse.
    pub(crate) fn language(&mut self, key: &str) -> Option<String> {
        let text = self.string(key)?;
        if is_language_tag(&text) {
            return Some(text);
        }
        let span = self.item_span(key, &text);
        let hint = match language_named(&text) {
            Some(tag) => format!("write `{key}: {tag}`"),
            None => "write a language tag: `en`, `es`, `fr`, `pt-BR`, `ja`, …".to_string(),
        };
        self.warning(
            span,
            format!("`{text}` is not a language tag, so `{key}` is left out"),
            hint,
        );
        None
    }

    /// `YYYY-MM-DD` or an RFC 3339 timestamp; the date as written is kept.
    pub(crate) fn date(&mut self, key: &str) -> Option<Date> {
        self.located_date(key).map(|dated| dated.date)
    }

    pub(crate) fn located_date(&mut self, key: &str) -> Option<Dated> {
        let text = self.string(key)?;
        let span = self.item_span(key, &text);
        match parse_date(&text) {
            Some(date) => Some(Dated { date, span }),
            None => {
                self.error(
                    span,
                    format!("`{key}` is not a valid date: `{text}`"),
                    "write dates as YYYY-MM-DD (2024-03-01) or RFC 3339 (2024-03-01T09:30:00Z)",
                );
                None
            }
        }
    }
}

/// Whether `text` has the shape of a BCP 47 language tag: a language of
/// two or three letters, then subtags of one to eight letters or digits
/// (`zh-Hant-TW`, `es-419`). Languages of five to eight letters are only
/// reserved in BCP 47, and `Spanish` is not one.
pub(crate) fn is_language_tag(text: &str) -> bool {
    let mut subtags = text.split('-');
    let language = subtags.next().unwrap_or_default();
    let alpha = |s: &str| s.bytes().all(|b| b.is_ascii_alphabetic());
    matches!(language.len(), 2 | 3)
        && alpha(language)
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The tag of a language written by its name (in English or in itself),
/// or with an underscore (`pt_BR`), for the hint.
fn language_named(text: &str) -> Option<String> {
    let dashed = text.trim().replace('_', "-");
    if dashed != text && is_language_tag(&dashed) {
        return Some(dashed);
    }
    const NAMES: &[(&str, &str)] = &[
        ("english", "en"),
        ("spanish", "es"),
        ("español", "es"),
        ("french", "fr"),
        ("français", "fr"),
        ("german", "de"),
        ("deutsch", "de"),
        ("portuguese", "pt"),
        ("português", "pt"),
        ("italian", "it"),
        ("italiano", "it"),
        ("dutch", "nl"),
        ("nederlands", "nl"),
        ("japanese", "ja"),
        ("日本語", "ja"),
        ("chinese", "zh"),
        ("中文", "zh"),
        ("korean", "ko"),
        ("arabic", "ar"),
        ("russian", "ru"),
        ("hindi", "hi"),
        ("swahili", "sw"),
        ("kiswahili", "sw"),
        ("polish", "pl"),
        ("turkish", "tr"),
        ("greek", "el"),
        ("swedish", "sv"),
    ];
    let name = text.trim().to_lowercase();
    NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, tag)| tag.to_string())
}

pub(crate) fn parse_date(text: &str) -> Option<Date> {
    if text.len() == 10 {
        return text.parse::<Date>().ok();
    }
    text.parse::<jiff::Timestamp>().ok()?;
    text.get(..10)?.parse::<Date>().ok()
}

/// The scheme of a link that runs code when clicked (`javascript:`,
/// `vbscript:`, or `data:`, which can hold a whole page), read as a
/// browser reads it: case folded, with the tabs, line breaks and spaces
/// browsers skip taken out.
pub(crate) fn scripting_scheme(url: &str) -> Option<&'static str> {
    let folded: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .into_iter()
        .find(|scheme| folded.starts_with(scheme))
}

/// Warns about keys practica does not know, suggesting the likely intended one.
pub(crate) fn warn_unknown_keys<'k>(
    reader: &mut FieldReader,
    keys: impl Iterator<Item = &'k String>,
    known: &[&str],
    place: &str,
) {
    // Never suggest renaming a key to one the mapping has already.
    let free: Vec<&str> = known
        .iter()
        .copied()
        .filter(|k| !reader.mapping.entries.contains_key(*k))
        .collect();
    for key in keys {
        if known.contains(&key.as_str()) {
            continue;
        }
        let span = reader.key_span(key);
        if place == "front matter"
            && let Some((engines, advice)) = other_engines_key(key)
        {
            let advice = match advice {
                Advice::Rename { what, to } if reader.mapping.entries.contains_key(to) => format!(
                    "the document has `{to}` already, which practica uses for this {what}: remove `{key}`, or keep it for your own templates as `page.extra.{key}`"
                ),
                Advice::Rename { what, to } => {
                    format!("practica calls this {what} `{to}`: rename the key")
                }
                Advice::Do(text) => text.to_string(),
            };
            reader.warning(
                span,
                format!("`{key}` is a front matter key of {engines}, which practica does not use"),
                advice,
            );
            if let Some(warning) = reader.diagnostics.last_mut() {
                warning.check = Some(crate::support::diagnostic::Check::OtherEngines);
            }
            continue;
        }
        match suggest(key, free.iter().copied()) {
            Some(near) => reader.warning(
                span,
                format!("unknown key `{key}` in {place} — did you mean `{near}`?"),
                format!("rename it to `{near}`, or keep it if it is meant for your templates"),
            ),
            None if place == "community.yaml" => reader.warning(
                span,
                format!("unknown key `{key}` in community.yaml is ignored"),
                format!("known keys: {}", known.join(", ")),
            ),
            None => {}
        }
    }
}

/// What to do with another engine's front matter key.
enum Advice {
    /// practica has the key under another name; renaming is right unless
    /// the document has that key already.
    Rename {
        what: &'static str,
        to: &'static str,
    },
    Do(&'static str),
}

/// Front matter keys of other engines (Jekyll, Hugo, Zola, Gatsby,
/// Docusaurus, MkDocs) that content moved from them still carries: which
/// engines use the key, and what to do with it in practica.
fn other_engines_key(key: &str) -> Option<(&'static str, Advice)> {
    use Advice::{Do, Rename};
    const SITES: &str = "Jekyll, Hugo and other engines";
    Some(match key {
        "layout" | "template" | "type" => (
            SITES,
            Do(
                "practica picks the template from the document's folder (its kind); remove it, or keep it for your own templates as `page.extra`",
            ),
        ),
        "permalink" | "url" | "slug" => (
            SITES,
            Do(
                "a document's address comes from its file name: rename the file to change it, and remove this key",
            ),
        ),
        "aliases" | "redirect_from" | "redirects" => (
            SITES,
            Do(
                "practica writes no redirects; set them up at your host (like Netlify's _redirects), then remove this key",
            ),
        ),
        "lastmod" | "last_modified_at" | "modified" | "updated_at" => (
            SITES,
            Rename {
                what: "date",
                to: "updated",
            },
        ),
        "description" | "excerpt" | "abstract" => (
            SITES,
            Rename {
                what: "text",
                to: "summary",
            },
        ),
        "categories" | "category" | "keywords" | "topics" => (
            SITES,
            Do(
                "practica has one list of topics: move these into `tags` (declared in community.yaml)",
            ),
        ),
        "author" => (
            SITES,
            Do(
                "practica lists `authors` by their member profile's slug, like `authors: [ana-lopez]`",
            ),
        ),
        "published" => (
            SITES,
            Do("practica says `draft: true` for a page not to publish; `published: true` can go"),
        ),
        "weight" | "nav_order" | "sidebar_position" | "menu" | "order" => (
            "Hugo, Docusaurus and just-the-docs",
            Do("practica orders documents by date and title; remove it"),
        ),
        "toc" | "comments" | "sitemap" | "hide" => (
            SITES,
            Do(
                "practica's theme decides this for every page; remove it, or keep it for your own templates as `page.extra`",
            ),
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_forms() {
        assert_eq!(
            parse_date("2024-03-01"),
            Some(jiff::civil::date(2024, 3, 1))
        );
        assert_eq!(
            parse_date("2024-03-01T23:30:00-05:00"),
            Some(jiff::civil::date(2024, 3, 1))
        );
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("March 2024"), None);
    }
}
