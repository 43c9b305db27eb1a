//! A mutation fuzzer over the example community: each case copies it,
//! damages one or two files the way broken tooling, careless editors and
//! attackers do (byte flips, cut files, pasted hostile snippets, huge
//! lines, deep nesting, extreme numbers), runs `check`, and sometimes
//! `build`, and demands what every input deserves: no panic, an exit code
//! of 0, 1 or 2, and a hint with every problem.
//!
//! `tests/fuzz-corpus/` keeps inputs that once broke practica, each a
//! folder of files laid over the example; they are replayed first, every
//! run. The random cases are seeded: `PRACTICA_FUZZ_SEED` replays a run,
//! `PRACTICA_FUZZ_CASES` sets how many and `PRACTICA_FUZZ_SECONDS` stops
//! it earlier (`.ci/run` gives it a few minutes; `cargo test` a few seconds).

mod common;

use std::path::{Path, PathBuf};

/// SplitMix64: enough randomness for mutations, and reproducible.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Text an attacker or a broken converter pastes into a file.
const HOSTILE: &[&str] = &[
    "\n---\n",
    "[[",
    "]]",
    "[x](javascript:alert(1))",
    "<script>alert(1)</script>",
    "<a name=\"x\" href=\"../../../etc/passwd\">",
    "{{ site.title }}",
    "{% include x %}",
    "{{< ref \"x\" >}}",
    "\u{0}",
    "\u{feff}",
    "\r",
    "tags: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]",
    "date: 99999-99-99",
    "review_by: 2024-02-30",
    "stale_after_months: 9223372036854775807",
    "base_url: https://x.org/\"><svg>",
    "theme: ../../../../etc",
    "- slug: ''\n",
    "  parent: itself\n",
    "authors: [nobody, nobody, nobody]",
    "![](../../../../../../etc/passwd)",
    "[^1]: note\n[^1]: again\n",
    "| a |\n|---|\n| [[x]] |\n",
    "# \n## {#}\n",
    "&#x0;&#xD800;",
    "💥",
];

fn mutate(text: &[u8], random: &mut Random) -> Vec<u8> {
    let mut bytes = text.to_vec();
    let at = |random: &mut Random, bytes: &Vec<u8>| random.below(bytes.len() + 1);
    match random.below(8) {
        0 => {
            for _ in 0..1 + random.below(8) {
                if !bytes.is_empty() {
                    let i = random.below(bytes.len());
                    bytes[i] ^= 1 << random.below(8);
                }
            }
        }
        1 => bytes.truncate(at(random, &bytes)),
        2 | 3 => {
            let i = at(random, &bytes);
            let snippet = random.pick(HOSTILE).as_bytes().to_vec();
            bytes.splice(i..i, snippet);
        }
        4 => {
            let i = at(random, &bytes);
            let line = "[l](missing.md) ".repeat(1 + random.below(3000));
            bytes.splice(i..i, line.into_bytes());
        }
        5 => {
            let i = at(random, &bytes);
            let j = (i + random.below(200)).min(bytes.len());
            bytes.drain(i..j);
        }
        6 => {
            let i = at(random, &bytes);
            let copy: Vec<u8> = bytes[i..].iter().take(random.below(500)).copied().collect();
            bytes.splice(i..i, copy);
        }
        _ => {
            let number = random.pick(&["-1", "0", "1e308", "18446744073709551616", "NaN", "-.inf"]);
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let swapped = text.replacen("18", number, 1);
            bytes = swapped.into_bytes();
        }
    }
    bytes
}

/// The example's text files, by path relative to it.
fn example_files() -> Vec<PathBuf> {
    let root = common::example();
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x == "md" || x == "yaml")
        })
        .filter_map(|e| e.path().strip_prefix(&root).ok().map(Path::to_path_buf))
        .collect();
    files.sort();
    files
}

#[track_caller]
fn assert_sound(root: &Path, write: bool, case: &str) {
    let report = practica::build(&practica::BuildOptions {
        write,
        output: Some(root.join("public")),
        ..practica::BuildOptions::new(root)
    });
    assert!(report.exit_code() <= 2, "{case}");
    for d in report.diagnostics.iter() {
        assert!(
            d.hint.as_deref().is_some_and(|h| !h.is_empty()),
            "{case}: {d}"
        );
        if let Some(span) = d.span() {
            assert!(span.line >= 1 && span.col >= 1, "{case}: {d}");
        }
    }
    if write && report.exit_code() == 0 {
        assert!(root.join("public/.practica-site").is_file(), "{case}");
    }
}

#[test]
fn the_corpus_of_past_breakages_stays_fixed() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    cases.sort();
    assert!(!cases.is_empty(), "the corpus has no cases");
    for case in cases {
        let dir = tempfile::tempdir().unwrap();
        common::copy_example(dir.path());
        for entry in walkdir::WalkDir::new(&case).into_iter().flatten() {
            let Ok(relative) = entry.path().strip_prefix(&case) else {
                continue;
            };
            if entry.file_type().is_file() {
                let target = dir.path().join(relative);
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
        assert_sound(dir.path(), true, &case.display().to_string());
    }
}

#[test]
fn mutated_communities_never_panic_and_always_explain() {
    let seed: u64 = std::env::var("PRACTICA_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED);
    let cases: usize = std::env::var("PRACTICA_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let seconds: u64 = std::env::var("PRACTICA_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(u64::MAX);
    let started = std::time::Instant::now();
    let files = example_files();
    let mut random = Random(seed);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("community");
    for case in 0..cases {
        if started.elapsed().as_secs() >= seconds {
            eprintln!("stopped after {case} cases: PRACTICA_FUZZ_SECONDS={seconds}");
            break;
        }
        let _ = std::fs::remove_dir_all(&root);
        common::copy_example(&root);
        let mut touched = Vec::new();
        for _ in 0..1 + random.below(2) {
            let file = random.pick(&files).clone();
            let path = root.join(&file);
            let text = std::fs::read(&path).unwrap();
            std::fs::write(&path, mutate(&text, &mut random)).unwrap();
            touched.push(file.display().to_string());
        }
        let label = format!("case {case} of seed {seed} ({touched:?})");
        assert_sound(&root, random.below(4) == 0, &label);
    }
}
