// Processes the webhook inbox from a queue: deliveries of a burst are coalesced per issue, the current state is
// fetched in bulk by the sync run (so a stale or out-of-order payload never rolls anything back), a deleted issue
// only severs its links, and our own pushes echo back as "unchanged" rather than looping.
import { syncContextFor } from "../connectors/sync-context.ts";
import { runSync } from "../engine/sync-run.ts";
import { refreshAfterEvents } from "../insights/service.ts";
import type { TandemStore } from "../store/store.ts";

export interface ProcessorOptions {
  /** Wait this long after a delivery for others of the same burst (ms). */
  debounceMs: number;
  publicUrl: () => string;
}

export class WebhookProcessor {
  private store: TandemStore;
  private options: ProcessorOptions;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(store: TandemStore, options: Partial<ProcessorOptions> & Pick<ProcessorOptions, "publicUrl">) {
    this.store = store;
    this.options = { debounceMs: 150, ...options };
  }

  /** Called after each recorded delivery. */
  kick(): void {
    if (this.timer) return;
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
  }

  private drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.processBatch();
        // Deliveries that arrived while processing wait one debounce more, so a burst is applied in few batches.
        if ((await this.store.inbox.pending(1)).length > 0) await new Promise((resolve) => setTimeout(resolve, this.options.debounceMs));
      } while (this.again || (await this.store.inbox.pending(1)).length > 0);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async processBatch(): Promise<void> {
    const entries = await this.store.inbox.pending();
    const byConnector = new Map<string, typeof entries>();
    for (const entry of entries) byConnector.set(entry.connectorId, [...(byConnector.get(entry.connectorId) ?? []), entry]);
    for (const [connectorId, batch] of byConnector) {
      try {
        await this.apply(connectorId, batch);
        await this.store.inbox.markDone(batch.map((entry) => entry.id), "processed");
      } catch (error) {
        await this.store.inbox.markDone(batch.map((entry) => entry.id), "failed", error instanceof Error ? error.message : String(error));
      }
    }
  }

  private async apply(connectorId: string, batch: { event: string; issueId: string | null }[]): Promise<void> {
    const connector = await this.store.connectors.byId(connectorId);
    if (!connector) return;
    const deleted = new Set(batch.filter((entry) => entry.event === "jira:issue_deleted" && entry.issueId).map((entry) => entry.issueId!));
    const changed = new Set(batch.filter((entry) => entry.issueId && !deleted.has(entry.issueId)).map((entry) => entry.issueId!));
    const projects = (await this.store.projects.list()).filter((project) => project.connectorId === connectorId);
    for (const project of projects) {
      // Reports' stored changelogs follow the events too; a failure there never holds up the sync.
      await refreshAfterEvents(this.store, project, [...changed, ...deleted]).catch((error) => console.error(`tandem insights: refresh of ${project.key} after events failed: ${error instanceof Error ? error.message : String(error)}`));
      const items = (await this.store.projects.items(project.id)).filter((item) => item.link);
      // Deleting an issue in Jira severs the link; the item stays.
      for (const item of items.filter((candidate) => deleted.has(candidate.link!.jiraIssueId))) await this.store.projects.unlink(item.id);
      const touched = items.filter((item) => changed.has(item.link!.jiraIssueId)).map((item) => item.id);
      if (touched.length === 0 || project.direction === "push") continue;
      const context = await syncContextFor(this.store, project, { system: "webhook" }, this.options.publicUrl());
      await runSync(
        context.deps,
        { project, kind: project.direction === "two-way" ? "sync" : "pull", dryRun: false, userId: "webhook", identity: context.identity, itemRefs: touched },
      );
    }
  }
}
