//! New files for authors: `practica new` fills a document from its kind's
//! archetype, `practica init` writes a starter community. Neither ever
//! overwrites a file.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::model::document::Kind;
use crate::schema::{self, Subject};
use crate::stages::config::{self, CONFIG_FILE, title_from_slug};
use crate::stages::load;
use crate::support::diagnostic::{Check, Diagnostic, Origin, Span, display_path};

/// The folder in a community that overrides the theme's archetypes.
pub(crate) const ARCHETYPES_DIR: &str = "archetypes";

/// Why nothing was written: a settings problem (exit code 2) of how the
/// command was run.
fn refusal(message: impl Into<String>, hint: impl Into<String>) -> Diagnostic {
    Diagnostic::run_error(message).with_hint(hint).settings()
}

/// The theme's archetype of a kind: the file `new` starts from.
pub(crate) fn default_archetype(kind: Kind) -> &'static str {
    match kind {
        Kind::Practice => include_str!("../themes/default/archetypes/practice.md"),
        Kind::Guide => include_str!("../themes/default/archetypes/guide.md"),
        Kind::CaseStudy => include_str!("../themes/default/archetypes/case-study.md"),
        Kind::Member => include_str!("../themes/default/archetypes/member.md"),
        Kind::Toolkit => include_str!("../themes/default/archetypes/toolkit.md"),
    }
}

/// Text `practica new` wrote for the author to replace, still in `body`
/// (which starts on file line `body_line`): the default archetype's
/// placeholder sentences, and its section headings with nothing under
/// them. Each is a warning at its line, so starter text never goes live
/// unnoticed.
pub(crate) fn starter_leftovers(
    relative: &Path,
    kind: Kind,
    body: &str,
    body_line: usize,
) -> Vec<Diagnostic> {
    let archetype = archetype_body(default_archetype(kind));
    let placeholders: Vec<&str> = archetype
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !is_bare_list_item(l))
        .collect();
    let headings: Vec<&str> = archetype.lines().filter(|l| l.starts_with('#')).collect();
    let lines: Vec<&str> = body.lines().collect();
    let mut found = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let text = line.trim();
        let warn = |message: String, hint: &str| {
            Diagnostic::warning(relative, Span::new(body_line + n, 1), message)
                .with_hint(hint)
                .of(Check::StarterText)
        };
        if placeholders.iter().any(|p| is_placeholder(text, p)) {
            found.push(warn(
                format!("`{text}` is placeholder text from `practica new`"),
                "write what it asks for in its place",
            ));
        } else if headings.contains(&text) && section_is_empty(text, &lines[n + 1..]) {
            found.push(warn(
                format!("the section `{text}` from `practica new` is still empty"),
                "write the section, or delete its heading",
            ));
        }
    }
    found
}

/// An archetype's body: what follows its front matter.
fn archetype_body(archetype: &str) -> &str {
    archetype
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map_or(archetype, |(_, body)| body)
}

/// `line` is the archetype's placeholder `pattern`, with whatever title
/// `new` put where the pattern says `{{ title }}`.
fn is_placeholder(line: &str, pattern: &str) -> bool {
    match pattern.split_once("{{ title }}") {
        Some((before, after)) => {
            line.len() >= before.len() + after.len()
                && line.starts_with(before)
                && line.ends_with(after)
        }
        None => line == pattern,
    }
}

/// A list item with nothing in it, like the `1. ` a guide's steps start with.
fn is_bare_list_item(line: &str) -> bool {
    let marker = line.trim_end_matches(['.', ')']);
    matches!(line, "-" | "*" | "+")
        || (!marker.is_empty()
            && marker.bytes().all(|b| b.is_ascii_digit())
            && marker.len() < line.len())
}

/// Nothing but blank lines and empty list items follow `heading` before
/// the next heading of its level or above, or the end.
fn section_is_empty(heading: &str, rest: &[&str]) -> bool {
    let level = |l: &str| l.bytes().take_while(|&b| b == b'#').count();
    rest.iter()
        .map(|l| l.trim())
        .find(|l| !l.is_empty() && !is_bare_list_item(l))
        .is_none_or(|next| next.starts_with('#') && level(next) <= level(heading))
}

/// Writes `SECTION/<slug>.md` from the kind's archetype; returns its path
/// relative to `root`. A broken archetype gives one problem per error,
/// each at its place in the archetype.
pub fn new_document(
    root: &Path,
    kind: Kind,
    title: &str,
    today: Date,
) -> Result<PathBuf, Vec<Diagnostic>> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(vec![refusal(
            format!("{} has no {CONFIG_FILE}", root.display()),
            "run `practica new` in a community folder, or pass its path last; `practica init DIR` makes one",
        )]);
    }
    let title = title.trim();
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(vec![refusal(
            format!("the title `{title}` has no letters or digits to make a file name from"),
            "give a title like \"Peer review of pickups\"",
        )]);
    }
    let relative = PathBuf::from(kind.section()).join(format!("{slug}.md"));
    refuse_taken(root, kind, &slug, &relative).map_err(|d| vec![d])?;
    let archetype = archetype(root, kind).map_err(|d| vec![d])?;
    let filled = Filled::new(&archetype.text, title, today);
    check_filled(&relative, kind, &filled, &archetype.place)?;
    refuse_link_out(root, kind).map_err(|d| vec![d])?;
    write_new(root, &relative, &filled.text).map_err(|d| vec![d])?;
    Ok(relative)
}

/// A new file may not replace a file, nor give a second document the same URL.
fn refuse_taken(root: &Path, kind: Kind, slug: &str, relative: &Path) -> Result<(), Diagnostic> {
    let same_slug = load::sources(root).into_iter().find(|(k, path)| {
        *k == kind
            && path
                .file_stem()
                .is_some_and(|s| slug::slugify(s.to_string_lossy()) == slug)
    });
    match same_slug {
        Some((_, path)) => {
            let existing = path.strip_prefix(root).unwrap_or(&path);
            let hint = if existing == relative {
                "edit that file, or choose another title".to_string()
            } else {
                format!(
                    "it makes the page /{}/{slug}/ that {} would make; edit it, or choose another title",
                    kind.section(),
                    display_path(relative),
                )
            };
            let shown = display_path(existing);
            // The problem is that file, so the message names it as its origin.
            Err(
                Diagnostic::error_in(existing, format!("{shown} already exists"))
                    .with_hint(hint)
                    .settings(),
            )
        }
        None => Ok(()),
    }
}

/// An archetype: its text and where it came from.
struct Archetype {
    text: String,
    place: ArchetypePlace,
}

enum ArchetypePlace {
    /// A file of the community, relative to its root.
    File(PathBuf),
    /// The default theme's, built into practica: `archetypes/KIND.md`.
    DefaultTheme(String),
}

impl ArchetypePlace {
    /// Where in the archetype `span` (of the archetype's own text) is.
    fn origin(&self, span: Option<Span>) -> Origin {
        match (self, span) {
            (ArchetypePlace::File(path), Some(span)) => Origin::At {
                path: display_path(path),
                span,
            },
            (ArchetypePlace::File(path), None) => Origin::Whole {
                path: display_path(path),
            },
            (ArchetypePlace::DefaultTheme(file), span) => Origin::DefaultTheme {
                file: file.clone(),
                span,
            },
        }
    }
}

/// The kind's archetype: the community's `archetypes/KIND.md`, else its
/// theme's (`theme:` in community.yaml), else the default theme's.
fn archetype(root: &Path, kind: Kind) -> Result<Archetype, Diagnostic> {
    let file = format!("{}.md", kind.name());
    let mut places = vec![Path::new(ARCHETYPES_DIR).join(&file)];
    if let Some(theme) = config::load(root).0.and_then(|c| c.theme) {
        places.push(
            Path::new("themes")
                .join(theme)
                .join(ARCHETYPES_DIR)
                .join(&file),
        );
    }
    for place in places {
        match std::fs::read_to_string(root.join(&place)) {
            Ok(text) => {
                let place = ArchetypePlace::File(place);
                return Ok(Archetype { text, place });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Diagnostic::error_in(
                    &place,
                    format!("cannot read the archetype: {e}"),
                )
                .with_hint(
                    "check the file's permissions, or remove it to use the default archetype",
                )
                .settings());
            }
        }
    }
    Ok(Archetype {
        text: default_archetype(kind).to_string(),
        place: ArchetypePlace::DefaultTheme(format!("{ARCHETYPES_DIR}/{file}")),
    })
}

/// Puts the title and date into an archetype: quoted as YAML needs in the
/// front matter, as written in the body.
pub(crate) fn fill(archetype: &str, title: &str, today: Date) -> String {
    Filled::new(archetype, title, today).text
}

/// An archetype with the title and date put in, and where in the
/// archetype each of its characters came from, so that a problem of the
/// document made from it can be shown where it is in the archetype.
struct Filled {
    text: String,
    /// One per line of `text`.
    lines: Vec<FilledLine>,
}

struct FilledLine {
    /// The archetype's line (1-based) this one came from.
    line: usize,
    /// For each character, the archetype's column (1-based) it came from:
    /// each character of a title or date put in comes from its placeholder.
    columns: Vec<usize>,
    /// The archetype's column just after the line's last character.
    end: usize,
}

impl Filled {
    fn new(archetype: &str, title: &str, today: Date) -> Filled {
        let front_length = front_matter_length(archetype);
        let date = today.to_string();
        let quoted = yaml_string(title);
        let mut filled = Filled {
            text: String::with_capacity(archetype.len() + 2 * title.len()),
            lines: Vec::new(),
        };
        let mut offset = 0;
        for (index, line) in archetype.split_inclusive('\n').enumerate() {
            let title = if offset < front_length {
                &quoted
            } else {
                title
            };
            filled.add_line(
                index + 1,
                line,
                &[("{{ title }}", title), ("{{ date }}", &date)],
            );
            offset += line.len();
        }
        filled
    }

    /// Adds one archetype line, its placeholders replaced; a value with a
    /// line break makes more than one line of the text.
    fn add_line(&mut self, number: usize, line: &str, values: &[(&str, &str)]) {
        let mut current = FilledLine {
            line: number,
            columns: Vec::new(),
            end: 1,
        };
        let mut rest = line;
        let mut column = 1;
        while let Some(c) = rest.chars().next() {
            let (text, taken) = match values.iter().find(|(p, _)| rest.starts_with(p)) {
                Some((placeholder, value)) => (*value, *placeholder),
                None => (&rest[..c.len_utf8()], &rest[..c.len_utf8()]),
            };
            for c in text.chars() {
                self.text.push(c);
                if c == '\n' {
                    current.end = column;
                    let next = FilledLine {
                        line: number,
                        columns: Vec::new(),
                        end: 1,
                    };
                    self.lines.push(std::mem::replace(&mut current, next));
                } else {
                    current.columns.push(column);
                }
            }
            column += taken.chars().count();
            rest = &rest[taken.len()..];
        }
        if !line.ends_with('\n') {
            current.end = column;
            self.lines.push(current);
        }
    }

    /// Where `span` of the filled text is in the archetype.
    fn in_archetype(&self, span: Span) -> Span {
        let Some(line) = span.line.checked_sub(1).and_then(|i| self.lines.get(i)) else {
            // Past the last line (the end of the file): as far past the archetype's.
            let last = self.lines.last().map_or(0, |l| l.line);
            return Span::new(last + span.line - self.lines.len(), span.col);
        };
        let index = span.col.max(1) - 1;
        let col = match line.columns.get(index) {
            Some(&col) => col,
            None => line.end + (index - line.columns.len()),
        };
        Span::new(line.line, col)
    }
}

/// The length of the front matter with its `---` lines; all the text when
/// unclosed.
fn front_matter_length(text: &str) -> usize {
    let mut offset = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        offset += line.len();
        if number > 0 && matches!(line.trim_end(), "---" | "...") {
            return offset;
        }
    }
    text.len()
}

/// A YAML scalar for `text`: bare when YAML reads it back as the same
/// string, else double-quoted (a JSON string is a valid YAML one).
fn yaml_string(text: &str) -> String {
    let plain_safe = text
        .chars()
        .all(|c| c.is_alphanumeric() || " -.,'()!?&/".contains(c))
        && text.starts_with(|c: char| c.is_alphabetic())
        && !text.ends_with(' ')
        && !matches!(
            text.to_lowercase().as_str(),
            "yes" | "no" | "true" | "false" | "on" | "off" | "null" | "y" | "n"
        );
    if plain_safe {
        text.to_string()
    } else {
        serde_json::Value::String(text.to_string()).to_string()
    }
}

/// An archetype may be broken (a community's own, or a title the default
/// one cannot hold); say so, at each error's place in the archetype,
/// instead of writing a document the next build rejects.
fn check_filled(
    relative: &Path,
    kind: Kind,
    filled: &Filled,
    archetype: &ArchetypePlace,
) -> Result<(), Vec<Diagnostic>> {
    let (document, diagnostics) = load::parse_document(relative, kind, &filled.text);
    let hint = "fix the archetype: front matter between `---` lines, with `{{ title }}` and `{{ date }}` where the title and today's date go";
    let mut errors: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .map(|d| {
            let origin = archetype.origin(d.span().map(|span| filled.in_archetype(span)));
            let message = format!("the archetype makes an invalid document: {}", d.message);
            Diagnostic::error_at(origin, message)
                .with_hint(d.hint.unwrap_or_else(|| hint.to_string()))
                .settings()
        })
        .collect();
    errors.sort_by_key(Diagnostic::span);
    if document.is_none() && errors.is_empty() {
        let problem = "the archetype makes no document";
        errors.push(
            Diagnostic::error_at(archetype.origin(None), problem)
                .with_hint(hint)
                .settings(),
        );
    }
    match errors.is_empty() {
        true => Ok(()),
        false => Err(errors),
    }
}

/// A section folder that is a link out of the community: `new` would write
/// into another folder than the community's.
fn refuse_link_out(root: &Path, kind: Kind) -> Result<(), Diagnostic> {
    let section = root.join(kind.section());
    let (Ok(real), Ok(real_root)) = (std::fs::canonicalize(&section), std::fs::canonicalize(root))
    else {
        return Ok(());
    };
    if real.starts_with(&real_root) {
        return Ok(());
    }
    Err(Diagnostic::error_in(
        kind.section(),
        format!(
            "{}/ is a link to {}, outside the community: nothing is written there",
            kind.section(),
            real.display()
        ),
    )
    .with_hint("make it a folder of the community, or write the file there yourself")
    .settings())
}

/// Creates `root/relative` only if it does not exist, so a file that
/// appeared since the checks is not overwritten either. A failure names
/// the file, or the folder that could not be made, relative to `root`.
fn write_new(root: &Path, relative: &Path, text: &str) -> Result<(), Diagnostic> {
    use std::io::Write;
    let failure = |place: &Path, e: std::io::Error| {
        Diagnostic::error_in(place, format!("cannot write it: {e}"))
            .with_hint("check that the folder is writable and the file does not exist")
            .settings()
    };
    // The folder, named as messages name it: the root as given.
    let folder = relative.parent().filter(|p| !p.as_os_str().is_empty());
    std::fs::create_dir_all(root.join(folder.unwrap_or(Path::new(""))))
        .map_err(|e| failure(folder.unwrap_or(root), e))?;
    let path = root.join(relative);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| failure(relative, e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| failure(relative, e))
}

/// The files of a starter community, by path, with placeholders.
const STARTER: [(&str, &str); 8] = [
    (CONFIG_FILE, include_str!("starter/community.yaml")),
    ("README.md", include_str!("starter/README.md")),
    (".gitignore", include_str!("starter/gitignore")),
    ("members/your-name.md", include_str!("starter/members.md")),
    (
        "practices/welcome-call.md",
        include_str!("starter/practices.md"),
    ),
    (
        "guides/your-first-week.md",
        include_str!("starter/guides.md"),
    ),
    (
        "case-studies/first-welcome-calls.md",
        include_str!("starter/case-studies.md"),
    ),
    (
        ".github/workflows/site.yml",
        include_str!("starter/site.yml"),
    ),
];

/// The GitHub Action of this version of practica, as a workflow names it:
/// `OWNER/REPO@vX.Y.Z` (the tag the release workflow builds).
pub(crate) fn action_ref() -> String {
    let repository = env!("CARGO_PKG_REPOSITORY");
    let name = repository
        .strip_prefix("https://github.com/")
        .unwrap_or(repository)
        .trim_end_matches('/');
    format!("{name}@v{}", env!("CARGO_PKG_VERSION"))
}

/// Writes a starter community into `dir`, which must be empty or new (a
/// lone `.git` is allowed: `git init` first is a common order). Returns
/// the files written, relative to `dir`.
pub fn init(dir: &Path, today: Date) -> Result<Vec<PathBuf>, Diagnostic> {
    refuse_non_empty(dir)?;
    let title = community_title(dir);
    let starter = STARTER.into_iter().map(|(path, template)| {
        let text = match path {
            CONFIG_FILE => schema::modeline(Subject::Community) + &fill(template, &title, today),
            _ if path.ends_with(".md") => fill(template, &title, today),
            _ if path.ends_with(".yml") => template.replace("{{ action }}", &action_ref()),
            _ => template.to_string(),
        };
        (PathBuf::from(path), text)
    });
    let mut written = Vec::new();
    for (path, text) in starter.chain(editor_files()) {
        write_new(dir, &path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// What editors need to complete and check keys: the schemas, and VS
/// Code's settings mapping community.yaml to its schema (its first line
/// names the schema too, for other editors), with the YAML extension
/// recommended.
fn editor_files() -> Vec<(PathBuf, String)> {
    let schemas = Subject::ALL.map(|subject| {
        let path = Path::new(schema::SCHEMA_DIR).join(subject.file_name());
        (path, schema::text(subject))
    });
    let settings = serde_json::json!({
        "yaml.schemas": {
            schema::path_from_root(Subject::Community): [format!("/{CONFIG_FILE}")],
        },
    });
    let extensions = serde_json::json!({"recommendations": ["redhat.vscode-yaml"]});
    let vscode = [
        (".vscode/settings.json", settings),
        (".vscode/extensions.json", extensions),
    ]
    .map(|(path, json)| (PathBuf::from(path), format!("{json:#}\n")));
    schemas.into_iter().chain(vscode).collect()
}

fn refuse_non_empty(dir: &Path) -> Result<(), Diagnostic> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) if dir.exists() && !dir.is_dir() => {
            return Err(
                Diagnostic::error_in(dir, format!("a file, not a folder ({e})"))
                    .with_hint("choose a new folder name")
                    .settings(),
            );
        }
        Err(e) => {
            return Err(
                Diagnostic::error_in(dir, format!("cannot read the folder: {e}"))
                    .with_hint("check the folder's permissions")
                    .settings(),
            );
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != ".git")
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    names.sort();
    let held: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
    Err(Diagnostic::error_in(
        dir,
        format!("the folder is not empty (it holds {})", held.join(", ")),
    )
    .with_hint("practica init writes only into an empty or new folder, so nothing is overwritten; choose another folder")
    .settings())
}

/// "food-rescue" → "Food rescue": the folder's name until someone edits it.
fn community_title(dir: &Path) -> String {
    let name = std::path::absolute(dir)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let title = title_from_slug(&slug::slugify(name));
    if title.is_empty() {
        "Our community".to_string()
    } else {
        title
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_quoted_only_when_yaml_needs_it() {
        assert_eq!(
            yaml_string("Peer review of pickups"),
            "Peer review of pickups"
        );
        assert_eq!(
            yaml_string("Cold chain: the basics"),
            "\"Cold chain: the basics\""
        );
        assert_eq!(yaml_string("Yes"), "\"Yes\"");
        assert_eq!(yaml_string("# Not a comment"), "\"# Not a comment\"");
        assert_eq!(yaml_string("2024 review"), "\"2024 review\"");
        assert_eq!(
            yaml_string("Don't panic & carry on (v2)"),
            "Don't panic & carry on (v2)"
        );
        assert_eq!(yaml_string("Café crème"), "Café crème");
        assert_eq!(yaml_string("Say \"hi\""), "\"Say \\\"hi\\\"\"");
    }

    #[test]
    fn plain_titles_read_back_as_written() {
        for title in [
            "Don't panic & carry on (v2)",
            "Café crème",
            "Peer review, weekly",
        ] {
            let text = fill(
                default_archetype(Kind::Guide),
                title,
                jiff::civil::date(2026, 1, 2),
            );
            let (document, _) = load::parse_document(Path::new("guides/x.md"), Kind::Guide, &text);
            assert_eq!(document.unwrap().front.title, title);
        }
    }

    /// Each character of the filled text is traced to the archetype: a
    /// value put in to its placeholder, what follows shifted back, a line
    /// a title's line break adds to the placeholder's line.
    #[test]
    fn filled_places_are_traced_back_to_the_archetype() {
        let archetype = "---\ntitle: {{ title }} end\n---\n# {{ title }}!\nlast\n";
        let filled = Filled::new(archetype, "A: b\nc", jiff::civil::date(2026, 1, 2));
        assert_eq!(
            filled.text,
            "---\ntitle: \"A: b\\nc\" end\n---\n# A: b\nc!\nlast\n"
        );
        let at = |line, col| {
            let span = filled.in_archetype(Span::new(line, col));
            (span.line, span.col)
        };
        assert_eq!(at(2, 1), (2, 1), "before any value");
        assert_eq!(at(2, 8), (2, 8), "the value's first character");
        assert_eq!(at(2, 12), (2, 8), "inside the value");
        assert_eq!(at(2, 18), (2, 20), "after it: `end`");
        assert_eq!(at(2, 21), (2, 23), "the end of the line");
        assert_eq!(at(4, 3), (4, 3), "the body's value");
        assert_eq!(at(5, 1), (4, 3), "the value's second line");
        assert_eq!(at(5, 2), (4, 14), "`!` after it");
        assert_eq!(at(6, 2), (5, 2), "lines after are the archetype's");
        assert_eq!(at(7, 1), (6, 1), "the end of the file");
    }

    #[test]
    fn every_archetype_fills_to_a_document_with_only_its_starter_text_flagged() {
        for kind in Kind::ALL {
            let text = fill(
                default_archetype(kind),
                "Cold chain: \"the\" basics",
                jiff::civil::date(2026, 1, 2),
            );
            let relative = Path::new(kind.section()).join("x.md");
            let (document, diagnostics) = load::parse_document(&relative, kind, &text);
            assert!(
                !diagnostics.is_empty()
                    && diagnostics
                        .iter()
                        .all(|d| d.check == Some(Check::StarterText) && !d.is_error()),
                "{kind:?}: {diagnostics:?}"
            );
            let document = document.unwrap();
            assert_eq!(document.front.title, "Cold chain: \"the\" basics");
            assert_eq!(document.front.date, Some(jiff::civil::date(2026, 1, 2)));
        }
    }
}
