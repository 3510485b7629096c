// A client built against real Jira — python-jira (Debian's python3-jira) — drives the Data Center flavour:
// search, create, edit, transition, comment, worklog, personal access tokens and errors.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { useSandbox } from "../support/sandbox.ts";

const PYTHON = "/usr/bin/python3";
const hasPythonJira = existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import jira"], { encoding: "utf8" }).status === 0;
const skip = hasPythonJira ? false : "Debian's python3-jira is not installed (apt-get install python3-jira; .ci/run does this)";

const sandbox = useSandbox({ flavour: "dc" });

describe("python-jira against the Data Center sandbox", { skip }, () => {
  it("searches, creates, edits, transitions, comments, logs work and reports errors", async () => {
    const script = fileURLToPath(new URL("./python/dc_client.py", import.meta.url));
    // Asynchronous: the sandbox runs in this process and must keep answering while Python calls it.
    const child = spawn(PYTHON, [script], { env: { ...process.env, SANDBOX_URL: sandbox().url }, timeout: 120_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const [status] = await once(child, "exit");
    assert.equal(status, 0, `python-jira failed:\n${stderr}`);
    const seen = JSON.parse(stdout);
    const state = sandbox().state;

    assert.equal(seen.server_deployment, "Server");
    assert.equal(seen.myself, "alice");
    const roadKeys = [...state.issues.values()].filter((issue) => issue.projectId === "10002" && issue.key !== seen.created_key).map((issue) => issue.key);
    assert.deepEqual([...seen.road_keys].sort(), [...roadKeys].sort());
    assert.match(seen.created_key, /^ROAD-\d+$/);
    assert.equal(seen.edited_summary, "Edited by python-jira");
    assert.equal(seen.description, "Some *bold* text");
    assert.ok(seen.transition_names.length > 0);
    const created = state.issueByIdOrKey(seen.created_key)!;
    assert.equal(seen.status_after, state.statuses.get(created.statusId)!.name);
    assert.equal(seen.status_after, seen.transition_to);
    assert.equal(seen.comment_body, "A comment from python");
    assert.equal(seen.worklog_seconds, 2 * 3600);
    assert.equal(seen.time_spent, 2 * 3600);
    assert.equal(seen.missing_status, 404);
    assert.match(seen.missing_text, /Issue does not exist or you do not have permission to see it/);
    assert.equal(seen.bad_jql_status, 400);
    assert.equal(seen.bob_myself, "bob");
    assert.equal(seen.bob_ops_status, 400, "bob may not see OPS, so JQL naming it is refused as Jira does");
    assert.equal(seen.wrong_password_status, 401);
  });
});
