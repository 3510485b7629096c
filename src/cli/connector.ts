// `tandem login` and `tandem connector ...`: clients of the HTTP API.
import { Command, Option } from "commander";
import { apiCall, writeConfig } from "./api-client.ts";
import { UsageError } from "./options.ts";
import { printJson, printTable } from "./output.ts";

interface Connector {
  id: string;
  name: string;
  flavour: string;
  siteUrl: string;
  authMode: string;
  hasCredentials: boolean;
  lastTest: { ok?: boolean; checkedAt?: string } | null;
}

interface CredentialFlags {
  auth: "api-token" | "oauth" | "password" | "pat";
  email?: string;
  token?: string;
  username?: string;
  password?: string;
  clientId?: string;
  clientSecret?: string;
  oauthBaseUrl?: string;
}

/** The credentials body for an --auth mode, refusing missing flags with the flag to add. */
function credentialsBody(flags: CredentialFlags): Record<string, string> {
  const need = (value: string | undefined, flag: string) => {
    if (!value) throw new UsageError(`--auth ${flags.auth} needs ${flag}.`);
    return value;
  };
  switch (flags.auth) {
    case "api-token":
      return { authMode: "api-token", email: need(flags.email, "--email"), apiToken: need(flags.token, "--token") };
    case "password":
      return { authMode: "password", username: need(flags.username, "--username"), password: need(flags.password, "--password") };
    case "pat":
      return { authMode: "pat", token: need(flags.token, "--token") };
    case "oauth":
      return { authMode: "oauth", clientId: need(flags.clientId, "--client-id"), clientSecret: need(flags.clientSecret, "--client-secret"), ...(flags.oauthBaseUrl ? { oauthBaseUrl: flags.oauthBaseUrl } : {}) };
  }
}

function credentialOptions(command: Command): Command {
  return command
    .addOption(new Option("--auth <mode>", "authentication").choices(["api-token", "oauth", "password", "pat"]).makeOptionMandatory())
    .option("--email <email>", "Cloud: the account's email (api-token)")
    .option("--token <token>", "Cloud API token, or Data Center personal access token")
    .option("--username <username>", "Data Center username (password)")
    .option("--password <password>", "Data Center password")
    .option("--client-id <id>", "OAuth app client id")
    .option("--client-secret <secret>", "OAuth app client secret")
    .option("--oauth-base-url <url>", "OAuth endpoints' base URL (default Atlassian's)");
}

export function loginCommand(): Command {
  return new Command("login")
    .description("Sign in to a Tandem server and keep a token in your config")
    .requiredOption("--url <url>", "Tandem's URL, e.g. http://127.0.0.1:4100")
    .requiredOption("--email <email>", "your Tandem email")
    .requiredOption("--password <password>", "your Tandem password")
    .option("--json", "print the result as JSON")
    .action(async (flags: { url: string; email: string; password: string; json?: boolean }) => {
      const session = await apiCall<{ token: string; user: { email: string; role: string } }>("POST", "/auth/login", { email: flags.email, password: flags.password }, { url: flags.url, token: "" });
      // A long-lived API token, not the 12-hour session, is what the CLI keeps.
      const created = await apiCall<{ token: string }>("POST", "/tokens", { name: "tandem CLI" }, { url: flags.url, token: session.token });
      const path = writeConfig({ url: flags.url.replace(/\/+$/, ""), token: created.token });
      if (flags.json) printJson({ url: flags.url, user: session.user, config: path });
      else console.log(`Signed in to ${flags.url} as ${session.user.email} (${session.user.role}); token saved in ${path}.`);
    });
}

export function connectorCommand(): Command {
  const connector = new Command("connector").description("Manage connectors: Jira sites and how Tandem signs in to them");

  connector
    .command("list")
    .description("List connectors")
    .option("--json", "print as JSON")
    .action(async (flags: { json?: boolean }) => {
      const list = await apiCall<Connector[]>("GET", "/connectors");
      if (flags.json) return printJson(list);
      printTable(list.map((item) => ({ ...item, tested: item.lastTest ? (item.lastTest.ok ? "ok" : "failed") : "never" })), ["name", "flavour", "authMode", "siteUrl", "tested", "id"]);
    });

  connector
    .command("show <connector>")
    .description("Show one connector (by name or id)")
    .option("--json", "print as JSON")
    .action(async (ref: string, flags: { json?: boolean }) => {
      const item = await apiCall<Connector>("GET", `/connectors/${encodeURIComponent(ref)}`);
      if (flags.json) return printJson(item);
      console.log(Object.entries(item).map(([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`).join("\n"));
    });

  credentialOptions(
    connector
      .command("add")
      .description("Add a connector")
      .requiredOption("--name <name>", "a name people will recognise")
      .requiredOption("--url <url>", "the Jira site's base URL")
      .addOption(new Option("--flavour <flavour>", "Jira Cloud or Data Center (default: cloud for *.atlassian.net, else dc)").choices(["cloud", "dc"])),
  )
    .option("--json", "print as JSON")
    .action(async (flags: CredentialFlags & { name: string; url: string; flavour?: "cloud" | "dc"; json?: boolean }) => {
      const flavour = flags.flavour ?? (/\.atlassian\.net\/?$/.test(flags.url) || ["api-token", "oauth"].includes(flags.auth) ? "cloud" : "dc");
      const created = await apiCall<Connector>("POST", "/connectors", { name: flags.name, flavour, siteUrl: flags.url, credentials: credentialsBody(flags) });
      if (flags.json) return printJson(created);
      console.log(`Added connector '${created.name}' (${created.id}). ${created.authMode === "oauth" ? "Authorize it: tandem connector authorize " + JSON.stringify(created.name) : "Check it: tandem connector test " + JSON.stringify(created.name)}`);
    });

  connector
    .command("test <connector>")
    .description("Connect & Test: reach the site, sign in, count projects, check permissions")
    .option("--json", "print as JSON")
    .action(async (ref: string, flags: { json?: boolean }) => {
      const report = await apiCall<{ ok: boolean; site: { title: string | null; deploymentType: string; version: string } | null; account: { displayName: string | null; email: string | null; accountId: string | null; username: string | null } | null; browsableProjects: number | null; permissions: Record<string, boolean> | null; problems: { step: string; cause: string; fix: string }[] }>("POST", `/connectors/${encodeURIComponent(ref)}/test`);
      if (flags.json) printJson(report);
      else {
        console.log(report.ok ? "Connect & Test passed." : "Connect & Test FAILED.");
        if (report.site) console.log(`  site:     ${report.site.title ?? ""} (${report.site.deploymentType} ${report.site.version})`);
        if (report.account) console.log(`  account:  ${report.account.displayName ?? ""} <${report.account.email ?? report.account.username ?? ""}> ${report.account.accountId ?? ""}`);
        if (report.browsableProjects !== null) console.log(`  projects: ${report.browsableProjects} browsable`);
        if (report.permissions) console.log(`  permissions: ${Object.entries(report.permissions).map(([key, have]) => `${key} ${have ? "yes" : "no"}`).join(", ")}`);
        for (const problem of report.problems) console.log(`  problem (${problem.step}): ${problem.cause}\n    fix: ${problem.fix}`);
      }
      if (!report.ok) process.exitCode = 1;
    });

  connector
    .command("rename <connector> <newName>")
    .description("Rename a connector (everything that refers to it keeps working)")
    .option("--json", "print as JSON")
    .action(async (ref: string, newName: string, flags: { json?: boolean }) => {
      const item = await apiCall<Connector>("PATCH", `/connectors/${encodeURIComponent(ref)}`, { name: newName });
      if (flags.json) return printJson(item);
      console.log(`Renamed to '${item.name}'.`);
    });

  credentialOptions(connector.command("rotate <connector>").description("Replace a connector's credentials (rotation) without losing anything"))
    .option("--json", "print as JSON")
    .action(async (ref: string, flags: CredentialFlags & { json?: boolean }) => {
      const item = await apiCall<Connector>("PUT", `/connectors/${encodeURIComponent(ref)}/credentials`, credentialsBody(flags));
      if (flags.json) return printJson(item);
      console.log(`Credentials of '${item.name}' replaced (${item.authMode}). Check them: tandem connector test ${JSON.stringify(item.name)}`);
    });

  connector
    .command("authorize <connector>")
    .description("Start OAuth authorization: prints the URL to open in a browser")
    .option("--identity", "authorize your own Jira identity rather than the connector's")
    .option("--json", "print as JSON")
    .action(async (ref: string, flags: { identity?: boolean; json?: boolean }) => {
      const result = await apiCall<{ authorizeUrl: string }>("POST", `/connectors/${encodeURIComponent(ref)}/oauth/start`, { purpose: flags.identity ? "identity" : "connector" });
      if (flags.json) return printJson(result);
      console.log(`Open this URL in a browser and accept:\n${result.authorizeUrl}`);
    });

  connector
    .command("webhook <connector>")
    .description("Register Tandem's webhook in Jira (or print what a Jira admin should paste); --status shows deliveries")
    .option("--status", "only show the webhook's status")
    .option("--json", "print as JSON")
    .action(async (ref: string, flags: { status?: boolean; json?: boolean }) => {
      if (flags.status) {
        const status = await apiCall<{ connected: boolean; url: string | null; registeredInJira: boolean; lastVerifiedDelivery: number | null; verified: number; rejected: number; inbox: Record<string, number> }>("GET", `/connectors/${encodeURIComponent(ref)}/webhook`);
        if (flags.json) return printJson(status);
        console.log(`${status.connected ? "Connected" : "No verified delivery yet"}; registered in Jira: ${status.registeredInJira ? "yes" : "no"}; last delivery: ${status.lastVerifiedDelivery ? new Date(status.lastVerifiedDelivery).toISOString() : "never"}; verified ${status.verified}, rejected ${status.rejected}; inbox ${JSON.stringify(status.inbox)}`);
        return;
      }
      const result = await apiCall<{ url: string; secret: string; jql: string; events: string[]; registered: boolean; instructions: string | null }>("POST", `/connectors/${encodeURIComponent(ref)}/webhook`);
      if (flags.json) return printJson(result);
      console.log(result.registered ? "Webhook registered in Jira." : result.instructions);
      console.log(`  URL:    ${result.url}\n  secret: ${result.secret}\n  JQL:    ${result.jql || "(all issues)"}\n  events: ${result.events.join(", ")}`);
    });

  connector
    .command("import-projects <connector>")
    .description("Make Tandem projects from Jira: one per Jira project, per Epic, or per value of a custom field")
    .requiredOption("--jira-project <keys...>", "Jira project keys to read")
    .addOption(new Option("--by <source>", "what a Tandem project is").choices(["jira-project", "epic", "field"]).default("jira-project"))
    .option("--field <name>", "the custom field whose value names the project (with --by field)")
    .option("--include-done", "include closed issues")
    .option("--json", "print as JSON")
    .action(async (ref: string, flags: { jiraProject: string[]; by: "jira-project" | "epic" | "field"; field?: string; includeDone?: boolean; json?: boolean }) => {
      if (flags.by === "field" && !flags.field) throw new UsageError("--by field needs --field NAME.");
      const source = flags.by === "field" ? { mode: "field", field: flags.field } : { mode: flags.by };
      const result = await apiCall<{ key: string; name: string; created: boolean; itemsCreated: number; itemsExisting: number }[]>("POST", `/connectors/${encodeURIComponent(ref)}/import-projects`, { jiraProjects: flags.jiraProject, source, includeDone: Boolean(flags.includeDone) });
      if (flags.json) return printJson(result);
      printTable(result.map((row) => ({ ...row, project: row.created ? "new" : "existing" })), ["key", "name", "project", "itemsCreated", "itemsExisting"]);
    });

  connector
    .command("remove <connector>")
    .description("Disconnect: removes the connector and the project associations that use it; items and history stay")
    .requiredOption("--yes", "confirm")
    .option("--json", "print as JSON")
    .action(async (ref: string, flags: { json?: boolean }) => {
      const result = await apiCall<{ removed: string; projectAssociationsRemoved: number }>("DELETE", `/connectors/${encodeURIComponent(ref)}`);
      if (flags.json) return printJson(result);
      console.log(`Removed connector '${result.removed}' and ${result.projectAssociationsRemoved} project association(s); items and their history are kept.`);
    });

  return connector;
}
