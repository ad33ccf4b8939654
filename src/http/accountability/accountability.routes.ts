/**
 * Accountability (考核, issue 11 §4): entries and scorecards over a period, one entry with its
 * history, and the steps confirm / appeal / decide. Every signed-in user may call them: what
 * each sees and may do is decided per entry (domain/accountability/workflow.ts) — their own
 * entries, their department's, or all for those who judge appeals or oversee.
 */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { accountabilityEntry, accountabilityScorecards, appealAccountabilityEntry, confirmAccountabilityEntry, decideAccountabilityAppeal, listAccountabilityEntries, type PeriodQuery } from '../../services/accountability.js';
import { AppealInput as AppealBody, ConfirmInput as ConfirmBody, DecideInput as DecideBody, ENTRY_STATUSES } from '../../domain/accountability/workflow.js';
import { parseInput } from '../../domain/validation.js';
import { requireUser } from '../auth/auth.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { AccountabilityEntry, AccountabilityEntryDetail, AccountabilityScorecards } from './accountability.schemas.js';
import { IDEMPOTENCY_NOTE, IdempotencyHeaders, idempotent } from '../idempotency.js';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Period = z
  .object({
    /** First local day (the active policy's time zone). */
    from: date,
    /** Last local day, included. */
    to: date,
    person: z.string().max(64).optional(),
    department: z.string().max(64).optional(),
    /** Comma-separated statuses. */
    status: z
      .string()
      .max(200)
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.enum(ENTRY_STATUSES)))
      .optional(),
    rule: z.string().max(64).optional(),
    lang: z.string().optional(),
  })
  .strict();
const IdParams = z.object({ id: z.string().max(64) });

function period(q: unknown): PeriodQuery {
  const p = parseInput(Period, q);
  return { from: p.from, to: p.to, ...(p.person ? { person: p.person } : {}), ...(p.department ? { department: p.department } : {}), ...(p.status ? { status: p.status } : {}), ...(p.rule ? { rule: p.rule } : {}) };
}

export function accountabilityRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const preHandler = requireUser(app);
  const tags = ['accountability'];

  server.get(
    '/api/v1/accountability/entries',
    {
      preHandler,
      schema: { tags, summary: 'Entries made in a period (local dates, `to` included) that the caller may see, newest first', querystring: Period, response: { 200: z.array(AccountabilityEntry), ...errors(400, 401) } },
    },
    async (req) => listAccountabilityEntries(app, req.actor!, period(req.query)),
  );

  server.get(
    '/api/v1/accountability/scorecards',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Scorecards per person and per department over a period: confirmed and upheld points and amounts, counts by rule, open and overturned entries',
        querystring: Period,
        response: { 200: AccountabilityScorecards, ...errors(400, 401) },
      },
    },
    async (req) => accountabilityScorecards(app, req.actor!, period(req.query)),
  );

  server.get('/api/v1/accountability/entries/:id', { preHandler, schema: { tags, summary: 'One entry with its history', params: IdParams, response: { 200: AccountabilityEntryDetail, ...errors(401, 404) } } }, async (req) =>
    accountabilityEntry(app, req.actor!, (req.params as { id: string }).id),
  );

  server.post(
    '/api/v1/accountability/entries/:id/confirm',
    {
      preHandler,
      schema: {
        tags,
        summary: "The manager confirms a proposed entry; `amount` is required within the rule's range when it has one",
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        params: IdParams,
        body: ConfirmBody,
        response: { 200: AccountabilityEntryDetail, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const id = (req.params as { id: string }).id;
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { id, body: req.body } }, async () => reply.send(await confirmAccountabilityEntry(app, req.actor!, id, req.body)));
    },
  );

  server.post(
    '/api/v1/accountability/entries/:id/appeal',
    {
      preHandler,
      schema: {
        tags,
        summary: 'The person a penalty names appeals it, with a reason',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        params: IdParams,
        body: AppealBody,
        response: { 200: AccountabilityEntryDetail, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const id = (req.params as { id: string }).id;
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { id, body: req.body } }, async () => reply.send(await appealAccountabilityEntry(app, req.actor!, id, req.body)));
    },
  );

  server.post(
    '/api/v1/accountability/entries/:id/decide',
    {
      preHandler,
      schema: {
        tags,
        summary: "An approver at the policy's appeal level upholds or overturns an appeal",
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        params: IdParams,
        body: DecideBody,
        response: { 200: AccountabilityEntryDetail, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const id = (req.params as { id: string }).id;
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { id, body: req.body } }, async () => reply.send(await decideAccountabilityAppeal(app, req.actor!, id, req.body)));
    },
  );
}
