/**
 * 保存与保全 (issue 15 §2, docs/operations.md "Legal hold"): the legal holds, active and lifted
 * (scope, reason, who and when); setting one — on a case, on a customer's phone or e-mail, or on
 * a range of receipt — and lifting one with a reason; and the purge preview: what the retention
 * purge would remove now and why, and which expired cases a hold keeps. Everything goes through
 * the existing API (http/admin/legal-hold.routes.ts); the rules (who may, what a hold covers)
 * are the server's, and its errors come back under their fields in the UI language.
 */
import { Alert, Button, Card, DatePicker, Form, Input, Modal, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, newIdempotencyKey } from '../../api/client';
import { useLookups } from '../../app/session';
import { applyServerErrors } from '../../shared/forms';
import { formatDateTime } from '../../shared/format';

type Hold = Awaited<ReturnType<typeof loadHolds>>[number];
type Preview = Awaited<ReturnType<typeof loadPreview>>;
type Expired = Preview['purged'][number];

const loadHolds = async () => (await ok(api.GET('/api/v1/admin/legal-holds'))).items;
const loadPreview = async () => ok(api.GET('/api/v1/admin/purge/preview'));

interface HoldValues {
  scope: 'case' | 'customer' | 'received';
  complaint?: string;
  contactKind?: 'phone' | 'email';
  contact?: string;
  period?: [Dayjs, Dayjs];
  reason: string;
}

export function RecordsTab() {
  const { t } = useTranslation();
  const { staff, gradeName } = useLookups();
  const userName = (id: string | null) => (id ? (staff.find((u) => u.id === id)?.name ?? id) : '—');
  const [holds, setHolds] = useState<Hold[] | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const [h, p] = await Promise.all([loadHolds(), loadPreview()]);
      setHolds(h);
      setPreview(p);
      setProblem(null);
    } catch (e) {
      setProblem((e as Error).message);
    }
  }, []);
  useEffect(() => void load(), [load]);

  const scopeText = (h: Hold) => {
    if (h.scope === 'case') return t('records.scopeCase', { id: h.complaintNumber ?? h.complaintId ?? '' });
    if (h.scope === 'customer') return t('records.scopeCustomer', { kind: t(`reveal.field.${h.contactKind ?? 'phone'}`) });
    return t('records.scopeReceived', { from: formatDateTime(h.receivedFrom ?? ''), to: formatDateTime(h.receivedTo ?? '') });
  };
  const expiredColumns = [
    { title: t('records.case'), dataIndex: 'number', width: 150 },
    { title: t('records.grade'), dataIndex: 'grade', width: 90, render: (g: string | null) => (g ? gradeName(g) : '—') },
    { title: t('records.archivedAt'), dataIndex: 'archivedAt', width: 150, render: formatDateTime },
    { title: t('records.why'), key: 'why', render: (_: unknown, e: Expired) => t('records.whyText', { days: e.days, rule: t(`records.rule.${e.rule}`), at: formatDateTime(e.expiredAt) }) },
    { title: t('records.mode'), dataIndex: 'mode', width: 100, render: (m: string) => t(`records.modes.${m}`) },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {problem && <Alert type="error" showIcon message={problem} />}
      <Card title={t('records.holds')} extra={<SetHold onDone={load} />} styles={{ body: { padding: 8 } }}>
        <Table<Hold>
          size="small"
          rowKey="id"
          loading={!holds}
          dataSource={holds ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          scroll={{ x: 900 }}
          data-testid="holds"
          columns={[
            { title: t('records.state'), dataIndex: 'active', width: 90, render: (a: boolean) => (a ? <Tag color="red">{t('records.active')}</Tag> : <Tag>{t('records.lifted')}</Tag>) },
            { title: t('records.scope'), key: 'scope', render: (_: unknown, h) => scopeText(h) },
            { title: t('records.reason'), dataIndex: 'reason' },
            { title: t('records.setBy'), key: 'set', width: 190, render: (_: unknown, h) => `${userName(h.setBy)} · ${formatDateTime(h.setAt)}` },
            { title: t('records.liftedBy'), key: 'lift', width: 220, render: (_: unknown, h) => (h.liftedAt ? `${userName(h.liftedBy)} · ${formatDateTime(h.liftedAt)} · ${h.liftReason ?? ''}` : '—') },
            { title: '', key: 'do', width: 90, render: (_: unknown, h) => (h.active ? <LiftHold hold={h} onDone={load} /> : null) },
          ]}
        />
      </Card>
      <Card
        title={t('records.preview')}
        extra={
          <Button onClick={() => void load()} data-testid="preview-refresh">
            {t('records.refresh')}
          </Button>
        }
        styles={{ body: { padding: 8 } }}
      >
        {preview && (
          <>
            <Typography.Paragraph type="secondary" data-testid="preview-summary">
              {preview.mode ? t('records.previewSummary', { purged: preview.purged.length, held: preview.held.length, mode: t(`records.modes.${preview.mode}`) }) : t('records.noRetention')}
              {preview.more && ` ${t('records.more')}`}
            </Typography.Paragraph>
            <Typography.Title level={5}>{t('records.wouldPurge')}</Typography.Title>
            <Table<Expired> size="small" rowKey="id" dataSource={preview.purged} pagination={{ pageSize: 10, hideOnSinglePage: true }} scroll={{ x: 700 }} columns={expiredColumns} data-testid="preview-purged" />
            <Typography.Title level={5}>{t('records.keptByHold')}</Typography.Title>
            <Table<Expired>
              size="small"
              rowKey="id"
              dataSource={preview.held}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              scroll={{ x: 700 }}
              data-testid="preview-held"
              columns={[...expiredColumns, { title: t('records.heldBy'), dataIndex: 'heldBy', width: 200, render: (ids: string[]) => ids.map((id) => holds?.find((h) => h.id === id)?.reason ?? id).join('；') }]}
            />
          </>
        )}
      </Card>
    </Space>
  );
}

function SetHold({ onDone }: { onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<HoldValues>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const scope = Form.useWatch('scope', form) ?? 'case';
  const submit = async () => {
    const v = await form.validateFields().catch(() => null); // the form shows what is missing
    if (!v) return;
    const body =
      v.scope === 'case'
        ? { scope: 'case' as const, complaint: v.complaint ?? '', reason: v.reason }
        : v.scope === 'customer'
          ? { scope: 'customer' as const, [v.contactKind ?? 'phone']: v.contact ?? '', reason: v.reason }
          : { scope: 'received' as const, from: v.period?.[0]?.startOf('day').format() ?? '', to: v.period?.[1]?.add(1, 'day').startOf('day').format() ?? '', reason: v.reason };
    setBusy(true);
    setBanner(null);
    try {
      await ok(api.POST('/api/v1/admin/legal-holds', { params: { header: { 'idempotency-key': key } }, body }));
      setKey(newIdempotencyKey());
      setOpen(false);
      form.resetFields();
      await onDone();
    } catch (e) {
      setKey(newIdempotencyKey());
      const rest = applyServerErrors(form, e, [['complaint'], ['contact'], ['period'], ['reason']], { phone: ['contact'], email: ['contact'], idNumber: ['contact'], from: ['period'], to: ['period'] });
      if (rest.length) setBanner(rest.map((x) => x.message).join('；'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)} data-testid="hold-new">
        {t('records.setHold')}
      </Button>
      <Modal open={open} title={t('records.setHold')} onCancel={() => setOpen(false)} onOk={() => void submit()} confirmLoading={busy} okButtonProps={{ ...({ 'data-testid': 'hold-ok' } as Record<string, string>) }} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ scope: 'case', contactKind: 'phone' }} preserve={false}>
          <Form.Item name="scope" label={t('records.scope')}>
            <Radio.Group optionType="button" data-testid="hold-scope" options={(['case', 'customer', 'received'] as const).map((s) => ({ value: s, label: t(`records.scopes.${s}`) }))} />
          </Form.Item>
          {scope === 'case' && (
            <Form.Item name="complaint" label={t('records.caseNumber')} rules={[{ required: true, message: t('records.required') }]}>
              <Input placeholder="KS-2026-000001" data-testid="hold-complaint" />
            </Form.Item>
          )}
          {scope === 'customer' && (
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item name="contactKind" noStyle>
                <Select style={{ width: 120 }} options={(['phone', 'email'] as const).map((k) => ({ value: k, label: t(`reveal.field.${k}`) }))} />
              </Form.Item>
              <Form.Item name="contact" style={{ flex: 1 }} rules={[{ required: true, message: t('records.required') }]}>
                <Input data-testid="hold-contact" />
              </Form.Item>
            </Space.Compact>
          )}
          {scope === 'received' && (
            <Form.Item name="period" label={t('records.receivedBetween')} rules={[{ required: true, message: t('records.required') }]}>
              <DatePicker.RangePicker style={{ width: '100%' }} data-testid="hold-period" />
            </Form.Item>
          )}
          <Form.Item name="reason" label={t('records.reason')} rules={[{ required: true, message: t('records.required') }]}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="hold-reason" />
          </Form.Item>
        </Form>
        {banner && <Alert type="error" showIcon message={banner} data-testid="hold-error" />}
      </Modal>
    </>
  );
}

function LiftHold({ hold, onDone }: { hold: Hold; onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null); // the form shows what is missing
    if (!v) return;
    setBusy(true);
    setBanner(null);
    try {
      await ok(api.POST('/api/v1/admin/legal-holds/{id}/lift', { params: { path: { id: hold.id }, header: { 'idempotency-key': key } }, body: { reason: v.reason } }));
      setKey(newIdempotencyKey());
      setOpen(false);
      await onDone();
    } catch (e) {
      setKey(newIdempotencyKey());
      const rest = applyServerErrors(form, e, [['reason']]);
      if (rest.length) setBanner(rest.map((x) => x.message).join('；'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="small" danger onClick={() => setOpen(true)} data-testid="hold-lift">
        {t('records.lift')}
      </Button>
      <Modal open={open} title={t('records.lift')} onCancel={() => setOpen(false)} onOk={() => void submit()} confirmLoading={busy} okButtonProps={{ ...({ 'data-testid': 'lift-ok' } as Record<string, string>) }} destroyOnHidden>
        <Typography.Paragraph>{hold.reason}</Typography.Paragraph>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="reason" label={t('records.liftReason')} rules={[{ required: true, message: t('records.required') }]}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="lift-reason" />
          </Form.Item>
        </Form>
        {banner && <Alert type="error" showIcon message={banner} />}
      </Modal>
    </>
  );
}
