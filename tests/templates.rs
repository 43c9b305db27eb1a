//! Every template (`Template::ALL`, each named in README) can be
//! overridden from `ROOT/templates/`: each test copies the example,
//! overrides one template with the default one plus a marker, builds, and
//! finds the marker on a page that template renders (and, for a kind's own
//! template, only on that kind's documents).

mod common;

use std::path::Path;

use practica::document::Kind;
use practica::render::Template;

const DEFAULTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates");

/// The default template `name`, or `document.html` for a kind's own
/// template the default theme does not ship, with `marker` where it will
/// be written out.
fn marked(name: &str, marker: &str) -> String {
    let shipped = Path::new(DEFAULTS).join(name);
    let base = if shipped.exists() {
        name
    } else {
        "document.html"
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

/// Where an overridden template shows in the example: a match, so a new
/// template does not compile here until it has a page that proves it used.
enum Shows {
    /// On this page (and maybe others).
    On(&'static str),
    /// On this kind's documents in this folder, and on no other page.
    OnlyOnDocumentsIn(&'static str),
}

fn shows(template: Template) -> Shows {
    match template {
        Template::Base => Shows::On("index.html"),
        Template::Index => Shows::On("index.html"),
        Template::Document => Shows::On("guides/measuring-what-matters/index.html"),
        Template::Section => Shows::On("practices/index.html"),
        Template::Members => Shows::On("members/index.html"),
        Template::Tags => Shows::On("tags/index.html"),
        Template::Tag => Shows::On("tags/cold-chain/index.html"),
        Template::NotFound => Shows::On("404.html"),
        Template::Search => Shows::On("search/index.html"),
        Template::Gaps => Shows::On("gaps/index.html"),
        Template::Insights => Shows::On("insights/index.html"),
        Template::ToolkitPrint => Shows::On("toolkits/fridge-host-starter-kit/print/index.html"),
        Template::Card => Shows::On("practices/index.html"),
        Template::LinkList => Shows::On("guides/measuring-what-matters/index.html"),
        Template::GapItem => Shows::On("gaps/index.html"),
        Template::SectionSteps => Shows::On("guides/measuring-what-matters/index.html"),
        Template::PageSocial => Shows::On("guides/measuring-what-matters/index.html"),
        Template::Pagination => Shows::On("practices/index.html"),
        Template::PageCare => Shows::On("toolkits/fridge-host-starter-kit/index.html"),
        Template::Kind(kind) => Shows::OnlyOnDocumentsIn(match kind {
            Kind::Practice => "practices/",
            Kind::Guide => "guides/",
            Kind::CaseStudy => "case-studies/",
            Kind::Member => "members/",
            Kind::Toolkit => "toolkits/",
        }),
    }
}

#[test]
fn readme_names_every_template() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme.find("### Templates").unwrap()..];
    let section = &section[..section.find("\n## ").unwrap()];
    for template in Template::ALL {
        let name = template.file_name();
        assert!(
            section.contains(&format!("`{name}`")),
            "README's Templates section does not name {name}"
        );
    }
}

#[test]
fn every_page_template_and_partial_can_be_overridden() {
    for template in Template::ALL {
        if let Shows::On(page) = shows(template) {
            assert_override_shows(template.file_name(), page);
        }
    }
}

#[test]
fn a_kind_template_takes_over_that_kind_and_no_other() {
    for template in Template::ALL {
        let Shows::OnlyOnDocumentsIn(folder) = shows(template) else {
            continue;
        };
        let name = template.file_name();
        let marker = format!("<!--override:{name}-->");
        let dir = tempfile::tempdir().unwrap();
        let site = built_with_override(name, &marker, dir.path());
        let pages = pages_with(&site, &marker);
        let documents: Vec<&String> = pages.iter().filter(|p| p.starts_with(folder)).collect();
        // The example's smallest section, toolkits, has two documents.
        assert!(
            documents.len() >= 2,
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

/// The built-in theme's document pages get their body spliced in after
/// the template is rendered; a community's own copy of the same templates
/// takes the body through Tera. Both must write the same bytes.
#[test]
fn a_body_spliced_in_equals_one_rendered_by_tera() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("community");
    common::copy_example(&root);
    // A body with a comment like the splice's mark, and raw HTML.
    std::fs::write(
        root.join("guides/splice-check.md"),
        "---\ntitle: Splice <check>\n---\n<!--practica:body-->\n\nText & <b>bold</b>.\n",
    )
    .unwrap();
    let today = jiff::civil::date(2026, 11, 1);
    let built_in = common::built_files(&root, today);
    std::fs::create_dir_all(root.join("templates")).unwrap();
    for name in ["document.html", "member.html"] {
        std::fs::copy(
            Path::new(DEFAULTS).join(name),
            root.join("templates").join(name),
        )
        .unwrap();
    }
    let own = common::built_files(&root, today);
    assert_eq!(built_in.len(), own.len());
    for (path, bytes) in &built_in {
        assert!(own.get(path) == Some(bytes), "{path} differs");
    }
    let page = String::from_utf8_lossy(&built_in["guides/splice-check/index.html"]).into_owned();
    assert!(page.contains("Text &amp; <b>bold</b>."), "{page}");
}
