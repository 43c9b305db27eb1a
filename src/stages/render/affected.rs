//! What an edit changes, derived from what each kind of page declares it
//! shows (`shows`) and the facts the edit changed (`facts::Edits`): whether
//! `serve` can take the quick path, which files to make again (the search
//! index's among them), and which cards and member summaries to keep.

use std::collections::{BTreeMap, BTreeSet};

use super::facts::{Edits, Facts};
use super::gap_map::GapItem;
use super::shows::{CARD, File, GAP_ITEMS, GAP_RULES, GapsShown, MEMBER, PageKind, PageNo, PageOf};
use super::view::Views;
use crate::model::document::Kind;
use crate::stages::link::{DocId, Site};

/// One state of the site with the views its pages were made from.
#[derive(Clone, Copy)]
pub(crate) struct State<'a> {
    pub(crate) site: &'a Site,
    pub(crate) views: &'a Views,
}

/// The files an edit changes.
#[derive(Debug, Default)]
pub(crate) struct Affected {
    /// Pages and data files, by output path.
    pub(crate) paths: BTreeSet<String>,
    /// Documents whose search entries change, by their ids after the edit.
    pub(crate) search_entries: Vec<DocId>,
    /// Whether the search index's tables change.
    pub(crate) search_tables: bool,
}

impl Affected {
    fn add(&mut self, file: File, after: bool) {
        match file {
            File::Path(path) => {
                self.paths.insert(path);
            }
            File::SearchTables => self.search_tables = true,
            // Ids before the edit differ from those after only when
            // documents came or went, and then the index is made anew.
            File::SearchEntry(id) if after => self.search_entries.push(id),
            File::SearchEntry(_) => {}
        }
    }
}

/// The facts that no page shows but the document's own, and on which no
/// list of documents (not even its own page's) and no gap depends: an edit
/// of only these leaves every other page as it is, and the links and gaps.
pub(crate) fn shown_on_own_page_only() -> Facts {
    let mut elsewhere = Facts::NONE;
    for kind in PageKind::ALL {
        let declared = kind.declaration();
        for shown in declared.shows {
            let lists = shown.of.decided_by().union(shown.of.chosen_by());
            elsewhere = elsewhere.union(lists);
            if !shown.of.read_whole() {
                elsewhere = elsewhere.union(shown.facts);
            }
        }
        if declared.gaps != GapsShown::None {
            elsewhere = elsewhere.union(GAP_ITEMS);
        }
    }
    Facts::ALL.without(elsewhere)
}

/// Whether the edits changed only what the documents' own pages show (the
/// common edit: prose), so `serve` can swap the documents in without
/// linking the site again. A document that came or went changed every fact.
pub(crate) fn own_pages_only(edits: &Edits) -> bool {
    let own = shown_on_own_page_only();
    edits.iter().all(|(_, facts)| facts.within(own))
}

/// Whether the gap report made before `edits` still holds after them:
/// none changed what the rules read (with the same documents, as ids).
pub(crate) fn gap_report_kept(edits: &Edits) -> bool {
    edits.iter().all(|(_, facts)| !facts.meets(GAP_RULES))
}

/// Whether a card made before an edit of `facts` still shows its document.
pub(crate) fn card_kept(facts: Facts) -> bool {
    !facts.meets(CARD)
}

/// Whether a member summary made before an edit of `facts` still shows
/// its member.
pub(crate) fn member_summary_kept(facts: Facts) -> bool {
    !facts.meets(MEMBER)
}

/// The files to make again after `edits` turned `old` into `new`: for
/// each kind of page, those that list an edited document (before or
/// after) through a relation whose facts the edit changed, and those whose
/// slice of the gaps differs.
pub(crate) fn affected(old: State, new: State, edits: &Edits) -> Affected {
    let mut affected = Affected::default();
    let edited = [edits.in_site(old.site), edits.in_site(new.site)];
    let gaps = GapChanges::between(old, new, edits);
    let mut section_pages = SectionPages::default();
    for kind in PageKind::ALL {
        let declared = kind.declaration();
        for (state, edited, after) in [(old, &edited[0], false), (new, &edited[1], true)] {
            let site = state.site;
            let mut found = |at: PageOf| {
                section_pages.note(at);
                if let Some(file) = kind.file(site, at) {
                    affected.add(file, after);
                }
            };
            for shown in declared.shows {
                let reach = shown.facts.union(shown.of.decided_by());
                for &(id, _) in edited.iter().filter(|(_, facts)| facts.meets(reach)) {
                    shown.of.listing(site, id, &mut found);
                }
            }
            for slug in &gaps.tags {
                declared.gaps.listing(site, slug, &mut found);
            }
            if let GapsShown::First(count) = declared.gaps
                && after
                && gaps.first_differ(count)
            {
                found(PageOf::Site);
            }
        }
    }
    for (kind, number) in section_pages.between(old.site, new.site) {
        if let Some(file) = PageKind::Section.file(new.site, PageOf::Section(kind, number)) {
            affected.add(file, true);
        }
    }
    affected.search_entries.sort_unstable();
    affected.search_entries.dedup();
    affected
}

/// The pages of each section an edit reached. A document that moved
/// between pages of its section (renamed, redated) shifts every page
/// between the two by one; one that came or went changes every page,
/// which all show the count of documents and of pages.
#[derive(Default)]
struct SectionPages {
    reached: BTreeMap<Kind, (PageNo, PageNo)>,
}

impl SectionPages {
    fn note(&mut self, at: PageOf) {
        if let PageOf::Section(kind, n) = at {
            let (low, high) = self.reached.entry(kind).or_insert((n, n));
            *low = (*low).min(n);
            *high = (*high).max(n);
        }
    }

    /// The pages of the sections after the edit to make again.
    fn between(&self, old: &Site, new: &Site) -> Vec<(Kind, PageNo)> {
        let size = new.config.page_size;
        let mut pages = Vec::new();
        for (&kind, &(low, high)) in &self.reached {
            let count = new.of_kind(kind).count();
            let every = old.of_kind(kind).count() != count;
            pages.extend(
                PageNo::all(count, size)
                    .filter(|&n| every || (low..=high).contains(&n))
                    .map(|n| (kind, n)),
            );
        }
        pages
    }
}

/// How the ranked gap items differ between two states.
struct GapChanges<'a> {
    /// Both lists, when an edit changed what gap items depend on.
    items: Option<(&'a [GapItem], &'a [GapItem])>,
    /// Tags whose items differ.
    tags: BTreeSet<String>,
}

impl<'a> GapChanges<'a> {
    fn between(old: State<'a>, new: State<'a>, edits: &Edits) -> GapChanges<'a> {
        let changed = edits.iter().any(|(_, facts)| facts.meets(GAP_ITEMS));
        GapChanges {
            items: changed.then_some((&old.views.gaps, &new.views.gaps)),
            tags: if changed {
                tags_with_other_gaps(old.views, new.views)
            } else {
                BTreeSet::new()
            },
        }
    }

    /// Whether the first `count` items differ.
    fn first_differ(&self, count: usize) -> bool {
        self.items
            .is_some_and(|(old, new)| !old.iter().take(count).eq(new.iter().take(count)))
    }
}

/// Tags whose gap items differ between the two states.
fn tags_with_other_gaps(old: &Views, new: &Views) -> BTreeSet<String> {
    fn by_tag(views: &Views) -> BTreeMap<&str, Vec<&GapItem>> {
        let mut items: BTreeMap<&str, Vec<&GapItem>> = BTreeMap::new();
        for item in &views.gaps {
            if let Some(tag) = &item.tag {
                items.entry(tag).or_default().push(item);
            }
        }
        items
    }
    let (before, after) = (by_tag(old), by_tag(new));
    before
        .keys()
        .chain(after.keys())
        .filter(|tag| before.get(*tag) != after.get(*tag))
        .map(|tag| tag.to_string())
        .collect()
}
