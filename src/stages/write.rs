//! Atomic output: the site is written to a temporary sibling folder and
//! swapped in, so a failed or killed build leaves the last good site, and a
//! folder practica did not create is never replaced. Builds of one output
//! take turns through a lock beside it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::model::document::Kind;
use crate::stages::render::OutputFile;
use crate::support::diagnostic::{Diagnostic, display_path};

/// The file that proves practica made an output folder.
pub const MARKER: &str = ".practica-site";
const MARKER_TEXT: &str = "This folder is written by practica and replaced whole on every build.\nDelete this file to stop practica from ever replacing it.\n";

/// A folder to copy into the site: source folder and the prefix inside the output.
pub(crate) struct CopyDir {
    pub(crate) from: PathBuf,
    pub(crate) to: String,
    /// The community folder, which links in `from` must stay inside.
    pub(crate) root: PathBuf,
    /// Hidden names at the top of `from` published all the same.
    pub(crate) hidden: Vec<String>,
}

fn refusal(message: String, hint: &str) -> Diagnostic {
    // The output folder is how practica was run (`-o`), not a file of the community.
    Diagnostic::run_error(message).with_hint(hint).settings()
}

/// Absolute form of a path whose last folders may not exist yet: its
/// nearest existing ancestor with links resolved, then the rest with `.`
/// and `..` worked out, so that a refusal compares like with like.
fn absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    let real = loop {
        if let Ok(real) = fs::canonicalize(existing) {
            break real;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break existing.to_path_buf(),
        }
    };
    let mut result = real;
    for part in rest.iter().rev() {
        match part.to_str() {
            Some("..") => {
                result.pop();
            }
            Some(".") => {}
            _ => result.push(part),
        }
    }
    result
}

/// Checks, before anything is built, that `out` may be replaced.
pub(crate) fn check_output(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let out = absolute(out);
    let shown = out.display();
    if root.starts_with(&out) {
        return Err(refusal(
            format!("refusing to write the site to {shown}: it holds the community folder"),
            "choose an output folder inside or beside the community, like `-o public`",
        ));
    }
    let protected = Kind::ALL.iter().map(|k| k.section()).chain([
        "static",
        "templates",
        "themes",
        "archetypes",
    ]);
    for folder in protected {
        if out.starts_with(root.join(folder)) {
            return Err(refusal(
                format!(
                    "refusing to write the site to {shown}: it is inside the content folder {folder}/"
                ),
                "choose an output folder outside the content, like `-o public`",
            ));
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(refusal(
                format!("refusing to replace {shown}: it is a file"),
                "choose another output folder with -o",
            ));
        }
        let empty = fs::read_dir(&out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !out.join(MARKER).is_file() {
            return Err(refusal(
                format!(
                    "refusing to replace {shown}: practica did not create it (no {MARKER} file in it)"
                ),
                "choose another output folder with -o, or move that folder away yourself",
            ));
        }
    }
    Ok(())
}

/// A site being written: a temporary sibling of the output folder that
/// files go into as they are made, swapped in whole by `finish`, and
/// removed if the build stops before that.
pub(crate) struct Staging {
    /// Held from `begin` until the staging folder is swapped in or removed:
    /// builds of one output take turns, so none removes another's staging
    /// folder as a leftover, nor swaps a site in under it.
    _lock: fs::File,
    dir: PathBuf,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    finished: bool,
    /// The first write that failed; `finish` reports it instead of swapping.
    failed: std::sync::Mutex<Option<io::Error>>,
    /// Folders made so far: thousands of files share a few folders, and
    /// asking the system to make an existing one costs two calls per file.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

fn io_failure(what: &str, e: io::Error) -> Diagnostic {
    refusal(
        format!("{what}: {e}"),
        "check that the output folder's parent is writable and the disk has space",
    )
}

impl Staging {
    /// Checks `out` may be replaced, clears what a killed build left, and
    /// starts the staging folder with the marker and the copied folders.
    pub(crate) fn begin(
        root: &Path,
        out: &Path,
        copies: &[CopyDir],
    ) -> Result<Staging, Diagnostic> {
        check_output(root, out)?;
        let out = absolute(out);
        let parent = out
            .parent()
            .ok_or_else(|| refusal("the output folder has no parent".into(), "use -o DIR"))?
            .to_path_buf();
        fs::create_dir_all(&parent)
            .map_err(|e| io_failure("cannot create the output's parent folder", e))?;
        let name = out
            .file_name()
            .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
        let lock = take_turn(&parent, &name)?;
        remove_leftovers(&parent, &name, &out);
        let staging = Staging {
            _lock: lock,
            dir: parent.join(format!(".{name}.practica-new-{}", std::process::id())),
            out,
            parent,
            name,
            finished: false,
            failed: std::sync::Mutex::new(None),
            made: std::sync::Mutex::default(),
        };
        staging.start(copies).map_err(|e| staging.failure(e))?;
        Ok(staging)
    }

    fn start(&self, copies: &[CopyDir]) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        fs::write(self.dir.join(MARKER), MARKER_TEXT)?;
        for copy in copies {
            copy_tree(copy, &self.dir.join(&copy.to))?;
        }
        Ok(())
    }

    /// Writes one file of the site; a failure is kept for `finish`, so
    /// files can be added from many threads without stopping each one.
    pub(crate) fn add(&self, file: &OutputFile) {
        if let Err(e) = self.put(file)
            && let Ok(mut failed) = self.failed.lock()
        {
            failed.get_or_insert(e);
        }
    }

    fn put(&self, file: &OutputFile) -> io::Result<()> {
        let path = self.dir.join(&file.path);
        if let Some(dir) = path.parent()
            && !self.made.lock().is_ok_and(|made| made.contains(dir))
        {
            fs::create_dir_all(dir)?;
            if let Ok(mut made) = self.made.lock() {
                made.insert(dir.to_path_buf());
            }
        }
        fs::write(path, &file.content)
    }

    fn failure(&self, e: io::Error) -> Diagnostic {
        io_failure(
            &format!("cannot write the site to {}", self.out.display()),
            e,
        )
    }

    /// Swaps the finished site in for the old one, unless a write failed.
    /// `Ok` once the new site is in place, with a warning when the old
    /// one could not be removed (the next build tries again).
    pub(crate) fn finish(mut self) -> Result<Option<Diagnostic>, Diagnostic> {
        let failed = self.failed.lock().ok().and_then(|mut f| f.take());
        if let Some(e) = failed {
            return Err(self.failure(e));
        }
        let kept =
            swap(&self.dir, &self.out, &self.parent, &self.name).map_err(|e| self.failure(e))?;
        self.finished = true;
        Ok(kept.map(|(old, e)| {
            Diagnostic::run_warning(format!(
                "the new site is in {}, but the old one could not be removed from {}: {e}",
                self.out.display(),
                old.display()
            ))
            .with_hint("the next build removes it; or delete that folder yourself")
        }))
    }
}

/// Waits until no other build of this output is writing, through an
/// advisory lock on a file beside it. The system lets go of it when the
/// process ends, however it ends, so a killed build never blocks the next.
fn take_turn(parent: &Path, name: &str) -> Result<fs::File, Diagnostic> {
    let path = parent.join(format!(".{name}.practica-lock"));
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| io_failure(&format!("cannot create {}", path.display()), e))?;
    file.lock()
        .map_err(|e| io_failure(&format!("cannot lock {}", path.display()), e))?;
    Ok(file)
}

impl Drop for Staging {
    /// A build that failed or stopped leaves the old site as it was.
    fn drop(&mut self) {
        if !self.finished && self.dir.join(MARKER).is_file() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn copy_tree(copy: &CopyDir, to: &Path) -> io::Result<()> {
    for (source, relative) in files_under(copy) {
        let target = to.join(relative);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::copy(source, &target)?;
    }
    Ok(())
}

/// The files of a folder the site publishes (`load::published_files`: no
/// hidden files, no links out of the community), with their paths
/// relative to it.
fn files_under(copy: &CopyDir) -> impl Iterator<Item = (PathBuf, String)> {
    crate::stages::load::published_files(&copy.from, &copy.root, &copy.hidden)
        .0
        .into_iter()
}

/// The files `Staging::begin` copies (`copy_tree`), read into memory
/// instead (for `serve`).
pub(crate) fn read_copies(copies: &[CopyDir]) -> Vec<OutputFile> {
    copies
        .iter()
        .flat_map(|copy| {
            files_under(copy).filter_map(|(source, relative)| {
                Some(OutputFile {
                    path: display_path(&Path::new(&copy.to).join(relative)),
                    content: fs::read(source).ok()?,
                })
            })
        })
        .collect()
}

/// Replaces `out` with `staging`; the old site is moved aside first and
/// deleted only once the new one is in place.
/// Returns the old site's folder and why, when it is left behind: the new
/// site is in place by then, so that is not a failure of the build.
fn swap(
    staging: &Path,
    out: &Path,
    parent: &Path,
    name: &str,
) -> io::Result<Option<(PathBuf, io::Error)>> {
    if !out.exists() {
        return fs::rename(staging, out).map(|()| None);
    }
    // Unique per build, as one left behind by an earlier build of this
    // process (serve, a test) may still be there.
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |t| t.as_nanos());
    let old = parent.join(format!(
        ".{name}.practica-old-{}-{stamp}",
        std::process::id()
    ));
    fs::rename(out, &old)?;
    if let Err(e) = fs::rename(staging, out) {
        let _ = fs::rename(&old, out);
        return Err(e);
    }
    Ok(remove_tree(&old).err().map(|e| (old, e)))
}

/// `fs::remove_dir_all`, with the folders two levels down removed in
/// parallel: an old site of 10,000 documents is 20,000 files, which one
/// thread takes 0.4 s to unlink.
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let children = |dir: &Path| -> Vec<PathBuf> {
        fs::read_dir(dir)
            .map(|entries| entries.filter_map(|e| Some(e.ok()?.path())).collect())
            .unwrap_or_default()
    };
    // A symbolic link to a folder is removed, never followed.
    let real_folder = |path: &Path| fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
    let second_level: Vec<PathBuf> = children(dir)
        .iter()
        .filter(|path| real_folder(path))
        .flat_map(|path| children(path))
        .collect();
    second_level.par_iter().for_each(|path| {
        // Whatever fails here is tried again, and reported, below.
        let _ = match real_folder(path) {
            true => fs::remove_dir_all(path),
            false => fs::remove_file(path),
        };
    });
    // The marker goes last: a folder that could not be removed whole keeps
    // it, so the next build knows the folder for practica's and removes it.
    for child in children(dir).iter().filter(|p| !p.ends_with(MARKER)) {
        match real_folder(child) {
            true => fs::remove_dir_all(child)?,
            false => fs::remove_file(child)?,
        }
    }
    fs::remove_dir_all(dir)
}

/// Cleans up after a build that was killed: a site it had moved aside is
/// put back if nothing replaced it, and its staging folders are removed
/// (only those that carry the marker).
fn remove_leftovers(parent: &Path, name: &str, out: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [
        format!(".{name}.practica-new-"),
        format!(".{name}.practica-old-"),
    ];
    let mut leftovers: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            prefixes
                .iter()
                .any(|p| e.file_name().to_string_lossy().starts_with(p.as_str()))
        })
        .map(|e| e.path())
        .filter(|p| p.join(MARKER).is_file())
        .collect();
    leftovers.sort();
    for path in leftovers {
        let moved_aside = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(&prefixes[1]));
        if moved_aside && !out.exists() && fs::rename(&path, out).is_ok() {
            continue;
        }
        let _ = fs::remove_dir_all(path);
    }
}
