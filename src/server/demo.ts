// `tandem serve --demo`: the sandbox Jira beside Tandem, with a demo connector already configured and tested.
import { connectAndTest, type TestReport } from "../connectors/connect-test.ts";
import { jiraForConnector } from "../connectors/jira-for.ts";
import { startSandbox, type RunningSandbox } from "../sandbox/server.ts";
import type { TandemStore } from "../store/store.ts";

export const DEMO_CONNECTOR = "Sandbox Jira (demo)";

export async function startDemo(store: TandemStore, options: { sandboxPort?: number } = {}): Promise<{ sandbox: RunningSandbox; report: TestReport }> {
  const sandbox = await startSandbox({ port: options.sandboxPort ?? 0, seed: "demo", flavour: "cloud" });
  const credentials = { mode: "api-token" as const, email: "tandem-sync@sandbox.test", apiToken: "tandem-sync-token" };
  // The sandbox's port can change between runs: the connector follows it, keeping its id and everything linked to it.
  const existing = await store.connectors.byName(DEMO_CONNECTOR);
  let connector = existing;
  if (!existing) {
    connector = await store.connectors.create({ name: DEMO_CONNECTOR, flavour: "cloud", siteUrl: sandbox.url, authMode: "api-token", credentials, oauthApp: null });
  } else {
    await store.db.run("UPDATE connectors SET site_url = ? WHERE id = ?", [sandbox.url, existing.id]);
    await store.connectors.setCredentials(existing.id, "api-token", credentials);
    connector = await store.connectors.byId(existing.id);
  }
  const report = await connectAndTest(await jiraForConnector(store, connector!), "api-token", sandbox.url);
  await store.connectors.setLastTest(connector!.id, report);
  return { sandbox, report };
}
