/**
 * 恶意投诉 flags in the console (issue 13 §3): on a case judged malicious a specialist flags the
 * customer with a reason; the flag shows on the case and, when the agent types the customer's
 * number at intake, beside the form — the registration itself goes on as usual.
 * Screenshots: test-output/screenshots/customer-flags/*.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { apiPost, apiToken, browserSkip, startConsole, SHOTS, type Console } from './support.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'customer-flags');

describe('flagging a malicious customer', { skip }, () => {
  let k: Console;
  let number = '';
  before(async () => {
    k = await startConsole();
    mkdirSync(DIR, { recursive: true });
    const agent = await apiToken(k.base, 'agent');
    const specialist = await apiToken(k.base, 'specialist');
    const created = await apiPost(k.base, agent, '/api/v1/complaints', { channel: 'phone', description: '第十次来电要求赔偿一万元。', complainant: { name: '钱先生', phone: '13712345678' } });
    number = created.complaint.number;
    const reason = (await k.app.activePolicy()).validity.invalidReasons[0]!.code;
    await apiPost(k.base, specialist, `/api/v1/complaints/${created.complaint.id}/actions/judge`, { valid: false, reason, explanation: '经核实诉求与事实不符。', malicious: true });
  });
  after(async () => {
    await k?.close();
  });

  it('a specialist flags the customer on the case; the agent sees the flag at intake', async () => {
    const page = await k.as('specialist');
    await page.goto(`/cases/${number}`);
    await page.getByTestId('customer-flag-set').click();
    await page.getByTestId('customer-flag-reason').fill('多次无理索赔，已判定恶意投诉');
    await page.getByTestId('customer-flag-ok').click();
    const banner = page.getByTestId('customer-flag');
    await banner.waitFor();
    assert.match(await banner.innerText(), /该客户已被标记为恶意投诉[\s\S]*多次无理索赔/);
    assert.equal(await page.getByTestId('customer-flag-set').count(), 0, 'flagged once');
    await page.screenshot({ path: join(DIR, 'zh-CN-case.png') });

    const agent = await k.as('agent');
    await agent.goto('/intake');
    await agent.locator('#intake_complainant_phone').fill('137 1234 5678');
    const atIntake = agent.getByTestId('caller-flag');
    await atIntake.waitFor();
    assert.match(await atIntake.innerText(), /多次无理索赔/);
    await agent.screenshot({ path: join(DIR, 'zh-CN-intake.png') });
  });
});
