// SQLite through Node's built-in node:sqlite: no native addon to compile, one file per Tandem.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { SqlDatabase, SqlValue } from "../database.ts";

export class SqliteDatabase implements SqlDatabase {
  readonly dialect = "sqlite" as const;
  private db: DatabaseSync;
  private depth = 0;
  /** Prepared statements by SQL text: preparing costs more than running a small statement. */
  private statements = new Map<string, StatementSync>();

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    // WAL with synchronous NORMAL: a killed process loses nothing committed (only a power cut may lose the last commits).
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 20000; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
  }

  private statement(sql: string): StatementSync {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql);
      // Statements built with a variable number of placeholders would grow the cache without bound.
      if (this.statements.size >= 500) this.statements.clear();
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  async run(sql: string, params: SqlValue[] = []) {
    const result = this.statement(sql).run(...params);
    return { changes: Number(result.changes) };
  }

  async get<T>(sql: string, params: SqlValue[] = []): Promise<T | undefined> {
    return this.statement(sql).get(...params) as T | undefined;
  }

  async all<T>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return this.statement(sql).all(...params) as T[];
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
    this.statements.clear();
    this.db.close();
  }
}
