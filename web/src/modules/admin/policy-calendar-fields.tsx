/**
 * The fields a calendar is edited with — the main one (`calendar`) and each named one
 * (`calendars.<code>`, where an emptied field inherits the main calendar's): the working weekdays,
 * the working periods of a day, and the choices of how periods count and end.
 */
import { Button, Select, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Policy } from '../../api/client';
import { getIn, type Path } from './policy-draft';
import { Field, TextField, fieldId, useDraft } from './policy-fields';

type Counting = Policy['calendar']['counting'];
type PeriodEnd = Policy['calendar']['periodEnd'];
// Keyed by the generated unions: a value added on the server and missing here fails the typecheck.
export const COUNTING = Object.keys({ instant: 1, statutory: 1 } satisfies Record<Counting, 1>) as Counting[];
export const PERIOD_END = Object.keys({ midnight: 1, close: 1 } satisfies Record<PeriodEnd, 1>) as PeriodEnd[];
/** ISO weekdays, Monday first, as the policy writes them. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/**
 * The working weekdays of the calendar at `base` (`['calendar']` or a named one). `inherit`: the
 * field may be emptied, and then the main calendar's weekdays apply (a named calendar's).
 */
export function WeekdaysField({ base = ['calendar'], inherit }: { base?: Path; inherit?: boolean }) {
  const { t } = useTranslation();
  const { draft, set } = useDraft();
  const path = [...base, 'workingWeekdays'];
  const v = getIn(draft, path);
  return (
    <Field paths={[path]} label={t('policyEditor.workingWeekdays')}>
      <Select<number[]>
        id={fieldId(path)}
        mode="multiple"
        allowClear={inherit}
        optionFilterProp="label"
        placeholder={inherit ? t('policyEditor.inherited') : undefined}
        value={Array.isArray(v) ? (v as number[]) : []}
        options={WEEKDAYS.map((d) => ({ value: d, label: t(`policyEditor.weekday.${d}`) }))}
        // In weekday order whatever order they were picked in: the policy reads Monday … Sunday.
        onChange={(days) => set(path, inherit && days.length === 0 ? undefined : [...days].sort((a, b) => a - b))}
        style={{ width: '100%', minWidth: 0 }}
      />
    </Field>
  );
}

/** The working periods of a day of the calendar at `base`; `inherit`: none listed = the main calendar's. */
export function WorkingHours({ base = ['calendar'], inherit }: { base?: Path; inherit?: boolean }) {
  const { t } = useTranslation();
  const api = useDraft();
  const path = [...base, 'workingHours'];
  const periods = Array.isArray(getIn(api.draft, path)) ? (getIn(api.draft, path) as unknown[]) : [];
  const removeAt = (i: number) => api.set(path, inherit && periods.length === 1 ? undefined : periods.filter((__, j) => j !== i));
  return (
    <Field paths={[path]} label={t('policyEditor.workingHours')}>
      <div data-testid={base.length === 1 ? 'pe-working-hours' : `pe-${base.join('-')}-hours`}>
        {inherit && periods.length === 0 && <div style={{ color: 'rgba(0,0,0,0.55)', marginBottom: 4 }}>{t('policyEditor.inherited')}</div>}
        {periods.map((_, i) => (
          <Space key={i} align="start" wrap style={{ display: 'flex' }}>
            <TextField path={[...path, i, 'start']} label={t('policyEditor.periodStart')} width={110} />
            <TextField path={[...path, i, 'end']} label={t('policyEditor.periodEnd')} width={110} />
            <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('policyEditor.remove')} onClick={() => removeAt(i)} disabled={!inherit && periods.length <= 1} style={{ marginTop: 30 }} />
          </Space>
        ))}
        <Button size="small" icon={<PlusOutlined />} onClick={() => api.set(path, [...periods, { start: '', end: '' }])} data-testid={base.length === 1 ? 'pe-add-period' : `pe-${base.join('-')}-add-period`}>
          {t('policyEditor.addPeriod')}
        </Button>
      </div>
    </Field>
  );
}
