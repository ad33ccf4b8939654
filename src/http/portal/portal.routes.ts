/**
 * The public portal at /portal (issue 4): server-rendered pages for customers — submit (anonymous
 * allowed, with attachments), track with case number + access code, add information, answer the
 * survey (on the case page or through the tokenized link of the invitation).
 *
 * No login. Enumeration is impossible by design: a wrong number and a wrong code get the same
 * page and status after the same (scrypt) work; every POST and the survey link are rate limited
 * per client address. Pages send no script, forbid framing, and are never cached.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import { sharedRateLimitStore } from '../rate-limit-store.js';
import type { App } from '../../services/app.js';
import type { Locale } from '../../domain/errors.js';
import { AppError, messageFor } from '../../domain/errors.js';
import { lockTimedOut, storageFaultKind } from '../../store/storage-health.js';
import { LOCK_RETRY_AFTER_S, STORAGE_RETRY_AFTER_S } from '../error-handler.js';
import type { Complaint, Satisfaction } from '../../domain/complaint/types.js';
import { localeOf } from '../locale.js';
import type { ChannelSettings } from '../../channels/settings.js';
import { storeStaged } from '../../channels/attachments.js';
import { discardUploads, readUploadForm, uploadProblemLines } from '../uploads.js';
import { organisationName } from '../../channels/templates.js';
import { submitFromPortal } from '../../services/customer/submit.js';
import { openCase, reloadCase } from '../../services/customer/open-case.js';
import { customerView } from '../../services/customer/customer-view.js';
import { supplementCase } from '../../services/customer/supplement.js';
import { SurveyRefused, answerSurvey, answerSurveyOnCase, surveyCase, type SurveyAnswer } from '../../services/customer/survey.js';
import type { StoredUpload } from '../../services/customer/attachments.js';
import { casePage, esc, homePage, messagePage, submitPage, submittedPage, surveyPage, trackPage, type PageCtx, type SubmitValues } from './portal.pages.js';
import { DEMANDS, stateLabel, t } from './portal.i18n.js';
import { idempotencyKeyOf, idempotent } from '../idempotency.js';
import { tokenHash } from '../../channels/secrets.js';

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).headers(SECURITY_HEADERS).type('text/html; charset=utf-8').send(body);
}

async function pageCtx(app: App, req: FastifyRequest, policyKey?: string): Promise<PageCtx> {
  const locale = localeOf(req);
  const policy = policyKey ? await app.policyByKey(policyKey) : await app.activePolicy();
  const path = (req.url.split('?')[0] ?? '/portal').replace(/\/+$/, '') || '/portal';
  return { locale, organisation: organisationName(policy, locale), timeZone: policy.calendar.timeZone, path };
}

/** A field as one string (forms may repeat a key). */
function one(v: unknown): string {
  if (Array.isArray(v)) return one(v[0]);
  return typeof v === 'string' ? v : '';
}

interface ParsedForm {
  fields: Record<string, string[]>;
  files: StoredUpload[];
  problems: string[];
}

/**
 * Reads a multipart form (uploads.ts). Accepted files reach the file store only when the whole
 * form's files are accepted (before the transaction that records them); a refused upload keeps
 * none of them. A file stored for a submission that then fails is removed by the staging sweep.
 */
async function readMultipart(app: App, req: FastifyRequest, s: ChannelSettings, locale: Locale): Promise<ParsedForm> {
  const form = await readUploadForm(req, s);
  if (form.problems.length) discardUploads(form.files);
  else
    try {
      for (const f of form.files) await storeStaged(app, f);
    } finally {
      discardUploads(form.files);
    }
  return {
    fields: form.fields,
    files: form.problems.length ? [] : form.files.map((f) => ({ name: f.name, contentType: f.contentType, size: f.size, sha256: f.sha256 })),
    problems: uploadProblemLines(form.problems, s, locale),
  };
}

function fieldProblems(e: AppError, locale: Locale): string[] {
  return e.fields.length ? e.fields.map((f) => f.message[locale]) : [e.detail ?? e.code];
}

/**
 * The Idempotency-Key of a portal post: the header, else the form's one-time nonce (pages carry
 * one per form, so a double submit acts once and shows the first answer again).
 */
function formKey(req: FastifyRequest, fields: Record<string, unknown>): string | null {
  const header = idempotencyKeyOf(req);
  if (header) return header;
  const nonce = one(fields.nonce);
  return /^[0-9a-f-]{36}$/.test(nonce) ? nonce : null;
}

const SCORE: Record<Satisfaction, number> = { very_satisfied: 5, satisfied: 4, neutral: 3, unsatisfied: 1 };
const LEVELS = Object.keys(SCORE) as Satisfaction[];

/** The survey form's answer; the per-dimension 4-level answers become 1–5 scores (5/4/3/1). */
function surveyAnswer(body: Record<string, unknown>): SurveyAnswer | null {
  const pick = (k: string) => {
    const v = one(body[k]);
    return (LEVELS as string[]).includes(v) ? (v as Satisfaction) : undefined;
  };
  const satisfaction = pick('satisfaction');
  if (!satisfaction) return null;
  const scores: SurveyAnswer['scores'] = {};
  for (const k of ['attitude', 'efficiency', 'result'] as const) {
    const v = pick(k);
    if (v) scores[k] = SCORE[v];
  }
  const comment = one(body.comment).trim().slice(0, 4000);
  return { satisfaction, scores: Object.keys(scores).length ? scores : undefined, comment: comment || undefined };
}

export async function portalRoutes(portal: FastifyInstance, opts: { app: App }): Promise<void> {
  const app = opts.app;
  await portal.register(formbody, { bodyLimit: 256 * 1024 });
  await portal.register(multipart, { throwFileSizeLimit: false });
  await portal.register(rateLimit, {
    global: false,
    // Counted in PostgreSQL for every instance; in memory on SQLite.
    store: sharedRateLimitStore(app),
    max: async () => app.settings.channels.portal.rateLimitPerMinute,
    timeWindow: 60_000,
    // The client's address: behind trusted proxies the right-most untrusted X-Forwarded-For hop,
    // never an entry the client wrote itself (http/security/proxy.ts).
    keyGenerator: (req) => req.ip,
  });
  const limited = { config: { rateLimit: { max: async () => app.settings.channels.portal.rateLimitPerMinute, timeWindow: 60_000 } }, schema: { hide: true } };
  const hidden = { schema: { hide: true } };

  portal.setErrorHandler(async (err: Error & { statusCode?: number }, req, reply) => {
    const ctx = await pageCtx(app, req).catch((): PageCtx => ({ locale: localeOf(req), organisation: 'Kesu', timeZone: 'Asia/Shanghai', path: '/portal' }));
    const L = ctx.locale;
    if (err.statusCode === 429) return html(reply, 429, messagePage(ctx, t(L, 'too_many'), t(L, 'too_many')));
    if (err.statusCode === 413) return html(reply, 413, messagePage(ctx, t(L, 'problems'), uploadProblemLines([{ index: -1, name: '', reason: 'too_large' }], app.settings.channels, L)[0]!));
    if (err instanceof AppError && err.code === 'not_found') return html(reply, 404, messagePage(ctx, t(L, 'page_not_found'), t(L, 'page_not_found')));
    // A database lock held past the busy time-out, a full or read-only database: retry later (as the API answers).
    const fault = storageFaultKind(err)?.kind ?? (lockTimedOut(err) ? 'busy' : null);
    if (fault) {
      reply.header('retry-after', String(fault === 'busy' ? LOCK_RETRY_AFTER_S : STORAGE_RETRY_AFTER_S));
      const code = fault === 'busy' ? 'storage_busy' : fault === 'disk_full' ? 'storage_full' : 'storage_unavailable';
      return html(reply, fault === 'disk_full' ? 507 : 503, messagePage(ctx, t(L, 'error'), messageFor(code, L)));
    }
    // A bad Idempotency-Key, one reused for another answer, one still being processed.
    const keyStatus = err instanceof AppError ? ({ invalid_input: 400, idempotency_mismatch: 422, conflict: 409 } as Record<string, number>)[err.code] : undefined;
    if (err instanceof AppError && keyStatus) return html(reply, keyStatus, messagePage(ctx, t(L, 'problems'), fieldProblems(err, L).join(' ')));
    if (err.statusCode && err.statusCode < 500) return html(reply, err.statusCode, messagePage(ctx, t(L, 'problems'), err.message));
    app.log.error({ err }, 'portal error');
    return html(reply, 500, messagePage(ctx, t(L, 'error'), t(L, 'error')));
  });
  const notFound = async (req: FastifyRequest, reply: FastifyReply) => {
    const ctx = await pageCtx(app, req);
    return html(reply, 404, messagePage(ctx, t(ctx.locale, 'page_not_found'), t(ctx.locale, 'page_not_found')));
  };
  portal.setNotFoundHandler(notFound);
  // Wins over the web console's catch-all GET route (which leaves /portal/* to us).
  portal.get('/*', hidden, notFound);

  portal.get('/', hidden, async (req, reply) => html(reply, 200, homePage(await pageCtx(app, req))));

  const enabledKinds = async () => {
    const p = await app.activePolicy();
    return (['complaint', 'inquiry', 'suggestion'] as const).filter((k) => p.kinds[k].enabled);
  };

  portal.get('/submit', hidden, async (req, reply) => {
    const s = app.settings.channels;
    return html(reply, 200, submitPage(await pageCtx(app, req), { nonce: randomUUID(), maxFiles: s.attachments.maxFiles, maxBytes: s.attachments.maxBytes, kinds: await enabledKinds() }));
  });

  portal.post('/submit', limited, async (req, reply) => {
    const s = app.settings.channels;
    const ctx = await pageCtx(app, req);
    const L = ctx.locale;
    if (!req.isMultipart()) return html(reply, 400, messagePage(ctx, t(L, 'problems'), t(L, 'error')));
    const form = await readMultipart(app, req, s, L);
    const f = (k: string) => one(form.fields[k]).trim();
    const kinds = await enabledKinds();
    const values: SubmitValues = {
      kind: kinds.includes(f('kind') as never) ? f('kind') : kinds[0],
      title: f('title'),
      description: f('description'),
      order: f('order'),
      demands: (form.fields.demands ?? []).filter((d) => (DEMANDS as readonly string[]).includes(d)),
      anonymous: f('anonymous') === '1' || f('anonymous') === 'on',
      name: f('name'),
      phone: f('phone'),
      email: f('email'),
    };
    const nonce = /^[0-9a-f-]{36}$/.test(f('nonce')) ? f('nonce') : randomUUID();
    const again = (status: number, problems: string[]) => html(reply, status, submitPage(ctx, { nonce, values, problems, maxFiles: s.attachments.maxFiles, maxBytes: s.attachments.maxBytes, kinds }));
    if (form.problems.length) return again(400, form.problems);
    try {
      const r = await submitFromPortal(app, s, {
        kind: (values.kind ?? 'complaint') as 'complaint',
        title: values.title,
        description: values.description ?? '',
        anonymous: !!values.anonymous,
        name: values.name,
        phone: values.phone,
        email: values.email,
        order: values.order,
        demands: values.demands ?? [],
        files: form.files,
        locale: L,
        nonce,
      });
      return html(reply, r.created ? 201 : 200, submittedPage(ctx, { number: r.complaint.number, accessCode: r.accessCode, promisedAt: r.promisedAt }));
    } catch (e) {
      if (e instanceof AppError && (e.code === 'invalid_input' || e.code === 'idempotency_mismatch')) return again(400, fieldProblems(e, L));
      throw e;
    }
  });

  portal.get('/track', hidden, async (req, reply) => {
    const number = one((req.query as Record<string, unknown>).number).slice(0, 40);
    return html(reply, 200, trackPage(await pageCtx(app, req), { number }));
  });

  /**
   * The case behind number + code in a form, or the one answer for every failure: the tracking
   * form again with the number as typed (normalised) filled in — it depends only on what the
   * customer sent, never on whether that number exists.
   */
  const opened = async (req: FastifyRequest, reply: FastifyReply, fields: Record<string, unknown>): Promise<{ c: Complaint; number: string; code: string } | null> => {
    const number = one(fields.number).trim().toUpperCase().slice(0, 40);
    const code = one(fields.code).trim().slice(0, 40);
    // Missing fields cost the same work as wrong ones.
    const c = await openCase(app, number || 'KS-0000-0', code || '-');
    if (!c) {
      await html(reply, 404, trackPage(await pageCtx(app, req), { number, failed: true }));
      return null;
    }
    return { c, number: c.number, code };
  };

  const showCase = async (req: FastifyRequest, reply: FastifyReply, c: Complaint, code: string, status = 200, notice?: string, problems?: string[]) => {
    const s = app.settings.channels;
    const ctx = await pageCtx(app, req, c.policyKey);
    return html(reply, status, casePage(ctx, { view: await customerView(app, c), number: c.number, code, notice, problems, maxFiles: s.attachments.maxFiles, maxBytes: s.attachments.maxBytes }));
  };

  portal.post('/track', limited, async (req, reply) => {
    const o = await opened(req, reply, (req.body ?? {}) as Record<string, unknown>);
    if (!o) return reply;
    return showCase(req, reply, o.c, o.code);
  });

  portal.post('/supplement', limited, async (req, reply) => {
    const s = app.settings.channels;
    const L = localeOf(req);
    if (!req.isMultipart()) return html(reply, 400, messagePage(await pageCtx(app, req), t(L, 'problems'), t(L, 'error')));
    const form = await readMultipart(app, req, s, L);
    const o = await opened(req, reply, form.fields);
    if (!o) return reply;
    if (form.problems.length) return showCase(req, reply, o.c, o.code, 400, undefined, form.problems);
    const text = one(form.fields.text).trim();
    try {
      return await idempotent(
        app,
        req,
        reply,
        { scope: `case:${o.c.id}`, key: formKey(req, form.fields), request: { text, files: form.files.map((f) => f.sha256) }, recover: async () => showCase(req, reply, await reloadCase(app, o.c.id), o.code, 200, t(L, 'supplemented')) },
        async (mark) => {
          const c = await supplementCase(app, o.c, text, form.files, 'portal', (trx) => mark(trx, o.c.id));
          return showCase(req, reply, c, o.code, 200, t(L, 'supplemented'));
        },
      );
    } catch (e) {
      if (e instanceof AppError && (e.code === 'invalid_input' || e.code === 'illegal_transition')) return showCase(req, reply, await reloadCase(app, o.c.id), o.code, 400, undefined, fieldProblems(e, L));
      throw e;
    }
  });

  const surveyDone = async (req: FastifyRequest, reply: FastifyReply, c: Complaint) => {
    const ctx = await pageCtx(app, req, c.policyKey);
    const L = ctx.locale;
    const reopened = c.state !== 'followed_up' && c.state !== 'answered';
    const state = `<p>${esc(t(L, 'state'))}：<strong id="case-state">${esc(stateLabel(c.state, L, c.cycle))}</strong></p>`;
    return html(reply, 200, messagePage(ctx, t(L, 'thanks'), reopened ? t(L, 'reopened_notice') : t(L, 'thanks'), state));
  };

  const refused = async (req: FastifyRequest, reply: FastifyReply, e: SurveyRefused) => {
    const ctx = await pageCtx(app, req);
    const L = ctx.locale;
    const [status, key] = ({ used: [409, 'survey_used'], expired: [410, 'survey_expired'], invalid: [404, 'survey_invalid'], closed: [409, 'survey_closed'] } as const)[e.reason];
    return html(reply, status, messagePage(ctx, t(L, key), t(L, key)));
  };

  portal.post('/survey', limited, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const o = await opened(req, reply, body);
    if (!o) return reply;
    const answer = surveyAnswer(body);
    if (!answer) return showCase(req, reply, o.c, o.code, 400, undefined, [t(localeOf(req), 'overall')]);
    try {
      return await idempotent(app, req, reply, { scope: `case:${o.c.id}`, key: formKey(req, body), request: answer, recover: async () => surveyDone(req, reply, await reloadCase(app, o.c.id)) }, async (mark) =>
        surveyDone(req, reply, await answerSurveyOnCase(app, o.c, answer, (trx, saved) => mark(trx, saved.id))),
      );
    } catch (e) {
      if (e instanceof SurveyRefused) return refused(req, reply, e);
      throw e;
    }
  });

  portal.get('/survey/:token', limited, async (req, reply) => {
    const token = one((req.params as Record<string, unknown>).token).slice(0, 100);
    try {
      const { complaint, expiresAt } = await surveyCase(app, token);
      return html(reply, 200, surveyPage(await pageCtx(app, req, complaint.policyKey), { token, number: complaint.number, expiresAt }));
    } catch (e) {
      if (e instanceof SurveyRefused) return refused(req, reply, e);
      throw e;
    }
  });

  portal.post('/survey/:token', limited, async (req, reply) => {
    const token = one((req.params as Record<string, unknown>).token).slice(0, 100);
    const answer = surveyAnswer((req.body ?? {}) as Record<string, unknown>);
    try {
      if (!answer) {
        const { complaint, expiresAt } = await surveyCase(app, token);
        const ctx = await pageCtx(app, req, complaint.policyKey);
        return html(reply, 400, surveyPage(ctx, { token, number: complaint.number, expiresAt }).replace('<form', `<div class="problems" role="alert"><p>${esc(t(ctx.locale, 'problems'))} ${esc(t(ctx.locale, 'overall'))}</p></div><form`));
      }
      return await idempotent(
        app,
        req,
        reply,
        {
          scope: `survey:${tokenHash(token)}`,
          key: formKey(req, (req.body ?? {}) as Record<string, unknown>),
          request: answer,
          recover: async (id) => surveyDone(req, reply, await reloadCase(app, id ?? '-')),
        },
        async (mark) => surveyDone(req, reply, await answerSurvey(app, token, answer, (trx, saved) => mark(trx, saved.id))),
      );
    } catch (e) {
      if (e instanceof SurveyRefused) return refused(req, reply, e);
      throw e;
    }
  });
}
