//! `practica import`: another engine's site (Hugo, Jekyll, Zola, MkDocs,
//! an Obsidian vault) into a new community, never writing in the source.
//!
//! Each engine module reads its site into one [`source::SourceSite`]:
//! pages with their front matter, old addresses and bodies, and the files
//! it publishes. Then, for every engine alike: each page gets a kind and a
//! place (`plan`), its engine syntax is converted (the engine's `body`),
//! its links rewritten (`links`), its front matter mapped (`convert`);
//! authors get member profiles and tags a domain map; and what could not
//! be converted is reported at its `file:line` in the source.

mod convert;
mod hugo;
mod jekyll;
mod links;
mod mkdocs;
mod obsidian;
mod source;
mod zola;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::model::document::Kind;
use crate::support::diagnostic::{Diagnostic, LineIndex, Span};
use crate::support::markdown::{self, Reading};
use links::Resolver;
use source::{SourcePage, SourceSite, join};

/// The engines `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Hugo,
    Jekyll,
    Zola,
    MkDocs,
    Obsidian,
}

impl Engine {
    /// What its sources are called: `Hugo site`, `Obsidian vault`.
    pub fn source_name(self) -> &'static str {
        match self {
            Engine::Hugo => "Hugo site",
            Engine::Jekyll => "Jekyll site",
            Engine::Zola => "Zola site",
            Engine::MkDocs => "MkDocs project",
            Engine::Obsidian => "Obsidian vault",
        }
    }

    /// `a Hugo site`, `an Obsidian vault`.
    pub fn a_source(self) -> String {
        let name = self.source_name();
        let article = if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {name}")
    }

    /// The engine whose files a folder holds. Zola is asked before Hugo:
    /// both have `config.toml` and `content/`, and Zola's is the stricter sign.
    pub fn detect(root: &Path) -> Option<Engine> {
        [
            (Engine::Obsidian, obsidian::detect as fn(&Path) -> bool),
            (Engine::MkDocs, mkdocs::detect),
            (Engine::Jekyll, jekyll::detect),
            (Engine::Zola, zola::detect),
            (Engine::Hugo, hugo::detect),
        ]
        .into_iter()
        .find(|(_, detect)| detect(root))
        .map(|(engine, _)| engine)
    }

    fn read(self, root: &Path) -> Result<SourceSite, Diagnostic> {
        match self {
            Engine::Hugo => hugo::read(root),
            Engine::Jekyll => jekyll::read(root),
            Engine::Zola => zola::read(root),
            Engine::MkDocs => mkdocs::read(root),
            Engine::Obsidian => obsidian::read(root),
        }
    }

    /// The engine's own syntax in a body, converted where practica has an
    /// equivalent. Lines stay where they were, so every position in the
    /// result is a position in the source.
    fn body(self, text: &str, cx: &BodyContext) -> Body {
        match self {
            Engine::Hugo => hugo::body(text, cx),
            Engine::Jekyll => jekyll::body(text, cx),
            Engine::Zola => zola::body(text),
            Engine::MkDocs => mkdocs::body(text),
            Engine::Obsidian => obsidian::body(text),
        }
    }
}

/// What `import` is asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub source: PathBuf,
    pub dest: PathBuf,
    /// `None` detects it from the source's files.
    pub engine: Option<Engine>,
    /// Folder (or file) rules, which win over the defaults.
    pub rules: Vec<FolderRule>,
    /// Plan and report only; write nothing.
    pub dry_run: bool,
}

/// `--map FOLDER=KIND`: the pages under a folder of the content (or one
/// file) become documents of a kind, or are left out (`skip`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderRule {
    /// Relative to the content folder, `/`-separated; `` (written `.`) is
    /// every page no other rule takes.
    folder: String,
    placement: Placement,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    Kind(Kind),
    Skip,
}

impl FromStr for FolderRule {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let Some((folder, kind)) = text.rsplit_once('=') else {
            return Err(format!(
                "`{text}` is not FOLDER=KIND, like `posts=case-study`"
            ));
        };
        let kind = kind.trim();
        let placement = if kind == "skip" {
            Placement::Skip
        } else {
            let found = Kind::ALL
                .into_iter()
                .find(|k| k.name() == kind || k.section() == kind);
            Placement::Kind(found.ok_or_else(|| {
                format!("`{kind}` is not a kind: practice, guide, case-study, member or skip")
            })?)
        };
        let folder = folder.trim().trim_matches('/');
        let folder = if folder == "." { "" } else { folder };
        Ok(FolderRule {
            folder: folder.to_string(),
            placement,
        })
    }
}

/// The folder names each kind takes when no rule says otherwise; any
/// other page becomes a guide.
const DEFAULT_FOLDERS: &[(&str, Kind)] = &[
    ("practices", Kind::Practice),
    ("practice", Kind::Practice),
    ("patterns", Kind::Practice),
    ("playbook", Kind::Practice),
    ("playbooks", Kind::Practice),
    ("methods", Kind::Practice),
    ("guides", Kind::Guide),
    ("guide", Kind::Guide),
    ("docs", Kind::Guide),
    ("tutorials", Kind::Guide),
    ("how-to", Kind::Guide),
    ("howto", Kind::Guide),
    ("handbook", Kind::Guide),
    ("case-studies", Kind::CaseStudy),
    ("case-study", Kind::CaseStudy),
    ("cases", Kind::CaseStudy),
    ("stories", Kind::CaseStudy),
    ("posts", Kind::CaseStudy),
    ("post", Kind::CaseStudy),
    ("blog", Kind::CaseStudy),
    ("news", Kind::CaseStudy),
    ("_posts", Kind::CaseStudy),
    ("_drafts", Kind::CaseStudy),
    ("members", Kind::Member),
    ("people", Kind::Member),
    ("authors", Kind::Member),
    ("team", Kind::Member),
];

/// What `import` did, or would do on a dry run.
#[derive(Debug)]
pub struct ImportReport {
    pub engine: Engine,
    pub pages: Vec<PagePlan>,
    /// Files copied to `static/`.
    pub static_files: usize,
    /// Member profiles started for authors, by path in the community.
    pub members_started: Vec<String>,
    /// Tags declared in `community.yaml`.
    pub tags: Vec<String>,
    /// What could not be converted, at its place in the source (paths
    /// relative to the source folder).
    pub leftovers: Vec<Diagnostic>,
    pub written: bool,
}

/// Where one page of the source goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagePlan {
    pub source: String,
    pub outcome: PageOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageOutcome {
    Imported { dest: String, kind: Kind },
    Skipped { reason: String },
}

impl fmt::Display for PagePlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.outcome {
            PageOutcome::Imported { dest, kind } => {
                write!(f, "{} → {dest} ({})", self.source, kind.name())
            }
            PageOutcome::Skipped { reason } => {
                write!(f, "{} → not imported: {reason}", self.source)
            }
        }
    }
}

/// Something a step could not convert, at a byte of the text it read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    pub(crate) at: usize,
    /// `at` as a line and column of the body, once known: a step that
    /// reads another step's result locates its problems in what it read.
    pub(crate) span: Option<Span>,
    pub(crate) message: String,
    pub(crate) hint: String,
    /// It is left in the imported page as written (the report says where).
    pub(crate) kept: bool,
}

impl Problem {
    pub(crate) fn new(message: String, hint: String) -> Self {
        Problem::at(0, message, hint)
    }

    pub(crate) fn at(at: usize, message: String, hint: String) -> Self {
        Problem {
            at,
            span: None,
            message,
            hint,
            kept: false,
        }
    }

    pub(crate) fn kept(mut self) -> Self {
        self.kept = true;
        self
    }
}

/// What an engine's body conversion gives back.
#[derive(Debug, Default)]
pub(crate) struct Body {
    pub(crate) text: String,
    pub(crate) problems: Vec<Problem>,
    /// Tags written in the text (a vault's `#tags`).
    pub(crate) tags: Vec<String>,
}

/// What an engine's body conversion may consult.
pub(crate) struct BodyContext<'a> {
    pub(crate) page: usize,
    pub(crate) site: &'a SourceSite,
    pub(crate) resolver: &'a Resolver<'a>,
}

/// A page's kind and place in the community.
#[derive(Debug, Clone)]
pub(crate) struct Dest {
    pub(crate) kind: Kind,
    /// Relative to the community root: `guides/setup/install.md`.
    pub(crate) path: String,
    pub(crate) slug: String,
    pub(crate) title: String,
    /// The title was the body's first heading, which the page then drops.
    pub(crate) title_from_heading: bool,
    pub(crate) draft: bool,
    /// The ids practica gives its headings, for anchors.
    pub(crate) headings: Vec<Heading>,
}

#[derive(Debug, Clone)]
pub(crate) struct Heading {
    pub(crate) text: String,
    pub(crate) id: String,
}

/// Imports `options.source` into `options.dest`, or plans it on a dry
/// run. A refusal (no site, an engine not found, a destination that is
/// not empty or lies inside the source) writes nothing.
pub fn import(options: &ImportOptions) -> Result<ImportReport, Diagnostic> {
    let source = &options.source;
    if !source.is_dir() {
        return Err(
            Diagnostic::run_error(format!("{} is not a folder", source.display()))
                .with_hint("give the folder of the site to import"),
        );
    }
    refuse_dest(source, &options.dest)?;
    let engine = match options.engine {
        Some(engine) => engine,
        None => Engine::detect(source).ok_or_else(|| {
            Diagnostic::run_error(format!(
                "{} does not look like a Hugo, Jekyll, Zola, MkDocs or Obsidian site",
                source.display()
            ))
            .with_hint("name the engine with --from hugo|jekyll|zola|mkdocs|obsidian")
        })?,
    };
    let site = engine.read(source)?;
    let mut leftovers = site.notes.clone();
    let (dests, pages) = plan(&site, &options.rules, &mut leftovers);
    let resolver = Resolver::new(&site, &dests, engine == Engine::Obsidian);
    let converted = convert::convert(engine, &site, &dests, &resolver, &mut leftovers);
    let report = ImportReport {
        engine,
        pages,
        static_files: converted.statics.len(),
        members_started: converted.members_started.clone(),
        tags: converted.tags.clone(),
        leftovers: sorted(leftovers),
        written: false,
    };
    if options.dry_run {
        return Ok(report);
    }
    write(source, &options.dest, &converted)?;
    Ok(ImportReport {
        written: true,
        ..report
    })
}

fn sorted(mut leftovers: Vec<Diagnostic>) -> Vec<Diagnostic> {
    leftovers.sort_by(|a, b| a.origin.cmp(&b.origin).then(a.message.cmp(&b.message)));
    leftovers.dedup();
    leftovers
}

/// The destination must be new or empty, and outside the source: the
/// source is never written to, not even by accident.
fn refuse_dest(source: &Path, dest: &Path) -> Result<(), Diagnostic> {
    let source_real = std::fs::canonicalize(source).unwrap_or_else(|_| source.to_path_buf());
    let dest_real = resolved(dest);
    if dest_real.starts_with(&source_real) {
        return Err(Diagnostic::run_error(format!(
            "{} is inside the site being imported",
            dest.display()
        ))
        .with_hint("import into a folder outside it: the source is never written to"));
    }
    if dest.exists() {
        let empty = std::fs::read_dir(dest).map(|mut d| d.next().is_none());
        if !matches!(empty, Ok(true)) {
            return Err(Diagnostic::run_error(format!(
                "{} already exists and is not an empty folder",
                dest.display()
            ))
            .with_hint("import into a new or empty folder"));
        }
    }
    Ok(())
}

/// A path made absolute, `..` taken away, and links resolved in the part
/// that exists, so a destination inside the source is seen however it is written.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let mut plain = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::ParentDir => {
                plain.pop();
            }
            std::path::Component::CurDir => {}
            other => plain.push(other),
        }
    }
    let mut existing = plain.as_path();
    let mut rest = Vec::new();
    while let (false, Some(parent), Some(name)) =
        (existing.exists(), existing.parent(), existing.file_name())
    {
        rest.push(name);
        existing = parent;
    }
    let mut real = std::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    real.extend(rest.into_iter().rev());
    real
}

/// Each page's kind and place: by the rules, then the folder names
/// each kind takes, else a guide. Slugs stay unique in each section.
fn plan(
    site: &SourceSite,
    rules: &[FolderRule],
    leftovers: &mut Vec<Diagnostic>,
) -> (Vec<Option<Dest>>, Vec<PagePlan>) {
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut dests = Vec::with_capacity(site.pages.len());
    let mut plans = Vec::with_capacity(site.pages.len());
    for page in &site.pages {
        let placed = place(site, page, rules, &mut taken, leftovers);
        let outcome = match &placed {
            Ok(dest) => PageOutcome::Imported {
                dest: dest.path.clone(),
                kind: dest.kind,
            },
            Err(reason) => PageOutcome::Skipped {
                reason: reason.clone(),
            },
        };
        plans.push(PagePlan {
            source: page.path.clone(),
            outcome,
        });
        dests.push(placed.ok());
    }
    (dests, plans)
}

fn place(
    site: &SourceSite,
    page: &SourcePage,
    rules: &[FolderRule],
    taken: &mut std::collections::HashSet<String>,
    leftovers: &mut Vec<Diagnostic>,
) -> Result<Dest, String> {
    let within = page
        .path
        .strip_prefix(&site.content_dir)
        .unwrap_or(&page.path)
        .trim_start_matches('/');
    let (kind, prefix) = match kind_of(within, &page.folder, rules) {
        (Placement::Skip, _) => return Err("--map says skip".into()),
        (Placement::Kind(kind), prefix) => (kind, prefix),
    };
    // A blank page still has its front matter to give; a section's list
    // page or one of only template code has nothing practica would show.
    if page.section_page && !has_text(&page.body) {
        return Err(
            "a section's list page with no text of its own; practica makes section pages itself"
                .into(),
        );
    }
    if !page.body.trim().is_empty() && !has_text(&page.body) {
        return Err("only template code, no text of its own".into());
    }
    let (title, title_from_heading) = convert::title(page);
    let name = match (page.stem.is_empty(), page.front.string("slug")) {
        (_, Some(slug)) if !slug::slugify(&slug).is_empty() => slug,
        (false, _) => page.stem.clone(),
        (true, _) => title.clone(),
    };
    let mut slug = slug::slugify(&name);
    if slug.is_empty() {
        slug = "home".into();
    }
    let sub = page
        .folder
        .strip_prefix(prefix.as_str())
        .unwrap_or(&page.folder)
        .trim_matches('/');
    let sub = if page.section_page {
        source::parent_of(sub)
    } else {
        sub
    };
    let sub: Vec<String> = sub
        .split('/')
        .map(slug::slugify)
        .filter(|s| !s.is_empty())
        .collect();
    let wanted = slug.clone();
    let mut n = 1;
    while !taken.insert(format!("{}/{slug}", kind.section())) {
        n += 1;
        slug = format!("{wanted}-{n}");
    }
    if n > 1 {
        leftovers.push(
            Diagnostic::warning_in(
                &page.path,
                format!("another page of the {} already has the slug `{wanted}`: this one is `{slug}`", kind.plural().to_lowercase()),
            )
            .with_hint("a section's slugs are unique in practica; rename the file if another name suits it better"),
        );
    }
    let folder = join(kind.section(), &sub.join("/"));
    let (headings, draft) = (headings_of(&page.body), convert::is_draft(page));
    Ok(Dest {
        kind,
        path: format!("{folder}/{slug}.md"),
        slug,
        title,
        title_from_heading,
        draft,
        headings,
    })
}

/// The placement of a page, and the folder of the rule that gave it (its
/// subfolders are kept under the section).
fn kind_of(within: &str, folder: &str, rules: &[FolderRule]) -> (Placement, String) {
    let covers = |rule: &str, path: &str| {
        rule.is_empty() || path == rule || path.starts_with(&format!("{rule}/"))
    };
    let by_rule = rules
        .iter()
        .filter(|r| covers(&r.folder, within) || covers(&r.folder, folder))
        .max_by_key(|r| r.folder.len());
    if let Some(rule) = by_rule.filter(|r| !r.folder.is_empty()) {
        let prefix = if covers(&rule.folder, folder) {
            rule.folder.clone()
        } else {
            String::new()
        };
        return (rule.placement, prefix);
    }
    let mut prefix = String::new();
    for part in folder.split('/').filter(|p| !p.is_empty()) {
        prefix = join(&prefix, part);
        // Jekyll's collections are folders named `_NAME`.
        let lower = part.to_lowercase();
        let bare = lower.trim_start_matches('_');
        let named = |name: &&str| *name == lower || *name == bare;
        if let Some((_, kind)) = DEFAULT_FOLDERS.iter().find(|(name, _)| named(name)) {
            return (Placement::Kind(*kind), prefix);
        }
    }
    let fallback = by_rule.map_or(Placement::Kind(Kind::Guide), |r| r.placement);
    (fallback, String::new())
}

/// Whether a body has words outside template code and HTML tags.
fn has_text(body: &str) -> bool {
    let mut rest = body;
    // A closer missing once is missing for every later opener: not looked for again.
    let mut missing: Vec<&str> = Vec::new();
    while let Some(at) = rest.find(['{', '<']) {
        if rest[..at].chars().any(char::is_alphanumeric) {
            return true;
        }
        let closer = match &rest[at..] {
            s if s.starts_with("{{") => "}}",
            s if s.starts_with("{%") => "%}",
            s if s.starts_with('<') => ">",
            _ => "",
        };
        let after = at + 1;
        let end = (!closer.is_empty() && !missing.contains(&closer))
            .then(|| rest[after..].find(closer))
            .flatten();
        if end.is_none() && !closer.is_empty() && !missing.contains(&closer) {
            missing.push(closer);
        }
        rest = match end {
            Some(end) => &rest[after + end + closer.len()..],
            None => &rest[after..],
        };
    }
    rest.chars().any(char::is_alphanumeric)
}

fn headings_of(body: &str) -> Vec<Heading> {
    let (scan, _) = markdown::read(
        body,
        Reading::Outline,
        crate::support::raw_html::RawHtml::Allow,
    );
    scan.headings
        .into_iter()
        .map(|h| Heading {
            text: h.text,
            id: h.id,
        })
        .collect()
}

/// A problem of page `page`'s body at `span` of the body, as a report
/// line at its place in the source.
pub(crate) fn at_body(page: &SourcePage, span: Span, problem: &Problem) -> Diagnostic {
    let line = page.body_line + span.line - 1;
    Diagnostic::warning(&page.path, Span::new(line, span.col), &problem.message)
        .with_hint(&problem.hint)
}

/// Each problem with its place in `text`, the text it was found in
/// (unless a step located it already, in the text it read).
pub(crate) fn located<'p>(problems: &'p [Problem], text: &str) -> Vec<(Span, &'p Problem)> {
    let index = LineIndex::new(text);
    problems
        .iter()
        .map(|p| (p.span.unwrap_or_else(|| index.span(p.at)), p))
        .collect()
}

/// Gives each problem not located yet its place in `text`.
pub(crate) fn locate(problems: &mut [Problem], text: &str) {
    let index = LineIndex::new(text);
    for problem in problems.iter_mut().filter(|p| p.span.is_none()) {
        problem.span = Some(index.span(problem.at));
    }
}

/// What `convert` made: every file of the new community.
pub(crate) struct Converted {
    /// Path in the community → text.
    pub(crate) texts: Vec<(String, String)>,
    /// (source path, path under `static/`).
    pub(crate) statics: Vec<(String, String)>,
    pub(crate) members_started: Vec<String>,
    pub(crate) tags: Vec<String>,
}

/// Writes the community into a hidden folder beside DEST, then moves it
/// into place: an import that fails half-way leaves no half community.
fn write(source: &Path, dest: &Path, converted: &Converted) -> Result<(), Diagnostic> {
    let failed = |what: &str, path: &Path, e: std::io::Error| {
        Diagnostic::run_error(format!("cannot {what} {}: {e}", path.display()))
            .with_hint("check the destination's permissions and free space")
    };
    let absolute = std::env::current_dir()
        .map(|cwd| cwd.join(dest))
        .unwrap_or_else(|_| dest.to_path_buf());
    let parent = absolute.parent().unwrap_or(Path::new("."));
    let name = absolute
        .file_name()
        .map_or("import".into(), |n| n.to_string_lossy().into_owned());
    std::fs::create_dir_all(parent).map_err(|e| failed("create", parent, e))?;
    let staging = parent.join(format!(".{name}.practica-import-{}", std::process::id()));
    let result = (|| {
        std::fs::create_dir_all(&staging).map_err(|e| failed("create", &staging, e))?;
        for (path, text) in &converted.texts {
            let to = staging.join(path);
            if let Some(folder) = to.parent() {
                std::fs::create_dir_all(folder).map_err(|e| failed("create", folder, e))?;
            }
            std::fs::write(&to, text).map_err(|e| failed("write", &to, e))?;
        }
        for (from, to) in &converted.statics {
            let to = staging.join("static").join(to);
            if let Some(folder) = to.parent() {
                std::fs::create_dir_all(folder).map_err(|e| failed("create", folder, e))?;
            }
            std::fs::copy(source.join(from), &to)
                .map_err(|e| failed("copy", &source.join(from), e))?;
        }
        if dest.exists() {
            std::fs::remove_dir(dest).map_err(|e| failed("replace", dest, e))?;
        }
        std::fs::rename(&staging, dest).map_err(|e| failed("move the community to", dest, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(text: &str) -> FolderRule {
        text.parse().unwrap()
    }

    #[test]
    fn rules_parse_kinds_sections_and_skip() {
        assert_eq!(
            rule("posts=case-study").placement,
            Placement::Kind(Kind::CaseStudy)
        );
        assert_eq!(rule("posts/=guides").folder, "posts");
        assert_eq!(rule(".=skip").folder, "");
        assert!("posts".parse::<FolderRule>().is_err());
        assert!("posts=blog".parse::<FolderRule>().is_err());
    }

    #[test]
    fn kinds_come_from_rules_then_folder_names() {
        let rules = vec![rule("notes=practice"), rule("notes/old=skip")];
        let kind = |within: &str, folder: &str| kind_of(within, folder, &rules);
        assert_eq!(
            kind("notes/a.md", "notes"),
            (Placement::Kind(Kind::Practice), "notes".into())
        );
        assert_eq!(
            kind("notes/old/a.md", "notes/old"),
            (Placement::Skip, "notes/old".into())
        );
        assert_eq!(
            kind("blog/2019/a.md", "blog/2019"),
            (Placement::Kind(Kind::CaseStudy), "blog".into())
        );
        assert_eq!(
            kind("about.md", ""),
            (Placement::Kind(Kind::Guide), String::new())
        );
        let all = vec![rule(".=practice")];
        assert_eq!(
            kind_of("about.md", "", &all).0,
            Placement::Kind(Kind::Practice)
        );
        assert_eq!(
            kind_of("people/a.md", "people", &all).0,
            Placement::Kind(Kind::Member)
        );
    }

    #[test]
    fn template_code_is_not_text() {
        assert!(!has_text(
            "{% for post in site.posts %}\n<li>{{ post.title }}</li>\n{% endfor %}\n"
        ));
        assert!(!has_text("\n\n"));
        assert!(has_text("Hello {{ site.title }}"));
        assert!(has_text("a < b"));
    }
}
