// The `tandem` command as a user runs it: help on every command, exit codes, and `tandem sandbox` serving.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { describe, it } from "node:test";
import { runTandemCli, TANDEM_BIN } from "../support/cli.ts";

const run = (...args: string[]) => spawnSync(process.execPath, [TANDEM_BIN, ...args], { encoding: "utf8", timeout: 60_000 });

describe("tandem CLI", { timeout: 60_000 }, () => {
  it("prints help for the program and for each command, exit 0", () => {
    const top = run("--help");
    assert.equal(top.status, 0);
    assert.match(top.stdout, /Usage: tandem/);
    for (const command of ["serve", "login", "connector", "sandbox"]) assert.match(top.stdout, new RegExp(command));
    const sandbox = run("sandbox", "--help");
    assert.equal(sandbox.status, 0);
    assert.match(sandbox.stdout, /--seed <seed>/);
    assert.match(sandbox.stdout, /--json/);
  });

  it("exits 2 with a message for usage errors", () => {
    const unknown = run("frobnicate");
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command 'frobnicate'/);
    const badSeed = run("sandbox", "--seed", "huge");
    assert.equal(badSeed.status, 2);
    assert.match(badSeed.stderr, /Unknown seed 'huge': use demo, empty or large:N/);
    const badPort = run("sandbox", "--port", "http");
    assert.equal(badPort.status, 2);
    assert.match(badPort.stderr, /--port must be a whole number/);
  });

  it("exits 1 when the port is taken", async () => {
    const first = spawn(process.execPath, [TANDEM_BIN, "sandbox", "--port", "0", "--seed", "empty", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
    const [line] = (await once(first.stdout, "data")) as [Buffer];
    const { url } = JSON.parse(line.toString());
    const port = new URL(url).port;
    const second = run("sandbox", "--port", port, "--seed", "empty");
    first.kill("SIGTERM");
    await once(first, "exit");
    assert.equal(second.status, 1);
    assert.match(second.stderr, /EADDRINUSE/);
  });

  it("runs the sandbox, prints URL and credentials as JSON, serves the API and stops on SIGTERM", async () => {
    const child = spawn(process.execPath, [TANDEM_BIN, "sandbox", "--port", "0", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
    const [line] = (await once(child.stdout, "data")) as [Buffer];
    const banner = JSON.parse(line.toString());
    assert.match(banner.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const admin = banner.users.find((user: { admin: boolean }) => user.admin);
    const response = await fetch(`${banner.url}/rest/api/3/myself`, { headers: { Authorization: `Basic ${Buffer.from(`${admin.email}:${admin.apiToken}`).toString("base64")}` } });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { emailAddress: string }).emailAddress, admin.email);
    const page = await fetch(`${banner.url}/`);
    assert.match(await page.text(), /Product Roadmap \(ROAD\)/);
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    assert.equal(code, 0);
  });
});

describe("tandem serve, login and connector commands", { timeout: 120_000 }, () => {
  it("serves the demo, signs in, lists and tests the demo connector, and refuses bad flags", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "tandem-cli-"));
    const env = { ...process.env, TANDEM_CONFIG: join(dir, "config.json"), TANDEM_URL: "", TANDEM_TOKEN: "" };
    delete (env as Record<string, string | undefined>).TANDEM_URL;
    delete (env as Record<string, string | undefined>).TANDEM_TOKEN;
    const server = spawn(process.execPath, [TANDEM_BIN, "serve", "--demo", "--port", "0", "--sandbox-port", "0", "--data", join(dir, "data"), "--json"], { stdio: ["ignore", "pipe", "pipe"], env });
    try {
      const [line] = (await once(server.stdout, "data")) as [Buffer];
      const summary = JSON.parse(line.toString());
      assert.equal(summary.demo.connectTest.ok, true);
      const cli = (...args: string[]) => runTandemCli(args, env);
      const login = await cli("login", "--url", summary.url, "--email", summary.demo.admin.email, "--password", summary.demo.admin.password, "--json");
      assert.equal(login.status, 0, login.stderr);
      const list = await cli("connector", "list", "--json");
      assert.equal(list.status, 0, list.stderr);
      assert.deepEqual(JSON.parse(list.stdout).map((connector: { name: string }) => connector.name), ["Sandbox Jira (demo)"]);
      const tested = await cli("connector", "test", "Sandbox Jira (demo)", "--json");
      assert.equal(tested.status, 0, tested.stderr);
      assert.equal(JSON.parse(tested.stdout).account.email, "tandem-sync@sandbox.test");
      const added = await cli("connector", "add", "--name", "wrong", "--url", summary.demo.sandboxUrl, "--auth", "api-token", "--email", "alice@sandbox.test", "--token", "nope");
      assert.equal(added.status, 0, added.stderr);
      const failing = await cli("connector", "test", "wrong");
      assert.equal(failing.status, 1);
      assert.match(failing.stdout, /FAILED[\s\S]*fix: /);
      const missing = await cli("connector", "add", "--name", "x", "--url", summary.demo.sandboxUrl, "--auth", "pat");
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /--auth pat needs --token/);
      const removed = await cli("connector", "remove", "wrong", "--yes", "--json");
      assert.equal(removed.status, 0, removed.stderr);

      // The demo project REL is ready to Pull and Push; its items (REL-n) are linked to the Jira project SCHED.
      assert.deepEqual([summary.demo.project, summary.demo.jiraProject], ["REL", "SCHED"]);
      const pulled = await cli("pull", "REL", "--json");
      assert.equal(pulled.status, 0, pulled.stderr);
      const pull = JSON.parse(pulled.stdout);
      assert.equal(pull.run.status, "succeeded");
      assert.ok(pull.items.length > 0 && pull.items.every((item: { jiraKey: string }) => item.jiraKey.startsWith("SCHED-")));
      assert.ok(pull.items.every((item: { itemKey: string }) => /^REL-\d+$/.test(item.itemKey)));
      const firstItem = pull.items[0].itemKey;
      assert.equal((await cli("item", "edit", firstItem, "criticality=High", "daysUntilCritical=4")).status, 0);
      const dry = JSON.parse((await cli("push", "REL", "--dry-run", "--json")).stdout);
      assert.equal(dry.run.dryRun, true);
      assert.ok(dry.items.find((item: { itemKey: string }) => item.itemKey === firstItem).changes.some((change: { field: string; after: unknown }) => change.field === "criticality" && change.after === "High"));
      assert.equal((await cli("push", "REL")).status, 0);
      const second = JSON.parse((await cli("push", "REL", "--json")).stdout);
      assert.ok(second.items.every((item: { outcome: string }) => item.outcome === "unchanged"), "nothing left to push");
      const history = JSON.parse((await cli("history", "REL", "--json")).stdout);
      // The demo's webhook also brings the echoes of our pushes back as runs; the ones we started are these.
      const ours = history.filter((run: { identity: string }) => !run.identity.startsWith("webhook"));
      assert.deepEqual(ours.slice(0, 4).map((run: { kind: string; dryRun: boolean }) => [run.kind, run.dryRun]), [["push", false], ["push", false], ["push", true], ["pull", false]]);
      const echoes = history.filter((run: { identity: string; counts: Record<string, number> }) => run.identity.startsWith("webhook"));
      assert.ok(echoes.every((run: { counts: Record<string, number> }) => run.counts.changed === 0), "echoes of our own pushes change nothing");
      // In words: what started a run beside its kind, then the Jira account it acted as (never "as webhook, as …").
      const account = "tandem-sync@sandbox.test (service account of 'Sandbox Jira (demo)')";
      const pulledAgain = await cli("pull", "REL");
      assert.match(pulledAgain.stdout, new RegExp(`^pull succeeded as ${account.replace(/[().]/g, "\\$&")}: `));
      const table = (await cli("history", "REL")).stdout;
      assert.match(table, /\bAS\b/);
      assert.match(table, /pull \(demo setup\) +false +succeeded +tandem-sync@sandbox\.test \(service account of 'Sandbox Jira \(demo\)'\)/);
      assert.doesNotMatch(table, /demo start|as the service account|as webhook/);
      const badValue = await cli("item", "edit", firstItem, "daysUntilCritical=soon");
      assert.equal(badValue.status, 1);
      assert.match(badValue.stderr, /'daysUntilCritical' is a number field/);
    } finally {
      server.kill("SIGTERM");
      await once(server, "exit");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

