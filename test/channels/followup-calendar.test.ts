/**
 * Follow-up (回访) scheduling against the working-day calendar, on every engine: the property
 * manager's 2-working-day window across the 2026 National Day holiday (1–7 October), the survey
 * link's expiry (window plus the retry schedule), the sweeper's warning and breach, unreachable
 * customers retried on the policy's schedule (24 h, then 48 h) and then either left open for a
 * visit (property manager) or closed as unreachable (default policy).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { TestMailbox, answerThroughApi, cleanupPolicies, prepareRouting, startChannelKesu, surveyPolicy, type ChannelKesu } from '../support/channels.js';
import { sweepDeadlines } from '../../src/jobs/deadline-sweeper.js';

const at = (local: string) => new Date(`${local}+08:00`).toISOString();

for (const { dialect, skip } of await engines()) {
  describe(`follow-up on the working-day calendar (${dialect})`, { skip }, () => {
    let box: TestMailbox;
    before(async () => {
      box = await TestMailbox.start();
    });
    after(async () => {
      await box?.close();
      cleanupPolicies();
    });

    describe('property manager: 2 working days across National Day', () => {
      let ck: ChannelKesu;
      let id = '';
      let surveyPath = '';
      before(async () => {
        // Wednesday 30 September 2026, the last working day before the holiday.
        ck = await startChannelKesu(dialect, { policy: surveyPolicy('property-manager'), start: '2026-09-30T09:00:00+08:00', settings: { smtpUrl: box.url } });
        await prepareRouting(ck.k);
        const r = await ck.k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '楼上漏水，维修后请回访。', complainant: { name: '业主周女士', email: 'zhou@example.com' } });
        id = r.body.complaint.id;
      });
      after(async () => ck?.close());

      it('starts the window at the answer and skips the holiday: due Friday 9 October 15:00', async () => {
        ck.k.clock.set('2026-09-30T15:00:00+08:00');
        await answerThroughApi(ck.k, id, '已更换楼上业主的进水阀，漏水已止。');
        const v = await ck.k.as('specialist').get(`/api/v1/complaints/${id}`);
        const fu = v.body.clocks.find((k: { kind: string }) => k.kind === 'follow_up');
        assert.equal(fu.status, 'running');
        // 9 h left on 30 Sep, 1–7 Oct are holidays, 8 Oct a full day, 15 h of 9 Oct.
        assert.equal(fu.dueAt, at('2026-10-09T15:00:00'));
        assert.ok(!v.body.clocks.some((k: { kind: string; status: string }) => k.kind === 'resolve' && k.status === 'running'), 'no follow-up while handling: handling clocks stopped');
      });

      it('sends the survey link valid through the window and the retries (24 h, 48 h)', async () => {
        await ck.dispatch();
        const invite = await box.waitFor((m) => m.to.includes('zhou@example.com') && /评价/.test(m.mail.subject ?? ''));
        assert.match(invite.mail.text ?? '', /链接有效期至 2026年10月12日 15:00/);
        const token = await ck.k.testDb.database.db.selectFrom('survey_tokens').selectAll().where('complaint_id', '=', id).executeTakeFirstOrThrow();
        assert.equal(token.expires_at, at('2026-10-12T15:00:00'));
        surveyPath = /\/portal\/survey\/[A-Za-z0-9_-]+/.exec(invite.mail.text ?? '')![0];
        assert.equal((await ck.k.server.inject({ method: 'GET', url: surveyPath })).statusCode, 200);
      });

      it('warns and breaches on working time only', async () => {
        ck.k.clock.set('2026-10-07T23:59:00+08:00');
        const quiet = await sweepDeadlines(ck.k.app);
        assert.deepEqual(
          quiet.fired.filter((f) => f.clock === 'follow_up'),
          [],
          'the holiday does not count',
        );
        ck.k.clock.set('2026-10-09T06:00:00+08:00'); // 80 % of 48 working hours: 9 Oct 05:24
        assert.deepEqual(
          (await sweepDeadlines(ck.k.app)).fired.filter((f) => f.clock === 'follow_up').map((f) => f.action),
          ['warn'],
        );
        ck.k.clock.set('2026-10-09T15:01:00+08:00');
        assert.deepEqual(
          (await sweepDeadlines(ck.k.app)).fired.filter((f) => f.clock === 'follow_up').map((f) => f.action),
          ['breach'],
        );
      });

      it('retries an unreachable customer after 24 h, then 48 h, then keeps the case open for a visit', async () => {
        const fu = ck.k.as('followup');
        const clock = async () => (await ck.k.as('specialist').get(`/api/v1/complaints/${id}`)).body.clocks.find((k: { kind: string }) => k.kind === 'follow_up');
        ck.k.clock.set('2026-10-09T16:00:00+08:00');
        let r = await fu.act(id, 'follow_up', { reached: false, method: 'phone' });
        assert.equal(r.body.complaint.state, 'answered');
        assert.equal((await clock()).dueAt, at('2026-10-10T16:00:00'), 'first retry: 24 h');
        ck.k.clock.set('2026-10-10T16:30:00+08:00');
        r = await fu.act(id, 'follow_up', { reached: false, method: 'phone' });
        assert.equal((await clock()).dueAt, at('2026-10-12T16:30:00'), 'second retry: 48 h');
        ck.k.clock.set('2026-10-12T17:00:00+08:00');
        r = await fu.act(id, 'follow_up', { reached: false, method: 'phone' });
        assert.equal(r.body.complaint.state, 'answered', 'closeWhenUnreachable: false — an owner can be visited');
        assert.equal(r.body.complaint.followUp.attempts, 3);
        const told = await ck.k.testDb.database.db.selectFrom('outbox').select('recipient').where('complaint_id', '=', id).where('template', '=', 'followup_unreachable').execute();
        assert.equal(told.length, 1);
        assert.equal(JSON.parse(told[0]!.recipient).role, 'specialist');
        // The survey link has run out with the schedule (12 Oct 15:00).
        const link = await ck.k.server.inject({ method: 'GET', url: surveyPath });
        assert.equal(link.statusCode, 410);
        assert.match(link.body, /评价链接已过期/);
      });
    });

    describe('default policy: closed as unreachable after the last retry', () => {
      let ck: ChannelKesu;
      before(async () => {
        ck = await startChannelKesu(dialect, { start: '2026-11-02T09:00:00+08:00' });
        await prepareRouting(ck.k);
      });
      after(async () => ck?.close());

      it('follows up within one week, retries 24 h and 48 h, then closes as unreachable', async () => {
        const r = await ck.k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '快递破损', complainant: { name: '吴先生', phone: '13955556666' } });
        const id = r.body.complaint.id;
        await answerThroughApi(ck.k, id);
        let v = await ck.k.as('specialist').get(`/api/v1/complaints/${id}`);
        assert.equal(v.body.clocks.find((k: { kind: string }) => k.kind === 'follow_up').dueAt, at('2026-11-09T09:00:00'), '7 calendar days');
        const fu = ck.k.as('followup');
        for (const [when, state] of [
          ['2026-11-03T10:00:00', 'answered'],
          ['2026-11-04T10:00:00', 'answered'],
          ['2026-11-06T10:00:00', 'followed_up'],
        ] as const) {
          ck.k.clock.set(`${when}+08:00`);
          const x = await fu.act(id, 'follow_up', { reached: false, method: 'phone' });
          assert.equal(x.body.complaint.state, state, when);
        }
        v = await ck.k.as('specialist').get(`/api/v1/complaints/${id}`);
        assert.equal(v.body.complaint.followUp.outcome, 'unreachable');
        const closed = await ck.k.as('specialist').act(id, 'close', {});
        assert.equal(closed.body.complaint.state, 'closed');
      });

      it('sends no survey when the policy does not follow up by survey', async () => {
        const rows = await ck.k.testDb.database.db.selectFrom('outbox').select('template').where('template', '=', 'survey_invitation').execute();
        assert.equal(rows.length, 0);
      });
    });
  });
}
