//! Jekyll: `_config.yml`, posts in `_posts/` named `2019-03-04-title.md`,
//! drafts in `_drafts/`, collections in `_NAME/`, pages anywhere else,
//! every other file published as it is; `permalink` styles and patterns;
//! authors in `_data/authors.yml`. Liquid: `{% link %}`, `{% post_url %}`
//! and URL filters become links, `{% highlight %}` a fenced block,
//! `{% raw %}` its text; other tags are reported.

use std::path::Path;

use serde_json::{Map, Value};

use super::convert::date_text;
use super::links::{Target, encode_path};
use super::source::{
    SourcePage, SourceSite, StaticFile, dated_name, files_under, is_markdown, join, parent_of,
    read_text, scalar_text, setting, settings_file,
};
use super::{Body, BodyContext, Problem};
use crate::support::diagnostic::Diagnostic;

pub(super) fn detect(root: &Path) -> bool {
    root.join("_config.yml").is_file() || root.join("_config.yaml").is_file()
}

/// Repository files at the top of a site, which are not pages unless
/// they have front matter.
const REPOSITORY_FILES: &[&str] = &[
    "readme",
    "license",
    "licence",
    "changelog",
    "contributing",
    "code_of_conduct",
];

/// Never part of the site (Jekyll's own default `exclude`, and its output).
const EXCLUDED: &[&str] = &[
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor",
    "_site",
    "package.json",
    "package-lock.json",
    "CNAME",
];

pub(super) fn read(root: &Path) -> Result<SourceSite, Diagnostic> {
    let config = match settings_file(root, "_config.yml")? {
        Some(config) => config,
        None => settings_file(root, "_config.yaml")?.unwrap_or_default(),
    };
    let mut site = SourceSite::default();
    site.settings.title = setting(&config, &["title"]);
    site.settings.description = setting(&config, &["description"]);
    site.settings.language = setting(&config, &["lang", "locale"]);
    let url = setting(&config, &["url"]).filter(|u| u.contains("://"));
    let baseurl = setting(&config, &["baseurl"]).unwrap_or_default();
    site.settings.base_url =
        url.map(|u| format!("{}/{}", u.trim_end_matches('/'), baseurl.trim_matches('/')));
    site.author_names = author_names(root);
    let rules = Rules::of(&config);
    for path in files_under(root, "", &mut site.notes) {
        if let Some(role) = rules.role(&path) {
            read_file(root, path, &role, &rules, &mut site);
        }
    }
    Ok(site)
}

/// A markdown file is a page; any other is published as it is, unless
/// Jekyll renders it (it has front matter) or it is not a page's (`_x/`).
fn read_file(root: &Path, path: String, role: &Role, rules: &Rules, site: &mut SourceSite) {
    if !is_markdown(&path) {
        if has_front_matter(root, &path) {
            site.notes.push(
                Diagnostic::warning_in(&path, "Jekyll renders this file with Liquid: not imported")
                    .with_hint("practica's theme makes its own pages, feeds and styles"),
            );
        } else if *role == Role::Page {
            site.files.push(StaticFile {
                url: path.clone(),
                path,
            });
        }
        return;
    }
    let Some(text) = read_text(root, &path, &mut site.notes) else {
        return;
    };
    let name = super::source::stem_of(&path).to_lowercase();
    if *role == Role::Page && !text.starts_with("---") && REPOSITORY_FILES.contains(&name.as_str())
    {
        site.notes.push(Diagnostic::warning_in(
            &path,
            "a repository file without front matter, which Jekyll does not publish: not imported",
        ));
        return;
    }
    let mut page = SourcePage::read(path, &text, &mut site.notes);
    split_words(&mut page);
    describe(&mut page, role, rules);
    site.pages.push(page);
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    Post,
    Draft,
    Page,
    Collection(String),
}

/// What `_config.yml` says about addresses and folders.
struct Rules {
    permalink: String,
    collections: Vec<String>,
    collection_permalinks: Vec<(String, String)>,
    exclude: Vec<String>,
}

impl Rules {
    fn of(config: &Map<String, Value>) -> Rules {
        let permalink = match setting(config, &["permalink"]).as_deref() {
            None | Some("date") => "/:categories/:year/:month/:day/:title:output_ext".to_string(),
            Some("pretty") => "/:categories/:year/:month/:day/:title/".to_string(),
            Some("ordinal") => "/:categories/:year/:y_day/:title:output_ext".to_string(),
            Some("none") => "/:categories/:title:output_ext".to_string(),
            Some(pattern) => pattern.to_string(),
        };
        let (mut collections, mut collection_permalinks) = (Vec::new(), Vec::new());
        match config.get("collections") {
            Some(Value::Object(map)) => {
                for (name, settings) in map {
                    collections.push(name.clone());
                    if let Some(p) = settings.get("permalink").and_then(Value::as_str) {
                        collection_permalinks.push((name.clone(), p.to_string()));
                    }
                }
            }
            Some(Value::Array(names)) => {
                collections.extend(names.iter().filter_map(|n| n.as_str().map(str::to_string)))
            }
            _ => {}
        }
        let exclude = match config.get("exclude") {
            Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
            _ => Vec::new(),
        };
        Rules {
            permalink,
            collections,
            collection_permalinks,
            exclude,
        }
    }

    /// What a file is to the site, by its folder; `None` for Jekyll's own
    /// folders (`_layouts`, `_includes`…) and excluded files.
    fn role(&self, path: &str) -> Option<Role> {
        let top = path.split('/').next().unwrap_or_default();
        if EXCLUDED.contains(&top) || self.excluded(path) {
            return None;
        }
        match path.split('/').find(|s| s.starts_with('_')) {
            Some("_posts") => Some(Role::Post),
            Some("_drafts") => Some(Role::Draft),
            Some(name) if self.collections.iter().any(|c| c == &name[1..]) => {
                Some(Role::Collection(name[1..].to_string()))
            }
            Some(_) => None,
            None => Some(Role::Page),
        }
    }

    fn excluded(&self, path: &str) -> bool {
        self.exclude.iter().any(|e| {
            let e = e.trim_matches('/');
            path == e || path.starts_with(&format!("{e}/"))
        })
    }
}

fn has_front_matter(root: &Path, path: &str) -> bool {
    use std::io::Read;
    let mut start = [0u8; 4];
    std::fs::File::open(root.join(path))
        .and_then(|mut f| f.read_exact(&mut start))
        .is_ok_and(|()| &start[..3] == b"---" && matches!(start[3], b'\n' | b'\r'))
}

/// `_data/authors.yml`: author keys with their display names.
fn author_names(root: &Path) -> Vec<(String, String)> {
    [
        "_data/authors.yml",
        "_data/authors.yaml",
        "_data/authors.json",
    ]
    .iter()
    .find_map(|name| settings_file(root, name).ok().flatten())
    .map(|data| {
        data.iter()
            .filter_map(|(key, value)| {
                let name = value
                    .get("name")
                    .or_else(|| value.get("display_name"))
                    .and_then(scalar_text)?;
                Some((key.clone(), name))
            })
            .collect()
    })
    .unwrap_or_default()
}

/// Jekyll reads `tags: a b` and `categories: a b` as lists of words.
fn split_words(page: &mut SourcePage) {
    for entry in &mut page.front.entries {
        let key = entry.key.to_lowercase();
        if !matches!(key.as_str(), "tags" | "categories" | "tag" | "category") {
            continue;
        }
        if let Value::String(text) = &entry.value
            && !text.contains(',')
        {
            let words = text
                .split_whitespace()
                .map(|w| Value::String(w.into()))
                .collect();
            entry.value = Value::Array(words);
        }
    }
}

/// A page's folder, name, date and addresses, by its role.
fn describe(page: &mut SourcePage, role: &Role, rules: &Rules) {
    page.folder = page.dir().to_string();
    if let Some((date, rest)) = dated_name(&page.stem.clone()).filter(|_| *role == Role::Post) {
        page.name_date = Some(date);
        page.stem = rest.to_string();
    }
    page.draft_folder = *role == Role::Draft;
    let is_index = page.stem == "index";
    if is_index {
        page.section_page = true;
        page.stem = page
            .dir()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
    }
    let slug = page.front.string("slug");
    let mut urls = Vec::new();
    if let Some(permalink) = page.front.string("permalink") {
        urls.push(expand(&permalink, page, slug.as_deref(), None));
    }
    match role {
        Role::Post | Role::Draft => {
            urls.push(expand(&rules.permalink, page, slug.as_deref(), None));
        }
        Role::Collection(name) => {
            let pattern = rules
                .collection_permalinks
                .iter()
                .find(|(c, _)| c == name)
                .map_or("/:collection/:path:output_ext", |(_, p)| p.as_str());
            urls.push(expand(pattern, page, slug.as_deref(), Some(name)));
        }
        Role::Page => {
            let name = if is_index {
                String::new()
            } else {
                super::source::stem_of(&page.path)
            };
            urls.push(format!("/{}/", join(page.dir(), &name)));
        }
    }
    for alias in redirects(page) {
        urls.push(format!("/{}", alias.trim_start_matches('/')));
    }
    page.urls = urls;
}

fn redirects(page: &SourcePage) -> Vec<String> {
    match page.front.get("redirect_from").map(|e| &e.value) {
        Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
        Some(Value::String(one)) => vec![one.clone()],
        _ => Vec::new(),
    }
}

/// A permalink pattern with the page's values in it.
fn expand(
    pattern: &str,
    page: &SourcePage,
    slug: Option<&str>,
    collection: Option<&str>,
) -> String {
    let date = page
        .front
        .string("date")
        .and_then(|d| date_text(&d))
        .or_else(|| page.name_date.map(|d| d.to_string()))
        .unwrap_or_default();
    let part = |from: usize, to: usize| date.get(from..to).unwrap_or_default().to_string();
    let categories = categories(page).join("/");
    let inside = collection.map_or(String::new(), |c| {
        let path = page
            .path
            .strip_prefix(&format!("_{c}/"))
            .unwrap_or(&page.path);
        path.rsplit_once('.').map_or(path, |(p, _)| p).to_string()
    });
    let title = slug.map_or_else(|| page.stem.clone(), str::to_string);
    let values = [
        (":categories", categories),
        (":collection", collection.unwrap_or_default().to_string()),
        (":output_ext", ".html".to_string()),
        (":year", part(0, 4)),
        (":short_year", part(2, 4)),
        (":i_month", part(5, 7).trim_start_matches('0').to_string()),
        (":month", part(5, 7)),
        (":i_day", part(8, 10).trim_start_matches('0').to_string()),
        (":day", part(8, 10)),
        (":title", title.clone()),
        (":slug", title),
        (":name", page.stem.clone()),
        (":basename", page.stem.clone()),
        (":path", inside),
    ];
    let mut out = pattern.to_string();
    for (token, value) in values {
        out = out.replace(token, &value);
    }
    while out.contains("//") {
        out = out.replace("//", "/");
    }
    format!("/{}", out.trim_start_matches('/'))
}

/// A post's categories: its front matter's, after the folders above `_posts`.
fn categories(page: &SourcePage) -> Vec<String> {
    let mut found: Vec<String> = page
        .path
        .split("/_posts/")
        .next()
        .filter(|above| *above != page.path && !above.starts_with("_posts"))
        .map(|above| above.split('/').map(str::to_string).collect())
        .unwrap_or_default();
    for key in ["categories", "category"] {
        match page.front.get(key).map(|e| &e.value) {
            Some(Value::Array(items)) => found.extend(items.iter().filter_map(scalar_text)),
            Some(Value::String(text)) => found.extend(text.split_whitespace().map(str::to_string)),
            _ => {}
        }
    }
    found
        .into_iter()
        .map(|c| c.to_lowercase().replace(' ', "-"))
        .collect()
}

/// One Liquid tag (`{% … %}`) or output (`{{ … }}`) as written.
struct Liquid<'t> {
    range: std::ops::Range<usize>,
    inner: &'t str,
    output: bool,
}

fn next_liquid(text: &str, mut from: usize) -> Option<Liquid<'_>> {
    let (at, closer, output) = loop {
        let at = from + text[from..].find('{')?;
        match text.get(at..at + 2) {
            Some("{%") => break (at, "%}", false),
            Some("{{") => break (at, "}}", true),
            _ => from = at + 1,
        }
    };
    let end = at + 2 + text[at + 2..].find(closer)?;
    let inner = text[at + 2..end].trim_matches('-').trim();
    Some(Liquid {
        range: at..end + 2,
        inner,
        output,
    })
}

pub(super) fn body(text: &str, cx: &BodyContext) -> Body {
    let mut body = Body::default();
    let mut at = 0;
    let mut raw = false;
    while let Some(tag) = next_liquid(text, at) {
        body.text.push_str(&text[at..tag.range.start]);
        at = tag.range.end;
        let name = tag.inner.split_whitespace().next().unwrap_or_default();
        if raw {
            if !tag.output && name == "endraw" {
                raw = false;
            } else {
                body.text.push_str(&text[tag.range.clone()]);
            }
            continue;
        }
        let written = &text[tag.range.clone()];
        let with = match (tag.output, name) {
            (false, "raw") => {
                raw = true;
                String::new()
            }
            (false, _) => statement(&tag, written, cx, &mut body.problems),
            (true, _) => output(&tag, written, &mut body.problems),
        };
        let lines = written
            .matches('\n')
            .count()
            .saturating_sub(with.matches('\n').count());
        body.text.push_str(&with);
        body.text.push_str(&"\n".repeat(lines));
    }
    body.text.push_str(&text[at..]);
    super::locate(&mut body.problems, text);
    let liquid = std::mem::take(&mut body.text);
    let mut attributes = Vec::new();
    body.text = kramdown(&liquid, &mut attributes);
    super::locate(&mut attributes, &liquid);
    body.problems.extend(attributes);
    body
}

fn statement(tag: &Liquid, written: &str, cx: &BodyContext, problems: &mut Vec<Problem>) -> String {
    let mut words = tag.inner.split_whitespace();
    let name = words.next().unwrap_or_default();
    let argument = words.next().unwrap_or_default().trim_matches(['"', '\'']);
    match name {
        "link" => link(argument, cx),
        "post_url" => post_url(argument, cx),
        "highlight" => format!("```{argument}"),
        "endhighlight" => "```".into(),
        "comment" => "<!--".into(),
        "endcomment" => "-->".into(),
        _ => {
            problems.push(
                Problem::at(
                    tag.range.start,
                    format!("Liquid tag `{{% {name} %}}` has no practica equivalent"),
                    "rewrite what it shows as markdown, or remove it".into(),
                )
                .kept(),
            );
            written.to_string()
        }
    }
}

/// `{{ site.baseurl }}` and URL filters on a quoted path become that path;
/// any other output is reported.
fn output(tag: &Liquid, written: &str, problems: &mut Vec<Problem>) -> String {
    let mut parts = tag.inner.split('|').map(str::trim);
    let value = parts.next().unwrap_or_default();
    let url_filters = parts.all(|filter| {
        let (name, argument) = filter
            .split_once(':')
            .map_or((filter, ""), |(n, a)| (n.trim(), a.trim()));
        matches!(name, "relative_url" | "absolute_url")
            || (name == "prepend" && matches!(argument, "site.baseurl" | "site.url"))
    });
    if matches!(value, "site.baseurl" | "site.url") {
        return String::new();
    }
    let quoted = value.len() >= 2
        && (value.starts_with('"') && value.ends_with('"')
            || value.starts_with('\'') && value.ends_with('\''));
    if quoted && url_filters {
        return value[1..value.len() - 1].to_string();
    }
    problems.push(
        Problem::at(
            tag.range.start,
            format!(
                "Liquid output `{{{{ {} }}}}` has no practica equivalent",
                tag.inner
            ),
            "write out what it showed, or remove it".into(),
        )
        .kept(),
    );
    written.to_string()
}

/// `{% link PATH %}`: a file by its path from the site's root.
fn link(path: &str, cx: &BodyContext) -> String {
    match cx.resolver.find_path(path.trim_start_matches('/')) {
        Some(target) => cx.resolver.source_link(cx.page, target, None),
        None => encode_path(path),
    }
}

/// `{% post_url 2019-03-04-title %}` (or `subfolder/2019-03-04-title`): a post by its file name.
fn post_url(name: &str, cx: &BodyContext) -> String {
    let (folder, file) = name
        .trim_start_matches('/')
        .rsplit_once('/')
        .unwrap_or(("", name));
    let found = cx.resolver.find_name(file).iter().copied().find(|target| {
        let path = cx.resolver.source_path(*target);
        matches!(target, Target::Page(_))
            && path.contains("_posts/")
            && parent_of(path).ends_with(&join("_posts", folder))
    });
    match found {
        Some(target) => cx.resolver.source_link(cx.page, target, None),
        None => encode_path(name),
    }
}

/// kramdown's `{:toc}` after a list item is the page's table of contents,
/// which practica makes itself; other `{: …}` attribute lines are reported.
fn kramdown(text: &str, problems: &mut Vec<Problem>) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::with_capacity(text.len());
    let mut offset = 0;
    for (index, line) in lines.iter().enumerate() {
        let bare = line.trim();
        let next_is_toc = lines
            .get(index + 1)
            .is_some_and(|n| n.trim().starts_with("{:toc") || n.trim().starts_with("{: toc"));
        let is_toc_item =
            next_is_toc && matches!(bare.split_whitespace().next(), Some("*" | "-" | "1."));
        if bare.starts_with("{:toc") || bare.starts_with("{: toc") || is_toc_item {
            out.push_str(if line.ends_with('\n') { "\n" } else { "" });
        } else {
            if bare.starts_with("{:") && bare.ends_with('}') {
                problems.push(
                    Problem::at(
                        offset + (line.len() - line.trim_start().len()),
                        format!("kramdown attributes `{bare}` have no practica equivalent"),
                        "remove the line; practica styles pages with its theme".into(),
                    )
                    .kept(),
                );
            }
            out.push_str(line);
        }
        offset += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_addresses_follow_the_permalink_style() {
        let mut notes = Vec::new();
        let mut page = SourcePage::read(
            "_posts/2019-03-04-first-pickup.md".into(),
            "---\ntitle: First pickup\ncategories: news updates\n---\nText\n",
            &mut notes,
        );
        split_words(&mut page);
        let rules = Rules::of(&Map::new());
        describe(&mut page, &Role::Post, &rules);
        assert_eq!(page.stem, "first-pickup");
        assert_eq!(page.urls, ["/news/updates/2019/03/04/first-pickup.html"]);
    }

    #[test]
    fn toc_markers_go_and_other_attributes_are_reported() {
        let mut problems = Vec::new();
        let text = "* TOC\n{:toc}\n\nText\n{: .note}\n";
        assert_eq!(kramdown(text, &mut problems), "\n\n\nText\n{: .note}\n");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].at, 19);
    }
}
