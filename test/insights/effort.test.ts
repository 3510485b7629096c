// Effort from the sandbox's demo changelog over real HTTP, checked against a calculation written here from the raw
// changelog JSON (hour by hour with Intl, not Tandem's calendar code): assignee changes, reopenings, weekends,
// holidays, daylight-saving changes and people in several time zones.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEMO_USERS } from "../../src/sandbox/seed/demo.ts";
import { useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";
import { local, rawIssues, reportProject, segments, workingMs, type RawIssue, type Segment } from "./support.ts";

const t = useTandem();
const jira = useSandbox({ flavour: "cloud" });

const HOUR = 3_600_000;
const FROM = "2026-09-01";
const TO = "2026-11-02T12:00:00Z";
const HOLIDAY = "2026-10-12";
const working = (start: number, end: number, zone: string) => workingMs(start, end, zone, [HOLIDAY]);

const emailOf = (accountId: string | null) => (accountId ? Object.values(DEMO_USERS).find((user) => user.accountId === accountId)!.email : "unassigned");
const zoneOf = (accountId: string | null, fallback: string) => (accountId ? Object.values(DEMO_USERS).find((user) => user.accountId === accountId)!.timeZone : fallback);

describe("effort from the demo changelog", () => {
  let raw: RawIssue[] = [];
  let categoryOf = new Map<string, string>();
  const from = () => Date.parse("2026-09-01T00:00:00+01:00"); // midnight in London (summer time)
  const until = Date.parse(TO);

  it("reads the raw changelog, which has handovers, reopenings and weekends", async () => {
    await reportProject(t(), jira(), "ROADR", "ROAD");
    raw = await rawIssues(jira(), "ROAD", ["status", "assignee", "created"]);
    const statuses = await (await fetch(`${jira().url}/rest/api/3/status`, { headers: { Authorization: `Basic ${Buffer.from("tandem-sync@sandbox.test:tandem-sync-token").toString("base64")}` } })).json();
    categoryOf = new Map(statuses.map((status: any) => [status.id, status.statusCategory.key]));
    const all = raw.flatMap((issue) => segments(issue, categoryOf, until));
    assert.ok(raw.some((issue) => issue.histories.some((h) => h.items.some((item: any) => item.field === "assignee"))), "an assignee changes hands");
    assert.ok(raw.some((issue) => issue.histories.some((h) => h.items.some((item: any) => item.field === "status" && categoryOf.get(item.from) === "done" && categoryOf.get(item.to) !== "done"))), "an issue is reopened");
    const weekendHours = (segment: Segment) => Array.from({ length: Math.ceil((segment.end - segment.start) / HOUR) }, (_, index) => local(segment.start + index * HOUR, "UTC")[2]).filter((day) => day === "Sat" || day === "Sun").length;
    assert.ok(all.some((segment) => segment.category === "indeterminate" && weekendHours(segment) >= 24), "in-progress time spans a weekend");
  });

  it("matches the hand calculation per person, issue and status in the project's time zone", async () => {
    const saved = await api(t(), "PUT", "/projects/ROADR/reports/settings", { body: { calendar: { timeZone: "Europe/London", holidays: [HOLIDAY] } } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const report = await api(t(), "GET", `/projects/ROADR/reports/effort?from=${FROM}&to=${TO}`);
    assert.equal(report.status, 200, JSON.stringify(report.body));
    const expectedPerson = new Map<string, number>();
    const expectedStatus = new Map<string, number>();
    for (const issue of raw) {
      for (const segment of segments(issue, categoryOf, until)) {
        const ms = working(Math.max(segment.start, from()), segment.end, "Europe/London");
        if (ms <= 0) continue;
        const statusName = issue.histories.flatMap((h) => h.items).find((item: any) => item.field === "status" && (item.to === segment.status || item.from === segment.status));
        const name = statusName ? (statusName.to === segment.status ? statusName.toString : statusName.fromString) : issue.fields.status.name;
        expectedStatus.set(`${issue.key} ${name}`, (expectedStatus.get(`${issue.key} ${name}`) ?? 0) + ms / HOUR);
        if (segment.category === "indeterminate") expectedPerson.set(emailOf(segment.assignee), (expectedPerson.get(emailOf(segment.assignee)) ?? 0) + ms / HOUR);
      }
    }
    assert.ok(expectedPerson.size >= 3, "several people worked");
    const actualPerson = new Map(report.body.people.filter((p: any) => p.hours > 0).map((p: any) => [p.key, p.hours]));
    assert.deepEqual([...actualPerson.keys()].sort(), [...expectedPerson.keys()].sort());
    for (const [person, hours] of expectedPerson) assert.ok(Math.abs((actualPerson.get(person) as number) - hours) < 0.011, `${person}: ${actualPerson.get(person)} vs ${hours}`);
    const actualStatus = new Map<string, number>();
    for (const issue of report.body.issues) for (const [status, hours] of Object.entries(issue.byStatus)) actualStatus.set(`${issue.key} ${status}`, hours as number);
    for (const [key, hours] of expectedStatus) assert.ok(Math.abs((actualStatus.get(key) ?? 0) - hours) < 0.011, `${key}: ${actualStatus.get(key)} vs ${hours}`);
    assert.equal(report.body.unmatched.length, 0, "every demo user shows an email");
  });

  it("counts each person's hours in their own time zone when asked", async () => {
    const saved = await api(t(), "PUT", "/projects/ROADR/reports/settings", { body: { calendar: { timeZone: "Europe/London", holidays: [HOLIDAY], perPersonTimeZone: true } } });
    assert.equal(saved.status, 200);
    const report = await api(t(), "GET", `/projects/ROADR/reports/effort?from=${FROM}&to=${TO}`);
    assert.equal(report.status, 200, JSON.stringify(report.body));
    const expected = new Map<string, number>();
    const zones = new Set<string>();
    for (const issue of raw) {
      for (const segment of segments(issue, categoryOf, until)) {
        if (segment.category !== "indeterminate") continue;
        const zone = zoneOf(segment.assignee, "Europe/London");
        zones.add(zone);
        const ms = working(Math.max(segment.start, from()), segment.end, zone);
        expected.set(emailOf(segment.assignee), (expected.get(emailOf(segment.assignee)) ?? 0) + ms / HOUR);
      }
    }
    assert.ok(zones.size >= 3, `people in several zones: ${[...zones]}`);
    for (const [person, hours] of expected) {
      const actual = report.body.people.find((p: any) => p.key === person)?.hours ?? 0;
      assert.ok(Math.abs(actual - hours) < 0.011, `${person}: ${actual} vs ${hours}`);
    }
  });

  it("names people by their manual override", async () => {
    const bob = DEMO_USERS.bob;
    const connector = (await api(t(), "GET", "/projects/ROADR")).body.connectorId;
    const override = await api(t(), "PUT", `/connectors/${connector}/people`, { body: { jiraUser: bob.accountId, email: "robert@corp.test" } });
    assert.ok([200, 201].includes(override.status), JSON.stringify(override.body));
    const report = await api(t(), "GET", `/projects/ROADR/reports/effort?from=${FROM}&to=${TO}`);
    const keys = report.body.people.map((p: any) => p.key);
    assert.ok(keys.includes("robert@corp.test") && !keys.includes(bob.email), JSON.stringify(keys));
  });
});
