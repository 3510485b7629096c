// Reconciliation of links: deletions never show in an `updated >=` search, so the linked ids are checked in bulk
// (a page of 100 per call) with the connector's own (service) identity. An issue the service identity cannot find
// either is deleted: the link is severed, the item kept and marked, and the run records it. An issue only the
// acting person lost access to is not touched here (that is a permission problem, reported by their syncs); and
// when the service identity cannot see the issue's Jira project at all, that is lost access too, never a reason to
// sever every link of the project.
import { startedBy } from "../connectors/run-identity.ts";
import type { JiraClient } from "../jira/client.ts";
import type { Item, ProjectRepository, Project } from "../store/projects.ts";
import { severDeletedLink } from "../crossing/sever.ts";
import { EMPTY_COUNTS, type Run, type RunRepository } from "../store/runs.ts";

export interface ReconcileDeps {
  projects: ProjectRepository;
  runs: RunRepository;
  serviceJira: JiraClient;
}

/**
 * `quiet` (the scheduled pass that follows a catch-up): a run is recorded only when a link is severed or the check
 * fails, so a reconciliation that finds every issue writes nothing.
 */
export async function reconcileLinks(deps: ReconcileDeps, project: Project, who: { userId: string; identity: string }, options: { quiet?: boolean } = {}): Promise<Run | null> {
  const counts = { ...EMPTY_COUNTS };
  const missing: Item[] = [];
  let failure: string | null = null;
  try {
    for await (const linked of deps.projects.linkedItemPages(project.id, 100)) {
      const found = new Set((await deps.serviceJira.bulkFetch(linked.map((item) => item.link!.jiraIssueId), { fields: ["id"] })).map((issue) => issue.id));
      for (const item of linked) {
        if (found.has(item.link!.jiraIssueId)) counts.unchanged += 1;
        else missing.push(item);
      }
    }
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  const unseenProjects = failure ? new Set<string>() : await projectsOutOfSight(deps.serviceJira, missing);
  if (options.quiet && !failure && missing.length === 0) return null;
  const run = await deps.runs.start({ projectId: project.id, kind: "sync", dryRun: false, userId: who.userId, identity: startedBy("reconciliation", who.identity) });
  for (const item of failure ? [] : missing) {
    const jiraProject = item.link!.jiraKey.split("-")[0]!;
    if (unseenProjects.has(jiraProject)) {
      await deps.runs.addItem(run.id, { itemId: item.id, itemKey: item.key, jiraKey: item.link!.jiraKey, outcome: "warning", changes: [], messages: [`${item.link!.jiraKey}: the connector's own identity cannot see Jira project ${jiraProject} at all, so this is lost access, not a deletion: the link is kept. Give the connector's account access to ${jiraProject} again.`] });
      counts.warning += 1;
      continue;
    }
    await severDeletedLink(deps, run.id, item, "not even for the connector's own identity");
    counts.changed += 1;
  }
  return deps.runs.finish(run.id, counts, failure);
}

/** The Jira projects of missing issues that the service identity cannot see at all (lost access, not deletions). */
async function projectsOutOfSight(jira: JiraClient, missing: Item[]): Promise<Set<string>> {
  const unseen = new Set<string>();
  for (const key of new Set(missing.map((item) => item.link!.jiraKey.split("-")[0]!))) {
    // A key that is an issue id (minimal retention keeps only ids) names no project to check.
    if (/^\d+$/.test(key)) continue;
    try {
      await jira.project(key);
    } catch {
      unseen.add(key);
    }
  }
  return unseen;
}
