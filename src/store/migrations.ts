// Schema migrations, applied in order and recorded in schema_migrations. Portable SQL (SQLite and PostgreSQL).
import type { SqlDatabase } from "./database.ts";

export const MIGRATIONS: { version: number; name: string; statements: string[] }[] = [
  {
    version: 1,
    name: "users, sessions, tokens, connectors",
    statements: [
      `CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'guest')),
        password_hash TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      `CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('session', 'api')),
        name TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE,
        created_at BIGINT NOT NULL,
        expires_at BIGINT,
        last_used_at BIGINT
      )`,
      `CREATE TABLE connectors (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        flavour TEXT NOT NULL CHECK (flavour IN ('cloud', 'dc')),
        site_url TEXT NOT NULL,
        auth_mode TEXT NOT NULL,
        credentials_sealed TEXT,
        oauth_app_sealed TEXT,
        default_sync_options TEXT NOT NULL,
        last_test TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE connector_identities (
        connector_id TEXT NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        auth_mode TEXT NOT NULL,
        credentials_sealed TEXT NOT NULL,
        account TEXT,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (connector_id, user_id)
      )`,
      `CREATE TABLE oauth_states (
        state TEXT PRIMARY KEY,
        connector_id TEXT NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL,
        purpose TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
    ],
  },
];

export async function migrate(db: SqlDatabase): Promise<number> {
  await db.run("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  const applied = new Set((await db.all<{ version: number }>("SELECT version FROM schema_migrations")).map((row) => Number(row.version)));
  let count = 0;
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    await db.transaction(async (tx) => {
      for (const statement of migration.statements) await tx.run(statement);
      await tx.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [migration.version, migration.name, Date.now()]);
    });
    count += 1;
  }
  return count;
}
