// Layout on every screen: no page kind is wider than the viewport at phone,
// tablet and desktop widths, and a content table either fits its column or
// scrolls sideways inside its own box with a visible cue.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, watchedPage, fileUrl } from "./browser.mjs";

const pages = {
  home: "index.html",
  practice: "practices/cold-chain-handover/index.html",
  "practice with tables": "practices/temperature-logging/index.html",
  "case-study": "case-studies/counting-meals-honestly/index.html",
  guide: "guides/onboarding-new-volunteers/index.html",
  member: "members/priya-raman/index.html",
  members: "members/index.html",
  tag: "tags/food-safety/index.html",
  "tag-index": "tags/index.html",
  section: "practices/index.html",
  toolkit: "toolkits/fridge-host-starter-kit/index.html",
  "toolkit-print": "toolkits/fridge-host-starter-kit/print/index.html",
  toolkits: "toolkits/index.html",
  "gap-map": "gaps/index.html",
  insights: "insights/index.html",
  search: "search/index.html?q=volunteer",
  "not-found": "404.html",
};
const widths = [360, 390, 768, 1280];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function open(path, width) {
  const page = await watchedPage(browser, { viewport: { width, height: 800 } });
  const [file, query] = path.split("?");
  await page.goto(fileUrl(file) + (query ? `?${query}` : ""));
  return page;
}

for (const width of widths) {
  for (const [name, path] of Object.entries(pages)) {
    test(`${name} at ${width} px is no wider than the viewport`, async () => {
      const page = await open(path, width);
      const wide = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        viewport: document.documentElement.clientWidth,
        // what sticks out past the right edge, to name it in a failure
        culprits: [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
          .filter((e) => !e.closest(".visually-hidden, .table-wrap, .table-scroll, .heatmap-scroll, pre, .skip-link"))
          .slice(0, 5)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
      }));
      assert.ok(wide.page <= wide.viewport, `${wide.page} px wide in ${wide.viewport}: ${wide.culprits.join(", ")}`);
      await page.close();
    });
  }
}

/** Every content table: its cells' text is reachable (not clipped), and it
 *  scrolls only when it cannot fit, with the scroll cue shown then only. */
const withTables = [pages.practice, pages["practice with tables"]];
for (const width of [390, 1280]) for (const path of withTables) {
  test(`${path}'s tables at ${width} px wrap, and scroll with a cue only when they must`, async () => {
    const page = await open(path, width);
    const tables = await page.evaluate(() => [...document.querySelectorAll(".content .table-wrap")].map((wrap) => {
      const table = wrap.querySelector("table");
      const cells = [...table.querySelectorAll("td")];
      return {
        wrapWidth: wrap.clientWidth,
        tableWidth: table.getBoundingClientRect().width,
        scrolls: wrap.scrollWidth > wrap.clientWidth + 1,
        cue: wrap.classList.contains("is-scrollable"),
        nowrap: cells.filter((c) => getComputedStyle(c).whiteSpace === "nowrap").length,
      };
    }));
    assert.ok(tables.length > 0, "the page has a content table");
    for (const t of tables) {
      assert.equal(t.nowrap, 0, "body cells may wrap");
      assert.equal(t.cue, t.scrolls, `the scroll cue shows exactly when the table scrolls (${JSON.stringify(t)})`);
      // the example's tables are words, not code: they fit by wrapping
      assert.ok(!t.scrolls, `a table of words fits the column (${JSON.stringify(t)})`);
    }
    await page.close();
  });
}

test("a table too wide for a phone scrolls inside its box, with a cue, and its last column is reachable", async () => {
  const page = await open(pages["practice with tables"], 360);
  await page.evaluate(() => {
    // a table that cannot fit 360 px: long unbreakable words in many columns
    const wrap = document.querySelector(".content .table-wrap");
    const row = wrap.querySelector("tbody tr") || wrap.querySelector("tr");
    for (let i = 0; i < 6; i++) {
      const cell = document.createElement("td");
      cell.textContent = `Refrigeration${i}`;
      row.append(cell);
    }
    window.dispatchEvent(new Event("resize"));
  });
  await page.waitForFunction(() => document.querySelector(".content .table-wrap").classList.contains("is-scrollable"));
  const state = await page.evaluate(() => {
    const wrap = document.querySelector(".content .table-wrap");
    wrap.scrollLeft = wrap.scrollWidth;
    const last = wrap.querySelector("tr td:last-child").getBoundingClientRect();
    const box = wrap.getBoundingClientRect();
    return { last: last.right, box: box.right, page: document.documentElement.scrollWidth, viewport: innerWidth };
  });
  assert.ok(state.page <= state.viewport, "the page itself does not scroll sideways");
  assert.ok(state.last <= state.box + 1, "the last column scrolls into view");
  await page.close();
});

/** A phone as readers hold one: touch, no hover. */
async function phone(path, width = 390) {
  const page = await watchedPage(browser, { viewport: { width, height: 844 }, isMobile: true, hasTouch: true });
  await page.goto(fileUrl(path));
  return page;
}

for (const [name, path] of Object.entries({ home: pages.home, practice: pages.practice, search: "search/index.html" })) {
  test(`${name}'s header on a phone is one row with a menu button and search one tap away`, async () => {
    const page = await phone(path);
    const header = page.locator(".site-header");
    const height = (await header.boundingBox()).height;
    assert.ok(height < 80, `the header is ${height} px tall`);
    const menu = header.getByRole("button", { name: "Menu" });
    const nav = page.getByRole("navigation", { name: "Main" });
    assert.equal(await nav.isVisible(), false, "the menu starts closed");
    await menu.tap();
    assert.equal(await menu.getAttribute("aria-expanded"), "true");
    assert.ok(await nav.getByRole("link", { name: "Practices" }).isVisible(), "the menu lists the sections");
    await page.keyboard.press("Escape");
    assert.equal(await nav.isVisible(), false, "Escape closes the menu");
    await header.getByRole("button", { name: "Search" }).tap();
    const input = page.locator("#search-input");
    assert.ok(await input.isVisible(), "one tap shows the search box");
    assert.ok(await input.evaluate((e) => e === document.activeElement), "and puts the cursor in it");
    assert.equal(await menu.getAttribute("aria-expanded"), "false", "one panel at a time");
    assert.deepEqual(page.problems, []);
    await page.close();
  });
}

test("at 1280 px the header shows the menu and the search box, and no buttons", async () => {
  const page = await open(pages.practice, 1280);
  assert.ok(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Practices" }).isVisible());
  assert.ok(await page.locator("#search-input").isVisible());
  assert.equal(await page.locator(".header-buttons").isVisible(), false);
  await page.close();
});

test("without scripts a phone's menu wraps as before and stays reachable", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(fileUrl(pages.practice));
  assert.ok(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Practices" }).isVisible());
  assert.equal(await page.locator(".header-buttons").isVisible(), false, "buttons that could do nothing are hidden");
  await context.close();
});

test("heading links show on a touch screen without hovering", async () => {
  const page = await phone(pages.practice);
  const anchor = page.locator(".content h2 .heading-anchor").first();
  assert.equal(await anchor.evaluate((e) => getComputedStyle(e).opacity), "1");
  await page.close();
  const desktop = await open(pages.practice, 1280);
  assert.equal(await desktop.locator(".content h2 .heading-anchor").first().evaluate((e) => getComputedStyle(e).opacity), "0",
    "with a mouse they appear on hover, as before");
  await desktop.close();
});

test("the table of contents marks the section being read", async () => {
  const page = await open(pages.practice, 1280);
  const current = () => page.evaluate(() => document.querySelector(".toc a[aria-current='location']")?.hash ?? null);
  const first = await page.evaluate(() => document.querySelector(".toc a").hash);
  assert.equal(await current(), first, "the first section before any is scrolled past");
  const last = await page.evaluate(() => {
    const links = document.querySelectorAll(".toc a");
    const link = links[links.length - 1];
    document.getElementById(decodeURIComponent(link.hash.slice(1))).scrollIntoView({ block: "start", behavior: "instant" });
    return link.hash;
  });
  await page.waitForFunction((hash) => document.querySelector(".toc a[aria-current='location']")?.hash === hash, last);
  assert.equal(await page.locator(".toc a[aria-current]").count(), 1, "one section at a time");
  await page.close();
});
