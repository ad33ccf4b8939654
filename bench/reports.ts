/**
 * Monthly report bench (issue 11 scale: "a monthly report over 1 M cases must generate in under
 * 1 s on SQLite and on PostgreSQL"): seeds N cases (default 100 000; `--cases 1000000`) received
 * in November 2026 into a fresh database — the `complaints` rows cloned from one real intake, and
 * the analysis facts a real history would leave (`case_facts` one row per case, `clock_facts`
 * triage / resolve / follow-up instances, some breached, some duties), in bulk — then times
 * `statistics()` for the month as the monthly report's run computes it (SYSTEM_ACTOR, trend by
 * day, no filters), a few times, plus once with a department filter. Prints a Markdown table.
 *
 *   npx tsx bench/reports.ts [--cases 1000000] [--engine sqlite|postgres]
 */
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { createApp } from '../src/services/app.js';
import { seedDemo } from '../src/services/seed-demo.js';
import { receiveComplaint } from '../src/services/receive-complaint.js';
import { actorOf, findUserByUsername } from '../src/store/user.repository.js';
import { uuidv7 } from '../src/services/ids.js';
import { statistics } from '../src/reports/statistics.js';
import { SYSTEM_ACTOR, type Complaint } from '../src/domain/complaint/types.js';
import type { CaseFactsTable, ClockFactsTable } from '../src/store/schema.js';
import { scratchDatabase } from '../scripts/lib/pg-scratch.js';

const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const N = Number(arg('--cases') || 0) || 100_000;
const ENGINE = arg('--engine') === 'postgres' ? 'postgres' : 'sqlite';
const BATCH = 500;

const dir = mkdtempSync(join(tmpdir(), 'kesu-reports-bench-'));
const pg = ENGINE === 'postgres' ? await scratchDatabase('kesu_bench_reports') : null;
const database = openDatabase({ dataDir: dir, ...(pg ? { databaseUrl: pg.url } : {}) });
const HOUR = 3_600_000;
const DEPTS = ['customer_service', 'sales', 'operations', 'logistics', 'quality'];
const GRADES = ['general', 'general', 'general', 'important', 'major'];
const LEVELS = ['very_satisfied', 'satisfied', 'satisfied', 'neutral', 'unsatisfied'];
try {
  await migrateToLatest(database.db);
  const app = createApp(database, { now: () => new Date('2026-12-02T09:00:00+08:00') });
  await seedDemo(app);
  const agent = actorOf((await findUserByUsername(database.db, 'agent'))!);
  await receiveComplaint(app, agent, { channel: 'phone', description: '基准报表', complainant: { name: '客户', phone: '13800000000' } });
  const template = await database.db.selectFrom('complaints').selectAll().executeTakeFirstOrThrow();
  const body = JSON.parse(template.body) as Complaint;
  // November 2026 in Shanghai, the cases spread evenly over it.
  const start = Date.parse('2026-10-31T16:00:00Z');
  const step = (30 * 24 * HOUR) / N;
  const seedT = performance.now();
  for (let i = 0; i < N; i += BATCH) {
    const cases: (typeof template)[] = [];
    const facts: CaseFactsTable[] = [];
    const clocks: ClockFactsTable[] = [];
    // One phone key per case; one customer in five calls again (the repeat-rate query's work).
    const keys: { key: string; complaint_id: string; kind: string }[] = [];
    for (let j = i; j < Math.min(N, i + BATCH); j++) {
      const t = start + Math.floor(j * step);
      const at = new Date(t).toISOString();
      const iso = (h: number) => new Date(t + h * HOUR).toISOString();
      const id = uuidv7(t);
      const number = `KS-2026-${String(j + 2).padStart(8, '0')}`;
      const invalid = j % 20 === 0;
      const open = j % 10 === 1;
      const pending = j % 50 === 3;
      const breached = j % 9 === 0;
      const reopened = j % 25 === 4;
      const state = pending ? 'pending' : open ? 'investigating' : 'closed';
      const dept = DEPTS[j % DEPTS.length]!;
      const grade = GRADES[j % GRADES.length]!;
      const closedAt = state === 'closed' ? iso(6 + (j % 40)) : null;
      const level = invalid || !closedAt ? null : LEVELS[j % LEVELS.length]!;
      const c = { ...body, id, number, receivedAt: at, state, grade, category: 'attitude', departmentCode: dept };
      keys.push({ key: `bench-phone-${j % 5 === 0 ? j - 5 * (j % 3) : j}`, complaint_id: id, kind: 'phone' });
      cases.push({ ...template, id, number, received_at: at, state, grade, category: 'attitude', department_code: dept, search_rowid: null, body: JSON.stringify(c) } as typeof template);
      facts.push({
        complaint_id: id, number, kind: 'complaint', channel: j % 3 ? 'phone' : 'web', policy_key: template.policy_key, category: 'attitude', grade, department_code: dept,
        customer_class: ['A', 'B', 'C', 'D'][j % 4]!, handler_id: null, first_responder_id: agent.id, state, received_at: at,
        first_answered_at: closedAt ? iso(2) : null, answered_at: closedAt ? iso(3) : null, closed_at: closedAt,
        valid: invalid ? 0 : 1, invalid_reason: invalid ? 'facts_contradict' : null, malicious: invalid && j % 40 === 0 ? 1 : 0, routed: invalid ? 0 : 1,
        first_answer_by_responder: j % 7 === 0 ? 1 : 0, first_contact: j % 7 === 0 && !reopened ? 1 : 0,
        handling_mode: !closedAt || invalid ? null : j % 7 === 0 && !reopened ? 'immediate' : reopened ? 'repeated' : breached ? 'overdue' : 'within_limit',
        handling_cycles: reopened ? 2 : 1, reopen_count: reopened ? 1 : 0, tier: breached ? 2 : 1, max_tier: breached ? 2 : 1, escalations: breached ? 1 : 0, breaches: breached ? 1 : 0,
        resolve_breached: breached ? 1 : 0, extensions: j % 30 === 5 ? 1 : 0, special_extensions: 0, pend_count: pending ? 1 : 0, pending_since: pending ? iso(3) : null, paused_wms: 0,
        handling_wms: closedAt ? (6 + (j % 40)) * HOUR * 0.4 : null, satisfaction: level, final_satisfaction: level, followup_outcome: level ? (level === 'unsatisfied' ? 'unsatisfied' : 'satisfied') : null,
        score_attitude: level ? 3 + (j % 3) : null, score_efficiency: level ? 2 + (j % 4) : null, score_result: level ? 3 + (j % 2) : null, updated_at: at,
      });
      const clock = (kind: string, h: number, late: boolean, done = true): ClockFactsTable => ({
        complaint_id: id, kind, started_at: at, cycle: 1, status: done ? 'stopped' : 'running', due_at: iso(h), warned_at: null, breached_at: late ? iso(h) : null,
        stopped_at: done ? iso(h - 1) : null, outcome: late ? 'breached' : done ? 'met' : 'running', extensions: 0, pauses: 0, elapsed_wms: done ? (h - 1) * HOUR : null, updated_at: at,
      });
      clocks.push(clock('triage', 2, false), clock('resolve', 24, breached, !!closedAt));
      if (level) clocks.push(clock('follow_up', 72, false));
      if (j % 4 === 0 && closedAt) clocks.push(clock('duty:report_back', 8, j % 16 === 0));
    }
    await database.db.transaction().execute(async (trx) => {
      await trx.insertInto('complaints').values(cases).execute();
      await trx.insertInto('case_facts').values(facts).execute();
      await trx.insertInto('contact_keys').values(keys).onConflict((oc) => oc.doNothing()).execute();
      for (let k = 0; k < clocks.length; k += BATCH) await trx.insertInto('clock_facts').values(clocks.slice(k, k + BATCH)).execute();
    });
  }
  const seedS = (performance.now() - seedT) / 1000;
  if (ENGINE === 'postgres') await (await import('kysely')).sql`analyze`.execute(database.db);

  const q = { from: '2026-11-01', to: '2026-11-30', groupBy: 'day' as const, filters: {}, repeatWindowDays: 30 };
  const time = async (label: string, filters = {}) => {
    const t = performance.now();
    const s = await statistics(app, SYSTEM_ACTOR, { ...q, filters });
    return { label, ms: performance.now() - t, total: s.intake.total, closed: s.handling.closed };
  };
  const runs = [await time('monthly, cold'), await time('monthly, again'), await time('monthly, again'), await time('monthly, department filter', { departmentCode: ['sales'] })];
  console.log(`\nMonthly report (statistics of 2026-11), ${ENGINE}, ${N} cases (seeded in ${seedS.toFixed(1)} s), Node ${process.version}\n`);
  console.log('| run | cases in cohort | closed | time |');
  console.log('|---|---:|---:|---:|');
  for (const r of runs) console.log(`| ${r.label} | ${r.total} | ${r.closed} | ${r.ms.toFixed(0)} ms |`);
} finally {
  await database.close();
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
}
