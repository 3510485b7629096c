// Runs one project's catch-up with the project's identity: used by the scheduler and by "sync now".
import { jiraForConnector } from "../connectors/jira-for.ts";
import { metadataFor } from "../jira/metadata.ts";
import type { Project } from "../store/projects.ts";
import type { TandemStore } from "../store/store.ts";
import { catchUp, type CatchUpResult } from "./catch-up.ts";

export async function runCatchUp(store: TandemStore, project: Project, publicUrl: string, who: { userId: string; identity?: string } = { userId: "scheduler" }): Promise<CatchUpResult> {
  const connector = (await store.connectors.byId(project.connectorId!))!;
  const jira = await jiraForConnector(store, connector, "service", { readOnly: project.direction === "pull" });
  const hoursPerDay = (await metadataFor(`${project.connectorId}:service`, jira).timeTracking().catch(() => ({ workingHoursPerDay: 8 }))).workingHoursPerDay;
  return catchUp(
    {
      projects: store.projects,
      runs: store.runs,
      jira,
      hoursPerDay,
      itemUrl: (item) => `${publicUrl}/items/${item.key}`,
      today: new Date().toISOString().slice(0, 10),
      personOverrides: await store.connectors.personOverrideMap(connector.id),
      setCursor: (cursor) => store.projects.setCursor(project.id, cursor),
    },
    project,
    { userId: who.userId, identity: who.identity ?? `catch-up, as the service account of '${connector.name}'` },
  );
}
