// Projects, their work items, links to Jira issues, mappings and per-link snapshots.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { ConflictPolicy, Mapping, ProjectDirection, TandemField } from "../engine/model.ts";
import { chunks, marks, tuples } from "./chunks.ts";
import type { SqlDatabase } from "./database.ts";

export interface Project {
  id: string;
  key: string;
  name: string;
  fields: TandemField[];
  connectorId: string | null;
  jiraProjects: string[];
  jqlScope: string;
  direction: ProjectDirection;
  conflictPolicy: ConflictPolicy;
  /** "service" = the connector's account; "user" = the identity of whoever runs the sync. */
  syncIdentity: "service" | "user";
  /** When catch-up runs (cron, in catchUpTimeZone); daily at 02:00 by default. */
  catchUpCron: string;
  catchUpTimeZone: string;
  /** Catch-up cursor: the newest `updated` applied, and the issues applied at exactly that instant. */
  cursor: { updated: number; issueIds: string[] } | null;
  lastCatchUpAt: number | null;
  /** "minimal": Tandem keeps only the issue ids of its links; issue data lives in an expiring cache. */
  retention: "full" | "minimal";
  /** How long fetched issue data is kept in minimal retention (24 h by default). */
  cacheTtlMs: number;
  /** Project-level (an Epic holding every item) and team-level (a team's items to a Jira project) sync. */
  jiraSync: JiraSyncConfig;
  /** Jira issue type name → Tandem level, overriding the default by Jira's hierarchy level. */
  hierarchy: Record<string, string>;
  createdAt: number;
}

export interface JiraSyncConfig {
  /** The project as an Epic in `jiraProject`; `creatingSince` is set while its creation may be under way. */
  epic?: { jiraProject: string; epicType: string; childType: string; epicIssueId: string | null; epicKey: string | null; creatingSince: number | null };
  /** Items whose `field` value names a team go to that team's Jira project. */
  team?: { field: string; teams: Record<string, string>; issueType: string };
}

export interface Item {
  id: string;
  projectId: string;
  key: string;
  values: Record<string, unknown>;
  version: number;
  updatedAt: number;
  /**
   * `jiraUpdated`: the `updated` time (epoch ms) of the issue's newest version Tandem has synced, when known; a
   * webhook payload newer than it can be applied without reading the issue again.
   */
  link: { jiraIssueId: string; jiraKey: string; jiraUpdated?: number | null } | null;
}

interface ProjectRow {
  id: string;
  key: string;
  name: string;
  fields: string;
  connector_id: string | null;
  jira_projects: string;
  jql_scope: string;
  direction: ProjectDirection;
  conflict_policy: ConflictPolicy;
  sync_identity: "service" | "user";
  catch_up_cron: string;
  catch_up_time_zone: string;
  cursor_updated: number | null;
  cursor_ids: string;
  last_catch_up_at: number | null;
  retention: "full" | "minimal";
  cache_ttl_ms: number;
  jira_sync: string;
  hierarchy: string;
  created_at: number;
}

interface ItemRow {
  id: string;
  project_id: string;
  key: string;
  values_json: string;
  version: number;
  updated_at: number;
  jira_issue_id: string | null;
  jira_key: string | null;
  jira_updated: number | null;
}

const toProject = (row: ProjectRow): Project => ({
  id: row.id,
  key: row.key,
  name: row.name,
  fields: JSON.parse(row.fields) as TandemField[],
  connectorId: row.connector_id,
  jiraProjects: JSON.parse(row.jira_projects) as string[],
  jqlScope: row.jql_scope,
  direction: row.direction,
  conflictPolicy: row.conflict_policy,
  syncIdentity: row.sync_identity,
  catchUpCron: row.catch_up_cron,
  catchUpTimeZone: row.catch_up_time_zone,
  cursor: row.cursor_updated === null ? null : { updated: Number(row.cursor_updated), issueIds: JSON.parse(row.cursor_ids) as string[] },
  lastCatchUpAt: row.last_catch_up_at === null ? null : Number(row.last_catch_up_at),
  retention: row.retention,
  cacheTtlMs: Number(row.cache_ttl_ms),
  jiraSync: JSON.parse(row.jira_sync) as JiraSyncConfig,
  hierarchy: JSON.parse(row.hierarchy) as Record<string, string>,
  createdAt: Number(row.created_at),
});

const toItem = (row: ItemRow): Item => ({
  id: row.id,
  projectId: row.project_id,
  key: row.key,
  values: JSON.parse(row.values_json) as Record<string, unknown>,
  version: Number(row.version),
  updatedAt: Number(row.updated_at),
  link: row.jira_issue_id ? { jiraIssueId: row.jira_issue_id, jiraKey: row.jira_key!, jiraUpdated: row.jira_updated === null || row.jira_updated === undefined ? null : Number(row.jira_updated) } : null,
});

const ITEM_SELECT = "SELECT items.*, links.jira_issue_id, links.jira_key, links.jira_updated FROM items LEFT JOIN links ON links.item_id = items.id";
/**
 * Linked items found from their Jira issue ids: the links come first (CROSS JOIN fixes that order in SQLite, whose
 * planner would otherwise walk the project's every item; PostgreSQL plans it freely).
 */
const LINKED_BY_ISSUE = "SELECT items.*, links.jira_issue_id, links.jira_key, links.jira_updated FROM links CROSS JOIN items";

export class ProjectRepository {
  private base: SqlDatabase;
  /** Inside inTransaction, every call of this repository uses that transaction (on PostgreSQL, its connection). */
  private scope = new AsyncLocalStorage<SqlDatabase>();
  constructor(db: SqlDatabase) {
    this.base = db;
  }

  private get db(): SqlDatabase {
    return this.scope.getStore() ?? this.base;
  }

  async create(input: { key: string; name: string; fields: TandemField[] }): Promise<Project> {
    const id = randomUUID();
    await this.db.run(
      "INSERT INTO projects (id, key, name, fields, connector_id, jira_projects, jql_scope, direction, conflict_policy, sync_identity, next_item_number, created_at) VALUES (?, ?, ?, ?, NULL, '[]', '', 'two-way', 'hold', 'service', 1, ?)",
      [id, input.key.toUpperCase(), input.name, JSON.stringify(input.fields), Date.now()],
    );
    return (await this.byId(id))!;
  }

  async list(): Promise<Project[]> {
    return (await this.db.all<ProjectRow>("SELECT * FROM projects ORDER BY key")).map(toProject);
  }

  async byId(id: string): Promise<Project | undefined> {
    const row = await this.db.get<ProjectRow>("SELECT * FROM projects WHERE id = ? OR key = ?", [id, id.toUpperCase()]);
    return row ? toProject(row) : undefined;
  }

  /** The Jira association; links and history stay whatever changes here. */
  async associate(id: string, input: { connectorId: string | null; jiraProjects: string[]; jqlScope: string; direction: ProjectDirection; conflictPolicy: ConflictPolicy; syncIdentity: "service" | "user" }): Promise<void> {
    await this.db.run("UPDATE projects SET connector_id = ?, jira_projects = ?, jql_scope = ?, direction = ?, conflict_policy = ?, sync_identity = ? WHERE id = ?", [
      input.connectorId, JSON.stringify(input.jiraProjects.map((key) => key.toUpperCase())), input.jqlScope, input.direction, input.conflictPolicy, input.syncIdentity, id,
    ]);
  }

  /** A removed connector's projects keep items, links and history, and lose their association. */
  async detachConnector(connectorId: string): Promise<number> {
    return (await this.db.run("UPDATE projects SET connector_id = NULL WHERE connector_id = ?", [connectorId])).changes;
  }

  async setCatchUpSchedule(id: string, cron: string, timeZone: string): Promise<void> {
    await this.db.run("UPDATE projects SET catch_up_cron = ?, catch_up_time_zone = ? WHERE id = ?", [cron, timeZone, id]);
  }

  /** Advanced only after the issues up to it are applied. */
  async setCursor(id: string, cursor: { updated: number; issueIds: string[] }): Promise<void> {
    await this.db.run("UPDATE projects SET cursor_updated = ?, cursor_ids = ?, last_catch_up_at = ? WHERE id = ?", [cursor.updated, JSON.stringify(cursor.issueIds), Date.now(), id]);
  }

  async setHierarchy(id: string, levels: Record<string, string>): Promise<void> {
    await this.db.run("UPDATE projects SET hierarchy = ? WHERE id = ?", [JSON.stringify(levels), id]);
  }

  async setJiraSync(id: string, config: JiraSyncConfig): Promise<void> {
    await this.db.run("UPDATE projects SET jira_sync = ? WHERE id = ?", [JSON.stringify(config), id]);
  }

  /**
   * Minimal retention keeps only issue ids: linked items lose the issue data copied into them (values, snapshots,
   * and the key, replaced by the id), in one transaction. Unlinked items are Tandem's own and keep theirs.
   */
  async setRetention(id: string, retention: Project["retention"], cacheTtlMs: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run("UPDATE projects SET retention = ?, cache_ttl_ms = ? WHERE id = ?", [retention, cacheTtlMs, id]);
      if (retention !== "minimal") return;
      const linked = "SELECT items.id FROM items JOIN links ON links.item_id = items.id WHERE items.project_id = ?";
      await tx.run(`DELETE FROM snapshots WHERE item_id IN (${linked})`, [id]);
      await tx.run(`UPDATE items SET values_json = '{}', version = version + 1, updated_at = ? WHERE id IN (${linked})`, [Date.now(), id]);
      await tx.run("UPDATE links SET jira_key = jira_issue_id WHERE item_id IN (SELECT id FROM items WHERE project_id = ?)", [id]);
    });
  }

  async setFields(id: string, fields: TandemField[]): Promise<void> {
    await this.db.run("UPDATE projects SET fields = ? WHERE id = ?", [JSON.stringify(fields), id]);
  }

  // ---- items ----

  async addItem(projectId: string, values: Record<string, unknown>): Promise<Item> {
    return this.db.transaction(async (tx) => {
      const project = (await tx.get<{ key: string; next_item_number: number }>("SELECT key, next_item_number FROM projects WHERE id = ?", [projectId]))!;
      const id = randomUUID();
      const now = Date.now();
      await tx.run("UPDATE projects SET next_item_number = next_item_number + 1 WHERE id = ?", [projectId]);
      await tx.run("INSERT INTO items (id, project_id, key, values_json, version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)", [id, projectId, `${project.key}-${project.next_item_number}`, JSON.stringify(values), now, now]);
      return (await this.item(id, tx))!;
    });
  }

  async item(idOrKey: string, db: SqlDatabase = this.db): Promise<Item | undefined> {
    const row = await db.get<ItemRow>(`${ITEM_SELECT} WHERE items.id = ? OR items.key = ?`, [idOrKey, idOrKey.toUpperCase()]);
    return row ? toItem(row) : undefined;
  }

  async items(projectId: string): Promise<Item[]> {
    // Items stored together (an import's page) share their time: their number orders them (REL-9 before REL-10).
    return (await this.db.all<ItemRow>(`${ITEM_SELECT} WHERE items.project_id = ? ORDER BY items.created_at, LENGTH(items.key), items.key`, [projectId])).map(toItem);
  }

  /**
   * The project's linked items, a page at a time in creation order (keyset paging), so a run over 100,000 items
   * holds one page in memory, not the project.
   */
  async *linkedItemPages(projectId: string, pageSize = 100): AsyncGenerator<Item[]> {
    let after: { createdAt: number; id: string } | null = null;
    for (;;) {
      const rows: (ItemRow & { created_at: number })[] = await this.db.all<ItemRow & { created_at: number }>(
        // A row-value comparison, so both stores walk the (project, created_at, id) index from where the page ended.
        `SELECT items.*, links.jira_issue_id, links.jira_key, links.jira_updated FROM items JOIN links ON links.item_id = items.id WHERE items.project_id = ?${after ? " AND (items.created_at, items.id) > (?, ?)" : ""} ORDER BY items.created_at, items.id LIMIT ?`,
        after ? [projectId, after.createdAt, after.id, pageSize] : [projectId, pageSize],
      );
      if (rows.length === 0) return;
      yield rows.map(toItem);
      if (rows.length < pageSize) return;
      const last = rows.at(-1)!;
      after = { createdAt: Number(last.created_at), id: last.id };
    }
  }

  /** Items of a project by id or key, in creation order, whatever their number (chunked under parameter limits). */
  async itemsByRefs(projectId: string, refs: string[]): Promise<Item[]> {
    const found = new Map<string, ItemRow & { created_at: number }>();
    for (const chunk of chunks([...new Set(refs)], 400)) {
      // Ids are lower-case UUIDs and keys upper-case; one index lookup each. The project is checked here, not in
      // SQL: next to a long IN list, SQLite would rather walk the project's every item.
      for (const [column, values] of [["id", chunk.map((ref) => ref.toLowerCase())], ["key", chunk.map((ref) => ref.toUpperCase())]] as const) {
        const rows = await this.db.all<ItemRow & { created_at: number }>(`${ITEM_SELECT} WHERE items.${column} IN (${marks(values.length)})`, values);
        for (const row of rows) if (row.project_id === projectId) found.set(row.id, row);
      }
    }
    // The order of items(): creation, then number (REL-9 before REL-10).
    return [...found.values()].sort((a, b) => Number(a.created_at) - Number(b.created_at) || a.key.length - b.key.length || a.key.localeCompare(b.key)).map(toItem);
  }

  /**
   * Reserves the next item numbers of a project (an import names a page's new items before storing them). A
   * reservation whose items are never stored leaves a gap in the numbers, nothing else.
   */
  async reserveItemKeys(projectId: string, count: number): Promise<string[]> {
    if (count === 0) return [];
    // One statement, so one round trip: the row's lock makes concurrent reservations take turns.
    const project = (await this.db.get<{ key: string; first: number }>("UPDATE projects SET next_item_number = next_item_number + ? WHERE id = ? RETURNING key, next_item_number - ? AS first", [count, projectId, count]))!;
    return Array.from({ length: count }, (_, index) => `${project.key}-${Number(project.first) + index}`);
  }

  /**
   * New linked items (ids and keys chosen by the caller) with their values and snapshots: one multi-row insert per
   * hundred for items, links and snapshots, instead of several statements per item.
   */
  async insertLinkedItems(entries: { item: Item; snapshots?: Map<string, unknown> }[]): Promise<void> {
    const now = Date.now();
    for (const chunk of chunks(entries, 100)) {
      await this.db.run(`INSERT INTO items (id, project_id, key, values_json, version, created_at, updated_at) VALUES ${tuples(chunk.length, 7)}`,
        chunk.flatMap(({ item }) => [item.id, item.projectId, item.key, JSON.stringify(item.values), item.version, now, now]));
      await this.db.run(`INSERT INTO links (item_id, jira_issue_id, jira_key, linked_at, jira_updated) VALUES ${tuples(chunk.length, 5)}`,
        chunk.flatMap(({ item }) => [item.id, item.link!.jiraIssueId, item.link!.jiraKey, now, item.link!.jiraUpdated ?? null]));
      await this.upsertSnapshots(chunk.flatMap(({ item, snapshots }) => [...(snapshots ?? [])].map(([mappingId, value]) => ({ itemId: item.id, mappingId, value }))), now);
    }
  }

  /** Snapshots written in multi-row statements (new ones inserted, existing ones replaced). */
  private async upsertSnapshots(rows: { itemId: string; mappingId: string; value: unknown }[], now: number, db: SqlDatabase = this.db): Promise<void> {
    for (const chunk of chunks(rows, 200)) {
      await db.run(`INSERT INTO snapshots (item_id, mapping_id, value_json, synced_at) VALUES ${tuples(chunk.length, 4)} ON CONFLICT (item_id, mapping_id) DO UPDATE SET value_json = excluded.value_json, synced_at = excluded.synced_at`,
        chunk.flatMap((row) => [row.itemId, row.mappingId, JSON.stringify(row.value ?? null), now]));
    }
  }

  /** A new linked item as it will be stored (not yet stored): the import's page is synced before it is written. */
  newLinkedItem(projectId: string, key: string, values: Record<string, unknown>, link: NonNullable<Item["link"]>): Item {
    return { id: randomUUID(), projectId, key, values, version: 1, updatedAt: Date.now(), link };
  }

  /** Optimistic update: fails (returns false) when someone changed the item since `version`. */
  async updateItem(id: string, values: Record<string, unknown>, version: number, db: SqlDatabase = this.db): Promise<boolean> {
    return (await db.run("UPDATE items SET values_json = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?", [JSON.stringify(values), Date.now(), id, version])).changes === 1;
  }

  /** Removes the item, its link and snapshots (never anything in Jira). */
  async deleteItem(itemId: string): Promise<void> {
    await this.db.run("DELETE FROM items WHERE id = ?", [itemId]);
  }

  async link(itemId: string, jiraIssueId: string, jiraKey: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run("DELETE FROM snapshots WHERE item_id = ?", [itemId]);
      await tx.run("INSERT INTO links (item_id, jira_issue_id, jira_key, linked_at) VALUES (?, ?, ?, ?) ON CONFLICT (item_id) DO UPDATE SET jira_issue_id = excluded.jira_issue_id, jira_key = excluded.jira_key, linked_at = excluded.linked_at, jira_updated = NULL", [itemId, jiraIssueId, jiraKey, Date.now()]);
      // A severed item linked again is no longer marked as having lost its issue.
      const row = await tx.get<{ values_json: string }>("SELECT values_json FROM items WHERE id = ?", [itemId]);
      const values = row ? (JSON.parse(row.values_json) as Record<string, unknown>) : {};
      if ("jiraDeleted" in values) {
        delete values.jiraDeleted;
        await tx.run("UPDATE items SET values_json = ?, version = version + 1, updated_at = ? WHERE id = ?", [JSON.stringify(values), Date.now(), itemId]);
      }
    });
  }

  async unlink(itemId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.run("DELETE FROM snapshots WHERE item_id = ?", [itemId]);
      return (await tx.run("DELETE FROM links WHERE item_id = ?", [itemId])).changes > 0;
    });
  }

  /**
   * A page of synced items stored at once, each only if nobody edited it meanwhile (its version is still the one
   * read): changed values in one version-checked UPDATE per hundred, the others' versions checked in one read,
   * snapshots written only where they differ from the ones read before the sync, and current Jira keys. Answers the
   * ids stored. A few statements per page instead of several per item (on PostgreSQL, each is a round trip).
   */
  async commitSynced(entries: { item: Item; values: Record<string, unknown>; snapshots: Map<string, unknown>; previous: Map<string, unknown>; jiraKey: string; jiraUpdated: number | null }[]): Promise<Set<string>> {
    const committed = new Set<string>();
    if (entries.length === 0) return committed;
    await this.db.transaction(async (tx) => {
      const now = Date.now();
      const changed: typeof entries = [];
      const unchanged: typeof entries = [];
      for (const entry of entries) (JSON.stringify(entry.values) !== JSON.stringify(entry.item.values) ? changed : unchanged).push(entry);
      for (const chunk of chunks(changed, 100)) {
        const rows = await tx.all<{ id: string }>(
          `WITH synced (id, values_json, version) AS (VALUES ${chunk.map(() => "(?, ?, CAST(? AS INTEGER))").join(", ")}) UPDATE items SET values_json = synced.values_json, version = items.version + 1, updated_at = ? FROM synced WHERE items.id = synced.id AND items.version = synced.version RETURNING items.id`,
          [...chunk.flatMap((entry) => [entry.item.id, JSON.stringify(entry.values), entry.item.version]), now],
        );
        for (const row of rows) committed.add(row.id);
      }
      for (const chunk of chunks(unchanged, 500)) {
        const rows = await tx.all<{ id: string; version: number }>(`SELECT id, version FROM items WHERE id IN (${marks(chunk.length)})`, chunk.map((entry) => entry.item.id));
        const versions = new Map(rows.map((row) => [row.id, Number(row.version)]));
        for (const entry of chunk) if (versions.get(entry.item.id) === entry.item.version) committed.add(entry.item.id);
      }
      const stored = entries.filter((entry) => committed.has(entry.item.id));
      const differ = (entry: (typeof entries)[number], mappingId: string, value: unknown) => !entry.previous.has(mappingId) || JSON.stringify(entry.previous.get(mappingId) ?? null) !== JSON.stringify(value ?? null);
      await this.upsertSnapshots(stored.flatMap((entry) => [...entry.snapshots].filter(([mappingId, value]) => differ(entry, mappingId, value)).map(([mappingId, value]) => ({ itemId: entry.item.id, mappingId, value }))), now, tx);
      // The link follows the issue's key, and the newest Jira version synced (never an older one: runs may overlap).
      const moved = stored.filter((entry) => entry.item.link && (entry.item.link.jiraKey !== entry.jiraKey || (entry.jiraUpdated !== null && entry.jiraUpdated > (entry.item.link.jiraUpdated ?? -1))));
      for (const chunk of chunks(moved, 100)) {
        await tx.run(
          `WITH seen (item_id, jira_key, jira_updated) AS (VALUES ${chunk.map(() => "(?, ?, CAST(? AS BIGINT))").join(", ")}) UPDATE links SET jira_key = seen.jira_key, jira_updated = CASE WHEN links.jira_updated IS NULL OR links.jira_updated < seen.jira_updated THEN seen.jira_updated ELSE links.jira_updated END FROM seen WHERE links.item_id = seen.item_id`,
          chunk.flatMap((entry) => [entry.item.id, entry.jiraKey, entry.jiraUpdated]),
        );
      }
    });
    return committed;
  }

  /**
   * After a large import: the planner's statistics catch up with the rows just written (PostgreSQL would otherwise
   * plan a run's pages for a few rows until autovacuum comes by, and sort thousands per page).
   */
  async refreshStatistics(): Promise<void> {
    if (this.db.dialect === "postgres") for (const table of ["items", "links", "snapshots", "run_items"]) await this.db.run(`ANALYZE ${table}`);
    else await this.db.run("PRAGMA optimize");
  }

  /** Runs many repository calls as one transaction (on SQLite, a page of imports is one write instead of hundreds). */
  inTransaction<T>(work: () => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => this.scope.run(tx, work));
  }

  // ---- creating issues ----

  /** Written before asking Jira to create, so a retry knows an issue may already exist. */
  async creationIntent(itemId: string): Promise<{ jiraProject: string; startedAt: number } | undefined> {
    const row = await this.db.get<{ jira_project: string; started_at: number }>("SELECT * FROM creation_intents WHERE item_id = ?", [itemId]);
    return row ? { jiraProject: row.jira_project, startedAt: Number(row.started_at) } : undefined;
  }

  async recordCreationIntent(itemId: string, jiraProject: string): Promise<void> {
    await this.db.run("INSERT INTO creation_intents (item_id, jira_project, started_at) VALUES (?, ?, ?) ON CONFLICT (item_id) DO NOTHING", [itemId, jiraProject, Date.now()]);
  }

  async clearCreationIntent(itemId: string): Promise<void> {
    await this.db.run("DELETE FROM creation_intents WHERE item_id = ?", [itemId]);
  }

  /** The items linked to any of these Jira issues in this project, by issue id: one query for a page of issues. */
  async itemsByIssueIds(projectId: string, jiraIssueIds: string[]): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    // Chunks keep the statement under SQLite's and PostgreSQL's parameter limits.
    for (const chunk of chunks(jiraIssueIds, 500)) {
      const rows = await this.db.all<ItemRow>(`${LINKED_BY_ISSUE} WHERE links.jira_issue_id IN (${marks(chunk.length)}) AND items.id = links.item_id AND items.project_id = ?`, [...chunk, projectId]);
      for (const row of rows) found.set(row.jira_issue_id!, toItem(row));
    }
    return found;
  }

  // ---- mappings and snapshots ----

  async mappings(projectId: string): Promise<Mapping[]> {
    const rows = await this.db.all<{ id: string; tandem_field: string; jira_field: string; direction: Mapping["direction"]; transform: string }>("SELECT * FROM mappings WHERE project_id = ? ORDER BY position", [projectId]);
    return rows.map((row) => ({ id: row.id, tandemField: row.tandem_field, jiraField: row.jira_field, direction: row.direction, transform: JSON.parse(row.transform) }));
  }

  async replaceMappings(projectId: string, mappings: Omit<Mapping, "id">[]): Promise<Mapping[]> {
    await this.db.transaction(async (tx) => {
      await tx.run("DELETE FROM mappings WHERE project_id = ?", [projectId]);
      for (const [position, mapping] of mappings.entries()) {
        await tx.run("INSERT INTO mappings (id, project_id, tandem_field, jira_field, direction, transform, position) VALUES (?, ?, ?, ?, ?, ?, ?)", [randomUUID(), projectId, mapping.tandemField, mapping.jiraField, mapping.direction, JSON.stringify(mapping.transform), position]);
      }
    });
    return this.mappings(projectId);
  }

  /** The last synced value of each mapping for these items only (a page of a run). */
  async snapshotsOfItems(itemIds: string[]): Promise<Map<string, Map<string, unknown>>> {
    const byItem = new Map<string, Map<string, unknown>>();
    for (const chunk of chunks(itemIds, 500)) {
      const rows = await this.db.all<{ item_id: string; mapping_id: string; value_json: string }>(`SELECT item_id, mapping_id, value_json FROM snapshots WHERE item_id IN (${marks(chunk.length)})`, chunk);
      for (const row of rows) {
        if (!byItem.has(row.item_id)) byItem.set(row.item_id, new Map());
        byItem.get(row.item_id)!.set(row.mapping_id, JSON.parse(row.value_json));
      }
    }
    return byItem;
  }

  async saveSnapshot(itemId: string, mappingId: string, value: unknown, db: SqlDatabase = this.db): Promise<void> {
    await db.run("INSERT INTO snapshots (item_id, mapping_id, value_json, synced_at) VALUES (?, ?, ?, ?) ON CONFLICT (item_id, mapping_id) DO UPDATE SET value_json = excluded.value_json, synced_at = excluded.synced_at", [itemId, mappingId, JSON.stringify(value ?? null), Date.now()]);
  }
}
