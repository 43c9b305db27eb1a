//! The default theme, compiled into the binary, layered under a community's
//! own `themes/NAME/` and `templates/` files of the same names.

use std::collections::HashMap;
use std::path::Path;

use tera::{ErrorKind, Tera};
use walkdir::WalkDir;

use crate::stages::config::{CONFIG_FILE, Config};
use crate::support::diagnostic::{Diagnostic, Span, display_path};

macro_rules! theme_files {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../themes/default/templates/", $name)))),*]
    };
}

const DEFAULT_TEMPLATES: &[(&str, &str)] = theme_files!(
    "base.html",
    "card.html",
    "link-list.html",
    "index.html",
    "document.html",
    "member.html",
    "section.html",
    "members.html",
    "tags.html",
    "tag.html",
    "404.html",
    "gaps.html",
    "gap-item.html",
    "search.html",
);

/// Files the default theme ships into `assets/` of every site.
pub(crate) const DEFAULT_ASSETS: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../../themes/default/static/style.css"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../../themes/default/static/favicon.svg"),
    ),
    (
        "search.js",
        include_bytes!("../../../themes/default/static/search.js"),
    ),
];

const TEMPLATE_HINT: &str = "fix the template; the default theme's templates are in themes/default/templates/ of practica's source";

pub(crate) struct Theme {
    pub(crate) tera: Tera,
    /// Template name → the file it came from, for error messages.
    origins: HashMap<String, String>,
    /// A chosen theme's `static/` folder, copied to the site root.
    pub(crate) static_dir: Option<std::path::PathBuf>,
}

impl Theme {
    /// The templates `config` chooses: the default theme's, under the theme
    /// named by `theme:`, under the community's own `templates/`.
    pub(crate) fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let theme = config.theme.as_deref();
        let mut sources: HashMap<String, (String, String)> = DEFAULT_TEMPLATES
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    (format!("(default theme) {name}"), text.to_string()),
                )
            })
            .collect();
        let mut diagnostics = Vec::new();
        let mut static_dir = None;
        if let Some(name) = theme.filter(|t| *t != "default") {
            let dir = root.join("themes").join(name);
            if let Some(outside) = leads_outside(root, &dir) {
                return Err(vec![
                    Diagnostic::error(
                        CONFIG_FILE,
                        config.theme_span,
                        format!(
                            "themes/{name} is a link to {}, outside the community",
                            outside.display()
                        ),
                    )
                    .with_hint("copy the theme into themes/ instead of linking to it")
                    .settings(),
                ]);
            }
            if !dir.is_dir() {
                return Err(vec![
                    Diagnostic::error(
                        CONFIG_FILE,
                        config.theme_span,
                        format!("theme `{name}` not found: no folder themes/{name}/"),
                    )
                    .with_hint(
                        "remove `theme:` to use the default theme, or create the theme's folder",
                    )
                    .settings(),
                ]);
            }
            read_overrides(root, &dir.join("templates"), &mut sources, &mut diagnostics);
            static_dir = Some(dir.join("static")).filter(|d| d.is_dir());
        }
        let own = root.join("templates");
        match leads_outside(root, &own) {
            Some(outside) => diagnostics.push(
                Diagnostic::error_in(
                    "templates",
                    format!(
                        "templates/ is a link to {}, outside the community",
                        outside.display()
                    ),
                )
                .with_hint("copy the templates into the community instead of linking to them")
                .settings(),
            ),
            None => read_overrides(root, &own, &mut sources, &mut diagnostics),
        }
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        let origins = sources
            .iter()
            .map(|(name, (origin, _))| (name.clone(), origin.clone()))
            .collect();
        let mut tera = Tera::new();
        tera.register_filter("safe", safe);
        let templates: Vec<(String, String)> = sources
            .into_iter()
            .map(|(name, (_, text))| (name, text))
            .collect();
        let theme = Theme {
            tera: Tera::new(),
            origins,
            static_dir,
        };
        if let Err(error) = tera.add_raw_templates(templates) {
            return Err(theme.diagnostics(&error));
        }
        Ok(Theme { tera, ..theme })
    }

    fn origin(&self, name: &str) -> String {
        self.origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("templates/{name}"))
    }

    /// Template errors as settings diagnostics at each template's line:col.
    /// Tera reports all validation problems of a batch as one text of
    /// rustc-style reports, so those are split back into their parts.
    pub(crate) fn diagnostics(&self, error: &tera::Error) -> Vec<Diagnostic> {
        let ErrorKind::Msg(text) = error.kind() else {
            return vec![self.diagnostic(error)];
        };
        let parsed: Vec<Diagnostic> = text
            .split("\n\n")
            .filter_map(|report| self.parse_report(report))
            .collect();
        if parsed.is_empty() {
            vec![self.diagnostic(error)]
        } else {
            parsed
        }
    }

    /// `error: MESSAGE` then ` --> NAME:LINE:COL` as a diagnostic.
    fn parse_report(&self, report: &str) -> Option<Diagnostic> {
        let message = report.lines().next()?.trim().strip_prefix("error: ")?;
        let location = report.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
        let mut parts = location.rsplitn(3, ':');
        let col = parts.next()?.parse().ok()?;
        let line = parts.next()?.parse().ok()?;
        let name = parts.next()?;
        let d = Diagnostic::error(self.origin(name), Span::new(line, col), message);
        Some(d.with_hint(TEMPLATE_HINT).settings())
    }

    /// A template error as a settings diagnostic at the template's line:col.
    pub(crate) fn diagnostic(&self, error: &tera::Error) -> Diagnostic {
        let origin = |name: &str| self.origin(name);
        let hint = TEMPLATE_HINT;
        match error.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let span = report.span();
                Diagnostic::error(
                    origin(report.filename()),
                    Span::new(span.start_line.max(1), span.start_col + 1),
                    report.message(),
                )
                .with_hint(hint)
                .settings()
            }
            ErrorKind::MissingParent { current, parent } => Diagnostic::error_in(
                origin(current),
                format!("extends `{parent}`, which does not exist"),
            )
            .with_hint(hint)
            .settings(),
            other => Diagnostic::error_in("templates", other.to_string())
                .with_hint(hint)
                .settings(),
        }
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }
}

/// Where `path` really is, when a link takes it outside the community.
fn leads_outside(root: &Path, path: &Path) -> Option<std::path::PathBuf> {
    let real = std::fs::canonicalize(path).ok()?;
    let root = std::fs::canonicalize(root).ok()?;
    (!real.starts_with(&root)).then_some(real)
}

fn read_overrides(
    root: &Path,
    dir: &Path,
    sources: &mut HashMap<String, (String, String)>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for entry in WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if !entry.file_type().is_file()
            || path
                .extension()
                .is_none_or(|e| e != "html" && e != "xml" && e != "txt")
        {
            continue;
        }
        let Ok(name) = path.strip_prefix(dir).map(display_path) else {
            continue;
        };
        let origin = display_path(path.strip_prefix(root).unwrap_or(path));
        match std::fs::read_to_string(path) {
            Ok(text) => {
                sources.insert(name, (origin, text));
            }
            Err(error) => diagnostics.push(
                Diagnostic::error_in(&origin, format!("cannot read template: {error}"))
                    .with_hint("templates must be UTF-8 text files")
                    .settings(),
            ),
        }
    }
}

/// Tera's `safe`, without its copy: Tera copies the text it marks, and a
/// page's body is megabytes (a 10 MB document's HTML was held once more for
/// it). A text is marked where it is; anything else is shown as Tera shows it.
fn safe(value: tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    if value.is_string() {
        value.mark_safe()
    } else {
        tera::Value::safe_string(&value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `safe` filter that marks text where it is shows every value as
    /// Tera's own does, which copies it.
    #[test]
    fn safe_shows_every_value_as_teras_own_filter() {
        let template = "{{ long | safe }}|{{ short | safe }}|{{ n | safe }}|{{ f | safe }}|\
                        {{ list | safe }}|{{ yes | safe }}|{{ nothing | safe }}|{{ map | safe }}|\
                        {{ long | safe | upper }}|{{ long }}";
        let mut context = tera::Context::new();
        context.insert("long", "<p>A body & more than twenty-one bytes</p>");
        context.insert("short", "<b>&</b>");
        context.insert("n", &3);
        context.insert("f", &2.5);
        context.insert("list", &vec!["<i>", "b"]);
        context.insert("yes", &true);
        context.insert("nothing", &None::<String>);
        context.insert("map", &HashMap::from([("k", "<v>")]));
        let render = |tera: &mut Tera| {
            tera.add_raw_template("t.html", template).expect("template");
            tera.render("t.html", &context).expect("render")
        };
        let mut own = Tera::new();
        own.register_filter("safe", safe);
        assert_eq!(render(&mut own), render(&mut Tera::new()));
    }
}
