// The web app's page frame and small helpers. Pages are rendered on the server from the API's answers: no build
// step, they work without JavaScript, and the browser only ever talks to Tandem's own origin.
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `*{box-sizing:border-box}body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2433;background:#f6f7f9}
header{background:#1d2433;color:#fff;padding:10px 24px;display:flex;flex-wrap:wrap;gap:8px 24px;align-items:center}header a{color:#fff;text-decoration:none}
header .grow{flex:1}main{padding:24px;max-width:1200px;margin:auto}section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:16px 20px;margin-bottom:18px;overflow-x:auto}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eceff3;vertical-align:top}th{font-size:12px;color:#5b6475;text-transform:uppercase}
.ok{color:#1a7f37}.bad{color:#c62828}.warn{color:#9a6700}.muted{color:#5b6475}.pill{display:inline-block;padding:1px 8px;border-radius:10px;background:#eceff3;color:#1d2433;font-size:12px}
form.inline{display:inline}button{background:#2457d6;color:#fff;border:0;border-radius:4px;padding:6px 12px;cursor:pointer}button.secondary{background:#5b6475}
input,select{padding:5px 8px;border:1px solid #c5cad3;border-radius:4px;max-width:100%}label{display:block;margin:6px 0 2px;font-weight:600}
.error{background:#fdecea;border:1px solid #c62828;padding:8px 12px;border-radius:4px;margin-bottom:12px}.notice{background:#e8f3ec;border:1px solid #1a7f37;padding:8px 12px;border-radius:4px;margin-bottom:12px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:8px}
textarea{padding:5px 8px;border:1px solid #c5cad3;border-radius:4px;font:inherit}.label{display:block;margin:6px 0 2px}[hidden]{display:none!important}
button.danger,a.danger{background:#c62828;color:#fff;border-radius:4px;padding:6px 12px;text-decoration:none}button:disabled{opacity:.5;cursor:not-allowed}
:focus-visible{outline:3px solid #2457d6;outline-offset:2px}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.grid input,.grid select{width:100%;min-width:0}.grid input[type=checkbox],.grid input[type=radio]{width:auto}.nowrap{white-space:nowrap}.copy-row{margin-bottom:8px}.copy-row input,.copy-row textarea{width:70%;font-family:ui-monospace,monospace}`;

export function page(title: string, body: Html, user: { email: string; role: string } | null): Html {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Tandem</title><link rel="icon" href="data:,"><style>${raw(STYLE)}</style></head>
<body><header><strong><a href="/">Tandem</a></strong>${user ? html`<a href="/connectors">Connectors</a><a href="/projects">Projects</a>` : ""}<span class="grow"></span>
${user ? html`<span>${user.email} <span class="pill">${user.role}</span></span><form method="post" action="/logout" class="inline"><button class="secondary">Sign out</button></form>` : ""}</header>
<main>${body}</main></body></html>`;
}

/** The address of a Jira issue on its site (Cloud and Data Center both serve /browse/KEY). */
export function jiraIssueUrl(siteUrl: string, key: string): string {
  return `${siteUrl.replace(/\/+$/, "")}/browse/${encodeURIComponent(key)}`;
}

export function when(date: number | string | null | undefined): string {
  if (!date) return "never";
  return new Date(date).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

export function flash(kind: "error" | "notice", message: string | undefined): Html | string {
  if (!message) return "";
  return html`<div class="${kind}" role="${kind === "error" ? "alert" : "status"}">${message}</div>`;
}
