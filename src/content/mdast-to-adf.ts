// Markdown syntax tree → ADF: what Tandem writes to Jira Cloud from an item's Markdown.
import type { PhrasingContent, Root, RootContent, TableRow } from "mdast";
import type { AdfDoc, AdfNode } from "./adf.ts";

type Mark = NonNullable<AdfNode["marks"]>[number];

function inline(nodes: PhrasingContent[], marks: Mark[] = []): AdfNode[] {
  return nodes.flatMap((node): AdfNode[] => {
    switch (node.type) {
      case "text":
        return node.value ? node.value.split("\n").flatMap((line, index) => [...(index > 0 ? [{ type: "hardBreak" }] : []), ...(line ? [text(line, marks)] : [])]) : [];
      case "strong":
        return inline(node.children, [...marks, { type: "strong" }]);
      case "emphasis":
        return inline(node.children, [...marks, { type: "em" }]);
      case "delete":
        return inline(node.children, [...marks, { type: "strike" }]);
      case "inlineCode":
        // ADF allows only links beside the code mark.
        return node.value ? [text(node.value, [...marks.filter((mark) => mark.type === "link"), { type: "code" }])] : [];
      case "link":
        return inline(node.children, [...marks.filter((mark) => mark.type !== "link"), { type: "link", attrs: { href: node.url } }]);
      case "image":
        return [text(node.alt || node.url, [...marks, { type: "link", attrs: { href: node.url } }])];
      case "break":
        return [{ type: "hardBreak" }];
      case "html":
        return node.value ? [text(node.value, marks)] : [];
      default:
        return "children" in node ? inline(node.children as PhrasingContent[], marks) : [];
    }
  });
}

function text(value: string, marks: Mark[]): AdfNode {
  return marks.length ? { type: "text", text: value, marks } : { type: "text", text: value };
}

function paragraph(content: AdfNode[]): AdfNode {
  return content.length ? { type: "paragraph", content } : { type: "paragraph" };
}

function block(node: RootContent): AdfNode[] {
  switch (node.type) {
    case "paragraph":
      return [paragraph(inline(node.children))];
    case "heading":
      return [{ type: "heading", attrs: { level: node.depth }, ...(node.children.length ? { content: inline(node.children) } : {}) }];
    case "list":
      return [{
        type: node.ordered ? "orderedList" : "bulletList",
        ...(node.ordered && node.start && node.start !== 1 ? { attrs: { order: node.start } } : {}),
        content: node.children.map((item) => ({ type: "listItem", content: item.children.length ? item.children.flatMap(block) : [paragraph([])] })),
      }];
    case "code":
      return [{ type: "codeBlock", ...(node.lang ? { attrs: { language: node.lang } } : {}), ...(node.value ? { content: [{ type: "text", text: node.value }] } : {}) }];
    case "blockquote":
      return [{ type: "blockquote", content: node.children.flatMap(block) }];
    case "thematicBreak":
      return [{ type: "rule" }];
    case "table":
      return [{
        type: "table",
        attrs: { isNumberColumnEnabled: false, layout: "default" },
        content: node.children.map((row: TableRow, index) => ({
          type: "tableRow",
          content: row.children.map((cell) => ({ type: index === 0 ? "tableHeader" : "tableCell", content: [paragraph(inline(cell.children))] })),
        })),
      }];
    case "html":
      return node.value ? [paragraph([text(node.value, [])])] : [];
    default:
      return [];
  }
}

export function mdastToAdf(root: Root): AdfDoc {
  return { type: "doc", version: 1, content: root.children.flatMap(block) };
}
