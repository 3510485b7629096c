// `tandem serve --demo`: the sandbox Jira beside Tandem, with a demo connector already configured and tested.
import { connectAndTest, type TestReport } from "../connectors/connect-test.ts";
import { jiraForConnector } from "../connectors/jira-for.ts";
import { SCHEDULER_PRESET } from "../engine/presets.ts";
import { JiraClient } from "../jira/client.ts";
import { registerWebhook } from "../realtime/registration.ts";
import { metadataFor } from "../jira/metadata.ts";
import { resolveMappings } from "../engine/resolve-mappings.ts";
import { startSandbox, type RunningSandbox } from "../sandbox/server.ts";
import { syncContextFor } from "../connectors/sync-context.ts";
import { createInJira, recordCreation } from "../crossing/create-in-jira.ts";
import { importAndPull } from "../crossing/import-and-pull.ts";
import type { TandemStore } from "../store/store.ts";

export const DEMO_CONNECTOR = "Sandbox Jira (demo)";

export const DEMO_PROJECT = "SCHED";

/** A project ready to Pull and Push: the scheduler preset, its tasks imported from the sandbox's SCHED issues. */
async function ensureDemoProject(store: TandemStore, connectorId: string, jira: JiraClient, publicUrl: string): Promise<void> {
  if (await store.projects.byId(DEMO_PROJECT)) return;
  const project = await store.projects.create({ key: DEMO_PROJECT, name: "Release 3 schedule (demo)", fields: SCHEDULER_PRESET.fields });
  await store.projects.associate(project.id, { connectorId, jiraProjects: ["SCHED"], jqlScope: "", direction: "two-way", conflictPolicy: "hold", syncIdentity: "service" });
  const metadata = metadataFor(`${connectorId}:service`, jira);
  const { resolved, problems } = await resolveMappings(SCHEDULER_PRESET.mappings, project.fields, (name) => metadata.field(name));
  if (problems.length) throw new Error(`The demo's scheduler mappings do not fit the sandbox: ${problems.join(" ")}`);
  await store.projects.replaceMappings(project.id, resolved);
  // Across the boundary, as a person would do it first: import the SCHED tasks (and pull their fields), then turn a
  // plain Tandem item into a new Jira issue. Both are in the project's history.
  const context = await syncContextFor(store, (await store.projects.byId(project.id))!, { system: "scheduler" }, publicUrl);
  const who = { userId: "demo", identity: `demo start, as the service account of '${DEMO_CONNECTOR}'` };
  await importAndPull(context, (await store.projects.byId(project.id))!, { jql: "issuetype != Epic", includeDone: true }, who);
  const note = await store.projects.addItem(project.id, { title: "Rehearse the release review (created in Jira by the demo)", status: "Not Started" });
  const task = (await context.metadata.createMetaIssueTypes("SCHED")).find((type) => type.name === "Task")!;
  const created = await createInJira(jira, store.projects, note, { jiraProject: "SCHED", issueTypeId: task.id });
  await recordCreation(store.runs, note, created, who);
}

export async function startDemo(store: TandemStore, options: { sandboxPort?: number; publicUrl: string }): Promise<{ sandbox: RunningSandbox; report: TestReport }> {
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
  const jira = await jiraForConnector(store, connector!);
  const report = await connectAndTest(jira, "api-token", sandbox.url);
  await store.connectors.setLastTest(connector!.id, report);
  await ensureDemoProject(store, connector!.id, jira, options.publicUrl);
  // The sandbox's Jira admin registers Tandem's webhook, as a site admin would: changes made on the sandbox's web
  // page then reach the demo project by themselves.
  const siteAdmin = new JiraClient({ flavour: "cloud", siteUrl: sandbox.url, credentials: { mode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" }, connectorKey: `${connector!.id}:demo-admin` });
  await registerWebhook(store, connector!, siteAdmin, options.publicUrl);
  return { sandbox, report };
}
