//! `practica cms`: a Decap CMS web editor over the community's own files,
//! for contributors who never touch git. It writes `static/admin/` (a
//! static folder, published as is): `index.html`, which loads Decap, and
//! `config.yml`, whose collections are made from practica's tables
//! (`collections`) under a marker line, and whose settings above the line
//! are the community's, kept as written. `check` warns when the file is
//! out of step with the community.

mod check;
mod collections;

use std::path::{Path, PathBuf};

pub(crate) use check::check;

use crate::stages::config::{self, Config};
use crate::support::diagnostic::Diagnostic;
use crate::support::yaml;

/// The editor's settings; under `static/`, so `build` and `serve` publish
/// the editor as `/admin/` like any other static file. Decap reads
/// `config.yml` beside `index.html`.
pub(crate) const CONFIG_PATH: &str = "static/admin/config.yml";
const INDEX_PATH: &str = "static/admin/index.html";

/// The Decap CMS release `index.html` loads, the one the browser tests
/// run (`tests/browser/package-lock.json`).
pub const DECAP_VERSION: &str = "3.16.3";

pub(crate) const UPDATE_HINT: &str = "run `practica cms` to update static/admin/config.yml";

/// The line between the community's settings and the collections
/// practica makes; its start is how a later run finds it.
const MARKER: &str = "# Made by `practica cms` from community.yaml and practica's front matter keys: run it again rather than edit below this line.";
const MARKER_START: &str = "# Made by `practica cms`";

/// What `practica cms` is asked to do.
#[derive(Debug, Clone)]
pub struct CmsOptions {
    pub root: PathBuf,
    /// Where `index.html` loads Decap from, instead of unpkg's copy of
    /// `DECAP_VERSION` (a self-hosted bundle).
    pub script: Option<String>,
}

/// What became of each file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Created,
    Updated,
    Unchanged,
}

/// Unpkg's copy of Decap's bundle, pinned: a new release is taken when
/// practica's tests have run it.
pub fn default_script() -> String {
    format!("{UNPKG_DECAP}{DECAP_VERSION}/dist/decap-cms.js")
}

/// Writes (or brings up to date) `static/admin/`; returns each file with
/// what became of it, or the problems that stopped it.
pub fn write(options: &CmsOptions) -> Result<Vec<(PathBuf, Change)>, Vec<Diagnostic>> {
    let (config, mut problems) = config::load(&options.root);
    problems.retain(Diagnostic::is_error);
    let Some(config) = config.filter(|_| problems.is_empty()) else {
        return Err(problems);
    };
    let root = &options.root;
    let script = options
        .script
        .clone()
        .or_else(|| chosen_script(root))
        .unwrap_or_else(default_script);
    let files = [
        (PathBuf::from(CONFIG_PATH), config_text(root, &config)?),
        (PathBuf::from(INDEX_PATH), index_html(&config, &script)),
    ];
    files
        .into_iter()
        .map(|(path, text)| {
            let change = write_file(root, &path, &text).map_err(|d| vec![d])?;
            Ok((path, change))
        })
        .collect()
}

/// `config.yml`: the community's settings (or a start), the marker, and
/// the collections made now; refused when the whole is not YAML.
fn config_text(root: &Path, config: &Config) -> Result<String, Vec<Diagnostic>> {
    let settings = match read_existing(root)? {
        Some(text) => community_part(&text)?,
        None => starter_settings(config),
    };
    let generated = yaml::to_text(&collections::collections(config)).map_err(|e| {
        vec![Diagnostic::run_error(format!(
            "cannot write the collections: {e}"
        ))]
    })?;
    let text = format!("{}\n\n{MARKER}\n{generated}", settings.trim_end());
    match yaml::parse_mapping(&text) {
        Ok(_) => Ok(text),
        Err(error) => Err(vec![
            Diagnostic::error(Path::new(CONFIG_PATH), error.span, format!("the editor's settings are not valid YAML: {}", error.message))
                .with_hint("fix the settings above the `Made by practica cms` line (a key there may repeat `collections`), then run `practica cms` again")
                .settings(),
        ]),
    }
}

fn read_existing(root: &Path) -> Result<Option<String>, Vec<Diagnostic>> {
    match std::fs::read(root.join(CONFIG_PATH)) {
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| {
            vec![
                Diagnostic::error_in(
                    Path::new(CONFIG_PATH),
                    "the editor's settings are not UTF-8 text",
                )
                .with_hint("save the file as UTF-8 in your editor")
                .settings(),
            ]
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(vec![cannot(root, "read", Path::new(CONFIG_PATH), &e)]),
    }
}

/// The community's part of an existing `config.yml`: what is above the
/// marker; the whole file when it has none and no collections (settings
/// written by hand, to which practica adds its collections).
fn community_part(text: &str) -> Result<String, Vec<Diagnostic>> {
    let mut kept = String::new();
    for line in text.split_inclusive('\n') {
        if line.starts_with(MARKER_START) {
            return Ok(kept);
        }
        kept.push_str(line);
    }
    let written = yaml::parse_mapping(text).map_err(|error| {
        vec![
            Diagnostic::error(
                Path::new(CONFIG_PATH),
                error.span,
                format!(
                    "the editor's settings are not valid YAML: {}",
                    error.message
                ),
            )
            .with_hint("fix the YAML near this spot, then run `practica cms` again")
            .settings(),
        ]
    })?;
    if written.entries.contains_key("collections") {
        return Err(vec![
            Diagnostic::error(
                Path::new(CONFIG_PATH),
                written.key_span("collections"),
                "the editor's settings have collections practica did not write",
            )
            .with_hint("remove `collections:` and what is under it (practica makes one per kind from your community), then run `practica cms` again")
            .settings(),
        ]);
    }
    Ok(kept)
}

/// The settings a first run writes, for the community to change.
fn starter_settings(config: &Config) -> String {
    let (repo, branch) =
        github_repo(config).unwrap_or(("your-org/your-community".into(), "main".into()));
    let site = config.base_url.as_deref();
    let public = format!(
        "{}/images/uploads",
        site.map_or("", |url| url_path(url).trim_end_matches('/'))
    );
    let site_lines = match site {
        Some(url) => format!("site_url: {url}/\ndisplay_url: {url}/\n"),
        None => "# site_url: https://example.org/\n# display_url: https://example.org/\n".into(),
    };
    format!(
        "# The web editor of {title} (Decap CMS: https://decapcms.org/docs/configuration-options/).\n\
         # Everything above the `Made by practica cms` line is yours: `practica cms`\n\
         # keeps it as written and makes only the collections below it again.\n\
         \n\
         # Where saved entries are committed. Set your repository and branch; see\n\
         # https://decapcms.org/docs/github-backend/ for the login it needs.\n\
         backend:\n  name: github\n  repo: {repo}\n  branch: {branch}\n\
         # On your own computer, run `npx decap-server` in the community folder:\n\
         # the editor then saves into the files here, without any account.\n\
         local_backend: true\n\
         # Uploaded images: the folder they are kept in, and their address on the site.\n\
         media_folder: static/images/uploads\n\
         public_folder: {public}\n\
         # New file names: ASCII letters, digits and dashes, as page addresses.\n\
         slug:\n  encoding: ascii\n  clean_accents: true\n  sanitize_replacement: \"-\"\n\
         {site_lines}\
         # logo_url: https://example.org/logo.svg\n",
        title = config.title.replace('\n', " "),
    )
}

/// The repository and branch of an `edit_url` on GitHub.
fn github_repo(config: &Config) -> Option<(String, String)> {
    let rest = config
        .edit_url
        .as_deref()?
        .strip_prefix("https://github.com/")?;
    let mut parts = rest.split('/');
    let (org, repo, _edit, branch) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    (plain(org) && plain(repo) && plain(branch))
        .then(|| (format!("{org}/{repo}"), branch.to_string()))
}

/// `/toolkit` of `https://example.org/toolkit`.
fn url_path(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme.find('/').map_or("", |at| &after_scheme[at..])
}

/// The bundle an earlier `--script` chose, kept by a run without one;
/// unpkg's copy of Decap is practica's choice, and moves to the release
/// this version is tested with.
fn chosen_script(root: &Path) -> Option<String> {
    let page = std::fs::read_to_string(root.join(INDEX_PATH)).ok()?;
    let (_, after) = page.split_once("<script src=\"")?;
    let (src, _) = after.split_once('"')?;
    let src = src
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    (!src.starts_with(UNPKG_DECAP)).then_some(src)
}

const UNPKG_DECAP: &str = "https://unpkg.com/decap-cms@";

fn index_html(config: &Config, script: &str) -> String {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    format!(
        r#"<!doctype html>
<!-- Made by `practica cms`: run it again rather than edit this file; settings are in config.yml. -->
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  {no_reload}
  <title>Edit {title}</title>
</head>
<body>
  <script src="{script}"></script>
  <script>
    // The preview shows an entry with the site's own stylesheet.
    CMS.registerPreviewStyle("../assets/style.css");
  </script>
</body>
</html>
"#,
        lang = escape(&config.language),
        title = escape(&config.title),
        script = escape(script),
        // Saving writes a file `serve` watches: reloading would interrupt the editor.
        no_reload = crate::serve::http::NO_RELOAD,
    )
}

fn write_file(root: &Path, path: &Path, text: &str) -> Result<Change, Diagnostic> {
    let full = root.join(path);
    let change = match std::fs::read(&full) {
        Ok(old) if old == text.as_bytes() => return Ok(Change::Unchanged),
        Ok(_) => Change::Updated,
        Err(_) => Change::Created,
    };
    if let Some(dir) = full.parent() {
        std::fs::create_dir_all(dir).map_err(|e| cannot(root, "write", path, &e))?;
    }
    std::fs::write(&full, text).map_err(|e| cannot(root, "write", path, &e))?;
    Ok(change)
}

fn cannot(root: &Path, verb: &str, path: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::run_error(format!(
        "cannot {verb} {}: {error}",
        root.join(path).display()
    ))
    .with_hint("run practica where you can write to the community folder")
    .settings()
}
