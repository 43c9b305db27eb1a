//! The parse cache: a second run takes unchanged documents from it and
//! gives the same site and the same messages as a run without it; a changed,
//! broken or stale cache costs speed, never correctness.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::{Fixture, doc};
use practica::BuildOptions;

fn community() -> Fixture {
    let f = Fixture::new();
    f.write(
        "practices/peer-review.md",
        &doc(
            "title: Peer review\ntags: [review]\nauthors: [ana]\nsummary: Two eyes.\nstatus: established\nreview_by: 2030-01-01\nsponsor: the board",
            "# Why\n\nReview catches [slips](../guides/start.md#first-steps).\n\n| a | b |\n|---|---|\n| c | d |\n",
        ),
    );
    f.write(
        "guides/start.md",
        &doc(
            "title: Start here\ndate: 2024-03-01\ntag: review",
            "## First steps\n\nSee [[Peer review]] and [[?Wanted page]].\n",
        ),
    );
    f.write(
        "members/ana.md",
        &doc(
            "title: Ana\nexpertise: [review]\nmentor: true\nrole: steward",
            "Hi.\n",
        ),
    );
    f
}

/// Every file of a built site, by path (the marker aside).
fn files(site: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file() && e.file_name() != practica::write::MARKER)
        .map(|e| {
            let path = e.path().strip_prefix(site).unwrap();
            (
                path.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn cache_files(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

/// Builds `f` into a fresh folder, with the parse cache in `cache` (or none),
/// and gives the site's files and the messages.
fn build(
    f: &Fixture,
    cache: Option<&Path>,
) -> (std::collections::BTreeMap<String, Vec<u8>>, Vec<String>) {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let report = practica::build(&BuildOptions {
        output: Some(site.clone()),
        today: Some(jiff::civil::date(2026, 11, 23)),
        cache: cache.map(Path::to_path_buf),
        ..BuildOptions::new(f.root())
    });
    let messages = common::messages(&report);
    let files = if report.written {
        files(&site)
    } else {
        Default::default()
    };
    (files, messages)
}

#[test]
fn a_second_build_from_the_cache_writes_the_same_site_and_messages() {
    let f = community();
    let cache = tempfile::tempdir().unwrap();
    let (uncached, uncached_messages) = build(&f, None);
    assert!(
        cache_files(cache.path()).is_empty(),
        "no cache folder, no cache"
    );
    let (first, first_messages) = build(&f, Some(cache.path()));
    let written = cache_files(cache.path());
    assert_eq!(written.len(), 1, "{written:?}");
    let stamp = std::fs::metadata(&written[0]).unwrap().modified().unwrap();
    let (second, second_messages) = build(&f, Some(cache.path()));

    assert!(
        uncached.contains_key("search/meta.js"),
        "{:?}",
        uncached.keys()
    );
    assert_eq!(first, uncached);
    assert_eq!(second, uncached, "pages differ when read from the cache");
    // The misspelt `tag:` warns on every run, at the same line and column.
    assert!(
        uncached_messages
            .iter()
            .any(|m| m.contains("guides/start.md:4:1")),
        "{uncached_messages:?}"
    );
    assert_eq!(first_messages, uncached_messages);
    assert_eq!(second_messages, uncached_messages);
    let after = std::fs::metadata(&written[0]).unwrap().modified().unwrap();
    assert_eq!(stamp, after, "an unchanged community rewrote its cache");
}

#[test]
fn an_edited_file_is_parsed_again() {
    let f = community();
    let cache = tempfile::tempdir().unwrap();
    build(&f, Some(cache.path()));
    // The unchanged practice comes from the cache, but its link is checked
    // against the guide as it is now.
    f.write(
        "guides/start.md",
        &doc("title: Begin here\ntags: [review]", "## Later steps\n"),
    );
    let (_, messages) = build(&f, Some(cache.path()));
    assert_eq!(
        messages,
        [
            "practices/peer-review.md:12:16: error: `#first-steps` is not a heading in guides/start.md\n  hint: its anchors include `#later-steps`"
        ]
    );
    f.write(
        "guides/start.md",
        &doc(
            "title: Begin here\ntags: [review]",
            "## First steps\n\nSee [the review](../practices/peer-review.md#why).\n",
        ),
    );
    let (cached, messages) = build(&f, Some(cache.path()));
    let (uncached, uncached_messages) = build(&f, None);
    assert_eq!(messages, uncached_messages);
    assert_eq!(cached, uncached);
    let page = String::from_utf8(cached["guides/start/index.html"].clone()).unwrap();
    assert!(page.contains("Begin here") && page.contains("peer-review/index.html#why"));
    assert!(!page.contains("Start here"));
}

#[test]
fn problems_found_in_a_file_come_back_from_the_cache() {
    let f = community();
    f.write("practices/broken.md", "---\ntitle: [unclosed\n---\nBody\n");
    f.write_bytes("practices/latin1.md", b"---\ntitle: Caf\xe9\n---\n");
    f.write(
        "practices/lost.md",
        &doc(
            "title: Lost\nauthors:\n  - ana\n  - nobody",
            "A [dead link](nowhere.md).\n",
        ),
    );
    let cache = tempfile::tempdir().unwrap();
    let (_, first) = build(&f, Some(cache.path()));
    let (_, second) = build(&f, Some(cache.path()));
    let (_, uncached) = build(&f, None);
    for needle in [
        "practices/broken.md:",
        "practices/latin1.md:2:",
        "practices/lost.md:7:",
        "practices/lost.md:5:5",
    ] {
        assert!(
            uncached.iter().any(|m| m.contains(needle)),
            "{needle} in {uncached:?}"
        );
    }
    assert_eq!(first, uncached);
    assert_eq!(second, uncached);
}

#[test]
fn a_damaged_cache_is_ignored_and_replaced() {
    let f = community();
    let cache = tempfile::tempdir().unwrap();
    let (good, _) = build(&f, Some(cache.path()));
    let file = cache_files(cache.path()).remove(0);
    let bytes = std::fs::read(&file).unwrap();
    // Cut short, then with every entry's bytes scrambled but the index intact.
    let damages: Vec<Vec<u8>> = vec![
        bytes[..bytes.len() / 2].to_vec(),
        {
            let mut scrambled = bytes.clone();
            let tail = scrambled.len() - 200;
            for byte in &mut scrambled[tail..] {
                *byte = byte.wrapping_mul(31).wrapping_add(7);
            }
            scrambled
        },
        b"not a cache at all".to_vec(),
    ];
    for damaged in damages {
        std::fs::write(&file, &damaged).unwrap();
        let (site, messages) = build(&f, Some(cache.path()));
        assert_eq!(site, good);
        assert!(
            messages.iter().all(|m| !m.contains("error")),
            "{messages:?}"
        );
        assert_ne!(std::fs::read(&file).unwrap(), damaged, "not replaced");
    }
}

#[test]
fn check_leaves_a_cache_that_build_can_search_with() {
    let f = community();
    let cache = tempfile::tempdir().unwrap();
    let out = f.cli_with_cache(&["check"], cache.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(cache_files(cache.path()).len(), 1);
    let (after_check, _) = build(&f, Some(cache.path()));
    let (uncached, _) = build(&f, None);
    // Each document's snippet file holds its plain text, which `check` does not read.
    let snippets: String = after_check
        .iter()
        .filter(|(path, _)| path.starts_with("search/d/"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    assert!(snippets.contains("Review catches slips"), "{snippets}");
    assert_eq!(after_check, uncached);
}

#[test]
fn no_cache_and_an_empty_cache_setting_write_no_cache() {
    let f = community();
    let cache = tempfile::tempdir().unwrap();
    let out = f.cli_with_cache(&["check", "--no-cache"], cache.path());
    assert!(out.status.success());
    let out = f.cli_with_cache(&["gaps", "--no-cache"], cache.path());
    assert!(out.status.success());
    assert!(cache_files(cache.path()).is_empty());
    let home = tempfile::tempdir().unwrap();
    let out = common::practica_command()
        .args(["check"])
        .env("PRACTICA_CACHE_DIR", "")
        .env("HOME", home.path())
        .env("XDG_CACHE_HOME", home.path())
        .current_dir(f.root())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        cache_files(home.path()).is_empty(),
        "an empty setting is off"
    );
    let out = f.cli_with_cache(&["gaps"], cache.path());
    assert!(out.status.success());
    assert_eq!(
        cache_files(cache.path()).len(),
        1,
        "gaps uses the cache too"
    );
}

#[test]
fn the_cache_folder_keeps_the_newest_sixteen_caches_and_forgotten_temporaries_go() {
    let cache = tempfile::tempdir().unwrap();
    let old = SystemTime::now() - Duration::from_secs(3600);
    for n in 0..20 {
        let path = cache.path().join(format!("parse-{n:032x}.bin"));
        std::fs::write(&path, b"old").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(old + Duration::from_secs(n)).unwrap();
    }
    std::fs::write(cache.path().join("notes.txt"), "mine").unwrap();
    std::fs::write(cache.path().join("parse-mine.bin"), "mine").unwrap();
    // Temporary files of runs that were killed while saving: an old one goes,
    // one that may belong to a run saving now stays.
    for (name, age) in [(".parse-1-0.tmp", 7200), (".parse-2-0.tmp", 60)] {
        let path = cache.path().join(name);
        std::fs::write(&path, b"partial").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(age))
            .unwrap();
    }
    let f = community();
    build(&f, Some(cache.path()));
    let names: Vec<String> = cache_files(cache.path())
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let caches: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("parse-") && n.len() == "parse-.bin".len() + 32)
        .collect();
    assert_eq!(caches.len(), 16, "{names:?}");
    for kept in ["notes.txt", "parse-mine.bin", ".parse-2-0.tmp"] {
        assert!(names.contains(&kept.to_string()), "{kept} in {names:?}");
    }
    assert!(!names.contains(&".parse-1-0.tmp".to_string()), "{names:?}");
    // The oldest five went, the newest fifteen and this community's stayed.
    for n in 0..5 {
        assert!(!names.contains(&format!("parse-{n:032x}.bin")), "{names:?}");
    }
    assert!(names.contains(&format!("parse-{:032x}.bin", 19)));
}

#[test]
fn verbose_says_how_many_files_the_cache_served() {
    let f = community();
    let cache = tempfile::tempdir().unwrap();
    let line = |args: &[&str]| {
        let out = f.cli_with_cache(args, cache.path());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .find(|l| l.contains("parse cache"))
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let first = line(&["check", "--verbose"]);
    assert_eq!(
        first,
        "parse cache: 0 files taken from an earlier run, 3 parsed"
    );
    let second = line(&["check", "--verbose"]);
    assert_eq!(
        second,
        "parse cache: 3 files taken from an earlier run, 0 parsed"
    );
    f.write(
        "members/ana.md",
        &doc("title: Ana B\nexpertise: [review]", "Hi.\n"),
    );
    // `check` kept only what it reads of each body, so a build reads
    // every body in full once; from then on both commands take them all.
    let edited = line(&["build", "--verbose"]);
    assert_eq!(
        edited,
        "parse cache: 0 files taken from an earlier run, 3 parsed"
    );
    let built = line(&["build", "--verbose"]);
    assert_eq!(
        built,
        "parse cache: 3 files taken from an earlier run, 0 parsed"
    );
    f.write(
        "members/ana.md",
        &doc("title: Ana C\nexpertise: [review]", "Hi.\n"),
    );
    let checked = line(&["check", "--verbose"]);
    assert_eq!(
        checked,
        "parse cache: 2 files taken from an earlier run, 1 parsed"
    );
    let off = line(&["check", "--verbose", "--no-cache"]);
    assert_eq!(off, "parse cache off (--no-cache or PRACTICA_CACHE_DIR=)");
}

#[test]
fn a_cache_folder_that_cannot_be_written_only_costs_speed() {
    let f = community();
    let blocker = tempfile::tempdir().unwrap();
    // A file where the cache folder should be: nothing can be saved there.
    let cache = blocker.path().join("not-a-folder");
    std::fs::write(&cache, "a file").unwrap();
    let (uncached, uncached_messages) = build(&f, None);
    for _ in 0..2 {
        let (site, messages) = build(&f, Some(&cache));
        assert_eq!(site, uncached);
        assert_eq!(messages, uncached_messages);
    }
    assert_eq!(std::fs::read_to_string(&cache).unwrap(), "a file");
    let out = f.cli_with_cache(&["check", "--verbose"], &cache);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_copy_of_the_same_build_installed_elsewhere_shares_the_cache() {
    let f = community();
    let cache = tempfile::tempdir().unwrap();
    let out = f.cli_with_cache(&["check"], cache.path());
    assert!(out.status.success());
    // As a CI job that installs practica afresh: another path, a new time.
    let install = tempfile::tempdir().unwrap();
    let copy = install.path().join("practica");
    std::fs::copy(env!("CARGO_BIN_EXE_practica"), &copy).unwrap();
    let out = common::output_of_fresh_copy(
        std::process::Command::new(&copy)
            .args(["check", "--verbose"])
            .env("PRACTICA_CACHE_DIR", cache.path())
            .env("NO_COLOR", "1")
            .current_dir(f.root()),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("parse cache: 3 files taken from an earlier run, 0 parsed"),
        "{stderr}"
    );
}
