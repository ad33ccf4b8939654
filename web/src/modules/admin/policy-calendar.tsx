/**
 * The policy editor's calendar section (日历与节假日): the time zone, the holiday region, the
 * working weekdays, the working periods of a day and how statutory periods count, and the further
 * named calendars (policy-named-calendars.tsx). Like every
 * section it only writes the draft; the server's checker (`kesu policy check`) judges it and its
 * problems show under the fields. The holiday years themselves are kept on the holiday calendar
 * tab, without a policy version (`onOpenCalendar`).
 */
import { Button, Card, Col, Row, Select, Space, Typography } from 'antd';
import { CalendarOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Policy } from '../../api/client';
import { getIn } from './policy-draft';
import { Field, SelectField, TextField, fieldId, useDraft } from './policy-fields';
import { NamedCalendars } from './policy-named-calendars';

type Counting = Policy['calendar']['counting'];
type PeriodEnd = Policy['calendar']['periodEnd'];
// Keyed by the generated unions: a value added on the server and missing here fails the typecheck.
const COUNTING = Object.keys({ instant: 1, statutory: 1 } satisfies Record<Counting, 1>) as Counting[];
const PERIOD_END = Object.keys({ midnight: 1, close: 1 } satisfies Record<PeriodEnd, 1>) as PeriodEnd[];
/** ISO weekdays, Monday first, as the policy writes them. */
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

function WeekdaysField() {
  const { t } = useTranslation();
  const { draft, set } = useDraft();
  const path = ['calendar', 'workingWeekdays'];
  const v = getIn(draft, path);
  return (
    <Field paths={[path]} label={t('policyEditor.workingWeekdays')}>
      <Select<number[]>
        id={fieldId(path)}
        mode="multiple"
        optionFilterProp="label"
        value={Array.isArray(v) ? (v as number[]) : []}
        options={WEEKDAYS.map((d) => ({ value: d, label: t(`policyEditor.weekday.${d}`) }))}
        // In weekday order whatever order they were picked in: the policy reads Monday … Sunday.
        onChange={(days) => set(path, [...days].sort((a, b) => a - b))}
        style={{ width: '100%', minWidth: 0 }}
      />
    </Field>
  );
}

function WorkingHours() {
  const { t } = useTranslation();
  const api = useDraft();
  const path = ['calendar', 'workingHours'];
  const periods = Array.isArray(getIn(api.draft, path)) ? (getIn(api.draft, path) as unknown[]) : [];
  return (
    <Field paths={[path]} label={t('policyEditor.workingHours')}>
      <div data-testid="pe-working-hours">
        {periods.map((_, i) => (
          <Space key={i} align="start" wrap style={{ display: 'flex' }}>
            <TextField path={[...path, i, 'start']} label={t('policyEditor.periodStart')} width={110} />
            <TextField path={[...path, i, 'end']} label={t('policyEditor.periodEnd')} width={110} />
            <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('policyEditor.remove')} onClick={() => api.set(path, periods.filter((__, j) => j !== i))} disabled={periods.length <= 1} style={{ marginTop: 30 }} />
          </Space>
        ))}
        <Button size="small" icon={<PlusOutlined />} onClick={() => api.set(path, [...periods, { start: '', end: '' }])} data-testid="pe-add-period">{t('policyEditor.addPeriod')}</Button>
      </div>
    </Field>
  );
}

export function CalendarSection({ onOpenCalendar }: { onOpenCalendar: () => void }) {
  const { t } = useTranslation();
  return (
    <div data-testid="pe-section-calendar">
      <Card size="small" style={{ marginBottom: 8 }}>
        <Row gutter={12}>
          <Col xs={24} md={8}><TextField path={['calendar', 'timeZone']} label={t('policyEditor.timeZone')} /></Col>
          <Col xs={24} md={8}><TextField path={['calendar', 'holidays']} label={t('policyEditor.holidayRegion')} /></Col>
          <Col xs={24} md={8}><WeekdaysField /></Col>
          <Col xs={24} md={12}><WorkingHours /></Col>
          <Col xs={24} md={6}><SelectField path={['calendar', 'counting']} label={t('policyEditor.counting')} options={COUNTING.map((c) => ({ value: c, label: t(`policyEditor.countingMode.${c}`) }))} /></Col>
          <Col xs={24} md={6}><SelectField path={['calendar', 'periodEnd']} label={t('policyEditor.periodEndsAt')} options={PERIOD_END.map((c) => ({ value: c, label: t(`policyEditor.periodEndMode.${c}`) }))} /></Col>
        </Row>
      </Card>
      <NamedCalendars />
      <Typography.Paragraph type="secondary">{t('policyEditor.calendarHint')}</Typography.Paragraph>
      <Button icon={<CalendarOutlined />} onClick={onOpenCalendar} data-testid="pe-open-calendar">{t('policyEditor.openCalendar')}</Button>
    </div>
  );
}
