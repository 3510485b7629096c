// The issue cache of minimal-retention projects: issue data fetched from Jira, kept until it expires and then
// really deleted (expired rows are removed on every read and by a periodic sweep), never copied into items.
import type { SqlDatabase } from "./database.ts";

export interface CachedIssue {
  jiraIssueId: string;
  data: Record<string, unknown>;
  fetchedAt: number;
  expiresAt: number;
}

export class IssueCacheRepository {
  private db: SqlDatabase;
  /** The cache's clock; tests move it instead of waiting. */
  clock: () => number = Date.now;
  constructor(db: SqlDatabase) {
    this.db = db;
  }

  async put(projectId: string, issues: { jiraIssueId: string; data: Record<string, unknown> }[], ttlMs: number): Promise<void> {
    const now = this.clock();
    await this.db.transaction(async (tx) => {
      for (const issue of issues) {
        await tx.run(
          "INSERT INTO issue_cache (project_id, jira_issue_id, data, fetched_at, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (project_id, jira_issue_id) DO UPDATE SET data = excluded.data, fetched_at = excluded.fetched_at, expires_at = excluded.expires_at",
          [projectId, issue.jiraIssueId, JSON.stringify(issue.data), now, now + ttlMs],
        );
      }
    });
  }

  /** What is still fresh for a project, by issue id; anything expired is deleted first. */
  async live(projectId: string): Promise<Map<string, CachedIssue>> {
    await this.purgeExpired();
    const rows = await this.db.all<{ jira_issue_id: string; data: string; fetched_at: number; expires_at: number }>("SELECT jira_issue_id, data, fetched_at, expires_at FROM issue_cache WHERE project_id = ?", [projectId]);
    return new Map(rows.map((row) => [row.jira_issue_id, { jiraIssueId: row.jira_issue_id, data: JSON.parse(row.data) as Record<string, unknown>, fetchedAt: Number(row.fetched_at), expiresAt: Number(row.expires_at) }]));
  }

  /** Deletes every expired entry; returns how many went. */
  async purgeExpired(): Promise<number> {
    return (await this.db.run("DELETE FROM issue_cache WHERE expires_at <= ?", [this.clock()])).changes;
  }

  async clear(projectId: string): Promise<void> {
    await this.db.run("DELETE FROM issue_cache WHERE project_id = ?", [projectId]);
  }

  async count(projectId: string): Promise<number> {
    return Number((await this.db.get<{ count: number }>("SELECT COUNT(*) AS count FROM issue_cache WHERE project_id = ?", [projectId]))!.count);
  }
}
