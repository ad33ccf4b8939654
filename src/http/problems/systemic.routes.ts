/** 系统性问题 (issue 13 §2): subjects ranked by recurrence with their trend, and the drill-down to the cases. */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { systemicCases, systemicRanking } from '../../repeats/systemic.js';
import { parseInput } from '../../domain/validation.js';
import { requireUser } from '../auth/auth.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { SubjectCase, SystemicRanking } from './schemas.js';

const Period = { from: z.iso.date(), to: z.iso.date() };
const RankingQuery = z.object({ ...Period, minCases: z.coerce.number().int().min(1).max(1000).default(2) });
/** '' (or absent) names the subjects without a category / product. */
const CasesQuery = z.object({ ...Period, category: z.string().max(64).optional(), product: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });

export function systemicRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const signedIn = requireUser(app);
  server.get(
    '/api/v1/systemic/subjects',
    {
      preHandler: signedIn,
      schema: { tags: ['problems'], summary: '系统性问题: subjects ranked by recurrence over the period, with the previous period (visible cases only)', querystring: RankingQuery, response: { 200: SystemicRanking, ...errors(400, 401) } },
    },
    async (req) => systemicRanking(app, req.actor!, parseInput(RankingQuery, req.query)),
  );
  server.get(
    '/api/v1/systemic/cases',
    { preHandler: signedIn, schema: { tags: ['problems'], summary: 'The visible cases of one subject in the period (drill-down)', querystring: CasesQuery, response: { 200: z.array(SubjectCase), ...errors(400, 401) } } },
    async (req) => {
      const q = parseInput(CasesQuery, req.query);
      return systemicCases(app, req.actor!, { ...q, category: q.category || null, product: q.product || null });
    },
  );
}
