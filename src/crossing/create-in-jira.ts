// Creating a Jira issue from an item, idempotently: the issue carries a property naming the item, an intent is
// stored before the create call, and a retry after a timeout or crash looks for the property (more than once,
// because JQL misses a new issue for a moment) before creating again. Duplicate creation is what users of every
// peer complain about most.
import type { JiraClient } from "../jira/client.ts";
import { JiraPermissionError, JiraValidationError } from "../jira/errors.ts";
import { toJiraRichText } from "../jira/rich-text.ts";
import type { Item, ProjectRepository } from "../store/projects.ts";
import type { Run, RunRepository } from "../store/runs.ts";

export const ITEM_PROPERTY = "tandem.item";

export interface CreateRequest {
  jiraProject: string;
  issueTypeId: string;
  /** Extra Jira fields from the create form (required custom fields and the like), as Jira takes them. */
  fields?: Record<string, unknown>;
}

export async function createInJira(jira: JiraClient, projects: ProjectRepository, item: Item, request: CreateRequest, options: { searchAttempts?: number; searchDelayMs?: number } = {}): Promise<{ key: string; id: string; reused: boolean }> {
  const intent = await projects.creationIntent(item.id);
  if (intent) {
    // A previous attempt may have created the issue: look for its mark before creating again.
    const attempts = options.searchAttempts ?? 4;
    for (let attempt = 0; attempt < attempts; attempt++) {
      for await (const issue of jira.search(`project = "${intent.jiraProject}" AND issue.property[${ITEM_PROPERTY}].id = "${item.id}"`, { fields: ["summary"], pageSize: 5 })) {
        await projects.link(item.id, issue.id, issue.key);
        await projects.clearCreationIntent(item.id);
        return { key: issue.key, id: issue.id, reused: true };
      }
      if (attempt < attempts - 1) await new Promise((resolve) => setTimeout(resolve, options.searchDelayMs ?? 1000));
    }
  }
  await projects.recordCreationIntent(item.id, request.jiraProject);
  const description = typeof item.values.description === "string" ? toJiraRichText(item.values.description, jira.flavour) : null;
  const fields: Record<string, unknown> = {
    project: { key: request.jiraProject },
    issuetype: { id: request.issueTypeId },
    summary: String(item.values.title ?? item.key),
    ...(description ? { description } : {}),
    ...request.fields,
  };
  let created: { id: string; key: string };
  try {
    created = await jira.createIssue(fields, [{ key: ITEM_PROPERTY, value: { id: item.id, key: item.key } }]);
  } catch (error) {
    // A refusal (400) created nothing: no need to search before the next attempt. Timeouts keep the intent.
    if (error instanceof JiraValidationError || error instanceof JiraPermissionError) await projects.clearCreationIntent(item.id);
    throw error;
  }
  await projects.link(item.id, created.id, created.key);
  await projects.clearCreationIntent(item.id);
  return { key: created.key, id: created.id, reused: false };
}

/** A creation in the project's history: a push run with the item, its new link, and what happened. */
export async function recordCreation(runs: RunRepository, item: Item, created: { key: string; reused: boolean }, who: { userId: string; identity: string }): Promise<Run> {
  const run = await runs.start({ projectId: item.projectId, kind: "push", dryRun: false, userId: who.userId, identity: who.identity });
  await runs.addItem(run.id, {
    itemId: item.id, itemKey: item.key, jiraKey: created.key, outcome: "changed",
    changes: [{ field: "link", side: "tandem", before: null, after: created.key }],
    messages: [created.reused ? `${created.key}, created in Jira by an earlier attempt, was found by its mark and linked (no second issue).` : `Created ${created.key} in Jira from ${item.key} and linked them.`],
  });
  return runs.finish(run.id, { changed: 1, unchanged: 0, warning: 0, failed: 0, conflict: 0 }, null);
}
