// The sitemap validates against the sitemaps.org schema (shipped in the
// `sitemap` npm package) with xmllint; the Atom feed is checked as RFC 4287 asks.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import fs from "node:fs";
import os from "node:os";
import { hosted, run } from "./browser.mjs";

const here = (file) => new URL(file, import.meta.url).pathname;
const sitemapSchema = here("node_modules/sitemap/schema/sitemap.xsd");

test("sitemap.xml is valid against the sitemaps.org schema and lists every page", async () => {
  const file = path.join(hosted, "sitemap.xml");
  const result = await run("xmllint", ["--noout", "--schema", sitemapSchema, file]);
  assert.notEqual(result.code, -1, `xmllint is needed (apt-get install libxml2-utils): ${result.stderr}`);
  assert.equal(result.code, 0, result.stderr);
  const xml = fs.readFileSync(file, "utf8");
  const pages = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  assert.ok(pages.includes("https://food-rescue-commons.example.org/practices/cold-chain-handover/"));
  assert.ok(pages.every((p) => p.startsWith("https://food-rescue-commons.example.org/")), pages.join("\n"));
});

test("robots.txt points at the sitemap", () => {
  const robots = fs.readFileSync(path.join(hosted, "robots.txt"), "utf8");
  assert.match(robots, /^Sitemap: https:\/\/food-rescue-commons\.example\.org\/sitemap\.xml$/m);
});

test("feed.xml is valid Atom", async () => {
  const file = path.join(hosted, "feed.xml");
  const result = await run("jing", ["-c", here("atom.rnc"), file]);
  assert.notEqual(result.code, -1, `jing is needed (apt-get install jing): ${result.stderr}`);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const xml = fs.readFileSync(file, "utf8");
  const feedHead = xml.split("<entry>")[0];
  const entries = xml.split("<entry>").slice(1);
  assert.ok(entries.length > 0, "the feed has entries");
  const feedAuthor = feedHead.includes("<author>");
  for (const entry of entries) {
    assert.ok(feedAuthor || entry.includes("<author>"), `an entry without any author: ${entry.slice(0, 200)}`);
    assert.ok(entry.includes("<content") || /<link[^>]*rel="alternate"|<link(?![^>]*rel=)/.test(entry), "content or an alternate link");
  }
});

test("the Atom schema catches a feed entry without an id", async () => {
  const xml = fs.readFileSync(path.join(hosted, "feed.xml"), "utf8");
  const broken = xml.replace(/<entry>([\s\S]*?)<id>[^<]*<\/id>/, "<entry>$1");
  assert.notEqual(broken, xml);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "feed-")), "feed.xml");
  fs.writeFileSync(file, broken);
  const result = await run("jing", ["-c", here("atom.rnc"), file]);
  assert.notEqual(result.code, 0);
  assert.match(result.stdout, /missing required element "id"/);
});
