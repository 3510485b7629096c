// Who is calling the API: a bearer token (API token or session) or the web app's session cookie.
// Every route except login, the OpenAPI document and the OAuth callback needs one; roles gate the rest.
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { TandemStore } from "../store/store.ts";
import type { Role, User } from "../store/users.ts";
import { ApiError, errorBody } from "./errors.ts";

export type ApiEnv = { Variables: { user: User; token: string } };

export const SESSION_COOKIE = "tandem_session";

const PUBLIC = [/^\/api\/v1\/auth\/login$/, /^\/api\/v1\/openapi\.json$/, /^\/api\/v1\/oauth\/callback$/, /^\/api\/v1\/health$/];

export function authenticate(store: TandemStore): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (PUBLIC.some((pattern) => pattern.test(c.req.path))) return next();
    const header = c.req.header("authorization");
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? getCookie(c, SESSION_COOKIE);
    const info = token ? await store.tokens.resolve(token) : undefined;
    const user = info ? await store.users.byId(info.userId) : undefined;
    if (!token || !user) {
      return c.json(errorBody("unauthenticated", "Sign in first: send 'Authorization: Bearer <token>' (tandem login, or an API token) or the session cookie."), 401);
    }
    c.set("user", user);
    c.set("token", token);
    return next();
  };
}

const RANK: Record<Role, number> = { guest: 0, member: 1, admin: 2 };

/** Throws 403 unless the user's role is at least `role`. */
export function requireRole(user: User, role: Role): void {
  if (RANK[user.role] < RANK[role]) {
    throw new ApiError(403, "forbidden", `This needs the ${role} role; you are ${user.role === "guest" ? "a guest" : `a ${user.role}`}.`);
  }
}

/** Route middleware: refuses a too-low role before the request body is even validated. */
export function role(minimum: Role): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    requireRole(c.get("user"), minimum);
    await next();
  };
}
