/** Caller recognition (issue 13): a caller's history by phone, e-mail, ID, or last four + name / date. */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { callerHistory } from '../../services/caller-history.js';
import { parseInput } from '../../domain/validation.js';
import { requireUser } from '../auth/auth.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { CallerHistory } from '../schemas/callers.js';

const HistoryQuery = z
  .object({
    /** In any common format: `13812345678`, `+86 138 1234 5678`, `0086-138-1234-5678`, `(010) 1234-5678`. */
    phone: z.string().trim().max(40).optional(),
    email: z.string().trim().max(200).optional(),
    idNumber: z.string().trim().max(40).optional(),
    /** The phone's last four digits, with `name` or `date`. */
    last4: z.string().trim().max(8).optional(),
    name: z.string().trim().max(100).optional(),
    /** YYYY-MM-DD in the policy's time zone: cases received that day. */
    date: z.string().trim().max(10).optional(),
    lang: z.string().optional(),
  })
  .strict();

export function callerRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  server.get(
    '/api/v1/callers/history',
    {
      preHandler: requireUser(app),
      schema: {
        tags: ['complaints'],
        summary: "来电识别 — a caller's earlier and open cases",
        description: 'Give one of `phone` (any format), `email`, `idNumber`, or `last4` with `name` or `date`. Only cases the caller may see are counted and listed (the complained-about employee finds none); personal data is masked.',
        querystring: HistoryQuery,
        response: { 200: CallerHistory, ...errors(400, 401) },
      },
    },
    async (req) => {
      const q = parseInput(HistoryQuery, req.query);
      return callerHistory(app, req.actor!, q);
    },
  );
}
