/**
 * Outgoing case-event webhooks, signed with HMAC-SHA256 (like Stripe's and GitHub's):
 *
 *   X-Kesu-Event: case.answer
 *   X-Kesu-Delivery: <outbox id>          (also Idempotency-Key: the same on every redelivery)
 *   X-Kesu-Timestamp: <unix seconds>
 *   X-Kesu-Signature: sha256=<hex HMAC(secret, "<timestamp>.<raw body>")>
 *
 * A receiver recomputes the signature over the raw body, rejects old timestamps (replay) and
 * ignores a delivery id it has seen (at-least-once delivery).
 */
import { createHmac } from 'node:crypto';
import type { WebhookConfig } from './settings.js';
import { httpRequest, type SendResult } from './provider.js';

export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Whether the webhook subscribes to this event (`case.*` and exact names). */
export function subscribes(hook: WebhookConfig, event: string): boolean {
  if (!hook.events?.length) return true;
  return hook.events.some((e) => e === event || (e.endsWith('.*') && event.startsWith(e.slice(0, -1))));
}

export interface CaseEventBody {
  id: string;
  event: string;
  occurredAt: string;
  complaint: { id: string | null; number: unknown; kind: unknown; channel: unknown; state: unknown; tier: unknown; cycle: unknown; version: unknown };
  transition: { action: unknown; from: unknown; to: unknown };
}

export function caseEventBody(id: string, event: string, complaintId: string | null, occurredAt: string, p: Record<string, unknown>): CaseEventBody {
  return {
    id,
    event,
    occurredAt,
    complaint: { id: complaintId, number: p.number, kind: p.kind, channel: p.channel, state: p.toState, tier: p.tier, cycle: p.cycle, version: p.version },
    transition: { action: p.action, from: p.fromState, to: p.toState },
  };
}

export async function sendWebhook(hook: WebhookConfig, body: CaseEventBody, idempotencyKey: string, now: Date, timeoutMs: number): Promise<SendResult> {
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(now.getTime() / 1000));
  await httpRequest(hook.url, {
    method: 'POST',
    timeoutMs,
    body: raw,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Kesu-Webhook/1',
      'x-kesu-event': body.event,
      'x-kesu-delivery': idempotencyKey,
      'idempotency-key': idempotencyKey,
      'x-kesu-timestamp': ts,
      'x-kesu-signature': signBody(hook.secret, ts, raw),
    },
  });
  return {};
}
