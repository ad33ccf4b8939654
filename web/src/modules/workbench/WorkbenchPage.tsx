/**
 * 工作台: the start page of the day. Per role what needs doing now (the server's counts, each
 * opening its queue) and the few most urgent cases; refreshed by live updates.
 */
import { App, Card, Col, Empty, Grid, Row, Statistic, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ok, type ListRow, type Schemas } from '../../api/client';
import { useLookups, useSession } from '../../app/session';
import { useCaseChanges } from '../../app/live';
import { Countdown } from '../../shared/Countdown';
import { StateTag } from '../../shared/StateTag';

type Workbench = Schemas['Workbench'];

export function WorkbenchPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useSession();
  const { userName, deptName } = useLookups();
  const [w, setW] = useState<Workbench | null>(null);
  // On a phone the urgent cases are two columns — the case (number, summary, state) and its time
  // left — so the table fits the screen instead of scrolling sideways.
  const wide = Grid.useBreakpoint().md ?? true;
  const load = useCallback(async () => {
    try {
      setW(await ok(api.GET('/api/v1/workbench')));
    } catch (e) {
      void message.error((e as Error).message);
    }
  }, [message]);
  useEffect(() => {
    void load();
  }, [load]);
  useCaseChanges(() => void load(), 1000);

  return (
    <Space100>
      <Typography.Title level={4} style={{ margin: '0 0 12px' }}>
        {t('workbench.title', { name: me?.name ?? '' })}
      </Typography.Title>
      <Row gutter={[12, 12]} data-testid="workbench-items">
        {(w?.items ?? []).map((i) => (
          <Col key={i.key} xs={12} sm={8} lg={6} xl={4}>
            <Link to={`/queues/${i.queue}`} data-testid={`workbench-${i.key}`}>
              <Card size="small" hoverable style={{ borderColor: i.urgent && i.count > 0 ? '#ff7875' : undefined, height: '100%' }}>
                <Statistic title={<span className="kesu-word">{t(`workbench.item.${i.key}`)}</span>} value={i.count} valueStyle={{ color: i.urgent && i.count > 0 ? '#cf1322' : undefined }} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t(`workbench.hint.${i.key}`)}
                </Typography.Text>
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
      <Card size="small" title={t('workbench.urgent')} style={{ marginTop: 12 }} styles={{ body: { padding: 0 } }}>
        {!w ? null : w.urgent.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.nothing')} />
        ) : (
          <Table<ListRow>
            rowKey="id"
            size="small"
            dataSource={w.urgent}
            pagination={false}
            scroll={wide ? { x: 640 } : undefined}
            data-testid="workbench-urgent"
            columns={[
              ...(wide
                ? [
                    { title: t('field.number'), dataIndex: 'number', width: 150, render: (v: string) => <Link to={`/cases/${v}`}>{v}</Link> },
                    { title: t('field.title'), dataIndex: 'title', ellipsis: true },
                    { title: t('field.state'), dataIndex: 'state', width: 110, render: (v: string) => <StateTag state={v} /> },
                    { title: t('field.department'), dataIndex: 'departmentCode', width: 110, render: (v: string | null) => deptName(v) },
                    { title: t('field.handler'), dataIndex: 'primaryHandlerId', width: 80, render: (v: string | null) => userName(v) },
                  ]
                : [
                    {
                      title: t('field.number'),
                      dataIndex: 'number',
                      render: (v: string, r: ListRow) => (
                        <div>
                          <Link to={`/cases/${v}`}>{v}</Link> <StateTag state={r.state} />
                          <div style={{ fontSize: 12, color: '#595959', overflowWrap: 'anywhere' }}>{r.title}</div>
                        </div>
                      ),
                    },
                  ]),
              {
                title: t('field.timeLeft'),
                dataIndex: 'nextDue',
                width: wide ? 150 : 110,
                render: (_: unknown, r: ListRow) => (r.nextDue ? <Countdown dueAt={r.nextDue.dueAt} warnAt={r.nextDue.warnAt} startedAt={r.receivedAt} breached={r.overdue} /> : '—'),
              },
            ]}
          />
        )}
      </Card>
    </Space100>
  );
}

function Space100({ children }: { children: React.ReactNode }) {
  return <div style={{ maxWidth: 1400 }}>{children}</div>;
}
