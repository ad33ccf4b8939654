/**
 * 我的缺勤 in the web console, in Chromium: the handler opens it from the user menu, records an
 * absence ahead (whole days, a reason), sees it listed as upcoming, and cancels it.
 * Screenshot: test-output/screenshots/absences-mine.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { apiPost, apiToken, browserSkip, optionsOf, startConsole, SHOTS, type Console } from './support.js';

const skip = browserSkip();

/** A date `days` ahead of the real clock (the console's server runs on it), as YYYY-MM-DD. */
function ahead(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe('web console: my absences', { skip }, () => {
  let k: Console;
  before(async () => {
    k = await startConsole();
  });
  after(async () => {
    await k?.close();
  });

  it('records an absence from the user menu, lists it, cancels it', async () => {
    const page = await k.as('handler');
    await page.goto('/queues/handling');
    await page.getByTestId('user-menu').click();
    await page.getByTestId('user-menu-absences').click();
    const dialog = page.getByTestId('my-absences');
    await dialog.getByText('暂无缺勤登记').waitFor();
    const [from, to] = [ahead(30), ahead(32)];
    const inputs = dialog.locator('.ant-picker-range input');
    await inputs.nth(0).click();
    await inputs.nth(0).fill(from);
    await inputs.nth(0).press('Enter');
    await inputs.nth(1).fill(to);
    await inputs.nth(1).press('Enter');
    await page.locator('#absence_reason').fill('年假');
    await page.getByTestId('absence-save').click();
    await dialog.locator('.ant-tag').filter({ hasText: '未开始' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'absences-mine.png') });
    const rows = await k.app.database.db.selectFrom('absences').select(['user_id', 'reason', 'cancelled_at']).execute();
    assert.deepEqual(
      rows.map((r) => [r.user_id, r.reason, r.cancelled_at]),
      [[k.userIds.get('handler'), '年假', null]],
    );
    await page.getByTestId('absence-cancel').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '取消缺勤' }).click();
    await dialog.locator('.ant-tag').filter({ hasText: '已取消' }).waitFor();
  });

  it('the handler pickers tag who is away now', async () => {
    const admin = await apiToken(k.base, 'admin');
    const agent = await apiToken(k.base, 'agent');
    const until = ahead(3);
    await apiPost(k.base, admin, '/api/v1/absences', { userId: k.userIds.get('handler2'), from: new Date().toISOString(), to: until, reason: '病假' });
    const created = await apiPost(k.base, agent, '/api/v1/complaints', { channel: 'phone', description: '快递外包装破损。', complainant: { name: '测试客户', phone: '13900004444' } });
    const page = await k.as('specialist');
    await page.goto(`/cases/${created.complaint.number}`);
    await page.getByTestId('action-triage').click();
    await page.getByTestId('triage-form').waitFor();
    const primaries = await optionsOf(page, 'action_triage_route_primaryHandlerId');
    assert.ok(
      primaries.some((o) => /^吴磊 · .* · 缺勤至 /.test(o)),
      primaries.join(' / '),
    );
    assert.ok(
      primaries.some((o) => /^王强 · /.test(o) && !o.includes('缺勤')),
      primaries.join(' / '),
    );
  });
});
