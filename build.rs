//! Gives the parse cache an identity for the parser it was written by: a
//! hash of the sources and locked dependencies, the same for every build of
//! the same code (so CI jobs that install practica afresh share a cache)
//! and different after any change to it. Also names the commit the binary
//! was built from, for `practica --version`.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

fn main() {
    let mut files: Vec<PathBuf> = vec!["Cargo.lock".into(), "Cargo.toml".into()];
    collect(Path::new("src"), &mut files);
    files.sort();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for file in &files {
        file.hash(&mut hasher);
        std::fs::read(file).unwrap_or_default().hash(&mut hasher);
        println!("cargo:rerun-if-changed={}", file.display());
    }
    println!("cargo:rerun-if-changed=src");
    println!(
        "cargo:rustc-env=PRACTICA_SOURCE_HASH={:016x}",
        hasher.finish()
    );
    println!("cargo:rustc-env=PRACTICA_COMMIT={}", commit());
}

/// The commit being built: from git in a clone, from the file cargo puts in
/// a published package, else `unknown commit`.
fn commit() -> String {
    // A commit moves HEAD or a branch; in a worktree both live elsewhere.
    let git_dir = |which: &str| {
        std::process::Command::new("git")
            .args(["rev-parse", which])
            .output()
            .ok()
            .filter(|out| out.status.success())
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .map(|dir| PathBuf::from(dir.trim()))
    };
    let mut watched = vec![PathBuf::from(".cargo_vcs_info.json")];
    if let Some(dir) = git_dir("--git-dir") {
        watched.push(dir.join("HEAD"));
    }
    if let Some(dir) = git_dir("--git-common-dir") {
        watched.extend([dir.join("refs/heads"), dir.join("packed-refs")]);
    }
    for path in watched.iter().filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let from_git = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|hash| hash.trim().to_string())
        .filter(|hash| !hash.is_empty());
    let from_package = || {
        let info = std::fs::read_to_string(".cargo_vcs_info.json").ok()?;
        let at = info.find("\"sha1\"")?;
        let hash = info[at + 6..].split('"').nth(1)?;
        Some(hash.chars().take(12).collect())
    };
    from_git
        .or_else(from_package)
        .map_or_else(|| "unknown commit".into(), |hash| format!("commit {hash}"))
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
