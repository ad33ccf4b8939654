/**
 * Outbox: messages written in the same transaction as the transition that caused them, and
 * delivered after the commit by a dispatcher (issue 4), so a crash can neither lose a message
 * nor send one for a transition that rolled back.
 */
import { randomUUID } from 'node:crypto';
import type { OutboxMessage } from '../domain/complaint/types.js';
import type { Executor } from './db.js';

export async function enqueueMessages(db: Executor, messages: OutboxMessage[]): Promise<void> {
  if (!messages.length) return;
  await db
    .insertInto('outbox')
    .values(
      messages.map((m) => ({
        id: randomUUID(),
        complaint_id: m.complaintId,
        channel: m.channel,
        template: m.template,
        recipient: JSON.stringify(m.to),
        payload: JSON.stringify(m.payload),
        status: 'pending',
        attempts: 0,
        next_attempt_at: m.createdAt,
        created_at: m.createdAt,
        delivered_at: null,
        last_error: null,
      })),
    )
    .execute();
}

export async function listOutbox(db: Executor, complaintId: string): Promise<{ channel: string; template: string; recipient: unknown; payload: unknown; status: string }[]> {
  const rows = await db.selectFrom('outbox').selectAll().where('complaint_id', '=', complaintId).orderBy('created_at').execute();
  return rows.map((r) => ({ channel: r.channel, template: r.template, recipient: JSON.parse(r.recipient), payload: JSON.parse(r.payload), status: r.status }));
}
