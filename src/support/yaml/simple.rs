//! Front matter in its common shape, read without the YAML library.
//!
//! Nearly all front matter is `key: value` lines, with lists written as
//! `[a, b]` or as `- item` lines. libyaml reads it at about 300 instructions
//! a byte, so in a cold `check` the few hundred bytes of front matter cost
//! as much as CommonMark does for bodies twenty times longer (BENCHMARKS.md).
//! This reads that shape directly, and answers `None` — the library reads it
//! then — at anything else: comments, tabs, carriage returns, escapes,
//! numbers other than plain integers, nested mappings, scalars over several
//! lines, anchors, tags, repeated keys, and every error. What it returns is
//! what the library makes of the same text; a test compares the two.

use serde_json::{Map, Number, Value};

/// The top-level mapping of `text`, if it has the common shape.
pub(crate) fn entries(text: &str) -> Option<Map<String, Value>> {
    if text.bytes().any(|b| matches!(b, b'\r' | b'\t' | b'#')) {
        return None;
    }
    let mut entries = Map::new();
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        if is_blank(line) {
            continue;
        }
        let (key, rest) = key_line(line)?;
        let value = if rest.is_empty() {
            block_list(&mut lines)?
        } else {
            inline_value(rest)?
        };
        if entries.insert(key.to_string(), value).is_some() {
            return None;
        }
    }
    Some(entries)
}

fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ')
}

/// `key: rest` at the start of a line, with `rest` trimmed of spaces. Keys
/// are ASCII words that the library would not read as null or true/false.
fn key_line(line: &str) -> Option<(&str, &str)> {
    let end = line
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))?;
    let key = &line[..end];
    let first = key.bytes().next()?;
    // libyaml gives up on a key whose colon is over 1,024 characters away.
    if !first.is_ascii_alphabetic() || null_or_bool(key).is_some() || key.len() > 1024 {
        return None;
    }
    let rest = line[end..].strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((key, rest.trim_matches(' ')))
}

/// The `- item` lines under a key with nothing after its colon; no lines
/// make the key null, as in the library. Indented lines of any other kind
/// (a nested mapping, a scalar's next line) are not this shape.
fn block_list<'a>(lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>) -> Option<Value> {
    let mut items = Vec::new();
    let mut indent = None;
    while let Some(&line) = lines.peek() {
        if is_blank(line) {
            lines.next();
            continue;
        }
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let Some(item) = line[spaces..].strip_prefix("- ") else {
            if spaces > 0 || line.starts_with('-') {
                return None;
            }
            break;
        };
        if *indent.get_or_insert(spaces) != spaces {
            return None;
        }
        let item = item.trim_matches(' ');
        if item.starts_with('[') {
            return None;
        }
        items.push(inline_value(item)?);
        lines.next();
    }
    Some(if indent.is_none() {
        Value::Null
    } else {
        Value::Array(items)
    })
}

/// A value written after its key's colon or a list item's dash.
fn inline_value(text: &str) -> Option<Value> {
    match text.as_bytes().first()? {
        b'[' => flow_list(text),
        b'"' | b'\'' => {
            let (content, rest) = quoted(text)?;
            rest.is_empty().then(|| Value::String(content.to_string()))
        }
        _ => plain(text, false),
    }
}

/// `[a, "b", c]`, with nothing after the closing bracket.
fn flow_list(text: &str) -> Option<Value> {
    let mut rest = text.strip_prefix('[')?.trim_start_matches(' ');
    let mut items = Vec::new();
    if let Some(after) = rest.strip_prefix(']') {
        return after.is_empty().then_some(Value::Array(items));
    }
    loop {
        let item;
        if rest.starts_with(['"', '\'']) {
            let (content, after) = quoted(rest)?;
            item = Value::String(content.to_string());
            rest = after;
        } else {
            let end = rest.find([',', ']'])?;
            item = plain(rest[..end].trim_matches(' '), true)?;
            rest = &rest[end..];
        }
        items.push(item);
        rest = rest.trim_start_matches(' ');
        if let Some(after) = rest.strip_prefix(']') {
            return after.is_empty().then_some(Value::Array(items));
        }
        rest = rest.strip_prefix(',')?.trim_start_matches(' ');
    }
}

/// A quoted scalar without escapes, and the text after its closing quote.
fn quoted(text: &str) -> Option<(&str, &str)> {
    let quote = text.chars().next()?;
    let body = &text[1..];
    let end = body.find([quote, '\\'])?;
    let content = &body[..end];
    let after = body[end..].strip_prefix(quote)?;
    content
        .chars()
        .all(printable)
        .then_some((content, after.trim_start_matches(' ')))
}

/// A plain scalar: text, null, true/false, a small integer, or a date
/// (which stays text, as in the library). In a flow list (`[…]`) the text
/// cannot hold flow indicators or colons.
fn plain(text: &str, in_flow: bool) -> Option<Value> {
    let first = text.chars().next()?;
    if !(first.is_ascii_alphanumeric() || (!first.is_ascii() && printable(first))) {
        return None;
    }
    if !text.chars().all(printable) || text.contains(": ") || text.ends_with(':') {
        return None;
    }
    if in_flow && text.contains([',', '[', ']', '{', '}', ':']) {
        return None;
    }
    if let Some(value) = null_or_bool(text) {
        return Some(value);
    }
    if first.is_ascii_digit() {
        return number_or_date(text);
    }
    Some(Value::String(text.to_string()))
}

/// What the library makes of these spellings; any other text is not null
/// or true/false.
fn null_or_bool(text: &str) -> Option<Value> {
    match text {
        "null" | "Null" | "NULL" => Some(Value::Null),
        "true" | "True" | "TRUE" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => Some(Value::Bool(false)),
        _ => None,
    }
}

/// A decimal integer without a leading zero, or a `YYYY-MM-DD` date as
/// text; other numbers (signs, floats, octal, hex, leading zeros) are left
/// to the library.
fn number_or_date(text: &str) -> Option<Value> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    if bytes.iter().all(u8::is_ascii_digit) && (bytes.len() == 1 || bytes[0] != b'0') {
        let number: u64 = text.parse().ok()?;
        return i64::try_from(number)
            .ok()
            .map(|n| Value::Number(Number::from(n)));
    }
    let is_date = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && digits(0..4)
        && digits(5..7)
        && digits(8..10);
    is_date.then(|| Value::String(text.to_string()))
}

/// Characters YAML reads as text: no control characters, and none of the
/// line and byte-order marks it treats specially.
fn printable(c: char) -> bool {
    !c.is_control()
        && !matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
}
