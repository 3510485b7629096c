// Schema migrations, applied in order and recorded in schema_migrations. Portable SQL (SQLite and PostgreSQL).
import type { SqlDatabase } from "./database.ts";

export const MIGRATIONS: { version: number; name: string; statements: string[] }[] = [
  {
    version: 1,
    name: "users, sessions, tokens, connectors",
    statements: [
      `CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'guest')),
        password_hash TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      `CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('session', 'api')),
        name TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE,
        created_at BIGINT NOT NULL,
        expires_at BIGINT,
        last_used_at BIGINT
      )`,
      `CREATE TABLE connectors (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        flavour TEXT NOT NULL CHECK (flavour IN ('cloud', 'dc')),
        site_url TEXT NOT NULL,
        auth_mode TEXT NOT NULL,
        credentials_sealed TEXT,
        oauth_app_sealed TEXT,
        default_sync_options TEXT NOT NULL,
        last_test TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE connector_identities (
        connector_id TEXT NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        auth_mode TEXT NOT NULL,
        credentials_sealed TEXT NOT NULL,
        account TEXT,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (connector_id, user_id)
      )`,
      `CREATE TABLE oauth_states (
        state TEXT PRIMARY KEY,
        connector_id TEXT NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL,
        purpose TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: "projects, items, links, mappings, snapshots, runs, conflicts",
    statements: [
      `CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        fields TEXT NOT NULL,
        connector_id TEXT REFERENCES connectors(id) ON DELETE SET NULL,
        jira_projects TEXT NOT NULL,
        jql_scope TEXT NOT NULL,
        direction TEXT NOT NULL,
        conflict_policy TEXT NOT NULL,
        sync_identity TEXT NOT NULL,
        next_item_number INTEGER NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      `CREATE TABLE items (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        key TEXT NOT NULL UNIQUE,
        values_json TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE links (
        item_id TEXT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
        jira_issue_id TEXT NOT NULL,
        jira_key TEXT NOT NULL,
        linked_at BIGINT NOT NULL
      )`,
      `CREATE TABLE mappings (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        tandem_field TEXT NOT NULL,
        jira_field TEXT NOT NULL,
        direction TEXT NOT NULL,
        transform TEXT NOT NULL
      )`,
      `CREATE TABLE snapshots (
        item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        mapping_id TEXT NOT NULL,
        value_json TEXT NOT NULL,
        synced_at BIGINT NOT NULL,
        PRIMARY KEY (item_id, mapping_id)
      )`,
      `CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        dry_run INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        identity TEXT NOT NULL,
        status TEXT NOT NULL,
        counts TEXT NOT NULL,
        error TEXT,
        started_at BIGINT NOT NULL,
        finished_at BIGINT
      )`,
      `CREATE TABLE run_items (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        item_key TEXT NOT NULL,
        jira_key TEXT,
        outcome TEXT NOT NULL,
        changes TEXT NOT NULL,
        messages TEXT NOT NULL,
        PRIMARY KEY (run_id, item_id)
      )`,
      `CREATE TABLE conflicts (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        mapping_id TEXT NOT NULL,
        tandem_value TEXT NOT NULL,
        jira_value TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        resolved_at BIGINT
      )`,
    ],
  },
  {
    version: 3,
    name: "webhook endpoints and the durable inbox",
    statements: [
      `CREATE TABLE webhook_endpoints (
        connector_id TEXT PRIMARY KEY REFERENCES connectors(id) ON DELETE CASCADE,
        path_token TEXT NOT NULL UNIQUE,
        secret_sealed TEXT NOT NULL,
        jira_webhook_id TEXT,
        jql TEXT NOT NULL,
        verified_count INTEGER NOT NULL,
        rejected_count INTEGER NOT NULL,
        last_delivery_at BIGINT,
        created_at BIGINT NOT NULL
      )`,
      `CREATE TABLE inbox (
        id TEXT PRIMARY KEY,
        connector_id TEXT NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
        identifier TEXT NOT NULL,
        event TEXT NOT NULL,
        issue_id TEXT,
        body TEXT NOT NULL,
        status TEXT NOT NULL,
        error TEXT,
        received_at BIGINT NOT NULL,
        processed_at BIGINT,
        UNIQUE (connector_id, identifier)
      )`,
    ],
  },
  {
    version: 4,
    name: "catch-up schedule and cursor per project",
    statements: [
      "ALTER TABLE projects ADD COLUMN catch_up_cron TEXT NOT NULL DEFAULT '0 2 * * *'",
      "ALTER TABLE projects ADD COLUMN catch_up_time_zone TEXT NOT NULL DEFAULT 'UTC'",
      "ALTER TABLE projects ADD COLUMN cursor_updated BIGINT",
      "ALTER TABLE projects ADD COLUMN cursor_ids TEXT NOT NULL DEFAULT '[]'",
      "ALTER TABLE projects ADD COLUMN last_catch_up_at BIGINT",
    ],
  },
  {
    version: 5,
    name: "creation intents (idempotent create in Jira)",
    statements: [
      `CREATE TABLE creation_intents (
        item_id TEXT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
        jira_project TEXT NOT NULL,
        started_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 6,
    name: "people: manual overrides of Jira user ↔ Tandem person per connector",
    statements: [
      `CREATE TABLE person_overrides (
        connector_id TEXT NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
        jira_user TEXT NOT NULL,
        email TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (connector_id, jira_user)
      )`,
    ],
  },
  {
    version: 7,
    name: "mapping order that does not depend on SQLite's rowid",
    statements: ["ALTER TABLE mappings ADD COLUMN position INTEGER NOT NULL DEFAULT 0"],
  },
  {
    version: 8,
    name: "dynamic webhooks: kind and expiry of the registration",
    statements: [
      "ALTER TABLE webhook_endpoints ADD COLUMN kind TEXT NOT NULL DEFAULT 'admin'",
      "ALTER TABLE webhook_endpoints ADD COLUMN expires_at BIGINT",
    ],
  },
  {
    version: 9,
    name: "jobs: the durable job queue (retries, leases, per-connector limits)",
    statements: [
      `CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
        connector_id TEXT,
        project_id TEXT,
        singleton_key TEXT,
        attempts INTEGER NOT NULL,
        max_attempts INTEGER NOT NULL,
        run_at BIGINT NOT NULL,
        locked_by TEXT,
        locked_until BIGINT,
        last_error TEXT,
        result TEXT,
        created_at BIGINT NOT NULL,
        started_at BIGINT,
        finished_at BIGINT
      )`,
      "CREATE INDEX jobs_due ON jobs (state, run_at)",
      "CREATE INDEX jobs_project ON jobs (project_id, created_at)",
      "CREATE INDEX jobs_singleton ON jobs (kind, singleton_key)",
    ],
  },
  {
    version: 10,
    name: "insights: report settings, fetched issues with their status/assignee history, sprints",
    statements: [
      `CREATE TABLE report_settings (
        project_id TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        settings TEXT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE insight_issues (
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        issue_id TEXT NOT NULL,
        issue_key TEXT NOT NULL,
        data TEXT NOT NULL,
        fetched_at BIGINT NOT NULL,
        PRIMARY KEY (project_id, issue_id)
      )`,
      `CREATE TABLE insight_sources (
        project_id TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        sprints TEXT NOT NULL,
        status_categories TEXT NOT NULL,
        people TEXT NOT NULL,
        fetched_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 11,
    name: "minimal retention (issue cache with expiry), project-level / team-level sync to Jira, hierarchy levels",
    statements: [
      "ALTER TABLE projects ADD COLUMN hierarchy TEXT NOT NULL DEFAULT '{}'",
      "ALTER TABLE projects ADD COLUMN retention TEXT NOT NULL DEFAULT 'full'",
      "ALTER TABLE projects ADD COLUMN cache_ttl_ms BIGINT NOT NULL DEFAULT 86400000",
      "ALTER TABLE projects ADD COLUMN jira_sync TEXT NOT NULL DEFAULT '{}'",
      `CREATE TABLE issue_cache (
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        jira_issue_id TEXT NOT NULL,
        data TEXT NOT NULL,
        fetched_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        PRIMARY KEY (project_id, jira_issue_id)
      )`,
      "CREATE INDEX issue_cache_expiry ON issue_cache (expires_at)",
    ],
  },
  {
    version: 14,
    name: "the webhook inbox's waiting deliveries found without reading its whole history",
    statements: ["CREATE INDEX inbox_waiting ON inbox (status, connector_id, received_at)"],
  },
  {
    version: 15,
    name: "indexes for projects of 100,000 items: links by Jira issue, items and runs by project, run items and conflicts by item",
    statements: [
      "CREATE INDEX links_jira_issue ON links (jira_issue_id)",
      "CREATE INDEX items_project ON items (project_id, created_at)",
      "CREATE INDEX runs_project ON runs (project_id, started_at)",
      "CREATE INDEX run_items_item ON run_items (item_id)",
      "CREATE INDEX conflicts_project ON conflicts (project_id, status)",
      "CREATE INDEX conflicts_item ON conflicts (item_id)",
    ],
  },
  {
    version: 16,
    name: "webhook deliveries whose processing failed are tried again with backoff before they are failed",
    statements: [
      "ALTER TABLE inbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
      "ALTER TABLE inbox ADD COLUMN next_attempt_at BIGINT",
    ],
  },
  {
    version: 17,
    name: "a webhook delivery is recorded once per issue version too (two registrations, or a resend under a new identifier)",
    statements: [
      "ALTER TABLE inbox ADD COLUMN version TEXT",
      "CREATE UNIQUE INDEX inbox_version ON inbox (connector_id, version) WHERE version IS NOT NULL",
    ],
  },
  {
    version: 18,
    name: "a connector's rate-limit pause (Jira's retry-after), shared by every process",
    statements: ["CREATE TABLE connector_pauses (connector_key TEXT PRIMARY KEY, paused_until BIGINT NOT NULL)"],
  },
  {
    version: 19,
    name: "a project's items in creation order, to the id, so a run's pages are index ranges",
    statements: ["DROP INDEX items_project", "CREATE INDEX items_project_order ON items (project_id, created_at, id)"],
  },
  {
    version: 20,
    name: "a link remembers the Jira version (its updated time) last applied, so a newer webhook payload can stand for a read",
    statements: ["ALTER TABLE links ADD COLUMN jira_updated BIGINT"],
  },
];

export async function migrate(db: SqlDatabase): Promise<number> {
  await db.run("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  const applied = new Set((await db.all<{ version: number }>("SELECT version FROM schema_migrations")).map((row) => Number(row.version)));
  let count = 0;
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    await db.transaction(async (tx) => {
      for (const statement of migration.statements) await tx.run(statement);
      await tx.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [migration.version, migration.name, Date.now()]);
    });
    count += 1;
  }
  return count;
}
