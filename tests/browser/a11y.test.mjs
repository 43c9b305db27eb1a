// axe-core in chromium: no accessibility violations of any impact on every
// kind of page, at desktop and phone widths, in both colour schemes. Screenshots of the main
// pages go to tests/browser/output/ for people to look at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { launch, watchedPage, fileUrl, output, serveUnder } from "./browser.mjs";

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
  insights: "insights/index.html",
  search: "search/index.html?q=volunteer",
  "not-found": "404.html",
};
const screenshots = new Set(["home", "practice", "gap-map", "insights", "search"]);
const widths = [1280, 390];

let browser;
// 404.html links from the host's root (any path may show it): served over
// HTTP at /, so its stylesheet loads as it would on a host.
let host;
before(async () => { browser = await launch(); host = await serveUnder("/"); });
after(async () => { await browser?.close(); host?.close(); });

for (const scheme of ["light", "dark"]) for (const width of widths) {
  for (const [name, path] of Object.entries(pages)) {
    test(`${name} at ${width} px, ${scheme}, has no axe violations`, async () => {
      const page = await watchedPage(browser, { viewport: { width, height: 900 }, colorScheme: scheme });
      const [file, query] = path.split("?");
      const url = name === "not-found" ? `${host.origin}/404.html` : fileUrl(file);
      await page.goto(url + (query ? `?${query}` : ""));
      if (name === "search") await page.locator(".search-results li").first().waitFor();
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
      // every impact: two unnamed search landmarks on /search/ were only "moderate"
      const serious = result.violations
        .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
      assert.deepEqual(serious, []);
      if (screenshots.has(name)) {
        await page.screenshot({ path: output(`${name}-${width}-${scheme}.png`), fullPage: name !== "gap-map" || width === 1280 });
      }
      assert.deepEqual(page.problems, []);
      await page.close();
    });
  }
}
