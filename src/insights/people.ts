// Jira users → Tandem people: a manual override (Jira id, or DC login name → email) first, then the email Jira shows. A user with
// neither stays a person of their own, keyed by their Jira id, and is listed as unmatched rather than dropped.
import type { JiraPerson } from "./types.ts";

export interface PersonRef {
  /** The email when matched, "jira:<id>" when not, "unassigned" for no assignee. */
  key: string;
  name: string;
  email: string | null;
  jiraId: string | null;
  matched: boolean;
}

export const UNASSIGNED: PersonRef = { key: "unassigned", name: "Unassigned", email: null, jiraId: null, matched: true };

export function personResolver(people: Record<string, JiraPerson>, overrides: Map<string, string>) {
  const cache = new Map<string, PersonRef>();
  return (jiraId: string | null, fallbackName: string | null = null): PersonRef => {
    if (!jiraId) return UNASSIGNED;
    const known = cache.get(jiraId);
    if (known) return known;
    const person = people[jiraId];
    const email = (overrides.get(jiraId) ?? (person?.login ? overrides.get(person.login) : undefined) ?? person?.email ?? null)?.toLowerCase() ?? null;
    const ref: PersonRef = { key: email ?? `jira:${jiraId}`, name: person?.name ?? fallbackName ?? jiraId, email, jiraId, matched: email !== null };
    cache.set(jiraId, ref);
    return ref;
  };
}

/** The Jira time zone of a person, when Jira told us. */
export function timeZoneOf(people: Record<string, JiraPerson>, jiraId: string | null): string | null {
  return jiraId ? (people[jiraId]?.timeZone ?? null) : null;
}
