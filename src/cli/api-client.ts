// The CLI talks to Tandem's HTTP API like any other client (as `gh` does): URL and token from the user's
// config (written by `tandem login`), overridden by TANDEM_URL and TANDEM_TOKEN.
import { mkdirSync, readFileSync, writeFileSync, chmodSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

export interface CliConfig {
  url: string;
  token: string;
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.TANDEM_CONFIG ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "tandem", "config.json");
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Partial<CliConfig> {
  let stored: Partial<CliConfig> = {};
  try {
    stored = JSON.parse(readFileSync(configPath(env), "utf8")) as Partial<CliConfig>;
  } catch {
    // no config yet
  }
  return { url: env.TANDEM_URL ?? stored.url, token: env.TANDEM_TOKEN ?? stored.token };
}

export function writeConfig(config: CliConfig, env: NodeJS.ProcessEnv = process.env): string {
  const path = configPath(env);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(config, null, 2), { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

export class ApiCallError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, message: string, body: unknown) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export async function apiCall<T>(method: string, path: string, body?: unknown, options: { url?: string; token?: string; env?: NodeJS.ProcessEnv } = {}): Promise<T> {
  const config = readConfig(options.env);
  const url = options.url ?? config.url;
  const token = options.token ?? config.token;
  if (!url) throw new Error("No Tandem server: run 'tandem login --url URL --email E --password P', or set TANDEM_URL and TANDEM_TOKEN.");
  let response: Response;
  try {
    response = await fetch(`${url.replace(/\/+$/, "")}/api/v1${path}`, {
      method,
      headers: { Accept: "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new Error(`Could not reach Tandem at ${url}: ${error instanceof Error ? error.message : String(error)}. Is 'tandem serve' running?`);
  }
  const text = await response.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const message = (json as { error?: { message?: string } } | undefined)?.error?.message ?? `HTTP ${response.status}`;
    throw new ApiCallError(response.status, message, json);
  }
  return json as T;
}
