// `tandem serve`: runs Tandem's server (and with --demo the sandbox Jira and a tested demo connector).
import { Command, Option } from "commander";
import { serve } from "../server/server.ts";
import { DEMO_ADMIN, DEMO_CONNECTOR, DEMO_JIRA_PROJECT } from "../server/demo.ts";
import { intOption } from "./options.ts";

export function serveCommand(): Command {
  return new Command("serve")
    .description("Run Tandem's server: the HTTP API (and web app) on one origin.")
    .addOption(new Option("--port <port>", "port to listen on (0 picks a free one)").default(4100).argParser(intOption("--port", 0, 65535)))
    .addOption(new Option("--host <host>", "interface to listen on").default("127.0.0.1"))
    .addOption(new Option("--data <dir>", "directory of the SQLite database and the key file").default("data"))
    .option("--demo", "also run the sandbox Jira with demo data and a demo connector")
    .addOption(new Option("--sandbox-port <port>", "port of the demo's sandbox Jira").default(4101).argParser(intOption("--sandbox-port", 0, 65535)))
    .option("--no-worker", "serve the API and webhook intake only; 'tandem worker' processes run the jobs")
    .option("--json", "print the URLs and credentials as JSON")
    .action(async (flags: { port: number; host: string; data: string; demo?: boolean; sandboxPort: number; worker: boolean; json?: boolean }) => {
      // With --demo and no TANDEM_ADMIN_PASSWORD, serve() makes the public demo admin (DEMO_ADMIN).
      const tandem = await serve({ port: flags.port, host: flags.host, dataDir: flags.data, demo: flags.demo, sandboxPort: flags.sandboxPort, worker: flags.worker });
      // Listening for the stop signals before saying it runs: whoever started it may stop it as soon as it reads that.
      const stopped = new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      const summary = {
        url: tandem.url,
        api: `${tandem.url}/api/v1`,
        firstAdmin: tandem.firstAdmin ? { email: tandem.firstAdmin.email, password: tandem.firstAdmin.generatedPassword } : null,
        demo: tandem.demo ? { admin: tandem.demo.signIn, sandboxUrl: tandem.demo.sandbox.url, connector: DEMO_CONNECTOR, project: tandem.demo.project, jiraProject: DEMO_JIRA_PROJECT, connectTest: tandem.demo.report } : null,
      };
      if (flags.json) console.log(JSON.stringify(summary));
      else {
        const lines = [`Tandem listening on ${tandem.url}`, `  API: ${summary.api} (OpenAPI document at ${summary.api}/openapi.json)`];
        if (tandem.firstAdmin?.generatedPassword) lines.push("", `First admin created: ${tandem.firstAdmin.email} / ${tandem.firstAdmin.generatedPassword}`, "  (shown once; set TANDEM_ADMIN_EMAIL and TANDEM_ADMIN_PASSWORD to choose them)");
        if (tandem.demo) {
          const { report, signIn } = tandem.demo;
          lines.push(
            "",
            signIn.email ? `Demo: sign in as ${signIn.email} / ${signIn.password ?? "(the password in TANDEM_ADMIN_PASSWORD)"}` : "Demo: sign in as the admin of this data directory",
            `  tandem login --url ${tandem.url} --email ${signIn.email ?? DEMO_ADMIN.email} --password ${signIn.password ?? "..."}`,
            `Demo project ${tandem.demo.project} (Release 3 schedule) syncs with the sandbox's Jira project ${DEMO_JIRA_PROJECT}; each item shows its Jira key beside its own`,
            `Sandbox Jira (Cloud) on ${tandem.demo.sandbox.url} — its web page shows the demo projects; sign in to its API as admin@sandbox.test / sandbox-token`,
            `Connector '${DEMO_CONNECTOR}': Connect & Test ${report.ok ? "passed" : "FAILED"} — ${report.account?.email ?? "?"} can browse ${report.browsableProjects ?? 0} projects on ${report.site?.title ?? "?"}`,
          );
        }
        lines.push("", "Press Ctrl+C to stop.");
        console.log(lines.join("\n"));
      }
      await stopped;
      await tandem.close();
    });
}
