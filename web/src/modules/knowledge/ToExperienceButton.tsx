/**
 * 转为经验 on the case page (issue 13 §4): for the policy's `knowledge.editors`, once the case is
 * answered or later, one click makes a draft article from the case (POST
 * /api/v1/knowledge/articles/from-case/{id}, which strips the customer's personal data) and opens
 * it in the library for editing.
 */
import { App as AntApp, Button } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, newIdempotencyKey, ok } from '../../api/client';
import { useLookups, useSession } from '../../app/session';
/** The states a case may be turned into experience from: the domain's group (src/domain/lifecycle/state-groups.ts). */
import { RESOLVED_STATES } from '../../api/generated/state-groups';

export function ToExperienceButton({ caseId, state }: { caseId: string; state: string }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { policy } = useLookups();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());
  const editors: readonly string[] = policy?.knowledge?.editors ?? ['specialist', 'approver', 'admin'];
  if (!(RESOLVED_STATES as readonly string[]).includes(state) || !me?.roles.some((r) => editors.includes(r))) return null;
  const go = async () => {
    setBusy(true);
    try {
      const a = await ok(api.POST('/api/v1/knowledge/articles/from-case/{id}', { params: { path: { id: caseId }, header: { 'idempotency-key': key.current } } }));
      void message.success(t('case.toExperienceDone'));
      navigate(`/knowledge/${a.id}`);
    } catch (e) {
      void message.error((e as Error).message);
      key.current = newIdempotencyKey();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button onClick={() => void go()} loading={busy} data-testid="case-to-experience">
      {t('case.toExperience')}
    </Button>
  );
}
