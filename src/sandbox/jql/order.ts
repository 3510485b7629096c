// ORDER BY: sorts with each field's natural order; keys sort by project then number (ABC-10 after ABC-9).
import type { SandboxState } from "../model/state.ts";
import type { Issue } from "../model/types.ts";
import { JqlError } from "./errors.ts";
import { resolveField } from "./fields.ts";
import type { JqlSort } from "./parser.ts";

type Comparator = (a: Issue, b: Issue) => number;

function keyParts(issue: Issue): [string, number] {
  const dash = issue.key.lastIndexOf("-");
  return [issue.key.slice(0, dash), Number(issue.key.slice(dash + 1))];
}

const byKey: Comparator = (a, b) => {
  const [pa, na] = keyParts(a);
  const [pb, nb] = keyParts(b);
  return pa === pb ? na - nb : pa < pb ? -1 : 1;
};

function comparatorFor(state: SandboxState, field: string): Comparator {
  const name = field.toLowerCase();
  if (name === "key" || name === "issuekey") return byKey;
  if (name === "id" || name === "rank") return (a, b) => Number(a.id) - Number(b.id);
  if (name === "created") return (a, b) => a.created - b.created;
  if (name === "updated") return (a, b) => a.updated - b.updated;
  if (name === "summary") return (a, b) => a.summary.localeCompare(b.summary);
  if (name === "priority") {
    // Jira orders priorities by their configured order (Highest first); ids follow that order here.
    return (a, b) => Number(b.priorityId ?? 99) - Number(a.priorityId ?? 99);
  }
  if (name === "status") return (a, b) => (state.statuses.get(a.statusId)?.name ?? "").localeCompare(state.statuses.get(b.statusId)?.name ?? "");
  if (name === "assignee" || name === "reporter") {
    const display = (issue: Issue) => state.userByAccountId((name === "assignee" ? issue.assigneeId : issue.reporterId) ?? "")?.displayName ?? "\uffff";
    return (a, b) => display(a).localeCompare(display(b));
  }
  let accessor;
  try {
    accessor = resolveField(state, field);
  } catch {
    throw new JqlError(`Not able to sort using field '${field}'.`);
  }
  return (a, b) => {
    const va = accessor.values(a)[0];
    const vb = accessor.values(b)[0];
    if (va === undefined || vb === undefined) return va === vb ? 0 : va === undefined ? 1 : -1;
    return typeof va === "number" && typeof vb === "number" ? va - vb : String(va).localeCompare(String(vb));
  };
}

export function sortIssues(state: SandboxState, issues: Issue[], orderBy: JqlSort[]): Issue[] {
  // Without ORDER BY Jira answers in key order, highest first (e.g. BULK-62 before BULK-47).
  const sorts = orderBy.length ? orderBy : [{ field: "key", direction: "desc" as const }];
  const comparators = sorts.map((sort) => ({ compare: comparatorFor(state, sort.field), sign: sort.direction === "desc" ? -1 : 1 }));
  return [...issues].sort((a, b) => {
    for (const { compare, sign } of comparators) {
      const result = compare(a, b) * sign;
      if (result !== 0) return result;
    }
    return Number(a.id) - Number(b.id);
  });
}
