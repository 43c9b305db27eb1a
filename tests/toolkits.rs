//! Toolkits: curated, ordered collections of practices, guides and case
//! studies, built from real community folders.

mod common;

use common::{Fixture, doc, find, member};
use practica::Span;

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 1, 1)
}

/// Where a diagnostic points, as `(line, col)`.
fn at(d: &practica::Diagnostic) -> (usize, usize) {
    let span = d.span().unwrap_or_else(|| panic!("no place: {d}"));
    (span.line, span.col)
}

/// A community with documents of every item kind, and some that a
/// toolkit should not send readers to.
fn community() -> Fixture {
    let f = Fixture::new();
    f.write("members/ann.md", &member("Ann", ""))
        .write(
            "practices/cold-chain.md",
            &doc("title: Cold chain\nstatus: established", "Keep it cold.\n"),
        )
        .write(
            "practices/old-way.md",
            &doc("title: The old way\nstatus: retired", "Do not.\n"),
        )
        .write(
            "guides/first-shift.md",
            &doc(
                "title: Your first shift\nreview_by: 2025-06-01",
                "Arrive early.\n",
            ),
        )
        .write(
            "guides/cold-chain.md",
            &doc("title: Cold chain, a guide", "Step by step.\n"),
        )
        .write(
            "case-studies/drafty.md",
            &doc("title: Not yet\ndraft: true", "Soon.\n"),
        );
    f
}

const STARTER: &str = "---
title: Starter kit
summary: Everything a new host reads first.
audience: New fridge hosts
authors: [ann]
items:
  - part: Before you start
    text: Read these first
    items:
      - first-shift
      - cold-chian
  - part: On shift
    items: [practices/cold-chain, old-way, drafty, ann]
  - cold-chain
---
Welcome to the kit.
";

#[test]
fn each_item_is_checked_where_it_is_written() {
    let f = community();
    f.write("toolkits/starter.md", STARTER);
    let report = f.build_with(|o| o.today = Some(today()));
    let unknown = find(&report, "unknown item `cold-chian`");
    assert!(unknown.is_error(), "{unknown}");
    assert_eq!(at(unknown), (11, 9));
    assert_eq!(unknown.path(), Some("toolkits/starter.md"));
    let hint = unknown.hint.as_deref().unwrap_or_default();
    assert!(hint.contains("did you mean `cold-chain`?"), "{hint}");

    let retired = find(&report, "`old-way` is a retired practice");
    assert!(!retired.is_error());
    assert_eq!(at(retired), (13, 35));
    let draft = find(&report, "`drafty` is a draft");
    assert!(!draft.is_error());
    assert_eq!(at(draft), (13, 44));
    let overdue = find(&report, "`first-shift` was due for review on 2025-06-01");
    assert!(!overdue.is_error());
    assert_eq!(at(overdue), (10, 9));
    let member = find(&report, "`ann` is a member");
    assert!(member.is_error());
    assert_eq!(at(member), (13, 52));
    let ambiguous = find(&report, "`cold-chain` matches 2 documents");
    assert_eq!(at(ambiguous), (14, 5));
    assert!(
        ambiguous
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("`practices/cold-chain`")),
        "{ambiguous}"
    );
    assert!(!report.written);
}

#[test]
fn a_draft_toolkit_is_not_warned_about_and_drafts_are_warned_about_when_built() {
    let f = community();
    let toolkit = |draft: bool| {
        doc(
            &format!(
                "title: Kit\ndraft: {draft}\nitems: [case-studies/drafty, guides/first-shift]"
            ),
            "Intro.\n",
        )
    };
    f.write("toolkits/kit.md", &toolkit(false));
    let report = f.build_with(|o| {
        o.today = Some(today());
        o.drafts = true;
    });
    // Built with drafts, the draft is there, and still a draft.
    let draft = find(&report, "`drafty` is a draft");
    assert_eq!(draft.span(), Some(Span::new(4, 9)));
    assert!(report.written, "{:?}", common::messages(&report));

    f.write("toolkits/kit.md", &toolkit(true));
    let report = f.build_with(|o| {
        o.today = Some(today());
        o.drafts = true;
    });
    let about_items: Vec<String> = common::messages(&report)
        .into_iter()
        .filter(|m| m.contains("toolkits/kit.md"))
        .collect();
    assert!(about_items.is_empty(), "{about_items:?}");
}

#[test]
fn an_item_listed_twice_and_a_part_without_title_are_reported() {
    let f = community();
    f.write(
        "toolkits/kit.md",
        &doc(
            "title: Kit\nitems:\n  - first-shift\n  - {text: no title, items: [cold-chain]}\n  - first-shift\n  - part: Later\n    colour: red\n    items: [true]",
            "Intro.\n",
        ),
    );
    let report = f.build_with(|o| o.today = Some(jiff::civil::date(2025, 1, 1)));
    let twice = find(&report, "`first-shift` is listed twice");
    assert_eq!(at(twice), (6, 5));
    let untitled = find(&report, "a part of `items` has no title");
    assert!(untitled.is_error());
    assert_eq!(at(untitled), (5, 3));
    let unknown_key = find(&report, "unknown key `colour` in a part");
    assert_eq!(at(unknown_key), (8, 5));
    let not_a_slug = find(
        &report,
        "an item of `items` should be a slug, found true/false",
    );
    assert!(not_a_slug.is_error());
}

#[test]
fn a_toolkit_with_good_items_builds_with_no_word() {
    let f = community();
    f.write(
        "toolkits/kit.md",
        &doc(
            "title: Kit\nowner: ann\nitems:\n  - guides/first-shift\n  - part: Cold\n    items: [practices/cold-chain, guides/cold-chain]",
            "Intro.\n",
        ),
    );
    let report = f.build_with(|o| o.today = Some(jiff::civil::date(2025, 1, 1)));
    assert!(
        report.diagnostics.is_empty(),
        "{:?}",
        common::messages(&report)
    );
    assert!(report.written);
    assert!(f.page("toolkits/kit/index.html").contains("Kit"));
    assert!(f.page("toolkits/index.html").contains("toolkits/kit/"));
}

/// The example community, built as of a day its toolkits are current.
fn example_site() -> std::collections::BTreeMap<String, String> {
    common::built_files(&common::example(), jiff::civil::date(2026, 11, 1))
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8_lossy(&bytes).into_owned()))
        .collect()
}

/// The places of `needles` in `text`, which must hold each.
fn places(text: &str, needles: &[&str]) -> Vec<usize> {
    needles
        .iter()
        .map(|n| text.find(n).unwrap_or_else(|| panic!("no {n:?}")))
        .collect()
}

fn in_order(text: &str, needles: &[&str]) {
    let found = places(text, needles);
    assert!(found.is_sorted(), "{needles:?} at {found:?}");
}

#[test]
fn a_toolkit_page_shows_its_cover_introduction_parts_and_items_in_order() {
    let site = example_site();
    let whole = &site["toolkits/fridge-host-starter-kit/index.html"];
    // What the page shows: its head names authors for search engines too.
    let page = &whole[whole.find("<body").unwrap()..];
    in_order(
        page,
        &[
            "<h1>Fridge host starter kit</h1>",
            "New fridge hosts and the volunteers",
            "Joaquín Reyes",
            "Last reviewed",
            "15 October 2026",
            "Opening a community fridge is quick",
            "Part 1</span> Before the fridge arrives",
            "Find a host, agree who does what",
            "practices/fridge-host-agreement/index.html",
            "Part 2</span> Keeping food safe",
            "<li value=\"4\"",
            "guides/food-safety-basics-for-volunteers/index.html",
            "Part 3</span> Learning from others",
            "case-studies/summer-heatwave-cold-chain/index.html",
        ],
    );
    assert!(page.contains("10 items"), "the cover counts the items");
    // Each item with its kind, status and evidence.
    assert!(page.contains("status-emerging"));
    assert!(page.contains("pieces of evidence") || page.contains("1 piece of evidence"));
    let supermarket = &site["toolkits/first-supermarket-collection-kit/index.html"];
    assert!(
        supermarket.contains("href=\"../../files/pickup-log.csv\" download>pickup-log.csv</a>"),
        "a file an item links is offered for download"
    );
    assert!(
        !supermarket.contains("Part 1"),
        "a toolkit without parts has none"
    );
    let index = &site["toolkits/index.html"];
    in_order(
        index,
        &[
            "Fridge host starter kit",
            "First supermarket collection kit",
        ],
    );
}

#[test]
fn an_item_shows_where_it_stands_in_each_toolkit_with_previous_and_next() {
    let site = example_site();
    let first = &site["guides/starting-a-community-fridge/index.html"];
    assert!(first.contains("Part 1 of 3 · item 1 of 10 in"), "{first}");
    assert!(!first.contains("rel=\"prev\""));
    assert!(
        first.contains("rel=\"next\" href=\"../../practices/fridge-host-agreement/index.html\"")
    );

    // In two toolkits: a position and its own neighbours for each.
    let both = &site["practices/cold-chain-handover/index.html"];
    in_order(
        both,
        &[
            "Part of <a href=\"../../toolkits/first-supermarket-collection-kit/index.html\"",
            "Fridge host starter kit</a></p>",
            "Item 4 of 6 in <a href=\"../../toolkits/first-supermarket-collection-kit/index.html\"",
            "rel=\"prev\" href=\"../../practices/volunteer-shift-briefing/index.html\"",
            "rel=\"next\" href=\"../../practices/weigh-and-record/index.html\"",
            "Part 2 of 3 · item 7 of 10 in",
            "rel=\"prev\" href=\"../../practices/fridge-cleaning-rota/index.html\"",
            "rel=\"next\" href=\"../../practices/lone-working-check-ins/index.html\"",
        ],
    );
    let queries: Vec<String> = common::links_in(both)
        .into_iter()
        .filter(|l| l.contains('?'))
        .collect();
    assert!(queries.is_empty(), "no query strings: {queries:?}");

    let last = &site["case-studies/summer-heatwave-cold-chain/index.html"];
    assert!(last.contains("item 10 of 10"));
    assert!(!last.contains("rel=\"next\""));
    assert!(last.contains("Back to the toolkit"));

    let outside = &site["practices/choice-based-pantry/index.html"];
    assert!(
        !outside.contains("toolkit-position"),
        "an item of no toolkit"
    );
}

#[test]
fn every_link_of_the_example_with_toolkits_leads_somewhere() {
    let out = tempfile::tempdir().unwrap();
    let report = practica::build(&practica::BuildOptions {
        output: Some(out.path().join("site")),
        today: Some(jiff::civil::date(2026, 11, 1)),
        ..practica::BuildOptions::new(common::example())
    });
    assert!(report.written, "{:?}", common::messages(&report));
    let broken = common::broken_links(&out.path().join("site"));
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn toolkits_are_on_home_members_pages_the_graph_search_and_the_feed() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_example(dir.path());
    let config = dir.path().join("community.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("# base_url:", "base_url:")).unwrap();
    let site: std::collections::BTreeMap<String, String> =
        common::built_files(dir.path(), jiff::civil::date(2026, 11, 1))
            .into_iter()
            .map(|(p, b)| (p, String::from_utf8_lossy(&b).into_owned()))
            .collect();
    let home = &site["index.html"];
    let on_home = &home[home
        .find("id=\"toolkits-heading\"")
        .expect("a toolkits section")..];
    in_order(
        on_home,
        &[
            "toolkits/fridge-host-starter-kit/index.html",
            "toolkits/first-supermarket-collection-kit/index.html",
        ],
    );
    let keeper = &site["members/joaquin-reyes/index.html"];
    let kept = &keeper[keeper
        .find("Toolkits they keep current")
        .expect("kept toolkits")..];
    assert!(kept.contains("toolkits/fridge-host-starter-kit/index.html"));
    assert!(
        !kept.contains("first-supermarket-collection-kit"),
        "Amara keeps that one"
    );
    let graph: serde_json::Value = serde_json::from_str(&site["graph.json"]).unwrap();
    let items: Vec<&str> = graph["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["type"] == "toolkit-item" && e["from"] == "toolkits/first-supermarket-collection-kit"
        })
        .map(|e| e["to"].as_str().unwrap())
        .collect();
    assert_eq!(
        items,
        [
            "guides/your-first-supermarket-collection",
            "practices/pickup-window-scheduling",
            "practices/volunteer-shift-briefing",
            "practices/cold-chain-handover",
            "practices/weigh-and-record",
            "case-studies/bakery-chain-partnership",
        ]
    );
    assert!(site["feed.xml"].contains("<title>Fridge host starter kit</title>"));
    assert!(site["sitemap.xml"].contains("/toolkits/fridge-host-starter-kit/</loc>"));
    assert!(
        !site["sitemap.xml"].contains("/print/"),
        "the print page repeats the toolkit's"
    );
    // Search: kind `t` in the table, and an entry of kind toolkit.
    assert!(
        site["search/meta.js"].contains("\"kinds\":\"") && site["search/meta.js"].contains("mtt\"")
    );
    let entry = site
        .iter()
        .find(|(path, text)| {
            path.starts_with("search/d/") && text.contains("Fridge host starter kit")
        })
        .map(|(_, text)| text)
        .expect("a search entry for the toolkit");
    assert!(entry.contains("\"kind\":\"toolkit\""), "{entry}");
    assert!(site["search/index.html"].contains("value=\"t\"> Toolkits"));
}

#[test]
fn the_gap_map_shows_each_toolkits_findings() {
    let f = community();
    f.write(
        "toolkits/kit.md",
        &doc(
            "title: Kit\nupdated: 2025-12-01\nitems: [guides/first-shift, practices/cold-chain]",
            "Intro.\n",
        ),
    );
    f.write(
        "community.yaml",
        "title: T\ntags:\n  - slug: storage\n    title: Storage\n  - slug: cooling\n    title: Cooling\n",
    );
    f.write(
        "practices/cold-chain.md",
        &doc(
            "title: Cold chain\nstatus: established\ntags: [cooling]",
            "Keep it cold.\n",
        ),
    );
    let report = f.build_with(|o| o.today = Some(today()));
    assert!(report.written, "{:?}", common::messages(&report));
    let gaps = f.page("gaps/index.html");
    let section = &gaps[gaps
        .find("id=\"toolkit-gaps-heading\"")
        .expect("a toolkit view")..];
    in_order(
        section,
        &[
            "toolkits/kit/index.html",
            "last reviewed",
            "1 December 2025",
            "Without evidence: <a href=\"../practices/cold-chain/index.html\">Cold chain</a>",
            "Past their review date: <a href=\"../guides/first-shift/index.html\">Your first shift</a>",
            "Topics no toolkit covers yet",
            "tags/storage/index.html",
        ],
    );
    assert!(
        !section.contains("tags/cooling/index.html"),
        "a toolkit covers cooling"
    );
}

#[test]
fn new_toolkit_writes_one_from_its_archetype_that_builds() {
    let f = community();
    let out = f.cli(&["new", "toolkit", "Winter kit"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(f.root().join("toolkits/winter-kit.md")).unwrap();
    assert!(
        text.contains("title: Winter kit") && text.contains("items: []"),
        "{text}"
    );
    let report = f.build_with(|o| o.today = Some(jiff::civil::date(2025, 1, 1)));
    assert!(report.written, "{:?}", common::messages(&report));
    assert!(
        f.page("toolkits/winter-kit/index.html")
            .contains("Winter kit")
    );
}

#[test]
fn the_print_page_holds_the_whole_toolkit_with_links_inside_it() {
    let site = example_site();
    let print = &site["toolkits/fridge-host-starter-kit/print/index.html"];
    in_order(
        print,
        &[
            "<h1>Fridge host starter kit</h1>",
            "Contents",
            "href=\"#part-1\">Part 1: Before the fridge arrives",
            "href=\"#item-1\">Starting a community fridge",
            "id=\"introduction\"",
            "Opening a community fridge is quick",
            "id=\"part-1\"",
            "id=\"item-1\"",
            "<h3 class=\"print-item-title\"><span class=\"print-number\">1</span> Starting a community fridge</h3>",
            "<h4 id=\"item-1-",
            "<span class=\"print-number\">1.1 </span>",
            "id=\"part-3\"",
            "id=\"item-10\"",
        ],
    );
    // A link to another item of the toolkit stays on the page.
    assert!(
        print.contains("href=\"#item-2\""),
        "the host agreement, item 2"
    );
    // A link to a document outside it goes to its page.
    assert!(
        !print.contains("href=\"../practices/"),
        "no link relative to the wrong folder"
    );
    let toolkit = &site["toolkits/fridge-host-starter-kit/index.html"];
    assert!(toolkit.contains("href=\"../../toolkits/fridge-host-starter-kit/print/index.html\""));

    let out = tempfile::tempdir().unwrap();
    let report = practica::build(&practica::BuildOptions {
        output: Some(out.path().join("site")),
        today: Some(jiff::civil::date(2026, 11, 1)),
        ..practica::BuildOptions::new(common::example())
    });
    assert!(report.written);
    let broken: Vec<String> = common::broken_links(&out.path().join("site"))
        .into_iter()
        .filter(|b| b.contains("print"))
        .collect();
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn with_a_base_url_links_out_of_the_print_page_are_absolute() {
    let f = community();
    f.write(
        "community.yaml",
        "title: T\nbase_url: https://commons.example.org/kb\n",
    );
    f.write(
        "guides/first-shift.md",
        &doc(
            "title: Your first shift",
            "## Arrive\n\nSee [the cold chain](../practices/cold-chain.md#keep) and [[old-way]], then [below](#leave).\n\n## Leave\n\nDone.[^1]\n\n[^1]: A note.\n",
        ),
    );
    f.write(
        "practices/cold-chain.md",
        &doc(
            "title: Cold chain\nstatus: established",
            "## Keep\n\nKeep it cold.\n",
        ),
    );
    f.write(
        "toolkits/kit.md",
        &doc(
            "title: Kit\nitems: [guides/first-shift, practices/cold-chain]",
            "Intro.\n",
        ),
    );
    let report = f.build_with(|o| o.today = Some(jiff::civil::date(2025, 1, 1)));
    assert!(report.written, "{:?}", common::messages(&report));
    let print = f.page("toolkits/kit/print/index.html");
    assert!(
        print.contains("href=\"#item-2-keep\""),
        "into the other item's heading"
    );
    assert!(
        print.contains("href=\"https://commons.example.org/kb/practices/old-way/index.html\""),
        "a document outside the toolkit, absolute"
    );
    assert!(print.contains("href=\"#item-1-leave\"") && print.contains("id=\"item-1-leave\""));
    assert!(print.contains("id=\"item-2-keep\""));
    let broken: Vec<String> = common::broken_links(&f.out())
        .into_iter()
        .filter(|b| b.contains("print"))
        .collect();
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn a_toolkits_files_are_zipped_beside_its_print_page() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let report = practica::build(&practica::BuildOptions {
        output: Some(site.clone()),
        today: Some(jiff::civil::date(2026, 11, 1)),
        ..practica::BuildOptions::new(common::example())
    });
    assert!(report.written, "{:?}", common::messages(&report));
    let kit = "toolkits/first-supermarket-collection-kit";
    let bytes =
        std::fs::read(site.join(format!("{kit}/print/first-supermarket-collection-kit.zip")))
            .expect("the zip is written");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|name| name.expect("a readable name").into_owned())
        .collect();
    assert_eq!(
        names,
        ["first-supermarket-collection-kit/files/pickup-log.csv"]
    );
    let mut entry = archive.by_index(0).unwrap();
    assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
    let mut text = String::new();
    std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
    let original =
        std::fs::read_to_string(common::example().join("static/files/pickup-log.csv")).unwrap();
    assert_eq!(text, original);
    let page = std::fs::read_to_string(site.join(format!("{kit}/index.html"))).unwrap();
    assert!(page.contains("href=\"../../toolkits/first-supermarket-collection-kit/print/first-supermarket-collection-kit.zip\" download"));

    // The same files make the same bytes: no dates from the clock.
    let again = tempfile::tempdir().unwrap();
    let report = practica::build(&practica::BuildOptions {
        output: Some(again.path().join("site")),
        today: Some(jiff::civil::date(2026, 11, 1)),
        ..practica::BuildOptions::new(common::example())
    });
    assert!(report.written);
    let second = std::fs::read(again.path().join(format!(
        "site/{kit}/print/first-supermarket-collection-kit.zip"
    )))
    .unwrap();
    assert_eq!(bytes, second);

    // A toolkit that links no file has no zip.
    let f = community();
    f.write(
        "toolkits/kit.md",
        &doc("title: Kit\nitems: [guides/first-shift]", "Intro.\n"),
    );
    let report = f.build_with(|o| o.today = Some(jiff::civil::date(2025, 1, 1)));
    assert!(report.written);
    assert!(
        !f.out()
            .join("toolkits/kit/print")
            .read_dir()
            .unwrap()
            .any(|e| e.unwrap().path().extension().is_some_and(|x| x == "zip"))
    );
}
