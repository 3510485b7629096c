#!/usr/bin/env node
// The `tandem` command: Node 24 runs the TypeScript sources directly (type stripping), so there is no build step.
import "../scripts/check-node.js";
const { runAsProcess } = await import("../src/cli/main.ts");
await runAsProcess();
