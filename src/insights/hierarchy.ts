// The issue tree: children by parent, ancestors, and the epic an issue belongs to.
import type { InsightIssue } from "./types.ts";

export class IssueTree {
  readonly byId = new Map<string, InsightIssue>();
  private children = new Map<string, InsightIssue[]>();

  constructor(issues: InsightIssue[]) {
    for (const issue of issues) this.byId.set(issue.id, issue);
    for (const issue of issues) {
      if (!issue.parentId || !this.byId.has(issue.parentId)) continue;
      this.children.set(issue.parentId, [...(this.children.get(issue.parentId) ?? []), issue]);
    }
  }

  childrenOf(id: string): InsightIssue[] {
    return this.children.get(id) ?? [];
  }

  /** Every issue below, depth first. */
  descendantsOf(id: string): InsightIssue[] {
    return this.childrenOf(id).flatMap((child) => [child, ...this.descendantsOf(child.id)]);
  }

  /** The issue and its parents up to the top (guarded against cycles). */
  lineage(id: string): InsightIssue[] {
    const chain: InsightIssue[] = [];
    for (let at = this.byId.get(id); at && !chain.includes(at); at = at.parentId ? this.byId.get(at.parentId) : undefined) chain.push(at);
    return chain;
  }

  /** The nearest epic-level (1) issue at or above this one. */
  epicOf(id: string): InsightIssue | null {
    return this.lineage(id).find((issue) => issue.level === 1) ?? null;
  }

  roots(): InsightIssue[] {
    return [...this.byId.values()].filter((issue) => !issue.parentId || !this.byId.has(issue.parentId));
  }
}
