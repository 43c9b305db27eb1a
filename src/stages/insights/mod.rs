//! Community health: participation, needs, impact and knowledge coverage
//! over a period, from the linked site, its gap report and the git
//! history (`history`). One `Insights` value feeds the /insights/ page and
//! every format of `practica report`.

pub(crate) mod chart;
pub(crate) mod past;
mod people;
pub(crate) mod report;
pub(crate) mod sections;

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::Serialize;

use crate::model::document::{Kind, Status};
use crate::model::period::{Month, Period, Quarter, day};
use crate::stages::gaps::GapReport;
use crate::stages::history::{History, Source};
use crate::stages::labels::Labels;
use crate::stages::link::{DocId, Site};
use past::PastQuarter;
use people::{Activity, Person};

/// The version of the JSON `practica report --format json` writes; a
/// field removed or changed in meaning makes it 2 (README).
pub(crate) const SCHEMA: u32 = 1;

/// How many quarters the /insights/ page shows.
pub(crate) const PAGE_QUARTERS: i32 = 8;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Insights {
    pub(crate) schema: u32,
    pub(crate) community: String,
    pub(crate) period: Period,
    #[serde(serialize_with = "day")]
    pub(crate) today: Date,
    pub(crate) history: Source,
    pub(crate) participation: Participation,
    pub(crate) needs: Needs,
    pub(crate) impact: Impact,
    pub(crate) coverage: Vec<QuarterGaps>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Participation {
    pub(crate) months: Vec<MonthCount>,
    pub(crate) quarters: Vec<QuarterActivity>,
    /// Documents written in the period, and those changed in it after
    /// the day they were written.
    pub(crate) written: usize,
    pub(crate) updated: usize,
    /// Distinct contributors in the whole period.
    pub(crate) contributors: usize,
    /// Of them, those whose first contribution ever is in the period.
    pub(crate) new_contributors: usize,
    /// Commits in the period that changed documents.
    pub(crate) commits: usize,
    pub(crate) topics: Vec<TopicContributors>,
    /// git authors no member's `git:` names, with their commits in the period.
    pub(crate) unmatched: Vec<Unmatched>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct MonthCount {
    pub(crate) month: Month,
    pub(crate) written: usize,
    pub(crate) updated: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct QuarterActivity {
    pub(crate) quarter: Quarter,
    pub(crate) written: usize,
    pub(crate) updated: usize,
    pub(crate) contributors: usize,
    /// Contributors whose first contribution ever is in this quarter.
    pub(crate) new_contributors: usize,
    /// Of this quarter's contributors, those active in the next one;
    /// `None` for a quarter whose next is not in the period.
    pub(crate) stayed: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TopicContributors {
    pub(crate) topic: String,
    pub(crate) title: String,
    pub(crate) contributors: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Unmatched {
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) commits: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Needs {
    pub(crate) topics: Vec<TopicNeed>,
    pub(crate) unmentored: Vec<Unmentored>,
    pub(crate) wanted: Vec<WantedPage>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TopicNeed {
    pub(crate) topic: String,
    pub(crate) title: String,
    pub(crate) experts: usize,
    pub(crate) mentors: usize,
    pub(crate) learners: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Unmentored {
    pub(crate) member: String,
    pub(crate) name: String,
    pub(crate) topic: String,
    pub(crate) topic_title: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct WantedPage {
    pub(crate) title: String,
    pub(crate) requests: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Impact {
    /// Practices by status at the end of each quarter git knows, and now.
    pub(crate) status: Vec<QuarterStatus>,
    pub(crate) evidence: Vec<PracticeEvidence>,
    pub(crate) case_studies: Vec<QuarterCount>,
    /// Practices (not retired) that no guide or case study cites.
    pub(crate) without_evidence: Vec<PracticeEvidence>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub(crate) struct StatusCounts {
    pub(crate) proposed: usize,
    pub(crate) emerging: usize,
    pub(crate) established: usize,
    pub(crate) retired: usize,
    /// Practices with no `status`.
    pub(crate) unset: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct QuarterStatus {
    pub(crate) quarter: Quarter,
    pub(crate) practices: StatusCounts,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PracticeEvidence {
    pub(crate) practice: String,
    pub(crate) title: String,
    pub(crate) status: Option<Status>,
    pub(crate) guides: usize,
    pub(crate) case_studies: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct QuarterCount {
    pub(crate) quarter: Quarter,
    pub(crate) count: usize,
}

/// The gaps found at a quarter's end, by rule name.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct QuarterGaps {
    pub(crate) quarter: Quarter,
    pub(crate) total: usize,
    pub(crate) rules: BTreeMap<&'static str, usize>,
}

/// What the /insights/ page shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageView {
    pub(crate) period: Period,
    /// "2025-06-16 to 2026-06-15", in the labels' language.
    pub(crate) period_text: String,
    /// Where the figures come from, and what is not known.
    pub(crate) note: String,
    pub(crate) groups: Vec<sections::Group>,
}

impl PageView {
    pub(crate) fn of(insights: &Insights, labels: &Labels) -> PageView {
        let period = insights.period;
        PageView {
            period,
            period_text: labels.fill(
                "insights_period",
                &[("since", &period.since), ("until", &period.until)],
            ),
            note: sections::source_note(insights, labels),
            groups: sections::groups(insights, labels),
        }
    }
}

/// The figures of `period`, from the site as it is (`report`: its gaps
/// today) and `history`.
pub(crate) fn derive(
    site: &Site,
    report: &GapReport,
    history: &History,
    past: &[PastQuarter],
    period: Period,
) -> Insights {
    let today = report.today;
    let activity = Activity::of(site, history, today);
    let quarters = period.quarters();
    Insights {
        schema: SCHEMA,
        community: site.config.title.clone(),
        period,
        today,
        history: history.source.clone(),
        participation: participation(site, history, &activity, period, &quarters),
        needs: needs(site),
        impact: impact(site, &activity, past, period, &quarters),
        coverage: coverage(site, report, past, period, &quarters),
    }
}

fn participation(
    site: &Site,
    history: &History,
    activity: &Activity,
    period: Period,
    quarters: &[Quarter],
) -> Participation {
    let months = period
        .months()
        .into_iter()
        .map(|month| MonthCount {
            month,
            written: activity.written_in(|d| Month::of(d) == month),
            updated: activity.updated_in(|d| Month::of(d) == month),
        })
        .collect();
    let active: Vec<BTreeSet<&Person>> = quarters.iter().map(|&q| activity.active_in(q)).collect();
    let quarters = quarters
        .iter()
        .enumerate()
        .map(|(i, &quarter)| QuarterActivity {
            quarter,
            written: activity.written_in(|d| Quarter::of(d) == quarter),
            updated: activity.updated_in(|d| Quarter::of(d) == quarter),
            contributors: active[i].len(),
            new_contributors: active[i]
                .iter()
                .filter(|p| activity.first_quarter(p) == Some(quarter))
                .count(),
            stayed: active
                .get(i + 1)
                .map(|next| active[i].intersection(next).count()),
        })
        .collect();
    Participation {
        months,
        quarters,
        written: activity.written_in(|d| period.contains(d)),
        updated: activity.updated_in(|d| period.contains(d)),
        contributors: activity.active_between(period).len(),
        new_contributors: activity.new_between(period),
        commits: history
            .commits
            .iter()
            .filter(|c| period.contains(c.date) && !c.files.is_empty())
            .count(),
        topics: activity.topics(site, period),
        unmatched: activity.unmatched(period),
    }
}

fn needs(site: &Site) -> Needs {
    let mut topics: Vec<TopicNeed> = site
        .tags
        .iter()
        .filter(|t| !t.experts.is_empty() || !t.learners.is_empty())
        .map(|t| TopicNeed {
            topic: t.slug.clone(),
            title: t.title.clone(),
            experts: t.experts.len(),
            mentors: t.mentors.len(),
            learners: t.learners.len(),
        })
        .collect();
    topics.sort_by(|a, b| {
        let unmet = |t: &TopicNeed| t.learners as i64 - t.mentors as i64;
        unmet(b).cmp(&unmet(a)).then_with(|| a.title.cmp(&b.title))
    });
    let mut unmentored = Vec::new();
    for tag in site.tags.iter().filter(|t| t.mentors.is_empty()) {
        for &learner in &tag.learners {
            let member = &site.documents[learner];
            unmentored.push(Unmentored {
                member: member.slug.clone(),
                name: member.front.title.clone(),
                topic: tag.slug.clone(),
                topic_title: tag.title.clone(),
            });
        }
    }
    let mut wanted: Vec<WantedPage> = site
        .wanted
        .iter()
        .map(|w| WantedPage {
            title: w.title.clone(),
            requests: w.requested_by.len(),
        })
        .collect();
    wanted.sort_by(|a, b| {
        b.requests
            .cmp(&a.requests)
            .then_with(|| a.title.cmp(&b.title))
    });
    Needs {
        topics,
        unmentored,
        wanted,
    }
}

fn impact(
    site: &Site,
    activity: &Activity,
    past: &[PastQuarter],
    period: Period,
    quarters: &[Quarter],
) -> Impact {
    let now = Quarter::of(activity.today);
    let mut status: Vec<QuarterStatus> = past
        .iter()
        .filter(|p| quarters.contains(&p.quarter) && p.quarter < now)
        .map(|p| QuarterStatus {
            quarter: p.quarter,
            practices: p.practices,
        })
        .collect();
    if period.contains(activity.today) {
        status.push(QuarterStatus {
            quarter: now,
            practices: status_counts(site.documents.iter().map(|d| &**d)),
        });
    }
    let evidence: Vec<PracticeEvidence> = site
        .of_kind(Kind::Practice)
        .map(|id| practice_evidence(site, id))
        .collect();
    let without_evidence = evidence
        .iter()
        .filter(|p| p.guides + p.case_studies == 0 && p.status != Some(Status::Retired))
        .cloned()
        .collect();
    let case_studies = quarters
        .iter()
        .map(|&quarter| QuarterCount {
            quarter,
            count: activity.written_of(Kind::CaseStudy, |d| Quarter::of(d) == quarter),
        })
        .collect();
    Impact {
        status,
        evidence,
        case_studies,
        without_evidence,
    }
}

pub(crate) fn status_counts<'d>(
    documents: impl Iterator<Item = &'d crate::document::Document>,
) -> StatusCounts {
    let mut counts = StatusCounts::default();
    for document in documents.filter(|d| d.kind == Kind::Practice && !d.front.draft) {
        *match document.front.status {
            Some(Status::Proposed) => &mut counts.proposed,
            Some(Status::Emerging) => &mut counts.emerging,
            Some(Status::Established) => &mut counts.established,
            Some(Status::Retired) => &mut counts.retired,
            None => &mut counts.unset,
        } += 1;
    }
    counts
}

fn practice_evidence(site: &Site, id: DocId) -> PracticeEvidence {
    let practice = &site.documents[id];
    let citing = |kind| {
        site.relations[id]
            .evidence
            .iter()
            .filter(|&&e| site.documents[e].kind == kind)
            .count()
    };
    PracticeEvidence {
        practice: practice.slug.clone(),
        title: practice.front.title.clone(),
        status: practice.front.status,
        guides: citing(Kind::Guide),
        case_studies: citing(Kind::CaseStudy),
    }
}

/// The past quarters' gaps in the period, then the current one's.
fn coverage(
    site: &Site,
    report: &GapReport,
    past: &[PastQuarter],
    period: Period,
    quarters: &[Quarter],
) -> Vec<QuarterGaps> {
    let now = Quarter::of(report.today);
    let mut found: Vec<QuarterGaps> = past
        .iter()
        .filter(|p| quarters.contains(&p.quarter) && p.quarter < now)
        .map(|p| p.gaps.clone())
        .collect();
    if period.contains(report.today) {
        found.push(past::counted(&site.config, now, report));
    }
    found
}
