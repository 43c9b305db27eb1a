// The gap map on phones and desktops, in light and dark: no sideways
// scrolling of the page (the heatmap scrolls in its own box, its topic
// names staying in view), and no contrast that axe finds too low.
// Screenshots go to tests/browser/output/ for people to look at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { launch, watchedPage, fileUrl, output } from "./browser.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const width of [360, 390, 1280]) {
  for (const scheme of ["light", "dark"]) {
    test(`the gap map at ${width} px in ${scheme} fits and reads`, async () => {
      const page = await watchedPage(browser, { viewport: { width, height: 900 }, colorScheme: scheme });
      await page.goto(fileUrl("gaps/index.html"));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(() =>
        window.axe.run(document, { runOnly: ["color-contrast"], resultTypes: ["violations"] }));
      const low = result.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`));
      assert.deepEqual(low, []);
      const scroller = page.locator(".heatmap-scroll");
      const sticky = await page.locator(".heatmap tbody th").first().evaluate((th) => getComputedStyle(th).position);
      assert.equal(sticky, "sticky", "topic names stay in view");
      if (width < 800) {
        // Scrolled to its end, the first topic name is still at the left.
        await scroller.evaluate((box) => { box.scrollLeft = box.scrollWidth; });
        const left = await page.locator(".heatmap tbody th").first().evaluate((th) => th.getBoundingClientRect().left);
        const box = await scroller.evaluate((box) => box.getBoundingClientRect().left);
        assert.ok(Math.abs(left - box) < 2, `the topic column moved to ${left - box} px`);
        await scroller.evaluate((box) => { box.scrollLeft = 0; });
      }
      await page.screenshot({ path: output(`gap-map-${width}-${scheme}.png`), fullPage: true });
      assert.deepEqual(page.problems, []);
      await page.close();
    });
  }
}
