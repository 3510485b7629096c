// Transforms between a Jira field's value (as Jira returns it) and a Tandem field's value, both ways.
// Pure: everything a transform needs from the site or the item comes in the context.
import { fromJiraRichText, toJiraRichText } from "../jira/rich-text.ts";
import type { JiraFlavour } from "../jira/credentials.ts";
import { jiraTime } from "../jira/time.ts";
import type { Mapping } from "./model.ts";

export interface TransformContext {
  flavour: JiraFlavour;
  hoursPerDay: number;
  /** The item's URL in Tandem (for itemUrl). */
  itemUrl: string;
  /** Today in the project's time zone, yyyy-MM-dd (for now). */
  today: string;
  /** The item's current Tandem values (for ratio). */
  item: Record<string, unknown>;
  /** The pulled values so far in this run (ratio multiplies the duration pulled with it). */
  pulled: Record<string, unknown>;
  /** A Jira user reference for a Tandem person (email), as the flavour writes it; null when unknown. */
  jiraUser: (email: string) => { accountId: string } | { name: string } | null;
  /** Manual overrides: Jira user (accountId or username) → Tandem person's email. */
  personOverride?: (jiraUser: string) => string | undefined;
}

export type TransformResult = { ok: true; value: unknown } | { ok: false; warning: string };

const ok = (value: unknown): TransformResult => ({ ok: true, value });
const warn = (warning: string): TransformResult => ({ ok: false, warning });

const CATEGORY_STATUS = { new: "Not Started", indeterminate: "Started", done: "Completed" } as const;

/** Jira → Tandem: the Tandem value a Jira field value stands for. */
export function fromJira(mapping: Mapping, value: unknown, ctx: TransformContext): TransformResult {
  const t = mapping.transform;
  switch (t.kind) {
    case "status": {
      const status = value as { name?: string; statusCategory?: { key?: string } } | null;
      if (!status?.name) return warn("The issue has no status.");
      const byName = t.byStatus?.[status.name];
      if (byName) return ok(byName);
      const category = status.statusCategory?.key as keyof typeof CATEGORY_STATUS | undefined;
      if (!category || !(category in CATEGORY_STATUS)) return warn(`Status '${status.name}' has no known category.`);
      return ok(t.byCategory?.[category] ?? CATEGORY_STATUS[category]);
    }
    case "duration":
    case "ratio": {
      const tracking = (value ?? {}) as { remainingEstimateSeconds?: number; originalEstimateSeconds?: number };
      const estimate = t.kind === "duration" ? t.estimate : "remaining";
      const seconds = estimate === "remaining" ? tracking.remainingEstimateSeconds : tracking.originalEstimateSeconds;
      if (seconds === undefined) return ok(null);
      if (t.kind === "ratio") {
        const duration = ctx.pulled[t.of] ?? ctx.item[t.of];
        if (typeof duration !== "number") return ok(null);
        const ratio = typeof ctx.item[t.ratioField] === "number" ? (ctx.item[t.ratioField] as number) : t.defaultRatio;
        return ok(round(duration * ratio));
      }
      return ok(round(t.unit === "hours" ? seconds / 3600 : seconds / 3600 / ctx.hoursPerDay));
    }
    case "richText":
      return ok(fromJiraRichText(value));
    case "person": {
      const user = value as { accountId?: string; name?: string; emailAddress?: string; displayName?: string } | null;
      if (!user) return ok(null);
      const override = ctx.personOverride?.(user.accountId ?? user.name ?? "");
      if (override) return ok(override);
      // Cloud hides emails by privacy setting: without one the person cannot be matched, and says so.
      return user.emailAddress ? ok(user.emailAddress.toLowerCase()) : warn(`Jira user '${user.displayName ?? user.accountId ?? user.name}' has no visible email; add a manual override for them.`);
    }
    case "options": {
      const values = Array.isArray(value) ? value.map(optionValue) : value === null || value === undefined ? [] : [optionValue(value)];
      return ok(t.multiple ? values : (values[0] ?? null));
    }
    case "datetime":
      return ok(typeof value === "string" ? new Date(jiraTime(value)).toISOString() : null);
    case "labels":
      return ok(Array.isArray(value) ? [...value].map(String).sort() : []);
    case "valueMap": {
      const raw = optionValue(value);
      if (raw === null) return ok(null);
      const mapped = Object.entries(t.map).find(([jira]) => jira === raw)?.[1];
      return mapped === undefined ? warn(`Jira value '${raw}' has no mapping.`) : ok(mapped);
    }
    case "date":
      return ok(typeof value === "string" ? value.slice(0, 10) : null);
    case "copy":
      return ok(optionValue(value));
    case "itemUrl":
    case "now":
    case "number":
      return ok(value ?? null);
  }
}

/** Tandem → Jira: the value to write in the Jira field (status is written through transitions by the runner). */
export function toJira(mapping: Mapping, value: unknown, ctx: TransformContext): TransformResult {
  const t = mapping.transform;
  switch (t.kind) {
    case "duration": {
      if (value === null || value === undefined) return ok(null);
      if (typeof value !== "number") return warn(`Duration must be a number, not ${JSON.stringify(value)}.`);
      const minutes = Math.round((t.unit === "hours" ? value : value * ctx.hoursPerDay) * 60);
      return ok({ [t.estimate === "remaining" ? "remainingEstimate" : "originalEstimate"]: `${minutes}m` });
    }
    case "richText":
      return ok(toJiraRichText(typeof value === "string" ? value : null, ctx.flavour));
    case "person": {
      if (!value) return ok(null);
      const user = ctx.jiraUser(String(value));
      return user ? ok(user) : warn(`No Jira user matches ${String(value)}; add a manual override for this person.`);
    }
    case "valueMap": {
      if (value === null || value === undefined) return ok(null);
      const jira = Object.entries(t.map).find(([, tandem]) => tandem === value)?.[0];
      if (jira === undefined) return warn(`Tandem value '${String(value)}' has no Jira value mapped.`);
      // Priorities are named; select options carry a value.
      return ok(mapping.jiraField === "priority" ? { name: jira } : { value: jira });
    }
    case "options":
      if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return ok(t.multiple ? [] : null);
      return ok(t.multiple ? (Array.isArray(value) ? value : [value]).map((option) => ({ value: String(option) })) : { value: String(value) });
    case "datetime": {
      if (value === null || value === undefined) return ok(null);
      const time = Date.parse(String(value));
      return Number.isNaN(time) ? warn(`'${String(value)}' is not a date-time.`) : ok(new Date(time).toISOString().replace("Z", "+0000"));
    }
    case "labels":
      return ok(Array.isArray(value) ? value.map(String) : []);
    case "itemUrl":
      return ok(ctx.itemUrl);
    case "now":
      return ok(ctx.today);
    case "number":
      return ok(typeof value === "number" ? value : value === null || value === undefined ? null : Number(value));
    case "date":
      return ok(typeof value === "string" ? value.slice(0, 10) : null);
    case "copy":
      return ok(value ?? null);
    case "status":
    case "ratio":
      return warn(`The ${t.kind} transform is not written as a field.`);
  }
}

/**
 * Transforms whose Jira field holds exactly what `toJira` writes: a push compares that written form with Jira's value.
 * The others compare in Tandem's terms, through `fromJira`.
 */
export function comparesAsWritten(mapping: Mapping): boolean {
  return ["itemUrl", "now", "number", "copy", "date"].includes(mapping.transform.kind);
}

/** The Tandem status's Jira target: an explicit status name, or the category it belongs to. */
export function statusTarget(mapping: Mapping, tandemStatus: string): { name?: string; category: "new" | "indeterminate" | "done" } | null {
  if (mapping.transform.kind !== "status") return null;
  const name = mapping.transform.toJira?.[tandemStatus];
  const categories = { ...CATEGORY_STATUS, ...mapping.transform.byCategory };
  const category = (Object.entries(categories).find(([, status]) => status === tandemStatus)?.[0] ?? null) as "new" | "indeterminate" | "done" | null;
  if (!category && !name) return null;
  return { ...(name ? { name } : {}), category: category ?? "indeterminate" };
}

function optionValue(value: unknown): unknown {
  if (value && typeof value === "object" && !Array.isArray(value) && "value" in value) return (value as { value: unknown }).value;
  if (value && typeof value === "object" && !Array.isArray(value) && "name" in value) return (value as { name: unknown }).name;
  if (Array.isArray(value)) return value.map(optionValue);
  return value ?? null;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
