// Connectors: a Jira site, its flavour and authentication, sealed credentials, default sync options, and each
// user's own Jira identity for it. Secrets go in and out only through the SecretBox.
import { randomUUID } from "node:crypto";
import type { AuthMode, JiraCredentials, JiraFlavour } from "../jira/credentials.ts";
import type { OAuthEndpoints } from "../jira/oauth.ts";
import type { SecretBox } from "../security/secrets.ts";
import type { SqlDatabase } from "./database.ts";

export interface SyncOptions {
  direction: "pull" | "push" | "two-way";
  /** Which fields flow where; filled in by the sync core, stored from now. */
  fields: Record<string, "pull" | "push" | "both" | "none">;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = { direction: "two-way", fields: {} };

export interface StoredOAuthApp {
  clientId: string;
  clientSecret: string;
  endpoints: OAuthEndpoints;
}

export interface Connector {
  id: string;
  name: string;
  flavour: JiraFlavour;
  siteUrl: string;
  authMode: AuthMode;
  /** Whether the connector's own (service) credentials are set; OAuth connectors get them by authorizing. */
  hasCredentials: boolean;
  defaultSyncOptions: SyncOptions;
  lastTest: unknown;
  createdAt: number;
  updatedAt: number;
}

interface ConnectorRow {
  id: string;
  name: string;
  flavour: JiraFlavour;
  site_url: string;
  auth_mode: AuthMode;
  credentials_sealed: string | null;
  oauth_app_sealed: string | null;
  default_sync_options: string;
  last_test: string | null;
  created_at: number;
  updated_at: number;
}

const toConnector = (row: ConnectorRow): Connector => ({
  id: row.id,
  name: row.name,
  flavour: row.flavour,
  siteUrl: row.site_url,
  authMode: row.auth_mode,
  hasCredentials: row.credentials_sealed !== null,
  defaultSyncOptions: JSON.parse(row.default_sync_options) as SyncOptions,
  lastTest: row.last_test ? JSON.parse(row.last_test) : null,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

export class ConnectorRepository {
  private db: SqlDatabase;
  private box: SecretBox;
  constructor(db: SqlDatabase, box: SecretBox) {
    this.db = db;
    this.box = box;
  }

  async create(input: { name: string; flavour: JiraFlavour; siteUrl: string; authMode: AuthMode; credentials: JiraCredentials | null; oauthApp: StoredOAuthApp | null; defaultSyncOptions?: SyncOptions }): Promise<Connector> {
    const now = Date.now();
    const id = randomUUID();
    await this.db.run(
      "INSERT INTO connectors (id, name, flavour, site_url, auth_mode, credentials_sealed, oauth_app_sealed, default_sync_options, last_test, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)",
      [id, input.name, input.flavour, input.siteUrl, input.authMode, input.credentials ? this.box.sealJson(input.credentials) : null, input.oauthApp ? this.box.sealJson(input.oauthApp) : null, JSON.stringify(input.defaultSyncOptions ?? DEFAULT_SYNC_OPTIONS), now, now],
    );
    return (await this.byId(id))!;
  }

  async list(): Promise<Connector[]> {
    return (await this.db.all<ConnectorRow>("SELECT * FROM connectors ORDER BY name")).map(toConnector);
  }

  async byId(id: string): Promise<Connector | undefined> {
    const row = await this.db.get<ConnectorRow>("SELECT * FROM connectors WHERE id = ?", [id]);
    return row ? toConnector(row) : undefined;
  }

  async byName(name: string): Promise<Connector | undefined> {
    const row = await this.db.get<ConnectorRow>("SELECT * FROM connectors WHERE name = ?", [name]);
    return row ? toConnector(row) : undefined;
  }

  async credentials(id: string): Promise<JiraCredentials | null> {
    const row = await this.db.get<{ credentials_sealed: string | null }>("SELECT credentials_sealed FROM connectors WHERE id = ?", [id]);
    return row?.credentials_sealed ? this.box.openJson<JiraCredentials>(row.credentials_sealed) : null;
  }

  async oauthApp(id: string): Promise<StoredOAuthApp | null> {
    const row = await this.db.get<{ oauth_app_sealed: string | null }>("SELECT oauth_app_sealed FROM connectors WHERE id = ?", [id]);
    return row?.oauth_app_sealed ? this.box.openJson<StoredOAuthApp>(row.oauth_app_sealed) : null;
  }

  /** The site an OAuth connector uses, when the person picks another of the sites their authorization reaches. */
  async setSiteUrl(id: string, siteUrl: string): Promise<void> {
    await this.db.run("UPDATE connectors SET site_url = ?, updated_at = ? WHERE id = ?", [siteUrl, Date.now(), id]);
  }

  async rename(id: string, name: string): Promise<void> {
    await this.db.run("UPDATE connectors SET name = ?, updated_at = ? WHERE id = ?", [name, Date.now(), id]);
  }

  /** Rotation: new credentials (and auth mode) in place; everything that refers to the connector keeps working. */
  async setCredentials(id: string, authMode: AuthMode, credentials: JiraCredentials | null, oauthApp?: StoredOAuthApp | null): Promise<void> {
    if (oauthApp === undefined) {
      await this.db.run("UPDATE connectors SET auth_mode = ?, credentials_sealed = ?, updated_at = ? WHERE id = ?", [authMode, credentials ? this.box.sealJson(credentials) : null, Date.now(), id]);
    } else {
      await this.db.run("UPDATE connectors SET auth_mode = ?, credentials_sealed = ?, oauth_app_sealed = ?, updated_at = ? WHERE id = ?", [authMode, credentials ? this.box.sealJson(credentials) : null, oauthApp ? this.box.sealJson(oauthApp) : null, Date.now(), id]);
    }
  }

  async setDefaultSyncOptions(id: string, options: SyncOptions): Promise<void> {
    await this.db.run("UPDATE connectors SET default_sync_options = ?, updated_at = ? WHERE id = ?", [JSON.stringify(options), Date.now(), id]);
  }

  async setLastTest(id: string, report: unknown): Promise<void> {
    await this.db.run("UPDATE connectors SET last_test = ? WHERE id = ?", [JSON.stringify(report), id]);
  }

  async remove(id: string): Promise<boolean> {
    return (await this.db.run("DELETE FROM connectors WHERE id = ?", [id])).changes > 0;
  }

  // ---- each user's own identity ----

  async setIdentity(connectorId: string, userId: string, authMode: AuthMode, credentials: JiraCredentials, account: unknown): Promise<void> {
    await this.db.run(
      "INSERT INTO connector_identities (connector_id, user_id, auth_mode, credentials_sealed, account, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (connector_id, user_id) DO UPDATE SET auth_mode = excluded.auth_mode, credentials_sealed = excluded.credentials_sealed, account = excluded.account, updated_at = excluded.updated_at",
      [connectorId, userId, authMode, this.box.sealJson(credentials), JSON.stringify(account ?? null), Date.now()],
    );
  }

  async identity(connectorId: string, userId: string): Promise<{ authMode: AuthMode; credentials: JiraCredentials; account: unknown } | undefined> {
    const row = await this.db.get<{ auth_mode: AuthMode; credentials_sealed: string; account: string | null }>("SELECT auth_mode, credentials_sealed, account FROM connector_identities WHERE connector_id = ? AND user_id = ?", [connectorId, userId]);
    return row ? { authMode: row.auth_mode, credentials: this.box.openJson<JiraCredentials>(row.credentials_sealed), account: row.account ? JSON.parse(row.account) : null } : undefined;
  }

  async removeIdentity(connectorId: string, userId: string): Promise<boolean> {
    return (await this.db.run("DELETE FROM connector_identities WHERE connector_id = ? AND user_id = ?", [connectorId, userId])).changes > 0;
  }

  // ---- people: manual overrides ----

  /** Jira user (accountId on Cloud, username on DC) ↔ Tandem person (email), where email matching is wrong or impossible. */
  async setPersonOverride(connectorId: string, jiraUser: string, email: string): Promise<void> {
    await this.db.run("INSERT INTO person_overrides (connector_id, jira_user, email, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (connector_id, jira_user) DO UPDATE SET email = excluded.email", [connectorId, jiraUser, email.toLowerCase(), Date.now()]);
  }

  async removePersonOverride(connectorId: string, jiraUser: string): Promise<boolean> {
    return (await this.db.run("DELETE FROM person_overrides WHERE connector_id = ? AND jira_user = ?", [connectorId, jiraUser])).changes > 0;
  }

  async personOverrideMap(connectorId: string): Promise<Map<string, string>> {
    return new Map((await this.personOverrides(connectorId)).map((entry) => [entry.jiraUser, entry.email]));
  }

  async personOverrides(connectorId: string): Promise<{ jiraUser: string; email: string }[]> {
    return (await this.db.all<{ jira_user: string; email: string }>("SELECT jira_user, email FROM person_overrides WHERE connector_id = ? ORDER BY email", [connectorId])).map((row) => ({ jiraUser: row.jira_user, email: row.email }));
  }

  // ---- OAuth authorization in flight ----

  async saveOAuthState(state: string, connectorId: string, userId: string, purpose: "connector" | "identity", redirectUri: string): Promise<void> {
    await this.db.run("INSERT INTO oauth_states (state, connector_id, user_id, purpose, redirect_uri, created_at) VALUES (?, ?, ?, ?, ?, ?)", [state, connectorId, userId, purpose, redirectUri, Date.now()]);
  }

  /** Single use, and only within 15 minutes. */
  async takeOAuthState(state: string): Promise<{ connectorId: string; userId: string; purpose: "connector" | "identity"; redirectUri: string } | undefined> {
    const row = await this.db.get<{ connector_id: string; user_id: string; purpose: "connector" | "identity"; redirect_uri: string; created_at: number }>("SELECT * FROM oauth_states WHERE state = ?", [state]);
    await this.db.run("DELETE FROM oauth_states WHERE state = ?", [state]);
    if (!row || Date.now() - Number(row.created_at) > 15 * 60_000) return undefined;
    return { connectorId: row.connector_id, userId: row.user_id, purpose: row.purpose, redirectUri: row.redirect_uri };
  }
}

/** Rate-limit pauses per connector, in the database so that every process of a PostgreSQL Tandem honours them. */
export class ConnectorPauseRepository {
  private db: SqlDatabase;
  constructor(db: SqlDatabase) {
    this.db = db;
  }

  async publish(connectorKey: string, until: number): Promise<void> {
    await this.db.run("INSERT INTO connector_pauses (connector_key, paused_until) VALUES (?, ?) ON CONFLICT (connector_key) DO UPDATE SET paused_until = CASE WHEN excluded.paused_until > connector_pauses.paused_until THEN excluded.paused_until ELSE connector_pauses.paused_until END", [connectorKey, until]);
  }

  async read(connectorKey: string): Promise<number> {
    const row = await this.db.get<{ paused_until: number }>("SELECT paused_until FROM connector_pauses WHERE connector_key = ?", [connectorKey]);
    return row ? Number(row.paused_until) : 0;
  }
}
