// The crash and fault campaigns in their small form: Tandem SIGKILLed at seeded random points of an import, a
// push, a create-in-Jira batch and a webhook burst (restarted and retried), then the same workloads under the
// sandbox's faults; every end state must equal the uninterrupted run's. `npm run chaos` runs them at full size.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

describe("npm run chaos (quick)", { timeout: 600_000 }, () => {
  it("keeps every end state equal to an uninterrupted run, through kills and faults", async () => {
    const script = fileURLToPath(new URL("../../scripts/chaos.ts", import.meta.url));
    const child = spawn(process.execPath, [script, "--quick"], { env: process.env });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const [code] = await once(child, "exit");
    assert.equal(code, 0, output);
    assert.doesNotMatch(output, /BROKEN/);
    // Each workload really was killed and faulted, and the run says so.
    for (const workload of ["import by JQL", "push of edited items", "create-in-Jira batch", "webhook burst"]) assert.match(output, new RegExp(`== ${workload}`));
    assert.match(output, /SIGKILL after \d+ ms, restarted/);
    assert.match(output, /faults injected: .*"error":[1-9]/);
    assert.match(output, /(\d+) of \1 trials held\./);
  });
});
