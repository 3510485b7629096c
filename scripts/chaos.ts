// `npm run chaos`: crash and fault campaigns. Tandem runs as a child process on a data dir and is SIGKILLed at
// random points of an import, a push, a create-in-Jira batch and a webhook burst, restarted, and the operation
// retried as a user would; then the same workloads run against the sandbox's faults. Each end state is compared
// with an uninterrupted run. Prints what it tried and what held; exits 1 when something did not hold.
//   npm run chaos                         # full size
//   npm run chaos -- --quick              # what CI runs (test/chaos/chaos-quick.test.ts)
//   --seed N (printed; replays the kill points and faults)  --kills N  --trials N
//   --only import,push,create,webhook     --store sqlite|postgres
import { mulberry32 } from "../src/sandbox/limits/prng.ts";
import { crashTrial, faultTrial, reference, type Outcome } from "./chaos/campaigns.ts";
import { createWorkload, importWorkload, pushWorkload, webhookWorkload, type Workload } from "./chaos/workloads.ts";
import { postgresBaseUrl, postgresUnreachable } from "./support/postgres.ts";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const quick = args.includes("--quick");
const seed = Number(option("--seed") ?? Math.floor(Math.random() * 2 ** 31));
const kills = Number(option("--kills") ?? (quick ? 2 : 6));
const trials = Number(option("--trials") ?? (quick ? 1 : 3));
const only = option("--only")?.split(",");
const store = option("--store") ?? "sqlite";
const random = mulberry32(seed);

const all: Record<string, Workload> = quick
  ? { import: importWorkload(200), push: pushWorkload(80), create: createWorkload(20), webhook: webhookWorkload(60) }
  : { import: importWorkload(3000), push: pushWorkload(1000), create: createWorkload(60), webhook: webhookWorkload(1000) };
const workloads = Object.entries(all).filter(([name]) => !only || only.includes(name)).map(([, workload]) => workload);

let postgresBase: string | undefined;
if (store === "postgres") {
  postgresBase = postgresBaseUrl();
  const unreachable = await postgresUnreachable(postgresBase);
  if (unreachable) {
    console.error(`chaos: PostgreSQL at ${postgresBase} is not reachable (${unreachable}); set TANDEM_DB.`);
    process.exit(2);
  }
}

const log = (line: string) => console.log(line);
log(`Tandem chaos — seed ${seed} (replay with --seed ${seed}), ${kills} kill(s) × ${trials} trial(s) per workload, store ${store}${quick ? ", quick" : ""}`);
const outcomes: Outcome[] = [];
for (const workload of workloads) {
  const started = performance.now();
  const expected = await reference(workload, { random, kills, trials, postgresBase, log });
  log(`\n== ${workload.name} (${workload.issues} issues in Jira): uninterrupted run ${Math.round(expected.attemptMs)} ms per attempt`);
  const report = (outcome: Outcome) => {
    outcomes.push(outcome);
    for (const line of outcome.tried) log(`   ${line}`);
    log(outcome.broken.length ? `   BROKEN (${outcome.campaign}):\n     - ${outcome.broken.join("\n     - ")}` : `   held (${outcome.campaign}): same end state as the uninterrupted run, no duplicate, nothing lost or half-written`);
  };
  for (let trial = 1; trial <= trials; trial++) report(await crashTrial(workload, expected, trial, { random, kills, trials, postgresBase, log }));
  report(await faultTrial(workload, expected.world, { random, kills, trials, postgresBase, log, seed: seed + 1 }));
  log(`   (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

const broken = outcomes.filter((outcome) => outcome.broken.length);
log(`\n${outcomes.length - broken.length} of ${outcomes.length} trials held.${broken.length ? ` BROKEN: ${broken.map((outcome) => `${outcome.workload} (${outcome.campaign})`).join(", ")}` : ""}`);
process.exit(broken.length ? 1 : 0);
