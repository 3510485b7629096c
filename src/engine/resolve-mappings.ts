// Mappings as written (Jira fields by id or by the name the site gives them) resolved against the site's fields
// and checked: every mapping whose types cannot meet is refused, with a message naming both types.
import type { JiraField } from "../jira/types.ts";
import { checkMapping } from "./compatibility.ts";
import { CORE_FIELDS, type Mapping, type TandemField } from "./model.ts";

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
