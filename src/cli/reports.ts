// `tandem report effort|capex|rollup|capacity PROJECT [--from --to] [--csv|--json]`: the API's reports, printed as
// an aligned table, as CSV (the same columns as the API's ?format=csv) or as JSON.
import { Argument, Command } from "commander";
import { REPORT_KINDS, type ReportKind } from "../insights/reports.ts";
import { reportTable, toCsv } from "../insights/table.ts";
import { apiCall } from "./api-client.ts";
import { printJson, printTable } from "./output.ts";

interface ReportFlags {
  from?: string;
  to?: string;
  epic?: string;
  refresh?: boolean;
  csv?: boolean;
  json?: boolean;
}

export function reportCommand(): Command {
  return new Command("report")
    .description("Reports from the project's Jira data: effort (time in status per person), capex (CapEx vs OpEx), rollup (hierarchy progress and an epic's burn-up), capacity (story points per sprint and person)")
    .addArgument(new Argument("<kind>", "which report").choices(REPORT_KINDS))
    .argument("<project>", "project key")
    .option("--from <date>", "start: YYYY-MM-DD or an ISO date-time (default: 90 days before --to)")
    .option("--to <date>", "end: YYYY-MM-DD (whole day) or an ISO date-time (default: now)")
    .option("--epic <key>", "rollup: the epic whose burn-up to include")
    .option("--refresh", "fetch from Jira first even if the stored data is fresh")
    .option("--csv", "print CSV")
    .option("--json", "print the report as JSON")
    .action(async (kind: ReportKind, project: string, flags: ReportFlags) => {
      const query = new URLSearchParams();
      for (const name of ["from", "to", "epic"] as const) if (flags[name]) query.set(name, flags[name]!);
      if (flags.refresh) query.set("refresh", "true");
      const report = await apiCall<unknown>("GET", `/projects/${encodeURIComponent(project)}/reports/${kind}${query.size ? `?${query}` : ""}`);
      if (flags.json) return printJson(report);
      const table = reportTable(kind, report);
      if (flags.csv) return void process.stdout.write(toCsv(table));
      printTable(table.rows.map((row) => Object.fromEntries(table.columns.map((column, index) => [column, row[index]]))), table.columns);
    });
}
