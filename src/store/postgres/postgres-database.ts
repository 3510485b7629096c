// PostgreSQL behind the same SqlDatabase port (node-postgres, pure JavaScript): `?` placeholders become $n,
// a transaction holds one pooled connection, and nested calls join it.
import pg from "pg";
import type { SqlDatabase, SqlValue } from "../database.ts";

/** `?` → `$1, $2, ...` (our SQL has no `?` inside string literals). */
function numbered(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

interface Queryable {
  query(sql: string, params: SqlValue[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

class PostgresSession implements SqlDatabase {
  readonly dialect = "postgres" as const;
  protected runner: Queryable;
  constructor(runner: Queryable) {
    this.runner = runner;
  }

  async run(sql: string, params: SqlValue[] = []) {
    const result = await this.runner.query(numbered(sql), params);
    return { changes: result.rowCount ?? 0 };
  }

  async get<T>(sql: string, params: SqlValue[] = []): Promise<T | undefined> {
    return (await this.runner.query(numbered(sql), params)).rows[0] as T | undefined;
  }

  async all<T>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return (await this.runner.query(numbered(sql), params)).rows as T[];
  }

  async transaction<T>(work: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    return work(this);
  }

  async whileHolding<T>(_lock: string, _work: () => Promise<T>): Promise<{ held: true; value: T } | { held: false }> {
    throw new Error("A lock is taken on the database, not inside a transaction: call whileHolding outside transaction().");
  }

  async close(): Promise<void> {}
}

export class PostgresDatabase extends PostgresSession {
  private pool: pg.Pool;

  constructor(connectionString: string) {
    const pool = new pg.Pool({ connectionString, max: 10 });
    // An idle connection the server ends (a restart, a dropped database) is an event on the pool: without a
    // listener it would take the process down. The pool replaces it; the next query reports a real failure.
    pool.on("error", (error) => console.error(`tandem store (PostgreSQL): an idle connection failed: ${error.message}`));
    super(pool as unknown as Queryable);
    this.pool = pool;
  }

  override async transaction<T>(work: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(new PostgresSession(client as unknown as Queryable));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    } finally {
      client.release();
    }
  }

  /** A session advisory lock on a connection of its own, held for the duration of `work` (which uses the pool). */
  override async whileHolding<T>(lock: string, work: () => Promise<T>): Promise<{ held: true; value: T } | { held: false }> {
    const client = await this.pool.connect();
    let held = false;
    try {
      held = Boolean((await client.query<{ held: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS held", [lock])).rows[0]?.held);
      if (!held) return { held: false };
      return { held: true, value: await work() };
    } finally {
      if (held) await client.query("SELECT pg_advisory_unlock(hashtext($1))", [lock]).catch(() => {});
      client.release();
    }
  }

  override async close(): Promise<void> {
    await this.pool.end();
  }
}
