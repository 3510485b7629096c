// Saved filters: /filter/search (Cloud, paged, `expand=jql`), /filter/favourite (both flavours) and /filter/{id}.
import { Hono } from "hono";
import { JiraError } from "../../model/jira-error.ts";
import type { SandboxState, SavedFilter } from "../../model/state.ts";
import { renderUser } from "../../render/objects.ts";
import { apiUrl, type RenderContext } from "../../render/context.ts";
import { intParam, renderContext, type SandboxEnv } from "../request.ts";

export function filterRoutes(state: SandboxState): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const render = (ctx: RenderContext, filter: SavedFilter, withJql: boolean) => {
    const owner = state.userByAccountId(filter.ownerId);
    return {
      self: apiUrl(ctx, `filter/${filter.id}`),
      id: String(filter.id),
      name: filter.name,
      description: filter.description,
      ...(owner ? { owner: renderUser(ctx, owner) } : {}),
      ...(withJql ? { jql: filter.jql } : {}),
      favourite: true,
    };
  };
  const sorted = () => [...state.filters.values()].sort((a, b) => a.name.localeCompare(b.name));

  app.get("/filter/search", (c) => {
    const ctx = renderContext(state, c);
    const name = (c.req.query("filterName") ?? "").toLowerCase();
    const withJql = (c.req.query("expand") ?? "").split(",").includes("jql");
    const matches = sorted().filter((filter) => filter.name.toLowerCase().includes(name));
    const startAt = intParam(c, "startAt", 0);
    const maxResults = Math.min(intParam(c, "maxResults", 50, 1), 100);
    const values = matches.slice(startAt, startAt + maxResults).map((filter) => render(ctx, filter, withJql));
    return c.json({ self: apiUrl(ctx, "filter/search"), maxResults, startAt, total: matches.length, isLast: startAt + values.length >= matches.length, values });
  });

  app.get("/filter/favourite", (c) => {
    const ctx = renderContext(state, c);
    return c.json(sorted().map((filter) => render(ctx, filter, true)));
  });

  app.get("/filter/:id", (c) => {
    const filter = state.filters.get(Number(c.req.param("id")));
    if (!filter) throw new JiraError(404, [`The selected filter is not available to you, perhaps it has been deleted or had its permissions changed.`]);
    return c.json(render(renderContext(state, c), filter, true));
  });

  return app;
}
