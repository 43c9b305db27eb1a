//! No panic on any input: odd, broken and hostile files give diagnostics.

mod common;

use common::{Fixture, doc};

const BODIES: &[&str] = &[
    "[[]] [[|]] [[?]] [[ ]] [[/]] [[practices/]] [[nope/x]] [[#]] [[a#]]",
    "[x](../../../../etc/passwd) [y](%zz%) [z](#) [w](?q=1) [v](/) [u](//host)",
    "[a](.md) [b](..) [c](./) ![d]() ![e](../static/) [f](mailto:) [g](:)",
    "# \n## {#}\n### ###\n#### [link](x.md) in heading\n",
    "[^1]\n\n[^1]: note\n[^1]: again\n\n| a | b |\n|---|---|\n| [[x]] | `|` |\n",
    "<a href=\"x.md\">raw</a>\n\n```\n[[not a link]]\n```\n\n    [indented](code.md)\n",
];

const FRONTS: &[&str] = &[
    "title: ''",
    "title: [a, b]",
    "title: {a: 1}",
    "title: T\ntags: 42",
    "title: T\ntags: [[nested]]",
    "title: T\nauthors: {x: 1}",
    "title: T\ndate: 2024-01-01T99:00:00Z",
    "title: T\ndate: [2024]",
    "title: T\n? complex key\n: value",
    "title: &a T\nsummary: *a",
    "title: T\ntitle: T2",
    "title: T\nlinks: 7\nexpertise: [\"\"]\nmentor: yes please",
    "title: T\nstatus: 3\npractices: [\"   \"]",
    "!!binary aGVsbG8=",
    "- just\n- a list",
    "title: \"unterminated",
    "\t\ttabs: bad",
];

#[test]
fn hostile_documents_never_panic_and_always_explain() {
    for (i, front) in FRONTS.iter().enumerate() {
        for (j, body) in BODIES.iter().enumerate() {
            let f = Fixture::new();
            f.write("practices/ok.md", &doc("title: OK", "fine\n"));
            for section in ["practices", "guides", "case-studies", "members"] {
                f.write(&format!("{section}/hostile-{i}-{j}.md"), &doc(front, body));
            }
            let report = f.build();
            assert!(report.exit_code() <= 2);
            for d in report.diagnostics.iter() {
                if let Some(span) = d.span() {
                    assert!(span.line >= 1 && span.col >= 1, "{d}");
                }
                assert!(d.hint.is_some(), "{d}");
            }
        }
    }
}

#[test]
fn binary_and_odd_files_never_panic() {
    let f = Fixture::new();
    f.write_bytes("practices/bin.md", &[0, 159, 146, 150, 255, 10, 45, 45, 45]);
    f.write_bytes(
        "guides/bom.md",
        "\u{feff}---\ntitle: BOM\n---\nok\n".as_bytes(),
    );
    f.write("guides/crlf.md", "---\r\ntitle: CRLF\r\n---\r\nline\r\n");
    f.write("guides/dots.md", "---\ntitle: Dots\n...\nbody\n");
    f.write("members/!!!.md", &doc("title: Nameless", ""));
    f.write(
        "case-studies/deep/deeper/deepest/x.md",
        &doc("title: Deep", "[[bom]] [[crlf]]\n"),
    );
    let report = f.build();
    let messages: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(report.exit_code(), 1, "{messages:#?}");
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("practices/bin.md:1:2: error: file is not UTF-8")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("members/!!!.md: error: the file name has no letters")),
        "{messages:#?}"
    );
    assert_eq!(
        messages.len(),
        2,
        "BOM, CRLF and `...` front matter are fine: {messages:#?}"
    );
}

#[test]
fn hostile_community_yaml_never_panics() {
    for config in [
        "",
        "[]",
        "title: 5",
        "title: T\ntags: 5",
        "title: T\ntags: [5, {x: 1}, {slug: ''}]",
        "title: T\ngaps: {stale_after_months: -1, x: 1}",
        "title: T\nbase_url: ftp://x",
        "title: T\nedit_url: https://x",
        "\u{0}",
    ] {
        let f = Fixture::with_config(config);
        let report = f.build();
        for d in report.diagnostics.iter() {
            assert!(d.hint.is_some(), "{config:?}: {d}");
        }
    }
}

/// Every numeric setting at the extremes YAML can write: a settings error
/// at the value's line, never a panic (a huge `stale_after_months` panicked
/// in date arithmetic in check, build, gaps and serve).
#[test]
fn extreme_numbers_in_every_numeric_setting_are_settings_errors() {
    for value in [
        "239977",
        "9223372036854775807",
        "-9223372036854775808",
        "99999999999999999999999",
        "1e308",
        "0",
        "1201",
    ] {
        let config = format!("title: T\ngaps:\n  stale_after_months: {value}\n");
        let f = Fixture::with_config(&config);
        f.write("practices/a.md", &doc("title: A\ntags: [x]", "Body.\n"));
        let report = f.build();
        assert_eq!(report.exit_code(), 2, "{value}: {:?}", report.diagnostics);
        let d = common::find(&report, "stale_after_months");
        assert_eq!(
            (d.path().unwrap(), d.span().unwrap().line),
            ("community.yaml", 3),
            "{d}"
        );
        let gaps = practica::gaps::gaps(&practica::gaps::GapsRequest::new(f.root().to_path_buf()));
        assert_eq!(gaps.exit_code(), 2, "{value}");
    }
    for fine in ["1", "1200"] {
        let config = format!("title: T\ngaps:\n  stale_after_months: {fine}\n");
        let f = Fixture::with_config(&config);
        assert_eq!(f.build().exit_code(), 0, "{fine}");
    }
}
