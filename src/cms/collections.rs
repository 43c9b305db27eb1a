//! The collections of Decap CMS's `config.yml`, made from practica's own
//! tables: a collection per kind a form can write (`Kind::ALL`), a field
//! per front matter key of the kind (`front_matter::FIELDS`), tags offered
//! from the domain map, statuses from `Status::NAMES`. Nothing here lists
//! a kind, key, tag or status of its own.

use serde::Serialize;

use crate::model::document::Kind;
use crate::stages::config::Config;
use crate::support::fields::Shape;
use crate::support::front_matter::{self, FrontKey, Names};

/// What a new document's file is named after: Decap's slug of its title,
/// which practica's slug of the file name leaves as it is.
const SLUG: &str = "{{slug}}";

/// The name of the body's field; Decap writes it after the front matter.
pub(crate) const BODY: &str = "body";

/// Dates as practica reads them and writes them in archetypes.
const DATE_FORMAT: &str = "YYYY-MM-DD";

/// How a kind's documents are edited in a form, if they are.
pub(crate) fn editable(kind: Kind) -> bool {
    match kind {
        Kind::Practice | Kind::Guide | Kind::CaseStudy | Kind::Member => true,
        // A toolkit's `items` mix slugs and parts of slugs, which no Decap
        // widget writes; a form that dropped them would empty the toolkit.
        Kind::Toolkit => false,
    }
}

/// Whether a key of `kind` has a field in its form.
pub(crate) fn offered(key: &FrontKey) -> bool {
    widget_of(key.field.shape, key.names).is_some()
}

/// The collections part of `config.yml`.
#[derive(Debug, Serialize)]
pub(crate) struct Collections {
    pub(crate) collections: Vec<Collection>,
}

/// A folder collection: one kind's documents.
#[derive(Debug, Serialize)]
pub(crate) struct Collection {
    name: &'static str,
    label: &'static str,
    label_singular: &'static str,
    description: String,
    folder: &'static str,
    create: bool,
    slug: &'static str,
    extension: &'static str,
    format: &'static str,
    identifier_field: &'static str,
    summary: &'static str,
    preview_path: String,
    sortable_fields: [&'static str; 2],
    fields: Vec<FormField>,
}

/// One field of a form: a front matter key, or the body.
#[derive(Debug, Serialize)]
pub(crate) struct FormField {
    name: &'static str,
    label: String,
    required: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    hint: String,
    #[serde(flatten)]
    widget: Widget,
}

/// Decap's widgets, each with the options practica sets.
#[derive(Debug, Serialize)]
#[serde(tag = "widget", rename_all = "lowercase")]
enum Widget {
    String {
        #[serde(skip_serializing_if = "Option::is_none")]
        pattern: Option<[&'static str; 2]>,
    },
    Text,
    Image {
        choose_url: bool,
    },
    Markdown {
        modes: [&'static str; 1],
    },
    Boolean {
        default: bool,
    },
    Datetime {
        format: &'static str,
        date_format: &'static str,
        time_format: bool,
        picker_utc: bool,
    },
    Select {
        multiple: bool,
        options: Vec<Choice>,
    },
    Relation {
        collection: &'static str,
        value_field: &'static str,
        search_fields: [&'static str; 2],
        display_fields: [&'static str; 1],
        multiple: bool,
        options_length: u32,
    },
    List {
        summary: &'static str,
        fields: Vec<FormField>,
    },
}

/// A choice of a select: what is written, what is shown.
#[derive(Debug, Serialize)]
struct Choice {
    value: String,
    label: String,
}

/// What a field of a shape holds, before the community's tags are known.
enum Plan {
    Widget(Widget),
    Tags { multiple: bool },
}

pub(crate) fn collections(config: &Config) -> Collections {
    let collections = Kind::ALL
        .into_iter()
        .filter(|&kind| editable(kind))
        .map(|kind| collection(kind, config))
        .collect();
    Collections { collections }
}

fn collection(kind: Kind, config: &Config) -> Collection {
    let mut fields: Vec<FormField> = front_matter::FIELDS
        .iter()
        .filter(|key| key.kinds.contains(&kind))
        .filter_map(|key| form_field(key, config))
        .collect();
    fields.push(body_field());
    Collection {
        name: kind.section(),
        label: kind.plural(),
        label_singular: kind.label(),
        description: format!(
            "The files in {}/ of the community; each saved entry is a commit.",
            kind.section()
        ),
        folder: kind.section(),
        create: true,
        slug: SLUG,
        extension: "md",
        format: "yaml-frontmatter",
        identifier_field: "title",
        summary: "{{title}}",
        preview_path: format!("{}/{SLUG}/", kind.section()),
        sortable_fields: ["title", "date"],
        fields,
    }
}

fn form_field(key: &FrontKey, config: &Config) -> Option<FormField> {
    let field = key.field;
    let widget = match widget_of(field.shape, key.names)? {
        Plan::Widget(widget) => widget,
        Plan::Tags { multiple } => Widget::Select {
            multiple,
            options: tag_choices(config),
        },
    };
    Some(FormField {
        name: field.key,
        label: label_of(field.key),
        required: field.required,
        hint: field.about.replace('`', ""),
        widget,
    })
}

/// The widget for a key, from its shape and what its values name; `None`
/// for a shape no form writes.
fn widget_of(shape: Shape, names: Names) -> Option<Plan> {
    let relation = |kind: Kind, multiple| Widget::Relation {
        collection: kind.section(),
        value_field: "{{slug}}",
        search_fields: ["title", "summary"],
        display_fields: ["title"],
        multiple,
        options_length: 50,
    };
    let plan = match (shape, names) {
        (Shape::TextList, Names::Tags) => Plan::Tags { multiple: true },
        (Shape::Text, Names::Tags) => Plan::Tags { multiple: false },
        (Shape::TextList, Names::Documents(kind)) => Plan::Widget(relation(kind, true)),
        (Shape::Text, Names::Documents(kind)) => Plan::Widget(relation(kind, false)),
        (Shape::Text, Names::Prose) => Plan::Widget(Widget::Text),
        (Shape::Text | Shape::TextList, _) => Plan::Widget(Widget::String { pattern: None }),
        (Shape::Date, _) => Plan::Widget(Widget::Datetime {
            format: DATE_FORMAT,
            date_format: DATE_FORMAT,
            time_format: false,
            // A date, not an instant: the same day in every time zone.
            picker_utc: true,
        }),
        (Shape::Flag, _) => Plan::Widget(Widget::Boolean { default: false }),
        (Shape::Word(words) | Shape::Words(words), _) => Plan::Widget(Widget::Select {
            multiple: matches!(shape, Shape::Words(_)),
            options: words
                .iter()
                .map(|word| Choice {
                    value: word.to_string(),
                    label: word.to_string(),
                })
                .collect(),
        }),
        (Shape::Language, _) => Plan::Widget(Widget::String {
            pattern: Some([
                "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
                "a language tag, like es or pt-BR",
            ]),
        }),
        (Shape::ProfileLinks, _) => Plan::Widget(profile_links()),
        // Uploads go to the media folder and are written by their site
        // path (`/images/uploads/x.jpg`), which practica resolves.
        (Shape::Image, _) => Plan::Widget(Widget::Image { choose_url: true }),
        (
            Shape::Count { .. }
            | Shape::Weight
            | Shape::AutoOrFlag
            | Shape::FolderName
            | Shape::SiteAddress
            | Shape::EditAddress
            | Shape::WebPrefixes
            | Shape::Duration
            | Shape::ToolkitItems
            | Shape::StaticFile
            | Shape::FooterLinks
            | Shape::Accent
            | Shape::Labels
            | Shape::Items(_)
            | Shape::Settings(_),
            _,
        ) => return None,
    };
    Some(plan)
}

/// A member's `links`, each `{title, url}` as the loader reads them.
fn profile_links() -> Widget {
    let text = |name: &'static str, required, hint: &str, pattern| FormField {
        name,
        label: label_of(name),
        required,
        hint: hint.to_string(),
        widget: Widget::String { pattern },
    };
    Widget::List {
        summary: "{{fields.title}}",
        fields: vec![
            text(
                "title",
                false,
                "The link's text; without it, the address.",
                None,
            ),
            text(
                "url",
                true,
                "The address: https://… or mailto:…",
                Some([
                    "^(https?://|mailto:)",
                    "an address starting https:// or mailto:",
                ]),
            ),
        ],
    }
}

/// Every declared tag (archived ones too: documents keep them), a child
/// shown under its parent's title.
fn tag_choices(config: &Config) -> Vec<Choice> {
    let title_of = |slug: &str| {
        config
            .tags
            .iter()
            .find(|t| t.slug == slug)
            .map_or(slug.to_string(), |t| t.title.clone())
    };
    config
        .tags
        .iter()
        .map(|tag| Choice {
            value: tag.slug.clone(),
            label: match &tag.parent {
                Some(parent) => format!("{} › {}", title_of(parent), tag.title),
                None => tag.title.clone(),
            },
        })
        .collect()
}

fn body_field() -> FormField {
    FormField {
        name: BODY,
        label: "Body".into(),
        required: false,
        hint: BODY_HINT.into(),
        // Markdown only: Decap's rich text mode writes `[[` as `\[[`, which
        // is no wikilink, and rewrites the markdown of every body it opens
        // (it opens in the mode last used, whatever the order of modes).
        widget: Widget::Markdown { modes: ["raw"] },
    }
}

/// Links in a body, as practica reads them (README: Links).
const BODY_HINT: &str = "Markdown: **bold**, *italic*, ## a heading, - a list item, [text](https://…) a link. Link to another document with [[its-slug]], its file name without .md, like [[peer-review]]; [[peer-review|your own text]] words the link your way. [[?A page we need]] marks a wanted page: not written yet, shown as a marked non-link, and listed among the community's gaps.";

/// `review_by` as `Review by`.
fn label_of(key: &str) -> String {
    let spaced = key.replace('_', " ");
    let mut chars = spaced.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_of_an_editable_kind_has_a_field() {
        for key in front_matter::FIELDS {
            if key.kinds.iter().any(|&k| editable(k)) {
                assert!(offered(key), "{} has no field", key.field.key);
            }
        }
    }

    #[test]
    fn labels_read_as_words() {
        assert_eq!(label_of("review_by"), "Review by");
        assert_eq!(label_of("title"), "Title");
    }
}
