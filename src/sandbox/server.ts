// Starts a sandbox Jira: state seeded, HTTP server on 127.0.0.1, webhooks dispatched. Used by the CLI and tests.
import { listen } from "../http/listen.ts";
import { createSandboxApp, type SandboxApp } from "./http/app.ts";
import { createLimitsRuntime, type LimitsRuntime, type LimitsSettings } from "./http/limits.ts";
import { OAuthAuthority, type OAuthOptions } from "./http/oauth.ts";
import { issueMatchesJql } from "./jql/index.ts";
import { SandboxState, type Quirks } from "./model/state.ts";
import type { Flavour } from "./model/types.ts";
import { applySeed, DEFAULT_ADMIN, parseSeed, type AdminCredentials } from "./seed/index.ts";
import { WebhookDispatcher, type DispatcherOptions } from "./webhooks/dispatcher.ts";

export interface SandboxOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  flavour?: Flavour;
  seed?: string;
  admin?: Partial<AdminCredentials>;
  quirks?: Partial<Quirks>;
  oauth?: Partial<OAuthOptions>;
  webhooks?: Partial<DispatcherOptions>;
  limits?: LimitsSettings;
  /** Request body limit in bytes (Jira's is around 10 MB for JSON). */
  maxBodyBytes?: number;
  /** Fixed "now" for the seed's history, so demo data is the same on every run. */
  seedNow?: number;
}

export interface RunningSandbox {
  url: string;
  port: number;
  state: SandboxState;
  admin: AdminCredentials;
  oauth: OAuthAuthority;
  dispatcher: WebhookDispatcher;
  limits: LimitsRuntime;
  http: SandboxApp;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const flavour = options.flavour ?? "cloud";
  const admin: AdminCredentials = { ...DEFAULT_ADMIN, ...options.admin };
  const state = new SandboxState({ flavour, quirks: options.quirks });
  applySeed(state, parseSeed(options.seed ?? "demo"), admin, { now: options.seedNow });

  let url = "";
  const siteUrl = () => url;
  const oauth = new OAuthAuthority(state, options.oauth);
  const dispatcher = new WebhookDispatcher(
    state,
    siteUrl,
    (webhook, issue) => issueMatchesJql(state, webhook.jqlFilter, issue),
    options.webhooks,
  );
  const limits = createLimitsRuntime(options.limits ?? {}, () => state.now());
  const http = createSandboxApp({ state, oauth, dispatcher, limits, siteUrl, maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024 });

  const listening = await listen(http.fetch, { host: options.host ?? "127.0.0.1", port: options.port ?? 0 });
  url = listening.url;
  const port = listening.port;

  return {
    url,
    port,
    state,
    admin,
    oauth,
    dispatcher,
    limits,
    http,
    async close() {
      dispatcher.close();
      await listening.close();
    },
  };
}
