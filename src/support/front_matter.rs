//! The front matter keys of the design's table, checked per kind of document.

use std::path::Path;

use serde_json::Value;

use crate::model::document::{FrontMatter, Kind, Part, PartHeading, ProfileLink, Status};
use crate::support::diagnostic::{Diagnostic, suggest};
use crate::support::fields::scripting_scheme;
use crate::support::fields::{Field, FieldReader, Literal, Located, Shape, warn_unknown_keys};
use crate::support::yaml::{InOrder, Mapping, describe};

/// A front matter key and the kinds of document it applies to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FrontKey {
    pub(crate) field: Field,
    pub(crate) kinds: &'static [Kind],
    /// What its values name, for forms that offer a choice (`crate::cms`).
    pub(crate) names: Names,
}

/// What the values of a front matter key are, beyond their shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Names {
    /// Text of its own: a title, a role.
    Nothing,
    /// Text of its own that runs to sentences: a summary.
    Prose,
    /// Tags of the domain map in community.yaml.
    Tags,
    /// Slugs of documents of this kind.
    Documents(Kind),
}

const fn on(kinds: &'static [Kind], field: Field) -> FrontKey {
    FrontKey {
        field,
        kinds,
        names: Names::Nothing,
    }
}

impl FrontKey {
    const fn naming(mut self, names: Names) -> FrontKey {
        self.names = names;
        self
    }
}

const ALL: &[Kind] = &Kind::ALL;
const WRITTEN: &[Kind] = &[Kind::Practice, Kind::Guide, Kind::CaseStudy, Kind::Toolkit];
const EVIDENCE: &[Kind] = &[Kind::Guide, Kind::CaseStudy];
const MEMBERS: &[Kind] = &[Kind::Member];
const TOOLKITS: &[Kind] = &[Kind::Toolkit];

/// Every front matter key practica reads, in the order hints list them:
/// what the loader knows, and what the editor schemas (`practica schema
/// practice`, …) offer.
pub(crate) const FIELDS: &[FrontKey] = &[
    on(
        ALL,
        Field::new(
            "title",
            Shape::Text,
            "The document's title; on a member profile, the person's name.",
        )
        .required(),
    ),
    on(
        ALL,
        Field::new(
            "summary",
            Shape::Text,
            "One or two sentences for lists, cards and the meta description; without it, the first paragraph.",
        ),
    )
    .naming(Names::Prose),
    on(
        ALL,
        Field::new(
            "date",
            Shape::Date,
            "When it was written: YYYY-MM-DD, or RFC 3339 (2024-03-01T09:30:00Z).",
        ),
    ),
    on(
        ALL,
        Field::new(
            "updated",
            Shape::Date,
            "When it last changed (YYYY-MM-DD); without it, the date of the file's last commit.",
        ),
    ),
    on(
        ALL,
        Field::new(
            "draft",
            Shape::Flag,
            "`true` leaves the document out of the site unless it is built with --drafts.",
        )
        .default(Literal::Flag(false)),
    ),
    on(
        ALL,
        Field::new(
            "review_by",
            Shape::Date,
            "The date (YYYY-MM-DD) the document should next be reviewed by; after it, the overdue-review gap.",
        ),
    ),
    on(
        ALL,
        Field::new(
            "language",
            Shape::Language,
            "The document's language as a language tag (`es`, `pt-BR`), when it is not the community's `language`.",
        ),
    ),
    on(
        ALL,
        Field::new(
            "image",
            Shape::Image,
            "The picture shown when the page is shared (Open Graph, Twitter cards): a file under static/, linked as from the body (`../static/images/crates.jpg`), or an https:// address.",
        ),
    ),
    on(
        ALL,
        Field::new(
            "owner",
            Shape::Text,
            "The member who keeps it current: their slug, the file name in members/ without .md.",
        ),
    )
    .naming(Names::Documents(Kind::Member)),
    on(
        WRITTEN,
        Field::new(
            "tags",
            Shape::TextList,
            "The topics it covers: tag slugs, like [cold-chain, food-safety].",
        ),
    )
    .naming(Names::Tags),
    on(
        WRITTEN,
        Field::new(
            "authors",
            Shape::TextList,
            "Who wrote it: member slugs, the file names in members/ without .md.",
        ),
    )
    .naming(Names::Documents(Kind::Member)),
    on(
        &[Kind::Practice],
        Field::new(
            "status",
            Shape::Word(&Status::NAMES),
            "How proven the practice is: proposed, emerging, established or retired.",
        ),
    ),
    on(
        EVIDENCE,
        Field::new(
            "practices",
            Shape::TextList,
            "The practices this applies or teaches: practice slugs. Each practice lists it as evidence.",
        ),
    )
    .naming(Names::Documents(Kind::Practice)),
    on(
        MEMBERS,
        Field::new(
            "expertise",
            Shape::TextList,
            "Tag slugs of the topics the member knows well.",
        ),
    )
    .naming(Names::Tags),
    on(
        MEMBERS,
        Field::new(
            "learning",
            Shape::TextList,
            "Tag slugs of the topics the member wants to learn.",
        ),
    )
    .naming(Names::Tags),
    on(
        MEMBERS,
        Field::new(
            "mentor",
            Shape::Flag,
            "`true` if the member is open to mentoring in the topics they know.",
        )
        .default(Literal::Flag(false)),
    ),
    on(
        MEMBERS,
        Field::new(
            "role",
            Shape::Text,
            "The member's role, shown on their profile.",
        ),
    ),
    on(
        MEMBERS,
        Field::new(
            "organization",
            Shape::Text,
            "The member's organisation, shown on their profile.",
        ),
    ),
    on(
        MEMBERS,
        Field::new(
            "git",
            Shape::TextList,
            "The names and e-mail addresses the member commits with in git, so insights count their commits: [Ana Lima, ana@example.org].",
        ),
    ),
    on(
        MEMBERS,
        Field::new(
            "links",
            Shape::ProfileLinks,
            "Links shown on the profile, each `{title: Website, url: https://example.org}`.",
        ),
    ),
    on(
        TOOLKITS,
        Field::new(
            "audience",
            Shape::Text,
            "Who the toolkit is for, shown on its cover: `New fridge hosts`.",
        ),
    )
    .naming(Names::Prose),
    on(
        TOOLKITS,
        Field::new(
            "items",
            Shape::ToolkitItems,
            "The documents of the toolkit in reading order: slugs of practices, guides and case studies (`guides/x` names the section), or parts `{part: Title, text: A line, items: [...]}`.",
        ),
    ),
];

/// The keys that apply to `kind`, in the table's order.
pub(crate) fn keys_of(kind: Kind) -> Vec<&'static str> {
    FIELDS
        .iter()
        .filter(|k| k.kinds.contains(&kind))
        .map(|k| k.field.key)
        .collect()
}

fn all_keys() -> Vec<&'static str> {
    FIELDS.iter().map(|k| k.field.key).collect()
}

/// Reads and checks one document's front matter. `line_offset` is the number
/// of file lines before the YAML text.
pub(crate) fn read(
    mapping: &Mapping,
    kind: Kind,
    path: &Path,
    line_offset: usize,
) -> (FrontMatter, Vec<Diagnostic>) {
    let mut reader = FieldReader::new(mapping, path, line_offset);
    let allowed = keys_of(kind);
    let mut front = FrontMatter {
        title: read_title(&mut reader, kind, path),
        summary: reader.string("summary").unwrap_or_default(),
        date: reader.date("date"),
        updated: reader.date("updated"),
        draft: reader.bool("draft").unwrap_or(false),
        review_by: reader.located_date("review_by"),
        language: reader.language("language"),
        image: reader
            .located_string("image")
            .filter(|i| !i.text.is_empty()),
        owner: reader
            .located_string("owner")
            .and_then(|o| slug_of(&mut reader, "owner", o)),
        ..FrontMatter::default()
    };
    if kind == Kind::Member {
        front.expertise = slug_list(&mut reader, "expertise");
        front.learning = slug_list(&mut reader, "learning");
        front.mentor = reader.bool("mentor").unwrap_or(false);
        front.role = reader.string("role");
        front.organization = reader.string("organization");
        front.links = read_profile_links(&mut reader, mapping);
        front.git = reader
            .string_list("git")
            .into_iter()
            .map(|name| name.text)
            .filter(|name| !name.trim().is_empty())
            .collect();
    } else {
        front.tags = slug_list(&mut reader, "tags");
        front.authors = slug_list(&mut reader, "authors");
    }
    match kind {
        Kind::Practice => front.status = read_status(&mut reader),
        Kind::Guide | Kind::CaseStudy => front.practices = slug_list(&mut reader, "practices"),
        Kind::Member => {}
        Kind::Toolkit => {
            front.audience = reader.string("audience").filter(|a| !a.is_empty());
            front.items = read_items(&mut reader, mapping);
        }
    }
    let every_key = all_keys();
    for (key, value) in &mapping.entries {
        if allowed.contains(&key.as_str()) {
            continue;
        }
        if every_key.contains(&key.as_str()) {
            let span = reader.key_span(key);
            reader.warning(
                span,
                format!(
                    "`{key}` does not apply to {}; it is kept for templates as `page.extra.{key}`",
                    kind.plural().to_lowercase()
                ),
                format!(
                    "keys of {}: {}",
                    kind.plural().to_lowercase(),
                    allowed.join(", ")
                ),
            );
        }
        front.extra.insert(key.clone(), value.clone());
    }
    let unknown: Vec<&String> = mapping
        .entries
        .keys()
        .filter(|k| !every_key.contains(&k.as_str()))
        .collect();
    warn_unknown_keys(&mut reader, unknown.into_iter(), &allowed, "front matter");
    (front, reader.diagnostics)
}

fn read_title(reader: &mut FieldReader, kind: Kind, path: &Path) -> String {
    let title = reader.string("title").unwrap_or_default();
    if title.is_empty() {
        let example = title_from_file_name(path).unwrap_or_else(|| {
            match kind {
                Kind::Member => "Amara Okafor",
                _ => "Peer review of pickups",
            }
            .to_string()
        });
        reader.error(
            reader.key_span("title"),
            "document has no `title`".into(),
            &format!("add `title: {example}` to the front matter"),
        );
    }
    title
}

/// The title a file's name suggests: `peer-review_of-pickups.md` is
/// "Peer review of pickups" (a name is only a guess at case, so only its
/// first letter is raised). `None` when the name has no letter or digit.
fn title_from_file_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_string_lossy();
    let words: Vec<&str> = stem
        .split(['-', '_', ' ', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    if !words.iter().any(|w| w.chars().any(char::is_alphanumeric)) {
        return None;
    }
    Some(crate::stages::config::title_from_slug(&words.join("-")))
}

/// Normalises a list of slugs; a slug that slugifies to nothing is an error.
fn slug_list(reader: &mut FieldReader, key: &str) -> Vec<Located> {
    let items = reader.string_list(key);
    items
        .into_iter()
        .filter_map(|item| slug_of(reader, key, item))
        .collect()
}

fn slug_of(reader: &mut FieldReader, key: &str, item: Located) -> Option<Located> {
    let slug = slug::slugify(&item.text);
    if slug.is_empty() {
        reader.error(
            item.span,
            format!(
                "`{}` in `{key}` has no letters or digits, so it names nothing",
                item.text
            ),
            "use lowercase words joined by hyphens, like `cold-chain`",
        );
        return None;
    }
    Some(Located {
        text: slug,
        span: item.span,
    })
}

/// How a toolkit's items are written, for hints.
const ITEMS_EXAMPLE: &str = "write each item as a document's slug, like `- cold-chain-handover`, or a part as `- {part: Getting started, text: A line, items: [a, b]}`";

/// A toolkit's `items:` in order: bare slugs, and parts of them. Items
/// written outside a part after one make a group of their own.
fn read_items(reader: &mut FieldReader, mapping: &Mapping) -> Vec<Part> {
    let Some(entries) = list_of(reader, mapping.entries.get("items"), "items") else {
        return Vec::new();
    };
    let mut places = mapping.in_order("items");
    let mut parts: Vec<Part> = Vec::new();
    for entry in entries {
        if let Value::Object(fields) = entry {
            parts.extend(read_part(reader, &mut places, fields));
            continue;
        }
        let Some(item) = item_of(reader, &mut places, entry) else {
            continue;
        };
        match parts.last_mut() {
            Some(last) if last.heading.is_none() => last.items.push(item),
            _ => parts.push(Part {
                heading: None,
                items: vec![item],
            }),
        }
    }
    parts
}

/// A value that should be a list, as its entries (a single text is a
/// list of one); `None` and an error at `key` for anything else.
fn list_of<'v>(
    reader: &mut FieldReader,
    value: Option<&'v Value>,
    key: &str,
) -> Option<Vec<&'v Value>> {
    match value? {
        Value::Null => None,
        Value::Array(entries) => Some(entries.iter().collect()),
        single @ (Value::String(_) | Value::Number(_)) => Some(vec![single]),
        other => {
            let message = format!("`{key}` should be a list, found {}", describe(other));
            reader.error(reader.key_span(key), message, ITEMS_EXAMPLE);
            None
        }
    }
}

/// One item: a slug, located where it is written.
fn item_of(reader: &mut FieldReader, places: &mut InOrder, entry: &Value) -> Option<Located> {
    let text = match entry {
        Value::String(text) => text.trim().to_string(),
        Value::Number(n) => n.to_string(),
        other => {
            let span = reader.shift(places.peek(&["- ", "[", ","]));
            let message = format!(
                "an item of `items` should be a slug, found {}",
                describe(other)
            );
            reader.error(span, message, ITEMS_EXAMPLE);
            return None;
        }
    };
    let span = reader.shift(places.next(&text));
    item_slug(reader, Located { text, span })
}

/// An item's slug, keeping a section written before it (`guides/x`).
fn item_slug(reader: &mut FieldReader, item: Located) -> Option<Located> {
    let (section, name) = match item.text.rsplit_once('/') {
        Some((section, name)) => (Some(section.trim()), name),
        None => (None, item.text.as_str()),
    };
    let slug = slug::slugify(name);
    if slug.is_empty() {
        reader.error(
            item.span,
            format!(
                "`{}` in `items` has no letters or digits, so it names nothing",
                item.text
            ),
            "name a document by its file name without .md, like `cold-chain-handover`",
        );
        return None;
    }
    let text = match section {
        Some(section) => format!("{section}/{slug}"),
        None => slug,
    };
    Some(Located {
        text,
        span: item.span,
    })
}

/// The keys a part takes.
const PART_KEYS: [&str; 3] = ["part", "text", "items"];

/// One part: `{part: Title, text: A line, items: [...]}`.
fn read_part(
    reader: &mut FieldReader,
    places: &mut InOrder,
    fields: &serde_json::Map<String, Value>,
) -> Option<Part> {
    let here = reader.shift(places.peek(&["- ", "{"]));
    for key in fields.keys().filter(|k| !PART_KEYS.contains(&k.as_str())) {
        let hint = match suggest(key, PART_KEYS) {
            Some(near) => format!("did you mean `{near}`? A part has `part`, `text` and `items`"),
            None => "a part has `part` (its title), `text` (a line under it) and `items`".into(),
        };
        let span = reader.shift(places.peek(&[key]));
        reader.warning(
            span,
            format!("unknown key `{key}` in a part of `items`"),
            hint,
        );
    }
    let text_of = |value: Option<&Value>| match value {
        Some(Value::String(text)) => Some(text.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let title = text_of(fields.get("part")).unwrap_or_default();
    let text = match fields.get("text") {
        None | Some(Value::Null) => String::new(),
        Some(value) => text_of(Some(value)).unwrap_or_else(|| {
            let span = reader.shift(places.peek(&["text"]));
            let message = format!(
                "the `text` of a part should be text, found {}",
                describe(value)
            );
            reader.error(
                span,
                message,
                "write one line under the part's title, like `text: Before your first shift`",
            );
            String::new()
        }),
    };
    // Read before the title is judged, so the places move past them.
    let entries = list_of(reader, fields.get("items"), "items").unwrap_or_default();
    let items = entries
        .into_iter()
        .filter_map(|entry| item_of(reader, places, entry))
        .collect();
    if title.is_empty() {
        reader.error(
            here,
            "a part of `items` has no title in `part`".into(),
            "write each part as `- {part: Getting started, items: [a, b]}`",
        );
        return None;
    }
    Some(Part {
        heading: Some(PartHeading { title, text }),
        items,
    })
}

fn read_status(reader: &mut FieldReader) -> Option<Status> {
    let text = reader.string("status")?;
    let status = Status::parse(&text.to_lowercase());
    if status.is_none() {
        let span = reader.item_span("status", &text);
        let hint = match suggest(&text, Status::NAMES) {
            Some(near) => format!(
                "did you mean `{near}`? The statuses are: {}",
                Status::NAMES.join(", ")
            ),
            None => format!("the statuses are: {}", Status::NAMES.join(", ")),
        };
        reader.error(span, format!("unknown status `{text}`"), &hint);
    }
    status
}

fn read_profile_links(reader: &mut FieldReader, mapping: &Mapping) -> Vec<ProfileLink> {
    let Some(value) = mapping.entries.get("links") else {
        return Vec::new();
    };
    let Some(items) = value.as_array() else {
        if !value.is_null() {
            reader.error(
                reader.key_span("links"),
                "`links` should be a list".into(),
                "write each link as `- {title: Website, url: https://example.org}`",
            );
        }
        return Vec::new();
    };
    let mut links = Vec::new();
    for item in items {
        let text = |key: &str| item.get(key).and_then(|v| v.as_str()).map(str::to_string);
        match (
            text("title"),
            text("url").or_else(|| item.as_str().map(str::to_string)),
        ) {
            (_, Some(url)) if scripting_scheme(&url).is_some() => reader.error(
                reader.item_span("links", url.trim()),
                format!("the profile link `{url}` would run code when clicked"),
                "profile links are web addresses (https://…) or mailto: links",
            ),
            (title, Some(url)) => links.push(ProfileLink {
                title: title.unwrap_or_else(|| url.clone()),
                url,
            }),
            _ => reader.error(
                reader.key_span("links"),
                "a profile link has no `url`".into(),
                "write each link as `- {title: Website, url: https://example.org}`",
            ),
        }
    }
    links
}
