// The agile API (/rest/agile/1.0): boards, sprints, and the issues of a board, sprint or backlog.
import { Hono } from "hono";
import { JiraError } from "../../model/jira-error.ts";
import type { SandboxState } from "../../model/state.ts";
import type { Board, Issue, Sprint } from "../../model/types.ts";
import { renderIssue } from "../../render/issue.ts";
import { intParam, listParam, renderContext, type SandboxContext, type SandboxEnv } from "../request.ts";

/** The sprint custom field of the seeds (Jira Software's "Sprint", com.pyxis.greenhopper.jira:gh-sprint). */
function sprintFieldId(state: SandboxState): string | undefined {
  for (const field of state.customFields.values()) if (field.kind === "sprint") return field.id;
  return undefined;
}

function sprintIdsOf(state: SandboxState, issue: Issue): number[] {
  const fieldId = sprintFieldId(state);
  const value = fieldId ? issue.customFields[fieldId] : undefined;
  return Array.isArray(value) ? value.map(Number) : [];
}

export function agileRoutes(state: SandboxState): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const base = (c: SandboxContext) => `${c.get("baseUrl")}/rest/agile/1.0`;

  const renderBoard = (c: SandboxContext, board: Board) => {
    const project = state.projects.get(board.projectId)!;
    return {
      id: board.id,
      self: `${base(c)}/board/${board.id}`,
      name: board.name,
      type: board.type,
      location: { projectId: Number(project.id), displayName: `${project.name} (${project.key})`, projectName: project.name, projectKey: project.key, projectTypeKey: project.projectTypeKey, name: `${project.name} (${project.key})` },
    };
  };
  const renderSprint = (c: SandboxContext, sprint: Sprint) => ({
    id: sprint.id,
    self: `${base(c)}/sprint/${sprint.id}`,
    state: sprint.state,
    name: sprint.name,
    ...(sprint.startDate ? { startDate: sprint.startDate } : {}),
    ...(sprint.endDate ? { endDate: sprint.endDate } : {}),
    ...(sprint.completeDate ? { completeDate: sprint.completeDate } : {}),
    originBoardId: sprint.boardId,
    goal: sprint.goal,
  });
  const visibleBoard = (c: SandboxContext, id: string): Board => {
    const board = state.boards.get(Number(id));
    const project = board ? state.projects.get(board.projectId) : undefined;
    if (!board || !project || !state.hasPermission(c.get("viewerId"), project, "BROWSE_PROJECTS")) {
      throw new JiraError(404, [`Board does not exist or you do not have permission to see it.`]);
    }
    return board;
  };
  const paged = <T>(c: SandboxContext, values: T[], cap = 50) => {
    const startAt = intParam(c, "startAt", 0);
    const maxResults = Math.min(intParam(c, "maxResults", 50, 1), cap);
    const page = values.slice(startAt, startAt + maxResults);
    return { maxResults, startAt, total: values.length, isLast: startAt + page.length >= values.length, values: page };
  };
  const issuePage = (c: SandboxContext, issues: Issue[]) => {
    const ctx = renderContext(state, c, "2");
    const startAt = intParam(c, "startAt", 0);
    const maxResults = Math.min(intParam(c, "maxResults", 50, 1), 100);
    const visible = issues.filter((issue) => state.canBrowse(ctx.viewerId, issue)).sort((a, b) => Number(a.id) - Number(b.id));
    return {
      expand: "schema,names",
      startAt,
      maxResults,
      total: visible.length,
      isLast: startAt + maxResults >= visible.length,
      issues: visible.slice(startAt, startAt + maxResults).map((issue) => renderIssue(ctx, issue, { fields: listParam(c, "fields"), defaultFields: "*navigable", expand: [], properties: [] })),
    };
  };

  app.get("/board", (c) => {
    const projectKey = c.req.query("projectKeyOrId");
    const boards = [...state.boards.values()].filter((board) => {
      const project = state.projects.get(board.projectId)!;
      if (!state.hasPermission(c.get("viewerId"), project, "BROWSE_PROJECTS")) return false;
      return !projectKey || project.key === projectKey.toUpperCase() || project.id === projectKey;
    });
    return c.json(paged(c, boards.map((board) => renderBoard(c, board))));
  });
  app.get("/board/:id", (c) => c.json(renderBoard(c, visibleBoard(c, c.req.param("id")))));
  app.get("/board/:id/sprint", (c) => {
    const board = visibleBoard(c, c.req.param("id"));
    if (board.type !== "scrum") throw new JiraError(400, ["The board does not support sprints"]);
    const states = listParam(c, "state");
    const sprints = [...state.sprints.values()].filter((sprint) => sprint.boardId === board.id && (states.length === 0 || states.includes(sprint.state)));
    return c.json(paged(c, sprints.map((sprint) => renderSprint(c, sprint))));
  });
  app.get("/board/:id/issue", (c) => {
    const board = visibleBoard(c, c.req.param("id"));
    return c.json(issuePage(c, [...state.issues.values()].filter((issue) => issue.projectId === board.projectId)));
  });
  app.get("/board/:id/backlog", (c) => {
    const board = visibleBoard(c, c.req.param("id"));
    const open = (issue: Issue) => sprintIdsOf(state, issue).some((id) => state.sprints.get(id)?.state !== "closed");
    return c.json(issuePage(c, [...state.issues.values()].filter((issue) => issue.projectId === board.projectId && !open(issue) && state.statuses.get(issue.statusId)?.category !== "done")));
  });
  app.get("/sprint/:id", (c) => {
    const sprint = state.sprints.get(Number(c.req.param("id")));
    if (!sprint) throw new JiraError(404, [`Sprint with id ${c.req.param("id")} does not exist.`]);
    visibleBoard(c, String(sprint.boardId));
    return c.json(renderSprint(c, sprint));
  });
  app.get("/sprint/:id/issue", (c) => {
    const sprint = state.sprints.get(Number(c.req.param("id")));
    if (!sprint) throw new JiraError(404, [`Sprint with id ${c.req.param("id")} does not exist.`]);
    visibleBoard(c, String(sprint.boardId));
    return c.json(issuePage(c, [...state.issues.values()].filter((issue) => sprintIdsOf(state, issue).includes(sprint.id))));
  });

  return app;
}
