//! Each imported page's text: its front matter mapped to practica's keys
//! (checked by the same reader `check` uses, so what it writes reads back
//! without errors), its body converted and its links rewritten; then the
//! member profiles its authors need and `community.yaml` with the tags found.

use std::collections::BTreeMap;
use std::path::Path;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use serde_json::Value;

use super::links::{self, Resolver};
use super::source::{Entry, SourcePage, SourceSite, scalar_text};
use super::{BodyContext, Converted, Dest, Engine, at_body, located};
use crate::model::document::Kind;
use crate::stages::config::title_from_slug;
use crate::stages::load;
use crate::support::diagnostic::{Diagnostic, Span};
use crate::support::markdown;

/// Keys of other engines that decide how or where a page is published,
/// which practica decides itself: dropped, each with the reason.
const DROPPED: &[(&str, &str)] = &[
    (
        "layout",
        "practica picks the template by the document's kind",
    ),
    (
        "template",
        "practica picks the template by the document's kind",
    ),
    (
        "page_template",
        "practica picks the template by the document's kind",
    ),
    ("type", "practica picks the template by the document's kind"),
    (
        "permalink",
        "a document's address is /SECTION/SLUG/; links to the old address were rewritten",
    ),
    (
        "url",
        "a document's address is /SECTION/SLUG/; links to the old address were rewritten",
    ),
    (
        "path",
        "a document's address is /SECTION/SLUG/; links to the old address were rewritten",
    ),
    (
        "aliases",
        "practica has no redirects; links to these addresses were rewritten",
    ),
    (
        "redirect_from",
        "practica has no redirects; links to these addresses were rewritten",
    ),
    ("redirect_to", "practica has no redirects"),
    ("weight", "practica orders lists by date"),
    ("nav_order", "practica orders lists by date"),
    ("menu", "practica makes its own navigation"),
    ("menus", "practica makes its own navigation"),
    ("nav_exclude", "practica makes its own navigation"),
    ("has_children", "practica makes its own navigation"),
    ("linktitle", "practica makes its own navigation"),
    (
        "toc",
        "practica gives a table of contents to pages with three or more headings",
    ),
    ("comments", "practica has no comments"),
    ("sort_by", "practica makes section pages itself"),
    ("paginate_by", "practica makes section pages itself"),
    ("paginate_path", "practica makes section pages itself"),
    ("transparent", "practica makes section pages itself"),
    ("cascade", "front matter is not inherited in practica"),
    (
        "insert_anchor_links",
        "every heading has an anchor in practica",
    ),
    ("in_search_index", "every published document is searchable"),
    ("search_exclude", "every published document is searchable"),
    ("sitemap", "every published document is in the sitemap"),
    ("render", "every document is rendered"),
    ("build", "every document is rendered"),
    ("_build", "every document is rendered"),
    ("headless", "every document is rendered"),
    ("outputs", "practica writes one HTML page per document"),
    ("markup", "documents are CommonMark"),
    ("publishdate", "publish a document by removing `draft`"),
    (
        "expirydate",
        "retire a document by deleting it or with `status: retired` on a practice",
    ),
    ("generate_feeds", "practica writes one feed for the site"),
    (
        "excerpt_separator",
        "the summary is `summary`, else the first paragraph",
    ),
    ("cssclasses", "the theme styles every page"),
    ("cssclass", "the theme styles every page"),
    ("publish", "every document not marked `draft` is published"),
];

/// A page's title: its front matter's, else (in a vault) its file name,
/// else its first heading, else a navigation title or its file name.
/// `true` when it was the first heading, which the page then drops.
pub(crate) fn title(page: &SourcePage) -> (String, bool) {
    if let Some(title) = page.front.string("title").filter(|t| !t.is_empty()) {
        return (title, false);
    }
    if page.name_is_title && !page.stem.is_empty() {
        return (page.stem.clone(), false);
    }
    if let Some((_, heading)) = first_heading(&page.body) {
        return (heading, true);
    }
    let name = page
        .nav_title
        .clone()
        .unwrap_or_else(|| title_from_slug(&page.stem.replace('_', "-")));
    let name = if name.is_empty() { "Home".into() } else { name };
    (name, false)
}

/// The body's first block when it is a level-1 heading: its range and text.
fn first_heading(body: &str) -> Option<(std::ops::Range<usize>, String)> {
    let mut events = Parser::new_ext(body, markdown::options()).into_offset_iter();
    let (first, range) = events.next()?;
    if !matches!(
        first,
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        })
    ) {
        return None;
    }
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::End(TagEnd::Heading(_)) => break,
            _ => {}
        }
    }
    let text = text.trim().to_string();
    (!text.is_empty()).then_some((range, text))
}

/// A draft in its engine's terms: `draft: true`, `published: false`, or
/// in a drafts folder.
pub(crate) fn is_draft(page: &SourcePage) -> bool {
    let flag = |key: &str| page.front.get(key).and_then(|e| as_bool(&e.value));
    page.draft_folder || flag("draft") == Some(true) || flag("published") == Some(false)
}

fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A tag found on a page, for the domain map.
#[derive(Debug, Clone)]
struct TagFound {
    slug: String,
    title: String,
    parent: Option<String>,
}

/// Everything `import` writes, and the report lines of what it could not convert.
pub(crate) fn convert(
    engine: Engine,
    site: &SourceSite,
    dests: &[Option<Dest>],
    resolver: &Resolver,
    leftovers: &mut Vec<Diagnostic>,
) -> Converted {
    let mut texts = Vec::new();
    let mut tags: BTreeMap<String, TagFound> = BTreeMap::new();
    let mut authors: BTreeMap<String, String> = BTreeMap::new();
    for index in 0..site.pages.len() {
        let Some(dest) = &dests[index] else { continue };
        let cx = BodyContext {
            page: index,
            site,
            resolver,
        };
        let page_out = convert_page(engine, &cx, dest, dests);
        leftovers.extend(page_out.leftovers);
        for tag in page_out.tags {
            tags.entry(tag.slug.clone()).or_insert(tag);
        }
        for (slug, name) in page_out.authors {
            authors.entry(slug).or_insert(name);
        }
        texts.push((dest.path.clone(), page_out.text));
    }
    let members_started = start_members(&authors, dests, &mut texts);
    let tags: Vec<TagFound> = with_parents(tags);
    texts.push(("community.yaml".into(), community_yaml(engine, site, &tags)));
    Converted {
        texts,
        statics: statics(site, leftovers),
        members_started,
        tags: tags.into_iter().map(|t| t.slug).collect(),
    }
}

struct PageOut {
    text: String,
    leftovers: Vec<Diagnostic>,
    tags: Vec<TagFound>,
    authors: Vec<(String, String)>,
}

fn convert_page(engine: Engine, cx: &BodyContext, dest: &Dest, dests: &[Option<Dest>]) -> PageOut {
    let page = &cx.site.pages[cx.page];
    let body = engine.body(&page.body, cx);
    let converted = without_title_heading(&body.text, dest);
    let (text, link_problems) =
        links::rewrite(&converted, cx.page, cx.resolver, engine == Engine::Obsidian);
    let mut kept: Vec<(Span, Diagnostic)> = Vec::new();
    let mut leftovers = Vec::new();
    let problems = located(&body.problems, &page.body)
        .into_iter()
        .chain(located(&link_problems, &converted));
    for (span, problem) in problems {
        let d = at_body(page, span, problem);
        match problem.kept {
            true => kept.push((span, d)),
            false => leftovers.push(d),
        }
    }
    let mut mapped = map_front(page, dest, cx.site, dests, &body.tags);
    let front = checked_front(&mut mapped, page, dest, &mut leftovers);
    let body_start = front.lines().count() + 1;
    for (span, d) in kept {
        let hint = format!(
            "{} (it is kept as written, at {}:{})",
            d.hint.clone().unwrap_or_default(),
            dest.path,
            body_start + span.line - 1
        );
        leftovers.push(d.with_hint(hint));
    }
    let mut text = format!("{front}{text}");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    PageOut {
        text,
        leftovers,
        tags: mapped.tags,
        authors: mapped.authors,
    }
}

/// The body without the first heading when it became the title (or says
/// the title again); its lines stay, empty, so positions do not move.
fn without_title_heading(text: &str, dest: &Dest) -> String {
    match first_heading(text) {
        Some((range, heading))
            if dest.title_from_heading || heading.eq_ignore_ascii_case(&dest.title) =>
        {
            let lines = text[range.clone()].matches('\n').count();
            format!(
                "{}{}{}",
                &text[..range.start],
                "\n".repeat(lines),
                &text[range.end..]
            )
        }
        _ => text.to_string(),
    }
}

/// A page's front matter keys by what practica makes of them.
struct Sorted<'p> {
    summary: Option<(String, usize)>,
    date: Option<&'p Entry>,
    updated: Option<&'p Entry>,
    /// Tags with the line they came from (none for tags in the text).
    tag_words: Vec<(String, Option<usize>)>,
    author_names: Vec<(String, usize)>,
    /// Keys kept as they are.
    rest: Vec<&'p Entry>,
}

/// Sorts the keys; those left out are reported in `dropped`.
fn sort_keys<'p>(page: &'p SourcePage, dropped: &mut Vec<Diagnostic>) -> Sorted<'p> {
    let drop = |entry: &Entry, why: &str| {
        Diagnostic::warning(
            &page.path,
            Span::new(entry.line, 1),
            format!("`{}` is not converted: {why}", entry.key),
        )
        .with_hint("it was left out of the imported page")
    };
    let mut sorted = Sorted {
        summary: None,
        date: None,
        updated: None,
        tag_words: Vec::new(),
        author_names: Vec::new(),
        rest: Vec::new(),
    };
    for entry in &page.front.entries {
        let key = entry.key.to_lowercase();
        match key.as_str() {
            "title" | "slug" | "draft" | "published" => {}
            "description" | "summary" | "excerpt" => match scalar_text(&entry.value) {
                Some(text) if sorted.summary.is_none() => sorted.summary = Some((text, entry.line)),
                _ => dropped.push(drop(entry, "the summary is taken from another key")),
            },
            "date" => sorted.date = Some(entry),
            // A vault's notes carry `created` where sites have `date`.
            "created" if sorted.date.is_none() => sorted.date = Some(entry),
            "lastmod" | "updated" | "last_modified_at" | "modified" | "last_modified" => {
                sorted.updated = sorted.updated.or(Some(entry))
            }
            "tags" | "tag" | "categories" | "category" => sorted.tag_words.extend(
                words(&entry.value)
                    .into_iter()
                    .map(|w| (w, Some(entry.line))),
            ),
            "author" | "authors" => sorted
                .author_names
                .extend(names(&entry.value).into_iter().map(|n| (n, entry.line))),
            _ => match DROPPED.iter().find(|(k, _)| *k == key) {
                Some((_, why)) => dropped.push(drop(entry, why)),
                None => sorted.rest.push(entry),
            },
        }
    }
    sorted
}

/// A page's front matter in practica's terms.
struct Mapped {
    /// Key, value and the source line it came from (none when made up).
    entries: Vec<(String, Value, Option<usize>)>,
    tags: Vec<TagFound>,
    /// (slug, display name) of authors and owners.
    authors: Vec<(String, String)>,
    problems: Vec<Diagnostic>,
}

fn map_front(
    page: &SourcePage,
    dest: &Dest,
    site: &SourceSite,
    dests: &[Option<Dest>],
    body_tags: &[String],
) -> Mapped {
    let title_line = page.front.get("title").map(|e| e.line);
    let mut mapped = Mapped {
        entries: vec![(
            "title".into(),
            Value::String(dest.title.clone()),
            title_line,
        )],
        tags: Vec::new(),
        authors: Vec::new(),
        problems: Vec::new(),
    };
    let Sorted {
        summary,
        date,
        updated,
        mut tag_words,
        author_names,
        rest,
    } = sort_keys(page, &mut mapped.problems);
    if let Some((text, line)) = summary {
        mapped
            .entries
            .push(("summary".into(), Value::String(text), Some(line)));
    }
    push_date(
        &mut mapped,
        page,
        "date",
        date,
        page.name_date.map(|d| d.to_string()),
    );
    push_date(&mut mapped, page, "updated", updated, None);
    tag_words.extend(body_tags.iter().map(|t| (t.clone(), None)));
    let member = dest.kind == Kind::Member;
    if member {
        let lines = tag_words
            .iter()
            .filter_map(|(_, l)| *l)
            .chain(author_names.iter().map(|(_, l)| *l));
        for line in lines.collect::<std::collections::BTreeSet<_>>() {
            mapped.problems.push(
                Diagnostic::warning(
                    &page.path,
                    Span::new(line, 1),
                    "tags and authors do not apply to member profiles",
                )
                .with_hint("list what the member knows under `expertise` instead"),
            );
        }
    } else {
        map_tags(&mut mapped, page, &tag_words);
        map_authors(&mut mapped, page, site, &author_names);
    }
    if dest.draft {
        mapped
            .entries
            .push(("draft".into(), Value::Bool(true), None));
    }
    for entry in rest {
        keep(&mut mapped, page, entry, dests);
    }
    mapped
}

fn push_date(
    mapped: &mut Mapped,
    page: &SourcePage,
    key: &str,
    entry: Option<&Entry>,
    fallback: Option<String>,
) {
    match entry.map(|e| (e, scalar_text(&e.value).and_then(|t| date_text(&t)))) {
        Some((e, Some(date))) => {
            mapped
                .entries
                .push((key.into(), Value::String(date), Some(e.line)))
        }
        Some((e, None)) => mapped.problems.push(
            Diagnostic::warning(
                &page.path,
                Span::new(e.line, 1),
                format!("`{}` is not a date practica reads: {}", e.key, e.value),
            )
            .with_hint("write it as YYYY-MM-DD in the imported page"),
        ),
        None => {
            if let Some(date) = fallback {
                mapped.entries.push((key.into(), Value::String(date), None));
            }
        }
    }
}

/// A date as practica writes it: `2019-03-04` from `2019-03-04`,
/// `2019-03-04T10:00:00+01:00` or Jekyll's `2019-03-04 10:00:00 +0100`.
pub(crate) fn date_text(text: &str) -> Option<String> {
    let day = text.trim().get(..10)?;
    let date: jiff::civil::Date = day.parse().ok()?;
    Some(date.to_string())
}

/// The words of a tags value: a list, or one text (a comma-separated one split).
fn words(value: &Value) -> Vec<String> {
    let items: Vec<String> = match value {
        Value::Array(items) => items.iter().filter_map(scalar_text).collect(),
        Value::String(text) if text.contains(',') => text.split(',').map(str::to_string).collect(),
        other => scalar_text(other).into_iter().collect(),
    };
    items
        .into_iter()
        .map(|w| w.trim().trim_start_matches('#').trim().to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Author names: a text, a list of texts, or mappings with a `name`.
fn names(value: &Value) -> Vec<String> {
    let found: Vec<String> = match value {
        Value::Array(items) => items.iter().flat_map(names).collect(),
        Value::Object(map) => map
            .get("name")
            .or_else(|| map.get("display_name"))
            .and_then(scalar_text)
            .into_iter()
            .collect(),
        Value::String(text) if text.contains(',') => text
            .split(',')
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect(),
        other => scalar_text(other)
            .filter(|n| !n.is_empty())
            .into_iter()
            .collect(),
    };
    // A vault's properties name notes as links: `author: "[[Amara Okafor]]"`.
    found
        .into_iter()
        .map(|n| {
            n.trim_start_matches("[[")
                .trim_end_matches("]]")
                .trim()
                .to_string()
        })
        .collect()
}

fn map_tags(mapped: &mut Mapped, page: &SourcePage, words: &[(String, Option<usize>)]) {
    let mut slugs: Vec<String> = Vec::new();
    for (word, line) in words {
        let Some(tag) = tag_of(word) else {
            if let Some(line) = line {
                mapped.problems.push(
                    Diagnostic::warning(
                        &page.path,
                        Span::new(*line, 1),
                        format!("tag `{word}` has no letters or digits"),
                    )
                    .with_hint("it was left out of the imported page"),
                );
            }
            continue;
        };
        if !slugs.contains(&tag.slug) {
            slugs.push(tag.slug.clone());
            mapped.tags.push(tag);
        }
    }
    if !slugs.is_empty() {
        let line = words.iter().find_map(|(_, l)| *l);
        mapped
            .entries
            .push(("tags".into(), Value::from(slugs), line));
    }
}

/// A tag as the domain map declares it: `Cold Chain` is `cold-chain`
/// titled as written; a vault's `food/cold-chain` is `food-cold-chain`
/// under `food`.
fn tag_of(word: &str) -> Option<TagFound> {
    let slug = slug::slugify(word);
    if slug.is_empty() {
        return None;
    }
    let (parent, last) = match word.rsplit_once('/') {
        Some((parent, last)) => (Some(slug::slugify(parent)).filter(|p| !p.is_empty()), last),
        None => (None, word),
    };
    let title = if slug::slugify(last) == last {
        title_from_slug(last)
    } else {
        capitalised(last.trim())
    };
    Some(TagFound {
        slug,
        title,
        parent,
    })
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Each nested tag's parents declared too, sorted by slug.
fn with_parents(mut tags: BTreeMap<String, TagFound>) -> Vec<TagFound> {
    let parents: Vec<String> = tags.values().filter_map(|t| t.parent.clone()).collect();
    for parent in parents {
        tags.entry(parent.clone()).or_insert_with(|| TagFound {
            title: title_from_slug(&parent),
            slug: parent,
            parent: None,
        });
    }
    tags.into_values().collect()
}

fn map_authors(
    mapped: &mut Mapped,
    page: &SourcePage,
    site: &SourceSite,
    names: &[(String, usize)],
) {
    let mut slugs: Vec<String> = Vec::new();
    for (name, line) in names {
        let shown = site
            .author_names
            .iter()
            .find(|(key, _)| key == name)
            .map_or(name.as_str(), |(_, shown)| shown.as_str());
        let slug = slug::slugify(name);
        if slug.is_empty() {
            mapped.problems.push(
                Diagnostic::warning(
                    &page.path,
                    Span::new(*line, 1),
                    format!("author `{name}` has no letters or digits"),
                )
                .with_hint("it was left out of the imported page"),
            );
            continue;
        }
        if !slugs.contains(&slug) {
            let title = if shown == name && slug == *name {
                title_from_slug(&slug)
            } else {
                shown.to_string()
            };
            mapped.authors.push((slug.clone(), title));
            slugs.push(slug);
        }
    }
    if !slugs.is_empty() {
        let line = names.first().map(|(_, l)| *l);
        mapped
            .entries
            .push(("authors".into(), Value::from(slugs), line));
    }
}

/// A key practica does not map: kept for templates (`page.extra`), or, for
/// one of practica's own keys, kept when what it names exists.
fn keep(mapped: &mut Mapped, page: &SourcePage, entry: &Entry, dests: &[Option<Dest>]) {
    let mut key = entry.key.to_lowercase();
    if key == "lang" {
        // Jekyll's and many themes' name for the page's language.
        key = "language".into();
    }
    // practica's own keys, which an imported page may use already.
    let own = crate::support::front_matter::FIELDS
        .iter()
        .any(|f| f.field.key == key);
    if !own {
        mapped
            .entries
            .push((entry.key.clone(), entry.value.clone(), Some(entry.line)));
        return;
    }
    match key.as_str() {
        "owner" => {
            if let Some(name) = scalar_text(&entry.value).filter(|n| !slug::slugify(n).is_empty()) {
                mapped.authors.push((slug::slugify(&name), name.clone()));
                mapped.entries.push((
                    "owner".into(),
                    Value::String(slug::slugify(&name)),
                    Some(entry.line),
                ));
            }
        }
        "practices" => {
            let named = words(&entry.value);
            let missing: Vec<&String> = named
                .iter()
                .filter(|n| {
                    !dests
                        .iter()
                        .flatten()
                        .any(|d| d.kind == Kind::Practice && d.slug == slug::slugify(n))
                })
                .collect();
            if missing.is_empty() {
                mapped
                    .entries
                    .push(("practices".into(), entry.value.clone(), Some(entry.line)));
            } else {
                mapped.problems.push(
                    Diagnostic::warning(
                        &page.path,
                        Span::new(entry.line, 1),
                        format!("`practices` names {} that no imported practice has", quoted(&missing)),
                    )
                    .with_hint("it was left out of the imported page; add it back once those practices exist"),
                );
            }
        }
        _ => mapped
            .entries
            .push((key, entry.value.clone(), Some(entry.line))),
    }
}

fn quoted(items: &[&String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The front matter text, after practica's own reader has checked it: a
/// key it rejects is left out and reported with the reader's reason.
fn checked_front(
    mapped: &mut Mapped,
    page: &SourcePage,
    dest: &Dest,
    leftovers: &mut Vec<Diagnostic>,
) -> String {
    leftovers.append(&mut mapped.problems);
    loop {
        let front = front_text(&mapped.entries);
        let (_, diagnostics) =
            load::parse_document(Path::new(&dest.path), dest.kind, &format!("{front}\n"));
        let rejected = diagnostics.iter().filter(|d| d.is_error()).find_map(|d| {
            let line = d.span()?.line;
            // Line 1 is `---`; entry n is on line n + 2, one key a line.
            let index = line.checked_sub(2)?;
            (index > 0 && index < mapped.entries.len()).then_some((index, d.clone()))
        });
        let Some((index, problem)) = rejected else {
            return front;
        };
        let (key, _, line) = mapped.entries.remove(index);
        let span = Span::new(line.unwrap_or(1), 1);
        leftovers.push(
            Diagnostic::warning(
                &page.path,
                span,
                format!("`{key}` is not converted: {}", problem.message),
            )
            .with_hint("it was left out of the imported page"),
        );
    }
}

/// `---`, one `key: value` line per entry, `---`.
fn front_text(entries: &[(String, Value, Option<usize>)]) -> String {
    let mut out = String::from("---\n");
    for (key, value, _) in entries {
        out.push_str(&yaml_key(key));
        out.push_str(": ");
        out.push_str(&yaml_value(value));
        out.push('\n');
    }
    out.push_str("---\n");
    out
}

fn yaml_key(key: &str) -> String {
    if key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !key.is_empty()
    {
        key.to_string()
    } else {
        Value::String(key.to_string()).to_string()
    }
}

/// A value on one line: scalars plain when YAML reads them back the
/// same, else as JSON (every JSON value is YAML too).
pub(crate) fn yaml_value(value: &Value) -> String {
    match value {
        Value::String(text) => yaml_string(text),
        Value::Array(items) if items.iter().all(|i| matches!(i, Value::String(_))) => {
            let items: Vec<String> = items.iter().map(yaml_value).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

fn yaml_string(text: &str) -> String {
    let is_date = text.len() == 10 && text.parse::<jiff::civil::Date>().is_ok();
    let plain = is_date
        || (text.starts_with(|c: char| c.is_alphabetic())
            && text
                .chars()
                .all(|c| c.is_alphanumeric() || " -.'()!?&/_".contains(c))
            && !text.ends_with(' ')
            && !matches!(
                text.to_lowercase().as_str(),
                "yes" | "no" | "true" | "false" | "on" | "off" | "null" | "y" | "n" | "nan" | "inf"
            ));
    if plain {
        text.to_string()
    } else {
        Value::String(text.to_string()).to_string()
    }
}

/// A member profile for each author and owner who has none.
fn start_members(
    authors: &BTreeMap<String, String>,
    dests: &[Option<Dest>],
    texts: &mut Vec<(String, String)>,
) -> Vec<String> {
    let mut started = Vec::new();
    for (slug, name) in authors {
        let exists = dests
            .iter()
            .flatten()
            .any(|d| d.kind == Kind::Member && &d.slug == slug);
        if exists {
            continue;
        }
        let path = format!("{}/{slug}.md", Kind::Member.section());
        let title = Value::String(name.clone());
        texts.push((
            path.clone(),
            format!("---\ntitle: {}\n---\n", yaml_value(&title)),
        ));
        started.push(path);
    }
    started
}

fn community_yaml(engine: Engine, site: &SourceSite, tags: &[TagFound]) -> String {
    let settings = &site.settings;
    let title = settings
        .title
        .clone()
        .unwrap_or_else(|| "Imported community".into());
    let mut out = format!("# Made by `practica import` from {}.\n", engine.a_source());
    out.push_str(&format!("title: {}\n", yaml_string(&title)));
    if let Some(description) = &settings.description {
        out.push_str(&format!("description: {}\n", yaml_string(description)));
    }
    if let Some(language) = &settings.language {
        out.push_str(&format!("language: {}\n", yaml_string(language)));
    }
    if let Some(base) = &settings.base_url {
        out.push_str("# The old site's address; set it once the community is published there:\n");
        out.push_str(&format!("# base_url: {base}\n"));
    }
    // Legacy content has links that pointed at pages nobody kept: listed
    // as warnings, the site is written while they are fixed.
    out.push_str(
        "# Imported content: broken links are listed as warnings while you fix them;\n\
         # remove these lines (or set `error`) once `practica check` is clean.\n\
         severity:\n  broken_links: warning\n  broken_anchors: warning\n",
    );
    if tags.is_empty() {
        return out;
    }
    out.push_str("# Every tag the imported pages use; describe each one.\ntags:\n");
    for tag in tags {
        out.push_str(&format!("  - slug: {}\n", yaml_string(&tag.slug)));
        out.push_str(&format!("    title: {}\n", yaml_string(&tag.title)));
        if let Some(parent) = &tag.parent {
            out.push_str(&format!("    parent: {}\n", yaml_string(parent)));
        }
    }
    out
}

/// Published files, each to `static/` at its old address; two at one
/// address keep the first, and one where practica writes its own file is left out.
fn statics(site: &SourceSite, leftovers: &mut Vec<Diagnostic>) -> Vec<(String, String)> {
    let mut taken = std::collections::HashSet::new();
    let mut out = Vec::new();
    for file in &site.files {
        if is_practica_output(&file.url) {
            leftovers.push(
                Diagnostic::warning_in(
                    &file.path,
                    format!("practica writes its own `{}`: not copied", file.url),
                )
                .with_hint(
                    "copy what you need from it into your templates or static/ under another name",
                ),
            );
            continue;
        }
        if !taken.insert(file.url.to_lowercase()) {
            leftovers.push(Diagnostic::warning_in(
                &file.path,
                format!(
                    "another file was published at `{}` already: not copied",
                    file.url
                ),
            ));
            continue;
        }
        out.push((file.path.clone(), file.url.clone()));
    }
    out
}

fn is_practica_output(url: &str) -> bool {
    let top = [
        "index.html",
        "404.html",
        "sitemap.xml",
        "feed.xml",
        "robots.txt",
        "gaps.json",
        "graph.json",
    ];
    top.contains(&url) || url.ends_with("/index.html") || url.starts_with("search/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::yaml;

    #[test]
    fn written_values_read_back_the_same() {
        let values = [
            "Cold chain handover",
            "Cold chain: the basics",
            "yes",
            "2019",
            "2019-03-04",
            "#tag",
            "- dash",
            "quote \" and \\ backslash",
            "trailing ",
            "null",
            "Crème brûlée & co.",
            "a # not a comment",
            "[not a list]",
            "line\nbreak",
        ];
        for text in values {
            let value = Value::String(text.to_string());
            let line = format!("key: {}\n", yaml_value(&value));
            let read = yaml::parse_mapping(&line).unwrap_or_else(|e| panic!("{line}: {e:?}"));
            assert_eq!(read.entries.get("key"), Some(&value), "{line}");
        }
        let list = serde_json::json!(["a", "B c", "2020", "x: y"]);
        let line = format!("key: {}\n", yaml_value(&list));
        assert_eq!(
            yaml::parse_mapping(&line).unwrap().entries.get("key"),
            Some(&list)
        );
        let nested = serde_json::json!({"main": {"weight": 3, "name": "x"}});
        let line = format!("key: {}\n", yaml_value(&nested));
        assert_eq!(
            yaml::parse_mapping(&line).unwrap().entries.get("key"),
            Some(&nested)
        );
    }

    #[test]
    fn dates_of_every_engine() {
        assert_eq!(date_text("2019-03-04").as_deref(), Some("2019-03-04"));
        assert_eq!(
            date_text("2019-03-04T10:00:00+01:00").as_deref(),
            Some("2019-03-04")
        );
        assert_eq!(
            date_text("2019-03-04 10:00:00 +0100").as_deref(),
            Some("2019-03-04")
        );
        assert_eq!(date_text("March 4, 2019"), None);
    }

    #[test]
    fn tags_keep_their_words_as_titles() {
        let tag = tag_of("Cold Chain").unwrap();
        assert_eq!(
            (tag.slug.as_str(), tag.title.as_str()),
            ("cold-chain", "Cold Chain")
        );
        let tag = tag_of("food-safety").unwrap();
        assert_eq!(tag.title, "Food safety");
        let tag = tag_of("food/cold-chain").unwrap();
        assert_eq!(tag.slug, "food-cold-chain");
        assert_eq!(tag.parent.as_deref(), Some("food"));
        assert!(tag_of("!!!").is_none());
    }
}
