/**
 * An audit trail an auditor can trust (issue 12, docs/audit.md):
 * - `complaint_events.scheme` and `key_id`: rows written before this migration keep scheme 1
 *   (the unkeyed SHA-256 chain) and verify as before; new rows are scheme 2, an HMAC-SHA256 over
 *   their RFC 8785 form with the key named by `key_id` (a key outside the database).
 * - `pii_access_log` becomes a chain per case too (`seq`, `prev_hash`, `hash`, `scheme`, `key_id`).
 *   Existing rows are carried forward here as a scheme-1 chain (SHA-256 of the RFC 8785 form of
 *   the row, in (at, id) order): frozen code, it must not change.
 * - `audit_heads`: the last sequence number and MAC of each chain, and a digest of the case row,
 *   MACed, so deleting the newest records or editing the case row is detected. Chains from before
 *   this migration have no head until the first keyed process anchors them (`kesu audit
 *   checkpoint`, and `kesu serve` at start).
 * - Triggers refusing UPDATE, DELETE (and on PostgreSQL TRUNCATE) on `complaint_events` and
 *   `pii_access_log`, unless the transaction holds a row in `audit_purge_permits`: the recorded
 *   purge path (src/audit/purge.ts) inserts one and removes it before it commits.
 * Frozen once released: imports no application code.
 */
import { createHash } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely } from 'kysely';

const APPEND_ONLY = ['complaint_events', 'pii_access_log'];

/** RFC 8785 for the values this migration hashes (strings, integers, null, arrays, objects). */
function jcs(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(jcs).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${jcs(o[k])}`)
    .join(',')}}`;
}

const isPostgres = (db: Kysely<any>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .alterTable('complaint_events')
    .addColumn('scheme', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('complaint_events').addColumn('key_id', 'text').execute();
  await db.schema.alterTable('pii_access_log').addColumn('seq', 'integer').execute();
  await db.schema.alterTable('pii_access_log').addColumn('prev_hash', 'text').execute();
  await db.schema.alterTable('pii_access_log').addColumn('hash', 'text').execute();
  await db.schema
    .alterTable('pii_access_log')
    .addColumn('scheme', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('pii_access_log').addColumn('key_id', 'text').execute();

  // Carry the access log forward: a scheme-1 chain per case, oldest first.
  let after: { complaint_id: string; at: string; id: string } | null = null;
  let current = '';
  let seq = 0;
  let prev = '0'.repeat(64);
  for (;;) {
    let q = db.selectFrom('pii_access_log').selectAll().orderBy('complaint_id').orderBy('at').orderBy('id').limit(1000);
    if (after) {
      const a = after;
      q = q.where((eb: any) => eb.or([eb('complaint_id', '>', a.complaint_id), eb.and([eb('complaint_id', '=', a.complaint_id), eb.or([eb('at', '>', a.at), eb.and([eb('at', '=', a.at), eb('id', '>', a.id)])])])]));
    }
    const rows = await q.execute();
    if (!rows.length) break;
    for (const r of rows) {
      if (r.complaint_id !== current) {
        current = r.complaint_id;
        seq = 0;
        prev = '0'.repeat(64);
      }
      seq += 1;
      const record = { record: 'access', v: 1, complaint_id: r.complaint_id, seq, id: r.id, at: r.at, user_id: r.user_id, user_name: r.user_name, complaint_number: r.complaint_number, fields: r.fields, route: r.route, prev_hash: prev };
      const hash = createHash('sha256').update(jcs(record)).digest('hex');
      await db.updateTable('pii_access_log').set({ seq, prev_hash: prev, hash }).where('id', '=', r.id).execute();
      prev = hash;
    }
    const last = rows[rows.length - 1]!;
    after = { complaint_id: last.complaint_id, at: last.at, id: last.id };
  }
  await db.schema.createIndex('pii_access_log_chain').unique().on('pii_access_log').columns(['complaint_id', 'seq']).execute();

  await db.schema
    .createTable('audit_heads')
    .addColumn('complaint_id', 'text', (c) => c.notNull())
    .addColumn('log', 'text', (c) => c.notNull()) // events | access
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('case_digest', 'text')
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('mac', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_heads_pk', ['complaint_id', 'log'])
    .execute();
  await db.schema
    .createTable('audit_purge_permits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();

  if (pg) {
    await sql`create function kesu_append_only() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from audit_purge_permits) then
          if tg_op = 'DELETE' then return old; end if;
          return new;
        end if;
        raise exception '% is append-only (docs/audit.md)', tg_table_name using errcode = '55000';
      end $$`.execute(db);
    for (const t of APPEND_ONLY) {
      await sql.raw(`create trigger ${t}_append_only before update or delete on ${t} for each row execute function kesu_append_only()`).execute(db);
      await sql.raw(`create trigger ${t}_no_truncate before truncate on ${t} for each statement execute function kesu_append_only()`).execute(db);
    }
  } else {
    for (const t of APPEND_ONLY)
      for (const op of ['update', 'delete'])
        await sql.raw(`create trigger ${t}_no_${op} before ${op} on ${t} when not exists (select 1 from audit_purge_permits) begin select raise(abort, '${t} is append-only (docs/audit.md)'); end`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const t of APPEND_ONLY) {
      await sql.raw(`drop trigger if exists ${t}_append_only on ${t}`).execute(db);
      await sql.raw(`drop trigger if exists ${t}_no_truncate on ${t}`).execute(db);
    }
    await sql`drop function if exists kesu_append_only()`.execute(db);
  } else {
    for (const t of APPEND_ONLY) for (const op of ['update', 'delete']) await sql.raw(`drop trigger if exists ${t}_no_${op}`).execute(db);
  }
  await db.schema.dropTable('audit_purge_permits').ifExists().execute();
  await db.schema.dropTable('audit_heads').ifExists().execute();
  await db.schema.dropIndex('pii_access_log_chain').ifExists().execute();
  for (const c of ['key_id', 'scheme', 'hash', 'prev_hash', 'seq']) await db.schema.alterTable('pii_access_log').dropColumn(c).execute();
  for (const c of ['key_id', 'scheme']) await db.schema.alterTable('complaint_events').dropColumn(c).execute();
}
