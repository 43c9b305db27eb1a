//! The search index written by `build`: what is in it, what is not, and how
//! it is split.

mod common;

use common::{Fixture, doc};

fn shard(fixture: &Fixture, name: &str) -> serde_json::Value {
    let text = fixture.page(&format!("search/s/{name}.js"));
    let json = text
        .strip_prefix("practicaSearch.shard(")
        .and_then(|t| t.strip_suffix(");\n"))
        .expect("a shard registers itself");
    serde_json::from_str(json).expect("shard data is JSON")
}

/// (document id, score) pairs of a word, from its `[step, score, …]` list.
fn postings(value: &serde_json::Value) -> Vec<(u64, u64)> {
    let flat: Vec<u64> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    let mut id = 0;
    flat.chunks(2)
        .map(|pair| {
            id += pair[0];
            (id, pair[1])
        })
        .collect()
}

#[test]
fn titles_score_above_bodies_and_accents_fold() {
    let fixture = Fixture::new();
    fixture
        .write(
            "practices/zebra-crossings.md",
            &doc("title: Zebra crossings", "Nothing else."),
        )
        .write(
            "guides/walking.md",
            &doc("title: Walking", "Mind the zebra. Crème brûlée."),
        )
        .write(
            "case-studies/secret.md",
            &doc("title: Zebra secret\ndraft: true", "Hidden zebra."),
        );
    let report = fixture.build_with(|o| o.drafts = true);
    assert!(report.written, "{:?}", report.diagnostics);
    let zebra = postings(&shard(&fixture, "ze")[1]["zebra"]);
    // Documents are numbered by section, then path: the practice is 0, the
    // guide 1 (its one body mention also counts in its summary, the first
    // paragraph), the draft 2.
    assert_eq!(zebra, [(0, 100), (1, 11)], "drafts are never indexed");
    assert!(
        shard(&fixture, "cr")[1]["creme"].is_array(),
        "crème is found as creme"
    );
    assert!(shard(&fixture, "br")[1]["brulee"].is_array());
    let meta = fixture.page("search/meta.js");
    assert!(meta.contains("\"kinds\":\"pg-\""), "{meta}");
    assert!(
        !fixture.out().join("search/d/2.js").exists(),
        "no fragment for the draft"
    );
    let fragment = fixture.page("search/d/0.js");
    assert!(fragment.contains("\"title\":\"Zebra crossings\""));
    assert!(fragment.contains("\"url\":\"practices/zebra-crossings/index.html\""));
}

#[test]
fn common_words_keep_only_their_best_documents() {
    let fixture = Fixture::new();
    let total = practica::render::search::POSTINGS_KEPT + 20;
    for n in 0..total {
        let title = if n % 50 == 0 {
            "Common ground"
        } else {
            "Another page"
        };
        fixture.write(
            &format!("practices/p{n:03}.md"),
            &doc(&format!("title: {title} {n}"), "common words"),
        );
    }
    let report = fixture.build();
    assert!(report.written, "{:?}", report.diagnostics);
    let common = postings(&shard(&fixture, "co")[1]["common"]);
    assert_eq!(common.len(), practica::render::search::POSTINGS_KEPT);
    let titled = common.iter().filter(|(_, score)| *score >= 100).count();
    assert_eq!(titled, total.div_ceil(50), "every title match is kept");
    assert!(common.windows(2).all(|w| w[0].0 < w[1].0), "in id order");
}

#[test]
fn every_page_has_the_search_box_and_a_no_script_way_to_browse() {
    let fixture = Fixture::new();
    fixture.write("practices/a.md", &doc("title: A", "Body."));
    assert!(fixture.build().written);
    for page in [
        "index.html",
        "practices/a/index.html",
        "search/index.html",
        "404.html",
    ] {
        let html = fixture.page(page);
        assert!(html.contains("role=\"combobox\""), "{page}");
        assert!(
            html.contains("<noscript><a class=\"search-fallback\""),
            "{page}"
        );
        assert!(html.contains("assets/search.js"), "{page}");
    }
    assert!(fixture.out().join("assets/search.js").is_file());
}

/// The groups of words sharing a stem that a shard lists.
fn stem_groups(fixture: &Fixture, name: &str) -> Vec<Vec<String>> {
    serde_json::from_value(shard(fixture, name)[2].clone()).expect("groups of words")
}

#[test]
fn forms_of_a_word_are_grouped_by_the_community_language_stemmer() {
    let fixture = Fixture::new();
    fixture
        .write(
            "practices/fridge.md",
            &doc("title: Fridge rota", "Clean the fridge. Fried food."),
        )
        .write(
            "guides/fridges.md",
            &doc("title: Many fridges", "Fridges everywhere."),
        );
    assert!(fixture.build().written);
    assert_eq!(
        stem_groups(&fixture, "fr"),
        [["fridge", "fridges"]],
        "English by default; fried is another word"
    );

    let french = Fixture::with_config("title: Commun\nlanguage: fr-BE\n");
    french.write(
        "practices/legumes.md",
        &doc("title: Légumes", "Un légume frais, des légumes frais."),
    );
    assert!(french.build().written);
    assert_eq!(stem_groups(&french, "le"), [["legume", "legumes"]]);

    let unknown = Fixture::with_config("title: Commons\nlanguage: tlh\n");
    unknown.write(
        "practices/fridge.md",
        &doc("title: Fridge", "Fridges and a fridge."),
    );
    assert!(unknown.build().written);
    assert!(
        stem_groups(&unknown, "fr").is_empty(),
        "no stemmer for the language, so no groups"
    );
}

#[test]
fn snippets_and_words_are_the_text_readers_see_never_a_slug() {
    let fixture = Fixture::new();
    fixture
        .write(
            "practices/chill-log.md",
            &doc("title: Temperature diary", "Write it down."),
        )
        .write(
            "guides/start.md",
            &doc(
                "title: Starting out",
                "Keep a [[chill-log]] daily, see [[chill-log|the diary]], \
                 [our log](../practices/chill-log.md) and [[?Compost heap guide]].",
            ),
        );
    assert!(fixture.build().written);
    // The guide is document 1 (practices come first).
    let fragment = fixture.page("search/d/1.js");
    assert!(
        fragment.contains(
            "Keep a Temperature diary daily, see the diary, our log and Compost heap guide."
        ),
        "{fragment}"
    );
    assert!(!fragment.contains("chill"), "no slug: {fragment}");
    assert!(
        !fixture.out().join("search/s/ch.js").exists(),
        "no document is found by a link's slug"
    );
    let diary = postings(&shard(&fixture, "di")[1]["diary"]);
    assert!(
        diary.iter().any(|(id, _)| *id == 1),
        "but by the title readers see: {diary:?}"
    );
}

#[test]
fn members_are_found_by_role_and_organisation() {
    let fixture = Fixture::new();
    fixture.write(
        "members/ana.md",
        &common::member(
            "Ana Lima",
            "role: Cold store steward\norganization: Harbour Pantry",
        ),
    );
    assert!(fixture.build().written);
    let steward = postings(&shard(&fixture, "st")[1]["steward"]);
    assert_eq!(steward, [(0, 30)], "a role word scores as a topic does");
    assert_eq!(postings(&shard(&fixture, "ha")[1]["harbour"]), [(0, 30)]);
    let fragment = fixture.page("search/d/0.js");
    assert!(
        fragment.contains("\"profile\":\"Cold store steward · Harbour Pantry\""),
        "{fragment}"
    );
    assert!(fragment.contains("\"label\":\"Member\""), "{fragment}");
}
