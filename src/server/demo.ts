// `tandem serve --demo`: the sandbox Jira beside Tandem, with a demo connector already configured and tested.
import { connectAndTest, type TestReport } from "../connectors/connect-test.ts";
import { jiraForConnector } from "../connectors/jira-for.ts";
import { SCHEDULER_PRESET } from "../engine/presets.ts";
import { JiraClient } from "../jira/client.ts";
import { registerWebhook } from "../realtime/registration.ts";
import { metadataFor } from "../jira/metadata.ts";
import { applyMappings } from "../engine/resolve-mappings.ts";
import { startSandbox, type RunningSandbox } from "../sandbox/server.ts";
import { syncContextFor } from "../connectors/sync-context.ts";
import { serviceAccountIdentity, startedBy } from "../connectors/run-identity.ts";
import { createInJira, recordCreation } from "../crossing/create-in-jira.ts";
import { importAndPull } from "../crossing/import-and-pull.ts";
import type { TandemStore } from "../store/store.ts";

export const DEMO_CONNECTOR = "Sandbox Jira (demo)";

/** The demo's first admin, when TANDEM_ADMIN_PASSWORD does not choose another: public, printed by README and the sign-in page. */
export const DEMO_ADMIN = { email: "admin@tandem.local", password: "tandem-demo-password" };

/**
 * The demo's Tandem project, "Release 3 schedule", syncs with the sandbox's Jira project SCHED. Its key is not SCHED
 * on purpose: Tandem numbers its items itself (REL-1, REL-2, …) while Jira's SCHED-1 is the Epic the tasks belong
 * to, so matching prefixes would suggest keys that match and never do. Each item shows its Jira key beside its own.
 */
export const DEMO_PROJECT = "REL";
export const DEMO_JIRA_PROJECT = "SCHED";
/** Data directories from before the REL key have the demo project as SCHED: kept, and not made a second time. */
const EARLIER_DEMO_PROJECT = "SCHED";
const DEMO_PROJECT_NAME = "Release 3 schedule (demo)";

/** A project ready to Pull and Push: the scheduler preset, its tasks imported from the sandbox's SCHED issues. */
/** Answers the key of the demo project in use (an earlier data directory keeps its SCHED project). */
async function ensureDemoProject(store: TandemStore, connectorId: string, jira: JiraClient, publicUrl: string): Promise<string> {
  if (await store.projects.byId(DEMO_PROJECT)) return DEMO_PROJECT;
  if ((await store.projects.byId(EARLIER_DEMO_PROJECT))?.name === DEMO_PROJECT_NAME) return EARLIER_DEMO_PROJECT;
  const project = await store.projects.create({ key: DEMO_PROJECT, name: DEMO_PROJECT_NAME, fields: SCHEDULER_PRESET.fields });
  await store.projects.associate(project.id, { connectorId, jiraProjects: [DEMO_JIRA_PROJECT], jqlScope: "", direction: "two-way", conflictPolicy: "hold", syncIdentity: "service" });
  const metadata = metadataFor(`${connectorId}:service`, jira);
  const applied = await applyMappings(store.projects, project, { preset: "scheduler" }, (name) => metadata.field(name));
  if (!applied.ok) throw new Error(`The demo's scheduler mappings do not fit the sandbox: ${applied.problems.join(" ")}`);
  // Across the boundary, as a person would do it first: import the SCHED tasks (and pull their fields), then turn a
  // plain Tandem item into a new Jira issue. Both are in the project's history, as the demo's setup acting as the
  // connector's service account.
  const context = await syncContextFor(store, (await store.projects.byId(project.id))!, { system: "scheduler" }, publicUrl);
  const connector = (await store.connectors.byId(connectorId))!;
  const who = { userId: "demo", identity: startedBy("demo setup", serviceAccountIdentity(connector)) };
  await importAndPull(context, (await store.projects.byId(project.id))!, { jql: "issuetype != Epic", includeDone: true }, who);
  const note = await store.projects.addItem(project.id, { title: "Rehearse the release review (created in Jira by the demo)", status: "Not Started" });
  const task = (await context.metadata.createMetaIssueTypes(DEMO_JIRA_PROJECT)).find((type) => type.name === "Task")!;
  const created = await createInJira(jira, store.projects, note, { jiraProject: DEMO_JIRA_PROJECT, issueTypeId: task.id });
  await recordCreation(store.runs, note, created, who);
  return DEMO_PROJECT;
}

/** A demo without TANDEM_ADMIN_PASSWORD gets the public demo admin, so a newcomer can sign in. */
export function demoEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return env.TANDEM_ADMIN_PASSWORD ? env : { ...env, TANDEM_ADMIN_EMAIL: DEMO_ADMIN.email, TANDEM_ADMIN_PASSWORD: DEMO_ADMIN.password };
}

/** What the sign-in page says in demo mode (see `webApp`). */
export interface DemoSignIn {
  /** The first admin's email, when that user exists. */
  email: string | null;
  /** Only the public demo password, and only while it signs in: never one chosen with TANDEM_ADMIN_PASSWORD. */
  password: string | null;
}

export async function demoSignIn(store: TandemStore, env: NodeJS.ProcessEnv): Promise<DemoSignIn> {
  const email = env.TANDEM_ADMIN_EMAIL ?? DEMO_ADMIN.email;
  if (!(await store.users.byEmail(email))) return { email: null, password: null };
  const isPublic = env.TANDEM_ADMIN_PASSWORD === DEMO_ADMIN.password && Boolean(await store.users.authenticate(email, DEMO_ADMIN.password));
  return { email, password: isPublic ? DEMO_ADMIN.password : null };
}

export async function startDemo(store: TandemStore, options: { sandboxPort?: number; publicUrl: string }): Promise<{ sandbox: RunningSandbox; report: TestReport; project: string }> {
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
  const project = await ensureDemoProject(store, connector!.id, jira, options.publicUrl);
  // The sandbox's Jira admin registers Tandem's webhook, as a site admin would: changes made on the sandbox's web
  // page then reach the demo project by themselves.
  const siteAdmin = new JiraClient({ flavour: "cloud", siteUrl: sandbox.url, credentials: { mode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" }, connectorKey: `${connector!.id}:demo-admin` });
  await registerWebhook(store, connector!, siteAdmin, options.publicUrl);
  return { sandbox, report, project };
}
