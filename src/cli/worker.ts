// `tandem worker`: job handlers and webhook processing only (no HTTP), for running several processes on PostgreSQL.
import { Command } from "commander";
import { runWorker } from "../server/worker.ts";

export function workerCommand(): Command {
  return new Command("worker")
    .description("Run background jobs and webhook processing only (no HTTP); start several on PostgreSQL (TANDEM_DB) beside 'tandem serve --no-worker'.")
    .option("--data <dir>", "directory of the key file (and of the SQLite database without TANDEM_DB)", "data")
    .option("--public-url <url>", "Tandem's URL as people reach it, for links written in Jira (default TANDEM_PUBLIC_URL)")
    .option("--json", "print a JSON line once the worker runs")
    .action(async (flags: { data: string; publicUrl?: string; json?: boolean }) => {
      const worker = await runWorker({ dataDir: flags.data, publicUrl: flags.publicUrl });
      // Listening for the stop signals before saying it runs: whoever started it may stop it as soon as it reads that.
      const stopped = new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      if (flags.json) console.log(JSON.stringify({ worker: process.pid, store: worker.store.db.dialect }));
      else console.log(`Tandem worker ${process.pid} running jobs on the ${worker.store.db.dialect} store. Press Ctrl+C to stop.`);
      await stopped;
      await worker.close();
    });
}
