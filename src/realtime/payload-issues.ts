// Which webhook payloads can stand for reading their issue from Jira. A payload is the issue as Jira delivered it
// (REST v2 shape, even on Cloud), so it is used only where every mapped field reads the same in it as in the REST
// answer the connector would get; the engine then uses it only when it is newer than the version the item last
// synced (sync-run's `payloads`). Anything else, or any doubt, leaves the issue to be read as before.
import type { JiraFlavour } from "../jira/credentials.ts";
import { jiraTime } from "../jira/time.ts";
import type { JiraIssue } from "../jira/types.ts";
import type { WebhookPayload } from "../jira/webhook-payload.ts";
import type { Mapping } from "../engine/model.ts";
import { mappedJiraFields } from "../engine/sync-run.ts";

/** Events whose payload carries the whole issue (a comment event's issue is trimmed to a few fields). */
const WHOLE_ISSUE_EVENTS = new Set(["jira:issue_created", "jira:issue_updated"]);

/** Transforms that read a field's webhook value exactly as its REST value: plain values, options, statuses, times. */
const READ_ALIKE = new Set(["status", "valueMap", "duration", "ratio", "options", "datetime", "labels", "date", "number", "itemUrl", "now"]);

/**
 * Whether the mapping reads the payload's value as it would read Jira's answer. Rich text is wiki markup in a
 * payload and ADF in Cloud's REST v3 answer (alike on Data Center, whose REST answer is v2 too); a copied string on
 * Cloud may be such rich text, so only the summary is taken; people are left out (a payload's users may lack the
 * email a person is matched by).
 */
function readsAlike(mapping: Mapping, fields: Record<string, unknown>, flavour: JiraFlavour): boolean {
  const kind = mapping.transform.kind;
  if (READ_ALIKE.has(kind)) return true;
  if (kind === "richText") return flavour === "dc";
  if (kind === "copy") return flavour === "dc" || mapping.jiraField === "summary" || typeof fields[mapping.jiraField] !== "string";
  return false;
}

const updatedOf = (payload: WebhookPayload): number => (typeof payload.issue?.fields.updated === "string" ? jiraTime(payload.issue.fields.updated) : Number.NaN);

/**
 * The issues (by id) whose newest delivery in `payloads` can stand for a read under these mappings. An issue is
 * left out when any of its deliveries is not a whole-issue event, has no readable `updated`, lacks a mapped field or
 * holds one that reads differently, or when its two newest deliveries share an `updated` time (which is newer
 * cannot be told).
 */
export function payloadIssues(payloads: (WebhookPayload | null)[], mappings: Mapping[], flavour: JiraFlavour): Map<string, JiraIssue> {
  const fieldsNeeded = mappedJiraFields(mappings);
  const usable = (payload: WebhookPayload | null): payload is WebhookPayload & { issue: NonNullable<WebhookPayload["issue"]> } => {
    if (!payload?.issue || !WHOLE_ISSUE_EVENTS.has(payload.webhookEvent) || !Number.isFinite(updatedOf(payload))) return false;
    const fields = payload.issue.fields as Record<string, unknown>;
    return fieldsNeeded.every((field) => field in fields) && mappings.every((mapping) => readsAlike(mapping, fields, flavour));
  };
  const byIssue = Map.groupBy(payloads.filter((payload) => payload?.issue?.id), (payload) => payload!.issue!.id);
  const issues = new Map<string, JiraIssue>();
  for (const [id, deliveries] of byIssue) {
    if (!deliveries.every(usable)) continue;
    const [newest, next] = [...deliveries].sort((a, b) => updatedOf(b!) - updatedOf(a!));
    if (next && updatedOf(next) === updatedOf(newest!) && JSON.stringify(next.issue!.fields) !== JSON.stringify(newest!.issue!.fields)) continue;
    issues.set(id, newest!.issue as unknown as JiraIssue);
  }
  return issues;
}
