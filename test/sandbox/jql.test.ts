// The sandbox's JQL engine on the demo seed: every expected result is computed by filtering the state by hand.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SandboxState, type Quirks } from "../../src/sandbox/model/state.ts";
import type { Issue } from "../../src/sandbox/model/types.ts";
import { applySeed, DEFAULT_ADMIN } from "../../src/sandbox/seed/index.ts";
import { DEMO_USERS } from "../../src/sandbox/seed/demo.ts";
import { CUSTOM_FIELDS as CF, IDS } from "../../src/sandbox/seed/base.ts";
import { richTextToPlain } from "../../src/sandbox/content/index.ts";
import { isBounded, JqlError, parseJql, searchIssues } from "../../src/sandbox/jql/index.ts";

const NOW = Date.UTC(2024, 5, 15, 12, 0, 0); // Saturday 2024-06-15 12:00 UTC
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const { alice, bob, carol, dave } = DEMO_USERS;

function demo(quirks: Partial<Quirks> = {}): SandboxState {
  const state = new SandboxState({ flavour: "cloud", quirks, now: () => NOW });
  applySeed(state, "demo", DEFAULT_ADMIN, { now: NOW });
  return state;
}

const shared = demo();

/** Issue keys of a search, as a set (order-insensitive comparisons). */
function found(jql: string, viewerId: string | null = alice.accountId, state = shared, now = NOW): string[] {
  return searchIssues(state, jql, { viewerId, now }).map((issue) => issue.key).sort();
}

/** The issues the viewer may browse that satisfy a hand-written predicate. */
function expected(predicate: (issue: Issue) => boolean, viewerId: string | null = alice.accountId, state = shared): string[] {
  return [...state.issues.values()]
    .filter((issue) => (viewerId === null || state.canBrowse(viewerId, issue)) && predicate(issue))
    .map((issue) => issue.key)
    .sort();
}

const projectId = (key: string) => shared.projectByIdOrKey(key)!.id;
const optionId = (fieldId: string, value: string) => shared.customFields.get(fieldId)!.options.find((option) => option.value === value)!.id;
const statusName = (issue: Issue) => shared.statuses.get(issue.statusId)!.name;
const keyNumber = (key: string) => Number(key.split("-")[1]);
const toMinute = (time: number) => Math.floor(time / MINUTE) * MINUTE;

function throwsJql(action: () => unknown, message: string): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof JqlError, `expected a JqlError, got ${String(error)}`);
    assert.deepEqual(error.messages, [message]);
    return true;
  });
}

describe("JQL: projects, keys, ids", () => {
  it("matches project by key, id and name, case-insensitively", () => {
    const road = expected((issue) => issue.projectId === projectId("ROAD"));
    assert.ok(road.length > 10);
    assert.deepEqual(found("project = ROAD"), road);
    assert.deepEqual(found("PROJECT = road"), road);
    assert.deepEqual(found(`project = ${projectId("ROAD")}`), road);
    assert.deepEqual(found('project = "Product Roadmap"'), road);
    assert.deepEqual(found("Project In (ROAD, BOARD)"), expected((issue) => [projectId("ROAD"), projectId("BOARD")].includes(issue.projectId)));
    assert.deepEqual(found("project not in (ROAD, BOARD)"), expected((issue) => ![projectId("ROAD"), projectId("BOARD")].includes(issue.projectId)));
  });

  it("matches key, issuekey and id; compares keys numerically within a project", () => {
    assert.deepEqual(found("key = ROAD-3"), ["ROAD-3"]);
    assert.deepEqual(found("issuekey in (road-1, SCHED-2)"), ["ROAD-1", "SCHED-2"]);
    const road9 = shared.issueByIdOrKey("ROAD-9")!;
    assert.deepEqual(found(`id = ${road9.id}`), ["ROAD-9"]);
    assert.deepEqual(found("key > ROAD-9"), expected((issue) => issue.projectId === projectId("ROAD") && keyNumber(issue.key) > 9));
    assert.deepEqual(found("key <= ROAD-2"), ["ROAD-1", "ROAD-2"]);
    assert.deepEqual(found(`id >= ${road9.id}`), expected((issue) => Number(issue.id) >= Number(road9.id)));
    throwsJql(() => found("key = ROAD-999"), "An issue with key 'ROAD-999' does not exist for field 'key'.");
  });
});

describe("JQL: workflow fields", () => {
  it("matches issuetype/type by name or id, status by name or id, statusCategory by name, key or id", () => {
    assert.deepEqual(found("issuetype = Bug"), expected((issue) => issue.issueTypeId === IDS.type.bug));
    assert.deepEqual(found(`type = ${IDS.type.story}`), expected((issue) => issue.issueTypeId === IDS.type.story));
    assert.deepEqual(found('status = "In Progress"'), expected((issue) => statusName(issue) === "In Progress"));
    assert.deepEqual(found(`status = ${IDS.status.done}`), expected((issue) => issue.statusId === IDS.status.done));
    const category = (key: string) => expected((issue) => shared.statuses.get(issue.statusId)!.category === key);
    assert.deepEqual(found('statusCategory = "In Progress"'), category("indeterminate"));
    assert.deepEqual(found("statuscategory = done"), category("done"));
    assert.deepEqual(found("statusCategory = 2"), category("new"));
    throwsJql(() => found("status = Nope"), "The value 'Nope' does not exist for the field 'status'.");
  });

  it("matches priority and resolution, including Unresolved", () => {
    assert.deepEqual(found("priority = High"), expected((issue) => issue.priorityId === "2"));
    assert.deepEqual(found("resolution = Unresolved"), expected((issue) => issue.resolutionId === null));
    assert.deepEqual(found("resolution is EMPTY"), expected((issue) => issue.resolutionId === null));
    assert.deepEqual(found("resolution != Unresolved"), expected((issue) => issue.resolutionId !== null));
    assert.deepEqual(found("resolution = Done"), expected((issue) => issue.resolutionId === "10000"));
  });
});

describe("JQL: users", () => {
  it("resolves accountId, email, name and display name; currentUser(); EMPTY", () => {
    const bobs = expected((issue) => issue.assigneeId === bob.accountId);
    assert.ok(bobs.length > 0);
    for (const ref of [bob.accountId, bob.email, bob.name, `"${bob.displayName}"`]) assert.deepEqual(found(`assignee = ${ref}`), bobs);
    assert.deepEqual(found("assignee = currentUser()", bob.accountId), expected((issue) => issue.assigneeId === bob.accountId, bob.accountId));
    assert.deepEqual(found("assignee is EMPTY"), expected((issue) => issue.assigneeId === null));
    assert.deepEqual(found("assignee IS NOT null"), expected((issue) => issue.assigneeId !== null));
    // `!=` never matches an empty field, as in Jira.
    assert.deepEqual(found("assignee != bob"), expected((issue) => issue.assigneeId !== null && issue.assigneeId !== bob.accountId));
    assert.deepEqual(found("assignee in (EMPTY, bob)"), expected((issue) => issue.assigneeId === null || issue.assigneeId === bob.accountId));
    assert.deepEqual(found("reporter = dave"), expected((issue) => issue.reporterId === dave.accountId));
    assert.deepEqual(found("creator = alice@sandbox.test"), expected((issue) => issue.creatorId === alice.accountId));
    throwsJql(() => found("assignee = nobody"), "The value 'nobody' does not exist for the field 'assignee'.");
  });
});

describe("JQL: multi-valued and linked fields", () => {
  it("matches labels, component, fixVersion, affectedVersion, parent", () => {
    assert.deepEqual(found("labels = q4"), expected((issue) => issue.labels.includes("q4")));
    assert.deepEqual(found("labels not in (q4)"), expected((issue) => issue.labels.length > 0 && !issue.labels.includes("q4")));
    assert.deepEqual(found("component = API"), expected((issue) => issue.componentIds.includes("10000")));
    assert.deepEqual(found('fixVersion = "1.1"'), expected((issue) => issue.fixVersionIds.includes("10001")));
    assert.deepEqual(found('affectedVersion = "1.0"'), expected((issue) => issue.affectsVersionIds.includes("10000")));
    const epic = [...shared.issues.values()].find((issue) => issue.summary === "Mobile checkout")!;
    assert.deepEqual(found(`parent = ${epic.key}`), expected((issue) => issue.parentId === epic.id));
    assert.deepEqual(found(`parent = ${epic.id}`), expected((issue) => issue.parentId === epic.id));
  });

  it("matches sprint by id, name, openSprints() and closedSprints()", () => {
    const inSprint = (ids: number[]) => (issue: Issue) => ((issue.customFields[CF.sprint] as unknown as number[] | undefined) ?? []).some((id) => ids.includes(id));
    assert.deepEqual(found("sprint = 2"), expected(inSprint([2])));
    assert.deepEqual(found('sprint = "ROAD Sprint 1"'), expected(inSprint([1])));
    const open = [...shared.sprints.values()].filter((sprint) => sprint.state === "active").map((sprint) => sprint.id);
    assert.deepEqual(found("sprint in openSprints()"), expected(inSprint(open)));
    assert.deepEqual(found("sprint in closedSprints()"), expected(inSprint([1])));
  });

  it("matches issue properties by path", () => {
    const state = demo();
    state.issueByIdOrKey("ROAD-2")!.properties["tandem.sync"] = { link: { state: "linked", ids: [7, 8] } };
    state.issueByIdOrKey("BOARD-1")!.properties["tandem.sync"] = { link: { state: "pending" } };
    assert.deepEqual(found("issue.property[tandem.sync].link.state = linked", alice.accountId, state), ["ROAD-2"]);
    assert.deepEqual(found("issue.property[tandem.sync].link.ids = 8", alice.accountId, state), ["ROAD-2"]);
    assert.deepEqual(found("issue.property[tandem.sync].link.state is not empty", alice.accountId, state), ["BOARD-1", "ROAD-2"]);
  });
});

describe("JQL: custom fields", () => {
  const number = (issue: Issue) => issue.customFields[CF.storyPoints];
  it("compares numbers by name and cf[id]", () => {
    assert.deepEqual(found('"Story point estimate" > 3'), expected((issue) => typeof number(issue) === "number" && (number(issue) as number) > 3));
    assert.deepEqual(found("cf[10016] <= 2"), expected((issue) => typeof number(issue) === "number" && (number(issue) as number) <= 2));
    assert.deepEqual(found("cf[10016] is EMPTY"), expected((issue) => typeof number(issue) !== "number"));
  });

  it("matches select, checkbox, multiselect, radio and user picker by value", () => {
    assert.deepEqual(found('"Product Area" = Mobile'), expected((issue) => issue.customFields[CF.productArea] === optionId(CF.productArea, "Mobile")));
    assert.deepEqual(found('"product area" != Mobile'), expected((issue) => typeof issue.customFields[CF.productArea] === "string" && issue.customFields[CF.productArea] !== optionId(CF.productArea, "Mobile")));
    const platforms = (issue: Issue) => (issue.customFields[CF.platforms] as string[] | undefined) ?? [];
    assert.deepEqual(found('"Affected Platforms" = Android'), expected((issue) => platforms(issue).includes(optionId(CF.platforms, "Android"))));
    assert.deepEqual(found('"Is Capitalised" is EMPTY'), expected((issue) => ((issue.customFields[CF.capitalised] as string[] | null | undefined) ?? []).length === 0));
    assert.deepEqual(found("Risk = High"), expected((issue) => issue.customFields[CF.risk] === optionId(CF.risk, "High")));
    assert.deepEqual(found(`Reviewer = ${carol.email}`), expected((issue) => issue.customFields[CF.reviewer] === carol.accountId));
    throwsJql(() => found('"Product Area" = Nowhere'), "The value 'Nowhere' does not exist for the field 'Product Area'.");
  });

  it("compares date-times and calendar dates in the caller's time zone, and searches text areas", () => {
    const goLive = (issue: Issue) => issue.customFields[CF.goLive];
    assert.deepEqual(found('"Go-live" > "+5d"'), expected((issue) => typeof goLive(issue) === "number" && toMinute(goLive(issue) as number) > toMinute(NOW + 5 * DAY)));
    const state = demo();
    state.issueByIdOrKey("SCHED-3")!.customFields[CF.projectedStart] = "2024-06-20";
    for (const viewer of [alice, carol, dave]) {
      assert.deepEqual(found('"Projected Start" = "2024-06-20"', viewer.accountId, state), ["SCHED-3"]);
      assert.deepEqual(found('"Projected Start" < "2024/06/20"', viewer.accountId, state), []);
    }
    const comments = (issue: Issue) => {
      const value = issue.customFields[CF.statusComments];
      return value && typeof value === "object" && !Array.isArray(value) ? richTextToPlain(value) : "";
    };
    const onTrack = expected((issue) => /\bon\b/i.test(comments(issue)) && /\btrack/i.test(comments(issue)));
    assert.ok(onTrack.length > 0);
    assert.deepEqual(found('"Status Comments" ~ "on track"'), onTrack);
  });

  it("rejects unknown fields and unknown cf ids", () => {
    throwsJql(() => found("foo = bar"), "Field 'foo' does not exist or you do not have permission to view it.");
    throwsJql(() => found("cf[99999] = 1"), "Field 'cf[99999]' does not exist or you do not have permission to view it.");
  });
});

describe("JQL: text search", () => {
  const plain = (value: Issue["description"]) => (value ? richTextToPlain(value) : "");
  it("~ matches words and prefixes case-insensitively, in each text field and in text", () => {
    assert.deepEqual(found("summary ~ CHECKOUT"), expected((issue) => /\bcheckout\b/i.test(issue.summary)));
    assert.deepEqual(found('summary ~ "check*"'), expected((issue) => /\bcheck/i.test(issue.summary)));
    assert.deepEqual(found("summary !~ checkout"), expected((issue) => !/\bcheckout/i.test(issue.summary)));
    assert.deepEqual(found("description ~ shopper"), expected((issue) => /\bshopper/i.test(plain(issue.description))));
    const commentText = (issue: Issue) => issue.comments.map((comment) => richTextToPlain(comment.body)).join("\n");
    assert.deepEqual(found("comment ~ credentials"), expected((issue) => /\bcredentials/i.test(commentText(issue))));
    assert.deepEqual(
      found("text ~ credentials"),
      expected((issue) => /\bcredentials/i.test([issue.summary, plain(issue.description), plain(issue.environment), commentText(issue)].join("\n"))),
    );
    throwsJql(() => found("summary = checkout"), "The operator '=' is not supported by the 'summary' field. Use '~' or '!~'.");
  });
});

describe("JQL: precedence and grouping", () => {
  it("AND binds tighter than OR; NOT and parentheses", () => {
    const bug = (issue: Issue) => issue.issueTypeId === IDS.type.bug;
    const road = (issue: Issue) => issue.projectId === projectId("ROAD");
    const done = (issue: Issue) => issue.statusId === IDS.status.done;
    assert.deepEqual(found("type = Bug OR project = ROAD and status = Done"), expected((issue) => bug(issue) || (road(issue) && done(issue))));
    assert.deepEqual(found("(type = Bug OR project = ROAD) AND status = Done"), expected((issue) => (bug(issue) || road(issue)) && done(issue)));
    assert.deepEqual(found("project = ROAD AND NOT status = Done"), expected((issue) => road(issue) && !done(issue)));
    assert.deepEqual(found("not (project = ROAD or type = Bug)"), expected((issue) => !(road(issue) || bug(issue))));
  });
});

describe("JQL: ORDER BY", () => {
  it("sorts keys numerically within a project (ROAD-10 after ROAD-9)", () => {
    const keys = searchIssues(shared, "project = ROAD ORDER BY key ASC", { viewerId: alice.accountId, now: NOW }).map((issue) => issue.key);
    assert.deepEqual(keys, [...keys].sort((a, b) => keyNumber(a) - keyNumber(b)));
    assert.ok(keys.indexOf("ROAD-10") === keys.indexOf("ROAD-9") + 1);
  });

  it("defaults to key DESC and honours several sort fields", () => {
    const keys = searchIssues(shared, "project in (ROAD, BOARD)", { viewerId: alice.accountId, now: NOW }).map((issue) => issue.key);
    const byKeyDesc = [...keys].sort((a, b) => {
      const [pa, pb] = [a.split("-")[0]!, b.split("-")[0]!];
      return pa === pb ? keyNumber(b) - keyNumber(a) : pa < pb ? 1 : -1;
    });
    assert.deepEqual(keys, byKeyDesc);

    const sorted = searchIssues(shared, "project = ROAD order by status asc, created DESC", { viewerId: alice.accountId, now: NOW });
    const manual = [...sorted].sort((a, b) => statusName(a).localeCompare(statusName(b)) || b.created - a.created);
    assert.deepEqual(sorted.map((issue) => issue.key), manual.map((issue) => issue.key));
  });
});

describe("JQL: dates", () => {
  it("relative periods from now", () => {
    const state = demo({ jqlMinutePrecision: false });
    // Spread a few creation times so each period draws a different line.
    for (const [key, age] of [["SCHED-1", 20 * MINUTE], ["SCHED-2", 3 * HOUR], ["SCHED-3", 20 * HOUR], ["SCHED-4", 25 * HOUR], ["SCHED-5", 10 * DAY]] as const) {
      state.issueByIdOrKey(key)!.created = NOW - age;
    }
    for (const [period, ms] of [["-1d", DAY], ["-2w", 14 * DAY], ["-4h", 4 * HOUR], ["-30m", 30 * MINUTE], ['"-1d 2h"', DAY + 2 * HOUR]] as const) {
      assert.deepEqual(found(`created >= ${period}`, alice.accountId, state), expected((issue) => issue.created >= NOW - ms, alice.accountId, state), period);
    }
    assert.deepEqual(found("updated > -10d", alice.accountId, state, NOW + 3 * DAY), expected((issue) => issue.updated > NOW - 7 * DAY, alice.accountId, state));
  });

  it("absolute dates and startOfDay() read in the caller's time zone", () => {
    const state = demo();
    const issue = state.issueByIdOrKey("SCHED-4")!;
    issue.created = Date.UTC(2024, 5, 10, 2, 0); // 2024-06-09 22:00 in New York, 2024-06-10 11:00 in Tokyo
    const day = 'key = SCHED-4 AND created >= "2024-06-10" AND created < "2024/06/11"';
    assert.deepEqual(found(day, alice.accountId, state), []);
    assert.deepEqual(found(day, carol.accountId, state), ["SCHED-4"]);
    assert.deepEqual(found(day, dave.accountId, state), ["SCHED-4"]);
    assert.deepEqual(found('key = SCHED-4 AND created = "2024-06-09 22:00"', alice.accountId, state), ["SCHED-4"]);

    issue.created = Date.UTC(2024, 5, 15, 3, 30); // before midnight in New York, after it in UTC
    assert.deepEqual(found("key = SCHED-4 AND created >= startOfDay()", alice.accountId, state), []);
    assert.deepEqual(found("key = SCHED-4 AND created >= startOfDay()", dave.accountId, state), ["SCHED-4"]);
    assert.deepEqual(found("key = SCHED-4 AND created >= startOfDay(-1)", alice.accountId, state), ["SCHED-4"]);
    // Saturday 2024-06-15: the week began on Sunday the 9th (in Tokyo too, where it is Saturday evening).
    assert.deepEqual(found("key = SCHED-4 AND created >= startOfWeek()", carol.accountId, state), ["SCHED-4"]);
    assert.deepEqual(found("key = SCHED-4 AND created <= now() AND created < endOfDay()", dave.accountId, state), ["SCHED-4"]);

    issue.dueDate = "2024-06-20";
    for (const viewer of [alice, carol]) assert.deepEqual(found('duedate = "2024-06-20"', viewer.accountId, state), ["SCHED-4"]);
  });

  it("compares timestamps truncated to the minute when the quirk is on", () => {
    for (const precise of [true, false]) {
      const state = demo({ jqlMinutePrecision: precise });
      state.issueByIdOrKey("BOARD-2")!.updated = Date.UTC(2024, 5, 15, 10, 0, 30);
      const result = found('key = BOARD-2 AND updated <= "2024-06-15 10:00"', dave.accountId, state);
      assert.deepEqual(result, precise ? ["BOARD-2"] : []);
    }
  });

  it("rejects an invalid date with Jira's message", () => {
    throwsJql(
      () => found('created > "2024-13-45"'),
      "Date value '2024-13-45' for field 'created' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.",
    );
  });
});

describe("JQL: permissions and the search index", () => {
  it("Bob sees no OPS issues, and OPS does not exist for him", () => {
    const opsId = projectId("OPS");
    assert.ok([...shared.issues.values()].some((issue) => issue.projectId === opsId));
    const bobTasks = found("type = Task", bob.accountId);
    assert.deepEqual(bobTasks, expected((issue) => issue.issueTypeId === IDS.type.task, bob.accountId));
    assert.ok(bobTasks.every((key) => !key.startsWith("OPS-")));
    assert.ok(found("type = Task").some((key) => key.startsWith("OPS-")));
    throwsJql(() => found("project = OPS", bob.accountId), "The value 'OPS' does not exist for the field 'project'.");
    assert.deepEqual(found("project = OPS", null), expected((issue) => issue.projectId === opsId, null));
  });

  it("leaves out issues the index does not hold yet", () => {
    const state = demo();
    state.issueByIdOrKey("ROAD-1")!.indexedAt = NOW + 1500;
    assert.ok(!found("project = ROAD", alice.accountId, state).includes("ROAD-1"));
    assert.ok(found("project = ROAD", alice.accountId, state, NOW + 1500).includes("ROAD-1"));
  });
});

describe("JQL: syntax errors", () => {
  it("uses Jira's wording and positions", () => {
    throwsJql(
      () => parseJql("project foo bar"),
      "Error in the JQL Query: Expecting operator but got 'foo'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 9)",
    );
    throwsJql(() => parseJql('a = "abc'), "Error in the JQL Query: The quoted string 'abc' has not been completed. (line 1, character 5)");
    throwsJql(() => parseJql("summary ~ 'it\\'s"), "Error in the JQL Query: The quoted string 'it's' has not been completed. (line 1, character 11)");
    throwsJql(() => parseJql("project = ROAD foo"), "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'foo'. (line 1, character 16)");
  });

  it("parses quoted strings with escapes and both quote styles", () => {
    const query = parseJql(`summary ~ 'it\\'s' AND "Story point estimate" > 3 order by "Story point estimate" desc, KEY`);
    assert.deepEqual(query.orderBy, [{ field: "Story point estimate", direction: "desc" }, { field: "KEY", direction: "asc" }]);
    assert.equal(query.where?.kind, "and");
  });
});

describe("JQL: bounded queries", () => {
  it("an empty query or a bare ORDER BY is unbounded; any restriction is bounded", () => {
    assert.equal(isBounded(parseJql("")), false);
    assert.equal(isBounded(parseJql("order by key desc")), false);
    assert.equal(isBounded(parseJql("assignee = currentUser() order by key")), true);
    assert.equal(isBounded(parseJql("(project = ROAD OR project = BOARD) AND NOT status = Done")), true);
  });
});
