// How long a search query takes in Debian's chromium once its files are
// loaded: the matching (other forms, prefixes, typos) and ranking that run
// on every keystroke, measured through the page's own script
// (`practicaSearch.find`), and the whole way from the header box's input
// event to its list on screen, less the 60 ms the box waits for typing to
// pause.
//
//   node bench/search_speed.mjs SITE_DIR [--runs 30] [QUERY ...]
//
// SITE_DIR is a site practica built. The script serves it on localhost,
// opens its home page, runs each query once to load its files (timed too,
// as "first"), then `--runs` times more, and prints the median and the
// slowest of those. The default queries are typos and prefixes of words
// of the generated community (../shared/bench/gen_corpus.py).
import { createRequire } from "node:module";
import { serveFolder } from "../tests/browser/static-server.mjs";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const require = createRequire(new URL("../tests/browser/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 30;
const [siteArg, ...asked] = args;
const site = path.resolve(siteArg || "");
if (!fs.existsSync(path.join(site, "search/meta.js")) || !(runs > 0)) {
  console.error("usage: node bench/search_speed.mjs SITE_DIR [--runs N] [QUERY ...] (a site built by practica)");
  process.exit(2);
}

// Each as a reader types it: a trailing space means the word is finished,
// none that it is still being typed (matched as a prefix).
const queries = asked.length ? asked : [
  "mentorng ", // a letter left out (one edit, eight letters)
  "retrospectivs ", // two edits allowed from nine letters
  "facilitaiton ", // two letters swapped
  "rmentoring ", // a typo before the first two letters: a neighbouring shard
  "facil", // a prefix
  "re", // the shortest prefix, in the largest shard
  "onboarding mentr", // a finished word and a prefix with a typo
  "peer review process ", // three exact words
];

const server = await serveFolder(site);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage();
await page.goto(`${server.origin}/index.html`);
await page.waitForFunction(() => typeof window.practicaSearch?.find === "function");

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const ms = (n) => `${n.toFixed(1)} ms`;

console.log(`site: ${site}`);
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, load average ${os.loadavg().map((n) => n.toFixed(2)).join(" ")}`);
console.log(`chromium: ${browser.version()}; ${runs} runs per query after the first`);
console.log("query | results | first (loads its files) | median after | slowest after | to the list on screen, median (slowest)");
for (const query of queries) {
  const timings = await page.evaluate(async ({ query, runs }) => {
    const time = async () => {
      const start = performance.now();
      const found = await window.practicaSearch.find(query);
      return { ms: performance.now() - start, count: found.results.length + found.topics.length };
    };
    const first = await time();
    const after = [];
    for (let i = 0; i < runs; i++) after.push((await time()).ms);
    return { first, after };
  }, { query, runs });
  const listed = await page.evaluate(async ({ query, runs }) => {
    const input = document.querySelector("#search-input");
    const list = document.querySelector("#search-listbox");
    const PAUSE = 60;
    const once = () => new Promise((resolve) => {
      list.dataset.query = "";
      const start = performance.now();
      const watch = new MutationObserver(() => {
        if (list.dataset.query !== query) return;
        watch.disconnect();
        resolve(performance.now() - start - PAUSE);
      });
      watch.observe(list, { attributes: true, attributeFilter: ["data-query"] });
      input.value = query;
      input.dispatchEvent(new Event("input"));
    });
    await once(); // loads the fragments of the results shown
    const after = [];
    for (let i = 0; i < runs; i++) after.push(await once());
    return after;
  }, { query, runs });
  const shown = JSON.stringify(query);
  console.log(`${shown} | ${timings.first.count} | ${ms(timings.first.ms)} | ${ms(median(timings.after))} | ${ms(Math.max(...timings.after))} | ${ms(median(listed))} (${ms(Math.max(...listed))})`);
}
await browser.close();
server.close();
