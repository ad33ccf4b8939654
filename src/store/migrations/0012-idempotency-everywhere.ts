/**
 * Idempotency on every mutating request (issue 12 §5, docs/api.md "Idempotency"):
 * `idempotency_keys` is rebuilt with what a replay needs — the key's state (`in_progress` while
 * the first request runs, with a lease `locked_until` after which a crashed request's key may be
 * claimed again; `applied` once the mutation committed, written in its transaction; `done` once
 * the answer is stored), the answer itself (`response_status`, `response_body`, sealed) and when
 * the key expires (`expires_at`). `complaint_id` becomes optional (only case mutations have one).
 *
 * Existing keys are carried forward as `applied` with their case and the request hash they had,
 * expiring 24 h after they were made. Staff intake keys (`<user id>:<key>`) get the scope the
 * generic mechanism uses for `POST /api/v1/complaints` (`user:<id>|POST /api/v1/complaints|<key>`);
 * channel keys (portal form nonces, e-mail Message-IDs) keep theirs.
 * Frozen once released: imports no application code.
 */
import type { Kysely } from 'kysely';

const CARRIED_TTL_MS = 24 * 3_600_000;

async function createTable(db: Kysely<any>, name: string): Promise<void> {
  await db.schema
    .createTable(name)
    .addColumn('scope_key', 'text', (c) => c.primaryKey())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('complaint_id', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  await createTable(db, 'idempotency_keys_new');
  const users = new Set((await db.selectFrom('users').select('id').execute()).map((u: { id: string }) => u.id));
  let after = '';
  for (;;) {
    const rows = (await db.selectFrom('idempotency_keys').selectAll().where('scope_key', '>', after).orderBy('scope_key').limit(500).execute()) as {
      scope_key: string;
      request_hash: string;
      complaint_id: string;
      created_at: string;
    }[];
    if (!rows.length) break;
    after = rows[rows.length - 1]!.scope_key;
    await db
      .insertInto('idempotency_keys_new')
      .values(
        rows.map((r) => {
          const colon = r.scope_key.indexOf(':');
          const owner = colon > 0 ? r.scope_key.slice(0, colon) : '';
          const scope = users.has(owner) ? `user:${owner}|POST /api/v1/complaints|${r.scope_key.slice(colon + 1)}` : r.scope_key;
          const made = Date.parse(r.created_at);
          return {
            scope_key: scope,
            request_hash: r.request_hash,
            status: 'applied',
            complaint_id: r.complaint_id,
            locked_until: null,
            response_status: null,
            response_body: null,
            created_at: r.created_at,
            expires_at: new Date((Number.isNaN(made) ? Date.now() : made) + CARRIED_TTL_MS).toISOString(),
          };
        }),
      )
      .onConflict((oc) => oc.column('scope_key').doNothing())
      .execute();
  }
  await db.schema.dropTable('idempotency_keys').execute();
  await db.schema.alterTable('idempotency_keys_new').renameTo('idempotency_keys').execute();
  await db.schema.createIndex('idempotency_keys_expires').on('idempotency_keys').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys_old')
    .addColumn('scope_key', 'text', (c) => c.primaryKey())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('complaint_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  const rows: { scope_key: string; request_hash: string; complaint_id: string; created_at: string }[] = await db
    .selectFrom('idempotency_keys')
    .select(['scope_key', 'request_hash', 'complaint_id', 'created_at'])
    .where('complaint_id', 'is not', null)
    .execute();
  for (let i = 0; i < rows.length; i += 500) {
    const batch = rows.slice(i, i + 500).map((r) => {
      const m = /^user:([^|]+)\|POST \/api\/v1\/complaints\|(.*)$/s.exec(r.scope_key);
      return { ...r, scope_key: m ? `${m[1]}:${m[2]}` : r.scope_key };
    });
    await db
      .insertInto('idempotency_keys_old')
      .values(batch)
      .onConflict((oc) => oc.column('scope_key').doNothing())
      .execute();
  }
  await db.schema.dropTable('idempotency_keys').execute();
  await db.schema.alterTable('idempotency_keys_old').renameTo('idempotency_keys').execute();
}
