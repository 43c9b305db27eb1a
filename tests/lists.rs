//! Long lists: sections and the member directory are cut into numbered
//! pages, linked to each other and listed in the sitemap; other lists are
//! bounded, and link to the filtered section; each section has its list
//! for the filters.

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
                // The first practice is much cited.
                if (1..=30).contains(&i) { "See [[practice-000]].\n" } else { "Some text.\n" },
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

#[test]
fn a_topic_page_shows_a_page_of_each_group_and_links_to_the_filtered_section() {
    let site = built();
    let topic = site.page("tags/topic-1/index.html");
    // 130 practices over 4 topics: 33 on topic-1.
    assert_eq!(
        topic.matches("class=\"card card-practice\"").count(),
        PAGE_SIZE
    );
    assert!(topic.contains("<span class=\"count\">33</span>"));
    assert!(topic.contains(
        "<a href=\"../../practices/index.html#topic=topic-1\">All 33 practices on Topic 1</a>"
    ));
    // Every member knows topic-1: a page of them, and the filtered directory.
    assert!(
        topic.contains("<a href=\"../../members/index.html#topic=topic-1\">All 45 who know it</a>")
    );
    let experts =
        &topic[topic.find("experts-heading").unwrap()..topic.find("mentors-heading").unwrap()];
    assert_eq!(experts.matches("<li>").count(), PAGE_SIZE);
}

#[test]
fn referenced_by_lists_the_newest_of_many_and_counts_the_rest() {
    let site = built();
    let cited = site.page("practices/practice-000/index.html");
    let section = &cited[cited.find("backlinks-heading").unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    assert_eq!(section.matches("<li>").count(), PAGE_SIZE);
    assert!(section.contains("And 10 more."), "{section}");
    // Newest first: practice 030 is dated later in the year than 001.
    assert!(section.contains(">Practice 030<") && !section.contains(">Practice 001<"));
}

/// The section's list, as the filters read it.
fn list(site: &Fixture, section: &str) -> serde_json::Value {
    let script = site.page(&format!("{section}/list.js"));
    let prefix = format!("(window.practicaLists = window.practicaLists || {{}})[\"{section}\"] = ");
    let json = script.strip_prefix(&prefix).expect("the list's assignment");
    serde_json::from_str(json.trim_end().trim_end_matches(';')).expect("JSON")
}

#[test]
fn each_section_has_its_whole_list_for_the_filters() {
    let site = built();
    let practices = list(&site, "practices");
    let items = practices["items"].as_array().unwrap();
    assert_eq!(items.len(), PRACTICES, "every practice, not one page");
    let topics = practices["topics"].as_array().unwrap();
    assert_eq!(topics[1], serde_json::json!(["topic-1", "Topic 1"]));
    let first = &items[0];
    // Newest first, as the pages: practice 129 is dated 2025-05-18.
    assert_eq!(first[0], "Practice 129");
    assert_eq!(first[1], "practices/practice-129/index.html");
    assert_eq!(first[3], "2025-05-18");
    assert_eq!(first[5], "emerging");
    assert_eq!(first[6], serde_json::json!([1]));
    let members = list(&site, "members");
    let member = &members["items"][0];
    assert_eq!(member[0], "Member 000");
    assert_eq!(member[6], serde_json::json!([0]));
    // The pages load it, and the script that reads it.
    let page = site.page("practices/page/2/index.html");
    assert!(page.contains("data-list=\"../../../practices/list.js\""));
    assert!(page.contains("<script src=\"../../../assets/lists.js\" defer></script>"));
    assert!(site.out().join("assets/lists.js").is_file());
}

/// The pages' weight, at a scale a test can build: with 20 a page, no list
/// page grows with its list (before pages, /practices/ here listed all 130
/// cards; at 10,000 documents it was 2 MB: `bench/page_weight.py` checks
/// that scale).
#[test]
fn no_list_page_grows_with_its_list() {
    let site = built();
    let weight = |path: &str| site.page(path).len();
    for page in [
        "practices/index.html",
        "practices/page/7/index.html",
        "members/index.html",
        "tags/topic-1/index.html",
        "practices/practice-000/index.html",
        "index.html",
    ] {
        assert!(weight(page) < 25_000, "{page}: {} bytes", weight(page));
    }
}
