/**
 * Reveal one field of a masked case (issue 12 §6; services/reveal-field.ts): POST, so the reason
 * stays out of URLs and logs. No Idempotency-Key: a retry reveals the same value again and logs
 * again (listed in test/api/idempotency-coverage.test.ts) — replaying a stored answer would keep
 * personal data in the idempotency table.
 */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { RevealRequest, revealField } from '../../services/reveal-field.js';
import { PII_FIELDS } from '../../domain/permissions/pii.js';
import { parseInput } from '../../domain/validation.js';
import { requireUser } from '../auth/auth.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const Revealed = z.strictObject({ field: z.enum(PII_FIELDS), value: z.string() });

export function revealRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const signedIn = requireUser(app);

  server.post(
    '/api/v1/complaints/:id/reveal',
    {
      preHandler: signedIn,
      schema: {
        tags: ['complaints'],
        summary: 'Reveal one masked personal-data field of a case, with a reason; written to the personal-data access log',
        params: IdParams,
        body: RevealRequest,
        response: { 200: Revealed, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { id } = parseInput(IdParams, req.params);
      return revealField(app, req.actor!, id, parseInput(RevealRequest, req.body));
    },
  );
}
