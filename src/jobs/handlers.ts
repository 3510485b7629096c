// The job kinds Tandem runs in the background and their handlers: catch-up (scheduled or "sync now"), Pull / Push /
// sync runs and imports started with `background: true`. Each payload names the project and, for work a person
// started, the person (so the project's identity setting applies as it would in the foreground).
import { MissingIdentityError } from "../connectors/jira-for.ts";
import { NotConnectedError, syncContextFor, type SyncActor } from "../connectors/sync-context.ts";
import { runSync } from "../engine/sync-run.ts";
import type { ImportScope } from "../crossing/import.ts";
import { importAndPull } from "../crossing/import-and-pull.ts";
import { createItemsInJira, recordSent } from "../crossing/jira-sync.ts";
import { reconcileProject, runCatchUp } from "../realtime/catch-up-service.ts";
import type { Project } from "../store/projects.ts";
import type { Run } from "../store/runs.ts";
import type { TandemStore } from "../store/store.ts";
import { PermanentJobError, type EnqueueOptions, type JobHandlers } from "./queue.ts";

export const JOB_KINDS = ["catch-up", "pull", "push", "sync", "import", "create"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export interface CatchUpPayload {
  projectId: string;
  /** Set for "sync now" by a person; absent for the schedule (Tandem's service account). */
  userId?: string;
}

export interface RunPayload {
  projectId: string;
  userId: string;
  dryRun: boolean;
  items?: string[];
}

export interface ImportPayload {
  projectId: string;
  userId: string;
  scope: ImportScope;
}

export interface CreatePayload {
  projectId: string;
  userId: string;
  /** Item ids, created in one Jira project with one issue type and the create form's fields. */
  items: string[];
  jiraProject: string;
  issueType: string;
  fields?: Record<string, unknown>;
}

/** How a project's job is enqueued: under its connector's limit, visible in the project's job view. */
export function projectJobOptions(project: Project, extra: EnqueueOptions = {}): EnqueueOptions {
  return { connectorId: project.connectorId, projectId: project.id, ...extra };
}

/** A catch-up of the schedule: at most one waiting per project, however often the schedule fires. */
export const scheduledCatchUp = (project: Project) => projectJobOptions(project, { singletonKey: `catch-up/${project.id}` });

/** Summarises a run for the job view (the run itself is in the history). */
const runSummary = (run: Run | null) => (run ? { runId: run.id, status: run.status, counts: run.counts, error: run.error } : null);

/** A run that failed as a whole (Jira down, authorization expired) fails the attempt, so the queue retries it. */
function requireRunOk(run: Run | null): void {
  if (run?.status === "failed") throw new Error(run.error ?? "The run failed.");
}

export function jobHandlers(store: TandemStore, publicUrl: () => string): JobHandlers {
  const projectOf = async (projectId: string) => {
    const project = await store.projects.byId(projectId);
    if (!project) throw new PermanentJobError(`Project '${projectId}' no longer exists.`);
    if (!project.connectorId) throw new PermanentJobError(`Project ${project.key} is not connected to Jira any more.`);
    return project;
  };
  const actorOf = async (userId: string | undefined): Promise<SyncActor> => {
    if (!userId) return { system: "catch-up" };
    const person = await store.users.byId(userId);
    if (!person) throw new PermanentJobError(`The person who started this job (${userId}) no longer exists.`);
    return { person };
  };
  const contextFor = async (project: Project, actor: SyncActor) => {
    try {
      return await syncContextFor(store, project, actor, publicUrl());
    } catch (error) {
      if (error instanceof NotConnectedError || error instanceof MissingIdentityError) throw new PermanentJobError(error.message);
      throw error;
    }
  };

  const handlers: JobHandlers = {
    "catch-up": async (payload: CatchUpPayload) => {
      const project = await projectOf(payload.projectId);
      const result = await runCatchUp(store, project, publicUrl(), await actorOf(payload.userId));
      requireRunOk(result.run);
      // The schedule's catch-up also finds deletions no event reported (a search never shows them), quietly: a
      // reconciliation that finds every issue records nothing. "Sync now" stays one search.
      const reconciled = !payload.userId ? await reconcileProject(store, project, "catch-up", { quiet: true }) : null;
      return { searchedIssues: result.searchedIssues, newer: result.newer, run: runSummary(result.run), reconciliation: runSummary(reconciled) };
    },
    import: async (payload: ImportPayload) => {
      const project = await projectOf(payload.projectId);
      // As in the foreground: each page stored and its mapped fields pulled at once.
      const imported = await importAndPull(await contextFor(project, await actorOf(payload.userId)), project, payload.scope, { userId: payload.userId, cache: store.issueCache });
      const run = imported.run;
      requireRunOk(run);
      return { created: imported.created, existing: imported.existing, run: runSummary(run) };
    },
  };
  handlers.create = async (payload: CreatePayload) => {
    const project = await projectOf(payload.projectId);
    if (project.direction === "pull") throw new PermanentJobError(`Project ${project.key} is pull-only: it never writes to Jira.`);
    const { jira, metadata, identity } = await contextFor(project, await actorOf(payload.userId));
    const items = await store.projects.itemsByRefs(project.id, payload.items);
    // Idempotent: an item linked by an earlier attempt is skipped, one whose issue exists is found by its mark.
    const sent = await createItemsInJira({ jira, metadata, projects: store.projects }, items, { jiraProject: payload.jiraProject, issueType: payload.issueType, fields: payload.fields });
    const run = await recordSent(store, project, sent, { userId: payload.userId, identity });
    return { created: sent.created, skipped: sent.skipped, failed: sent.failed, run: runSummary(run) };
  };
  for (const kind of ["pull", "push", "sync"] as const) {
    handlers[kind] = async (payload: RunPayload) => {
      const project = await projectOf(payload.projectId);
      const { deps, identity } = await contextFor(project, await actorOf(payload.userId));
      const run = await runSync(deps, { project, kind, dryRun: payload.dryRun, userId: payload.userId, identity, itemRefs: payload.items });
      requireRunOk(run);
      return runSummary(run);
    };
  }
  return handlers;
}
