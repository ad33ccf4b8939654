/**
 * One-step triage (issue 14 §2): 判定 → 分类分级 → 分派 in one form, sent to POST
 * /api/v1/complaints/{id}/actions/triage, which applies the three transitions in one
 * transaction. The route step starts from the policy's routing rule for the chosen category
 * (until the specialist picks another department), and its handler pickers show each person's
 * department and open cases.
 */
import { Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, type CaseView } from '../../api/client';
import { useLookups } from '../../app/session';
import { pick } from '../../i18n';
import { ActionForm } from './ActionForm';
import type { ActionField } from './action-fields';
import { routedDepartment, triageBody, triageFields } from './triage-fields';

export function TriageForm({ view, loads, absence, onDone, onCancel }: { view: CaseView; loads?: ReadonlyMap<string, number>; absence?: (id: string) => string | undefined; onDone: (v: CaseView) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { policy, staff, lifecycle, actionLabel } = useLookups();
  const fields = useMemo(() => triageFields(lifecycle, { view, policy, staff, t, pick, loads, absence }), [lifecycle, view, policy, staff, t, loads, absence]);
  // A heading before the first field of each step.
  const firsts = useMemo(() => {
    const seen = new Map<string, string>();
    for (const f of fields) if (!seen.has(String(f.name[0]))) seen.set(String(f.name[0]), f.name.join('.'));
    return new Set(seen.values());
  }, [fields]);
  const heading = (f: ActionField) =>
    firsts.has(f.name.join('.')) ? (
      <Typography.Title level={5} style={{ margin: '4px 0 8px' }} data-testid={`triage-step-${String(f.name[0])}`}>
        {actionLabel(String(f.name[0]))}
      </Typography.Title>
    ) : null;

  return (
    <ActionForm
      caseId={view.complaint.id}
      action="triage"
      fields={fields}
      grid
      sectionBefore={heading}
      submitLabel={t('triage.submit')}
      onDone={onDone}
      onCancel={onCancel}
      testId="triage-form"
      onValuesChange={(changed, _all, form) => {
        // The category's department, as the policy routes it, until the specialist chooses one.
        if (changed.classify?.category !== undefined && !form.isFieldTouched(['route', 'departmentCode'])) {
          const dept = routedDepartment(policy, changed.classify.category);
          if (dept) form.setFieldValue(['route', 'departmentCode'], dept);
        }
      }}
      submit={(body, key) => ok(api.POST('/api/v1/complaints/{id}/actions/triage', { params: { path: { id: view.complaint.id }, header: { 'idempotency-key': key } }, body: triageBody(body) as never }))}
    />
  );
}
