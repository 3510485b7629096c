// Pushing a status means walking Jira's workflow: take the transition to the target when one step away,
// otherwise the step that brings the status category closer, never revisiting a status; give up after a few
// steps with a warning (the item's other fields are still synced).
import type { JiraClient } from "../jira/client.ts";

const ORDER = { new: 0, indeterminate: 1, done: 2 } as Record<string, number>;

export interface StatusTarget {
  name?: string;
  category: "new" | "indeterminate" | "done";
}

/**
 * `screenValues` are the item's mapped values as Jira fields: a transition with a screen gets the ones it shows
 * (a required screen field with no mapped value makes Jira refuse that step, which is reported).
 */
export async function walkToStatus(jira: JiraClient, issueKey: string, currentStatus: { name: string; category: string }, target: StatusTarget, screenValues: Record<string, unknown> = {}, maxSteps = 6): Promise<{ ok: true; path: string[] } | { ok: false; warning: string }> {
  const matches = (status: { name: string; statusCategory?: { key: string } }) => (target.name ? status.name.toLowerCase() === target.name.toLowerCase() : status.statusCategory?.key === target.category);
  const visited = new Set([currentStatus.name.toLowerCase()]);
  const path: string[] = [];
  let category = currentStatus.category;
  for (let step = 0; step < maxSteps; step++) {
    const transitions = await jira.transitions(issueKey);
    const direct = transitions.find((transition) => matches(transition.to));
    const next =
      direct ??
      transitions
        .filter((transition) => !visited.has(transition.to.name.toLowerCase()))
        .sort((a, b) => distance(a.to.statusCategory.key, target.category) - distance(b.to.statusCategory.key, target.category))
        .find((transition) => distance(transition.to.statusCategory.key, target.category) <= distance(category, target.category));
    if (!next) break;
    const onScreen = Object.fromEntries(Object.keys(next.fields ?? {}).filter((fieldId) => fieldId in screenValues).map((fieldId) => [fieldId, screenValues[fieldId]]));
    const missing = Object.entries(next.fields ?? {}).filter(([fieldId, meta]) => meta.required && !(fieldId in onScreen)).map(([, meta]) => meta.name);
    if (missing.length) return { ok: false, warning: `The transition '${next.name}' needs ${missing.join(", ")}, which no mapping fills; map ${missing.length > 1 ? "them" : "it"} to push the status. The other fields were synced.` };
    await jira.transition(issueKey, next.id, Object.keys(onScreen).length ? onScreen : undefined);
    path.push(next.to.name);
    if (next === direct) return { ok: true, path };
    visited.add(next.to.name.toLowerCase());
    category = next.to.statusCategory.key;
  }
  return { ok: false, warning: `No workflow path found from '${currentStatus.name}' to ${target.name ? `'${target.name}'` : `a '${target.category}' status`}${path.length ? ` (stopped at '${path.at(-1)}')` : ""}; the other fields were synced.` };
}

function distance(from: string, to: string): number {
  return Math.abs((ORDER[from] ?? 1) - (ORDER[to] ?? 1));
}
