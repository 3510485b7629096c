// A Jira issue that is really gone: the link is severed, the item kept and marked (values.jiraDeleted names the
// issue), and the run records it. Used by sync runs, reconciliation and the webhook's deletion event alike.
import type { Item, ProjectRepository } from "../store/projects.ts";
import type { RunItem, RunRepository } from "../store/runs.ts";

export async function severDeletedLink(deps: { projects: ProjectRepository; runs: RunRepository }, runId: string, item: Item, how: string, options: { dryRun?: boolean } = {}): Promise<RunItem> {
  const jiraKey = item.link!.jiraKey;
  const entry: RunItem = {
    itemId: item.id, itemKey: item.key, jiraKey, outcome: "changed",
    changes: [{ field: "link", side: "tandem", before: jiraKey, after: null }],
    messages: [options.dryRun ? `${jiraKey} no longer exists in Jira (${how}): the link would be severed and the item kept.` : `${jiraKey} no longer exists in Jira (${how}): the link was severed and the item kept.`],
  };
  if (!options.dryRun) {
    await deps.projects.unlink(item.id);
    const current = await deps.projects.item(item.id);
    if (current) await deps.projects.updateItem(item.id, { ...current.values, jiraDeleted: jiraKey }, current.version);
  }
  await deps.runs.addItem(runId, entry);
  return entry;
}
