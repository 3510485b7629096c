// Evaluates a parsed JQL query against issues: operators with Jira's semantics (`!=` and `NOT IN` never match
// an empty field), functions, dates with minute precision in the caller's time zone, `~` word search, and the
// history operators WAS and CHANGED (history.ts) over the changelog.
import { JqlError } from "./errors.ts";
import { toMinute } from "./dates.ts";
import { keyNumber, resolveField, type EvalContext, type FieldAccessor, type Scalar } from "./fields.ts";
import { compileHistory } from "./history.ts";
import type { JqlExpr, JqlValue, Operator } from "./parser.ts";
import { wantedValues } from "./values.ts";
import type { Issue } from "../model/types.ts";

export type Predicate = (issue: Issue) => boolean;

/** Compiles an expression once (resolving fields and values against the site) into a predicate. */
export function compile(expr: JqlExpr, ctx: EvalContext): Predicate {
  switch (expr.kind) {
    case "and": {
      const parts = expr.children.map((child) => compile(child, ctx));
      return (issue) => parts.every((part) => part(issue));
    }
    case "or": {
      const parts = expr.children.map((child) => compile(child, ctx));
      return (issue) => parts.some((part) => part(issue));
    }
    case "not": {
      const inner = compile(expr.child, ctx);
      return (issue) => !inner(issue);
    }
    case "clause":
      return compileClause(resolveField(ctx.state, expr.field, ctx.timeZone), expr.operator, expr.value, ctx);
    case "history":
      return compileHistory(expr, ctx);
  }
}

function compileClause(field: FieldAccessor, operator: Operator, value: JqlValue, ctx: EvalContext): Predicate {
  if (value.kind === "empty") {
    const wantEmpty = operator === "is" || operator === "=";
    if (!["is", "is not", "=", "!="].includes(operator)) throw new JqlError(`Error in the JQL Query: The operator '${operator.toUpperCase()}' does not support the value 'EMPTY'.`);
    return (issue) => (field.values(issue).length === 0) === wantEmpty;
  }
  if (operator === "~" || operator === "!~") {
    if (!field.text) throw new JqlError(`The operator '${operator}' is not supported by the '${field.name}' field.`);
    if (value.kind !== "literal") throw new JqlError(`The operator '${operator}' needs a text value for the '${field.name}' field.`);
    const matches = textMatcher(value.text);
    return operator === "~" ? (issue) => matches(field.text!(issue)) : (issue) => !matches(field.text!(issue));
  }
  if (field.type === "text") {
    throw new JqlError(`The operator '${operator.toUpperCase()}' is not supported by the '${field.name}' field. Use '~' or '!~'.`);
  }
  // `resolution = Unresolved` and `x IN (EMPTY, ...)` also match an empty field.
  const { values: targets, empty: unresolvedWanted } = wantedValues(field, value, ctx);
  const minutePrecision = field.type === "date" && ctx.state.quirks.jqlMinutePrecision;
  const actual = (issue: Issue): Scalar[] => {
    const values = field.values(issue);
    return minutePrecision ? values.map((item) => toMinute(item as number)) : values;
  };
  switch (operator) {
    case "=":
    case "in":
      return (issue) => {
        const values = actual(issue);
        if (unresolvedWanted && values.length === 0) return true;
        return values.some((item) => targets.includes(item));
      };
    case "!=":
    case "not in":
      return (issue) => {
        const values = actual(issue);
        if (unresolvedWanted) return values.length > 0 && !values.some((item) => targets.includes(item));
        // Jira: a field that is EMPTY matches neither `=` nor `!=`.
        return values.length > 0 && !values.some((item) => targets.includes(item));
      };
    case "<":
    case ">":
    case "<=":
    case ">=": {
      if (field.type !== "date" && field.type !== "number" && field.type !== "key") {
        throw new JqlError(`The operator '${operator}' is not supported by the '${field.name}' field.`);
      }
      if (value.kind === "list") throw new JqlError(`The operator '${operator}' does not support multiple values.`);
      if (field.type === "key") return keyComparison(ctx, operator, String(targets[0]));
      const target = targets[0] as number;
      return (issue) => actual(issue).some((item) => compareWith(operator, item as number, target));
    }
    default:
      throw new JqlError(`The operator '${operator.toUpperCase()}' is not supported by the '${field.name}' field.`);
  }
}

function compareWith(operator: "<" | ">" | "<=" | ">=", a: number, b: number): boolean {
  return operator === "<" ? a < b : operator === ">" ? a > b : operator === "<=" ? a <= b : a >= b;
}

/** `key > ROAD-5` compares issue numbers within ROAD only, as Jira does (ROAD-10 is after ROAD-9). */
function keyComparison(ctx: EvalContext, operator: "<" | ">" | "<=" | ">=", targetId: string): Predicate {
  const target = ctx.state.issues.get(targetId)!;
  const number = keyNumber(target.key);
  return (issue) => issue.projectId === target.projectId && compareWith(operator, keyNumber(issue.key), number);
}

/** Jira's `~`: every word of the query must start a word of the text (case-insensitive; * and ? wildcards). */
function textMatcher(query: string): (text: string) => boolean {
  const phrase = /^".*"$/.test(query.trim()) ? query.trim().slice(1, -1) : null;
  if (phrase !== null) return (text) => text.toLowerCase().includes(phrase.toLowerCase());
  const terms = query.toLowerCase().split(/[\s,.;:!()[\]{}"]+/).filter(Boolean);
  const patterns = terms.map((term) => new RegExp(`(^|[^\\p{L}\\p{N}])${term.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[\\p{L}\\p{N}]*").replace(/\?/g, "[\\p{L}\\p{N}]")}`, "iu"));
  return (text) => patterns.length > 0 && patterns.every((pattern) => pattern.test(text));
}
