//! The gap analysis on fixture communities and on the example, with "today" fixed.

mod common;

use std::path::Path;

use common::{Fixture, doc, member};
use jiff::civil::date;
use practica::gaps::{Found, GapReport, GapsRequest, Rule};
use practica::link::Site;

/// The gaps of the community at `root` on `today`, found as `practica
/// gaps` finds them (settings, documents, dates from git, links).
fn gaps_of(root: &Path, today: jiff::civil::Date) -> Found {
    let outcome = practica::gaps::gaps(&GapsRequest {
        today: Some(today),
        ..GapsRequest::new(root.to_path_buf())
    });
    assert!(
        !outcome.diagnostics.iter().any(|d| d.is_error()),
        "{:?}",
        outcome.diagnostics
    );
    outcome.found.expect("the settings are read")
}

fn tag_rules(report: &GapReport, tag: &str) -> Vec<Rule> {
    report
        .findings
        .iter()
        .filter(|f| f.subject.topic() == Some(tag))
        .map(|f| f.rule)
        .collect()
}

fn document_rules(site: &Site, report: &GapReport, slug: &str) -> Vec<Rule> {
    report
        .findings
        .iter()
        .filter(|f| {
            f.subject
                .document()
                .is_some_and(|id| site.documents[id].slug == slug)
        })
        .map(|f| f.rule)
        .collect::<std::collections::BTreeSet<Rule>>()
        .into_iter()
        .collect()
}

/// Dated by front matter alone (`git_dates: false`): files written now
/// would otherwise count as updated today, and nothing would be stale.
fn fixture() -> Fixture {
    let f = Fixture::with_config(
        "title: T\ngit_dates: false\ntags:\n  - slug: empty\n  - slug: thin\n  - slug: solid\ngaps:\n  stale_after_months: 12\n",
    );
    f.write(
        "members/ann.md",
        &member("Ann", "expertise: [solid]\nmentor: true"),
    );
    f.write("members/bo.md", &member("Bo", "learning: [thin, empty]"));
    f.write(
        "practices/p1.md",
        &doc(
            "title: P1\ntags: [thin]\nauthors: [ann]\ndate: 2024-01-01\nreview_by: 2025-01-01",
            "",
        ),
    );
    f.write(
        "practices/p2.md",
        &doc(
            "title: P2\ntags: [thin, extra]\nauthors: [ann]\ndate: 2024-02-01",
            "[[p1]]\n",
        ),
    );
    f.write(
        "practices/p3.md",
        &doc(
            "title: P3\ntags: [solid]\nauthors: [ann]\ndate: 2026-10-01",
            "",
        ),
    );
    f.write(
        "guides/g.md",
        &doc(
            "title: G\ntags: [solid]\nauthors: [bo]\npractices: [p3]\ndate: 2026-09-01",
            "[[p3]]\n",
        ),
    );
    f.write(
        "case-studies/c.md",
        &doc(
            "title: C\ntags: [solid]\nauthors: [bo]\npractices: [p3]\ndate: 2026-11-01",
            "[[g]]\n",
        ),
    );
    f
}

#[test]
fn each_tag_rule_fires_where_it_should() {
    let f = fixture();
    let report = gaps_of(f.root(), date(2026, 11, 23)).report;
    assert_eq!(
        tag_rules(&report, "empty"),
        [Rule::NoContent, Rule::NoMentor]
    );
    let thin = tag_rules(&report, "thin");
    for rule in [
        Rule::NoGuide,
        Rule::NoEvidence,
        Rule::NoMentor,
        Rule::SingleVoice,
        Rule::Stale,
    ] {
        assert!(thin.contains(&rule), "thin lacks {rule:?}: {thin:?}");
    }
    assert!(!thin.contains(&Rule::NoContent) && !thin.contains(&Rule::NoPractice));
    assert_eq!(
        tag_rules(&report, "solid"),
        Vec::<Rule>::new(),
        "covered, evidenced, mentored, fresh, two voices"
    );
    assert!(tag_rules(&report, "extra").contains(&Rule::Undeclared));
    let (_, thin_counts) = report.tags.iter().find(|(slug, _)| slug == "thin").unwrap();
    assert_eq!(
        (
            thin_counts.practices,
            thin_counts.authors,
            thin_counts.learners,
            thin_counts.inbound_links
        ),
        (2, 1, 1, 1)
    );
}

#[test]
fn document_rules_and_injected_today() {
    let f = fixture();
    let Found { site, report, .. } = gaps_of(f.root(), date(2026, 11, 23));
    assert_eq!(
        document_rules(&site, &report, "p1"),
        [Rule::OverdueReview, Rule::Unproven]
    );
    assert_eq!(
        document_rules(&site, &report, "p2"),
        [Rule::Orphan, Rule::Unproven]
    );
    assert_eq!(
        document_rules(&site, &report, "p3"),
        Vec::<Rule>::new(),
        "cited by a case study"
    );
    assert_eq!(document_rules(&site, &report, "c"), [Rule::Orphan]);
    let Found {
        site: then,
        report: earlier,
        ..
    } = gaps_of(f.root(), date(2024, 6, 1));
    assert!(
        !document_rules(&then, &earlier, "p1").contains(&Rule::OverdueReview),
        "review not yet due then"
    );
    assert!(
        !tag_rules(&earlier, "thin").contains(&Rule::Stale),
        "not stale then"
    );
}

#[test]
fn ranking_is_by_score_then_stable() {
    let f = fixture();
    let report = gaps_of(f.root(), date(2026, 11, 23)).report;
    let entries = report.entries();
    assert!(
        entries
            .windows(2)
            .all(|w| (w[0].score(), w[0].demand()) >= (w[1].score(), w[1].demand()))
    );
    let subjects: std::collections::HashSet<_> = entries.iter().map(|e| e.subject).collect();
    assert_eq!(subjects.len(), entries.len(), "one entry per subject");
    let place = |rule: Rule, tag: &str| {
        report
            .findings
            .iter()
            .position(|f| f.rule == rule && f.subject.topic() == Some(tag))
            .unwrap()
    };
    assert!(
        place(Rule::NoContent, "empty") < place(Rule::Undeclared, "extra"),
        "a declared, wanted topic with nothing outranks a tag nobody asked for"
    );
    let again = gaps_of(f.root(), date(2026, 11, 23)).report;
    assert_eq!(report.findings, again.findings);
}

#[test]
fn the_example_shows_its_planted_gaps() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-community");
    let Found { site, report, .. } = gaps_of(&root, date(2026, 11, 23));
    for tag in ["grant-writing", "school-meals", "composting"] {
        assert!(tag_rules(&report, tag).contains(&Rule::NoContent), "{tag}");
    }
    assert!(tag_rules(&report, "gleaning").contains(&Rule::Undeclared));
    assert!(tag_rules(&report, "farm-surplus").contains(&Rule::Stale));
    assert!(tag_rules(&report, "policy").contains(&Rule::NoMentor));
    for practice in ["lone-working-check-ins", "field-gleaning-days"] {
        assert!(
            document_rules(&site, &report, practice).contains(&Rule::Unproven),
            "{practice}"
        );
    }
    let overdue = report
        .findings
        .iter()
        .filter(|f| f.rule == Rule::OverdueReview)
        .count();
    assert_eq!(overdue, 5);
}

fn practica(args: &[&str]) -> std::process::Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-community");
    common::practica_command()
        .args(args)
        .arg(root)
        .args(["--today", "2026-11-23"])
        .output()
        .unwrap()
}

#[test]
fn gaps_command_formats_fit_their_readers() {
    let table = practica(&["gaps"]);
    assert_eq!(table.status.code(), Some(0));
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.lines().all(|l| l.chars().count() <= 80),
        "fits 80 columns:\n{text}"
    );
    assert!(text.contains("no-content") && text.contains("#grant-writing"));
    let markdown = String::from_utf8(practica(&["gaps", "--format", "markdown"]).stdout).unwrap();
    assert!(markdown.starts_with("**"), "{markdown}");
    assert!(markdown.contains("| No content (`no-content`) | declared in the domain map"));
    let json: serde_json::Value =
        serde_json::from_slice(&practica(&["gaps", "--format", "json"]).stdout).unwrap();
    assert_eq!(json["schema_version"], 2);
    let first = &json["findings"][0];
    assert!(first["demand"].as_u64().unwrap() >= 1);
    assert!(
        first["label"]
            .as_str()
            .is_some_and(|l| l.starts_with(char::is_uppercase)),
        "a plain name: {first}"
    );
    let grants = json["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == "grant-writing")
        .unwrap();
    assert_eq!(grants["supply"]["practices"], 0);
    assert!(grants["demand"]["learners"].as_u64().unwrap() >= 1);
}

#[test]
fn gaps_fail_on_and_unknown_rules() {
    let fired = practica(&["gaps", "--fail-on", "no-content,stale"]);
    assert_eq!(fired.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&fired.stderr).contains("gap rules that fired: no-content, stale")
    );
    let quiet = practica(&["gaps", "--fail-on", "no-practice"]);
    assert_eq!(
        quiet.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&quiet.stderr)
    );
    let unknown = practica(&["gaps", "--fail-on", "no-contnet"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("the rules are: no-content, no-practice")
    );
}

fn built_example() -> (tempfile::TempDir, std::path::PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let mut options = practica::BuildOptions::new(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("example-community"),
    );
    options.output = Some(site.clone());
    options.today = Some(date(2026, 11, 23));
    assert!(practica::build(&options).written);
    (out, site)
}

#[test]
fn the_gap_map_page_heatmap_list_and_wanted_pages() {
    let (_out, site) = built_example();
    let page = std::fs::read_to_string(site.join("gaps/index.html")).unwrap();
    assert!(
        page.contains("<table class=\"heatmap\">"),
        "the heatmap is a table, its topic names a sticky column"
    );
    assert!(
        page.contains("<svg class=\"sparkline\""),
        "activity per topic, drawn at build time"
    );
    assert!(
        page.contains("<ul class=\"wanted-list\">"),
        "text that wraps"
    );
    assert!(page.contains("0 · gap"), "gap cells read without colour");
    assert!(
        page.contains("<caption id=\"heat-caption\">"),
        "a table twin for screen readers"
    );
    let scripts: Vec<&str> = page.split("<script").skip(1).collect();
    assert!(
        scripts.len() == 4
            && scripts[0].starts_with(">try{var s=localStorage.getItem(\"practica-scheme\")")
            && scripts[1].starts_with(" type=\"application/json\" id=\"practica-labels\"")
            && scripts[2].contains("assets/search.js")
            && scripts[3].contains("assets/page.js"),
        "the heatmap needs no JavaScript; only every page's colour scheme, search box (and its labels) and page.js have any"
    );
    let ranked = page.split("Topic gaps, most wanted first").nth(1).unwrap();
    assert!(ranked.contains("no-content") && ranked.contains("Grant writing"));
    let wanted = page.split("Wanted pages").nth(1).expect("wanted section");
    assert!(wanted.contains("Allergen labelling for redistributed food"));
    assert!(
        wanted.contains("start this page"),
        "edit_url allows starting the file"
    );
    assert!(wanted.contains(
        "/new/main?filename=guides/allergen-labelling-for-redistributed-food.md&amp;value=---"
    ));
    let home = std::fs::read_to_string(site.join("index.html")).unwrap();
    let top = home
        .split("Where we need help")
        .nth(1)
        .unwrap()
        .split("</ol>")
        .next()
        .unwrap();
    assert_eq!(
        top.matches("<li class=\"gap gap-").count(),
        5,
        "home shows the top five"
    );
    let tag = std::fs::read_to_string(site.join("tags/grant-writing/index.html")).unwrap();
    assert!(
        tag.split("Gaps in this topic")
            .nth(1)
            .unwrap()
            .contains("no-content")
    );
}

#[test]
fn gaps_json_equals_the_cli_and_graph_json_has_every_edge_kind() {
    let (_out, site) = built_example();
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("gaps.json")).unwrap()).unwrap();
    let printed: serde_json::Value =
        serde_json::from_slice(&practica(&["gaps", "--format", "json"]).stdout).unwrap();
    assert_eq!(written, printed);
    let graph: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("graph.json")).unwrap()).unwrap();
    let kinds: std::collections::BTreeSet<&str> = graph["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "authorship",
            "evidence",
            "expertise",
            "learning",
            "link",
            "tagging",
            "toolkit-item"
        ]
    );
    let nodes = graph["nodes"].as_array().unwrap();
    assert!(
        nodes
            .iter()
            .any(|n| n["id"] == "members/amara-okafor" && n["type"] == "member")
    );
    assert!(
        nodes
            .iter()
            .any(|n| n["id"] == "tags/cold-chain" && n["type"] == "tag")
    );
}

#[test]
fn member_pages_show_who_they_can_help_and_who_can_help_them() {
    let (_out, site) = built_example();
    let daniel = std::fs::read_to_string(site.join("members/daniel-cho/index.html")).unwrap();
    let can_help = daniel
        .split("Can help with")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(
        can_help.contains("No guide") && can_help.contains("Route planning"),
        "a gap in his expertise"
    );
    let help_from = daniel
        .split("Looking for help with")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(help_from.contains("Cold chain") && help_from.contains("Amara Okafor</a> (mentor)"));
    assert!(
        help_from.contains("Volunteer safety</a>: <span class=\"muted\">no mentor yet"),
        "{help_from}"
    );
}

#[test]
fn baseline_shows_what_a_change_opened_and_closed() {
    let f = fixture();
    let report = f.build_with(|o| o.today = Some(date(2026, 11, 23)));
    assert!(report.written);
    let baseline = f.root().join("old-gaps.json");
    std::fs::copy(f.out().join("gaps.json"), &baseline).unwrap();
    // Close `empty`'s no-content; open a new declared-but-empty tag.
    f.write(
        "guides/e.md",
        &doc(
            "title: E\ntags: [empty]\nauthors: [ann]\ndate: 2026-11-01",
            "",
        ),
    );
    let config = std::fs::read_to_string(f.root().join("community.yaml")).unwrap();
    f.write(
        "community.yaml",
        &config.replace("  - slug: solid\n", "  - slug: solid\n  - slug: fresh\n"),
    );
    let run = |format: &str, fail_on: &str| {
        common::practica_command()
            .args([
                "gaps",
                "--today",
                "2026-11-23",
                "--format",
                format,
                "--fail-on",
                fail_on,
                "--baseline",
            ])
            .arg(&baseline)
            .arg(f.root())
            .output()
            .unwrap()
    };
    let out = run("markdown", "no-content");
    let text = String::from_utf8_lossy(&out.stdout);
    let opened = text
        .split("Opened:")
        .nth(1)
        .unwrap()
        .split("Closed:")
        .next()
        .unwrap();
    assert!(opened.contains("| `no-content` | #fresh |"), "{text}");
    let closed = text.split("Closed:").nth(1).unwrap();
    assert!(closed.contains("| `no-content` | #empty |"), "{text}");
    assert_eq!(
        out.status.code(),
        Some(1),
        "a newly opened no-content fails"
    );
    assert_eq!(
        run("table", "stale").status.code(),
        Some(0),
        "stale was already there: not new"
    );
    let json: serde_json::Value = serde_json::from_slice(&run("json", "").stdout).unwrap();
    assert!(
        json["closed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["tag"] == "empty" && g["rule"] == "no-content")
    );
    std::fs::write(&baseline, "{ not json").unwrap();
    let bad = run("table", "");
    assert_eq!(bad.status.code(), Some(2));
    let text = String::from_utf8_lossy(&bad.stderr);
    assert!(text.contains("error: not a gaps.json"), "{text}");
    assert!(text.contains("old-gaps.json:1:3"), "{text}");
    assert!(text.contains("{ not json"), "the line is shown: {text}");
}

/// graph.json is serde_json's pretty printing of the graph: read back and
/// printed again it is the same bytes, so no field is out of order or
/// written twice.
#[test]
fn graph_json_is_what_serde_json_would_write() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let report = practica::build(&practica::BuildOptions {
        output: Some(out.clone()),
        ..practica::BuildOptions::new(common::example())
    });
    assert!(report.written, "{:?}", report.diagnostics);
    let written = std::fs::read_to_string(out.join("graph.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&written).unwrap();
    let twin = serde_json::to_string_pretty(&value).unwrap() + "\n";
    assert!(value["edges"].as_array().is_some_and(|e| e.len() > 50));
    assert_eq!(written, twin);
}

/// The fixture's gaps.json as of 2026-11-23, copied to `old-gaps.json`
/// beside the community, with `edit` applied to its text.
fn baseline_of(f: &Fixture, edit: impl FnOnce(String) -> String) -> std::path::PathBuf {
    let report = f.build_with(|o| o.today = Some(date(2026, 11, 23)));
    assert!(report.written, "{:?}", report.diagnostics);
    let text = std::fs::read_to_string(f.out().join("gaps.json")).unwrap();
    let baseline = f.root().join("old-gaps.json");
    std::fs::write(&baseline, edit(text)).unwrap();
    baseline
}

/// `practica gaps --baseline BASELINE --format FORMAT` on the fixture.
fn gaps_against(f: &Fixture, baseline: &Path, format: &str) -> std::process::Output {
    common::practica_command()
        .args(["gaps", "--today", "2026-11-23", "--format", format])
        .arg("--baseline")
        .arg(baseline)
        .arg(f.root())
        .output()
        .unwrap()
}

/// Where `needle` first starts in `text`, as `line:col`.
fn line_col(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    format!("{line}:{col}")
}

#[test]
fn an_unchanged_community_opens_and_closes_nothing_in_a_versioned_change() {
    let f = fixture();
    let baseline = baseline_of(&f, |text| text);
    let out = gaps_against(&f, &baseline, "json");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let change: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        change,
        serde_json::json!({"closed": [], "closed_total": 0, "opened": [], "opened_total": 0, "schema_version": 2})
    );
    let table = gaps_against(&f, &baseline, "table");
    assert_eq!(
        String::from_utf8_lossy(&table.stdout),
        "gaps opened: 0, closed: 0\n"
    );
}

/// A rule this practica does not know (a newer one's, or a typo) is a
/// warning at its first finding, and its findings are left out: they are
/// neither closed nor a reason to fail.
#[test]
fn a_baseline_rule_this_practica_does_not_know_is_a_warning_at_the_file() {
    let f = fixture();
    let baseline = baseline_of(&f, |text| {
        text.replace("\"rule\": \"no-content\"", "\"rule\": \"no-contnet\"")
    });
    let text = std::fs::read_to_string(&baseline).unwrap();
    let out = gaps_against(&f, &baseline, "json");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // With `--format json` the problems are JSON lines on stderr.
    let warning: serde_json::Value = serde_json::from_str(stderr.lines().next().unwrap()).unwrap();
    assert_eq!(warning["severity"], "warning");
    assert_eq!(
        warning["message"],
        "unknown gap rule `no-contnet`: its finding is left out of the comparison"
    );
    assert!(warning["path"].as_str().unwrap().ends_with("old-gaps.json"));
    assert_eq!(
        format!("{}:{}", warning["line"], warning["column"]),
        line_col(&text, "\"no-contnet\""),
        "at the rule: {stderr}"
    );
    assert!(stderr.contains("did you mean `no-content`?"), "{stderr}");
    let change: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = |list: &str| -> Vec<String> {
        change[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(rules("closed"), Vec::<String>::new());
    assert_eq!(
        rules("opened"),
        vec!["no-content"],
        "now unmatched: {change}"
    );
}

#[test]
fn a_baseline_of_a_newer_schema_version_is_refused_at_the_version() {
    let f = fixture();
    let baseline = baseline_of(&f, |text| {
        text.replace("\"schema_version\": 2", "\"schema_version\": 3")
    });
    let text = std::fs::read_to_string(&baseline).unwrap();
    let out = gaps_against(&f, &baseline, "table");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing compared");
    assert!(
        stderr.contains(
            "error: the baseline has schema_version 3, newer than this practica reads (2)"
        ),
        "{stderr}"
    );
    let at = line_col(&text, "\"schema_version\"");
    assert!(stderr.contains(&format!("old-gaps.json:{at}")), "{stderr}");
    assert!(stderr.contains("update practica"), "the hint: {stderr}");
}

/// Each finding is checked where it starts: a score that is not a number,
/// a finding with both a tag and a document, a file with no version.
#[test]
fn a_malformed_baseline_finding_is_an_error_where_it_starts() {
    let f = fixture();
    let baseline = baseline_of(&f, |text| {
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let score = value["findings"][1]["score"].to_string();
        text.replacen(&format!("\"score\": {score}"), "\"score\": \"high\"", 1)
            .replacen("\"tag\": null", "\"tag\": \"solid\"", 1)
    });
    let text = std::fs::read_to_string(&baseline).unwrap();
    let out = gaps_against(&f, &baseline, "markdown");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: not a gap finding: invalid type"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("error: a gap finding names one `tag`, one `document` or one `wanted` page"),
        "{stderr}"
    );
    let high = &text[..text.find("\"high\"").unwrap()];
    let finding = &high[high.rfind('{').unwrap()..];
    assert!(
        stderr.contains(&format!("old-gaps.json:{}", line_col(&text, finding))),
        "{stderr}"
    );

    std::fs::write(&baseline, "{\"findings\": []}").unwrap();
    let out = gaps_against(&f, &baseline, "table");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no `schema_version`"), "{stderr}");
}

/// `practica gaps` on the fixture as of 2026-11-23, with `args`.
fn gaps_cli(f: &Fixture, args: &[&str]) -> std::process::Output {
    common::practica_command()
        .args(["gaps", "--today", "2026-11-23"])
        .args(args)
        .arg(f.root())
        .output()
        .unwrap()
}

fn json_findings(out: &std::process::Output) -> Vec<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    json["findings"].as_array().unwrap().clone()
}

#[test]
fn top_rule_and_topic_narrow_the_report() {
    let f = fixture();
    let all = json_findings(&gaps_cli(&f, &["--format", "json"]));
    let top = json_findings(&gaps_cli(&f, &["--format", "json", "--top", "1"]));
    assert!(!top.is_empty() && top.len() < all.len());
    assert!(
        top.iter()
            .all(|t| t["tag"] == all[0]["tag"] && t["document"] == all[0]["document"]),
        "the first entry's findings: {top:?}"
    );
    let stale = json_findings(&gaps_cli(
        &f,
        &["--format", "json", "--rule", "stale,no-guide"],
    ));
    assert!(!stale.is_empty());
    assert!(
        stale
            .iter()
            .all(|g| g["rule"] == "stale" || g["rule"] == "no-guide")
    );
    let thin = json_findings(&gaps_cli(&f, &["--format", "json", "--topic", "thin"]));
    let places: std::collections::BTreeSet<String> = thin
        .iter()
        .map(|g| {
            g["tag"]
                .as_str()
                .or(g["document"].as_str())
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        places.into_iter().collect::<Vec<_>>(),
        ["practices/p1.md", "practices/p2.md", "thin"]
    );
    // --fail-on judges what was asked for.
    assert_eq!(
        gaps_cli(&f, &["--topic", "solid", "--fail-on", "stale"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        gaps_cli(&f, &["--topic", "thin", "--fail-on", "stale"])
            .status
            .code(),
        Some(1)
    );
    let typo = gaps_cli(&f, &["--topic", "thinn"]);
    assert_eq!(typo.status.code(), Some(2));
    let text = String::from_utf8_lossy(&typo.stderr);
    assert!(
        text.contains("no topic `thinn` in --topic") && text.contains("did you mean `thin`?"),
        "{text}"
    );
    let rule = gaps_cli(&f, &["--rule", "stael"]);
    assert_eq!(rule.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&rule.stderr).contains("unknown gap rule `stael` in --rule"));
}

/// A community written by a generator: `topics` declared topics, each
/// with a few documents by a few of `members` members, who declare no
/// expertise; every document is old, and links to none of the others.
fn generated(topics: usize, documents: usize, members: usize) -> Fixture {
    let mut config = String::from("title: Generated\ngit_dates: false\ntags:\n");
    for t in 0..topics {
        config.push_str(&format!("  - slug: topic-{t}\n"));
    }
    let f = Fixture::with_config(&config);
    for m in 0..members {
        f.write(
            &format!("members/m{m}.md"),
            &member(&format!("Member {m}"), ""),
        );
    }
    let kinds = ["practices", "guides", "case-studies"];
    for d in 0..documents {
        // Topics of low numbers get more documents: (d * d) skews them.
        let topic = (d * d / 7 + d) % topics;
        let author = d % members;
        let year = 2015 + d % 10;
        f.write(
            &format!("{}/d{d}.md", kinds[d % 3]),
            &doc(
                &format!(
                    "title: Document {d}\ntags: [topic-{topic}]\nauthors: [m{author}]\ndate: {year}-03-01"
                ),
                "Text.\n",
            ),
        );
    }
    f
}

#[test]
fn the_markdown_report_fits_a_pull_request_comment() {
    let f = generated(400, 2400, 60);
    let out = gaps_cli(&f, &["--format", "markdown"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.len() < 60_000, "{} bytes", text.len());
    assert!(
        text.starts_with("**") && text.contains(" gaps in "),
        "{text}"
    );
    let (top, rest) = text.split_once("<details>").expect("the rest folded");
    assert!(top.contains("\n1. **#topic-"), "{top}");
    assert!(rest.contains("\n| 11 | "), "{rest}");
    assert!(top.contains("#### The 10 most urgent"), "{top}");
    assert!(rest.contains("more not shown here: `practica gaps --format json` lists every one."));
    assert!(rest.trim_end().ends_with("</details>"), "{rest}");
}

/// The findings of a gaps.json, grouped as consecutive runs of one place.
fn places_of(findings: &[serde_json::Value]) -> Vec<Vec<serde_json::Value>> {
    let mut places: Vec<Vec<serde_json::Value>> = Vec::new();
    let key =
        |f: &serde_json::Value| (f["tag"].clone(), f["document"].clone(), f["wanted"].clone());
    for finding in findings {
        match places.last_mut() {
            Some(place) if key(&place[0]) == key(finding) => place.push(finding.clone()),
            _ => places.push(vec![finding.clone()]),
        }
    }
    places
}

/// The done-when check of the gap map: the ten most urgent places are
/// distinct topics, each with a named helper (where anyone wrote on the
/// topic) and a next step that names them.
fn assert_top_ten_are_actionable(f: &Fixture) {
    let out = gaps_cli(f, &["--format", "json"]);
    let findings = json_findings(&out);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let written_on = |slug: &serde_json::Value| {
        json["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| &t["slug"] == slug && t["supply"]["authors"].as_u64().unwrap_or(0) > 0)
    };
    let places = places_of(&findings);
    let keys: std::collections::HashSet<String> = places
        .iter()
        .map(|p| format!("{} {} {}", p[0]["tag"], p[0]["document"], p[0]["wanted"]))
        .collect();
    assert_eq!(keys.len(), places.len(), "one place per topic or document");
    // Topics first: ten of them, or as many as have gaps.
    let topics = places.iter().filter(|p| p[0]["tag"].is_string()).count();
    assert!(topics > 0);
    for place in places.iter().take(topics.min(10)) {
        let first = &place[0];
        assert!(first["tag"].is_string(), "a topic: {first}");
        let action = first["action"].as_str().unwrap();
        assert!(action.ends_with('.'), "{action}");
        if !written_on(&first["tag"]) {
            continue;
        }
        let helpers = first["helpers"].as_array().unwrap();
        assert!(!helpers.is_empty(), "someone could help: {first}");
        assert!(action.contains(": ask "), "{action}");
    }
}

#[test]
fn where_nobody_declares_expertise_the_authors_are_named() {
    let f = generated(40, 300, 12);
    assert_top_ten_are_actionable(&f);
    let findings = json_findings(&gaps_cli(&f, &["--format", "json"]));
    let first = &findings[0];
    assert!(
        first["action"].as_str().unwrap().contains("(wrote on it)"),
        "{first}"
    );
}

#[test]
fn a_community_without_practices_still_names_helpers_and_steps() {
    let f = generated(30, 200, 10);
    for entry in std::fs::read_dir(f.root().join("practices")).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    assert_top_ten_are_actionable(&f);
}

#[test]
fn helpers_come_in_order_and_a_member_page_never_names_its_member() {
    let f = fixture();
    f.write(
        "practices/p1.md",
        &doc(
            "title: P1\ntags: [thin]\nauthors: [ann]\nowner: bo\ndate: 2024-01-01\nreview_by: 2025-01-01",
            "",
        ),
    );
    f.write(
        "members/cy.md",
        &member("Cy", "expertise: [thin]\nmentor: true"),
    );
    let findings = json_findings(&gaps_cli(&f, &["--format", "json"]));
    let of = |rule: &str, place: &str| {
        findings
            .iter()
            .find(|g| g["rule"] == rule && (g["tag"] == place || g["document"] == place))
            .unwrap_or_else(|| panic!("{rule} {place}: {findings:?}"))["helpers"]
            .clone()
    };
    assert_eq!(
        of("overdue-review", "practices/p1.md"),
        serde_json::json!(["bo", "ann", "cy"]),
        "the owner, the author, then the topic's mentor"
    );
    assert_eq!(
        of("no-guide", "thin"),
        serde_json::json!(["cy", "ann"]),
        "the mentor, then who wrote on it"
    );
    let report = f.build_with(|o| o.today = Some(date(2026, 11, 23)));
    assert!(report.written, "{:?}", report.diagnostics);
    let cy = std::fs::read_to_string(f.out().join("members/cy/index.html")).unwrap();
    let can_help = cy
        .split("Can help with")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(can_help.contains("Thin"), "{can_help}");
    assert!(
        !can_help.contains("members/cy/"),
        "never the member whose page it is: {can_help}"
    );
    assert!(
        !can_help.contains("Cy (mentor)") && can_help.contains("ask Ann (wrote on it)"),
        "nor in the next step: {can_help}"
    );
    assert!(can_help.contains("Ann</a>"), "{can_help}");
    let tag = std::fs::read_to_string(f.out().join("tags/thin/index.html")).unwrap();
    let own = tag
        .split("Gaps in this topic")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(
        own.contains("<span class=\"gap-title\">Thin</span>"),
        "not a link to itself: {own}"
    );
    assert!(
        own.contains("Cy</a> <span class=\"muted\">(mentor)</span>"),
        "{own}"
    );
    let map = std::fs::read_to_string(f.out().join("gaps/index.html")).unwrap();
    let thin = map.split("Topic gaps, most wanted first").nth(1).unwrap();
    assert!(
        thin.contains("<span class=\"gap-rule\">No guide</span>"),
        "plain names: {thin}"
    );
    assert!(
        thin.contains("Next: No guide on Thin yet: 2 practices exist: ask Cy (mentor) and Ann (wrote on it) for a how-to."),
        "{thin}"
    );
    assert!(thin.contains("Score "), "the score explained: {thin}");
    assert!(
        thin.contains("Its newest document is from 2024-02-01"),
        "stale says how old: {thin}"
    );
}

/// A community's own rules (`gaps:` in community.yaml): rules off, other
/// weights and thresholds, and what counts as evidence, which the gap
/// rules and the practice page share.
#[test]
fn the_community_shapes_its_rules_and_evidence_is_one_definition() {
    let f = fixture();
    let config = std::fs::read_to_string(f.root().join("community.yaml")).unwrap();
    let shaped = config.replace(
        "gaps:\n  stale_after_months: 12\n",
        "gaps:\n  stale_after_months: 12\n  single_voice_documents: 3\n  evidence: [case-study, guide]\n  rules:\n    no-mentor: off\n    stale: 7\n",
    );
    f.write("community.yaml", &shaped);
    f.write(
        "guides/g2.md",
        &doc(
            "title: G2\ntags: [thin]\nauthors: [bo]\npractices: [p2]\ndate: 2026-01-01",
            "",
        ),
    );
    let Found { site, report, .. } = gaps_of(f.root(), date(2026, 11, 23));
    assert!(
        !report.findings.iter().any(|g| g.rule == Rule::NoMentor),
        "off"
    );
    let stale = report
        .findings
        .iter()
        .find(|g| g.rule == Rule::Stale)
        .unwrap();
    assert_eq!(stale.score, 7 * stale.demand, "its weight");
    assert!(
        !tag_rules(&report, "thin").contains(&Rule::SingleVoice),
        "two documents are under single_voice_documents: 3"
    );
    assert!(
        !document_rules(&site, &report, "p2").contains(&Rule::Unproven),
        "a guide counts as evidence here"
    );
    assert!(!tag_rules(&report, "thin").contains(&Rule::NoEvidence));
    let built = f.build_with(|o| o.today = Some(date(2026, 11, 23)));
    assert!(built.written, "{:?}", built.diagnostics);
    let p2 = std::fs::read_to_string(f.out().join("practices/p2/index.html")).unwrap();
    let evidence = p2
        .split("id=\"evidence-heading\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(
        evidence.contains("G2"),
        "the page agrees with the rules: {evidence}"
    );

    // By default only case studies count: the guide is listed apart, and
    // the practice is unproven on the page as in the rules.
    f.write("community.yaml", &config);
    let Found { site, report, .. } = gaps_of(f.root(), date(2026, 11, 23));
    assert!(document_rules(&site, &report, "p2").contains(&Rule::Unproven));
    assert!(f.build_with(|o| o.today = Some(date(2026, 11, 23))).written);
    let p2 = std::fs::read_to_string(f.out().join("practices/p2/index.html")).unwrap();
    let evidence = p2
        .split("id=\"evidence-heading\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(
        evidence.contains("No case studies cite this practice yet."),
        "{evidence}"
    );
    let also = p2
        .split("Also citing this practice")
        .nth(1)
        .expect("the guide, apart");
    assert!(also.contains("G2"));
}

#[test]
fn wrong_gap_settings_are_reported_where_they_are() {
    let f = Fixture::with_config(
        "title: T\ngaps:\n  evidence: [case-stdy]\n  single_voice_authors: 0\n  rules:\n    stael: off\n    stale: maybe\n",
    );
    let out = f.cli(&["check"]);
    let text =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{text}");
    for (needle, line) in [
        (
            "`gaps.evidence` should list kinds of document: case-study, guide",
            3,
        ),
        (
            "`gaps.single_voice_authors` should be a whole number from 1 to 100",
            4,
        ),
        ("unknown gap rule `stael` is ignored", 6),
        (
            "`gaps.rules.stale` should be `on`, `off` or a weight from 0 to 100",
            7,
        ),
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
        assert!(
            text.contains(&format!("community.yaml:{line}:")),
            "{needle} at line {line}: {text}"
        );
    }
    assert!(text.contains("did you mean `stale`?"), "{text}");
}

/// Archived topics are history, not neglect; a parent counts what its
/// children have.
#[test]
fn archived_topics_are_exempt_and_parents_roll_up_their_children() {
    let f = Fixture::with_config(concat!(
        "title: T\ngit_dates: false\ntags:\n",
        "  - slug: election-2016\n    archived: true\n",
        "  - slug: fridges\n",
        "  - slug: fridge-hosting\n    parent: fridges\n",
        "  - slug: fridge-cleaning\n    parent: fridges\n",
        "  - slug: deep-cleaning\n    parent: fridge-cleaning\n",
    ));
    f.write("members/ann.md", &member("Ann", ""));
    f.write("members/bo.md", &member("Bo", ""));
    f.write(
        "guides/old.md",
        &doc(
            "title: Old\ntags: [election-2016]\nauthors: [ann]\ndate: 2016-11-01",
            "",
        ),
    );
    f.write(
        "practices/host.md",
        &doc(
            "title: Host\ntags: [fridge-hosting]\nauthors: [ann]\ndate: 2026-06-01",
            "",
        ),
    );
    f.write(
        "guides/clean.md",
        &doc("title: Clean\ntags: [deep-cleaning]\nauthors: [bo]\npractices: [host]\ndate: 2026-07-01", "[[host]]\n"),
    );
    f.write(
        "case-studies/c.md",
        &doc(
            "title: C\ntags: [fridge-cleaning]\nauthors: [bo]\npractices: [host]\ndate: 2026-08-01",
            "[[clean]]\n",
        ),
    );
    let Found { report, .. } = gaps_of(f.root(), date(2026, 11, 23));
    assert_eq!(
        tag_rules(&report, "election-2016"),
        Vec::<Rule>::new(),
        "history"
    );
    assert_eq!(
        tag_rules(&report, "fridges"),
        Vec::<Rule>::new(),
        "its children have a practice, a guide, a case study and two voices"
    );
    assert!(
        tag_rules(&report, "fridge-hosting").contains(&Rule::NoGuide),
        "a child alone has none"
    );
    assert!(
        !tag_rules(&report, "fridge-cleaning").contains(&Rule::NoGuide),
        "its own child's guide counts, two levels down"
    );
    assert_top_ten_are_actionable(&f);
    assert!(f.build_with(|o| o.today = Some(date(2026, 11, 23))).written);
    let map = std::fs::read_to_string(f.out().join("gaps/index.html")).unwrap();
    assert!(
        map.contains("Election 2016</a> <span class=\"hm-note\">(archived)</span>"),
        "{map}"
    );
    let deep = map.find(">Deep cleaning</a>").unwrap();
    let cleaning = map.find(">Fridge cleaning</a>").unwrap();
    let hosting = map.find(">Fridge hosting</a>").unwrap();
    assert!(
        hosting < cleaning && cleaning < deep,
        "grandchildren under their parent"
    );
    assert!(map.contains("hm-depth-2"), "{map}");
    let tag = std::fs::read_to_string(f.out().join("tags/election-2016/index.html")).unwrap();
    assert!(tag.contains("<span class=\"badge-archived\">archived</span>"));
}

/// Demand and trend: wanted pages are findings everywhere; a topic whose
/// activity fell, one that rests on one author, and near-duplicate topics
/// are reported.
#[test]
fn wanted_pages_declining_concentrated_and_near_duplicate_topics() {
    let f = Fixture::with_config(
        "title: T\ngit_dates: false\ntags:\n  - slug: tool\n  - slug: radio\n  - slug: soil\n",
    );
    for m in ["ann", "bo", "cy"] {
        f.write(&format!("members/{m}.md"), &member(m, ""));
    }
    // radio: busy in 2018-2020, one document this year.
    for (i, year) in [2018, 2018, 2019, 2019, 2020, 2020, 2020, 2026]
        .iter()
        .enumerate()
    {
        let author = ["ann", "bo"][i % 2];
        f.write(
            &format!("guides/radio-{i}.md"),
            &doc(
                &format!(
                    "title: Radio {i}\ntags: [radio]\nauthors: [{author}]\ndate: {year}-05-01"
                ),
                "[[?Antenna care]]\n",
            ),
        );
    }
    // soil: five of six by ann.
    for i in 0..6 {
        let author = if i == 0 { "bo" } else { "ann" };
        f.write(
            &format!("practices/soil-{i}.md"),
            &doc(
                &format!(
                    "title: Soil {i}\ntags: [soil]\nauthors: [{author}]\ndate: 2026-0{}-01",
                    i + 1
                ),
                "",
            ),
        );
    }
    f.write(
        "guides/t1.md",
        &doc(
            "title: T1\ntags: [tool]\nauthors: [cy]\ndate: 2026-01-01",
            "[[?Antenna care]]\n",
        ),
    );
    f.write(
        "guides/t2.md",
        &doc(
            "title: T2\ntags: [tools]\nauthors: [cy]\ndate: 2026-01-01",
            "",
        ),
    );
    let Found { report, .. } = gaps_of(f.root(), date(2026, 11, 23));
    assert!(
        tag_rules(&report, "radio").contains(&Rule::Declining),
        "{:?}",
        tag_rules(&report, "radio")
    );
    assert!(!tag_rules(&report, "soil").contains(&Rule::Declining));
    assert!(tag_rules(&report, "soil").contains(&Rule::Concentration));
    assert!(
        !tag_rules(&report, "radio").contains(&Rule::Concentration),
        "half each"
    );
    assert!(tag_rules(&report, "tools").contains(&Rule::NearDuplicate));
    assert!(
        !tag_rules(&report, "tool").contains(&Rule::NearDuplicate),
        "the one to keep"
    );

    let out = gaps_cli(&f, &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let wanted = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["rule"] == "wanted-page")
        .expect("a wanted page is a finding");
    assert_eq!(wanted["wanted"], "Antenna care");
    assert_eq!(wanted["demand"], 10, "1 + the nine pages asking");
    assert!(
        wanted["action"]
            .as_str()
            .unwrap()
            .contains("9 pages ask for Antenna care"),
        "{wanted}"
    );
    assert_eq!(json["wanted"][0]["title"], "Antenna care");
    assert_eq!(
        json["wanted"][0]["requested_by"].as_array().unwrap().len(),
        9
    );
    let radio = json["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == "radio")
        .unwrap();
    assert_eq!(
        radio["activity"],
        serde_json::json!({"2018": 2, "2019": 2, "2020": 3, "2026": 1})
    );
    let tools = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["rule"] == "near-duplicate")
        .unwrap();
    assert!(
        tools["action"]
            .as_str()
            .unwrap()
            .contains("merge it into Tool"),
        "{tools}"
    );
    let table = String::from_utf8(gaps_cli(&f, &["--rule", "wanted-page"]).stdout).unwrap();
    assert!(table.contains("?Antenna care"), "{table}");
    let markdown = String::from_utf8(gaps_cli(&f, &["--format", "markdown"]).stdout).unwrap();
    assert!(markdown.contains("Wanted page"), "{markdown}");

    // A baseline sees a wanted page written as closed.
    let report = f.build_with(|o| o.today = Some(date(2026, 11, 23)));
    assert!(report.written, "{:?}", report.diagnostics);
    let baseline = f.root().join("old-gaps.json");
    std::fs::copy(f.out().join("gaps.json"), &baseline).unwrap();
    f.write(
        "guides/antenna-care.md",
        &doc(
            "title: Antenna care\ntags: [radio]\nauthors: [bo]\ndate: 2026-11-01",
            "",
        ),
    );
    // Written, and the pages link to it as to any page.
    for page in std::fs::read_dir(f.root().join("guides")).unwrap() {
        let path = page.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("[[?Antenna care]]", "[[Antenna care]]")).unwrap();
    }
    let change = gaps_against(&f, &baseline, "json");
    let change: serde_json::Value = serde_json::from_slice(&change.stdout).unwrap();
    assert!(
        change["closed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["wanted"] == "Antenna care"),
        "{change}"
    );
}

#[test]
fn top_shortens_a_baseline_s_lists_and_says_how_many_it_left_out() {
    let f = fixture();
    let baseline = baseline_of(&f, |text| {
        let mut old: serde_json::Value = serde_json::from_str(&text).unwrap();
        old["findings"] = serde_json::json!([]);
        old.to_string()
    });
    let all = gaps_against(&f, &baseline, "json");
    let all: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    let opened = all["opened"].as_array().unwrap().len();
    assert!(
        opened > 2,
        "every finding is new against an empty baseline: {all}"
    );
    assert_eq!(all["opened_total"], opened);
    let top = |format: &str| {
        let out = common::practica_command()
            .args([
                "gaps",
                "--today",
                "2026-11-23",
                "--top",
                "2",
                "--format",
                format,
            ])
            .arg("--baseline")
            .arg(&baseline)
            .arg(f.root())
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&top("json")).unwrap();
    assert_eq!(
        json["opened"],
        serde_json::json!(all["opened"].as_array().unwrap()[..2])
    );
    assert_eq!(json["opened_total"], opened);
    let table = top("table");
    assert!(
        table.starts_with(&format!("gaps opened: {opened}, closed: 0\n")),
        "{table}"
    );
    assert_eq!(
        table.lines().filter(|l| l.starts_with("+ ")).count(),
        3,
        "{table}"
    );
    assert!(
        table.contains(&format!("+ {} more left out by --top\n", opened - 2)),
        "{table}"
    );
    let markdown = top("markdown");
    assert!(
        markdown.contains(&format!("**Gaps opened: {opened}, closed: 0**")),
        "{markdown}"
    );
    assert!(
        markdown.contains(&format!("{} more left out by `--top`.", opened - 2)),
        "{markdown}"
    );
}
