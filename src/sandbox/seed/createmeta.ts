// Configures a sandbox project from a recorded create-metadata answer: its custom fields (with their kinds and
// options) and which fields each issue type requires, so clients can be tested against a real site's create screens.
import type { SandboxState } from "../model/state.ts";
import type { CustomFieldKind, Project } from "../model/types.ts";
import { addProject, IDS } from "./base.ts";

interface RecordedField {
  required: boolean;
  name: string;
  schema?: { type?: string; custom?: string };
  allowedValues?: { value?: string; name?: string }[];
}

export interface RecordedIssueType {
  name: string;
  fields: Record<string, RecordedField>;
}

/** The plugin types the sandbox models; others (cascading selects, epic links, sprints) are left out and reported. */
const KINDS: Record<string, CustomFieldKind> = {
  textfield: "text",
  "gh-epic-label": "text",
  textarea: "textarea",
  float: "number",
  datepicker: "date",
  datetime: "datetime",
  url: "url",
  select: "select",
  multiselect: "multiselect",
  multicheckboxes: "checkboxes",
  radiobuttons: "radiobuttons",
  userpicker: "userpicker",
  labels: "labels",
};

const SYSTEM_CONFIGURABLE = new Set(["description", "reporter", "assignee", "priority", "labels", "duedate", "environment", "components", "fixVersions"]);

export interface InstalledCreateMeta {
  project: Project;
  /** Recorded field id → the sandbox's field id. */
  fieldIds: Map<string, string>;
  /** Recorded custom fields the sandbox cannot model, by id, with their plugin type. */
  skipped: Map<string, string>;
}

/**
 * Adds a project `key` whose issue types (matched by name) require what the recording requires. `requireAll`
 * names issue types on which every modelled custom field is made required, to exercise every field type.
 */
export function installCreateMeta(state: SandboxState, key: string, issueTypes: RecordedIssueType[], options: { requireAll?: string[] } = {}): InstalledCreateMeta {
  const typeIdByName = new Map([...state.issueTypes.values()].map((type) => [type.name.toLowerCase(), type.id]));
  const types = issueTypes.filter((type) => typeIdByName.has(type.name.toLowerCase()));
  const project = addProject(state, {
    id: String(state.nextId("project", 10500)), key, name: `Recorded ${key}`, description: "Configured from recorded create metadata.", style: "classic",
    leadAccountId: [...state.users.values()].find((user) => user.admin)!.accountId, workflowId: IDS.workflow.software,
    issueTypeIds: types.map((type) => typeIdByName.get(type.name.toLowerCase())!),
  });
  const fieldIds = new Map<string, string>();
  const skipped = new Map<string, string>();
  for (const type of types) {
    const entries: { fieldId: string; required: boolean }[] = [];
    const requireAll = options.requireAll?.some((name) => name.toLowerCase() === type.name.toLowerCase()) ?? false;
    for (const [recordedId, field] of Object.entries(type.fields)) {
      if (!recordedId.startsWith("customfield_")) {
        if (SYSTEM_CONFIGURABLE.has(recordedId) && field.required) entries.push({ fieldId: recordedId, required: true });
        continue;
      }
      const kind = KINDS[field.schema?.custom?.split(":").pop() ?? ""];
      if (!kind) {
        skipped.set(recordedId, field.schema?.custom ?? "unknown");
        continue;
      }
      let sandboxId = fieldIds.get(recordedId);
      if (!sandboxId) {
        const numericId = state.nextId("customfield", 10060);
        sandboxId = `customfield_${numericId}`;
        const values = (field.allowedValues ?? []).map((value) => value.value ?? value.name ?? "").filter(Boolean);
        state.customFields.set(sandboxId, { id: sandboxId, numericId, name: field.name, kind, description: `Recorded as ${recordedId}.`, options: values.map((value, index) => ({ id: String(numericId * 100 + index), value, disabled: false })) });
        fieldIds.set(recordedId, sandboxId);
      }
      entries.push({ fieldId: sandboxId, required: field.required || requireAll });
    }
    project.fieldConfig[typeIdByName.get(type.name.toLowerCase())!] = entries;
  }
  return { project, fieldIds, skipped };
}
