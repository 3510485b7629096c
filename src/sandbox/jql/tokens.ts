// The JQL tokenizer: words, quoted strings, operators, parentheses and commas, each with its position.
import { at, JqlError } from "./errors.ts";

export type Token =
  | { kind: "word"; text: string; position: number }
  | { kind: "string"; text: string; position: number }
  | { kind: "op"; text: "=" | "!=" | "~" | "!~" | "<" | ">" | "<=" | ">="; position: number }
  | { kind: "lparen" | "rparen" | "comma"; text: string; position: number };

const OPERATORS = ["!=", "!~", "<=", ">=", "=", "~", "<", ">"] as const;
const WORD_STOP = /[\s()=!<>~,"']/;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index]!;
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    if (char === "(" || char === ")" || char === ",") {
      tokens.push({ kind: char === "(" ? "lparen" : char === ")" ? "rparen" : "comma", text: char, position: index });
      index += 1;
      continue;
    }
    const operator = OPERATORS.find((candidate) => source.startsWith(candidate, index));
    if (operator) {
      tokens.push({ kind: "op", text: operator, position: index });
      index += operator.length;
      continue;
    }
    if (char === '"' || char === "'") {
      const start = index;
      let text = "";
      index += 1;
      while (index < source.length && source[index] !== char) {
        if (source[index] === "\\" && index + 1 < source.length) {
          const next = source[index + 1]!;
          text += next === "n" ? "\n" : next === "t" ? "\t" : next;
          index += 2;
        } else {
          text += source[index];
          index += 1;
        }
      }
      if (index >= source.length) {
        throw new JqlError(`Error in the JQL Query: The quoted string '${text}' has not been completed. ${at(start)}`);
      }
      index += 1;
      tokens.push({ kind: "string", text, position: start });
      continue;
    }
    const start = index;
    while (index < source.length && !WORD_STOP.test(source[index]!)) {
      // Brackets belong to the word: cf[10016], issue.property[key].path.
      if (source[index] === "[") {
        const close = source.indexOf("]", index);
        if (close < 0) throw new JqlError(`Error in the JQL Query: The character '[' at position ${index + 1} is not closed. ${at(index)}`);
        index = close + 1;
      } else index += 1;
    }
    if (index === start) throw new JqlError(`Error in the JQL Query: The character '${char}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}' instead. ${at(index)}`);
    tokens.push({ kind: "word", text: source.slice(start, index), position: start });
  }
  return tokens;
}
