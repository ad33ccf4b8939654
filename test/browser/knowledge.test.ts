/**
 * 经验库 and 相似经验与案例 in the console (issue 13 §4/§6): typing a complaint on the intake screen
 * lists the matching experience article and the similar resolved case with why they matched, and
 * a helpful vote is stored; the library page lists, searches and shows an article with its
 * version history; the matched article's phone-script lines appear among the situation scripts of
 * the intake phone-script panel. Screenshots in the three languages at 1366×768 and on a phone:
 * test-output/screenshots/knowledge/<lang>-<screen>.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { apiPost, apiToken, browserSkip, startConsole, SHOTS, type Console } from './support.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'knowledge');
const TEXT = '我买的洗衣机快递延误了四天还没送到，客服也联系不上。';

describe('experience library and matching in the console', { skip }, () => {
  let k: Console;
  let caseNumber = '';
  let articleId = '';
  before(async () => {
    k = await startConsole();
    mkdirSync(DIR, { recursive: true });
    const [agent, specialist, handler] = (await Promise.all(['agent', 'specialist', 'handler'].map((u) => apiToken(k.base, u)))) as [string, string, string];
    const c = (await apiPost(k.base, agent, '/api/v1/complaints', { channel: 'phone', description: '快递延误五天没有送达，要求尽快处理。', complainant: { name: '测试客户', phone: '13900004444' } })).complaint;
    caseNumber = c.number;
    const act = (auth: string, action: string, body: unknown) => apiPost(k.base, auth, `/api/v1/complaints/${c.id}/actions/${action}`, body);
    await act(specialist, 'judge', { valid: true });
    await act(specialist, 'classify', { category: 'timeliness', grade: 'general', customerClass: 'B' });
    await act(specialist, 'route', { departmentCode: 'logistics', primaryHandlerId: k.userIds.get('handler'), backupHandlerId: k.userIds.get('handler2') });
    await act(handler, 'accept', {});
    await act(handler, 'investigate', { facts: '配送站排班不足', cause: '旺季运力不足', responsibility: { type: 'department', departmentCode: 'logistics' } });
    const proposed = await act(handler, 'propose', { solutions: ['apology'], amount: 0, description: '致歉并优先派送' });
    if (proposed.complaint.state === 'awaiting_approval') await act(await apiToken(k.base, 'deptmanager'), 'approve', { comment: '同意' });
    await act(handler, 'answer', { text: '已安排当天送达并致歉。', method: 'phone' });
    const body = {
      title: '快递延误的处理',
      symptom: '客户反映快递延误多日未送达',
      cause: '旺季运力不足',
      steps: ['查询物流轨迹', '联系配送站优先派送', '向客户致歉并告知预计送达时间'],
      scripts: ['非常抱歉让您久等了，我马上为您联系配送站优先派送。'],
      category: 'timeliness',
      products: ['洗衣机'],
      status: 'draft',
    };
    const a = await apiPost(k.base, specialist, '/api/v1/knowledge/articles', body);
    articleId = a.id;
    const put = await fetch(`${k.base}/api/v1/knowledge/articles/${a.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${specialist}` },
      body: JSON.stringify({ ...body, status: 'published', version: 1, note: '审核发布' }),
    });
    assert.equal(put.status, 200, await put.text());
  });
  after(async () => {
    await k?.close();
  });

  for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
    it(`suggests the article and the case while typing, takes a vote, and shows the library (${lang})`, async () => {
      const page = await k.as('agent');
      await page.evaluate((l) => localStorage.setItem('kesu.lang', l), lang);
      await page.goto('/intake');
      await page.locator('#intake_w_what').fill(TEXT);
      const panel = page.getByTestId('knowledge-match');
      await panel.waitFor();
      await panel.getByTestId('match-article').first().waitFor();
      assert.match(await panel.getByTestId('match-article').first().innerText(), /快递延误的处理/);
      assert.match(await panel.getByTestId('match-case').first().innerText(), new RegExp(caseNumber));
      assert.match(await panel.getByTestId('match-case').first().innerText(), /已安排当天送达/);
      const why = await panel.getByTestId('match-why').first().innerText();
      assert.match(why, /延误/);
      assert.doesNotMatch(why, /^(我|的)$/m, 'no function words as reasons');
      assert.match(await panel.innerText(), lang === 'en' ? /Similar experience and cases/ : lang === 'zh-TW' ? /相似經驗與案例/ : /相似经验与案例/);
      // The article's phone-script lines join the situation scripts of the phone-script panel.
      const script = page.getByTestId('phone-script');
      const situation = script.locator('.ant-collapse-header').filter({ hasText: '快递延误的处理' });
      await situation.waitFor();
      assert.match(await situation.innerText(), lang === 'en' ? /from the experience library/ : lang === 'zh-TW' ? /來自經驗庫/ : /来自经验库/);
      await situation.click();
      const line = script.getByText('我马上为您联系配送站优先派送', { exact: false });
      await line.waitFor();
      await page.waitForFunction(() => !document.querySelector('.ant-motion-collapse, [class*="motion-collapse"]'));
      await line.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(DIR, `${lang}-desktop-intake-scripts.png`) });
      await panel.getByTestId('match-helpful').first().click();
      await panel.locator('[data-testid="match-helpful"].ant-btn-primary').first().waitFor();
      await panel.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(DIR, `${lang}-desktop-intake.png`) });
      await page.setViewportSize({ width: 390, height: 844 });
      await panel.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(DIR, `${lang}-phone-intake.png`) });
      await page.setViewportSize({ width: 1366, height: 768 });

      const sp = await k.as('specialist');
      await sp.evaluate((l) => localStorage.setItem('kesu.lang', l), lang);
      await sp.goto(`/knowledge/${articleId}`);
      await sp.getByTestId('knowledge-history').waitFor();
      assert.equal(await sp.getByTestId('knowledge-history').locator('.ant-timeline-item').count(), 2, 'two versions');
      await sp.getByTestId('knowledge-new').waitFor();
      await sp.getByTestId('knowledge-search').locator('input').fill('延误');
      await sp.getByTestId('knowledge-search').locator('input').press('Enter');
      await sp.locator('.ant-table-row').first().waitFor();
      await sp.screenshot({ path: join(DIR, `${lang}-desktop-library.png`) });
      await sp.setViewportSize({ width: 390, height: 844 });
      await sp.screenshot({ path: join(DIR, `${lang}-phone-library.png`) });
      await sp.setViewportSize({ width: 1366, height: 768 });
    });
  }

  it('stored the votes, and the agent (not an editor) sees no edit button', async () => {
    const votes = await k.app.database.db.selectFrom('knowledge_feedback').selectAll().execute();
    assert.equal(votes.length, 1, 'one vote per person and suggestion (the latest counts)');
    assert.equal(votes[0]!.helpful, 1);
    const page = await k.as('agent');
    await page.goto(`/knowledge/${articleId}`);
    await page.getByTestId('knowledge-article').waitFor();
    assert.equal(await page.getByTestId('knowledge-edit').count(), 0);
  });
});
