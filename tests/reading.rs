//! What readers see of a page's state (issue 20): overdue reviews, summaries
//! that do not repeat the body, starter text that does not go live unnoticed.

mod common;

use common::{Fixture, doc, messages};
use practica::diagnostic::Check;

fn built_on(f: &Fixture, today: jiff::civil::Date) -> practica::BuildReport {
    f.build_with(|o| o.today = Some(today))
}

fn reviewed(review_by: &str) -> Fixture {
    let f = Fixture::new();
    f.write(
        "practices/handover.md",
        &doc(
            &format!("title: Handover\nsummary: Hand food over cold.\nreview_by: {review_by}"),
            "Check the probe.\n",
        ),
    );
    f
}

#[test]
fn an_overdue_review_says_so_on_the_page() {
    let f = reviewed("2026-12-01");
    let report = built_on(&f, jiff::civil::date(2026, 12, 5));
    assert!(report.written, "{:?}", messages(&report));
    let page = f.page("practices/handover/index.html");
    assert!(
        page.contains(
            "<strong>Review overdue</strong> since <time datetime=\"2026-12-01\">1 December 2026</time>"
        ),
        "a notice under the title: {page}"
    );
    assert!(
        page.contains("Review overdue since <time datetime=\"2026-12-01\">1 December 2026</time>.")
    );
    assert!(!page.contains("Next review"), "{page}");
}

#[test]
fn an_overdue_review_is_a_warning_at_its_date_in_check() {
    let f = reviewed("2026-12-01");
    let report = built_on(&f, jiff::civil::date(2026, 12, 5));
    assert_eq!(
        messages(&report),
        vec!["practices/handover.md:4:12: warning: the review due on 2026-12-01 is overdue (4 days ago)\n  hint: review the document and move `review_by` on; until then its page says the review is overdue".to_string()],
    );
    assert_eq!(
        report.diagnostics.iter().next().and_then(|d| d.check),
        Some(Check::OverdueReviews)
    );
    assert!(report.written, "a warning does not stop the build");
    let on_the_day = built_on(&f, jiff::civil::date(2026, 12, 1));
    assert!(
        messages(&on_the_day).is_empty(),
        "due today is not overdue yet"
    );
}

#[test]
fn a_draft_s_overdue_review_is_not_reported_and_severity_can_turn_it_off_or_up() {
    let f = reviewed("2020-01-01");
    f.write(
        "guides/draft.md",
        &doc("title: D\ndraft: true\nreview_by: 2020-01-01", "Text.\n"),
    );
    f.write(
        "community.yaml",
        "title: T\nseverity:\n  overdue_reviews: off\n",
    );
    assert!(messages(&f.build()).is_empty());
    f.write(
        "community.yaml",
        "title: T\nseverity:\n  overdue_reviews: error\n",
    );
    let report = f.build();
    let found = messages(&report);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("practices/handover.md:4:12: error: the review due on 2020-01-01")
    );
    assert!(!report.written, "a community may make it an error");
}

#[test]
fn a_review_not_yet_due_reads_as_the_next_one() {
    let f = reviewed("2026-12-01");
    built_on(&f, jiff::civil::date(2026, 12, 1));
    let page = f.page("practices/handover/index.html");
    assert!(page.contains("Next review: <time datetime=\"2026-12-01\">1 December 2026</time>"));
    assert!(!page.contains("overdue"), "due today is not overdue yet");
}

#[test]
fn a_toolkit_with_an_overdue_review_says_so() {
    let f = Fixture::new();
    f.write("practices/a.md", &doc("title: A", "Text.\n"));
    f.write(
        "toolkits/kit.md",
        &doc(
            "title: Kit\nreview_by: 2026-01-01\nitems: [a]",
            "About the kit.\n",
        ),
    );
    built_on(&f, jiff::civil::date(2026, 12, 5));
    let page = f.page("toolkits/kit/index.html");
    assert!(page.contains("<dt>Review overdue since</dt>"), "{page}");
}

#[test]
fn an_empty_summary_does_not_repeat_the_first_paragraph() {
    let f = Fixture::new();
    f.write(
        "practices/handover.md",
        &doc(
            "title: Handover\nsummary: \"\"",
            "A two-minute check at every handover.\n\n## Steps\n\nProbe it.\n",
        ),
    );
    let report = f.build();
    assert!(report.written, "{:?}", messages(&report));
    let page = f.page("practices/handover/index.html");
    let main = page.split("<main").nth(1).unwrap();
    assert_eq!(
        main.matches("A two-minute check at every handover.")
            .count(),
        1,
        "once, in the body: {main}"
    );
    assert!(!page.contains("class=\"lead\""), "{page}");
    assert!(
        page.contains(
            "<meta name=\"description\" content=\"A two-minute check at every handover.\">"
        ),
        "the first paragraph still describes the page to search engines"
    );
}

#[test]
fn starter_text_from_practica_new_is_a_warning_at_its_line() {
    for (kind, path) in [
        ("practice", "practices/peer-review.md"),
        ("guide", "guides/peer-review.md"),
        ("case-study", "case-studies/peer-review.md"),
        ("member", "members/peer-review.md"),
    ] {
        let f = Fixture::new();
        let out = f.cli(&["new", kind, "Peer review"]);
        assert_eq!(out.status.code(), Some(0), "{kind}");
        let report = f.build();
        let starter: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.check == Some(Check::StarterText))
            .map(|d| d.to_string())
            .collect();
        assert!(
            starter
                .iter()
                .any(|m| m.contains("placeholder text from `practica new`")),
            "{kind}: {starter:?}"
        );
        assert!(
            starter.iter().all(|m| m.starts_with(&format!("{path}:"))),
            "each at its file and line: {starter:?}"
        );
        if kind != "member" {
            assert!(
                starter
                    .iter()
                    .any(|m| m.contains("from `practica new` is still empty")),
                "{kind}: {starter:?}"
            );
        }
        assert!(report.written, "warnings only: the site is still written");
    }
}

#[test]
fn written_sections_and_own_words_raise_no_starter_warning() {
    let f = Fixture::new();
    f.write(
        "guides/g.md",
        &doc(
            "title: G",
            "For new drivers.\n\n## Before you start\n\nBring a probe.\n\n## Steps\n\n### Arrive\n\nSay hello.\n\n## If something goes wrong\n\n1. Call the hub.\n",
        ),
    );
    let report = f.build();
    assert!(report.diagnostics.is_empty(), "{:?}", messages(&report));
}

#[test]
fn starter_text_line_and_severity() {
    let f = Fixture::with_config("title: T\nseverity:\n  starter_text: error\n");
    f.write(
        "guides/g.md",
        &doc(
            "title: G",
            "Our own intro.\n\n## Steps\n\n1. \n\n## If something goes wrong\n\nCall us.\n",
        ),
    );
    let report = f.build();
    let found = messages(&report);
    assert_eq!(
        found,
        vec!["guides/g.md:6:1: error: the section `## Steps` from `practica new` is still empty\n  hint: write the section, or delete its heading".to_string()],
    );
    assert!(!report.written, "a community may make it an error");
}

#[test]
fn a_community_favicon_replaces_the_theme_s() {
    let f = Fixture::new();
    let own = "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\"/></svg>";
    f.write("static/assets/favicon.svg", own);
    f.write("practices/a.md", &doc("title: A", "Text.\n"));
    let report = f.build();
    assert!(report.written, "{:?}", messages(&report));
    assert_eq!(f.page("assets/favicon.svg"), own);
    assert!(
        f.page("practices/a/index.html").contains(
            "<link rel=\"icon\" href=\"../../assets/favicon.svg\" type=\"image/svg+xml\">"
        )
    );
    let other = Fixture::new();
    other.write("practices/a.md", &doc("title: A", "Text.\n"));
    other.build();
    assert!(
        other.page("assets/favicon.svg").starts_with("<svg"),
        "without one, the theme's"
    );
    assert_ne!(other.page("assets/favicon.svg"), own);
}

fn description_of(page: &str) -> &str {
    page.split("<meta name=\"description\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
}

#[test]
fn no_page_has_an_empty_meta_description() {
    let f = Fixture::with_config(
        "title: Test Commons\ntags:\n  - slug: cold-chain\n    title: Cold chain\n",
    );
    f.write(
        "members/ann.md",
        &doc(
            "title: Ann Lee\nexpertise: [cold-chain]",
            "## Profile\n\n- Drives.\n",
        ),
    );
    f.write(
        "practices/handover.md",
        &doc(
            "title: Handover\ntags: [cold-chain]\nauthors: [ann]",
            "## Steps\n\n- Probe it.\n",
        ),
    );
    f.write("guides/bare.md", &doc("title: Bare", ""));
    let report = f.build();
    assert!(report.written, "{:?}", messages(&report));
    assert_eq!(
        description_of(&f.page("practices/handover/index.html")),
        "A practice in Test Commons on Cold chain by Ann Lee."
    );
    assert_eq!(
        description_of(&f.page("members/ann/index.html")),
        "Ann Lee, a member of Test Commons who knows Cold chain."
    );
    assert_eq!(
        description_of(&f.page("guides/bare/index.html")),
        "A guide in Test Commons."
    );
    for page in [
        "index.html",
        "practices/index.html",
        "search/index.html",
        "tags/index.html",
        "members/index.html",
        "404.html",
    ] {
        assert!(!description_of(&f.page(page)).is_empty(), "{page}");
    }
}

#[test]
fn the_search_page_names_its_two_search_landmarks() {
    let f = Fixture::new();
    f.write("practices/a.md", &doc("title: A", "Text.\n"));
    f.build();
    let page = f.page("search/index.html");
    assert!(
        page.contains("role=\"search\" aria-label=\"Site\""),
        "the header's"
    );
    assert!(
        page.contains("role=\"search\" aria-label=\"Search with filters\""),
        "the page's own"
    );
}

#[test]
fn github_alerts_render_as_callouts_with_an_icon_and_a_name() {
    let f = Fixture::new();
    let kinds = [
        ("NOTE", "note", "Note"),
        ("TIP", "tip", "Tip"),
        ("IMPORTANT", "important", "Important"),
        ("WARNING", "warning", "Warning"),
        ("CAUTION", "caution", "Caution"),
    ];
    let body: String = kinds
        .iter()
        .map(|(marker, _, _)| format!("> [!{marker}]\n> Text of {marker}.\n\n"))
        .collect::<String>()
        + "> An ordinary quote.\n";
    f.write("guides/g.md", &doc("title: G", &body));
    let report = f.build();
    assert!(report.written, "{:?}", messages(&report));
    let page = f.page("guides/g/index.html");
    for (marker, class, label) in kinds {
        let callout = format!(
            "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\"><svg class=\"callout-icon\""
        );
        let at = page
            .find(&callout)
            .unwrap_or_else(|| panic!("{marker}: {page}"));
        let rest = &page[at..];
        assert!(
            rest.contains("aria-hidden=\"true\">")
                && rest.contains(&format!(
                    "</svg>{label}</p>\n<p>Text of {marker}.</p>\n</div>"
                )),
            "{marker}: {rest}"
        );
        assert!(
            !page.contains(&format!("[!{marker}]")),
            "the marker is not shown"
        );
    }
    assert!(
        page.contains("<blockquote>\n<p>An ordinary quote.</p>\n</blockquote>"),
        "a plain quote stays a quote"
    );
}

fn structured_data(page: &str) -> serde_json::Value {
    let json = page
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .unwrap_or_else(|| panic!("no JSON-LD: {page}"));
    serde_json::from_str(json).unwrap()
}

#[test]
fn shared_links_get_open_graph_tags_and_structured_data() {
    let f = Fixture::with_config(
        "title: Test Commons\ndescription: Rescue food.\nbase_url: https://commons.example.org\ntags:\n  - slug: cold-chain\n    title: Cold chain\n",
    );
    f.write(
        "members/ann.md",
        &doc(
            "title: Ann Lee\nrole: Coordinator\norganization: Hub\nexpertise: [cold-chain]",
            "Drives.\n",
        ),
    );
    f.write(
        "practices/handover.md",
        &doc(
            "title: \"Handover </script><b>\"\nsummary: Hand food over cold.\ntags: [cold-chain]\nauthors: [ann]\ndate: 2024-05-01",
            "Probe it.\n",
        ),
    );
    let report = f.build();
    assert!(report.written, "{:?}", messages(&report));
    let page = f.page("practices/handover/index.html");
    for tag in [
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:title\" content=\"Handover &lt;/script&gt;&lt;b&gt;\">",
        "<meta property=\"og:description\" content=\"Hand food over cold.\">",
        "<meta property=\"og:url\" content=\"https://commons.example.org/practices/handover/\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
    ] {
        assert!(page.contains(tag), "{tag}: {page}");
    }
    let article = structured_data(&page);
    assert_eq!(article["@type"], "Article");
    assert_eq!(
        article["headline"], "Handover </script><b>",
        "escaped, not cut"
    );
    assert_eq!(article["author"][0]["name"], "Ann Lee");
    assert_eq!(article["datePublished"], "2024-05-01");
    assert_eq!(article["keywords"][0], "Cold chain");
    assert_eq!(
        article["url"],
        "https://commons.example.org/practices/handover/"
    );
    let person = structured_data(&f.page("members/ann/index.html"));
    assert_eq!(person["@type"], "Person");
    assert_eq!(person["name"], "Ann Lee");
    assert_eq!(person["jobTitle"], "Coordinator");
    assert_eq!(person["worksFor"]["name"], "Hub");
    assert_eq!(person["knowsAbout"][0], "Cold chain");
    let home = f.page("index.html");
    assert!(home.contains("<meta property=\"og:title\" content=\"Test Commons\">"));
    assert!(home.contains("<meta property=\"og:description\" content=\"Rescue food.\">"));
    assert!(!home.contains("ld+json"), "the home page is no article");
}

#[test]
fn footnotes_link_back_to_where_they_are_cited() {
    let f = Fixture::new();
    f.write(
        "guides/g.md",
        &doc(
            "title: G",
            "Weighed[^kg] and counted[^n], weighed again[^kg].\n\n[^kg]: In kilograms.\n[^n]: Meals.\n[^unused]: Never cited.\n",
        ),
    );
    let report = f.build();
    assert!(report.written, "{:?}", messages(&report));
    let page = f.page("guides/g/index.html");
    assert_eq!(
        page.matches("id=\"fnref-kg\"").count(),
        1,
        "one id, on the first reference: {page}"
    );
    assert!(
        page.contains(
            "<sup class=\"footnote-reference\" id=\"fnref-kg\"><a href=\"#kg\">1</a></sup>"
        )
    );
    assert!(
        page.contains(
            "<sup class=\"footnote-reference\" id=\"fnref-n\"><a href=\"#n\">2</a></sup>"
        )
    );
    assert!(
        page.contains("<sup class=\"footnote-reference\"><a href=\"#kg\">1</a></sup>"),
        "the second citation"
    );
    assert!(page.contains(
        "<a class=\"footnote-backref\" href=\"#fnref-kg\" aria-label=\"Back to reference 1\">↩</a></div>"
    ));
    assert!(page.contains("href=\"#fnref-n\""));
    assert!(
        !page.contains("#fnref-unused"),
        "a note cited nowhere has nowhere to go back to"
    );
    assert!(page.contains("id=\"unused\"><sup class=\"footnote-definition-label\">3</sup>"));
}

#[test]
fn bare_addresses_in_text_become_links_as_on_github() {
    let f = Fixture::new();
    f.write(
        "practices/a.md",
        &doc(
            "title: A\nsummary: S",
            "See https://example.org/a_b_c. and www.foodbank.org.uk, or ann@example.org \
             (https://en.wikipedia.org/wiki/Foo_(bar)).\n\n\
             Not [https://x.org](https://y.org), `https://code.org`, \
             <a href=\"https://z.org\">https://z.org</a>, index.html or Node.js.\n\n\
             ```\nhttps://block.org\n```\n\n| a |\n|---|\n| https://cell.org |\n",
        ),
    );
    let report = f.build();
    assert!(messages(&report).is_empty(), "{:?}", messages(&report));
    let page = f.page("practices/a/index.html");
    for link in [
        r#"<a href="https://example.org/a_b_c">https://example.org/a_b_c</a>. and"#,
        r#"<a href="http://www.foodbank.org.uk">www.foodbank.org.uk</a>,"#,
        r#"<a href="mailto:ann@example.org">ann@example.org</a>"#,
        r#"(<a href="https://en.wikipedia.org/wiki/Foo_(bar)">https://en.wikipedia.org/wiki/Foo_(bar)</a>)."#,
        r#"<td><a href="https://cell.org">https://cell.org</a></td>"#,
    ] {
        assert!(page.contains(link), "{link} in {page}");
    }
    for left in [
        r#"<a href="https://y.org">https://x.org</a>,"#,
        "<code>https://code.org</code>",
        r#"<a href="https://z.org">https://z.org</a>,"#,
        "index.html or Node.js.",
        "<pre><code>https://block.org\n</code></pre>",
    ] {
        assert!(page.contains(left), "{left} left as it was in {page}");
    }
}

#[test]
fn a_scheme_with_no_address_stays_text() {
    let f = Fixture::new();
    f.write(
        "practices/a.md",
        &doc(
            "title: A",
            "Intro.\n\nOur notes: https://\n\nGo to www.x.org\n",
        ),
    );
    let report = f.build();
    assert!(messages(&report).is_empty(), "{:?}", messages(&report));
    let page = f.page("practices/a/index.html");
    assert!(
        page.contains("Our notes: https://</p>"),
        "not an address: {page}"
    );
    assert!(
        page.contains(r#"Go to <a href="http://www.x.org">www.x.org</a></p>"#),
        "{page}"
    );
}

#[test]
fn a_document_links_to_the_newer_and_older_ones_of_its_section_in_its_list_order() {
    let f = Fixture::new();
    for (slug, date) in [
        ("old", "2024-01-01"),
        ("mid", "2025-01-01"),
        ("new", "2026-01-01"),
    ] {
        f.write(
            &format!("practices/{slug}.md"),
            &doc(
                &format!("title: {slug} one\ndate: {date}\nupdated: {date}"),
                "Text.\n",
            ),
        );
    }
    f.write(
        "guides/alone.md",
        &doc("title: Alone\ndate: 2025-06-01", "Text.\n"),
    );
    f.write("members/ann.md", &common::member("Ann", ""));
    f.write("members/bob.md", &common::member("Bob", ""));
    let report = f.build();
    assert!(report.written, "{:?}", messages(&report));
    let steps = |path: &str| {
        let page = f.page(path);
        page.find("<nav class=\"section-steps\"")
            .map(|at| page[at..at + page[at..].find("</nav>").unwrap()].to_string())
    };
    let mid = steps("practices/mid/index.html").expect("a middle practice has both");
    assert!(
        mid.contains("aria-label=\"Practices: newer and older\""),
        "{mid}"
    );
    assert!(
        mid.contains(r#"<a href="../../practices/new/index.html"><span class="step-label">Newer</span> new one</a>"#),
        "{mid}"
    );
    assert!(
        mid.contains(r#"<a href="../../practices/old/index.html"><span class="step-label">Older</span> old one</a>"#),
        "{mid}"
    );
    let newest = steps("practices/new/index.html").expect("the newest has an older one");
    assert!(
        !newest.contains("Newer") && newest.contains("mid one"),
        "{newest}"
    );
    assert!(
        steps("guides/alone/index.html").is_none(),
        "a section of one has no steps"
    );
    assert!(
        steps("members/ann/index.html").is_none(),
        "members are not read in sequence"
    );
}

#[test]
fn a_document_s_image_is_its_shared_links_picture_and_is_checked_like_a_link() {
    let f = Fixture::with_config("title: T\nbase_url: https://commons.example.org\n");
    f.write_bytes("static/images/crates.jpg", b"\xff\xd8\xff");
    f.write(
        "practices/crates.md",
        &doc(
            "title: Crates\nimage: ../static/images/crates.jpg",
            "Text.\n",
        ),
    );
    f.write(
        "toolkits/kit.md",
        &doc(
            "title: Kit\nimage: https://cdn.example.org/kit.png\nitems: [crates]",
            "Text.\n",
        ),
    );
    f.write("guides/plain.md", &doc("title: Plain", "Text.\n"));
    let report = f.build();
    assert!(report.written, "{:?}", messages(&report));
    let page = f.page("practices/crates/index.html");
    assert!(
        page.contains(
            r#"<meta property="og:image" content="https://commons.example.org/images/crates.jpg">"#
        ),
        "{page}"
    );
    assert!(page.contains(r#"<meta name="twitter:card" content="summary_large_image">"#));
    assert_eq!(
        structured_data(&page)["image"],
        "https://commons.example.org/images/crates.jpg"
    );
    let kit = f.page("toolkits/kit/index.html");
    assert!(
        kit.contains(r#"<meta property="og:image" content="https://cdn.example.org/kit.png">"#),
        "a toolkit's page has a document's tags too: {kit}"
    );
    let plain = f.page("guides/plain/index.html");
    assert!(!plain.contains("og:image") && plain.contains(r#"content="summary">"#));

    // As the web editor writes an upload: by its path on the site.
    f.write_bytes("static/images/uploads/hall.png", b"\x89PNG");
    f.write(
        "guides/plain.md",
        &doc("title: Plain\nimage: /images/uploads/hall.png", "Text.\n"),
    );
    let report = f.build();
    assert!(report.written, "{:?}", messages(&report));
    assert!(f.page("guides/plain/index.html").contains(
        r#"<meta property="og:image" content="https://commons.example.org/images/uploads/hall.png">"#
    ));

    f.write("community.yaml", "title: T\n");
    f.build();
    let page = f.page("practices/crates/index.html");
    assert!(
        !page.contains("og:image"),
        "without base_url no address a crawler can fetch is known"
    );

    f.write(
        "practices/crates.md",
        &doc(
            "title: Crates\nimage: ../static/images/crate.jpg",
            "Text.\n",
        ),
    );
    f.write(
        "guides/plain.md",
        &doc("title: Plain\nimage: ../practices/crates.md", "Text.\n"),
    );
    let report = f.build();
    assert_eq!(
        messages(&report),
        vec![
            "guides/plain.md:3:8: error: `image` `../practices/crates.md` is a page, not a picture\n  hint: give a picture's file under static/, like `../static/images/crates.jpg`".to_string(),
            "practices/crates.md:3:8: error: `../static/images/crate.jpg` is not a file under static/\n  hint: did you mean `../static/images/crates.jpg`?".to_string(),
        ]
    );
}

/// What a reader downloads for a page: its HTML and the stylesheets and
/// scripts it names (relative addresses into the site), uncompressed.
fn page_weight(out: &std::path::Path, page: &str) -> usize {
    let html = std::fs::read_to_string(out.join(page)).unwrap();
    let folder = out.join(page).parent().unwrap().to_path_buf();
    let mut total = html.len();
    for attribute in ["<link rel=\"stylesheet\" href=\"", "<script src=\""] {
        for rest in html.split(attribute).skip(1) {
            let address = &rest[..rest.find('"').unwrap()];
            let file = folder.join(address);
            total += std::fs::metadata(&file)
                .unwrap_or_else(|_| panic!("{page} names {address}, not in the site"))
                .len() as usize;
        }
    }
    total
}

#[test]
fn the_example_s_home_and_practice_pages_weigh_under_100_kb_each() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let report = practica::build(&practica::BuildOptions {
        output: Some(out.clone()),
        ..practica::BuildOptions::new(common::example())
    });
    assert!(report.written, "{:?}", messages(&report));
    let mut pages = vec!["index.html".to_string()];
    for entry in std::fs::read_dir(out.join("practices")).unwrap() {
        let entry = entry.unwrap();
        if entry.path().join("index.html").exists() && entry.file_name() != "page" {
            pages.push(format!(
                "practices/{}/index.html",
                entry.file_name().to_string_lossy()
            ));
        }
    }
    assert!(pages.len() > 10, "{pages:?}");
    for page in pages {
        let weight = page_weight(&out, &page);
        assert!(
            weight < 100_000,
            "{page} weighs {weight} bytes with its CSS and JS"
        );
    }
}

#[test]
fn the_community_s_image_is_the_picture_of_pages_without_their_own() {
    let f = Fixture::with_config(
        "title: T\nbase_url: https://commons.example.org\nimage: images/social.png\n",
    );
    f.write_bytes("static/images/social.png", b"\x89PNG");
    f.write_bytes("static/images/crates.jpg", b"\xff\xd8\xff");
    f.write(
        "practices/crates.md",
        &doc(
            "title: Crates\nimage: ../static/images/crates.jpg",
            "Text.\n",
        ),
    );
    f.write("guides/plain.md", &doc("title: Plain", "Text.\n"));
    let report = f.build();
    assert!(report.written, "{:?}", messages(&report));
    let social =
        r#"<meta property="og:image" content="https://commons.example.org/images/social.png">"#;
    for page in ["index.html", "guides/plain/index.html", "tags/index.html"] {
        let html = f.page(page);
        assert!(html.contains(social), "{page}: {html}");
        assert!(html.contains(r#"content="summary_large_image">"#), "{page}");
    }
    let own = f.page("practices/crates/index.html");
    assert!(own.contains("https://commons.example.org/images/crates.jpg") && !own.contains(social));

    f.write("community.yaml", "title: T\nimage: images/gone.png\n");
    let report = f.build();
    assert_eq!(
        messages(&report),
        vec!["community.yaml:2:1: error: `image` names static/images/gone.png, which is not a file\n  hint: put the image in static/ and write its path there, like `image: images/social.png`".to_string()]
    );
}

/// A merge once left a media query open, and every rule after it (the
/// insights charts) applied only on phones; no browser test looks at CSS.
#[test]
fn the_theme_s_stylesheet_closes_every_block_it_opens() {
    let css = include_str!("../themes/default/static/style.css");
    let mut depth = 0i32;
    let mut in_comment = false;
    let bytes = css.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match (in_comment, bytes[i], bytes.get(i + 1)) {
            (false, b'/', Some(b'*')) => (in_comment, i) = (true, i + 1),
            (true, b'*', Some(b'/')) => (in_comment, i) = (false, i + 1),
            (false, b'{', _) => depth += 1,
            (false, b'}', _) => {
                depth -= 1;
                let line = css[..i].matches('\n').count() + 1;
                assert!(depth >= 0, "style.css:{line}: a `}}` closes nothing");
            }
            _ => {}
        }
        i += 1;
    }
    assert_eq!(depth, 0, "style.css leaves {depth} block(s) open");
}

#[test]
fn callouts_tasks_and_footnotes_speak_the_community_s_language() {
    let body =
        "> [!WARNING]\n> Cold.\n\n- [x] Probe\n- [ ] Log\n\nSee this.[^1]\n\n[^1]: A note.\n";
    let english = Fixture::new();
    english.write("guides/g.md", &doc("title: G", body));
    assert!(english.build().written);
    let page = english.page("guides/g/index.html");
    assert!(page.contains("</svg>Warning</p>"), "{page}");
    assert!(page.contains(r#"aria-label="done">"#) && page.contains(r#"aria-label="not done">"#));
    assert!(
        page.contains(r#"aria-label="Back to reference 1">"#),
        "{page}"
    );

    let german = Fixture::with_config("title: T\nlanguage: de\nlabels:\n  task_done: abgehakt\n");
    german.write("guides/g.md", &doc("title: G", body));
    let report = german.build();
    assert!(report.written, "{:?}", messages(&report));
    let page = german.page("guides/g/index.html");
    assert!(page.contains("</svg>Warnung</p>"), "{page}");
    assert!(
        page.contains(r#"aria-label="abgehakt">"#) && page.contains(r#"aria-label="offen">"#),
        "{page}"
    );
    assert!(
        page.contains(r#"aria-label="Zurück zu Verweis 1">"#),
        "{page}"
    );
    for english in ["Warning", "not done", "Back to reference"] {
        assert!(!page.contains(english), "{english} left in {page}");
    }
}
