//! `practica check` on the editor's `config.yml`: what the community has
//! that its forms do not offer, at the place in the file, so a tag added
//! to the domain map is not one contributors cannot choose.

use std::path::Path;

use serde_json::Value;

use super::collections::{editable, offered};
use super::{CONFIG_PATH, UPDATE_HINT};
use crate::model::document::Kind;
use crate::stages::config::Config;
use crate::support::diagnostic::{Diagnostic, Span};
use crate::support::front_matter::{self, Names};
use crate::support::yaml::{self, Mapping};

/// Warnings about a `static/admin/config.yml` out of step with the
/// community; none when there is no such file (no editor).
pub(crate) fn check(config: &Config) -> Vec<Diagnostic> {
    let Ok(text) = std::fs::read_to_string(config.root.join(CONFIG_PATH)) else {
        return Vec::new();
    };
    let mapping = match yaml::parse_mapping(&text) {
        Ok(mapping) => mapping,
        Err(error) => {
            let d = warning(
                error.span,
                format!(
                    "the editor's settings are not valid YAML: {}",
                    error.message
                ),
            );
            return vec![d.with_hint(error.hint.unwrap_or_else(|| {
                "fix the YAML near this spot, then run `practica cms` to update the collections"
                    .into()
            }))];
        }
    };
    let mut found = Vec::new();
    let collections = match mapping.entries.get("collections") {
        Some(Value::Array(collections)) => collections.as_slice(),
        _ => &[],
    };
    let names: Vec<&str> = collections
        .iter()
        .filter_map(|c| text_of(c, "name"))
        .collect();
    for kind in Kind::ALL.into_iter().filter(|&k| editable(k)) {
        let Some(collection) = collections
            .iter()
            .find(|c| text_of(c, "name") == Some(kind.section()))
        else {
            found.push(warning(
                mapping.key_span("collections"),
                format!(
                    "the editor has no `{}` collection, so contributors cannot write {} there",
                    kind.section(),
                    kind.plural().to_lowercase()
                ),
            ));
            continue;
        };
        let form = Form {
            mapping: &mapping,
            kind,
            fields: collection.get("fields").and_then(Value::as_array),
        };
        let folder = text_of(collection, "folder").map(|f| f.trim_matches('/'));
        if folder != Some(kind.section()) {
            found.push(warning(
                form.span(None),
                format!(
                    "the editor's `{}` collection saves into `{}/`, but practica reads {} from `{}/`",
                    kind.section(),
                    folder.unwrap_or(""),
                    kind.plural().to_lowercase(),
                    kind.section()
                ),
            ));
        }
        form.check(config, &names, &mut found);
    }
    found
}

/// A collection's fields, and where they are written.
struct Form<'a> {
    mapping: &'a Mapping,
    kind: Kind,
    fields: Option<&'a Vec<Value>>,
}

impl Form<'_> {
    fn check(&self, config: &Config, collections: &[&str], found: &mut Vec<Diagnostic>) {
        let section = self.kind.section();
        for key in front_matter::FIELDS {
            if !key.kinds.contains(&self.kind) || !offered(key) {
                continue;
            }
            let name = key.field.key;
            let Some(field) = self.field(name) else {
                found.push(warning(
                    self.span(None),
                    format!("the editor's `{section}` form has no `{name}` field, so contributors cannot set it"),
                ));
                continue;
            };
            match key.names {
                Names::Tags => self.offers_the_domain_map(config, name, field, found),
                Names::Documents(kind) => {
                    let wanted = kind.section();
                    let chosen = text_of(field, "collection");
                    if chosen.is_some_and(|c| !collections.contains(&c)) || chosen.is_none() {
                        found.push(warning(
                            self.span(Some(name)),
                            format!(
                                "`{name}` of the `{section}` form chooses from the collection `{}`, which the editor does not have",
                                chosen.unwrap_or("(none)")
                            ),
                        ).with_hint(format!("its values are {} slugs, from the `{wanted}` collection: {UPDATE_HINT}", kind.name())));
                    }
                }
                Names::Nothing | Names::Prose => {}
            }
        }
    }

    /// Each topic of the domain map is a choice, and each choice a topic.
    fn offers_the_domain_map(
        &self,
        config: &Config,
        name: &str,
        field: &Value,
        found: &mut Vec<Diagnostic>,
    ) {
        let section = self.kind.section();
        let offered: Vec<&str> = field
            .get("options")
            .and_then(Value::as_array)
            .map(|options| {
                options
                    .iter()
                    .filter_map(|o| text_of(o, "value").or(o.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        for tag in &config.tags {
            if !offered.contains(&tag.slug.as_str()) {
                found.push(warning(
                    self.span(Some(name)),
                    format!(
                        "the topic `{}` of the domain map is not offered in `{name}` of the editor's `{section}` form",
                        tag.slug
                    ),
                ));
            }
        }
        for choice in offered {
            if !config.tags.iter().any(|t| t.slug == choice) {
                found.push(warning(
                    self.span(Some(name)),
                    format!(
                        "`{name}` of the editor's `{section}` form offers `{choice}`, which the domain map in community.yaml does not declare"
                    ),
                ));
            }
        }
    }

    fn field(&self, name: &str) -> Option<&Value> {
        self.fields?
            .iter()
            .find(|f| text_of(f, "name") == Some(name))
    }

    /// Where the collection's field `name` is written (generated as
    /// `- name: …` items), else the collection, else `collections:`.
    fn span(&self, field: Option<&str>) -> Span {
        let mut place = self.mapping.in_order("collections");
        let collection = place.next(&format!("name: {}", self.kind.section()));
        match field {
            Some(name) => {
                let at = place.next(&format!("name: {name}"));
                if at == self.mapping.key_span("collections") {
                    collection
                } else {
                    at
                }
            }
            None => collection,
        }
    }
}

fn text_of<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

fn warning(span: Span, message: String) -> Diagnostic {
    Diagnostic::warning(Path::new(CONFIG_PATH), span, message).with_hint(UPDATE_HINT)
}
