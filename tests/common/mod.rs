//! Fixture communities written into temporary folders, built for real.
#![allow(dead_code)]

pub mod http;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use practica::{BuildOptions, BuildReport, Diagnostic};

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

pub const MINIMAL_CONFIG: &str = "title: Test Commons\ndescription: A test community.\n";

impl Fixture {
    /// A community with a `community.yaml` and nothing else.
    pub fn new() -> Fixture {
        Fixture::with_config(MINIMAL_CONFIG)
    }

    pub fn with_config(config: &str) -> Fixture {
        let fixture = Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        fixture.write("community.yaml", config);
        fixture
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, path: &str, content: &str) -> &Self {
        self.write_bytes(path, content.as_bytes())
    }

    pub fn write_bytes(&self, path: &str, content: &[u8]) -> &Self {
        let path = self.root().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
        self
    }

    pub fn build(&self) -> BuildReport {
        practica::build(&BuildOptions::new(self.root()))
    }

    pub fn build_with(&self, change: impl FnOnce(&mut BuildOptions)) -> BuildReport {
        let mut options = BuildOptions::new(self.root());
        change(&mut options);
        practica::build(&options)
    }

    /// A page of the built site, by its path in the output.
    pub fn page(&self, path: &str) -> String {
        std::fs::read_to_string(self.out().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// `cli`, with the parse cache in `cache`.
    pub fn cli_with_cache(&self, args: &[&str], cache: &Path) -> Output {
        practica_command()
            .args(args)
            .env("NO_COLOR", "1")
            .env("PRACTICA_CACHE_DIR", cache)
            .current_dir(self.root())
            .output()
            .expect("run practica")
    }

    pub fn cli(&self, args: &[&str]) -> Output {
        practica_command()
            .args(args)
            .env("NO_COLOR", "1")
            .current_dir(self.root())
            .output()
            .expect("run practica")
    }
}

/// The practica binary, with its parse caches in one folder of the
/// system's temporary folder rather than the user's cache.
/// Runs git in `dir` as the tests' own user (`t`, no signing, first
/// branch `main`) with `env` set, say an author or a date; a failure
/// panics with git's message.
pub fn git_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@t"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn git(dir: &Path, args: &[&str]) {
    git_with(dir, args, &[]);
}

pub fn practica_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_practica"));
    command.env("PRACTICA_CACHE_DIR", test_cache_dir());
    command
}

/// A `git` that writes each call's arguments, a line each, to `calls`,
/// then runs the real one: `PATH` for a command to find it first (the
/// shim lives in `folder`).
pub fn logging_git(folder: &Path, calls: &Path) -> String {
    let real = Command::new("sh")
        .args(["-c", "command -v git"])
        .output()
        .unwrap()
        .stdout;
    let script = format!(
        "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
        calls.display(),
        String::from_utf8(real).unwrap().trim()
    );
    let git_path = folder.join("git");
    std::fs::write(&git_path, script).unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(&git_path)
        .status()
        .unwrap();
    format!(
        "{}:{}",
        folder.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

pub fn test_cache_dir() -> PathBuf {
    std::env::temp_dir().join("practica-tests-cache")
}

/// A document file with front matter lines and a body.
pub fn doc(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n{body}")
}

pub fn member(name: &str, extra: &str) -> String {
    doc(&format!("title: {name}\n{extra}"), "A member.\n")
}

pub fn messages(report: &BuildReport) -> Vec<String> {
    report
        .diagnostics
        .clone()
        .sorted()
        .iter()
        .map(Diagnostic::to_string)
        .collect()
}

/// The one diagnostic whose message contains `needle`; fails with all of them otherwise.
pub fn find<'a>(report: &'a BuildReport, needle: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.message.contains(needle))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one diagnostic with {needle:?}, got {:#?}",
        messages(report)
    );
    found[0]
}

/// Every `href` and `src` of an HTML text.
pub fn links_in(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attr) {
            rest = &rest[start + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            links.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    links
}

/// Checks every relative link of every HTML page of `out` the way a browser
/// on `file://` follows it: the file must exist, and so must the `#anchor`.
pub fn broken_links(out: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    for entry in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html") || path.ends_with("404.html") {
            continue;
        }
        let html = std::fs::read_to_string(path).unwrap();
        for link in links_in(&html) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = link
                .split_once('#')
                .map_or((link.as_str(), None), |(f, a)| (f, Some(a)));
            let target = if file.is_empty() {
                path.to_path_buf()
            } else {
                path.parent().unwrap().join(file)
            };
            if link.starts_with('/') || !target.is_file() {
                broken.push(format!("{}: {link}", path.display()));
                continue;
            }
            // `#topic=x`: a list filter's state, which its page's script reads.
            if let Some(anchor) = anchor.filter(|a| !a.is_empty() && !a.contains('=')) {
                let text = std::fs::read_to_string(&target).unwrap_or_default();
                if !text.contains(&format!("id=\"{anchor}\"")) {
                    broken.push(format!("{}: {link} (no such anchor)", path.display()));
                }
            }
        }
    }
    broken
}

/// Every file `build` writes for `root`, by output path (the marker aside).
pub fn built_files(
    root: &Path,
    today: jiff::civil::Date,
) -> std::collections::BTreeMap<String, Vec<u8>> {
    built_files_with(root, today, true)
}

/// `built_files`, reading git history for /insights/ only if `history`:
/// a folder inside this repository would show its commits, which every
/// commit changes.
pub fn built_files_with(
    root: &Path,
    today: jiff::civil::Date,
    history: bool,
) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let report = practica::build(&BuildOptions {
        output: Some(site.clone()),
        today: Some(today),
        history,
        ..BuildOptions::new(root)
    });
    assert!(report.written, "{:?}", report.diagnostics);
    walkdir::WalkDir::new(&site)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file() && e.file_name() != practica::write::MARKER)
        .map(|e| {
            let path = e.path().strip_prefix(&site).unwrap();
            let key = path.to_string_lossy().replace('\\', "/");
            (key, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The bundled example community's folder.
pub fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-community")
}

/// A copy of the example community (without any built `public/`) at `to`.
pub fn copy_example(to: &Path) {
    let from = example();
    let content = walkdir::WalkDir::new(&from)
        .into_iter()
        .filter_entry(|e| e.file_name() != "public");
    for entry in content {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `command.output()`, for a program this test process has just copied:
/// another test's child, forked while the copy was open for writing, holds
/// it until that child execs, and running it meanwhile fails with "text
/// file busy" (ETXTBSY). Tried again briefly, as the holder lets go at once.
pub fn output_of_fresh_copy(command: &mut Command) -> Output {
    for _ in 0..50 {
        match command.output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            result => return result.expect("run the copied program"),
        }
    }
    command.output().expect("run the copied program")
}
