// The `demo` seed: four projects, a hierarchy, every custom field type, users with different permissions,
// and weeks of history made through the same operations the REST API uses (so the changelog is real).
import type { SandboxState } from "../model/state.ts";
import type { Issue } from "../model/types.ts";
import type { RenderContext } from "../render/context.ts";
import { addComment } from "../ops/comments.ts";
import { createIssue, editIssue, transitionIssue } from "../ops/issues.ts";
import { addWorklog } from "../ops/worklogs.ts";
import { createLink } from "../ops/links.ts";
import { availableTransitions } from "../render/transitions.ts";
import {
  addProject,
  addUser,
  ALL_PROJECT_PERMISSIONS,
  CONTRIBUTOR,
  CUSTOM_FIELDS as CF,
  grant,
  IDS,
  installBaseConfiguration,
  READ_ONLY,
  type AdminCredentials,
} from "./base.ts";

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;

/** Demo users; each has the API token `<name>-token` and the password `<name>-password`. */
export const DEMO_USERS = {
  alice: { accountId: "5b10ac8d82e05b22cc7d4ef5", name: "alice", email: "alice@sandbox.test", displayName: "Alice Martin", timeZone: "America/New_York" },
  bob: { accountId: "5b10ac8d82e05b22cc7d4ef6", name: "bob", email: "bob@sandbox.test", displayName: "Bob Chen", timeZone: "Europe/London" },
  carol: { accountId: "5b10ac8d82e05b22cc7d4ef7", name: "carol", email: "carol@sandbox.test", displayName: "Carol Diaz", timeZone: "Asia/Tokyo" },
  dave: { accountId: "5b10ac8d82e05b22cc7d4ef8", name: "dave", email: "dave@sandbox.test", displayName: "Dave Okafor", timeZone: "UTC" },
  sync: { accountId: "5b10ac8d82e05b22cc7d4ef9", name: "tandem-sync", email: "tandem-sync@sandbox.test", displayName: "Tandem Sync", timeZone: "UTC" },
} as const;

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedDemo(state: SandboxState, admin: AdminCredentials, options: { now?: number } = {}): void {
  const end = options.now ?? state.now();
  const adminUser = installBaseConfiguration(state, admin);
  const users = Object.fromEntries(
    Object.entries(DEMO_USERS).map(([handle, user]) => [
      handle,
      addUser(state, { ...user, password: `${user.name}-password`, apiTokens: [`${user.name}-token`], personalAccessTokens: [`${user.name}-pat`] }),
    ]),
  ) as Record<keyof typeof DEMO_USERS, ReturnType<typeof addUser>>;

  // Projects: a scheduler's, a team board, a roadmap with a hierarchy, and a restricted operations project.
  const sched = addProject(state, {
    id: "10000", key: "SCHED", name: "Scheduler Demo", description: "Tasks a critical-chain schedule tracks.", style: "classic",
    leadAccountId: users.alice.accountId, workflowId: IDS.workflow.software,
    issueTypeIds: [IDS.type.epic, IDS.type.task, IDS.type.story, IDS.type.bug, IDS.type.subtask],
    fieldConfig: { "*": [CF.statusComments, CF.criticality, CF.criticalityRatio, CF.daysUntilCritical, CF.projectedStart, CF.lastSyncDate, CF.taskUrl, CF.criticalityText].map((fieldId) => ({ fieldId, required: false })) },
  });
  const board = addProject(state, {
    id: "10001", key: "BOARD", name: "Planning Board", description: "A team-managed board.", style: "next-gen",
    leadAccountId: users.bob.accountId, workflowId: IDS.workflow.simple,
    issueTypeIds: [IDS.type.epic, IDS.type.story, IDS.type.task, IDS.type.bug, IDS.type.subtask],
    fieldConfig: { "*": [CF.storyPoints, CF.teamTags].map((fieldId) => ({ fieldId, required: false })) },
  });
  const road = addProject(state, {
    id: "10002", key: "ROAD", name: "Product Roadmap", description: "Initiatives, epics, stories and sub-tasks.", style: "classic",
    leadAccountId: users.alice.accountId, workflowId: IDS.workflow.software,
    issueTypeIds: [IDS.type.initiative, IDS.type.epic, IDS.type.story, IDS.type.task, IDS.type.bug, IDS.type.subtask],
    fieldConfig: {
      "*": [CF.storyPoints, CF.sprint, CF.productArea, CF.capitalised, CF.platforms, CF.reviewer, CF.goLive, CF.teamTags].map((fieldId) => ({ fieldId, required: false })),
      [IDS.type.bug]: [{ fieldId: CF.risk, required: true }],
    },
  });
  const ops = addProject(state, {
    id: "10003", key: "OPS", name: "Operations", description: "Restricted: not every user may browse it.", style: "classic",
    leadAccountId: users.dave.accountId, workflowId: IDS.workflow.software,
    issueTypeIds: [IDS.type.task, IDS.type.bug, IDS.type.subtask],
    fieldConfig: { "*": [CF.productArea, CF.capitalised, CF.statusComments].map((fieldId) => ({ fieldId, required: false })) },
  });
  for (const project of [sched, board, road, ops]) {
    grant(project, users.alice.accountId, [...CONTRIBUTOR, "DELETE_ISSUES", "ADMINISTER_PROJECTS"]);
    grant(project, users.sync.accountId, CONTRIBUTOR);
    grant(project, users.carol.accountId, READ_ONLY);
    grant(project, users.dave.accountId, CONTRIBUTOR);
  }
  for (const project of [sched, board, road]) grant(project, users.bob.accountId, CONTRIBUTOR);
  grant(ops, adminUser.accountId, ALL_PROJECT_PERMISSIONS);

  for (const [id, projectId, name] of [["10000", road.id, "API"], ["10001", road.id, "UI"], ["10002", road.id, "Infra"], ["10003", board.id, "Frontend"]]) {
    state.components.set(id, { id, projectId, name, description: `${name} component` });
  }
  for (const [id, projectId, name, released, releaseDate] of [
    ["10000", road.id, "1.0", true, isoDate(end - 20 * DAY)],
    ["10001", road.id, "1.1", false, isoDate(end + 15 * DAY)],
    ["10002", road.id, "2.0", false, null],
  ] as const) {
    state.versions.set(id, { id, projectId, name, description: `Release ${name}`, released, archived: false, releaseDate });
  }
  state.boards.set(1, { id: 1, name: "ROAD board", type: "scrum", projectId: road.id, filterJql: "project = ROAD ORDER BY Rank ASC" });
  state.boards.set(2, { id: 2, name: "BOARD board", type: "kanban", projectId: board.id, filterJql: "project = BOARD ORDER BY Rank ASC" });
  state.boards.set(3, { id: 3, name: "SCHED board", type: "scrum", projectId: sched.id, filterJql: "project = SCHED ORDER BY Rank ASC" });
  state.filters.set(10000, { id: 10000, name: "Board bugs", jql: "project = BOARD AND issuetype = Bug ORDER BY created DESC", description: "Every bug on the planning board.", ownerId: users.bob.accountId });
  state.filters.set(10001, { id: 10001, name: "Q4 team work", jql: "labels = q4 ORDER BY updated DESC", description: "Work labelled for Q4.", ownerId: users.alice.accountId });
  const sprintDates = (startDays: number) => ({ startDate: new Date(end - startDays * DAY).toISOString(), endDate: new Date(end - (startDays - 14) * DAY).toISOString() });
  state.sprints.set(1, { id: 1, boardId: 1, name: "ROAD Sprint 1", state: "closed", ...sprintDates(30), completeDate: new Date(end - 16 * DAY).toISOString(), goal: "Ship 1.0" });
  state.sprints.set(2, { id: 2, boardId: 1, name: "ROAD Sprint 2", state: "active", ...sprintDates(10), completeDate: null, goal: "Mobile polish" });
  state.sprints.set(3, { id: 3, boardId: 1, name: "ROAD Sprint 3", state: "future", startDate: null, endDate: null, completeDate: null, goal: "" });
  state.sprints.set(4, { id: 4, boardId: 3, name: "SCHED Sprint 1", state: "active", ...sprintDates(5), completeDate: null, goal: "Buffer burn" });
  state.reserveId("sprint", 4);
  state.reserveId("board", 3);

  const realNow = state.now;
  let clock = end - 42 * DAY;
  state.now = () => clock;
  const as = (accountId: string): RenderContext => ({ state, baseUrl: "", apiVersion: "2", viewerId: accountId });
  // A user reference as each flavour's REST takes it: accountId on Cloud, name on DC.
  const userRef = (accountId: string) => (state.flavour === "cloud" ? { accountId } : { name: state.userByAccountId(accountId)!.name });
  const at = (time: number) => {
    // History never runs past the seed's end: steps that would crowd into its last hour, a minute apart.
    const wanted = Math.max(clock, time);
    clock = wanted <= end - HOUR ? wanted : Math.min(Math.max(clock, end - HOUR) + 60_000, end);
  };
  const create = (actor: string, fields: Record<string, unknown>) => createIssue(as(actor), { fields });
  const moveTo = (actor: string, issue: Issue, statusName: string, fields: Record<string, unknown> = {}) => walkTo(as(actor), issue, statusName, fields);
  const rand = random(42);

  try {
    // ---- SCHED: the scheduler's tasks (time tracking, status comments) ----
    at(end - 40 * DAY);
    const schedEpic = create(users.alice.accountId, {
      project: { key: "SCHED" }, issuetype: { id: IDS.type.epic }, summary: "Release 3 schedule",
      description: "All tasks of the *Release 3* critical chain.",
    });
    const schedTasks: Issue[] = [];
    const taskNames = [
      "Design data model", "Build import pipeline", "Write migration scripts", "Set up staging environment",
      "Load test the API", "Security review", "Prepare release notes", "Train support team",
    ];
    taskNames.forEach((summary, index) => {
      at(end - (38 - index) * DAY);
      const estimateHours = 8 * (1 + Math.floor(rand() * 5));
      schedTasks.push(create(users.alice.accountId, {
        project: { key: "SCHED" }, issuetype: { id: IDS.type.task }, summary, parent: { key: schedEpic.key },
        description: `Task ${index + 1} of the release schedule.\n\n* estimate: ${estimateHours}h\n* owner decides the approach`,
        timetracking: { originalEstimate: `${estimateHours}h` },
        assignee: userRef([users.bob, users.dave, users.alice][index % 3].accountId),
        priority: { id: String(1 + (index % 4)) },
      }));
    });
    schedTasks.forEach((task, index) => {
      if (index >= 6) return; // the last two stay in Backlog
      at(task.created + (1 + index) * DAY);
      moveTo(task.assigneeId!, task, "In Progress");
      at(clock + 2 * DAY + index * HOUR);
      editIssue(as(task.assigneeId!), task, { fields: { timetracking: { remainingEstimate: `${Math.max(1, 8 - index)}h` }, [CF.statusComments]: `Progress on ${task.summary.toLowerCase()}: on track.` } });
      addWorklog(as(task.assigneeId!), task, { timeSpent: `${2 + index}h`, comment: "Worked on it." });
      if (index < 3) {
        at(clock + 3 * DAY);
        moveTo(task.assigneeId!, task, "Done");
      }
    });
    addComment(as(users.bob.accountId), schedTasks[1], { body: "Import pipeline blocked on credentials; asked ops." });

    // ---- BOARD: a team board with mixed issue types ----
    const boardItems = [
      ["Story", "Onboarding checklist for new hires"], ["Task", "Order standing desks"], ["Bug", "Calendar invite shows wrong time zone"],
      ["Story", "Quarterly planning template"], ["Task", "Clean up shared drive"], ["Story", "Team retro board"],
      ["Bug", "Broken link in handbook"], ["Task", "Book offsite venue"], ["Story", "Hiring scorecards"],
      ["Task", "Renew software licences"], ["Story", "Publish team charter"], ["Bug", "Typos in the FAQ"],
    ] as const;
    const boardIssues = boardItems.map(([type, summary], index) => {
      at(end - (35 - index * 2) * DAY);
      return create([users.bob, users.alice, users.dave][index % 3].accountId, {
        project: { key: "BOARD" }, issuetype: { name: type }, summary,
        description: index % 4 === 0 ? null : `Context for _${summary.toLowerCase()}_.\n\n# first step\n# second step`,
        labels: index % 2 ? ["team", "q4"] : ["team"],
        ...(type === "Story" ? { [CF.storyPoints]: [1, 2, 3, 5, 8][index % 5] } : {}),
      });
    });
    boardIssues.forEach((issue, index) => {
      if (index % 3 === 2) return;
      at(issue.created + (2 + (index % 4)) * DAY);
      moveTo(issue.reporterId!, issue, "In Progress");
      editIssue(as(issue.reporterId!), issue, { fields: { assignee: userRef(issue.reporterId!) } });
      if (index % 3 === 0) {
        at(clock + 4 * DAY);
        moveTo(issue.reporterId!, issue, "Done");
      }
    });
    addComment(as(users.alice.accountId), boardIssues[0], { body: "Let's keep this to *one page*." });
    addComment(as(users.bob.accountId), boardIssues[0], { body: "Agreed, drafting now." });

    // ---- ROAD: Initiative > Epic > Story > Sub-task, sprints, versions, components ----
    at(end - 34 * DAY);
    const initiative = create(users.alice.accountId, { project: { key: "ROAD" }, issuetype: { id: IDS.type.initiative }, summary: "Grow mobile revenue", [CF.productArea]: { value: "Mobile" } });
    const epics = ["Mobile checkout", "Offline mode"].map((summary, index) =>
      create(users.alice.accountId, {
        project: { key: "ROAD" }, issuetype: { id: IDS.type.epic }, summary, parent: { key: initiative.key },
        [CF.productArea]: { value: index ? "Platform" : "Mobile" }, fixVersions: [{ name: index ? "2.0" : "1.1" }],
      }),
    );
    const stories: Issue[] = [];
    const storyNames = [
      ["Card payment form", 0], ["Apple Pay", 0], ["Order summary screen", 0], ["Receipt emails", 0],
      ["Local cache layer", 1], ["Sync conflict banner", 1], ["Background upload queue", 1],
    ] as const;
    storyNames.forEach(([summary, epicIndex], index) => {
      at(end - (33 - index) * DAY);
      stories.push(create(users.alice.accountId, {
        project: { key: "ROAD" }, issuetype: { id: IDS.type.story }, summary, parent: { key: epics[epicIndex].key },
        [CF.storyPoints]: [3, 5, 2, 1, 8, 3, 5][index],
        [CF.sprint]: index < 3 ? 1 : index < 6 ? 2 : 3,
        [CF.capitalised]: index % 2 === 0 ? [{ value: "Yes" }] : null,
        [CF.platforms]: [{ value: "iOS" }, ...(index % 2 ? [{ value: "Android" }] : [])],
        [CF.reviewer]: userRef(users.carol.accountId),
        [CF.goLive]: new Date(end + (index + 3) * DAY).toISOString().replace("Z", "+0000"),
        components: [{ name: index % 2 ? "API" : "UI" }],
        fixVersions: [{ name: index < 3 ? "1.0" : "1.1" }],
        assignee: userRef([users.bob.accountId, users.dave.accountId][index % 2]),
        timetracking: { originalEstimate: `${2 + (index % 3)}d` },
        description: `As a shopper I want *${summary.toLowerCase()}* so that checkout is faster.`,
      }));
    });
    stories.forEach((story, index) => {
      // History over weeks: start, hand over to another person, review, sometimes reopen.
      at(story.created + 2 * DAY);
      moveTo(story.assigneeId!, story, "In Progress");
      if (index === 1 || index === 4) {
        at(clock + 2 * DAY);
        editIssue(as(users.alice.accountId), story, { fields: { assignee: userRef(users.alice.accountId) } });
      }
      if (index < 5) {
        at(clock + 3 * DAY + index * HOUR);
        moveTo(story.assigneeId!, story, "In Review");
      }
      if (index < 4) {
        at(clock + DAY);
        moveTo(users.alice.accountId, story, "Done");
      }
      if (index === 2) {
        at(clock + 2 * DAY);
        moveTo(users.alice.accountId, story, "To Do");
        at(clock + DAY);
        moveTo(users.bob.accountId, story, "Done");
      }
    });
    stories.slice(0, 3).forEach((story, index) => {
      at(story.created + DAY);
      const subtask = create(story.assigneeId ?? users.bob.accountId, {
        project: { key: "ROAD" }, issuetype: { id: IDS.type.subtask }, summary: `Write tests for ${story.summary.toLowerCase()}`,
        parent: { key: story.key }, timetracking: { originalEstimate: "4h" },
      });
      if (index < 2) {
        at(clock + DAY);
        moveTo(subtask.reporterId!, subtask, "Done");
      }
    });
    at(end - 12 * DAY);
    create(users.dave.accountId, {
      project: { key: "ROAD" }, issuetype: { id: IDS.type.bug }, summary: "Checkout button overlaps keyboard", parent: { key: epics[0].key },
      [CF.risk]: { value: "High" }, priority: { name: "High" },
    });
    createLink(as(users.alice.accountId), { type: { name: "Blocks" }, inwardIssue: { key: stories[4].key }, outwardIssue: { key: stories[5].key } });

    // ---- OPS: restricted project (Bob may not browse it) ----
    ["Rotate database credentials", "Patch load balancers", "Audit admin accounts", "Renew TLS certificates"].forEach((summary, index) => {
      at(end - (20 - index * 3) * DAY);
      const issue = create(users.dave.accountId, {
        project: { key: "OPS" }, issuetype: { id: index === 2 ? IDS.type.bug : IDS.type.task }, summary,
        [CF.productArea]: { value: "Platform" }, [CF.capitalised]: index % 2 ? null : [{ value: "Yes" }],
        assignee: userRef(users.dave.accountId), timetracking: { originalEstimate: "1d" },
      });
      if (index < 2) {
        at(clock + DAY);
        moveTo(users.dave.accountId, issue, "In Progress");
      }
    });

    // ---- ROAD, later: weeks of work on a payments epic for the reports (effort, CapEx, roll-ups, capacity) ----
    // Added last so earlier ids stay put; its clock goes back to five weeks before the end. Work starts and stops
    // at odd local hours, crosses weekends and daylight-saving changes, changes hands (and is unassigned for a
    // while), and one story is reopened; people sit in New York, London and UTC.
    clock = end - 40 * DAY;
    const payments = create(users.alice.accountId, {
      project: { key: "ROAD" }, issuetype: { id: IDS.type.epic }, summary: "Payments hardening", parent: { key: initiative.key },
      [CF.productArea]: { value: "Mobile" }, [CF.capitalised]: [{ value: "Yes" }],
    });
    const paymentStories = ([
      ["Retry failed card charges", 5, 1, users.bob, "1d"],
      ["Fraud score webhook", 8, 1, users.dave, "3d"],
      ["Refund flow", 3, 2, users.alice, "2d"],
      ["Payment audit log", 2, 2, users.bob, "1d"],
      ["Currency rounding fixes", 3, 3, users.dave, "4h"],
    ] as const).map(([summary, points, sprint, owner, estimate], index) => {
      at(end - (39 - index) * DAY + Math.floor(rand() * 9) * HOUR);
      return create(users.alice.accountId, {
        project: { key: "ROAD" }, issuetype: { id: IDS.type.story }, summary, parent: { key: payments.key },
        [CF.storyPoints]: points, [CF.sprint]: sprint, assignee: userRef(owner.accountId), timetracking: { originalEstimate: estimate },
        ...(index === 3 ? { [CF.capitalised]: null } : {}),
      });
    });
    const [retry, fraud, refund, audit] = paymentStories as [Issue, Issue, Issue, Issue, Issue];
    const step = (days: number, hours: number) => at(clock + days * DAY + hours * HOUR + Math.floor(rand() * 50) * 60_000);
    // Retry: Bob starts in the evening, hands over to Dave, is unassigned a while, Alice finishes it.
    step(1, 7);
    moveTo(users.bob.accountId, retry, "In Progress");
    step(2, 5);
    editIssue(as(users.alice.accountId), retry, { fields: { assignee: userRef(users.dave.accountId) } });
    step(1, 3);
    editIssue(as(users.alice.accountId), retry, { fields: { assignee: null } });
    step(1, 20);
    editIssue(as(users.alice.accountId), retry, { fields: { assignee: userRef(users.alice.accountId) } });
    step(2, 2);
    moveTo(users.alice.accountId, retry, "In Review");
    step(0, 19);
    moveTo(users.alice.accountId, retry, "Done");
    // Fraud webhook: long in progress over two weekends, done, reopened by a bug, done again.
    step(0, 4);
    moveTo(users.dave.accountId, fraud, "In Progress");
    step(4, 3);
    moveTo(users.dave.accountId, fraud, "In Review");
    step(1, 6);
    moveTo(users.dave.accountId, fraud, "Done");
    step(2, 1);
    moveTo(users.alice.accountId, fraud, "In Progress");
    editIssue(as(users.alice.accountId), fraud, { fields: { assignee: userRef(users.bob.accountId) } });
    step(3, 9);
    moveTo(users.bob.accountId, fraud, "Done");
    // Refund flow: Alice in New York, across the clock change; still in review at the end.
    step(0, 13);
    moveTo(users.alice.accountId, refund, "In Progress");
    step(3, 11);
    moveTo(users.alice.accountId, refund, "In Review");
    // Audit log: Bob starts late, still in progress (not capitalised).
    step(1, 2);
    moveTo(users.bob.accountId, audit, "In Progress");
    // Sub-tasks under the first two stories: three levels below the initiative.
    for (const [story, owner, done] of [[retry, users.bob, true], [fraud, users.dave, true], [fraud, users.dave, false]] as const) {
      step(0, 5);
      const subtask = create(owner.accountId, {
        project: { key: "ROAD" }, issuetype: { id: IDS.type.subtask }, summary: `Tests for ${story.summary.toLowerCase()}`,
        parent: { key: story.key }, assignee: userRef(owner.accountId), timetracking: { originalEstimate: "6h" },
      });
      step(0, 2);
      moveTo(owner.accountId, subtask, "In Progress");
      if (done) {
        step(1, 4);
        moveTo(owner.accountId, subtask, "Done");
      }
    }
  } finally {
    state.now = realNow;
  }
  // Seeded history is long since indexed.
  for (const issue of state.issues.values()) issue.indexedAt = 0;
}

/** Walks the workflow to a status by the shortest path of transitions (the seed's own helper). */
function walkTo(ctx: RenderContext, issue: Issue, statusName: string, fields: Record<string, unknown>) {
  const target = [...ctx.state.statuses.values()].find((status) => status.name === statusName);
  if (!target) throw new Error(`Unknown status ${statusName}`);
  const workflow = ctx.state.workflowOf(ctx.state.projectOf(issue));
  const previous = new Map<string, { from: string; transitionId: string }>();
  const queue = [issue.statusId];
  const seen = new Set(queue);
  while (queue.length) {
    const current = queue.shift()!;
    if (current === target.id) break;
    for (const transition of workflow.transitions) {
      if ((transition.from.length && !transition.from.includes(current)) || seen.has(transition.to)) continue;
      seen.add(transition.to);
      previous.set(transition.to, { from: current, transitionId: transition.id });
      queue.push(transition.to);
    }
  }
  const path: string[] = [];
  for (let at = target.id; at !== issue.statusId; ) {
    const step = previous.get(at);
    if (!step) throw new Error(`No path to ${statusName}`);
    path.unshift(step.transitionId);
    at = step.from;
  }
  for (const transitionId of path) {
    const transition = availableTransitions(ctx, issue).find((candidate) => candidate.id === transitionId)!;
    const screen = Object.fromEntries(Object.entries(fields).filter(([id]) => transition.screenFields.some((field) => field.fieldId === id)));
    transitionIssue(ctx, issue, { transition: { id: transitionId }, fields: screen });
  }
}

function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
