//! The browser tests in `tests/browser/` (node's test runner driving
//! Debian's chromium through playwright-core) on the example community,
//! built here into a temporary folder. `.ci/run` installs chromium; the npm
//! packages pinned in `tests/browser/package-lock.json` are installed on first use.

use std::path::Path;
use std::process::Command;

fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

fn install_packages(dir: &Path) {
    if dir.join("node_modules/playwright-core").is_dir() {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .status()
        .expect("npm runs (Node.js is needed for the browser tests)");
    assert!(status.success(), "npm ci in tests/browser failed");
}

#[test]
fn search_and_pages_work_in_a_real_browser() {
    assert!(
        Path::new(&chromium()).exists(),
        "no chromium at {}: install Debian's (`apt-get install chromium`) or set CHROMIUM",
        chromium()
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    install_packages(&dir);
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let report = practica::build(&practica::BuildOptions {
        output: Some(site.clone()),
        ..practica::BuildOptions::new(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("example-community"),
        )
    });
    assert!(report.written, "{:?}", report.diagnostics);
    let run = Command::new("node")
        .args(["--test", "--test-reporter=spec"])
        .current_dir(&dir)
        .env("PRACTICA_SITE", &site)
        .env("CHROMIUM", chromium())
        .output()
        .expect("node runs");
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "browser tests failed:\n{text}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}
