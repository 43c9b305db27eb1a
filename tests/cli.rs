//! The command line: message format, summary line and exit codes.

mod common;

use common::{Fixture, doc};

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn build_prints_a_summary_and_exits_zero() {
    let f = Fixture::new();
    f.write("practices/a.md", &doc("title: A", "Hi\n"));
    let out = f.cli(&["build", "."]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let summary = text.lines().last().unwrap();
    assert!(
        summary.starts_with("built ")
            && summary.contains(" pages into ")
            && summary.ends_with(": 0 errors, 0 warnings"),
        "{summary}"
    );
    assert!(f.out().join("practices/a/index.html").is_file());
}

#[test]
fn content_errors_print_path_line_col_and_hint_and_exit_one() {
    let f = Fixture::new();
    f.write(
        "practices/a.md",
        &doc("title: A\nauthors: [nobody]", "Hi [x](b.md)\n"),
    );
    let out = f.cli(&["build"]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("error: unknown author `nobody`\n --> practices/a.md:3:11\n"),
        "{text}"
    );
    assert!(
        text.contains("error: link `b.md` goes to no document\n --> practices/a.md:5:4\n"),
        "{text}"
    );
    assert!(
        text.contains("5 | Hi [x](b.md)\n  |    ^\n"),
        "the source line with a caret under the column: {text}"
    );
    assert!(text.contains("  = hint: "), "{text}");
    assert!(
        text.lines()
            .last()
            .unwrap()
            .ends_with("2 errors, 0 warnings"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour when not on a terminal");
}

#[test]
fn settings_and_usage_errors_exit_two() {
    let f = Fixture::with_config("title: T\nbase_url: example.org\n");
    let out = f.cli(&["build"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error: `base_url` must be an absolute"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains(" --> community.yaml:2:1\n"));
    let out = f.cli(&["build", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn output_flag_and_check_command() {
    let f = Fixture::new();
    f.write("guides/g.md", &doc("title: G", ""));
    let out = f.cli(&["check"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).starts_with("checked "), "{}", stderr(&out));
    assert!(!f.out().exists(), "check writes nothing");
    let target = f.root().join("elsewhere");
    let out = f.cli(&["build", "-o", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(target.join("guides/g/index.html").is_file());
}
