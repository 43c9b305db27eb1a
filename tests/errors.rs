//! Every kind of bad input gets a diagnostic at `file:line:col` with a hint,
//! all of them in one run, and nothing is written.

mod common;

use common::{Fixture, doc, find, member, messages};
use practica::{Severity, Span};

fn with_file(path: &str, content: &str) -> Fixture {
    let f = Fixture::new();
    f.write("members/ann-lee.md", &member("Ann Lee", ""));
    f.write(
        "practices/peer-review.md",
        &doc("title: Peer review", "## How it works\n\nText.\n"),
    );
    f.write(path, content);
    f
}

#[track_caller]
fn assert_at(d: &practica::Diagnostic, path: &str, line: usize, col: usize) {
    assert_eq!(
        (d.path().unwrap(), d.span().unwrap()),
        (path, Span::new(line, col)),
        "{d}"
    );
    assert!(
        d.hint.as_deref().is_some_and(|h| !h.is_empty()),
        "{d} has a hint"
    );
}

#[test]
fn malformed_yaml() {
    let f = with_file(
        "guides/g.md",
        "---\ntitle: G\ntags: [a, b\nauthors: []\n---\nBody\n",
    );
    let report = f.build();
    let d = find(&report, "invalid YAML in front matter");
    assert_eq!(d.path(), Some("guides/g.md"));
    assert!(
        d.span().unwrap().line >= 3 && d.span().unwrap().line <= 5,
        "{d}"
    );
    assert_eq!(report.exit_code(), 1);
    assert!(!f.out().exists(), "nothing written");
}

#[test]
fn non_utf8_file_points_at_the_bad_byte() {
    let f = Fixture::new();
    f.write_bytes("guides/g.md", b"---\ntitle: Caf\xe9 guide\n---\nBody\n");
    let report = f.build();
    assert_at(find(&report, "not UTF-8"), "guides/g.md", 2, 11);
}

#[test]
fn empty_file() {
    let report = with_file("guides/empty.md", "").build();
    assert_at(find(&report, "file is empty"), "guides/empty.md", 1, 1);
}

#[test]
fn front_matter_without_closing_line() {
    let report = with_file("guides/open.md", "---\ntitle: Open\n\nBody text\n").build();
    assert_at(find(&report, "never closed"), "guides/open.md", 1, 1);
}

#[test]
fn no_front_matter_at_all() {
    let report = with_file("guides/plain.md", "# Just markdown\n").build();
    assert_at(
        find(&report, "has no front matter"),
        "guides/plain.md",
        1,
        1,
    );
}

#[test]
fn wrong_type_for_a_key() {
    let report = with_file(
        "guides/g.md",
        &doc("title: G\nsummary: S\ndraft: maybe", ""),
    )
    .build();
    let d = find(&report, "`draft` should be true or false, found text");
    assert_at(d, "guides/g.md", 4, 1);
    let report = with_file("guides/g.md", &doc("title: G\ntags:\n  nested: map", "")).build();
    assert_at(
        find(&report, "`tags` should be a list"),
        "guides/g.md",
        3,
        1,
    );
}

#[test]
fn tag_slug_that_slugifies_to_nothing() {
    let report = with_file("guides/g.md", &doc("title: G\ntags: [ok, \"!!!\"]", "")).build();
    assert_at(
        find(&report, "has no letters or digits"),
        "guides/g.md",
        3,
        13,
    );
}

#[test]
fn missing_title() {
    let report = with_file("guides/g.md", &doc("summary: no title", "")).build();
    assert_at(find(&report, "has no `title`"), "guides/g.md", 2, 1);
}

#[test]
fn missing_title_hint_suggests_a_title_from_the_file_name() {
    let report = with_file(
        "guides/sorting-donated_bread.md",
        &doc("summary: no title", ""),
    )
    .build();
    let problem = find(&report, "has no `title`");
    assert_eq!(
        problem.hint.as_deref(),
        Some("add `title: Sorting donated bread` to the front matter"),
        "the hint is the file's own title, not a stock example"
    );
    let report = with_file("members/amara.md", &doc("summary: no title", "")).build();
    assert_eq!(
        find(&report, "has no `title`").hint.as_deref(),
        Some("add `title: Amara` to the front matter")
    );
}

#[test]
fn invalid_date_and_status() {
    let report = with_file(
        "practices/p.md",
        &doc("title: P\ndate: 2024-02-30\nstatus: establised", ""),
    )
    .build();
    assert_at(find(&report, "not a valid date"), "practices/p.md", 3, 7);
    let d = find(&report, "unknown status `establised`");
    assert_at(d, "practices/p.md", 4, 9);
    assert!(
        d.hint
            .as_ref()
            .unwrap()
            .contains("did you mean `established`")
    );
}

#[test]
fn misspelt_key_is_a_warning_with_a_suggestion() {
    let report = with_file("guides/g.md", &doc("title: G\ntag: [x]", "")).build();
    let d = find(&report, "did you mean `tags`?");
    assert_eq!(d.severity, Severity::Warning);
    assert_at(d, "guides/g.md", 3, 1);
    assert_eq!(report.exit_code(), 0, "warnings do not fail the build");
    assert!(report.written);
}

#[test]
fn broken_relative_link_names_the_nearest_document() {
    let report = with_file(
        "guides/g.md",
        &doc(
            "title: G",
            "Intro line.\n\nSee [review](../practices/peer-reveiw.md) now.\n",
        ),
    )
    .build();
    let d = find(&report, "goes to no document");
    assert_at(d, "guides/g.md", 6, 5);
    assert!(
        d.hint
            .as_ref()
            .unwrap()
            .contains("../practices/peer-review.md"),
        "{d}"
    );
}

#[test]
fn broken_anchor_names_the_nearest_heading() {
    let report = with_file(
        "guides/g.md",
        &doc("title: G", "[x](../practices/peer-review.md#how-it-work)\n"),
    )
    .build();
    let d = find(
        &report,
        "`#how-it-work` is not a heading in practices/peer-review.md",
    );
    assert_at(d, "guides/g.md", 4, 1);
    assert!(d.hint.as_ref().unwrap().contains("#how-it-works"));
}

#[test]
fn broken_wikilink_and_static_file() {
    let f = with_file(
        "guides/g.md",
        &doc(
            "title: G",
            "A [[peer-reviw]] and ![i](../static/missing.png)\n",
        ),
    );
    f.write("static/mising.png", "x");
    let report = f.build();
    let d = find(&report, "`[[peer-reviw]]` links to no document");
    assert_at(d, "guides/g.md", 4, 3);
    assert!(d.hint.as_ref().unwrap().contains("[[peer-review]]"));
    let d = find(&report, "is not a file under static/");
    assert_at(d, "guides/g.md", 4, 22);
    assert!(d.hint.as_ref().unwrap().contains("../static/mising.png"));
}

#[test]
fn ambiguous_wikilink_asks_for_the_section() {
    let f = with_file(
        "guides/peer-review.md",
        &doc("title: Peer review guide", "x\n"),
    );
    f.write("case-studies/c.md", &doc("title: C", "[[peer-review]]\n"));
    let report = f.build();
    let d = find(&report, "matches 2 documents");
    assert!(
        d.hint
            .as_ref()
            .unwrap()
            .contains("[[practices/peer-review]]"),
        "{d}"
    );
}

#[test]
fn link_to_a_draft_says_so() {
    let f = with_file("guides/wip.md", &doc("title: WIP\ndraft: true", ""));
    f.write(
        "case-studies/c.md",
        &doc("title: C", "[wip](../guides/wip.md)\n"),
    );
    let report = f.build();
    assert_at(find(&report, "goes to a draft"), "case-studies/c.md", 4, 1);
    assert!(f.build_with(|o| o.drafts = true).diagnostics.is_empty());
}

#[test]
fn unknown_author_and_practice_get_suggestions() {
    let report = with_file(
        "case-studies/c.md",
        &doc(
            "title: C\nauthors:\n  - ann-le\npractices: [peer-reveiw]",
            "",
        ),
    )
    .build();
    let d = find(&report, "unknown author `ann-le`");
    assert_at(d, "case-studies/c.md", 4, 5);
    assert!(d.hint.as_ref().unwrap().contains("did you mean `ann-lee`"));
    let d = find(&report, "unknown practice `peer-reveiw`");
    assert_at(d, "case-studies/c.md", 5, 13);
    assert!(
        d.hint
            .as_ref()
            .unwrap()
            .contains("did you mean `peer-review`")
    );
}

#[test]
fn a_file_that_cannot_be_read_is_reported_once_not_at_every_link_to_it() {
    let f = Fixture::new();
    // Both have front matter the YAML library rejects.
    f.write(
        "members/ann-lee.md",
        "---\ntitle: Ann Lee\ntitle: Again\n---\nA member.\n",
    );
    f.write(
        "practices/peer-review.md",
        &doc("title: Peer review\ntags: [a, b", "Text.\n"),
    );
    f.write(
        "case-studies/c.md",
        &doc(
            "title: C\nauthors: [ann-lee]\nowner: ann-lee\npractices: [peer-review, peer-reveiw]",
            "[review](../practices/peer-review.md#how), [[peer-review]], [[practices/peer-review]],\n\
             [[ann-lee]], [site path](/members/ann-lee/) and [[missing-page]].\n",
        ),
    );
    let report = f.build();
    let found = messages(&report);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert_at(
        find(&report, "`title` is given twice"),
        "members/ann-lee.md",
        3,
        1,
    );
    assert_at(
        find(&report, "`[` list is not closed"),
        "practices/peer-review.md",
        3,
        7,
    );
    // A name that is no file at all is still reported, with its hint.
    find(&report, "unknown practice `peer-reveiw`");
    find(&report, "`[[missing-page]]` links to no document");
    assert_eq!(report.exit_code(), 1);
    assert!(!f.out().exists(), "nothing written");
}

#[test]
fn a_key_given_twice_is_shown_where_it_is_given_again() {
    let f = with_file(
        "guides/g.md",
        "---\ntitle: G\ntags: [a]\nsummary: S\ntags:\n  - b\n---\nBody\n",
    );
    let report = f.build();
    let d = find(&report, "`tags` is given twice");
    assert_at(d, "guides/g.md", 5, 1);
    assert!(
        d.hint
            .as_ref()
            .unwrap()
            .contains("merge it into the first `tags:`"),
        "{d}"
    );
}

#[test]
fn two_documents_with_one_url_name_both_files() {
    let f = with_file("practices/team/peer-review.md", &doc("title: Another", ""));
    let report = f.build();
    let d = find(&report, "both make the page /practices/peer-review/");
    assert!(
        d.message.contains("practices/peer-review.md")
            && d.message.contains("practices/team/peer-review.md"),
        "{d}"
    );
}

#[test]
fn every_problem_of_a_run_is_reported_sorted_by_file() {
    let f = with_file("guides/b.md", "");
    f.write(
        "guides/a.md",
        &doc("title: A\nauthors: [nobody]", "[[nothing-here]]\n"),
    );
    f.write("case-studies/z.md", "---\ntitle: Z\n");
    let report = f.build();
    let messages = messages(&report);
    assert_eq!(messages.len(), 4, "{messages:#?}");
    let paths: Vec<&str> = messages
        .iter()
        .map(|m| m.split(':').next().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "case-studies/z.md",
            "guides/a.md",
            "guides/a.md",
            "guides/b.md"
        ]
    );
    assert!(
        messages
            .iter()
            .all(|m| m.contains(": error: ") && m.contains("\n  hint: "))
    );
}

#[test]
fn settings_errors_exit_with_two() {
    let f = Fixture::with_config("title: [unclosed\n");
    let report = f.build();
    // At the `[` left open, not where the text ran out.
    assert_at(find(&report, "invalid YAML"), "community.yaml", 1, 8);
    assert_eq!(report.exit_code(), 2);
    let f = Fixture::with_config("description: no title\ntags:\n  - slug: a\n    parent: b\n");
    let report = f.build();
    assert!(find(&report, "no `title`").is_error());
    assert_at(find(&report, "parent `b`"), "community.yaml", 4, 13);
    assert_eq!(report.exit_code(), 2);
}

#[test]
fn missing_community_yaml_is_a_settings_error() {
    let dir = tempfile::tempdir().unwrap();
    let report = practica::build(&practica::BuildOptions::new(dir.path()));
    let d = find(&report, "cannot read community.yaml");
    assert!(d.hint.as_ref().unwrap().contains("practica init"));
    assert_eq!(report.exit_code(), 2);
}

#[test]
fn template_errors_point_at_the_template_line() {
    let f = with_file(
        "templates/tag.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ tag.title | nosuchfilter }}\n{% endblock content %}\n",
    );
    let report = f.build();
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.path() == Some("templates/tag.html"))
        .expect("template error");
    assert_eq!(d.span().unwrap().line, 3, "{d}");
    assert_eq!(report.exit_code(), 2);
    let f = with_file("templates/index.html", "{% if %}\n");
    let report = f.build();
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.path() == Some("templates/index.html"))
        .expect("syntax error");
    assert_eq!(d.span().unwrap().line, 1, "{d}");
    assert_eq!(report.exit_code(), 2);
}

/// Template errors named `(default theme) NAME` or `templates/NAME` as
/// if those were files, and pinned errors without one to the folder
/// `templates`: each now names the file it is really in.
#[test]
fn template_errors_name_the_file_they_are_in() {
    let f = Fixture::with_config("title: T\ntheme: plain\n");
    f.write("practices/a.md", &doc("title: A", "Body.\n"));
    f.write(
        "themes/plain/templates/tag.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ tag.title | nosuchfilter }}\n{% endblock content %}\n",
    );
    let report = f.build();
    let themed = report.diagnostics.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(
        themed.path(),
        Some("themes/plain/templates/tag.html"),
        "{themed}"
    );
    assert_eq!(themed.span().map(|s| s.line), Some(3), "{themed}");
    let f = with_file("templates/card.html", "{% extends \"nowhere.html\" %}\n");
    let report = f.build();
    let parent = find(&report, "extends `nowhere.html`");
    assert_eq!(
        (parent.path(), parent.span()),
        (Some("templates/card.html"), None)
    );

    // A base.html without the blocks the default templates fill: the
    // errors are in those templates, which are practica's, not files here.
    let f = with_file("templates/base.html", "<html>{{ site.title }}</html>\n");
    let report = f.build();
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.default_theme_file() == Some("templates/index.html"))
        .expect("an error in the default index.html");
    assert!(d.message.contains("Block `content`"), "{d}");
    assert_eq!(d.path(), None, "no file of the community: {d}");
    assert_eq!(d.default_theme_file(), Some("templates/index.html"), "{d}");
    let span = d.span().expect("a place in it");
    let source = include_str!("../themes/default/templates/index.html");
    let line = source.lines().nth(span.line - 1).unwrap();
    assert!(line[span.col - 1..].starts_with("content"), "{line}");
    assert!(
        d.to_string()
            .starts_with("the default theme's templates/index.html:"),
        "{d}"
    );
    assert_eq!(report.exit_code(), 2);

    let json = f.cli(&["check", "--format", "json"]);
    let lines = String::from_utf8_lossy(&json.stdout);
    let value: serde_json::Value = lines
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["default_theme"] == "templates/index.html")
        .expect("the JSON line names the default theme's file");
    assert_eq!(value["path"], serde_json::Value::Null, "{value}");
    let github = f.cli(&["check", "--format", "github"]);
    let annotations = String::from_utf8_lossy(&github.stdout);
    let annotation = annotations
        .lines()
        .find(|l| l.contains("templates/index.html"))
        .unwrap();
    assert!(!annotation.contains("file="), "{annotation}");
    assert!(
        annotation.contains("::the default theme's templates/index.html:"),
        "{annotation}"
    );
}

// ---- where each problem is: a place, a whole file, or how practica was run ----

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A bad `theme:` pointed at `title:` on line 1; it points at `theme:`.
#[test]
fn a_theme_that_is_not_there_points_at_theme() {
    let f = Fixture::with_config("title: T\ndescription: D\ntheme: nowhere\n");
    let report = f.build();
    let d = find(&report, "theme `nowhere` not found");
    assert_at(d, "community.yaml", 3, 1);
    let out = f.cli(&["check"]);
    let text = stderr_of(&out);
    assert!(text.contains("--> community.yaml:3:1"), "{text}");
    assert!(text.contains("3 | theme: nowhere"), "{text}");
}

/// `-o somefile` pointed at `community.yaml:1:1`: the output folder is
/// how practica was run, and every format says so without a made-up place.
#[test]
fn an_output_refusal_names_no_file_in_any_format() {
    let f = Fixture::new();
    f.write("practices/a.md", &doc("title: A", "Body.\n"));
    f.write("somefile", "not a folder");
    let report = f.build_with(|o| o.output = Some(f.root().join("somefile")));
    let d = find(&report, "it is a file");
    assert_eq!((d.path(), d.span()), (None, None), "{d}");
    assert!(
        d.to_string().starts_with("error: refusing to replace"),
        "{d}"
    );

    let human = stderr_of(&f.cli(&["build", "-o", "somefile"]));
    assert!(human.contains("error: refusing to replace"), "{human}");
    assert!(!human.contains("-->"), "no place is made up: {human}");

    let json = f.cli(&["build", "-o", "somefile", "--format", "json"]);
    let line = String::from_utf8_lossy(&json.stdout);
    let value: serde_json::Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
    assert_eq!(value["path"], serde_json::Value::Null, "{value}");
    assert_eq!(value["line"], serde_json::Value::Null, "{value}");

    let github = f.cli(&["build", "-o", "somefile", "--format", "github"]);
    let annotation = String::from_utf8_lossy(&github.stdout);
    assert!(
        annotation.starts_with("::error title=practica error::refusing"),
        "{annotation}"
    );
}

/// A problem with a file as a whole (two files making one page) names the
/// file, with no line: `--> path` for people, `file=` alone for GitHub.
#[test]
fn a_problem_with_a_whole_file_names_the_file_only() {
    let f = Fixture::new();
    f.write("practices/peer-review.md", &doc("title: A", "Body.\n"));
    f.write("practices/Peer Review.md", &doc("title: B", "Body.\n"));
    let report = f.build();
    let d = find(&report, "both make the page");
    assert!(d.path().is_some() && d.span().is_none(), "{d}");
    let human = stderr_of(&f.cli(&["check"]));
    let shown = d.path().unwrap();
    assert!(human.contains(&format!("--> {shown}\n")), "{human}");
    let github = f.cli(&["check", "--format", "github"]);
    let annotation = String::from_utf8_lossy(&github.stdout);
    assert!(
        annotation.contains(&format!("file={}", shown)),
        "{annotation}"
    );
    assert!(!annotation.contains("line="), "{annotation}");
}

/// serve's start-up problems, `new` and `init` refusals and bad command
/// line values are printed by the same renderer, with a hint.
#[test]
fn commands_refuse_through_the_one_renderer() {
    let f = Fixture::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let serve = f.cli(&["serve", "--port", &port]);
    assert_eq!(serve.status.code(), Some(2));
    let text = stderr_of(&serve);
    assert!(
        text.contains(&format!("error: cannot listen on 127.0.0.1:{port}")),
        "{text}"
    );
    assert!(text.contains("= hint: choose another port"), "{text}");

    let init = f.cli(&["init", "."]);
    assert_eq!(init.status.code(), Some(2));
    let text = stderr_of(&init);
    assert!(
        text.contains("error: ") && text.contains("is not empty"),
        "{text}"
    );
    assert!(text.contains("= hint: "), "{text}");

    let gaps = f.cli(&["gaps", "--fail-on", "no-such-rule"]);
    assert_eq!(gaps.status.code(), Some(2));
    let text = stderr_of(&gaps);
    assert!(
        text.contains("error: unknown gap rule `no-such-rule`"),
        "{text}"
    );
    assert!(text.contains("= hint: the rules are: no-content"), "{text}");

    // `man` wrote its own `error:` and `hint:` lines.
    let man = f.cli(&["man", "chekc"]);
    assert_eq!(man.status.code(), Some(2));
    let text = stderr_of(&man);
    assert!(text.contains("error: no command `chekc`"), "{text}");
    assert!(
        text.contains("= hint: the commands are: build, check"),
        "{text}"
    );
}

/// `gaps` printed its problems for people only: with `--format json` they
/// are JSON lines too, on stderr, since stdout is the report. The
/// content's problems are one line with their count (`check` lists them),
/// and do not change the exit code.
#[test]
fn gaps_problems_follow_its_format() {
    let f = Fixture::new();
    f.write(
        "practices/a.md",
        &doc("title: A", "See [b](b.md) and [c](c.md).\n"),
    );
    let out = f.cli(&["gaps", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the report alone");
    assert_eq!(report["schema_version"], 2);
    let problems: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(problems.len(), 1, "{}", stderr_of(&out));
    let message = problems[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("the content has 2 errors")
            && message.ends_with("; the gaps are found all the same"),
        "{message}"
    );
    assert_eq!(problems[0]["hint"], "`practica check` lists them");
    let bad_rule = f.cli(&["gaps", "--format", "json", "--fail-on", "nope"]);
    let line: serde_json::Value =
        serde_json::from_str(stderr_of(&bad_rule).lines().next().unwrap()).unwrap();
    assert_eq!(line["message"], "unknown gap rule `nope` in --fail-on");
    let table = f.cli(&["gaps"]);
    let text = stderr_of(&table);
    assert!(
        text.contains("the content has 2 errors") && !text.contains("b.md"),
        "for people: {text}"
    );
    assert_eq!(table.status.code(), Some(0));
    let failing = f.cli(&["gaps", "--fail-on", "orphan"]);
    assert_eq!(failing.status.code(), Some(1), "--fail-on alone decides");
}

/// Tag-level errors pointed at `tags:` (or `community.yaml:1:1`), two
/// items without a slug were reported once, a tag was suggested as its own
/// parent, and a tag declared twice pointed at its first declaration.
#[test]
fn each_declared_tag_s_problem_points_at_that_tag() {
    let f = Fixture::with_config(concat!(
        "title: T\n",
        "tags:\n",
        "  - slug: cold-chain\n",
        "    parent: cold-chain\n",
        "  - slug: storage\n",
        "    parent: \"storag\"\n",
        "  - {slug: transport, parent: cold-chian}\n",
        "  - slug: cold-chain\n",
        "  - title: No slug here\n",
        "  - slug: \"\"\n",
        "  - 42\n",
    ));
    let report = f.build();
    let at = |needle: &str| find(&report, needle).span().map(|s| (s.line, s.col));
    assert_eq!(at("is its own parent"), Some((4, 13)));
    assert_eq!(at("parent `storag`"), Some((6, 13)));
    assert!(
        !find(&report, "parent `storag`")
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("`storage`")
    );
    assert_eq!(at("parent `cold-chian`"), Some((7, 31)));
    assert_eq!(at("declared twice"), Some((8, 11)));
    assert_eq!(at("has no letters"), Some((10, 11)));
    let no_slug: Vec<usize> = report
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("has no `slug`"))
        .filter_map(|d| d.span().map(|s| s.line))
        .collect();
    assert_eq!(no_slug, vec![9, 11]);
    assert_eq!(messages(&report).len(), 7, "{:#?}", messages(&report));
}
