//! Small fixture communities: pages, links, cross-links and URLs.

mod common;

use common::{Fixture, broken_links, doc, member, messages};

fn community() -> Fixture {
    let f = Fixture::with_config(
        "title: Test Commons\ndescription: Rescue food.\nedit_url: https://git.example/edit/{path}\ntags:\n  - slug: cold-chain\n    title: Cold chain\n    description: Keeping food cold.\n  - slug: fridges\n    title: Community fridges\n  - slug: grants\n    title: Grant writing\n    parent: fridges\n",
    );
    f.write(
        "members/ann-lee.md",
        &member(
            "Ann Lee",
            "expertise: [cold-chain]\nmentor: true\nrole: Coordinator",
        ),
    );
    f.write(
        "members/bo-chan.md",
        &member(
            "Bo Chan",
            "expertise: cold-chain\nlearning: [grants, fridges]",
        ),
    );
    f.write(
        "practices/handover.md",
        &doc(
            "title: Cold chain handover\nsummary: Hand food over cold.\ntags: [cold-chain]\nauthors: [ann-lee]\nstatus: established\ndate: 2024-05-01\ntime_needed: 2 hours",
            "Intro.\n\n## The checklist\n\nSteps.\n\n## Why\n\nBecause.\n\n## More\n\nText.\n\nSee [the checklist](#the-checklist).\n",
        ),
    );
    f.write(
        "practices/sub/logging.md",
        &doc(
            "title: Temperature logging\ntags: cold-chain\nauthors: [bo-chan, ann-lee]\ndate: 2023-01-01",
            "Log it. Back to [[handover]].\n",
        ),
    );
    f.write(
        "case-studies/city-pantry.md",
        &doc(
            "title: City pantry\ntags: [cold-chain, fridges]\nauthors: [bo-chan]\npractices: [handover]\ndate: 2025-02-03",
            "We used [the handover](../practices/handover.md#the-checklist), \
             [[practices/logging]], [[handover|our handover]], [[ann-lee]] and [[?Allergen labels]].\n\n\
             ![Diagram](../static/img/d.svg) [log](../static/files/log.csv) [site](https://example.org/x)\n\n\
             Write to <steward@example.org>. [![Badge](../static/img/d.svg)](../practices/handover.md)\n",
        ),
    );
    f.write(
        "static/img/d.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    f.write("static/files/log.csv", "date,kg\n");
    f
}

fn built() -> Fixture {
    let f = community();
    let report = f.build();
    assert!(report.diagnostics.is_empty(), "{:#?}", messages(&report));
    f
}

#[test]
fn links_of_every_form_become_relative_site_urls() {
    let f = built();
    let page = f.page("case-studies/city-pantry/index.html");
    assert!(
        page.contains(
            r#"<a href="../../practices/handover/index.html#the-checklist">the handover</a>"#
        ),
        "{page}"
    );
    assert!(
        page.contains(r#"<a href="../../practices/logging/index.html">Temperature logging</a>"#)
    );
    assert!(page.contains(r#"<a href="../../practices/handover/index.html">our handover</a>"#));
    assert!(page.contains(r#"<a href="../../members/ann-lee/index.html">Ann Lee</a>"#));
    assert!(page.contains(
        r#"<span class="wanted" title="Wanted page: Allergen labels">Allergen labels</span>"#
    ));
    assert!(
        page.contains(r#"<img src="../../img/d.svg" alt="Diagram" />"#),
        "{page}"
    );
    assert!(page.contains(r#"<a href="../../files/log.csv">log</a>"#));
    assert!(page.contains(r#"<a href="https://example.org/x">site</a>"#));
    // An email autolink is kept as it is, and an image inside a link gets
    // both its own URL and the link's.
    assert!(
        page.contains(r#"<a href="mailto:steward@example.org">steward@example.org</a>"#),
        "{page}"
    );
    assert!(page.contains(
        r#"<a href="../../practices/handover/index.html"><img src="../../img/d.svg" alt="Badge" /></a>"#
    ));
    assert!(
        f.out().join("img/d.svg").is_file(),
        "static/ is copied as-is"
    );
    assert!(
        broken_links(&f.out()).is_empty(),
        "{:#?}",
        broken_links(&f.out())
    );
}

#[test]
fn same_page_anchors_headings_and_toc() {
    let f = built();
    let page = f.page("practices/handover/index.html");
    assert!(page.contains(r##"<a href="#the-checklist">the checklist</a>"##));
    assert!(page.contains(r#"<h2 id="the-checklist">The checklist"#));
    assert!(
        page.contains(r#"class="toc""#),
        "three headings get a table of contents"
    );
    let short = f.page("practices/logging/index.html");
    assert!(
        !short.contains(r#"class="toc""#),
        "short documents have none"
    );
}

#[test]
fn backlinks_authors_evidence_and_related() {
    let f = built();
    let practice = f.page("practices/handover/index.html");
    let evidence = practice
        .split("Evidence: where this practice is applied")
        .nth(1)
        .expect("evidence section");
    assert!(evidence.contains("case-studies/city-pantry/index.html"));
    let referenced = practice.split("Referenced by").nth(1).expect("backlinks");
    assert!(
        referenced.contains("practices/logging/index.html"),
        "logging links to handover"
    );
    assert!(practice.contains(r#"By <a href="../../members/ann-lee/index.html">Ann Lee</a>"#));
    assert!(
        !practice.contains("related-heading"),
        "documents already listed as evidence or backlinks are not repeated as related"
    );
    let logging = f.page("practices/logging/index.html");
    let related = logging
        .split("id=\"related-heading\"")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("related section");
    assert!(related.contains("Cold chain handover"), "shares a tag");
    assert!(!related.contains("City pantry"), "already a backlink");

    let ann = f.page("members/ann-lee/index.html");
    let contributions = ann.split("Contributions").nth(1).unwrap();
    assert!(
        contributions.contains("Cold chain handover")
            && contributions.contains("Temperature logging")
    );
    assert!(ann.contains("Mentor"));
    assert!(
        ann.split("Mentioned in")
            .nth(1)
            .unwrap()
            .contains("City pantry"),
        "wikilink to a member is a backlink"
    );

    let logging = f.page("practices/logging/index.html");
    assert!(logging.contains("No case studies cite this practice yet."));
}

#[test]
fn tag_pages_group_documents_and_people() {
    let f = built();
    let tag = f.page("tags/cold-chain/index.html");
    let practices = tag.find("Practices <span").unwrap();
    let cases = tag.find("Case studies <span").unwrap();
    assert!(practices < cases, "grouped by kind in section order");
    let experts = tag.split("Who knows it").nth(1).unwrap();
    assert!(experts.contains("Ann Lee") && experts.contains("Bo Chan"));
    let mentors = tag
        .split("Who mentors it")
        .nth(1)
        .unwrap()
        .split("Who wants")
        .next()
        .unwrap();
    assert!(mentors.contains("Ann Lee") && !mentors.contains("Bo Chan"));
    let grants = f.page("tags/grants/index.html");
    assert!(grants.contains("Nothing has been written about Grant writing yet."));
    assert!(
        grants
            .split("Who wants to learn it")
            .nth(1)
            .unwrap()
            .contains("Bo Chan")
    );
    assert!(
        grants.contains(r#"<a href="../../tags/fridges/index.html">Community fridges</a>"#),
        "parent in breadcrumbs"
    );
    let index = f.page("tags/index.html");
    assert!(
        index.contains("tags/grants/index.html"),
        "declared tag without documents is listed"
    );
}

#[test]
fn home_sections_and_members_directory() {
    let f = built();
    let home = f.page("index.html");
    assert!(home.contains("Rescue food."));
    let newest = home.split("Newest").nth(1).unwrap();
    let pantry = newest.find("City pantry").unwrap();
    let handover = newest.find("Cold chain handover").unwrap();
    assert!(pantry < handover, "newest first");
    let section = f.page("practices/index.html");
    assert!(
        section.find("Cold chain handover").unwrap() < section.find("Temperature logging").unwrap()
    );
    let members = f.page("members/index.html");
    assert!(members.contains("Ann Lee") && members.contains("badge-mentor"));
    assert!(f.page("404.html").contains("Page not found"));
}

#[test]
fn unknown_keys_reach_templates_and_edit_links_point_at_sources() {
    let f = community();
    f.write(
        "templates/document.html",
        "{{ page.title }}|{{ page.extra.time_needed | default(value=\"-\") }}|{{ page.edit_url }}",
    );
    let report = f.build();
    assert!(report.diagnostics.is_empty(), "{:#?}", messages(&report));
    assert_eq!(
        f.page("practices/handover/index.html"),
        "Cold chain handover|2 hours|https://git.example/edit/practices/handover.md"
    );
}

#[test]
fn base_url_adds_canonical_sitemap_feed_and_robots() {
    let f = community();
    let config = std::fs::read_to_string(f.root().join("community.yaml")).unwrap();
    f.write(
        "community.yaml",
        // Front matter dates only, so lastmod is the document's own date.
        &format!("{config}base_url: https://food.example/kb/\ngit_dates: false\n"),
    );
    let report = f.build();
    assert!(report.diagnostics.is_empty(), "{:#?}", messages(&report));
    let page = f.page("practices/handover/index.html");
    assert!(
        page.contains(
            r#"<link rel="canonical" href="https://food.example/kb/practices/handover/">"#
        )
    );
    assert!(
        page.contains(r#"href="../../practices/index.html""#),
        "links stay relative"
    );
    let sitemap = f.page("sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://food.example/kb/practices/handover/</loc><lastmod>2024-05-01</lastmod>"
    ));
    let feed = f.page("feed.xml");
    assert!(feed.contains("<id>https://food.example/kb/case-studies/city-pantry/</id>"));
    assert!(
        feed.find("City pantry").unwrap() < feed.find("Cold chain handover").unwrap(),
        "newest first"
    );
    assert!(
        !feed.contains("Ann Lee</title>"),
        "members are not feed entries"
    );
    assert!(
        f.page("robots.txt")
            .contains("Sitemap: https://food.example/kb/sitemap.xml")
    );
}

#[test]
fn pretty_links_drop_index_html() {
    let f = community();
    let config = std::fs::read_to_string(f.root().join("community.yaml")).unwrap();
    f.write("community.yaml", &format!("{config}pretty_links: true\n"));
    assert!(f.build().diagnostics.is_empty());
    let page = f.page("case-studies/city-pantry/index.html");
    assert!(page.contains(r#"href="../../practices/handover/#the-checklist""#));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let f = community();
    f.write(
        "guides/wip.md",
        &doc("title: Work in progress\ndraft: true", "Soon.\n"),
    );
    assert!(f.build().diagnostics.is_empty());
    assert!(!f.out().join("guides/wip").exists());
    let report = f.build_with(|o| o.drafts = true);
    assert!(report.diagnostics.is_empty());
    assert!(f.page("guides/wip/index.html").contains("Work in progress"));
}

#[test]
fn template_overrides_replace_theme_files_by_name() {
    let f = community();
    f.write("templates/404.html", "{% extends \"base.html\" %}{% block content %}Lost? {{ site.title }}{% endblock content %}");
    assert!(f.build().diagnostics.is_empty());
    assert!(f.page("404.html").contains("Lost? Test Commons"));
    assert!(
        f.page("index.html").contains("Newest"),
        "other templates stay the theme's"
    );
}

#[test]
fn readme_in_a_section_documents_the_folder_and_is_not_a_page() {
    let f = community();
    f.write("practices/README.md", "# Practices\nHow to write one.\n");
    let report = f.build();
    assert!(report.diagnostics.is_empty(), "{:#?}", messages(&report));
    assert!(!f.out().join("practices/readme").exists());
}

#[test]
fn related_ranks_shared_tags_first_then_newest_even_on_a_popular_tag() {
    let f = Fixture::new();
    let practice = |slug: &str, tags: &str, date: &str| {
        f.write(
            &format!("practices/{slug}.md"),
            &doc(
                &format!("title: {slug}\ntags: [{tags}]\ndate: {date}\nupdated: {date}"),
                "Text.\n",
            ),
        );
    };
    practice("target", "common, niche", "2020-01-01");
    practice("both-old", "niche, common", "2010-01-01");
    practice("niche-only", "niche", "2011-01-01");
    for day in 1..=8 {
        practice(
            &format!("common-{day}"),
            "common",
            &format!("2024-01-0{day}"),
        );
    }
    // Enough documents that `niche` counts as a small tag and `common` as a
    // popular one: related documents are found differently for each.
    for n in 0..90 {
        practice(&format!("filler-{n}"), &format!("filler-{n}"), "2019-01-01");
    }
    let report = f.build();
    assert!(report.diagnostics.is_empty(), "{:#?}", messages(&report));
    let page = f.page("practices/target/index.html");
    let related = page
        .split("id=\"related-heading\"")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("related section");
    let order = ["both-old", "common-8", "common-7", "common-6", "common-5"];
    let positions: Vec<usize> = order
        .iter()
        .map(|slug| {
            related
                .find(&format!("practices/{slug}/"))
                .unwrap_or_else(|| panic!("{slug} is not related"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "{order:?} at {positions:?}"
    );
    for absent in ["niche-only", "common-4", "common-1"] {
        assert!(
            !related.contains(&format!("practices/{absent}/")),
            "{absent} listed: {related}"
        );
    }
}
