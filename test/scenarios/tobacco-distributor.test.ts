/**
 * Seed 001 篇4 (烟草分公司客户投诉处理管理制度) on the `tobacco-distributor` preset, through the API
 * on the official 2026 calendar with the test clock: three working days across the National Day
 * holiday, no extension of an ordinary case, a special case's extension that never takes it past
 * seven working days (with the customer told the new time), an inquiry answered within 24 hours, the department leader signing an
 * important case.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { act, dueOf, intake, lastEvent, outbox, proposed, scenario, triaged } from './support.js';

// Wednesday 2026-09-30 10:00 in Shanghai, the last working day before 国庆节 (10-01…10-07; 10-10 is a 调休 working Saturday).
await scenario('tobacco-distributor', '2026-09-30T10:00:00+08:00', (k) => {
  it('three working days; an ordinary case is not extended; a special case by at most four: seven in all, never more; the customer hears the new time', async () => {
    const v0 = await intake(k(), { description: '订货后卷烟配送延误' });
    const caseId = v0.complaint.id;
    // 四(四): 客户投诉处理期限不能超过三个工作日 — 10-08, 10-09 and the 调休 Saturday 10-10.
    assert.equal(dueOf(v0, 'resolve'), '2026-10-10T02:00:00.000Z');
    await triaged(k(), caseId, { category: 'delivery', grade: 'general' });
    const accepted = await act(k(), 'handler', caseId, 'accept');
    const ask = (input: Record<string, unknown>) => k().as('handler').post(`/api/v1/complaints/${caseId}/actions/request_extension?lang=en`, input);
    // 四(四): 客户投诉处理期限不能超过三个工作日 — an ordinary case is not extended at all: a request
    // without the special mark is refused on `special`, even for one working day, and nothing changes.
    const ordinary = await ask({ reason: '客户要求改期', duration: '1wd' });
    assert.deepEqual([ordinary.status, ordinary.body.fields?.map((f: any) => f.path)], [422, ['special']], JSON.stringify(ordinary.body));
    const unchanged = (await k().as('handler').get(`/api/v1/complaints/${caseId}`)).body;
    assert.deepEqual([unchanged.complaint.version, unchanged.complaint.extensionRequest, dueOf(unchanged, 'resolve')], [accepted.complaint.version, null, '2026-10-10T02:00:00.000Z']);
    // 四(四): 特殊状况不能超过7个工作日 — 3 + 5 would pass seven: refused on its field.
    const over = await ask({ reason: '需县级公司协查', duration: '5wd', special: true });
    assert.equal(over.status, 422, JSON.stringify(over.body));
    assert.deepEqual(
      over.body.fields.map((f: any) => f.path),
      ['duration'],
    );
    await act(k(), 'handler', caseId, 'request_extension', { reason: '需县级公司协查', duration: '4wd', special: true });
    const g = await act(k(), 'deptmanager', caseId, 'grant_extension', {});
    // Seven working days from 09-30 10:00: 10-08, 09, 10, 12, 13, 14, 15.
    assert.equal(dueOf(g, 'resolve'), '2026-10-15T02:00:00.000Z');
    // 004 §四 (the promise to the customer): the new promised time is told, once.
    assert.deepEqual(lastEvent(g).data.promise?.to, '2026-10-15T02:00:00.000Z');
    assert.deepEqual(
      (await outbox(k(), caseId, 'delay_notice')).map((n) => n.payload.dueAt),
      ['2026-10-15T02:00:00.000Z'],
    );
    // Never beyond seven: once the special case has its 4 working days, even one more is refused.
    const more = await ask({ reason: '仍需协查', duration: '1wd', special: true });
    assert.deepEqual([more.status, more.body.fields?.map((f: any) => f.path)], [422, ['duration']], JSON.stringify(more.body));
    assert.equal(dueOf((await k().as('handler').get(`/api/v1/complaints/${caseId}`)).body, 'resolve'), '2026-10-15T02:00:00.000Z');
  });

  it('an inquiry is answered within 24 hours; an important case is signed by the department leader', async () => {
    const q = await intake(k(), { kind: 'inquiry', description: '咨询新品卷烟订货规则' });
    // 四(一): 不能解答的 … 在24小时答复客户.
    assert.equal(dueOf(q, 'resolve'), '2026-10-01T02:00:00.000Z');
    const caseId = (await intake(k(), { description: '客户经理服务态度差' })).complaint.id;
    await triaged(k(), caseId, { category: 'service', grade: 'important' });
    const p = await proposed(k(), caseId);
    // 四(三) 向本部门领导汇报 (preset assumption: the leader signs an important case).
    assert.equal(p.complaint.proposal.requiredLevel, 'department_leader');
    await act(k(), 'deptmanager', caseId, 'approve', {});
  });
});
