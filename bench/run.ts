/**
 * Scale bench: seeds N cases (default 100 000; `--cases 1000000`) into a fresh SQLite file (and a
 * fresh PostgreSQL database with `--pg`), then measures intake through the real service, list
 * queries as different users, and a sweeper pass with a known number of due clocks.
 * Prints a Markdown table to paste into docs/performance.md. Bounded: it stops by itself.
 *
 *   npm run bench -- --cases 200000 --pg
 */
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { createApp } from '../src/services/app.js';
import { seedDemo } from '../src/services/seed-demo.js';
import { receiveComplaint } from '../src/services/receive-complaint.js';
import { listComplaints } from '../src/services/list-complaints.js';
import { sweepDeadlines } from '../src/jobs/deadline-sweeper.js';
import { actorOf, findUserByUsername } from '../src/store/user.repository.js';
import { uuidv7 } from '../src/services/ids.js';
import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../src/store/schema.js';
import type { Actor, Complaint } from '../src/domain/complaint/types.js';
import { receive } from '../src/domain/lifecycle/intake.js';

const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--cases') + 1] || 0) || 100_000;
const withPg = args.includes('--pg');
const DUE = 500;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function time<T>(fn: () => Promise<T>, runs = 20): Promise<{ p50: number; p95: number; last: T }> {
  const xs: number[] = [];
  let last!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    last = await fn();
    xs.push(performance.now() - t);
  }
  return { p50: pct(xs, 50), p95: pct(xs, 95), last };
}

const STATES = ['received', 'classified', 'assigned', 'investigating', 'awaiting_approval', 'implementing', 'answered', 'closed', 'archived', 'archived', 'archived', 'closed'];
const DEPTS = ['customer_service', 'sales', 'operations', 'logistics', 'quality', 'finance', 'it', 'admin'];
const GRADES = ['general', 'general', 'general', 'important', 'major'];

async function seedBulk(database: Database, users: Record<string, string>, now: Date, proto: Complaint): Promise<void> {
  const db = database.db;
  const handlers = Array.from({ length: 200 }, (_, i) => `bench-handler-${i}`);
  const agents = Array.from({ length: 300 }, (_, i) => `bench-agent-${i}`);
  const batch = 1000; // SQLite allows 32 766 bound values per statement
  const span = 730 * 24 * 3600_000;
  let dueLeft = DUE;
  for (let start = 0; start < N; start += batch) {
    const complaints: Insertable<DB['complaints']>[] = [];
    const parts: Insertable<DB['complaint_participants']>[] = [];
    const clocks: Insertable<DB['clocks']>[] = [];
    const search: { rowid?: number; complaint_id: string; tokens: string }[] = [];
    for (let i = start; i < Math.min(N, start + batch); i++) {
      const received = new Date(now.getTime() - span + Math.floor((i / N) * span));
      const at = received.toISOString();
      const id = uuidv7(received.getTime());
      const state = STATES[i % STATES.length]!;
      const dept = DEPTS[i % DEPTS.length]!;
      const handler = state === 'received' || state === 'classified' ? null : i % 1000 === 0 ? users.handler! : handlers[i % handlers.length]!;
      const agent = i % 997 === 0 ? users.agent! : agents[i % agents.length]!;
      const open = !['closed', 'archived'].includes(state);
      const number = `KS-${received.getUTCFullYear()}-B${String(i).padStart(8, '0')}`;
      const body: Complaint = {
        ...proto,
        id,
        number,
        state: state as Complaint['state'],
        description: `性能测试投诉 ${i}：快递破损漏水`,
        grade: GRADES[i % GRADES.length]!,
        departmentCode: dept,
        primaryHandlerId: handler,
        firstResponderId: agent,
        receivedAt: at,
        updatedAt: at,
      };
      complaints.push({
        id,
        number,
        kind: i % 10 === 0 ? 'inquiry' : 'complaint',
        channel: i % 3 ? 'phone' : 'web',
        state,
        grade: GRADES[i % GRADES.length]!,
        category: 'goods_damage_shortage',
        department_code: dept,
        primary_handler_id: handler,
        first_responder_id: agent,
        tier: 1,
        cycle: 1,
        policy_key: 'kesu-default@2026.1',
        title: `性能测试 ${i}`,
        search_text: `性能测试投诉 ${i} 快递破损漏水`,
        received_at: at,
        updated_at: at,
        resolve_due_at: open ? new Date(received.getTime() + 2 * 86400_000).toISOString() : null,
        overdue: open && i % 7 === 0 ? 1 : 0,
        needs_approval: state === 'awaiting_approval' ? 1 : 0,
        version: 1,
        body: JSON.stringify(body),
        search_rowid: database.dialect === 'sqlite' ? i + 1 : null,
      });
      parts.push({ complaint_id: id, user_id: agent, relation: 'first_responder' });
      // The tokens jieba gives for the description below (computed once, not per row, to keep seeding fast).
      const tokens = `${number.toLowerCase().replace(/-/g, ' ')} 性能 测试 投诉 ${i} 快递 破损 漏水`;
      // SQLite: the FTS rowid is chosen here and remembered on the case, as intake does.
      if (database.dialect === 'sqlite') search.push({ rowid: i + 1, complaint_id: id, tokens });
      else search.push({ complaint_id: id, tokens });
      if (handler) parts.push({ complaint_id: id, user_id: handler, relation: 'handler' });
      if (open) {
        // Most open clocks are due in the future; exactly DUE of them are due now.
        const isDue = dueLeft > 0 && i % 50 === 0;
        if (isDue) dueLeft -= 1;
        const due = isDue ? new Date(now.getTime() - 60_000) : new Date(now.getTime() + 86400_000 + (i % 10_000) * 1000);
        clocks.push({
          complaint_id: id,
          kind: 'resolve',
          status: 'running',
          started_at: at,
          due_at: due.toISOString(),
          next_check_at: due.toISOString(),
          body: JSON.stringify({
            complaintId: id,
            kind: 'resolve',
            status: 'running',
            startedAt: at,
            duration: '2d',
            extensions: [],
            pauses: [],
            dueAt: due.toISOString(),
            warnAt: null,
            warnedAt: new Date(now.getTime() - 120_000).toISOString(),
            breachedAt: null,
            stoppedAt: null,
            missingHolidayYears: [],
            explanation: null,
            nextCheckAt: due.toISOString(),
          }),
        });
      }
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('complaints').values(complaints).execute();
      await trx.insertInto('complaint_participants').values(parts).execute();
      if (clocks.length) await trx.insertInto('clocks').values(clocks).execute();
      await (trx as unknown as Kysely<{ complaint_search: { rowid?: number; complaint_id: string; tokens: string } }>).insertInto('complaint_search').values(search).execute();
    });
  }
  if (database.dialect === 'postgres') await analyze(database);
  else await analyze(database);
}

async function analyze(database: Database): Promise<void> {
  const { sql } = await import('kysely');
  await sql`analyze`.execute(database.db);
}

async function run(label: string, database: Database): Promise<string[]> {
  const rows: string[] = [];
  const now = new Date('2026-11-23T10:00:00+08:00');
  await migrateToLatest(database.db);
  const app = createApp(database, { now: () => now });
  await seedDemo(app);
  const actor = async (u: string): Promise<Actor> => actorOf((await findUserByUsername(database.db, u))!);
  const [agent, specialist, handler, deptmanager, followup] = await Promise.all(['agent', 'specialist', 'handler', 'deptmanager', 'followup'].map(actor));
  const t0 = performance.now();
  const policy = await app.activePolicy();
  const proto = receive({ channel: 'phone', description: 'x', complainant: { name: '客户', phone: '13800000000' } }, { id: 'proto', number: 'proto' }, { actor: agent!, now, policy, calendar: await app.calendarFor(policy) }).complaint;
  await seedBulk(database, { agent: agent!.id, handler: handler!.id }, now, proto);
  rows.push(`| ${label} | seed ${N.toLocaleString('en')} cases (bulk insert, not the service) | ${((performance.now() - t0) / 1000).toFixed(1)} s total | |`);

  const intake: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    await receiveComplaint(app, agent!, { channel: 'phone', description: `基准受理 ${i}`, complainant: { name: '客户', phone: '13800000000' } }, `bench-${i}`);
    intake.push(performance.now() - t);
  }
  rows.push(`| ${label} | intake through the service (300 sequential) | p50 ${pct(intake, 50).toFixed(2)} ms | p95 ${pct(intake, 95).toFixed(2)} ms |`);

  const q = async (name: string, a: Actor, f: Parameters<typeof listComplaints>[2], deep = false) => {
    const r = await time(
      async () => {
        let page = await listComplaints(app, a!, f, { limit: 50 });
        if (deep) for (let i = 0; i < 20 && page.nextCursor; i++) page = await listComplaints(app, a!, f, { limit: 50, cursor: page.nextCursor });
        return page.items.length;
      },
      deep ? 5 : 20,
    );
    rows.push(`| ${label} | list: ${name} | p50 ${r.p50.toFixed(2)} ms | p95 ${r.p95.toFixed(2)} ms (${r.last} rows) |`);
  };
  await q('specialist, first page, no filter', specialist!, {});
  await q('specialist, state=investigating', specialist!, { state: ['investigating'] });
  await q('specialist, department=logistics & overdue', specialist!, { departmentCode: ['logistics'], overdue: true });
  await q('specialist, page 21 (20 cursor hops)', specialist!, {}, true);
  await q('agent, received by me (首问)', agent!, { mine: 'first_responder' });
  await q('agent, everything visible to them', agent!, {});
  await q('handler, my queue', handler!, { mine: 'handler' });
  await q('department manager, my department', deptmanager!, {});
  await q('follow-up caller, awaiting follow-up', followup!, { state: ['answered'] });
  await q('specialist, text "漏水 12345" (1 match)', specialist!, { text: '漏水 12345' });
  await q('specialist, text "漏水" (every case matches; first page)', specialist!, { text: '漏水' });

  const t = performance.now();
  let fired = 0;
  for (let i = 0; i < 10; i++) {
    const r = await sweepDeadlines(app, { limit: 200 });
    fired += r.fired.length;
    if (!r.fired.length) break;
  }
  const ms = performance.now() - t;
  rows.push(`| ${label} | sweeper: ${DUE} due clocks among all open ones | ${ms.toFixed(0)} ms for ${fired} transitions | ${(ms / Math.max(1, fired)).toFixed(2)} ms each |`);
  const idle = await time(() => sweepDeadlines(app), 10);
  rows.push(`| ${label} | sweeper pass with nothing due | p50 ${idle.p50.toFixed(2)} ms | p95 ${idle.p95.toFixed(2)} ms |`);
  return rows;
}

const out: string[] = ['| engine | measure | result | |', '|---|---|---|---|'];
const dir = mkdtempSync(join(tmpdir(), 'kesu-bench-'));
try {
  const sqlite = openDatabase({ dataDir: dir });
  out.push(...(await run('SQLite', sqlite)));
  await sqlite.close();
  if (withPg) {
    const name = `kesu_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    await admin.query(`create database ${name}`);
    try {
      const database = openDatabase({ databaseUrl: `postgres://postgres@127.0.0.1:5432/${name}`, dataDir: '' });
      out.push(...(await run('PostgreSQL', database)));
      await database.close();
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(out.join('\n'));
