// `practica serve` in a real browser: an edit reloads the open page, a
// broken edit shows the problem in an overlay, and the fix clears it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { launch, watchedPage, output } from "./browser.mjs";

let browser;
let server;
let root;
let origin;

before(async () => {
  browser = await launch();
  root = fs.mkdtempSync(path.join(os.tmpdir(), "practica-serve-"));
  fs.cpSync(process.env.PRACTICA_EXAMPLE, root, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}public`),
  });
  server = spawn(process.env.PRACTICA_BIN, ["serve", root, "--port", "0"], { env: { ...process.env, NO_COLOR: "1" } });
  origin = await new Promise((resolve, reject) => {
    let text = "";
    server.stderr.on("data", (d) => {
      text += d;
      const found = text.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (found) resolve(found[0]);
    });
    server.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${text}`)));
  });
});

after(async () => {
  server?.kill();
  await browser?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test("an edit reloads the page; a broken edit shows an overlay until it is fixed", async () => {
  const page = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });
  const guide = path.join(root, "guides/onboarding-new-volunteers.md");
  const original = fs.readFileSync(guide, "utf8");
  await page.goto(`${origin}/guides/onboarding-new-volunteers/`);
  await page.waitForFunction(() => window.practicaLive === "connected");

  let reloaded = page.waitForEvent("load");
  fs.writeFileSync(guide, original + "\nA sentence written while the page was open.\n");
  await reloaded;
  await page.getByText("A sentence written while the page was open.").waitFor();

  fs.writeFileSync(guide, original + "\nSee [the rota](../practices/no-such-rota.md).\n");
  const overlay = page.locator("#practica-problems");
  await overlay.waitFor();
  assert.match(await overlay.innerText(), /guides\/onboarding-new-volunteers\.md:\d+:\d+: error: link `\.\.\/practices\/no-such-rota\.md` goes to no document/);
  await page.getByText("A sentence written while the page was open.").waitFor();
  await page.screenshot({ path: output("serve-error-overlay-1280.png") });

  reloaded = page.waitForEvent("load");
  fs.writeFileSync(guide, original);
  await reloaded;
  await page.waitForFunction(() => window.practicaLive === "connected");
  assert.equal(await overlay.count(), 0);
  assert.equal(await page.getByText("A sentence written while the page was open.").count(), 0);
  assert.deepEqual(page.problems, []);
});
