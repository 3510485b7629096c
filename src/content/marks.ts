// Shared vocabulary of the two converters: inline marks, panel colours, and the escape character set.
import type { AdfNode } from "./adf.ts";

export type Mark = NonNullable<AdfNode["marks"]>[number];

/** The ADF schema's mark rank; both converters emit marks in this order so round trips compare equal. */
const MARK_RANK = ["link", "em", "strong", "textColor", "strike", "subsup", "underline", "code"];

export function sortMarks(marks: Mark[]): Mark[] {
  const rank = (mark: Mark) => {
    const index = MARK_RANK.indexOf(mark.type);
    return index === -1 ? MARK_RANK.length : index;
  };
  return [...marks].sort((a, b) => rank(a) - rank(b));
}

/** Wiki markers for the simple marks; `{*}` style braces are the same markers usable inside words. */
export const MARKER_TO_MARK: Record<string, Mark> = {
  "*": { type: "strong" },
  _: { type: "em" },
  "-": { type: "strike" },
  "+": { type: "underline" },
  "^": { type: "subsup", attrs: { type: "sup" } },
  "~": { type: "subsup", attrs: { type: "sub" } },
};

export function markerFor(mark: Mark): string | null {
  switch (mark.type) {
    case "strong":
      return "*";
    case "em":
      return "_";
    case "strike":
      return "-";
    case "underline":
      return "+";
    case "subsup":
      return mark.attrs?.type === "sub" ? "~" : "^";
    default:
      return null;
  }
}

/** Characters a backslash makes literal in wiki markup (inline markers, macro braces, link brackets, table pipes, line starts). */
export const ESCAPABLE = "\\*_-+^~{}[]|#.!";

/** Panel types of ADF and the wiki macro or background colour that stands for each. */
export const PANEL_MACROS: Record<string, string> = { info: "info", note: "note", warning: "warning", success: "tip" };
export const MACRO_PANELS: Record<string, string> = { info: "info", note: "note", warning: "warning", tip: "success" };
export const PANEL_COLOURS: Record<string, string> = {
  info: "#deebff",
  note: "#eae6ff",
  success: "#e3fcef",
  warning: "#fffae6",
  error: "#ffebe6",
};
