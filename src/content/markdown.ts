// Markdown in and out through the unified/micromark parsers (CommonMark + GitHub tables and strikethrough).
import type { Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown, gfmToMarkdown } from "mdast-util-gfm";
import { toMarkdown } from "mdast-util-to-markdown";
import { gfm } from "micromark-extension-gfm";

export function parseMarkdown(markdown: string): Root {
  return fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

export function stringifyMarkdown(root: Root): string {
  return toMarkdown(root, { extensions: [gfmToMarkdown()], bullet: "-", emphasis: "_", strong: "*", fences: true, rule: "-" }).trimEnd();
}
