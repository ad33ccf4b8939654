/**
 * The rows one intake request writes, taken from cases the real server created (so they are
 * exactly its rows, not a guess), cloned with new ids, and written without Kesu:
 *
 * - `insertCase`: one durable transaction per case — the physical limit the bench compares
 *   intake with (same engine, same pragmas: WAL + synchronous=FULL on SQLite, the server's
 *   defaults on PostgreSQL; prepared statements; no HTTP, no validation, no JSON building);
 * - `insertBatch`: many cases per transaction, to seed history before the measurements.
 *
 * A case's rows: the idempotency key, the yearly counter (on PostgreSQL a value of the year's
 * sequence instead, as Kesu does since issue 9), the complaint, its participants, its
 * full-text row, its events, its clocks, its outbox rows (the logical ones intake queues) and the
 * personal-data access-log row of the intake's answer. Not included: what the outbox dispatcher
 * writes later (delivery rows, the access code's hash, status updates).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { uuidv7 } from '../../src/services/ids.js';
import { hashTerm } from '../../src/services/contact-keys.js';
import { contactTermsOf } from '../../src/domain/complaint/contact.js';
import type { Engine } from './server.js';

export type Row = Record<string, string | number | null>;

export interface CaseRows {
  complaint: Row;
  participants: Row[];
  search: { complaint_id: string; tokens: string };
  events: Row[];
  clocks: Row[];
  outbox: Row[];
  pii: Row[];
  idempotency: Row[];
  /** The counter intake draws the case number from, e.g. `complaint:2026`. */
  counter: string;
  /** Rows of the other per-case tables intake writes (REST_TABLES), by table. */
  rest: Record<string, Row[]>;
}

/**
 * Per-case tables intake also writes, read and cloned as they are: the report facts (migration
 * 0013), the contact keys (0011), the audit chain's heads (0009) and the match tokens (0040; a
 * clone keeps the template's title and description). Cloned heads carry the template's MAC (the
 * bench never verifies the chain).
 */
export const REST_TABLES = ['case_facts', 'clock_facts', 'contact_keys', 'audit_heads', 'complaint_terms'] as const;

export interface RowStore {
  engine: Engine;
  /** Rows of cases the server created (by id), as templates. */
  readCases(ids: string[]): Promise<CaseRows[]>;
  /** One durable transaction for one case (what intake commits); `counter: false` leaves out the case-number counter row. */
  insertCase(c: CaseRows, opts?: { counter?: boolean }): Promise<void>;
  /** Many cases in one transaction (seeding; the counter is not touched). */
  insertBatch(cs: CaseRows[]): Promise<void>;
  /** Planner statistics after a bulk load (PostgreSQL: what autovacuum would do shortly; SQLite: nothing, as Kesu never runs ANALYZE). */
  analyze(): Promise<void>;
  /** A read query (counts, ids, the raw lookups), with positional `?` / `$n` parameters if any. */
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

function replaceAll(s: string, pairs: [string, string][]): string {
  for (const [a, b] of pairs) if (a && s.includes(a)) s = s.split(a).join(b);
  return s;
}

function cloneRow(r: Row, pairs: [string, string][]): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'string' ? replaceAll(v, pairs) : v;
  return out;
}

/**
 * A copy of a template case under a new id and number. `seeded` cases get a past intake time and
 * outbox rows already delivered (history, so the dispatcher does not start on them); raw cases
 * keep the template's times and a pending outbox, exactly as intake leaves them.
 */
export function cloneCase(t: CaseRows, n: number, opts: { prefix: '5' | '7'; receivedAt?: Date; firstResponder?: string; caller?: { phone: string; key: Buffer } }): CaseRows {
  const oldId = t.complaint.id as string;
  const oldNumber = t.complaint.number as string;
  const at = opts.receivedAt;
  const id = uuidv7(at ? at.getTime() : Date.now());
  const year = /^KS-(\d{4})-/.exec(oldNumber)?.[1] ?? '2026';
  // Kesu's own numbers are KS-<year>-<6 digits> from 000001; clones use 7 digits led by the prefix digit.
  const number = `KS-${year}-${opts.prefix}${String(n).padStart(6, '0')}`;
  const pairs: [string, string][] = [
    [oldId, id],
    [oldNumber, number],
    [oldNumber.toLowerCase(), number.toLowerCase()],
  ];
  // Another first responder: every mention of the template's agent (columns, participants, the body, events, the access log).
  const agent = t.complaint.first_responder_id as string;
  if (opts.firstResponder && opts.firstResponder !== agent) pairs.push([agent, opts.firstResponder]);
  // Another caller: the template's phone replaced everywhere, and the contact keys hashed again from the clone's body.
  const templatePhone = opts.caller ? (JSON.parse(t.complaint.body as string) as { complainant: { phone?: string } }).complainant.phone : undefined;
  if (opts.caller && templatePhone) pairs.push([templatePhone, opts.caller.phone]);
  const complaint = cloneRow(t.complaint, pairs);
  if (at) complaint.received_at = complaint.updated_at = at.toISOString();
  complaint.search_rowid = null;
  const outbox = t.outbox.map((r) => {
    const o = cloneRow(r, pairs);
    o.id = randomUUID();
    if (at) Object.assign(o, { status: 'sent', attempts: 1, delivered_at: at.toISOString(), created_at: at.toISOString(), next_attempt_at: at.toISOString() });
    else Object.assign(o, { status: 'pending', attempts: 0, delivered_at: null, last_error: null, lease_owner: null, last_attempt_at: null, next_attempt_at: o.created_at });
    return o;
  });
  return {
    complaint,
    participants: t.participants.map((r) => cloneRow(r, pairs)),
    search: { complaint_id: id, tokens: replaceAll(t.search.tokens, pairs) },
    events: t.events.map((r) => cloneRow(r, pairs)),
    clocks: t.clocks.map((r) => cloneRow(r, pairs)),
    outbox,
    pii: t.pii.map((r) => ({ ...cloneRow(r, pairs), id: uuidv7() })),
    idempotency: t.idempotency.map((r) => ({ ...cloneRow(r, pairs), scope_key: `bench:${id}` })),
    counter: t.counter,
    rest: Object.fromEntries(
      REST_TABLES.map((table) => [
        table,
        table === 'contact_keys' && opts.caller && templatePhone
          ? contactKeyRows(complaint, opts.caller.key)
          : (t.rest[table] ?? []).map((r) => (at && table === 'case_facts' ? { ...cloneRow(r, pairs), received_at: at.toISOString() } : cloneRow(r, pairs))),
      ]),
    ),
  };
}

/** The contact-key rows of a complaint row, as intake writes them (services/contact-keys.ts), under the server's key. */
function contactKeyRows(complaint: Row, key: Buffer): Row[] {
  const keys = new Map<string, string>();
  for (const term of contactTermsOf(JSON.parse(complaint.body as string))) {
    const k = hashTerm(key, term);
    keys.set(k.key, k.kind);
  }
  return [...keys].map(([k, kind]) => ({ key: k, complaint_id: complaint.id as string, kind }));
}

function counterOf(number: string): string {
  return `complaint:${/^KS-(\d{4})-/.exec(number)?.[1] ?? '2026'}`;
}

const rowTables = [
  ['idempotency_keys', 'idempotency'],
  ['complaint_participants', 'participants'],
  ['complaint_events', 'events'],
  ['clocks', 'clocks'],
  ['outbox', 'outbox'],
  ['pii_access_log', 'pii'],
] as const;

// --- SQLite ------------------------------------------------------------------------------------

/** A better-sqlite3 connection with Kesu's pragmas (src/store/db.ts). */
export function openSqliteRows(dataDir: string): RowStore {
  const db = new SQLite(join(dataDir, 'kesu.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 30000');
  db.pragma('foreign_keys = ON');
  const stmts = new Map<string, SQLite.Statement>();
  const prep = (text: string) => {
    let s = stmts.get(text);
    if (!s) stmts.set(text, (s = db.prepare(text)));
    return s;
  };
  const insert = (table: string, r: Row) => {
    const cols = Object.keys(r);
    return prep(`insert into ${table} (${cols.join(', ')}) values (${cols.map((c) => `@${c}`).join(', ')})`).run(r);
  };
  const writeCase = (c: CaseRows, counter: boolean) => {
    for (const r of c.idempotency) insert('idempotency_keys', r);
    if (counter) prep(`insert into counters (name, value) values (?, 1) on conflict (name) do update set value = value + 1 returning value`).get(c.counter);
    const fts = prep('insert into complaint_search (complaint_id, tokens) values (?, ?)').run(c.search.complaint_id, c.search.tokens);
    insert('complaints', { ...c.complaint, search_rowid: Number(fts.lastInsertRowid) });
    for (const [table, key] of rowTables) if (key !== 'idempotency') for (const r of c[key]) insert(table, r);
    for (const table of REST_TABLES) for (const r of c.rest[table] ?? []) insert(table, r);
  };
  const one = db.transaction((c: CaseRows, counter: boolean) => writeCase(c, counter));
  const many = db.transaction((cs: CaseRows[]) => cs.forEach((c) => writeCase(c, false)));
  return {
    engine: 'sqlite',
    async readCases(ids) {
      return ids.map((id) => {
        const complaint = prep('select * from complaints where id = ?').get(id) as Row | undefined;
        if (!complaint) throw new Error(`template case ${id} not found`);
        const all = (sql: string) => prep(sql).all(id) as Row[];
        const search = prep('select complaint_id, tokens from complaint_search where rowid = ?').get(complaint.search_rowid) as { complaint_id: string; tokens: string };
        return {
          complaint,
          participants: all('select * from complaint_participants where complaint_id = ?'),
          search,
          events: all('select * from complaint_events where complaint_id = ? order by seq'),
          clocks: all('select * from clocks where complaint_id = ?'),
          outbox: all('select * from outbox where complaint_id = ? and parent_id is null'),
          pii: all('select * from pii_access_log where complaint_id = ?'),
          idempotency: all('select * from idempotency_keys where complaint_id = ?'),
          counter: counterOf(complaint.number as string),
          rest: Object.fromEntries(REST_TABLES.map((table) => [table, all(`select * from ${table} where complaint_id = ?`)])),
        };
      });
    },
    async insertCase(c, opts) {
      one(c, opts?.counter ?? true);
    },
    async insertBatch(cs) {
      many.immediate(cs);
    },
    async analyze() {},
    async query(sql, params = []) {
      return prep(sql).all(...params) as Row[];
    },
    async close() {
      db.close();
    },
  };
}

// --- PostgreSQL --------------------------------------------------------------------------------

async function createSequence(databaseUrl: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query(`create sequence if not exists ${name}`);
  } finally {
    await c.end();
  }
}

export function openPostgresRows(databaseUrl: string, connections: number): RowStore {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: connections });
  pool.on('error', () => {});
  const names = new Map<string, string>();
  const sequences = new Map<string, Promise<void>>();
  /** One multi-row insert per table, as a named (prepared, reused) statement. */
  const insertRows = async (client: pg.PoolClient, table: string, rows: Row[]) => {
    if (!rows.length) return;
    const cols = Object.keys(rows[0]!);
    let i = 0;
    const text = `insert into ${table} (${cols.join(', ')}) values ${rows.map(() => `(${cols.map(() => `$${++i}`).join(', ')})`).join(', ')}`;
    let name = names.get(text);
    if (!name) names.set(text, (name = `bench_${names.size}`));
    // Big batches (seeding) are not worth preparing.
    await client.query(rows.length > 20 ? { text, values: rows.flatMap((r) => cols.map((c) => r[c])) } : { name, text, values: rows.flatMap((r) => cols.map((c) => r[c])) });
  };
  const writeCases = async (client: pg.PoolClient, cs: CaseRows[], counter: boolean) => {
    await insertRows(
      client,
      'idempotency_keys',
      cs.flatMap((c) => c.idempotency),
    );
    // Kesu draws PostgreSQL case numbers from a sequence per year (store/counter.repository.ts), as here.
    if (counter)
      for (const c of cs) {
        const seq = `case_number_${c.counter.slice('complaint:'.length)}`;
        let ready = sequences.get(seq);
        // Created on a connection of its own: the pool's may all be in transactions waiting for it.
        if (!ready) sequences.set(seq, (ready = createSequence(databaseUrl, seq)));
        await ready;
        await client.query({ name: 'bench_case_number', text: 'select nextval($1)', values: [seq] });
      }
    await insertRows(
      client,
      'complaints',
      cs.map((c) => c.complaint),
    );
    await insertRows(
      client,
      'complaint_search',
      cs.map((c) => c.search),
    );
    for (const [table, key] of rowTables)
      if (key !== 'idempotency')
        await insertRows(
          client,
          table,
          cs.flatMap((c) => c[key]),
        );
    for (const table of REST_TABLES)
      await insertRows(
        client,
        table,
        cs.flatMap((c) => c.rest[table] ?? []),
      );
  };
  const inTransaction = async (fn: (c: pg.PoolClient) => Promise<void>) => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await fn(client);
      await client.query('commit');
    } catch (e) {
      await client.query('rollback').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  };
  return {
    engine: 'postgres',
    async readCases(ids) {
      const out: CaseRows[] = [];
      for (const id of ids) {
        const q = async (sql: string) => (await pool.query(sql, [id])).rows as Row[];
        const complaint = (await q('select * from complaints where id = $1'))[0];
        if (!complaint) throw new Error(`template case ${id} not found`);
        out.push({
          complaint,
          participants: await q('select * from complaint_participants where complaint_id = $1'),
          search: (await q('select complaint_id, tokens from complaint_search where complaint_id = $1'))[0] as { complaint_id: string; tokens: string },
          events: await q('select * from complaint_events where complaint_id = $1 order by seq'),
          clocks: await q('select * from clocks where complaint_id = $1'),
          outbox: await q('select * from outbox where complaint_id = $1 and parent_id is null'),
          pii: await q('select * from pii_access_log where complaint_id = $1'),
          idempotency: await q('select * from idempotency_keys where complaint_id = $1'),
          counter: counterOf(complaint.number as string),
          rest: Object.fromEntries(await Promise.all(REST_TABLES.map(async (table) => [table, await q(`select * from ${table} where complaint_id = $1`)] as const))),
        });
      }
      return out;
    },
    insertCase: (c, opts) => inTransaction((client) => writeCases(client, [c], opts?.counter ?? true)),
    insertBatch: (cs) => inTransaction((client) => writeCases(client, cs, false)),
    async analyze() {
      await pool.query('analyze');
    },
    async query(sql, params) {
      return (await pool.query(sql, params)).rows as Row[];
    },
    close: () => pool.end(),
  };
}

export function openRows(engine: Engine, where: { dataDir: string; databaseUrl?: string }, connections = 1): RowStore {
  return engine === 'sqlite' ? openSqliteRows(where.dataDir) : openPostgresRows(where.databaseUrl!, connections);
}

/**
 * Seeds `count` cases cloned round-robin from the templates, received over the past `days` days,
 * in batches. One case in `agentShare` keeps the template's agent as first responder; the others
 * go to `agents` other (synthetic) agents, so the demo agent's own queue holds a realistic share.
 * With `callers`, case i is from the phone `phoneOf(i)` (its contact keys hashed under `key`, the
 * server's contact key) instead of its template's, so callers can have 1, 10 or 100 cases.
 */
export async function seedHistory(
  store: RowStore,
  templates: CaseRows[],
  count: number,
  opts: { prefix: '5' | '7'; days?: number; now?: Date; batch?: number; agentShare?: number; agents?: number; callers?: { key: Buffer; phoneOf: (i: number) => string } },
): Promise<void> {
  const share = opts.agentShare ?? 20;
  const agents = opts.agents ?? 300;
  const now = (opts.now ?? new Date()).getTime();
  const span = (opts.days ?? 60) * 86400_000;
  const batch = opts.batch ?? 250;
  for (let start = 0; start < count; start += batch) {
    const cs: CaseRows[] = [];
    for (let i = start; i < Math.min(count, start + batch); i++)
      cs.push(
        cloneCase(templates[i % templates.length]!, i, {
          prefix: opts.prefix,
          receivedAt: new Date(now - span + Math.floor((i / count) * (span - 3600_000))),
          firstResponder: i % share === 0 ? undefined : `bench-agent-${i % agents}`,
          caller: opts.callers ? { phone: opts.callers.phoneOf(i), key: opts.callers.key } : undefined,
        }),
      );
    await store.insertBatch(cs);
  }
}
