//! Markdown and templates to pages: every page of the site, rendered in
//! parallel with templates compiled once. What each page shows is declared
//! in `shows`; `serve` renders again only what an edit changed (`affected`).

pub(crate) mod affected;
pub(crate) mod facts;
mod feeds;
pub(crate) mod gap_map;
mod lists;
mod pagination;
pub mod search;
pub(crate) mod shows;
mod template;
pub(crate) mod theme;
pub(crate) mod toolkit;
pub(crate) mod view;

use std::borrow::Cow;
use std::collections::BTreeSet;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::model::document::Kind;
use crate::stages::gaps::GapReport;
use crate::stages::labels::Labels;
use crate::stages::link::{DocId, FullSite, Site, Target};
use crate::stages::look::{Accent, FooterLink, FooterTarget};
use crate::support::diagnostic::Diagnostic;
use crate::support::markdown::{self, Href};
use pagination::Pagination;
use shows::{Page, PageNo, all_pages};
pub(crate) use shows::{is_data_file, one_page_per_template, output_paths};
pub use template::Template;
use theme::Theme;
use view::{CardValue, Views, href};

pub(crate) const NOT_FOUND: &str = "404.html";

/// One file of the output, by its path relative to the output folder.
#[derive(Debug, Clone)]
pub(crate) struct OutputFile {
    pub(crate) path: String,
    pub(crate) content: Vec<u8>,
}

/// The data files; pages that list documents are re-rendered with them.
pub(crate) const GAPS_JSON: &str = "gaps.json";
pub(crate) const GRAPH_JSON: &str = "graph.json";

#[derive(Serialize)]
struct NavItem<'a> {
    title: &'a str,
    url: String,
    section: &'static str,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: Option<&'a str>,
    nav: Vec<NavItem<'a>>,
    home: String,
    search: String,
    /// The /insights/ page.
    insights: String,
    pretty_links: bool,
    has_feed: bool,
    /// The logo's path in the site.
    logo: Option<&'a str>,
    /// The absolute address of the picture shared links show.
    image: Option<String>,
    footer_links: Vec<FooterLinkView<'a>>,
    accent: Option<Accent>,
    /// The labels search.js shows, as JSON for a `<script>` element.
    script_labels: String,
}

/// A footer link: `url` is followed from the site's root unless `external`.
#[derive(Serialize)]
struct FooterLinkView<'a> {
    text: &'a str,
    url: String,
    external: bool,
}

/// How many members a topic's page would list in full.
#[derive(Serialize)]
struct People {
    experts: usize,
    mentors: usize,
    learners: usize,
}

#[derive(Serialize)]
struct Counts {
    practices: usize,
    guides: usize,
    case_studies: usize,
    members: usize,
    toolkits: usize,
    tags: usize,
}

/// The views every page draws from, made once per site.
pub(crate) fn views(site: &FullSite, report: &GapReport) -> Views {
    views_reusing(site, report, None)
}

/// `views`, with the cards of unchanged documents taken from `earlier`.
pub(crate) fn views_reusing(
    site: &FullSite,
    report: &GapReport,
    earlier: Option<view::Earlier>,
) -> Views {
    let mut views = Views::reusing(site, earlier, report.today);
    views.gaps = gap_map::items(site, report);
    views.document_gap_count = report
        .findings
        .iter()
        .filter(|f| f.subject.document().is_some())
        .count();
    views
}

/// The path of the /insights/ page.
pub(crate) fn insights_path(site: &Site) -> String {
    Page::Insights.path(site)
}

/// The files whose output paths are in `only` (all of them when `None`).
pub(crate) fn render_only(
    site: &FullSite,
    report: &GapReport,
    theme: &mut Theme,
    views: &Views,
    only: Option<&BTreeSet<String>>,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let files = collected(|emit| diagnostics = render_each(site, report, theme, views, only, emit));
    (files, diagnostics)
}

/// The files `make` emits, from whichever threads it emits them on.
pub(crate) fn collected(make: impl FnOnce(&(dyn Fn(OutputFile) + Sync))) -> Vec<OutputFile> {
    let files = std::sync::Mutex::new(Vec::new());
    make(&|file| {
        if let Ok(mut files) = files.lock() {
            files.push(file);
        }
    });
    files.into_inner().unwrap_or_default()
}

/// Renders the files whose paths are in `only` (all when `None`) in
/// parallel, handing each to `emit` as soon as it is made, so a build can
/// write pages out instead of holding them all.
pub(crate) fn render_each(
    site: &FullSite,
    report: &GapReport,
    theme: &mut Theme,
    views: &Views,
    only: Option<&BTreeSet<String>>,
    emit: &(dyn Fn(OutputFile) + Sync),
) -> Vec<Diagnostic> {
    theme.tera.global_context().insert("site", &site_view(site));
    theme
        .tera
        .global_context()
        .insert("t", &site.config.labels.to_json(None));
    let theme = &*theme;
    let wanted = |path: &str| only.is_none_or(|set| set.contains(path));
    let mut pages = all_pages(site);
    if let Some(only) = only {
        // One buffer for every path: serve asks this of 20,000 pages per edit.
        let mut path = String::new();
        pages.retain(|page| {
            path.clear();
            page.push_path(site, &mut path);
            only.contains(path.as_str())
        });
    }
    // The heatmap's rows cover every tag; serve's quick edits skip the gap map.
    let (heat_rows, toolkit_gaps) = if pages.iter().any(|p| matches!(p, Page::Gaps)) {
        (
            gap_map::rows(site, report),
            gap_map::toolkit_gaps(site, views, report),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let pages_renderer = PageRenderer {
        site,
        theme,
        views,
        heat_rows,
        toolkit_gaps,
    };
    // The data files are large and made on one thread: alongside the pages.
    let (mut diagnostics, ()) = rayon::join(
        || {
            pages
                .par_iter()
                .flat_map_iter(|page| {
                    let mut found = pages_renderer.warnings(page);
                    match pages_renderer.render(page) {
                        Ok(file) => emit(file),
                        Err(d) => found.push(d),
                    }
                    found
                })
                .collect::<Vec<Diagnostic>>()
        },
        || data_files(site, report, &wanted, emit),
    );
    diagnostics.sort_by(|a, b| a.path().cmp(&b.path()));
    diagnostics
}

/// The data files among `wanted`.
pub(crate) fn render_data(
    site: &FullSite,
    report: &GapReport,
    wanted: &BTreeSet<String>,
) -> Vec<OutputFile> {
    collected(|emit| data_files(site, report, &|path| wanted.contains(path), emit))
}

/// The sitemap, feeds and JSON files among the wanted paths.
fn data_files(
    site: &Site,
    report: &GapReport,
    wanted: &(dyn Fn(&str) -> bool + Sync),
    emit: &(dyn Fn(OutputFile) + Sync),
) {
    let gaps = || {
        if wanted(GAPS_JSON) {
            emit(OutputFile {
                path: GAPS_JSON.into(),
                content: crate::stages::gaps::format::json_text(site, report),
            });
        }
    };
    let graph = || {
        if wanted(GRAPH_JSON) {
            emit(OutputFile {
                path: GRAPH_JSON.into(),
                content: gap_map::graph_json(site),
            });
        }
    };
    let feeds = || {
        if feeds::PATHS.iter().any(|path| wanted(path)) {
            feeds::render(site)
                .into_iter()
                .filter(|file| wanted(&file.path))
                .for_each(emit);
        }
    };
    let lists = || {
        for kind in Kind::ALL {
            let path = lists::path(kind);
            if wanted(&path) {
                let content = lists::script(site, kind);
                emit(OutputFile { path, content });
            }
        }
    };
    let zips = || {
        for toolkit in site.of_kind(Kind::Toolkit) {
            if let Some(path) = toolkit::zip_path(site, toolkit).filter(|p| wanted(p)) {
                let content = toolkit::zip(site, toolkit);
                emit(OutputFile { path, content });
            }
        }
    };
    rayon::join(
        || rayon::join(gaps, feeds),
        || rayon::join(graph, || rayon::join(zips, lists)),
    );
}

fn site_view(site: &Site) -> SiteView<'_> {
    let pretty = site.config.pretty_links;
    let labels = &site.config.labels;
    let section = |k: Kind| NavItem {
        title: labels.kinds(k),
        url: href(&Page::Section(k, PageNo::FIRST).folder(site), pretty),
        section: k.section(),
    };
    // Toolkits come last, so that themes' `site.nav[4]` (topics) and
    // `site.nav[5]` (the gap map) stay what they were.
    let nav = Kind::ALL
        .into_iter()
        .filter(|&k| k != Kind::Toolkit)
        .map(section)
        .chain([
            NavItem {
                title: labels.get("topics"),
                url: href(&Page::TagIndex.folder(site), pretty),
                section: Page::TagIndex.section(site),
            },
            NavItem {
                title: labels.get("gap_map"),
                url: href(&Page::Gaps.folder(site), pretty),
                section: Page::Gaps.section(site),
            },
            section(Kind::Toolkit),
        ])
        .collect();
    SiteView {
        title: &site.config.title,
        description: &site.config.description,
        language: &site.config.language,
        base_url: site.config.base_url.as_deref(),
        nav,
        home: href(&Page::Home.folder(site), pretty),
        search: href(&Page::Search.folder(site), pretty),
        insights: href(&Page::Insights.folder(site), pretty),
        pretty_links: pretty,
        has_feed: site.config.base_url.is_some(),
        logo: site.config.look.logo.as_ref().map(|l| l.path.as_str()),
        image: view::community_image(site),
        footer_links: site
            .config
            .look
            .footer_links
            .iter()
            .map(|link| footer_link(site, link))
            .collect(),
        accent: site.config.look.accent,
        script_labels: script_labels(labels),
    }
}

/// The labels search.js shows, in the page so that it needs no request of
/// its own. Every `<` (only ever inside a JSON string) is written `\u003c`,
/// so that no label can end the script element or open a comment in it.
fn script_labels(labels: &crate::stages::labels::Labels) -> String {
    let json = serde_json::Value::Object(labels.to_json(Some(&SCRIPT_LABELS)));
    json.to_string().replace('<', "\\u003c")
}

/// The keys of the labels search.js uses.
const SCRIPT_LABELS: [&str; 9] = [
    "topic",
    "results",
    "all_results",
    "no_results_site",
    "no_results",
    "results_for",
    "no_results_for",
    "type_to_search",
    "topic_documents",
];

/// A footer link to a document's source file goes to its page, as a link
/// in a body does; any other path of the site is kept as written.
fn footer_link<'a>(site: &Site, link: &'a FooterLink) -> FooterLinkView<'a> {
    let (url, external) = match &link.target {
        FooterTarget::External(url) => (url.clone(), true),
        FooterTarget::Site(path) => {
            let (file, fragment) = match path.split_once('#') {
                Some((file, fragment)) => (file, format!("#{fragment}")),
                None => (path.as_str(), String::new()),
            };
            let page = site
                .documents
                .iter()
                .find(|doc| doc.source == file)
                .map(|doc| href(&doc.url, site.config.pretty_links));
            // A folder names its index.html, as every other link does,
            // so that the footer works from file:// too.
            let folder = file.is_empty() || file.ends_with('/');
            let as_written = if folder {
                href(file, site.config.pretty_links) + &fragment
            } else {
                path.clone()
            };
            (page.map_or(as_written, |p| p + &fragment), false)
        }
    };
    FooterLinkView {
        text: &link.text,
        url,
        external,
    }
}

/// Room for a page's HTML besides a document's body.
const TEMPLATE_ROOM: usize = 64 * 1024;

/// Where the built-in theme's document templates put the body: a comment,
/// which no escaped text on the page can spell, so it is found once.
const BODY_MARK: &str = "<!--practica:body-->";

/// A document page's body, for `render`.
enum Body<'b> {
    /// Put in place of `BODY_MARK` after rendering.
    Spliced(Cow<'b, str>),
    /// In the template context; its length in bytes.
    InContext(usize),
}

/// The page `html` with `body` in place of its one `BODY_MARK`, written
/// once into a buffer of the page's size.
fn splice(html: Vec<u8>, body: &str) -> Vec<u8> {
    let mark = BODY_MARK.as_bytes();
    let Some(at) = html.windows(mark.len()).position(|w| w == mark) else {
        debug_assert!(false, "a built-in document template shows no body");
        return html;
    };
    let mut page = Vec::with_capacity(html.len() - mark.len() + body.len());
    page.extend_from_slice(&html[..at]);
    page.extend_from_slice(body.as_bytes());
    page.extend_from_slice(&html[at + mark.len()..]);
    page
}

/// Renders single pages from the views shared by all of them.
struct PageRenderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    views: &'a Views,
    heat_rows: Vec<gap_map::HeatRow>,
    /// Each toolkit's findings, for the gap map.
    toolkit_gaps: Vec<gap_map::ToolkitGaps>,
}

impl PageRenderer<'_> {
    fn render(&self, page: &Page) -> Result<OutputFile, Diagnostic> {
        let PageRenderer { site, theme, .. } = *self;
        let folder = page.folder(site);
        let mut context = Context::new();
        let root = match page {
            Page::NotFound => site
                .config
                .base_url
                .as_ref()
                .map_or_else(|| "/".to_string(), |b| format!("{b}/")),
            _ if folder.is_empty() => "./".to_string(),
            _ => "../".repeat(folder.matches('/').count()),
        };
        context.insert("root", &root);
        context.insert("section", &page.section(site));
        let canonical = match (&site.config.base_url, page) {
            (Some(base), page) if !matches!(page, Page::NotFound) => {
                Some(format!("{base}/{folder}"))
            }
            _ => None,
        };
        context.insert("canonical", &canonical);
        // The page's language; a document in another language replaces it.
        context.insert("lang", &site.config.language);
        let (template, body) = self.fill_context(page, &root, &mut context);
        let content = match body {
            Body::Spliced(body) => {
                let mut html = Vec::with_capacity(TEMPLATE_ROOM);
                theme.render_to(template.file_name(), &context, &mut html)?;
                splice(html, &body)
            }
            Body::InContext(length) => {
                let mut html = Vec::with_capacity(self.room(page, length));
                theme.render_to(template.file_name(), &context, &mut html)?;
                html
            }
        };
        Ok(OutputFile {
            path: page.path(site),
            content,
        })
    }

    /// A document's body for its page: the HTML itself where the theme is
    /// the built-in one, which puts it on the page as it is, once; else a
    /// template value, which Tera copies (a 50 MB body was held three times).
    fn body_of<'b>(&self, content: Cow<'b, str>) -> (tera::Value, Body<'b>) {
        if self.theme.is_built_in() {
            (tera::Value::safe_string(BODY_MARK), Body::Spliced(content))
        } else {
            let length = content.len();
            (tera::Value::from(content), Body::InContext(length))
        }
    }

    /// Room for a page's HTML: its `body` HTML's and its table of
    /// contents' with some to spare, so a large page is written without
    /// growing its buffer (each time it doubled, the old and the new were
    /// held at once, and mimalloc keeps freed memory for a second).
    fn room(&self, page: &Page, body: usize) -> usize {
        let Page::Document(id) = page else {
            return TEMPLATE_ROOM;
        };
        let doc = &self.site.documents[*id];
        let toc: usize = view::toc_headings(doc)
            .take(view::TOC_KEPT)
            .map(|h| 2 * (h.text.len() + h.id.len()) + 100)
            .sum();
        body + toc + TEMPLATE_ROOM
    }

    /// Warnings for a document too large to show or index in full: one
    /// page must not take a build's memory, so its table of contents and
    /// its words in the search index are capped.
    fn warnings(&self, page: &Page) -> Vec<Diagnostic> {
        let &Page::Document(id) = page else {
            return Vec::new();
        };
        let doc = &self.site.documents[id];
        let mut found = Vec::new();
        let headings = view::toc_headings(doc).count();
        if headings > view::TOC_KEPT {
            let message = format!(
                "the document has {headings} headings of levels 2 and 3; its table of contents lists the first {}",
                view::TOC_KEPT
            );
            found.push(
                Diagnostic::warning_in(&doc.source, message)
                    .with_hint("split the document, or make its minor headings level 4"),
            );
        }
        if search::words_left_out(self.site, id) {
            let message = format!(
                "the document has more than {} distinct words; the search index takes the first {0}, so later ones do not find it",
                search::WORDS_KEPT
            );
            found.push(
                Diagnostic::warning_in(&doc.source, message)
                    .with_hint("split the document into pages a reader can take in"),
            );
        }
        found
    }

    /// Adds the page's own variables and returns the template that renders
    /// it, and the length of the body HTML among them.
    fn fill_context<'p>(
        &'p self,
        page: &Page,
        root: &str,
        context: &mut Context,
    ) -> (Template, Body<'p>) {
        let PageRenderer {
            site,
            theme,
            views,
            ref heat_rows,
            ref toolkit_gaps,
        } = *self;
        let mut body = Body::InContext(0);
        let template = match page {
            Page::Home => {
                let newest = shows::newest(site, shows::HOME_NEWEST);
                context.insert("newest", &views.cards(&newest));
                let mentors = views
                    .section(Kind::Member)
                    .iter()
                    .copied()
                    .filter(|&i| site.documents[i].front.mentor);
                let shown: Vec<DocId> = mentors.clone().take(shows::HOME_MENTORS).collect();
                context.insert("mentors", &views.cards(&shown));
                context.insert("mentor_count", &mentors.count());
                context.insert("toolkits", &views.cards(&toolkit::every(site)));
                let mut tags: Vec<&view::TagSummary> =
                    views.tags.iter().filter(|t| t.documents > 0).collect();
                tags.sort_by(|a, b| {
                    b.documents
                        .cmp(&a.documents)
                        .then_with(|| a.title.cmp(&b.title))
                });
                tags.truncate(12);
                context.insert("top_tags", &tags);
                let top_gaps: Vec<_> = views.gaps.iter().take(shows::HOME_GAPS).collect();
                context.insert("top_gaps", &top_gaps);
                let count = |kind| site.of_kind(kind).count();
                context.insert(
                    "counts",
                    &Counts {
                        practices: count(Kind::Practice),
                        guides: count(Kind::Guide),
                        case_studies: count(Kind::CaseStudy),
                        members: count(Kind::Member),
                        toolkits: count(Kind::Toolkit),
                        tags: site.tags.len(),
                    },
                );
                Template::Index
            }
            Page::Section(kind, number) => {
                let all = views.section(*kind);
                let ids = number.slice(all, site.config.page_size);
                context.insert("section_title", site.config.labels.kinds(*kind));
                context.insert("section_folder", kind.section());
                context.insert("kind_label", site.config.labels.kind(*kind));
                context.insert("kind", kind);
                context.insert("total", &all.len());
                context.insert(
                    "pagination",
                    &Pagination::of_section(site, *kind, *number, all.len(), root),
                );
                context.insert("documents", &views.cards(ids));
                if *kind == Kind::Member {
                    let members: Vec<CardValue> =
                        ids.iter().map(|&id| views.members[id].clone()).collect();
                    context.insert("members", &members);
                    Template::Members
                } else {
                    Template::Section
                }
            }
            Page::Document(id) => {
                let doc = &site.documents[*id];
                let hrefs: Vec<Href> = site.relations[*id]
                    .targets
                    .iter()
                    .map(|t| body_href(site, *id, t, root))
                    .collect();
                let (content, kept) = self.body_of(in_page_language(
                    markdown::to_html(doc.body.as_ref(), &doc.scan, &hrefs),
                    &site.config.labels,
                ));
                body = kept;
                let view = views.page(site, *id, content);
                context.insert("lang", &view.language);
                context.insert("page", &view);
                let own = Template::Kind(doc.kind);
                if theme.has(own.file_name()) {
                    own
                } else {
                    Template::Document
                }
            }
            Page::TagIndex => {
                context.insert("tags", &views.tags);
                Template::Tags
            }
            Page::Tag(i) => {
                let tag = &site.tags[*i];
                context.insert("tag", &views.tags[*i]);
                context.insert("groups", &views.groups(site, &tag.documents));
                let size = site.config.page_size.get();
                let first = |ids: &[DocId]| views.cards(&ids[..ids.len().min(size)]);
                context.insert("experts", &first(&tag.experts));
                context.insert("mentors", &first(&tag.mentors));
                context.insert("learners", &first(&tag.learners));
                context.insert(
                    "people",
                    &People {
                        experts: tag.experts.len(),
                        mentors: tag.mentors.len(),
                        learners: tag.learners.len(),
                    },
                );
                let children: Vec<&view::TagSummary> = views
                    .tags
                    .iter()
                    .filter(|t| t.parent.as_ref().is_some_and(|p| p.slug == tag.slug))
                    .collect();
                context.insert("children", &children);
                let own: Vec<&gap_map::GapItem> = views
                    .gaps
                    .iter()
                    .filter(|g| g.tag.as_deref() == Some(tag.slug.as_str()))
                    .collect();
                context.insert("tag_gaps", &own);
                // Its gaps are on this page: their titles link nowhere.
                context.insert("current_tag", &tag.slug);
                Template::Tag
            }
            Page::ToolkitPrint(id) => {
                let doc = &site.documents[*id];
                let plan = toolkit::PrintPlan::new(site, *id);
                let hrefs: Vec<Href> = site.relations[*id]
                    .targets
                    .iter()
                    .map(|t| plan.href(site, None, t, root))
                    .collect();
                let html = in_page_language(
                    markdown::to_html(doc.body.as_ref(), &doc.scan, &hrefs),
                    &site.config.labels,
                );
                let content = plan.body(&html, None);
                let print = toolkit::print_view(site, *id, &plan, root);
                body = Body::InContext(
                    content.len()
                        + print
                            .parts
                            .iter()
                            .flat_map(|p| &p.items)
                            .map(|i| i.content.len())
                            .sum::<usize>(),
                );
                let view = views.page(site, *id, content.into());
                context.insert("lang", &view.language);
                context.insert("page", &view);
                context.insert("print", &print);
                Template::ToolkitPrint
            }
            Page::Insights => {
                context.insert("insights", &views.insights.as_deref());
                Template::Insights
            }
            Page::NotFound => Template::NotFound,
            Page::Search => Template::Search,
            Page::Gaps => {
                let of = |kind| -> Vec<&gap_map::GapItem> {
                    views.gaps.iter().filter(|g| g.kind == kind).collect()
                };
                let (tag_gaps, document_gaps) =
                    (of(gap_map::Place::Topic), of(gap_map::Place::Document));
                context.insert("gap_count", &tag_gaps.len());
                context.insert(
                    "gaps",
                    &tag_gaps[..tag_gaps.len().min(gap_map::TOPIC_GAPS_SHOWN)],
                );
                context.insert(
                    "document_gaps",
                    &document_gaps
                        .iter()
                        .take(gap_map::DOCUMENT_GAPS_SHOWN)
                        .collect::<Vec<_>>(),
                );
                context.insert("document_gap_count", &views.document_gap_count);
                context.insert("rows", &gap_map::heat_rows_shown(heat_rows));
                context.insert("row_count", &heat_rows.len());
                context.insert("columns", &gap_map::columns(site));
                context.insert("wanted", &gap_map::wanted(site, views));
                context.insert("toolkit_gaps", toolkit_gaps);
                context.insert("uncovered_topics", &gap_map::uncovered_topics(site, views));
                Template::Gaps
            }
        };
        (template, body)
    }
}

/// A `[[?Title]]` link: its title, and a tooltip saying it is wanted.
pub(crate) fn wanted_href(site: &Site, title: &str) -> Href {
    let hint = site
        .config
        .labels
        .fill("wanted_page_hint", &[("title", &title)]);
    Href::Wanted {
        title: title.to_string(),
        hint,
    }
}

/// The href a body link gets on its page, relative to that page's folder.
fn body_href(site: &Site, from: DocId, target: &Target, root: &str) -> Href {
    let with_anchor = |url: String, anchor: &Option<String>| match anchor {
        Some(a) if !a.is_empty() => format!("{url}#{a}"),
        _ => url,
    };
    match target {
        Target::Unchecked => Href::Keep,
        Target::Neutralised => Href::Url {
            url: String::new(),
            title: None,
        },
        Target::Wanted(title) => wanted_href(site, title),
        Target::Anchor(anchor) => Href::Url {
            url: format!("#{anchor}"),
            title: None,
        },
        Target::Page { folder, anchor } => Href::Url {
            url: with_anchor(
                format!("{root}{}", href(folder, site.config.pretty_links)),
                anchor,
            ),
            title: None,
        },
        Target::Static(path) => Href::Url {
            url: format!("{root}{path}"),
            title: None,
        },
        Target::Document { id, anchor } if *id == from && anchor.is_some() => Href::Url {
            url: with_anchor(String::new(), anchor),
            title: None,
        },
        Target::Document { id, anchor } => {
            let doc = &site.documents[*id];
            let url = with_anchor(
                format!("{root}{}", href(&doc.url, site.config.pretty_links)),
                anchor,
            );
            Href::Url {
                url,
                title: Some(doc.front.title.clone()),
            }
        }
    }
}

/// A body's HTML with the words markdown wrote into it in English (a
/// callout's name, a task's state, a footnote's way back: the parse
/// cache keeps bodies whatever the language) in the page's language.
/// Only bodies holding one of them are looked at, and an English site
/// keeps every body as it is.
pub(crate) fn in_page_language<'a>(html: Cow<'a, str>, labels: &Labels) -> Cow<'a, str> {
    let mut swaps: Vec<(String, String)> = Vec::new();
    if html.contains(markdown::CALLOUT_TITLE) {
        for (class, english) in markdown::CALLOUT_NAMES {
            let said = labels.get(&format!("callout_{class}"));
            if said != english {
                swaps.push((
                    format!("</svg>{english}</p>"),
                    format!("</svg>{}</p>", markdown::escape(said)),
                ));
            }
        }
    }
    if html.contains("type=\"checkbox\" disabled") {
        for (key, english) in [
            ("task_done", markdown::TASK_DONE),
            ("task_not_done", markdown::TASK_NOT_DONE),
        ] {
            let said = labels.get(key);
            if said != english {
                swaps.push((
                    format!("aria-label=\"{english}\">"),
                    format!("aria-label=\"{}\">", markdown::escape(said)),
                ));
            }
        }
    }
    let back = labels.get("back_to_reference");
    let back_differs = back != format!("{}{{n}}", markdown::BACKREF_LABEL);
    if swaps.is_empty() && !(back_differs && html.contains(markdown::BACKREF_LABEL)) {
        return html;
    }
    let mut out = html.into_owned();
    for (english, said) in swaps {
        out = out.replace(&english, &said);
    }
    if back_differs {
        out = numbered_backrefs(&out, back);
    }
    Cow::Owned(out)
}

/// Each footnote's `aria-label="Back to reference N"` as `label` says it
/// (`{n}` the number).
fn numbered_backrefs(html: &str, label: &str) -> String {
    let from = format!("aria-label=\"{}", markdown::BACKREF_LABEL);
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(&from) {
        let after = &rest[at + from.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        out.push_str(&rest[..at]);
        out.push_str("aria-label=\"");
        out.push_str(&markdown::escape(&label.replace("{n}", &after[..digits])));
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}
