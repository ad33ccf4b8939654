/** Flagged customers (issue 13 §3): flag the customer of a malicious case, list a case's flags, lift one. */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { flagCustomerOfCase, flagsOfCase, liftCustomerFlagById } from '../../services/customer-flags.js';
import { parseInput } from '../../domain/validation.js';
import { requireUser } from '../auth/auth.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { CustomerFlag } from '../schemas/customer-flags.js';
import { IDEMPOTENCY_NOTE, IdempotencyHeaders, idempotent } from '../idempotency.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const FlagParams = z.object({ flagId: z.string().min(1).max(64) });
const Reason = z.strictObject({ reason: z.string().trim().min(2).max(500) });

export function customerFlagRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const signedIn = requireUser(app);

  server.get(
    '/api/v1/complaints/:id/customer-flags',
    { preHandler: signedIn, schema: { tags: ['complaints'], summary: "Flags in force for the case's customer (恶意投诉 flags)", params: IdParams, response: { 200: z.array(CustomerFlag), ...errors(401, 404) } } },
    async (req) => flagsOfCase(app, req.actor!, parseInput(IdParams, req.params).id),
  );

  server.post(
    '/api/v1/complaints/:id/customer-flags',
    {
      preHandler: signedIn,
      schema: {
        tags: ['complaints'],
        summary: "Flag the customer of a case judged malicious (policy customerFlags.setBy); it shows at intake and on the customer's cases, and never blocks intake",
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        params: IdParams,
        body: Reason,
        response: { 201: CustomerFlag, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { id } = parseInput(IdParams, req.params);
      const b = parseInput(Reason, req.body);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { id, ...b } }, async () => reply.status(201).send(await flagCustomerOfCase(app, req.actor!, id, b)));
    },
  );

  server.post(
    '/api/v1/customer-flags/:flagId/lift',
    {
      preHandler: signedIn,
      schema: {
        tags: ['complaints'],
        summary: 'Lift a customer flag before it expires (policy customerFlags.liftBy)',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        params: FlagParams,
        body: Reason,
        response: { 200: z.strictObject({ ok: z.literal(true) }), ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { flagId } = parseInput(FlagParams, req.params);
      const b = parseInput(Reason, req.body);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { flagId, ...b } }, async () => {
        await liftCustomerFlagById(app, req.actor!, flagId, b.reason);
        return reply.send({ ok: true as const });
      });
    },
  );
}
