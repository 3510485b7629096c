// "Getting started" on the projects page, the first page after sign-in: the path through Tandem in steps, each
// with the link or button that does it, filled from what exists (the first connector, the first project connected
// to Jira, the issue its first item is linked to). Nothing here is demo-specific: with no connector or project yet, each step
// says how to make one.
import { html } from "hono/html";
import { jiraIssueUrl, when, type Html } from "./layout.ts";

interface Connector {
  id: string;
  name: string;
  siteUrl: string;
  lastTest: { ok: boolean; checkedAt: number | string } | null;
}

interface Project {
  key: string;
  connectorId: string | null;
}

/** `linkedKey` is a Jira key linked in `project` (for "change it in Jira"), if one is known; `admin` may add connectors. */
export function startHere(input: { connectors: Connector[]; project: Project | null; linkedKey: string | null; admin: boolean }): Html {
  const { connectors, project, linkedKey, admin } = input;
  const connector = (project && connectors.find((candidate) => candidate.id === project.connectorId)) ?? connectors[0] ?? null;
  const tested = connector?.lastTest
    ? html`<span class="${connector.lastTest.ok ? "ok" : "bad"}">last test ${connector.lastTest.ok ? "passed" : "failed"}</span> <span class="muted">${when(connector.lastTest.checkedAt)}</span>`
    : html`<span class="muted">not tested yet</span>`;
  const connect = connector
    ? html`Connect to Jira: check <a href="/connectors/${connector.id}">${connector.name}</a> (${tested})
<form method="post" action="/connectors/${connector.id}/test" class="inline"><button id="start-connect-test" class="secondary" aria-label="Connect &amp; Test ${connector.name}">Connect &amp; Test</button></form>`
    : admin
      ? html`Connect to Jira: <a href="/connectors">add a connector</a> (the site's URL and how Tandem signs in), then press Connect &amp; Test.`
      : html`Connect to Jira: no connector yet; ask an admin to add one on the <a href="/connectors">Connectors</a> page.`;
  const steps: Html[] = [html`<li id="start-connect">${connect}</li>`];
  if (project) {
    const key = project.key;
    steps.push(
      html`<li id="start-sync">Open <a href="/projects/${key}">${key}</a> and press <strong>Pull</strong> (Jira → Tandem) or <strong>Push</strong> (Tandem → Jira); the run opens with each item's before → after, and the project's <a href="/projects/${key}/runs">run history</a> keeps every one.</li>`,
      html`<li id="start-import"><a href="/projects/${key}/import">Import issues from Jira</a> into ${key}: pick a filter or write JQL, preview, import some or all.</li>`,
      html`<li id="start-create">Create in Jira: add an item on <a href="/projects/${key}">${key}'s page</a>, then press <strong>Create in Jira</strong> in its row.</li>`,
      linkedKey && connector
        ? html`<li id="start-watch">Watch a change arrive: keep <a href="/projects/${key}">${key}</a> open, then change <a href="${jiraIssueUrl(connector.siteUrl, linkedKey)}" target="_blank" rel="noopener" id="start-jira-issue">${linkedKey} in Jira</a> (edit or transition it); the webhook brings the change and the page shows it by itself.</li>`
        : html`<li id="start-watch">Watch a change arrive: keep <a href="/projects/${key}">${key}</a> open and change one of its linked issues in Jira (the page names one to try once items are linked); the webhook brings the change and the page shows it by itself.</li>`,
    );
  } else {
    steps.push(html`<li id="start-sync">Add a project below (a preset gives it fields and mappings), then on its page connect it to a connector and its Jira projects; Pull, Push, import and create in Jira start from there.</li>`);
  }
  return html`<section id="start-here" aria-labelledby="start-title"><details open><summary><h2 id="start-title" style="display:inline">Getting started</h2></summary><ol style="line-height:1.9">${steps}</ol></details></section>`;
}
