// The history of syncs: runs (who, whose Jira identity, when, direction, counts) and per-item results with each
// field's before → after, warnings and errors; and conflicts held for a person.
import { randomUUID } from "node:crypto";
import { chunks, tuples } from "./chunks.ts";
import type { SqlDatabase } from "./database.ts";

export type RunKind = "pull" | "push" | "sync";
export type ItemOutcome = "changed" | "unchanged" | "warning" | "failed" | "conflict";

export interface FieldChange {
  field: string;
  side: "tandem" | "jira";
  before: unknown;
  after: unknown;
}

export interface RunItem {
  itemId: string;
  itemKey: string;
  jiraKey: string | null;
  outcome: ItemOutcome;
  changes: FieldChange[];
  messages: string[];
}

export interface Run {
  id: string;
  projectId: string;
  kind: RunKind;
  dryRun: boolean;
  userId: string;
  /** Whose Jira identity ran it: "service account <email>" or "<user email>'s own". */
  identity: string;
  status: "running" | "succeeded" | "partial" | "failed";
  counts: Record<ItemOutcome, number>;
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
}

interface RunRow {
  id: string;
  project_id: string;
  kind: RunKind;
  dry_run: number;
  user_id: string;
  identity: string;
  status: Run["status"];
  counts: string;
  error: string | null;
  started_at: number;
  finished_at: number | null;
}

const toRun = (row: RunRow): Run => ({
  id: row.id,
  projectId: row.project_id,
  kind: row.kind,
  dryRun: Number(row.dry_run) === 1,
  userId: row.user_id,
  identity: row.identity,
  status: row.status,
  counts: JSON.parse(row.counts),
  error: row.error,
  startedAt: Number(row.started_at),
  finishedAt: row.finished_at === null ? null : Number(row.finished_at),
});

export const EMPTY_COUNTS: Record<ItemOutcome, number> = { changed: 0, unchanged: 0, warning: 0, failed: 0, conflict: 0 };

/** Told about every finished run (the live event feed listens). */
export type RunListener = (run: Run) => void;

export class RunRepository {
  private db: SqlDatabase;
  private listeners = new Set<RunListener>();
  constructor(db: SqlDatabase) {
    this.db = db;
  }

  onFinished(listener: RunListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(input: { projectId: string; kind: RunKind; dryRun: boolean; userId: string; identity: string }): Promise<Run> {
    const id = randomUUID();
    await this.db.run("INSERT INTO runs (id, project_id, kind, dry_run, user_id, identity, status, counts, error, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, 'running', ?, NULL, ?, NULL)", [
      id, input.projectId, input.kind, input.dryRun ? 1 : 0, input.userId, input.identity, JSON.stringify(EMPTY_COUNTS), Date.now(),
    ]);
    return (await this.byId(id))!;
  }

  async addItem(runId: string, item: RunItem, db: SqlDatabase = this.db): Promise<void> {
    await db.run("INSERT INTO run_items (run_id, item_id, item_key, jira_key, outcome, changes, messages) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, item_id) DO UPDATE SET outcome = excluded.outcome, changes = excluded.changes, messages = excluded.messages", [
      runId, item.itemId, item.itemKey, item.jiraKey, item.outcome, JSON.stringify(item.changes), JSON.stringify(item.messages),
    ]);
  }

  /** A page of a run's item lines in one statement per hundred (each item appears once in a page). */
  async addItems(runId: string, items: RunItem[]): Promise<void> {
    for (const chunk of chunks(items, 100)) {
      await this.db.run(
        `INSERT INTO run_items (run_id, item_id, item_key, jira_key, outcome, changes, messages) VALUES ${tuples(chunk.length, 7)} ON CONFLICT (run_id, item_id) DO UPDATE SET outcome = excluded.outcome, changes = excluded.changes, messages = excluded.messages`,
        chunk.flatMap((item) => [runId, item.itemId, item.itemKey, item.jiraKey, item.outcome, JSON.stringify(item.changes), JSON.stringify(item.messages)]),
      );
    }
  }

  async finish(runId: string, counts: Record<ItemOutcome, number>, error: string | null): Promise<Run> {
    const status: Run["status"] = error ? "failed" : counts.failed > 0 || counts.warning > 0 || counts.conflict > 0 ? "partial" : "succeeded";
    await this.db.run("UPDATE runs SET status = ?, counts = ?, error = ?, finished_at = ? WHERE id = ?", [status, JSON.stringify(counts), error, Date.now(), runId]);
    const run = (await this.byId(runId))!;
    for (const listener of this.listeners) listener(run);
    return run;
  }

  async byId(id: string): Promise<Run | undefined> {
    const row = await this.db.get<RunRow>("SELECT * FROM runs WHERE id = ?", [id]);
    return row ? toRun(row) : undefined;
  }

  async items(runId: string, outcome?: ItemOutcome): Promise<RunItem[]> {
    const rows = await this.db.all<{ item_id: string; item_key: string; jira_key: string | null; outcome: ItemOutcome; changes: string; messages: string }>(
      `SELECT * FROM run_items WHERE run_id = ?${outcome ? " AND outcome = ?" : ""} ORDER BY item_key`,
      outcome ? [runId, outcome] : [runId],
    );
    return rows.map((row) => ({ itemId: row.item_id, itemKey: row.item_key, jiraKey: row.jira_key, outcome: row.outcome, changes: JSON.parse(row.changes), messages: JSON.parse(row.messages) }));
  }

  async list(projectId: string, options: { kind?: RunKind; limit?: number; realOnly?: boolean } = {}): Promise<Run[]> {
    const rows = await this.db.all<RunRow>(`SELECT * FROM runs WHERE project_id = ?${options.kind ? " AND kind = ?" : ""}${options.realOnly ? " AND dry_run = 0" : ""} ORDER BY started_at DESC LIMIT ?`, [
      projectId, ...(options.kind ? [options.kind] : []), options.limit ?? 50,
    ]);
    return rows.map(toRun);
  }

  /** The history of one item across runs. */
  /** An item's lines in every run, newest first, with what the run was (a dry run, and who or what started it). */
  async forItem(itemId: string): Promise<(RunItem & { runId: string; kind: RunKind; startedAt: number; dryRun: boolean; identity: string })[]> {
    const rows = await this.db.all<{ run_id: string; kind: RunKind; started_at: number; dry_run: number; identity: string; item_id: string; item_key: string; jira_key: string | null; outcome: ItemOutcome; changes: string; messages: string }>(
      "SELECT run_items.*, runs.kind, runs.started_at, runs.dry_run, runs.identity FROM run_items JOIN runs ON runs.id = run_items.run_id WHERE run_items.item_id = ? ORDER BY runs.started_at DESC",
      [itemId],
    );
    return rows.map((row) => ({ runId: row.run_id, kind: row.kind, startedAt: Number(row.started_at), dryRun: Boolean(Number(row.dry_run)), identity: row.identity, itemId: row.item_id, itemKey: row.item_key, jiraKey: row.jira_key, outcome: row.outcome, changes: JSON.parse(row.changes), messages: JSON.parse(row.messages) }));
  }

  // ---- conflicts ----

  async addConflict(input: { projectId: string; itemId: string; mappingId: string; tandem: unknown; jira: unknown }, db: SqlDatabase = this.db): Promise<void> {
    await db.run("DELETE FROM conflicts WHERE item_id = ? AND mapping_id = ? AND status = 'open'", [input.itemId, input.mappingId]);
    await db.run("INSERT INTO conflicts (id, project_id, item_id, mapping_id, tandem_value, jira_value, status, created_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, NULL)", [
      randomUUID(), input.projectId, input.itemId, input.mappingId, JSON.stringify(input.tandem ?? null), JSON.stringify(input.jira ?? null), Date.now(),
    ]);
  }

  async openConflicts(projectId: string): Promise<{ id: string; itemId: string; mappingId: string; tandem: unknown; jira: unknown; createdAt: number }[]> {
    const rows = await this.db.all<{ id: string; item_id: string; mapping_id: string; tandem_value: string; jira_value: string; created_at: number }>("SELECT * FROM conflicts WHERE project_id = ? AND status = 'open' ORDER BY created_at", [projectId]);
    return rows.map((row) => ({ id: row.id, itemId: row.item_id, mappingId: row.mapping_id, tandem: JSON.parse(row.tandem_value), jira: JSON.parse(row.jira_value), createdAt: Number(row.created_at) }));
  }

  async resolveConflict(id: string): Promise<{ itemId: string; mappingId: string; tandem: unknown; jira: unknown } | undefined> {
    const row = await this.db.get<{ item_id: string; mapping_id: string; tandem_value: string; jira_value: string }>("SELECT * FROM conflicts WHERE id = ? AND status = 'open'", [id]);
    if (!row) return undefined;
    await this.db.run("UPDATE conflicts SET status = 'resolved', resolved_at = ? WHERE id = ?", [Date.now(), id]);
    return { itemId: row.item_id, mappingId: row.mapping_id, tandem: JSON.parse(row.tandem_value), jira: JSON.parse(row.jira_value) };
  }
}
