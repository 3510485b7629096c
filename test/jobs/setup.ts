// A connected pull project with linked items, set up through the API, shared by the job queue tests.
import type { RunningSandbox } from "../../src/sandbox/server.ts";
import { call } from "../support/sandbox.ts";

type Api = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

export async function connectedProject(api: Api, jira: RunningSandbox, names: { connector: string; project: string; jiraProject?: string; issues?: string[] }): Promise<void> {
  const jiraProject = names.jiraProject ?? "BOARD";
  const made = await api("POST", "/connectors", { name: names.connector, flavour: "cloud", siteUrl: jira.url, credentials: { authMode: "api-token", email: "tandem-sync@sandbox.test", apiToken: "tandem-sync-token" } });
  if (made.status !== 201 && made.status !== 409) throw new Error(`connector: ${JSON.stringify(made.body)}`);
  await api("POST", "/projects", { key: names.project, name: names.project, fields: [] });
  await api("PUT", `/projects/${names.project}/jira`, { connector: names.connector, jiraProjects: [jiraProject], direction: "pull" });
  await api("PUT", `/projects/${names.project}/mappings`, { mappings: [{ tandemField: "title", jiraField: "summary", direction: "pull", transform: { kind: "copy" } }] });
  for (const key of names.issues ?? [`${jiraProject}-1`, `${jiraProject}-2`]) {
    const item = await api("POST", `/projects/${names.project}/items`, { values: { title: "old" } });
    const linked = await api("PUT", `/items/${item.body.key}/link`, { jiraKey: key });
    if (linked.status !== 200) throw new Error(`link: ${JSON.stringify(linked.body)}`);
  }
}

/** Sets the sandbox's rate-limit/fault controls (failNext, latency), or resets them with `{ reset: true }`. */
export async function sandboxLimits(jira: RunningSandbox, body: unknown): Promise<void> {
  const answer = await call(jira, "POST", "/_sandbox/limits", { auth: "", body });
  if (answer.status !== 200) throw new Error(`sandbox limits: ${answer.text}`);
}
