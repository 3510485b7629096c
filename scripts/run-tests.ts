// Runs the test suite with Node's built-in runner: every test/**/*.test.ts, two files at a time (2 cores).
// Then the suites that use Tandem's store run again on PostgreSQL (TANDEM_TEST_DB, default the machine's
// 127.0.0.1:5432/test), or say clearly why that pass is skipped.
import { spawnSync } from "node:child_process";
import { globSync, readFileSync } from "node:fs";
import pg from "pg";

const files = globSync("test/**/*.test.ts").sort();
const extra = process.argv.slice(2);
const run = (label: string, list: string[], env: NodeJS.ProcessEnv) => {
  console.log(`\n=== ${label}: ${list.length} file(s) ===`);
  return spawnSync(process.execPath, ["--test", "--test-concurrency=2", "--test-reporter=spec", ...extra, ...list], { stdio: "inherit", env }).status ?? 1;
};

let status = run("tests (SQLite store)", files, process.env);

const postgresUrl = process.env.TANDEM_TEST_DB ?? "postgres://postgres@127.0.0.1:5432/test";
const storeSuites = files.filter((file) => readFileSync(file, "utf8").includes("useTandem("));
const reachable = await (async () => {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch (error) {
    console.log(`\nSkipping the PostgreSQL pass: ${postgresUrl} is not reachable (${error instanceof Error ? error.message : String(error)}). Set TANDEM_TEST_DB to a PostgreSQL database Tandem may create databases from.`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
})();
if (reachable && extra.length === 0) status = run(`store suites on PostgreSQL (${postgresUrl})`, storeSuites, { ...process.env, TANDEM_TEST_DB: postgresUrl }) || status;

process.exit(status);
