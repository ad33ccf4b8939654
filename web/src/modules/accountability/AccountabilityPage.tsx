/**
 * 考核 (issue 11 §4): scorecards per person and per department over a period, the entries behind
 * them (GET /api/v1/accountability/...), and the steps the reader may take on each — confirm
 * (the manager; an amount within the rule's range), appeal (the person named, with a reason),
 * decide an appeal (the policy's appeal level). What a reader sees is decided by the server: the
 * person complained about sees their own entries, with the case's number only (回避).
 */
import { App, Button, Card, DatePicker, Drawer, Empty, Form, Grid, Input, InputNumber, List, Modal, Radio, Segmented, Select, Space, Table, Tabs, Tag, Timeline, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ok, type Schemas } from '../../api/client';
import { useLookups } from '../../app/session';
import { pick } from '../../i18n';
import { applyServerErrors } from '../../shared/forms';
import { formatDateTime, formatMoney } from '../../shared/format';
import { useOrgToday } from '../../app/session';
import { PRESETS, presetPeriod, type Period, type Preset } from '../reports/period';

type Entry = Schemas['AccountabilityEntry'];
type EntryDetail = Schemas['AccountabilityEntryDetail'];
type Scorecards = Schemas['AccountabilityScorecards'];
type Step = 'confirm' | 'appeal' | 'decide';

const STATUS_COLORS: Record<Entry['status'], string> = { proposed: 'gold', confirmed: 'blue', appealed: 'purple', upheld: 'blue', overturned: 'default' };

function amountText(e: Pick<Entry, 'amount' | 'amountMin' | 'amountMax'>): string {
  if (e.amount !== null) return formatMoney(e.amount);
  if (e.amountMin !== null && e.amountMax !== null) return `${formatMoney(e.amountMin)}–${formatMoney(e.amountMax)}`;
  return '—';
}

export function AccountabilityPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { deptName, policy } = useLookups();
  // On a phone the entries are a list of cards and the scorecards keep two figures a side.
  const wide = Grid.useBreakpoint().md ?? true;
  const ruleName = (code: string) => pick(policy?.accountability?.rules.find((r) => r.code === code)?.name) || code;
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
  const [tab, setTab] = useState<'people' | 'departments' | 'entries'>('entries');
  const [person, setPerson] = useState<{ id: string; name: string } | null>(null);
  const [department, setDepartment] = useState<string | null>(null);
  const [cards, setCards] = useState<Scorecards | null>(null);
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [acting, setActing] = useState<{ step: Step; entry: Entry } | null>(null);
  const [detail, setDetail] = useState<EntryDetail | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const query = { from: period.from, to: period.to, ...(person ? { person: person.id } : {}), ...(department ? { department } : {}) };
      const [c, e] = await Promise.all([ok(api.GET('/api/v1/accountability/scorecards', { params: { query: { from: period.from, to: period.to } } })), ok(api.GET('/api/v1/accountability/entries', { params: { query } }))]);
      setCards(c);
      setEntries(e);
    } catch (err) {
      void message.error((err as Error).message);
    } finally {
      setLoading(false);
    }
  }, [period, person, department, message]);
  useEffect(() => {
    void load();
  }, [load]);

  const choosePreset = (p: Preset) => {
    setPreset(p);
    if (p !== 'custom') setPeriod(preset_(p));
  };

  const openDetail = async (id: string) => {
    try {
      setDetail(await ok(api.GET('/api/v1/accountability/entries/{id}', { params: { path: { id } } })));
    } catch (err) {
      void message.error((err as Error).message);
    }
  };

  const byRule = (list: Scorecards['people'][number]['byRule']) => (
    <Space size={[4, 4]} wrap>
      {list.map((r) => (
        <Tag key={r.rule}>
          {ruleName(r.rule)} ×{r.count}
        </Tag>
      ))}
    </Space>
  );
  type ScoreCard = Scorecards['departments'][number];
  const pair = (points: number, amount: number) => `${points} · ${formatMoney(amount)}`;
  const narrowCardColumns = [
    { title: t('accountability.penalty'), key: 'penalty', align: 'right' as const, render: (_: unknown, c: ScoreCard) => pair(c.penaltyPoints, c.penaltyAmount) },
    { title: t('accountability.reward'), key: 'reward', align: 'right' as const, render: (_: unknown, c: ScoreCard) => pair(c.rewardPoints, c.rewardAmount) },
  ];
  const wideCardColumns = [
    { title: t('accountability.penaltyPoints'), dataIndex: 'penaltyPoints', align: 'right' as const },
    { title: t('accountability.penaltyAmount'), dataIndex: 'penaltyAmount', align: 'right' as const, render: (v: number) => formatMoney(v) },
    { title: t('accountability.rewardPoints'), dataIndex: 'rewardPoints', align: 'right' as const },
    { title: t('accountability.rewardAmount'), dataIndex: 'rewardAmount', align: 'right' as const, render: (v: number) => formatMoney(v) },
    { title: t('accountability.open'), dataIndex: 'open', align: 'right' as const },
    { title: t('accountability.overturned'), dataIndex: 'overturned', align: 'right' as const },
    { title: t('accountability.byRule'), dataIndex: 'byRule', render: byRule },
  ];
  const cardColumns = wide ? wideCardColumns : narrowCardColumns;

  const target = (e: Entry) => (e.personId ? (e.personName ?? e.personId) : deptName(e.departmentCode));
  const entryColumns = [
    { title: t('accountability.at'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
    { title: t('accountability.who'), key: 'who', render: (_: unknown, e: Entry) => target(e) },
    { title: t('accountability.rule'), key: 'rule', render: (_: unknown, e: Entry) => ruleCell(e) },
    { title: t('accountability.points'), dataIndex: 'points', align: 'right' as const },
    { title: t('accountability.amount'), key: 'amount', align: 'right' as const, render: (_: unknown, e: Entry) => amountText(e) },
    { title: t('accountability.statusLabel'), dataIndex: 'status', render: (s: Entry['status']) => statusTag(s) },
    { title: t('accountability.case'), key: 'case', render: (_: unknown, e: Entry) => caseCell(e) },
    {
      title: t('accountability.actions'),
      key: 'actions',
      render: (_: unknown, e: Entry) => actions(e),
    },
  ];
  function actions(e: Entry) {
    return (
      <Space size={4} wrap>
        {e.actions.map((a) => (
          <Button key={a} size="small" type={a === 'appeal' ? 'default' : 'primary'} data-testid={`entry-${a}`} onClick={() => setActing({ step: a, entry: e })}>
            {t(`accountability.step.${a}`)}
          </Button>
        ))}
        <Button size="small" type="link" data-testid="entry-detail" onClick={() => void openDetail(e.id)}>
          {t('accountability.detail')}
        </Button>
      </Space>
    );
  }
  const caseCell = (e: Entry) =>
    e.case.id ? (
      <Link to={`/cases/${e.case.id}`}>{e.case.number}</Link>
    ) : (
      <Tooltip title={t('accountability.caseHidden')}>
        <Typography.Text type="secondary">{e.case.number}</Typography.Text>
      </Tooltip>
    );
  const ruleCell = (e: Entry) => (
    <Space size={4} wrap>
      <Tag color={e.effect === 'penalty' ? 'red' : 'green'}>{t(`accountability.effect.${e.effect}`)}</Tag>
      {pick(e.ruleName) || e.ruleCode}
    </Space>
  );
  const statusTag = (s: Entry['status']) => <Tag color={STATUS_COLORS[s]}>{t(`accountability.status.${s}`)}</Tag>;
  const entryList = (
    <List<Entry>
      loading={loading}
      dataSource={entries ?? []}
      locale={{ emptyText: <Empty description={t('accountability.none')} /> }}
      data-testid="entries"
      pagination={(entries?.length ?? 0) > 20 ? { pageSize: 20, size: 'small' } : false}
      renderItem={(e) => (
        <List.Item style={{ display: 'block', padding: '8px 0' }}>
          <Space size={[8, 4]} wrap style={{ width: '100%', justifyContent: 'space-between' }}>
            <Typography.Text strong>{target(e)}</Typography.Text>
            {statusTag(e.status)}
          </Space>
          <div style={{ margin: '4px 0' }}>{ruleCell(e)}</div>
          <Space size={[12, 4]} wrap>
            <span>
              {t('accountability.points')} {e.points}
            </span>
            <span>
              {t('accountability.amount')} {amountText(e)}
            </span>
            {caseCell(e)}
            <Typography.Text type="secondary">{formatDateTime(e.createdAt)}</Typography.Text>
          </Space>
          <div style={{ marginTop: 4 }}>{actions(e)}</div>
        </List.Item>
      )}
    />
  );

  const people = useMemo(() => cards?.people ?? [], [cards]);

  return (
    <div data-testid="accountability">
      <Card size="small" style={{ marginBottom: 8 }} styles={{ body: { padding: 8 } }}>
        <Space wrap size={[8, 8]}>
          {wide ? (
            <Segmented<Preset> value={preset} onChange={choosePreset} options={PRESETS.map((p) => ({ value: p, label: t(`reports.preset.${p}`) }))} data-testid="period-preset" />
          ) : (
            <Select<Preset> value={preset} onChange={choosePreset} options={PRESETS.map((p) => ({ value: p, label: t(`reports.preset.${p}`) }))} data-testid="period-preset" style={{ width: 140 }} />
          )}
          <DatePicker.RangePicker
            allowClear={false}
            value={[dayjs(period.from), dayjs(period.to)]}
            onChange={(v) => {
              if (!v?.[0] || !v[1]) return;
              setPreset('custom');
              setPeriod({ from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') });
            }}
            data-testid="period-range"
          />
          {person && (
            <Tag closable onClose={() => setPerson(null)} data-testid="person-filter">
              {person.name}
            </Tag>
          )}
          {department && (
            <Tag closable onClose={() => setDepartment(null)} data-testid="department-filter">
              {deptName(department)}
            </Tag>
          )}
          <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading} aria-label={t('common.reload')} />
        </Space>
      </Card>
      <Card size="small" styles={{ body: { paddingTop: 0 } }}>
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as typeof tab)}
          items={[
            {
              key: 'entries',
              label: t('accountability.entries'),
              children: wide ? (
                <Table<Entry>
                  rowKey="id"
                  size="small"
                  loading={loading}
                  dataSource={entries ?? []}
                  columns={entryColumns}
                  pagination={{ pageSize: 20, hideOnSinglePage: true }}
                  scroll={{ x: 'max-content' }}
                  locale={{ emptyText: <Empty description={t('accountability.none')} /> }}
                  data-testid="entries"
                />
              ) : (
                entryList
              ),
            },
            {
              key: 'people',
              label: t('accountability.people'),
              children: (
                <Table
                  rowKey="key"
                  size="small"
                  loading={loading}
                  dataSource={people}
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                  data-testid="scorecards-people"
                  onRow={(p) => ({ onClick: () => (setDepartment(null), setPerson({ id: p.key, name: p.name ?? p.key }), setTab('entries')), style: { cursor: 'pointer' } })}
                  columns={[
                    { title: t('accountability.person'), key: 'name', render: (_: unknown, p: Scorecards['people'][number]) => p.name ?? p.key },
                    ...(wide ? [{ title: t('accountability.department'), dataIndex: 'departmentCode', render: (d: string | null) => deptName(d) }] : []),
                    ...cardColumns,
                  ]}
                />
              ),
            },
            {
              key: 'departments',
              label: t('accountability.departments'),
              children: (
                <Table
                  rowKey="key"
                  size="small"
                  loading={loading}
                  dataSource={cards?.departments ?? []}
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                  data-testid="scorecards-departments"
                  onRow={(d) => ({ onClick: () => (setPerson(null), setDepartment(d.key), setTab('entries')), style: { cursor: 'pointer' } })}
                  columns={[{ title: t('accountability.department'), dataIndex: 'key', render: (d: string) => deptName(d) }, ...cardColumns]}
                />
              ),
            },
          ]}
        />
      </Card>
      {acting && (
        <StepDialog
          step={acting.step}
          entry={acting.entry}
          onClose={() => setActing(null)}
          onDone={() => {
            setActing(null);
            void message.success(t('accountability.done'));
            void load();
          }}
        />
      )}
      <Drawer open={!!detail} onClose={() => setDetail(null)} title={detail ? `${pick(detail.ruleName) || detail.ruleCode} · ${detail.case.number}` : ''} width={wide ? 420 : '100%'} data-testid="entry-drawer">
        {detail && (
          <Timeline
            items={detail.history.map((h) => ({
              children: (
                <div>
                  <Typography.Text strong>{t(`accountability.status.${h.step}`)}</Typography.Text> · {h.actorName} · {formatDateTime(h.at)}
                  {h.amount !== null && (
                    <div>
                      {t('accountability.amount')}: {formatMoney(h.amount)}
                    </div>
                  )}
                  {h.reason && <div>{h.reason}</div>}
                </div>
              ),
            }))}
          />
        )}
      </Drawer>
    </div>
  );
}

/** Confirm / appeal / decide: the server checks everything; its field errors land under the fields. */
function StepDialog({ step, entry, onClose, onDone }: { step: Step; entry: Entry; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  const ranged = entry.amountMin !== null && entry.amountMax !== null;
  const outcome = Form.useWatch('outcome', form) as 'upheld' | 'overturned' | undefined;
  const askAmount = ranged && (step === 'confirm' || (step === 'decide' && outcome === 'upheld' && entry.amount === null));

  const submit = async () => {
    setBusy(true);
    setBanner(null);
    try {
      const v = form.getFieldsValue() as { amount?: number | null; note?: string; reason?: string; outcome?: 'upheld' | 'overturned' };
      const path = { id: entry.id };
      const amount = v.amount === null || v.amount === undefined ? {} : { amount: v.amount };
      if (step === 'confirm') await ok(api.POST('/api/v1/accountability/entries/{id}/confirm', { params: { path }, body: { ...amount, ...(v.note ? { note: v.note } : {}) } }));
      else if (step === 'appeal') await ok(api.POST('/api/v1/accountability/entries/{id}/appeal', { params: { path }, body: { reason: v.reason ?? '' } }));
      else await ok(api.POST('/api/v1/accountability/entries/{id}/decide', { params: { path }, body: { outcome: v.outcome ?? 'upheld', reason: v.reason ?? '', ...amount } }));
      onDone();
    } catch (err) {
      const rest = applyServerErrors(form, err, [['amount'], ['note'], ['reason'], ['outcome']]);
      if (rest.length) setBanner(rest.map((r) => r.message).join('；'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t(`accountability.step.${step}`)}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t(`accountability.step.${step}`)}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'step-submit' } as never}
      data-testid="step-dialog"
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {pick(entry.ruleName) || entry.ruleCode} · {entry.personName ?? entry.departmentCode} · {t('accountability.points')} {entry.points} · {t('accountability.amount')} {amountText(entry)}
      </Typography.Paragraph>
      {banner && <Typography.Paragraph type="danger">{banner}</Typography.Paragraph>}
      <Form form={form} layout="vertical" initialValues={{ outcome: 'overturned' }}>
        {step === 'decide' && (
          <Form.Item name="outcome" label={t('accountability.outcome')}>
            <Radio.Group options={(['upheld', 'overturned'] as const).map((o) => ({ value: o, label: t(`accountability.status.${o}`) }))} optionType="button" />
          </Form.Item>
        )}
        {askAmount && (
          <Form.Item name="amount" label={t('accountability.amount')} extra={t('accountability.rangeHint', { min: entry.amountMin, max: entry.amountMax })}>
            <InputNumber style={{ width: '100%' }} data-testid="step-amount" />
          </Form.Item>
        )}
        {step === 'confirm' ? (
          <Form.Item name="note" label={t('accountability.note')}>
            <Input.TextArea rows={2} data-testid="step-note" />
          </Form.Item>
        ) : (
          <Form.Item name="reason" label={t(step === 'appeal' ? 'accountability.appealReason' : 'accountability.decisionReason')} required>
            <Input.TextArea rows={3} data-testid="step-reason" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
