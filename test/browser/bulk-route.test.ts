/**
 * Bulk 分派 (issue 14) in Chromium: from the triage queue the specialist routes two classified
 * cases and one still to be judged to 吴磊 in one go; the two are routed (each its own `route`
 * event), the third is refused with the server's reason in Chinese and left as it was.
 * Screenshot: test-output/screenshots/workbench/zh-CN-desktop-bulk-route.png.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { apiPost, apiToken, browserSkip, choose, settled, startConsole, SHOTS, type Console } from './support.js';

const skip = browserSkip();
const DIR = join(SHOTS, 'workbench');

describe('bulk 分派 of triaged cases', { skip }, () => {
  let k: Console;
  let ids: Record<string, string>;
  let auth: Record<string, string>;
  const intake = async (description: string) =>
    (await apiPost(k.base, auth.agent!, '/api/v1/complaints', { channel: 'phone', description, complainant: { name: '林先生', phone: '13812345678' } })).complaint as { id: string; number: string };
  const classified = async (description: string) => {
    const c = await intake(description);
    await apiPost(k.base, auth.specialist!, `/api/v1/complaints/${c.id}/actions/judge`, { valid: true });
    await apiPost(k.base, auth.specialist!, `/api/v1/complaints/${c.id}/actions/classify`, { category: 'goods_damage_shortage', grade: 'general' });
    return c;
  };
  before(async () => {
    k = await startConsole();
    ids = Object.fromEntries(k.userIds);
    auth = {};
    for (const u of ['agent', 'specialist']) auth[u] = await apiToken(k.base, u);
    mkdirSync(DIR, { recursive: true });
  });
  after(async () => k?.close());

  it('routes two classified cases in bulk; the one still to be judged is refused with its reason', async () => {
    const trio = [await classified('分派 一：包装破损'), await classified('分派 二：少发配件'), await intake('分派 三：尚未判定')];
    const page = await k.as('specialist');
    await page.goto('/queues/triage');
    const table = page.getByTestId('queue-table');
    for (const c of trio) await table.locator('tr', { hasText: c.number }).locator('.ant-checkbox-input').check();
    await page.getByTestId('bulk-route').click();
    await choose(page, 'bulk_departmentCode', '物流');
    await choose(page, 'bulk_primaryHandlerId', '吴磊');
    await page.getByTestId('bulk-apply').click();
    await page.getByTestId('bulk-results').waitFor();
    await settled(page);
    const row = (n: string) => page.getByTestId('bulk-results').locator('tr', { hasText: n });
    for (const c of trio.slice(0, 2)) await row(c.number).getByText('已完成').waitFor();
    await row(trio[2]!.number).getByText('已拒绝').waitFor();
    const why = (await row(trio[2]!.number).locator('td').nth(2).innerText()).trim();
    assert.ok(why.length > 1 && why !== '—' && /[\u4e00-\u9fff]/.test(why), `the refusal's reason in Chinese: ${why}`);
    assert.match(await page.getByTestId('bulk-counts').innerText(), /完成 2 件，拒绝 1 件/);
    await page.screenshot({ path: join(DIR, 'zh-CN-desktop-bulk-route.png') });
    for (const [i, c] of trio.entries()) {
      const v = await page.evaluate(
        async (n) => (await (await fetch(`/api/v1/complaints/${n}`)).json()) as { complaint: { state: string; primaryHandlerId: string | null; departmentCode: string | null }; timeline: { action: string }[] },
        c.number,
      );
      if (i < 2) {
        assert.deepEqual([v.complaint.state, v.complaint.primaryHandlerId, v.complaint.departmentCode], ['assigned', ids.handler2, 'logistics']);
        assert.equal(v.timeline.filter((e) => e.action === 'route').length, 1, 'each case its own 分派');
      } else {
        assert.equal(v.complaint.state, 'received');
        assert.equal(v.complaint.primaryHandlerId, null);
      }
    }
  });
});
