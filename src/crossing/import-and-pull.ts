// An import followed by the Pull that fills the mapped fields of what came in, streamed page by page: each search
// page (asked with the mapped fields) is stored as linked items and pulled at once, so the issues are read once
// and memory holds one page, whatever the number of matches.
import type { SyncContext } from "../connectors/sync-context.ts";
import { mappedJiraFields, openSync, type SyncSession } from "../engine/sync-run.ts";
import type { IssueCacheRepository } from "../store/issue-cache.ts";
import type { Project } from "../store/projects.ts";
import type { Run } from "../store/runs.ts";
import { importIssues, type ImportResult, type ImportScope } from "./import.ts";

export async function importAndPull(
  context: SyncContext,
  project: Project,
  scope: ImportScope,
  options: { userId: string; cache?: IssueCacheRepository; identity?: string },
): Promise<ImportResult & { missing: string[]; run: Run | null }> {
  const { deps } = context;
  const identity = options.identity ?? context.identity;
  // Minimal retention copies no fields into items: the import fills the cache and there is nothing to pull.
  if (project.retention === "minimal") return { ...(await importIssues(context.jira, deps.projects, project, scope, { cache: options.cache })), run: null };
  const mappings = await deps.projects.mappings(project.id);
  // The Pull of an import brings Jira's values even into a push-only project: the items are new.
  const pullProject: Project = { ...project, direction: project.direction === "push" ? "two-way" : project.direction };
  // Opened with the first page, so an import that matches nothing (or fails at once) leaves no empty run.
  const pull: { session?: SyncSession } = {};
  const imported = await importIssues(context.jira, deps.projects, project, scope, {
    fields: mappedJiraFields(mappings),
    pull: async () => (pull.session = await openSync(deps, { project: pullProject, kind: "pull", dryRun: false, userId: options.userId, identity })),
  }).catch(async (error: unknown) => {
    await pull.session?.finish(error);
    throw error;
  });
  return { ...imported, run: pull.session ? await pull.session.finish() : null };
}
