// What every page module of the web app needs: calling the API in-process with the person's session, reading
// forms, redirecting back with a message, and who is signed in. Page modules register their routes on the web app.
import type { Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { html } from "hono/html";
import { SESSION_COOKIE } from "../api/auth.ts";
import { flash } from "./layout.ts";

export interface Fetcher {
  request: (path: string, init?: RequestInit) => Response | Promise<Response>;
}

export type Me = { email: string; role: string };

export type WebEnv = { Variables: { me: Me } };

export type WebApp = Hono<WebEnv>;

export interface ApiResult<T> {
  status: number;
  body: T;
}

export interface Kit {
  /** Calls /api/v1<path> as the signed-in person. */
  call<T = any>(c: Context, method: string, path: string, body?: unknown): Promise<ApiResult<T>>;
  /** The API's error message, in its words. */
  errorOf(result: { body: any }): string;
  /** Redirects (303) to path with a notice or an error shown at the top. */
  back(c: Context, path: string, kind: "notice" | "error", message: string): Response;
  form(c: Context): Promise<Record<string, string>>;
  messages(c: Context): ReturnType<typeof html>;
  me(c: Context<WebEnv>): Me;
  canChange(c: Context<WebEnv>): boolean;
  isAdmin(c: Context<WebEnv>): boolean;
}

export function makeKit(api: Fetcher): Kit {
  return {
    async call<T>(c: Context, method: string, path: string, body?: unknown) {
      const token = getCookie(c, SESSION_COOKIE);
      const response = await api.request(`/api/v1${path}`, {
        method,
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
    },
    errorOf: (result) => String(result.body?.error?.message ?? "Something went wrong."),
    back: (c, target, kind, message) => {
      const [path, hash] = target.split("#") as [string, string | undefined];
      return c.redirect(`${path}${path.includes("?") ? "&" : "?"}${kind}=${encodeURIComponent(message)}${hash ? `#${hash}` : ""}`, 303);
    },
    form: async (c) => Object.fromEntries(Object.entries(await c.req.parseBody()).map(([key, value]) => [key, String(value)])),
    messages: (c) => html`${flash("notice", c.req.query("notice"))}${flash("error", c.req.query("error"))}`,
    me: (c) => c.get("me"),
    canChange: (c) => c.get("me").role !== "guest",
    isAdmin: (c) => c.get("me").role === "admin",
  };
}

/** Copy-to-clipboard buttons: any `button[data-copy]` copies the text of the element whose id it names. */
export const COPY_SCRIPT = html`<script>
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  const text = source.value ?? source.textContent;
  try { await navigator.clipboard.writeText(text); } catch { source.select?.(); document.execCommand("copy"); }
  const status = document.getElementById(button.dataset.copy + "-copied");
  if (status) status.textContent = "Copied.";
});
</script>`;
