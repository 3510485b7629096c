// The create form driven by real create metadata: every recorded createmeta answer (Cloud and Server) parses, the
// form describes each issue type's required fields (name, type, allowed values, default), and a sandbox configured
// with the recorded fields takes an issue created through Tandem with the form's required fields filled.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { describeCreateForm, fieldsToFill, parseExpandedCreateMeta, parseProjectIssueTypes, type FormField } from "../../src/crossing/create-form.ts";
import type { RunningSandbox } from "../../src/sandbox/server.ts";
import { installCreateMeta } from "../../src/sandbox/seed/createmeta.ts";
import { useSandbox } from "../support/sandbox.ts";
import { api, useTandem } from "../support/tandem.ts";

const DIR = fileURLToPath(new URL("../fixtures/jira-createmeta/", import.meta.url));
const fixtures = readdirSync(DIR).filter((name) => name.endsWith(".json"));
const createMetaFixtures = fixtures.filter((name) => name.includes("create-issue-metadata"));
const read = (name: string) => JSON.parse(readFileSync(`${DIR}${name}`, "utf8")) as unknown;
type RawField = { required: boolean; name: string; schema?: { type?: string }; allowedValues?: { name?: string; value?: string }[]; hasDefaultValue?: boolean; defaultValue?: { name?: string } };
type RawType = { name: string; subtask?: boolean; fields: Record<string, RawField> };
const rawTypes = (name: string) => (read(name) as { projects: { issuetypes: RawType[] }[] }).projects.flatMap((project) => project.issuetypes);

const t = useTandem();
const cloud = useSandbox({ flavour: "cloud" });
const dc = useSandbox({ flavour: "dc" });

describe("create metadata fixtures", () => {
  it("has Cloud and Server recordings to read, with Epics among them", () => {
    assert.ok(createMetaFixtures.some((name) => name.startsWith("cloud-")) && createMetaFixtures.some((name) => name.startsWith("server-")));
    assert.ok(createMetaFixtures.filter((name) => rawTypes(name).some((type) => type.name === "Epic")).length >= 3);
  });

  for (const name of createMetaFixtures) {
    it(`parses ${name} and describes every issue type's required fields`, () => {
      const projects = parseExpandedCreateMeta(read(name));
      const raw = rawTypes(name);
      assert.equal(projects.flatMap((project) => project.issueTypes).length, raw.length);
      for (const [index, type] of projects.flatMap((project) => project.issueTypes).entries()) {
        const form = describeCreateForm(type.fields);
        const recorded = raw[index]!.fields;
        assert.equal(form.length, Object.keys(recorded).length, `${type.name}: every field described`);
        const required = Object.entries(recorded).filter(([, field]) => field.required);
        assert.ok(required.length >= 3, `${type.name} requires fields`);
        // Required fields come first, each with Jira's name, type, allowed values and default.
        assert.deepEqual(form.slice(0, required.length).map((field) => field.fieldId).sort(), required.map(([id]) => id).sort());
        for (const [fieldId, field] of required) {
          const described = form.find((entry) => entry.fieldId === fieldId)!;
          assert.equal(described.name, field.name);
          assert.equal(described.required, true);
          assert.equal(described.type, field.schema?.type ?? "unknown");
          assert.deepEqual(described.allowedValues?.map((value) => value.name) ?? null, field.allowedValues?.map((value) => value.name ?? value.value) ?? null, `${type.name} ${fieldId} allowed values`);
          assert.equal(described.hasDefaultValue, field.hasDefaultValue ?? false);
          assert.equal(described.defaultValue?.name ?? null, field.defaultValue?.name ?? null);
        }
        assert.ok(fieldsToFill(form).every((field) => field.required && !field.hasDefaultValue && !["project", "issuetype", "summary"].includes(field.fieldId)));
      }
      // What the recordings are known to ask for: Epics need their Epic Name (a text custom field).
      const epic = projects[0]!.issueTypes.find((type) => type.name === "Epic");
      if (epic) {
        const epicName = describeCreateForm(epic.fields).find((field) => field.custom?.endsWith(":gh-epic-label"))!;
        assert.equal(epicName.required, true);
        assert.equal(epicName.type, "string");
      }
    });
  }

  for (const name of fixtures.filter((entry) => entry.includes("project-metadata"))) {
    it(`parses ${name} (projects and their issue types)`, () => {
      const json = read(name) as { projects: { value: string }[]; issues_per_project: Record<string, unknown[]> };
      const projects = parseProjectIssueTypes(json);
      assert.deepEqual(projects.map((project) => project.key), json.projects.map((project) => project.value));
      for (const project of projects) assert.equal(project.issueTypes.length, json.issues_per_project[project.key]?.length ?? 0);
      assert.ok(projects.every((project) => project.issueTypes.every((type) => type.id && type.name)));
    });
  }

  it("refuses something that is not create metadata, saying what it expected", () => {
    assert.throws(() => parseExpandedCreateMeta({ issues: [] }), /no 'projects' list/);
    assert.throws(() => parseProjectIssueTypes({ projects: [] }), /issues_per_project/);
  });
});

describe("creating with the recorded required fields against the sandbox", () => {
  const sandboxes = { cloud, dc } as const;
  const adminOf = (sandbox: RunningSandbox) => [...sandbox.state.users.values()].find((user) => user.admin)!;

  /** A value for a field, chosen only from what the form says about it. */
  function fill(field: FormField, flavour: "cloud" | "dc", sandbox: RunningSandbox): unknown {
    const text = "Filled from the form";
    if (field.richText) return flavour === "cloud" ? { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text }] }] } : text;
    const first = field.allowedValues?.[0];
    if ((field.type === "option" || field.type === "priority") && first) return { id: first.id };
    if (field.type === "array" && field.items === "option" && first) return [{ id: first.id }];
    if (field.type === "array" && field.items === "string") return ["from-form"];
    if (field.type === "user") return flavour === "cloud" ? { accountId: adminOf(sandbox).accountId } : { name: adminOf(sandbox).name };
    if (field.type === "string") return field.custom?.endsWith(":url") ? "https://example.com/from-form" : text;
    if (field.type === "number") return 5;
    if (field.type === "date") return "2026-12-24";
    if (field.type === "datetime") return "2026-12-24T10:00:00.000+0000";
    throw new Error(`The form gave no way to fill ${field.fieldId} (${field.type})`);
  }

  for (const [index, name] of createMetaFixtures.entries()) {
    it(`creates an issue of each type of ${name} with the required fields the form names`, async () => {
      const flavour = name.startsWith("cloud-") ? "cloud" : "dc";
      const sandbox = sandboxes[flavour]();
      const key = `FX${index + 1}`;
      const raw = rawTypes(name).filter((type) => !type.subtask);
      // Bugs require every custom field the sandbox can model, so every field type is filled and checked.
      const installed = installCreateMeta(sandbox.state, key, raw, { requireAll: ["Bug"] });
      const connector = `cm-${index}`;
      const credentials = flavour === "cloud" ? { authMode: "api-token", email: "admin@sandbox.test", apiToken: "sandbox-token" } : { authMode: "pat", token: "sandbox-token" };
      assert.equal((await api(t(), "POST", "/connectors", { body: { name: connector, flavour, siteUrl: sandbox.url, credentials } })).status, 201);
      assert.equal((await api(t(), "POST", "/projects", { body: { key, name: `Recorded ${key}`, fields: [] } })).status, 201);
      assert.equal((await api(t(), "PUT", `/projects/${key}/jira`, { body: { connector, jiraProjects: [key], direction: "two-way" } })).status, 200);

      for (const type of raw) {
        const form = await api(t(), "GET", `/projects/${key}/create-form?jiraProject=${key}&issueType=${encodeURIComponent(type.name)}`);
        assert.equal(form.status, 200, JSON.stringify(form.body));
        const fields = form.body.fields as FormField[];
        // Each field the recording requires (and the sandbox models) is required in Tandem's form, named and typed alike.
        for (const [recordedId, recorded] of Object.entries(type.fields).filter(([, field]) => field.required)) {
          if (installed.skipped.has(recordedId) || recordedId === "parent") continue;
          const described = fields.find((field) => field.fieldId === (installed.fieldIds.get(recordedId) ?? recordedId));
          assert.ok(described, `${type.name}: ${recordedId} (${recorded.name}) is in the form`);
          assert.equal(described.required, true, `${type.name}: ${recorded.name} required`);
          assert.equal(described.name, recorded.name);
        }
        const toFill = fieldsToFill(fields);
        if (type.name === "Bug") {
          for (const recordedId of Object.keys(type.fields).filter((id) => installed.fieldIds.has(id))) assert.ok(toFill.some((field) => field.fieldId === installed.fieldIds.get(recordedId)), `Bug: ${recordedId} is to be filled`);
        }
        const values = Object.fromEntries(toFill.map((field) => [field.fieldId, fill(field, flavour, sandbox)]));
        const item = await api(t(), "POST", `/projects/${key}/items`, { body: { values: { title: `A ${type.name} from the recorded form` } } });
        const refused = await api(t(), "POST", `/items/${item.body.key}/create-in-jira`, { body: { jiraProject: key, issueType: type.name, fields: {} } });
        if (toFill.length) {
          assert.equal(refused.status, 400, `${type.name} without its required fields is refused`);
          assert.match(refused.body.error.message, /Jira refused the new issue/);
        }
        const created = refused.status === 200 ? refused : await api(t(), "POST", `/items/${item.body.key}/create-in-jira`, { body: { jiraProject: key, issueType: type.name, fields: values } });
        assert.equal(created.status, 200, `${name} ${type.name}: ${JSON.stringify(created.body)}`);
        const issue = sandbox.state.issueByIdOrKey(created.body.key)!;
        assert.equal(sandbox.state.issueTypeOf(issue).name, type.name);
        for (const field of toFill.filter((entry) => entry.fieldId.startsWith("customfield_"))) {
          const stored = issue.customFields[field.fieldId];
          assert.ok(stored !== undefined && stored !== null && !(Array.isArray(stored) && stored.length === 0), `${type.name}: ${field.name} stored`);
        }
      }
    });
  }
});
