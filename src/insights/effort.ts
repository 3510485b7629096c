// Effort: the working time each issue spent in each status, per assignee and local day, and its summaries per
// person, issue, epic and week. Plain logic over the stored data; the API and CLI only shape it.
import { weekOf, workingSlices } from "./calendar.ts";
import { IssueTree } from "./hierarchy.ts";
import { statusIntervals } from "./intervals.ts";
import { personResolver, timeZoneOf, type PersonRef } from "./people.ts";
import type { ReportSettings } from "./settings.ts";
import type { InsightData, StatusCategory } from "./types.ts";

export interface EffortRow {
  issueId: string;
  issueKey: string;
  person: PersonRef;
  statusName: string;
  category: StatusCategory;
  /** Local date of the time, in the zone it was counted in. */
  date: string;
  hours: number;
}

export interface ReportWindow {
  from: number;
  to: number;
}

const HOUR = 3_600_000;

/** Every slice of working time in the window, by issue, assignee, status and day. */
export function effortRows(data: InsightData, settings: ReportSettings, overrides: Map<string, string>, window: ReportWindow): EffortRow[] {
  const person = personResolver(data.people, overrides);
  const rows: EffortRow[] = [];
  const calendar = settings.calendar;
  for (const issue of data.issues) {
    for (const interval of statusIntervals(issue, data.statusCategories, window.to)) {
      const start = Math.max(interval.start, window.from);
      if (interval.end <= start) continue;
      const zone = (calendar.perPersonTimeZone ? timeZoneOf(data.people, interval.assigneeId) : null) ?? calendar.timeZone;
      for (const slice of workingSlices(start, interval.end, calendar, zone)) {
        rows.push({ issueId: issue.id, issueKey: issue.key, person: person(interval.assigneeId, interval.assigneeName), statusName: interval.statusName, category: interval.category, date: slice.date, hours: slice.ms / HOUR });
      }
    }
  }
  return rows;
}

const round = (hours: number) => Math.round(hours * 100) / 100;

function add(map: Map<string, number>, key: string, hours: number) {
  map.set(key, (map.get(key) ?? 0) + hours);
}

export interface EffortReport {
  from: string;
  to: string;
  timeZone: string;
  effortCategories: StatusCategory[];
  totalHours: number;
  people: { key: string; name: string; email: string | null; matched: boolean; hours: number; byCategory: Record<StatusCategory, number>; byStatus: Record<string, number> }[];
  issues: { key: string; summary: string; epic: string | null; hours: number; byStatus: Record<string, number> }[];
  epics: { key: string | null; summary: string; hours: number }[];
  /** Effort hours per ISO week (Monday) and person. */
  weeks: { week: string; person: string; hours: number }[];
  unmatched: { jiraId: string; name: string }[];
}

/** Summaries of the effort rows; "hours" counts only the effort categories (In Progress by default). */
export function effortReport(data: InsightData, settings: ReportSettings, overrides: Map<string, string>, window: ReportWindow): EffortReport {
  const rows = effortRows(data, settings, overrides, window);
  const counts = (category: StatusCategory) => settings.effortCategories.includes(category);
  const tree = new IssueTree(data.issues);
  const people = new Map<string, EffortReport["people"][number]>();
  const issues = new Map<string, EffortReport["issues"][number]>();
  const epics = new Map<string, number>();
  const weeks = new Map<string, number>();
  for (const row of rows) {
    const p = people.get(row.person.key) ?? { key: row.person.key, name: row.person.name, email: row.person.email, matched: row.person.matched, hours: 0, byCategory: { new: 0, indeterminate: 0, done: 0 }, byStatus: {} };
    p.byCategory[row.category] += row.hours;
    p.byStatus[row.statusName] = (p.byStatus[row.statusName] ?? 0) + row.hours;
    const issue = tree.byId.get(row.issueId)!;
    const epic = tree.epicOf(row.issueId);
    const i = issues.get(row.issueKey) ?? { key: row.issueKey, summary: issue.summary, epic: epic?.key ?? null, hours: 0, byStatus: {} };
    i.byStatus[row.statusName] = (i.byStatus[row.statusName] ?? 0) + row.hours;
    if (counts(row.category)) {
      p.hours += row.hours;
      i.hours += row.hours;
      add(epics, epic?.id ?? "", row.hours);
      add(weeks, `${weekOf(row.date)}\u0000${row.person.key}`, row.hours);
    }
    people.set(row.person.key, p);
    issues.set(row.issueKey, i);
  }
  const roundAll = (record: Record<string, number>) => Object.fromEntries(Object.entries(record).map(([key, value]) => [key, round(value)]));
  const unmatched = [...people.values()].filter((p) => !p.matched).map((p) => ({ jiraId: p.key.slice("jira:".length), name: p.name }));
  return {
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
    timeZone: settings.calendar.perPersonTimeZone ? "per person" : settings.calendar.timeZone,
    effortCategories: settings.effortCategories,
    totalHours: round([...people.values()].reduce((sum, p) => sum + p.hours, 0)),
    people: [...people.values()].map((p) => ({ ...p, hours: round(p.hours), byCategory: roundAll(p.byCategory) as Record<StatusCategory, number>, byStatus: roundAll(p.byStatus) })).sort((a, b) => b.hours - a.hours || a.key.localeCompare(b.key)),
    issues: [...issues.values()].map((i) => ({ ...i, hours: round(i.hours), byStatus: roundAll(i.byStatus) })).sort((a, b) => a.key.localeCompare(b.key, undefined, { numeric: true })),
    epics: [...epics.entries()].map(([id, hours]) => ({ key: tree.byId.get(id)?.key ?? null, summary: tree.byId.get(id)?.summary ?? "(no epic)", hours: round(hours) })).sort((a, b) => b.hours - a.hours),
    weeks: [...weeks.entries()].map(([key, hours]) => {
      const [week, person] = key.split("\u0000");
      return { week: week!, person: person!, hours: round(hours) };
    }).sort((a, b) => a.week.localeCompare(b.week) || a.person.localeCompare(b.person)),
    unmatched,
  };
}

