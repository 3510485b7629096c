// Rich text between Tandem (Markdown) and Jira: ADF on Cloud (REST v3), wiki markup on Data Center (REST v2).
import type { AdfDoc } from "../content/adf.ts";
import { splitAttribution, withAttribution } from "../content/attribution.ts";
import { adfToMdast } from "../content/adf-to-mdast.ts";
import { adfToWiki } from "../content/adf-to-wiki.ts";
import { parseMarkdown, stringifyMarkdown } from "../content/markdown.ts";
import { mdastToAdf } from "../content/mdast-to-adf.ts";
import { wikiToAdf } from "../content/wiki-to-adf.ts";
import type { JiraFlavour } from "./credentials.ts";

export function markdownToAdf(markdown: string): AdfDoc {
  return mdastToAdf(parseMarkdown(markdown));
}

export function adfToMarkdown(doc: AdfDoc): string {
  return stringifyMarkdown(adfToMdast(doc));
}

/** A document as the flavour's REST API takes it: ADF on Cloud, wiki markup (mentions by username) on DC. */
function forFlavour(doc: AdfDoc, flavour: JiraFlavour): AdfDoc | string {
  return flavour === "cloud" ? doc : adfToWiki(doc, { mentions: "username" });
}

/** A rich-text value as Jira returns it (ADF object, wiki string) as ADF; null when empty, absent or not rich text. */
function jiraDoc(value: unknown): AdfDoc | null {
  if (typeof value === "string") return value.trim() === "" ? null : wikiToAdf(value);
  if (typeof value === "object" && value !== null && (value as { type?: unknown }).type === "doc") return value as AdfDoc;
  return null;
}

/** The value to send for a rich-text field: ADF on Cloud, wiki markup on DC; empty Markdown clears the field. */
export function toJiraRichText(markdown: string | null, flavour: JiraFlavour): AdfDoc | string | null {
  if (markdown === null || markdown.trim() === "") return null;
  return forFlavour(markdownToAdf(markdown), flavour);
}

/** Markdown of a rich-text value as Jira returns it (ADF object, wiki string, or null). */
export function fromJiraRichText(value: unknown): string | null {
  const doc = jiraDoc(value);
  return doc ? adfToMarkdown(doc) : null;
}

/**
 * A comment's body for Jira; with `attribution` (the Tandem person's name, when the comment is written through an
 * account that is not theirs) it opens with a bold "NAME (via Tandem):" paragraph.
 */
export function toJiraComment(markdown: string, flavour: JiraFlavour, attribution: string | null = null): AdfDoc | string {
  const body = markdownToAdf(markdown);
  return forFlavour(attribution ? withAttribution(body, attribution) : body, flavour);
}

/**
 * A comment's body as Jira returns it: the person named by a Tandem attribution (or null) and the rest as Markdown.
 * Without an attribution the Markdown is the whole body, as fromJiraRichText gives it (but null when blank).
 */
export function fromJiraComment(value: unknown): { attribution: string | null; markdown: string | null } {
  const doc = jiraDoc(value);
  if (!doc) return { attribution: null, markdown: null };
  const { name, doc: rest } = splitAttribution(doc);
  const markdown = adfToMarkdown(rest);
  return { attribution: name, markdown: markdown.trim() === "" ? null : markdown };
}

/** Markdown in the form Tandem stores and compares (two spellings of the same text compare equal). */
export function normalizeMarkdown(markdown: string | null): string | null {
  if (markdown === null || markdown.trim() === "") return null;
  return adfToMarkdown(markdownToAdf(markdown));
}
