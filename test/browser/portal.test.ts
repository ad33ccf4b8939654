/**
 * The portal in Debian's Chromium on a phone-sized screen: an anonymous customer submits a
 * complaint with a photo, tracks it, a wrong access code gets the same answer as a wrong
 * number; after staff answer through the API the customer rates 不满意 and sees the case
 * reopened; a second submit of the survey (from another tab) is refused.
 *
 * Skipped, with a printed notice, when /usr/bin/chromium is missing — unless
 * KESU_REQUIRE_BROWSER=1, which makes that a failure.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PNG, answerThroughApi, cleanupPolicies, prepareRouting, startChannelKesu, surveyPolicy, type ChannelKesu } from '../support/channels.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let skip: string | false = false;
if (!existsSync(CHROMIUM)) {
  if (process.env.KESU_REQUIRE_BROWSER === '1') throw new Error(`KESU_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk)`);
  skip = `${CHROMIUM} not installed`;
  console.log(`# SKIPPED browser tests: ${CHROMIUM} not installed (apt-get install chromium fonts-noto-cjk; KESU_REQUIRE_BROWSER=1 makes this an error)`);
}

describe('public portal in Chromium on a phone', { skip }, () => {
  let ck: ChannelKesu;
  let browser: Browser;
  let context: BrowserContext;
  let base = '';
  before(async () => {
    ck = await startChannelKesu('sqlite', { policy: surveyPolicy('kesu-default'), start: '2026-09-28T09:00:00+08:00' });
    await prepareRouting(ck.k);
    await ck.k.server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ck.k.server.server.address() as { port: number }).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    context.setDefaultTimeout(15_000);
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await ck?.close();
    cleanupPolicies();
  });

  async function fitsThePhone(page: Page): Promise<void> {
    const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
    assert.ok(scroll <= width, `no sideways scrolling (${scroll} > ${width})`);
  }

  async function track(page: Page, number: string, code: string): Promise<string> {
    await page.goto(`${base}/portal/track`);
    await page.fill('#number', number);
    await page.fill('#code', code);
    await Promise.all([page.waitForLoadState('domcontentloaded'), page.click('button[type=submit]')]);
    return (await page.locator('main').innerText()).trim();
  }

  let number = '';
  let code = '';
  it('an anonymous customer submits a complaint with a photo and gets a number and access code', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/portal`);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    await fitsThePhone(page);
    await page.getByText('提交投诉或建议').click();
    await page.fill('#description', '小区3号楼电梯连续三天停运，物业没有任何通知，老人上下楼很困难。');
    await page.getByLabel('道歉').check();
    await page.check('#anonymous');
    await page.setInputFiles('#files', { name: '电梯停运通知.png', mimeType: 'image/png', buffer: PNG });
    await fitsThePhone(page);
    await Promise.all([page.waitForURL(/\/portal\/submit/), page.getByRole('button', { name: '提交' }).click()]);
    await page.waitForSelector('#case-number');
    number = (await page.textContent('#case-number'))!.trim();
    code = (await page.textContent('#access-code'))!.trim();
    assert.match(number, /^KS-2026-\d{6}$/);
    assert.match(code, /^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    assert.match(await page.locator('main').innerText(), /承诺答复时间/);
    await fitsThePhone(page);
    const row = await ck.k.testDb.database.db.selectFrom('complaints').select('body').where('number', '=', number).executeTakeFirstOrThrow();
    assert.equal(JSON.parse(row.body).complainant.anonymous, true);
    const files = await ck.k.testDb.database.db.selectFrom('attachments').select('name').execute();
    assert.deepEqual(
      files.map((f) => f.name),
      ['电梯停运通知.png'],
    );

    // Track from the result page's button: the number is filled in.
    await page.getByText('查询处理进度').click();
    assert.equal(await page.inputValue('#number'), number);
    await page.fill('#code', code.toLowerCase());
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForSelector('#case-state');
    assert.equal((await page.textContent('#case-state'))!.trim(), '已受理，待核实');
    assert.match(await page.locator('#timeline').innerText(), /投诉已受理/);
    await fitsThePhone(page);
    await page.close();
  });

  it('a wrong access code gets the same answer as a wrong number; the number stays, the code is typed again', async () => {
    const page = await context.newPage();
    const wrongCode = await track(page, number, 'ZZZZ-ZZZZ');
    // The number stays filled in, the code is empty and has the focus: the customer retypes the code only.
    assert.equal(await page.inputValue('#number'), number);
    assert.equal(await page.inputValue('#code'), '');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'code');
    assert.equal(await page.getByRole('textbox', { name: '访问码' }).getAttribute('aria-describedby'), 'track-error');
    await page.keyboard.type(code);
    await Promise.all([page.waitForLoadState('domcontentloaded'), page.keyboard.press('Enter')]);
    await page.waitForSelector('#case-state');
    const [, y, seq] = number.split('-');
    const wrongNumber = await track(page, `KS-${y}-${String(Number(seq) + 731).padStart(6, '0')}`, code);
    assert.match(wrongCode, /受理编号或访问码不正确/);
    assert.equal(wrongCode, wrongNumber);
    await page.close();
  });

  it('after the answer, the customer rates 不满意 and sees the case reopened; a second submit is refused', async () => {
    const id = (await ck.k.testDb.database.db.selectFrom('complaints').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id;
    await answerThroughApi(ck.k, id, '电梯控制柜故障已修复，物业已在楼内张贴致歉说明。');

    const tab1 = await context.newPage();
    const tab2 = await context.newPage();
    for (const tab of [tab1, tab2]) {
      const text = await track(tab, number, code);
      assert.match(text, /已答复，待您评价/);
      assert.match(text, /电梯控制柜故障已修复/);
      await tab.waitForSelector('#survey');
    }
    await fitsThePhone(tab1);
    await tab1.locator('#survey').getByLabel('不满意').first().check();
    await tab1.fill('#comment', '修好后第二天又停了');
    await Promise.all([tab1.waitForLoadState('domcontentloaded'), tab1.getByRole('button', { name: '提交评价' }).click()]);
    await tab1.waitForSelector('#case-state');
    assert.match((await tab1.textContent('#case-state'))!, /重新处理中（第 2 次）/);
    assert.match(await tab1.locator('main').innerText(), /已重新进入处理/);

    const again = await track(tab1, number, code);
    assert.match(again, /重新处理中（第 2 次）/);
    assert.match(again, /您对处理结果不满意，已重新处理/);
    assert.equal(await tab1.locator('#survey').count(), 0, 'no survey while the case is handled again');

    // The same survey sent again from the other tab.
    await tab2.locator('#survey').getByLabel('满意').first().check();
    const [response] = await Promise.all([tab2.waitForResponse((r) => r.url().endsWith('/portal/survey?lang=zh-CN')), tab2.getByRole('button', { name: '提交评价' }).click()]);
    assert.equal(response.status(), 409);
    assert.match(await tab2.locator('main').innerText(), /您已提交过本次评价，不能重复提交/);

    const v = await ck.k.as('specialist').get(`/api/v1/complaints/${id}`);
    assert.equal(v.body.complaint.state, 'investigating');
    assert.equal(v.body.complaint.tier, 2);
    assert.equal(v.body.complaint.followUp.satisfaction, 'unsatisfied');
    await tab1.close();
    await tab2.close();
  });
});
