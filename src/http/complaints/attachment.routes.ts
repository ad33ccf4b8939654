/**
 * Files on a case for signed-in staff: list, download, upload (issue 3 §2), and the limits the
 * console shows before anything is sent. Need-to-know applies to all of them: a case the caller
 * may not see — the complained-about person's own case included — answers 404.
 *
 * Registered from server.ts as its own plugin: the multipart parser lives in this context only
 * (the portal registers its own).
 */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import type { App } from '../../services/app.js';
import { AppError, fieldProblem } from '../../domain/errors.js';
import { parseInput } from '../../domain/validation.js';
import { viewComplaint } from '../../services/view-complaint.js';
import { attachToCase, attachmentFile, listVisibleAttachments, visibleCase, withAttachments } from '../../services/case-attachments.js';
import { allowedExtensions, downloadDisposition } from '../../channels/attachments.js';
import { discardUploads, readUploadForm, uploadFieldProblems } from '../uploads.js';
import { requireUser } from '../auth/auth.js';
import { IDEMPOTENCY_NOTE, IdempotencyHeaders, idempotent } from '../idempotency.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { AttachmentLimits, AttachmentList, CaseView, documentedClocks } from '../schemas/cases.js';

const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();
/** Documents the form only: it is read and checked part by part (uploads.ts). */
const UploadForm = z.object({
  files: z.array(z.string().meta({ format: 'binary' })).meta({ description: 'One or more files' }),
  text: z.string().max(2000).optional().meta({ description: 'What the files show' }),
});
const AttachmentParams = z.object({ id: z.string().min(1).max(64), attachmentId: z.string().min(1).max(64) }).strict();

export async function attachmentRoutes(fastify: FastifyInstance, opts: { app: App }): Promise<void> {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const app = opts.app;
  const signedIn = requireUser(app);
  await server.register(multipart, { throwFileSizeLimit: false });

  server.get(
    '/api/v1/attachments/limits',
    { preHandler: signedIn, schema: { tags: ['complaints'], summary: 'Attachment limits: largest file, files per upload, allowed types and file name endings', response: { 200: AttachmentLimits, ...errors(401) } } },
    async () => {
      const { maxBytes, maxFiles, types } = app.settings.channels.attachments;
      return { maxBytes, maxFiles, types, extensions: allowedExtensions(types) };
    },
  );

  server.get(
    '/api/v1/complaints/:id/attachments',
    { preHandler: signedIn, schema: { tags: ['complaints'], summary: 'Files on a case: from the customer (portal, e-mail) and from staff', params: IdParams, response: { 200: AttachmentList, ...errors(401, 404) } } },
    async (req) => ({ items: await listVisibleAttachments(app, req.actor!, parseInput(IdParams, req.params).id) }),
  );

  server.post(
    '/api/v1/complaints/:id/attachments',
    {
      preHandler: signedIn,
      schema: {
        tags: ['complaints'],
        summary: 'Attach files (multipart/form-data: `files`, optional `text`)',
        description:
          'The `attach` action: the case keeps its state and its timeline records each file (name, size, type, SHA-256). ' +
          'Up to KESU_ATTACHMENT_MAX_FILES files of at most KESU_ATTACHMENT_MAX_BYTES each, of an allowed type (checked by the first bytes). ' +
          'A refused file is named by its position (`files[0]`) and nothing is stored. 201 with the case view and its `attachments`.' +
          IDEMPOTENCY_NOTE,
        headers: IdempotencyHeaders,
        consumes: ['multipart/form-data'],
        params: IdParams,
        body: UploadForm,
        response: {
          201: CaseView,
          200: { description: 'The case now, for an Idempotency-Key whose files were attached but whose first answer was lost', content: { 'application/json': { schema: CaseView } } },
          ...errors(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (req, reply) => {
      const { id } = parseInput(IdParams, req.params);
      // Before a byte of the upload is read: a case the caller may not see does not exist.
      const c = await visibleCase(app, req.actor!, id);
      if (!req.isMultipart()) throw new AppError('invalid_input', 'not multipart/form-data', [fieldProblem('body', '请以 multipart/form-data 上传文件', 'Send the files as multipart/form-data', '請以 multipart/form-data 上傳檔案')]);
      const s = app.settings.channels;
      const form = await readUploadForm(req, s);
      if (!form.problems.length && !form.files.length) form.problems.push({ index: -1, name: '', reason: 'none' });
      if (form.problems.length) {
        discardUploads(form.files);
        throw new AppError('invalid_input', 'attachments refused', uploadFieldProblems(form.problems, s));
      }
      const text = form.fields.text?.[0]?.trim();
      const answer = async (status: 200 | 201) => reply.status(status).send(documentedClocks(await withAttachments(app, await viewComplaint(app, req.actor!, c.id))));
      // The request is what was sent: the text and each file's name, type and SHA-256.
      const request = { id: c.id, text: text ?? null, files: form.files.map((f) => ({ name: f.name, contentType: f.contentType, size: f.size, sha256: f.sha256 })) };
      try {
        return await idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request, recover: () => answer(200) }, async (mark) => {
          await attachToCase(app, req.actor!, c.id, form.files, text, (trx, saved) => mark(trx, saved.id));
          return answer(201);
        });
      } finally {
        discardUploads(form.files); // a replay stores nothing
      }
    },
  );

  // Bytes, not JSON: on the untyped instance (a stream is sent; nothing is serialized).
  fastify.get(
    '/api/v1/complaints/:id/attachments/:attachmentId',
    {
      preHandler: signedIn,
      schema: {
        tags: ['complaints'],
        summary: 'Download one attachment (always as a download, with its UTF-8 file name)',
        params: AttachmentParams,
        response: { 200: { description: 'The file, with its stored content type', content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } } }, ...errors(401, 404) },
      },
    },
    async (req, reply) => {
      const { id, attachmentId } = parseInput(AttachmentParams, req.params);
      const { record, body } = await attachmentFile(app, req.actor!, id, attachmentId); // streamed from the file store
      return reply
        .header('content-type', record.contentType)
        .header('content-length', record.size)
        .header('content-disposition', downloadDisposition(record.name))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(body);
    },
  );
}
