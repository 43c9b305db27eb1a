//! Raw HTML in document bodies, as `raw_html:` in `community.yaml` says:
//! published as written, sanitised, or shown as text. `markdown` applies
//! it while it writes a body's HTML; this module holds the policy, the
//! sanitiser's splice and the ids raw HTML gives a page.
//!
//! Sanitising is ammonia's (html5ever's parser and an allow-list); what
//! is here is only how a body's raw HTML reaches it and comes back.

use std::cell::RefCell;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, StartTag, Tag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
};

/// What happens to raw HTML (HTML blocks and inline tags) in document
/// bodies. Markdown's own output is never touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RawHtml {
    /// Published as written.
    #[default]
    Allow,
    /// Through ammonia with `POLICY`: what legacy pages need stays,
    /// whatever could run code or fake the site goes.
    Sanitize,
    /// Shown as text.
    Escape,
}

impl RawHtml {
    pub(crate) const ALL: [RawHtml; 3] = [RawHtml::Allow, RawHtml::Sanitize, RawHtml::Escape];

    /// The value as `community.yaml` writes it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            RawHtml::Allow => "allow",
            RawHtml::Sanitize => "sanitize",
            RawHtml::Escape => "escape",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<RawHtml> {
        RawHtml::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// Elements kept besides ammonia's defaults (which have tables, `<img>`,
/// `<details>`, `<summary>`, `<sup>`, `<sub>`, `<kbd>`, `<figure>`…).
const MORE_TAGS: [&str; 3] = ["tfoot", "section", "address"];

/// Attributes kept on every kept element besides ammonia's `lang` and
/// `title`: ids, since links point at them (`#fn1`).
const MORE_GENERIC_ATTRIBUTES: [&str; 2] = ["id", "dir"];

/// Attributes kept on one element besides ammonia's defaults.
const MORE_TAG_ATTRIBUTES: [(&str, &[&str]); 5] = [
    // `<a name="fn1">`: the anchor of legacy footnotes.
    ("a", &["name"]),
    ("details", &["open"]),
    ("li", &["value"]),
    ("ol", &["reversed", "type"]),
    ("time", &["datetime"]),
];

/// Mark the place of markdown's output among the raw HTML handed to the
/// sanitiser, around the place's number: characters of the private use
/// area, to which HTML gives no meaning.
const PLACE_OPEN: char = '\u{E000}';
const PLACE_CLOSE: char = '\u{E001}';

/// The sanitiser, and the elements it keeps (for `Anchors`).
struct Policy {
    cleaner: ammonia::Builder<'static>,
    tags: HashSet<&'static str>,
}

static POLICY: LazyLock<Policy> = LazyLock::new(|| {
    let mut cleaner = ammonia::Builder::default();
    cleaner
        .add_tags(MORE_TAGS)
        .add_generic_attributes(MORE_GENERIC_ATTRIBUTES)
        // `data:` only gets past ammonia's scheme check to meet `kept_value`,
        // which lets only pictures through.
        .add_url_schemes(["data"])
        // No `target` is kept, so no page is opened another can reach
        // back from: links keep no `rel`, as markdown's do not.
        .link_rel(None)
        .attribute_filter(kept_value);
    for (tag, attributes) in MORE_TAG_ATTRIBUTES {
        cleaner.add_tag_attributes(tag, attributes);
    }
    let tags = cleaner.clone_tags();
    Policy { cleaner, tags }
});

/// Attributes that hold an address.
const URL_ATTRIBUTES: [&str; 10] = [
    "href",
    "src",
    "cite",
    "action",
    "formaction",
    "poster",
    "ping",
    "data",
    "longdesc",
    "xlink:href",
];

/// An attribute value the sanitiser keeps: no address that runs code when
/// followed (the rule markdown links have: `data:` only for a picture),
/// and no value holding a place mark, which would put markdown's HTML
/// inside an attribute.
fn kept_value<'v>(
    element: &str,
    attribute: &str,
    value: &'v str,
) -> Option<std::borrow::Cow<'v, str>> {
    if value.contains([PLACE_OPEN, PLACE_CLOSE]) {
        return None;
    }
    if !URL_ATTRIBUTES.contains(&attribute) {
        return Some(value.into());
    }
    let picture = element == "img" && attribute == "src";
    match crate::support::fields::scripting_scheme(value) {
        Some("data:") if picture && is_data_image(value) => Some(value.into()),
        Some(_) => None,
        None => Some(value.into()),
    }
}

fn is_data_image(value: &str) -> bool {
    value
        .trim_start()
        .get(..11)
        .is_some_and(|s| s.eq_ignore_ascii_case("data:image/"))
}

/// A body's HTML after sanitising its raw HTML, and where each byte of
/// markdown's output went.
pub(crate) struct Sanitized {
    pub(crate) html: String,
    /// For each run of markdown's output, its start before and after.
    moved: Vec<(usize, usize)>,
}

impl Sanitized {
    /// Where a position in markdown's output (never inside raw HTML) is now.
    pub(crate) fn position(&self, old: usize) -> usize {
        // The first run starts at 0, so one always starts at or before `old`.
        let run = self.moved.partition_point(|&(start, _)| start <= old);
        let run = run.saturating_sub(1);
        let (before, after) = self.moved[run];
        after + (old - before)
    }
}

/// `html` with its raw HTML (`raws`: sorted, disjoint, non-empty byte
/// ranges; markdown wrote the rest) sanitised.
///
/// The raw HTML is sanitised as one fragment, with each run of markdown's
/// output between two runs stood in for by a numbered place mark: a
/// `<span>` and its `</span>` around a link, or a `<details>` around
/// paragraphs, stay one element, as a browser reads them. Markdown's
/// output is then put back byte for byte at its mark, so the positions of
/// its links (`markdown::LinkMark`) move but never change inside it.
pub(crate) fn sanitize(html: &str, raws: &[Range<usize>]) -> Sanitized {
    let texts: Vec<&str> = raws.iter().map(|raw| &html[raw.clone()]).collect();
    let mut pieces = Vec::with_capacity(texts.len());
    if texts
        .iter()
        .any(|text| text.contains([PLACE_OPEN, PLACE_CLOSE]))
    {
        // Marks written in the text itself could not be told from ours.
        pieces.extend(texts.iter().map(|text| clean(text)));
    } else {
        sanitize_together(&texts, &mut pieces);
    }
    let mut out = String::with_capacity(html.len());
    let mut moved = Vec::with_capacity(raws.len() + 1);
    for (n, run) in outside(html, raws).into_iter().enumerate() {
        if let Some(piece) = n.checked_sub(1).and_then(|raw| pieces.get(raw)) {
            out.push_str(piece);
        }
        moved.push((run.start, out.len()));
        out.push_str(&html[run]);
    }
    Sanitized { html: out, moved }
}

/// The runs of markdown's output around `raws`: one more than there are.
fn outside(html: &str, raws: &[Range<usize>]) -> Vec<Range<usize>> {
    let starts = std::iter::once(0).chain(raws.iter().map(|r| r.end));
    let ends = raws.iter().map(|r| r.start).chain([html.len()]);
    starts.zip(ends).map(|(s, e)| s..e).collect()
}

/// Pushes each of `texts` sanitised, read as one fragment with a place
/// mark between each two. A mark that does not come back, in order and in
/// text, stood inside something the sanitiser drops or an attribute (the
/// raw HTML before it opened a `<script>`, a comment or a quote): the
/// texts on either side of it are then sanitised apart, each part again
/// as one fragment. Each part comes out whole, so markdown's output put
/// between two parts is safe as well; what it costs is an element around
/// that markdown, which is closed early.
fn sanitize_together(texts: &[&str], pieces: &mut Vec<String>) {
    match texts {
        [] => return,
        [text] => return pieces.push(clean(text)),
        _ => {}
    }
    let mut marked = String::with_capacity(texts.iter().map(|t| t.len() + 8).sum());
    for (n, text) in texts.iter().enumerate() {
        if n > 0 {
            marked.push(PLACE_OPEN);
            marked.push_str(&n.to_string());
            marked.push(PLACE_CLOSE);
        }
        marked.push_str(text);
    }
    let cleaned = clean(&marked);
    match split_at_marks(&cleaned, texts.len()) {
        Ok(split) => pieces.extend(split),
        Err(lost) => {
            let bounds: Vec<usize> = std::iter::once(0)
                .chain(lost)
                .chain([texts.len()])
                .collect();
            for part in bounds.windows(2) {
                sanitize_together(&texts[part[0]..part[1]], pieces);
            }
        }
    }
}

/// `cleaned` cut at its marks 1 to `count - 1`: one piece per text. Else
/// the marks between which the texts must be sanitised apart: those lost,
/// or all of them when some came back twice or out of order.
fn split_at_marks(cleaned: &str, count: usize) -> Result<Vec<String>, Vec<usize>> {
    let mut parts = cleaned.split(PLACE_OPEN);
    let mut pieces = vec![parts.next().unwrap_or_default().to_string()];
    let mut found = Vec::with_capacity(count);
    for part in parts {
        let mark = part
            .split_once(PLACE_CLOSE)
            .and_then(|(n, rest)| Some((n.parse::<usize>().ok()?, rest)));
        match mark {
            Some((n, rest)) if found.last().is_none_or(|&last| last < n) && n < count && n > 0 => {
                found.push(n);
                pieces.push(rest.to_string());
            }
            _ => return Err((1..count).collect()),
        }
    }
    if pieces.len() == count {
        return Ok(pieces);
    }
    Err((1..count)
        .filter(|n| found.binary_search(n).is_err())
        .collect())
}

fn clean(fragment: &str) -> String {
    POLICY.cleaner.clean(fragment).to_string()
}

/// The ids a body's raw HTML gives its page, which links may point at
/// (`#fn1`): each element's `id`, and `name` on `<a>`; under `Sanitize`
/// only on the elements the sanitiser keeps, under `Escape` none.
///
/// Fed each raw HTML event in order, through one tokenizer, so a tag
/// split over lines of an HTML block is read whole, and the text of a
/// `<script>` or a comment is not taken for tags.
pub(crate) struct Anchors {
    tokenizer: Tokenizer<IdSink>,
    input: BufferQueue,
}

struct IdSink {
    raw_html: RawHtml,
    ids: RefCell<Vec<String>>,
    /// Where the fragment being fed starts in the body.
    fragment: std::cell::Cell<usize>,
    links: RefCell<Vec<RawLink>>,
}

/// An address in raw HTML (`<a href>`, `<img src>`): checked like a
/// markdown link, though published as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawLink {
    /// Where the fragment holding its tag starts in the body.
    pub(crate) fragment: usize,
    pub(crate) dest: String,
    /// An image's (or a media element's) source: only a file can be meant.
    pub(crate) image: bool,
}

/// What a body's raw HTML gives its page.
#[derive(Debug, Default)]
pub(crate) struct RawFound {
    pub(crate) ids: Vec<String>,
    pub(crate) links: Vec<RawLink>,
}

impl Anchors {
    pub(crate) fn new(raw_html: RawHtml) -> Anchors {
        let sink = IdSink {
            raw_html,
            ids: RefCell::default(),
            fragment: std::cell::Cell::new(0),
            links: RefCell::default(),
        };
        Anchors {
            tokenizer: Tokenizer::new(sink, Default::default()),
            input: BufferQueue::default(),
        }
    }

    /// Reads the next fragment, which starts at byte `at` of the body.
    pub(crate) fn feed(&mut self, html: &str, at: usize) {
        self.tokenizer.sink.fragment.set(at);
        self.input.push_back(StrTendril::from_slice(html));
        // The sink never asks to stop for a script, so this reads it all.
        let _ = self.tokenizer.feed(&self.input);
    }

    /// The ids found, each once, and the addresses, in the order they came.
    pub(crate) fn finish(self) -> RawFound {
        self.tokenizer.end();
        let mut seen = HashSet::new();
        let mut ids = self.tokenizer.sink.ids.take();
        ids.retain(|id| seen.insert(id.clone()));
        RawFound {
            ids,
            links: self.tokenizer.sink.links.take(),
        }
    }
}

impl TokenSink for IdSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != StartTag {
            return TokenSinkResult::Continue;
        }
        let kept = match self.raw_html {
            RawHtml::Allow => true,
            RawHtml::Sanitize => POLICY.tags.contains(&*tag.name),
            // Shown as text: no element to point at.
            RawHtml::Escape => false,
        };
        if kept {
            self.ids.borrow_mut().extend(ids_of(&tag));
            let fragment = self.fragment.get();
            self.links
                .borrow_mut()
                .extend(links_of(&tag).map(|(dest, image)| RawLink {
                    fragment,
                    dest,
                    image,
                }));
        }
        // The states html5ever's tree builder would switch its tokenizer to.
        match &*tag.name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }
}

/// The addresses a tag links to or loads: `href` of `<a>`, `src` of
/// images and media.
fn links_of(tag: &Tag) -> impl Iterator<Item = (String, bool)> + '_ {
    let wanted = match &*tag.name {
        "a" | "area" => Some(("href", false)),
        "img" | "source" | "video" | "audio" | "track" => Some(("src", true)),
        _ => None,
    };
    tag.attrs.iter().filter_map(move |a| {
        let (attribute, image) = wanted?;
        (&*a.name.local == attribute && !a.value.trim().is_empty())
            .then(|| (a.value.trim().to_string(), image))
    })
}

fn ids_of(tag: &Tag) -> impl Iterator<Item = String> + '_ {
    tag.attrs
        .iter()
        .filter(|a| &*a.name.local == "id" || (&*a.name.local == "name" && &*tag.name == "a"))
        .map(|a| a.value.to_string())
        .filter(|id| !id.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sanitized(html: &str, raws: &[Range<usize>]) -> String {
        sanitize(html, raws).html
    }

    /// The ranges of each `needle` in `html`, in order.
    fn ranges(html: &str, needles: &[&str]) -> Vec<Range<usize>> {
        let mut from = 0;
        needles
            .iter()
            .map(|needle| {
                let at = from + html[from..].find(needle).expect(needle);
                from = at + needle.len();
                at..from
            })
            .collect()
    }

    #[test]
    fn elements_across_markdown_stay_whole_and_markdown_is_kept_byte_for_byte() {
        let html = "<details>\n<summary>More</summary>\n<p>Hidden <a href=\"\">x</a>.</p>\n</details>\n<p>a <span id=\"s\" onclick=\"x()\">b</span> c</p>\n";
        let raws = ranges(
            html,
            &[
                "<details>\n<summary>More</summary>\n",
                "</details>\n",
                "<span id=\"s\" onclick=\"x()\">",
                "</span>",
            ],
        );
        let out = sanitize(html, &raws);
        assert_eq!(
            out.html,
            "<details>\n<summary>More</summary>\n<p>Hidden <a href=\"\">x</a>.</p>\n</details>\n<p>a <span id=\"s\">b</span> c</p>\n"
        );
        let href = html.find("href=\"\"").unwrap() + 6;
        assert_eq!(out.position(href), out.html.find("href=\"\"").unwrap() + 6);
    }

    #[test]
    fn what_runs_code_goes_and_what_legacy_pages_need_stays() {
        let raw = "<script>alert(1)</script><style>p{}</style><iframe src=\"https://x\"></iframe>\
                   <img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">j</a>\
                   <a href=\"data:text/html,hi\">d</a><img src=\"data:image/png;base64,AA\" alt=\"p\">\
                   <form action=\"/x\"><input name=q></form>\
                   <table><tr><td><a name=\"fn1\">1</a></td></tr></table><h3 id=\"x\">X</h3>\
                   <kbd>K</kbd><sup>2</sup><figure><img src=\"a.png\" alt=\"A\" width=\"2\" height=\"3\"></figure>";
        let whole = 0..raw.len();
        let out = sanitized(raw, std::slice::from_ref(&whole));
        for gone in [
            "script",
            "alert",
            "style",
            "iframe",
            "onerror",
            "javascript",
            "text/html",
            "form",
            "input",
        ] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
        for kept in [
            "<img src=\"x\">",
            "<a>j</a>",
            "<img src=\"data:image/png;base64,AA\" alt=\"p\">",
            "<table><tbody><tr><td><a name=\"fn1\">1</a></td></tr></tbody></table>",
            "<h3 id=\"x\">X</h3>",
            "<kbd>K</kbd><sup>2</sup>",
            "<figure><img src=\"a.png\" alt=\"A\" width=\"2\" height=\"3\"></figure>",
        ] {
            assert!(out.contains(kept), "{kept} not in {out}");
        }
    }

    #[test]
    fn a_lost_mark_parts_the_raw_html_there_and_only_there() {
        let html = "<div><span>\n<p>a</p>\n</span><!--\n<p>shown</p>\n--><script>\n<p>too</p>\n</script>\
                    <em>\n<p>b</p>\n</em></div>";
        let raws = ranges(
            html,
            &[
                "<div><span>\n",
                "</span><!--\n",
                "--><script>\n",
                "</script><em>\n",
                "</em></div>",
            ],
        );
        assert_eq!(
            sanitized(html, &raws),
            "<div><span>\n<p>a</p>\n</span></div><p>shown</p>\n--&gt;<p>too</p>\n\
             <em>\n<p>b</p>\n</em>"
        );
    }

    #[test]
    fn markdown_never_lands_inside_an_attribute() {
        let markdown = "<p><a href=\"\">x</a> onmouseover=y</p>";
        let html = format!("<div title=\"{markdown}\">");
        let (open, close) = (12, 12 + markdown.len());
        let out = sanitized(&html, &[0..open, close..html.len()]);
        assert!(!out.contains("title"), "{out}");
        assert!(out.contains(markdown), "{out}");
    }

    fn anchors(raw_html: RawHtml, fragments: &[&str]) -> Vec<String> {
        let mut anchors = Anchors::new(raw_html);
        fragments.iter().for_each(|f| anchors.feed(f, 0));
        anchors.finish().ids
    }

    #[test]
    fn anchors_are_ids_and_names_of_links_that_the_page_will_have() {
        let fragments = [
            "<table>\n",
            "<tr><td><a name=\"fn1\">1</a> <span\n",
            "  id='s&amp;t'>x</span></td></tr>\n",
            "<!-- <a id=\"commented\"> -->",
            "<script>var s = '<a id=\"scripted\">';</script>",
            "<iframe id=\"frame\"></iframe><div name=\"not-a-link\" id=\"\"></div>",
            "<h3 id=x>X</h3><a name=\"fn1\">again</a>",
        ];
        assert_eq!(
            anchors(RawHtml::Allow, &fragments),
            ["fn1", "s&t", "frame", "x"]
        );
        assert_eq!(anchors(RawHtml::Sanitize, &fragments), ["fn1", "s&t", "x"]);
        assert!(anchors(RawHtml::Escape, &fragments).is_empty());
    }

    #[test]
    fn names_round_trip() {
        for raw_html in RawHtml::ALL {
            assert_eq!(RawHtml::from_name(raw_html.name()), Some(raw_html));
        }
        assert_eq!(RawHtml::from_name("sanitise"), None);
    }
}
