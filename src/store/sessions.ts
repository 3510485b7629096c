// Bearer secrets of Tandem's users: web sessions (expire) and API tokens for scripts (until revoked).
// Only hashes are stored.
import { randomUUID } from "node:crypto";
import { hashToken, newToken } from "../security/passwords.ts";
import type { SqlDatabase } from "./database.ts";

export interface TokenInfo {
  id: string;
  userId: string;
  kind: "session" | "api";
  name: string;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
}

interface TokenRow {
  id: string;
  user_id: string;
  kind: "session" | "api";
  name: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
}

const toInfo = (row: TokenRow): TokenInfo => ({
  id: row.id,
  userId: row.user_id,
  kind: row.kind,
  name: row.name,
  createdAt: Number(row.created_at),
  expiresAt: row.expires_at === null ? null : Number(row.expires_at),
  lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
});

export const SESSION_TTL_MS = 12 * 3600_000;

export class TokenRepository {
  private db: SqlDatabase;
  constructor(db: SqlDatabase) {
    this.db = db;
  }

  async issue(userId: string, kind: "session" | "api", name: string): Promise<{ token: string; info: TokenInfo }> {
    const { token, hash } = newToken(kind === "api" ? "tdm" : "tds");
    const now = Date.now();
    const info: TokenInfo = { id: randomUUID(), userId, kind, name, createdAt: now, expiresAt: kind === "session" ? now + SESSION_TTL_MS : null, lastUsedAt: null };
    await this.db.run("INSERT INTO sessions (token_hash, user_id, kind, name, id, created_at, expires_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)", [hash, userId, kind, name, info.id, now, info.expiresAt]);
    return { token, info };
  }

  /** The token's owner id, or undefined when unknown or expired. */
  async resolve(token: string): Promise<TokenInfo | undefined> {
    const row = await this.db.get<TokenRow>("SELECT * FROM sessions WHERE token_hash = ?", [hashToken(token)]);
    if (!row) return undefined;
    const now = Date.now();
    if (row.expires_at !== null && Number(row.expires_at) <= now) return undefined;
    await this.db.run("UPDATE sessions SET last_used_at = ? WHERE token_hash = ?", [now, hashToken(token)]);
    return toInfo(row);
  }

  async list(userId: string, kind: "session" | "api"): Promise<TokenInfo[]> {
    return (await this.db.all<TokenRow>("SELECT * FROM sessions WHERE user_id = ? AND kind = ? ORDER BY created_at", [userId, kind])).map(toInfo);
  }

  async revoke(userId: string, id: string): Promise<boolean> {
    return (await this.db.run("DELETE FROM sessions WHERE user_id = ? AND id = ?", [userId, id])).changes > 0;
  }

  async revokeToken(token: string): Promise<void> {
    await this.db.run("DELETE FROM sessions WHERE token_hash = ?", [hashToken(token)]);
  }
}
