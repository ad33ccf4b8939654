/**
 * Duties for the report tests: seed 000 (policies/kesu-default.yaml) with two case duties created
 * by `answer` — `report_back` due 2 working hours after, `callback` 1 working day after, both owned
 * by the primary handler — written to a temporary file for `startKesu({ policy })`; and the
 * history both the figures' test and the exports' test count (`dutiesMetAndBreached`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { proposedCase, type Kesu } from '../support/kesu.js';
import { sweepDeadlines } from '../../src/jobs/deadline-sweeper.js';

const DUTIES = [
  { code: 'report_back', name: { 'zh-CN': '处理完毕反馈客户中心', 'zh-TW': '處理完畢回饋客戶中心', en: 'Report back' }, on: 'answer', owner: 'primary_handler', due: '2wh', record: 'note' },
  { code: 'callback', name: { 'zh-CN': '回访确认', 'zh-TW': '回訪確認', en: 'Call back' }, on: 'answer', owner: 'primary_handler', due: '1wd', record: 'note' },
];

export function dutiesPolicyFile(): string {
  const p = parse(readFileSync(new URL('../../policies/kesu-default.yaml', import.meta.url), 'utf8'));
  p.version = '2026.1-duty-report';
  p.duties = DUTIES;
  const file = join(mkdtempSync(join(tmpdir(), 'kesu-policy-')), 'duties.yaml');
  writeFileSync(file, stringify(p));
  return file;
}

/** A proposed case (support/kesu.ts) answered by `handler` now, which creates its duties. */
export async function answeredCase(k: Kesu): Promise<string> {
  const id = await proposedCase(k);
  const r = await k.as('handler').act(id, 'answer', { text: '已致歉', method: 'phone' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return id;
}

/** `handler` completes the case's duty of that code now. */
export async function completeDuty(k: Kesu, id: string, code: string): Promise<void> {
  const duties = (await k.as('handler').get(`/api/v1/complaints/${id}/duties`)).body;
  const d = duties.find((x: any) => x.code === code);
  const r = await k.as('handler').post(`/api/v1/complaints/${id}/duties/${d.id}/complete`, { text: '已反馈' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

/**
 * From Mon 2026-03-02 09:00 (the test clock there): three cases answered, so report_back is due
 * 11:00 and callback Tue 09:00. At 10:00 a and b report back and a calls back; at 11:30 the
 * sweeper breaches c's report_back, which c completes at 11:45 (still breached). Leaves the clock
 * at 11:45. Counted: report_back 2 met, 1 breached; callback 1 met, b's and c's open.
 */
export async function dutiesMetAndBreached(k: Kesu): Promise<[string, string, string]> {
  const a = await answeredCase(k);
  const b = await answeredCase(k);
  const c = await answeredCase(k);
  k.clock.set('2026-03-02T10:00:00+08:00');
  await completeDuty(k, a, 'report_back');
  await completeDuty(k, b, 'report_back');
  await completeDuty(k, a, 'callback');
  k.clock.set('2026-03-02T11:30:00+08:00');
  assert.equal((await sweepDeadlines(k.app)).duties?.breached.length, 1);
  k.clock.set('2026-03-02T11:45:00+08:00');
  await completeDuty(k, c, 'report_back');
  return [a, b, c];
}
