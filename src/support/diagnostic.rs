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
    /// Placeholder text or an empty section heading `practica new` wrote.
    StarterText,
    /// A `review_by` date the build date has passed.
    OverdueReviews,
}

impl Check {
    pub const ALL: [Check; 7] = [
        Check::BrokenLinks,
        Check::BrokenAnchors,
        Check::UnknownReferences,
        Check::MisspeltTags,
        Check::OtherEngines,
        Check::StarterText,
        Check::OverdueReviews,
    ];

    /// Its key under `severity:` in community.yaml.
    pub const fn key(self) -> &'static str {
        match self {
            Check::BrokenLinks => "broken_links",
            Check::BrokenAnchors => "broken_anchors",
            Check::UnknownReferences => "unknown_references",
            Check::MisspeltTags => "misspelt_tags",
            Check::OtherEngines => "other_engines",
            Check::StarterText => "starter_text",
            Check::OverdueReviews => "overdue_reviews",
        }
    }

    /// What it is, as editors show the `severity:` key on hover.
    pub const fn about(self) -> &'static str {
        match self {
            Check::BrokenLinks => {
                "Links and images (markdown or raw HTML) to no document, page or file of the site."
            }
            Check::BrokenAnchors => "Links to an `#anchor` the target page does not have.",
            Check::UnknownReferences => {
                "`authors`, `owner` or `practices` naming no member or practice."
            }
            Check::MisspeltTags => "Tags a letter or two from a declared tag.",
            Check::OtherEngines => {
                "Other engines' front matter keys (`layout`, `permalink`, `lastmod`…) and template code."
            }
            Check::StarterText => {
                "Placeholder text and empty section headings `practica new` wrote, still in a document."
            }
            Check::OverdueReviews => {
                "A `review_by` date the build date has passed (the page says so, and /gaps/ lists it)."
            }
        }
    }

    /// Its severity when the community does not choose one.
    pub const fn default_level(self) -> Level {
        match self {
            Check::BrokenLinks | Check::BrokenAnchors | Check::UnknownReferences => Level::Error,
            Check::MisspeltTags
            | Check::OtherEngines
            | Check::StarterText
            | Check::OverdueReviews => Level::Warning,
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

    pub const fn name(self) -> &'static str {
        match self {
            Level::Error => Level::NAMES[0],
            Level::Warning => Level::NAMES[1],
            Level::Off => Level::NAMES[2],
        }
    }

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

/// The closest candidate to `wanted`, if it is close enough to be a likely
/// typo: at most one edit in three characters (`similarity`, letter case
/// aside). A name that is merely the nearest of many is no hint: told
/// "did you mean `noor-greco`?" for `gone-for-good`, a reader loses trust
/// in every other hint.
pub(crate) fn suggest<'c>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let wanted_lower = wanted.to_lowercase();
    let wanted_counts = ByteCounts::of(&wanted_lower);
    candidates
        .into_iter()
        .filter(|c| wanted_counts.may_be_near(c))
        .filter_map(|c| Some((similarity(&wanted_lower, &c.to_lowercase())?, c)))
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// The least similarity (1 − edits / longer length) of a likely typo: an
/// edit in three characters at most, as rustc's own hints allow.
const NEAR: f64 = 2.0 / 3.0;

/// 1 − edits / longer length, in characters, if at least `NEAR`. The edits
/// are those of the optimal string alignment (insert, delete, substitute,
/// swap two neighbours), which is what a typo does.
fn similarity(a: &str, b: &str) -> Option<f64> {
    let longer = a.chars().count().max(b.chars().count());
    if longer == 0 {
        return Some(1.0);
    }
    let limit = edit_limit(longer);
    let edits = if a.is_ascii() && b.is_ascii() {
        edits_within(a.as_bytes(), b.as_bytes(), limit)
    } else {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        edits_within(&a, &b, limit)
    }?;
    Some(1.0 - edits as f64 / longer as f64)
}

/// The optimal string alignment distance of `a` and `b` if it is at most
/// `limit`. What they share at either end costs nothing and is skipped
/// (two paths in one folder share most of their length), and a row that
/// is over the limit everywhere ends the count: most candidates are far,
/// and checking 600 broken links among 3,500 documents spent 1.5 s
/// measuring exactly how far.
fn edits_within<T: PartialEq>(a: &[T], b: &[T], limit: usize) -> Option<usize> {
    let start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[start..], &b[start..]);
    let end = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - end], &b[..b.len() - end]);
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    // Three rows of the table: two back (for swaps), one back, this one.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let substitution = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(row[j - 1] + 1)
                .min(previous[j - 1] + substitution);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            row[j] = best;
        }
        if row.iter().all(|&n| n > limit) {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut row);
    }
    Some(previous[b.len()]).filter(|&n| n <= limit)
}

/// How often each byte occurs in an ASCII text, letters folded, in 64
/// buckets. Texts of lengths a and b sharing at most `common` bytes are at
/// least max(a, b) − common edits apart (an edit mends one byte at most;
/// a shared bucket only overstates `common`): most candidates of a large
/// community are ruled out before their distance is counted.
struct ByteCounts {
    counts: [u8; 64],
    length: usize,
    ascii: bool,
}

impl ByteCounts {
    fn of(text: &str) -> ByteCounts {
        let mut counts = [0u8; 64];
        for b in text.bytes() {
            let slot = &mut counts[usize::from(b.to_ascii_lowercase() % 64)];
            *slot = slot.saturating_add(1);
        }
        ByteCounts {
            counts,
            length: text.len(),
            ascii: text.is_ascii(),
        }
    }

    /// Whether `candidate` might be `NEAR` the text counted. Only ASCII
    /// texts are ruled out: `similarity` counts characters.
    fn may_be_near(&self, candidate: &str) -> bool {
        if !self.ascii || !candidate.is_ascii() {
            return true;
        }
        let longer = self.length.max(candidate.len());
        let limit = edit_limit(longer);
        if self.length.abs_diff(candidate.len()) > limit {
            return false;
        }
        let theirs = ByteCounts::of(candidate);
        let common: usize = self
            .counts
            .iter()
            .zip(theirs.counts)
            .map(|(&a, b)| usize::from(a.min(b)))
            .sum();
        longer.saturating_sub(common) <= limit
    }
}

/// The most edits a likely typo of a text `longer` characters long has.
fn edit_limit(longer: usize) -> usize {
    ((1.0 - NEAR) * longer as f64).floor() as usize
}

/// What a command that reads content but reports something else (`gaps`,
/// `report`) prints of its problems: those of the settings and of how it
/// was run in full, and the content's as one line with their count (a
/// community with thousands of broken links would bury the report).
/// `made` says what is done all the same: "the gaps are found".
pub(crate) fn content_in_one_line(diagnostics: &Diagnostics, made: &str) -> Vec<Diagnostic> {
    let (content, mut shown): (Vec<Diagnostic>, Vec<Diagnostic>) = diagnostics
        .clone()
        .sorted()
        .into_iter()
        .partition(|d| d.category == Category::Content);
    let errors = content.iter().filter(|d| d.is_error()).count();
    let warnings = content.len() - errors;
    let count = |n: usize, what: &str| match n {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    };
    let counted = match (errors, warnings) {
        (0, 0) => return shown,
        (e, 0) => count(e, "error"),
        (0, w) => count(w, "warning"),
        (e, w) => format!("{} and {}", count(e, "error"), count(w, "warning")),
    };
    shown.push(
        Diagnostic::run_warning(format!("the content has {counted}; {made} all the same"))
            .with_hint("`practica check` lists them"),
    );
    shown
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
        // Near in length and letters, far in order: no hint.
        assert_eq!(
            suggest("gone-for-good-2", ["noor-greco", "good-for-gone"]),
            None
        );
        assert_eq!(
            suggest("cold-chian", ["cold-chain", "cold-calls"]),
            Some("cold-chain")
        );
    }

    /// The bounded count agrees with strsim's within its limit.
    #[test]
    fn edits_within_agrees_with_the_full_distance() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "cold-chain",
            "cold-chian",
            "colds-chain",
            "chain-cold",
            "case-studies/no-such-page-0.md",
            "case-studies/civic-alliance.md",
            "case-studies/no-such-page-1.md",
            "ca",
            "abcdef",
            "badcfe",
        ];
        for a in words {
            for b in words {
                let full = strsim::osa_distance(a, b);
                for limit in 0..12 {
                    let want = (full <= limit).then_some(full);
                    assert_eq!(
                        edits_within(a.as_bytes(), b.as_bytes(), limit),
                        want,
                        "{a} {b} {limit}"
                    );
                }
            }
        }
    }

    /// The bound rules nothing out that the distance would keep.
    #[test]
    fn the_byte_count_bound_keeps_every_near_candidate() {
        let words = [
            "cold-chain",
            "cold-chian",
            "Cold-Chain",
            "chain-cold",
            "coldchain",
            "cold-chains",
            "c",
            "",
            "fridge-hosting",
            "fridge-host",
            "ça-va",
            "cava",
            "日本",
            "日本語",
        ];
        for a in words {
            let counts = ByteCounts::of(&a.to_lowercase());
            for b in words {
                if similarity(&a.to_lowercase(), &b.to_lowercase()).is_some() {
                    assert!(counts.may_be_near(b), "{a} {b}");
                }
            }
        }
    }

    #[test]
    fn display_has_location_and_hint() {
        let d = Diagnostic::error("a/b.md", Span::new(3, 7), "broken").with_hint("fix it");
        assert_eq!(d.to_string(), "a/b.md:3:7: error: broken\n  hint: fix it");
    }
}
