/**
 * Idempotency-Key on the accountability steps (issue 12 §5), on every engine, with the
 * accountability policy of test/reports: a penalty confirmed, a point appealed and the appeal
 * decided, each sent twice at once under one key — one runs (one history step), the other gets
 * the same status and bytes with `Idempotent-Replayed: true` — and retried later (replayed,
 * nothing added). test/api/idempotency-every-route.test.ts names this file for these routes.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { accountabilityPolicyFile } from '../reports/accountability-policy.js';

const MARCH = 'from=2026-03-01&to=2026-03-31';

for (const { dialect, skip } of await engines()) {
  describe(`Idempotency-Key on accountability steps (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      k = await startKesu(dialect, { start: '2026-03-02T09:00:00+08:00', policy: accountabilityPolicyFile() });
      const ids = Object.fromEntries(k.userIds);
      const ok = async (p: Promise<{ status: number; body: any }>, what: string) => {
        const r = await p;
        assert.ok(r.status < 300, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
        return r.body;
      };
      const [specialist, handler] = [k.as('specialist'), k.as('handler')];
      const created = await ok(k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '服务态度差', complainant: { name: '钱多多', phone: '13912345678' }, subject: { employeeIds: [ids.handler2!] } }), 'intake');
      const id = created.complaint.id as string;
      await ok(specialist.act(id, 'judge', { valid: true }), 'judge'); // → valid_point (handler2)
      await ok(specialist.act(id, 'classify', { category: 'attitude', grade: 'general' }), 'classify');
      await ok(specialist.act(id, 'route', { departmentCode: 'customer_service', primaryHandlerId: ids.handler }), 'route');
      await ok(handler.act(id, 'accept', {}), 'accept');
      await ok(handler.act(id, 'investigate', { facts: '属实', cause: '态度', responsibility: { type: 'employee', employeeId: ids.handler2 } }), 'investigate');
      const p = await ok(handler.act(id, 'propose', { solutions: ['apology'], amount: 0, description: '致歉' }), 'propose');
      if (p.complaint.state === 'awaiting_approval') await ok(k.as('deptmanager').act(id, 'approve', {}), 'approve');
      await ok(handler.act(id, 'answer', { text: '已致歉', method: 'phone' }), 'answer'); // → resp_fine (handler2)
    });
    after(async () => k?.close());

    const entry = async (rule: string) => {
      const r = await k.as('gm').get(`/api/v1/accountability/entries?${MARCH}&rule=${rule}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.length, 1, `one ${rule} entry`);
      return r.body[0] as { id: string };
    };
    const history = async (id: string) => ((await k.as('gm').get(`/api/v1/accountability/entries/${id}`)).body.history as { step: string }[]).map((h) => h.step);

    /** Two at once under `key`: one ran, one replayed the same answer; a later retry replays too. */
    async function retried(user: string, url: string, body: unknown, key: string) {
      const pair = await Promise.all([1, 2].map(() => k.as(user).post(url, body, { 'idempotency-key': key })));
      const ran = pair.filter((r) => r.headers['idempotent-replayed'] === undefined);
      assert.equal(ran.length, 1, JSON.stringify(pair.map((r) => [r.status, r.body])));
      assert.equal(ran[0]!.status, 200, JSON.stringify(ran[0]!.body));
      assert.deepEqual(pair[0]!.body, pair[1]!.body);
      assert.deepEqual(
        pair.map((r) => r.status),
        [200, 200],
      );
      const later = await k.as(user).post(url, body, { 'idempotency-key': key });
      assert.deepEqual([later.status, later.headers['idempotent-replayed'], later.body], [200, 'true', ran[0]!.body]);
    }

    it('POST /api/v1/accountability/entries/{id}/confirm: a penalty confirmed once', async () => {
      const fine = await entry('resp_fine');
      await retried('deptmanager', `/api/v1/accountability/entries/${fine.id}/confirm`, { amount: 800, note: '情节较轻' }, 'confirm-1');
      assert.deepEqual(await history(fine.id), ['proposed', 'confirmed']);
    });

    it('POST /api/v1/accountability/entries/{id}/appeal and …/decide: appealed once, decided once', async () => {
      const point = await entry('valid_point');
      await retried('handler2', `/api/v1/accountability/entries/${point.id}/appeal`, { reason: '当天我不在岗，有排班表为证' }, 'appeal-1');
      assert.deepEqual(
        (await history(point.id)).filter((s) => s === 'appealed'),
        ['appealed'],
      );
      await retried('gm', `/api/v1/accountability/entries/${point.id}/decide`, { outcome: 'overturned', reason: '排班表证实不在岗' }, 'decide-1');
      const steps = await history(point.id);
      assert.equal(steps.filter((s) => s === 'appealed').length, 1);
      assert.equal(steps.length, new Set(steps).size, `each step once: ${steps.join(', ')}`);
    });
  });
}
