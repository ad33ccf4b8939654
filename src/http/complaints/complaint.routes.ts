/** Complaints: intake, lists, the case page and lifecycle actions. */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { receiveComplaint } from '../../services/receive-complaint.js';
import { actOnComplaint } from '../../services/act-on-complaint.js';
import { viewComplaint } from '../../services/view-complaint.js';
import { withAttachments } from '../../services/case-attachments.js';
import { listComplaints } from '../../services/list-complaints.js';
import { IntakeInput } from '../../domain/lifecycle/intake.js';
import { actionUi } from '../../domain/lifecycle/ui-hints.js';
import { ACTIONS, ACTION_NAMES, ENDPOINT_ACTIONS, SYSTEM_ACTIONS, isActionName } from '../../domain/lifecycle/machine.js';
import { STATES } from '../../domain/complaint/types.js';
import { AppError } from '../../domain/errors.js';
import { parseInput } from '../../domain/validation.js';
import { requireUser } from '../auth/auth.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { CaseView, ComplaintList, Lifecycle, documentedClocks } from '../schemas/cases.js';
import { callerRoutes } from './caller.routes.js';
import { keyInformationRoutes } from './key-information.routes.js';
import { customerFlagRoutes } from './customer-flag.routes.js';
import { IDEMPOTENCY_NOTE, IdempotencyHeaders, idempotent } from '../idempotency.js';

const csv = z
  .string()
  .max(500)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

const ListQuery = z
  .object({
    state: csv.optional(),
    grade: csv.optional(),
    kind: csv.optional(),
    channel: csv.optional(),
    department: csv.optional(),
    handler: z.string().max(64).optional(),
    overdue: z.enum(['true', 'false']).optional(),
    needsApproval: z.enum(['true', 'false']).optional(),
    /** 催办: urged and not answered by the primary handler since (true), or not (false). */
    urged: z.enum(['true', 'false']).optional(),
    mine: z.enum(['first_responder', 'handler', 'followup', 'approver']).optional(),
    text: z.string().trim().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** received: newest first (default); due: the running clock due soonest first. */
    order: z.enum(['received', 'due']).default('received'),
    cursor: z.string().max(200).optional(),
    lang: z.string().optional(),
  })
  .strict();

const IdParams = z.object({ id: z.string().min(1).max(64) });
/** Documents the body only: each action checks its own input (domain/lifecycle/inputs.ts). */
const ActionBody = z.record(z.string(), z.unknown()).meta({ description: "The action's input: its JSON Schema is `input` in GET /api/v1/lifecycle" });
const ActionParams = z.object({ id: z.string().min(1).max(64), action: z.string().min(1).max(64) });

/** The lifecycle table as GET /api/v1/lifecycle serves it (the console builds its action forms from `input`). */
export function lifecycleTable() {
  return {
    states: [...STATES],
    actions: ACTION_NAMES.map((name) => {
      const a = ACTIONS[name];
      return {
        name,
        label: a.label,
        from: Object.fromEntries(Object.entries(a.from).map(([kind, states]) => [kind, [...states]])),
        targets: [...a.targets],
        who: [...a.who],
        system: SYSTEM_ACTIONS.includes(name),
        ownEndpoint: ENDPOINT_ACTIONS.includes(name),
        input: z.toJSONSchema(a.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
        ui: actionUi(name),
      };
    }),
  };
}

export function complaintRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const signedIn = requireUser(app);
  callerRoutes(fastify, app); // caller recognition (issue 13)
  keyInformationRoutes(fastify, app); // key-information marks (issue 13 §5)
  customerFlagRoutes(fastify, app); // flagged customers (issue 13 §3)

  server.post(
    '/api/v1/complaints',
    {
      preHandler: signedIn,
      schema: {
        tags: ['complaints'],
        summary: '受理登记 — register a complaint, inquiry or suggestion',
        description:
          'Send an `Idempotency-Key` header: a retried request replays the first answer (201 and the same body, byte for byte, with `Idempotent-Replayed: true`) and creates nothing; the same key with another body is refused (422). ' +
          'A 200 is the case as it is now, for a key that created it but whose answer was lost (or was recorded before answers were kept).',
        headers: IdempotencyHeaders,
        body: IntakeInput,
        response: {
          201: CaseView,
          200: { description: 'The case an earlier request with this Idempotency-Key created, as it is now (its first answer was lost)', content: { 'application/json': { schema: CaseView } } },
          ...errors(400, 401, 403, 409, 422),
        },
      },
    },
    async (req, reply) => {
      const actor = req.actor!;
      return idempotent(
        app,
        req,
        reply,
        {
          scope: `user:${actor.id}`,
          request: req.body,
          recover: async (id) => {
            const view = await withAttachments(app, await viewComplaint(app, actor, id ?? '-'));
            const promisedAt = view.clocks.find((k) => k.kind === 'resolve')?.dueAt ?? null;
            return reply.status(200).send(documentedClocks({ ...view, promisedAt }));
          },
        },
        async (mark) => {
          const r = await receiveComplaint(app, actor, req.body, undefined, { viewedBy: actor, inTransaction: (trx, c) => mark(trx, c.id) });
          // A new case's access was logged in its intake transaction.
          const view = await withAttachments(app, await viewComplaint(app, actor, r.complaint.id, { accessLogged: true }));
          return reply.status(201).send(documentedClocks({ ...view, promisedAt: r.promisedAt }));
        },
      );
    },
  );

  server.get(
    '/api/v1/complaints',
    { preHandler: signedIn, schema: { tags: ['complaints'], summary: 'List and search cases (keyset pagination)', querystring: ListQuery, response: { 200: ComplaintList, ...errors(400, 401) } } },
    async (req) => {
      const q = parseInput(ListQuery, req.query);
      return listComplaints(
        app,
        req.actor!,
        {
          state: q.state,
          grade: q.grade,
          kind: q.kind,
          channel: q.channel,
          departmentCode: q.department,
          handlerId: q.handler,
          overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
          needsApproval: q.needsApproval === undefined ? undefined : q.needsApproval === 'true',
          urged: q.urged === undefined ? undefined : q.urged === 'true',
          mine: q.mine,
          text: q.text,
        },
        { limit: q.limit, cursor: q.cursor, order: q.order },
      );
    },
  );

  server.get(
    '/api/v1/complaints/:id',
    { preHandler: signedIn, schema: { tags: ['complaints'], summary: 'A case: timeline, clocks with explanations, allowedActions', params: IdParams, response: { 200: CaseView, ...errors(401, 404) } } },
    async (req) => documentedClocks(await withAttachments(app, await viewComplaint(app, req.actor!, parseInput(IdParams, req.params).id))),
  );

  server.post(
    '/api/v1/complaints/:id/actions/:action',
    {
      preHandler: signedIn,
      schema: {
        tags: ['complaints'],
        summary: 'Perform a lifecycle action',
        description: `Actions: ${ACTION_NAMES.filter((a) => !SYSTEM_ACTIONS.includes(a) && !ENDPOINT_ACTIONS.includes(a)).join(', ')}. The body is the action's input (see GET /api/v1/lifecycle). Files: POST /api/v1/complaints/{id}/attachments.${IDEMPOTENCY_NOTE}`,
        headers: IdempotencyHeaders,
        params: ActionParams,
        body: ActionBody,
        response: { 200: CaseView, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { id, action } = parseInput(ActionParams, req.params);
      // attach carries files: only its own endpoint may record them.
      if (!isActionName(action) || SYSTEM_ACTIONS.includes(action) || ENDPOINT_ACTIONS.includes(action)) throw new AppError('not_found', `action ${action}`);
      const actor = req.actor!;
      const answer = async () => reply.status(200).send(documentedClocks(await withAttachments(app, await viewComplaint(app, actor, id))));
      return idempotent(app, req, reply, { scope: `user:${actor.id}`, request: { id, action, body: req.body ?? {} }, recover: answer }, async (mark) => {
        await actOnComplaint(app, actor, id, action, req.body ?? {}, { inTransaction: (trx, saved) => mark(trx, saved.id) });
        return answer();
      });
    },
  );

  server.get('/api/v1/lifecycle', { schema: { tags: ['complaints'], summary: 'The lifecycle table: states, actions, who, targets, input schemas', response: { 200: Lifecycle, ...errors() } } }, async () => lifecycleTable());
}
