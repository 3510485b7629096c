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
  close(): Promise<void>;
}
