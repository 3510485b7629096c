// Registering Tandem's webhook in Jira: an admin webhook filtered by the JQL of the connector's projects, with the
// secret; updated in place on later calls (never a second registration). When the identity may not register,
// the URL, secret, JQL and events are returned for a Jira admin to paste.
import type { JiraClient } from "../jira/client.ts";
import { JiraError, JiraPermissionError } from "../jira/errors.ts";
import type { Connector } from "../store/connectors.ts";
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

export async function registerWebhook(store: TandemStore, connector: Connector, jira: JiraClient, publicUrl: string): Promise<Registration> {
  const projects = (await store.projects.list()).filter((project) => project.connectorId === connector.id);
  const keys = [...new Set(projects.flatMap((project) => project.jiraProjects))].sort();
  const jql = keys.length ? `project in (${keys.join(", ")})` : "";
  const { endpoint, secret } = await store.inbox.ensureEndpoint(connector.id, jql);
  const url = `${publicUrl}/hooks/jira/${endpoint.pathToken}`;
  const body = { name: `Tandem (${connector.name})`, url, events: WEBHOOK_EVENTS, filters: { "issue-related-events-section": jql }, excludeBody: false, secret };
  try {
    let id = endpoint.jiraWebhookId;
    if (id) {
      await jira.request("PUT", `/rest/webhooks/1.0/webhook/${id}`, { body });
    } else {
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
