/**
 * Policy versions and the holiday calendar through the API: a case keeps the policy version it
 * started under; an administrator adds a holiday year without a code change; a deadline in a
 * year without holiday data is flagged loudly.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';

const preset = readFileSync(new URL('../../policies/kesu-default.yaml', import.meta.url), 'utf8');

for (const { dialect, skip } of await engines()) {
  describe(`policy versions and calendar (${dialect})`, { skip }, () => {
    let k: Kesu;
    before(async () => {
      k = await startKesu(dialect, { start: '2026-11-02T09:00:00+08:00' });
    });
    after(async () => k?.close());

    it('a case keeps the policy version it started under', async () => {
      const old = (await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '旧制度', complainant: { anonymous: true } })).body;
      assert.equal(old.complaint.policyKey, 'kesu-default@2026.1');
      const v2 = preset.replace("version: '2026.1'", "version: '2026.2'").replace(/resolve: 2d(.*)/, 'resolve: 1d$1');
      assert.notEqual(v2, preset);
      const bad = await k.as('agent').post('/api/v1/policy', { text: v2 });
      assert.equal(bad.status, 403, 'only admins change the policy');
      const check = await k.as('admin').post('/api/v1/policy/check', { text: 'id: x\n' });
      assert.equal(check.body.ok, false);
      assert.ok(check.body.problems.length > 1);
      const up = await k.as('admin').post('/api/v1/policy', { text: v2 });
      assert.equal(up.status, 201, JSON.stringify(up.body));
      assert.equal(up.body.key, 'kesu-default@2026.2');
      const fresh = (await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '新制度', complainant: { anonymous: true } })).body;
      assert.equal(fresh.complaint.policyKey, 'kesu-default@2026.2');
      assert.equal(fresh.clocks.find((c: any) => c.kind === 'resolve').duration, '1d');
      // The old case is still measured by the old rules when it is graded.
      const s = k.as('specialist');
      await s.act(old.complaint.id, 'judge', { valid: true });
      const graded = await s.act(old.complaint.id, 'classify', { category: 'attitude', grade: 'general' });
      assert.equal(graded.body.clocks.find((c: any) => c.kind === 'resolve').duration, '2d');
      // The stored 2026.2 is never replaced: other rules under its label are refused and change
      // nothing; the same rules again (a roll-back or re-upload) activate the stored version.
      const sameLabel = v2.replace(/resolve: 1d(.*)/, 'resolve: 3d$1');
      assert.notEqual(sameLabel, v2);
      for (const lang of ['zh-CN', 'en'] as const) {
        const taken = await k.as('admin').post(`/api/v1/policy?lang=${lang}`, { text: sameLabel });
        assert.equal(taken.status, 409, JSON.stringify(taken.body));
        assert.deepEqual(
          taken.body.fields.map((f: any) => f.path),
          ['version'],
        );
        assert.match(taken.body.fields[0].message, lang === 'en' ? /already stored with other rules/ : /已存在且内容不同/);
      }
      const still = (await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '仍是新制度', complainant: { anonymous: true } })).body;
      assert.equal(still.clocks.find((c: any) => c.kind === 'resolve').duration, '1d', 'the refused upload changed nothing');
      const back = await k.as('admin').post('/api/v1/policy', { text: preset });
      assert.ok([200, 201].includes(back.status), JSON.stringify(back.body));
      assert.equal(back.body.key, 'kesu-default@2026.1');
      const again = await k.as('admin').post('/api/v1/policy', { text: v2 });
      assert.ok([200, 201].includes(again.status), JSON.stringify(again.body));
      assert.equal(again.body.key, 'kesu-default@2026.2');
      const broken = await k.as('admin').post('/api/v1/policy', { text: 'id: broken\nversion: "1"\n' });
      assert.equal(broken.status, 422);
      assert.ok(broken.body.fields.length > 1, 'every problem listed');
    });

    it('due times explain themselves; a year without holiday data is flagged until an admin adds it', async () => {
      const agent = k.as('agent');
      const nd = await agent.get(`/api/v1/calendar/due?start=${encodeURIComponent('2026-09-30T10:00:00+08:00')}&duration=2wd&lang=en`);
      assert.equal(nd.status, 200);
      assert.equal(nd.body.due, '2026-10-09T02:00:00.000Z');
      assert.ok(nd.body.explanation.skippedDays.some((d: any) => d.date === '2026-10-01' && d.reason === 'public_holiday'));
      const bad = await agent.get(`/api/v1/calendar/due?start=${encodeURIComponent('2026-09-30T10:00:00+08:00')}&duration=2days`);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.fields[0].path, 'duration');

      const start = encodeURIComponent('2027-01-28T10:00:00+08:00');
      let r = await agent.get(`/api/v1/calendar/due?start=${start}&duration=5wd`);
      assert.deepEqual(r.body.explanation.missingHolidayYears, [2027]);
      assert.match(r.body.explanation.text['zh-CN'], /2027/);
      const year = {
        holidays: ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'],
        workdays: ['2027-01-31'],
      };
      assert.equal((await agent.put('/api/v1/calendar/years/2027', year)).status, 403);
      const wrong = await k.as('admin').put('/api/v1/calendar/years/2027', { holidays: ['not-a-date'] });
      assert.equal(wrong.status, 400);
      const put = await k.as('admin').put('/api/v1/calendar/years/2027', year);
      assert.equal(put.status, 200, JSON.stringify(put.body));
      r = await agent.get(`/api/v1/calendar/due?start=${start}&duration=5wd`);
      assert.deepEqual(r.body.explanation.missingHolidayYears, []);
      // Thu 01-28 10:00 + 5wd ticks Thu 14 h, Fri 24 h, Sun 31 (调休) 24 h, Mon 24 h, Tue 24 h,
      // Wed 10 h → 2027-02-03 10:00; without the adjusted Sunday it would be Thursday.
      assert.equal(r.body.due, '2027-02-03T02:00:00.000Z');
      assert.ok(r.body.explanation.adjustedWorkdays.some((d: any) => d.date === '2027-01-31'));
      const years = await agent.get('/api/v1/calendar/years');
      assert.ok(years.body.added.some((y: any) => y.year === 2027));
    });
  });
}
