/**
 * The form of one lifecycle action: exactly the fields the action needs; the server's field
 * errors (in the UI language) appear under their fields and nothing is saved.
 */
import { Alert, Button, Checkbox, DatePicker, Form, Input, InputNumber, Radio, Rate, Select, Space, type FormInstance } from 'antd';
import { useEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { ApiError, api, newIdempotencyKey, ok, type CaseView } from '../../api/client';
import { selectWidth } from '../../shared/select-width';
import { applyServerErrors, clean } from '../../shared/forms';
import { DURATION_UNITS, durationCode, splitDuration, type ActionField, type Option } from './action-fields';

/** Sends the form's body under the form's Idempotency-Key (default: the action's own endpoint). */
export type SubmitAction = (body: Record<string, unknown>, idempotencyKey: string) => Promise<CaseView>;

function getIn(o: Record<string, any>, path: (string | number)[]): unknown {
  return path.reduce<any>((x, p) => (x == null ? undefined : x[p]), o);
}

/**
 * A length of time as a number and a unit (2 + 工作日 → `2wd`), instead of typing the code.
 * `units` replaces the units offered (the policy editor offers minutes, weeks and months too).
 */
export function DurationInput({ value, onChange, id, units }: { value?: string; onChange?: (v: string | undefined) => void; id?: string; units?: readonly { value: string; label: string }[] }) {
  const { t } = useTranslation();
  const parsed = splitDuration(value);
  const [unit, setUnit] = useState(parsed.unit);
  const amount = parsed.amount;
  const options = units ? [...units] : DURATION_UNITS.map((u) => ({ value: u, label: t(`durationUnit.${u}`) }));
  return (
    <Space.Compact>
      <InputNumber id={id} min={0} step={1} value={amount} onChange={(n) => onChange?.(durationCode(n, unit))} style={{ width: units ? 80 : 120 }} data-testid="duration-amount" />
      <Select
        value={unit}
        onChange={(u) => {
          setUnit(u);
          onChange?.(durationCode(amount, u));
        }}
        options={options}
        // As wide as the longest unit in this language ("working hours" is cut at a fixed 105 px).
        style={{
          width: selectWidth(
            options.map((o) => o.label),
            units ? 90 : 110,
          ),
        }}
        aria-label={t('durationUnit.label')}
        data-testid="duration-unit"
      />
    </Space.Compact>
  );
}

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

export function ActionForm({
  caseId,
  action,
  fields,
  onDone,
  onCancel,
  submitLabel,
  testId,
  submit: send,
  onValuesChange,
  sectionBefore,
  grid,
}: {
  caseId: string;
  action: string;
  fields: ActionField[];
  onDone: (v: CaseView) => void;
  onCancel?: () => void;
  submitLabel: string;
  testId?: string;
  /** Another endpoint for the body (the one-step triage); default POST …/actions/{action}. */
  submit?: SubmitAction;
  /** Derived values (the triage fills the category's department in). */
  onValuesChange?: (changed: Record<string, any>, all: Record<string, any>, form: FormInstance) => void;
  /** A heading before the field with this name (`judge.valid` → 判定), for forms of several steps. */
  sectionBefore?: (f: ActionField) => ReactNode;
  /** Fields side by side where the dialog is wide enough (a long form on one screen); long texts, headings and buttons take a whole row. */
  grid?: boolean;
}) {
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
  const optionsOf = (f: ActionField): Option[] | undefined => (f.options && f.optionsFor ? f.optionsFor(f.options, current) : f.options);
  // A choice the other answers have ruled out (the backup once chosen as primary) is cleared.
  useEffect(() => {
    for (const f of fields) {
      if (!f.optionsFor || !f.options) continue;
      const allowed = new Set(optionsOf(f)!.map((o) => o.value));
      const v = getIn(current, f.name);
      if (Array.isArray(v) ? v.some((x) => !allowed.has(x)) : v !== undefined && v !== null && !allowed.has(v as string)) {
        form.setFieldValue(f.name, Array.isArray(v) ? v.filter((x) => allowed.has(x)) : undefined);
      }
    }
  });

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
      const body = clean(toBody(v)) as Record<string, unknown>;
      const r = send ? await send(body, idempotencyKey.current) : await ok(api.POST('/api/v1/complaints/{id}/actions/{action}', { params: { path: { id: caseId, action }, header: { 'idempotency-key': idempotencyKey.current } }, body }));
      idempotencyKey.current = newIdempotencyKey();
      onDone(r);
    } catch (e) {
      if (e instanceof ApiError) idempotencyKey.current = newIdempotencyKey(); // answered: a corrected form is a new request
      const rest = applyServerErrors(
        form,
        e,
        fields.map((f) => f.name),
      );
      setBanner(rest.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)));
    } finally {
      setBusy(false);
    }
  };

  /** The widget of one field. */
  function formItem(f: ActionField, common: { name: (string | number)[]; label: string | undefined; rules: { required: boolean; message: string }[]; extra: string | undefined; style: CSSProperties | undefined }, key: string): ReactNode {
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
            <Select allowClear showSearch optionFilterProp="label" options={optionsOf(f) as { value: string; label: string }[]} />
          </Form.Item>
        );
      case 'multiselect':
        return (
          <Form.Item key={key} {...common}>
            <Select mode="multiple" allowClear showSearch optionFilterProp="label" options={optionsOf(f) as { value: string; label: string }[]} />
          </Form.Item>
        );
      case 'checkgroup':
        return (
          <Form.Item key={key} {...common}>
            <Checkbox.Group options={optionsOf(f) as { value: string; label: string }[]} />
          </Form.Item>
        );
      case 'radio':
        return (
          <Form.Item key={key} {...common}>
            <Radio.Group options={optionsOf(f) as { value: string; label: string }[]} optionType="button" buttonStyle="solid" />
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
      case 'duration':
        return (
          <Form.Item key={key} {...common}>
            <DurationInput />
          </Form.Item>
        );
      case 'rate':
        return (
          <Form.Item key={key} {...common}>
            <Rate />
          </Form.Item>
        );
    }
  }

  const whole = grid ? { gridColumn: '1 / -1' } : undefined;
  return (
    <Form
      form={form}
      layout="vertical"
      preserve={false}
      name={`action_${action}`}
      initialValues={initial}
      onFinish={() => void submit()}
      onValuesChange={onValuesChange ? (c, all) => onValuesChange(c, all, form) : undefined}
      style={grid ? { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', columnGap: 16 } : undefined}
      data-testid={testId ?? `action-form-${action}`}
    >
      {fields
        .filter((f) => !f.show || f.show(current))
        .map((f) => {
          const rules = f.required ? [{ required: true, message: t('form.requiredField', { field: f.label }) }] : [];
          const common = { name: f.name, label: f.kind === 'checkbox' ? undefined : f.label, rules, extra: f.help, style: f.kind === 'textarea' ? whole : undefined };
          const key = f.name.join('.');
          const item = formItem(f, common, key);
          const heading = sectionBefore?.(f);
          return heading
            ? [
                <div key={`${key}-section`} style={whole}>
                  {heading}
                </div>,
                item,
              ]
            : item;
        })}
      {banner.length > 0 && <Alert type="error" showIcon message={t('form.notSaved')} description={banner.join('\n')} style={{ marginBottom: 8, ...whole }} data-testid="form-banner" />}
      <Space style={whole}>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="action-submit">
          {submitLabel}
        </Button>
        {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
      </Space>
    </Form>
  );
}
