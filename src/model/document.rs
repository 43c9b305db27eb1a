//! The document model shared by every stage after loading.

use jiff::civil::Date;
use serde_json::{Map, Value};

use crate::support::fields::{Dated, Located};
use crate::support::markdown::{BodyHtml, Scan};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Practice,
    Guide,
    CaseStudy,
    Member,
    /// A chosen, ordered collection of the other documents, with an
    /// introduction: read in order, printed, handed out.
    Toolkit,
}

/// Everything that is named after a kind, in one place.
struct KindNames {
    /// As `new` takes it, archetype files and kind templates are named, and
    /// templates see it: `case-study`.
    name: &'static str,
    /// The folder in the community root, which is also the URL segment.
    section: &'static str,
    /// The kind's own template, its name plus `.html` (a test checks).
    template: &'static str,
    label: &'static str,
    plural: &'static str,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Practice,
        Kind::Guide,
        Kind::CaseStudy,
        Kind::Member,
        Kind::Toolkit,
    ];

    const fn names(self) -> KindNames {
        match self {
            Kind::Practice => KindNames {
                name: "practice",
                section: "practices",
                template: "practice.html",
                label: "Practice",
                plural: "Practices",
            },
            Kind::Guide => KindNames {
                name: "guide",
                section: "guides",
                template: "guide.html",
                label: "Guide",
                plural: "Guides",
            },
            Kind::CaseStudy => KindNames {
                name: "case-study",
                section: "case-studies",
                template: "case-study.html",
                label: "Case study",
                plural: "Case studies",
            },
            Kind::Member => KindNames {
                name: "member",
                section: "members",
                template: "member.html",
                label: "Member",
                plural: "Members",
            },
            Kind::Toolkit => KindNames {
                name: "toolkit",
                section: "toolkits",
                template: "toolkit.html",
                label: "Toolkit",
                plural: "Toolkits",
            },
        }
    }

    /// The singular name: `practica new case-study`, `archetypes/case-study.md`.
    pub fn name(self) -> &'static str {
        self.names().name
    }

    /// The folder in the community root, which is also the URL segment.
    pub(crate) fn section(self) -> &'static str {
        self.names().section
    }

    /// The template that renders this kind's documents when the theme has
    /// it (`case-study.html`); members always have one, `member.html`.
    pub(crate) fn template(self) -> &'static str {
        self.names().template
    }

    pub(crate) fn label(self) -> &'static str {
        self.names().label
    }

    pub(crate) fn plural(self) -> &'static str {
        self.names().plural
    }

    pub(crate) fn from_section(section: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.section() == section)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    Proposed,
    Emerging,
    Established,
    Retired,
}

impl Status {
    pub(crate) const NAMES: [&'static str; 4] = ["proposed", "emerging", "established", "retired"];

    /// As front matter writes it: `established`.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Status::Proposed => Status::NAMES[0],
            Status::Emerging => Status::NAMES[1],
            Status::Established => Status::NAMES[2],
            Status::Retired => Status::NAMES[3],
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Status> {
        match text {
            "proposed" => Some(Status::Proposed),
            "emerging" => Some(Status::Emerging),
            "established" => Some(Status::Established),
            "retired" => Some(Status::Retired),
            _ => None,
        }
    }
}

/// One group of a toolkit's `items:`, in order: a part with its heading,
/// or the items written outside any part (`heading: None`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Part {
    pub(crate) heading: Option<PartHeading>,
    /// Slugs of documents, as written (`guides/x` names the section too).
    pub(crate) items: Vec<Located>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct PartHeading {
    pub(crate) title: String,
    /// A line under the heading; may be empty.
    pub(crate) text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct ProfileLink {
    pub(crate) title: String,
    pub(crate) url: String,
}

/// Front matter after type checks. Slugs keep their position for later errors.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FrontMatter {
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) tags: Vec<Located>,
    pub(crate) authors: Vec<Located>,
    pub(crate) date: Option<Date>,
    pub(crate) updated: Option<Date>,
    pub(crate) draft: bool,
    pub(crate) status: Option<Status>,
    pub(crate) review_by: Option<Dated>,
    /// `language`: the document's own, when it gave a valid tag.
    pub(crate) language: Option<String>,
    /// `image`: the picture shared links show, as written.
    pub(crate) image: Option<Located>,
    pub(crate) owner: Option<Located>,
    pub(crate) practices: Vec<Located>,
    pub(crate) expertise: Vec<Located>,
    pub(crate) learning: Vec<Located>,
    pub(crate) mentor: bool,
    pub(crate) role: Option<String>,
    pub(crate) organization: Option<String>,
    pub(crate) links: Vec<ProfileLink>,
    /// A member's git names and e-mails, matched to commit authors.
    pub(crate) git: Vec<String>,
    /// A toolkit's readers: who it is for.
    pub(crate) audience: Option<String>,
    /// A toolkit's documents, in reading order, in parts.
    pub(crate) items: Vec<Part>,
    /// Keys practica does not know, handed to templates as `page.extra`.
    pub(crate) extra: Map<String, Value>,
}

impl FrontMatter {
    /// `review_by`, once `today` has passed it: the page says the review
    /// is overdue, `check` warns, and the gap map lists it.
    pub(crate) fn review_overdue(&self, today: Date) -> Option<Dated> {
        self.review_by.filter(|due| due.date < today)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub(crate) kind: Kind,
    pub slug: String,
    /// Source path relative to the community root, with `/` separators.
    pub(crate) source: String,
    /// Output folder relative to the site root, like `practices/peer-review/`.
    pub(crate) url: String,
    pub(crate) front: FrontMatter,
    /// The body's HTML, with a mark for each link's target; `None` after an
    /// outline reading (`markdown::Reading`), whose run renders no document page.
    pub(crate) body: Option<BodyHtml>,
    /// The file line on which the body starts (1-based).
    pub(crate) body_line: usize,
    pub(crate) scan: Scan,
}

impl Document {
    /// The date lists sort by: last update, else publication.
    pub(crate) fn sort_date(&self) -> Option<Date> {
        self.front.updated.or(self.front.date)
    }

    pub(crate) fn summary(&self) -> &str {
        if self.front.summary.is_empty() {
            &self.scan.first_paragraph
        } else {
            &self.front.summary
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kinds_template_is_its_name_as_html() {
        for kind in Kind::ALL {
            assert_eq!(kind.template(), format!("{}.html", kind.name()));
        }
    }
}
