// Domain events the sandbox state emits after each mutation; the webhook dispatcher and the test controls listen.
import type { Attachment, ChangelogEntry, Comment, Issue, IssueLink, Worklog } from "./types.ts";

interface Base {
  /** Account id of the user who made the change. */
  actorId: string;
  /** Epoch ms of the change. */
  at: number;
}

export type SandboxEvent =
  | (Base & { type: "issue_created"; issue: Issue; changelog: ChangelogEntry | null })
  | (Base & {
      type: "issue_updated";
      issue: Issue;
      changelog: ChangelogEntry | null;
      /** Jira's issue_event_type_name: issue_updated, issue_generic, issue_assigned, issue_resolved, ... */
      eventTypeName: string;
      /** Present when a bulk operation made the change (its notification setting). */
      bulkOperation?: { sendMail: boolean };
    })
  | (Base & { type: "issue_deleted"; issue: Issue })
  | (Base & { type: "comment_created" | "comment_updated" | "comment_deleted"; issue: Issue; comment: Comment })
  | (Base & { type: "worklog_created" | "worklog_updated" | "worklog_deleted"; issue: Issue; worklog: Worklog })
  | (Base & { type: "attachment_created" | "attachment_deleted"; issue: Issue; attachment: Attachment })
  | (Base & { type: "issuelink_created" | "issuelink_deleted"; link: IssueLink })
  | (Base & { type: "issue_property_set" | "issue_property_deleted"; issue: Issue; propertyKey: string });

export type SandboxEventListener = (event: SandboxEvent) => void;
