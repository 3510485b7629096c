// The `tandem` command as a user runs it: help on every command, exit codes, and `tandem sandbox` serving.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/tandem.js", import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000 });

describe("tandem CLI", { timeout: 60_000 }, () => {
  it("prints help for the program and for each command, exit 0", () => {
    const top = run("--help");
    assert.equal(top.status, 0);
    assert.match(top.stdout, /Usage: tandem/);
    assert.match(top.stdout, /sandbox/);
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
    const first = spawn(process.execPath, [BIN, "sandbox", "--port", "0", "--seed", "empty", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
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
    const child = spawn(process.execPath, [BIN, "sandbox", "--port", "0", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
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
