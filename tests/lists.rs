//! Long lists: sections and the member directory are cut into numbered
//! pages, linked to each other and listed in the sitemap.

mod common;

use common::Fixture;

const PAGE_SIZE: usize = 20;
const PRACTICES: usize = 130;
const MEMBERS: usize = 45;

/// A community of a few hundred documents, with `page_size: 20` and a
/// `base_url`, so it has a sitemap.
fn community() -> Fixture {
    let fixture = Fixture::with_config(&format!(
        "title: Big Commons\nbase_url: https://big.example.org\npage_size: {PAGE_SIZE}\ngit_dates: false\n"
    ));
    for i in 0..PRACTICES {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        fixture.write(
            &format!("practices/practice-{i:03}.md"),
            &common::doc(
                &format!(
                    "title: Practice {i:03}\nupdated: 2025-{month:02}-{day:02}\ntags: [topic-{}]\nstatus: {}",
                    i % 4,
                    ["established", "emerging"][i % 2]
                ),
                "Some text.\n",
            ),
        );
    }
    for i in 0..MEMBERS {
        fixture.write(
            &format!("members/member-{i:03}.md"),
            &common::member(&format!("Member {i:03}"), "expertise: [topic-1]"),
        );
    }
    fixture
}

fn built() -> Fixture {
    let fixture = community();
    let report = fixture.build();
    assert!(report.written, "{:#?}", common::messages(&report));
    fixture
}

/// The `href` of the `<link rel="REL">` in a page's head, if any.
fn head_link(html: &str, rel: &str) -> Option<String> {
    let head = &html[..html.find("</head>").expect("a head")];
    let at = head.find(&format!("<link rel=\"{rel}\" href=\""))?;
    let rest = &head[at + rel.len() + 19..];
    Some(rest[..rest.find('"').unwrap()].to_string())
}

/// Titles of the practices a section page lists, in order.
fn listed(html: &str) -> Vec<String> {
    html.match_indices(">Practice ")
        .map(|(at, _)| html[at + 1..at + 13].to_string())
        .collect()
}

#[test]
fn a_section_is_cut_into_linked_pages_each_document_on_one() {
    let site = built();
    let pages = PRACTICES.div_ceil(PAGE_SIZE);
    let mut seen = Vec::new();
    for n in 1..=pages {
        let path = match n {
            1 => "practices/index.html".to_string(),
            n => format!("practices/page/{n}/index.html"),
        };
        let html = site.page(&path);
        let here = listed(&html);
        let expected = if n < pages {
            PAGE_SIZE
        } else {
            PRACTICES - PAGE_SIZE * (pages - 1)
        };
        assert_eq!(here.len(), expected, "{path}");
        seen.extend(here);
        let prev = head_link(&html, "prev");
        let next = head_link(&html, "next");
        // Addresses go up to the site's root, as every link of the site does.
        let root = if n == 1 { "../" } else { "../../../" };
        let at = |n: usize| match n {
            1 => format!("{root}practices/index.html"),
            n => format!("{root}practices/page/{n}/index.html"),
        };
        assert_eq!(prev, (n > 1).then(|| at(n - 1)), "{path}");
        assert_eq!(next, (n < pages).then(|| at(n + 1)), "{path}");
        // The visible links: the current page marked, the last always there.
        assert!(
            html.contains(&format!("aria-current=\"page\">{n}</a>")),
            "{path}"
        );
        assert!(html.contains(&format!(">{pages}</a>")), "{path}");
        assert!(
            html.contains(&format!(
                "<title>Practices{} · Big Commons</title>",
                match n {
                    1 => String::new(),
                    n => format!(", page {n}"),
                }
            )),
            "{path}"
        );
    }
    // Every practice once, newest first across the pages.
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), PRACTICES);
    assert_eq!(seen.len(), PRACTICES);
    // Page 1 lives at the section's own address only.
    assert!(!site.out().join("practices/page/1").exists());
    assert!(
        !site
            .out()
            .join(format!("practices/page/{}", pages + 1))
            .exists()
    );
    assert_eq!(common::broken_links(&site.out()), Vec::<String>::new());
}

#[test]
fn the_member_directory_is_paginated_by_name_and_every_page_is_in_the_sitemap() {
    let site = built();
    let first = site.page("members/index.html");
    assert!(first.contains(">Member 000<") && first.contains(">Member 019<"));
    assert!(!first.contains(">Member 020<"));
    let third = site.page("members/page/3/index.html");
    assert!(third.contains(">Member 040<") && third.contains(">Member 044<"));
    assert!(third.contains("41–45 on this page"), "{third}");
    assert_eq!(head_link(&third, "next"), None);

    let sitemap = site.page("sitemap.xml");
    for n in 2..=PRACTICES.div_ceil(PAGE_SIZE) {
        let loc = format!("<loc>https://big.example.org/practices/page/{n}/</loc>");
        assert!(sitemap.contains(&loc), "{loc}");
    }
    for loc in [
        "practices/",
        "members/",
        "members/page/2/",
        "members/page/3/",
    ] {
        let loc = format!("<loc>https://big.example.org/{loc}</loc>");
        assert!(sitemap.contains(&loc), "{loc}");
    }
    assert!(!sitemap.contains("page/1/"));
    assert!(!sitemap.contains("members/page/4/"));
}

#[test]
fn a_short_section_has_one_page_and_no_page_links() {
    let site = built();
    let guides = site.page("guides/index.html");
    assert!(!guides.contains("class=\"pagination\""));
    assert_eq!(head_link(&guides, "next"), None);
    assert!(!site.out().join("guides/page").exists());
}

#[test]
fn a_page_size_out_of_range_is_an_error_at_its_place() {
    for bad in ["0", "1000", "ten", "-3"] {
        let fixture = Fixture::with_config(&format!("title: T\npage_size: {bad}\n"));
        let report = fixture.build();
        let found = common::find(
            &report,
            "`page_size` should be a whole number from 5 to 200",
        );
        assert!(!report.written, "{bad}");
        assert_eq!(
            found.to_string().lines().next().unwrap().split(": ").next(),
            Some("community.yaml:2:1"),
            "{bad}: {found}"
        );
    }
    let fixture = Fixture::with_config("title: T\npage_size: 5\n");
    assert!(fixture.build().written);
}
