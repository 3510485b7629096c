// Processes the webhook inbox from a queue: deliveries of a burst are coalesced per issue; an issue's newest payload
// is applied as delivered when it is newer than what its item last synced and reads like Jira's answer, and every
// other issue is fetched in bulk by the sync run (so a stale or out-of-order payload never rolls anything back); a
// deleted issue only severs its links, and our own pushes echo back as "unchanged" rather than looping.
import { serviceAccountIdentity, startedBy } from "../connectors/run-identity.ts";
import { syncContextFor } from "../connectors/sync-context.ts";
import { jiraForConnector } from "../connectors/jira-for.ts";
import { runSync } from "../engine/sync-run.ts";
import { parseWebhookPayload, type WebhookPayload } from "../jira/webhook-payload.ts";
import type { Connector } from "../store/connectors.ts";
import type { Mapping } from "../engine/model.ts";
import type { InboxEntry } from "../store/inbox.ts";
import { severDeletedLink } from "../crossing/sever.ts";
import { EMPTY_COUNTS } from "../store/runs.ts";
import { refreshAfterEvents } from "../insights/service.ts";
import type { TandemStore } from "../store/store.ts";
import { madeBy, writeWindows, type JiraAccount } from "./echo.ts";
import { payloadIssues } from "./payload-issues.ts";

export interface ProcessorOptions {
  /**
   * The batching window (ms): a delivery waits at most this long for others of its burst, and a connector's batches
   * start at most once per window, so Jira is read at most once per window however many events arrive.
   */
  debounceMs: number;
  publicUrl: () => string;
  /** Record only: deliveries wait in the inbox for a worker process (`tandem serve --no-worker`). */
  paused: boolean;
}

export class WebhookProcessor {
  private store: TandemStore;
  private options: ProcessorOptions;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  /** The service account of each connector (whose changes are Tandem's own), looked up once. */
  private accounts = new Map<string, Promise<JiraAccount | null>>();

  constructor(store: TandemStore, options: Partial<ProcessorOptions> & Pick<ProcessorOptions, "publicUrl">) {
    this.store = store;
    this.options = { debounceMs: Number(process.env.TANDEM_WEBHOOK_WINDOW_MS ?? 50), paused: false, ...options };
  }

  /** The batching window (ms). */
  get windowMs(): number {
    return this.options.debounceMs;
  }

  /** Called after each recorded delivery. */
  kick(): void {
    if (this.timer || this.options.paused) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.drain();
    }, this.options.debounceMs);
  }

  /** Resolves when the inbox is processed (tests and shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
        void this.drain();
      }
      if (!this.running) return;
      await this.running;
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopped = true;
  }

  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  /** A delivery waiting to be tried again wakes the processor when it is due. */
  private async wakeForRetries(): Promise<void> {
    if (this.stopped || this.options.paused) return;
    const due = await this.store.inbox.nextRetryAt();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (due === null) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, Math.max(0, due - Date.now()) + 5);
    this.retryTimer.unref();
  }

  private drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let more = false;
      do {
        this.again = false;
        const started = performance.now();
        const applied = await this.processBatch();
        // Deliveries that arrived meanwhile are the next batch, which starts one window after this one started
        // (at once when applying took longer). When another process held every connector with deliveries, it
        // applies them: this one stops asking.
        more = applied > 0 && (await this.store.inbox.pending(1)).length > 0;
        const rest = this.options.debounceMs - (performance.now() - started);
        if (more && rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
      } while (this.again || more);
      await this.wakeForRetries();
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Applies a batch of each connector whose deliveries no other process is applying; answers how many it applied. */
  private async processBatch(): Promise<number> {
    let applied = 0;
    for (const connectorId of await this.store.inbox.pendingConnectors()) {
      // Several workers share a PostgreSQL store: one at a time applies a connector's deliveries, the others skip it.
      const outcome = await this.store.db.whileHolding(`tandem-inbox:${connectorId}`, async () => {
        // Read under the lock: another process may have applied some of them since the connectors were listed.
        const batch = await this.store.inbox.pending(500, connectorId);
        if (batch.length > 0) await this.applyAndRecord(connectorId, batch);
        return batch.length;
      });
      if (outcome.held) applied += outcome.value;
    }
    return applied;
  }

  private async applyAndRecord(connectorId: string, batch: InboxEntry[]): Promise<void> {
    try {
      const echoes = await this.apply(connectorId, batch);
      await this.store.inbox.markDone(batch.filter((entry) => !echoes.has(entry.id)).map((entry) => entry.id), "processed");
      for (const [signal, ids] of Map.groupBy(echoes.keys(), (id) => echoes.get(id)!)) await this.store.inbox.markDone(ids, "ignored", `The echo of Tandem's own write (${signal}).`);
    } catch (error) {
      // Tried again later (Jira may be down for a while); failed with the reason once its attempts are used.
      await this.store.inbox.failAttempt(batch.map((entry) => entry.id), error instanceof Error ? error.message : String(error));
    }
  }

  /** Applies a connector's batch; returns the deliveries recognised as echoes of Tandem's own writes (not applied). */
  private async apply(connectorId: string, batch: InboxEntry[]): Promise<Map<string, string>> {
    const connector = await this.store.connectors.byId(connectorId);
    if (!connector) return new Map();
    const deleted = new Set(batch.filter((entry) => entry.event === "jira:issue_deleted" && entry.issueId).map((entry) => entry.issueId!));
    // Each body is parsed once for the batch (the echo signals and the history's authors both read it).
    const payloads = new Map(batch.map((entry) => [entry.id, parseWebhookPayload(entry.body)] as const));
    const payloadOf = (entry: InboxEntry) => {
      const parsed = payloads.get(entry.id)!;
      return parsed.ok ? parsed.payload : null;
    };
    const echoes = await this.echoes(connector, batch.filter((entry) => entry.issueId && !deleted.has(entry.issueId)), payloadOf);
    const changed = new Set(batch.filter((entry) => entry.issueId && !deleted.has(entry.issueId) && !echoes.has(entry.id)).map((entry) => entry.issueId!));
    const projects = (await this.store.projects.list()).filter((project) => project.connectorId === connectorId);
    for (const project of projects) {
      // Reports' stored changelogs follow the events too, echoes included (Tandem's own writes are history as
      // well); a failure there never holds up the sync.
      await refreshAfterEvents(this.store, project, [...new Set(batch.flatMap((entry) => (entry.issueId ? [entry.issueId] : [])))]).catch((error) => console.error(`tandem insights: refresh of ${project.key} after events failed: ${error instanceof Error ? error.message : String(error)}`));
      // Only the items of the issues in this batch are read, not the project's.
      const items = [...(await this.store.projects.itemsByIssueIds(project.id, [...deleted, ...changed])).values()];
      // Deleting an issue in Jira severs the link; the item stays, marked, and the history records it.
      const severed = items.filter((candidate) => deleted.has(candidate.link!.jiraIssueId));
      if (severed.length) {
        const run = await this.store.runs.start({ projectId: project.id, kind: "sync", dryRun: false, userId: "webhook", identity: startedBy("webhook (issue deleted)", serviceAccountIdentity(connector)) });
        for (const item of severed) await severDeletedLink(this.store, run.id, item, "Jira sent its deletion event");
        await this.store.runs.finish(run.id, { ...EMPTY_COUNTS, changed: severed.length }, null);
      }
      const touched = items.filter((item) => changed.has(item.link!.jiraIssueId)).map((item) => item.id);
      // Minimal-retention projects copy no issue data: their cache is filled when opened or refreshed.
      if (touched.length === 0 || project.direction === "push" || project.retention === "minimal") continue;
      // The history (and the live feed) names who made the changes in Jira, beside the account Tandem acts as.
      const authors = changeAuthors(batch.filter((entry) => entry.issueId && changed.has(entry.issueId) && !echoes.has(entry.id)).map(payloadOf));
      const context = await syncContextFor(this.store, project, { system: "webhook", ...(authors ? { note: `from ${authors}` } : {}) }, this.options.publicUrl());
      // A delivered issue newer than what its item last synced is applied as delivered; the rest are read in bulk.
      const delivered = batch.filter((entry) => entry.issueId && changed.has(entry.issueId)).map(payloadOf);
      const payloads = (mappings: Mapping[]) => payloadIssues(delivered, mappings, connector.flavour);
      const run = await runSync(
        context.deps,
        { project, kind: project.direction === "two-way" ? "sync" : "pull", dryRun: false, userId: "webhook", identity: context.identity, itemRefs: touched, payloads },
      );
      // A run that failed as a whole (Jira down, a timeout that outlived the transport's retries) leaves the news
      // unapplied: the deliveries are tried again later rather than marked done. Per-item failures stay in the run.
      if (run.status === "failed") throw new Error(`the webhook sync of ${project.key} failed: ${run.error}`);
    }
    return echoes;
  }

  /**
   * Deliveries that are the echo of Tandem's own writes, by delivery id with the signal that recognised it. An issue's
   * deliveries are skipped only when every one of them is an echo: anything from anyone else gets the issue synced.
   */
  private async echoes(connector: Connector, entries: InboxEntry[], payloadOf: (entry: InboxEntry) => WebhookPayload | null): Promise<Map<string, string>> {
    const account = await this.serviceAccount(connector);
    const byIssue = Map.groupBy(entries, (entry) => entry.issueId!);
    const echoes = new Map<string, string>();
    for (const deliveries of byIssue.values()) {
      const signals = deliveries.map((entry) => {
        const payload = payloadOf(entry);
        if (!payload) return null;
        // Only when the connector's account is Tandem's alone (TANDEM_DEDICATED_SERVICE_ACCOUNT=1): an account people
        // also edit with by hand would otherwise have their edits taken for echoes.
        if (process.env.TANDEM_DEDICATED_SERVICE_ACCOUNT === "1" && madeBy(payload, account)) return "own identity";
        return writeWindows.covers(connector.id, payload, entry.receivedAt) ? "write window" : null;
      });
      if (signals.every((signal) => signal !== null)) deliveries.forEach((entry, index) => echoes.set(entry.id, signals[index]!));
    }
    return echoes;
  }

  /** The connector's service account: from its last Connect & Test, or asked of Jira once. */
  private serviceAccount(connector: Connector): Promise<JiraAccount | null> {
    const tested = (connector.lastTest as { account?: { accountId?: string | null; username?: string | null } | null } | null)?.account;
    if (tested) return Promise.resolve({ accountId: tested.accountId ?? null, username: tested.username ?? null });
    let known = this.accounts.get(connector.id);
    if (!known) {
      known = jiraForConnector(this.store, connector, "service", { readOnly: true })
        .then((jira) => jira.myself())
        .then((me) => ({ accountId: me.accountId ?? null, username: me.name ?? null }))
        .catch(() => {
          this.accounts.delete(connector.id);
          return null;
        });
      this.accounts.set(connector.id, known);
    }
    return known;
  }
}

/** Who made a batch's changes in Jira, as people know them: up to three names, then how many more; "" when unknown. */
function changeAuthors(payloads: (WebhookPayload | null)[]): string {
  const names = new Set<string>();
  for (const payload of payloads) {
    if (!payload) continue;
    const user = payload.user ?? payload.comment?.updateAuthor ?? payload.comment?.author;
    const name = user?.displayName ?? user?.emailAddress ?? user?.name;
    // A name is shown inside parentheses: one holding a parenthesis of its own is left out rather than garbled.
    if (name && !/[()]/.test(name)) names.add(name);
  }
  const listed = [...names];
  return listed.length <= 3 ? listed.join(", ") : `${listed.slice(0, 3).join(", ")} and ${listed.length - 3} more`;
}
