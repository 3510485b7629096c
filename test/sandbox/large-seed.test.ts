// The large seed: many issues generated quickly and served in enhanced-search pages without building them all.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { call, useSandbox } from "../support/sandbox.ts";

const N = 12_345;
const sandbox = useSandbox({ flavour: "cloud", seed: `large:${N}` });

describe("large:N seed", () => {
  it("holds N issues and pages through all of them with nextPageToken", async () => {
    assert.equal([...sandbox().state.issues.values()].filter((issue) => issue.key.startsWith("LOAD-")).length, N);
    const seen = new Set<string>();
    let token: string | undefined;
    let calls = 0;
    do {
      const query = new URLSearchParams({ jql: "project = LOAD", maxResults: "5000", ...(token ? { nextPageToken: token } : {}) });
      const page = await call(sandbox(), "GET", `/rest/api/3/search/jql?${query}`);
      assert.equal(page.status, 200);
      for (const issue of page.body.issues) seen.add(issue.id);
      token = page.body.nextPageToken;
      calls += 1;
    } while (token);
    assert.equal(seen.size, N);
    assert.equal(calls, Math.ceil(N / 5000));
  });

  it("caps pages with fields at 100 issues", async () => {
    const page = await call(sandbox(), "GET", "/rest/api/3/search/jql?jql=project%20%3D%20LOAD&maxResults=500&fields=summary,status");
    assert.equal(page.body.issues.length, 100);
    assert.ok(page.body.nextPageToken);
    assert.equal(typeof page.body.issues[0].fields.summary, "string");
  });
});
