//! `practica cms`: the Decap CMS editor written into a community, kept in
//! step by `check`, and published like any other static file. The forms
//! themselves are driven in Chromium by `tests/browser/cms.test.mjs`.

mod common;

use std::path::Path;

use common::{Fixture, copy_example, messages};
use practica::cms::{Change, CmsOptions};

const CONFIG: &str = "static/admin/config.yml";

fn cms(root: &Path) -> Vec<(std::path::PathBuf, Change)> {
    practica::cms::write(&CmsOptions {
        root: root.to_path_buf(),
        script: None,
    })
    .unwrap_or_else(|problems| panic!("{problems:#?}"))
}

fn check(root: &Path) -> practica::BuildReport {
    practica::build(&practica::BuildOptions {
        write: false,
        ..practica::BuildOptions::new(root)
    })
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap()
}

fn yaml(text: &str) -> serde_json::Value {
    serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn collection<'v>(config: &'v serde_json::Value, name: &str) -> &'v serde_json::Value {
    config["collections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no collection {name}"))
}

fn field<'v>(collection: &'v serde_json::Value, name: &str) -> &'v serde_json::Value {
    collection["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no field {name} in {}", collection["name"]))
}

fn option_values(field: &serde_json::Value) -> Vec<String> {
    field["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["value"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_example_gets_a_form_per_kind_from_its_own_tables_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path());
    let written = cms(dir.path());
    assert_eq!(
        written,
        vec![
            (CONFIG.into(), Change::Created),
            ("static/admin/index.html".into(), Change::Created)
        ]
    );
    let config = yaml(&read(dir.path(), CONFIG));
    let names: Vec<&str> = config["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["practices", "guides", "case-studies", "members"]);

    let practices = collection(&config, "practices");
    assert_eq!(practices["folder"], "practices");
    assert_eq!(practices["slug"], "{{slug}}");
    assert_eq!(field(practices, "title")["required"], true);
    assert_eq!(field(practices, "summary")["required"], false);
    assert_eq!(
        option_values(field(practices, "status")),
        ["proposed", "emerging", "established", "retired"]
    );
    let tags = field(practices, "tags");
    assert_eq!(
        (&tags["widget"], &tags["multiple"]),
        (&"select".into(), &true.into())
    );
    let declared = [
        "food-safety",
        "temperature-control",
        "cold-chain",
        "grant-writing",
    ];
    for tag in declared {
        assert!(option_values(tags).contains(&tag.to_string()), "{tag}");
    }
    let authors = field(practices, "authors");
    assert_eq!(
        (
            &authors["widget"],
            &authors["collection"],
            &authors["multiple"]
        ),
        (&"relation".into(), &"members".into(), &true.into())
    );
    assert_eq!(field(practices, "owner")["multiple"], false);
    let date = field(practices, "review_by");
    assert_eq!(
        (&date["widget"], &date["time_format"]),
        (&"datetime".into(), &false.into())
    );
    let image = field(practices, "image");
    assert_eq!(
        (&image["widget"], &image["choose_url"]),
        (&"image".into(), &true.into()),
        "a picture is uploaded, or an address given"
    );
    assert!(
        field(practices, "body")["hint"]
            .as_str()
            .unwrap()
            .contains("[[?")
    );

    let guides = collection(&config, "guides");
    assert_eq!(field(guides, "practices")["collection"], "practices");
    let members = collection(&config, "members");
    for key in ["expertise", "learning"] {
        assert_eq!(option_values(field(members, key)), option_values(tags));
    }
    for key in ["mentor", "role", "organization", "links"] {
        field(members, key);
    }
    assert_eq!(
        members["fields"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["name"] == "tags")
            .count(),
        0,
        "members list topics under expertise and learning"
    );

    let index = read(dir.path(), "static/admin/index.html");
    assert!(index.contains(&format!(
        "https://unpkg.com/decap-cms@{}/dist/decap-cms.js",
        practica::cms::DECAP_VERSION
    )));
    assert!(index.contains(r#"CMS.registerPreviewStyle("../assets/style.css")"#));
    assert!(index.contains(r#"<meta name="practica-live-reload" content="off">"#));

    let report = check(dir.path());
    assert_eq!(messages(&report), Vec::<String>::new());
}

#[test]
fn check_warns_at_the_place_in_config_yml_when_the_editor_is_out_of_step() {
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path());
    cms(dir.path());
    let community = read(dir.path(), "community.yaml").replacen(
        "tags:\n",
        "tags:\n  - slug: seed-saving\n    title: Seed saving\n",
        1,
    );
    std::fs::write(dir.path().join("community.yaml"), community).unwrap();
    let config = read(dir.path(), CONFIG);
    // The practices form loses `status`; guides choose practices from a
    // collection that is gone.
    let without_status = config.replacen("  - name: status\n", "  - name: state\n", 1);
    let moved = without_status.replacen("folder: guides", "folder: guide", 1);
    let broken = moved.replacen("collection: practices", "collection: methods", 1);
    assert_ne!(broken, moved);
    assert_ne!(moved, without_status);
    std::fs::write(dir.path().join(CONFIG), &broken).unwrap();

    let report = check(dir.path());
    let warnings: Vec<&practica::Diagnostic> = report.diagnostics.iter().collect();
    let topic: Vec<_> = warnings
        .iter()
        .filter(|d| d.message.contains("topic `seed-saving`"))
        .collect();
    // tags of practices, guides, case studies; expertise and learning.
    assert_eq!(topic.len(), 5, "{:#?}", messages(&report));
    let line_of = |needle: &str, from: usize| {
        broken
            .lines()
            .enumerate()
            .skip(from)
            .find(|(_, l)| l.trim_start() == needle)
            .unwrap()
            .0
            + 1
    };
    let practices = line_of("- name: practices", 0);
    let first = topic[0];
    assert_eq!(first.path(), Some(CONFIG));
    assert_eq!(
        first.span().unwrap().line,
        line_of("- name: tags", practices)
    );
    assert_eq!(
        first.hint.as_deref(),
        Some("run `practica cms` to update static/admin/config.yml")
    );
    let status = common::find(&report, "no `status` field");
    assert_eq!(status.span().unwrap().line, practices);
    let relation = common::find(&report, "collection `methods`");
    assert!(
        relation
            .message
            .contains("`practices` of the `guides` form")
    );
    let folder = common::find(&report, "saves into `guide/`");
    assert_eq!(folder.span().unwrap().line, line_of("- name: guides", 0));
    assert!(
        folder
            .message
            .ends_with("but practica reads guides from `guides/`")
    );
    assert_eq!(report.diagnostics.warnings(), 8, "{:#?}", messages(&report));
    assert_eq!(report.diagnostics.errors(), 0);

    // Made again, the editor is in step.
    cms(dir.path());
    assert_eq!(messages(&check(dir.path())), Vec::<String>::new());
    let config = yaml(&read(dir.path(), CONFIG));
    let offered = option_values(field(collection(&config, "members"), "expertise"));
    assert!(offered.contains(&"seed-saving".to_string()));
}

#[test]
fn made_again_the_collections_change_and_the_communitys_settings_stay_as_written() {
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path());
    cms(dir.path());
    let first = read(dir.path(), CONFIG);
    let (settings, generated) = first.split_once("# Made by `practica cms`").unwrap();
    let own = settings
        .replace(
            "repo: example/food-rescue-commons",
            "repo: rescue/commons-site",
        )
        .replace("branch: main", "branch: published")
        .replace(
            "media_folder: static/images/uploads",
            "media_folder: static/uploads",
        )
        .replace("public_folder: /images/uploads", "public_folder: /uploads")
        .replace(
            "# logo_url: https://example.org/logo.svg",
            "logo_url: /images/logo.svg # our logo\nlocale: es",
        );
    assert_ne!(own, settings);
    let hand_edit = generated.replacen("label: Practices", "label: Methods", 1);
    std::fs::write(
        dir.path().join(CONFIG),
        format!("{own}# Made by `practica cms`{hand_edit}"),
    )
    .unwrap();
    let community = read(dir.path(), "community.yaml").replacen(
        "tags:\n",
        "tags:\n  - slug: seed-saving\n    title: Seed saving\n",
        1,
    );
    std::fs::write(dir.path().join("community.yaml"), community).unwrap();

    let written = cms(dir.path());
    assert_eq!(written[0], (CONFIG.into(), Change::Updated));
    assert_eq!(written[1].1, Change::Unchanged);
    let again = read(dir.path(), CONFIG);
    assert!(again.starts_with(own.trim_end()), "{again}");
    assert!(again.contains("logo_url: /images/logo.svg # our logo\n"));
    let config = yaml(&again);
    assert_eq!(config["backend"]["repo"], "rescue/commons-site");
    assert_eq!(config["backend"]["branch"], "published");
    assert_eq!(config["media_folder"], "static/uploads");
    assert_eq!(config["locale"], "es");
    let practices = collection(&config, "practices");
    assert_eq!(
        practices["label"], "Practices",
        "the generated part is made again"
    );
    assert!(option_values(field(practices, "tags")).contains(&"seed-saving".to_string()));

    // A third run changes nothing.
    assert!(cms(dir.path()).iter().all(|(_, c)| *c == Change::Unchanged));
}

#[test]
fn settings_written_by_hand_are_kept_and_hand_written_collections_refused() {
    let fixture = Fixture::new();
    fixture.write(
        CONFIG,
        "backend:\n  name: git-gateway\nmedia_folder: static/media\n",
    );
    cms(fixture.root());
    let text = read(fixture.root(), CONFIG);
    assert!(text.starts_with("backend:\n  name: git-gateway\nmedia_folder: static/media\n"));
    assert_eq!(yaml(&text)["collections"].as_array().unwrap().len(), 4);

    fixture.write(
        CONFIG,
        "backend:\n  name: git-gateway\ncollections:\n  - name: posts\n",
    );
    let problems = practica::cms::write(&CmsOptions {
        root: fixture.root().to_path_buf(),
        script: None,
    })
    .unwrap_err();
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].to_string().starts_with(
            "static/admin/config.yml:3:1: error: the editor's settings have collections practica did not write\n  hint: remove `collections:`"
        ),
        "{}",
        problems[0]
    );
}

#[test]
fn a_community_without_settings_gets_no_editor_files() {
    let dir = tempfile::tempdir().unwrap();
    let problems = practica::cms::write(&CmsOptions {
        root: dir.path().to_path_buf(),
        script: None,
    })
    .unwrap_err();
    assert!(problems[0].message.contains("cannot read community.yaml"));
    assert!(!dir.path().join("static").exists());
}

#[test]
fn the_command_writes_the_editor_and_points_at_a_chosen_bundle() {
    let fixture = Fixture::with_config(
        "title: A <Fine> Commons\nbase_url: https://example.org/commons/\nedit_url: https://github.com/rescue/site/edit/trunk/{path}\n",
    );
    let output = fixture.cli(&["cms", ".", "--script", "/decap/decap-cms.js"]);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("created   static/admin/config.yml"),
        "{stdout}"
    );
    let index = read(fixture.root(), "static/admin/index.html");
    assert!(index.contains(r#"<script src="/decap/decap-cms.js"></script>"#));
    assert!(index.contains("<title>Edit A &lt;Fine&gt; Commons</title>"));
    let config = yaml(&read(fixture.root(), CONFIG));
    assert_eq!(config["backend"]["repo"], "rescue/site");
    assert_eq!(config["backend"]["branch"], "trunk");
    assert_eq!(config["public_folder"], "/commons/images/uploads");
    assert_eq!(config["site_url"], "https://example.org/commons/");

    // The bundle chosen is kept by a run without `--script`.
    let again = fixture.cli(&["cms", "."]);
    assert!(again.status.success(), "{again:?}");
    assert!(String::from_utf8_lossy(&again.stdout).contains("unchanged static/admin/index.html"));
    // practica's own choice moves with practica: an older release is updated.
    let older = index.replace(
        "/decap/decap-cms.js",
        "https://unpkg.com/decap-cms@3.0.0/dist/decap-cms.js",
    );
    fixture.write("static/admin/index.html", &older);
    assert!(fixture.cli(&["cms", "."]).status.success());
    assert!(
        read(fixture.root(), "static/admin/index.html").contains(&practica::cms::default_script())
    );
}

/// The editor is a static file: not a page of the search index, the
/// sitemap, the feed or the gap map.
#[test]
fn the_editor_is_published_but_in_no_index_sitemap_feed_or_gap_map() {
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path());
    let community = read(dir.path(), "community.yaml").replace(
        "# base_url: https://food-rescue-commons.example.org/",
        "base_url: https://food-rescue-commons.example.org/",
    );
    std::fs::write(dir.path().join("community.yaml"), community).unwrap();
    cms(dir.path());
    let out = dir.path().join("site");
    let report = practica::build(&practica::BuildOptions {
        output: Some(out.clone()),
        ..practica::BuildOptions::new(dir.path())
    });
    assert!(report.written, "{:#?}", messages(&report));
    assert_eq!(
        std::fs::read(out.join("admin/config.yml")).unwrap(),
        std::fs::read(dir.path().join(CONFIG)).unwrap()
    );
    assert!(out.join("admin/index.html").is_file());
    let outputs = [
        "sitemap.xml",
        "feed.xml",
        "graph.json",
        "gaps.json",
        "gaps/index.html",
    ];
    let search = walkdir::WalkDir::new(out.join("search"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf());
    let files: Vec<_> = outputs.iter().map(|f| out.join(f)).chain(search).collect();
    assert!(files.len() > outputs.len(), "the search index has files");
    for file in files {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        assert!(
            !text.contains("admin/"),
            "{} mentions the editor",
            file.display()
        );
    }
}

/// A form's empty fields are written as empty text; they are keys not
/// given, not a date that is no date or an owner who is nobody.
#[test]
fn a_document_as_the_editor_writes_it_checks_clean() {
    let fixture =
        Fixture::with_config("title: T\ntags:\n  - slug: cold-chain\n    title: Cold chain\n");
    fixture.write(
        "members/amara-okafor.md",
        &common::member("Amara Okafor", ""),
    );
    fixture.write(
        "practices/surplus-swap-shelf.md",
        "---\ntitle: Surplus swap shelf\nsummary: \"\"\ndate: \"\"\nupdated: \"\"\ndraft: false\nreview_by: \"\"\nlanguage: \"\"\nowner: \"\"\nstatus: \"\"\ntags:\n  - cold-chain\nauthors:\n  - amara-okafor\n---\nA shelf where hosts swap surplus.\n",
    );
    let report = check(fixture.root());
    assert_eq!(messages(&report), Vec::<String>::new());
}
