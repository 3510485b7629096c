// Mappings as written (Jira fields by id or by the name the site gives them) resolved against the site's fields
// and checked: every mapping whose types cannot meet is refused, with a message naming both types.
import type { JiraField } from "../jira/types.ts";
import { checkMapping } from "./compatibility.ts";
import type { Project, ProjectRepository } from "../store/projects.ts";
import { CORE_FIELDS, type Mapping, type TandemField } from "./model.ts";
import { PRESETS, type PresetName } from "./presets.ts";

export async function resolveMappings(
  wanted: Omit<Mapping, "id">[],
  projectFields: TandemField[],
  jiraField: (idOrName: string) => Promise<JiraField | undefined>,
): Promise<{ resolved: Omit<Mapping, "id">[]; problems: string[] }> {
  const fields = [...CORE_FIELDS, ...projectFields];
  const resolved: Omit<Mapping, "id">[] = [];
  const problems: string[] = [];
  for (const mapping of wanted) {
    const field = await jiraField(mapping.jiraField);
    const candidate: Mapping = { ...mapping, id: "", jiraField: field?.id ?? mapping.jiraField };
    const problem = checkMapping(candidate, fields.find((entry) => entry.key === mapping.tandemField), field);
    if (problem) problems.push(problem);
    else resolved.push({ tandemField: mapping.tandemField, jiraField: candidate.jiraField, direction: mapping.direction, transform: mapping.transform });
  }
  return { resolved, problems };
}

/**
 * Saves a project's mappings — given, or a preset's, which also brings the Tandem fields it maps that the project
 * lacks — when every one of them fits; otherwise saves nothing and answers the problems.
 */
export async function applyMappings(
  projects: ProjectRepository,
  project: Project,
  wanted: { preset: PresetName } | { mappings: Omit<Mapping, "id">[] },
  jiraField: (idOrName: string) => Promise<JiraField | undefined>,
): Promise<{ ok: true; mappings: Mapping[] } | { ok: false; problems: string[] }> {
  const preset = "preset" in wanted ? PRESETS[wanted.preset]! : null;
  // A preset that only pulls would map nothing a push-only project ever syncs.
  if (preset && project.direction === "push" && preset.mappings.every((mapping) => mapping.direction === "pull")) {
    return { ok: false, problems: [`The ${preset.name} preset only pulls, and project ${project.key} only pushes: its fields were left unmapped.`] };
  }
  const added = preset ? preset.fields.filter((field) => !project.fields.some((own) => own.key === field.key)) : [];
  const { resolved, problems } = await resolveMappings(preset ? preset.mappings : (wanted as { mappings: Omit<Mapping, "id">[] }).mappings, [...project.fields, ...added], jiraField);
  if (problems.length) return { ok: false, problems };
  if (added.length) await projects.setFields(project.id, [...project.fields, ...added]);
  return { ok: true, mappings: await projects.replaceMappings(project.id, resolved) };
}
