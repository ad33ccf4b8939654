/**
 * The policy's further named calendars (`calendars`, e.g. a 24-hour emergency desk) in the
 * calendar section: each has a code, the clocks that count on it, and only the settings in which
 * it differs from the main calendar — a setting left empty is inherited (src/domain/policy/schema.ts
 * `namedCalendar`). Like every section it only writes the draft; the server's checker judges it
 * (a clock listed by two calendars, bad working hours, an unknown `flags.emergency.calendar`).
 */
import { Button, Card, Col, Input, Row, Select } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { getIn, type Doc } from './policy-draft';
import { Field, SelectField, TextField, fieldId, useDraft } from './policy-fields';
import { AddButton, CLOCKS } from './policy-list-parts';
import { COUNTING, PERIOD_END, WEEKDAYS, WeekdaysField, WorkingHours } from './policy-calendar-fields';

const calendarsOf = (d: Doc): Record<string, Doc> => {
  const v = getIn(d, ['calendars']);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, Doc>) : {};
};

/** A code not used yet: `desk`, `desk2`, … */
function freshCode(taken: Record<string, unknown>): string {
  for (let i = 1; ; i++) {
    const code = i === 1 ? 'desk' : `desk${i}`;
    if (!(code in taken)) return code;
  }
}

/** The calendar's code; renaming keeps its place among the others (the policy's order). */
function CodeField({ code }: { code: string }) {
  const { t } = useTranslation();
  const { draft, set } = useDraft();
  const path = ['calendars', code];
  return (
    <Field paths={[path]} label={t('policyEditor.calendarCode')}>
      <Input
        id={fieldId(path)}
        defaultValue={code}
        // Renamed on leaving the field, not on each key: a half-typed code would clash with another.
        onBlur={(e) => {
          const next = e.target.value.trim();
          const all = calendarsOf(draft);
          if (!next || next === code || next in all) {
            e.target.value = code;
            return;
          }
          set(['calendars'], Object.fromEntries(Object.entries(all).map(([k, v]) => (k === code ? [next, v] : [k, v]))));
        }}
        style={{ maxWidth: 200 }}
      />
    </Field>
  );
}

/** The clocks counted on this calendar; a clock another calendar already counts is reported at its own index. */
function ClocksField({ code, options }: { code: string; options: { value: string; label: string }[] }) {
  const { t } = useTranslation();
  const { draft, set } = useDraft();
  const path = ['calendars', code, 'clocks'];
  const v = getIn(draft, path);
  const clocks = Array.isArray(v) ? (v as string[]) : [];
  return (
    <Field paths={[path, ...clocks.map((_, i) => [...path, i])]} label={t('policyEditor.calendarClocks')}>
      <Select<string[]> id={fieldId(path)} mode="multiple" showSearch optionFilterProp="label" value={clocks} options={options} onChange={(next) => set(path, next)} style={{ width: '100%', minWidth: 0 }} />
    </Field>
  );
}

function NamedCalendar({ code }: { code: string }) {
  const { t } = useTranslation();
  const api = useDraft();
  const base = ['calendars', code];
  const inUse = Object.values(calendarsOf(api.draft)).flatMap((c) => (Array.isArray(c.clocks) ? (c.clocks as string[]) : []));
  const clockChoices = [...new Set([...CLOCKS, ...inUse])].map((k) => ({ value: k, label: t(`clockKind.${k.replace(/\.\d+$/, '')}`, { defaultValue: k }) }));
  const remove = () => {
    const rest = Object.fromEntries(Object.entries(calendarsOf(api.draft)).filter(([k]) => k !== code));
    api.set(['calendars'], Object.keys(rest).length ? rest : undefined);
  };
  return (
    <Card
      size="small"
      title={code}
      data-testid={`pe-calendar-${code}`}
      style={{ marginBottom: 8 }}
      extra={
        <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={remove} data-testid={`pe-calendar-${code}-remove`}>
          {t('policyEditor.remove')}
        </Button>
      }
    >
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <CodeField code={code} />
        </Col>
        <Col xs={24} md={16}>
          <ClocksField code={code} options={clockChoices} />
        </Col>
        <Col xs={24} md={8}>
          <TextField path={[...base, 'timeZone']} label={t('policyEditor.timeZone')} placeholder={t('policyEditor.inherited')} />
        </Col>
        <Col xs={24} md={8}>
          <TextField path={[...base, 'holidays']} label={t('policyEditor.holidayRegion')} placeholder={t('policyEditor.inherited')} />
        </Col>
        <Col xs={24} md={8}>
          <WeekdaysField base={base} inherit />
        </Col>
        <Col xs={24} md={12}>
          <WorkingHours base={base} inherit />
        </Col>
        <Col xs={24} md={6}>
          <SelectField path={[...base, 'counting']} label={t('policyEditor.counting')} allowClear placeholder={t('policyEditor.inherited')} options={COUNTING.map((c) => ({ value: c, label: t(`policyEditor.countingMode.${c}`) }))} />
        </Col>
        <Col xs={24} md={6}>
          <SelectField path={[...base, 'periodEnd']} label={t('policyEditor.periodEndsAt')} allowClear placeholder={t('policyEditor.inherited')} options={PERIOD_END.map((c) => ({ value: c, label: t(`policyEditor.periodEndMode.${c}`) }))} />
        </Col>
      </Row>
    </Card>
  );
}

export function NamedCalendars() {
  const { t } = useTranslation();
  const api = useDraft();
  const all = calendarsOf(api.draft);
  return (
    <div data-testid="pe-named-calendars" style={{ marginBottom: 8 }}>
      <h4 style={{ margin: '8px 0' }}>{t('policyEditor.namedCalendars')}</h4>
      <p style={{ color: 'rgba(0,0,0,0.65)', marginTop: 0 }}>{t('policyEditor.namedCalendarsHint')}</p>
      {Object.keys(all).map((code) => (
        <NamedCalendar key={code} code={code} />
      ))}
      <AddButton onClick={() => api.set(['calendars', freshCode(all)], { workingWeekdays: [...WEEKDAYS], workingHours: [{ start: '00:00', end: '24:00' }], clocks: [] })} label={t('policyEditor.addCalendar')} testId="pe-add-calendar" />
    </div>
  );
}
