/**
 * `complaints.match_terms`: the jieba tokens matching ranks a case by (its title and description,
 * `src/knowledge/case-terms.ts`), space-joined, written with the case at intake. Matching used to
 * re-cut up to 200 candidates' texts on every request although nothing in them changes after
 * intake. Nullable and not filled here: cases made before it (and purged ones, whose text is gone)
 * are cut from their body when matched, which gives the same tokens, so no row is rewritten.
 * Frozen once released.
 */
import { type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('complaints').addColumn('match_terms', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('complaints').dropColumn('match_terms').execute();
}
