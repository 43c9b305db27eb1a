//! The interface in the community's language: the example built in each
//! shipped language shows no English label on any page (nor in the search
//! index), the English strings taken from the English labels file so this
//! test follows it; `labels:` overrides; an unshipped language falls back
//! to English with a warning.
//!
//! The example's content is English, and some of it reads like a label
//! ("Related", "Next"). So each English string is counted on each page of
//! a build whose every label is replaced by a sentinel (what the content
//! alone holds) and must be counted no more often in a translated build.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{Fixture, doc, find};
use practica::Severity;

const LANGUAGES: [&str; 4] = ["fr", "es", "de", "pt"];

fn labels_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/labels")
}

/// Each key of a labels file, with its text or its `one` and `other` forms.
fn labels(language: &str) -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(labels_dir().join(format!("{language}.yaml"))).unwrap();
    let map: BTreeMap<String, serde_yaml::Value> = serde_yaml::from_str(&text).unwrap();
    map.into_iter()
        .map(|(key, value)| {
            let forms = match value {
                serde_yaml::Value::String(text) => vec![text],
                serde_yaml::Value::Mapping(forms) => forms
                    .values()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                other => panic!("{language} {key}: {other:?}"),
            };
            (key, forms)
        })
        .collect()
}

/// The example built with `settings` in place of its `language: en` line.
fn build_example(into: &Path, settings: &str) -> PathBuf {
    let root = into.join("community");
    common::copy_example(&root);
    let config = root.join("community.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("\nlanguage: en\n"));
    std::fs::write(
        &config,
        text.replace("\nlanguage: en\n", &format!("\n{settings}\n")),
    )
    .unwrap();
    let out = into.join("site");
    // Without history: the copy is in no git repository, and git's own
    // message for that is not the interface's to translate.
    let report = practica::build(&practica::BuildOptions {
        output: Some(out.clone()),
        history: false,
        ..practica::BuildOptions::new(&root)
    });
    assert!(report.written, "{:?}", report.diagnostics);
    let warnings: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("label"))
        .collect();
    assert!(warnings.is_empty(), "{warnings:?}");
    out
}

/// Every page, the search index's documents, and `practica report`'s
/// markdown and HTML (as `report.md`, `report.html`), by path.
fn texts(site: &Path) -> BTreeMap<String, String> {
    let mut texts = pages(site);
    let root = site.parent().unwrap().join("community");
    for (name, format) in [
        ("report.md", practica::ReportFormat::Markdown),
        ("report.html", practica::ReportFormat::Html),
    ] {
        let report = practica::report(&practica::ReportRequest {
            format,
            history: false,
            ..practica::ReportRequest::new(&root)
        });
        texts.insert(name.into(), report.text.expect("a report"));
    }
    texts
}

fn pages(site: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .flatten()
        .filter(|e| {
            let path = e.path().to_string_lossy();
            // the documents of the search index (their kind's label); its
            // word shards follow the language's stemmer, not its labels
            path.ends_with(".html") || (path.contains("/search/d/") && path.ends_with(".js"))
        })
        .map(|e| {
            let path = e
                .path()
                .strip_prefix(site)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (path, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// How often `word` stands in `text` as a whole (not inside a longer word),
/// as written or HTML-escaped.
fn count(text: &str, word: &str) -> usize {
    let escaped = word
        .replace('&', "&amp;")
        .replace('\'', "&#39;")
        .replace('"', "&quot;");
    let mut forms = vec![word.to_string()];
    if escaped != word {
        forms.push(escaped);
    }
    forms
        .iter()
        .map(|form| {
            text.match_indices(form.as_str())
                .filter(|(at, _)| {
                    let before = text[..*at].chars().next_back();
                    let after = text[at + form.len()..].chars().next();
                    !before.is_some_and(char::is_alphanumeric)
                        && !after.is_some_and(char::is_alphanumeric)
                })
                .count()
        })
        .sum()
}

/// The English labels' text between their `{…}`s, each at least two
/// letters, not also written in `language`'s labels (German says "Atom"
/// and French "Guide" too).
fn english_strings(language: Option<&str>) -> Vec<String> {
    let theirs: Vec<String> = language
        .map(|l| labels(l).into_values().flatten().collect())
        .unwrap_or_default();
    let mut found: Vec<String> = labels("en")
        .into_values()
        .flatten()
        .flat_map(|text| {
            text.split(['{', '}'])
                .step_by(2)
                .map(|part| part.trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|part| part.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .filter(|part| !theirs.iter().any(|t| t.contains(part.as_str())))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// `labels:` replacing every label with a sentinel no page's text holds,
/// keeping its `{…}`s: what they are filled with is content.
fn sentinel_labels() -> String {
    let mut yaml = String::from("language: en\nlabels:\n");
    for (i, (key, forms)) in labels("en").into_iter().enumerate() {
        let mut fills: Vec<&str> = forms
            .iter()
            .flat_map(|form| form.split('{').skip(1))
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        fills.sort_unstable();
        fills.dedup();
        let fills: String = fills.iter().map(|name| format!(" {{{name}}}")).collect();
        yaml.push_str(&format!("  {key}: \"⟦{i}⟧{fills}\"\n"));
    }
    yaml
}

/// English strings on `site`'s pages beyond what the content alone holds.
fn english_left(
    site: &Path,
    content_only: &BTreeMap<String, String>,
    strings: &[String],
) -> Vec<String> {
    let pages = texts(site);
    assert_eq!(
        pages.keys().collect::<Vec<_>>(),
        content_only.keys().collect::<Vec<_>>()
    );
    let mut left = Vec::new();
    for (path, text) in &pages {
        for s in strings {
            let (here, content) = (count(text, s), count(&content_only[path], s));
            if here > content {
                left.push(format!("{path}: “{s}” ({here} times, content {content})"));
            }
        }
    }
    left
}

/// All the example's own text: what its pages may show beyond labels.
fn example_sources() -> String {
    walkdir::WalkDir::new(common::example())
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect()
}

/// What a reader reads of a page: its text and the attributes shown or
/// spoken, not its addresses, classes or scripts.
fn readable(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let skip_to = ["<script", "<style"]
            .iter()
            .find(|tag| rest.starts_with(**tag))
            .map(|tag| format!("</{}>", &tag[1..]));
        let end = match &skip_to {
            Some(close) => rest.find(close.as_str()).map(|i| i + close.len()),
            None => rest.find('>').map(|i| i + 1),
        };
        let Some(end) = end else { break };
        let tag = &rest[..end];
        for attr in ["aria-label", "title", "placeholder", "alt", "content"] {
            let needle = format!(" {attr}=\"");
            if let Some(at) = tag.find(&needle) {
                let value = &tag[at + needle.len()..];
                out.push(' ');
                out.push_str(value.split('"').next().unwrap_or_default());
                out.push(' ');
            }
        }
        out.push(' ');
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// English strings of the labels that a build with every label replaced
/// still shows, and the example's files do not hold: written into a
/// template or the code instead of read from the labels.
fn hardwired(content_only: &BTreeMap<String, String>, strings: &[String]) -> Vec<String> {
    let sources = example_sources();
    let mut found = Vec::new();
    // The search index's documents are checked above; their addresses
    // ("members/…") are not words.
    let pages = content_only.iter().filter(|(p, _)| !p.ends_with(".js"));
    for (path, text) in pages {
        let text = readable(text);
        for s in strings {
            if count(&text, s) > 0 && count(&sources, s) == 0 {
                found.push(format!("{path}: “{s}”"));
            }
        }
    }
    found
}

#[test]
fn no_english_label_is_left_on_any_page_in_any_shipped_language() {
    let dir = tempfile::tempdir().unwrap();
    let content_only = texts(&build_example(
        &dir.path().join("sentinel"),
        &sentinel_labels(),
    ));
    let hard = hardwired(&content_only, &english_strings(None));
    assert!(
        hard.is_empty(),
        "English written past the labels:\n{}",
        hard.join("\n")
    );
    // Proof the method finds labels: in English, it finds many on every page.
    let english = build_example(&dir.path().join("en"), "language: en");
    let all_english = english_strings(None);
    let found = english_left(&english, &content_only, &all_english);
    for page in [
        "index.html",
        "practices/cold-chain-handover/index.html",
        "gaps/index.html",
        "search/index.html",
        "404.html",
        "insights/index.html",
        "report.md",
        "report.html",
    ] {
        assert!(
            found
                .iter()
                .filter(|f| f.starts_with(&format!("{page}:")))
                .count()
                >= 5,
            "{page}: {found:#?}"
        );
    }
    for language in LANGUAGES {
        let site = build_example(&dir.path().join(language), &format!("language: {language}"));
        let left = english_left(&site, &content_only, &english_strings(Some(language)));
        assert!(
            left.is_empty(),
            "{language}: English left on pages:\n{}",
            left.join("\n")
        );
        let home = std::fs::read_to_string(site.join("index.html")).unwrap();
        assert!(home.contains(&format!("<html lang=\"{language}\"")));
        let summary = &texts(&site)["report.html"];
        assert!(summary.contains(&format!("<html lang=\"{language}\"")));
    }
}

#[test]
fn dates_counts_and_search_strings_are_in_the_language() {
    let f = Fixture::with_config("title: Commons\nlanguage: de\n");
    f.write(
        "practices/handover.md",
        &doc(
            "title: Übergabe\ndate: 2024-03-05\nreview_by: 2099-12-01",
            "Die Schlüssel.\n",
        ),
    );
    f.write(
        "case-studies/a.md",
        &doc("title: A\npractices: [handover]", "Ein Fall.\n"),
    );
    let report = f.build();
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    let page = f.page("practices/handover/index.html");
    assert!(
        page.contains(r#"<time datetime="2024-03-05">5. März 2024</time>"#),
        "{page}"
    );
    assert!(
        page.contains(
            "Nächste Überprüfung: <time datetime=\"2099-12-01\">1. Dezember 2099</time>."
        )
    );
    assert!(page.contains("1 Min. Lesezeit"));
    assert!(page.contains(r#"<span class="kind kind-practice">Praxis</span>"#));
    // search.js's strings are in the page: no request of their own
    assert!(page.contains(r#"<script type="application/json" id="practica-labels">"#));
    assert!(
        page.contains(r#""no_results":"Keine Ergebnisse""#),
        "{page}"
    );
    let section = f.page("practices/index.html");
    assert!(
        section.contains("1 Dokument, das neueste zuerst."),
        "{section}"
    );
    let cases = f.page("case-studies/index.html");
    assert!(cases.contains("<h1>Fallstudien</h1>"));
}

#[test]
fn labels_override_any_string_and_unknown_ones_warn_with_a_suggestion() {
    let f = Fixture::with_config(
        "title: Commons\nlanguage: fr\nlabels:\n  search: Fouiller\n  results: {one: \"{n} trouvaille\", other: \"{n} trouvailles\"}\n  serch: Chercher\n  no_results: \"</script><!-- rien\"\n",
    );
    f.write("practices/a.md", &doc("title: A", "Texte.\n"));
    let report = f.build();
    let d = find(&report, "no label `serch`");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.path(), Some("community.yaml"));
    assert_eq!(d.span().map(|s| s.line), Some(6));
    assert!(
        d.hint
            .as_deref()
            .unwrap_or_default()
            .contains("did you mean `search`?")
    );
    let page = f.page("practices/a/index.html");
    assert!(page.contains(r#"placeholder="Fouiller""#), "{page}");
    assert!(page.contains(
        r#""results":{"one":"{n} trouvaille","other":"{n} trouvailles","zero_is_one":true}"#
    ));
    // a label cannot end the JSON block search.js reads, nor comment it out
    assert!(
        page.contains(r#""no_results":"\u003c/script>\u003c!-- rien""#),
        "{page}"
    );
    // the rest stays French
    assert!(page.contains(">Aller au contenu</a>"));
    let bad = Fixture::with_config("title: C\nlabels:\n  search: [a, b]\n");
    let report = bad.build();
    let d = find(&report, "`labels.search` should be a text");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.span().map(|s| s.line), Some(3));
}

#[test]
fn a_language_without_labels_falls_back_to_english_with_a_warning() {
    let f = Fixture::with_config("title: Commons\nlanguage: nl\n");
    f.write("practices/a.md", &doc("title: A", "Tekst.\n"));
    let report = f.build();
    let d = find(&report, "no labels in `nl`");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.span().map(|s| (s.line, s.col)), Some((2, 11)));
    assert!(
        d.hint
            .as_deref()
            .unwrap_or_default()
            .contains("en, fr, es, de, pt")
    );
    let page = f.page("practices/a/index.html");
    assert!(page.contains("<html lang=\"nl\""));
    assert!(page.contains(">Skip to content</a>"));
    // a regional tag takes its language's labels, without a word
    let f = Fixture::with_config("title: Commons\nlanguage: pt-BR\n");
    f.write("practices/a.md", &doc("title: A", "Texto.\n"));
    assert!(f.build().diagnostics.is_empty());
    assert!(
        f.page("practices/a/index.html")
            .contains(">Pular para o conteúdo</a>")
    );
}

#[test]
fn the_gap_maps_sentences_follow_the_language_and_the_command_line_stays_english() {
    let f = Fixture::with_config(
        "title: Commons\nlanguage: fr\ntags:\n  - slug: compost\n    title: Compostage\n",
    );
    f.write(
        "members/ana.md",
        "---\ntitle: Ana\nexpertise: [compost]\n---\nAna.\n",
    );
    f.write(
        "members/ben.md",
        "---\ntitle: Ben\nlearning: [compost]\n---\nBen.\n",
    );
    f.build();
    let page = f.page("gaps/index.html");
    for french in [
        "Rien n’est encore écrit sur Compostage, alors que 1 membre veut l’apprendre",
        "demandez à Ana (expert) d’écrire un premier guide ou une première pratique.",
        "Déclaré dans la carte du domaine, mais aucun document ne porte ce tag",
        "Score ",
        "1 apprenant + 1 pour la carte du domaine",
    ] {
        let french = french.replace('’', "&#39;");
        assert!(page.contains(&french), "{french}:\n{page}");
    }
    let tag = f.page("tags/compost/index.html");
    assert!(tag.contains("demandez à Ana (expert)"), "{tag}");
    // `practica gaps` is for stewards at a terminal: English, whatever the site's language
    let found = practica::gaps::gaps(&practica::gaps::GapsRequest::new(f.root().to_path_buf()))
        .found
        .unwrap();
    let table = practica::gaps::format::table(&found.site, &found.report);
    let table = table.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        table.contains("Nothing is written on Compostage yet, though 1 member wants to learn it: ask Ana (expert) to write a first guide or practice."),
        "{table}"
    );
    assert!(!table.contains("demandez"), "{table}");
}
