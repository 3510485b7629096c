// The live event feed: a client following /api/v1/events (server-sent events) hears each finished run with the
// Jira identity it used; without a token the feed is refused.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud" });

describe("event feed", () => {
  it("streams each finished run, naming the identity", async () => {
    assert.equal((await fetch(`${t().tandem.url}/api/v1/events`)).status, 401);
    await api(t(), "POST", "/connectors", { body: { name: "ev", flavour: "cloud", siteUrl: jira().url, credentials: { authMode: "api-token", email: "alice@sandbox.test", apiToken: "alice-token" } } });
    await api(t(), "POST", "/projects", { body: { key: "EV", name: "Events", fields: [] } });
    await api(t(), "PUT", "/projects/EV/jira", { body: { connector: "ev", jiraProjects: ["ROAD"], direction: "pull" } });
    await api(t(), "PUT", "/projects/EV/mappings", { body: { mappings: [{ tandemField: "title", jiraField: "summary", direction: "pull", transform: { kind: "copy" } }] } });
    const item = await api(t(), "POST", "/projects/EV/items", { body: { values: { title: "x" } } });
    await api(t(), "PUT", `/items/${item.body.key}/link`, { body: { jiraKey: "ROAD-1" } });

    const controller = new AbortController();
    const response = await fetch(`${t().tandem.url}/api/v1/events`, { headers: { Authorization: `Bearer ${t().tokens.member}` }, signal: controller.signal });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const next = async (event: string) => {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.includes(`event: ${event}`)) return JSON.parse(/^data: (.*)$/m.exec(block)![1]!);
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("the feed ended");
        buffer += decoder.decode(value, { stream: true });
      }
    };
    await next("ready");
    await api(t(), "POST", "/projects/EV/pull", { body: {} });
    const run = await next("run");
    // Before any Connect & Test the account is not known by name; after one, its email names it.
    assert.deepEqual([run.project, run.kind, run.status, run.identity, run.counts.changed], ["EV", "pull", "succeeded", "the service account of 'ev'", 1]);
    assert.equal((await api(t(), "POST", "/connectors/ev/test")).body.ok, true);
    await api(t(), "POST", "/projects/EV/pull", { body: {} });
    assert.equal((await next("run")).identity, "alice@sandbox.test (service account of 'ev')");
    controller.abort();
  });
});
