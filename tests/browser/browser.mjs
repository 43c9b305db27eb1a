// Shared set-up for the browser tests: Debian's chromium through
// playwright-core (never a downloaded browser) and the built site folder.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import path from "node:path";
import fs from "node:fs";
import http from "node:http";

export const site = process.env.PRACTICA_SITE;
if (!site) throw new Error("set PRACTICA_SITE to a built site (cargo test does)");

/** Where screenshots go, for anyone to look at after a run. */
export function output(name) {
  const dir = new URL("./output/", import.meta.url).pathname;
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

export function fileUrl(relative) {
  return pathToFileURL(path.join(site, relative)).href;
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic",
      "--allow-file-access-from-files",
    ],
  });
}

/** A page that fails the test on any console error or uncaught exception. */
export async function watchedPage(browser, options = {}) {
  const page = await browser.newPage(options);
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(e.message));
  page.problems = problems;
  return page;
}

/** Serves the site under `prefix` (like `/community/`) on localhost. */
export async function serveUnder(prefix) {
  const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json", ".xml": "application/xml" };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (!url.pathname.startsWith(prefix)) { res.writeHead(404).end(); return; }
    let file = path.join(site, decodeURIComponent(url.pathname.slice(prefix.length)));
    if (!file.startsWith(site)) { res.writeHead(404).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404).end(); return; }
      res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" }).end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}
