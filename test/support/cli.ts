// Running the `tandem` CLI as a child process, the way a person does: without blocking the event loop, because
// the server under test usually lives in the same process as the test.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { TestTandem } from "./tandem.ts";

export const TANDEM_BIN = fileURLToPath(new URL("../../bin/tandem.js", import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export async function runTandemCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const child = spawn(process.execPath, [TANDEM_BIN, ...args], { env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [status] = await once(child, "exit");
  return { status: status as number | null, stdout, stderr };
}

/** The environment that points the CLI at a test Tandem with one of its tokens (and no config file of the machine's). */
export function cliEnvFor(t: TestTandem, token: string = t.tokens.member): NodeJS.ProcessEnv {
  return { ...process.env, TANDEM_URL: t.tandem.url, TANDEM_TOKEN: token, TANDEM_CONFIG: "/nonexistent/config.json" };
}
