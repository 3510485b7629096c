// Delivers webhook messages to registered URLs: signed when a secret is set, at least once, retried on
// 408/409/425/429/5xx and timeouts with the same X-Atlassian-Webhook-Identifier, with test controls that
// drop, duplicate, delay and reorder deliveries the way a real network and Jira sometimes do.
import { randomUUID } from "node:crypto";
import type { SandboxState } from "../model/state.ts";
import type { Issue, Webhook } from "../model/types.ts";
import { expandUrl, messagesFor, type WebhookMessage } from "./payload.ts";
import { signBody, SIGNATURE_HEADER } from "./signature.ts";

export interface DeliveryAttempt {
  at: number;
  status: number | null;
  error: string | null;
}

export interface Delivery {
  identifier: string;
  webhookId: number;
  event: string;
  url: string;
  body: string;
  state: "pending" | "delivered" | "failed" | "dropped";
  attempts: DeliveryAttempt[];
}

export interface DispatcherOptions {
  /** Retries after the first attempt (Jira Cloud retries up to 5 times). */
  maxRetries: number;
  /** Delay before each retry, in ms; the last value repeats. */
  retryDelaysMs: number[];
  /** A receiver that does not answer within this is a timeout, which is retried. */
  timeoutMs: number;
}

export interface DeliveryControls {
  /** Drop this many upcoming deliveries (never sent). */
  dropNext: number;
  /** Send this many upcoming deliveries twice (same identifier). */
  duplicateNext: number;
  /** Hold each delivery this long before the first attempt. */
  delayMs: number;
  /** Hold deliveries until this many are queued, then send them newest first. 0 = off. */
  reorderBatch: number;
}

const RETRYABLE = new Set([408, 409, 425, 429]);
export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = { maxRetries: 5, retryDelaysMs: [1000, 2000, 4000, 8000, 16000], timeoutMs: 10_000 };

export type WebhookFilter = (webhook: Webhook, issue: Issue) => boolean;

export class WebhookDispatcher {
  readonly deliveries: Delivery[] = [];
  options: DispatcherOptions;
  controls: DeliveryControls = { dropNext: 0, duplicateNext: 0, delayMs: 0, reorderBatch: 0 };
  private held: Delivery[] = [];
  private inFlight = new Set<Promise<void>>();
  private unsubscribe: () => void;
  private readonly state: SandboxState;
  private readonly baseUrl: () => string;
  private readonly filter: WebhookFilter;

  constructor(state: SandboxState, baseUrl: () => string, filter: WebhookFilter, options: Partial<DispatcherOptions> = {}) {
    this.state = state;
    this.baseUrl = baseUrl;
    this.filter = filter;
    this.options = { ...DEFAULT_DISPATCHER_OPTIONS, ...options };
    this.unsubscribe = state.onEvent((event) => {
      for (const message of messagesFor(state, this.baseUrl(), event)) this.route(message);
    });
  }

  close(): void {
    this.unsubscribe();
  }

  /** Resolves when nothing is being sent or retried (held reorder batches are released first). */
  async idle(): Promise<void> {
    this.releaseHeld();
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private route(message: WebhookMessage): void {
    const now = this.state.now();
    for (const webhook of this.state.webhooks.values()) {
      if (!webhook.enabled || !webhook.events.includes(message.event as Webhook["events"][number])) continue;
      if (webhook.expiresAt !== null && webhook.expiresAt <= now) continue;
      if (message.issue && webhook.jqlFilter.trim() !== "" && !this.filter(webhook, message.issue)) continue;
      const body = { ...message.body, ...(webhook.kind === "dynamic" ? { matchedWebhookIds: [webhook.id] } : {}) };
      const delivery = this.newDelivery(webhook, message.event, expandUrl(webhook.url, message.issue, this.state), JSON.stringify(body));
      this.enqueue(delivery);
    }
  }

  private newDelivery(webhook: Webhook, event: string, url: string, body: string): Delivery {
    const delivery: Delivery = { identifier: randomUUID(), webhookId: webhook.id, event, url, body, state: "pending", attempts: [] };
    this.deliveries.push(delivery);
    if (this.deliveries.length > 10_000) this.deliveries.shift();
    return delivery;
  }

  private enqueue(delivery: Delivery): void {
    if (this.controls.dropNext > 0) {
      this.controls.dropNext -= 1;
      delivery.state = "dropped";
      return;
    }
    if (this.controls.reorderBatch > 0) {
      this.held.push(delivery);
      if (this.held.length >= this.controls.reorderBatch) this.releaseHeld();
      return;
    }
    this.start(delivery);
  }

  /** Newest first, each sent only after the previous one was answered, so the receiver sees exactly that order. */
  private releaseHeld(): void {
    const batch = this.held.reverse();
    this.held = [];
    if (batch.length) this.track((async () => {
      for (const delivery of batch) await this.send(delivery);
    })());
  }

  private start(delivery: Delivery): void {
    const duplicate = this.controls.duplicateNext > 0;
    if (duplicate) this.controls.duplicateNext -= 1;
    this.track(this.send(delivery));
    if (duplicate) this.track(this.send(delivery));
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async send(delivery: Delivery): Promise<void> {
    if (this.controls.delayMs > 0) await sleep(this.controls.delayMs);
    const webhook = this.state.webhooks.get(delivery.webhookId);
    for (let attempt = 0; attempt <= this.options.maxRetries; attempt++) {
      if (attempt > 0) {
        const delays = this.options.retryDelaysMs;
        await sleep(delays[Math.min(attempt - 1, delays.length - 1)] ?? 1000);
      }
      const headers: Record<string, string> = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Atlassian Webhook HTTP Client",
        "X-Atlassian-Webhook-Identifier": delivery.identifier,
        "X-Atlassian-Webhook-Flow": "Primary",
      };
      if (attempt > 0) headers["X-Atlassian-Webhook-Retry"] = String(attempt);
      if (webhook?.secret) headers[SIGNATURE_HEADER] = signBody(webhook.secret, delivery.body);
      let status: number | null = null;
      let error: string | null = null;
      try {
        const response = await fetch(delivery.url, { method: "POST", headers, body: delivery.body, signal: AbortSignal.timeout(this.options.timeoutMs) });
        status = response.status;
        await response.body?.cancel();
      } catch (caught) {
        error = caught instanceof Error ? `${caught.message}${caught.cause instanceof Error ? ` (${caught.cause.message})` : ""}` : String(caught);
      }
      delivery.attempts.push({ at: this.state.now(), status, error });
      if (status !== null && status < 400) {
        delivery.state = "delivered";
        return;
      }
      const retryable = status === null || RETRYABLE.has(status) || status >= 500;
      if (!retryable) break;
    }
    delivery.state = "failed";
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
