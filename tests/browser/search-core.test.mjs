// Unit tests of the search script's pure parts: folding, tokenising,
// shard names (which must match src/render/search.rs), ranking, snippets.
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
  const cut = search.excerpt(long, "target", 60);
  assert.ok(cut.startsWith("… ") && cut.includes("target here") && cut.endsWith(" …"), cut);
  assert.equal(search.excerpt("nothing to see", "absent"), null);
});
