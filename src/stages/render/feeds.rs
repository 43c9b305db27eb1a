//! `sitemap.xml`, the Atom `feed.xml` and `robots.txt`: written only when
//! `base_url` is set, since all three need absolute addresses.

use std::fmt::Write;

use crate::model::document::Kind;
use crate::stages::link::{DocId, Site};
use crate::support::markdown::escape;

use super::OutputFile;
use super::shows::{Page, all_pages};

const FEED_ENTRIES: usize = 20;
pub(crate) const SITEMAP: &str = "sitemap.xml";
pub(crate) const FEED: &str = "feed.xml";
pub(crate) const ROBOTS: &str = "robots.txt";
/// What `render` writes when `base_url` is set.
pub(crate) const PATHS: [&str; 3] = [SITEMAP, FEED, ROBOTS];

pub(crate) fn render(site: &Site) -> Vec<OutputFile> {
    let Some(base) = site.config.base_url.as_deref() else {
        return Vec::new();
    };
    // Valid in a URL, `&` is not in XML; robots.txt is plain text.
    let xml_base = escape(base);
    let text = |path: &str, content: String| OutputFile {
        path: path.into(),
        content: content.into_bytes(),
    };
    vec![
        text(SITEMAP, sitemap(site, &xml_base)),
        text(FEED, feed(site, &xml_base)),
        text(
            ROBOTS,
            format!("User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n"),
        ),
    ]
}

/// `base` is the site's address, already escaped for XML.
fn sitemap(site: &Site, base: &str) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let pages = all_pages(site)
        .into_iter()
        .filter(|page| page.kind().0.in_sitemap());
    let folders = pages.map(|page| {
        let lastmod = match page {
            Page::Document(id) => site.documents[id].sort_date().map(|d| d.to_string()),
            _ => None,
        };
        (page.folder(site), lastmod)
    });
    for (folder, lastmod) in folders {
        let _ = write!(xml, "  <url><loc>{base}/{}</loc>", escape(&folder));
        if let Some(date) = lastmod {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `base` is the site's address, already escaped for XML.
fn feed(site: &Site, base: &str) -> String {
    let mut ids: Vec<DocId> = site
        .documents
        .ids_where(|d| d.kind != Kind::Member)
        .collect();
    site.newest_first(&mut ids);
    ids.truncate(FEED_ENTRIES);
    let stamp = |id: DocId| {
        site.documents[id].sort_date().map_or_else(
            || "1970-01-01T00:00:00Z".to_string(),
            |d| format!("{d}T00:00:00Z"),
        )
    };
    let updated = ids
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |&id| stamp(id));
    let mut xml = String::new();
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <subtitle>{}</subtitle>\n  <link href=\"{base}/feed.xml\" rel=\"self\" type=\"application/atom+xml\"/>\n  <link href=\"{base}/\" rel=\"alternate\" type=\"text/html\"/>\n  <id>{base}/</id>\n  <updated>{updated}</updated>\n  <generator>practica</generator>\n",
        escape(&site.config.language),
        escape(&site.config.title),
        escape(&site.config.description),
    );
    for id in ids {
        let doc = &site.documents[id];
        let url = format!("{base}/{}", escape(&doc.url));
        let _ = write!(
            xml,
            "  <entry>\n    <title>{}</title>\n    <link href=\"{url}\" rel=\"alternate\" type=\"text/html\"/>\n    <id>{url}</id>\n    <updated>{}</updated>\n    <summary>{}</summary>\n    <category term=\"{}\"/>\n",
            escape(&doc.front.title),
            stamp(id),
            escape(doc.summary()),
            doc.kind.section(),
        );
        let mut authors: Vec<String> = site.relations[id]
            .authors
            .iter()
            .map(|&a| site.documents[a].front.title.clone())
            .collect();
        if authors.is_empty() {
            authors.push(site.config.title.clone());
        }
        for name in authors {
            let _ = writeln!(xml, "    <author><name>{}</name></author>", escape(&name));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}
