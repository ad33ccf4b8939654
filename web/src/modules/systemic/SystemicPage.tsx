/**
 * 系统性问题 (issue 13 §2, 003 规范5): subjects (category + product) ranked by recurrence over a
 * period with the trend against the previous period; a subject drills down to its cases (those the
 * reader may see); managers select cases and open a problem record (问题单); the records are
 * listed with their state and the steps the reader may take.
 */
import { App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ok, type Schemas } from '../../api/client';
import { useLookups, useSession } from '../../app/session';
import { formatDate } from '../../shared/format';
import { useOrgToday } from '../../app/session';

type Subject = Schemas['SystemicRanking']['subjects'][number];
type SubjectCase = Schemas['SubjectCase'];
type Problem = Schemas['Problem'];

const MANAGERS = ['approver', 'admin'];

function Trend({ s }: { s: Subject }) {
  const { t } = useTranslation();
  if (s.change === 0) return <Typography.Text type="secondary">{t('systemic.flat')}</Typography.Text>;
  const up = s.change > 0;
  return (
    <Typography.Text type={up ? 'danger' : 'success'} data-testid="trend">
      {up ? <ArrowUpOutlined /> : <ArrowDownOutlined />} {up ? '+' : ''}
      {s.change}
      {s.changePercent !== null ? ` (${up ? '+' : ''}${s.changePercent}%)` : ` (${t('systemic.new')})`}
    </Typography.Text>
  );
}

export function SystemicPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { categoryName, staff } = useLookups();
  const { has } = useSession();
  const manager = MANAGERS.some((r) => has(r));
  // The last 30 days up to the organisation's today (not the browser's), until a range is picked.
  const today = useOrgToday();
  const [picked, setPeriod] = useState<{ from: string; to: string } | null>(null);
  const period = useMemo(() => picked ?? (today ? { from: dayjs(today).subtract(29, 'day').format('YYYY-MM-DD'), to: today } : null), [picked, today]);
  const [subjects, setSubjects] = useState<Subject[]>([]);
  const [chosen, setChosen] = useState<Subject | null>(null);
  const [cases, setCases] = useState<SubjectCase[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [opening, setOpening] = useState(false);
  const [stepping, setStepping] = useState<{ problem: Problem; step: Problem['steps'][number] } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [form] = Form.useForm();
  const [reason, setReason] = useState('');

  const loadProblems = useCallback(async () => setProblems(await ok(api.GET('/api/v1/problems', { params: { query: { limit: 100 } } })).catch(() => [])), []);
  useEffect(() => {
    if (!period) return;
    void ok(api.GET('/api/v1/systemic/subjects', { params: { query: { ...period, minCases: 2 } } }))
      .then((r) => setSubjects(r.subjects))
      .catch(() => setSubjects([]));
    setChosen(null);
  }, [period]);
  useEffect(() => void loadProblems(), [loadProblems]);
  useEffect(() => {
    setSelected([]);
    if (!chosen || !period) return setCases([]);
    void ok(api.GET('/api/v1/systemic/cases', { params: { query: { ...period, category: chosen.category ?? '', product: chosen.product ?? '', limit: 200 } } }))
      .then(setCases)
      .catch(() => setCases([]));
  }, [chosen, period]);

  const subjectName = (s: Subject) => `${s.category ? categoryName(s.category) : t('systemic.noCategory')} · ${s.product ?? t('systemic.noProduct')}`;

  const open = async () => {
    setProblem(null);
    const v = await form.validateFields();
    try {
      await ok(api.POST('/api/v1/problems', { body: { ...v, dueDate: v.dueDate.format('YYYY-MM-DD'), caseIds: selected } }));
      void message.success(t('problem.opened'));
      setOpening(false);
      form.resetFields();
      await loadProblems();
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  const step = async () => {
    if (!stepping) return;
    setProblem(null);
    try {
      await ok(api.POST('/api/v1/problems/{id}/steps', { params: { path: { id: stepping.problem.id } }, body: { step: stepping.step, reason } }));
      setStepping(null);
      setReason('');
      await loadProblems();
    } catch (e) {
      setProblem((e as Error).message);
    }
  };

  return (
    <div data-testid="systemic">
      <Card size="small" style={{ marginBottom: 8 }} styles={{ body: { padding: 8 } }}>
        <Space wrap>
          <Typography.Text strong>{t('systemic.title')}</Typography.Text>
          <DatePicker.RangePicker
            allowClear={false}
            value={period ? [dayjs(period.from), dayjs(period.to)] : null}
            onChange={(v) => v?.[0] && v[1] && setPeriod({ from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') })}
            data-testid="systemic-period"
          />
        </Space>
      </Card>
      <Card size="small" title={t('systemic.ranking')} style={{ marginBottom: 8 }}>
        <Table<Subject>
          size="small"
          rowKey={(s) => `${s.category}|${s.product}`}
          dataSource={subjects}
          pagination={false}
          scroll={{ x: true }}
          data-testid="systemic-ranking"
          onRow={(s) => ({ onClick: () => setChosen(s), style: { cursor: 'pointer' } })}
          rowClassName={(s) => (chosen && s.category === chosen.category && s.product === chosen.product ? 'ant-table-row-selected' : '')}
          columns={[
            { title: '#', render: (_v, _s, i) => i + 1, width: 40 },
            { title: t('systemic.subject'), render: (_v, s) => subjectName(s) },
            { title: t('systemic.cases'), dataIndex: 'cases', align: 'right' },
            { title: t('systemic.linked'), dataIndex: 'linked', align: 'right' },
            { title: t('systemic.previous'), dataIndex: 'previous', align: 'right' },
            { title: t('systemic.trend'), render: (_v, s) => <Trend s={s} /> },
          ]}
        />
      </Card>
      {chosen && (
        <Card
          size="small"
          title={`${t('systemic.casesOf')} ${subjectName(chosen)}`}
          style={{ marginBottom: 8 }}
          extra={
            manager && (
              <Button type="primary" disabled={!selected.length} onClick={() => setOpening(true)} data-testid="open-problem">
                {t('problem.open')} ({selected.length})
              </Button>
            )
          }
        >
          <Table<SubjectCase>
            size="small"
            rowKey="id"
            dataSource={cases}
            pagination={false}
            scroll={{ x: true }}
            data-testid="systemic-cases"
            rowSelection={manager ? { selectedRowKeys: selected, onChange: (k) => setSelected(k as string[]) } : undefined}
            columns={[
              { title: t('field.number'), render: (_v, c) => <Link to={`/cases/${c.id}`}>{c.number}</Link> },
              { title: t('field.title'), dataIndex: 'title', ellipsis: true },
              { title: t('systemic.received'), render: (_v, c) => formatDate(c.receivedAt) },
            ]}
          />
        </Card>
      )}
      <Card size="small" title={t('problem.list')}>
        <Table<Problem>
          size="small"
          rowKey="id"
          dataSource={problems}
          pagination={false}
          scroll={{ x: true }}
          data-testid="problem-list"
          columns={[
            { title: t('problem.titleField'), dataIndex: 'title' },
            { title: t('problem.state.label'), render: (_v, p) => <Tag color={p.state === 'verified' ? 'green' : p.overdue ? 'red' : 'orange'}>{t(`problem.state.${p.state}`)}</Tag> },
            { title: t('problem.owner'), render: (_v, p) => p.owner.name },
            { title: t('problem.due'), dataIndex: 'dueDate' },
            {
              title: t('problem.cases'),
              render: (_v, p) =>
                p.cases.map((c) => (
                  <Link key={c.id} to={`/cases/${c.id}`} style={{ marginRight: 6 }}>
                    {c.number}
                  </Link>
                )),
            },
            {
              title: '',
              render: (_v, p) => (
                <Space size={4}>
                  {p.steps.map((s) => (
                    <Button key={s} size="small" onClick={() => setStepping({ problem: p, step: s })} data-testid={`problem-step-${s}`}>
                      {t(`problem.step.${s}`)}
                    </Button>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal open={opening} title={t('problem.open')} onOk={() => void open()} onCancel={() => setOpening(false)} okText={t('problem.open')} destroyOnHidden>
        <Form form={form} name="problem" layout="vertical">
          <Form.Item name="title" label={t('problem.titleField')} rules={[{ required: true, min: 2 }]}>
            <Input maxLength={200} data-testid="problem-title" />
          </Form.Item>
          <Form.Item name="action" label={t('problem.action')} rules={[{ required: true, min: 2 }]}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="problem-action" />
          </Form.Item>
          <Form.Item name="ownerId" label={t('problem.owner')} rules={[{ required: true }]}>
            <Select showSearch optionFilterProp="label" options={staff.filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }))} data-testid="problem-owner" />
          </Form.Item>
          <Form.Item name="dueDate" label={t('problem.due')} rules={[{ required: true }]}>
            <DatePicker data-testid="problem-due" />
          </Form.Item>
          <Form.Item name="reason" label={t('problem.reason')} rules={[{ required: true, min: 2 }]}>
            <Input maxLength={1000} data-testid="problem-reason" />
          </Form.Item>
        </Form>
        {problem && <Typography.Text type="danger">{problem}</Typography.Text>}
      </Modal>
      <Modal open={!!stepping} title={stepping ? t(`problem.step.${stepping.step}`) : ''} onOk={() => void step()} onCancel={() => setStepping(null)} destroyOnHidden>
        <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('problem.reason')} data-testid="problem-step-reason" />
        {problem && <Typography.Text type="danger">{problem}</Typography.Text>}
      </Modal>
    </div>
  );
}
