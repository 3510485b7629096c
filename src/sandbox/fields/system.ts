// Jira's system fields: summary, description, status, people, versions, time tracking, parent, and the read-only rest.
import type { Issue } from "../model/types.ts";
import { apiUrl, jiraDateTime, type RenderContext } from "../render/context.ts";
import {
  renderComponent,
  renderIssueType,
  renderPriority,
  renderProjectRef,
  renderResolution,
  renderStatus,
  renderUser,
  renderVersion,
  userRef,
} from "../render/objects.ts";
import { parseLabelList } from "./custom.ts";
import { formatDuration, parseDuration } from "./duration.ts";
import { parseRichText, renderRichText, richTextEquals, richTextForChangelog } from "./rich-text.ts";
import { change, fail, ok, type FieldDef, type JsonTypeBean } from "./types.ts";
import { parseUserRef } from "./users.ts";

type Partial = Omit<FieldDef, "id" | "key" | "custom" | "clauseNames" | "navigable" | "orderable" | "searchable" | "inNavigable" | "operations"> &
  Pick<Partial2, "clauseNames" | "operations" | "inNavigable" | "orderable" | "searchable">;
interface Partial2 {
  clauseNames?: string[];
  operations?: string[];
  inNavigable?: boolean;
  orderable?: boolean;
  searchable?: boolean;
}

function system(id: string, def: Partial): FieldDef {
  return {
    id,
    key: id,
    custom: false,
    navigable: true,
    orderable: def.orderable ?? Boolean(def.parse),
    searchable: def.searchable ?? true,
    inNavigable: def.inNavigable ?? true,
    clauseNames: def.clauseNames ?? [id],
    operations: def.operations ?? (def.parse ? ["set"] : []),
    ...def,
  };
}

const schema = (type: string, systemName: string, items?: string): JsonTypeBean => ({ type, ...(items ? { items } : {}), system: systemName });

function userField(id: "assignee" | "reporter", name: string): FieldDef {
  const property = id === "assignee" ? "assigneeId" : "reporterId";
  return system(id, {
    name,
    schema: schema("user", id),
    render: (issue, ctx) => {
      const user = issue[property] ? ctx.state.userByAccountId(issue[property]!) : undefined;
      return user ? renderUser(ctx, user) : null;
    },
    parse: (value, ctx) => parseUserRef(value, ctx, name),
    apply: (issue, value, ctx) => {
      const before = issue[property];
      const after = value as string | null;
      if (before === after) return [];
      issue[property] = after;
      const describe = (accountId: string | null): [string | null, string | null] => {
        const user = accountId ? ctx.state.userByAccountId(accountId) : undefined;
        return user ? [userRef(ctx, user), user.displayName] : [null, null];
      };
      return [change(id, id, ...describe(before), ...describe(after))];
    },
  });
}

function timeField(id: "timeoriginalestimate" | "timeestimate" | "timespent", property: "originalEstimate" | "remainingEstimate" | "timeSpent", name: string): FieldDef {
  return system(id, {
    name,
    schema: schema("number", id),
    render: (issue) => issue[property],
  });
}

function aggregate(id: string, name: string, property: "originalEstimate" | "remainingEstimate" | "timeSpent"): FieldDef {
  return system(id, {
    name,
    schema: schema("number", id),
    render: (issue, ctx) => {
      let total: number | null = issue[property];
      for (const child of ctx.state.childrenOf(issue.id)) {
        if (ctx.state.issueTypeOf(child).hierarchyLevel < 0 && child[property] !== null) total = (total ?? 0) + child[property]!;
      }
      return total;
    },
  });
}

/** Records a time-tracking change the way Jira's changelog does (seconds as strings). */
function timeChange(issue: Issue, property: "originalEstimate" | "remainingEstimate", fieldId: string, value: number | null) {
  const before = issue[property];
  if (before === value) return [];
  issue[property] = value;
  const text = (seconds: number | null) => (seconds === null ? null : String(seconds));
  return [change(fieldId, fieldId, text(before), text(before), text(value), text(value))];
}

function versionsField(id: "fixVersions" | "versions", name: string, changelogName: string): FieldDef {
  const property = id === "fixVersions" ? "fixVersionIds" : "affectsVersionIds";
  const parseOne = (value: unknown, ctx: RenderContext, issue: Issue | null) => {
    const input = (value ?? {}) as { id?: unknown; name?: unknown };
    const projectId = issue?.projectId;
    const version = [...ctx.state.versions.values()].find(
      (candidate) =>
        (!projectId || candidate.projectId === projectId) &&
        ((input.id !== undefined && String(input.id) === candidate.id) || (input.name !== undefined && input.name === candidate.name)),
    );
    return version ? ok(version.id) : fail(`Version name '${String(input.name ?? input.id)}' is not valid`);
  };
  return system(id, {
    name,
    schema: schema("array", id, "version"),
    clauseNames: id === "fixVersions" ? ["fixVersion"] : ["affectedVersion"],
    operations: ["set", "add", "remove"],
    render: (issue, ctx) => issue[property].map((versionId) => renderVersion(ctx, ctx.state.versions.get(versionId)!)),
    parse: (value, ctx, issue) => {
      if (!Array.isArray(value)) return fail(`data was not an array`);
      const ids: string[] = [];
      for (const item of value) {
        const parsed = parseOne(item, ctx, issue);
        if (!parsed.ok) return parsed;
        ids.push(parsed.value as string);
      }
      return ok([...new Set(ids)]);
    },
    addRemove: (issue, op, value, ctx) => {
      const parsed = parseOne(value, ctx, issue);
      if (!parsed.ok) return parsed;
      const id = parsed.value as string;
      return ok(op === "add" ? [...new Set([...issue[property], id])] : issue[property].filter((existing) => existing !== id));
    },
    apply: (issue, value, ctx) => {
      const before = issue[property];
      const after = value as string[];
      issue[property] = after;
      const nameOf = (versionId: string) => ctx.state.versions.get(versionId)?.name ?? versionId;
      return [
        ...before.filter((v) => !after.includes(v)).map((v) => change(changelogName, id, v, nameOf(v), null, null)),
        ...after.filter((v) => !before.includes(v)).map((v) => change(changelogName, id, null, null, v, nameOf(v))),
      ];
    },
    allowedValues: (ctx, projectId) =>
      [...ctx.state.versions.values()].filter((version) => version.projectId === projectId && !version.archived).map((version) => renderVersion(ctx, version)),
  });
}

export function systemFieldDefs(): FieldDef[] {
  return [
    system("summary", {
      name: "Summary",
      schema: schema("string", "summary"),
      render: (issue) => issue.summary,
      parse: (value) => {
        if (typeof value !== "string") return fail("Operation value must be a string");
        if (value.trim() === "") return fail("You must specify a summary of the issue.");
        if (value.length > 255) return fail("Summary must be less than 255 characters.");
        if (/[\r\n]/.test(value)) return fail("The summary is invalid because it contains newline characters.");
        return ok(value);
      },
      apply: (issue, value) => {
        if (issue.summary === value) return [];
        const before = issue.summary;
        issue.summary = value as string;
        return [change("summary", "summary", null, before, null, value as string)];
      },
    }),
    system("description", {
      name: "Description",
      schema: schema("string", "description"),
      render: (issue, ctx) => renderRichText(issue.description, ctx),
      parse: (value, ctx) => parseRichText(value, ctx),
      apply: (issue, value) => {
        const after = value as Issue["description"];
        if (richTextEquals(issue.description, after)) return [];
        const before = issue.description;
        issue.description = after;
        return [change("description", "description", null, richTextForChangelog(before), null, richTextForChangelog(after))];
      },
    }),
    system("environment", {
      name: "Environment",
      schema: schema("string", "environment"),
      render: (issue, ctx) => renderRichText(issue.environment, ctx),
      parse: (value, ctx) => parseRichText(value, ctx),
      apply: (issue, value) => {
        const after = value as Issue["environment"];
        if (richTextEquals(issue.environment, after)) return [];
        const before = issue.environment;
        issue.environment = after;
        return [change("environment", "environment", null, richTextForChangelog(before), null, richTextForChangelog(after))];
      },
    }),
    system("issuetype", {
      name: "Issue Type",
      schema: schema("issuetype", "issuetype"),
      clauseNames: ["issuetype", "type"],
      render: (issue, ctx) => renderIssueType(ctx, ctx.state.issueTypeOf(issue), ctx.state.projectOf(issue)),
      parse: (value, ctx, issue) => {
        const input = (value ?? {}) as { id?: unknown; name?: unknown };
        const type = [...ctx.state.issueTypes.values()].find(
          (candidate) => String(input.id) === candidate.id || (input.name !== undefined && input.name === candidate.name),
        );
        if (!type) return fail("Specify an issue type");
        if (issue && !ctx.state.projectOf(issue).issueTypeIds.includes(type.id)) return fail("The issue type selected is invalid.");
        return ok(type.id);
      },
      apply: (issue, value, ctx) => {
        if (issue.issueTypeId === value) return [];
        const before = ctx.state.issueTypes.get(issue.issueTypeId)!;
        issue.issueTypeId = value as string;
        const after = ctx.state.issueTypes.get(issue.issueTypeId)!;
        return [change("issuetype", "issuetype", before.id, before.name, after.id, after.name)];
      },
      allowedValues: (ctx, projectId) => ctx.state.projects.get(projectId)!.issueTypeIds.map((id) => renderIssueType(ctx, ctx.state.issueTypes.get(id)!)),
    }),
    system("project", {
      name: "Project",
      schema: schema("project", "project"),
      orderable: false,
      render: (issue, ctx) => renderProjectRef(ctx, ctx.state.projectOf(issue)),
    }),
    system("status", {
      name: "Status",
      schema: schema("status", "status"),
      orderable: false,
      render: (issue, ctx) => renderStatus(ctx, ctx.state.statuses.get(issue.statusId)!),
    }),
    system("statuscategorychangedate", {
      name: "Status Category Changed",
      schema: schema("datetime", "statuscategorychangedate"),
      render: (issue) => jiraDateTime(issue.statusCategoryChanged),
    }),
    system("priority", {
      name: "Priority",
      schema: schema("priority", "priority"),
      render: (issue, ctx) => (issue.priorityId ? renderPriority(ctx, ctx.state.priorities.get(issue.priorityId)!) : null),
      parse: (value, ctx) => {
        if (value === null) return ok(null);
        const input = (value ?? {}) as { id?: unknown; name?: unknown };
        const priority = [...ctx.state.priorities.values()].find(
          (candidate) => String(input.id) === candidate.id || (input.name !== undefined && input.name === candidate.name),
        );
        return priority ? ok(priority.id) : fail(`Priority name '${String(input.name ?? input.id)}' is not valid`);
      },
      apply: (issue, value, ctx) => {
        if (issue.priorityId === value) return [];
        const before = issue.priorityId ? ctx.state.priorities.get(issue.priorityId)! : null;
        issue.priorityId = value as string | null;
        const after = issue.priorityId ? ctx.state.priorities.get(issue.priorityId)! : null;
        return [change("priority", "priority", before?.id ?? null, before?.name ?? null, after?.id ?? null, after?.name ?? null)];
      },
      allowedValues: (ctx) => [...ctx.state.priorities.values()].map((priority) => renderPriority(ctx, priority)),
    }),
    system("resolution", {
      name: "Resolution",
      schema: schema("resolution", "resolution"),
      render: (issue, ctx) => (issue.resolutionId ? renderResolution(ctx, ctx.state.resolutions.get(issue.resolutionId)!) : null),
      parse: (value, ctx) => {
        if (value === null) return ok(null);
        const input = (value ?? {}) as { id?: unknown; name?: unknown };
        const resolution = [...ctx.state.resolutions.values()].find(
          (candidate) => String(input.id) === candidate.id || (input.name !== undefined && input.name === candidate.name),
        );
        return resolution ? ok(resolution.id) : fail(`Resolution name '${String(input.name ?? input.id)}' is not valid`);
      },
      apply: (issue, value, ctx) => {
        if (issue.resolutionId === value) return [];
        const before = issue.resolutionId ? ctx.state.resolutions.get(issue.resolutionId)! : null;
        issue.resolutionId = value as string | null;
        issue.resolutionDate = issue.resolutionId ? ctx.state.now() : null;
        const after = issue.resolutionId ? ctx.state.resolutions.get(issue.resolutionId)! : null;
        return [change("resolution", "resolution", before?.id ?? null, before?.name ?? null, after?.id ?? null, after?.name ?? null)];
      },
      allowedValues: (ctx) => [...ctx.state.resolutions.values()].map((resolution) => renderResolution(ctx, resolution)),
    }),
    system("resolutiondate", {
      name: "Resolved",
      schema: schema("datetime", "resolutiondate"),
      clauseNames: ["resolved", "resolutiondate"],
      render: (issue) => (issue.resolutionDate ? jiraDateTime(issue.resolutionDate) : null),
    }),
    system("labels", {
      name: "Labels",
      schema: schema("array", "labels", "string"),
      operations: ["add", "set", "remove"],
      render: (issue) => issue.labels,
      parse: (value) => parseLabelList(value),
      addRemove: (issue, op, value) => {
        const parsed = parseLabelList([value]);
        if (!parsed.ok) return parsed;
        const label = (parsed.value as string[])[0];
        return ok(op === "add" ? [...new Set([...issue.labels, label])] : issue.labels.filter((existing) => existing !== label));
      },
      apply: (issue, value) => {
        const after = value as string[];
        if (JSON.stringify(issue.labels) === JSON.stringify(after)) return [];
        const before = issue.labels;
        issue.labels = after;
        return [change("labels", "labels", null, before.join(" "), null, after.join(" "))];
      },
    }),
    system("components", {
      name: "Components",
      schema: schema("array", "components", "component"),
      clauseNames: ["component"],
      operations: ["add", "set", "remove"],
      render: (issue, ctx) => issue.componentIds.map((id) => renderComponent(ctx, ctx.state.components.get(id)!)),
      parse: (value, ctx, issue) => {
        if (!Array.isArray(value)) return fail("data was not an array");
        const ids: string[] = [];
        for (const item of value) {
          const input = (item ?? {}) as { id?: unknown; name?: unknown };
          const component = [...ctx.state.components.values()].find(
            (candidate) =>
              (!issue || candidate.projectId === issue.projectId) &&
              (String(input.id) === candidate.id || (input.name !== undefined && input.name === candidate.name)),
          );
          if (!component) return fail(`Component name '${String(input.name ?? input.id)}' is not valid`);
          ids.push(component.id);
        }
        return ok([...new Set(ids)]);
      },
      apply: (issue, value, ctx) => {
        const before = issue.componentIds;
        const after = value as string[];
        issue.componentIds = after;
        const nameOf = (id: string) => ctx.state.components.get(id)?.name ?? id;
        return [
          ...before.filter((c) => !after.includes(c)).map((c) => change("Component", "components", c, nameOf(c), null, null)),
          ...after.filter((c) => !before.includes(c)).map((c) => change("Component", "components", null, null, c, nameOf(c))),
        ];
      },
      allowedValues: (ctx, projectId) =>
        [...ctx.state.components.values()].filter((component) => component.projectId === projectId).map((component) => renderComponent(ctx, component)),
    }),
    versionsField("fixVersions", "Fix versions", "Fix Version"),
    versionsField("versions", "Affects versions", "Version"),
    userField("assignee", "Assignee"),
    userField("reporter", "Reporter"),
    system("creator", {
      name: "Creator",
      schema: schema("user", "creator"),
      render: (issue, ctx) => {
        const user = ctx.state.userByAccountId(issue.creatorId);
        return user ? renderUser(ctx, user) : null;
      },
    }),
    system("created", { name: "Created", schema: schema("datetime", "created"), orderable: false, render: (issue) => jiraDateTime(issue.created) }),
    system("updated", { name: "Updated", schema: schema("datetime", "updated"), orderable: false, render: (issue) => jiraDateTime(issue.updated) }),
    system("lastViewed", { name: "Last Viewed", schema: schema("datetime", "lastViewed"), render: () => null }),
    system("duedate", {
      name: "Due date",
      schema: schema("date", "duedate"),
      clauseNames: ["due", "duedate"],
      render: (issue) => issue.dueDate,
      parse: (value) => {
        if (value === null || value === "") return ok(null);
        if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
          return fail(`Error parsing date string: ${String(value)}`);
        }
        return ok(value);
      },
      apply: (issue, value) => {
        if (issue.dueDate === value) return [];
        const before = issue.dueDate;
        issue.dueDate = value as string | null;
        const shown = (date: string | null) => (date ? `${date} 00:00:00.0` : null);
        return [change("duedate", "duedate", before, shown(before), issue.dueDate, shown(issue.dueDate))];
      },
    }),
    system("parent", {
      name: "Parent",
      schema: schema("issuelink", "parent"),
      render: (issue, ctx) => {
        if (!issue.parentId) return undefined;
        const parent = ctx.state.issues.get(issue.parentId);
        if (!parent) return undefined;
        return {
          id: parent.id,
          key: parent.key,
          self: apiUrl(ctx, `issue/${parent.id}`),
          fields: {
            summary: parent.summary,
            status: renderStatus(ctx, ctx.state.statuses.get(parent.statusId)!),
            priority: parent.priorityId ? renderPriority(ctx, ctx.state.priorities.get(parent.priorityId)!) : undefined,
            issuetype: renderIssueType(ctx, ctx.state.issueTypeOf(parent)),
          },
        };
      },
      parse: (value, ctx, issue) => {
        if (value === null) return ok(null);
        const input = (value ?? {}) as { id?: unknown; key?: unknown };
        const ref = input.key ?? input.id;
        const parent = typeof ref === "string" || typeof ref === "number" ? ctx.state.issueByIdOrKey(String(ref)) : undefined;
        if (!parent || !ctx.state.canBrowse(ctx.viewerId, parent)) return fail(`Could not find issue by id or key.`);
        if (issue && parent.id === issue.id) return fail("An issue cannot be its own parent.");
        return ok(parent.id);
      },
      apply: (issue, value, ctx) => {
        if (issue.parentId === value) return [];
        const before = issue.parentId ? ctx.state.issues.get(issue.parentId) : undefined;
        ctx.state.setParent(issue, value as string | null);
        const after = issue.parentId ? ctx.state.issues.get(issue.parentId) : undefined;
        return [change("IssueParentAssociation", "parent", before?.id ?? null, before?.key ?? null, after?.id ?? null, after?.key ?? null)];
      },
    }),
    system("timetracking", {
      name: "Time tracking",
      schema: schema("timetracking", "timetracking"),
      operations: ["set", "edit"],
      inNavigable: true,
      render: (issue, ctx) => {
        const time = ctx.state.site;
        const out: Record<string, unknown> = {};
        if (issue.originalEstimate !== null) {
          out.originalEstimate = formatDuration(issue.originalEstimate, time);
          out.originalEstimateSeconds = issue.originalEstimate;
        }
        if (issue.remainingEstimate !== null) {
          out.remainingEstimate = formatDuration(issue.remainingEstimate, time);
          out.remainingEstimateSeconds = issue.remainingEstimate;
        }
        if (issue.timeSpent !== null) {
          out.timeSpent = formatDuration(issue.timeSpent, time);
          out.timeSpentSeconds = issue.timeSpent;
        }
        return out;
      },
      parse: (value, ctx) => {
        if (typeof value !== "object" || value === null || Array.isArray(value)) return fail("data was not an object");
        const input = value as { originalEstimate?: unknown; remainingEstimate?: unknown };
        const out: { originalEstimate?: number | null; remainingEstimate?: number | null } = {};
        for (const key of ["originalEstimate", "remainingEstimate"] as const) {
          if (input[key] === undefined) continue;
          if (input[key] === null || input[key] === "") {
            out[key] = null;
            continue;
          }
          const seconds = parseDuration(String(input[key]), ctx.state.site);
          if (seconds === null) return fail(`Invalid time duration entered.`);
          out[key] = seconds;
        }
        return ok(out);
      },
      apply: (issue, value) => {
        const input = value as { originalEstimate?: number | null; remainingEstimate?: number | null };
        const items = [];
        if (input.originalEstimate !== undefined) {
          items.push(...timeChange(issue, "originalEstimate", "timeoriginalestimate", input.originalEstimate));
          // Jira seeds the remaining estimate from a new original estimate when none is given.
          if (input.remainingEstimate === undefined && issue.remainingEstimate === null) {
            items.push(...timeChange(issue, "remainingEstimate", "timeestimate", input.originalEstimate));
          }
        }
        if (input.remainingEstimate !== undefined) items.push(...timeChange(issue, "remainingEstimate", "timeestimate", input.remainingEstimate));
        return items;
      },
    }),
    timeField("timeoriginalestimate", "originalEstimate", "Original estimate"),
    timeField("timeestimate", "remainingEstimate", "Remaining Estimate"),
    timeField("timespent", "timeSpent", "Time Spent"),
    aggregate("aggregatetimeoriginalestimate", "Σ Original Estimate", "originalEstimate"),
    aggregate("aggregatetimeestimate", "Σ Remaining Estimate", "remainingEstimate"),
    aggregate("aggregatetimespent", "Σ Time Spent", "timeSpent"),
    system("progress", {
      name: "Progress",
      schema: schema("progress", "progress"),
      render: (issue) => progressOf(issue.timeSpent, issue.remainingEstimate),
    }),
    system("aggregateprogress", {
      name: "Σ Progress",
      schema: schema("progress", "aggregateprogress"),
      render: (issue, ctx) => {
        const all = [issue, ...ctx.state.childrenOf(issue.id).filter((child) => ctx.state.issueTypeOf(child).hierarchyLevel < 0)];
        const sum = (pick: (item: typeof issue) => number | null) => all.reduce<number | null>((total, item) => (pick(item) === null ? total : (total ?? 0) + pick(item)!), null);
        return progressOf(sum((item) => item.timeSpent), sum((item) => item.remainingEstimate));
      },
    }),
    system("workratio", {
      name: "Work Ratio",
      schema: schema("number", "workratio"),
      render: (issue) => (issue.originalEstimate ? Math.round(((issue.timeSpent ?? 0) / issue.originalEstimate) * 100) : -1),
    }),
    system("subtasks", {
      name: "Sub-tasks",
      schema: schema("array", "subtasks", "issuelinks"),
      render: (issue, ctx) =>
        ctx.state
          .childrenOf(issue.id)
          .filter((child) => ctx.state.issueTypeOf(child).hierarchyLevel < 0)
          .map((child) => ({
            id: child.id,
            key: child.key,
            self: apiUrl(ctx, `issue/${child.id}`),
            fields: {
              summary: child.summary,
              status: renderStatus(ctx, ctx.state.statuses.get(child.statusId)!),
              priority: child.priorityId ? renderPriority(ctx, ctx.state.priorities.get(child.priorityId)!) : undefined,
              issuetype: renderIssueType(ctx, ctx.state.issueTypeOf(child)),
            },
          })),
    }),
    system("issuelinks", {
      name: "Linked Issues",
      schema: schema("array", "issuelinks", "issuelinks"),
      clauseNames: ["issueLink"],
      render: (issue, ctx) =>
        ctx.state.linksOf(issue.id).map((link) => {
          const type = ctx.state.issueLinkTypes.get(link.typeId)!;
          const otherId = link.inwardIssueId === issue.id ? link.outwardIssueId : link.inwardIssueId;
          const other = ctx.state.issues.get(otherId)!;
          const otherJson = {
            id: other.id,
            key: other.key,
            self: apiUrl(ctx, `issue/${other.id}`),
            fields: {
              summary: other.summary,
              status: renderStatus(ctx, ctx.state.statuses.get(other.statusId)!),
              priority: other.priorityId ? renderPriority(ctx, ctx.state.priorities.get(other.priorityId)!) : undefined,
              issuetype: renderIssueType(ctx, ctx.state.issueTypeOf(other)),
            },
          };
          return {
            id: link.id,
            self: apiUrl(ctx, `issueLink/${link.id}`),
            type: { id: type.id, name: type.name, inward: type.inward, outward: type.outward, self: apiUrl(ctx, `issueLinkType/${type.id}`) },
            ...(link.inwardIssueId === issue.id ? { outwardIssue: otherJson } : { inwardIssue: otherJson }),
          };
        }),
    }),
    system("attachment", {
      name: "Attachment",
      schema: schema("array", "attachment", "attachment"),
      render: (issue, ctx) =>
        issue.attachments.map((attachment) => {
          const author = ctx.state.userByAccountId(attachment.authorId);
          return {
            self: apiUrl(ctx, `attachment/${attachment.id}`),
            id: attachment.id,
            filename: attachment.filename,
            ...(author ? { author: renderUser(ctx, author) } : {}),
            created: jiraDateTime(attachment.created),
            size: attachment.size,
            mimeType: attachment.mimeType,
            content: `${ctx.baseUrl}/secure/attachment/${attachment.id}/${encodeURIComponent(attachment.filename)}`,
          };
        }),
    }),
    system("watches", {
      name: "Watchers",
      schema: schema("watches", "watches"),
      render: (issue, ctx) => ({ self: apiUrl(ctx, `issue/${issue.key}/watchers`), watchCount: 0, isWatching: false }),
    }),
    system("votes", {
      name: "Votes",
      schema: schema("votes", "votes"),
      render: (issue, ctx) => ({ self: apiUrl(ctx, `issue/${issue.key}/votes`), votes: 0, hasVoted: false }),
    }),
    system("security", { name: "Security Level", schema: schema("securitylevel", "security"), render: () => null }),
  ];
}

/** Jira's progress object: time spent against spent + remaining, in seconds. */
function progressOf(spent: number | null, remaining: number | null) {
  const progress = spent ?? 0;
  const total = progress + (remaining ?? 0);
  return total > 0 ? { progress, total, percent: Math.round((progress / total) * 100) } : { progress, total };
}
