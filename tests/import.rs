//! `practica import`: each fixture site (written in its engine's own
//! conventions) is imported into a temporary folder and built for real: no
//! errors, the pages expected, no broken internal link, front matter mapped,
//! what could not be converted reported at its `file:line`, and the source
//! left byte for byte as it was.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use practica::BuildOptions;
use practica::diagnostic::Origin;
use practica::import::{Engine, ImportOptions, ImportReport, PageOutcome};
use sha2::{Digest, Sha256};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// Every file under `root` (hidden ones too) with a hash of its bytes.
fn hashes(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(root).unwrap().display().to_string();
            (
                path,
                Sha256::digest(std::fs::read(e.path()).unwrap()).to_vec(),
            )
        })
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().map(Result::unwrap) {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fixture imported into a temporary folder, the source checked untouched.
struct Imported {
    _dir: tempfile::TempDir,
    dest: PathBuf,
    report: ImportReport,
}

impl Imported {
    fn of(name: &str) -> Imported {
        Imported::with(name, |_| {})
    }

    fn with(name: &str, change: impl FnOnce(&mut ImportOptions)) -> Imported {
        let source = fixture(name);
        let before = hashes(&source);
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("community");
        let mut options = ImportOptions {
            source: source.clone(),
            dest: dest.clone(),
            engine: None,
            rules: Vec::new(),
            dry_run: false,
        };
        change(&mut options);
        let report = practica::import::import(&options).expect("the import runs");
        assert!(report.written);
        assert_eq!(hashes(&source), before, "the source was changed");
        Imported {
            _dir: dir,
            dest,
            report,
        }
    }

    fn text(&self, path: &str) -> String {
        std::fs::read_to_string(self.dest.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Builds the community: it must build with no error, and its pages
    /// have no broken internal link.
    fn build(&self) -> PathBuf {
        let out = self.dest.with_file_name("site");
        let report = practica::build(&BuildOptions {
            output: Some(out.clone()),
            ..BuildOptions::new(&self.dest)
        });
        assert_eq!(
            report.diagnostics.errors(),
            0,
            "{:#?}",
            common::messages(&report)
        );
        assert!(report.written);
        assert_eq!(common::broken_links(&out), Vec::<String>::new());
        out
    }

    /// The one report line whose message contains `needle`, as `file:line`.
    fn leftover(&self, needle: &str) -> String {
        let found = self.places(needle);
        assert_eq!(found.len(), 1, "{needle:?} in {:#?}", self.report.leftovers);
        found[0].clone()
    }

    /// Where the report lines whose message contains `needle` are, as `file:line`.
    fn places(&self, needle: &str) -> Vec<String> {
        self.report
            .leftovers
            .iter()
            .filter(|d| d.message.contains(needle))
            .map(|d| match &d.origin {
                Origin::At { path, span } => format!("{path}:{}", span.line),
                Origin::Whole { path } => path.clone(),
                Origin::Run | Origin::DefaultTheme { .. } => String::new(),
            })
            .collect()
    }

    fn dest_of(&self, source: &str) -> Option<String> {
        self.report
            .pages
            .iter()
            .find(|p| p.source == source)
            .and_then(|p| match &p.outcome {
                PageOutcome::Imported { dest, .. } => Some(dest.clone()),
                PageOutcome::Skipped { .. } => None,
            })
    }
}

fn exists(out: &Path, pages: &[&str]) {
    for page in pages {
        assert!(out.join(page).is_file(), "{page} was not built");
    }
}

#[test]
fn each_fixture_is_recognised_by_its_files() {
    for (name, engine) in [
        ("hugo", Engine::Hugo),
        ("jekyll", Engine::Jekyll),
        ("zola", Engine::Zola),
        ("mkdocs", Engine::MkDocs),
        ("obsidian", Engine::Obsidian),
    ] {
        assert_eq!(Engine::detect(&fixture(name)), Some(engine), "{name}");
    }
    assert_eq!(Engine::detect(&common::example()), None);
}

#[test]
fn a_hugo_site_imports_and_builds() {
    let imported = Imported::of("hugo");
    let out = imported.build();
    exists(
        &out,
        &[
            "case-studies/first-pickup/index.html",
            "case-studies/cold-chain/index.html",
            "guides/handover/index.html",
            "guides/riverside-food-rescue/index.html",
            "members/amara-okafor/index.html",
            "members/daniel-cho/index.html",
            "images/van.svg",
            "2024/03/cold-chain/probe.svg",
        ],
    );
    assert!(!out.join("case-studies/draft-idea/index.html").exists());
    let post = imported.text("case-studies/first-pickup.md");
    for line in [
        "title: Our first supermarket pickup\n",
        "summary: What we learned from the first collection at the Mill Road supermarket.\n",
        "date: 2024-03-04\n",
        "updated: 2024-03-20\n",
        "tags: [cold-chain, supermarkets, collections]\n",
        "authors: [amara-okafor]\n",
        // `relref` with an anchor, a root-relative image, a permalink, an alias on the site's own address.
        "[handover checklist](../guides/handover.md#the-checklist)",
        "![Our van at the loading bay](../static/images/van.svg)",
        "[the cold chain post](cold-chain.md)",
        "[original announcement](first-pickup.md)",
    ] {
        assert!(post.contains(line), "{line:?} not in\n{post}");
    }
    assert!(!post.contains("layout"), "{post}");
    let bundle = imported.text("case-studies/cold-chain.md");
    assert!(
        bundle.contains("![Probe reading](../static/2024/03/cold-chain/probe.svg)"),
        "{bundle}"
    );
    assert!(
        bundle.contains("authors: [amara-okafor, daniel-cho]\n"),
        "{bundle}"
    );
    assert!(
        bundle.contains("mood: relieved\n"),
        "unknown keys are kept: {bundle}"
    );
    assert!(
        imported
            .text("case-studies/draft-idea.md")
            .contains("draft: true\n")
    );
    let guide = imported.text("guides/handover.md");
    assert!(
        guide.contains("![The van](../static/images/van.svg)"),
        "figure: {guide}"
    );
    assert!(
        guide.contains("and our\ndraft plans.\n"),
        "a link to a draft keeps its text: {guide}"
    );
    let config = imported.text("community.yaml");
    assert!(
        config.contains("title: Riverside Food Rescue\n"),
        "{config}"
    );
    assert!(
        config.contains("  - slug: cold-chain\n    title: Cold Chain\n"),
        "{config}"
    );
    assert_eq!(
        imported.text("members/amara-okafor.md"),
        "---\ntitle: Amara Okafor\n---\n"
    );
    // `[[text]](url)` is a link with bracketed text, not a wikilink.
    let about = imported.text("guides/about.md");
    assert!(
        about.contains("Our [\\[code of conduct\\]](https://city.example.org/conduct)"),
        "{about}"
    );
    assert!(
        about.contains("[\\[the handover\\]](handover.md)"),
        "{about}"
    );
    assert_eq!(
        imported.leftover("shortcode `notice`"),
        "content/posts/first-pickup.md:20"
    );
    assert_eq!(
        imported.leftover("goes to a draft"),
        "content/docs/handover.md:24"
    );
    assert_eq!(
        imported.leftover("`weight`"),
        "content/posts/first-pickup.md:11"
    );
    assert_eq!(imported.leftover("`toc`"), "content/docs/handover.md:6");
    assert_eq!(imported.dest_of("content/posts/_index.md"), None);
}

#[test]
fn a_jekyll_site_imports_and_builds() {
    let imported = Imported::of("jekyll");
    let out = imported.build();
    exists(
        &out,
        &[
            "case-studies/moving-to-choice/index.html",
            "case-studies/summer-heat/index.html",
            "practices/shelf-rota/index.html",
            "guides/about/index.html",
            "members/marisol/index.html",
            "members/kwame/index.html",
            "assets/img/shelves.svg",
        ],
    );
    let post = imported.text("case-studies/moving-to-choice.md");
    for line in [
        "summary: Why we stopped handing out fixed parcels.\n",
        "date: 2023-05-02\n",
        // Space-separated categories, then tags.
        "tags: [pantry, news, choice-pantry, dignity]\n",
        "authors: [marisol]\n",
        // `{% link %}` to a collection, a root-relative link under `baseurl`.
        "[shelf rota](../practices/shelf-rota.md)",
        "[new sign-in sheet](../guides/about.md)",
    ] {
        assert!(post.contains(line), "{line:?} not in\n{post}");
    }
    assert!(!post.contains("{:toc}"), "{post}");
    let heat = imported.text("case-studies/summer-heat.md");
    for line in [
        "updated: 2023-06-12\n",
        "authors: [marisol, kwame]\n",
        // Jekyll's `lang`, practica's `language`.
        "language: en-GB\n",
        // `{{ site.baseurl }}{% post_url %}#anchor`, and the site's own absolute address.
        "[moving to choice](moving-to-choice.md#what-it-took)",
        "[full story](moving-to-choice.md)",
        "```bash\n",
        "Templates write `{{ page.title }}`;",
    ] {
        assert!(heat.contains(line), "{line:?} not in\n{heat}");
    }
    let about = imported.text("guides/about.md");
    assert!(
        about.contains("![Our shelves](../static/assets/img/shelves.svg)"),
        "{about}"
    );
    assert!(about.contains("The events calendar moved"), "{about}");
    // Raw HTML to the site becomes markdown; `redirect_from` is an old address.
    assert!(
        about.contains("\n![The shelves again](../static/assets/img/shelves.svg)\n"),
        "{about}"
    );
    assert!(
        about.contains("Ask the [rota keeper](../practices/shelf-rota.md) before"),
        "{about}"
    );
    assert!(
        imported
            .text("case-studies/winter-coats.md")
            .contains("draft: true\n")
    );
    assert!(
        imported
            .text("practices/shelf-rota.md")
            .contains("status: established\n")
    );
    // `_data/authors.yml` names the authors.
    assert_eq!(
        imported.text("members/marisol.md"),
        "---\ntitle: Marisol Vega\n---\n"
    );
    assert_eq!(
        imported.leftover("`{% include %}`"),
        "_posts/2023-05-02-moving-to-choice.md:25"
    );
    assert_eq!(
        imported.leftover("`{{ site.title }}`"),
        "_posts/2023-06-10-summer-heat.markdown:18"
    );
    assert_eq!(
        imported.leftover("`{: .note}`"),
        "_posts/2023-05-02-moving-to-choice.md:23"
    );
    assert_eq!(imported.leftover("`/wiki/events/`"), "about.md:12");
    assert_eq!(
        imported.places("renders this file"),
        ["404.html", "assets/css/style.scss"]
    );
    assert_eq!(imported.leftover("repository file"), "README.md");
    assert_eq!(imported.dest_of("index.md"), None);
}

#[test]
fn a_zola_site_imports_and_builds() {
    let imported = Imported::of("zola");
    let out = imported.build();
    exists(
        &out,
        &[
            "case-studies/pantry-opening/index.html",
            "case-studies/volunteer-rota/index.html",
            "guides/sorting/index.html",
            "guides/guides/index.html",
            "members/sofia-lindqvist/index.html",
            "members/tomasz-wierzbicki/index.html",
            "blog/volunteer-rota/rota.csv",
            "img/crate.svg",
        ],
    );
    let post = imported.text("case-studies/pantry-opening.md");
    for line in [
        "summary: From one evening a week to two days.\n",
        "date: 2024-01-15\n",
        "tags: [pantry, opening-hours]\n",
        "authors: [sofia-lindqvist]\n",
        "cover: img/crate.svg\n",
        "[volunteer rota](volunteer-rota.md)",
        "[sorting guide](../guides/sorting.md#allergens)",
        "![A full crate](../static/img/crate.svg)",
    ] {
        assert!(post.contains(line), "{line:?} not in\n{post}");
    }
    let rota = imported.text("case-studies/volunteer-rota.md");
    assert!(
        rota.contains("authors: [tomasz-wierzbicki]\n"),
        "`[extra] author`: {rota}"
    );
    assert!(rota.contains("[rota as a spreadsheet](../static/blog/volunteer-rota/rota.csv)"));
    assert!(
        rota.contains("[why we opened](pantry-opening.md)"),
        "{rota}"
    );
    let guide = imported.text("guides/sorting.md");
    assert!(guide.contains("[Saturday announcement](../case-studies/pantry-opening.md)"));
    assert_eq!(
        imported.leftover("shortcode `youtube`"),
        "content/blog/volunteer-rota/index.md:17"
    );
    assert_eq!(
        imported.leftover("shortcode `note`"),
        "content/guides/sorting.md:18"
    );
    assert_eq!(imported.dest_of("content/_index.md"), None);
}

#[test]
fn an_mkdocs_project_imports_and_builds() {
    let imported = Imported::of("mkdocs");
    let out = imported.build();
    exists(
        &out,
        &[
            "guides/community-fridge-handbook/index.html",
            "guides/setup/index.html",
            "guides/first-shift/index.html",
            "guides/glossary/index.html",
            "practices/temperature-logs/index.html",
            "img/fridge.svg",
        ],
    );
    let setup = imported.text("guides/getting-started/setup.md");
    // No front matter: the first heading is the title, and leaves the body.
    assert!(
        setup.starts_with("---\ntitle: Setting up a fridge\n---\n"),
        "{setup}"
    );
    assert!(!setup.contains("# Setting up"), "{setup}");
    assert!(
        setup.contains("> **Check the socket**\n> Ask an electrician"),
        "{setup}"
    );
    assert!(
        setup.contains("(../reference/glossary.md#cold-chain)"),
        "{setup}"
    );
    assert!(
        setup.contains("[Next: your first shift](first-shift.md)\n"),
        "{setup}"
    );
    let logs = imported.text("practices/temperature-logs.md");
    assert!(logs.contains("**Paper**\n\nUse the sheet"), "{logs}");
    assert!(
        logs.contains("(../guides/community-fridge-handbook.md)"),
        "{logs}"
    );
    let shift = imported.text("guides/getting-started/first-shift.md");
    assert!(shift.contains("tags: [volunteers, hygiene]\n"), "{shift}");
    assert!(shift.contains("(setup.md#before-you-start)"), "{shift}");
    assert_eq!(
        imported.leftover("`{ .md-button }`"),
        "docs/getting-started/setup.md:14"
    );
}

#[test]
fn an_obsidian_vault_imports_and_builds() {
    let imported = Imported::of("obsidian");
    let out = imported.build();
    exists(
        &out,
        &[
            "guides/welcome/index.html",
            "guides/first-shift/index.html",
            "practices/cold-chain-handover/index.html",
            "practices/field-gleaning-days/index.html",
            "members/grace-whitfield/index.html",
            "attachments/probe.svg",
            "attachments/field-day.svg",
        ],
    );
    let welcome = imported.text("guides/welcome.md");
    assert!(welcome.contains("[[cold-chain-handover]]"), "{welcome}");
    assert!(
        welcome.contains("[[first-shift|your first shift]]"),
        "{welcome}"
    );
    // A note not written yet is a wanted page.
    assert!(welcome.contains("[[?Farm Insurance]]"), "{welcome}");
    assert!(
        welcome.contains("tags: [onboarding]\n"),
        "inline #tags: {welcome}"
    );
    let gleaning = imported.text("practices/field-gleaning-days.md");
    for line in [
        "title: Field Gleaning Days\n",
        "tags: [gleaning, food-safety]\n",
        "authors: [grace-whitfield]\n",
        "[[cold-chain-handover|the handover]]",
        "[[cold-chain-handover#the-checklist|its checklist]]",
        "![field day](../static/attachments/field-day.svg)",
        "<!--Ask Grace about the insurance letter.-->",
    ] {
        assert!(gleaning.contains(line), "{line:?} not in\n{gleaning}");
    }
    let handover = imported.text("practices/cold-chain-handover.md");
    assert!(
        handover.contains("date: 2024-02-11\n"),
        "`created`: {handover}"
    );
    assert!(
        handover.contains("1. Probe one item per crate.\n"),
        "block ids go: {handover}"
    );
    let shift = imported.text("guides/first-shift.md");
    assert!(
        shift.contains("(../practices/field-gleaning-days.md)"),
        "{shift}"
    );
    assert!(
        imported
            .text("community.yaml")
            .contains("  - slug: food-safety\n    title: Safety\n    parent: food\n")
    );
    // Grace has a note of her own: no profile is started for her.
    assert!(imported.report.members_started.is_empty());
    assert_eq!(
        imported.leftover("shows a note inside"),
        "Guides/First Shift.md:8"
    );
    assert_eq!(
        imported.leftover("`#^probe-step`"),
        "Guides/First Shift.md:6"
    );
}

#[test]
fn pages_that_would_share_a_slug_get_their_own() {
    let site = tempfile::tempdir().unwrap();
    let files = [
        ("mkdocs.yml", "site_name: Two setups\n"),
        (
            "docs/fridges/setup.md",
            "# Setting up a fridge\n\nSee [the pantry](../pantries/setup.md).\n",
        ),
        (
            "docs/pantries/setup.md",
            "# Setting up a pantry\n\nSee [the fridge](../fridges/setup.md).\n",
        ),
    ];
    for (path, text) in files {
        let path = site.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("community");
    let report = practica::import::import(&ImportOptions {
        source: site.path().to_path_buf(),
        dest: dest.clone(),
        engine: None,
        rules: Vec::new(),
        dry_run: false,
    })
    .unwrap();
    let second = std::fs::read_to_string(dest.join("guides/pantries/setup-2.md")).unwrap();
    assert!(
        second.contains("[the fridge](../fridges/setup.md)"),
        "{second}"
    );
    let first = std::fs::read_to_string(dest.join("guides/fridges/setup.md")).unwrap();
    assert!(
        first.contains("[the pantry](../pantries/setup-2.md)"),
        "{first}"
    );
    let renamed: Vec<String> = report.leftovers.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        renamed,
        [
            "docs/pantries/setup.md: warning: another page of the guides already has the slug `setup`: this one is `setup-2`\n  hint: a section's slugs are unique in practica; rename the file if another name suits it better"
        ]
    );
    let built = practica::build(&BuildOptions {
        output: Some(dir.path().join("site")),
        ..BuildOptions::new(&dest)
    });
    assert_eq!(
        built.diagnostics.errors(),
        0,
        "{:#?}",
        common::messages(&built)
    );
    assert!(common::broken_links(&dir.path().join("site")).is_empty());
}

/// Writes files into a new temporary folder.
fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

#[test]
fn hostile_pages_are_reported_not_fatal_in_every_engine() {
    let mut hostile = String::from("---\ntitle: Braces\n---\n");
    for piece in [
        "{%",
        "{{<",
        "{{%",
        "{{ f(",
        "{",
        "[[",
        "<a href=\"/x/\">",
        "%%",
        "!!! note\n",
    ] {
        hostile.push_str(&piece.repeat(3000));
        hostile.push('\n');
    }
    let broken = b"---\ntitle: [unclosed\n---\nText\n".as_slice();
    let layouts: [(&str, &str, &str); 5] = [
        ("hugo.toml", "content/", "title = \"H\"\n"),
        ("_config.yml", "", "title: J\n"),
        (
            "config.toml",
            "content/",
            "base_url = \"https://z.example.org\"\n",
        ),
        ("mkdocs.yml", "docs/", "site_name: M\n"),
        (".obsidian/app.json", "", "{}\n"),
    ];
    for (config, content, settings) in layouts {
        let hostile_page = format!("{content}braces.md");
        let broken_page = format!("{content}broken.md");
        let latin1_page = format!("{content}latin1.md");
        let source = site(&[
            (config, settings.as_bytes()),
            (&hostile_page, hostile.as_bytes()),
            (&broken_page, broken),
            (&latin1_page, b"caf\xe9\n"),
        ]);
        let dir = tempfile::tempdir().unwrap();
        let started = std::time::Instant::now();
        let report = practica::import::import(&ImportOptions {
            source: source.path().to_path_buf(),
            dest: dir.path().join("community"),
            engine: None,
            rules: Vec::new(),
            dry_run: false,
        })
        .unwrap_or_else(|e| panic!("{config}: {e}"));
        assert!(
            started.elapsed().as_secs() < 20,
            "{config}: {:?}",
            started.elapsed()
        );
        let places: Vec<String> = report.leftovers.iter().filter_map(|d| d.place()).collect();
        assert!(
            places.contains(&format!("{broken_page}:2:8")),
            "{config}: {places:?}"
        );
        assert!(places.contains(&latin1_page), "{config}: {places:?}");
        let built = practica::build(&BuildOptions {
            write: false,
            ..BuildOptions::new(dir.path().join("community"))
        });
        assert_eq!(
            built.diagnostics.errors(),
            0,
            "{config}: {:#?}",
            common::messages(&built)
        );
    }
}

#[test]
fn a_dry_run_writes_nothing_and_plans_what_an_import_does() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("community");
    let options = ImportOptions {
        source: fixture("jekyll"),
        dest: dest.clone(),
        engine: None,
        rules: Vec::new(),
        dry_run: true,
    };
    let planned = practica::import::import(&options).unwrap();
    assert!(!planned.written);
    assert!(!dest.exists());
    let imported = Imported::of("jekyll");
    assert_eq!(planned.pages, imported.report.pages);
    assert_eq!(planned.leftovers, imported.report.leftovers);
    assert_eq!(planned.members_started, imported.report.members_started);
}

#[test]
fn folder_rules_choose_kinds_and_leave_pages_out() {
    let imported = Imported::with("hugo", |options| {
        options.rules = vec![
            "posts=practice".parse().unwrap(),
            "about.md=skip".parse().unwrap(),
        ];
    });
    imported.build();
    assert_eq!(
        imported.dest_of("content/posts/first-pickup.md").as_deref(),
        Some("practices/first-pickup.md")
    );
    assert_eq!(imported.dest_of("content/about.md"), None);
    assert!(
        imported
            .text("guides/handover.md")
            .contains("(../practices/first-pickup.md)")
    );
}

#[test]
fn a_destination_that_is_not_empty_or_inside_the_source_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    let refused = |source: PathBuf, dest: PathBuf| {
        practica::import::import(&ImportOptions {
            source,
            dest,
            engine: None,
            rules: Vec::new(),
            dry_run: false,
        })
        .unwrap_err()
    };
    let problem = refused(fixture("zola"), dir.path().to_path_buf());
    assert!(problem.message.contains("not an empty folder"), "{problem}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("keep.txt")).unwrap(),
        "mine"
    );
    // A copy, so a failure could not write into the fixture.
    let copy = tempfile::tempdir().unwrap();
    copy_tree(&fixture("zola"), copy.path());
    let before = hashes(copy.path());
    // However the path is written: `static/../x/..` is the source itself.
    for inside in ["content/imported", "static/../x/.."] {
        let problem = refused(copy.path().to_path_buf(), copy.path().join(inside));
        assert!(
            problem.message.contains("inside the site"),
            "{inside}: {problem}"
        );
    }
    assert_eq!(hashes(copy.path()), before);
    let problem = refused(common::example(), dir.path().join("new"));
    assert!(problem.message.contains("does not look like"), "{problem}");
    assert!(problem.hint.unwrap().contains("--from"));
}

#[test]
fn the_command_plans_on_a_dry_run_and_checks_what_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("community");
    let run = |extra: &[&str]| {
        let mut command = common::practica_command();
        command
            .arg("import")
            .arg(fixture("mkdocs"))
            .arg(&dest)
            .args(extra)
            .env("NO_COLOR", "1");
        command.output().unwrap()
    };
    let dry = run(&["--dry-run", "--map", "reference=skip"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&dry.stdout),
        String::from_utf8_lossy(&dry.stderr),
    );
    assert!(dry.status.success(), "{stderr}");
    assert!(
        stdout.contains(
            "docs/practices/temperature-logs.md → practices/temperature-logs.md (practice)\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("docs/reference/glossary.md → not imported: --map says skip\n"),
        "{stdout}"
    );
    assert!(stderr.contains("nothing written"), "{stderr}");
    assert!(!dest.exists());
    let done = run(&["--from", "mkdocs"]);
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(done.status.success(), "{stderr}");
    assert!(
        stderr.contains("docs/getting-started/setup.md:14:"),
        "{stderr}"
    );
    assert!(stderr.contains("0 errors"), "{stderr}");
    let again = run(&[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("not an empty folder"));
    let bad = common::practica_command()
        .args(["import", "a", "b", "--map", "posts=blog"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a kind"));
}
