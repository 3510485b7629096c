// How a run's history names the Jira account it acted as, and what started it when no person did. A run's
// `identity` is one of:
//   "tandem-sync@acme.com (service account of 'Acme')"            a person's Pull/Push as the connector's account
//   "webhook, as tandem-sync@acme.com (service account of 'Acme')" Tandem itself: a trigger, then the account
//   "bob@acme.com (member@acme.com's own Jira identity)"          a person's Pull/Push as their own Jira account
// The account comes from the connector's (or the person's) last Connect & Test; before any, it is "the service
// account of 'Acme'". Pages and the CLI read the trigger and the account back with `splitIdentity`, so they can say
// "Sync (webhook) … as tandem-sync@…" rather than "as webhook, as …" (also for runs recorded with older wordings).

/** A Connect & Test report's account, or what an OAuth authorization stored (`{ account: "email" }`, or the text). */
type Account = { email?: string | null; displayName?: string | null; username?: string | null; account?: string | null } | string | null | undefined;

/** An account as a person knows it: its email, else its display name or username; null when unknown. */
function accountName(account: Account): string | null {
  if (typeof account === "string") return account || null;
  return account?.email || account?.displayName || account?.username || account?.account || null;
}

/** The connector's service account, named by its last Connect & Test when there was one. */
export function serviceAccountIdentity(connector: { name: string; lastTest: unknown }): string {
  const who = accountName((connector.lastTest as { account?: Account } | null)?.account);
  return who ? `${who} (service account of '${connector.name}')` : `the service account of '${connector.name}'`;
}

/** A person's own Jira identity, with the Jira account it was authorized as when known. */
export function ownIdentity(personEmail: string, account: unknown): string {
  const who = accountName(account as Account);
  return who && who !== personEmail ? `${who} (${personEmail}'s own Jira identity)` : `${personEmail}'s own Jira identity`;
}

/** A run Tandem started by itself: "webhook, as <account>". */
export function startedBy(trigger: string, account: string): string {
  return `${trigger}, as ${account}`;
}

/**
 * "webhook, as X" → trigger "webhook", account "X"; "X" → no trigger. A trigger is lower-case words, optionally with
 * a note in parentheses ("webhook (issue deleted)"); an account never starts that way and a comma (an email has
 * none before its "@") follows it. Exported as source too, for the live feed's script in the browser.
 */
export const TRIGGER_PATTERN = /^([a-z][a-z -]*(?: \([^)]*\))?), (?:as )?(.+)$/;

/**
 * The trigger as a run's title shows it ("webhook", "webhook, issue deleted", "demo setup"; null when a person
 * started the run) and the account as a sentence says it after "as".
 */
export function splitIdentity(identity: string): { trigger: string | null; account: string } {
  const match = TRIGGER_PATTERN.exec(identity);
  const trigger = match ? match[1]!.replace(/ \((.*)\)$/, ", $1") : null;
  const account = match ? match[2]! : identity;
  // Older runs say "service account of 'X'", and a deleted issue's run only "webhook (issue deleted), 'X'": inside a
  // sentence both are "the service account of 'X'".
  const inSentence = account.startsWith("service account") ? `the ${account}` : account.startsWith("'") ? `the service account of ${account}` : account;
  return { trigger, account: inSentence };
}
