/** Problem records (问题单, issue 13 §2): open one over cases, list, show, take a step; a case's records. */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { listProblemRecords, openProblem, problemsForCase, PROBLEM_STATES, PROBLEM_STEPS, showProblem, takeProblemStep } from '../../services/problems.js';
import { parseInput } from '../../domain/validation.js';
import { requireUser } from '../auth/auth.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { IDEMPOTENCY_NOTE, IdempotencyHeaders, idempotent } from '../idempotency.js';
import { Problem, ProblemDetail } from './schemas.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const text = (max: number) => z.string().trim().min(2).max(max);
const OpenBody = z.strictObject({
  title: text(200),
  action: text(2000),
  ownerId: z.string().min(1).max(64),
  dueDate: z.iso.date(),
  caseIds: z.array(z.string().min(1).max(64)).min(1).max(200),
  reason: text(1000),
});
const StepBody = z.strictObject({ step: z.enum(PROBLEM_STEPS), reason: text(1000) });
const ListQuery = z.object({ state: z.enum(PROBLEM_STATES).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });

export function problemRecordRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const signedIn = requireUser(app);

  server.get(
    '/api/v1/problems',
    { preHandler: signedIn, schema: { tags: ['problems'], summary: 'Problem records (问题单), most recently changed first', querystring: ListQuery, response: { 200: z.array(Problem), ...errors(400, 401) } } },
    async (req) => listProblemRecords(app, req.actor!, parseInput(ListQuery, req.query)),
  );

  server.post(
    '/api/v1/problems',
    {
      preHandler: signedIn,
      schema: {
        tags: ['problems'],
        summary: 'Open a problem record over cases the manager may see, with the corrective action, its owner and due date',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        body: OpenBody,
        response: { 201: ProblemDetail, ...errors(400, 401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      const b = parseInput(OpenBody, req.body);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: b }, async () => reply.status(201).send(await openProblem(app, req.actor!, b)));
    },
  );

  server.get(
    '/api/v1/problems/:id',
    { preHandler: signedIn, schema: { tags: ['problems'], summary: 'A problem record with its visible cases and every step', params: IdParams, response: { 200: ProblemDetail, ...errors(401, 404) } } },
    async (req) => showProblem(app, req.actor!, parseInput(IdParams, req.params).id),
  );

  server.post(
    '/api/v1/problems/:id/steps',
    {
      preHandler: signedIn,
      schema: {
        tags: ['problems'],
        summary: 'Report the action done (owner or manager), verify it (closes the record) or reopen (managers), with why',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        params: IdParams,
        body: StepBody,
        response: { 200: ProblemDetail, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { id } = parseInput(IdParams, req.params);
      const b = parseInput(StepBody, req.body);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { id, ...b } }, async () => reply.send(await takeProblemStep(app, req.actor!, id, b.step, b.reason)));
    },
  );

  server.get(
    '/api/v1/complaints/:id/problems',
    { preHandler: signedIn, schema: { tags: ['complaints'], summary: 'Problem records grouping this case', params: IdParams, response: { 200: z.array(Problem), ...errors(401, 404) } } },
    async (req) => problemsForCase(app, req.actor!, parseInput(IdParams, req.params).id),
  );
}
