// `tandem sandbox`: runs the sandbox Jira (the demo's Jira and the tests' Jira) until interrupted.
import { Command, Option } from "commander";
import { parseSeed } from "../sandbox/seed/index.ts";
import { startSandbox, type RunningSandbox } from "../sandbox/server.ts";
import { intOption, parsedOption } from "./options.ts";

interface SandboxFlags {
  port: number;
  host: string;
  seed: string;
  flavour: "cloud" | "dc";
  adminEmail?: string;
  adminToken?: string;
  adminPassword?: string;
  rateLimit?: number;
  realisticQuirks: boolean;
  json?: boolean;
}

export function sandboxCommand(): Command {
  return new Command("sandbox")
    .description("Run the sandbox Jira: a faithful Jira Cloud or Data Center on this machine, seeded with data.")
    .addOption(new Option("--port <port>", "port to listen on (0 picks a free one)").default(4101).argParser(intOption("--port", 0, 65535)))
    .addOption(new Option("--host <host>", "interface to listen on").default("127.0.0.1"))
    .addOption(new Option("--seed <seed>", "data to start with: demo, empty or large:N").default("demo").argParser(parsedOption(parseSeed)))
    .addOption(new Option("--flavour <flavour>", "which Jira to be").choices(["cloud", "dc"]).default("cloud"))
    .option("--admin-email <email>", "the administrator's email (Cloud login)")
    .option("--admin-token <token>", "the administrator's API token")
    .option("--admin-password <password>", "the administrator's password (Data Center login)")
    .addOption(new Option("--rate-limit <perSecond>", "limit each user to this many requests per second, answering 429 as Jira Cloud does").argParser(intOption("--rate-limit", 1, 100000)))
    .option("--no-realistic-quirks", "turn off Jira's search-index lag and minute-precision JQL dates")
    .option("--json", "print the URL and credentials as JSON")
    .action(async (flags: SandboxFlags) => {
      const sandbox = await startSandbox({
        port: flags.port,
        host: flags.host,
        seed: flags.seed,
        flavour: flags.flavour,
        admin: {
          ...(flags.adminEmail ? { email: flags.adminEmail } : {}),
          ...(flags.adminToken ? { token: flags.adminToken } : {}),
          ...(flags.adminPassword ? { password: flags.adminPassword } : {}),
        },
        ...(flags.realisticQuirks ? {} : { quirks: { searchIndexLagMs: 0, jqlMinutePrecision: false } }),
        ...(flags.rateLimit ? { limits: { rateLimit: { burstPerSecond: flags.rateLimit, burstCapacity: flags.rateLimit } } } : {}),
      });
      printBanner(sandbox, flags);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await sandbox.close();
    });
}

function credentialsOf(sandbox: RunningSandbox) {
  return [...sandbox.state.users.values()].map((user) => ({
    displayName: user.displayName,
    email: user.email,
    username: user.name,
    accountId: user.accountId,
    apiToken: user.apiTokens[0] ?? null,
    password: user.password,
    personalAccessToken: user.personalAccessTokens[0] ?? null,
    admin: user.admin,
  }));
}

function printBanner(sandbox: RunningSandbox, flags: SandboxFlags) {
  const users = credentialsOf(sandbox);
  if (flags.json) {
    console.log(JSON.stringify({ url: sandbox.url, flavour: flags.flavour, seed: flags.seed, cloudId: sandbox.state.site.cloudId, oauthClient: sandbox.oauth.options.clients[0], users }));
    return;
  }
  const cloud = flags.flavour === "cloud";
  const lines = [
    `Sandbox Jira (${cloud ? "Cloud" : "Data Center"}) listening on ${sandbox.url}`,
    `  web page:  ${sandbox.url}/`,
    `  REST API:  ${sandbox.url}/rest/api/${cloud ? "3" : "2"}/`,
    `  seed:      ${flags.seed} (${sandbox.state.projects.size} projects, ${sandbox.state.issues.size} issues)`,
    "",
    cloud ? "Credentials (email + API token, as Basic auth):" : "Credentials (username + password as Basic auth, or personal access token as Bearer):",
    ...users.map((user) =>
      cloud
        ? `  ${user.email.padEnd(26)} ${String(user.apiToken).padEnd(18)} ${user.admin ? "administrator" : user.displayName}`
        : `  ${user.username.padEnd(14)} ${String(user.password).padEnd(18)} PAT ${String(user.personalAccessToken).padEnd(14)} ${user.admin ? "administrator" : user.displayName}`,
    ),
  ];
  if (cloud) {
    const client = sandbox.oauth.options.clients[0]!;
    lines.push("", `OAuth 2.0 (3LO): client id ${client.clientId}, secret ${client.clientSecret}, authorize at ${sandbox.url}/authorize, cloud id ${sandbox.state.site.cloudId}`);
  }
  lines.push("", "Press Ctrl+C to stop.");
  console.log(lines.join("\n"));
}
