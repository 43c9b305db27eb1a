//! Who did what when: every contribution the front matter and git tell
//! of, with git authors matched to members by the names and e-mails their
//! profiles list under `git:` (case-insensitively).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;

use super::{TopicContributors, Unmatched};
use crate::model::document::Kind;
use crate::model::period::{Period, Quarter};
use crate::stages::history::{Author, History};
use crate::stages::link::{DocId, Site};

/// A contributor: a member, or a git author no member claims (by e-mail,
/// else name, in lower case).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Person {
    Member(DocId),
    Author(String),
}

/// One contribution: who, when, to which document of today's site.
struct Contribution {
    person: Person,
    date: Date,
    document: Option<DocId>,
    /// The commit's index in the history, for git contributions.
    commit: Option<usize>,
}

pub(crate) struct Activity {
    pub(crate) today: Date,
    /// Each document that is not a member's profile, with its kind and
    /// the day it was written: `date`, else the commit that added it.
    written: Vec<(DocId, Kind, Date)>,
    /// Days a document was changed after it was written: `updated`, and
    /// each later commit that touched it.
    updated: Vec<(DocId, Date)>,
    contributions: Vec<Contribution>,
    /// Unmatched git authors as their commits name them.
    authors: BTreeMap<String, Author>,
}

impl Activity {
    pub(crate) fn of(site: &Site, history: &History, today: Date) -> Activity {
        let by_source: HashMap<&str, DocId> = site
            .documents
            .iter_enumerated()
            .map(|(id, d)| (d.source.as_str(), id))
            .collect();
        let claims = claims(site);
        let mut activity = Activity {
            today,
            written: Vec::new(),
            updated: Vec::new(),
            contributions: Vec::new(),
            authors: BTreeMap::new(),
        };
        let mut first_commit: HashMap<DocId, Date> = HashMap::new();
        for (index, commit) in history.commits.iter().enumerate() {
            let person = activity.person(&claims, &commit.author);
            for (path, _) in &commit.files {
                let document = by_source.get(path.as_str()).copied();
                if let Some(id) = document {
                    match first_commit.get(&id) {
                        Some(_) => activity.updated.push((id, commit.date)),
                        None => {
                            first_commit.insert(id, commit.date);
                        }
                    }
                }
                activity.contributions.push(Contribution {
                    person: person.clone(),
                    date: commit.date,
                    document,
                    commit: Some(index),
                });
            }
        }
        activity.add_front_matter(site, &first_commit);
        activity
    }

    /// Written dates, `updated`, and authors at the day of writing.
    fn add_front_matter(&mut self, site: &Site, first_commit: &HashMap<DocId, Date>) {
        for (id, document) in site.documents.iter_enumerated() {
            if document.kind == Kind::Member || document.front.draft {
                continue;
            }
            let written = document
                .front
                .date
                .or_else(|| first_commit.get(&id).copied());
            let Some(written) = written else { continue };
            self.written.push((id, document.kind, written));
            self.updated.extend(
                document
                    .front
                    .updated
                    .filter(|&u| u > written)
                    .map(|u| (id, u)),
            );
            for &author in &site.relations[id].authors {
                self.contributions.push(Contribution {
                    person: Person::Member(author),
                    date: written,
                    document: Some(id),
                    commit: None,
                });
            }
        }
        // Only a change after the writing is an update.
        let written: HashMap<DocId, Date> =
            self.written.iter().map(|(id, _, d)| (*id, *d)).collect();
        self.updated
            .retain(|(id, date)| written.get(id).is_some_and(|w| date > w));
    }

    fn person(&mut self, claims: &HashMap<String, DocId>, author: &Author) -> Person {
        let claimed = [&author.email, &author.name]
            .into_iter()
            .filter(|k| !k.is_empty())
            .find_map(|k| claims.get(&k.to_lowercase()));
        if let Some(&member) = claimed {
            return Person::Member(member);
        }
        let key = if author.email.is_empty() {
            &author.name
        } else {
            &author.email
        }
        .to_lowercase();
        self.authors
            .entry(key.clone())
            .or_insert_with(|| author.clone());
        Person::Author(key)
    }

    /// Documents written on a day `when` accepts.
    pub(crate) fn written_in(&self, when: impl Fn(Date) -> bool) -> usize {
        self.written.iter().filter(|(_, _, d)| when(*d)).count()
    }

    pub(crate) fn written_of(&self, kind: Kind, when: impl Fn(Date) -> bool) -> usize {
        self.written
            .iter()
            .filter(|(_, k, d)| *k == kind && when(*d))
            .count()
    }

    /// Documents changed on a day `when` accepts, after the day they were
    /// written, each once.
    pub(crate) fn updated_in(&self, when: impl Fn(Date) -> bool) -> usize {
        let changed: BTreeSet<DocId> = self
            .updated
            .iter()
            .filter(|(_, d)| when(*d))
            .map(|(id, _)| *id)
            .collect();
        changed.len()
    }

    pub(crate) fn active_in(&self, quarter: Quarter) -> BTreeSet<&Person> {
        self.active_where(|d| Quarter::of(d) == quarter)
    }

    pub(crate) fn active_between(&self, period: Period) -> BTreeSet<&Person> {
        self.active_where(|d| period.contains(d))
    }

    fn active_where(&self, when: impl Fn(Date) -> bool) -> BTreeSet<&Person> {
        self.contributions
            .iter()
            .filter(|c| when(c.date))
            .map(|c| &c.person)
            .collect()
    }

    /// How many people contributed for the first time in the period.
    pub(crate) fn new_between(&self, period: Period) -> usize {
        let mut first: BTreeMap<&Person, Date> = BTreeMap::new();
        for c in &self.contributions {
            let day = first.entry(&c.person).or_insert(c.date);
            *day = (*day).min(c.date);
        }
        first.values().filter(|d| period.contains(**d)).count()
    }

    /// The quarter of a person's first contribution ever.
    pub(crate) fn first_quarter(&self, person: &Person) -> Option<Quarter> {
        self.contributions
            .iter()
            .filter(|c| &c.person == person)
            .map(|c| Quarter::of(c.date))
            .min()
    }

    pub(crate) fn name(&self, site: &Site, person: &Person) -> String {
        match person {
            Person::Member(id) => site.documents[*id].front.title.clone(),
            Person::Author(key) => self.authors.get(key).map_or_else(
                || key.clone(),
                |a| {
                    if a.name.is_empty() {
                        a.email.clone()
                    } else {
                        a.name.clone()
                    }
                },
            ),
        }
    }

    /// For each topic, who contributed to its documents in the period,
    /// most contributors first.
    pub(crate) fn topics(&self, site: &Site, period: Period) -> Vec<TopicContributors> {
        let tags = site.tag_ids();
        let mut by_tag: BTreeMap<crate::stages::link::TagId, BTreeSet<&Person>> = BTreeMap::new();
        for c in self
            .contributions
            .iter()
            .filter(|c| period.contains(c.date))
        {
            let Some(document) = c.document else { continue };
            for &tag in &tags[document] {
                by_tag.entry(tag).or_default().insert(&c.person);
            }
        }
        let mut topics: Vec<TopicContributors> = by_tag
            .into_iter()
            .map(|(tag, people)| {
                let mut contributors: Vec<String> =
                    people.into_iter().map(|p| self.name(site, p)).collect();
                contributors.sort();
                TopicContributors {
                    topic: site.tags[tag].slug.clone(),
                    title: site.tags[tag].title.clone(),
                    contributors,
                }
            })
            .collect();
        topics.sort_by(|a, b| {
            (b.contributors.len().cmp(&a.contributors.len())).then_with(|| a.title.cmp(&b.title))
        });
        topics
    }

    /// git authors no member claims, with their commits in the period,
    /// most commits first.
    pub(crate) fn unmatched(&self, period: Period) -> Vec<Unmatched> {
        let mut commits: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
        for c in self
            .contributions
            .iter()
            .filter(|c| period.contains(c.date))
        {
            if let (Person::Author(key), Some(commit)) = (&c.person, c.commit) {
                commits.entry(key).or_default().insert(commit);
            }
        }
        let mut unmatched: Vec<Unmatched> = commits
            .into_iter()
            .filter_map(|(key, commits)| {
                let author = self.authors.get(key)?;
                Some(Unmatched {
                    name: author.name.clone(),
                    email: author.email.clone(),
                    commits: commits.len(),
                })
            })
            .collect();
        unmatched.sort_by(|a, b| b.commits.cmp(&a.commits).then_with(|| a.name.cmp(&b.name)));
        unmatched
    }
}

/// Each name and e-mail members list under `git:`, in lower case.
fn claims(site: &Site) -> HashMap<String, DocId> {
    site.of_kind(Kind::Member)
        .flat_map(|id| {
            site.documents[id]
                .front
                .git
                .iter()
                .map(move |name| (name.trim().to_lowercase(), id))
        })
        .collect()
}
