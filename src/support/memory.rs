//! Lets the binary tune its allocator when a document is very large. The
//! library does not know which allocator it runs on; `main.rs`, which
//! chose mimalloc, does. mimalloc keeps memory freed in the last moments
//! for reuse, which is a few percent faster on thousands of small
//! documents and costs a large one its peak: each buffer that grew by
//! doubling stays resident (a 10 MB table peaked at 24 times its size).

use std::sync::{Once, OnceLock};

/// A document of more bytes than this is large.
pub(crate) const LARGE_DOCUMENT: usize = 1 << 20;

static ON_LARGE_DOCUMENT: OnceLock<fn()> = OnceLock::new();
static CALLED: Once = Once::new();

/// Sets what to do, once, before the first large document is read.
pub fn on_large_document(hook: fn()) {
    let _ = ON_LARGE_DOCUMENT.set(hook);
}

/// Calls the hook, the first time a document of `bytes` is large.
pub(crate) fn document_ahead(bytes: usize) {
    if bytes > LARGE_DOCUMENT
        && let Some(hook) = ON_LARGE_DOCUMENT.get()
    {
        CALLED.call_once(hook);
    }
}
