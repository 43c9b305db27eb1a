//! What a toolkit's page shows of its parts and items, and what an item's
//! page shows of each toolkit that holds it: where it stands, and the
//! items before and after it.

use serde::Serialize;

use super::view::{CardValue, Views};
use crate::stages::link::{DocId, Site, Target, ToolkitItem};
use crate::support::markdown::LinkKind;

/// A toolkit's contents, in reading order.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ToolkitView {
    pub(crate) audience: Option<String>,
    pub(crate) parts: Vec<PartView>,
    /// How many items it has in all.
    pub(crate) items: usize,
    /// Files under `static/` that the toolkit and its items link to
    /// (templates, checklists), each once, in reading order.
    pub(crate) downloads: Vec<Download>,
    /// The page holding the whole toolkit, to print or save.
    pub(crate) print_url: Option<String>,
    /// The zip of its files, beside the print page.
    pub(crate) zip_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PartView {
    /// Its place among the parts with a title; `None` for items written
    /// outside a part.
    pub(crate) number: Option<usize>,
    pub(crate) title: Option<String>,
    pub(crate) text: String,
    pub(crate) items: Vec<ItemView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ItemView {
    /// Its place in the whole toolkit, from 1.
    pub(crate) number: usize,
    pub(crate) card: CardValue,
    /// The guides and case studies that cite it (for practices).
    pub(crate) evidence: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Download {
    /// The file's name, as a reader saves it.
    pub(crate) name: String,
    /// Its path in the output, from the site root.
    pub(crate) url: String,
}

/// Where an item stands in one toolkit that holds it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Position {
    pub(crate) toolkit: CardValue,
    pub(crate) part: Option<PartPlace>,
    pub(crate) number: usize,
    pub(crate) of: usize,
    pub(crate) previous: Option<CardValue>,
    pub(crate) next: Option<CardValue>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PartPlace {
    pub(crate) number: usize,
    pub(crate) of: usize,
    pub(crate) title: String,
}

/// The numbers of a toolkit's titled parts, by their index in `items`.
fn part_numbers(site: &Site, toolkit: DocId) -> (Vec<Option<usize>>, usize) {
    let mut count = 0;
    let numbers = site.documents[toolkit]
        .front
        .items
        .iter()
        .map(|part| {
            part.heading.as_ref().map(|_| {
                count += 1;
                count
            })
        })
        .collect();
    (numbers, count)
}

/// The toolkit page's contents, for a toolkit.
pub(crate) fn view(site: &Site, views: &Views, toolkit: DocId) -> ToolkitView {
    let doc = &site.documents[toolkit];
    let items = &site.relations[toolkit].items;
    let (numbers, _) = part_numbers(site, toolkit);
    let parts = doc
        .front
        .items
        .iter()
        .enumerate()
        .map(|(at, part)| PartView {
            number: numbers[at],
            title: part.heading.as_ref().map(|h| h.title.clone()),
            text: part
                .heading
                .as_ref()
                .map_or_else(String::new, |h| h.text.clone()),
            items: items
                .iter()
                .enumerate()
                .filter(|(_, item)| item.part == at)
                .map(|(number, item)| ItemView {
                    number: number + 1,
                    card: views.cards[item.id].clone(),
                    evidence: site.relations[item.id].evidence.len(),
                })
                .collect(),
        })
        .collect();
    ToolkitView {
        audience: doc.front.audience.clone(),
        parts,
        items: items.len(),
        downloads: downloads(site, toolkit),
        print_url: None,
        zip_url: None,
    }
}

/// The static files the toolkit's introduction and its items link to
/// (not the images they show).
pub(crate) fn downloads(site: &Site, toolkit: DocId) -> Vec<Download> {
    let ids = std::iter::once(toolkit).chain(site.relations[toolkit].items.iter().map(|i| i.id));
    let mut found: Vec<Download> = Vec::new();
    for id in ids {
        let links = &site.documents[id].scan.links;
        for (target, link) in site.relations[id].targets.iter().zip(links) {
            // Images are part of the page; downloads are linked to.
            let Target::Static(path) = target else {
                continue;
            };
            if link.kind == LinkKind::Image {
                continue;
            }
            if found.iter().all(|d| &d.url != path) {
                let name = path.rsplit('/').next().unwrap_or(path).to_string();
                found.push(Download {
                    name,
                    url: path.clone(),
                });
            }
        }
    }
    found
}

/// Where `id` stands in each toolkit that holds it, in the toolkits' order.
pub(crate) fn positions(site: &Site, views: &Views, id: DocId) -> Vec<Position> {
    site.relations[id]
        .toolkits
        .iter()
        .filter_map(|&toolkit| position(site, views, toolkit, id))
        .collect()
}

fn position(site: &Site, views: &Views, toolkit: DocId, id: DocId) -> Option<Position> {
    let items: &[ToolkitItem] = &site.relations[toolkit].items;
    let at = items.iter().position(|item| item.id == id)?;
    let (numbers, parts) = part_numbers(site, toolkit);
    let part_index = items[at].part;
    let part = numbers[part_index].and_then(|number| {
        let heading = site.documents[toolkit].front.items[part_index]
            .heading
            .as_ref()?;
        Some(PartPlace {
            number,
            of: parts,
            title: heading.title.clone(),
        })
    });
    let card = |item: Option<&ToolkitItem>| item.map(|item| views.cards[item.id].clone());
    Some(Position {
        toolkit: views.cards[toolkit].clone(),
        part,
        number: at + 1,
        of: items.len(),
        previous: card(at.checked_sub(1).and_then(|before| items.get(before))),
        next: card(items.get(at + 1)),
    })
}

/// The other items of each toolkit that holds `id`.
pub(crate) fn fellows(site: &Site, id: DocId) -> impl Iterator<Item = DocId> + '_ {
    site.relations[id]
        .toolkits
        .iter()
        .flat_map(move |&toolkit| site.relations[toolkit].items.iter().map(|item| item.id))
        .filter(move |&other| other != id)
}

/// The items just before and after `id` in each toolkit that holds it.
pub(crate) fn neighbours(site: &Site, id: DocId) -> impl Iterator<Item = DocId> + '_ {
    site.relations[id]
        .toolkits
        .iter()
        .flat_map(move |&toolkit| {
            let items = &site.relations[toolkit].items;
            let at = items.iter().position(|item| item.id == id);
            let before = at
                .and_then(|at| at.checked_sub(1))
                .and_then(|b| items.get(b));
            let after = at.and_then(|at| items.get(at + 1));
            before.into_iter().chain(after).map(|item| item.id)
        })
}

/// The toolkits a member keeps current, newest first.
pub(crate) fn kept(site: &Site, member: DocId) -> Vec<DocId> {
    let mut ids: Vec<DocId> = site
        .of_kind(crate::model::document::Kind::Toolkit)
        .filter(|&t| site.relations[t].owner == Some(member))
        .collect();
    site.newest_first(&mut ids);
    ids
}

/// Every toolkit, newest first.
pub(crate) fn every(site: &Site) -> Vec<DocId> {
    let mut ids: Vec<DocId> = site
        .of_kind(crate::model::document::Kind::Toolkit)
        .collect();
    site.newest_first(&mut ids);
    ids
}
