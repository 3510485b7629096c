// Issue links between sandbox issues.
import { JiraError } from "../model/jira-error.ts";
import type { IssueLink } from "../model/types.ts";
import type { RenderContext } from "../render/context.ts";
import { visibleIssue } from "./issues.ts";

export function createLink(ctx: RenderContext, input: unknown): IssueLink {
  const body = (input ?? {}) as { type?: { name?: unknown; id?: unknown }; inwardIssue?: { key?: unknown; id?: unknown }; outwardIssue?: { key?: unknown; id?: unknown } };
  const type = [...ctx.state.issueLinkTypes.values()].find(
    (candidate) => candidate.name === body.type?.name || candidate.id === String(body.type?.id),
  );
  if (!type) throw new JiraError(404, [`No issue link type with name '${String(body.type?.name ?? body.type?.id)}' found.`]);
  const inward = visibleIssue(ctx, String(body.inwardIssue?.key ?? body.inwardIssue?.id ?? ""));
  const outward = visibleIssue(ctx, String(body.outwardIssue?.key ?? body.outwardIssue?.id ?? ""));
  if (!ctx.state.hasPermission(ctx.viewerId, ctx.state.projectOf(inward), "LINK_ISSUES")) {
    throw new JiraError(403, ["You do not have the permission to link issues."]);
  }
  const link: IssueLink = { id: String(ctx.state.nextId("issuelink")), typeId: type.id, inwardIssueId: inward.id, outwardIssueId: outward.id };
  ctx.state.issueLinks.set(link.id, link);
  const now = ctx.state.now();
  inward.updated = now;
  outward.updated = now;
  ctx.state.emit({ type: "issuelink_created", link, actorId: ctx.viewerId, at: now });
  return link;
}

export function deleteLink(ctx: RenderContext, id: string): void {
  const link = ctx.state.issueLinks.get(id);
  if (!link) throw new JiraError(404, ["No issue link with id '" + id + "' exists."]);
  visibleIssue(ctx, link.inwardIssueId);
  ctx.state.issueLinks.delete(id);
  ctx.state.emit({ type: "issuelink_deleted", link, actorId: ctx.viewerId, at: ctx.state.now() });
}
