/**
 * Duties (issue 10 §2): 我的待办 (`GET /api/v1/duties?mine=1`), a case's duties, and completing
 * one — on its case (the audited `complete_duty` transition) or, for an organisation duty, on its
 * own. The work is services/duties.ts.
 */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { completeCaseDuty, completeOrganisationDuty, listCaseDuties, listMyDuties } from '../../services/duties.js';
import { CompleteDutyBody } from '../../domain/lifecycle/inputs.js';
import { parseInput } from '../../domain/validation.js';
import { requireUser } from '../auth/auth.js';
import { IDEMPOTENCY_NOTE, IdempotencyHeaders, idempotent } from '../idempotency.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { named } from '../schemas/registry.js';

const label = z.strictObject({ 'zh-CN': z.string(), 'zh-TW': z.string(), en: z.string() });
export const DutySchema = named(
  'Duty',
  z.strictObject({
    id: z.string(),
    code: z.string(),
    name: label,
    /** What completing it records: a note, a written report (text + a file of the case), a verification (ok / not ok + text). */
    record: z.enum(['note', 'report', 'verification']),
    complaintId: z.string().nullable(),
    number: z.string().nullable(),
    /** `YYYY-MM` of an organisation duty; null for a case duty. */
    period: z.string().nullable(),
    createdAt: z.string(),
    createdBy: z.string(),
    owner: z.strictObject({ userId: z.string().nullable(), role: z.string().nullable(), departmentCode: z.string().nullable() }),
    dueAt: z.string(),
    status: z.enum(['open', 'done']),
    overdue: z.boolean(),
    breachedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    completedBy: z.string().nullable(),
    result: z.strictObject({ text: z.string().optional(), result: z.enum(['ok', 'not_ok']).optional(), attachments: z.array(z.strictObject({ name: z.string(), sha256: z.string().optional() })).optional() }).nullable(),
  }),
);

const ListQuery = z.object({ mine: z.enum(['1']).optional(), lang: z.string().optional() }).strict();
const CaseParams = z.object({ id: z.string().min(1).max(64) }).strict();
const CaseDutyParams = z.object({ id: z.string().min(1).max(64), dutyId: z.string().min(1).max(64) }).strict();
const DutyParams = z.object({ dutyId: z.string().min(1).max(64) }).strict();

export function dutyRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const signedIn = requireUser(app);

  server.get(
    '/api/v1/duties',
    { preHandler: signedIn, schema: { tags: ['duties'], summary: '我的待办: the open duties the caller owns (case and organisation ones), by due time', querystring: ListQuery, response: { 200: z.array(DutySchema), ...errors(400, 401) } } },
    async (req) => {
      parseInput(ListQuery, req.query);
      return listMyDuties(app, req.actor!);
    },
  );

  server.get(
    '/api/v1/complaints/:id/duties',
    { preHandler: signedIn, schema: { tags: ['duties'], summary: 'The duties of a case, open and done', params: CaseParams, response: { 200: z.array(DutySchema), ...errors(401, 404) } } },
    async (req) => listCaseDuties(app, req.actor!, parseInput(CaseParams, req.params).id),
  );

  server.post(
    '/api/v1/complaints/:id/duties/:dutyId/complete',
    {
      preHandler: signedIn,
      schema: {
        tags: ['duties'],
        summary: 'Complete a duty of the case with its record (the `complete_duty` transition, on the timeline)',
        description: `A report needs \`text\` and at least one of the case's files in \`attachmentIds\`; a verification \`result\` and \`text\`; a note \`text\`.${IDEMPOTENCY_NOTE}`,
        headers: IdempotencyHeaders,
        params: CaseDutyParams,
        body: CompleteDutyBody,
        response: { 200: DutySchema, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { id, dutyId } = parseInput(CaseDutyParams, req.params);
      const body = parseInput(CompleteDutyBody, req.body ?? {});
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { id, dutyId, body } }, async () => reply.send(await completeCaseDuty(app, req.actor!, id, dutyId, body)));
    },
  );

  server.post(
    '/api/v1/duties/:dutyId/complete',
    {
      preHandler: signedIn,
      schema: {
        tags: ['duties'],
        summary: 'Complete an organisation duty (a scheduled one, not tied to a case) with its record; audited in its history',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        params: DutyParams,
        body: CompleteDutyBody,
        response: { 200: DutySchema, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { dutyId } = parseInput(DutyParams, req.params);
      const body = parseInput(CompleteDutyBody, req.body ?? {});
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { dutyId, body } }, async () => reply.send(await completeOrganisationDuty(app, req.actor!, dutyId, body)));
    },
  );
}
