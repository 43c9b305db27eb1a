// Unit tests of the search script's pure parts: folding, tokenising,
// shard names (which must match src/render/search.rs), matching (other
// forms, prefixes, typos), ranking, topics, snippets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const search = require("../../themes/default/static/search.js");

test("words fold case and accents and drop one-letter words", () => {
  assert.deepEqual(search.words("Café au LAIT, a Zürich-style crème brûlée"), [
    "cafe", "au", "lait", "zurich", "style", "creme", "brulee",
  ]);
});

test("shard names match the ones the index is written with", () => {
  assert.equal(search.shardOf("community"), "co");
  assert.equal(search.shardOf("x"), "x");
  assert.equal(search.shardOf("ßx"), "uc39f78");
  assert.equal(search.shardOf("пр"), "ud0bfd180");
});

// Postings are [step, score, ...]: ids 1 and 3 become steps 1 and 2.
const shards = {
  co: { cold: [1, 100, 2, 3], cool: [4, 5], compost: [2, 1] },
  ch: { chain: [1, 100, 2, 2, 2, 40], chat: [5, 100] },
};

test("title matches rank first and every word must count", () => {
  const ids = search.rank("cold chain", shards).map((r) => r.id);
  assert.equal(ids[0], 1, "both words in the title");
  assert.deepEqual(ids.slice(0, 2), [1, 3], "documents with both words before those with one");
});

test("the word being typed matches as a prefix, finished words exactly", () => {
  const typing = search.rank("co", shards).map((r) => r.id);
  assert.ok(typing.includes(4) && typing.includes(2), "cool and compost match `co`");
  assert.deepEqual(search.rank("co ", shards), [], "`co` finished is no word of the index");
  const chat = search.rank("ch", shards)[0];
  assert.equal(chat.id, 1, "a title prefix match outranks body matches");
});

test("filters keep only the wanted documents", () => {
  const ids = search.rank("cold", shards, { keep: (id) => id !== 1 }).map((r) => r.id);
  assert.deepEqual(ids, [3]);
});

test("snippets mark the query words and escape the text", () => {
  assert.equal(
    search.highlight("Keep <b>cold</b> chains cool", "cold ch"),
    "Keep &lt;b&gt;<mark>cold</mark>&lt;/b&gt; <mark>chains</mark> cool",
  );
  const long = "word ".repeat(100) + "target here " + "word ".repeat(100);
  const cut = search.excerpt(long, "target", null, 60);
  assert.ok(cut.startsWith("… ") && cut.includes("target here") && cut.endsWith(" …"), cut);
  assert.equal(search.excerpt("nothing to see", "absent"), null);
});

test("edits count inserts, deletes, changes and swaps, and stop past the most allowed", () => {
  assert.equal(search.distance("handover", "handover", 1), 0);
  assert.equal(search.distance("handovr", "handover", 1), 1, "a letter left out");
  assert.equal(search.distance("hnadover", "handover", 1), 1, "two letters swapped");
  assert.equal(search.distance("handxver", "handover", 1), 1, "a letter changed");
  assert.equal(search.distance("hanndover", "handover", 1), 1, "a letter added");
  assert.equal(search.distance("hndvr", "handover", 1), 2, "past the most allowed: max + 1");
  assert.equal(search.distance("handv", "handover", 1, true), 1, "the closest start of the word");
  assert.equal(search.distance("hand", "handover", 0, true), 0);
});

test("a typo is forgiven from five letters, two from nine", () => {
  assert.equal(search.editsAllowed("cold"), 0);
  assert.equal(search.editsAllowed("chain"), 1);
  assert.equal(search.editsAllowed("handover"), 1);
  assert.equal(search.editsAllowed("volunteer"), 2);
  assert.equal(search.editsAllowed("crème"), 1, "letters, not bytes");
});

const forms = {
  fr: { fridge: [1, 100], fridges: [2, 5], fried: [3, 1] },
  ha: { handover: [4, 100], handovers: [5, 3] },
  ch: { chain: [6, 1], chair: [7, 100] },
  vo: { volunteer: [8, 100], volunteers: [1, 2] },
};
const stems = new Map();
for (const group of [["fridge", "fridges"], ["handover", "handovers"], ["volunteer", "volunteers"]]) {
  for (const word of group) stems.set(word, group);
}
const ids = (query, shards = forms) => search.rank(query, shards, { stems }).map((r) => r.id);

test("a word finds its other forms: the plural finds the singular and back", () => {
  assert.deepEqual(new Set(ids("fridges ")), new Set([1, 2]));
  assert.deepEqual(new Set(ids("fridge ")), new Set([1, 2]));
  assert.deepEqual(ids("fridges ", { fr: forms.fr }).includes(3), false, "fried is another word");
  const [first] = search.rank("fridges ", forms, { stems });
  assert.equal(first.typos, 0, "another form is no typo");
});

test("a misspelt word finds the word and its forms, below exact matches", () => {
  assert.deepEqual(new Set(ids("handovr ")), new Set([4, 5]));
  assert.deepEqual(ids("chain "), [6, 7], "chair, a typo away, comes after chain despite its title");
  assert.deepEqual(ids("cola "), [], "four letters forgive no typo");
  assert.deepEqual(new Set(ids("voluntere ")), new Set([8, 1]), "two edits from nine letters");
  assert.deepEqual(new Set(ids("frdge ")), new Set([1, 2]), "a letter left out, and the word's plural");
});

test("the word being typed matches the start of words, with a typo from five letters", () => {
  assert.deepEqual(new Set(ids("hando")), new Set([4, 5]));
  assert.deepEqual(new Set(ids("hadno")), new Set([4, 5]), "a swap in the start being typed");
  assert.deepEqual(ids("hadno "), [], "finished, hadno is no word");
});

test("a typo in the first letters looks in the shards it would have put the word in", () => {
  assert.ok(search.neighbours("hnadover").includes("ha"), "second and third swapped");
  assert.ok(search.neighbours("ahndover").includes("ha"), "first and second swapped");
  assert.ok(search.neighbours("hxandover").includes("ha"), "a letter added after the first");
  assert.ok(search.neighbours("xhandover").includes("ha"), "a letter added in front");
  assert.deepEqual(search.neighbours("cold"), [], "no typos, no neighbours");
  assert.deepEqual(new Set(ids("hnadover ")), new Set([4, 5]));
  const found = search.matchWords("chain ", forms, stems)[0];
  assert.ok(found.has("chain") && found.has("chair"), "a word found in its own shard looks no further");
});

test("topics match on every word of their title, fewest typos first", () => {
  const tags = [["cold-chain", "Cold chain", 12], ["food-safety", "Food safety", 30], ["empty", "Cold store", 0]];
  const slugs = (q) => search.rankTopics(q, tags, stems).map((t) => t.slug);
  assert.deepEqual(slugs("cold chain"), ["cold-chain"]);
  assert.deepEqual(slugs("chian "), ["cold-chain"], "a typo");
  assert.deepEqual(slugs("saf"), ["food-safety"], "the word being typed");
  assert.deepEqual(slugs("cold"), ["cold-chain"], "a topic with no documents is left out");
  assert.deepEqual(slugs("safety cold"), [], "every word must match");
});

test("snippets mark the words matched in the index, typos and other forms too", () => {
  const matched = search.matchWords("handovr ", forms, stems);
  const terms = search.matchedTerms(matched);
  assert.equal(
    search.highlight("Two handovers a day", "handovr ", terms),
    "Two <mark>handovers</mark> a day",
  );
  assert.equal(search.excerpt("No match here", "zz", null, 180, true), "No match here", "the start when nothing matches");
});

test("labels fill their names and take the form their count asks for", () => {
  const labels = {
    results: { one: "{n} result", other: "{n} results", zero_is_one: false },
    resultats: { one: "{n} résultat", other: "{n} résultats", zero_is_one: true },
    results_for: { one: "{n} result for “{query}”", other: "{n} results for “{query}”", zero_is_one: false },
    topic: "Topic",
  };
  assert.equal(search.label(labels, "results", { n: 1 }), "1 result");
  assert.equal(search.label(labels, "results", { n: 0 }), "0 results");
  assert.equal(search.label(labels, "resultats", { n: 0 }), "0 résultat");
  assert.equal(search.label(labels, "resultats", { n: 2 }), "2 résultats");
  assert.equal(search.label(labels, "results_for", { n: 3, query: "cold {n}" }), "3 results for “cold {n}”");
  assert.equal(search.label(labels, "topic"), "Topic");
  // a missing label shows its key rather than nothing
  assert.equal(search.label(labels, "nope"), "nope");
});
