/**
 * The experience library (经验库, issue 13 §4/§6; seed 002 篇3): articles with every saved version
 * kept (a new row per save, never updated), the jieba tokens of each article's current version
 * for search and matching, and staff feedback on suggestions (articles and similar cases), which
 * bends later rankings. New tables only: nothing existing changes. Frozen once released.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('knowledge_articles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // draft | published | retired (of the current version)
    .addColumn('category', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('token_count', 'integer', (c) => c.notNull())
    .addColumn('source_complaint_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('knowledge_articles_updated').on('knowledge_articles').columns(['updated_at', 'id']).execute();
  await db.schema
    .createTable('knowledge_versions')
    .addColumn('article_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull()) // JSON: title, symptom, cause, steps, scripts, category, products, policyId, status
    .addColumn('edited_by', 'text', (c) => c.notNull())
    .addColumn('edited_by_name', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('knowledge_versions_pk', ['article_id', 'version'])
    .execute();
  await db.schema
    .createTable('knowledge_tokens')
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.notNull())
    .addColumn('tf', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('knowledge_tokens_pk', ['token', 'article_id'])
    .execute();
  await db.schema.createIndex('knowledge_tokens_article').on('knowledge_tokens').column('article_id').execute();
  await db.schema
    .createTable('knowledge_feedback')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('target_kind', 'text', (c) => c.notNull()) // article | case
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('helpful', 'integer', (c) => c.notNull()) // 1 helpful, 0 not helpful
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('knowledge_feedback_target').on('knowledge_feedback').columns(['target_kind', 'target_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['knowledge_feedback', 'knowledge_tokens', 'knowledge_versions', 'knowledge_articles']) await db.schema.dropTable(t).ifExists().execute();
}
