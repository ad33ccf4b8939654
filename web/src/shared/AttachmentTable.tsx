/**
 * A case's files with download links and who added each (the case page's attachments panel).
 * Apart from attachments.tsx so that the intake screen, which only uploads, does not carry antd's Table.
 */
import { Table, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Attachment, TimelineEvent } from '../api/client';
import { formatBytes } from './attachments';
import { formatDateTime } from './format';

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
