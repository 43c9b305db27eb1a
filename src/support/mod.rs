//! What the stages use and no stage owns: problems and how they print,
//! YAML and typed front matter fields, markdown and its raw HTML, the
//! parse cache and dates from git.

pub(crate) mod colour;
pub mod diagnostic;
pub(crate) mod fields;
pub(crate) mod front_matter;
pub(crate) mod git_dates;
pub(crate) mod markdown;
pub mod memory;
pub mod parse_cache;
#[cfg(test)]
pub(crate) mod random;
pub(crate) mod raw_html;
pub(crate) mod yaml;
