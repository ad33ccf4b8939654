/**
 * Shared set-up for the per-preset scenario tests (issue 10, "Done when"): one Kesu per file on a
 * preset of policies/, on the official 2026 calendar with the test clock (never the wall clock),
 * and small steps to drive a case through the HTTP API. Each scenario file asserts its seed's
 * numbers; this file holds no seed rule.
 */
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { sweepDeadlines } from '../../src/jobs/deadline-sweeper.js';

export { sweepDeadlines };
export type { Kesu };

export const HOUR = 3600_000;
export const MINUTE = 60_000;

/** The path of a preset file (policies/<id>.yaml). */
export function presetFile(id: string): string {
  return fileURLToPath(new URL(`../../policies/${id}.yaml`, import.meta.url));
}

/**
 * `describe` once per engine (SQLite, PostgreSQL) around a Kesu started on `preset` at `start`
 * (ISO with an offset). `body` registers its `it`s and reads the server through `get()`.
 */
export async function scenario(preset: string, start: string, body: (get: () => Kesu) => void): Promise<void> {
  for (const { dialect, skip } of await engines()) {
    describe(`${preset} scenarios (${dialect})`, { skip }, () => {
      let k: Kesu;
      before(async () => {
        k = await startKesu(dialect, { start, policy: presetFile(preset) });
      });
      after(async () => k?.close());
      body(() => k);
    });
  }
}

export const id = (k: Kesu, username: string): string => {
  const v = k.userIds.get(username);
  assert.ok(v, `no demo user ${username}`);
  return v;
};

/** Receives a complaint as `who` (default agent); returns the complaint view. */
export async function intake(k: Kesu, more: Record<string, unknown> = {}, who = 'agent'): Promise<any> {
  const r = await k.as(who).post('/api/v1/complaints', { channel: 'phone', description: '客户来电投诉：服务不到位，要求处理。', complainant: { name: '陈女士', phone: '13900001111' }, ...more });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

/** One action as `who`, which must succeed; returns the view after it. */
export async function act(k: Kesu, who: string, caseId: string, action: string, input: Record<string, unknown> = {}): Promise<any> {
  const r = await k.as(who).act(caseId, action, input);
  assert.equal(r.status, 200, `${who} ${action}: ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function view(k: Kesu, caseId: string, who = 'specialist'): Promise<any> {
  const r = await k.as(who).get(`/api/v1/complaints/${caseId}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

/** The clock of `kind` in a view (undefined when the case has none). */
export function clockOf(v: any, kind: string): any {
  return v.clocks.find((c: any) => c.kind === kind);
}

/** Due time (UTC ISO) of a clock that must exist. */
export function dueOf(v: any, kind: string): string {
  const c = clockOf(v, kind);
  assert.ok(c, `no ${kind} clock in ${JSON.stringify(v.clocks.map((x: any) => x.kind))}`);
  return c.dueAt;
}

/** The last timeline event of a view. */
export const lastEvent = (v: any): any => v.timeline[v.timeline.length - 1];

/** Outbox rows of a case (or of none, with caseId null) and template, oldest first. */
export async function outbox(k: Kesu, caseId: string | null, template: string): Promise<{ recipient: any; payload: any }[]> {
  let q = k.app.database.db.selectFrom('outbox').select(['recipient', 'payload']).where('template', '=', template);
  q = caseId === null ? q.where('complaint_id', 'is', null) : q.where('complaint_id', '=', caseId);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({ recipient: JSON.parse(r.recipient), payload: JSON.parse(r.payload) }));
}

export interface Route {
  category: string;
  grade?: string;
  handler?: string;
  backup?: string;
  departmentCode?: string;
}

/** Judged valid, classified and (unless the grade goes straight to a manager) routed. */
export async function triaged(k: Kesu, caseId: string, r: Route, specialist = 'specialist'): Promise<any> {
  await act(k, specialist, caseId, 'judge', { valid: true });
  let v = await act(k, specialist, caseId, 'classify', { category: r.category, ...(r.grade ? { grade: r.grade } : {}) });
  if (v.complaint.state === 'classified') {
    v = await act(k, specialist, caseId, 'route', {
      ...(r.departmentCode ? { departmentCode: r.departmentCode } : {}),
      primaryHandlerId: id(k, r.handler ?? 'handler'),
      ...(r.backup ? { backupHandlerId: id(k, r.backup) } : {}),
    });
  }
  return v;
}

/** Accepted, investigated (responsibility on the case's department) and proposed by `handler`. */
export async function proposed(k: Kesu, caseId: string, handler = 'handler', proposal: Record<string, unknown> = {}): Promise<any> {
  await act(k, handler, caseId, 'accept');
  const v = await view(k, caseId, handler);
  await act(k, handler, caseId, 'investigate', { facts: '经核实属实', cause: '服务流程执行不到位', responsibility: { type: 'department', departmentCode: v.complaint.departmentCode } });
  return act(k, handler, caseId, 'propose', { solutions: ['apology'], amount: 0, description: '向客户致歉并整改', ...proposal });
}

/** Answered to the customer by `handler` (from implementing). */
export async function answered(k: Kesu, caseId: string, handler = 'handler'): Promise<any> {
  return act(k, handler, caseId, 'answer', { text: '已向客户说明处理结果', method: 'phone' });
}
