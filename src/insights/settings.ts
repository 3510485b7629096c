// A project's report settings: its working calendar, the CapEx rule, the story-points field, capacities and the
// optional roll-up push. One zod schema validates the API's PUT and what the store hands back.
import { z } from "zod";
import { DEFAULT_CALENDAR, isTimeZone } from "./calendar.ts";

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD.").refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), "Not a real date.");

export const CalendarSchema = z
  .strictObject({
    workingDays: z.array(z.number().int().min(1, "Weekdays are 1 (Monday) to 7 (Sunday).").max(7, "Weekdays are 1 (Monday) to 7 (Sunday).")).min(1, "Name at least one working day (1 = Monday … 7 = Sunday).").default(DEFAULT_CALENDAR.workingDays),
    hoursPerDay: z.number().gt(0, "hoursPerDay must be more than 0.").max(24, "hoursPerDay must be at most 24.").default(DEFAULT_CALENDAR.hoursPerDay),
    dayStart: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use HH:MM, 24-hour (e.g. 09:00).").default(DEFAULT_CALENDAR.dayStart),
    timeZone: z.string().refine(isTimeZone, "Not a time zone: use an IANA name such as Europe/London or UTC.").default(DEFAULT_CALENDAR.timeZone),
    holidays: z.array(isoDay).default([]),
    /** Count each person's time in their own Jira time zone instead of the project's. */
    perPersonTimeZone: z.boolean().default(false),
  })
  .refine((calendar) => {
    const [hours, minutes] = calendar.dayStart.split(":").map(Number);
    return hours! * 60 + minutes! + calendar.hoursPerDay * 60 <= 24 * 60;
  }, { message: "The working window must end by midnight: dayStart + hoursPerDay ≤ 24:00.", path: ["hoursPerDay"] });

export const CapexRuleSchema = z.discriminatedUnion("kind", [
  /** A checkbox (or any multi-value field) holding at least one value, e.g. "Is Capitalised" = Yes. */
  z.strictObject({ kind: z.literal("checked") }),
  /** The field's value (option value, text, or one of its values) equals this. */
  z.strictObject({ kind: z.literal("equals"), value: z.string().min(1) }),
  /** The field has any value. */
  z.strictObject({ kind: z.literal("notEmpty") }),
]);

export const CapexSchema = z.strictObject({
  /** Jira field id or name (e.g. "Is Capitalised"). */
  field: z.string().min(1, "Name the Jira field the CapEx rule reads."),
  rule: CapexRuleSchema.default({ kind: "checked" }),
  costCentre: z.string().min(1).default("CapEx"),
  /** Sub-tasks and children count as CapEx when an ancestor does. */
  inherit: z.boolean().default(true),
});

export const CapacitySchema = z.strictObject({
  /** Story points a person can take per sprint unless named in perPerson. */
  defaultPoints: z.number().min(0).default(0),
  /** Email (or Jira account id for unmatched people) → points per sprint. */
  perPerson: z.record(z.string().min(1), z.number().min(0)).default({}),
});

export const ReportSettingsSchema = z.strictObject({
  calendar: CalendarSchema.default(CalendarSchema.parse({})),
  /** Status categories whose time counts as effort (the rest is still reported per status). */
  effortCategories: z.array(z.enum(["new", "indeterminate", "done"])).min(1).default(["indeterminate"]),
  capex: CapexSchema.nullable().default(null),
  /** Jira field id or name; by default the field named "Story point estimate" or "Story Points". */
  storyPointsField: z.string().min(1).nullable().default(null),
  capacity: CapacitySchema.default(CapacitySchema.parse({})),
  /** A Jira number field that receives the roll-up progress (0–100) of parents, epics and initiatives. */
  rollupPushField: z.string().min(1).nullable().default(null),
});

export type ReportSettings = z.infer<typeof ReportSettingsSchema>;
export type CapexSettings = z.infer<typeof CapexSchema>;
export type CalendarSettings = z.infer<typeof CalendarSchema>;

export const DEFAULT_SETTINGS: ReportSettings = ReportSettingsSchema.parse({});
