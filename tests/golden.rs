//! The example community's output, byte for byte, against a listing kept in
//! the repository: a speed-up must not change a single page. When a change
//! to the output is meant, write the listing again with
//! `UPDATE_GOLDEN=1 cargo test --test golden` and commit it with the change.

mod common;

use sha2::{Digest, Sha256};

const LISTING: &str = "tests/golden/example-community.txt";

fn listing() -> String {
    // Without history: the example lies in this repository, whose commits
    // would change its /insights/ page.
    let files = common::built_files_with(&common::example(), jiff::civil::date(2026, 11, 1), false);
    files
        .iter()
        .map(|(path, bytes)| {
            let digest: String = Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            format!("{digest} {:>8} {path}\n", bytes.len())
        })
        .collect()
}

#[test]
fn the_example_builds_to_exactly_the_recorded_bytes() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(LISTING);
    let now = listing();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &now).unwrap();
        return;
    }
    let recorded = std::fs::read_to_string(&path).unwrap_or_default();
    let changed: Vec<&str> = now
        .lines()
        .filter(|line| !recorded.contains(line))
        .chain(recorded.lines().filter(|line| !now.contains(line)))
        .collect();
    assert!(
        changed.is_empty(),
        "the example's output changed ({} lines differ, first: {:?}); if that is meant, \
         run `UPDATE_GOLDEN=1 cargo test --test golden` and commit {LISTING}",
        changed.len(),
        &changed[..changed.len().min(6)]
    );
}
