/**
 * The dashboard's overdue and nearly-overdue lists. The time left is the point of the list, so it
 * is never cut off at the card's edge: from a tablet up five columns (the department and handler
 * under the summary, the clock above its time left) fit the half-width card of 1366×768, where
 * eight columns (~700 px) did not; on a phone two — the case with its facts stacked, and the
 * clock with its time left.
 */
import { Grid, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Dashboard } from '../../api/client';
import { useLookups } from '../../app/session';
import { Countdown } from '../../shared/Countdown';
import { StateTag } from '../../shared/StateTag';

type DeadlineRow = Dashboard['overdue'][number];

export function DeadlineList({ rows, testId }: { rows: DeadlineRow[]; testId: string }) {
  const { t } = useTranslation();
  const { deptName, gradeName, userName, clockName } = useLookups();
  const wide = Grid.useBreakpoint().md ?? true;
  const clock = (r: DeadlineRow) => clockName(r.clock, r.clockName);
  const people = (r: DeadlineRow) => [deptName(r.departmentCode), userName(r.primaryHandlerId)].filter((x) => x && x !== '—').join(' · ');
  const small = { fontSize: 12, color: '#595959' } as const;
  // The clock above its time left: one column for both keeps the list inside a half-width card.
  const left = {
    title: t('field.timeLeft'),
    dataIndex: 'dueAt',
    key: 'left',
    width: wide ? 140 : 128,
    render: (v: string, r: DeadlineRow) => (
      <div>
        <div style={small}>{clock(r)}</div>
        <Countdown dueAt={v} />
      </div>
    ),
  };
  const columns = wide
    ? [
        { title: t('field.number'), dataIndex: 'number', width: 140, render: (v: string) => <Link to={`/cases/${v}`}>{v}</Link> },
        {
          title: t('field.title'),
          dataIndex: 'title',
          ellipsis: true,
          render: (v: string, r: DeadlineRow) => (
            <>
              <div style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>{v}</div>
              <div style={{ ...small, overflow: 'hidden', textOverflow: 'ellipsis' }}>{people(r) || '—'}</div>
            </>
          ),
        },
        { title: t('field.state'), dataIndex: 'state', width: 96, render: (v: string) => <StateTag state={v} /> },
        { title: t('field.grade'), dataIndex: 'grade', width: 80, render: (v: string | null) => (v ? gradeName(v) : '—') },
        left,
      ]
    : [
        {
          title: t('field.number'),
          dataIndex: 'number',
          render: (v: string, r: DeadlineRow) => (
            <div style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
              <Link to={`/cases/${v}`}>{v}</Link> <StateTag state={r.state} />
              <Typography.Paragraph ellipsis={{ rows: 1 }} style={{ margin: 0, fontSize: 12 }}>
                {r.title}
              </Typography.Paragraph>
              <div style={small}>{[r.grade ? gradeName(r.grade) : '', people(r)].filter(Boolean).join(' · ') || '—'}</div>
            </div>
          ),
        },
        left,
      ];
  return <Table<DeadlineRow> size="small" rowKey="id" pagination={false} scroll={{ y: 240 }} dataSource={rows} columns={columns} data-testid={testId} data-form={wide ? 'table' : 'stacked'} />;
}
