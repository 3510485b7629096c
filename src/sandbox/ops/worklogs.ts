// Worklogs on sandbox issues: logging time reduces the remaining estimate, as Jira's default "auto" adjustment does.
import { parseDuration } from "../fields/duration.ts";
import { parseRichText } from "../fields/rich-text.ts";
import { JiraError } from "../model/jira-error.ts";
import type { Issue, Worklog } from "../model/types.ts";
import type { RenderContext } from "../render/context.ts";

export function addWorklog(ctx: RenderContext, issue: Issue, input: unknown): Worklog {
  if (!ctx.state.hasPermission(ctx.viewerId, ctx.state.projectOf(issue), "WORK_ON_ISSUES")) {
    throw new JiraError(403, ["You do not have the permission to log work on this issue."]);
  }
  const body = (input ?? {}) as { timeSpent?: unknown; timeSpentSeconds?: unknown; started?: unknown; comment?: unknown };
  let seconds: number | null = null;
  if (typeof body.timeSpentSeconds === "number") seconds = body.timeSpentSeconds;
  else if (typeof body.timeSpent === "string") seconds = parseDuration(body.timeSpent, ctx.state.site);
  if (seconds === null || seconds <= 0) throw new JiraError(400, [], { timeLogged: "You must indicate the time spent working." });
  let started = ctx.state.now();
  if (body.started !== undefined) {
    started = typeof body.started === "string" ? Date.parse(body.started.replace(/([+-]\d{2})(\d{2})$/, "$1:$2")) : NaN;
    if (Number.isNaN(started)) throw new JiraError(400, [], { started: "Invalid date format. Please enter the date in the format \"yyyy-MM-dd'T'HH:mm:ss.SSSZ\"." });
  }
  let comment = null;
  if (body.comment !== undefined) {
    const parsed = parseRichText(body.comment, ctx);
    if (!parsed.ok) throw new JiraError(400, [], { comment: parsed.error });
    comment = parsed.value as Worklog["comment"];
  }
  const now = ctx.state.now();
  const worklog: Worklog = {
    id: String(ctx.state.nextId("worklog")),
    authorId: ctx.viewerId,
    updateAuthorId: ctx.viewerId,
    comment,
    started,
    timeSpentSeconds: seconds,
    created: now,
    updated: now,
  };
  issue.worklogs.push(worklog);
  issue.timeSpent = (issue.timeSpent ?? 0) + seconds;
  if (issue.remainingEstimate !== null) issue.remainingEstimate = Math.max(0, issue.remainingEstimate - seconds);
  issue.updated = now;
  ctx.state.emit({ type: "worklog_created", issue, worklog, actorId: ctx.viewerId, at: now });
  return worklog;
}
