// Follows every internal link of every page in chromium, from file:// and
// from a sub-path on a local server: every target loads, every #anchor
// exists, no page logs an error. Then LinkChecker, which nobody here wrote,
// checks the same site.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { launch, watchedPage, fileUrl, serveUnder, site, run } from "./browser.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Crawls from `start`; returns broken links and console problems. */
async function crawl(start, inside, exists) {
  const page = await watchedPage(browser);
  const queue = [start];
  const seen = new Set(queue);
  const ids = new Map();
  const links = [];
  while (queue.length) {
    const url = queue.shift();
    const response = await page.goto(url);
    if (response && !response.ok() && !url.startsWith("file:")) {
      links.push({ from: "(crawl)", to: url, broken: `status ${response.status()}` });
      continue;
    }
    ids.set(url, new Set(await page.$$eval("[id]", (all) => all.map((e) => e.id))));
    const found = await page.$$eval("a[href], link[href], img[src], script[src]", (all) =>
      all.map((e) => new URL(e.getAttribute("href") ?? e.getAttribute("src"), document.baseURI).href));
    for (const href of found) {
      if (!inside(href)) continue;
      const target = new URL(href);
      const hash = decodeURIComponent(target.hash.slice(1));
      target.hash = "";
      target.search = "";
      links.push({ from: url, to: target.href, hash });
      if (target.href.endsWith(".html") || target.href.endsWith("/")) {
        if (!seen.has(target.href)) {
          seen.add(target.href);
          queue.push(target.href);
        }
      }
    }
  }
  const broken = [];
  for (const link of links) {
    if (link.broken) { broken.push(`${link.to}: ${link.broken}`); continue; }
    if (!(await exists(link.to))) broken.push(`${link.from} → ${link.to}: no such file`);
    else if (link.hash && ids.has(link.to) && !ids.get(link.to).has(link.hash)) {
      broken.push(`${link.from} → ${link.to}#${link.hash}: no such anchor`);
    }
  }
  await page.close();
  return { pages: seen.size, links: links.length, broken, problems: page.problems };
}

test("every link and anchor resolves from file://", async () => {
  const root = fileUrl("");
  const result = await crawl(fileUrl("index.html"), (href) => href.startsWith(root),
    async (url) => fs.existsSync(fileURLToPath(url)));
  assert.ok(result.pages > 70, `crawled ${result.pages} pages`);
  assert.deepEqual(result.broken, []);
  assert.deepEqual(result.problems, []);
});

test("every link and anchor resolves under a sub-path of a web server", async () => {
  const host = await serveUnder("/commons/");
  try {
    const root = `${host.origin}/commons/`;
    const result = await crawl(`${root}index.html`, (href) => href.startsWith(root), async (url) => {
      const response = await fetch(url, { method: "HEAD" });
      return response.ok;
    });
    assert.ok(result.pages > 70, `crawled ${result.pages} pages`);
    assert.deepEqual(result.broken, []);
    assert.deepEqual(result.problems, []);
  } finally {
    host.close();
  }
});

test("LinkChecker finds no broken internal link", async () => {
  const result = await run("linkchecker", ["--no-status", "--no-warnings", "-o", "text", fileUrl("index.html")]);
  assert.notEqual(result.code, -1, `LinkChecker is needed (pip install linkchecker): ${result.stderr}`);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /0 errors found/);
});
