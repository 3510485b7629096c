// Runs one project's catch-up: used by the scheduler (as Tandem's service account) and by "sync now" (as the person);
// and its reconciliation of links, which the scheduled catch-up follows with (deletions never show in a search).
import { jiraForConnector } from "../connectors/jira-for.ts";
import { serviceAccountIdentity } from "../connectors/run-identity.ts";
import { syncContextFor, type SyncActor } from "../connectors/sync-context.ts";
import { refreshAfterEvents } from "../insights/service.ts";
import type { Project } from "../store/projects.ts";
import type { TandemStore } from "../store/store.ts";
import type { Run } from "../store/runs.ts";
import { catchUp, type CatchUpResult } from "./catch-up.ts";
import { reconcileLinks } from "./reconcile.ts";

export async function runCatchUp(store: TandemStore, project: Project, publicUrl: string, actor: SyncActor = { system: "catch-up" }): Promise<CatchUpResult> {
  // Minimal retention copies nothing into items: a catch-up has nothing to do (the cache fills on open or refresh).
  if (project.retention === "minimal") return { searchedIssues: 0, newer: 0, newerIssueIds: [], run: null, cursor: project.cursor };
  const context = await syncContextFor(store, project, actor, publicUrl);
  const result = await catchUp(
    { ...context.deps, setCursor: (cursor) => store.projects.setCursor(project.id, cursor) },
    project,
    { userId: "person" in actor ? actor.person.id : actor.system, identity: context.identity },
  );
  // Reports' stored changelogs catch up too (nothing changed: no call); a failure there never fails the catch-up.
  await refreshAfterEvents(store, project, result.newerIssueIds).catch((error) => console.error(`tandem insights: refresh of ${project.key} after catch-up failed: ${error instanceof Error ? error.message : String(error)}`));
  return result;
}

/**
 * Checks every link of a project with the connector's own identity (read-only) and severs those whose issue is
 * deleted. `quiet`: nothing is recorded when every issue is there.
 */
export async function reconcileProject(store: TandemStore, project: Project, userId: string, options: { quiet?: boolean } = {}): Promise<Run | null> {
  const connector = (await store.connectors.byId(project.connectorId!))!;
  const serviceJira = await jiraForConnector(store, connector, "service", { readOnly: true });
  return reconcileLinks({ projects: store.projects, runs: store.runs, serviceJira }, project, { userId, identity: serviceAccountIdentity(connector) }, options);
}
