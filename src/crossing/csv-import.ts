// CSV import of items, for teams whose other tools are not Jira: the header names the project's fields (by key
// or name), values are read by each field's type, and a file with any bad row imports nothing and lists them all.
import { parse } from "csv-parse/sync";
import { CORE_FIELDS, type TandemField } from "../engine/model.ts";
import type { Project } from "../store/projects.ts";

export type CsvResult = { ok: true; rows: Record<string, unknown>[] } | { ok: false; problems: string[] };

function readValue(field: TandemField, raw: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  const text = raw.trim();
  if (text === "") return { ok: true, value: null };
  switch (field.type) {
    case "number":
    case "duration": {
      const number = Number(text.replace(",", "."));
      return Number.isFinite(number) ? { ok: true, value: number } : { ok: false, problem: `'${field.name}' is a ${field.type}; '${raw}' is not a number` };
    }
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(text) ? { ok: true, value: text } : { ok: false, problem: `'${field.name}' is a date; write '${raw}' as yyyy-MM-dd` };
    case "datetime":
      return Number.isNaN(Date.parse(text)) ? { ok: false, problem: `'${field.name}' is a date-time; '${raw}' is not one (use ISO 8601)` } : { ok: true, value: new Date(Date.parse(text)).toISOString() };
    case "boolean":
      return /^(true|yes|1|false|no|0)$/i.test(text) ? { ok: true, value: /^(true|yes|1)$/i.test(text) } : { ok: false, problem: `'${field.name}' is yes/no; '${raw}' is neither` };
    case "multiselect":
      return { ok: true, value: text.split(/\s*[;|]\s*/).filter(Boolean) };
    case "person":
      return /^[^@\s]+@[^@\s]+$/.test(text) ? { ok: true, value: text.toLowerCase() } : { ok: false, problem: `'${field.name}' is a person (an email); '${raw}' is not an email` };
    default:
      return { ok: true, value: text };
  }
}

export function parseItemsCsv(project: Project, csv: string): CsvResult {
  let records: string[][];
  try {
    records = parse(csv, { relax_column_count: false, skip_empty_lines: true, trim: false, bom: true }) as string[][];
  } catch (error) {
    return { ok: false, problems: [`The file is not valid CSV: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const [header, ...lines] = records;
  if (!header || lines.length === 0) return { ok: false, problems: ["The file needs a header row naming the fields and at least one item."] };
  const fields = [...CORE_FIELDS, ...project.fields];
  const columns = header.map((name) => fields.find((field) => field.key.toLowerCase() === name.trim().toLowerCase() || field.name.toLowerCase() === name.trim().toLowerCase()));
  const problems: string[] = header.flatMap((name, index) => (columns[index] ? [] : [`column '${name}' is not a field of ${project.key} (fields: ${fields.map((field) => field.key).join(", ")})`]));
  if (!columns.some((field) => field?.key === "title")) problems.push("a 'title' column is required");
  if (problems.length) return { ok: false, problems };
  const rows: Record<string, unknown>[] = [];
  lines.forEach((line, index) => {
    const values: Record<string, unknown> = { status: "Not Started" };
    for (const [column, raw] of line.entries()) {
      const read = readValue(columns[column]!, raw);
      if (!read.ok) problems.push(`row ${index + 2}: ${read.problem}`);
      else if (read.value !== null) values[columns[column]!.key] = read.value;
    }
    if (typeof values.title !== "string" || values.title === "") problems.push(`row ${index + 2}: the title is empty`);
    rows.push(values);
  });
  return problems.length ? { ok: false, problems } : { ok: true, rows };
}
