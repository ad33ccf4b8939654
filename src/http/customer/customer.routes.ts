/**
 * Issue 4's HTTP side, registered from server.ts in one line: the public portal under /portal
 * (its own encapsulated context: form parsers, rate limits, HTML errors) and the staff API
 * around customer channels — the outbox for admins (dead letters and retry), staff contact
 * details, and a new access code for a customer on the phone. (Case attachments:
 * complaints/attachment.routes.ts.)
 */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { AppError, fieldProblem } from '../../domain/errors.js';
import { parseInput } from '../../domain/validation.js';
import { maskEmail, maskPhone } from '../../domain/permissions/pii.js';
import { findIdByNumber } from '../../store/complaint.repository.js';
import { getOutboxRow, outboxCounts, queryOutbox, retryDead, type OutboxRow } from '../../store/delivery.repository.js';
import { setStaffContact } from '../../store/customer.repository.js';
import { getUser } from '../../store/user.repository.js';
import { resetAccessCode } from '../../services/customer/access-code.js';
import { requireUser } from '../auth/auth.js';
import { IDEMPOTENCY_NOTE, IdempotencyHeaders, idempotent } from '../idempotency.js';
import { localeOf } from '../locale.js';
import { portalRoutes } from '../portal/portal.routes.js';
import { customerApiRoutes } from './customer-api.routes.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { AccessCode } from '../schemas/cases.js';
import { OutboxMessage, OutboxPage, StaffContact } from '../schemas/organisation.js';

const csv = z
  .string()
  .max(200)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

const OutboxQuery = z
  .object({
    status: csv.optional(),
    channel: csv.optional(),
    complaint: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(200).optional(),
    lang: z.string().optional(),
  })
  .strict();

const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();
const Contact = z
  .object({
    email: z.email().max(200).nullable().optional(),
    phone: z
      .string()
      .trim()
      .regex(/^[0-9+\-() ]{5,32}$/, '电话号码格式不正确|Invalid phone number|電話號碼格式不正確')
      .nullable()
      .optional(),
  })
  .strict();

/** What an admin sees of a row: addresses masked, sealed secrets left out. */
function adminView({ leaseOwner: _owner, ...r }: OutboxRow) {
  const rec = { ...r.recipient } as Record<string, unknown>;
  if (typeof rec.address === 'string') rec.address = maskEmail(rec.address);
  if (typeof rec.phone === 'string') rec.phone = maskPhone(rec.phone);
  const { sealed: _s, ...payload } = r.payload;
  return { ...r, recipient: rec, payload };
}

function cursorOf(r: OutboxRow): string {
  return Buffer.from(`${r.createdAt}|${r.id}`).toString('base64url');
}

async function apiRoutes(fastify: FastifyInstance, app: App): Promise<void> {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const admin = requireUser(app, ['admin']);
  const signedIn = requireUser(app);

  server.get(
    '/api/v1/admin/outbox',
    { preHandler: admin, schema: { tags: ['admin'], summary: 'Outbox messages (e.g. ?status=dead for dead letters), newest first', querystring: OutboxQuery, response: { 200: OutboxPage, ...errors(400, 401, 403) } } },
    async (req) => {
      const q = parseInput(OutboxQuery, req.query);
      let before: { createdAt: string; id: string } | undefined;
      if (q.cursor) {
        const [createdAt, id] = Buffer.from(q.cursor, 'base64url').toString().split('|');
        if (!createdAt || !id) throw new AppError('invalid_input', 'bad cursor', [fieldProblem('cursor', '分页游标无效', 'Invalid cursor')]);
        before = { createdAt, id };
      }
      const complaintId = q.complaint && /^KS-/i.test(q.complaint) ? ((await findIdByNumber(app.database.db, q.complaint.toUpperCase())) ?? '-') : q.complaint;
      const rows = await queryOutbox(app.database.db, { status: q.status, channel: q.channel, complaintId, limit: q.limit + 1, before });
      const items = rows.slice(0, q.limit);
      return { items: items.map(adminView), nextCursor: rows.length > q.limit ? cursorOf(items[items.length - 1]!) : null, counts: await outboxCounts(app.database.db) };
    },
  );

  server.post(
    '/api/v1/admin/outbox/:id/retry',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'Send a dead-lettered message again (fresh attempts)',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        params: IdParams,
        response: { 200: OutboxMessage, ...errors(401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { id } = parseInput(IdParams, req.params);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { id } }, async () => {
        const row = await getOutboxRow(app.database.db, id);
        if (!row) throw new AppError('not_found', `outbox ${id}`);
        if (!(await retryDead(app.database.db, id, app.now().toISOString()))) throw new AppError('illegal_transition', `outbox ${id} is ${row.status}, not dead`);
        app.events.emit('outbox_changed', { id });
        return reply.status(200).send(adminView((await getOutboxRow(app.database.db, id))!));
      });
    },
  );

  server.put(
    '/api/v1/admin/users/:id/contact',
    { preHandler: admin, schema: { tags: ['admin'], summary: "A staff member's e-mail and phone for notifications", params: IdParams, body: Contact, response: { 200: StaffContact, ...errors(400, 401, 403, 404) } } },
    async (req) => {
      const { id } = parseInput(IdParams, req.params);
      const body = parseInput(Contact, req.body ?? {});
      if (!(await getUser(app.database.db, id))) throw new AppError('not_found', `user ${id}`);
      await setStaffContact(app.database.db, id, body);
      return { id, ...body };
    },
  );

  server.post(
    '/api/v1/complaints/:id/access-code',
    {
      preHandler: signedIn,
      schema: {
        tags: ['complaints'],
        summary: 'A new portal access code to read to the customer (replaces the old one; shown once)',
        description: `A retry with the same \`Idempotency-Key\` shows the same code again (kept sealed, never in clear, until the key expires) instead of replacing it.${IDEMPOTENCY_NOTE}`,
        headers: IdempotencyHeaders,
        params: IdParams,
        response: { 200: AccessCode, ...errors(401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { id } = parseInput(IdParams, req.params);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { id } }, async () => reply.status(200).send(await resetAccessCode(app, req.actor!, id, localeOf(req))));
    },
  );
}

/** Registered from server.ts: `await server.register(customerChannelRoutes, { app })`. */
export async function customerChannelRoutes(server: FastifyInstance, opts: { app: App }): Promise<void> {
  await apiRoutes(server, opts.app);
  await server.register(portalRoutes, { app: opts.app, prefix: '/portal' });
  // The same use cases as JSON under /api/v1/customer (its own context: multipart, rate limit).
  await server.register(customerApiRoutes, { app: opts.app });
}
