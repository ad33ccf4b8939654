/**
 * 门户查询码: issues a new portal access code for a caller who cannot receive it by SMS or
 * e-mail, and shows it once, with the portal address and the text to read out. Issuing again
 * replaces the old code (the server keeps only a hash, so a code cannot be shown twice).
 */
import { Alert, Button, Popconfirm, Typography } from 'antd';
import { KeyOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';

/** `ABCD2345` → `ABCD-2345`, as the portal prints it. */
export function formatAccessCode(code: string): string {
  return code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

/** Where the customer tracks the case with number and code. */
export function portalTrackUrl(): string {
  return `${location.origin}/portal/track`;
}

export function AccessCodeIssuer({ caseId, confirm = true }: { caseId: string; confirm?: boolean }) {
  const { t } = useTranslation();
  const [issued, setIssued] = useState<{ number: string; accessCode: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const issue = async () => {
    setBusy(true);
    setError(null);
    try {
      setIssued(await ok(api.POST('/api/v1/complaints/{id}/access-code', { params: { path: { id: caseId } } })));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const label = issued ? t('access.reissue') : t('access.issue');
  const button = (
    <Button icon={<KeyOutlined />} loading={busy} onClick={confirm ? undefined : () => void issue()} data-testid="issue-access-code">
      {label}
    </Button>
  );
  const url = portalTrackUrl();
  return (
    <>
      {confirm ? (
        <Popconfirm title={t('access.confirm')} okText={label} cancelText={t('common.cancel')} onConfirm={() => issue()} okButtonProps={{ 'data-testid': 'issue-access-code-ok' }}>
          {button}
        </Popconfirm>
      ) : (
        button
      )}
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 8 }} />}
      {issued && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setIssued(null)}
          style={{ marginTop: 8 }}
          data-testid="access-code-result"
          message={
            <span>
              {t('access.code')}:{' '}
              <Typography.Text strong copyable={{ text: formatAccessCode(issued.accessCode) }} style={{ fontSize: 18, letterSpacing: 1 }} data-testid="access-code">
                {formatAccessCode(issued.accessCode)}
              </Typography.Text>
              {' · '}
              {t('access.portal')}:{' '}
              <Typography.Text copyable data-testid="access-code-url">
                {url}
              </Typography.Text>
            </span>
          }
          description={
            <>
              <div>
                {t('intake.readOut')}: “{t('access.readOut', { url, number: issued.number, code: formatAccessCode(issued.accessCode) })}”
              </div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('access.once')}
              </Typography.Text>
            </>
          }
        />
      )}
    </>
  );
}
