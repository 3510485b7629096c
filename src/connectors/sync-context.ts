// Everything a run against one project's Jira needs, built in one place: the client (as the project's identity,
// read-only for pull-only projects), how the history names that identity, the connector's metadata cache, and the
// site settings and people overrides the transforms use. API routes, webhook processing and catch-up all use it.
import type { SyncDeps } from "../engine/sync-run.ts";
import type { JiraClient } from "../jira/client.ts";
import { metadataFor, type JiraMetadata } from "../jira/metadata.ts";
import type { Project } from "../store/projects.ts";
import type { TandemStore } from "../store/store.ts";
import type { User } from "../store/users.ts";
import { jiraForConnector } from "./jira-for.ts";
import { ownIdentity, serviceAccountIdentity, startedBy } from "./run-identity.ts";

/** Who starts the run: a person (the project's identity setting applies) or Tandem itself (always the service account). */
/** Who a run is for: a person, or Tandem itself (with a note for the history, such as who changed Jira). */
export type SyncActor = { person: User } | { system: "webhook" | "catch-up" | "scheduler"; note?: string };

export interface SyncContext {
  jira: JiraClient;
  identity: string;
  metadata: JiraMetadata;
  deps: SyncDeps;
}

export class NotConnectedError extends Error {
  readonly code = "not_connected";
}

export async function syncContextFor(store: TandemStore, project: Project, actor: SyncActor, publicUrl: string): Promise<SyncContext> {
  if (!project.connectorId) throw new NotConnectedError(`Project ${project.key} is not connected to Jira yet: PUT /projects/${project.key}/jira first.`);
  const connector = (await store.connectors.byId(project.connectorId))!;
  // A pull-only project gets a connection that refuses writes before they leave Tandem.
  const readOnly = project.direction === "pull";
  const asPerson = "person" in actor && project.syncIdentity === "user" ? actor.person : null;
  const jira = await jiraForConnector(store, connector, asPerson ? { userId: asPerson.id } : "service", { readOnly });
  // The history names the Jira account the run acts as (and, for Tandem's own runs, what started it):
  // "webhook, as tandem-sync@acme.com (service account of 'Acme')" — see run-identity.ts.
  const identity = asPerson
    ? ownIdentity(asPerson.email, (await store.connectors.identity(connector.id, asPerson.id))?.account)
    : "system" in actor
      ? startedBy(actor.note ? `${actor.system} (${actor.note})` : actor.system, serviceAccountIdentity(connector))
      : serviceAccountIdentity(connector);
  // Identities may see different fields, so metadata is cached per connector and identity.
  const metadata = metadataFor(`${connector.id}:${asPerson ? asPerson.id : "service"}`, jira);
  const hoursPerDay = (await metadata.timeTracking().catch(() => ({ workingHoursPerDay: 8 }))).workingHoursPerDay;
  return {
    jira,
    identity,
    metadata,
    deps: {
      projects: store.projects,
      runs: store.runs,
      jira,
      hoursPerDay,
      itemUrl: (item) => `${publicUrl}/items/${item.key}`,
      today: new Date().toISOString().slice(0, 10),
      personOverrides: await store.connectors.personOverrideMap(connector.id),
      serviceJira: asPerson ? await jiraForConnector(store, connector, "service", { readOnly: true }) : jira,
      siteFields: () => metadata.fields(),
    },
  };
}
