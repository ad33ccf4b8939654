/**
 * Issue 12: no secrets or personal data in the logs. A whole journey — a wrong and a right staff
 * sign-in, intake with phone, e-mail, ID number and address, an access code issued and sent by
 * SMS through the default (log) provider, the customer opening the case in the portal, the staff
 * reading the case with its personal data — runs against a server logging everything (trace) to a
 * stream; the log is then searched for every secret the journey made, and holds none of them.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { engines } from '../support/engines.js';
import { startChannelKesu, type ChannelKesu } from '../support/channels.js';
import { buildServer } from '../../src/http/server.js';
import { createProviders, dispatchUntilIdle } from '../../src/jobs/outbox-dispatcher.js';
import { ACCESS_CODE_LENGTH } from '../../src/channels/secrets.js';

const PHONE = '13912345678';
const EMAIL = 'li.secret.customer@example.com';
const ID_NUMBER = '110101199003071234';
const ADDRESS = '上海市浦东新区世纪大道 88 号 1201 室';
const WRONG_PASSWORD = 'Wrong-Pass-4471';
/** An access code as the SMS carries it (secrets.ts: 8 of 23456789ABCDEFGHJKMNPQRSTUVWXYZ, shown as XXXX-XXXX). */
const half = `[2-9A-HJKMNP-Z]{${ACCESS_CODE_LENGTH / 2}}`;
const ACCESS_CODE = new RegExp(`(?<![A-Za-z0-9])${half}-?${half}(?![A-Za-z0-9])`, 'g');

for (const { dialect, skip } of await engines()) {
  describe(`log redaction over a whole journey (${dialect})`, { skip }, () => {
    let ck: ChannelKesu;
    let server: FastifyInstance;
    const out: string[] = [];
    before(async () => {
      ck = await startChannelKesu(dialect, { settings: { sms: { provider: 'log', method: 'POST', body: '', headers: {} } } });
      const stream = new Writable({ write: (chunk, _enc, cb) => (out.push(String(chunk)), cb()) });
      server = await buildServer(ck.k.app, { logger: { level: 'trace', stream } });
      ck.k.app.log = server.log; // as `kesu serve` does: the services log through the server's logger
    });
    after(async () => {
      await server?.close();
      await ck?.close();
    });

    it('logs none of the secrets the journey created', async () => {
      const secrets: Record<string, string> = { phone: PHONE, email: EMAIL, idNumber: ID_NUMBER, address: ADDRESS, wrongPassword: WRONG_PASSWORD, password: 'kesu-demo' };

      assert.equal((await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'agent', password: WRONG_PASSWORD } })).statusCode, 401);
      const login = await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'agent', password: 'kesu-demo' } });
      assert.equal(login.statusCode, 200);
      const token = login.json().token as string;
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      secrets.sessionToken = token;
      secrets.cookie = cookie.split('=')[1]!;
      const asAgent = { cookie };

      const created = await server.inject({
        method: 'POST',
        url: '/api/v1/complaints',
        headers: asAgent,
        payload: { channel: 'phone', description: '冰箱漏电，要求退货。', complainant: { name: '李女士', phone: PHONE, email: EMAIL, idNumber: ID_NUMBER, address: ADDRESS } },
      });
      assert.equal(created.statusCode, 201, created.body);
      const { id, number } = created.json().complaint as { id: string; number: string };
      // The SMS with the number and the access code goes out through the default provider
      // (watched on its way in, to learn the code it carries).
      const providers = createProviders(ck.s, ck.k.app);
      const texts: string[] = [];
      const logProvider = providers.sms!;
      providers.sms = { name: logProvider.name, send: (m, now) => (texts.push(m.text), logProvider.send(m, now)) };
      const sent = await dispatchUntilIdle(ck.k.app, { settings: ck.s, providers });
      assert.ok(sent.sent > 0, JSON.stringify(sent));
      const smsCode = texts.join(' ').match(ACCESS_CODE);
      assert.ok(smsCode?.length, `an access code in the SMS: ${texts.join(' | ')}`);
      smsCode.forEach((c, i) => {
        secrets[`smsAccessCode${i}`] = c;
        secrets[`smsAccessCode${i}plain`] = c.replace('-', '');
      });
      assert.ok(texts.join(' ').includes(number));
      const smsLines = out.filter((l) => l.includes('SMS (log provider'));
      assert.ok(smsLines.length > 0, 'the SMS was logged');
      assert.ok(
        smsLines.every((l) => l.includes('139****5678')),
        'with the number masked',
      );

      // The agent issues a new code to read out on the phone; the customer opens the case with it.
      const issued = await server.inject({ method: 'POST', url: `/api/v1/complaints/${id}/access-code`, headers: { authorization: `Bearer ${token}` }, payload: {} });
      assert.equal(issued.statusCode, 200, issued.body);
      secrets.accessCode = issued.json().accessCode;
      secrets.accessCodePlain = secrets.accessCode!.replace('-', '');
      // The customer opens the case in the portal with the code; the staff read it unmasked.
      const portal = await server.inject({ method: 'POST', url: '/portal/track', payload: new URLSearchParams({ number, code: secrets.accessCode! }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(portal.statusCode, 200);
      const view = await server.inject({ url: `/api/v1/complaints/${id}`, headers: { authorization: `Bearer ${token}` } });
      assert.equal(view.statusCode, 200);
      assert.equal(view.json().complaint.complainant.phone, PHONE, 'the agent sees the phone: it was in a response, not in the log');
      assert.equal((await server.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: asAgent })).statusCode, 200);

      const log = out.join('');
      assert.ok(log.length > 1000 && /incoming request/.test(log) && /sign-in: login failed/.test(log), 'requests and services were logged');
      for (const [what, secret] of Object.entries(secrets)) assert.ok(!log.includes(secret), `the log holds the ${what} (${secret})`);
      assert.ok(!log.includes(encodeURIComponent(EMAIL)) && !log.includes(PHONE.slice(3)), 'nor encoded or partial forms of them');
    });
  });
}
