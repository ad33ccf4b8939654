/**
 * Legal holds and the purge preview (issue 15 §2; docs/operations.md "Retention and legal hold"):
 * list, set and lift holds (the policy's `retention.holdRoles`, default managers and
 * administrators; auditors may list), and the dry run of the purge — what would be purged and
 * why, and which expired cases a hold keeps.
 */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { parseInput } from '../../domain/validation.js';
import { assertMayListHolds, liftHold, listHolds, setHold } from '../../records/retention-holds.js';
import { Lift, NewHold } from '../../records/retention-hold-input.js';
import { runPurge } from '../../records/retention.js';
import { requireUser } from '../auth/auth.js';
import { IDEMPOTENCY_NOTE, IdempotencyHeaders, idempotent } from '../idempotency.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';

const HoldParams = z.strictObject({ id: z.string().min(1).max(64) });
const HoldQuery = z.strictObject({ active: z.enum(['true', 'false']).optional(), lang: z.string().optional() });

const Hold = z.strictObject({
  id: z.string(),
  scope: z.enum(['case', 'customer', 'received']),
  complaintId: z.string().nullable(),
  complaintNumber: z.string().nullable(),
  contactKind: z.string().nullable(),
  receivedFrom: z.string().nullable(),
  receivedTo: z.string().nullable(),
  reason: z.string(),
  setBy: z.string(),
  setAt: z.string(),
  liftedBy: z.string().nullable(),
  liftedAt: z.string().nullable(),
  liftReason: z.string().nullable(),
  active: z.boolean(),
});
const Expired = z.strictObject({
  id: z.string(),
  number: z.string(),
  kind: z.string(),
  grade: z.string().nullable(),
  archivedAt: z.string(),
  days: z.number().int(),
  rule: z.enum(['grade', 'kind', 'default']),
  expiredAt: z.string(),
  mode: z.enum(['anonymise', 'remove']),
  heldBy: z.array(z.string()),
});
const Preview = z.strictObject({ policyKey: z.string().nullable(), mode: z.enum(['anonymise', 'remove']).nullable(), purged: z.array(Expired), held: z.array(Expired), more: z.boolean() });

export function legalHoldRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const signedIn = requireUser(app);

  server.get(
    '/api/v1/admin/legal-holds',
    { preHandler: signedIn, schema: { tags: ['admin'], summary: 'Legal holds, newest first (holders and auditors)', querystring: HoldQuery, response: { 200: z.strictObject({ items: z.array(Hold) }), ...errors(400, 401, 403) } } },
    async (req) => {
      const q = parseInput(HoldQuery, req.query);
      return { items: await listHolds(app, req.actor!, { active: q.active === 'true' }) };
    },
  );

  server.post(
    '/api/v1/admin/legal-holds',
    {
      preHandler: signedIn,
      schema: {
        tags: ['admin'],
        summary: 'Set a legal hold on a case, a customer or a range of receipt: no purge touches what it covers',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        body: NewHold,
        response: { 201: Hold, ...errors(400, 401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      const b = parseInput(NewHold, req.body);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: b }, async () => reply.status(201).send(await setHold(app, req.actor!, b)));
    },
  );

  server.post(
    '/api/v1/admin/legal-holds/:id/lift',
    {
      preHandler: signedIn,
      schema: {
        tags: ['admin'],
        summary: 'Lift a legal hold, with a reason',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        params: HoldParams,
        body: Lift,
        response: { 200: Hold, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { id } = parseInput(HoldParams, req.params);
      const b = parseInput(Lift, req.body);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { id, ...b } }, async () => reply.send(await liftHold(app, req.actor!, id, b.reason)));
    },
  );

  server.get(
    '/api/v1/admin/purge/preview',
    { preHandler: signedIn, schema: { tags: ['admin'], summary: 'Dry run of the retention purge: what would be purged and why, and the expired cases a legal hold keeps; changes nothing', response: { 200: Preview, ...errors(401, 403) } } },
    async (req) => {
      if (!req.actor!.roles.includes('admin')) await assertMayListHolds(app, req.actor!);
      const r = await runPurge(app, { dryRun: true });
      return { policyKey: r.policyKey, mode: r.mode, purged: r.purged, held: r.held, more: r.more };
    },
  );
}
