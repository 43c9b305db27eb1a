//! Resolves every link and slug reference, and computes the cross-links:
//! backlinks, authorship, evidence, related documents and the tag index.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use rayon::prelude::*;

use crate::model::document::{Document, Kind};
use crate::model::facts::{Fact, Facts};
pub use crate::model::ids::{DocId, IdVec, Rank, TagId};
use crate::stages::config::{Config, title_from_slug};
use crate::stages::load::{Loaded, STATIC_DIR, Unreadable};
use crate::stages::look::FooterTarget;
use crate::support::diagnostic::{Check, Diagnostic, Span, suggest};
use crate::support::fields::Located;
use crate::support::markdown::{LinkKind, LinkRef, Reading};

/// The site's documents, sorted by kind, then source path.
pub(crate) type Documents = IdVec<DocId, Arc<Document>>;

/// Where a checked link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// Left alone: external links, and links that failed their check.
    Unchecked,
    Document {
        id: DocId,
        anchor: Option<String>,
    },
    /// A file copied from `static/`, by its path in the output.
    Static(String),
    /// One of practica's own pages that is not a document's (the home
    /// page, a section, the topics, a topic, the gap map, search), by its
    /// folder in the output (`""` for the home page).
    Page {
        folder: String,
        anchor: Option<String>,
    },
    /// An anchor on the same page.
    Anchor(String),
    /// `[[?Title]]`, a page the community wants written.
    Wanted(String),
    /// A link that would run code when clicked (`javascript:` and the
    /// like): published with an empty address.
    Neutralised,
}

#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Tag {
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) parent: Option<String>,
    pub(crate) declared: bool,
    /// History, not neglect (`archived: true` in the domain map).
    pub(crate) archived: bool,
    /// Documents (not members) with this tag, newest first.
    pub(crate) documents: Vec<DocId>,
    /// Members with this tag in `expertise`, in id order; `mentors` are
    /// those of them who mentor.
    pub(crate) experts: Vec<DocId>,
    pub(crate) mentors: Vec<DocId>,
    /// Members with this tag in `learning`, in id order.
    pub(crate) learners: Vec<DocId>,
    /// The declared tags whose `parent` this is, in map order.
    pub(crate) children: Vec<TagId>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Wanted {
    pub(crate) title: String,
    pub(crate) requested_by: Vec<DocId>,
}

/// One document's relations to the others.
#[derive(Debug, Clone, Default)]
pub(crate) struct Relations {
    /// Where each link of the body goes: link *n* of the scan is target *n*.
    pub(crate) targets: Vec<Target>,
    /// Documents whose body links here, in id order.
    pub(crate) backlinks: Vec<DocId>,
    /// The members named in `authors`, as written, each once.
    pub(crate) authors: Vec<DocId>,
    /// The member named in `owner`.
    pub(crate) owner: Option<DocId>,
    /// For members: the documents they wrote, newest first.
    pub(crate) contributions: Vec<DocId>,
    /// For guides and case studies: the practices they cite.
    pub(crate) cites: Vec<DocId>,
    /// For practices: the guides and case studies that cite them, newest first.
    pub(crate) evidence: Vec<DocId>,
    /// Documents sharing the most tags, less those the page lists already
    /// as evidence, citations or backlinks.
    pub(crate) related: Vec<DocId>,
    /// `related` before that, which `link_reusing` can take over.
    related_by_tags: Vec<DocId>,
    /// For toolkits: their items, in reading order, each once.
    pub(crate) items: Vec<ToolkitItem>,
    /// The toolkits that hold this document, in id order.
    pub(crate) toolkits: Vec<DocId>,
    /// Where `image` is: a file under static/ or an external address
    /// (`Target::Unchecked`); `None` without one, or if it is not there.
    pub(crate) image: Option<Target>,
    /// What was wrong with its links, references and tags.
    problems: Vec<Diagnostic>,
}

impl Relations {
    /// The relations its own text gives (`resolve_document`), without
    /// those worked out from the others'.
    fn own(&self) -> Relations {
        Relations {
            targets: self.targets.clone(),
            authors: self.authors.clone(),
            owner: self.owner,
            cites: self.cites.clone(),
            items: self.items.clone(),
            image: self.image.clone(),
            problems: self.problems.clone(),
            ..Relations::default()
        }
    }

    fn links_to_page(&self) -> bool {
        self.targets
            .iter()
            .any(|t| matches!(t, Target::Page { .. }))
    }
}

/// One item of a toolkit, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ToolkitItem {
    pub(crate) id: DocId,
    /// Its part: an index into the toolkit's `items` parts.
    pub(crate) part: usize,
    /// Where the toolkit names it.
    pub(crate) span: Span,
}

/// The kinds of document a toolkit holds.
pub(crate) const ITEM_KINDS: [Kind; 3] = [Kind::Practice, Kind::Guide, Kind::CaseStudy];

/// The linked site model: documents plus every relation between them.
/// `relations` and `rank` hold one entry per document, as `documents` does.
#[derive(Debug)]
pub struct Site {
    /// How much of each body was read: only a full reading can be
    /// rendered (`FullSite`).
    reading: Reading,
    pub(crate) config: Config,
    pub documents: Documents,
    pub(crate) relations: IdVec<DocId, Relations>,
    /// Declared tags first in declaration order, then used-only tags by slug.
    pub(crate) tags: IdVec<TagId, Tag>,
    pub(crate) wanted: Vec<Wanted>,
    /// Each document's place in the newest-first order of the whole site,
    /// so lists sort by one integer instead of dates and titles.
    pub(crate) rank: IdVec<DocId, Rank>,
    tag_index: FxHashMap<String, TagId>,
    /// The documents by the names links give them, and what else links
    /// were resolved against: what the next link can take over from.
    index: Arc<DocIndex>,
    context: LinkContext,
}

/// A site whose documents were read in full, with their bodies' HTML and
/// plain text: the only kind of site the render stage takes, so a site
/// read in outline (which keeps no bodies) cannot be rendered by mistake.
#[derive(Debug)]
pub(crate) struct FullSite(Site);

impl std::ops::Deref for FullSite {
    type Target = Site;
    fn deref(&self) -> &Site {
        &self.0
    }
}

impl std::ops::DerefMut for FullSite {
    /// For swapping in documents read again, which a full reading reads in full.
    fn deref_mut(&mut self) -> &mut Site {
        &mut self.0
    }
}

impl Site {
    /// The site as one that can be rendered, if it was read in full.
    pub(crate) fn into_full(self) -> Option<FullSite> {
        match self.reading {
            Reading::Full => Some(FullSite(self)),
            Reading::Outline => None,
        }
    }

    pub(crate) fn tag(&self, slug: &str) -> Option<&Tag> {
        self.tag_index.get(slug).map(|&id| &self.tags[id])
    }

    pub(crate) fn tag_id(&self, slug: &str) -> Option<TagId> {
        self.tag_index.get(slug).copied()
    }

    /// Each document's `tags`, in the order written.
    pub(crate) fn tag_ids(&self) -> IdVec<DocId, Vec<TagId>> {
        self.documents
            .iter()
            .map(|d| {
                d.front
                    .tags
                    .iter()
                    .filter_map(|t| self.tag_id(&t.text))
                    .collect()
            })
            .collect()
    }

    pub(crate) fn of_kind(&self, kind: Kind) -> impl Iterator<Item = DocId> + '_ {
        self.documents.ids_where(move |d| d.kind == kind)
    }

    /// Whether `other` has the same documents from the same files, in the
    /// same order (so with the same ids), alike as `alike` says.
    pub(crate) fn same_documents(
        &self,
        other: &Site,
        alike: impl Fn(&Document, &Document) -> bool,
    ) -> bool {
        self.documents.len() == other.documents.len()
            && self
                .documents
                .iter()
                .zip(&other.documents)
                .all(|(a, b)| a.source == b.source && alike(a, b))
    }

    /// Document ids sorted newest first, then by title.
    pub(crate) fn newest_first(&self, ids: &mut [DocId]) {
        ids.sort_unstable_by_key(|&id| self.rank[id]);
    }
}

/// The documents by each name links and references give them. It is
/// made once for a set of documents and shared by every site `serve`
/// links while no document comes, goes or is renamed.
#[derive(Debug)]
struct DocIndex {
    by_source: FxHashMap<String, DocId>,
    by_url: FxHashMap<String, DocId>,
    by_slug: FxHashMap<String, Vec<DocId>>,
    /// Members and practices by slug: what `authors`, `owner` and
    /// `practices` name.
    members: FxHashMap<String, DocId>,
    practices: FxHashMap<String, DocId>,
}

impl DocIndex {
    fn new(documents: &Documents) -> DocIndex {
        let mut by_slug: FxHashMap<String, Vec<DocId>> = FxHashMap::default();
        for (id, doc) in documents.iter_enumerated() {
            by_slug.entry(doc.slug.clone()).or_default().push(id);
        }
        let of_kind = |kind: Kind| {
            documents
                .iter_enumerated()
                .filter(|(_, d)| d.kind == kind)
                .map(|(id, d)| (d.slug.clone(), id))
                .collect()
        };
        DocIndex {
            by_source: documents
                .iter_enumerated()
                .map(|(id, d)| (d.source.clone(), id))
                .collect(),
            by_url: documents
                .iter_enumerated()
                .map(|(id, d)| (d.url.clone(), id))
                .collect(),
            by_slug,
            members: of_kind(Kind::Member),
            practices: of_kind(Kind::Practice),
        }
    }
}

/// What links are resolved against besides the documents: the same from
/// one edit to the next unless a draft, a static file, an unreadable file
/// or a topic came or went.
#[derive(Debug, Default, PartialEq)]
struct LinkContext {
    /// Drafts left out, by source path, so links to them get a clear message.
    drafts: Vec<String>,
    static_files: BTreeSet<String>,
    unreadable: Vec<Unreadable>,
    /// The folders of the site's own pages (`Target::Page`).
    site_pages: FxHashSet<String>,
}

/// Everything a document's links are resolved against.
struct Lookup<'a> {
    index: &'a DocIndex,
    context: &'a LinkContext,
    unreadable: UnreadableNames<'a>,
    declared_tags: FxHashSet<&'a str>,
}

/// What links and references may call a file that could not be read. Its
/// own error says why; reporting every link to it as well buried that one
/// error under others that all go away with it.
#[derive(Default)]
struct UnreadableNames<'a> {
    sources: FxHashSet<&'a str>,
    urls: FxHashSet<String>,
    slugs: FxHashSet<(Kind, &'a str)>,
}

impl<'a> UnreadableNames<'a> {
    fn new(files: &'a [Unreadable]) -> Self {
        let mut names = UnreadableNames::default();
        for file in files {
            names.sources.insert(&file.source);
            if let Some(slug) = &file.slug {
                names
                    .urls
                    .insert(format!("{}/{slug}/", file.kind.section()));
                names.slugs.insert((file.kind, slug));
            }
        }
        names
    }

    /// Whether `slug` names an unreadable file of `kind`, or of any kind.
    fn has_slug(&self, kind: Option<Kind>, slug: &str) -> bool {
        match kind {
            Some(kind) => self.slugs.contains(&(kind, slug)),
            None => Kind::ALL.iter().any(|&k| self.slugs.contains(&(k, slug))),
        }
    }
}

/// Links `loaded`, taking from `earlier` (the site before an edit, in
/// `serve`, linked with the same settings) what the edit cannot have
/// changed: the documents' index and each unedited document's own
/// relations while every document keeps its name (`Unchanged`), and the
/// related documents of those no edit moves among them
/// (`related_after_edit`).
pub(crate) fn link_reusing(
    config: Config,
    loaded: Loaded,
    earlier: Option<&Site>,
) -> (Site, Vec<Diagnostic>) {
    let Loaded {
        mut documents,
        skipped_drafts,
        static_files,
        reading,
        unreadable,
        ..
    } = loaded;
    documents.sort_by(|a, b| (a.kind, &a.source).cmp(&(b.kind, &b.source)));
    let documents = Documents::from(documents);
    let edits = earlier.and_then(|e| EditsSince::of(e, &documents));
    let unedited_in = |facts| {
        edits
            .as_ref()
            .filter(|e| e.none_meet(facts))
            .map(|e| e.earlier)
    };
    let context = LinkContext {
        site_pages: match unedited_in(Facts::of(&[Fact::Tags, Fact::Topics])) {
            Some(earlier) => earlier.context.site_pages.clone(),
            None => site_pages(&config, &documents),
        },
        drafts: skipped_drafts,
        static_files,
        unreadable,
    };
    let unchanged = edits.as_ref().and_then(|e| Unchanged::since(e, &context));
    let index = match &unchanged {
        Some(unchanged) => Arc::clone(&unchanged.earlier.index),
        None => Arc::new(DocIndex::new(&documents)),
    };
    let lookup = Lookup::new(&index, &context, &config);
    // Ranks need only dates and titles: they are sorted beside the links.
    let (relations, rank): (Vec<Relations>, _) = rayon::join(
        || {
            documents
                .par_iter_enumerated()
                .map(|(id, doc)| {
                    let kept = unchanged.as_ref().and_then(|u| u.relations_of(id, doc));
                    kept.unwrap_or_else(|| resolve_document(&lookup, id, doc, &documents))
                })
                .collect()
        },
        || match unedited_in(Facts::of(&[Fact::Title, Fact::Dates])) {
            Some(earlier) => earlier.rank.clone(),
            None => newest_first_ranks(&documents),
        },
    );
    let mut diagnostics = footer_link_problems(&lookup, &config);
    drop(lookup);
    drop(unchanged);
    diagnostics.extend(relations.iter().flat_map(|r| r.problems.iter().cloned()));
    let mut site = Site {
        config,
        reading,
        documents,
        relations: relations.into(),
        tags: IdVec::new(),
        wanted: Vec::new(),
        rank,
        tag_index: FxHashMap::default(),
        index,
        context,
    };
    add_inverse_relations(&mut site);
    site.tags = build_tags(&site);
    site.tag_index = site
        .tags
        .iter_enumerated()
        .map(|(id, t)| (t.slug.clone(), id))
        .collect();
    let related = match &edits {
        // Related documents are only shown on pages, which a run that read
        // only the outline of each body does not render.
        _ if reading == Reading::Outline => site.documents.iter().map(|_| Vec::new()).collect(),
        Some(edits) => related_after_edit(edits, &site),
        None => related_of_all(&site),
    };
    set_related(&mut site, related);
    site.wanted = collect_wanted(&site);
    (site, diagnostics)
}

/// The documents read again since `earlier` was linked, with the facts
/// each edit changed, when the files are those of `earlier`, in the same
/// order (so with the same ids).
struct EditsSince<'e> {
    earlier: &'e Site,
    /// Documents not read again are the same `Arc`s, and are left out.
    edited: Vec<(DocId, Facts)>,
}

impl<'e> EditsSince<'e> {
    fn of(earlier: &'e Site, documents: &Documents) -> Option<Self> {
        let same_files = earlier.documents.len() == documents.len()
            && earlier
                .documents
                .iter()
                .zip(documents)
                .all(|(old, new)| old.source == new.source);
        let edited = documents
            .iter_enumerated()
            .filter(|&(id, new)| !Arc::ptr_eq(&earlier.documents[id], new))
            .map(|(id, new)| (id, Facts::between(&earlier.documents[id], new)));
        same_files.then(|| EditsSince {
            earlier,
            edited: edited.collect(),
        })
    }

    /// Whether no edit changed any of `facts`.
    fn none_meet(&self, facts: Facts) -> bool {
        self.edited.iter().all(|(_, changed)| !changed.meets(facts))
    }

    /// The edited documents whose edits changed one of `facts`.
    fn meeting(&self, facts: Facts) -> impl Iterator<Item = (DocId, Facts)> + '_ {
        self.edited
            .iter()
            .copied()
            .filter(move |(_, changed)| changed.meets(facts))
    }
}

/// What a link after an edit can take over from the site before it, when
/// every document kept its name and place and no draft, static file or
/// unreadable file came or went: the index, and the own relations of each
/// document not edited whose links cannot resolve otherwise now.
struct Unchanged<'e> {
    earlier: &'e Site,
    /// A topic came or went: links to practica's pages, and links that
    /// were broken, are resolved again.
    pages_changed: bool,
    /// Edited documents whose headings or HTML ids changed: links to
    /// their anchors, and links that were broken, are resolved again.
    anchors_changed: FxHashSet<DocId>,
}

impl<'e> Unchanged<'e> {
    fn since(edits: &EditsSince<'e>, context: &LinkContext) -> Option<Self> {
        let earlier = edits.earlier;
        // A document of another kind, slug or address changes every fact.
        let same_names = edits.none_meet(Facts::of(&[Fact::Kind]));
        let same_context = earlier.context.drafts == context.drafts
            && earlier.context.static_files == context.static_files
            && earlier.context.unreadable == context.unreadable;
        if !same_names || !same_context {
            return None;
        }
        let anchors_changed = edits
            .meeting(Facts::of(&[Fact::Headings]))
            .map(|(id, _)| id)
            .collect();
        Some(Unchanged {
            earlier,
            pages_changed: earlier.context.site_pages != context.site_pages,
            anchors_changed,
        })
    }

    /// The own relations of `doc`, if it was not edited and its links
    /// resolve as they did.
    fn relations_of(&self, id: DocId, doc: &Arc<Document>) -> Option<Relations> {
        if !Arc::ptr_eq(&self.earlier.documents[id], doc) {
            return None;
        }
        let old = &self.earlier.relations[id];
        let broken = !old.problems.is_empty();
        if self.pages_changed && (broken || old.links_to_page()) {
            return None;
        }
        let to_moved_anchor = || {
            old.targets.iter().any(|t| {
                matches!(t, Target::Document { id, anchor: Some(_) }
                    if self.anchors_changed.contains(id))
            })
        };
        // Raw HTML's links are only checked: where they go is not kept.
        let checks_html = !doc.scan.html_links.is_empty();
        if !self.anchors_changed.is_empty() && (broken || checks_html || to_moved_anchor()) {
            return None;
        }
        Some(old.own())
    }
}

/// Tags a document names that the domain map does not declare but that
/// are a letter or two from one it does: most likely that one, misspelt
/// (an undeclared tag is otherwise allowed, and the gap map lists it).
fn misspelt_tags(declared: &FxHashSet<&str>, doc: &Document) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let front = &doc.front;
    let named = [
        ("tags", &front.tags),
        ("expertise", &front.expertise),
        ("learning", &front.learning),
    ];
    for (key, tags) in named {
        for tag in tags.iter().filter(|t| !declared.contains(t.text.as_str())) {
            let Some(near) = suggest(&tag.text, declared.iter().copied()) else {
                continue;
            };
            found.push(
                Diagnostic::warning(
                    &doc.source,
                    tag.span,
                    format!("`{}` in `{key}` is not a declared tag — did you mean `{near}`?", tag.text),
                )
                .with_hint(format!(
                    "write `{near}`, or declare `{}` under `tags:` in community.yaml if it is a topic of its own",
                    tag.text
                ))
                .of(Check::MisspeltTags),
            );
        }
    }
    found
}

/// The folders of the pages practica makes besides documents' pages: the
/// home page, the sections, the topics and each topic (declared, or named
/// by a document), the gap map and search.
fn site_pages(config: &Config, documents: &Documents) -> FxHashSet<String> {
    let mut pages: FxHashSet<String> = ["", "tags/", "gaps/", "search/"]
        .into_iter()
        .map(String::from)
        .collect();
    pages.extend(Kind::ALL.iter().map(|k| format!("{}/", k.section())));
    let declared = config.tags.iter().map(|t| t.slug.as_str());
    let named = documents.iter().flat_map(|d| {
        let front = &d.front;
        [&front.tags, &front.expertise, &front.learning]
            .into_iter()
            .flatten()
            .map(|t| t.text.as_str())
    });
    // Tens of thousands of mentions name a few hundred topics.
    let topics: FxHashSet<&str> = declared.chain(named).collect();
    pages.extend(topics.into_iter().map(|slug| format!("tags/{slug}/")));
    pages
}

fn newest_first_ranks(documents: &Documents) -> IdVec<DocId, Rank> {
    let mut order: Vec<DocId> = documents.ids().collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&documents[a], &documents[b]);
        b.sort_date()
            .cmp(&a.sort_date())
            .then_with(|| a.front.title.cmp(&b.front.title))
    });
    let mut rank = IdVec::from(vec![Rank::from_index(0); documents.len()]);
    for (place, id) in order.into_iter().enumerate() {
        rank[id] = Rank::from_index(place);
    }
    rank
}

impl<'a> Lookup<'a> {
    fn new(index: &'a DocIndex, context: &'a LinkContext, config: &'a Config) -> Self {
        Lookup {
            index,
            context,
            unreadable: UnreadableNames::new(&context.unreadable),
            declared_tags: config.tags.iter().map(|t| t.slug.as_str()).collect(),
        }
    }
}

/// A link that failed its check: the message and a hint naming the nearest
/// target, or `None` for a link to a file that could not be read, whose own
/// error is the one to fix.
/// Which `Check` it fails says how the community wants it reported.
struct Broken(Option<(String, String)>, Check);

fn broken(message: String, hint: String) -> Broken {
    Broken(Some((message, hint)), Check::BrokenLinks)
}

fn broken_anchor(message: String, hint: String) -> Broken {
    Broken(Some((message, hint)), Check::BrokenAnchors)
}

const TO_UNREADABLE: Broken = Broken(None, Check::BrokenLinks);

/// One document's links and the slugs its front matter names, resolved,
/// and what was wrong with them; the relations that point back come later.
fn resolve_document(
    lookup: &Lookup,
    id: DocId,
    doc: &Document,
    documents: &Documents,
) -> Relations {
    let (members, practices) = (&lookup.index.members, &lookup.index.practices);
    let mut diagnostics = Vec::new();
    let targets = resolve_links(lookup, id, doc, documents, &mut diagnostics);
    check_html_links(lookup, id, doc, documents, &mut diagnostics);
    let front = &doc.front;
    let mut resolve =
        |refs, names, what| resolve_slugs(lookup, doc, refs, names, what, &mut diagnostics);
    let authors = resolve(&front.authors, (members, Kind::Member), "author");
    let cites = resolve(&front.practices, (practices, Kind::Practice), "practice");
    let owner = resolve(front.owner.as_slice(), (members, Kind::Member), "owner");
    let items = match doc.kind {
        Kind::Toolkit => resolve_items(lookup, doc, documents, &mut diagnostics),
        _ => Vec::new(),
    };
    let image = front
        .image
        .as_ref()
        .and_then(|image| resolve_image(lookup, id, doc, image, documents, &mut diagnostics));
    diagnostics.extend(misspelt_tags(&lookup.declared_tags, doc));
    Relations {
        targets,
        image,
        authors,
        cites,
        owner: owner.first().copied(),
        items,
        problems: diagnostics,
        ..Relations::default()
    }
}

fn resolve_links(
    lookup: &Lookup,
    id: DocId,
    doc: &Document,
    documents: &Documents,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Target> {
    doc.scan
        .links
        .iter()
        .map(|link| match resolve(lookup, id, doc, link, documents) {
            Ok(_) if runs_code(link) => {
                let span = Span::new(
                    (link.span.line + doc.body_line).saturating_sub(1),
                    link.span.col,
                );
                let warning = Diagnostic::warning(
                    &doc.source,
                    span,
                    format!(
                        "the link `{}` would run code when clicked",
                        link.dest.trim()
                    ),
                )
                .with_hint(
                    "it is published without its address; link to a web page (https://…) instead",
                );
                diagnostics.push(warning);
                Target::Neutralised
            }
            Ok(target) => target,
            Err(Broken(None, _)) => Target::Unchecked,
            Err(Broken(Some((message, hint)), check)) => {
                let span = Span::new(
                    (link.span.line + doc.body_line).saturating_sub(1),
                    link.span.col,
                );
                let problem = Diagnostic::error(&doc.source, span, message).with_hint(hint);
                diagnostics.push(problem.of(check));
                Target::Unchecked
            }
        })
        .collect()
}

/// `image` in front matter, resolved as an image in the body would be, with
/// the same messages at its place; a document or page is not a picture.
fn resolve_image(
    lookup: &Lookup,
    id: DocId,
    doc: &Document,
    image: &Located,
    documents: &Documents,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Target> {
    let link = LinkRef {
        dest: image.text.clone(),
        kind: LinkKind::Image,
        span: image.span,
    };
    let error = |message: String, hint: &str| {
        Diagnostic::error(&doc.source, image.span, message).with_hint(hint)
    };
    let problem = match resolve(lookup, id, doc, &link, documents) {
        Ok(Target::Unchecked) if runs_code(&link) => error(
            format!("`image` `{}` is not a picture's address", image.text),
            "give a file under static/ or an https:// address",
        ),
        Ok(target @ (Target::Static(_) | Target::Unchecked)) => return Some(target),
        Ok(_) => error(
            format!("`image` `{}` is a page, not a picture", image.text),
            "give a picture's file under static/, like `../static/images/crates.jpg`",
        ),
        Err(Broken(None, _)) => return None,
        Err(Broken(Some((message, hint)), check)) => error(message, &hint).of(check),
    };
    diagnostics.push(problem);
    None
}

/// A footer link to this site must reach a document (by its `.md` file),
/// a page or a static file, as a body's link must: otherwise every page
/// would carry the broken link.
fn footer_link_problems(lookup: &Lookup, config: &Config) -> Vec<Diagnostic> {
    config
        .look
        .footer_links
        .iter()
        .filter_map(|link| {
            let FooterTarget::Site(url) = &link.target else {
                return None;
            };
            let (path, _) = split_fragment(url);
            let path = percent_decode(path.split('?').next().unwrap_or_default());
            let trimmed = path.trim_end_matches("index.html").trim_end_matches('/');
            let folder = match trimmed {
                "" => String::new(),
                trimmed => format!("{trimmed}/"),
            };
            let found = if path.ends_with(".md") {
                lookup.index.by_source.contains_key(path.as_str())
            } else {
                lookup.index.by_url.contains_key(folder.as_str())
                    || lookup.context.static_files.contains(path.as_str())
                    || lookup.context.site_pages.contains(&folder)
            };
            let problem = Diagnostic::error(
                std::path::Path::new(crate::stages::config::CONFIG_FILE),
                link.span,
                format!("footer link `{url}` goes to no page or file of this site"),
            )
            .with_hint(
                "write a document's file from the community folder (practices/x.md), a path of the built site (tags/), a file under static/ without `static/`, or an https:// address",
            );
            (!found).then(|| problem.of(Check::BrokenLinks))
        })
        .collect()
}

/// Addresses in raw HTML are checked as markdown links are, with the same
/// messages; they are published as written, so nothing is resolved.
fn check_html_links(
    lookup: &Lookup,
    id: DocId,
    doc: &Document,
    documents: &Documents,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for link in &doc.scan.html_links {
        if let Err(Broken(Some((message, hint)), check)) = resolve(lookup, id, doc, link, documents)
        {
            let span = Span::new(
                (link.span.line + doc.body_line).saturating_sub(1),
                link.span.col,
            );
            let problem = Diagnostic::error(&doc.source, span, message).with_hint(hint);
            diagnostics.push(problem.of(check));
        }
    }
}

/// Whether a markdown link or image would run code when followed: a
/// `javascript:`, `vbscript:` or `data:` address (but for `data:image/`
/// in an image, which only shows a picture).
fn runs_code(link: &LinkRef) -> bool {
    let dest = link.dest.trim();
    match crate::support::fields::scripting_scheme(dest) {
        Some("data:") if link.kind == LinkKind::Image => !dest
            .get(..11)
            .is_some_and(|s| s.eq_ignore_ascii_case("data:image/")),
        Some(_) => !matches!(link.kind, LinkKind::Wiki { .. }),
        None => false,
    }
}

fn resolve(
    lookup: &Lookup,
    id: DocId,
    doc: &Document,
    link: &LinkRef,
    documents: &Documents,
) -> Result<Target, Broken> {
    let dest = link.dest.trim();
    match link.kind {
        LinkKind::Wiki { .. } => resolve_wikilink(lookup, dest, documents),
        LinkKind::Email => Ok(Target::Unchecked),
        _ if dest.is_empty() || is_external(dest) => Ok(Target::Unchecked),
        _ => resolve_path(lookup, doc, dest, documents, link.kind == LinkKind::Image),
    }
    .and_then(|target| check_anchor(target, id, documents))
}

/// Whether a destination has a scheme (`https:`, `mailto:`) or is
/// protocol-relative (`//host/x`). (`import` reads old links with it too.)
pub(crate) fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let scheme_end = dest.find(':');
    let path_start = dest.find(['/', '?', '#']).unwrap_or(dest.len());
    matches!(scheme_end, Some(end) if end > 0 && end < path_start
        && dest[..end].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
}

fn split_fragment(dest: &str) -> (&str, Option<String>) {
    match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(percent_decode(fragment))),
        None => (dest, None),
    }
}

fn resolve_wikilink(lookup: &Lookup, dest: &str, documents: &Documents) -> Result<Target, Broken> {
    if let Some(title) = dest.strip_prefix('?') {
        return Ok(Target::Wanted(title.trim().to_string()));
    }
    let (name, anchor) = split_fragment(dest);
    if name.is_empty() {
        return Ok(Target::Anchor(anchor.unwrap_or_default()));
    }
    let (section, slug) = match name.rsplit_once('/') {
        Some((section, slug)) => (Some(section.trim()), slug::slugify(slug)),
        None => (None, slug::slugify(name)),
    };
    let candidates: Vec<DocId> = lookup
        .index
        .by_slug
        .get(slug.as_str())
        .cloned()
        .unwrap_or_default();
    let matching: Vec<DocId> = match section {
        Some(section) => {
            if Kind::from_section(section).is_none() {
                return Err(broken(
                    format!("`[[{dest}]]` names the section `{section}`, which does not exist"),
                    "sections are practices, guides, case-studies, members and toolkits".into(),
                ));
            }
            candidates
                .into_iter()
                .filter(|&id| documents[id].kind.section() == section)
                .collect()
        }
        None => candidates,
    };
    match matching.as_slice() {
        [id] => Ok(Target::Document { id: *id, anchor }),
        [] if lookup
            .unreadable
            .has_slug(section.and_then(Kind::from_section), &slug) =>
        {
            Err(TO_UNREADABLE)
        }
        [] => {
            let near = suggest(&slug, lookup.index.by_slug.keys().map(String::as_str));
            Err(broken(
                format!("`[[{dest}]]` links to no document"),
                match near {
                    Some(n) => format!(
                        "did you mean `[[{n}]]`? For a page not written yet, write `[[?{name}]]`"
                    ),
                    None => format!("for a page not written yet, write `[[?{name}]]`"),
                },
            ))
        }
        several => {
            let places: Vec<String> = several
                .iter()
                .map(|&i| documents[i].source.clone())
                .collect();
            Err(broken(
                format!(
                    "`[[{dest}]]` matches {} documents: {}",
                    several.len(),
                    places.join(", ")
                ),
                format!(
                    "name the section, like `[[{}/{slug}]]`",
                    documents[several[0]].kind.section()
                ),
            ))
        }
    }
}

/// `image`: the link is an image's source, so only a file can be meant.
fn resolve_path(
    lookup: &Lookup,
    doc: &Document,
    dest: &str,
    documents: &Documents,
    image: bool,
) -> Result<Target, Broken> {
    let (path, anchor) = split_fragment(dest);
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() {
        return Ok(match anchor {
            Some(anchor) => Target::Anchor(anchor),
            None => Target::Unchecked,
        });
    }
    if let Some(fixed) = missing_scheme(path) {
        return Err(broken(
            format!("link `{dest}` is a web or e-mail address without its scheme"),
            format!("write `{fixed}`: without it, the address is read as a file of this site"),
        ));
    }
    let decoded = percent_decode(path);
    let base = if decoded.starts_with('/') {
        ""
    } else {
        parent_of(&doc.source)
    };
    let Some(resolved) = normalize(base, &decoded) else {
        let hint = if image {
            "put images under static/ and link to them relative to this file, like `../static/images/x.png`"
        } else {
            "link to documents with paths relative to this file, like `../practices/peer-review.md`"
        };
        return Err(broken(
            format!("link `{dest}` points outside the community folder"),
            hint.into(),
        ));
    };
    if decoded.starts_with('/') || !resolved.ends_with(".md") && !resolved.starts_with("static/") {
        return resolve_site_path(lookup, doc, dest, &resolved, anchor, image);
    }
    if let Some(rest) = resolved.strip_prefix(&format!("{STATIC_DIR}/")) {
        return resolve_static(lookup, doc, dest, rest);
    }
    if let Some(&target) = lookup.index.by_source.get(resolved.as_str()) {
        return Ok(Target::Document { id: target, anchor });
    }
    if lookup.unreadable.sources.contains(resolved.as_str()) {
        return Err(TO_UNREADABLE);
    }
    if lookup.context.drafts.iter().any(|d| d == &resolved) {
        return Err(broken(
            format!("link `{dest}` goes to a draft, which this build leaves out"),
            "publish it (remove `draft: true`), build with --drafts, or remove the link".into(),
        ));
    }
    let sources = documents
        .iter()
        .map(|d| d.source.as_str())
        .filter(|s| *s != doc.source);
    Err(broken(
        format!("link `{dest}` goes to no document"),
        match suggest(&resolved, sources) {
            Some(near) => format!(
                "did you mean `{}`?",
                relative_path(parent_of(&doc.source), near)
            ),
            None => "check the file name and the `../` steps".into(),
        },
    ))
}

/// A site path like `/practices/peer-review/`, `/tags/`, a relative folder
/// link, or a file's path in the output.
fn resolve_site_path(
    lookup: &Lookup,
    doc: &Document,
    dest: &str,
    resolved: &str,
    anchor: Option<String>,
    image: bool,
) -> Result<Target, Broken> {
    let trimmed = resolved
        .trim_end_matches("index.html")
        .trim_end_matches('/');
    let folder = match trimmed {
        "" => String::new(),
        trimmed => format!("{trimmed}/"),
    };
    if let Some(&id) = lookup.index.by_url.get(folder.as_str()) {
        return Ok(Target::Document { id, anchor });
    }
    if lookup.unreadable.urls.contains(&folder) {
        return Err(TO_UNREADABLE);
    }
    if lookup.context.static_files.contains(resolved) {
        return Ok(Target::Static(resolved.to_string()));
    }
    if !image && lookup.context.site_pages.contains(&folder) {
        return Ok(Target::Page { folder, anchor });
    }
    if image || is_file_name(resolved) {
        return Err(no_such_file(lookup, doc, dest, resolved));
    }
    let candidates = lookup
        .index
        .by_url
        .keys()
        .map(String::as_str)
        .chain(lookup.context.site_pages.iter().map(String::as_str))
        .chain(lookup.context.static_files.iter().map(String::as_str));
    Err(broken(
        format!("link `{dest}` goes to no page or file of this site"),
        match suggest(resolved, candidates) {
            Some(near) => format!(
                "did you mean `/{near}`? Links to documents work best as relative `.md` paths"
            ),
            None => "link to documents as relative `.md` paths, and put other files under static/"
                .into(),
        },
    ))
}

/// A link written as a bare domain (`twitter.com/x`, `www.example.org`) or
/// an e-mail address (`someone@example.org`): the link it should be.
fn missing_scheme(path: &str) -> Option<String> {
    const DOMAINS: [&str; 16] = [
        "com", "org", "net", "io", "dev", "edu", "gov", "info", "app", "co", "uk", "de", "fr",
        "eu", "ca", "au",
    ];
    if path.starts_with(['.', '/']) || path.contains(char::is_whitespace) {
        return None;
    }
    if let Some((user, host)) = path.split_once('@') {
        let plain = !user.is_empty() && !host.contains('/') && host.contains('.');
        return plain.then(|| format!("mailto:{path}"));
    }
    let host = path.split('/').next().unwrap_or_default();
    let ending = host.rsplit('.').next().unwrap_or_default();
    let domain = host.contains('.')
        && (host.starts_with("www.") || DOMAINS.contains(&ending.to_ascii_lowercase().as_str()));
    domain.then(|| format!("https://{path}"))
}

/// Whether the last part of a path names a file (`x.png`, `a.pdf`), not a
/// page's folder.
fn is_file_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.rsplit_once('.')
        .is_some_and(|(stem, extension)| !stem.is_empty() && extension != "html")
}

/// An image or file that is not there: the hint names the nearest file
/// under `static/` (by name first), never a page.
fn no_such_file(lookup: &Lookup, doc: &Document, dest: &str, resolved: &str) -> Broken {
    let name = resolved.rsplit('/').next().unwrap_or(resolved);
    let by_name = lookup
        .context
        .static_files
        .iter()
        .map(String::as_str)
        .filter(|f| f.rsplit('/').next() == Some(name))
        .min_by_key(|f| f.len());
    let near = by_name.or_else(|| {
        suggest(
            resolved,
            lookup.context.static_files.iter().map(String::as_str),
        )
    });
    broken(
        format!("`{dest}` is no file of this site"),
        match near {
            Some(near) => format!(
                "did you mean `{}`? Files are published from static/",
                relative_path(parent_of(&doc.source), &format!("{STATIC_DIR}/{near}"))
            ),
            None => "put images and downloads under static/ and link to them relative to this file"
                .into(),
        },
    )
}

fn resolve_static(
    lookup: &Lookup,
    doc: &Document,
    dest: &str,
    rest: &str,
) -> Result<Target, Broken> {
    if lookup.context.static_files.contains(rest) {
        return Ok(Target::Static(rest.to_string()));
    }
    Err(broken(
        format!("`{dest}` is not a file under static/"),
        match suggest(rest, lookup.context.static_files.iter().map(String::as_str)) {
            Some(near) => format!(
                "did you mean `{}`?",
                relative_path(parent_of(&doc.source), &format!("{STATIC_DIR}/{near}"))
            ),
            None => "put images and downloads under static/ and link to them relative to this file"
                .into(),
        },
    ))
}

fn check_anchor(target: Target, id: DocId, documents: &Documents) -> Result<Target, Broken> {
    if let Target::Page {
        folder,
        anchor: Some(anchor),
    } = &target
    {
        // practica's own pages have the theme's ids, and no others.
        let ids = crate::support::markdown::THEME_IDS;
        if anchor.is_empty() || ids.contains(&anchor.as_str()) {
            return Ok(target);
        }
        return Err(broken_anchor(
            format!("`#{anchor}` is not an anchor of the page /{folder}"),
            match suggest(anchor, ids.iter().copied()) {
                Some(near) => format!("did you mean `#{near}`?"),
                None => "link to the page without `#…`".into(),
            },
        ));
    }
    let (doc, anchor) = match &target {
        Target::Document {
            id,
            anchor: Some(anchor),
        } => (&documents[*id], anchor),
        Target::Anchor(anchor) => (&documents[id], anchor),
        _ => return Ok(target),
    };
    // Ids raw HTML gives the page (`<a name="fn1">`) are anchors too.
    let ids = || {
        let headings = doc.scan.headings.iter().map(|h| h.id.as_str());
        headings.chain(doc.scan.anchors.iter().map(String::as_str))
    };
    if anchor.is_empty() || ids().any(|id| id == anchor) || is_footnote(anchor) {
        return Ok(target);
    }
    let what = if doc.scan.anchors.is_empty() {
        "a heading"
    } else {
        "a heading or an HTML id"
    };
    let hint = match suggest(anchor, ids()) {
        Some(near) => format!("did you mean `#{near}`?"),
        None if ids().next().is_none() => format!("{} has no headings to link to", doc.source),
        None => {
            let some: Vec<String> = ids().take(5).map(|id| format!("`#{id}`")).collect();
            format!("its anchors include {}", some.join(", "))
        }
    };
    Err(broken_anchor(
        format!("`#{anchor}` is not {what} in {}", doc.source),
        hint,
    ))
}

pub(crate) fn is_footnote(anchor: &str) -> bool {
    anchor.starts_with("fn-") || anchor.starts_with("fnref")
}

fn parent_of(source: &str) -> &str {
    source.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Joins a relative path to a folder and resolves `.` and `..`;
/// `None` if it climbs above the root. (`import` resolves old sites'
/// links with it too.)
pub(crate) fn normalize(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let trailing = if path.ends_with('/') && !parts.is_empty() {
        "/"
    } else {
        ""
    };
    Some(format!("{}{trailing}", parts.join("/")))
}

/// The relative path from folder `from` to `to` (both root-relative).
pub(crate) fn relative_path(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

pub(crate) fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The documents of one kind that `refs` name by slug; `what` says what
/// they are to the document, for messages.
fn resolve_slugs(
    lookup: &Lookup,
    doc: &Document,
    refs: &[Located],
    (names, kind): (&FxHashMap<String, DocId>, Kind),
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<DocId> {
    let mut ids = Vec::new();
    for r in refs {
        match names.get(r.text.as_str()) {
            Some(&id) if !ids.contains(&id) => ids.push(id),
            Some(_) => {}
            None if lookup.unreadable.has_slug(Some(kind), &r.text) => {}
            None => {
                let folder = kind.section();
                let hint = match suggest(&r.text, names.keys().map(String::as_str)) {
                    Some(near) => {
                        format!("did you mean `{near}`? Each {what} is a file in {folder}/")
                    }
                    None => {
                        format!("each {what} must be a file in {folder}/, named by its file name")
                    }
                };
                diagnostics.push(
                    Diagnostic::error(&doc.source, r.span, format!("unknown {what} `{}`", r.text))
                        .with_hint(hint)
                        .of(Check::UnknownReferences),
                );
            }
        }
    }
    ids
}

/// A toolkit's items, each once, in the order written; each problem at
/// the item's place.
fn resolve_items(
    lookup: &Lookup,
    doc: &Document,
    documents: &Documents,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<ToolkitItem> {
    let mut items: Vec<ToolkitItem> = Vec::new();
    for (part, group) in doc.front.items.iter().enumerate() {
        for item in &group.items {
            match resolve_item(lookup, documents, &item.text) {
                Ok(id) if items.iter().any(|i| i.id == id) => diagnostics.push(
                    Diagnostic::warning(
                        &doc.source,
                        item.span,
                        format!("`{}` is listed twice in this toolkit", item.text),
                    )
                    .with_hint("it is read where it is first listed; remove this one"),
                ),
                Ok(id) => items.push(ToolkitItem {
                    id,
                    part,
                    span: item.span,
                }),
                Err(None) => {}
                Err(Some(problem)) => diagnostics.push(problem.at(&doc.source, item.span)),
            }
        }
    }
    items
}

/// What is wrong with an item, before it is placed.
struct ItemProblem {
    message: String,
    hint: String,
    /// A draft left out is a warning; a name of nothing, an error.
    warning: bool,
}

impl ItemProblem {
    fn at(self, source: &str, span: Span) -> Diagnostic {
        if self.warning {
            Diagnostic::warning(source, span, self.message).with_hint(self.hint)
        } else {
            Diagnostic::error(source, span, self.message)
                .with_hint(self.hint)
                .of(Check::UnknownReferences)
        }
    }
}

fn item_error(message: String, hint: String) -> Option<ItemProblem> {
    Some(ItemProblem {
        message,
        hint,
        warning: false,
    })
}

/// The document an item names: its slug, or `section/slug`; `Err(None)`
/// for a file that could not be read, whose own error is the one to fix.
fn resolve_item(
    lookup: &Lookup,
    documents: &Documents,
    text: &str,
) -> Result<DocId, Option<ItemProblem>> {
    let (section, slug) = match text.rsplit_once('/') {
        Some((section, slug)) => (Some(section), slug),
        None => (None, text),
    };
    let kinds: Vec<Kind> = match section.map(|s| (s, Kind::from_section(s))) {
        None => ITEM_KINDS.to_vec(),
        Some((_, Some(kind))) if ITEM_KINDS.contains(&kind) => vec![kind],
        Some((section, _)) => {
            return Err(item_error(
                format!("`{text}` names the section `{section}`, which holds no toolkit items"),
                "a toolkit's items are in practices/, guides/ or case-studies/".into(),
            ));
        }
    };
    let named = lookup
        .index
        .by_slug
        .get(slug)
        .map_or(&[][..], Vec::as_slice);
    let matching: Vec<DocId> = named
        .iter()
        .copied()
        .filter(|&id| kinds.contains(&documents[id].kind))
        .collect();
    match matching.as_slice() {
        [id] => Ok(*id),
        [] if kinds
            .iter()
            .any(|&k| lookup.unreadable.has_slug(Some(k), slug)) =>
        {
            Err(None)
        }
        [] => Err(no_item(lookup, documents, text, slug, &kinds, named)),
        several => {
            let places: Vec<&str> = several
                .iter()
                .map(|&i| documents[i].source.as_str())
                .collect();
            Err(item_error(
                format!(
                    "`{text}` matches {} documents: {}",
                    several.len(),
                    places.join(", ")
                ),
                format!(
                    "name the section, like `{}/{slug}`",
                    documents[several[0]].kind.section()
                ),
            ))
        }
    }
}

/// Why no document of `kinds` is called `slug`: a draft this build leaves
/// out, a document of another kind, or none, with the nearest slug.
fn no_item(
    lookup: &Lookup,
    documents: &Documents,
    text: &str,
    slug: &str,
    kinds: &[Kind],
    named: &[DocId],
) -> Option<ItemProblem> {
    let draft = lookup.context.drafts.iter().any(|source| {
        let path = std::path::Path::new(source);
        crate::stages::load::kind_of(path).is_some_and(|k| kinds.contains(&k))
            && path
                .file_stem()
                .is_some_and(|stem| slug::slugify(stem.to_string_lossy()) == slug)
    });
    if draft {
        return Some(ItemProblem {
            message: format!("`{text}` is a draft, which this build leaves out of the toolkit"),
            hint: "publish it (remove `draft: true`), or take it out of `items`".into(),
            warning: true,
        });
    }
    if let Some(&other) = named.first() {
        let kind = documents[other].kind;
        return item_error(
            format!(
                "`{text}` is a {}, not a practice, guide or case study",
                kind.label().to_lowercase()
            ),
            "a toolkit's items are practices, guides and case studies".into(),
        );
    }
    let slugs = documents
        .iter()
        .filter(|d| kinds.contains(&d.kind))
        .map(|d| d.slug.as_str());
    let folders: Vec<String> = kinds.iter().map(|k| format!("{}/", k.section())).collect();
    let folders = match folders.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    };
    item_error(
        format!("unknown item `{text}`"),
        match suggest(slug, slugs) {
            Some(near) => format!(
                "did you mean `{near}`? Each item is a file in {folders}, named by its file name"
            ),
            None => format!("each item must be a file in {folders}, named by its file name"),
        },
    )
}

/// Warnings about the items of published toolkits that readers should
/// not be sent to as they are: retired practices, drafts (in a build
/// with drafts) and documents past their `review_by`, each where the
/// toolkit names it.
pub(crate) fn toolkit_warnings(site: &Site, today: jiff::civil::Date) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for toolkit in site.of_kind(Kind::Toolkit) {
        let doc = &site.documents[toolkit];
        if doc.front.draft {
            continue;
        }
        for item in &site.relations[toolkit].items {
            let front = &site.documents[item.id].front;
            let name = &site.documents[item.id].slug;
            let warn = |message: String, hint: &str| {
                Diagnostic::warning(&doc.source, item.span, message).with_hint(hint)
            };
            if front.status == Some(crate::model::document::Status::Retired) {
                found.push(warn(
                    format!("`{name}` is a retired practice"),
                    "point readers to the practice that replaced it, or take it out of `items`",
                ));
            }
            if front.draft {
                found.push(warn(
                    format!("`{name}` is a draft"),
                    "publish it before the toolkit, or take it out of `items`",
                ));
            }
            if let Some(due) = front.review_overdue(today).map(|d| d.date) {
                found.push(warn(
                    format!("`{name}` was due for review on {due}"),
                    "review it and move its `review_by` on, or take it out of `items`: readers take a toolkit as current advice",
                ));
            }
        }
    }
    found
}

/// A warning at each published document's `review_by` the build date has
/// passed: its page tells readers so, and its author should know first.
pub(crate) fn overdue_reviews(site: &Site, today: jiff::civil::Date) -> Vec<Diagnostic> {
    site.documents
        .iter()
        .filter(|doc| !doc.front.draft)
        .filter_map(|doc| {
            let due = doc.front.review_overdue(today)?;
            let days = (today - due.date).get_days();
            let ago = if days == 1 { "1 day ago".to_string() } else { format!("{days} days ago") };
            Some(
                Diagnostic::warning(
                    &doc.source,
                    due.span,
                    format!("the review due on {} is overdue ({ago})", due.date),
                )
                .with_hint("review the document and move `review_by` on; until then its page says the review is overdue")
                .of(Check::OverdueReviews),
            )
        })
        .collect()
}

/// The documents a body links to, each once, in id order.
fn linked_documents(targets: &[Target]) -> Vec<DocId> {
    let mut ids: Vec<DocId> = targets
        .iter()
        .filter_map(|t| match t {
            Target::Document { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Fills in the relations that point back: backlinks, contributions and
/// evidence.
fn add_inverse_relations(site: &mut Site) {
    let relations = &site.relations;
    let linked: IdVec<DocId, Vec<DocId>> = relations
        .iter()
        .map(|r| linked_documents(&r.targets))
        .collect();
    let mut backlinks = invert(&linked, |ids| ids);
    let mut contributions = invert(relations, |r| &r.authors);
    let mut evidence = invert(relations, |r| &r.cites);
    let mut toolkits: IdVec<DocId, Vec<DocId>> = relations.iter().map(|_| Vec::new()).collect();
    for (toolkit, r) in relations.iter_enumerated() {
        for item in &r.items {
            toolkits[item.id].push(toolkit);
        }
    }
    let rank = &site.rank;
    for (id, r) in site.relations.iter_enumerated_mut() {
        r.backlinks = std::mem::take(&mut backlinks[id]);
        r.contributions = std::mem::take(&mut contributions[id]);
        r.evidence = std::mem::take(&mut evidence[id]);
        r.toolkits = std::mem::take(&mut toolkits[id]);
        r.contributions.sort_unstable_by_key(|&id| rank[id]);
        r.evidence.sort_unstable_by_key(|&id| rank[id]);
    }
}

/// For relations `from → to`, the lists `to ← from` (excluding
/// self-references), each in id order.
fn invert<T>(forward: &IdVec<DocId, T>, tos: impl Fn(&T) -> &[DocId]) -> IdVec<DocId, Vec<DocId>> {
    let mut inverse: IdVec<DocId, Vec<DocId>> = forward.iter().map(|_| Vec::new()).collect();
    for (from, item) in forward.iter_enumerated() {
        for &to in tos(item) {
            // `from` only grows, so a repeat can only be the last entry.
            if to != from && inverse[to].last() != Some(&from) {
                inverse[to].push(from);
            }
        }
    }
    inverse
}

/// Picks one of a tag's member lists.
type TagList = fn(&mut Tag) -> &mut Vec<DocId>;

fn build_tags(site: &Site) -> IdVec<TagId, Tag> {
    // Tags in order of first mention: declared ones first, as declared.
    let mut tags: Vec<Tag> = Vec::new();
    let mut position: FxHashMap<&str, usize> = FxHashMap::default();
    for declared in &site.config.tags {
        let at = tag_entry(&declared.slug, &mut tags, &mut position);
        let tag = &mut tags[at];
        tag.title = declared.title.clone();
        tag.description = declared.description.clone();
        tag.parent = declared.parent.clone();
        tag.declared = true;
        tag.archived = declared.archived;
    }
    for (id, doc) in site.documents.iter_enumerated() {
        let lists: [(&[Located], TagList); 3] = [
            (&doc.front.tags, |t| &mut t.documents),
            (&doc.front.expertise, |t| &mut t.experts),
            (&doc.front.learning, |t| &mut t.learners),
        ];
        for (slugs, list_of) in lists {
            for slug in slugs {
                let at = tag_entry(&slug.text, &mut tags, &mut position);
                let list = list_of(&mut tags[at]);
                if list.last() != Some(&id) {
                    list.push(id);
                }
            }
        }
    }
    let declared_count = site.config.tags.len();
    tags[declared_count..].sort_by(|a, b| a.slug.cmp(&b.slug));
    tags.par_iter_mut().for_each(|tag| {
        site.newest_first(&mut tag.documents);
        tag.mentors = tag
            .experts
            .iter()
            .copied()
            .filter(|&id| site.documents[id].front.mentor)
            .collect();
    });
    // Positions are ids from here on: undeclared tags are sorted.
    let at: FxHashMap<&str, usize> = tags
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();
    let mut children: Vec<Vec<TagId>> = vec![Vec::new(); tags.len()];
    for (i, tag) in tags.iter().enumerate() {
        if let Some(&parent) = tag.parent.as_deref().and_then(|p| at.get(p)) {
            children[parent].push(TagId::from_index(i));
        }
    }
    for (tag, children) in tags.iter_mut().zip(children) {
        tag.children = children;
    }
    tags.into()
}

/// The position of the tag `slug` in `tags`, added (untitled, undeclared)
/// if new; positions change when undeclared tags are sorted, so they are
/// not yet `TagId`s.
fn tag_entry<'s>(
    slug: &'s str,
    tags: &mut Vec<Tag>,
    position: &mut FxHashMap<&'s str, usize>,
) -> usize {
    *position.entry(slug).or_insert_with(|| {
        tags.push(Tag {
            slug: slug.to_string(),
            title: title_from_slug(slug),
            description: String::new(),
            parent: None,
            declared: false,
            archived: false,
            documents: Vec::new(),
            experts: Vec::new(),
            mentors: Vec::new(),
            learners: Vec::new(),
            children: Vec::new(),
        });
        tags.len() - 1
    })
}

/// Related documents after an edit, from those of the site before it.
/// They depend only on tags and on the newest-first order. An edit of a
/// document's tags (`Fact::Tags`, as `serve` finds every fact an edit
/// changed), title or date changes only what it shares with the others,
/// or its place among them, so only its own list (for new tags) and the
/// lists it was in or now enters can change (`Edited::may_change`): only
/// those are worked out.
fn related_after_edit(edits: &EditsSince, site: &Site) -> IdVec<DocId, Vec<DocId>> {
    let earlier = edits.earlier;
    let mut affected: IdVec<DocId, bool> = site.documents.iter().map(|_| false).collect();
    let order = Facts::of(&[Fact::Title, Fact::Dates]);
    let reordered = !edits.none_meet(order);
    for (id, facts) in edits.meeting(order.union(Facts::of(&[Fact::Tags]))) {
        let (old, new) = (&earlier.documents[id], &site.documents[id]);
        affected[id] |= facts.has(Fact::Tags);
        let edited = Edited { earlier, site, id };
        let old_tags = old.front.tags.iter().filter_map(|t| earlier.tag(&t.text));
        let new_tags = new.front.tags.iter().filter_map(|t| site.tag(&t.text));
        for tag in old_tags.chain(new_tags) {
            for &other in &tag.documents {
                if !affected[other] && edited.may_change(other) {
                    affected[other] = true;
                }
            }
        }
    }
    // Only a new title or date reorders documents; anything else is not
    // understood here, and everything is worked out again.
    if earlier.rank != site.rank && !reordered {
        return related_of_all(site);
    }
    let ids: Vec<DocId> = affected.ids_where(|&is| is).collect();
    let mut related: IdVec<DocId, Vec<DocId>> = earlier
        .relations
        .iter()
        .map(|r| r.related_by_tags.clone())
        .collect();
    for (&id, list) in ids.iter().zip(related_documents(site, &ids)) {
        related[id] = list;
    }
    related
}

/// A document with new tags, or a new place in the newest-first order: it
/// alone shares other tags with the others, or moved among them, and the
/// others keep their order and what they share among themselves.
struct Edited<'s> {
    earlier: &'s Site,
    site: &'s Site,
    id: DocId,
}

impl Edited<'_> {
    /// Whether the related documents of `other` (which shared a tag with
    /// the edited one, before or after) may change: the edited one was
    /// among them, or now comes before the last of them.
    fn may_change(&self, other: DocId) -> bool {
        if other == self.id {
            return false;
        }
        let list = &self.earlier.relations[other].related_by_tags;
        if list.contains(&self.id) {
            return true;
        }
        let key = |id: DocId| {
            let shared = shared_tags(&self.site.documents[other], &self.site.documents[id]);
            (std::cmp::Reverse(shared), self.site.rank[id], id)
        };
        let (edited, _, _) = key(self.id);
        match list.get(RELATED - 1) {
            _ if edited.0 == 0 => false,
            Some(&last) => key(self.id) < key(last),
            None => true,
        }
    }
}

/// How many distinct tags two documents share.
fn shared_tags(a: &Document, b: &Document) -> u32 {
    let mut seen: Vec<&str> = Vec::new();
    for tag in &a.front.tags {
        let text = tag.text.as_str();
        if !seen.contains(&text) && b.front.tags.iter().any(|t| t.text == text) {
            seen.push(text);
        }
    }
    seen.len() as u32
}

fn related_of_all(site: &Site) -> IdVec<DocId, Vec<DocId>> {
    related_documents(site, &site.documents.ids().collect::<Vec<_>>()).into()
}

/// Up to five documents sharing the most tags, newest first among equals,
/// for each of `ids`.
fn related_documents(site: &Site, ids: &[DocId]) -> Vec<Vec<DocId>> {
    // Documents go in chunks, each with one dense counter: popular tags hold
    // thousands of documents, so hashing every pair was slow.
    const CHUNK: usize = 256;
    if ids.is_empty() {
        return Vec::new();
    }
    let tags = TagSets::new(site);
    let chunks: Vec<Vec<Vec<DocId>>> = ids
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut counter = SharedTags::new(site.documents.len());
            chunk.iter().map(|&id| counter.related(&tags, id)).collect()
        })
        .collect();
    chunks.into_iter().flatten().collect()
}

/// Each document's tags, and for popular tags the set of their documents
/// as bits in newest-first order.
///
/// Counting shared tags document by document costs the size of every tag a
/// document has, which grows with the square of a popular tag's size. A
/// popular tag (more than 1/32 of the site) is read instead as a bitset, a
/// word per 64 documents, in which the newest documents sharing it come first.
struct TagSets<'a> {
    site: &'a Site,
    /// Each document's tags, each once.
    of_document: IdVec<DocId, Vec<TagId>>,
    /// Per tag, when popular: bit `r` is set if the document ranked `r` has it.
    bits: IdVec<TagId, Option<Vec<u64>>>,
    by_rank: IdVec<Rank, DocId>,
}

impl<'a> TagSets<'a> {
    fn new(site: &'a Site) -> Self {
        let count = site.documents.len();
        let words = count.div_ceil(64);
        let bits = site
            .tags
            .iter()
            .map(|tag| {
                (tag.documents.len() * 32 > count).then(|| {
                    let mut set = vec![0u64; words];
                    for &id in &tag.documents {
                        let rank = site.rank[id].index();
                        set[rank / 64] |= 1 << (rank % 64);
                    }
                    set
                })
            })
            .collect();
        let mut by_rank = IdVec::from(vec![DocId::from_index(0); count]);
        for (id, &rank) in site.rank.iter_enumerated() {
            by_rank[rank] = id;
        }
        let mut of_document = site.tag_ids();
        // A tag named twice in one document is still one tag it shares.
        for tags in of_document.iter_mut() {
            tags.sort_unstable();
            tags.dedup();
        }
        TagSets {
            site,
            of_document,
            bits,
            by_rank,
        }
    }

    fn has(&self, tag: TagId, id: DocId) -> bool {
        let rank = self.site.rank[id].index();
        self.bits[tag]
            .as_ref()
            .is_some_and(|set| set[rank / 64] & (1 << (rank % 64)) != 0)
    }

    /// The newest few documents (other than `id`) for each number of the
    /// `popular` tags they share, skipping those `counted` already.
    fn newest_by_count(
        &self,
        popular: &[TagId],
        id: DocId,
        counted: impl Fn(DocId) -> bool,
    ) -> Vec<(u32, DocId)> {
        let sets: Vec<&Vec<u64>> = popular
            .iter()
            .filter_map(|&t| self.bits[t].as_ref())
            .collect();
        let mut found = vec![0usize; sets.len() + 1];
        let mut newest = Vec::new();
        for word in 0..self.by_rank.len().div_ceil(64) {
            let mut any: u64 = sets.iter().fold(0, |acc, set| acc | set[word]);
            while any != 0 {
                let bit = any.trailing_zeros() as usize;
                any &= any - 1;
                let other = self.by_rank[Rank::from_index(word * 64 + bit)];
                let shared = sets
                    .iter()
                    .filter(|set| set[word] & (1 << bit) != 0)
                    .count();
                if other != id && found[shared] < RELATED && !counted(other) {
                    found[shared] += 1;
                    newest.push((shared as u32, other));
                }
            }
            // Nothing found later can beat a full top level.
            if found[sets.len()] == RELATED {
                break;
            }
        }
        newest
    }
}

/// Counts, for one document at a time, the tags it shares with others.
struct SharedTags {
    shared: IdVec<DocId, u32>,
    touched: Vec<DocId>,
}

impl SharedTags {
    fn new(documents: usize) -> Self {
        SharedTags {
            shared: IdVec::from(vec![0; documents]),
            touched: Vec::new(),
        }
    }

    /// The documents sharing most tags with `id`, newest first among equals.
    /// The tags that are not popular are counted out document by document;
    /// a document found there gets one more for each popular tag it has.
    /// Of the rest, which share only popular tags, only the newest few for
    /// each number of shared tags can place.
    fn related(&mut self, tags: &TagSets, id: DocId) -> Vec<DocId> {
        let site = tags.site;
        let (popular, other_tags): (Vec<TagId>, Vec<TagId>) = tags.of_document[id]
            .iter()
            .partition(|&&t| tags.bits[t].is_some());
        for tag in other_tags {
            for &other in site.tags[tag].documents.iter().filter(|&&o| o != id) {
                if self.shared[other] == 0 {
                    self.touched.push(other);
                }
                self.shared[other] += 1;
            }
        }
        let mut best = Best::default();
        if !popular.is_empty() {
            let counted = |other: DocId| self.shared[other] > 0;
            for (shared, other) in tags.newest_by_count(&popular, id, counted) {
                best.offer((std::cmp::Reverse(shared), site.rank[other], other));
            }
        }
        for other in self.touched.drain(..) {
            let in_popular = popular.iter().filter(|&&t| tags.has(t, other)).count() as u32;
            let shared = std::mem::take(&mut self.shared[other]) + in_popular;
            best.offer((std::cmp::Reverse(shared), site.rank[other], other));
        }
        best.0.into_iter().map(|(_, _, other)| other).collect()
    }
}

/// How many related documents a page suggests.
const RELATED: usize = 5;

/// The best few candidates by (most shared tags, newest), kept by a running
/// insertion: sorting or selecting among thousands per document was slow.
#[derive(Default)]
struct Best(Vec<(std::cmp::Reverse<u32>, Rank, DocId)>);

impl Best {
    fn offer(&mut self, key: (std::cmp::Reverse<u32>, Rank, DocId)) {
        if self.0.len() < RELATED || self.0.last().is_some_and(|last| key < *last) {
            let at = self.0.partition_point(|b| *b < key);
            self.0.insert(at, key);
            self.0.truncate(RELATED);
        }
    }
}

/// Sets each document's related documents as found by tags; "related" on
/// the page suggests what it does not already list as evidence, cited
/// practices or backlinks.
fn set_related(site: &mut Site, by_tags: IdVec<DocId, Vec<DocId>>) {
    for (r, by_tags) in site.relations.iter_mut().zip(by_tags) {
        let listed = [&r.evidence, &r.cites, &r.backlinks];
        r.related = by_tags
            .iter()
            .copied()
            .filter(|other| !listed.iter().any(|list| list.contains(other)))
            .collect();
        r.related_by_tags = by_tags;
    }
}

fn collect_wanted(site: &Site) -> Vec<Wanted> {
    let mut wanted: BTreeMap<String, Wanted> = BTreeMap::new();
    for (id, relations) in site.relations.iter_enumerated() {
        for target in &relations.targets {
            if let Target::Wanted(title) = target {
                let entry = wanted
                    .entry(title.to_lowercase())
                    .or_insert_with(|| Wanted {
                        title: title.clone(),
                        requested_by: Vec::new(),
                    });
                if !entry.requested_by.contains(&id) {
                    entry.requested_by.push(id);
                }
            }
        }
    }
    wanted.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize_and_relativize() {
        assert_eq!(
            normalize("case-studies", "../practices/a.md").as_deref(),
            Some("practices/a.md")
        );
        assert_eq!(normalize("practices", "../../x.md"), None);
        assert_eq!(
            relative_path("case-studies", "practices/a.md"),
            "../practices/a.md"
        );
        assert_eq!(relative_path("practices/sub", "practices/a.md"), "../a.md");
        assert_eq!(relative_path("", "static/x.svg"), "static/x.svg");
    }

    #[test]
    fn external_links_are_recognised() {
        assert!(is_external("https://x.org/a"));
        assert!(is_external("mailto:a@b.org"));
        assert!(is_external("//cdn.example/x"));
        assert!(!is_external("../practices/a.md"));
        assert!(!is_external("a.md#x:y"));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("100%"), "100%");
    }
}

/// The fast path for related documents (`TagSets`, `SharedTags`) against
/// the plainest way to find them, on many generated sites.
#[cfg(test)]
mod related_tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use jiff::civil::{Date, date};

    use super::*;
    use crate::model::document::FrontMatter;
    use crate::stages::config::DeclaredTag;
    use crate::support::markdown::Scan;

    /// For each document, the five sharing most tags with it, newest first
    /// among equals, found by counting against every other document.
    fn naive_related(site: &Site) -> Vec<Vec<DocId>> {
        let tags: Vec<BTreeSet<&str>> = site
            .documents
            .iter()
            .map(|d| d.front.tags.iter().map(|t| t.text.as_str()).collect())
            .collect();
        let mut related = Vec::new();
        for id in site.documents.ids() {
            let mut candidates = Vec::new();
            for other in site.documents.ids() {
                let shared = tags[id.index()].intersection(&tags[other.index()]).count();
                if other != id && shared > 0 {
                    candidates.push((shared, site.rank[other], other));
                }
            }
            candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            related.push(candidates.iter().take(RELATED).map(|c| c.2).collect());
        }
        related
    }

    use crate::support::random::SplitMix64 as Random;

    /// What a generated site is made of: how often each tag is used (some
    /// far above the 1/32 that makes a tag popular, some near it), and few
    /// dates and titles, so that ties in shared tags and dates are common.
    struct Shape {
        /// Per tag, one document in this many has it.
        rarity: Vec<usize>,
        declared: usize,
        dates: Vec<Option<Date>>,
        titles: usize,
    }

    impl Shape {
        fn random(random: &mut Random) -> Shape {
            let tags = 1 + random.below(40);
            let rarity = (0..tags)
                .map(|_| match random.below(4) {
                    0 => 1 + random.below(4),
                    1 => 24 + random.below(16),
                    _ => 2 + random.below(100),
                })
                .collect();
            let dates = (0..1 + random.below(4))
                .map(|day| (day > 0).then(|| date(2024, 1, day as i8)))
                .collect();
            Shape {
                rarity,
                declared: random.below(tags + 1),
                dates,
                titles: 1 + random.below(20),
            }
        }

        fn tags(&self, random: &mut Random) -> Vec<Located> {
            let mut tags: Vec<Located> = (0..self.rarity.len())
                .filter(|&t| random.one_in(self.rarity[t]))
                .map(|t| Located {
                    text: format!("t{t}"),
                    span: Span::new(1, 1),
                })
                .collect();
            // The order written, which sets tag positions, varies too.
            if tags.len() > 1 && random.one_in(3) {
                let at = random.below(tags.len());
                tags.swap(0, at);
            }
            // Nothing stops a document from naming a tag twice.
            if !tags.is_empty() && random.one_in(10) {
                let again = tags[random.below(tags.len())].clone();
                tags.push(again);
            }
            tags
        }

        fn document(&self, random: &mut Random, n: usize) -> Arc<Document> {
            let kind = Kind::ALL[random.below(Kind::ALL.len())];
            let slug = format!("d{n}");
            Arc::new(Document {
                kind,
                source: format!("{}/{slug}.md", kind.section()),
                url: format!("{}/{slug}/", kind.section()),
                slug,
                front: FrontMatter {
                    title: format!("title {}", random.below(self.titles)),
                    tags: self.tags(random),
                    date: self.dates[random.below(self.dates.len())],
                    ..FrontMatter::default()
                },
                body: None,
                body_line: 1,
                scan: Scan {
                    links: self.links(random, n),
                    headings: self.headings(random),
                    ..Scan::default()
                },
            })
        }

        /// A few links of each way of writing one, some to anchors, some
        /// to nothing: to other documents (a few past the last one),
        /// topics, sections and static files.
        fn links(&self, random: &mut Random, n: usize) -> Vec<LinkRef> {
            let tags = self.rarity.len();
            (0..random.below(4))
                .map(|_| {
                    let other = random.below(n + 6);
                    let anchor = match random.below(3) {
                        0 => format!("#h{}", random.below(3)),
                        _ => String::new(),
                    };
                    let (dest, kind) = match random.below(5) {
                        0 => (
                            format!("d{other}{anchor}"),
                            LinkKind::Wiki { has_text: false },
                        ),
                        1 => (
                            format!("/tags/t{}/", random.below(tags + 2)),
                            LinkKind::Markdown,
                        ),
                        2 => ("/practices/".to_string(), LinkKind::Markdown),
                        3 => ("/files/x.pdf".to_string(), LinkKind::Markdown),
                        _ => (format!("../guides/d{other}.md{anchor}"), LinkKind::Markdown),
                    };
                    LinkRef {
                        dest,
                        kind,
                        span: Span::new(1, 1),
                    }
                })
                .collect()
        }

        fn headings(&self, random: &mut Random) -> Vec<crate::support::markdown::Heading> {
            (0..random.below(3))
                .map(|h| crate::support::markdown::Heading {
                    level: 2,
                    text: format!("H{h}"),
                    id: format!("h{}", random.below(3)),
                })
                .collect()
        }

        fn config(&self) -> Config {
            let mut config = Config::minimal(Path::new("."), "T");
            config.tags = (0..self.declared)
                .rev()
                .map(|t| DeclaredTag {
                    slug: format!("t{t}"),
                    title: format!("T{t}"),
                    description: String::new(),
                    parent: None,
                    archived: false,
                })
                .collect();
            config
        }
    }

    fn random_documents(random: &mut Random, shape: &Shape) -> Vec<Arc<Document>> {
        let count = match random.below(3) {
            0 => random.below(12),
            1 => random.below(80),
            _ => random.below(400),
        };
        (0..count).map(|n| shape.document(random, n)).collect()
    }

    fn linked(shape: &Shape, documents: &[Arc<Document>], earlier: Option<&Site>) -> Site {
        linked_with_problems(shape, documents, earlier).0
    }

    fn linked_with_problems(
        shape: &Shape,
        documents: &[Arc<Document>],
        earlier: Option<&Site>,
    ) -> (Site, Vec<Diagnostic>) {
        let loaded = Loaded {
            documents: documents.to_vec(),
            reading: Reading::Full,
            static_files: ["files/x.pdf".to_string()].into(),
            ..Loaded::default()
        };
        link_reusing(shape.config(), loaded, earlier)
    }

    /// Everything a link makes, as text to compare.
    fn everything(site: &Site, problems: &[Diagnostic]) -> String {
        let mut problems: Vec<String> = problems.iter().map(|d| format!("{d:?}")).collect();
        problems.sort();
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{problems:?}",
            site.relations, site.tags, site.wanted, site.rank
        )
    }

    #[test]
    fn a_link_after_edits_is_a_fresh_link() {
        let mut random = Random(23);
        let mut kept = 0;
        for round in 0..80 {
            let shape = Shape::random(&mut random);
            let mut documents = random_documents(&mut random, &shape);
            let mut site = linked(&shape, &documents, None);
            for edit in 0..4 {
                edit_some(&mut random, &shape, &mut documents);
                let (reused, problems) = linked_with_problems(&shape, &documents, Some(&site));
                let (fresh, fresh_problems) = linked_with_problems(&shape, &documents, None);
                assert_eq!(
                    everything(&reused, &problems),
                    everything(&fresh, &fresh_problems),
                    "round {round}, edit {edit}"
                );
                kept += usize::from(Arc::ptr_eq(&reused.index, &site.index));
                site = reused;
            }
        }
        // The index was taken over in most steps, so reuse was tried.
        assert!(kept > 150, "{kept}");
    }

    /// Edits a few documents: a new title, date, tags, headings or links,
    /// the ways an edit in `serve` changes a document but not its name.
    fn edit_some(random: &mut Random, shape: &Shape, documents: &mut [Arc<Document>]) {
        let count = documents.len();
        edit_a_few(random, documents, |random, document| {
            match random.below(5) {
                0 => document.front.title = format!("title {}", random.below(shape.titles)),
                1 => document.front.date = shape.dates[random.below(shape.dates.len())],
                2 => document.front.tags = shape.tags(random),
                3 => document.scan.headings = shape.headings(random),
                _ => document.scan.links = shape.links(random, count),
            }
        });
    }

    /// Changes one to three of `documents`, chosen at random, by `change`.
    fn edit_a_few(
        random: &mut Random,
        documents: &mut [Arc<Document>],
        change: impl Fn(&mut Random, &mut Document),
    ) {
        for _ in 0..1 + random.below(3) {
            if documents.is_empty() {
                return;
            }
            let at = random.below(documents.len());
            let mut document = (*documents[at]).clone();
            change(random, &mut document);
            documents[at] = Arc::new(document);
        }
    }

    fn related_by_tags(site: &Site) -> Vec<Vec<DocId>> {
        site.relations
            .iter()
            .map(|r| r.related_by_tags.clone())
            .collect()
    }

    fn related(site: &Site) -> Vec<Vec<DocId>> {
        site.relations.iter().map(|r| r.related.clone()).collect()
    }

    #[test]
    fn related_documents_are_those_counted_one_by_one() {
        let mut random = Random(7);
        let (mut popular, mut other) = (0, 0);
        for round in 0..150 {
            let shape = Shape::random(&mut random);
            let site = linked(&shape, &random_documents(&mut random, &shape), None);
            assert_eq!(
                related_by_tags(&site),
                naive_related(&site),
                "round {round}"
            );
            let sets = TagSets::new(&site);
            popular += sets.bits.iter().filter(|set| set.is_some()).count();
            other += sets.bits.iter().filter(|set| set.is_none()).count();
        }
        // Both ways of counting were taken, many times.
        assert!(
            popular > 500 && other > 500,
            "{popular} popular, {other} not"
        );
    }

    #[test]
    fn related_after_edits_are_those_of_a_fresh_link() {
        let mut random = Random(11);
        for round in 0..60 {
            let shape = Shape::random(&mut random);
            let mut documents = random_documents(&mut random, &shape);
            let mut site = linked(&shape, &documents, None);
            for edit in 0..4 {
                retag(&mut random, &shape, &mut documents);
                let reused = linked(&shape, &documents, Some(&site));
                let fresh = linked(&shape, &documents, None);
                assert_eq!(
                    related_by_tags(&reused),
                    related_by_tags(&fresh),
                    "round {round}, edit {edit}"
                );
                assert_eq!(related(&reused), related(&fresh));
                site = reused;
            }
        }
    }

    /// Gives a few documents new tags, titles or dates: new tags change
    /// what documents share, titles and dates their order.
    fn retag(random: &mut Random, shape: &Shape, documents: &mut [Arc<Document>]) {
        edit_a_few(random, documents, |random, document| {
            match random.below(4) {
                // A new place in the order, and the same tags.
                0 => document.front.title = format!("title {}", random.below(shape.titles)),
                1 => document.front.date = shape.dates[random.below(shape.dates.len())],
                _ => {
                    document.front.tags = shape.tags(random);
                    if random.one_in(8) {
                        document.front.date = shape.dates[random.below(shape.dates.len())];
                    }
                }
            }
        });
    }
}
