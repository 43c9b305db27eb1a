//! The front matter keys of the design's table, checked per kind of document.

use std::path::Path;

use crate::model::document::{FrontMatter, Kind, ProfileLink, Status};
use crate::support::diagnostic::{Diagnostic, suggest};
use crate::support::fields::scripting_scheme;
use crate::support::fields::{FieldReader, Located, warn_unknown_keys};
use crate::support::yaml::Mapping;

const COMMON_KEYS: &[&str] = &[
    "title",
    "summary",
    "date",
    "updated",
    "draft",
    "review_by",
    "owner",
];
const WRITTEN_KEYS: &[&str] = &["tags", "authors"];
const PRACTICE_KEYS: &[&str] = &["status"];
const EVIDENCE_KEYS: &[&str] = &["practices"];
const MEMBER_KEYS: &[&str] = &[
    "expertise",
    "learning",
    "mentor",
    "role",
    "organization",
    "links",
];

fn keys_of(kind: Kind) -> Vec<&'static str> {
    let own: &[&[&str]] = match kind {
        Kind::Practice => &[WRITTEN_KEYS, PRACTICE_KEYS],
        Kind::Guide | Kind::CaseStudy => &[WRITTEN_KEYS, EVIDENCE_KEYS],
        Kind::Member => &[MEMBER_KEYS],
    };
    COMMON_KEYS
        .iter()
        .chain(own.iter().flat_map(|k| k.iter()))
        .copied()
        .collect()
}

fn all_keys() -> Vec<&'static str> {
    [
        COMMON_KEYS,
        WRITTEN_KEYS,
        PRACTICE_KEYS,
        EVIDENCE_KEYS,
        MEMBER_KEYS,
    ]
    .concat()
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
        title: read_title(&mut reader, kind),
        summary: reader.string("summary").unwrap_or_default(),
        date: reader.date("date"),
        updated: reader.date("updated"),
        draft: reader.bool("draft").unwrap_or(false),
        review_by: reader.date("review_by"),
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
    } else {
        front.tags = slug_list(&mut reader, "tags");
        front.authors = slug_list(&mut reader, "authors");
    }
    match kind {
        Kind::Practice => front.status = read_status(&mut reader),
        Kind::Guide | Kind::CaseStudy => front.practices = slug_list(&mut reader, "practices"),
        Kind::Member => {}
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

fn read_title(reader: &mut FieldReader, kind: Kind) -> String {
    let title = reader.string("title").unwrap_or_default();
    if title.is_empty() {
        let example = if kind == Kind::Member {
            "Amara Okafor"
        } else {
            "Peer review of pickups"
        };
        reader.error(
            reader.key_span("title"),
            "document has no `title`".into(),
            &format!("add `title: {example}` to the front matter"),
        );
    }
    title
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
