// Rich-text values on the wire: ADF on REST v3, wiki markup on v2; stored in the flavour's own representation.
import { toAdf, toWiki, validateAdf, richTextToPlain } from "../content/index.ts";
import type { RichText } from "../model/types.ts";
import type { RenderContext } from "../render/context.ts";
import { fail, ok, type ParseResult } from "./types.ts";

export function renderRichText(value: RichText | null, ctx: RenderContext): unknown {
  if (value === null) return null;
  return ctx.apiVersion === "3" ? toAdf(value) : toWiki(value);
}

/** Parses a rich-text input; v3 wants an ADF document, v2 a string. Stored as the flavour stores it. */
export function parseRichText(value: unknown, ctx: RenderContext): ParseResult {
  if (value === null) return ok(null);
  let parsed: RichText;
  if (ctx.apiVersion === "3") {
    const result = validateAdf(value);
    if (!result.ok) return fail(result.message);
    parsed = { kind: "adf", doc: result.doc };
  } else {
    if (typeof value !== "string") return fail("Operation value must be a string");
    parsed = { kind: "wiki", text: value };
  }
  return ok(storeAs(parsed, ctx));
}

function storeAs(value: RichText, ctx: RenderContext): RichText | null {
  if (ctx.state.flavour === "cloud") {
    const doc = toAdf(value);
    return doc.content.length === 0 ? null : { kind: "adf", doc };
  }
  const text = toWiki(value);
  return text.trim() === "" ? null : { kind: "wiki", text };
}

/** The changelog shows rich text as wiki markup (what Jira records), plain enough to compare. */
export function richTextForChangelog(value: RichText | null): string | null {
  if (value === null) return null;
  return value.kind === "wiki" ? value.text : toWiki(value);
}

export function richTextEquals(a: RichText | null, b: RichText | null): boolean {
  if (a === null || b === null) return a === b;
  return richTextToPlain(a) === richTextToPlain(b) && richTextForChangelog(a) === richTextForChangelog(b);
}
