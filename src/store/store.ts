// Opens Tandem's store: the database (SQLite file by default), migrations, the secret box, and the repositories.
import { dirname, join } from "node:path";
import { loadSecretKey, SecretBox } from "../security/secrets.ts";
import { sharePausesAcrossProcesses } from "../jira/limiter.ts";
import { ConnectorPauseRepository, ConnectorRepository } from "./connectors.ts";
import type { SqlDatabase } from "./database.ts";
import { migrate } from "./migrations.ts";
import { InboxRepository } from "./inbox.ts";
import { IssueCacheRepository } from "./issue-cache.ts";
import { InsightRepository } from "./insights.ts";
import { ProjectRepository } from "./projects.ts";
import { RunRepository } from "./runs.ts";
import { TokenRepository } from "./sessions.ts";
import { PostgresDatabase } from "./postgres/postgres-database.ts";
import { SqliteDatabase } from "./sqlite/sqlite-database.ts";
import { UserRepository } from "./users.ts";

export interface TandemStore {
  db: SqlDatabase;
  box: SecretBox;
  users: UserRepository;
  tokens: TokenRepository;
  connectors: ConnectorRepository;
  pauses: ConnectorPauseRepository;
  projects: ProjectRepository;
  runs: RunRepository;
  inbox: InboxRepository;
  issueCache: IssueCacheRepository;
  insights: InsightRepository;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** SQLite file path; ":memory:" for a throwaway store. */
  databasePath: string;
  /** postgres://... to use PostgreSQL instead of the SQLite file (TANDEM_DB). */
  databaseUrl?: string;
  /** Where the generated key lives when TANDEM_SECRET_KEY is not set; default beside the database. */
  keyFile?: string;
  env?: NodeJS.ProcessEnv;
}

export async function openStore(options: StoreOptions): Promise<TandemStore> {
  const db: SqlDatabase = options.databaseUrl?.startsWith("postgres") ? new PostgresDatabase(options.databaseUrl) : new SqliteDatabase(options.databasePath);
  await migrate(db);
  const keyFile = options.keyFile ?? join(options.databasePath === ":memory:" ? "data" : dirname(options.databasePath), "secret.key");
  const box = new SecretBox(loadSecretKey(keyFile, options.env));
  const pauses = new ConnectorPauseRepository(db);
  // On PostgreSQL several processes share the work: a 429's pause seen by one holds the connector in all of them.
  const unshare = db.dialect === "postgres" ? sharePausesAcrossProcesses(pauses) : () => {};
  return {
    db,
    box,
    users: new UserRepository(db),
    tokens: new TokenRepository(db),
    connectors: new ConnectorRepository(db, box),
    pauses,
    projects: new ProjectRepository(db),
    runs: new RunRepository(db),
    inbox: new InboxRepository(db, box),
    issueCache: new IssueCacheRepository(db),
    insights: new InsightRepository(db),
    close: async () => {
      unshare();
      await db.close();
    },
  };
}
