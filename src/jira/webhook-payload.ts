// Jira webhook bodies as Tandem's intake reads them (and as the sandbox's emitter is checked against):
// Cloud and Server/DC, old and new styles. Bodies are REST v2 shapes: rich text is wiki markup, users carry
// accountId on Cloud and name/key on Server, Server comment events carry no issue, Server changelogs no fieldId.
import { z } from "zod";

export const webhookUserSchema = z.looseObject({
  self: z.string().optional(),
  accountId: z.string().optional(),
  name: z.string().optional(),
  key: z.string().optional(),
  emailAddress: z.string().optional(),
  displayName: z.string().optional(),
  active: z.boolean().optional(),
  timeZone: z.string().optional(),
});

export const changelogItemSchema = z.looseObject({
  field: z.string(),
  fieldtype: z.string(),
  fieldId: z.string().optional(),
  from: z.string().nullable(),
  fromString: z.string().nullable(),
  to: z.string().nullable(),
  toString: z.string().nullable(),
});

export const webhookChangelogSchema = z.looseObject({
  id: z.string(),
  items: z.array(changelogItemSchema),
});

export const webhookIssueSchema = z.looseObject({
  id: z.string(),
  self: z.string(),
  key: z.string(),
  fields: z.looseObject({
    summary: z.string().optional(),
    description: z.string().nullable().optional(),
    updated: z.string().optional(),
    project: z.looseObject({ id: z.string(), key: z.string() }).optional(),
    issuetype: z.looseObject({ id: z.string(), name: z.string() }).optional(),
    status: z.looseObject({ id: z.string(), name: z.string(), statusCategory: z.looseObject({ key: z.string() }).optional() }).optional(),
  }),
});

export const webhookCommentSchema = z.looseObject({
  self: z.string(),
  id: z.string(),
  author: webhookUserSchema.optional(),
  body: z.string(),
  updateAuthor: webhookUserSchema.optional(),
  created: z.string(),
  updated: z.string(),
});

export const webhookPayloadSchema = z.looseObject({
  timestamp: z.number(),
  webhookEvent: z.string(),
  issue_event_type_name: z.string().optional(),
  user: webhookUserSchema.optional(),
  issue: webhookIssueSchema.optional(),
  changelog: webhookChangelogSchema.optional(),
  comment: webhookCommentSchema.optional(),
  attachment: z.looseObject({ id: z.union([z.number(), z.string()]), filename: z.string() }).optional(),
  issueLink: z.looseObject({ id: z.number(), sourceIssueId: z.number(), destinationIssueId: z.number() }).optional(),
  worklog: z.looseObject({ id: z.string(), issueId: z.string() }).optional(),
  matchedWebhookIds: z.array(z.number()).optional(),
});

export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

/** Parses a raw webhook body; the error names the first wrong path so a bad delivery can be recorded usefully. */
export function parseWebhookPayload(raw: string | unknown): { ok: true; payload: WebhookPayload } | { ok: false; error: string } {
  let json: unknown = raw;
  if (typeof raw === "string") {
    try {
      json = JSON.parse(raw);
    } catch {
      return { ok: false, error: "The webhook body is not valid JSON." };
    }
  }
  const result = webhookPayloadSchema.safeParse(json);
  if (result.success) return { ok: true, payload: result.data };
  const issue = result.error.issues[0]!;
  return { ok: false, error: `Webhook body does not have Jira's shape at '${issue.path.join(".") || "(root)"}': ${issue.message}` };
}

/** The issue a delivery is about, whichever style it came in (Server comment events name it only in the comment's self link). */
export function issueIdOf(payload: WebhookPayload): string | null {
  if (payload.issue) return payload.issue.id;
  const self = payload.comment?.self ?? "";
  const match = /\/issue\/(\d+)\/comment\//.exec(self);
  return match ? match[1]! : payload.worklog?.issueId ?? null;
}

/**
 * The issue version a delivery reports, when it names one: an issue event's changelog, a comment event's comment as
 * of its last update. Two deliveries of one version are the same news, whatever their identifiers.
 */
export function versionOf(payload: WebhookPayload): string | null {
  const issueId = issueIdOf(payload);
  if (payload.changelog?.id && issueId) return `${payload.webhookEvent}:${issueId}:changelog:${payload.changelog.id}`;
  if (payload.comment && issueId) return `${payload.webhookEvent}:${issueId}:comment:${payload.comment.id}:${payload.comment.updated}`;
  return null;
}
