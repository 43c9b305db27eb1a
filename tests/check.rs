//! `practica check`: every problem a build finds, in three formats, with
//! the exit codes of `build`, writing nothing.

mod common;

use std::process::Output;

use common::{Fixture, doc, member};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A community with one content error and one warning.
fn broken() -> Fixture {
    let f = Fixture::new();
    f.write("members/ann.md", &member("Ann", ""));
    f.write(
        "practices/a.md",
        &doc(
            "title: A\nauthors: [ann]\ntag: x",
            "See [the guide](../guides/gone.md).\n",
        ),
    );
    f
}

#[test]
fn human_format_shows_every_problem_with_source_and_summary() {
    let f = broken();
    let out = f.cli(&["check"]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "error: link `../guides/gone.md` goes to no document\n --> practices/a.md:6:5\n  |\n6 | See [the guide](../guides/gone.md).\n  |     ^\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("warning: unknown key `tag` in front matter"),
        "{text}"
    );
    assert!(text.contains(" --> practices/a.md:4:1\n"), "{text}");
    assert_eq!(
        text.lines().last().unwrap().split(" in ").next().unwrap(),
        "checked 2 documents"
    );
    assert!(text.ends_with(": 1 error, 1 warning\n"), "{text}");
    assert!(stdout(&out).is_empty());
    assert!(!f.out().exists(), "check writes nothing");
}

#[test]
fn github_format_prints_workflow_annotations() {
    let f = broken();
    let out = f.cli(&["check", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<String> = stdout(&out).lines().map(String::from).collect();
    assert_eq!(
        lines,
        [
            "::warning file=practices/a.md,line=4,col=1,title=practica warning::unknown key `tag` in front matter — did you mean `tags`?%0Ahint: rename it to `tags`, or keep it if it is meant for your templates",
            "::error file=practices/a.md,line=6,col=5,title=practica error::link `../guides/gone.md` goes to no document%0Ahint: check the file name and the `../` steps",
        ]
        .map(String::from),
        "sorted by place; annotations on stdout"
    );
    assert!(stderr(&out).starts_with("checked "), "summary on stderr");
}

#[test]
fn github_paths_start_at_the_folder_practica_ran_in() {
    let f = Fixture::new();
    f.write("site/community.yaml", common::MINIMAL_CONFIG);
    f.write("site/guides/g.md", &doc("title: G", "[x](nope.md)\n"));
    let out = f.cli(&["check", "site", "--format", "github", "--quiet"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("::error file=site/guides/g.md,line=4,col=1,"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).is_empty(), "--quiet: no summary");
    let absolute = f.root().join("site");
    let out = f.cli(&["check", absolute.to_str().unwrap(), "--format", "github"]);
    assert!(
        stdout(&out).starts_with("::error file=site/guides/g.md,"),
        "an absolute ROOT inside the working folder: {}",
        stdout(&out)
    );
}

#[test]
fn json_format_prints_one_object_per_diagnostic() {
    let f = broken();
    let out = f.cli(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let objects: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(objects.len(), 2);
    assert_eq!(
        objects[1],
        serde_json::json!({
            "severity": "error",
            "category": "content",
            "path": "practices/a.md",
            "default_theme": null,
            "line": 6,
            "column": 5,
            "message": "link `../guides/gone.md` goes to no document",
            "hint": "check the file name and the `../` steps",
        })
    );
    assert_eq!(objects[0]["severity"], "warning");
    assert!(objects[0]["hint"].as_str().unwrap().contains("rename it"));
}

#[test]
fn exit_codes_are_those_of_build() {
    let fine = Fixture::new();
    fine.write("guides/g.md", &doc("title: G", "Hi\n"));
    assert_eq!(
        fine.cli(&["check", "--format", "json"]).status.code(),
        Some(0)
    );
    assert!(stdout(&fine.cli(&["check", "--format", "json"])).is_empty());

    let settings = Fixture::with_config("title: T\ngit_dates: sometimes\n");
    let out = settings.cli(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let object: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(object["category"], "settings");
    assert_eq!(object["path"], "community.yaml");
    assert_eq!(object["line"], 2);
}

#[test]
fn check_compiles_and_runs_every_template() {
    let f = Fixture::new();
    f.write("guides/g.md", &doc("title: G", "Hi\n"));
    f.write("templates/tag.html", "{{ no_such_variable }}");
    let tagged = doc("title: T\ntags: [x]", "Hi\n");
    f.write("practices/t.md", &tagged);
    let out = f.cli(&["check"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("templates/tag.html"),
        "{}",
        stderr(&out)
    );

    f.write("templates/tag.html", "{% if %}");
    let out = f.cli(&["check"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn verbose_prints_stage_timings_and_quiet_only_problems() {
    let f = broken();
    let out = f.cli(&["check", "--verbose"]);
    let text = stderr(&out);
    for stage in ["config", "load", "link", "theme", "gaps", "render"] {
        assert!(text.contains(&format!("  {stage:<8} ")), "{stage}: {text}");
    }
    let out = f.cli(&["check", "--quiet"]);
    assert!(!stderr(&out).contains("checked"), "{}", stderr(&out));
    assert!(stderr(&out).contains("error: link"));
}

#[test]
fn build_takes_the_same_formats() {
    let f = broken();
    let out = f.cli(&["build", "--format", "github", "--quiet"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out).lines().count(), 2, "{}", stdout(&out));
    assert!(stdout(&out).contains("::error file=practices/a.md,line=6,col=5,"));
    assert!(stderr(&out).is_empty());
    assert!(!f.out().exists(), "errors: nothing written");
}
