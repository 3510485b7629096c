// Recognising the echo of Tandem's own writes in webhook deliveries, besides the snapshot (a value equal to what
// Tandem last wrote changes nothing in the sync run):
// - own identity: the change was made by the connector's service account, and no other delivery for that issue
//   came with it, so there is nothing of anyone else's to apply;
// - write window: the delivery arrived while Tandem was writing to that issue, or shortly after, and changed only
//   fields that write set, to the values it set (where a changelog value can be compared: text, numbers, options). Windows are kept in this process (the process that writes is the one that processes
//   its webhooks on one machine; with several workers the snapshot and identity signals still hold).
import type { WebhookPayload } from "../jira/webhook-payload.ts";

type ChangelogItem = NonNullable<WebhookPayload["changelog"]>["items"][number];

/** No written value for the field (a transition's status): the field alone is compared. */
const ANY = Symbol("any value");

/** How long after a write ends its echo is still expected (Jira delivers within seconds). */
export const WRITE_WINDOW_MS = 10_000;

interface OpenWrite {
  issueRef: string;
  fields: Map<string, unknown>;
  startedAt: number;
  endedAt: number | null;
}

const ISSUE_WRITE = /^\/rest\/api\/[23]\/issue\/([^/?]+)(\/transitions)?$/;

export class WriteWindows {
  private windowMs: number;
  private writes = new Map<string, OpenWrite[]>();

  constructor(windowMs = WRITE_WINDOW_MS) {
    this.windowMs = windowMs;
  }

  /** Records a write to an issue (edit or transition) as in flight; the returned function closes it. */
  begin(connectorId: string, write: { method: string; path: string; body: unknown }): () => void {
    const match = ISSUE_WRITE.exec(write.path);
    if (!match || (write.method !== "PUT" && !(write.method === "POST" && match[2]))) return () => {};
    const body = (write.body ?? {}) as { fields?: Record<string, unknown>; update?: Record<string, unknown> };
    const fields = new Map<string, unknown>([
      ...Object.entries(body.fields ?? {}),
      ...Object.keys(body.update ?? {}).map((field) => [field, ANY] as const),
      ...(match[2] ? (["status", "resolution"] as const).map((field) => [field, ANY] as const) : []),
    ].map(([field, value]) => [field.toLowerCase(), value]));
    const entry: OpenWrite = { issueRef: decodeURIComponent(match[1]!), fields, startedAt: Date.now(), endedAt: null };
    this.prune(connectorId);
    this.writes.set(connectorId, [...(this.writes.get(connectorId) ?? []), entry]);
    return () => {
      entry.endedAt = Date.now();
    };
  }

  /** True when the delivery came during or soon after a write to its issue and changed only what that write set. */
  covers(connectorId: string, payload: WebhookPayload, receivedAt: number): boolean {
    const issue = payload.issue;
    const changed = payload.changelog?.items;
    if (!issue || payload.webhookEvent !== "jira:issue_updated" || !changed?.length || payload.comment) return false;
    const writes = (this.writes.get(connectorId) ?? []).filter((write) => (write.issueRef === issue.id || write.issueRef === issue.key) && receivedAt >= write.startedAt && (write.endedAt === null || receivedAt <= write.endedAt + this.windowMs));
    if (writes.length === 0) return false;
    return changed.every((item) => writes.some((write) => {
      const field = [item.fieldId, item.field].find((name) => name && write.fields.has(name.toLowerCase()));
      return field !== undefined && sameValue(write.fields.get(field.toLowerCase()), item);
    }));
  }

  private prune(connectorId: string): void {
    const now = Date.now();
    this.writes.set(connectorId, (this.writes.get(connectorId) ?? []).filter((write) => write.endedAt === null || now - write.endedAt <= this.windowMs));
  }
}

/** The process's write windows, shared by every client Tandem builds (as the limiter is). */
export const writeWindows = new WriteWindows();

/** A Jira account as Connect & Test reported it (accountId on Cloud, username on Data Center). */
export interface JiraAccount {
  accountId: string | null;
  username: string | null;
}

/** True when the delivery's author is this account. */
export function madeBy(payload: WebhookPayload, account: JiraAccount | null): boolean {
  const user = payload.user ?? payload.comment?.updateAuthor ?? payload.comment?.author;
  if (!user || !account) return false;
  if (account.accountId && user.accountId) return user.accountId === account.accountId;
  return Boolean(account.username && (user.name === account.username || user.key === account.username));
}

/** Whether a changelog item records the value written; values whose changelog form differs (rich text, lists) match by field. */
function sameValue(written: unknown, item: ChangelogItem): boolean {
  if (written === ANY) return true;
  if (written === null || written === undefined) return !item.to && !item.toString;
  if (typeof written === "string" || typeof written === "number" || typeof written === "boolean") return String(written) === item.toString || String(written) === item.to;
  if (Array.isArray(written) || typeof written !== "object") return true;
  const option = written as { id?: string; accountId?: string; name?: string; value?: string; key?: string; type?: string };
  if (option.type === "doc") return true;
  if (option.id ?? option.accountId) return (option.id ?? option.accountId) === item.to;
  const label = option.name ?? option.value ?? option.key;
  return label === undefined || label === item.toString || label === item.to;
}
