//! Internal links of the imported site, rewritten to what practica checks:
//! relative `.md` paths to documents, relative paths into `static/` for
//! files, wikilinks by slug. A link is found by the source file it names,
//! the old address it used (root-relative, relative, or the site's own
//! absolute address) or, in a vault, a note's name; anchors are mapped to
//! the heading ids practica gives. A link to nothing imported keeps its
//! text without the link, and says so.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag};

use super::source::{SourceSite, join, parent_of, stem_of};
use super::{Dest, Problem};
use crate::stages::link::{percent_decode, relative_path};
use crate::support::markdown::{self, heading_id};

/// What a link can go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A page, by its index in `SourceSite::pages`.
    Page(usize),
    /// A published file, by its index in `SourceSite::files`.
    File(usize),
}

/// Finds what a link of the old site goes to, and writes the new link.
pub(crate) struct Resolver<'a> {
    site: &'a SourceSite,
    dests: &'a [Option<Dest>],
    by_path: HashMap<String, Target>,
    by_url: HashMap<String, Target>,
    by_name: HashMap<String, Vec<Target>>,
    /// How many imported documents have each slug, over all sections: a
    /// wikilink names the section only when the slug is not enough.
    slugs: HashMap<String, usize>,
    /// The path part of the site's address (`/blog` for
    /// `https://example.org/blog/`), which root-relative links may start with.
    base_path: String,
    /// The site's own address, without its trailing `/`.
    base_url: Option<String>,
    /// Links name notes by file name alone (an Obsidian vault).
    by_name_fallback: bool,
}

/// What to do with one link.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Decision {
    Keep,
    /// The new destination, and a note when something was lost (an anchor).
    Rewrite(String, Option<Problem>),
    /// Keep the text, drop the link: it goes to nothing imported.
    Unwrap(Problem),
}

impl<'a> Resolver<'a> {
    pub(crate) fn new(site: &'a SourceSite, dests: &'a [Option<Dest>], by_name: bool) -> Self {
        let base_url = site
            .settings
            .base_url
            .as_deref()
            .map(|b| b.trim_end_matches('/').to_string());
        let base_path = base_url
            .as_deref()
            .and_then(|b| b.split_once("://"))
            .and_then(|(_, rest)| rest.find('/').map(|at| rest[at..].to_string()))
            .unwrap_or_default();
        let mut resolver = Resolver {
            site,
            dests,
            by_path: HashMap::new(),
            by_url: HashMap::new(),
            by_name: HashMap::new(),
            slugs: HashMap::new(),
            base_path,
            base_url,
            by_name_fallback: by_name,
        };
        resolver.index_pages();
        resolver.index_files();
        resolver
    }

    fn index_pages(&mut self) {
        for (index, page) in self.site.pages.iter().enumerate() {
            let target = Target::Page(index);
            self.by_path.insert(page.path.clone(), target);
            for url in &page.urls {
                self.by_url.entry(url_key(url)).or_insert(target);
            }
            let names = [stem_of(&page.path), page.stem.clone()];
            for name in names.iter().chain(aliases(page).iter()) {
                self.add_name(name, target);
            }
            if let Some(dest) = &self.dests[index] {
                *self.slugs.entry(dest.slug.clone()).or_default() += 1;
            }
        }
    }

    fn index_files(&mut self) {
        for (index, file) in self.site.files.iter().enumerate() {
            let target = Target::File(index);
            self.by_path.insert(file.path.clone(), target);
            self.by_url
                .entry(format!("/{}", file.url.to_lowercase()))
                .or_insert(target);
            let name = file.path.rsplit('/').next().unwrap_or(&file.path);
            self.add_name(name, target);
        }
    }

    /// Names are added page by page, so a repeat is always the last one.
    fn add_name(&mut self, name: &str, target: Target) {
        let names = self.by_name.entry(name.to_lowercase()).or_default();
        if names.last() != Some(&target) {
            names.push(target);
        }
    }

    /// The page or file at a path relative to the source root: as written,
    /// as a markdown file, or as a folder's own page.
    pub(crate) fn find_path(&self, path: &str) -> Option<Target> {
        let path = path.trim_end_matches('/');
        let tries = [
            path.to_string(),
            format!("{path}.md"),
            format!("{path}.markdown"),
            join(path, "index.md"),
            join(path, "_index.md"),
            join(path, "README.md"),
        ];
        tries.iter().find_map(|p| self.by_path.get(p).copied())
    }

    /// Pages and files known by a name (file name, stem, alias), any case.
    pub(crate) fn find_name(&self, name: &str) -> &[Target] {
        self.by_name
            .get(&name.to_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    /// The source path of a target.
    pub(crate) fn source_path(&self, target: Target) -> &str {
        match target {
            Target::Page(i) => &self.site.pages[i].path,
            Target::File(i) => &self.site.files[i].path,
        }
    }

    /// A link from page `from` to `target`, as a path relative to `from`'s
    /// source file: what engine link syntax (`ref`, `{% link %}`) becomes
    /// before the links are rewritten, so they resolve like any other.
    pub(crate) fn source_link(&self, from: usize, target: Target, anchor: Option<&str>) -> String {
        let path = relative_path(self.site.pages[from].dir(), self.source_path(target));
        let path = encode_path(&path);
        match anchor {
            Some(anchor) => format!("{path}#{anchor}"),
            None => path,
        }
    }

    /// Decides what a link destination of page `from` becomes.
    pub(crate) fn decide(&self, from: usize, dest: &str) -> Decision {
        let dest = dest.trim();
        if dest.is_empty() {
            return Decision::Keep;
        }
        let (path, anchor) = match dest.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() {
            return match anchor {
                Some(anchor) => self.anchor_only(from, anchor, dest),
                None => Decision::Keep,
            };
        }
        let local = match self.own_path(path) {
            Some(local) => local,
            None if is_external(path) => return Decision::Keep,
            None => path.to_string(),
        };
        match self.locate(from, &local) {
            Some(target) => self.link_to(from, target, anchor.map(percent_decode), dest),
            None => Decision::Unwrap(Problem::new(
                format!("link `{dest}` goes to no page or file of the site"),
                "its text is kept without the link; link it to a document or a file under static/"
                    .into(),
            )),
        }
    }

    /// A link on the site's own address, as a root-relative path.
    fn own_path(&self, path: &str) -> Option<String> {
        let base = self.base_url.as_deref()?;
        let strip = |base: &str| {
            let rest = path.strip_prefix(base)?;
            (rest.is_empty() || rest.starts_with('/'))
                .then(|| format!("/{}", rest.trim_start_matches('/')))
        };
        strip(base).or_else(|| {
            // http and https, with or without `www.`, are the same site.
            let (_, host_path) = base.split_once("://")?;
            let bare = host_path.strip_prefix("www.").unwrap_or(host_path);
            [
                "http://",
                "https://",
                "http://www.",
                "https://www.",
                "//",
                "//www.",
            ]
            .iter()
            .find_map(|scheme| strip(&format!("{scheme}{bare}")))
        })
    }

    /// What a path (without its anchor) goes to, tried as the engines
    /// write links: a Zola `@/` path, an address on the old site, a file
    /// relative to this page, a file from the content folder, a note's name.
    fn locate(&self, from: usize, path: &str) -> Option<Target> {
        let page = &self.site.pages[from];
        let decoded = percent_decode(path);
        if let Some(content) = decoded.strip_prefix("@/") {
            return self.find_path(&join(&self.site.content_dir, content));
        }
        if decoded.starts_with('/') {
            return self.by_address(&decoded).or_else(|| {
                let inside = decoded.trim_start_matches('/');
                self.find_path(&join(&self.site.content_dir, inside))
                    .or_else(|| self.find_path(inside))
            });
        }
        let relative = normalize(page.dir(), &decoded).and_then(|p| self.find_path(&p));
        relative
            .or_else(|| {
                let url = page.urls.first()?;
                let base = if url.ends_with('/') {
                    url.as_str()
                } else {
                    parent_of(url)
                };
                self.by_address(&format!("/{}", normalize(base, &decoded)?))
            })
            .or_else(|| {
                let in_content = normalize(&self.site.content_dir, &decoded)?;
                self.find_path(&in_content)
            })
            .or_else(|| self.by_file_name(&decoded))
    }

    /// A root-relative address of the old site, with or without the
    /// site's sub-path.
    fn by_address(&self, address: &str) -> Option<Target> {
        let under_base = (!self.base_path.is_empty())
            .then(|| address.strip_prefix(&self.base_path))
            .flatten()
            .filter(|rest| rest.is_empty() || rest.starts_with('/'));
        [Some(address), under_base]
            .into_iter()
            .flatten()
            .find_map(|address| {
                let address = if address.is_empty() { "/" } else { address };
                self.by_url
                    .get(&address.to_lowercase())
                    .or_else(|| self.by_url.get(&url_key(address)))
                    .copied()
            })
    }

    /// A vault's notes are linked by file name wherever they are.
    fn by_file_name(&self, path: &str) -> Option<Target> {
        if !self.by_name_fallback {
            return None;
        }
        let name = path.rsplit('/').next()?;
        let stem = name.strip_suffix(".md").unwrap_or(name);
        match self.find_name(stem) {
            [one] => Some(*one),
            _ => None,
        }
    }

    fn anchor_only(&self, from: usize, anchor: &str, dest: &str) -> Decision {
        let decoded = percent_decode(anchor);
        match self.map_anchor(from, &decoded) {
            Some(id) if id == anchor => Decision::Keep,
            Some(id) => Decision::Rewrite(format!("#{id}"), None),
            None => Decision::Unwrap(Problem::new(
                format!("link `{dest}` goes to no heading of this page"),
                "its text is kept without the link; link it to a heading's id".into(),
            )),
        }
    }

    /// The link to an imported page or file, relative to `from`'s new place.
    pub(crate) fn link_to(
        &self,
        from: usize,
        target: Target,
        anchor: Option<String>,
        written: &str,
    ) -> Decision {
        let Some(here) = &self.dests[from] else {
            return Decision::Keep;
        };
        let (to, page) = match target {
            Target::File(i) => (format!("static/{}", self.site.files[i].url), None),
            Target::Page(i) => match self.imported(from, i, &format!("link `{written}`")) {
                Ok(there) => (there.path.clone(), Some(i)),
                Err(problem) => return Decision::Unwrap(problem),
            },
        };
        let href = encode_path(&relative_path(parent_of(&here.path), &to));
        match (anchor.filter(|a| !a.is_empty()), page) {
            (Some(anchor), Some(page)) => {
                let what = format!("link `{written}`");
                match self.anchor_on(page, &anchor, &what) {
                    Ok(id) => Decision::Rewrite(format!("{href}#{id}"), None),
                    Err(problem) => Decision::Rewrite(href, Some(problem)),
                }
            }
            _ => Decision::Rewrite(href, None),
        }
    }

    /// Where page `page` went, if a link from `from` may go there: it is
    /// imported, and not a draft unless `from` is one too.
    fn imported(&self, from: usize, page: usize, what: &str) -> Result<&Dest, Problem> {
        let kept = "its text is kept without the link";
        match &self.dests[page] {
            None => Err(Problem::new(
                format!(
                    "{what} goes to {}, which is not imported",
                    self.site.pages[page].path
                ),
                kept.into(),
            )),
            Some(there) if there.draft && !self.dests[from].as_ref().is_some_and(|d| d.draft) => {
                Err(Problem::new(
                    format!("{what} goes to a draft, which a build leaves out"),
                    format!("{kept}; link {} again once it is published", there.path),
                ))
            }
            Some(there) => Ok(there),
        }
    }

    /// `map_anchor`, or why the link loses its anchor.
    fn anchor_on(&self, page: usize, anchor: &str, what: &str) -> Result<String, Problem> {
        let hint = match anchor.starts_with('^') {
            true => "a block reference, which practica has not: the link goes to the page",
            false => {
                "the link goes to the page, without the anchor (practica's anchors are headings)"
            }
        };
        self.map_anchor(page, anchor).ok_or_else(|| {
            let path = &self.site.pages[page].path;
            Problem::new(
                format!("{what}: `#{anchor}` is not a heading of {path}"),
                hint.into(),
            )
        })
    }

    /// The id practica gives the heading an anchor of the old site meant:
    /// the same id, the id of a heading written that way (`#Heading Text`
    /// in a vault), or the one heading that matches ignoring punctuation.
    pub(crate) fn map_anchor(&self, page: usize, anchor: &str) -> Option<String> {
        let headings = &self.dests[page].as_ref()?.headings;
        if headings.iter().any(|h| h.id == anchor) || is_footnote(anchor) {
            return Some(anchor.to_string());
        }
        let as_heading = heading_id(anchor);
        if let Some(h) = headings.iter().find(|h| h.id == as_heading) {
            return Some(h.id.clone());
        }
        let loose = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let wanted = loose(anchor);
        let mut near = headings
            .iter()
            .filter(|h| loose(&h.id) == wanted || loose(&h.text) == wanted);
        match (near.next(), near.next()) {
            (Some(h), None) => Some(h.id.clone()),
            _ => None,
        }
    }

    /// A wikilink of a vault (`[[Note]]`, `[[Note#Heading|text]]`), as
    /// practica writes it: by slug, naming the section when the slug is
    /// not enough, or a wanted page when no note has that name.
    fn wikilink(&self, from: usize, dest: &str, text: Option<&str>) -> (String, Option<Problem>) {
        let (name, anchor) = match dest.split_once('#') {
            Some((name, anchor)) => (name.trim(), anchor.trim()),
            None => (dest.trim(), ""),
        };
        let what = format!("`[[{dest}]]`");
        if name.is_empty() {
            let label = text.unwrap_or(anchor);
            return match self.map_anchor(from, anchor) {
                Some(id) => (format!("[{label}](#{id})"), None),
                None => (
                    label.to_string(),
                    Some(Problem::new(
                        format!("{what} goes to no heading of this page"),
                        "its text is kept without the link".into(),
                    )),
                ),
            };
        }
        let Some(Target::Page(page)) = self.note(from, name) else {
            return (format!("[[?{}]]", text.unwrap_or(name)), None);
        };
        let there = match self.imported(from, page, &what) {
            Ok(there) => there,
            Err(problem) => return (text.unwrap_or(name).to_string(), Some(problem)),
        };
        let target = match self.slugs.get(&there.slug) {
            Some(1) => there.slug.clone(),
            _ => format!("{}/{}", there.kind.section(), there.slug),
        };
        let (anchor, note) = match anchor {
            "" => (String::new(), None),
            anchor => match self.anchor_on(page, anchor, &what) {
                Ok(id) => (format!("#{id}"), None),
                Err(problem) => (String::new(), Some(problem)),
            },
        };
        let shown = text.map(|t| format!("|{t}")).unwrap_or_default();
        (format!("[[{target}{anchor}{shown}]]"), note)
    }

    /// The note or file a vault link names: by path from the vault root or
    /// this note's folder, else by file name (the nearest when several share it).
    fn note(&self, from: usize, name: &str) -> Option<Target> {
        let name = name.strip_suffix(".md").unwrap_or(name);
        let here = self.site.pages[from].dir();
        if name.contains('/') {
            let found = normalize(here, name)
                .and_then(|p| self.find_path(&p))
                .or_else(|| self.find_path(name));
            if found.is_some() {
                return found;
            }
        }
        let file_name = name.rsplit('/').next().unwrap_or(name);
        let candidates = self.find_name(file_name);
        candidates
            .iter()
            .find(|t| parent_of(self.source_path(**t)) == here)
            .or_else(|| {
                candidates
                    .iter()
                    .min_by_key(|t| self.source_path(**t).len())
            })
            .copied()
    }
}

/// Other names a page answers to (`aliases:` of a vault note).
fn aliases(page: &super::source::SourcePage) -> Vec<String> {
    match page.front.get("aliases").map(|e| &e.value) {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .filter(|a| !a.starts_with('/'))
            .collect(),
        Some(serde_json::Value::String(alias)) if !alias.starts_with('/') => vec![alias.clone()],
        _ => Vec::new(),
    }
}

pub(crate) use crate::stages::link::{is_external, is_footnote};

/// One key per page for its old addresses: `/Posts/Hello.html`,
/// `/posts/hello/` and `/posts/hello/index.html` are the same page.
pub(crate) fn url_key(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let path = percent_decode(path).to_lowercase();
    let path = path
        .trim_end_matches("index.html")
        .trim_end_matches("index.htm");
    let path = path
        .strip_suffix(".html")
        .or_else(|| path.strip_suffix(".htm"))
        .unwrap_or(path);
    let path = path.trim_matches('/');
    if path.is_empty() {
        "/".into()
    } else {
        format!("/{path}/")
    }
}

pub(crate) use crate::stages::link::normalize;

/// A path as a markdown link destination: what would end or confuse it
/// is percent-encoded (practica decodes it again).
pub(crate) fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            '%' => out.push_str("%25"),
            '"' => out.push_str("%22"),
            c => out.push(c),
        }
    }
    out
}

/// A replacement of a range of the text.
#[derive(Debug)]
pub(crate) struct Edit {
    pub(crate) range: Range<usize>,
    pub(crate) with: String,
}

/// Applies edits that do not overlap (an overlapping one is dropped).
pub(crate) fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        if edit.range.start < at || edit.range.end > text.len() {
            continue;
        }
        out.push_str(&text[at..edit.range.start]);
        out.push_str(&edit.with);
        at = edit.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Rewrites every link of a body for page `from`. `vault` reads
/// `[[wikilinks]]` as a vault's links to notes; other engines read
/// CommonMark, where `[[…]]` is text (or a link's bracketed text), which
/// is then escaped so practica does not read a wikilink there either.
pub(crate) fn rewrite(
    text: &str,
    from: usize,
    resolver: &Resolver,
    vault: bool,
) -> (String, Vec<Problem>) {
    let mut pass = Pass {
        text,
        from,
        resolver,
        edits: Vec::new(),
        problems: Vec::new(),
        open_anchor: None,
    };
    let options = match vault {
        true => markdown::options(),
        false => markdown::options() - Options::ENABLE_WIKILINKS,
    };
    let parser = Parser::new_ext(text, options);
    let definitions = pass.definitions(&parser);
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => pass.link(link_type, &dest_url, range, false, vault, &definitions),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) => pass.link(link_type, &dest_url, range, true, vault, &definitions),
            Event::InlineHtml(html) | Event::Html(html) => pass.html(&html, range),
            Event::End(pulldown_cmark::TagEnd::Paragraph) => pass.unclosed_anchor(),
            _ => {}
        }
    }
    pass.unclosed_anchor();
    let rewritten = apply(text, pass.edits);
    match vault {
        true => (rewritten, pass.problems),
        false => (escape_wikilinks(&rewritten), pass.problems),
    }
}

/// `[[text]]` as practica's reader would take for a wikilink, written
/// `[\[text\]]`: the same text, and `[\[text\]](url)` the same link.
fn escape_wikilinks(text: &str) -> String {
    let edits = Parser::new_ext(text, markdown::options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                ..
            }) => {
                let inner = text.get(range.start + 2..range.end.checked_sub(2)?)?;
                Some(Edit {
                    with: format!("[\\[{inner}\\]]"),
                    range,
                })
            }
            _ => None,
        })
        .collect();
    apply(text, edits)
}

struct Pass<'t, 'r> {
    text: &'t str,
    from: usize,
    resolver: &'r Resolver<'r>,
    edits: Vec<Edit>,
    problems: Vec<Problem>,
    /// A raw `<a href>` whose `</a>` has not come yet: its tag and what
    /// its link becomes.
    open_anchor: Option<(Range<usize>, Decision)>,
}

impl Pass<'_, '_> {
    /// Reference definitions (`[label]: /url`) rewritten once; links that
    /// use one whose target is gone are unwrapped where they are.
    fn definitions(&mut self, parser: &Parser) -> HashMap<String, Decision> {
        let mut decisions = HashMap::new();
        for (label, definition) in parser.reference_definitions().iter() {
            let decision = self.resolver.decide(self.from, &definition.dest);
            let span = definition.span.clone();
            match &decision {
                Decision::Rewrite(new, note) => {
                    if let Some(range) = dest_in(self.text, span.clone(), &definition.dest, true) {
                        self.edits.push(Edit {
                            range,
                            with: new.clone(),
                        });
                    }
                    self.note(span.start, note.clone());
                }
                Decision::Unwrap(problem) => self.note(span.start, Some(problem.clone())),
                Decision::Keep => {}
            }
            decisions.insert(label.to_lowercase(), decision);
        }
        decisions
    }

    fn note(&mut self, at: usize, problem: Option<Problem>) {
        if let Some(mut problem) = problem {
            problem.at = at;
            self.problems.push(problem);
        }
    }

    fn link(
        &mut self,
        link_type: LinkType,
        dest: &CowStr,
        range: Range<usize>,
        image: bool,
        vault: bool,
        definitions: &HashMap<String, Decision>,
    ) {
        match link_type {
            LinkType::WikiLink { has_pothole } if vault => self.wikilink(range, image, has_pothole),
            LinkType::WikiLink { .. } => {}
            LinkType::Inline => {
                let decision = self.resolver.decide(self.from, dest);
                self.apply_inline(decision, range, dest, image);
            }
            LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => {
                let raw = &self.text[range.clone()];
                let label = reference_label(raw, link_type);
                if let Some(Decision::Unwrap(_)) = definitions.get(&label.to_lowercase()) {
                    self.unwrap(range, image, link_type);
                }
            }
            LinkType::Autolink => {
                if let Decision::Rewrite(new, note) = self.resolver.decide(self.from, dest) {
                    let with = format!("[{}]({new})", dest);
                    self.note(range.start, note);
                    self.edits.push(Edit { range, with });
                }
            }
            _ => {}
        }
    }

    fn apply_inline(&mut self, decision: Decision, range: Range<usize>, dest: &str, image: bool) {
        match decision {
            Decision::Keep => {}
            Decision::Rewrite(new, note) => {
                self.note(range.start, note);
                match dest_in(self.text, range.clone(), dest, false) {
                    Some(at) => self.edits.push(Edit {
                        range: at,
                        with: new,
                    }),
                    None => self.problems.push(Problem::at(
                        range.start,
                        format!("link `{dest}` could not be rewritten"),
                        format!("write it as `{new}`"),
                    )),
                }
            }
            Decision::Unwrap(problem) => {
                self.note(range.start, Some(problem));
                self.unwrap(range, image, LinkType::Inline);
            }
        }
    }

    /// Leaves a link's text and drops the link around it: `[text](x)` → `text`.
    fn unwrap(&mut self, range: Range<usize>, image: bool, link_type: LinkType) {
        let raw = &self.text[range.clone()];
        let open = if image { 2 } else { 1 };
        let text_end = match link_type {
            LinkType::Inline => last_text_end(raw),
            LinkType::Collapsed => raw.len().checked_sub(3),
            LinkType::Shortcut => raw.len().checked_sub(1),
            _ => raw.rfind("]["),
        };
        let Some(text_end) = text_end.filter(|&e| e >= open) else {
            return;
        };
        self.edits.push(Edit {
            range: range.start..range.start + open,
            with: String::new(),
        });
        self.edits.push(Edit {
            range: range.start + text_end..range.end,
            with: String::new(),
        });
    }

    fn wikilink(&mut self, range: Range<usize>, embed: bool, has_text: bool) {
        let raw = &self.text[range.clone()];
        let inner = raw
            .trim_start_matches('!')
            .trim_start_matches("[[")
            .trim_end_matches("]]");
        let (dest, text) = match inner.split_once('|') {
            Some((dest, text)) if has_text => (dest, Some(text.trim())),
            _ => (inner, None),
        };
        let (with, problem) = if embed {
            self.embed(dest.trim(), text)
        } else {
            self.resolver.wikilink(self.from, dest, text)
        };
        self.note(range.start, problem);
        self.edits.push(Edit { range, with });
    }

    /// `![[picture.png]]` is an image; `![[Note]]` shows a note inside
    /// this one, which practica cannot: it becomes a link to it.
    fn embed(&self, dest: &str, text: Option<&str>) -> (String, Option<Problem>) {
        let name = dest.split('#').next().unwrap_or(dest).trim();
        match self.resolver.note(self.from, name) {
            Some(Target::File(file)) => {
                let alt = text
                    .filter(|t| !t.chars().all(|c| c.is_ascii_digit() || c == 'x'))
                    .map_or_else(|| stem_of(name), str::to_string);
                match self
                    .resolver
                    .link_to(self.from, Target::File(file), None, dest)
                {
                    Decision::Rewrite(href, _) => (format!("![{alt}]({href})"), None),
                    _ => (alt, None),
                }
            }
            Some(Target::Page(_)) => {
                let (link, note) = self.resolver.wikilink(self.from, dest, text);
                let problem = note.unwrap_or_else(|| {
                    Problem::new(
                        format!(
                            "`![[{dest}]]` shows a note inside this one, which practica cannot"
                        ),
                        "it became a link to the note; copy the text in if it belongs here".into(),
                    )
                });
                (link, Some(problem))
            }
            None => (
                text.unwrap_or(name).to_string(),
                Some(Problem::new(
                    format!("`![[{dest}]]` embeds no file or note of the vault"),
                    "its name is kept as text".into(),
                )),
            ),
        }
    }

    /// Raw HTML: an `<img>` alone, or an inline `<a href>…</a>`, with an
    /// internal address becomes markdown, which practica checks and
    /// rewrites; one it cannot convert is reported.
    fn html(&mut self, html: &str, range: Range<usize>) {
        let tag = html.trim();
        if tag.eq_ignore_ascii_case("</a>") {
            if let Some((open, decision)) = self.open_anchor.take() {
                let close = range.start + (html.len() - html.trim_start().len());
                let close = close..close + 4;
                self.close_anchor(open, close, decision);
            }
            return;
        }
        let Some(name) = tag_name(tag) else { return };
        let is_single = tag.starts_with('<') && tag.ends_with('>') && tag[1..].find('<').is_none();
        match (name.as_str(), is_single) {
            ("img", true) => {
                self.html_image(tag, range.start + (html.len() - html.trim_start().len()))
            }
            ("a", true) if attribute(tag, "href").is_some() => {
                self.unclosed_anchor();
                let href = attribute(tag, "href").unwrap_or_default();
                let decision = self.resolver.decide(self.from, &href);
                if decision != Decision::Keep {
                    let start = range.start + (html.len() - html.trim_start().len());
                    self.open_anchor = Some((start..start + tag.len(), decision));
                }
            }
            _ => self.html_report(html, range.start),
        }
    }

    fn html_image(&mut self, tag: &str, start: usize) {
        let src = attribute(tag, "src").unwrap_or_default();
        let alt = attribute(tag, "alt").unwrap_or_default();
        let range = start..start + tag.len();
        match self.resolver.decide(self.from, &src) {
            Decision::Keep => {}
            Decision::Rewrite(new, note) => {
                self.note(start, note);
                let alt = alt.replace(['[', ']'], "");
                self.edits.push(Edit {
                    range,
                    with: format!("![{alt}]({new})"),
                });
            }
            Decision::Unwrap(problem) => {
                self.note(start, Some(problem));
                self.edits.push(Edit { range, with: alt });
            }
        }
    }

    fn close_anchor(&mut self, open: Range<usize>, close: Range<usize>, decision: Decision) {
        match decision {
            Decision::Keep => {}
            Decision::Rewrite(new, note) => {
                self.note(open.start, note);
                self.edits.push(Edit {
                    range: open,
                    with: "[".into(),
                });
                self.edits.push(Edit {
                    range: close,
                    with: format!("]({new})"),
                });
            }
            Decision::Unwrap(problem) => {
                self.note(open.start, Some(problem));
                self.edits.push(Edit {
                    range: open,
                    with: String::new(),
                });
                self.edits.push(Edit {
                    range: close,
                    with: String::new(),
                });
            }
        }
    }

    /// An `<a href>` whose `</a>` is not in the same paragraph.
    fn unclosed_anchor(&mut self) {
        if let Some((open, _)) = self.open_anchor.take() {
            self.problems.push(Problem::at(
                open.start,
                "a raw HTML link to a page of the site is not closed in its paragraph, so it was not converted".into(),
                "write it as a markdown link, `[text](../section/page.md)`".into(),
            ));
        }
    }

    /// HTML that holds an internal address but is more than one tag.
    fn html_report(&mut self, html: &str, start: usize) {
        for name in ["href", "src"] {
            let mut rest = html;
            let mut offset = 0;
            while let Some(at) = find_attribute(rest, name) {
                let value = attribute(&rest[at..], name).unwrap_or_default();
                let decision = self.resolver.decide(self.from, &value);
                if decision != Decision::Keep {
                    self.problems.push(Problem::at(
                        start + offset + at,
                        format!("raw HTML links to `{value}`, and was kept as written"),
                        "write it as a markdown link or image so practica can check it and give it the page's new address".into(),
                    ).kept());
                }
                offset += at + name.len();
                rest = &rest[at + name.len()..];
            }
        }
    }
}

/// Where the destination `dest` is written in a link's text (an inline
/// link's `(…)` or a definition's), searched from the end so a `](` in the
/// link's text does not mislead.
fn dest_in(text: &str, range: Range<usize>, dest: &str, definition: bool) -> Option<Range<usize>> {
    let raw = &text[range.clone()];
    let openers: Vec<usize> = if definition {
        raw.find("]:").map(|at| at + 2).into_iter().collect()
    } else {
        raw.rmatch_indices("](").map(|(at, _)| at + 2).collect()
    };
    for start in openers {
        let after = &raw[start..];
        let skipped = after.len() - after.trim_start().len();
        let mut at = start + skipped;
        let angle = raw[at..].starts_with('<');
        if angle {
            at += 1;
        }
        let end = if angle {
            raw[at..].find('>').map(|e| at + e)
        } else {
            Some(at + bare_dest_len(&raw[at..]))
        }?;
        if unescape(&raw[at..end]) == dest {
            return Some(range.start + at..range.start + end);
        }
    }
    None
}

/// A bare destination ends at whitespace or at the `)` that closes it
/// (parentheses inside it balance).
fn bare_dest_len(text: &str) -> usize {
    let mut depth = 0;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '(' => depth += 1,
            ')' if depth == 0 => return i,
            ')' => depth -= 1,
            c if c.is_whitespace() => return i,
            _ => {}
        }
    }
    text.len()
}

fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    out.replace("&amp;", "&")
}

/// Where the text of an inline link ends: at the `](` before its destination.
fn last_text_end(raw: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut escaped = false;
    for (i, c) in raw.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => depth += 1,
            ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && raw[i..].starts_with("](") {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The label a reference link uses: `[text][label]`, `[label][]`, `[label]`.
fn reference_label(raw: &str, link_type: LinkType) -> String {
    let inner = match link_type {
        LinkType::Reference => raw
            .rfind("][")
            .and_then(|at| raw.get(at + 2..raw.len().saturating_sub(1)))
            .unwrap_or(""),
        LinkType::Collapsed => raw.get(1..raw.len().saturating_sub(3)).unwrap_or(""),
        _ => raw.get(1..raw.len().saturating_sub(1)).unwrap_or(""),
    };
    inner.trim_start_matches('[').trim().to_string()
}

/// The lower-case name of an HTML start tag.
fn tag_name(tag: &str) -> Option<String> {
    let rest = tag.strip_prefix('<')?;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    (!name.is_empty()).then(|| name.to_lowercase())
}

/// Where `name=` starts as an attribute of a tag text.
fn find_attribute(tag: &str, name: &str) -> Option<usize> {
    let lower = tag.to_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name) {
        let at = from + at;
        let before = lower[..at].chars().last();
        let after = lower[at + name.len()..].trim_start();
        if before.is_some_and(char::is_whitespace) && after.starts_with('=') {
            return Some(at);
        }
        from = at + name.len();
    }
    None
}

/// The value of an attribute of a tag (quoted with `"` or `'`, or bare).
pub(crate) fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = find_attribute(tag, name)?;
    let rest = tag[at + name.len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let value = match rest.chars().next()? {
        quote @ ('"' | '\'') => rest[1..].split(quote).next()?,
        _ => rest
            .split(|c: char| c.is_whitespace() || c == '>')
            .next()?
            .trim_end_matches('/'),
    };
    Some(value.replace("&amp;", "&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_of_one_page_share_a_key() {
        for url in [
            "/Posts/Hello.html",
            "/posts/hello/",
            "/posts/hello/index.html",
            "/posts/hello",
        ] {
            assert_eq!(url_key(url), "/posts/hello/", "{url}");
        }
        assert_eq!(url_key("/"), "/");
        assert_eq!(url_key("/index.html"), "/");
    }

    #[test]
    fn destinations_are_found_in_link_text() {
        let text = "see [a](b) and [x](<c d> \"t\") and [e](f(g))";
        let at = |dest: &str| {
            let start = text
                .find(&format!("]({}", dest.split(' ').next().unwrap()))
                .or_else(|| text.find(&format!("](<{dest}")))
                .unwrap();
            dest_in(
                text,
                text[..start].rfind('[').unwrap()..text.len(),
                dest,
                false,
            )
            .map(|r| &text[r])
        };
        assert_eq!(at("b"), Some("b"));
        assert_eq!(at("c d"), Some("c d"));
        assert_eq!(at("f(g)"), Some("f(g)"));
    }

    #[test]
    fn attributes_are_read_in_any_quoting() {
        assert_eq!(
            attribute(r#"<img src="/a.png" alt='An A'>"#, "src").as_deref(),
            Some("/a.png")
        );
        assert_eq!(
            attribute(r#"<img src="/a.png" alt='An A'>"#, "alt").as_deref(),
            Some("An A")
        );
        assert_eq!(
            attribute("<img src=/b.png/>", "src").as_deref(),
            Some("/b.png")
        );
        assert_eq!(attribute("<img data-src='x'>", "src"), None);
    }

    #[test]
    fn brackets_that_practica_would_read_as_wikilinks_are_escaped() {
        assert_eq!(escape_wikilinks("a [[b]] c"), "a [\\[b\\]] c");
        assert_eq!(
            escape_wikilinks("[[b]](https://x.org)"),
            "[\\[b\\]](https://x.org)"
        );
        assert_eq!(escape_wikilinks("`[[b]]`"), "`[[b]]`");
    }

    #[test]
    fn edits_apply_in_order() {
        let edits = vec![
            Edit {
                range: 4..5,
                with: "B".into(),
            },
            Edit {
                range: 0..1,
                with: "".into(),
            },
        ];
        assert_eq!(apply("[ab]cd", edits), "ab]Bd");
    }
}
