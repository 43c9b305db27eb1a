//! What each kind of page shows, declared once: the facts (`Fact`) it shows
//! of which documents (`Whose`: its own, those it lists through a
//! relation, all of them), and which of the ranked gaps. `affected` derives
//! from these declarations all that `serve` decides after an edit: whether
//! it takes the quick path, which files to make again, which cards to keep,
//! and whether the search index's tables change.
//!
//! # How to add a page kind
//!
//! Add a variant to `PageKind` (and to `PageKind::ALL`, in the order the
//! sitemap lists pages: a kind not there has no files); the compiler then asks for its arm in every
//! `match` on it, all in this file: `declaration` (for each list of
//! documents the page shows, the facts it shows of them, `CARD` for cards,
//! and whose they are), `instances` (one per site, section, document or
//! tag), `in_sitemap`, and `page` or `file`. A page also gets a `Page`
//! variant, whose `match`es give its folder and navigation section here and
//! its template and variables in `render::PageRenderer::fill_context`. If
//! no `Whose` fits, add one with the facts that decide which documents it
//! lists (`decided_by`) and its inverse, the pages that list a document
//! (`listing`). `serve` then renders it again after every edit of a fact
//! it declares, with no further work; the tests at the end fail if an
//! output file has no kind or an inverse misses a page.

use super::NOT_FOUND;
use super::facts::{Fact, Facts};
use super::feeds;
use super::{GAPS_JSON, GRAPH_JSON};
use std::collections::BTreeSet;
use std::num::NonZeroUsize;

use crate::stages::config::PageSize;

use crate::model::document::Kind;
use crate::stages::link::{DocId, Site, TagId, Target};

/// What a card shows of its document (`view::Card`).
pub(crate) const CARD: Facts = Facts::of(&[
    Fact::Kind,
    Fact::Title,
    Fact::Summary,
    Fact::Dates,
    Fact::Status,
    Fact::Tags,
    Fact::Profile,
    Fact::Language,
]);

/// What the member directory shows of a member (`view::MemberSummary`).
pub(crate) const MEMBER: Facts = Facts::of(&[
    Fact::Title,
    Fact::Summary,
    Fact::Profile,
    Fact::Topics,
    Fact::Language,
]);

/// What a tag's counts are made of (`view::TagSummary`).
const TAG_COUNTS: Facts = Facts::of(&[Fact::Kind, Fact::Tags, Fact::Topics, Fact::Profile]);

/// What the gap rules read of every document (`gaps::analyse`), and
/// whom their findings name as helpers (`gaps::helpers`: owners too).
pub(crate) const GAP_RULES: Facts = Facts::of(&[
    Fact::Kind,
    Fact::Tags,
    Fact::Topics,
    Fact::Profile,
    Fact::Authors,
    Fact::Owner,
    Fact::Links,
    Fact::Cites,
    Fact::Dates,
    Fact::Review,
]);

/// What the ranked gap items depend on (`gap_map::GapItem`): what the
/// rules read, and the titles and helpers' cards the items show.
pub(crate) const GAP_ITEMS: Facts = GAP_RULES.union(CARD);

/// Everything a document's own page shows of it (`view::PageView`).
const PAGE: Facts = Facts::ALL.without(Facts::of(&[Fact::Draft]));

/// A document's entry in the search index: its file under `search/d/`
/// and the words the shards list for it (a member's role and organisation
/// among them; a bare wikilink's text is its target's title).
const SEARCH_ENTRY: Facts = Facts::of(&[
    Fact::Kind,
    Fact::Title,
    Fact::Summary,
    Fact::Tags,
    Fact::Topics,
    Fact::Profile,
    Fact::Links,
    Fact::Headings,
    Fact::Body,
    Fact::Draft,
]);

/// What a section's list (`lists`) holds of each of its documents.
const LIST_ENTRY: Facts = Facts::of(&[
    Fact::Title,
    Fact::Summary,
    Fact::Dates,
    Fact::Status,
    Fact::Tags,
    Fact::Topics,
    Fact::Profile,
]);

/// Lists order documents newest first, then by title.
const RANK: Facts = Facts::of(&[Fact::Dates, Fact::Title]);

/// How many of the newest documents and of the ranked gaps the home page shows.
pub(crate) const HOME_NEWEST: usize = 6;
pub(crate) const HOME_GAPS: usize = 5;
/// How many mentors the home page shows; the member directory has them all.
pub(crate) const HOME_MENTORS: usize = 12;

/// Every kind of file the site is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageKind {
    Home,
    Gaps,
    /// Community health over time: participation, needs, impact, coverage.
    Insights,
    Section,
    Document,
    TagIndex,
    Tag,
    NotFound,
    Search,
    Sitemap,
    Feed,
    Robots,
    GapsJson,
    GraphJson,
    /// `search/meta.js` and `search/doc-tags.js`.
    SearchTables,
    /// One document's file under `search/d/`, and its words in the shards.
    SearchEntry,
    /// A toolkit's print page: the whole toolkit on one page.
    ToolkitPrint,
    /// A section's list for the filters of its pages (`lists`).
    SectionList,
    /// The zip of the files a toolkit's items link, beside its print page.
    ToolkitZip,
}

/// What a kind of page shows.
pub(crate) struct Declaration {
    pub(crate) shows: &'static [Shown],
    pub(crate) gaps: GapsShown,
}

/// Facts a page shows of some documents.
pub(crate) struct Shown {
    pub(crate) facts: Facts,
    pub(crate) of: Whose,
}

const fn shows(facts: Facts, of: Whose) -> Shown {
    Shown { facts, of }
}

const NO_GAPS: GapsShown = GapsShown::None;

impl PageKind {
    /// Every kind, in the order the site lists its pages (the sitemap's).
    pub(crate) const ALL: [PageKind; 19] = [
        PageKind::Home,
        PageKind::TagIndex,
        PageKind::NotFound,
        PageKind::Gaps,
        PageKind::Insights,
        PageKind::Search,
        PageKind::Section,
        PageKind::Document,
        PageKind::Tag,
        PageKind::ToolkitPrint,
        PageKind::ToolkitZip,
        PageKind::Sitemap,
        PageKind::Feed,
        PageKind::Robots,
        PageKind::GapsJson,
        PageKind::GraphJson,
        PageKind::SearchTables,
        PageKind::SearchEntry,
        PageKind::SectionList,
    ];

    /// The declaration: what pages of this kind show.
    pub(crate) fn declaration(self) -> Declaration {
        use Fact as F;
        use Whose as W;
        let (shows, gaps): (&'static [Shown], GapsShown) = match self {
            PageKind::Home => (
                const {
                    &[
                        shows(CARD, W::Newest(HOME_NEWEST)),
                        shows(CARD, W::Mentors),
                        shows(TAG_COUNTS, W::All),
                        shows(CARD, W::EveryToolkit),
                    ]
                },
                GapsShown::First(HOME_GAPS),
            ),
            // Every gap item, and wanted pages with the cards of those who
            // asked for them (their links are among what the rules read).
            // And each toolkit with the items it holds.
            PageKind::Gaps => (
                const { &[shows(GAP_ITEMS.union(Facts::of(&[F::Items])), W::All)] },
                NO_GAPS,
            ),
            // Figures of every document: what the gap rules read (the gaps
            // per rule), statuses, profiles (`git:` names); never bodies.
            PageKind::Insights => (
                const {
                    &[shows(
                        GAP_ITEMS.union(Facts::of(&[F::Status, F::Profile, F::Draft])),
                        W::All,
                    )]
                },
                NO_GAPS,
            ),
            PageKind::Section => (const { &[shows(CARD.union(MEMBER), W::Section)] }, NO_GAPS),
            PageKind::SectionList => (const { &[shows(LIST_ENTRY, W::WholeSection)] }, NO_GAPS),
            PageKind::Document => (
                const {
                    &[
                        shows(PAGE, W::Own),
                        // Links show their target's title.
                        shows(Facts::of(&[F::Title]), W::LinkTargets),
                        shows(CARD, W::Backlinks),
                        shows(CARD, W::Authors),
                        shows(CARD, W::Contributions),
                        shows(CARD, W::Owner),
                        shows(CARD, W::Cites),
                        shows(CARD, W::Evidence),
                        shows(CARD, W::Related),
                        shows(CARD, W::MentorsOfLearning),
                        // A toolkit's items, with the files they link
                        // and how many documents cite each.
                        shows(CARD.union(Facts::of(&[F::Links])), W::Items),
                        shows(Facts::of(&[F::Cites]), W::ItemEvidence),
                        // Where the document stands in each toolkit.
                        shows(Facts::of(&[F::Title, F::Items]), W::Toolkits),
                        shows(Facts::of(&[F::Title]), W::Neighbours),
                        // Newer and older in its section's list.
                        shows(Facts::of(&[F::Title]), W::SectionNeighbours),
                        // "Item 4 of 9": which of its toolkits' items exist.
                        shows(Facts::of(&[F::Kind]), W::FellowItems),
                        shows(CARD, W::KeptToolkits),
                    ]
                },
                GapsShown::OfExpertise,
            ),
            PageKind::TagIndex => (const { &[shows(TAG_COUNTS, W::All)] }, NO_GAPS),
            PageKind::Tag => (
                const {
                    &[
                        shows(CARD.union(TAG_COUNTS), W::TagMembers),
                        shows(TAG_COUNTS, W::ChildTagMembers),
                    ]
                },
                GapsShown::OfTag,
            ),
            PageKind::NotFound | PageKind::Search | PageKind::Robots => (&[], NO_GAPS),
            // Addresses of documents and tags, with each document's date.
            PageKind::Sitemap => (
                const {
                    &[shows(
                        Facts::of(&[F::Kind, F::Tags, F::Topics, F::Dates]),
                        W::All,
                    )]
                },
                NO_GAPS,
            ),
            // The newest documents, with their authors' names.
            PageKind::Feed => (
                const {
                    &[shows(
                        Facts::of(&[F::Kind, F::Title, F::Summary, F::Dates, F::Authors]),
                        W::All,
                    )]
                },
                NO_GAPS,
            ),
            // Its findings name documents and people, as the gap page does.
            PageKind::GapsJson => (const { &[shows(GAP_ITEMS, W::All)] }, NO_GAPS),
            PageKind::GraphJson => (
                const {
                    &[shows(
                        Facts::of(&[
                            F::Kind,
                            F::Title,
                            F::Links,
                            F::Authors,
                            F::Cites,
                            F::Tags,
                            F::Topics,
                            F::Items,
                        ]),
                        W::All,
                    )]
                },
                NO_GAPS,
            ),
            // Each document's kind (or draft) and tags (by their place among
            // all tags, which members' topics add to), each tag's count.
            PageKind::SearchTables => (
                const {
                    &[shows(
                        Facts::of(&[F::Kind, F::Draft, F::Tags, F::Topics]),
                        W::All,
                    )]
                },
                NO_GAPS,
            ),
            PageKind::SearchEntry => (
                const {
                    &[
                        shows(SEARCH_ENTRY, W::Own),
                        // A bare wikilink's text is its target's title.
                        shows(Facts::of(&[F::Title]), W::LinkTargets),
                    ]
                },
                NO_GAPS,
            ),
            // The files its introduction and its items link.
            PageKind::ToolkitZip => (
                const {
                    &[
                        shows(Facts::of(&[F::Links, F::Items]), W::Own),
                        shows(Facts::of(&[F::Links]), W::Items),
                    ]
                },
                NO_GAPS,
            ),
            PageKind::ToolkitPrint => (
                const {
                    &[
                        shows(PAGE, W::Own),
                        shows(Facts::of(&[F::Title]), W::Authors),
                        shows(
                            Facts::of(&[
                                F::Kind,
                                F::Title,
                                F::Summary,
                                F::Status,
                                F::Body,
                                F::Links,
                                F::Headings,
                            ]),
                            W::ItemsInFull,
                        ),
                        // A bare `[[wikilink]]` shows its target's title.
                        shows(Facts::of(&[F::Title]), W::LinkTargets),
                        shows(Facts::of(&[F::Title]), W::ItemLinkTargets),
                    ]
                },
                NO_GAPS,
            ),
        };
        Declaration { shows, gaps }
    }

    /// Where the site has files of this kind: its one, or one per
    /// section, document or tag.
    pub(crate) fn instances(self, site: &Site) -> Vec<PageOf> {
        match self {
            PageKind::Section => Kind::ALL
                .into_iter()
                .flat_map(|kind| {
                    PageNo::all(site.of_kind(kind).count(), site.config.page_size)
                        .map(move |number| PageOf::Section(kind, number))
                })
                .collect(),
            PageKind::Document | PageKind::SearchEntry => {
                site.documents.ids().map(PageOf::Document).collect()
            }
            PageKind::Tag => site.tags.ids().map(PageOf::Tag).collect(),
            PageKind::SectionList => Kind::ALL.map(PageOf::List).to_vec(),
            PageKind::ToolkitPrint => site.of_kind(Kind::Toolkit).map(PageOf::Document).collect(),
            PageKind::ToolkitZip => site
                .of_kind(Kind::Toolkit)
                .filter(|&t| super::toolkit::zip_path(site, t).is_some())
                .map(PageOf::Document)
                .collect(),
            PageKind::Home
            | PageKind::TagIndex
            | PageKind::NotFound
            | PageKind::Gaps
            | PageKind::Insights
            | PageKind::Search
            | PageKind::Sitemap
            | PageKind::Feed
            | PageKind::Robots
            | PageKind::GapsJson
            | PageKind::GraphJson
            | PageKind::SearchTables => vec![PageOf::Site],
        }
    }

    /// Whether `sitemap.xml` lists the pages of this kind: those a search
    /// engine should index.
    pub(crate) const fn in_sitemap(self) -> bool {
        match self {
            PageKind::Home
            | PageKind::TagIndex
            | PageKind::Section
            | PageKind::Document
            | PageKind::Tag => true,
            // The toolkit's page is the one to find; this one repeats it.
            PageKind::ToolkitPrint
            | PageKind::ToolkitZip
            | PageKind::SectionList
            | PageKind::NotFound
            | PageKind::Gaps
            | PageKind::Insights
            | PageKind::Search
            | PageKind::Sitemap
            | PageKind::Feed
            | PageKind::Robots
            | PageKind::GapsJson
            | PageKind::GraphJson
            | PageKind::SearchTables
            | PageKind::SearchEntry => false,
        }
    }

    /// The page of this kind at `at`; `None` for the kinds that are data
    /// files, and for a place the kind has no page at.
    pub(crate) fn page(self, at: PageOf) -> Option<Page> {
        let of_site = |page| (at == PageOf::Site).then_some(page);
        match (self, at) {
            (PageKind::Home, _) => of_site(Page::Home),
            (PageKind::TagIndex, _) => of_site(Page::TagIndex),
            (PageKind::NotFound, _) => of_site(Page::NotFound),
            (PageKind::Gaps, _) => of_site(Page::Gaps),
            (PageKind::Insights, _) => of_site(Page::Insights),
            (PageKind::Search, _) => of_site(Page::Search),
            (PageKind::Section, PageOf::Section(kind, n)) => Some(Page::Section(kind, n)),
            (PageKind::Document, PageOf::Document(id)) => Some(Page::Document(id)),
            (PageKind::Tag, PageOf::Tag(id)) => Some(Page::Tag(id)),
            (PageKind::ToolkitPrint, PageOf::Document(id)) => Some(Page::ToolkitPrint(id)),
            (
                PageKind::Section | PageKind::Document | PageKind::Tag | PageKind::ToolkitPrint,
                _,
            ) => None,
            (
                PageKind::ToolkitZip
                | PageKind::SectionList
                | PageKind::Sitemap
                | PageKind::Feed
                | PageKind::Robots
                | PageKind::GapsJson
                | PageKind::GraphJson
                | PageKind::SearchTables
                | PageKind::SearchEntry,
                _,
            ) => None,
        }
    }

    /// The path of this kind's one file, for the kinds that are data files
    /// (files no page loads: `serve` makes them after the pages).
    pub(crate) const fn data_path(self) -> Option<&'static str> {
        match self {
            PageKind::Sitemap => Some(feeds::SITEMAP),
            PageKind::Feed => Some(feeds::FEED),
            PageKind::Robots => Some(feeds::ROBOTS),
            PageKind::GapsJson => Some(GAPS_JSON),
            PageKind::GraphJson => Some(GRAPH_JSON),
            PageKind::Home
            | PageKind::TagIndex
            | PageKind::NotFound
            | PageKind::Gaps
            | PageKind::Insights
            | PageKind::Search
            | PageKind::Section
            | PageKind::Document
            | PageKind::Tag
            | PageKind::SearchTables
            | PageKind::SearchEntry
            | PageKind::ToolkitPrint
            | PageKind::ToolkitZip
            | PageKind::SectionList => None,
        }
    }

    /// Whether the site has this kind's files only with a `base_url`
    /// (they need absolute addresses).
    const fn needs_base_url(self) -> bool {
        matches!(self, PageKind::Sitemap | PageKind::Feed | PageKind::Robots)
    }

    /// The file of this kind at `at` in `site`, if the site has one.
    pub(crate) fn file(self, site: &Site, at: PageOf) -> Option<File> {
        let toolkit =
            matches!(at, PageOf::Document(id) if site.documents[id].kind == Kind::Toolkit);
        if self == PageKind::ToolkitPrint && !toolkit {
            return None;
        }
        if let Some(page) = self.page(at) {
            return Some(File::Path(page.path(site)));
        }
        if self.needs_base_url() && site.config.base_url.is_none() {
            return None;
        }
        match (self, at) {
            (PageKind::SearchTables, PageOf::Site) => Some(File::SearchTables),
            (PageKind::SearchEntry, PageOf::Document(id)) => Some(File::SearchEntry(id)),
            (PageKind::SectionList, PageOf::List(kind)) => {
                Some(File::Path(super::lists::path(kind)))
            }
            (PageKind::ToolkitZip, PageOf::Document(id)) => {
                super::toolkit::zip_path(site, id).map(File::Path)
            }
            (_, PageOf::Site) => self.data_path().map(|path| File::Path(path.into())),
            _ => None,
        }
    }
}

/// Whether `path` is one of the data files (`PageKind::data_path`), or a
/// section's list: no page loads one as it opens (the filters load a list
/// when used), so `serve` makes them after the pages and the reload.
pub(crate) fn is_data_file(path: &str) -> bool {
    PageKind::ALL.iter().any(|k| k.data_path() == Some(path))
        || Kind::ALL.iter().any(|&k| super::lists::path(k) == path)
}

/// Every page and data file of the site, by output path, in the order of
/// `PageKind::ALL` (the search index's files are its own to list).
pub(crate) fn output_paths(site: &Site) -> Vec<String> {
    let mut paths = Vec::new();
    for kind in PageKind::ALL {
        for at in kind.instances(site) {
            if let Some(File::Path(path)) = kind.file(site, at) {
                paths.push(path);
            }
        }
    }
    paths
}

/// The pages `check` renders to try a community's own templates: every
/// page that is not one of a document, a tag or a section's later pages
/// (sections have templates of their own), the first tag's page, and the
/// first document of each kind
/// (which may have a template of its own). Every template runs once, so
/// template errors surface without rendering the whole site; errors that
/// only some documents' data trigger need `build`.
pub(crate) fn one_page_per_template(site: &Site) -> BTreeSet<String> {
    let grows = |at: &PageOf| match at {
        PageOf::Document(_) | PageOf::Tag(_) => true,
        // A section's first page tries its template; the others repeat it.
        PageOf::Section(_, n) => *n != PageNo::FIRST,
        PageOf::Site | PageOf::List(_) => false,
    };
    let pages = PageKind::ALL.iter().flat_map(|kind| {
        let (fixed, growing): (Vec<PageOf>, Vec<PageOf>) =
            kind.instances(site).into_iter().partition(|at| !grows(at));
        let first = growing.into_iter().next();
        fixed
            .into_iter()
            .chain(first)
            .filter_map(|at| kind.page(at))
    });
    let first_of_each_kind = Kind::ALL.iter().filter_map(|&kind| {
        let first = site.documents.ids_where(|d| d.kind == kind).next()?;
        Some(Page::Document(first))
    });
    pages
        .chain(first_of_each_kind)
        .map(|page| page.path(site))
        .collect()
}

/// Every page of the site, in the order of `PageKind::ALL`.
pub(crate) fn all_pages(site: &Site) -> Vec<Page> {
    PageKind::ALL
        .iter()
        .flat_map(|kind| {
            kind.instances(site)
                .into_iter()
                .filter_map(|at| kind.page(at))
        })
        .collect()
}

/// A page of the site: one of a `PageKind` that is not a data file, at its
/// place. `PageKind::page` makes them; `Page::kind` is its inverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Page {
    Home,
    Gaps,
    Insights,
    /// A page of a section's list; the first is at the section's address.
    Section(Kind, PageNo),
    Document(DocId),
    TagIndex,
    Tag(TagId),
    NotFound,
    Search,
    /// A toolkit's print page.
    ToolkitPrint(DocId),
}

impl Page {
    /// The kind this page is, and which one of that kind.
    pub(crate) fn kind(&self) -> (PageKind, PageOf) {
        match *self {
            Page::Home => (PageKind::Home, PageOf::Site),
            Page::Gaps => (PageKind::Gaps, PageOf::Site),
            Page::Insights => (PageKind::Insights, PageOf::Site),
            Page::Section(kind, n) => (PageKind::Section, PageOf::Section(kind, n)),
            Page::Document(id) => (PageKind::Document, PageOf::Document(id)),
            Page::TagIndex => (PageKind::TagIndex, PageOf::Site),
            Page::Tag(id) => (PageKind::Tag, PageOf::Tag(id)),
            Page::NotFound => (PageKind::NotFound, PageOf::Site),
            Page::Search => (PageKind::Search, PageOf::Site),
            Page::ToolkitPrint(id) => (PageKind::ToolkitPrint, PageOf::Document(id)),
        }
    }

    pub(crate) fn path(&self, site: &Site) -> String {
        let mut path = String::new();
        self.push_path(site, &mut path);
        path
    }

    /// Writes the page's path onto `path`, so a caller can test thousands
    /// of pages with one buffer.
    pub(crate) fn push_path(&self, site: &Site, path: &mut String) {
        if matches!(self, Page::NotFound) {
            path.push_str(NOT_FOUND);
        } else {
            self.push_folder(site, path);
            path.push_str("index.html");
        }
    }

    pub(crate) fn folder(&self, site: &Site) -> String {
        let mut folder = String::new();
        self.push_folder(site, &mut folder);
        folder
    }

    fn push_folder(&self, site: &Site, folder: &mut String) {
        match self {
            Page::Home | Page::NotFound => {}
            Page::Section(kind, n) => {
                folder.push_str(kind.section());
                folder.push('/');
                n.push_folder(folder);
            }
            Page::Document(id) => folder.push_str(&site.documents[*id].url),
            Page::ToolkitPrint(id) => {
                folder.push_str(&site.documents[*id].url);
                folder.push_str("print/");
            }
            Page::TagIndex => folder.push_str("tags/"),
            Page::Gaps => folder.push_str("gaps/"),
            Page::Insights => folder.push_str("insights/"),
            Page::Search => folder.push_str("search/"),
            Page::Tag(i) => folder.push_str(&Page::tag_folder(&site.tags[*i].slug)),
        }
    }

    /// The folder of the page of the topic `slug`, for addresses made
    /// from a slug alone (tag links); `folder` makes it from here too.
    pub(crate) fn tag_folder(slug: &str) -> String {
        format!("tags/{slug}/")
    }

    /// The navigation section the page belongs to (the theme marks it).
    pub(crate) fn section(&self, site: &Site) -> &'static str {
        match self {
            Page::Section(kind, _) => kind.section(),
            Page::Document(id) | Page::ToolkitPrint(id) => site.documents[*id].kind.section(),
            Page::TagIndex | Page::Tag(_) => "tags",
            Page::Gaps => "gaps",
            Page::Insights => "insights",
            Page::Search => "search",
            Page::Home | Page::NotFound => "",
        }
    }
}

/// Which one of a kind's pages: the site's only one, or the one of a
/// document, a tag or a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageOf {
    Site,
    Document(DocId),
    Tag(TagId),
    Section(Kind, PageNo),
    /// A section as a whole, whose list has all its documents.
    List(Kind),
}

/// A file as `serve` makes it again: a page or data file by its path, or
/// a part of the search index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum File {
    Path(String),
    SearchTables,
    SearchEntry(DocId),
}

/// Whose facts a page shows: its own document's, or those of the documents
/// it lists through a relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Whose {
    /// A document's page: its document.
    Own,
    /// Every document.
    All,
    /// A document's page: the documents its body links to.
    LinkTargets,
    /// A document's page: the documents whose body links to it.
    Backlinks,
    /// A document's page: the members it names as authors.
    Authors,
    /// A member's page: the documents that name them as an author.
    Contributions,
    /// A document's page: the member it names as owner.
    Owner,
    /// A guide's or case study's page: the practices it cites.
    Cites,
    /// A practice's page: the documents that cite it.
    Evidence,
    /// A document's page: the documents sharing most tags with it.
    Related,
    /// A member's page: the mentors of the topics they are learning.
    MentorsOfLearning,
    /// A tag's page: its documents, experts, mentors and learners.
    TagMembers,
    /// A tag's page: those of its child tags, whose counts it shows.
    ChildTagMembers,
    /// A section's page: the documents of its kind on that page.
    Section,
    /// A section's list: every document of its kind.
    WholeSection,
    /// The newest documents that are not members, this many.
    Newest(usize),
    /// Every member who mentors.
    Mentors,
    /// A toolkit's page: its items.
    Items,
    /// A toolkit's page: the documents that cite its items (it counts them).
    ItemEvidence,
    /// A document's page: the toolkits that hold it.
    Toolkits,
    /// A document's page: the items before and after it in its toolkits.
    Neighbours,
    /// A document's page: the documents before and after it in its
    /// section's list.
    SectionNeighbours,
    /// A document's page: the other items of its toolkits, which it counts.
    FellowItems,
    /// A toolkit's print page: its items, whole, read from the documents
    /// themselves (no card), as a document's own page reads it.
    ItemsInFull,
    /// A toolkit's print page: the documents its items link to.
    ItemLinkTargets,
    /// A member's page: the toolkits they keep current (`owner`).
    KeptToolkits,
    /// Every toolkit, newest first.
    EveryToolkit,
}

impl Whose {
    /// Whether pages show these documents' facts straight from the
    /// documents, as their own page does, rather than from cards kept
    /// between edits: an edit of such a fact alone needs no new views.
    pub(crate) const fn read_whole(self) -> bool {
        matches!(self, Whose::Own | Whose::ItemsInFull)
    }

    /// The facts of the page's own document that choose this list: its
    /// own page shows them, but the list is right only once the site is
    /// linked again.
    pub(crate) const fn chosen_by(self) -> Facts {
        use Fact as F;
        match self {
            Whose::LinkTargets => Facts::of(&[F::Links]),
            Whose::Authors => Facts::of(&[F::Authors]),
            Whose::Owner => Facts::of(&[F::Owner]),
            Whose::Cites => Facts::of(&[F::Cites]),
            // Its tags, and the practices it cites, which are left out.
            Whose::Related => Facts::of(&[F::Tags, F::Cites]),
            Whose::MentorsOfLearning => Facts::of(&[F::Topics]),
            Whose::SectionNeighbours => RANK,
            Whose::Items | Whose::ItemEvidence | Whose::ItemsInFull | Whose::ItemLinkTargets => {
                Facts::of(&[F::Items])
            }
            Whose::Own
            | Whose::All
            | Whose::Toolkits
            | Whose::Neighbours
            | Whose::FellowItems
            | Whose::KeptToolkits
            | Whose::EveryToolkit
            | Whose::Backlinks
            | Whose::Contributions
            | Whose::Evidence
            | Whose::TagMembers
            | Whose::ChildTagMembers
            | Whose::Section
            | Whose::WholeSection
            | Whose::Newest(_)
            | Whose::Mentors => Facts::NONE,
        }
    }

    /// The facts of a listed document that decide whether, or where, it
    /// is listed.
    pub(crate) const fn decided_by(self) -> Facts {
        use Fact as F;
        match self {
            Whose::Own
            | Whose::All
            | Whose::Authors
            | Whose::Owner
            | Whose::Cites
            | Whose::Items
            | Whose::ItemsInFull
            // Decided by the items' links, which the print page shows.
            | Whose::ItemLinkTargets
            | Whose::FellowItems
            // Decided by the toolkits' items, which `Toolkits` follows.
            | Whose::Neighbours => Facts::NONE,
            Whose::ItemEvidence => Facts::of(&[F::Cites]),
            Whose::Toolkits => Facts::of(&[F::Items]),
            Whose::KeptToolkits => Facts::of(&[F::Kind, F::Owner]).union(RANK),
            Whose::EveryToolkit => Facts::of(&[F::Kind]).union(RANK),
            // A link to a heading is checked against the target's headings.
            Whose::LinkTargets => Facts::of(&[F::Headings]),
            Whose::Backlinks => Facts::of(&[F::Links]),
            Whose::Contributions => Facts::of(&[F::Authors]).union(RANK),
            Whose::Evidence => Facts::of(&[F::Cites]).union(RANK),
            // Ranked by shared tags, then newest; less the documents the
            // page lists already as backlinks, evidence or citations.
            Whose::Related => Facts::of(&[F::Tags, F::Links, F::Cites]).union(RANK),
            Whose::MentorsOfLearning => Facts::of(&[F::Topics, F::Profile]),
            Whose::Mentors => Facts::of(&[F::Profile]),
            Whose::TagMembers => Facts::of(&[F::Tags, F::Topics, F::Profile]).union(RANK),
            Whose::ChildTagMembers => Facts::of(&[F::Tags, F::Topics, F::Profile]),
            // Members by title, the others newest first.
            Whose::Section | Whose::WholeSection | Whose::Newest(_) | Whose::SectionNeighbours => RANK,
        }
    }

    /// The inverse of the relation: calls `found` with each page (of a
    /// kind that shows documents this way) that lists document `id`.
    pub(crate) fn listing(self, site: &Site, id: DocId, found: &mut dyn FnMut(PageOf)) {
        let relations = &site.relations[id];
        let front = &site.documents[id].front;
        let mut documents = |ids: &mut dyn Iterator<Item = DocId>| {
            ids.filter(|&other| other != id)
                .for_each(|other| found(PageOf::Document(other)));
        };
        match self {
            Whose::Own => found(PageOf::Document(id)),
            Whose::All => found(PageOf::Site),
            Whose::LinkTargets => documents(&mut relations.backlinks.iter().copied()),
            Whose::Backlinks => documents(&mut linked(&relations.targets)),
            Whose::Authors => documents(&mut relations.contributions.iter().copied()),
            Whose::Contributions => documents(&mut relations.authors.iter().copied()),
            Whose::Owner => documents(&mut site.relations.ids_where(|r| r.owner == Some(id))),
            Whose::Cites => documents(&mut relations.evidence.iter().copied()),
            Whose::Evidence => documents(&mut relations.cites.iter().copied()),
            Whose::Related => {
                documents(&mut site.relations.ids_where(|r| r.related.contains(&id)));
            }
            Whose::MentorsOfLearning if front.mentor => {
                let topics = front.expertise.iter().filter_map(|t| site.tag(&t.text));
                documents(&mut topics.flat_map(|tag| tag.learners.iter().copied()));
            }
            Whose::MentorsOfLearning => {}
            Whose::TagMembers => topics_of(site, id)
                .filter_map(|slug| site.tag_id(slug))
                .for_each(|tag| found(PageOf::Tag(tag))),
            Whose::ChildTagMembers => topics_of(site, id)
                .filter_map(|slug| site.tag(slug)?.parent.as_deref())
                .filter_map(|parent| site.tag_id(parent))
                .for_each(|tag| found(PageOf::Tag(tag))),
            Whose::Section => {
                let kind = site.documents[id].kind;
                if let Some(at) = section_order(site, kind).iter().position(|&d| d == id) {
                    found(PageOf::Section(
                        kind,
                        PageNo::holding(at, site.config.page_size),
                    ));
                }
            }
            Whose::WholeSection => found(PageOf::List(site.documents[id].kind)),
            Whose::Newest(count) if newer_than(site, id) < count => found(PageOf::Site),
            Whose::Mentors if front.mentor && site.documents[id].kind == Kind::Member => {
                found(PageOf::Site);
            }
            Whose::Newest(_) | Whose::Mentors => {}
            Whose::Items | Whose::ItemsInFull => {
                documents(&mut relations.toolkits.iter().copied());
            }
            Whose::ItemLinkTargets => documents(
                &mut relations
                    .backlinks
                    .iter()
                    .flat_map(|&from| site.relations[from].toolkits.iter().copied()),
            ),
            Whose::ItemEvidence => documents(
                &mut relations
                    .cites
                    .iter()
                    .flat_map(|&cited| site.relations[cited].toolkits.iter().copied()),
            ),
            Whose::Toolkits => documents(&mut relations.items.iter().map(|item| item.id)),
            Whose::Neighbours => documents(&mut super::toolkit::neighbours(site, id)),
            Whose::SectionNeighbours => {
                documents(&mut section_neighbours(site, id).into_iter().flatten())
            }
            Whose::KeptToolkits if site.documents[id].kind == Kind::Toolkit => {
                documents(&mut relations.owner.into_iter());
            }
            Whose::EveryToolkit if site.documents[id].kind == Kind::Toolkit => found(PageOf::Site),
            Whose::KeptToolkits | Whose::EveryToolkit => {}
            Whose::FellowItems => documents(&mut super::toolkit::fellows(site, id)),
        }
    }
}

/// The documents the body of a document links to.
fn linked(targets: &[Target]) -> impl Iterator<Item = DocId> + '_ {
    targets.iter().filter_map(|t| match t {
        Target::Document { id, .. } => Some(*id),
        _ => None,
    })
}

/// Every tag a document names: its tags, expertise and learning.
fn topics_of(site: &Site, id: DocId) -> impl Iterator<Item = &str> {
    let front = &site.documents[id].front;
    [&front.tags, &front.expertise, &front.learning]
        .into_iter()
        .flatten()
        .map(|t| t.text.as_str())
}

/// How many documents that are not members are newer than `id`; `usize::MAX`
/// if it is a member.
fn newer_than(site: &Site, id: DocId) -> usize {
    if site.documents[id].kind == Kind::Member {
        return usize::MAX;
    }
    site.documents
        .iter_enumerated()
        .filter(|&(other, d)| d.kind != Kind::Member && site.rank[other] < site.rank[id])
        .count()
}

/// The documents before (newer) and after (older) `id` in its section's
/// list. Members, listed by name, are not read in sequence: none.
pub(crate) fn section_neighbours(site: &Site, id: DocId) -> [Option<DocId>; 2] {
    let kind = site.documents[id].kind;
    if kind == Kind::Member {
        return [None, None];
    }
    let order = section_order(site, kind);
    let Some(at) = order.iter().position(|&other| other == id) else {
        return [None, None];
    };
    [
        at.checked_sub(1).map(|n| order[n]),
        order.get(at + 1).copied(),
    ]
}

/// A section's documents in the order its pages list them: members by
/// name, the others newest first.
pub(crate) fn section_order(site: &Site, kind: Kind) -> Vec<DocId> {
    let mut ids: Vec<DocId> = site.of_kind(kind).collect();
    if kind == Kind::Member {
        ids.sort_by(|&a, &b| {
            site.documents[a]
                .front
                .title
                .cmp(&site.documents[b].front.title)
        });
    } else {
        site.newest_first(&mut ids);
    }
    ids
}

/// A page of a list cut into pages of `page_size` items, counted from 1:
/// the first is at the list's own address, the others under `page/N/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct PageNo(NonZeroUsize);

impl PageNo {
    pub(crate) const FIRST: PageNo = PageNo(NonZeroUsize::MIN);

    /// Every page of a list of `items`; an empty list has its first page.
    pub(crate) fn all(items: usize, size: PageSize) -> impl Iterator<Item = PageNo> {
        let count = items.div_ceil(size.get()).max(1);
        (0..count).map(PageNo::from_index)
    }

    /// The page that lists the item at `position` (from 0).
    pub(crate) fn holding(position: usize, size: PageSize) -> PageNo {
        PageNo::from_index(position / size.get())
    }

    fn from_index(index: usize) -> PageNo {
        PageNo(NonZeroUsize::MIN.saturating_add(index))
    }

    pub(crate) const fn get(self) -> usize {
        self.0.get()
    }

    /// The items of `list` this page shows.
    pub(crate) fn slice<T>(self, list: &[T], size: PageSize) -> &[T] {
        let start = (self.get() - 1).saturating_mul(size.get()).min(list.len());
        let end = start.saturating_add(size.get()).min(list.len());
        &list[start..end]
    }

    /// The page's folder under its list's folder: none for the first.
    fn push_folder(self, folder: &mut String) {
        if self != PageNo::FIRST {
            folder.push_str("page/");
            folder.push_str(&self.get().to_string());
            folder.push('/');
        }
    }
}

/// The newest `count` documents that are not members, newest first.
pub(crate) fn newest(site: &Site, count: usize) -> Vec<DocId> {
    let mut newest: Vec<DocId> = site
        .documents
        .ids_where(|d| d.kind != Kind::Member)
        .collect();
    site.newest_first(&mut newest);
    newest.truncate(count);
    newest
}

/// Which slice of the ranked gap items a page shows; a page showing all
/// of them declares what the gap rules read of every document instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GapsShown {
    None,
    /// The first this many.
    First(usize),
    /// A tag's page: the tag's gaps.
    OfTag,
    /// A member's page: the gaps of the topics they know.
    OfExpertise,
}

impl GapsShown {
    /// The pages whose slice holds gap items of the tag `slug`.
    pub(crate) fn listing(self, site: &Site, slug: &str, found: &mut dyn FnMut(PageOf)) {
        let Some(tag) = site.tag_id(slug) else {
            return;
        };
        match self {
            GapsShown::OfTag => found(PageOf::Tag(tag)),
            GapsShown::OfExpertise => site.tags[tag]
                .experts
                .iter()
                .for_each(|&member| found(PageOf::Document(member))),
            GapsShown::None | GapsShown::First(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    use super::*;
    use crate::Stopwatch;
    use crate::project::{Project, ProjectOptions, Purpose};
    use crate::stages::render::affected::shown_on_own_page_only;
    use crate::stages::render::search::SearchIndex;
    use crate::stages::render::{output_paths, views};

    /// The bundled example, linked, with a `base_url` so that it has feeds.
    fn example() -> Site {
        let options = ProjectOptions {
            root: Path::new(env!("CARGO_MANIFEST_DIR")).join("example-community"),
            purpose: Purpose::Build,
            drafts: false,
            today: jiff::civil::date(2026, 11, 1),
            cache: None,
            insights: None,
        };
        let mut project = Project::open(options, &mut Stopwatch::start());
        let (derived, _) = project.derive(&mut Stopwatch::start());
        let mut site = derived.expect("the example links").site;
        site.config.base_url = Some("https://example.org".into());
        site
    }

    fn every_page_of(site: &Site) -> Vec<PageOf> {
        let mut all = vec![PageOf::Site];
        for kind in Kind::ALL {
            let pages = PageNo::all(site.of_kind(kind).count(), site.config.page_size);
            all.extend(pages.map(|n| PageOf::Section(kind, n)));
            all.push(PageOf::List(kind));
        }
        all.extend(site.documents.ids().map(PageOf::Document));
        all.extend(site.tags.ids().map(PageOf::Tag));
        all
    }

    #[test]
    fn each_kind_is_at_its_instances_only() {
        let site = example();
        for kind in PageKind::ALL {
            let instances = kind.instances(&site);
            for at in every_page_of(&site) {
                let has_file = kind.file(&site, at).is_some();
                let feed = matches!(kind, PageKind::Sitemap | PageKind::Feed | PageKind::Robots);
                assert_eq!(
                    has_file,
                    instances.contains(&at) && (!feed || site.config.base_url.is_some()),
                    "{kind:?} at {at:?}"
                );
            }
        }
    }

    #[test]
    fn every_output_file_has_a_declared_kind() {
        let site = example();
        let mut claimed: BTreeMap<String, PageKind> = BTreeMap::new();
        let mut search = BTreeSet::new();
        for kind in PageKind::ALL {
            for at in every_page_of(&site) {
                match kind.file(&site, at) {
                    Some(File::Path(path)) => {
                        let twice = claimed.insert(path.clone(), kind);
                        assert!(twice.is_none(), "{path}: {twice:?} and {kind:?}");
                    }
                    Some(other) => {
                        search.insert(format!("{other:?}"));
                    }
                    None => {}
                }
            }
        }
        let written: BTreeSet<String> = output_paths(&site).into_iter().collect();
        let declared: BTreeSet<String> = claimed.into_keys().collect();
        assert_eq!(
            declared, written,
            "files without a kind, or kinds without files"
        );
        for page in all_pages(&site) {
            let (kind, at) = page.kind();
            assert_eq!(kind.page(at), Some(page));
        }
        // The search index: tables, and each document's entry (its file and
        // the words the shards list for it).
        for path in SearchIndex::new(&site).paths(&site) {
            let part = match path.strip_prefix("search/d/") {
                Some(file) => format!("SearchEntry(DocId({}))", file.trim_end_matches(".js")),
                None if path.starts_with("search/s/") => continue,
                None => "SearchTables".into(),
            };
            assert!(search.contains(&part), "{path}");
        }
    }

    /// The documents a page at `at` lists through `whose`, read straight
    /// from the site: what `Whose::listing` must be the inverse of.
    fn listed(whose: Whose, site: &Site, at: PageOf) -> Vec<DocId> {
        let tag_members = |tag: &crate::stages::link::Tag| {
            [&tag.documents, &tag.experts, &tag.mentors, &tag.learners]
                .into_iter()
                .flatten()
                .copied()
                .collect::<Vec<_>>()
        };
        let id = match at {
            PageOf::Document(id) => id,
            PageOf::Site => {
                return match whose {
                    Whose::All => site.documents.ids().collect(),
                    Whose::Newest(count) => newest(site, count),
                    Whose::Mentors => site
                        .of_kind(Kind::Member)
                        .filter(|&m| site.documents[m].front.mentor)
                        .collect(),
                    Whose::EveryToolkit => site.of_kind(Kind::Toolkit).collect(),
                    _ => Vec::new(),
                };
            }
            PageOf::Tag(tag) => {
                let slug = &site.tags[tag].slug;
                return match whose {
                    Whose::TagMembers => tag_members(&site.tags[tag]),
                    Whose::ChildTagMembers => site
                        .tags
                        .iter()
                        .filter(|child| child.parent.as_ref() == Some(slug))
                        .flat_map(tag_members)
                        .collect(),
                    _ => Vec::new(),
                };
            }
            PageOf::List(kind) => {
                return match whose {
                    Whose::WholeSection => site.of_kind(kind).collect(),
                    _ => Vec::new(),
                };
            }
            PageOf::Section(kind, n) => {
                let size = site.config.page_size;
                return match whose {
                    Whose::Section => n.slice(&section_order(site, kind), size).to_vec(),
                    _ => Vec::new(),
                };
            }
        };
        let relations = &site.relations[id];
        let mut ids: Vec<DocId> = match whose {
            Whose::Own => vec![id],
            Whose::LinkTargets => linked(&relations.targets).collect(),
            Whose::Backlinks => relations.backlinks.clone(),
            Whose::Authors => relations.authors.clone(),
            Whose::Contributions => relations.contributions.clone(),
            Whose::Owner => relations.owner.into_iter().collect(),
            Whose::Cites => relations.cites.clone(),
            Whose::Evidence => relations.evidence.clone(),
            Whose::Related => relations.related.clone(),
            Whose::MentorsOfLearning => site.documents[id]
                .front
                .learning
                .iter()
                .filter_map(|t| site.tag(&t.text))
                .flat_map(|tag| tag.mentors.iter().copied())
                .collect(),
            Whose::Items | Whose::ItemsInFull => relations.items.iter().map(|i| i.id).collect(),
            Whose::ItemLinkTargets => relations
                .items
                .iter()
                .flat_map(|i| linked(&site.relations[i.id].targets).filter(move |&to| to != i.id))
                .collect(),
            Whose::ItemEvidence => relations
                .items
                .iter()
                .flat_map(|i| site.relations[i.id].evidence.iter().copied())
                .collect(),
            Whose::Toolkits => relations.toolkits.clone(),
            Whose::KeptToolkits => crate::stages::render::toolkit::kept(site, id),
            Whose::FellowItems => relations
                .toolkits
                .iter()
                .flat_map(|&t| site.relations[t].items.iter().map(|i| i.id))
                .collect(),
            Whose::SectionNeighbours => {
                section_neighbours(site, id).into_iter().flatten().collect()
            }
            Whose::Neighbours => relations
                .toolkits
                .iter()
                .flat_map(|&t| {
                    let items: Vec<DocId> = site.relations[t].items.iter().map(|i| i.id).collect();
                    let at = items.iter().position(|&i| i == id).unwrap();
                    let before = at.checked_sub(1).map(|b| items[b]);
                    before.into_iter().chain(items.get(at + 1).copied())
                })
                .collect(),
            _ => Vec::new(),
        };
        // A page shows itself through `Own` only.
        if whose != Whose::Own {
            ids.retain(|&other| other != id);
        }
        ids
    }

    #[test]
    fn each_relation_finds_every_page_that_lists_a_document() {
        let site = example();
        let mut exercised: BTreeMap<String, usize> = BTreeMap::new();
        for kind in PageKind::ALL {
            let pages = every_page_of(&site);
            for at in pages
                .into_iter()
                .filter(|&at| kind.file(&site, at).is_some())
            {
                for shown in kind.declaration().shows {
                    for id in listed(shown.of, &site, at) {
                        let mut found = Vec::new();
                        shown.of.listing(&site, id, &mut |page| found.push(page));
                        assert!(
                            found.contains(&at),
                            "{kind:?} at {at:?} lists {id:?} through {:?}",
                            shown.of
                        );
                        *exercised.entry(format!("{:?}", shown.of)).or_default() += 1;
                    }
                }
            }
        }
        // The example has some of every relation, so each inverse was tried.
        let declared: BTreeSet<String> = PageKind::ALL
            .iter()
            .flat_map(|kind| kind.declaration().shows)
            .map(|shown| format!("{:?}", shown.of))
            .collect();
        let tried: BTreeSet<String> = exercised.into_keys().collect();
        assert_eq!(tried, declared);
    }

    #[test]
    fn gaps_are_found_on_the_pages_that_show_them() {
        let site = example();
        let report = crate::stages::gaps::analyse(&site, jiff::civil::date(2026, 11, 1));
        let site = site.into_full().expect("a build reads in full");
        let views = views(&site, &report);
        let mut tried = 0;
        for item in &views.gaps {
            let Some(slug) = &item.tag else { continue };
            let mut found = Vec::new();
            for shown in [GapsShown::OfTag, GapsShown::OfExpertise] {
                shown.listing(&site, slug, &mut |page| found.push(page));
            }
            let tag = site.tag_id(slug).expect("a gap's tag is a tag");
            assert!(found.contains(&PageOf::Tag(tag)), "{slug}");
            for (member, doc) in site.documents.iter_enumerated() {
                if doc.front.expertise.iter().any(|t| &t.text == slug) {
                    assert!(found.contains(&PageOf::Document(member)), "{slug}");
                    tried += 1;
                }
            }
        }
        assert!(tried > 0, "some member can help with a gap");
    }

    #[test]
    fn only_what_nothing_else_shows_takes_the_quick_path() {
        // The body, keys only templates read, a member's profile links and
        // a toolkit's audience:
        // no other page shows them, and no list, link or gap depends on them.
        let own = Facts::of(&[Fact::Body, Fact::Extra, Fact::Contacts, Fact::Audience]);
        assert_eq!(shown_on_own_page_only(), own);
    }
}
