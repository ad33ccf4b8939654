/**
 * Duties in the on-time figures (issue 11 §2 with issue 10's duties): `onTime.byDuty` counts the
 * case duties of the cohort per duty code like the clocks — met when completed in time, breached
 * once late (also when completed afterwards), open ones left out — on every engine, with the test
 * clock on the official 2026 calendar (working hours 08:30–12:00, 13:30–17:30). Values by hand.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { engines } from '../support/engines.js';
import { proposedCase, startKesu, type Kesu } from '../support/kesu.js';
import { sweepDeadlines } from '../../src/jobs/deadline-sweeper.js';

const DUTIES = [
  { code: 'report_back', name: { 'zh-CN': '处理完毕反馈客户中心', 'zh-TW': '處理完畢回饋客戶中心', en: 'Report back' }, on: 'answer', owner: 'primary_handler', due: '2wh', record: 'note' },
  { code: 'callback', name: { 'zh-CN': '回访确认', 'zh-TW': '回訪確認', en: 'Call back' }, on: 'answer', owner: 'primary_handler', due: '1wd', record: 'note' },
];

function policyFile(): string {
  const p = parse(readFileSync(new URL('../../policies/kesu-default.yaml', import.meta.url), 'utf8'));
  p.version = '2026.1-duty-report';
  p.duties = DUTIES;
  const file = join(mkdtempSync(join(tmpdir(), 'kesu-policy-')), 'duties.yaml');
  writeFileSync(file, stringify(p));
  return file;
}

const Q = 'from=2026-03-01&to=2026-03-31&groupBy=month';

for (const { dialect, skip } of await engines()) {
  describe(`report statistics: duties on time (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      // Monday 2026-03-02 09:00 in Shanghai.
      k = await startKesu(dialect, { start: '2026-03-02T09:00:00+08:00', policy: policyFile() });
    });
    after(async () => k?.close());

    const answeredCase = async (): Promise<string> => {
      const id = await proposedCase(k);
      const r = await k.as('handler').act(id, 'answer', { text: '已致歉', method: 'phone' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return id;
    };
    const complete = async (id: string, code: string) => {
      const duties = (await k.as('handler').get(`/api/v1/complaints/${id}/duties`)).body;
      const d = duties.find((x: any) => x.code === code);
      const r = await k.as('handler').post(`/api/v1/complaints/${id}/duties/${d.id}/complete`, { text: '已反馈' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    };

    it('counts each duty code met or breached, open ones left out', async () => {
      // Three cases answered Mon 09:00: report_back due 11:00 (2 working hours), callback Tue 09:00 (1 working day).
      const [a, b, c] = [await answeredCase(), await answeredCase(), await answeredCase()];
      k.clock.set('2026-03-02T10:00:00+08:00');
      await complete(a!, 'report_back');
      await complete(b!, 'report_back');
      await complete(a!, 'callback');
      // 11:30: c's report_back is late; the sweeper breaches it.
      k.clock.set('2026-03-02T11:30:00+08:00');
      assert.equal((await sweepDeadlines(k.app)).duties?.breached.length, 1);
      // Completed after the breach: still breached.
      k.clock.set('2026-03-02T11:45:00+08:00');
      await complete(c!, 'report_back');

      const s = (await k.as('specialist').get(`/api/v1/reports/statistics?${Q}`)).body;
      // report_back: a and b in time, c late → 2 / 3; callback: a in time, b and c still open (left out) → 1 / 1.
      assert.deepEqual(s.onTime.byDuty, [
        { code: 'callback', met: 1, breached: 0, rate: 1 },
        { code: 'report_back', met: 2, breached: 1, rate: 0.6667 },
      ]);
      // Duties are not stages: the per-stage and per-grade figures count the clocks only.
      assert.ok(!s.onTime.byStage.some((x: any) => x.stage.startsWith('duty:')));
      const clockInstances = s.onTime.byGrade.reduce((n: number, g: any) => n + g.met + g.breached, 0);
      assert.equal(clockInstances, s.onTime.byStage.reduce((n: number, g: any) => n + g.met + g.breached, 0));
      // A filter that matches none of the cases leaves none of their duties.
      const none = (await k.as('specialist').get(`/api/v1/reports/statistics?${Q}&department=sales`)).body;
      assert.deepEqual(none.onTime.byDuty, []);
    });
  });
}
