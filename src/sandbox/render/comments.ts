// Comments and worklogs as Jira renders them (ADF bodies on v3, wiki strings on v2).
import type { Comment, Issue, Worklog } from "../model/types.ts";
import { renderRichText } from "../fields/rich-text.ts";
import { formatDuration } from "../fields/duration.ts";
import { apiUrl, jiraDateTime, type RenderContext } from "./context.ts";
import { renderUser } from "./objects.ts";

function author(ctx: RenderContext, accountId: string) {
  const user = ctx.state.userByAccountId(accountId);
  return user ? renderUser(ctx, user) : undefined;
}

export function renderComment(ctx: RenderContext, issue: Issue, comment: Comment) {
  return {
    self: apiUrl(ctx, `issue/${issue.id}/comment/${comment.id}`),
    id: comment.id,
    author: author(ctx, comment.authorId),
    body: renderRichText(comment.body, ctx),
    updateAuthor: author(ctx, comment.updateAuthorId),
    created: jiraDateTime(comment.created),
    updated: jiraDateTime(comment.updated),
    ...(ctx.state.flavour === "cloud" ? { jsdPublic: true } : {}),
  };
}

export function renderWorklog(ctx: RenderContext, issue: Issue, worklog: Worklog) {
  return {
    self: apiUrl(ctx, `issue/${issue.id}/worklog/${worklog.id}`),
    author: author(ctx, worklog.authorId),
    updateAuthor: author(ctx, worklog.updateAuthorId),
    ...(worklog.comment ? { comment: renderRichText(worklog.comment, ctx) } : {}),
    created: jiraDateTime(worklog.created),
    updated: jiraDateTime(worklog.updated),
    started: jiraDateTime(worklog.started),
    timeSpent: formatDuration(worklog.timeSpentSeconds, ctx.state.site),
    timeSpentSeconds: worklog.timeSpentSeconds,
    id: worklog.id,
    issueId: issue.id,
  };
}

/** The `comment` field of an issue: a page holding every comment. */
export function renderCommentField(ctx: RenderContext, issue: Issue) {
  return {
    comments: issue.comments.map((comment) => renderComment(ctx, issue, comment)),
    self: apiUrl(ctx, `issue/${issue.id}/comment`),
    maxResults: issue.comments.length,
    total: issue.comments.length,
    startAt: 0,
  };
}

export function renderWorklogField(ctx: RenderContext, issue: Issue) {
  return {
    startAt: 0,
    maxResults: 20,
    total: issue.worklogs.length,
    worklogs: issue.worklogs.slice(0, 20).map((worklog) => renderWorklog(ctx, issue, worklog)),
  };
}
