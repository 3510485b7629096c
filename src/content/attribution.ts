// The attribution that opens a comment Tandem writes for a person through an account that is not theirs (the
// connector's service account): a first paragraph in bold, "Alice Smith (via Tandem):", as Jira integrations that
// share one account do, so people reading the issue in Jira see who wrote it. Plain ADF in and out; wiki markup
// goes through the ADF ⇄ wiki converters, which keep a bold paragraph as `*...*`.
import type { AdfDoc, AdfNode } from "./adf.ts";

const SUFFIX = " (via Tandem):";

/** The name as it can stand in one bold line (no line breaks, collapsed spaces). */
function oneLine(name: string): string {
  return name.replace(/\s+/g, " ").trim();
}

/** The document with the attribution paragraph naming `name` first. */
export function withAttribution(doc: AdfDoc, name: string): AdfDoc {
  const paragraph: AdfNode = { type: "paragraph", content: [{ type: "text", text: `${oneLine(name)}${SUFFIX}`, marks: [{ type: "strong" }] }] };
  return { ...doc, content: [paragraph, ...doc.content] };
}

/**
 * The person an attributed document names and the document without the attribution; `name` is null (and the
 * document unchanged) when it does not open with one: a first paragraph all in bold reading "NAME (via Tandem):".
 */
export function splitAttribution(doc: AdfDoc): { name: string | null; doc: AdfDoc } {
  const [first, ...rest] = doc.content;
  if (first?.type !== "paragraph" || !first.content?.length) return { name: null, doc };
  const bold = first.content.every((node) => node.type === "text" && node.marks?.some((mark) => mark.type === "strong"));
  if (!bold) return { name: null, doc };
  const text = first.content.map((node) => node.text ?? "").join("");
  if (!text.endsWith(SUFFIX)) return { name: null, doc };
  const name = oneLine(text.slice(0, -SUFFIX.length));
  return name ? { name, doc: { ...doc, content: rest } } : { name: null, doc };
}
