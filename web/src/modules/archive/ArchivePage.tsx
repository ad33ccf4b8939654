/**
 * 案宗 (issue 15 §1): the yearly archive of archived cases (GET /api/v1/archive/years…) — a year
 * picker, the year's files as the policy groups them (department by default) with their
 * counts, one group's cases a page at a time with links to the case page, and the whole year's
 * (or the chosen group's) dossiers as one zip download in the UI language.
 */
import { App, Button, Card, Col, Empty, List, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ok, type Schemas } from '../../api/client';
import { formatDateTime } from '../../shared/format';

type YearFiles = Schemas['ArchiveYearFiles'];
type ArchiveCase = Schemas['ArchiveCase'];
const PAGE_SIZE = 20;

export function ArchivePage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [years, setYears] = useState<{ year: number; count: number }[] | null>(null);
  const [year, setYear] = useState<number | null>(null);
  const [files, setFiles] = useState<YearFiles | null>(null);
  const [group, setGroup] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [cases, setCases] = useState<{ total: number; items: ArchiveCase[] } | null>(null);
  const fail = useCallback((e: unknown) => void message.error((e as Error).message), [message]);

  useEffect(() => {
    ok(api.GET('/api/v1/archive/years'))
      .then((r) => {
        setYears(r.years);
        setYear(r.years[0]?.year ?? null);
      })
      .catch(fail);
  }, [fail]);

  // The year's groups (names in the UI language); the first group is opened.
  useEffect(() => {
    if (year === null) return;
    ok(api.GET('/api/v1/archive/years/{year}', { params: { path: { year: String(year) }, query: {} }, headers: { 'accept-language': i18n.language } }))
      .then((r) => {
        setFiles(r);
        setGroup((g) => (g && r.groups.some((x) => x.key === g) ? g : (r.groups[0]?.key ?? null)));
        setPage(1);
      })
      .catch(fail);
  }, [year, i18n.language, fail]);

  useEffect(() => {
    if (year === null || group === null) {
      setCases(null);
      return;
    }
    ok(api.GET('/api/v1/archive/years/{year}', { params: { path: { year: String(year) }, query: { group, page, pageSize: PAGE_SIZE } }, headers: { 'accept-language': i18n.language } }))
      .then((r) => setCases(r.cases ? { total: r.cases.total, items: r.cases.items } : null))
      .catch(fail);
  }, [year, group, page, i18n.language, fail]);

  const zip = (g?: string) => `/api/v1/archive/years/${year}/dossiers.zip?${new URLSearchParams({ ...(g ? { group: g } : {}), lang: i18n.language }).toString()}`;
  const groupName = files?.groups.find((g) => g.key === group)?.name;

  if (years && years.length === 0)
    return (
      <Card data-testid="archive">
        <Empty description={t('archive.none')} />
      </Card>
    );

  return (
    <div data-testid="archive">
      <Card size="small" style={{ marginBottom: 8 }} styles={{ body: { padding: 8 } }}>
        <Space wrap size={[8, 8]}>
          <Typography.Text strong>{t('archive.year')}</Typography.Text>
          <Select<number>
            style={{ width: 150 }}
            value={year ?? undefined}
            onChange={setYear}
            options={(years ?? []).map((y) => ({ value: y.year, label: t('archive.yearOption', { year: y.year, count: y.count }) }))}
            data-testid="archive-year"
          />
          {files && <Typography.Text type="secondary">{t('archive.summary', { count: files.total, by: t(`archive.groupBy.${files.groupBy}`) })}</Typography.Text>}
          {year !== null && (
            <Button type="primary" icon={<DownloadOutlined />} href={zip()} download data-testid="archive-download-year">
              {t('archive.downloadYear', { year })}
            </Button>
          )}
        </Space>
      </Card>
      <Row gutter={[8, 8]}>
        <Col xs={24} md={8}>
          <Card size="small" title={t('archive.files')}>
            <List
              size="small"
              dataSource={files?.groups ?? []}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
              data-testid="archive-groups"
              renderItem={(g) => (
                <List.Item
                  onClick={() => {
                    setGroup(g.key);
                    setPage(1);
                  }}
                  style={{ cursor: 'pointer', background: g.key === group ? '#e6f4ff' : undefined, paddingInline: 8 }}
                  data-testid={`archive-group-${g.key}`}
                >
                  <span>{g.name}</span>
                  <Tag color={g.key === group ? 'blue' : undefined}>{t('archive.count', { count: g.count })}</Tag>
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} md={16}>
          <Card
            size="small"
            title={groupName ?? t('archive.cases')}
            extra={
              group !== null && (
                <Button size="small" icon={<DownloadOutlined />} href={zip(group)} download data-testid="archive-download-group">
                  {t('archive.downloadGroup')}
                </Button>
              )
            }
          >
            <Table<ArchiveCase>
              size="small"
              rowKey="id"
              dataSource={cases?.items ?? []}
              scroll={{ x: 560 }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
              pagination={{ current: page, pageSize: PAGE_SIZE, total: cases?.total ?? 0, onChange: setPage, showSizeChanger: false, size: 'small' }}
              data-testid="archive-cases"
              columns={[
                { title: t('field.number'), dataIndex: 'number', width: 150, render: (v: string) => <Link to={`/cases/${v}`}>{v}</Link> },
                { title: t('archive.title'), dataIndex: 'title', ellipsis: true },
                { title: t('archive.received'), dataIndex: 'receivedAt', width: 150, render: (v: string) => formatDateTime(v) },
                { title: t('archive.closed'), dataIndex: 'filedAt', width: 150, render: (v: string) => formatDateTime(v) },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
