// History searches: `field WAS value`, `WAS IN`, `WAS NOT`, `WAS NOT IN` and `field CHANGED` / `NOT CHANGED`, with
// the predicates FROM, TO, BY, AFTER, BEFORE, ON and DURING, evaluated over the issue's changelog.
//
// The model follows Jira's own implementation (Jira 5.1 source: DefaultChangeHistoryRetriever, the *DateRangeBuilder
// classes, ChangedClauseQueryFactory, WasClauseQueryFactory, HistoryPredicateQueryFactory, HistoryPredicateValidator):
// - a field's history is a run of periods: the value at creation (set "by" the reporter, at `created`), then one
//   period per change, each lasting until the next change (the last one until now and beyond);
// - the value at creation is the current value with every later change undone (Jira rebuilds it the same way);
// - CHANGED matches a change (never the creation); FROM / TO test the value before / after it, BY its author, and
//   the dates the moment it was made: AFTER d is later than d's range, BEFORE d earlier, ON and DURING inside it;
// - WAS without predicates matches a value held at any time, including the creation value and the current one; with
//   predicates a period holding the value must satisfy them all: BY names who set it, BEFORE d means it was set
//   before d, AFTER d that it was still held after d, ON / DURING that the period overlaps the range;
// - WAS NOT, WAS NOT IN and NOT CHANGED are the issues the positive form does not match;
// - Fix versions are a set: FROM / TO / WAS test membership of the set before / after / during (an empty set is EMPTY).
import type { SandboxState } from "../model/state.ts";
import type { ChangeItem, Issue } from "../model/types.ts";
import { dateFunction, instantRange, literalDateRange, type DateRange } from "./dates.ts";
import { JqlError } from "./errors.ts";
import { resolveField, userByQuery, type EvalContext, type FieldAccessor } from "./fields.ts";
import { displayValue, type HistoryOperator, type HistoryPredicate, type HistoryPredicateKind, type JqlExpr, type JqlValue } from "./parser.ts";
import { wantedValues, type Wanted } from "./values.ts";

type Predicate = (issue: Issue) => boolean;

/** What history needs of a field beyond its accessor (whose values() is the current value, as comparable ids). */
interface HistoryField {
  /** The changelog's fieldId for this field. */
  fieldId: string;
  /** A changelog from/to as the accessor's kind of id (account ids for users). */
  normalize(state: SandboxState, raw: string): string;
}

/** A changelog reference to a user: the accountId on Cloud, the user key on Data Center. */
function userFromChangelog(state: SandboxState, raw: string): string {
  return (state.userByAccountId(raw) ?? state.userByNameOrKey(raw))?.accountId ?? raw;
}

const asIs = (_state: SandboxState, raw: string) => raw;

// The fields Jira indexes change history for (ChangeHistoryFieldConfigurationManager): Assignee, Fix Version,
// Priority, Reporter, Resolution and Status, by the name of their accessor (fields.ts, which knows their aliases).
const HISTORY_FIELDS = new Map<string, HistoryField>([
  ["status", { fieldId: "status", normalize: asIs }],
  ["assignee", { fieldId: "assignee", normalize: userFromChangelog }],
  ["reporter", { fieldId: "reporter", normalize: userFromChangelog }],
  ["priority", { fieldId: "priority", normalize: asIs }],
  ["resolution", { fieldId: "resolution", normalize: asIs }],
  ["fixVersion", { fieldId: "fixVersions", normalize: asIs }],
]);

/** Jira's message (jira.jql.history.field.not.supported); the two spaces before the name are in Jira's own bundle. */
function historyNotSupported(written: string): JqlError {
  return new JqlError(`History searches do not support the  '${written}' field.`);
}

interface Change {
  at: number;
  authorId: string | null;
  from: Set<string>;
  to: Set<string>;
}

interface Period {
  start: number;
  /** Exclusive; Infinity for the value held now. */
  end: number;
  authorId: string | null;
  values: Set<string>;
}

/** The issue's changes to the field, oldest first, and the periods of values they delimit. */
function fieldHistory(state: SandboxState, issue: Issue, accessor: FieldAccessor, field: HistoryField): { changes: Change[]; periods: Period[] } {
  const entries = issue.changelog
    .map((entry) => ({ entry, items: entry.items.filter((item: ChangeItem) => item.fieldId === field.fieldId) }))
    .filter(({ items }) => items.length > 0)
    .sort((a, b) => a.entry.created - b.entry.created);
  // Walk back from the current value, undoing each change: what is left is the value at creation.
  let value = new Set(accessor.values(issue).map(String));
  const after: Set<string>[] = [];
  const before: Set<string>[] = [];
  for (let index = entries.length - 1; index >= 0; index--) {
    after[index] = new Set(value);
    for (const item of [...entries[index]!.items].reverse()) {
      if (item.to !== null) value.delete(field.normalize(state, item.to));
      if (item.from !== null) value.add(field.normalize(state, item.from));
    }
    before[index] = new Set(value);
  }
  const changes = entries.map(({ entry }, index) => ({ at: entry.created, authorId: entry.authorId, from: before[index]!, to: after[index]! }));
  const periods: Period[] = [{ start: issue.created, end: entries[0]?.entry.created ?? Infinity, authorId: issue.reporterId, values: value }];
  entries.forEach(({ entry }, index) => {
    periods.push({ start: entry.created, end: entries[index + 1]?.entry.created ?? Infinity, authorId: entry.authorId, values: after[index]! });
  });
  return { changes, periods };
}

/** Whether a value held (a set of ids) is one a clause or FROM / TO asks for (wantedValues). */
function holds(values: Set<string>, wanted: Wanted): boolean {
  if (values.size === 0) return wanted.empty;
  for (const value of values) if (wanted.values.includes(value)) return true;
  return false;
}

function items(value: JqlValue): JqlValue[] {
  return value.kind === "list" ? value.items : [value];
}

const NON_DATE_FUNCTIONS = new Set(["currentuser", "opensprints", "closedsprints", "futuresprints", "membersof"]);

/** The date ranges a date predicate names (an EMPTY operand names none: Jira then ignores the predicate). */
function dateRanges(predicate: HistoryPredicate, ctx: EvalContext): DateRange[] {
  const minutePrecision = ctx.state.quirks.jqlMinutePrecision;
  const values = items(predicate.value).filter((item) => item.kind !== "empty");
  if (values.length === 0) return [];
  // Jira's HistoryPredicateValidator messages (jira.jql.predicate.*.length.invalid.func).
  if ((predicate.kind === "after" || predicate.kind === "before") && values.length !== 1) {
    throw new JqlError(`The ${predicate.kind.toUpperCase()} predicate must be supplied with only 1 date value.`);
  }
  if (predicate.kind === "during" && values.length !== 2) throw new JqlError("The DURING predicate must be supplied with exactly 2 date values.");
  return values.map((item) => {
    if (item.kind === "function") {
      const time = dateFunction(item.name, item.args, ctx.now, ctx.timeZone);
      if (time !== null) return instantRange(time, minutePrecision);
      if (NON_DATE_FUNCTIONS.has(item.name.toLowerCase())) {
        throw new JqlError(`A date for the predicate '${predicate.kind}' provided by the function '${item.name}' is not valid.`);
      }
      throw new JqlError(`Error in the JQL Query: Unable to find JQL function '${item.name}(${item.args.join(", ")})'.`);
    }
    const text = item.kind === "literal" ? item.text : displayValue(item);
    const range = literalDateRange(text, ctx.now, ctx.timeZone, minutePrecision);
    if (!range) {
      throw new JqlError(
        `Date value '${text}' for predicate '${predicate.kind}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
      );
    }
    return range;
  });
}

/** Who a BY predicate names: account ids, and whether EMPTY (no author) is allowed. */
function authors(predicate: HistoryPredicate, ctx: EvalContext): { ids: Set<string>; empty: boolean } {
  const wanted = { ids: new Set<string>(), empty: false };
  for (const item of items(predicate.value)) {
    if (item.kind === "empty") wanted.empty = true;
    else if (item.kind === "function") {
      if (item.name.toLowerCase() !== "currentuser") throw new JqlError(`A user provided by the function '${item.name}' is invalid for the 'by' predicate.`);
      if (ctx.viewer) wanted.ids.add(ctx.viewer.accountId);
    } else if (item.kind === "literal") {
      const user = userByQuery(ctx.state, item.text);
      if (!user) throw new JqlError(`The user '${item.text}' does not exist and cannot be used in the 'by' predicate.`);
      wanted.ids.add(user.accountId);
    }
  }
  return wanted;
}

type Moment = { kind: "change"; change: Change } | { kind: "period"; period: Period };

/** Compiles the predicates into one test of a change (CHANGED) or of a period (WAS); all must hold. */
function compilePredicates(predicates: HistoryPredicate[], accessor: FieldAccessor, ctx: EvalContext): (moment: Moment) => boolean {
  const tests: ((moment: Moment) => boolean)[] = predicates.map((predicate) => {
    const kind: HistoryPredicateKind = predicate.kind;
    switch (kind) {
      case "from":
      case "to": {
        const wanted = wantedValues(accessor, predicate.value, ctx);
        return (moment) => moment.kind === "change" && holds(kind === "from" ? moment.change.from : moment.change.to, wanted);
      }
      case "by": {
        const wanted = authors(predicate, ctx);
        return (moment) => {
          const authorId = moment.kind === "change" ? moment.change.authorId : moment.period.authorId;
          return authorId ? wanted.ids.has(authorId) : wanted.empty;
        };
      }
      case "after":
      case "before":
      case "on":
      case "during": {
        const ranges = dateRanges(predicate, ctx);
        if (ranges.length === 0) return () => true;
        const within: DateRange[] = kind === "during" ? [{ lo: ranges[0]!.lo, hi: ranges[1]!.hi }] : ranges;
        const range = ranges[0]!;
        if (kind === "after") {
          // A change made after the range; a value still held after it.
          return (moment) => (moment.kind === "change" ? moment.change.at > range.hi : moment.period.end > range.hi + 1);
        }
        if (kind === "before") {
          // A change made before the range; a value set before it.
          return (moment) => (moment.kind === "change" ? moment.change.at < range.lo : moment.period.start < range.lo);
        }
        // ON (any of its dates) and DURING: a change made inside the range; a value held during some of it.
        return (moment) =>
          within.some(({ lo, hi }) => (moment.kind === "change" ? lo <= moment.change.at && moment.change.at <= hi : moment.period.start <= hi && moment.period.end > lo));
      }
    }
  });
  return (moment) => tests.every((test) => test(moment));
}

/** Jira's operator usage checks (DefaultOperatorUsageValidator): WAS takes one value, WAS IN a list; IN forms no EMPTY. */
function checkOperand(operator: HistoryOperator, value: JqlValue, written: string): void {
  const messages: string[] = [];
  const listOnly = operator === "was in" || operator === "was not in";
  if (value.kind === "list" && !listOnly) messages.push(`Operator '${operator}' does not support the list value '${displayValue(value)}' for field '${written}'.`);
  if (value.kind !== "list" && value.kind !== "function" && listOnly) messages.push(`Operator '${operator}' does not support the non-list value '${displayValue(value)}' for field '${written}'.`);
  if (value.kind === "empty" && listOnly) messages.push(`Operator '${operator}' does not support the empty value representation '${displayValue(value)}' for field '${written}'.`);
  if (messages.length) throw new JqlError(messages);
}

/** Compiles a history clause into a predicate over issues. */
export function compileHistory(expr: Extract<JqlExpr, { kind: "history" }>, ctx: EvalContext): Predicate {
  const changed = expr.operator === "changed" || expr.operator === "not changed";
  let accessor: FieldAccessor;
  try {
    accessor = resolveField(ctx.state, expr.field, ctx.timeZone);
  } catch (error) {
    // Jira's ChangedClauseValidator checks only that the field keeps history, so an unknown field gets that message too.
    if (changed && error instanceof JqlError) throw historyNotSupported(expr.field);
    throw error;
  }
  if (!changed) checkOperand(expr.operator, expr.value!, expr.field);
  const history = HISTORY_FIELDS.get(accessor.name);
  if (!history) throw historyNotSupported(expr.field);
  const wanted = changed ? null : wantedValues(accessor, expr.value!, ctx);
  const test = compilePredicates(expr.predicates, accessor, ctx);
  const negated = expr.operator === "not changed" || expr.operator === "was not" || expr.operator === "was not in";
  const matches = changed
    ? (issue: Issue) => fieldHistory(ctx.state, issue, accessor, history).changes.some((change) => test({ kind: "change", change }))
    : (issue: Issue) => fieldHistory(ctx.state, issue, accessor, history).periods.some((period) => holds(period.values, wanted!) && test({ kind: "period", period }));
  return negated ? (issue) => !matches(issue) : matches;
}
