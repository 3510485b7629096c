// Where Tandem projects come from when importing: one per Jira project, one per Epic (its children become the
// project's items), or one per value of a custom field (a "product area" names the project). Re-running reuses the
// projects and never duplicates items.
import type { JiraClient } from "../jira/client.ts";
import type { JiraMetadata } from "../jira/metadata.ts";
import type { ProjectRepository, Project } from "../store/projects.ts";
import { importIssues, type ImportScope } from "./import.ts";

export type ProjectSource = { mode: "jira-project" } | { mode: "epic" } | { mode: "field"; field: string };

export interface SourcedProject {
  key: string;
  name: string;
  created: boolean;
  itemsCreated: number;
  itemsExisting: number;
  /** The run that pulled the mapped fields, when the import pulled; why the new project was not mapped, if so. */
  runId?: string | null;
  mappingProblem?: string | null;
}

/**
 * How a made project takes in its issues: by default an import of linked items; the API's also maps new projects
 * with a preset and pulls their fields in the same pass.
 */
export type ImportInto = (project: Project, created: boolean, scope: ImportScope) => Promise<{ created: string[]; existing: string[]; runId?: string | null; mappingProblem?: string | null }>;

/** A Tandem project key (2–10 letters and digits, starting with a letter) from any text. */
export function projectKeyFrom(text: string, fallback: string): string {
  const letters = text.toUpperCase().replace(/[^A-Z0-9]/g, "");
  const key = /^[A-Z]/.test(letters) ? letters.slice(0, 10) : `P${letters}`.slice(0, 10);
  return key.length >= 2 ? key : fallback;
}

export async function importProjects(
  deps: { jira: JiraClient; metadata: JiraMetadata; projects: ProjectRepository; importInto?: ImportInto },
  input: { connectorId: string; jiraProjects: string[]; source: ProjectSource; includeDone: boolean; direction: Project["direction"] },
): Promise<SourcedProject[]> {
  const importInto: ImportInto = deps.importInto ?? ((project, _created, scope) => importIssues(deps.jira, deps.projects, project, scope));
  const results: SourcedProject[] = [];
  // A project made from an Epic or a field value keeps that as its JQL scope, so its catch-up, its webhook filter
  // and its reports cover what it was made from, not the whole Jira project; its import asks for the same.
  const record = async (key: string, name: string, jiraProjects: string[], jqlScope = "") => {
    const existing = await deps.projects.byId(key);
    const made = existing ?? (await deps.projects.create({ key, name, fields: [] }));
    if (!existing) await deps.projects.associate(made.id, { connectorId: input.connectorId, jiraProjects, jqlScope, direction: input.direction, conflictPolicy: "jira-wins", syncIdentity: "service" });
    const project = (await deps.projects.byId(made.id))!;
    const imported = await importInto(project, !existing, { ...(jqlScope ? { jql: jqlScope } : {}), includeDone: input.includeDone });
    results.push({ key: project.key, name: project.name, created: !existing, itemsCreated: imported.created.length, itemsExisting: imported.existing.length, runId: imported.runId ?? null, mappingProblem: imported.mappingProblem ?? null });
  };
  const scope = `project in (${input.jiraProjects.map((key) => `"${key}"`).join(", ")})`;

  if (input.source.mode === "jira-project") {
    for (const key of input.jiraProjects) {
      const jiraProject = await deps.jira.project(key);
      await record(projectKeyFrom(jiraProject.key, "JP"), jiraProject.name, [jiraProject.key]);
    }
  } else if (input.source.mode === "epic") {
    for await (const epic of deps.jira.search(`${scope} AND issuetype = Epic ORDER BY key ASC`, { fields: ["summary", "project"] })) {
      const projectKey = (epic.fields?.project as { key?: string } | undefined)?.key ?? input.jiraProjects[0]!;
      await record(projectKeyFrom(`${projectKey}${epic.key.split("-")[1]}`, "EP"), String(epic.fields?.summary ?? epic.key), [projectKey], `parent = ${epic.key}`);
    }
  } else {
    const field = await deps.metadata.field(input.source.field);
    if (!field) throw new Error(`No Jira field '${input.source.field}' on this site.`);
    // One pass finds the values (open issues only unless asked); each value's project then imports by its scope.
    const values = new Set<string>();
    for await (const issue of deps.jira.search(`${scope}${input.includeDone ? "" : " AND statusCategory != Done"} ORDER BY key ASC`, { fields: [field.id] })) {
      const raw = issue.fields?.[field.id] as { value?: string } | string | null | undefined;
      const value = typeof raw === "string" ? raw : raw?.value;
      if (value) values.add(value);
    }
    for (const value of values) await record(projectKeyFrom(value, "FV"), value, input.jiraProjects, `${fieldClause(field)} = "${value.replace(/["\\]/g, "\\$&")}"`);
  }
  return results;
}

/** How JQL names a field: cf[NNNNN] for a custom field (its name may be ambiguous), the id for a system one. */
function fieldClause(field: { id: string }): string {
  const custom = /^customfield_(\d+)$/.exec(field.id);
  return custom ? `cf[${custom[1]}]` : field.id;
}
