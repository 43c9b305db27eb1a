// Shared set-up for the browser tests: Debian's chromium through
// playwright-core (never a downloaded browser) and the built site folder.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import path from "node:path";
import fs from "node:fs";
import { serveFolder } from "./static-server.mjs";
import { spawn } from "node:child_process";

export const site = process.env.PRACTICA_SITE;
if (!site) throw new Error("set PRACTICA_SITE to a built site (cargo test does)");
/** The same community built with `base_url`: it has feed.xml and sitemap.xml. */
export const hosted = process.env.PRACTICA_HOSTED;

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
export function serveUnder(prefix, dir = site) {
  return serveFolder(dir, prefix);
}

/** Runs a command; resolves with its exit code and output, never throws. */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, options);
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    child.on("error", (e) => resolve({ code: -1, stdout, stderr: stderr + e.message }));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
