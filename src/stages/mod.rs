//! The pipeline, one module per stage, in the order data flows through
//! them: `config` → `load` → `link` → `gaps` → `render` → `write`. Each
//! takes what the stage before it made and returns its problems as values.

pub(crate) mod config;
pub(crate) mod external;
pub mod gaps;
pub(crate) mod history;
pub(crate) mod insights;
pub(crate) mod labels;
pub mod link;
pub(crate) mod load;
pub(crate) mod look;
pub mod render;
pub mod write;
