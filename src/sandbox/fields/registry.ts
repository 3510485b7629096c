// All fields of a sandbox site, system and custom, looked up by id, key or clause name.
import type { SandboxState } from "../model/state.ts";
import { customFieldDef } from "./custom.ts";
import { systemFieldDefs } from "./system.ts";
import type { FieldDef } from "./types.ts";

const SYSTEM = systemFieldDefs();
const cache = new WeakMap<SandboxState, { size: number; fields: FieldDef[]; byId: Map<string, FieldDef> }>();

export function allFields(state: SandboxState): FieldDef[] {
  return registry(state).fields;
}

export function fieldById(state: SandboxState, id: string): FieldDef | undefined {
  return registry(state).byId.get(id);
}

/** Finds a field as clients name it in `fields=` lists or JQL: id, key, or (for custom fields) name. */
export function findField(state: SandboxState, nameOrId: string): FieldDef | undefined {
  const byId = fieldById(state, nameOrId);
  if (byId) return byId;
  const wanted = nameOrId.toLowerCase();
  return registry(state).fields.find(
    (field) => field.name.toLowerCase() === wanted || field.clauseNames.some((clause) => clause.toLowerCase() === wanted),
  );
}

function registry(state: SandboxState) {
  const cached = cache.get(state);
  if (cached && cached.size === state.customFields.size) return cached;
  const fields = [...SYSTEM, ...[...state.customFields.values()].map(customFieldDef)];
  const entry = { size: state.customFields.size, fields, byId: new Map(fields.map((field) => [field.id, field])) };
  cache.set(state, entry);
  return entry;
}
