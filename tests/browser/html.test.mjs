// Every page of the built example passes the Nu HTML Checker (vnu.jar).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { site, hosted, run } from "./browser.mjs";

const require = createRequire(import.meta.url);
const vnu = require.resolve("vnu-jar/build/dist/vnu.jar");

for (const [name, dir] of [["the example", site], ["the example with base_url", hosted]]) {
  test(`every page of ${name} is valid HTML`, async () => {
    const result = await run("java", ["-jar", vnu, "--errors-only", "--skip-non-html", "--format", "json", dir]);
    assert.notEqual(result.code, -1, `java is needed for vnu.jar: ${result.stderr}`);
    const messages = JSON.parse(result.stderr || '{"messages":[]}').messages;
    const errors = messages.map((m) => `${m.url.replace(/^file:.*?\/(site|hosted)\//, "")}:${m.lastLine}:${m.firstColumn ?? m.lastColumn}: ${m.message}`);
    assert.deepEqual(errors, []);
  });
}
