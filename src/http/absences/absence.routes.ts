/**
 * Absences (issue 10 §3): record one (for oneself, or as the department manager or an
 * administrator for someone), list them (`?active=1`: away now — the console shows who is away
 * and who stands in), cancel one. The work is services/absences.ts.
 */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { cancelAbsenceBy, getAbsenceView, listAbsenceViews, recordAbsence } from '../../services/absences.js';
import { ListAbsencesQuery, RecordAbsenceInput } from '../../domain/absence/absence.js';
import { parseInput } from '../../domain/validation.js';
import { requireUser } from '../auth/auth.js';
import { IDEMPOTENCY_NOTE, IdempotencyHeaders, idempotent } from '../idempotency.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { Absence } from './schemas.js';

const AbsenceParams = z.object({ id: z.string().min(1).max(64) }).strict();
const ListQuery = ListAbsencesQuery.extend({ lang: z.string().optional() });

export function absenceRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const signedIn = requireUser(app);

  server.get(
    '/api/v1/absences',
    {
      preHandler: signedIn,
      schema: {
        tags: ['absences'],
        summary: 'Absences not over yet, by start (`active=1`: away now; `past=1`: every one; `userId`: one person’s, as absent person or stand-in)',
        querystring: ListQuery,
        response: { 200: z.array(Absence), ...errors(400, 401) },
      },
    },
    async (req) => {
      const q = parseInput(ListQuery, req.query);
      return listAbsenceViews(app, req.actor!, { active: q.active === '1', past: q.past === '1', ...(q.userId ? { userId: q.userId } : {}) });
    },
  );

  server.get('/api/v1/absences/:id', { preHandler: signedIn, schema: { tags: ['absences'], summary: 'One absence', params: AbsenceParams, response: { 200: Absence, ...errors(401, 404) } } }, async (req) => {
    const { id } = parseInput(AbsenceParams, req.params);
    return getAbsenceView(app, req.actor!, id);
  });

  server.post(
    '/api/v1/absences',
    {
      preHandler: signedIn,
      schema: {
        tags: ['absences'],
        summary:
          'Record an absence (one’s own; a department manager or an administrator for someone else). While it runs, the person’s cases pass to the backup handler (else the stand-in, else the department head) and decisions waiting for them to a stand-in of the same level',
        description: `\`from\` / \`to\`: an instant with an offset, or a local time or date in the policy's time zone (a date alone: \`from\` at its start, \`to\` at its end).${IDEMPOTENCY_NOTE}`,
        headers: IdempotencyHeaders,
        body: RecordAbsenceInput,
        response: { 201: Absence, ...errors(400, 401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      const input = parseInput(RecordAbsenceInput, req.body);
      const actor = req.actor!;
      return idempotent(app, req, reply, { scope: `user:${actor.id}`, request: input }, async (mark) => reply.status(201).send(await recordAbsence(app, actor, input, (trx) => mark(trx))));
    },
  );

  server.delete(
    '/api/v1/absences/:id',
    {
      preHandler: signedIn,
      schema: {
        tags: ['absences'],
        summary: 'Cancel an absence: one that has started ends now (its cases go back or stay, as the policy says); one that is over cannot be cancelled (409)',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        params: AbsenceParams,
        response: { 200: Absence, ...errors(401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { id } = parseInput(AbsenceParams, req.params);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { id } }, async () => reply.send(await cancelAbsenceBy(app, req.actor!, id)));
    },
  );
}
