// Capacity: story points per sprint and per person (committed, and done by the sprint's end) against the
// capacity set per person, with the sprints from the agile API.
import { categoryAt } from "./intervals.ts";
import { personResolver } from "./people.ts";
import type { ReportWindow } from "./effort.ts";
import type { ReportSettings } from "./settings.ts";
import type { InsightData, InsightSprint } from "./types.ts";

export interface CapacityPersonRow {
  key: string;
  name: string;
  matched: boolean;
  committed: number;
  completed: number;
  capacity: number;
  /** committed / capacity in %, null without a capacity. */
  load: number | null;
}

export interface CapacitySprint {
  id: number;
  name: string;
  state: InsightSprint["state"];
  startDate: string | null;
  endDate: string | null;
  committed: number;
  completed: number;
  capacity: number;
  issues: number;
  people: CapacityPersonRow[];
}

const round = (value: number) => Math.round(value * 100) / 100;

/** Sprints overlapping the window (future sprints without dates are always shown), oldest first. */
export function capacityReport(data: InsightData, settings: ReportSettings, overrides: Map<string, string>, window: ReportWindow | null, now: number): { sprints: CapacitySprint[] } {
  const person = personResolver(data.people, overrides);
  const capacityOf = (key: string, jiraId: string | null) => settings.capacity.perPerson[key] ?? (jiraId ? settings.capacity.perPerson[jiraId] : undefined) ?? settings.capacity.defaultPoints;
  const sprints = data.sprints
    .filter((sprint) => !window || sprint.startDate === null || (sprint.startDate <= window.to && (sprint.completeDate ?? sprint.endDate ?? Infinity) >= window.from))
    .sort((a, b) => (a.startDate ?? Infinity) - (b.startDate ?? Infinity) || a.id - b.id);
  return {
    sprints: sprints.map((sprint) => {
      // Done by the time the sprint closed (or now, for a sprint still running).
      const cutoff = sprint.completeDate ?? (sprint.state === "active" ? now : (sprint.endDate ?? now));
      const people = new Map<string, CapacityPersonRow>();
      const members = data.issues.filter((issue) => issue.sprintIds.includes(sprint.id));
      for (const issue of members) {
        const who = person(issue.assignee?.id ?? null, issue.assignee?.name ?? null);
        const row = people.get(who.key) ?? { key: who.key, name: who.name, matched: who.matched, committed: 0, completed: 0, capacity: capacityOf(who.key, who.jiraId), load: null };
        const points = issue.storyPoints ?? 0;
        row.committed += points;
        if (sprint.state !== "future" && categoryAt(issue, data.statusCategories, cutoff) === "done") row.completed += points;
        people.set(who.key, row);
      }
      // People with a capacity set but nothing in the sprint still show, so free capacity is visible.
      for (const [key, capacity] of Object.entries(settings.capacity.perPerson)) {
        if (![...people.values()].some((row) => row.key === key)) people.set(key, { key, name: key, matched: key.includes("@"), committed: 0, completed: 0, capacity, load: null });
      }
      const rows = [...people.values()].map((row) => ({ ...row, committed: round(row.committed), completed: round(row.completed), load: row.capacity > 0 ? round((100 * row.committed) / row.capacity) : null }));
      rows.sort((a, b) => a.key.localeCompare(b.key));
      return {
        id: sprint.id,
        name: sprint.name,
        state: sprint.state,
        startDate: sprint.startDate === null ? null : new Date(sprint.startDate).toISOString(),
        endDate: sprint.endDate === null ? null : new Date(sprint.endDate).toISOString(),
        committed: round(rows.reduce((sum, row) => sum + row.committed, 0)),
        completed: round(rows.reduce((sum, row) => sum + row.completed, 0)),
        capacity: round(rows.reduce((sum, row) => sum + row.capacity, 0)),
        issues: members.length,
        people: rows,
      };
    }),
  };
}
