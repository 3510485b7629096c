// Seeds by name: `demo`, `empty` (base configuration and the admin only) and `large:N`.
import type { SandboxState } from "../model/state.ts";
import { DEFAULT_ADMIN, installBaseConfiguration, addProject, IDS, type AdminCredentials } from "./base.ts";
import { seedDemo } from "./demo.ts";
import { seedLarge } from "./large.ts";

export type SeedName = "demo" | "empty" | `large:${number}`;

export function parseSeed(value: string): SeedName {
  if (value === "demo" || value === "empty") return value;
  const match = /^large:(\d+)$/.exec(value);
  if (match && Number(match[1]) > 0 && Number(match[1]) <= 2_000_000) return value as SeedName;
  throw new Error(`Unknown seed '${value}': use demo, empty or large:N (N between 1 and 2000000).`);
}

export function applySeed(state: SandboxState, seed: SeedName, admin: AdminCredentials = DEFAULT_ADMIN, options: { now?: number } = {}): void {
  if (seed === "demo") return seedDemo(state, admin, options);
  if (seed === "empty") {
    const adminUser = installBaseConfiguration(state, admin);
    addProject(state, {
      id: "10000", key: "TEST", name: "Test Project", description: "An empty project.", style: "classic",
      leadAccountId: adminUser.accountId, workflowId: IDS.workflow.software,
      issueTypeIds: [IDS.type.epic, IDS.type.story, IDS.type.task, IDS.type.bug, IDS.type.subtask],
    });
    return;
  }
  seedLarge(state, admin, Number(seed.slice("large:".length)), options);
}

export { DEFAULT_ADMIN, type AdminCredentials };
