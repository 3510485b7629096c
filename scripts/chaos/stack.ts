// One trial's world: the sandbox Jira in this process (its state survives Tandem's deaths) and Tandem as a child
// process on a fresh data dir (or a fresh PostgreSQL database), with a connector and a two-way project on it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox, type RunningSandbox } from "../../src/sandbox/server.ts";
import { freshDatabase } from "../support/postgres.ts";
import { CHAOS_ADMIN, freePort, TandemProcess } from "./tandem-process.ts";

export interface Answer {
  status: number;
  body: any;
}

export interface Stack {
  jira: RunningSandbox;
  tandem: TandemProcess;
  /** One API call as a user makes it; throws when the connection is cut (Tandem died under it). */
  api(method: string, path: string, body?: unknown): Promise<Answer>;
  /** Sets the sandbox's faults and rate limits (null: none). */
  faults(config: unknown): Promise<void>;
  close(): Promise<void>;
}

export const PROJECT = "LOAD";
export const CONNECTOR = "chaos";

export async function startStack(options: { issues: number; postgresBase?: string }): Promise<Stack> {
  const jira = await startSandbox({ port: 0, seed: `large:${options.issues}`, flavour: "cloud", webhooks: { retryDelaysMs: [500, 1000, 2000, 4000, 8000] } });
  const dataDir = mkdtempSync(join(tmpdir(), "tandem-chaos-"));
  const database = options.postgresBase ? await freshDatabase(options.postgresBase, "tandem_chaos") : null;
  const tandem = new TandemProcess({ dataDir, port: await freePort(), databaseUrl: database?.url });
  await tandem.start();
  let token = "";
  const api = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${tandem.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // a non-JSON answer is kept as text for the report
    }
    return { status: response.status, body: parsed };
  };
  const login = await api("POST", "/auth/login", CHAOS_ADMIN);
  token = login.body.token;
  const must = async (method: string, path: string, body?: unknown) => {
    const answer = await api(method, path, body);
    if (answer.status >= 300) throw new Error(`setup: ${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  await must("POST", "/connectors", { name: CONNECTOR, flavour: "cloud", siteUrl: jira.url, credentials: { authMode: "api-token", email: jira.admin.email, apiToken: jira.admin.token } });
  await must("POST", "/projects", { key: PROJECT, name: "Chaos", fields: [] });
  await must("PUT", `/projects/${PROJECT}/jira`, { connector: CONNECTOR, jiraProjects: [PROJECT], direction: "two-way", conflictPolicy: "jira-wins" });
  await must("PUT", `/projects/${PROJECT}/mappings`, { mappings: [{ tandemField: "title", jiraField: "summary", direction: "both", transform: { kind: "copy" } }, { tandemField: "status", jiraField: "status", direction: "pull", transform: { kind: "status" } }] });

  return {
    jira,
    tandem,
    api,
    async faults(config) {
      const response = await fetch(`${jira.url}/_sandbox/limits`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(config ?? { reset: true, rateLimit: null, faults: null }) });
      if (!response.ok) throw new Error(`sandbox limits: ${await response.text()}`);
    },
    async close() {
      await tandem.stop();
      await jira.dispatcher.idle();
      await jira.close();
      rmSync(dataDir, { recursive: true, force: true });
      await database?.drop();
    },
  };
}
