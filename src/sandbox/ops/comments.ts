// Comments on sandbox issues: add, edit, delete, with permissions and events.
import { parseRichText } from "../fields/rich-text.ts";
import { JiraError } from "../model/jira-error.ts";
import type { Comment, Issue } from "../model/types.ts";
import type { RenderContext } from "../render/context.ts";

function parseBody(ctx: RenderContext, input: unknown) {
  const body = (input ?? {}) as { body?: unknown };
  if (body.body === undefined || body.body === null) throw new JiraError(400, [], { comment: "Comment body can not be empty!" });
  const parsed = parseRichText(body.body, ctx);
  if (!parsed.ok) throw new JiraError(400, [], { comment: parsed.error });
  if (parsed.value === null) throw new JiraError(400, [], { comment: "Comment body can not be empty!" });
  return parsed.value as Comment["body"];
}

export function addComment(ctx: RenderContext, issue: Issue, input: unknown): Comment {
  if (!ctx.state.hasPermission(ctx.viewerId, ctx.state.projectOf(issue), "ADD_COMMENTS")) {
    throw new JiraError(403, ["You do not have the permission to comment on this issue."]);
  }
  const now = ctx.state.now();
  const comment: Comment = {
    id: String(ctx.state.nextId("comment")),
    authorId: ctx.viewerId,
    updateAuthorId: ctx.viewerId,
    body: parseBody(ctx, input),
    created: now,
    updated: now,
  };
  issue.comments.push(comment);
  issue.updated = now;
  ctx.state.emit({ type: "comment_created", issue, comment, actorId: ctx.viewerId, at: now });
  return comment;
}

export function findComment(issue: Issue, id: string): Comment {
  const comment = issue.comments.find((candidate) => candidate.id === id);
  if (!comment) throw new JiraError(404, [`Can not find a comment for the id: ${id}.`]);
  return comment;
}

export function editComment(ctx: RenderContext, issue: Issue, comment: Comment, input: unknown): Comment {
  const own = comment.authorId === ctx.viewerId;
  const project = ctx.state.projectOf(issue);
  if (!own && !ctx.state.hasPermission(ctx.viewerId, project, "ADMINISTER_PROJECTS")) {
    throw new JiraError(403, ["You do not have the permission to edit this comment."]);
  }
  comment.body = parseBody(ctx, input);
  comment.updated = ctx.state.now();
  comment.updateAuthorId = ctx.viewerId;
  issue.updated = comment.updated;
  ctx.state.emit({ type: "comment_updated", issue, comment, actorId: ctx.viewerId, at: comment.updated });
  return comment;
}

export function deleteComment(ctx: RenderContext, issue: Issue, comment: Comment): void {
  const own = comment.authorId === ctx.viewerId;
  if (!own && !ctx.state.hasPermission(ctx.viewerId, ctx.state.projectOf(issue), "ADMINISTER_PROJECTS")) {
    throw new JiraError(403, ["You do not have the permission to delete this comment."]);
  }
  issue.comments = issue.comments.filter((candidate) => candidate.id !== comment.id);
  issue.updated = ctx.state.now();
  ctx.state.emit({ type: "comment_deleted", issue, comment, actorId: ctx.viewerId, at: issue.updated });
}
