/** Change one's own password: current, new, repeat; errors under their field in the UI language. */
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { applyServerErrors } from '../../shared/forms';

interface Values {
  currentPassword: string;
  newPassword: string;
  repeatPassword: string;
}

const FIELDS = [['currentPassword'], ['newPassword']];

export function ChangePasswordForm({ onDone, onCancel }: { onDone(): void; onCancel?(): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  const submit = async (v: Values) => {
    setBusy(true);
    setBanner(null);
    try {
      await ok(api.POST('/api/v1/auth/password', { body: { currentPassword: v.currentPassword, newPassword: v.newPassword } }));
      form.resetFields();
      onDone();
    } catch (e) {
      const rest = applyServerErrors(form, e, FIELDS);
      if (rest.length) setBanner(rest.map((f) => f.message).join('\n'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" name="password" onFinish={(v) => void submit(v)} requiredMark={false} data-testid="change-password-form">
      <Form.Item name="currentPassword" label={t('account.currentPassword')} rules={[{ required: true, message: t('form.required') }]}>
        <Input.Password autoFocus autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="newPassword" label={t('account.newPassword')} extra={t('account.rule')} rules={[{ required: true, message: t('form.required') }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="repeatPassword"
        label={t('account.repeatPassword')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('form.required') },
          ({ getFieldValue }) => ({
            validator: (_r, value: string | undefined) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('account.mismatch')))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      {banner && <Alert type="error" showIcon message={banner} style={{ marginBottom: 12 }} data-testid="form-banner" />}
      <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
        {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="change-password-save">
          {t('account.changePassword')}
        </Button>
      </div>
    </Form>
  );
}
