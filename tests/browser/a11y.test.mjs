// axe-core in chromium: no serious or critical accessibility violations on
// every kind of page, at desktop and phone widths. Screenshots of the main
// pages go to tests/browser/output/ for people to look at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { launch, watchedPage, fileUrl, output } from "./browser.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");

const pages = {
  home: "index.html",
  practice: "practices/cold-chain-handover/index.html",
  "case-study": "case-studies/counting-meals-honestly/index.html",
  guide: "guides/onboarding-new-volunteers/index.html",
  member: "members/priya-raman/index.html",
  tag: "tags/food-safety/index.html",
  "tag-index": "tags/index.html",
  section: "practices/index.html",
  "gap-map": "gaps/index.html",
  search: "search/index.html?q=volunteer",
  "not-found": "404.html",
};
const screenshots = new Set(["home", "practice", "gap-map", "search"]);
const widths = [1280, 390];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const width of widths) {
  for (const [name, path] of Object.entries(pages)) {
    test(`${name} at ${width} px has no serious or critical axe violations`, async () => {
      const page = await watchedPage(browser, { viewport: { width, height: 900 } });
      const [file, query] = path.split("?");
      await page.goto(fileUrl(file) + (query ? `?${query}` : ""));
      if (name === "search") await page.locator(".search-results li").first().waitFor();
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
      const serious = result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
      assert.deepEqual(serious, []);
      if (screenshots.has(name)) {
        await page.screenshot({ path: output(`${name}-${width}.png`), fullPage: name !== "gap-map" || width === 1280 });
      }
      if (name !== "not-found") assert.deepEqual(page.problems, []);
      await page.close();
    });
  }
}
