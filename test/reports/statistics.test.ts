/**
 * Statistics (issue 11 §2) over a fixture of 40 cases with known histories, driven through the
 * API with the test clock on the official 2026 calendar (working hours 08:30–12:00, 13:30–17:30),
 * compared with figures computed by hand below — on every engine. Then the Excel workbook read
 * back (sheet names, cells, types), the drill-down's visibility and who may ask.
 *
 * The week: Mon 2026-03-02 09:00 every case is received; Mon 10:00 and 14:30 closings; Tue 10:00
 * a pending item resumes; Wed 09:01 the deadline sweeper runs; Wed 10:00 the rest is answered.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { sweepDeadlines } from '../../src/jobs/deadline-sweeper.js';

const Q = 'from=2026-03-01&to=2026-03-31&groupBy=week';

for (const { dialect, skip } of await engines()) {
  describe(`report statistics (${dialect})`, { skip }, () => {
    let k: Kesu;
    const c: Record<string, string[]> = {};
    before(async () => {
      k = await startKesu(dialect, { start: '2026-01-10T09:00:00+08:00' });
      const ids = Object.fromEntries(k.userIds);
      const agent = k.as('agent');
      const specialist = k.as('specialist');
      const handler = k.as('handler');
      const followup = k.as('followup');
      let phoneNo = 0;
      const ok = async (p: Promise<{ status: number; body: any }>, what: string) => {
        const r = await p;
        assert.equal(r.status, 200, `${what}: ${JSON.stringify(r.body)}`);
        return r.body;
      };
      const intake = async (body: Record<string, unknown> = {}) => {
        phoneNo += 1;
        const r = await agent.post('/api/v1/complaints', { channel: 'phone', description: '投诉内容', complainant: { name: '客户', phone: `1390000${String(phoneNo).padStart(4, '0')}` }, ...body });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.complaint.id as string;
      };
      const toInvestigating = async (id: string, grade = 'general', customerClass?: string) => {
        await ok(specialist.act(id, 'judge', { valid: true }), 'judge');
        await ok(specialist.act(id, 'classify', { category: 'attitude', grade, ...(customerClass ? { customerClass } : {}) }), 'classify');
        await ok(specialist.act(id, 'route', { departmentCode: 'customer_service', primaryHandlerId: ids.handler, backupHandlerId: ids.handler2 }), 'route');
        await ok(handler.act(id, 'accept', {}), 'accept');
      };
      const rework = async (id: string, answerer = handler) => {
        await ok(handler.act(id, 'investigate', { facts: '属实', cause: '态度', responsibility: { type: 'employee', employeeId: ids.agent } }), 'investigate');
        const r = await ok(handler.act(id, 'propose', { solutions: ['apology'], amount: 0, description: '致歉' }), 'propose');
        if (r.complaint.state === 'awaiting_approval') await ok(k.as('deptmanager').act(id, 'approve', {}), 'approve');
        await ok(answerer.act(id, 'answer', { text: '已致歉', method: 'phone' }), 'answer');
      };
      const satisfied = (id: string, satisfaction = 'satisfied', scores?: object) => ok(followup.act(id, 'follow_up', { reached: true, satisfaction, ...(scores ? { scores } : {}) }), 'follow_up');
      const close = (id: string) => ok(specialist.act(id, 'close', {}), 'close');

      // Earlier complaints of two customers (outside the period): repeat complaints.
      const old2 = await intake({ complainant: { name: '老客户乙', phone: '13700000002' } }); // Sat 2026-01-10
      k.clock.set('2026-02-27T09:00:00+08:00');
      const old1 = await intake({ complainant: { name: '老客户甲', phone: '13700000001' } }); // Fri 2026-02-27
      c.OLD = [old1, old2];

      // --- Mon 2026-03-02 09:00 ---------------------------------------------------------------
      k.clock.set('2026-03-02T09:00:00+08:00');
      c.Q = [];
      for (let i = 0; i < 4; i++) {
        const id = await intake({ kind: 'inquiry', description: '咨询营业时间' });
        await ok(agent.act(id, 'answer', { text: '周一至周五', method: 'phone' }), 'answer inquiry');
        c.Q.push(id);
      }
      c.INV = [];
      for (const [reason, malicious] of [
        ['facts_contradict', false],
        ['facts_contradict', false],
        ['provocation', true],
        ['provocation', true],
      ] as const) {
        const id = await intake();
        await ok(specialist.act(id, 'judge', { valid: false, reason, explanation: '不成立', malicious }), 'judge invalid');
        c.INV.push(id);
      }
      c.O = [];
      for (let i = 0; i < 8; i++) {
        const extra: Record<string, unknown> = {};
        if (i < 2) extra.complainant = { name: '老客户甲', phone: '137-0000-0001' };
        if (i === 7) extra.subject = { employeeIds: [ids.csmanager] };
        const id = await intake(extra);
        await toInvestigating(id, 'general', i < 4 ? 'A' : 'B');
        await rework(id);
        c.O.push(id);
      }
      c.OI = [];
      for (let i = 0; i < 2; i++) {
        const id = await intake();
        await toInvestigating(id, 'important');
        await rework(id);
        c.OI.push(id);
      }
      c.FC = [];
      for (let i = 0; i < 2; i++) {
        const id = await intake();
        await toInvestigating(id);
        await rework(id, agent); // the first responder answers the same day
        c.FC.push(id);
      }
      c.R = [];
      for (let i = 0; i < 2; i++) {
        const id = await intake();
        await toInvestigating(id);
        await rework(id);
        c.R.push(id);
      }
      c.B = [];
      for (let i = 0; i < 3; i++) {
        const id = await intake(i === 0 ? { complainant: { name: '老客户乙', phone: '13700000002' } } : {});
        await toInvestigating(id);
        c.B.push(id);
      }
      c.E = [];
      for (let i = 0; i < 2; i++) {
        const id = await intake();
        await toInvestigating(id);
        await ok(handler.act(id, 'request_extension', { reason: '等待厂家检测', duration: '1wd', special: false }), 'request_extension');
        await ok(k.as('csmanager').act(id, 'grant_extension', {}), 'grant_extension');
        c.E.push(id);
      }
      c.P = [];
      for (let i = 0; i < 2; i++) {
        const id = await intake();
        await toInvestigating(id);
        c.P.push(id);
      }
      await ok(handler.act(c.P[0]!, 'pend', { reason: '客户出差，需上门取件' }), 'pend');
      c.U = [await intake()];
      // The ten added to the thirty: two more inquiries, two more invalid (another reason), two
      // praised cases (customer class C, 非常满意 with top scores: what the accountability `praise`
      // rule counts) and four of class D satisfied without scores — each like a group above.
      for (let i = 0; i < 2; i++) {
        const id = await intake({ kind: 'inquiry', description: '咨询退货流程' });
        await ok(agent.act(id, 'answer', { text: '七日内可退', method: 'phone' }), 'answer inquiry');
        c.Q.push(id);
      }
      c.INV2 = [];
      for (let i = 0; i < 2; i++) {
        const id = await intake();
        await ok(specialist.act(id, 'judge', { valid: false, reason: 'outside_service', explanation: '不属于服务范围', malicious: false }), 'judge invalid');
        c.INV2.push(id);
      }
      c.PR = [];
      for (let i = 0; i < 2; i++) {
        const id = await intake();
        await toInvestigating(id, 'general', 'C');
        await rework(id);
        c.PR.push(id);
      }
      c.D = [];
      for (let i = 0; i < 4; i++) {
        const id = await intake();
        await toInvestigating(id, 'general', 'D');
        await rework(id);
        c.D.push(id);
      }

      // --- Mon 10:00: first closings; the reopened cases go round twice --------------------------
      k.clock.set('2026-03-02T10:00:00+08:00');
      for (const id of c.Q) await close(id);
      for (const id of [...c.INV, ...c.INV2]) await close(id);
      for (const [i, id] of c.O.slice(0, 4).entries()) {
        await satisfied(id, i < 2 ? 'very_satisfied' : 'satisfied', i < 2 ? { attitude: 5, efficiency: 4, result: 4 } : { attitude: 4, efficiency: 4, result: 3 });
        await close(id);
      }
      for (const id of c.OI) (await satisfied(id, 'neutral'), await close(id));
      for (const id of c.FC) (await satisfied(id), await close(id));
      await ok(handler.act(c.P[1]!, 'pend', { reason: '等待配件' }), 'pend');
      for (const id of c.R) await satisfied(id, 'unsatisfied', { attitude: 1, efficiency: 1, result: 1 });
      k.clock.set('2026-03-02T10:01:00+08:00');
      for (const id of c.R) (await rework(id), await satisfied(id, 'unsatisfied', { attitude: 1, efficiency: 1, result: 1 }));
      k.clock.set('2026-03-02T10:02:00+08:00');
      for (const id of c.R) (await rework(id), await satisfied(id), await close(id));

      // --- Mon 14:30 -------------------------------------------------------------------------------
      k.clock.set('2026-03-02T14:30:00+08:00');
      for (const [i, id] of c.O.slice(4).entries()) {
        await satisfied(id, i < 2 ? 'very_satisfied' : 'satisfied', i < 2 ? { attitude: 5, efficiency: 4, result: 4 } : { attitude: 4, efficiency: 4, result: 3 });
        await close(id);
      }
      for (const id of c.PR) (await satisfied(id, 'very_satisfied', { attitude: 5, efficiency: 5, result: 5 }), await close(id));
      for (const id of c.D) (await satisfied(id), await close(id));

      // --- Tue 10:00: the second pending item resumes -------------------------------------------------
      k.clock.set('2026-03-03T10:00:00+08:00');
      await ok(handler.act(c.P[1]!, 'resume', {}), 'resume');

      // --- Wed 09:01: the sweeper breaches what is late ------------------------------------------------
      k.clock.set('2026-03-04T09:01:00+08:00');
      await sweepDeadlines(k.app);

      // --- Wed 10:00 -----------------------------------------------------------------------------------
      k.clock.set('2026-03-04T10:00:00+08:00');
      for (const id of [...c.B, ...c.E]) (await rework(id), await satisfied(id), await close(id));
      await rework(c.P[1]!);
      await satisfied(c.P[1]!);
      await close(c.P[1]!);
    });
    after(async () => k?.close());

    it('yields the figures computed by hand', async () => {
      const r = await k.as('specialist').get(`/api/v1/reports/statistics?${Q}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const s = r.body;
      // 6 inquiries + 6 invalid + 8 on time + 2 important + 2 first contact + 2 reopened + 3 breached
      // + 2 extended + 2 pending + 1 untouched + 2 praised (class C) + 4 of class D.
      assert.equal(s.intake.total, 40);
      assert.deepEqual(s.intake.byKind, [
        { key: 'complaint', count: 34 },
        { key: 'inquiry', count: 6 },
      ]);
      // No class: 6 inquiries, 6 invalid, 2 important, 2 first contact, 2 reopened, 3 breached, 2 extended, 2 pending, 1 untouched.
      assert.deepEqual(s.intake.byCustomerClass, [
        { key: null, count: 26 },
        { key: 'A', count: 4 },
        { key: 'B', count: 4 },
        { key: 'D', count: 4 },
        { key: 'C', count: 2 },
      ]);
      // General: 8 + 2 + 2 + 3 + 2 + 2 + 2 praised + 4 class D = 25; none: 6 inquiries, 6 invalid, the untouched one.
      assert.deepEqual(s.intake.byGrade, [
        { key: 'general', count: 25 },
        { key: null, count: 13 },
        { key: 'important', count: 2 },
      ]);
      assert.deepEqual(
        s.intake.trend.map((b: any) => [b.bucket, b.start, b.received, b.closed]),
        [
          ['2026-W09', '2026-03-01', 0, 0],
          ['2026-W10', '2026-03-02', 40, 38],
          ['2026-W11', '2026-03-09', 0, 0],
          ['2026-W12', '2026-03-16', 0, 0],
          ['2026-W13', '2026-03-23', 0, 0],
          ['2026-W14', '2026-03-30', 0, 0],
        ],
      );
      // Validity over the 33 judged complaints (the untouched one is not judged): 27 valid
      // (8 + 2 + 2 + 2 + 3 + 2 + 2 + 2 + 4), 4 invalid and 2 malicious; 27/33 = 0.81818…, 4/33 = 0.12121…, 2/33 = 0.060606….
      assert.equal(s.validity.judged, 33);
      assert.equal(s.validity.unjudged, 1);
      assert.deepEqual(s.validity.valid, { count: 27, of: 33, rate: 0.8182 });
      assert.deepEqual(s.validity.invalid, { count: 4, of: 33, rate: 0.1212 });
      assert.deepEqual(s.validity.malicious, { count: 2, of: 33, rate: 0.0606 });
      assert.deepEqual(s.validity.byReason, [
        { reason: 'facts_contradict', count: 2, malicious: 0 },
        { reason: 'outside_service', count: 2, malicious: 0 },
        { reason: 'provocation', count: 2, malicious: 2 },
      ]);
      // Handling mode over the 32 closed, not invalid cases (38 closed less 6 invalid).
      assert.equal(s.handling.closed, 38);
      assert.deepEqual(s.handling.modes, {
        immediate: { count: 8, of: 32, rate: 0.25 }, // 6 inquiries + 2 answered by the first responder
        within_limit: { count: 19, of: 32, rate: 0.5938 }, // 8 + 2 important + 2 extended + 1 resumed + 2 praised + 4 class D: 19/32 = 0.59375
        overdue: { count: 3, of: 32, rate: 0.0938 }, // 3/32 = 0.09375
        repeated: { count: 2, of: 32, rate: 0.0625 },
      });
      assert.deepEqual(s.handling.firstContactResolution, { count: 8, of: 32, rate: 0.25 });
      // Working hours: 14 × 1 h (6 inquiries, 4 on time, 2 important, 2 first contact), 2 × 62 min,
      // 10 × 4 h (09:00–12:00, 13:30–14:30: 4 on time, 2 praised, 4 class D), 8.5 h (16 h less
      // 7.5 h pending), 5 × 16 h (Mon 7 h + Tue 7.5 h + Wed 1.5 h). Sum 14 + 2.0667 + 40 + 8.5 + 80
      // = 144.5667 h, ÷ 32 = 4.5177; p90 = the 29th of 32 (ceil 28.8): ranks 28–32 are 16 h.
      assert.deepEqual(s.handling.time, { cases: 32, averageHours: 4.52, p90Hours: 16 });
      assert.equal(s.handling.pendingNow, 1);
      // On time per stage: triage 33 met (27 classified, 6 judged invalid), the untouched one
      // breached (33/34 = 0.97059); resolve: 6 inquiries + 6 invalid + 12 + 3 × 2 reopened +
      // 2 extended + 1 resumed + 6 (praised, class D) = 39 met, 3 + 1 breached (39/43 = 0.90698);
      // follow-up: 8 + 2 + 2 + 3 × 2 + 3 + 2 + 1 + 6 = 30 met.
      assert.deepEqual(s.onTime.byStage, [
        { stage: 'triage', met: 33, breached: 1, rate: 0.9706 },
        { stage: 'resolve', met: 39, breached: 4, rate: 0.907 },
        { stage: 'follow_up', met: 30, breached: 0, rate: 1 },
      ]);
      // General: 8 × 3 + 2 × 3 (first contact) + 2 × 7 (reopened) + 3 × 2 (breached: resolve late)
      // + 2 × 3 (extended) + 1 + 3 (pending: the paused one's resolve is neither) + 6 × 3 = 78 met,
      // 3 breached (78/81 = 0.96296); none: 6 inquiries' resolve + 6 invalid × 2 = 18 met, the
      // untouched one's 2 breached (18/20).
      assert.deepEqual(
        s.onTime.byGrade,
        [
          { grade: 'general', met: 78, breached: 3, rate: 0.963 },
          { grade: 'important', met: 6, breached: 0, rate: 1 },
          { grade: null, met: 18, breached: 2, rate: 0.9 },
        ].sort((a, b) => String(a.grade).localeCompare(String(b.grade))),
      );
      assert.deepEqual(s.onTime.byDuty, [], 'the default policy has no duties');
      // Backlog at Wed 2026-03-04 10:00: the untouched case and the pending one (both received, and
      // pended, Mon 09:00: 2 days 1 hour ago) are open; the pending one is in the pending ledger.
      assert.deepEqual(s.backlog, {
        asOf: '2026-03-04T02:00:00.000Z',
        open: { lt1d: 0, d1to3: 2, d3to7: 0, ge7d: 0 },
        pending: { lt1d: 0, d1to3: 1, d3to7: 0, ge7d: 0 },
      });
      // Satisfaction per case: a reopened case answered 不满意 twice, then 满意, is one satisfied case.
      // 26 followed up: 8 + 2 + 2 + 2 + 3 + 2 + 1 + 2 praised + 4 class D.
      assert.equal(s.satisfaction.cases, 26);
      assert.deepEqual(s.satisfaction.satisfied, { count: 26, of: 26, rate: 1 });
      assert.deepEqual(s.satisfaction.byLevel, { very_satisfied: 6, satisfied: 18, neutral: 2, unsatisfied: 0 });
      // Scores of the final results that gave one: 4 × (5, 4, 4), 4 × (4, 4, 3), 2 praised × (5, 5, 5):
      // attitude 46 / 10, efficiency 42 / 10, result 38 / 10.
      assert.deepEqual(s.satisfaction.scores, { attitude: 4.6, efficiency: 4.2, result: 3.8 });
      assert.deepEqual(s.reopen, { reopened: { count: 2, of: 32, rate: 0.0625 }, reopens: 4 });
      // Two complaints of 老客户甲 three days after an earlier one; 老客户乙's earlier one is 51 days
      // before. Of the 34 complaints: 2/34 = 0.05882.
      assert.deepEqual(s.repeat, { windowDays: 30, repeated: { count: 2, of: 34, rate: 0.0588 } });
      assert.deepEqual(s.extensions, { extended: { count: 2, of: 40, rate: 0.05 }, total: 2, special: 0 });
      // Breach escalations: 3 breached cases once, the untouched one twice (triage, resolve); the ten
      // added reach tier 1 only, like their groups.
      assert.deepEqual(s.escalations, {
        escalated: { count: 4, of: 40, rate: 0.1 },
        total: 5,
        byMaxTier: [
          { tier: 1, count: 34 },
          { tier: 2, count: 3 },
          { tier: 3, count: 3 },
        ],
      });

      const wide = await k.as('specialist').get(`/api/v1/reports/statistics?${Q}&repeatWindowDays=60`);
      assert.deepEqual(wide.body.repeat.repeated, { count: 3, of: 34, rate: 0.0882 }); // 3/34 = 0.08824
    });

    it('filters, and refuses bad input naming the field', async () => {
      const spec = k.as('specialist');
      const a = (await spec.get(`/api/v1/reports/statistics?${Q}&customerClass=A`)).body;
      assert.equal(a.intake.total, 4);
      assert.equal(a.satisfaction.byLevel.very_satisfied, 2);
      const inquiries = (await spec.get('/api/v1/reports/statistics?from=2026-03-01&to=2026-03-31&groupBy=month&kind=inquiry')).body;
      assert.equal(inquiries.intake.total, 6);
      assert.deepEqual(inquiries.intake.trend, [{ bucket: '2026-03', start: '2026-03-01', received: 6, closed: 6 }]);
      assert.deepEqual(inquiries.handling.modes.immediate, { count: 6, of: 6, rate: 1 });
      // The praised cases are class C: both 非常满意, scored 5 throughout.
      const praised = (await spec.get(`/api/v1/reports/statistics?${Q}&customerClass=C`)).body;
      assert.equal(praised.intake.total, 2);
      assert.deepEqual(praised.satisfaction.byLevel, { very_satisfied: 2, satisfied: 0, neutral: 0, unsatisfied: 0 });
      assert.deepEqual(praised.satisfaction.scores, { attitude: 5, efficiency: 5, result: 5 });
      const grade = (await spec.get(`/api/v1/reports/statistics?${Q}&grade=important,major`)).body;
      assert.equal(grade.intake.total, 2);
      const bad = await spec.get('/api/v1/reports/statistics?from=2026-03-31&to=2026-03-01&lang=en');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.fields[0].path, 'to');
      const unknown = await spec.get(`/api/v1/reports/statistics?${Q}&colour=red`);
      assert.equal(unknown.status, 400);
    });

    it('leaves out avoided cases, and the drill-down lists only visible ones', async () => {
      assert.equal((await k.as('agent').get(`/api/v1/reports/statistics?${Q}`)).status, 403);
      assert.equal((await k.as('auditor').get(`/api/v1/reports/statistics?${Q}`)).status, 200);
      // csmanager is the complained-about person of one on-time case.
      const cs = (await k.as('csmanager').get(`/api/v1/reports/statistics?${Q}`)).body;
      assert.equal(cs.intake.total, 39);
      const reopened = await k.as('specialist').get(`/api/v1/reports/statistics/cases?${Q}&figure=reopened`);
      assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
      assert.deepEqual(reopened.body.map((x: any) => x.id).sort(), [...c.R!].sort());
      const all = (await k.as('specialist').get(`/api/v1/reports/statistics/cases?${Q}&figure=received`)).body;
      assert.equal(all.length, 40);
      const csAll = (await k.as('csmanager').get(`/api/v1/reports/statistics/cases?${Q}&figure=received`)).body;
      assert.ok(!csAll.some((x: any) => x.id === c.O![7]), 'the avoided case is not listed');
    });

    it("exports the figures to Excel in the caller's language", async () => {
      const token = k.tokens.get('specialist')!;
      for (const [lang, sheets] of [
        ['zh-CN', ['概览', '受理趋势', '受理分布', '有效性', '时效', '积压账龄', '满意度']],
        ['zh-TW', ['概覽', '受理趨勢', '受理分佈', '有效性', '時效', '積壓帳齡', '滿意度']],
        ['en', ['Summary', 'Intake trend', 'Intake breakdown', 'Validity', 'On time', 'Backlog by age', 'Satisfaction']],
      ] as const) {
        const r = await k.server.inject({ method: 'GET', url: `/api/v1/reports/statistics.xlsx?${Q}&lang=${lang}`, headers: { authorization: `Bearer ${token}` } });
        assert.equal(r.statusCode, 200, r.body);
        assert.match(String(r.headers['content-type']), /spreadsheetml/);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
        assert.deepEqual(
          wb.worksheets.map((w) => w.name),
          sheets,
        );
        const summary = wb.worksheets[0]!;
        const from = summary.getCell('B2').value;
        assert.ok(from instanceof Date, 'the period start is a date');
        assert.equal((from as Date).toISOString().slice(0, 10), '2026-03-01');
        assert.equal(summary.getCell('B4').value, 40); // cases received, a number
        assert.equal(typeof summary.getCell('B4').value, 'number');
        assert.equal(summary.getCell('C5').value, 33); // valid: out of the judged
        assert.equal(summary.getCell('D5').value, 0.8182);
        assert.equal(summary.getCell('D5').numFmt, '0.00%');
        const trend = wb.worksheets[1]!;
        assert.equal(trend.getCell('A3').value, '2026-W10');
        assert.ok(trend.getCell('B3').value instanceof Date);
        assert.equal(trend.getCell('C3').value, 40);
        const onTime = wb.worksheets[4]!;
        // Built-in stages by their word, as the PDF names them (reports/pdf/names.ts clockNames).
        assert.equal(onTime.getCell('A2').value, { 'zh-CN': '判定分级', 'zh-TW': '判定分級', en: 'Triage' }[lang]);
        assert.equal(onTime.getCell('B2').value, 33);
        // The backlog (open 1–3 days: 2, of which pending 1) and the mean scores, in every language.
        assert.deepEqual([wb.worksheets[5]!.getCell('B3').value, wb.worksheets[5]!.getCell('C3').value], [2, 1]);
        assert.deepEqual(
          [8, 9, 10].map((r) => wb.worksheets[6]!.getCell(`B${r}`).value),
          [4.6, 4.2, 3.8],
        );
      }
      const zh = await k.server.inject({ method: 'GET', url: `/api/v1/reports/statistics.xlsx?${Q}`, headers: { authorization: `Bearer ${token}` } });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(zh.rawPayload as unknown as ArrayBuffer);
      assert.equal(wb.worksheets[0]!.getCell('A1').value, '指标');
    });

    it('lists the cases of every backlog bar and trend point, as many as the figure counts', async () => {
      const spec = k.as('specialist');
      const cases = async (query: string) => {
        const r = await spec.get(`/api/v1/reports/statistics/cases?${query}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return (r.body as { id: string }[]).map((x) => x.id).sort();
      };
      const s = (await spec.get(`/api/v1/reports/statistics?${Q}`)).body;
      // The backlog: each series' bar of each age bucket lists what the bar counts.
      for (const age of ['lt1d', 'd1to3', 'd3to7', 'ge7d']) {
        assert.equal((await cases(`${Q}&figure=open&age=${age}`)).length, s.backlog.open[age], `open ${age}`);
        assert.equal((await cases(`${Q}&figure=pending&age=${age}`)).length, s.backlog.pending[age], `pending ${age}`);
      }
      assert.deepEqual(await cases(`${Q}&figure=open&age=d1to3`), [c.U![0]!, c.P![0]!].sort(), 'the untouched and the pending case are open, 1–3 days old');
      assert.deepEqual(await cases(`${Q}&figure=pending&age=d1to3`), [c.P![0]!], 'the pending ledger: the pending case alone');

      // A case received before the period (Fri 2026-02-27) closed in it (Wed 2026-03-04): a closure
      // of week 10, not one of the period's receipts.
      await k.as('specialist').act(c.OLD![0]!, 'judge', { valid: false, reason: 'facts_contradict', explanation: '不成立', malicious: false });
      const closedOld = await k.as('specialist').act(c.OLD![0]!, 'close', {});
      assert.equal(closedOld.status, 200, JSON.stringify(closedOld.body));
      const t = (await spec.get(`/api/v1/reports/statistics?${Q}`)).body.intake.trend as { bucket: string; start: string; received: number; closed: number }[];
      assert.deepEqual(
        t.find((b) => b.bucket === '2026-W10'),
        { bucket: '2026-W10', start: '2026-03-02', received: 40, closed: 39 },
      );
      // Each trend bucket's dates (as the console's bucketPeriod): from its start to the day before the next.
      for (const [i, b] of t.entries()) {
        const to = t[i + 1] ? new Date(Date.parse(`${t[i + 1]!.start}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10) : '2026-03-31';
        const within = `from=${b.start}&to=${to}&groupBy=week`;
        assert.equal((await cases(`${within}&figure=received`)).length, b.received, `received ${b.bucket}`);
        assert.equal((await cases(`${within}&figure=closed_in_period`)).length, b.closed, `closed ${b.bucket}`);
      }
      const w10 = 'from=2026-03-02&to=2026-03-08&groupBy=week';
      assert.ok((await cases(`${w10}&figure=closed_in_period`)).includes(c.OLD![0]!), 'closed in week 10, received before it');
      assert.ok(!(await cases(`${w10}&figure=received`)).includes(c.OLD![0]!));
      // The filters hold for the closures too: no inquiry was received before the period.
      assert.equal((await cases(`${w10}&figure=closed_in_period&kind=inquiry`)).length, 6);

      // An age only with a backlog figure; an unknown bucket: 400 naming the field.
      for (const query of [`${Q}&figure=received&age=lt1d&lang=en`, `${Q}&figure=open&age=old&lang=en`]) {
        const bad = await spec.get(`/api/v1/reports/statistics/cases?${query}`);
        assert.equal(bad.status, 400, query);
        assert.equal(bad.body.fields[0].path, 'age', JSON.stringify(bad.body));
      }
    });
  });
}
