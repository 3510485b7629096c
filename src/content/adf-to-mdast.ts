// ADF → Markdown syntax tree: what Tandem shows of Jira Cloud content. Marks Markdown lacks (underline, colour)
// keep their text; mentions become @names; panels become quotes.
import type { BlockContent, ListItem, PhrasingContent, Root, RootContent, TableCell, TableRow } from "mdast";
import type { AdfDoc, AdfNode } from "./adf.ts";

/** Wraps phrasing in the node's marks, link outermost and code innermost. */
function marked(node: AdfNode): PhrasingContent[] {
  const value = node.text ?? "";
  const marks = node.marks ?? [];
  const has = (type: string) => marks.some((mark) => mark.type === type);
  let inner: PhrasingContent = has("code") ? { type: "inlineCode", value } : { type: "text", value };
  if (has("strike")) inner = { type: "delete", children: [inner] };
  if (has("em")) inner = { type: "emphasis", children: [inner] };
  if (has("strong")) inner = { type: "strong", children: [inner] };
  const link = marks.find((mark) => mark.type === "link");
  if (link) inner = { type: "link", url: String(link.attrs?.href ?? ""), children: [inner] };
  return [inner];
}

function inline(nodes: AdfNode[] | undefined): PhrasingContent[] {
  return (nodes ?? []).flatMap((node): PhrasingContent[] => {
    switch (node.type) {
      case "text":
        return marked(node);
      case "hardBreak":
        return [{ type: "break" }];
      case "mention":
        return [{ type: "text", value: String(node.attrs?.text ?? `@${String(node.attrs?.id ?? "")}`) }];
      case "emoji":
        return [{ type: "text", value: String(node.attrs?.text ?? node.attrs?.shortName ?? "") }];
      case "inlineCard":
        return [{ type: "link", url: String(node.attrs?.url ?? ""), children: [{ type: "text", value: String(node.attrs?.url ?? "") }] }];
      case "date":
        return [{ type: "text", value: new Date(Number(node.attrs?.timestamp ?? 0)).toISOString().slice(0, 10) }];
      case "status":
        return [{ type: "text", value: String(node.attrs?.text ?? "") }];
      default:
        return inline(node.content);
    }
  });
}

function blocks(nodes: AdfNode[] | undefined): RootContent[] {
  return (nodes ?? []).flatMap((node): RootContent[] => {
    switch (node.type) {
      case "paragraph":
        return [{ type: "paragraph", children: inline(node.content) }];
      case "heading":
        return [{ type: "heading", depth: Math.min(6, Math.max(1, Number(node.attrs?.level ?? 1))) as 1, children: inline(node.content) }];
      case "bulletList":
      case "orderedList":
        return [{
          type: "list",
          ordered: node.type === "orderedList",
          ...(node.type === "orderedList" ? { start: Number(node.attrs?.order ?? 1) } : {}),
          spread: false,
          children: (node.content ?? []).map((item): ListItem => ({ type: "listItem", spread: false, children: blocks(item.content) as BlockContent[] })),
        }];
      case "codeBlock":
        return [{ type: "code", lang: node.attrs?.language ? String(node.attrs.language) : null, value: (node.content ?? []).map((child) => child.text ?? "").join("") }];
      case "blockquote":
      case "panel":
        return [{ type: "blockquote", children: blocks(node.content) as BlockContent[] }];
      case "rule":
        return [{ type: "thematicBreak" }];
      case "table":
        return [{
          type: "table",
          children: (node.content ?? []).map((row): TableRow => ({
            type: "tableRow",
            children: (row.content ?? []).map((cell): TableCell => ({ type: "tableCell", children: inline(cellContent(cell)) })),
          })),
        }];
      case "mediaSingle":
      case "mediaGroup":
        return [{ type: "paragraph", children: [{ type: "text", value: "(attachment)" }] }];
      default:
        return node.content ? blocks(node.content) : [];
    }
  });
}

/** A cell's paragraphs as one line (Markdown table cells hold phrasing only). */
function cellContent(cell: AdfNode): AdfNode[] {
  return (cell.content ?? []).flatMap((child, index) => [...(index > 0 ? [{ type: "text", text: " " }] : []), ...(child.type === "paragraph" ? (child.content ?? []) : [child])]);
}

export function adfToMdast(doc: AdfDoc): Root {
  return { type: "root", children: blocks(doc.content) };
}
