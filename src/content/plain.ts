// Plain text of rich text: what JQL's `~` searches and what comparisons look at.
import type { AdfDoc, AdfNode } from "./adf.ts";

/** Blocks end a line in plain text; inline nodes run on. */
const BLOCKS = new Set([
  "paragraph", "heading", "listItem", "codeBlock", "blockquote", "panel", "tableRow", "rule", "taskItem", "decisionItem", "mediaSingle",
]);

function plain(node: AdfNode): string {
  switch (node.type) {
    case "text":
      return node.text ?? "";
    case "hardBreak":
      return "\n";
    case "mention":
      return String(node.attrs?.text ?? `@${String(node.attrs?.id ?? "")}`);
    case "emoji":
      return String(node.attrs?.text ?? node.attrs?.shortName ?? "");
    case "inlineCard":
    case "blockCard":
      return String(node.attrs?.url ?? "");
    case "status":
      return String(node.attrs?.text ?? "");
    case "date":
      return new Date(Number(node.attrs?.timestamp ?? 0)).toISOString().slice(0, 10);
    case "tableCell":
    case "tableHeader":
      // Cells of a row are words of one line, so a search for two neighbouring cells still matches.
      return `${(node.content ?? []).map(plain).join(" ").trim()} `;
  }
  const inner = (node.content ?? []).map(plain).join("");
  return BLOCKS.has(node.type) && !inner.endsWith("\n") ? `${inner.replace(/ $/, "")}\n` : inner;
}

export function adfToPlainText(doc: AdfDoc): string {
  return doc.content.map(plain).join("").replace(/\n+$/, "");
}

/** A paragraph per block of text separated by blank lines (lines within it joined by hard breaks); "" is an empty document. */
export function plainToAdf(source: string): AdfDoc {
  const paragraphs = source.replace(/\r\n?/g, "\n").split(/\n\s*\n/).filter((block) => block.trim() !== "");
  return {
    type: "doc",
    version: 1,
    content: paragraphs.map((block) => ({
      type: "paragraph",
      content: block.split("\n").flatMap((line, index): AdfNode[] => [...(index > 0 ? [{ type: "hardBreak" }] : []), ...(line ? [{ type: "text", text: line }] : [])]),
    })),
  };
}
