// The Jira context of a project for the person calling an API route, with "not connected" and "no identity"
// turned into 400s that say what to do.
import { MissingIdentityError } from "../connectors/jira-for.ts";
import { NotConnectedError, syncContextFor, type SyncContext } from "../connectors/sync-context.ts";
import type { Project } from "../store/projects.ts";
import type { TandemStore } from "../store/store.ts";
import type { User } from "../store/users.ts";
import { ApiError } from "./errors.ts";

export async function projectContext(store: TandemStore, project: Project, user: User, publicUrl: string): Promise<SyncContext> {
  try {
    return await syncContextFor(store, project, { person: user }, publicUrl);
  } catch (error) {
    if (error instanceof NotConnectedError) throw new ApiError(400, "not_connected", error.message);
    if (error instanceof MissingIdentityError) throw new ApiError(400, "not_authorized", error.message);
    throw error;
  }
}
