// Atlassian Document Format: Jira Cloud's rich text, as plain data.

/** An ADF document (Cloud's rich text). Kept loose: converters read what Jira and clients send, after validation. */
export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  text?: string;
  version?: number;
}
export interface AdfDoc extends AdfNode {
  type: "doc";
  version: 1;
  content: AdfNode[];
}

