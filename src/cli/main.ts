// The `tandem` command line. Exit codes: 0 ok, 1 failure, 2 usage error.
import { Command, CommanderError } from "commander";
import { connectorCommand, loginCommand } from "./connector.ts";
import { jobsCommand } from "./jobs.ts";
import { eventsCommand, projectCommands } from "./projects.ts";
import { reportCommand } from "./reports.ts";
import { sandboxCommand } from "./sandbox.ts";
import { serveCommand } from "./serve.ts";
import { workerCommand } from "./worker.ts";
import { UsageError } from "./options.ts";

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export function buildProgram(): Command {
  const program = new Command()
    .name("tandem")
    .description("Tandem keeps your own work items and Jira issues aligned.")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  // Subcommands made with `new Command` inherit nothing by themselves: exit handling and help hints are copied.
  for (const command of [serveCommand(), workerCommand(), loginCommand(), connectorCommand(), ...projectCommands(), eventsCommand(), jobsCommand(), reportCommand(), sandboxCommand()]) program.addCommand(inherit(command, program));
  return program;
}


/** Copies exit handling and help hints down the whole command tree (commander copies only at creation). */
function inherit(command: Command, parent: Command): Command {
  command.copyInheritedSettings(parent);
  for (const sub of command.commands) inherit(sub, command);
  return command;
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; everything else commander refuses is a usage error.
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return EXIT.ok;
      return EXIT.usage;
    }
    console.error(`tandem: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof UsageError ? EXIT.usage : EXIT.failure;
  }
}

/** Runs the CLI as a process: sets the exit code (commands that serve keep the process alive themselves). */
export async function runAsProcess(): Promise<void> {
  const code = await main(process.argv);
  if (code !== EXIT.ok) process.exit(code);
}

if (import.meta.main) await runAsProcess();
