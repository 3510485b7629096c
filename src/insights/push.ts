// Pushes roll-up progress (0–100) of every parent, epic and initiative to a mapped Jira field. Reads the field's
// current values in bulk first, so an unchanged roll-up costs no write; each issue's failure is reported alone.
import type { JiraClient } from "../jira/client.ts";
import type { JiraField } from "../jira/types.ts";
import type { RollupNode } from "./rollup.ts";

export class RollupPushRefused extends Error {
  readonly code = "rollup_push_refused";
}

export interface PushOutcome {
  pushed: { key: string; value: number | string }[];
  unchanged: number;
  failed: { key: string; message: string }[];
}

/** The value as the field takes it: a number, or "NN%" for a text field. */
function valueFor(field: JiraField, progress: number): number | string {
  if (field.schema?.type === "number") return progress;
  if (field.schema?.type === "string") return `${progress}%`;
  throw new RollupPushRefused(`The roll-up field '${field.name}' is a ${field.schema?.type ?? "non-scalar"} field; choose a number or text field.`);
}

export async function pushRollup(jira: JiraClient, field: JiraField, nodes: RollupNode[]): Promise<PushOutcome> {
  const outcome: PushOutcome = { pushed: [], unchanged: 0, failed: [] };
  const wanted = new Map(nodes.map((node) => [node.key, valueFor(field, node.rolled.progress)]));
  const current = new Map((await jira.bulkFetch([...wanted.keys()], { fields: [field.id] })).map((issue) => [issue.key, (issue.fields as Record<string, unknown>)?.[field.id] ?? null]));
  for (const [key, value] of wanted) {
    if (current.get(key) === value) {
      outcome.unchanged += 1;
      continue;
    }
    try {
      await jira.editIssue(key, { fields: { [field.id]: value } });
      outcome.pushed.push({ key, value });
    } catch (error) {
      outcome.failed.push({ key, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcome;
}
