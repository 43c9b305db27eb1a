// Long lists in a real browser: the pages of a section link to each other,
// and the filters find documents on every page of it, from file:// and over
// HTTP. On the example built with `page_size: 5` (PRACTICA_HOSTED).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch, watchedPage, output, serveUnder, hosted } from "./browser.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const example = process.env.PRACTICA_EXAMPLE;

/** The example's published practices (drafts aside), read from their
 *  files, subfolders too: title, tags, status. */
function practices() {
  const dir = path.join(example, "practices");
  return fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith(".md")).map((f) => {
    const text = fs.readFileSync(path.join(dir, f), "utf8");
    const field = (key) => text.match(new RegExp(`^${key}: (.*)$`, "m"))?.[1] ?? "";
    return {
      title: field("title"),
      tags: field("tags").replace(/[[\]]/g, "").split(",").map((t) => t.trim()).filter(Boolean),
      status: field("status"),
      draft: field("draft") === "true",
    };
  }).filter((p) => !p.draft);
}

const titles = (list) => list.map((p) => p.title).sort();

function hostedUrl(relative) {
  return pathToFileURL(path.join(hosted, relative)).href;
}

/** The titles of the cards the filters show. */
async function results(page) {
  return (await page.locator("#list-results .card-title a").allInnerTexts()).sort();
}

test("the pages of a section link to each other, visibly and in the head", async () => {
  const page = await watchedPage(browser, { viewport: { width: 390, height: 844 } });
  await page.goto(hostedUrl("practices/index.html"));
  const count = Math.ceil(practices().length / 5);
  const nav = page.getByRole("navigation", { name: "Pages" });
  assert.equal(await nav.locator('[aria-current="page"]').innerText(), "1");
  assert.equal(await page.locator('link[rel="prev"]').count(), 0);
  await page.screenshot({ path: output("pagination-390.png"), fullPage: true });
  await Promise.all([page.waitForURL(/practices\/page\/2\/index\.html$/), nav.getByText("Next →").click()]);
  assert.match(await page.title(), /^Practices, page 2 · /);
  assert.equal(await nav.locator('[aria-current="page"]').innerText(), "2");
  const prev = await page.locator('link[rel="prev"]').evaluate((l) => l.href);
  assert.equal(prev, hostedUrl("practices/index.html"));
  await Promise.all([
    page.waitForURL(new RegExp(`practices/page/${count}/index\\.html$`)),
    nav.getByRole("link", { name: String(count), exact: true }).click(),
  ]);
  assert.equal(await page.locator('link[rel="next"]').count(), 0);
  await Promise.all([page.waitForURL(/practices\/index\.html$/), nav.getByRole("link", { name: "1", exact: true }).click()]);
  assert.deepEqual(page.problems, []);
});

test("a topic filter finds the practices on every page, from file://", async () => {
  const page = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(hostedUrl("practices/page/2/index.html"));
  const own = await page.locator(".list-page .card-title a").allInnerTexts();
  const topic = page.getByLabel("Topic");
  await topic.focus();
  await page.locator('select[name="topic"] option[value="logistics"]').waitFor({ state: "attached" });
  await topic.selectOption("logistics");
  const wanted = practices().filter((p) => p.tags.includes("logistics"));
  await page.locator("#list-results").waitFor();
  const found = await results(page);
  assert.deepEqual(found, titles(wanted));
  assert.ok(found.some((t) => !own.includes(t)), "practices of other pages are found");
  assert.equal(await page.locator(".list-page").isHidden(), true, "the page's own list makes way");
  assert.match(await page.locator(".list-filter-count").innerText(), new RegExp(`^${wanted.length} results?, across every page`));
  assert.equal(new URL(page.url()).hash, "#topic=logistics");
  await page.screenshot({ path: output("list-filter-1280.png"), fullPage: true });

  await page.getByLabel("Status").selectOption("established");
  const both = wanted.filter((p) => p.status === "established");
  await page.waitForFunction((n) => document.querySelectorAll("#list-results .card").length === n, both.length);
  assert.deepEqual(await results(page), titles(both));
  for (const status of await page.locator("#list-results .status").allTextContents()) assert.equal(status, "established");

  await topic.selectOption("");
  await page.getByLabel("Status").selectOption("");
  assert.equal(await page.locator(".list-page").isVisible(), true, "no filter: the page again");
  assert.equal(await page.locator("#list-results").isHidden(), true);
  // A result opens its document.
  await topic.selectOption("logistics");
  const first = page.locator("#list-results .card-title a").first();
  const title = await first.innerText();
  await Promise.all([page.waitForURL(/practices\/[^/]+\/index\.html$/), first.click()]);
  assert.match(await page.title(), new RegExp(`^${title}`));
  assert.deepEqual(page.problems, []);
});

test("filters in the address apply on arrival, over HTTP, in the member directory too", async () => {
  const host = await serveUnder("/commons/", hosted);
  try {
    const page = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto(`${host.origin}/commons/practices/index.html#status=proposed`);
    const proposed = practices().filter((p) => p.status === "proposed");
    await page.waitForFunction((n) => document.querySelectorAll("#list-results .card").length === n, proposed.length);
    assert.deepEqual(await results(page), titles(proposed));
    assert.equal(await page.getByLabel("Status").inputValue(), "proposed");

    const mentors = fs.readdirSync(path.join(example, "members"))
      .map((f) => fs.readFileSync(path.join(example, "members", f), "utf8"))
      .filter((t) => /^mentor: true$/m.test(t))
      .map((t) => t.match(/^title: (.*)$/m)[1]).sort();
    await page.goto(`${host.origin}/commons/members/index.html#status=mentor`);
    await page.waitForFunction((n) => document.querySelectorAll("#list-results .member-card").length === n, mentors.length);
    const names = (await page.locator("#list-results .card-title a").allInnerTexts()).sort();
    assert.deepEqual(names, mentors);
    assert.equal(await page.locator("#list-results .badge-mentor").count(), mentors.length);
    assert.deepEqual(page.problems, []);
  } finally {
    host.close();
  }
});
