/**
 * Files on a case, shared by the intake screen and the case page: the server's limits, the
 * browser-side check against them (the server checks again, by the files' first bytes), the
 * upload (one `attach` on the case's timeline), and the list with download links.
 */
import { Table, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, ok, type Attachment, type AttachmentLimits, type CaseView, type TimelineEvent } from '../api/client';
import { formatDateTime } from './format';

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

/** Who added each file: the staff member of its `attach` event, else the customer's channel. */
function addedBy(timeline: TimelineEvent[]): Map<string, string> {
  const by = new Map<string, string>();
  for (const e of timeline) {
    const files = (e.data as { attachments?: { id: string }[] } | undefined)?.attachments;
    if (e.action === 'attach' && Array.isArray(files)) files.forEach((f) => by.set(f.id, e.actorName));
  }
  return by;
}

export function AttachmentTable({ caseId, items, timeline, testId }: { caseId: string; items: Attachment[]; timeline: TimelineEvent[]; testId: string }) {
  const { t } = useTranslation();
  const by = addedBy(timeline);
  return (
    <Table<Attachment>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={items}
      data-testid={testId}
      locale={{ emptyText: t('attachments.none') }}
      columns={[
        {
          title: t('attachments.name'),
          dataIndex: 'name',
          render: (name: string, a) => (
            <Typography.Link href={`/api/v1/complaints/${caseId}/attachments/${a.id}`} download={name} data-testid="attachment-link">
              <PaperClipOutlined /> {name}
            </Typography.Link>
          ),
        },
        { title: t('attachments.size'), dataIndex: 'size', width: 80, render: (n: number) => formatBytes(n) },
        { title: t('attachments.by'), dataIndex: 'source', width: 110, render: (s: string, a) => by.get(a.id) ?? t(`attachments.source.${s}`, { defaultValue: s }) },
        { title: t('attachments.at'), dataIndex: 'createdAt', width: 130, render: (d: string) => formatDateTime(d) },
      ]}
    />
  );
}
