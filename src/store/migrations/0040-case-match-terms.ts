/**
 * `complaint_terms`: the jieba tokens matching ranks a case by (its title and description,
 * `src/knowledge/case-terms.ts`), space-joined, one row per case written at intake beside its
 * full-text row. Matching used to cut up to 200 candidates' texts again on every request although
 * nothing in them changes after intake. A table of its own, not a column of `complaints`: the
 * case row (and the digest of it the audit chain holds) stays as it was. Not filled here: a case
 * made before it (or purged, whose text is gone) has no row and is cut from its body when
 * matched, which gives the same tokens — so no existing row is read or rewritten. Frozen once
 * released.
 */
import { type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('complaint_terms')
    .addColumn('complaint_id', 'text', (c) => c.primaryKey())
    .addColumn('terms', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('complaint_terms').ifExists().execute();
}
