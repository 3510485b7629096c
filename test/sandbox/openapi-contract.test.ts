// Contract: every response the Cloud sandbox serves for an operation in Atlassian's OpenAPI document validates
// against that operation's response schema (ajv, strict about the document's additionalProperties and types).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { ADMIN, basic, call, useSandbox } from "../support/sandbox.ts";

const SPEC_PATH = new URL("../fixtures/openapi/jira-cloud-platform.openapi.json", import.meta.url);
const spec = JSON.parse(readFileSync(SPEC_PATH, "utf8")) as {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
  components: unknown;
};

/**
 * Known errata in Atlassian's document, each with its evidence; everything else is held to the letter.
 * - ChangeDetails from/fromString/to/toString are null when a value was empty: the real webhook captures in
 *   ../shared/fixtures show null, and jira.js (whose schemas follow real responses) types them nullish.
 * - GET /issue/{key}/remotelink answers an array: the document's own example for it is an array.
 * - BulkOperationProgress created/started/updated are epoch milliseconds, not date-time strings: both of Atlassian's
 *   examples for GET /bulk/queue/{taskId} (in its description and as its 200 example) show numbers, and jira.js
 *   coerces either into a Date.
 * - The 400 of GET /bulk/queue/{taskId} is an ErrorCollection with `httpStatusCode`, as its own example shows, not
 *   the BulkOperationErrorResponse it declares (whose `errors` is a list).
 * - IssueBulkOperationsFieldOption is declared with no properties at all; Atlassian's examples of GET
 *   /bulk/issues/fields give priority options {id, priority, description} and select options {optionId, value, isDisabled}.
 */
function applyErrata() {
  const schemas = (spec.components as { schemas: Record<string, { properties: Record<string, Record<string, unknown>>; additionalProperties?: unknown }> }).schemas;
  for (const key of ["from", "fromString", "to", "toString"]) schemas.ChangeDetails!.properties[key]!.nullable = true;
  const remote = spec.paths["/rest/api/3/issue/{issueIdOrKey}/remotelink"]!.get!.responses!["200"]!.content!["application/json"]!;
  remote.schema = { type: "array", items: remote.schema };
  for (const key of ["created", "started", "updated"]) schemas.BulkOperationProgress!.properties[key] = { type: "integer", format: "int64", description: "epoch ms" };
  spec.paths["/rest/api/3/bulk/queue/{taskId}"]!.get!.responses!["400"]!.content!["application/json"]!.schema = {
    type: "object",
    additionalProperties: false,
    properties: { errorMessages: { type: "array", items: { type: "string" } }, errors: { type: "object", additionalProperties: { type: "string" } }, httpStatusCode: { type: "object" } },
  };
  delete schemas.IssueBulkOperationsFieldOption!.additionalProperties;
}
applyErrata();

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
// The document's $refs are "#/components/schemas/X": register the components under one id and point refs at it.
ajv.addSchema({ $id: "jira", components: rewriteRefs(spec.components) });

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node && typeof node === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      out[key] = key === "$ref" && typeof value === "string" && value.startsWith("#/") ? `jira${value}` : rewriteRefs(value);
    }
    return out;
  }
  return node;
}

const templates = Object.keys(spec.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\\{[^}]+\\\}|\{[^}]+\}/g, "[^/]+")}$`),
}));

/** The operation of a concrete path: the most specific template (fewest parameters) that matches. */
function operationFor(method: string, path: string) {
  const candidates = templates.filter(({ template, pattern }) => pattern.test(path) && spec.paths[template]?.[method.toLowerCase()]);
  candidates.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  const chosen = candidates[0];
  return chosen ? { template: chosen.template, operation: spec.paths[chosen.template]![method.toLowerCase()]! } : undefined;
}

const validators = new Map<string, ValidateFunction>();
function validatorFor(key: string, schema: unknown): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(rewriteRefs(schema) as object);
    validators.set(key, validate);
  }
  return validate;
}

const sandbox = useSandbox({ flavour: "cloud" });
const adf = (text: string) => ({ type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text }] }] });

/** Requests that exercise the served operations; later ones may use what earlier ones created ({created}). */
const REQUESTS: { method: string; path: string; body?: unknown; auth?: [string, string] }[] = [
  { method: "GET", path: "/rest/api/3/serverInfo" },
  { method: "GET", path: "/rest/api/3/myself" },
  { method: "GET", path: "/rest/api/3/field" },
  { method: "GET", path: "/rest/api/3/status" },
  { method: "GET", path: "/rest/api/3/status/10000" },
  { method: "GET", path: "/rest/api/3/statuscategory" },
  { method: "GET", path: "/rest/api/3/statuscategory/2" },
  { method: "GET", path: "/rest/api/3/priority" },
  { method: "GET", path: "/rest/api/3/priority/search" },
  { method: "GET", path: "/rest/api/3/priority/3" },
  { method: "GET", path: "/rest/api/3/resolution" },
  { method: "GET", path: "/rest/api/3/resolution/search" },
  { method: "GET", path: "/rest/api/3/issuetype" },
  { method: "GET", path: "/rest/api/3/issuetype/10001" },
  { method: "GET", path: "/rest/api/3/issueLinkType" },
  { method: "GET", path: "/rest/api/3/configuration" },
  { method: "GET", path: "/rest/api/3/configuration/timetracking/options" },
  { method: "GET", path: "/rest/api/3/project/search" },
  { method: "GET", path: "/rest/api/3/project" },
  { method: "GET", path: "/rest/api/3/project/ROAD" },
  { method: "GET", path: "/rest/api/3/project/ROAD/statuses" },
  { method: "GET", path: "/rest/api/3/project/10002/hierarchy" },
  { method: "GET", path: "/rest/api/3/project/ROAD/components" },
  { method: "GET", path: "/rest/api/3/project/ROAD/versions" },
  { method: "GET", path: "/rest/api/3/user?accountId=5b10ac8d82e05b22cc7d4ef5" },
  { method: "GET", path: "/rest/api/3/user/search?query=a" },
  { method: "GET", path: "/rest/api/3/issue/createmeta/ROAD/issuetypes" },
  { method: "GET", path: "/rest/api/3/issue/createmeta/ROAD/issuetypes/10003" },
  { method: "POST", path: "/rest/api/3/issue", body: { fields: { project: { key: "ROAD" }, issuetype: { id: "10002" }, summary: "Contract test", description: adf("Body"), customfield_10016: 3, labels: ["contract"] } } },
  { method: "POST", path: "/rest/api/3/issue/bulk", body: { issueUpdates: [{ fields: { project: { key: "ROAD" }, issuetype: { id: "10002" }, summary: "Bulk one" } }, { fields: { project: { key: "ROAD" }, summary: "No type" } }] } },
  { method: "GET", path: "/rest/api/3/issue/ROAD-1" },
  { method: "GET", path: "/rest/api/3/issue/ROAD-1?expand=names,schema,changelog,transitions,renderedFields" },
  { method: "PUT", path: "/rest/api/3/issue/ROAD-1", body: { fields: { summary: "Contract edit" } } },
  { method: "GET", path: "/rest/api/3/issue/ROAD-1/editmeta" },
  { method: "GET", path: "/rest/api/3/issue/ROAD-1/transitions?expand=transitions.fields" },
  { method: "GET", path: "/rest/api/3/issue/ROAD-1/changelog" },
  { method: "POST", path: "/rest/api/3/issue/ROAD-1/comment", body: { body: adf("Contract comment") } },
  { method: "GET", path: "/rest/api/3/issue/ROAD-1/comment" },
  { method: "POST", path: "/rest/api/3/issue/ROAD-1/worklog", body: { timeSpentSeconds: 1800 } },
  { method: "GET", path: "/rest/api/3/issue/ROAD-1/worklog" },
  { method: "PUT", path: "/rest/api/3/issue/ROAD-1/properties/contract", body: { value: 1 } },
  { method: "GET", path: "/rest/api/3/issue/ROAD-1/properties" },
  { method: "GET", path: "/rest/api/3/issue/ROAD-1/properties/contract" },
  { method: "POST", path: "/rest/api/3/issue/ROAD-1/remotelink", body: { object: { url: "https://example.test/1", title: "Example" } } },
  { method: "GET", path: "/rest/api/3/issue/ROAD-1/remotelink" },
  { method: "GET", path: "/rest/api/3/search/jql?jql=project%20%3D%20ROAD&fields=*navigable&maxResults=5&expand=names,schema" },
  { method: "POST", path: "/rest/api/3/search/jql", body: { jql: "project = SCHED ORDER BY created DESC", fields: ["*all"], maxResults: 3, expand: "changelog" } },
  { method: "POST", path: "/rest/api/3/search/approximate-count", body: { jql: "project = ROAD" } },
  { method: "POST", path: "/rest/api/3/issue/bulkfetch", body: { issueIdsOrKeys: ["ROAD-1", "ROAD-2", "SCHED-1"], fields: ["*all"], expand: ["changelog"] } },
  { method: "POST", path: "/rest/api/3/changelog/bulkfetch", body: { issueIdsOrKeys: ["ROAD-1", "ROAD-2"], maxResults: 5 } },
  // Errors have a schema too (ErrorCollection).
  { method: "GET", path: "/rest/api/3/issue/ROAD-99999" },
  { method: "GET", path: "/rest/api/3/search/jql?jql=project%20%3D%20NOPE" },
  { method: "PUT", path: "/rest/api/3/issue/ROAD-2", body: { fields: { customfield_10016: "many" } } },
];

/**
 * One request validated against its operation's response schema; returns the status, the parsed body, and the
 * operation it was validated as (null when the answer had no schema or no body to validate).
 */
async function checked(method: string, path: string, body: unknown, failures: string[], auth: string = basic(ADMIN.email, ADMIN.token)) {
  const found = operationFor(method, path.split("?")[0]!);
  assert.ok(found, `${method} ${path} is in the OpenAPI document`);
  const response = await fetch(`${sandbox().url}${path}`, {
    method,
    headers: { Authorization: auth, Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const status = String(response.status);
  const schema = found.operation.responses?.[status]?.content?.["application/json"]?.schema;
  let validated: string | null = null;
  if (!found.operation.responses?.[status]) failures.push(`${method} ${path}: status ${status} is not declared for ${found.template} (body ${text.slice(0, 200)})`);
  else if (schema && text !== "") {
    const validate = validatorFor(`${method} ${found.template} ${status}`, schema);
    if (!validate(JSON.parse(text))) failures.push(`${method} ${path} → ${status}: ${ajv.errorsText(validate.errors, { separator: "\n    " })}`);
    validated = `${method} ${found.template}`;
  }
  return { status: response.status, body: text ? JSON.parse(text) : null, validated };
}

describe("OpenAPI contract of the Cloud sandbox", () => {
  it("validates every response against its operation's schema in Atlassian's OpenAPI document", async () => {
    const failures: string[] = [];
    const operations = new Set<string>();
    for (const request of REQUESTS) {
      const { validated } = await checked(request.method, request.path, request.body, failures, request.auth ? basic(...request.auth) : undefined);
      if (validated) operations.add(validated);
    }
    assert.deepEqual(failures, [], `responses that break the contract:\n${failures.join("\n")}`);
    assert.ok(operations.size >= 40, `checked ${operations.size} operations`);
  });

  it("validates the bulk edit API's answers: submitted, refused, queued, finished with failures, unknown task, editable fields", async () => {
    const failures: string[] = [];
    const progress = async (taskId: string, auth?: string) => (await checked("GET", `/rest/api/3/bulk/queue/${taskId}`, undefined, failures, auth)).body;
    const edit = {
      selectedIssueIdsOrKeys: ["ROAD-5", "OPS-2", "NOPE-7"],
      selectedActions: ["labels", "customfield_10016"],
      editedFieldsInput: { labelsFields: [{ fieldId: "labels", bulkEditMultiSelectFieldOption: "ADD", labels: [{ name: "contract" }] }], clearableNumberFields: [{ fieldId: "customfield_10016", value: 8 }] },
      sendBulkNotification: false,
    };
    // Bob: ROAD-5 edited, OPS-2 and NOPE-7 invisible. Carol: both visible, neither editable (failedAccessibleIssues).
    for (const who of ["bob", "carol"]) {
      const auth = basic(`${who}@sandbox.test`, `${who}-token`);
      await call(sandbox(), "POST", "/_sandbox/bulk", { auth: "", body: { startDelayMs: 30 } });
      const submitted = await checked("POST", "/rest/api/3/bulk/issues/fields", edit, failures, auth);
      assert.equal(submitted.status, 201);
      assert.equal((await progress(submitted.body.taskId, auth)).status, "ENQUEUED");
      await call(sandbox(), "POST", "/_sandbox/bulk", { auth: "", body: { startDelayMs: 0 } });
      let last;
      for (let attempt = 0; attempt < 100 && last?.status !== "COMPLETE"; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        last = await progress(submitted.body.taskId, auth);
      }
      assert.equal(last.status, "COMPLETE");
      if (who === "carol") assert.ok(last.failedAccessibleIssues, "Carol's task lists its failures, so their schema is checked");
    }
    const refused = await checked("POST", "/rest/api/3/bulk/issues/fields", { ...edit, selectedActions: ["labels"] }, failures);
    assert.equal(refused.status, 400);
    assert.equal((await checked("GET", "/rest/api/3/bulk/queue/31337", undefined, failures)).status, 400);
    assert.equal((await checked("GET", "/rest/api/3/bulk/issues/fields?issueIdsOrKeys=ROAD-5", undefined, failures)).status, 200);
    assert.deepEqual(failures, [], `responses that break the contract:\n${failures.join("\n")}`);
  });
});
