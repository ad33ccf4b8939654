/**
 * 报表 (issue 11 §2): the figures of the cases received in a period matching the filters
 * (GET /api/v1/reports/statistics, definitions in docs/reports.md), the handling-mode and intake
 * trend charts, a drill-down list of the cases behind a figure or a bar, and the same figures as
 * an Excel workbook in the UI language.
 */
import { App, Button, Card, Col, DatePicker, Drawer, Empty, Row, Segmented, Select, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ok, type I18nText, type Schemas } from '../../api/client';
import type { paths } from '../../api/generated/openapi';
import { useLookups } from '../../app/session';
import { pick } from '../../i18n';
import { StateTag } from '../../shared/StateTag';
import { formatDateTime } from '../../shared/format';
import { ReportChart } from './ReportChart';
import { ScheduledReports } from './ScheduledReports';
import { ReportExportButtons } from './ReportExportButtons';
import { useOrgToday } from '../../app/session';
import { PRESETS, bucketPeriod, defaultGroupBy, presetPeriod, type Period, type Preset } from './period';

type Statistics = Schemas['Statistics'];
type StatisticsCase = Schemas['StatisticsCase'];
type Rate = Schemas['StatisticsRate'];
type GroupBy = 'day' | 'week' | 'month';
type DrillQuery = NonNullable<paths['/api/v1/reports/statistics/cases']['get']['parameters']['query']>;
type Figure = DrillQuery['figure'];
type Age = NonNullable<DrillQuery['age']>;

interface Filters {
  department: string[];
  grade: string[];
  channel: string[];
  category: string[];
}
const NO_FILTERS: Filters = { department: [], grade: [], channel: [], category: [] };
const MODES = ['immediate', 'within_limit', 'overdue', 'repeated'] as const;
const AGES = ['lt1d', 'd1to3', 'd3to7', 'ge7d'] as const satisfies readonly Age[];
/** The backlog chart's series, in its order: the figure each bar drills into (by its age bucket). */
const BACKLOG_SERIES = ['open', 'pending'] as const satisfies readonly Figure[];
const DIMENSIONS = ['attitude', 'efficiency', 'result'] as const;
const MODE_COLORS: Record<(typeof MODES)[number], string> = { immediate: '#52c41a', within_limit: '#1677ff', overdue: '#f5222d', repeated: '#fa8c16' };
/** The tags' preset colours: their text meets contrast on the tag (the chart keeps MODE_COLORS). */
const MODE_TAGS: Record<(typeof MODES)[number], string> = { immediate: 'success', within_limit: 'processing', overdue: 'error', repeated: 'warning' };

/** The query every call of the page shares (lists joined with commas, empty ones left out). */
function query(period: Period, groupBy: GroupBy, f: Filters) {
  const q: Record<string, string> = { from: period.from, to: period.to, groupBy };
  for (const [k, v] of Object.entries(f) as [keyof Filters, string[]][]) if (v.length) q[k] = v.join(',');
  return q as { from: string; to: string; groupBy: GroupBy } & Partial<Record<keyof Filters, string>>;
}

const pct = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`);

export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { policy, deptName, gradeName, categoryName, clockName } = useLookups();
  const [preset, setPreset] = useState<Preset>('thisMonth');
  // Presets are counted from the organisation's today (the server reads dates in its zone); the
  // first period is re-set once the policy, and so the zone, has loaded.
  const today = useOrgToday();
  const preset_ = (p: Exclude<Preset, 'custom'>) => presetPeriod(p, today ? dayjs(today) : undefined);
  const [period, setPeriod] = useState<Period>(() => preset_('thisMonth'));
  useEffect(() => {
    if (today && preset !== 'custom')
      setPeriod((cur) => {
        const next = presetPeriod(preset, dayjs(today));
        return cur.from === next.from && cur.to === next.to ? cur : next;
      });
    // Only when the zone's today becomes known or changes, not on every preset click (those set it themselves).
  }, [today]);
  const [groupBy, setGroupBy] = useState<GroupBy>('day');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [s, setS] = useState<Statistics | null>(null);
  const [loading, setLoading] = useState(false);
  const [drill, setDrill] = useState<{ figure: Figure; age?: Age; title: string; period: Period; rows: StatisticsCase[] | null } | null>(null);

  const q = useMemo(() => query(period, groupBy, filters), [period, groupBy, filters]);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      setS(await ok(api.GET('/api/v1/reports/statistics', { params: { query: q } })));
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [q, message]);
  useEffect(() => {
    void load();
  }, [load]);

  const choosePreset = (p: Preset) => {
    setPreset(p);
    if (p === 'custom') return;
    const next = preset_(p);
    setPeriod(next);
    setGroupBy(defaultGroupBy(next));
  };

  const openDrill = useCallback(
    async (figure: Figure, title: string, within: Period = period, age?: Age) => {
      setDrill({ figure, ...(age ? { age } : {}), title, period: within, rows: null });
      try {
        const rows = await ok(api.GET('/api/v1/reports/statistics/cases', { params: { query: { ...q, from: within.from, to: within.to, figure, ...(age ? { age } : {}), limit: 500 } } }));
        setDrill((d) => (d && d.figure === figure && d.age === age && d.period === within ? { ...d, rows } : d));
      } catch (e) {
        void message.error((e as Error).message);
        setDrill(null);
      }
    },
    [q, period, message],
  );

  /** A duty code by its name in the active policy (the code when the policy no longer lists it). */
  const dutyLabel = (code: string) => {
    const d = policy?.duties?.find((x) => x.code === code);
    return d ? pick(d.name as Record<string, string>) : code;
  };

  const xlsxHref = useMemo(() => {
    const p = new URLSearchParams({ ...q, lang: i18n.language });
    return `/api/v1/reports/statistics.xlsx?${p.toString()}`;
  }, [q, i18n.language]);

  const onTime = useMemo(() => {
    if (!s) return null;
    const met = s.onTime.byStage.reduce((a, x) => a + x.met, 0);
    const breached = s.onTime.byStage.reduce((a, x) => a + x.breached, 0);
    return { met, breached, rate: met + breached ? met / (met + breached) : null };
  }, [s]);

  const charts = useMemo(() => {
    if (!s) return null;
    const modeNames = MODES.map((m) => t(`reports.mode.${m}`));
    const fmtBucket = (b: string) => (groupBy === 'day' ? dayjs(b).format('MM-DD') : b);
    return {
      modes: {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: modeNames, inverse: true },
        series: [
          {
            type: 'bar',
            barMaxWidth: 28,
            data: MODES.map((m) => ({ value: s.handling.modes[m].count, itemStyle: { color: MODE_COLORS[m] } })),
            label: { show: true, position: 'right', formatter: (p: { dataIndex: number; value: number }) => `${p.value} (${pct(s.handling.modes[MODES[p.dataIndex]!].rate)})` },
          },
        ],
      },
      backlog: {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { data: [t('reports.openCases'), t('reports.pendingItems')], top: 0 },
        grid: { left: 8, right: 8, top: 28, bottom: 4, containLabel: true },
        xAxis: { type: 'category', data: AGES.map((a) => t(`reports.age.${a}`)), axisLabel: { interval: 0, width: 72, overflow: 'break' } },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: t('reports.openCases'), type: 'bar', barMaxWidth: 24, itemStyle: { color: '#1677ff' }, label: { show: true, position: 'top' }, data: AGES.map((a) => s.backlog.open[a]) },
          { name: t('reports.pendingItems'), type: 'bar', barMaxWidth: 24, itemStyle: { color: '#fa8c16' }, label: { show: true, position: 'top' }, data: AGES.map((a) => s.backlog.pending[a]) },
        ],
      },
      trend: {
        tooltip: { trigger: 'axis' },
        legend: { data: [t('reports.received'), t('reports.closed')], top: 0 },
        grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: s.intake.trend.map((x) => fmtBucket(x.bucket)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: t('reports.received'), type: 'bar', barMaxWidth: 24, data: s.intake.trend.map((x) => x.received), itemStyle: { color: '#1677ff' } },
          { name: t('reports.closed'), type: 'line', data: s.intake.trend.map((x) => x.closed), itemStyle: { color: '#52c41a' } },
        ],
      },
    };
  }, [s, t, groupBy]);

  const rateText = (r: Rate) => t('reports.ofTotal', { count: r.count, of: r.of });
  const card = (testId: string, title: string, value: string | number, sub: string, figure?: Figure, hint?: string) => (
    <Col xs={12} sm={8} md={6} xl={4} key={testId}>
      <Card
        size="small"
        hoverable={!!figure}
        data-testid={`figure-${testId}`}
        onClick={figure ? () => void openDrill(figure, title) : undefined}
        style={{ height: '100%', cursor: figure ? 'pointer' : undefined }}
        styles={{ body: { padding: '8px 12px' } }}
      >
        <Statistic title={hint ? <Tooltip title={hint}>{title}</Tooltip> : title} value={value} valueStyle={{ fontSize: 20 }} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {sub}
        </Typography.Text>
      </Card>
    </Col>
  );

  const options = (list: { code: string; name: Parameters<typeof pick>[0] }[] | undefined) => (list ?? []).map((x) => ({ value: x.code, label: pick(x.name) }));
  const filterSelect = (key: keyof Filters, label: string, opts: { value: string; label: string }[]) => (
    <Select
      mode="multiple"
      allowClear
      maxTagCount="responsive"
      placeholder={label}
      aria-label={label}
      data-testid={`filter-${key}`}
      value={filters[key]}
      onChange={(v: string[]) => setFilters((f) => ({ ...f, [key]: v }))}
      options={opts}
      optionFilterProp="label"
      style={{ width: 160 }}
    />
  );

  return (
    <div data-testid="reports">
      <Card size="small" style={{ marginBottom: 8 }} styles={{ body: { padding: 8 } }}>
        <Space wrap size={[8, 8]}>
          <Segmented<Preset> value={preset} onChange={choosePreset} options={PRESETS.map((p) => ({ value: p, label: t(`reports.preset.${p}`) }))} data-testid="period-preset" />
          <DatePicker.RangePicker
            allowClear={false}
            value={[dayjs(period.from), dayjs(period.to)]}
            onChange={(v) => {
              if (!v?.[0] || !v[1]) return;
              const next = { from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') };
              setPreset('custom');
              setPeriod(next);
              setGroupBy(defaultGroupBy(next));
            }}
            data-testid="period-range"
          />
          <Segmented<GroupBy> value={groupBy} onChange={setGroupBy} options={(['day', 'week', 'month'] as const).map((g) => ({ value: g, label: t(`reports.groupBy.${g}`) }))} />
          {filterSelect('department', t('field.department'), options(policy?.departments))}
          {filterSelect('grade', t('field.grade'), options(policy?.grades))}
          {filterSelect(
            'channel',
            t('field.channel'),
            (policy?.channels ?? []).map((c) => ({ value: c, label: t(`channel.${c}`, { defaultValue: c }) })),
          )}
          {filterSelect('category', t('field.category'), options(policy?.categories))}
          <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading} aria-label={t('reports.refresh')} />
          <Button type="primary" icon={<DownloadOutlined />} href={xlsxHref} download data-testid="reports-xlsx">
            {t('reports.downloadExcel')}
          </Button>
          <ReportExportButtons query={q} />
        </Space>
      </Card>
      {!s || !charts || !onTime ? (
        <Card loading />
      ) : (
        <Row gutter={[8, 8]}>
          <Col span={24}>
            <Typography.Text type="secondary" data-testid="reports-period" style={{ fontSize: 12 }}>
              {t('reports.periodLine', { from: s.period.from, to: s.period.to, zone: s.period.timeZone })}
            </Typography.Text>
          </Col>
          {card('received', t('reports.intake'), s.intake.total, t('reports.closedPending', { closed: s.handling.closed, pending: s.handling.pendingNow }), 'received')}
          {card('valid', t('reports.valid'), pct(s.validity.valid.rate), rateText(s.validity.valid), 'valid', t('reports.hint.validity', { unjudged: s.validity.unjudged }))}
          {card('invalid', t('reports.invalid'), pct(s.validity.invalid.rate), rateText(s.validity.invalid), 'invalid')}
          {card('malicious', t('reports.malicious'), pct(s.validity.malicious.rate), rateText(s.validity.malicious), 'malicious')}
          {card('onTime', t('reports.onTime'), pct(onTime.rate), t('reports.metBreached', { met: onTime.met, breached: onTime.breached }), 'resolve_breached', t('reports.hint.onTime'))}
          {card('avgHours', t('reports.avgHours'), s.handling.time.averageHours ?? '—', t('reports.hoursOver', { cases: s.handling.time.cases }), undefined, t('reports.hint.hours'))}
          {card('p90Hours', t('reports.p90Hours'), s.handling.time.p90Hours ?? '—', t('reports.hoursOver', { cases: s.handling.time.cases }), undefined, t('reports.hint.hours'))}
          {card('fcr', t('reports.firstContact'), pct(s.handling.firstContactResolution.rate), rateText(s.handling.firstContactResolution), 'first_contact')}
          {card('satisfaction', t('reports.satisfaction'), pct(s.satisfaction.satisfied.rate), rateText(s.satisfaction.satisfied), 'satisfied')}
          {card('reopen', t('reports.reopen'), pct(s.reopen.reopened.rate), rateText(s.reopen.reopened), 'reopened')}
          {card('repeat', t('reports.repeat'), pct(s.repeat.repeated.rate), rateText(s.repeat.repeated), undefined, t('reports.hint.repeat', { days: s.repeat.windowDays }))}
          {card('escalated', t('reports.escalated'), pct(s.escalations.escalated.rate), rateText(s.escalations.escalated), 'escalated')}
          <Col xs={24} lg={10}>
            <Card size="small" title={t('reports.modes')} styles={{ body: { padding: 4 } }}>
              <ReportChart option={charts.modes} height={200} testId="chart-modes" onPick={(i) => void openDrill(MODES[i]!, t(`reports.mode.${MODES[i]!}`))} />
              <Space wrap size={4} style={{ padding: '0 8px 4px' }}>
                {MODES.map((m) => (
                  <Tag key={m} color={MODE_TAGS[m]} style={{ cursor: 'pointer' }} onClick={() => void openDrill(m, t(`reports.mode.${m}`))} data-testid={`mode-${m}`}>
                    {t(`reports.mode.${m}`)} {s.handling.modes[m].count}
                  </Tag>
                ))}
              </Space>
            </Card>
          </Col>
          <Col xs={24} lg={14}>
            <Card size="small" title={t('reports.trend')} styles={{ body: { padding: 4 } }}>
              <ReportChart
                option={charts.trend}
                height={228}
                testId="chart-trend"
                onPick={(i, series) => {
                  // The bars: the cases received in the bucket; the line: those closed in it, whenever received.
                  const within = bucketPeriod(
                    s.intake.trend.map((x) => x.start),
                    i,
                    period,
                  );
                  const [figure, name] = series === 1 ? (['closed_in_period', t('reports.closed')] as const) : (['received', t('reports.received')] as const);
                  void openDrill(figure, `${name} · ${s.intake.trend[i]!.bucket}`, within);
                }}
              />
            </Card>
          </Col>
          <Col xs={24} md={12}>
            <Card size="small" title={t('reports.byDepartment')} styles={{ body: { padding: 0 } }}>
              <CountTable rows={s.intake.byDepartment} name={deptName} empty={t('reports.none')} />
            </Card>
          </Col>
          <Col xs={24} md={12}>
            <Card size="small" title={t('reports.byCategory')} styles={{ body: { padding: 0 } }}>
              <CountTable rows={s.intake.byCategory} name={categoryName} empty={t('reports.none')} />
            </Card>
          </Col>
          <Col xs={24} md={12}>
            <Card size="small" title={t('reports.onTimeByGrade')} styles={{ body: { padding: 0 } }}>
              <Table
                size="small"
                rowKey={(r) => r.grade ?? '-'}
                pagination={false}
                dataSource={s.onTime.byGrade}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
                columns={[
                  { title: t('field.grade'), dataIndex: 'grade', render: (g: string | null) => (g ? gradeName(g) : t('reports.none')) },
                  { title: t('reports.met'), dataIndex: 'met', width: 70, align: 'right' },
                  { title: t('reports.breached'), dataIndex: 'breached', width: 70, align: 'right' },
                  { title: t('reports.onTime'), dataIndex: 'rate', width: 90, align: 'right', render: (r: number | null) => pct(r) },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} md={12}>
            <Card size="small" title={t('reports.onTimeByStage')} styles={{ body: { padding: 0 } }} data-testid="stages-on-time">
              <Table
                size="small"
                rowKey="stage"
                pagination={false}
                dataSource={s.onTime.byStage}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
                columns={[
                  { title: t('reports.stage'), dataIndex: 'stage', render: (k: string, r: { name?: I18nText }) => clockName(k, r.name) },
                  { title: t('reports.met'), dataIndex: 'met', width: 70, align: 'right' },
                  { title: t('reports.breached'), dataIndex: 'breached', width: 70, align: 'right' },
                  { title: t('reports.onTime'), dataIndex: 'rate', width: 90, align: 'right', render: (r: number | null) => pct(r) },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} md={12}>
            <Card size="small" title={<Tooltip title={t('reports.backlogHint')}>{t('reports.backlog')}</Tooltip>} styles={{ body: { padding: 4 } }} data-testid="backlog">
              <ReportChart
                option={charts.backlog}
                height={200}
                testId="chart-backlog"
                onPick={(i, series) => {
                  const figure = BACKLOG_SERIES[series];
                  if (!figure) return;
                  void openDrill(figure, `${t(figure === 'pending' ? 'reports.pendingItems' : 'reports.openCases')} · ${t(`reports.age.${AGES[i]!}`)}`, period, AGES[i]!);
                }}
              />
            </Card>
          </Col>
          <Col xs={24} md={12}>
            <Card size="small" title={t('reports.onTimeByDuty')} styles={{ body: { padding: 0 } }} data-testid="duties-on-time">
              <Table
                size="small"
                rowKey="code"
                pagination={false}
                dataSource={s.onTime.byDuty}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
                columns={[
                  { title: t('reports.duty'), dataIndex: 'code', render: (c: string) => dutyLabel(c) },
                  { title: t('reports.met'), dataIndex: 'met', width: 70, align: 'right' },
                  { title: t('reports.breached'), dataIndex: 'breached', width: 70, align: 'right' },
                  { title: t('reports.onTime'), dataIndex: 'rate', width: 90, align: 'right', render: (r: number | null) => pct(r) },
                ]}
              />
            </Card>
            <Card size="small" title={t('reports.scores')} styles={{ body: { padding: 0 } }} style={{ marginTop: 8 }} data-testid="scores">
              <Table
                size="small"
                rowKey="dim"
                pagination={false}
                dataSource={DIMENSIONS.map((d) => ({ dim: d, score: s.satisfaction.scores[d] }))}
                columns={[
                  { title: t('reports.dimension'), dataIndex: 'dim', render: (d: string) => t(`reports.dim.${d}`) },
                  { title: t('reports.score'), dataIndex: 'score', width: 140, align: 'right', render: (v: number | null) => (v === null ? '—' : v.toFixed(2)) },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
      <ScheduledReports />
      <Drawer open={!!drill} onClose={() => setDrill(null)} title={drill ? `${drill.title} · ${drill.period.from} – ${drill.period.to}` : ''} size="min(720px, 100vw)" destroyOnHidden>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }} data-testid="drill-note">
          {drill?.figure === 'closed_in_period' ? `${t('reports.drillClosedNote')} ` : drill?.age ? `${t('reports.drillAgeNote')} ` : ''}
          {t('reports.drillNote')}
        </Typography.Paragraph>
        <Table<StatisticsCase>
          data-testid="drill-list"
          size="small"
          rowKey="id"
          loading={!drill?.rows}
          dataSource={drill?.rows ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 520 }}
          columns={[
            { title: t('field.number'), dataIndex: 'number', width: 150, render: (v: string) => <Link to={`/cases/${v}`}>{v}</Link> },
            { title: t('field.kind'), dataIndex: 'kind', width: 70, render: (k: string) => t(`kind.${k}`, { defaultValue: k }) },
            { title: t('field.state'), dataIndex: 'state', width: 100, render: (v: string) => <StateTag state={v} /> },
            { title: t('field.grade'), dataIndex: 'grade', width: 80, render: (v: string | null) => (v ? gradeName(v) : '—') },
            { title: t('reports.receivedAt'), dataIndex: 'receivedAt', width: 150, render: (v: string) => formatDateTime(v) },
          ]}
        />
      </Drawer>
    </div>
  );
}

function CountTable({ rows, name, empty }: { rows: { key: string | null; count: number }[]; name: (code: string) => string; empty: string }) {
  const { t } = useTranslation();
  return (
    <Table
      size="small"
      rowKey={(r) => r.key ?? '-'}
      pagination={false}
      scroll={{ y: 200 }}
      dataSource={rows}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
      columns={[
        { title: t('reports.item'), dataIndex: 'key', render: (k: string | null) => (k ? name(k) : empty) },
        { title: t('reports.count'), dataIndex: 'count', width: 80, align: 'right' },
      ]}
    />
  );
}
