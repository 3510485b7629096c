// User references on write: Cloud sends {accountId}, DC sends {name} or {key}; both may send null to clear.
import type { RenderContext } from "../render/context.ts";
import { fail, ok, type ParseResult } from "./types.ts";

export function parseUserRef(value: unknown, ctx: RenderContext, fieldName: string): ParseResult {
  if (value === null) return ok(null);
  if (typeof value !== "object" || Array.isArray(value)) {
    return fail(ctx.state.flavour === "cloud" ? "Specify the user by accountId" : `data was not an object`);
  }
  const input = value as { accountId?: unknown; name?: unknown; key?: unknown; id?: unknown };
  if (ctx.state.flavour === "cloud") {
    if (input.accountId === undefined && (input.name !== undefined || input.key !== undefined)) {
      return fail("'accountId' must be the only user identifying property in the body (name and key are no longer supported)");
    }
    if (input.accountId === null || input.accountId === "-1") return ok(null);
    const user = typeof input.accountId === "string" ? ctx.state.userByAccountId(input.accountId) : undefined;
    if (!user) return fail(`Specified user does not exist or you do not have required permissions`);
    return ok(user.accountId);
  }
  const ref = input.name ?? input.key;
  if (ref === null || ref === "-1") return ok(null);
  const user = typeof ref === "string" ? ctx.state.userByNameOrKey(ref) : undefined;
  if (!user) return fail(`User '${String(ref)}' does not exist.`);
  void fieldName;
  return ok(user.accountId);
}
