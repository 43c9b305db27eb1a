//! `community.yaml`: site settings and the domain map of declared tags.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::model::document::Kind;
use crate::stages::external;
use crate::stages::gaps::Rule;
use crate::stages::labels::{self, Labels};
use crate::stages::look::{self, Look};
use crate::support::diagnostic::{Check, Diagnostic, Level, Span, suggest};
use crate::support::fields::{Field, FieldReader, Literal, Shape, warn_unknown_keys};
use crate::support::raw_html::RawHtml;
use crate::support::yaml::{self, describe};

pub(crate) const CONFIG_FILE: &str = "community.yaml";

/// The keys of community.yaml: what the loader knows, and what the
/// editor schema (`practica schema community`) offers.
pub(crate) const FIELDS: &[Field] = &[
    Field::new("title", Shape::Text, "The site's name, shown on every page.").required(),
    Field::new(
        "description",
        Shape::Text,
        "What the community shares, and who it is for; the home page and search engines show it.",
    ),
    Field::new(
        "base_url",
        Shape::SiteAddress,
        "The address the site is published at, like https://example.org/toolkit/. Adds canonical links, sitemap.xml, feed.xml and robots.txt; without it every link is relative.",
    ),
    Field::new(
        "language",
        Shape::Language,
        "The pages' language as a language tag, like `en` or `pt-BR` (the `lang` of every page; a document can give its own).",
    )
    .default(Literal::Text("en")),
    Field::new(
        "labels",
        Shape::Labels,
        "The words of the interface, replacing those of `language`'s labels file: each key of themes/default/labels/en.yaml to a text, like `search: Find`; a count as `one:` and `other:` with `{n}`.",
    ),
    Field::new(
        "logo",
        Shape::StaticFile,
        "An image in static/ shown in the header beside the site's name, like `images/logo.svg`; square or wide, it is shown 28 pixels high.",
    ),
    Field::new(
        "image",
        Shape::StaticFile,
        "The picture shared links show (Open Graph, Twitter cards) for pages without an `image` of their own, like `images/social.png`; needs `base_url`.",
    ),
    Field::new(
        "footer_links",
        Shape::FooterLinks,
        "Links in every page's footer, each `{text, url}`: an http(s) address, or a path of the site like `conduct/`.",
    ),
    Field::new(
        "accent",
        Shape::Accent,
        "The colour of links, buttons and focus rings, like `\"#1d6fb8\"`, or one per colour scheme: `{light: \"#1d6fb8\", dark: \"#8ab4f8\"}`. A colour too faint to read on a scheme's background is darkened or lightened until it passes WCAG AA, with a warning.",
    ),
    Field::new(
        "theme",
        Shape::FolderName,
        "The name of a folder in themes/ whose templates and static files replace the default theme's; a name only, not a path.",
    ),
    Field::new(
        "edit_url",
        Shape::EditAddress,
        "Adds an \"edit this page\" link to every page: an http(s) address with `{path}` where the file's path goes, like https://github.com/ORG/REPO/edit/main/{path}.",
    ),
    Field::new(
        "pretty_links",
        Shape::Flag,
        "`true` links to folders (practices/x/) instead of their index.html, for hosts that serve index.html for a folder.",
    )
    .default(Literal::Flag(false)),
    Field::new(
        PageSize::KEY,
        Shape::Count {
            min: PageSize::MIN as i64,
            max: PageSize::MAX as i64,
        },
        "How many documents a page of a list shows (sections, the member directory, a topic's groups, \"Referenced by\"); longer lists go on to `page/2/` and so on.",
    )
    .default(Literal::Count(PageSize::DEFAULT as i64)),
    Field::new(
        "git_dates",
        Shape::AutoOrFlag,
        "Where a document without `updated` gets its date: `auto` from its last commit in git, else the file's modification date; `true` the same, with a warning when git gives none; `false` only front matter dates.",
    )
    .default(Literal::Text("auto")),
    Field::new(
        "history",
        Shape::Flag,
        "`false` leaves git history out of the /insights/ page and `practica report`: their figures then come from front matter dates alone, as for a folder outside git.",
    )
    .default(Literal::Flag(true)),
    Field::new(
        "publish_hidden",
        Shape::TextList,
        "Hidden files or folders at the top of static/ to publish all the same, like .well-known; every other hidden one is not published.",
    ),
    Field::new(
        "raw_html",
        Shape::Word(&["allow", "sanitize", "escape"]),
        "What becomes of HTML written in documents: `allow` publishes it as written; `sanitize` keeps what content needs (tables, ids, images, details) and drops scripts, styles, frames, forms and event handlers; `escape` shows it as text.",
    )
    .default(Literal::Text("allow")),
    Field::new(
        "tags",
        Shape::Items(TAG_FIELDS),
        "The domain map: the topics this community cares about. Documents list them under `tags`, members under `expertise` and `learning`.",
    ),
    Field::new(
        "gaps",
        Shape::Settings(GAP_FIELDS),
        "Settings of the knowledge-gap analysis (`practica gaps`, and /gaps/ on the site).",
    ),
    Field::new(
        "severity",
        Shape::Settings(SEVERITY_FIELDS),
        "How each kind of content problem is reported: `error` (no site is written), `warning` (listed, the site is written) or `off`. Import legacy content with warnings, fix it, then tighten.",
    ),
    Field::new(
        external::settings::KEY,
        Shape::Settings(external::settings::FIELDS),
        "How `practica check --external` treats the web addresses documents link to.",
    ),
];

/// The keys under `severity`, one per `Check`, in `Check::ALL`'s order.
pub(crate) const SEVERITY_FIELDS: &[Field] = &{
    let mut fields = [Field::new("", Shape::Text, ""); Check::ALL.len()];
    let mut i = 0;
    while i < fields.len() {
        let check = Check::ALL[i];
        fields[i] = Field::new(check.key(), Shape::Word(&Level::NAMES), check.about())
            .default(Literal::Text(check.default_level().name()));
        i += 1;
    }
    fields
};

/// What the community chose for each `Check` (`severity:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Severities {
    chosen: [Option<Level>; Check::ALL.len()],
}

impl Severities {
    pub(crate) fn level(&self, check: Check) -> Level {
        let at = Check::ALL.iter().position(|&c| c == check);
        at.and_then(|at| self.chosen[at])
            .unwrap_or(check.default_level())
    }
}

/// Reads `severity:`, a mapping of `Check` keys to levels; a wrong key or
/// level is a settings error at it, and keeps the default.
fn read_severities(reader: &mut FieldReader, value: Option<&Value>) -> Severities {
    let mut severities = Severities::default();
    let map = match value {
        None | Some(Value::Null) => return severities,
        Some(Value::Object(map)) => map,
        Some(_) => {
            let span = reader.key_span("severity");
            reader.error(
                span,
                "`severity` should be a mapping, like `broken_links: warning`".into(),
                "write each setting indented below it",
            );
            return severities;
        }
    };
    let keys = Check::ALL.map(Check::key);
    for (key, value) in map {
        let span = reader.item_span("severity", &format!("{key}:"));
        let Some(at) = keys.iter().position(|k| k == key) else {
            let near = suggest(key, keys)
                .map(|near| format!("did you mean `{near}`? "))
                .unwrap_or_default();
            reader.error(
                span,
                format!("`severity` has no setting `{key}`"),
                &format!("{near}the settings are {}", keys.join(", ")),
            );
            continue;
        };
        match value.as_str().and_then(Level::from_name) {
            Some(level) => severities.chosen[at] = Some(level),
            None => reader.error(
                span,
                format!("`severity.{key}` should be `error`, `warning` or `off`"),
                "`warning` lists the problem and writes the site; `off` says nothing",
            ),
        }
    }
    severities
}

/// The keys of a declared tag in `tags`.
pub(crate) const TAG_FIELDS: &[Field] = &[
    Field::new(
        "slug",
        Shape::Text,
        "The tag as documents write it: lowercase words joined by hyphens, like cold-chain.",
    )
    .required(),
    Field::new(
        "title",
        Shape::Text,
        "The topic's name on pages; without it, the slug with a capital letter.",
    ),
    Field::new(
        "description",
        Shape::Text,
        "What the topic covers, shown on its page.",
    ),
    Field::new(
        "parent",
        Shape::Text,
        "The slug of the broader declared tag this one belongs under; the gap rules count its documents, experts and mentors as the parent's too.",
    ),
    Field::new(
        "archived",
        Shape::Flag,
        "`true` for a topic that is history, not neglect: no gap rule reports it, and pages mark it archived.",
    )
    .default(Literal::Flag(false)),
];

/// The keys under `gaps`.
pub(crate) const GAP_FIELDS: &[Field] = &[
    Field::new(
        "stale_after_months",
        Shape::Count {
            min: *STALE_AFTER_MONTHS.start() as i64,
            max: *STALE_AFTER_MONTHS.end() as i64,
        },
        "A topic whose newest document is older than this many months is not updated (the `stale` gap rule).",
    )
    .default(Literal::Count(STALE_AFTER_MONTHS_DEFAULT as i64)),
    Field::new(
        "single_voice_authors",
        Shape::Count { min: 1, max: 100 },
        "A topic with `single_voice_documents` documents or more, all by at most this many authors, has one voice (the `single-voice` gap rule).",
    )
    .default(Literal::Count(1)),
    Field::new(
        "single_voice_documents",
        Shape::Count { min: 2, max: 100_000 },
        "How many documents a topic needs before `single-voice` looks at its authors.",
    )
    .default(Literal::Count(2)),
    Field::new(
        "concentration_percent",
        Shape::Count { min: 50, max: 100 },
        "A topic with other authors too, of which one author wrote at least this share (in percent) of its documents, depends on them (the `concentration` gap rule).",
    )
    .default(Literal::Count(80)),
    Field::new(
        "concentration_documents",
        Shape::Count { min: 2, max: 100_000 },
        "How many documents a topic needs before `concentration` looks at who wrote them.",
    )
    .default(Literal::Count(5)),
    Field::new(
        "declining_percent",
        Shape::Count { min: 1, max: 99 },
        "A topic whose documents written or updated per year in the last two years fell under this share (in percent) of its yearly average before is declining (the `declining` gap rule).",
    )
    .default(Literal::Count(25)),
    Field::new(
        "declining_documents",
        Shape::Count { min: 1, max: 100_000 },
        "How many documents a topic needs before the last two years for `declining` to compare with them.",
    )
    .default(Literal::Count(6)),
    Field::new(
        "evidence",
        Shape::Words(&["case-study", "guide"]),
        "The kinds of document whose `practices:` show a practice applied: for the gap rules (`no-evidence`, `unproven`) and the Evidence section of practice pages alike.",
    )
    .default(Literal::Text("case-study")),
    Field::new(
        "rules",
        Shape::Settings(RULE_FIELDS),
        "Each gap rule `on` or `off`, or its weight in the score (0 to 100), like `no-practice: off` or `no-evidence: 2`.",
    ),
];

/// The keys under `gaps.rules`: one per gap rule, by its name.
pub(crate) const RULE_FIELDS: &[Field] = &rule_fields();

const fn rule_fields() -> [Field; Rule::ALL.len()] {
    let mut fields = [Field::new("", Shape::Weight, ""); Rule::ALL.len()];
    let mut i = 0;
    while i < Rule::ALL.len() {
        let rule = Rule::ALL[i];
        fields[i] = Field::new(rule.name(), Shape::Weight, rule.explanation())
            .default(Literal::Count(rule.default_weight() as i64));
        i += 1;
    }
    fields
}

#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct DeclaredTag {
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) parent: Option<String>,
    /// History, not neglect: exempt from the gap rules.
    pub(crate) archived: bool,
}

/// Settings of the gap rules, each with a documented default.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct GapSettings {
    /// Within `STALE_AFTER_MONTHS`: date arithmetic beyond it overflows.
    pub(crate) stale_after_months: i32,
    pub(crate) single_voice_authors: usize,
    pub(crate) single_voice_documents: usize,
    pub(crate) concentration_percent: usize,
    pub(crate) concentration_documents: usize,
    pub(crate) declining_percent: usize,
    pub(crate) declining_documents: usize,
    pub(crate) evidence: Evidence,
    pub(crate) rules: RuleSettings,
}

impl GapSettings {
    /// Sets the whole-number setting `key`, already checked against its
    /// field's range; `false` for a key that is not one.
    fn set_count(&mut self, key: &str, n: i64) -> bool {
        let n_usize = usize::try_from(n).unwrap_or(0);
        match key {
            "stale_after_months" => self.stale_after_months = i32::try_from(n).unwrap_or(1),
            "single_voice_authors" => self.single_voice_authors = n_usize,
            "single_voice_documents" => self.single_voice_documents = n_usize,
            "concentration_percent" => self.concentration_percent = n_usize,
            "concentration_documents" => self.concentration_documents = n_usize,
            "declining_percent" => self.declining_percent = n_usize,
            "declining_documents" => self.declining_documents = n_usize,
            _ => return false,
        }
        true
    }
}

/// The kinds of document whose `practices:` count as evidence that a
/// practice is applied: one definition for the gap rules and the pages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Evidence {
    kinds: Vec<Kind>,
}

impl Evidence {
    pub(crate) const KINDS: [Kind; 2] = [Kind::CaseStudy, Kind::Guide];

    pub(crate) fn counts(&self, kind: Kind) -> bool {
        self.kinds.contains(&kind)
    }
}

impl Default for Evidence {
    fn default() -> Self {
        Evidence {
            kinds: vec![Kind::CaseStudy],
        }
    }
}

/// Each gap rule's weight, `None` for a rule turned off.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct RuleSettings {
    weights: [Option<u32>; Rule::ALL.len()],
}

impl RuleSettings {
    pub(crate) fn weight(&self, rule: Rule) -> Option<u32> {
        Rule::ALL
            .iter()
            .position(|&r| r == rule)
            .and_then(|at| self.weights[at])
    }

    fn set(&mut self, rule: Rule, weight: Option<u32>) {
        if let Some(at) = Rule::ALL.iter().position(|&r| r == rule) {
            self.weights[at] = weight;
        }
    }
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            weights: Rule::ALL.map(|r| Some(r.default_weight())),
        }
    }
}

/// The months `gaps.stale_after_months` may be: a century is more than any
/// community needs, and far from what dates can count.
pub(crate) const STALE_AFTER_MONTHS: std::ops::RangeInclusive<i32> = 1..=1200;

const STALE_AFTER_MONTHS_DEFAULT: i32 = 18;

impl Default for GapSettings {
    fn default() -> Self {
        GapSettings {
            stale_after_months: STALE_AFTER_MONTHS_DEFAULT,
            single_voice_authors: 1,
            single_voice_documents: 2,
            concentration_percent: 80,
            concentration_documents: 5,
            declining_percent: 25,
            declining_documents: 6,
            evidence: Evidence::default(),
            rules: RuleSettings::default(),
        }
    }
}

/// Where a document without `updated` gets its last-updated date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum GitDatesSetting {
    /// From git when the community folder is itself a repository (holds `.git`).
    #[default]
    Auto,
    /// From git also when the folder sits inside a larger repository.
    Always,
    /// From front matter only.
    Never,
}

#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Config {
    #[serde(skip)]
    pub(crate) root: PathBuf,
    pub(crate) title: String,
    pub(crate) description: String,
    /// Without a trailing slash; `None` keeps every link relative.
    pub(crate) base_url: Option<String>,
    pub(crate) language: String,
    pub(crate) theme: Option<String>,
    pub(crate) edit_url: Option<String>,
    /// Links end at the folder (`practices/x/`) instead of `practices/x/index.html`.
    pub(crate) pretty_links: bool,
    /// How many documents a page of a list shows.
    pub(crate) page_size: PageSize,
    /// `git_dates:` in community.yaml: `auto` (default), `true` or `false`.
    pub(crate) git_dates: GitDatesSetting,
    /// `history:` in community.yaml: whether insights read git history.
    pub(crate) history: bool,
    /// Where `git_dates:` is written, for messages about getting dates from git.
    #[serde(skip)]
    pub(crate) git_dates_span: Span,
    /// Where `theme:` is written, for a theme that cannot be loaded.
    pub(crate) theme_span: Span,
    pub(crate) tags: Vec<DeclaredTag>,
    pub(crate) gaps: GapSettings,
    /// Hidden files or folders at the top of `static/` that are published
    /// all the same (`.well-known`); every other hidden one is not.
    pub(crate) publish_hidden: Vec<String>,
    /// What becomes of raw HTML in document bodies.
    pub(crate) raw_html: RawHtml,
    /// How each kind of content problem is reported.
    #[serde(skip)]
    pub(crate) severities: Severities,
    /// How `check --external` treats web addresses.
    #[serde(skip)]
    pub(crate) external_links: external::Settings,
    /// Logo, footer links, accent colour.
    pub(crate) look: Look,
    /// The interface's words, in `language`.
    #[serde(skip)]
    pub(crate) labels: Labels,
}

impl Config {
    /// The settings of a community with only a title, for tests.
    #[cfg(test)]
    pub(crate) fn minimal(root: &Path, title: &str) -> Self {
        Config {
            root: root.to_path_buf(),
            title: title.to_string(),
            description: String::new(),
            base_url: None,
            language: "en".into(),
            theme: None,
            edit_url: None,
            pretty_links: false,
            page_size: PageSize::default(),
            git_dates: GitDatesSetting::Auto,
            history: true,
            git_dates_span: Span::new(1, 1),
            theme_span: Span::new(1, 1),
            publish_hidden: Vec::new(),
            raw_html: RawHtml::Allow,
            tags: Vec::new(),
            gaps: GapSettings::default(),
            external_links: external::Settings::default(),
            severities: Severities::default(),
            look: Look::default(),
            labels: Labels::default(),
        }
    }

    /// The "edit this page" address of a source file, if `edit_url` is set.
    pub(crate) fn edit_link(&self, source_path: &str) -> Option<String> {
        self.edit_url
            .as_ref()
            .map(|pattern| pattern.replace("{path}", source_path))
    }
}

/// Reads `ROOT/community.yaml`. `None` when it is missing or unreadable;
/// every problem is returned as a settings diagnostic.
pub(crate) fn load(root: &Path) -> (Option<Config>, Vec<Diagnostic>) {
    let path = Path::new(CONFIG_FILE);
    let real = std::fs::canonicalize(root.join(CONFIG_FILE));
    if let (Ok(real), Ok(real_root)) = (real, std::fs::canonicalize(root))
        && !real.starts_with(&real_root)
    {
        let d = Diagnostic::error_in(
            path,
            format!(
                "community.yaml is a link to {}, outside the community",
                real.display()
            ),
        )
        .with_hint("copy the settings into the community folder instead of linking to them")
        .settings();
        return (None, vec![d]);
    }
    let text = match std::fs::read(root.join(CONFIG_FILE)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                let d = Diagnostic::error_in(path, "community.yaml is not UTF-8 text")
                    .with_hint("save the file as UTF-8 in your editor")
                    .settings();
                return (None, vec![d]);
            }
        },
        Err(error) => {
            // Not a problem in any file: the folder given is not a community.
            let d = Diagnostic::run_error(format!(
                "cannot read community.yaml in {}: {error}",
                root.display()
            ))
            .with_hint("run practica in a community folder, or create one with `practica init DIR`")
            .settings();
            return (None, vec![d]);
        }
    };
    let (config, mut diagnostics) = parse(root, &text);
    if let Some(config) = &config {
        diagnostics.extend(look::check_files(&config.look, root));
    }
    (config, diagnostics)
}

pub(crate) fn parse(root: &Path, text: &str) -> (Option<Config>, Vec<Diagnostic>) {
    let path = Path::new(CONFIG_FILE);
    let mapping = match yaml::parse_mapping(text.trim_start_matches('\u{feff}')) {
        Ok(mapping) => mapping,
        Err(error) => {
            let d = Diagnostic::error(path, error.span, format!("invalid YAML: {}", error.message))
                .with_hint(error.hint.unwrap_or_else(|| "community.yaml holds `key: value` lines; check the indentation and quotes near this spot".into()))
                .settings();
            return (None, vec![d]);
        }
    };
    let mut reader = FieldReader::new(&mapping, path, 0).for_settings();
    let known: Vec<&str> = FIELDS.iter().map(|f| f.key).collect();
    warn_unknown_keys(
        &mut reader,
        mapping.entries.keys(),
        &known,
        "community.yaml",
    );
    let title = reader.string("title").unwrap_or_default();
    if title.is_empty() {
        let span = mapping
            .entries
            .contains_key("title")
            .then(|| reader.key_span("title"));
        reader.error_at(
            span,
            "community.yaml has no `title`".into(),
            "add a line like `title: Food Rescue Commons`",
        );
    }
    let language = reader.language("language").unwrap_or_else(|| "en".into());
    let language_span = mapping
        .entries
        .contains_key("language")
        .then(|| reader.item_span("language", &language));
    let labels = labels::read(
        &mut reader,
        &language,
        language_span,
        mapping.entries.get("labels"),
    );
    let config = Config {
        root: root.to_path_buf(),
        title,
        description: reader.string("description").unwrap_or_default(),
        base_url: read_base_url(&mut reader),
        language,
        labels,
        theme: read_theme(&mut reader),
        edit_url: read_edit_url(&mut reader),
        pretty_links: reader.bool("pretty_links").unwrap_or(false),
        page_size: read_page_size(&mut reader, mapping.entries.get(PageSize::KEY)),
        git_dates: read_git_dates(&mut reader, mapping.entries.get("git_dates")),
        history: reader.bool("history").unwrap_or(true),
        git_dates_span: reader.key_span("git_dates"),
        theme_span: reader.key_span("theme"),
        tags: read_tags(&mut reader, mapping.entries.get("tags")),
        gaps: read_gaps(&mut reader, mapping.entries.get("gaps")),
        publish_hidden: reader
            .string_list("publish_hidden")
            .into_iter()
            .map(|name| name.text.trim_matches('/').to_string())
            .collect(),
        raw_html: read_raw_html(&mut reader, mapping.entries.get("raw_html")),
        severities: read_severities(&mut reader, mapping.entries.get("severity")),
        external_links: external::settings::read(
            &mut reader,
            mapping.entries.get(external::settings::KEY),
        ),
        look: look::read(
            &mut reader,
            mapping.entries.get("logo"),
            mapping.entries.get("image"),
            mapping.entries.get("footer_links"),
            mapping.entries.get("accent"),
        ),
    };
    (Some(config), reader.diagnostics)
}

/// How many documents a page of a list shows: at least `MIN`, so that a
/// list is not spread over thousands of pages, at most `MAX`, so that no
/// page grows past what a phone loads quickly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub(crate) struct PageSize(usize);

impl PageSize {
    pub(crate) const KEY: &'static str = "page_size";
    pub(crate) const MIN: usize = 5;
    pub(crate) const MAX: usize = 200;
    pub(crate) const DEFAULT: usize = 50;

    /// `n` if it is in range.
    pub(crate) fn new(n: usize) -> Option<PageSize> {
        (Self::MIN..=Self::MAX).contains(&n).then_some(PageSize(n))
    }

    pub(crate) const fn get(self) -> usize {
        self.0
    }
}

impl Default for PageSize {
    fn default() -> Self {
        PageSize(Self::DEFAULT)
    }
}

/// `page_size:`, a whole number in `PageSize`'s range; anything else is
/// an error that names the range, and leaves the default.
fn read_page_size(reader: &mut FieldReader, value: Option<&Value>) -> PageSize {
    let Some(value) = value else {
        return PageSize::default();
    };
    let chosen = value
        .as_i64()
        .and_then(|n| usize::try_from(n).ok())
        .and_then(PageSize::new);
    chosen.unwrap_or_else(|| {
        let span = reader.key_span(PageSize::KEY);
        reader.error(
            span,
            format!(
                "`{}` should be a whole number from {} to {}",
                PageSize::KEY,
                PageSize::MIN,
                PageSize::MAX
            ),
            &format!("for example `{}: {}`", PageSize::KEY, PageSize::DEFAULT),
        );
        PageSize::default()
    })
}

/// `theme:` names a folder under the community's `themes/` and nothing
/// else: a path (`/abs`, `../x`, `a/b`) would read templates, and publish
/// a `static/` folder, from outside the community.
fn read_theme(reader: &mut FieldReader) -> Option<String> {
    let name = reader.string("theme")?;
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if plain {
        return Some(name);
    }
    let span = reader.key_span("theme");
    reader.error(
        span,
        format!("`theme: {name}` is not the name of a folder in themes/"),
        "write the theme's folder name only, like `theme: harbour` for themes/harbour/",
    );
    None
}

fn read_base_url(reader: &mut FieldReader) -> Option<String> {
    let url = reader.string("base_url")?;
    let problem = match site_address(&url) {
        Ok(address) => return Some(address),
        Err(problem) => problem,
    };
    let span = reader.key_span("base_url");
    reader.error(
        span,
        format!("`base_url` {problem}, found `{url}`"),
        "write it like `base_url: https://example.org/toolkit/`, or leave it out for relative links only",
    );
    None
}

/// `url` as the site's address is kept (without a trailing slash), or why
/// it cannot be one; `base_url` in community.yaml and `build --base-url`.
pub(crate) fn site_address(url: &str) -> Result<String, &'static str> {
    match base_url_problem(url) {
        None => Ok(url.trim_end_matches('/').to_string()),
        Some(problem) => Err(problem),
    }
}

/// Why `url` cannot be the site's address, if it cannot: it goes into
/// pages, feeds and robots.txt, so it must be an absolute http(s) address
/// with a host and only the characters a URL may hold as written.
pub(crate) fn base_url_problem(url: &str) -> Option<&'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Some("must be an absolute http(s) address");
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') {
        return Some("has no host");
    }
    if !url.chars().all(url_character) {
        return Some(
            "holds a character a URL cannot (a space, quote, <, >, or a control character)",
        );
    }
    if url.contains(['?', '#']) {
        return Some("has a query or fragment, which page addresses would be appended after");
    }
    None
}

/// Whether `c` may stand in `base_url` as written: ASCII letters, digits
/// and the punctuation URLs use, or any other script's character.
pub(crate) fn url_character(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c) || !c.is_ascii()
}

fn read_edit_url(reader: &mut FieldReader) -> Option<String> {
    let url = reader.string("edit_url")?;
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        let span = reader.key_span("edit_url");
        reader.error(
            span,
            format!("`edit_url` must be an http(s) address, found `{url}`"),
            "write it like `edit_url: https://github.com/ORG/REPO/edit/main/{path}`",
        );
        return None;
    }
    if !url.contains("{path}") {
        let span = reader.key_span("edit_url");
        reader.error(
            span,
            "`edit_url` has no `{path}` placeholder".into(),
            "write it like `edit_url: https://github.com/ORG/REPO/edit/main/{path}`",
        );
        return None;
    }
    Some(url)
}

fn read_git_dates(reader: &mut FieldReader, value: Option<&Value>) -> GitDatesSetting {
    match value {
        None | Some(Value::Null) => GitDatesSetting::Auto,
        Some(Value::Bool(true)) => GitDatesSetting::Always,
        Some(Value::Bool(false)) => GitDatesSetting::Never,
        Some(Value::String(text)) if text == "auto" => GitDatesSetting::Auto,
        Some(other) => {
            let span = reader.key_span("git_dates");
            reader.error(
                span,
                format!("`git_dates` should be `auto`, `true` or `false`, found `{other}`"),
                "`auto` (the default) takes dates from git when the community folder is a repository; `false` keeps front matter dates only",
            );
            GitDatesSetting::Auto
        }
    }
}

/// `raw_html:` is one of `RawHtml`'s names; anything else is an error at
/// the value, naming the three (and the nearest, for a misspelling).
fn read_raw_html(reader: &mut FieldReader, value: Option<&Value>) -> RawHtml {
    let written = match value {
        None | Some(Value::Null) => return RawHtml::default(),
        Some(Value::String(text)) => text.trim().to_string(),
        Some(other @ (Value::Bool(_) | Value::Number(_))) => other.to_string(),
        Some(_) => String::new(),
    };
    if let Some(raw_html) = RawHtml::from_name(&written) {
        return raw_html;
    }
    let span = if written.is_empty() {
        reader.key_span("raw_html")
    } else {
        reader.item_span("raw_html", &written)
    };
    let names = RawHtml::ALL.map(RawHtml::name);
    let near = suggest(&written, names)
        .map(|near| format!("did you mean `{near}`? "))
        .unwrap_or_default();
    let found = if written.is_empty() {
        "a list or a mapping".to_string()
    } else {
        format!("`{written}`")
    };
    reader.error(
        span,
        format!("`raw_html` should be `allow`, `sanitize` or `escape`, found {found}"),
        &format!(
            "{near}`allow` (the default) publishes raw HTML in documents as written; \
             `sanitize` keeps what is safe (tables, images, ids, anchors) and drops scripts, \
             frames, forms, styles and event handlers; `escape` shows it as text"
        ),
    );
    RawHtml::default()
}

fn read_tags(reader: &mut FieldReader, value: Option<&Value>) -> Vec<DeclaredTag> {
    let items = match value {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(items)) => items,
        Some(_) => {
            let span = reader.key_span("tags");
            reader.error(
                span,
                "`tags` should be a list of tags".into(),
                "write each tag as `- slug: peer-review` with `title:` and `description:` below it",
            );
            return Vec::new();
        }
    };
    let places = reader.list_items("tags");
    let mut tags: Vec<(DeclaredTag, TagPlace)> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let place = TagPlace {
            item: places.get(index).cloned(),
        };
        let Some(tag) = read_tag(reader, item, &place) else {
            continue;
        };
        if tags.iter().any(|(t, _)| t.slug == tag.slug) {
            let span = place.span(reader, "slug", &tag.slug);
            reader.error(
                span,
                format!("tag `{}` is declared twice", tag.slug),
                "remove one of the two declarations",
            );
            continue;
        }
        tags.push((tag, place));
    }
    check_parents(reader, &tags);
    tags.into_iter().map(|(tag, _)| tag).collect()
}

/// Where a declared tag is written: its item of a block list, or nothing
/// known for a `[…]` list, whose text is searched instead.
struct TagPlace {
    item: Option<std::ops::Range<usize>>,
}

impl TagPlace {
    /// Where `field` is written (`needle` is its value, for a `[…]` list).
    fn span(&self, reader: &FieldReader, field: &str, needle: &str) -> Span {
        match &self.item {
            Some(item) => reader.span_in(item.clone(), field),
            None => reader.item_span("tags", needle),
        }
    }
}

fn read_tag(reader: &mut FieldReader, item: &Value, place: &TagPlace) -> Option<DeclaredTag> {
    let text = |key: &str| item.get(key).and_then(Value::as_str).map(str::trim);
    let Some(written) = text("slug").or_else(|| item.as_str()) else {
        let span = place.span(reader, "-", "");
        reader.error(
            span,
            "a tag in `tags` has no `slug`".into(),
            "every declared tag needs `slug:`, for example `- slug: cold-chain`",
        );
        return None;
    };
    let slug = slug::slugify(written);
    // Found in the text only for a message: searching for every one of
    // thousands of declared tags made reading community.yaml quadratic.
    let span = || place.span(reader, "slug", written);
    if slug.is_empty() {
        reader.error(
            span(),
            format!("tag slug `{written}` has no letters or digits"),
            "use lowercase words joined by hyphens, like `cold-chain`",
        );
        return None;
    }
    if slug != written {
        reader.warning(
            span(),
            format!("tag slug `{written}` is not in slug form; it is used as `{slug}`"),
            format!("write `slug: {slug}`"),
        );
    }
    let archived = match item.get("archived") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(archived)) => *archived,
        Some(other) => {
            let span = place.span(reader, "archived", "archived");
            reader.error(
                span,
                format!(
                    "`archived` of tag `{slug}` should be true or false, found {}",
                    describe(other)
                ),
                "write `archived: true` for a topic that is history",
            );
            false
        }
    };
    Some(DeclaredTag {
        title: text("title").map_or_else(|| title_from_slug(&slug), str::to_string),
        description: text("description").unwrap_or_default().to_string(),
        parent: text("parent").map(slug::slugify),
        archived,
        slug,
    })
}

/// A parent must be another declared tag; the suggestion is never the tag
/// itself, which cannot be its own parent.
fn check_parents(reader: &mut FieldReader, tags: &[(DeclaredTag, TagPlace)]) {
    for (tag, place) in tags {
        let Some(parent) = &tag.parent else { continue };
        if parent != &tag.slug && tags.iter().any(|(t, _)| &t.slug == parent) {
            continue;
        }
        let span = place.span(reader, "parent", &format!("parent: {parent}"));
        if parent == &tag.slug {
            reader.error(
                span,
                format!("tag `{parent}` is its own parent"),
                "remove `parent:`, or name the broader tag this one belongs under",
            );
            continue;
        }
        let others = tags
            .iter()
            .map(|(t, _)| t.slug.as_str())
            .filter(|s| *s != tag.slug);
        let hint = match suggest(parent, others) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "a parent must be another tag declared in `tags`".into(),
        };
        reader.error(
            span,
            format!(
                "tag `{}` has parent `{parent}`, which is not a declared tag",
                tag.slug
            ),
            &hint,
        );
    }
}

fn read_gaps(reader: &mut FieldReader, value: Option<&Value>) -> GapSettings {
    let mut settings = GapSettings::default();
    let map = match value {
        None | Some(Value::Null) => return settings,
        Some(Value::Object(map)) => map,
        Some(other) => {
            let span = reader.key_span("gaps");
            reader.error(
                span,
                format!("`gaps` should be settings, found {}", describe(other)),
                "write the settings indented under it, like `gaps:` and then `  stale_after_months: 18`",
            );
            return settings;
        }
    };
    // An empty setting is left at its default, as empty keys are elsewhere.
    for (key, value) in map.iter().filter(|(_, value)| !value.is_null()) {
        let span = reader.item_span("gaps", key);
        match (key.as_str(), GAP_FIELDS.iter().find(|f| f.key == key)) {
            ("evidence", _) => settings.evidence = read_evidence(reader, span, value),
            ("rules", _) => settings.rules = read_rules(reader, span, value),
            (_, Some(field)) => read_count(reader, span, field, value, &mut settings),
            (_, None) => reader.warning(
                span,
                format!("unknown gap setting `{key}` is ignored"),
                format!(
                    "known gap settings: {}",
                    GAP_FIELDS
                        .iter()
                        .map(|f| f.key)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        }
    }
    settings
}

/// A whole-number gap setting in its field's range.
fn read_count(
    reader: &mut FieldReader,
    span: Span,
    field: &Field,
    value: &Value,
    settings: &mut GapSettings,
) {
    let Shape::Count { min, max } = field.shape else {
        return;
    };
    let key = field.key;
    let n = value.as_i64().filter(|n| (min..=max).contains(n));
    if n.is_some_and(|n| settings.set_count(key, n)) {
        return;
    }
    let example = match field.default {
        Some(Literal::Count(n)) => n,
        _ => min,
    };
    reader.error(
        span,
        format!("`gaps.{key}` should be a whole number from {min} to {max}"),
        &format!("for example `{key}: {example}`"),
    );
}

/// `evidence:`, a kind or a list of them; a word that is not one is an
/// error, and leaves the default.
fn read_evidence(reader: &mut FieldReader, span: Span, value: &Value) -> Evidence {
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    let names = Evidence::KINDS.map(Kind::name);
    let kinds: Option<Vec<Kind>> = items
        .iter()
        .map(|item| {
            let word = item.as_str()?;
            Evidence::KINDS
                .into_iter()
                .find(|k| k.name().eq_ignore_ascii_case(word))
        })
        .collect();
    match kinds {
        Some(mut kinds) => {
            kinds.dedup();
            Evidence { kinds }
        }
        None => {
            reader.error(
                span,
                format!(
                    "`gaps.evidence` should list kinds of document: {}",
                    names.join(", ")
                ),
                "for example `evidence: [case-study, guide]`",
            );
            Evidence::default()
        }
    }
}

/// `rules:`, each rule by name: `on`, `off` or a weight.
fn read_rules(reader: &mut FieldReader, span: Span, value: &Value) -> RuleSettings {
    let mut rules = RuleSettings::default();
    let Value::Object(map) = value else {
        reader.error(
            span,
            format!("`gaps.rules` should be settings, found {}", describe(value)),
            "write each rule indented under it, like `  no-practice: off`",
        );
        return rules;
    };
    let names = Rule::ALL.map(Rule::name);
    for (name, value) in map.iter().filter(|(_, value)| !value.is_null()) {
        // Searched for in the text under `gaps`, which holds `rules`.
        let span = reader.item_span("gaps", &format!("{name}:"));
        let Some(rule) = Rule::parse(name) else {
            let near = suggest(name, names)
                .map(|near| format!("did you mean `{near}`? "))
                .unwrap_or_default();
            reader.warning(
                span,
                format!("unknown gap rule `{name}` is ignored"),
                format!("{near}the rules are: {}", names.join(", ")),
            );
            continue;
        };
        match weight(rule, value) {
            Some(weight) => rules.set(rule, weight),
            None => reader.error(
                span,
                format!("`gaps.rules.{name}` should be `on`, `off` or a weight from 0 to 100"),
                &format!(
                    "for example `{name}: off`, or `{name}: {}`",
                    rule.default_weight()
                ),
            ),
        }
    }
    rules
}

/// A rule's setting: `Some(None)` turns it off, `None` is not a setting.
fn weight(rule: Rule, value: &Value) -> Option<Option<u32>> {
    let on = Some(Some(rule.default_weight()));
    match value {
        Value::Bool(true) => on,
        Value::Bool(false) => Some(None),
        Value::String(word) if word.eq_ignore_ascii_case("on") => on,
        Value::String(word) if word.eq_ignore_ascii_case("off") => Some(None),
        Value::Number(n) => match n.as_u64()? {
            0 => Some(None),
            n @ 1..=100 => Some(Some(n as u32)),
            _ => None,
        },
        _ => None,
    }
}

pub(crate) fn title_from_slug(slug: &str) -> String {
    let text = slug.replace('-', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> (Option<Config>, Vec<Diagnostic>) {
        parse(Path::new("/c"), text)
    }

    #[test]
    fn reads_settings_and_tags() {
        let (config, diagnostics) = parse_text(
            "title: T\nbase_url: https://x.org/kb/\ntags:\n  - slug: a\n    title: A\n  - slug: b\n    parent: a\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let config = config.unwrap();
        assert_eq!(config.base_url.as_deref(), Some("https://x.org/kb"));
        assert_eq!(config.tags.len(), 2);
        assert_eq!(config.tags[1].parent.as_deref(), Some("a"));
        assert_eq!(config.tags[1].title, "B");
        assert_eq!(config.gaps.stale_after_months, 18);
        assert_eq!(config.git_dates, GitDatesSetting::Auto);
    }

    #[test]
    fn git_dates_setting() {
        let setting = |text: &str| parse_text(text).0.unwrap().git_dates;
        assert_eq!(
            setting("title: T\ngit_dates: false\n"),
            GitDatesSetting::Never
        );
        assert_eq!(
            setting("title: T\ngit_dates: true\n"),
            GitDatesSetting::Always
        );
        assert_eq!(
            setting("title: T\ngit_dates: auto\n"),
            GitDatesSetting::Auto
        );
        let (_, diagnostics) = parse_text("title: T\ngit_dates: sometimes\n");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].span(), Some(Span::new(2, 1)));
        assert!(diagnostics[0].message.contains("`auto`, `true` or `false`"));
    }

    #[test]
    fn gaps_must_be_settings_and_an_empty_one_keeps_its_default() {
        let (_, diagnostics) = parse_text("title: T\ngaps: 18\n");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(diagnostics[0].message.contains("`gaps` should be settings"));
        assert_eq!(diagnostics[0].span(), Some(Span::new(2, 1)));
        let (config, diagnostics) = parse_text("title: T\ngaps:\n  stale_after_months:\n");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(config.unwrap().gaps.stale_after_months, 18);
    }

    #[test]
    fn raw_html_setting() {
        let setting = |text: &str| parse_text(text).0.unwrap().raw_html;
        assert_eq!(setting("title: T\n"), RawHtml::Allow);
        assert_eq!(setting("title: T\nraw_html: allow\n"), RawHtml::Allow);
        assert_eq!(setting("title: T\nraw_html: sanitize\n"), RawHtml::Sanitize);
        assert_eq!(setting("title: T\nraw_html: escape\n"), RawHtml::Escape);
        for (text, at, found, near) in [
            (
                "title: T\nraw_html:   sanitise\n",
                Span::new(2, 13),
                "`sanitise`",
                true,
            ),
            (
                "title: T\nraw_html: true\n",
                Span::new(2, 11),
                "`true`",
                false,
            ),
            (
                "title: T\nraw_html:\n  - allow\n",
                Span::new(2, 1),
                "a list",
                false,
            ),
        ] {
            let (config, diagnostics) = parse_text(text);
            assert_eq!(config.unwrap().raw_html, RawHtml::Allow);
            assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
            let d = &diagnostics[0];
            assert_eq!(d.span(), Some(at), "{text}");
            assert_eq!(d.category, crate::support::diagnostic::Category::Settings);
            assert!(d.message.contains(found), "{}", d.message);
            let hint = d.hint.as_deref().unwrap_or_default();
            assert!(hint.contains("`sanitize` keeps"), "{hint}");
            assert_eq!(hint.starts_with("did you mean `sanitize`?"), near, "{hint}");
        }
    }

    #[test]
    fn unknown_key_warns_with_suggestion() {
        let (_, diagnostics) = parse_text("title: T\ndescripton: x\n");
        assert_eq!(diagnostics.len(), 1);
        assert!(
            diagnostics[0]
                .message
                .contains("did you mean `description`")
        );
        assert_eq!(diagnostics[0].span(), Some(Span::new(2, 1)));
        // `title` is there already: renaming `titel` to it cannot be right.
        let (_, diagnostics) = parse_text("title: T\ntitel: x\n");
        assert_eq!(diagnostics.len(), 1);
        assert!(
            !diagnostics[0].message.contains("did you mean"),
            "{diagnostics:?}"
        );
    }

    #[test]
    fn bad_parent_and_empty_slug_are_settings_errors() {
        let (_, diagnostics) =
            parse_text("title: T\ntags:\n  - slug: a\n    parent: nope\n  - slug: '!!'\n");
        assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
        assert!(
            diagnostics
                .iter()
                .all(|d| d.category == crate::support::diagnostic::Category::Settings)
        );
        assert!(diagnostics.iter().any(|d| d.message.contains("no letters")));
        assert!(
            diagnostics
                .iter()
                .any(|d| d.message.contains("parent `nope`") && d.span().unwrap().line == 4)
        );
    }
}
