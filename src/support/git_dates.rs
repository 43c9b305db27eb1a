//! Dates from git: for a document without `updated`, the date of the last
//! commit that touched its file. git is asked once for every file (one
//! `git log` walk), never once per file.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use jiff::civil::Date;

use crate::model::document::Document;
use crate::stages::config::{Config, GitDatesSetting};
use crate::stages::history::History;
use crate::support::diagnostic::{Diagnostic, Span};

/// The last commit date of every file git knows under the community root,
/// by path relative to the root with `/` separators.
#[derive(Debug, Default, Clone)]
pub(crate) struct GitDates {
    last_commit: HashMap<String, Date>,
    /// Whether dates come from the files at all (not with `git_dates: false`):
    /// files no commit touched (outside git, or new) take their modification date.
    enabled: bool,
}

impl GitDates {
    /// Asks git unless the setting is `false` (front matter only). Outside a
    /// repository, files give their modification dates. The diagnostic warns
    /// of a shallow clone, or of `git_dates: true` where git gives nothing.
    pub(crate) fn read(config: &Config) -> (GitDates, Option<Diagnostic>) {
        let (root, setting) = (config.root.as_path(), config.git_dates);
        if setting == GitDatesSetting::Never {
            return (GitDates::default(), None);
        }
        let from_files = GitDates {
            last_commit: HashMap::new(),
            enabled: true,
        };
        match last_commits(root) {
            Ok(last_commit) => {
                let shallow = is_shallow(root).then(shallow_warning);
                (
                    GitDates {
                        last_commit,
                        enabled: true,
                    },
                    shallow,
                )
            }
            Err(_) if setting == GitDatesSetting::Auto => (from_files, None),
            Err(message) => {
                let warning = unavailable(&message, config.git_dates_span);
                (from_files, Some(warning))
            }
        }
    }

    /// `read`, from the commits insights read (or kept from an earlier
    /// run) where there are any: the same walk, not made twice. Documents
    /// are the only files dated, and the history holds every change of them.
    pub(crate) fn of_history(
        config: &Config,
        history: Option<&History>,
    ) -> (GitDates, Option<Diagnostic>) {
        match history {
            Some(history)
                if history.source.has_git() && config.git_dates != GitDatesSetting::Never =>
            {
                let dates = GitDates {
                    last_commit: history.last_changes(),
                    enabled: true,
                };
                (dates, None)
            }
            _ => GitDates::read(config),
        }
    }

    /// The date a file last changed: its last commit, else its modification time.
    pub(crate) fn date_of(&self, root: &Path, source: &str) -> Option<Date> {
        if !self.enabled {
            return None;
        }
        self.last_commit
            .get(source)
            .copied()
            .or_else(|| modified(&root.join(source)))
    }

    /// Gives a document without `updated` the date its file last changed,
    /// unless that is before its `date` (a back-dated or imported document).
    /// Copies the document only if it is shared: date it before linking.
    pub(crate) fn fill_one(&self, root: &Path, document: Option<&mut Arc<Document>>) {
        let Some(document) = document else { return };
        if document.front.updated.is_some() {
            return;
        }
        let Some(changed) = self.date_of(root, &document.source) else {
            return;
        };
        if document.front.date.is_none_or(|date| changed >= date) {
            Arc::make_mut(document).front.updated = Some(changed);
        }
    }
}

/// One walk of the history, newest commit first: the first date seen for a
/// path is its last change. `%as` is the author date, the day the change
/// was written (rebases keep it).
fn last_commits(root: &Path) -> Result<HashMap<String, Date>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "log",
            "--format=format:%x01%as",
            "--name-only",
            "--relative",
            "-z",
            "--",
            ".",
        ])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(stderr
            .lines()
            .next()
            .unwrap_or("git log failed")
            .to_string());
    }
    Ok(parse_log(&String::from_utf8_lossy(&output.stdout)))
}

fn parse_log(log: &str) -> HashMap<String, Date> {
    let mut dates = HashMap::new();
    for commit in log.split('\u{1}').filter(|c| !c.is_empty()) {
        let (date, files) = commit.split_once('\n').unwrap_or((commit, ""));
        let Ok(date) = date.trim().parse::<Date>() else {
            continue;
        };
        for file in files.split('\0').filter(|f| !f.is_empty()) {
            dates.entry(file.to_string()).or_insert(date);
        }
    }
    dates
}

fn is_shallow(root: &Path) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--is-shallow-repository"])
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"true"))
}

fn modified(path: &Path) -> Option<Date> {
    let time = std::fs::metadata(path).ok()?.modified().ok()?;
    let timestamp = jiff::Timestamp::try_from(time).ok()?;
    Some(
        timestamp
            .to_zoned_datetime(jiff::tz::TimeZone::system())
            .date(),
    )
}

fn shallow_warning() -> Diagnostic {
    Diagnostic::run_warning(
        "the git repository is a shallow clone: most files' last commit is missing, so their dates from git are wrong",
    )
    .with_hint("fetch the whole history (GitHub Actions: `fetch-depth: 0` in actions/checkout), or set `git_dates: false`")
}

fn unavailable(message: &str, span: Span) -> Diagnostic {
    Diagnostic::warning(
        crate::stages::config::CONFIG_FILE,
        span,
        format!("`git_dates: true` but git gave no dates: {message}"),
    )
    .with_hint("install git and run practica inside the repository, or set `git_dates: auto`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_of_a_file_wins() {
        let log = "\u{1}2025-03-04\npractices/a.md\0\0\u{1}2024-01-02\npractices/a.md\0practices/b c.md\0";
        let dates = parse_log(log);
        assert_eq!(dates["practices/a.md"], jiff::civil::date(2025, 3, 4));
        assert_eq!(dates["practices/b c.md"], jiff::civil::date(2024, 1, 2));
        assert_eq!(dates.len(), 2);
    }
}
