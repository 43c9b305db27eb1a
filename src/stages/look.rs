//! The community's own look, from `community.yaml`: `logo`, `image`,
//! `footer_links` and `accent`, each checked where it is written.

use std::path::Path;

use serde_json::Value;

use crate::stages::link::is_external;
use crate::support::colour::{AA_CONTRAST, Rgb};
use crate::support::diagnostic::{Diagnostic, Span};
use crate::support::fields::FieldReader;
use crate::support::yaml::describe;

/// The community's branding; empty when it sets none.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub(crate) struct Look {
    pub(crate) logo: Option<StaticFile>,
    /// The picture shared links show for pages without their own `image`.
    pub(crate) image: Option<StaticFile>,
    pub(crate) footer_links: Vec<FooterLink>,
    pub(crate) accent: Option<Accent>,
}

/// A file of `static/` a setting names: the logo, the shared picture.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct StaticFile {
    /// Its path in the site (and under `static/`), with `/` separators.
    pub(crate) path: String,
    #[serde(skip)]
    span: Span,
}

#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct FooterLink {
    pub(crate) text: String,
    pub(crate) target: FooterTarget,
    /// Where its `url` is written, for a link to nothing.
    #[serde(skip)]
    pub(crate) span: Span,
}

/// Where a footer link goes: another site as written, or a path of this
/// one, which each page reaches relative to itself like its other links.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "url", rename_all = "lowercase")]
pub(crate) enum FooterTarget {
    External(String),
    Site(String),
}

/// The accent of each colour scheme, each readable on its backgrounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Accent {
    pub(crate) light: Rgb,
    pub(crate) dark: Rgb,
    /// Text on a button of the accent colour.
    pub(crate) light_ink: Rgb,
    pub(crate) dark_ink: Rgb,
}

/// The default theme's backgrounds the accent is text on (`--bg`,
/// `--surface`, `--tag-bg` in style.css).
const LIGHT_BACKGROUNDS: [Rgb; 3] = [
    Rgb::new(0xff, 0xff, 0xff),
    Rgb::new(0xf3, 0xf6, 0xf4),
    Rgb::new(0xee, 0xf4, 0xf1),
];
const DARK_BACKGROUNDS: [Rgb; 3] = [
    Rgb::new(0x11, 0x16, 0x14),
    Rgb::new(0x19, 0x20, 0x1d),
    Rgb::new(0x1a, 0x26, 0x22),
];

pub(crate) fn read(
    reader: &mut FieldReader,
    logo: Option<&Value>,
    image: Option<&Value>,
    links: Option<&Value>,
    accent: Option<&Value>,
) -> Look {
    Look {
        logo: read_static_file(reader, "logo", logo),
        image: read_static_file(reader, "image", image),
        footer_links: read_footer_links(reader, links),
        accent: read_accent(reader, accent),
    }
}

/// A path to show in hints about the setting `key`.
fn example_path(key: &str) -> &'static str {
    match key {
        "logo" => "images/logo.svg",
        _ => "images/social.png",
    }
}

/// The logo and the shared picture must be files of `static/`: they are
/// published from there, and a missing one would be a broken image on
/// every page.
pub(crate) fn check_files(look: &Look, root: &Path) -> Vec<Diagnostic> {
    [("logo", &look.logo), ("image", &look.image)]
        .into_iter()
        .filter_map(|(key, file)| Some((key, file.as_ref()?)))
        .filter(|(_, file)| !root.join("static").join(&file.path).is_file())
        .map(|(key, file)| {
            Diagnostic::error(
                Path::new(crate::stages::config::CONFIG_FILE),
                file.span,
                format!("`{key}` names static/{}, which is not a file", file.path),
            )
            .with_hint(format!(
                "put the image in static/ and write its path there, like `{key}: {}`",
                example_path(key)
            ))
            .settings()
        })
        .collect()
}

fn read_static_file(
    reader: &mut FieldReader,
    key: &str,
    value: Option<&Value>,
) -> Option<StaticFile> {
    let span = reader.key_span(key);
    let written = match value {
        None | Some(Value::Null) => return None,
        Some(Value::String(text)) => text.trim(),
        Some(other) => {
            reader.error(
                span,
                format!(
                    "`{key}` should be the path of an image in static/, found {}",
                    describe(other)
                ),
                &format!("write it like `{key}: {}`", example_path(key)),
            );
            return None;
        }
    };
    let path = written.strip_prefix("static/").unwrap_or(written);
    let inside = !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !is_external(path)
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..");
    if !inside {
        reader.error(
            span,
            format!("`{key}: {written}` is not a path inside static/"),
            &format!(
                "write the path of an image in static/, like `{key}: {}`",
                example_path(key)
            ),
        );
        return None;
    }
    Some(StaticFile {
        path: path.to_string(),
        span,
    })
}

fn read_footer_links(reader: &mut FieldReader, value: Option<&Value>) -> Vec<FooterLink> {
    let items = match value {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(items)) => items,
        Some(other) => {
            let span = reader.key_span("footer_links");
            reader.error(
                span,
                format!(
                    "`footer_links` should be a list of links, found {}",
                    describe(other)
                ),
                "write each as `- text: Code of conduct` with `url: conduct/` below it",
            );
            return Vec::new();
        }
    };
    let places = reader.list_items("footer_links");
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let at = |field: &str| match places.get(i) {
                Some(place) => reader.span_in(place.clone(), field),
                None => reader.key_span("footer_links"),
            };
            let (text_span, url_span) = (at("text"), at("url"));
            footer_link(reader, item, text_span, url_span)
        })
        .collect()
}

fn footer_link(
    reader: &mut FieldReader,
    item: &Value,
    span: Span,
    url_span: Span,
) -> Option<FooterLink> {
    let text = |key: &str| {
        item.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty())
    };
    let unknown = item
        .as_object()
        .and_then(|map| map.keys().find(|k| !matches!(k.as_str(), "text" | "url")));
    let (Some(shown), Some(url), None) = (text("text"), text("url"), unknown) else {
        let problem = match unknown {
            Some(key) => format!("a footer link has `{key}`, which is not `text` or `url`"),
            None => "a footer link needs both `text` and `url`".to_string(),
        };
        reader.error(
            span,
            problem,
            "write each as `- text: Code of conduct` with `url: conduct/` (or https://…) below it",
        );
        return None;
    };
    let target = if is_external(url) {
        FooterTarget::External(url.to_string())
    } else {
        FooterTarget::Site(
            url.trim_start_matches("./")
                .trim_start_matches('/')
                .to_string(),
        )
    };
    Some(FooterLink {
        text: shown.to_string(),
        target,
        span: url_span,
    })
}

fn read_accent(reader: &mut FieldReader, value: Option<&Value>) -> Option<Accent> {
    let span = reader.key_span("accent");
    let hint = "write a CSS colour like `accent: \"#1d6fb8\"` or `rgb(29 111 184)`, or one per scheme: `accent: {light: \"#1d6fb8\", dark: \"#8ab4f8\"}`";
    let (light, dark) = match value {
        None | Some(Value::Null) => return None,
        Some(Value::String(one)) => (one.as_str(), one.as_str()),
        Some(Value::Object(map))
            if map.len() == 2
                && map.get("light").is_some_and(Value::is_string)
                && map.get("dark").is_some_and(Value::is_string) =>
        {
            (
                map["light"].as_str().unwrap_or_default(),
                map["dark"].as_str().unwrap_or_default(),
            )
        }
        Some(other) => {
            reader.error(
                span,
                format!(
                    "`accent` should be a colour, or `light:` and `dark:` colours, found {}",
                    describe(other)
                ),
                hint,
            );
            return None;
        }
    };
    let mut colour = |written: &str| match Rgb::parse(written) {
        Ok(colour) => Some((colour, reader.item_span("accent", written))),
        Err(problem) => {
            let span = reader.item_span("accent", written);
            reader.error(span, format!("`accent` `{written}` {problem}"), hint);
            None
        }
    };
    let ((light, light_at), (dark, dark_at)) = (colour(light)?, colour(dark)?);
    let light = readable(reader, light_at, light, "light", false);
    let dark = readable(reader, dark_at, dark, "dark", true);
    Some(Accent {
        light,
        dark,
        light_ink: light.ink(),
        dark_ink: dark.ink(),
    })
}

/// `colour`, or the nearest one readable on the scheme's backgrounds, with
/// a warning that says which.
fn readable(reader: &mut FieldReader, span: Span, colour: Rgb, scheme: &str, dark: bool) -> Rgb {
    let backgrounds = if dark {
        &DARK_BACKGROUNDS
    } else {
        &LIGHT_BACKGROUNDS
    };
    let contrast = colour.worst_contrast(backgrounds);
    if contrast >= AA_CONTRAST {
        return colour;
    }
    let variant = colour.readable_on(backgrounds, dark);
    reader.warning(
        span,
        format!(
            "`accent` {colour} has a contrast of {contrast:.2}:1 on the {scheme} background, under the {AA_CONTRAST}:1 WCAG AA asks of text; the {scheme} scheme uses {variant} instead"
        ),
        format!(
            "to choose it yourself, give each scheme its own colour: `accent: {{light: \"…\", dark: \"…\"}}` ({} makes links {} enough on a {scheme} page)",
            variant,
            if dark { "light" } else { "dark" }
        ),
    );
    variant
}
