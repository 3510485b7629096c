// The sandbox's small web page: a person sees projects and issues, edits an issue, comments and transitions it,
// and the change is a real Jira change (changelog, events) that clients then see.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { useSandbox } from "../support/sandbox.ts";

const sandbox = useSandbox({ flavour: "cloud" });

async function form(path: string, fields: Record<string, string>, cookie = "") {
  return fetch(`${sandbox().url}${path}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) }, body: new URLSearchParams(fields), redirect: "manual" });
}

describe("sandbox web page", () => {
  it("lists the projects and issues the acting user may browse", async () => {
    const page = await (await fetch(`${sandbox().url}/`)).text();
    for (const project of sandbox().state.projects.values()) assert.match(page, new RegExp(`${project.name} \\(${project.key}\\)`));
    const asBob = await (await fetch(`${sandbox().url}/`, { headers: { Cookie: "sandbox_as=5b10ac8d82e05b22cc7d4ef6" } })).text();
    assert.doesNotMatch(asBob, /Operations \(OPS\)/, "Bob may not browse OPS");
  });

  it("edits an issue's fields, with a changelog entry and an update event", async () => {
    const issue = sandbox().state.issueByIdOrKey("ROAD-3")!;
    const events: string[] = [];
    const stop = sandbox().state.onEvent((event) => events.push(event.type));
    const response = await form("/browse/ROAD-3/edit", { summary: "Edited in the browser", description: "Now *bold*", priority: "2", assignee: "", labels: "web edited" });
    stop();
    assert.equal(response.status, 303);
    assert.equal(issue.summary, "Edited in the browser");
    assert.deepEqual(issue.labels, ["web", "edited"]);
    assert.equal(issue.assigneeId, null);
    const last = issue.changelog.at(-1)!;
    assert.ok(last.items.some((item) => item.fieldId === "summary" && item.toString === "Edited in the browser"));
    assert.ok(events.includes("issue_updated"));
    const shown = await (await fetch(`${sandbox().url}/browse/ROAD-3`)).text();
    assert.match(shown, /Edited in the browser/);
  });

  it("comments and transitions, and shows Jira's error for a bad value without changing anything", async () => {
    const issue = sandbox().state.issueByIdOrKey("ROAD-4")!;
    const comments = issue.comments.length;
    assert.equal((await form("/browse/ROAD-4/comment", { body: "From the browser" })).status, 303);
    assert.equal(issue.comments.length, comments + 1);
    const before = issue.statusId;
    const transition = sandbox().state.workflowOf(sandbox().state.projectOf(issue)).transitions.find((candidate) => (candidate.from.length === 0 || candidate.from.includes(before)) && candidate.screenFields.every((field) => !field.required))!;
    assert.equal((await form("/browse/ROAD-4/transition", { transition: transition.id })).status, 303);
    assert.equal(issue.statusId, transition.to);
    const summary = issue.summary;
    const bad = await form("/browse/ROAD-4/edit", { summary: "", priority: "999" });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /role="alert"/);
    assert.equal(issue.summary, summary);
  });
});
