//! Community health (`/insights/` and `practica report`) on a community
//! given a git history by the test: dated commits by several authors, a
//! practice whose status moves, gaps that close and open. Every figure of
//! the page, the JSON and the markdown is checked against what the history
//! says; then the same community outside git and as a shallow clone.

mod common;

use std::path::Path;

use common::{doc, git};
use practica::{BuildOptions, HistoryUse, ReportFormat, ReportRequest};

const TODAY: &str = "2026-06-15";

const CONFIG: &str = "title: Health Commons\ntags:\n  - slug: compost\n    title: Composting\n  - slug: soil\n    title: Soil care\n";

struct Author {
    name: &'static str,
    email: &'static str,
}

const ANA: Author = Author {
    name: "Ana Lima",
    email: "ana@example.org",
};
/// Ana again, as another machine spells her: matched by e-mail, any case.
const ANA_LAPTOP: Author = Author {
    name: "A. Lima",
    email: "ANA@Example.org",
};
const BEN: Author = Author {
    name: "Benjamin O",
    email: "ben@example.org",
};
/// No member lists Dee.
const DEE: Author = Author {
    name: "Dee Ray",
    email: "dee@example.org",
};

fn today() -> jiff::civil::Date {
    TODAY.parse().unwrap()
}

fn commit(dir: &Path, author: &Author, date: &str, message: &str) {
    git(dir, &["add", "-A"]);
    commit_staged(dir, author, date, message);
}

/// Commits what is staged, by `author` (author and committer) at noon
/// UTC on `date`.
fn commit_staged(dir: &Path, author: &Author, date: &str, message: &str) {
    let stamp = format!("{date}T12:00:00Z");
    let by = [
        ("GIT_AUTHOR_NAME", author.name),
        ("GIT_AUTHOR_EMAIL", author.email),
        ("GIT_COMMITTER_NAME", author.name),
        ("GIT_COMMITTER_EMAIL", author.email),
        ("GIT_AUTHOR_DATE", &stamp),
        ("GIT_COMMITTER_DATE", &stamp),
    ];
    common::git_with(dir, &["commit", "-q", "-m", message], &by);
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn practice(status: &str, tags: &str, author: &str, date: &str, body: &str) -> String {
    doc(
        &format!(
            "title: {}\nstatus: {status}\ntags: [{tags}]\nauthors: [{author}]\ndate: {date}",
            title_of(tags)
        ),
        body,
    )
}

fn title_of(tags: &str) -> &'static str {
    if tags == "compost" {
        "Hot composting"
    } else {
        "Worm bins"
    }
}

/// Six commits, 2025-08 to 2026-04:
/// 1. Ana: the members and `hot-compost` (proposed).
/// 2. Ben: the guide `turning` (cites nothing).
/// 3. Dee: `hot-compost` becomes emerging.
/// 4. Ana: the case study `farm-trial`, citing `hot-compost`.
/// 5. Ana, from her laptop: `hot-compost` becomes established.
/// 6. Ben: `worm-bins` (proposed, soil); `turning` asks for a page.
fn write_history(root: &Path, in_git: bool) {
    let step = |author: &Author, date: &str, message: &str| {
        if in_git {
            commit(root, author, date, message);
        }
    };
    if in_git {
        git(root, &["init", "-q"]);
    }
    write(root, "community.yaml", CONFIG);
    write(
        root,
        "members/ana.md",
        &doc(
            "title: Ana Lima\nexpertise: [compost]\nmentor: true\ngit: [Ana Lima, ana@example.org]",
            "Composts.\n",
        ),
    );
    write(
        root,
        "members/ben.md",
        &doc(
            "title: Ben Okoro\nlearning: [compost, soil]\ngit: [ben@example.org]",
            "Learns.\n",
        ),
    );
    write(
        root,
        "members/cy.md",
        &doc("title: Cy Park\nlearning: [soil]", "Learns too.\n"),
    );
    let hot = |status| practice(status, "compost", "ana", "2025-08-05", "Turn it weekly.\n");
    write(root, "practices/hot-compost.md", &hot("proposed"));
    step(&ANA, "2025-08-05", "members and hot composting");
    write(
        root,
        "guides/turning.md",
        &doc(
            "title: Turning a heap\ntags: [compost]\nauthors: [ben]\ndate: 2025-09-20",
            "How to turn a heap.\n",
        ),
    );
    step(&BEN, "2025-09-20", "a guide");
    write(root, "practices/hot-compost.md", &hot("emerging"));
    step(&DEE, "2025-11-10", "emerging");
    write(
        root,
        "case-studies/farm-trial.md",
        &doc(
            "title: Farm trial\ntags: [compost]\nauthors: [ana]\npractices: [hot-compost]\ndate: 2025-12-01",
            "It worked: [[hot-compost]].\n",
        ),
    );
    step(&ANA, "2025-12-01", "a case study");
    write(root, "practices/hot-compost.md", &hot("established"));
    step(&ANA_LAPTOP, "2026-02-14", "established");
    write(
        root,
        "practices/worm-bins.md",
        &practice(
            "proposed",
            "soil",
            "ben",
            "2026-04-02",
            "See [[?Worm feeding chart]].\n",
        ),
    );
    write(
        root,
        "guides/turning.md",
        &doc(
            "title: Turning a heap\ntags: [compost]\nauthors: [ben]\ndate: 2025-09-20",
            "How to turn a heap. Feed worms per the [[?Worm feeding chart]].\n",
        ),
    );
    step(&BEN, "2026-04-02", "worms");
}

fn community(in_git: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_history(dir.path(), in_git);
    dir
}

fn insights_page(root: &Path) -> String {
    let out = tempfile::tempdir().unwrap();
    let report = practica::build(&BuildOptions {
        output: Some(out.path().join("site")),
        today: Some(today()),
        ..BuildOptions::new(root)
    });
    assert!(report.written, "{:?}", report.diagnostics);
    std::fs::read_to_string(out.path().join("site/insights/index.html")).unwrap()
}

/// The insights page of a first build (no cache), and how it read the
/// past versions of the documents.
fn first_build(root: &Path) -> (String, Option<HistoryUse>) {
    let out = tempfile::tempdir().unwrap();
    let report = practica::build(&BuildOptions {
        output: Some(out.path().join("site")),
        today: Some(today()),
        cache: None,
        ..BuildOptions::new(root)
    });
    assert!(report.written, "{:?}", report.diagnostics);
    let page = std::fs::read_to_string(out.path().join("site/insights/index.html")).unwrap();
    (page, report.history_use)
}

fn report(root: &Path, format: ReportFormat) -> String {
    let outcome = practica::report(&ReportRequest {
        since: Some("2025-07-01".parse().unwrap()),
        until: Some(today()),
        format,
        today: Some(today()),
        ..ReportRequest::new(root)
    });
    assert_eq!(outcome.exit_code(), 0, "{:?}", outcome.diagnostics);
    outcome.text.unwrap()
}

/// A table row as the page writes it: a heading cell, then data cells.
fn row(cells: &[&str]) -> String {
    let (head, data) = cells.split_first().unwrap();
    let data: String = data.iter().map(|c| format!("<td>{c}</td>")).collect();
    format!("<tr><th scope=\"row\">{head}</th>{data}</tr>")
}

fn assert_has(page: &str, text: &str) {
    assert!(page.contains(text), "missing {text:?}");
}

#[test]
fn the_page_shows_every_figure_the_history_gives() {
    let dir = community(true);
    let page = insights_page(dir.path());
    assert_has(
        &page,
        "From the documents&#39; front matter and 6 git commits",
    );
    // Participation: written by `date`, updated by later commits.
    assert_has(&page, &row(&["Aug 2025", "1", "0"]));
    assert_has(&page, &row(&["Sep 2025", "1", "0"]));
    assert_has(&page, &row(&["Nov 2025", "0", "1"]));
    assert_has(&page, &row(&["Dec 2025", "1", "0"]));
    assert_has(&page, &row(&["Feb 2026", "0", "1"]));
    assert_has(&page, &row(&["Apr 2026", "1", "1"]));
    // Contributors: Ana and Ben, then Dee (new) and Ana, then Ana (her
    // laptop's commit is hers), then Ben.
    assert_has(&page, &row(&["2025 Q2", "0", "0", "0 of 0", "0", "0"]));
    assert_has(&page, &row(&["2025 Q3", "2", "2", "1 of 2", "2", "0"]));
    assert_has(&page, &row(&["2025 Q4", "2", "1", "1 of 2", "1", "1"]));
    assert_has(&page, &row(&["2026 Q1", "1", "0", "0 of 1", "0", "1"]));
    assert_has(&page, &row(&["2026 Q2", "1", "0", "–", "1", "1"]));
    assert_has(
        &page,
        "Contributors in 2026 Q2: 1, the same as the quarter before; 0 of them new.",
    );
    assert_has(
        &page,
        &row(&["Composting", "3", "Ana Lima, Ben Okoro, Dee Ray"]),
    );
    assert_has(&page, &row(&["Soil care", "1", "Ben Okoro"]));
    assert_has(&page, &row(&["Dee Ray", "dee@example.org", "1"]));
    assert_has(&page, "1 git author is not matched to a member");
    // Needs.
    assert_has(&page, &row(&["Soil care", "0", "0", "2"]));
    assert_has(&page, &row(&["Composting", "1", "1", "1"]));
    assert_has(
        &page,
        "Most unmet need: Soil care, 2 learners and 0 mentors.",
    );
    assert_has(&page, &row(&["Ben Okoro", "Soil care"]));
    assert_has(&page, &row(&["Cy Park", "Soil care"]));
    assert_has(&page, &row(&["Worm feeding chart", "2"]));
    // Impact: the status at each quarter's last commit.
    assert_has(&page, &row(&["2025 Q3", "1", "0", "0", "0", "0"]));
    assert_has(&page, &row(&["2025 Q4", "0", "1", "0", "0", "0"]));
    assert_has(&page, &row(&["2026 Q1", "0", "0", "1", "0", "0"]));
    assert_has(&page, &row(&["2026 Q2", "1", "0", "1", "0", "0"]));
    assert_has(
        &page,
        "Established practices in 2026 Q2: 1, the same as at the end of 2026 Q1.",
    );
    assert_has(&page, &row(&["Hot composting", "established", "0", "1"]));
    assert_has(&page, &row(&["Worm bins", "proposed", "0", "0"]));
    assert_has(&page, "1 of 2 practices have evidence");
    assert_has(&page, &row(&["2025 Q4", "1"]));
    assert_has(
        &page,
        "Case studies written in 2026 Q2: 0, the same as the quarter before.",
    );
    assert_has(&page, "1 practice in use has no evidence yet");
    // Coverage, at each quarter's last commit: soil has no document until
    // `worm-bins`, and never a mentor; `hot-compost` is unproven (and its
    // topic has no evidence) until the case study cites it, and linked
    // from then on; `worm-bins` is unproven and asks for a page.
    let coverage = coverage_rows(&page);
    let heads = [
        "All gaps",
        "No content",
        "No evidence",
        "No guide",
        "No mentor",
        "Not linked",
        "Unproven practice",
        "Wanted page",
    ];
    for (quarter, counts) in [
        ("2025 Q3", ["6", "1", "1", "0", "1", "2", "1", "0"]),
        ("2025 Q4", ["4", "1", "0", "0", "1", "2", "0", "0"]),
        ("2026 Q1", ["4", "1", "0", "0", "1", "2", "0", "0"]),
        ("2026 Q2", ["8", "0", "1", "1", "1", "3", "1", "1"]),
    ] {
        let expected: std::collections::BTreeMap<String, String> = heads
            .iter()
            .zip(counts)
            .map(|(h, c)| (h.to_string(), c.to_string()))
            .collect();
        assert_eq!(coverage[quarter], expected, "{quarter}");
    }
    assert_has(
        &page,
        "Gaps in 2026 Q2: 8, up from 4 at the end of 2026 Q1.",
    );
    // Quarters before the first commit have no state to count.
    assert!(!coverage.contains_key("2025 Q2"));
    // Each chart has its table twin and a title for screen readers.
    assert_eq!(page.matches("<svg class=\"chart\"").count(), 6);
    assert_eq!(page.matches("<details class=\"insight-data\">").count(), 6);
    assert_has(&page, "<title id=\"chart-contributors-title\">");
}

type Coverage = std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>;

/// The coverage table, by quarter, then by column head.
fn coverage_rows(page: &str) -> Coverage {
    let start = page
        .find("<caption>Gaps per rule at the end of each quarter")
        .unwrap();
    let table = &page[start..start + page[start..].find("</table>").unwrap()];
    let cells = |text: &str, tag: &str| -> Vec<String> {
        text.split(tag)
            .skip(1)
            .map(|c| c[..c.find('<').unwrap()].to_string())
            .collect()
    };
    let head = &table[..table.find("</thead>").unwrap()];
    let heads = cells(head, "<th scope=\"col\">");
    let body = &table[table.find("<tbody>").unwrap()..];
    body.split("<tr>")
        .skip(1)
        .map(|tr| {
            let mut values = cells(tr, "<th scope=\"row\">");
            values.extend(cells(tr, "<td>"));
            let quarter = values[0].clone();
            (
                quarter,
                heads[1..]
                    .iter()
                    .cloned()
                    .zip(values[1..].iter().cloned())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn the_json_report_gives_the_same_figures_with_a_schema() {
    let dir = community(true);
    let json: serde_json::Value =
        serde_json::from_str(&report(dir.path(), ReportFormat::Json)).unwrap();
    assert_eq!(json["schema"], 1);
    assert_eq!(json["community"], "Health Commons");
    assert_eq!(json["period"]["since"], "2025-07-01");
    assert_eq!(json["period"]["until"], TODAY);
    assert_eq!(json["history"]["kind"], "git");
    let p = &json["participation"];
    assert_eq!(p["written"], 4);
    assert_eq!(p["updated"], 2);
    assert_eq!(p["contributors"], 3);
    assert_eq!(p["new_contributors"], 3);
    assert_eq!(p["commits"], 6);
    let quarters: Vec<(String, u64, u64, serde_json::Value)> = p["quarters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["quarter"].as_str().unwrap().to_string(),
                q["contributors"].as_u64().unwrap(),
                q["new_contributors"].as_u64().unwrap(),
                q["stayed"].clone(),
            )
        })
        .collect();
    assert_eq!(
        quarters,
        vec![
            ("2025 Q3".into(), 2, 2, 1.into()),
            ("2025 Q4".into(), 2, 1, 1.into()),
            ("2026 Q1".into(), 1, 0, 0.into()),
            ("2026 Q2".into(), 1, 0, serde_json::Value::Null),
        ]
    );
    assert_eq!(p["months"].as_array().unwrap().len(), 12);
    assert_eq!(
        p["months"][1],
        serde_json::json!({"month": "2025-08", "written": 1, "updated": 0})
    );
    assert_eq!(
        p["unmatched"],
        serde_json::json!([{"name": "Dee Ray", "email": "dee@example.org", "commits": 1}])
    );
    assert_eq!(p["topics"][0]["topic"], "compost");
    assert_eq!(
        p["topics"][0]["contributors"],
        serde_json::json!(["Ana Lima", "Ben Okoro", "Dee Ray"])
    );
    let needs = &json["needs"];
    assert_eq!(
        needs["topics"][0],
        serde_json::json!({"topic": "soil", "title": "Soil care", "experts": 0, "mentors": 0, "learners": 2})
    );
    assert_eq!(needs["unmentored"].as_array().unwrap().len(), 2);
    assert_eq!(needs["unmentored"][0]["member"], "ben");
    assert_eq!(
        needs["wanted"],
        serde_json::json!([{"title": "Worm feeding chart", "requests": 2}])
    );
    let impact = &json["impact"];
    let statuses: Vec<(String, u64, u64, u64)> = impact["status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let c = &s["practices"];
            (
                s["quarter"].as_str().unwrap().to_string(),
                c["proposed"].as_u64().unwrap(),
                c["emerging"].as_u64().unwrap(),
                c["established"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("2025 Q3".into(), 1, 0, 0),
            ("2025 Q4".into(), 0, 1, 0),
            ("2026 Q1".into(), 0, 0, 1),
            ("2026 Q2".into(), 1, 0, 1),
        ]
    );
    assert_eq!(impact["evidence"][0]["practice"], "hot-compost");
    assert_eq!(impact["evidence"][0]["case_studies"], 1);
    assert_eq!(impact["without_evidence"][0]["practice"], "worm-bins");
    let case_studies: Vec<u64> = impact["case_studies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .collect();
    assert_eq!(case_studies, vec![0, 1, 0, 0]);
    let unproven: Vec<u64> = json["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["rules"]["unproven"].as_u64().unwrap())
        .collect();
    assert_eq!(unproven, vec![1, 0, 0, 1]);
}

#[test]
fn the_markdown_report_reads_as_the_page_does() {
    let dir = community(true);
    let md = report(dir.path(), ReportFormat::Markdown);
    assert!(
        md.starts_with("# Health Commons: community health, 2025-07-01 to 2026-06-15\n"),
        "{md}"
    );
    for line in [
        "3 contributors (3 new) · 4 documents written · 2 updated · 1 case study · 1 established practice",
        "## Participation",
        "| Quarter | Contributors | New | Still active the next quarter | Documents written | Documents updated |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        "| 2025 Q3 | 2 | 2 | 1 of 2 | 2 | 0 |",
        "| 2026 Q2 | 1 | 0 | – | 1 | 1 |",
        "| Composting | 3 | Ana Lima, Ben Okoro, Dee Ray |",
        "| Dee Ray | dee@example.org | 1 |",
        "Most unmet need: Soil care, 2 learners and 0 mentors.",
        "| Worm feeding chart | 2 |",
        "| 2025 Q4 | 0 | 1 | 0 | 0 | 0 |",
        "| Hot composting | established | 0 | 1 |",
        "| Worm bins | proposed |",
        "## Knowledge coverage",
    ] {
        assert!(md.contains(line), "missing {line:?} in\n{md}");
    }
    // The command line writes the same report.
    let out = common::practica_command()
        .args([
            "report",
            "--since",
            "2025-07-01",
            "--until",
            TODAY,
            "--today",
            TODAY,
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), md);
}

#[test]
fn the_html_summary_is_a_whole_page_with_its_charts() {
    let dir = community(true);
    let html = report(dir.path(), ReportFormat::Html);
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("@page { size: A4;"));
    assert!(html.contains("<li>3 contributors (3 new)</li>"));
    // Five charts; who knows and who learns each topic is a table on paper.
    assert_eq!(html.matches("<svg class=\"chart\"").count(), 5);
    assert!(html.contains("<caption>Members who know and who want to learn each topic</caption>"));
    assert!(!html.contains("http"), "the summary fetches nothing");
}

#[test]
fn a_period_that_ends_before_it_starts_is_refused() {
    let dir = community(false);
    let outcome = practica::report(&ReportRequest {
        since: Some("2026-02-01".parse().unwrap()),
        until: Some("2026-01-01".parse().unwrap()),
        ..ReportRequest::new(dir.path())
    });
    assert_eq!(outcome.exit_code(), 2);
    let message = &outcome.diagnostics.iter().next().unwrap().message;
    assert!(
        message.contains("--since 2026-02-01 is after --until 2026-01-01"),
        "{message}"
    );
}

#[test]
fn outside_git_the_page_says_what_it_cannot_know() {
    let dir = community(false);
    let page = insights_page(dir.path());
    assert_has(&page, "This folder is not in a git repository");
    assert_has(&page, "come from front matter dates alone");
    // Front matter still tells who wrote what when: the authors.
    assert_has(&page, &row(&["2025 Q3", "2", "2", "1 of 2", "2", "0"]));
    assert_has(&page, &row(&["2025 Q4", "1", "0", "0 of 1", "1", "0"]));
    // No past status or gaps: only today's quarter.
    assert_has(&page, &row(&["2026 Q2", "1", "0", "1", "0", "0"]));
    assert!(!page.contains(&row(&["2025 Q3", "1", "0", "0", "0", "0"])));
    assert_has(
        &page,
        "Without git history, only the authors named in front matter are counted.",
    );
}

#[test]
fn a_shallow_clone_is_told_to_fetch_the_history() {
    let origin = community(true);
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.path().display());
    git(clone.path(), &["clone", "-q", "--depth", "1", &url, "c"]);
    let page = insights_page(&clone.path().join("c"));
    assert_has(&page, "This is a shallow clone");
    assert_has(&page, "git fetch --unshallow");
    assert!(!page.contains("Dee Ray"), "no commit author is known");
}

#[test]
fn no_history_reads_front_matter_only() {
    let dir = community(true);
    let out = tempfile::tempdir().unwrap();
    let report = practica::build(&BuildOptions {
        output: Some(out.path().to_path_buf()),
        today: Some(today()),
        history: false,
        ..BuildOptions::new(dir.path())
    });
    assert!(report.written);
    let page = std::fs::read_to_string(out.path().join("insights/index.html")).unwrap();
    assert_has(&page, "Git history is turned off");
    assert!(!page.contains("Dee Ray"));
    // The setting does the same.
    write(
        dir.path(),
        "community.yaml",
        &format!("{CONFIG}history: false\n"),
    );
    assert_has(&insights_page(dir.path()), "Git history is turned off");
}

#[test]
fn home_and_the_gap_map_link_to_insights() {
    let dir = community(false);
    let out = tempfile::tempdir().unwrap();
    practica::build(&BuildOptions {
        output: Some(out.path().to_path_buf()),
        today: Some(today()),
        ..BuildOptions::new(dir.path())
    });
    let home = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert_has(&home, "href=\"./insights/index.html\"");
    let gaps = std::fs::read_to_string(out.path().join("gaps/index.html")).unwrap();
    assert_has(&gaps, "href=\"../insights/index.html#coverage\"");
}

/// `serve` reads the history once, and again when a commit moves the
/// head: an edit alone changes no commit count; the commit does, and its
/// page is then the one `build` makes.
#[test]
fn serve_reads_the_history_again_after_a_commit() {
    let dir = community(true);
    let root = dir.path();
    let mut live = practica::serve::live::LiveSite::open(root, false, Some(today()));
    let page = |live: &practica::serve::live::LiveSite| {
        let bytes = live.publish().file("insights/index.html").unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    };
    assert_has(&page(&live), "and 6 git commits");
    let edited = root.join("practices/worm-bins.md");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(
        &edited,
        text.replace("status: proposed", "status: emerging"),
    )
    .unwrap();
    live.update(&[edited]);
    assert_has(&page(&live), "and 6 git commits");
    commit(root, &DEE, "2026-05-01", "worms emerge");
    live.update(&[root.join(".git/refs/heads/main")]);
    let served = page(&live);
    assert_has(&served, "and 7 git commits");
    assert_has(&served, &row(&["Dee Ray", "dee@example.org", "2"]));
    let built = common::built_files(root, today());
    assert_eq!(served.as_bytes(), built["insights/index.html"].as_slice());
}

/// The bundled example, given a history: its members in one quarter, its
/// practices in the next, the rest in a third, then a practice proven.
#[test]
fn the_example_given_a_history_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::copy_example(root);
    git(root, &["init", "-q"]);
    let staged = |paths: &[&str]| {
        let mut args = vec!["add", "--"];
        args.extend_from_slice(paths);
        git(root, &args);
    };
    let commit_staged = |author: &Author, date: &str| commit_staged(root, author, date, "history");
    staged(&["community.yaml", "members", "static"]);
    // Amara's profile lists this address under `git:`.
    let amara = Author {
        name: "amara",
        email: "Amara@Example.org",
    };
    commit_staged(&amara, "2025-10-06");
    staged(&["practices"]);
    commit_staged(&BEN, "2026-01-12");
    staged(&["."]);
    commit_staged(&DEE, "2026-04-20");
    let practice = root.join("practices/field-gleaning-days.md");
    let text = std::fs::read_to_string(&practice).unwrap();
    assert!(text.contains("status: proposed"));
    std::fs::write(
        &practice,
        text.replace("status: proposed", "status: emerging"),
    )
    .unwrap();
    commit(root, &DEE, "2026-05-02", "gleaning emerges");
    let page = insights_page(root);
    assert_has(&page, "and 4 git commits that changed documents");
    // Practices came in 2026 Q1: the quarter before has none of them.
    assert_has(&page, &row(&["2025 Q4", "0", "0", "0", "0", "0"]));
    let json: serde_json::Value = serde_json::from_str(&report(root, ReportFormat::Json)).unwrap();
    let emerging: Vec<u64> = json["impact"]["status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["practices"]["emerging"].as_u64().unwrap())
        .collect();
    let proposed_now =
        json["impact"]["status"].as_array().unwrap().last().unwrap()["practices"]["proposed"]
            .as_u64()
            .unwrap();
    // One more emerging practice now than at the end of 2026 Q1, one fewer proposed.
    assert_eq!(
        emerging[emerging.len() - 1],
        emerging[emerging.len() - 2] + 1,
        "{emerging:?}"
    );
    assert_eq!(proposed_now, 0);
    let unmatched: Vec<&str> = json["participation"]["unmatched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(unmatched, ["Dee Ray", "Benjamin O"]);
    assert!(
        json["participation"]["topics"]
            .to_string()
            .contains("Amara Okafor")
    );
}

/// The past quarters are kept in the cache folder: a second build asks
/// git for no tree and the page is the same; a settings change, which
/// changes what the rules find, is not answered from it.
#[test]
fn past_quarters_come_from_the_cache_until_the_settings_change() {
    let dir = community(true);
    let cache = tempfile::tempdir().unwrap();
    let build = || {
        let out = tempfile::tempdir().unwrap();
        let report = practica::build(&BuildOptions {
            output: Some(out.path().join("site")),
            today: Some(today()),
            cache: Some(cache.path().to_path_buf()),
            ..BuildOptions::new(dir.path())
        });
        assert!(report.written, "{:?}", report.diagnostics);
        std::fs::read_to_string(out.path().join("site/insights/index.html")).unwrap()
    };
    let first = build();
    let stored: Vec<String> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("history-"))
        .collect();
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(build(), first);
    assert_eq!(first, insights_page(dir.path()), "the same without a cache");
    write(
        dir.path(),
        "community.yaml",
        &format!("{CONFIG}gaps:\n  rules:\n    orphan: off\n"),
    );
    let coverage = coverage_rows(&build());
    assert!(
        !coverage["2025 Q3"].contains_key("Not linked"),
        "{coverage:?}"
    );
    assert_eq!(coverage["2025 Q3"]["All gaps"], "4");
}

/// At 10,000 documents "Evidence per practice" alone had 4,000 rows and
/// made the page 680 KB: the page shows the first 100 of a table and says
/// how many more the JSON report has.
#[test]
fn a_long_table_shows_its_first_hundred_rows_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "community.yaml", "title: Many\n");
    for n in 0..130 {
        write(
            dir.path(),
            &format!("practices/p{n:03}.md"),
            &doc(
                &format!("title: Practice {n:03}\ndate: 2026-01-01"),
                "Text.\n",
            ),
        );
    }
    let page = insights_page(dir.path());
    let evidence = page
        .split("<caption>Evidence per practice</caption>")
        .nth(1)
        .and_then(|rest| rest.split("</details>").next())
        .expect("the evidence table");
    assert_eq!(
        evidence.matches("<tr><th scope=\"row\">").count(),
        100,
        "{evidence}"
    );
    assert_has(
        evidence,
        "30 more rows: practica report --format json lists every one.",
    );
    let json = report(dir.path(), ReportFormat::Json);
    assert_eq!(
        json.matches("\"Practice 129\"").count(),
        2,
        "the report keeps every row: {json}"
    );
}

/// The quarters' last commits hold 8 distinct versions: 5 are today's
/// files (the members, `hot-compost` established, `farm-trial`), read and
/// parsed once, as today's documents; 3 are read from git. With the index
/// emptied git holds none of today's files as they are, so all 8 are read
/// from git: the page is the same.
#[test]
fn a_past_version_that_is_today_s_file_is_read_once() {
    let dir = community(true);
    let (page, used) = first_build(dir.path());
    let expected = HistoryUse {
        parsed: 3,
        cached: 0,
        today: 5,
    };
    assert_eq!(used, Some(expected));
    git(dir.path(), &["rm", "-r", "-q", "--cached", "."]);
    let (from_git, used) = first_build(dir.path());
    let expected = HistoryUse {
        parsed: 8,
        cached: 0,
        today: 0,
    };
    assert_eq!(used, Some(expected));
    assert_eq!(from_git, page);
}

/// `hot-compost` edited since its last commit: its version at the end of
/// 2026 Q1 is read from git (established), not taken from today's file.
#[test]
fn a_file_changed_since_its_last_commit_is_read_from_git_for_the_past() {
    let dir = community(true);
    let retired = practice(
        "retired",
        "compost",
        "ana",
        "2025-08-05",
        "Turn it weekly.\n",
    );
    write(dir.path(), "practices/hot-compost.md", &retired);
    let (_, used) = first_build(dir.path());
    let expected = HistoryUse {
        parsed: 4,
        cached: 0,
        today: 4,
    };
    assert_eq!(used, Some(expected));
    let json: serde_json::Value =
        serde_json::from_str(&report(dir.path(), ReportFormat::Json)).unwrap();
    let statuses: Vec<(&str, &serde_json::Value)> = json["impact"]["status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["quarter"].as_str().unwrap(),
                &s["practices"]["established"],
            )
        })
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("2025 Q3", &0.into()),
            ("2025 Q4", &0.into()),
            ("2026 Q1", &1.into()),
            ("2026 Q2", &0.into()),
        ]
    );
}

/// The history's commits and the documents' dates come from one walk of
/// the history: a first build runs one `git log` that lists files, not
/// one for insights and one for the dates; the dates are those `check`
/// (no insights) gives.
#[test]
fn a_first_build_walks_the_history_once() {
    let dir = community(true);
    let shim = tempfile::tempdir().unwrap();
    let calls = shim.path().join("calls");
    let path = common::logging_git(shim.path(), &calls);
    let out = tempfile::tempdir().unwrap();
    let built = common::practica_command()
        .args(["build", "--no-cache", "-o"])
        .arg(out.path())
        .current_dir(dir.path())
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let calls = std::fs::read_to_string(calls).unwrap();
    let walks: Vec<&str> = calls
        .lines()
        .filter(|l| l.contains(" log ") && l.contains(" --name-"))
        .collect();
    assert_eq!(walks.len(), 1, "{calls}");
    let page = std::fs::read_to_string(out.path().join("guides/turning/index.html")).unwrap();
    assert_has(&page, "updated <time datetime=\"2026-04-02\"");
}
