/**
 * The composition root: the one place that turns the validated configuration (config.ts
 * `loadConfig`, read once at start-up) into a running app's parts — the database, the contact
 * key, the channel settings (seal key, links, limits), the file store and the services' other
 * settings (`App.settings`), and the HTTP server's options. `kesu serve` (cli/serve.ts) and every
 * `kesu` command that needs the database (cli/kesu.ts `withApp`) start here; services receive
 * what they need through the app and never read the environment or look settings up elsewhere.
 */
import type { Config } from '../config.js';
import { openDatabase, type Database } from '../store/db.js';
import { migrateToLatest } from '../store/migrate.js';
import { startSqlTimings } from '../store/sql-timings.js';
import { createApp, type App, type AppSettings, type Logger } from '../services/app.js';
import { resolveContactKey } from '../services/contact-keys.js';
import { DEFAULT_IDEMPOTENCY_TTL_HOURS } from '../services/idempotent-requests.js';
import { DEFAULT_SESSIONS } from '../services/sessions.js';
import { settingsFromConfig } from '../channels/settings.js';
import { openFileStore } from '../storage/stores.js';
import type { ServerOptions } from '../http/server.js';
import { DEFAULT_SQLITE_WRITE_CONCURRENCY } from '../http/write-gate.js';

export interface ComposedApp {
  app: App;
  database: Database;
  /** Closes the database, then the file store (the S3 client's connections). */
  close(): Promise<void>;
}

/** The database of the configuration: SQLite under KESU_DATA_DIR, or DATABASE_URL's PostgreSQL. */
export function openConfiguredDatabase(cfg: Config): Database {
  if (cfg.sqlTimingsFile) startSqlTimings(cfg.sqlTimingsFile); // before the first statement
  return openDatabase({ databaseUrl: cfg.databaseUrl, pgLockTimeoutMs: cfg.pgLockTimeoutMs, dataDir: cfg.dataDir, audit: cfg.audit ?? undefined });
}

/** The services' settings the configuration gives: everything `App.settings` holds. */
export async function appSettingsFrom(cfg: Config, contactKey: Buffer): Promise<AppSettings> {
  return {
    channels: settingsFromConfig(cfg), // KESU_PUBLIC_URL, KESU_SECRET (seal key), KESU_SMTP_URL, KESU_SMS_* …
    contactKey, // KESU_CONTACT_KEY or <dataDir>/contact.key
    telephonySecret: cfg.telephonySecret ?? null, // KESU_TELEPHONY_SECRET
    idempotencyTtlHours: cfg.idempotencyTtlHours ?? DEFAULT_IDEMPOTENCY_TTL_HOURS, // KESU_IDEMPOTENCY_TTL_HOURS
    sessions: cfg.security.sessions ?? DEFAULT_SESSIONS, // KESU_SESSION_IDLE_MIN, KESU_SESSION_MAX_HOURS
    files: await openFileStore(cfg.storage, cfg.dataDir), // KESU_DATA_DIR/attachments or KESU_S3_*
  };
}

/**
 * Opens the configured database, migrates it to the latest schema (contact keys need the key)
 * and builds the app with every setting resolved. On a failure nothing stays open.
 */
export async function composeApp(cfg: Config, opts: { now?: () => Date; log?: Logger } = {}): Promise<ComposedApp> {
  const database = openConfiguredDatabase(cfg);
  let settings: AppSettings | undefined;
  try {
    const contactKey = resolveContactKey(cfg.contactKey, cfg.dataDir);
    await migrateToLatest(database.db, { contactKey });
    settings = await appSettingsFrom(cfg, contactKey);
    const app = createApp(database, { now: opts.now, log: opts.log, settings });
    return { app, database, close: () => database.close().finally(() => app.settings.files?.close()) };
  } catch (e) {
    settings?.files?.close();
    await database.close();
    throw e;
  }
}

/** The HTTP server's options the configuration gives (`buildServer(app, serverOptionsFrom(cfg))`). */
export function serverOptionsFrom(cfg: Config): ServerOptions {
  return {
    logger: { level: cfg.logLevel }, // LOG_LEVEL
    trustProxy: cfg.channels.trustProxy, // KESU_TRUST_PROXY
    trustedProxies: cfg.security.trustedProxies, // KESU_TRUSTED_PROXIES
    loginThrottle: cfg.security.loginThrottle, // KESU_LOGIN_*
    metricsToken: cfg.metricsToken, // KESU_METRICS_TOKEN
    processMetrics: true,
    sso: cfg.sso, // KESU_OIDC_*
    importMaxBytes: cfg.records.importMaxBytes, // KESU_IMPORT_MAX_BYTES
    // KESU_WRITE_CONCURRENCY; SQLite's default gate, none on PostgreSQL (http/write-gate.ts).
    writeConcurrency: cfg.writeConcurrency ?? (cfg.databaseUrl ? 0 : DEFAULT_SQLITE_WRITE_CONCURRENCY),
  };
}
