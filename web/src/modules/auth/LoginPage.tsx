/** Sign-in. */
import { Alert, Button, Card, Form, Input, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { ApiError } from '../../api/client';
import { LOCALES, setLanguage } from '../../i18n';
import type { Locale } from '../../api/client';

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const { signIn } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
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
      <Card style={{ width: 360 }} title={<span>{t('app.name')} · {t('auth.title')}</span>} extra={
        <Select<Locale> size="small" aria-label={t('app.language')} value={i18n.language as Locale} onChange={setLanguage} options={LOCALES.map((l) => ({ value: l, label: t(`lang.${l}`) }))} style={{ width: 100 }} />
      }>
        <Form layout="vertical" name="login" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('form.required') }]}>
            <Input autoFocus autoComplete="username" />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('form.required') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('auth.signIn')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
          {t('auth.demo')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
