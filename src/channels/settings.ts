/**
 * How Kesu reaches people (issue 4): providers, links, limits. `src/config.ts` validates the
 * environment into a `ChannelConfig`; `settingsFromConfig` resolves its secret and links into the
 * `ChannelSettings` the composition root (src/app/compose.ts) gives the app as
 * `app.settings.channels`; tests build settings directly. Nothing here reads the environment.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Locale } from '../domain/errors.js';

export const BotConfig = z
  .object({
    /** A name for logs and the outbox (which bot a delivery went to). */
    name: z.string().min(1).max(64),
    /** wecom = 企业微信群机器人, dingtalk = 钉钉自定义机器人, feishu = 飞书自定义机器人. */
    kind: z.enum(['wecom', 'dingtalk', 'feishu']),
    /** The bot's webhook address as the group settings show it. */
    url: z.url(),
    /** Signing secret (DingTalk "加签" SEC…, Feishu "签名校验"); WeCom bots have none. */
    secret: z.string().min(1).optional(),
    /** Staff templates this bot receives (default: escalations, breaches, approvals waiting). */
    templates: z.array(z.string().min(1)).optional(),
    /** Only cases of these departments (default: all). */
    departments: z.array(z.string().min(1)).optional(),
    locale: z.enum(['zh-CN', 'zh-TW', 'en']).default('zh-CN'),
  })
  .strict();
export type BotConfig = z.output<typeof BotConfig>;

export const WebhookConfig = z
  .object({
    name: z.string().min(1).max(64),
    url: z.url(),
    /** HMAC-SHA256 key; the receiver checks `X-Kesu-Signature`. */
    secret: z.string().min(8),
    /** Case events to send, e.g. `case.answer`, or `case.*` (default: all). */
    events: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type WebhookConfig = z.output<typeof WebhookConfig>;

/** Staff templates bots receive unless a bot lists its own. */
export const DEFAULT_BOT_TEMPLATES = ['deadline_warning', 'deadline_breached', 'approval_waiting', 'extension_waiting', 'grade_raised', 'major_case', 'emergency_case', 'cycles_exceeded', 'handle_again', 'followup_unreachable'];

export interface SmsSettings {
  /** none: SMS is not sent; log: written to the server log (development); http: a gateway. */
  provider: 'none' | 'log' | 'http';
  /** URL template; `{to}`, `{text}`, `{id}` are replaced (URL-encoded). */
  url?: string;
  method: 'GET' | 'POST';
  /** Body template for POST; placeholders are replaced JSON-escaped when the body is JSON. */
  body: string;
  headers: Record<string, string>;
  /** HMAC-SHA256 signing key for `X-Kesu-Signature`; unsigned when absent. */
  secret?: string;
}

/** What config.ts reads from the environment. */
export interface ChannelConfig {
  publicUrl: string | null;
  secret: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  sms: SmsSettings;
  webhooks: WebhookConfig[];
  bots: BotConfig[];
  customerChannels: ('email' | 'sms')[];
  dispatchIntervalMs: number;
  maxAttempts: number;
  attachmentMaxBytes: number;
  attachmentMaxFiles: number;
  portalRateLimit: number;
  trustProxy: boolean;
  inboundSmtpPort: number | null;
  inboundSmtpHost: string;
  inboundMaxBytes: number;
}

export interface ChannelSettings {
  /** Base of links in messages (tracking page, survey), without a trailing slash. */
  publicUrl: string;
  /** 32-byte key that seals access codes and survey tokens while they wait in the outbox. */
  sealKey: Buffer;
  /** Attachments live under `<dataDir>/attachments`. */
  dataDir: string;
  smtpUrl: string | null;
  mailFrom: string;
  sms: SmsSettings;
  webhooks: WebhookConfig[];
  bots: BotConfig[];
  customerChannels: ('email' | 'sms')[];
  outbox: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number; leaseMs: number; batch: number; timeoutMs: number };
  attachments: { maxBytes: number; maxFiles: number; types: string[] };
  portal: { rateLimitPerMinute: number; trustProxy: boolean };
  inbound: { port: number | null; host: string; maxBytes: number; channel: string };
  /** Language of customers whose language is unknown (staff intake). */
  defaultLocale: Locale;
}

/** File types customers may attach: images, PDF, plain text, office documents, audio, video. */
export const DEFAULT_ATTACHMENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/heic',
  'application/pdf',
  'text/plain',
  'audio/mpeg',
  'audio/mp4',
  'audio/amr',
  'video/mp4',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];

export function defaultChannelConfig(): ChannelConfig {
  return {
    publicUrl: null,
    secret: null,
    smtpUrl: null,
    mailFrom: 'Kesu 客诉 <no-reply@localhost>',
    sms: { provider: 'log', method: 'POST', body: '{"to":"{to}","text":"{text}","id":"{id}"}', headers: {} },
    webhooks: [],
    bots: [],
    customerChannels: ['email', 'sms'],
    dispatchIntervalMs: 5000,
    maxAttempts: 8,
    attachmentMaxBytes: 10 * 1024 * 1024,
    attachmentMaxFiles: 5,
    portalRateLimit: 30,
    trustProxy: false,
    inboundSmtpPort: null,
    inboundSmtpHost: '0.0.0.0',
    inboundMaxBytes: 25 * 1024 * 1024,
  };
}

/**
 * The sealing key: from KESU_SECRET, else a random key kept in `<dataDir>/secret.key` (created
 * on first start, mode 0600). Several instances on one PostgreSQL must share KESU_SECRET.
 */
export function resolveSealKey(secret: string | null, dataDir: string): Buffer {
  let material = secret;
  if (!material) {
    const file = join(dataDir, 'secret.key');
    if (existsSync(file)) material = readFileSync(file, 'utf8').trim();
    else {
      mkdirSync(dataDir, { recursive: true });
      material = randomBytes(32).toString('base64url');
      writeFileSync(file, `${material}\n`, { mode: 0o600 });
    }
  }
  return createHash('sha256').update(`kesu-seal:${material}`).digest();
}

export function settingsFromConfig(cfg: { port: number; dataDir: string; channels: ChannelConfig }): ChannelSettings {
  const c = cfg.channels;
  return {
    publicUrl: (c.publicUrl ?? `http://127.0.0.1:${cfg.port}`).replace(/\/+$/, ''),
    sealKey: resolveSealKey(c.secret, cfg.dataDir),
    dataDir: cfg.dataDir,
    smtpUrl: c.smtpUrl,
    mailFrom: c.mailFrom,
    sms: c.sms,
    webhooks: c.webhooks,
    bots: c.bots,
    customerChannels: c.customerChannels,
    outbox: { maxAttempts: c.maxAttempts, baseDelayMs: 30_000, maxDelayMs: 3_600_000, leaseMs: 120_000, batch: 50, timeoutMs: 15_000 },
    attachments: { maxBytes: c.attachmentMaxBytes, maxFiles: c.attachmentMaxFiles, types: DEFAULT_ATTACHMENT_TYPES },
    portal: { rateLimitPerMinute: c.portalRateLimit, trustProxy: c.trustProxy },
    inbound: { port: c.inboundSmtpPort, host: c.inboundSmtpHost, maxBytes: c.inboundMaxBytes, channel: 'email' },
    defaultLocale: 'zh-CN',
  };
}
