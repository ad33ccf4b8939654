/**
 * Accountability (考核, issue 11 §4) on every engine, driven through the API with the test clock:
 * entries made by the transitions that cause them (a valid complaint against a person, a
 * responsibility finding, an unsatisfied follow-up, a customer's praise, and a breached resolve
 * clock through the deadline sweeper); one penalty confirmed within its range (outside it: a 4xx
 * naming `amount`, nothing written), another appealed by the person and overturned at the appeal
 * level; scorecards compared with figures computed by hand; and avoidance: the person complained
 * about sees and appeals their own entries, never the case or its complainant.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { sweepDeadlines } from '../../src/jobs/deadline-sweeper.js';
import { accountabilityPolicyFile } from './accountability-policy.js';

const MARCH = 'from=2026-03-01&to=2026-03-31';
const COMPLAINANT = { name: '钱多多', phone: '13912345678', email: 'qian@example.com' };

for (const { dialect, skip } of await engines()) {
  describe(`accountability (${dialect})`, { skip }, () => {
    let k: Kesu;
    let ids: Record<string, string>;
    let caseA = '';
    let caseB = '';
    const entryOf = async (rule: string, as = 'gm') => {
      const r = await k.as(as).get(`/api/v1/accountability/entries?${MARCH}&rule=${rule}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as any[];
    };

    before(async () => {
      k = await startKesu(dialect, { start: '2026-03-02T09:00:00+08:00', policy: accountabilityPolicyFile() });
      ids = Object.fromEntries(k.userIds);
      const agent = k.as('agent');
      const specialist = k.as('specialist');
      const handler = k.as('handler');
      const followup = k.as('followup');
      const ok = async (p: Promise<{ status: number; body: any }>, what: string) => {
        const r = await p;
        assert.equal(r.status, 200, `${what}: ${JSON.stringify(r.body)}`);
        return r.body;
      };
      const intake = async (body: Record<string, unknown>) => {
        const r = await agent.post('/api/v1/complaints', { channel: 'phone', description: '服务态度差', complainant: COMPLAINANT, ...body });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.complaint.id as string;
      };
      const rework = async (id: string) => {
        await ok(handler.act(id, 'investigate', { facts: '属实', cause: '态度', responsibility: { type: 'employee', employeeId: ids.handler2 } }), 'investigate');
        const r = await ok(handler.act(id, 'propose', { solutions: ['apology'], amount: 0, description: '致歉' }), 'propose');
        if (r.complaint.state === 'awaiting_approval') await ok(k.as('deptmanager').act(id, 'approve', {}), 'approve');
        await ok(handler.act(id, 'answer', { text: '已致歉', method: 'phone' }), 'answer');
      };

      // Case A: a complaint against handler2 (吴磊), handled by handler (王强), reopened once, then praised.
      caseA = await intake({ subject: { employeeIds: [ids.handler2!] } });
      await ok(specialist.act(caseA, 'judge', { valid: true }), 'judge'); // → valid_point (handler2)
      await ok(specialist.act(caseA, 'classify', { category: 'attitude', grade: 'general' }), 'classify');
      await ok(specialist.act(caseA, 'route', { departmentCode: 'customer_service', primaryHandlerId: ids.handler }), 'route');
      await ok(handler.act(caseA, 'accept', {}), 'accept');
      await rework(caseA); // → resp_fine (handler2)
      await ok(followup.act(caseA, 'follow_up', { reached: true, satisfaction: 'unsatisfied' }), 'unsatisfied'); // → reopened (handler)
      await rework(caseA); // the same finding again: no second resp_fine
      await ok(followup.act(caseA, 'follow_up', { reached: true, satisfaction: 'very_satisfied' }), 'praise'); // → praise (handler)
      await ok(specialist.act(caseA, 'close', {}), 'close');

      // Case B: routed to handler and left; the sweeper breaches its resolve clock (general: 2d).
      caseB = await intake({});
      await ok(specialist.act(caseB, 'judge', { valid: true }), 'judge B'); // no subject: no entry
      await ok(specialist.act(caseB, 'classify', { category: 'attitude', grade: 'general' }), 'classify B');
      await ok(specialist.act(caseB, 'route', { departmentCode: 'customer_service', primaryHandlerId: ids.handler }), 'route B');
      k.clock.set('2026-03-05T09:00:00+08:00');
      await sweepDeadlines(k.app); // → resolve_breach (handler)
      await sweepDeadlines(k.app); // a second pass makes no second entry
    });
    after(async () => k?.close());

    it('creates the entries in the transitions that cause them, once each', async () => {
      const all = (await k.as('gm').get(`/api/v1/accountability/entries?${MARCH}`)).body as any[];
      const summary = all.map((e) => [e.ruleCode, e.personId, e.case.number.length > 0, e.status, e.sourceAction]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      assert.deepEqual(summary, [
        ['praise', ids.handler, true, 'proposed', 'follow_up'],
        ['reopened', ids.handler, true, 'proposed', 'follow_up'],
        ['resolve_breach', ids.handler, true, 'proposed', 'breach'],
        ['resp_fine', ids.handler2, true, 'proposed', 'investigate'],
        ['valid_point', ids.handler2, true, 'proposed', 'judge'],
      ]);
      const [breach] = await entryOf('resolve_breach');
      assert.equal(breach.complaintId, caseB);
      assert.deepEqual(breach.detail, { clock: 'resolve', cycle: 1 });
      assert.equal(breach.departmentCode, 'customer_service'); // handler's department when it was made
      const [fine] = await entryOf('resp_fine');
      assert.deepEqual([fine.amount, fine.amountMin, fine.amountMax, fine.points], [null, 200, 1500, 2]);
    });

    it("refuses an amount outside the range with a 4xx naming the field, in the caller's language, and writes nothing", async () => {
      const [fine] = await entryOf('resp_fine');
      const en = await k.as('deptmanager').post(`/api/v1/accountability/entries/${fine.id}/confirm?lang=en`, { amount: 2000 });
      assert.equal(en.status, 400, JSON.stringify(en.body));
      assert.deepEqual(
        en.body.fields.map((f: { path: string }) => f.path),
        ['amount'],
      );
      assert.match(en.body.fields[0].message, /between 200 and 1500/);
      const zh = await k.as('deptmanager').post(`/api/v1/accountability/entries/${fine.id}/confirm`, { amount: 100 });
      assert.equal(zh.status, 400);
      assert.match(zh.body.fields[0].message, /金额须在 200–1500 之间/);
      const missing = await k.as('deptmanager').post(`/api/v1/accountability/entries/${fine.id}/confirm?lang=en`, {});
      assert.equal(missing.status, 400);
      assert.equal(missing.body.fields[0].path, 'amount');
      const detail = (await k.as('gm').get(`/api/v1/accountability/entries/${fine.id}`)).body;
      assert.equal(detail.status, 'proposed');
      assert.equal(detail.amount, null);
      assert.deepEqual(
        detail.history.map((h: { step: string }) => h.step),
        ['proposed'],
      );
    });

    it('lets the manager confirm a penalty within its range, never the person it names', async () => {
      const [fine] = await entryOf('resp_fine');
      const self = await k.as('handler2').post(`/api/v1/accountability/entries/${fine.id}/confirm`, { amount: 800 });
      assert.equal(self.status, 403);
      const r = await k.as('deptmanager').post(`/api/v1/accountability/entries/${fine.id}/confirm`, { amount: 800, note: '情节较轻' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.status, 'confirmed');
      assert.equal(r.body.amount, 800);
      assert.deepEqual(
        r.body.history.map((h: any) => [h.step, h.actorName, h.amount, h.reason]),
        [
          ['proposed', '王强', null, null],
          ['confirmed', '赵伟', 800, '情节较轻'],
        ],
      );
      const again = await k.as('deptmanager').post(`/api/v1/accountability/entries/${fine.id}/confirm`, { amount: 900 });
      assert.equal(again.status, 409);
      for (const rule of ['resolve_breach', 'reopened', 'praise']) {
        const [e] = await entryOf(rule);
        const c = await k.as('deptmanager').post(`/api/v1/accountability/entries/${e.id}/confirm`, {});
        assert.equal(c.status, 200, `${rule}: ${JSON.stringify(c.body)}`);
      }
      // A fixed amount cannot be changed.
      const [breach] = await entryOf('resolve_breach');
      assert.equal(breach.amount, 50);
    });

    it('lets the person appeal and the appeal level overturn', async () => {
      const [point] = await entryOf('valid_point');
      const noReason = await k.as('handler2').post(`/api/v1/accountability/entries/${point.id}/appeal?lang=en`, { reason: ' ' });
      assert.equal(noReason.status, 400);
      assert.equal(noReason.body.fields[0].path, 'reason');
      const other = await k.as('handler').post(`/api/v1/accountability/entries/${point.id}/appeal`, { reason: '不是我' });
      assert.equal(other.status, 404); // not handler's entry, not his to see
      const a = await k.as('handler2').post(`/api/v1/accountability/entries/${point.id}/appeal`, { reason: '当天我不在岗，有排班表为证' });
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.equal(a.body.status, 'appealed');
      const low = await k.as('csmanager').post(`/api/v1/accountability/entries/${point.id}/decide`, { outcome: 'overturned', reason: '查实' });
      assert.equal(low.status, 403);
      assert.equal(low.body.code, 'approval_level_too_low');
      const d = await k.as('gm').post(`/api/v1/accountability/entries/${point.id}/decide`, { outcome: 'overturned', reason: '排班表证实不在岗' });
      assert.equal(d.status, 200, JSON.stringify(d.body));
      assert.equal(d.body.status, 'overturned');
      assert.deepEqual(
        d.body.history.map((h: any) => [h.step, h.actorName, h.reason]),
        [
          ['proposed', '李静', null],
          ['appealed', '吴磊', '当天我不在岗，有排班表为证'],
          ['overturned', '刘洋', '排班表证实不在岗'],
        ],
      );
    });

    it('adds scorecards up as computed by hand', async () => {
      const r = await k.as('gm').get(`/api/v1/accountability/scorecards?${MARCH}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const card = (key: string, list: any[]) => list.find((c) => c.key === key);
      // handler2: resp_fine confirmed (2 points, 800); valid_point overturned (not counted).
      assert.deepEqual(card(ids.handler2!, r.body.people), {
        key: ids.handler2,
        name: '吴磊',
        departmentCode: 'customer_service',
        penaltyPoints: 2,
        rewardPoints: 0,
        penaltyAmount: 800,
        rewardAmount: 0,
        open: 0,
        overturned: 1,
        byRule: [{ rule: 'resp_fine', count: 1, points: 2, amount: 800 }],
      });
      // handler: breach 1 point + 50, reopened 1 point, praise +1 point + 100.
      assert.deepEqual(card(ids.handler!, r.body.people), {
        key: ids.handler,
        name: '王强',
        departmentCode: 'customer_service',
        penaltyPoints: 2,
        rewardPoints: 1,
        penaltyAmount: 50,
        rewardAmount: 100,
        open: 0,
        overturned: 0,
        byRule: [
          { rule: 'praise', count: 1, points: 1, amount: 100 },
          { rule: 'reopened', count: 1, points: 1, amount: 0 },
          { rule: 'resolve_breach', count: 1, points: 1, amount: 50 },
        ],
      });
      // The department: the sum of its two people.
      assert.deepEqual(card('customer_service', r.body.departments), {
        key: 'customer_service',
        penaltyPoints: 4,
        rewardPoints: 1,
        penaltyAmount: 850,
        rewardAmount: 100,
        open: 0,
        overturned: 1,
        byRule: [
          { rule: 'praise', count: 1, points: 1, amount: 100 },
          { rule: 'reopened', count: 1, points: 1, amount: 0 },
          { rule: 'resolve_breach', count: 1, points: 1, amount: 50 },
          { rule: 'resp_fine', count: 1, points: 2, amount: 800 },
        ],
      });
      // Another period holds none of them.
      const april = await k.as('gm').get('/api/v1/accountability/scorecards?from=2026-04-01&to=2026-04-30');
      assert.deepEqual([april.body.people, april.body.departments], [[], []]);
      const bad = await k.as('gm').get('/api/v1/accountability/scorecards?from=2026-03-31&to=2026-03-01&lang=en');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.fields[0].path, 'to');
    });

    it('keeps avoidance for the person complained about: own entries, never the case or its complainant', async () => {
      const mine = await k.as('handler2').get(`/api/v1/accountability/entries?${MARCH}`);
      assert.equal(mine.status, 200);
      assert.deepEqual(mine.body.map((e: any) => e.ruleCode).sort(), ['resp_fine', 'valid_point']);
      for (const e of mine.body) {
        assert.deepEqual(Object.keys(e.case).sort(), ['category', 'grade', 'number']); // no id, title or state
        assert.equal(e.actions.includes('confirm'), false);
      }
      const text = JSON.stringify(mine.body);
      for (const secret of [COMPLAINANT.name, COMPLAINANT.phone, COMPLAINANT.email, '5678', '服务态度差']) assert.equal(text.includes(secret), false, `leaks ${secret}`);
      const detail = await k.as('handler2').get(`/api/v1/accountability/entries/${mine.body[0].id}`);
      assert.equal(detail.status, 200);
      assert.equal(JSON.stringify(detail.body).includes(COMPLAINANT.name), false);
      assert.equal((await k.as('handler2').get(`/api/v1/complaints/${caseA}`)).status, 404);
      // Their scorecard is their own only.
      const cards = (await k.as('handler2').get(`/api/v1/accountability/scorecards?${MARCH}`)).body;
      assert.deepEqual(
        cards.people.map((p: any) => p.key),
        [ids.handler2],
      );
      // A reader who may open the case gets it with a link; one who may not, only its number.
      const open = (await k.as('specialist').get(`/api/v1/accountability/entries?${MARCH}&rule=resolve_breach`)).body[0];
      assert.equal(open.case.id, caseB);
      assert.equal(typeof open.case.title, 'string');
      const closed = (await k.as('gm').get(`/api/v1/accountability/entries?${MARCH}&rule=resolve_breach`)).body[0];
      assert.equal(closed.case.id, undefined);
      // Someone with no relation sees nothing.
      assert.deepEqual((await k.as('agent2').get(`/api/v1/accountability/entries?${MARCH}`)).body, []);
    });
  });
}
