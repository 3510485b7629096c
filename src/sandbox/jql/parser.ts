// The JQL parser: OR of ANDs of (NOT) clauses and parenthesised groups, then ORDER BY.
import { at, JqlError } from "./errors.ts";
import { tokenize, type Token } from "./tokens.ts";

export type Operator = "=" | "!=" | "~" | "!~" | "<" | ">" | "<=" | ">=" | "in" | "not in" | "is" | "is not";

export type JqlValue =
  | { kind: "literal"; text: string; quoted: boolean; position: number }
  | { kind: "empty"; position: number }
  | { kind: "function"; name: string; args: string[]; position: number }
  | { kind: "list"; items: JqlValue[]; position: number };

export type JqlExpr =
  | { kind: "and" | "or"; children: JqlExpr[] }
  | { kind: "not"; child: JqlExpr }
  | { kind: "clause"; field: string; fieldPosition: number; operator: Operator; value: JqlValue };

export interface JqlSort {
  field: string;
  direction: "asc" | "desc";
}

export interface JqlQuery {
  where: JqlExpr | null;
  orderBy: JqlSort[];
}

const VALID_OPERATORS = "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";
const RESERVED = new Set(["and", "or", "not", "in", "is", "empty", "null", "order", "by", "asc", "desc"]);

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
    const value = this.value(operator);
    return { kind: "clause", field: field.text, fieldPosition: field.position, operator, value };
  }

  private operator(): Operator {
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
      this.next();
      const items: JqlValue[] = [];
      while (this.peek() && this.peek()!.kind !== "rparen") {
        items.push(this.single());
        if (this.peek()?.kind === "comma") this.next();
        else break;
      }
      if (this.peek()?.kind !== "rparen") throw this.errorAt("Expecting ')' to close the list", this.peek());
      this.next();
      return { kind: "list", items, position: token.position };
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
    if (expr.kind === "clause") return true;
    if (expr.kind === "not") return bounded(expr.child);
    if (expr.kind === "and") return expr.children.some(bounded);
    return expr.children.every(bounded);
  };
  return query.where !== null && bounded(query.where);
}
