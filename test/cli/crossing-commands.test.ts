// The CLI's commands across the boundary, as a person runs them against `tandem serve` (a child process) and the
// sandbox Jira: `tandem events` while a run happens, `tandem bulk-edit`, `tandem comment`, `tandem create-in-jira`
// and `tandem create`, each with --json, each refusing bad input with exit code 1 or 2 and a message naming it.
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runTandemCli, TANDEM_BIN } from "../support/cli.ts";
import { useSandbox } from "../support/sandbox.ts";

const jira = useSandbox({ flavour: "cloud" });
const ADMIN = { email: "admin@cli.test", password: "cli-admin-password-1" };

/** `tandem serve` on a free port with its own data directory, and the CLI signed in to it (config in that directory). */
function useServe(): () => { url: string; env: NodeJS.ProcessEnv; dir: string } {
  let server: ChildProcessWithoutNullStreams | undefined;
  let state: { url: string; env: NodeJS.ProcessEnv; dir: string } | undefined;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "tandem-cli-crossing-"));
    const env: NodeJS.ProcessEnv = { ...process.env, TANDEM_CONFIG: join(dir, "config.json"), TANDEM_ADMIN_EMAIL: ADMIN.email, TANDEM_ADMIN_PASSWORD: ADMIN.password };
    for (const name of ["TANDEM_URL", "TANDEM_TOKEN", "TANDEM_DB"]) delete env[name];
    server = spawn(process.execPath, [TANDEM_BIN, "serve", "--port", "0", "--data", join(dir, "data"), "--json"], { env });
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      server!.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        for (const line of out.split("\n")) {
          try {
            const summary = JSON.parse(line) as { url?: string };
            if (summary.url) resolve(summary.url);
          } catch {
            // not the summary line
          }
        }
      });
      server!.once("exit", (code) => reject(new Error(`tandem serve exited with ${code}: ${out}`)));
    });
    const login = await runTandemCli(["login", "--url", url, "--email", ADMIN.email, "--password", ADMIN.password, "--json"], env);
    assert.equal(login.status, 0, login.stderr);
    state = { url, env, dir };
  });
  after(async () => {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await once(server, "exit");
    }
    if (state) rmSync(state.dir, { recursive: true, force: true });
  });
  return () => state ?? assert.fail("tandem serve is not running yet");
}

const served = useServe();
const cli = (...args: string[]) => runTandemCli(args, served().env);
/** Runs a command that must succeed and answers its JSON. */
async function json<T = any>(...args: string[]): Promise<T> {
  const result = await cli(...args, "--json");
  assert.equal(result.status, 0, `tandem ${args.join(" ")}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
/** Runs a command that must fail with this exit code and say this on stderr. */
async function refused(code: 1 | 2, message: RegExp, ...args: string[]) {
  const result = await cli(...args);
  assert.equal(result.status, code, `tandem ${args.join(" ")} exits ${code}: ${result.stdout}${result.stderr}`);
  assert.match(result.stderr, message);
  return result;
}

/** `tandem events` as a child process; resolves once it follows the feed (its note on stderr). */
async function followEvents(args: string[], env: NodeJS.ProcessEnv = served().env) {
  const child = spawn(process.execPath, [TANDEM_BIN, "events", ...args], { env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = once(child, "exit").then(([code]) => ({ code: code as number | null, stdout, stderr }));
  await new Promise<void>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/Following sync events/.test(stderr)) resolve();
    });
    void exited.then((result) => reject(new Error(`tandem events exited early (${result.code}): ${result.stderr}`)));
  });
  const timer = setTimeout(() => child.kill("SIGTERM"), 20_000);
  return { done: exited.finally(() => clearTimeout(timer)) };
}

const items = async () => json<{ key: string; values: Record<string, unknown>; link: { jiraKey: string } | null }[]>("item", "list", "CLX");
const keyOf = async (title: string) => (await items()).find((item) => item.values.title === title)!.key;
const linkedTo = async (jiraKey: string) => (await items()).find((item) => item.link?.jiraKey === jiraKey)!.key;

describe("tandem commands across the boundary", { timeout: 120_000 }, () => {
  it("sets up a connector, a two-way project and linked items from the command line", async () => {
    await json("connector", "add", "--name", "sb", "--url", jira().url, "--auth", "api-token", "--email", "tandem-sync@sandbox.test", "--token", "tandem-sync-token");
    await json("project", "add", "--key", "CLX", "--name", "CLI crossing");
    await json("project", "connect", "CLX", "--connector", "sb", "--jira-project", "ROAD");
    const mappings = join(served().dir, "mappings.json");
    writeFileSync(mappings, JSON.stringify([{ tandemField: "title", jiraField: "summary", direction: "both", transform: { kind: "copy" } }]));
    await json("project", "mapping", "CLX", "--file", mappings);
    for (const [title, jiraKey] of [["First", "ROAD-1"], ["Second", "ROAD-2"], ["Note", null], ["Idea one", null], ["Idea two", null]] as const) {
      const added = await json<{ key: string }>("item", "add", "CLX", `title=${title}`);
      if (jiraKey) await json("link", added.key, jiraKey);
    }
    assert.deepEqual((await items()).map((item) => item.link?.jiraKey ?? null), ["ROAD-1", "ROAD-2", null, null, null]);
  });

  describe("tandem events", () => {
    it("prints the run that finishes meanwhile as a JSON line and stops after --count", async () => {
      // Its note on stderr comes once it follows the feed: from then on no run is missed.
      const events = await followEvents(["--count", "1", "--json"]);
      const pull = await json<{ run: { kind: string; counts: Record<string, number>; identity: string } }>("pull", "CLX");
      const result = await events.done;
      assert.equal(result.code, 0, result.stderr);
      const lines = result.stdout.trim().split("\n");
      assert.equal(lines.length, 1, result.stdout);
      const event = JSON.parse(lines[0]!);
      assert.deepEqual([event.project, event.kind, event.dryRun, event.status], ["CLX", "pull", false, "succeeded"]);
      assert.equal(event.identity, pull.run.identity);
      assert.deepEqual(event.counts, pull.run.counts);
    });

    it("says in words which project ran what", async () => {
      const events = await followEvents(["--count", "1"]);
      await json("push", "CLX", "--dry-run");
      const result = await events.done;
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout.trim(), /^CLX push \(dry run\) succeeded as \S.*: /);
    });

    it("refuses a count that is not a positive whole number (2) and a feed it may not read (1)", async () => {
      await refused(2, /--count must be a whole number from 1 to 1000000/, "events", "--count", "0");
      await refused(2, /--count must be a whole number/, "events", "--count", "many");
      const stranger = await runTandemCli(["events", "--count", "1"], { ...served().env, TANDEM_URL: served().url, TANDEM_TOKEN: "not-a-token" });
      assert.equal(stranger.status, 1, stranger.stderr);
      assert.match(stranger.stderr, /The event feed answered 401: /);
    });
  });

  describe("tandem bulk-edit", () => {
    it("sets a value on many items and writes each linked issue once", async () => {
      // The pull above gave the linked items their issues' summaries: they are found by link.
      const [first, second, note] = [await linkedTo("ROAD-1"), await linkedTo("ROAD-2"), await keyOf("Note")];
      const result = await json<{ updated: string[]; failed: unknown[]; run: { kind: string; counts: Record<string, number> } }>("bulk-edit", "CLX", "title=Renamed in bulk", "--items", first, second, note);
      assert.deepEqual(result.updated, [first, second, note]);
      assert.deepEqual(result.failed, []);
      assert.equal(result.run.kind, "push");
      assert.equal(result.run.counts.changed, 2, "the two linked items went to Jira, in one push");
      assert.equal(jira().state.issueByIdOrKey("ROAD-1")!.summary, "Renamed in bulk");
      assert.equal(jira().state.issueByIdOrKey("ROAD-2")!.summary, "Renamed in bulk");
      await json("item", "edit", note, "title=Note");
    });

    it("names the items it could not edit and exits 1, doing the rest", async () => {
      const first = await linkedTo("ROAD-1");
      const result = await cli("bulk-edit", "CLX", "title=First again", "--items", first, "NOPE-9");
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stdout, /Updated 1 item\(s\)/);
      assert.match(result.stdout, /NOPE-9: not an item of CLX/);
      assert.equal(jira().state.issueByIdOrKey("ROAD-1")!.summary, "First again");
    });

    it("refuses an unknown field (1) and a pair without a value or no --items (2)", async () => {
      const first = (await items())[0]!.key;
      await refused(1, /'nope' is not a field of CLX/, "bulk-edit", "CLX", "nope=1", "--items", first);
      await refused(2, /'title' is not field=value/, "bulk-edit", "CLX", "title", "--items", first);
      await refused(2, /required option '--items <items\.\.\.>' not specified/, "bulk-edit", "CLX", "title=x");
    });
  });

  describe("tandem comment", () => {
    it("adds a comment to the linked issue, naming the person, and lists the issue's comments with it", async () => {
      const first = await linkedTo("ROAD-1");
      const added = await json<{ jiraKey: string; writtenAs: string; attributedTo: string | null }>("comment", first, "--add", "Checked from the **CLI**");
      assert.equal(added.jiraKey, "ROAD-1");
      assert.equal(added.attributedTo, "Administrator");
      const held = jira().state.issueByIdOrKey("ROAD-1")!.comments.at(-1)!;
      assert.equal(jira().state.users.get(held.authorId)!.name, "tandem-sync", "written as the connector's account");
      const listed = await json<{ author: string; viaTandem: boolean; jiraAuthor: { displayName: string }; body: string }[]>("comment", first);
      assert.deepEqual([listed.at(-1)!.author, listed.at(-1)!.viaTandem, listed.at(-1)!.jiraAuthor.displayName, listed.at(-1)!.body], ["Administrator", true, "Tandem Sync", "Checked from the **CLI**"]);
      const text = await cli("comment", first);
      assert.equal(text.status, 0, text.stderr);
      assert.match(text.stdout, /Administrator \(via Tandem, as Tandem Sync\) \(.+\):\nChecked from the \*\*CLI\*\*/);
      const said = await cli("comment", first, "--add", "Once more");
      assert.match(said.stdout, /^Commented on ROAD-1 as .+, naming Administrator as its author\.$/m);
    });

    it("refuses an empty comment (2), an unlinked item and an unknown one (1)", async () => {
      const first = await linkedTo("ROAD-1");
      const before = jira().state.issueByIdOrKey("ROAD-1")!.comments.length;
      await refused(2, /--add needs the comment's text/, "comment", first, "--add", "");
      assert.equal(jira().state.issueByIdOrKey("ROAD-1")!.comments.length, before);
      await refused(1, /is not linked to a Jira issue/, "comment", await keyOf("Note"), "--add", "Hello");
      await refused(1, /Item 'CLX-99' does not exist/, "comment", "CLX-99");
    });
  });

  describe("tandem create-in-jira and tandem create", () => {
    it("creates the issue of an unlinked item and links it, once", async () => {
      const note = await keyOf("Note");
      const before = jira().state.issues.size;
      const created = await json<{ key: string; reused: boolean; item: { link: { jiraKey: string } } }>("create-in-jira", note, "--jira-project", "ROAD", "--type", "Task");
      assert.equal(created.reused, false);
      assert.equal(created.item.link.jiraKey, created.key);
      assert.equal(jira().state.issues.size, before + 1);
      const issue = jira().state.issueByIdOrKey(created.key)!;
      assert.equal(issue.summary, "Note");
      assert.equal((issue.properties["tandem.item"] as { key: string }).key, note);
      await refused(1, new RegExp(`${note} is already linked to ${created.key}`), "create-in-jira", note, "--jira-project", "ROAD", "--type", "Task");
      assert.equal(jira().state.issues.size, before + 1, "nothing twice");
    });

    it("refuses an unknown issue type or Jira project (1) and a missing --type (2)", async () => {
      const idea = await keyOf("Idea one");
      await refused(1, /No issue type 'Nope' in ROAD; it has .*Task/, "create-in-jira", idea, "--jira-project", "ROAD", "--type", "Nope");
      await refused(1, /OPS is not one of this project's Jira projects \(ROAD\)/, "create-in-jira", idea, "--jira-project", "OPS", "--type", "Task");
      await refused(2, /required option '--type <issueType>' not specified/, "create-in-jira", idea, "--jira-project", "ROAD");
      assert.equal((await items()).find((item) => item.key === idea)!.link, null, "still unlinked");
    });

    it("creates many with extra fields, and refuses a field without a value (2)", async () => {
      const ideas = [await keyOf("Idea one"), await keyOf("Idea two")];
      await refused(2, /'labels' is not id=value/, "create", ...ideas, "--project", "ROAD", "--type", "Task", "--field", "labels");
      const result = await json<{ created: { item: string; key: string; reused: boolean }[]; skipped: unknown[]; failed: unknown[] }>("create", ...ideas, "--project", "ROAD", "--type", "Task", "--field", 'labels=["from-cli"]');
      assert.deepEqual(result.created.map((row) => row.item), ideas);
      assert.deepEqual([result.skipped, result.failed], [[], []]);
      for (const row of result.created) assert.deepEqual(jira().state.issueByIdOrKey(row.key)!.labels, ["from-cli"]);
      const again = await json<{ created: unknown[]; skipped: { item: string; reason: string }[] }>("create", ...ideas, "--project", "ROAD", "--type", "Task");
      assert.equal(again.created.length, 0);
      assert.ok(again.skipped.every((row) => /already linked/.test(row.reason)), JSON.stringify(again.skipped));
    });
  });
});
