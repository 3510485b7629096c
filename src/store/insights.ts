// Insights' tables: each project's report settings, and the issues (with their status/assignee history), sprints,
// status categories and people the fetcher last stored for it.
import { ReportSettingsSchema, type ReportSettings } from "../insights/settings.ts";
import type { InsightData, InsightIssue } from "../insights/types.ts";
import type { SqlDatabase } from "./database.ts";

export class InsightRepository {
  private db: SqlDatabase;

  constructor(db: SqlDatabase) {
    this.db = db;
  }

  async settings(projectId: string): Promise<ReportSettings> {
    const row = await this.db.get<{ settings: string }>("SELECT settings FROM report_settings WHERE project_id = ?", [projectId]);
    // Stored settings are parsed again so defaults added later fill in.
    return ReportSettingsSchema.parse(row ? JSON.parse(row.settings) : {});
  }

  async saveSettings(projectId: string, settings: ReportSettings): Promise<void> {
    await this.db.run(
      "INSERT INTO report_settings (project_id, settings, updated_at) VALUES (?, ?, ?) ON CONFLICT (project_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at",
      [projectId, JSON.stringify(settings), Date.now()],
    );
    // Settings choose which fields are fetched: what is stored is fetched again on the next report.
    await this.db.run("UPDATE insight_sources SET fetched_at = 0 WHERE project_id = ?", [projectId]);
  }

  /** Replaces everything stored for the project (a full fetch). */
  async replace(projectId: string, data: InsightData): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run("DELETE FROM insight_issues WHERE project_id = ?", [projectId]);
      for (const issue of data.issues) await tx.run("INSERT INTO insight_issues (project_id, issue_id, issue_key, data, fetched_at) VALUES (?, ?, ?, ?, ?)", [projectId, issue.id, issue.key, JSON.stringify(issue), data.fetchedAt]);
      await tx.run("DELETE FROM insight_sources WHERE project_id = ?", [projectId]);
      await tx.run("INSERT INTO insight_sources (project_id, sprints, status_categories, people, fetched_at) VALUES (?, ?, ?, ?, ?)", [projectId, JSON.stringify(data.sprints), JSON.stringify(data.statusCategories), JSON.stringify(data.people), data.fetchedAt]);
    });
  }

  /** Updates some issues (an event or catch-up changed them) and removes deleted ones. */
  async upsertIssues(projectId: string, issues: InsightIssue[], removedIds: string[] = []): Promise<void> {
    const now = Date.now();
    await this.db.transaction(async (tx) => {
      for (const issue of issues) {
        await tx.run(
          "INSERT INTO insight_issues (project_id, issue_id, issue_key, data, fetched_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (project_id, issue_id) DO UPDATE SET issue_key = excluded.issue_key, data = excluded.data, fetched_at = excluded.fetched_at",
          [projectId, issue.id, issue.key, JSON.stringify(issue), now],
        );
      }
      for (const id of removedIds) await tx.run("DELETE FROM insight_issues WHERE project_id = ? AND issue_id = ?", [projectId, id]);
    });
  }

  /** What the fetcher stored, or null before the first fetch. */
  async data(projectId: string): Promise<InsightData | null> {
    const source = await this.db.get<{ sprints: string; status_categories: string; people: string; fetched_at: number }>("SELECT sprints, status_categories, people, fetched_at FROM insight_sources WHERE project_id = ?", [projectId]);
    if (!source) return null;
    const rows = await this.db.all<{ data: string }>("SELECT data FROM insight_issues WHERE project_id = ? ORDER BY issue_id", [projectId]);
    return {
      issues: rows.map((row) => JSON.parse(row.data) as InsightIssue),
      sprints: JSON.parse(source.sprints),
      statusCategories: JSON.parse(source.status_categories),
      people: JSON.parse(source.people),
      fetchedAt: Number(source.fetched_at),
    };
  }

  /** Projects whose insights are kept (fetched at least once). */
  async trackedProjectIds(): Promise<string[]> {
    return (await this.db.all<{ project_id: string }>("SELECT project_id FROM insight_sources")).map((row) => row.project_id);
  }
}
