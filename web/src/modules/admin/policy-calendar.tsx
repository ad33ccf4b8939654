/**
 * The policy editor's calendar section (日历与节假日): the time zone, the holiday region, the
 * working weekdays, the working periods of a day and how statutory periods count, and the further
 * named calendars (policy-named-calendars.tsx). Like every
 * section it only writes the draft; the server's checker (`kesu policy check`) judges it and its
 * problems show under the fields. The holiday years themselves are kept on the holiday calendar
 * tab, without a policy version (`onOpenCalendar`).
 */
import { Button, Card, Col, Row, Typography } from 'antd';
import { CalendarOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { SelectField, TextField } from './policy-fields';
import { COUNTING, PERIOD_END, WeekdaysField, WorkingHours } from './policy-calendar-fields';
import { NamedCalendars } from './policy-named-calendars';

export function CalendarSection({ onOpenCalendar }: { onOpenCalendar: () => void }) {
  const { t } = useTranslation();
  return (
    <div data-testid="pe-section-calendar">
      <Card size="small" style={{ marginBottom: 8 }}>
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <TextField path={['calendar', 'timeZone']} label={t('policyEditor.timeZone')} />
          </Col>
          <Col xs={24} md={8}>
            <TextField path={['calendar', 'holidays']} label={t('policyEditor.holidayRegion')} />
          </Col>
          <Col xs={24} md={8}>
            <WeekdaysField />
          </Col>
          <Col xs={24} md={12}>
            <WorkingHours />
          </Col>
          <Col xs={24} md={6}>
            <SelectField path={['calendar', 'counting']} label={t('policyEditor.counting')} options={COUNTING.map((c) => ({ value: c, label: t(`policyEditor.countingMode.${c}`) }))} />
          </Col>
          <Col xs={24} md={6}>
            <SelectField path={['calendar', 'periodEnd']} label={t('policyEditor.periodEndsAt')} options={PERIOD_END.map((c) => ({ value: c, label: t(`policyEditor.periodEndMode.${c}`) }))} />
          </Col>
        </Row>
      </Card>
      <NamedCalendars />
      <Typography.Paragraph type="secondary">{t('policyEditor.calendarHint')}</Typography.Paragraph>
      <Button icon={<CalendarOutlined />} onClick={onOpenCalendar} data-testid="pe-open-calendar">
        {t('policyEditor.openCalendar')}
      </Button>
    </div>
  );
}
