//! Zola: `config.toml` with `base_url`, pages under `content/` with TOML
//! front matter (`[taxonomies]`, `[extra]`), `_index.md` for sections,
//! `index.md` for a page with its files beside it, dates in file names,
//! `@/` links (which `links` reads) and `static/`. Shortcodes are reported.

use std::path::Path;

use serde_json::Value;

use super::source::{
    SourcePage, SourceSite, StaticFile, dated_name, files_under, is_markdown, join, parent_of,
    read_text, setting, settings_file,
};
use super::{Body, Problem};
use crate::support::diagnostic::Diagnostic;

const CONFIGS: &[&str] = &["config.toml", "zola.toml"];

pub(super) fn detect(root: &Path) -> bool {
    root.join("content").is_dir()
        && CONFIGS.iter().any(|name| {
            std::fs::read_to_string(root.join(name)).is_ok_and(|text| {
                text.lines()
                    .any(|l| l.trim_start().starts_with("base_url") && l.contains('='))
            })
        })
}

pub(super) fn read(root: &Path) -> Result<SourceSite, Diagnostic> {
    let mut config = serde_json::Map::new();
    for name in CONFIGS {
        if let Some(found) = settings_file(root, name)? {
            config = found;
            break;
        }
    }
    let mut site = SourceSite {
        content_dir: "content".into(),
        ..SourceSite::default()
    };
    site.settings.title = setting(&config, &["title"]);
    site.settings.description = setting(&config, &["description"]);
    site.settings.language = setting(&config, &["default_language"]);
    site.settings.base_url = setting(&config, &["base_url"]).filter(|u| u.contains("://"));
    for path in files_under(root, "content", &mut site.notes) {
        if !is_markdown(&path) {
            let url = path.strip_prefix("content/").unwrap_or(&path).to_string();
            site.files.push(StaticFile { path, url });
            continue;
        }
        let Some(text) = read_text(root, &path, &mut site.notes) else {
            continue;
        };
        let mut page = SourcePage::read(path, &text, &mut site.notes);
        page.front.flatten("taxonomies");
        page.front.flatten("extra");
        describe(&mut page);
        site.pages.push(page);
    }
    for path in files_under(root, "static", &mut site.notes) {
        let url = path.strip_prefix("static/").unwrap_or(&path).to_string();
        site.files.push(StaticFile { path, url });
    }
    Ok(site)
}

/// A page's folder, name, date and addresses.
fn describe(page: &mut SourcePage) {
    let within = page
        .path
        .strip_prefix("content/")
        .unwrap_or(&page.path)
        .to_string();
    let dir = parent_of(&within).to_string();
    let file = within.rsplit('/').next().unwrap_or_default();
    if file == "_index.md" {
        page.section_page = true;
        page.stem = dir.rsplit('/').next().unwrap_or_default().to_string();
        page.urls = vec![format!("/{dir}/")];
        page.folder = dir;
        return;
    }
    if file == "index.md" {
        page.stem = dir.rsplit('/').next().unwrap_or_default().to_string();
        page.folder = parent_of(&dir).to_string();
    } else {
        page.folder = dir;
    }
    if let Some((date, rest)) = dated_name(&page.stem.clone()) {
        page.name_date = Some(date);
        page.stem = rest.to_string();
    }
    let slug = page
        .front
        .string("slug")
        .unwrap_or_else(|| slug::slugify(&page.stem));
    let mut urls = Vec::new();
    if let Some(path) = page.front.string("path") {
        urls.push(format!("/{}", path.trim_start_matches('/')));
    }
    urls.push(format!("/{}/", join(&page.folder, &slug)));
    if let Some(Value::Array(aliases)) = page.front.get("aliases").map(|e| &e.value) {
        urls.extend(
            aliases
                .iter()
                .filter_map(Value::as_str)
                .map(|a| format!("/{}", a.trim_start_matches('/'))),
        );
    }
    page.urls = urls;
}

/// Shortcodes (`{{ name(…) }}`, `{% name(…) %}…{% end %}`) are reported
/// and kept; `{{/* … */}}`, Zola's way to show one as text, becomes that text.
pub(super) fn body(text: &str) -> Body {
    let mut body = Body::default();
    let mut at = 0;
    while let Some((range, escaped)) = next_shortcode(text, at) {
        body.text.push_str(&text[at..range.start]);
        let written = &text[range.clone()];
        if escaped {
            body.text
                .push_str(&written.replacen("/*", "", 1).replacen("*/", "", 1));
        } else {
            let name: String = written[2..]
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if name != "end" {
                body.problems.push(
                    Problem::at(
                        range.start,
                        format!("Zola shortcode `{name}` has no practica equivalent"),
                        "rewrite it as markdown (a link, an image, a quote) or remove it".into(),
                    )
                    .kept(),
                );
            }
            body.text.push_str(written);
        }
        at = range.end;
    }
    body.text.push_str(&text[at..]);
    body
}

/// The next `{{ name(…) }}`, `{% name(…) %}` or `{% end %}`, and whether it is escaped.
fn next_shortcode(text: &str, mut from: usize) -> Option<(std::ops::Range<usize>, bool)> {
    // A closer missing after one opener is missing after every later one.
    let mut unclosed = [false, false];
    loop {
        let at = from + text[from..].find('{')?;
        let (kind, closer) = match text.get(at..at + 2) {
            Some("{{") => (0, "}}"),
            Some("{%") => (1, "%}"),
            _ => {
                from = at + 1;
                continue;
            }
        };
        let inner_start = at + 2;
        from = inner_start;
        let found = (!unclosed[kind])
            .then(|| text[inner_start..].find(closer))
            .flatten();
        let Some(end) = found else {
            unclosed[kind] = true;
            continue;
        };
        let inner = text[inner_start..inner_start + end].trim();
        let range = at..inner_start + end + 2;
        if inner.starts_with("/*") && inner.ends_with("*/") {
            return Some((range, true));
        }
        let name: String = inner
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let call = !name.is_empty() && inner[name.len()..].trim_start().starts_with('(');
        if call || (closer == "%}" && inner == "end") {
            return Some((range, false));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_are_reported_and_escapes_shown() {
        let text = "A {{ youtube(id=\"x\") }}\n{% note(kind=\"tip\") %}\nHi\n{% end %}\n`{{/* youtube() */}}` and {{ not a call }}\n";
        let body = body(text);
        assert_eq!(body.problems.len(), 2);
        assert!(body.text.contains("`{{ youtube() }}`"));
        assert!(body.text.contains("{{ not a call }}"));
    }

    #[test]
    fn dated_pages_and_bundles() {
        let mut notes = Vec::new();
        let mut page = SourcePage::read(
            "content/blog/2019-03-04_first-run/index.md".into(),
            "+++\ntitle = \"First run\"\n+++\n",
            &mut notes,
        );
        describe(&mut page);
        assert_eq!(page.folder, "blog");
        assert_eq!(page.stem, "first-run");
        assert_eq!(page.urls, ["/blog/first-run/"]);
        assert_eq!(page.name_date, Some(jiff::civil::date(2019, 3, 4)));
    }
}
