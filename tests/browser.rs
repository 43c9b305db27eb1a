//! The browser and output-proving tests in `tests/browser/` (node's test
//! runner; playwright-core driving Debian's chromium, axe-core, the Nu HTML
//! Checker, xmllint, LinkChecker; Decap CMS and decap-server for the web
//! editor), run on the example community built here into temporary folders. Ignored by `cargo test`, which must pass on a
//! machine with only the Rust toolchain: `tests/browser/run` installs
//! chromium, a Java runtime, jing, xmllint, LinkChecker and the npm
//! packages pinned in `tests/browser/package-lock.json`, then runs it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// Runs `npm ci` unless every package the tests name is installed.
fn install_packages(dir: &Path) {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("package.json")).unwrap()).unwrap();
    let installed = manifest["devDependencies"]
        .as_object()
        .unwrap()
        .keys()
        .all(|name| {
            dir.join("node_modules")
                .join(name)
                .join("package.json")
                .is_file()
        });
    if installed {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .status()
        .expect("npm runs (Node.js is needed for the browser tests)");
    assert!(status.success(), "npm ci in tests/browser failed");
}

/// A copy of the example whose `community.yaml` sets `base_url`, so the
/// site also has its feed, sitemap and robots.txt, and `page_size: 5`, so
/// its sections have several pages.
fn hosted_example(into: &Path) -> PathBuf {
    let root = into.join("hosted-community");
    common::copy_example(&root);
    let config = root.join("community.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let hosted = text.replace(
        "# base_url: https://food-rescue-commons.example.org/",
        "base_url: https://food-rescue-commons.example.org/\npage_size: 5",
    );
    assert_ne!(
        text, hosted,
        "the example's community.yaml has a base_url line to enable"
    );
    std::fs::write(&config, hosted).unwrap();
    root
}

/// A copy of the example with a community's own look: a logo, footer
/// links and an accent colour too faint for the light scheme as written;
/// in German, whose long words must fit the phone's one-row header too.
fn branded_example(into: &Path) -> PathBuf {
    let root = into.join("branded-community");
    common::copy_example(&root);
    std::fs::create_dir_all(root.join("static/images")).unwrap();
    std::fs::write(
        root.join("static/images/logo.svg"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 80 28"><rect width="80" height="28" rx="6" fill="#8a2d1f"/><text x="40" y="19" font-size="14" text-anchor="middle" fill="#fff">FRC</text></svg>"##,
    )
    .unwrap();
    let config = root.join("community.yaml");
    let mut text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("\nlanguage: en\n", "\nlanguage: de\n");
    assert!(text.contains("language: de"));
    text.push_str("logo: images/logo.svg\naccent: \"#d4a017\"\nfooter_links:\n  - text: Handover\n    url: practices/cold-chain-handover.md\n  - text: Topics\n    url: tags/index.html\n");
    std::fs::write(&config, text).unwrap();
    root
}

/// The example with a long title, built once in each language the
/// default theme ships (`themes/default/labels/`), each into
/// `into/languages/<code>`: the header must fit one desktop row with the
/// longest words of any of them.
fn in_every_language(into: &Path) -> PathBuf {
    let sites = into.join("languages");
    let labels = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/labels");
    for entry in std::fs::read_dir(labels).unwrap() {
        let path = entry.unwrap().path();
        let code = path.file_stem().unwrap().to_string_lossy().into_owned();
        let root = into.join(format!("community-{code}"));
        common::copy_example(&root);
        let config = root.join("community.yaml");
        let text = std::fs::read_to_string(&config).unwrap();
        let worded = text
            .replace("\nlanguage: en\n", &format!("\nlanguage: {code}\n"))
            .replace(
                "title: Food Rescue Commons\n",
                "title: Food Rescue Commons of the Greater Riverside Area\n",
            );
        assert_eq!(worded.matches("Riverside").count(), 1, "{text}");
        std::fs::write(&config, worded).unwrap();
        build(&root, sites.join(code));
    }
    sites
}

fn build(root: &Path, output: PathBuf) -> PathBuf {
    let report = practica::build(&practica::BuildOptions {
        output: Some(output.clone()),
        ..practica::BuildOptions::new(root)
    });
    assert!(report.written, "{:?}", report.diagnostics);
    output
}

/// LinkChecker drops root's privileges to `nobody`, who must be able to read the sites.
#[cfg(unix)]
fn readable_by_everyone(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        let mode = if entry.file_type().is_dir() {
            0o755
        } else {
            0o644
        };
        let _ = std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode));
    }
}

#[test]
#[ignore = "needs chromium, Java and LinkChecker: run tests/browser/run"]
fn the_built_site_passes_every_browser_and_validator_check() {
    assert!(
        Path::new(&chromium()).exists(),
        "no chromium at {}: install Debian's (`apt-get install chromium`) or set CHROMIUM",
        chromium()
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    install_packages(&dir);
    let out = tempfile::tempdir().unwrap();
    let site = build(&common::example(), out.path().join("site"));
    let hosted = build(&hosted_example(out.path()), out.path().join("hosted"));
    let branded = build(&branded_example(out.path()), out.path().join("branded"));
    let languages = in_every_language(out.path());
    #[cfg(unix)]
    readable_by_everyone(out.path());
    let run = Command::new("node")
        .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
        .current_dir(&dir)
        .env("PRACTICA_SITE", &site)
        .env("PRACTICA_HOSTED", &hosted)
        .env("PRACTICA_BRANDED", &branded)
        .env("PRACTICA_LANGUAGES", &languages)
        .env("PRACTICA_EXAMPLE", common::example())
        .env("PRACTICA_BIN", env!("CARGO_BIN_EXE_practica"))
        .env("CHROMIUM", chromium())
        .output()
        .expect("node runs");
    let text = String::from_utf8_lossy(&run.stdout);
    println!("{text}");
    assert!(
        run.status.success(),
        "browser tests failed:\n{text}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}
