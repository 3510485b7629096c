// Changelog histories as Jira renders them; DC's items carry no fieldId.
import type { ChangelogEntry, ChangeItem } from "../model/types.ts";
import { jiraDateTime, type RenderContext } from "./context.ts";
import { renderUser } from "./objects.ts";

export function renderChangeItem(ctx: { state: RenderContext["state"] }, item: ChangeItem) {
  if (ctx.state.flavour === "dc") {
    const { fieldId: _dropped, ...rest } = item;
    return rest;
  }
  return item;
}

export function renderHistory(ctx: RenderContext, entry: ChangelogEntry) {
  const author = ctx.state.userByAccountId(entry.authorId);
  return {
    id: entry.id,
    ...(author ? { author: renderUser(ctx, author) } : {}),
    created: jiraDateTime(entry.created),
    items: entry.items.map((item) => renderChangeItem(ctx, item)),
  };
}
