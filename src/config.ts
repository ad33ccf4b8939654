/**
 * The only reader of process.env. Every setting is documented here and in README.md /
 * docs/operations.md. `loadConfig` validates the environment once, at start-up, into one `Config`;
 * the composition root (src/app/compose.ts) builds the app's services from it, and no other
 * module reads the environment (test/structure/config.test.ts checks it).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { BotConfig, WebhookConfig, defaultChannelConfig, type ChannelConfig } from './channels/settings.js';
import type { StorageConfig } from './storage/stores.js';

const channelDefaults = defaultChannelConfig();
/** A JSON list in an environment variable, validated item by item. */
const jsonList = <T extends z.ZodType>(item: T) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (!text?.trim()) return [] as z.output<T>[];
      try {
        const r = z.array(item).safeParse(JSON.parse(text));
        if (r.success) return r.data;
        ctx.addIssue({ code: 'custom', message: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: `not JSON: ${(e as Error).message}` });
      }
      return z.NEVER;
    });
const flag = z
  .enum(['0', '1', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true');

const Env = z.object({
  /** HTTP port (default 3000). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on (default 0.0.0.0). */
  HOST: z.string().default('0.0.0.0'),
  /** PostgreSQL connection string; when absent Kesu uses SQLite under KESU_DATA_DIR. */
  DATABASE_URL: z.string().optional(),
  /** PostgreSQL: how long a statement waits for a row or table lock another transaction holds, in ms, before the request answers 503 with Retry-After (default 10 s; 0 waits for ever). Migrations wait up to an hour regardless. */
  KESU_PG_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** Folder for the embedded SQLite database and attachments (default ./data). */
  KESU_DATA_DIR: z.string().default('./data'),
  /** Preset id or policy file used when the database has no active policy yet (default kesu-default). */
  KESU_POLICY: z.string().default('kesu-default'),
  /** How often the deadline sweeper runs, in ms (default 30 s; 0 disables it). */
  KESU_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(30_000),
  /** How often scheduled reports are looked for and made, in ms (default 5 min; 0 disables it; docs/reports.md). */
  KESU_REPORT_INTERVAL_MS: z.coerce.number().int().min(0).default(300_000),
  /** Longest a graceful stop (SIGTERM/SIGINT) waits for requests, the running sweep and deliveries, in ms (default 10 s); then the process exits anyway. */
  KESU_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** Log level for the server (fatal … trace, default info). */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  // --- Customer channels (issue 4; docs/channels.md) ---------------------------------------
  /** Public base URL of this Kesu for links in messages, e.g. https://kesu.example.com (default http://127.0.0.1:PORT). */
  KESU_PUBLIC_URL: z.url().optional(),
  /** Key material sealing access codes and survey links in the outbox; required when several instances share PostgreSQL (default: a random key kept in KESU_DATA_DIR/secret.key). */
  KESU_SECRET: z.string().min(16).optional(),
  /** Outgoing mail server, e.g. smtp://user:pass@smtp.example.com:587 or smtps://…:465 (default: e-mail is not sent). */
  KESU_SMTP_URL: z.string().optional(),
  /** Sender of outgoing mail, e.g. "客服中心 <service@example.com>". */
  KESU_MAIL_FROM: z.string().default(channelDefaults.mailFrom),
  /** SMS provider: none, log (notes each SMS in the server log, number masked, no text; development) or http (KESU_SMS_URL). Default log. */
  KESU_SMS_PROVIDER: z.enum(['none', 'log', 'http']).default(channelDefaults.sms.provider),
  /** SMS gateway URL template for the http provider; {to}, {text}, {id} are replaced URL-encoded. */
  KESU_SMS_URL: z.string().optional(),
  /** HTTP method of the SMS gateway (POST or GET, default POST). */
  KESU_SMS_METHOD: z.enum(['GET', 'POST']).default('POST'),
  /** Body template for POST; {to}, {text}, {id} are replaced JSON-escaped (default {"to":"{to}","text":"{text}","id":"{id}"}). */
  KESU_SMS_BODY: z.string().default(channelDefaults.sms.body),
  /** Extra headers for the SMS gateway as a JSON object, e.g. {"Authorization":"Bearer …"}. */
  KESU_SMS_HEADERS: z
    .string()
    .optional()
    .transform((t, ctx) => {
      if (!t?.trim()) return {} as Record<string, string>;
      const r = z.record(z.string(), z.string()).safeParse(
        (() => {
          try {
            return JSON.parse(t);
          } catch {
            return null;
          }
        })(),
      );
      if (r.success) return r.data;
      ctx.addIssue({ code: 'custom', message: 'KESU_SMS_HEADERS must be a JSON object of strings' });
      return z.NEVER;
    }),
  /** HMAC-SHA256 key signing SMS gateway requests (X-Kesu-Timestamp, X-Kesu-Signature); unsigned when absent. */
  KESU_SMS_SECRET: z.string().optional(),
  /** Outgoing case-event webhooks as JSON: [{"name","url","secret","events"?:["case.answer","case.*"]}]. */
  KESU_WEBHOOKS: jsonList(WebhookConfig),
  /** Staff group bots as JSON: [{"name","kind":"wecom"|"dingtalk"|"feishu","url","secret"?,"templates"?,"departments"?,"locale"?}]. */
  KESU_STAFF_BOTS: jsonList(BotConfig),
  /** Which of the customer's contacts get messages: email, sms or both (default email,sms). */
  KESU_CUSTOMER_CHANNELS: z
    .string()
    .default('email,sms')
    .transform((v) =>
      v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(['email', 'sms']))),
  /** How often the outbox dispatcher runs, in ms (default 5 s; 0 disables it). It also wakes after each transition. */
  KESU_DISPATCH_INTERVAL_MS: z.coerce.number().int().min(0).default(channelDefaults.dispatchIntervalMs),
  /** Delivery attempts before a message is dead-lettered (default 8; backoff 30 s doubling to 1 h). */
  KESU_OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(channelDefaults.maxAttempts),
  /** Largest attachment a customer or a staff member may send, in bytes (default 10 MiB). */
  KESU_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).default(channelDefaults.attachmentMaxBytes),
  /** Most attachments per submission or upload (default 5). */
  KESU_ATTACHMENT_MAX_FILES: z.coerce.number().int().min(0).max(50).default(channelDefaults.attachmentMaxFiles),
  /** Portal form submissions per minute per client address (default 30). */
  KESU_PORTAL_RATE_LIMIT: z.coerce.number().int().min(1).default(channelDefaults.portalRateLimit),
  /** 1 when Kesu runs behind a reverse proxy: from trusted proxies (KESU_TRUSTED_PROXIES) X-Forwarded-For (right-most untrusted hop), X-Forwarded-Proto and X-Request-Id count. */
  KESU_TRUST_PROXY: flag,
  /** Addresses and CIDR ranges of the trusted reverse proxies, comma-separated, or loopback, linklocal, uniquelocal (default with KESU_TRUST_PROXY=1: loopback,linklocal,uniquelocal). */
  KESU_TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  /** Port of the inbound SMTP listener turning e-mail into complaints (default: off). */
  KESU_INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Interface of the inbound SMTP listener (default 0.0.0.0). */
  KESU_INBOUND_SMTP_HOST: z.string().default(channelDefaults.inboundSmtpHost),
  /** Largest inbound e-mail, in bytes (default 25 MiB). */
  KESU_INBOUND_MAX_BYTES: z.coerce.number().int().min(1024).default(channelDefaults.inboundMaxBytes),

  // --- Caller recognition (issue 13) ------------------------------------------------------
  /** Key of the keyed hashes (HMAC-SHA256) cases are found by phone, e-mail or ID with; required when several instances share PostgreSQL (default: a random key kept in KESU_DATA_DIR/contact.key). Never stored in the database. */
  KESU_CONTACT_KEY: z.string().min(16).optional(),
  /** Shared secret (at least 16 characters) the PBX / CTI signs POST /api/v1/telephony/calls with, like the outgoing webhooks (X-Kesu-Timestamp, X-Kesu-Signature); without it the screen-pop endpoint refuses every call. */
  KESU_TELEPHONY_SECRET: z.string().min(16).optional(),

  // --- Operations (issue 8) --------------------------------------------------------------
  /** Bearer token GET /metrics requires (at least 16 characters); without it /metrics is open: keep it off the public side of the proxy. */
  KESU_METRICS_TOKEN: z.string().min(16).optional(),

  // --- Audit trail (issue 12; docs/audit.md) ----------------------------------------------
  /** Current HMAC key of the audit trail (at least 16 characters); required when several instances share PostgreSQL (default: the key file). */
  KESU_AUDIT_KEY: z.string().min(16).optional(),
  /** Retired audit keys, comma-separated: they only verify records MACed before a rotation. */
  KESU_AUDIT_RETIRED_KEYS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  /** Audit key file when KESU_AUDIT_KEY is not set: one key a line, the last current (default KESU_DATA_DIR/audit.key, created on first use). */
  KESU_AUDIT_KEY_FILE: z.string().optional(),
  /** Folder of the signed checkpoints of all chain heads (default KESU_DATA_DIR/audit-checkpoints). */
  KESU_AUDIT_CHECKPOINT_DIR: z.string().optional(),
  /** How often `kesu serve` writes a checkpoint, in ms (default 1 h; 0: only at start and by `kesu audit checkpoint`). */
  KESU_AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(0).default(3_600_000),
  // --- Records (issue 15; docs/operations.md) ---------------------------------------------
  /** Folder holding pg_dump and pg_restore for `kesu backup` / `kesu restore` on PostgreSQL (default: found on PATH). */
  KESU_PG_BIN: z.string().optional(),
  /** How often the housekeeping job prunes finished outbox rows, in ms (default 10 min; 0 disables it). */
  KESU_HOUSEKEEPING_INTERVAL_MS: z.coerce.number().int().min(0).default(600_000),
  /** Age in days after which delivered, skipped and dead outbox rows are removed (default 30). */
  KESU_OUTBOX_KEEP_DAYS: z.coerce.number().min(0).default(30),
  // --- File storage (issue 15 §5; docs/operations.md "Storage") ---------------------------
  /** Bucket of an S3-compatible object store for attachments; when set, attachments live there (shared by every instance) instead of KESU_DATA_DIR/attachments. */
  KESU_S3_BUCKET: z.string().min(3).max(63).optional(),
  /** Endpoint of the S3-compatible store, e.g. https://minio.example.com:9000 (default: AWS S3 of KESU_S3_REGION). */
  KESU_S3_ENDPOINT: z.url().optional(),
  /** Region of the bucket (default us-east-1; most self-hosted stores accept any). */
  KESU_S3_REGION: z.string().min(1).default('us-east-1'),
  /** Access key id; with KESU_S3_SECRET_ACCESS_KEY (default: the AWS SDK's credential chain — environment, profile, instance role). */
  KESU_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  /** Secret access key (never logged). */
  KESU_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** 1: the bucket in the path (endpoint/bucket/key), as MinIO and most self-hosted stores need (default 0: virtual-hosted). */
  KESU_S3_FORCE_PATH_STYLE: flag,
  /** Key prefix of the attachments in the bucket (default attachments/). */
  KESU_S3_PREFIX: z.string().max(200).default('attachments/'),
  /** How often the retention purge runs, in ms (default 1 h; 0 disables it; docs/operations.md). */
  KESU_PURGE_INTERVAL_MS: z.coerce.number().int().min(0).default(3_600_000),
  /** Folder `kesu serve` writes scheduled backups into (kesu-YYYYMMDDTHHMMSSZ, verified, rotated; default: no scheduled backups; docs/operations.md). */
  KESU_BACKUP_DIR: z.string().min(1).optional(),
  /** How often a scheduled backup is made, in ms (default 24 h), counted from the newest one in KESU_BACKUP_DIR. */
  KESU_BACKUP_INTERVAL_MS: z.coerce.number().int().min(60_000).default(86_400_000),
  /** How many scheduled backups are kept (default 7); older ones are removed after a new one verified. */
  KESU_BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
  /** Mutating API requests run at once on SQLite (default 2; 0: no limit); PostgreSQL has no limit unless set (src/http/write-gate.ts, docs/scaling.md). */
  KESU_WRITE_CONCURRENCY: z.coerce.number().int().min(0).max(1000).optional(),
  /** Largest ledger file the console's import accepts, in bytes (default 50 MiB; docs/operations.md). */
  KESU_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(50 * 1024 * 1024),
  // --- Security (issue 12; docs/security.md) ---------------------------------------------------
  /** Failed sign-ins of one account within KESU_LOGIN_WINDOW_MIN that lock it (default 10). */
  KESU_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
  /** Failed sign-ins from one client address within the window that lock the address (default 50). */
  KESU_LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
  /** The window failed sign-ins are counted in, in minutes (default 15). */
  KESU_LOGIN_WINDOW_MIN: z.coerce.number().min(1).default(15),
  /** How long a lock-out lasts, in minutes (default 15); an administrator can lift it earlier. */
  KESU_LOGIN_LOCK_MIN: z.coerce.number().min(1).default(15),
  /** A session unused this long ends, in minutes (default 30). */
  KESU_SESSION_IDLE_MIN: z.coerce.number().min(1).default(30),
  /** A session ends this long after sign-in however it is used, in hours (default 12). */
  KESU_SESSION_MAX_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(12),
  // --- Single sign-on with an OIDC provider (issue 12 §2; docs/security.md "Single sign-on") ----
  /** The OpenID Provider's issuer URL (discovery at <issuer>/.well-known/openid-configuration); absent: no SSO. https, or http on a loopback address only. */
  KESU_OIDC_ISSUER: z.url().optional(),
  /** The client id Kesu is registered under at the provider. */
  KESU_OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** The client secret (never logged); absent: a public client (PKCE only). */
  KESU_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Where the provider sends the browser back: https://<kesu>/api/v1/auth/sso/callback (registered at the provider). */
  KESU_OIDC_REDIRECT_URL: z.url().optional(),
  /** The ID-token / userinfo claim holding the e-mail a user is matched by (default email). */
  KESU_OIDC_EMAIL_CLAIM: z.string().min(1).default('email'),
  /** The sign-in button's label (default: 单点登录 / SSO in the console's language). */
  KESU_OIDC_LABEL: z.string().min(1).max(60).optional(),
  // --- Idempotency (issue 12 §5; docs/api.md) -------------------------------------------
  /** How long an Idempotency-Key is remembered, in hours (default 24): a retry within it replays the first answer; after it the key may be used again. Expired keys are pruned by housekeeping. */
  KESU_IDEMPOTENCY_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(24),
  // --- Command line and diagnostics ---------------------------------------------------------
  /** Language of `kesu import ledger`'s problems when --lang is not given (zh-CN unless en or zh-TW). */
  KESU_LANG: z.string().optional(),
  /** File the embedded engine writes its time per SQL text into at exit (bench:http --profile; src/store/sql-timings.ts); absent: off. */
  KESU_SQL_TIMINGS: z.string().min(1).optional(),
});

/** Every environment variable Kesu reads (docs and test/structure/config.test.ts check against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(Env.shape);

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** PostgreSQL lock_timeout of every pooled connection (KESU_PG_LOCK_TIMEOUT_MS). */
  pgLockTimeoutMs: number;
  dataDir: string;
  policy: string;
  sweepIntervalMs: number;
  /** KESU_REPORT_INTERVAL_MS: the report scheduler's period; 0 or absent: off. */
  reportIntervalMs?: number;
  shutdownTimeoutMs: number;
  logLevel: string;
  /** Customer channels: mail, SMS, webhooks, staff bots, portal and inbound e-mail (issue 4). */
  channels: ChannelConfig;
  /** Bearer token for GET /metrics; null: open. */
  metricsToken: string | null;
  /** KESU_WRITE_CONCURRENCY; null: the engine's default (DEFAULT_SQLITE_WRITE_CONCURRENCY on SQLite, none on PostgreSQL). */
  writeConcurrency?: number | null;
  /** Audit trail keys and checkpoints (docs/audit.md); absent: key file and checkpoints under dataDir, hourly. */
  audit?: AuditConfig;
  /** Records (issue 15): backup tools and housekeeping. */
  records: RecordsConfig;
  /** Contact-key material (KESU_CONTACT_KEY); null: the key file under dataDir (services/contact-keys.ts). */
  contactKey: string | null;
  /** KESU_TELEPHONY_SECRET: the screen-pop webhook's shared secret; null: the endpoint refuses calls. */
  telephonySecret?: string | null;
  /** Trusted proxies and sign-in throttling (issue 12). */
  security: {
    trustedProxies: string[];
    loginThrottle: { maxFailures: number; maxFailuresPerAddress: number; windowMs: number; lockMs: number };
    /** KESU_SESSION_IDLE_MIN and KESU_SESSION_MAX_HOURS (services/sessions.ts). */
    sessions?: { idleMs: number; maxMs: number };
  };
  /** KESU_IDEMPOTENCY_TTL_HOURS: lifetime of an Idempotency-Key. */
  idempotencyTtlHours?: number;
  /** KESU_OIDC_*: single sign-on (services/sso.ts); null: off. */
  sso?: SsoConfig | null;
  /** Where attachments are stored (KESU_S3_*); absent or local: KESU_DATA_DIR/attachments. */
  storage?: StorageConfig;
  /** KESU_LANG: the command line's language when --lang is not given; null: zh-CN. */
  cliLang?: string | null;
  /** KESU_SQL_TIMINGS: where the embedded engine writes its time per SQL text; null: off. */
  sqlTimingsFile?: string | null;
}

/** A setting that does not hold; the message names the variable(s). `kesu` prints it and exits 1. */
export class ConfigError extends Error {}

export interface SsoConfig {
  issuer: string;
  clientId: string;
  /** Null: a public client (PKCE only). */
  clientSecret: string | null;
  redirectUrl: string;
  /** The claim matched against users' e-mail (case-insensitively). */
  emailClaim: string;
  label: string | null;
}

/** The KESU_OIDC_* settings, or null when SSO is off; refuses half a configuration and plain http off loopback. */
export function ssoConfig(e: Pick<z.output<typeof Env>, 'KESU_OIDC_ISSUER' | 'KESU_OIDC_CLIENT_ID' | 'KESU_OIDC_CLIENT_SECRET' | 'KESU_OIDC_REDIRECT_URL' | 'KESU_OIDC_EMAIL_CLAIM' | 'KESU_OIDC_LABEL'>): SsoConfig | null {
  if (!e.KESU_OIDC_ISSUER && !e.KESU_OIDC_CLIENT_ID && !e.KESU_OIDC_REDIRECT_URL) return null;
  if (!e.KESU_OIDC_ISSUER || !e.KESU_OIDC_CLIENT_ID || !e.KESU_OIDC_REDIRECT_URL) throw new ConfigError('KESU_OIDC_ISSUER, KESU_OIDC_CLIENT_ID and KESU_OIDC_REDIRECT_URL go together');
  const u = new URL(e.KESU_OIDC_ISSUER);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) throw new ConfigError('KESU_OIDC_ISSUER must be https (plain http only on a loopback address)');
  return { issuer: e.KESU_OIDC_ISSUER, clientId: e.KESU_OIDC_CLIENT_ID, clientSecret: e.KESU_OIDC_CLIENT_SECRET ?? null, redirectUrl: e.KESU_OIDC_REDIRECT_URL, emailClaim: e.KESU_OIDC_EMAIL_CLAIM, label: e.KESU_OIDC_LABEL ?? null };
}

export interface AuditConfig {
  key: string | null;
  retiredKeys: string[];
  keyFile: string | null;
  checkpointDir: string | null;
  checkpointIntervalMs: number;
}

export interface RecordsConfig {
  /** Folder of pg_dump / pg_restore; null: PATH. */
  pgBin: string | null;
  /** Housekeeping period in ms; 0: off. */
  housekeepingIntervalMs: number;
  /** Finished outbox rows older than this many days are removed. */
  outboxKeepDays: number;
  /** Retention purge period in ms; 0: off. */
  purgeIntervalMs: number;
  /** KESU_IMPORT_MAX_BYTES: the largest ledger the console's import accepts (absent: 50 MiB). */
  importMaxBytes?: number;
  /** KESU_BACKUP_*: scheduled backups with rotation; absent or null: none. */
  backups?: { dir: string; intervalMs: number; keep: number } | null;
}

/** KESU_S3_*: S3 when a bucket is named; an S3 setting without a bucket, or half a key pair, is a mistake worth refusing. */
function storageConfig(e: z.output<typeof Env>): StorageConfig {
  const keys = [e.KESU_S3_ACCESS_KEY_ID, e.KESU_S3_SECRET_ACCESS_KEY].filter(Boolean).length;
  if (keys === 1) throw new ConfigError('KESU_S3_ACCESS_KEY_ID and KESU_S3_SECRET_ACCESS_KEY go together: set both or neither');
  if (!e.KESU_S3_BUCKET) {
    if (e.KESU_S3_ENDPOINT || keys) throw new ConfigError('KESU_S3_BUCKET is required when KESU_S3_ENDPOINT or the S3 keys are set');
    return { kind: 'local' };
  }
  const prefix = e.KESU_S3_PREFIX && !e.KESU_S3_PREFIX.endsWith('/') ? `${e.KESU_S3_PREFIX}/` : e.KESU_S3_PREFIX;
  return {
    kind: 's3',
    bucket: e.KESU_S3_BUCKET,
    endpoint: e.KESU_S3_ENDPOINT ?? null,
    region: e.KESU_S3_REGION,
    accessKeyId: e.KESU_S3_ACCESS_KEY_ID ?? null,
    secretAccessKey: e.KESU_S3_SECRET_ACCESS_KEY ?? null,
    forcePathStyle: e.KESU_S3_FORCE_PATH_STYLE,
    prefix,
  };
}

/**
 * The configuration of this process, from `env` (default: the process's environment). Every
 * problem is reported at once, each naming its variable: `PORT: Too big: expected number to be <=65535`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) throw new ConfigError(`configuration: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`).join('; ')}`);
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL || undefined,
    pgLockTimeoutMs: e.KESU_PG_LOCK_TIMEOUT_MS,
    dataDir: resolve(e.KESU_DATA_DIR),
    policy: e.KESU_POLICY,
    sweepIntervalMs: e.KESU_SWEEP_INTERVAL_MS,
    reportIntervalMs: e.KESU_REPORT_INTERVAL_MS,
    shutdownTimeoutMs: e.KESU_SHUTDOWN_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    channels: {
      publicUrl: e.KESU_PUBLIC_URL ?? null,
      secret: e.KESU_SECRET ?? null,
      smtpUrl: e.KESU_SMTP_URL || null,
      mailFrom: e.KESU_MAIL_FROM,
      sms: { provider: e.KESU_SMS_PROVIDER, url: e.KESU_SMS_URL, method: e.KESU_SMS_METHOD, body: e.KESU_SMS_BODY, headers: e.KESU_SMS_HEADERS, secret: e.KESU_SMS_SECRET },
      webhooks: e.KESU_WEBHOOKS,
      bots: e.KESU_STAFF_BOTS,
      customerChannels: e.KESU_CUSTOMER_CHANNELS,
      dispatchIntervalMs: e.KESU_DISPATCH_INTERVAL_MS,
      maxAttempts: e.KESU_OUTBOX_MAX_ATTEMPTS,
      attachmentMaxBytes: e.KESU_ATTACHMENT_MAX_BYTES,
      attachmentMaxFiles: e.KESU_ATTACHMENT_MAX_FILES,
      portalRateLimit: e.KESU_PORTAL_RATE_LIMIT,
      trustProxy: e.KESU_TRUST_PROXY,
      inboundSmtpPort: e.KESU_INBOUND_SMTP_PORT ?? null,
      inboundSmtpHost: e.KESU_INBOUND_SMTP_HOST,
      inboundMaxBytes: e.KESU_INBOUND_MAX_BYTES,
    },
    metricsToken: e.KESU_METRICS_TOKEN ?? null,
    writeConcurrency: e.KESU_WRITE_CONCURRENCY ?? null,
    audit: {
      key: e.KESU_AUDIT_KEY ?? null,
      retiredKeys: e.KESU_AUDIT_RETIRED_KEYS,
      keyFile: e.KESU_AUDIT_KEY_FILE ? resolve(e.KESU_AUDIT_KEY_FILE) : null,
      checkpointDir: e.KESU_AUDIT_CHECKPOINT_DIR ? resolve(e.KESU_AUDIT_CHECKPOINT_DIR) : null,
      checkpointIntervalMs: e.KESU_AUDIT_CHECKPOINT_INTERVAL_MS,
    },
    records: {
      pgBin: e.KESU_PG_BIN || null,
      housekeepingIntervalMs: e.KESU_HOUSEKEEPING_INTERVAL_MS,
      outboxKeepDays: e.KESU_OUTBOX_KEEP_DAYS,
      purgeIntervalMs: e.KESU_PURGE_INTERVAL_MS,
      importMaxBytes: e.KESU_IMPORT_MAX_BYTES,
      backups: e.KESU_BACKUP_DIR ? { dir: resolve(e.KESU_BACKUP_DIR), intervalMs: e.KESU_BACKUP_INTERVAL_MS, keep: e.KESU_BACKUP_KEEP } : null,
    },
    contactKey: e.KESU_CONTACT_KEY ?? null,
    telephonySecret: e.KESU_TELEPHONY_SECRET ?? null,
    security: {
      trustedProxies: e.KESU_TRUSTED_PROXIES,
      loginThrottle: { maxFailures: e.KESU_LOGIN_MAX_FAILURES, maxFailuresPerAddress: e.KESU_LOGIN_MAX_FAILURES_PER_ADDRESS, windowMs: e.KESU_LOGIN_WINDOW_MIN * 60_000, lockMs: e.KESU_LOGIN_LOCK_MIN * 60_000 },
      sessions: { idleMs: e.KESU_SESSION_IDLE_MIN * 60_000, maxMs: e.KESU_SESSION_MAX_HOURS * 3600_000 },
    },
    idempotencyTtlHours: e.KESU_IDEMPOTENCY_TTL_HOURS,
    storage: storageConfig(e),
    sso: ssoConfig(e),
    cliLang: e.KESU_LANG ?? null,
    sqlTimingsFile: e.KESU_SQL_TIMINGS ?? null,
  };
}

/**
 * The environment of a child process Kesu runs (pg_dump, pg_restore): this process's own — PATH,
 * and libpq's PG* variables an operator may set — plus `extra`. Read here so that config.ts stays
 * the only reader of process.env.
 */
export function childEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
