// Printing command results: JSON with --json, otherwise aligned text for people.

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

export function printTable(rows: Record<string, unknown>[], columns: string[]): void {
  if (rows.length === 0) {
    console.log("(none)");
    return;
  }
  const cell = (value: unknown) => (value === null || value === undefined ? "" : String(value));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  console.log(columns.map((column, index) => column.toUpperCase().padEnd(widths[index]!)).join("  "));
  for (const row of rows) console.log(columns.map((column, index) => cell(row[column]).padEnd(widths[index]!)).join("  ").trimEnd());
}
