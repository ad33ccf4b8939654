/**
 * The console's keyboard shortcuts in Chromium (web/src/app/shortcuts.ts): `n` opens the intake,
 * `g` `w` the workbench, `g` `q` the first queue, `g` `d` my duties, `/` the search (this page's,
 * else the 全部 queue's) without typing the slash, `?` the help — and none of them fires while
 * the focus is in a field or while a dialog is open. In a queue `j` / `k` move the current row,
 * Enter opens its case, `a` accepts it (签收) when the case allows it and says why not otherwise;
 * on the case page Escape goes back to the queue and its row, and `a` accepts the case shown with
 * the same confirmation and refusal: a complaint triaged and accepted from the queues by keyboard
 * alone. The help dialog lists what the user has (a handler has no intake), by scope, in each
 * language, at 1366×768 (whole, without scrolling) and on a phone (opened from the user menu
 * there), with no serious or critical axe-core violation:
 * test-output/screenshots/shortcuts/<lang>-<screen>-help.png, …-queue-current.png, …-case-accept.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { apiPost, apiToken, browserSkip, choose, LANGS, openAs, seriousViolations, settled, SHOTS, startConsole, type Console } from './support.js';
import { keyCap, shortcutsFor } from '../../web/src/app/shortcuts.js';
import { ACTIONS } from '../../src/domain/lifecycle/machine.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'shortcuts');
type Words = { title: string; action: Record<string, string>; scope: Record<string, string>; cannotAccept: string; acceptConfirm: string };
const words = (lang: string) => JSON.parse(readFileSync(`web/src/i18n/locales/${lang}.json`, 'utf8')).shortcuts as Words;
const locale = (lang: string) => JSON.parse(readFileSync(`web/src/i18n/locales/${lang}.json`, 'utf8')) as { state: Record<string, string>; case: { done: string } };
/** i18next's {{name}} filled in, as the console does. */
const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => values[k] ?? '');
/** A help row's text: the accept row names the action by the lifecycle's label. */
const helpText = (lang: (typeof LANGS)[number], id: string) => fill(words(lang).action[id]!, { action: ACTIONS.accept.label[lang] });

/** Takes the focus away from any field, as a click on the page's background does. */
const leaveFields = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
const path = (page: Page) => new URL(page.url()).pathname;
const help = (page: Page) => page.getByTestId('shortcuts-help');
const workbenchShown = (page: Page) => page.getByTestId('workbench-items').locator('a').first().waitFor();

/** The help dialog's rows as [shortcut id, keys, text]. */
async function rows(page: Page): Promise<string[][]> {
  return help(page)
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-shortcut-row') ?? '', [...tr.querySelectorAll('kbd')].map((k) => k.textContent).join(' '), tr.querySelectorAll('td')[1]!.textContent ?? '']));
}

/** The queue's current row: its case id and whether it has the focus. */
const currentRow = (page: Page) =>
  page.evaluate(() => {
    const tr = document.querySelector<HTMLElement>('[data-testid="queue-table"] tr[data-current="true"]');
    return { id: tr?.dataset.rowKey ?? null, focused: !!tr && document.activeElement === tr };
  });

/**
 * Presses j until the case `id` is the queue's current row, and k back up if j reached the end
 * first (the queue's order of two cases due at the same time is not the test's to choose). Each
 * press waits until the current row has moved before it looks (the page renders the move after
 * the key; under load that is later than the next look).
 */
async function selectByKeys(page: Page, id: string): Promise<void> {
  await page.locator(`[data-testid="queue-table"] tr[data-row-key="${id}"]`).waitFor();
  // Keys go to an open dialog, menu or popover first (useShortcuts.ts): a confirmation still
  // closing takes them, so wait as a person would until it is gone.
  await page.waitForFunction(() => !document.querySelector('[aria-modal="true"], .ant-dropdown:not(.ant-dropdown-hidden), .ant-popover:not(.ant-popover-hidden)'));
  const shown = await page.locator('[data-testid="queue-table"] tbody tr[data-row-key]').count();
  for (const key of ['j', 'k']) {
    // A live refresh of the list may move the current row meanwhile: room for a second walk.
    for (let i = 0; i <= 3 * shown + 3; i++) {
      const before = (await currentRow(page)).id;
      if (before === id) return;
      await page.keyboard.press(key);
      const moved = await page
        .waitForFunction(
          (prev) => {
            const tr = document.querySelector<HTMLElement>('[data-testid="queue-table"] tr[data-current="true"]');
            return !!tr && tr.dataset.rowKey !== prev;
          },
          before,
          { timeout: 5000 },
        )
        .then(
          () => true,
          () => false,
        );
      if (!moved) break; // the end of the list in this direction
    }
  }
  const now = (await currentRow(page)).id;
  if (now !== id) throw new Error(`j and k never reached ${id} (the current row is ${now})`);
}

/** Presses Tab until the element with this test id has the focus (keyboard only, as a person walks the page). */
async function tabTo(page: Page, testId: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
  }
  throw new Error(`Tab never reached ${testId}`);
}

describe('keyboard shortcuts of the console', { skip }, () => {
  let k: Console;
  before(async () => {
    k = await startConsole();
    mkdirSync(DIR, { recursive: true });
  });
  after(async () => k?.close());

  it('go to pages and the search by keyboard, never while typing or over a dialog', async () => {
    const { page, close } = await openAs(k, 'specialist', 'zh-CN');
    try {
      await workbenchShown(page);
      await leaveFields(page);

      await page.keyboard.press('n');
      await page.waitForURL(/\/intake$/);
      // The intake puts the focus in its channel field: g w there is typing, not a shortcut.
      await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'combobox');
      await page.keyboard.press('g');
      await page.keyboard.press('w');
      assert.equal(path(page), '/intake', 'no shortcut while the focus is in a field');
      await page.keyboard.press('Escape');
      await leaveFields(page);
      await page.keyboard.press('g');
      await page.keyboard.press('w');
      await page.waitForURL(/\/workbench$/);
      await workbenchShown(page);

      // `/` on a page without a search box: the 全部 queue, its search box focused, no slash typed.
      await leaveFields(page);
      await page.keyboard.press('/');
      await page.waitForURL(/\/queues\/all$/);
      await page.waitForFunction(() => document.activeElement?.closest('[data-shortcut="search"]') != null);
      await page.keyboard.type('KS-2026?');
      const search = page.locator('[data-shortcut="search"] input');
      assert.equal(await search.inputValue(), 'KS-2026?', 'the slash is not typed, the question mark in a field is text');
      assert.equal(await help(page).count(), 0, '? in a field opens no help');
      await search.fill('');
      // `/` on a page with one: that box, here and now.
      await leaveFields(page);
      await page.keyboard.press('/');
      assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-shortcut="search"]') != null), true, 'the search box has the focus');

      // `?`: the help lists this user's shortcuts; keys do nothing while it is open; Escape closes it.
      await leaveFields(page);
      await page.keyboard.press('?');
      await help(page).waitFor();
      await settled(page);
      const user = { roles: ['specialist'] }; // the demo specialist (seed-demo.ts)
      assert.deepEqual(
        await rows(page),
        shortcutsFor(user).map((s) => [s.id, s.keys.map(keyCap).join(' '), helpText('zh-CN', s.id)]),
      );
      await page.keyboard.press('g');
      await page.keyboard.press('d');
      await page.keyboard.press('n');
      assert.equal(path(page), '/queues/all', 'no shortcut while the help is open');
      await page.keyboard.press('Escape');
      await help(page).waitFor({ state: 'detached' });

      await page.keyboard.press('g');
      await page.keyboard.press('q');
      await page.waitForURL(/\/queues\/triage$/);
      await page.keyboard.press('g');
      await page.keyboard.press('d');
      await page.waitForURL(/\/duties$/);

      // The experience library's search box answers `/` too.
      await page.goto('/knowledge');
      await page.getByTestId('knowledge-search').waitFor();
      await leaveFields(page);
      await page.keyboard.press('/');
      await page.waitForFunction(() => document.activeElement?.closest('[data-shortcut="search"]') != null);
      assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-testid="knowledge-search"]') != null), true, "the library's search box has the focus");
    } finally {
      await close();
    }
  });

  it('a complaint triaged and accepted from the queues by keyboard alone; a refused accept; nothing while typing', async () => {
    const [agent, specialist, handler] = await Promise.all(['agent', 'specialist', 'handler'].map((u) => apiToken(k.base, u)));
    const intake = async (description: string) => (await apiPost(k.base, agent!, '/api/v1/complaints', { channel: 'phone', description, complainant: { name: '赵女士', phone: '13700002222' } })).complaint as { id: string; number: string };
    const act = (who: string, id: string, action: string, input: unknown) => apiPost(k.base, who, `/api/v1/complaints/${id}/actions/${action}`, input);
    const stateOf = async (id: string) => ((await (await fetch(`${k.base}/api/v1/complaints/${id}`, { headers: { authorization: `Bearer ${handler}` } })).json()) as { complaint: { state: string } }).complaint.state;
    // Already accepted: `a` on it is politely refused.
    const busy = await intake('快递员把包裹扔在门口，外箱湿透。');
    await act(specialist!, busy.id, 'judge', { valid: true });
    await act(specialist!, busy.id, 'classify', { category: 'attitude', grade: 'general' });
    await act(specialist!, busy.id, 'route', { departmentCode: 'customer_service', primaryHandlerId: k.userIds.get('handler') });
    await act(handler!, busy.id, 'accept', {});
    const c = await intake('9月30日送达的包裹外箱破损，里面的花瓶碎了。');

    // The specialist: 待分诊, j to the case, Enter, Tab to 一步分诊, the form by keys, Escape back.
    {
      const { page, close } = await openAs(k, 'specialist', 'zh-CN');
      try {
        await workbenchShown(page);
        await leaveFields(page);
        await page.keyboard.press('g');
        await page.keyboard.press('q');
        await page.waitForURL(/\/queues\/triage$/);
        await selectByKeys(page, c.id);
        const now = await currentRow(page);
        assert.equal(now.focused, true, 'the current row has the focus');
        const ring = await page.evaluate(() => [...document.querySelectorAll('[data-testid="queue-table"] tr[data-current="true"] > td')].map((td) => getComputedStyle(td).boxShadow));
        assert.ok(ring.length > 0 && ring.every((b) => b.includes('22, 119, 255')), `a visible focus ring on every cell: ${ring.join(' | ')}`);
        await settled(page);
        await page.screenshot({ path: join(DIR, 'zh-CN-desktop-queue-current.png') });
        await page.keyboard.press('Enter');
        await page.waitForURL(new RegExp(`/cases/${c.number}$`));
        await page.getByTestId('action-triage').waitFor();
        await tabTo(page, 'action-triage');
        await page.keyboard.press('Enter');
        const form = page.getByTestId('triage-form');
        await form.waitFor();
        await choose(page, 'action_triage_classify_category', '货损');
        await form
          .locator('label.ant-radio-button-wrapper')
          .filter({ hasText: /^一般投诉$/ })
          .locator('input')
          .focus();
        await page.keyboard.press('Space');
        await choose(page, 'action_triage_route_primaryHandlerId', '王强');
        await form.getByTestId('action-submit').focus();
        await page.keyboard.press('Enter');
        await form.waitFor({ state: 'detached' });
        await page.locator('[data-testid="case-header"][data-state="assigned"]').waitFor();
        await leaveFields(page);
        await page.keyboard.press('Escape');
        await page.waitForURL(/\/queues\/triage$/);
        await page.getByTestId('queue-table').waitFor();
      } finally {
        await close();
      }
    }

    // The handler: 我的处理, j to the case, a, Enter on the confirmation; a on an accepted case says why not.
    const { page, close } = await openAs(k, 'handler', 'zh-CN');
    try {
      await workbenchShown(page);
      await leaveFields(page);
      await page.keyboard.press('g');
      await page.keyboard.press('q');
      await page.waitForURL(/\/queues\/handling$/);
      // Keys pressed faster than the page renders each count: j j lands on the second row, k k
      // back on the first (the move is made from the state as it is, not as the last render saw it).
      await page.locator(`[data-testid="queue-table"] tr[data-row-key="${c.id}"]`).waitFor();
      await page.locator(`[data-testid="queue-table"] tr[data-row-key="${busy.id}"]`).waitFor();
      const order = await page.locator('[data-testid="queue-table"] tbody tr[data-row-key]').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.rowKey!));
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      await page.waitForFunction((id) => document.querySelector<HTMLElement>('[data-testid="queue-table"] tr[data-current="true"]')?.dataset.rowKey === id, order[1]);
      await page.keyboard.press('k');
      await page.keyboard.press('k');
      await page.waitForFunction((id) => document.querySelector<HTMLElement>('[data-testid="queue-table"] tr[data-current="true"]')?.dataset.rowKey === id, order[0]);
      await selectByKeys(page, c.id);
      await page.keyboard.press('a');
      const confirm = page.getByTestId('accept-confirm');
      await confirm.waitFor();
      await settled(page);
      const label = ACTIONS.accept.label['zh-CN'];
      assert.equal((await page.locator('.ant-modal-confirm-title').innerText()).trim(), fill(words('zh-CN').acceptConfirm, { action: label, number: c.number }));
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'accept-confirm', 'the confirmation has the focus on its button');
      await page.screenshot({ path: join(DIR, 'zh-CN-desktop-queue-accept.png') });
      await page.keyboard.press('Enter');
      const zh = locale('zh-CN');
      await page
        .locator('.ant-message')
        .getByText(fill(zh.case.done, { action: label, state: zh.state.investigating! }))
        .waitFor();
      assert.equal(await stateOf(c.id), 'investigating');

      await selectByKeys(page, busy.id);
      await page.keyboard.press('a');
      await page
        .locator('.ant-message')
        .getByText(fill(words('zh-CN').cannotAccept, { action: label, number: busy.number, state: zh.state.investigating! }))
        .waitFor();
      assert.equal(await page.locator('[aria-modal="true"]').count(), 0, 'no confirmation for a case that does not allow it');
      assert.equal(await stateOf(busy.id), 'investigating', 'nothing changed');

      // k goes back up; Enter opens; Escape comes back to the queue with the row current and focused.
      await page.keyboard.press('k');
      await selectByKeys(page, busy.id);
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`/cases/${busy.number}$`));
      await page.getByTestId('case-header').waitFor();
      await leaveFields(page);
      await page.keyboard.press('Escape');
      await page.waitForURL(/\/queues\/handling$/);
      await page.waitForFunction((id) => document.activeElement?.getAttribute('data-row-key') === id, busy.id);
      assert.deepEqual(await currentRow(page), { id: busy.id, focused: true }, 'back on the row the case was opened from');

      // In the search box j, k and a are letters: the current row stays, nothing opens.
      await page.keyboard.press('/');
      await page.waitForFunction(() => document.activeElement?.closest('[data-shortcut="search"]') != null);
      await page.keyboard.type('jka');
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('[data-shortcut="search"] input').inputValue(), 'jka');
      assert.equal(await page.locator('[aria-modal="true"]').count(), 0);
      assert.equal(new URL(page.url()).pathname, '/queues/handling');
    } finally {
      await close();
    }
  });

  it('on the case page a accepts the case shown after its confirmation, and says why not where the case does not allow it', async () => {
    const [agent, specialist, handler] = await Promise.all(['agent', 'specialist', 'handler'].map((u) => apiToken(k.base, u)));
    const act = (who: string, id: string, action: string, input: unknown) => apiPost(k.base, who, `/api/v1/complaints/${id}/actions/${action}`, input);
    const stateOf = async (id: string) => ((await (await fetch(`${k.base}/api/v1/complaints/${id}`, { headers: { authorization: `Bearer ${handler}` } })).json()) as { complaint: { state: string } }).complaint.state;
    const c = (await apiPost(k.base, agent!, '/api/v1/complaints', { channel: 'phone', description: '维修师傅上门后没有修好空调，第二天又坏了。', complainant: { name: '钱先生', phone: '13700003333' } })).complaint as {
      id: string;
      number: string;
    };
    await act(specialist!, c.id, 'judge', { valid: true });
    await act(specialist!, c.id, 'classify', { category: 'attitude', grade: 'general' });
    await act(specialist!, c.id, 'route', { departmentCode: 'customer_service', primaryHandlerId: k.userIds.get('handler') });
    const { page, close } = await openAs(k, 'handler', 'zh-CN');
    try {
      const zh = locale('zh-CN');
      const label = ACTIONS.accept.label['zh-CN'];
      await page.goto(`/cases/${c.number}`);
      await page.locator('[data-testid="case-header"][data-state="assigned"]').waitFor();
      await leaveFields(page);
      // Escape on the confirmation: nothing happens.
      await page.keyboard.press('a');
      await page.getByTestId('accept-confirm').waitFor();
      assert.equal((await page.locator('.ant-modal-confirm-title').innerText()).trim(), fill(words('zh-CN').acceptConfirm, { action: label, number: c.number }));
      assert.equal((await page.getByTestId('accept-case-title').innerText()).trim().length > 0, true, 'the confirmation names the case');
      await page.keyboard.press('Escape');
      await page.getByTestId('accept-confirm').waitFor({ state: 'detached' });
      assert.equal(await stateOf(c.id), 'assigned', 'a cancelled confirmation changes nothing');
      await leaveFields(page);
      await page.keyboard.press('a');
      await page.getByTestId('accept-confirm').waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'accept-confirm', 'the confirmation has the focus on its button');
      await settled(page);
      await page.screenshot({ path: join(DIR, 'zh-CN-desktop-case-accept.png') });
      await page.keyboard.press('Enter');
      await page
        .locator('.ant-message')
        .getByText(fill(zh.case.done, { action: label, state: zh.state.investigating! }))
        .waitFor();
      await page.locator('[data-testid="case-header"][data-state="investigating"]').waitFor();
      assert.equal(await stateOf(c.id), 'investigating');
      // Now the case does not allow it: the queue's polite refusal, no confirmation.
      await page.waitForFunction(() => !document.querySelector('[aria-modal="true"]'));
      await leaveFields(page);
      await page.keyboard.press('a');
      await page
        .locator('.ant-message')
        .getByText(fill(words('zh-CN').cannotAccept, { action: label, number: c.number, state: zh.state.investigating! }))
        .waitFor();
      assert.equal(await page.locator('[aria-modal="true"]').count(), 0, 'no confirmation for a case that does not allow it');
      assert.equal(await stateOf(c.id), 'investigating', 'nothing changed');
    } finally {
      await close();
    }
  });

  for (const phone of [false, true]) {
    for (const lang of LANGS) {
      it(`the help dialog in ${lang} (${phone ? 'phone, a handler, from the user menu' : '1366×768, a specialist, by ?'})`, async () => {
        const { page, close } = await openAs(k, phone ? 'handler' : 'specialist', lang, phone);
        try {
          await workbenchShown(page);
          if (phone) {
            await page.getByTestId('user-menu').click();
            await page.getByTestId('user-menu-shortcuts').click();
          } else {
            await leaveFields(page);
            await page.keyboard.press('?');
          }
          await help(page).waitFor();
          await settled(page);
          const w = words(lang);
          assert.equal((await page.locator('.ant-modal-title').innerText()).trim(), w.title);
          const got = await rows(page);
          assert.deepEqual(
            got.map((r) => r[2]),
            got.map((r) => helpText(lang, r[0]!)),
            'every row in the chosen language',
          );
          const pages = ['next', 'previous', 'open', 'accept', 'back', 'acceptCase'];
          assert.deepEqual(
            got.map((r) => r[0]),
            phone ? ['search', 'workbench', 'queue', 'duties', 'help', ...pages] : ['search', 'workbench', 'queue', 'duties', 'intake', 'help', ...pages],
          );
          const headings = await help(page).locator('caption').allInnerTexts();
          assert.deepEqual(
            headings.map((h) => h.trim()),
            ['everywhere', 'queue', 'case'].map((s) => w.scope[s]),
            'a heading per scope',
          );
          assert.deepEqual(await seriousViolations(page, '.ant-modal'), [], 'axe-core: the help dialog');
          const box = (await page.locator('.ant-modal').boundingBox())!;
          const width = phone ? 390 : 1366;
          assert.ok(box.x >= 0 && box.x + box.width <= width, `the dialog fits the screen (${box.x}+${box.width} of ${width})`);
          const overflow = await help(page).evaluate((t) => t.scrollWidth - (t.parentElement?.clientWidth ?? 0));
          assert.ok(overflow <= 1, `the table fits its dialog (${overflow} px over)`);
          if (!phone) {
            // Whole on a 1366×768 screen: the dialog ends above the bottom edge and nothing scrolls.
            assert.ok(box.y >= 0 && box.y + box.height <= 768, `the dialog fits the screen's height (${Math.round(box.y)}+${Math.round(box.height)} of 768)`);
            const scrolls = await page.locator('.ant-modal-wrap').evaluate((w) => w.scrollHeight - w.clientHeight);
            assert.ok(scrolls <= 1, `the dialog does not scroll (${scrolls} px more)`);
            const columns = await help(page).evaluate((t) => new Set([...t.querySelectorAll('table')].map((x) => Math.round(x.getBoundingClientRect().left))).size);
            assert.equal(columns, 2, 'the tables stand in two columns');
          }
          await page.screenshot({ path: join(DIR, `${lang}-${phone ? 'phone' : 'desktop'}-help.png`) });
        } finally {
          await close();
        }
      });
    }
  }
});
