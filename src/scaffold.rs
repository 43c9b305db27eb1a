//! New files for authors: `practica new` fills a document from its kind's
//! archetype, `practica init` writes a starter community. Neither ever
//! overwrites a file.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::model::document::Kind;
use crate::schema::{self, Subject};
use crate::stages::config::{self, CONFIG_FILE, title_from_slug};
use crate::stages::load;
use crate::support::diagnostic::Diagnostic;

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
    }
}

/// Writes `SECTION/<slug>.md` from the kind's archetype; returns its path
/// relative to `root`.
pub fn new_document(
    root: &Path,
    kind: Kind,
    title: &str,
    today: Date,
) -> Result<PathBuf, Diagnostic> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(refusal(
            format!("{} has no {CONFIG_FILE}", root.display()),
            "run `practica new` in a community folder, or pass its path last; `practica init DIR` makes one",
        ));
    }
    let title = title.trim();
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(refusal(
            format!("the title `{title}` has no letters or digits to make a file name from"),
            "give a title like \"Peer review of pickups\"",
        ));
    }
    let relative = PathBuf::from(kind.section()).join(format!("{slug}.md"));
    refuse_taken(root, kind, &slug, &relative)?;
    let (archetype, origin) = archetype(root, kind)?;
    let text = fill(&archetype, title, today);
    check_filled(&relative, kind, &text, &origin)?;
    refuse_link_out(root, kind)?;
    write_new(&root.join(&relative), &text)?;
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
                    crate::support::diagnostic::display_path(relative),
                )
            };
            let shown = crate::support::diagnostic::display_path(existing);
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

/// The archetype text and where it came from, for messages: the
/// community's `archetypes/KIND.md`, else its theme's (`theme:` in
/// community.yaml), else the default theme's.
fn archetype(root: &Path, kind: Kind) -> Result<(String, String), Diagnostic> {
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
            Ok(text) => return Ok((text, crate::support::diagnostic::display_path(&place))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(refusal(
                    format!("cannot read {}: {e}", place.display()),
                    "check the file's permissions, or remove it to use the default archetype",
                ));
            }
        }
    }
    Ok((
        default_archetype(kind).to_string(),
        format!("the default theme's {file} archetype"),
    ))
}

/// Puts the title and date into an archetype: quoted as YAML needs in the
/// front matter, as written in the body.
pub(crate) fn fill(archetype: &str, title: &str, today: Date) -> String {
    let (front, body) = split_after_front_matter(archetype);
    let front = front
        .replace("{{ title }}", &yaml_string(title))
        .replace("{{ date }}", &today.to_string());
    let body = body
        .replace("{{ title }}", title)
        .replace("{{ date }}", &today.to_string());
    front + &body
}

/// (front matter with its `---` lines, body); all front matter when unclosed.
fn split_after_front_matter(text: &str) -> (String, String) {
    let mut offset = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        offset += line.len();
        if number > 0 && matches!(line.trim_end(), "---" | "...") {
            return (text[..offset].to_string(), text[offset..].to_string());
        }
    }
    (text.to_string(), String::new())
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

/// A community's own archetype may be broken; say so instead of writing a
/// document the next build rejects.
fn check_filled(relative: &Path, kind: Kind, text: &str, origin: &str) -> Result<(), Diagnostic> {
    let (document, diagnostics) = load::parse_document(relative, kind, text);
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    if document.is_some() && errors.is_empty() {
        return Ok(());
    }
    Err(refusal(
        format!(
            "{origin} does not make a valid document: {}",
            errors.join("; ")
        ),
        "fix the archetype: front matter between `---` lines, with `{{ title }}` and `{{ date }}` where the title and today's date go",
    ))
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

/// Creates the file only if it does not exist, so a file that appeared
/// since the checks is not overwritten either.
fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    use std::io::Write;
    let refusal = |e: std::io::Error| {
        refusal(
            format!("cannot write {}: {e}", path.display()),
            "check that the folder is writable and the file does not exist",
        )
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(refusal)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(refusal)?;
    file.write_all(text.as_bytes()).map_err(refusal)
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
        write_new(&dir.join(&path), &text)?;
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
            return Err(refusal(
                format!("{} is a file, not a folder ({e})", dir.display()),
                "choose a new folder name",
            ));
        }
        Err(e) => {
            return Err(refusal(
                format!("cannot read {}: {e}", dir.display()),
                "check the folder's permissions",
            ));
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
    Err(refusal(
        format!(
            "{} is not empty (it holds {})",
            dir.display(),
            names
                .iter()
                .take(3)
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "practica init writes only into an empty or new folder, so nothing is overwritten; choose another folder",
    ))
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

    #[test]
    fn every_archetype_fills_to_a_document_without_warnings() {
        for kind in Kind::ALL {
            let text = fill(
                default_archetype(kind),
                "Cold chain: \"the\" basics",
                jiff::civil::date(2026, 1, 2),
            );
            let relative = Path::new(kind.section()).join("x.md");
            let (document, diagnostics) = load::parse_document(&relative, kind, &text);
            assert!(diagnostics.is_empty(), "{kind:?}: {diagnostics:?}");
            let document = document.unwrap();
            assert_eq!(document.front.title, "Cold chain: \"the\" basics");
            assert_eq!(document.front.date, Some(jiff::civil::date(2026, 1, 2)));
        }
    }
}
