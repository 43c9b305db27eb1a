//! `external_links:` in community.yaml: how `check --external` treats the
//! web addresses documents link to. Each value is checked where it is
//! written; a wrong one keeps its default and is a settings error.

use std::ops::RangeInclusive;
use std::time::Duration;

use serde_json::Value;

use crate::support::diagnostic::{Severity, suggest};
use crate::support::fields::{Field, FieldReader, Literal, Shape};

/// The key in community.yaml.
pub(crate) const KEY: &str = "external_links";

const TIMEOUT_SECONDS: RangeInclusive<u64> = 1..=300;
const RETRIES: RangeInclusive<u64> = 0..=5;
const PER_HOST: RangeInclusive<u64> = 1..=8;

const fn count(range: RangeInclusive<u64>) -> Shape {
    Shape::Count {
        min: *range.start() as i64,
        max: *range.end() as i64,
    }
}

/// The keys under `external_links`: what the loader knows, and what the
/// editor schema offers.
pub(crate) const FIELDS: &[Field] = &[
    Field::new(
        "skip",
        Shape::WebPrefixes,
        "Web addresses starting with one of these prefixes (with their scheme, like https://twitter.com/) are never fetched.",
    ),
    Field::new(
        "timeout",
        count(TIMEOUT_SECONDS),
        "Seconds one fetch may take, redirects included.",
    )
    .default(Literal::Count(10)),
    Field::new(
        "retries",
        count(RETRIES),
        "How many times an address is fetched again after a 429, a 5xx, a timeout or a dropped connection.",
    )
    .default(Literal::Count(2)),
    Field::new(
        "per_host",
        count(PER_HOST),
        "How many requests one host is sent at once.",
    )
    .default(Literal::Count(2)),
    Field::new(
        "cache_for",
        Shape::Duration,
        "How long a result is reused: `0` (never), or minutes, hours or days like `30m`, `12h`, `1d` (at most 30 days).",
    )
    .default(Literal::Text("1d")),
    Field::new(
        "severity",
        Shape::Word(&["warning", "error"]),
        "How a broken web link is reported: `warning` (the site is written) or `error`.",
    )
    .default(Literal::Text("warning")),
];
/// The longest a result is trusted; the cache forgets older ones.
pub(crate) const LONGEST_CACHE: Duration = Duration::from_secs(30 * 24 * 3600);

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Settings {
    /// Addresses starting with one of these are never fetched.
    pub(crate) skip: Vec<String>,
    /// For one fetch, redirects included.
    pub(crate) timeout: Duration,
    /// Fetches again after a 429, a 5xx, a timeout or a dropped connection.
    pub(crate) retries: u32,
    /// Requests one host is sent at once.
    pub(crate) per_host: usize,
    /// How long a result is reused; zero turns the cache off.
    pub(crate) cache_for: Duration,
    /// Of every broken link.
    pub(crate) severity: Severity,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            skip: Vec::new(),
            timeout: Duration::from_secs(10),
            retries: 2,
            per_host: 2,
            cache_for: Duration::from_secs(24 * 3600),
            severity: Severity::Warning,
        }
    }
}

/// Reads the `external_links:` mapping, if there is one.
pub(crate) fn read(reader: &mut FieldReader, value: Option<&Value>) -> Settings {
    let mut settings = Settings::default();
    let map = match value {
        None | Some(Value::Null) => return settings,
        Some(Value::Object(map)) => map,
        Some(_) => {
            let span = reader.key_span(KEY);
            reader.error(
                span,
                format!("`{KEY}` should be a mapping of settings"),
                "write its settings indented below it, like `  timeout: 10` on the next line",
            );
            return settings;
        }
    };
    for (key, value) in map {
        read_one(reader, &mut settings, key, value);
    }
    settings
}

fn read_one(reader: &mut FieldReader, settings: &mut Settings, key: &str, value: &Value) {
    let span = reader.item_span(KEY, &format!("{key}:"));
    let problem = match key {
        "skip" => {
            settings.skip = read_skip(reader, value);
            Ok(())
        }
        "timeout" => whole(value, TIMEOUT_SECONDS)
            .map(|seconds| settings.timeout = Duration::from_secs(seconds))
            .ok_or_else(|| (within("seconds", TIMEOUT_SECONDS), "for example `timeout: 10`")),
        "retries" => whole(value, RETRIES)
            .map(|n| settings.retries = n as u32)
            .ok_or_else(|| (within("retries", RETRIES), "for example `retries: 2`")),
        "per_host" => whole(value, PER_HOST)
            .map(|n| settings.per_host = n as usize)
            .ok_or_else(|| (within("requests at once", PER_HOST), "for example `per_host: 2`")),
        "cache_for" => cache_time(value)
            .map(|time| settings.cache_for = time)
            .ok_or_else(|| {
                let message = "should be a time like `12h` or `1d` (m, h or d, at most 30d), or 0 to check every time";
                (message.to_string(), "for example `cache_for: 1d`")
            }),
        "severity" => severity(value)
            .map(|severity| settings.severity = severity)
            .ok_or_else(|| {
                (
                    format!("should be `warning` or `error`, found `{value}`"),
                    "`warning` (the default) lists broken links and exits with 0; `error` fails the check",
                )
            }),
        _ => {
            let keys: Vec<&str> = FIELDS.iter().map(|f| f.key).collect();
            let message = match suggest(key, keys.iter().copied()) {
                Some(near) => format!("unknown setting `{KEY}.{key}` — did you mean `{near}`?"),
                None => format!("unknown setting `{KEY}.{key}` is ignored"),
            };
            reader.warning(span, message, format!("known settings: {}", keys.join(", ")));
            Ok(())
        }
    };
    if let Err((message, hint)) = problem {
        reader.error(span, format!("`{KEY}.{key}` {message}"), hint);
    }
}

fn severity(value: &Value) -> Option<Severity> {
    match value.as_str()? {
        "warning" => Some(Severity::Warning),
        "error" => Some(Severity::Error),
        _ => None,
    }
}

/// Prefixes of web addresses: a prefix that is not the start of one
/// (`twitter.com/`) would never match, so it is an error.
fn read_skip(reader: &mut FieldReader, value: &Value) -> Vec<String> {
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        single => vec![single],
    };
    let mut skip = Vec::new();
    for item in items {
        let text = item.as_str().map(str::trim).unwrap_or_default();
        let scheme = text.get(..8).map(str::to_ascii_lowercase);
        let web = scheme.as_deref().is_some_and(|s| s.starts_with("http://"))
            || scheme.as_deref() == Some("https://");
        if web {
            skip.push(text.to_string());
            continue;
        }
        let needle = if text.is_empty() { "skip:" } else { text };
        let span = reader.item_span(KEY, needle);
        reader.error(
            span,
            format!(
                "`{KEY}.skip` holds `{}`, which is not the start of a web address",
                item.as_str().unwrap_or(&item.to_string())
            ),
            "write each prefix with its scheme, like `- https://twitter.com/`",
        );
    }
    skip
}

/// A whole number within `range`.
fn whole(value: &Value, range: RangeInclusive<u64>) -> Option<u64> {
    value.as_u64().filter(|n| range.contains(n))
}

fn within(what: &str, range: RangeInclusive<u64>) -> String {
    format!(
        "should be a whole number of {what} from {} to {}",
        range.start(),
        range.end()
    )
}

/// `0`, or a count of minutes, hours or days (`30m`, `12h`, `1d`) up to
/// `LONGEST_CACHE`.
fn cache_time(value: &Value) -> Option<Duration> {
    if value.as_u64() == Some(0) {
        return Some(Duration::ZERO);
    }
    let text = value.as_str()?.trim();
    if text == "0" {
        return Some(Duration::ZERO);
    }
    let unit = match text.chars().last()? {
        'm' => 60,
        'h' => 3600,
        'd' => 24 * 3600,
        _ => return None,
    };
    let count: u64 = text[..text.len() - 1].trim().parse().ok()?;
    let time = Duration::from_secs(count.checked_mul(unit)?);
    (time <= LONGEST_CACHE).then_some(time)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_times() {
        let time = |text: &str| cache_time(&Value::String(text.into()));
        assert_eq!(time("30m"), Some(Duration::from_secs(1800)));
        assert_eq!(time("12h"), Some(Duration::from_secs(12 * 3600)));
        assert_eq!(time("30d"), Some(LONGEST_CACHE));
        assert_eq!(time("0"), Some(Duration::ZERO));
        assert_eq!(cache_time(&Value::from(0)), Some(Duration::ZERO));
        assert_eq!(time("31d"), None);
        assert_eq!(time("12"), None);
        assert_eq!(time("d"), None);
        assert_eq!(time("-1h"), None);
        assert_eq!(cache_time(&Value::from(12)), None);
    }
}
