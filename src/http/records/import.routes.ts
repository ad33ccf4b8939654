/**
 * The ledger import from the console (issue 15 §4; records/import/http-jobs.ts): upload a ledger
 * (.xlsx or .csv) with a mapping — a saved one by name, or a pasted or uploaded YAML/JSON
 * document — as a dry run or the real import; the answer is 202 with a job whose progress and
 * report the console polls. Administrators only. Parsing, checking and importing are the CLI's
 * code (records/import/**): nothing here re-implements them.
 *
 * Registered from server.ts as its own plugin: the multipart parser lives in this context only.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { App } from '../../services/app.js';
import type { Actor } from '../../domain/complaint/types.js';
import { AppError, fieldProblem, type FieldProblem } from '../../domain/errors.js';
import { parseInput } from '../../domain/validation.js';
import { findMapping } from '../../store/import.repository.js';
import { checkMapping, parseMapping, MappingError, type LedgerMapping } from '../../records/import/mapping.js';
import { problemText } from '../../records/import/problems.js';
import { ORGANISATION } from '../../records/import/ledger-import.js';
import { getImportJob, recentImportJobs, savedMappings, startImportJob, type ImportJob } from '../../records/import/http-jobs.js';
import { requireUser } from '../auth/auth.js';
import { localeOf } from '../locale.js';
import { IDEMPOTENCY_NOTE, IdempotencyHeaders, idempotent } from '../idempotency.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';

/** The largest ledger accepted unless configured (KESU_IMPORT_MAX_BYTES, read by config.ts) and the largest mapping document. */
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;
const MAPPING_MAX_BYTES = 64 * 1024;

const JobParams = z.strictObject({ id: z.string().min(1).max(64) });
const Problem = z.strictObject({
  row: z.number().int(),
  column: z.string().nullable(),
  header: z.string().nullable(),
  field: z.string(),
  code: z.string(),
  value: z.string().nullable(),
  text: z.string().meta({ description: "The problem as a line, in the caller's language" }),
});
const Job = z.strictObject({
  id: z.string(),
  dryRun: z.boolean(),
  status: z.enum(['running', 'done', 'refused', 'failed', 'interrupted']),
  source: z.string(),
  mappingName: z.string(),
  rows: z.number().int(),
  total: z.number().int(),
  done: z.number().int(),
  created: z.number().int(),
  alreadyImported: z.number().int(),
  problems: z.array(Problem),
  error: z.string().nullable(),
  startedBy: z.string(),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
/** Documents the form only: it is read part by part with limits (readImportForm). */
const UploadForm = z.object({
  file: z.string().meta({ format: 'binary', description: 'The ledger: .xlsx or .csv (UTF-8)' }),
  mappingName: z.string().optional().meta({ description: 'A saved mapping, by name' }),
  mapping: z.string().optional().meta({ description: 'A mapping document (YAML or JSON), pasted' }),
  mappingFile: z.string().optional().meta({ format: 'binary', description: 'A mapping document (YAML or JSON), uploaded' }),
  dryRun: z.enum(['true', 'false']).optional().meta({ description: 'true: check every row and import nothing' }),
});
const Mapping = z.strictObject({ name: z.string(), updatedAt: z.string(), document: z.unknown() });

function assertAdmin(actor: Actor): void {
  if (!actor.roles.includes('admin')) throw new AppError('forbidden', 'ledger import is for administrators');
}

interface ImportForm {
  file: { name: string; data: Buffer } | null;
  mappingFile: Buffer | null;
  fields: Record<string, string>;
  problems: FieldProblem[];
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/** Reads the form into memory within the limits, naming the part that broke one. */
async function readImportForm(req: FastifyRequest, maxBytes: number): Promise<ImportForm> {
  const form: ImportForm = { file: null, mappingFile: null, fields: {}, problems: [] };
  try {
    for await (const part of req.parts({ limits: { fileSize: maxBytes, files: 2, fields: 10, fieldSize: MAPPING_MAX_BYTES } })) {
      if (part.type !== 'file') {
        form.fields[part.fieldname] = String(part.value ?? '');
        continue;
      }
      if (part.fieldname !== 'file' && part.fieldname !== 'mappingFile') {
        part.file.resume();
        form.problems.push(fieldProblem(part.fieldname, '未知的上传项', 'unknown part', '未知的上傳項'));
        continue;
      }
      const data = await part.toBuffer().catch((e: { code?: string }) => {
        if (e.code === 'FST_REQ_FILE_TOO_LARGE') return null;
        throw e;
      });
      if (data === null || part.file.truncated) {
        form.problems.push(fieldProblem(part.fieldname, `文件过大（最大 ${mb(maxBytes)}）`, `the file is too large (at most ${mb(maxBytes)})`, `檔案過大（最大 ${mb(maxBytes)}）`));
        continue;
      }
      if (part.fieldname === 'file') form.file = { name: part.filename || 'ledger', data };
      else if (data.length > MAPPING_MAX_BYTES) form.problems.push(fieldProblem('mappingFile', '映射文件过大（最大 64 KB）', 'the mapping file is too large (at most 64 KB)', '對應檔案過大（最大 64 KB）'));
      else form.mappingFile = data;
    }
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && !code.startsWith('FST_')) throw e;
    form.problems.push(fieldProblem('body', '上传内容格式错误', 'a malformed multipart/form-data body', '上傳內容格式錯誤'));
  }
  return form;
}

/** The mapping the form names: pasted or uploaded (checked, saved when the import starts), else saved by name. */
async function mappingOf(app: App, form: ImportForm): Promise<{ mapping: LedgerMapping; save: boolean } | FieldProblem> {
  const text = form.mappingFile?.toString('utf8') ?? form.fields.mapping?.trim();
  const path = form.mappingFile ? 'mappingFile' : 'mapping';
  if (text) {
    try {
      return { mapping: parseMapping(text), save: true };
    } catch (e) {
      if (!(e instanceof MappingError)) throw e;
      return fieldProblem(path, `映射无效：${e.message}`, `invalid mapping: ${e.message}`, `對應無效：${e.message}`);
    }
  }
  const name = form.fields.mappingName?.trim();
  if (!name) return fieldProblem('mapping', '请选择已保存的映射，或粘贴/上传映射', 'choose a saved mapping, or paste or upload one', '請選擇已儲存的對應，或貼上/上傳對應');
  const saved = await findMapping(app.database.db, ORGANISATION, name);
  if (saved === null) return fieldProblem('mappingName', `没有名为“${name}”的已保存映射`, `no saved mapping named "${name}"`, `沒有名為「${name}」的已儲存對應`);
  try {
    return { mapping: checkMapping(saved), save: false };
  } catch (e) {
    if (!(e instanceof MappingError)) throw e;
    return fieldProblem('mappingName', `已保存的映射无效：${e.message}`, `the saved mapping is invalid: ${e.message}`, `已儲存的對應無效：${e.message}`);
  }
}

/** Whether the bytes can be what the name says: an .xlsx is a zip (PK\x03\x04); a .csv is text. */
function fileProblem(file: ImportForm['file']): FieldProblem | null {
  if (!file || !file.data.length) return fieldProblem('file', '请选择台账文件（.xlsx 或 .csv）', 'choose a ledger file (.xlsx or .csv)', '請選擇台帳檔案（.xlsx 或 .csv）');
  if (/\.xlsx$/i.test(file.name)) return file.data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) ? null : fieldProblem('file', '不是 Excel 工作簿（.xlsx）', 'not an Excel workbook (.xlsx)', '不是 Excel 活頁簿（.xlsx）');
  if (/\.(csv|txt)$/i.test(file.name)) return file.data.includes(0) ? fieldProblem('file', '不是文本 CSV 文件', 'not a text CSV file', '不是文字 CSV 檔案') : null;
  return fieldProblem('file', '台账文件须为 .xlsx 或 .csv', 'a ledger file is .xlsx or .csv', '台帳檔案須為 .xlsx 或 .csv');
}

export async function importRoutes(fastify: FastifyInstance, opts: { app: App; maxBytes?: number }): Promise<void> {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const app = opts.app;
  const maxBytes = opts.maxBytes ?? IMPORT_MAX_BYTES;
  const signedIn = requireUser(app);
  await server.register(multipart, { throwFileSizeLimit: true });
  const shown = (job: ImportJob, req: FastifyRequest) => ({ ...job, problems: job.problems.map((p) => ({ ...p, text: problemText(p, localeOf(req)) })) });

  server.get(
    '/api/v1/admin/import/mappings',
    { preHandler: signedIn, schema: { tags: ['admin'], summary: 'Saved ledger mappings (administrators)', response: { 200: z.strictObject({ items: z.array(Mapping) }), ...errors(401, 403) } } },
    async (req) => {
      assertAdmin(req.actor!);
      return { items: await savedMappings(app) };
    },
  );

  server.get(
    '/api/v1/admin/import/jobs',
    { preHandler: signedIn, schema: { tags: ['admin'], summary: 'The latest ledger imports, newest first (without their problems)', response: { 200: z.strictObject({ items: z.array(Job) }), ...errors(401, 403) } } },
    async (req) => {
      assertAdmin(req.actor!);
      return { items: (await recentImportJobs(app)).map((j) => shown(j, req)) };
    },
  );

  server.get(
    '/api/v1/admin/import/jobs/:id',
    {
      preHandler: signedIn,
      schema: {
        tags: ['admin'],
        summary: "A ledger import: its progress (rows done / total) and, when finished, its report — every problem with row and column in the caller's language",
        params: JobParams,
        response: { 200: Job, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      assertAdmin(req.actor!);
      const job = await getImportJob(app, parseInput(JobParams, req.params).id);
      if (!job) throw new AppError('not_found', 'import job');
      return shown(job, req);
    },
  );

  server.post(
    '/api/v1/admin/import/ledger',
    {
      preHandler: signedIn,
      schema: {
        tags: ['admin'],
        summary: 'Upload a ledger (.xlsx or .csv) with a mapping: a dry run, or the import (multipart/form-data); 202 with the job to poll',
        description: `Administrators only. The file is at most KESU_IMPORT_MAX_BYTES (default 50 MB). The work runs after the answer; GET /api/v1/admin/import/jobs/{id} gives its progress and report. Rows are keyed: uploading a file again creates only what is not imported yet.${IDEMPOTENCY_NOTE}`,
        headers: IdempotencyHeaders,
        consumes: ['multipart/form-data'],
        body: UploadForm,
        response: { 202: Job, ...errors(400, 401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      assertAdmin(req.actor!);
      if (!req.isMultipart()) throw new AppError('invalid_input', 'not multipart/form-data', [fieldProblem('body', '请以 multipart/form-data 上传文件', 'Send the files as multipart/form-data', '請以 multipart/form-data 上傳檔案')]);
      const form = await readImportForm(req, maxBytes);
      const fileBad = form.problems.some((p) => p.path === 'file') ? null : fileProblem(form.file);
      const mapping = await mappingOf(app, form);
      const dryRun = (form.fields.dryRun ?? 'true') !== 'false';
      const problems = [...form.problems, ...(fileBad ? [fileBad] : []), ...('path' in mapping ? [mapping] : [])];
      if (!['true', 'false', undefined].includes(form.fields.dryRun)) problems.push(fieldProblem('dryRun', 'dryRun 须为 true 或 false', 'dryRun is true or false', 'dryRun 須為 true 或 false'));
      if (problems.length || 'path' in mapping || !form.file) throw new AppError('invalid_input', 'ledger import refused', problems);
      const file = form.file;
      const request = { dryRun, source: file.name, sha256: createHash('sha256').update(file.data).digest('hex'), mapping: mapping.mapping };
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request }, async () =>
        reply.status(202).send(shown(await startImportJob(app, req.actor!, { file: file.data, source: file.name, mapping: mapping.mapping, dryRun, saveMapping: mapping.save }), req)),
      );
    },
  );
}
