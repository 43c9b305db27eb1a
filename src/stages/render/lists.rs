//! A section's list as a script (`practices/list.js`): every document of
//! the section, compact, for the filters of its index pages. A script, not
//! JSON, so that a page opened from `file://` can load it with
//! `<script src>`; one per section, so that a filter finds documents on
//! every page of the section while a page itself lists only `page_size`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::shows::section_order;
use super::view::{href, shorten};
use crate::model::document::{Document, Kind, Status};
use crate::stages::link::Site;

/// How much of a summary an entry keeps: the list must stay light.
const SUMMARY_KEPT: usize = 120;

/// The name the pages' script reads lists from (`window.practicaLists`).
const GLOBAL: &str = "practicaLists";

/// The path of the list of the section `kind`.
pub(crate) fn path(kind: Kind) -> String {
    format!("{}/list.js", kind.section())
}

/// The topics a document of the list is filed under: a member's expertise,
/// another document's tags.
fn topics(doc: &Document) -> impl Iterator<Item = &str> {
    let topics = if doc.kind == Kind::Member {
        &doc.front.expertise
    } else {
        &doc.front.tags
    };
    topics.iter().map(|t| t.text.as_str())
}

/// A document of the list: `[title, url from the root, summary (a
/// member's role and organisation), date (ISO), date (as pages write it),
/// status (`mentor` for a member who mentors), indexes into the topics]`.
type Item<'a> = (
    &'a str,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<&'static str>,
    Vec<usize>,
);

#[derive(Serialize)]
struct List<'a> {
    /// `[slug, title]`, by title.
    topics: Vec<(&'a str, &'a str)>,
    /// In the order the section's pages list them.
    items: Vec<Item<'a>>,
}

/// The script for the section `kind`.
pub(crate) fn script(site: &Site, kind: Kind) -> Vec<u8> {
    let ids = section_order(site, kind);
    let mut slugs: BTreeMap<&str, &str> = BTreeMap::new();
    for &id in &ids {
        for slug in topics(&site.documents[id]) {
            let title = site.tag(slug).map_or(slug, |t| t.title.as_str());
            slugs.insert(slug, title);
        }
    }
    let mut topic_list: Vec<(&str, &str)> = slugs.into_iter().collect();
    topic_list.sort_by_key(|(_, title)| title.to_lowercase());
    let index: BTreeMap<&str, usize> = topic_list
        .iter()
        .enumerate()
        .map(|(i, (slug, _))| (*slug, i))
        .collect();
    let pretty = site.config.pretty_links;
    let items = ids
        .iter()
        .map(|&id| {
            let doc = &site.documents[id];
            let front = &doc.front;
            let summary = if kind == Kind::Member {
                [front.role.as_deref(), front.organization.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                shorten(doc.summary(), SUMMARY_KEPT)
            };
            let date = doc.sort_date().filter(|_| kind != Kind::Member);
            let status = match (kind, front.status) {
                (Kind::Member, _) => front.mentor.then_some("mentor"),
                (_, status) => status.map(Status::name),
            };
            let mut tags: Vec<usize> = topics(doc).filter_map(|s| index.get(s).copied()).collect();
            tags.sort_unstable();
            tags.dedup();
            (
                front.title.as_str(),
                href(&doc.url, pretty),
                summary,
                date.map(|d| d.to_string()),
                date.map(|d| site.config.labels.date(d)),
                status,
                tags,
            )
        })
        .collect();
    let list = List {
        topics: topic_list,
        items,
    };
    let json = serde_json::to_string(&list).unwrap_or_else(|_| "{}".into());
    format!(
        "(window.{GLOBAL} = window.{GLOBAL} || {{}})[\"{}\"] = {json};\n",
        kind.section()
    )
    .into_bytes()
}
