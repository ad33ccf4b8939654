/**
 * `kesu purge` killed as a real process (issue 15 §2, "resumable after a crash"): a SQLite data
 * folder with 1,500 imported cases — received and closed in 2024, so the general-grade ones
 * (two thirds) have outlived their year and the important ones (three years) have not, and a
 * legal hold over those received in March 2024 — is purged by `kesu purge` in a child process,
 * which is killed with SIGKILL once the database shows its first purges committed and before the
 * last. A second `kesu purge` finishes the work. Then every expired, unheld case has exactly one
 * purge record and one `purged` event; the held and the unexpired cases are untouched (row as
 * before, no purge record); and `kesu audit verify` passes — timelines, heads, case rows and
 * the purge record chain.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { openDatabase, type Database } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createApp } from '../../src/services/app.js';
import { seedDemo } from '../../src/services/seed-demo.js';
import { resolveContactKey } from '../../src/services/contact-keys.js';
import { importLedger } from '../../src/records/import/ledger-import.js';
import { setHold } from '../../src/records/retention-holds.js';
import { actorOf, findUserByUsername } from '../../src/store/user.repository.js';
import { LEDGER_MAPPING, ledgerSheet } from '../../bench/ledger-sheet.js';
import { tmp } from './support.js';

const root = new URL('../..', import.meta.url).pathname;
const N = 1500;

function kesu(args: string[], dataDir: string): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> } {
  const env: NodeJS.ProcessEnv = { ...process.env, KESU_DATA_DIR: dataDir, DATABASE_URL: '' };
  delete env.KESU_AUDIT_KEY;
  delete env.KESU_AUDIT_KEY_FILE;
  delete env.KESU_CONTACT_KEY;
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/kesu.ts'), ...args], { cwd: root, env });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err });
    }),
  );
  return { child, done };
}

describe('kesu purge killed with SIGKILL mid-run (sqlite)', () => {
  let dir: string;
  let database: Database;
  const count = async (q: Promise<{ n: number | string | bigint }>) => Number((await q).n);

  before(async () => {
    dir = tmp('kesu-purge-kill-');
    database = openDatabase({ dataDir: dir });
    const contactKey = resolveContactKey(null, dir);
    await migrateToLatest(database.db, { contactKey });
    // Imported on 2025-06-01: by the real clock the CLI reads (2026-12 or later) a year has passed.
    const app = createApp(database, { now: () => new Date('2025-06-01T00:00:00Z') });
    app.settings.contactKey = contactKey;
    await seedDemo(app);
    const r = await importLedger(app, ledgerSheet(N, { year: 2024, idPrefix: 'K' }), 'kill.csv', { mapping: LEDGER_MAPPING });
    assert.equal(r.created, N);
    const admin = await findUserByUsername(database.db, 'admin');
    await setHold(app, actorOf(admin!), { scope: 'received', from: '2024-03-01T00:00:00+08:00', to: '2024-04-01T00:00:00+08:00', reason: '诉讼保全' });
  });
  after(async () => database?.close());

  it('resumes after the kill: every expired case purged exactly once, held and unexpired ones untouched, the audit verifies', async () => {
    const db = database.db;
    const before = await db.selectFrom('complaints').select(['id', 'grade', 'received_at', 'body']).execute();
    const held = new Set(before.filter((c) => c.received_at >= '2024-02-29T16:00:00.000Z' && c.received_at < '2024-03-31T16:00:00.000Z').map((c) => c.id));
    const expired = before.filter((c) => c.grade === 'general' && !held.has(c.id)).map((c) => c.id);
    const kept = before.filter((c) => !expired.includes(c.id));
    assert.ok(held.size > 50 && expired.length > 500 && kept.length - held.size > 300, `${held.size} held, ${expired.length} expired, ${kept.length} kept`);

    const purged = () =>
      count(
        db
          .selectFrom('purge_records')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow(),
      );
    const first = kesu(['purge', '--max', String(N)], dir);
    // Wait for the first committed purges (read through the database, as another instance would see them).
    let exited = false;
    void first.done.then(() => (exited = true));
    while ((await purged()) < 20 && !exited) await delay(25);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    assert.equal(killed.signal, 'SIGKILL', `the purge ended by itself before the kill: ${killed.out}${killed.err}`);
    const atKill = await purged();
    assert.ok(atKill >= 20 && atKill < expired.length, `killed after ${atKill} of ${expired.length} purges`);

    const second = await kesu(['purge', '--max', String(N)], dir).done;
    assert.equal(second.code, 0, second.err);
    assert.match(second.out, new RegExp(`${expired.length - atKill} case\\(s\\) purged`));

    const records = await db.selectFrom('purge_records').select(['complaint_id']).execute();
    assert.equal(records.length, expired.length);
    assert.deepEqual(records.map((r) => r.complaint_id).sort(), [...expired].sort(), 'one purge record per expired case');
    const events = await db.selectFrom('complaint_events').select('complaint_id').where('type', '=', 'purged').execute();
    assert.deepEqual(events.map((e) => e.complaint_id).sort(), [...expired].sort(), 'one purged event per expired case');
    const after = new Map((await db.selectFrom('complaints').select(['id', 'body']).execute()).map((c) => [c.id, c.body]));
    for (const c of kept) assert.equal(after.get(c.id), c.body, `case ${c.id} (${held.has(c.id) ? 'held' : 'not expired'}) untouched`);
    for (const id of expired) assert.doesNotMatch(after.get(id)!, /客户\d+|139\d{8}/, `case ${id} anonymised`);

    const verify = await kesu(['audit', 'verify'], dir).done;
    assert.equal(verify.code, 0, verify.out + verify.err);
    assert.match(verify.out, /chain intact/);
  });
});
