// The bench's count-based bars, enforced in CI on a small data set, on SQLite and (when reachable) PostgreSQL:
// import pages, zero-write catch-up and push, bulk webhook processing with every edit applied, no failed item
// under a rate limit. Its timings are printed by `npm run bench`, not asserted here.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

describe("npm run bench (quick)", { timeout: 300_000 }, () => {
  it("holds every count-based bar on each reachable store", async () => {
    const script = fileURLToPath(new URL("../../scripts/bench.ts", import.meta.url));
    const child = spawn(process.execPath, [script, "--issues", "1000", "--quick"], { env: process.env });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const [code] = await once(child, "exit");
    assert.equal(code, 0, output);
    assert.match(output, /All count-based bars hold\./);
    assert.doesNotMatch(output, /BROKEN/);
    assert.match(output, /webhook intake: edits applied \[SQLite\] +200 of 200/);
    // PostgreSQL either ran or the run said why not.
    assert.match(output, /\[PostgreSQL\]|PostgreSQL skipped: /);
  });
});
