/** After sign-in with a password an administrator reset: only this form, until it is changed. */
import { App, Button, Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { ChangePasswordForm } from './ChangePasswordForm';

export function MustChangePassword() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me, passwordChanged, signOut } = useSession();
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f7fa' }}>
      <Card
        style={{ width: 400 }}
        title={`${t('app.name')} · ${t('account.mustChangeTitle')}`}
        extra={
          <Button size="small" onClick={() => void signOut()}>
            {t('auth.signOut')}
          </Button>
        }
        data-testid="must-change-password"
      >
        <Typography.Paragraph>
          {me?.name} · {t('account.mustChangeHint')}
        </Typography.Paragraph>
        <ChangePasswordForm
          onDone={() => {
            void message.success(t('account.changed'));
            passwordChanged();
          }}
        />
      </Card>
    </div>
  );
}
