// Bytes a reader downloads to search, practica's index against Pagefind's,
// measured in Debian's chromium on the same built site.
//
//   node bench/search_bytes.mjs SITE_DIR [--no-pagefind]
//
// SITE_DIR is a site practica built. The script runs Pagefind (the `pagefind`
// npm package in tests/browser/) on a copy's HTML, serves the folder on
// localhost, types queries into each search as a reader would (one key at
// a time) and sums the bytes of every search file fetched. `--no-pagefind`
// measures practica alone (Pagefind takes a minute and a half at 10k).
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { serveFolder } from "../tests/browser/static-server.mjs";
import fs from "node:fs";
import path from "node:path";

const require = createRequire(new URL("../tests/browser/package.json", import.meta.url));
const { chromium } = require("playwright-core");
const pagefindBin = new URL("../tests/browser/node_modules/.bin/pagefind", import.meta.url).pathname;

const withPagefind = !process.argv.includes("--no-pagefind");
const site = path.resolve(process.argv.slice(2).find((a) => !a.startsWith("--")) || "");
if (!fs.existsSync(path.join(site, "search/meta.js"))) {
  console.error("usage: node bench/search_bytes.mjs SITE_DIR (a site built by practica)");
  process.exit(2);
}

const du = (dir) => {
  let bytes = 0, files = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) { bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size; files++; }
  }
  return { bytes, files };
};

// Pagefind indexes the same pages (it writes into SITE/pagefind/).
const started = Date.now();
if (withPagefind) execFileSync(pagefindBin, ["--site", site, "--quiet"], { stdio: "inherit" });
const pagefindSeconds = (Date.now() - started) / 1000;
if (withPagefind) fs.writeFileSync(path.join(site, "pagefind-bench.html"), `<!doctype html><meta charset="utf-8"><title>Pagefind</title>
<script type="module">
const pagefind = await import("./pagefind/pagefind.js");
await pagefind.init();
window.runSearch = async (q) => { const r = await pagefind.debouncedSearch(q, {}, 0); if (!r) return -1;
  await Promise.all(r.results.slice(0, 8).map((x) => x.data())); return r.results.length; };
window.ready = true;
</script>`);

const server = await serveFolder(site);
const { origin } = server;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function measure(kind, query) {
  const page = await browser.newPage();
  let bytes = 0;
  let counting = false;
  const wanted = kind === "practica" ? /\/(search\/|assets\/search\.js)/ : /\/pagefind\//;
  page.on("response", async (r) => {
    if (!counting || !wanted.test(r.url())) return;
    try { bytes += (await r.body()).length; } catch { /* redirects have no body */ }
  });
  const marks = [];
  if (kind === "practica") {
    counting = false;
    await page.goto(`${origin}/index.html`);
    counting = true;
    // search.js is part of what the first query costs.
    bytes += fs.statSync(path.join(site, "assets/search.js")).size;
    const box = page.locator("#search-input");
    for (const ch of query) {
      await box.press(ch === " " ? "Space" : ch);
      await page.waitForTimeout(150);
      marks.push(bytes);
    }
    await page.locator("#search-listbox").waitFor();
    await page.waitForTimeout(500);
  } else {
    counting = true;
    await page.goto(`${origin}/pagefind-bench.html`);
    await page.waitForFunction(() => window.ready);
    let typed = "";
    for (const ch of query) {
      typed += ch;
      await page.evaluate((q) => window.runSearch(q), typed);
      marks.push(bytes);
    }
    await page.waitForTimeout(500);
  }
  const firstQuery = marks[1] ?? marks[0];
  await page.close();
  return { firstQuery, total: bytes };
}

// The last three have typos (the first of them in its first two letters,
// which loads the shards the word could have been meant for).
const queries = [
  "re", "vol", "review", "onboarding mentor", "review community mentoring process",
  "mentorng", "rmentoring facilitaiton", "reveiw comunity mentorign proccess",
];
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const ours = du(path.join(site, "search"));
console.log(`site: ${site}`);
if (withPagefind) {
  const theirs = du(path.join(site, "pagefind"));
  console.log(`index on disk: practica ${kb(ours.bytes)} in ${ours.files} files; Pagefind ${kb(theirs.bytes)} in ${theirs.files} files`);
  console.log(`Pagefind indexing took ${pagefindSeconds.toFixed(1)} s`);
} else {
  console.log(`index on disk: practica ${kb(ours.bytes)} in ${ours.files} files`);
}
console.log("query | practica: first keystrokes / whole query | Pagefind: first keystrokes / whole query");
for (const q of queries) {
  const a = await measure("practica", q);
  const b = withPagefind ? await measure("pagefind", q) : null;
  const theirs = b ? `${kb(b.firstQuery)} / ${kb(b.total)}` : "not measured";
  console.log(`${q} | ${kb(a.firstQuery)} / ${kb(a.total)} | ${theirs}`);
}
await browser.close();
server.close();
fs.rmSync(path.join(site, "pagefind"), { recursive: true, force: true });
fs.rmSync(path.join(site, "pagefind-bench.html"), { force: true });
