/**
 * 定期报表 (issue 11 §3): the stored reports of the organisation (GET /api/v1/reports/runs) —
 * scheduled weekly / monthly / … runs and the ones made on request — with their progress while
 * they run, download buttons (Excel in the UI language, JSON), the next scheduled run of each
 * kind, and, for approvers and admins, a report made now for an ended period.
 */
import { App, Button, Card, Input, Progress, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, PlayCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, ApiError, type Schemas } from '../../api/client';
import { useSession } from '../../app/session';
import { formatDateTime } from '../../shared/format';

type ReportRun = Schemas['ReportRun'];
type RunList = Schemas['ReportRunList'];
const KINDS = ['weekly', 'monthly', 'quarterly', 'yearly'] as const;
type Kind = (typeof KINDS)[number];
const PLACEHOLDER: Record<Kind, string> = { weekly: '2026-W48', monthly: '2026-11', quarterly: '2026-Q4', yearly: '2026' };
const STATUS_COLOR: Record<ReportRun['status'], string> = { done: 'green', running: 'blue', failed: 'red' };

const pct = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`);

export function ScheduledReports() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { me } = useSession();
  const [list, setList] = useState<RunList | null>(null);
  const [kind, setKind] = useState<Kind>('weekly');
  const [period, setPeriod] = useState('');
  const [making, setMaking] = useState(false);
  const [periodError, setPeriodError] = useState<string | null>(null);
  const mayRun = !!me && me.roles.some((r) => r === 'approver' || r === 'admin');

  const load = useCallback(async () => {
    try {
      setList(await ok(api.GET('/api/v1/reports/runs', { params: { query: { limit: 100 } } })));
    } catch (e) {
      void message.error((e as Error).message);
    }
  }, [message]);
  useEffect(() => {
    void load();
  }, [load]);
  // While a run is being made (here or by the scheduler), follow its progress.
  const running = list?.items.some((r) => r.status === 'running') ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void load(), 3000);
    return () => clearInterval(timer);
  }, [running, load]);

  const makeNow = async () => {
    setMaking(true);
    setPeriodError(null);
    try {
      const run = await ok(api.POST('/api/v1/reports/runs', { body: { kind, period: period.trim() } }));
      void message.success(t('reports.runs.made', { period: run.period }));
      await load();
    } catch (e) {
      const field = e instanceof ApiError ? e.fields.find((f) => f.path === 'period' || f.path === 'kind') : undefined;
      if (field) setPeriodError(field.message);
      else void message.error((e as Error).message);
    } finally {
      setMaking(false);
    }
  };

  const href = (r: ReportRun, format: 'xlsx' | 'json') => `/api/v1/reports/runs/${encodeURIComponent(r.id)}/download?format=${format}&lang=${encodeURIComponent(i18n.language)}`;

  return (
    <Card size="small" title={t('reports.runs.title')} data-testid="scheduled-reports" style={{ marginTop: 8 }} extra={<Button size="small" icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('reports.refresh')} />}>
      <Space wrap size={[8, 4]} style={{ marginBottom: 8 }}>
        {(list?.next ?? []).map((n) => (
          <Tag key={n.kind} data-testid={`next-${n.kind}`}>
            {t('reports.runs.next', { kind: t(`reports.runs.kind.${n.kind}`), period: n.period, at: formatDateTime(n.at) })}
            {n.moved ? ` · ${t('reports.runs.moved')}` : ''}
          </Tag>
        ))}
      </Space>
      {mayRun && (
        <Space wrap size={[8, 4]} style={{ display: 'flex', marginBottom: 8 }}>
          <Select<Kind> value={kind} onChange={setKind} options={KINDS.map((k) => ({ value: k, label: t(`reports.runs.kind.${k}`) }))} style={{ width: 110 }} aria-label={t('reports.runs.kindLabel')} />
          <Tooltip title={periodError} open={!!periodError} color="red">
            <Input
              value={period}
              onChange={(e) => setPeriod(e.target.value)}
              placeholder={PLACEHOLDER[kind]}
              status={periodError ? 'error' : undefined}
              aria-label={t('reports.runs.period')}
              data-testid="run-period"
              style={{ width: 130 }}
            />
          </Tooltip>
          <Button icon={<PlayCircleOutlined />} loading={making} disabled={!period.trim()} onClick={() => void makeNow()} data-testid="run-now">
            {t('reports.runs.runNow')}
          </Button>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('reports.runs.runNowHint')}
          </Typography.Text>
        </Space>
      )}
      <Table<ReportRun>
        size="small"
        rowKey="id"
        loading={!list}
        dataSource={list?.items ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        scroll={{ x: 760 }}
        data-testid="report-runs"
        locale={{ emptyText: t('reports.runs.none') }}
        columns={[
          { title: t('reports.runs.kindLabel'), dataIndex: 'kind', width: 80, render: (k: Kind) => t(`reports.runs.kind.${k}`) },
          { title: t('reports.runs.period'), dataIndex: 'period', width: 190, render: (_: string, r) => `${r.period}（${r.periodFrom} – ${r.periodTo}）` },
          {
            title: t('reports.runs.status'),
            dataIndex: 'status',
            width: 150,
            render: (s: ReportRun['status'], r) =>
              s === 'running' ? (
                <Progress percent={r.progress} size="small" format={() => t(`reports.runs.step.${r.step ?? 'claimed'}`, { defaultValue: r.step ?? '' })} />
              ) : (
                <Tooltip title={r.error ?? r.deliveryNote ?? undefined}>
                  <Tag color={STATUS_COLOR[s]}>{t(`reports.runs.statusName.${s}`)}</Tag>
                </Tooltip>
              ),
          },
          { title: t('reports.intake'), key: 'received', width: 70, align: 'right', render: (_: unknown, r) => r.headline?.received ?? '—' },
          { title: t('reports.onTime'), key: 'onTime', width: 90, align: 'right', render: (_: unknown, r) => pct(r.headline?.onTimeRate) },
          { title: t('reports.satisfaction'), key: 'sat', width: 80, align: 'right', render: (_: unknown, r) => pct(r.headline?.satisfiedRate) },
          { title: t('reports.runs.trigger'), dataIndex: 'trigger', width: 80, render: (v: string) => t(`reports.runs.triggerName.${v}`) },
          { title: t('reports.runs.finishedAt'), dataIndex: 'finishedAt', width: 140, render: (v: string | null) => (v ? formatDateTime(v) : '—') },
          {
            title: t('reports.runs.download'),
            key: 'download',
            width: 150,
            render: (_: unknown, r) =>
              r.status === 'done' ? (
                <Space size={4}>
                  <Button size="small" type="link" icon={<DownloadOutlined />} href={href(r, 'xlsx')} download data-testid={`download-xlsx-${r.kind}-${r.period}`}>
                    Excel
                  </Button>
                  <Button size="small" type="link" href={href(r, 'json')} download>
                    JSON
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}
