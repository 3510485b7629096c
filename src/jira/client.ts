// The one typed interface over Jira Cloud (REST v3, ADF, enhanced search) and Data Center (REST v2, wiki
// markup, startAt search). No other module builds Jira URLs or parses Jira's JSON.
import { backoffMs } from "./backoff.ts";
import { BULK_EDIT_LIMITS, BULK_TASK_FINISHED, bulkEditOutcome, type BulkEdit, type BulkEditOutcome, type JiraBulkOperationProgress } from "./bulk-edit.ts";
import { JiraBulkTaskPendingError, JiraError, JiraInvalidJqlError, JiraUnsupportedError } from "./errors.ts";
import { apiBase, staticAuthorization, type JiraCredentials, type JiraFlavour, type OAuthApp } from "./credentials.ts";
import { ConnectorLimiter, limiterFor } from "./limiter.ts";
import { refreshTokens } from "./oauth.ts";
import { JiraTransport, type RequestOptions, type TransportOptions } from "./transport.ts";
import type {
  JiraChangelogEntry,
  JiraComment,
  JiraField,
  JiraFieldMeta,
  JiraIssue,
  JiraIssueType,
  JiraNamed,
  JiraProject,
  JiraServerInfo,
  JiraStatus,
  JiraStatusCategory,
  JiraTimeTracking,
  JiraTransition,
  JiraUser,
} from "./types.ts";

export interface JiraConnection {
  flavour: JiraFlavour;
  /** The site URL people use (https://acme.atlassian.net, https://jira.acme.com). */
  siteUrl: string;
  credentials: JiraCredentials;
  oauthApp?: OAuthApp | null;
  /** Requests of one connector share a limiter; defaults to the site URL. */
  connectorKey?: string;
  /** Persists rotated OAuth tokens the moment they rotate (a lost rotation locks the connection out). */
  onCredentialsRotated?: (credentials: JiraCredentials) => Promise<void> | void;
  transport?: Partial<Omit<TransportOptions, "baseUrl" | "authorization" | "refresh" | "limiter">>;
  /** Refuse every write (pull-only projects). */
  readOnly?: boolean;
  limiter?: ConnectorLimiter;
}

/** Jira's page limits, used to size batches. */
export const LIMITS = { bulkFetch: 100, bulkChangelog: 1000, searchIdsPage: 5000, searchFieldsPage: 100, dcSearchPage: 1000, createMetaPage: 200 } as const;

export interface SearchOptions {
  fields?: string[];
  expand?: string[];
  properties?: string[];
  /** Issues per request; defaults to Jira's largest for the fields asked. */
  pageSize?: number;
}

/** How `waitForBulkOperation` polls a task: capped exponential backoff with jitter, until a deadline. */
export interface BulkPollOptions {
  /** Wait before the first poll (the task never finishes within its submit). */
  initialDelayMs: number;
  /** Longest wait between polls. */
  maxDelayMs: number;
  /** Give up (JiraBulkTaskPendingError, with the task id to poll later) after waiting this long in total. */
  timeoutMs: number;
  /** Called with each progress answer that is not finished yet. */
  onProgress?: (progress: JiraBulkOperationProgress) => void;
}

const DEFAULT_BULK_POLL: BulkPollOptions = { initialDelayMs: 250, maxDelayMs: 5_000, timeoutMs: 15 * 60_000 };

export interface BulkEditOptions {
  /** Jira's sendBulkNotification: one notification for the whole edit (Jira's default, true), or none. */
  sendNotification?: boolean;
  poll?: Partial<BulkPollOptions>;
}

export class JiraClient {
  readonly flavour: JiraFlavour;
  readonly apiVersion: "2" | "3";
  private connection: JiraConnection;
  private transport: JiraTransport;
  private refreshing: Promise<boolean> | null = null;

  constructor(connection: JiraConnection) {
    this.connection = connection;
    this.flavour = connection.flavour;
    this.apiVersion = connection.flavour === "cloud" ? "3" : "2";
    this.transport = new JiraTransport({
      ...connection.transport,
      baseUrl: apiBase(connection.siteUrl, connection.credentials, connection.oauthApp ?? null),
      authorization: () => this.authorization(),
      ...(connection.credentials.mode === "oauth" && connection.credentials.refreshToken ? { refresh: () => this.refreshOAuth() } : {}),
      limiter: connection.limiter ?? limiterFor(connection.connectorKey ?? connection.siteUrl),
      readOnly: connection.readOnly ?? false,
    });
  }

  get credentials(): JiraCredentials {
    return this.connection.credentials;
  }

  /** Low-level access for endpoints without a method here; paths start at /rest/. */
  request<T>(method: string, path: string, options?: RequestOptions) {
    return this.transport.request<T>(method, path, options);
  }

  private api<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    return this.transport.request<T>(method, `/rest/api/${this.apiVersion}${path}`, options).then((response) => response.data);
  }

  // ---- authentication ----

  private async authorization(): Promise<string> {
    const credentials = this.connection.credentials;
    if (credentials.mode !== "oauth") return staticAuthorization(credentials);
    // Refresh a minute early rather than spend a request on a 401.
    if (credentials.expiresAt !== null && credentials.expiresAt - 60_000 <= Date.now() && credentials.refreshToken) await this.refreshOAuth();
    return `Bearer ${(this.connection.credentials as { accessToken: string }).accessToken}`;
  }

  /** One refresh at a time; the rotated tokens are persisted before they are used. */
  private refreshOAuth(): Promise<boolean> {
    this.refreshing ??= (async () => {
      const credentials = this.connection.credentials;
      const app = this.connection.oauthApp;
      if (credentials.mode !== "oauth" || !credentials.refreshToken || !app) return false;
      try {
        // A refused refresh throws JiraAuthorizationExpiredError: the person must authorize again.
        const tokens = await refreshTokens(app, credentials.refreshToken);
        const rotated: JiraCredentials = { ...credentials, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? credentials.refreshToken, expiresAt: tokens.expiresAt };
        this.connection.credentials = rotated;
        await this.connection.onCredentialsRotated?.(rotated);
        return true;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  // ---- site and metadata ----

  serverInfo(): Promise<JiraServerInfo> {
    return this.api("GET", "/serverInfo");
  }

  myself(): Promise<JiraUser> {
    return this.api("GET", "/myself");
  }

  fields(): Promise<JiraField[]> {
    return this.api("GET", "/field");
  }

  statuses(): Promise<JiraStatus[]> {
    return this.api("GET", "/status");
  }

  statusCategories(): Promise<JiraStatusCategory[]> {
    return this.api("GET", "/statuscategory");
  }

  priorities(): Promise<JiraNamed[]> {
    return this.api("GET", "/priority");
  }

  resolutions(): Promise<JiraNamed[]> {
    return this.api("GET", "/resolution");
  }

  issueTypes(): Promise<JiraIssueType[]> {
    return this.api("GET", "/issuetype");
  }

  async timeTracking(): Promise<JiraTimeTracking> {
    const configuration = await this.api<{ timeTrackingConfiguration?: JiraTimeTracking }>("GET", "/configuration");
    return configuration.timeTrackingConfiguration ?? { workingHoursPerDay: 8, workingDaysPerWeek: 5 };
  }

  /** Projects the identity may browse. */
  async *projects(): AsyncGenerator<JiraProject> {
    if (this.flavour === "dc") {
      yield* await this.api<JiraProject[]>("GET", "/project");
      return;
    }
    for (let startAt = 0; ; ) {
      const page = await this.api<{ values: JiraProject[]; isLast: boolean; maxResults: number }>("GET", "/project/search", { query: { startAt, maxResults: 50 } });
      yield* page.values;
      if (page.isLast || page.values.length === 0) return;
      startAt += page.values.length;
    }
  }

  /** Saved filters the identity can use, with their JQL (Cloud: filter search; Data Center: favourites). */
  async filters(): Promise<{ id: string; name: string; jql: string }[]> {
    const shape = (filter: { id: string; name: string; jql?: string }) => ({ id: String(filter.id), name: filter.name, jql: filter.jql ?? "" });
    if (this.flavour === "dc") return (await this.api<{ id: string; name: string; jql?: string }[]>("GET", "/filter/favourite")).map(shape);
    const found: { id: string; name: string; jql: string }[] = [];
    for (let startAt = 0; ; ) {
      const page = await this.api<{ values: { id: string; name: string; jql?: string }[]; isLast: boolean }>("GET", "/filter/search", { query: { startAt, maxResults: 50, expand: "jql" } });
      found.push(...page.values.map(shape));
      if (page.isLast || page.values.length === 0) return found;
      startAt += page.values.length;
    }
  }

  project(idOrKey: string): Promise<JiraProject> {
    return this.api("GET", `/project/${encodeURIComponent(idOrKey)}`);
  }

  async createMetaIssueTypes(projectIdOrKey: string): Promise<JiraIssueType[]> {
    const key = this.flavour === "cloud" ? "issueTypes" : "values";
    return this.pagedValues<JiraIssueType>(`/issue/createmeta/${encodeURIComponent(projectIdOrKey)}/issuetypes`, key);
  }

  async createMetaFields(projectIdOrKey: string, issueTypeId: string): Promise<JiraFieldMeta[]> {
    const key = this.flavour === "cloud" ? "fields" : "values";
    return this.pagedValues<JiraFieldMeta>(`/issue/createmeta/${encodeURIComponent(projectIdOrKey)}/issuetypes/${encodeURIComponent(issueTypeId)}`, key);
  }

  async editMeta(issueIdOrKey: string): Promise<Record<string, JiraFieldMeta>> {
    return (await this.api<{ fields: Record<string, JiraFieldMeta> }>("GET", `/issue/${encodeURIComponent(issueIdOrKey)}/editmeta`)).fields;
  }

  private async pagedValues<T>(path: string, key: string): Promise<T[]> {
    const all: T[] = [];
    for (let startAt = 0; ; ) {
      const page = await this.api<Record<string, unknown> & { total?: number }>("GET", path, { query: { startAt, maxResults: LIMITS.createMetaPage } });
      const values = (page[key] as T[] | undefined) ?? [];
      all.push(...values);
      startAt += values.length;
      if (values.length === 0 || (page.total !== undefined && startAt >= page.total)) return all;
    }
  }

  // ---- issues ----

  getIssue(issueIdOrKey: string, options: { fields?: string[]; expand?: string[]; properties?: string[] } = {}): Promise<JiraIssue> {
    return this.api("GET", `/issue/${encodeURIComponent(issueIdOrKey)}`, { query: { fields: options.fields, expand: options.expand, properties: options.properties } });
  }

  async createIssue(fields: Record<string, unknown>, properties: { key: string; value: unknown }[] = []): Promise<{ id: string; key: string }> {
    return this.api("POST", "/issue", { body: { fields, ...(properties.length ? { properties } : {}) } });
  }

  async editIssue(issueIdOrKey: string, edit: { fields?: Record<string, unknown>; update?: Record<string, unknown> }): Promise<void> {
    await this.api("PUT", `/issue/${encodeURIComponent(issueIdOrKey)}`, { body: edit });
  }

  async transitions(issueIdOrKey: string): Promise<JiraTransition[]> {
    return (await this.api<{ transitions: JiraTransition[] }>("GET", `/issue/${encodeURIComponent(issueIdOrKey)}/transitions`, { query: { expand: "transitions.fields" } })).transitions;
  }

  async transition(issueIdOrKey: string, transitionId: string, fields?: Record<string, unknown>): Promise<void> {
    await this.api("POST", `/issue/${encodeURIComponent(issueIdOrKey)}/transitions`, { body: { transition: { id: transitionId }, ...(fields ? { fields } : {}) } });
  }

  async comments(issueIdOrKey: string): Promise<JiraComment[]> {
    return (await this.api<{ comments: JiraComment[] }>("GET", `/issue/${encodeURIComponent(issueIdOrKey)}/comment`)).comments;
  }

  addComment(issueIdOrKey: string, body: unknown): Promise<JiraComment> {
    return this.api("POST", `/issue/${encodeURIComponent(issueIdOrKey)}/comment`, { body: { body } });
  }

  async setProperty(issueIdOrKey: string, key: string, value: unknown): Promise<void> {
    await this.api("PUT", `/issue/${encodeURIComponent(issueIdOrKey)}/properties/${encodeURIComponent(key)}`, { body: value });
  }

  /** Every changelog entry of one issue, oldest first. */
  async *changelog(issueIdOrKey: string): AsyncGenerator<JiraChangelogEntry> {
    if (this.flavour === "dc") {
      const issue = await this.getIssue(issueIdOrKey, { fields: ["id"], expand: ["changelog"] });
      yield* issue.changelog?.histories ?? [];
      return;
    }
    for (let startAt = 0; ; ) {
      const page = await this.api<{ values: JiraChangelogEntry[]; isLast: boolean }>("GET", `/issue/${encodeURIComponent(issueIdOrKey)}/changelog`, { query: { startAt, maxResults: 100 } });
      yield* page.values;
      if (page.isLast || page.values.length === 0) return;
      startAt += page.values.length;
    }
  }

  // ---- bulk edit (Cloud) ----

  /** Whether this Jira has the asynchronous bulk edit API: Cloud has, Data Center has not. */
  get supportsBulkEdit(): boolean {
    return this.flavour === "cloud";
  }

  private requireBulkEdit() {
    if (!this.supportsBulkEdit) {
      throw new JiraUnsupportedError("Jira Data Center has no bulk edit API (POST /rest/api/3/bulk/issues/fields is Jira Cloud's); edit each issue with editIssue instead.");
    }
  }

  /**
   * One bulk edit of up to 1000 issues (ids preferred: the outcome names issues by id), submitted and followed until
   * Jira's task finishes. Per-issue failures are in the outcome, not thrown; a refused request throws
   * JiraValidationError with Jira's messages, a task still running after `poll.timeoutMs` JiraBulkTaskPendingError.
   */
  async bulkEditFields(issueIdsOrKeys: string[], edit: BulkEdit, options: BulkEditOptions = {}): Promise<BulkEditOutcome> {
    const refs = [...new Set(issueIdsOrKeys)];
    const taskId = await this.submitBulkEdit(refs, edit, options);
    return bulkEditOutcome(refs, await this.waitForBulkOperation(taskId, options.poll));
  }

  /** Submits a bulk edit and returns Jira's task id without waiting for it. */
  async submitBulkEdit(issueIdsOrKeys: string[], edit: BulkEdit, options: Pick<BulkEditOptions, "sendNotification"> = {}): Promise<string> {
    this.requireBulkEdit();
    const refs = [...new Set(issueIdsOrKeys)];
    if (refs.length === 0 || refs.length > BULK_EDIT_LIMITS.issues) throw new RangeError(`A bulk edit takes 1 to ${BULK_EDIT_LIMITS.issues} issues; got ${refs.length}. Split the issues into batches.`);
    if (edit.selectedActions.length === 0 || edit.selectedActions.length > BULK_EDIT_LIMITS.fields) throw new RangeError(`A bulk edit writes 1 to ${BULK_EDIT_LIMITS.fields} fields; got ${edit.selectedActions.length}.`);
    // Every bulk edit input sets, adds or removes values: sending it twice leaves the issues as sending it once, so a
    // transient failure is retried like a PUT.
    const submitted = await this.api<{ taskId?: string }>("POST", "/bulk/issues/fields", {
      body: { selectedIssueIdsOrKeys: refs, selectedActions: edit.selectedActions, editedFieldsInput: edit.editedFieldsInput, sendBulkNotification: options.sendNotification ?? true },
      idempotent: true,
    });
    if (!submitted?.taskId) throw new JiraError("Jira accepted the bulk edit but named no task to follow (no taskId in its answer).");
    return String(submitted.taskId);
  }

  /** One look at a bulk operation task (GET /bulk/queue/{taskId}). */
  bulkOperationProgress(taskId: string): Promise<JiraBulkOperationProgress> {
    this.requireBulkEdit();
    return this.api("GET", `/bulk/queue/${encodeURIComponent(taskId)}`);
  }

  /** Polls a bulk operation task with capped, jittered exponential backoff until it finishes (COMPLETE, FAILED, CANCELLED, DEAD). */
  async waitForBulkOperation(taskId: string, poll: Partial<BulkPollOptions> = {}): Promise<JiraBulkOperationProgress> {
    const options = { ...DEFAULT_BULK_POLL, ...poll };
    const { sleep, random } = this.transport.options;
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      // Equal jitter: never less than half the step, so a slow task is not hammered.
      const delay = backoffMs(attempt, { baseMs: options.initialDelayMs, maxMs: options.maxDelayMs }, random);
      await sleep(delay);
      waited += delay;
      const progress = await this.bulkOperationProgress(taskId);
      if (BULK_TASK_FINISHED.has(progress.status)) return progress;
      options.onProgress?.(progress);
      if (waited >= options.timeoutMs) {
        throw new JiraBulkTaskPendingError(`Jira's bulk task ${taskId} was still ${progress.status} (${progress.progressPercent ?? 0}%) after ${Math.round(waited / 1000)} s; poll it again later with waitForBulkOperation("${taskId}").`, { taskId });
      }
    }
  }

  // ---- search ----

  /** Pages of issues matching the JQL: Cloud's enhanced search with nextPageToken, DC's startAt/total. */
  async *searchPages(jql: string, options: SearchOptions = {}): AsyncGenerator<JiraIssue[]> {
    const fields = options.fields ?? ["id"];
    const onlyIds = fields.every((field) => field === "id" || field === "key");
    if (this.flavour === "cloud") {
      const maxResults = options.pageSize ?? (onlyIds ? LIMITS.searchIdsPage : LIMITS.searchFieldsPage);
      let nextPageToken: string | undefined;
      do {
        const page = await this.api<{ issues: JiraIssue[]; nextPageToken?: string }>("POST", "/search/jql", {
          body: { jql, maxResults, fields, ...(options.expand?.length ? { expand: options.expand.join(",") } : {}), ...(options.properties?.length ? { properties: options.properties } : {}), ...(nextPageToken ? { nextPageToken } : {}) },
          idempotent: true,
          search: true,
        });
        yield page.issues;
        nextPageToken = page.nextPageToken;
      } while (nextPageToken);
      return;
    }
    const maxResults = options.pageSize ?? LIMITS.dcSearchPage;
    for (let startAt = 0; ; ) {
      const page = await this.api<{ issues: JiraIssue[]; total: number; maxResults: number }>("POST", "/search", {
        body: { jql, startAt, maxResults, fields, ...(options.expand?.length ? { expand: options.expand } : {}) },
        idempotent: true,
        search: true,
      });
      yield page.issues;
      startAt += page.issues.length;
      if (page.issues.length === 0 || startAt >= page.total) return;
    }
  }

  async *search(jql: string, options: SearchOptions = {}): AsyncGenerator<JiraIssue> {
    for await (const page of this.searchPages(jql, options)) yield* page;
  }

  /** How many issues match: Cloud's approximate count, DC's exact total. */
  async count(jql: string): Promise<number> {
    if (this.flavour === "cloud") return (await this.api<{ count: number }>("POST", "/search/approximate-count", { body: { jql }, idempotent: true, search: true })).count;
    return (await this.api<{ total: number }>("POST", "/search", { body: { jql, maxResults: 0, fields: ["id"] }, idempotent: true, search: true })).total;
  }

  /** Issues by id or key in Jira's largest batches; invisible or missing ones are left out, as Jira does. */
  async bulkFetch(idsOrKeys: string[], options: { fields?: string[]; expand?: string[]; properties?: string[] } = {}): Promise<JiraIssue[]> {
    const issues: JiraIssue[] = [];
    for (let index = 0; index < idsOrKeys.length; index += LIMITS.bulkFetch) {
      const batch = idsOrKeys.slice(index, index + LIMITS.bulkFetch);
      if (this.flavour === "cloud") {
        const result = await this.api<{ issues: JiraIssue[] }>("POST", "/issue/bulkfetch", { body: { issueIdsOrKeys: batch, fields: options.fields ?? ["*navigable"], ...(options.expand ? { expand: options.expand } : {}), ...(options.properties ? { properties: options.properties } : {}) }, idempotent: true });
        issues.push(...result.issues);
      } else {
        issues.push(...(await this.fetchByJql(batch, options)));
      }
    }
    return issues;
  }

  /**
   * DC has no bulk fetch: search `id in (...) OR key in (...)`. JQL refuses a key that does not exist, so such keys
   * (named in Jira's message) are dropped and the search repeated, matching Cloud's "left out silently".
   */
  private async fetchByJql(refs: string[], options: { fields?: string[]; expand?: string[] }): Promise<JiraIssue[]> {
    let remaining = [...refs];
    for (;;) {
      const ids = remaining.filter((ref) => /^\d+$/.test(ref));
      const keys = remaining.filter((ref) => !/^\d+$/.test(ref));
      const clauses = [ids.length ? `id in (${ids.join(",")})` : "", keys.length ? `key in (${keys.map((key) => `"${key}"`).join(",")})` : ""].filter(Boolean);
      if (clauses.length === 0) return [];
      try {
        const found: JiraIssue[] = [];
        for await (const page of this.searchPages(clauses.join(" OR "), { fields: options.fields ?? ["*navigable"], expand: options.expand })) found.push(...page);
        return found;
      } catch (error) {
        const missing = error instanceof JiraInvalidJqlError ? [...error.message.matchAll(/key '([^']+)' does not exist/g)].map((match) => match[1]!) : [];
        if (missing.length === 0) throw error;
        remaining = remaining.filter((ref) => !missing.some((key) => key.toLowerCase() === ref.toLowerCase()));
      }
    }
  }

  /** Changelogs of many issues, oldest first per issue: Cloud's bulk changelog API, DC one issue at a time. */
  async changelogs(idsOrKeys: string[], fieldIds: string[] = []): Promise<Map<string, JiraChangelogEntry[]>> {
    // Issues asked for by id start with no entries, so an issue without history still has its (empty) list.
    const byIssue = new Map<string, JiraChangelogEntry[]>(idsOrKeys.filter((ref) => /^\d+$/.test(ref)).map((id) => [id, []]));
    if (this.flavour === "dc") {
      for (const ref of idsOrKeys) {
        const issue = await this.getIssue(ref, { fields: ["id"], expand: ["changelog"] });
        byIssue.set(issue.id, issue.changelog?.histories ?? []);
      }
      return byIssue;
    }
    for (let index = 0; index < idsOrKeys.length; index += LIMITS.bulkChangelog) {
      let nextPageToken: string | undefined;
      do {
        const page = await this.api<{ issueChangeLogs: { issueId: string; changeHistories: JiraChangelogEntry[] }[]; nextPageToken?: string | null }>("POST", "/changelog/bulkfetch", {
          body: { issueIdsOrKeys: idsOrKeys.slice(index, index + LIMITS.bulkChangelog), maxResults: 10000, ...(fieldIds.length ? { fieldIds } : {}), ...(nextPageToken ? { nextPageToken } : {}) },
          idempotent: true,
        });
        for (const entry of page.issueChangeLogs) byIssue.set(entry.issueId, [...(byIssue.get(entry.issueId) ?? []), ...entry.changeHistories]);
        nextPageToken = page.nextPageToken ?? undefined;
      } while (nextPageToken);
    }
    return byIssue;
  }
}
