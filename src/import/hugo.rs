//! Hugo: `hugo.toml` (or `config.*`), pages under `content/` with YAML or
//! TOML front matter, `_index.md` for sections, `index.md` for page
//! bundles (their files beside them), `static/`, `[permalinks]`, and
//! shortcodes: `ref`/`relref` become links, `figure` an image; others are
//! reported.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::convert::date_text;
use super::links::{Target, encode_path, normalize};
use super::source::{
    SourcePage, SourceSite, StaticFile, files_under, is_markdown, join, parent_of, read_text,
    setting, settings_file, stem_of,
};
use super::{Body, BodyContext, Problem};
use crate::support::diagnostic::Diagnostic;

const CONFIGS: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
    "config/_default/hugo.toml",
    "config/_default/config.toml",
    "config/_default/hugo.yaml",
    "config/_default/config.yaml",
];

pub(super) fn detect(root: &Path) -> bool {
    CONFIGS.iter().any(|c| root.join(c).is_file()) && root.join("content").is_dir()
}

pub(super) fn read(root: &Path) -> Result<SourceSite, Diagnostic> {
    let mut config = Map::new();
    for name in CONFIGS {
        if let Some(found) = settings_file(root, name)? {
            config = lowercase_keys(found);
            break;
        }
    }
    let mut site = SourceSite {
        content_dir: setting(&config, &["contentdir"]).unwrap_or_else(|| "content".into()),
        ..SourceSite::default()
    };
    site.settings.title = setting(&config, &["title"]);
    site.settings.description = setting(&config, &["params.description", "description"]);
    site.settings.language = setting(&config, &["languagecode", "defaultcontentlanguage"]);
    site.settings.base_url = setting(&config, &["baseurl"]).filter(|u| u.contains("://"));
    let permalinks = permalinks(&config);
    let content_dir = site.content_dir.clone();
    let files = files_under(root, &content_dir, &mut site.notes);
    let bundles: Vec<String> = files
        .iter()
        .filter(|f| is_bundle_index(f))
        .map(|f| parent_of(f).to_string())
        .collect();
    let mut loose = Vec::new();
    for path in files {
        if !is_markdown(&path) {
            loose.push(path);
            continue;
        }
        let Some(text) = read_text(root, &path, &mut site.notes) else {
            continue;
        };
        let mut page = SourcePage::read(path, &text, &mut site.notes);
        place(&mut page, &content_dir);
        page.urls = urls(&page, &permalinks);
        site.pages.push(page);
    }
    let bundle_urls: HashMap<&str, &str> = site
        .pages
        .iter()
        .filter(|p| bundles.iter().any(|b| b == p.dir()) && !p.section_page)
        .filter_map(|p| Some((p.dir(), p.urls.first()?.as_str())))
        .collect();
    for path in loose {
        let url = bundle_file_url(&path, &bundle_urls).unwrap_or_else(|| {
            path.strip_prefix(&format!("{content_dir}/"))
                .unwrap_or(&path)
                .to_string()
        });
        site.files.push(StaticFile { path, url });
    }
    for dir in static_dirs(&config) {
        for path in files_under(root, &dir, &mut site.notes) {
            let url = path
                .strip_prefix(&format!("{dir}/"))
                .unwrap_or(&path)
                .to_string();
            site.files.push(StaticFile { path, url });
        }
    }
    Ok(site)
}

/// Hugo's settings are not case-sensitive: `baseURL` is `baseurl`.
fn lowercase_keys(map: Map<String, Value>) -> Map<String, Value> {
    map.into_iter()
        .map(|(k, v)| {
            let v = match v {
                Value::Object(inner) => Value::Object(lowercase_keys(inner)),
                other => other,
            };
            (k.to_lowercase(), v)
        })
        .collect()
}

fn is_bundle_index(path: &str) -> bool {
    matches!(path.rsplit('/').next(), Some("index.md" | "index.markdown"))
}

/// A page's folder and name: `_index.md` is its section's page, a
/// bundle's `index.md` is named after the bundle's folder.
fn place(page: &mut SourcePage, content_dir: &str) {
    let within = page
        .path
        .strip_prefix(content_dir)
        .unwrap_or(&page.path)
        .trim_start_matches('/')
        .to_string();
    let dir = parent_of(&within).to_string();
    let name = within.rsplit('/').next().unwrap_or_default();
    if name.starts_with("_index.") {
        page.section_page = true;
        page.stem = dir.rsplit('/').next().unwrap_or_default().to_string();
        page.folder = dir;
    } else if is_bundle_index(&within) {
        page.stem = dir.rsplit('/').next().unwrap_or_default().to_string();
        page.folder = parent_of(&dir).to_string();
    } else {
        page.folder = dir;
    }
}

/// `[permalinks]`: section → pattern (also under `[permalinks.page]`).
fn permalinks(config: &Map<String, Value>) -> HashMap<String, String> {
    let Some(Value::Object(table)) = config.get("permalinks") else {
        return HashMap::new();
    };
    let pages = match table.get("page") {
        Some(Value::Object(pages)) => pages,
        _ => table,
    };
    pages
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect()
}

fn static_dirs(config: &Map<String, Value>) -> Vec<String> {
    match config.get("staticdir") {
        Some(Value::String(dir)) => vec![dir.clone()],
        Some(Value::Array(dirs)) => dirs
            .iter()
            .filter_map(|d| d.as_str().map(str::to_string))
            .collect(),
        _ => vec!["static".into()],
    }
}

/// A page's addresses: `url`, else its section's permalink pattern, else
/// `/FOLDER/SLUG/`; and its `aliases`.
fn urls(page: &SourcePage, permalinks: &HashMap<String, String>) -> Vec<String> {
    let slug = page.front.string("slug");
    let name = slug.clone().unwrap_or_else(|| page.stem.clone());
    let plain = if page.section_page {
        format!("/{}/", page.folder)
    } else {
        format!("/{}/", join(&page.folder, &name))
    };
    let mut urls = Vec::new();
    if let Some(url) = page.front.string("url") {
        urls.push(format!("/{}", url.trim_start_matches('/')));
    }
    let section = page.folder.split('/').next().unwrap_or_default();
    if let Some(pattern) = permalinks.get(section).filter(|_| !page.section_page) {
        urls.push(expand(pattern, page, slug.as_deref()));
    }
    urls.push(plain);
    if let Some(aliases) = page.front.get("aliases") {
        let list = match &aliases.value {
            Value::Array(items) => items.iter().filter_map(|v| v.as_str()).collect(),
            Value::String(one) => vec![one.as_str()],
            _ => Vec::new(),
        };
        urls.extend(
            list.into_iter()
                .map(|a| format!("/{}", a.trim_start_matches('/'))),
        );
    }
    urls.into_iter().map(|u| urlize(&u)).collect()
}

/// Hugo's addresses are lower case, with `-` for spaces.
fn urlize(url: &str) -> String {
    url.to_lowercase().replace(' ', "-").replace("//", "/")
}

/// A permalink pattern with the page's values in it.
fn expand(pattern: &str, page: &SourcePage, slug: Option<&str>) -> String {
    let title = page
        .front
        .string("title")
        .unwrap_or_else(|| page.stem.clone());
    let date = page
        .front
        .string("date")
        .and_then(|d| date_text(&d))
        .unwrap_or_default();
    let part = |from: usize, to: usize| date.get(from..to).unwrap_or_default().to_string();
    let values = [
        (":year", part(0, 4)),
        (":month", part(5, 7)),
        (":day", part(8, 10)),
        (
            ":slugorfilename",
            slug.map_or(page.stem.clone(), str::to_string),
        ),
        (
            ":slugorcontentbasename",
            slug.map_or(page.stem.clone(), str::to_string),
        ),
        (
            ":slug",
            slug.map_or_else(|| slug::slugify(&title), str::to_string),
        ),
        (":title", slug::slugify(&title)),
        (":filename", page.stem.clone()),
        (":contentbasename", page.stem.clone()),
        (":sections", page.folder.clone()),
        (
            ":section",
            page.folder
                .split('/')
                .next()
                .unwrap_or_default()
                .to_string(),
        ),
    ];
    let mut out = pattern.to_string();
    for (token, value) in values {
        out = out.replace(token, &value);
    }
    format!("/{}", out.trim_start_matches('/'))
}

/// A file inside a page bundle is published beside the page.
fn bundle_file_url(path: &str, bundles: &HashMap<&str, &str>) -> Option<String> {
    let mut dir = parent_of(path);
    while !dir.is_empty() {
        if let Some(url) = bundles.get(dir) {
            let inside = &path[dir.len() + 1..];
            return Some(format!("{}/{inside}", url.trim_matches('/')));
        }
        dir = parent_of(dir);
    }
    None
}

/// A shortcode as written: where it is and what is inside its delimiters.
struct Shortcode<'t> {
    range: std::ops::Range<usize>,
    inner: &'t str,
    /// `{{</* x */>}}`: Hugo's way to show a shortcode as text.
    escaped: bool,
}

fn next_shortcode(text: &str, mut from: usize) -> Option<Shortcode<'_>> {
    // A closer missing after one opener is missing after every later one.
    let mut unclosed = [false, false];
    loop {
        let at = from + text[from..].find("{{")?;
        let rest = &text[at + 2..];
        let delimiter = rest.trim_start().chars().next()?;
        let kind = match delimiter {
            '<' => 0,
            '%' => 1,
            _ => {
                from = at + 2;
                continue;
            }
        };
        let open = at + 2 + (rest.len() - rest.trim_start().len()) + 1;
        let closer = [">}}", "%}}"][kind];
        let found = (!unclosed[kind])
            .then(|| text[open..].find(closer))
            .flatten();
        let Some(end) = found else {
            unclosed[kind] = true;
            from = open;
            continue;
        };
        let mut inner = text[open..open + end].trim_end();
        let escaped = inner.trim_start().starts_with("/*") && inner.ends_with("*/");
        if escaped {
            inner = inner
                .trim_start()
                .trim_start_matches("/*")
                .trim_end_matches("*/");
        }
        return Some(Shortcode {
            range: at..open + end + closer.len(),
            inner,
            escaped,
        });
    }
}

/// A shortcode's words: its name, positional and `name=value` arguments.
fn arguments(inner: &str) -> (String, Vec<String>, HashMap<String, String>) {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote = None;
    for c in inner.trim().chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '`') => quote = Some(c),
            (None, c) if c.is_whitespace() => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            (None, c) => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    let mut words = words.into_iter();
    let name = words.next().unwrap_or_default();
    let (mut positional, mut named) = (Vec::new(), HashMap::new());
    for word in words {
        match word.split_once('=') {
            Some((key, value)) if !key.is_empty() && !key.contains('/') => {
                named.insert(key.to_string(), value.to_string());
            }
            _ => positional.push(word),
        }
    }
    (name, positional, named)
}

pub(super) fn body(text: &str, cx: &BodyContext) -> Body {
    let mut body = Body::default();
    let mut at = 0;
    while let Some(code) = next_shortcode(text, at) {
        body.text.push_str(&text[at..code.range.start]);
        let written = &text[code.range.clone()];
        let with = if code.escaped {
            written.replacen("/*", "", 1).replacen("*/", "", 1)
        } else {
            shortcode(&code, written, cx, &mut body.problems)
        };
        let lines = written
            .matches('\n')
            .count()
            .saturating_sub(with.matches('\n').count());
        body.text.push_str(&with);
        body.text.push_str(&"\n".repeat(lines));
        at = code.range.end;
    }
    body.text.push_str(&text[at..]);
    body
}

fn shortcode(
    code: &Shortcode,
    written: &str,
    cx: &BodyContext,
    problems: &mut Vec<Problem>,
) -> String {
    let (name, positional, named) = arguments(code.inner);
    let arg = |key: &str| {
        named
            .get(key)
            .cloned()
            .or_else(|| positional.first().cloned())
    };
    match name.as_str() {
        "ref" | "relref" => {
            arg("path").map_or_else(|| written.to_string(), |path| reference(&path, cx))
        }
        "figure" => {
            let src = named.get("src").cloned().unwrap_or_default();
            let alt = ["alt", "caption", "title"]
                .iter()
                .find_map(|k| named.get(*k))
                .cloned()
                .unwrap_or_default()
                .replace(['[', ']'], "");
            format!("![{alt}]({})", encode_path(&src))
        }
        name if name.starts_with('/') => written.to_string(),
        _ => {
            problems.push(
                Problem::at(
                    code.range.start,
                    format!("Hugo shortcode `{name}` has no practica equivalent"),
                    "rewrite it as markdown (a link, an image, a quote) or remove it".into(),
                )
                .kept(),
            );
            written.to_string()
        }
    }
}

/// Where `ref`/`relref` points, as a path from this page's file: as Hugo
/// looks for it, from this page's folder, from `content/`, then by name.
fn reference(path: &str, cx: &BodyContext) -> String {
    let (file, anchor) = match path.split_once('#') {
        Some((file, anchor)) => (file, Some(anchor)),
        None => (path, None),
    };
    if file.is_empty() {
        return format!("#{}", anchor.unwrap_or_default());
    }
    let page = &cx.site.pages[cx.page];
    let content = &cx.site.content_dir;
    let resolver = cx.resolver;
    let found = if let Some(inside) = file.strip_prefix('/') {
        resolver.find_path(&join(content, inside))
    } else {
        normalize(page.dir(), file)
            .and_then(|p| resolver.find_path(&p))
            .or_else(|| resolver.find_path(&join(content, file)))
            .or_else(|| match resolver.find_name(&stem_of(file)) {
                [one @ Target::Page(_)] => Some(*one),
                _ => None,
            })
    };
    match found {
        Some(target) => resolver.source_link(cx.page, target, anchor),
        None => encode_path(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_are_found_with_their_arguments() {
        let text = r#"See [it]({{< ref "posts/a.md#x" >}}) and {{% notice tip %}}hi{{% /notice %}} and {{</* ref "b" */>}}."#;
        let first = next_shortcode(text, 0).unwrap();
        assert_eq!(first.inner.trim(), r#"ref "posts/a.md#x""#);
        let (name, positional, _) = arguments(first.inner);
        assert_eq!(
            (name.as_str(), positional[0].as_str()),
            ("ref", "posts/a.md#x")
        );
        let second = next_shortcode(text, first.range.end).unwrap();
        assert_eq!(arguments(second.inner).0, "notice");
        let third = next_shortcode(text, second.range.end).unwrap();
        assert_eq!(arguments(third.inner).0, "/notice");
        let fourth = next_shortcode(text, third.range.end).unwrap();
        assert!(fourth.escaped);
        let (_, _, named) = arguments(r#"figure src="/images/a b.png" alt="A picture""#);
        assert_eq!(
            named.get("src").map(String::as_str),
            Some("/images/a b.png")
        );
    }

    #[test]
    fn permalink_patterns_are_expanded() {
        let mut notes = Vec::new();
        let mut page = SourcePage::read(
            "content/posts/hello.md".into(),
            "---\ntitle: Hello World\ndate: 2019-03-04\n---\n",
            &mut notes,
        );
        place(&mut page, "content");
        assert_eq!(
            expand("/:year/:month/:slug/", &page, None),
            "/2019/03/hello-world/"
        );
        assert_eq!(expand("/:section/:filename/", &page, None), "/posts/hello/");
    }
}
