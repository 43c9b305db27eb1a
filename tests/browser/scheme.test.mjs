// The community's own look in chromium: the header's colour-scheme toggle
// overrides the system's both ways, is named by its state, is reached by
// keyboard and is remembered across a reload (from file://, as a reader
// opening the built folder would); a scheme chosen draws every colour as
// the system's same scheme does, and print is light; a site with an accent colour,
// logo and footer links (in German, whose words are long) has no axe
// violation in either scheme and keeps a one-row phone header.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { launch, watchedPage, fileUrl } from "./browser.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const branded = process.env.PRACTICA_BRANDED;
const brandedUrl = (file) => pathToFileURL(path.join(branded, file)).href;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const WHITE = "rgb(255, 255, 255)";
const DARK = "rgb(17, 22, 20)";

for (const system of ["light", "dark"]) {
  test(`the toggle overrides a ${system} system scheme and is remembered`, async () => {
    const context = await browser.newContext({ colorScheme: system, viewport: { width: 390, height: 800 } });
    const page = await watchedPage(context);
    await page.goto(fileUrl("practices/cold-chain-handover/index.html"));
    const toggle = page.locator(".scheme-toggle");
    assert.equal(await toggle.getAttribute("aria-label"), "Colour scheme: system");
    assert.equal(await background(page), system === "dark" ? DARK : WHITE);
    // by keyboard: focus it and press Enter, once for light, twice for dark
    const wanted = system === "dark" ? "light" : "dark";
    await toggle.focus();
    await page.keyboard.press("Enter");
    if (wanted === "dark") await page.keyboard.press("Enter");
    assert.equal(await toggle.getAttribute("aria-label"), `Colour scheme: ${wanted}`);
    assert.equal(await background(page), wanted === "dark" ? DARK : WHITE);
    // another page of the site, opened afresh, starts in the chosen scheme
    await page.goto(fileUrl("guides/onboarding-new-volunteers/index.html"));
    assert.equal(await page.evaluate(() => document.documentElement.dataset.scheme), wanted);
    assert.equal(await background(page), wanted === "dark" ? DARK : WHITE);
    await page.reload();
    assert.equal(await page.locator(".scheme-toggle").getAttribute("aria-label"), `Colour scheme: ${wanted}`);
    // back to the system's: the stored choice is gone
    await page.locator(".scheme-toggle").click();
    if (wanted === "light") await page.locator(".scheme-toggle").click();
    assert.equal(await page.locator(".scheme-toggle").getAttribute("aria-label"), "Colour scheme: system");
    await page.reload();
    assert.equal(await background(page), system === "dark" ? DARK : WHITE);
    assert.deepEqual(page.problems, []);
    await context.close();
  });
}

/** Every element's colours, as drawn: text, background, borders, outline, shadow. */
const colours = () => [...document.querySelectorAll("body, body *")].map((e) => {
  const s = getComputedStyle(e);
  return [s.color, s.backgroundColor, s.borderTopColor, s.borderLeftColor, s.borderBottomColor, s.outlineColor, s.boxShadow, s.fill, s.stroke].join(" ");
});

for (const scheme of ["light", "dark"]) {
  test(`the toggle's ${scheme} draws every colour as a ${scheme} system does`, async () => {
    const other = scheme === "dark" ? "light" : "dark";
    const drawn = {};
    for (const [system, choice] of [[scheme, null], [other, scheme]]) {
      const context = await browser.newContext({ colorScheme: system, viewport: { width: 1280, height: 900 } });
      const page = await watchedPage(context);
      await page.goto(fileUrl("practices/cold-chain-handover/index.html"));
      if (choice) {
        await page.evaluate((c) => localStorage.setItem("practica-scheme", c), choice);
        await page.reload();
      }
      assert.ok(await page.locator(".callout").count() > 0, "the page has a callout");
      drawn[choice ? "chosen" : "system"] = await page.evaluate(colours);
      assert.deepEqual(page.problems, []);
      await context.close();
    }
    assert.equal(drawn.chosen.length, drawn.system.length);
    const differ = drawn.system.map((c, i) => [i, c, drawn.chosen[i]]).filter(([, a, b]) => a !== b);
    assert.deepEqual(differ.slice(0, 5), [], `${differ.length} elements differ`);
    assert.equal(new Set(drawn.system).size > 10, true, "the page has colours to compare");
  });
}

test("a page prints in the light scheme whichever the reader chose", async () => {
  const context = await browser.newContext({ colorScheme: "dark" });
  const page = await context.newPage();
  await page.goto(fileUrl("practices/cold-chain-handover/index.html"));
  await page.evaluate(() => localStorage.setItem("practica-scheme", "dark"));
  await page.reload();
  // a colour token as an element drawn with it resolves it
  const practiceInk = () => page.evaluate(() => {
    const probe = document.body.appendChild(document.createElement("span"));
    probe.style.color = "var(--practice-fg)";
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour;
  });
  assert.equal(await practiceInk(), "rgb(159, 224, 203)", "dark on the screen");
  await page.emulateMedia({ media: "print" });
  assert.equal(await practiceInk(), "rgb(23, 89, 74)", "light on paper");
  await context.close();
});

test("the stored choice applies before the first paint", async () => {
  const context = await browser.newContext({ colorScheme: "light" });
  const page = await context.newPage();
  await page.goto(fileUrl("index.html"));
  await page.evaluate(() => localStorage.setItem("practica-scheme", "dark"));
  // the inline script in <head> has set it by the time the body is parsed
  await page.goto(fileUrl("index.html"), { waitUntil: "commit" });
  await page.waitForSelector("body");
  const early = await page.evaluate(() => document.documentElement.dataset.scheme);
  assert.equal(early, "dark");
  await context.close();
});

for (const scheme of ["light", "dark"]) for (const width of [1280, 360]) {
  for (const file of ["index.html", "practices/cold-chain-handover/index.html"]) {
    test(`in German with an accent colour and a logo, ${file} at ${width} px, ${scheme}, has no axe violations`, async () => {
      const page = await watchedPage(browser, { viewport: { width, height: 900 }, colorScheme: scheme });
      await page.goto(brandedUrl(file));
      const logo = page.locator(".brand img.logo");
      assert.equal(await logo.getAttribute("alt"), "Food Rescue Commons");
      assert.ok(await logo.evaluate((img) => img.complete && img.naturalWidth > 0), "the logo loads");
      // one header row on a phone, logo and all
      const header = await page.locator(".site-header").boundingBox();
      if (width === 360) assert.ok(header.height < 70, `header ${header.height} px high`);
      assert.equal(await page.locator(".scheme-toggle").getAttribute("aria-label"), "Farbschema: System");
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no sideways scroll");
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
      const found = result.violations
        .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
      assert.deepEqual(found, []);
      if (file !== "index.html") {
        const link = await page.locator(".content p a[href]:not(.heading-anchor)").first().evaluate((a) => getComputedStyle(a).color);
        // as written for dark; darkened for light, where it was too faint
        assert.equal(link, scheme === "light" ? "rgb(140, 106, 15)" : "rgb(212, 160, 23)");
      }
      assert.deepEqual(page.problems, []);
      await page.close();
    });
  }
}
