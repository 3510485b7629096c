// The sandbox's history operators (WAS, WAS IN, WAS NOT, WAS NOT IN, CHANGED, NOT CHANGED with FROM, TO, BY,
// AFTER, BEFORE, ON, DURING) over real changelogs: a probe issue given a scripted history through the same
// operations the REST API uses, a control issue that never changes, the demo seed's own history, Jira's messages,
// and the fixVersion catch-up case over HTTP on both flavours. Every clock is pinned: no assertion depends on time passing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SandboxState } from "../../src/sandbox/model/state.ts";
import type { Flavour, Issue } from "../../src/sandbox/model/types.ts";
import type { RenderContext } from "../../src/sandbox/render/context.ts";
import { createIssue, editIssue, transitionIssue } from "../../src/sandbox/ops/issues.ts";
import { applySeed, DEFAULT_ADMIN } from "../../src/sandbox/seed/index.ts";
import { DEMO_USERS } from "../../src/sandbox/seed/demo.ts";
import { IDS } from "../../src/sandbox/seed/base.ts";
import { isBounded, JqlError, parseJql, searchIssues } from "../../src/sandbox/jql/index.ts";
import { basic, call, SEED_NOW, useSandbox } from "../support/sandbox.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);
const SEED = at("2024-06-01T12:00:00Z");
const NOW = at("2024-06-15T12:00:00Z"); // Saturday
const { alice, bob, carol, dave } = DEMO_USERS;

interface World {
  state: SandboxState;
  probe: Issue;
  control: Issue;
  /** Issue keys matching the JQL within the probe and the control, sorted. */
  found(jql: string, viewerId?: string): string[];
}

/**
 * The probe's history (UTC):
 *   06-10 09:00 alice creates it in ROAD: Backlog, assignee bob, priority Low, fix version 1.0, reporter alice
 *   06-10 10:00 bob: Backlog → To Do;  10:05 bob: To Do → In Progress
 *   06-11 09:00 alice: assignee bob → dave and priority Low → High (one change)
 *   06-12 09:30 dave: fix versions {1.0} → {1.1}
 *   06-13 14:00 dave: In Progress → In Review;  16:20 dave: In Review → Done (resolution Done)
 *   06-14 08:00 alice: assignee dave → unassigned;  09:00 alice: reporter alice → bob
 *   06-14 10:00 dave: adds fix version 2.0, {1.1} → {1.1, 2.0}
 * The control: created 06-12 10:00 by bob (Backlog, Medium, unassigned, no fix version), never changed.
 */
function world(flavour: Flavour): World {
  let clock = SEED;
  const state = new SandboxState({ flavour, quirks: { searchIndexLagMs: 0 }, now: () => clock });
  applySeed(state, "demo", DEFAULT_ADMIN, { now: SEED });
  state.now = () => clock;
  const as = (accountId: string): RenderContext => ({ state, baseUrl: "http://sandbox.test", apiVersion: flavour === "cloud" ? "3" : "2", viewerId: accountId });
  const user = (accountId: string | null) => (accountId === null ? null : flavour === "cloud" ? { accountId } : { name: state.userByAccountId(accountId)!.name });
  const move = (actor: string, issue: Issue, transitionId: string) => transitionIssue(as(actor), issue, { transition: { id: transitionId } });

  clock = at("2024-06-10T09:00:00Z");
  const probe = createIssue(as(alice.accountId), {
    fields: { project: { key: "ROAD" }, issuetype: { id: IDS.type.task }, summary: "History probe", assignee: user(bob.accountId), priority: { name: "Low" }, fixVersions: [{ name: "1.0" }] },
  });
  clock = at("2024-06-10T10:00:00Z");
  move(bob.accountId, probe, "11");
  clock = at("2024-06-10T10:05:00Z");
  move(bob.accountId, probe, "21");
  clock = at("2024-06-11T09:00:00Z");
  editIssue(as(alice.accountId), probe, { fields: { assignee: user(dave.accountId), priority: { name: "High" } } });
  clock = at("2024-06-12T09:30:00Z");
  editIssue(as(dave.accountId), probe, { fields: { fixVersions: [{ name: "1.1" }] } });
  clock = at("2024-06-12T10:00:00Z");
  const control = createIssue(as(bob.accountId), { fields: { project: { key: "ROAD" }, issuetype: { id: IDS.type.task }, summary: "History control" } });
  clock = at("2024-06-13T14:00:00Z");
  move(dave.accountId, probe, "31");
  clock = at("2024-06-13T16:20:00Z");
  move(dave.accountId, probe, "41");
  clock = at("2024-06-14T08:00:00Z");
  editIssue(as(alice.accountId), probe, { fields: { assignee: null } });
  clock = at("2024-06-14T09:00:00Z");
  editIssue(as(alice.accountId), probe, { fields: { reporter: user(bob.accountId) } });
  clock = at("2024-06-14T10:00:00Z");
  editIssue(as(dave.accountId), probe, { update: { fixVersions: [{ add: { name: "2.0" } }] } });
  clock = NOW;

  // The script did what it says (so a wrong expectation below is the engine's fault, not the fixture's).
  assert.equal(state.statuses.get(probe.statusId)!.name, "Done");
  assert.equal(probe.assigneeId, null);
  assert.deepEqual(probe.fixVersionIds.map((id) => state.versions.get(id)!.name), ["1.1", "2.0"]);
  assert.equal(probe.changelog.length, 9);
  assert.equal(control.changelog.length, 0);

  const found = (jql: string, viewerId: string = dave.accountId) =>
    searchIssues(state, `key in (${probe.key}, ${control.key}) AND (${jql})`, { viewerId, now: NOW })
      .map((issue) => issue.key)
      .sort();
  return { state, probe, control, found };
}

function throwsJql(action: () => unknown, ...messages: string[]): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof JqlError, `expected a JqlError, got ${String(error)}`);
    assert.deepEqual(error.messages, messages);
    return true;
  });
}

for (const flavour of ["cloud", "dc"] as const) {
  describe(`JQL history on ${flavour}: CHANGED`, () => {
    const w = world(flavour);
    const P = [w.probe.key];
    const C = [w.control.key];

    it("matches issues whose field changed; NOT CHANGED and NOT ... CHANGED the others", () => {
      assert.deepEqual(w.found("status CHANGED"), P);
      assert.deepEqual(w.found("status NOT CHANGED"), C);
      assert.deepEqual(w.found("NOT status CHANGED"), C);
      // Creation is not a change: the control keeps its creation values.
      assert.deepEqual(w.found("assignee CHANGED OR priority CHANGED OR fixVersion CHANGED OR reporter CHANGED OR resolution CHANGED"), P);
    });

    it("FROM and TO test the value before and after the same change, by name, id or EMPTY", () => {
      assert.deepEqual(w.found('status CHANGED FROM Backlog TO "To Do"'), P);
      assert.deepEqual(w.found('status CHANGED FROM "In Progress" TO Done'), [], "it went through In Review");
      assert.deepEqual(w.found('status CHANGED FROM "In Review" TO Done'), P);
      assert.deepEqual(w.found(`status CHANGED TO ${IDS.status.done}`), P);
      assert.deepEqual(w.found("status CHANGED FROM (Blocked, Backlog)"), P);
      assert.deepEqual(w.found("status CHANGED TO Blocked"), []);
      assert.deepEqual(w.found("resolution CHANGED FROM EMPTY TO Done"), P);
      assert.deepEqual(w.found('resolution CHANGED TO "Won\'t Do"'), []);
      assert.deepEqual(w.found("priority CHANGED FROM Low TO High"), P);
      assert.deepEqual(w.found("priority CHANGED FROM Medium"), []);
      assert.deepEqual(w.found("assignee CHANGED FROM EMPTY"), [], "created assigned");
      assert.deepEqual(w.found("assignee CHANGED TO EMPTY"), P);
      assert.deepEqual(w.found("reporter CHANGED FROM alice TO bob"), P);
    });

    it("users are named as the field's other clauses name them, whatever the changelog stores", () => {
      // Data Center records user keys (JIRAUSER…) in the changelog, Cloud account ids.
      const item = w.probe.changelog.flatMap((entry) => entry.items).find((entry) => entry.fieldId === "assignee")!;
      assert.equal(item.from, flavour === "cloud" ? bob.accountId : w.state.userByAccountId(bob.accountId)!.key);
      assert.deepEqual(w.found("assignee CHANGED FROM bob TO dave"), P);
      assert.deepEqual(w.found(`assignee CHANGED FROM ${bob.accountId} TO "${dave.email}"`), P);
      assert.deepEqual(w.found('assignee CHANGED FROM "Bob Chen"'), P);
      assert.deepEqual(w.found("assignee CHANGED FROM dave TO bob"), []);
      assert.deepEqual(w.found("assignee WAS bob"), P);
      assert.deepEqual(w.found("assignee WAS currentUser()", bob.accountId), P);
    });

    it("fix versions are a set: FROM and TO test membership before and after the change", () => {
      assert.deepEqual(w.found('fixVersion CHANGED FROM "1.0" TO "1.1"'), P);
      // As Jira's VersionDateRangeBuilder indexes it: adding 2.0 is a change from {1.1} to {1.1, 2.0}.
      assert.deepEqual(w.found('fixVersion CHANGED FROM "1.1" TO "2.0" ON "2024-06-14"'), P);
      assert.deepEqual(w.found('fixVersion CHANGED FROM "1.1" TO "1.1" BY dave AFTER "2024-06-13"'), P);
      assert.deepEqual(w.found('fixVersion CHANGED FROM "1.0" AFTER "2024-06-13"'), []);
      assert.deepEqual(w.found('fixVersion CHANGED TO "1.0"'), [], "1.0 was set at creation, not by a change");
      assert.deepEqual(w.found("fixVersion CHANGED FROM EMPTY"), []);
      assert.deepEqual(w.found(`fixVersions CHANGED TO ${w.probe.fixVersionIds[0]}`), P);
    });

    it("BY names the author of the change, and every predicate must hold for the same change", () => {
      assert.deepEqual(w.found("status CHANGED BY bob"), P);
      assert.deepEqual(w.found("status CHANGED BY carol"), []);
      assert.deepEqual(w.found("status CHANGED BY (carol, dave)"), P);
      assert.deepEqual(w.found('status CHANGED TO "In Progress" BY alice'), [], "bob made that change");
      assert.deepEqual(w.found('status CHANGED TO "In Progress" BY bob'), P);
      assert.deepEqual(w.found("status CHANGED BY currentUser()", bob.accountId), P);
      assert.deepEqual(w.found("status CHANGED BY currentUser()", alice.accountId), []);
      assert.deepEqual(w.found('priority CHANGED FROM Low TO High BY alice ON "2024-06-11"'), P);
      assert.deepEqual(w.found('priority CHANGED FROM Low TO High BY dave'), []);
    });

    it("AFTER, BEFORE, ON and DURING with absolute dates: a day is the whole day, a date-time its minute", () => {
      assert.deepEqual(w.found('status CHANGED AFTER "2024-06-12"'), P);
      assert.deepEqual(w.found('status CHANGED AFTER "2024-06-13"'), [], "after the whole of June 13");
      assert.deepEqual(w.found('status CHANGED ON "2024-06-13"'), P);
      assert.deepEqual(w.found('status CHANGED ON "2024/06/12"'), []);
      assert.deepEqual(w.found('status CHANGED ON ("2024-06-11", "2024-06-12", "2024-06-13")'), P);
      assert.deepEqual(w.found('status CHANGED BEFORE "2024-06-10 10:00"'), [], "the first change is at 10:00");
      assert.deepEqual(w.found('status CHANGED BEFORE "2024-06-10 10:01"'), P);
      assert.deepEqual(w.found('status CHANGED ON "2024-06-13 14:00"'), P);
      assert.deepEqual(w.found('status CHANGED DURING ("2024-06-11", "2024-06-12")'), []);
      assert.deepEqual(w.found('status CHANGED DURING ("2024-06-11", "2024-06-13")'), P, "the end day is included");
      assert.deepEqual(w.found('status CHANGED FROM "In Progress" TO "In Review" BY dave AFTER "2024-06-13 13:59" BEFORE "2024-06-13 14:01"'), P);
      assert.deepEqual(w.found('status CHANGED FROM "In Progress" TO "In Review" AFTER "2024-06-13 13:59" BEFORE "2024-06-13 14:00"'), []);
      assert.deepEqual(w.found('status CHANGED TO Done AFTER "2024-06-13 16:19"'), P);
      assert.deepEqual(w.found('status CHANGED TO Done AFTER "2024-06-13 16:20"'), [], "AFTER excludes the named minute");
    });

    it("relative dates and date functions from now (Saturday 06-15 12:00), with Jira's implied precision", () => {
      // "-48h" is an hour (06-13 12:00-12:59), "-2d" a day (all of 06-13), "-2900m" a minute (06-13 11:40).
      assert.deepEqual(w.found('status CHANGED AFTER "-48h"'), P);
      assert.deepEqual(w.found('status CHANGED AFTER "-2d"'), []);
      assert.deepEqual(w.found('status CHANGED AFTER "-2900m"'), P);
      // The last status change, 06-13 16:20, was 2620 minutes before now: AFTER excludes the minute it names.
      assert.deepEqual(w.found('status CHANGED AFTER "-2620m"'), []);
      assert.deepEqual(w.found('status CHANGED AFTER "-2621m"'), P);
      assert.deepEqual(w.found("status CHANGED AFTER startOfDay(-2)"), P);
      assert.deepEqual(w.found("status CHANGED AFTER startOfDay(-1)"), []);
      assert.deepEqual(w.found("status CHANGED BEFORE now()"), P);
      assert.deepEqual(w.found("status CHANGED DURING (startOfWeek(), now())"), P, "the week started on Sunday 06-09");
      assert.deepEqual(w.found("assignee CHANGED AFTER startOfDay(-1)"), P, "unassigned 06-14 08:00");
    });

    it("dates are read in the caller's time zone", () => {
      // Done at 06-13 16:20 UTC is 06-14 01:20 in Tokyo.
      assert.deepEqual(w.found('status CHANGED TO Done ON "2024-06-13"', dave.accountId), P);
      assert.deepEqual(w.found('status CHANGED TO Done ON "2024-06-13"', carol.accountId), []);
      assert.deepEqual(w.found('status CHANGED TO Done ON "2024-06-14"', carol.accountId), P);
      assert.deepEqual(w.found('status CHANGED TO Done ON "2024-06-14"', dave.accountId), []);
    });
  });

  describe(`JQL history on ${flavour}: WAS`, () => {
    const w = world(flavour);
    const P = [w.probe.key];
    const C = [w.control.key];
    const BOTH = [w.probe.key, w.control.key].sort();

    it("WAS matches a value held at any time, including the creation value and the current one", () => {
      assert.deepEqual(w.found("status WAS Backlog"), BOTH, "the probe was created in Backlog, the control is still there");
      assert.deepEqual(w.found('status WAS "In Review"'), P);
      assert.deepEqual(w.found(`status WAS ${IDS.status.inReview}`), P);
      assert.deepEqual(w.found("status WAS Done"), P);
      assert.deepEqual(w.found("status WAS Blocked"), []);
      assert.deepEqual(w.found("priority WAS Low"), P);
      assert.deepEqual(w.found("priority WAS Medium"), C);
      assert.deepEqual(w.found('fixVersion WAS "1.0"'), P, "only ever the creation value");
      assert.deepEqual(w.found("reporter WAS alice"), P);
      assert.deepEqual(w.found("reporter WAS bob"), BOTH);
    });

    it("WAS IN, WAS NOT and WAS NOT IN", () => {
      assert.deepEqual(w.found('status WAS IN (Blocked, "In Review")'), P);
      assert.deepEqual(w.found('status WAS NOT IN (Blocked, "In Review")'), C);
      assert.deepEqual(w.found("status WAS NOT Blocked"), BOTH);
      assert.deepEqual(w.found("status WAS NOT Backlog"), []);
      assert.deepEqual(w.found('fixVersion WAS IN ("1.1", "2.0")'), P);
      assert.deepEqual(w.found('fixVersion WAS NOT "1.0"'), C);
    });

    it("EMPTY: a field without a value, for users, versions and resolutions (Unresolved too)", () => {
      assert.deepEqual(w.found("assignee WAS EMPTY"), BOTH);
      assert.deepEqual(w.found("fixVersion WAS EMPTY"), C);
      assert.deepEqual(w.found("resolution WAS EMPTY"), BOTH);
      assert.deepEqual(w.found("resolution WAS Unresolved"), BOTH);
      assert.deepEqual(w.found("resolution WAS NOT EMPTY"), []);
      assert.deepEqual(w.found("resolution WAS Done"), P);
      assert.deepEqual(w.found("status WAS IN (EMPTY, Blocked)"), []);
    });

    it("BY names who set the value (the reporter for the creation value)", () => {
      assert.deepEqual(w.found('status WAS "In Progress" BY bob'), P);
      assert.deepEqual(w.found('status WAS "In Progress" BY dave'), []);
      // Jira credits the creation value to the issue's reporter, and the probe's reporter is bob now.
      assert.deepEqual(w.found("status WAS Backlog BY bob"), BOTH);
      assert.deepEqual(w.found("status WAS Backlog BY alice"), []);
      assert.deepEqual(w.found("assignee WAS EMPTY BY bob"), C, "the control was created unassigned by bob; alice unassigned the probe");
      assert.deepEqual(w.found("assignee WAS EMPTY BY alice"), P);
    });

    it("BEFORE: set before the date; AFTER: still held after it; ON and DURING: held during some of it", () => {
      assert.deepEqual(w.found('status WAS "In Progress" BEFORE "2024-06-10 10:05"'), [], "set at 10:05");
      assert.deepEqual(w.found('status WAS "In Progress" BEFORE "2024-06-10 10:06"'), P);
      assert.deepEqual(w.found('status WAS "In Progress" AFTER "2024-06-13 13:58"'), P);
      assert.deepEqual(w.found('status WAS "In Progress" AFTER "2024-06-13 13:59"'), [], "left at 14:00");
      assert.deepEqual(w.found('status WAS "In Progress" ON "2024-06-12"'), P, "held through the whole day");
      assert.deepEqual(w.found('status WAS "In Review" ON "2024-06-13"'), P);
      assert.deepEqual(w.found('status WAS "In Review" ON "2024-06-14"'), []);
      assert.deepEqual(w.found('status WAS "In Progress" DURING ("2024-06-14", "2024-06-15")'), []);
      assert.deepEqual(w.found('status WAS Done DURING ("2024-06-14", "2024-06-15")'), P, "held now");
      assert.deepEqual(w.found('status WAS Backlog BEFORE "2024-06-12"'), P, "the control did not exist yet");
      assert.deepEqual(w.found('status WAS Backlog AFTER "2024-06-12"'), C);
      assert.deepEqual(w.found('status WAS NOT Backlog AFTER "2024-06-12"'), P);
      assert.deepEqual(w.found('assignee WAS EMPTY BEFORE "2024-06-14"'), C);
      assert.deepEqual(w.found('assignee WAS dave ON "2024-06-12"'), P);
      assert.deepEqual(w.found('fixVersion WAS "1.0" AFTER "2024-06-12 09:28"'), P);
      assert.deepEqual(w.found('fixVersion WAS "1.0" AFTER "2024-06-12 09:29"'), [], "removed at 09:30, so not held after 09:29:59");
      assert.deepEqual(w.found('priority WAS High BEFORE "2024-06-11"'), []);
      assert.deepEqual(w.found('priority WAS High BY alice AFTER "-1d"'), P);
      assert.deepEqual(w.found("status WAS Done AFTER now()"), P);
    });
  });
}

describe("JQL history: minute precision (quirk jqlMinutePrecision)", () => {
  // A change at 10:00:30 searched at 10:05:15: "-5m" is 10:00:15, which names the minute 10:00 when JQL dates have
  // minute precision (as on Jira), so AFTER it starts at 10:01 while `updated >= "-5m"` still includes 10:00.
  function probe(jqlMinutePrecision: boolean) {
    let clock = SEED;
    const state = new SandboxState({ flavour: "cloud", quirks: { searchIndexLagMs: 0, jqlMinutePrecision }, now: () => clock });
    applySeed(state, "demo", DEFAULT_ADMIN, { now: SEED });
    state.now = () => clock;
    const ctx: RenderContext = { state, baseUrl: "http://sandbox.test", apiVersion: "3", viewerId: bob.accountId };
    clock = at("2024-06-15T10:00:00Z");
    const issue = createIssue(ctx, { fields: { project: { key: "BOARD" }, issuetype: { id: IDS.type.task }, summary: "Seconds" } });
    clock = at("2024-06-15T10:00:30Z");
    transitionIssue(ctx, issue, { transition: { id: "21" } });
    const now = at("2024-06-15T10:05:15Z");
    return (jql: string) => searchIssues(state, `key = ${issue.key} AND ${jql}`, { viewerId: dave.accountId, now }).length === 1;
  }

  it("with minute precision the named minute is the unit; without it, the instant", () => {
    const minute = probe(true);
    assert.equal(minute('status CHANGED AFTER "-5m"'), false);
    assert.equal(minute('status CHANGED ON "-5m"'), true);
    assert.equal(minute('status CHANGED AFTER "-6m"'), true);
    assert.equal(minute('updated >= "-5m"'), true);
    assert.equal(minute('status WAS "To Do" AFTER "-5m"'), false, "left To Do within the minute named");
    const exact = probe(false);
    assert.equal(exact('status CHANGED AFTER "-5m"'), true);
    assert.equal(exact('status CHANGED ON "2024-06-15 10:00"'), false, "10:00 is an instant, not a minute");
    assert.equal(exact('status CHANGED ON "2024-06-15"'), true, "a day is still a day");
  });
});

describe("JQL history: the demo seed's own changelog", () => {
  const state = new SandboxState({ flavour: "cloud", now: () => SEED });
  applySeed(state, "demo", DEFAULT_ADMIN, { now: SEED });
  const search = (jql: string) => searchIssues(state, jql, { viewerId: dave.accountId, now: SEED }).map((issue) => issue.key).sort();
  const visible = [...state.issues.values()].filter((issue) => state.canBrowse(dave.accountId, issue));
  const items = (issue: Issue, fieldId: string) => issue.changelog.flatMap((entry) => entry.items.filter((item) => item.fieldId === fieldId).map((item) => ({ ...item, at: entry.created, authorId: entry.authorId })));
  const keys = (predicate: (issue: Issue) => boolean) => visible.filter(predicate).map((issue) => issue.key).sort();

  it("CHANGED, TO, BY and AFTER agree with the changelog read by hand", () => {
    const changedToDone = keys((issue) => items(issue, "status").some((item) => item.to === IDS.status.done));
    assert.ok(changedToDone.length > 5);
    assert.deepEqual(search("status CHANGED TO Done"), changedToDone);
    assert.deepEqual(search("status CHANGED"), keys((issue) => items(issue, "status").length > 0));
    assert.deepEqual(search("status CHANGED BY alice"), keys((issue) => items(issue, "status").some((item) => item.authorId === alice.accountId)));
    // After the whole of May 31 in dave's zone (UTC).
    const june = at("2024-06-01T00:00:00Z");
    const after = keys((issue) => items(issue, "status").some((item) => item.at >= june));
    assert.ok(after.length > 0 && after.length < search("status CHANGED").length);
    assert.deepEqual(search('status CHANGED AFTER "2024-05-31"'), after);
    assert.deepEqual(search('status NOT CHANGED AFTER "2024-05-31"'), keys((issue) => !after.includes(issue.key)));
  });

  it("WAS agrees with the creation value, the changes and the current value", () => {
    const wasInProgress = keys((issue) => issue.statusId === IDS.status.inProgress || items(issue, "status").some((item) => item.from === IDS.status.inProgress || item.to === IDS.status.inProgress));
    assert.deepEqual(search('status WAS "In Progress"'), wasInProgress);
    const wasDave = keys((issue) => issue.assigneeId === dave.accountId || items(issue, "assignee").some((item) => item.from === dave.accountId || item.to === dave.accountId));
    assert.ok(wasDave.length > 2);
    assert.deepEqual(search("assignee WAS dave"), wasDave);
    assert.deepEqual(search("assignee WAS NOT dave"), keys((issue) => !wasDave.includes(issue.key)));
  });
});

describe("JQL history: Jira's messages", () => {
  const w = world("cloud");
  const run = (jql: string) => searchIssues(w.state, jql, { viewerId: dave.accountId, now: NOW });

  it("fields without history: Jira's message (with the two spaces its bundle has); unknown fields", () => {
    throwsJql(() => run("summary CHANGED"), "History searches do not support the  'summary' field.");
    throwsJql(() => run("labels WAS x"), "History searches do not support the  'labels' field.");
    throwsJql(() => run("Sprint CHANGED AFTER -1d"), "History searches do not support the  'Sprint' field.");
    throwsJql(() => run("cf[10016] WAS 3"), "History searches do not support the  'cf[10016]' field.");
    throwsJql(() => run('description WAS NOT IN ("a")'), "History searches do not support the  'description' field.");
    // CHANGED only asks whether the field keeps history; WAS first needs the field to exist.
    throwsJql(() => run("nosuchfield CHANGED"), "History searches do not support the  'nosuchfield' field.");
    throwsJql(() => run("nosuchfield WAS x"), "Field 'nosuchfield' does not exist or you do not have permission to view it.");
  });

  it("values, users and dates that do not exist", () => {
    throwsJql(() => run("status WAS Nope"), "The value 'Nope' does not exist for the field 'status'.");
    throwsJql(() => run("status CHANGED TO Nope"), "The value 'Nope' does not exist for the field 'status'.");
    throwsJql(() => run('fixVersion CHANGED FROM "9.9"'), "The value '9.9' does not exist for the field 'fixVersion'.");
    throwsJql(() => run("status CHANGED BY nobody"), "The user 'nobody' does not exist and cannot be used in the 'by' predicate.");
    throwsJql(() => run('status CHANGED AFTER "yesterday"'),
      "Date value 'yesterday' for predicate 'after' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.");
    throwsJql(() => run('status WAS Done ON "2024-13-01"'),
      "Date value '2024-13-01' for predicate 'on' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.");
    throwsJql(() => run("status CHANGED AFTER currentUser()"), "A date for the predicate 'after' provided by the function 'currentUser' is not valid.");
    throwsJql(() => run("status CHANGED AFTER soon()"), "Error in the JQL Query: Unable to find JQL function 'soon()'.");
    throwsJql(() => run("status CHANGED BY startOfDay()"), "A user provided by the function 'startOfDay' is invalid for the 'by' predicate.");
  });

  it("how many dates a predicate takes", () => {
    throwsJql(() => run('status CHANGED AFTER ("-1d", "-2d")'), "The AFTER predicate must be supplied with only 1 date value.");
    throwsJql(() => run('status WAS Done BEFORE ("2024-06-01", "2024-06-02")'), "The BEFORE predicate must be supplied with only 1 date value.");
    throwsJql(() => run('status CHANGED DURING ("-1d")'), "The DURING predicate must be supplied with exactly 2 date values.");
    throwsJql(() => run('status CHANGED DURING "-1d"'), "The DURING predicate must be supplied with exactly 2 date values.");
    throwsJql(() => run('status WAS Done DURING ("-3d", "-2d", "-1d")'), "The DURING predicate must be supplied with exactly 2 date values.");
  });

  it("operands WAS and WAS IN take, and what CHANGED refuses", () => {
    throwsJql(() => run("status WAS (Backlog, Done)"), "Operator 'was' does not support the list value '(\"Backlog\", \"Done\")' for field 'status'.");
    throwsJql(() => run("status WAS NOT (Backlog)"), "Operator 'was not' does not support the list value '(\"Backlog\")' for field 'status'.");
    throwsJql(() => run("status WAS IN Backlog"), "Operator 'was in' does not support the non-list value '\"Backlog\"' for field 'status'.");
    throwsJql(() => run("status WAS NOT IN EMPTY"),
      "Operator 'was not in' does not support the non-list value 'EMPTY' for field 'status'.",
      "Operator 'was not in' does not support the empty value representation 'EMPTY' for field 'status'.");
    throwsJql(() => run("status CHANGED Backlog"), "Error in JQL Query: The CHANGED operator does not support the use of values without predicates. You must prefix the \"Backlog\" value with a suitable predicate.");
    throwsJql(() => run("fixVersion CHANGED 10000"), "Error in JQL Query: The CHANGED operator does not support the use of values without predicates. You must prefix the 10000 value with a suitable predicate.");
  });

  it("predicates an operator does not take, and syntax errors", () => {
    throwsJql(() => run('status = Done AFTER "-1d"'), 'Error in JQL Query: The EQUALS operator does not support the use of the after "-1d" predicate.');
    throwsJql(() => run('status in (Done) BY bob ON "2024-06-01"'), 'Error in JQL Query: The IN operator does not support the use of the by "bob" on "2024-06-01"  predicate.');
    throwsJql(() => run("status WAS Done FROM Backlog"), 'Error in JQL Query: The WAS operator does not support the use of the from "Backlog" predicate.');
    throwsJql(() => run("status WAS"), "Error in the JQL Query: Expecting either a value, list or function but got 'EOF'. (line 1, character 11)");
    throwsJql(() => run("status CHANGED AFTER"), "Error in the JQL Query: Expecting either a value, list or function but got 'EOF'. (line 1, character 21)");
    throwsJql(() => run("status WAS IN (Backlog, Done"), "Error in the JQL Query: Expecting ')' before the end of the query.");
    // Jira's own func test: an unknown word after the predicates.
    throwsJql(() => run("status WAS Done at '10:55'"), "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'at'. (line 1, character 17)");
    throwsJql(() => run("labels = to"), "Error in the JQL Query: 'to' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 10)");
    assert.deepEqual(run('labels = "to"'), []);
  });

  it("history clauses bound a query; the operators and predicates are case-insensitive", () => {
    assert.equal(isBounded(parseJql("status CHANGED")), true);
    assert.equal(isBounded(parseJql("NOT assignee WAS EMPTY ORDER BY key")), true);
    assert.deepEqual(run(`key = ${w.probe.key} AND status changed from backlog to "to do" by BOB on "2024-06-10"`).map((issue) => issue.key), [w.probe.key]);
    assert.deepEqual(run(`key = ${w.probe.key} AND Status Was Not In (Blocked) dUrInG ("2024-06-01", "2024-06-30")`).map((issue) => issue.key), [w.probe.key]);
  });
});

// Tandem's catch-up: a fixVersion-only edit does not bump `updated` (quirk fixVersionSkipsUpdated, on by default),
// so `updated >= "-Nm"` misses it and `fixVersion CHANGED AFTER "-Nm"` finds it, alone or OR-ed with `updated`.
for (const flavour of ["cloud", "dc"] as const) {
  describe(`JQL history over HTTP on ${flavour}: fixVersion changes that do not bump updated`, () => {
    const sandbox = useSandbox({ flavour, quirks: { searchIndexLagMs: 0, fixVersionSkipsUpdated: true } });
    const auth = flavour === "cloud" ? basic("alice@sandbox.test", "alice-token") : basic("alice", "alice-password");
    const api = flavour === "cloud" ? "/rest/api/3" : "/rest/api/2";
    let clock = SEED_NOW + 3 * HOUR;

    const search = async (jql: string): Promise<string[]> => {
      if (flavour === "cloud") {
        const get = await call(sandbox(), "GET", `${api}/search/jql?jql=${encodeURIComponent(jql)}&fields=updated&maxResults=100`, { auth });
        assert.equal(get.status, 200, get.text);
        const post = await call(sandbox(), "POST", `${api}/search/jql`, { auth, body: { jql, fields: ["updated"], maxResults: 100 } });
        assert.equal(post.status, 200, post.text);
        assert.deepEqual(post.body.issues.map((issue: { key: string }) => issue.key), get.body.issues.map((issue: { key: string }) => issue.key));
        return get.body.issues.map((issue: { key: string }) => issue.key).sort();
      }
      const get = await call(sandbox(), "GET", `${api}/search?jql=${encodeURIComponent(jql)}&fields=updated&maxResults=100`, { auth });
      assert.equal(get.status, 200, get.text);
      assert.equal(get.body.total, get.body.issues.length);
      return get.body.issues.map((issue: { key: string }) => issue.key).sort();
    };
    const edit = async (key: string, body: unknown) => {
      const response = await call(sandbox(), "PUT", `${api}/issue/${key}`, { auth, body });
      assert.equal(response.status, 204, response.text);
    };
    const pin = () => {
      sandbox().state.now = () => clock;
    };

    it("finds the fixVersion edit with CHANGED AFTER, alone and OR-ed with updated, and not an older one", async () => {
      pin();
      const state = sandbox().state;
      const [older, target, summaryOnly] = ["ROAD-4", "ROAD-5", "ROAD-6"].map((key) => state.issueByIdOrKey(key)!);
      // An hour ago: a fixVersion change outside the window.
      await edit(older!.key, { update: { fixVersions: [{ add: { name: "2.0" } }] } });
      clock += HOUR;
      const targetUpdated = target!.updated;
      await edit(target!.key, { update: { fixVersions: [{ add: { name: "2.0" } }] } });
      await edit(summaryOnly!.key, { fields: { summary: `${summaryOnly!.summary} (edited)` } });
      clock += 2 * MINUTE;

      // The quirk: the fixVersion edit left `updated` alone, the summary edit did not.
      assert.equal(target!.updated, targetUpdated);
      assert.ok(target!.changelog.at(-1)!.items.every((item) => item.fieldId === "fixVersions"));
      const shown = await call(sandbox(), "GET", `${api}/issue/${target!.key}?fields=updated,fixVersions`, { auth });
      assert.equal(Date.parse(shown.body.fields.updated.replace(/([+-]\d{2})(\d{2})$/, "$1:$2")), targetUpdated);
      assert.ok(shown.body.fields.fixVersions.some((version: { name: string }) => version.name === "2.0"));

      assert.deepEqual(await search('project = ROAD AND updated >= "-10m"'), [summaryOnly!.key]);
      assert.deepEqual(await search('project = ROAD AND fixVersion CHANGED AFTER "-10m"'), [target!.key]);
      assert.deepEqual(await search('project = ROAD AND (updated >= "-10m" OR fixVersion CHANGED AFTER "-10m")'), [target!.key, summaryOnly!.key].sort());
      // The shape Tandem's catch-up writes.
      assert.deepEqual(
        await search('project in ("ROAD") AND (updated >= "-10m" OR fixVersion CHANGED AFTER "-10m") ORDER BY updated ASC'),
        [target!.key, summaryOnly!.key].sort(),
      );
      assert.deepEqual(await search('project = ROAD AND fixVersion CHANGED AFTER "-90m"'), [older!.key, target!.key].sort());
      assert.deepEqual(await search('project = ROAD AND fixVersion CHANGED TO "2.0" BY alice AFTER "-90m"'), [older!.key, target!.key].sort());
      assert.deepEqual(await search('project = ROAD AND fixVersion CHANGED AFTER "-10m" AND fixVersion WAS NOT "2.0" BEFORE "-10m"'), [target!.key]);
    });

    it("answers 400 with Jira's message for a field without history", async () => {
      pin();
      const path = flavour === "cloud" ? `${api}/search/jql?jql=${encodeURIComponent("project = ROAD AND summary CHANGED")}` : `${api}/search?jql=${encodeURIComponent("project = ROAD AND summary CHANGED")}`;
      const response = await call(sandbox(), "GET", path, { auth });
      assert.equal(response.status, 400);
      assert.deepEqual(response.body.errorMessages, ["History searches do not support the  'summary' field."]);
    });
  });
}
