//! The second half of a project's one step: the linked site rendered. The
//! first time (and after a template changed) every file; after that only
//! the files the edits since then change, which `render::affected` derives
//! from the declarations in `render::shows`. `build`, `check` and `serve`
//! all render through `Project::render`; `serve` alone also takes the
//! quick path, `Project::render_in_place`, for edits of prose.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashSet;

use super::{Derived, Project, Purpose};
use crate::model::document::Document;
use crate::stages::gaps::GapReport;
use crate::stages::insights::PageView;
use crate::stages::link::{DocId, FullSite, Site};
use crate::stages::render::affected::{Affected, State, affected, own_pages_only};
use crate::stages::render::facts::Edits;
use crate::stages::render::search::SearchIndex;
use crate::stages::render::view::{Earlier, Views};
use crate::stages::render::{self, OutputFile};
use crate::support::diagnostic::Diagnostics;
use crate::{Stage, Stopwatch};

/// The last site rendered without errors, and what its pages were made
/// from: what the next step compares with and reuses.
pub(crate) struct Rendition {
    pub(crate) site: FullSite,
    pub(crate) views: Views,
    pub(crate) report: GapReport,
    search: SearchIndex,
    /// What the step left for `render_later`.
    later: Later,
}

/// Work `serve` does after the browser is told to reload: the insights
/// and the search index are read by no page an edit shows, and at 10,000
/// documents they take longer than every page it changes.
#[derive(Default)]
struct Later {
    /// The /insights/ page is made again (with the insights themselves).
    insights: bool,
    /// Search entries to replace (ids in the rendition's site), and
    /// whether the tables change.
    search: Option<(Vec<DocId>, bool)>,
}

/// What `render_later` made.
#[derive(Default)]
pub(crate) struct MadeLater {
    pub(crate) files: Vec<OutputFile>,
    /// Search shards that lost their last word.
    pub(crate) gone: Vec<String>,
    /// A template that failed on the insights page.
    pub(crate) problems: Vec<crate::support::diagnostic::Diagnostic>,
}

impl Rendition {
    fn state(&self) -> State<'_> {
        State {
            site: &self.site,
            views: &self.views,
        }
    }
}

/// Which files a step renders.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope<'a> {
    /// Every file, data files and search index included (`build`).
    Every,
    /// Only the pages at these paths, to try their templates (`check`).
    Only(&'a BTreeSet<String>),
    /// The files the edits since the last rendition change (every file
    /// the first time); data files, the insights and search are left to
    /// `render_later` (`serve`).
    Changed,
}

/// What a step rendered.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    /// The paths of the files handed out, in the order they were made.
    pub(crate) written: Vec<String>,
    /// Search shards that lost their last word: a build would not write them.
    pub(crate) gone: Vec<String>,
    /// Data files, and the insights page, the edits changed, not made
    /// yet (`Scope::Changed`; `render_later` makes them).
    pub(crate) data_later: BTreeSet<String>,
    /// Whether search files change in `render_later`.
    pub(crate) search_later: bool,
    /// Every path the site has now, when it is not the set it had before.
    pub(crate) paths: Option<FxHashSet<String>>,
    /// Whether the site could not be rendered (see the diagnostics).
    pub(crate) failed: bool,
}

impl Rendered {
    fn failed() -> Rendered {
        Rendered {
            failed: true,
            ..Rendered::default()
        }
    }

    /// How many of the files are HTML pages.
    pub(crate) fn pages(&self) -> usize {
        self.written.iter().filter(|p| p.ends_with(".html")).count()
    }
}

type Emit<'e> = &'e (dyn Fn(OutputFile) + Sync);

impl Project {
    /// The last site rendered without errors.
    pub(crate) fn rendition(&self) -> Option<&Rendition> {
        self.rendition.as_ref()
    }

    /// Renders the files of `scope` of the derived site, handing each to
    /// `emit` as soon as it is made; `diagnostics` are the derivation's,
    /// and the rendering's are added. With no error, for `serve`, the site
    /// becomes the rendition the next step starts from; a build or check
    /// keeps nothing.
    pub(crate) fn render(
        &mut self,
        derived: Derived,
        scope: Scope,
        diagnostics: &mut Diagnostics,
        emit: Emit,
        watch: &mut Stopwatch,
    ) -> Rendered {
        let Derived {
            site,
            gaps: report,
            insights,
        } = derived;
        // Only a full reading can be rendered; `check` reads bodies in
        // full only for a community with its own templates.
        let Some(site) = site.into_full() else {
            watch.lap(Stage::Render);
            return Rendered::default();
        };
        let (mut views, changed) = self.views_and_changes(&site, &report, scope);
        let (mut only, mut data_later) = match scope {
            Scope::Every => (None, BTreeSet::new()),
            Scope::Only(paths) => (Some(paths.clone()), BTreeSet::new()),
            Scope::Changed => pages_and_data(changed.as_ref(), self.templates_pending),
        };
        let mut later = Later::default();
        let last_insights = self.rendition.as_ref().map(|l| l.views.insights.clone());
        views.insights = match (insights, last_insights) {
            // `serve` after an edit (`derive` left the insights): they are
            // made later, with their page, unless every page is made now.
            (None, Some(last)) => match only.as_mut() {
                Some(pages) => {
                    let page = render::insights_path(&site);
                    // A new commit changes the insights, and no document's facts.
                    later.insights = pages.remove(&page) || self.commit_pending;
                    if later.insights {
                        data_later.insert(page);
                    }
                    last
                }
                None => self.insights(&site, &report).map(|i| view_of(&i, &site)),
            },
            (insights, _) => insights.map(|i| view_of(&i, &site)),
        };
        let theme = match self.theme() {
            Ok(theme) => theme,
            Err(problems) => {
                diagnostics.extend(problems);
                return Rendered::failed();
            }
        };
        let written = Mutex::new(Vec::new());
        let handed = |file: OutputFile| {
            if let Ok(mut written) = written.lock() {
                written.push(file.path.clone());
            }
            emit(file);
        };
        diagnostics.extend(render::render_each(
            &site,
            &report,
            theme,
            &views,
            only.as_ref(),
            &handed,
        ));
        watch.lap(Stage::Render);
        if diagnostics.has_errors() {
            return Rendered::failed();
        }
        if matches!(scope, Scope::Only(_)) {
            return Rendered {
                written: written.into_inner().unwrap_or_default(),
                ..Rendered::default()
            };
        }
        if self.options.purpose != Purpose::Serve {
            // Nothing renders after a build: its views (every card, as
            // template values) go before the search index is made, which
            // is the step's peak.
            drop(views);
            let search = index_anew(&site, &handed);
            watch.lap(Stage::Search);
            // As below: freeing the documents need not hold up the write.
            std::thread::spawn(move || drop((site, search, report)));
            return Rendered {
                written: written.into_inner().unwrap_or_default(),
                ..Rendered::default()
            };
        }
        let search = match (self.rendition.as_mut(), changed.as_ref()) {
            // Ids are positions: entries can be replaced (later) only in
            // an index of the same documents.
            (Some(last), Some(changed)) if last.site.same_documents(&site, |_, _| true) => {
                later.search = (!changed.search_entries.is_empty() || changed.search_tables)
                    .then(|| (changed.search_entries.clone(), changed.search_tables));
                std::mem::take(&mut last.search)
            }
            _ => index_anew(&site, &handed),
        };
        watch.lap(Stage::Search);
        let search_later = later.search.is_some();
        let paths = match &self.rendition {
            Some(last) if same_page_paths(&last.site, &site) => None,
            _ => {
                let mut paths: FxHashSet<String> =
                    render::output_paths(&site).into_iter().collect();
                paths.extend(search.paths(&site));
                Some(paths)
            }
        };
        let earlier = self.rendition.replace(Rendition {
            site,
            views,
            report,
            search,
            later,
        });
        // Freeing ten thousand documents takes tens of milliseconds that
        // `serve`'s reader should not wait for.
        if earlier.is_some() {
            std::thread::spawn(move || drop(earlier));
        }
        self.pending.clear();
        self.templates_pending = false;
        self.commit_pending = false;
        Rendered {
            written: written.into_inner().unwrap_or_default(),
            gone: Vec::new(),
            data_later,
            search_later,
            paths,
            failed: false,
        }
    }

    /// Makes what the last step left (`Rendered::data_later`, `search_later`):
    /// the data files among `paths`, the insights and their page, and the
    /// search entries. `serve` calls it after telling the browser to
    /// reload, and before the next step.
    pub(crate) fn render_later(&mut self, paths: &BTreeSet<String>) -> MadeLater {
        let Some(mut last) = self.rendition.take() else {
            return MadeLater::default();
        };
        let later = std::mem::take(&mut last.later);
        let mut made = MadeLater {
            files: render::render_data(&last.site, &last.report, paths),
            ..MadeLater::default()
        };
        if later.insights {
            let insights = self.insights(&last.site, &last.report);
            last.views.insights = insights.map(|i| view_of(&i, &last.site));
            let page = BTreeSet::from([render::insights_path(&last.site)]);
            if let Ok(theme) = self.theme() {
                let (files, problems) =
                    render::render_only(&last.site, &last.report, theme, &last.views, Some(&page));
                made.files.extend(files);
                made.problems = problems;
            }
        }
        if let Some((entries, tables)) = later.search {
            let replaced = last.search.replace(&last.site, &entries, tables);
            made.files.extend(replaced.files);
            made.gone = replaced.gone;
        }
        self.rendition = Some(last);
        made
    }

    /// The zips of the toolkits that hold one of the static files at
    /// `sources` (from the community root: `static/files/x.csv`).
    pub(crate) fn zips_holding(&self, sources: &[String]) -> BTreeSet<String> {
        let Some(last) = &self.rendition else {
            return BTreeSet::new();
        };
        let prefix = format!("{}/", crate::stages::load::STATIC_DIR);
        let files: Vec<&str> = sources
            .iter()
            .filter_map(|s| s.strip_prefix(&prefix))
            .collect();
        render::toolkit::zips_holding(&last.site, &files)
    }

    /// The quick path for the common edit, prose: when the edits changed
    /// only what the documents' own pages show (`own_pages_only`), swaps
    /// the documents into the last rendition and makes again what
    /// `affected` says they change, their pages and search entries.
    /// `None` (and nothing changed) when the edits need the whole step:
    /// a template changed, or `diagnostics`, the last step's, had errors
    /// or named a file edited.
    pub(crate) fn render_in_place(
        &mut self,
        diagnostics: &Diagnostics,
        emit: Emit,
    ) -> Option<Rendered> {
        if self.templates_pending || self.commit_pending || diagnostics.has_errors() {
            return None;
        }
        let swaps = self.swaps(diagnostics)?;
        let last = self.rendition.as_mut()?;
        let edits = Edits::new(&self.pending, &last.site, |source| {
            swaps
                .iter()
                .find(|(_, new)| new.source == source)
                .map(|(_, new)| &**new)
        });
        if !own_pages_only(&edits) {
            return None;
        }
        let previous: Vec<(DocId, Arc<Document>)> = swaps
            .into_iter()
            .map(|(id, document)| {
                (
                    id,
                    std::mem::replace(&mut last.site.documents[id], document),
                )
            })
            .collect();
        let changed = affected(last.state(), last.state(), &edits);
        let rendered = self.render_affected(&changed, emit);
        let last = self.rendition.as_mut()?;
        if rendered.is_none() {
            // The whole step must see these edits against the site before
            // them, to render their pages again and report why.
            for (id, document) in previous {
                last.site.documents[id] = document;
            }
        } else {
            self.pending.clear();
        }
        rendered
    }

    /// The documents edited, read again without problems, with their ids
    /// in the last rendition.
    fn swaps(&self, diagnostics: &Diagnostics) -> Option<Vec<(DocId, Arc<Document>)>> {
        let last = self.rendition.as_ref()?;
        self.pending
            .iter()
            .map(|source| {
                let (Some(new), problems) = self.file(source)? else {
                    return None;
                };
                let named = diagnostics
                    .iter()
                    .any(|d| d.path() == Some(source.as_str()));
                if !problems.is_empty() || named {
                    return None;
                }
                let id = last.site.documents.position(|d| &d.source == source)?;
                Some((id, new.clone()))
            })
            .collect()
    }

    /// Renders the pages and search entries `changed` names into the last
    /// rendition's site; `None` if a template failed.
    fn render_affected(&mut self, changed: &Affected, emit: Emit) -> Option<Rendered> {
        let mut rendition = self.rendition.take()?;
        let rendered = self.theme().ok().map(|theme| {
            render::render_only(
                &rendition.site,
                &rendition.report,
                theme,
                &rendition.views,
                Some(&changed.paths),
            )
        });
        let result = match rendered {
            Some((files, problems)) if problems.is_empty() => {
                let replaced = rendition.search.replace(
                    &rendition.site,
                    &changed.search_entries,
                    changed.search_tables,
                );
                let mut written = Vec::new();
                for file in files.into_iter().chain(replaced.files) {
                    written.push(file.path.clone());
                    emit(file);
                }
                Some(Rendered {
                    written,
                    gone: replaced.gone,
                    ..Rendered::default()
                })
            }
            _ => None,
        };
        self.rendition = Some(rendition);
        result
    }

    /// The views of the newly linked `site`, reusing the last rendition's,
    /// and the files the edits since then change (`None` without one, or
    /// when the scope is not what changed).
    fn views_and_changes(
        &self,
        site: &FullSite,
        report: &GapReport,
        scope: Scope,
    ) -> (Views, Option<Affected>) {
        let last = match (&self.rendition, scope) {
            (Some(last), Scope::Changed) => last,
            _ => return (render::views(site, report), None),
        };
        let edits = Edits::between_sites(&self.pending, &last.site, site);
        let earlier = Earlier {
            site: &last.site,
            views: &last.views,
            edits: &edits,
        };
        let views = render::views_reusing(site, report, Some(earlier));
        let new = State {
            site,
            views: &views,
        };
        let changed = affected(last.state(), new, &edits);
        (views, Some(changed))
    }
}

/// A search index made anew for `site`, its files handed to `emit`.
fn index_anew(site: &Site, emit: Emit) -> SearchIndex {
    let index = SearchIndex::new(site);
    index.each_file(site, emit);
    index
}

fn view_of(insights: &crate::stages::insights::Insights, site: &Site) -> Arc<PageView> {
    Arc::new(PageView::of(insights, &site.config.labels))
}

/// Whether two sites render pages at the same paths: the same documents
/// (drafts alike, which have no search fragment) and the same tags. Only
/// then can an update skip listing all 20,000 paths of a large site.
fn same_page_paths(old: &Site, new: &Site) -> bool {
    let same_documents =
        old.same_documents(new, |a, b| a.url == b.url && a.front.draft == b.front.draft);
    let same_tags = old.tags.len() == new.tags.len()
        && old
            .tags
            .iter()
            .zip(&new.tags)
            .all(|(a, b)| a.slug == b.slug);
    same_documents && same_tags && old.config.base_url == new.config.base_url
}

/// The pages to render and the data files to make after them; `None`
/// renders every page and data file at once (a template changed).
fn pages_and_data(
    changed: Option<&Affected>,
    every_page: bool,
) -> (Option<BTreeSet<String>>, BTreeSet<String>) {
    match changed {
        Some(changed) if !every_page => {
            let (data, pages) = changed
                .paths
                .iter()
                .cloned()
                .partition(|p| render::is_data_file(p));
            (Some(pages), data)
        }
        _ => (None, BTreeSet::new()),
    }
}
