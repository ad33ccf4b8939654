/**
 * Statements, transactions and SQLite prepares per intake request and per case the outbox
 * dispatcher delivers — counted in-process (fastify.inject, no network), so the figures do not
 * depend on a loaded machine. Complements the CPU profile of `bench:http --profile`.
 *
 *   npx tsx bench/http/statements.ts [sqlite|postgres] [N]
 */
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { startChannelKesu, TestMailbox, TestReceiver } from '../../test/support/channels.js';
import type { Dialect } from '../../src/store/db.js';
import { Session } from 'node:inspector/promises';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summariseProfile } from './profile.js';

const dialect = (process.argv[2] ?? 'sqlite') as Dialect;
const N = Number(process.argv[3] ?? 20);

interface Counts {
  statements: number;
  selects: number;
  writes: number;
  begins: number;
  commits: number;
  prepares: number;
  /** Writes outside any transaction: each is a durable commit of its own. */
  autocommits: number;
}
const zero = (): Counts => ({ statements: 0, selects: 0, writes: 0, begins: 0, commits: 0, prepares: 0, autocommits: 0 });
const verbose = process.env.VERBOSE === '1';
/** Open transactions (approximate on PostgreSQL with concurrent work; exact for sequential requests). */
let open = 0;
let counts = zero();

function count(sqlText: string): void {
  const s = sqlText.trimStart().slice(0, 12).toLowerCase();
  if (verbose) console.log(`  ${open ? 'T' : ' '} ${sqlText.replace(/\s+/g, ' ').slice(0, 160)}`);
  if (s.startsWith('begin')) {
    counts.begins += 1;
    open += 1;
  } else if (s.startsWith('commit')) {
    counts.commits += 1;
    open = Math.max(0, open - 1);
  } else if (s.startsWith('rollback')) open = Math.max(0, open - 1);
  else if (s.startsWith('rollback') || s.startsWith('savepoint') || s.startsWith('release')) return;
  else {
    counts.statements += 1;
    if (s.startsWith('select') || s.startsWith('with')) counts.selects += 1;
    else {
      counts.writes += 1;
      if (!open) counts.autocommits += 1;
    }
  }
}

// SQLite: every statement goes through a prepared Statement (sqlite-driver.ts caches them).
const probe = new SQLite(':memory:');
const stmtProto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown> & { source: string };
/** Time inside better-sqlite3 by statement (its first words), ms: where the synchronous time goes. */
const timeBy = new Map<string, number>();
const timed = <T>(sqlText: string, fn: () => T): T => {
  const t = performance.now();
  try {
    return fn();
  } finally {
    const k = sqlText.replace(/\s+/g, ' ').slice(0, 60);
    timeBy.set(k, (timeBy.get(k) ?? 0) + performance.now() - t);
  }
};
for (const m of ['run', 'all', 'get', 'iterate'] as const) {
  const orig = stmtProto[m]!;
  stmtProto[m] = function (this: { source: string }, ...a: unknown[]) {
    count(this.source);
    return timed(this.source, () => orig.apply(this, a));
  };
}
const dbProto = SQLite.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
const origPrepare = dbProto.prepare!;
dbProto.prepare = function (this: unknown, ...a: unknown[]) {
  counts.prepares += 1;
  return origPrepare.apply(this, a);
};
const origExec = dbProto.exec!;
dbProto.exec = function (this: unknown, ...a: unknown[]) {
  count(String(a[0]));
  return origExec.apply(this, a);
};
probe.close();
// PostgreSQL: every query of the pool goes through Client.query.
const clientProto = pg.Client.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
const origQuery = clientProto.query!;
clientProto.query = function (this: unknown, ...a: unknown[]) {
  const q = a[0];
  count(typeof q === 'string' ? q : String((q as { text?: string })?.text ?? ''));
  return origQuery.apply(this, a);
};

const rx = await TestReceiver.start();
const mail = await TestMailbox.start();
const ck = await startChannelKesu(dialect, {
  settings: { smtpUrl: mail.url, sms: { provider: 'http', url: rx.url('/sms?to={to}'), method: 'POST', body: '{"to":"{to}","text":"{text}"}', headers: {} } },
});
try {
  const body = (n: number) => ({ channel: 'phone', description: `快递送来的洗发水漏了一半 ${n}`, complainant: { name: `客户${n}`, phone: '13800000000', email: `c${n}@example.com` } });
  const intake = async (n: number) => {
    const r = await ck.k.as('agent').post('/api/v1/complaints', body(n), { 'idempotency-key': `stmts-${n}` });
    if (r.status !== 201) throw new Error(`intake ${r.status} ${JSON.stringify(r.body)}`);
  };
  for (let i = 0; i < 3; i++) await intake(i); // warm up: sign-in, jieba, policy, statement caches
  await ck.dispatch();
  if (verbose) {
    console.log('one intake:');
    await intake(99);
    console.log('its dispatch:');
    await ck.dispatch();
  }
  counts = zero();
  // PROFILE=1: a CPU profile of the intakes alone (in-process, no dispatcher running meanwhile).
  const inspector = process.env.PROFILE === '1' ? new Session() : null;
  if (inspector) {
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
    await inspector.post('Profiler.start');
  }
  for (let i = 0; i < N; i++) await intake(100 + i);
  if (inspector) {
    const { profile } = await inspector.post('Profiler.stop');
    const dir = mkdtempSync(join(tmpdir(), 'kesu-intake-prof-'));
    writeFileSync(join(dir, 'intake.cpuprofile'), JSON.stringify(profile));
    console.log(summariseProfile(dir, 25).join('\n'));
  }
  const perIntake = counts;
  const intakeTimes = [...timeBy].sort((a, b) => b[1] - a[1]).slice(0, 8);
  timeBy.clear();
  counts = zero();
  const d = await ck.dispatch();
  const perDispatch = counts;
  const per = (c: Counts) =>
    Object.entries(c)
      .map(([k, v]) => `${k} ${(v / N).toFixed(2)}`)
      .join(', ');
  console.log(`${dialect}: per intake request (${N} sequential): ${per(perIntake)}`);
  if (dialect === 'sqlite') {
    console.log(`${dialect}: time in better-sqlite3 per intake, top statements (ms): ${intakeTimes.map(([k, v]) => `${(v / N).toFixed(2)} ${k}`).join(' | ')}`);
    console.log(
      `${dialect}: time in better-sqlite3 per case delivered, top statements (ms): ${[...timeBy]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([k, v]) => `${(v / N).toFixed(2)} ${k}`)
        .join(' | ')}`,
    );
  }
  console.log(`${dialect}: dispatcher, per case (${d.claimed} claims, ${d.expanded} expanded, ${d.sent} sent): ${per(perDispatch)}`);
} finally {
  await ck.close();
  await mail.close();
  await rx.close();
}
