/**
 * Telephony screen-pop (issue 13 §1): a signed PBX call reaches the called agent's live stream
 * (and no one else's) with the caller history as that agent may see it; a bad, missing, stale or
 * replayed signature gets 401 and pushes nothing; an intake made from the pop keeps the call.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startKesu, type Kesu } from '../support/kesu.js';
import { signBody } from '../../src/channels/webhook.js';
import { openStream } from '../support/stream.js';
import { engines } from '../support/engines.js';

const SECRET = 'pbx-shared-secret-0123456789';

const listen = (base: string, token: string) => openStream(base, token, 'screen_pop');

const settle = () => new Promise((r) => setTimeout(r, 150));

for (const { dialect, skip } of await engines()) {
  describe(`telephony screen-pop (${dialect})`, { skip }, () => {
    let k: Kesu;
    let base: string;
    let complainedAbout: string;
    before(async () => {
      k = await startKesu(dialect, { start: new Date().toISOString() });
      k.app.settings.telephonySecret = SECRET;
      await k.server.listen({ port: 0, host: '127.0.0.1' });
      const addr = k.server.server.address();
      base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
      for (const u of ['agent', 'agent2', 'handler2']) await k.as(u).get('/api/v1/me');
      // An earlier case of the caller, about handler2 (who must never see it).
      const r = await k.as('agent').post('/api/v1/complaints', {
        channel: 'phone',
        description: '维修员吴磊态度恶劣',
        complainant: { name: '钱先生', phone: '13812345678' },
        subject: { employeeIds: [k.userIds.get('handler2')!] },
      });
      assert.equal(r.status, 201);
      complainedAbout = r.body.complaint.id;
    });
    after(async () => k?.close());

    const call = (body: unknown, opts: { secret?: string; ts?: number; signature?: string | null } = {}) => {
      const raw = JSON.stringify(body);
      const ts = String(opts.ts ?? Math.floor(k.clock.now().getTime() / 1000));
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-kesu-timestamp': ts };
      const sig = opts.signature === undefined ? signBody(opts.secret ?? SECRET, ts, raw) : opts.signature;
      if (sig !== null) headers['x-kesu-signature'] = sig;
      return k.server.inject({ method: 'POST', url: '/api/v1/telephony/calls', payload: raw, headers });
    };

    it('pushes a signed call to the called agent only, with the history that agent may see', async () => {
      const agent = await listen(base, k.tokens.get('agent')!);
      const other = await listen(base, k.tokens.get('agent2')!);
      const subject = await listen(base, k.tokens.get('handler2')!);
      const r = await call({ callId: 'pbx-call-1', caller: '+86 138-1234-5678', agent: { username: 'agent' }, recordingUrl: 'https://pbx.example.com/rec/1.wav' });
      assert.equal(r.statusCode, 202, r.body);
      assert.deepEqual(r.json(), { callId: 'pbx-call-1', agent: 'agent', delivered: 1 });
      // handler2 called: the pop reaches them, but without the case they are complained about.
      const s = await call({ callId: 'pbx-call-2', caller: '13812345678', agent: { username: 'handler2' } });
      assert.equal(s.statusCode, 202, s.body);
      await settle();
      assert.equal(agent.events.length, 1);
      const pop = agent.events[0];
      assert.equal(pop.callId, 'pbx-call-1');
      assert.equal(pop.recordingUrl, 'https://pbx.example.com/rec/1.wav');
      assert.equal(pop.caller.phone, '13812345678');
      assert.equal(pop.caller.masked, false);
      assert.equal(pop.history.counts.total, 1);
      assert.equal(pop.history.open[0].id, complainedAbout);
      assert.equal(pop.history.open[0].phone, '138****5678');
      assert.deepEqual(other.events, [], 'another agent hears nothing');
      assert.equal(subject.events.length, 1);
      assert.equal(subject.events[0].callId, 'pbx-call-2');
      assert.equal(subject.events[0].caller.masked, true);
      assert.equal(subject.events[0].caller.phone, '138****5678');
      assert.equal(subject.events[0].history.counts.total, 0, 'avoidance: the complained-about employee sees none of those cases');
      await Promise.all([agent.close(), other.close(), subject.close()]);
    });

    it('refuses bad, missing, stale and replayed signatures with 401 and pushes nothing', async () => {
      const agent = await listen(base, k.tokens.get('agent')!);
      const body = { callId: 'pbx-call-3', caller: '13812345678', agent: { username: 'agent' } };
      assert.equal((await call(body, { secret: 'not-the-shared-secret' })).statusCode, 401);
      assert.equal((await call(body, { signature: null })).statusCode, 401);
      assert.equal((await call(body, { signature: 'sha256=00' })).statusCode, 401);
      const stale = Math.floor(k.clock.now().getTime() / 1000) - 6 * 60;
      assert.equal((await call(body, { ts: stale })).statusCode, 401);
      // The very same signed request twice: the second is a replay.
      const raw = JSON.stringify(body);
      const ts = String(Math.floor(k.clock.now().getTime() / 1000));
      const headers = { 'content-type': 'application/json', 'x-kesu-timestamp': ts, 'x-kesu-signature': signBody(SECRET, ts, raw) };
      const first = await k.server.inject({ method: 'POST', url: '/api/v1/telephony/calls', payload: raw, headers });
      assert.equal(first.statusCode, 202);
      const again = await k.server.inject({ method: 'POST', url: '/api/v1/telephony/calls', payload: raw, headers });
      assert.equal(again.statusCode, 401);
      await settle();
      assert.deepEqual(
        agent.events.map((e) => e.callId),
        ['pbx-call-3'],
        'only the one valid call was pushed',
      );
      await agent.close();
    });

    it('names the field of a bad call: unknown agent 404, bad caller 400', async () => {
      const unknown = await call({ callId: 'c', caller: '13812345678', agent: { extension: '9999' } });
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().fields[0].path, 'agent.extension');
      const bad = await call({ callId: 'c2', caller: '12', agent: { username: 'agent' } });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().fields[0].path, 'caller');
    });

    it('keeps the call id and recording URL on the intake made from the pop', async () => {
      const r = await k.as('agent').post('/api/v1/complaints', {
        channel: 'phone',
        description: '又来电投诉维修未上门',
        complainant: { name: '钱先生', phone: '13812345678' },
        call: { id: 'pbx-call-1', recordingUrl: 'https://pbx.example.com/rec/1.wav' },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.deepEqual(r.body.complaint.references.call, { id: 'pbx-call-1', recordingUrl: 'https://pbx.example.com/rec/1.wav' });
      const v = await k.as('agent').get(`/api/v1/complaints/${r.body.complaint.id}`);
      assert.equal(v.status, 200);
      assert.equal(v.body.complaint.references.call.id, 'pbx-call-1');
    });
  });
}
