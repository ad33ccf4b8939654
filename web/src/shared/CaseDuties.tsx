/**
 * The duties of a case (issue 10 §2): what each transition created — report back, written
 * report, verification — with its owner's due time, late ones marked, done ones with their
 * record; the owner completes an open one from here (modules/duties/CompleteDutyDialog.tsx).
 */
import { App, Button, Card, List, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import { useSession } from '../app/session';
import { CompleteDutyDialog, dutyName, type Duty } from '../modules/duties/CompleteDutyDialog';
import { formatDateTime } from './format';

export function dutyTag(d: Duty, t: (k: string) => string) {
  if (d.status === 'done') return <Tag color={d.breachedAt ? 'orange' : 'green'}>{d.breachedAt ? t('duty.doneLate') : t('duty.done')}</Tag>;
  return d.overdue ? <Tag color="red">{t('duty.overdue')}</Tag> : <Tag color="blue">{t('duty.open')}</Tag>;
}

/**
 * `version` reloads the list when the case moves on (a transition can create or close duties);
 * the card stays mounted so an open complete dialog and its typed text survive a refresh of the
 * case view (someone else acting on the case, a notice going out).
 */
export function CaseDuties({ caseId, version, files }: { caseId: string; version?: number | null; files: { id: string; name: string }[] }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { me } = useSession();
  const [duties, setDuties] = useState<Duty[]>([]);
  const [completing, setCompleting] = useState<Duty | null>(null);
  const load = useCallback(async () => {
    try {
      setDuties(await ok(api.GET('/api/v1/complaints/{id}/duties', { params: { path: { id: caseId } } })));
    } catch {
      setDuties([]);
    }
  }, [caseId]);
  useEffect(() => void load(), [load, version]);
  if (!duties.length) return null;
  const mine = (d: Duty) =>
    !!me && (d.owner.userId === me.id || (!!d.owner.role && (me.roles as string[]).includes(d.owner.role)) || (!!d.owner.departmentCode && me.managerOf.includes(d.owner.departmentCode)) || (me.roles as string[]).includes('specialist'));
  return (
    <Card title={t('duty.caseTitle')} size="small" style={{ marginTop: 8 }} data-testid="case-duties">
      <List
        size="small"
        dataSource={duties}
        renderItem={(d) => (
          <List.Item
            data-testid="case-duty"
            data-code={d.code}
            actions={
              d.status === 'open' && mine(d)
                ? [
                    <Button key="c" size="small" type="primary" onClick={() => setCompleting(d)} data-testid="duty-complete">
                      {t('duty.complete')}
                    </Button>,
                  ]
                : []
            }
          >
            <Space direction="vertical" size={0}>
              <Space wrap>
                {dutyTag(d, t)}
                <Typography.Text strong>{dutyName(d, i18n.language)}</Typography.Text>
              </Space>
              <Typography.Text type="secondary">
                {d.status === 'done' ? `${t('duty.completedAt')} ${formatDateTime(d.completedAt)}${d.result?.text ? ` · ${d.result.text}` : ''}` : `${t('duty.due')} ${formatDateTime(d.dueAt)} · ${t(`duty.record.${d.record}`)}`}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      <CompleteDutyDialog
        duty={completing}
        files={files}
        onClose={() => setCompleting(null)}
        onDone={() => {
          setCompleting(null);
          void message.success(t('duty.completed'));
          void load();
        }}
      />
    </Card>
  );
}
