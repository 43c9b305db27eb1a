//! Typed positions in the linked site: a document, a tag, a place in the
//! newest-first order. Each is its own type, and `IdVec` is indexed only by
//! its own id type, so a tag's position cannot pick a document.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

use rayon::prelude::*;

/// A position that indexes an `IdVec`.
pub trait Id: Copy {
    fn from_index(index: usize) -> Self;
    fn index(self) -> usize;
}

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(usize);

        impl $name {
            pub const fn from_index(index: usize) -> Self {
                $name(index)
            }

            pub const fn index(self) -> usize {
                self.0
            }
        }

        impl Id for $name {
            fn from_index(index: usize) -> Self {
                $name(index)
            }

            fn index(self) -> usize {
                self.0
            }
        }
    };
}

id_type! {
    /// A document's position in `Site::documents` (sorted by kind, then
    /// source path). Serialized as that number, as search files name documents.
    DocId
}

id_type! {
    /// A tag's position in `Site::tags`. Serialized as that number, as the
    /// search index's `doc-tags.js` lists tags.
    TagId
}

id_type! {
    /// A document's place in the newest-first order of the whole site
    /// (newest first, then by title): lists sort by it instead of by dates.
    Rank
}

/// A vector indexed by one id type only.
#[derive(Clone, PartialEq, Eq)]
pub struct IdVec<I, T> {
    items: Vec<T>,
    // `fn() -> I`: the vector holds no `I`, and is `Send` and `Sync` whatever `I` is.
    id: PhantomData<fn() -> I>,
}

impl<I: Id, T> IdVec<I, T> {
    pub(crate) fn new() -> Self {
        IdVec::from(Vec::new())
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn first(&self) -> Option<&T> {
        self.items.first()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    pub(crate) fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.items.iter_mut()
    }

    /// Every id, in order.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = I> + ExactSizeIterator + use<I, T> {
        (0..self.items.len()).map(I::from_index)
    }

    pub fn iter_enumerated(&self) -> impl DoubleEndedIterator<Item = (I, &T)> + ExactSizeIterator {
        self.items
            .iter()
            .enumerate()
            .map(|(i, item)| (I::from_index(i), item))
    }

    pub(crate) fn iter_enumerated_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = (I, &mut T)> + ExactSizeIterator {
        self.items
            .iter_mut()
            .enumerate()
            .map(|(i, item)| (I::from_index(i), item))
    }

    /// The ids of the items that `keep` accepts, in order.
    pub fn ids_where(&self, mut keep: impl FnMut(&T) -> bool) -> impl Iterator<Item = I> {
        self.iter_enumerated()
            .filter_map(move |(id, item)| keep(item).then_some(id))
    }

    /// The id of the first item that `found` accepts.
    pub fn position(&self, found: impl FnMut(&T) -> bool) -> Option<I> {
        self.items.iter().position(found).map(I::from_index)
    }
}

impl<I: Id + Send, T: Sync> IdVec<I, T> {
    /// Every id, in order, for rayon.
    pub fn par_ids(&self) -> impl IndexedParallelIterator<Item = I> + use<I, T> {
        (0..self.items.len()).into_par_iter().map(I::from_index)
    }

    pub fn par_iter_enumerated(&self) -> impl IndexedParallelIterator<Item = (I, &T)> {
        self.items
            .par_iter()
            .enumerate()
            .map(|(i, item)| (I::from_index(i), item))
    }
}

impl<I: Id, T> Default for IdVec<I, T> {
    fn default() -> Self {
        IdVec::new()
    }
}

impl<I, T> From<Vec<T>> for IdVec<I, T> {
    fn from(items: Vec<T>) -> Self {
        IdVec {
            items,
            id: PhantomData,
        }
    }
}

impl<I, T> FromIterator<T> for IdVec<I, T> {
    fn from_iter<It: IntoIterator<Item = T>>(items: It) -> Self {
        IdVec::from(items.into_iter().collect::<Vec<T>>())
    }
}

impl<I: Id, T> Index<I> for IdVec<I, T> {
    type Output = T;

    fn index(&self, id: I) -> &T {
        &self.items[id.index()]
    }
}

impl<I: Id, T> IndexMut<I> for IdVec<I, T> {
    fn index_mut(&mut self, id: I) -> &mut T {
        &mut self.items[id.index()]
    }
}

impl<I, T> IntoIterator for IdVec<I, T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, I, T> IntoIterator for &'a IdVec<I, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<I, T: fmt::Debug> fmt::Debug for IdVec<I, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.items.fmt(f)
    }
}

/// As a list, the way the `Vec` it wraps was serialized.
impl<I, T: serde::Serialize> serde::Serialize for IdVec<I, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.items.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_index_their_own_vector() {
        let mut titles: IdVec<DocId, &str> = vec!["a", "b", "c"].into();
        let second = DocId::from_index(1);
        assert_eq!(titles[second], "b");
        titles[second] = "B";
        assert_eq!(
            titles.ids().collect::<Vec<_>>(),
            [0, 1, 2].map(DocId::from_index)
        );
        assert_eq!(titles.position(|t| *t == "B"), Some(second));
        assert_eq!(
            titles.iter_enumerated().last(),
            Some((DocId::from_index(2), &"c"))
        );
        assert_eq!(
            serde_json::to_string(&titles).ok().as_deref(),
            Some(r#"["a","B","c"]"#)
        );
    }

    #[test]
    fn ids_serialize_as_their_number() {
        let tags = vec![TagId::from_index(3), TagId::from_index(0)];
        assert_eq!(serde_json::to_string(&tags).ok().as_deref(), Some("[3,0]"));
    }
}
