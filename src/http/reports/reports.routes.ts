/**
 * Statistics over a period and filters (issue 11 §2): the figures as JSON, the same figures as
 * an Excel workbook, and the drill-down list of the cases a figure counts. For the roles that see
 * the dashboard; the figures leave out cases the caller must avoid, the drill-down lists only
 * cases the caller may open. Definitions: docs/reports.md.
 */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { AGE_BUCKETS, FIGURE_NAMES, GROUP_BYS, statistics, statisticsCases, type StatisticsQuery } from '../../reports/statistics.js';
import { statisticsWorkbook } from '../../reports/statistics-xlsx.js';
import { reportNames } from '../../reports/pdf/names.js';
import { parseInput } from '../../domain/validation.js';
import { requireUser } from '../auth/auth.js';
import { localeOf } from '../locale.js';
import { DASHBOARD_ROLES } from '../stats/stats.routes.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { Statistics, StatisticsCase } from '../schemas/reports.js';

const list = z
  .string()
  .max(2000)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .optional();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The statistics query; the ledger and statistics PDF exports take the same (http/reports/exports.routes.ts). */
export const StatisticsParams = z
  .object({
    /** First local day of the period (the active policy's time zone). */
    from: date,
    /** Last local day of the period (included). */
    to: date,
    groupBy: z.enum(GROUP_BYS).default('month'),
    /** Comma-separated values; a case matches when its value is one of them. */
    department: list,
    category: list,
    grade: list,
    kind: list,
    channel: list,
    customerClass: list,
    handler: list,
    policy: list,
    repeatWindowDays: z.coerce.number().int().min(1).max(3660).default(30),
    lang: z.string().optional(),
  })
  .strict();
const CasesParams = StatisticsParams.extend({
  figure: z.enum(FIGURE_NAMES),
  /** With a backlog figure (`open`, `pending`): only the cases of this age bucket now, as the backlog counts them. */
  age: z.enum(AGE_BUCKETS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
}).strict();

export function toQuery(q: z.output<typeof StatisticsParams>): StatisticsQuery {
  const filters = Object.fromEntries(
    Object.entries({
      departmentCode: q.department,
      category: q.category,
      grade: q.grade,
      kind: q.kind,
      channel: q.channel,
      customerClass: q.customerClass,
      handlerId: q.handler,
      policyKey: q.policy,
    }).filter(([, v]) => v?.length),
  );
  return { from: q.from, to: q.to, groupBy: q.groupBy, filters, repeatWindowDays: q.repeatWindowDays };
}

export function reportsRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const preHandler = requireUser(app, DASHBOARD_ROLES);

  server.get(
    '/api/v1/reports/statistics',
    {
      preHandler,
      schema: {
        tags: ['reports'],
        summary:
          'Statistics of the cases received in a period (local dates, `to` included) matching the filters: intake and trend, validity, handling mode, on-time rates, handling time, satisfaction per case, reopens, repeat complaints, extensions and escalations',
        querystring: StatisticsParams,
        response: { 200: Statistics, ...errors(400, 401, 403) },
      },
    },
    async (req) => statistics(app, req.actor!, toQuery(parseInput(StatisticsParams, req.query))),
  );

  // Bytes, not JSON: on the untyped instance.
  fastify.get(
    '/api/v1/reports/statistics.xlsx',
    {
      preHandler,
      schema: {
        tags: ['reports'],
        summary: "The same statistics as an Excel workbook, sheets and headers in the caller's language",
        querystring: StatisticsParams,
        response: {
          200: { description: 'The workbook', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().meta({ format: 'binary' }) } } },
          ...errors(400, 401, 403),
        },
      },
    },
    async (req, reply) => {
      const q = toQuery(parseInput(StatisticsParams, req.query));
      const lang = localeOf(req);
      const body = await statisticsWorkbook(await statistics(app, req.actor!, q), lang, reportNames(await app.activePolicy(), lang));
      const name = `kesu-statistics-${q.from}-${q.to}.xlsx`;
      return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'private, no-store').send(body);
    },
  );

  server.get(
    '/api/v1/reports/statistics/cases',
    {
      preHandler,
      schema: {
        tags: ['reports'],
        summary:
          'Drill-down: the cases a figure counts (received, valid, invalid, malicious, immediate, within_limit, overdue, repeated, first_contact, satisfied, reopened, extended, escalated, resolve_breached, pending, open — with `age`, the backlog bucket of those two; closed_in_period: closed in the period, whenever received, as the closure trend), only those the caller may open, newest first',
        querystring: CasesParams,
        response: { 200: z.array(StatisticsCase), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const q = parseInput(CasesParams, req.query);
      return statisticsCases(app, req.actor!, toQuery(q), q.figure, q.limit, q.age);
    },
  );
}
