// Search in a real browser, from file://, on the built example community.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, watchedPage, fileUrl, output, serveUnder } from "./browser.mjs";

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
  const first = page.locator("#search-listbox [role=option]").first();
  await first.waitFor();
  assert.match(await first.innerText(), /Cold chain handover/);
  assert.match(await first.innerHTML(), /<mark>Cold<\/mark>/);
  assert.equal(await box.getAttribute("aria-expanded"), "true");
  assert.match(await page.locator(".site-search [aria-live]").innerText(), /^\d+ results?$/);
  await page.screenshot({ path: output("search-suggestions-1280.png") });
  await box.press("ArrowDown");
  assert.equal(await box.getAttribute("aria-activedescendant"), "search-option-0");
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
  await page.waitForFunction(() => new URL(location.href).searchParams.get("tag") === "food-safety");
  await page.waitForFunction(() => document.querySelector(".search-results li"));
  const tags = await page.locator(".search-results .result-tags").allInnerTexts();
  assert.ok(tags.length > 0 && tags.every((t) => t.includes("Food safety")), tags.join(" | "));

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
