//! The words the site shows readers, in the community's language: one
//! labels file per shipped language (`themes/default/labels/`), chosen by
//! `language:`, each string replaceable with `labels:` in community.yaml.
//! Templates, search.js and the Rust that writes into pages all read them.

use std::collections::BTreeMap;
use std::fmt::Display;

use serde_json::Value;

use crate::model::document::Kind;
use crate::support::diagnostic::{Span, suggest};
use crate::support::fields::FieldReader;
use crate::support::yaml::{self, describe};

/// The shipped languages: their primary language subtag, their file.
pub(crate) const SHIPPED: [(&str, &str); 5] = [
    ("en", include_str!("../../themes/default/labels/en.yaml")),
    ("fr", include_str!("../../themes/default/labels/fr.yaml")),
    ("es", include_str!("../../themes/default/labels/es.yaml")),
    ("de", include_str!("../../themes/default/labels/de.yaml")),
    ("pt", include_str!("../../themes/default/labels/pt.yaml")),
];

/// One label: a text, or a text for one and for more (`{n}` in either).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Label {
    Text(String),
    Plural { one: String, other: String },
}

/// Which counts take the `one` form: English, German and Spanish say
/// "0 results"; French and Portuguese "0 résultat", "0 resultado".
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub(crate) enum PluralRule {
    OnlyOne,
    ZeroAndOne,
}

impl PluralRule {
    fn of(language: &str) -> PluralRule {
        match language {
            "fr" | "pt" => PluralRule::ZeroAndOne,
            _ => PluralRule::OnlyOne,
        }
    }
}

/// The labels of one language, every key of English's present.
#[derive(Debug, Clone)]
pub(crate) struct Labels {
    rule: PluralRule,
    words: BTreeMap<String, Label>,
}

impl Default for Labels {
    fn default() -> Self {
        Labels::shipped("en").unwrap_or_else(|| Labels {
            rule: PluralRule::OnlyOne,
            words: BTreeMap::new(),
        })
    }
}

/// The shipped English labels, read once: what the command line says,
/// whatever the community's language.
pub(crate) fn english() -> &'static Labels {
    static ENGLISH: std::sync::OnceLock<Labels> = std::sync::OnceLock::new();
    ENGLISH.get_or_init(Labels::default)
}

impl Labels {
    /// The shipped labels of `language` (a primary subtag), English's
    /// filling any key its file lacks.
    pub(crate) fn shipped(language: &str) -> Option<Labels> {
        let english = parse_file(SHIPPED[0].1);
        let (_, text) = SHIPPED.iter().find(|(code, _)| *code == language)?;
        let mut words = english;
        words.extend(parse_file(text));
        Some(Labels {
            rule: PluralRule::of(language),
            words,
        })
    }

    /// The text of `key`; the `other` form of a plural one.
    pub(crate) fn get(&self, key: &str) -> &str {
        match self.words.get(key) {
            Some(Label::Text(text)) => text,
            Some(Label::Plural { other, .. }) => other,
            None => {
                debug_assert!(false, "no label `{key}`");
                ""
            }
        }
    }

    /// `key` with `{n}` filled, in the form `n` takes (as the templates'
    /// `fill` filter and search.js choose it).
    pub(crate) fn count(&self, key: &str, n: usize) -> String {
        self.count_with(key, n, &[])
    }

    /// `key` in the form `n` takes, `{n}` and each `{name}` filled.
    pub(crate) fn count_with(&self, key: &str, n: usize, args: &[(&str, &dyn Display)]) -> String {
        let form = match self.words.get(key) {
            Some(Label::Plural { one, other }) => {
                if n == 1 || (n == 0 && self.rule == PluralRule::ZeroAndOne) {
                    one
                } else {
                    other
                }
            }
            _ => self.get(key),
        };
        filled(form.replace("{n}", &n.to_string()), args)
    }

    /// `key` with each `{name}` filled.
    pub(crate) fn fill(&self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        filled(self.get(key).to_string(), args)
    }

    /// A kind's name: "Practice".
    pub(crate) fn kind(&self, kind: Kind) -> &str {
        self.get(kind_keys(kind).0)
    }

    /// A kind's name for many: "Practices".
    pub(crate) fn kinds(&self, kind: Kind) -> &str {
        self.get(kind_keys(kind).1)
    }

    /// `date` as the language writes it: "5 March 2024", "5. März 2024".
    pub(crate) fn date(&self, date: jiff::civil::Date) -> String {
        let month = self.get(&format!("month_{}", date.month()));
        self.get("date")
            .replace("{day}", &date.day().to_string())
            .replace("{month}", month)
            .replace("{year}", &date.year().to_string())
    }

    /// For templates (`t`) and search.js: each key's text, or its forms
    /// and the language's rule.
    pub(crate) fn to_json(&self, keys: Option<&[&str]>) -> serde_json::Map<String, Value> {
        self.words
            .iter()
            .filter(|(key, _)| keys.is_none_or(|keys| keys.contains(&key.as_str())))
            .map(|(key, label)| {
                let value = match label {
                    Label::Text(text) => Value::String(text.clone()),
                    Label::Plural { one, other } => serde_json::json!({
                        "one": one,
                        "other": other,
                        "zero_is_one": self.rule == PluralRule::ZeroAndOne,
                    }),
                };
                (key.clone(), value)
            })
            .collect()
    }

    /// Every key, for `labels:`'s did-you-mean and the tests.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.words.keys().map(String::as_str)
    }
}

fn filled(mut text: String, args: &[(&str, &dyn Display)]) -> String {
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), &value.to_string());
    }
    text
}

/// The label keys of a kind's name, for one and for many.
fn kind_keys(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Practice => ("practice", "practices"),
        Kind::Guide => ("guide", "guides"),
        Kind::CaseStudy => ("case_study", "case_studies"),
        Kind::Member => ("member", "members"),
        Kind::Toolkit => ("toolkit", "toolkits"),
    }
}

/// A shipped file's labels; the tests prove every one parses.
fn parse_file(text: &str) -> BTreeMap<String, Label> {
    let Ok(mapping) = yaml::parse_mapping(text) else {
        debug_assert!(false, "a shipped labels file is not YAML");
        return BTreeMap::new();
    };
    mapping
        .entries
        .iter()
        .filter_map(|(key, value)| Some((key.clone(), label_of(value)?)))
        .collect()
}

fn label_of(value: &Value) -> Option<Label> {
    match value {
        Value::String(text) => Some(Label::Text(text.clone())),
        Value::Number(n) => Some(Label::Text(n.to_string())),
        Value::Object(forms) if forms.len() == 2 => Some(Label::Plural {
            one: forms.get("one")?.as_str()?.to_string(),
            other: forms.get("other")?.as_str()?.to_string(),
        }),
        _ => None,
    }
}

/// The community's labels: its language's (English, with a warning, for a
/// language practica ships none for), then `labels:` over them.
pub(crate) fn read(
    reader: &mut FieldReader,
    language: &str,
    language_span: Option<Span>,
    overrides: Option<&Value>,
) -> Labels {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut labels = Labels::shipped(&primary).unwrap_or_else(|| {
        if let Some(span) = language_span {
            let shipped: Vec<&str> = SHIPPED.iter().map(|(code, _)| *code).collect();
            reader.warning(
                span,
                format!("practica has no labels in `{language}`: menus, headings and dates are in English"),
                format!(
                    "labels ship for {}; translate the others with `labels:` in community.yaml (see README, \"Languages and labels\")",
                    shipped.join(", ")
                ),
            );
        }
        Labels::default()
    });
    override_labels(reader, &mut labels, overrides);
    labels
}

fn override_labels(reader: &mut FieldReader, labels: &mut Labels, overrides: Option<&Value>) {
    let map = match overrides {
        None | Some(Value::Null) => return,
        Some(Value::Object(map)) => map,
        Some(other) => {
            let span = reader.key_span("labels");
            reader.error(
                span,
                format!(
                    "`labels` should be a mapping of label keys to texts, found {}",
                    describe(other)
                ),
                "write each under it, like `labels:` and then `  search: Find`",
            );
            return;
        }
    };
    for (key, value) in map {
        let span = reader.item_span("labels", &format!("{key}:"));
        let Some(current) = labels.words.get(key) else {
            let near = suggest(key, labels.keys())
                .map(|near| format!("did you mean `{near}`? "))
                .unwrap_or_default();
            reader.warning(
                span,
                format!("`labels` has no label `{key}`; it is ignored"),
                format!("{near}the keys are those of themes/default/labels/en.yaml"),
            );
            continue;
        };
        match (label_of(value), current) {
            (Some(Label::Text(text)), Label::Plural { .. }) => {
                labels.words.insert(
                    key.clone(),
                    Label::Plural {
                        one: text.clone(),
                        other: text,
                    },
                );
            }
            (Some(label), _) => {
                labels.words.insert(key.clone(), label);
            }
            (None, _) => reader.error(
                span,
                format!("`labels.{key}` should be a text, or `one:` and `other:` texts, found {}", describe(value)),
                "write it like `search: Find`, or for a count `one: \"{n} result\"` and `other: \"{n} results\"` below it",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_file_has_every_english_key_and_nothing_else() {
        let english = parse_file(SHIPPED[0].1);
        assert!(english.len() > 100, "{}", english.len());
        for (code, text) in SHIPPED {
            let words = parse_file(text);
            let missing: Vec<&String> =
                english.keys().filter(|k| !words.contains_key(*k)).collect();
            let extra: Vec<&String> = words.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{code}: missing {missing:?}, extra {extra:?}"
            );
            // Same shape as English: a plural where English has one.
            for (key, label) in &english {
                let plural = |l: &Label| matches!(l, Label::Plural { .. });
                assert_eq!(plural(label), plural(&words[key]), "{code} {key}");
            }
            // A line YAML could not read would silently fall back to English.
            let lines = text
                .lines()
                .filter(|l| l.contains(": ") && !l.starts_with('#') && !l.starts_with(' '))
                .count();
            assert!(
                lines <= words.len(),
                "{code}: {lines} lines, {} labels",
                words.len()
            );
        }
    }

    #[test]
    fn dates_and_counts_in_each_language() {
        let day = jiff::civil::date(2024, 3, 5);
        let labels = |code: &str| Labels::shipped(code).unwrap();
        assert_eq!(labels("en").date(day), "5 March 2024");
        assert_eq!(labels("fr").date(day), "5 mars 2024");
        assert_eq!(labels("de").date(day), "5. März 2024");
        assert_eq!(labels("es").date(day), "5 de marzo de 2024");
        assert_eq!(labels("pt").date(day), "5 de março de 2024");
        assert_eq!(
            labels("en").count("evidence_count", 1),
            "1 piece of evidence"
        );
        assert_eq!(
            labels("en").count("evidence_count", 3),
            "3 pieces of evidence"
        );
        assert_eq!(labels("fr").count("results", 0), "0 résultat");
        assert_eq!(labels("en").count("results", 0), "0 results");
        assert_eq!(labels("de").kinds(Kind::CaseStudy), "Fallstudien");
    }
}
