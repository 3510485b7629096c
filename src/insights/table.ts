// Reports as tables (the web app's accessible fallbacks, the CLI's output) and as CSV (RFC 4180).
import type { ReportKind } from "./reports.ts";

export interface Table {
  columns: string[];
  rows: (string | number | boolean | null)[][];
}

// The reports' JSON as buildReport shapes it.
export function reportTable(kind: ReportKind, report: any): Table {
  switch (kind) {
    case "effort":
      return {
        columns: ["person", "name", "matched", "effort_hours", "todo_hours", "in_progress_hours", "done_hours"],
        rows: report.people.map((p: any) => [p.key, p.name, p.matched, p.hours, p.byCategory.new, p.byCategory.indeterminate, p.byCategory.done]),
      };
    case "capex":
      return { columns: ["week", "capex_hours", "opex_hours"], rows: report.weeks.map((w: any) => [w.week, w.capex, w.opex]) };
    case "rollup":
      return {
        columns: ["key", "summary", "type", "parent", "status", "rolled_status", "issues_below", "done_below", "points", "done_points", "estimate_hours", "remaining_hours", "progress_percent"],
        rows: report.nodes.map((n: any) => [n.key, n.summary, n.type, n.parent, n.status, n.rolled.category, n.rolled.issues, n.rolled.done, n.rolled.points, n.rolled.donePoints, n.rolled.estimateHours, n.rolled.remainingHours, n.rolled.progress]),
      };
    case "capacity":
      return {
        columns: ["sprint", "state", "person", "committed_points", "completed_points", "capacity_points", "load_percent"],
        rows: report.sprints.flatMap((s: any) => s.people.map((p: any) => [s.name, s.state, p.key, p.committed, p.completed, p.capacity, p.load])),
      };
  }
}

function cell(value: string | number | boolean | null): string {
  if (value === null) return "";
  const text = String(value);
  // Spreadsheet formula injection: a leading =, +, - or @ in text is neutralised with a quote.
  const safe = typeof value === "string" && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(table: Table): string {
  return [table.columns, ...table.rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}
