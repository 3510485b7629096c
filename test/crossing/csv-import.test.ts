// CSV import of items: fields by key or name, values by type, quoted cells; a file with bad rows imports nothing
// and names every problem.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { api, useTandem } from "../support/tandem.ts";

const t = useTandem();

describe("CSV import", () => {
  it("imports rows typed by the project's fields", async () => {
    await api(t(), "POST", "/projects", { body: { key: "CSV", name: "From CSV", fields: [{ key: "duration", name: "Duration (hours)", type: "duration" }, { key: "due", name: "Due", type: "date" }, { key: "owner", name: "Owner", type: "person" }] } });
    const csv = 'title,Duration (hours),due,owner,description\n"Plan, then build",12.5,2026-12-01,Ann@Example.com,"Line one\nline two"\nShip it,3,,,\n';
    const result = await api(t(), "POST", "/projects/CSV/items/csv", { body: { csv } });
    assert.equal(result.status, 201, JSON.stringify(result.body));
    assert.deepEqual(result.body.created, ["CSV-1", "CSV-2"]);
    const items = (await api(t(), "GET", "/projects/CSV/items")).body as { values: Record<string, unknown> }[];
    assert.deepEqual(items[0]!.values, { status: "Not Started", title: "Plan, then build", duration: 12.5, due: "2026-12-01", owner: "ann@example.com", description: "Line one\nline two" });
    assert.deepEqual(items[1]!.values, { status: "Not Started", title: "Ship it", duration: 3 });
  });

  it("imports nothing from a file with bad rows, naming each problem", async () => {
    const before = (await api(t(), "GET", "/projects/CSV/items")).body.length;
    const bad = await api(t(), "POST", "/projects/CSV/items/csv", { body: { csv: "title,duration,due,colour\nA,lots,2026-13,red\n,1,,\n" } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /column 'colour' is not a field of CSV/);
    const rows = await api(t(), "POST", "/projects/CSV/items/csv", { body: { csv: "title,duration,due\nA,lots,2026-13\n,1,\n" } });
    assert.equal(rows.status, 400);
    assert.deepEqual(rows.body.error.details, ["row 2: 'Duration (hours)' is a duration; 'lots' is not a number", "row 2: 'Due' is a date; write '2026-13' as yyyy-MM-dd", "row 3: the title is empty"]);
    const broken = await api(t(), "POST", "/projects/CSV/items/csv", { body: { csv: 'title\n"unclosed\n' } });
    assert.equal(broken.status, 400);
    assert.match(broken.body.error.message, /not valid CSV/);
    assert.equal((await api(t(), "GET", "/projects/CSV/items")).body.length, before);
  });
});
