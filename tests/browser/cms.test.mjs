// The web editor `practica cms` writes, in Chromium: Decap CMS (the
// release pinned in package-lock.json, served from node_modules in place of
// unpkg) on `practica serve`, saving through `decap-server` into a copy of
// the example. A contributor writes a practice and edits a profile through
// the forms; the site shows each within a second, and `practica check`
// finds nothing to say about the files the forms wrote.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { launch, watchedPage, output, run } from "./browser.mjs";

const require = createRequire(import.meta.url);
const decapDist = path.dirname(require.resolve("decap-cms/dist/decap-cms.js"));
const decapServer = require.resolve("decap-server/dist/index.js");
const bin = process.env.PRACTICA_BIN;

let browser;
let root;
let origin;
let serve;
const children = [];
// A failed test must leave no server behind, whatever ends the run.
process.on("exit", () => children.forEach((child) => child.kill()));

/** A port nothing listens on, for decap-server (8081 may be taken). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a child; resolves when its output matches `ready`, with the
 *  match and the child (whose `output` grows with what it prints). */
function start(command, args, options, ready) {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  child.output = "";
  return new Promise((resolve, reject) => {
    let text = "";
    const look = (d) => {
      text += d;
      child.output += d;
      const found = text.match(ready);
      if (found) resolve([found, child]);
    };
    child.stdout.on("data", look);
    child.stderr.on("data", look);
    child.on("exit", (code) => reject(new Error(`${command} exited with ${code}: ${text}`)));
  });
}

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "practica-cms-"));
  fs.cpSync(process.env.PRACTICA_EXAMPLE, root, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}public`),
  });
  const made = await run(bin, ["cms", root]);
  assert.equal(made.code, 0, made.stderr);
  // The community's own setting, kept by `practica cms`: this run's port.
  const port = await freePort();
  const config = path.join(root, "static/admin/config.yml");
  const text = fs.readFileSync(config, "utf8");
  const local = text.replace("local_backend: true", `local_backend:\n  url: http://127.0.0.1:${port}/api/v1`);
  assert.notEqual(local, text);
  fs.writeFileSync(config, local);
  assert.equal((await run(bin, ["cms", root])).code, 0);
  assert.match(fs.readFileSync(config, "utf8"), new RegExp(`url: http://127.0.0.1:${port}/api/v1`));

  const env = { ...process.env, NO_COLOR: "1" };
  await start("node", [decapServer], {
    env: { ...env, PORT: String(port), BIND_HOST: "127.0.0.1", GIT_REPO_DIRECTORY: root, LOG_LEVEL: "info" },
  }, /listening on/);
  [[origin], serve] = await start(bin, ["serve", root, "--port", "0"], { env }, /http:\/\/127\.0\.0\.1:\d+/);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  children.forEach((child) => child.kill());
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

/** A page whose only network is the local servers, and Decap's bundle
 *  from node_modules where index.html asks unpkg for it. */
async function editorPage() {
  const page = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });
  page.outside = [];
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "unpkg.com" && url.pathname.startsWith("/decap-cms@")) {
      const file = url.pathname.split("/dist/")[1];
      return route.fulfill({ path: path.join(decapDist, file) });
    }
    if (url.hostname === "127.0.0.1" || url.hostname === "localhost") return route.continue();
    page.outside.push(url.href);
    return route.abort();
  });
  return page;
}

async function logIn(page) {
  await page.goto(`${origin}/admin/`);
  await page.getByRole("button", { name: "Login" }).click();
  for (const collection of ["Practices", "Guides", "Case studies", "Members"]) {
    await page.getByRole("link", { name: collection }).first().waitFor();
  }
}

async function choose(page, field, typed, option) {
  const input = page.locator(`input[id^="${field}-field-"]`);
  await input.click();
  await input.fill(typed);
  await page.getByRole("option", { name: option, exact: true }).click();
}

async function publish(page) {
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await page.getByText("Publish now").click();
  await page.getByRole("button", { name: "Published" }).waitFor();
}

/** Waits for `file` to hold `needle`; resolves with the time it did
 *  (started before the save, so the time is the save's). */
async function written(file, needle) {
  for (;;) {
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8").includes(needle)) return Date.now();
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Waits until the served page at `address` holds `needle`; the time it
 *  took from `since`, and what `serve` said meanwhile. */
async function served(address, needle, since, said) {
  for (;;) {
    const response = await fetch(`${origin}${address}`);
    if (response.ok && (await response.text()).includes(needle)) {
      const took = Date.now() - since;
      for (let i = 0; i < 100 && !/updated/.test(serve.output.slice(said)); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      return [took, serve.output.slice(said).trim()];
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function checkClean() {
  const checked = await run(bin, ["check", root], { env: { ...process.env, NO_COLOR: "1" } });
  assert.equal(checked.code, 0, checked.stderr);
  assert.match(checked.stderr, /0 errors, 0 warnings/, checked.stderr);
}

test("Decap loads the generated config.yml: its own schema finds nothing wrong", async () => {
  const page = await editorPage();
  await logIn(page);
  assert.equal(await page.getByText("Error loading the CMS configuration").count(), 0);
  // Saving writes the files `serve` watches: the editor must not reload.
  assert.equal(await page.evaluate(() => "practicaLive" in window), false);
  assert.deepEqual(page.outside, []);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("a config Decap's schema refuses is reported, so the check above can fail", async () => {
  const page = await editorPage();
  const text = fs.readFileSync(path.join(root, "static/admin/config.yml"), "utf8");
  await page.route("**/admin/config.yml", (route) =>
    route.fulfill({ contentType: "application/yaml", body: text.replace(/\n {4}search_fields:\n(?: {4}- \w+\n)+/, "\n") }));
  await page.goto(`${origin}/admin/`);
  await page.getByText("Error loading the CMS configuration").waitFor();
  await page.getByText(/search_fields/).first().waitFor();
  await page.close();
});

test("a practice written in the form, with tags and an author from the lists, is a page within a second", async (t) => {
  const page = await editorPage();
  await logIn(page);
  await page.goto(`${origin}/admin/#/collections/practices/new`);
  await page.getByRole("textbox", { name: "Title", exact: true }).fill("Surplus swap shelf");
  await page.locator('textarea[id^="summary-field-"]').fill("A shelf where fridge hosts swap what they cannot use.");
  await choose(page, "tags", "Cold", "Cold chain");
  await choose(page, "tags", "Fridge", "Community fridges › Fridge hosting");
  await choose(page, "authors", "Amara", "Amara Okafor");
  await choose(page, "status", "emer", "emerging");
  const body = page.locator(".cms-editor-raw [contenteditable=true]");
  await body.click();
  await page.keyboard.type("Hosts swap surplus on one shelf. See [[fridge-cleaning-rota]] and [[?Shelf labels]].");

  // The preview is drawn with the site's own stylesheet.
  const preview = page.frameLocator("#preview-pane");
  await preview.getByText("Surplus swap shelf").first().waitFor();
  const rules = await preview.locator('link[href$="assets/style.css"]').evaluate((link) => link.sheet?.cssRules.length ?? 0);
  assert.ok(rules > 10, `the site's stylesheet is loaded in the preview (${rules} rules)`);
  await page.screenshot({ path: output("cms-new-practice-1280.png") });

  await page.evaluate(() => { window.beforeSaving = true; });
  const file = path.join(root, "practices/surplus-swap-shelf.md");
  const heard = serve.output.length;
  const saving = written(file, "Hosts swap surplus");
  await publish(page);
  const saved = await saving;
  const [took, said] = await served("/practices/surplus-swap-shelf/", "Surplus swap shelf", saved, heard);
  t.diagnostic(`served ${took} ms after the file was saved; serve: ${said}`);
  assert.ok(took < 1000, `the page was served ${took} ms after the file was saved; serve: ${said}`);

  const text = fs.readFileSync(file, "utf8");
  assert.match(text, /^---\ntitle: Surplus swap shelf\n/);
  assert.match(text, /tags:\n  - cold-chain\n  - fridge-hosting\n/);
  assert.match(text, /authors:\n  - amara-okafor\n/);
  assert.match(text, /status: emerging\n/);
  assert.match(text, /\n---\nHosts swap surplus on one shelf\. See \[\[fridge-cleaning-rota\]\] and \[\[\?Shelf labels\]\]\./);
  const page2 = await (await fetch(`${origin}/practices/surplus-swap-shelf/`)).text();
  assert.match(page2, /members\/amara-okafor\//, "the byline links to the author's profile");
  assert.match(page2, /practices\/fridge-cleaning-rota\//, "the wikilink is a link");
  assert.equal(await page.evaluate(() => window.beforeSaving), true, "the editor did not reload");
  await checkClean();
  assert.deepEqual(page.outside, []);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("a member's expertise edited in the form shows on the topic page", async (t) => {
  const member = path.join(root, "members/tomasz-wierzbicki.md");
  const before = fs.readFileSync(member, "utf8");
  const body = before.split("\n---\n").slice(1).join("\n---\n");
  assert.doesNotMatch(before, /- allergens\n/, "a topic the member does not know yet");
  // The topic page open in another tab, as a contributor would keep it.
  const topic = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });
  await topic.goto(`${origin}/tags/allergens/`);
  await topic.waitForFunction(() => window.practicaLive === "connected");
  const listed = topic.locator('main a[href*="members/tomasz-wierzbicki/"]');
  assert.equal(await listed.count(), 0);

  const page = await editorPage();
  await logIn(page);
  await page.goto(`${origin}/admin/#/collections/members/entries/tomasz-wierzbicki`);
  await page.getByRole("textbox", { name: "Title", exact: true }).waitFor();
  await choose(page, "expertise", "Aller", "Food safety › Allergens");
  const heard = serve.output.length;
  const saving = written(member, "- allergens");
  await publish(page);
  const saved = await saving;
  const [took, said] = await served("/tags/allergens/", "members/tomasz-wierzbicki/", saved, heard);
  t.diagnostic(`topic page updated ${took} ms after the file was saved; serve: ${said}`);
  assert.ok(took < 1000, `the topic page was updated ${took} ms after the file was saved; serve: ${said}`);
  await listed.first().waitFor();
  assert.match(await listed.first().innerText(), /Tomasz Wierzbicki/);
  assert.deepEqual(topic.problems, []);
  await topic.close();
  assert.ok(fs.readFileSync(member, "utf8").endsWith(body.trimStart()), "the body is kept as written");
  await checkClean();
  assert.deepEqual(page.outside, []);
  assert.deepEqual(page.problems, []);
  await page.close();
});
