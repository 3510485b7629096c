// Reconciliation of links: deletions never show in an `updated >=` search, so the linked ids are checked in bulk
// with the connector's own (service) identity. An issue the service identity cannot find either is deleted: the
// link is severed, the item kept and marked, and the run records it. An issue only the acting person lost access
// to is not touched here (that is a permission problem, reported by their syncs).
import type { JiraClient } from "../jira/client.ts";
import type { ProjectRepository, Project } from "../store/projects.ts";
import { EMPTY_COUNTS, type Run, type RunRepository } from "../store/runs.ts";

export async function reconcileLinks(deps: { projects: ProjectRepository; runs: RunRepository; serviceJira: JiraClient }, project: Project, who: { userId: string; identity: string }): Promise<Run> {
  const run = await deps.runs.start({ projectId: project.id, kind: "sync", dryRun: false, userId: who.userId, identity: `reconciliation, as ${who.identity}` });
  const counts = { ...EMPTY_COUNTS };
  try {
    const linked = (await deps.projects.items(project.id)).filter((item) => item.link);
    const found = new Set((await deps.serviceJira.bulkFetch(linked.map((item) => item.link!.jiraIssueId), { fields: ["id"] })).map((issue) => issue.id));
    for (const item of linked) {
      if (found.has(item.link!.jiraIssueId)) {
        counts.unchanged += 1;
        continue;
      }
      await deps.projects.unlink(item.id);
      const current = (await deps.projects.item(item.id))!;
      await deps.projects.updateItem(item.id, { ...current.values, jiraDeleted: item.link!.jiraKey }, current.version);
      await deps.runs.addItem(run.id, { itemId: item.id, itemKey: item.key, jiraKey: item.link!.jiraKey, outcome: "changed", changes: [{ field: "link", side: "tandem", before: item.link!.jiraKey, after: null }], messages: [`${item.link!.jiraKey} no longer exists in Jira (not even for the connector's own identity): the link was severed and the item kept.`] });
      counts.changed += 1;
    }
    return await deps.runs.finish(run.id, counts, null);
  } catch (error) {
    return deps.runs.finish(run.id, counts, error instanceof Error ? error.message : String(error));
  }
}
