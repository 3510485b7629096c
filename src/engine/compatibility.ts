// Whether a mapping's two ends can meet: refused when saved, with a message naming both types.
import type { JiraField } from "../jira/types.ts";
import { allowedDirections, type Mapping, type TandemField } from "./model.ts";

/** The Jira schema types each transform accepts, and the Tandem types it produces or reads. */
const RULES: Record<Mapping["transform"]["kind"], { jira: string[]; tandem: TandemField["type"][] }> = {
  copy: { jira: ["string", "number", "date", "datetime", "option"], tandem: ["text", "number", "date", "datetime", "url", "select"] },
  status: { jira: ["status"], tandem: ["status", "select", "text"] },
  valueMap: { jira: ["option", "priority", "string"], tandem: ["select", "text"] },
  duration: { jira: ["timetracking"], tandem: ["duration", "number"] },
  ratio: { jira: ["timetracking"], tandem: ["duration", "number"] },
  richText: { jira: ["string"], tandem: ["markdown", "text"] },
  person: { jira: ["user"], tandem: ["person"] },
  date: { jira: ["date", "datetime"], tandem: ["date", "datetime"] },
  itemUrl: { jira: ["string"], tandem: ["url", "text"] },
  now: { jira: ["date", "datetime"], tandem: ["date", "datetime"] },
  number: { jira: ["number", "string"], tandem: ["number", "duration"] },
  options: { jira: ["option", "array"], tandem: ["select", "multiselect"] },
  datetime: { jira: ["datetime"], tandem: ["datetime"] },
  labels: { jira: ["array"], tandem: ["multiselect"] },
};

export function checkMapping(mapping: Mapping, tandem: TandemField | undefined, jira: JiraField | undefined): string | null {
  if (!tandem) return `Tandem field '${mapping.tandemField}' does not exist in this project.`;
  if (!jira) return `Jira field '${mapping.jiraField}' does not exist on this site (or the identity cannot see it).`;
  if (!allowedDirections(mapping.transform).includes(mapping.direction)) {
    return `The ${mapping.transform.kind} transform only works as ${allowedDirections(mapping.transform).join(" or ")}, not ${mapping.direction}.`;
  }
  const rule = RULES[mapping.transform.kind];
  const jiraType = jira.schema?.type ?? "unknown";
  if (!rule.jira.includes(jiraType)) {
    return `Tandem field '${tandem.name}' (${tandem.type}) cannot map to Jira field '${jira.name}' (${jira.id}, ${jiraType}) with the ${mapping.transform.kind} transform: it needs a Jira field of type ${rule.jira.join(" or ")}.`;
  }
  if (!rule.tandem.includes(tandem.type)) {
    return `Tandem field '${tandem.name}' is ${tandem.type}, but Jira field '${jira.name}' (${jira.id}, ${jiraType}) through ${mapping.transform.kind} needs a Tandem field of type ${rule.tandem.join(" or ")}.`;
  }
  if (mapping.transform.kind === "copy" && !copyMeets(tandem.type, jiraType)) {
    return `Tandem field '${tandem.name}' is ${tandem.type} and Jira field '${jira.name}' (${jira.id}) is ${jiraType}: those types cannot meet in a copy.`;
  }
  return null;
}

function copyMeets(tandem: TandemField["type"], jira: string): boolean {
  const pairs: Record<string, string[]> = { text: ["string"], url: ["string"], number: ["number"], date: ["date"], datetime: ["datetime"], select: ["option"] };
  return (pairs[tandem] ?? []).includes(jira);
}
