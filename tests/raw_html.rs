//! `raw_html:` in community.yaml: raw HTML in documents published as
//! written, sanitised, or shown as text, by `build`, `check` and `serve`
//! alike, with the parse cache never serving HTML of another setting.

mod common;

use std::path::{Path, PathBuf};

use common::Fixture;
use practica::serve::live::{LiveSite, Outcome};

/// Legacy content as a wiki export leaves it: footnotes in a raw table
/// with `<a name>` anchors, a heading with its own id, and what an
/// attacker among many contributors could add.
const LEGACY: &str = "\
See the first note [1](#fn1) and [the details](#x).

<table>
<tr><th>Step</th><th>Note</th></tr>
<tr><td>Weigh</td><td>Scales<a href=\"#fn1\"><sup>1</sup></a></td></tr>
</table>

<p><a name=\"fn1\"></a>1. Calibrated monthly.</p>

<h3 id=\"x\">Details</h3>

<script>alert(1)</script>

<img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\">click</a>

<iframe src=\"https://example.org/embed\"></iframe>

A <span id=\"inline\" onmouseover=\"alert(1)\">span with a [link](other.md)</span>.

<details>
<summary>More</summary>

Hidden *text*.

</details>
";

/// A community whose `guides/legacy.md` holds `LEGACY`, and whose
/// `guides/other.md` links to one of its anchors.
fn community(raw_html: &str) -> Fixture {
    let fixture = Fixture::with_config(&format!("title: Legacy\nraw_html: {raw_html}\n"));
    fixture.write("guides/legacy.md", &common::doc("title: Legacy", LEGACY));
    // `<img src=x>` is checked as a link: the file is there.
    fixture.write("static/guides/x", "");
    fixture.write(
        "guides/other.md",
        &common::doc("title: Other", "The [first note](legacy.md#fn1).\n"),
    );
    fixture
}

/// `community`, without the links to ids that raw HTML gives, which
/// `escape` leaves the page without.
fn community_without_anchor_links(raw_html: &str) -> Fixture {
    let fixture = community(raw_html);
    let legacy = LEGACY.replace(" [1](#fn1) and [the details](#x)", "");
    fixture.write("guides/legacy.md", &common::doc("title: Legacy", &legacy));
    fixture.write("guides/other.md", &common::doc("title: Other", "Other.\n"));
    fixture
}

fn built_page(fixture: &Fixture) -> String {
    let report = fixture.build();
    assert!(report.written, "{:#?}", common::messages(&report));
    assert!(
        report.diagnostics.is_empty(),
        "{:#?}",
        common::messages(&report)
    );
    body_of(&fixture.page("guides/legacy/index.html"))
}

/// The document's body in its page, without the theme's own scripts.
fn body_of(page: &str) -> String {
    let start = page.find("<div class=\"content\">").expect("the body");
    let end = page
        .find("<footer class=\"doc-footer\">")
        .expect("the footer");
    page[start..end].to_string()
}

#[test]
fn allow_publishes_raw_html_as_written() {
    let page = built_page(&community("allow"));
    for written in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">click</a>",
        "<iframe src=\"https://example.org/embed\"></iframe>",
        "<span id=\"inline\" onmouseover=\"alert(1)\">",
    ] {
        assert!(page.contains(written), "{written} missing from {page}");
    }
}

#[test]
fn sanitize_drops_what_runs_code_and_keeps_tables_ids_and_anchors() {
    // No broken-anchor error: `#fn1`, `#x` and `legacy.md#fn1` land on raw HTML.
    let fixture = community("sanitize");
    let page = built_page(&fixture);
    for gone in [
        "script",
        "alert",
        "onerror",
        "onmouseover",
        "javascript",
        "iframe",
    ] {
        assert!(!page.contains(gone), "{gone} left in {page}");
    }
    for kept in [
        "<a href=\"#fn1\">1</a> and <a href=\"#x\">the details</a>",
        "<tr><th>Step</th><th>Note</th></tr>",
        "<td>Scales<a href=\"#fn1\"><sup>1</sup></a></td>",
        "<p><a name=\"fn1\"></a>1. Calibrated monthly.</p>",
        "<h3 id=\"x\">Details</h3>",
        "<img src=\"x\"> <a>click</a>",
        // The markdown link inside the span kept its place and its address.
        "A <span id=\"inline\">span with a <a href=\"../../guides/other/index.html\">link</a></span>.",
        "<details>\n<summary>More</summary>\n<p>Hidden <em>text</em>.</p>\n</details>",
    ] {
        assert!(page.contains(kept), "{kept} missing from {page}");
    }
    let other = fixture.page("guides/other/index.html");
    assert!(other.contains("<a href=\"../../guides/legacy/index.html#fn1\">first note</a>"));
}

#[test]
fn escape_shows_raw_html_as_text() {
    let page = built_page(&community_without_anchor_links("escape"));
    assert!(
        !page.contains("<script") && !page.contains("<iframe"),
        "{page}"
    );
    for shown in [
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
        "&lt;img src=x onerror=alert(1)&gt; &lt;a href=\"javascript:alert(1)\"&gt;click&lt;/a&gt;",
        "<p>&lt;table&gt;\n&lt;tr&gt;&lt;th&gt;Step&lt;/th&gt;",
        "&lt;h3 id=\"x\"&gt;Details&lt;/h3&gt;",
        // Inline tags are text around the markdown link, which stays a link.
        "A &lt;span id=\"inline\" onmouseover=\"alert(1)\"&gt;span with a \
         <a href=\"../../guides/other/index.html\">link</a>&lt;/span&gt;.",
    ] {
        assert!(page.contains(shown), "{shown} missing from {page}");
    }
}

/// Escaped, raw HTML gives the page no ids: links to them are broken,
/// and `check` (which reads only each body's outline) says so as `build` does.
#[test]
fn escape_reports_links_to_ids_the_page_no_longer_has() {
    let fixture = community("escape");
    let expected = [
        ("guides/legacy.md", 4, 20, "`#fn1`"),
        ("guides/legacy.md", 4, 34, "`#x`"),
        ("guides/other.md", 4, 5, "`#fn1`"),
    ];
    for write in [true, false] {
        let report = fixture.build_with(|o| o.write = write);
        let mut found: Vec<_> = report
            .diagnostics
            .iter()
            .map(|d| {
                let span = d.span().expect("a place");
                (
                    d.path().unwrap_or_default(),
                    span.line,
                    span.col,
                    d.message.clone(),
                )
            })
            .collect();
        found.sort();
        assert_eq!(found.len(), expected.len(), "{found:#?}");
        for ((path, line, col, message), want) in found.iter().zip(expected) {
            assert_eq!((*path, *line, *col), (want.0, want.1, want.2), "{message}");
            assert!(message.contains(want.3), "{message}");
        }
    }
    let sanitized = community("sanitize");
    let check = sanitized.build_with(|o| o.write = false);
    assert!(
        check.diagnostics.is_empty(),
        "{:#?}",
        common::messages(&check)
    );
}

#[test]
fn a_mistyped_setting_is_a_settings_error_at_its_value() {
    let fixture = Fixture::with_config("title: Legacy\nraw_html:  sanitise\n");
    let output = fixture.cli(&["check"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for part in [
        "error: `raw_html` should be `allow`, `sanitize` or `escape`, found `sanitise`",
        "--> community.yaml:2:12",
        "hint: did you mean `sanitize`?",
    ] {
        assert!(stderr.contains(part), "{part} missing from {stderr}");
    }
}

/// A cache written under one setting holds HTML of that setting: another
/// setting must not be served it.
#[test]
fn the_parse_cache_never_serves_html_of_another_setting() {
    let fixture = community_without_anchor_links("allow");
    let cache = tempfile::tempdir().unwrap();
    let build = |raw_html: &str| {
        fixture.write(
            "community.yaml",
            &format!("title: Legacy\nraw_html: {raw_html}\n"),
        );
        let report = fixture.build_with(|o| o.cache = Some(cache.path().to_path_buf()));
        assert!(report.written, "{:#?}", common::messages(&report));
        (
            report.cache_use.expect("a cache"),
            fixture.page("guides/legacy/index.html"),
        )
    };
    let (_, allowed) = build("allow");
    assert!(allowed.contains("<script>alert(1)</script>"));
    let (used, sanitized) = build("sanitize");
    assert_eq!(used.reused, 0);
    assert!(!sanitized.contains("alert"), "{sanitized}");
    let (_, escaped) = build("escape");
    assert!(escaped.contains("&lt;script&gt;alert(1)"), "{escaped}");
    let (used, again) = build("escape");
    assert_eq!((used.reused, used.parsed), (2, 0));
    assert_eq!(again, escaped);
}

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 1)
}

fn assert_serves_what_build_writes(live: &LiveSite, root: &Path, step: &str) {
    let served = live.publish().snapshot();
    let built = common::built_files(root, today());
    let differing: Vec<&String> = built
        .iter()
        .filter(|(path, bytes)| served.get(*path).map(|b| b.as_slice()) != Some(bytes.as_slice()))
        .map(|(path, _)| path)
        .chain(served.keys().filter(|p| !built.contains_key(*p)))
        .collect();
    assert!(
        differing.is_empty(),
        "after {step}, these differ: {differing:?}"
    );
}

#[test]
fn serve_renders_each_setting_as_build_does_and_follows_a_change_of_it() {
    let fixture = community_without_anchor_links("allow");
    let root = fixture.root().canonicalize().unwrap();
    let mut live = LiveSite::open(&root, false, Some(today()));
    assert_serves_what_build_writes(&live, &root, "opening");
    let mut step = |name: &str, path: PathBuf| {
        let update = live.update(&[path]);
        assert_ne!(update.outcome, Outcome::Failed, "{name}");
        assert_serves_what_build_writes(&live, &root, name);
    };
    step("raw_html: sanitize", set_raw_html(&root, "sanitize"));
    let legacy = root.join("guides/legacy.md");
    let text = std::fs::read_to_string(&legacy).unwrap();
    std::fs::write(
        &legacy,
        text.replace("<sup>1</sup>", "<sup onclick=\"x()\">one</sup>"),
    )
    .unwrap();
    step("an edit of raw HTML", legacy);
    step("raw_html: escape", set_raw_html(&root, "escape"));
    step("raw_html: allow", set_raw_html(&root, "allow"));
    let page = live
        .publish()
        .file("guides/legacy/index.html")
        .expect("the page");
    let page = String::from_utf8_lossy(&page);
    assert!(page.contains("<sup onclick=\"x()\">one</sup>"), "{page}");
}

fn set_raw_html(root: &Path, raw_html: &str) -> PathBuf {
    let config = root.join("community.yaml");
    std::fs::write(&config, format!("title: Legacy\nraw_html: {raw_html}\n")).unwrap();
    config
}

#[test]
fn without_the_setting_raw_html_is_published_as_written() {
    let fixture = Fixture::with_config("title: Legacy\n");
    fixture.write("guides/legacy.md", &common::doc("title: Legacy", LEGACY));
    fixture.write("static/guides/x", "");
    fixture.write("guides/other.md", &common::doc("title: Other", "Other.\n"));
    let page = built_page(&fixture);
    assert!(page.contains("<script>alert(1)</script>"), "{page}");
}
