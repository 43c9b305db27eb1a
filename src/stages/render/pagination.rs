//! The numbered pages of a long list: where each page is, and the links
//! between them (`pagination.html`, and `rel="prev"`/`"next"` in the head).

use serde::Serialize;

use super::shows::{Page, PageNo};
use super::view::href;
use crate::model::document::Kind;
use crate::stages::link::Site;

/// How many page numbers each side of the current one the links show;
/// the first and the last are always shown.
const AROUND: usize = 2;

/// A list's place among its pages, for templates.
#[derive(Debug, Serialize)]
pub(crate) struct Pagination {
    pub(crate) number: usize,
    pub(crate) count: usize,
    /// The positions (from 1) of the first and last items shown.
    pub(crate) first_item: usize,
    pub(crate) last_item: usize,
    pub(crate) prev: Option<String>,
    pub(crate) next: Option<String>,
    /// The page numbers to link, with `None` where some are left out.
    pub(crate) pages: Vec<Option<PageLink>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct PageLink {
    pub(crate) number: usize,
    pub(crate) url: String,
    pub(crate) current: bool,
}

impl Pagination {
    /// Page `number` of the section `kind`, of `items` documents, with
    /// addresses from the page's `root`.
    pub(crate) fn of_section(
        site: &Site,
        kind: Kind,
        number: PageNo,
        items: usize,
        root: &str,
    ) -> Pagination {
        let size = site.config.page_size;
        let all: Vec<PageNo> = PageNo::all(items, size).collect();
        let url = |n: PageNo| {
            let folder = Page::Section(kind, n).folder(site);
            format!("{root}{}", href(&folder, site.config.pretty_links))
        };
        let at = number.get() - 1;
        let pages = window(at, all.len())
            .into_iter()
            .map(|i| {
                i.map(|i| PageLink {
                    number: all[i].get(),
                    url: url(all[i]),
                    current: i == at,
                })
            })
            .collect();
        let first_item = (at * size.get() + 1).min(items);
        Pagination {
            number: number.get(),
            count: all.len(),
            first_item,
            last_item: (at * size.get() + size.get()).min(items),
            prev: at.checked_sub(1).map(|i| url(all[i])),
            next: all.get(at + 1).map(|&n| url(n)),
            pages,
        }
    }
}

/// The indexes of the pages to link from page `at` of `count`: the first,
/// the last and those near `at`, with one `None` for each run left out.
fn window(at: usize, count: usize) -> Vec<Option<usize>> {
    let mut pages = Vec::new();
    for i in 0..count {
        if i == 0 || i + 1 == count || i.abs_diff(at) <= AROUND {
            pages.push(Some(i));
        } else if pages.last().is_some_and(Option::is_some) {
            pages.push(None);
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn far_pages_are_left_out_once_between_shown_ones() {
        let numbers = |at, count| -> Vec<Option<usize>> {
            window(at, count)
                .into_iter()
                .map(|i| i.map(|i| i + 1))
                .collect()
        };
        let (o, x) = (Some, None);
        assert_eq!(
            numbers(5, 20),
            [o(1), x, o(4), o(5), o(6), o(7), o(8), x, o(20)]
        );
        assert_eq!(numbers(0, 3), [o(1), o(2), o(3)]);
        assert_eq!(numbers(0, 1), [o(1)]);
        assert_eq!(numbers(19, 20), [o(1), x, o(18), o(19), o(20)]);
    }
}
