//! The types every stage shares: documents, the ids that name them, and
//! the facts a document offers the pages that show it.

pub mod document;
pub(crate) mod facts;
pub mod ids;
pub(crate) mod period;
