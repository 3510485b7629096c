// Tandem as a child process (`tandem serve` on a data dir and a fixed port), so the campaign can SIGKILL it at any
// moment and start it again on the same data: the sandbox Jira lives in the campaign's own process and survives.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
export const CHAOS_ADMIN = { email: "chaos@tandem.local", password: "chaos-password-123" };

/** A port free now, kept for every restart so webhook registrations stay valid. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export class TandemProcess {
  readonly dataDir: string;
  readonly port: number;
  readonly url: string;
  private databaseUrl: string | undefined;
  private child: ChildProcess | null = null;
  private log: string[] = [];
  starts = 0;
  kills = 0;

  constructor(options: { dataDir: string; port: number; databaseUrl?: string }) {
    this.dataDir = options.dataDir;
    this.port = options.port;
    this.url = `http://127.0.0.1:${options.port}`;
    this.databaseUrl = options.databaseUrl;
  }

  /** Starts `tandem serve` and resolves once it prints that it listens. */
  async start(): Promise<void> {
    const env: NodeJS.ProcessEnv = { ...process.env, TANDEM_ADMIN_EMAIL: CHAOS_ADMIN.email, TANDEM_ADMIN_PASSWORD: CHAOS_ADMIN.password };
    if (this.databaseUrl) env.TANDEM_DB = this.databaseUrl;
    else delete env.TANDEM_DB;
    const child = spawn(process.execPath, [MAIN, "serve", "--port", String(this.port), "--data", this.dataDir, "--json"], { env, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    this.starts += 1;
    await new Promise<void>((resolve, reject) => {
      let out = "";
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) resolve();
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", (chunk: Buffer) => this.keep(chunk.toString()));
      child.once("exit", (code, signal) => reject(new Error(`tandem serve exited (${code ?? signal}) before listening: ${this.log.slice(-5).join(" ")}`)));
    });
    child.stdout!.removeAllListeners("data");
    child.stdout!.on("data", (chunk: Buffer) => this.keep(chunk.toString()));
  }

  /** SIGKILL: no shutdown hook runs, whatever was in flight is cut. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    this.kills += 1;
    this.child = null;
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  /** A clean stop (SIGTERM), at the end of a trial. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
    this.child = null;
  }

  /** The last lines Tandem printed (its errors), for a report when something did not hold. */
  tail(lines = 20): string[] {
    return this.log.slice(-lines);
  }

  private keep(text: string) {
    for (const line of text.split("\n")) if (line.trim()) this.log.push(line);
    if (this.log.length > 500) this.log.splice(0, this.log.length - 500);
  }
}
