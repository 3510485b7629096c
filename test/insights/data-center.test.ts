// The same reports from Jira Data Center (changelogs per issue, users by key, REST v2) as from Cloud (bulk
// changelog API, accountIds) for the same demo data: people match by email on both.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";
import { reportProject } from "./support.ts";

const t = useTandem();
const cloud = useSandbox({ flavour: "cloud" });
const dc = useSandbox({ flavour: "dc" });
const WINDOW = "from=2026-09-01&to=2026-11-02T12:00:00Z";

describe("reports on Data Center", () => {
  it("match the Cloud reports of the same data", async () => {
    await reportProject(t(), cloud(), "CLOUDR", "ROAD");
    const connector = await api(t(), "POST", "/connectors", { body: { name: "reports-dc", flavour: "dc", siteUrl: dc().url, credentials: { authMode: "password", username: "tandem-sync", password: "tandem-sync-password" } } });
    assert.equal(connector.status, 201, JSON.stringify(connector.body));
    await api(t(), "POST", "/projects", { body: { key: "DCR", name: "Reports on DC" } });
    assert.equal((await api(t(), "PUT", "/projects/DCR/jira", { body: { connector: connector.body.id, jiraProjects: ["ROAD"], direction: "pull" } })).status, 200);
    for (const kind of ["effort", "capacity"]) {
      const fromCloud = await api(t(), "GET", `/projects/CLOUDR/reports/${kind}?${WINDOW}`);
      const fromDc = await api(t(), "GET", `/projects/DCR/reports/${kind}?${WINDOW}`);
      assert.equal(fromDc.status, 200, JSON.stringify(fromDc.body));
      assert.deepEqual(fromDc.body, fromCloud.body, `${kind} is the same on both flavours`);
    }
    const effort = await api(t(), "GET", `/projects/DCR/reports/effort?${WINDOW}`);
    assert.ok(effort.body.people.filter((person: any) => person.email).length >= 3 && effort.body.unmatched.length === 0, "DC users are matched by email");
  });
});
