/** Sign-in: username and password, and a single sign-on button when the server has it configured. */
import { Alert, Button, Card, Divider, Form, Input, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { api, ApiError, ok } from '../../api/client';
import { LOCALES, setLanguage } from '../../i18n';
import type { Locale } from '../../api/client';

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const { signIn } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sso, setSso] = useState<{ enabled: boolean; label: string | null } | null>(null);
  // A refused single sign-on comes back here as ?sso_error=<reason> (http/auth/sso.routes.ts).
  const [ssoError] = useState(() => new URLSearchParams(window.location.search).get('sso_error'));
  useEffect(() => {
    ok(api.GET('/api/v1/auth/sso')).then(setSso, () => setSso(null));
  }, []);
  const ssoStart = () => {
    const here = window.location.pathname === '/' ? '/' : `${window.location.pathname}${window.location.search}`;
    return `/api/v1/auth/sso/start?returnTo=${encodeURIComponent(here)}`;
  };
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      // The signed-in routes take over: the address asked for (a shared case link), else the role's home.
      await signIn(v.username, v.password);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? t('auth.wrong') : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f7fa' }}>
      <Card
        style={{ width: 360 }}
        title={
          <span>
            {t('app.name')} · {t('auth.title')}
          </span>
        }
        extra={<Select<Locale> size="small" aria-label={t('app.language')} value={i18n.language as Locale} onChange={setLanguage} options={LOCALES.map((l) => ({ value: l, label: t(`lang.${l}`) }))} style={{ width: 100 }} />}
      >
        <Form layout="vertical" name="login" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('form.required') }]}>
            <Input autoFocus autoComplete="username" />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('form.required') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
          {!error && ssoError && <Alert type="error" showIcon message={t(`sso.error.${ssoError}`, { defaultValue: t('sso.error.failed') })} style={{ marginBottom: 12 }} data-testid="sso-error" />}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('auth.signIn')}
          </Button>
        </Form>
        {sso?.enabled && (
          <>
            <Divider plain style={{ margin: '12px 0' }}>
              {t('sso.or')}
            </Divider>
            <Button block href={ssoStart()} data-testid="sso-button">
              {sso.label ?? t('sso.button')}
            </Button>
          </>
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
          {t('auth.demo')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
