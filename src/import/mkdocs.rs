//! MkDocs: `mkdocs.yml` (`site_name`, `site_url`, `docs_dir`, `nav`),
//! pages under `docs/` linked by relative `.md` paths, often without front
//! matter (the title is the first heading, else the `nav` entry), images
//! beside them. Admonitions (`!!! note`) become quotes; tabs and snippets
//! are reported.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::source::{
    SourcePage, SourceSite, StaticFile, files_under, is_markdown, join, parent_of, read_text,
    setting, settings_file, stem_of,
};
use super::{Body, Problem};
use crate::support::diagnostic::Diagnostic;

pub(super) fn detect(root: &Path) -> bool {
    root.join("mkdocs.yml").is_file() || root.join("mkdocs.yaml").is_file()
}

pub(super) fn read(root: &Path) -> Result<SourceSite, Diagnostic> {
    let config = match settings_file(root, "mkdocs.yml")? {
        Some(config) => config,
        None => settings_file(root, "mkdocs.yaml")?.unwrap_or_default(),
    };
    let docs = setting(&config, &["docs_dir"]).unwrap_or_else(|| "docs".into());
    let docs = docs.trim_matches('/').to_string();
    let directory_urls = config
        .get("use_directory_urls")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let mut site = SourceSite {
        content_dir: docs.clone(),
        ..SourceSite::default()
    };
    site.settings.title = setting(&config, &["site_name"]);
    site.settings.description = setting(&config, &["site_description"]);
    site.settings.language = setting(&config, &["theme.language"]);
    site.settings.base_url = setting(&config, &["site_url"]).filter(|u| u.contains("://"));
    let mut titles = HashMap::new();
    if let Some(nav) = config.get("nav") {
        nav_titles(nav, &mut titles);
    }
    for path in files_under(root, &docs, &mut site.notes) {
        let within = path
            .strip_prefix(&format!("{docs}/"))
            .unwrap_or(&path)
            .to_string();
        if !is_markdown(&path) {
            site.files.push(StaticFile { path, url: within });
            continue;
        }
        let Some(text) = read_text(root, &path, &mut site.notes) else {
            continue;
        };
        let mut page = SourcePage::read(path, &text, &mut site.notes);
        page.nav_title = titles.get(&within).cloned();
        describe(&mut page, &within, directory_urls);
        site.pages.push(page);
    }
    Ok(site)
}

/// `nav:` entries: `- Title: path.md` and nested `- Section: [...]`.
fn nav_titles(nav: &Value, titles: &mut HashMap<String, String>) {
    match nav {
        Value::Array(items) => items.iter().for_each(|i| nav_titles(i, titles)),
        Value::Object(map) => {
            for (title, value) in map {
                match value {
                    Value::String(path) => {
                        titles.insert(path.trim_start_matches("./").to_string(), title.clone());
                    }
                    other => nav_titles(other, titles),
                }
            }
        }
        _ => {}
    }
}

fn describe(page: &mut SourcePage, within: &str, directory_urls: bool) {
    let dir = parent_of(within).to_string();
    let stem = stem_of(within);
    let index = matches!(stem.to_lowercase().as_str(), "index" | "readme");
    let name = if index { String::new() } else { stem.clone() };
    page.urls = if directory_urls {
        vec![format!("/{}/", join(&dir, &name))]
    } else if index {
        vec![format!("/{}", join(&dir, "index.html"))]
    } else {
        vec![format!("/{}.html", join(&dir, &name))]
    };
    page.folder = dir.clone();
    page.section_page = index;
    page.stem = if index {
        dir.rsplit('/').next().unwrap_or_default().to_string()
    } else {
        stem
    };
}

/// Admonitions become quotes with their title in bold, content tabs a
/// bold title over their text; attribute lists (`{ .md-button }`) go;
/// snippets are reported. Lines stay where they were.
pub(super) fn body(text: &str) -> Body {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut body = Body::default();
    let mut offset = 0;
    // The indentation of the block being unindented, and whether it is quoted.
    let mut block: Option<(usize, bool)> = None;
    for (index, line) in lines.iter().enumerate() {
        let bare = line.trim_end_matches(['\n', '\r']);
        let end = &line[bare.len()..];
        let indent = bare.len() - bare.trim_start().len();
        if let Some(inside) = block.and_then(|b| in_block(b, &lines[index..])) {
            body.text.push_str(&inside);
            offset += line.len();
            continue;
        }
        block = None;
        let trimmed = bare.trim_start();
        if let Some(title) = admonition(trimmed) {
            body.text
                .push_str(&format!("{}> **{title}**{end}", &bare[..indent]));
            block = Some((indent, true));
        } else if let Some(title) = content_tab(trimmed) {
            body.text
                .push_str(&format!("{}**{title}**{end}", &bare[..indent]));
            block = Some((indent, false));
        } else if trimmed.starts_with("--8<--") {
            body.problems.push(
                Problem::at(
                    offset + indent,
                    format!("MkDocs snippet include `{trimmed}` has no practica equivalent"),
                    "copy the included text in, or link to it".into(),
                )
                .kept(),
            );
            body.text.push_str(line);
        } else if trimmed == "[TOC]" {
            body.text.push_str(end);
        } else {
            body.text
                .push_str(&without_attribute_lists(line, offset, &mut body.problems));
        }
        offset += line.len();
    }
    body
}

/// The first of `lines` as a line of the block `(depth, quoted)` started
/// above it, without the block's indentation; `None` once the block ends.
fn in_block((depth, quoted): (usize, bool), lines: &[&str]) -> Option<String> {
    let line = lines.first()?;
    let bare = line.trim_end_matches(['\n', '\r']);
    let indent = bare.len() - bare.trim_start().len();
    let blank = bare.trim().is_empty();
    let inside = match blank {
        true => continues(&lines[1..], depth),
        false => indent > depth,
    };
    if !inside {
        return None;
    }
    // Up to four spaces past the block's own indentation go.
    let inner = &bare[indent.min(depth + 4)..];
    let mark = if quoted { "> " } else { "" };
    Some(format!(
        "{}{mark}{inner}{}",
        " ".repeat(depth),
        &line[bare.len()..]
    ))
}

/// Whether the lines after a blank one go on with a block indented past `depth`.
fn continues(rest: &[&str], depth: usize) -> bool {
    rest.iter()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.len() - l.trim_start().len() > depth)
}

/// A content tab's title (`=== "Paper"`), if the line starts one.
fn content_tab(line: &str) -> Option<&str> {
    let rest = line
        .strip_prefix("===+")
        .or_else(|| line.strip_prefix("==="))?
        .trim();
    rest.strip_prefix('"')?.strip_suffix('"')
}

/// A line without the attribute lists after its links and images
/// (`[Next](x.md){ .md-button }`), each reported as left out.
fn without_attribute_lists(line: &str, offset: usize, problems: &mut Vec<Problem>) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut at = 0;
    while let Some(found) = rest.find("){") {
        let open = found + 1;
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let list = &rest[open..=open + close];
        let inner = list.trim_start_matches('{').trim_start_matches(':').trim();
        if !inner.starts_with(['.', '#']) && !inner.contains('=') {
            out.push_str(&rest[..open + 1]);
            at += open + 1;
            rest = &rest[open + 1..];
            continue;
        }
        out.push_str(&rest[..open]);
        problems.push(Problem::at(
            offset + at + open,
            format!("the attribute list `{list}` has no practica equivalent"),
            "it was left out; practica styles pages with its theme".into(),
        ));
        at += open + close + 1;
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The title of an admonition line (`!!! note "Title"`, `??? tip`), if it is one.
fn admonition(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("!!!")
        .or_else(|| line.strip_prefix("???+"))
        .or_else(|| line.strip_prefix("???"))?
        .trim();
    let kind = rest.split_whitespace().next()?;
    let title = rest[kind.len()..].trim().trim_matches('"');
    Some(if title.is_empty() {
        capitalised(kind)
    } else {
        title.to_string()
    })
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admonitions_become_quotes_line_for_line() {
        let text =
            "Before\n\n!!! warning \"Keep it cold\"\n    Below 5 °C.\n\n    Always.\n\nAfter\n";
        let body = body(text);
        assert_eq!(
            body.text,
            "Before\n\n> **Keep it cold**\n> Below 5 °C.\n> \n> Always.\n\nAfter\n"
        );
        assert_eq!(body.text.lines().count(), text.lines().count());
    }

    #[test]
    fn tabs_are_unindented_and_attribute_lists_dropped() {
        let text =
            "=== \"Paper\"\n\n    On the door.\n\n[Next](b.md){ .md-button } and [c](d.md){x}\n";
        let body = body(text);
        assert_eq!(
            body.text,
            "**Paper**\n\nOn the door.\n\n[Next](b.md) and [c](d.md){x}\n"
        );
        assert_eq!(body.problems.len(), 1);
        assert_eq!(body.problems[0].at, text.find("{ .md").unwrap());
    }

    #[test]
    fn nav_gives_titles_by_path() {
        let nav =
            serde_json::json!([{"Home": "index.md"}, {"Guides": [{"Setup": "guides/setup.md"}]}]);
        let mut titles = HashMap::new();
        nav_titles(&nav, &mut titles);
        assert_eq!(
            titles.get("guides/setup.md").map(String::as_str),
            Some("Setup")
        );
    }
}
