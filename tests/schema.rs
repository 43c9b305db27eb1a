//! `practica schema` and the editor files `practica init` writes: the
//! schemas as files, checked with a JSON Schema validator against the
//! example community and the starter, and against files they must refuse.

mod common;

use std::path::Path;
use std::process::Output;

use common::practica_command;
use serde_json::{Value, json};

const SUBJECTS: [&str; 6] = [
    "community",
    "practice",
    "guide",
    "case-study",
    "member",
    "toolkit",
];

fn run(dir: &Path, args: &[&str]) -> Output {
    practica_command()
        .args(args)
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .output()
        .expect("run practica")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The validators of the schemas written into `dir`, by subject.
fn validators(dir: &Path) -> Vec<(&'static str, jsonschema::Validator)> {
    SUBJECTS
        .iter()
        .map(|subject| {
            let schema = read_json(&dir.join(format!("{subject}.schema.json")));
            assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
            let validator = jsonschema::draft7::new(&schema)
                .unwrap_or_else(|e| panic!("{subject}: not a valid draft-07 schema: {e}"));
            (*subject, validator)
        })
        .collect()
}

fn validator<'a>(
    validators: &'a [(&str, jsonschema::Validator)],
    subject: &str,
) -> &'a jsonschema::Validator {
    &validators.iter().find(|(s, _)| *s == subject).unwrap().1
}

/// The problems `validator` finds in `instance`, as `path: message`.
fn problems(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// A YAML text (a whole file, or front matter) as JSON.
fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{e}:\n{text}"))
}

/// The front matter of a markdown document.
fn front_matter(text: &str) -> Value {
    let rest = text.strip_prefix("---\n").expect("front matter");
    let end = rest.find("\n---\n").expect("closed front matter");
    yaml(&rest[..=end])
}

/// The documents under `root`, each with the subject of its section.
fn documents(root: &Path) -> Vec<(std::path::PathBuf, &'static str)> {
    let sections = [
        ("practices", "practice"),
        ("guides", "guide"),
        ("case-studies", "case-study"),
        ("members", "member"),
    ];
    let mut found = Vec::new();
    for (section, subject) in sections {
        for entry in walkdir::WalkDir::new(root.join(section)) {
            let path = entry.unwrap().into_path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".md") && name != "README.md" {
                found.push((path, subject));
            }
        }
    }
    found
}

#[test]
fn schema_prints_one_and_writes_all() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["schema", "--out", "schemas"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let listed: Vec<String> = SUBJECTS
        .iter()
        .map(|s| format!("schemas/{s}.schema.json"))
        .collect();
    assert_eq!(stdout(&out).lines().collect::<Vec<_>>(), listed);
    for subject in SUBJECTS {
        let one = run(dir.path(), &["schema", subject]);
        assert_eq!(one.status.code(), Some(0), "{}", stderr(&one));
        let file = dir.path().join(format!("schemas/{subject}.schema.json"));
        assert_eq!(stdout(&one), std::fs::read_to_string(file).unwrap());
    }
    // Written again over the old ones: that is how they are refreshed.
    std::fs::write(dir.path().join("schemas/guide.schema.json"), "old").unwrap();
    assert_eq!(
        run(dir.path(), &["schema", "--out", "schemas"])
            .status
            .code(),
        Some(0)
    );
    read_json(&dir.path().join("schemas/guide.schema.json"));

    let nothing = run(dir.path(), &["schema"]);
    assert_eq!(nothing.status.code(), Some(2));
    assert!(
        stderr(&nothing).contains("<SUBJECT>"),
        "{}",
        stderr(&nothing)
    );
    let unknown = run(dir.path(), &["schema", "article"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("case-study"),
        "{}",
        stderr(&unknown)
    );

    std::fs::write(dir.path().join("a-file"), "x").unwrap();
    let blocked = run(dir.path(), &["schema", "--out", "a-file/schemas"]);
    assert_eq!(blocked.status.code(), Some(2));
    assert!(
        stderr(&blocked).contains("cannot write a-file/schemas"),
        "{}",
        stderr(&blocked)
    );
}

#[test]
fn the_example_community_meets_its_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["schema", "--out", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let validators = validators(dir.path());
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-community");
    let config = yaml(&std::fs::read_to_string(example.join("community.yaml")).unwrap());
    let found = problems(validator(&validators, "community"), &config);
    assert!(found.is_empty(), "community.yaml: {found:#?}");
    let documents = documents(&example);
    assert!(documents.len() >= 40, "{}", documents.len());
    for (path, subject) in documents {
        let front = front_matter(&std::fs::read_to_string(&path).unwrap());
        let found = problems(validator(&validators, subject), &front);
        assert!(found.is_empty(), "{}: {found:#?}", path.display());
    }
}

#[test]
fn the_schemas_refuse_unknown_settings_wrong_types_and_other_kinds_keys() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &["schema", "--out", "."]);
    let validators = validators(dir.path());
    // `needle`: part of a problem, as `/path/in/file: message`.
    let refused = |subject: &str, instance: Value, needle: &str| {
        let found = problems(validator(&validators, subject), &instance);
        assert!(
            found.iter().any(|p| p.contains(needle)),
            "{subject} {instance}: expected a problem with {needle:?}, got {found:#?}"
        );
    };
    refused(
        "community",
        yaml("title: T\ncolour: teal\n"),
        "'colour' was unexpected",
    );
    refused(
        "community",
        yaml("title: T\npretty_links: yes\n"),
        "/pretty_links: ",
    );
    refused(
        "community",
        yaml("title: T\nbase_url: example.org\n"),
        "/base_url: ",
    );
    refused(
        "community",
        yaml("title: T\ngit_dates: sometimes\n"),
        "/git_dates: ",
    );
    refused(
        "community",
        yaml("title: T\ngaps:\n  stale_after_months: 0\n"),
        "/gaps/stale_after_months: ",
    );
    refused(
        "community",
        yaml("title: T\ntags:\n  - title: No slug\n"),
        "/tags/0: ",
    );
    refused(
        "community",
        yaml("description: no title\n"),
        "\"title\" is a required property",
    );
    refused("practice", yaml("title: T\nstatus: tried\n"), "/status: ");
    refused("practice", yaml("title: T\ndate: March 2024\n"), "/date: ");
    refused(
        "practice",
        yaml("title: T\ntags: {cold-chain: true}\n"),
        "/tags: ",
    );
    refused("guide", yaml("title: T\nstatus: emerging\n"), "/status: ");
    refused("guide", yaml("title: T\ndraft: \"yes\"\n"), "/draft: ");
    refused(
        "member",
        yaml("title: T\nlinks:\n  - title: No address\n"),
        "/links/0: ",
    );
    refused("member", yaml("title: T\nauthors: [amara]\n"), "/authors: ");

    // What every one of them allows: empty keys, and keys for templates.
    let fine = yaml("title: T\nsummary:\nhero_image: x.png\nstatus: Established\n");
    assert!(problems(validator(&validators, "practice"), &fine).is_empty());
}

#[test]
fn init_points_editors_at_the_schemas_of_this_version() {
    let parent = tempfile::tempdir().unwrap();
    let out = run(parent.path(), &["init", "club"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let club = parent.path().join("club");
    for file in [
        ".practica/schemas/community.schema.json",
        ".practica/schemas/member.schema.json",
        ".vscode/settings.json",
        ".vscode/extensions.json",
    ] {
        assert!(
            stdout(&out).contains(&format!("club/{file}\n")),
            "{}",
            stdout(&out)
        );
    }
    for subject in SUBJECTS {
        let printed = stdout(&run(parent.path(), &["schema", subject]));
        let written = club.join(format!(".practica/schemas/{subject}.schema.json"));
        assert_eq!(
            std::fs::read_to_string(written).unwrap(),
            printed,
            "{subject}"
        );
    }

    // community.yaml names its schema on its first line, relative to itself.
    let config = std::fs::read_to_string(club.join("community.yaml")).unwrap();
    let first = config.lines().next().unwrap();
    let schema = first
        .strip_prefix("# yaml-language-server: $schema=")
        .unwrap_or_else(|| panic!("{first}"));
    assert!(club.join(schema).is_file(), "{schema}");
    // VS Code maps it too, from the workspace folder.
    let settings = read_json(&club.join(".vscode/settings.json"));
    let mapped = settings["yaml.schemas"].as_object().unwrap();
    assert_eq!(mapped.len(), 1, "{settings}");
    let (path, files) = mapped.iter().next().unwrap();
    assert!(club.join(path).is_file(), "{path}");
    assert_eq!(files, &json!(["/community.yaml"]));
    let extensions = read_json(&club.join(".vscode/extensions.json"));
    assert_eq!(extensions["recommendations"], json!(["redhat.vscode-yaml"]));

    // The starter meets its own schemas.
    let validators = validators(&club.join(".practica/schemas"));
    let found = problems(validator(&validators, "community"), &yaml(&config));
    assert!(found.is_empty(), "{found:#?}");
    let documents = documents(&club);
    assert_eq!(documents.len(), 4);
    for (path, subject) in documents {
        let front = front_matter(&std::fs::read_to_string(&path).unwrap());
        let found = problems(validator(&validators, subject), &front);
        assert!(found.is_empty(), "{}: {found:#?}", path.display());
    }
    // And the files for editors are no part of the site.
    let check = run(&club, &["check"]);
    assert!(
        stderr(&check).ends_with(": 0 errors, 0 warnings\n"),
        "{}",
        stderr(&check)
    );
}
