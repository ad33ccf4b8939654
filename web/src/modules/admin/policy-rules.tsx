/**
 * The policy editor's sections for the rules around the handling (issue 14): 延期 (extension: the
 * single form — ordinary and special maximum, the approval level — or stages), 无效理由 (the
 * reasons a complaint may be judged invalid), 等级上升 (grades rising with time while unresolved)
 * 紧急 / 恶性 (the emergency and vicious flags: their limits, re-escalation and calendar) and 话术
 * (the intake and follow-up scripts).
 * Like every section they only write the draft; the server's checker judges it and its problems
 * show under the fields, in the reader's language.
 */
import { Button, Card, Col, Row, Segmented, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Policy } from '../../api/client';
import { pick } from '../../i18n';
import { getIn, type Path } from './policy-draft';
import { AddButton, CLOCKS, ItemCard, add, codes, items, remove, type Item } from './policy-list-parts';
import { DurationField, Field, I18nField, SelectField, SwitchField, TextField, fieldId, useDraft } from './policy-fields';

/** A part of the policy that may be left out (`extension`, a flag): a switch that adds it with `initial` or removes it. */
function Presence({ path, label, initial, testId }: { path: Path; label: string; initial: () => unknown; testId: string }) {
  const { draft, set } = useDraft();
  const on = getIn(draft, path) !== undefined;
  return (
    <Field paths={[path]} label={label}>
      <Switch id={fieldId(path)} data-testid={testId} checked={on} onChange={(c) => set(path, c ? initial() : undefined)} />
    </Field>
  );
}

/** The clocks a flag overrides, side by side (a limit left empty keeps the grade's). */
function Limits({ path }: { path: Path }) {
  const { t } = useTranslation();
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', columnGap: 16 }}>
      {CLOCKS.map((c) => (
        <DurationField key={c} path={[...path, c]} label={t(`clockKind.${c}`)} optional />
      ))}
    </div>
  );
}

export function ExtensionSection() {
  const { t } = useTranslation();
  const api = useDraft();
  const ext = getIn(api.draft, ['extension']) as Item | undefined;
  const staged = !!ext && Array.isArray(ext.stages);
  const levels = codes(api.draft, ['approval', 'levels']);
  const grades = codes(api.draft, ['grades']);
  const categories = codes(api.draft, ['categories']);
  const firstLevel = levels[0]?.value ?? '';
  const stages = items(api.draft, ['extension', 'stages']);
  return (
    <div data-testid="pe-section-extension">
      <Typography.Paragraph type="secondary">{t('policyEditor.extensionHint')}</Typography.Paragraph>
      <Presence path={['extension']} label={t('policyEditor.extensionOn')} testId="pe-extension-on" initial={() => ({ max: '3wd', specialMax: '7wd', approvalLevel: firstLevel })} />
      {ext && (
        <>
          <Field paths={[['extension', 'stages']]} label={t('policyEditor.extensionForm')}>
            <Segmented
              value={staged ? 'stages' : 'single'}
              data-testid="pe-extension-form"
              options={[
                { value: 'single', label: t('policyEditor.extensionSingle') },
                { value: 'stages', label: t('policyEditor.extensionStages') },
              ]}
              // The two forms exclude each other (src/domain/policy/schema.ts): switching carries the longest and the level over.
              onChange={(v) =>
                api.set(
                  ['extension'],
                  v === 'stages'
                    ? { stages: [{ max: String(ext.max ?? '3wd'), approvalLevel: String(ext.approvalLevel ?? firstLevel), special: false }] }
                    : { max: String(stages[0]?.max ?? '3wd'), specialMax: String(stages[stages.length - 1]?.max ?? '7wd'), approvalLevel: String(stages[0]?.approvalLevel ?? firstLevel) },
                )
              }
            />
          </Field>
          {!staged ? (
            <Row gutter={12}>
              <Col xs={24} md={8}>
                <DurationField path={['extension', 'max']} label={t('policyEditor.extensionMax')} />
              </Col>
              <Col xs={24} md={8}>
                <DurationField path={['extension', 'specialMax']} label={t('policyEditor.extensionSpecialMax')} />
              </Col>
              <Col xs={24} md={8}>
                <SelectField path={['extension', 'approvalLevel']} label={t('policyEditor.extensionLevel')} options={levels} />
              </Col>
            </Row>
          ) : (
            <>
              {stages.map((_, i) => (
                <ItemCard key={i} testId={`pe-extension-stage-${i}`} title={t('policyEditor.stageN', { n: i + 1 })} onRemove={stages.length > 1 ? () => remove(api, ['extension', 'stages'], i) : undefined}>
                  <Row gutter={12}>
                    <Col xs={24} md={8}>
                      <DurationField path={['extension', 'stages', i, 'max']} label={t('policyEditor.stageMax')} />
                    </Col>
                    <Col xs={24} md={8}>
                      <SelectField path={['extension', 'stages', i, 'approvalLevel']} label={t('policyEditor.extensionLevel')} options={levels} />
                    </Col>
                    <Col xs={24} md={8}>
                      <SwitchField path={['extension', 'stages', i, 'special']} label={t('policyEditor.stageSpecial')} />
                    </Col>
                    <Col xs={24} md={12}>
                      <SelectField path={['extension', 'stages', i, 'grades']} label={t('policyEditor.ruleGrades')} multiple allowClear options={grades} placeholder={t('policyEditor.allGrades')} />
                    </Col>
                    <Col xs={24} md={12}>
                      <SelectField path={['extension', 'stages', i, 'categories']} label={t('policyEditor.stageCategories')} multiple allowClear options={categories} placeholder={t('policyEditor.allCategories')} />
                    </Col>
                  </Row>
                </ItemCard>
              ))}
              <AddButton label={t('policyEditor.addStage')} testId="pe-add-stage" onClick={() => add(api, ['extension', 'stages'], { max: String(stages[stages.length - 1]?.max ?? '7wd'), approvalLevel: firstLevel, special: false })} />
            </>
          )}
        </>
      )}
    </div>
  );
}

export function ValiditySection() {
  const { t } = useTranslation();
  const api = useDraft();
  const path = ['validity', 'invalidReasons'];
  const reasons = items(api.draft, path);
  return (
    <div data-testid="pe-section-validity">
      <Typography.Paragraph type="secondary">{t('policyEditor.validityHint')}</Typography.Paragraph>
      {reasons.map((r, i) => (
        <ItemCard key={i} testId={`pe-reason-${i}`} title={`${i + 1}. ${pick(r.name as Record<string, string>) || String(r.code ?? '')}`} onRemove={reasons.length > 1 ? () => remove(api, path, i) : undefined}>
          <Row gutter={12}>
            <Col xs={24} md={6}>
              <TextField path={[...path, i, 'code']} label={t('policyEditor.code')} />
            </Col>
            <Col xs={24} md={18}>
              <I18nField path={[...path, i, 'name']} label={t('policyEditor.name')} />
            </Col>
          </Row>
        </ItemCard>
      ))}
      <AddButton label={t('policyEditor.addReason')} testId="pe-add-reason" onClick={() => add(api, path, { code: '', name: { 'zh-CN': '' } })} />
    </div>
  );
}

export function GradeRiseSection() {
  const { t } = useTranslation();
  const api = useDraft();
  const rises = items(api.draft, ['gradeRise']);
  const grades = codes(api.draft, ['grades']);
  return (
    <div data-testid="pe-section-gradeRise">
      <Typography.Paragraph type="secondary">{t('policyEditor.gradeRiseHint')}</Typography.Paragraph>
      {rises.length === 0 && <Typography.Paragraph type="secondary">{t('policyEditor.gradeRiseNone')}</Typography.Paragraph>}
      {rises.map((_, i) => (
        <ItemCard key={i} testId={`pe-rise-${i}`} title={`${i + 1}`} onRemove={() => remove(api, ['gradeRise'], i)}>
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <DurationField path={['gradeRise', i, 'after']} label={t('policyEditor.riseAfter')} />
            </Col>
            <Col xs={24} md={12}>
              <SelectField path={['gradeRise', i, 'to']} label={t('policyEditor.riseTo')} options={grades} />
            </Col>
          </Row>
        </ItemCard>
      ))}
      <AddButton label={t('policyEditor.addRise')} testId="pe-add-rise" onClick={() => add(api, ['gradeRise'], { after: '1mo', to: grades[grades.length - 1]?.value ?? '' })} />
    </div>
  );
}

export function FlagsSection() {
  const { t } = useTranslation();
  const api = useDraft();
  const grades = codes(api.draft, ['grades']);
  const vicious = getIn(api.draft, ['flags', 'vicious']) !== undefined;
  const emergency = getIn(api.draft, ['flags', 'emergency']) !== undefined;
  const calendars = Object.keys((getIn(api.draft, ['calendars']) as Record<string, unknown> | undefined) ?? {}).map((c) => ({ value: c, label: c }));
  return (
    <div data-testid="pe-section-flags">
      <Typography.Paragraph type="secondary">{t('policyEditor.flagsHint')}</Typography.Paragraph>
      <Card size="small" title={t('action.f.vicious')} style={{ marginBottom: 8 }}>
        <Presence path={['flags', 'vicious']} label={t('policyEditor.flagOn')} testId="pe-vicious-on" initial={() => ({ minGrade: grades[grades.length - 1]?.value ?? '' })} />
        {vicious && (
          <>
            <Row gutter={12}>
              <Col xs={24} md={8}>
                <SelectField path={['flags', 'vicious', 'minGrade']} label={t('policyEditor.viciousMinGrade')} options={grades} />
              </Col>
            </Row>
            <Typography.Text strong>{t('policyEditor.flagLimits')}</Typography.Text>
            <Limits path={['flags', 'vicious', 'limits']} />
          </>
        )}
      </Card>
      <Card size="small" title={t('action.f.emergency')}>
        <Presence path={['flags', 'emergency']} label={t('policyEditor.flagOn')} testId="pe-emergency-on" initial={() => ({ limits: { resolve: '24h' } })} />
        {emergency && (
          <>
            <Typography.Text strong>{t('policyEditor.flagLimits')}</Typography.Text>
            <Limits path={['flags', 'emergency', 'limits']} />
            <Row gutter={12}>
              <Col xs={24} md={12}>
                <DurationField path={['flags', 'emergency', 'escalateEvery']} label={t('policyEditor.escalateEvery')} optional />
              </Col>
              <Col xs={24} md={12}>
                <SelectField path={['flags', 'emergency', 'calendar']} label={t('policyEditor.emergencyCalendar')} options={calendars} allowClear placeholder={t('policyEditor.mainCalendar')} />
              </Col>
            </Row>
          </>
        )}
      </Card>
    </div>
  );
}

type ScriptKind = keyof Policy['scripts'];
// Keyed by the generated union: a script added on the server and missing here fails the typecheck.
const SCRIPT_KINDS = Object.keys({ phone: 1, situations: 1, followUp: 1 } satisfies Record<ScriptKind, 1>) as ScriptKind[];

/**
 * 话术: the intake's phone script by phase, the situations that may arise in any call and the
 * follow-up call's steps — per step its code, title, hint and the lines to say, in the three
 * languages (placeholders such as {customer} and {number} are filled in by the console).
 */
export function ScriptsSection() {
  const { t } = useTranslation();
  const [which, setWhich] = useState<ScriptKind>('phone');
  const api = useDraft();
  const path: Path = ['scripts', which];
  const steps = items(api.draft, path);
  return (
    <div data-testid="pe-section-scripts">
      <Typography.Paragraph type="secondary">{t('policyEditor.scriptsHint')}</Typography.Paragraph>
      <div style={{ overflowX: 'auto', marginBottom: 8 }}>
        <Segmented value={which} onChange={(v) => setWhich(v as ScriptKind)} data-testid="pe-script-kind" options={SCRIPT_KINDS.map((k) => ({ value: k, label: t(`policyEditor.script.${k}`) }))} />
      </div>
      {steps.map((s, i) => {
        const lines = items(api.draft, [...path, i, 'lines']);
        return (
          <ItemCard key={`${which}-${i}`} testId={`pe-step-${i}`} title={`${i + 1}. ${pick(s.title as Record<string, string>) || String(s.code ?? '')}`} onRemove={() => remove(api, path, i)}>
            <Row gutter={12}>
              <Col xs={24} md={6}>
                <TextField path={[...path, i, 'code']} label={t('policyEditor.code')} />
              </Col>
              <Col xs={24} md={18}>
                <I18nField path={[...path, i, 'title']} label={t('policyEditor.stepTitle')} />
              </Col>
            </Row>
            <I18nField path={[...path, i, 'hint']} label={t('policyEditor.stepHint')} required={false} />
            {lines.map((_, j) => (
              <div key={j} style={{ display: 'flex', gap: 4, alignItems: 'flex-start' }}>
                <div style={{ flex: 1, minWidth: 0 }}>
                  <I18nField path={[...path, i, 'lines', j]} label={t('policyEditor.lineN', { n: j + 1 })} multiline />
                </div>
                <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('policyEditor.remove')} onClick={() => remove(api, [...path, i, 'lines'], j)} disabled={lines.length <= 1} style={{ marginTop: 30 }} />
              </div>
            ))}
            <Button size="small" icon={<PlusOutlined />} onClick={() => add(api, [...path, i, 'lines'], { 'zh-CN': '' })} data-testid={`pe-add-line-${i}`}>
              {t('policyEditor.addLine')}
            </Button>
          </ItemCard>
        );
      })}
      <AddButton label={t('policyEditor.addStep')} testId="pe-add-step" onClick={() => add(api, path, { code: '', title: { 'zh-CN': '' }, lines: [{ 'zh-CN': '' }] })} />
    </div>
  );
}
