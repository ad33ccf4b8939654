/**
 * Stored reports (issue 11 §3): the list of runs (scheduled and requested), one run, its
 * download as JSON or Excel, and a run made now for an ended period (approvers and admins).
 * Refusals name the field (`kind`, `period`, `sections`) in the caller's language.
 */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { AppError } from '../../domain/errors.js';
import { REPORT_KINDS, REPORT_SECTIONS } from '../../domain/policy/reports.js';
import { parseInput } from '../../domain/validation.js';
import { getRun, listRuns, runContent, type ReportRun as Run } from '../../store/report-run.repository.js';
import { presentedContent, runReportNow, runWorkbook } from '../../reports/runs.js';
import { nextRuns } from '../../reports/schedule.js';
import { reportNames } from '../../reports/pdf/names.js';
import type { Statistics } from '../../reports/statistics.js';
import { requireUser } from '../auth/auth.js';
import { localeOf } from '../locale.js';
import { DASHBOARD_ROLES } from '../stats/stats.routes.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { named } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';

/** Who may have a report made now. */
export const REPORT_RUN_ROLES = ['approver', 'admin'];

const ReportRun = named(
  'ReportRun',
  z.strictObject({
    id: z.string(),
    kind: z.enum(REPORT_KINDS),
    period: z.string(),
    periodFrom: z.string(),
    periodTo: z.string(),
    timeZone: z.string(),
    policyKey: z.string(),
    trigger: z.enum(['schedule', 'manual']),
    scheduledAt: z.string().nullable(),
    /** running | failed (retried) | done (stored, immutable). */
    status: z.enum(['running', 'failed', 'done']),
    /** 0–100, with the step it is at. */
    progress: z.number().int(),
    step: z.string().nullable(),
    attempts: z.number().int(),
    sections: z.array(z.string()),
    headline: z.record(z.string(), z.number().nullable()).nullable(),
    contentHash: z.string().nullable(),
    deliveries: z.number().int(),
    deliveryNote: z.string().nullable(),
    error: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  }),
);
const NextRun = z.strictObject({ kind: z.enum(REPORT_KINDS), period: z.string(), at: z.string(), moved: z.boolean() });
const RunList = named('ReportRunList', z.strictObject({ items: z.array(ReportRun), next: z.array(NextRun) }));

const ListQuery = z.strictObject({ kind: z.enum(REPORT_KINDS).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const DownloadQuery = z.strictObject({ format: z.enum(['json', 'xlsx']).default('xlsx'), lang: z.string().optional() });
const RunBody = z.strictObject({
  /** weekly | monthly | quarterly | yearly (checked by the service, so the refusal names the field). */
  kind: z.string().min(1).max(32),
  /** 2026-W48, 2026-11, 2026-Q4, 2026: a period that has ended. */
  period: z.string().min(1).max(16),
  /** Sections to present instead of the policy's (`intake`, `validity`, … see docs/reports.md). */
  sections: z
    .array(z.string().max(32))
    .max(REPORT_SECTIONS.length * 2)
    .optional(),
});

function view(r: Run): z.output<typeof ReportRun> {
  return {
    id: r.id,
    kind: r.kind as (typeof REPORT_KINDS)[number],
    period: r.period,
    periodFrom: r.periodFrom,
    periodTo: r.periodTo,
    timeZone: r.timeZone,
    policyKey: r.policyKey,
    trigger: r.trigger as 'schedule' | 'manual',
    scheduledAt: r.scheduledAt,
    status: r.status,
    progress: r.progress,
    step: r.step,
    attempts: r.attempts,
    sections: r.sections,
    headline: r.headline as Record<string, number | null> | null,
    contentHash: r.contentHash,
    deliveries: r.deliveries,
    deliveryNote: r.deliveryNote,
    error: r.error,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
  };
}

export function reportRunsRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const readers = requireUser(app, DASHBOARD_ROLES);

  server.get(
    '/api/v1/reports/runs',
    {
      preHandler: readers,
      schema: {
        tags: ['reports'],
        summary: "Stored reports of the organisation (scheduled and requested), newest period first, with each run's progress; and the next scheduled run of each kind",
        querystring: ListQuery,
        response: { 200: RunList, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const q = parseInput(ListQuery, req.query);
      const policy = await app.activePolicy();
      const calendar = await app.calendarFor(policy);
      const items = await listRuns(app.database.db, { scope: policy.id, kind: q.kind, limit: q.limit });
      const next = nextRuns(policy, calendar, app.now()).map((r) => ({ kind: r.kind, period: r.period.label, at: r.at.toISOString(), moved: r.moved }));
      return { items: items.map(view), next };
    },
  );

  server.get(
    '/api/v1/reports/runs/:id',
    { preHandler: readers, schema: { tags: ['reports'], summary: 'One stored report run (its progress while it runs)', params: IdParams, response: { 200: ReportRun, ...errors(401, 403, 404) } } },
    async (req) => {
      const run = await getRun(app.database.db, parseInput(IdParams, req.params).id);
      if (!run) throw new AppError('not_found', 'report run');
      return view(run);
    },
  );

  // Bytes, not JSON: on the untyped instance.
  fastify.get(
    '/api/v1/reports/runs/:id/download',
    {
      preHandler: readers,
      schema: {
        tags: ['reports'],
        summary: "A stored report as Excel (default; sheets and headers in the caller's language) or as JSON (its sections of the statistics); only once it is done",
        params: IdParams,
        querystring: DownloadQuery,
        response: {
          200: {
            description: 'The report',
            content: {
              'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().meta({ format: 'binary' }) },
              'application/json': { schema: z.record(z.string(), z.unknown()) },
            },
          },
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const { id } = parseInput(IdParams, req.params);
      const q = parseInput(DownloadQuery, req.query);
      const run = await getRun(app.database.db, id);
      const text = run ? await runContent(app.database.db, id) : null;
      if (!run || text === null) throw new AppError('not_found', 'report run (done)');
      const content = JSON.parse(text) as Statistics;
      const base = `kesu-${run.kind}-${run.period}`;
      reply.header('cache-control', 'private, no-store');
      if (q.format === 'json') {
        return reply
          .header('content-type', 'application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="${base}.json"`)
          .send(JSON.stringify({ id: run.id, kind: run.kind, period: run.period, sections: run.sections, contentHash: run.contentHash, statistics: presentedContent(content, run.sections) }));
      }
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${base}.xlsx"`)
        .send(await runWorkbook(content, run.sections, localeOf(req), reportNames(await app.activePolicy(), localeOf(req))));
    },
  );

  server.post(
    '/api/v1/reports/runs',
    {
      preHandler: requireUser(app, REPORT_RUN_ROLES),
      schema: {
        tags: ['reports'],
        summary: "Make the report of an ended period now (approvers, admins); a period already made answers its stored run (200), a new one 201. Delivered to the policy's recipients like a scheduled one",
        body: RunBody,
        response: { 201: ReportRun, 200: ReportRun, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const b = parseInput(RunBody, req.body);
      const { run, generated } = await runReportNow(app, { kind: b.kind, period: b.period, sections: b.sections, requestedBy: req.actor!.id });
      return reply.code(generated ? 201 : 200).send(view(run));
    },
  );
}
