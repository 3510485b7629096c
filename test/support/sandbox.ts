// Starts a sandbox Jira for a test file on a free port, with the demo seed at a fixed point in time.
import { after, before } from "node:test";
import { startSandbox, type RunningSandbox, type SandboxOptions } from "../../src/sandbox/server.ts";

/** The demo seed's history ends here, so every run sees the same data. */
export const SEED_NOW = Date.UTC(2026, 10, 2, 12, 0, 0);

export const ADMIN = { email: "admin@sandbox.test", token: "sandbox-token", password: "sandbox-password", name: "admin" };

export function basic(login: string, secret: string): string {
  return `Basic ${Buffer.from(`${login}:${secret}`).toString("base64")}`;
}

/** Registers before/after hooks; the returned getter is valid inside tests. */
export function useSandbox(options: SandboxOptions = {}): () => RunningSandbox {
  let sandbox: RunningSandbox | undefined;
  before(async () => {
    sandbox = await startSandbox({ port: 0, seed: "demo", seedNow: SEED_NOW, quirks: { searchIndexLagMs: 0 }, ...options });
  });
  after(async () => {
    await sandbox?.close();
  });
  return () => {
    if (!sandbox) throw new Error("The sandbox is not running yet: call the getter inside a test.");
    return sandbox;
  };
}

/** fetch against the sandbox with JSON in and out; returns status, headers and parsed body (or text). */
export async function call(
  sandbox: RunningSandbox,
  method: string,
  path: string,
  options: { auth?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  if (options.auth !== "") headers.Authorization = options.auth ?? basic(ADMIN.email, ADMIN.token);
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["Content-Type"] ??= "application/json";
  const response = await fetch(`${sandbox.url}${path}`, { method, headers, body, redirect: "manual" });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}
