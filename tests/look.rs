//! The community's own look (`logo`, `footer_links`, `accent` in
//! community.yaml), built for real: what pages show, and each mistake
//! reported where it is written.

mod common;

use common::{Fixture, doc, find};
use practica::Severity;

const PRACTICE: &str = "practices/handover.md";

fn branded(settings: &str) -> Fixture {
    let f = Fixture::with_config(&format!("title: Harbour Commons\n{settings}"));
    f.write(PRACTICE, &doc("title: Handover", "Pass the keys.\n"));
    f.write(
        "static/images/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    f
}

#[test]
fn logo_footer_links_and_accent_reach_every_page() {
    let f = branded(
        "logo: images/logo.svg\naccent: {light: \"#1d5fa8\", dark: \"#8ab4f8\"}\nfooter_links:\n  - text: Handover\n    url: practices/handover.md\n  - text: Conduct\n    url: files/conduct.pdf\n  - text: Topics\n    url: tags/\n  - text: Chat\n    url: https://chat.example.org/\n",
    );
    f.write("static/files/conduct.pdf", "%PDF-1.4\n");
    let report = f.build();
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    let page = f.page("practices/handover/index.html");
    assert!(
        page.contains(
            r#"<img class="logo" src="../../images/logo.svg" alt="Harbour Commons" height="28">"#
        ),
        "{page}"
    );
    assert!(page.contains(r#"<a href="../../practices/handover/index.html">Handover</a>"#));
    assert!(page.contains(r#"<a href="../../files/conduct.pdf">Conduct</a>"#));
    // a folder names its index.html, as every link does without pretty_links
    assert!(page.contains(r#"<a href="../../tags/index.html">Topics</a>"#));
    assert!(page.contains(r#"<a href="https://chat.example.org/">Chat</a>"#));
    // each readable on its scheme: used as written
    assert!(
        page.contains(":root{--accent:light-dark(#1d5fa8,#8ab4f8);--link:var(--accent);"),
        "{page}"
    );
    assert!(f.out().join("images/logo.svg").is_file());
    let home = f.page("index.html");
    assert!(
        home.contains(r#"src="./images/logo.svg""#) || home.contains(r#"src="images/logo.svg""#),
        "{home}"
    );
}

#[test]
fn a_faint_accent_warns_and_each_scheme_gets_a_readable_variant() {
    let f = branded("accent: \"#d4a017\"\n");
    let report = f.build();
    assert!(report.written);
    let d = find(&report, "under the 4.5:1 WCAG AA");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.path(), Some("community.yaml"));
    assert_eq!(d.span().map(|s| (s.line, s.col)), Some((2, 10)));
    assert!(
        d.message.contains("light scheme uses #8c6a0f"),
        "{}",
        d.message
    );
    assert!(d.hint.as_deref().unwrap_or_default().contains("dark:"));
    let page = f.page("index.html");
    // darkened for light; bright enough on the dark background as written
    assert!(
        page.contains(":root{--accent:light-dark(#8c6a0f,#d4a017);"),
        "{page}"
    );
    // a scheme of its own for each, both readable: no word
    let f = branded("accent: {light: \"#8c6a0f\", dark: \"#d4a017\"}\n");
    assert!(f.build().diagnostics.is_empty());
}

#[test]
fn each_mistake_is_reported_where_it_is_written() {
    for (settings, needle, line, column) in [
        (
            "logo: images/missing.svg\n",
            "static/images/missing.svg, which is not a file",
            2,
            1,
        ),
        (
            "logo: ../secrets.png\n",
            "is not a path inside static/",
            2,
            1,
        ),
        ("accent: teal\n", "`accent` `teal` is not a colour", 2, 9),
        ("accent: \"#12345\"\n", "needs 3 or 6 hex digits", 2, 10),
        ("accent: [1, 2]\n", "`accent` should be a colour", 2, 1),
        (
            "footer_links:\n  - text: Chat\n",
            "needs both `text` and `url`",
            3,
            11,
        ),
        (
            "footer_links:\n  - text: A\n    url: a/\n  - txt: B\n    url: b/\n",
            "has `txt`",
            5,
            3,
        ),
        (
            "footer_links: https://x.org\n",
            "should be a list of links",
            2,
            1,
        ),
    ] {
        let f = branded(settings);
        let report = f.build();
        let d = find(&report, needle);
        assert_eq!(d.path(), Some("community.yaml"), "{settings}");
        assert_eq!(
            d.span().map(|s| (s.line, s.col)),
            Some((line, column)),
            "{settings}: {d}"
        );
        assert!(d.hint.is_some(), "{settings}");
    }
}
