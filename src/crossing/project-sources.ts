// Where Tandem projects come from when importing: one per Jira project, one per Epic (its children become the
// project's items), or one per value of a custom field (a "product area" names the project). Re-running reuses the
// projects and never duplicates items.
import type { JiraClient } from "../jira/client.ts";
import type { JiraMetadata } from "../jira/metadata.ts";
import type { ProjectRepository, Project } from "../store/projects.ts";
import { importIssues } from "./import.ts";

export type ProjectSource = { mode: "jira-project" } | { mode: "epic" } | { mode: "field"; field: string };

export interface SourcedProject {
  key: string;
  name: string;
  created: boolean;
  itemsCreated: number;
  itemsExisting: number;
}

/** A Tandem project key (2–10 letters and digits, starting with a letter) from any text. */
export function projectKeyFrom(text: string, fallback: string): string {
  const letters = text.toUpperCase().replace(/[^A-Z0-9]/g, "");
  const key = /^[A-Z]/.test(letters) ? letters.slice(0, 10) : `P${letters}`.slice(0, 10);
  return key.length >= 2 ? key : fallback;
}

export async function importProjects(
  deps: { jira: JiraClient; metadata: JiraMetadata; projects: ProjectRepository },
  input: { connectorId: string; jiraProjects: string[]; source: ProjectSource; includeDone: boolean; direction: Project["direction"] },
): Promise<SourcedProject[]> {
  const results: SourcedProject[] = [];
  // A project made from an Epic or a field value keeps that as its JQL scope, so its catch-up, its webhook filter
  // and its reports cover what it was made from, not the whole Jira project.
  const ensure = async (key: string, name: string, jiraProjects: string[], jqlScope: string) => {
    const existing = await deps.projects.byId(key);
    const project = existing ?? (await deps.projects.create({ key, name, fields: [] }));
    if (!existing) await deps.projects.associate(project.id, { connectorId: input.connectorId, jiraProjects, jqlScope, direction: input.direction, conflictPolicy: "jira-wins", syncIdentity: "service" });
    return { project: (await deps.projects.byId(project.id))!, created: !existing };
  };
  const record = async (key: string, name: string, jiraProjects: string[], scope: { jql?: string; issues?: string[] }, jqlScope = "") => {
    const { project, created } = await ensure(key, name, jiraProjects, jqlScope);
    const imported = await importIssues(deps.jira, deps.projects, project, { ...scope, includeDone: input.includeDone });
    results.push({ key: project.key, name: project.name, created, itemsCreated: imported.created.length, itemsExisting: imported.existing.length });
  };
  const scope = `project in (${input.jiraProjects.map((key) => `"${key}"`).join(", ")})`;

  if (input.source.mode === "jira-project") {
    for (const key of input.jiraProjects) {
      const jiraProject = await deps.jira.project(key);
      await record(projectKeyFrom(jiraProject.key, "JP"), jiraProject.name, [jiraProject.key], {});
    }
  } else if (input.source.mode === "epic") {
    for await (const epic of deps.jira.search(`${scope} AND issuetype = Epic ORDER BY key ASC`, { fields: ["summary", "project"] })) {
      const projectKey = (epic.fields?.project as { key?: string } | undefined)?.key ?? input.jiraProjects[0]!;
      const key = projectKeyFrom(`${projectKey}${epic.key.split("-")[1]}`, "EP");
      await record(key, String(epic.fields?.summary ?? epic.key), [projectKey], { jql: `parent = ${epic.key}` }, `parent = ${epic.key}`);
    }
  } else {
    const field = await deps.metadata.field(input.source.field);
    if (!field) throw new Error(`No Jira field '${input.source.field}' on this site.`);
    const groups = new Map<string, string[]>();
    for await (const issue of deps.jira.search(`${scope} ORDER BY key ASC`, { fields: [field.id] })) {
      const raw = issue.fields?.[field.id] as { value?: string } | string | null | undefined;
      const value = typeof raw === "string" ? raw : raw?.value;
      if (!value) continue;
      groups.set(value, [...(groups.get(value) ?? []), issue.key]);
    }
    for (const [value, keys] of groups) {
      for (let index = 0; index < keys.length; index += 100) {
        await record(projectKeyFrom(value, "FV"), value, input.jiraProjects, { issues: keys.slice(index, index + 100) }, `${fieldClause(field)} = "${value.replace(/["\\]/g, "\\$&")}"`);
      }
    }
  }
  // A value imported in several chunks is one project: sum its rows.
  const merged = new Map<string, SourcedProject>();
  for (const row of results) {
    const seen = merged.get(row.key);
    merged.set(row.key, seen ? { ...seen, created: seen.created || row.created, itemsCreated: seen.itemsCreated + row.itemsCreated, itemsExisting: seen.itemsExisting + row.itemsExisting } : row);
  }
  return [...merged.values()];
}

/** How JQL names a field: cf[NNNNN] for a custom field (its name may be ambiguous), the id for a system one. */
function fieldClause(field: { id: string }): string {
  const custom = /^customfield_(\d+)$/.exec(field.id);
  return custom ? `cf[${custom[1]}]` : field.id;
}
