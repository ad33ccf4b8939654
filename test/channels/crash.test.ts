/**
 * The crash test, on every engine: a dispatcher in a child process is killed with SIGKILL after
 * the provider accepted a message and before the dispatcher could mark it sent. The message is
 * not lost — its row stays leased (`sending`), and once the lease runs out another dispatcher
 * sends it again with the same idempotency key (SMS gateway: the Idempotency-Key header; SMTP:
 * the Message-ID), so a provider that honours the key delivers it once.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { engines } from '../support/engines.js';
import { TestMailbox, TestReceiver, startChannelKesu, type ChannelKesu } from '../support/channels.js';
import type { ChannelSettings } from '../../src/channels/settings.js';
import { createProviders } from '../../src/jobs/outbox-dispatcher.js';

const CHILD = fileURLToPath(new URL('./fixtures/dispatch-child.ts', import.meta.url));

function startChild(ck: ChannelKesu, settings: ChannelSettings): { child: ChildProcess; exited: Promise<NodeJS.Signals | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: {
      ...process.env,
      KESU_CHILD_DB: JSON.stringify({ url: ck.k.testDb.url, dataDir: ck.k.testDb.dataDir }),
      KESU_CHILD_SETTINGS: JSON.stringify({ ...settings, sealKey: settings.sealKey.toString('base64') }),
      KESU_CHILD_NOW: ck.k.clock.now().toISOString(),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  exited.then((sig) => {
    if (sig !== 'SIGKILL' && err) console.error(err);
  });
  return { child, exited };
}

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer!);
  }
}

for (const { dialect, skip } of await engines()) {
  describe(`crash between send and mark (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    let rx: TestReceiver;
    const LEASE = 30_000;
    before(async () => {
      rx = await TestReceiver.start();
      ck = await startChannelKesu(dialect, { start: '2026-09-28T09:00:00+08:00' });
      ck.s.outbox.leaseMs = LEASE;
    });
    after(async () => {
      await ck?.close();
      await rx?.close();
    });

    const rowOf = async (complaintId: string, channel: string) => ck.k.testDb.database.db.selectFrom('outbox').selectAll().where('complaint_id', '=', complaintId).where('channel', '=', channel).executeTakeFirstOrThrow();

    it('SMS gateway: killed after the gateway accepted → redelivered later with the same Idempotency-Key, delivered once', async () => {
      ck.s.sms = { provider: 'http', url: rx.url('/sms'), method: 'POST', body: '{"to":"{to}","text":"{text}"}', headers: {} };
      ck.s.smtpUrl = null;
      Object.assign(ck.providers, createProviders(ck.s, ck.k.app));
      // The gateway de-duplicates on Idempotency-Key, as real gateways that accept one do.
      const delivered = new Map<string, string>();
      rx.respond = (r) => {
        const key = r.headers['idempotency-key'] as string;
        const dup = delivered.has(key);
        if (!dup) delivered.set(key, r.body);
        return { status: 200, body: JSON.stringify({ ok: true, duplicate: dup }) };
      };
      const r = await ck.k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '崩溃测试：短信', complainant: { name: '钱先生', phone: '13811112222' } });
      const id = r.body.complaint.id as string;

      const { child, exited } = startChild(ck, ck.s);
      // The gateway takes the message, then the dispatcher dies before it reads the answer.
      rx.onRequest = () => {
        if (!child.killed) child.kill('SIGKILL');
      };
      assert.equal(await within(exited, 20_000, 'child dispatcher killed'), 'SIGKILL');
      rx.onRequest = undefined;
      assert.equal(delivered.size, 1, 'the gateway accepted the message');
      const [key] = [...delivered.keys()];

      let row = await rowOf(id, 'sms');
      assert.equal(row.id, key);
      assert.equal(row.status, 'sending', 'not marked sent — and not lost');
      assert.equal(row.lease_owner, 'child-dispatcher');
      assert.equal(Number(row.attempts), 1);

      // While the lease holds, nobody else sends it.
      await ck.dispatch();
      assert.equal(rx.requests.filter((q) => q.url === '/sms').length, 1);
      // After the lease: delivered again, with the same key; the gateway recognises it.
      ck.k.clock.advance(LEASE + 60_000);
      await ck.dispatch();
      row = await rowOf(id, 'sms');
      assert.equal(row.status, 'sent');
      assert.equal(Number(row.attempts), 2);
      const sends = rx.requests.filter((q) => q.url === '/sms');
      assert.equal(sends.length, 2);
      assert.deepEqual(
        sends.map((q) => q.headers['idempotency-key']),
        [key, key],
      );
      assert.equal(delivered.size, 1, 'delivered once');
      assert.match(delivered.get(key!)!, /您的投诉已受理/);
    });

    it('SMTP: killed after the server took the message, before its 250 → redelivered with the same Message-ID', async () => {
      // This mailbox kills the dispatcher once it has the whole message, before answering 250.
      let killer: (() => Promise<void>) | null = null;
      const crashBox = await TestMailbox.start({
        onMessage: async () => {
          const k = killer;
          killer = null;
          await k?.();
        },
      });
      try {
        ck.s.sms = { provider: 'none', method: 'POST', body: '', headers: {} };
        ck.s.smtpUrl = crashBox.url;
        Object.assign(ck.providers, createProviders(ck.s, ck.k.app));
        const r = await ck.k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '崩溃测试：邮件', complainant: { name: '孙女士', email: 'sun@example.com' } });
        const id = r.body.complaint.id as string;
        const { child, exited } = startChild(ck, ck.s);
        killer = async () => {
          child.kill('SIGKILL');
          await exited;
        };
        assert.equal(await within(exited, 20_000, 'child dispatcher killed'), 'SIGKILL');
        assert.equal(crashBox.to('sun@example.com').length, 1, 'the server has the message');

        let row = await rowOf(id, 'email');
        assert.equal(row.status, 'sending', 'not marked sent — and not lost');
        ck.k.clock.advance(LEASE + 60_000);
        await ck.dispatch();
        row = await rowOf(id, 'email');
        assert.equal(row.status, 'sent');
        const mails = crashBox.to('sun@example.com');
        assert.equal(mails.length, 2, 'SMTP takes no idempotency key: the retry is a second copy …');
        assert.equal(new Set(mails.map((m) => m.mail.messageId)).size, 1, '… of the same message (same Message-ID), which clients collapse');
        assert.ok(mails[0]!.mail.messageId!.startsWith(`<${row.id}@`));
        assert.equal(mails[0]!.mail.text, mails[1]!.mail.text, 'with the same access code');
      } finally {
        await crashBox.close();
      }
    });
  });
}
