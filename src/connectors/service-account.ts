// The Jira account behind a connector's own credentials (its service account): from the last Connect & Test, or
// asked of Jira. Comments use it to tell what Tandem wrote for its people from what anyone else wrote.
import type { JiraUser } from "../jira/types.ts";
import type { Connector } from "../store/connectors.ts";
import type { TandemStore } from "../store/store.ts";
import type { User } from "../store/users.ts";
import { jiraForConnector } from "./jira-for.ts";

export interface ServiceAccount {
  accountId: string | null;
  username: string | null;
  email: string | null;
}

export async function serviceAccountOf(store: TandemStore, connector: Connector): Promise<ServiceAccount | null> {
  const tested = (connector.lastTest as { account?: { accountId?: string | null; username?: string | null; email?: string | null } | null } | null)?.account;
  if (tested && (tested.accountId || tested.username)) return { accountId: tested.accountId ?? null, username: tested.username ?? null, email: tested.email ?? null };
  try {
    const me = await (await jiraForConnector(store, connector, "service", { readOnly: true })).myself();
    return { accountId: me.accountId ?? null, username: me.name ?? null, email: me.emailAddress ?? null };
  } catch {
    return null;
  }
}

/** True when the Jira user is this account (accountId on Cloud, username or key on Data Center). */
export function isAccount(user: JiraUser | undefined, account: ServiceAccount | null): boolean {
  if (!user || !account) return false;
  if (account.accountId && user.accountId) return user.accountId === account.accountId;
  return Boolean(account.username && (user.name === account.username || user.key === account.username));
}

/** True when the service account is the person's own Jira account: the same email, or mapped to them by hand. */
export function isPersonsOwn(account: ServiceAccount | null, person: User, overrides: Map<string, string>): boolean {
  if (!account) return false;
  const email = person.email.toLowerCase();
  if (account.email && account.email.toLowerCase() === email) return true;
  return [account.accountId, account.username].some((id) => id !== null && overrides.get(id)?.toLowerCase() === email);
}
