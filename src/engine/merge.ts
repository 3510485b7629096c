// The three-way merge of one field: the last synced value (base) against Tandem's and Jira's current values.
// One side changed → copy it across; both changed to the same value → nothing to do; both changed differently →
// the project's policy decides, or the conflict is held for a person. Never a silent overwrite.
import type { ConflictPolicy } from "./model.ts";

export type MergeDecision =
  | { action: "none"; value: unknown }
  | { action: "to-jira"; value: unknown }
  | { action: "to-tandem"; value: unknown }
  | { action: "conflict"; tandem: unknown; jira: unknown };

export interface MergeInput {
  /** undefined when never synced. */
  base: unknown;
  tandem: unknown;
  jira: unknown;
  policy: ConflictPolicy;
  /** For newest-wins: when each side last changed (epoch ms). */
  tandemChangedAt?: number;
  jiraChangedAt?: number;
}

/** Values compare by content: key order, undefined and null-vs-missing do not make a difference. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (value === undefined || value === null || value === "") return "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object") {
    return `{${Object.keys(value as object).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function mergeField(input: MergeInput): MergeDecision {
  const { base, tandem, jira } = input;
  if (sameValue(tandem, jira)) return { action: "none", value: tandem };
  const neverSynced = base === undefined;
  const tandemChanged = neverSynced || !sameValue(base, tandem);
  const jiraChanged = neverSynced || !sameValue(base, jira);
  if (tandemChanged && !jiraChanged) return { action: "to-jira", value: tandem };
  if (jiraChanged && !tandemChanged) return { action: "to-tandem", value: jira };
  switch (input.policy) {
    case "jira-wins":
      return { action: "to-tandem", value: jira };
    case "tandem-wins":
      return { action: "to-jira", value: tandem };
    case "newest-wins":
      if (input.tandemChangedAt !== undefined && input.jiraChangedAt !== undefined && input.tandemChangedAt !== input.jiraChangedAt) {
        return input.tandemChangedAt > input.jiraChangedAt ? { action: "to-jira", value: tandem } : { action: "to-tandem", value: jira };
      }
      return { action: "conflict", tandem, jira };
    case "hold":
      return { action: "conflict", tandem, jira };
  }
}
