// The `large:N` seed: N plain issues in one project, generated directly (no history) so 100,000 take about a second.
import type { SandboxState } from "../model/state.ts";
import type { Issue } from "../model/types.ts";
import { addProject, addUser, CONTRIBUTOR, grant, IDS, installBaseConfiguration, type AdminCredentials } from "./base.ts";

export const LARGE_PROJECT_KEY = "LOAD";

export function seedLarge(state: SandboxState, admin: AdminCredentials, count: number, options: { now?: number } = {}): void {
  const end = options.now ?? state.now();
  const adminUser = installBaseConfiguration(state, admin);
  const worker = addUser(state, {
    accountId: "5b10ac8d82e05b22cc7d4f00", name: "loader", email: "loader@sandbox.test", displayName: "Load Tester",
    password: "loader-password", apiTokens: ["loader-token"], personalAccessTokens: ["loader-pat"],
  });
  const project = addProject(state, {
    id: "10100", key: LARGE_PROJECT_KEY, name: "Load Test", description: `${count} generated issues.`, style: "classic",
    leadAccountId: adminUser.accountId, workflowId: IDS.workflow.software,
    issueTypeIds: [IDS.type.epic, IDS.type.story, IDS.type.task, IDS.type.bug, IDS.type.subtask],
  });
  grant(project, worker.accountId, CONTRIBUTOR);
  const statuses = [IDS.status.backlog, IDS.status.todo, IDS.status.inProgress, IDS.status.done];
  const types = [IDS.type.story, IDS.type.task, IDS.type.bug];
  const noLabels: string[] = [];
  // Spread creation over the last 90 days, oldest first, one issue a few seconds after the previous.
  const span = 90 * 24 * 3600 * 1000;
  const step = Math.max(1, Math.floor(span / Math.max(1, count)));
  for (let index = 0; index < count; index++) {
    const id = String(20000 + index);
    const created = end - span + index * step;
    const statusId = statuses[index % statuses.length];
    const issue: Issue = {
      id, key: `${LARGE_PROJECT_KEY}-${index + 1}`, projectId: project.id, issueTypeId: types[index % types.length],
      statusId, statusCategoryChanged: created, priorityId: String(1 + (index % 5)),
      resolutionId: statusId === IDS.status.done ? "10000" : null, resolutionDate: statusId === IDS.status.done ? created : null,
      summary: `Generated issue ${index + 1}`, description: null, environment: null,
      reporterId: adminUser.accountId, assigneeId: index % 2 ? worker.accountId : null, creatorId: adminUser.accountId,
      labels: noLabels, componentIds: [], fixVersionIds: [], affectsVersionIds: [], parentId: null, dueDate: null,
      created, updated: created, originalEstimate: null, remainingEstimate: null, timeSpent: null,
      customFields: {}, properties: {}, comments: [], worklogs: [], attachments: [], remoteLinks: [], changelog: [], indexedAt: 0,
    };
    state.issues.set(id, issue);
    state.issueIdByKey.set(issue.key, id);
  }
  project.nextIssueNumber = count + 1;
  state.reserveId("issue", 20000 + count);
}
