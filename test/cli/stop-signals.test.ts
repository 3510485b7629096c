// `tandem worker` and `tandem serve` stop gracefully on SIGTERM sent the moment they print that they run (exit code 0,
// after closing what they run, rather than killed by the signal): whoever starts them — a supervisor, a test — may
// stop them as soon as it reads that line.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { TANDEM_BIN } from "../support/cli.ts";

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Starts `tandem ARGS` (on SQLite in a fresh data directory), SIGTERMs it on its first line, and answers how it ended. */
async function stoppedOnItsFirstLine(args: (dataDir: string) => string[]): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), "tandem-stop-"));
  dirs.push(dataDir);
  const { TANDEM_DB: _db, ...env } = process.env;
  const child = spawn(process.execPath, [TANDEM_BIN, ...args(dataDir)], { stdio: ["ignore", "pipe", "pipe"], env });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const [line] = (await Promise.race([once(child.stdout, "data"), exited.then(() => [null])])) as [Buffer | null];
  assert.ok(line, `it printed nothing before it exited: ${stderr}`);
  child.kill("SIGTERM");
  const [code, signal] = await exited;
  return signal ? `killed by ${signal}` : `exit code ${code}${code === 0 ? "" : `: ${stderr}`}`;
}

describe("stopping on the ready line", () => {
  // The window between the line and the signal handlers was small: several tries make it show.
  const TRIES = 8;

  it("tandem worker exits with code 0 each time", async () => {
    const endings = [];
    for (let index = 0; index < TRIES; index++) endings.push(await stoppedOnItsFirstLine((dataDir) => ["worker", "--data", dataDir, "--json"]));
    assert.deepEqual(endings, endings.map(() => "exit code 0"));
  });

  it("tandem serve exits with code 0 each time", async () => {
    const endings = [];
    for (let index = 0; index < TRIES; index++) endings.push(await stoppedOnItsFirstLine((dataDir) => ["serve", "--port", "0", "--data", dataDir, "--json"]));
    assert.deepEqual(endings, endings.map(() => "exit code 0"));
  });
});
