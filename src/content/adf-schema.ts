// Validation of ADF documents sent to the sandbox: the shape Jira Cloud accepts, refused with Jira's wording.
import type { AdfDoc } from "./adf.ts";

/** Jira answers every malformed document with this one sentence, whatever is wrong with it. */
export const INVALID_ADF = "Operation value must be an Atlassian Document (see the Atlassian Document Format)";

/** Node types of the published ADF schema; anything else is refused, as Jira does. */
export const NODE_TYPES: ReadonlySet<string> = new Set([
  "paragraph", "text", "heading", "bulletList", "orderedList", "listItem", "codeBlock", "blockquote", "rule",
  "hardBreak", "mention", "emoji", "date", "status", "inlineCard", "blockCard", "embedCard", "panel", "table", "tableRow",
  "tableHeader", "tableCell", "mediaSingle", "mediaGroup", "media", "mediaInline", "expand", "nestedExpand", "taskList",
  "taskItem", "decisionList", "decisionItem", "placeholder", "extension", "inlineExtension", "bodiedExtension",
  "layoutSection", "layoutColumn", "caption",
]);

export const MARK_TYPES: ReadonlySet<string> = new Set([
  "strong", "em", "strike", "underline", "code", "link", "subsup", "textColor", "backgroundColor", "alignment",
  "indentation", "breakout", "annotation", "border", "dataConsumer", "fragment",
]);

/** Deep enough for any real document, shallow enough that a hostile one cannot blow the stack. */
const MAX_DEPTH = 64;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function validMark(mark: unknown): boolean {
  return isObject(mark) && typeof mark.type === "string" && MARK_TYPES.has(mark.type) && (mark.attrs === undefined || isObject(mark.attrs));
}

function validNode(node: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH || !isObject(node)) return false;
  if (typeof node.type !== "string" || !NODE_TYPES.has(node.type)) return false;
  if (node.type === "text" && (typeof node.text !== "string" || node.text === "")) return false;
  if (node.attrs !== undefined && !isObject(node.attrs)) return false;
  if (node.marks !== undefined && (!Array.isArray(node.marks) || !node.marks.every(validMark))) return false;
  if (node.content !== undefined && (!Array.isArray(node.content) || !node.content.every((child) => validNode(child, depth + 1)))) return false;
  return true;
}

export function validateAdf(value: unknown): { ok: true; doc: AdfDoc } | { ok: false; message: string } {
  if (!isObject(value) || value.type !== "doc" || value.version !== 1 || !Array.isArray(value.content)) {
    return { ok: false, message: INVALID_ADF };
  }
  if (!value.content.every((node) => validNode(node, 1))) return { ok: false, message: INVALID_ADF };
  return { ok: true, doc: value as unknown as AdfDoc };
}
