/** The manager dashboard (ECharts): open cases by dimension, deadlines, this week's trend, satisfaction. */
import { App, Card, Col, Row, Statistic, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, type Dashboard } from '../../api/client';

type Count = Dashboard['open']['byState'][number];
import { useLookups } from '../../app/session';
import { useCaseChanges } from '../../app/live';
import { EChart } from '../../shared/EChart';
import { formatDateTime } from '../../shared/format';
import { DeadlineList } from './DeadlineList';

const SAT_COLORS: Record<string, string> = { very_satisfied: '#389e0d', satisfied: '#95de64', neutral: '#fadb14', unsatisfied: '#f5222d', unreachable: '#bfbfbf' };

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { deptName, gradeName } = useLookups();
  const [d, setD] = useState<Dashboard | null>(null);
  const load = useCallback(async () => {
    try {
      setD(await ok(api.GET('/api/v1/stats/dashboard')));
    } catch (e) {
      void message.error((e as Error).message);
    }
  }, [message]);
  useEffect(() => {
    void load();
  }, [load]);
  useCaseChanges(() => void load(), 1000);

  const label = useCallback(
    (dim: string, key: string | null) => {
      if (key === null) return t('dashboard.none');
      if (dim === 'state') return t(`state.${key}`);
      if (dim === 'grade') return gradeName(key);
      if (dim === 'department') return deptName(key);
      if (dim === 'channel') return t(`channel.${key}`, { defaultValue: key });
      return t(`kind.${key}`);
    },
    [t, gradeName, deptName],
  );
  const bar = useCallback(
    (dim: string, data: Count[], horizontal = false) => {
      const cats = data.map((x) => label(dim, x.key));
      const values = data.map((x) => x.count);
      return {
        grid: { left: horizontal ? 90 : 36, right: 16, top: 16, bottom: horizontal ? 20 : 48 },
        tooltip: { trigger: 'axis' },
        xAxis: horizontal ? { type: 'value', minInterval: 1 } : { type: 'category', data: cats, axisLabel: { interval: 0, rotate: cats.length > 5 ? 30 : 0 } },
        yAxis: horizontal ? { type: 'category', data: cats, inverse: true } : { type: 'value', minInterval: 1 },
        series: [{ type: 'bar', data: values, barMaxWidth: 36, itemStyle: { color: '#1677ff' }, label: { show: true, position: horizontal ? 'right' : 'top' } }],
      };
    },
    [label],
  );
  const pie = useCallback(
    (dim: string, data: Count[]) => ({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0, type: 'scroll' },
      series: [{ type: 'pie', radius: ['35%', '65%'], center: ['50%', '45%'], data: data.map((x) => ({ name: label(dim, x.key), value: x.count })), label: { formatter: '{b}: {c}' } }],
    }),
    [label],
  );
  const options = useMemo(() => {
    if (!d) return null;
    return {
      state: bar('state', d.open.byState),
      grade: pie('grade', d.open.byGrade),
      department: bar('department', d.open.byDepartment, true),
      channel: pie('channel', d.open.byChannel),
      trend: {
        tooltip: { trigger: 'axis' },
        legend: { data: [t('dashboard.received'), t('dashboard.closed')], top: 0 },
        grid: { left: 36, right: 16, top: 28, bottom: 24 },
        xAxis: { type: 'category', data: d.trend.map((x) => new Intl.DateTimeFormat(i18n.language, { month: '2-digit', day: '2-digit', weekday: 'short' }).format(new Date(`${x.day}T12:00:00Z`))) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: t('dashboard.received'), type: 'line', data: d.trend.map((x) => x.received), itemStyle: { color: '#1677ff' } },
          { name: t('dashboard.closed'), type: 'line', data: d.trend.map((x) => x.closed), itemStyle: { color: '#52c41a' } },
        ],
      },
      satisfaction: {
        tooltip: { trigger: 'item' },
        legend: { bottom: 0 },
        series: [
          {
            type: 'pie',
            radius: ['35%', '65%'],
            center: ['50%', '45%'],
            data: Object.entries(d.satisfaction.counts)
              .filter(([, n]) => n > 0)
              .map(([k, n]) => ({ name: t(`satisfaction.${k}`), value: n, itemStyle: { color: SAT_COLORS[k] } })),
            label: { formatter: '{b}: {c}' },
          },
        ],
      },
    };
  }, [d, bar, pie, t, i18n.language]);

  if (!d || !options) return <Card loading />;
  const chart = (title: string, option: Record<string, unknown>, testId: string, height = 220) => (
    <Card title={title} size="small" styles={{ body: { padding: 4 } }}>
      <EChart option={option} height={height} testId={testId} />
    </Card>
  );
  return (
    <div data-testid="dashboard">
      <Row gutter={[8, 8]}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('dashboard.open')} value={d.open.total} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('dashboard.overdue')} value={d.counts.overdue} valueStyle={{ color: d.counts.overdue ? '#cf1322' : undefined }} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('dashboard.nearly')} value={d.counts.nearlyOverdue} valueStyle={{ color: d.counts.nearlyOverdue ? '#d48806' : undefined }} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t('dashboard.satisfactionRate')}
              value={d.satisfaction.cases ? Math.round((((d.satisfaction.counts.very_satisfied ?? 0) + (d.satisfaction.counts.satisfied ?? 0)) * 100) / Math.max(1, d.satisfaction.cases - (d.satisfaction.counts.unreachable ?? 0))) : '—'}
              suffix={d.satisfaction.cases ? '%' : undefined}
            />
          </Card>
        </Col>
        <Col xs={24} md={12} xl={8}>
          {chart(t('dashboard.byState'), options.state, 'chart-state')}
        </Col>
        <Col xs={24} md={12} xl={8}>
          {chart(t('dashboard.byGrade'), options.grade, 'chart-grade')}
        </Col>
        <Col xs={24} md={12} xl={8}>
          {chart(t('dashboard.byChannel'), options.channel, 'chart-channel')}
        </Col>
        <Col xs={24} md={12} xl={8}>
          {chart(t('dashboard.byDepartment'), options.department, 'chart-department')}
        </Col>
        <Col xs={24} md={12} xl={8}>
          {chart(t('dashboard.trend'), options.trend, 'chart-trend')}
        </Col>
        <Col xs={24} md={12} xl={8}>
          <Card title={t('dashboard.satisfaction')} size="small" styles={{ body: { padding: 4 } }}>
            <EChart option={options.satisfaction} height={190} testId="chart-satisfaction" />
            <Typography.Text type="secondary" style={{ fontSize: 12, paddingLeft: 8 }}>
              {(['attitude', 'efficiency', 'result'] as const).map((k) => `${t(`score.${k}`)} ${d.satisfaction.scores[k] ?? '—'}`).join(' · ')} · {t('dashboard.since', { date: formatDateTime(d.satisfaction.since) })}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            title={
              <span>
                {t('dashboard.overdueList')} <Tag color="error">{d.counts.overdue}</Tag>
                {d.overdue.length < d.counts.overdue && (
                  <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
                    {t('dashboard.onlyVisible', { shown: d.overdue.length })}
                  </Typography.Text>
                )}
              </span>
            }
            size="small"
            styles={{ body: { padding: 0 } }}
          >
            <DeadlineList rows={d.overdue} testId="overdue-list" />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            title={
              <span>
                {t('dashboard.nearlyList')} <Tag color="warning">{d.counts.nearlyOverdue}</Tag>
                {d.nearlyOverdue.length < d.counts.nearlyOverdue && (
                  <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
                    {t('dashboard.onlyVisible', { shown: d.nearlyOverdue.length })}
                  </Typography.Text>
                )}
              </span>
            }
            size="small"
            styles={{ body: { padding: 0 } }}
          >
            <DeadlineList rows={d.nearlyOverdue} testId="nearly-list" />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
