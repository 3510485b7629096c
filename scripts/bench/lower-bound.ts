// The import's lower bound, measured in the same run: page the same issues (the import's JQL and fields) with no
// processing, and write the same rows an import writes for each issue — its item, its link, one snapshot per
// mapping and its line in the run's history — into scratch tables shaped and indexed like Tandem's, one
// transaction per page with multi-row inserts. What the import takes beyond this is Tandem's own work.
import { randomUUID } from "node:crypto";
import type { JiraClient } from "../../src/jira/client.ts";
import type { SqlDatabase } from "../../src/store/database.ts";

const TABLES = [
  "CREATE TABLE bench_items (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, key TEXT NOT NULL UNIQUE, values_json TEXT NOT NULL, version INTEGER NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
  "CREATE INDEX bench_items_project ON bench_items (project_id, created_at)",
  "CREATE TABLE bench_links (item_id TEXT PRIMARY KEY, jira_issue_id TEXT NOT NULL, jira_key TEXT NOT NULL, linked_at BIGINT NOT NULL)",
  "CREATE INDEX bench_links_issue ON bench_links (jira_issue_id)",
  "CREATE TABLE bench_snapshots (item_id TEXT NOT NULL, mapping_id TEXT NOT NULL, value_json TEXT NOT NULL, synced_at BIGINT NOT NULL, PRIMARY KEY (item_id, mapping_id))",
  "CREATE TABLE bench_run_items (run_id TEXT NOT NULL, item_id TEXT NOT NULL, item_key TEXT NOT NULL, jira_key TEXT, outcome TEXT NOT NULL, changes TEXT NOT NULL, messages TEXT NOT NULL, PRIMARY KEY (run_id, item_id))",
];

const insert = (db: SqlDatabase, table: string, rows: (string | number)[][]) =>
  rows.length ? db.run(`INSERT INTO ${table} VALUES ${rows.map((row) => `(${row.map(() => "?").join(", ")})`).join(", ")}`, rows.flat()) : Promise.resolve();

export async function importLowerBound(db: SqlDatabase, jira: JiraClient, jql: string, fields: string[], mappings: number): Promise<{ seconds: number; issues: number }> {
  for (const statement of TABLES) await db.run(statement);
  const started = performance.now();
  const runId = randomUUID();
  let issues = 0;
  try {
    for await (const page of jira.searchPages(jql, { fields })) {
      const now = Date.now();
      const rows = page.map((issue, index) => {
        const id = randomUUID();
        const status = (issue.fields?.status as { name?: string } | undefined)?.name ?? null;
        const values = { title: issue.fields?.summary ?? null, status, type: (issue.fields?.issuetype as { name?: string } | undefined)?.name ?? null };
        return {
          item: [id, "bench", `BENCH-${issues + index + 1}`, JSON.stringify(values), 2, now, now],
          link: [id, issue.id, issue.key, now],
          snapshots: Array.from({ length: mappings }, (_, mapping) => [id, `mapping-${mapping}`, JSON.stringify(mapping === 0 ? values.title : status), now]),
          runItem: [runId, id, `BENCH-${issues + index + 1}`, issue.key, "changed", JSON.stringify([{ field: "title", side: "tandem", before: issue.key, after: values.title }, { field: "status", side: "tandem", before: "Not Started", after: status }]), "[]"],
        };
      });
      await db.transaction(async (tx) => {
        await insert(tx, "bench_items", rows.map((row) => row.item as (string | number)[]));
        await insert(tx, "bench_links", rows.map((row) => row.link as (string | number)[]));
        await insert(tx, "bench_snapshots", rows.flatMap((row) => row.snapshots as (string | number)[][]));
        await insert(tx, "bench_run_items", rows.map((row) => row.runItem as (string | number)[]));
      });
      issues += page.length;
    }
    return { seconds: (performance.now() - started) / 1000, issues };
  } finally {
    for (const table of ["bench_run_items", "bench_snapshots", "bench_links", "bench_items"]) await db.run(`DROP TABLE ${table}`);
  }
}
