//! Content shaped like real communities' legacy content (old posts with raw
//! HTML and footnote lists, links to the site's own pages, converted
//! `[[text]](url)` links, other engines' leftovers), built for real: each
//! test is one of the false errors, missing checks or wrong hints that
//! stopped three communities' content from building.

mod common;

use common::{Fixture, doc, find, member, messages};
use practica::Severity;

const CONFIG: &str = "title: Legacy Commons\nbase_url: https://example.org/kb\ntags:\n  - getting-started\n  - food-safety\n";

fn legacy() -> Fixture {
    let f = Fixture::with_config(CONFIG);
    f.write(
        "practices/cold-chain.md",
        &doc(
            "title: Cold chain\ntags: [food-safety]",
            "Intro.\n\n## Checklist\n\nText.\n",
        ),
    );
    f.write("static/images/fridge.png", "png");
    f
}

fn errors(report: &practica::BuildReport) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect()
}

/// Point 1: ids the page will have are anchors: raw HTML `id`/`name`,
/// `{#id}` attributes and footnote definitions.
#[test]
fn anchors_in_raw_html_attributes_and_footnotes_are_valid() {
    let f = legacy();
    f.write(
        "guides/old-post.md",
        &doc(
            "title: Old post",
            "See [note 7](#sfer-7), [figure](#fig-2), [span](#sp), [raw heading](#raw-h3), \
             [custom](#custom-id) and [the footnote](#note).\n\n\
             ## Custom heading {#custom-id}\n\nA claim[^note].\n\n[^note]: The source.\n\n\
             <a name=\"sfer-7\"></a> <img id=\"fig-2\" src=\"../static/images/fridge.png\"> <span id=sp>x</span>\n\n\
             <h3 id=\"raw-h3\">Raw</h3>\n\nAnd [a missing one](#nowhere).\n",
        ),
    );
    let report = f.build();
    let broken: Vec<String> = errors(&report);
    assert_eq!(broken.len(), 1, "{broken:#?}");
    let missing = find(&report, "`#nowhere`");
    assert!(
        missing
            .hint
            .as_deref()
            .is_some_and(|h| !h.contains("has no headings")),
        "the page has headings: {missing:?}"
    );
}

/// Point 2: links to practica's own pages resolve, root-relative or
/// relative, and are written relative so they work from a sub-path.
#[test]
fn links_to_the_sites_own_pages_resolve_and_work_from_a_sub_path() {
    let f = legacy();
    f.write(
        "guides/start.md",
        &doc(
            "title: Start",
            "[home](/), [topics](/tags/), [topic](/tags/food-safety/), [gaps](/gaps/), \
             [search](/search/), [members](/members/), [practices](../practices/), \
             [topics again](../tags/#main), [no such topic](/tags/cooking/), [no such anchor](/gaps/#list).\n",
        ),
    );
    let report = f.build_with(|o| o.write = true);
    let broken = errors(&report);
    assert_eq!(broken.len(), 2, "{broken:#?}");
    assert!(broken[0].contains("/tags/cooking/"), "{broken:#?}");
    assert!(
        broken[1].contains("`#list` is not an anchor of the page /gaps/"),
        "{broken:#?}"
    );
    // With the error, nothing is written; without it, the links are relative.
    f.write(
        "guides/start.md",
        &doc(
            "title: Start",
            "[home](/), [topic](/tags/food-safety/), [members](/members/), [topics](../tags/#main).\n",
        ),
    );
    let report = f.build();
    assert!(errors(&report).is_empty(), "{:#?}", messages(&report));
    let page = f.page("guides/start/index.html");
    for href in [
        "href=\"../../index.html\"",
        "href=\"../../tags/food-safety/index.html\"",
        "href=\"../../members/index.html\"",
        "href=\"../../tags/index.html#main\"",
    ] {
        assert!(page.contains(href), "{href} in {page}");
    }
    let broken = common::broken_links(&f.out());
    assert!(broken.is_empty(), "{broken:#?}");
}

/// Point 3: `[[text]](url)` is a link whose text is in brackets.
#[test]
fn bracketed_link_text_is_a_link_not_a_wikilink() {
    let f = legacy();
    f.write(
        "guides/converted.md",
        &doc(
            "title: Converted",
            "Read [[the report]](https://example.org/report \"Report\") and [[cold-chain]].\n",
        ),
    );
    let report = f.build();
    assert!(errors(&report).is_empty(), "{:#?}", messages(&report));
    let page = f.page("guides/converted/index.html");
    assert!(
        page.contains("<a href=\"https://example.org/report\" title=\"Report\">[the report]</a>"),
        "{page}"
    );
    assert!(page.contains("practices/cold-chain/index.html"), "{page}");
}

/// Point 4: a key is never suggested as a rename to one the document has.
#[test]
fn no_hint_renames_a_key_to_one_the_document_already_has() {
    let f = legacy();
    f.write(
        "practices/quick.md",
        &doc("title: Quick\ntime: 15 minutes\nsumary: short", "Body.\n"),
    );
    let report = f.build();
    let all = messages(&report);
    assert!(
        !all.iter().any(|m| m.contains("did you mean `title`")),
        "{all:#?}"
    );
    assert!(
        all.iter().any(|m| m.contains("did you mean `summary`")),
        "summary is not there yet: {all:#?}"
    );
}

/// Point 5: raw HTML's addresses are checked like markdown links, and a
/// missing image's hint names a file under static/, not a page.
#[test]
fn raw_html_links_are_checked_and_missing_files_get_file_hints() {
    let f = legacy();
    f.write(
        "guides/html.md",
        &doc(
            "title: Html",
            "<img src='../static/images/fridg.png'/> <a href=\"/old/page/\">old</a>\n\n\
             <a href=\"../practices/cold-chain.md\">fine</a>\n\n![chart](../pictures/fridge.png)\n",
        ),
    );
    let report = f.build();
    let broken = errors(&report);
    assert_eq!(broken.len(), 3, "{broken:#?}");
    let image = find(&report, "fridg.png");
    assert_eq!(image.span().map(|s| s.line), Some(4), "{image:?}");
    assert!(
        image
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("static/images/fridge.png")),
        "{image:?}"
    );
    let page = find(&report, "/old/page/");
    assert!(page.message.contains("no page or file"), "{page:?}");
    let markdown_image = find(&report, "../pictures/fridge.png");
    assert!(
        markdown_image
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("../static/images/fridge.png")),
        "a file, not a page: {markdown_image:?}"
    );
}

/// Point 6: every heading gets a non-empty id unique on its page, the
/// theme's own ids included.
#[test]
fn heading_ids_are_never_empty_or_the_themes() {
    let f = legacy();
    f.write(
        "guides/headings.md",
        &doc(
            "title: Headings",
            "#\n\n## ???\n\n## Main\n\n## Search input\n\nText.\n",
        ),
    );
    let report = f.build();
    assert!(errors(&report).is_empty(), "{:#?}", messages(&report));
    let page = f.page("guides/headings/index.html");
    assert!(!page.contains("id=\"\""), "{page}");
    assert!(!page.contains("href=\"#\""), "{page}");
    for id in ["main", "search-input"] {
        assert_eq!(
            page.matches(&format!("id=\"{id}\"")).count(),
            1,
            "{id} twice in {page}"
        );
    }
}

/// Point 7: a tag close to a declared one is a warning with the suggestion.
#[test]
fn a_misspelt_tag_is_a_warning_naming_the_declared_one() {
    let f = legacy();
    f.write(
        "guides/intro.md",
        &doc(
            "title: Intro\ntags: [getting-startd, composting]",
            "Body.\n",
        ),
    );
    let report = f.build();
    let warning = find(&report, "getting-startd");
    assert_eq!(warning.severity, Severity::Warning);
    assert!(warning.message.contains("did you mean `getting-started`"));
    assert_eq!(warning.place().as_deref(), Some("guides/intro.md:3:8"));
    assert!(
        !messages(&report).iter().any(|m| m.contains("composting")),
        "a new topic far from every declared one is allowed"
    );
}

/// Point 8: a community chooses severities; with warnings the site is
/// written and the problems listed.
#[test]
fn severities_a_community_chooses_let_legacy_content_build() {
    let f = legacy();
    f.write(
        "guides/legacy.md",
        &doc(
            "title: Legacy\nauthors: [nobody]\ntags: [getting-startd]",
            "[gone](../practices/gone.md) and [anchor](../practices/cold-chain.md#nope).\n",
        ),
    );
    let strict = f.build();
    assert!(!strict.written);
    assert_eq!(errors(&strict).len(), 3, "{:#?}", messages(&strict));
    f.write(
        "community.yaml",
        &format!(
            "{CONFIG}severity:\n  broken_links: warning\n  broken_anchors: warning\n  unknown_references: warning\n  misspelt_tags: off\n"
        ),
    );
    let relaxed = f.build();
    assert!(relaxed.written, "{:#?}", messages(&relaxed));
    assert!(errors(&relaxed).is_empty());
    assert_eq!(
        relaxed.diagnostics.iter().count(),
        3,
        "{:#?}",
        messages(&relaxed)
    );
    assert!(
        !messages(&relaxed)
            .iter()
            .any(|m| m.contains("getting-startd"))
    );
    assert_eq!(relaxed.exit_code(), 0);
    let denied = f.cli(&["check", "--deny-warnings"]);
    assert_eq!(
        denied.status.code(),
        Some(1),
        "warnings fail CI when denied"
    );
    assert_eq!(f.cli(&["check"]).status.code(), Some(0));
    f.write(
        "community.yaml",
        &format!("{CONFIG}severity:\n  broken_link: warning\n  broken_anchors: sometimes\n"),
    );
    let wrong = f.build();
    let all = messages(&wrong);
    assert!(
        all.iter()
            .any(|m| m.contains("community.yaml:7:3") && m.contains("did you mean `broken_links`")),
        "{all:#?}"
    );
    assert!(
        all.iter()
            .any(|m| m.contains("community.yaml:8:3") && m.contains("`error`, `warning` or `off`")),
        "{all:#?}"
    );
}

/// Point 9: other engines' front matter keys are named for what they are.
#[test]
fn other_engines_front_matter_keys_say_what_to_do() {
    let f = legacy();
    f.write(
        "guides/jekyll.md",
        &doc(
            "title: Jekyll post\nlayout: post\npermalink: /2019/old/\nlastmod: 2020-01-01\ndescription: Old\ncategories: [news]",
            "Body.\n",
        ),
    );
    let report = f.build();
    assert!(report.written, "warnings only: {:#?}", messages(&report));
    for (key, advice) in [
        ("layout", "template"),
        ("permalink", "file name"),
        ("lastmod", "`updated`"),
        ("description", "`summary`"),
        ("categories", "`tags`"),
    ] {
        let d = find(&report, &format!("`{key}` is a front matter key"));
        assert_eq!(d.severity, Severity::Warning);
        assert!(
            d.hint.as_deref().is_some_and(|h| h.contains(advice)),
            "{d:?}"
        );
    }
}

/// Point 4 and 9: a key of another engine is never to be renamed to a key
/// the document has already.
#[test]
fn no_rename_to_a_key_the_document_has() {
    let f = legacy();
    f.write(
        "guides/hugo.md",
        &doc(
            "title: Hugo post\nsummary: Kept\ndescription: Old\nupdated: 2021-01-01\nlastmod: 2020-01-01",
            "Body.\n",
        ),
    );
    let report = f.build();
    for (key, has) in [("description", "summary"), ("lastmod", "updated")] {
        let d = find(&report, &format!("`{key}` is a front matter key"));
        let hint = d.hint.as_deref().unwrap_or_default();
        assert!(!hint.contains("rename"), "{hint}");
        assert!(hint.contains(&format!("has `{has}` already")), "{hint}");
        assert!(hint.contains(&format!("remove `{key}`")), "{hint}");
    }
}

/// Point 9: bare domains and e-mail addresses as link targets get a hint
/// with the fixed link.
#[test]
fn bare_domains_and_emails_get_the_fixed_link_as_hint() {
    let f = legacy();
    f.write(
        "guides/contacts.md",
        &doc(
            "title: Contacts",
            "Follow [us](twitter.com/legacy), see [the site](www.example.org), \
             mail [the team](team@example.org), and [notes](notes.md).\n",
        ),
    );
    let report = f.build();
    for (dest, fixed) in [
        ("twitter.com/legacy", "https://twitter.com/legacy"),
        ("www.example.org", "https://www.example.org"),
        ("team@example.org", "mailto:team@example.org"),
    ] {
        let d = find(
            &report,
            &format!("link `{dest}` is a web or e-mail address"),
        );
        assert!(
            d.hint
                .as_deref()
                .is_some_and(|h| h.contains(&format!("`{fixed}`"))),
            "{d:?}"
        );
    }
    find(&report, "link `notes.md` goes to no document");
}

/// Point 9: template code of other engines in a body is named for what it
/// is, once per line, and left alone in code.
#[test]
fn liquid_and_hugo_leftovers_are_named_for_what_they_are() {
    let f = legacy();
    f.write(
        "guides/engines.md",
        &doc(
            "title: Engines",
            "Welcome to {{ site.title }}.\n\n{% include note.html %}\n\n\
             See {{< ref \"cold-chain.md\" >}} and {{% notice %}}.\n\n\
             In code: `{{ site.title }}`\n\n```\n{% raw %}\n```\n",
        ),
    );
    let report = f.build();
    assert!(report.written, "warnings only: {:#?}", messages(&report));
    let places: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("left from another engine"))
        .filter_map(|d| d.place())
        .collect();
    assert_eq!(
        places,
        [
            "guides/engines.md:4:12",
            "guides/engines.md:6:1",
            "guides/engines.md:8:5"
        ],
        "{:#?}",
        messages(&report)
    );
    let shortcode = find(&report, "a Hugo shortcode");
    assert!(
        shortcode
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("`.md` file"))
    );
}

/// Point 9: a document in another language than its community's says so,
/// and its page, its cards and the directory entry are marked with it; the
/// site's own labels around it keep the community's language.
#[test]
fn a_document_in_another_language_is_marked_with_it() {
    let f = legacy();
    f.write(
        "guides/cadena-de-frio.md",
        &doc(
            "title: La cadena de frío\nlanguage: es\ntags: [food-safety]\nsummary: Cómo mantener el frío.",
            "Texto en español.\n",
        ),
    );
    f.write(
        "members/kenji.md",
        &member("Kenji Sato", "language: ja\nrole: 倉庫の担当"),
    );
    f.write(
        "guides/wrong.md",
        &doc("title: Wrong\nlanguage: Spanish", "Text.\n"),
    );
    let report = f.build();
    assert!(report.written, "{:#?}", messages(&report));
    let page = f.page("guides/cadena-de-frio/index.html");
    assert!(page.contains("<html lang=\"es\">"), "{page}");
    assert!(page.contains("<header class=\"site-header\" lang=\"en\">"));
    assert!(page.contains("<footer class=\"site-footer\" lang=\"en\">"));
    let english = f.page("practices/cold-chain/index.html");
    assert!(english.contains("<html lang=\"en\">"));
    assert!(!english.contains("<header class=\"site-header\" lang="));
    let topic = f.page("tags/food-safety/index.html");
    assert!(topic.contains("<html lang=\"en\">"));
    assert!(
        topic.contains("<article class=\"card card-guide\" lang=\"es\">"),
        "{topic}"
    );
    let directory = f.page("members/index.html");
    assert!(directory.contains("<li class=\"member-card\" lang=\"ja\">"));
    assert!(
        f.page("members/kenji/index.html")
            .contains("<html lang=\"ja\">")
    );
    // Not a tag: a warning with the tag meant, and the community's language.
    let wrong = find(&report, "`Spanish` is not a language tag");
    assert_eq!(wrong.severity, Severity::Warning);
    assert_eq!(wrong.place().as_deref(), Some("guides/wrong.md:3:11"));
    assert!(
        wrong
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("`language: es`"))
    );
    assert!(
        f.page("guides/wrong/index.html")
            .contains("<html lang=\"en\">")
    );
}

/// Point 4: a hint names another page only when it is a likely typo of
/// the one linked; the nearest of many pages is no hint.
#[test]
fn broken_links_are_hinted_only_with_likely_typos() {
    let f = legacy();
    for slug in ["civic-alliance-rethinks-reporting", "noor-greco-notes"] {
        f.write(
            &format!("guides/{slug}.md"),
            &doc("title: Other", "Text.\n"),
        );
    }
    f.write(
        "guides/links.md",
        &doc(
            "title: Links",
            "[old](no-such-page-0.md), [[gone-for-good-2]], [typo](cold-chian.md), \
             [[civic-aliance-rethinks-reporting]] and [moved](#moved-away-1).\n\n## Notes\n",
        ),
    );
    let report = f.build();
    let hint = |needle: &str| find(&report, needle).hint.clone().unwrap_or_default();
    assert!(!hint("`no-such-page-0.md`").contains("did you mean"));
    assert!(!hint("`[[gone-for-good-2]]`").contains("did you mean"));
    assert!(!hint("`#moved-away-1`").contains("did you mean"));
    assert!(
        hint("`cold-chian.md`").contains("did you mean `../practices/cold-chain.md`"),
        "{}",
        hint("`cold-chian.md`")
    );
    assert!(
        hint("`[[civic-aliance-rethinks-reporting]]`")
            .contains("did you mean `[[civic-alliance-rethinks-reporting]]`")
    );
}
