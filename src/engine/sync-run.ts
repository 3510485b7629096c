// One Pull, Push or two-way sync of a project: read the linked issues in bulk, compute per-field differences
// against the snapshots, write only what changed (Jira first, then the item atomically in the store), and record
// every item's outcome. A failing item never stops the others; an expired authorization stops the run.
import type { JiraClient } from "../jira/client.ts";
import { JiraAuthorizationExpiredError, JiraError, JiraValidationError } from "../jira/errors.ts";
import type { JiraField, JiraIssue } from "../jira/types.ts";
import { normalizeMarkdown } from "../jira/rich-text.ts";
import { jiraTime } from "../jira/time.ts";
import type { Item, Project, ProjectRepository } from "../store/projects.ts";
import { EMPTY_COUNTS, type FieldChange, type ItemOutcome, type Run, type RunItem, type RunKind, type RunRepository } from "../store/runs.ts";
import { mergeField, sameValue } from "./merge.ts";
import type { Mapping } from "./model.ts";
import { walkToStatus } from "./status-push.ts";
import { allowedValuesOf, buildBulkEdit } from "../jira/bulk-edit.ts";
import { severDeletedLink } from "../crossing/sever.ts";
import { splitIdentity } from "../connectors/run-identity.ts";
import { comparesAsWritten, fromJira, statusTarget, toJira, type TransformContext } from "./transforms.ts";

export interface SyncDeps {
  projects: ProjectRepository;
  runs: RunRepository;
  jira: JiraClient;
  /** Site settings the transforms need. */
  hoursPerDay: number;
  itemUrl: (item: Item) => string;
  today: string;
  /** Manual people overrides of the connector: Jira user → email. */
  personOverrides?: Map<string, string>;
  /**
   * The connector's own (service) identity, read-only: an issue the acting identity cannot read is checked with it,
   * so a lost permission (still there for the service) is told apart from a deletion (gone for it too).
   */
  serviceJira?: JiraClient;
  /** The site's fields with their types (the connector's metadata cache); asked only when a bulk edit needs them. */
  siteFields?: () => Promise<JiraField[]>;
}

export interface SyncRequest {
  project: Project;
  kind: RunKind;
  dryRun: boolean;
  userId: string;
  identity: string;
  /** Only these items (ids or keys); all linked items when absent. */
  itemRefs?: string[];
  /** Issues already read (by id) with the mapped fields, e.g. by a catch-up search: not read again. */
  prefetched?: Map<string, JiraIssue>;
  /**
   * Issues as webhooks delivered them (by id) that can stand for a read under the run's mappings, which the run
   * passes in once it has read them (see realtime/payload-issues.ts). One is used only when it is newer than the
   * version its item last synced, so a late or reordered delivery never rolls anything back; any other issue is read.
   */
  payloads?: (mappings: Mapping[]) => Map<string, JiraIssue>;
}

/** The issue's `updated` time (epoch ms), or null when it has none Tandem can read. */
function updatedOf(issue: JiraIssue): number | null {
  const updated = issue.fields?.updated;
  const at = typeof updated === "string" ? jiraTime(updated) : Number.NaN;
  return Number.isFinite(at) ? at : null;
}

/** A delivered issue stands for a read only when it is strictly newer than what the item last synced. */
function newerThanSynced(item: Item, issue: JiraIssue | undefined): issue is JiraIssue {
  const synced = item.link?.jiraUpdated;
  const updated = issue ? updatedOf(issue) : null;
  return synced !== null && synced !== undefined && updated !== null && updated > synced;
}

/** Which mappings take part, and which way, for a run kind under the project's direction. */
function plannedDirections(mapping: Mapping, kind: RunKind, project: Project): { pull: boolean; push: boolean; merge: boolean } {
  const pullAllowed = project.direction !== "push" && (mapping.direction === "pull" || mapping.direction === "both");
  const pushAllowed = project.direction !== "pull" && (mapping.direction === "push" || mapping.direction === "both");
  if (kind === "pull") return { pull: pullAllowed, push: false, merge: false };
  if (kind === "push") return { pull: false, push: pushAllowed, merge: false };
  const merge = pullAllowed && pushAllowed && mapping.direction === "both";
  return { pull: pullAllowed && !merge, push: pushAllowed && !merge, merge };
}

/** The Jira fields a project's mappings read (catch-up asks its search for exactly these). */
export function mappedJiraFields(mappings: Mapping[]): string[] {
  return [...new Set(["status", "updated", ...mappings.map((mapping) => mapping.jiraField)])];
}

/** A Jira user a push writes into a people field; null for an email Jira does not know. */
type JiraUserRef = { accountId: string } | { name: string };

/** Items a run reads and writes at a time: Jira's bulk read maximum, so one call per page. */
export const RUN_PAGE_SIZE = 100;

/**
 * One run over pages of items: `openSync` starts it (the run's history row, the mappings); `prepare` does a page's
 * reading and Jira writes (one bulk read of what was not prefetched, that page's snapshots, then each item) and
 * stores nothing of it yet; `commit` stores the page (each item's values, snapshots and key, and its history line),
 * joining the caller's transaction; `syncItems` is both, in a transaction of its own; `finish` closes the run.
 * Memory holds one page, so a run over 100,000 items is as flat as one over 100; an import feeds it the pages it
 * has just searched (with the mapped fields), so nothing is read twice, and stores new items with their synced
 * values in the same transaction that creates them.
 */
export interface SyncSession {
  readonly run: Run;
  /**
   * `prefetched`: issues already read (an import's search page); `inserted`: items not stored yet, which have no
   * snapshots to read and are written whole (with their synced values) at commit instead of updated. The request's
   * webhook payloads stand for reads of issues they are newer for.
   */
  prepare(items: Item[], options?: { prefetched?: Map<string, JiraIssue>; inserted?: Set<string> }): Promise<PreparedPage>;
  commit(page: PreparedPage): Promise<void>;
  syncItems(items: Item[], prefetched?: Map<string, JiraIssue>): Promise<void>;
  finish(error?: unknown): Promise<Run>;
}

/** A page synced but not yet stored. */
export interface PreparedPage {
  readonly results: ItemResult[];
  /** The page's items that are not stored yet. */
  readonly inserted: ReadonlySet<string>;
}

export async function openSync(deps: SyncDeps, request: SyncRequest): Promise<SyncSession> {
  const { project } = request;
  const run = await deps.runs.start({ projectId: project.id, kind: request.kind, dryRun: request.dryRun, userId: request.userId, identity: request.identity });
  const counts = { ...EMPTY_COUNTS };
  const mappings = await deps.projects.mappings(project.id);
  const payloads = request.payloads?.(mappings);
  const jiraFields = mappedJiraFields(mappings);
  const users = new Map<string, JiraUserRef | null>();
  // What a bulk edit needs, asked once per run: the site's fields, and each Jira project's edit metadata.
  let siteFields: Promise<JiraField[]> | null = null;
  const editMeta = new Map<string, ReturnType<JiraClient["editMeta"]>>();
  const bulk: BulkLookups = {
    fields: () => (siteFields ??= deps.siteFields?.() ?? deps.jira.fields()),
    editMeta: (jiraProject, issueId) => {
      if (!editMeta.has(jiraProject)) editMeta.set(jiraProject, deps.jira.editMeta(issueId));
      return editMeta.get(jiraProject)!;
    },
  };
  const finish = (error?: unknown) => {
    const message = error === undefined || error === null ? null : error instanceof Error ? error.message : String(error);
    return deps.runs.finish(run.id, counts, message);
  };
  const prepare = async (page: Item[], { prefetched, inserted = new Set<string>() }: { prefetched?: Map<string, JiraIssue>; inserted?: Set<string> } = {}): Promise<PreparedPage> => {
    const items = page.filter((item) => item.link);
    if (items.length === 0) return { results: [], inserted };
    // One bulk read for the page's issues (Jira's maximum per call), not one call per item.
    const issues = new Map<string, JiraIssue>();
    for (const item of items) {
      const delivered = payloads?.get(item.link!.jiraIssueId);
      const known = prefetched?.get(item.link!.jiraIssueId) ?? (newerThanSynced(item, delivered) ? delivered : undefined);
      if (known) issues.set(known.id, known);
    }
    const missing = items.map((item) => item.link!.jiraIssueId).filter((id) => !issues.has(id));
    if (missing.length) for (const issue of await deps.jira.bulkFetch(missing, { fields: jiraFields })) issues.set(issue.id, issue);
    const { gone, stillThere } = await checkUnreadable(deps, items.map((item) => item.link!.jiraIssueId).filter((id) => !issues.has(id)));
    // The page's snapshots in one query, not one per item (an item not stored yet has none).
    const snapshots = await deps.projects.snapshotsOfItems(items.filter((item) => !inserted.has(item.id)).map((item) => item.id));
    await resolveUsers(deps.jira, users, items, mappings, request.kind, deps.personOverrides);
    const results: ItemResult[] = [];
    const planned: PlannedItem[] = [];
    for (const item of items) {
      if (gone.has(item.link!.jiraIssueId)) {
        counts[(await severDeletedLink(deps, run.id, item, `not even for the connector's own identity`, { dryRun: request.dryRun })).outcome] += 1;
        continue;
      }
      const plan = await planItem(deps, request, item, issues.get(item.link!.jiraIssueId), mappings, users, snapshots.get(item.id) ?? new Map(), stillThere.has(item.link!.jiraIssueId));
      if ("entry" in plan) results.push(plan);
      else planned.push(plan);
    }
    // Issues getting the very same field values are written with one bulk edit where Jira has it (Cloud).
    const written = await writeInBulk(deps, planned, bulk);
    for (const plan of planned) results.push(await writeItem(deps, plan, mappings, written.has(plan.item.id)));
    return { results, inserted };
  };
  const commit = async (page: PreparedPage) => {
    const inserted = page.results.filter((result) => page.inserted.has(result.entry.itemId));
    await deps.projects.insertLinkedItems(inserted.map(({ item, commit }) => ({
      item: { ...item, values: commit?.values ?? item.values, link: item.link && commit ? { ...item.link, jiraUpdated: commit.jiraUpdated } : item.link },
      snapshots: commit?.snapshots,
    })));
    const entries: RunItem[] = inserted.map((result) => result.entry);
    const updated = page.results.filter((result) => !page.inserted.has(result.entry.itemId));
    // An item someone edited meanwhile is not stored (the next run settles it), and says so.
    const stored = await deps.projects.commitSynced(updated.flatMap((result) => (result.commit ? [result.commit] : [])));
    for (const result of updated) entries.push(!result.commit || stored.has(result.item.id) ? result.entry : result.stale!);
    await deps.runs.addItems(run.id, entries);
    for (const entry of entries) counts[entry.outcome] += 1;
  };
  const syncItems = async (page: Item[], prefetched?: Map<string, JiraIssue>) => {
    const prepared = await prepare(page, { prefetched });
    // The page's store writes in one transaction, once its Jira writes are done.
    await deps.projects.inTransaction(() => commit(prepared));
  };
  return { run, prepare, commit, syncItems, finish };
}

export async function runSync(deps: SyncDeps, request: SyncRequest): Promise<Run> {
  const { project } = request;
  // Minimal retention copies no issue data into items: its data is fetched into the expiring cache instead.
  if (project.retention === "minimal") {
    const run = await deps.runs.start({ projectId: project.id, kind: request.kind, dryRun: request.dryRun, userId: request.userId, identity: request.identity });
    return deps.runs.finish(run.id, { ...EMPTY_COUNTS }, `Project ${project.key} keeps only issue ids (minimal retention): refresh it to see Jira's data; Pull, Push and sync do not apply.`);
  }
  const session = await openSync(deps, request);
  try {
    if (request.itemRefs) {
      const items = (await deps.projects.itemsByRefs(project.id, request.itemRefs)).filter((item) => item.link);
      for (let index = 0; index < items.length; index += RUN_PAGE_SIZE) await session.syncItems(items.slice(index, index + RUN_PAGE_SIZE), request.prefetched);
    } else {
      for await (const page of deps.projects.linkedItemPages(project.id, RUN_PAGE_SIZE)) await session.syncItems(page, request.prefetched);
    }
    return await session.finish();
  } catch (error) {
    return session.finish(error);
  }
}

/**
 * The issues the acting identity could not read, checked with the service identity: gone for it too means deleted;
 * still there means the acting identity lost access.
 */
async function checkUnreadable(deps: SyncDeps, unreadable: string[]): Promise<{ gone: Set<string>; stillThere: Set<string> }> {
  if (unreadable.length === 0 || !deps.serviceJira) return { gone: new Set(), stillThere: new Set() };
  try {
    const visible = new Set((await deps.serviceJira.bulkFetch(unreadable, { fields: ["id"] })).map((issue) => issue.id));
    return { gone: new Set(unreadable.filter((id) => !visible.has(id))), stillThere: visible };
  } catch {
    // When the check itself fails, nothing is treated as deleted: severing needs certainty.
    return { gone: new Set(), stillThere: new Set() };
  }
}

/**
 * What syncing one item came to once its Jira writes are done: the history line, and the store write still to make
 * (with the line to record instead if someone edited the item meanwhile).
 */
export interface ItemResult {
  item: Item;
  entry: RunItem;
  /** What to store: the values and snapshots synced, beside the snapshots read before (only differences are written). */
  commit?: { item: Item; values: Record<string, unknown>; snapshots: Map<string, unknown>; previous: Map<string, unknown>; jiraKey: string; jiraUpdated: number | null };
  stale?: RunItem;
}

/** An item whose changes are planned and whose Jira writes are still to make. */
interface PlannedItem {
  item: Item;
  issue: JiraIssue;
  ctx: TransformContext;
  messages: string[];
  changes: FieldChange[];
  newValues: Record<string, unknown>;
  newSnapshots: Map<string, unknown>;
  /** The fields to write to the issue in one edit (status excepted: it is walked through the workflow). */
  jiraWrites: Record<string, unknown>;
  writeMappings: Map<string, Mapping>;
  statusPush: { mapping: Mapping; value: string } | null;
  conflicts: number;
  /** The snapshots read before the sync (only what differs from them is written). */
  previous: Map<string, unknown>;
  line: (outcome: ItemOutcome, changes: FieldChange[], messages: string[]) => RunItem;
}

/** Plans one item: what changes on which side. Finished when there is nothing to write (a missing issue, a dry run). */
async function planItem(deps: SyncDeps, request: SyncRequest, item: Item, issue: JiraIssue | undefined, mappings: Mapping[], users: Map<string, JiraUserRef | null>, snapshots: Map<string, unknown>, lostAccess = false): Promise<ItemResult | PlannedItem> {
  const line = (outcome: ItemOutcome, changes: FieldChange[], messages: string[]): RunItem => ({ itemId: item.id, itemKey: item.key, jiraKey: issue?.key ?? item.link!.jiraKey, outcome, changes, messages });
  const record = (outcome: ItemOutcome, changes: FieldChange[], messages: string[]): ItemResult => ({ item, entry: line(outcome, changes, messages) });
  if (!issue) {
    const why = lostAccess ? " It still exists for the connector's own identity: this is lost access, not a deletion, and the link is kept." : "";
    return record("failed", [], [`${item.link!.jiraKey}: Issue does not exist or you do not have permission to see it (as ${splitIdentity(request.identity).account}).${why} Ask a Jira admin to give this identity access, or re-link the item.`]);
  }
  const messages: string[] = [];
  const changes: FieldChange[] = [];
  const newValues = { ...item.values };
  const newSnapshots = new Map<string, unknown>();
  const jiraWrites: Record<string, unknown> = {};
  const writeMappings = new Map<string, Mapping>();
  let statusPush: { mapping: Mapping; value: string } | null = null;
  const pulled: Record<string, unknown> = {};
  const ctx: TransformContext = { flavour: deps.jira.flavour, hoursPerDay: deps.hoursPerDay, itemUrl: deps.itemUrl(item), today: deps.today, item: item.values, pulled, jiraUser: (email) => users.get(email.toLowerCase()) ?? null, personOverride: (jiraUser) => deps.personOverrides?.get(jiraUser) };
  const fields = issue.fields ?? {};
  let conflicts = 0;

  for (const mapping of mappings) {
    const plan = plannedDirections(mapping, request.kind, request.project);
    if (!plan.pull && !plan.push && !plan.merge) continue;
    if (!(mapping.jiraField in fields) && mapping.transform.kind !== "ratio") {
      messages.push(`Field '${mapping.jiraField}' is not on ${issue.key} (it may have been removed or is not on its screens); '${mapping.tandemField}' was skipped.`);
      continue;
    }
    const rawTandem = item.values[mapping.tandemField] ?? null;
    // Rich text compares in its normal Markdown form, so a spelling difference is not a change.
    const tandemValue = mapping.transform.kind === "richText" && typeof rawTandem === "string" ? normalizeMarkdown(rawTandem) : rawTandem;
    const asWritten = plan.push && !plan.merge && comparesAsWritten(mapping);
    const jiraRead = asWritten ? { ok: true as const, value: fields[mapping.jiraField] ?? null } : fromJira(mapping, fields[mapping.jiraField], ctx);
    if (!jiraRead.ok) {
      messages.push(`${mapping.tandemField}: ${jiraRead.warning}`);
      continue;
    }
    const jiraValue = jiraRead.value;
    if (plan.pull) pulled[mapping.tandemField] = jiraValue;
    let decision: ReturnType<typeof mergeField>;
    if (plan.merge) {
      decision = mergeField({ base: snapshots.has(mapping.id) ? snapshots.get(mapping.id) : undefined, tandem: tandemValue, jira: jiraValue, policy: request.project.conflictPolicy, tandemChangedAt: item.updatedAt, jiraChangedAt: updatedOf(issue) ?? Number.NaN });
    } else if (plan.pull) {
      decision = sameValue(tandemValue, jiraValue) ? { action: "none", value: jiraValue } : { action: "to-tandem", value: jiraValue };
    } else {
      // A status is not written as a field (the push walks the workflow below), so it compares in Tandem's terms.
      const desired = mapping.transform.kind === "status" ? { ok: true as const, value: tandemValue } : toJira(mapping, tandemValue, ctx);
      if (!desired.ok) {
        messages.push(`${mapping.tandemField}: ${desired.warning}`);
        continue;
      }
      decision = sameValue(jiraValue, asWritten ? desired.value : tandemValue) ? { action: "none", value: tandemValue } : { action: "to-jira", value: tandemValue };
    }

    switch (decision.action) {
      case "none":
        newSnapshots.set(mapping.id, decision.value);
        break;
      case "to-tandem":
        changes.push({ field: mapping.tandemField, side: "tandem", before: tandemValue, after: decision.value });
        newValues[mapping.tandemField] = decision.value;
        newSnapshots.set(mapping.id, decision.value);
        break;
      case "to-jira": {
        if (mapping.transform.kind === "status") {
          statusPush = { mapping, value: String(decision.value) };
          changes.push({ field: mapping.tandemField, side: "jira", before: jiraValue, after: decision.value });
          break;
        }
        const write = toJira(mapping, decision.value, ctx);
        if (!write.ok) {
          messages.push(`${mapping.tandemField}: ${write.warning}`);
          break;
        }
        changes.push({ field: mapping.tandemField, side: "jira", before: fields[mapping.jiraField] ?? null, after: write.value });
        jiraWrites[mapping.jiraField] = mapping.jiraField === "timetracking" ? { ...((jiraWrites.timetracking as object) ?? {}), ...(write.value as object) } : write.value;
        writeMappings.set(mapping.jiraField, mapping);
        newSnapshots.set(mapping.id, decision.value);
        break;
      }
      case "conflict":
        conflicts += 1;
        messages.push(`${mapping.tandemField}: changed on both sides (Tandem ${JSON.stringify(decision.tandem)}, Jira ${JSON.stringify(decision.jira)}); held for a person to resolve.`);
        if (!request.dryRun) await deps.runs.addConflict({ projectId: request.project.id, itemId: item.id, mappingId: mapping.id, tandem: decision.tandem, jira: decision.jira });
        break;
    }
  }

  if (request.dryRun) return record(changes.length ? "changed" : conflicts ? "conflict" : messages.length ? "warning" : "unchanged", changes, ["dry run: nothing was written", ...messages]);
  return { item, issue, ctx, messages, changes, newValues, newSnapshots, jiraWrites, writeMappings, statusPush, conflicts, previous: snapshots, line };
}

/**
 * Makes a planned item's Jira writes (its fields in one edit, unless a bulk edit wrote them already, then its status
 * through the workflow) and says what it came to. If Jira refuses a field, that field fails and the rest are written.
 */
async function writeItem(deps: SyncDeps, planned: PlannedItem, mappings: Mapping[], fieldsWritten: boolean): Promise<ItemResult> {
  const { item, issue, ctx, messages, changes, newValues, newSnapshots, jiraWrites, writeMappings, statusPush, conflicts, previous, line } = planned;
  const fields = issue.fields ?? {};
  const record = (outcome: ItemOutcome, lineChanges: FieldChange[], lineMessages: string[]): ItemResult => ({ item, entry: line(outcome, lineChanges, lineMessages) });
  let failedFields: string[] = [];
  try {
    if (!fieldsWritten && Object.keys(jiraWrites).length) {
      try {
        await deps.jira.editIssue(issue.id, { fields: jiraWrites });
      } catch (error) {
        if (!(error instanceof JiraValidationError) || Object.keys(error.fieldErrors).length === 0) throw error;
        failedFields = Object.keys(error.fieldErrors).filter((field) => field in jiraWrites);
        for (const field of failedFields) {
          messages.push(`${writeMappings.get(field)?.tandemField ?? field}: Jira refused the value — ${error.fieldErrors[field]}`);
          newSnapshots.delete(writeMappings.get(field)!.id);
          delete jiraWrites[field];
        }
        if (Object.keys(jiraWrites).length) await deps.jira.editIssue(issue.id, { fields: jiraWrites });
      }
    }
    if (statusPush) {
      const target = statusTarget(statusPush.mapping, statusPush.value);
      const current = fields.status as { name: string; statusCategory: { key: string } };
      // Transition screens are filled from the mappings that push (their current Tandem values).
      const screenValues: Record<string, unknown> = {};
      for (const mapping of mappings) {
        if (mapping.transform.kind === "status" || mapping.direction === "pull") continue;
        const value = toJira(mapping, newValues[mapping.tandemField] ?? null, ctx);
        if (value.ok && value.value !== null) screenValues[mapping.jiraField] = value.value;
      }
      const walked = target ? await walkToStatus(deps.jira, issue.id, { name: current.name, category: current.statusCategory.key }, target, screenValues) : { ok: false as const, warning: `Tandem status '${statusPush.value}' has no Jira status mapped.` };
      if (walked.ok) newSnapshots.set(statusPush.mapping.id, statusPush.value);
      else messages.push(walked.warning);
    }
  } catch (error) {
    if (error instanceof JiraAuthorizationExpiredError) throw error;
    const message = error instanceof JiraError ? error.message : String(error);
    return record("failed", [], [`${issue.key}: ${message}`, ...messages]);
  }

  // Then the store, atomically: values, snapshots and key together, or nothing (a concurrent edit wins and the
  // next run picks it up). The caller commits a page of these at once.
  const effective = changes.filter((change) => !(change.side === "jira" && failedFields.some((field) => writeMappings.get(field)?.tandemField === change.field)));
  // A warning outranks a change: the person must see that something was not done.
  const outcome: ItemOutcome = conflicts ? "conflict" : failedFields.length || messages.length ? "warning" : effective.length ? "changed" : "unchanged";
  return {
    item,
    entry: line(outcome, effective, messages),
    commit: { item, values: newValues, snapshots: newSnapshots, previous, jiraKey: issue.key, jiraUpdated: updatedOf(issue) },
    stale: line("warning", [], [`${item.key} changed in Tandem while syncing; its Jira writes are done, and the next run will settle the rest.`, ...messages]),
  };
}

/** Fewer issues than this getting the same values are written one by one (a bulk edit costs a submit and polls). */
export const BULK_EDIT_MIN_ISSUES = 5;

/**
 * Writes, with one bulk edit per group, the fields of planned items that get exactly the same values in the same
 * Jira project (a bulk edit sets the same values on every issue; option ids come from one issue's edit metadata).
 * Answers the items whose fields are written. Anything the bulk edit cannot express, or any issue it did not
 * write, is left to the item's own edit, which names Jira's reason per field.
 */
/** What building a bulk edit reads from Jira, asked once per run. */
interface BulkLookups {
  fields(): Promise<JiraField[]>;
  editMeta(jiraProject: string, issueId: string): ReturnType<JiraClient["editMeta"]>;
}

async function writeInBulk(deps: SyncDeps, planned: PlannedItem[], lookups: BulkLookups): Promise<Set<string>> {
  const written = new Set<string>();
  if (!deps.jira.supportsBulkEdit) return written;
  const canonical = (writes: Record<string, unknown>) => JSON.stringify(Object.keys(writes).sort().map((key) => [key, writes[key]]));
  const jiraProject = (plan: PlannedItem) => plan.issue.key.split("-")[0]!;
  const groups = Map.groupBy(planned.filter((plan) => Object.keys(plan.jiraWrites).length), (plan) => `${jiraProject(plan)} ${canonical(plan.jiraWrites)}`);
  for (const group of groups.values()) {
    if (group.length < BULK_EDIT_MIN_ISSUES) continue;
    const first = group[0]!;
    try {
      const { edit, refused } = buildBulkEdit(first.jiraWrites, { fields: await lookups.fields(), allowedValues: allowedValuesOf(await lookups.editMeta(jiraProject(first), first.issue.id)) });
      if (!edit || refused.length) continue;
      const outcome = await deps.jira.bulkEditFields(group.map((plan) => plan.issue.id), edit, { sendNotification: false });
      const succeeded = new Set(outcome.succeeded);
      for (const plan of group) if (succeeded.has(plan.issue.id)) written.add(plan.item.id);
    } catch (error) {
      // A bulk edit that failed or did not finish leaves its issues to their own edits (writing the same values
      // again changes nothing), which report per item; an expired authorization stops the run.
      if (error instanceof JiraAuthorizationExpiredError) throw error;
    }
  }
  return written;
}

/** Jira users for the people a push writes, looked up by email once per run (each page adds the emails it brings). */
async function resolveUsers(jira: JiraClient, users: Map<string, JiraUserRef | null>, items: Item[], mappings: Mapping[], kind: RunKind, overrides?: Map<string, string>): Promise<void> {
  if (kind === "pull") return;
  // A manual override names the Jira user outright.
  for (const [jiraUser, email] of overrides ?? []) users.set(email, jira.flavour === "cloud" ? { accountId: jiraUser } : { name: jiraUser });
  const emails = new Set<string>();
  for (const mapping of mappings.filter((candidate) => candidate.transform.kind === "person" && candidate.direction !== "pull")) {
    for (const item of items) {
      const value = item.values[mapping.tandemField];
      if (typeof value === "string" && value.includes("@")) emails.add(value.toLowerCase());
    }
  }
  for (const email of [...emails].filter((candidate) => !users.has(candidate))) {
    const found = await jira.request<{ accountId?: string; name?: string; emailAddress?: string }[]>("GET", `/rest/api/${jira.apiVersion}/user/search`, { query: jira.flavour === "cloud" ? { query: email } : { username: email } });
    const match = found.data.find((user) => user.emailAddress?.toLowerCase() === email) ?? found.data[0];
    if (match) users.set(email, jira.flavour === "cloud" ? { accountId: match.accountId! } : { name: match.name! });
    // An email Jira does not know is asked once per run, not once per page.
    else users.set(email, null);
  }
}
