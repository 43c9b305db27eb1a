//! An Obsidian vault: a folder with `.obsidian/`, notes named by their
//! titles anywhere in it, YAML front matter (`tags`, `aliases`), `#tags`
//! in the text, `[[wikilinks]]` and `![[embeds]]` (which `links` rewrites)
//! and attachments beside the notes (published with `-` for spaces). `%%comments%%` become HTML comments.

use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag, TagEnd, TextMergeStream};

use super::Body;
use super::source::{SourcePage, SourceSite, StaticFile, files_under, is_markdown, read_text};
use crate::support::diagnostic::Diagnostic;
use crate::support::markdown;

pub(super) fn detect(root: &Path) -> bool {
    root.join(".obsidian").is_dir()
}

pub(super) fn read(root: &Path) -> Result<SourceSite, Diagnostic> {
    let mut site = SourceSite::default();
    site.settings.title = std::fs::canonicalize(root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    for path in files_under(root, "", &mut site.notes) {
        if path.ends_with(".canvas") {
            site.notes.push(
                Diagnostic::warning_in(&path, "an Obsidian canvas: not imported")
                    .with_hint("practica pages are markdown; copy what matters into a note"),
            );
            continue;
        }
        if !is_markdown(&path) {
            // A vault has no addresses to keep: its files get ones without spaces.
            site.files.push(StaticFile {
                url: path.replace(' ', "-"),
                path,
            });
            continue;
        }
        let Some(text) = read_text(root, &path, &mut site.notes) else {
            continue;
        };
        let mut page = SourcePage::read(path, &text, &mut site.notes);
        page.folder = page.dir().to_string();
        page.name_is_title = true;
        site.pages.push(page);
    }
    Ok(site)
}

/// `%%comments%%` become HTML comments and block ids (` ^id` at a line's
/// end) go; `#tags` in the text are collected.
pub(super) fn body(text: &str) -> Body {
    let mut out = String::with_capacity(text.len());
    let mut open = false;
    for (index, part) in text.split("%%").enumerate() {
        if index > 0 {
            out.push_str(if open { "-->" } else { "<!--" });
            open = !open;
        }
        out.push_str(part);
    }
    if open {
        // An unclosed `%%` was text after all.
        out = text.to_string();
    }
    let text: String = out
        .split_inclusive('\n')
        .map(|line| {
            let bare = line.trim_end_matches(['\n', '\r']);
            match bare.rsplit_once(" ^") {
                Some((before, id))
                    if !id.is_empty()
                        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
                {
                    format!("{before}{}", &line[bare.len()..])
                }
                _ => line.to_string(),
            }
        })
        .collect();
    Body {
        tags: inline_tags(&text),
        text,
        problems: Vec::new(),
    }
}

/// `#tag` and `#nested/tag` in text, not in code and not all digits.
fn inline_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut in_code = false;
    for event in TextMergeStream::new(Parser::new_ext(text, markdown::options())) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(words) if !in_code => {
                let mut previous = ' ';
                for (at, c) in words.char_indices() {
                    if c == '#' && (previous.is_whitespace() || previous == '(') {
                        let tag: String = words[at + 1..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/'))
                            .collect();
                        let tag = tag.trim_end_matches('/');
                        if tag.chars().any(|c| !c.is_ascii_digit()) && seen.insert(tag.to_string())
                        {
                            tags.push(tag.to_string());
                        }
                    }
                    previous = c;
                }
            }
            _ => {}
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_comments_and_block_ids() {
        let text = "Text #cold-chain and #food/safety, not #1 or `#code`.\n%%private%%\nA line ^abc123\n```\n#nottag\n```\n";
        let body = body(text);
        assert_eq!(body.tags, ["cold-chain", "food/safety"]);
        assert!(body.text.contains("<!--private-->"));
        assert!(body.text.contains("A line\n"));
        assert_eq!(body.text.lines().count(), text.lines().count());
    }
}
