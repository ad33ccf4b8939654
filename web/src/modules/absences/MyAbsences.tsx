/**
 * 我的缺勤 (issue 10 §3): one's own absences — record one (whole days, a reason, optionally a
 * colleague of the same department who stands in), see what stand-ins took over, cancel one.
 * Errors come back under their field in the UI language. The rules are the server's
 * (docs/policy.md `absence`).
 */
import { Alert, Button, DatePicker, Form, Input, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, newIdempotencyKey, type Schemas } from '../../api/client';
import { useSession, useLookups } from '../../app/session';
import { applyServerErrors } from '../../shared/forms';
import { formatDateTime } from '../../shared/format';

type Absence = Schemas['Absence'];

interface Values {
  period: [Dayjs, Dayjs];
  reason: string;
  standInId?: string;
}

const STATUS_COLOR: Record<Absence['status'], string> = { upcoming: 'blue', active: 'orange', over: 'default', cancelled: 'default' };

export function MyAbsences() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { staff } = useLookups();
  const [form] = Form.useForm<Values>();
  const [list, setList] = useState<Absence[]>([]);
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const load = useCallback(async () => {
    if (me) setList(await ok(api.GET('/api/v1/absences', { params: { query: { userId: me.id, past: '1' } } })));
  }, [me]);
  useEffect(() => {
    void load();
  }, [load]);
  if (!me) return null;
  const colleagues = staff.filter((u) => u.id !== me.id && u.active && (u.departmentCode ?? null) === (me.departmentCode ?? null));

  const submit = async (v: Values) => {
    setBusy(true);
    setBanner(null);
    try {
      const body = { from: v.period[0].format('YYYY-MM-DD'), to: v.period[1].format('YYYY-MM-DD'), reason: v.reason, ...(v.standInId ? { standInId: v.standInId } : {}) };
      await ok(api.POST('/api/v1/absences', { body, params: { header: { 'idempotency-key': key } } }));
      setKey(newIdempotencyKey());
      form.resetFields();
      await load();
    } catch (e) {
      // A date problem shows under the period picker.
      const rest = applyServerErrors(form, e, [['period'], ['reason'], ['standInId']], { from: ['period'], to: ['period'] });
      if (rest.length) setBanner(rest.map((f) => f.message).join('\n'));
    } finally {
      setBusy(false);
    }
  };
  const cancel = async (id: string) => {
    await ok(api.DELETE('/api/v1/absences/{id}', { params: { path: { id } } }));
    await load();
  };

  return (
    <div data-testid="my-absences">
      <Form form={form} layout="vertical" name="absence" onFinish={(v) => void submit(v)} requiredMark={false}>
        <Form.Item name="period" label={t('absence.period')} extra={t('absence.periodHint')} rules={[{ required: true, message: t('form.required') }]}>
          <DatePicker.RangePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reason" label={t('absence.reason')} rules={[{ required: true, message: t('form.required') }]}>
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item name="standInId" label={t('absence.standIn')} extra={t('absence.standInHint')}>
          <Select allowClear showSearch optionFilterProp="label" options={colleagues.map((u) => ({ value: u.id, label: u.name }))} />
        </Form.Item>
        {banner && <Alert type="error" showIcon message={banner} style={{ marginBottom: 12 }} data-testid="form-banner" />}
        <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 16 }}>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="absence-save">
            {t('absence.record')}
          </Button>
        </div>
      </Form>
      <Table<Absence>
        size="small"
        rowKey="id"
        dataSource={list}
        pagination={false}
        locale={{ emptyText: t('absence.none') }}
        columns={[
          { title: t('absence.period'), render: (_v, a) => `${formatDateTime(a.startsAt)} – ${formatDateTime(a.endsAt)}` },
          { title: t('absence.status'), render: (_v, a) => <Tag color={STATUS_COLOR[a.status]}>{t(`absence.statuses.${a.status}`)}</Tag> },
          { title: t('absence.standIn'), render: (_v, a) => a.standInName ?? '—' },
          {
            title: t('absence.handovers'),
            render: (_v, a) => (a.handovers.length ? <Typography.Text type="secondary">{a.handovers.map((h) => `${h.number ?? '—'} → ${h.standInName ?? t('absence.nobody')}`).join('；')}</Typography.Text> : '—'),
          },
          {
            title: '',
            render: (_v, a) =>
              a.status === 'upcoming' || a.status === 'active' ? (
                <Popconfirm title={t('absence.cancelConfirm')} okText={t('absence.cancel')} cancelText={t('common.cancel')} onConfirm={() => void cancel(a.id)}>
                  <Button size="small" danger data-testid="absence-cancel">
                    {t('absence.cancel')}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
    </div>
  );
}
