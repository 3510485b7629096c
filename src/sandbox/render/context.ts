// What a renderer needs to know about the request it answers.
import type { SandboxState } from "../model/state.ts";

export type ApiVersion = "2" | "3";

export interface RenderContext {
  state: SandboxState;
  /** Base URL as the client sees it (includes the OAuth gateway prefix when used). */
  baseUrl: string;
  /** REST version of the request: 3 speaks ADF, 2 speaks wiki markup. */
  apiVersion: ApiVersion;
  /** Account id of the caller. */
  viewerId: string;
  /** Set while a bulk operation edits the issue: its webhooks carry `bulkOperationMetaData`. */
  bulkOperation?: { sendMail: boolean };
}

export function apiUrl(ctx: RenderContext, path: string): string {
  return `${ctx.baseUrl}/rest/api/${ctx.apiVersion}/${path}`;
}

/** Jira's timestamp format: 2019-02-15T19:01:52.971+0000. */
export function jiraDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace("Z", "+0000");
}
