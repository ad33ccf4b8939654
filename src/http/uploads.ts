/**
 * Multipart forms with files, for the public portal and the staff API alike: fields as text, and
 * each file streamed to a staged temporary copy while it is checked against the limits —
 * `KESU_ATTACHMENT_MAX_BYTES` per file, `KESU_ATTACHMENT_MAX_FILES` per form, the allowed types
 * by their first bytes (channels/attachments.ts). Nothing reaches the file store here: the caller
 * stores the staged files (`storeStaged`) when the whole upload is accepted — before, never inside,
 * the transaction that records them — and discards them otherwise, so a refused upload leaves no
 * file behind.
 *
 * A body that is not a well-formed multipart form (a cut-off body, a broken part header, a
 * missing boundary, too many parts) is a problem of the form too — `malformed`, named `files`
 * (or `files[n]` when it broke inside the n-th file) — answered 400 like the others, not an
 * internal error: the portal's upload routes are public.
 *
 * Problems name the file by its position among the form's files (`files[0]`) and read the same
 * in the portal's pages and the API's field errors, in the three languages.
 */
import type { FastifyRequest } from 'fastify';
import { acceptedType, cleanName, discardStaged, sizeText, stageStream, type StagedUpload } from '../channels/attachments.js';
import type { ChannelSettings } from '../channels/settings.js';
import type { FieldProblem, Locale, Messages } from '../domain/errors.js';

export type UploadRefusal = 'too_large' | 'type' | 'too_many' | 'empty' | 'none' | 'malformed';

export interface UploadProblem {
  /** Position of the file among the form's files (0-based); -1 when it is about the form. */
  index: number;
  name: string;
  reason: UploadRefusal;
}

export interface UploadForm {
  fields: Record<string, string[]>;
  /** Accepted files, staged: commit or discard each one. */
  files: StagedUpload[];
  problems: UploadProblem[];
}

/** Discards every staged file of a form (a refused upload). */
export function discardUploads(files: StagedUpload[]): void {
  files.forEach(discardStaged);
}

/** Reads a multipart form, staging accepted files and listing refused ones by position. */
export async function readUploadForm(req: FastifyRequest, s: ChannelSettings): Promise<UploadForm> {
  const { maxBytes, maxFiles, types } = s.attachments;
  const form: UploadForm = { fields: {}, files: [], problems: [] };
  let index = 0;
  let inFile = -1;
  try {
    // One file more than allowed is read (and drained) so its position can be named.
    for await (const part of req.parts({ limits: { fileSize: maxBytes, files: Math.max(1, maxFiles) + 1, fields: 40, fieldSize: 64 * 1024 } })) {
      if (part.type !== 'file') {
        (form.fields[part.fieldname] ??= []).push(String(part.value ?? ''));
        continue;
      }
      // A browser sends an empty part for a file input left empty.
      if (!part.filename) {
        part.file.resume();
        continue;
      }
      const name = cleanName(part.filename);
      const at = index++;
      if (at >= maxFiles) {
        part.file.resume();
        form.problems.push({ index: at, name, reason: 'too_many' });
        continue;
      }
      inFile = at;
      const f = await stageStream(s.dataDir, part.file, maxBytes, (head) => acceptedType(name, part.mimetype, head, types));
      if (f.tooLarge) form.problems.push({ index: at, name, reason: 'too_large' });
      else if (!f.contentType) form.problems.push({ index: at, name, reason: 'type' });
      else if (f.size === 0) {
        discardStaged(f);
        form.problems.push({ index: at, name, reason: 'empty' });
      } else form.files.push({ ...f, name, contentType: f.contentType });
      inFile = -1;
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT') {
      if (!form.problems.some((p) => p.reason === 'too_many')) form.problems.push({ index: maxFiles, name: '', reason: 'too_many' });
    } else if (code === 'FST_REQ_FILE_TOO_LARGE') form.problems.push({ index, name: '', reason: 'too_large' });
    else if (malformedForm(e)) {
      discardUploads(form.files);
      form.files = [];
      form.problems.push({ index: inFile, name: '', reason: 'malformed' });
    } else {
      discardUploads(form.files);
      throw e;
    }
  }
  return form;
}

/**
 * Whether a failure while reading the parts is the body's fault: @fastify/multipart's own errors
 * (FST_…, e.g. FST_INVALID_MULTIPART_CONTENT_TYPE, FST_PARTS_LIMIT) and busboy's parse errors
 * (no code: "Unexpected end of form", "Malformed part header", …). System errors (ENOSPC, EIO)
 * while staging a file are not, and still fail the request.
 */
function malformedForm(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code.startsWith('FST_');
  return e instanceof Error;
}

/** What a problem says, in the three languages. */
export function uploadProblemText(p: UploadProblem, s: ChannelSettings): Messages {
  const name = p.name;
  const size = sizeText(s.attachments.maxBytes);
  const n = s.attachments.maxFiles;
  switch (p.reason) {
    case 'too_large':
      return {
        'zh-CN': `文件太大：${name}（每个文件不超过 ${size}）`,
        'zh-TW': `檔案太大：${name}（每個檔案不超過 ${size}）`,
        en: `File too large: ${name} (at most ${size} per file)`,
      };
    case 'type':
      return {
        'zh-CN': `不支持的文件类型：${name}（可上传图片、PDF、文本、Office 文档、音频和 MP4 视频）`,
        'zh-TW': `不支援的檔案類型：${name}（可上傳圖片、PDF、文字、Office 文件、音訊和 MP4 影片）`,
        en: `File type not accepted: ${name} (images, PDF, text, Office documents, audio and MP4 video are)`,
      };
    case 'too_many':
      return { 'zh-CN': `附件太多，最多 ${n} 个`, 'zh-TW': `附件太多，最多 ${n} 個`, en: `Too many files: at most ${n}` };
    case 'empty':
      return { 'zh-CN': `文件是空的：${name}`, 'zh-TW': `檔案是空的：${name}`, en: `The file is empty: ${name}` };
    case 'none':
      return { 'zh-CN': '请选择要上传的文件', 'zh-TW': '請選擇要上傳的檔案', en: 'Choose at least one file' };
    case 'malformed':
      return { 'zh-CN': '上传的表单不完整或格式有误，请重新提交', 'zh-TW': '上傳的表單不完整或格式有誤，請重新提交', en: 'The upload is incomplete or not a valid multipart form: please send it again' };
  }
}

/** The problems as field problems of the API: `files[2]`, or `files` for the form as a whole. */
export function uploadFieldProblems(problems: UploadProblem[], s: ChannelSettings): FieldProblem[] {
  return problems.map((p) => ({ path: p.index >= 0 ? `files[${p.index}]` : 'files', message: uploadProblemText(p, s) }));
}

/** The problems as lines of text in one language (the portal's pages). */
export function uploadProblemLines(problems: UploadProblem[], s: ChannelSettings, locale: Locale): string[] {
  return problems.map((p) => uploadProblemText(p, s)[locale]);
}
