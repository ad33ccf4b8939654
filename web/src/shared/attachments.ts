/**
 * Files on a case, shared by the intake screen and the case page: the server's limits, the
 * browser-side check against them (the server checks again, by the files' first bytes), the
 * upload (one `attach` on the case's timeline). The list with download links is
 * AttachmentTable.tsx: it needs antd's Table, which the intake screen should not load (issue 14).
 */
import { useEffect, useState } from 'react';
import { ApiError, api, ok, type AttachmentLimits, type CaseView } from '../api/client';

let limitsOnce: Promise<AttachmentLimits> | null = null;

/** The server's limits (read once per page load). */
export function useAttachmentLimits(): AttachmentLimits | null {
  const [limits, setLimits] = useState<AttachmentLimits | null>(null);
  useEffect(() => {
    limitsOnce ??= ok(api.GET('/api/v1/attachments/limits')).catch((e) => {
      limitsOnce = null;
      throw e;
    });
    let live = true;
    limitsOnce.then((l) => live && setLimits(l)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return limits;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  return n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} B`;
}

/** What is wrong with a choice of files before it is sent (empty when nothing is). */
export function fileProblems(files: File[], limits: AttachmentLimits | null, t: (k: string, o?: Record<string, unknown>) => string): string[] {
  if (!limits) return [];
  const out: string[] = [];
  if (files.length > limits.maxFiles) out.push(t('attachments.tooMany', { n: limits.maxFiles }));
  for (const f of files.slice(0, limits.maxFiles)) {
    const ext = /\.[a-z0-9]+$/i.exec(f.name)?.[0]?.toLowerCase() ?? '';
    if (f.size > limits.maxBytes) out.push(t('attachments.tooLarge', { name: f.name, size: formatBytes(limits.maxBytes) }));
    else if (!limits.extensions.includes(ext)) out.push(t('attachments.badType', { name: f.name }));
    else if (f.size === 0) out.push(t('attachments.empty', { name: f.name }));
  }
  return out;
}

/** Uploads files to a case; answers the case view with its attachments. */
export function uploadFiles(caseId: string, files: File[]): Promise<CaseView> {
  const form = new FormData();
  for (const f of files) form.append('files', f, f.name);
  // The documented form, sent as the browser builds it (multipart with its boundary).
  return ok(api.POST('/api/v1/complaints/{id}/attachments', { params: { path: { id: caseId } }, body: form as never, bodySerializer: (b) => b }));
}

/** The server's refusal as lines (each names its file), in the UI language. */
export function uploadErrorLines(e: unknown): string[] {
  if (e instanceof ApiError && e.fields.length) return e.fields.map((f) => f.message);
  return [(e as Error)?.message ?? String(e)];
}
