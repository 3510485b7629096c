// What each JQL field means for an issue: the values it holds and how a query's value resolves against the
// site's data (names, ids, keys, users), with Jira's messages for unknown fields and values.
import type { SandboxState } from "../model/state.ts";
import type { CustomField, Issue, SandboxUser } from "../model/types.ts";
import { richTextToPlain } from "../content/index.ts";
import { JqlError } from "./errors.ts";
import { zonedTime } from "./dates.ts";

export type Scalar = string | number;

export interface EvalContext {
  state: SandboxState;
  viewer: SandboxUser | null;
  now: number;
  timeZone: string;
}

export interface FieldAccessor {
  /** The name used in messages. */
  name: string;
  type: "ref" | "text" | "date" | "number" | "key" | "string";
  values(issue: Issue): Scalar[];
  /** The query value as the comparable form of this field (ids lowercased, numbers, epoch ms). */
  resolve?(text: string, ctx: EvalContext): Scalar[];
  /** Text searched by `~`. */
  text?(issue: Issue): string;
}

const lower = (value: string) => value.toLowerCase();

export function unknownValue(value: string, field: string): JqlError {
  return new JqlError(`The value '${value}' does not exist for the field '${field}'.`);
}

/** Resolves by id or case-insensitive name among candidates. */
function byIdOrName<T extends { id: string; name: string }>(items: Iterable<T>, text: string, field: string): Scalar[] {
  const matches = [...items].filter((item) => item.id === text || lower(item.name) === lower(text)).map((item) => item.id);
  if (matches.length === 0) throw unknownValue(text, field);
  return matches;
}

/** A user as JQL names them: accountId, name, key, email or display name. */
export function userByQuery(state: SandboxState, text: string): SandboxUser | undefined {
  return state.findUser(text) ?? [...state.users.values()].find((candidate) => lower(candidate.displayName) === lower(text));
}

function userValues(state: SandboxState, text: string, field: string): Scalar[] {
  const user = userByQuery(state, text);
  if (!user) throw unknownValue(text, field);
  return [user.accountId];
}

function userField(name: string, get: (issue: Issue) => string | null): FieldAccessor {
  return {
    name,
    type: "ref",
    values: (issue) => {
      const value = get(issue);
      return value ? [value] : [];
    },
    resolve: (text, ctx) => userValues(ctx.state, text, name),
  };
}

function textField(name: string, get: (issue: Issue) => string): FieldAccessor {
  return { name, type: "text", values: (issue) => (get(issue) ? [get(issue)] : []), text: get };
}

function dateField(name: string, get: (issue: Issue) => number | null): FieldAccessor {
  return { name, type: "date", values: (issue) => (get(issue) === null ? [] : [get(issue)!]) };
}

/** A calendar day ("2024-05-01") as the instant its midnight falls in the caller's zone, so `duedate = "2024-05-01"` matches for everyone. */
function dayStart(day: string, timeZone: string): number {
  const [year, month, date] = day.split("-").map(Number);
  return zonedTime(timeZone, year!, month!, date!);
}

/** Issue number within its project: keys compare by it (ABC-10 after ABC-9). */
export function keyNumber(key: string): number {
  return Number(key.slice(key.lastIndexOf("-") + 1));
}

const SYSTEM: Record<string, (state: SandboxState, timeZone: string) => FieldAccessor> = {
  project: (state) => ({
    name: "project",
    type: "ref",
    values: (issue) => [issue.projectId],
    resolve: (text, ctx) => {
      const project = state.projectByIdOrKey(text) ?? [...state.projects.values()].find((candidate) => lower(candidate.name) === lower(text));
      // A project the caller may not browse does not exist for them.
      if (!project || (ctx.viewer && !state.hasPermission(ctx.viewer.accountId, project, "BROWSE_PROJECTS"))) throw unknownValue(text, "project");
      return [project.id];
    },
  }),
  key: (state) => ({
    name: "key",
    type: "key",
    values: (issue) => [issue.id],
    resolve: (text) => {
      const issue = state.issueByIdOrKey(text);
      if (!issue) throw new JqlError(`An issue with key '${text}' does not exist for field 'key'.`);
      return [issue.id];
    },
  }),
  id: (state) => ({
    name: "id",
    type: "number",
    values: (issue) => [Number(issue.id)],
    resolve: (text) => {
      if (!/^\d+$/.test(text)) {
        const issue = state.issueByIdOrKey(text);
        if (!issue) throw new JqlError(`An issue with key '${text}' does not exist for field 'id'.`);
        return [Number(issue.id)];
      }
      return [Number(text)];
    },
  }),
  issuetype: (state) => ({ name: "issuetype", type: "ref", values: (issue) => [issue.issueTypeId], resolve: (text) => byIdOrName(state.issueTypes.values(), text, "issuetype") }),
  status: (state) => ({ name: "status", type: "ref", values: (issue) => [issue.statusId], resolve: (text) => byIdOrName(state.statuses.values(), text, "status") }),
  statuscategory: (state) => ({
    name: "statusCategory",
    type: "ref",
    values: (issue) => [state.statuses.get(issue.statusId)!.category],
    resolve: (text) => {
      const wanted = lower(text);
      const category = [...STATUS_CATEGORY_NAMES].find(([key, names]) => key === wanted || names.includes(wanted));
      if (!category) throw unknownValue(text, "statusCategory");
      return [category[0]];
    },
  }),
  priority: (state) => ({ name: "priority", type: "ref", values: (issue) => (issue.priorityId ? [issue.priorityId] : []), resolve: (text) => byIdOrName(state.priorities.values(), text, "priority") }),
  resolution: (state) => ({
    name: "resolution",
    type: "ref",
    values: (issue) => (issue.resolutionId ? [issue.resolutionId] : []),
    resolve: (text) => (lower(text) === "unresolved" ? ["__unresolved__"] : byIdOrName(state.resolutions.values(), text, "resolution")),
  }),
  assignee: () => userField("assignee", (issue) => issue.assigneeId),
  reporter: () => userField("reporter", (issue) => issue.reporterId),
  creator: () => userField("creator", (issue) => issue.creatorId),
  labels: () => ({ name: "labels", type: "string", values: (issue) => issue.labels.map(lower), resolve: (text) => [lower(text)] }),
  component: (state) => ({ name: "component", type: "ref", values: (issue) => issue.componentIds, resolve: (text) => byIdOrName(state.components.values(), text, "component") }),
  fixversion: (state) => ({ name: "fixVersion", type: "ref", values: (issue) => issue.fixVersionIds, resolve: (text) => byIdOrName(state.versions.values(), text, "fixVersion") }),
  affectedversion: (state) => ({ name: "affectedVersion", type: "ref", values: (issue) => issue.affectsVersionIds, resolve: (text) => byIdOrName(state.versions.values(), text, "affectedVersion") }),
  parent: (state) => ({
    name: "parent",
    type: "ref",
    values: (issue) => (issue.parentId ? [issue.parentId] : []),
    resolve: (text) => {
      const parent = state.issueByIdOrKey(text);
      if (!parent) throw new JqlError(`An issue with key '${text}' does not exist for field 'parent'.`);
      return [parent.id];
    },
  }),
  sprint: (state) => ({
    name: "sprint",
    type: "ref",
    values: (issue) => sprintIds(state, issue).map(String),
    resolve: (text) => {
      const sprints = [...state.sprints.values()].filter((sprint) => String(sprint.id) === text || lower(sprint.name) === lower(text));
      if (sprints.length === 0) throw unknownValue(text, "sprint");
      return sprints.map((sprint) => String(sprint.id));
    },
  }),
  created: () => dateField("created", (issue) => issue.created),
  updated: () => dateField("updated", (issue) => issue.updated),
  resolved: () => dateField("resolved", (issue) => issue.resolutionDate),
  // Due dates are calendar days: compared as UTC midnight.
  duedate: (_state, timeZone) => dateField("duedate", (issue) => (issue.dueDate ? dayStart(issue.dueDate, timeZone) : null)),
  hierarchylevel: (state) => ({
    name: "hierarchyLevel",
    type: "number",
    values: (issue) => [state.issueTypeOf(issue).hierarchyLevel],
    resolve: (text) => {
      if (!/^-?\d+$/.test(text.trim())) throw unknownValue(text, "hierarchyLevel");
      return [Number(text)];
    },
  }),
  summary: () => textField("summary", (issue) => issue.summary),
  description: () => textField("description", (issue) => (issue.description ? richTextToPlain(issue.description) : "")),
  environment: () => textField("environment", (issue) => (issue.environment ? richTextToPlain(issue.environment) : "")),
  comment: () => textField("comment", (issue) => issue.comments.map((comment) => richTextToPlain(comment.body)).join("\n")),
  text: () =>
    textField("text", (issue) =>
      [issue.summary, issue.description ? richTextToPlain(issue.description) : "", issue.environment ? richTextToPlain(issue.environment) : "", ...issue.comments.map((comment) => richTextToPlain(comment.body))].join("\n"),
    ),
};

const ALIASES: Record<string, string> = {
  issuekey: "key",
  type: "issuetype",
  "issue type": "issuetype",
  resolutiondate: "resolved",
  due: "duedate",
  createddate: "created",
  updateddate: "updated",
  fixversions: "fixversion",
  "fix version": "fixversion",
  affectsversion: "affectedversion",
  components: "component",
  label: "labels",
  "status category": "statuscategory",
};

const STATUS_CATEGORY_NAMES: [string, string[]][] = [
  ["new", ["to do", "2", "new"]],
  ["indeterminate", ["in progress", "4"]],
  ["done", ["done", "3", "complete"]],
];

export function sprintIds(state: SandboxState, issue: Issue): number[] {
  for (const field of state.customFields.values()) {
    if (field.kind === "sprint") {
      const value = issue.customFields[field.id];
      return Array.isArray(value) ? value.map(Number) : [];
    }
  }
  return [];
}

function customAccessor(state: SandboxState, field: CustomField, timeZone: string): FieldAccessor {
  const name = field.name;
  const raw = (issue: Issue) => issue.customFields[field.id];
  const optionIds = (text: string) => {
    const options = field.options.filter((option) => option.id === text || lower(option.value) === lower(text));
    if (options.length === 0) throw unknownValue(text, name);
    return options.map((option) => option.id);
  };
  switch (field.kind) {
    case "number":
    case "storypoints":
      return {
        name,
        type: "number",
        values: (issue) => (typeof raw(issue) === "number" ? [raw(issue) as number] : []),
        resolve: (text) => {
          const number = Number(text);
          if (!Number.isFinite(number)) throw new JqlError(`The value '${text}' for field '${name}' is invalid: it must be a number.`);
          return [number];
        },
      };
    case "date":
      return { name, type: "date", values: (issue) => (typeof raw(issue) === "string" ? [dayStart(raw(issue) as string, timeZone)] : []) };
    case "datetime":
      return { name, type: "date", values: (issue) => (typeof raw(issue) === "number" ? [raw(issue) as number] : []) };
    case "select":
    case "radiobuttons":
      return { name, type: "ref", values: (issue) => (typeof raw(issue) === "string" ? [raw(issue) as string] : []), resolve: optionIds };
    case "multiselect":
    case "checkboxes":
      return { name, type: "ref", values: (issue) => (Array.isArray(raw(issue)) ? (raw(issue) as string[]) : []), resolve: optionIds };
    case "userpicker":
      return { name, type: "ref", values: (issue) => (typeof raw(issue) === "string" ? [raw(issue) as string] : []), resolve: (text, ctx) => userValues(ctx.state, text, name) };
    case "labels":
      return { name, type: "string", values: (issue) => (Array.isArray(raw(issue)) ? (raw(issue) as string[]).map(lower) : []), resolve: (text) => [lower(text)] };
    case "sprint":
      return SYSTEM.sprint!(state, timeZone);
    case "textarea":
      return textField(name, (issue) => {
        const value = raw(issue);
        return value && typeof value === "object" && !Array.isArray(value) ? richTextToPlain(value) : "";
      });
    default:
      return { ...textField(name, (issue) => (typeof raw(issue) === "string" ? (raw(issue) as string) : "")), type: "text" };
  }
}

/** Resolves a field name as written in JQL: system names and aliases, cf[NNNNN], custom field names, issue.property[...]. */
export function resolveField(state: SandboxState, written: string, timeZone: string = state.site.defaultTimeZone): FieldAccessor {
  const name = lower(written.trim());
  const system = SYSTEM[ALIASES[name] ?? name];
  if (system) return system(state, timeZone);
  const cf = /^cf\[(\d+)\]$/.exec(name) ?? /^customfield_(\d+)$/.exec(name);
  if (cf) {
    const field = [...state.customFields.values()].find((candidate) => candidate.numericId === Number(cf[1]));
    if (field) return customAccessor(state, field, timeZone);
  }
  const property = /^issue\.property\[([^\]]+)\]((?:\.[^.]+)*)$/.exec(written.trim());
  if (property) {
    const key = property[1]!.replace(/^["']|["']$/g, "");
    const path = property[2] ? property[2].slice(1).split(".") : [];
    return {
      name: written,
      type: "string",
      values: (issue) => {
        let value: unknown = issue.properties[key];
        for (const step of path) value = value && typeof value === "object" ? (value as Record<string, unknown>)[step] : undefined;
        if (value === undefined || value === null) return [];
        return (Array.isArray(value) ? value : [value]).map((item) => lower(String(item)));
      },
      resolve: (text) => [lower(text)],
    };
  }
  const custom = state.customFieldByName(written.trim());
  if (custom) return customAccessor(state, custom, timeZone);
  throw new JqlError(`Field '${written}' does not exist or you do not have permission to view it.`);
}
