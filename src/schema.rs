//! JSON Schemas of `community.yaml` and of each kind's front matter, for
//! editors to complete and check keys with (`practica schema`, and the
//! files `practica init` writes).
//!
//! They are made from the tables the loader checks keys against
//! (`config::FIELDS`, `front_matter::FIELDS`), so a key the loader knows is
//! a key editors offer, and no other. They follow draft-07, the newest
//! draft yaml-language-server (the VS Code YAML extension) reads.
//!
//! A schema flags nothing `practica check` accepts without a word: every
//! optional key may be left empty (`null`), text may be a number, a word
//! of a fixed list may be in any letter case. It may accept some values
//! `check` still rejects (a date that does not exist, a slug that names
//! no document): those need the whole community to judge.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::model::document::Kind;
use crate::stages::config;
use crate::support::diagnostic::Diagnostic;
use crate::support::fields::{Field, Literal, Shape};
use crate::support::front_matter;

/// Where `practica init` puts the schemas in a community, and where its
/// `community.yaml` and editor settings point.
pub(crate) const SCHEMA_DIR: &str = ".practica/schemas";

const DRAFT: &str = "http://json-schema.org/draft-07/schema#";

/// What a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Community,
    FrontMatter(Kind),
}

impl Subject {
    /// `community.yaml`, then the front matter of each kind, in
    /// `Kind::ALL`'s order: a new kind gets its schema without a change here.
    pub const ALL: [Subject; Kind::ALL.len() + 1] = {
        let mut all = [Subject::Community; Kind::ALL.len() + 1];
        let mut at = 0;
        while at < Kind::ALL.len() {
            all[at + 1] = Subject::FrontMatter(Kind::ALL[at]);
            at += 1;
        }
        all
    };

    /// As `practica schema NAME` takes it: `community`, `case-study`.
    pub fn name(self) -> &'static str {
        match self {
            Subject::Community => "community",
            Subject::FrontMatter(kind) => kind.name(),
        }
    }

    /// `community.schema.json`, `case-study.schema.json`.
    pub(crate) fn file_name(self) -> String {
        format!("{}.schema.json", self.name())
    }
}

/// Where a community keeps `subject`'s schema, from its folder: `./.practica/schemas/community.schema.json`.
pub(crate) fn path_from_root(subject: Subject) -> String {
    format!("./{SCHEMA_DIR}/{}", subject.file_name())
}

/// The first line of a `community.yaml` that names its schema for
/// yaml-language-server (VS Code's YAML extension, and editors that run
/// the same server), relative to the file.
pub(crate) fn modeline(subject: Subject) -> String {
    format!(
        "# yaml-language-server: $schema={}\n",
        path_from_root(subject)
    )
}

/// The schema as a file holds it: indented JSON ending in a newline.
pub fn text(subject: Subject) -> String {
    let mut text = format!("{:#}", schema(subject));
    text.push('\n');
    text
}

/// Writes every schema into `dir` (created if needed), replacing older
/// versions of them; returns the files written.
pub fn write_all(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let refusal = |e: std::io::Error, path: &Path| {
        Diagnostic::run_error(format!("cannot write {}: {e}", path.display()))
            .with_hint("choose a folder you can write to with --out")
            .settings()
    };
    std::fs::create_dir_all(dir).map_err(|e| refusal(e, dir))?;
    let mut written = Vec::new();
    for subject in Subject::ALL {
        let path = dir.join(subject.file_name());
        std::fs::write(&path, text(subject)).map_err(|e| refusal(e, &path))?;
        written.push(path);
    }
    Ok(written)
}

pub(crate) fn schema(subject: Subject) -> Value {
    let (title, about, mut body) = match subject {
        Subject::Community => (
            "practica community.yaml".to_string(),
            "The settings of a practica community: its site and its domain map of topics."
                .to_string(),
            mapping(config::FIELDS, true),
        ),
        Subject::FrontMatter(kind) => (
            format!("practica {} front matter", kind.name()),
            format!(
                "The front matter of a document in {}/. Keys practica does not know are kept for templates as page.extra.",
                kind.section()
            ),
            front_matter_schema(kind),
        ),
    };
    let head = json!({
        "$schema": DRAFT,
        "$comment": format!(
            "Made by practica {} (`practica schema {}`): make it again rather than edit it.",
            env!("CARGO_PKG_VERSION"),
            subject.name()
        ),
        "title": title,
        "description": about,
    });
    if let (Value::Object(body), Value::Object(head)) = (&mut body, head) {
        body.extend(head);
    }
    body
}

/// A kind's keys; the keys of other kinds are flagged, as the loader
/// warns about them, and any other key is left to templates.
fn front_matter_schema(kind: Kind) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for key in front_matter::FIELDS {
        let field = key.field;
        if !key.kinds.contains(&kind) {
            properties.insert(field.key.into(), Value::Bool(false));
            continue;
        }
        let mut schema = field_schema(&field);
        if field.required {
            required.push(field.key);
        } else {
            allow_blank(field.shape, &mut schema);
        }
        properties.insert(field.key.into(), schema);
    }
    json!({"type": "object", "properties": properties, "required": required})
}

/// A mapping of `fields`; `closed` when the loader warns about any other key.
fn mapping(fields: &[Field], closed: bool) -> Value {
    let properties: Map<String, Value> = fields
        .iter()
        .map(|field| (field.key.to_string(), field_schema(field)))
        .collect();
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.key)
        .collect();
    let mut schema = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    if closed {
        schema["additionalProperties"] = Value::Bool(false);
    }
    schema
}

fn field_schema(field: &Field) -> Value {
    let mut schema = shape_schema(field.shape);
    if field.required && matches!(field.shape, Shape::Text) {
        // Blank text is no title.
        schema["pattern"] = json!("\\S");
    }
    if !field.required {
        allow_null(&mut schema);
    }
    schema["description"] = json!(field.about);
    if let Some(default) = field.default {
        schema["default"] = match default {
            Literal::Text(text) => json!(text),
            Literal::Flag(flag) => json!(flag),
            Literal::Count(count) => json!(count),
        };
    }
    schema
}

fn shape_schema(shape: Shape) -> Value {
    match shape {
        Shape::Text => json!({"type": ["string", "number"]}),
        Shape::Date => json!({"type": "string", "pattern": DATE_PATTERN}),
        Shape::Flag => json!({"type": "boolean"}),
        Shape::TextList => json!({
            "type": ["array", "string", "number"],
            "items": {"type": ["string", "number"]},
        }),
        Shape::WebPrefixes => {
            let prefix = json!({"type": "string", "pattern": "^[hH][tT][tT][pP][sS]?://"});
            json!({"anyOf": [prefix.clone(), {"type": "array", "items": prefix}]})
        }
        Shape::Duration => json!({"anyOf": [
            {"const": 0},
            {"type": "string", "pattern": "^\\s*(0|[0-9]+\\s*[mhd])\\s*$"},
        ]}),
        Shape::Word(words) => json!({"anyOf": [
            {"enum": words},
            {"type": "string", "pattern": any_case(words)},
        ]}),
        Shape::Count { min, max } => json!({"type": "integer", "minimum": min, "maximum": max}),
        Shape::Words(words) => {
            let word = json!({"anyOf": [
                {"enum": words},
                {"type": "string", "pattern": any_case(words)},
            ]});
            json!({"anyOf": [word.clone(), {"type": "array", "items": word}]})
        }
        Shape::Weight => json!({"anyOf": [
            {"type": "integer", "minimum": 0, "maximum": 100},
            {"type": "boolean"},
            {"type": "string", "pattern": any_case(&["on", "off"])},
        ]}),
        Shape::AutoOrFlag => json!({"enum": ["auto", true, false]}),
        // A name, not a path: no separator, not `.` or `..`.
        Shape::FolderName => {
            json!({"type": ["string", "number"], "pattern": "^[^./\\\\][^/\\\\]*$"})
        }
        Shape::SiteAddress => json!({"type": "string", "pattern": site_address_pattern()}),
        // Read as text is: the link stage checks where it points.
        Shape::Image => json!({"type": ["string", "number"]}),
        Shape::Language => json!({
            "type": "string",
            "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
        }),
        Shape::EditAddress => {
            json!({"type": "string", "pattern": "^https?://[\\s\\S]*\\{path\\}"})
        }
        Shape::ProfileLinks => json!({
            "type": "array",
            "items": {"anyOf": [
                {"type": "string", "description": "The address alone: https://… or mailto:…"},
                {
                    "type": "object",
                    "required": ["url"],
                    "properties": {
                        "title": {"type": ["string", "null"], "description": "The link's text; without it, the address."},
                        "url": {"type": "string", "description": "The address: https://… or mailto:…"},
                    },
                },
            ]},
        }),
        Shape::StaticFile => json!({"type": "string", "pattern": "^[^/\\\\]"}),
        Shape::FooterLinks => {
            json!({
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["text", "url"],
                    "additionalProperties": false,
                    "properties": {
                        "text": {"type": "string", "pattern": "\\S", "description": "The link's text"},
                        "url": {"type": "string", "pattern": "\\S", "description": "An http(s) address, or a path of the site like `conduct/`"},
                    },
                },
            })
        }
        Shape::Accent => {
            let colour = json!({"type": "string", "description": "A CSS colour: #rrggbb, #rgb, rgb(…) or hsl(…)"});
            json!({"anyOf": [
                colour.clone(),
                {
                    "type": "object",
                    "required": ["light", "dark"],
                    "additionalProperties": false,
                    "properties": {"light": colour.clone(), "dark": colour},
                },
            ]})
        }
        Shape::Labels => {
            let english = crate::stages::labels::Labels::default();
            let text = json!({"type": ["string", "number"]});
            let label = json!({"anyOf": [
                text.clone(),
                {
                    "type": "object",
                    "required": ["one", "other"],
                    "additionalProperties": false,
                    "properties": {"one": {"type": "string"}, "other": {"type": "string"}},
                },
            ]});
            let properties: Map<String, Value> = english
                .keys()
                .map(|key| (key.to_string(), json!({"description": format!("English: {}", english.get(key)), "anyOf": label["anyOf"].clone()})))
                .collect();
            json!({"type": "object", "properties": properties, "additionalProperties": label})
        }
        Shape::Items(fields) => {
            let first = fields.first().map_or("", |f| f.key);
            json!({
                "type": "array",
                "items": {"anyOf": [
                    {"type": "string", "description": format!("The {first} alone")},
                    mapping(fields, false),
                ]},
            })
        }
        Shape::Settings(fields) => mapping(fields, true),
        Shape::ToolkitItems => {
            let slug = json!({"type": ["string", "number"], "description": "A document's slug: practices, guides and case studies; `guides/x` names the section"});
            let slugs = json!({"type": ["array", "string", "number", "null"], "items": slug});
            json!({
                "type": ["array", "string", "number"],
                "items": {"anyOf": [
                    slug,
                    {
                        "type": "object",
                        "required": ["part"],
                        "additionalProperties": false,
                        "properties": {
                            "part": {"type": ["string", "number"], "pattern": "\\S", "description": "The part's title"},
                            "text": {"type": ["string", "number", "null"], "description": "A line under the part's title"},
                            "items": slugs,
                        },
                    },
                ]},
            })
        }
    }
}

/// In front matter, blank text is read as a missing value too: what a
/// form's empty field is written as (`date: ""`). Text takes it already;
/// lists and mappings are read as they are.
fn allow_blank(shape: Shape, schema: &mut Value) {
    if matches!(
        shape,
        Shape::ProfileLinks | Shape::ToolkitItems | Shape::Items(_) | Shape::Settings(_)
    ) {
        return;
    }
    let blank = json!({"type": "string", "pattern": "^\\s*$"});
    if schema.get("pattern").is_none()
        && schema["type"]
            .as_array()
            .is_some_and(|types| types.contains(&json!("string")))
    {
        return;
    }
    match schema.get_mut("anyOf") {
        Some(Value::Array(choices)) => choices.push(blank),
        _ => {
            let about = schema.as_object_mut().and_then(|o| o.remove("description"));
            *schema = json!({"anyOf": [schema.take(), blank]});
            if let Some(about) = about {
                schema["description"] = about;
            }
        }
    }
}

/// An empty key is read as a missing one.
fn allow_null(schema: &mut Value) {
    if let Some(types) = schema.get_mut("type") {
        let mut list = match types.take() {
            Value::Array(list) => list,
            one => vec![one],
        };
        list.push(json!("null"));
        *types = Value::Array(list);
    } else if let Some(Value::Array(values)) = schema.get_mut("enum") {
        values.push(Value::Null);
    } else if let Some(Value::Array(choices)) = schema.get_mut("anyOf") {
        choices.push(json!({"type": "null"}));
    }
}

/// `YYYY-MM-DD`, or a timestamp starting with it (`FieldReader::date`
/// reads the date of its first ten characters). ASCII digits only, in
/// every regex dialect.
const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ].+)?$";

/// `config::url_character`'s rule, with the scheme and host `base_url`
/// needs: the ASCII characters it refuses are excluded by their codes.
fn site_address_pattern() -> String {
    let refused: Vec<u8> = (0u8..128)
        .filter(|b| !config::url_character(char::from(*b)))
        .collect();
    let mut class = String::new();
    // Runs of neighbouring codes as ranges: `\x00-\x20`.
    for run in refused.chunk_by(|a, b| a + 1 == *b) {
        let (first, last) = (run[0], run[run.len() - 1]);
        class.push_str(&format!("\\x{first:02x}"));
        if last != first {
            class.push_str(&format!("-\\x{last:02x}"));
        }
    }
    format!("^https?://[^/?#:{class}][^?#{class}]*$")
}

/// One of `words`, in any letter case: `[Pp][Rr]…`, since JSON Schema's
/// regular expressions have no case-insensitive flag.
fn any_case(words: &[&str]) -> String {
    let each: Vec<String> = words
        .iter()
        .map(|word| {
            word.chars()
                .map(|c| match c {
                    c if c.is_ascii_alphabetic() => {
                        format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase())
                    }
                    c if c.is_ascii_digit() || !c.is_ascii() => c.to_string(),
                    c => format!("\\x{:02x}", u32::from(c)),
                })
                .collect()
        })
        .collect();
    format!("^(?:{})$", each.join("|"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::load;

    /// Values of every kind and shape, good and bad, for each key.
    const PROBES: &[&str] = &[
        "null",
        "true",
        "false",
        "0",
        "1",
        "18",
        "2.5",
        "-3",
        "1201",
        r#""""#,
        r#"" ""#,
        r#""Cold chain""#,
        r#""cold-chain""#,
        r#""2024-03-01""#,
        r#""2024-3-1""#,
        r#""2024-02-30""#,
        r#""2024-03-01T09:30:00Z""#,
        r#""2024-03-01 09:30:00+01:00""#,
        r#""March 2024""#,
        r#""established""#,
        r#""Established""#,
        r#""estab""#,
        r#""auto""#,
        r#""Auto""#,
        r#""true""#,
        r#""harbour""#,
        r#"".hidden""#,
        r#""a/b""#,
        r#""https://example.org/kb/""#,
        r#""https://""#,
        r#""http://x.org/?q""#,
        r#""https://x.org/a b""#,
        r#""ftp://x.org/""#,
        r#""https://github.com/o/r/edit/main/{path}""#,
        r#""https://x.org/edit""#,
        r#""javascript:alert(1)""#,
        "[]",
        "[1]",
        r#"["a", "b"]"#,
        "[null]",
        "[[]]",
        "[{}]",
        "[true]",
        "{}",
        r#"{"a": 1}"#,
        r#"{"stale_after_months": 18}"#,
        r#"{"stale_after_months": 0}"#,
        r#"{"stale_after_months": 2.5}"#,
        r#"{"stale_after_months": null}"#,
        r#"[{"slug": "a"}]"#,
        r#"[{"slug": "a", "title": "A", "parent": "b"}, {"slug": "b"}]"#,
        r#"[{"title": "no slug"}]"#,
        r#"["cold-chain", {"slug": "b"}]"#,
        r#"[{"title": "Website", "url": "https://x.org"}]"#,
        r#"[{"title": "Website"}]"#,
        r#"["https://x.org"]"#,
        r#"[{"url": 1}]"#,
    ];

    /// A value each shape's reader takes without a word.
    fn example(shape: Shape) -> Value {
        match shape {
            Shape::Text => json!("Cold chain"),
            Shape::Date => json!("2024-03-01"),
            Shape::Flag => json!(true),
            Shape::TextList => json!(["cold-chain", "food-safety"]),
            Shape::WebPrefixes => json!(["https://twitter.com/"]),
            Shape::Duration => json!("12h"),
            Shape::Word(words) => json!(words[0]),
            Shape::Count { min, .. } => json!(min),
            Shape::Words(words) => json!([words[0]]),
            Shape::Weight => json!(3),
            Shape::AutoOrFlag => json!("auto"),
            Shape::FolderName => json!("harbour"),
            Shape::SiteAddress => json!("https://example.org/kb/"),
            Shape::Language => json!("es"),
            Shape::Image => json!("../static/images/crates.jpg"),
            Shape::EditAddress => json!("https://github.com/o/r/edit/main/{path}"),
            Shape::ProfileLinks => json!([{"title": "Website", "url": "https://example.org"}]),
            Shape::StaticFile => json!("images/logo.svg"),
            Shape::FooterLinks => json!([{"text": "Code of conduct", "url": "conduct/"}]),
            Shape::Accent => json!({"light": "#1d5fa8", "dark": "#8ab4f8"}),
            Shape::Labels => {
                json!({"search": "Find", "results": {"one": "{n} hit", "other": "{n} hits"}})
            }
            Shape::Items(fields) => {
                let item: Map<String, Value> = fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| (f.key.to_string(), json!("cold-chain")))
                    .collect();
                json!([item])
            }
            Shape::ToolkitItems => json!([
                "cold-chain",
                {"part": "Start", "text": "First", "items": ["guides/a"]}
            ]),
            Shape::Settings(fields) => {
                let settings: Map<String, Value> = fields
                    .iter()
                    .map(|f| (f.key.to_string(), example(f.shape)))
                    .collect();
                json!(settings)
            }
        }
    }

    fn validator(subject: Subject) -> jsonschema::Validator {
        jsonschema::validator_for(&schema(subject)).unwrap()
    }

    /// A YAML mapping of `entries`, written as JSON values (YAML reads JSON).
    fn yaml(entries: &Map<String, Value>) -> String {
        entries.iter().map(|(k, v)| format!("{k}: {v}\n")).collect()
    }

    /// The problems the loader finds in `entries`, and the mapping as JSON.
    fn community(entries: Map<String, Value>) -> (Vec<Diagnostic>, Value) {
        let (_, problems) = config::parse(Path::new("/c"), &yaml(&entries));
        (problems, Value::Object(entries))
    }

    fn document(kind: Kind, entries: Map<String, Value>) -> (Vec<Diagnostic>, Value) {
        let text = format!("---\n{}---\nBody.\n", yaml(&entries));
        let path = Path::new(kind.section()).join("x.md");
        let (_, problems) = load::parse_document(&path, kind, &text);
        (problems, Value::Object(entries))
    }

    /// Entries with a title, and `key` set to `value`.
    fn with(key: &str, value: Value) -> Map<String, Value> {
        let mut entries = Map::new();
        entries.insert("title".into(), json!("T"));
        entries.insert(key.into(), value);
        entries
    }

    /// Every key on every subject, with a reader that takes the value.
    fn cases() -> Vec<(Subject, Field)> {
        let community = config::FIELDS.iter().map(|f| (Subject::Community, *f));
        let documents = Kind::ALL.into_iter().flat_map(|kind| {
            front_matter::FIELDS
                .iter()
                .filter(move |k| k.kinds.contains(&kind))
                .map(move |k| (Subject::FrontMatter(kind), k.field))
        });
        community.chain(documents).collect()
    }

    fn read(subject: Subject, entries: Map<String, Value>) -> (Vec<Diagnostic>, Value) {
        match subject {
            Subject::Community => community(entries),
            Subject::FrontMatter(kind) => document(kind, entries),
        }
    }

    #[test]
    fn the_schemas_keys_are_the_keys_the_loader_knows() {
        let keys = |subject: Subject, allowed: bool| -> Vec<String> {
            let schema = schema(subject);
            let mut keys: Vec<String> = schema["properties"]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(_, s)| (**s != Value::Bool(false)) == allowed)
                .map(|(k, _)| k.clone())
                .collect();
            keys.sort();
            keys
        };
        let sorted = |keys: Vec<&str>| {
            let mut keys: Vec<String> = keys.into_iter().map(String::from).collect();
            keys.sort();
            keys
        };
        let community_keys = config::FIELDS.iter().map(|f| f.key).collect();
        assert_eq!(keys(Subject::Community, true), sorted(community_keys));
        for kind in Kind::ALL {
            let subject = Subject::FrontMatter(kind);
            let own = front_matter::keys_of(kind);
            assert_eq!(keys(subject, true), sorted(own.clone()), "{kind:?}");
            let others = front_matter::FIELDS
                .iter()
                .map(|k| k.field.key)
                .filter(|k| !own.contains(k))
                .collect();
            assert_eq!(keys(subject, false), sorted(others), "{kind:?}");
        }
        // The loader takes each key the schema offers without a word, and
        // warns about a key the schema refuses.
        for (subject, field) in cases() {
            let (problems, _) = read(subject, with(field.key, example(field.shape)));
            assert!(
                problems.is_empty(),
                "{subject:?} {}: {problems:?}",
                field.key
            );
        }
        let (problems, json) = community(with("colour", json!("teal")));
        assert!(problems[0].message.contains("unknown key `colour`"));
        assert!(!validator(Subject::Community).is_valid(&json));
    }

    /// The promise editors rely on: a value the schema flags is one
    /// `practica check` reports too, so no mark in the editor is wrong.
    #[test]
    fn what_a_schema_flags_the_loader_reports() {
        let validators: Vec<(Subject, jsonschema::Validator)> = Subject::ALL
            .into_iter()
            .map(|s| (s, validator(s)))
            .collect();
        let validator =
            |subject: Subject| &validators.iter().find(|(s, _)| *s == subject).unwrap().1;
        let mut both_refuse = 0;
        for (subject, field) in cases() {
            for probe in PROBES {
                let value: Value = serde_json::from_str(probe).unwrap();
                let entries = match field.key {
                    "title" => Map::from_iter([("title".to_string(), value)]),
                    key => with(key, value),
                };
                let (problems, json) = read(subject, entries);
                let valid = validator(subject).is_valid(&json);
                assert!(
                    valid || !problems.is_empty(),
                    "{subject:?} `{}: {probe}`: the schema refuses what the loader takes",
                    field.key
                );
                both_refuse += usize::from(!valid && !problems.is_empty());
            }
            let (_, json) = read(subject, with(field.key, example(field.shape)));
            assert!(
                validator(subject).is_valid(&json),
                "{subject:?} {}",
                field.key
            );
        }
        assert!(
            both_refuse > 500,
            "the probes test refusals too: {both_refuse}"
        );
    }

    #[test]
    fn a_key_of_another_kind_is_flagged_as_the_loader_warns() {
        for kind in Kind::ALL {
            let subject = Subject::FrontMatter(kind);
            for key in front_matter::FIELDS
                .iter()
                .filter(|k| !k.kinds.contains(&kind))
            {
                let field = key.field;
                let (problems, json) = document(kind, with(field.key, example(field.shape)));
                assert!(
                    problems[0].message.contains("does not apply"),
                    "{kind:?} {}: {problems:?}",
                    field.key
                );
                assert!(
                    !validator(subject).is_valid(&json),
                    "{kind:?} {}",
                    field.key
                );
            }
            // Keys for templates are left alone by both.
            let (problems, json) = document(kind, with("hero_image", json!("x.png")));
            assert!(problems.is_empty(), "{problems:?}");
            assert!(validator(subject).is_valid(&json));
        }
    }

    #[test]
    fn patterns_follow_the_loaders_rules() {
        assert_eq!(any_case(&["ab"]), "^(?:[Aa][Bb])$");
        let address = regex_for(&site_address_pattern());
        for url in [
            "https://x.org",
            "http://x.org/kb/",
            "https://café.example/",
            "https://x.org:8080/a",
        ] {
            assert!(address(url), "{url}");
            assert_eq!(config::base_url_problem(url), None, "{url}");
        }
        for url in [
            "https://",
            "https://:80/",
            "https:///x",
            "https://x.org/a\"b",
            "https://x.org/?a",
            "https://x.org/#a",
            "https://x.org/a\tb",
        ] {
            assert!(!address(url), "{url}");
            assert!(config::base_url_problem(url).is_some(), "{url}");
        }
    }

    /// Whether `pattern` matches `text`, as a JSON Schema validator sees it.
    fn regex_for(pattern: &str) -> impl Fn(&str) -> bool + use<> {
        let validator =
            jsonschema::validator_for(&json!({"type": "string", "pattern": pattern})).unwrap();
        move |text| validator.is_valid(&json!(text))
    }
}
