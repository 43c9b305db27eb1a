//! Publishing with GitHub Actions: `build --base-url`, the composite action
//! (`action.yml`, wired to `.github/scripts/practica-action.sh`), the
//! script run for real on git repositories, and the workflow `init` writes.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{doc, git, practica_command};
use serde_json::Value;

fn repo_file(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{e}"))
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every `${{ … }}` expression of a text.
fn expressions(text: &str) -> Vec<String> {
    text.split("${{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}").map(|(e, _)| e.trim().to_string()))
        .collect()
}

/// The names after `prefix` in expressions: `inputs.` gives the inputs used.
fn names_after(expressions: &[String], prefix: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for expression in expressions {
        for (at, _) in expression.match_indices(prefix) {
            let name: String = expression[at + prefix.len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if !name.is_empty() {
                names.insert(name);
            }
        }
    }
    names
}

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

// --- build --base-url -------------------------------------------------------

#[test]
fn base_url_on_the_command_line_overrides_community_yaml_and_is_checked() {
    let f = common::Fixture::with_config("title: T\nbase_url: https://old.example.org/\n");
    f.write("practices/a.md", &doc("title: A", "Body.\n"));
    let out = f.cli(&["build", "--base-url", "https://o.github.io/repo/"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let page = f.page("practices/a/index.html");
    assert!(
        page.contains(r#"<link rel="canonical" href="https://o.github.io/repo/practices/a/">"#),
        "{page}"
    );
    assert!(
        f.page("sitemap.xml")
            .contains("<loc>https://o.github.io/repo/practices/a/</loc>")
    );
    assert!(!f.page("feed.xml").contains("old.example.org"));

    // Checked as the setting is: nothing is written, exit 2, a hint.
    std::fs::remove_dir_all(f.out()).unwrap();
    for bad in [
        "o.github.io/repo",
        "https://o.github.io/a b",
        "https://x.org/?q",
    ] {
        let out = f.cli(&["build", "--base-url", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains("`--base-url`"), "{stderr}");
        assert!(stderr.contains(&format!("found `{bad}`")), "{stderr}");
        assert!(stderr.contains("hint: give the address"), "{stderr}");
        assert!(!f.out().exists(), "{bad}: nothing written");
    }
}

// --- action.yml ------------------------------------------------------------

const SCRIPT: &str = ".github/scripts/practica-action.sh";

#[test]
fn the_action_wires_every_input_and_output_to_its_script() {
    let text = read(&repo_file("action.yml"));
    let action = yaml(&text);
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = keys(&action["inputs"]);
    for (name, input) in action["inputs"].as_object().unwrap() {
        assert!(
            input["description"].as_str().is_some_and(|d| d.len() > 20),
            "{name}"
        );
        assert!(
            input["default"].is_string(),
            "{name}: every input has a default"
        );
    }
    let steps = action["runs"]["steps"].as_array().unwrap();
    // `if:` conditions are expressions without `${{ }}`.
    let mut used = expressions(&text);
    used.extend(
        steps
            .iter()
            .filter_map(|s| s["if"].as_str().map(String::from)),
    );
    assert_eq!(
        names_after(&used, "inputs."),
        inputs,
        "inputs defined and used"
    );

    let ids: BTreeSet<String> = steps
        .iter()
        .filter_map(|s| s["id"].as_str().map(String::from))
        .collect();
    let script = read(&repo_file(SCRIPT));
    for expression in &used {
        for (at, _) in expression.match_indices("steps.") {
            let rest = &expression[at + "steps.".len()..];
            let (id, rest) = rest
                .split_once(".outputs.")
                .unwrap_or_else(|| panic!("{expression}"));
            assert!(ids.contains(id), "{expression}: no step `{id}`");
            let output: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-')
                .collect();
            assert!(
                script.contains(&format!("output {output} ")),
                "{output}: the script never sets it"
            );
        }
    }
    for step in steps {
        let Some(run) = step["run"].as_str() else {
            assert!(step["uses"].is_string(), "{step}");
            continue;
        };
        assert_eq!(
            step["shell"], "bash",
            "{step}: composite steps name their shell"
        );
        // Inputs reach scripts through the environment, never pasted into them.
        assert!(!run.contains("${{"), "{run}");
        let mode = run.rsplit(' ').next().unwrap();
        assert!(run.contains(SCRIPT), "{run}");
        assert!(
            script.contains(&format!("  {mode}) ")),
            "{mode}: not a mode of the script"
        );
        for (variable, _) in step["env"].as_object().unwrap() {
            assert!(
                script.contains(variable.as_str()),
                "{variable}: the script never reads it"
            );
        }
    }
    // Every PRACTICA_ variable the script reads comes from the action, but
    // those only tests set (the binary, the folder for tools).
    let given: BTreeSet<String> = steps
        .iter()
        .filter_map(|s| s["env"].as_object())
        .flat_map(|env| env.keys().cloned())
        .collect();
    for variable in names_after(std::slice::from_ref(&script), "PRACTICA_") {
        let variable = format!("PRACTICA_{variable}");
        if !["PRACTICA_BIN", "PRACTICA_TOOLS"].contains(&variable.as_str()) {
            assert!(given.contains(&variable), "{variable} is never given");
        }
    }
    // README documents every input and output.
    let readme = read(&repo_file("README.md"));
    for name in inputs.iter().chain(keys(&action["outputs"]).iter()) {
        assert!(
            readme.contains(&format!("| `{name}` |")),
            "README has no row for `{name}`"
        );
    }
}

// --- the script, run -------------------------------------------------------

/// What a run of the script left: its exit, output, step outputs, summary.
struct Run {
    out: Output,
    outputs: String,
    summary: String,
    paths: String,
    temp: tempfile::TempDir,
}

impl Run {
    fn output(&self, name: &str) -> Option<String> {
        self.outputs
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}=")).map(String::from))
    }
}

fn script(dir: &Path, mode: &str, env: &[(&str, &str)]) -> Run {
    let temp = tempfile::tempdir().unwrap();
    let file = |name: &str| temp.path().join(name);
    let out = Command::new("bash")
        .arg(repo_file(SCRIPT))
        .arg(mode)
        .current_dir(dir)
        .env("PRACTICA_BIN", env!("CARGO_BIN_EXE_practica"))
        .env("PRACTICA_CACHE_DIR", common::test_cache_dir())
        .env("RUNNER_TEMP", temp.path())
        .env("GITHUB_OUTPUT", file("output"))
        .env("GITHUB_STEP_SUMMARY", file("summary"))
        .env("GITHUB_PATH", file("path"))
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("bash runs");
    let read_or_empty = |name: &str| std::fs::read_to_string(file(name)).unwrap_or_default();
    Run {
        outputs: read_or_empty("output"),
        summary: read_or_empty("summary"),
        paths: read_or_empty("path"),
        out,
        temp,
    }
}

const CONFIG: &str = "title: T\ntags:\n  - slug: cold-chain\n  - slug: pantries\n";

/// A repository whose `main` holds a community in `folder` with a declared
/// tag nobody wrote about, and a branch `change` that writes a practice on it.
fn repository(folder: &str) -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path().join(folder);
    write(&root.join("community.yaml"), CONFIG);
    write(
        &root.join("members/amara.md"),
        &doc("title: Amara", "Hi.\n"),
    );
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);
    git(repo.path(), &["checkout", "-q", "-b", "change"]);
    let practice = "title: Handover\ntags: [cold-chain]\nauthors: [amara]";
    write(
        &root.join("practices/handover.md"),
        &doc(practice, "Body.\n"),
    );
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-q", "-m", "change"]);
    repo
}

#[test]
fn on_a_pull_request_it_checks_and_reports_the_gaps_the_change_closes() {
    for folder in ["", "docs"] {
        let repo = repository(folder);
        let root = if folder.is_empty() { "." } else { folder };
        let run = script(
            repo.path(),
            "run",
            &[("PRACTICA_ROOT", root), ("PRACTICA_BASELINE_REF", "main")],
        );
        assert_eq!(run.out.status.code(), Some(0), "{}", text(&run.out.stderr));
        let file = run.output("gaps-file").expect("gaps-file output");
        assert!(Path::new(&file).starts_with(run.temp.path()), "{file}");
        let report = read(Path::new(&file));
        assert!(report.starts_with("**Gaps opened: "), "{report}");
        let closed = report
            .split("Closed:")
            .nth(1)
            .unwrap_or_else(|| panic!("{report}"));
        assert!(
            closed.contains("| `no-content` | #cold-chain |"),
            "{report}"
        );
        assert!(report.contains("Opened:"), "{report}");
        assert!(
            run.summary.contains("## Knowledge gaps\n\n**Gaps opened"),
            "{}",
            run.summary
        );
        assert!(
            text(&run.out.stdout).starts_with("practica "),
            "the version first"
        );
        // The base was checked out beside, and is gone.
        let worktrees = Command::new("git")
            .args(["worktree", "list"])
            .current_dir(repo.path())
            .output()
            .unwrap();
        assert_eq!(
            text(&worktrees.stdout).lines().count(),
            1,
            "{}",
            text(&worktrees.stdout)
        );
    }
}

#[test]
fn a_base_without_the_community_lists_every_gap() {
    let repo = repository("docs");
    // The community is new in this pull request: the base has none.
    git(repo.path(), &["checkout", "-q", "-b", "empty", "main"]);
    git(repo.path(), &["rm", "-rq", "docs"]);
    git(repo.path(), &["commit", "-q", "-m", "nothing"]);
    git(repo.path(), &["checkout", "-q", "change"]);
    let run = script(
        repo.path(),
        "run",
        &[
            ("PRACTICA_ROOT", "docs"),
            ("PRACTICA_BASELINE_REF", "empty"),
        ],
    );
    assert_eq!(run.out.status.code(), Some(0), "{}", text(&run.out.stderr));
    assert!(
        text(&run.out.stderr).contains("`empty` has no community in docs/"),
        "{}",
        text(&run.out.stderr)
    );
    let report = read(Path::new(&run.output("gaps-file").unwrap()));
    assert!(!report.contains("Gaps opened"), "{report}");
    assert!(report.contains("pantries"), "every gap: {report}");

    let missing = script(
        repo.path(),
        "run",
        &[
            ("PRACTICA_ROOT", "docs"),
            ("PRACTICA_BASELINE_REF", "no-such-branch"),
        ],
    );
    assert_eq!(missing.out.status.code(), Some(0));
    assert!(text(&missing.out.stderr).contains("cannot find `no-such-branch`"));
}

#[test]
fn problems_become_annotations_and_fail_the_step_after_the_gaps_report() {
    let repo = repository("");
    write(
        &repo.path().join("guides/g.md"),
        &doc("title: G", "[x](../practices/nope.md)\n"),
    );
    let run = script(repo.path(), "run", &[("PRACTICA_BASELINE_REF", "main")]);
    assert_eq!(run.out.status.code(), Some(1));
    let stdout = text(&run.out.stdout);
    assert!(
        stdout.contains("::error file=guides/g.md,line=4,col=1,"),
        "{stdout}"
    );
    assert!(run.output("gaps-file").is_some(), "the gaps still reported");

    // --fail-on with a baseline fails only on what the change opened.
    let repo = repository("");
    let opened = script(
        repo.path(),
        "run",
        &[
            ("PRACTICA_BASELINE_REF", "main"),
            ("PRACTICA_FAIL_ON", "no-content"),
        ],
    );
    assert_eq!(
        opened.out.status.code(),
        Some(0),
        "no-content only closed: {}",
        text(&opened.out.stderr)
    );
    let guide = script(
        repo.path(),
        "run",
        &[
            ("PRACTICA_BASELINE_REF", "main"),
            ("PRACTICA_FAIL_ON", "no-guide"),
        ],
    );
    assert_eq!(
        guide.out.status.code(),
        Some(1),
        "no-guide newly opened on cold-chain"
    );

    let bad = script(repo.path(), "run", &[("PRACTICA_COMMAND", "publish")]);
    assert_eq!(bad.out.status.code(), Some(2));
    assert!(text(&bad.out.stdout).contains("::error title=practica::command: `publish`"));
    let nowhere = script(repo.path(), "run", &[("PRACTICA_ROOT", "site")]);
    assert_eq!(nowhere.out.status.code(), Some(2));
    assert!(text(&nowhere.out.stdout).contains("site has no community.yaml"));
}

#[test]
fn on_the_main_branch_it_builds_for_the_pages_address() {
    let repo = repository("docs");
    let run = script(
        repo.path(),
        "run",
        &[
            ("PRACTICA_ROOT", "docs"),
            ("PRACTICA_COMMAND", "build"),
            ("PRACTICA_BASE_URL", "https://o.github.io/repo"),
            ("PRACTICA_GAPS", "false"),
        ],
    );
    assert_eq!(run.out.status.code(), Some(0), "{}", text(&run.out.stderr));
    assert_eq!(run.output("site").as_deref(), Some("docs/public"));
    assert_eq!(run.output("gaps-file"), None);
    let page = read(
        &repo
            .path()
            .join("docs/public/practices/handover/index.html"),
    );
    assert!(
        page.contains(r#"href="https://o.github.io/repo/practices/handover/""#),
        "{page}"
    );
}

// --- installing ------------------------------------------------------------

/// A release folder as GitHub serves one, holding `binary` packed the way
/// package-release.sh packs it for Linux on x86_64.
fn release(binary: &Path, checksum: Option<&str>) -> (tempfile::TempDir, String) {
    let version = env!("CARGO_PKG_VERSION");
    let name = format!("practica-{version}-x86_64-unknown-linux-gnu");
    let releases = tempfile::tempdir().unwrap();
    let tag = releases.path().join(format!("v{version}"));
    std::fs::create_dir_all(tag.join(&name)).unwrap();
    std::fs::copy(binary, tag.join(&name).join("practica")).unwrap();
    let archive = format!("{name}.tar.gz");
    let tar = Command::new("tar")
        .args(["-czf", &archive, &name])
        .current_dir(&tag)
        .output()
        .unwrap();
    assert!(tar.status.success());
    let sum = Command::new("sha256sum")
        .arg(&archive)
        .current_dir(&tag)
        .output()
        .unwrap();
    let line = checksum.map_or_else(|| text(&sum.stdout), |c| format!("{c}  {archive}\n"));
    std::fs::write(tag.join(format!("{archive}.sha256")), line).unwrap();
    let url = format!("file://{}", releases.path().display());
    (releases, url)
}

fn install(releases: &str, tools: &Path, how: &str) -> Run {
    script(
        tools,
        "install",
        &[
            ("PRACTICA_SOURCE", env!("CARGO_MANIFEST_DIR")),
            ("PRACTICA_RELEASES", releases),
            ("PRACTICA_INSTALL", how),
            ("PRACTICA_TOOLS", tools.to_str().unwrap()),
            ("RUNNER_OS", "Linux"),
            ("RUNNER_ARCH", "X64"),
        ],
    )
}

#[test]
fn install_takes_the_release_binary_and_checks_its_checksum() {
    if !cfg!(all(target_os = "linux", target_arch = "x86_64")) {
        return; // The packed binary is this machine's: it must run as Linux x86_64's.
    }
    let tools = tempfile::tempdir().unwrap();
    let (_releases, url) = release(Path::new(env!("CARGO_BIN_EXE_practica")), None);
    let run = install(&url, tools.path(), "auto");
    assert_eq!(run.out.status.code(), Some(0), "{}", text(&run.out.stderr));
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        run.output("installed").as_deref(),
        Some(format!("release v{version} (x86_64-unknown-linux-gnu)").as_str())
    );
    let dir = run.paths.trim();
    let installed = Command::new(Path::new(dir).join("practica"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(text(&installed.stdout).starts_with(&format!("practica {version}")));
    assert_eq!(run.output("source-root"), None, "nothing to build");

    // A download that does not match its checksum is refused outright.
    let tools = tempfile::tempdir().unwrap();
    let (_releases, url) = release(
        Path::new(env!("CARGO_BIN_EXE_practica")),
        Some(&"0".repeat(64)),
    );
    let run = install(&url, tools.path(), "auto");
    assert_eq!(run.out.status.code(), Some(2));
    assert!(text(&run.out.stdout).contains("does not match its SHA-256 checksum"));
    assert!(run.paths.is_empty(), "nothing on PATH");
}

#[test]
fn without_a_release_binary_install_says_what_to_build_and_cache() {
    let tools = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let url = format!("file://{}", empty.path().display());
    for how in ["auto", "source"] {
        let run = install(&url, tools.path(), how);
        assert_eq!(run.out.status.code(), Some(0), "{}", text(&run.out.stderr));
        let key = run.output("source-key").expect("a cache key");
        let prefix = format!("practica-source-Linux-X64-{}-", env!("CARGO_PKG_VERSION"));
        assert!(
            key.starts_with(&prefix) && key.len() == prefix.len() + 16,
            "{key}"
        );
        assert_eq!(
            run.output("source-root"),
            Some(format!("{}/practica/{key}", tools.path().display()))
        );
        assert!(run.paths.is_empty());
    }
    let run = install(&url, tools.path(), "nightly");
    assert_eq!(run.out.status.code(), Some(2));
}

// --- the workflow init writes ---------------------------------------------

#[test]
fn init_writes_a_workflow_that_checks_pull_requests_and_publishes_main() {
    let parent = tempfile::tempdir().unwrap();
    let out = practica_command()
        .args(["init", "club"])
        .current_dir(parent.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("club/.github/workflows/site.yml\n"));
    let workflow_text = read(&parent.path().join("club/.github/workflows/site.yml"));
    let workflow = yaml(&workflow_text);
    let action = yaml(&read(&repo_file("action.yml")));
    let inputs = keys(&action["inputs"]);
    let outputs = keys(&action["outputs"]);

    let repository = env!("CARGO_PKG_REPOSITORY").trim_start_matches("https://github.com/");
    let ours = format!("{repository}@v{}", env!("CARGO_PKG_VERSION"));
    let jobs = &workflow["jobs"];
    for (job, command) in [("check", "check"), ("publish", "build")] {
        let steps = jobs[job]["steps"].as_array().unwrap();
        let practica = steps.iter().find(|s| s["id"] == "practica").unwrap();
        assert_eq!(practica["uses"], ours.as_str(), "{job}");
        assert_eq!(practica["with"]["command"], command, "{job}");
        for key in keys(&practica["with"]) {
            assert!(
                inputs.contains(&key),
                "{job}: the action has no input `{key}`"
            );
        }
    }
    assert_eq!(
        jobs["check"]["steps"][1]["with"]["baseline-ref"],
        "${{ github.base_ref }}"
    );
    assert_eq!(
        jobs["publish"]["steps"][2]["with"]["base-url"],
        "${{ steps.pages.outputs.base_url }}"
    );
    assert_eq!(jobs["check"]["permissions"]["pull-requests"], "write");
    assert_eq!(jobs["publish"]["permissions"]["pages"], "write");
    let used = expressions(&workflow_text);
    for output in names_after(&used, "steps.practica.outputs.") {
        assert!(
            outputs.contains(&output),
            "the action has no output `{output}`"
        );
    }
    assert!(
        workflow_text.contains("<!-- practica gaps -->"),
        "one comment, updated"
    );
}
