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

#[test]
fn completions_and_man_page_come_from_the_clap_definitions() {
    let f = Fixture::new();
    for (shell, marker) in [
        ("bash", "complete -F _practica"),
        ("zsh", "#compdef practica"),
        ("fish", "complete -c practica"),
    ] {
        let out = f.cli(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(script.contains(marker), "{shell}: {script}");
        for word in ["check", "init", "format", "drafts"] {
            assert!(script.contains(word), "{shell} completes `{word}`");
        }
        if shell != "fish" {
            assert!(script.contains("case-study"), "{shell} completes kinds");
        }
    }
    assert_eq!(f.cli(&["completions", "tcsh"]).status.code(), Some(2));
    let out = f.cli(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".TH practica 1"), "{page}");
    assert!(
        page.contains("practica\\-check(1)"),
        "lists the commands: {page}"
    );
    let out = f.cli(&["man", "check"]);
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(
        page.contains(".TH practica-check 1  \"practica-check 0.1.0\""),
        "{page}"
    );
    assert!(page.contains("github"), "the formats: {page}");
    assert_eq!(f.cli(&["man", "chekc"]).status.code(), Some(2));
}

#[test]
fn no_progress_bar_or_colour_when_stderr_is_not_a_terminal() {
    let f = Fixture::new();
    f.write("practices/a.md", &doc("title: A", "[x](b.md)\n"));
    let out = common::practica_command()
        .arg("build")
        .env_remove("NO_COLOR")
        .current_dir(f.root())
        .output()
        .unwrap();
    let text = stderr(&out);
    assert!(!text.contains('\x1b'), "{text:?}");
    assert!(!text.contains('\r'), "no progress redraws: {text:?}");
    assert!(
        text.lines()
            .last()
            .unwrap()
            .ends_with("1 error, 0 warnings")
    );
}

/// `--version` names the version and the commit built, so a bug report
/// says exactly which practica it is about.
#[test]
fn version_names_the_version_and_the_commit() {
    let out = common::practica_command()
        .arg("--version")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let expected = format!("practica {} (", env!("CARGO_PKG_VERSION"));
    assert!(text.starts_with(&expected), "{text}");
    let commit = text
        .trim_end()
        .trim_end_matches(')')
        .rsplit(' ')
        .next()
        .unwrap();
    let head = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success());
    match head {
        Some(head) => {
            assert!(text.contains("(commit "), "{text}");
            let head = String::from_utf8_lossy(&head.stdout);
            assert!(head.starts_with(commit), "{commit} is not HEAD {head}");
        }
        None => assert!(text.contains("commit"), "{text}"),
    }
}

/// `new` and `schema` take their names from `Kind` and `Subject`, so
/// `--help` lists every kind with no list of its own in the CLI.
#[test]
fn new_and_schema_help_list_every_kind() {
    use practica::document::Kind;
    use practica::schema::Subject;
    let f = Fixture::new();
    let kinds: Vec<&str> = Kind::ALL.map(Kind::name).to_vec();
    let subjects: Vec<&str> = Subject::ALL.map(Subject::name).to_vec();
    for (command, names) in [("new", kinds), ("schema", subjects)] {
        let out = f.cli(&[command, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{command}");
        let help = String::from_utf8_lossy(&out.stdout);
        let listed = format!("[possible values: {}]", names.join(", "));
        assert!(help.contains(&listed), "{command} --help: {help}");
    }
}
