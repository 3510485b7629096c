// Small pieces of JQL Tandem writes around what people give it.

/** A query without its ORDER BY, so it can be combined with others (`(a) AND (b)`); Jira allows one at the end only. */
export function withoutOrderBy(jql: string): string {
  return jql.replace(/\s*\bORDER\s+BY[\s\S]*$/i, "").trim();
}
