// `npm run bench`: Tandem against the sandbox Jira in this process, printing figures against the quality bars.
// Count-based bars (calls, writes, failed items) fail the run; time-based figures are printed, not asserted.
//   npm run bench                       # 20,000 issues on SQLite (and PostgreSQL when TANDEM_BENCH_DB is set)
//   npm run bench -- --issues 100000
//   npm run bench -- --issues 2000 --quick   (what CI runs)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JiraClient } from "../src/jira/client.ts";
import { ConnectorLimiter } from "../src/jira/limiter.ts";
import { signWebhookBody } from "../src/jira/webhook-signature.ts";
import { startSandbox } from "../src/sandbox/server.ts";
import { serve } from "../src/server/server.ts";

const args = process.argv.slice(2);
const issues = Number(args[args.indexOf("--issues") + 1] ?? 20_000) || 20_000;
const quick = args.includes("--quick");
const rows: [string, string, string][] = [];
const failures: string[] = [];
const record = (figure: string, value: string, bar = "") => rows.push([figure, value, bar]);
const check = (ok: boolean, message: string) => {
  if (!ok) failures.push(message);
  return ok ? "ok" : "BROKEN";
};

async function bench(storeLabel: string, databaseUrl: string | undefined) {
  const jira = await startSandbox({ port: 0, seed: `large:${issues}`, flavour: "cloud", quirks: { searchIndexLagMs: 0 } });
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
  const sum = (requests: Record<string, number>, pattern: RegExp) => Object.entries(requests).filter(([route]) => pattern.test(route)).reduce((total, [, n]) => total + n, 0);
  const writes = (requests: Record<string, number>) => sum(requests, /^(PUT|DELETE) |^POST \/rest\/api\/3\/issue($|\/:[^/]+\/(transitions|comment))/);
  const label = (text: string) => `${text} [${storeLabel}]`;

  try {
    await api("POST", "/connectors", { name: "bench", flavour: "cloud", siteUrl: jira.url, credentials: { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } });
    await api("POST", "/projects", { key: "LOAD", name: "Load", fields: [] });
    await api("PUT", "/projects/LOAD/jira", { connector: "bench", jiraProjects: ["LOAD"], direction: "two-way", conflictPolicy: "jira-wins" });
    await api("PUT", "/projects/LOAD/mappings", { mappings: [{ tandemField: "title", jiraField: "summary", direction: "both", transform: { kind: "copy" } }, { tandemField: "status", jiraField: "status", direction: "pull", transform: { kind: "status" } }] });

    // Lower bound: page the same issues with no processing, and write the same number of rows.
    await stats();
    let started = performance.now();
    const client = new JiraClient({ flavour: "cloud", siteUrl: jira.url, credentials: { mode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" }, limiter: new ConnectorLimiter() });
    let paged = 0;
    for await (const page of client.searchPages("project = LOAD AND statusCategory != Done", { fields: ["summary", "status", "issuetype", "assignee", "parent"] })) paged += page.length;
    await tandem.store.db.run("CREATE TABLE bench_rows (id TEXT PRIMARY KEY, body TEXT NOT NULL)");
    await tandem.store.db.transaction(async (tx) => {
      for (let index = 0; index < paged; index++) await tx.run("INSERT INTO bench_rows (id, body) VALUES (?, ?)", [String(index), JSON.stringify({ title: `issue ${index}` })]);
    });
    const lowerBound = (performance.now() - started) / 1000;
    await stats();

    // Import every open issue as linked items, then the Pull that fills their fields.
    started = performance.now();
    const imported = await api("POST", "/projects/LOAD/import", {});
    const seconds = (performance.now() - started) / 1000;
    const importCalls = await stats();
    const searches = sum(importCalls, /search\/jql/);
    const bulk = sum(importCalls, /bulkfetch/);
    const pageSize = 100;
    record(label(`import of ${imported.created.length} issues`), `${Math.round(imported.created.length / seconds)} issues/s (${seconds.toFixed(1)} s)`);
    record(label("import: search calls"), `${searches}`, `≤ ceil(N/${pageSize}) + 2 = ${Math.ceil(imported.created.length / pageSize) + 2}: ${check(searches <= Math.ceil(imported.created.length / pageSize) + 2, "import made more search calls than its pages")}`);
    record(label("import: bulk reads for the Pull"), `${bulk}`, `≤ ceil(N/100) = ${Math.ceil(imported.created.length / 100)}: ${check(bulk <= Math.ceil(imported.created.length / 100), "the Pull after import read issue by issue")}`);
    record(label("import: ratio to the lower bound"), `${(seconds / lowerBound).toFixed(1)}× (lower bound ${lowerBound.toFixed(1)} s: paging + writing the same rows)`);
    record(label("import: failed items"), `${imported.run?.counts.failed ?? 0}`, `= 0: ${check((imported.run?.counts.failed ?? 0) === 0, "import failed items")}`);
    record(label("peak RSS"), `${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);

    // Catch-up: the first sets the cursor; with nothing changed the next is one search per scope and no writes.
    await api("POST", "/projects/LOAD/catch-up");
    await stats();
    const caught = await api("POST", "/projects/LOAD/catch-up");
    const catchUpCalls = await stats();
    const catchUpSearches = sum(catchUpCalls, /search\/jql/);
    record(label("catch-up, nothing changed: search calls"), `${catchUpSearches} (${caught.searchedIssues} issue(s) in the overlap)`, `= pages of the overlap (${Math.max(1, Math.ceil(caught.searchedIssues / pageSize))}): ${check(catchUpSearches === Math.max(1, Math.ceil(caught.searchedIssues / pageSize)), "catch-up searched more than one page per scope")}`);
    record(label("catch-up, nothing changed: writes"), `${writes(catchUpCalls)} to Jira, ${caught.newer} applied`, `= 0: ${check(writes(catchUpCalls) === 0 && caught.newer === 0, "catch-up with nothing changed wrote")}`);

    // Push with nothing changed: zero writes.
    await api("POST", "/projects/LOAD/push", {});
    const pushCalls = await stats();
    record(label("push of unchanged items: writes"), `${writes(pushCalls)}`, `= 0: ${check(writes(pushCalls) === 0, "a push of unchanged items wrote to Jira")}`);

    // Webhook intake: a burst of signed deliveries; receipt latency per request, and time until all are applied.
    const registration = await api("POST", "/connectors/bench/webhook");
    const events = quick ? 200 : 2000;
    const keys = [...jira.state.issues.values()].slice(-events).map((issue) => issue.key);
    const latencies: number[] = [];
    started = performance.now();
    await Promise.all(keys.map(async (key, index) => {
      const issue = jira.state.issueByIdOrKey(key)!;
      const body = JSON.stringify({ timestamp: Date.now(), webhookEvent: "jira:issue_updated", issue_event_type_name: "issue_updated", issue: { id: issue.id, key: issue.key, self: `${jira.url}/rest/api/2/issue/${issue.id}`, fields: { summary: issue.summary } } });
      const sent = performance.now();
      const response = await fetch(registration.url, { method: "POST", headers: { "Content-Type": "application/json", "X-Hub-Signature": signWebhookBody(registration.secret, body), "X-Atlassian-Webhook-Identifier": `bench-${index}` }, body });
      latencies.push(performance.now() - sent);
      await response.body?.cancel();
    }));
    const received = (performance.now() - started) / 1000;
    await tandem.processor.idle();
    const applied = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const quantile = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
    record(label(`webhook intake, ${events} deliveries`), `${Math.round(events / received)} events/s received; receipt p50 ${quantile(0.5)} ms, p99 ${quantile(0.99)} ms; all applied after ${applied.toFixed(1)} s`);
    const intakeCalls = await stats();
    // In bulk, not one call per event: a burst arriving over time is applied in a few batches.
    const intakeReads = sum(intakeCalls, /bulkfetch|\/issue\/:/);
    record(label("webhook burst: reads to apply it"), `${intakeReads}`, `≤ events/20 = ${Math.ceil(events / 20)}: ${check(intakeReads <= Math.ceil(events / 20), "webhook processing read issue by issue")}`);

    // A rate-limited Jira (10 requests/s): a bulk edit pushes one write per issue; every item still syncs.
    const limitedItems = quick ? 40 : 300;
    await fetch(`${jira.url}/_sandbox/limits`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ reset: true, rateLimit: { burstPerSecond: 10, burstCapacity: 10 } }) });
    await stats();
    const subset = (await tandem.store.projects.items((await tandem.store.projects.byId("LOAD"))!.id)).slice(0, limitedItems).map((item) => item.key);
    started = performance.now();
    const edited = await api("POST", "/projects/LOAD/bulk-edit", { items: subset, values: { title: "Renamed under a rate limit" } });
    const limitedSeconds = (performance.now() - started) / 1000;
    const limitedCalls = Object.values(await stats()).reduce((total, n) => total + n, 0);
    await fetch(`${jira.url}/_sandbox/limits`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ reset: true, rateLimit: null }) });
    const renamed = subset.length - edited.failed.length;
    record(label(`rate-limited Jira (10 req/s), bulk edit of ${subset.length} items`), `${limitedCalls} calls in ${limitedSeconds.toFixed(1)} s = ${(limitedCalls / limitedSeconds / 10 * 100).toFixed(0)}% of the allowed rate`);
    record(label("rate-limited: failed items"), `${edited.failed.length}`, `= 0: ${check(edited.failed.length === 0 && renamed === subset.length, `items failed under rate limiting: ${JSON.stringify(edited.failed.slice(0, 3))}`)}`);
  } finally {
    await tandem.close();
    await jira.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await bench("SQLite", undefined);
if (process.env.TANDEM_BENCH_DB) await bench("PostgreSQL", process.env.TANDEM_BENCH_DB);

const width = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
console.log(`\nTandem bench — ${issues} issues in the sandbox${quick ? " (quick)" : ""}\n`);
for (const [figure, value, bar] of rows) console.log(`${figure.padEnd(width[0]!)}  ${value.padEnd(width[1]!)}  ${bar}`);
if (failures.length) {
  console.log(`\nBROKEN count-based bars:\n- ${failures.join("\n- ")}`);
  process.exit(1);
}
console.log("\nAll count-based bars hold.");
