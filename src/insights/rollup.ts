// Roll-ups over the hierarchy (sub-task → parent → epic → initiative): status, story points, estimates, remaining
// work and progress of everything below an issue, and the burn-up of an epic over time.
import { localDateOf, localInstant } from "./calendar.ts";
import { IssueTree } from "./hierarchy.ts";
import { categoryAt } from "./intervals.ts";
import type { ReportWindow } from "./effort.ts";
import type { InsightData, InsightIssue, StatusCategory } from "./types.ts";

export interface Rolled {
  /** Issues below (all levels) and how many of them are done. */
  issues: number;
  done: number;
  points: number;
  donePoints: number;
  estimateHours: number;
  remainingHours: number;
  /** Done when it and everything below is done, To Do when all is To Do, otherwise In Progress. */
  category: StatusCategory;
  /** 0–100: by story points when there are any, else by issue count, else the issue's own status. */
  progress: number;
}

export interface RollupNode {
  key: string;
  summary: string;
  type: string;
  level: number;
  status: string;
  category: StatusCategory;
  parent: string | null;
  children: string[];
  own: { points: number; estimateHours: number; remainingHours: number };
  rolled: Rolled;
}

const round = (value: number) => Math.round(value * 100) / 100;

function own(issue: InsightIssue) {
  const estimate = (issue.originalEstimateSeconds ?? 0) / 3600;
  const remaining = issue.status.category === "done" ? 0 : (issue.remainingSeconds ?? issue.originalEstimateSeconds ?? 0) / 3600;
  return { points: issue.storyPoints ?? 0, estimateHours: estimate, remainingHours: remaining };
}

export function rollup(tree: IssueTree, issue: InsightIssue): Rolled {
  const below = tree.descendantsOf(issue.id);
  const all = [issue, ...below];
  const sum = (pick: (issue: InsightIssue) => number) => all.reduce((total, at) => total + pick(at), 0);
  const isDone = (at: InsightIssue) => at.status.category === "done";
  const points = sum((at) => own(at).points);
  const donePoints = sum((at) => (isDone(at) ? own(at).points : 0));
  const done = below.filter(isDone).length;
  const categories = new Set(all.map((at) => at.status.category));
  const category: StatusCategory = categories.size === 1 ? [...categories][0]! : "indeterminate";
  const progress = points > 0 ? (100 * donePoints) / points : below.length > 0 ? (100 * done) / below.length : isDone(issue) ? 100 : 0;
  return {
    issues: below.length,
    done,
    points: round(points),
    donePoints: round(donePoints),
    estimateHours: round(sum((at) => own(at).estimateHours)),
    remainingHours: round(sum((at) => own(at).remainingHours)),
    category,
    progress: round(progress),
  };
}

/** A node for every issue that has something below it, top levels first. */
export function rollupNodes(data: InsightData): RollupNode[] {
  const tree = new IssueTree(data.issues);
  return data.issues
    .filter((issue) => tree.childrenOf(issue.id).length > 0)
    .sort((a, b) => b.level - a.level || a.key.localeCompare(b.key, undefined, { numeric: true }))
    .map((issue) => {
      const mine = own(issue);
      return {
        key: issue.key,
        summary: issue.summary,
        type: issue.type,
        level: issue.level,
        status: issue.status.name,
        category: issue.status.category,
        parent: issue.parentId ? (tree.byId.get(issue.parentId)?.key ?? null) : null,
        children: tree.childrenOf(issue.id).map((child) => child.key),
        own: { points: round(mine.points), estimateHours: round(mine.estimateHours), remainingHours: round(mine.remainingHours) },
        rolled: rollup(tree, issue),
      };
    });
}

export interface BurnupPoint {
  date: string;
  scope: number;
  done: number;
  scopePoints: number;
  donePoints: number;
}

/** Per local day (end of day in the zone): issues and points below the epic that existed, and those done. */
export function burnup(data: InsightData, epicKey: string, window: ReportWindow, timeZone: string): BurnupPoint[] {
  const tree = new IssueTree(data.issues);
  const epic = data.issues.find((issue) => issue.key === epicKey);
  if (!epic) return [];
  const below = tree.descendantsOf(epic.id);
  const points: BurnupPoint[] = [];
  const [year, month, day] = localDateOf(window.from, timeZone).split("-").map(Number);
  for (let date = { year: year!, month: month!, day: day! }; ; ) {
    const endOfDay = Math.min(localInstant(timeZone, date, 24 * 60) - 1, window.to);
    const existing = below.filter((issue) => issue.created <= endOfDay);
    const done = existing.filter((issue) => categoryAt(issue, data.statusCategories, endOfDay) === "done");
    const pointsOf = (list: InsightIssue[]) => round(list.reduce((total, issue) => total + (issue.storyPoints ?? 0), 0));
    points.push({ date: localDateOf(endOfDay, timeZone), scope: existing.length, done: done.length, scopePoints: pointsOf(existing), donePoints: pointsOf(done) });
    if (endOfDay >= window.to) break;
    const next = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
    date = { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
  }
  return points;
}

/** The epic a burn-up shows by default: the one with the most issues below it. */
export function defaultEpic(data: InsightData): string | null {
  const tree = new IssueTree(data.issues);
  const epics = data.issues.filter((issue) => issue.level === 1).map((issue) => ({ key: issue.key, size: tree.descendantsOf(issue.id).length }));
  epics.sort((a, b) => b.size - a.size || a.key.localeCompare(b.key, undefined, { numeric: true }));
  return epics[0]?.key ?? null;
}
