// Sign in and out, who am I, API tokens, and (for admins) Tandem's users.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { deleteCookie, setCookie } from "hono/cookie";
import type { TandemStore } from "../../store/store.ts";
import { SESSION_TTL_MS } from "../../store/sessions.ts";
import { requireRole, role, SESSION_COOKIE, type ApiEnv } from "../auth.ts";
import { ApiError } from "../errors.ts";
import { ErrorSchema, IdParam, LoginSchema, NewTokenSchema, NewUserSchema, SessionSchema, TokenInfoSchema, UserSchema } from "../schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errors = { 400: json(ErrorSchema, "Bad input"), 401: json(ErrorSchema, "Not signed in"), 403: json(ErrorSchema, "Role too low") };

export function sessionRoutes(store: TandemStore) {
  const app = new OpenAPIHono<ApiEnv>();

  app.openapi(
    createRoute({ method: "post", path: "/auth/login", tags: ["session"], request: { body: { content: { "application/json": { schema: LoginSchema } }, required: true } }, responses: { 200: json(SessionSchema, "Signed in"), ...errors } }),
    async (c) => {
      const { email, password } = c.req.valid("json");
      const user = await store.users.authenticate(email, password);
      if (!user) throw new ApiError(401, "bad_credentials", "Wrong email or password.");
      const { token } = await store.tokens.issue(user.id, "session", c.req.header("user-agent")?.slice(0, 100) ?? "session");
      setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: "Strict", path: "/", maxAge: SESSION_TTL_MS / 1000 });
      return c.json({ token, user }, 200);
    },
  );

  app.openapi(createRoute({ method: "post", path: "/auth/logout", tags: ["session"], security: [{ bearer: [] }], responses: { 204: { description: "Signed out" }, ...errors } }), async (c) => {
    await store.tokens.revokeToken(c.get("token"));
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.body(null, 204);
  });

  app.openapi(createRoute({ method: "get", path: "/me", tags: ["session"], security: [{ bearer: [] }], responses: { 200: json(UserSchema, "The signed-in user"), ...errors } }), (c) => c.json(c.get("user"), 200));

  app.openapi(createRoute({ method: "get", path: "/tokens", tags: ["session"], security: [{ bearer: [] }], responses: { 200: json(z.array(TokenInfoSchema), "Your API tokens"), ...errors } }), async (c) => {
    const tokens = await store.tokens.list(c.get("user").id, "api");
    return c.json(tokens.map(({ id, name, createdAt, lastUsedAt }) => ({ id, name, createdAt, lastUsedAt })), 200);
  });

  app.openapi(
    createRoute({ method: "post", path: "/tokens", tags: ["session"], security: [{ bearer: [] }], request: { body: { content: { "application/json": { schema: NewTokenSchema } }, required: true } }, responses: { 201: json(z.object({ id: z.string(), name: z.string(), token: z.string() }), "The new token, shown once"), ...errors } }),
    async (c) => {
      const { token, info } = await store.tokens.issue(c.get("user").id, "api", c.req.valid("json").name);
      return c.json({ id: info.id, name: info.name, token }, 201);
    },
  );

  app.openapi(createRoute({ method: "delete", path: "/tokens/{id}", tags: ["session"], security: [{ bearer: [] }], request: { params: IdParam }, responses: { 204: { description: "Revoked" }, 404: json(ErrorSchema, "No such token"), ...errors } }), async (c) => {
    if (!(await store.tokens.revoke(c.get("user").id, c.req.valid("param").id))) throw new ApiError(404, "not_found", "You have no API token with that id.");
    return c.body(null, 204);
  });

  app.openapi(createRoute({ method: "get", path: "/users", tags: ["users"], security: [{ bearer: [] }], responses: { 200: json(z.array(UserSchema), "Tandem's users"), ...errors } }), async (c) => {
    requireRole(c.get("user"), "admin");
    return c.json(await store.users.list(), 200);
  });

  app.openapi(
    createRoute({ method: "post", path: "/users", middleware: [role("admin")] as const, tags: ["users"], security: [{ bearer: [] }], request: { body: { content: { "application/json": { schema: NewUserSchema } }, required: true } }, responses: { 201: json(UserSchema, "Created"), 409: json(ErrorSchema, "Email taken"), ...errors } }),
    async (c) => {
      const input = c.req.valid("json");
      if (await store.users.byEmail(input.email)) throw new ApiError(409, "email_taken", `A user with email ${input.email} already exists.`);
      return c.json(await store.users.create(input), 201);
    },
  );

  return app;
}
