// CapEx attribution: a rule on a mapped field decides whether an issue's effort is capital expenditure (charged
// to the cost centre) or operating expense; reports split effort hours accordingly per period and person.
import { weekOf } from "./calendar.ts";
import { effortRows, type ReportWindow } from "./effort.ts";
import { IssueTree } from "./hierarchy.ts";
import type { CapexSettings, ReportSettings } from "./settings.ts";
import type { InsightData, InsightIssue } from "./types.ts";

/** The plain values of a Jira field value: option values, names, strings, numbers. */
function valuesOf(value: unknown): string[] {
  if (value === null || value === undefined || value === "") return [];
  if (Array.isArray(value)) return value.flatMap(valuesOf);
  if (typeof value === "object") {
    const named = value as { value?: unknown; name?: unknown; key?: unknown };
    return valuesOf(named.value ?? named.name ?? named.key ?? null);
  }
  return [String(value)];
}

/** Whether the issue itself matches the rule (fieldId: the resolved id of the rule's field). */
export function matchesCapexRule(issue: InsightIssue, capex: CapexSettings, fieldId: string): boolean {
  const values = valuesOf(issue.ruleFields[fieldId]);
  switch (capex.rule.kind) {
    case "checked":
      return values.length > 0 && !values.every((value) => value === "false" || value === "No");
    case "equals":
      return values.some((value) => value.toLowerCase() === (capex.rule as { value: string }).value.toLowerCase());
    case "notEmpty":
      return values.length > 0;
  }
}

/** Issue id → CapEx; with `inherit`, an issue below a CapEx issue is CapEx too. */
export function capexIssues(data: InsightData, capex: CapexSettings, fieldId: string): Set<string> {
  const tree = new IssueTree(data.issues);
  const own = new Set(data.issues.filter((issue) => matchesCapexRule(issue, capex, fieldId)).map((issue) => issue.id));
  if (!capex.inherit) return own;
  return new Set(data.issues.filter((issue) => tree.lineage(issue.id).some((at) => own.has(at.id))).map((issue) => issue.id));
}

export interface CapexReport {
  from: string;
  to: string;
  costCentre: string;
  field: string;
  totals: { capex: number; opex: number };
  weeks: { week: string; capex: number; opex: number }[];
  people: { key: string; name: string; capex: number; opex: number }[];
  issues: { key: string; summary: string; capex: boolean; hours: number }[];
}

const round = (hours: number) => Math.round(hours * 100) / 100;

export function capexReport(data: InsightData, settings: ReportSettings & { capex: CapexSettings }, fieldId: string, overrides: Map<string, string>, window: ReportWindow): CapexReport {
  const capex = capexIssues(data, settings.capex, fieldId);
  const byKey = new Map(data.issues.map((issue) => [issue.key, issue]));
  const totals = { capex: 0, opex: 0 };
  const weeks = new Map<string, { capex: number; opex: number }>();
  const people = new Map<string, { key: string; name: string; capex: number; opex: number }>();
  const issues = new Map<string, number>();
  for (const row of effortRows(data, settings, overrides, window)) {
    if (!settings.effortCategories.includes(row.category)) continue;
    const side = capex.has(row.issueId) ? "capex" : "opex";
    totals[side] += row.hours;
    const week = weeks.get(weekOf(row.date)) ?? { capex: 0, opex: 0 };
    week[side] += row.hours;
    weeks.set(weekOf(row.date), week);
    const person = people.get(row.person.key) ?? { key: row.person.key, name: row.person.name, capex: 0, opex: 0 };
    person[side] += row.hours;
    people.set(row.person.key, person);
    issues.set(row.issueKey, (issues.get(row.issueKey) ?? 0) + row.hours);
  }
  return {
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
    costCentre: settings.capex.costCentre,
    field: fieldId,
    totals: { capex: round(totals.capex), opex: round(totals.opex) },
    weeks: [...weeks.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([week, split]) => ({ week, capex: round(split.capex), opex: round(split.opex) })),
    people: [...people.values()].map((p) => ({ ...p, capex: round(p.capex), opex: round(p.opex) })).sort((a, b) => a.key.localeCompare(b.key)),
    issues: [...issues.entries()].map(([key, hours]) => ({ key, summary: byKey.get(key)!.summary, capex: capex.has(byKey.get(key)!.id), hours: round(hours) })).sort((a, b) => a.key.localeCompare(b.key, undefined, { numeric: true })),
  };
}
