/**
 * The tamper suite (issue 12): ten manipulations of the audit trail, each made twice — once
 * through the application's own database handle (a rogue script with the app's connection and
 * code, but not the audit key), once in plain SQL on a connection of its own — after removing
 * the append-only triggers, as an attacker with database access would. `verifyChains` (what
 * `kesu audit verify` and GET /api/v1/audit/verify run) must name every tampered case, and no
 * other, against the checkpoint taken before.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery } from 'kysely';
import { engines } from '../support/engines.js';
import { startKesu, type Kesu } from '../support/kesu.js';
import { disableAppendOnly } from '../support/audit.js';
import { appendEvents, eventHash, verifyChains } from '../../src/store/event.repository.js';
import { latestCheckpoint, writeCheckpoint } from '../../src/audit/checkpoint.js';
import { keyringOf } from '../../src/audit/keys.js';
import { canonicalize } from '../../src/audit/canonical.js';
import { eventRecord, type EventRow } from '../../src/audit/records.js';
import type { ChainProblem, ProblemKind } from '../../src/audit/verify.js';

type Row = Record<string, any>;
interface Attacker {
  name: string;
  q(text: string, params?: unknown[]): Promise<Row[]>;
}

const withPii = (i: number) => ({ channel: 'phone', description: `第${i}件：营业厅态度恶劣`, complainant: { name: '王女士', phone: '13912345678', address: '北京市朝阳区建国路88号' } });
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** The ten manipulations; each returns the problems that must be among those reported for its case. */
const manipulations: { name: string; expect: ProblemKind[]; run(a: Attacker, id: string, k: Kesu): Promise<void> }[] = [
  {
    name: 'edit an event',
    expect: ['hash_mismatch'],
    run: async (a, id) => void (await a.q("update complaint_events set actor_name = '别人' where complaint_id = ? and seq = 2", [id])),
  },
  {
    name: 'delete an event',
    expect: ['gap', 'broken_link'],
    run: async (a, id) => void (await a.q('delete from complaint_events where complaint_id = ? and seq = 2', [id])),
  },
  {
    name: 'swap two events',
    expect: ['broken_link'],
    run: async (a, id) => {
      await a.q('update complaint_events set seq = 100 where complaint_id = ? and seq = 2', [id]);
      await a.q('update complaint_events set seq = 2 where complaint_id = ? and seq = 3', [id]);
      await a.q('update complaint_events set seq = 3 where complaint_id = ? and seq = 100', [id]);
    },
  },
  {
    name: 'insert an event in the middle',
    expect: ['broken_link'],
    run: async (a, id) => {
      const [two] = await a.q('select * from complaint_events where complaint_id = ? and seq = 2', [id]);
      await a.q('update complaint_events set seq = 100 where complaint_id = ? and seq = 3', [id]);
      await a.q('update complaint_events set seq = 4 where complaint_id = ? and seq = 100', [id]);
      const forged = { ...two!, seq: 3, type: 'note', action: null, data: '{"text":"已电话回访，客户满意"}', prev_hash: two!.hash };
      await insertEvent(a, { ...forged, hash: sha(canonicalize(eventRecord(forged as EventRow))) });
    },
  },
  {
    name: 'delete the newest events',
    expect: ['head_mismatch'],
    run: async (a, id) => void (await a.q('delete from complaint_events where complaint_id = ? and seq >= 2', [id])),
  },
  {
    name: 'delete a whole case',
    expect: ['behind_checkpoint'],
    run: async (a, id) => {
      for (const t of ['complaint_events', 'pii_access_log', 'audit_heads', 'complaint_participants', 'clocks', 'outbox', 'customer_access']) await a.q(`delete from ${t} where complaint_id = ?`, [id]);
      await a.q('delete from complaints where id = ?', [id]);
    },
  },
  {
    name: 'recompute the chain after an edit',
    expect: ['hash_mismatch'],
    run: async (a, id) => {
      // Without the key: SHA-256 in place of the MAC — the documented record, or the pre-0009 scheme.
      const rows = await a.q('select * from complaint_events where complaint_id = ? order by seq', [id]);
      let prev = rows[0]!.hash as string;
      for (const r of rows.slice(1)) {
        const e = { ...r, seq: Number(r.seq), prev_hash: prev, actor_name: r.seq === 2 ? '别人' : r.actor_name } as EventRow;
        const downgrade = a.name === 'app handle';
        const hash = downgrade ? eventHash(e) : sha(canonicalize(eventRecord(e)));
        await a.q('update complaint_events set actor_name = ?, prev_hash = ?, hash = ?, scheme = ? where complaint_id = ? and seq = ?', [e.actor_name, prev, hash, downgrade ? 1 : 2, id, e.seq]);
        prev = hash;
      }
      await a.q("update audit_heads set hash = ? where complaint_id = ? and log = 'events'", [prev, id]);
    },
  },
  {
    name: 'append a forged event',
    expect: ['unknown_key'],
    run: async (a, id, k) => {
      const event = { type: 'note', action: null, actorId: 'x', actorName: '主管', at: new Date().toISOString(), fromState: null, toState: null, data: { text: '已结案' } };
      if (a.name === 'app handle') {
        // The application's own code, with a key of the attacker's making.
        const mine = keyringOf(['an attacker key, not the audit key'], 'attacker');
        await k.testDb.database.db.transaction().execute((trx) => appendEvents(trx, id, [event as never], mine));
        return;
      }
      const [last] = await a.q('select * from complaint_events where complaint_id = ? order by seq desc limit 1', [id]);
      const forged: Row = { ...last!, seq: Number(last!.seq) + 1, type: 'note', action: null, data: '{"text":"已结案"}', prev_hash: last!.hash, key_id: 'deadbeef0000' };
      const hash = sha(canonicalize(eventRecord(forged as EventRow)));
      await insertEvent(a, { ...forged, hash });
      await a.q("update audit_heads set seq = ?, hash = ? where complaint_id = ? and log = 'events'", [forged.seq, hash, id]);
    },
  },
  {
    name: 'edit the case row',
    expect: ['case_mismatch'],
    run: async (a, id) => void (await a.q("update complaints set grade = 'minor', body = replace(body, '\"general\"', '\"minor\"') where id = ?", [id])),
  },
  {
    name: 'delete access-log rows',
    expect: ['head_mismatch', 'gap'],
    run: async (a, id) => {
      const rows = await a.q('select seq from pii_access_log where complaint_id = ? order by seq', [id]);
      assert.ok(rows.length >= 3, 'the case has access rows');
      await a.q('delete from pii_access_log where complaint_id = ? and seq = ?', [id, Number(rows.at(-1)!.seq)]);
      await a.q('delete from pii_access_log where complaint_id = ? and seq = 1', [id]);
    },
  },
];

async function insertEvent(a: Attacker, e: Row): Promise<void> {
  const cols = ['complaint_id', 'seq', 'type', 'action', 'actor_id', 'actor_name', 'at', 'from_state', 'to_state', 'data', 'prev_hash', 'hash', 'scheme', 'key_id'];
  await a.q(
    `insert into complaint_events (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`,
    cols.map((c) => (c === 'seq' || c === 'scheme' ? Number(e[c] ?? 2) : (e[c] ?? null))),
  );
}

const pgParams = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

for (const { dialect, skip } of await engines()) {
  describe(`audit trail tamper suite (${dialect})`, { skip }, () => {
    let k: Kesu;
    let dir: string;
    const ids: string[] = [];
    const targets = new Map<string, { name: string; expect: ProblemKind[] }>();
    let sqlConn: { q: Attacker['q']; close(): Promise<void> };
    let checkpointFile = '';
    const verify = async () => verifyChains(k.testDb.database.db, { checkpoint: latestCheckpoint(dir, k.testDb.database.audit.keys()) });
    const problemsOf = (ps: ChainProblem[], id: string) => ps.filter((p) => p.complaintId === id).map((p) => p.problem);

    before(async () => {
      k = await startKesu(dialect);
      dir = mkdtempSync(join(tmpdir(), 'kesu-checkpoints-'));
      for (let i = 0; i < manipulations.length * 2 + 2; i++) {
        const r = await k.as('agent').post('/api/v1/complaints', withPii(i));
        assert.equal(r.status, 201);
        const id = r.body.complaint.id as string;
        ids.push(id);
        await k.as('specialist').act(id, 'judge', { valid: true });
        await k.as('specialist').act(id, 'classify', { category: 'attitude', grade: 'general' });
        await k.as('agent').get(`/api/v1/complaints/${id}`);
      }
      checkpointFile = (await writeCheckpoint(k.testDb.database, k.clock.now(), dir)).file;
      const db = k.testDb.database.db;
      await disableAppendOnly(db, dialect);
      if (dialect === 'sqlite') {
        const c = new SQLite(join(k.testDb.dataDir!, 'kesu.sqlite'));
        c.pragma('busy_timeout = 5000');
        sqlConn = { q: async (t, p = []) => (/^\s*select/i.test(t) ? (c.prepare(t).all(...(p as never[])) as Row[]) : (c.prepare(t).run(...(p as never[])), [])), close: async () => void c.close() };
      } else {
        const c = new pg.Client({ connectionString: k.testDb.url });
        await c.connect();
        sqlConn = { q: async (t, p = []) => (await c.query(pgParams(t), p)).rows, close: () => c.end() };
      }
    });
    after(async () => {
      await sqlConn?.close();
      await k?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('an untouched database verifies, against its checkpoint', async () => {
      const r = await verify();
      assert.deepEqual(r.problems, []);
      assert.ok(r.checkpoint);
      assert.equal(r.cases, ids.length);
    });

    const appHandle: Attacker = {
      name: 'app handle',
      q: async (t, p = []) => (await k.testDb.database.db.executeQuery<Row>(CompiledQuery.raw(dialect === 'postgres' ? pgParams(t) : t, p))).rows,
    };
    const ownConnection: Attacker = { name: 'own SQL connection', q: (t, p) => sqlConn.q(t, p) };

    manipulations.forEach((m, i) => {
      for (const [j, attacker] of [appHandle, ownConnection].entries())
        it(`${m.name} (${attacker.name}) is detected`, async () => {
          const id = ids[i * 2 + j]!;
          await m.run(attacker, id, k);
          targets.set(id, m);
          const found = problemsOf((await verify()).problems, id);
          for (const want of m.expect) assert.ok(found.includes(want), `${m.name} via ${attacker.name}: expected ${want}, got ${JSON.stringify(found)}`);
        });
    });

    it('every tampered case is named, and no other', async () => {
      const r = await verify();
      const named = new Set(r.problems.map((p) => p.complaintId));
      assert.deepEqual([...named].sort(), [...targets.keys()].sort());
      assert.equal(targets.size, manipulations.length * 2);
    });

    it(
      '`kesu audit verify` run as an operator runs it names every tampered case and exits 1',
      { skip: dialect === 'postgres' ? "the PostgreSQL test database's audit key is this process's own, not in a data folder the CLI reads" : false },
      async () => {
        const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
          const env: NodeJS.ProcessEnv = { ...process.env, KESU_DATA_DIR: k.testDb.dataDir!, DATABASE_URL: '' };
          delete env.KESU_AUDIT_KEY;
          delete env.KESU_AUDIT_KEY_FILE;
          const root = new URL('../..', import.meta.url).pathname;
          const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/kesu.ts'), 'audit', 'verify', '--checkpoint', checkpointFile], { cwd: root, env });
          let out = '';
          let err = '';
          child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
          child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
          child.on('close', (code) => resolve({ code, out, err }));
        });
        assert.equal(r.code, 1, r.out + r.err);
        const named = new Set([...r.out.matchAll(/TAMPERED complaint (\S+)/g)].map((m) => m[1]));
        assert.deepEqual([...named].sort(), [...targets.keys()].sort(), r.out);
      },
    );

    it('a forged or foreign checkpoint is reported', async () => {
      const other = keyringOf(['someone else entirely, another key'], 'other');
      const r = await verifyChains(k.testDb.database.db, { checkpoint: latestCheckpoint(dir, other) });
      assert.ok(r.problems.some((p) => p.log === 'checkpoint' && p.problem === 'checkpoint_forged'));
    });
  });
}
