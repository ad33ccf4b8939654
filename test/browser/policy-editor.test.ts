/**
 * The policy editor in Chromium (issue 14 §10): the administrator changes the general grade's
 * promised time and a category's department in the forms; a bad value (0) is reported under its
 * field by the live check (the server's checker); the review lists both changes old → new; the
 * draft is published under a new label, the history names who published it, and a case taken
 * afterwards through the API runs under the new version with the new limit on its clock. The
 * extension, invalid reasons, grade rise, flag and script sections are forms too (a bad value under its
 * field in each language, the review, the published policy). Leaving
 * with an unpublished draft asks first (the menu, an admin tab, a shortcut, back, a reload).
 * Screenshots at 1366×768 and 390×844 in zh-CN, zh-TW and en: test-output/screenshots/policy-editor/.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { apiToken, apiPost, browserSkip, choose, LANGS, openAs, pressUntilSent, seriousViolations, settled, startConsole, SHOTS, type Console, type Lang } from './support.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'policy-editor');
const TAB = { 'zh-CN': '编辑制度', 'zh-TW': '編輯制度', en: 'Edit policy' };
const CATEGORIES = { 'zh-CN': '类别与分派', 'zh-TW': '類別與分派', en: 'Categories and routing' };
const NOT_ZERO = { 'zh-CN': '时长必须大于 0', 'zh-TW': '時長必須大於 0', en: 'a duration must be greater than zero' };
const SALES = { 'zh-CN': '销售部', 'zh-TW': '銷售部', en: 'Sales' };
const OPERATIONS = { 'zh-CN': '运营部', 'zh-TW': '營運部', en: 'Operations' };
const RESOLVE = '#pe-grades-0-limits-resolve';
describe('web console: policy editor', { skip }, () => {
  let k: Console;

  async function openEditor(lang: Lang, phone = false): Promise<{ page: Page; close: () => Promise<void> }> {
    const o = await openAs(k, 'admin', lang, phone);
    await o.page.goto('/admin');
    await o.page.getByRole('tab').first().waitFor();
    // On a phone the tab may be scrolled out of the tab bar: click it where it is.
    await o.page.getByRole('tab', { name: TAB[lang], exact: true }).evaluate((el) => (el as HTMLElement).click());
    await o.page.getByTestId('policy-editor').waitFor();
    await o.page.locator('[data-testid="pe-history"] .ant-table-row').first().waitFor();
    return o;
  }
  /** A section's tab, clicked where it is (on a phone it may be scrolled out of the tab bar). */
  const openSection = async (page: Page, key: string) => {
    await page.getByTestId(`pe-tab-${key}`).evaluate((el) => (el.closest('[role="tab"]') as HTMLElement).click());
    await page.getByTestId(`pe-section-${key}`).waitFor();
  };
  const status = (page: Page, state: string) => page.locator(`[data-testid="pe-status"][data-state="${state}"]`).waitFor();

  before(async () => {
    mkdirSync(DIR, { recursive: true });
    k = await startConsole();
  });
  after(async () => k?.close());

  it('edits a limit and a category, shows a live problem, reviews the diff, publishes; a new case runs under it', async () => {
    const { page, close } = await openEditor('zh-CN');
    assert.equal(await page.locator(RESOLVE).inputValue(), '2', 'the general grade promises 2 days');
    await page.locator(RESOLVE).fill('0');
    const problem = page.getByTestId('problem-pe-grades-0-limits-resolve');
    await problem.filter({ hasText: NOT_ZERO['zh-CN'] }).waitFor();
    await status(page, 'problems');
    assert.ok(await page.getByTestId('pe-review').isDisabled(), 'no review while the checker finds a problem');
    await settled(page);
    await page.screenshot({ path: join(DIR, 'journey-problem.png') });

    await page.locator(RESOLVE).fill('4');
    await status(page, 'valid');
    await problem.waitFor({ state: 'detached' }); // the problem is gone once the value is fixed

    await openSection(page, 'categories');
    await choose(page, 'pe-categories-0-department', SALES['zh-CN']);
    await status(page, 'valid');

    await page.getByTestId('pe-review').click();
    const diff = page.getByTestId('pe-diff');
    await diff.waitFor();
    await settled(page);
    const rows = await page.getByTestId('pe-change').evaluateAll((els) => els.map((e) => [e.getAttribute('data-path'), e.querySelector('[data-testid="pe-before"]')?.textContent, e.querySelector('[data-testid="pe-after"]')?.textContent]));
    assert.deepEqual(rows, [
      ['categories[0].department', '客服中心 (customer_service)', '销售部 (sales)'],
      ['grades[0].limits.resolve', '2 天 (2d)', '4 天 (4d)'],
    ]);
    assert.equal(await page.locator('#pe-version-label').inputValue(), '2026.1-ed1');
    await page.screenshot({ path: join(DIR, 'journey-review.png') });
    await pressUntilSent(page, page.getByTestId('pe-publish'), '/api/v1/policy/publish');

    const row = page.locator('[data-testid="pe-history"] tr[data-row-key="kesu-default@2026.1-ed1"]');
    await row.getByTestId('pe-history-active').waitFor();
    await row.filter({ hasText: 'admin' }).waitFor();
    await page.getByText('草稿：基于 kesu-default@2026.1-ed1').waitFor();
    await status(page, 'unchanged');
    await settled(page);
    await page.screenshot({ path: join(DIR, 'journey-published.png'), fullPage: true });
    await close();

    // A case taken now runs under the published version, its promised time counted with the new limit.
    const token = await apiToken(k.base, 'agent');
    const taken = await apiPost(k.base, token, '/api/v1/complaints', { channel: 'phone', description: '制度编辑后的新案件', complainant: { anonymous: true } });
    assert.equal(taken.complaint.policyKey, 'kesu-default@2026.1-ed1');
    const resolve = taken.clocks.find((c: { kind: string }) => c.kind === 'resolve');
    assert.equal(resolve.duration, '4d');
    const due = await (await fetch(`${k.base}/api/v1/calendar/due?start=${encodeURIComponent(resolve.startedAt)}&duration=4d`, { headers: { authorization: `Bearer ${token}` } })).json();
    assert.equal(resolve.dueAt, due.due, 'the clock is due where 4 days from the start falls');
    const policy = await k.app.activePolicy();
    assert.equal(policy.categories[0]!.department, 'sales');
  });

  it('edits the calendar in its form: a bad working time is reported under its field, then reviewed as a change', async () => {
    const { page, close } = await openEditor('zh-CN');
    try {
      await openSection(page, 'calendar');
      const end = '#pe-calendar-workingHours-1-end';
      assert.equal(await page.locator(end).inputValue(), '17:30', 'the default afternoon ends at 17:30');
      await page.locator(end).fill('25:00');
      // The server's checker (the reader of `kesu policy check`) words it, under the field.
      await page.getByTestId('problem-pe-calendar-workingHours-1-end').filter({ hasText: '时间应写成 HH:MM' }).waitFor();
      await status(page, 'problems');
      assert.equal((await page.getByTestId('pe-tab-calendar').innerText()).replace(/\s+/g, ''), '日历与节假日1', 'the tab counts its problem');
      await settled(page);
      await page.screenshot({ path: join(DIR, 'calendar-problem.png') });
      await page.locator(end).fill('18:00');
      await page.locator('#pe-calendar-workingWeekdays').focus();
      await page.keyboard.type('星期六');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Escape');
      await status(page, 'valid');
      await page.getByTestId('pe-review').click();
      await page.getByTestId('pe-diff').waitFor();
      const paths = await page.getByTestId('pe-change').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-path')));
      assert.ok(paths.includes('calendar.workingHours[1].end'), paths.join(', '));
      assert.ok(
        paths.some((p) => p?.startsWith('calendar.workingWeekdays')),
        paths.join(', '),
      );
      assert.equal(paths.length, 2, paths.join(', '));
      assert.match(await page.getByTestId('pe-diff').innerText(), /日历与节假日/);
      await settled(page);
      await page.screenshot({ path: join(DIR, 'calendar-review.png') });
      assert.deepEqual(await seriousViolations(page), [], 'axe-core: the review of the calendar change');
    } finally {
      await close();
    }
  });

  it('edits the named calendars in their form: a clock on two calendars is reported under it, a 24-hour desk is published', async () => {
    const { page, close } = await openEditor('zh-CN');
    try {
      await openSection(page, 'calendar');
      await page.getByTestId('pe-add-calendar').click();
      await page.getByTestId('pe-calendar-desk').waitFor();
      await page.getByTestId('pe-add-calendar').click();
      await page.getByTestId('pe-calendar-desk2').waitFor();
      await choose(page, 'pe-calendars-desk-clocks', '判定分级');
      await choose(page, 'pe-calendars-desk2-clocks', '判定分级');
      // The server's checker: one clock counts on one calendar — under the second calendar's clocks.
      await page.getByTestId('problem-pe-calendars-desk2-clocks').filter({ hasText: '已归属日历“desk”' }).waitFor();
      await status(page, 'problems');
      await settled(page);
      await page.screenshot({ path: join(DIR, 'named-calendars-problem.png'), fullPage: true });
      await page.getByTestId('pe-calendar-desk2-remove').click();
      await page.getByTestId('pe-calendar-desk2').waitFor({ state: 'detached' });
      // Renamed on leaving the field; the desk counts around the clock, without holidays.
      await page.locator('#pe-calendars-desk').fill('hotline');
      await page.locator('#pe-calendars-desk-holidays').focus();
      await page.getByTestId('pe-calendar-hotline').waitFor();
      await page.locator('#pe-calendars-hotline-holidays').fill('none');
      await status(page, 'valid');
      await page.getByTestId('pe-review').click();
      await page.getByTestId('pe-diff').waitFor();
      const paths = await page.getByTestId('pe-change').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-path') ?? ''));
      assert.ok(paths.length > 0 && paths.every((p) => p.startsWith('calendars')), paths.join(', '));
      await settled(page);
      assert.deepEqual(await seriousViolations(page), [], 'axe-core: the review of the named calendar');
      await page.getByTestId('pe-publish').click();
      await page.getByTestId('pe-diff').waitFor({ state: 'detached' });
      await status(page, 'unchanged');
      const token = await apiToken(k.base, 'admin');
      const { active } = (await (await fetch(`${k.base}/api/v1/policy`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        active: { calendars: Record<string, { clocks: string[]; holidays?: string; workingWeekdays?: number[]; workingHours?: { start: string; end: string }[] }> };
      };
      assert.deepEqual(Object.keys(active.calendars), ['hotline']);
      assert.deepEqual(active.calendars.hotline!.clocks, ['triage']);
      assert.equal(active.calendars.hotline!.holidays, 'none');
      assert.deepEqual(active.calendars.hotline!.workingWeekdays, [1, 2, 3, 4, 5, 6, 7]);
      assert.deepEqual(active.calendars.hotline!.workingHours, [{ start: '00:00', end: '24:00' }]);
    } finally {
      await close();
    }
    // The published calendar in each language, on a desktop and a phone: one language per screen.
    const WORDS = { 'zh-CN': '其他日历', 'zh-TW': '其他日曆', en: 'Other calendars' };
    for (const lang of LANGS)
      for (const phone of [false, true]) {
        const o = await openEditor(lang, phone);
        try {
          await openSection(o.page, 'calendar');
          await o.page.getByTestId('pe-calendar-hotline').waitFor();
          assert.match(await o.page.getByTestId('pe-named-calendars').innerText(), new RegExp(WORDS[lang]));
          await settled(o.page);
          await o.page.getByTestId('pe-named-calendars').scrollIntoViewIfNeeded();
          await o.page.screenshot({ path: join(DIR, `named-calendars-${lang}-${phone ? 'phone' : 'desktop'}.png`) });
        } finally {
          await o.close();
        }
      }
  });

  it('edits extension, invalid reasons, grade rise and the flags in their forms: problems under their fields in each language, then the review', async () => {
    const { page, close } = await openEditor('zh-CN');
    try {
      // 延期: the ordinary maximum (3 working days) set to 0 — the checker's words under the field.
      await openSection(page, 'extension');
      assert.equal(await page.locator('#pe-extension-max').inputValue(), '3');
      await page.locator('#pe-extension-max').fill('0');
      await page.getByTestId('problem-pe-extension-max').filter({ hasText: NOT_ZERO['zh-CN'] }).waitFor();
      assert.equal((await page.getByTestId('pe-tab-extension').innerText()).replace(/\s+/g, ''), '延期1', 'the tab counts its problem');
      await settled(page);
      await page.screenshot({ path: join(DIR, 'extension-problem.png') });
      await page.locator('#pe-extension-max').fill('4');
      // 无效理由: a new reason with a code the checker refuses, then a good one.
      await openSection(page, 'validity');
      const n = await page.locator('[data-testid^="pe-reason-"]').count();
      await page.getByTestId('pe-add-reason').click();
      await page.locator(`#pe-validity-invalidReasons-${n}-code`).fill('重复');
      await page.getByTestId(`problem-pe-validity-invalidReasons-${n}-code`).filter({ hasText: '代码只能由小写字母' }).waitFor();
      await page.locator(`#pe-validity-invalidReasons-${n}-code`).fill('duplicate');
      await page.locator(`#pe-validity-invalidReasons-${n}-name`).fill('同一事项重复投诉');
      // 等级上升: after 1 month → 2 months.
      await openSection(page, 'gradeRise');
      assert.equal(await page.locator('#pe-gradeRise-0-after').inputValue(), '1');
      await page.locator('#pe-gradeRise-0-after').fill('2');
      // 紧急与恶性: a vicious case at least 重要投诉; an emergency promised within 12 hours.
      await openSection(page, 'flags');
      await choose(page, 'pe-flags-vicious-minGrade', '重要投诉');
      assert.equal(await page.locator('#pe-flags-emergency-limits-resolve').inputValue(), '24');
      await page.locator('#pe-flags-emergency-limits-resolve').fill('12');
      await status(page, 'valid');
      await page.getByTestId('pe-review').click();
      await page.getByTestId('pe-diff').waitFor();
      const paths = await page.getByTestId('pe-change').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-path') ?? ''));
      for (const p of ['extension.max', 'gradeRise[0].after', 'flags.vicious.minGrade', 'flags.emergency.limits.resolve']) assert.ok(paths.includes(p), `${p} in ${paths.join(', ')}`);
      assert.ok(
        paths.some((p) => p.startsWith(`validity.invalidReasons[${n}]`)),
        paths.join(', '),
      );
      const text = await page.getByTestId('pe-diff').innerText();
      for (const section of ['延期', '无效理由', '等级上升', '紧急与恶性']) assert.ok(text.includes(section), `the review names ${section}`);
      await settled(page);
      await page.screenshot({ path: join(DIR, 'rules-review.png') });
      assert.deepEqual(await seriousViolations(page), [], 'axe-core: the review of the rule changes');
      await page.getByTestId('pe-publish').click();
      await page.getByTestId('pe-diff').waitFor({ state: 'detached' });
      await status(page, 'unchanged');
      // Published: the active policy says so.
      const token = await apiToken(k.base, 'admin');
      const { active: policy } = (await (await fetch(`${k.base}/api/v1/policy`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        active: { extension: { max: string }; gradeRise: { after: string }[]; flags: { vicious: { minGrade: string }; emergency: { limits: { resolve: string } } }; validity: { invalidReasons: { code: string }[] } };
      };
      assert.equal(policy.extension.max, '4wd');
      assert.equal(policy.gradeRise[0]!.after, '2mo');
      assert.equal(policy.flags.vicious.minGrade, 'important');
      assert.equal(policy.flags.emergency.limits.resolve, '12h');
      assert.ok(policy.validity.invalidReasons.some((r) => r.code === 'duplicate'));
    } finally {
      await close();
    }
  });

  it('edits the intake script in its form: a step without a code is reported under its field, a changed line is reviewed', async () => {
    const { page, close } = await openEditor('zh-CN');
    try {
      await openSection(page, 'scripts');
      assert.equal(await page.locator('#pe-scripts-phone-0-code').inputValue(), 'greeting');
      const steps = await page.locator('[data-testid^="pe-step-"]').count();
      await page.getByTestId('pe-add-step').click();
      await page.getByTestId(`problem-pe-scripts-phone-${steps}-code`).filter({ hasText: '代码只能由小写字母' }).waitFor();
      await status(page, 'problems');
      await settled(page);
      await page.screenshot({ path: join(DIR, 'scripts-problem.png') });
      await page
        .getByTestId(`pe-step-${steps}`)
        .getByRole('button', { name: /删\s*除/ })
        .first()
        .click();
      await page.locator('#pe-scripts-phone-0-lines-0').fill('您好，客服中心{agent}很高兴为您服务。');
      await status(page, 'valid');
      await page.getByTestId('pe-review').click();
      await page.getByTestId('pe-diff').waitFor();
      const paths = await page.getByTestId('pe-change').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-path')));
      assert.deepEqual(paths, ['scripts.phone[0].lines[0].zh-CN']);
      assert.match(await page.getByTestId('pe-diff').innerText(), /话术/);
    } finally {
      await close();
    }
  });

  for (const lang of LANGS)
    it(`the rule sections in ${lang}: a bad extension reported in that language, on a phone too`, async () => {
      for (const phone of [false, true]) {
        const { page, close } = await openEditor(lang, phone);
        try {
          const name = `${lang}-${phone ? 'phone' : 'desktop'}`;
          for (const section of ['extension', 'validity', 'gradeRise', 'flags', 'scripts']) {
            await openSection(page, section);
            await settled(page);
            await page.screenshot({ path: join(DIR, `${name}-${section}.png`), fullPage: phone });
          }
          await openSection(page, 'extension');
          await page.locator('#pe-extension-specialMax').fill('0');
          await page.getByTestId('problem-pe-extension-specialMax').filter({ hasText: NOT_ZERO[lang] }).waitFor();
          const width = phone ? 390 : 1366;
          const over = await page.getByTestId('pe-section-extension').evaluate((el) => el.getBoundingClientRect().right);
          assert.ok(over <= width, `the section fits the screen (${over} of ${width})`);
        } finally {
          await close();
        }
      }
    });

  it('asks before an unpublished draft is dropped: another page, another admin tab, the back button, closing or reloading', async () => {
    const { page, close } = await openEditor('zh-CN');
    try {
      const ask = page.locator('.ant-modal-confirm').filter({ hasText: '放弃未发布的修改？' });
      const stays = async () => {
        await ask.getByTestId('pe-leave-cancel').click();
        await ask.waitFor({ state: 'detached' });
        assert.equal(new URL(page.url()).pathname, '/admin');
        assert.equal(await page.locator(RESOLVE).inputValue(), '5', 'the draft is still there');
      };
      // Nothing changed yet: leaving and coming back through the menu asks nothing (and leaves a
      // page of the console behind /admin in the history, for the back button below).
      await page.getByRole('menuitem', { name: '工作台' }).click();
      await page.waitForURL(/\/workbench$/);
      await page.getByRole('menuitem', { name: '系统管理' }).click();
      await page.waitForURL(/\/admin$/);
      await page.getByRole('tab', { name: TAB['zh-CN'], exact: true }).click();
      await page.getByTestId('policy-editor').waitFor();
      await page.locator(RESOLVE).fill('5');
      await status(page, 'valid');

      // The menu: asked, with the number of changes; staying keeps the draft.
      await page.getByRole('menuitem', { name: '工作台' }).click();
      await ask.waitFor();
      assert.match(await ask.innerText(), /草稿中有 1 处修改尚未发布/);
      await settled(page);
      await page.screenshot({ path: join(DIR, 'leave-ask.png') });
      await stays();
      // Another tab of the admin page (it would be destroyed with the draft).
      await page.getByRole('tab', { name: '用户', exact: true }).click();
      await ask.waitFor();
      await stays();
      // A keyboard shortcut (g w) and the browser's back button.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('g');
      await page.keyboard.press('w');
      await ask.waitFor();
      await stays();
      await page.goBack();
      await ask.waitFor();
      await stays();
      // Reloading (or closing) the tab: the browser's own question; dismissed, nothing is lost.
      const dialog = page.waitForEvent('dialog');
      await page.evaluate(() => void setTimeout(() => location.reload(), 0));
      const d = await dialog;
      assert.equal(d.type(), 'beforeunload', 'the browser asks before reloading');
      await d.dismiss();
      assert.equal(await page.locator(RESOLVE).inputValue(), '5', 'the draft is still there after the dismissed reload');
      // Leaving after all: the draft goes, the page changes.
      await page.getByRole('menuitem', { name: '工作台' }).click();
      await ask.getByTestId('pe-leave-ok').click();
      await page.waitForURL(/\/workbench$/);
    } finally {
      await close();
    }
  });

  for (const lang of LANGS)
    for (const phone of [false, true]) {
      it(`shows the editor, a live problem and the review in ${lang} (${phone ? 'phone' : '1366×768'})`, async () => {
        const { page, close } = await openEditor(lang, phone);
        const name = `${lang}-${phone ? 'phone' : 'desktop'}`;
        await settled(page);
        await page.screenshot({ path: join(DIR, `${name}.png`), fullPage: phone });
        if (!phone)
          for (const section of ['followUp', 'escalation', 'approval', 'messages']) {
            await openSection(page, section);
            await settled(page);
            await page.screenshot({ path: join(DIR, `${name}-${section}.png`) });
          }
        await openSection(page, 'grades');
        await page.locator(RESOLVE).fill('0');
        await page.getByTestId('problem-pe-grades-0-limits-resolve').filter({ hasText: NOT_ZERO[lang] }).waitFor();
        await settled(page);
        await page.screenshot({ path: join(DIR, `${name}-problem.png`) });
        if (lang === 'zh-CN' && !phone) assert.deepEqual(await seriousViolations(page), [], 'axe-core: the editor with a problem shown');
        await page.locator(RESOLVE).fill('5');
        await openSection(page, 'categories');
        await choose(page, 'pe-categories-1-department', OPERATIONS[lang]);
        await status(page, 'valid');
        await page.getByTestId('pe-review').click();
        await page.getByTestId('pe-diff').waitFor();
        await settled(page);
        assert.equal(await page.getByTestId('pe-change').count(), 2);
        await page.screenshot({ path: join(DIR, `${name}-review.png`) });
        await close();
      });
    }
});
