/**
 * The case's files: what the customer sent and what staff added, each a download; and, for
 * those who may add files now (the `attach` action), an upload button — one Tab stop, Enter or
 * Space opens the file picker, the chosen files go up at once.
 */
import { Alert, App, Button, Card, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView } from '../../api/client';
import { fileProblems, formatBytes, uploadErrorLines, uploadFiles, useAttachmentLimits } from '../../shared/attachments';
import { AttachmentTable } from '../../shared/AttachmentTable';

export function AttachmentsPanel({ view, onChanged }: { view: CaseView; onChanged: (v: CaseView) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const limits = useAttachmentLimits();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const items = view.attachments ?? [];
  const canAttach = view.allowedActions.includes('attach');

  const send = async (files: File[]) => {
    const local = fileProblems(files, limits, t);
    setProblems(local);
    if (local.length) return;
    setBusy(true);
    try {
      const v = await uploadFiles(view.complaint.id, files);
      onChanged(v);
      void message.success(t('attachments.uploaded', { count: files.length }));
    } catch (e) {
      setProblems(uploadErrorLines(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={t('attachments.titleCount', { count: items.length })}
      styles={{ body: { padding: 8 } }}
      style={{ marginTop: 8 }}
      data-testid="case-attachments"
      extra={
        canAttach && (
          <Upload
            multiple
            accept={limits?.extensions.join(',')}
            showUploadList={false}
            beforeUpload={(file, list) => {
              // Called once per chosen file: send the whole choice with the first one.
              if (file === list[0]) void send(list as File[]);
              return false;
            }}
            data-testid="case-attach-input"
          >
            <Button icon={<UploadOutlined />} loading={busy} size="small" data-testid="case-attach-button">
              {t('attachments.upload')}
            </Button>
          </Upload>
        )
      }
    >
      {canAttach && limits && (
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginBottom: 4 }}>
          {t('attachments.hint', { n: limits.maxFiles, size: formatBytes(limits.maxBytes) })}
        </Typography.Text>
      )}
      {problems.length > 0 && (
        <Alert type="error" showIcon message={t('attachments.failed')} description={problems.join('\n')} style={{ marginBottom: 6, whiteSpace: 'pre-line' }} data-testid="attachments-error" closable onClose={() => setProblems([])} />
      )}
      <AttachmentTable caseId={view.complaint.id} items={items} timeline={view.timeline} testId="attachment-list" />
    </Card>
  );
}
