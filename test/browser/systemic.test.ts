/**
 * 系统性问题 in the console (issue 13 §2): the admin sees the subjects ranked with their trend,
 * drills down to a subject's cases, selects them and opens a problem record (问题单); the record
 * is listed with its state, and the case page shows the 相关投诉 card with the linked cases and
 * the record. Screenshots at 1366×768 and on a phone (390×844) in zh-CN, zh-TW and en:
 * test-output/screenshots/systemic/*.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { apiPost, apiToken, browserSkip, choose, settled, startConsole, SHOTS, type Console } from './support.js';
import { getComplaint, saveComplaint } from '../../src/store/complaint.repository.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'systemic');
const LANGS = ['zh-CN', 'zh-TW', 'en'] as const;

describe('系统性问题 page and the 相关投诉 card', { skip }, () => {
  let k: Console;
  const numbers: string[] = [];
  before(async () => {
    k = await startConsole();
    mkdirSync(DIR, { recursive: true });
    const agent = await apiToken(k.base, 'agent');
    const texts = ['光猫每天晚上自动重启，网络中断', '光猫指示灯闪红，无法上网', '新换的光猫又掉线了', '快递柜门打不开，取不了件', '快递柜扫码无反应'];
    for (const [i, d] of texts.entries()) {
      const product = i < 3 ? 'X1 光猫' : 'Y2 快递柜';
      const c = await apiPost(k.base, agent, '/api/v1/complaints', { channel: 'phone', description: d, complainant: { name: `客户${i}`, phone: `1390000333${i}` }, references: { product } });
      const db = k.app.database.db;
      const body = (await getComplaint(db, c.complaint.id))!;
      await saveComplaint(db, { ...body, category: i < 3 ? 'product_quality' : 'goods_damage_shortage', version: body.version + 1 }, body.version, []); // classified (fixture)
      numbers.push(c.complaint.number);
    }
  });
  after(async () => {
    await k?.close();
  });

  it('ranks, drills down and opens a problem record; the case shows related complaints and the record', async () => {
    const page = await k.as('admin');
    await page.goto('/systemic');
    const ranking = page.getByTestId('systemic-ranking');
    await ranking.locator('tbody tr.ant-table-row').first().waitFor();
    const rows = await ranking.locator('tbody tr.ant-table-row').allInnerTexts();
    assert.equal(rows.length, 2);
    assert.match(rows[0]!, /X1 光猫[\s\S]*3[\s\S]*2[\s\S]*0[\s\S]*\+3/); // 3 cases, 2 linked (to the first by product), none before
    await ranking.locator('tbody tr.ant-table-row').first().click();
    const cases = page.getByTestId('systemic-cases');
    await cases.locator('tbody tr.ant-table-row').nth(2).waitFor();
    await cases.locator('thead .ant-checkbox-input').check();
    await page.getByTestId('open-problem').click();
    await page.locator('#problem_title').fill('X1 光猫批量掉线');
    await page.locator('#problem_action').fill('升级光猫固件并回访客户');
    await choose(page, 'problem_ownerId', '王强');
    await page.locator('#problem_dueDate').fill('2099-12-31');
    await page.locator('#problem_dueDate').press('Enter');
    await page.locator('#problem_reason').fill('三起同类投诉');
    await page.getByRole('button', { name: '开立问题单' }).last().click();
    const list = page.getByTestId('problem-list');
    await list.getByText('X1 光猫批量掉线').waitFor();
    assert.match(await list.innerText(), /整改中[\s\S]*王强[\s\S]*2099-12-31/);
    await settled(page);

    await page.goto(`/cases/${numbers[2]}`);
    const card = page.getByTestId('related-cases');
    await card.waitFor();
    await card.getByTestId('related-problem').waitFor();
    assert.equal(await card.getByTestId('related-case').count(), 2);
    assert.match(await card.innerText(), /同一对象 · 产品[\s\S]*X1 光猫批量掉线|X1 光猫批量掉线[\s\S]*同一对象 · 产品/);
  });

  for (const lang of LANGS)
    for (const [screen, viewport] of [
      ['desktop', { width: 1366, height: 768 }],
      ['phone', { width: 390, height: 844 }],
    ] as const)
      it(`${lang} on ${screen}: the page and the card in one language`, async () => {
        const ctx = await k.browser.newContext({ viewport, locale: lang, baseURL: k.base, isMobile: screen === 'phone', hasTouch: screen === 'phone' });
        try {
          await ctx.addInitScript((l) => localStorage.setItem('kesu.lang', l), lang);
          const page = await ctx.newPage();
          page.setDefaultTimeout(20_000);
          await page.goto('/');
          await page.locator('#login_username').fill('admin');
          await page.locator('#login_password').fill('kesu-demo');
          await page.locator('#login_password').press('Enter');
          await page.getByTestId('whoami').waitFor();
          await page.goto('/systemic');
          await page.getByTestId('systemic-ranking').locator('tbody tr.ant-table-row').first().click();
          await page.getByTestId('systemic-cases').locator('tbody tr.ant-table-row').first().waitFor();
          await page.getByTestId('problem-list').locator('tbody tr.ant-table-row').first().waitFor();
          await settled(page);
          const text = await page.locator('body').innerText();
          if (lang === 'en') assert.match(text, /Systemic issues[\s\S]*Problem records/);
          if (lang === 'zh-TW') assert.match(text, /系統性問題[\s\S]*問題單/);
          assert.ok(!/systemic\.|problem\.|related\./.test(text), 'no catalogue key shown');
          await page.screenshot({ path: join(DIR, `${lang}-${screen}-systemic.png`), fullPage: screen === 'phone' });
          await page.goto(`/cases/${numbers[2]}`);
          await page.getByTestId('related-cases').waitFor();
          await page.getByTestId('related-cases').scrollIntoViewIfNeeded();
          await page.screenshot({ path: join(DIR, `${lang}-${screen}-case.png`) });
        } finally {
          await ctx.close();
        }
      });
});
