// The reports page of a project: effort over time, CapEx vs OpEx, an epic's burn-up and capacity per sprint, drawn
// by chart.js (served from node_modules, no CDN), each with its data as an accessible table and a CSV link.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Hono, type Context } from "hono";
import { getCookie } from "hono/cookie";
import { html, raw } from "hono/html";
import { SESSION_COOKIE } from "../api/auth.ts";
import { reportTable, type Table } from "../insights/table.ts";
import type { ReportKind } from "../insights/reports.ts";
import { flash, page, type Html } from "./layout.ts";

interface Fetcher {
  request: (path: string, init?: RequestInit) => Response | Promise<Response>;
}

type WebEnv = { Variables: { me: { email: string; role: string } } };

let chartJs: string | null = null;
/** chart.js's UMD build, read once from the installed package. */
function chartScript(): string {
  // The package exports only its module builds; the UMD file sits beside the CommonJS one in dist/.
  chartJs ??= readFileSync(join(dirname(createRequire(import.meta.url).resolve("chart.js")), "chart.umd.min.js"), "utf8");
  return chartJs;
}

const CHARTS: { kind: ReportKind; title: string; caption: string }[] = [
  { kind: "effort", title: "Effort over time", caption: "Working hours in progress per week and person" },
  { kind: "capex", title: "CapEx vs OpEx", caption: "Working hours per week split by the CapEx rule" },
  { kind: "rollup", title: "Burn-up", caption: "Issues below the epic: scope and done per day" },
  { kind: "capacity", title: "Capacity per sprint", caption: "Story points committed and completed against capacity" },
];

// Small on purpose: reads the JSON block and draws the four charts.
const DRAW = `(() => {
const data = JSON.parse(document.getElementById("report-data").textContent);
const palette = ["#2457d6", "#1a7f37", "#c62828", "#9a6700", "#6f42c1", "#0a7ea4", "#5b6475", "#d63384"];
const weeks = (rows) => [...new Set(rows.map((row) => row.week))].sort();
const draw = (id, config) => new Chart(document.getElementById(id), { ...config, options: { animation: false, responsive: true, maintainAspectRatio: false, ...config.options } });
const stacked = { scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: "hours" } } } };
const effortWeeks = weeks(data.effort.weeks);
const people = [...new Set(data.effort.weeks.map((row) => row.person))];
draw("chart-effort", { type: "bar", options: stacked, data: { labels: effortWeeks, datasets: people.map((person, index) => ({ label: person, backgroundColor: palette[index % palette.length], data: effortWeeks.map((week) => data.effort.weeks.filter((row) => row.week === week && row.person === person).reduce((sum, row) => sum + row.hours, 0)) })) } });
draw("chart-capex", { type: "bar", options: stacked, data: { labels: data.capex.weeks.map((row) => row.week), datasets: [{ label: "CapEx", backgroundColor: palette[0], data: data.capex.weeks.map((row) => row.capex) }, { label: "OpEx", backgroundColor: palette[6], data: data.capex.weeks.map((row) => row.opex) }] } });
const burn = data.rollup.burnup ? data.rollup.burnup.points : [];
const byPoints = burn.some((point) => point.scopePoints > 0);
draw("chart-rollup", { type: "line", data: { labels: burn.map((point) => point.date), datasets: [{ label: byPoints ? "Scope (points)" : "Scope (issues)", borderColor: palette[6], data: burn.map((point) => byPoints ? point.scopePoints : point.scope) }, { label: byPoints ? "Done (points)" : "Done (issues)", borderColor: palette[1], data: burn.map((point) => byPoints ? point.donePoints : point.done) }] } });
const sprints = data.capacity.sprints;
draw("chart-capacity", { type: "bar", options: { scales: { y: { title: { display: true, text: "story points" } } } }, data: { labels: sprints.map((sprint) => sprint.name), datasets: [{ label: "Committed", backgroundColor: palette[0], data: sprints.map((sprint) => sprint.committed) }, { label: "Completed", backgroundColor: palette[1], data: sprints.map((sprint) => sprint.completed) }, { label: "Capacity", backgroundColor: palette[6], data: sprints.map((sprint) => sprint.capacity) }] } });
document.body.dataset.chartsReady = "true";
})();`;

function tableOf(kind: ReportKind, table: Table): Html {
  return html`<table id="${kind}-table"><caption class="muted">${CHARTS.find((chart) => chart.kind === kind)!.caption}</caption><thead><tr>${table.columns.map((column) => html`<th scope="col">${column.replaceAll("_", " ")}</th>`)}</tr></thead>
<tbody>${table.rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell === null ? "" : String(cell)}</td>`)}</tr>`)}</tbody></table>`;
}

/** The tables under the charts show what the charts draw (weeks, days, sprints), not only the CSV's summary. */
function chartTable(kind: ReportKind, report: any): Table {
  if (kind === "effort") return { columns: ["week", "person", "hours"], rows: report.weeks.map((row: any) => [row.week, row.person, row.hours]) };
  if (kind === "rollup") return { columns: ["date", "scope", "done", "scope_points", "done_points"], rows: (report.burnup?.points ?? []).map((point: any) => [point.date, point.scope, point.done, point.scopePoints, point.donePoints]) };
  if (kind === "capacity") return { columns: ["sprint", "state", "committed", "completed", "capacity"], rows: report.sprints.map((sprint: any) => [sprint.name, sprint.state, sprint.committed, sprint.completed, sprint.capacity]) };
  return reportTable(kind, report);
}

export function reportsWeb(api: Fetcher): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  async function call(c: Context, path: string): Promise<{ status: number; body: any }> {
    const token = getCookie(c, SESSION_COOKIE);
    const response = await api.request(`/api/v1${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  app.get("/assets/chart.umd.js", (c) => c.body(chartScript(), 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=86400" }));

  app.get("/projects/:key/reports", async (c) => {
    const key = c.req.param("key");
    const query = new URLSearchParams();
    for (const name of ["from", "to", "epic"]) if (c.req.query(name)) query.set(name, c.req.query(name)!);
    const suffix = query.size ? `?${query}` : "";
    // The first report fetches from Jira when needed; the others then read what it stored.
    const first = await call(c, `/projects/${key}/reports/effort${suffix}`);
    const others = first.status === 200 ? await Promise.all(CHARTS.slice(1).map((chart) => call(c, `/projects/${key}/reports/${chart.kind}${suffix}`))) : [];
    const failed = [first, ...others].find((result) => result.status !== 200);
    const heading = html`<h1>${key} · Reports</h1><p><a href="/projects/${key}">← back to the project</a></p>`;
    if (failed) return c.html(page(`${key} reports`, html`${heading}${flash("error", String(failed.body?.error?.message ?? "The reports could not be made."))}
<form method="get" class="inline"><button>Show the last 90 days</button></form>`, c.get("me")), failed.status === 404 ? 404 : 200);
    const reports = Object.fromEntries([first, ...others].map((result, index) => [CHARTS[index]!.kind, result.body])) as Record<ReportKind, any>;
    const csv = (kind: ReportKind) => `/api/v1/projects/${encodeURIComponent(key)}/reports/${kind}?${new URLSearchParams({ ...Object.fromEntries(query), format: "csv" })}`;
    const epics: string[] = (reports.rollup.nodes as any[]).filter((node) => node.level === 1).map((node) => node.key);
    const body = html`${heading}
<section><form method="get" class="grid" aria-label="Report period">
<div><label for="from">From</label><input id="from" name="from" type="date" value="${c.req.query("from") ?? reports.effort.from.slice(0, 10)}"></div>
<div><label for="to">To</label><input id="to" name="to" type="date" value="${c.req.query("to") ?? reports.effort.to.slice(0, 10)}"></div>
<div><label for="epic">Burn-up epic</label><select id="epic" name="epic">${epics.map((epic) => html`<option ${epic === reports.rollup.burnup?.epic ? "selected" : ""}>${epic}</option>`)}</select></div>
<div><label>&nbsp;</label><button>Show</button></div></form>
<p class="muted">Effort: ${reports.effort.totalHours} working hours (${reports.effort.timeZone}). ${reports.effort.unmatched.length ? html`<span class="warn">Jira users without an email or override: ${reports.effort.unmatched.map((person: any) => person.name).join(", ")}.</span>` : ""}
${reports.capex.configured === false ? html`<span class="warn">${reports.capex.hint}</span>` : html`CapEx (${reports.capex.costCentre}): ${reports.capex.totals.capex} h, OpEx: ${reports.capex.totals.opex} h.`}</p></section>
${CHARTS.map((chart) => html`<section id="${chart.kind}-report"><h2>${chart.title}${chart.kind === "rollup" && reports.rollup.burnup ? ` of ${reports.rollup.burnup.epic}` : ""}</h2>
<div style="position:relative;height:280px"><canvas id="chart-${chart.kind}" role="img" aria-label="${chart.title} chart; the same data is in the table below"></canvas></div>
<p><a href="${csv(chart.kind)}" download>CSV</a></p>
<details><summary>Data table</summary>${tableOf(chart.kind, chartTable(chart.kind, reports[chart.kind]))}</details></section>`)}
<script type="application/json" id="report-data">${raw(JSON.stringify(reports).replaceAll("<", "\\u003c"))}</script>
<script src="/assets/chart.umd.js"></script><script>${raw(DRAW)}</script>`;
    return c.html(page(`${key} reports`, body, c.get("me")));
  });

  return app;
}
