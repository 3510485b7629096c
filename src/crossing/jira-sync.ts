// Project-level and team-level sync to Jira. Project-level: the Tandem project becomes an Epic (created once, marked
// with an issue property naming the project) and every item not yet linked is created as its child. Team-level:
// the items of a team (a field of the item) are created in the Jira project chosen for that team. Both reuse the
// idempotent create, so a retry never makes a second issue; both run again whenever items are added.
import type { JiraClient } from "../jira/client.ts";
import { JiraError } from "../jira/errors.ts";
import type { JiraMetadata } from "../jira/metadata.ts";
import type { Item, JiraSyncConfig, Project, ProjectRepository } from "../store/projects.ts";
import type { Run, RunItem, RunRepository } from "../store/runs.ts";
import { createInJira } from "./create-in-jira.ts";

export const PROJECT_PROPERTY = "tandem.project";

export interface SyncToJiraDeps {
  jira: JiraClient;
  metadata: JiraMetadata;
  projects: ProjectRepository;
  /** Waiting between searches for an issue an interrupted attempt may have created (search lags behind creation). */
  searchAttempts?: number;
  searchDelayMs?: number;
}

export interface SentItems {
  created: { item: string; key: string; reused: boolean }[];
  skipped: { item: string; reason: string }[];
  failed: { item: string; reason: string }[];
}

async function issueTypeId(metadata: JiraMetadata, jiraProject: string, name: string): Promise<string> {
  const types = await metadata.createMetaIssueTypes(jiraProject);
  const type = types.find((candidate) => candidate.id === name || candidate.name.toLowerCase() === name.toLowerCase());
  if (!type) throw new SyncConfigError(`No issue type '${name}' in ${jiraProject}; it has ${types.map((candidate) => candidate.name).join(", ")}.`);
  return type.id;
}

export class SyncConfigError extends Error {
  readonly code = "sync_config";
}

/** Creates each item in Jira with its own fields; one failing item never stops the others. */
async function sendItems(deps: SyncToJiraDeps, items: Item[], target: (item: Item) => Promise<{ jiraProject: string; issueTypeId: string; fields?: Record<string, unknown> } | string>): Promise<SentItems> {
  const sent: SentItems = { created: [], skipped: [], failed: [] };
  for (const item of items) {
    const where = await target(item);
    if (typeof where === "string") {
      sent.skipped.push({ item: item.key, reason: where });
      continue;
    }
    try {
      const result = await createInJira(deps.jira, deps.projects, item, where, { searchAttempts: deps.searchAttempts, searchDelayMs: deps.searchDelayMs });
      sent.created.push({ item: item.key, key: result.key, reused: result.reused });
    } catch (error) {
      if (!(error instanceof JiraError)) throw error;
      sent.failed.push({ item: item.key, reason: error.message });
    }
  }
  return sent;
}

/** Many items created in one Jira project with one issue type and the same extra fields (the create form's). */
export async function createItemsInJira(deps: SyncToJiraDeps, items: Item[], request: { jiraProject: string; issueType: string; fields?: Record<string, unknown> }): Promise<SentItems> {
  const typeId = await issueTypeId(deps.metadata, request.jiraProject, request.issueType);
  return sendItems(deps, items, async (item) => (item.link ? `already linked to ${item.link.jiraKey}` : { jiraProject: request.jiraProject, issueTypeId: typeId, fields: request.fields }));
}

/** The project's Epic: found by its mark when an earlier attempt may have created it, created otherwise. */
async function ensureEpic(deps: SyncToJiraDeps, project: Project, config: NonNullable<JiraSyncConfig["epic"]>): Promise<{ id: string; key: string }> {
  if (config.epicIssueId && config.epicKey) return { id: config.epicIssueId, key: config.epicKey };
  const save = (epic: Partial<typeof config>) => deps.projects.setJiraSync(project.id, { ...project.jiraSync, epic: { ...config, ...epic } });
  if (config.creatingSince !== null) {
    const attempts = deps.searchAttempts ?? 4;
    for (let attempt = 0; attempt < attempts; attempt++) {
      for await (const issue of deps.jira.search(`project = "${config.jiraProject}" AND issue.property[${PROJECT_PROPERTY}].id = "${project.id}"`, { fields: ["summary"], pageSize: 5 })) {
        await save({ epicIssueId: issue.id, epicKey: issue.key, creatingSince: null });
        return { id: issue.id, key: issue.key };
      }
      if (attempt < attempts - 1) await new Promise((resolve) => setTimeout(resolve, deps.searchDelayMs ?? 1000));
    }
  }
  const typeId = await issueTypeId(deps.metadata, config.jiraProject, config.epicType);
  await save({ creatingSince: Date.now() });
  const epic = await deps.jira.createIssue({ project: { key: config.jiraProject }, issuetype: { id: typeId }, summary: project.name }, [{ key: PROJECT_PROPERTY, value: { id: project.id, key: project.key } }]);
  await save({ epicIssueId: epic.id, epicKey: epic.key, creatingSince: null });
  return epic;
}

/** Project-level sync: the Epic, then every unlinked item (or only `itemIds`) created as its child. */
export async function syncProjectEpic(deps: SyncToJiraDeps, project: Project, itemIds?: string[]): Promise<SentItems & { epic: { id: string; key: string } }> {
  const config = project.jiraSync.epic;
  if (!config) throw new SyncConfigError(`Project ${project.key} has no project-level sync: set one with PUT /projects/${project.key}/epic-sync.`);
  const epic = await ensureEpic(deps, project, config);
  const childTypeId = await issueTypeId(deps.metadata, config.jiraProject, config.childType);
  const items = (await deps.projects.items(project.id)).filter((item) => !item.link && (!itemIds || itemIds.includes(item.id)));
  const sent = await sendItems(deps, items, async () => ({ jiraProject: config.jiraProject, issueTypeId: childTypeId, fields: { parent: { key: epic.key } } }));
  return { ...sent, epic };
}

/** Team-level sync: each unlinked item whose team has a Jira project is created there; others are named as skipped. */
export async function syncTeams(deps: SyncToJiraDeps, project: Project, itemIds?: string[]): Promise<SentItems> {
  const config = project.jiraSync.team;
  if (!config) throw new SyncConfigError(`Project ${project.key} has no team-level sync: set one with PUT /projects/${project.key}/team-sync.`);
  const typeIds = new Map<string, string>();
  for (const jiraProject of new Set(Object.values(config.teams))) typeIds.set(jiraProject, await issueTypeId(deps.metadata, jiraProject, config.issueType));
  const items = (await deps.projects.items(project.id)).filter((item) => !item.link && (!itemIds || itemIds.includes(item.id)));
  return sendItems(deps, items, async (item) => {
    const team = item.values[config.field];
    const jiraProject = typeof team === "string" ? config.teams[team] : undefined;
    if (!jiraProject) return typeof team === "string" && team ? `team '${team}' has no Jira project` : `no ${config.field}`;
    return { jiraProject, issueTypeId: typeIds.get(jiraProject)! };
  });
}

/** New items of a project with project- or team-level sync go to Jira as they are added. */
export async function sendNewItems(deps: SyncToJiraDeps, project: Project, itemIds: string[]): Promise<SentItems | null> {
  if (project.direction === "pull") return null;
  if (project.jiraSync.epic) return syncProjectEpic(deps, project, itemIds);
  if (project.jiraSync.team) return syncTeams(deps, project, itemIds);
  return null;
}

/** One push run naming every item created, found again or refused by a send to Jira. */
export async function recordSent(deps: { projects: ProjectRepository; runs: RunRepository }, target: Project, sent: SentItems, who: { userId: string; identity: string }): Promise<Run> {
  const started = await deps.runs.start({ projectId: target.id, kind: "push", dryRun: false, userId: who.userId, identity: who.identity });
  const rows = [...sent.created, ...sent.failed, ...sent.skipped];
  const byKey = new Map((await deps.projects.itemsByRefs(target.id, rows.map((row) => row.item))).map((item) => [item.key, item]));
  const line = (item: string, rest: Omit<RunItem, "itemId" | "itemKey">): RunItem => ({ itemId: byKey.get(item)!.id, itemKey: item, ...rest });
  await deps.runs.addItems(started.id, [
    ...sent.created.map((row) => line(row.item, { jiraKey: row.key, outcome: "changed", changes: [{ field: "link", side: "tandem", before: null, after: row.key }], messages: [row.reused ? `${row.key}, created by an earlier attempt, was found by its mark and linked.` : `Created ${row.key} in Jira from ${row.item} and linked them.`] })),
    ...sent.failed.map((row) => line(row.item, { jiraKey: null, outcome: "failed", changes: [], messages: [row.reason] })),
    ...sent.skipped.map((row) => line(row.item, { jiraKey: null, outcome: "unchanged", changes: [], messages: [`Skipped: ${row.reason}.`] })),
  ]);
  return deps.runs.finish(started.id, { changed: sent.created.length, unchanged: sent.skipped.length, warning: 0, failed: sent.failed.length, conflict: 0 }, null);
}
