//! `practica new` and `practica init`: the files they write, that those
//! build cleanly, and every refusal (nothing is ever overwritten).

mod common;

use std::path::Path;
use std::process::Output;

use common::{Fixture, doc};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}

fn practica_in(dir: &Path, args: &[&str]) -> Output {
    common::practica_command()
        .args(args)
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .output()
        .expect("run practica")
}

#[test]
fn new_writes_each_kind_from_the_theme_archetype() {
    let f = Fixture::new();
    let cases = [
        (
            "practice",
            "practices/peer-review-of-pickups.md",
            "status: proposed",
        ),
        ("guide", "guides/peer-review-of-pickups.md", "practices: []"),
        (
            "case-study",
            "case-studies/peer-review-of-pickups.md",
            "practices: []",
        ),
        (
            "member",
            "members/peer-review-of-pickups.md",
            "mentor: false",
        ),
    ];
    for (kind, path, own_key) in cases {
        let out = f.cli(&["new", kind, "Peer review of pickups"]);
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", stderr(&out));
        assert_eq!(stdout(&out), format!("{path}\n"), "prints the path");
        let text = std::fs::read_to_string(f.root().join(path)).unwrap();
        assert!(
            text.starts_with("---\ntitle: Peer review of pickups\n"),
            "{text}"
        );
        assert!(text.contains(&format!("\ndate: {}\n", today())), "{text}");
        assert!(text.contains(own_key), "{kind}: {text}");
        if kind != "member" {
            assert!(
                text.contains("\ntags: []\n") && text.contains("\nauthors: []\n"),
                "{text}"
            );
        }
    }
    let report = f.build();
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.check == Some(practica::diagnostic::Check::StarterText) && !d.is_error()),
        "a new document is valid; only its starter text is flagged: {:?}",
        report.diagnostics
    );
    assert_eq!(report.documents, 4);
}

#[test]
fn new_quotes_titles_yaml_would_misread_and_takes_a_root() {
    let f = Fixture::new();
    let elsewhere = f.root().parent().unwrap();
    let root = f.root().to_str().unwrap();
    let out = practica_in(
        elsewhere,
        &["new", "guide", "Cold chain: \"the\" basics #1", root],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let path = f.root().join("guides/cold-chain-the-basics-1.md");
    assert_eq!(stdout(&out).trim(), path.to_str().unwrap());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("title: \"Cold chain: \\\"the\\\" basics #1\"\n"),
        "{text}"
    );
    let report = f.build();
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.check == Some(practica::diagnostic::Check::StarterText)),
        "the title reads back; only the starter text is flagged: {:?}",
        report.diagnostics
    );
    assert!(
        f.page("guides/cold-chain-the-basics-1/index.html")
            .contains("Cold chain: &quot;the&quot; basics #1")
    );
}

#[test]
fn new_uses_the_community_archetype() {
    let f = Fixture::new();
    f.write(
        "archetypes/practice.md",
        "---\ntitle: {{ title }}\ndate: {{ date }}\nstatus: emerging\ntags: [food-safety]\n---\n# {{ title }}\n\nOur own template.\n",
    );
    let out = f.cli(&["new", "practice", "Allergen labels"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(f.root().join("practices/allergen-labels.md")).unwrap();
    assert_eq!(
        text,
        format!(
            "---\ntitle: Allergen labels\ndate: {}\nstatus: emerging\ntags: [food-safety]\n---\n# Allergen labels\n\nOur own template.\n",
            today()
        )
    );
}

#[test]
fn new_uses_the_chosen_theme_archetype_unless_the_community_has_one() {
    let f = Fixture::with_config("title: T\ntheme: plain\n");
    f.write("themes/plain/templates/.keep", "");
    f.write(
        "themes/plain/archetypes/guide.md",
        "---\ntitle: {{ title }}\n---\nFrom the plain theme.\n",
    );
    f.write(
        "themes/plain/archetypes/member.md",
        "---\ntitle: {{ title }}\n---\nThe theme's member.\n",
    );
    f.write(
        "archetypes/member.md",
        "---\ntitle: {{ title }}\n---\nOur member.\n",
    );
    assert!(f.cli(&["new", "guide", "G"]).status.success());
    assert!(f.cli(&["new", "member", "M"]).status.success());
    assert!(f.cli(&["new", "practice", "P"]).status.success());
    let read = |path: &str| std::fs::read_to_string(f.root().join(path)).unwrap();
    assert!(read("guides/g.md").ends_with("From the plain theme.\n"));
    assert!(
        read("members/m.md").ends_with("Our member.\n"),
        "the community's wins"
    );
    assert!(
        read("practices/p.md").contains("status: proposed"),
        "the default theme's"
    );
}

#[test]
fn new_refuses_to_overwrite_or_duplicate_a_page() {
    let f = Fixture::new();
    f.write(
        "practices/handover.md",
        &doc("title: Mine", "Do not lose me.\n"),
    );
    f.write("guides/food/first-pickup.md", &doc("title: Nested", ""));
    let out = f.cli(&["new", "practice", "Handover"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("error: practices/handover.md already exists\n")
            && stderr(&out).contains("= hint: edit that file, or choose another title")
            && stderr(&out).contains("--> practices/handover.md"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(f.root().join("practices/handover.md")).unwrap(),
        doc("title: Mine", "Do not lose me.\n"),
        "untouched"
    );
    let out = f.cli(&["new", "guide", "First pickup"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("guides/food/first-pickup.md already exists"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("/guides/first-pickup/"),
        "names the page both would make"
    );
    assert!(!f.root().join("guides/first-pickup.md").exists());
    assert!(stdout(&out).is_empty());
}

#[test]
fn new_refuses_bad_titles_kinds_folders_and_archetypes() {
    let f = Fixture::new();
    let out = f.cli(&["new", "practice", "!!!"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has no letters or digits"),
        "{}",
        stderr(&out)
    );
    let out = f.cli(&["new", "recipe", "Soup"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown kind is a usage error"
    );
    assert!(
        stderr(&out).contains("case-study"),
        "lists the kinds: {}",
        stderr(&out)
    );

    let not_community = tempfile::tempdir().unwrap();
    let out = practica_in(not_community.path(), &["new", "practice", "Soup"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has no community.yaml"),
        "{}",
        stderr(&out)
    );
    assert!(!not_community.path().join("practices").exists());

    f.write("archetypes/guide.md", "title: {{ title }}\n");
    let out = f.cli(&["new", "guide", "Soup"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("error: the archetype makes an invalid document")
            && stderr(&out).contains("--> archetypes/guide.md:1:1"),
        "{}",
        stderr(&out)
    );
    assert!(!f.root().join("guides/soup.md").exists());
}

/// Files `new` could not read or write were named in the message only:
/// each is now the problem's origin.
#[test]
fn files_new_cannot_read_or_write_are_the_problem_s_origin() {
    let f = Fixture::new();
    std::fs::create_dir_all(f.root().join("archetypes/guide.md")).unwrap();
    let text = stderr(&f.cli(&["new", "guide", "Soup"]));
    assert!(
        text.contains("error: cannot read the archetype")
            && text.contains("--> archetypes/guide.md\n"),
        "{text}"
    );
    f.write("practices", "a file where the folder goes");
    let out = f.cli(&["new", "practice", "Soup"]);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(
        text.contains("error: cannot write it") && text.contains("--> practices\n"),
        "{text}"
    );
}

/// A broken archetype was one message joining its errors, placed nowhere:
/// each error is now its own problem at its place in the archetype, a
/// place after a title put in counted in the archetype's own text.
#[test]
fn each_error_of_a_broken_archetype_is_shown_where_it_is() {
    let f = Fixture::new();
    f.write(
        "archetypes/practice.md",
        "---\ntitle: {{ title }}\ndate: {{ date }}\nstatus: nonsense\nreview_by: {{ date }}x\n---\n# {{ title }}\n",
    );
    let out = f.cli(&["new", "practice", "Soup of the day"]);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    let places: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--> "))
        .collect();
    assert_eq!(
        places,
        ["archetypes/practice.md:4:9", "archetypes/practice.md:5:12"],
        "{text}"
    );
    assert_eq!(
        text.matches("error: the archetype makes an invalid document")
            .count(),
        2
    );
    assert!(text.contains("unknown status `nonsense`"), "{text}");
    assert!(
        text.contains("4 | status: nonsense"),
        "the archetype's line: {text}"
    );
    assert!(!f.root().join("practices/soup-of-the-day.md").exists());
}

#[test]
fn init_writes_a_starter_that_builds_with_no_warnings() {
    let parent = tempfile::tempdir().unwrap();
    let out = practica_in(parent.path(), &["init", "food-rescue"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = parent.path().join("food-rescue");
    for file in [
        "community.yaml",
        "README.md",
        ".gitignore",
        "practices/welcome-call.md",
        "guides/your-first-week.md",
        "case-studies/first-welcome-calls.md",
        "members/your-name.md",
    ] {
        assert!(dir.join(file).is_file(), "{file}");
        assert!(
            stdout(&out).contains(&format!("food-rescue/{file}\n")),
            "{}",
            stdout(&out)
        );
    }
    let config = std::fs::read_to_string(dir.join("community.yaml")).unwrap();
    assert!(
        config.contains("title: Food rescue "),
        "named after the folder: {config}"
    );
    assert!(
        config
            .lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
            >= 5,
        "commented"
    );
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.contains("practica new practice"), "{readme}");

    let check = practica_in(&dir, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(
        stderr(&check).ends_with(": 0 errors, 0 warnings\n"),
        "{}",
        stderr(&check)
    );
    let build = practica_in(&dir, &["build"]);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    assert!(
        stderr(&build).ends_with(": 0 errors, 0 warnings\n"),
        "{}",
        stderr(&build)
    );
    let page =
        std::fs::read_to_string(dir.join("public/practices/welcome-call/index.html")).unwrap();
    assert!(
        page.contains("Our first welcome calls"),
        "the case study is evidence for the practice"
    );
    assert!(common::broken_links(&dir.join("public")).is_empty());
}

#[test]
fn init_without_a_folder_fills_the_current_one_named_after_it() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("tool-library");
    std::fs::create_dir(&dir).unwrap();
    let out = practica_in(&dir, &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let config = std::fs::read_to_string(dir.join("community.yaml")).unwrap();
    assert!(config.contains("title: Tool library "), "{config}");
    assert!(
        stdout(&out).starts_with("community.yaml\n"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("`practica serve`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        practica_in(&dir, &["init"]).status.code(),
        Some(2),
        "not empty now"
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("taken");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let out = practica_in(parent.path(), &["init", "taken"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not empty (it holds `notes.txt`)")
            && stderr(&out).contains("--> taken"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "nothing written"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );

    let file = parent.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let out = practica_in(parent.path(), &["init", "a-file"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));

    let repo = parent.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let out = practica_in(parent.path(), &["init", "repo"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a lone .git is allowed: {}",
        stderr(&out)
    );
    assert!(repo.join("community.yaml").is_file());
}
