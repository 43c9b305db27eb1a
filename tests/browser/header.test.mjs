// The header on a desktop: one row (the brand, the sections, search and
// the colour-scheme toggle) from 1024 px, with nothing cut off or over
// anything else, on the example and, with a long title, in every language
// the theme ships (PRACTICA_LANGUAGES: a site per language code).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch, watchedPage, fileUrl } from "./browser.mjs";

const languages = process.env.PRACTICA_LANGUAGES;
const practice = "practices/cold-chain-handover/index.html";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The header's parts where they are drawn, and what of them is cut off. */
function measure() {
  const box = (e) => e.getBoundingClientRect();
  const parts = {
    brand: document.querySelector(".brand"),
    sections: document.querySelector(".site-nav"),
    search: document.querySelector(".site-search"),
    toggle: document.querySelector(".scheme-toggle"),
  };
  const inner = box(document.querySelector(".header-inner"));
  const placed = Object.entries(parts).map(([name, e]) => {
    const r = box(e);
    return { name, left: r.left, right: r.right, top: r.top, bottom: r.bottom, shown: r.width > 0 && r.height > 0 };
  });
  // text wider than the box it is drawn in: a link, the title, the placeholder
  const cut = [];
  for (const e of document.querySelectorAll(".brand span, .site-nav a")) {
    if (e.scrollWidth > e.clientWidth + 0.5) cut.push(e.textContent.trim());
  }
  // the placeholder, where shown: beside the / key, unless narrowed to an icon
  const input = document.querySelector("#search-input");
  const key = document.querySelector(".search-key");
  if (key.offsetWidth > 0) {
    const style = getComputedStyle(input);
    const context = document.createElement("canvas").getContext("2d");
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (context.measureText(input.placeholder).width > room + 0.5) cut.push(`placeholder ${input.placeholder}`);
  }
  return {
    height: box(document.querySelector(".site-header")).height,
    placed,
    inner: { left: inner.left, right: inner.right },
    cut,
    wide: document.documentElement.scrollWidth > document.documentElement.clientWidth,
  };
}

/** Fails unless the four parts are shown side by side on one row. */
function assertOneRow(found, where) {
  const { placed } = found;
  for (const part of placed) assert.ok(part.shown, `${where}: the ${part.name} is shown`);
  const top = Math.max(...placed.map((p) => p.top));
  const bottom = Math.min(...placed.map((p) => p.bottom));
  assert.ok(top < bottom, `${where}: one row, not two: ${JSON.stringify(placed)}`);
  const inOrder = [...placed].sort((a, b) => a.left - b.left);
  assert.deepEqual(inOrder.map((p) => p.name), ["brand", "sections", "search", "toggle"], where);
  for (let i = 1; i < inOrder.length; i++) {
    assert.ok(inOrder[i - 1].right <= inOrder[i].left + 0.5, `${where}: the ${inOrder[i - 1].name} runs into the ${inOrder[i].name}`);
  }
  assert.ok(inOrder[0].left >= found.inner.left - 0.5 && inOrder[3].right <= found.inner.right + 0.5, `${where}: inside the header`);
  assert.deepEqual(found.cut, [], `${where}: cut off`);
  assert.equal(found.wide, false, `${where}: the page scrolls sideways`);
}

async function header(url, width) {
  const page = await watchedPage(browser, { viewport: { width, height: 800 } });
  await page.goto(url);
  const found = await page.evaluate(measure);
  assert.deepEqual(page.problems, []);
  await page.close();
  return found;
}

for (const width of [1024, 1280, 1920]) {
  test(`the example's header at ${width} px is one row, as short as a phone's`, async () => {
    for (const file of ["index.html", practice, "gaps/index.html", "insights/index.html"]) {
      const found = await header(fileUrl(file), width);
      assertOneRow(found, `${file} at ${width} px`);
      // the title, the sections' names and the search box on one line each
      assert.ok(found.height < 80, `${file} at ${width} px: the header is ${found.height} px tall`);
    }
  });
}

test("with a long title, in every shipped language, the desktop header is one row and nothing is cut off", async (t) => {
  assert.ok(languages, "set PRACTICA_LANGUAGES (cargo test does)");
  // a site per language code (each build leaves its lock file beside it)
  const codes = fs.readdirSync(languages).filter((name) => !name.startsWith("."));
  assert.ok(codes.includes("de") && codes.length >= 5, `a site per language: ${codes}`);
  for (const code of codes) for (const width of [1024, 1100, 1280, 1440]) {
    const url = pathToFileURL(path.join(languages, code, practice)).href;
    assertOneRow(await header(url, width), `${code} at ${width} px`);
  }
});

test("a search box narrowed to its icon widens while typing, and its results show", async () => {
  assert.ok(languages);
  const page = await watchedPage(browser, { viewport: { width: 1024, height: 800 } });
  await page.goto(pathToFileURL(path.join(languages, "de", practice)).href);
  const input = page.locator("#search-input");
  const narrow = (await input.boundingBox()).width;
  assert.ok(narrow < 80, `the German header leaves the search box ${narrow} px`);
  await page.keyboard.press("/");
  await page.keyboard.type("fridge");
  const wide = (await input.boundingBox()).width;
  assert.ok(wide >= 250, `typing, it is ${wide} px wide`);
  await page.locator(".search-listbox [role=option]").first().waitFor();
  const right = (await input.boundingBox()).x + wide;
  assert.ok(right <= 1024, "and still on the screen");
  await page.keyboard.press("Escape");
  await page.locator("main").click({ position: { x: 5, y: 5 } });
  assert.equal(Math.round((await input.boundingBox()).width), Math.round(narrow), "and narrows again after");
  assert.deepEqual(page.problems, []);
  await page.close();
});
