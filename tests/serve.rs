//! `serve`: incremental updates give the same bytes as `build`, the server
//! answers safely, and browsers hear about every change.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use practica::serve::live::{LiveSite, Outcome};
use practica::serve::{ServeOptions, Server};

use common::http::{get, listen, next_event, next_event_or_none, request};

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 1)
}

/// A copy of the bundled example community to edit.
fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_example(dir.path());
    dir
}

fn edit(root: &Path, path: &str, change: impl FnOnce(String) -> String) -> PathBuf {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    let text = std::fs::read_to_string(&full).unwrap_or_default();
    std::fs::write(&full, change(text)).unwrap();
    full
}

fn assert_same_as_build(live: &LiveSite, root: &Path, step: &str) {
    let served = live.publish().snapshot();
    let expected = common::built_files(root, today());
    let scripted = expected
        .iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains("__practica"));
    assert_eq!(
        scripted.count(),
        0,
        "build output never has the reload script"
    );
    let differing: Vec<&String> = expected
        .iter()
        .filter(|(path, bytes)| served.get(*path).map(|b| b.as_slice()) != Some(bytes.as_slice()))
        .map(|(path, _)| path)
        .chain(served.keys().filter(|p| !expected.contains_key(*p)))
        .collect();
    assert!(
        differing.is_empty(),
        "after {step}, these files differ from `build`: {differing:?}"
    );
}

/// Changes files in a community and returns the paths it touched.
type EditStep = dyn Fn(&Path) -> Vec<PathBuf>;

/// Replaces `from` with `to` in the file at `path`, which must hold it.
fn replace(root: &Path, path: &str, from: &str, to: &str) -> PathBuf {
    edit(root, path, |t| {
        assert!(t.contains(from), "{path} has no {from:?}");
        t.replacen(from, to, 1)
    })
}

/// Every fact a page can show of a document changes once (see
/// `render::facts::Fact`), on a site with feeds, so that every kind of page
/// and data file is made again by some step.
#[test]
fn every_kind_of_edit_serves_exactly_what_build_writes() {
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    replace(
        &root,
        "community.yaml",
        "# base_url: https://food-rescue-commons.example.org/",
        "base_url: https://food-rescue-commons.example.org/\npage_size: 5",
    );
    let mut live = LiveSite::open(&root, false, Some(today()));
    assert_same_as_build(&live, &root, "opening");
    // With five a page, sections have pages, between which edits move documents.
    assert!(live.publish().file("practices/page/2/index.html").is_some());

    let practice = "practices/weigh-and-record.md";
    let guide = "guides/writing-to-your-council.md";
    let member = "members/grace-whitfield.md";
    let steps: Vec<(&str, Box<EditStep>)> = vec![
        (
            "a prose edit",
            Box::new(|r| {
                vec![edit(r, practice, |t| {
                    t.replace("how\nmuch food?", "how\nmuch food, really?")
                })]
            }),
        ),
        (
            "a prose edit with the first word of a search shard",
            Box::new(|r| vec![edit(r, practice, |t| format!("{t}\nA qzxjv word.\n"))]),
        ),
        (
            "a title edit",
            Box::new(|r| {
                vec![edit(r, practice, |t| {
                    t.replace("title: Weigh and record at the door", "title: Weigh it all")
                })]
            }),
        ),
        (
            "new and dropped tags",
            Box::new(|r| {
                vec![edit(r, practice, |t| {
                    t.replace(
                        "tags: [impact-data, logistics]",
                        "tags: [impact-data, brand-new-topic]",
                    )
                })]
            }),
        ),
        (
            "a date edit",
            Box::new(|r| {
                vec![edit(r, practice, |t| {
                    t.replace("updated: 2026-06-20", "updated: 2021-01-01")
                })]
            }),
        ),
        (
            "a summary edit",
            Box::new(|r| {
                vec![replace(
                    r,
                    practice,
                    "summary: Weigh every",
                    "summary: Weigh each",
                )]
            }),
        ),
        (
            "a summary removed, so the first paragraph stands in",
            Box::new(|r| {
                vec![edit(r, guide, |t| {
                    let line = t.lines().find(|l| l.starts_with("summary: ")).unwrap();
                    t.replacen(&format!("{line}\n"), "", 1)
                })]
            }),
        ),
        (
            "the first paragraph edited",
            Box::new(|r| vec![replace(r, guide, "never write to", "rarely write to")]),
        ),
        (
            "a practice's status",
            Box::new(|r| {
                vec![replace(
                    r,
                    practice,
                    "status: established",
                    "status: emerging",
                )]
            }),
        ),
        (
            "a review date that has passed",
            Box::new(|r| {
                vec![replace(
                    r,
                    practice,
                    "review_by: 2027-04-01",
                    "review_by: 2026-01-01",
                )]
            }),
        ),
        (
            "a picture for shared links",
            Box::new(|r| {
                vec![replace(
                    r,
                    practice,
                    "owner: kwame-asante",
                    "image: ../static/images/cold-chain-handover.svg\nowner: kwame-asante",
                )]
            }),
        ),
        (
            "a practice's owner",
            Box::new(|r| {
                vec![replace(
                    r,
                    practice,
                    "owner: kwame-asante",
                    "owner: priya-raman",
                )]
            }),
        ),
        (
            "another author",
            Box::new(|r| {
                vec![replace(
                    r,
                    practice,
                    "authors: [kwame-asante]",
                    "authors: [kwame-asante, grace-whitfield]",
                )]
            }),
        ),
        (
            "a citation dropped",
            Box::new(|r| {
                vec![replace(
                    r,
                    "guides/onboarding-new-volunteers.md",
                    "practices: [volunteer-shift-briefing, lone-working-check-ins]",
                    "practices: [volunteer-shift-briefing]",
                )]
            }),
        ),
        (
            "links added, one to a heading",
            Box::new(|r| {
                vec![edit(r, guide, |t| {
                    format!(
                        "{t}\nCount with [[practices/weigh-and-record]], converting \
                         [as it says](../practices/weigh-and-record.md#converting-weight-to-meals).\n"
                    )
                })]
            }),
        ),
        (
            "a heading edit",
            Box::new(|r| vec![replace(r, practice, "## Pitfalls", "## Common pitfalls")]),
        ),
        (
            "a link removed",
            Box::new(|r| {
                vec![replace(
                    r,
                    guide,
                    "Count with [[practices/weigh-and-record]], c",
                    "C",
                )]
            }),
        ),
        (
            "a page the community wants written",
            Box::new(|r| {
                vec![edit(r, guide, |t| {
                    format!("{t}\nWe need [[?A tool library]].\n")
                })]
            }),
        ),
        (
            "a member's learning",
            Box::new(|r| {
                vec![replace(
                    r,
                    member,
                    "learning: [cold-chain, impact-data]",
                    "learning: [cold-chain, impact-data, policy]",
                )]
            }),
        ),
        (
            "a member's expertise",
            Box::new(|r| {
                vec![replace(
                    r,
                    member,
                    "expertise: [logistics, volunteer-safety, pantries]",
                    "expertise: [logistics, volunteer-safety, pantries, dignity]",
                )]
            }),
        ),
        (
            "a member's expertise in a topic no one had",
            Box::new(|r| {
                vec![replace(
                    r,
                    member,
                    "pantries, dignity]",
                    "pantries, dignity, bulk-buying]",
                )]
            }),
        ),
        (
            "a member's role and organization",
            Box::new(|r| {
                replace(r, member, "role: Warehouse", "role: Head of warehouse");
                vec![replace(
                    r,
                    member,
                    "organization: Harbour Food Hub\n",
                    "organization: Harbour Food Hub CIC\n",
                )]
            }),
        ),
        (
            "a member's profile links",
            Box::new(|r| {
                vec![replace(
                    r,
                    member,
                    "example.org/harbour-food-hub",
                    "example.org/hfh",
                )]
            }),
        ),
        (
            "a key only templates read",
            Box::new(|r| {
                vec![replace(
                    r,
                    "practices/choice-based-pantry.md",
                    "---\n",
                    "---\neffort: low\n",
                )]
            }),
        ),
        (
            "a case study made a draft",
            Box::new(|r| {
                vec![replace(
                    r,
                    "case-studies/summer-heatwave-cold-chain.md",
                    "---\n",
                    "---\ndraft: true\n",
                )]
            }),
        ),
        (
            "the draft published again",
            Box::new(|r| {
                vec![replace(
                    r,
                    "case-studies/summer-heatwave-cold-chain.md",
                    "draft: true\n",
                    "",
                )]
            }),
        ),
        (
            "a new member who mentors",
            Box::new(|r| {
                vec![edit(r, "members/nadia-osei.md", |_| {
                    "---\ntitle: Nadia Osei\nrole: Driver\nexpertise: [logistics, policy]\n\
                     mentor: true\n---\nDrives the van.\n"
                        .into()
                })]
            }),
        ),
        (
            "a new practice that links and is cited",
            Box::new(|r| {
                vec![
                    edit(r, "practices/crate-labels.md", |_| {
                        "---\ntitle: Crate labels\ntags: [logistics]\nauthors: [priya-raman]\n---\nUse with [[weigh-and-record]].\n".into()
                    }),
                    edit(r, "case-studies/counting-meals-honestly.md", |t| {
                        t.replace(
                            "practices: [weigh-and-record,",
                            "practices: [crate-labels, weigh-and-record,",
                        )
                    }),
                ]
            }),
        ),
        (
            "a member's expertise and mentoring",
            Box::new(|r| {
                vec![edit(r, "members/priya-raman.md", |t| {
                    t.replace(
                        "expertise: [food-safety,",
                        "expertise: [logistics, food-safety,",
                    )
                    .replace("mentor: true", "mentor: false")
                })]
            }),
        ),
        (
            "a renamed practice",
            Box::new(|r| {
                let old = r.join("practices/crate-labels.md");
                let new = r.join("practices/crate-labelling.md");
                std::fs::rename(&old, &new).unwrap();
                vec![
                    old,
                    new,
                    edit(r, "case-studies/counting-meals-honestly.md", |t| {
                        t.replace("crate-labels,", "crate-labelling,")
                    }),
                ]
            }),
        ),
        (
            "a deleted practice",
            Box::new(|r| {
                let gone = r.join("practices/crate-labelling.md");
                std::fs::remove_file(&gone).unwrap();
                vec![
                    gone,
                    edit(r, "case-studies/counting-meals-honestly.md", |t| {
                        t.replace("crate-labelling, ", "")
                    }),
                ]
            }),
        ),
        (
            "a folder of practices moved",
            Box::new(|r| {
                let old = r.join("practices/food-safety");
                let new = r.join("practices/safety");
                std::fs::rename(&old, &new).unwrap();
                let mut touched = vec![old, new];
                for linking in [
                    "practices/cold-chain-handover.md",
                    "guides/food-safety-basics-for-volunteers.md",
                    "guides/your-first-supermarket-collection.md",
                    "case-studies/summer-heatwave-cold-chain.md",
                ] {
                    touched.push(edit(r, linking, |t| {
                        [
                            "use-by-triage",
                            "temperature-logging",
                            "allergen-segregation",
                        ]
                        .iter()
                        .fold(t, |t, name| {
                            t.replace(&format!("food-safety/{name}"), &format!("safety/{name}"))
                        })
                    }));
                }
                touched
            }),
        ),
        (
            "a template override",
            Box::new(|r| {
                let card = include_str!("../themes/default/templates/card.html");
                vec![edit(r, "templates/card.html", |_| {
                    card.replace("<article", "<article data-edited")
                })]
            }),
        ),
        (
            "a new static file",
            Box::new(|r| vec![edit(r, "static/files/new.txt", |_| "hello".into())]),
        ),
        (
            "another new static file",
            Box::new(|r| vec![edit(r, "static/files/kept.txt", |_| "kept".into())]),
        ),
        (
            // The project's list of static files must have taken it in.
            "a link to that static file",
            Box::new(|r| {
                vec![edit(r, "guides/measuring-what-matters.md", |t| {
                    t + "\nThe [kept notes](../static/files/kept.txt).\n"
                })]
            }),
        ),
        (
            "a static file named like a default asset, then removed",
            Box::new(|r| {
                let shadow = edit(r, "static/assets/style.css", |_| "body {}".into());
                let gone = r.join("static/files/new.txt");
                std::fs::remove_file(&gone).unwrap();
                vec![shadow, gone]
            }),
        ),
        (
            "a community favicon, which replaces the theme's",
            Box::new(|r| {
                vec![edit(r, "static/assets/favicon.svg", |_| {
                    "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".into()
                })]
            }),
        ),
        (
            "the community favicon removed: the theme's is back",
            Box::new(|r| {
                let gone = r.join("static/assets/favicon.svg");
                std::fs::remove_file(&gone).unwrap();
                vec![gone]
            }),
        ),
        (
            "a toolkit's items reordered, one dropped and one added",
            Box::new(|r| {
                vec![replace(
                    r,
                    "toolkits/first-supermarket-collection-kit.md",
                    "  - pickup-window-scheduling\n  - volunteer-shift-briefing\n",
                    "  - volunteer-shift-briefing\n  - pickup-window-scheduling\n  - fridge-host-agreement\n",
                )]
            }),
        ),
        (
            "a toolkit's part, audience and introduction",
            Box::new(|r| {
                let kit = "toolkits/fridge-host-starter-kit.md";
                replace(
                    r,
                    kit,
                    "part: Keeping food safe",
                    "part: Keeping food safe to eat",
                );
                replace(r, kit, "audience: New fridge hosts", "audience: New hosts");
                vec![replace(r, kit, "is the work.", "is the real work.")]
            }),
        ),
        (
            "an item's title and status, shown in toolkits",
            Box::new(|r| {
                let item = "practices/lone-working-check-ins.md";
                replace(r, item, "status: emerging", "status: established");
                vec![replace(
                    r,
                    item,
                    "title: Lone working check-ins",
                    "title: Lone-working check-ins",
                )]
            }),
        ),
        (
            "a citation of a toolkit's practice, which it counts",
            Box::new(|r| {
                vec![replace(
                    r,
                    "guides/onboarding-new-volunteers.md",
                    "practices: [volunteer-shift-briefing]",
                    "practices: [volunteer-shift-briefing, fridge-cleaning-rota]",
                )]
            }),
        ),
        (
            "a new toolkit holding items of others",
            Box::new(|r| {
                vec![edit(r, "toolkits/cold-kit.md", |_| {
                    "---\ntitle: Cold kit\nauthors: [priya-raman]\nitems:\n  - part: Cold\n    items: [cold-chain-handover, temperature-logging]\n---\nStay cold.\n".into()
                })]
            }),
        ),
        (
            "a toolkit removed",
            Box::new(|r| {
                let gone = r.join("toolkits/cold-kit.md");
                std::fs::remove_file(&gone).unwrap();
                vec![gone]
            }),
        ),
        (
            "a file a toolkit's item links, edited",
            Box::new(|r| {
                vec![edit(r, "static/files/pickup-log.csv", |t| {
                    format!("{t}2026-03-05,in,Corner bakery,bakery,4.2,,AO,\n")
                })]
            }),
        ),
        (
            "a community.yaml edit",
            Box::new(|r| {
                vec![edit(r, "community.yaml", |t| {
                    t.replace(
                        "title: Food Rescue Commons",
                        "title: Food Rescue Commons (preview)",
                    )
                })]
            }),
        ),
    ];
    for (step, change) in steps {
        let paths = change(&root);
        let update = live.update(&paths);
        assert_ne!(
            update.outcome,
            Outcome::Failed,
            "{step}: {:?}",
            live.diagnostics()
        );
        assert_same_as_build(&live, &root, step);
    }
}

/// Whether `live` has a problem in the file at `path`.
fn warns_of(live: &LiveSite, path: &str) -> bool {
    live.diagnostics().iter().any(|d| d.path() == Some(path))
}

/// Two kinds of static file `serve` never published: one under a hidden
/// folder `publish_hidden` lets through (its events were dropped as
/// hidden), and a link added while serving (only plain files were
/// taken), which `build` follows while it stays in the community.
#[cfg(unix)]
#[test]
fn published_hidden_files_and_links_in_static_serve_what_build_writes() {
    use std::os::unix::fs::symlink;
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    edit(&root, "community.yaml", |t| {
        format!("{t}\npublish_hidden: [.well-known]\n")
    });
    let mut live = LiveSite::open(&root, false, Some(today()));

    let security = edit(&root, "static/.well-known/security.txt", |_| {
        "Contact: mailto:a@example.org\n".into()
    });
    live.update(&[security.parent().unwrap().to_path_buf(), security.clone()]);
    assert!(live.publish().file(".well-known/security.txt").is_some());
    assert_same_as_build(&live, &root, "a file added under .well-known");
    edit(&root, "static/.well-known/security.txt", |t| {
        t + "Expires: 2027-01-01T00:00:00Z\n"
    });
    live.update(std::slice::from_ref(&security));
    assert_same_as_build(&live, &root, "an edit under .well-known");

    let link = root.join("static/files/settings.txt");
    symlink(root.join("community.yaml"), &link).unwrap();
    live.update(std::slice::from_ref(&link));
    assert!(live.publish().file("files/settings.txt").is_some());
    assert_same_as_build(&live, &root, "a link to a file of the community");
    let hidden_link = root.join("static/.well-known/linked.txt");
    symlink(&security, &hidden_link).unwrap();
    live.update(std::slice::from_ref(&hidden_link));
    assert_same_as_build(&live, &root, "a link under .well-known");

    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    let out_link = root.join("static/files/secret.txt");
    symlink(outside.path().join("secret.txt"), &out_link).unwrap();
    live.update(std::slice::from_ref(&out_link));
    assert!(live.publish().file("files/secret.txt").is_none());
    assert!(
        warns_of(&live, "static/files/secret.txt"),
        "warned of, as build does"
    );
    assert_same_as_build(&live, &root, "a link out of the community");
    std::fs::remove_file(&out_link).unwrap();
    live.update(&[out_link]);
    assert!(
        !warns_of(&live, "static/files/secret.txt"),
        "the warning goes with the link"
    );
    std::fs::remove_file(&link).unwrap();
    live.update(&[link]);
    assert_same_as_build(&live, &root, "a link removed");
}

#[test]
fn prose_edits_render_one_page_and_stylesheet_edits_only_restyle() {
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    let mut live = LiveSite::open(&root, false, Some(today()));
    let changed = edit(&root, "guides/onboarding-new-volunteers.md", |t| {
        format!("{t}\nOne more line.\n")
    });
    let update = live.update(&[changed]);
    assert_eq!((update.outcome, update.pages), (Outcome::Reload, 1));
    // The page, its search fragment, the shards of its three new words and
    // the two search tables, out of hundreds of search files.
    assert!(update.rendered <= 7, "{update:?}");
    let page = live
        .publish()
        .file("guides/onboarding-new-volunteers/index.html")
        .unwrap();
    assert!(String::from_utf8_lossy(&page).contains("One more line."));

    let css = edit(&root, "static/extra.css", |_| "body { color: blue }".into());
    assert_eq!(
        live.update(std::slice::from_ref(&css)).outcome,
        Outcome::Reload
    );
    edit(&root, "static/extra.css", |_| "body { color: red }".into());
    let update = live.update(&[css]);
    assert_eq!(update.outcome, Outcome::Styles);
    assert_eq!(
        live.publish().file("extra.css").unwrap().as_slice(),
        b"body { color: red }"
    );
}

#[test]
fn edits_that_only_their_own_page_shows_render_that_page_alone() {
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    let mut live = LiveSite::open(&root, false, Some(today()));
    for (step, path, from, to) in [
        (
            "a prose edit",
            "guides/onboarding-new-volunteers.md",
            "about four in ten",
            "about four out of ten",
        ),
        (
            "a key only templates read",
            "practices/choice-based-pantry.md",
            "---\n",
            "---\neffort: low\n",
        ),
        (
            "a member's profile links",
            "members/grace-whitfield.md",
            "example.org/harbour-food-hub",
            "example.org/hfh",
        ),
    ] {
        let changed = replace(&root, path, from, to);
        let update = live.update(&[changed]);
        assert_eq!(
            (update.outcome, update.pages),
            (Outcome::Reload, 1),
            "{step}"
        );
        assert_same_as_build(&live, &root, step);
    }
}

/// `build --drafts` keeps drafts, marked as such only in the search index;
/// a site opened afresh is what `build` writes (see above).
#[test]
fn with_drafts_shown_a_draft_toggled_serves_what_opening_afresh_does() {
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    let mut live = LiveSite::open(&root, true, Some(today()));
    let guide = "guides/onboarding-new-volunteers.md";
    for (step, from, to) in [
        ("made a draft", "---\n", "---\ndraft: true\n"),
        ("published again", "draft: true\n", ""),
    ] {
        let before = live.publish().file("search/meta.js").unwrap();
        live.update(&[replace(&root, guide, from, to)]);
        let served = live.publish().snapshot();
        assert_ne!(served["search/meta.js"], before, "{step}: a draft's kind");
        let fresh = LiveSite::open(&root, true, Some(today()))
            .publish()
            .snapshot();
        let differing: Vec<&String> = fresh
            .keys()
            .chain(served.keys())
            .filter(|path| fresh.get(*path) != served.get(*path))
            .collect();
        assert!(differing.is_empty(), "{step}: {differing:?}");
    }
}

#[test]
fn a_search_shard_goes_when_its_last_word_does() {
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    let mut live = LiveSite::open(&root, false, Some(today()));
    let guide = "guides/onboarding-new-volunteers.md";
    let original = std::fs::read_to_string(root.join(guide)).unwrap();
    let shard = "search/s/qz.js";
    assert!(live.publish().file(shard).is_none());
    for (step, title_too) in [("a prose edit", false), ("a title edit", true)] {
        let changed = edit(&root, guide, |t| {
            let t = if title_too {
                t.replacen("title: ", "title: Qzyx ", 1)
            } else {
                t
            };
            format!("{t}\nA qzwordonly sentence.\n")
        });
        live.update(&[changed]);
        assert!(live.publish().file(shard).is_some(), "{step}");
        let changed = edit(&root, guide, |_| original.clone());
        live.update(&[changed]);
        assert!(live.publish().file(shard).is_none(), "{step}: stale shard");
        assert_same_as_build(&live, &root, step);
    }
}

#[test]
fn serve_starts_from_the_parse_cache_and_only_a_full_reading_replaces_it() {
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    let cache = tempfile::tempdir().unwrap();
    // Takes the site so that dropping it waits for the cache to be saved.
    let cached = |live: LiveSite| {
        assert_same_as_build(&live, &root, "a start from the parse cache");
        drop(live);
        let files: Vec<_> = std::fs::read_dir(cache.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "bin"))
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        std::fs::read(&files[0]).unwrap()
    };
    let live = LiveSite::open_cached(&root, false, Some(today()), Some(cache.path()));
    let first = cached(live);
    let mut live = LiveSite::open_cached(&root, false, Some(today()), Some(cache.path()));
    // A new folder makes serve list the sections again; it reads only the new
    // file, and must not replace the cache with that one entry.
    let added = edit(&root, "practices/more/crate-labels.md", |_| {
        "---\ntitle: Crate labels\n---\nLabels.\n".into()
    });
    live.update(&[added.parent().unwrap().to_path_buf(), added]);
    assert!(
        live.publish()
            .file("practices/crate-labels/index.html")
            .is_some()
    );
    assert!(
        cached(live) == first,
        "listing the sections again replaced the cache"
    );
    let live = LiveSite::open_cached(&root, false, Some(today()), Some(cache.path()));
    assert!(
        live.publish()
            .file("practices/crate-labels/index.html")
            .is_some()
    );
    assert!(cached(live) != first, "a full reading saves the new file");
}

#[test]
fn data_files_come_after_the_pages_and_are_never_served_stale() {
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    let mut live = LiveSite::open(&root, false, Some(today()));
    let changed = edit(&root, "guides/onboarding-new-volunteers.md", |t| {
        t.replacen("title: ", "title: Renamed ", 1)
    });
    let update = live.update_pages_first(&[changed]);
    assert_eq!(update.outcome, Outcome::Reload);
    let published = live.publish();
    let page = published
        .file("guides/onboarding-new-volunteers/index.html")
        .unwrap();
    assert!(String::from_utf8_lossy(&page).contains("Renamed "));
    // graph.json names every document; a reader asking for it now waits
    // until it is made, rather than getting the title from before the edit.
    // So do readers of /insights/ (which counts documents by title) and
    // of the search index, which are made after the pages too.
    let read = |path: &'static str| {
        let published = published.clone();
        std::thread::spawn(move || published.file(path))
    };
    let reader = read("graph.json");
    let insights = read("insights/index.html");
    let search = read("search/meta.js");
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        !reader.is_finished(),
        "graph.json was answered before it was made"
    );
    assert!(!insights.is_finished(), "insights answered before made");
    assert!(!search.is_finished(), "search answered before made");
    // A title shows in graph.json and the section's list for the filters;
    // gaps.json names documents by their files.
    assert!(live.make_deferred() >= 2, "graph.json and guides/list.js");
    let list = live.publish().file("guides/list.js").unwrap();
    assert!(String::from_utf8_lossy(&list).contains("Renamed "));
    let graph = reader.join().unwrap().unwrap();
    assert!(String::from_utf8_lossy(&graph).contains("Renamed "));
    let made_later = [insights.join().unwrap(), search.join().unwrap()];
    assert!(made_later.iter().all(Option::is_some));
    assert_eq!(live.make_deferred(), 0, "made once");
    assert_eq!(live.publish().file("graph.json").unwrap(), graph);
    assert_same_as_build(&live, &root, "a retitle, data files made afterwards");
}

#[test]
fn readers_waiting_for_data_files_are_let_go_when_the_site_stops() {
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    let mut live = LiveSite::open(&root, false, Some(today()));
    let before = live.publish().file("graph.json").unwrap();
    let changed = edit(&root, "guides/onboarding-new-volunteers.md", |t| {
        t.replacen("title: ", "title: Renamed ", 1)
    });
    live.update_pages_first(&[changed]);
    let published = live.publish();
    let reader = std::thread::spawn(move || published.file("graph.json"));
    std::thread::sleep(Duration::from_millis(100));
    assert!(!reader.is_finished());
    let started = std::time::Instant::now();
    drop(live);
    assert_eq!(
        reader.join().unwrap().unwrap(),
        before,
        "the version there was"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_until_it_is_fixed() {
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    let mut live = LiveSite::open(&root, false, Some(today()));
    let before = live.publish().snapshot();
    let guide = "guides/onboarding-new-volunteers.md";
    let original = std::fs::read_to_string(root.join(guide)).unwrap();
    let broken = edit(&root, guide, |t| {
        format!("{t}\nSee [the rota](../practices/no-such-rota.md).\n")
    });
    let update = live.update(std::slice::from_ref(&broken));
    assert_eq!(update.outcome, Outcome::Failed);
    let problem = live.publish().problems_json();
    assert!(
        problem.contains("guides/onboarding-new-volunteers.md:"),
        "{problem}"
    );
    assert!(problem.contains("no-such-rota"), "{problem}");
    assert_eq!(
        live.publish().snapshot(),
        before,
        "the last good site stays"
    );

    let also_broken = edit(&root, "community.yaml", |t| {
        format!("{t}\ntitle: [unclosed\n")
    });
    assert_eq!(
        live.update(std::slice::from_ref(&also_broken)).outcome,
        Outcome::Failed
    );
    assert!(live.publish().problems_json().contains("community.yaml:"));
    assert_eq!(live.publish().snapshot(), before);

    edit(&root, "community.yaml", |t| {
        t.replace("\ntitle: [unclosed\n", "")
    });
    std::fs::write(&broken, original).unwrap();
    let update = live.update(&[broken, also_broken]);
    assert_eq!(update.outcome, Outcome::Reload);
    assert!(!live.publish().failed());
    assert_same_as_build(&live, &root, "the fix");
}

// ---- the HTTP server ----

fn start(root: &Path) -> Server {
    let options = ServeOptions {
        port: Some(0),
        today: Some(today()),
        ..ServeOptions::new(root)
    };
    practica::serve::run(&options, |_| {}).expect("server starts")
}

/// The parse cache's files in `dir`: what reading every document leaves.
fn cache_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "bin"))
                .count()
        })
        .unwrap_or(0)
}

/// serve built the whole site before it tried the port, so a port in use
/// was reported only after a full build: it listens first, and a taken
/// port is refused with nothing read (the parse cache, which reading the
/// documents fills, stays empty).
#[test]
fn a_taken_port_is_refused_before_anything_is_built() {
    let dir = example_copy();
    let cache = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let options = ServeOptions {
        port: Some(taken.local_addr().unwrap().port()),
        today: Some(today()),
        cache: Some(cache.path().to_path_buf()),
        ..ServeOptions::new(dir.path())
    };
    let Err(problem) = practica::serve::run(&options, |_| {}) else {
        panic!("served on a port that is taken");
    };
    assert!(problem.message.starts_with("cannot listen on"), "{problem}");
    assert_eq!(
        problem.origin,
        practica::diagnostic::Origin::Run,
        "{problem}"
    );
    assert!(problem.hint.is_some(), "{problem}");
    assert_eq!(cache_files(cache.path()), 0, "nothing was read");

    let server = practica::serve::run(
        &ServeOptions {
            port: Some(0),
            ..options
        },
        |_| {},
    )
    .expect("a free port");
    server.stop();
    assert_eq!(cache_files(cache.path()), 1, "serving reads every document");
}

#[test]
fn edits_reach_the_browser_as_events_and_new_pages() {
    let dir = example_copy();
    let root = dir.path();
    let server = start(root);
    let address = server.address;
    let events = listen(address);
    assert_eq!(next_event(&events).0, "ok");

    edit(root, "guides/onboarding-new-volunteers.md", |t| {
        format!("{t}\nFreshly written.\n")
    });
    assert_eq!(next_event(&events).0, "reload");
    assert!(
        get(address, "/guides/onboarding-new-volunteers/")
            .text()
            .contains("Freshly written.")
    );

    edit(root, "practices/brand-new.md", |_| {
        "---\ntitle: Brand new practice\n---\nHello.\n".into()
    });
    assert_eq!(next_event(&events).0, "reload");
    let page = get(address, "/practices/brand-new/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Brand new practice"));
    assert!(
        get(address, "/practices/")
            .text()
            .contains("Brand new practice")
    );
    assert!(
        get(address, "/graph.json")
            .text()
            .contains("Brand new practice")
    );

    std::fs::remove_file(root.join("practices/brand-new.md")).unwrap();
    assert_eq!(next_event(&events).0, "reload");
    assert_eq!(get(address, "/practices/brand-new/").status, 404);
    assert!(
        !get(address, "/graph.json")
            .text()
            .contains("Brand new practice")
    );

    let guide = root.join("guides/onboarding-new-volunteers.md");
    let good = std::fs::read_to_string(&guide).unwrap();
    std::fs::write(&guide, good.replacen("---\n", "---\ntitle: [broken\n", 1)).unwrap();
    let (name, data) = next_event(&events);
    assert_eq!(name, "errors");
    assert!(
        data.contains(
            "guides/onboarding-new-volunteers.md:2:8: error: invalid YAML in front matter: a `[` list is not closed"
        ),
        "{data}"
    );
    let still = get(address, "/guides/onboarding-new-volunteers/");
    assert_eq!(still.status, 200, "the last good page is still served");
    assert!(still.text().contains("Freshly written."));

    std::fs::write(&guide, good).unwrap();
    assert_eq!(next_event(&events).0, "reload");
    assert_eq!(next_event_or_none(&events), None, "one rebuild per save");
    server.stop();
}

#[test]
fn only_files_of_the_site_are_served_with_their_types() {
    let dir = example_copy();
    let root = dir.path();
    std::fs::write(root.join("secret.txt"), "not for the web").unwrap();
    // A link out of the community is never published (one inside is).
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "not for the web").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        root.join("static/files/link.txt"),
    )
    .unwrap();
    let server = start(root);
    let address = server.address;

    let home = get(address, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(
        home.text().contains("/__practica/events"),
        "serve adds the reload script"
    );
    let built = std::fs::read_to_string(root.join("public/index.html"));
    assert!(built.is_err(), "serve writes nothing into the community");

    for (path, kind) in [
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/assets/favicon.svg", "image/svg+xml"),
        ("/gaps.json", "application/json"),
        ("/files/pickup-log.csv", "text/csv; charset=utf-8"),
    ] {
        let reply = get(address, path);
        assert_eq!(
            (reply.status, reply.header("Content-Type").as_deref()),
            (200, Some(kind)),
            "{path}"
        );
    }
    let head = request(address, "HEAD", "/practices/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert_eq!(request(address, "POST", "/").status, 405);
    assert_eq!(
        get(address, "/practices").header("Location").as_deref(),
        Some("/practices/")
    );

    let missing = get(address, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("<html"), "the site's own 404 page");
    for attempt in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/%252e%252e/secret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "/files/link.txt",
        "/secret.txt",
        "/community.yaml",
    ] {
        let reply = get(address, attempt);
        assert_eq!(reply.status, 404, "{attempt}");
        assert!(!reply.text().contains("not for the web"), "{attempt}");
    }
    server.stop();
}

#[test]
fn many_clients_and_idle_streams_do_not_block_each_other_during_rebuilds() {
    let dir = example_copy();
    let root = dir.path().to_path_buf();
    let server = start(&root);
    let address = server.address;
    // Tabs open one after another, each hearing the state first.
    let idle: Vec<_> = (0..20)
        .map(|_| {
            let events = listen(address);
            assert_eq!(next_event(&events).0, "ok");
            events
        })
        .collect();
    let editor = std::thread::spawn(move || {
        for i in 0..5 {
            edit(&root, "practices/weigh-and-record.md", |t| {
                t.replace("title: Weigh", &format!("title: {i} Weigh"))
            });
            std::thread::sleep(Duration::from_millis(60));
        }
    });
    let readers: Vec<_> = (0..16)
        .map(|_| {
            std::thread::spawn(move || {
                (0..10)
                    .map(|_| get(address, "/practices/weigh-and-record/").status)
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    for reader in readers {
        assert!(reader.join().unwrap().iter().all(|&s| s == 200));
    }
    editor.join().unwrap();
    for events in &idle {
        assert_eq!(
            next_event(events).0,
            "reload",
            "every idle stream hears the reload"
        );
    }
    server.stop();
}

#[test]
fn a_community_that_never_built_shows_its_problems_until_fixed() {
    let dir = example_copy();
    let root = dir.path();
    let config = std::fs::read_to_string(root.join("community.yaml")).unwrap();
    std::fs::write(
        root.join("community.yaml"),
        format!("{config}\ntitle: [unclosed\n"),
    )
    .unwrap();
    let server = start(root);
    let events = listen(server.address);
    assert_eq!(next_event(&events).0, "errors");
    let page = get(server.address, "/");
    assert_eq!(page.status, 503);
    assert!(page.text().contains("community.yaml:"), "{}", page.text());
    assert!(
        page.text().contains("/__practica/events"),
        "it reloads when fixed"
    );
    std::fs::write(root.join("community.yaml"), config).unwrap();
    assert_eq!(next_event(&events).0, "reload");
    assert_eq!(get(server.address, "/").status, 200);
    server.stop();
}

/// A quick-path edit (one only its own page shows) whose page fails to
/// render swapped the document in first, so the full path that followed
/// saw no change: no error, and the old page served as if all were well.
#[test]
fn a_quick_edit_whose_page_fails_reports_the_error() {
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    let template = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/document.html"),
    )
    .unwrap()
    .replacen(
        "{% block content %}",
        "{% block content %}{% if page.extra.servings %}<p>{{ page.extra.servings + 1 }}</p>{% endif %}",
        1,
    );
    edit(&root, "templates/document.html", |_| template);
    let guide = "guides/measuring-what-matters.md";
    edit(&root, guide, |t| {
        t.replacen("---\n", "---\nservings: 4\n", 1)
    });
    let mut live = LiveSite::open(&root, false, Some(today()));
    assert!(!live.publish().failed(), "{:?}", live.publish().problems());
    let path = edit(&root, guide, |t| t.replace("servings: 4", "servings: four"));
    let update = live.update(&[path]);
    assert_eq!(
        update.outcome,
        Outcome::Failed,
        "{:?}",
        live.publish().problems()
    );
    assert!(
        live.publish()
            .problems()
            .iter()
            .any(|d| d.path() == Some("templates/document.html")),
        "{:?}",
        live.publish().problems()
    );
}

/// A broken template fails the step and stays pending: a prose edit made
/// while it is broken must not take the quick path (which renders only the
/// edited page) and pass, and fixing the template renders every page.
#[test]
fn a_prose_edit_while_a_template_is_broken_still_fails_until_it_is_fixed() {
    let dir = example_copy();
    let root = dir.path().canonicalize().unwrap();
    let mut live = LiveSite::open(&root, false, Some(today()));
    assert!(!live.publish().failed(), "{:?}", live.publish().problems());
    let good = include_str!("../themes/default/templates/tag.html");
    let path = edit(&root, "templates/tag.html", |_| "{% if %}".into());
    assert_eq!(live.update(&[path]).outcome, Outcome::Failed);
    let guide = "guides/measuring-what-matters.md";
    let path = edit(&root, guide, |t| format!("{t}\nOne more sentence.\n"));
    assert_eq!(
        live.update(&[path]).outcome,
        Outcome::Failed,
        "the template is still broken"
    );
    let path = edit(&root, "templates/tag.html", |_| good.into());
    assert_eq!(live.update(&[path]).outcome, Outcome::Reload);
    assert_same_as_build(&live, &root, "template fixed after a prose edit");
}
