// A clause's value resolved against the field it is compared with: literals through the field's own resolution
// (names, ids, keys, users, dates in the caller's zone), functions (currentUser(), openSprints(), startOfDay() ...),
// lists and EMPTY. Shared by the plain operators (evaluate.ts) and the history ones (history.ts).
import { dateFunction, invalidDate, parseDateLiteral, toMinute } from "./dates.ts";
import { JqlError } from "./errors.ts";
import type { EvalContext, FieldAccessor, Scalar } from "./fields.ts";
import type { JqlValue } from "./parser.ts";

/** What a value asks for: the field's comparable values, and whether no value at all (EMPTY) is one of them. */
export interface Wanted {
  values: Scalar[];
  empty: boolean;
}

/** The value (a literal, a function, a list or EMPTY) as what it asks of the field. */
export function wantedValues(field: FieldAccessor, value: JqlValue, ctx: EvalContext): Wanted {
  const resolved = targetValues(field, value, ctx);
  // `resolution = Unresolved` means no resolution; `x IN (EMPTY, ...)` also asks for no value.
  const empty = value.kind === "empty" || (value.kind === "list" && value.items.some((item) => item.kind === "empty")) || resolved.includes("__unresolved__");
  return { values: resolved.filter((item) => item !== "__unresolved__"), empty };
}

function targetValues(field: FieldAccessor, value: JqlValue, ctx: EvalContext): Scalar[] {
  if (value.kind === "list") return value.items.flatMap((item) => targetValues(field, item, ctx));
  if (value.kind === "empty") return [];
  if (value.kind === "function") return functionValues(field, value.name, value.args, ctx);
  if (field.type === "date") {
    const time = parseDateLiteral(value.text, ctx.now, ctx.timeZone);
    if (time === null) throw invalidDate(value.text, field.name);
    return [ctx.state.quirks.jqlMinutePrecision ? toMinute(time) : time];
  }
  return field.resolve ? field.resolve(value.text, ctx) : [value.text];
}

function functionValues(field: FieldAccessor, name: string, args: string[], ctx: EvalContext): Scalar[] {
  const lower = name.toLowerCase();
  if (lower === "currentuser") {
    if (!ctx.viewer) return [];
    return [ctx.viewer.accountId];
  }
  if (lower === "opensprints" || lower === "closedsprints" || lower === "futuresprints") {
    const state = lower === "opensprints" ? "active" : lower === "closedsprints" ? "closed" : "future";
    return [...ctx.state.sprints.values()].filter((sprint) => sprint.state === state).map((sprint) => String(sprint.id));
  }
  if (lower === "membersof") {
    // The sandbox has no groups, so it cannot answer membersOf() truthfully; better an error than a silent miss.
    throw new JqlError(`Error in the JQL Query: The function 'membersOf' is not supported by the sandbox Jira (it has no groups).`);
  }
  if (field.type === "date") {
    const time = dateFunction(name, args, ctx.now, ctx.timeZone);
    if (time === null) throw new JqlError(`Error in the JQL Query: Unable to find JQL function '${name}(${args.join(", ")})'.`);
    return [ctx.state.quirks.jqlMinutePrecision ? toMinute(time) : time];
  }
  throw new JqlError(`Error in the JQL Query: Unable to find JQL function '${name}(${args.join(", ")})'.`);
}
