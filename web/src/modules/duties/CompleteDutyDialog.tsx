/**
 * Completing a duty (issue 10 §2) with the record it needs: a note (text), a written report (text
 * and at least one file of the case), a verification (ok / not ok and text). The server checks
 * the same rule and answers the missing field in the caller's language; the dialog shows it.
 */
import { Alert, Checkbox, Input, Modal, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, type Schemas } from '../../api/client';
import { formatDateTime } from '../../shared/format';

export type Duty = Schemas['Duty'];

export function dutyName(d: Duty, lang: string): string {
  return (d.name as Record<string, string>)[lang] ?? d.name['zh-CN'];
}

export function CompleteDutyDialog({ duty, files, onClose, onDone }: { duty: Duty | null; files: { id: string; name: string }[]; onClose: () => void; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState('');
  const [result, setResult] = useState<'ok' | 'not_ok' | undefined>(undefined);
  const [chosen, setChosen] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async () => {
    if (!duty) return;
    setProblem(null);
    const body = { ...(text.trim() ? { text } : {}), ...(result ? { result } : {}), attachmentIds: chosen };
    try {
      if (duty.complaintId) await ok(api.POST('/api/v1/complaints/{id}/duties/{dutyId}/complete', { params: { path: { id: duty.complaintId, dutyId: duty.id } }, body }));
      else await ok(api.POST('/api/v1/duties/{dutyId}/complete', { params: { path: { dutyId: duty.id } }, body }));
      setText('');
      setResult(undefined);
      setChosen([]);
      onDone();
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  return (
    <Modal
      open={!!duty}
      title={duty ? `${t('duty.complete')}：${dutyName(duty, i18n.language)}` : ''}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('duty.complete')}
      okButtonProps={{ ...({ 'data-testid': 'duty-complete-ok' } as Record<string, string>) }}
      destroyOnHidden
    >
      {duty && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            {t(`duty.record.${duty.record}`)} · {t('duty.due')} {formatDateTime(duty.dueAt)}
          </Typography.Text>
          {duty.record === 'verification' && (
            <Radio.Group value={result} onChange={(e) => setResult(e.target.value)} data-testid="duty-result">
              <Radio value="ok">{t('duty.result.ok')}</Radio>
              <Radio value="not_ok">{t('duty.result.not_ok')}</Radio>
            </Radio.Group>
          )}
          <Input.TextArea autoFocus rows={4} maxLength={4000} value={text} onChange={(e) => setText(e.target.value)} placeholder={t(`duty.textHint.${duty.record}`)} data-testid="duty-text" />
          {duty.record === 'report' && (
            <div data-testid="duty-files">
              <Typography.Text>{t('duty.files')}</Typography.Text>
              {files.length ? (
                <Checkbox.Group style={{ display: 'flex', flexDirection: 'column' }} value={chosen} onChange={(v) => setChosen(v as string[])} options={files.map((f) => ({ value: f.id, label: f.name }))} />
              ) : (
                <Typography.Paragraph type="secondary">{t('duty.noFiles')}</Typography.Paragraph>
              )}
            </div>
          )}
          {problem && <Alert type="error" showIcon message={problem} data-testid="duty-problem" />}
        </Space>
      )}
    </Modal>
  );
}
