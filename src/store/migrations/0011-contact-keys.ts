/**
 * Caller recognition (issue 13): `contact_keys` holds, per case, keyed hashes (HMAC-SHA256 under
 * the server's contact key, which is never stored in the database) of the normalised contact
 * terms the case is found by — phone, its last four digits, last four + name, e-mail, ID, order
 * and plate number. No plaintext copy: a lookup hashes the query the same way.
 *
 * Existing cases are keyed here, from their stored body. Frozen like every migration: it imports
 * no application code, so it carries its own copy of the normalisation of that time
 * (domain/complaint/contact.ts); the key is passed in by the migrator (store/migrate.ts), the
 * development key when none is configured.
 */
import { createHash, createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';

const DEV_KEY = createHash('sha256').update('kesu-contact:development key, not secret').digest();

function phone(raw: string): string | null {
  const s = raw.trim().replace(/[\s\-.()（）\u00a0]/g, '');
  if (!/^(\+|00)?[0-9]+$/.test(s)) return null;
  let intl = s.startsWith('+') ? s.slice(1) : s.startsWith('00') ? s.slice(2) : null;
  let national: string;
  if (intl !== null) {
    if (!intl.startsWith('86')) return intl.length >= 7 && intl.length <= 15 ? `+${intl}` : null;
    intl = intl.slice(2);
    national = /^1\d{10}$/.test(intl) || intl.startsWith('0') ? intl : `0${intl}`;
  } else if (/^861\d{10}$/.test(s)) national = s.slice(2);
  else national = s;
  return national.length >= 5 && national.length <= 15 ? national : null;
}
const code = (raw: string): string | null => {
  const v = raw
    .trim()
    .replace(/[\s\-.·・_/]/g, '')
    .toUpperCase();
  return v.length >= 3 ? v : null;
};
const email = (raw: string): string | null => {
  const v = raw.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(v) ? v : null;
};

interface Body {
  complainant?: { anonymous?: boolean; name?: string; phone?: string; email?: string; idNumber?: string };
  references?: { order?: string; plate?: string };
}

function terms(b: Body): [string, string][] {
  const out: [string, string][] = [];
  const p = b.complainant ?? {};
  if (!p.anonymous) {
    const ph = p.phone ? phone(p.phone) : null;
    if (ph) {
      const four = ph.replace(/\D/g, '').slice(-4);
      out.push(['phone', ph], ['phone_last4', four]);
      if (p.name?.trim()) out.push(['phone_last4_name', `${four}|${p.name.replace(/\s+/g, '').toLowerCase()}`]);
    }
    const em = p.email ? email(p.email) : null;
    if (em) out.push(['email', em]);
    const id = p.idNumber ? code(p.idNumber) : null;
    if (id) out.push(['id_number', id]);
  }
  const order = b.references?.order ? code(b.references.order) : null;
  if (order) out.push(['order', order]);
  const plate = b.references?.plate ? code(b.references.plate) : null;
  if (plate) out.push(['plate', plate]);
  return out;
}

export async function up(db: Kysely<any>, key: Buffer = DEV_KEY): Promise<void> {
  await db.schema
    .createTable('contact_keys')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('complaint_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('contact_keys_pk', ['key', 'complaint_id'])
    .execute();
  await db.schema.createIndex('contact_keys_complaint').on('contact_keys').column('complaint_id').execute();
  // Existing cases, a batch at a time in id order.
  let after = '';
  for (;;) {
    const rows: { id: string; body: string }[] = await db.selectFrom('complaints').select(['id', 'body']).where('id', '>', after).orderBy('id').limit(500).execute();
    if (!rows.length) break;
    const values = new Map<string, { key: string; complaint_id: string; kind: string }>();
    for (const r of rows)
      for (const [kind, value] of terms(JSON.parse(r.body) as Body)) {
        const k = createHmac('sha256', key).update(`${kind}:${value}`).digest('hex');
        values.set(`${k}|${r.id}`, { key: k, complaint_id: r.id, kind });
      }
    if (values.size)
      await db
        .insertInto('contact_keys')
        .values([...values.values()])
        .execute();
    after = rows[rows.length - 1]!.id;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('contact_keys').ifExists().execute();
}
