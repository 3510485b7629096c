// The four workloads of the campaigns. Each has a setup (never interrupted), an operation a user issues and
// re-issues after a failure (or, for webhooks, edits made in Jira that its dispatcher delivers and retries), and a
// check of one attempt's answer: every item either synced or reported with a reason.
import { editIssue } from "../../src/sandbox/ops/issues.ts";
import { items } from "./world.ts";
import { CONNECTOR, PROJECT, type Answer, type Stack } from "./stack.ts";

export interface AttemptResult {
  /** The operation finished (as far as a user can tell); false: a retry is due. */
  done: boolean;
  /** Items the attempt left unsynced without saying why: must stay empty. */
  unaccounted: string[];
  /** Reasons given for what did not sync (printed). */
  reported: string[];
}

export interface Workload {
  name: string;
  issues: number;
  setup(stack: Stack): Promise<void>;
  /** One attempt; throws when Tandem dies under it. `round` counts attempts (webhook bursts use it for new edits). */
  attempt(stack: Stack, round: number): Promise<AttemptResult>;
  /**
   * What a user (or Jira's retries) does until the work is done, with no faults left. After kills nothing may need
   * more than retrying the operation: `catchUp` (the safety net for webhooks) is allowed only after faults.
   */
  settle(stack: Stack, options: { catchUp: boolean }): Promise<void>;
}

const GENERIC = /Something went wrong on the server/;

/** A failed answer is "reported" only when it says what went wrong; a generic 500 is not a reason. */
function failedAnswer(what: string, answer: Answer): AttemptResult {
  const message = String(answer.body?.error?.message ?? answer.body ?? "");
  if (!message || GENERIC.test(message)) return { done: false, unaccounted: [`${what}: answered ${answer.status} without a reason (${message || "empty body"})`], reported: [] };
  return { done: false, unaccounted: [], reported: [`${what}: ${answer.status} ${message}`] };
}

/** A run's items: failed and warning ones need messages; a run error is a reason for every item. */
function runReport(what: string, answer: Answer): AttemptResult {
  const run = answer.body.run;
  const entries = (answer.body.items ?? []) as { itemKey: string; outcome: string; messages: string[] }[];
  const reported: string[] = [];
  const unaccounted: string[] = [];
  if (run?.error) reported.push(`${what}: run failed — ${run.error}`);
  for (const entry of entries) {
    if (entry.outcome !== "failed" && entry.outcome !== "warning" && entry.outcome !== "conflict") continue;
    if (entry.messages.join(" ").trim()) reported.push(`${entry.itemKey}: ${entry.messages.join(" ")}`);
    else unaccounted.push(`${entry.itemKey}: ${entry.outcome} without a message`);
  }
  return { done: !run?.error && reported.length === 0, unaccounted, reported };
}

async function untilTrue(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Retries an operation the way a patient user does, until it is done (faults are off by now). */
async function retryUntilDone(stack: Stack, workload: Workload, from: number): Promise<void> {
  for (let round = from; round < from + 5; round++) {
    if ((await workload.attempt(stack, round)).done) return;
  }
  throw new Error(`${workload.name}: still not done after 5 retries with no faults`);
}

async function importAll(stack: Stack): Promise<void> {
  const answer = await stack.api("POST", `/projects/${PROJECT}/import`, { includeDone: true });
  if (answer.status !== 200) throw new Error(`setup import answered ${answer.status}: ${JSON.stringify(answer.body)}`);
}

export function importWorkload(issues: number): Workload {
  const workload: Workload = {
    name: "import by JQL",
    issues,
    async setup() {},
    async attempt(stack) {
      const answer = await stack.api("POST", `/projects/${PROJECT}/import`, { jql: "issuetype in (Story, Task, Bug)", includeDone: true });
      if (answer.status !== 200) return failedAnswer("import", answer);
      const result = runReport("import", { status: 200, body: { run: answer.body.run, items: answer.body.run ? (await stack.api("GET", `/runs/${answer.body.run.id}`)).body.items : [] } });
      const count = answer.body.created.length + answer.body.existing.length;
      if (count !== issues) result.unaccounted.push(`import answered 200 with ${count} of ${issues} issues`);
      return result;
    },
    settle: (stack) => retryUntilDone(stack, workload, 100),
  };
  return workload;
}

export function pushWorkload(issues: number): Workload {
  const workload: Workload = {
    name: "push of edited items",
    issues,
    async setup(stack) {
      await importAll(stack);
      for (const item of await items(stack)) {
        const answer = await stack.api("PATCH", `/items/${item.id}`, { values: { title: `Edited in Tandem: ${item.link!.jiraKey}` } });
        if (answer.status !== 200) throw new Error(`setup edit answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      }
    },
    async attempt(stack) {
      const answer = await stack.api("POST", `/projects/${PROJECT}/push`, {});
      if (answer.status !== 200) return failedAnswer("push", answer);
      const result = runReport("push", answer);
      // What the run calls changed or unchanged must really be in Jira now.
      const entries = answer.body.items as { itemKey: string; jiraKey: string; outcome: string }[];
      const titles = new Map((await items(stack)).map((item) => [item.key, item.values.title]));
      for (const entry of entries) {
        if (entry.outcome !== "changed" && entry.outcome !== "unchanged") continue;
        const summary = stack.jira.state.issueByIdOrKey(entry.jiraKey)?.summary;
        if (summary !== titles.get(entry.itemKey)) result.unaccounted.push(`${entry.itemKey}: reported ${entry.outcome}, but Jira has '${summary}'`);
      }
      return result;
    },
    settle: (stack) => retryUntilDone(stack, workload, 100),
  };
  return workload;
}

export function createWorkload(count: number): Workload {
  const workload: Workload = {
    name: "create-in-Jira batch",
    issues: 5,
    async setup(stack) {
      for (let index = 1; index <= count; index++) {
        const answer = await stack.api("POST", `/projects/${PROJECT}/items`, { values: { title: `New work ${index}` } });
        if (answer.status !== 201) throw new Error(`setup item answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      }
    },
    // A user (or a script of theirs) creates an issue for every item not linked yet, in order.
    async attempt(stack) {
      const result: AttemptResult = { done: true, unaccounted: [], reported: [] };
      const pending = (await items(stack)).filter((item) => !item.link).sort((a, b) => a.key.localeCompare(b.key, "en", { numeric: true }));
      for (const item of pending) {
        const answer = await stack.api("POST", `/items/${item.id}/create-in-jira`, { jiraProject: PROJECT, issueType: "Task" });
        if (answer.status === 200) {
          const issue = stack.jira.state.issueByIdOrKey(answer.body.key);
          if (!issue || (issue.properties["tandem.item"] as { id?: string } | undefined)?.id !== item.id) result.unaccounted.push(`${item.key}: answered 200 with ${answer.body.key}, which does not carry its mark`);
          continue;
        }
        const failed = failedAnswer(`${item.key}`, answer);
        result.done = false;
        result.unaccounted.push(...failed.unaccounted);
        result.reported.push(...failed.reported);
      }
      return result;
    },
    settle: (stack) => retryUntilDone(stack, workload, 100),
  };
  return workload;
}

export function webhookWorkload(issues: number): Workload {
  let edited = new Map<string, string>();
  const applied = async (stack: Stack) => {
    const status = await stack.api("GET", `/connectors/${CONNECTOR}/webhook`);
    if (status.status !== 200 || (status.body.inbox.pending ?? 0) > 0) return false;
    const titles = new Map((await items(stack)).map((item) => [item.link?.jiraKey, item.values.title]));
    return [...edited].every(([key, summary]) => titles.get(key) === summary);
  };
  const workload: Workload = {
    name: "webhook burst",
    issues,
    async setup(stack) {
      await importAll(stack);
      const registered = await stack.api("POST", `/connectors/${CONNECTOR}/webhook`);
      if (registered.status !== 200 || !registered.body.registered) throw new Error(`setup webhook answered ${registered.status}: ${JSON.stringify(registered.body)}`);
    },
    // A burst of edits in Jira; its dispatcher delivers (and retries) them. Done when Tandem applied them all.
    async attempt(stack, round) {
      const jira = stack.jira;
      const viewerId = jira.state.userByEmail(jira.admin.email)!.accountId;
      const ctx = { state: jira.state, baseUrl: jira.url, apiVersion: "3" as const, viewerId };
      if (round < 100) {
        edited = new Map();
        for (const issue of [...jira.state.issues.values()]) {
          const summary = `Edited in Jira, burst ${round}: ${issue.key}`;
          editIssue(ctx, issue, { fields: { summary } });
          edited.set(issue.key, summary);
        }
      }
      await jira.dispatcher.idle();
      try {
        await untilTrue("webhook burst applied", () => applied(stack), 20_000);
        return { done: true, unaccounted: [], reported: [] };
      } catch {
        // Not applied: each missing change must be explained by a webhook run that says why.
        const titles = new Map((await items(stack)).map((item) => [item.link?.jiraKey, item.values.title]));
        const missing = [...edited].filter(([key, summary]) => titles.get(key) !== summary).map(([key]) => key);
        const runs = (await stack.api("GET", `/projects/${PROJECT}/runs?kind=sync`)).body as { userId: string; error: string | null; counts: { failed: number } }[];
        const reasons = runs.filter((run) => run.userId === "webhook" && (run.error || run.counts.failed > 0)).map((run) => run.error ?? `${run.counts.failed} item(s) failed`);
        const deliveries = jira.dispatcher.deliveries.filter((delivery) => delivery.state === "failed").length;
        if (reasons.length || deliveries) return { done: false, unaccounted: [], reported: [...new Set(reasons)].slice(0, 3).concat(deliveries ? [`${deliveries} deliveries failed after Jira's retries`] : []) };
        return { done: false, unaccounted: missing.slice(0, 5).map((key) => `${key}: Jira's edit never applied and no run says why`), reported: [] };
      }
    },
    // Jira's retries deliver what a kill cut; what is still missing is caught up, as the scheduler would.
    async settle(stack, options) {
      await stack.jira.dispatcher.idle();
      for (let round = 0; round < 3; round++) {
        const result = await workload.attempt(stack, 100 + round);
        if (result.done) return;
        if (!options.catchUp) throw new Error(`webhook burst: changes lost after kills (${[...result.unaccounted, ...result.reported].join("; ")})`);
        await stack.api("POST", `/projects/${PROJECT}/catch-up`);
      }
      throw new Error("webhook burst: still not applied after catch-ups with no faults");
    },
  };
  return workload;
}
