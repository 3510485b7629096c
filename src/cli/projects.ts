// Projects, items, links and syncs from the command line: `tandem project ...`, `tandem item ...`, `tandem link`,
// `tandem unlink`, `tandem search-issues`, `tandem pull|push|sync`, `tandem history`, `tandem conflicts`, `tandem resolve`.
import { Command, Option } from "commander";
import { splitIdentity } from "../connectors/run-identity.ts";
import { apiCall } from "./api-client.ts";
import { intOption, UsageError } from "./options.ts";
import { printJson, printTable } from "./output.ts";

interface RunResult {
  run: { id: string; kind: string; status: string; dryRun: boolean; identity: string; counts: Record<string, number>; error: string | null; startedAt: number };
  items: { itemKey: string; jiraKey: string | null; outcome: string; changes: { field: string; side: string; before: unknown; after: unknown }[]; messages: string[] }[];
}

/** `key=value` pairs; numbers and null are read as such, everything else stays text. */
function parseValues(pairs: string[]): Record<string, unknown> {
  return Object.fromEntries(pairs.map((pair) => {
    const at = pair.indexOf("=");
    if (at <= 0) throw new UsageError(`'${pair}' is not field=value.`);
    const raw = pair.slice(at + 1);
    const value = raw === "null" ? null : raw !== "" && Number.isFinite(Number(raw)) && !/^\d{4}-\d{2}-\d{2}$/.test(raw) ? Number(raw) : raw;
    return [pair.slice(0, at), value];
  }));
}

/** Extra Jira fields as id=value; a value that is JSON ({"value":"High"}, [..], 5) is sent as that JSON. */
function jiraFields(pairs: string[]): Record<string, unknown> {
  return Object.fromEntries(pairs.map((pair) => {
    const at = pair.indexOf("=");
    if (at <= 0) throw new UsageError(`'${pair}' is not id=value.`);
    const raw = pair.slice(at + 1);
    try {
      return [pair.slice(0, at), JSON.parse(raw) as unknown];
    } catch {
      return [pair.slice(0, at), raw];
    }
  }));
}

/** "sync (webhook)" and "as tandem-sync@… (service account of 'Acme')": what started a run, and as whom. */
function kindAndAccount(run: { kind: string; identity: string }): { kind: string; account: string } {
  const { trigger, account } = splitIdentity(run.identity);
  return { kind: `${run.kind}${trigger ? ` (${trigger})` : ""}`, account };
}

function printRun(result: RunResult, json?: boolean) {
  if (json) return printJson(result);
  const { run } = result;
  const said = kindAndAccount(run);
  console.log(`${said.kind} ${run.dryRun ? "(dry run) " : ""}${run.status} as ${said.account}: ${Object.entries(run.counts).filter(([, count]) => count > 0).map(([outcome, count]) => `${count} ${outcome}`).join(", ") || "no linked items"}${run.error ? `\n  ${run.error}` : ""}`);
  for (const item of result.items) {
    if (item.outcome === "unchanged") continue;
    console.log(`  ${item.itemKey} ↔ ${item.jiraKey ?? "?"}: ${item.outcome}`);
    for (const change of item.changes) console.log(`    ${change.field} (${change.side}): ${JSON.stringify(change.before)} → ${JSON.stringify(change.after)}`);
    for (const message of item.messages) console.log(`    ${message}`);
  }
  console.log(`  run ${run.id}`);
  if (run.status === "failed") process.exitCode = 1;
}

export function projectCommands(): Command[] {
  const project = new Command("project").description("Projects and their Jira association");
  project.command("list").description("List projects").option("--json", "print as JSON").action(async (flags: { json?: boolean }) => {
    const list = await apiCall<{ key: string; name: string; direction: string; jiraProjects: string[] }[]>("GET", "/projects");
    if (flags.json) return printJson(list);
    printTable(list.map((item) => ({ ...item, jira: item.jiraProjects.join(",") })), ["key", "name", "direction", "jira"]);
  });
  project.command("add").description("Add a project").requiredOption("--key <key>", "short key, e.g. REL").requiredOption("--name <name>", "name")
    .addOption(new Option("--preset <preset>", "fields and mappings of a reference role").choices(["scheduler"])).option("--json", "print as JSON")
    .action(async (flags: { key: string; name: string; preset?: string; json?: boolean }) => {
      const created = await apiCall<{ key: string }>("POST", "/projects", { key: flags.key, name: flags.name, ...(flags.preset ? { preset: flags.preset } : {}) });
      if (flags.json) return printJson(created);
      console.log(`Added project ${created.key}. Connect it: tandem project connect ${created.key} --connector NAME --jira-project KEY`);
    });
  project.command("show <project>").description("Show a project, its mappings and last runs").option("--json", "print as JSON").action(async (ref: string, flags: { json?: boolean }) => {
    const shown = await apiCall<Record<string, unknown> & { mappings: { tandemField: string; jiraField: string; direction: string; transform: { kind: string } }[]; lastPull: { startedAt: number; id: string } | null; lastPush: { startedAt: number; id: string } | null }>("GET", `/projects/${encodeURIComponent(ref)}`);
    if (flags.json) return printJson(shown);
    console.log(`${shown.key}: ${shown.name} — ${shown.direction}, conflicts: ${shown.conflictPolicy}, identity: ${shown.syncIdentity}, Jira projects: ${(shown.jiraProjects as string[]).join(", ") || "none"}`);
    console.log(`  last pull: ${shown.lastPull ? `${new Date(shown.lastPull.startedAt).toISOString()} (run ${shown.lastPull.id})` : "never"}`);
    console.log(`  last push: ${shown.lastPush ? `${new Date(shown.lastPush.startedAt).toISOString()} (run ${shown.lastPush.id})` : "never"}`);
    printTable(shown.mappings.map((mapping) => ({ ...mapping, transform: mapping.transform.kind })), ["tandemField", "direction", "jiraField", "transform"]);
  });
  project.command("connect <project>").description("Associate a project with a connector and Jira projects")
    .requiredOption("--connector <connector>", "connector name or id").requiredOption("--jira-project <keys...>", "Jira project keys")
    .option("--jql <jql>", "JQL scope", "").addOption(new Option("--direction <direction>").choices(["pull", "push", "two-way"]).default("two-way"))
    .addOption(new Option("--conflicts <policy>").choices(["jira-wins", "tandem-wins", "newest-wins", "hold"]).default("hold"))
    .addOption(new Option("--identity <identity>", "whose Jira identity syncs").choices(["service", "user"]).default("service")).option("--json", "print as JSON")
    .action(async (ref: string, flags: { connector: string; jiraProject: string[]; jql: string; direction: string; conflicts: string; identity: string; json?: boolean }) => {
      const result = await apiCall("PUT", `/projects/${encodeURIComponent(ref)}/jira`, { connector: flags.connector, jiraProjects: flags.jiraProject, jqlScope: flags.jql, direction: flags.direction, conflictPolicy: flags.conflicts, syncIdentity: flags.identity });
      if (flags.json) return printJson(result);
      console.log(`Connected ${ref} to ${flags.jiraProject.join(", ")} through '${flags.connector}'.`);
    });
  project.command("mapping <project>").description("Set a project's mappings from a preset or a JSON file")
    .addOption(new Option("--preset <preset>").choices(["scheduler"])).option("--file <file>", "JSON array of mappings").option("--json", "print as JSON")
    .action(async (ref: string, flags: { preset?: string; file?: string; json?: boolean }) => {
      if (!flags.preset && !flags.file) throw new UsageError("Give --preset or --file.");
      const { readFileSync } = await import("node:fs");
      const body = flags.preset ? { preset: flags.preset } : { mappings: JSON.parse(readFileSync(flags.file!, "utf8")) };
      const saved = await apiCall<unknown[]>("PUT", `/projects/${encodeURIComponent(ref)}/mappings`, body);
      if (flags.json) return printJson(saved);
      console.log(`Saved ${saved.length} mapping(s).`);
    });

  project.command("schedule <project>").description("Set when catch-up runs").requiredOption("--cron <cron>", "cron expression, e.g. '0 2 * * *' (daily at 02:00)").option("--tz <timeZone>", "IANA time zone", "UTC").option("--json", "print as JSON")
    .action(async (ref: string, flags: { cron: string; tz: string; json?: boolean }) => {
      const saved = await apiCall("PUT", `/projects/${encodeURIComponent(ref)}/catch-up-schedule`, { cron: flags.cron, timeZone: flags.tz });
      if (flags.json) return printJson(saved);
      console.log(`Catch-up of ${ref} runs at '${flags.cron}' (${flags.tz}).`);
    });

  const item = new Command("item").description("Work items");
  item.command("list <project>").description("List a project's items").option("--json", "print as JSON").action(async (ref: string, flags: { json?: boolean }) => {
    const items = await apiCall<{ key: string; values: Record<string, unknown>; link: { jiraKey: string } | null }[]>("GET", `/projects/${encodeURIComponent(ref)}/items`);
    if (flags.json) return printJson(items);
    printTable(items.map((entry) => ({ key: entry.key, jira: entry.link?.jiraKey ?? "", title: entry.values.title, status: entry.values.status })), ["key", "jira", "status", "title"]);
  });
  item.command("add <project> <values...>").description("Add an item: field=value pairs (title=... required)").option("--json", "print as JSON").action(async (ref: string, values: string[], flags: { json?: boolean }) => {
    const created = await apiCall<{ key: string }>("POST", `/projects/${encodeURIComponent(ref)}/items`, { values: parseValues(values) });
    if (flags.json) return printJson(created);
    console.log(`Added ${created.key}.`);
  });
  item.command("edit <item> <values...>").description("Edit an item: field=value pairs").option("--json", "print as JSON").action(async (ref: string, values: string[], flags: { json?: boolean }) => {
    const updated = await apiCall<{ key: string }>("PATCH", `/items/${encodeURIComponent(ref)}`, { values: parseValues(values) });
    if (flags.json) return printJson(updated);
    console.log(`Updated ${updated.key}.`);
  });

  item.command("import-csv <project> <file>").description("Add items from a CSV file whose header names the project's fields").option("--json", "print as JSON")
    .action(async (ref: string, file: string, flags: { json?: boolean }) => {
      const { readFileSync } = await import("node:fs");
      const result = await apiCall<{ created: string[] }>("POST", `/projects/${encodeURIComponent(ref)}/items/csv`, { csv: readFileSync(file, "utf8") });
      if (flags.json) return printJson(result);
      console.log(`Imported ${result.created.length} item(s): ${result.created.join(", ")}`);
    });
  item.command("delete <item>").description("Delete an item and its link (the Jira issue is untouched)").requiredOption("--yes", "confirm").option("--json", "print as JSON")
    .action(async (ref: string, flags: { json?: boolean }) => {
      const result = await apiCall<{ deleted: string; jiraIssueUntouched: string | null }>("DELETE", `/items/${encodeURIComponent(ref)}`);
      if (flags.json) return printJson(result);
      console.log(`Deleted ${result.deleted}${result.jiraIssueUntouched ? `; ${result.jiraIssueUntouched} in Jira is untouched` : ""}.`);
    });
  const comment = new Command("comment").description("Show the linked issue's comments, or add one (--add)").argument("<item>").option("--add <markdown>", "add this comment to the Jira issue").option("--json", "print as JSON")
    .action(async (ref: string, flags: { add?: string; json?: boolean }) => {
      if (flags.add !== undefined) {
        // An empty --add is a mistake, not a request for the list.
        if (flags.add.trim() === "") throw new UsageError("--add needs the comment's text, e.g. --add \"Looks good\".");
        const added = await apiCall<{ jiraKey: string; writtenAs: string; attributedTo: string | null }>("POST", `/items/${encodeURIComponent(ref)}/comments`, { body: flags.add });
        if (flags.json) return printJson(added);
        return console.log(`Commented on ${added.jiraKey} as ${added.writtenAs}${added.attributedTo ? `, naming ${added.attributedTo} as its author` : ""}.`);
      }
      const comments = await apiCall<{ author: string | null; created: string; body: string | null; viaTandem?: boolean; jiraAuthor?: { displayName: string | null } | null }[]>("GET", `/items/${encodeURIComponent(ref)}/comments`);
      if (flags.json) return printJson(comments);
      for (const entry of comments) console.log(`${entry.author ?? "?"}${entry.viaTandem ? ` (via Tandem, as ${entry.jiraAuthor?.displayName ?? "the connector's account"})` : ""} (${entry.created}):\n${entry.body ?? ""}\n`);
    });
  const bulkEdit = new Command("bulk-edit").description("Set field=value pairs on many items; linked ones go to Jira once each").argument("<project>").argument("<values...>").requiredOption("--items <items...>", "item keys").option("--json", "print as JSON")
    .action(async (ref: string, values: string[], flags: { items: string[]; json?: boolean }) => {
      const result = await apiCall<{ updated: string[]; failed: { item: string; reason: string }[] }>("POST", `/projects/${encodeURIComponent(ref)}/bulk-edit`, { items: flags.items, values: parseValues(values) });
      if (flags.json) return printJson(result);
      console.log(`Updated ${result.updated.length} item(s).`);
      for (const failure of result.failed) console.log(`  ${failure.item}: ${failure.reason}`);
      if (result.failed.length) process.exitCode = 1;
    });
  const link = new Command("link").description("Link an item to a Jira issue by key").argument("<item>").argument("<jiraKey>").option("--json", "print as JSON")
    .action(async (ref: string, key: string, flags: { json?: boolean }) => {
      const linked = await apiCall<{ key: string; link: { jiraKey: string } }>("PUT", `/items/${encodeURIComponent(ref)}/link`, { jiraKey: key });
      if (flags.json) return printJson(linked);
      console.log(`${linked.key} ↔ ${linked.link.jiraKey}`);
    });
  const unlink = new Command("unlink").description("Unlink an item (the Jira issue is untouched)").argument("<item>").option("--json", "print as JSON")
    .action(async (ref: string, flags: { json?: boolean }) => {
      await apiCall("DELETE", `/items/${encodeURIComponent(ref)}/link`);
      if (flags.json) return printJson({ unlinked: ref });
      console.log(`Unlinked ${ref}; the Jira issue is untouched.`);
    });
  const search = new Command("search-issues").description("Search the project's Jira projects by summary or key").argument("<project>").argument("<text>").option("--json", "print as JSON")
    .action(async (ref: string, text: string, flags: { json?: boolean }) => {
      const found = await apiCall<Record<string, unknown>[]>("GET", `/projects/${encodeURIComponent(ref)}/search-issues?text=${encodeURIComponent(text)}`);
      if (flags.json) return printJson(found);
      printTable(found, ["key", "status", "summary"]);
    });

  const runs = (["pull", "push", "sync"] as const).map((kind) =>
    new Command(kind).description(kind === "sync" ? "Two-way sync with three-way merge" : kind === "pull" ? "Pull from Jira into Tandem" : "Push from Tandem to Jira")
      .argument("<project>").option("--dry-run", "show every change without making any").option("--item <items...>", "only these items").option("--json", "print as JSON")
      .action(async (ref: string, flags: { dryRun?: boolean; item?: string[]; json?: boolean }) => {
        printRun(await apiCall<RunResult>("POST", `/projects/${encodeURIComponent(ref)}/${kind}`, { dryRun: Boolean(flags.dryRun), ...(flags.item ? { items: flags.item } : {}) }), flags.json);
      }),
  );
  const history = new Command("history").description("A project's runs, or one run's items").argument("<project>").option("--run <id>", "one run").addOption(new Option("--outcome <outcome>").choices(["changed", "unchanged", "warning", "failed", "conflict"])).option("--json", "print as JSON")
    .action(async (ref: string, flags: { run?: string; outcome?: string; json?: boolean }) => {
      if (flags.run) return printRun(await apiCall<RunResult>("GET", `/runs/${encodeURIComponent(flags.run)}${flags.outcome ? `?outcome=${flags.outcome}` : ""}`), flags.json);
      const list = await apiCall<RunResult["run"][]>("GET", `/projects/${encodeURIComponent(ref)}/runs`);
      if (flags.json) return printJson(list);
      printTable(list.map((run) => {
        const { kind, account } = kindAndAccount(run);
        return { ...run, kind, as: account, started: new Date(run.startedAt).toISOString(), counts: Object.entries(run.counts).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`).join(", ") };
      }), ["started", "kind", "dryRun", "status", "as", "counts", "id"]);
    });
  const conflicts = new Command("conflicts").description("Open conflicts of a project").argument("<project>").option("--json", "print as JSON")
    .action(async (ref: string, flags: { json?: boolean }) => {
      const list = await apiCall<Record<string, unknown>[]>("GET", `/projects/${encodeURIComponent(ref)}/conflicts`);
      if (flags.json) return printJson(list);
      printTable(list.map((entry) => ({ ...entry, tandem: JSON.stringify(entry.tandem), jira: JSON.stringify(entry.jira) })), ["id", "itemId", "tandem", "jira"]);
    });
  const resolve = new Command("resolve").description("Resolve a conflict").argument("<conflict>").addOption(new Option("--keep <side>").choices(["tandem", "jira"]).makeOptionMandatory()).option("--json", "print as JSON")
    .action(async (id: string, flags: { keep: string; json?: boolean }) => {
      const result = await apiCall("POST", `/conflicts/${encodeURIComponent(id)}/resolve`, { keep: flags.keep });
      if (flags.json) return printJson(result);
      console.log(`Resolved: kept ${flags.keep}'s value.`);
    });
  const importCommand = new Command("import").description("Import Jira issues as linked items (--preview shows a page, --dry-run what would change)").argument("<project>")
    .option("--jql <jql>", "JQL within the project's Jira projects").option("--filter <filter>", "a saved Jira filter, by id or name (with --jql: both)").option("--include-done", "include closed issues")
    .option("--all", "every match (the default), not only the page shown").option("--keys <keys...>", "only these issues").option("--issue <keys...>", "same as --keys")
    .option("--preview", "show one page of matches, import nothing").option("--page <token>", "the preview page to show")
    .option("--dry-run", "say what would be imported, updated and skipped, and write nothing").option("--json", "print as JSON")
    .action(async (ref: string, flags: { jql?: string; filter?: string; includeDone?: boolean; all?: boolean; keys?: string[]; issue?: string[]; preview?: boolean; page?: string; dryRun?: boolean; json?: boolean }) => {
      const keys = [...(flags.keys ?? []), ...(flags.issue ?? [])];
      if (flags.all && keys.length) throw new UsageError("Use either --all or --keys, not both.");
      const scope = { ...(flags.jql ? { jql: flags.jql } : {}), ...(flags.filter ? { filter: flags.filter } : {}), includeDone: Boolean(flags.includeDone), ...(keys.length ? { issues: keys } : {}) };
      if (flags.preview) {
        const page = await apiCall<{ total: number | null; rows: Record<string, unknown>[]; nextPageToken: string | null }>("POST", `/projects/${encodeURIComponent(ref)}/import/preview`, { ...scope, ...(flags.page ? { pageToken: flags.page } : {}) });
        if (flags.json) return printJson(page);
        if (page.total !== null) console.log(`${page.total} matching issue(s).`);
        printTable(page.rows, ["key", "type", "status", "assignee", "summary", "linked"]);
        if (page.nextPageToken) console.log(`next page: --page ${page.nextPageToken}`);
        return;
      }
      if (flags.dryRun) {
        const plan = await apiCall<{ create: { key: string; summary: string | null }[]; update: { key: string; item: string }[]; skip: { key: string; reason: string }[] }>("POST", `/projects/${encodeURIComponent(ref)}/import`, { ...scope, dryRun: true });
        if (flags.json) return printJson(plan);
        console.log(`Dry run, nothing written: would import ${plan.create.length} new item(s), update ${plan.update.length} linked item(s), skip ${plan.skip.length}.`);
        printTable([...plan.create.map((row) => ({ action: "import", key: row.key, detail: row.summary ?? "" })), ...plan.update.map((row) => ({ action: "update", key: row.key, detail: row.item })), ...plan.skip.map((row) => ({ action: "skip", key: row.key, detail: row.reason }))], ["action", "key", "detail"]);
        return;
      }
      const result = await apiCall<{ created: string[]; existing: string[] }>("POST", `/projects/${encodeURIComponent(ref)}/import`, scope);
      if (flags.json) return printJson(result);
      console.log(`Imported ${result.created.length} new item(s); ${result.existing.length} were already linked and were updated.`);
    });
  const createCommand = new Command("create-in-jira").description("Create a Jira issue from an unlinked item and link it").argument("<item>")
    .requiredOption("--jira-project <key>", "Jira project key").requiredOption("--type <issueType>", "issue type name or id")
    .option("--field <pairs...>", "extra Jira fields as id=value (select options as id={\"value\":\"High\"})").option("--json", "print as JSON")
    .action(async (ref: string, flags: { jiraProject: string; type: string; field?: string[]; json?: boolean }) => {
      const result = await apiCall<{ key: string; reused: boolean }>("POST", `/items/${encodeURIComponent(ref)}/create-in-jira`, { jiraProject: flags.jiraProject, issueType: flags.type, ...(flags.field ? { fields: jiraFields(flags.field) } : {}) });
      if (flags.json) return printJson(result);
      console.log(result.reused ? `Found ${result.key}, created by an earlier attempt, and linked it.` : `Created ${result.key} and linked it.`);
    });
  const createMany = new Command("create").description("Create Jira issues from unlinked items (of one project) and link them; never twice").argument("<items...>")
    .requiredOption("--project <key>", "Jira project key").requiredOption("--type <issueType>", "issue type name or id")
    .option("--field <pairs...>", "extra Jira fields as id=value (select options as id={\"value\":\"High\"})").option("--json", "print as JSON")
    .action(async (refs: string[], flags: { project: string; type: string; field?: string[]; json?: boolean }) => {
      // Items are named by key (PROJECT-N): their Tandem project is the key's prefix.
      const projects = new Set(refs.map((ref) => /^([A-Za-z][A-Za-z0-9]*)-\d+$/.exec(ref)?.[1]?.toUpperCase() ?? ""));
      if (projects.has("") || projects.size !== 1) throw new UsageError("Name items by key (e.g. REL-4), all of one Tandem project.");
      const result = await apiCall<{ created: { item: string; key: string; reused: boolean }[]; skipped: { item: string; reason: string }[]; failed: { item: string; reason: string }[] }>("POST", `/projects/${encodeURIComponent([...projects][0]!)}/create-in-jira`, { items: refs, jiraProject: flags.project, issueType: flags.type, ...(flags.field ? { fields: jiraFields(flags.field) } : {}) });
      if (flags.json) return printJson(result);
      printTable([...result.created.map((row) => ({ item: row.item, result: row.reused ? `${row.key} (found, not created again)` : `created ${row.key}` })), ...result.skipped.map((row) => ({ item: row.item, result: `skipped: ${row.reason}` })), ...result.failed.map((row) => ({ item: row.item, result: `FAILED: ${row.reason}` }))], ["item", "result"]);
      if (result.failed.length) process.exitCode = 1;
    });
  const formCommand = new Command("create-form").description("Show the create form of a Jira issue type (required fields first), or the types").argument("<project>").argument("[type]", "issue type name or id (omit to list types)")
    .option("--jira-project <key>", "Jira project key (default: the project's only one)").option("--type <issueType>", "same as the type argument").option("--json", "print as JSON")
    .action(async (ref: string, typeArgument: string | undefined, flags: { jiraProject?: string; type?: string; json?: boolean }) => {
      const type = typeArgument ?? flags.type;
      let jiraProject = flags.jiraProject;
      if (!jiraProject) {
        const { jiraProjects } = await apiCall<{ jiraProjects: string[] }>("GET", `/projects/${encodeURIComponent(ref)}`);
        if (jiraProjects.length !== 1) throw new UsageError(`Project ${ref} has ${jiraProjects.length ? `several Jira projects (${jiraProjects.join(", ")})` : "no Jira project"}: name one with --jira-project.`);
        jiraProject = jiraProjects[0]!;
      }
      const form = await apiCall<{ issueTypes?: Record<string, unknown>[]; fields?: (Record<string, unknown> & { allowedValues: { name: string }[] | null; defaultValue: { name: string } | null; richText: boolean })[] }>("GET", `/projects/${encodeURIComponent(ref)}/create-form?jiraProject=${encodeURIComponent(jiraProject)}${type ? `&issueType=${encodeURIComponent(type)}` : ""}`);
      if (flags.json) return printJson(form);
      if (form.issueTypes) return printTable(form.issueTypes, ["id", "name", "subtask"]);
      printTable(form.fields!.map((field) => ({ ...field, type: field.richText ? `${field.type} (rich text)` : field.type, required: field.required ? "required" : "", default: field.defaultValue?.name ?? "", values: field.allowedValues?.map((value) => value.name).join(", ") ?? "" })), ["fieldId", "name", "type", "required", "default", "values"]);
    });
  const reconcileCommand = new Command("reconcile").description("Check every link with the connector's own identity; sever links to deleted issues").argument("<project>").option("--json", "print as JSON")
    .action(async (ref: string, flags: { json?: boolean }) => printRun(await apiCall<RunResult>("POST", `/projects/${encodeURIComponent(ref)}/reconcile`), flags.json));
  const catchUpCommand = new Command("catch-up").description("Sync now: apply what changed in Jira since the last catch-up").argument("<project>").option("--json", "print as JSON")
    .action(async (ref: string, flags: { json?: boolean }) => {
      const result = await apiCall<{ searchedIssues: number; newer: number; run: RunResult["run"] | null; items: RunResult["items"] }>("POST", `/projects/${encodeURIComponent(ref)}/catch-up`);
      if (flags.json) return printJson(result);
      console.log(`Searched ${result.searchedIssues} issue(s); ${result.newer} changed since the last catch-up.`);
      if (result.run) printRun({ run: result.run, items: result.items });
    });
  const retention = new Command("retention").description("Keep full issue data in items, or only issue ids with an expiring cache (minimal)").argument("<project>")
    .addOption(new Option("--mode <mode>").choices(["full", "minimal"]).makeOptionMandatory()).option("--cache-hours <hours>", "how long fetched issue data is kept (default 24)").option("--json", "print as JSON")
    .action(async (ref: string, flags: { mode: string; cacheHours?: string; json?: boolean }) => {
      const hours = flags.cacheHours === undefined ? undefined : Number(flags.cacheHours);
      if (hours !== undefined && !(hours > 0)) throw new UsageError(`--cache-hours must be a positive number of hours, not '${flags.cacheHours}'.`);
      const result = await apiCall<{ key: string; retention: string; cacheHours: number }>("PUT", `/projects/${encodeURIComponent(ref)}/retention`, { mode: flags.mode, ...(hours === undefined ? {} : { cacheHours: hours }) });
      if (flags.json) return printJson(result);
      console.log(result.retention === "minimal" ? `${result.key} keeps only issue ids; fetched issue data expires after ${result.cacheHours} h.` : `${result.key} keeps full issue data in its items.`);
    });
  const refresh = new Command("refresh").description("Fetch a minimal-retention project's issue data into its cache").argument("<project>").option("--json", "print as JSON")
    .action(async (ref: string, flags: { json?: boolean }) => {
      const result = await apiCall<{ fetched: number; unreadable: number; expiresAt: number }>("POST", `/projects/${encodeURIComponent(ref)}/refresh`);
      if (flags.json) return printJson(result);
      console.log(`Fetched ${result.fetched} issue(s)${result.unreadable ? `; ${result.unreadable} not readable by this identity` : ""}; kept until ${new Date(result.expiresAt).toISOString()}.`);
    });
  type Sent = { epic?: { key: string }; created: { item: string; key: string; reused: boolean }[]; skipped: { item: string; reason: string }[]; failed: { item: string; reason: string }[] };
  const printSent = (sent: Sent, asJson?: boolean) => {
    if (asJson) return printJson(sent);
    if (sent.epic) console.log(`Epic: ${sent.epic.key}`);
    console.log(`Created ${sent.created.filter((row) => !row.reused).length} issue(s); ${sent.skipped.length} skipped; ${sent.failed.length} failed.`);
    printTable([...sent.created.map((row) => ({ item: row.item, result: row.reused ? `${row.key} (found, not created again)` : row.key })), ...sent.skipped.map((row) => ({ item: row.item, result: `skipped: ${row.reason}` })), ...sent.failed.map((row) => ({ item: row.item, result: `FAILED: ${row.reason}` }))], ["item", "result"]);
    if (sent.failed.length) process.exitCode = 1;
  };
  const epicSync = new Command("epic-sync").description("Send the project to Jira as an Epic holding all its items (new items follow)").argument("<project>")
    .requiredOption("--jira-project <key>", "Jira project of the Epic").option("--epic-type <name>", "issue type of the Epic", "Epic").option("--child-type <name>", "issue type of the items", "Task").option("--json", "print as JSON")
    .action(async (ref: string, flags: { jiraProject: string; epicType: string; childType: string; json?: boolean }) => printSent(await apiCall<Sent>("PUT", `/projects/${encodeURIComponent(ref)}/epic-sync`, { jiraProject: flags.jiraProject, epicType: flags.epicType, childType: flags.childType }), flags.json));
  const teamSync = new Command("team-sync").description("Send each team's items to the team's Jira project (new items follow)").argument("<project>")
    .requiredOption("--field <field>", "the item field naming the team").requiredOption("--team <pairs...>", "team=JIRAKEY pairs").option("--type <issueType>", "issue type to create", "Task").option("--json", "print as JSON")
    .action(async (ref: string, flags: { field: string; team: string[]; type: string; json?: boolean }) => {
      const teams = Object.fromEntries(flags.team.map((pair) => {
        const at = pair.lastIndexOf("=");
        if (at <= 0 || at === pair.length - 1) throw new UsageError(`'${pair}' is not team=JIRAKEY.`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }));
      printSent(await apiCall<Sent>("PUT", `/projects/${encodeURIComponent(ref)}/team-sync`, { field: flags.field, teams, issueType: flags.type }), flags.json);
    });
  const jiraSync = new Command("jira-sync").description("Run project- or team-level sync again (creates what is missing, nothing twice)").argument("<project>").option("--json", "print as JSON")
    .action(async (ref: string, flags: { json?: boolean }) => printSent(await apiCall<Sent>("POST", `/projects/${encodeURIComponent(ref)}/jira-sync`), flags.json));
  const hierarchy = new Command("hierarchy").description("Show, or set (Type=level pairs), the Tandem level of each Jira issue type for imports").argument("<project>").argument("[pairs...]", "e.g. Epic=theme Story=story")
    .option("--json", "print as JSON")
    .action(async (ref: string, pairs: string[], flags: { json?: boolean }) => {
      const levels = Object.fromEntries(pairs.map((pair) => {
        const at = pair.lastIndexOf("=");
        if (at <= 0 || at === pair.length - 1) throw new UsageError(`'${pair}' is not Type=level.`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }));
      const result = await apiCall<{ levels: Record<string, string>; defaults: Record<string, string> }>(pairs.length ? "PUT" : "GET", `/projects/${encodeURIComponent(ref)}/hierarchy`, pairs.length ? { levels } : undefined);
      if (flags.json) return printJson(result);
      printTable([...Object.entries(result.levels).map(([type, level]) => ({ type, level, from: "mapping" })), ...Object.entries(result.defaults).map(([type, level]) => ({ type, level, from: "default" }))], ["type", "level", "from"]);
    });
  return [project, item, comment, hierarchy, retention, refresh, epicSync, teamSync, jiraSync, bulkEdit, link, unlink, search, importCommand, formCommand, createCommand, createMany, ...runs, catchUpCommand, reconcileCommand, history, conflicts, resolve];
}

/** `tandem events`: follows the live feed of sync events (server-sent events) until interrupted or --count. */
export function eventsCommand(): Command {
  return new Command("events").description("Follow sync events as they happen (each finished run, and whose Jira identity it used)")
    .option("--follow", "keep following (the default; stop with Ctrl+C)")
    .addOption(new Option("--count <n>", "stop after this many events").argParser(intOption("--count", 1, 1_000_000)))
    .option("--json", "print each event as a JSON line")
    .action(async (flags: { count?: number; json?: boolean }) => {
      const { readConfig } = await import("./api-client.ts");
      const config = readConfig();
      if (!config.url) throw new UsageError("No Tandem server: run 'tandem login' first, or set TANDEM_URL and TANDEM_TOKEN.");
      const url = `${config.url.replace(/\/+$/, "")}/api/v1/events`;
      let response: Response;
      try {
        response = await fetch(url, { headers: { Accept: "text/event-stream", ...(config.token ? { Authorization: `Bearer ${config.token}` } : {}) } });
      } catch (error) {
        throw new Error(`Could not reach Tandem at ${config.url}: ${error instanceof Error ? error.message : String(error)}. Is 'tandem serve' running?`);
      }
      if (!response.ok || !response.body) {
        const reason = await response.json().then((body: { error?: { message?: string } }) => body.error?.message, () => undefined);
        throw new Error(`The event feed answered ${response.status}${reason ? `: ${reason}` : ""}.`);
      }
      const limit = flags.count ?? Infinity;
      let seen = 0;
      let buffer = "";
      const decoder = new TextDecoder();
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          // On stderr, so --json output stays one event per line: from here on no run is missed.
          if (event === "ready") console.error(`Following sync events of ${config.url}${limit === Infinity ? " (Ctrl+C to stop)" : ` until ${limit} arrived`}.`);
          if (event !== "run" || !data) continue;
          const run = JSON.parse(data) as { project: string; kind: string; dryRun: boolean; status: string; identity: string; counts: Record<string, number>; error: string | null };
          if (flags.json) console.log(data);
          else {
            const { kind, account } = kindAndAccount(run);
            console.log(`${run.project} ${kind}${run.dryRun ? " (dry run)" : ""} ${run.status} as ${account}: ${Object.entries(run.counts).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`).join(", ") || "nothing to do"}${run.error ? ` — ${run.error}` : ""}`);
          }
          seen += 1;
          if (seen >= limit) return;
        }
      }
    });
}
