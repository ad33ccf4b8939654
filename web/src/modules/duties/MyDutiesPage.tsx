/**
 * 我的待办 (issue 10 §2): the open duties the signed-in user owns — of cases (with the case
 * number, a link to the case) and of the organisation (the monthly ones) — by due time, late
 * ones first in red. Completing one opens the same dialog as on the case.
 */
import { App, Button, Card, Grid, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { formatDateTime } from '../../shared/format';
import { dutyTag } from '../../shared/CaseDuties';
import { CompleteDutyDialog, dutyName, type Duty } from './CompleteDutyDialog';

export function MyDutiesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [rows, setRows] = useState<Duty[] | null>(null);
  const [completing, setCompleting] = useState<Duty | null>(null);
  const [files, setFiles] = useState<{ id: string; name: string }[]>([]);
  // On a phone the due time goes under the duty's name (the due and record columns are hidden).
  const wide = Grid.useBreakpoint().md ?? true;
  const load = useCallback(async () => setRows(await ok(api.GET('/api/v1/duties', { params: { query: { mine: '1' } } })).catch(() => [])), []);
  useEffect(() => void load(), [load]);
  const open = async (d: Duty) => {
    setFiles(d.complaintId && d.record === 'report' ? ((await ok(api.GET('/api/v1/complaints/{id}', { params: { path: { id: d.complaintId } } })).catch(() => null))?.attachments ?? []) : []);
    setCompleting(d);
  };
  return (
    <Card title={t('duty.mine')} data-testid="my-duties">
      <Table<Duty>
        rowKey="id"
        size="small"
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={false}
        locale={{ emptyText: t('duty.none') }}
        columns={[
          { key: 'status', title: t('duty.status'), width: 80, render: (_, d) => dutyTag(d, t) },
          {
            key: 'name',
            title: t('duty.name'),
            render: (_, d) => (
              <>
                <Typography.Text strong>{dutyName(d, i18n.language)}</Typography.Text>
                {!wide && (
                  <div style={{ fontSize: 12, color: d.overdue ? '#cf1322' : '#8c8c8c' }}>
                    {t('duty.due')} {formatDateTime(d.dueAt)}
                  </div>
                )}
              </>
            ),
          },
          { key: 'of', title: t('duty.of'), render: (_, d) => (d.complaintId ? <Link to={`/cases/${d.complaintId}`}>{d.number}</Link> : t('duty.organisation', { period: d.period })) },
          { key: 'due', title: t('duty.due'), width: 150, responsive: ['md'], render: (_, d) => <span style={{ color: d.overdue ? '#cf1322' : undefined }}>{formatDateTime(d.dueAt)}</span> },
          { key: 'record', title: t('duty.recordTitle'), width: 110, responsive: ['md'], render: (_, d) => t(`duty.record.${d.record}`) },
          {
            key: 'act',
            title: '',
            width: 80,
            render: (_, d) => (
              <Button size="small" type="primary" onClick={() => void open(d)} data-testid="duty-complete">
                {t('duty.complete')}
              </Button>
            ),
          },
        ]}
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
