//! Diagnostics for their three readers: a person (the rustc layout: the
//! message, `--> file:line:col`, the source line with a caret under the
//! column, the hint), GitHub Actions (workflow annotations on the changed
//! lines of a pull request) and tools (one JSON object per line).

use std::path::Path;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use super::{Diagnostic, Severity, display_path};

/// The rustc layout. `source` is the text of the diagnostic's file when it
/// could be read; without it (or past its end) only the location is shown.
pub fn human(diagnostic: &Diagnostic, source: Option<&str>, color: bool) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let line_number = diagnostic.span.line.max(1);
    let line = source.and_then(|text| text.lines().nth(line_number - 1));
    let title = level.primary_title(diagnostic.message.as_str());
    let group = match line {
        Some(line) => title.element(
            Snippet::source(line)
                .line_start(line_number)
                .path(diagnostic.path.as_str())
                .annotation(AnnotationKind::Primary.span(caret(line, diagnostic.span.col))),
        ),
        None => title.element(
            annotate_snippets::Origin::path(diagnostic.path.as_str())
                .line(line_number)
                .char_column(diagnostic.span.col.max(1)),
        ),
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
    renderer.render(&[group])
}

/// The byte range of the character at 1-based character column `col`
/// (empty at the end of the line, where a missing closing mark would go).
fn caret(line: &str, col: usize) -> std::ops::Range<usize> {
    match line.char_indices().nth(col.saturating_sub(1)) {
        Some((start, c)) => start..start + c.len_utf8(),
        None => line.len()..line.len(),
    }
}

/// A GitHub Actions workflow command: `::error file=…,line=…,col=…::message`.
/// Paths are given from the folder practica ran in (`ROOT/…`), as GitHub
/// resolves them from the repository root where CI runs.
pub fn github(diagnostic: &Diagnostic, root: &Path) -> String {
    let level = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let file = display_path(&root.join(&diagnostic.path));
    let file = file.strip_prefix("./").unwrap_or(&file);
    let mut message = diagnostic.message.clone();
    if let Some(hint) = &diagnostic.hint {
        message.push_str("\nhint: ");
        message.push_str(hint);
    }
    format!(
        "::{level} file={},line={},col={},title=practica {level}::{}",
        escape_property(file),
        diagnostic.span.line,
        diagnostic.span.col,
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
        "path": diagnostic.path,
        "line": diagnostic.span.line,
        "column": diagnostic.span.col,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Span;

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
    fn human_without_source_names_the_place() {
        let text = human(&broken_link(), None, false);
        assert!(text.contains("--> practices/a.md:2:5"), "{text}");
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
