// Small helpers every route uses: the caller's render context, JSON bodies read as Jira reads them, list parameters.
import type { Context } from "hono";
import { JiraError } from "../model/jira-error.ts";
import type { SandboxState } from "../model/state.ts";
import type { ApiVersion, RenderContext } from "../render/context.ts";

/** What the auth middleware and the gateway rewrite leave on each request. */
export interface SandboxVariables {
  viewerId: string;
  /** Base URL the client used, including the OAuth gateway prefix when it came through it. */
  baseUrl: string;
  /** Set when the request came through `/ex/jira/{cloudId}` with an OAuth access token. */
  oauthScopes: string[] | null;
}

export type SandboxEnv = { Variables: SandboxVariables };
export type SandboxContext = Context<SandboxEnv>;

/** The REST version of a `/rest/api/{2|3}/...` path; agile and webhook APIs speak v2-style content. */
export function apiVersionOf(c: SandboxContext): ApiVersion {
  return /\/rest\/api\/3\//.test(new URL(c.req.url).pathname) ? "3" : "2";
}

export function renderContext(state: SandboxState, c: SandboxContext, version: ApiVersion = apiVersionOf(c)): RenderContext {
  return { state, baseUrl: c.get("baseUrl"), apiVersion: version, viewerId: c.get("viewerId") };
}

/** Reads a JSON body; malformed JSON answers 400 the way Jira's JSON parser reports it. */
export async function readJson(c: SandboxContext): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new JiraError(400, [`Unexpected character in JSON body: ${detail}. Send a valid JSON document.`]);
  }
}

/** Reads a JSON object body; anything else is Jira's deserialisation error. */
export async function readObject(c: SandboxContext): Promise<Record<string, unknown>> {
  const body = await readJson(c);
  if (body === null) throw new JiraError(400, ["No content to map due to end-of-input"]);
  if (typeof body !== "object" || Array.isArray(body)) {
    throw new JiraError(400, [`Can not deserialize instance of object out of ${Array.isArray(body) ? "START_ARRAY" : "VALUE"} token`]);
  }
  return body as Record<string, unknown>;
}

/** Jira accepts lists both repeated (`fields=a&fields=b`) and comma separated (`fields=a,b`). */
export function listParam(c: SandboxContext, name: string): string[] {
  return (c.req.queries(name) ?? []).flatMap((value) => value.split(",")).map((value) => value.trim()).filter(Boolean);
}

/** Same for a JSON body field that may be an array or a comma separated string. */
export function listValue(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String).flatMap((item) => item.split(",")).map((item) => item.trim()).filter(Boolean);
  return String(value).split(",").map((item) => item.trim()).filter(Boolean);
}

/** An integer query parameter with Jira's bounds; a non-number is a 400 naming the parameter. */
export function intParam(c: SandboxContext, name: string, fallback: number, min = 0): number {
  const raw = c.req.query(name);
  return intValue(raw, name, fallback, min);
}

export function intValue(raw: unknown, name: string, fallback: number, min = 0): number {
  if (raw === undefined || raw === null || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new JiraError(400, [`The value '${String(raw)}' is invalid for the parameter '${name}'. It must be an integer.`]);
  if (value < min) throw new JiraError(400, [`The '${name}' parameter must be at least ${min}.`]);
  return value;
}

export function boolParam(c: SandboxContext, name: string, fallback = false): boolean {
  const raw = c.req.query(name);
  if (raw === undefined) return fallback;
  return raw === "true" || raw === "";
}
