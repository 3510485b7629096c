// First start: the first admin from TANDEM_ADMIN_EMAIL / TANDEM_ADMIN_PASSWORD, or generated and printed once.
import { randomBytes } from "node:crypto";
import type { TandemStore } from "../store/store.ts";

export interface BootstrapResult {
  created: boolean;
  email: string;
  /** Only when generated now: printed once, never stored in clear. */
  generatedPassword: string | null;
}

export async function ensureFirstAdmin(store: TandemStore, env: NodeJS.ProcessEnv = process.env): Promise<BootstrapResult | null> {
  if ((await store.users.count()) > 0) return null;
  const email = env.TANDEM_ADMIN_EMAIL ?? "admin@tandem.local";
  const given = env.TANDEM_ADMIN_PASSWORD;
  const password = given ?? randomBytes(12).toString("base64url");
  await store.users.create({ email, name: "Administrator", role: "admin", password });
  return { created: true, email, generatedPassword: given ? null : password };
}
