// Projects and their items, the Jira association, mappings (with presets), linking, Pull / Push / sync with dry
// runs, the run history and conflicts.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { jiraForConnector, MissingIdentityError } from "../../connectors/jira-for.ts";
import { NotConnectedError, syncContextFor, type SyncContext } from "../../connectors/sync-context.ts";
import { applyMappings } from "../../engine/resolve-mappings.ts";
import { CORE_FIELDS, type Mapping, type TandemField } from "../../engine/model.ts";
import { PRESET_NAMES, PRESETS } from "../../engine/presets.ts";
import { runSync } from "../../engine/sync-run.ts";
import { fromJiraComment, fromJiraRichText, toJiraComment } from "../../jira/rich-text.ts";
import { isAccount, isPersonsOwn, serviceAccountOf } from "../../connectors/service-account.ts";
import { splitIdentity } from "../../connectors/run-identity.ts";
import { reconcileProject, runCatchUp } from "../../realtime/catch-up-service.ts";
import { followProjectsInWebhook } from "../../realtime/registration.ts";
import { validateSchedule } from "../../realtime/scheduler.ts";
import { withoutOrderBy } from "../../jira/jql.ts";
import { JiraError, JiraInvalidJqlError, JiraNotFoundError, JiraValidationError, ReadOnlyViolationError } from "../../jira/errors.ts";
import { createInJira, recordCreation } from "../../crossing/create-in-jira.ts";
import { describeCreateForm } from "../../crossing/create-form.ts";
import { planImport, previewImport } from "../../crossing/import.ts";
import { importAndPull } from "../../crossing/import-and-pull.ts";
import { parseItemsCsv } from "../../crossing/csv-import.ts";
import { itemsView, refreshIssueCache } from "../../crossing/retention.ts";
import { sendNewItems } from "../../crossing/jira-sync.ts";
import type { Project } from "../../store/projects.ts";
import type { Run } from "../../store/runs.ts";
import { streamSSE } from "hono/streaming";
import type { TandemStore } from "../../store/store.ts";
import type { User } from "../../store/users.ts";
import { role, type ApiEnv } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { ErrorSchema, IdParam } from "../schemas.ts";
import { projectJobOptions, type CatchUpPayload, type ImportPayload, type RunPayload } from "../../jobs/handlers.ts";
import type { JobQueue } from "../../jobs/queue.ts";
import { acceptedJob } from "./jobs.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });
const errors = { 400: json(ErrorSchema, "Bad input"), 401: json(ErrorSchema, "Not signed in"), 403: json(ErrorSchema, "Role too low"), 404: json(ErrorSchema, "Not found") };
const security = [{ bearer: [] }];
const Any = z.any();

const FieldSchema = z.strictObject({ key: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, "Use letters, digits and _ (starting with a letter)."), name: z.string().min(1), type: z.enum(["text", "markdown", "number", "date", "datetime", "url", "boolean", "select", "multiselect", "person", "duration", "status"]) });
const NewProjectSchema = z.strictObject({ key: z.string().regex(/^[A-Za-z][A-Za-z0-9]{1,9}$/, "2–10 letters or digits, starting with a letter."), name: z.string().min(1).max(200), fields: z.array(FieldSchema).default([]), preset: z.enum(PRESET_NAMES).optional() });
const AssociationSchema = z.strictObject({
  connector: z.string().min(1),
  jiraProjects: z.array(z.string().min(1)).min(1, "Name at least one Jira project key."),
  jqlScope: z.string().default(""),
  direction: z.enum(["pull", "push", "two-way"]).default("two-way"),
  conflictPolicy: z.enum(["jira-wins", "tandem-wins", "newest-wins", "hold"]).default("hold"),
  syncIdentity: z.enum(["service", "user"]).default("service"),
});
const TransformSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("copy") }),
  z.strictObject({ kind: z.literal("status"), byCategory: z.record(z.string(), z.string()).optional(), byStatus: z.record(z.string(), z.string()).optional(), toJira: z.record(z.string(), z.string()).optional() }),
  z.strictObject({ kind: z.literal("valueMap"), map: z.record(z.string(), z.string()) }),
  z.strictObject({ kind: z.literal("duration"), unit: z.enum(["hours", "days"]), estimate: z.enum(["remaining", "original"]) }),
  z.strictObject({ kind: z.literal("ratio"), of: z.string(), ratioField: z.string(), defaultRatio: z.number().positive() }),
  z.strictObject({ kind: z.literal("richText") }),
  z.strictObject({ kind: z.literal("person") }),
  z.strictObject({ kind: z.literal("date") }),
  z.strictObject({ kind: z.literal("itemUrl") }),
  z.strictObject({ kind: z.literal("now") }),
  z.strictObject({ kind: z.literal("number") }),
  z.strictObject({ kind: z.literal("options"), multiple: z.boolean() }),
  z.strictObject({ kind: z.literal("datetime") }),
  z.strictObject({ kind: z.literal("labels") }),
]);
const MappingInputSchema = z.strictObject({ tandemField: z.string(), jiraField: z.string(), direction: z.enum(["pull", "push", "both"]), transform: TransformSchema });
const MappingsBody = z.union([z.strictObject({ preset: z.enum(PRESET_NAMES) }), z.strictObject({ mappings: z.array(MappingInputSchema) })]);
const RunBody = z.strictObject({ dryRun: z.boolean().default(false), items: z.array(z.string()).optional(), background: z.boolean().default(false) });
/** `background: true` runs the work as a job: 202 with the job and where to follow it. */
const accepted = json(Any, "Started as a job; follow it at links.job");

export function projectRoutes(store: TandemStore, publicUrl: () => string, onScheduleChange: () => Promise<void> = async () => {}, jobs: JobQueue) {
  const app = new OpenAPIHono<ApiEnv>();
  const project = async (ref: string) => (await store.projects.byId(ref)) ?? Promise.reject(notFound(`Project '${ref}'`));
  const item = async (ref: string) => (await store.projects.item(ref)) ?? Promise.reject(notFound(`Item '${ref}'`));

  /** The project's Jira context for the person calling: client, identity label, metadata, sync dependencies. */
  async function contextFor(target: Project, user: User): Promise<SyncContext> {
    try {
      return await syncContextFor(store, target, { person: user }, publicUrl());
    } catch (error) {
      if (error instanceof NotConnectedError) throw new ApiError(400, "not_connected", error.message);
      if (error instanceof MissingIdentityError) throw new ApiError(400, "not_authorized", error.message);
      throw error;
    }
  }

  app.openapi(createRoute({ method: "get", path: "/projects", tags: ["projects"], security, responses: { 200: json(z.array(Any), "Projects") } }), async (c) => c.json(await store.projects.list(), 200));

  app.openapi(createRoute({ method: "post", path: "/projects", middleware: [role("member")] as const, tags: ["projects"], security, request: body(NewProjectSchema), responses: { 201: json(Any, "Created"), 409: json(ErrorSchema, "Key taken"), ...errors } }), async (c) => {
    const input = c.req.valid("json");
    if (await store.projects.byId(input.key)) throw new ApiError(409, "key_taken", `A project with key ${input.key.toUpperCase()} already exists.`);
    const fields: TandemField[] = [...input.fields, ...(input.preset ? PRESETS[input.preset]!.fields.filter((field) => !input.fields.some((own) => own.key === field.key)) : [])];
    return c.json(await store.projects.create({ key: input.key, name: input.name, fields }), 201);
  });

  app.openapi(createRoute({ method: "get", path: "/projects/{id}", tags: ["projects"], security, request: { params: IdParam }, responses: { 200: json(Any, "The project, its mappings and last runs"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    // The last real Pull and Push (dry runs are in the history but change nothing).
    const [lastPull] = await store.runs.list(target.id, { kind: "pull", limit: 1, realOnly: true });
    const [lastPush] = await store.runs.list(target.id, { kind: "push", limit: 1, realOnly: true });
    return c.json({ ...target, mappings: await store.projects.mappings(target.id), lastPull: lastPull ?? null, lastPush: lastPush ?? null }, 200);
  });

  app.openapi(createRoute({ method: "put", path: "/projects/{id}/jira", middleware: [role("member")] as const, tags: ["projects"], security, request: { params: IdParam, ...body(AssociationSchema) }, responses: { 200: json(Any, "Associated"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const input = c.req.valid("json");
    const connector = (await store.connectors.byId(input.connector)) ?? (await store.connectors.byName(input.connector));
    if (!connector) throw new ApiError(400, "unknown_connector", `No connector '${input.connector}'; list them with GET /connectors.`);
    await store.projects.associate(target.id, { connectorId: connector.id, jiraProjects: input.jiraProjects, jqlScope: input.jqlScope, direction: input.direction, conflictPolicy: input.conflictPolicy, syncIdentity: input.syncIdentity });
    await onScheduleChange();
    // Registered webhooks follow: the new connector's filter gains the project, a previous connector's loses it.
    for (const connectorId of new Set([connector.id, ...(target.connectorId ? [target.connectorId] : [])])) {
      await followProjectsInWebhook(store, connectorId, (owner) => jiraForConnector(store, owner, "service"), publicUrl());
    }
    return c.json((await store.projects.byId(target.id))!, 200);
  });

  app.openapi(createRoute({ method: "put", path: "/projects/{id}/mappings", middleware: [role("member")] as const, tags: ["projects"], security, request: { params: IdParam, ...body(MappingsBody) }, responses: { 200: json(Any, "Saved mappings"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const input = c.req.valid("json");
    const { metadata } = await contextFor(target, c.get("user"));
    const applied = await applyMappings(store.projects, target, "preset" in input ? { preset: input.preset } : { mappings: input.mappings as Omit<Mapping, "id">[] }, (name) => metadata.field(name));
    if (!applied.ok) throw new ApiError(400, "mapping_refused", applied.problems.join(" "), applied.problems);
    return c.json(applied.mappings, 200);
  });

  // ---- items ----

  app.openapi(createRoute({ method: "get", path: "/projects/{id}/items", tags: ["items"], security, request: { params: IdParam }, responses: { 200: json(z.array(Any), "Items (minimal retention: with the cached issue data, while it lasts)"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    // Opening a minimal-retention project loads what is not cached; guests see what is loaded and change nothing.
    let loadError: string | null = null;
    if (target.retention === "minimal" && target.connectorId && c.get("user").role !== "guest") {
      try {
        const { jira } = await contextFor(target, c.get("user"));
        await refreshIssueCache({ jira, projects: store.projects, cache: store.issueCache }, target, { onlyMissing: true });
      } catch (error) {
        // Jira unreachable or no identity: the project still opens, with what is loaded, and says why.
        loadError = error instanceof Error ? error.message : String(error);
      }
    }
    if (loadError) c.header("X-Tandem-Load-Error", encodeURIComponent(loadError));
    return c.json(await itemsView(store.issueCache, target, await store.projects.items(target.id)), 200);
  });

  const ItemValues = z.record(z.string(), z.unknown());
  app.openapi(createRoute({ method: "post", path: "/projects/{id}/items", middleware: [role("member")] as const, tags: ["items"], security, request: { params: IdParam, ...body(z.strictObject({ values: ItemValues })) }, responses: { 201: json(Any, "Created"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const values = validValues(target, c.req.valid("json").values);
    if (typeof values.title !== "string" || values.title.trim() === "") throw new ApiError(400, "invalid_request", "An item needs a title.");
    const added = await store.projects.addItem(target.id, { status: "Not Started", ...values });
    // Project- or team-level sync: the new item goes to Jira now; a refusal is reported and the item stays.
    if ((target.jiraSync.epic || target.jiraSync.team) && target.direction !== "pull") {
      const { jira, metadata } = await contextFor(target, c.get("user"));
      try {
        const sent = await sendNewItems({ jira, metadata, projects: store.projects }, target, [added.id]);
        return c.json({ ...(await store.projects.item(added.id))!, jira: sent }, 201);
      } catch (error) {
        return c.json({ ...added, jira: { error: error instanceof Error ? error.message : String(error) } }, 201);
      }
    }
    return c.json(added, 201);
  });

  app.openapi(createRoute({ method: "post", path: "/projects/{id}/items/csv", middleware: [role("member")] as const, tags: ["items"], security, request: { params: IdParam, ...body(z.strictObject({ csv: z.string().min(1) })) }, responses: { 201: json(Any, "Imported items"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const parsed = parseItemsCsv(target, c.req.valid("json").csv);
    if (!parsed.ok) throw new ApiError(400, "invalid_csv", `Nothing was imported: ${parsed.problems.join("; ")}.`, parsed.problems);
    const added = await store.projects.inTransaction(async () => {
      const items: { id: string; key: string }[] = [];
      for (const values of parsed.rows) items.push(await store.projects.addItem(target.id, values));
      return items;
    });
    const created = added.map((entry) => entry.key);
    // In a project sent to Jira as an Epic or by team, rows follow as any new item does.
    if ((target.jiraSync.epic || target.jiraSync.team) && target.direction !== "pull") {
      const { jira, metadata } = await contextFor(target, c.get("user"));
      try {
        return c.json({ created, jira: await sendNewItems({ jira, metadata, projects: store.projects }, target, added.map((entry) => entry.id)) }, 201);
      } catch (error) {
        return c.json({ created, jira: { error: error instanceof Error ? error.message : String(error) } }, 201);
      }
    }
    return c.json({ created }, 201);
  });

  app.openapi(createRoute({ method: "get", path: "/items/{id}", tags: ["items"], security, request: { params: IdParam }, responses: { 200: json(Any, "The item, by id or key (minimal retention: with the cached issue data, while it lasts)"), ...errors } }), async (c) => {
    const current = await item(c.req.valid("param").id);
    const target = (await store.projects.byId(current.projectId))!;
    return c.json((await itemsView(store.issueCache, target, [current]))[0]!, 200);
  });

  app.openapi(createRoute({ method: "patch", path: "/items/{id}", middleware: [role("member")] as const, tags: ["items"], security, request: { params: IdParam, ...body(z.strictObject({ values: ItemValues })) }, responses: { 200: json(Any, "Updated"), 409: json(ErrorSchema, "Edited meanwhile"), ...errors } }), async (c) => {
    const current = await item(c.req.valid("param").id);
    const target = (await store.projects.byId(current.projectId))!;
    const values = { ...current.values, ...validValues(target, c.req.valid("json").values) };
    if (!(await store.projects.updateItem(current.id, values, current.version))) throw new ApiError(409, "edit_conflict", `${current.key} changed meanwhile; read it again and repeat the edit.`);
    return c.json((await store.projects.item(current.id))!, 200);
  });

  app.openapi(createRoute({ method: "delete", path: "/items/{id}", middleware: [role("member")] as const, tags: ["items"], security, request: { params: IdParam }, responses: { 200: json(z.object({ deleted: z.string(), jiraIssueUntouched: z.string().nullable() }), "Deleted; the Jira issue is untouched"), ...errors } }), async (c) => {
    const current = await item(c.req.valid("param").id);
    // Only Tandem's item and its link go; nothing in Tandem ever deletes a Jira issue.
    await store.projects.deleteItem(current.id);
    return c.json({ deleted: current.key, jiraIssueUntouched: current.link?.jiraKey ?? null }, 200);
  });

  app.openapi(createRoute({ method: "get", path: "/items/{id}/comments", tags: ["items"], security, request: { params: IdParam }, responses: { 200: json(z.array(Any), "The linked issue's comments, as Markdown, with their authors: for a comment Tandem wrote for a person through the connector's account, that person (viaTandem, and jiraAuthor the account it was written as)"), ...errors } }), async (c) => {
    const current = await item(c.req.valid("param").id);
    if (!current.link) throw new ApiError(400, "not_linked", `${current.key} is not linked to a Jira issue.`);
    const target = (await store.projects.byId(current.projectId))!;
    const { jira } = await contextFor(target, c.get("user"));
    const comments = await jira.comments(current.link.jiraIssueId);
    // What Tandem wrote for a person through the connector's account names them first: they are its author. Only
    // the connector's account counts, so anyone typing the same words in Jira stays the author of their comment.
    const account = await serviceAccountOf(store, (await store.connectors.byId(target.connectorId!))!);
    const people = await store.users.list();
    return c.json(comments.map((comment) => {
      // Read once; only an attribution written by someone else than the connector's account is read again, whole.
      const { attribution, markdown } = fromJiraComment(comment.body);
      const jiraAuthor = comment.author ? { displayName: comment.author.displayName ?? null, email: comment.author.emailAddress ?? null, accountId: comment.author.accountId ?? null, username: comment.author.name ?? null } : null;
      const common = { id: comment.id, created: comment.created, jiraAuthor };
      if (attribution === null || !isAccount(comment.author, account)) return { ...common, author: jiraAuthor?.displayName ?? null, authorEmail: jiraAuthor?.email ?? null, viaTandem: false, body: attribution === null && markdown !== null ? markdown : fromJiraRichText(comment.body) };
      const named = people.filter((person) => person.name.trim() === attribution);
      const person = named.length === 1 ? named[0] : people.find((candidate) => candidate.email === attribution.toLowerCase());
      return { ...common, author: attribution, authorEmail: person?.email ?? null, viaTandem: true, body: markdown };
    }), 200);
  });

  app.openapi(createRoute({ method: "post", path: "/items/{id}/comments", middleware: [role("member")] as const, tags: ["items"], security, request: { params: IdParam, ...body(z.strictObject({ body: z.string().trim().min(1, "A comment needs text.") })) }, responses: { 201: json(Any, "Added to the Jira issue, as the project's identity; through an account that is not the person's own it opens with \"NAME (via Tandem):\""), ...errors } }), async (c) => {
    const current = await item(c.req.valid("param").id);
    if (!current.link) throw new ApiError(400, "not_linked", `${current.key} is not linked to a Jira issue.`);
    const target = (await store.projects.byId(current.projectId))!;
    const person = c.get("user");
    const { jira, identity } = await contextFor(target, person);
    // With the person's own Jira identity (syncIdentity "user") Jira shows them as the author. Through the connector's
    // account it would show that account, so the comment names the person first — unless that account is theirs.
    let attribution: string | null = null;
    if (target.syncIdentity !== "user") {
      const connector = (await store.connectors.byId(target.connectorId!))!;
      if (!isPersonsOwn(await serviceAccountOf(store, connector), person, await store.connectors.personOverrideMap(connector.id))) attribution = person.name.trim() || person.email;
    }
    try {
      const added = await jira.addComment(current.link.jiraIssueId, toJiraComment(c.req.valid("json").body, jira.flavour, attribution));
      return c.json({ id: added.id, jiraKey: current.link.jiraKey, writtenAs: identity, attributedTo: attribution }, 201);
    } catch (error) {
      if (error instanceof ReadOnlyViolationError) throw new ApiError(409, "read_only", `Project ${target.key} is pull-only: it never writes to Jira.`);
      throw error;
    }
  });

  const BulkSchema = z.strictObject({ items: z.array(z.string()).min(1).max(1000), values: z.record(z.string(), z.unknown()) });
  app.openapi(createRoute({ method: "post", path: "/projects/{id}/bulk-edit", middleware: [role("member")] as const, tags: ["items"], security, request: { params: IdParam, ...body(BulkSchema) }, responses: { 200: json(Any, "What was done, and what failed and why"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const input = c.req.valid("json");
    const values = validValues(target, input.values);
    const done: string[] = [];
    const linked: string[] = [];
    const failed: { item: string; reason: string }[] = [];
    for (const ref of input.items) {
      const current = await store.projects.item(ref);
      if (!current || current.projectId !== target.id) {
        failed.push({ item: ref, reason: `not an item of ${target.key}` });
        continue;
      }
      if (await store.projects.updateItem(current.id, { ...current.values, ...values }, current.version)) {
        done.push(current.key);
        if (current.link) linked.push(current.id);
      } else failed.push({ item: current.key, reason: "changed meanwhile; edit it again" });
    }
    // Linked items then go to Jira in one push of exactly those items: each issue is written once (issues getting the
    // same values in one bulk edit, where the flavour has it).
    let run = null;
    if (linked.length && target.direction !== "pull") {
      const { deps, identity } = await contextFor(target, c.get("user"));
      run = await runSync(deps, { project: target, kind: "push", dryRun: false, userId: c.get("user").id, identity, itemRefs: linked });
      for (const entry of await store.runs.items(run.id)) if (entry.outcome === "failed" || entry.outcome === "warning") failed.push({ item: entry.itemKey, reason: entry.messages.join(" ") });
    }
    return c.json({ updated: done, failed, run }, 200);
  });

  app.openapi(createRoute({ method: "put", path: "/items/{id}/link", middleware: [role("member")] as const, tags: ["items"], security, request: { params: IdParam, ...body(z.strictObject({ jiraKey: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*-\d+$/, "A Jira issue key looks like ABC-123.") })) }, responses: { 200: json(Any, "Linked"), ...errors } }), async (c) => {
    const current = await item(c.req.valid("param").id);
    const target = (await store.projects.byId(current.projectId))!;
    const { jira, identity } = await contextFor(target, c.get("user"));
    const key = c.req.valid("json").jiraKey.toUpperCase();
    let issue;
    try {
      issue = await jira.getIssue(key, { fields: ["project", "summary"] });
    } catch (error) {
      if (error instanceof JiraNotFoundError) throw new ApiError(400, "issue_not_found", `${key} does not exist or ${identity} may not see it.`);
      throw error;
    }
    const projectKey = (issue.fields?.project as { key?: string } | undefined)?.key ?? key.split("-")[0]!;
    if (!target.jiraProjects.includes(projectKey)) throw new ApiError(400, "outside_projects", `${issue.key} is in Jira project ${projectKey}, outside this project's Jira projects (${target.jiraProjects.join(", ")}).`);
    await store.projects.link(current.id, issue.id, issue.key);
    return c.json((await store.projects.item(current.id))!, 200);
  });

  app.openapi(createRoute({ method: "delete", path: "/items/{id}/link", middleware: [role("member")] as const, tags: ["items"], security, request: { params: IdParam }, responses: { 204: { description: "Unlinked; the Jira issue is untouched" }, ...errors } }), async (c) => {
    const current = await item(c.req.valid("param").id);
    if (!(await store.projects.unlink(current.id))) throw new ApiError(404, "not_linked", `${current.key} is not linked.`);
    return c.body(null, 204);
  });

  app.openapi(createRoute({ method: "get", path: "/projects/{id}/search-issues", tags: ["items"], security, request: { params: IdParam, query: z.object({ text: z.string().min(1) }) }, responses: { 200: json(z.array(Any), "Matching issues"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const { jira } = await contextFor(target, c.get("user"));
    const text = c.req.valid("query").text.replaceAll('"', '\\"');
    const scope = `project in (${target.jiraProjects.map((key) => `"${key}"`).join(", ")})`;
    const byKey = /^[A-Za-z][A-Za-z0-9_]*-\d+$/.test(text) ? ` OR key = "${text}"` : "";
    const found: unknown[] = [];
    try {
      for await (const issue of jira.search(`${scope} AND (summary ~ "${text}"${byKey}) ORDER BY updated DESC`, { fields: ["summary", "status", "issuetype"], pageSize: 20 })) {
        found.push({ id: issue.id, key: issue.key, summary: issue.fields?.summary, status: (issue.fields?.status as { name?: string })?.name });
        if (found.length >= 20) break;
      }
    } catch (error) {
      if (error instanceof JiraError && byKey) return c.json(found, 200);
      throw error;
    }
    return c.json(found, 200);
  });

  // ---- across the boundary: import and create ----

  const ImportScopeSchema = z.strictObject({ jql: z.string().optional(), filter: z.string().min(1).optional(), includeDone: z.boolean().default(false), issues: z.array(z.string()).optional() });
  /** A saved filter (id or name) becomes JQL, with the JQL given beside it; one the identity cannot use is named. */
  const withFilter = async <T extends { jql?: string; filter?: string }>(jira: SyncContext["jira"], input: T): Promise<Omit<T, "filter">> => {
    const { filter, ...rest } = input;
    if (!filter) return rest;
    const filters = await jira.filters();
    const found = filters.find((candidate) => candidate.id === filter || candidate.name.toLowerCase() === filter.toLowerCase());
    if (!found) throw new ApiError(400, "unknown_filter", `No saved filter '${filter}' that this Jira identity can use${filters.length ? ` (it can use: ${filters.map((candidate) => `${candidate.name} (${candidate.id})`).join(", ")})` : ""}; GET /connectors/{id}/filters lists them.`);
    const jql = withoutOrderBy(found.jql);
    return { ...rest, jql: rest.jql?.trim() ? `(${jql}) AND (${rest.jql})` : jql };
  };
  app.openapi(createRoute({ method: "post", path: "/projects/{id}/import/preview", tags: ["import"], security, request: { params: IdParam, ...body(ImportScopeSchema.extend({ pageSize: z.number().int().min(1).max(100).default(25), pageToken: z.string().optional() })) }, responses: { 200: json(Any, "One page of matching issues"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const { jira } = await contextFor(target, c.get("user"));
    const input = await withFilter(jira, c.req.valid("json"));
    return c.json(await jqlChecked(() => previewImport(jira, store.projects, target, input, { size: input.pageSize, token: input.pageToken })), 200);
  });

  app.openapi(createRoute({ method: "post", path: "/projects/{id}/import", middleware: [role("member")] as const, tags: ["import"], security, request: { params: IdParam, ...body(ImportScopeSchema.extend({ dryRun: z.boolean().default(false), background: z.boolean().default(false) })) }, responses: { 200: json(Any, "Imported, or (dryRun) what would be created, updated and skipped"), 202: accepted, ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const { dryRun, background, ...asked } = c.req.valid("json");
    const context = await contextFor(target, c.get("user"));
    const scope = await withFilter(context.jira, asked);
    if (dryRun) return c.json(await jqlChecked(() => planImport(context.jira, store.projects, target, scope)), 200);
    if (background) return acceptedJob(c, await jobs.enqueue<ImportPayload>("import", { projectId: target.id, userId: c.get("user").id, scope }, projectJobOptions(target)));
    // Each page is stored and its mapped fields pulled at once (minimal retention keeps no fields).
    const imported = await jqlChecked(() => importAndPull(context, target, scope, { userId: c.get("user").id, cache: store.issueCache }));
    return c.json({ created: imported.created, existing: imported.existing, missing: imported.missing, run: imported.run }, 200);
  });

  app.openapi(createRoute({ method: "get", path: "/projects/{id}/create-form", tags: ["import"], security, request: { params: IdParam, query: z.object({ jiraProject: z.string(), issueType: z.string().optional() }) }, responses: { 200: json(Any, "Issue types, or the fields of one (required marked)"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const query = c.req.valid("query");
    if (!target.jiraProjects.includes(query.jiraProject.toUpperCase())) throw new ApiError(400, "outside_projects", `${query.jiraProject} is not one of this project's Jira projects (${target.jiraProjects.join(", ")}).`);
    const { metadata } = await contextFor(target, c.get("user"));
    const types = await metadata.createMetaIssueTypes(query.jiraProject);
    if (!query.issueType) return c.json({ issueTypes: types.map((type) => ({ id: type.id, name: type.name, subtask: type.subtask })) }, 200);
    const type = types.find((candidate) => candidate.id === query.issueType || candidate.name.toLowerCase() === query.issueType!.toLowerCase());
    if (!type) throw new ApiError(400, "unknown_issue_type", `No issue type '${query.issueType}' in ${query.jiraProject}; it has ${types.map((candidate) => candidate.name).join(", ")}.`);
    const fields = await metadata.createMetaFields(query.jiraProject, type.id);
    return c.json({
      issueType: { id: type.id, name: type.name },
      fields: describeCreateForm(fields),
    }, 200);
  });

  app.openapi(createRoute({ method: "post", path: "/items/{id}/create-in-jira", middleware: [role("member")] as const, tags: ["import"], security, request: { params: IdParam, ...body(z.strictObject({ jiraProject: z.string(), issueType: z.string(), fields: z.record(z.string(), z.unknown()).optional() })) }, responses: { 200: json(Any, "Created (or found from an earlier attempt) and linked"), 409: json(ErrorSchema, "Already linked"), ...errors } }), async (c) => {
    const current = await item(c.req.valid("param").id);
    if (current.link) throw new ApiError(409, "already_linked", `${current.key} is already linked to ${current.link.jiraKey}.`);
    const target = (await store.projects.byId(current.projectId))!;
    const input = c.req.valid("json");
    if (!target.jiraProjects.includes(input.jiraProject.toUpperCase())) throw new ApiError(400, "outside_projects", `${input.jiraProject} is not one of this project's Jira projects (${target.jiraProjects.join(", ")}).`);
    const { jira, metadata, identity } = await contextFor(target, c.get("user"));
    const types = await metadata.createMetaIssueTypes(input.jiraProject);
    const type = types.find((candidate) => candidate.id === input.issueType || candidate.name.toLowerCase() === input.issueType.toLowerCase());
    if (!type) throw new ApiError(400, "unknown_issue_type", `No issue type '${input.issueType}' in ${input.jiraProject}; it has ${types.map((candidate) => candidate.name).join(", ")}.`);
    try {
      const result = await createInJira(jira, store.projects, current, { jiraProject: input.jiraProject.toUpperCase(), issueTypeId: type.id, fields: input.fields });
      const run = await recordCreation(store.runs, current, result, { userId: c.get("user").id, identity });
      return c.json({ ...result, item: (await store.projects.item(current.id))!, run }, 200);
    } catch (error) {
      if (error instanceof JiraValidationError) throw new ApiError(400, "jira_refused", `Jira refused the new issue: ${error.message}`, error.fieldErrors);
      if (error instanceof ReadOnlyViolationError) throw new ApiError(409, "read_only", `Project ${target.key} is pull-only: it never writes to Jira. Change its direction to create issues.`);
      throw error;
    }
  });

  // ---- runs ----

  for (const kind of ["pull", "push", "sync"] as const) {
    app.openapi(createRoute({ method: "post", path: `/projects/{id}/${kind}`, middleware: [role("member")] as const, tags: ["sync"], security, request: { params: IdParam, ...body(RunBody) }, responses: { 200: json(Any, "The run and its items"), 202: accepted, ...errors } }), async (c) => {
      const target = await project(c.req.valid("param").id);
      const input = c.req.valid("json");
      const { deps, identity } = await contextFor(target, c.get("user"));
      if (input.background) return acceptedJob(c, await jobs.enqueue<RunPayload>(kind, { projectId: target.id, userId: c.get("user").id, dryRun: input.dryRun, items: input.items }, projectJobOptions(target)));
      const run = await runSync(
        deps,
        { project: target, kind, dryRun: input.dryRun, userId: c.get("user").id, identity, itemRefs: input.items },
      );
      return c.json({ run, items: await store.runs.items(run.id) }, 200);
    });
  }

  app.openapi(createRoute({ method: "post", path: "/projects/{id}/catch-up", middleware: [role("member")] as const, tags: ["sync"], security, request: { params: IdParam, query: z.object({ background: z.enum(["true", "false"], { error: "background must be true or false." }).optional() }) }, responses: { 200: json(Any, "What the catch-up found and applied"), 202: accepted, ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    if (!target.connectorId) throw new ApiError(400, "not_connected", `Project ${target.key} is not connected to Jira yet.`);
    if (c.req.valid("query").background === "true") return acceptedJob(c, await jobs.enqueue<CatchUpPayload>("catch-up", { projectId: target.id, userId: c.get("user").id }, projectJobOptions(target)));
    const result = await runCatchUp(store, target, publicUrl(), { person: c.get("user") });
    return c.json({ ...result, items: result.run ? await store.runs.items(result.run.id) : [] }, 200);
  });

  app.openapi(createRoute({ method: "post", path: "/projects/{id}/reconcile", middleware: [role("member")] as const, tags: ["sync"], security, request: { params: IdParam }, responses: { 200: json(Any, "Links checked; deleted issues severed"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    if (!target.connectorId) throw new ApiError(400, "not_connected", `Project ${target.key} is not connected to Jira yet.`);
    const run = (await reconcileProject(store, target, c.get("user").id))!;
    return c.json({ run, items: await store.runs.items(run.id) }, 200);
  });

  app.openapi(createRoute({ method: "put", path: "/projects/{id}/catch-up-schedule", middleware: [role("member")] as const, tags: ["sync"], security, request: { params: IdParam, ...body(z.strictObject({ cron: z.string().min(1), timeZone: z.string().default("UTC") })) }, responses: { 200: json(Any, "Saved"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const input = c.req.valid("json");
    const problem = validateSchedule(input.cron, input.timeZone);
    if (problem) throw new ApiError(400, "invalid_schedule", problem);
    await store.projects.setCatchUpSchedule(target.id, input.cron, input.timeZone);
    await onScheduleChange();
    return c.json((await store.projects.byId(target.id))!, 200);
  });

  // Live feed of sync events (server-sent events): each finished run, naming the Jira identity it ran as.
  app.get("/events", (c) =>
    streamSSE(c, async (stream) => {
      const listener = c.get("user");
      const projectKeys = new Map((await store.projects.list()).map((entry) => [entry.id, entry.key]));
      let open = true;
      const queue: Run[] = [];
      let wake: (() => void) | null = null;
      const stop = store.runs.onFinished((run) => {
        queue.push(run);
        wake?.();
      });
      stream.onAbort(() => {
        open = false;
        wake?.();
      });
      await stream.writeSSE({ event: "ready", data: JSON.stringify({ at: new Date().toISOString() }) });
      try {
        while (open) {
          const run = queue.shift();
          if (!run) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, 15_000); // a comment line keeps proxies from closing an idle stream
            });
            wake = null;
            if (open && queue.length === 0) await stream.write(": keep-alive\n\n");
            continue;
          }
          const project = projectKeys.get(run.projectId) ?? (await store.projects.byId(run.projectId))?.key ?? run.projectId;
          // What started the run and the account it acted as, read once here so no client parses the identity; and
          // whether the listening person started it (their own action is not news to them).
          const { trigger, account } = splitIdentity(run.identity);
          await stream.writeSSE({ event: "run", id: run.id, data: JSON.stringify({ project, kind: run.kind, dryRun: run.dryRun, status: run.status, identity: run.identity, trigger, account, mine: run.userId === listener.id, counts: run.counts, error: run.error, finishedAt: run.finishedAt }) });
        }
      } finally {
        stop();
      }
    }),
  );

  app.openapi(createRoute({ method: "get", path: "/projects/{id}/runs", tags: ["sync"], security, request: { params: IdParam, query: z.object({ kind: z.enum(["pull", "push", "sync"]).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }) }, responses: { 200: json(z.array(Any), "Runs, newest first"), ...errors } }), async (c) => {
    const target = await project(c.req.valid("param").id);
    const query = c.req.valid("query");
    return c.json(await store.runs.list(target.id, { kind: query.kind, limit: query.limit }), 200);
  });

  app.openapi(createRoute({ method: "get", path: "/runs/{id}", tags: ["sync"], security, request: { params: IdParam, query: z.object({ outcome: z.enum(["changed", "unchanged", "warning", "failed", "conflict"]).optional() }) }, responses: { 200: json(Any, "A run with its items"), ...errors } }), async (c) => {
    const run = await store.runs.byId(c.req.valid("param").id);
    if (!run) throw notFound("Run");
    return c.json({ run, items: await store.runs.items(run.id, c.req.valid("query").outcome) }, 200);
  });

  app.openapi(createRoute({ method: "get", path: "/items/{id}/history", tags: ["sync"], security, request: { params: IdParam }, responses: { 200: json(z.array(Any), "Every run that touched the item"), ...errors } }), async (c) => c.json(await store.runs.forItem((await item(c.req.valid("param").id)).id), 200));

  app.openapi(createRoute({ method: "get", path: "/projects/{id}/conflicts", tags: ["sync"], security, request: { params: IdParam }, responses: { 200: json(z.array(Any), "Open conflicts"), ...errors } }), async (c) => c.json(await store.runs.openConflicts((await project(c.req.valid("param").id)).id), 200));

  app.openapi(createRoute({ method: "post", path: "/conflicts/{id}/resolve", middleware: [role("member")] as const, tags: ["sync"], security, request: { params: IdParam, ...body(z.strictObject({ keep: z.enum(["tandem", "jira"]) })) }, responses: { 200: json(Any, "Resolved"), ...errors } }), async (c) => {
    const resolved = await store.runs.resolveConflict(c.req.valid("param").id);
    if (!resolved) throw notFound("Open conflict");
    const current = (await store.projects.item(resolved.itemId))!;
    const mapping = (await store.projects.mappings(current.projectId)).find((candidate) => candidate.id === resolved.mappingId);
    if (!mapping) throw new ApiError(400, "mapping_gone", "The mapping of this conflict no longer exists.");
    if (c.req.valid("json").keep === "jira") {
      await store.projects.updateItem(current.id, { ...current.values, [mapping.tandemField]: resolved.jira }, current.version);
      await store.projects.saveSnapshot(current.id, mapping.id, resolved.jira);
    } else {
      // Keeping Tandem's value: the snapshot takes Jira's, so the next sync sees only Tandem changed and pushes it.
      await store.projects.saveSnapshot(current.id, mapping.id, resolved.jira);
    }
    return c.json({ resolved: true, kept: c.req.valid("json").keep, item: current.key, field: mapping.tandemField }, 200);
  });

  return app;
}

/** Jira refusing the JQL is bad input (400 with Jira's reason), not a server error. */
async function jqlChecked<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof JiraInvalidJqlError) throw new ApiError(400, "invalid_jql", `Jira refused the JQL: ${error.message} Fix the query and try again.`);
    throw error;
  }
}

/** Item values must name the project's fields and have their types; the message names the field and the type. */
function validValues(project: Project, values: Record<string, unknown>): Record<string, unknown> {
  const fields = new Map([...CORE_FIELDS, ...project.fields].map((field) => [field.key, field]));
  const problems: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const field = fields.get(key);
    if (!field) {
      problems.push(`'${key}' is not a field of ${project.key} (fields: ${[...fields.keys()].join(", ")})`);
      continue;
    }
    if (value === null) continue;
    const ok =
      field.type === "number" || field.type === "duration" ? typeof value === "number" && Number.isFinite(value)
      : field.type === "date" ? typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)
      : field.type === "boolean" ? typeof value === "boolean"
      : field.type === "multiselect" ? Array.isArray(value)
      : typeof value === "string";
    if (!ok) problems.push(`'${key}' is a ${field.type} field; ${JSON.stringify(value)} is not one`);
  }
  if (problems.length) throw new ApiError(400, "invalid_values", `${problems.join("; ")}.`, problems);
  return values;
}
