// Search in a real browser, from file://, on the built example community.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { launch, watchedPage, fileUrl, output, serveUnder, site } from "./browser.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("typing in the header box suggests results; the keyboard opens one", async () => {
  const page = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(fileUrl("index.html"));
  await page.keyboard.press("/");
  const box = page.locator("#search-input");
  assert.equal(await box.evaluate((el) => el === document.activeElement), true, "/ focuses search");
  await box.pressSequentially("cold ch", { delay: 20 });
  await page.locator('#search-listbox[data-query="cold ch"]').waitFor();
  const options = page.locator("#search-listbox [role=option]");
  assert.match(await options.first().innerText(), /^Cold chain\s+Topic/, "the topic first");
  const first = options.nth(1);
  assert.match(await first.innerText(), /Cold chain handover/);
  assert.match(await first.innerHTML(), /<mark>Cold<\/mark>/);
  assert.equal(await box.getAttribute("aria-expanded"), "true");
  assert.match(await page.locator(".site-search [aria-live]").innerText(), /^\d+ results?$/);
  await page.screenshot({ path: output("search-suggestions-1280.png") });
  await box.press("ArrowDown");
  assert.equal(await box.getAttribute("aria-activedescendant"), "search-option-0");
  await box.press("ArrowDown");
  assert.equal(await box.getAttribute("aria-activedescendant"), "search-option-1");
  await Promise.all([page.waitForURL(/practices\/cold-chain-handover\/index\.html$/), box.press("Enter")]);
  assert.match(await page.title(), /Cold chain handover/);
  assert.deepEqual(page.problems, []);
});

test("the results page filters by kind and by topic, and opens a result", async () => {
  const page = await watchedPage(browser, { viewport: { width: 390, height: 844 } });
  await page.goto(fileUrl("search/index.html") + "?q=volunteer");
  const status = page.locator(".search-status");
  await status.filter({ hasText: "results for" }).waitFor();
  const everything = Number((await status.innerText()).match(/\d+/)[0]);
  await page.getByLabel("Guides").check();
  await status.filter({ hasText: /^\d+ results? for/ }).waitFor();
  await page.waitForFunction(() => new URL(location.href).searchParams.get("kind") === "g");
  const kinds = await page.locator(".search-results .kind").allInnerTexts();
  assert.ok(kinds.length > 0 && kinds.every((k) => k === "Guide"), kinds.join());
  const guides = Number((await status.innerText()).match(/\d+/)[0]);
  assert.ok(guides < everything, `${guides} guides of ${everything}`);
  const first = page.locator(".search-results a").first();
  assert.match(await first.innerText(), /Onboarding new volunteers/);
  await page.screenshot({ path: output("search-results-390.png"), fullPage: true });

  await page.getByLabel("Everything").check();
  await page.selectOption("#search-tag", "food-safety");
  await page.waitForFunction(() => {
    const tags = [...document.querySelectorAll(".search-results .result-meta")].map((t) => t.innerText);
    return tags.length > 0 && tags.every((t) => t.includes("Food safety"));
  });

  await Promise.all([page.waitForURL(/index\.html$/), first.click()]);
  assert.doesNotMatch(page.url(), /search\//);
  assert.deepEqual(page.problems, []);
});

test("a search with no matches says so", async () => {
  const page = await watchedPage(browser);
  await page.goto(fileUrl("search/index.html") + "?q=zzyzxq");
  await page.locator(".search-status").filter({ hasText: "No results" }).waitFor();
  assert.equal(await page.locator(".search-results li").count(), 0);
  assert.deepEqual(page.problems, []);
});

test("search works when the site is hosted under a sub-path", async () => {
  const host = await serveUnder("/community/");
  try {
    const page = await watchedPage(browser);
    await page.goto(`${host.origin}/community/guides/index.html`);
    const box = page.locator("#search-input");
    await box.pressSequentially("weigh", { delay: 20 });
    await page.locator("#search-listbox [role=option]").first().waitFor();
    await box.press("Enter");
    await page.waitForURL(/\/community\/search\/index\.html\?q=weigh$/);
    const first = page.locator(".search-results a").first();
    await first.waitFor();
    assert.match(await first.innerText(), /Weigh and record/);
    await Promise.all([page.waitForURL(/\/community\/practices\/weigh-and-record\/index\.html$/), first.click()]);
    assert.deepEqual(page.problems, []);
  } finally {
    host.close();
  }
});

/** The number of results the results page reports for a query. */
async function countFor(page, query) {
  await page.goto(fileUrl("search/index.html") + "?q=" + encodeURIComponent(query));
  const status = page.locator(".search-status");
  await status.filter({ hasText: /results? for|No results/ }).waitFor();
  const text = await status.innerText();
  return /^No results/.test(text) ? 0 : Number(text.match(/\d+/)[0]);
}

/** Types into the header box and waits for the suggestions to show. */
async function suggest(page, query) {
  const box = page.locator("#search-input");
  await box.fill("");
  await box.pressSequentially(query, { delay: 20 });
  await page.waitForFunction((q) => document.querySelector("#search-listbox").dataset.query === q, query);
  return page.locator("#search-listbox [role=option]:not(.search-all)");
}

test("a plural finds what its singular finds, and the singular its plural", async () => {
  const page = await watchedPage(browser);
  const plural = await countFor(page, "fridges");
  const singular = await countFor(page, "fridge");
  assert.ok(singular >= 20, `fridge: ${singular}`);
  assert.equal(plural, singular, "fridges and fridge find the same documents");
  assert.equal(await countFor(page, "volunteers"), await countFor(page, "volunteer"));
  assert.deepEqual(page.problems, []);
});

test("a misspelt word still finds its documents, after the exact matches", async () => {
  const page = await watchedPage(browser);
  await page.goto(fileUrl("index.html"));
  const options = await suggest(page, "handovr ");
  assert.match(await options.first().innerText(), /Cold chain handover/);
  assert.match(await options.first().innerHTML(), /<mark>handover<\/mark>/i);
  assert.ok(await countFor(page, "handovr") >= 5);
  // A typo in the first two letters loads the shard the word is in.
  assert.ok(await countFor(page, "hnadover") >= 5);
  assert.equal(await countFor(page, "hndvr"), 0, "too far from any word");
  assert.deepEqual(page.problems, []);
});

test("the word being typed matches the words it starts", async () => {
  const page = await watchedPage(browser);
  await page.goto(fileUrl("guides/index.html"));
  const options = await suggest(page, "temperat");
  const texts = await options.allInnerTexts();
  assert.ok(texts.some((t) => /Temperature logging/.test(t)), texts.join("\n"));
  assert.deepEqual(page.problems, []);
});

test("members are found by name, role and organisation, and marked as members", async () => {
  const page = await watchedPage(browser);
  await page.goto(fileUrl("index.html"));
  const first = (await suggest(page, "Amara")).first();
  assert.match(await first.innerText(), /Amara Okafor/);
  assert.equal(await first.locator(".kind").innerText(), "Member");
  assert.match(await first.locator(".result-profile").innerText(), /Logistics lead · Northside Surplus Collective/);
  await page.goto(fileUrl("search/index.html") + "?q=harbour%20food%20hub&kind=m");
  await page.locator(".search-status").filter({ hasText: "results for" }).waitFor();
  const profiles = await page.locator(".search-results .result-profile").allInnerTexts();
  assert.ok(profiles.slice(0, 2).every((p) => p.includes("Harbour Food Hub")), profiles.join("\n"));
  const kinds = await page.locator(".search-results .kind").allInnerTexts();
  assert.ok(kinds.every((k) => k === "Member"), kinds.join());
  assert.deepEqual(page.problems, []);
});

test("a topic is a result of its own, first, and the kind filter shows topics alone", async () => {
  const page = await watchedPage(browser);
  await page.goto(fileUrl("index.html"));
  const first = (await suggest(page, "cold chain")).first();
  assert.equal(await first.locator(".kind").innerText(), "Topic");
  assert.match(await first.innerText(), /Cold chain/);
  await Promise.all([page.waitForURL(/tags\/cold-chain\/index\.html$/), first.click()]);
  await page.goto(fileUrl("search/index.html") + "?q=fridge&kind=o");
  await page.locator(".search-status").filter({ hasText: "results for" }).waitFor();
  const titles = await page.locator(".search-results .result-title").allInnerTexts();
  assert.deepEqual(titles.sort(), ["Community fridges", "Fridge hosting"]);
  const kinds = await page.locator(".search-results .kind").allInnerTexts();
  assert.ok(kinds.every((k) => k === "Topic"), kinds.join());
  assert.deepEqual(page.problems, []);
});

test("/, Ctrl-K and ⌘-K open search from any page", async () => {
  const page = await watchedPage(browser);
  const focused = () => page.evaluate(() => document.activeElement?.id);
  for (const [path, keys] of [
    ["practices/cold-chain-handover/index.html", "Control+k"],
    ["members/index.html", "Meta+k"],
    ["tags/index.html", "/"],
  ]) {
    await page.goto(fileUrl(path));
    await page.locator("main").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press(keys);
    assert.equal(await focused(), "search-input", `${keys} on ${path}`);
  }
  await page.keyboard.type("pan");
  assert.equal(await page.locator("#search-input").inputValue(), "pan", "the key typed nothing");
  assert.deepEqual(page.problems, []);
});

test("snippets are the text readers see: a wikilink's title, never its slug", async () => {
  const page = await watchedPage(browser);
  // guides/starting-a-community-fridge.md: "(see [[your-first-supermarket-collection]]) or a bakery".
  await page.goto(fileUrl("search/index.html") + "?q=bakery");
  await page.locator(".search-status").filter({ hasText: "results for" }).waitFor();
  const snippets = await page.locator(".search-results .result-snippet").allInnerTexts();
  assert.ok(snippets.some((s) => s.includes("(see Your first supermarket collection) or a bakery")), snippets.join("\n"));
  const slugs = fs.readdirSync(path.join(site, "practices"))
    .concat(fs.readdirSync(path.join(site, "members")), fs.readdirSync(path.join(site, "guides")))
    .filter((name) => name.includes("-"));
  for (const query of ["counter", "mentors", "insulated crates", "allergen", "host agreement", "donor feedback"]) {
    await page.goto(fileUrl("search/index.html") + "?q=" + encodeURIComponent(query));
    await page.locator(".search-status").filter({ hasText: /results? for|No results/ }).waitFor();
    for (const text of await page.locator(".search-results .result-snippet").allInnerTexts()) {
      assert.doesNotMatch(text, /\[\[|practices\/|guides\//, `${query}: ${text}`);
      const slug = slugs.find((s) => text.includes(s));
      assert.equal(slug, undefined, `${query}: a slug in “${text}”`);
    }
  }
  assert.deepEqual(page.problems, []);
});
