/**
 * Monthly report bench (issue 11 scale: "a monthly report over 1 M cases must generate in under
 * 1 s on SQLite and on PostgreSQL"): seeds N cases (default 100 000; `--cases 1000000`) received
 * in November 2026 into a fresh database — the `complaints` rows cloned from one real intake, and
 * the analysis facts a real history would leave (`case_facts` one row per case, `clock_facts`
 * triage / resolve / follow-up instances, some breached, some duties), in bulk — then times
 * `statistics()` for the month as the monthly report's run computes it (SYSTEM_ACTOR, trend by
 * day, no filters), a few times, plus once with a department filter. Prints a Markdown table.
 *
 * With `--dashboard` it also seeds each case's events (intake … close, a follow-up call) and its
 * live clock rows, and times the manager dashboard (`reportDashboard`, `GET /api/v1/stats/dashboard`)
 * as a manager who must avoid some cases. With `--profile` it prints each query of one run with
 * its time and its plan (`EXPLAIN QUERY PLAN` / `EXPLAIN ANALYZE`), slowest first (with
 * `--scorecards`, the scorecard page's queries as the department's manager too).
 *
 * With `--scorecards` it also seeds accountability entries — a department of 200 people with 25
 * entries each in November (5 000) among `--entries` in all (default 100 000, the rest in other
 * departments) — and times the scorecard page through the real server (`buildServer`, HTTP by
 * `inject`: sign-in, routing, schema, serialisation) as the department's manager, and as the
 * specialist, who sees every entry (issue 11: "a scorecard page for a 200-person department in
 * under 200 ms").
 *
 * The roll-up job (reports/rollups.ts) makes its first pass after seeding (timed), as `kesu serve`
 * would; `--no-rollups` leaves it out, so the statistics read every case from the facts.
 *
 *   npx tsx bench/reports.ts [--cases 1000000] [--engine sqlite|postgres] [--no-rollups] [--check] [--dashboard] [--profile] [--shared-keys K] [--scorecards [--entries E]]
 */
import { performance } from 'node:perf_hooks';
import { sql, type CompiledQuery, type KyselyPlugin, type QueryId, type RootOperationNode } from 'kysely';
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
import { rollUpReports } from '../src/reports/rollups.js';
import { reportDashboard } from '../src/services/report-dashboard.js';
import { accountabilityScorecards } from '../src/services/accountability.js';
import { SYSTEM_ACTOR, type Actor, type Complaint } from '../src/domain/complaint/types.js';
import type { CaseFactsTable, ClockFactsTable } from '../src/store/schema.js';
import { scratchDatabase } from '../scripts/lib/pg-scratch.js';
import { buildServer } from '../src/http/server.js';

const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const N = Number(arg('--cases') || 0) || 100_000;
const ENGINE = arg('--engine') === 'postgres' ? 'postgres' : 'sqlite';
const BATCH = 500;
const DASHBOARD = args.includes('--dashboard');
const PROFILE = args.includes('--profile');
/** `--shared-keys K`: every case under one of K contact keys (many cases per customer), as cloned histories are. */
const SHARED_KEYS = Number(arg('--shared-keys') || 0);
const SCORECARDS = args.includes('--scorecards');
const ENTRIES = Number(arg('--entries') || 0) || 100_000;
/** `--no-rollups`: time the statistics read from the facts alone (as before migration 0032). */
const ROLLUPS = !args.includes('--no-rollups');
/** `--check`: also compute the figures from the facts alone and compare (the roll-ups must not change one). */
const CHECK = args.includes('--check');

/** Records every query a run makes (the profile then runs each again alone, timed, and reads its plan). */
class QueryLog implements KyselyPlugin {
  readonly queries: { node: RootOperationNode; queryId: QueryId }[] = [];
  transformQuery(a: { node: RootOperationNode; queryId: QueryId }): RootOperationNode {
    this.queries.push(a);
    return a.node;
  }
  async transformResult<R>(a: { result: R }): Promise<R> {
    return a.result;
  }
}

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
    const events: Record<string, unknown>[] = [];
    const live: Record<string, unknown>[] = [];
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
      keys.push({ key: `bench-phone-${SHARED_KEYS ? j % SHARED_KEYS : j % 5 === 0 ? j - 5 * (j % 3) : j}`, complaint_id: id, kind: 'phone' });
      cases.push({ ...template, id, number, received_at: at, state, grade, category: 'attitude', department_code: dept, search_rowid: null, body: JSON.stringify(c) } as typeof template);
      facts.push({
        complaint_id: id,
        number,
        kind: 'complaint',
        channel: j % 3 ? 'phone' : 'web',
        policy_key: template.policy_key,
        category: 'attitude',
        grade,
        department_code: dept,
        customer_class: ['A', 'B', 'C', 'D'][j % 4]!,
        handler_id: null,
        first_responder_id: agent.id,
        state,
        received_at: at,
        first_answered_at: closedAt ? iso(2) : null,
        answered_at: closedAt ? iso(3) : null,
        closed_at: closedAt,
        valid: invalid ? 0 : 1,
        invalid_reason: invalid ? 'facts_contradict' : null,
        malicious: invalid && j % 40 === 0 ? 1 : 0,
        routed: invalid ? 0 : 1,
        first_answer_by_responder: j % 7 === 0 ? 1 : 0,
        first_contact: j % 7 === 0 && !reopened ? 1 : 0,
        handling_mode: !closedAt || invalid ? null : j % 7 === 0 && !reopened ? 'immediate' : reopened ? 'repeated' : breached ? 'overdue' : 'within_limit',
        handling_cycles: reopened ? 2 : 1,
        reopen_count: reopened ? 1 : 0,
        tier: breached ? 2 : 1,
        max_tier: breached ? 2 : 1,
        escalations: breached ? 1 : 0,
        breaches: breached ? 1 : 0,
        resolve_breached: breached ? 1 : 0,
        extensions: j % 30 === 5 ? 1 : 0,
        special_extensions: 0,
        pend_count: pending ? 1 : 0,
        pending_since: pending ? iso(3) : null,
        paused_wms: 0,
        handling_wms: closedAt ? (6 + (j % 40)) * HOUR * 0.4 : null,
        satisfaction: level,
        final_satisfaction: level,
        followup_outcome: level ? (level === 'unsatisfied' ? 'unsatisfied' : 'satisfied') : null,
        score_attitude: level ? 3 + (j % 3) : null,
        score_efficiency: level ? 2 + (j % 4) : null,
        score_result: level ? 3 + (j % 2) : null,
        updated_at: at,
      });
      const clock = (kind: string, h: number, late: boolean, done = true): ClockFactsTable => ({
        complaint_id: id,
        kind,
        started_at: at,
        cycle: 1,
        status: done ? 'stopped' : 'running',
        due_at: iso(h),
        warned_at: null,
        breached_at: late ? iso(h) : null,
        stopped_at: done ? iso(h - 1) : null,
        outcome: late ? 'breached' : done ? 'met' : 'running',
        extensions: 0,
        pauses: 0,
        elapsed_wms: done ? (h - 1) * HOUR : null,
        updated_at: at,
      });
      clocks.push(clock('triage', 2, false), clock('resolve', 24, breached, !!closedAt));
      if (level) clocks.push(clock('follow_up', 72, false));
      if (j % 4 === 0 && closedAt) clocks.push(clock('duty:report_back', 8, j % 16 === 0));
      if (DASHBOARD) {
        // A history's worth of events (the dashboard reads the close and follow-up ones among them).
        const actions = ['receive', 'triage', 'assign', 'note', 'answer', ...(closedAt ? ['close'] : []), ...(closedAt && j % 2 ? ['follow_up'] : [])];
        actions.forEach((action, k) => {
          const when = action === 'close' ? closedAt! : action === 'follow_up' ? iso(50) : iso(k * 0.5);
          const input = action === 'follow_up' ? { satisfaction: level ?? 'unreachable', ...(level ? { scores: { attitude: 3 + (j % 3), efficiency: 2 + (j % 4), result: 3 + (j % 2) } } : {}) } : { note: '基准事件'.repeat(20) };
          events.push({
            complaint_id: id,
            seq: k + 1,
            type: 'transition',
            action,
            actor_id: agent.id,
            actor_name: agent.name,
            at: when,
            from_state: null,
            to_state: null,
            data: JSON.stringify({ input }),
            prev_hash: '0'.repeat(64),
            hash: `${id}:${k}`.padEnd(64, '0'),
          });
        });
        if (!closedAt) {
          // Open cases keep a running resolve clock: a third overdue, some due within the day.
          const due = new Date(Date.parse('2026-12-02T01:00:00Z') + ((j % 3) - 1) * 20 * HOUR).toISOString();
          live.push({ complaint_id: id, kind: 'resolve', status: 'running', started_at: at, due_at: due, next_check_at: due, body: '{}' });
        }
      }
    }
    await database.db.transaction().execute(async (trx) => {
      await trx.insertInto('complaints').values(cases).execute();
      await trx.insertInto('case_facts').values(facts).execute();
      await trx
        .insertInto('contact_keys')
        .values(keys)
        .onConflict((oc) => oc.doNothing())
        .execute();
      for (let k = 0; k < clocks.length; k += BATCH)
        await trx
          .insertInto('clock_facts')
          .values(clocks.slice(k, k + BATCH))
          .execute();
      for (let k = 0; k < events.length; k += 200)
        await trx
          .insertInto('complaint_events')
          .values(events.slice(k, k + 200) as never)
          .execute();
      if (live.length)
        await trx
          .insertInto('clocks')
          .values(live as never)
          .execute();
    });
  }
  const seedS = (performance.now() - seedT) / 1000;
  if (ENGINE === 'postgres') await sql`analyze`.execute(database.db);

  const q = { from: '2026-11-01', to: '2026-11-30', groupBy: 'day' as const, filters: {}, repeatWindowDays: 30 };
  const time = async (label: string, filters = {}, actor: Actor = SYSTEM_ACTOR) => {
    const t = performance.now();
    const s = await statistics(app, actor, { ...q, filters });
    return { label, ms: performance.now() - t, total: s.intake.total, closed: s.handling.closed };
  };
  // The roll-up job's first pass over the seeded month (kesu serve runs it every few minutes).
  let rollS = 0;
  if (ROLLUPS) {
    const t = performance.now();
    const pass = await rollUpReports(app);
    rollS = (performance.now() - t) / 1000;
    if (ENGINE === 'postgres') await sql`analyze`.execute(database.db);
    console.log(`roll-ups: ${pass.rebuilt.length} days, ${pass.cases} cases in ${rollS.toFixed(1)} s (skipped ${pass.skipped.length})`);
  }
  // The dashboard as a manager of one department, who is also the complained-about person of a few cases (回避).
  const manager = actorOf((await findUserByUsername(database.db, 'csmanager'))!);
  const some = await database.db.selectFrom('complaints').select('id').where('number', 'like', 'KS-2026-%0').limit(20).execute();
  await database.db
    .insertInto('complaint_participants')
    .values(some.map((r) => ({ complaint_id: r.id, user_id: manager.id, relation: 'subject' })))
    .execute();
  const runs = [
    await time('monthly, cold'),
    await time('monthly, again'),
    await time('monthly, again'),
    await time('monthly, department filter', { departmentCode: ['sales'] }),
    await time('monthly, as a manager who avoids 20 cases', {}, manager),
  ];
  if (CHECK && ROLLUPS) {
    // The same figures read from the facts alone (the roll-ups' time zone taken away for the run).
    const meta = await database.db.selectFrom('report_rollup_meta').selectAll().execute();
    const fast = [await statistics(app, SYSTEM_ACTOR, q), await statistics(app, manager, q), await statistics(app, SYSTEM_ACTOR, { ...q, filters: { departmentCode: ['sales'] } })];
    await database.db.deleteFrom('report_rollup_meta').execute();
    const t = performance.now();
    const plain = [await statistics(app, SYSTEM_ACTOR, q), await statistics(app, manager, q), await statistics(app, SYSTEM_ACTOR, { ...q, filters: { departmentCode: ['sales'] } })];
    const plainMs = (performance.now() - t) / 3;
    await database.db.insertInto('report_rollup_meta').values(meta).execute();
    const same = JSON.stringify(fast) === JSON.stringify(plain);
    console.log(`check: roll-ups and facts alone ${same ? 'agree' : 'DIFFER'} (facts alone: ${plainMs.toFixed(0)} ms per run)`);
    if (!same) process.exitCode = 1;
  }
  const dash = async (label: string) => {
    const t = performance.now();
    const d = await reportDashboard(app, manager);
    return { label, ms: performance.now() - t, total: d.open.total, closed: d.trend.reduce((s, x) => s + x.closed, 0) };
  };
  if (DASHBOARD) runs.push(await dash('dashboard, cold'), await dash('dashboard, again'), await dash('dashboard, again'));
  if (SCORECARDS) runs.push(...(await scorecards(app, template.policy_key)));
  console.log(`\nMonthly report (statistics of 2026-11), ${ENGINE}, ${N} cases (seeded in ${seedS.toFixed(1)} s${ROLLUPS ? `, rolled up in ${rollS.toFixed(1)} s` : ', no roll-ups'}), Node ${process.version}\n`);
  console.log('| run | cases in cohort (dashboard: open) | closed (dashboard: closed this week) | time |');
  console.log('|---|---:|---:|---:|');
  for (const r of runs) console.log(`| ${r.label} | ${r.total} | ${r.closed} | ${r.ms.toFixed(0)} ms |`);

  if (PROFILE) {
    // One more run of each through a logging handle; then each of its queries alone, timed, with its plan, slowest first.
    const log = new QueryLog();
    const timedApp = createApp({ ...database, db: database.db.withPlugin(log) }, { now: () => new Date('2026-12-02T09:00:00+08:00') });
    const profiles: [string, () => Promise<unknown>][] = [['statistics', () => statistics(timedApp, SYSTEM_ACTOR, q)]];
    if (DASHBOARD) profiles.push(['dashboard', () => reportDashboard(timedApp, manager)]);
    if (SCORECARDS) {
      // The scorecard page's queries as the department's manager (the service the route calls).
      const deptManager = actorOf((await findUserByUsername(database.db, 'deptmanager'))!);
      profiles.push(['scorecards as deptmanager', () => accountabilityScorecards(timedApp, deptManager, { from: '2026-11-01', to: '2026-11-30' })]);
    }
    for (const [label, run] of profiles) {
      log.queries.length = 0;
      const t = performance.now();
      await run();
      const total = performance.now() - t;
      const timed: { c: CompiledQuery; ms: number }[] = [];
      for (const x of log.queries) {
        const c = database.db.getExecutor().compileQuery(x.node, x.queryId);
        const t0 = performance.now();
        // A builder embedded in a raw query (entryPolicyKeys' skip scan) is logged alone too: not a query of its own.
        if (
          !(await database.db.executeQuery(c).then(
            () => true,
            () => false,
          ))
        )
          continue;
        timed.push({ c, ms: performance.now() - t0 });
      }
      timed.sort((a, b) => b.ms - a.ms);
      console.log(`\n### ${label}: ${timed.length} queries, ${total.toFixed(0)} ms (each query below run again alone)\n`);
      for (const { c, ms } of timed) {
        const text = c.sql.replace(/\s+/g, ' ');
        const plan = ENGINE === 'postgres' ? sql.raw(`explain analyze ${c.sql}`) : sql.raw(`explain query plan ${c.sql}`);
        const rows = (await database.db.executeQuery({ ...plan.compile(database.db), parameters: c.parameters })).rows as Record<string, unknown>[];
        console.log(`- ${ms.toFixed(1)} ms: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`);
        for (const r of rows) console.log(`    ${String(r.detail ?? r['QUERY PLAN'])}`);
      }
    }
  }
} finally {
  await database.close();
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The scorecard page (`GET /api/v1/accountability/scorecards` of November) through the server:
 * 200 people of the manager's department with 25 entries each, the rest of `--entries` in 20
 * other departments. Statuses and rules cycle so every column of a card has something to add.
 */
async function scorecards(app: ReturnType<typeof createApp>, policyKey: string) {
  const db = app.database.db;
  const manager = (await findUserByUsername(db, 'deptmanager'))!;
  const dept = manager.departmentCode!;
  const at = '2026-11-01T00:00:00.000Z';
  const people: string[] = [];
  const users = Array.from({ length: 200 }, (_, i) => {
    const id = uuidv7(Date.parse(at) + i);
    people.push(id);
    return {
      id,
      username: `bench-staff-${i}`,
      name: `员工${i}`,
      password_hash: 'x',
      roles: '["handler"]',
      department_code: dept,
      manager_of: '[]',
      approval_levels: '[]',
      locale: 'zh-CN',
      active: 1,
      created_at: at,
      email: null,
      phone: null,
      must_change_password: 0,
      deactivated_at: null,
    };
  });
  await db.insertInto('users').values(users).execute();
  const RULES = ['valid_point', 'resp_fine', 'reopened', 'resolve_breach', 'praise'];
  const STATUSES = ['confirmed', 'confirmed', 'proposed', 'appealed', 'upheld', 'overturned'];
  const start = Date.parse('2026-10-31T16:00:00Z');
  const seedT = performance.now();
  for (let i = 0; i < ENTRIES; i += BATCH) {
    const rows = [];
    for (let j = i; j < Math.min(ENTRIES, i + BATCH); j++) {
      const t = new Date(start + Math.floor((j * 30 * 24 * HOUR) / ENTRIES)).toISOString();
      const mine = j % Math.ceil(ENTRIES / 5000) === 0;
      const rule = RULES[j % RULES.length]!;
      const penalty = rule !== 'praise';
      rows.push({
        id: uuidv7(Date.parse(t)),
        complaint_id: uuidv7(Date.parse(t)),
        complaint_number: `KS-2026-E${j}`,
        policy_key: policyKey,
        source_version: 3,
        source_action: 'judge',
        rule_code: rule,
        trigger: rule,
        effect: penalty ? 'penalty' : 'reward',
        points: 1 + (j % 3),
        amount: rule === 'resp_fine' ? 200 + (j % 7) * 100 : penalty ? 50 : 100,
        amount_min: null,
        amount_max: null,
        person_id: mine ? people[Math.floor(j / Math.ceil(ENTRIES / 5000)) % people.length]! : `bench-other-${j % 4000}`,
        department_code: mine ? dept : `bench_dept_${j % 20}`,
        status: STATUSES[j % STATUSES.length]!,
        dedupe_key: String(j),
        detail: '{}',
        created_at: t,
        updated_at: t,
      });
    }
    await db.insertInto('accountability_entries').values(rows).execute();
  }
  const seedS = (performance.now() - seedT) / 1000;
  if (ENGINE === 'postgres') await sql`analyze accountability_entries`.execute(db);
  const server = await buildServer(app);
  const out: { label: string; ms: number; total: number; closed: number }[] = [];
  try {
    for (const username of ['deptmanager', 'specialist']) {
      const login = await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'kesu-demo' } });
      const token = (login.json() as { token: string }).token;
      for (const run of ['cold', 'again', 'again']) {
        const t = performance.now();
        const r = await server.inject({ method: 'GET', url: '/api/v1/accountability/scorecards?from=2026-11-01&to=2026-11-30', headers: { authorization: `Bearer ${token}` } });
        const ms = performance.now() - t;
        if (r.statusCode !== 200) throw new Error(`scorecards as ${username}: ${r.statusCode} ${r.body}`);
        const body = r.json() as { people: unknown[]; departments: unknown[] };
        out.push({ label: `scorecards as ${username} (${ENTRIES} entries seeded in ${seedS.toFixed(1)} s), ${run} — people / departments`, ms, total: body.people.length, closed: body.departments.length });
      }
    }
  } finally {
    await server.close();
  }
  return out;
}
