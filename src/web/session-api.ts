// What every page module of the web app shares: calling the HTTP API in-process with the person's session, reading
// forms, and answering with a redirect that carries a notice or an error in plain words.
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { html } from "hono/html";
import { SESSION_COOKIE } from "../api/auth.ts";
import { flash, type Html } from "./layout.ts";

export interface Fetcher {
  request: (path: string, init?: RequestInit) => Response | Promise<Response>;
}

export type Me = { email: string; role: string };

export type WebEnv = { Variables: { me: Me } };

export interface ApiResult<T> {
  status: number;
  body: T;
}

export type Call = <T = any>(c: Context, method: string, path: string, body?: unknown) => Promise<ApiResult<T>>;

/** A caller of /api/v1 as the person signed in (their session cookie becomes the bearer token). */
export function apiCaller(api: Fetcher): Call {
  return async <T>(c: Context, method: string, path: string, body?: unknown) => {
    const token = getCookie(c, SESSION_COOKIE);
    const response = await api.request(`/api/v1${path}`, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  };
}

export const errorOf = (result: { body: any }): string => String(result.body?.error?.message ?? "Something went wrong; try again, and if it keeps failing, look at the server log.");

/** Back to a page with a notice or an error shown at its top. */
export const back = (c: Context, path: string, kind: "notice" | "error", message: string) => {
  const separator = path.includes("?") ? "&" : "?";
  return c.redirect(`${path}${separator}${kind}=${encodeURIComponent(message)}`, 303);
};

/** A posted form as strings; a field given several times (checkboxes) keeps all its values in `all`. */
export async function readForm(c: Context): Promise<{ one: Record<string, string>; all: (name: string) => string[] }> {
  const body = await c.req.parseBody({ all: true });
  const one: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) one[key] = String(Array.isArray(value) ? value[value.length - 1] : value); // the last wins: a checkbox after its hidden "false"
  return {
    one,
    all: (name) => {
      const value = body[name] ?? body[`${name}[]`];
      return value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);
    },
  };
}

export const messages = (c: Context): Html => html`${flash("notice", c.req.query("notice"))}${flash("error", c.req.query("error"))}`;

export const canChange = (user: Me): boolean => user.role !== "guest";

export const signedIn = (c: Context<WebEnv>): Me => c.get("me");
