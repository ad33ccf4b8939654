/**
 * The policy editor's sections: grades and their limits, categories and routing, follow-up,
 * escalation, approval and customer messages. Each writes into the draft by path; the lists of
 * choices come from the generated API types (a value the server does not know stops the build).
 */
import { Button, Card, Col, Row, Segmented, Select, Space, Typography } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Policy } from '../../api/client';
import { pick } from '../../i18n';
import { getIn, type Path } from './policy-draft';
import { AddButton, CLOCKS, ItemCard, add, codes, items, remove, type Item } from './policy-list-parts';
import { DurationField, Field, I18nField, NumberField, SelectField, SwitchField, TextField, fieldId, useDraft } from './policy-fields';

type TierRole = Policy['escalation']['tiers'][number]['role'];
type Method = Policy['followUp']['methods'][number];
type Level = Policy['followUp']['acceptedLevels'][number];
type Template = keyof NonNullable<Policy['messages']>['templates'];

// Records keyed by the generated unions: a value added on the server and missing here fails the typecheck.
const TIER_ROLES = Object.keys({ agent: 1, handler: 1, department_manager: 1, manager: 1, general_manager: 1, board: 1 } satisfies Record<TierRole, 1>) as TierRole[];
const METHODS = Object.keys({ phone: 1, sms: 1, email: 1, survey: 1, visit: 1 } satisfies Record<Method, 1>) as Method[];
const LEVELS = Object.keys({ very_satisfied: 1, satisfied: 1, neutral: 1, unsatisfied: 1 } satisfies Record<Level, 1>) as Level[];
const TEMPLATES = Object.keys({ acknowledgement: 1, delay_notice: 1, promise_earlier: 1, answer: 1, survey_invitation: 1, closure: 1, invalid_explanation: 1, overdue_notice: 1 } satisfies Record<Template, 1>) as Template[];

export function GradesSection() {
  const { t } = useTranslation();
  const api = useDraft();
  const grades = items(api.draft, ['grades']);
  return (
    <div data-testid="pe-section-grades">
      <Typography.Paragraph type="secondary">{t('policyEditor.gradesHint')}</Typography.Paragraph>
      {grades.map((g, i) => (
        <ItemCard key={i} testId={`pe-grade-${i}`} title={`${i + 1}. ${pick(g.name as Record<string, string>) || String(g.code ?? '')}`} onRemove={grades.length > 1 ? () => remove(api, ['grades'], i) : undefined}>
          <Row gutter={12}>
            <Col xs={24} md={5}>
              <TextField path={['grades', i, 'code']} label={t('policyEditor.code')} />
            </Col>
            <Col xs={24} md={13}>
              <I18nField path={['grades', i, 'name']} label={t('policyEditor.name')} />
            </Col>
            <Col xs={12} md={3}>
              <NumberField path={['grades', i, 'warnAt']} label={t('policy.warnAt')} scale={100} min={1} max={99} suffix="%" />
            </Col>
            <Col xs={12} md={3}>
              <SwitchField path={['grades', i, 'directToManager']} label={t('policy.directToManager')} />
            </Col>
          </Row>
          {/* The five clocks side by side, wrapping where the screen ends. */}
          <div style={{ display: 'flex', flexWrap: 'wrap', columnGap: 16 }}>
            {CLOCKS.map((c) => (
              <DurationField key={c} path={['grades', i, 'limits', c]} label={t(`clockKind.${c}`)} optional />
            ))}
          </div>
        </ItemCard>
      ))}
      <AddButton label={t('policyEditor.addGrade')} onClick={() => add(api, ['grades'], { code: '', name: { 'zh-CN': '' }, limits: {}, warnAt: 0.8, directToManager: false })} />
    </div>
  );
}

export function CategoriesSection() {
  const { t } = useTranslation();
  const api = useDraft();
  const cats = items(api.draft, ['categories']);
  // A deactivated department takes no new work (services/departments.ts): not offered, unless already chosen.
  const depts = codes(api.draft, ['departments']).map((o, i) => ({ ...o, disabled: items(api.draft, ['departments'])[i]?.active === false }));
  const levels = codes(api.draft, ['approval', 'levels']);
  const majorTo = getIn(api.draft, ['routing', 'majorTo']);
  const majorValue = majorTo === 'department_manager' ? 'department_manager' : majorTo && typeof majorTo === 'object' ? `level:${String((majorTo as Item).approvalLevel)}` : undefined;
  return (
    <div data-testid="pe-section-categories">
      <Typography.Paragraph type="secondary">{t('policyEditor.categoriesHint')}</Typography.Paragraph>
      {cats.map((c, i) => (
        <ItemCard key={i} testId={`pe-category-${i}`} title={`${pick(c.name as Record<string, string>) || String(c.code ?? '')}`} onRemove={cats.length > 1 ? () => remove(api, ['categories'], i) : undefined}>
          <Row gutter={12}>
            <Col xs={24} md={4}>
              <TextField path={['categories', i, 'code']} label={t('policyEditor.code')} />
            </Col>
            <Col xs={24} md={12}>
              <I18nField path={['categories', i, 'name']} label={t('policyEditor.name')} />
            </Col>
            <Col xs={12} md={3}>
              <TextField path={['categories', i, 'group']} label={t('policyEditor.group')} />
            </Col>
            <Col xs={12} md={5}>
              <SelectField path={['categories', i, 'department']} label={t('policyEditor.routeTo')} options={depts} allowClear placeholder={t('policy.specialistRoutes')} />
            </Col>
          </Row>
        </ItemCard>
      ))}
      <Space direction="vertical" style={{ width: '100%' }}>
        <AddButton label={t('policyEditor.addCategory')} onClick={() => add(api, ['categories'], { code: '', name: { 'zh-CN': '' } })} />
        <Card size="small" title={t('policyEditor.majorRouting')}>
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Field
                paths={[
                  ['routing', 'majorTo'],
                  ['routing', 'majorTo', 'approvalLevel'],
                ]}
                label={t('policyEditor.majorTo')}
              >
                <Select
                  id={fieldId(['routing', 'majorTo'])}
                  value={majorValue}
                  allowClear
                  placeholder={t('policy.specialistRoutes')}
                  style={{ minWidth: 180 }}
                  options={[{ value: 'department_manager', label: t('policyEditor.tierRole.department_manager') }, ...levels.map((l) => ({ value: `level:${l.value}`, label: t('policyEditor.approverOf', { level: l.label }) }))]}
                  onChange={(v?: string) => api.set(['routing', 'majorTo'], v === undefined ? undefined : v === 'department_manager' ? v : { approvalLevel: v.slice('level:'.length) })}
                />
              </Field>
            </Col>
            <Col xs={24} md={12}>
              <SelectField path={['routing', 'majorDepartment']} label={t('policyEditor.majorDepartment')} options={depts} allowClear />
            </Col>
          </Row>
        </Card>
      </Space>
    </div>
  );
}

export function FollowUpSection() {
  const { t } = useTranslation();
  const api = useDraft();
  const retries = Array.isArray(getIn(api.draft, ['followUp', 'retries'])) ? (getIn(api.draft, ['followUp', 'retries']) as string[]) : [];
  return (
    <div data-testid="pe-section-followUp">
      <Row gutter={12}>
        <Col xs={24} md={6}>
          <SwitchField path={['followUp', 'required']} label={t('policyEditor.followUpRequired')} />
        </Col>
        <Col xs={24} md={9}>
          <DurationField path={['followUp', 'window']} label={t('policy.followUpWindow')} />
        </Col>
        <Col xs={24} md={9}>
          <SwitchField path={['followUp', 'closeWhenUnreachable']} label={t('policyEditor.closeWhenUnreachable')} />
        </Col>
        <Col xs={24} md={12}>
          <SelectField path={['followUp', 'methods']} label={t('policy.followUpMethods')} multiple options={METHODS.map((m) => ({ value: m, label: t(`method.${m}`) }))} />
        </Col>
        <Col xs={24} md={12}>
          <SelectField path={['followUp', 'acceptedLevels']} label={t('policyEditor.acceptedLevels')} multiple options={LEVELS.map((m) => ({ value: m, label: t(`satisfaction.${m}`) }))} />
        </Col>
      </Row>
      <Typography.Text strong>{t('policy.retries')}</Typography.Text>
      <Row gutter={12}>
        {retries.map((_, i) => (
          <Col key={i} xs={24} md={8}>
            <Space align="start">
              <DurationField path={['followUp', 'retries', i]} label={t('policyEditor.retryN', { n: i + 1 })} />
              <Button
                type="text"
                danger
                aria-label={t('policyEditor.remove')}
                icon={<DeleteOutlined />}
                style={{ marginTop: 30 }}
                onClick={() =>
                  api.set(
                    ['followUp', 'retries'],
                    retries.filter((__, j) => j !== i),
                  )
                }
              />
            </Space>
          </Col>
        ))}
      </Row>
      <AddButton label={t('policyEditor.addRetry')} onClick={() => api.set(['followUp', 'retries'], [...retries, '24h'])} />
      <Card size="small" title={t('policy.unsatisfied')} style={{ marginTop: 12 }}>
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <SwitchField path={['unsatisfied', 'escalateTier']} label={t('policyEditor.escalateTier')} />
          </Col>
          <Col xs={24} md={12}>
            <NumberField path={['unsatisfied', 'maxCycles']} label={t('policyEditor.maxCycles')} min={1} step={1} />
          </Col>
        </Row>
      </Card>
    </div>
  );
}

export function EscalationSection() {
  const { t } = useTranslation();
  const api = useDraft();
  const tiers = items(api.draft, ['escalation', 'tiers']);
  const levels = codes(api.draft, ['approval', 'levels']);
  return (
    <div data-testid="pe-section-escalation">
      <DurationField path={['escalation', 'escalateEvery']} label={t('policyEditor.escalateEvery')} optional />
      {tiers.map((x, i) => (
        <ItemCard key={i} title={t('case.tier', { tier: x.level, name: pick(x.name as Record<string, string>) })} onRemove={tiers.length > 1 ? () => remove(api, ['escalation', 'tiers'], i) : undefined}>
          <Row gutter={12}>
            <Col xs={12} md={3}>
              <NumberField path={['escalation', 'tiers', i, 'level']} label={t('policyEditor.tierLevel')} min={1} step={1} />
            </Col>
            <Col xs={24} md={11}>
              <I18nField path={['escalation', 'tiers', i, 'name']} label={t('policyEditor.name')} />
            </Col>
            <Col xs={12} md={5}>
              <SelectField path={['escalation', 'tiers', i, 'role']} label={t('policyEditor.tierRoleLabel')} options={TIER_ROLES.map((r) => ({ value: r, label: t(`policyEditor.tierRole.${r}`) }))} />
            </Col>
            <Col xs={24} md={5}>
              <SelectField path={['escalation', 'tiers', i, 'approvalLevel']} label={t('policyEditor.tierApproval')} options={levels} allowClear />
            </Col>
          </Row>
        </ItemCard>
      ))}
      <AddButton label={t('policyEditor.addTier')} onClick={() => add(api, ['escalation', 'tiers'], { level: tiers.length + 1, name: { 'zh-CN': '' }, role: 'general_manager' })} />
    </div>
  );
}

export function ApprovalSection() {
  const { t } = useTranslation();
  const api = useDraft();
  const levels = items(api.draft, ['approval', 'levels']);
  const rules = items(api.draft, ['approval', 'rules']);
  const grades = codes(api.draft, ['grades']);
  const levelOptions = codes(api.draft, ['approval', 'levels']);
  return (
    <div data-testid="pe-section-approval">
      <Typography.Title level={5}>{t('policyEditor.levels')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('policyEditor.levelsHint')}</Typography.Paragraph>
      {levels.map((l, i) => (
        <ItemCard key={i} title={`${i + 1}. ${pick(l.name as Record<string, string>) || String(l.code ?? '')}`} onRemove={() => remove(api, ['approval', 'levels'], i)}>
          <Row gutter={12}>
            <Col xs={24} md={6}>
              <TextField path={['approval', 'levels', i, 'code']} label={t('policyEditor.code')} />
            </Col>
            <Col xs={24} md={18}>
              <I18nField path={['approval', 'levels', i, 'name']} label={t('policyEditor.name')} />
            </Col>
          </Row>
        </ItemCard>
      ))}
      <AddButton label={t('policyEditor.addLevel')} onClick={() => add(api, ['approval', 'levels'], { code: '', name: { 'zh-CN': '' } })} />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('policyEditor.rules')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('policyEditor.rulesHint')}</Typography.Paragraph>
      {rules.map((_, i) => (
        <ItemCard key={i} title={`${i + 1}`} onRemove={() => remove(api, ['approval', 'rules'], i)}>
          <Row gutter={12}>
            <Col xs={24} md={10}>
              <SelectField path={['approval', 'rules', i, 'grades']} label={t('policyEditor.ruleGrades')} multiple allowClear options={grades} placeholder={t('policyEditor.allGrades')} />
            </Col>
            <Col xs={12} md={6}>
              <NumberField path={['approval', 'rules', i, 'minAmount']} label={t('policyEditor.minAmount')} min={0} />
            </Col>
            <Col xs={12} md={8}>
              <SelectField path={['approval', 'rules', i, 'level']} label={t('policyEditor.ruleLevel')} options={levelOptions} />
            </Col>
          </Row>
        </ItemCard>
      ))}
      <AddButton label={t('policyEditor.addRule')} onClick={() => add(api, ['approval', 'rules'], { level: String(levels[0]?.code ?? '') })} />
    </div>
  );
}

export function MessagesSection() {
  const { t } = useTranslation();
  const [which, setWhich] = useState<Template>('acknowledgement');
  const base: Path = ['messages', 'templates', which];
  return (
    <div data-testid="pe-section-messages">
      <Typography.Paragraph type="secondary">{t('policyEditor.messagesHint')}</Typography.Paragraph>
      <I18nField path={['messages', 'organisation']} label={t('policyEditor.organisation')} required={false} />
      <div style={{ overflowX: 'auto', marginBottom: 8 }}>
        <Segmented value={which} onChange={(v) => setWhich(v as Template)} options={TEMPLATES.map((m) => ({ value: m, label: t(`policyEditor.template.${m}`) }))} />
      </div>
      {(['subject', 'body', 'sms'] as const).map((part) => (
        <I18nField key={`${which}-${part}`} path={[...base, part]} label={t(`policyEditor.part.${part}`)} multiline required={false} />
      ))}
    </div>
  );
}
