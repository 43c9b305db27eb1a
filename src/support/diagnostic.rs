//! Problems, collected as values by every stage and command, each with its
//! origin (a place in a file, a whole file, or how practica was run), and
//! printed by one renderer (`format`).

pub mod format;

use std::fmt;
use std::path::Path;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Content problems make a build fail with exit code 1; settings problems
/// (`community.yaml`, templates, the output folder) with exit code 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Category {
    Content,
    Settings,
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Span {
    pub line: usize,
    pub col: usize,
}

impl Span {
    pub fn new(line: usize, col: usize) -> Self {
        Span { line, col }
    }
}

/// Where a problem is. Only a problem found at a place in a file has a
/// line and column: none is made up for the others.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Origin {
    /// A place in a file, by its path relative to the community root
    /// (with `/` separators) and its line and column.
    At { path: String, span: Span },
    /// A file or folder as a whole: one that cannot be read, a template
    /// whose error has no position.
    Whole { path: String },
    /// No file: how practica was run (the output folder given with `-o`,
    /// the port `serve` listens on, a command-line value), or a problem
    /// no file can be named for.
    Run,
    /// A file of practica's own default theme, built into practica rather
    /// than in the community: a template (`templates/base.html`) or an
    /// archetype (`archetypes/guide.md`), at a place when one is known.
    DefaultTheme { file: String, span: Option<Span> },
}

/// The kinds of content problem whose severity a community chooses
/// (`severity:` in community.yaml): legacy content can be imported with
/// them as warnings, fixed, and tightened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// A link or image to no document, page or file of the site.
    BrokenLinks,
    /// A link to an `#anchor` the target page does not have.
    BrokenAnchors,
    /// `authors`, `owner` or `practices` naming no member or practice.
    UnknownReferences,
    /// A tag a letter or two from a declared one.
    MisspeltTags,
    /// Another engine's front matter keys and template code.
    OtherEngines,
}

impl Check {
    pub const ALL: [Check; 5] = [
        Check::BrokenLinks,
        Check::BrokenAnchors,
        Check::UnknownReferences,
        Check::MisspeltTags,
        Check::OtherEngines,
    ];

    /// Its key under `severity:` in community.yaml.
    pub const fn key(self) -> &'static str {
        match self {
            Check::BrokenLinks => "broken_links",
            Check::BrokenAnchors => "broken_anchors",
            Check::UnknownReferences => "unknown_references",
            Check::MisspeltTags => "misspelt_tags",
            Check::OtherEngines => "other_engines",
        }
    }

    /// Its severity when the community does not choose one.
    pub const fn default_level(self) -> Level {
        match self {
            Check::BrokenLinks | Check::BrokenAnchors | Check::UnknownReferences => Level::Error,
            Check::MisspeltTags | Check::OtherEngines => Level::Warning,
        }
    }
}

/// What a community makes of one `Check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Off,
}

impl Level {
    pub const NAMES: [&'static str; 3] = ["error", "warning", "off"];

    pub fn from_name(name: &str) -> Option<Level> {
        match name {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            "off" => Some(Level::Off),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub(crate) category: Category,
    /// The kind of problem, for those whose severity a community chooses.
    pub check: Option<Check>,
    pub origin: Origin,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem at `span` of the file at `path`.
    pub fn error(path: impl AsRef<Path>, span: Span, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, at(path.as_ref(), span), message.into())
    }

    pub fn warning(path: impl AsRef<Path>, span: Span, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, at(path.as_ref(), span), message.into())
    }

    /// A problem with the file or folder at `path` as a whole.
    pub(crate) fn error_in(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        let origin = Origin::Whole {
            path: display_path(path.as_ref()),
        };
        Self::new(Severity::Error, origin, message.into())
    }

    pub(crate) fn warning_in(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        let origin = Origin::Whole {
            path: display_path(path.as_ref()),
        };
        Self::new(Severity::Warning, origin, message.into())
    }

    /// A problem with how practica was run, in no file.
    pub fn run_error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, Origin::Run, message.into())
    }

    pub fn run_warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, Origin::Run, message.into())
    }

    /// A problem at `origin`, for origins the other constructors do not make.
    pub(crate) fn error_at(origin: Origin, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, origin, message.into())
    }

    fn new(severity: Severity, origin: Origin, message: String) -> Self {
        Diagnostic {
            severity,
            category: Category::Content,
            check: None,
            origin,
            message,
            hint: None,
        }
    }

    /// This problem is of the kind `check`, whose severity the community
    /// chooses.
    pub(crate) fn of(mut self, check: Check) -> Self {
        self.check = Some(check);
        self
    }

    /// The severity the community chose for this kind of problem; `None`
    /// when it turned the kind off.
    pub(crate) fn at_level(mut self, level: impl Fn(Check) -> Level) -> Option<Self> {
        let Some(check) = self.check else {
            return Some(self);
        };
        self.severity = match level(check) {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Off => return None,
        };
        Some(self)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn settings(mut self) -> Self {
        self.category = Category::Settings;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The file the problem is in, relative to the community root.
    pub fn path(&self) -> Option<&str> {
        match &self.origin {
            Origin::At { path, .. } | Origin::Whole { path } => Some(path),
            Origin::Run | Origin::DefaultTheme { .. } => None,
        }
    }

    /// Where in its file the problem is, when it is at one place.
    pub fn span(&self) -> Option<Span> {
        match self.origin {
            Origin::At { span, .. } => Some(span),
            Origin::DefaultTheme { span, .. } => span,
            Origin::Whole { .. } | Origin::Run => None,
        }
    }

    /// The default theme's file the problem is in (`templates/base.html`),
    /// when it is in one.
    pub fn default_theme_file(&self) -> Option<&str> {
        match &self.origin {
            Origin::DefaultTheme { file, .. } => Some(file),
            _ => None,
        }
    }

    /// `path:line:col`, `path` or nothing, as messages name the place.
    pub fn place(&self) -> Option<String> {
        let at = |span: Span| format!(":{}:{}", span.line, span.col);
        match &self.origin {
            Origin::At { path, span } => Some(format!("{path}{}", at(*span))),
            Origin::Whole { path } => Some(path.clone()),
            Origin::Run => None,
            Origin::DefaultTheme { file, span } => Some(format!(
                "{}{}",
                default_theme_name(file),
                span.map(at).unwrap_or_default()
            )),
        }
    }
}

/// How messages name a file of the default theme: not a path, since it is
/// in no folder of the community.
pub(crate) fn default_theme_name(file: &str) -> String {
    format!("the default theme's {file}")
}

fn at(path: &Path, span: Span) -> Origin {
    Origin::At {
        path: display_path(path),
        span,
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.place() {
            Some(place) => write!(f, "{place}: {severity}: {}", self.message)?,
            None => write!(f, "{severity}: {}", self.message)?,
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Paths in messages use `/` on every platform so they read the same in CI logs.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// The diagnostics of one run, in the order the CLI prints them.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Each problem as `change` makes it; those it makes `None` are dropped.
    pub(crate) fn retain_map(&mut self, change: impl Fn(Diagnostic) -> Option<Diagnostic>) {
        self.items = std::mem::take(&mut self.items)
            .into_iter()
            .filter_map(change)
            .collect();
    }

    pub(crate) fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(more);
    }

    pub fn errors(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.items.len() - self.errors()
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub(crate) fn has_settings_errors(&self) -> bool {
        self.items
            .iter()
            .any(|d| d.is_error() && d.category == Category::Settings)
    }

    /// Sorted by file, then position, errors before warnings at one spot;
    /// problems of how practica was run come first.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (a.path(), a.span(), a.severity, &a.message).cmp(&(
                b.path(),
                b.span(),
                b.severity,
                &b.message,
            ))
        });
        self.items.dedup();
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Maps byte offsets in a text to 1-based line and character column.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, line_starts }
    }

    pub(crate) fn span(&self, offset: usize) -> Span {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(1, |prefix| prefix.chars().count() + 1);
        Span::new(line + 1, col)
    }
}

/// The closest candidate to `wanted`, if it is close enough to be a likely typo.
pub(crate) fn suggest<'c>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let wanted_lower = wanted.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::normalized_damerau_levenshtein(&wanted_lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// The nearest candidate whatever the distance: for "did you mean" hints on
/// broken links, where naming some existing target helps more than none.
pub(crate) fn nearest<'c>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wanted, c), c))
        .filter(|(score, _)| *score > 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_characters_not_bytes() {
        let text = "ab\nçé[x]\n";
        let index = LineIndex::new(text);
        assert_eq!(index.span(0), Span::new(1, 1));
        assert_eq!(index.span(3), Span::new(2, 1));
        let bracket = text.find('[').unwrap();
        assert_eq!(index.span(bracket), Span::new(2, 3));
    }

    #[test]
    fn suggest_finds_typos_only() {
        let keys = ["tags", "title", "authors"];
        assert_eq!(suggest("tag", keys), Some("tags"));
        assert_eq!(suggest("author", keys), Some("authors"));
        assert_eq!(suggest("time_needed", keys), None);
    }

    #[test]
    fn display_has_location_and_hint() {
        let d = Diagnostic::error("a/b.md", Span::new(3, 7), "broken").with_hint("fix it");
        assert_eq!(d.to_string(), "a/b.md:3:7: error: broken\n  hint: fix it");
    }
}
