//! The default theme, compiled into the binary, layered under a community's
//! own `themes/NAME/` and `templates/` files of the same names.

use std::collections::HashMap;
use std::path::Path;

use tera::{ErrorKind, Tera};
use walkdir::WalkDir;

use super::Template;
use crate::stages::config::{CONFIG_FILE, Config};
use crate::support::diagnostic::{Diagnostic, Origin, Span, display_path};

/// The default theme's templates: file name, text.
fn default_templates() -> impl Iterator<Item = (&'static str, &'static str)> {
    Template::ALL
        .into_iter()
        .filter_map(|t| Some((t.file_name(), t.default_text()?)))
}

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
    (
        "page.js",
        include_bytes!("../../../themes/default/static/page.js"),
    ),
    (
        "lists.js",
        include_bytes!("../../../themes/default/static/lists.js"),
    ),
];

const TEMPLATE_HINT: &str = "fix the template; the default theme's templates are in themes/default/templates/ of practica's source";
/// An error in a default template comes from the community's templates it
/// extends or includes.
const DEFAULT_TEMPLATE_HINT: &str = "the default theme's templates extend and include the ones in templates/: keep the blocks and names they use (see themes/default/templates/ of practica's source)";

/// A template error at `origin`, with the hint that fits it.
fn template_error(origin: Origin, message: impl Into<String>) -> Diagnostic {
    let hint = match origin {
        Origin::DefaultTheme { .. } => DEFAULT_TEMPLATE_HINT,
        _ => TEMPLATE_HINT,
    };
    Diagnostic::error_at(origin, message)
        .with_hint(hint)
        .settings()
}

pub(crate) struct Theme {
    pub(crate) tera: Tera,
    /// Template name → the file it came from, for error messages.
    origins: HashMap<String, Source>,
    /// A chosen theme's `static/` folder, copied to the site root.
    pub(crate) static_dir: Option<std::path::PathBuf>,
}

/// Where a template came from.
#[derive(Debug, Clone)]
enum Source {
    /// Built into practica: the default theme's `templates/NAME`.
    DefaultTheme,
    /// A file of the community (its own or its theme's), by its path
    /// relative to the community root.
    File(String),
}

impl Theme {
    /// The templates `config` chooses: the default theme's, under the theme
    /// named by `theme:`, under the community's own `templates/`.
    pub(crate) fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let theme = config.theme.as_deref();
        let mut sources: HashMap<String, (Source, String)> = default_templates()
            .map(|(name, text)| (name.to_string(), (Source::DefaultTheme, text.to_string())))
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
        tera.register_filter("fill", fill);
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

    /// Renders the template `name`; an error is a diagnostic in the
    /// template it is in, else in `name`.
    #[cfg(test)]
    pub(crate) fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|error| self.diagnostic(&error, Some(name)))
    }

    /// Whether every template is the default theme's own, so what each
    /// does with a value is known (see `PageRenderer::render`).
    pub(crate) fn is_built_in(&self) -> bool {
        self.origins
            .values()
            .all(|origin| matches!(origin, Source::DefaultTheme))
    }

    /// `render`, into `out` (sized by the caller, so a large page is
    /// written without its buffer growing).
    pub(crate) fn render_to(
        &self,
        name: &str,
        context: &tera::Context,
        out: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        self.tera
            .render_to(name, context, out)
            .map_err(|error| self.diagnostic(&error, Some(name)))
    }

    /// Where in the template `name` a problem is: the file it came from, or
    /// the default theme's; `None` for a name no template has.
    fn origin(&self, name: &str, span: Option<Span>) -> Option<Origin> {
        Some(match (self.origins.get(name)?, span) {
            (Source::DefaultTheme, span) => Origin::DefaultTheme {
                file: format!("templates/{name}"),
                span,
            },
            (Source::File(path), Some(span)) => Origin::At {
                path: path.clone(),
                span,
            },
            (Source::File(path), None) => Origin::Whole { path: path.clone() },
        })
    }

    /// Template errors as settings diagnostics at each template's line:col.
    /// Tera reports all validation problems of a batch as one text of
    /// rustc-style reports, so those are split back into their parts.
    pub(crate) fn diagnostics(&self, error: &tera::Error) -> Vec<Diagnostic> {
        let ErrorKind::Msg(text) = error.kind() else {
            return vec![self.diagnostic(error, None)];
        };
        let parsed: Vec<Diagnostic> = text
            .split("\n\n")
            .filter_map(|report| self.parse_report(report))
            .collect();
        if parsed.is_empty() {
            vec![self.diagnostic(error, None)]
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
        Some(match self.origin(name, Some(Span::new(line, col))) {
            Some(origin) => template_error(origin, message),
            None => template_error(Origin::Run, format!("template `{name}`: {message}")),
        })
    }

    /// A template error as a settings diagnostic at the template's
    /// line:col; one Tera places in no template is put in `rendering`, the
    /// template being rendered, else in no file.
    fn diagnostic(&self, error: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        let in_template = |name: &str, span: Option<Span>| self.origin(name, span);
        let (origin, message) = match error.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let span = report.span();
                let at = Span::new(span.start_line.max(1), span.start_col + 1);
                let origin = in_template(report.filename(), Some(at));
                (origin, report.message().to_string())
            }
            ErrorKind::MissingParent { current, parent } => (
                in_template(current, None),
                format!("extends `{parent}`, which does not exist"),
            ),
            ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
                (in_template(tpl, None), error.to_string())
            }
            _ => (None, error.to_string()),
        };
        let origin = origin
            .or_else(|| in_template(rendering?, None))
            .unwrap_or(Origin::Run);
        template_error(origin, message)
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
    sources: &mut HashMap<String, (Source, String)>,
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
                sources.insert(name, (Source::File(origin), text));
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

/// A label with its `{name}`s filled from the arguments: `{{ t.results |
/// fill(n=3) }}`. A count label (`one`, `other`) takes the form `n` asks
/// for. The label is text, so it is escaped; an argument is escaped too
/// unless it is marked safe (a `<time>` or a link the template made).
fn fill(value: tera::Value, kwargs: tera::Kwargs, _: &tera::State) -> tera::Value {
    let text = match value.as_map() {
        Some(forms) => {
            let n = kwargs.get::<i64>("n").ok().flatten().unwrap_or(0);
            let zero_is_one = forms
                .get(&tera::value::Key::Str("zero_is_one"))
                .and_then(tera::Value::as_bool)
                .unwrap_or(false);
            let one = n == 1 || (zero_is_one && n == 0);
            let form = if one { "one" } else { "other" };
            forms
                .get(&tera::value::Key::Str(form))
                .and_then(tera::Value::as_str)
                .unwrap_or_default()
                .to_string()
        }
        None => value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_string),
    };
    let mut out = escaped(&text);
    for (key, arg) in kwargs.iter() {
        let Some(key) = key.as_str() else { continue };
        let shown = match arg.as_str() {
            Some(text) if arg.is_safe() => text.to_string(),
            Some(text) => escaped(text),
            None => escaped(&arg.to_string()),
        };
        out = out.replace(&format!("{{{key}}}"), &shown);
    }
    tera::Value::safe_string(&out)
}

fn escaped(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    // Writing into a Vec cannot fail.
    let _ = tera::escape_html(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A default template's error names that template of the default
    /// theme, at the line and column of its own text.
    #[test]
    fn a_default_template_s_error_is_placed_in_the_default_theme() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "title: T\n").unwrap();
        let (config, _) = crate::stages::config::load(dir.path());
        let theme = Theme::load(dir.path(), &config.unwrap()).unwrap();
        let error = theme.render("tag.html", &tera::Context::new()).unwrap_err();
        let Origin::DefaultTheme {
            file,
            span: Some(span),
        } = &error.origin
        else {
            panic!("not in the default theme: {error}");
        };
        let name = file.strip_prefix("templates/").unwrap();
        let text = default_templates().find(|(n, _)| *n == name).unwrap().1;
        let line = text.lines().nth(span.line - 1).unwrap();
        let variable = error.message.split('`').nth(1).unwrap_or_default();
        assert!(
            !variable.is_empty() && line[span.col - 1..].starts_with(variable),
            "{error} — line {line:?}"
        );
    }

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
