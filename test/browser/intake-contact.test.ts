/**
 * Intake knows the caller (issue 13 §1 and §4) in the console: typing the number of a customer
 * with an open case offers "add this call to this case"; confirming adds the typed description
 * to that case as one add_contact event (no new case) and starts the form over. On a resolved
 * case an editor (specialist) gets 转为经验, which makes a draft article and opens it in the
 * library; an agent does not get the button. Screenshots in the three languages at 1366×768 and
 * on a phone: test-output/screenshots/intake-contact/<lang>-<screen>.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { apiPost, apiToken, browserSkip, settled, startConsole, SHOTS, type Console } from './support.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'intake-contact');
const LANGS = ['zh-CN', 'zh-TW', 'en'] as const;
const PHONE = { 'zh-CN': '13900005551', 'zh-TW': '13900005552', en: '13900005553' } as const;

describe('add a call to an open case, and turn a case into experience, in the console', { skip }, () => {
  let k: Console;
  const openCase: Record<string, { id: string; number: string }> = {};
  let resolvedNumber = '';
  before(async () => {
    k = await startConsole();
    mkdirSync(DIR, { recursive: true });
    const [agent, specialist, handler] = (await Promise.all(['agent', 'specialist', 'handler'].map((u) => apiToken(k.base, u)))) as [string, string, string];
    for (const lang of LANGS) {
      const c = (await apiPost(k.base, agent, '/api/v1/complaints', { channel: 'phone', description: '热水器安装师傅多收了两百元安装费。', complainant: { name: '王女士', phone: PHONE[lang] } })).complaint;
      openCase[lang] = { id: c.id, number: c.number };
    }
    const c = (await apiPost(k.base, agent, '/api/v1/complaints', { channel: 'phone', description: '快递延误五天没有送达，电话13900006666。', complainant: { name: '测试客户', phone: '13900006666' } })).complaint;
    resolvedNumber = c.number;
    const act = (auth: string, action: string, body: unknown) => apiPost(k.base, auth, `/api/v1/complaints/${c.id}/actions/${action}`, body);
    await act(specialist, 'judge', { valid: true });
    await act(specialist, 'classify', { category: 'timeliness', grade: 'general', customerClass: 'B' });
    await act(specialist, 'route', { departmentCode: 'logistics', primaryHandlerId: k.userIds.get('handler'), backupHandlerId: k.userIds.get('handler2') });
    await act(handler, 'accept', {});
    await act(handler, 'investigate', { facts: '配送站排班不足', cause: '旺季运力不足', responsibility: { type: 'department', departmentCode: 'logistics' } });
    const proposed = await act(handler, 'propose', { solutions: ['apology'], amount: 0, description: '致歉并优先派送' });
    if (proposed.complaint.state === 'awaiting_approval') await act(await apiToken(k.base, 'deptmanager'), 'approve', { comment: '同意' });
    await act(handler, 'answer', { text: '已安排当天送达并致歉。', method: 'phone' });
  });
  after(async () => {
    await k?.close();
  });

  const events = (id: string) => k.app.database.db.selectFrom('complaint_events').selectAll().where('complaint_id', '=', id).orderBy('seq').execute();
  const caseCount = async () =>
    Number(
      (
        await k.app.database.db
          .selectFrom('complaints')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  for (const lang of LANGS) {
    it(`adds the call to the caller's open case instead of a new one (${lang})`, async () => {
      const page = await k.as('agent');
      await page.evaluate((l) => localStorage.setItem('kesu.lang', l), lang);
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.goto('/intake');
      await page.locator('#intake_complainant_phone').fill(`+86 ${PHONE[lang].slice(0, 3)} ${PHONE[lang].slice(3, 7)} ${PHONE[lang].slice(7)}`);
      const panel = page.getByTestId('caller-history');
      await panel.getByTestId('caller-add-contact').waitFor();
      assert.match(await panel.innerText(), new RegExp(openCase[lang]!.number));
      const said = '客户再次来电：安装费至今没有退还，要求今天答复。';
      await page.locator('#intake_w_what').fill(said);
      await panel.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(DIR, `${lang}-desktop-history.png`) });

      const before = await caseCount();
      await page.setViewportSize({ width: 390, height: 844 });
      await panel.getByTestId('caller-add-contact').scrollIntoViewIfNeeded();
      await panel.getByTestId('caller-add-contact').click();
      const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('caller-add-contact-text') });
      await modal.waitFor();
      assert.match(await modal.innerText(), new RegExp(said));
      assert.match(await modal.innerText(), lang === 'en' ? /No new case is created/ : lang === 'zh-TW' ? /不新建案件/ : /不新建案件/);
      await settled(page);
      await page.screenshot({ path: join(DIR, `${lang}-phone-confirm.png`) });
      await modal.locator('.caller-add-contact-ok').click();
      await panel.getByTestId('caller-contact-added').waitFor();
      await panel.getByTestId('caller-contact-added').scrollIntoViewIfNeeded();
      await settled(page);
      await page.screenshot({ path: join(DIR, `${lang}-phone-added.png`) });
      await page.setViewportSize({ width: 1366, height: 768 });
      await panel.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(DIR, `${lang}-desktop-added.png`) });

      assert.equal(await caseCount(), before, 'no new case');
      const last = (await events(openCase[lang]!.id)).at(-1)!;
      assert.equal(last.action, 'add_contact');
      assert.equal(JSON.parse(last.data).text, said);
      assert.equal(JSON.parse(last.data).channel, 'phone');
      assert.equal(await page.locator('#intake_w_what').inputValue(), '', 'the form starts over');
    });
  }

  for (const lang of LANGS) {
    it(`a specialist turns a resolved case into a draft article in the library (${lang})`, async () => {
      const sp = await k.as('specialist');
      await sp.evaluate((l) => localStorage.setItem('kesu.lang', l), lang);
      await sp.setViewportSize({ width: 1366, height: 768 });
      await sp.goto(`/cases/${resolvedNumber}`);
      const button = sp.getByTestId('case-to-experience');
      await button.waitFor();
      assert.match(await button.innerText(), lang === 'en' ? /Turn into experience/ : lang === 'zh-TW' ? /轉為經驗/ : /转为经验/);
      await sp.screenshot({ path: join(DIR, `${lang}-desktop-case.png`) });
      await sp.setViewportSize({ width: 390, height: 844 });
      await sp.screenshot({ path: join(DIR, `${lang}-phone-case.png`) });
      await sp.setViewportSize({ width: 1366, height: 768 });
      await button.click();
      await sp.waitForURL(/\/knowledge\/[0-9a-f-]+$/);
      await sp.getByTestId('knowledge-article').waitFor();
      const text = await sp.getByTestId('knowledge-article').innerText();
      assert.match(text, /旺季运力不足/, 'the cause came from the case');
      assert.doesNotMatch(text, /13900006666/, 'no personal data');
      await settled(sp);
      await sp.screenshot({ path: join(DIR, `${lang}-desktop-draft.png`) });
    });
  }

  it('an agent gets no 转为经验 button, and the drafts are drafts', async () => {
    const page = await k.as('agent');
    await page.goto(`/cases/${resolvedNumber}`);
    await page.getByTestId('case-actions').waitFor();
    assert.equal(await page.getByTestId('case-to-experience').count(), 0);
    const drafts = await k.app.database.db.selectFrom('knowledge_articles').select(['status']).execute();
    assert.equal(drafts.length, 3);
    assert.ok(drafts.every((d) => d.status === 'draft'));
  });
});
