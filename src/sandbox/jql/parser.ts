// The JQL parser: OR of ANDs of (NOT) clauses and parenthesised groups, then ORDER BY. History clauses
// (`field WAS value`, `field CHANGED`) carry their predicates (FROM, TO, BY, AFTER, BEFORE, ON, DURING), as in
// Jira's grammar (Jql.g: `field operator (operand historyPredicate? | historyPredicate?)`).
import { at, JqlError } from "./errors.ts";
import { tokenize, type Token } from "./tokens.ts";

export type Operator = "=" | "!=" | "~" | "!~" | "<" | ">" | "<=" | ">=" | "in" | "not in" | "is" | "is not";

export type HistoryOperator = "was" | "was not" | "was in" | "was not in" | "changed" | "not changed";

export type HistoryPredicateKind = "from" | "to" | "by" | "after" | "before" | "on" | "during";

export interface HistoryPredicate {
  kind: HistoryPredicateKind;
  value: JqlValue;
  position: number;
}

export type JqlValue =
  | { kind: "literal"; text: string; quoted: boolean; position: number }
  | { kind: "empty"; position: number }
  | { kind: "function"; name: string; args: string[]; position: number }
  | { kind: "list"; items: JqlValue[]; position: number };

export type JqlExpr =
  | { kind: "and" | "or"; children: JqlExpr[] }
  | { kind: "not"; child: JqlExpr }
  | { kind: "clause"; field: string; fieldPosition: number; operator: Operator; value: JqlValue }
  /** A history clause: `value` is null for CHANGED (which takes none). */
  | { kind: "history"; field: string; fieldPosition: number; operator: HistoryOperator; value: JqlValue | null; predicates: HistoryPredicate[] };

export interface JqlSort {
  field: string;
  direction: "asc" | "desc";
}

export interface JqlQuery {
  where: JqlExpr | null;
  orderBy: JqlSort[];
}

const VALID_OPERATORS = "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";
// Jira's reserved words include the history operators and predicates, so they cannot be bare values either.
const RESERVED = new Set(["and", "or", "not", "in", "is", "empty", "null", "order", "by", "asc", "desc", "was", "changed", "from", "to", "after", "before", "on", "during"]);
const PREDICATES: ReadonlySet<string> = new Set<HistoryPredicateKind>(["from", "to", "by", "after", "before", "on", "during"]);
const HISTORY_OPERATORS: ReadonlySet<string> = new Set<HistoryOperator>(["was", "was not", "was in", "was not in", "changed", "not changed"]);
/** Jira names operators by their enum constant in the predicate messages (Operator.toString()). */
const OPERATOR_NAMES: Record<Operator | HistoryOperator, string> = {
  "=": "EQUALS",
  "!=": "NOT_EQUALS",
  "~": "LIKE",
  "!~": "NOT_LIKE",
  "<": "LESS_THAN",
  ">": "GREATER_THAN",
  "<=": "LESS_THAN_EQUALS",
  ">=": "GREATER_THAN_EQUALS",
  in: "IN",
  "not in": "NOT_IN",
  is: "IS",
  "is not": "IS_NOT",
  was: "WAS",
  "was not": "WAS_NOT",
  "was in": "WAS_IN",
  "was not in": "WAS_NOT_IN",
  changed: "CHANGED",
  "not changed": "NOT_CHANGED",
};

/** How Jira shows an operand in messages: strings quoted, numbers bare, lists in parentheses. */
export function displayValue(value: JqlValue): string {
  switch (value.kind) {
    case "literal":
      return !value.quoted && /^-?\d+$/.test(value.text) ? value.text : `"${value.text}"`;
    case "empty":
      return "EMPTY";
    case "function":
      return `${value.name}(${value.args.join(", ")})`;
    case "list":
      return `(${value.items.map(displayValue).join(", ")})`;
  }
}

/** Jira's display of predicates: `after "-5m"`; several are each followed by a space (AndHistoryPredicate). */
function displayPredicates(predicates: HistoryPredicate[]): string {
  const shown = predicates.map((predicate) => `${predicate.kind} ${displayValue(predicate.value)}`);
  return shown.length === 1 ? shown[0]! : shown.map((text) => `${text} `).join("");
}

class Parser {
  private tokens: Token[];
  private index = 0;
  private source: string;

  constructor(source: string) {
    this.source = source;
    this.tokens = tokenize(source);
  }

  parse(): JqlQuery {
    let where: JqlExpr | null = null;
    if (this.peek() && !this.isWord("order")) where = this.or();
    const orderBy: JqlSort[] = [];
    if (this.isWord("order")) {
      this.next();
      if (!this.isWord("by")) throw this.error("Expecting 'BY' after 'ORDER'");
      this.next();
      do {
        const field = this.next();
        if (!field || (field.kind !== "word" && field.kind !== "string")) throw this.errorAt("Expecting a field name in the ORDER BY clause", field);
        let direction: "asc" | "desc" = "asc";
        if (this.isWord("asc") || this.isWord("desc")) direction = this.next()!.text.toLowerCase() as "asc" | "desc";
        orderBy.push({ field: field.text, direction });
      } while (this.peek()?.kind === "comma" && this.next());
    }
    const rest = this.peek();
    if (rest) {
      throw new JqlError(`Error in the JQL Query: Expecting either 'OR' or 'AND' but got '${rest.text}'. ${at(rest.position)}`);
    }
    if (orderBy.length > 7) throw new JqlError("The ORDER BY clause may name at most 7 fields.");
    return { where, orderBy };
  }

  private or(): JqlExpr {
    const children = [this.and()];
    while (this.isWord("or")) {
      this.next();
      children.push(this.and());
    }
    return children.length === 1 ? children[0]! : { kind: "or", children };
  }

  private and(): JqlExpr {
    const children = [this.unary()];
    while (this.isWord("and")) {
      this.next();
      children.push(this.unary());
    }
    return children.length === 1 ? children[0]! : { kind: "and", children };
  }

  private unary(): JqlExpr {
    if (this.isWord("not") && !this.isOperatorNext()) {
      this.next();
      return { kind: "not", child: this.unary() };
    }
    const token = this.peek();
    if (token?.kind === "lparen") {
      this.next();
      const inner = this.or();
      if (this.peek()?.kind !== "rparen") throw this.errorAt("Expecting ')' to close the group", this.peek());
      this.next();
      return inner;
    }
    return this.clause();
  }

  /** "not" used as a field name, followed by an operator. */
  private isOperatorNext(): boolean {
    return this.tokens[this.index + 1]?.kind === "op";
  }

  private clause(): JqlExpr {
    const field = this.next();
    if (!field || field.kind === "rparen" || field.kind === "comma" || field.kind === "op" || field.kind === "lparen") {
      throw new JqlError(`Error in the JQL Query: Expecting a field name but got ${field ? `'${field.text}'` : "the end of the query"}. ${at(field?.position ?? this.source.length)}`);
    }
    const operator = this.operator();
    if (HISTORY_OPERATORS.has(operator)) return this.historyClause(field, operator as HistoryOperator);
    const value = this.value(operator as Operator);
    if (this.isPredicateNext()) {
      // Jira's grammar reads predicates after any operand, then refuses them for operators without history.
      throw new JqlError(`Error in JQL Query: The ${OPERATOR_NAMES[operator]} operator does not support the use of the ${displayPredicates(this.predicates())} predicate.`);
    }
    return { kind: "clause", field: field.text, fieldPosition: field.position, operator: operator as Operator, value };
  }

  /** `field WAS [NOT] [IN] operand predicates*` or `field [NOT] CHANGED predicates*`. */
  private historyClause(field: Token, operator: HistoryOperator): JqlExpr {
    let value: JqlValue | null = null;
    if (operator === "changed" || operator === "not changed") {
      const next = this.peek();
      if (next && !this.isPredicateNext() && next.kind !== "rparen" && !this.isWord("and") && !this.isWord("or") && !this.isWord("order")) {
        const operand = this.operand();
        throw new JqlError(`Error in JQL Query: The ${OPERATOR_NAMES[operator]} operator does not support the use of values without predicates. You must prefix the ${displayValue(operand)} value with a suitable predicate.`);
      }
    } else {
      if (!this.peek()) throw new JqlError(`Error in the JQL Query: Expecting either a value, list or function but got 'EOF'. ${at(this.source.length)}`);
      value = this.operand();
    }
    const predicates = this.predicates();
    if (operator.startsWith("was")) {
      // Jira documents AFTER, BEFORE, BY, DURING and ON for WAS; FROM and TO describe a change, not a value held.
      const change = predicates.find((predicate) => predicate.kind === "from" || predicate.kind === "to");
      if (change) throw new JqlError(`Error in JQL Query: The ${OPERATOR_NAMES[operator]} operator does not support the use of the ${displayPredicates([change])} predicate.`);
    }
    return { kind: "history", field: field.text, fieldPosition: field.position, operator, value, predicates };
  }

  private isPredicateNext(): boolean {
    const token = this.peek();
    return token?.kind === "word" && PREDICATES.has(token.text.toLowerCase());
  }

  private predicates(): HistoryPredicate[] {
    const predicates: HistoryPredicate[] = [];
    while (this.isPredicateNext()) {
      const keyword = this.next()!;
      if (!this.peek()) throw new JqlError(`Error in the JQL Query: Expecting either a value, list or function but got 'EOF'. ${at(this.source.length)}`);
      predicates.push({ kind: keyword.text.toLowerCase() as HistoryPredicateKind, value: this.operand(), position: keyword.position });
    }
    return predicates;
  }

  /** A value, function, EMPTY or parenthesised list. */
  private operand(): JqlValue {
    const token = this.peek();
    if (token?.kind !== "lparen") return this.single();
    return this.list();
  }

  private list(): JqlValue {
    const open = this.next()!;
    const items: JqlValue[] = [];
    while (this.peek() && this.peek()!.kind !== "rparen") {
      items.push(this.single());
      if (this.peek()?.kind === "comma") this.next();
      else break;
    }
    if (!this.peek()) throw new JqlError("Error in the JQL Query: Expecting ')' before the end of the query.");
    if (this.peek()?.kind !== "rparen") throw this.errorAt("Expecting ')' to close the list", this.peek());
    this.next();
    return { kind: "list", items, position: open.position };
  }

  private operator(): Operator | HistoryOperator {
    const token = this.next();
    if (token?.kind === "op") return token.text;
    if (token?.kind === "word") {
      const word = token.text.toLowerCase();
      if (word === "in") return "in";
      if (word === "is") {
        if (this.isWord("not")) {
          this.next();
          return "is not";
        }
        return "is";
      }
      if (word === "not" && this.isWord("in")) {
        this.next();
        return "not in";
      }
      if (word === "not" && this.isWord("changed")) {
        // Jira turns `NOT field CHANGED` into this operator (NOT_CHANGED); the sandbox also reads it written out.
        this.next();
        return "not changed";
      }
      if (word === "changed") return "changed";
      if (word === "was") {
        const not = this.isWord("not");
        if (not) this.next();
        if (this.isWord("in")) {
          this.next();
          return not ? "was not in" : "was in";
        }
        return not ? "was not" : "was";
      }
    }
    throw new JqlError(`Error in the JQL Query: Expecting operator but got '${token ? token.text : "EOF"}'. ${VALID_OPERATORS} ${at(token?.position ?? this.source.length)}`);
  }

  private value(operator: Operator): JqlValue {
    const token = this.peek();
    if (!token) throw new JqlError(`Error in the JQL Query: Expecting either a value, list or function but got 'EOF'. ${at(this.source.length)}`);
    if (operator === "in" || operator === "not in") {
      if (token.kind !== "lparen") {
        if (token.kind === "word" && this.tokens[this.index + 1]?.kind === "lparen") return this.single();
        throw this.errorAt("Expecting a list of values in parentheses after 'IN'", token);
      }
      return this.list();
    }
    const single = this.single();
    if ((operator === "is" || operator === "is not") && single.kind !== "empty") {
      throw new JqlError(`Error in the JQL Query: The operator '${operator.toUpperCase()}' can only be used with the value 'EMPTY' or 'NULL'. ${at(single.position)}`);
    }
    return single;
  }

  private single(): JqlValue {
    const token = this.next();
    if (!token || token.kind === "rparen" || token.kind === "comma" || token.kind === "op" || token.kind === "lparen") {
      throw new JqlError(`Error in the JQL Query: Expecting either a value, list or function but got '${token ? token.text : "EOF"}'. ${at(token?.position ?? this.source.length)}`);
    }
    if (token.kind === "word") {
      const lower = token.text.toLowerCase();
      if (lower === "empty" || lower === "null") return { kind: "empty", position: token.position };
      if (this.peek()?.kind === "lparen") {
        this.next();
        const args: string[] = [];
        while (this.peek() && this.peek()!.kind !== "rparen") {
          const arg = this.next()!;
          if (arg.kind === "word" || arg.kind === "string") args.push(arg.text);
          if (this.peek()?.kind === "comma") this.next();
        }
        if (this.peek()?.kind !== "rparen") throw this.errorAt(`Expecting ')' to close the call of ${token.text}()`, this.peek());
        this.next();
        return { kind: "function", name: token.text, args, position: token.position };
      }
      if (RESERVED.has(lower)) {
        throw new JqlError(`Error in the JQL Query: '${token.text}' is a reserved JQL word. You must surround it in quotation marks to use it in a query. ${at(token.position)}`);
      }
    }
    return { kind: "literal", text: token.text, quoted: token.kind === "string", position: token.position };
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private next(): Token | undefined {
    return this.tokens[this.index++];
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token?.kind === "word" && token.text.toLowerCase() === word;
  }

  private error(message: string): JqlError {
    return this.errorAt(message, this.peek());
  }

  private errorAt(message: string, token: Token | undefined): JqlError {
    return new JqlError(`Error in the JQL Query: ${message} but got ${token ? `'${token.text}'` : "the end of the query"}. ${at(token?.position ?? this.source.length)}`);
  }
}

export function parseJql(source: string): JqlQuery {
  return new Parser(source).parse();
}

/** Bounded = the query restricts something (the enhanced search refuses unbounded JQL). */
export function isBounded(query: JqlQuery): boolean {
  const bounded = (expr: JqlExpr): boolean => {
    if (expr.kind === "clause" || expr.kind === "history") return true;
    if (expr.kind === "not") return bounded(expr.child);
    if (expr.kind === "and") return expr.children.some(bounded);
    return expr.children.every(bounded);
  };
  return query.where !== null && bounded(query.where);
}
