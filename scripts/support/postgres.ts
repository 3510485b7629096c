// A fresh PostgreSQL database per run for the bench and the chaos campaign (created from a base URL, dropped after),
// the way test/support/tandem.ts does it for the test suites.
import { randomBytes } from "node:crypto";
import pg from "pg";

/** TANDEM_BENCH_DB, TANDEM_DB, or the machine's test database. */
export function postgresBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.TANDEM_BENCH_DB || env.TANDEM_DB || "postgres://postgres@127.0.0.1:5432/test";
}

/** null when reachable; otherwise why not (printed, so a skipped PostgreSQL pass says so). */
export async function postgresUnreachable(baseUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function freshDatabase(baseUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
