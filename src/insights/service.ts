// Reports for a stored project: loads the fetched data (fetching it again when missing, stale or asked), the
// settings and the people overrides, and builds the report. The one place reports meet the store and Jira.
import { jiraForConnector } from "../connectors/jira-for.ts";
import { metadataFor } from "../jira/metadata.ts";
import type { Project } from "../store/projects.ts";
import type { TandemStore } from "../store/store.ts";
import { refreshIssues, refreshProject, resolveFields, type FetchDeps } from "./fetch.ts";
import { pushRollup, RollupPushRefused, type PushOutcome } from "./push.ts";
import { buildReport, type ReportKind } from "./reports.ts";
import { rollupNodes } from "./rollup.ts";
import type { InsightData } from "./types.ts";
import { reportWindow } from "./window.ts";

/** Stored data older than this is fetched again when a report is asked for. */
export const STALE_MS = 5 * 60_000;

export class NotConnectedForReports extends Error {
  readonly code = "not_connected";
}

async function fetchDeps(store: TandemStore, project: Project): Promise<FetchDeps> {
  if (!project.connectorId) throw new NotConnectedForReports(`Project ${project.key} is not connected to Jira yet: PUT /projects/${project.key}/jira first.`);
  const connector = (await store.connectors.byId(project.connectorId))!;
  // Reports only read: the service account's connection, refusing writes.
  const jira = await jiraForConnector(store, connector, "service", { readOnly: true });
  return { jira, metadata: metadataFor(`${connector.id}:service`, jira), insights: store.insights };
}

export async function reportData(store: TandemStore, project: Project, options: { refresh?: boolean; now?: number } = {}): Promise<InsightData> {
  const stored = await store.insights.data(project.id);
  const now = options.now ?? Date.now();
  if (stored && !options.refresh && now - stored.fetchedAt < STALE_MS) return stored;
  return refreshProject(await fetchDeps(store, project), project, await store.insights.settings(project.id));
}

export interface ReportQuery {
  from?: string;
  to?: string;
  epic?: string;
  refresh?: boolean;
}

export async function projectReport(store: TandemStore, project: Project, kind: ReportKind, query: ReportQuery) {
  const settings = await store.insights.settings(project.id);
  const window = reportWindow(query, settings.calendar.timeZone, Date.now());
  const data = await reportData(store, project, { refresh: query.refresh });
  const capexField = settings.capex ? (await resolveFields((await fetchDeps(store, project)).metadata, settings)).capex : null;
  const overrides = project.connectorId ? await store.connectors.personOverrideMap(project.connectorId) : new Map<string, string>();
  return buildReport(kind, { data, settings, capexField, overrides, window, windowGiven: window.given, epic: query.epic });
}

/** Keeps a fetched project's issues current after webhook events; projects never reported on are skipped. */
export async function refreshAfterEvents(store: TandemStore, project: Project, issueIds: string[]): Promise<void> {
  if (issueIds.length === 0 || !(await store.insights.trackedProjectIds()).includes(project.id)) return;
  await refreshIssues(await fetchDeps(store, project), project, await store.insights.settings(project.id), issueIds);
}

/** Writes roll-up progress to the project's mapped Jira field; pull-only projects never write to Jira. */
export async function pushProjectRollup(store: TandemStore, project: Project): Promise<PushOutcome> {
  if (project.direction === "pull") throw new RollupPushRefused(`Project ${project.key} is pull-only: Tandem never writes to its Jira. Change its direction to push or two-way to push roll-ups.`);
  const settings = await store.insights.settings(project.id);
  if (!settings.rollupPushField) throw new RollupPushRefused(`No roll-up field is set: PUT /projects/${project.key}/reports/settings with rollupPushField (a Jira number or text field).`);
  const deps = await fetchDeps(store, project);
  const fieldId = (await resolveFields(deps.metadata, settings)).rollupPush!;
  const field = (await deps.metadata.field(fieldId))!;
  const data = await reportData(store, project, { refresh: true });
  const connector = (await store.connectors.byId(project.connectorId!))!;
  return pushRollup(await jiraForConnector(store, connector, "service"), field, rollupNodes(data));
}
