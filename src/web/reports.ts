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

  async function call(c: Context, path: string, method = "GET", body?: unknown): Promise<{ status: number; body: any }> {
    const token = getCookie(c, SESSION_COOKIE);
    const response = await api.request(`/api/v1${path}`, { method, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "Content-Type": "application/json" }) }, body: body === undefined ? undefined : JSON.stringify(body) });
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
    const heading = html`<h1>${key} · Reports</h1><p><a href="/projects/${key}">← back to the project</a></p>${flash("notice", c.req.query("notice"))}`;
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
${reports.capex.configured === false ? html`<span class="warn" id="capex-hint">No CapEx rule is set${c.get("me").role === "guest" ? "." : html`: open <a href="#report-settings-form">Report settings</a> below and name the CapEx field (for example 'Is Capitalised') to attribute effort to a cost centre.`}</span>` : html`CapEx (${reports.capex.costCentre}): ${reports.capex.totals.capex} h, OpEx: ${reports.capex.totals.opex} h.`}</p></section>
${CHARTS.map((chart) => html`<section id="${chart.kind}-report"><h2>${chart.title}${chart.kind === "rollup" && reports.rollup.burnup ? ` of ${reports.rollup.burnup.epic}` : ""}</h2>
<div style="position:relative;height:280px"><canvas id="chart-${chart.kind}" role="img" aria-label="${chart.title} chart; the same data is in the table below"></canvas></div>
<p><a href="${csv(chart.kind)}" download>CSV</a></p>
<details><summary>Data table</summary>${tableOf(chart.kind, chartTable(chart.kind, reports[chart.kind]))}</details></section>`)}
${c.get("me").role === "guest" ? "" : settingsForm(key, (await call(c, `/projects/${key}/reports/settings`)).body)}
<script type="application/json" id="report-data">${raw(JSON.stringify(reports).replaceAll("<", "\\u003c"))}</script>
<script src="/assets/chart.umd.js"></script><script>${raw(DRAW)}</script>`;
    return c.html(page(`${key} reports`, body, c.get("me")));
  });

  app.post("/projects/:key/reports/settings", async (c) => {
    const key = c.req.param("key");
    const form = Object.fromEntries(Object.entries(await c.req.parseBody()).map(([name, value]) => [name, String(value).trim()]));
    const result = await call(c, `/projects/${key}/reports/settings`, "PUT", settingsFromForm(form));
    const outcome = result.status === 200 ? `notice=${encodeURIComponent("Report settings saved.")}` : `error=${encodeURIComponent(String(result.body?.error?.message ?? "The settings could not be saved."))}`;
    return c.redirect(`/projects/${key}/reports${result.status === 200 ? "" : "/settings-error"}?${outcome}`, 303);
  });

  app.get("/projects/:key/reports/settings-error", (c) => {
    const key = c.req.param("key");
    return c.html(page(`${key} reports`, html`<h1>${key} · Reports</h1>${flash("error", c.req.query("error"))}<p><a href="/projects/${key}/reports">Back to the reports</a> (nothing was changed)</p>`, c.get("me")));
  });

  return app;
}

const list = (value: string | undefined) => (value ? value.split(/[\s,]+/).filter(Boolean) : []);
const numberOr = (value: string | undefined, fallback: number) => (value === undefined || value === "" ? fallback : Number(value));

/** The settings form's fields as the API's settings body; the API validates and names what is wrong. */
function settingsFromForm(form: Record<string, string>) {
  const perPerson = Object.fromEntries(list(form.perPerson).map((pair) => {
    const [who, points] = pair.split("=");
    return [who ?? "", Number(points)];
  }));
  return {
    calendar: {
      timeZone: form.timeZone || "UTC",
      workingDays: list(form.workingDays).map(Number),
      hoursPerDay: numberOr(form.hoursPerDay, 8),
      dayStart: form.dayStart || "09:00",
      holidays: list(form.holidays),
      perPersonTimeZone: form.perPersonTimeZone === "on",
    },
    capex: form.capexField ? { field: form.capexField, rule: form.capexValue ? { kind: "equals", value: form.capexValue } : { kind: "checked" }, costCentre: form.costCentre || "CapEx" } : null,
    storyPointsField: form.storyPointsField || null,
    capacity: { defaultPoints: numberOr(form.defaultPoints, 0), perPerson },
    rollupPushField: form.rollupPushField || null,
  };
}

function settingsForm(key: string, settings: any): Html {
  const capexValue = settings.capex?.rule?.kind === "equals" ? settings.capex.rule.value : "";
  const field = (id: string, label: string, value: string | number, hint = "") => html`<div><label for="${id}">${label}</label><input id="${id}" name="${id}" value="${String(value)}" placeholder="${hint}"></div>`;
  return html`<section id="report-settings"><details><summary>Report settings</summary><form method="post" action="/projects/${key}/reports/settings" class="grid" id="report-settings-form">
${field("timeZone", "Time zone", settings.calendar.timeZone, "Europe/London")}
${field("workingDays", "Working days (1 = Mon … 7 = Sun)", settings.calendar.workingDays.join(","))}
${field("hoursPerDay", "Hours per day", settings.calendar.hoursPerDay)}
${field("dayStart", "Day starts at", settings.calendar.dayStart, "09:00")}
${field("holidays", "Holidays (YYYY-MM-DD, …)", settings.calendar.holidays.join(", "))}
<div><label for="perPersonTimeZone">Each person's own time zone</label><input id="perPersonTimeZone" name="perPersonTimeZone" type="checkbox" ${settings.calendar.perPersonTimeZone ? "checked" : ""}></div>
${field("capexField", "CapEx field", settings.capex?.field ?? "", "Is Capitalised")}
${field("capexValue", "CapEx when the field equals (blank: checked)", capexValue)}
${field("costCentre", "Cost centre", settings.capex?.costCentre ?? "CapEx")}
${field("storyPointsField", "Story points field", settings.storyPointsField ?? "", "Story point estimate")}
${field("defaultPoints", "Capacity per person per sprint", settings.capacity.defaultPoints)}
${field("perPerson", "Capacities (email=points, …)", Object.entries(settings.capacity.perPerson).map(([who, points]) => `${who}=${points}`).join(", "))}
${field("rollupPushField", "Push roll-up progress to field", settings.rollupPushField ?? "")}
<div><label>&nbsp;</label><button id="save-report-settings">Save settings</button></div></form></details></section>`;
}
