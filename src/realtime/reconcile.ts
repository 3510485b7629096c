// Reconciliation of links: deletions never show in an `updated >=` search, so the linked ids are checked in bulk
// with the connector's own (service) identity. An issue the service identity cannot find either is deleted: the
// link is severed, the item kept and marked, and the run records it. An issue only the acting person lost access
// to is not touched here (that is a permission problem, reported by their syncs).
import type { JiraClient } from "../jira/client.ts";
import type { ProjectRepository, Project } from "../store/projects.ts";
import { severDeletedLink } from "../crossing/sever.ts";
import { EMPTY_COUNTS, type Run, type RunRepository } from "../store/runs.ts";

export async function reconcileLinks(deps: { projects: ProjectRepository; runs: RunRepository; serviceJira: JiraClient }, project: Project, who: { userId: string; identity: string }): Promise<Run> {
  const run = await deps.runs.start({ projectId: project.id, kind: "sync", dryRun: false, userId: who.userId, identity: `reconciliation, as ${who.identity}` });
  const counts = { ...EMPTY_COUNTS };
  try {
    // A page of links at a time, each checked with one bulk read.
    for await (const linked of deps.projects.linkedItemPages(project.id, 100)) {
      const found = new Set((await deps.serviceJira.bulkFetch(linked.map((item) => item.link!.jiraIssueId), { fields: ["id"] })).map((issue) => issue.id));
      for (const item of linked) {
        if (found.has(item.link!.jiraIssueId)) {
          counts.unchanged += 1;
          continue;
        }
        await severDeletedLink(deps, run.id, item, "not even for the connector's own identity");
        counts.changed += 1;
      }
    }
    return await deps.runs.finish(run.id, counts, null);
  } catch (error) {
    return deps.runs.finish(run.id, counts, error instanceof Error ? error.message : String(error));
  }
}
