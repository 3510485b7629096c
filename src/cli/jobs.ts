// `tandem jobs`: the job view (pending, running, done, failed with the reason) and retrying a failed job.
import { Command, Option } from "commander";
import { apiCall } from "./api-client.ts";
import { intOption } from "./options.ts";
import { printJson, printTable } from "./output.ts";

interface JobRow {
  id: string;
  kind: string;
  state: string;
  projectId: string | null;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: number;
  runAt: number;
}

const when = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 19);

export function jobsCommand(): Command {
  const command = new Command("jobs")
    .description("List background jobs (catch-ups, background Pull/Push/sync, imports, failed webhook deliveries)")
    .addOption(new Option("--state <state>", "only jobs in this state").choices(["pending", "running", "done", "failed"]))
    .option("--kind <kind>", "only jobs of this kind (catch-up, pull, push, sync, import, create, webhook)")
    .option("--project <key>", "only jobs of this project")
    .addOption(new Option("--limit <n>", "at most this many, newest first").default(50).argParser(intOption("--limit", 1, 1000)))
    .option("--json", "print the jobs as JSON")
    .action(async (flags: { state?: string; kind?: string; project?: string; limit: number; json?: boolean }) => {
      const query = new URLSearchParams({ limit: String(flags.limit) });
      if (flags.state) query.set("state", flags.state);
      if (flags.kind) query.set("kind", flags.kind);
      if (flags.project) query.set("project", flags.project);
      const jobs = await apiCall<JobRow[]>("GET", `/jobs?${query}`);
      if (flags.json) return printJson(jobs);
      printTable(
        jobs.map((job) => ({ id: job.id, kind: job.kind, state: job.state, attempts: `${job.attempts}/${job.maxAttempts}`, created: when(job.createdAt), next: job.state === "pending" ? when(job.runAt) : "", reason: job.lastError ?? "" })),
        ["id", "kind", "state", "attempts", "created", "next", "reason"],
      );
    });
  command
    .command("retry")
    .description("Run a failed job again (members and admins)")
    .argument("<id>", "the job's id (from 'tandem jobs --state failed')")
    .option("--json", "print the job as JSON")
    .action(async (id: string, flags: { json?: boolean }) => {
      const job = await apiCall<JobRow>("POST", `/jobs/${encodeURIComponent(id)}/retry`);
      if (flags.json) return printJson(job);
      console.log(`Job ${job.id} (${job.kind}) is ${job.state} again; follow it with 'tandem jobs --kind ${job.kind}'.`);
    });
  return command;
}
