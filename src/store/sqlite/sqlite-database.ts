// SQLite through Node's built-in node:sqlite: no native addon to compile, one file per Tandem.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { SqlDatabase, SqlValue } from "../database.ts";

export class SqliteDatabase implements SqlDatabase {
  readonly dialect = "sqlite" as const;
  private db: DatabaseSync;
  private depth = 0;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
  }

  async run(sql: string, params: SqlValue[] = []) {
    const result = this.db.prepare(sql).run(...params);
    return { changes: Number(result.changes) };
  }

  async get<T>(sql: string, params: SqlValue[] = []): Promise<T | undefined> {
    return this.db.prepare(sql).get(...params) as T | undefined;
  }

  async all<T>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return this.db.prepare(sql).all(...params) as T[];
  }

  /** Nested calls join the outer transaction (savepoints would add nothing for our use). */
  async transaction<T>(work: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    if (this.depth > 0) return work(this);
    this.db.exec("BEGIN IMMEDIATE");
    this.depth += 1;
    try {
      const result = await work(this);
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    } finally {
      this.depth -= 1;
    }
  }

  /** One process owns a SQLite file (the server's in-process work is serialised by its callers). */
  async whileHolding<T>(_lock: string, work: () => Promise<T>): Promise<{ held: true; value: T }> {
    return { held: true, value: await work() };
  }

  /** Runs a script of several statements (migrations). */
  exec(sql: string): void {
    this.db.exec(sql);
  }

  async close() {
    this.db.close();
  }
}
