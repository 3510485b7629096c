// The SQL port every repository uses: SQLite today (embedded default), PostgreSQL behind the same interface later.
// Placeholders are `?`; values are strings, numbers or null.

export type SqlValue = string | number | null;

export interface SqlDatabase {
  readonly dialect: "sqlite" | "postgres";
  run(sql: string, params?: SqlValue[]): Promise<{ changes: number }>;
  get<T>(sql: string, params?: SqlValue[]): Promise<T | undefined>;
  all<T>(sql: string, params?: SqlValue[]): Promise<T[]>;
  /** Runs `work` atomically; a throw rolls everything back. */
  transaction<T>(work: (tx: SqlDatabase) => Promise<T>): Promise<T>;
  /**
   * Runs `work` only while this process holds the named lock, and answers `{ held: false }` at once when another
   * process holds it. The database keeps the lock (PostgreSQL's session advisory locks), so a process that dies
   * lets go of it with its connection; nothing to expire or clean up. SQLite: one process owns the file, so it
   * always runs.
   */
  whileHolding<T>(lock: string, work: () => Promise<T>): Promise<{ held: true; value: T } | { held: false }>;
  close(): Promise<void>;
}
