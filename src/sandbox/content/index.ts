// Rich text in the sandbox: Cloud stores ADF, Data Center wiki markup; these convert between them.
import type { AdfDoc, RichText } from "../model/types.ts";
import { adfToWiki } from "../../content/adf-to-wiki.ts";
import { adfToPlainText, plainToAdf } from "../../content/plain.ts";
import { wikiToAdf } from "../../content/wiki-to-adf.ts";

export { validateAdf, INVALID_ADF } from "../../content/adf-schema.ts";
export type { AdfToWikiOptions } from "../../content/adf-to-wiki.ts";
export { adfToWiki, wikiToAdf, adfToPlainText, plainToAdf };

export function toAdf(value: RichText): AdfDoc {
  return value.kind === "adf" ? value.doc : wikiToAdf(value.text);
}

export function toWiki(value: RichText): string {
  return value.kind === "wiki" ? value.text : adfToWiki(value.doc);
}

/** Plain text goes through ADF for both kinds, so wiki and ADF with the same content compare equal. */
export function richTextToPlain(value: RichText): string {
  return adfToPlainText(toAdf(value));
}
