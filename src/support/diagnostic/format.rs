//! Diagnostics for their three readers: a person (the rustc layout: the
//! message, `--> file:line:col`, the source line with a caret under the
//! column, the hint), GitHub Actions (workflow annotations on the changed
//! lines of a pull request) and tools (one JSON object per line).

use std::path::Path;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use super::{Diagnostic, Origin, Severity, default_theme_name, display_path};

/// The rustc layout. `source` is the text of the diagnostic's file when it
/// could be read; without it (or past its end) only the location is shown.
/// For many diagnostics in one file, `Sources` finds each line in constant time.
pub fn human(diagnostic: &Diagnostic, source: Option<&str>, color: bool) -> String {
    let shown = diagnostic.span().and_then(|span| {
        let line = source?.lines().nth(span.line.max(1) - 1)?;
        Some(Shown::around(line, span.col, None))
    });
    render(diagnostic, shown, color)
}

/// Characters of a source line shown at most; a longer line (minified
/// HTML, a table on one line) is cut around the column, so printing N
/// problems on one long line costs N times this, not N times the line.
const SHOWN_CHARACTERS: usize = 160;

/// The part of a source line a diagnostic shows, and its column in that part.
struct Shown {
    text: String,
    col: usize,
}

impl Shown {
    /// The line around 1-based character column `col`. `char_starts`, when
    /// given, is the byte offset of each character (for long non-ASCII lines).
    fn around(line: &str, col: usize, char_starts: Option<&[usize]>) -> Shown {
        let col = col.max(1);
        let ascii = char_starts.is_none() && line.is_ascii();
        let length = match char_starts {
            Some(starts) => starts.len(),
            None if ascii => line.len(),
            None => line.chars().count(),
        };
        if length <= SHOWN_CHARACTERS {
            return Shown {
                text: line.to_string(),
                col,
            };
        }
        let half = SHOWN_CHARACTERS / 2;
        let first = (col - 1)
            .saturating_sub(half)
            .min(length - SHOWN_CHARACTERS);
        let last = first + SHOWN_CHARACTERS;
        let byte = |char_index: usize| -> usize {
            match char_starts {
                _ if char_index >= length => line.len(),
                Some(starts) => starts[char_index],
                None if ascii => char_index,
                None => line
                    .char_indices()
                    .nth(char_index)
                    .map_or(line.len(), |(b, _)| b),
            }
        };
        let mut text = String::new();
        if first > 0 {
            text.push('…');
        }
        text.push_str(&line[byte(first)..byte(last)]);
        if last < length {
            text.push('…');
        }
        Shown {
            text,
            col: col - first + usize::from(first > 0),
        }
    }
}

fn render(diagnostic: &Diagnostic, shown: Option<Shown>, color: bool) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level.primary_title(diagnostic.message.as_str());
    let group = match (&diagnostic.origin, &shown) {
        (Origin::At { path, span }, Some(shown)) => title.element(
            Snippet::source(shown.text.as_str())
                .line_start(span.line.max(1))
                .path(path.as_str())
                .annotation(AnnotationKind::Primary.span(caret(&shown.text, shown.col))),
        ),
        (Origin::At { path, span }, None) => title.element(
            annotate_snippets::Origin::path(path.as_str())
                .line(span.line.max(1))
                .char_column(span.col.max(1)),
        ),
        (Origin::Whole { path }, _) => {
            title.element(annotate_snippets::Origin::path(path.as_str()))
        }
        (Origin::Run, _) => annotate_snippets::Group::with_title(title),
        (Origin::DefaultTheme { file, span }, _) => {
            let origin = annotate_snippets::Origin::path(default_theme_name(file));
            title.element(match span {
                Some(span) => origin.line(span.line.max(1)).char_column(span.col.max(1)),
                None => origin,
            })
        }
    };
    let group = match &diagnostic.hint {
        Some(hint) => group.element(Level::HELP.with_name("hint").message(hint.as_str())),
        None => group,
    };
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let text = renderer.render(&[group]);
    match (&diagnostic.origin, shown) {
        // The location names the column in the part shown; put back the line's.
        (Origin::At { path, span }, Some(shown)) if shown.col != span.col.max(1) => {
            let line = span.line.max(1);
            text.replacen(
                &format!("{path}:{line}:{}", shown.col),
                &format!("{path}:{line}:{}", span.col.max(1)),
                1,
            )
        }
        _ => text,
    }
}

/// The files diagnostics point into, each read once and its lines indexed,
/// so that printing any number of diagnostics costs what they show.
pub struct Sources {
    root: std::path::PathBuf,
    files: std::collections::HashMap<String, Option<Indexed>>,
}

struct Indexed {
    text: String,
    /// Byte offset of each line's start.
    lines: Vec<usize>,
    /// For long lines that are not ASCII: the byte offset of each character.
    chars: std::collections::HashMap<usize, Vec<usize>>,
}

impl Indexed {
    fn new(text: String) -> Indexed {
        let lines = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|n| n + 1))
            .collect();
        Indexed {
            text,
            lines,
            chars: std::collections::HashMap::new(),
        }
    }

    /// Line `number` (1-based) without its line ending.
    fn line(&self, number: usize) -> Option<&str> {
        let start = *self.lines.get(number.checked_sub(1)?)?;
        let end = self
            .lines
            .get(number)
            .map_or(self.text.len(), |&next| next - 1);
        let line = self.text.get(start..end.max(start))?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

impl Sources {
    /// Files are read from below `root`, where diagnostics' paths start.
    pub fn new(root: &Path) -> Sources {
        Sources {
            root: root.to_path_buf(),
            files: std::collections::HashMap::new(),
        }
    }

    /// `human`, with the diagnostic's line from its file.
    pub fn human(&mut self, diagnostic: &Diagnostic, color: bool) -> String {
        let Origin::At { path, span } = &diagnostic.origin else {
            return render(diagnostic, None, color);
        };
        let root = &self.root;
        let file = self.files.entry(path.clone()).or_insert_with(|| {
            std::fs::read_to_string(root.join(path))
                .ok()
                .map(Indexed::new)
        });
        let Some(file) = file else {
            return render(diagnostic, None, color);
        };
        let number = span.line.max(1);
        let Some(line) = file.line(number) else {
            return render(diagnostic, None, color);
        };
        let wide = line.len() > SHOWN_CHARACTERS && !line.is_ascii();
        if wide && !file.chars.contains_key(&number) {
            let starts = line.char_indices().map(|(b, _)| b).collect();
            file.chars.insert(number, starts);
        }
        let line = file.line(number).unwrap_or_default();
        let starts = file.chars.get(&number).map(Vec::as_slice);
        render(
            diagnostic,
            Some(Shown::around(line, span.col, starts)),
            color,
        )
    }
}

/// The byte range of the character at 1-based character column `col`
/// (empty at the end of the line, where a missing closing mark would go).
fn caret(line: &str, col: usize) -> std::ops::Range<usize> {
    match line.char_indices().nth(col.saturating_sub(1)) {
        Some((start, c)) => start..start + c.len_utf8(),
        None => line.len()..line.len(),
    }
}

/// A GitHub Actions workflow command: `::error file=…,line=…,col=…::message`,
/// with only `file=` for a whole file and neither for how practica was run.
/// Paths are given from the folder practica ran in (`ROOT/…`), as GitHub
/// resolves them from the repository root where CI runs. A file of the
/// default theme is in no repository: the message names it instead.
/// How many problems of one kind in one file people see before the rest
/// are counted (`grouped`).
pub const SHOWN_PER_KIND: usize = 3;

/// What a person reads of a list of problems: each in full, but after the
/// first `SHOWN_PER_KIND` of one kind in one file (the same message but for
/// its `quoted` parts: "link `…` goes to no document"), a count of the
/// rest. A community importing legacy content has hundreds of one kind;
/// machines (JSON, GitHub) get every one.
#[derive(Debug, PartialEq)]
pub enum Grouped<'d> {
    Shown(&'d Diagnostic),
    /// `count` more like `like`, after it.
    More {
        like: &'d Diagnostic,
        count: usize,
    },
}

/// `problems` in order, repeats beyond `SHOWN_PER_KIND` folded into a count
/// after the last one shown.
pub fn grouped(problems: &[Diagnostic]) -> Vec<Grouped<'_>> {
    use std::collections::HashMap;
    fn key(d: &Diagnostic) -> (Option<&str>, bool, String) {
        (d.path(), d.is_error(), kind_of(&d.message))
    }
    let mut seen: HashMap<_, usize> = HashMap::new();
    for problem in problems {
        *seen.entry(key(problem)).or_default() += 1;
    }
    let mut shown: HashMap<_, usize> = HashMap::new();
    let mut out = Vec::new();
    for problem in problems {
        let k = key(problem);
        let so_far = shown.entry(k.clone()).or_default();
        *so_far += 1;
        if *so_far <= SHOWN_PER_KIND {
            out.push(Grouped::Shown(problem));
        }
        let total = seen[&k];
        if *so_far == SHOWN_PER_KIND && total > SHOWN_PER_KIND {
            out.push(Grouped::More {
                like: problem,
                count: total - SHOWN_PER_KIND,
            });
        }
    }
    out
}

/// A message with its `quoted` parts taken out: what makes two problems
/// the same kind.
fn kind_of(message: &str) -> String {
    message
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, part)| part)
        .collect::<Vec<_>>()
        .join("`…`")
}

pub fn github(diagnostic: &Diagnostic, root: &Path) -> String {
    let level = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties = String::new();
    if let Some(path) = diagnostic.path() {
        let file = display_path(&root.join(path));
        let file = file.strip_prefix("./").unwrap_or(&file);
        properties.push_str(&format!("file={},", escape_property(file)));
        if let Some(span) = diagnostic.span() {
            properties.push_str(&format!("line={},col={},", span.line, span.col));
        }
    }
    let mut message = match (&diagnostic.origin, diagnostic.place()) {
        (Origin::DefaultTheme { .. }, Some(place)) => format!("{place}: "),
        _ => String::new(),
    };
    message.push_str(&diagnostic.message);
    if let Some(hint) = &diagnostic.hint {
        message.push_str("\nhint: ");
        message.push_str(hint);
    }
    format!(
        "::{level} {properties}title=practica {level}::{}",
        escape_data(&message)
    )
}

/// GitHub's escaping for a command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping for a command's `key=value` properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One line of JSON; the schema is in README ("practica check").
pub fn json(diagnostic: &Diagnostic) -> String {
    serde_json::json!({
        "severity": diagnostic.severity,
        "category": diagnostic.category,
        "path": diagnostic.path(),
        "default_theme": diagnostic.default_theme_file(),
        "line": diagnostic.span().map(|s| s.line),
        "column": diagnostic.span().map(|s| s.col),
        "message": diagnostic.message,
        "hint": diagnostic.hint,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_of_one_kind_in_one_file_are_counted_after_the_first_few() {
        let broken = |path: &str, n: usize| {
            Diagnostic::error(
                path,
                crate::Span::new(n, 1),
                format!("link `x{n}.md` goes to no document"),
            )
        };
        let mut problems: Vec<Diagnostic> = (1..=7).map(|n| broken("a.md", n)).collect();
        problems.push(broken("b.md", 1));
        problems.push(Diagnostic::error(
            "a.md",
            crate::Span::new(9, 1),
            "unknown author `x`",
        ));
        let out = grouped(&problems);
        let shown = out
            .iter()
            .filter(|g| matches!(g, Grouped::Shown(_)))
            .count();
        assert_eq!(shown, SHOWN_PER_KIND + 2, "{out:?}");
        assert!(out.contains(&Grouped::More {
            like: &problems[SHOWN_PER_KIND - 1],
            count: 7 - SHOWN_PER_KIND
        }));
    }
    use crate::support::diagnostic::Span;

    fn broken_link() -> Diagnostic {
        Diagnostic::error(
            "practices/a.md",
            Span::new(2, 5),
            "link `b.md` goes to no document",
        )
        .with_hint("did you mean `c.md`?")
    }

    #[test]
    fn human_shows_the_line_and_a_caret_under_the_column() {
        let text = human(&broken_link(), Some("---\nSee [b](b.md), 100%\n"), false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "error: link `b.md` goes to no document");
        assert!(lines[1].ends_with("--> practices/a.md:2:5"), "{text}");
        let source = lines
            .iter()
            .position(|l| l.contains("See [b](b.md)"))
            .unwrap();
        assert!(lines[source].starts_with("2 |"), "{text}");
        let caret = lines[source + 1];
        let column = |l: &str, c: char| l.find(c).unwrap();
        assert_eq!(column(caret, '^'), column(lines[source], '['), "{text}");
        assert!(text.contains("hint: did you mean `c.md`?"), "{text}");
        assert!(!text.contains('\x1b'));
    }

    #[test]
    fn human_colours_only_when_asked() {
        let plain = human(&broken_link(), Some("---\nSee [b](b.md)\n"), false);
        let styled = human(&broken_link(), Some("---\nSee [b](b.md)\n"), true);
        assert!(styled.contains("\x1b["), "{styled:?}");
        let stripped: String = styled
            .split('\x1b')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once('m').map_or("", |p| p.1)
                }
            })
            .collect();
        assert_eq!(stripped, plain, "the same text, with colour codes added");
    }

    #[test]
    fn a_long_line_is_shown_around_the_column_with_the_line_s_column() {
        for filler in ["x", "é"] {
            let line = format!("{}[b](b.md){}", filler.repeat(5000), filler.repeat(5000));
            let d = Diagnostic::error(
                "a.md",
                Span::new(2, 5001),
                "link `b.md` goes to no document",
            );
            let text = human(&d, Some(&format!("---\n{line}\n")), false);
            assert!(text.contains("--> a.md:2:5001"), "{text}");
            let shown = text.lines().find(|l| l.starts_with("2 |")).unwrap();
            assert!(shown.chars().count() < 200, "{shown}");
            assert!(
                shown.contains("…") && shown.contains("[b](b.md)"),
                "{shown}"
            );
            let caret = text.lines().find(|l| l.contains('^')).unwrap();
            let at = |l: &str, c: char| l.chars().position(|x| x == c).unwrap();
            assert_eq!(at(caret, '^'), at(shown, '['), "{text}");
        }
    }

    #[test]
    fn sources_print_the_same_as_human() {
        let dir = tempfile::tempdir().unwrap();
        let text = format!("---\r\nSee [b](b.md)\r\n{}[c](c.md)\n", "é".repeat(300));
        std::fs::write(dir.path().join("a.md"), &text).unwrap();
        let mut sources = Sources::new(dir.path());
        for (line, col) in [(2, 5), (3, 301), (9, 1)] {
            let d = Diagnostic::error("a.md", Span::new(line, col), "m");
            assert_eq!(
                sources.human(&d, false),
                human(&d, Some(&text), false),
                "{line}"
            );
        }
    }

    #[test]
    fn human_without_source_names_the_place() {
        let text = human(&broken_link(), None, false);
        assert!(text.contains("--> practices/a.md:2:5"), "{text}");
    }

    #[test]
    fn a_default_theme_file_is_named_as_one_and_never_as_a_path() {
        let origin = Origin::DefaultTheme {
            file: "templates/tag.html".into(),
            span: Some(Span::new(3, 7)),
        };
        let d = Diagnostic::error_at(origin, "variable `x` not found");
        let text = human(&d, None, false);
        assert!(
            text.contains("--> the default theme's templates/tag.html:3:7"),
            "{text}"
        );
        assert_eq!(
            d.to_string(),
            "the default theme's templates/tag.html:3:7: error: variable `x` not found"
        );
        assert_eq!(
            github(&d, Path::new("site")),
            "::error title=practica error::the default theme's templates/tag.html:3:7: variable `x` not found"
        );
        let line: serde_json::Value = serde_json::from_str(&json(&d)).unwrap();
        assert_eq!(line["path"], serde_json::Value::Null);
        assert_eq!(line["default_theme"], "templates/tag.html");
        assert_eq!(
            (line["line"].as_u64(), line["column"].as_u64()),
            (Some(3), Some(7))
        );
    }

    #[test]
    fn github_annotations_escape_newlines_and_properties() {
        let d = Diagnostic::warning("a,b:c.md", Span::new(3, 1), "50% done").with_hint("one\ntwo");
        assert_eq!(
            github(&d, Path::new("./site")),
            "::warning file=site/a%2Cb%3Ac.md,line=3,col=1,title=practica warning::50%25 done%0Ahint: one%0Atwo"
        );
    }
}
