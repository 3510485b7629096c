// The "Create in Jira" form's controls from real create metadata (the fixtures): required fields marked, allowed
// values as choices with Jira's default chosen, and the choices turned back into the values Jira takes.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { control, jiraValue, type FormField } from "../../src/web/create-form-fields.ts";

/** A fixture's field as the API's create-form describes it (GET /projects/{id}/create-form). */
function asApiField(fieldId: string, field: any): FormField {
  return { fieldId: field.fieldId ?? fieldId, name: field.name, required: field.required, type: field.schema?.type ?? "unknown", items: field.schema?.items ?? null, allowedValues: field.allowedValues?.map((value: any) => ({ id: value.id, name: value.name ?? value.value })) ?? null, hasDefaultValue: field.hasDefaultValue ?? false, defaultValue: field.defaultValue ?? null };
}

const fixture = JSON.parse(readFileSync("test/fixtures/jira-createmeta/cloud-get-create-issue-metadata-for-project-many-fields.json", "utf8"));
const fields = Object.entries(fixture.projects[0].issuetypes[0].fields as Record<string, any>).map(([id, field]) => asApiField(id, field));
const render = async (field: FormField) => String(await control(field));

describe("create form controls from Jira's create metadata", () => {
  it("offers a required field with allowed values as a choice, marked required, with Jira's default chosen", async () => {
    const priority = fields.find((field) => field.fieldId === "priority")!;
    assert.ok(priority.required && priority.hasDefaultValue && priority.allowedValues!.length > 1);
    const markup = await render(priority);
    assert.match(markup, /<label for="cf-priority">Priority <abbr title="required"[^>]*>\*<\/abbr><span class="muted"> \(required\)<\/span><\/label>/);
    const chosen = [...markup.matchAll(/<option value="([^"]*)" selected>/g)].map((match) => match[1]);
    assert.deepEqual(chosen, [(fixture.projects[0].issuetypes[0].fields.priority.defaultValue as { id: string }).id], "the default is chosen");
    assert.doesNotMatch(markup, /<select[^>]*required/, "a field Jira fills by default may be left as it is");
  });

  it("makes a required field without a default required in the browser, and leaves optional ones optional", async () => {
    const required = await render({ fieldId: "customfield_1", name: "Risk", required: true, type: "option", items: null, allowedValues: [{ id: "1", name: "Low" }, { id: "2", name: "High" }], hasDefaultValue: false, defaultValue: null });
    assert.match(required, /<select id="cf-customfield_1" name="f.customfield_1"\s+required>/);
    assert.match(required, /<option value="">Choose…<\/option>/);
    const optional = fields.filter((field) => !field.required && !field.allowedValues?.length);
    assert.ok(optional.length > 0);
    for (const field of optional) assert.doesNotMatch(await render(field), /required/, field.name);
  });

  it("turns choices into Jira's shapes: options by id, lists, numbers, people; nothing for an empty field", () => {
    const option: FormField = { fieldId: "x", name: "X", required: false, type: "option", items: null, allowedValues: [{ id: "10", name: "A" }], hasDefaultValue: false, defaultValue: null };
    assert.deepEqual(jiraValue(option, "10"), { id: "10" });
    assert.deepEqual(jiraValue({ ...option, type: "array" }, "10,11"), [{ id: "10" }, { id: "11" }]);
    assert.deepEqual(jiraValue({ ...option, type: "array", allowedValues: null }, "team, q4"), ["team", "q4"]);
    assert.equal(jiraValue({ ...option, type: "number", allowedValues: null }, "3.5"), 3.5);
    assert.deepEqual(jiraValue({ ...option, type: "user", allowedValues: null }, "abc123"), { accountId: "abc123" });
    assert.equal(jiraValue(option, "  "), undefined);
  });
});
