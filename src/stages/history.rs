//! The community's git history, read once for `insights`: who changed
//! which document when, and the documents as they were at the end of each
//! quarter. git runs as a subprocess with arguments (never a shell), and
//! only commands that read: `log`, `ls-tree`, `cat-file --batch`,
//! `rev-parse`, `ls-files`, `diff` (with `GIT_OPTIONAL_LOCKS=0`, which
//! keeps it from writing the index). Each distinct file version is read
//! and parsed once, and not at all where it is a file of the working tree
//! as it is now: today's reading of that file stands for it.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::model::document::Document;
use crate::model::period::Quarter;
use crate::stages::config::Config;
use crate::stages::load;
use crate::support::markdown::Reading;
use crate::support::parse_cache::{self, Entry, ParseCache, PendingWrite};

/// Where the history came from, or why there is none: the page says so.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "reason")]
pub(crate) enum Source {
    /// The whole history of the repository.
    Git,
    /// `--no-history` or `history: false`.
    Off,
    /// git is missing, or the folder is not in a repository.
    NotInGit(String),
    /// A shallow clone: most commits are missing.
    Shallow,
}

impl Source {
    pub(crate) fn has_git(&self) -> bool {
        matches!(self, Source::Git)
    }
}

/// A git author as the commit names them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Author {
    pub(crate) name: String,
    pub(crate) email: String,
}

/// One commit (not a merge) that changed document files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Commit {
    pub(crate) author: Author,
    /// The author date: the day the change was written.
    pub(crate) date: Date,
    /// Document files it changed, relative to the community root, each
    /// with whether the commit added it.
    pub(crate) files: Vec<(String, bool)>,
}

/// The documents as they were at a commit, the last of each of `quarters`.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    pub(crate) quarters: Vec<Quarter>,
    pub(crate) commit: String,
    pub(crate) documents: Vec<(String, Option<Arc<Document>>)>,
}

#[derive(Debug, Clone)]
pub(crate) struct History {
    pub(crate) source: Source,
    /// Oldest first.
    pub(crate) commits: Vec<Commit>,
    /// Each quarter asked for that has ended, with its last commit on the
    /// first-parent line (none before the first commit), oldest first.
    pub(crate) ends: Vec<(Quarter, String)>,
    /// The commit the history was read at, to notice a new one (`serve`).
    pub(crate) head: Option<String>,
}

impl History {
    pub(crate) fn none(source: Source) -> History {
        History {
            source,
            commits: Vec::new(),
            ends: Vec::new(),
            head: None,
        }
    }

    /// Reads the history of the community at `config.root`, and the last
    /// commit of each of `quarters` that has ended. `known` gives the
    /// commits of a head read before (a cache), which saves the walk;
    /// `meanwhile` runs on those last commits while git walks the rest
    /// (its answer is `None` when there is no history to read).
    pub(crate) fn read<T: Send>(
        config: &Config,
        quarters: &[Quarter],
        today: Date,
        known: impl FnOnce(&str) -> Option<Vec<Commit>> + Send,
        meanwhile: impl FnOnce(&[(Quarter, String)]) -> T,
    ) -> (History, Option<T>) {
        let git = Git::new(&config.root);
        let head = match git.text(&["rev-parse", "--verify", "--quiet", "HEAD"]) {
            Ok(head) => head.trim().to_string(),
            Err(reason) => return (History::none(Source::NotInGit(reason)), None),
        };
        if git
            .text(&["rev-parse", "--is-shallow-repository"])
            .is_ok_and(|s| s.trim() == "true")
        {
            return (History::none(Source::Shallow), None);
        }
        let ended: Vec<Quarter> = quarters
            .iter()
            .copied()
            .filter(|q| q.last_day() < today)
            .collect();
        let ends = quarter_ends(&git.text(FIRST_PARENT).unwrap_or_default(), &ended);
        let (commits, beside) = std::thread::scope(|scope| {
            let walk = scope.spawn(|| match known(&head) {
                Some(commits) => Ok(commits),
                None => git.text(LOG).map(|log| parse_log(&log)),
            });
            let beside = meanwhile(&ends);
            let commits = walk.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            (commits, beside)
        });
        let history = match commits {
            Ok(commits) => History {
                source: Source::Git,
                commits,
                ends,
                head: Some(head),
            },
            Err(reason) => return (History::none(Source::NotInGit(reason)), None),
        };
        (history, Some(beside))
    }

    /// Each document file's last change as the commits give it: the date
    /// of the newest commit that touched it (git's order, newest first,
    /// is that of the walk `git_dates` makes, merges without files alike).
    pub(crate) fn last_changes(&self) -> HashMap<String, Date> {
        let mut last = HashMap::new();
        for commit in self.commits.iter().rev() {
            for (path, _) in &commit.files {
                last.entry(path.clone()).or_insert(commit.date);
            }
        }
        last
    }

    /// Whether the repository's head moved since this was read.
    pub(crate) fn is_stale(&self, root: &Path) -> bool {
        let now = Git::new(root)
            .text(&["rev-parse", "--verify", "--quiet", "HEAD"])
            .ok();
        now.map(|h| h.trim().to_string()) != self.head
    }
}

/// Every commit that is not a merge, newest first: `%x01` starts one,
/// then hash-free fields split by NUL, then `--name-status` pairs.
const LOG: &[&str] = &[
    "log",
    "--no-merges",
    "--no-renames",
    "--format=format:%x01%an%x00%ae%x00%as",
    "--name-status",
    "--relative",
    "-z",
    "--",
    ".",
];

/// The first-parent line of commits, newest first, with committer dates:
/// the state of the community at a day is that of its last one before
/// (whatever it changed: no path, so git diffs no trees).
const FIRST_PARENT: &[&str] = &["log", "--first-parent", "--format=%H %cs"];

fn parse_log(log: &str) -> Vec<Commit> {
    let mut commits: Vec<Commit> = log
        .split('\u{1}')
        .filter(|c| !c.is_empty())
        .filter_map(parse_commit)
        .collect();
    commits.reverse();
    commits
}

fn parse_commit(text: &str) -> Option<Commit> {
    let mut fields = text.split('\0');
    let name = fields.next()?.to_string();
    let email = fields.next()?.to_string();
    let (date, first_status) = fields.next()?.split_once('\n').unwrap_or(("", ""));
    let date: Date = date.trim().parse().ok()?;
    let mut files = Vec::new();
    let mut status = first_status.trim().to_string();
    while let Some(path) = fields.next() {
        if !status.is_empty() && load::kind_of(Path::new(path)).is_some() {
            files.push((path.to_string(), status.starts_with('A')));
        }
        status = fields.next().unwrap_or("").trim().to_string();
    }
    Some(Commit {
        author: Author { name, email },
        date,
        files,
    })
}

/// For each quarter, the last first-parent commit on or before its last
/// day, if there is one.
fn quarter_ends(log: &str, quarters: &[Quarter]) -> Vec<(Quarter, String)> {
    let commits: Vec<(&str, Date)> = log
        .lines()
        .filter_map(|line| {
            let (hash, date) = line.split_once(' ')?;
            Some((hash, date.trim().parse().ok()?))
        })
        .collect();
    quarters
        .iter()
        .filter_map(|&q| {
            // Newest first: the first one not after the quarter's end.
            let (hash, _) = commits.iter().find(|(_, d)| *d <= q.last_day())?;
            Some((q, hash.to_string()))
        })
        .collect()
}

/// How a build read the past versions of the documents (distinct file
/// versions at the quarters' last commits not known from an earlier run).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HistoryUse {
    /// Read from git and parsed.
    pub parsed: usize,
    /// Read from git, their parse taken from the history's parse cache.
    pub cached: usize,
    /// The same as today's files (the same git blob): today's reading
    /// stands for them, so they are neither read from git nor parsed.
    pub today: usize,
}

/// A file version: its path and its blob id.
type Version = (String, String);

/// How a past version is read.
#[derive(Debug)]
enum Found {
    /// From git: its document, or `None` if it cannot make one.
    Read(Option<Arc<Document>>),
    /// It is today's file: whatever today's reading made of it.
    Today,
}

/// The documents at the quarters' last commits, waiting for today's
/// documents (`snapshots`) where they are the same files.
pub(crate) struct PastVersions {
    /// Each distinct commit, with the quarters it ends, oldest first.
    trees: Vec<(Vec<Quarter>, String, Tree)>,
    versions: HashMap<Version, Found>,
    pub(crate) used: HistoryUse,
    /// The history's parse cache, written meanwhile; waited for when dropped.
    _written: PendingWrite,
}

impl PastVersions {
    /// The documents at each commit; `today` gives today's reading of a
    /// file by its path (`None`: no document could be made of it).
    pub(crate) fn snapshots(
        self,
        today: impl Fn(&str) -> Option<Arc<Document>> + Sync,
    ) -> Vec<Snapshot> {
        let versions = &self.versions;
        self.trees
            .into_par_iter()
            .map(|(quarters, commit, files)| Snapshot {
                quarters,
                commit,
                documents: files
                    .into_iter()
                    .map(|version| {
                        let document = match versions.get(&version) {
                            Some(Found::Read(document)) => document.clone(),
                            Some(Found::Today) => today(&version.0),
                            None => None,
                        };
                        (version.0, document)
                    })
                    .collect(),
            })
            .collect()
    }
}

/// The versions of the documents at each of `ends`, read as far as they
/// can be before today's documents are: the trees listed once per commit,
/// and each distinct version read and parsed once (kept in a parse cache
/// of its own in `cache`, if given), except where git holds the working
/// tree's file of one of `today` (paths of the files being read now):
/// today's reading stands for those. Those others are read through one
/// `cat-file --batch`.
pub(crate) fn versions(
    config: &Config,
    ends: &[(Quarter, String)],
    cache: Option<&Path>,
    today: &HashSet<String>,
) -> PastVersions {
    let git = &Git::new(&config.root);
    let cache = cache.map_or_else(ParseCache::off, |dir| {
        ParseCache::open_named(dir, &config.root, "history")
    });
    let trees = commit_trees(git, ends);
    let working = if today.is_empty() {
        HashMap::new()
    } else {
        working_blobs(git)
    };
    let is_today =
        |(path, blob): &Version| today.contains(path) && working.get(path.as_str()) == Some(blob);
    let distinct: BTreeSet<&Version> = trees.iter().flat_map(|(_, _, t)| t).collect();
    let (same, to_read): (Vec<&Version>, Vec<&Version>) =
        distinct.into_iter().partition(|v| is_today(v));
    let (read, entries) = read_versions(git, config, &cache, to_read);
    let cached = entries.iter().filter(|e| e.is_kept()).count();
    let used = HistoryUse {
        parsed: read.len() - cached,
        cached,
        today: same.len(),
    };
    let mut versions: HashMap<Version, Found> = read.into_iter().collect();
    versions.extend(same.into_iter().map(|v| (v.clone(), Found::Today)));
    PastVersions {
        trees,
        versions,
        used,
        _written: cache.save(entries),
    }
}

/// Each distinct commit of `ends` with the quarters it ends (a commit ends
/// every quarter in a row that saw no other) and its document files.
fn commit_trees(git: &Git, ends: &[(Quarter, String)]) -> Vec<(Vec<Quarter>, String, Tree)> {
    ends.chunk_by(|a, b| a.1 == b.1)
        .filter_map(|run| {
            let commit = run[0].1.clone();
            let files = documents_in(git, &commit).ok()?;
            Some((run.iter().map(|(q, _)| *q).collect(), commit, files))
        })
        .collect()
}

/// `versions` read through one `cat-file --batch` and parsed in
/// parallel, from `cache` where it has them; with the cache's entries.
fn read_versions(
    git: &Git,
    config: &Config,
    cache: &ParseCache,
    versions: Vec<&Version>,
) -> (Vec<(Version, Found)>, Vec<Entry>) {
    let mut blobs: Vec<&str> = versions.iter().map(|(_, b)| b.as_str()).collect();
    blobs.sort_unstable();
    blobs.dedup();
    let contents = git.blobs(&blobs).unwrap_or_default();
    let (read, entries): (Vec<(Version, Found)>, Vec<Option<Entry>>) = versions
        .into_par_iter()
        .map(|version| {
            let (document, entry) = contents.get(&version.1).map_or((None, None), |bytes| {
                parse_version(config, cache, &version.0, bytes)
            });
            ((version.clone(), Found::Read(document)), entry)
        })
        .unzip();
    (read, entries.into_iter().flatten().collect())
}

/// The blob id of each file git sees unchanged in the working tree: the
/// index's, for the files `git diff` (which looks at the files' contents
/// where their times changed) does not name. Empty if git cannot say.
fn working_blobs(git: &Git) -> HashMap<String, String> {
    let (Ok(index), Ok(changed)) = (
        git.text(&["ls-files", "--stage", "-z", "--", "."]),
        git.text(DIFF_FILES),
    ) else {
        return HashMap::new();
    };
    let changed: HashSet<&str> = changed.split('\0').collect();
    index
        .split('\0')
        .filter_map(|entry| {
            let (meta, path) = entry.split_once('\t')?;
            let mut meta = meta.split(' ');
            let (_, blob, stage) = (meta.next()?, meta.next()?, meta.next()?);
            let unchanged = stage == "0" && !changed.contains(path);
            unchanged.then(|| (path.to_string(), blob.to_string()))
        })
        .collect()
}

/// The files whose working tree differs from the index, relative to the
/// community's folder, as `git diff` sees them whatever the user's diff
/// settings.
const DIFF_FILES: &[&str] = &[
    "diff",
    "--no-ext-diff",
    "--no-textconv",
    "--no-renames",
    "--name-only",
    "--relative",
    "-z",
    "--",
    ".",
];

/// A commit's document files, each with its blob id.
type Tree = Vec<(String, String)>;

/// One past version, parsed as the working tree's files are, unless an
/// earlier run did; with its entry for the cache of the next run.
fn parse_version(
    config: &Config,
    cache: &ParseCache,
    path: &str,
    bytes: &[u8],
) -> (Option<Arc<Document>>, Option<Entry>) {
    let relative = Path::new(path);
    let (Some(kind), Ok(text)) = (load::kind_of(relative), std::str::from_utf8(bytes)) else {
        return (None, None);
    };
    let key = cache
        .is_on()
        .then(|| parse_cache::key(path, bytes, config.raw_html));
    if let Some((document, _, entry)) = key.and_then(|k| cache.get(k, Reading::Outline)) {
        return (document.map(Arc::new), Some(entry));
    }
    let (document, diagnostics) = load::parse_outline(relative, kind, text, config.raw_html);
    let entry = key.map(|k| Entry::new(k, document.as_ref(), &diagnostics));
    (document.map(Arc::new), entry)
}

/// The document files of a commit's tree, with their blob ids.
fn documents_in(git: &Git, commit: &str) -> Result<Tree, String> {
    let listing = git.text(&["ls-tree", "-r", "-z", commit, "--", "."])?;
    Ok(listing
        .split('\0')
        .filter_map(|entry| {
            let (meta, path) = entry.split_once('\t')?;
            let mut meta = meta.split(' ');
            let (_, kind, blob) = (meta.next()?, meta.next()?, meta.next()?);
            let document = kind == "blob" && load::kind_of(Path::new(path)).is_some();
            document.then(|| (path.to_string(), blob.to_string()))
        })
        .collect())
}

/// git, run in the community's folder.
struct Git {
    root: PathBuf,
}

impl Git {
    fn new(root: &Path) -> Git {
        Git {
            root: root.to_path_buf(),
        }
    }

    fn command(&self) -> Command {
        let mut command = Command::new("git");
        command.arg("-C").arg(&self.root);
        // Output to parse is the same whatever the user's settings.
        command.args(["-c", "core.quotepath=off", "-c", "log.showSignature=false"]);
        command.env("GIT_OPTIONAL_LOCKS", "0");
        command
    }

    fn text(&self, args: &[&str]) -> Result<String, String> {
        let output = self
            .command()
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr.lines().next().unwrap_or("git failed").trim();
            return Err(first.to_string());
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// The contents of `blobs` through one `git cat-file --batch`, its
    /// input written on another thread so neither side waits on a full pipe.
    fn blobs(&self, blobs: &[&str]) -> Result<HashMap<String, Vec<u8>>, String> {
        let mut child = self
            .command()
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run git: {e}"))?;
        let mut stdin = child.stdin.take().ok_or("no input to git")?;
        let stdout = child.stdout.take().ok_or("no output from git")?;
        let input: String = blobs.iter().map(|b| format!("{b}\n")).collect();
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let read = read_batch(BufReader::new(stdout), blobs.len());
        let written = writer.join().map_err(|_| "git input failed".to_string())?;
        let _ = child.wait();
        written.map_err(|e| e.to_string())?;
        read.map_err(|e| e.to_string())
    }
}

/// `count` answers of `cat-file --batch`: `<id> blob <size>\n<bytes>\n`,
/// or `<id> missing\n`.
fn read_batch(mut out: impl BufRead, count: usize) -> std::io::Result<HashMap<String, Vec<u8>>> {
    let mut contents = HashMap::with_capacity(count);
    let mut header = String::new();
    for _ in 0..count {
        header.clear();
        if out.read_line(&mut header)? == 0 {
            break;
        }
        let mut parts = header.split_whitespace();
        let (Some(id), Some(_kind), Some(size)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let size: usize = size
            .parse()
            .map_err(|_| std::io::Error::other("bad size from git cat-file"))?;
        let mut bytes = vec![0; size + 1];
        out.read_exact(&mut bytes)?;
        bytes.pop();
        contents.insert(id.to_string(), bytes);
    }
    Ok(contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_becomes_commits_oldest_first_with_document_files() {
        let log = "\u{1}Ann\0ann@x.org\x002025-03-04\nM\0practices/a.md\0A\0static/x.png\0\
                   \u{1}Bo\0bo@x.org\x002024-01-02\nA\0practices/a.md\0A\0guides/b c.md\0";
        let commits = parse_log(log);
        assert_eq!(commits.len(), 2);
        assert_eq!(commits[0].author.name, "Bo");
        assert_eq!(
            commits[0].files,
            vec![
                ("practices/a.md".to_string(), true),
                ("guides/b c.md".to_string(), true)
            ]
        );
        assert_eq!(commits[1].date, jiff::civil::date(2025, 3, 4));
        assert_eq!(
            commits[1].files,
            vec![("practices/a.md".to_string(), false)]
        );
    }

    #[test]
    fn a_quarter_ends_at_its_last_commit() {
        let log = "c3 2025-05-01\nc2 2025-03-31\nc1 2025-01-10\n";
        let q1 = Quarter::of(jiff::civil::date(2025, 2, 1));
        let q4 = Quarter::of(jiff::civil::date(2024, 11, 1));
        assert_eq!(quarter_ends(log, &[q4, q1]), vec![(q1, "c2".to_string())]);
    }

    #[test]
    fn a_batch_answer_is_read_whole() {
        let out = b"aa blob 3\nx\ny\nbb missing\n";
        let read = read_batch(&out[..], 2).unwrap();
        assert_eq!(read["aa"], b"x\ny");
        assert_eq!(read.len(), 1);
    }
}
