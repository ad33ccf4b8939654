/** The holiday calendar of a year: public holidays and adjusted working days (调休); admins replace a year with a JSON file. */
import { Alert, App, Card, Select, Space, Table, Tag, Typography, Upload, Button } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, ok, type HolidayYear } from '../../api/client';
import { useLookups, useSession } from '../../app/session';
import { formatDate } from '../../shared/format';

type Day = HolidayYear['days'][number];

export function CalendarTab() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { has } = useSession();
  const { policy } = useLookups();
  const [years, setYears] = useState<number[]>([]);
  const [year, setYear] = useState<number>(new Date().getFullYear());
  const [days, setDays] = useState<Day[] | null>(null);
  const [origin, setOrigin] = useState<string>('');
  const [error, setError] = useState<string | null>(null);

  const loadYears = useCallback(async () => {
    const r = await ok(api.GET('/api/v1/calendar/years'));
    setYears([...new Set([...r.builtIn, ...r.added.map((y) => y.year), new Date().getFullYear(), new Date().getFullYear() + 1])].sort());
  }, []);
  const loadYear = useCallback(async () => {
    try {
      const r = await ok(api.GET('/api/v1/calendar/years/{year}', { params: { path: { year } } }));
      setDays(r.days);
      setOrigin(r.origin);
    } catch {
      setDays(null);
      setOrigin('');
    }
  }, [year]);
  useEffect(() => {
    void loadYears();
  }, [loadYears]);
  useEffect(() => {
    void loadYear();
  }, [loadYear]);

  const upload = async (f: File) => {
    setError(null);
    if (!/\.json$/i.test(f.name)) return setError(t('calendar.badType'));
    if (f.size > 512_000) return setError(t('policy.tooBig', { max: '500 kB' }));
    let json: unknown;
    try {
      json = JSON.parse(await f.text());
    } catch {
      return setError(t('calendar.notJson'));
    }
    try {
      await ok(api.PUT('/api/v1/calendar/years/{year}', { params: { path: { year } }, body: json as Record<string, unknown> }));
      void message.success(t('calendar.saved', { year }));
      await Promise.all([loadYears(), loadYear()]);
    } catch (e) {
      setError(e instanceof ApiError ? [e.message, ...e.fields.map((x) => `${x.path}: ${x.message}`)].join('\n') : String(e));
    }
  };

  const weekday = (d: string) => new Intl.DateTimeFormat(i18n.language, { weekday: 'short' }).format(new Date(`${d}T12:00:00Z`));
  return (
    <Card
      title={
        <Space>
          {t('calendar.title')}
          <Select value={year} onChange={setYear} options={years.map((y) => ({ value: y, label: String(y) }))} style={{ width: 90 }} data-testid="calendar-year" />
          {origin && <Tag>{t(`calendar.origin.${origin}`)}</Tag>}
        </Space>
      }
      extra={
        has('admin') && (
          <Upload
            accept=".json"
            showUploadList={false}
            beforeUpload={(f) => {
              void upload(f);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />}>{t('calendar.upload', { year })}</Button>
          </Upload>
        )
      }
      styles={{ body: { padding: 8 } }}
    >
      {policy && (
        <Typography.Paragraph type="secondary">
          {t('calendar.policy', { zone: policy.calendar.timeZone, holidays: policy.calendar.holidays, hours: policy.calendar.workingHours.map((h) => `${h.start}–${h.end}`).join(', ') })}
        </Typography.Paragraph>
      )}
      {error && <Alert type="error" showIcon message={t('form.notSaved')} description={<span style={{ whiteSpace: 'pre-wrap' }}>{error}</span>} style={{ marginBottom: 8 }} />}
      {days === null ? (
        <Alert type="warning" showIcon message={t('calendar.noData', { year })} />
      ) : (
        <Table<Day>
          size="small"
          rowKey="date"
          pagination={false}
          scroll={{ y: 'calc(100vh - 300px)' }}
          dataSource={days}
          data-testid="calendar-days"
          columns={[
            { title: t('calendar.date'), dataIndex: 'date', width: 140, render: (d: string) => `${formatDate(`${d}T12:00:00Z`)} ${weekday(d)}` },
            { title: t('calendar.name'), dataIndex: 'name', render: (n?: string) => n ?? '—' },
            { title: t('calendar.kind'), dataIndex: 'off', width: 160, render: (off: boolean) => (off ? <Tag color="red">{t('calendar.holiday')}</Tag> : <Tag color="blue">{t('calendar.workday')}</Tag>) },
          ]}
        />
      )}
    </Card>
  );
}
