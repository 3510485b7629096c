// Runs the test suite with Node's built-in runner: every test/**/*.test.ts, two files at a time (2 cores), on SQLite.
// Then the suites that use Tandem's store run again on PostgreSQL (TANDEM_TEST_DB, default the machine's
// 127.0.0.1:5432/test), or it says clearly why those passes are skipped:
// - scaled out: each test server is an API process without a worker plus two `tandem worker` processes on its
//   database (TANDEM_TEST_WORKERS=2), with the suites that start workers or servers of their own;
// - in-process: each test server runs its jobs and webhook processing itself (pg-boss inside `tandem serve`).
import { spawnSync } from "node:child_process";
import { globSync, readFileSync } from "node:fs";
import pg from "pg";

const WORKERS = 2;
const files = globSync("test/**/*.test.ts").sort();
const extra = process.argv.slice(2);
const durations: string[] = [];
const run = (label: string, list: string[], env: NodeJS.ProcessEnv) => {
  console.log(`\n=== ${label}: ${list.length} file(s) ===`);
  const started = Date.now();
  const status = spawnSync(process.execPath, ["--test", "--test-concurrency=2", "--test-reporter=spec", ...extra, ...list], { stdio: "inherit", env }).status ?? 1;
  const seconds = Math.round((Date.now() - started) / 1000);
  durations.push(`${label}: ${status === 0 ? "passed" : `FAILED (exit ${status})`} in ${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`);
  console.log(`=== ${durations.at(-1)} ===`);
  return status;
};

// The first pass is SQLite whatever the environment says; the PostgreSQL passes set what they need.
const { TANDEM_TEST_DB: givenDb, TANDEM_TEST_WORKERS: _workers, ...baseEnv } = process.env;
let status = run("pass 1: every suite on SQLite, jobs and webhooks in the server process", files, baseEnv);

const postgresUrl = givenDb ?? "postgres://postgres@127.0.0.1:5432/test";
const source = (file: string) => readFileSync(file, "utf8");
// useTandem(): the servers of test/support/tandem.ts; freshPostgresDatabase(): suites starting servers or workers themselves.
const tandemSuites = files.filter((file) => source(file).includes("useTandem("));
const ownServerSuites = files.filter((file) => !tandemSuites.includes(file) && source(file).includes("freshPostgresDatabase("));
const reachable = await (async () => {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch (error) {
    console.log(`\nSkipping the PostgreSQL passes: ${postgresUrl} is not reachable (${error instanceof Error ? error.message : String(error)}). Set TANDEM_TEST_DB to a PostgreSQL database Tandem may create databases from.`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
})();
if (reachable && extra.length === 0) {
  // The suites with servers or workers of their own do not depend on TANDEM_TEST_WORKERS: they run once, here.
  status = run(`pass 2: store suites on PostgreSQL (${postgresUrl}), each server an API process without a worker beside ${WORKERS} 'tandem worker' processes (TANDEM_TEST_WORKERS=${WORKERS})`, [...tandemSuites, ...ownServerSuites], { ...baseEnv, TANDEM_TEST_DB: postgresUrl, TANDEM_TEST_WORKERS: String(WORKERS) }) || status;
  status = run(`pass 3: store suites on PostgreSQL (${postgresUrl}), jobs and webhooks in the server process (pg-boss inside 'tandem serve')`, tandemSuites, { ...baseEnv, TANDEM_TEST_DB: postgresUrl }) || status;
}
if (extra.length > 0) console.log("\nThe PostgreSQL passes run only without extra arguments (which go to every pass's node --test).");
console.log(`\n${durations.join("\n")}`);

process.exit(status);
