// Webhook endpoints (an unguessable path and a sealed secret per connector) and the durable inbox of verified
// deliveries: written before answering, processed from a queue, recorded once per delivery identifier.
import { randomBytes, randomUUID } from "node:crypto";
import type { SecretBox } from "../security/secrets.ts";
import { chunks, marks } from "./chunks.ts";
import type { SqlDatabase } from "./database.ts";

export interface WebhookEndpoint {
  connectorId: string;
  /** admin: Jira signs with our secret; dynamic (OAuth apps): no secret field, the unguessable path authenticates. */
  kind: "admin" | "dynamic";
  expiresAt: number | null;
  pathToken: string;
  jiraWebhookId: string | null;
  jql: string;
  verifiedCount: number;
  rejectedCount: number;
  lastDeliveryAt: number | null;
  createdAt: number;
}

interface EndpointRow {
  connector_id: string;
  kind: "admin" | "dynamic";
  expires_at: number | null;
  path_token: string;
  secret_sealed: string;
  jira_webhook_id: string | null;
  jql: string;
  verified_count: number;
  rejected_count: number;
  last_delivery_at: number | null;
  created_at: number;
}

const toEndpoint = (row: EndpointRow): WebhookEndpoint => ({
  connectorId: row.connector_id,
  kind: row.kind,
  expiresAt: row.expires_at === null ? null : Number(row.expires_at),
  pathToken: row.path_token,
  jiraWebhookId: row.jira_webhook_id,
  jql: row.jql,
  verifiedCount: Number(row.verified_count),
  rejectedCount: Number(row.rejected_count),
  lastDeliveryAt: row.last_delivery_at === null ? null : Number(row.last_delivery_at),
  createdAt: Number(row.created_at),
});

/** Processing attempts of a delivery before it is failed; the delays between them grow: 2 s, 10 s, 1 min, 5 min. */
export const INBOX_ATTEMPTS = 5;
const RETRY_DELAYS_MS = [2_000, 10_000, 60_000, 300_000];
const retryDelayMs = (attempts: number) => Number(process.env.TANDEM_INBOX_RETRY_MS ?? RETRY_DELAYS_MS[Math.min(attempts, RETRY_DELAYS_MS.length) - 1]);

/** A delivery waiting to be applied whose time has come (a retry waits for its next attempt); the parameter is now. */
const DUE = "status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)";

export interface InboxEntry {
  id: string;
  connectorId: string;
  identifier: string;
  event: string;
  issueId: string | null;
  body: string;
  receivedAt: number;
}

/** A delivery's processing record (without its body). */
export interface InboxRecord {
  id: string;
  connectorId: string;
  identifier: string;
  event: string;
  issueId: string | null;
  status: "pending" | "processed" | "ignored" | "failed";
  error: string | null;
  receivedAt: number;
  processedAt: number | null;
  /** Processing attempts that failed so far, and when the next one is due (a retry waiting). */
  attempts: number;
  nextAttemptAt: number | null;
}

interface InboxRecordRow {
  id: string;
  connector_id: string;
  identifier: string;
  event: string;
  issue_id: string | null;
  status: InboxRecord["status"];
  error: string | null;
  received_at: number;
  processed_at: number | null;
  attempts: number;
  next_attempt_at: number | null;
}

const toRecord = (row: InboxRecordRow): InboxRecord => ({
  id: row.id, connectorId: row.connector_id, identifier: row.identifier, event: row.event, issueId: row.issue_id, status: row.status, error: row.error,
  receivedAt: Number(row.received_at), processedAt: row.processed_at === null ? null : Number(row.processed_at),
  attempts: Number(row.attempts), nextAttemptAt: row.next_attempt_at === null ? null : Number(row.next_attempt_at),
});

export class InboxRepository {
  private db: SqlDatabase;
  /** Arrival times strictly increase in a process, so ordering by them is the order deliveries came in. */
  private lastReceivedAt = 0;
  private box: SecretBox;
  constructor(db: SqlDatabase, box: SecretBox) {
    this.db = db;
    this.box = box;
  }

  /** The connector's endpoint, created once (a restart never makes a second one). */
  async ensureEndpoint(connectorId: string, jql: string): Promise<{ endpoint: WebhookEndpoint; secret: string; created: boolean }> {
    const existing = await this.db.get<EndpointRow>("SELECT * FROM webhook_endpoints WHERE connector_id = ?", [connectorId]);
    if (existing) {
      if (existing.jql !== jql) await this.db.run("UPDATE webhook_endpoints SET jql = ? WHERE connector_id = ?", [jql, connectorId]);
      return { endpoint: toEndpoint({ ...existing, jql }), secret: this.box.open(existing.secret_sealed), created: false };
    }
    const secret = randomBytes(32).toString("base64url");
    await this.db.run("INSERT INTO webhook_endpoints (connector_id, path_token, secret_sealed, jira_webhook_id, jql, verified_count, rejected_count, last_delivery_at, created_at) VALUES (?, ?, ?, NULL, ?, 0, 0, NULL, ?)", [
      connectorId, randomBytes(24).toString("base64url"), this.box.seal(secret), jql, Date.now(),
    ]);
    return { ...(await this.ensureEndpoint(connectorId, jql)), created: true };
  }

  async endpointFor(connectorId: string): Promise<WebhookEndpoint | undefined> {
    const row = await this.db.get<EndpointRow>("SELECT * FROM webhook_endpoints WHERE connector_id = ?", [connectorId]);
    return row ? toEndpoint(row) : undefined;
  }

  async byToken(pathToken: string): Promise<(WebhookEndpoint & { secret: string }) | undefined> {
    // Every delivery asks: under a burst, the answer of the last second serves (an endpoint changes rarely).
    const known = this.byTokenCache.get(pathToken);
    if (known && known.until > Date.now()) return known.endpoint;
    const row = await this.db.get<EndpointRow>("SELECT * FROM webhook_endpoints WHERE path_token = ?", [pathToken]);
    const endpoint = row ? { ...toEndpoint(row), secret: this.box.open(row.secret_sealed) } : undefined;
    if (endpoint) {
      if (this.byTokenCache.size > 1000) this.byTokenCache.clear();
      this.byTokenCache.set(pathToken, { endpoint, until: Date.now() + 1000 });
    }
    return endpoint;
  }

  /** The endpoints (with their opened secret) asked for in the last second: every delivery asks for one. */
  private byTokenCache = new Map<string, { endpoint: WebhookEndpoint & { secret: string }; until: number }>();

  async setJiraWebhookId(connectorId: string, id: string | null, kind: "admin" | "dynamic" = "admin", expiresAt: number | null = null): Promise<void> {
    await this.db.run("UPDATE webhook_endpoints SET jira_webhook_id = ?, kind = ?, expires_at = ? WHERE connector_id = ?", [id, kind, expiresAt, connectorId]);
  }

  /** Dynamic registrations expiring before `before` (refreshed ahead of Jira's 30 days). */
  async expiringDynamic(before: number): Promise<WebhookEndpoint[]> {
    return (await this.db.all<EndpointRow>("SELECT * FROM webhook_endpoints WHERE kind = 'dynamic' AND expires_at IS NOT NULL AND expires_at < ?", [before])).map(toEndpoint);
  }

  async countRejected(connectorId: string): Promise<void> {
    await this.db.run("UPDATE webhook_endpoints SET rejected_count = rejected_count + 1 WHERE connector_id = ?", [connectorId]);
  }

  /**
   * Records a verified delivery; false when the same identifier (a retry or duplicate) or the same issue version (the
   * same change sent by a second registration, or resent under a new identifier) was recorded before. Two
   * copies arriving at once are told apart by the unique key, not by a read first: the second insert does nothing.
   * Deliveries arriving together are written in one transaction (group commit), each answered once it is durable:
   * under a burst, one commit serves many deliveries instead of one each.
   */
  record(entry: Omit<InboxEntry, "id" | "receivedAt"> & { version?: string | null }): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ entry, resolve, reject });
      if (this.waiting.length === 1 && !this.writing) setImmediate(() => void this.writeWaiting());
    });
  }

  /** One group commit at a time: what arrives meanwhile is the next group (no two commits wait on each other's locks). */
  private writing = false;

  private waiting: { entry: Omit<InboxEntry, "id" | "receivedAt"> & { version?: string | null }; resolve: (fresh: boolean) => void; reject: (error: unknown) => void }[] = [];

  private async writeWaiting(): Promise<void> {
    if (this.writing || this.waiting.length === 0) return;
    this.writing = true;
    const batch = this.waiting.splice(0);
    try {
      const fresh = await this.db.transaction(async (tx) => {
        const ids = batch.map(() => randomUUID());
        const inserted = new Set<string>();
        // One multi-row insert per hundred; a repeat of either the identifier or the issue version is the same news,
        // so it inserts nothing and is not returned.
        for (const chunk of chunks(batch.map((waiting, index) => ({ ...waiting.entry, id: ids[index]! })), 100)) {
          const values = chunk.flatMap((entry) => {
            this.lastReceivedAt = Math.max(Date.now(), this.lastReceivedAt + 1);
            return [entry.id, entry.connectorId, entry.identifier, entry.event, entry.issueId, entry.body, this.lastReceivedAt, entry.version ?? null];
          });
          const rows = await tx.all<{ id: string }>(`INSERT INTO inbox (id, connector_id, identifier, event, issue_id, body, status, error, received_at, processed_at, version) VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?, 'pending', NULL, ?, NULL, ?)").join(", ")} ON CONFLICT DO NOTHING RETURNING id`, values);
          for (const row of rows) inserted.add(row.id);
        }
        const results = ids.map((id) => inserted.has(id));
        for (const [connectorId, verified] of Map.groupBy(batch, (waiting) => waiting.entry.connectorId)) {
          await tx.run("UPDATE webhook_endpoints SET verified_count = verified_count + ?, last_delivery_at = ? WHERE connector_id = ?", [verified.length, Date.now(), connectorId]);
        }
        return results;
      });
      batch.forEach((waiting, index) => waiting.resolve(fresh[index]!));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      this.writing = false;
      if (this.waiting.length) setImmediate(() => void this.writeWaiting());
    }
  }

  /** The oldest deliveries waiting and due (a retry waits for its time), of every connector or of one. */
  async pending(limit = 500, connectorId?: string): Promise<InboxEntry[]> {
    const rows = await this.db.all<{ id: string; connector_id: string; identifier: string; event: string; issue_id: string | null; body: string; received_at: number }>(
      `SELECT * FROM inbox WHERE ${DUE}${connectorId ? " AND connector_id = ?" : ""} ORDER BY received_at LIMIT ?`,
      connectorId ? [Date.now(), connectorId, limit] : [Date.now(), limit],
    );
    return rows.map((row) => ({ id: row.id, connectorId: row.connector_id, identifier: row.identifier, event: row.event, issueId: row.issue_id, body: row.body, receivedAt: Number(row.received_at) }));
  }

  /** The connectors that have deliveries waiting, the one waiting longest first. */
  async pendingConnectors(): Promise<string[]> {
    const rows = await this.db.all<{ connector_id: string }>(`SELECT connector_id FROM inbox WHERE ${DUE} GROUP BY connector_id ORDER BY MIN(received_at)`, [Date.now()]);
    return rows.map((row) => row.connector_id);
  }

  async markDone(ids: string[], status: "processed" | "ignored" | "failed", error: string | null = null): Promise<void> {
    // One statement per few hundred deliveries, not one per delivery.
    for (const chunk of chunks(ids, 500)) await this.db.run(`UPDATE inbox SET status = ?, error = ?, processed_at = ? WHERE id IN (${marks(chunk.length)})`, [status, error, Date.now(), ...chunk]);
  }

  /**
   * Processing these deliveries failed (Jira unreachable, say): each is tried again after a growing delay, and
   * failed with the reason once it has used its attempts (a person can still retry it from the job view).
   */
  async failAttempt(ids: string[], error: string): Promise<void> {
    const now = Date.now();
    for (const chunk of chunks(ids, 500)) {
      // A batch's deliveries have usually been tried as often: one statement per count of attempts.
      const rows = await this.db.all<{ id: string; attempts: number }>(`SELECT id, attempts FROM inbox WHERE id IN (${marks(chunk.length)})`, chunk);
      for (const [tried, group] of Map.groupBy(rows, (row) => Number(row.attempts))) {
        const attempts = tried + 1;
        const given = group.map((row) => row.id);
        if (attempts >= INBOX_ATTEMPTS) await this.db.run(`UPDATE inbox SET status = 'failed', attempts = ?, error = ?, next_attempt_at = NULL, processed_at = ? WHERE id IN (${marks(given.length)})`, [attempts, error, now, ...given]);
        else await this.db.run(`UPDATE inbox SET status = 'pending', attempts = ?, error = ?, next_attempt_at = ? WHERE id IN (${marks(given.length)})`, [attempts, error, now + retryDelayMs(attempts), ...given]);
      }
    }
  }

  /** When the next waiting retry is due, if any. */
  async nextRetryAt(): Promise<number | null> {
    const row = await this.db.get<{ due: number | null }>("SELECT MIN(next_attempt_at) AS due FROM inbox WHERE status = 'pending' AND next_attempt_at IS NOT NULL");
    return row?.due === null || row?.due === undefined ? null : Number(row.due);
  }

  /** One delivery with its processing state (the job view shows failed ones). */
  async entry(id: string): Promise<InboxRecord | undefined> {
    const row = await this.db.get<InboxRecordRow>("SELECT id, connector_id, identifier, event, issue_id, status, error, received_at, processed_at, attempts, next_attempt_at FROM inbox WHERE id = ?", [id]);
    return row ? toRecord(row) : undefined;
  }

  async failed(limit = 100): Promise<InboxRecord[]> {
    return (await this.db.all<InboxRecordRow>("SELECT id, connector_id, identifier, event, issue_id, status, error, received_at, processed_at, attempts, next_attempt_at FROM inbox WHERE status = 'failed' ORDER BY received_at DESC LIMIT ?", [limit])).map(toRecord);
  }

  /** A failed delivery goes back to pending, to be processed again. */
  async requeue(id: string): Promise<boolean> {
    return (await this.db.run("UPDATE inbox SET status = 'pending', error = NULL, processed_at = NULL, attempts = 0, next_attempt_at = NULL WHERE id = ? AND status = 'failed'", [id])).changes === 1;
  }

  async counts(connectorId: string): Promise<Record<string, number>> {
    const rows = await this.db.all<{ status: string; n: number }>("SELECT status, COUNT(*) AS n FROM inbox WHERE connector_id = ? GROUP BY status", [connectorId]);
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  }
}
