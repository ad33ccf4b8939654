/**
 * Exports and printing (issue 11 §5): a case's dossier 《客户投诉处理单》 as PDF, the case ledger
 * (台账) as a streamed Excel workbook, and the statistics of a period as PDF. Each follows the
 * reader's masking and writes the personal-data access log for what it shows unmasked; the
 * ledger and the statistics take the statistics route's query (reports.routes.ts).
 */
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { App } from '../../services/app.js';
import { parseInput } from '../../domain/validation.js';
import { requireUser } from '../auth/auth.js';
import { localeOf } from '../locale.js';
import { DASHBOARD_ROLES } from '../stats/stats.routes.js';
import { errors } from '../schemas/common.js';
import { StatisticsParams, toQuery } from './reports.routes.js';
import { caseDossierPdf } from '../../reports/pdf/dossier-export.js';
import { prepareLedger } from '../../reports/ledger.js';
import { statistics } from '../../reports/statistics.js';
import { statisticsPdf } from '../../reports/pdf/statistics-pdf.js';
import { policyNames, staffNames } from '../../reports/pdf/names.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const LangQuery = z.object({ lang: z.string().optional() }).strict();
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const binary = (type: string, description: string) => ({ description, content: { [type]: { schema: z.string().meta({ format: 'binary' }) } } });

/** A download: its type, a file name (ASCII; the case number or period) and never cached. */
function download(reply: FastifyReply, type: string, name: string, inline = false): FastifyReply {
  return reply
    .header('content-type', type)
    .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${name}"`)
    .header('cache-control', 'private, no-store');
}

export function exportRoutes(fastify: FastifyInstance, app: App): void {
  const oversight = requireUser(app, DASHBOARD_ROLES);

  fastify.get(
    '/api/v1/complaints/:id/dossier.pdf',
    {
      preHandler: requireUser(app),
      schema: {
        tags: ['complaints'],
        summary:
          "The case dossier 《客户投诉处理单》 as an A4 PDF in the caller's language (`?lang=` or Accept-Language): record, customer (masked as on the case page), 5W1H, demands, findings, solution and approvals, answer, follow-ups, deadlines with their explanations, timeline, signatures. Shown inline; unmasked personal data is written to the access log",
        params: IdParams,
        querystring: LangQuery,
        response: { 200: binary('application/pdf', 'The PDF'), ...errors(400, 401, 404) },
      },
    },
    async (req, reply) => {
      const { id } = parseInput(IdParams, req.params);
      parseInput(LangQuery, req.query);
      const { number, pdf } = await caseDossierPdf(app, req.actor!, id, localeOf(req));
      return download(reply, 'application/pdf', `${number}.pdf`, true).send(pdf);
    },
  );

  fastify.get(
    '/api/v1/reports/ledger.xlsx',
    {
      preHandler: oversight,
      schema: {
        tags: ['reports'],
        summary:
          "The case ledger (台账) of the cases received in the period matching the filters that the caller may open, as an Excel workbook streamed row by row: the policy's `exports.ledgerColumns`, headers in the caller's language, dates as dates, numbers as numbers; personal data masked as for the caller, unmasked rows written to the access log",
        querystring: StatisticsParams,
        response: { 200: binary(XLSX, 'The workbook'), ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const q = toQuery(parseInput(StatisticsParams, req.query));
      const ledger = await prepareLedger(app, req.actor!, { from: q.from, to: q.to, filters: q.filters }, localeOf(req));
      const out = new PassThrough();
      ledger.write(out).catch((e: unknown) => {
        // The answer has begun: the download breaks instead of ending as if complete.
        req.log.error({ err: e }, 'ledger export failed');
        out.destroy(e instanceof Error ? e : new Error(String(e)));
      });
      return download(reply, XLSX, ledger.fileName).send(out);
    },
  );

  fastify.get(
    '/api/v1/reports/statistics.pdf',
    {
      preHandler: oversight,
      schema: {
        tags: ['reports'],
        summary: "The statistics of GET /api/v1/reports/statistics (the same query) as an A4 PDF report in the caller's language",
        querystring: StatisticsParams,
        response: { 200: binary('application/pdf', 'The PDF'), ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const q = toQuery(parseInput(StatisticsParams, req.query));
      const lang = localeOf(req);
      const s = await statistics(app, req.actor!, q);
      const names = policyNames(await app.activePolicy(), lang, await staffNames(app));
      const pdf = await statisticsPdf({ s, lang, names, reader: req.actor!.name, now: app.now() });
      return download(reply, 'application/pdf', `kesu-statistics-${q.from}-${q.to}.pdf`).send(pdf);
    },
  );
}
