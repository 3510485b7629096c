// Runs one project's catch-up: used by the scheduler (as Tandem's service account) and by "sync now" (as the person).
import { syncContextFor, type SyncActor } from "../connectors/sync-context.ts";
import { refreshAfterEvents } from "../insights/service.ts";
import type { Project } from "../store/projects.ts";
import type { TandemStore } from "../store/store.ts";
import { catchUp, type CatchUpResult } from "./catch-up.ts";

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
