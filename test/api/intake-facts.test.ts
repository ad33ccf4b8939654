/**
 * Intake facts through the API on every engine, on the official 2026 calendar (test clock):
 * the time a letter was really received (clocks count from it; not in the future), the grade and
 * the emergency flag set at intake by a specialist (not by an agent, per policy), and the delay
 * notice when grading moves the promise.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { rehandlingPolicyFile } from './rehandling-policy.js';

const letter = (more: Record<string, unknown> = {}) => ({
  channel: 'letter',
  description: '来信：9月27日送达的洗发水瓶身破裂，要求换货。',
  complainant: { name: '林先生', phone: '13812345678' },
  ...more,
});

for (const { dialect, skip } of await engines()) {
  describe(`intake facts (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      // Tuesday 2026-09-29 09:00 in Shanghai.
      k = await startKesu(dialect, { start: '2026-09-29T09:00:00+08:00', policy: rehandlingPolicyFile() });
    });
    after(async () => k?.close());

    it('a letter received yesterday, registered today, has its clocks from yesterday', async () => {
      const r = await k.as('agent').post('/api/v1/complaints', letter({ receivedAt: '2026-09-28T16:00:00+08:00', receivedAtReason: '信函次日登记' }));
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.complaint.receivedAt, '2026-09-28T08:00:00.000Z');
      const clocks = Object.fromEntries(r.body.clocks.map((c: any) => [c.kind, c]));
      assert.equal(clocks.triage.startedAt, '2026-09-28T08:00:00.000Z');
      assert.equal(clocks.triage.dueAt, '2026-09-29T08:00:00.000Z');
      assert.equal(clocks.resolve.dueAt, '2026-09-30T08:00:00.000Z');
      assert.equal(r.body.promisedAt, '2026-09-30T08:00:00.000Z');
      const received = r.body.timeline[0];
      assert.equal(received.at, '2026-09-29T01:00:00.000Z');
      assert.equal(received.data.receivedAt, '2026-09-28T08:00:00.000Z');
      assert.equal(received.data.receivedAtSetBy, k.userIds.get('agent'));
      assert.equal(received.data.receivedAtReason, '信函次日登记');
    });

    it('a future receivedAt is refused naming the field; so is a late one without a reason', async () => {
      let r = await k.as('agent').post('/api/v1/complaints', letter({ receivedAt: '2026-09-30T09:00:00+08:00', receivedAtReason: '?' }));
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.ok(
        r.body.fields.some((f: any) => f.path === 'receivedAt'),
        JSON.stringify(r.body),
      );
      r = await k.as('agent').post('/api/v1/complaints', letter({ receivedAt: '2026-09-28T16:00:00+08:00' }));
      assert.equal(r.status, 400);
      assert.ok(
        r.body.fields.some((f: any) => f.path === 'receivedAtReason'),
        JSON.stringify(r.body),
      );
      r = await k.as('agent').post('/api/v1/complaints', letter({ receivedAt: '2026-09-20T16:00:00+08:00', receivedAtReason: '旧件' }));
      assert.equal(r.status, 400, 'older than intake.receivedAtMaxAge (7d)');
    });

    it('a specialist grades major + emergency at intake: the emergency clock starts at once; an agent may not', async () => {
      let r = await k.as('specialist').post('/api/v1/complaints', letter({ channel: 'phone', grade: 'major', emergency: true }));
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.complaint.grade, 'major');
      assert.equal(r.body.complaint.emergency, true);
      const triage = r.body.clocks.find((c: any) => c.kind === 'triage');
      assert.equal(triage.status, 'running');
      assert.equal(triage.startedAt, '2026-09-29T01:00:00.000Z');
      assert.equal(triage.dueAt, '2026-09-29T01:30:00.000Z', 'flags.emergency.limits.triage: 30m from receipt');
      const outbox = await k.testDb.database.db.selectFrom('outbox').select(['template']).where('complaint_id', '=', r.body.complaint.id).execute();
      assert.ok(outbox.some((m) => m.template === 'emergency_case'));

      r = await k.as('agent').post('/api/v1/complaints', letter({ channel: 'phone', grade: 'major', emergency: true }));
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.deepEqual(
        r.body.fields.map((f: any) => f.path),
        ['grade', 'emergency'],
      );
    });

    it('grading moves the promise: exactly one delay notice with the new time, and the timeline says why', async () => {
      let r = await k.as('agent').post('/api/v1/complaints', letter({ channel: 'phone' }));
      const id = r.body.complaint.id;
      assert.equal(r.body.promisedAt, '2026-10-01T01:00:00.000Z'); // general: 2 days
      r = await k.as('specialist').act(id, 'judge', { valid: true });
      r = await k.as('specialist').act(id, 'classify', { category: 'goods_damage_shortage', grade: 'important' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const classify = r.body.timeline[r.body.timeline.length - 1];
      assert.deepEqual(classify.data.promise, { from: '2026-10-01T01:00:00.000Z', to: '2026-10-02T01:00:00.000Z', because: 'classify' });
      r = await k.as('specialist').act(id, 'route', { primaryHandlerId: k.userIds.get('handler') });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const notices = await k.testDb.database.db.selectFrom('outbox').select(['payload']).where('complaint_id', '=', id).where('template', '=', 'delay_notice').execute();
      assert.equal(notices.length, 1);
      assert.equal(JSON.parse(notices[0]!.payload).dueAt, '2026-10-02T01:00:00.000Z');
    });
  });
}
