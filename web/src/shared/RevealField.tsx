/**
 * A masked personal-data field with a "显示" button (issue 12 §6): a reader whose relation to the
 * case allows it (`piiRevealable` on the case view) asks for this one field with a reason; the
 * server writes the reveal to the personal-data access log and answers the value, shown here
 * only — never stored or put into the page's other views. Errors come back under the reason.
 */
import { Button, Form, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import { applyServerErrors } from './forms';

export type RevealableField = 'phone' | 'email' | 'address' | 'idNumber';

export function RevealField({ caseId, field, masked, revealable }: { caseId: string; field: RevealableField; masked: string | null | undefined; revealable: boolean }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [value, setValue] = useState<string | null>(null);
  const [banner, setBanner] = useState<string | null>(null);
  if (!masked) return <>—</>;
  if (value) return <span data-testid={`revealed-${field}`}>{value}</span>;
  const submit = async () => {
    const checked = await form.validateFields(['reason']).catch(() => null); // the form shows what is missing
    if (!checked) return;
    const { reason } = checked;
    setBusy(true);
    setBanner(null);
    try {
      const r = await ok(api.POST('/api/v1/complaints/{id}/reveal', { params: { path: { id: caseId } }, body: { field, reason } }));
      setValue(r.value);
      setOpen(false);
    } catch (e) {
      const rest = applyServerErrors(form, e, [['reason']]);
      if (rest.length) setBanner(rest.map((x) => x.message).join('；'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space size={4}>
      <span>{masked}</span>
      {revealable && (
        <Button size="small" type="link" onClick={() => setOpen(true)} data-testid={`reveal-${field}`}>
          {t('reveal.show')}
        </Button>
      )}
      <Modal
        open={open}
        title={t('reveal.title', { field: t(`reveal.field.${field}`) })}
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        confirmLoading={busy}
        okText={t('reveal.show')}
        okButtonProps={{ ...({ 'data-testid': 'reveal-ok' } as Record<string, string>) }}
        destroyOnHidden
      >
        <p>{t('reveal.hint')}</p>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="reason" label={t('reveal.reason')} rules={[{ required: true, min: 2, message: t('reveal.reasonNeeded') }]}>
            <Input.TextArea autoFocus rows={3} maxLength={500} data-testid="reveal-reason" />
          </Form.Item>
        </Form>
        {banner && (
          <p style={{ color: '#cf1322' }} data-testid="reveal-error">
            {banner}
          </p>
        )}
      </Modal>
    </Space>
  );
}
