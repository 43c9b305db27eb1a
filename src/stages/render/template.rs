//! The templates a theme holds, each file name written once: pages render
//! by `Template`, the default theme is loaded from `Template::ALL`, and the
//! tests check that README names every one.

use crate::model::document::Kind;

/// A template a theme may hold, which a community's `templates/` may
/// replace. Pages and partials first, then one per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Template {
    /// The layout every page extends.
    Base,
    Index,
    /// A document whose kind has no template of its own in the theme.
    Document,
    Section,
    Members,
    Tags,
    Tag,
    NotFound,
    Search,
    Gaps,
    /// Community health over time (`insights`).
    Insights,
    /// A toolkit whole, to print.
    ToolkitPrint,
    /// Partials, which pages include.
    Card,
    LinkList,
    GapItem,
    /// A document's newer and older neighbours in its section.
    SectionSteps,
    /// A document's tags for shared links (Open Graph, JSON-LD).
    PageSocial,
    /// The links between the pages of a long list.
    Pagination,
    /// Who keeps a document or toolkit current, its next review, its edit link.
    PageCare,
    /// The template of one kind's documents: the default theme ships
    /// `member.html` and `toolkit.html`; a theme's `practice.html`, `guide.html` or
    /// `case-study.html` takes over from `document.html`.
    Kind(Kind),
}

/// Every template that is not a kind's own.
const PAGES_AND_PARTIALS: [Template; 19] = [
    Template::Base,
    Template::Index,
    Template::Document,
    Template::Section,
    Template::Members,
    Template::Tags,
    Template::Tag,
    Template::NotFound,
    Template::Search,
    Template::Gaps,
    Template::Insights,
    Template::ToolkitPrint,
    Template::Card,
    Template::LinkList,
    Template::GapItem,
    Template::SectionSteps,
    Template::PageSocial,
    Template::Pagination,
    Template::PageCare,
];

/// `($file, Some(its text in the default theme))`, the name written once.
macro_rules! shipped {
    ($file:literal) => {
        (
            $file,
            Some(include_str!(concat!(
                "../../../themes/default/templates/",
                $file
            ))),
        )
    };
}

impl Template {
    /// Every template, a kind's own ones made from `Kind::ALL` so that a
    /// new kind has its template with no change here.
    pub const ALL: [Template; PAGES_AND_PARTIALS.len() + Kind::ALL.len()] = {
        let mut all = [Template::Base; PAGES_AND_PARTIALS.len() + Kind::ALL.len()];
        let mut i = 0;
        while i < all.len() {
            all[i] = match i.checked_sub(PAGES_AND_PARTIALS.len()) {
                None => PAGES_AND_PARTIALS[i],
                Some(k) => Template::Kind(Kind::ALL[k]),
            };
            i += 1;
        }
        all
    };

    /// The file name, under `templates/`, which is also the name Tera
    /// knows it by.
    pub fn file_name(self) -> &'static str {
        self.file().0
    }

    /// The default theme's text of it, for the templates it ships.
    pub(crate) fn default_text(self) -> Option<&'static str> {
        self.file().1
    }

    fn file(self) -> (&'static str, Option<&'static str>) {
        match self {
            Template::Base => shipped!("base.html"),
            Template::Index => shipped!("index.html"),
            Template::Document => shipped!("document.html"),
            Template::Section => shipped!("section.html"),
            Template::Members => shipped!("members.html"),
            Template::Tags => shipped!("tags.html"),
            Template::Tag => shipped!("tag.html"),
            Template::NotFound => shipped!("404.html"),
            Template::Search => shipped!("search.html"),
            Template::Gaps => shipped!("gaps.html"),
            Template::Insights => shipped!("insights.html"),
            Template::ToolkitPrint => shipped!("toolkit-print.html"),
            Template::Card => shipped!("card.html"),
            Template::LinkList => shipped!("link-list.html"),
            Template::GapItem => shipped!("gap-item.html"),
            Template::SectionSteps => shipped!("section-steps.html"),
            Template::PageSocial => shipped!("page-social.html"),
            Template::Pagination => shipped!("pagination.html"),
            Template::PageCare => shipped!("page-care.html"),
            Template::Kind(Kind::Member) => shipped!("member.html"),
            Template::Kind(Kind::Toolkit) => shipped!("toolkit.html"),
            Template::Kind(kind) => (kind.template(), None),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    const DEFAULTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates");

    /// A kind's template is named by its kind, even where its default
    /// text is included by name here.
    #[test]
    fn a_kinds_template_is_named_by_its_kind() {
        for kind in Kind::ALL {
            assert_eq!(Template::Kind(kind).file_name(), kind.template());
        }
    }

    /// Each shipped text is the file of its name, and every file of the
    /// default theme is some template's.
    #[test]
    fn the_default_theme_is_every_shipped_template() {
        let mut shipped = BTreeSet::new();
        for template in Template::ALL {
            let name = template.file_name();
            let on_disk = std::fs::read_to_string(Path::new(DEFAULTS).join(name)).ok();
            assert_eq!(template.default_text(), on_disk.as_deref(), "{name}");
            shipped.extend(on_disk.map(|_| name.to_string()));
        }
        let files: BTreeSet<String> = std::fs::read_dir(DEFAULTS)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(shipped, files);
    }

    #[test]
    fn names_are_distinct() {
        let names: BTreeSet<&str> = Template::ALL.iter().map(|t| t.file_name()).collect();
        assert_eq!(names.len(), Template::ALL.len());
    }
}
