/**
 * 恶意投诉 flags on the customer of a case (issue 13 §3): the flags in force are shown on every
 * case of that customer; on a case judged malicious the roles of `customerFlags.setBy` may flag
 * the customer, and the roles of `customerFlags.liftBy` may lift a flag — each with a reason.
 * A flag informs; it never blocks anything.
 */
import { Alert, App, Button, Input, Modal, Space } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, type Schemas } from '../api/client';
import { useLookups, useSession } from '../app/session';
import { formatDate } from './format';

type Flag = Schemas['CustomerFlag'];

const DEFAULT_SET_BY = ['specialist', 'approver', 'admin'];
const DEFAULT_LIFT_BY = ['approver', 'admin'];

export function CustomerFlags({ caseId, malicious }: { caseId: string; malicious: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { policy } = useLookups();
  const { has } = useSession();
  const [flags, setFlags] = useState<Flag[]>([]);
  const [asking, setAsking] = useState<{ kind: 'set' } | { kind: 'lift'; flag: Flag } | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setFlags(await ok(api.GET('/api/v1/complaints/{id}/customer-flags', { params: { path: { id: caseId } } })));
    } catch {
      setFlags([]);
    }
  }, [caseId]);
  useEffect(() => void load(), [load]);
  const rules = policy?.customerFlags;
  const maySet = malicious && (rules?.setBy ?? DEFAULT_SET_BY).some((r) => has(r as never)) && !flags.some((f) => f.sourceComplaintId === caseId);
  const mayLift = (rules?.liftBy ?? DEFAULT_LIFT_BY).some((r) => has(r as never));
  const submit = async () => {
    if (!asking) return;
    setProblem(null);
    try {
      if (asking.kind === 'set') await ok(api.POST('/api/v1/complaints/{id}/customer-flags', { params: { path: { id: caseId } }, body: { reason } }));
      else await ok(api.POST('/api/v1/customer-flags/{flagId}/lift', { params: { path: { flagId: asking.flag.id } }, body: { reason } }));
      void message.success(asking.kind === 'set' ? t('customerFlag.setDone') : t('customerFlag.liftDone'));
      setAsking(null);
      setReason('');
      await load();
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  if (!flags.length && !maySet) return null;
  return (
    <div data-testid="customer-flags" style={{ marginBottom: 8 }}>
      {flags.map((f) => (
        <Alert
          key={f.id}
          type="error"
          showIcon
          style={{ marginBottom: 6 }}
          data-testid="customer-flag"
          message={t('customerFlag.flagged')}
          description={t('customerFlag.detail', { reason: f.reason, by: f.setBy, at: formatDate(f.setAt), until: f.expiresAt ? formatDate(f.expiresAt) : t('customerFlag.untilLifted') })}
          action={
            mayLift ? (
              <Button size="small" onClick={() => setAsking({ kind: 'lift', flag: f })} data-testid="customer-flag-lift">
                {t('customerFlag.lift')}
              </Button>
            ) : undefined
          }
        />
      ))}
      {maySet && (
        <Space>
          <Button danger size="small" onClick={() => setAsking({ kind: 'set' })} data-testid="customer-flag-set">
            {t('customerFlag.set')}
          </Button>
        </Space>
      )}
      <Modal
        open={!!asking}
        title={asking?.kind === 'lift' ? t('customerFlag.lift') : t('customerFlag.set')}
        onCancel={() => setAsking(null)}
        onOk={() => void submit()}
        okButtonProps={{ disabled: reason.trim().length < 2, ...({ 'data-testid': 'customer-flag-ok' } as Record<string, string>) }}
        destroyOnHidden
      >
        <Input.TextArea autoFocus rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('customerFlag.reason')} data-testid="customer-flag-reason" />
        {asking?.kind === 'set' && <Alert type="info" showIcon style={{ marginTop: 8 }} message={t('customerFlag.setHint')} />}
        {problem && <Alert type="error" showIcon style={{ marginTop: 8 }} message={problem} />}
      </Modal>
    </div>
  );
}
