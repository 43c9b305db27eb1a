//! Every template README names can be overridden from `ROOT/templates/`:
//! each test copies the example, overrides one template with the default
//! one plus a marker, builds, and finds the marker on a page that template
//! renders (and, for the per-kind templates, only on that kind's pages).

mod common;

use std::path::Path;

const DEFAULTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates");

/// The default template `name`, or `document.html` for the per-kind ones,
/// with `marker` where it will be written out.
fn marked(name: &str, marker: &str) -> String {
    let base = match name {
        "practice.html" | "guide.html" | "case-study.html" => "document.html",
        other => other,
    };
    let text = std::fs::read_to_string(Path::new(DEFAULTS).join(base)).unwrap();
    if text.starts_with("{% extends") {
        // A child template writes only its blocks.
        text.replacen(
            "{% block content %}",
            &format!("{{% block content %}}{marker}"),
            1,
        )
    } else if base == "base.html" {
        text.replacen("<body", &format!("{marker}<body"), 1)
    } else {
        format!("{marker}{text}")
    }
}

/// Builds the example with `name` overridden; returns the site's folder.
fn built_with_override(name: &str, marker: &str, into: &Path) -> std::path::PathBuf {
    let root = into.join("community");
    common::copy_example(&root);
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates").join(name), marked(name, marker)).unwrap();
    let report = practica::build(&practica::BuildOptions::new(&root));
    assert!(report.written, "{name}: {:?}", report.diagnostics);
    root.join("public")
}

/// The pages of the built site that contain `marker`.
fn pages_with(site: &Path, marker: &str) -> Vec<String> {
    let mut found: Vec<String> = walkdir::WalkDir::new(site)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains(marker)))
        .map(|e| {
            e.path()
                .strip_prefix(site)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    found.sort();
    found
}

fn assert_override_shows(name: &str, page: &str) {
    let marker = format!("<!--override:{name}-->");
    let dir = tempfile::tempdir().unwrap();
    let site = built_with_override(name, &marker, dir.path());
    let pages = pages_with(&site, &marker);
    assert!(
        pages.iter().any(|p| p == page),
        "templates/{name} is not used for {page}; its marker is on {pages:?}"
    );
}

#[test]
fn readme_names_every_template_tested_here() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme.find("### Templates").unwrap()..];
    let section = &section[..section.find("\n## ").unwrap()];
    for name in [
        "base.html",
        "index.html",
        "document.html",
        "member.html",
        "section.html",
        "members.html",
        "tags.html",
        "tag.html",
        "404.html",
        "search.html",
        "gaps.html",
        "card.html",
        "link-list.html",
        "gap-item.html",
        "practice.html",
        "guide.html",
        "case-study.html",
    ] {
        assert!(
            section.contains(&format!("`{name}`")),
            "README's Templates section does not name {name}"
        );
    }
}

#[test]
fn every_page_template_can_be_overridden() {
    for (name, page) in [
        ("base.html", "index.html"),
        ("index.html", "index.html"),
        ("document.html", "guides/measuring-what-matters/index.html"),
        ("member.html", "members/amara-okafor/index.html"),
        ("section.html", "practices/index.html"),
        ("members.html", "members/index.html"),
        ("tags.html", "tags/index.html"),
        ("tag.html", "tags/cold-chain/index.html"),
        ("404.html", "404.html"),
        ("search.html", "search/index.html"),
        ("gaps.html", "gaps/index.html"),
    ] {
        assert_override_shows(name, page);
    }
}

#[test]
fn every_partial_can_be_overridden() {
    for (name, page) in [
        ("card.html", "practices/index.html"),
        ("link-list.html", "guides/measuring-what-matters/index.html"),
        ("gap-item.html", "gaps/index.html"),
    ] {
        assert_override_shows(name, page);
    }
}

#[test]
fn a_kind_template_takes_over_that_kind_and_no_other() {
    for (name, folder) in [
        ("practice.html", "practices/"),
        ("guide.html", "guides/"),
        ("case-study.html", "case-studies/"),
    ] {
        let marker = format!("<!--override:{name}-->");
        let dir = tempfile::tempdir().unwrap();
        let site = built_with_override(name, &marker, dir.path());
        let pages = pages_with(&site, &marker);
        let documents: Vec<&String> = pages.iter().filter(|p| p.starts_with(folder)).collect();
        assert!(
            documents.len() > 2,
            "templates/{name} renders no page in {folder}: {pages:?}"
        );
        assert!(
            pages
                .iter()
                .all(|p| p.starts_with(folder) && p != &format!("{folder}index.html")),
            "templates/{name} renders pages that are not its kind's documents: {pages:?}"
        );
    }
}
