/**
 * The customer channel as a JSON API under /api/v1/customer (issue 8 §6), for any client that is
 * not the server-rendered portal: a WeChat mini-program, an app, an H5 page, a regulator platform.
 * The same use cases as the portal pages (services/customer/*), with the same protections:
 *
 * - no login: a case is opened with its number + access code on every request, compared in
 *   constant time after the same (scrypt) work whether or not the number exists, and a wrong
 *   number and a wrong code get one identical answer (404, the same body but for its requestId);
 * - every route is rate limited per client address (counted in PostgreSQL for every instance);
 * - mutating routes take an `Idempotency-Key`;
 * - bad input is answered 400 naming the field, in the caller's language (`?lang=`, Accept-Language).
 *
 * Registered from customer.routes.ts in its own context (its multipart parser and rate limit).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import type { App } from '../../services/app.js';
import { AppError, LOCALES, fieldProblem, type FieldProblem, type Locale } from '../../domain/errors.js';
import type { Complaint as ComplaintType } from '../../domain/complaint/types.js';
import { parseInput } from '../../domain/validation.js';
import type { ChannelSettings } from '../../channels/settings.js';
import { storeStaged } from '../../channels/attachments.js';
import { formatAccessCode, tokenHash } from '../../channels/secrets.js';
import { submitFromPortal } from '../../services/customer/submit.js';
import { openCase, reloadCase } from '../../services/customer/open-case.js';
import { CUSTOMER_EVENT_CODES, customerView, type CustomerView as CustomerViewType } from '../../services/customer/customer-view.js';
import { supplementCase } from '../../services/customer/supplement.js';
import { SurveyRefused, answerSurvey, answerSurveyOnCase, surveyCase, type SurveyAnswer } from '../../services/customer/survey.js';
import type { StoredUpload } from '../../services/customer/attachments.js';
import { sharedRateLimitStore } from '../rate-limit-store.js';
import { discardUploads, readUploadForm, uploadFieldProblems } from '../uploads.js';
import { IDEMPOTENCY_NOTE, IdempotencyHeaders, REPLAYED_HEADER, idempotencyKeyOf, idempotent } from '../idempotency.js';
import { localeOf } from '../locale.js';
import { DEMANDS, stateLabel, t, type PortalKey } from '../portal/portal.i18n.js';
import { named, type ResponseTypeProvider } from '../schemas/registry.js';
import { ErrorBody, errors, type Describes } from '../schemas/common.js';
import { Kind, State } from '../schemas/cases.js';

const Satisfaction = z.enum(['very_satisfied', 'satisfied', 'neutral', 'unsatisfied']);

const CustomerEvent = named(
  'CustomerEvent',
  z.strictObject({
    at: z.string(),
    /** What happened, worded by the client in its language. */
    code: z.enum(CUSTOMER_EVENT_CODES),
    by: z.enum(['you', 'service', 'department']),
    text: z.string().optional(),
    dueAt: z.string().nullable().optional(),
    satisfaction: Satisfaction.optional(),
    cycle: z.number().int().optional(),
    attachments: z.array(z.string()).optional(),
  }),
  "One line of the customer's own timeline: no internal notes, staff only by role, no complained-about party",
);

const CustomerViewSchema = z.strictObject({
  number: z.string(),
  kind: Kind,
  state: State,
  cycle: z.number().int(),
  receivedAt: z.string(),
  promisedAt: z.string().nullable(),
  timeline: z.array(CustomerEvent),
  attachments: z.array(z.strictObject({ name: z.string(), size: z.number().int(), at: z.string() })),
  canSupplement: z.boolean(),
  surveyOpen: z.boolean(),
});
const _view: Describes<typeof CustomerViewSchema, CustomerViewType> = true;
void _view;

export const CustomerCase = named(
  'CustomerCase',
  CustomerViewSchema.extend({ stateText: z.string().meta({ description: "The state in the caller's language, as the portal shows it" }) }),
  "A case as its customer sees it (number + access code): state, promised time, the customer's timeline, files, whether information may be added and the survey answered",
);

const CustomerSubmitted = named(
  'CustomerSubmitted',
  z.strictObject({
    number: z.string(),
    /** Shown once, as the portal shows it (ABCD-EFGH). null on a replay whose code can no longer be re-derived (it was replaced by staff). */
    accessCode: z.string().nullable(),
    promisedAt: z.string().nullable(),
    state: State,
    stateText: z.string(),
  }),
  'The new case: its number and the access code to follow it (shown once: the server keeps only a hash)',
);

const SurveyAnswered = named('CustomerSurveyAnswered', z.strictObject({ number: z.string(), state: State, stateText: z.string(), reopened: z.boolean().meta({ description: 'Unsatisfied: the case is handled again' }) }));

const SurveyLink = named('CustomerSurveyLink', z.strictObject({ number: z.string(), expiresAt: z.string() }), 'The case a survey link is for, and until when it can be answered');

const FormLimits = named(
  'CustomerFormLimits',
  z.strictObject({
    kinds: z.array(Kind).meta({ description: 'The kinds the organisation accepts now' }),
    demands: z.array(z.enum(DEMANDS)),
    maxFiles: z.number().int(),
    maxBytes: z.number().int(),
    types: z.array(z.string()),
  }),
);

const NUMBER = z.string().trim().min(1).max(40).meta({ description: 'The case number, e.g. KS-2026-000123 (any case)' });
const CODE = z.string().trim().min(1).max(40).meta({ description: 'The access code, e.g. ABCD-EFGH (any case; the dash may be left out)' });
const Opener = z.strictObject({ number: NUMBER, code: CODE });
const Scores = z.strictObject({ attitude: z.number().int().min(1).max(5).optional(), efficiency: z.number().int().min(1).max(5).optional(), result: z.number().int().min(1).max(5).optional() });
const Answer = z.strictObject({
  satisfaction: Satisfaction,
  scores: Scores.optional().meta({ description: 'Per dimension, 1 (unsatisfied) to 5 (very satisfied)' }),
  comment: z.string().trim().max(4000).optional(),
});
const CaseSurvey = Opener.extend(Answer.shape);
const TokenParams = z.strictObject({ token: z.string().min(1).max(100) });
const LangQuery = z.object({ lang: z.string().max(20).optional() });

/** Documents the submission form only: it is read part by part (uploads.ts), then checked by SubmitFields. */
const SubmitForm = z.object({
  kind: Kind.optional().meta({ description: 'Default complaint' }),
  title: z.string().max(200).optional(),
  description: z.string().max(8000),
  anonymous: z.enum(['true', 'false']).optional(),
  name: z.string().max(100).optional(),
  phone: z.string().max(32).optional(),
  email: z.string().max(200).optional(),
  order: z.string().max(100).optional(),
  demands: z.array(z.enum(DEMANDS)).optional().meta({ description: 'Repeat the field for each demand' }),
  files: z
    .array(z.string().meta({ format: 'binary' }))
    .optional()
    .meta({ description: 'Evidence: photos, PDFs, …' }),
});
const SupplementForm = z.object({ number: NUMBER, code: CODE, text: z.string().max(4000).optional(), files: z.array(z.string().meta({ format: 'binary' })).optional() });

const one = z
  .array(z.string())
  .max(1)
  .optional()
  .transform((v) => v?.[0]);
const SubmitFields = z.strictObject({
  kind: z
    .array(Kind)
    .max(1)
    .optional()
    .transform((v) => v?.[0] ?? 'complaint'),
  title: one.pipe(z.string().trim().max(200).optional()),
  description: one.pipe(z.string({ error: '请描述您的问题|Describe your problem|請描述您的問題' }).trim().min(1, '请描述您的问题|Describe your problem|請描述您的問題').max(8000)),
  anonymous: one.pipe(z.enum(['true', 'false', '1', '0'], { error: '须为 true 或 false|Must be true or false|須為 true 或 false' }).optional()).transform((v) => v === 'true' || v === '1'),
  name: one.pipe(z.string().max(100).optional()),
  phone: one.pipe(z.string().max(32).optional()),
  email: one.pipe(z.string().max(200).optional()),
  order: one.pipe(z.string().max(100).optional()),
  demands: z
    .array(z.enum(DEMANDS))
    .optional()
    .transform((v) => v ?? []),
});
const SupplementFields = z.strictObject({ number: one.pipe(NUMBER), code: one.pipe(CODE), text: one.pipe(z.string().trim().max(4000).optional()) });

/** A text of the portal's catalogue as the message of a field problem, in all three languages. */
function portalProblem(path: string, key: PortalKey): FieldProblem {
  return { path, message: Object.fromEntries(LOCALES.map((l) => [l, t(l, key)])) as Record<Locale, string> };
}

/** The one answer for a wrong number, a wrong code, or both. */
const wrongNumberOrCode = () => new AppError('not_found', 'customer case', [portalProblem('number,code', 'not_found')]);

async function openedOr404(app: App, number: string, code: string): Promise<ComplaintType> {
  const c = await openCase(app, number, code);
  if (!c) throw wrongNumberOrCode();
  return c;
}

/** A survey refusal as an API error: which one in `reason`, worded as the portal words it. */
function surveyError(e: SurveyRefused): AppError {
  const key = `survey_${e.reason}` as PortalKey;
  if (e.reason === 'invalid') return new AppError('not_found', 'survey link', [portalProblem('token', key)], { reason: e.reason });
  return new AppError('conflict', `survey ${e.reason}`, [portalProblem('survey', key)], { reason: e.reason });
}

async function asCustomerCase(app: App, c: ComplaintType, locale: Locale) {
  return { ...(await customerView(app, c)), stateText: stateLabel(c.state, locale, c.cycle) };
}

function answered(c: ComplaintType, locale: Locale) {
  return { number: c.number, state: c.state, stateText: stateLabel(c.state, locale, c.cycle), reopened: c.state !== 'followed_up' && c.state !== 'answered' };
}

/**
 * A multipart form: fields, and the files stored (content-addressed, before any transaction) when
 * the whole upload is accepted; a refused file is named by its position and nothing is kept.
 */
async function uploadForm(app: App, req: FastifyRequest, s: ChannelSettings): Promise<{ fields: Record<string, string[]>; files: StoredUpload[] }> {
  if (!req.isMultipart()) throw new AppError('invalid_input', 'not multipart/form-data', [fieldProblem('body', '请以 multipart/form-data 提交', 'Send the form as multipart/form-data', '請以 multipart/form-data 提交')]);
  const form = await readUploadForm(req, s);
  try {
    if (form.problems.length) throw new AppError('invalid_input', 'attachments refused', uploadFieldProblems(form.problems, s));
    for (const f of form.files) await storeStaged(app, f);
  } finally {
    discardUploads(form.files);
  }
  return { fields: form.fields, files: form.files.map((f) => ({ name: f.name, contentType: f.contentType, size: f.size, sha256: f.sha256 })) };
}

const RATE_LIMITED = {
  description: 'Too many requests from this address (the portal limit, KESU_PORTAL_RATE_LIMIT per minute): retry after Retry-After seconds',
  content: { 'application/json': { schema: ErrorBody } },
};
const WRONG = { description: 'Wrong number or wrong code: one identical answer for both', content: { 'application/json': { schema: ErrorBody } } };

export async function customerApiRoutes(fastify: FastifyInstance, opts: { app: App }): Promise<void> {
  const app = opts.app;
  const api = fastify.withTypeProvider<ResponseTypeProvider>();
  await api.register(multipart, { throwFileSizeLimit: false });
  const perMinute = async () => app.settings.channels.portal.rateLimitPerMinute;
  await api.register(rateLimit, {
    global: false,
    store: sharedRateLimitStore(app),
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => req.ip, // behind trusted proxies, the right-most untrusted hop (http/security/proxy.ts)
    errorResponseBuilder: (_req, ctx) => new AppError('rate_limited', 'customer api rate limit', [], { retryAfter: Math.ceil(ctx.ttl / 1000) }),
  });
  const limited = { rateLimit: { max: perMinute, timeWindow: 60_000 } };
  const tags = ['customer'];

  api.get(
    '/api/v1/customer/form',
    {
      config: limited,
      schema: { tags, security: [], summary: 'What a submission may carry: the kinds accepted now, the demands, the attachment limits', querystring: LangQuery, response: { 200: FormLimits, ...errors(400), 429: RATE_LIMITED } },
    },
    async () => {
      const [s, p] = [app.settings.channels, await app.activePolicy()];
      return { kinds: (['complaint', 'inquiry', 'suggestion'] as const).filter((k) => p.kinds[k].enabled), demands: [...DEMANDS], maxFiles: s.attachments.maxFiles, maxBytes: s.attachments.maxBytes, types: s.attachments.types };
    },
  );

  api.post(
    '/api/v1/customer/complaints',
    {
      config: limited,
      schema: {
        tags,
        security: [],
        summary: 'Submit a complaint, inquiry or suggestion (multipart/form-data, with files); anonymous allowed',
        description:
          '201 with the case number and its access code (shown once). Without `anonymous=true` a name, phone or e-mail is required. Files as for the portal (KESU_ATTACHMENT_MAX_FILES of at most KESU_ATTACHMENT_MAX_BYTES, allowed types checked by their first bytes; a refused file is named `files[n]` and nothing is stored). ' +
          'The `Idempotency-Key` (16–200 characters, e.g. a UUID made when the form opens) makes a resend safe: the same key and form answer 201 again with `Idempotent-Replayed: true`, the same case and the same access code, and make nothing; another form under the same key is refused (422).' +
          IDEMPOTENCY_NOTE,
        headers: IdempotencyHeaders,
        consumes: ['multipart/form-data'],
        querystring: LangQuery,
        body: SubmitForm,
        response: {
          201: CustomerSubmitted,
          ...errors(400, 422),
          429: RATE_LIMITED,
        },
      },
    },
    async (req, reply) => {
      const s = app.settings.channels;
      const L = localeOf(req);
      const key = idempotencyKeyOf(req);
      if (key !== null && key.length < 16) throw new AppError('invalid_input', 'short Idempotency-Key', [fieldProblem('Idempotency-Key', '幂等键须为 16–200 个字符', 'Idempotency-Key must be 16–200 characters', '冪等鍵須為 16–200 個字元')]);
      const form = await uploadForm(app, req, s);
      const f = parseInput(SubmitFields, form.fields);
      const policy = await app.activePolicy();
      if (!policy.kinds[f.kind].enabled) throw new AppError('invalid_input', `kind ${f.kind} disabled`, [fieldProblem('kind', '暂不受理此类事项', 'This kind is not accepted at the moment', '暫不受理此類事項')]);
      const r = await submitFromPortal(app, s, { ...f, files: form.files, locale: L, nonce: key ? `api:${key}` : `api:${randomUUID()}` });
      // A resend answers as every other keyed route does (201, the replay header), not 200: a
      // client retrying after a lost answer then needs no special case for this one route.
      if (!r.created) reply.header(REPLAYED_HEADER, 'true');
      return reply
        .status(201)
        .send({ number: r.complaint.number, accessCode: r.accessCode && formatAccessCode(r.accessCode), promisedAt: r.promisedAt, state: r.complaint.state, stateText: stateLabel(r.complaint.state, L, r.complaint.cycle) });
    },
  );

  api.post(
    '/api/v1/customer/cases/track',
    {
      config: limited,
      schema: {
        tags,
        security: [],
        summary: "Open a case with its number and access code: the customer's view of it",
        description: 'A POST so the code stays out of URLs and logs. A wrong number and a wrong code get the same 404 after the same work.',
        querystring: LangQuery,
        body: Opener,
        response: { 200: CustomerCase, ...errors(400), 404: WRONG, 429: RATE_LIMITED },
      },
    },
    async (req) => {
      const { number, code } = parseInput(Opener, req.body ?? {});
      return asCustomerCase(app, await openedOr404(app, number, code), localeOf(req));
    },
  );

  api.post(
    '/api/v1/customer/cases/supplement',
    {
      config: limited,
      schema: {
        tags,
        security: [],
        summary: 'Add information and files to a case (multipart/form-data: `number`, `code`, `text`, `files`)',
        description: 'While the case is being handled (`canSupplement`); 409 otherwise. 200 with the case as the customer sees it now.' + IDEMPOTENCY_NOTE,
        headers: IdempotencyHeaders,
        consumes: ['multipart/form-data'],
        querystring: LangQuery,
        body: SupplementForm,
        response: { 200: CustomerCase, ...errors(400, 409, 422), 404: WRONG, 429: RATE_LIMITED },
      },
    },
    async (req, reply) => {
      const s = app.settings.channels;
      const L = localeOf(req);
      const form = await uploadForm(app, req, s);
      const f = parseInput(SupplementFields, form.fields);
      const c = await openedOr404(app, f.number, f.code);
      const text = f.text ?? '';
      if (!text && !form.files.length) throw new AppError('invalid_input', 'nothing to add', [fieldProblem('text', '请填写补充内容或附上文件', 'Write what to add or attach a file', '請填寫補充內容或附上檔案')]);
      const answer = async (x: ComplaintType) => reply.status(200).send(await asCustomerCase(app, x, L));
      return idempotent(app, req, reply, { scope: `case:${c.id}`, request: { text, files: form.files.map((x) => x.sha256) }, recover: async () => answer(await reloadCase(app, c.id)) }, async (mark) =>
        answer(await supplementCase(app, c, text, form.files, 'portal', (trx) => mark(trx, c.id))),
      );
    },
  );

  api.post(
    '/api/v1/customer/cases/survey',
    {
      config: limited,
      schema: {
        tags,
        security: [],
        summary: 'Answer the follow-up survey on a case (number + code), while `surveyOpen`',
        description: 'Unsatisfied: the case is handled again (`reopened`). A second answer is refused (409, `reason: used`).' + IDEMPOTENCY_NOTE,
        headers: IdempotencyHeaders,
        querystring: LangQuery,
        body: CaseSurvey,
        response: { 200: SurveyAnswered, ...errors(400, 409, 422), 404: WRONG, 429: RATE_LIMITED },
      },
    },
    async (req, reply) => {
      const { number, code, ...a } = parseInput(CaseSurvey, req.body ?? {});
      const L = localeOf(req);
      const c = await openedOr404(app, number, code);
      const answer: SurveyAnswer = { satisfaction: a.satisfaction, scores: a.scores, comment: a.comment || undefined };
      try {
        return await idempotent(app, req, reply, { scope: `case:${c.id}`, request: answer, recover: async () => reply.status(200).send(answered(await reloadCase(app, c.id), L)) }, async (mark) =>
          reply.status(200).send(answered(await answerSurveyOnCase(app, c, answer, (trx, saved) => mark(trx, saved.id)), L)),
        );
      } catch (e) {
        if (e instanceof SurveyRefused) throw surveyError(e);
        throw e;
      }
    },
  );

  api.get(
    '/api/v1/customer/surveys/:token',
    { config: limited, schema: { tags, security: [], summary: 'The case a survey invitation link is for', params: TokenParams, querystring: LangQuery, response: { 200: SurveyLink, ...errors(400, 404, 409), 429: RATE_LIMITED } } },
    async (req) => {
      const { token } = parseInput(TokenParams, req.params);
      try {
        const { complaint, expiresAt } = await surveyCase(app, token);
        return { number: complaint.number, expiresAt };
      } catch (e) {
        if (e instanceof SurveyRefused) throw surveyError(e);
        throw e;
      }
    },
  );

  api.post(
    '/api/v1/customer/surveys/:token',
    {
      config: limited,
      schema: {
        tags,
        security: [],
        summary: "Answer the follow-up survey through the invitation's link",
        description: 'Refusals name why in `reason`: `invalid` (404), `used`, `expired`, `closed` (409).' + IDEMPOTENCY_NOTE,
        headers: IdempotencyHeaders,
        params: TokenParams,
        querystring: LangQuery,
        body: Answer,
        response: { 200: SurveyAnswered, ...errors(400, 404, 409, 422), 429: RATE_LIMITED },
      },
    },
    async (req, reply) => {
      const { token } = parseInput(TokenParams, req.params);
      const a = parseInput(Answer, req.body ?? {});
      const L = localeOf(req);
      const answer: SurveyAnswer = { satisfaction: a.satisfaction, scores: a.scores, comment: a.comment || undefined };
      try {
        return await idempotent(app, req, reply, { scope: `survey:${tokenHash(token)}`, request: answer, recover: async (id) => reply.status(200).send(answered(await reloadCase(app, id ?? '-'), L)) }, async (mark) =>
          reply.status(200).send(answered(await answerSurvey(app, token, answer, (trx, saved) => mark(trx, saved.id)), L)),
        );
      } catch (e) {
        if (e instanceof SurveyRefused) throw surveyError(e);
        throw e;
      }
    },
  );
}
