// Jira wiki markup → ADF: the block structure (headings, lists, code, quotes, panels, tables, rules, paragraphs)
// and inline marks (bold, italic, strike, underline, monospace, links, mentions, colour).
import type { AdfDoc, AdfNode } from "./adf.ts";
import { ESCAPABLE, MACRO_PANELS, MARKER_TO_MARK, PANEL_COLOURS, sortMarks, type Mark } from "./marks.ts";

// Escaped characters are swapped for private-use placeholders before the inline patterns run,
// so `\*` can never open or close a mark, then swapped back when text nodes are made.
const PLACEHOLDER_BASE = 0xe000;

function hideEscapes(source: string): string {
  return source.replace(/\\(.)/g, (whole, char: string) => {
    const index = ESCAPABLE.indexOf(char);
    return index === -1 ? whole : String.fromCharCode(PLACEHOLDER_BASE + index);
  });
}

function restoreEscapes(source: string): string {
  return source.replace(/[\ue000-\ue0ff]/g, (char) => ESCAPABLE[char.charCodeAt(0) - PLACEHOLDER_BASE] ?? char);
}

type Rule = { pattern: RegExp; build: (match: RegExpExecArray, marks: Mark[]) => AdfNode[] };

/** Jira's boundary rule for simple markers: open after a non-word character, close before one, no padding spaces. */
function simpleMarker(marker: string): RegExp {
  const m = `\\${marker}`;
  return new RegExp(`(?<![\\w${m}])${m}(?=[^\\s${m}])([^${m}\\n]*?[^\\s${m}])${m}(?![\\w${m}])`);
}

function mention(id: string): AdfNode {
  return { type: "mention", attrs: { id, text: `@${id}` } };
}

/** Inline wiki patterns, tried at each position; the earliest match wins, ties go to the first rule. */
const INLINE: Rule[] = [
  { pattern: /\{\{([^\n]+?)\}\}/, build: (m, marks) => [text(m[1]!, [...marks, { type: "code" }])] },
  { pattern: /\{([*_+\-^~])\}(.+?)\{\1\}/, build: (m, marks) => parseSegment(m[2]!, [...marks, MARKER_TO_MARK[m[1]!]!]) },
  { pattern: /\[~accountid:([^\]\s]+)\]/, build: (m) => [mention(m[1]!)] },
  { pattern: /\[~([^\]\s]+)\]/, build: (m) => [mention(m[1]!)] },
  { pattern: /\[([^|\]\n]+)\|([^\]\n]+)\]/, build: (m, marks) => parseSegment(m[1]!, [...marks, { type: "link", attrs: { href: restoreEscapes(m[2]!.trim()) } }]) },
  { pattern: /\[((?:https?|mailto|ftp|file):[^\]\s]+)\]/, build: (m, marks) => [text(m[1]!, [...marks, { type: "link", attrs: { href: restoreEscapes(m[1]!) } }])] },
  { pattern: /\{color:([^}]+)\}([\s\S]+?)\{color\}/, build: (m, marks) => parseSegment(m[2]!, [...marks, { type: "textColor", attrs: { color: m[1]! } }]) },
  ...Object.keys(MARKER_TO_MARK).map(
    (marker): Rule => ({ pattern: simpleMarker(marker), build: (m, marks) => parseSegment(m[1]!, [...marks, MARKER_TO_MARK[marker]!]) }),
  ),
  // A bare URL becomes a link; trailing punctuation belongs to the sentence, not the URL.
  {
    pattern: /(?<![\w/])((?:https?|ftp):\/\/[^\s\]|<>"\ue000-\ue0ff]*[^\s\]|<>".,;:!?)'\ue000-\ue0ff])/,
    build: (m, marks) => [text(m[1]!, [...marks, { type: "link", attrs: { href: m[1]! } }])],
  },
];

function text(value: string, marks: Mark[]): AdfNode {
  const plain = restoreEscapes(value);
  return marks.length ? { type: "text", text: plain, marks: sortMarks(marks) } : { type: "text", text: plain };
}

function parseSegment(source: string, marks: Mark[]): AdfNode[] {
  const nodes: AdfNode[] = [];
  let rest = source;
  while (rest.length > 0) {
    let best: { match: RegExpExecArray; rule: Rule } | null = null;
    for (const rule of INLINE) {
      const match = rule.pattern.exec(rest);
      if (match && (best === null || match.index < best.match.index)) best = { match, rule };
    }
    if (!best) {
      pushText(nodes, rest, marks);
      break;
    }
    if (best.match.index > 0) pushText(nodes, rest.slice(0, best.match.index), marks);
    nodes.push(...best.rule.build(best.match, marks));
    rest = rest.slice(best.match.index + best.match[0].length);
  }
  return nodes;
}

/** Inline wiki → inline ADF nodes (text with marks, hard breaks, mentions). */
export function parseInline(source: string, marks: Mark[] = []): AdfNode[] {
  return mergeText(parseSegment(hideEscapes(source), marks));
}

/** Text with line breaks becomes text and hardBreak nodes. */
function pushText(nodes: AdfNode[], value: string, marks: Mark[]) {
  value.split("\n").forEach((line, index) => {
    if (index > 0) nodes.push({ type: "hardBreak" });
    if (line !== "") nodes.push(text(line, marks));
  });
}

/** Neighbouring text nodes with the same marks are one node in ADF. */
export function mergeText(nodes: AdfNode[]): AdfNode[] {
  const out: AdfNode[] = [];
  for (const node of nodes) {
    const last = out[out.length - 1];
    if (last && last.type === "text" && node.type === "text" && JSON.stringify(last.marks ?? []) === JSON.stringify(node.marks ?? [])) {
      out[out.length - 1] = { ...last, text: (last.text ?? "") + (node.text ?? "") };
    } else out.push(node);
  }
  return out;
}

function paragraph(source: string): AdfNode {
  const content = parseInline(source);
  return content.length ? { type: "paragraph", content } : { type: "paragraph" };
}

const HEADING = /^h([1-6])\.\s+(.*)$/;
const RULE = /^-{4}$/;
const QUOTE_LINE = /^bq\.\s+(.*)$/;
const LIST_LINE = /^([*#]+|-)\s+(.*)$/;
const BLOCK_MACRO = /^\{(code|noformat|quote|panel|info|note|warning|tip)(?::([^}]*))?\}/;

/** Whether a line opens a block of its own (and so ends a paragraph, list item or table cell before it). */
function startsBlock(trimmed: string): boolean {
  return HEADING.test(trimmed) || RULE.test(trimmed) || QUOTE_LINE.test(trimmed) || BLOCK_MACRO.test(trimmed) || (LIST_LINE.test(trimmed) && !RULE.test(trimmed)) || trimmed.startsWith("|");
}

function macroParams(raw: string | undefined): { positional: string[]; named: Record<string, string> } {
  const positional: string[] = [];
  const named: Record<string, string> = {};
  for (const part of (raw ?? "").split("|")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    if (eq === -1) positional.push(part.trim());
    else named[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return { positional, named };
}

function panelAttrs(name: string, raw: string | undefined): Record<string, unknown> {
  if (name !== "panel") return { panelType: MACRO_PANELS[name] ?? "info" };
  // {panel} carries its meaning in its colour; ADF has fixed panel types and "custom" for any other colour.
  const colour = macroParams(raw).named.bgColor?.toLowerCase();
  if (!colour) return { panelType: "info" };
  const known = Object.entries(PANEL_COLOURS).find(([, value]) => value === colour);
  return known ? { panelType: known[0] } : { panelType: "custom", panelColor: colour };
}

/** One list line: its marker string (e.g. "#*") and its text, continuation lines joined with newlines. */
type ListLine = { markers: string; text: string };

function listType(marker: string): string {
  return marker === "#" ? "orderedList" : "bulletList";
}

/** Nested lists: an item's deeper lines go into a list inside that item, of the kind its last marker says. */
function buildList(items: ListLine[], depth = 1): AdfNode {
  const list: AdfNode = { type: listType(items[0]!.markers[depth - 1]!), content: [] };
  let index = 0;
  while (index < items.length) {
    const item = items[index]!;
    let listItem: AdfNode;
    if (item.markers.length === depth) {
      listItem = { type: "listItem", content: [paragraph(item.text)] };
      index += 1;
    } else {
      // A deeper line without a parent at this depth hangs off an empty item, as Jira renders it.
      listItem = { type: "listItem", content: [{ type: "paragraph" }] };
    }
    // Children: deeper lines; each run of the same kind at depth+1 is one nested list.
    while (index < items.length && items[index]!.markers.length > depth) {
      const kind = items[index]!.markers[depth]!;
      const run: ListLine[] = [];
      while (index < items.length && items[index]!.markers.length > depth && items[index]!.markers[depth] === kind) run.push(items[index++]!);
      listItem.content!.push(buildList(run, depth + 1));
    }
    list.content!.push(listItem);
  }
  return list;
}

/** Splits a table row into cells, honouring escapes, links ([a|b]) and monospace ({{a|b}}) that contain pipes. */
function splitRow(row: string): AdfNode[] {
  const cells: { header: boolean; text: string }[] = [];
  let current: { header: boolean; text: string } | null = null;
  let bracket = 0;
  let code = false;
  for (let i = 0; i < row.length; i++) {
    const char = row[i]!;
    if (char === "\\" && i + 1 < row.length) {
      if (current) current.text += char + row[i + 1];
      i += 1;
      continue;
    }
    if (!code && row.startsWith("{{", i)) code = true;
    else if (code && row.startsWith("}}", i)) code = false;
    if (char === "[" && !code) bracket += 1;
    if (char === "]" && !code && bracket > 0) bracket -= 1;
    if (char === "|" && bracket === 0 && !code) {
      const header = row[i + 1] === "|";
      if (header) i += 1;
      if (current) cells.push(current);
      current = { header, text: "" };
      continue;
    }
    if (current) current.text += char;
  }
  // The closing pipe leaves an empty last "cell"; a row without one keeps its last cell.
  if (current && current.text.trim() !== "") cells.push(current);
  return cells.map((cell) => ({ type: cell.header ? "tableHeader" : "tableCell", content: [paragraph(cell.text.trim())] }));
}

function parseLines(lines: string[]): AdfNode[] {
  const out: AdfNode[] = [];
  let buffer: string[] = [];
  const flush = () => {
    if (buffer.length) out.push(paragraph(buffer.join("\n")));
    buffer = [];
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const trimmed = line.trim();
    if (trimmed === "") {
      flush();
      continue;
    }
    const heading = HEADING.exec(trimmed);
    if (heading) {
      flush();
      const content = parseInline(heading[2]!);
      out.push({ type: "heading", attrs: { level: Number(heading[1]) }, ...(content.length ? { content } : {}) });
      continue;
    }
    if (RULE.test(trimmed)) {
      flush();
      out.push({ type: "rule" });
      continue;
    }
    const quote = QUOTE_LINE.exec(trimmed);
    if (quote) {
      flush();
      out.push({ type: "blockquote", content: [paragraph(quote[1]!)] });
      continue;
    }
    const macro = BLOCK_MACRO.exec(trimmed);
    if (macro) {
      flush();
      const name = macro[1]!;
      const closing = `{${name}}`;
      const body: string[] = [];
      // The body runs to the closing tag, which may sit on the opening line, its own line, or end a content line.
      let rest = trimmed.slice(macro[0].length);
      let closed = false;
      for (;;) {
        const end = rest.indexOf(closing);
        if (end !== -1) {
          if (end > 0 || body.length === 0) body.push(rest.slice(0, end));
          const after = rest.slice(end + closing.length);
          if (after.trim() !== "") lines.splice(index + 1, 0, after);
          closed = true;
          break;
        }
        if (rest !== "" || body.length > 0) body.push(rest);
        if (index + 1 >= lines.length) break;
        rest = lines[++index]!;
      }
      if (!closed && body.length && body[body.length - 1] === "") body.pop();
      const inner = body.join("\n");
      if (name === "code" || name === "noformat") {
        const params = macroParams(macro[2]);
        const language = name === "code" ? (params.named.language ?? params.positional[0] ?? null) : null;
        out.push({ type: "codeBlock", ...(language ? { attrs: { language } } : {}), ...(inner ? { content: [{ type: "text", text: inner }] } : {}) });
      } else if (name === "quote") {
        out.push({ type: "blockquote", content: nonEmpty(parseLines(inner.split("\n"))) });
      } else {
        out.push({ type: "panel", attrs: panelAttrs(name, macro[2]), content: nonEmpty(parseLines(inner.split("\n"))) });
      }
      continue;
    }
    if (LIST_LINE.test(trimmed)) {
      flush();
      const items: ListLine[] = [];
      const kind = trimmed[0] === "-" ? "*" : trimmed[0];
      while (index < lines.length) {
        const current = lines[index]!.trim();
        const match = LIST_LINE.exec(current);
        if (match) {
          const markers = match[1] === "-" ? "*" : match[1]!;
          if (markers[0] !== kind) break; // a list of the other kind starts here
          items.push({ markers, text: match[2]! });
        } else if (current !== "" && !startsBlock(current)) {
          items[items.length - 1]!.text += `\n${lines[index]!}`; // a continuation line stays in its item
        } else break;
        index += 1;
      }
      index -= 1;
      out.push(buildList(items));
      continue;
    }
    if (trimmed.startsWith("|")) {
      flush();
      const rows: string[] = [];
      while (index < lines.length) {
        const current = lines[index]!.trim();
        if (current.startsWith("|")) rows.push(current);
        else if (current !== "" && !startsBlock(current)) rows[rows.length - 1] += `\n${current}`; // a cell spanning lines
        else break;
        index += 1;
      }
      index -= 1;
      out.push({ type: "table", attrs: { isNumberColumnEnabled: false, layout: "default" }, content: rows.map((row) => ({ type: "tableRow", content: splitRow(row) })) });
      continue;
    }
    buffer.push(line);
  }
  flush();
  return out;
}

/** Container nodes (quote, panel) need at least one block child in ADF. */
function nonEmpty(nodes: AdfNode[]): AdfNode[] {
  return nodes.length ? nodes : [{ type: "paragraph" }];
}

export function wikiToAdf(source: string): AdfDoc {
  if (source.trim() === "") return { type: "doc", version: 1, content: [] };
  return { type: "doc", version: 1, content: parseLines(source.replace(/\r\n?/g, "\n").split("\n")) };
}
