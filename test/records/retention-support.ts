/** Helpers of the retention tests: cases driven to `archived` through the API. */
import assert from 'node:assert/strict';
import type { Kesu } from '../support/kesu.js';

export const DAY = 86_400_000;

/** An inquiry received, answered, closed and archived; returns its id. */
export async function archivedInquiry(k: Kesu, complainant: Record<string, unknown> = { name: '钱先生', phone: '13800001111' }, description = '请问发票怎么开？'): Promise<string> {
  const a = k.as('agent');
  const r = await a.post('/api/v1/complaints', { channel: 'phone', kind: 'inquiry', description, complainant });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.complaint.id as string;
  assert.equal((await a.act(id, 'answer', { text: '在门店或线上申请，客户电话 13800001111', method: 'phone' })).status, 200);
  assert.equal((await a.act(id, 'close', {})).status, 200);
  assert.equal((await k.as('specialist').act(id, 'archive', {})).status, 200);
  return id;
}

/** A complaint of `grade` handled to the end and archived; returns its id. */
export async function archivedComplaint(k: Kesu, grade: string): Promise<string> {
  const ids = Object.fromEntries(k.userIds);
  const p = await k.app.activePolicy();
  const cat = p.categories.find((c) => c.department) ?? p.categories[0]!;
  const dept = cat.department ?? p.departments[0]!.code;
  const r = await k.as('agent').post('/api/v1/complaints', { channel: 'phone', description: '送货时把冰箱磕坏了，要求赔偿', complainant: { name: '孙女士', phone: '13900002222', idNumber: '110101199001011234' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.complaint.id as string;
  const step = async (user: string, action: string, body: unknown) => {
    const x = await k.as(user).act(id, action, body);
    assert.equal(x.status, 200, `${action}: ${JSON.stringify(x.body)}`);
    return x.body;
  };
  await step('specialist', 'judge', { valid: true });
  await step('specialist', 'classify', { category: cat.code, grade });
  await step('specialist', 'route', { departmentCode: dept, primaryHandlerId: ids.handler, backupHandlerId: ids.handler2 });
  await step('handler', 'accept', {});
  await step('handler', 'investigate', { facts: '司机搬运不当', cause: '未按规范搬运', responsibility: { type: 'department', departmentCode: dept } });
  const proposed = await step('handler', 'propose', { solutions: ['apology'], amount: 0, description: '上门致歉，孙女士接受' });
  if (proposed.complaint.state === 'awaiting_approval') {
    const level = proposed.complaint.proposal.requiredLevel as string;
    let ok = false;
    for (const u of ['deptmanager', 'csmanager', 'gm']) {
      const x = await k.as(u).act(id, 'approve', {});
      if (x.status === 200) {
        ok = true;
        break;
      }
    }
    assert.ok(ok, `no demo approver for ${level}`);
  }
  await step('handler', 'answer', { text: '已上门致歉并维修，孙女士电话 13900002222', method: 'phone' });
  await step('followup', 'follow_up', { reached: true, satisfaction: 'satisfied', scores: { attitude: 5, efficiency: 4, result: 4 } });
  await step('specialist', 'close', { note: '客户满意' });
  await step('specialist', 'archive', {});
  return id;
}
