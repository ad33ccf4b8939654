/**
 * Customer channels (issue 4): outbox delivery with leases and fan-out, staff contact details,
 * portal access codes, survey links, attachments and the inbound e-mail log.
 * Frozen like every migration: it imports no application code. SQLite accepts one ADD COLUMN
 * per ALTER TABLE, hence one statement per column.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Outbox: a logical row (channel staff | customer | webhook) is expanded into one physical row
  // per concrete recipient (channel email | sms | hook | bot) that points back to it. A row
  // being delivered is `sending` and leased: `lease_owner` holds it and `next_attempt_at` is
  // the lease expiry, after which another dispatcher may claim it again (at-least-once).
  await db.schema.alterTable('outbox').addColumn('parent_id', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('lease_owner', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('last_attempt_at', 'text').execute();
  await db.schema.createIndex('outbox_parent').on('outbox').column('parent_id').execute();
  await db.schema.createIndex('outbox_complaint').on('outbox').columns(['complaint_id', 'created_at']).execute();

  // Staff contact details for e-mail notifications (optional).
  await db.schema.alterTable('users').addColumn('email', 'text').execute();
  await db.schema.alterTable('users').addColumn('phone', 'text').execute();

  // The customer's access to their case on the portal: only a salted hash of the access code.
  await db.schema
    .createTable('customer_access')
    .addColumn('complaint_id', 'text', (c) => c.primaryKey())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Survey links (回访问卷): only the SHA-256 of the token; one answer per link.
  await db.schema
    .createTable('survey_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('complaint_id', 'text', (c) => c.notNull())
    .addColumn('cycle', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('survey_tokens_complaint').on('survey_tokens').columns(['complaint_id', 'cycle']).execute();

  // Files customers sent (portal, e-mail); the bytes live content-addressed on disk by sha256.
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('complaint_id', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_complaint').on('attachments').columns(['complaint_id', 'created_at']).execute();

  // Inbound e-mail already handled, by Message-ID: a sender retrying after a timeout creates nothing twice.
  await db.schema
    .createTable('inbound_emails')
    .addColumn('message_key', 'text', (c) => c.primaryKey())
    .addColumn('complaint_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['inbound_emails', 'attachments', 'survey_tokens', 'customer_access']) await db.schema.dropTable(t).ifExists().execute();
  await db.schema.dropIndex('outbox_complaint').ifExists().execute();
  await db.schema.dropIndex('outbox_parent').ifExists().execute();
  for (const c of ['last_attempt_at', 'lease_owner', 'parent_id']) await db.schema.alterTable('outbox').dropColumn(c).execute();
  for (const c of ['phone', 'email']) await db.schema.alterTable('users').dropColumn(c).execute();
}
