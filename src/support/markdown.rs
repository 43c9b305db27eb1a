//! CommonMark with practica's extensions, read once per body (load
//! stage): `read` finds its headings and links and, for a run that renders,
//! its plain text and its HTML with a mark where each link's target goes.
//! `to_html` fills those marks with the targets the link stage resolved
//! (render stage), so no body is parsed twice. Raw HTML in a body is
//! written as `raw_html:` in community.yaml says (`support::raw_html`).

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::VecDeque;
use std::hash::BuildHasher;
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use pulldown_cmark_escape::{escape_href, escape_html_body_text};

use crate::support::diagnostic::Span;
use crate::support::raw_html::{self, Anchors, RawHtml, RawLink};

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
        // GitHub's alerts, `> [!NOTE]`: a guide reads the same on GitHub and the site
        | Options::ENABLE_GFM
}

/// How much of a body a run reads. `check` (unless it renders pages of a
/// community's own templates) and `gaps` need its outline (headings, links
/// with their positions, first paragraph); `build` and `serve` also its
/// plain text (for search), its word count (for reading time) and its HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Reading {
    Outline,
    #[default]
    Full,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Heading {
    pub(crate) level: u8,
    pub(crate) text: String,
    pub(crate) id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum LinkKind {
    Markdown,
    /// `[[target]]`, or `[[target|text]]` when `has_text`.
    Wiki {
        has_text: bool,
    },
    /// An email autolink, `<someone@example.org>`: its `mailto:` is implied.
    Email,
    Image,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct LinkRef {
    pub(crate) dest: String,
    pub(crate) kind: LinkKind,
    /// Where the link starts, counting lines from the body's first line.
    pub(crate) span: Span,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Scan {
    pub(crate) headings: Vec<Heading>,
    pub(crate) links: Vec<LinkRef>,
    /// Words of the body, for reading time; 0 after a `Reading::Outline`.
    pub(crate) words: usize,
    /// Text of the first paragraph, a fallback summary.
    pub(crate) first_paragraph: String,
    /// The body as a reader sees it, without markup, for the search index.
    /// Empty after a `Reading::Outline`.
    pub(crate) text: String,
    /// Ids the body's raw HTML gives its page (`<a name="fn1">`,
    /// `<h3 id="x">`), which links may point at as well as at headings.
    pub(crate) anchors: Vec<String>,
    /// Addresses in the body's raw HTML (`<a href>`, `<img src>`): checked
    /// as links are, but published as written (they have no marks).
    pub(crate) html_links: Vec<LinkRef>,
    /// Where in `text` each bare `[[wikilink]]` wrote its target as
    /// typed: a reader sees the target's title there instead, which only
    /// the link stage knows (the search index puts it in). Empty after a
    /// `Reading::Outline`.
    pub(crate) wiki_texts: Vec<WikiText>,
}

/// The place in `Scan::text` of a bare `[[wikilink]]`'s own text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct WikiText {
    /// Its link's place in `Scan::links`.
    pub(crate) link: usize,
    /// Bytes of `Scan::text`.
    pub(crate) range: Range<usize>,
    /// Bytes of `Scan::first_paragraph`, for a link in it.
    pub(crate) paragraph: Option<Range<usize>>,
}

/// A body rendered to HTML before its links are resolved: every link and
/// image is written with an empty href, and `marks` says where each one's
/// target goes, in the order of `Scan::links`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct BodyHtml {
    pub(crate) html: String,
    pub(crate) marks: Vec<LinkMark>,
    /// Where the text inside links was written; a link whose text is
    /// replaced (a bare `[[wikilink]]` shows its target's title) drops these.
    pub(crate) text_runs: Vec<Range<usize>>,
}

/// Byte positions in `BodyHtml::html` of one link or image.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum LinkMark {
    Link {
        /// The `<a href="">` tag.
        open: Range<usize>,
        /// Inside the tag, between the quotes of its empty href.
        href: usize,
        /// The `</a>` tag.
        close: Range<usize>,
        /// Its entries of `BodyHtml::text_runs`.
        texts: Range<usize>,
    },
    Image {
        /// Between the quotes of the `<img>` tag's empty `src`.
        src: usize,
    },
    /// A link or image inside an image's alt text (an autolink, another
    /// image), which the writer gives no tag: it keeps its text. A `[[` there
    /// starts a wikilink that ends the image, so no text is ever replaced.
    InAlt,
}

/// Reads a body once: its outline (and, for a full reading, its plain
/// text), and for a full reading its HTML, with its raw HTML as `raw_html`
/// says. A full reading keeps no markdown, so ten thousand bodies are not
/// held twice.
pub(crate) fn read(body: &str, reading: Reading, raw_html: RawHtml) -> (Scan, Option<BodyHtml>) {
    let mut outline = Outline {
        scan: Scan::default(),
        ids: HeadingIds::default(),
        heading: None,
        paragraph: None,
        full: reading == Reading::Full,
        text: Pieces::new(match reading {
            Reading::Full => body.len(),
            Reading::Outline => 0,
        }),
        counted: LineCursor::START,
        body,
        raw_html,
        anchors: None,
        footnotes: Vec::new(),
        images: 0,
        open_links: Vec::new(),
    };
    let events = BareUrls::new(
        body,
        BracketedLinks::new(Parser::new_ext(body, options()).into_offset_iter()),
    );
    let html = match reading {
        // The parser is handed over, so its tree (tens of bytes a node,
        // 120 MB for a 10 MB table) is freed before the HTML is joined.
        Reading::Full => {
            let page = PageEvents {
                raw_html,
                ..PageEvents::default()
            };
            Some(page.write(events, &mut outline, body.len()))
        }
        Reading::Outline => {
            events.for_each(|(event, range)| outline.note(&event, range.start));
            None
        }
    };
    let mut scan = outline.scan;
    scan.text = outline.text.joined();
    scan.text.truncate(scan.text.trim_end().len());
    let raw = outline.anchors.map(Anchors::finish).unwrap_or_default();
    scan.anchors = raw.ids;
    scan.anchors.extend(outline.footnotes);
    scan.html_links = raw_links(body, raw.links);
    (scan, html)
}

/// `[[text]](https://…)` is CommonMark's link syntax with brackets in its
/// text (common in converted content), but pulldown-cmark reads a wikilink
/// followed by text. This turns such a wikilink and the `(…)` after it
/// back into the link it is, its text in brackets; every other event
/// passes as it came.
struct BracketedLinks<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    events: std::iter::Peekable<I>,
    ready: VecDeque<(Event<'a>, Range<usize>)>,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> BracketedLinks<'a, I> {
    fn new(events: I) -> Self {
        BracketedLinks {
            events: events.peekable(),
            ready: VecDeque::new(),
        }
    }

    /// The wikilink that starts with `start`, as it came or as the link it is.
    fn wikilink(&mut self, start: (Event<'a>, Range<usize>)) {
        let mut inner = Vec::new();
        let mut end = None;
        for (event, range) in self.events.by_ref() {
            if matches!(event, Event::End(TagEnd::Link)) {
                end = Some((event, range));
                break;
            }
            inner.push((event, range));
        }
        let destination = match (self.events.peek(), &end) {
            (Some((Event::Text(text), _)), Some(_)) => bracketed_destination(text),
            _ => None,
        };
        let Some((dest, title, used)) = destination else {
            self.ready.push_back(start);
            self.ready.extend(inner);
            self.ready.extend(end);
            return;
        };
        let Some((Event::Text(text), after)) = self.events.next() else {
            return;
        };
        let (open, close) = (start.1.clone(), after.start..after.start + used);
        let link = Tag::Link {
            link_type: LinkType::Inline,
            dest_url: dest.into(),
            title: title.into(),
            id: CowStr::Borrowed(""),
        };
        self.ready.push_back((Event::Start(link), open.clone()));
        self.ready
            .push_back((Event::Text(CowStr::Borrowed("[")), open.clone()));
        self.ready.extend(inner);
        self.ready
            .push_back((Event::Text(CowStr::Borrowed("]")), close.clone()));
        self.ready.push_back((Event::End(TagEnd::Link), close));
        if let Some(rest) = text.get(used..).filter(|rest| !rest.is_empty()) {
            let rest = CowStr::from(rest.to_string());
            self.ready
                .push_back((Event::Text(rest), after.start + used..after.end));
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for BracketedLinks<'a, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(ready) = self.ready.pop_front() {
            return Some(ready);
        }
        let next = self.events.next()?;
        let wiki = matches!(
            &next.0,
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                ..
            })
        );
        if !wiki {
            return Some(next);
        }
        self.wikilink(next);
        self.ready.pop_front()
    }
}

/// GitHub's autolinks extension, which pulldown-cmark does not have:
/// `https://…`, `www.…` and e-mail addresses in text become links, as on
/// GitHub, so a guide reads the same on both. Only text outside links,
/// images, code and raw `<a>` is looked at, and only text written as it
/// stands in the body (no escapes or entities), so each link's range is
/// where it is written; contiguous text events are joined first, as the
/// parser splits text at characters that could have been markup.
struct BareUrls<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    body: &'a str,
    events: std::iter::Peekable<I>,
    ready: VecDeque<(Event<'a>, Range<usize>)>,
    /// Links and images open around the next event, `<a>`s of raw HTML too.
    in_link: usize,
    in_code_block: bool,
    finder: linkify::LinkFinder,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> BareUrls<'a, I> {
    fn new(body: &'a str, events: I) -> Self {
        let mut finder = linkify::LinkFinder::new();
        finder.url_must_have_scheme(false);
        BareUrls {
            body,
            events: events.peekable(),
            ready: VecDeque::new(),
            in_link: 0,
            in_code_block: false,
            finder,
        }
    }

    fn track(&mut self, event: &Event) {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.in_link += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => {
                self.in_link = self.in_link.saturating_sub(1)
            }
            Event::Start(Tag::CodeBlock(_)) => self.in_code_block = true,
            Event::End(TagEnd::CodeBlock) => self.in_code_block = false,
            Event::InlineHtml(tag) => {
                let tag = tag.as_bytes();
                let name = |prefix: &[u8]| {
                    tag.len() > prefix.len()
                        && tag[..prefix.len()].eq_ignore_ascii_case(prefix)
                        && matches!(tag[prefix.len()], b' ' | b'>' | b'\t' | b'\n' | b'/')
                };
                if name(b"<a") {
                    self.in_link += 1;
                } else if name(b"</a") {
                    self.in_link = self.in_link.saturating_sub(1);
                }
            }
            _ => {}
        }
    }

    /// Whether `text` is the body's own bytes at `range`, not text the
    /// parser made (an escape, an entity): by address, as every text event
    /// is asked.
    fn as_written(body: &str, text: &str, range: &Range<usize>) -> bool {
        text.len() == range.len()
            && std::ptr::eq(text.as_ptr(), body.as_ptr().wrapping_add(range.start))
    }

    /// The text events from `first` on that are written as they stand and
    /// touch, as one range of the body.
    fn run(&mut self, first: Range<usize>) -> Range<usize> {
        let mut run = first;
        while let Some((Event::Text(text), next)) = self.events.peek() {
            if next.start != run.end || !Self::as_written(self.body, text, next) {
                break;
            }
            run.end = next.end;
            self.events.next();
        }
        run
    }

    /// The run's text, its addresses turned into links.
    fn linkify(&mut self, run: Range<usize>) {
        let text: &'a str = &self.body[run.clone()];
        let mut done = 0;
        for found in self.finder.links(text) {
            let (url, start) = (found.as_str(), found.start());
            let (dest, link_type) = match found.kind() {
                // The writer adds `mailto:` to an e-mail autolink.
                linkify::LinkKind::Email => (url.to_string(), LinkType::Email),
                _ if url.contains("://") => (url.to_string(), LinkType::Autolink),
                // Without a scheme only `www.` counts, as on GitHub: not
                // `index.html` or `Node.js`.
                _ if url.starts_with("www.") => (format!("http://{url}"), LinkType::Autolink),
                _ => continue,
            };
            let at = run.start + start..run.start + found.end();
            if start > done {
                let before = run.start + done..run.start + start;
                self.ready
                    .push_back((Event::Text(CowStr::Borrowed(&text[done..start])), before));
            }
            let link = Tag::Link {
                link_type,
                dest_url: dest.into(),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            };
            self.ready.push_back((Event::Start(link), at.clone()));
            self.ready.push_back((
                Event::Text(CowStr::Borrowed(&text[start..found.end()])),
                at.clone(),
            ));
            self.ready.push_back((Event::End(TagEnd::Link), at));
            done = found.end();
        }
        if done < text.len() {
            self.ready.push_back((
                Event::Text(CowStr::Borrowed(&text[done..])),
                run.start + done..run.end,
            ));
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for BareUrls<'a, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(ready) = self.ready.pop_front() {
            return Some(ready);
        }
        let (event, range) = self.events.next()?;
        self.track(&event);
        let Event::Text(text) = &event else {
            return Some((event, range));
        };
        if self.in_link > 0 || self.in_code_block || !Self::as_written(self.body, text, &range) {
            return Some((event, range));
        }
        let run = self.run(range);
        let candidate = &self.body[run.clone()];
        let bytes = candidate.as_bytes();
        if memchr::memchr2(b':', b'@', bytes).is_none()
            && memchr::memmem::find(bytes, b"www.").is_none()
        {
            return Some((Event::Text(CowStr::Borrowed(candidate)), run));
        }
        self.linkify(run);
        self.ready.pop_front()
    }
}

/// `(destination)` or `(destination "title")` at the start of `text`: the
/// destination, the title and how many bytes they took.
fn bracketed_destination(text: &str) -> Option<(String, String, usize)> {
    let inside = text.strip_prefix('(')?;
    let close = inside.find(')')?;
    let within = inside[..close].trim();
    let (dest, title) = match within.split_once(char::is_whitespace) {
        Some((dest, title)) => {
            let title = title.trim();
            let quoted = title.len() >= 2
                && (title.starts_with('"') && title.ends_with('"')
                    || title.starts_with('\'') && title.ends_with('\''));
            if !quoted {
                return None;
            }
            (dest, title[1..title.len() - 1].to_string())
        }
        None => (within, String::new()),
    };
    let dest = dest
        .strip_prefix('<')
        .and_then(|d| d.strip_suffix('>'))
        .unwrap_or(dest);
    (!dest.is_empty()).then(|| (dest.to_string(), title, close + 2))
}

/// The addresses in a body's raw HTML, each at its place in the body: its
/// value where it is written as it reads, else its tag's fragment.
fn raw_links(body: &str, links: Vec<RawLink>) -> Vec<LinkRef> {
    let mut cursor = LineCursor::START;
    links
        .into_iter()
        .map(|link| {
            let from = body.get(link.fragment..).unwrap_or_default();
            let at = from
                .find(&link.dest)
                .map_or(link.fragment, |i| link.fragment + i);
            LinkRef {
                span: cursor.span(body, at),
                kind: if link.image {
                    LinkKind::Image
                } else {
                    LinkKind::Markdown
                },
                dest: link.dest,
            }
        })
        .collect()
}

/// What `read` gathers from the events, besides the HTML.
struct Outline<'b> {
    scan: Scan,
    ids: HeadingIds,
    /// The heading being read: level, explicit id, text so far.
    heading: Option<(u8, Option<String>, String)>,
    /// The first paragraph, while it is being read.
    paragraph: Option<String>,
    /// Whether to gather what only pages use: plain text and word count.
    full: bool,
    /// The plain text so far, which becomes `scan.text`.
    text: Pieces,
    /// How far the body's lines have been counted, for link positions.
    counted: LineCursor,
    body: &'b str,
    raw_html: RawHtml,
    /// The ids in the raw HTML so far; started at its first event.
    anchors: Option<Anchors>,
    /// The names of footnote definitions, which are their ids.
    footnotes: Vec<String>,
    /// How many images are open: raw HTML in alt text is only text.
    images: usize,
    /// The open links, innermost last: each one's place in `scan.links`
    /// and where its text starts in `text` and in the first paragraph.
    open_links: Vec<(usize, usize, Option<usize>)>,
}

/// Line and column of offsets met in order, counting each byte once: a
/// body of one 10 MB line with 280,000 links took 78 s when each link's
/// column was counted from the start of its line.
#[derive(Clone, Copy)]
struct LineCursor {
    at: usize,
    line: usize,
    /// Characters from the line's start to `at`.
    col_chars: usize,
}

impl LineCursor {
    const START: LineCursor = LineCursor {
        at: 0,
        line: 1,
        col_chars: 0,
    };

    fn span(&mut self, text: &str, offset: usize) -> Span {
        if offset < self.at {
            *self = LineCursor::START;
        }
        // Offsets come from the parser, so they fall between characters.
        let passed = text.get(self.at..offset).unwrap_or_default();
        let since_newline = match memchr::memrchr(b'\n', passed.as_bytes()) {
            Some(newline) => {
                self.line += memchr::memchr_iter(b'\n', passed.as_bytes()).count();
                self.col_chars = 0;
                &passed[newline + 1..]
            }
            None => passed,
        };
        self.col_chars += since_newline.chars().count();
        self.at = self.at.max(offset);
        Span::new(self.line, self.col_chars + 1)
    }
}

impl Outline<'_> {
    fn link_span(&mut self, offset: usize) -> Span {
        self.counted.span(self.body, offset)
    }

    fn note(&mut self, event: &Event, offset: usize) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.heading = Some((
                    level_number(*level),
                    id.as_ref().map(|i| i.to_string()),
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, explicit, text)) = self.heading.take() {
                    let base = explicit.unwrap_or_else(|| heading_id(&text));
                    let id = self.ids.unique(base, &self.scan.headings);
                    self.scan.headings.push(Heading { level, text, id });
                }
            }
            Event::Start(Tag::Paragraph) if self.scan.first_paragraph.is_empty() => {
                self.paragraph = Some(String::new());
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(text) = self.paragraph.take() {
                    self.scan.first_paragraph = text.trim().to_string();
                    // Its links' places, counted from its start before the trim.
                    let trimmed = text.len() - text.trim_start().len();
                    for wiki in &mut self.scan.wiki_texts {
                        if let Some(range) = wiki.paragraph.as_mut() {
                            *range = range.start.saturating_sub(trimmed)
                                ..range.end.saturating_sub(trimmed);
                        }
                    }
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let span = self.link_span(offset);
                self.open_links.push((
                    self.scan.links.len(),
                    self.text.len,
                    self.paragraph.as_ref().map(String::len),
                ));
                self.scan.links.push(LinkRef {
                    dest: dest_url.to_string(),
                    kind: link_kind(*link_type),
                    span,
                });
            }
            Event::End(TagEnd::Link) => {
                let bare = |link: usize| {
                    self.scan.links.get(link).map(|l| l.kind)
                        == Some(LinkKind::Wiki { has_text: false })
                };
                if let Some((link, start, in_paragraph)) = self.open_links.pop()
                    && self.full
                    && bare(link)
                {
                    let paragraph = in_paragraph.zip(self.paragraph.as_ref());
                    self.scan.wiki_texts.push(WikiText {
                        link,
                        range: start..self.text.len,
                        paragraph: paragraph.map(|(start, p)| start..p.len()),
                    });
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let span = self.link_span(offset);
                self.scan.links.push(LinkRef {
                    dest: dest_url.to_string(),
                    kind: LinkKind::Image,
                    span,
                });
                self.images += 1;
            }
            Event::End(TagEnd::Image) => self.images = self.images.saturating_sub(1),
            // The writer gives a footnote's definition its name as its id.
            Event::Start(Tag::FootnoteDefinition(name)) => self.footnotes.push(name.to_string()),
            Event::Html(html) | Event::InlineHtml(html)
                if self.images == 0 && self.raw_html != RawHtml::Escape =>
            {
                let raw_html = self.raw_html;
                self.anchors
                    .get_or_insert_with(|| Anchors::new(raw_html))
                    .feed(html, offset);
            }
            Event::Text(text) | Event::Code(text) => {
                if self.full {
                    self.scan.words += word_count(text);
                    self.text.push_str(text);
                }
                if let Some((_, _, heading_text)) = self.heading.as_mut() {
                    heading_text.push_str(text);
                }
                if let Some(p) = self.paragraph.as_mut() {
                    p.push_str(text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if self.full {
                    self.text.push_str(" ");
                }
                if let Some(p) = self.paragraph.as_mut() {
                    p.push(' ');
                }
            }
            _ => {}
        }
        if self.full && ends_block(event) && !self.text.ends_with_whitespace() {
            self.text.push_str(" ");
        }
    }
}

/// The events `read` hands to pulldown-cmark's HTML writer: headings with
/// their ids and anchors, links with empty hrefs to be filled in later.
/// They are handed on as they come, so a body's events are never all held
/// at once (a 10 MB table made 335 MB of them); only a heading's wait in
/// `queue` until its end, when its id is known.
#[derive(Default)]
struct PageEvents<'a> {
    queue: VecDeque<Event<'a>>,
    /// The place of the next event pushed, and of the next handed on.
    pushed: usize,
    handed: usize,
    /// The open heading: the place of its opening tag (held until the
    /// heading ends), its level and class attribute.
    heading: Option<(usize, u8, String)>,
    marks: Vec<EventMark>,
    /// The open links, innermost last, as their places in `marks`
    /// (CommonMark lets an autolink sit inside a link's text).
    links: Vec<usize>,
    /// How many images are open: the writer turns what is inside an image
    /// into its alt text, so a link there writes no tag.
    images: usize,
    /// Places of events whose output a mark needs (each marked event and
    /// the one after it, where its output ends), and where each output starts.
    /// Asked for in the order events come, so both stay sorted.
    wanted: VecDeque<usize>,
    starts: Vec<(usize, usize)>,
    raw_html: RawHtml,
    /// Places of the raw HTML events, under `RawHtml::Sanitize`.
    raws: Vec<usize>,
    /// Under `RawHtml::Escape`, whether the last line of the HTML block
    /// being shown as text ended a line: its newline goes before the next,
    /// so none is left before the paragraph's end.
    line_ended: bool,
    /// Each footnote's number, in the order its name first appears (as
    /// the writer would number it), and whether a reference has its id.
    footnotes: rustc_hash::FxHashMap<String, (usize, bool)>,
    /// The footnote definition being written: its name, if referenced.
    open_footnote: Option<(String, usize)>,
}

/// pulldown-cmark's events with `read`'s outline noted and `PageEvents`'
/// changes made, pulled by the HTML writer one at a time.
struct Stream<'p, 'a, I> {
    events: I,
    outline: &'p mut Outline<'a>,
    page: &'p mut PageEvents<'a>,
    /// How many bytes of HTML the writer has written so far.
    written: &'p Cell<usize>,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Stream<'_, 'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(event) = self.page.hand_on(self.written.get()) {
                return Some(event);
            }
            let (event, range) = self.events.next()?;
            self.outline.note(&event, range.start);
            self.page.push(event, &self.outline.scan.headings);
        }
    }
}

/// A link or image, by the places of its events in the stream.
enum EventMark {
    Link {
        open: usize,
        close: usize,
        texts: Vec<usize>,
    },
    Image {
        at: usize,
    },
    /// A link or image inside an image's alt text.
    InAlt,
}

impl<'a> PageEvents<'a> {
    /// `headings` are the body's headings so far: a heading's id is known
    /// at its end, when its opening tag is filled in.
    fn push(&mut self, event: Event<'a>, headings: &[Heading]) {
        match event {
            Event::Start(Tag::Heading { level, classes, .. }) => {
                let class = if classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", escape(&classes.join(" ")))
                };
                self.heading = Some((self.pushed, level_number(level), class));
                self.add(Event::Html(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((at, n, class)) = self.heading.take() {
                    let id = escape(headings.last().map_or("", |h| h.id.as_str()));
                    if let Some(opening) = self.queue.get_mut(at - self.handed) {
                        *opening = Event::Html(format!("<h{n} id=\"{id}\"{class}>").into());
                    }
                    let anchor = format!(
                        "<a class=\"heading-anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{n}>\n"
                    );
                    self.add(Event::Html(anchor.into()));
                }
            }
            Event::Start(Tag::Link {
                link_type,
                title,
                id,
                ..
            }) => {
                self.links.push(self.marks.len());
                self.mark(EventMark::Link {
                    open: self.pushed,
                    close: self.pushed,
                    texts: Vec::new(),
                });
                self.add(Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::Borrowed(""),
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => {
                let at = self.pushed;
                if let Some(EventMark::Link { close, .. }) =
                    self.links.pop().and_then(|m| self.marks.get_mut(m))
                {
                    *close = at;
                    self.want(at);
                }
                self.add(event);
            }
            Event::Start(Tag::Image {
                link_type,
                title,
                id,
                ..
            }) => {
                self.mark(EventMark::Image { at: self.pushed });
                self.images += 1;
                self.add(Event::Start(Tag::Image {
                    link_type,
                    dest_url: CowStr::Borrowed(""),
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Image) => {
                self.images = self.images.saturating_sub(1);
                self.add(event);
            }
            Event::Text(_) | Event::Code(_) => {
                let at = self.pushed;
                if let Some(EventMark::Link { texts, .. }) =
                    self.links.last().and_then(|&m| self.marks.get_mut(m))
                {
                    texts.push(at);
                    self.want(at);
                }
                self.add(event);
            }
            // Wide tables scroll inside a focusable region, so keyboard users
            // can scroll them too.
            Event::Start(Tag::Table(alignments)) => {
                self.add(Event::Html(
                    "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Table\">\n".into(),
                ));
                self.add(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                self.add(Event::End(TagEnd::Table));
                self.add(Event::Html("</div>\n".into()));
            }
            // Footnotes link both ways: the first reference to each has an
            // id its definition links back to, for readers to return to the text.
            Event::FootnoteReference(name) => {
                let (number, first) = self.footnote(&name, true);
                let name = escape(&name);
                let id = if first {
                    format!(" id=\"fnref-{name}\"")
                } else {
                    String::new()
                };
                self.add(Event::Html(
                    format!("<sup class=\"footnote-reference\"{id}><a href=\"#{name}\">{number}</a></sup>").into(),
                ));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let (number, referenced) = self.footnote(&name, false);
                self.open_footnote = referenced.then(|| (escape(&name), number));
                self.add(Event::Html(
                    format!("<div class=\"footnote-definition\" id=\"{}\"><sup class=\"footnote-definition-label\">{number}</sup>", escape(&name)).into(),
                ));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                let back = self.open_footnote.take().map_or_else(String::new, |(name, number)| {
                    format!("<a class=\"footnote-backref\" href=\"#fnref-{name}\" aria-label=\"{BACKREF_LABEL}{number}\">↩</a>")
                });
                self.add(Event::Html(format!("{back}</div>\n").into()));
            }
            // An alert is a callout: a note with its kind's icon and name, so
            // it reads without colour, in either colour scheme and in print.
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label, icon) = callout(kind);
                self.add(Event::Html(
                    format!(
                        "<div class=\"callout callout-{class}\" role=\"note\">\n{CALLOUT_TITLE}<svg class=\"callout-icon\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" aria-hidden=\"true\">{icon}</svg>{label}</p>\n"
                    )
                    .into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => self.add(Event::Html("</div>\n".into())),
            // A task list's boxes are read-only; screen readers hear their state.
            Event::TaskListMarker(done) => {
                let (checked, label) = if done {
                    (" checked", TASK_DONE)
                } else {
                    ("", TASK_NOT_DONE)
                };
                self.add(Event::Html(
                    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> ")
                        .into(),
                ));
            }
            Event::Start(Tag::HtmlBlock)
            | Event::End(TagEnd::HtmlBlock)
            | Event::Html(_)
            | Event::InlineHtml(_) => self.push_raw(event, headings),
            other => self.add(other),
        }
    }

    /// Raw HTML, as `raw_html` says. Inside an image it is alt text, which
    /// the writer escapes, so it is left alone there.
    fn push_raw(&mut self, event: Event<'a>, headings: &[Heading]) {
        match (self.raw_html, event) {
            (RawHtml::Allow, event) => self.add(event),
            (_, event) if self.images > 0 => self.add(event),
            (RawHtml::Sanitize, event @ (Event::Html(_) | Event::InlineHtml(_))) => {
                self.raws.push(self.pushed);
                self.want(self.pushed);
                self.add(event);
            }
            (RawHtml::Sanitize, event) => self.add(event),
            // As if HTML were not markdown: a block is a paragraph of its
            // text, an inline tag text (the text of a link, inside one).
            (RawHtml::Escape, Event::Start(Tag::HtmlBlock)) => {
                self.line_ended = false;
                self.add(Event::Html("<p>".into()));
            }
            (RawHtml::Escape, Event::End(TagEnd::HtmlBlock)) => {
                self.add(Event::Html("</p>\n".into()));
            }
            (RawHtml::Escape, Event::Html(line)) => {
                let text = line.trim_end_matches(['\n', '\r']);
                let newline = if self.line_ended { "\n" } else { "" };
                self.line_ended = text.len() < line.len();
                self.add(Event::Text(format!("{newline}{text}").into()));
            }
            (RawHtml::Escape, Event::InlineHtml(tag)) => self.push(Event::Text(tag), headings),
            (RawHtml::Escape, event) => self.add(event),
        }
    }

    fn add(&mut self, event: Event<'a>) {
        self.queue.push_back(event);
        self.pushed += 1;
    }

    /// A footnote's number, given on first sight of its name as the writer
    /// does; and, for a reference, whether it is the first (it takes the
    /// id), for a definition, whether any reference came before.
    fn footnote(&mut self, name: &str, reference: bool) -> (usize, bool) {
        let next = self.footnotes.len() + 1;
        let entry = self
            .footnotes
            .entry(name.to_string())
            .or_insert((next, false));
        let referenced = entry.1;
        if reference {
            entry.1 = true;
            (entry.0, !referenced)
        } else {
            (entry.0, referenced)
        }
    }

    /// Notes a link or image; inside an image's alt text it has no tag of its own.
    fn mark(&mut self, mark: EventMark) {
        let mark = if self.images > 0 {
            EventMark::InAlt
        } else {
            mark
        };
        if let EventMark::Link { open, .. } | EventMark::Image { at: open } = mark {
            self.want(open);
        }
        self.marks.push(mark);
    }

    /// Asks for where event `at`'s output starts and ends.
    fn want(&mut self, at: usize) {
        for event in [at, at + 1] {
            if self.wanted.back().is_none_or(|&last| last < event) {
                self.wanted.push_back(event);
            }
        }
    }

    /// The next event for the writer, if one is ready: none of an open
    /// heading's until it ends. `written` is where its output will start.
    fn hand_on(&mut self, written: usize) -> Option<Event<'a>> {
        if self
            .heading
            .as_ref()
            .is_some_and(|&(at, ..)| self.handed >= at)
        {
            return None;
        }
        let event = self.queue.pop_front()?;
        if self.wanted.front() == Some(&self.handed) {
            self.wanted.pop_front();
            self.starts.push((self.handed, written));
        }
        self.handed += 1;
        Some(event)
    }

    /// Writes the HTML of `events` (noting the outline on the way) and
    /// gives each mark its byte positions in it.
    fn write<I: Iterator<Item = (Event<'a>, Range<usize>)>>(
        mut self,
        events: I,
        outline: &mut Outline<'a>,
        body_len: usize,
    ) -> BodyHtml {
        let written = Cell::new(0);
        let mut out = CountingWriter {
            html: Pieces::new(body_len * 3 / 2),
            written: &written,
        };
        let stream = Stream {
            events,
            outline,
            page: &mut self,
            written: &written,
        };
        // Writing into pieces cannot fail.
        let _ = pulldown_cmark::html::write_html_fmt(&mut out, stream);
        let html = out.html.joined();
        self.into_marks(html)
    }

    fn into_marks(self, html: String) -> BodyHtml {
        let starts = self.starts;
        let start = |event: usize| match starts.binary_search_by_key(&event, |&(at, _)| at) {
            Ok(found) => starts[found].1,
            Err(_) => html.len(),
        };
        let output = |event: usize| start(event)..start(event + 1);
        let raws = joined(self.raws.iter().map(|&at| output(at)));
        let mut text_runs = Vec::new();
        let mut runs = |texts: Vec<usize>| {
            let first = text_runs.len();
            text_runs.extend(texts.into_iter().map(output));
            first..text_runs.len()
        };
        let marks = self
            .marks
            .into_iter()
            .map(|mark| match mark {
                EventMark::Link { open, close, texts } => {
                    let open = output(open);
                    LinkMark::Link {
                        href: open.start + empty_value_at(&html[open.clone()]),
                        open,
                        close: output(close),
                        texts: runs(texts),
                    }
                }
                EventMark::Image { at } => LinkMark::Image {
                    src: start(at) + empty_value_at(&html[output(at)]),
                },
                EventMark::InAlt => LinkMark::InAlt,
            })
            .collect();
        let body = BodyHtml {
            html,
            marks,
            text_runs,
        };
        if raws.is_empty() {
            body
        } else {
            body.with_raw_sanitized(&raws)
        }
    }
}

/// Byte ranges in order, the empty left out and those that touch joined:
/// the lines of an HTML block are one run of raw HTML.
fn joined(ranges: impl Iterator<Item = Range<usize>>) -> Vec<Range<usize>> {
    let mut runs: Vec<Range<usize>> = Vec::new();
    for range in ranges.filter(|r| !r.is_empty()) {
        match runs.last_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => runs.push(range),
        }
    }
    runs
}

/// Where the empty value of a tag's first attribute is: between its quotes
/// in `<a href="">`, `<a href="mailto:">` or `<img src="" …`.
fn empty_value_at(tag: &str) -> usize {
    let first = tag.find('"').map_or(tag.len(), |quote| quote + 1);
    first + tag[first..].find('"').unwrap_or(0)
}

/// Text written in pieces, then joined at its exact size, for text every
/// document keeps until the run ends: a grown String holds up to twice its
/// length, and an allocator may keep a shrunk one's spare bytes. Pieces
/// are not copied as they grow: a String grown by doubling and then
/// copied touched three times a large body's HTML, and mimalloc keeps
/// freed memory for a second, so a 10 MB body's 50 MB of HTML held 150 MB.
struct Pieces {
    full: Vec<String>,
    last: String,
    len: usize,
}

impl Pieces {
    const SIZE: usize = 1 << 20;

    /// `first` is the room expected: the first piece has that much, up to
    /// a mebibyte.
    fn new(first: usize) -> Pieces {
        Pieces {
            full: Vec::new(),
            last: String::with_capacity(first.min(Pieces::SIZE)),
            len: 0,
        }
    }

    fn push_str(&mut self, text: &str) {
        if self.last.len() + text.len() > self.last.capacity() && !self.last.is_empty() {
            // As much again as so far, as a String would grow, but no more
            // than a mebibyte at a time.
            let room = text.len().max(self.len.min(Pieces::SIZE));
            self.full.push(std::mem::replace(
                &mut self.last,
                String::with_capacity(room),
            ));
        }
        self.last.push_str(text);
        self.len += text.len();
    }

    fn ends_with_whitespace(&self) -> bool {
        self.last.ends_with(char::is_whitespace)
    }

    fn joined(self) -> String {
        let mut text = String::with_capacity(self.len);
        for piece in self.full {
            text.push_str(&piece);
        }
        text.push_str(&self.last);
        text
    }
}

/// Pieces of HTML that say how much has been written, for the event
/// iterator to read while pulldown-cmark's writer holds them.
struct CountingWriter<'c> {
    html: Pieces,
    written: &'c Cell<usize>,
}

impl std::fmt::Write for CountingWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.html.push_str(s);
        self.written.set(self.html.len);
        Ok(())
    }
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

/// A GitHub alert's class, name and icon (SVG paths drawn in the text colour).
/// Words a body's HTML holds besides its own, written in English when it
/// is read (and cached); `render` puts them in the page's language
/// (`render::in_page_language`). A footnote's way back is `BACKREF_LABEL`
/// and its number.
pub(crate) const BACKREF_LABEL: &str = "Back to reference ";
pub(crate) const TASK_DONE: &str = "done";
pub(crate) const TASK_NOT_DONE: &str = "not done";
/// The start of a callout's title, before its icon and its kind's name.
pub(crate) const CALLOUT_TITLE: &str = "<p class=\"callout-title\">";
/// Each callout's class and English name.
pub(crate) const CALLOUT_NAMES: [(&str, &str); 5] = [
    ("note", "Note"),
    ("tip", "Tip"),
    ("important", "Important"),
    ("warning", "Warning"),
    ("caution", "Caution"),
];

fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => (
            CALLOUT_NAMES[0].0,
            CALLOUT_NAMES[0].1,
            "<circle cx=\"8\" cy=\"8\" r=\"6.5\"/><path d=\"M8 7.2v4M8 4.8v.1\"/>",
        ),
        BlockQuoteKind::Tip => (
            CALLOUT_NAMES[1].0,
            CALLOUT_NAMES[1].1,
            "<path d=\"M6 12.5h4M6.5 14.5h3M8 1.5a4.5 4.5 0 0 0-2.5 8.2V11h5V9.7A4.5 4.5 0 0 0 8 1.5z\"/>",
        ),
        BlockQuoteKind::Important => (
            CALLOUT_NAMES[2].0,
            CALLOUT_NAMES[2].1,
            "<path d=\"M2 2.5h12V11H8l-3 3v-3H2z\"/><path d=\"M8 4.8v3M8 9.4v.1\"/>",
        ),
        BlockQuoteKind::Warning => (
            CALLOUT_NAMES[3].0,
            CALLOUT_NAMES[3].1,
            "<path d=\"M8 1.8 15 14H1z\"/><path d=\"M8 6v4M8 11.8v.1\"/>",
        ),
        BlockQuoteKind::Caution => (
            CALLOUT_NAMES[4].0,
            CALLOUT_NAMES[4].1,
            "<path d=\"M5.2 1.5h5.6l3.7 3.7v5.6l-3.7 3.7H5.2l-3.7-3.7V5.2z\"/><path d=\"M8 4.8v4M8 11v.1\"/>",
        ),
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

fn link_kind(link_type: LinkType) -> LinkKind {
    match link_type {
        LinkType::Email => LinkKind::Email,
        LinkType::WikiLink { has_pothole } => LinkKind::Wiki {
            has_text: has_pothole,
        },
        _ => LinkKind::Markdown,
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// GitHub's heading ids, so `file.md#anchor` links work on GitHub as they
/// are; a heading with no letters or digits (`#` alone, `## ???`) gets
/// `section`, as an empty id is no anchor at all.
pub(crate) fn heading_id(text: &str) -> String {
    let id: String = text
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            ' ' => Some('-'),
            _ => None,
        })
        .collect();
    if id.chars().any(char::is_alphanumeric) {
        id
    } else {
        "section".into()
    }
}

/// The ids the default theme's own elements have on every page where a
/// body goes: a heading never takes one (`tests` read them from the
/// templates, so the list cannot fall behind).
pub(crate) const THEME_IDS: &[&str] = &[
    "backlinks-heading",
    "can-help-heading",
    "cited-by-heading",
    "cites-heading",
    "contents-heading",
    "contributions-heading",
    "documents-heading",
    "downloads-heading",
    "evidence-heading",
    "experts-heading",
    "gaps-heading",
    "heat-caption",
    "heatmap-heading",
    "help-from-heading",
    "introduction",
    "kept-heading",
    "knows-heading",
    "learners-heading",
    "learning-heading",
    "list-more",
    "list-results",
    "main",
    "mentors-heading",
    "newest-heading",
    "practica-labels",
    "print-contents-heading",
    "ranked-heading",
    "related-heading",
    "search-input",
    "search-listbox",
    "search-page-input",
    "search-tag",
    "site-nav",
    "site-search",
    "tag-gaps-heading",
    "tags-caption",
    "toc-heading",
    "toolkit-gaps-heading",
    "toolkits-heading",
    "topics-heading",
    "wanted-heading",
];

/// The ids of a page's headings so far, as indices into its headings: a
/// set of copies of them held 20 MB more for a page of 300,000 headings.
#[derive(Default)]
struct HeadingIds(hashbrown::HashTable<usize>);

impl HeadingIds {
    /// `base`, or `base-1`, `base-2`… : the first that neither an earlier
    /// heading of the page (`headings`) nor the theme uses. It is the id
    /// of the heading pushed next.
    fn unique(&mut self, base: String, headings: &[Heading]) -> String {
        let hash = |id: &str| rustc_hash::FxBuildHasher.hash_one(id);
        let taken = |id: &str| {
            THEME_IDS.contains(&id) || self.0.find(hash(id), |&at| headings[at].id == id).is_some()
        };
        let mut id = base.clone();
        let mut n = 0;
        while taken(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.0
            .insert_unique(hash(&id), headings.len(), |&at| hash(&headings[at].id));
        id
    }
}

/// What the link stage decided for one link of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Href {
    /// Left as written (external links, and links of a failed check).
    Keep,
    /// A checked internal link; `title` replaces the text of a bare `[[wikilink]]`.
    Url { url: String, title: Option<String> },
    /// `[[?Title]]`: a page the community wants written, and the tooltip
    /// that says so in the community's language ("Wanted page: Title").
    Wanted { title: String, hint: String },
}

/// A body's HTML with the links the link stage resolved: `hrefs` in the
/// order of `scan.links`; borrowed when it has no links, so a large body
/// is not copied for nothing. An outline reading has no HTML: its runs
/// render no document page.
pub(crate) fn to_html<'b>(body: Option<&'b BodyHtml>, scan: &Scan, hrefs: &[Href]) -> Cow<'b, str> {
    body.map_or(Cow::Borrowed(""), |html| {
        html.with_links(&scan.links, hrefs)
    })
}

impl BodyHtml {
    /// The HTML with its raw HTML (`raws`) sanitised, each mark moved with
    /// markdown's output around it.
    ///
    /// Sanitised here, once the body's HTML is whole, rather than event by
    /// event: pulldown-cmark hands an HTML block over line by line and
    /// every inline tag on its own, so `<span>` and its `</span>` would be
    /// sanitised apart and each closed or dropped. `raw_html::sanitize`
    /// reads all the raw HTML as one fragment and gives markdown's output
    /// back unchanged, so a mark still points at its link's tag, and
    /// link *n* of the scan is still mark *n*.
    fn with_raw_sanitized(self, raws: &[Range<usize>]) -> BodyHtml {
        let sanitized = raw_html::sanitize(&self.html, raws);
        let at = |p: usize| sanitized.position(p);
        let range = |r: &Range<usize>| at(r.start)..at(r.end);
        let marks = self
            .marks
            .iter()
            .map(|mark| match mark {
                LinkMark::Link {
                    open,
                    href,
                    close,
                    texts,
                } => LinkMark::Link {
                    open: range(open),
                    href: at(*href),
                    close: range(close),
                    texts: texts.clone(),
                },
                LinkMark::Image { src } => LinkMark::Image { src: at(*src) },
                LinkMark::InAlt => LinkMark::InAlt,
            })
            .collect();
        let body = BodyHtml {
            html: String::from(sanitized.html.as_str()),
            marks,
            text_runs: self.text_runs.iter().map(range).collect(),
        };
        debug_assert!(body.is_sound(body.marks.len()), "{body:?}");
        body
    }

    /// Whether there is one mark per link and every mark lies inside the
    /// HTML, in order, on character boundaries (a cache entry is checked so).
    pub(crate) fn is_sound(&self, links: usize) -> bool {
        let at = |p: usize| self.html.is_char_boundary(p);
        let span = |r: &Range<usize>| r.start <= r.end && at(r.start) && at(r.end);
        let runs = |t: &Range<usize>| t.start <= t.end && t.end <= self.text_runs.len();
        self.marks.len() == links
            && self.text_runs.iter().all(span)
            && self.marks.iter().all(|mark| match mark {
                LinkMark::Link {
                    open,
                    href,
                    close,
                    texts,
                } => {
                    span(open)
                        && span(close)
                        && (open.start..=open.end).contains(href)
                        && at(*href)
                        && open.end <= close.start
                        && runs(texts)
                }
                LinkMark::Image { src } => at(*src),
                LinkMark::InAlt => true,
            })
    }

    /// The HTML with every mark filled in: a resolved href, a wanted page's
    /// marker, a bare wikilink's target title.
    pub(crate) fn with_links(&self, links: &[LinkRef], hrefs: &[Href]) -> Cow<'_, str> {
        let mut edits: Vec<(Range<usize>, Cow<str>)> = Vec::with_capacity(self.marks.len() * 2);
        for (n, mark) in self.marks.iter().enumerate() {
            let href = hrefs.get(n).unwrap_or(&Href::Keep);
            let link = links.get(n);
            let dest = link.map_or("", |l| l.dest.as_str());
            let kind = link.map(|l| l.kind);
            match mark {
                LinkMark::Image { src } => {
                    let url = match href {
                        Href::Url { url, .. } => url,
                        _ => dest,
                    };
                    edits.push((*src..*src, href_text(url)));
                }
                LinkMark::Link {
                    open,
                    href: at,
                    close,
                    texts,
                } => {
                    let replaced = match href {
                        Href::Wanted { hint, .. } => {
                            let mut html =
                                format!("<span class=\"wanted\" title=\"{}\">", escape(hint));
                            let shown = replacing_text(kind, href);
                            if let Some(text) = shown {
                                let _ = escape_html_body_text(&mut html, text);
                            }
                            edits.push((open.clone(), html.into()));
                            edits.push((close.clone(), "</span>".into()));
                            shown.is_some()
                        }
                        Href::Url { url, .. } => {
                            edits.push((*at..*at, href_text(url)));
                            let shown = replacing_text(kind, href);
                            if let Some(text) = shown {
                                let mut html = String::new();
                                let _ = escape_html_body_text(&mut html, text);
                                edits.push((open.end..open.end, html.into()));
                            }
                            shown.is_some()
                        }
                        Href::Keep => {
                            edits.push((*at..*at, href_text(dest)));
                            false
                        }
                    };
                    if replaced {
                        self.drop_runs(texts, &mut edits);
                    }
                }
                LinkMark::InAlt => {}
            }
        }
        self.spliced(edits)
    }

    fn drop_runs<'s>(&self, texts: &Range<usize>, edits: &mut Vec<(Range<usize>, Cow<'s, str>)>) {
        let runs = self.text_runs.get(texts.clone()).unwrap_or_default();
        edits.extend(runs.iter().map(|run| (run.clone(), Cow::Borrowed(""))));
    }

    /// The HTML with each range replaced. A link's edits come in order, but
    /// an image inside a link's text comes between them; the sort is
    /// stable, so an insertion stays before a removal at the same place.
    /// An edit that does not fit (only a damaged cache entry could hold
    /// one) is left out rather than cut a character.
    fn spliced(&self, mut edits: Vec<(Range<usize>, Cow<str>)>) -> Cow<'_, str> {
        if edits.is_empty() {
            return Cow::Borrowed(&self.html);
        }
        edits.sort_by_key(|(range, _)| range.start);
        let added: usize = edits.iter().map(|(_, with)| with.len()).sum();
        let mut out = String::with_capacity(self.html.len() + added);
        let mut at = 0;
        for (range, with) in edits {
            let (Some(before), true) = (
                self.html.get(at..range.start),
                self.html.is_char_boundary(range.end) && range.start <= range.end,
            ) else {
                continue;
            };
            out.push_str(before);
            out.push_str(&with);
            at = range.end;
        }
        out.push_str(self.html.get(at..).unwrap_or_default());
        Cow::Owned(out)
    }
}

/// The text that replaces a link's own: a wanted page's name (unless the
/// wikilink gives text), a bare wikilink's target title.
fn replacing_text(kind: Option<LinkKind>, href: &Href) -> Option<&str> {
    match href {
        Href::Wanted { title: name, .. } if kind != Some(LinkKind::Wiki { has_text: true }) => {
            Some(name)
        }
        Href::Url {
            title: Some(title), ..
        } if kind == Some(LinkKind::Wiki { has_text: false }) => Some(title),
        _ => None,
    }
}

fn href_text(url: &str) -> Cow<'static, str> {
    let mut text = String::with_capacity(url.len());
    // Writing into a String cannot fail.
    let _ = escape_href(&mut text, url);
    text.into()
}

pub(crate) fn escape(text: &str) -> String {
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
    fn the_theme_ids_are_those_of_the_default_templates() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let mut found = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for piece in text.split("id=\"").skip(1) {
                let id = piece.split('"').next().unwrap();
                if !id.contains('{') && !id.is_empty() {
                    found.insert(id.to_string());
                }
            }
        }
        let listed: std::collections::BTreeSet<String> =
            THEME_IDS.iter().map(|s| s.to_string()).collect();
        assert_eq!(found, listed);
    }

    #[test]
    fn headings_never_get_an_empty_id_or_one_of_the_theme() {
        let (scan, html) = read(
            "#\n\n## ???\n\n## Main\n\n## Search input\n\n## ???\n",
            Reading::Full,
            RawHtml::Allow,
        );
        let ids: Vec<&str> = scan.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "section",
                "section-1",
                "main-1",
                "search-input-1",
                "section-2"
            ]
        );
        let html = html.unwrap().html;
        assert!(!html.contains("id=\"\""), "{html}");
    }

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
        let (scan, _) = read(body, Reading::Full, RawHtml::Allow);
        let ids: Vec<_> = scan.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["intro", "intro-1", "custom"]);
        let dests: Vec<_> = scan.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, ["a.md#x", "b", "?Wanted", "../static/i.svg"]);
        assert_eq!(scan.links[1].kind, LinkKind::Wiki { has_text: true });
        assert_eq!(scan.links[3].kind, LinkKind::Image);
        assert_eq!(scan.links[1].span, Span::new(3, 21));
        assert_eq!(scan.links[3].span, Span::new(7, 1));
        assert_eq!(scan.first_paragraph, "See a and the b and ?Wanted.");
    }

    #[test]
    fn link_positions_match_a_line_index_in_any_order() {
        let text = "ab\ncé [x](y)\n\n  z\r\nlast";
        let index = crate::support::diagnostic::LineIndex::new(text);
        let mut cursor = LineCursor::START;
        for offset in [0, 2, 3, 6, 9, 4, 13, text.len(), 1] {
            assert_eq!(cursor.span(text, offset), index.span(offset), "at {offset}");
        }
        let long: String = (0..2000).map(|n| format!("[é{n}](x) ")).collect();
        let index = crate::support::diagnostic::LineIndex::new(&long);
        let mut cursor = LineCursor::START;
        for (offset, _) in long.match_indices('[') {
            assert_eq!(
                cursor.span(&long, offset),
                index.span(offset),
                "at {offset}"
            );
        }
    }

    #[test]
    fn html_uses_resolved_hrefs_titles_and_marks_wanted_pages() {
        let body = "## Hi\n\n[[b]] [[c|see c]] [[?Soon]] [ext](https://x.org)\n";
        let (s, kept) = read(body, Reading::Full, RawHtml::Allow);
        let hrefs = vec![
            Href::Url {
                url: "../b/".into(),
                title: Some("Bee".into()),
            },
            Href::Url {
                url: "../c/".into(),
                title: None,
            },
            Href::Wanted {
                title: "Soon".into(),
                hint: "Wanted page: Soon".into(),
            },
            Href::Keep,
        ];
        let html = to_html(kept.as_ref(), &s, &hrefs);
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

    /// pulldown-cmark's own rendering, for bodies our extensions leave alone.
    fn plain_html(body: &str) -> String {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, Parser::new_ext(body, options()));
        html
    }

    /// (Footnotes, alerts and task lists are ours too, and tested apart.)
    #[test]
    fn bodies_without_headings_links_or_tables_render_as_pulldown_cmark_does() {
        let body = "Some *text* & <b>html</b>\nnext line  \nhard break.\n\n> quote\n\n\
                    1. one\n2. two\n\n```rust\nlet x = 1 < 2;\n```\n\nA note ~~gone~~.\n\n\
                    <div>\nraw\n</div>\n\n---\n";
        let (scan, kept) = read(body, Reading::Full, RawHtml::Allow);
        assert!(scan.links.is_empty() && scan.headings.is_empty());
        assert_eq!(to_html(kept.as_ref(), &scan, &[]), plain_html(body));
    }

    #[test]
    fn marks_take_resolved_hrefs_inside_and_around_other_markup() {
        let body = "[![Badge *b*](a.png \"T\")](x.md \"Go & see\") <me@example.org> \
                    [[?Soon]] [[s]] [[t|kept *text*]] [raw](<a b.md>)\n";
        let (scan, kept) = read(body, Reading::Full, RawHtml::Allow);
        let kinds: Vec<_> = scan.links.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                LinkKind::Markdown,
                LinkKind::Image,
                LinkKind::Email,
                LinkKind::Wiki { has_text: false },
                LinkKind::Wiki { has_text: false },
                LinkKind::Wiki { has_text: true },
                LinkKind::Markdown,
            ]
        );
        let url = |url: &str, title: Option<&str>| Href::Url {
            url: url.into(),
            title: title.map(Into::into),
        };
        let hrefs = [
            url("../x/", Some("unused: not a bare wikilink")),
            url("../img/a b.png", None),
            Href::Keep,
            Href::Wanted {
                title: "Soon".into(),
                hint: "Wanted page: Soon".into(),
            },
            url("../s/", Some("S <one>")),
            url("../t/", Some("Tee")),
            Href::Keep,
        ];
        let html = to_html(kept.as_ref(), &scan, &hrefs);
        assert_eq!(
            html,
            "<p><a href=\"../x/\" title=\"Go &amp; see\">\
             <img src=\"../img/a%20b.png\" alt=\"Badge b\" title=\"T\" /></a> \
             <a href=\"mailto:me@example.org\">me@example.org</a> \
             <span class=\"wanted\" title=\"Wanted page: Soon\">Soon</span> \
             <a href=\"../s/\">S &lt;one&gt;</a> \
             <a href=\"../t/\">kept <em>text</em></a> \
             <a href=\"a%20b.md\">raw</a></p>\n"
        );
    }

    #[test]
    fn links_inside_alt_text_and_links_inside_links_render_as_pulldown_cmark_does() {
        for body in [
            "![<http://example.com>](http://example.com/logo.png)\n",
            "![<http://a>é](i.png) and ![a ![b](x.png) c](y.png)\n",
            "[<http://one> <http://two>](url) after\n",
            "[![Badge](b.svg) <me@example.org>](x.md \"T\")\n",
        ] {
            let (scan, kept) = read(body, Reading::Full, RawHtml::Allow);
            let keep = vec![Href::Keep; scan.links.len()];
            assert_eq!(
                to_html(kept.as_ref(), &scan, &keep),
                plain_html(body),
                "{body}"
            );
        }
    }

    #[test]
    fn inner_links_keep_their_own_tags_inside_a_replaced_link() {
        let body =
            "![<https://a.org>](i.png) [[?Later|see <https://x.org>]] [[b|<https://y.org>]]\n";
        let (scan, kept) = read(body, Reading::Full, RawHtml::Allow);
        let hrefs = [
            Href::Url {
                url: "../img/i.png".into(),
                title: None,
            },
            Href::Keep,
            Href::Wanted {
                title: "Later".into(),
                hint: "Wanted page: Later".into(),
            },
            Href::Keep,
            Href::Url {
                url: "../b/".into(),
                title: Some("B".into()),
            },
            Href::Keep,
        ];
        assert_eq!(
            to_html(kept.as_ref(), &scan, &hrefs),
            "<p><img src=\"../img/i.png\" alt=\"https://a.org\" /> \
             <span class=\"wanted\" title=\"Wanted page: Later\">see \
             <a href=\"https://x.org\">https://x.org</a></span> \
             <a href=\"../b/\"><a href=\"https://y.org\">https://y.org</a></a></p>\n"
        );
    }

    #[test]
    fn marks_out_of_place_are_unsound_and_cannot_cut_the_html() {
        let (scan, kept) = read(
            "Café [a](b.md) ![i](c.png)\n",
            Reading::Full,
            RawHtml::Allow,
        );
        let sound = kept.expect("a full reading has HTML");
        assert!(sound.is_sound(scan.links.len()));
        assert!(!sound.is_sound(scan.links.len() + 1));
        let mut damaged = sound.clone();
        damaged.marks[1] = LinkMark::Image { src: 7 };
        assert!(!damaged.is_sound(scan.links.len()), "inside the é");
        damaged.marks[0] = LinkMark::Link {
            open: 90..99,
            href: 95,
            close: 1..2,
            texts: 0..7,
        };
        assert!(!damaged.is_sound(scan.links.len()));
        // Even used unchecked, bad marks are left out rather than panic.
        let html = damaged.with_links(&scan.links, &[Href::Keep, Href::Keep]);
        assert!(html.starts_with("<p>Caf"), "{html}");
    }

    fn url(url: &str) -> Href {
        Href::Url {
            url: url.into(),
            title: None,
        }
    }

    /// Elements around markdown stay whole; a `<script>` goes, and the
    /// markdown written inside it is left as markdown's output.
    #[test]
    fn sanitized_raw_html_keeps_each_link_at_its_mark() {
        let body = "<div class=\"x\" onclick=\"go()\">\n\n[a](a.md) <span onclick=\"x\">[b](b.md)</span> \
                    ![i](i.png)\n\n</div>\n\n[[c]] <script>[x](x.md)</script> [d](d.md) <em>e</em>\n";
        let (scan, kept) = read(body, Reading::Full, RawHtml::Sanitize);
        let kept = kept.expect("a full reading has HTML");
        assert!(kept.is_sound(scan.links.len()));
        let dests: Vec<_> = scan.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, ["a.md", "b.md", "i.png", "c", "x.md", "d.md"]);
        let hrefs = [
            url("../a/"),
            url("../b/"),
            url("../i.png"),
            Href::Url {
                url: "../c/".into(),
                title: Some("See".into()),
            },
            url("../x/"),
            url("../d/"),
        ];
        assert_eq!(
            to_html(Some(&kept), &scan, &hrefs),
            "<div>\n<p><a href=\"../a/\">a</a> <span><a href=\"../b/\">b</a></span> \
             <img src=\"../i.png\" alt=\"i\" /></p>\n</div>\n\
             <p><a href=\"../c/\">See</a> <a href=\"../x/\">x</a> <a href=\"../d/\">d</a> <em>e</em></p>\n"
        );
    }

    #[test]
    fn escaped_raw_html_is_text_and_inside_a_link_its_text() {
        let body = "<b>x</b> [a <i>y</i>](a.md)\n\n<div>\r\nblock\r\n</div>\r\n\n- <p>item\n";
        let (scan, kept) = read(body, Reading::Full, RawHtml::Escape);
        assert_eq!(
            to_html(kept.as_ref(), &scan, &[url("../a/")]),
            "<p>&lt;b&gt;x&lt;/b&gt; <a href=\"../a/\">a &lt;i&gt;y&lt;/i&gt;</a></p>\n\
             <p>&lt;div&gt;\nblock\n&lt;/div&gt;</p>\n\
             <ul>\n<li><p>&lt;p&gt;item</p>\n</li>\n</ul>\n"
        );
        assert!(scan.anchors.is_empty());
    }

    #[test]
    fn without_raw_html_every_setting_writes_the_same() {
        for body in [
            "# H\n\n[a](a.md) ![i <b>bold</b>](i.png) `<code>` and &lt;b&gt;\n\n```html\n<div>\n```\n",
            "| a | b |\n|---|---|\n| [x](x.md) | y |\n",
        ] {
            let (scan, allowed) = read(body, Reading::Full, RawHtml::Allow);
            for raw_html in [RawHtml::Sanitize, RawHtml::Escape] {
                let (other, html) = read(body, Reading::Full, raw_html);
                assert_eq!((&other, &html), (&scan, &allowed), "{raw_html:?}: {body}");
            }
        }
    }

    #[test]
    fn raw_html_ids_are_anchors_in_either_reading() {
        let body = "![alt <a name=\"no\">](i.png)\n\n<table>\n<tr><td><a\nname=\"fn1\">1</a></td></tr>\n</table>\n\n\
                    ## Head <span id=\"s\"></span>\n\n<iframe id=\"f\"></iframe>\n";
        for (raw_html, ids) in [
            (RawHtml::Allow, &["fn1", "s", "f"][..]),
            (RawHtml::Sanitize, &["fn1", "s"][..]),
            (RawHtml::Escape, &[][..]),
        ] {
            let (full, _) = read(body, Reading::Full, raw_html);
            let (outline, _) = read(body, Reading::Outline, raw_html);
            assert_eq!(full.anchors, ids, "{raw_html:?}");
            assert_eq!(outline.anchors, ids, "{raw_html:?}");
        }
    }

    #[test]
    fn pieces_join_to_what_was_written() {
        let mut pieces = Pieces::new(10);
        let mut plain = String::new();
        let mut random = crate::support::random::SplitMix64(7);
        while plain.len() < 3 * Pieces::SIZE {
            let text = match random.below(4) {
                0 => "é ".repeat(random.below(5_000)),
                1 => "x".repeat(random.below(Pieces::SIZE + 10)),
                2 => String::new(),
                _ => "ab\n".to_string(),
            };
            pieces.push_str(&text);
            plain.push_str(&text);
            assert_eq!(pieces.len, plain.len());
            assert_eq!(
                pieces.ends_with_whitespace(),
                plain.ends_with(char::is_whitespace)
            );
        }
        assert!(pieces.full.len() > 2);
        let joined = pieces.joined();
        assert_eq!(joined, plain);
        assert_eq!(joined.capacity(), joined.len());
    }

    #[test]
    fn an_outline_reading_keeps_everything_but_the_text_and_html() {
        let body = "# One\n\nFirst [a](a.md) para.\n\n## Two\n\n![i](i.png) more words\n";
        let (full, html) = read(body, Reading::Full, RawHtml::Allow);
        let (outline, source) = read(body, Reading::Outline, RawHtml::Allow);
        assert_eq!(outline.headings, full.headings);
        assert_eq!(outline.links, full.links);
        // Reading time is for pages, which an outline reading's run does not render.
        assert_eq!((outline.words, full.words), (0, 8));
        assert_eq!(outline.first_paragraph, full.first_paragraph);
        assert!(outline.text.is_empty() && source.is_none());
        assert!(html.is_some());
        assert_eq!(full.text, "One First a para. Two i more words");
    }
}
