// ADF → Jira wiki markup, as Jira renders Cloud content for REST v2 and webhook bodies.
// The output is the canonical wiki form: parsing it back (wiki-to-adf.ts) gives the same document.
import type { AdfDoc, AdfNode } from "./adf.ts";
import { ESCAPABLE, markerFor, PANEL_COLOURS, PANEL_MACROS, sortMarks, type Mark } from "./marks.ts";
import { mergeText, parseInline } from "./wiki-to-adf.ts";

export interface AdfToWikiOptions {
  /** "accountid" (Cloud, the default) writes [~accountid:ID]; "username" (Data Center) writes [~ID]. */
  mentions?: "accountid" | "username";
}

type Context = { mentions: "accountid" | "username"; inTable: boolean; escapeAll?: boolean };

const INLINE_SPECIALS = new RegExp(`[${ESCAPABLE.replace(/[\\\]^-]/g, "\\$&").replace(/[#.!]/g, "")}]`, "g");

/** What a round trip must preserve of inline content: text, marks, breaks, who is mentioned. */
function shape(nodes: AdfNode[]): string {
  return JSON.stringify(
    mergeText(nodes.map((node) => (node.type === "text" && node.marks ? { ...node, marks: sortMarks(node.marks) } : node))).map((node) =>
      node.type === "text" ? [node.text, node.marks ?? []] : node.type === "mention" ? ["@", node.attrs?.id] : [node.type],
    ),
  );
}

/** Escapes the characters that could open or close markup: markers touching a non-space, braces, brackets, backslashes before them. */
function escapeActive(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    const before = value[i - 1] ?? " ";
    const after = value[i + 1] ?? " ";
    const free = (c: string) => /\s/.test(c);
    const word = (c: string) => /\w/.test(c);
    let escape = false;
    if ("*_-+^~".includes(char)) escape = !(free(before) && free(after)) && !(word(before) && word(after));
    else if ("{}[]".includes(char)) escape = true;
    else if (char === "\\") escape = ESCAPABLE.includes(after);
    out += escape ? `\\${char}` : char;
  }
  return out;
}

/** Text is written as is unless wiki would read markup into it; then its special characters are escaped. */
function escapeText(value: string, ctx: Context, inLink: boolean): string {
  const readsBack = (candidate: string) => shape(parseInline(candidate)) === shape([{ type: "text", text: value }]);
  let out = value;
  if (ctx.escapeAll) out = value.replace(INLINE_SPECIALS, "\\$&");
  else if (!readsBack(out)) {
    // Prefer escaping only characters that can act as markup; escape every special character if that is not enough.
    const minimal = escapeActive(value);
    out = readsBack(minimal) ? minimal : value.replace(INLINE_SPECIALS, "\\$&");
  }
  // A trailing backslash would escape whatever follows the text (a marker, a pipe, a mention's bracket).
  if (/(?:^|[^\\])(?:\\\\)*\\$/.test(out)) out += "\\";
  if (ctx.inTable) out = out.replace(/(?<!\\)\|/g, "\\|");
  if (inLink) out = out.replace(/(?<!\\)[|\]]/g, "\\$&");
  return out;
}

/** Group order: marks by schema rank with the link innermost, since wiki links wrap text, not marks around it. */
function groupMarks(node: AdfNode): Mark[] {
  const marks = sortMarks(node.marks ?? []).filter((mark) => mark.type !== "code");
  return [...marks.filter((mark) => mark.type !== "link"), ...marks.filter((mark) => mark.type === "link")];
}

const sameMark = (a: Mark, b: Mark) => JSON.stringify(a) === JSON.stringify(b);

function openMark(mark: Mark, braced: boolean): string {
  const marker = markerFor(mark);
  if (marker) return braced ? `{${marker}}` : marker;
  if (mark.type === "textColor") return `{color:${String(mark.attrs?.color ?? "")}}`;
  if (mark.type === "link") return "[";
  return "";
}

function closeMark(mark: Mark, braced: boolean): string {
  const marker = markerFor(mark);
  if (marker) return braced ? `{${marker}}` : marker;
  if (mark.type === "textColor") return "{color}";
  if (mark.type === "link") return `|${String(mark.attrs?.href ?? "")}]`;
  return "";
}

/**
 * Marks shared by neighbouring nodes open once and close once (_a [b|url]_ rather than _a_[_b_|url]),
 * the way people write wiki markup; each node's own marks open after the shared ones.
 */
function serializeInline(nodes: AdfNode[], ctx: Context, braced: boolean): string {
  let out = "";
  const active: Mark[] = [];
  const closeTo = (depth: number) => {
    while (active.length > depth) out += closeMark(active.pop()!, braced);
  };
  nodes.forEach((node, index) => {
    const marks = node.type === "text" ? groupMarks(node) : [];
    let common = 0;
    while (common < active.length && common < marks.length && sameMark(active[common]!, marks[common]!)) common += 1;
    closeTo(common);
    const raw = node.text ?? "";
    const link = marks[marks.length - 1]?.type === "link" ? marks[marks.length - 1]! : null;
    const nextShares = link !== null && (nodes[index + 1]?.marks ?? []).some((mark) => sameMark(mark, link));
    // A link whose text is its URL is written bare (or [url] where a bare URL would run into braces).
    if (link && raw === link.attrs?.href && !nextShares && !node.marks?.some((mark) => mark.type === "code")) {
      for (const mark of marks.slice(common, -1)) {
        out += openMark(mark, braced);
        active.push(mark);
      }
      out += braced ? `[${raw}]` : raw;
      return;
    }
    for (const mark of marks.slice(common)) {
      out += openMark(mark, braced);
      active.push(mark);
    }
    out += node.type === "text" ? textBody(node, ctx, active.some((mark) => mark.type === "link")) : inlineNode(node, ctx);
  });
  closeTo(0);
  return out;
}

function textBody(node: AdfNode, ctx: Context, inLink: boolean): string {
  const raw = node.text ?? "";
  return node.marks?.some((mark) => mark.type === "code") ? `{{${raw}}}` : escapeText(raw, ctx, inLink);
}

function inlineNode(node: AdfNode, ctx: Context): string {
  switch (node.type) {
    case "text":
      return textBody(node, ctx, false);
    case "hardBreak":
      return "\n";
    case "mention":
      return ctx.mentions === "username" ? `[~${String(node.attrs?.id ?? "")}]` : `[~accountid:${String(node.attrs?.id ?? "")}]`;
    case "emoji":
      return String(node.attrs?.text ?? node.attrs?.shortName ?? "");
    case "inlineCard":
      return `[${String(node.attrs?.url ?? "")}]`;
    case "date":
      return new Date(Number(node.attrs?.timestamp ?? 0)).toISOString().slice(0, 10);
    case "status":
      return String(node.attrs?.text ?? "");
    case "mediaInline":
      return `!${String(node.attrs?.alt ?? node.attrs?.id ?? "attachment")}!`;
    default:
      return inlineNodes(node.content ?? [], ctx);
  }
}

/**
 * Simple markers (*bold*) read best but only work at word boundaries; when the plain form would not read
 * back as the same content, Jira's braced markers ({*}bold{*}) are used, which work anywhere.
 */
function inlineNodes(nodes: AdfNode[], ctx: Context): string {
  const simple = serializeInline(nodes, ctx, false);
  const expected = shape(nodes);
  if (shape(parseInline(simple)) === expected) return simple;
  // Markup can also form across nodes ("+" text, a mention, "+" text): then every special character is escaped.
  for (const candidate of [serializeInline(nodes, ctx, true), serializeInline(nodes, { ...ctx, escapeAll: true }, false), serializeInline(nodes, { ...ctx, escapeAll: true }, true)]) {
    if (shape(parseInline(candidate)) === expected) return candidate;
  }
  return simple;
}

/** A text line that would open a block (list, heading, table…) is escaped so it stays paragraph text. */
function escapeLineStarts(text: string): string {
  return text
    .split("\n")
    .map((line) =>
      line
        .replace(/^(\s*)(h[1-6]|bq)\.(?=\s)/, "$1$2\\.")
        .replace(/^(\s*)(?=(?:[*#]+|-)\s|\||-{4}$|\{(?:code|noformat|quote|panel|info|note|warning|tip)\b)/, "$1\\"),
    )
    .join("\n");
}

function paragraphText(node: AdfNode, ctx: Context): string {
  return escapeLineStarts(inlineNodes(node.content ?? [], ctx));
}

function list(node: AdfNode, prefix: string, ctx: Context): string[] {
  const marker = prefix + (node.type === "orderedList" ? "#" : "*");
  const lines: string[] = [];
  for (const item of node.content ?? []) {
    const text: string[] = [];
    const nested: string[] = [];
    for (const child of item.content ?? []) {
      if (child.type === "bulletList" || child.type === "orderedList") nested.push(...list(child, marker, ctx));
      // Wiki list items hold one paragraph; further blocks become continuation lines of it.
      else text.push(child.type === "paragraph" ? inlineNodes(child.content ?? [], ctx) : block(child, ctx));
    }
    const body = text.join("\n");
    if (body !== "" || nested.length === 0) lines.push(`${marker} ${escapeLineStarts(body)}`);
    lines.push(...nested);
  }
  return lines;
}

function panel(node: AdfNode, ctx: Context): string {
  const type = String(node.attrs?.panelType ?? "info");
  const body = blocks(node.content, ctx);
  const macro = PANEL_MACROS[type];
  if (macro) return `{${macro}}\n${body}\n{${macro}}`;
  // Panel types without a wiki macro keep their meaning in the panel's colour.
  const colour = type === "custom" ? String(node.attrs?.panelColor ?? "") : (PANEL_COLOURS[type] ?? "");
  return `{panel${colour ? `:bgColor=${colour}` : ""}}\n${body}\n{panel}`;
}

function table(node: AdfNode, ctx: Context): string {
  const cellCtx = { ...ctx, inTable: true };
  return (node.content ?? [])
    .map((row) => {
      const cells = (row.content ?? []).map((cell) => {
        const separator = cell.type === "tableHeader" ? "||" : "|";
        const text = (cell.content ?? []).map((child) => (child.type === "paragraph" ? inlineNodes(child.content ?? [], cellCtx) : block(child, cellCtx))).join("\n");
        // An empty cell needs a space, or its two pipes would read as a header separator.
        return `${separator}${text === "" ? " " : text}`;
      });
      const last = row.content?.[row.content.length - 1];
      return `${cells.join("")}${last?.type === "tableHeader" ? "||" : "|"}`;
    })
    .join("\n");
}

function block(node: AdfNode, ctx: Context): string {
  switch (node.type) {
    case "paragraph":
      return paragraphText(node, ctx);
    case "heading":
      return `h${Number(node.attrs?.level ?? 1)}. ${inlineNodes(node.content ?? [], ctx)}`;
    case "bulletList":
    case "orderedList":
      return list(node, "", ctx).join("\n");
    case "codeBlock": {
      const body = (node.content ?? []).map((child) => child.text ?? "").join("");
      // Jira writes code without a language as {noformat}: it has no highlighting either.
      return node.attrs?.language ? `{code:${String(node.attrs.language)}}\n${body}\n{code}` : `{noformat}\n${body}\n{noformat}`;
    }
    case "blockquote":
      return `{quote}\n${blocks(node.content, ctx)}\n{quote}`;
    case "rule":
      return "----";
    case "panel":
      return panel(node, ctx);
    case "table":
      return table(node, ctx);
    case "mediaSingle":
    case "mediaGroup":
      return (node.content ?? []).map((media) => `!${String(media.attrs?.alt ?? media.attrs?.id ?? "attachment")}!`).join(" ");
    case "taskList":
    case "decisionList":
      return (node.content ?? []).map((item) => `* ${inlineNodes(item.content ?? [], ctx)}`).join("\n");
    case "expand":
    case "nestedExpand":
    case "layoutSection":
    case "layoutColumn":
    case "bodiedExtension":
      return blocks(node.content, ctx);
    default:
      return inlineNodes(node.content ?? [], ctx);
  }
}

function blocks(nodes: AdfNode[] | undefined, ctx: Context): string {
  return (nodes ?? []).map((node) => block(node, ctx)).join("\n\n");
}

export function adfToWiki(doc: AdfDoc, options: AdfToWikiOptions = {}): string {
  return blocks(doc.content, { mentions: options.mentions ?? "accountid", inTable: false });
}
