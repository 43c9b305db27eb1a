//! CommonMark with practica's extensions: `scan` reads a body once for its
//! headings and links (load stage), `to_html` renders it once with the links
//! the link stage resolved (render stage). Both walk the same parser events
//! with the same options, so the n-th link of one is the n-th of the other.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Markdown,
    /// `[[target]]`, or `[[target|text]]` when `has_text`.
    Wiki {
        has_text: bool,
    },
    Image,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub dest: String,
    pub kind: LinkKind,
    /// Byte offset of the link in the body.
    pub offset: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub words: usize,
    /// Text of the first paragraph, a fallback summary.
    pub first_paragraph: String,
    /// The body as a reader sees it, without markup, for the search index.
    /// Empty in documents `check` and `gaps` took from the parse cache (see
    /// `load::load_cached`).
    pub text: String,
}

pub fn scan(body: &str) -> Scan {
    let mut scan = Scan::default();
    let mut ids = HashSet::new();
    let mut heading: Option<(u8, Option<String>, String)> = None;
    let mut paragraph: Option<String> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let block_ends = ends_block(&event);
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((
                    level_number(level),
                    id.map(|i| i.to_string()),
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, explicit, text)) = heading.take() {
                    let id = unique_id(explicit.unwrap_or_else(|| heading_id(&text)), &mut ids);
                    scan.headings.push(Heading { level, text, id });
                }
            }
            Event::Start(Tag::Paragraph) if scan.first_paragraph.is_empty() => {
                paragraph = Some(String::new());
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(text) = paragraph.take() {
                    scan.first_paragraph = text.trim().to_string();
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                scan.links.push(LinkRef {
                    dest: dest_url.to_string(),
                    kind: link_kind(link_type, false),
                    offset: range.start,
                });
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                scan.links.push(LinkRef {
                    dest: dest_url.to_string(),
                    kind: LinkKind::Image,
                    offset: range.start,
                });
            }
            Event::Text(text) | Event::Code(text) => {
                scan.words += word_count(&text);
                scan.text.push_str(&text);
                if let Some((_, _, heading_text)) = heading.as_mut() {
                    heading_text.push_str(&text);
                }
                if let Some(p) = paragraph.as_mut() {
                    p.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                scan.text.push(' ');
                if let Some(p) = paragraph.as_mut() {
                    p.push(' ');
                }
            }
            _ => {}
        }
        if block_ends && !scan.text.ends_with(char::is_whitespace) {
            scan.text.push(' ');
        }
    }
    scan.text.truncate(scan.text.trim_end().len());
    scan
}

/// Words in a run of text; ASCII is split a byte at a time, which is the
/// same split and several times faster than decoding every character.
fn word_count(text: &str) -> usize {
    if text.is_ascii() {
        text.split_ascii_whitespace().count()
    } else {
        text.split_whitespace().count()
    }
}

/// Whether text after this event belongs to a new block, which the plain
/// text keeps apart with a space.
fn ends_block(event: &Event) -> bool {
    matches!(
        event,
        Event::End(
            TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
        )
    )
}

fn link_kind(link_type: LinkType, image: bool) -> LinkKind {
    match link_type {
        _ if image => LinkKind::Image,
        LinkType::WikiLink { has_pothole } => LinkKind::Wiki {
            has_text: has_pothole,
        },
        _ => LinkKind::Markdown,
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// GitHub's heading ids, so `file.md#anchor` links work on GitHub as they are.
pub fn heading_id(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            ' ' => Some('-'),
            _ => None,
        })
        .collect()
}

fn unique_id(base: String, used: &mut HashSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 0;
    while used.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    used.insert(id.clone());
    id
}

/// What the link stage decided for one link of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Href {
    /// Left as written (external links, and links of a failed check).
    Keep,
    /// A checked internal link; `title` replaces the text of a bare `[[wikilink]]`.
    Url { url: String, title: Option<String> },
    /// `[[?Title]]`: a page the community wants written.
    Wanted(String),
}

/// Renders a body, giving headings their ids and links their resolved hrefs.
pub fn to_html(body: &str, headings: &[Heading], hrefs: &[Href]) -> String {
    let mut events = Vec::new();
    let mut headings = headings.iter();
    let mut hrefs = hrefs.iter();
    let mut closers: Vec<&'static str> = Vec::new();
    let mut replacing_text = false;
    let mut open_heading: Option<(u8, String)> = None;
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::Heading { level, classes, .. }) => {
                let id = headings.next().map_or_else(String::new, |h| h.id.clone());
                let class = if classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", escape(&classes.join(" ")))
                };
                let n = level_number(level);
                events.push(Event::Html(
                    format!("<h{n} id=\"{}\"{class}>", escape(&id)).into(),
                ));
                open_heading = Some((n, id));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((n, id)) = open_heading.take() {
                    let anchor = format!(
                        "<a class=\"heading-anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{n}>\n",
                        escape(&id)
                    );
                    events.push(Event::Html(anchor.into()));
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match hrefs.next().unwrap_or(&Href::Keep) {
                Href::Wanted(name) => {
                    let html = format!(
                        "<span class=\"wanted\" title=\"Wanted page: {}\">",
                        escape(name)
                    );
                    events.push(Event::Html(html.into()));
                    closers.push("</span>");
                    if !matches!(link_type, LinkType::WikiLink { has_pothole: true }) {
                        events.push(Event::Text(name.clone().into()));
                        replacing_text = true;
                    }
                }
                href => {
                    let bare_wikilink =
                        matches!(link_type, LinkType::WikiLink { has_pothole: false });
                    let (url, replacement) = match href {
                        Href::Url { url, title } => (
                            CowStr::from(url.clone()),
                            title.clone().filter(|_| bare_wikilink),
                        ),
                        _ => (dest_url, None),
                    };
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: url,
                        title,
                        id,
                    }));
                    closers.push("");
                    if let Some(text) = replacement {
                        events.push(Event::Text(text.into()));
                        replacing_text = true;
                    }
                }
            },
            Event::End(TagEnd::Link) => {
                replacing_text = false;
                match closers.pop() {
                    Some(html) if !html.is_empty() => events.push(Event::Html(html.into())),
                    _ => events.push(Event::End(TagEnd::Link)),
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let url = match hrefs.next() {
                    Some(Href::Url { url, .. }) => CowStr::from(url.clone()),
                    _ => dest_url,
                };
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: url,
                    title,
                    id,
                }));
            }
            Event::Text(_) | Event::Code(_) if replacing_text => {}
            // Wide tables scroll inside a focusable region, so keyboard users
            // can scroll them too.
            Event::Start(Tag::Table(alignments)) => {
                events.push(Event::Html(
                    "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Table\">\n".into(),
                ));
                events.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html("</div>\n".into()));
            }
            // A task list's boxes are read-only; screen readers hear their state.
            Event::TaskListMarker(done) => {
                let (checked, label) = if done {
                    (" checked", "done")
                } else {
                    ("", "not done")
                };
                events.push(Event::Html(
                    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> ")
                        .into(),
                ));
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_follow_github() {
        assert_eq!(
            heading_id("The handover checklist"),
            "the-handover-checklist"
        );
        assert_eq!(
            heading_id("Step 1: Call the store"),
            "step-1-call-the-store"
        );
        assert_eq!(heading_id("Café & co."), "café--co");
    }

    #[test]
    fn scan_finds_headings_links_and_dedupes_ids() {
        let body = "# Intro\n\nSee [a](a.md#x) and [[b|the b]] and [[?Wanted]].\n\n## Intro\n\n![img](../static/i.svg)\n\n## Own {#custom}\n";
        let scan = scan(body);
        let ids: Vec<_> = scan.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["intro", "intro-1", "custom"]);
        let dests: Vec<_> = scan.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, ["a.md#x", "b", "?Wanted", "../static/i.svg"]);
        assert_eq!(scan.links[1].kind, LinkKind::Wiki { has_text: true });
        assert_eq!(scan.links[3].kind, LinkKind::Image);
        assert_eq!(&body[scan.links[1].offset..scan.links[1].offset + 2], "[[");
        assert_eq!(scan.first_paragraph, "See a and the b and ?Wanted.");
    }

    #[test]
    fn html_uses_resolved_hrefs_titles_and_marks_wanted_pages() {
        let body = "## Hi\n\n[[b]] [[c|see c]] [[?Soon]] [ext](https://x.org)\n";
        let s = scan(body);
        let hrefs = vec![
            Href::Url {
                url: "../b/".into(),
                title: Some("Bee".into()),
            },
            Href::Url {
                url: "../c/".into(),
                title: None,
            },
            Href::Wanted("Soon".into()),
            Href::Keep,
        ];
        let html = to_html(body, &s.headings, &hrefs);
        assert!(
            html.contains("<h2 id=\"hi\">Hi<a class=\"heading-anchor\" href=\"#hi\""),
            "{html}"
        );
        assert!(html.contains("<a href=\"../b/\">Bee</a>"), "{html}");
        assert!(html.contains("<a href=\"../c/\">see c</a>"), "{html}");
        assert!(
            html.contains("<span class=\"wanted\" title=\"Wanted page: Soon\">Soon</span>"),
            "{html}"
        );
        assert!(html.contains("<a href=\"https://x.org\">ext</a>"), "{html}");
    }
}
