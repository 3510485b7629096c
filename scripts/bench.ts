// `npm run bench`: Tandem against the sandbox Jira in this process, printing figures against the quality bars, on
// SQLite and (when reachable) PostgreSQL. Count-based bars (calls, writes, failed items) fail the run; time-based
// figures are printed, not asserted.
//   npm run bench                       # 20,000 issues
//   npm run bench -- --issues 100000
//   npm run bench -- --issues 1000 --quick   (what CI runs)
//   --store sqlite|postgres|both (default both: PostgreSQL when TANDEM_BENCH_DB, TANDEM_DB or 127.0.0.1:5432/test answers)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JiraClient } from "../src/jira/client.ts";
import { ConnectorLimiter } from "../src/jira/limiter.ts";
import { serve } from "../src/server/server.ts";
import { startSandboxThread } from "./bench/sandbox-thread.ts";
import { importLowerBound } from "./bench/lower-bound.ts";
import { webhookLoad } from "./bench/webhook-load.ts";
import { freshDatabase, postgresBaseUrl, postgresUnreachable } from "./support/postgres.ts";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const issues = Number(option("--issues") ?? 20_000) || 20_000;
const quick = args.includes("--quick");
const stores = option("--store") ?? "both";
const rows: [string, string, string][] = [];
const notes: string[] = [];
const failures: string[] = [];
const record = (figure: string, value: string, bar = "") => rows.push([figure, value, bar]);
const check = (ok: boolean, message: string) => {
  if (!ok) failures.push(message);
  return ok ? "ok" : "BROKEN";
};
/** Progress on stderr, so a long run shows where it is (the table comes at the end, on stdout). */
const phase = (text: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}`);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/**
 * The highest memory seen while `work` runs, sampled every 25 ms (the event loop yields at every request): the
 * process's RSS (which holds the sandbox thread and SQLite's page cache too) and Tandem's own thread's JS heap.
 */
async function peakMemory<T>(work: () => Promise<T>): Promise<{ result: T; peak: number; heapBefore: number; peakHeap: number }> {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = process.memoryUsage().rss;
  let peakHeap = heapBefore;
  const sample = () => {
    const now = process.memoryUsage();
    peak = Math.max(peak, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  };
  const timer = setInterval(sample, 25);
  try {
    const result = await work();
    sample();
    return { result, peak, heapBefore, peakHeap };
  } finally {
    clearInterval(timer);
  }
}

async function bench(storeLabel: string, databaseUrl: string | undefined) {
  // Jira runs in a thread of its own (the other core), as another system would, so its work is not Tandem's.
  const jira = await startSandboxThread({ issues });
  const dataDir = mkdtempSync(join(tmpdir(), "tandem-bench-"));
  const tandem = await serve({ port: 0, dataDir, ...(databaseUrl ? { databaseUrl } : {}), env: { TANDEM_ADMIN_EMAIL: "bench@tandem.local", TANDEM_ADMIN_PASSWORD: "bench-password-123" } });
  const admin = (await tandem.store.users.byEmail("bench@tandem.local"))!;
  const token = (await tandem.store.tokens.issue(admin.id, "api", "bench")).token;
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${tandem.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
    return json as any;
  };
  const stats = async () => {
    const json = (await (await fetch(`${jira.url}/_sandbox/stats`)).json()) as { requests: Record<string, number> };
    await fetch(`${jira.url}/_sandbox/stats/reset`, { method: "POST" });
    return json.requests;
  };
  const limits = (body: unknown) => fetch(`${jira.url}/_sandbox/limits`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }).then((response) => response.json());
  const sum = (requests: Record<string, number>, pattern: RegExp) => Object.entries(requests).filter(([route]) => pattern.test(route)).reduce((total, [, n]) => total + n, 0);
  const writes = (requests: Record<string, number>) => sum(requests, /^(PUT|DELETE) |^POST \/rest\/api\/3\/issue($|\/:[^/]+\/(transitions|comment))/);
  const label = (text: string) => `${text} [${storeLabel}]`;

  try {
    await api("POST", "/connectors", { name: "bench", flavour: "cloud", siteUrl: jira.url, credentials: { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } });
    await api("POST", "/projects", { key: "LOAD", name: "Load", fields: [] });
    await api("PUT", "/projects/LOAD/jira", { connector: "bench", jiraProjects: ["LOAD"], direction: "two-way", conflictPolicy: "jira-wins" });
    await api("PUT", "/projects/LOAD/mappings", { mappings: [{ tandemField: "title", jiraField: "summary", direction: "both", transform: { kind: "copy" } }, { tandemField: "status", jiraField: "status", direction: "pull", transform: { kind: "status" } }] });
    const rssBefore = process.memoryUsage().rss;

    phase(`lower bound: paging and writing the same rows [${storeLabel}]`);
    // Lower bound: page the same issues (the import's JQL and fields) with no processing, and write the same rows
    // (item, link, a snapshot per mapping, a run line) in page-sized transactions, as the import does.
    await stats();
    const client = new JiraClient({ flavour: "cloud", siteUrl: jira.url, credentials: { mode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" }, limiter: new ConnectorLimiter() });
    const bound = await importLowerBound(tandem.store.db, client, 'project in ("LOAD") ORDER BY key ASC', ["summary", "status", "issuetype", "assignee", "parent", "updated"], 2);
    const lowerBound = bound.seconds;
    const paged = bound.issues;
    await stats();

    phase(`import [${storeLabel}]`);
    // Import every issue (done ones too) as linked items, then the Pull that fills their fields.
    let started = performance.now();
    const { result: imported, peak, heapBefore, peakHeap } = await peakMemory(() => api("POST", "/projects/LOAD/import", { includeDone: true }));
    const seconds = (performance.now() - started) / 1000;
    const importCalls = await stats();
    const searches = sum(importCalls, /search\/jql/);
    const bulk = sum(importCalls, /bulkfetch/);
    const pageSize = 100;
    const n = imported.created.length;
    record(label(`import of ${n} issues`), `${Math.round(n / seconds)} issues/s (${seconds.toFixed(1)} s)`, "≥ 5,000 issues/s (time: printed)");
    record(label("import: items created"), `${n}`, `= issues in Jira (${paged}): ${check(n === paged, `import created ${n} items for ${paged} issues`)}`);
    record(label("import: search calls"), `${searches}`, `≤ ceil(N/${pageSize}) + 2 = ${Math.ceil(n / pageSize) + 2}: ${check(searches <= Math.ceil(n / pageSize) + 2, "import made more search calls than its pages")}`);
    record(label("import: bulk reads for the Pull"), `${bulk}`, `≤ ceil(N/100) = ${Math.ceil(n / 100)}: ${check(bulk <= Math.ceil(n / 100), "the Pull after import read issue by issue")}`);
    record(label("import: ratio to the lower bound"), `${(seconds / lowerBound).toFixed(1)}× (lower bound ${lowerBound.toFixed(1)} s: paging the same issues + writing the same rows: item, link, 2 snapshots, run line)`, "≤ 1.5× (time: printed)");
    record(label("import: failed items"), `${imported.run?.counts.failed ?? 0}`, `= 0: ${check((imported.run?.counts.failed ?? 0) === 0, "import failed items")}`);
    record(label("import: peak heap of Tandem's thread"), `${mb(peakHeap)} (${mb(heapBefore)} before; growth ${mb(peakHeap - heapBefore)})`, "flat (printed)");
    record(label("import: peak RSS of the process"), `${mb(peak)} (${mb(rssBefore)} before, with ${issues} issues in the sandbox thread; growth ${mb(peak - rssBefore)}, SQLite's cache and the sandbox's pages included)`, "(printed)");

    phase(`catch-up [${storeLabel}]`);
    // Catch-up: the first sets the cursor; with nothing changed the next is one search per scope and no writes.
    await api("POST", "/projects/LOAD/catch-up");
    await stats();
    const caught = await api("POST", "/projects/LOAD/catch-up");
    const catchUpCalls = await stats();
    const catchUpSearches = sum(catchUpCalls, /search\/jql/);
    record(label("catch-up, nothing changed: search calls"), `${catchUpSearches} (${caught.searchedIssues} issue(s) in the overlap)`, `= pages of the overlap (${Math.max(1, Math.ceil(caught.searchedIssues / pageSize))}): ${check(catchUpSearches === Math.max(1, Math.ceil(caught.searchedIssues / pageSize)), "catch-up searched more than one page per scope")}`);
    record(label("catch-up, nothing changed: writes"), `${writes(catchUpCalls)} to Jira, ${caught.newer} applied`, `= 0: ${check(writes(catchUpCalls) === 0 && caught.newer === 0, "catch-up with nothing changed wrote")}`);

    phase(`push of unchanged items [${storeLabel}]`);
    // Push with nothing changed: zero writes.
    await api("POST", "/projects/LOAD/push", {});
    const pushCalls = await stats();
    record(label("push of unchanged items: writes"), `${writes(pushCalls)}`, `= 0: ${check(writes(pushCalls) === 0, "a push of unchanged items wrote to Jira")}`);

    phase(`webhook intake at a fixed load [${storeLabel}]`);
    // Webhook intake at a fixed offered load: edits in the sandbox, delivered by its dispatcher, applied by Tandem.
    await api("POST", "/connectors/bench/webhook");
    const rate = quick ? 200 : 1000;
    const loadSeconds = quick ? 1 : 5;
    const keys = await jira.keys(Math.min(issues, rate * loadSeconds));
    await stats();
    const load = await webhookLoad(jira, tandem, { rate: keys.length / loadSeconds, keys });
    const intakeReads = sum(await stats(), /bulkfetch|\/issue\/:/);
    record(label(`webhook intake at ${Math.round(load.rate)} edits/s offered for ${loadSeconds} s`), `${Math.round(load.sustained)} events/s sustained; receipt-to-applied p50 ${load.receipt.p50Ms.toFixed(0)} ms, p99 ${load.receipt.p99Ms.toFixed(0)} ms, max ${load.receipt.maxMs.toFixed(0)} ms; edit-to-applied (Jira's delivery included) p50 ${load.p50Ms.toFixed(0)} ms, p99 ${load.p99Ms.toFixed(0)} ms; longest event-loop pause ${load.longestPauseMs.toFixed(0)} ms`, "≥ 1,000 events/s, p99 < 100 ms (time: printed)");
    record(label("webhook intake: edits applied"), `${load.applied} of ${load.offered}`, `= all: ${check(load.missing.length === 0, `webhook edits never applied: ${load.missing.slice(0, 5).join(", ")}`)}`);
    // In bulk, not one call per event: a connector's deliveries are applied in batches that start at most once per
    // batching window, so the reads grow with the time the load lasts, not with the events (and each batch of up to
    // 500 deliveries reads its issues in pages of 100).
    const readBar = Math.ceil(load.elapsedMs / tandem.processor.windowMs) + Math.ceil(load.offered / 100) + 2;
    record(label("webhook intake: reads to apply it"), `${intakeReads} (${(load.offered / Math.max(1, intakeReads)).toFixed(1)} events per read)`, `≤ one per ${tandem.processor.windowMs} ms window of the ${(load.elapsedMs / 1000).toFixed(1)} s it lasted + a page per 100 events = ${readBar}: ${check(intakeReads <= readBar, "webhook processing read more often than once per batching window")}`);

    phase(`bulk edit [${storeLabel}]`);
    // A bulk update of many items with the same values: one bulk edit per page of the run (100 issues), no edit per issue.
    await tandem.processor.idle();
    const bulkItems = quick ? 40 : 300;
    const allItems = (await tandem.store.projects.items((await tandem.store.projects.byId("LOAD"))!.id)).map((item) => item.key);
    await stats();
    const bulked = await api("POST", "/projects/LOAD/bulk-edit", { items: allItems.slice(0, bulkItems), values: { title: "Renamed together" } });
    const bulkCalls = await stats();
    const submits = sum(bulkCalls, /^POST \/rest\/api\/3\/bulk\/issues\/fields/);
    const singleEdits = sum(bulkCalls, /^PUT \/rest\/api\/3\/issue\//);
    record(label(`bulk edit of ${bulkItems} items, same values: Jira writes`), `${submits} bulk edit(s), ${singleEdits} single edits, ${bulked.failed.length} failed`, `≤ one per page of 100 (${Math.ceil(bulkItems / 100)}) and 0 single edits: ${check(submits <= Math.ceil(bulkItems / 100) && singleEdits === 0 && bulked.failed.length === 0, `a bulk edit wrote issue by issue: ${JSON.stringify(bulkCalls)}`)}`);

    phase(`rate-limited push [${storeLabel}]`);
    // A rate-limited Jira (10 requests/s): items edited one by one (different values, so one write per issue) are
    // pushed; every item still syncs.
    const allowedRate = 10;
    const limitedItems = quick ? 40 : 300;
    const subset = allItems.slice(bulkItems, bulkItems + limitedItems);
    for (const [index, key] of subset.entries()) await api("PATCH", `/items/${key}`, { values: { title: `Renamed under a rate limit #${index}` } });
    await tandem.processor.idle();
    await limits({ reset: true, rateLimit: { burstPerSecond: allowedRate, burstCapacity: allowedRate } });
    await stats();
    started = performance.now();
    const pushed = await api("POST", "/projects/LOAD/push", { items: subset });
    const limitedSeconds = (performance.now() - started) / 1000;
    const limiterStats = await jira.limiterStats();
    await limits({ reset: true, rateLimit: null });
    const notPushed = pushed.run.counts.failed + pushed.run.counts.warning;
    record(label(`rate-limited Jira (${allowedRate} req/s), push of ${subset.length} items`), `${limiterStats.allowed} requests allowed (${limiterStats.limited} answered 429) in ${limitedSeconds.toFixed(1)} s = ${((limiterStats.allowed / limitedSeconds / allowedRate) * 100).toFixed(0)}% of the allowed rate`, "≥ 90% (time: printed)");
    record(label("rate-limited: failed items"), `${notPushed}`, `= 0: ${check(notPushed === 0 && pushed.run.counts.changed === subset.length, `items not pushed under rate limiting: ${JSON.stringify(pushed.run.counts)}`)}`);
  } finally {
    await tandem.close();
    await jira.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (stores !== "postgres") await bench("SQLite", undefined);
if (stores !== "sqlite") {
  const base = postgresBaseUrl();
  const unreachable = await postgresUnreachable(base);
  if (unreachable) {
    if (stores === "postgres") failures.push(`PostgreSQL at ${base} is not reachable: ${unreachable}`);
    notes.push(`PostgreSQL skipped: ${base} is not reachable (${unreachable}); set TANDEM_BENCH_DB or TANDEM_DB.`);
  } else {
    const database = await freshDatabase(base, "tandem_bench");
    try {
      await bench("PostgreSQL", database.url);
    } finally {
      await database.drop();
    }
  }
}

const width = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
console.log(`\nTandem bench — ${issues} issues in the sandbox${quick ? " (quick)" : ""}; Node ${process.version}, ${(await import("node:os")).cpus().length} CPU(s)\n`);
for (const [figure, value, bar] of rows) console.log(`${figure.padEnd(width[0]!)}  ${value.padEnd(width[1]!)}  ${bar}`);
for (const note of notes) console.log(`\n${note}`);
if (failures.length) {
  console.log(`\nBROKEN count-based bars:\n- ${failures.join("\n- ")}`);
  process.exit(1);
}
console.log("\nAll count-based bars hold.");
