/**
 * One-step triage (issue 14): POST /api/v1/complaints/{id}/actions/triage applies 判定 → 分类分级
 * → 分派 in one transaction (services/triage.ts), and GET /api/v1/directory/load gives the
 * routing pickers each handler's open cases.
 */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { triageComplaint } from '../../services/triage.js';
import { handlerLoads } from '../../services/console-lookups.js';
import { viewComplaint } from '../../services/view-complaint.js';
import { withAttachments } from '../../services/case-attachments.js';
import { parseInput } from '../../domain/validation.js';
import { requireUser } from '../auth/auth.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { CaseView, documentedClocks } from '../schemas/cases.js';
import { IDEMPOTENCY_NOTE, IdempotencyHeaders, idempotent } from '../idempotency.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const StepBody = z.record(z.string(), z.unknown());
const TriageBody = z
  .object({
    judge: StepBody.meta({ description: "The `judge` action's input" }),
    classify: StepBody.optional().meta({ description: "The `classify` action's input (needed when judged valid)" }),
    route: StepBody.optional().meta({ description: "The `route` action's input (needed unless the policy routes the case on classification)" }),
  })
  .meta({ description: "One input per step; each step's JSON Schema is its action's `input` in GET /api/v1/lifecycle" });
const HandlerLoad = z.strictObject({ userId: z.string(), openCases: z.number().int() });

export function triageRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const signedIn = requireUser(app);

  server.post(
    '/api/v1/complaints/:id/actions/triage',
    {
      preHandler: signedIn,
      schema: {
        tags: ['complaints'],
        summary: 'One-step triage: judge, classify and route a received complaint at once',
        description:
          'Applies the actions `judge`, `classify` and `route` in this order, each as its own transition (three timeline events), in one transaction. Every step is decided before anything is written: a refused step refuses the request with its fields named under the step (`classify.grade`, `route.primaryHandlerId`) and nothing changes. ' +
          'A complaint judged invalid gets only the judgement; a case the policy assigns on classification (routing.majorTo) skips the route step.' +
          IDEMPOTENCY_NOTE,
        headers: IdempotencyHeaders,
        params: IdParams,
        body: TriageBody,
        response: { 200: CaseView, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { id } = parseInput(IdParams, req.params);
      const actor = req.actor!;
      const answer = async () => reply.status(200).send(documentedClocks(await withAttachments(app, await viewComplaint(app, actor, id))));
      return idempotent(app, req, reply, { scope: `user:${actor.id}`, request: { id, action: 'triage', body: req.body ?? {} }, recover: answer }, async (mark) => {
        await triageComplaint(app, actor, id, req.body ?? {}, { inTransaction: (trx, saved) => mark(trx, saved.id) });
        return answer();
      });
    },
  );

  server.get(
    '/api/v1/directory/load',
    {
      preHandler: signedIn,
      schema: { tags: ['admin'], summary: 'Open cases per primary handler (for routing pickers); handlers without open cases are absent', response: { 200: z.array(HandlerLoad), ...errors(401) } },
    },
    async () => handlerLoads(app),
  );
}
