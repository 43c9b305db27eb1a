//! The one module that calls the YAML library: front matter and
//! `community.yaml` become `serde_json` values with the position of each key,
//! so every other module works with one value type and reports `line:col`.

use std::collections::HashMap;
use std::ops::Range;

use serde_json::{Map, Number, Value};

use crate::support::diagnostic::Span;

mod simple;

/// A parse failure at a position in the YAML text (1-based, relative to the
/// text given to [`parse_mapping`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    pub(crate) span: Span,
    pub(crate) message: String,
    /// A hint for this kind of error, when there is one better than the
    /// caller's general one.
    pub(crate) hint: Option<String>,
}

/// A top-level YAML mapping with the position of each key, so that checks
/// on values can point at the line they came from.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mapping {
    pub(crate) entries: Map<String, Value>,
    text: String,
    keys: HashMap<String, KeyBlock>,
}

/// Where a top-level key is written, and the bytes of its value: from
/// after its colon to the next top-level key.
#[derive(Debug, Clone)]
struct KeyBlock {
    span: Span,
    value: Range<usize>,
}

impl Mapping {
    /// Where `key` is written; the start of the text if it is not found.
    pub(crate) fn key_span(&self, key: &str) -> Span {
        self.keys.get(key).map_or(Span::new(1, 1), |k| k.span)
    }

    /// Where a list item or nested value `needle` is written under `key`:
    /// the first occurrence after the key, before the next top-level key.
    /// A key not written at the start of a line (in a `{…}` mapping) is
    /// looked for from the first line.
    pub(crate) fn item_span(&self, key: &str, needle: &str) -> Span {
        let (span, value) = match self.keys.get(key) {
            Some(block) => (block.span, block.value.clone()),
            None => (Span::new(1, 1), first_line_value(&self.text)),
        };
        let found = self.text.get(value.clone()).and_then(|v| v.find(needle));
        found.map_or(span, |at| position(&self.text, value.start + at))
    }

    /// A reader of the list values under `key` in the order they are
    /// written, each found after the one before, so a slug listed twice
    /// is shown where each is written.
    pub(crate) fn in_order(&self, key: &str) -> InOrder<'_> {
        let (span, value) = match self.keys.get(key) {
            Some(block) => (block.span, block.value.clone()),
            None => (Span::new(1, 1), first_line_value(&self.text)),
        };
        InOrder {
            text: &self.text,
            at: value.start,
            end: value.end,
            fallback: span,
        }
    }

    /// The text of each item of the block list under `key` (`- …` lines at
    /// one indentation, with the lines below each), found in one pass; empty
    /// for a `[…]` list or none.
    pub(crate) fn list_items(&self, key: &str) -> Vec<Range<usize>> {
        let Some(block) = self.keys.get(key) else {
            return Vec::new();
        };
        let mut starts = Vec::new();
        let mut indent = None;
        let mut at = block.value.start;
        for line in self.text[block.value.clone()].split_inclusive('\n') {
            let trimmed = line.trim_start_matches(' ');
            let depth = line.len() - trimmed.len();
            if (trimmed.starts_with("- ") || trimmed.trim_end() == "-")
                && indent.is_none_or(|i| depth == i)
            {
                indent = Some(depth);
                starts.push(at + depth);
            }
            at += line.len();
        }
        let ends = starts.iter().skip(1).copied().chain([block.value.end]);
        starts
            .iter()
            .copied()
            .zip(ends)
            .map(|(s, e)| s..e)
            .collect()
    }

    /// Where `field`'s value is written inside `item` (one of `list_items`),
    /// else where the item starts.
    pub(crate) fn span_in(&self, item: Range<usize>, field: &str) -> Span {
        let text = self.text.get(item.clone()).unwrap_or_default();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let key = line.trim_start_matches([' ', '-']);
            if let Some(value) = key.strip_prefix(field).and_then(|v| v.strip_prefix(':')) {
                let value_start = line.len() - value.trim_start_matches(' ').len();
                return position(&self.text, item.start + offset + value_start);
            }
            offset += line.len();
        }
        // `- {slug: a, parent: b}`: the field inside a `{…}` mapping.
        let inline = format!("{field}:");
        let at = text.find(&inline).map_or(0, |at| {
            let value = &text[at + inline.len()..];
            at + inline.len() + (value.len() - value.trim_start_matches(' ').len())
        });
        position(&self.text, item.start + at)
    }
}

/// List values of one key, found in writing order (`Mapping::in_order`).
pub(crate) struct InOrder<'m> {
    text: &'m str,
    at: usize,
    end: usize,
    /// Where the key is written: the place of a value not found.
    fallback: Span,
}

impl InOrder<'_> {
    /// Where the list value `needle` is next written, as a whole value (a
    /// `- item`, or in `[…]`, quoted or not, not a word inside other text);
    /// the key's place if it is not found.
    pub(crate) fn next(&mut self, needle: &str) -> Span {
        let block = self.text.get(self.at..self.end).unwrap_or_default();
        let found = block
            .match_indices(needle)
            .map(|(at, _)| at)
            .find(|&at| is_list_value(block, at, needle.len()));
        match found {
            Some(at) => {
                let start = self.at + at;
                self.at = start + needle.len();
                position(self.text, start)
            }
            None => self.fallback,
        }
    }

    /// Where the first of `texts` is next written, without moving on: the
    /// place of a part's own problems.
    pub(crate) fn peek(&self, texts: &[&str]) -> Span {
        let block = self.text.get(self.at..self.end).unwrap_or_default();
        texts
            .iter()
            .filter_map(|text| block.find(text))
            .min()
            .map_or(self.fallback, |at| position(self.text, self.at + at))
    }
}

/// Whether `block[at..at + len]` is a whole list value: after `- `, `[`,
/// `,` or `items:` (and spaces, and a quote), and before the end of the
/// line, `,`, `]`, `}` or a comment (after a closing quote).
fn is_list_value(block: &str, at: usize, len: usize) -> bool {
    let head = block[..at].trim_end_matches(['"', '\'']);
    let spaced = head.trim_end_matches(' ');
    let dash = spaced.len() < head.len()
        && spaced
            .strip_suffix('-')
            .is_some_and(|b| b.is_empty() || b.ends_with([' ', '\n']));
    let opens = dash || spaced.ends_with(['[', ',']) || spaced.ends_with("items:");
    let after = block[at + len..]
        .trim_start_matches(['"', '\''])
        .trim_start_matches(' ');
    let closes = after.is_empty() || after.starts_with(['\n', '\r', ',', ']', '}', '#']);
    opens && closes
}

/// The first line after its first colon, and the lines after it up to the
/// next top-level key.
fn first_line_value(text: &str) -> Range<usize> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    let start = first.find(':').map_or(0, |colon| colon + 1);
    let rest: usize = lines
        .take_while(|line| !starts_top_level_key(line.trim_end_matches(['\n', '\r'])))
        .map(str::len)
        .sum();
    start..first.len() + rest
}

/// The line and column of a byte offset: front matter is short, so the
/// lines before it are counted rather than indexed.
fn position(text: &str, offset: usize) -> Span {
    let before = text.get(..offset).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    Span::new(line, before[line_start..].chars().count() + 1)
}

/// Parses a YAML text that must be a mapping (an empty text is an empty mapping).
pub(crate) fn parse_mapping(text: &str) -> Result<Mapping, YamlError> {
    too_deep(text).map_or(Ok(()), Err)?;
    let entries = match simple::entries(text) {
        Some(entries) => entries,
        None => library_entries(text)?,
    };
    Ok(Mapping {
        entries,
        text: text.to_string(),
        keys: top_level_keys(text),
    })
}

/// How deep `[` lists and `{` mappings may nest. Front matter needs two
/// levels; the YAML library takes time that grows with the square of the
/// depth (100,000 levels took 36 s), so deeper text is refused first.
const MAX_NESTING: usize = 64;

/// The first `[` or `{` past `MAX_NESTING`, outside quoted text and
/// comments, as an error at its place; one pass over the bytes, and none
/// at all when there are too few brackets to nest that deep (nearly always).
fn too_deep(text: &str) -> Option<YamlError> {
    #[derive(PartialEq)]
    enum In {
        Plain,
        Quote(u8),
        Comment,
    }
    let bytes = text.as_bytes();
    let brackets = memchr::memchr2_iter(b'[', b'{', bytes).count();
    if brackets <= MAX_NESTING {
        return None;
    }
    let mut depth = 0usize;
    let mut inside = In::Plain;
    let mut previous = b'\n';
    for (offset, &b) in bytes.iter().enumerate() {
        let after_space = matches!(previous, b' ' | b'\t' | b'\n');
        match (&inside, b) {
            (In::Quote(q), b) if b == *q => inside = In::Plain,
            (In::Comment, b'\n') => inside = In::Plain,
            (In::Quote(_) | In::Comment, _) => {}
            (In::Plain, b'"' | b'\'')
                if after_space || matches!(previous, b'[' | b'{' | b',' | b':') =>
            {
                inside = In::Quote(b)
            }
            (In::Plain, b'#') if after_space => inside = In::Comment,
            (In::Plain, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(nested_too_deep(position(text, offset)));
                }
            }
            (In::Plain, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = b;
    }
    None
}

fn nested_too_deep(span: Span) -> YamlError {
    YamlError {
        span,
        message: format!("lists and mappings nested more than {MAX_NESTING} deep"),
        hint: Some(
            "front matter needs at most a list inside a mapping: remove the extra `[` or `{`"
                .into(),
        ),
    }
}

/// The top-level mapping as the YAML library reads it.
fn library_entries(text: &str) -> Result<Map<String, Value>, YamlError> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let error = to_error(&e);
        repeated_key(text, &error.message).unwrap_or(error)
    })?;
    match to_json(value) {
        Value::Null => Ok(Map::new()),
        Value::Object(map) => Ok(map),
        other => Err(YamlError {
            span: Span::new(1, 1),
            message: format!("expected `key: value` lines, found {}", describe(&other)),
            hint: None,
        }),
    }
}

/// The library's "duplicate entry" error points at the start of the mapping;
/// a top-level key written twice is shown where it is written again.
fn repeated_key(text: &str, message: &str) -> Option<YamlError> {
    let key = message
        .strip_prefix("duplicate entry with key \"")?
        .strip_suffix('"')?;
    let mut places = text
        .lines()
        .enumerate()
        .filter(|(_, line)| written_key(line).is_some_and(|(written, _)| written == key))
        .map(|(index, _)| index + 1);
    places.next()?;
    let again = places.next()?;
    Some(YamlError {
        span: Span::new(again, 1),
        message: format!("`{key}` is given twice"),
        hint: Some(format!(
            "a key can appear once; remove this one or merge it into the first `{key}:`"
        )),
    })
}

/// A short name of a value's type for "expected …, found …" messages.
pub(crate) fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn to_error(error: &serde_yaml::Error) -> YamlError {
    let span = error
        .location()
        .map_or(Span::new(1, 1), |l| Span::new(l.line(), l.column()));
    let text = error.to_string();
    if let Some(unclosed) = unclosed(&text) {
        return unclosed;
    }
    // The library appends "at line L column C"; the span carries that already.
    let message = match text.find(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    };
    YamlError {
        span,
        message,
        hint: None,
    }
}

/// A list, mapping or quoted text left open: the library notices where it
/// runs out of text, often lines later, and names the opening as context
/// ("…, while parsing a flow sequence at line 2 column 7"). The opening is
/// what needs the fix, so that is where the error points.
fn unclosed(text: &str) -> Option<YamlError> {
    let (_, context) = text.split_once(", while ")?;
    let (construct, place) = context.split_once(" at line ")?;
    let (line, column) = place.split_once(" column ")?;
    let span = Span::new(line.trim().parse().ok()?, column.trim().parse().ok()?);
    let (message, hint) = match construct {
        "parsing a flow sequence" => (
            "a `[` list is not closed",
            "end it with `]` on the same line, like `tags: [a, b]`, or write one `- item` line per item",
        ),
        "parsing a flow mapping" => (
            "a `{` mapping is not closed",
            "end it with `}`, like `{name: value}`",
        ),
        "scanning a quoted scalar" => (
            "a quoted text is not closed",
            "end it with the quote mark it starts with; inside '…' write a ' as '', inside \"…\" write a \" as \\\"",
        ),
        _ => return None,
    };
    Some(YamlError {
        span,
        message: message.to_string(),
        hint: Some(hint.to_string()),
    })
}

fn to_json(value: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Yaml;
    match value {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                n.as_f64()
                    .and_then(Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::Array(items.into_iter().map(to_json).collect()),
        Yaml::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (key_text(k), to_json(v)))
                .collect(),
        ),
        Yaml::Tagged(tagged) => to_json(tagged.value),
    }
}

fn key_text(key: serde_yaml::Value) -> String {
    match to_json(key) {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// The key a line starting at column 0 gives, quoted or not, and where its
/// colon is: the first colon followed by a space or the end of the line
/// (`a:b: 1` gives `a:b`).
fn written_key(line: &str) -> Option<(&str, usize)> {
    let is_value_colon = |rest: &str| {
        rest.strip_prefix(':')
            .is_some_and(|r| r.is_empty() || r.starts_with(' '))
    };
    if let Some(quote) = line.chars().next().filter(|&c| c == '"' || c == '\'') {
        let (key, rest) = line[1..].split_once(quote)?;
        let rest = rest.trim_start_matches(' ');
        return is_value_colon(rest).then_some((key, line.len() - rest.len()));
    }
    if !starts_top_level_key(line) {
        return None;
    }
    let colon = line
        .match_indices(':')
        .map(|(at, _)| at)
        .find(|&at| is_value_colon(&line[at..]))?;
    Some((line[..colon].trim_end_matches(' '), colon))
}

fn starts_top_level_key(line: &str) -> bool {
    let first = line.chars().next();
    matches!(first, Some(c) if !c.is_whitespace() && c != '#' && c != '-') && line.contains(':')
}

fn top_level_keys(text: &str) -> HashMap<String, KeyBlock> {
    let mut keys: HashMap<String, KeyBlock> = HashMap::new();
    let mut open: Option<&str> = None;
    let mut at = 0;
    for (number, raw) in text.split_inclusive('\n').enumerate() {
        let line_start = at;
        at += raw.len();
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let Some((key, colon)) = written_key(line) else {
            // A value's later lines belong to the key above them.
            if let Some(block) = open.and_then(|key| keys.get_mut(key)) {
                block.value.end = at;
            }
            continue;
        };
        // A repeated key keeps its first place.
        open = (!keys.contains_key(key)).then_some(key);
        keys.entry(key.to_string()).or_insert(KeyBlock {
            span: Span::new(number + 1, 1),
            value: line_start + colon + 1..at,
        });
    }
    keys
}

/// `value` as YAML text, its keys in the order its type declares them:
/// the one place practica writes YAML (`practica cms`'s `config.yml`).
pub(crate) fn to_text<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_items_have_positions() {
        let text = "title: Hello\ntags:\n  - one\n  - two\nauthors: [ann, bob]\n";
        let mapping = parse_mapping(text).unwrap();
        assert_eq!(mapping.key_span("tags"), Span::new(2, 1));
        assert_eq!(mapping.item_span("tags", "two"), Span::new(4, 5));
        assert_eq!(mapping.item_span("authors", "bob"), Span::new(5, 16));
        assert_eq!(mapping.entries["title"], Value::String("Hello".into()));
    }

    #[test]
    fn items_are_found_inside_their_key_only() {
        let text = "tags: [tag]\r\nauthors:\r\n  - ann\r\n  - bob\r\nowner: bob\r\nbob: [tags]\r\n";
        let mapping = parse_mapping(text).unwrap();
        assert_eq!(mapping.item_span("authors", "bob"), Span::new(4, 5));
        // Not before the colon, and not under the next key.
        assert_eq!(mapping.item_span("tags", "tag"), Span::new(1, 8));
        assert_eq!(mapping.item_span("bob", "bob"), Span::new(6, 1));
        assert_eq!(mapping.item_span("owner", "ann"), Span::new(5, 1));
        assert_eq!(mapping.item_span("bob", "tags"), Span::new(6, 7));
        let flow = parse_mapping("{tags: [a, b],\n  authors: [c]}\n").unwrap();
        assert_eq!(flow.item_span("authors", "c"), Span::new(2, 13));
        assert_eq!(flow.item_span("tags", "b"), Span::new(1, 12));
    }

    #[test]
    fn list_values_are_found_in_order_as_whole_values() {
        let text = "items:\n  - part: cold\n    text: cold-chain, then more\n    items: [cold, cold-chain]\n  - cold-chain\n  - \"cold\"\n";
        let mapping = parse_mapping(text).unwrap();
        let mut places = mapping.in_order("items");
        assert_eq!(places.next("cold"), Span::new(4, 13));
        assert_eq!(places.next("cold-chain"), Span::new(4, 19));
        assert_eq!(places.next("cold-chain"), Span::new(5, 5));
        assert_eq!(places.next("cold"), Span::new(6, 6));
        // Not found: where the key is.
        assert_eq!(places.next("chain"), Span::new(1, 1));
    }

    #[test]
    fn errors_carry_position_without_duplicating_it() {
        let err = parse_mapping("title: ok\nsummary: a: b\n").unwrap_err();
        assert_eq!(err.span, Span::new(2, 11));
        assert!(!err.message.contains("at line"), "{}", err.message);
    }

    #[test]
    fn an_unclosed_list_or_quote_is_shown_where_it_opens() {
        let cases = [
            (
                "title: ok\ntags: [a, b\nsummary: s\n",
                Span::new(2, 7),
                "`[` list",
            ),
            (
                "title: ok\nextra: {a: 1\nsummary: s\n",
                Span::new(2, 8),
                "`{` mapping",
            ),
            ("title: 'ok\ntags: [a]\n", Span::new(1, 8), "quoted text"),
            ("title: \"ok\ntags: [a]\n", Span::new(1, 8), "quoted text"),
        ];
        for (text, span, what) in cases {
            let err = parse_mapping(text).unwrap_err();
            assert_eq!(err.span, span, "{text:?}");
            assert_eq!(err.message, format!("a {what} is not closed"), "{text:?}");
            assert!(err.hint.is_some(), "{text:?}");
        }
    }

    #[test]
    fn empty_text_is_empty_mapping_and_a_list_is_not_a_mapping() {
        assert!(parse_mapping("").unwrap().entries.is_empty());
        let err = parse_mapping("- a\n- b\n").unwrap_err();
        assert!(err.message.contains("found a list"));
    }

    /// Front matter made of pieces in the shapes `simple` reads and in the
    /// shapes next to them that it must leave to the library.
    fn generated_texts(count: usize) -> Vec<String> {
        const KEYS: &[&str] = &[
            "title", "tags", "authors", "date", "draft", "a_b", "x-y", "True", "null", "1a",
            "ti tle", "\"q\"", "k2",
        ];
        const COLONS: &[&str] = &[": ", ":", ":  ", " : ", ":\t", ": \r"];
        // The first COMMON are read by `simple`; the rest mostly are not.
        const COMMON: usize = 16;
        const SCALARS: &[&str] = &[
            "plain text",
            "Café au lait",
            "\"quoted\"",
            "'single'",
            "true",
            "False",
            "null",
            "NULL",
            "42",
            "0",
            "2024-03-01",
            "[a, b]",
            "[a,b]",
            "[]",
            "https://x.org/a",
            "日本",
            "\"esc \\\" aped\"",
            "'it''s'",
            "~",
            "007",
            "-3",
            "+3",
            "1.5",
            "2024-3-01",
            "2024-03-01T10:00:00Z",
            ".inf",
            "inf",
            "nan",
            "yes",
            "a: b",
            "ends:",
            "x #c",
            "x#c",
            "[ ]",
            "[a, [b]]",
            "[\"a, b\", c]",
            "['x', \"y\"]",
            "[a, ]",
            "[a,,b]",
            "[a: b]",
            "[a] x",
            "{a: 1}",
            "&anchor x",
            "*ref",
            "!tag x",
            "|",
            ">",
            "@x",
            "`x`",
            "%x",
            "-",
            "- x",
            "' x '",
            "\"\"",
            "''",
            "\"a\" b",
            "nbsp\u{a0}end",
            "a\u{2028}b",
            "ünï",
            "18446744073709551615",
            "9223372036854775807",
            "9223372036854775808",
            "1e3",
            "0x1F",
            "0o7",
            "a, b",
            "a[b]c",
            "a]b",
            "Q&A: now",
            "what? why!",
            "\"tab\there\"",
            "a\u{feff}",
            "(draft)",
            "x  y  ",
            "?x",
            "<<",
        ];
        const LINES: &[&str] = &[
            "",
            "   ",
            "# comment",
            "  continuation",
            "---",
            "...",
            "- top",
            "\r",
            "\t- x",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        (0..count)
            .map(|_| {
                let mut lines = Vec::new();
                for n in 0..1 + next(5) {
                    // Mostly the common shapes, so both paths are exercised.
                    let key = if next(4) == 0 {
                        KEYS[next(KEYS.len())].to_string()
                    } else {
                        format!("{}{n}", KEYS[next(5)])
                    };
                    let colon = if next(5) == 0 {
                        COLONS[next(COLONS.len())]
                    } else {
                        ": "
                    };
                    let common = if next(3) > 0 { COMMON } else { SCALARS.len() };
                    let scalar = SCALARS[next(common)];
                    if next(3) == 0 {
                        lines.push(format!("{key}:"));
                        let indent = ["  ", "", "    "][next(3)];
                        for _ in 0..next(4) {
                            let dash = if next(8) == 0 { "-" } else { "- " };
                            let common = if next(3) > 0 { COMMON } else { SCALARS.len() };
                            let item = SCALARS[next(common)];
                            lines.push(format!("{indent}{dash}{item}"));
                        }
                    } else {
                        lines.push(format!("{key}{colon}{scalar}"));
                    }
                    if next(10) == 0 {
                        lines.push(LINES[next(LINES.len())].to_string());
                    }
                }
                let end = if next(2) == 0 { "\n" } else { "" };
                lines.join("\n") + end
            })
            .collect()
    }

    #[test]
    fn the_common_shape_is_read_as_the_library_reads_it() {
        let mut read_simply = 0;
        for text in generated_texts(6000) {
            if let Some(entries) = simple::entries(&text) {
                read_simply += 1;
                assert_eq!(library_entries(&text), Ok(entries), "{text:?}");
            }
        }
        // Both paths must have been taken for the comparison to mean anything.
        assert!((1000..5000).contains(&read_simply), "{read_simply} of 6000");
    }

    #[test]
    fn front_matter_of_the_common_shape_takes_the_quick_path() {
        let text = "title: \"Ünïcode — fine\"\nsummary: Plain, with [brackets] and a URL https://x.org\n\
                    tags:\n  - one\n  - 'two'\nauthors: [ann, \"bob\"]\ndate: 2024-03-01\n\
                    mentor: true\nweight: 3\nempty:\n";
        let entries = simple::entries(text).expect("the common shape");
        assert_eq!(entries["tags"], serde_json::json!(["one", "two"]));
        assert_eq!(entries["authors"], serde_json::json!(["ann", "bob"]));
        assert_eq!(entries["weight"], serde_json::json!(3));
        assert_eq!(entries["empty"], Value::Null);
        assert_eq!(library_entries(text), Ok(entries));
        for other in [
            "title: x # note\n",
            "a: 1\na: 2\n",
            "s: long\n  more\n",
            "n: 1.5\n",
        ] {
            assert_eq!(simple::entries(other), None, "{other:?}");
        }
    }

    #[test]
    fn a_repeated_key_is_found_by_its_whole_name() {
        let err = parse_mapping("a: 1\na:b: 2\na: 3\n").unwrap_err();
        assert_eq!(err.span, Span::new(3, 1), "{err:?}");
        let err = parse_mapping("\"t\": 1\nt2: x\n't' : 2\n").unwrap_err();
        assert_eq!(err.span, Span::new(3, 1), "{err:?}");
    }

    #[test]
    fn a_key_too_long_for_the_library_is_left_to_it() {
        for text in [
            format!("{}: x\n", "a".repeat(1025)),
            format!("t: 1\n{}:\n  - a\n", "a".repeat(1030)),
        ] {
            assert_eq!(simple::entries(&text), None);
            assert!(parse_mapping(&text).is_err());
        }
        let longest = format!("{}: x\n", "a".repeat(1024));
        assert_eq!(
            simple::entries(&longest).map(Value::Object),
            library_entries(&longest).ok().map(Value::Object)
        );
    }

    #[test]
    fn dates_stay_text() {
        let mapping = parse_mapping("date: 2024-03-01\n").unwrap();
        assert_eq!(mapping.entries["date"], Value::String("2024-03-01".into()));
    }
}
