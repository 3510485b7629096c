// What "the same end state" means: Tandem's items (by the Jira issue they link to) and the sandbox's issues (with
// the creation mark), plus what a dry-run sync would still do; and the invariants any end state must hold.
import type { Stack } from "./stack.ts";
import { PROJECT } from "./stack.ts";

export interface World {
  tandem: Record<string, unknown>;
  jira: Record<string, unknown>;
  /** Outcome per item of a dry-run two-way sync: what would still move. */
  pending: Record<string, string>;
}

interface ApiItem {
  id: string;
  key: string;
  values: Record<string, unknown>;
  link: { jiraIssueId: string; jiraKey: string } | null;
}

export async function items(stack: Stack): Promise<ApiItem[]> {
  const answer = await stack.api("GET", `/projects/${PROJECT}/items`);
  if (answer.status !== 200) throw new Error(`listing items answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body as ApiItem[];
}

export async function world(stack: Stack): Promise<World> {
  const all = await items(stack);
  const byId = new Map(all.map((item) => [item.id, item]));
  // Issues Tandem created are named by the item that created them: retries may create them in another order,
  // so their keys may differ from the uninterrupted run's without anything being wrong.
  const markOf = (issueKey: string) => (stack.jira.state.issueByIdOrKey(issueKey)?.properties["tandem.item"] as { id?: string } | undefined)?.id;
  const createdFor = (itemId: string | undefined) => (itemId ? `issue created for '${String(byId.get(itemId)?.values.title ?? itemId)}'` : null);
  const issueName = (issueKey: string) => createdFor(markOf(issueKey)) ?? issueKey;
  const name = (item: ApiItem) => (item.link ? `item of ${issueName(item.link.jiraKey)}` : `unlinked item '${String(item.values.title)}'`);
  const tandem: Record<string, unknown> = {};
  for (const item of all) {
    const parent = typeof item.values.parent === "string" ? byId.get(item.values.parent) : undefined;
    tandem[name(item)] = { title: item.values.title ?? null, status: item.values.status ?? null, type: item.values.type ?? null, parent: parent ? name(parent) : null };
  }
  const jira: Record<string, unknown> = {};
  for (const issue of stack.jira.state.issues.values()) {
    const mark = issue.properties["tandem.item"] as { id?: string } | undefined;
    const name = mark?.id ? `${createdFor(mark.id)}${jira[createdFor(mark.id)!] ? ` (again: ${issue.key})` : ""}` : issue.key;
    jira[name] = { summary: issue.summary, statusId: issue.statusId, typeId: issue.issueTypeId, marked: Boolean(mark), changes: issue.changelog.length };
  }
  const dry = await stack.api("POST", `/projects/${PROJECT}/sync`, { dryRun: true });
  const pending: Record<string, string> = {};
  if (dry.status === 200) for (const entry of dry.body.items as { jiraKey: string | null; itemKey: string; outcome: string }[]) pending[entry.jiraKey ? issueName(entry.jiraKey) : entry.itemKey] = entry.outcome;
  else pending["(dry run)"] = `answered ${dry.status}`;
  return { tandem, jira, pending };
}

/** Differences between a reference world and another, as readable lines (at most `limit`). */
export function differences(reference: World, actual: World, limit = 8): string[] {
  const lines: string[] = [];
  for (const part of ["tandem", "jira", "pending"] as const) {
    const keys = new Set([...Object.keys(reference[part]), ...Object.keys(actual[part])]);
    for (const key of [...keys].sort()) {
      const want = JSON.stringify(reference[part][key]);
      const got = JSON.stringify(actual[part][key]);
      if (want !== got) lines.push(`${part} ${key}: expected ${want ?? "nothing"}, got ${got ?? "nothing"}`);
    }
  }
  return lines.length > limit ? [...lines.slice(0, limit), `… and ${lines.length - limit} more`] : lines;
}

/** Invariants that hold in any good end state: one item per issue, one issue per creation mark, marks matching links. */
export async function invariants(stack: Stack): Promise<string[]> {
  const problems: string[] = [];
  const all = await items(stack);
  const linked = new Map<string, string[]>();
  for (const item of all) if (item.link) linked.set(item.link.jiraIssueId, [...(linked.get(item.link.jiraIssueId) ?? []), item.key]);
  for (const [issueId, keys] of linked) if (keys.length > 1) problems.push(`duplicate items ${keys.join(", ")} linked to Jira issue ${issueId}`);
  const marks = new Map<string, string[]>();
  for (const issue of stack.jira.state.issues.values()) {
    const mark = issue.properties["tandem.item"] as { id?: string } | undefined;
    if (mark?.id) marks.set(mark.id, [...(marks.get(mark.id) ?? []), issue.key]);
  }
  const byId = new Map(all.map((item) => [item.id, item]));
  for (const [itemId, keys] of marks) {
    if (keys.length > 1) problems.push(`duplicate Jira issues ${keys.join(", ")} created for item ${byId.get(itemId)?.key ?? itemId}`);
    const item = byId.get(itemId);
    if (item && item.link?.jiraKey !== keys[0]) problems.push(`${keys[0]} carries the mark of ${item.key}, which is linked to ${item.link?.jiraKey ?? "nothing"}`);
  }
  return problems;
}
