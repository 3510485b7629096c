// Jira's date-times as instants.

/** Jira's timestamps carry an offset without a colon ("2024-05-01T10:00:00.000+0000", "-0500"); NaN when unreadable. */
export function jiraTime(value: string): number {
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
}
