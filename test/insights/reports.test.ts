// CapEx split, roll-ups over Initiative > Epic > Story > Sub-task, capacity per sprint and person, the API's CSV
// and the CLI's, and bad input — each checked against the sandbox's raw JSON read here, not Tandem's helpers.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runTandemCli } from "../support/cli.ts";
import { useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";
import { jiraJson, parseJiraTime, rawIssues, reportProject, segments, workingMs, type RawIssue } from "./support.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud" });

const HOUR = 3_600_000;
const FROM = "2026-09-01";
const TO = "2026-11-02T12:00:00Z";
const CAPITALISED = "customfield_10048";
const POINTS = "customfield_10016";
const SPRINT = "customfield_10020";
const cli = runTandemCli;
const near = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 0.011, `${what}: ${actual} vs ${expected}`);

describe("CapEx, roll-ups and capacity from the demo data", () => {
  let raw: RawIssue[] = [];
  let categoryOf = new Map<string, string>();
  const byId = () => new Map(raw.map((issue) => [issue.id, issue]));
  const ancestors = (issue: RawIssue): RawIssue[] => {
    const chain: RawIssue[] = [];
    for (let at = issue.fields.parent ? byId().get(issue.fields.parent.id) : undefined; at; at = at.fields.parent ? byId().get(at.fields.parent.id) : undefined) chain.push(at);
    return chain;
  };
  const below = (issue: RawIssue) => raw.filter((candidate) => ancestors(candidate).includes(issue));
  const done = (issue: RawIssue) => issue.fields.status.statusCategory.key === "done";

  it("sets up a reports project over ROAD and reads the raw issues", async () => {
    await reportProject(t(), jira(), "ROADC", "ROAD");
    raw = await rawIssues(jira(), "ROAD", ["summary", "status", "assignee", "created", "parent", "issuetype", "timeoriginalestimate", CAPITALISED, POINTS, SPRINT]);
    const statuses = await jiraJson(jira(), "GET", "/rest/api/3/status");
    categoryOf = new Map(statuses.map((status: any) => [status.id, status.statusCategory.key]));
    assert.ok(raw.some((issue) => ancestors(issue).length === 3), "the data has sub-tasks three levels below an initiative");
  });

  it("splits effort into CapEx and OpEx by the Is Capitalised checkbox, with and without children inheriting", async () => {
    const from = Date.parse(`${FROM}T00:00:00Z`);
    const checked = (issue: RawIssue) => Array.isArray(issue.fields[CAPITALISED]) && issue.fields[CAPITALISED].length > 0;
    let previousCapex = 0;
    for (const inherit of [false, true]) {
      const saved = await api(t(), "PUT", "/projects/ROADC/reports/settings", { body: { capex: { field: "Is Capitalised", costCentre: "R&D capitalised", inherit } } });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const report = await api(t(), "GET", `/projects/ROADC/reports/capex?from=${FROM}&to=${TO}`);
      assert.equal(report.status, 200, JSON.stringify(report.body));
      const capex = (issue: RawIssue) => (inherit ? [issue, ...ancestors(issue)] : [issue]).some(checked);
      const expected = { capex: 0, opex: 0 };
      for (const issue of raw) {
        for (const segment of segments(issue, categoryOf, Date.parse(TO))) {
          if (segment.category !== "indeterminate") continue;
          expected[capex(issue) ? "capex" : "opex"] += workingMs(Math.max(from, segment.start), segment.end, "UTC") / HOUR;
        }
      }
      assert.ok(expected.capex > 0 && expected.opex > 0, `both sides have hours: ${JSON.stringify(expected)}`);
      if (inherit) assert.ok(report.body.totals.capex > previousCapex + 10, "stories of a capitalised epic count as CapEx");
      previousCapex = report.body.totals.capex;
      near(report.body.totals.capex, expected.capex, `CapEx hours (inherit ${inherit})`);
      near(report.body.totals.opex, expected.opex, `OpEx hours (inherit ${inherit})`);
      assert.equal(report.body.costCentre, "R&D capitalised");
      near(report.body.weeks.reduce((sum: number, week: any) => sum + week.capex, 0), expected.capex, "weeks add up");
    }
  });

  it("rolls status, points, estimates and progress up to stories, epics and the initiative", async () => {
    const report = await api(t(), "GET", `/projects/ROADC/reports/rollup?from=${FROM}&to=${TO}`);
    assert.equal(report.status, 200, JSON.stringify(report.body));
    const parents = raw.filter((issue) => below(issue).length > 0);
    assert.deepEqual(report.body.nodes.map((node: any) => node.key).sort(), parents.map((issue) => issue.key).sort());
    for (const issue of parents) {
      const node = report.body.nodes.find((candidate: any) => candidate.key === issue.key);
      const all = [issue, ...below(issue)];
      const points = all.reduce((sum, at) => sum + (at.fields[POINTS] ?? 0), 0);
      const donePoints = all.filter(done).reduce((sum, at) => sum + (at.fields[POINTS] ?? 0), 0);
      assert.equal(node.rolled.issues, below(issue).length, `${issue.key} issues below`);
      assert.equal(node.rolled.done, below(issue).filter(done).length, `${issue.key} done below`);
      near(node.rolled.points, points, `${issue.key} points`);
      near(node.rolled.estimateHours, all.reduce((sum, at) => sum + (at.fields.timeoriginalestimate ?? 0), 0) / 3600, `${issue.key} estimate`);
      near(node.rolled.progress, points > 0 ? (100 * donePoints) / points : (100 * below(issue).filter(done).length) / below(issue).length, `${issue.key} progress`);
      const categories = new Set(all.map((at) => at.fields.status.statusCategory.key));
      assert.equal(node.rolled.category, categories.size === 1 ? [...categories][0] : "indeterminate", `${issue.key} rolled status`);
    }
    const initiative = raw.find((issue) => issue.fields.issuetype.name === "Initiative")!;
    assert.ok(below(initiative).some((issue) => issue.fields.issuetype.subtask), "the initiative's roll-up reaches sub-tasks");
    // Burn-up of the payments epic: scope and done at the end of the last day, from the raw changelog.
    const epic = raw.find((issue) => issue.fields.summary === "Payments hardening")!;
    const burn = await api(t(), "GET", `/projects/ROADC/reports/rollup?from=${FROM}&to=${TO}&epic=${epic.key}`);
    const last = burn.body.burnup.points.at(-1);
    assert.equal(last.scope, below(epic).length);
    assert.equal(last.done, below(epic).filter(done).length);
    const mid = Date.parse("2026-10-14T23:59:59Z");
    const doneAt = (issue: RawIssue, at: number) => {
      const changes = issue.histories.flatMap((h) => h.items.map((item: any) => ({ ...item, at: parseJiraTime(h.created) }))).filter((item) => item.field === "status" && item.at <= at);
      return changes.length > 0 && categoryOf.get(changes.at(-1).to) === "done";
    };
    const midPoint = burn.body.burnup.points.find((point: any) => point.date === "2026-10-14");
    assert.equal(midPoint.done, below(epic).filter((issue) => parseJiraTime(issue.fields.created) <= mid && doneAt(issue, mid)).length, "done on 14 October");
  });

  it("pushes roll-up progress to a mapped Jira field, and only what changed", async () => {
    const readOnly = await api(t(), "POST", "/projects/ROADC/reports/rollup/push");
    assert.equal(readOnly.status, 400);
    assert.match(readOnly.body.error.message, /pull-only: Tandem never writes to its Jira/);
    const connector = (await api(t(), "GET", "/projects/ROADC")).body.connectorId;
    await api(t(), "POST", "/projects", { body: { key: "SCHEDP", name: "Schedule roll-ups" } });
    assert.equal((await api(t(), "PUT", "/projects/SCHEDP/jira", { body: { connector, jiraProjects: ["SCHED"], direction: "two-way" } })).status, 200);
    const unset = await api(t(), "POST", "/projects/SCHEDP/reports/rollup/push");
    assert.equal(unset.status, 400);
    assert.match(unset.body.error.message, /No roll-up field is set/);
    assert.equal((await api(t(), "PUT", "/projects/SCHEDP/reports/settings", { body: { rollupPushField: "Criticality Ratio" } })).status, 200);
    assert.equal((await api(t(), "POST", "/projects/SCHEDP/reports/rollup/push", { token: t().tokens.guest })).status, 403);
    const pushed = await api(t(), "POST", "/projects/SCHEDP/reports/rollup/push");
    assert.equal(pushed.status, 200, JSON.stringify(pushed.body));
    const sched = await rawIssues(jira(), "SCHED", ["status", "parent", "customfield_10042"]);
    const epic = sched.find((issue) => sched.some((child) => child.fields.parent?.id === issue.id))!;
    const children = sched.filter((child) => child.fields.parent?.id === epic.id);
    const expected = (100 * children.filter((child) => child.fields.status.statusCategory.key === "done").length) / children.length;
    near(epic.fields.customfield_10042, expected, "progress written to Jira");
    assert.deepEqual(pushed.body.pushed.map((entry: any) => entry.key), [epic.key]);
    const again = await api(t(), "POST", "/projects/SCHEDP/reports/rollup/push");
    assert.deepEqual([again.body.pushed.length, again.body.unchanged, again.body.failed.length], [0, 1, 0], "an unchanged roll-up is not written again");
  });

  it("sums story points per sprint and person against the capacity set", async () => {
    const saved = await api(t(), "PUT", "/projects/ROADC/reports/settings", { body: { capacity: { defaultPoints: 5, perPerson: { "bob@sandbox.test": 8, "carol@sandbox.test": 3 } } } });
    assert.equal(saved.status, 200);
    const report = await api(t(), "GET", "/projects/ROADC/reports/capacity");
    assert.equal(report.status, 200, JSON.stringify(report.body));
    const boards = await jiraJson(jira(), "GET", "/rest/agile/1.0/board?projectKeyOrId=ROAD");
    const sprints = (await jiraJson(jira(), "GET", `/rest/agile/1.0/board/${boards.values[0].id}/sprint`)).values;
    assert.deepEqual(report.body.sprints.map((sprint: any) => sprint.id).sort(), sprints.map((sprint: any) => sprint.id).sort());
    for (const sprint of sprints) {
      const row = report.body.sprints.find((candidate: any) => candidate.id === sprint.id);
      const members = raw.filter((issue) => (issue.fields[SPRINT] ?? []).some((value: any) => value.id === sprint.id));
      const perPerson = new Map<string, number>();
      for (const issue of members) perPerson.set(issue.fields.assignee?.emailAddress ?? "unassigned", (perPerson.get(issue.fields.assignee?.emailAddress ?? "unassigned") ?? 0) + (issue.fields[POINTS] ?? 0));
      assert.ok(perPerson.size > 0, `${sprint.name} has issues`);
      for (const [person, points] of perPerson) {
        const personRow = row.people.find((candidate: any) => candidate.key === person);
        near(personRow.committed, points, `${sprint.name} ${person} committed`);
        assert.equal(personRow.capacity, person === "bob@sandbox.test" ? 8 : 5);
      }
      assert.equal(row.people.find((candidate: any) => candidate.key === "carol@sandbox.test")?.capacity, 3, "a person with capacity and no work still shows");
      if (sprint.state === "closed") {
        const cutoff = Date.parse(sprint.completeDate);
        const completed = members.filter((issue) => {
          const changes = issue.histories.flatMap((h) => h.items.map((item: any) => ({ ...item, at: parseJiraTime(h.created) }))).filter((item) => item.field === "status" && item.at <= cutoff);
          return changes.length > 0 && categoryOf.get(changes.at(-1).to) === "done";
        });
        near(row.completed, completed.reduce((sum, issue) => sum + (issue.fields[POINTS] ?? 0), 0), `${sprint.name} completed`);
      }
    }
  });

  it("gives the same CSV from the API and from the CLI", async () => {
    const response = await fetch(`${t().tandem.url}/api/v1/projects/ROADC/reports/effort?from=${FROM}&to=${encodeURIComponent(TO)}&format=csv`, { headers: { Authorization: `Bearer ${t().tokens.guest}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/csv/);
    const csv = await response.text();
    const json = await api(t(), "GET", `/projects/ROADC/reports/effort?from=${FROM}&to=${encodeURIComponent(TO)}`);
    const lines = csv.trimEnd().split("\r\n");
    assert.equal(lines[0], "person,name,matched,effort_hours,todo_hours,in_progress_hours,done_hours");
    assert.equal(lines.length, json.body.people.length + 1);
    for (const person of json.body.people) assert.ok(lines.includes(`${person.key},${person.name},${person.matched},${person.hours},${person.byCategory.new},${person.byCategory.indeterminate},${person.byCategory.done}`), person.key);
    const home = mkdtempSync(join(tmpdir(), "tandem-cli-"));
    try {
      const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: home, TANDEM_URL: t().tandem.url, TANDEM_TOKEN: t().tokens.guest };
      const printed = await cli(["report", "effort", "ROADC", "--from", FROM, "--to", TO, "--csv"], env);
      assert.equal(printed.status, 0, printed.stderr);
      assert.equal(printed.stdout, csv);
      const bad = await cli(["report", "velocity", "ROADC"], env);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /Allowed choices are effort, capex, rollup, capacity/);
      const backwards = await cli(["report", "capex", "ROADC", "--from", "2026-11-01", "--to", "2026-10-01"], env);
      assert.equal(backwards.status, 1);
      assert.match(backwards.stderr, /from \(2026-11-01\) must be before to \(2026-10-01\)/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("refuses bad input with a clear 400 and keeps the settings", async () => {
    const before = (await api(t(), "GET", "/projects/ROADC/reports/settings")).body;
    const backwards = await api(t(), "GET", "/projects/ROADC/reports/effort?from=2026-11-01&to=2026-10-01");
    assert.equal(backwards.status, 400);
    assert.match(backwards.body.error.message, /from \(2026-11-01\) must be before to \(2026-10-01\)/);
    const notADate = await api(t(), "GET", "/projects/ROADC/reports/effort?from=2026-02-30");
    assert.equal(notADate.status, 400);
    assert.match(notADate.body.error.message, /from '2026-02-30' is not a real date/);
    const unknown = await api(t(), "GET", "/projects/ROADC/reports/velocity");
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /no 'velocity' report: use one of effort, capex, rollup, capacity/);
    const calendar = await api(t(), "PUT", "/projects/ROADC/reports/settings", { body: { calendar: { timeZone: "Mars/Olympus", dayStart: "9am", workingDays: [0] } } });
    assert.equal(calendar.status, 400);
    assert.match(calendar.body.error.message, /calendar\.timeZone: Not a time zone/);
    assert.match(calendar.body.error.message, /calendar\.dayStart: Use HH:MM/);
    assert.match(calendar.body.error.message, /calendar\.workingDays\.0: Weekdays are 1 \(Monday\) to 7 \(Sunday\)/);
    const window = await api(t(), "PUT", "/projects/ROADC/reports/settings", { body: { calendar: { dayStart: "20:00", hoursPerDay: 8 } } });
    assert.equal(window.status, 400);
    assert.match(window.body.error.message, /must end by midnight/);
    assert.deepEqual((await api(t(), "GET", "/projects/ROADC/reports/settings")).body, before, "nothing stored was lost");
    const guest = await api(t(), "PUT", "/projects/ROADC/reports/settings", { token: t().tokens.guest, body: {} });
    assert.equal(guest.status, 403);
    assert.equal((await api(t(), "GET", "/projects/ROADC/reports/rollup", { token: t().tokens.guest })).status, 200, "guests read reports");
    const field = await api(t(), "PUT", "/projects/ROADC/reports/settings", { body: { capex: { field: "Is Capitalized (typo)" } } });
    assert.equal(field.status, 200, "the field is checked against Jira when a report runs");
    const report = await api(t(), "GET", "/projects/ROADC/reports/capex");
    assert.equal(report.status, 400);
    assert.match(report.body.error.message, /The CapEx field 'Is Capitalized \(typo\)' is not a Jira field/);
    assert.equal((await api(t(), "GET", "/projects/NOPE/reports/effort")).status, 404);
  });
});
