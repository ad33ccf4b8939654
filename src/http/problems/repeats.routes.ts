/** Repeat complaints (issue 13 §2): the cases related to a case. */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { relatedCases } from '../../repeats/related.js';
import { parseInput } from '../../domain/validation.js';
import { requireUser } from '../auth/auth.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { RelatedCase } from './schemas.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });

export function repeatRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const signedIn = requireUser(app);
  server.get(
    '/api/v1/complaints/:id/related',
    {
      preHandler: signedIn,
      schema: {
        tags: ['complaints'],
        summary: 'Cases linked to this one at intake (same customer, same order / plate / product, near-identical text), visible ones only',
        params: IdParams,
        response: { 200: z.array(RelatedCase), ...errors(401, 404) },
      },
    },
    async (req) => relatedCases(app, req.actor!, parseInput(IdParams, req.params).id),
  );
}
