// Registering Tandem's webhook in Jira: an admin webhook filtered by the JQL of the connector's projects, with the
// secret; updated in place on later calls (never a second registration). When the identity may not register,
// the URL, secret, JQL and events are returned for a Jira admin to paste.
import type { JiraClient } from "../jira/client.ts";
import { JiraError, JiraNotFoundError, JiraPermissionError } from "../jira/errors.ts";
import { withoutOrderBy } from "../jira/jql.ts";
import type { Connector } from "../store/connectors.ts";
import type { Project } from "../store/projects.ts";
import type { TandemStore } from "../store/store.ts";

export const WEBHOOK_EVENTS = [
  "jira:issue_created", "jira:issue_updated", "jira:issue_deleted",
  "comment_created", "comment_updated", "comment_deleted",
  "attachment_created", "attachment_deleted", "issuelink_created", "issuelink_deleted",
];

export interface Registration {
  url: string;
  secret: string;
  jql: string;
  events: string[];
  registered: boolean;
  jiraWebhookId: string | null;
  instructions: string | null;
}

/** The Jira projects of a connector's projects, in one `project in (...)` clause. */
function projectClause(projects: Project[]): string {
  const keys = [...new Set(projects.flatMap((project) => project.jiraProjects))].sort();
  return keys.length ? `project in (${keys.join(", ")})` : "";
}

/**
 * The admin webhook's filter: each project's Jira projects narrowed by its JQL scope, so Jira sends only what some
 * project syncs. Projects without a scope share one `project in (...)` clause.
 */
export function webhookJql(projects: Project[]): string {
  const connected = projects.filter((project) => project.jiraProjects.length);
  const unscoped = projectClause(connected.filter((project) => !project.jqlScope.trim()));
  const scoped = connected.filter((project) => project.jqlScope.trim()).map((project) => `(${projectClause([project])} AND (${withoutOrderBy(project.jqlScope)}))`);
  const clauses = [...new Set([...(unscoped ? [unscoped] : []), ...scoped])];
  if (clauses.length <= 1) return clauses[0]?.replace(/^\((.*)\)$/, "$1") ?? "";
  return clauses.map((clause) => (clause.startsWith("(") ? clause : `(${clause})`)).join(" OR ");
}

export async function registerWebhook(store: TandemStore, connector: Connector, jira: JiraClient, publicUrl: string): Promise<Registration> {
  const projects = (await store.projects.list()).filter((project) => project.connectorId === connector.id);
  // Dynamic webhooks take only a subset of JQL (project, issuetype, status… with =, !=, IN): the projects' scopes
  // cannot be expressed there, and Tandem applies only what its projects sync anyway.
  const jql = connector.authMode === "oauth" ? projectClause(projects) : webhookJql(projects);
  const { endpoint, secret } = await store.inbox.ensureEndpoint(connector.id, jql);
  const url = `${publicUrl}/hooks/jira/${endpoint.pathToken}`;
  if (connector.authMode === "oauth") return registerDynamic(store, connector, jira, { url, secret, jql, existingId: endpoint.kind === "dynamic" ? endpoint.jiraWebhookId : null });
  const body = { name: `Tandem (${connector.name})`, url, events: WEBHOOK_EVENTS, filters: { "issue-related-events-section": jql }, excludeBody: false, secret };
  try {
    let id = endpoint.jiraWebhookId;
    if (id) {
      // A webhook deleted in Jira (by an admin, say) is registered again rather than reported as refused.
      const updated = await jira.request("PUT", `/rest/webhooks/1.0/webhook/${id}`, { body }).then(() => true, (error: unknown) => {
        if (error instanceof JiraNotFoundError) return false;
        throw error;
      });
      if (!updated) id = null;
    }
    if (!id) {
      const created = await jira.request<{ self: string }>("POST", "/rest/webhooks/1.0/webhook", { body });
      id = created.data.self.split("/").pop() ?? null;
      await store.inbox.setJiraWebhookId(connector.id, id);
    }
    return { url, secret, jql, events: WEBHOOK_EVENTS, registered: true, jiraWebhookId: id, instructions: null };
  } catch (error) {
    if (!(error instanceof JiraPermissionError || error instanceof JiraError)) throw error;
    return {
      url, secret, jql, events: WEBHOOK_EVENTS, registered: false, jiraWebhookId: null,
      instructions: `Tandem's identity may not register webhooks (${error.message}). Ask a Jira admin to add a webhook (Jira settings → System → WebHooks) with this URL, secret, JQL filter and events.`,
    };
  }
}

/** Events dynamic webhooks may subscribe to (attachment, link and worklog events are admin-only in Jira). */
export const DYNAMIC_EVENTS = ["jira:issue_created", "jira:issue_updated", "jira:issue_deleted", "comment_created", "comment_updated", "comment_deleted"];

const THIRTY_DAYS_MS = 30 * 24 * 3600_000;

/** OAuth connectors register dynamic webhooks (JQL required, no secret, 30-day expiry), refreshed before expiry. */
async function registerDynamic(store: TandemStore, connector: Connector, jira: JiraClient, input: { url: string; secret: string; jql: string; existingId: string | null }): Promise<Registration> {
  const jql = input.jql;
  // A dynamic webhook needs a filter, and "every project" is not one its JQL subset can say.
  if (!jql) return { url: input.url, secret: input.secret, jql, events: DYNAMIC_EVENTS, registered: false, jiraWebhookId: null, instructions: "No project of this connector syncs a Jira project yet: connect a project to it first, then register the webhook." };
  try {
    if (input.existingId) {
      await jira.request("PUT", "/rest/api/3/webhook/refresh", { body: { webhookIds: [Number(input.existingId)] } });
      await store.inbox.setJiraWebhookId(connector.id, input.existingId, "dynamic", Date.now() + THIRTY_DAYS_MS);
      return { url: input.url, secret: input.secret, jql, events: DYNAMIC_EVENTS, registered: true, jiraWebhookId: input.existingId, instructions: null };
    }
    const result = await jira.request<{ webhookRegistrationResult: { createdWebhookId?: number; errors?: string[] }[] }>("POST", "/rest/api/3/webhook", { body: { url: input.url, webhooks: [{ events: DYNAMIC_EVENTS, jqlFilter: jql }] } });
    const first = result.data.webhookRegistrationResult[0];
    if (!first?.createdWebhookId) throw new JiraError(`Jira refused the dynamic webhook: ${(first?.errors ?? []).join(" ")}`);
    const id = String(first.createdWebhookId);
    await store.inbox.setJiraWebhookId(connector.id, id, "dynamic", Date.now() + THIRTY_DAYS_MS);
    return { url: input.url, secret: input.secret, jql, events: DYNAMIC_EVENTS, registered: true, jiraWebhookId: id, instructions: null };
  } catch (error) {
    if (!(error instanceof JiraError)) throw error;
    return { url: input.url, secret: input.secret, jql, events: DYNAMIC_EVENTS, registered: false, jiraWebhookId: null, instructions: `Jira did not register the dynamic webhook (${error.message}). Check that the OAuth app has the manage:jira-webhook scope, then try again.` };
  }
}

/**
 * After a project's association changes, a webhook already registered for its connector is updated in place, so
 * its filter follows the projects' Jira projects and scopes. Best effort: a failure is logged, the association stays.
 */
export async function followProjectsInWebhook(store: TandemStore, connectorId: string, jiraFor: (connector: Connector) => Promise<JiraClient>, publicUrl: string): Promise<void> {
  const endpoint = await store.inbox.endpointFor(connectorId);
  const connector = await store.connectors.byId(connectorId);
  if (!endpoint?.jiraWebhookId || !connector) return;
  try {
    await registerWebhook(store, connector, await jiraFor(connector), publicUrl);
  } catch (error) {
    console.error(`tandem webhooks: updating the filter of '${connector.name}' failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Refreshes dynamic registrations that expire within a week (run daily by the scheduler). */
export async function refreshDynamicWebhooks(store: TandemStore, jiraFor: (connector: Connector) => Promise<JiraClient>, publicUrl: string): Promise<number> {
  let refreshed = 0;
  for (const endpoint of await store.inbox.expiringDynamic(Date.now() + 7 * 24 * 3600_000)) {
    const connector = await store.connectors.byId(endpoint.connectorId);
    if (!connector) continue;
    const result = await registerWebhook(store, connector, await jiraFor(connector), publicUrl);
    if (result.registered) refreshed += 1;
  }
  return refreshed;
}
