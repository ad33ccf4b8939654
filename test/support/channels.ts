/**
 * Test support for customer channels (issue 4): a Kesu with channel settings, an in-process SMTP
 * server that receives what Kesu sends, policies that follow up by survey, a local HTTP receiver,
 * and helpers to drive a case to `answered` through the API.
 */
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Dialect } from '../../src/store/db.js';
import { DEFAULT_ATTACHMENT_TYPES, type ChannelSettings } from '../../src/channels/settings.js';
import { dispatchUntilIdle, createProviders, type DispatchResult, type Providers } from '../../src/jobs/outbox-dispatcher.js';
import { startKesu, type Kesu } from './kesu.js';

export interface Received {
  from: string | false;
  to: string[];
  raw: Buffer;
  mail: ParsedMail;
}

/** An SMTP server in this process that keeps every message it accepts. */
export class TestMailbox {
  readonly messages: Received[] = [];
  private waiters: (() => void)[] = [];
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(opts: { onMessage?: (m: Received) => Promise<void> | void } = {}): Promise<TestMailbox> {
    let box!: TestMailbox;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks);
          const m: Received = {
            from: session.envelope.mailFrom === false ? false : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            mail: await simpleParser(raw),
          };
          box.messages.push(m);
          box.waiters.splice(0).forEach((w) => w());
          try {
            await opts.onMessage?.(m);
            callback();
          } catch (e) {
            callback(e as Error);
          }
        });
      },
    });
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port)));
    box = new TestMailbox(server, port);
    return box;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): Received[] {
    return this.messages.filter((m) => m.to.includes(address));
  }

  async waitFor(pred: (m: Received) => boolean, ms = 5000): Promise<Received> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.messages.find(pred);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching mail within ${ms} ms; have: ${this.messages.map((m) => m.mail.subject).join(' | ')}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** A local HTTP receiver recording requests; `respond` decides the answer. */
export class TestReceiver {
  readonly requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  respond: (req: { url: string; headers: IncomingMessage['headers']; body: string }) => { status: number; body: string } = () => ({ status: 200, body: '{"ok":true}' });
  onRequest?: (req: { url: string; headers: IncomingMessage['headers']; body: string }) => void;
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<TestReceiver> {
    let rec!: TestReceiver;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        rec.requests.push(r);
        rec.onRequest?.(r);
        const out = rec.respond(r);
        res.writeHead(out.status, { 'content-type': 'application/json' });
        res.end(out.body);
      });
    });
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    rec = new TestReceiver(server, port);
    return rec;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.server.closeAllConnections();
      this.server.close(() => r());
    });
  }
}

export function testSettings(dataDir: string, over: Partial<ChannelSettings> = {}): ChannelSettings {
  return {
    publicUrl: 'http://kesu.test',
    sealKey: randomBytes(32),
    dataDir,
    smtpUrl: null,
    mailFrom: '客服中心 <service@kesu.test>',
    sms: { provider: 'none', method: 'POST', body: '{"to":"{to}","text":"{text}","id":"{id}"}', headers: {} },
    webhooks: [],
    bots: [],
    customerChannels: ['email', 'sms'],
    outbox: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000, leaseMs: 60_000, batch: 50, timeoutMs: 5000 },
    attachments: { maxBytes: 256 * 1024, maxFiles: 3, types: DEFAULT_ATTACHMENT_TYPES },
    portal: { rateLimitPerMinute: 10_000, trustProxy: false },
    inbound: { port: null, host: '127.0.0.1', maxBytes: 5 * 1024 * 1024, channel: 'email' },
    defaultLocale: 'zh-CN',
    ...over,
  };
}

const tmpDirs: string[] = [];

/**
 * A preset with `survey` added to followUp.methods (and its own version), written to a temporary
 * file for `startKesu({ policy })`.
 */
export function surveyPolicy(preset: 'kesu-default' | 'property-manager', extra: (text: string) => string = (t) => t): string {
  const text = readFileSync(new URL(`../../policies/${preset}.yaml`, import.meta.url), 'utf8');
  const changed = extra(text.replace(/^(\s*methods: \[)([^\]]*)\]/m, (_, a: string, b: string) => `${a}${b}, survey]`).replace(/^version: '([^']+)'/m, (_, v: string) => `version: '${v}-survey'`));
  if (!changed.includes('survey]')) throw new Error('could not add survey to the policy');
  const dir = mkdtempSync(join(tmpdir(), 'kesu-policy-'));
  tmpDirs.push(dir);
  const file = join(dir, `${preset}-survey.yaml`);
  writeFileSync(file, changed);
  return file;
}

export interface ChannelKesu {
  k: Kesu;
  s: ChannelSettings;
  providers: Providers;
  dispatch(): Promise<DispatchResult>;
  close(): Promise<void>;
}

export async function startChannelKesu(dialect: Dialect, opts: { start?: string; policy?: string; settings?: Partial<ChannelSettings> } = {}): Promise<ChannelKesu> {
  const k = await startKesu(dialect, { start: opts.start, policy: opts.policy });
  const dataDir = k.testDb.dataDir ?? mkdtempSync(join(tmpdir(), 'kesu-files-'));
  const s = testSettings(dataDir, opts.settings);
  k.app.settings.channels = s;
  const providers = createProviders(s, k.app);
  return {
    k,
    s,
    providers,
    dispatch: () => dispatchUntilIdle(k.app, { settings: s, providers }),
    async close() {
      providers.email?.close();
      await k.close();
      if (!k.testDb.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Drives a complaint from `received` to `answered` through the API (general grade, no approval). */
export async function answerThroughApi(k: Kesu, id: string, text = '已为您办理退货并致歉。'): Promise<void> {
  const ids = Object.fromEntries(k.userIds);
  const steps: [string, string, unknown][] = [
    ['specialist', 'judge', { valid: true }],
    ['specialist', 'classify', { category: firstCategory(k), grade: 'general' }],
    ['specialist', 'route', { departmentCode: departmentOf(k), primaryHandlerId: ids.handler, backupHandlerId: ids.handler2 }],
    ['handler', 'accept', {}],
    ['handler', 'investigate', { facts: '属实', cause: '包装不当', responsibility: { type: 'department', departmentCode: departmentOf(k) } }],
    ['handler', 'propose', { solutions: ['apology', 'refund'], amount: 0, description: '退货并致歉' }],
    ['handler', 'answer', { text, method: 'email', written: true }],
  ];
  for (const [user, action, body] of steps) {
    const r = await k.as(user).act(id, action, body);
    if (r.status !== 200) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

let categoryCache = new WeakMap<Kesu, { category: string; department: string }>();
async function routing(k: Kesu): Promise<{ category: string; department: string }> {
  let r = categoryCache.get(k);
  if (!r) {
    const p = await k.app.activePolicy();
    const cat = p.categories.find((c) => c.department) ?? p.categories[0]!;
    r = { category: cat.code, department: cat.department ?? p.departments[0]!.code };
    categoryCache.set(k, r);
  }
  return r;
}
/** Call once before answerThroughApi (reads the active policy). */
export async function prepareRouting(k: Kesu): Promise<void> {
  await routing(k);
}
function firstCategory(k: Kesu): string {
  const r = categoryCache.get(k);
  if (!r) throw new Error('call prepareRouting(k) first');
  return r.category;
}
function departmentOf(k: Kesu): string {
  return categoryCache.get(k)!.department;
}

export function cleanupPolicies(): void {
  for (const d of tmpDirs.splice(0)) rmSync(d, { recursive: true, force: true });
  categoryCache = new WeakMap();
}

/** A small valid PNG (1×1). */
export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0f01f0005000201e5273ade0000000049454e44ae426082', 'hex');

/** A multipart/form-data body for fastify.inject. */
export function multipart(fields: Record<string, string | string[]>, files: { field: string; name: string; type: string; data: Buffer }[] = []): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----kesu${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${one}\r\n`));
  for (const f of files) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.data, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The text content of an HTML page (tags dropped, entities of the escaper undone). */
export function pageText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
