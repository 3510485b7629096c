// `tandem serve`: runs Tandem's server (and with --demo the sandbox Jira and a tested demo connector).
import { Command, Option } from "commander";
import { serve } from "../server/server.ts";
import { DEMO_CONNECTOR } from "../server/demo.ts";
import { intOption } from "./options.ts";

const DEMO_ADMIN = { email: "admin@tandem.local", password: "tandem-demo-password" };

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
      // The demo has a known admin so a newcomer can sign in; real installs set TANDEM_ADMIN_* or get a generated one.
      const env = flags.demo && !process.env.TANDEM_ADMIN_PASSWORD ? { ...process.env, TANDEM_ADMIN_EMAIL: DEMO_ADMIN.email, TANDEM_ADMIN_PASSWORD: DEMO_ADMIN.password } : process.env;
      const tandem = await serve({ port: flags.port, host: flags.host, dataDir: flags.data, demo: flags.demo, sandboxPort: flags.sandboxPort, worker: flags.worker, env });
      const summary = {
        url: tandem.url,
        api: `${tandem.url}/api/v1`,
        firstAdmin: tandem.firstAdmin ? { email: tandem.firstAdmin.email, password: tandem.firstAdmin.generatedPassword } : null,
        demo: tandem.demo ? { admin: DEMO_ADMIN, sandboxUrl: tandem.demo.sandbox.url, connector: DEMO_CONNECTOR, connectTest: tandem.demo.report } : null,
      };
      if (flags.json) console.log(JSON.stringify(summary));
      else {
        const lines = [`Tandem listening on ${tandem.url}`, `  API: ${summary.api} (OpenAPI document at ${summary.api}/openapi.json)`];
        if (tandem.firstAdmin?.generatedPassword) lines.push("", `First admin created: ${tandem.firstAdmin.email} / ${tandem.firstAdmin.generatedPassword}`, "  (shown once; set TANDEM_ADMIN_EMAIL and TANDEM_ADMIN_PASSWORD to choose them)");
        if (tandem.demo) {
          const report = tandem.demo.report;
          lines.push(
            "",
            `Demo: sign in as ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`,
            `  tandem login --url ${tandem.url} --email ${DEMO_ADMIN.email} --password ${DEMO_ADMIN.password}`,
            `Sandbox Jira (Cloud) on ${tandem.demo.sandbox.url} — its web page shows the demo projects; sign in to its API as admin@sandbox.test / sandbox-token`,
            `Connector '${DEMO_CONNECTOR}': Connect & Test ${report.ok ? "passed" : "FAILED"} — ${report.account?.email ?? "?"} can browse ${report.browsableProjects ?? 0} projects on ${report.site?.title ?? "?"}`,
          );
        }
        lines.push("", "Press Ctrl+C to stop.");
        console.log(lines.join("\n"));
      }
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await tandem.close();
    });
}
