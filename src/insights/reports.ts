// One entry point for the four reports: from stored data, settings and a window to the report's JSON.
import { capexReport, type CapexReport } from "./capex.ts";
import { capacityReport } from "./capacity.ts";
import { effortReport, type ReportWindow } from "./effort.ts";
import { burnup, defaultEpic, rollupNodes } from "./rollup.ts";
import type { ReportSettings } from "./settings.ts";
import type { InsightData } from "./types.ts";

export const REPORT_KINDS = ["effort", "capex", "rollup", "capacity"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ReportInput {
  data: InsightData;
  settings: ReportSettings;
  /** Resolved field ids (the CapEx field). */
  capexField: string | null;
  overrides: Map<string, string>;
  window: ReportWindow;
  /** Whether the window was asked for (capacity shows every sprint otherwise). */
  windowGiven: boolean;
  /** Epic key for the burn-up; the largest epic by default. */
  epic?: string;
}

export function buildReport(kind: ReportKind, input: ReportInput) {
  const { data, settings, overrides, window } = input;
  switch (kind) {
    case "effort":
      return effortReport(data, settings, overrides, window);
    case "capex": {
      if (!settings.capex || !input.capexField) return unconfiguredCapex(input);
      return { configured: true, ...capexReport(data, { ...settings, capex: settings.capex }, input.capexField, overrides, window) };
    }
    case "rollup": {
      const epic = input.epic ?? defaultEpic(data);
      return { nodes: rollupNodes(data), burnup: epic ? { epic, points: burnup(data, epic, window, settings.calendar.timeZone) } : null };
    }
    case "capacity":
      return capacityReport(data, settings, overrides, input.windowGiven ? window : null, window.to);
  }
}

/** Without a CapEx rule every hour is OpEx; the report says how to set the rule. */
function unconfiguredCapex(input: ReportInput): CapexReport & { configured: false; hint: string } {
  const report = capexReport(input.data, { ...input.settings, capex: { field: "", rule: { kind: "notEmpty" }, costCentre: "CapEx", inherit: false } }, "\u0000none", input.overrides, input.window);
  return { ...report, configured: false, field: "", hint: "No CapEx rule is set: PUT /projects/{id}/reports/settings with capex: { field: \"Is Capitalised\" } to attribute effort to a cost centre." };
}
