// Builds the Jira client of a connector, as its service account or as one Tandem user's own identity,
// persisting OAuth tokens the moment they rotate.
import { JiraClient } from "../jira/client.ts";
import type { JiraCredentials } from "../jira/credentials.ts";
import { writeWindows } from "../realtime/echo.ts";
import type { Connector } from "../store/connectors.ts";
import type { TandemStore } from "../store/store.ts";

export class MissingIdentityError extends Error {
  readonly code = "missing_identity";
}

export async function jiraForConnector(store: TandemStore, connector: Connector, as: { userId: string } | "service" = "service", options: { readOnly?: boolean } = {}): Promise<JiraClient> {
  const oauthApp = await store.connectors.oauthApp(connector.id);
  let credentials: JiraCredentials | null;
  let persist: (credentials: JiraCredentials) => Promise<void>;
  if (as === "service") {
    credentials = await store.connectors.credentials(connector.id);
    persist = (rotated) => store.connectors.setCredentials(connector.id, connector.authMode, rotated);
    if (!credentials) throw new MissingIdentityError(`Connector '${connector.name}' has no credentials yet${connector.authMode === "oauth" ? ": authorize it with Atlassian first" : ""}.`);
  } else {
    const identity = await store.connectors.identity(connector.id, as.userId);
    credentials = identity?.credentials ?? null;
    if (!identity || !credentials) throw new MissingIdentityError(`You have not connected your own Jira identity to '${connector.name}' yet: authorize it or add your API token or personal access token.`);
    persist = (rotated) => store.connectors.setIdentity(connector.id, as.userId, identity.authMode, rotated, identity.account);
  }
  return new JiraClient({
    flavour: connector.flavour,
    siteUrl: connector.siteUrl,
    credentials,
    oauthApp,
    connectorKey: connector.id,
    onCredentialsRotated: persist,
    readOnly: options.readOnly ?? false,
    // Writes to an issue open a window in which its webhook is recognised as Tandem's own echo.
    transport: { onWrite: (write) => writeWindows.begin(connector.id, write) },
  });
}
