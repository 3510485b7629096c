// Webhook bodies with Jira's real shape. Bodies are REST v2 even on Cloud (rich text arrives as wiki markup);
// Server/DC comment events carry no `issue`, and its changelog items have no fieldId.
import type { SandboxEvent } from "../model/events.ts";
import type { SandboxState } from "../model/state.ts";
import type { Issue, WebhookEventName } from "../model/types.ts";
import { renderHistory } from "../render/changelog.ts";
import { renderComment, renderWorklog } from "../render/comments.ts";
import { apiUrl, jiraDateTime, type RenderContext } from "../render/context.ts";
import { renderIssue } from "../render/issue.ts";
import { renderUser } from "../render/objects.ts";

export interface WebhookMessage {
  /** The webhook event name a registration subscribes to. */
  event: WebhookEventName | "worklog_created" | "worklog_updated" | "worklog_deleted";
  issue: Issue | null;
  body: Record<string, unknown>;
}

/** Fields Cloud puts on the issue of a comment event. */
const COMMENT_EVENT_FIELDS = ["summary", "issuetype", "project", "assignee", "priority", "status"];

/** Turns a state event into the webhook messages Jira would send for it (a comment also updates the issue). */
export function messagesFor(state: SandboxState, baseUrl: string, event: SandboxEvent): WebhookMessage[] {
  const ctx: RenderContext = { state, baseUrl, apiVersion: "2", viewerId: event.actorId };
  const actor = state.userByAccountId(event.actorId);
  const user = actor ? renderUser(ctx, actor) : undefined;
  // Webhook issues are the v2 bean without the `expand` hint, with comments and worklogs.
  const issueBody = (issue: Issue) => {
    const { expand: _hint, ...bean } = renderIssue(ctx, issue, { fields: ["*navigable", "comment", "worklog"], defaultFields: "*navigable", expand: [], properties: [] });
    return bean;
  };
  const base = (webhookEvent: string) => ({ timestamp: event.at, webhookEvent });

  switch (event.type) {
    case "issue_created":
      return [{
        event: "jira:issue_created",
        issue: event.issue,
        body: {
          ...base("jira:issue_created"),
          issue_event_type_name: "issue_created",
          user,
          issue: issueBody(event.issue),
          // Cloud's created events carry a changelog of the initial values; Server's do not.
          ...(state.flavour === "cloud" ? { changelog: creationChangelog(state, event.issue) } : {}),
        },
      }];
    case "issue_updated":
      return [{
        event: "jira:issue_updated",
        issue: event.issue,
        body: {
          ...base("jira:issue_updated"),
          issue_event_type_name: event.eventTypeName,
          user,
          issue: issueBody(event.issue),
          ...(event.changelog ? { changelog: { id: event.changelog.id, items: (renderHistory(ctx, event.changelog) as { items: unknown[] }).items } } : {}),
          // "Bulk operations add bulkOperationMetaData" to the body (Atlassian's webhooks page).
          ...(event.bulkOperation ? { bulkOperationMetaData: { sendMail: event.bulkOperation.sendMail } } : {}),
        },
      }];
    case "issue_deleted":
      return [{ event: "jira:issue_deleted", issue: event.issue, body: { ...base("jira:issue_deleted"), user, issue: issueBody(event.issue) } }];
    case "comment_created":
    case "comment_updated":
    case "comment_deleted": {
      const comment = renderComment(ctx, event.issue, event.comment);
      const commentEvent: WebhookMessage = {
        event: event.type,
        issue: event.issue,
        body: {
          ...base(event.type),
          comment,
          ...(state.flavour === "cloud" ? { issue: smallIssue(ctx, event.issue) } : {}),
          // Server names the actor on comment edits and deletions, not on creation.
          ...(state.flavour === "dc" && event.type !== "comment_created" ? { user } : {}),
        },
      };
      const typeName = { comment_created: "issue_commented", comment_updated: "issue_comment_edited", comment_deleted: "issue_comment_deleted" }[event.type];
      const issueEvent: WebhookMessage = {
        event: "jira:issue_updated",
        issue: event.issue,
        body: { ...base("jira:issue_updated"), issue_event_type_name: typeName, user, issue: issueBody(event.issue), ...(event.type === "comment_deleted" ? {} : { comment }) },
      };
      return [commentEvent, issueEvent];
    }
    case "worklog_created":
    case "worklog_updated":
    case "worklog_deleted":
      return [{ event: event.type, issue: event.issue, body: { ...base(event.type), worklog: { ...renderWorklog(ctx, event.issue, event.worklog), issueId: event.issue.id } } }];
    case "attachment_created":
    case "attachment_deleted": {
      const author = state.userByAccountId(event.attachment.authorId);
      return [{
        event: event.type,
        issue: event.issue,
        body: {
          ...base(event.type),
          attachment: {
            self: apiUrl(ctx, `attachment/${event.attachment.id}`),
            id: Number(event.attachment.id),
            filename: event.attachment.filename,
            ...(author ? { author: renderUser(ctx, author) } : {}),
            created: jiraDateTime(event.attachment.created),
            size: event.attachment.size,
            mimeType: event.attachment.mimeType,
            content: `${baseUrl}/secure/attachment/${event.attachment.id}/${encodeURIComponent(event.attachment.filename)}`,
          },
        },
      }];
    }
    case "issuelink_created":
    case "issuelink_deleted": {
      const type = state.issueLinkTypes.get(event.link.typeId)!;
      const source = state.issues.get(event.link.outwardIssueId) ?? null;
      return [{
        event: event.type,
        issue: source,
        body: {
          ...base(event.type),
          issueLink: {
            id: Number(event.link.id),
            sourceIssueId: Number(event.link.outwardIssueId),
            destinationIssueId: Number(event.link.inwardIssueId),
            issueLinkType: { id: Number(type.id), name: type.name, outwardName: type.outward, inwardName: type.inward, isSubTaskLinkType: false, isSystemLinkType: false },
            systemLink: false,
          },
        },
      }];
    }
    default:
      return [];
  }
}

/** The small issue Cloud puts on comment events. */
function smallIssue(ctx: RenderContext, issue: Issue) {
  const { expand: _hint, ...bean } = renderIssue(ctx, issue, { fields: COMMENT_EVENT_FIELDS, defaultFields: "id", expand: [], properties: [] });
  return bean;
}

/** The initial values Cloud reports as a changelog on jira:issue_created. */
function creationChangelog(state: SandboxState, issue: Issue) {
  const status = state.statuses.get(issue.statusId)!;
  const priority = issue.priorityId ? state.priorities.get(issue.priorityId) : undefined;
  const items = [
    { field: "summary", fieldtype: "jira", fieldId: "summary", from: null, fromString: null, to: null, toString: issue.summary },
    { field: "Status", fieldtype: "jira", fieldId: "status", from: null, fromString: null, to: status.id, toString: status.name },
    ...(priority ? [{ field: "priority", fieldtype: "jira", fieldId: "priority", from: null, fromString: null, to: priority.id, toString: priority.name }] : []),
    ...(issue.reporterId ? [{ field: "reporter", fieldtype: "jira", fieldId: "reporter", from: null, fromString: null, to: issue.reporterId, toString: state.userByAccountId(issue.reporterId)?.displayName ?? null }] : []),
  ];
  return { id: String(state.nextId("changelog")), items };
}

/** Jira substitutes ${issue.key}-style variables in a webhook URL. */
export function expandUrl(url: string, issue: Issue | null, state: SandboxState): string {
  if (!issue) return url;
  const project = state.projects.get(issue.projectId);
  return url
    .replaceAll("${issue.id}", issue.id)
    .replaceAll("${issue.key}", issue.key)
    .replaceAll("${project.id}", project?.id ?? "")
    .replaceAll("${project.key}", project?.key ?? "");
}
