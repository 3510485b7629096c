// Runs the test suite with Node's built-in runner: every test/**/*.test.ts file, two at a time (the machine has 2 cores).
import { spawnSync } from "node:child_process";
import { globSync } from "node:fs";

const files = globSync("test/**/*.test.ts").sort();
const extra = process.argv.slice(2);
const result = spawnSync(process.execPath, ["--test", "--test-concurrency=2", "--test-reporter=spec", ...extra, ...files], { stdio: "inherit" });
process.exit(result.status ?? 1);
