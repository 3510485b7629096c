// Site metadata discovered once per connector and kept for a while: fields with their schema types, statuses
// and categories, priorities, issue types, time-tracking settings, create metadata. Jira rarely changes these,
// and asking again for every item would waste the rate limit.
import type { JiraClient } from "./client.ts";
import type { JiraField, JiraFieldMeta, JiraIssueType, JiraNamed, JiraStatus, JiraTimeTracking } from "./types.ts";

export interface MetadataOptions {
  /** How long an answer is reused (default 10 minutes). */
  ttlMs: number;
  now: () => number;
}

export class JiraMetadata {
  private cache = new Map<string, { at: number; value: Promise<unknown> }>();
  private options: MetadataOptions;
  private jira: JiraClient;

  constructor(jira: JiraClient, options: Partial<MetadataOptions> = {}) {
    this.jira = jira;
    this.options = { ttlMs: 10 * 60_000, now: Date.now, ...options };
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && this.options.now() - hit.at < this.options.ttlMs) return hit.value as Promise<T>;
    const value = load();
    this.cache.set(key, { at: this.options.now(), value });
    // A failed load is not kept: the next call asks again.
    value.catch(() => this.cache.delete(key));
    return value;
  }

  /** Forget everything (after a connector's credentials or site change). */
  clear(): void {
    this.cache.clear();
  }

  fields(): Promise<JiraField[]> {
    return this.cached("fields", () => this.jira.fields());
  }

  async field(idOrName: string): Promise<JiraField | undefined> {
    const wanted = idOrName.toLowerCase();
    return (await this.fields()).find((field) => field.id.toLowerCase() === wanted || field.name.toLowerCase() === wanted);
  }

  statuses(): Promise<JiraStatus[]> {
    return this.cached("statuses", () => this.jira.statuses());
  }

  priorities(): Promise<JiraNamed[]> {
    return this.cached("priorities", () => this.jira.priorities());
  }

  issueTypes(): Promise<JiraIssueType[]> {
    return this.cached("issueTypes", () => this.jira.issueTypes());
  }

  timeTracking(): Promise<JiraTimeTracking> {
    return this.cached("timeTracking", () => this.jira.timeTracking());
  }

  createMetaIssueTypes(project: string): Promise<JiraIssueType[]> {
    return this.cached(`createmeta:${project}`, () => this.jira.createMetaIssueTypes(project));
  }

  createMetaFields(project: string, issueTypeId: string): Promise<JiraFieldMeta[]> {
    return this.cached(`createmeta:${project}:${issueTypeId}`, () => this.jira.createMetaFields(project, issueTypeId));
  }
}

/** One cache per connector in this process, so every request and job of a connector shares what was discovered. */
const registry = new Map<string, { jira: JiraClient; metadata: JiraMetadata }>();

export function metadataFor(connectorKey: string, jira: JiraClient): JiraMetadata {
  const entry = registry.get(connectorKey);
  if (entry) return entry.metadata;
  const metadata = new JiraMetadata(jira);
  registry.set(connectorKey, { jira, metadata });
  return metadata;
}

/** After a connector's credentials, identities or site change, what was discovered is asked again. */
export function forgetMetadata(connectorId: string): void {
  for (const key of registry.keys()) if (key === connectorId || key.startsWith(`${connectorId}:`)) registry.delete(key);
}
