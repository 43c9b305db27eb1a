//! Dates from git on temporary repositories with commits at fixed dates:
//! what pages, the sitemap and the stale rule show, the `git_dates`
//! setting, files not committed yet, and one git run for all files.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::doc;

const CONFIG: &str = "title: T\nbase_url: https://example.org\ntags:\n  - slug: pickups\ngaps:\n  stale_after_months: 12\n";

fn git(dir: &Path, args: &[&str], date: &str) {
    let dated = [("GIT_AUTHOR_DATE", date), ("GIT_COMMITTER_DATE", date)];
    common::git_with(dir, args, &dated);
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A repository holding a community in `root` (the repository itself or a
/// subfolder): `a` dated 2024-01-01, changed in the second commit;
/// `b` with its own `updated`; `old` dated after its only commit.
fn repository(subfolder: &str, config: &str) -> (tempfile::TempDir, PathBuf) {
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path().join(subfolder);
    write(&root.join("community.yaml"), config);
    let a = doc("title: A\ntags: [pickups]\ndate: 2024-01-01", "First.\n");
    write(&root.join("practices/a.md"), &a);
    write(
        &root.join("practices/b.md"),
        &doc("title: B\ndate: 2023-01-01\nupdated: 2023-05-05", "[[a]]\n"),
    );
    write(
        &root.join("guides/later.md"),
        &doc("title: L\ndate: 2030-01-01", "[[a]]\n"),
    );
    git(repo.path(), &["init", "-q"], "2024-02-01T12:00:00Z");
    git(repo.path(), &["add", "."], "2024-02-01T12:00:00Z");
    git(
        repo.path(),
        &["commit", "-qm", "one"],
        "2024-02-01T12:00:00Z",
    );
    write(&root.join("practices/a.md"), &(a + "Second.\n"));
    git(
        repo.path(),
        &["commit", "-qam", "two"],
        "2025-03-04T12:00:00Z",
    );
    (repo, root)
}

fn cli(root: &Path, args: &[&str]) -> Output {
    common::practica_command()
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("run practica")
}

fn build(root: &Path) -> PathBuf {
    let out = cli(root, &["build"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    root.join("public")
}

/// The messages of a run that must pass with warnings only.
fn warning_only(out: &std::process::Output) -> String {
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "a warning, not an error: {text}"
    );
    text
}

/// Sets a file's modification time to noon, local time, on `date`.
fn set_modified(path: &Path, date: jiff::civil::Date) {
    let noon = date
        .at(12, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::system())
        .unwrap()
        .timestamp();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    let seconds = u64::try_from(noon.as_second()).unwrap();
    file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds))
        .unwrap();
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn stale_tags(root: &Path) -> Vec<String> {
    let out = cli(root, &["gaps", "--format", "json", "--today", "2025-06-01"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "stale")
        .map(|f| f["tag"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_document_without_updated_gets_its_last_commit_date() {
    let (_repo, root) = repository("", CONFIG);
    let out = build(&root);
    let a = read(out.join("practices/a/index.html"));
    assert!(a.contains("updated <time datetime=\"2025-03-04\""), "{a}");
    let b = read(out.join("practices/b/index.html"));
    assert!(
        b.contains("updated <time datetime=\"2023-05-05\""),
        "front matter wins"
    );
    let later = read(out.join("guides/later/index.html"));
    assert!(
        !later.contains("updated <time"),
        "a commit before `date` is ignored"
    );
    let sitemap = read(out.join("sitemap.xml"));
    assert!(
        sitemap
            .contains("<loc>https://example.org/practices/a/</loc><lastmod>2025-03-04</lastmod>"),
        "{sitemap}"
    );
    assert!(
        stale_tags(&root).is_empty(),
        "pickups changed in 2025-03: not stale"
    );
}

#[test]
fn git_dates_false_keeps_front_matter_dates() {
    let (_repo, root) = repository("", &format!("{CONFIG}git_dates: false\n"));
    let out = build(&root);
    assert!(!read(out.join("practices/a/index.html")).contains("updated <time"));
    assert_eq!(
        stale_tags(&root),
        ["pickups"],
        "dated 2024-01-01 only: stale"
    );
}

#[test]
fn a_community_inside_a_larger_repository_takes_its_commit_dates() {
    let (_repo, root) = repository("docs", CONFIG);
    let out = build(&root);
    let a = read(out.join("practices/a/index.html"));
    assert!(a.contains("updated <time datetime=\"2025-03-04\""), "{a}");
    std::fs::write(
        root.join("community.yaml"),
        format!("{CONFIG}git_dates: false\n"),
    )
    .unwrap();
    let out = build(&root);
    assert!(
        !read(out.join("practices/a/index.html")).contains("updated <time"),
        "false: front matter dates only"
    );
}

#[test]
fn a_file_not_committed_yet_gets_its_modification_date() {
    let (_repo, root) = repository("", CONFIG);
    let path = root.join("guides/draft.md");
    write(&path, &doc("title: New\ndate: 2020-01-01", "[[a]]\n"));
    set_modified(&path, jiff::civil::date(2026, 2, 3));
    let out = build(&root);
    let page = read(out.join("guides/draft/index.html"));
    assert!(
        page.contains("updated <time datetime=\"2026-02-03\""),
        "{page}"
    );
}

#[test]
fn serve_reads_edited_files_with_the_same_dates_as_build() {
    let (_repo, root) = repository("", CONFIG);
    let mut live = practica::serve::live::LiveSite::open(&root, false, None);
    let path = root.join("practices/a.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text + "\nOne more line.\n").unwrap();
    live.update(std::slice::from_ref(&path));
    let page = live.publish().file("practices/a/index.html").unwrap();
    let page = String::from_utf8_lossy(&page);
    assert!(page.contains("One more line."), "{page}");
    assert!(
        page.contains("updated <time datetime=\"2025-03-04\""),
        "{page}"
    );
}

#[test]
fn git_is_asked_once_for_all_files() {
    let (_repo, root) = repository("", CONFIG);
    let shim = tempfile::tempdir().unwrap();
    let log = shim.path().join("calls");
    let path = common::logging_git(shim.path(), &log);
    let out = common::practica_command()
        .args(["check"])
        .current_dir(&root)
        .env("PATH", path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let calls = read(log);
    let logs: Vec<&str> = calls.lines().filter(|l| l.contains(" log ")).collect();
    assert_eq!(logs.len(), 1, "one git log for 3 documents: {calls}");
    assert!(
        calls.lines().count() <= 2,
        "the log and the shallow-clone question: {calls}"
    );
}

#[test]
fn a_shallow_clone_gets_a_warning() {
    let (repo, _root) = repository("", CONFIG);
    let clone = tempfile::tempdir().unwrap();
    let source = format!("file://{}", repo.path().display());
    let target = clone.path().join("c");
    git(
        clone.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &source,
            target.to_str().unwrap(),
        ],
        "2025-03-04T12:00:00Z",
    );
    let text = warning_only(&cli(&target, &["check"]));
    assert!(
        text.contains("warning: the git repository is a shallow clone"),
        "{text}"
    );
    assert!(text.contains("fetch-depth: 0"), "{text}");
}

#[test]
fn git_dates_true_outside_a_repository_warns_at_the_setting() {
    let f = common::Fixture::with_config("title: T\ngit_dates: true\n");
    f.write("guides/g.md", &doc("title: G\ndate: 2024-01-01", "Hi\n"));
    let text = warning_only(&f.cli(&["check"]));
    assert!(
        text.contains("warning: `git_dates: true` but git gave no dates: ")
            && text.contains(" --> community.yaml:2:1\n"),
        "{text}"
    );
    assert!(f.cli(&["build"]).status.success());
    let today = jiff::ZonedDateTime::now().date();
    assert!(
        f.page("guides/g/index.html")
            .contains(&format!("updated <time datetime=\"{today}\"")),
        "the file's own date instead"
    );
}

#[test]
fn outside_git_a_document_takes_its_files_modification_date() {
    let f = common::Fixture::with_config("title: T\n");
    f.write("guides/g.md", &doc("title: G\ndate: 2020-01-01", "Hi\n"));
    f.write(
        "guides/h.md",
        &doc("title: H\ndate: 2020-01-01\nupdated: 2021-05-06", "Hi\n"),
    );
    set_modified(&f.root().join("guides/g.md"), jiff::civil::date(2026, 2, 3));
    assert!(f.build().written);
    assert!(
        f.page("guides/g/index.html")
            .contains("updated <time datetime=\"2026-02-03\"")
    );
    assert!(
        f.page("guides/h/index.html")
            .contains("updated <time datetime=\"2021-05-06\""),
        "`updated` in front matter wins"
    );
    f.write("community.yaml", "title: T\ngit_dates: false\n");
    assert!(f.build().written);
    assert!(
        !f.page("guides/g/index.html").contains("updated <time"),
        "git_dates: false turns file dates off too"
    );
}

#[test]
fn serve_in_a_repository_serves_what_build_writes() {
    let (_repo, root) = repository("", CONFIG);
    let today = jiff::civil::date(2026, 11, 23);
    let expected = common::built_files(&root, today);
    let live = practica::serve::live::LiveSite::open(&root, false, Some(today));
    let served = live.publish().snapshot();
    let differing: Vec<&String> = expected
        .iter()
        .filter(|(path, bytes)| served.get(*path).map(|b| b.as_slice()) != Some(bytes.as_slice()))
        .map(|(path, _)| path)
        .collect();
    assert!(differing.is_empty(), "differ from build: {differing:?}");
    let page = String::from_utf8_lossy(&served["practices/a/index.html"]).into_owned();
    assert!(
        page.contains("updated <time datetime=\"2025-03-04\""),
        "{page}"
    );
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn files_in(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(dir).unwrap();
            (
                path.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// A build with insights takes the documents' dates from the history's
/// walk, not git_dates' own (which `--no-history` makes): with a branch
/// merged, a merge commit and a rename, every page but /insights/ is the
/// same either way.
#[test]
fn dates_from_the_history_are_those_of_git_dates_own_walk() {
    let (repo, root) = repository("sub", CONFIG);
    let at = |day: &str| format!("{day}T12:00:00Z");
    let dated = |title: &str| doc(&format!("title: {title}\ndate: 2024-01-01"), "Text.\n");
    git(
        repo.path(),
        &["checkout", "-q", "-b", "side"],
        &at("2025-04-01"),
    );
    write(&root.join("practices/c.md"), &dated("C"));
    write(&root.join("guides/e.md"), &dated("E"));
    git(repo.path(), &["add", "."], &at("2025-04-01"));
    git(repo.path(), &["commit", "-qm", "side"], &at("2025-04-01"));
    git(repo.path(), &["checkout", "-q", "-"], &at("2025-05-01"));
    let a = read(root.join("practices/a.md"));
    write(&root.join("practices/a.md"), &(a + "Third.\n"));
    git(repo.path(), &["commit", "-qam", "three"], &at("2025-05-01"));
    let merge = ["merge", "-q", "--no-ff", "side", "-m", "merge"];
    git(repo.path(), &merge, &at("2025-06-01"));
    git(
        repo.path(),
        &["mv", "sub/practices/c.md", "sub/practices/d.md"],
        &at("2025-07-01"),
    );
    git(repo.path(), &["commit", "-qm", "rename"], &at("2025-07-01"));
    let out = tempfile::tempdir().unwrap();
    let built = |folder: &str, extra: &[&str]| {
        let target = out.path().join(folder);
        let mut args = vec!["build", "--no-cache", "-o", target.to_str().unwrap()];
        args.extend(extra);
        assert_eq!(cli(&root, &args).status.code(), Some(0));
        files_in(&target)
    };
    let mut with_history = built("with", &[]);
    let mut without = built("without", &["--no-history"]);
    let page = |files: &std::collections::BTreeMap<String, Vec<u8>>, path: &str| {
        String::from_utf8(files[path].clone()).unwrap()
    };
    let moved = page(&with_history, "practices/d/index.html");
    assert!(
        moved.contains("updated <time datetime=\"2025-07-01\""),
        "{moved}"
    );
    let side = page(&with_history, "guides/e/index.html");
    assert!(
        side.contains("updated <time datetime=\"2025-04-01\""),
        "{side}"
    );
    with_history.retain(|path, _| !path.starts_with("insights"));
    without.retain(|path, _| !path.starts_with("insights"));
    assert_eq!(
        with_history.keys().collect::<Vec<_>>(),
        without.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &with_history {
        assert!(without[path] == *bytes, "{path} differs");
    }
}
