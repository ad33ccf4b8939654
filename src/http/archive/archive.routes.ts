/**
 * The yearly archive (案宗, issue 15 §1): the years holding archived cases, a year's files (the
 * policy's grouping, with counts) and one group's cases a page at a time, and the whole year's
 * (or one group's) case dossiers as one zip, streamed. Open to the oversight roles — the
 * complaint office that files the cases (specialist), auditors and admins — who may open every
 * case, so a year's file is complete for them; the dossiers inside follow the reader's masking
 * and write the personal-data access log (records/archive-download.ts).
 * Bad input (a year that is not a year, an unknown group) is a 400 naming the field.
 */
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { OVERSIGHT_ROLES } from '../../domain/permissions/relations.js';
import { ARCHIVE_GROUPINGS } from '../../domain/policy/archive.js';
import { parseInput } from '../../domain/validation.js';
import { archiveCases, archiveGroups, archiveYears, checkGroup, checkYear } from '../../records/archive.js';
import { archiveZipName, writeArchiveZip } from '../../records/archive-download.js';
import { requireUser } from '../auth/auth.js';
import { localeOf } from '../locale.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { named } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';

/** Who may read the archive: the roles that may open every case. */
export const ARCHIVE_ROLES: readonly string[] = OVERSIGHT_ROLES;

const YEAR_MESSAGE = '年度应为四位数字的年份，如 2026|year is a four-digit year, e.g. 2026|年度應為四位數字的年份，如 2026';
const YearParams = z.object({ year: z.string().regex(/^\d{4}$/, YEAR_MESSAGE) });
const GroupText = z.string().min(1).max(64);
const YearQuery = z
  .object({
    group: GroupText.optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
const DownloadQuery = z.object({ group: GroupText.optional(), lang: z.string().optional() }).strict();

const ArchiveYears = named('ArchiveYears', z.strictObject({ years: z.array(z.strictObject({ year: z.number().int(), count: z.number().int() })) }));
const ArchiveCase = named(
  'ArchiveCase',
  z.strictObject({
    id: z.string(),
    number: z.string(),
    title: z.string(),
    kind: z.string(),
    category: z.string().nullable(),
    grade: z.string().nullable(),
    departmentCode: z.string().nullable(),
    receivedAt: z.string(),
    closedAt: z.string().nullable(),
    filedAt: z.string(),
    group: z.string(),
  }),
);
const ArchiveYearFiles = named(
  'ArchiveYearFiles',
  z.strictObject({
    year: z.number().int(),
    groupBy: z.enum(ARCHIVE_GROUPINGS),
    total: z.number().int(),
    /** `key` `-` is the cases without the grouping's code. */
    groups: z.array(z.strictObject({ key: z.string(), name: z.string(), count: z.number().int() })),
    /** With `?group=`: that group's cases, one page. */
    cases: z.strictObject({ group: z.string(), total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), items: z.array(ArchiveCase) }).optional(),
  }),
);

function yearOf(params: unknown): number {
  const year = Number(parseInput(YearParams, params).year);
  checkYear(year);
  return year;
}

export function archiveRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const preHandler = requireUser(app, [...ARCHIVE_ROLES]);

  server.get(
    '/api/v1/archive/years',
    {
      preHandler,
      schema: {
        tags: ['archive'],
        summary: "The years of the yearly archive (案宗), newest first, with the number of archived cases filed under each (the local year of closing, in the active policy's time zone)",
        response: { 200: ArchiveYears, ...errors(401, 403) },
      },
    },
    async () => ({ years: await archiveYears(app) }),
  );

  server.get(
    '/api/v1/archive/years/:year',
    {
      preHandler,
      schema: {
        tags: ['archive'],
        summary: "A year's files: the groups of the policy's `archive.groupBy` (department by default) with their counts; with `?group=` also that group's cases, a page at a time (`page`, `pageSize` ≤ 100), in filing order",
        params: YearParams,
        querystring: YearQuery,
        response: { 200: ArchiveYearFiles, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const year = yearOf(req.params);
      const q = parseInput(YearQuery, req.query);
      const lang = localeOf(req);
      const files = await archiveGroups(app, year, lang);
      if (q.group === undefined) return { year, ...files };
      const { cases, total } = await archiveCases(app, { year, group: q.group, lang, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
      return { year, ...files, cases: { group: q.group, total, page: q.page, pageSize: q.pageSize, items: cases } };
    },
  );

  fastify.get(
    '/api/v1/archive/years/:year/dossiers.zip',
    {
      preHandler,
      schema: {
        tags: ['archive'],
        summary:
          "The year's (or, with `?group=`, one group's) case dossiers 《客户投诉处理单》 as one zip, streamed: `YEAR/GROUP/NUMBER.pdf` per archived case and `YEAR/目录.csv` (the list of contents), in the caller's language; personal data masked as for the caller, each case shown unmasked written to the access log",
        params: YearParams,
        querystring: DownloadQuery,
        response: { 200: { description: 'The zip', content: { 'application/zip': { schema: z.string().meta({ format: 'binary' }) } } }, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const year = yearOf(req.params);
      const q = parseInput(DownloadQuery, req.query);
      const lang = localeOf(req);
      // Checked before the answer begins, so an unknown group is a 400 and not a broken download.
      if (q.group !== undefined) await checkGroup(app, year, q.group, lang);
      const out = new PassThrough();
      writeArchiveZip(app, req.actor!, { year, group: q.group, lang }, out).catch((e: unknown) => {
        // The answer has begun: the download breaks instead of ending as if complete.
        req.log.error({ err: e }, 'archive download failed');
        out.destroy(e instanceof Error ? e : new Error(String(e)));
      });
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${archiveZipName(year, q.group)}"`)
        .header('cache-control', 'private, no-store')
        .send(out);
    },
  );
}
