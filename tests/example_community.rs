//! Builds the bundled example community and checks the site it makes.

mod common;

use std::path::Path;

use common::broken_links;
use practica::BuildOptions;

fn build_example() -> (tempfile::TempDir, practica::BuildReport) {
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-community");
    let mut options = BuildOptions::new(root);
    options.output = Some(out.path().join("site"));
    // The example's review dates are planted for this day, as the golden
    // test's are: its toolkits warn of items past their review after it.
    options.today = Some(jiff::civil::date(2026, 11, 1));
    let report = practica::build(&options);
    (out, report)
}

#[test]
fn example_builds_without_errors_or_warnings() {
    let (_out, report) = build_example();
    let messages: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();
    assert!(messages.is_empty(), "{messages:#?}");
    assert!(report.written);
    assert_eq!(report.exit_code(), 0);
    assert!(report.pages > 60, "only {} pages", report.pages);
}

#[test]
fn example_has_every_kind_of_page_and_file() {
    let (out, _) = build_example();
    let site = out.path().join("site");
    for path in [
        "index.html",
        "404.html",
        "practices/index.html",
        "guides/index.html",
        "case-studies/index.html",
        "members/index.html",
        "tags/index.html",
        "tags/cold-chain/index.html",
        "assets/style.css",
        "assets/favicon.svg",
        "files/pickup-log.csv",
        ".practica-site",
    ] {
        assert!(site.join(path).is_file(), "missing {path}");
    }
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-community");
    for section in ["practices", "guides", "case-studies", "members"] {
        let sources = walkdir::WalkDir::new(example.join(section))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .count();
        let pages = std::fs::read_dir(site.join(section))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().is_dir())
            .count();
        let drafts = if section == "practices" { 1 } else { 0 };
        assert_eq!(
            pages,
            sources - drafts,
            "{section}: one page per published document"
        );
    }
    assert!(
        !site.join("practices/shared-freezer-pooling").exists(),
        "the draft is left out"
    );
    assert!(
        !site.join("sitemap.xml").exists(),
        "no sitemap without base_url"
    );
}

#[test]
fn every_internal_link_and_anchor_of_the_example_resolves_from_file_urls() {
    let (out, _) = build_example();
    let broken = broken_links(&out.path().join("site"));
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn example_declares_tags_nobody_covers_and_they_are_still_listed() {
    let (out, _) = build_example();
    let index = std::fs::read_to_string(out.path().join("site/tags/index.html")).unwrap();
    for uncovered in ["grant-writing", "school-meals", "composting"] {
        assert!(
            index.contains(&format!("tags/{uncovered}/index.html")),
            "{uncovered} listed"
        );
        assert!(
            out.path()
                .join(format!("site/tags/{uncovered}/index.html"))
                .is_file()
        );
    }
    assert!(
        index.contains("not in the domain map"),
        "the undeclared tag is marked"
    );
}
