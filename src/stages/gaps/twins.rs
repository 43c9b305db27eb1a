//! Near-duplicate topics: a slug and its plural (`tool`, `tools`), or its
//! abbreviation (`ux`, `user-experience`), are probably one topic that
//! documents tag two ways.

use std::collections::HashMap;

use crate::stages::link::{Site, Tag};

/// For each topic that has a near-duplicate, the one to keep.
pub(crate) struct NearDuplicates<'a> {
    kept: HashMap<&'a str, &'a str>,
}

impl<'a> NearDuplicates<'a> {
    pub(crate) fn of(site: &'a Site) -> NearDuplicates<'a> {
        let mut by_key: HashMap<String, Vec<&'a Tag>> = HashMap::new();
        for tag in site.tags.iter() {
            by_key.entry(singular(&tag.slug)).or_default().push(tag);
        }
        let mut by_initials: HashMap<String, Vec<&'a Tag>> = HashMap::new();
        for tag in site.tags.iter() {
            if let Some(initials) = initials(&tag.slug) {
                by_initials.entry(initials).or_default().push(tag);
            }
        }
        let mut kept = HashMap::new();
        for tag in site.tags.iter() {
            let key = singular(&tag.slug);
            let mut alike: Vec<&Tag> = by_key[&key].clone();
            alike.extend(by_initials.get(&key).into_iter().flatten());
            if let Some(initials) = initials(&tag.slug) {
                alike.extend(by_key.get(&initials).into_iter().flatten());
            }
            let best = alike.iter().copied().min_by(|a, b| keep_first(a, b));
            if let Some(best) = best.filter(|b| b.slug != tag.slug) {
                kept.insert(tag.slug.as_str(), best.slug.as_str());
            }
        }
        NearDuplicates { kept }
    }

    /// The topic to keep instead of `slug`, if `slug` has a near-duplicate.
    pub(crate) fn kept_instead_of(&self, slug: &str) -> Option<&'a str> {
        self.kept.get(slug).copied()
    }
}

/// Which of two alike topics to keep: a declared one, then the one with
/// more documents, then the longer (unabbreviated) slug, then the first
/// alphabetically.
fn keep_first(a: &Tag, b: &Tag) -> std::cmp::Ordering {
    let key = |t: &Tag| {
        (
            !t.declared,
            std::cmp::Reverse(t.documents.len()),
            std::cmp::Reverse(t.slug.len()),
        )
    };
    key(a).cmp(&key(b)).then_with(|| a.slug.cmp(&b.slug))
}

/// The slug with its last word made singular: `case-studies` →
/// `case-study`, `boxes` → `box`, `tools` → `tool` (not `glass`).
fn singular(slug: &str) -> String {
    let (head, last) = match slug.rsplit_once('-') {
        Some((head, last)) => (format!("{head}-"), last),
        None => (String::new(), slug),
    };
    let one = if let Some(stem) = last.strip_suffix("ies").filter(|s| s.len() >= 2) {
        format!("{stem}y")
    } else if let Some(stem) = ["sses", "xes", "ches", "shes"]
        .iter()
        .find_map(|end| last.strip_suffix(end).map(|s| (s, &end[..end.len() - 2])))
    {
        format!("{}{}", stem.0, stem.1)
    } else if let Some(stem) = last
        .strip_suffix('s')
        .filter(|s| s.len() >= 3 && !s.ends_with('s') && !s.ends_with('u') && !s.ends_with('i'))
    {
        stem.to_string()
    } else {
        last.to_string()
    };
    format!("{head}{one}")
}

/// The initials of a slug of two words or more:
/// `community-supported-agriculture` → `csa`.
fn initials(slug: &str) -> Option<String> {
    let words: Vec<&str> = slug.split('-').filter(|w| !w.is_empty()).collect();
    (words.len() >= 2).then(|| words.iter().filter_map(|w| w.chars().next()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_become_singular_and_the_rest_stays() {
        for (plural, one) in [
            ("tools", "tool"),
            ("case-studies", "case-study"),
            ("boxes", "box"),
            ("classes", "class"),
            ("glass", "glass"),
            ("status", "status"),
            ("community-fridges", "community-fridge"),
            ("gas", "gas"),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
        assert_eq!(initials("non-profit-organisation").as_deref(), Some("npo"));
        assert_eq!(initials("tooling"), None);
    }
}
