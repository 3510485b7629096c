// Tandem's own accounts: email, name, role, scrypt password hash.
import { randomUUID } from "node:crypto";
import { hashPassword, verifyPassword } from "../security/passwords.ts";
import type { SqlDatabase } from "./database.ts";

export type Role = "admin" | "member" | "guest";
export const ROLES: readonly Role[] = ["admin", "member", "guest"];

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: number;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: number;
}

const toUser = (row: UserRow): User => ({ id: row.id, email: row.email, name: row.name, role: row.role, createdAt: Number(row.created_at) });

export class UserRepository {
  private db: SqlDatabase;
  constructor(db: SqlDatabase) {
    this.db = db;
  }

  async create(input: { email: string; name: string; role: Role; password: string }): Promise<User> {
    const user: User = { id: randomUUID(), email: input.email.trim().toLowerCase(), name: input.name, role: input.role, createdAt: Date.now() };
    await this.db.run("INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)", [user.id, user.email, user.name, user.role, await hashPassword(input.password), user.createdAt]);
    return user;
  }

  async byEmail(email: string): Promise<User | undefined> {
    const row = await this.db.get<UserRow>("SELECT * FROM users WHERE email = ?", [email.trim().toLowerCase()]);
    return row ? toUser(row) : undefined;
  }

  async byId(id: string): Promise<User | undefined> {
    const row = await this.db.get<UserRow>("SELECT * FROM users WHERE id = ?", [id]);
    return row ? toUser(row) : undefined;
  }

  async list(): Promise<User[]> {
    return (await this.db.all<UserRow>("SELECT * FROM users ORDER BY created_at")).map(toUser);
  }

  async count(): Promise<number> {
    return Number((await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM users"))?.n ?? 0);
  }

  /** The user when the password matches; the same undefined for an unknown email, so neither is revealed. */
  async authenticate(email: string, password: string): Promise<User | undefined> {
    const row = await this.db.get<UserRow>("SELECT * FROM users WHERE email = ?", [email.trim().toLowerCase()]);
    if (!row) {
      await hashPassword(password); // spend the same time as a real check
      return undefined;
    }
    return (await verifyPassword(password, row.password_hash)) ? toUser(row) : undefined;
  }

  async setRole(id: string, role: Role): Promise<void> {
    await this.db.run("UPDATE users SET role = ? WHERE id = ?", [role, id]);
  }
}
