//! What a toolkit's page shows of its parts and items, and what an item's
//! page shows of each toolkit that holds it: where it stands, and the
//! items before and after it.

use serde::Serialize;

use super::view::{CardValue, Views};
use crate::model::document::{Kind, Status};
use crate::stages::link::{DocId, Site, Target, ToolkitItem};
use crate::support::markdown::LinkKind;
use crate::support::markdown::{self, Href};

/// A toolkit's contents, in reading order.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ToolkitView {
    pub(crate) audience: Option<String>,
    pub(crate) parts: Vec<PartView<ItemView>>,
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

/// A part of a toolkit as a page shows it, with its items as `I`: cards
/// on the toolkit's page, whole documents on its print page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PartView<I> {
    /// Its place among the parts with a title; `None` for items written
    /// outside a part.
    pub(crate) number: Option<usize>,
    pub(crate) title: Option<String>,
    pub(crate) text: String,
    pub(crate) items: Vec<I>,
}

impl<I> PartView<I> {
    fn of(number: Option<usize>, part: &crate::model::document::Part, items: Vec<I>) -> Self {
        let heading = part.heading.as_ref();
        PartView {
            number,
            title: heading.map(|h| h.title.clone()),
            text: heading.map_or_else(String::new, |h| h.text.clone()),
            items,
        }
    }
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

/// A toolkit's parts, each with its items made by `item` from the item's
/// place in the whole toolkit (from 1) and its document: the one walk of
/// parts and numbering that its page and its print page share.
fn parts_of<I>(
    site: &Site,
    toolkit: DocId,
    mut item: impl FnMut(usize, DocId) -> I,
) -> Vec<PartView<I>> {
    let items = &site.relations[toolkit].items;
    let (numbers, _) = part_numbers(site, toolkit);
    site.documents[toolkit]
        .front
        .items
        .iter()
        .enumerate()
        .map(|(at, part)| {
            let shown = items
                .iter()
                .enumerate()
                .filter(|(_, it)| it.part == at)
                .map(|(n, it)| item(n + 1, it.id))
                .collect();
            PartView::of(numbers[at], part, shown)
        })
        .collect()
}

/// The toolkit page's contents, for a toolkit.
pub(crate) fn view(site: &Site, views: &Views, toolkit: DocId) -> ToolkitView {
    let doc = &site.documents[toolkit];
    let items = &site.relations[toolkit].items;
    let parts = parts_of(site, toolkit, |number, id| ItemView {
        number,
        card: views.cards[id].clone(),
        evidence: crate::stages::gaps::evidence_of(site, id).count(),
    });
    ToolkitView {
        audience: doc.front.audience.clone(),
        parts,
        items: items.len(),
        downloads: downloads(site, toolkit),
        print_url: Some(super::view::href(
            &print_folder(site, toolkit),
            site.config.pretty_links,
        )),
        zip_url: zip_path(site, toolkit),
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

/// How a toolkit's print page numbers and links its items.
pub(crate) struct PrintPlan {
    /// Each item's number, by document.
    numbers: rustc_hash::FxHashMap<DocId, usize>,
    /// The level of an item's title: 2, or 3 under part headings.
    pub(crate) item_level: usize,
}

/// The anchor of item `number` on the print page, and of an id inside it.
pub(crate) fn item_anchor(number: usize, id: Option<&str>) -> String {
    match id {
        Some(id) if !id.is_empty() => format!("item-{number}-{id}"),
        _ => format!("item-{number}"),
    }
}

impl PrintPlan {
    pub(crate) fn new(site: &Site, toolkit: DocId) -> PrintPlan {
        let items = &site.relations[toolkit].items;
        let parted = site.documents[toolkit]
            .front
            .items
            .iter()
            .any(|part| part.heading.is_some());
        PrintPlan {
            numbers: items
                .iter()
                .enumerate()
                .map(|(n, i)| (i.id, n + 1))
                .collect(),
            item_level: if parted { 3 } else { 2 },
        }
    }

    /// The item number of `id`, if the toolkit holds it.
    pub(crate) fn number(&self, id: DocId) -> Option<usize> {
        self.numbers.get(&id).copied()
    }

    /// Where a link of item `from` (`None`: the introduction) goes on the
    /// print page: into the page for the toolkit's items, else to the
    /// site, absolute when `base_url` is set.
    pub(crate) fn href(
        &self,
        site: &Site,
        from: Option<usize>,
        target: &Target,
        root: &str,
    ) -> Href {
        let here = |anchor: &str| match from {
            Some(number) => item_anchor(number, Some(anchor)),
            None => anchor.to_string(),
        };
        let url = |url: String| Href::Url { url, title: None };
        let elsewhere = |path: String, anchor: &Option<String>| {
            let start = match &site.config.base_url {
                Some(base) => format!("{base}/{path}"),
                None => format!("{root}{path}"),
            };
            match anchor {
                Some(a) if !a.is_empty() => format!("{start}#{a}"),
                _ => start,
            }
        };
        let pretty = site.config.pretty_links;
        match target {
            // Titles stand in for bare `[[wikilinks]]`, as on their pages.
            Target::Document { id, anchor } => Href::Url {
                url: match self.number(*id) {
                    Some(number) => format!("#{}", item_anchor(number, anchor.as_deref())),
                    None => elsewhere(super::view::href(&site.documents[*id].url, pretty), anchor),
                },
                title: Some(site.documents[*id].front.title.clone()),
            },
            Target::Anchor(anchor) => url(format!("#{}", here(anchor))),
            Target::Page { folder, anchor } => {
                url(elsewhere(super::view::href(folder, pretty), anchor))
            }
            Target::Static(path) => url(elsewhere(path.clone(), &None)),
            Target::Unchecked => Href::Keep,
            Target::Neutralised => url(String::new()),
            Target::Wanted(title) => super::wanted_href(site, title),
        }
    }

    /// Item `number`'s body HTML as the print page holds it (`None`: the
    /// introduction's): its ids made its own (`item-3-…`, `intro-…`), its
    /// links to them too, and its headings moved under the item's title
    /// and numbered under the toolkit (3.1, 3.1.1).
    pub(crate) fn body(&self, html: &str, number: Option<usize>) -> String {
        let own = match number {
            Some(number) => format!("{}-", item_anchor(number, None)),
            None => "intro-".to_string(),
        };
        let mut out = String::with_capacity(html.len() + html.len() / 8);
        let mut counts = [0usize; 2];
        let mut rest = html;
        while let Some(at) = rest.find('<') {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            let tag = &rest[..end];
            rest = &rest[end..];
            let level = heading_level(tag);
            let tag = own_ids(tag, &own);
            let Some((closing, level)) = level else {
                out.push_str(&tag);
                continue;
            };
            let moved = (level + self.item_level - 1).min(6);
            let name = if closing { "</h" } else { "<h" };
            out.push_str(name);
            out.push_str(&moved.to_string());
            out.push_str(&tag[name.len() + 1..]);
            if let Some(number) = number.filter(|_| !closing && (2..=3).contains(&level)) {
                out.push_str(&section_number(&mut counts, number, level));
            }
        }
        out.push_str(rest);
        out
    }
}

/// `(closing, level)` of a heading tag: `<h2 …>` or `</h2>`.
fn heading_level(tag: &str) -> Option<(bool, usize)> {
    let (closing, name) = match tag.strip_prefix("</") {
        Some(name) => (true, name),
        None => (false, tag.strip_prefix('<')?),
    };
    let mut chars = name.chars();
    if !matches!(chars.next(), Some('h' | 'H')) {
        return None;
    }
    let level = chars.next()?.to_digit(10)? as usize;
    let after = chars.next()?;
    ((1..=6).contains(&level) && (after == '>' || after == ' ')).then_some((closing, level))
}

/// A tag with its `id` and in-page `href` given the prefix `own`.
fn own_ids<'t>(tag: &'t str, own: &str) -> std::borrow::Cow<'t, str> {
    if !tag.contains(" id=\"") && !tag.contains("href=\"#") {
        return std::borrow::Cow::Borrowed(tag);
    }
    let mut tag = tag.replace(" id=\"", &format!(" id=\"{own}"));
    if let Some(at) = tag.find("href=\"#") {
        let rest = &tag[at + 7..];
        // Links the plan made already point into the page.
        if !rest.starts_with("item-") {
            tag.insert_str(at + 7, own);
        }
    }
    std::borrow::Cow::Owned(tag)
}

/// `3.1 `, `3.1.2 `: the number of the next heading of `level` in item `item`.
fn section_number(counts: &mut [usize; 2], item: usize, level: usize) -> String {
    if level == 2 {
        counts[0] += 1;
        counts[1] = 0;
        format!("<span class=\"print-number\">{item}.{} </span>", counts[0])
    } else {
        counts[1] += 1;
        format!(
            "<span class=\"print-number\">{item}.{}.{} </span>",
            counts[0], counts[1]
        )
    }
}

/// The print page's items, in their parts.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PrintView {
    pub(crate) item_level: usize,
    pub(crate) parts: Vec<PartView<PrintItem>>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PrintItem {
    pub(crate) number: usize,
    pub(crate) anchor: String,
    pub(crate) title: String,
    pub(crate) kind: Kind,
    pub(crate) kind_label: String,
    pub(crate) status: Option<Status>,
    pub(crate) summary: String,
    /// Its own page: absolute with `base_url`, else from the site root.
    pub(crate) url: String,
    pub(crate) content: String,
}

/// Every item of a toolkit, whole, as its print page shows them.
pub(crate) fn print_view(site: &Site, toolkit: DocId, plan: &PrintPlan, root: &str) -> PrintView {
    let pretty = site.config.pretty_links;
    let parts = parts_of(site, toolkit, |number, id| {
        let doc = &site.documents[id];
        let hrefs: Vec<Href> = site.relations[id]
            .targets
            .iter()
            .map(|t| plan.href(site, Some(number), t, root))
            .collect();
        let html = super::in_page_language(
            markdown::to_html(doc.body.as_ref(), &doc.scan, &hrefs),
            &site.config.labels,
        );
        let page = super::view::href(&doc.url, pretty);
        PrintItem {
            number,
            anchor: item_anchor(number, None),
            title: doc.front.title.clone(),
            kind: doc.kind,
            kind_label: site.config.labels.kind(doc.kind).to_string(),
            status: doc.front.status,
            summary: doc.summary().to_string(),
            url: match &site.config.base_url {
                Some(base) => format!("{base}/{page}"),
                None => format!("{root}{page}"),
            },
            content: plan.body(&html, Some(number)),
        }
    });
    PrintView {
        item_level: plan.item_level,
        parts,
    }
}

/// The folder of a toolkit's print page.
pub(crate) fn print_folder(site: &Site, toolkit: DocId) -> String {
    format!("{}print/", site.documents[toolkit].url)
}

/// The zip of a toolkit's files, beside its print page and named after
/// it; `None` for a toolkit that links no file.
pub(crate) fn zip_path(site: &Site, toolkit: DocId) -> Option<String> {
    let doc = &site.documents[toolkit];
    let files = doc.kind == Kind::Toolkit && !downloads(site, toolkit).is_empty();
    files.then(|| format!("{}print/{}.zip", doc.url, doc.slug))
}

/// The zip's bytes: each file the toolkit and its items link under
/// `static/`, in a folder named after the toolkit, deflated. Entries carry
/// no date, so a build makes the same bytes from the same files. A file
/// that cannot be read now (gone since the files were listed) is left out.
pub(crate) fn zip(site: &Site, toolkit: DocId) -> Vec<u8> {
    use std::io::Write;
    let folder = &site.documents[toolkit].slug;
    let static_dir = site.config.root.join(crate::stages::load::STATIC_DIR);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for file in downloads(site, toolkit) {
        let Ok(bytes) = std::fs::read(static_dir.join(&file.url)) else {
            continue;
        };
        let name = format!("{folder}/{}", file.url);
        if writer.start_file(name, options).is_ok() {
            let _ = writer.write_all(&bytes);
        }
    }
    writer
        .finish()
        .map(std::io::Cursor::into_inner)
        .unwrap_or_default()
}

/// The zips that hold one of `files` (paths under `static/`).
pub(crate) fn zips_holding(site: &Site, files: &[&str]) -> std::collections::BTreeSet<String> {
    site.of_kind(Kind::Toolkit)
        .filter(|&t| {
            downloads(site, t)
                .iter()
                .any(|d| files.contains(&d.url.as_str()))
        })
        .filter_map(|t| zip_path(site, t))
        .collect()
}
