/**
 * The form of one lifecycle action: exactly the fields the action needs; the server's field
 * errors (in the UI language) appear under their fields and nothing is saved.
 */
import { Alert, Button, Checkbox, DatePicker, Form, Input, InputNumber, Radio, Rate, Select, Space } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { ApiError, api, newIdempotencyKey, ok, type CaseView } from '../../api/client';
import { applyServerErrors, clean } from '../../shared/forms';
import type { ActionField } from './action-fields';

function toBody(v: unknown): unknown {
  if (v && typeof v === 'object' && 'toISOString' in (v as object) && typeof (v as Dayjs).toISOString === 'function') return (v as Dayjs).toISOString();
  if (Array.isArray(v)) return v.map(toBody);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toBody(x)]));
  return v;
}

function setIn(o: Record<string, any>, path: (string | number)[], value: unknown) {
  let cur = o;
  path.slice(0, -1).forEach((p) => (cur = cur[p] ??= {}));
  cur[path[path.length - 1]!] = value;
}

export function ActionForm({ caseId, action, fields, onDone, onCancel, submitLabel, testId }: { caseId: string; action: string; fields: ActionField[]; onDone: (v: CaseView) => void; onCancel?: () => void; submitLabel: string; testId?: string }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  /** One key per submission of this form (Idempotency-Key): a double click acts once. */
  const idempotencyKey = useRef(newIdempotencyKey());
  const [banner, setBanner] = useState<string[]>([]);
  const values = Form.useWatch([], form) ?? {};
  const initial = useMemo(() => {
    const o: Record<string, any> = {};
    for (const f of fields) if (f.initial !== undefined && f.initial !== null) setIn(o, f.name, f.initial);
    return o;
  }, [fields]);
  const current = { ...initial, ...values };

  const submit = async () => {
    setBanner([]);
    try {
      await form.validateFields();
    } catch {
      return;
    }
    const v = form.getFieldsValue(true);
    setBusy(true);
    try {
      const r = await ok(api.POST('/api/v1/complaints/{id}/actions/{action}', { params: { path: { id: caseId, action }, header: { 'idempotency-key': idempotencyKey.current } }, body: clean(toBody(v)) as Record<string, unknown> }));
      idempotencyKey.current = newIdempotencyKey();
      onDone(r);
    } catch (e) {
      if (e instanceof ApiError) idempotencyKey.current = newIdempotencyKey(); // answered: a corrected form is a new request
      const rest = applyServerErrors(form, e, fields.map((f) => f.name));
      setBanner(rest.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" preserve={false} name={`action_${action}`} initialValues={initial} onFinish={() => void submit()} data-testid={testId ?? `action-form-${action}`}>
      {fields
        .filter((f) => !f.show || f.show(current))
        .map((f) => {
          const rules = f.required ? [{ required: true, message: t('form.requiredField', { field: f.label }) }] : [];
          const common = { name: f.name, label: f.kind === 'checkbox' ? undefined : f.label, rules, extra: f.help };
          const key = f.name.join('.');
          switch (f.kind) {
            case 'textarea':
              return (
                <Form.Item key={key} {...common}>
                  <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
                </Form.Item>
              );
            case 'text':
              return (
                <Form.Item key={key} {...common}>
                  <Input />
                </Form.Item>
              );
            case 'number':
              return (
                <Form.Item key={key} {...common}>
                  <InputNumber min={f.min} style={{ width: 200 }} />
                </Form.Item>
              );
            case 'select':
              return (
                <Form.Item key={key} {...common}>
                  <Select allowClear showSearch optionFilterProp="label" options={f.options as { value: string; label: string }[]} />
                </Form.Item>
              );
            case 'multiselect':
              return (
                <Form.Item key={key} {...common}>
                  <Select mode="multiple" allowClear showSearch optionFilterProp="label" options={f.options as { value: string; label: string }[]} />
                </Form.Item>
              );
            case 'checkgroup':
              return (
                <Form.Item key={key} {...common}>
                  <Checkbox.Group options={f.options as { value: string; label: string }[]} />
                </Form.Item>
              );
            case 'radio':
              return (
                <Form.Item key={key} {...common}>
                  <Radio.Group options={f.options as { value: string; label: string }[]} optionType="button" buttonStyle="solid" />
                </Form.Item>
              );
            case 'checkbox':
              return (
                <Form.Item key={key} {...common} valuePropName="checked">
                  <Checkbox>{f.label}</Checkbox>
                </Form.Item>
              );
            case 'datetime':
              return (
                <Form.Item key={key} {...common}>
                  <DatePicker showTime />
                </Form.Item>
              );
            case 'rate':
              return (
                <Form.Item key={key} {...common}>
                  <Rate />
                </Form.Item>
              );
          }
        })}
      {banner.length > 0 && <Alert type="error" showIcon message={t('form.notSaved')} description={banner.join('\n')} style={{ marginBottom: 8 }} data-testid="form-banner" />}
      <Space>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="action-submit">
          {submitLabel}
        </Button>
        {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
      </Space>
    </Form>
  );
}
