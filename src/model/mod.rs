//! The types every stage shares: documents and the ids that name them.

pub mod document;
pub(crate) mod facts;
pub mod ids;
