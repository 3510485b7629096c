// The fetcher at the edge: reads a project's Jira scope (issues with the fields reports need, their changelogs in
// bulk, the sprints of its boards) through the Jira client, and stores the result for the reports.
import type { JiraClient } from "../jira/client.ts";
import type { JiraMetadata } from "../jira/metadata.ts";
import type { JiraIssue } from "../jira/types.ts";
import type { Project } from "../store/projects.ts";
import type { InsightRepository } from "../store/insights.ts";
import { collectPeople, toCategory, toInsightIssue, toSprint, type FieldIds } from "./normalize.ts";
import type { ReportSettings } from "./settings.ts";
import type { InsightData, InsightSprint, StatusCategory } from "./types.ts";

const SPRINT_SCHEMA = "com.pyxis.greenhopper.jira:gh-sprint";
const STORY_POINT_NAMES = ["story point estimate", "story points"];

export class UnknownFieldError extends Error {
  readonly code = "unknown_field";
}

export interface FetchDeps {
  jira: JiraClient;
  metadata: JiraMetadata;
  insights: InsightRepository;
}

/** The Jira ids of the fields the settings name (by id or name); a named field Jira does not have is an error. */
export async function resolveFields(metadata: JiraMetadata, settings: ReportSettings): Promise<FieldIds & { capex: string | null; rollupPush: string | null }> {
  const fields = await metadata.fields();
  const find = (label: string, idOrName: string) => {
    const wanted = idOrName.toLowerCase();
    const field = fields.find((candidate) => candidate.id.toLowerCase() === wanted || candidate.name.toLowerCase() === wanted);
    if (!field) throw new UnknownFieldError(`The ${label} field '${idOrName}' is not a Jira field this connection can see; use a field id (customfield_NNNNN) or its exact name.`);
    return field.id;
  };
  const storyPoints = settings.storyPointsField
    ? find("story points", settings.storyPointsField)
    : (fields.find((field) => STORY_POINT_NAMES.includes(field.name.toLowerCase()))?.id ?? null);
  const sprint = fields.find((field) => field.schema?.custom === SPRINT_SCHEMA)?.id ?? null;
  const capex = settings.capex ? find("CapEx", settings.capex.field) : null;
  const rollupPush = settings.rollupPushField ? find("roll-up", settings.rollupPushField) : null;
  return { storyPoints, sprint, rule: capex ? [capex] : [], capex, rollupPush };
}

/** The JQL of a project's scope: its Jira projects, narrowed by its JQL scope. */
export function scopeJql(project: Project): string {
  return `project in (${project.jiraProjects.map((key) => `"${key}"`).join(", ")})${project.jqlScope.trim() ? ` AND (${project.jqlScope})` : ""}`;
}

function searchFields(fields: FieldIds): string[] {
  return ["summary", "issuetype", "status", "assignee", "reporter", "parent", "created", "timeoriginalestimate", "timeestimate", ...[fields.storyPoints, fields.sprint].filter((id): id is string => !!id), ...fields.rule];
}

async function issuesWithHistory(jira: JiraClient, issues: JiraIssue[], fields: FieldIds) {
  // Only status and assignee changes matter; the bulk changelog API filters them on Jira's side.
  const histories = await jira.changelogs(issues.map((issue) => issue.id), ["status", "assignee"]);
  return { insightIssues: issues.map((issue) => toInsightIssue(issue, histories.get(issue.id) ?? [], fields)), histories };
}

async function sprintsOf(jira: JiraClient, project: Project): Promise<InsightSprint[]> {
  const sprints = new Map<number, InsightSprint>();
  for (const key of project.jiraProjects) {
    const boards = await pagedAgile<{ id: number; type: string }>(jira, "/rest/agile/1.0/board", { projectKeyOrId: key });
    for (const board of boards.filter((candidate) => candidate.type === "scrum")) {
      for (const sprint of await pagedAgile<Parameters<typeof toSprint>[0]>(jira, `/rest/agile/1.0/board/${board.id}/sprint`, {})) sprints.set(sprint.id, toSprint(sprint));
    }
  }
  return [...sprints.values()];
}

async function pagedAgile<T>(jira: JiraClient, path: string, query: Record<string, string>): Promise<T[]> {
  const values: T[] = [];
  for (let startAt = 0; ; ) {
    const page = (await jira.request<{ values: T[]; isLast?: boolean }>("GET", path, { query: { ...query, startAt, maxResults: 50 } })).data;
    values.push(...page.values);
    if (page.isLast !== false || page.values.length === 0) return values;
    startAt += page.values.length;
  }
}

/** Fetches the project's whole scope and stores it; calls grow with pages of issues, not with issues. */
export async function refreshProject(deps: FetchDeps, project: Project, settings: ReportSettings): Promise<InsightData> {
  const fields = await resolveFields(deps.metadata, settings);
  const issues: JiraIssue[] = [];
  for await (const page of deps.jira.searchPages(scopeJql(project), { fields: searchFields(fields) })) issues.push(...page);
  const { insightIssues, histories } = await issuesWithHistory(deps.jira, issues, fields);
  const statusCategories: Record<string, StatusCategory> = {};
  for (const status of await deps.metadata.statuses()) statusCategories[status.id] = toCategory(status.statusCategory?.key);
  const data: InsightData = {
    issues: insightIssues,
    sprints: await sprintsOf(deps.jira, project),
    statusCategories,
    people: collectPeople(issues, histories.values()),
    fetchedAt: Date.now(),
  };
  await deps.insights.replace(project.id, data);
  return data;
}

/**
 * Refreshes some issues of an already fetched project (after webhook events), read by id so the search index's
 * lag cannot hide them; issues gone or moved out of the project's Jira projects are removed.
 */
export async function refreshIssues(deps: FetchDeps, project: Project, settings: ReportSettings, issueIds: string[]): Promise<void> {
  if (issueIds.length === 0) return;
  const fields = await resolveFields(deps.metadata, settings);
  const inProjects = new Set(project.jiraProjects.map((key) => key.toUpperCase()));
  const fetched = await deps.jira.bulkFetch(issueIds, { fields: [...searchFields(fields), "project"] });
  const issues = fetched.filter((issue) => inProjects.has(String((issue.fields as { project?: { key?: string } })?.project?.key ?? "").toUpperCase()));
  const { insightIssues } = await issuesWithHistory(deps.jira, issues, fields);
  const kept = new Set(issues.map((issue) => issue.id));
  await deps.insights.upsertIssues(project.id, insightIssues, issueIds.filter((id) => !kept.has(id)));
}
