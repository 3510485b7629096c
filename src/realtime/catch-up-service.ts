// Runs one project's catch-up: used by the scheduler (as Tandem's service account) and by "sync now" (as the person).
import { syncContextFor, type SyncActor } from "../connectors/sync-context.ts";
import type { Project } from "../store/projects.ts";
import type { TandemStore } from "../store/store.ts";
import { catchUp, type CatchUpResult } from "./catch-up.ts";

export async function runCatchUp(store: TandemStore, project: Project, publicUrl: string, actor: SyncActor = { system: "catch-up" }): Promise<CatchUpResult> {
  const context = await syncContextFor(store, project, actor, publicUrl);
  return catchUp(
    { ...context.deps, setCursor: (cursor) => store.projects.setCursor(project.id, cursor) },
    project,
    { userId: "person" in actor ? actor.person.id : actor.system, identity: context.identity },
  );
}
