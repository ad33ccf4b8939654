/**
 * A holiday change that moved a case's promise shows in its timeline (issue 10 §5): the
 * `recalculate_clocks` event by the system, with the clock's due time before and after, in
 * zh-CN, zh-TW and en, at 1366×768 and on a phone; and one that moved nothing but cleared a clock’s
 * missing-holiday-data flag (the year it had assumed was saved) says which clock and year. Screenshots: test-output/screenshots/holiday-recalculation/*.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { apiPost, apiToken, browserSkip, openAs, settled, startConsole, SHOTS, type Console } from './support.js';
import { runningClockRecalculation, latestClockRecalculation } from '../../src/services/recalculate-clocks.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'holiday-recalculation');

describe('a holiday change in the case timeline', { skip }, () => {
  let k: Console;
  let number = '';
  let flagOnly = '';
  // The server's clock: the wall clock, but for the case received in a year without holiday data.
  let at: Date | null = null;
  before(async () => {
    k = await startConsole({ now: () => at ?? new Date() });
    mkdirSync(DIR, { recursive: true });
    const agent = await apiToken(k.base, 'agent');
    // The console runs on the real clock: the suggestion's 5 working days start now, so the next
    // weekday after today (Shanghai) lies inside them; making it a holiday moves the promise.
    const c = await apiPost(k.base, agent, '/api/v1/complaints', { kind: 'suggestion', channel: 'phone', description: '建议延长营业时间', complainant: { name: '王女士', phone: '13912345678' } });
    number = c.complaint.number;
    let day = DateTime.now().setZone('Asia/Shanghai').startOf('day').plus({ days: 1 });
    while (day.weekday > 5) day = day.plus({ days: 1 });
    const admin = await apiToken(k.base, 'admin');
    const before = latestClockRecalculation(k.app);
    const r = await fetch(`${k.base}/api/v1/calendar/years/${day.year}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ holidays: [day.toISODate()], workdays: [] }),
    });
    assert.equal(r.status, 200, await r.text());
    assert.notEqual(latestClockRecalculation(k.app), before);
    const done = await (runningClockRecalculation(k.app) ?? latestClockRecalculation(k.app));
    assert.equal(done?.moved.length, 1);

    // A suggestion received in 2099, a year without holiday data: its 5 working days count on plain
    // weekdays and say so. Saving 2099 with a holiday in October moves nothing, and only clears that flag.
    at = new Date('2099-03-02T10:00:00+08:00');
    const agent2099 = await apiToken(k.base, 'agent');
    const s = await apiPost(k.base, agent2099, '/api/v1/complaints', { kind: 'suggestion', channel: 'phone', description: '建议增加停车位', complainant: { name: '李先生', phone: '13912340000' } });
    flagOnly = s.complaint.number;
    const admin2099 = await apiToken(k.base, 'admin');
    const before2099 = latestClockRecalculation(k.app);
    const r2099 = await fetch(`${k.base}/api/v1/calendar/years/2099`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin2099}` },
      body: JSON.stringify({ holidays: ['2099-10-01'], workdays: [] }),
    });
    assert.equal(r2099.status, 200, await r2099.text());
    assert.notEqual(latestClockRecalculation(k.app), before2099);
    const done2099 = await (runningClockRecalculation(k.app) ?? latestClockRecalculation(k.app));
    assert.deepEqual(done2099?.moved, []);
    at = null;
  });
  after(async () => {
    await k?.close();
  });

  const TEXT = {
    'zh-CN': ['节假日变更，时限重算', '节假日（CN）变更'],
    'zh-TW': ['節假日變更，時限重算', '節假日（CN）變更'],
    en: ['Deadlines recalculated (holidays changed)', 'Holidays CN changed'],
  } as const;
  for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
    for (const phone of [false, true]) {
      it(`the timeline says which clock moved, from when to when (${lang}${phone ? ', phone' : ''})`, async () => {
        const { page, close } = await openAs(k, 'specialist', lang, phone);
        try {
          await page.goto(`/cases/${number}`);
          const event = page.getByTestId('case-timeline').locator('[data-action="recalculate_clocks"]');
          // The action's label comes with the lifecycle lookups, which may arrive after the timeline.
          await event.filter({ hasText: TEXT[lang][0] }).waitFor();
          const text = await event.innerText();
          for (const t of TEXT[lang]) assert.ok(text.includes(t), `${t} in ${text}`);
          assert.match(text, /→/);
          await event.scrollIntoViewIfNeeded();
          await settled(page);
          await page.screenshot({ path: join(DIR, `${lang}-${phone ? 'phone' : 'desktop'}.png`) });
        } finally {
          await close();
        }
      });
    }
  }

  const SUPPLIED = {
    'zh-CN': ['节假日变更，时限重算', '节假日（CN）补录 2099 年', '时限不变'],
    'zh-TW': ['節假日變更，時限重算', '節假日（CN）補錄 2099 年', '時限不變'],
    en: ['Deadlines recalculated (holidays changed)', 'Holidays CN for 2099 now on file', 'due time unchanged'],
  } as const;
  for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
    it(`a recalculation that only cleared the missing-holiday-data flag says so in the timeline (${lang})`, async () => {
      const { page, close } = await openAs(k, 'specialist', lang);
      try {
        await page.goto(`/cases/${flagOnly}`);
        const event = page.getByTestId('case-timeline').locator('[data-action="recalculate_clocks"]');
        await event.filter({ hasText: SUPPLIED[lang][0] }).waitFor();
        const text = await event.innerText();
        for (const t of SUPPLIED[lang]) assert.ok(text.includes(t), `${t} in ${text}`);
        assert.doesNotMatch(text, /→/, 'no clock moved');
        await event.scrollIntoViewIfNeeded();
        await settled(page);
        await page.screenshot({ path: join(DIR, `${lang}-holiday-data-only.png`) });
      } finally {
        await close();
      }
    });
  }
});
