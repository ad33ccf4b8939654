/**
 * The queue's bulk bar: with cases selected, one action for all of them (分派/改派 to a handler,
 * a note, 催办 for a manager, 判定不成立 for spam), then a summary of what was done and what was refused, with the
 * server's reason per case.
 */
import { Alert, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ListRow } from '../../api/client';
import { useLookups } from '../../app/session';
import { pick } from '../../i18n';
import { handlerOptions, departmentFirst } from '../case/pickers';
import { applyToEach, type BulkKind, type BulkOutcome } from './bulk';

export function BulkActions({ rows, onDone, mayUrge = false }: { rows: ListRow[]; onDone: () => void; mayUrge?: boolean }) {
  const { t } = useTranslation();
  const { policy, staff, deptName } = useLookups();
  const [kind, setKind] = useState<BulkKind | null>(null);
  const [busy, setBusy] = useState(0);
  const [results, setResults] = useState<BulkOutcome[] | null>(null);
  const [form] = Form.useForm();
  const department = Form.useWatch('departmentCode', form) as string | undefined;
  const handlers = useMemo(() => departmentFirst(handlerOptions(staff, { deptName, loadText: (n) => t('picker.load', { count: n }) }), department), [staff, deptName, department, t]);

  const run = async () => {
    const v = (await form.validateFields()) as Record<string, unknown>;
    const body: Record<string, unknown> =
      kind === 'route'
        ? { departmentCode: v.departmentCode, primaryHandlerId: v.primaryHandlerId }
        : kind === 'note'
          ? { text: v.text, internal: true }
          : kind === 'urge'
            ? { comment: (v.comment as string | undefined)?.trim() || undefined }
            : { valid: false, reason: v.reason, explanation: v.explanation || undefined };
    setBusy(1);
    try {
      setResults(await applyToEach(rows, kind!, body, (n) => setBusy(n + 1)));
    } finally {
      setBusy(0);
      setKind(null);
      form.resetFields();
      onDone();
    }
  };

  const done = results?.filter((r) => r.ok).length ?? 0;
  const refused = results?.filter((r) => !r.ok).length ?? 0;
  return (
    <>
      <Space wrap data-testid="bulk-bar">
        <Typography.Text>{t('bulk.selected', { count: rows.length })}</Typography.Text>
        <Button disabled={!rows.length} onClick={() => setKind('route')} data-testid="bulk-route">
          {t('bulk.route')}
        </Button>
        <Button disabled={!rows.length} onClick={() => setKind('note')} data-testid="bulk-note">
          {t('bulk.note')}
        </Button>
        {mayUrge && (
          <Button disabled={!rows.length} onClick={() => setKind('urge')} data-testid="bulk-urge">
            {t('bulk.urge')}
          </Button>
        )}
        <Button disabled={!rows.length} danger onClick={() => setKind('invalid')} data-testid="bulk-invalid">
          {t('bulk.invalid')}
        </Button>
      </Space>
      <Modal
        open={!!kind}
        title={kind ? t(`bulk.title.${kind}`, { count: rows.length }) : ''}
        okText={busy ? t('bulk.progress', { done: Math.min(busy, rows.length), total: rows.length }) : t('bulk.apply', { count: rows.length })}
        okButtonProps={{ loading: busy > 0, 'data-testid': 'bulk-apply' } as never}
        onOk={() => void run()}
        onCancel={() => (busy ? undefined : (setKind(null), form.resetFields()))}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('bulk.oneByOne')}</Typography.Paragraph>
        <Form form={form} layout="vertical" name="bulk" preserve={false}>
          {kind === 'route' && (
            <>
              <Form.Item name="departmentCode" label={t('field.department')} rules={[{ required: true, message: t('bulk.required') }]}>
                <Select showSearch optionFilterProp="label" options={(policy?.departments ?? []).filter((d) => d.active !== false).map((d) => ({ value: d.code, label: pick(d.name) }))} />
              </Form.Item>
              <Form.Item name="primaryHandlerId" label={t('field.handler')} rules={[{ required: true, message: t('bulk.required') }]}>
                <Select showSearch optionFilterProp="label" options={handlers.map((o) => ({ value: o.value, label: o.label }))} />
              </Form.Item>
            </>
          )}
          {kind === 'note' && (
            <Form.Item name="text" label={t('bulk.noteText')} rules={[{ required: true, whitespace: true, message: t('bulk.required') }]}>
              <Input.TextArea rows={3} maxLength={8000} />
            </Form.Item>
          )}
          {kind === 'urge' && (
            <Form.Item name="comment" label={t('bulk.urgeComment')}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          )}
          {kind === 'invalid' && (
            <>
              <Form.Item name="reason" label={t('bulk.reason')} rules={[{ required: true, message: t('bulk.required') }]}>
                <Select options={(policy?.validity.invalidReasons ?? []).map((r) => ({ value: r.code, label: pick(r.name) }))} />
              </Form.Item>
              <Form.Item name="explanation" label={t('bulk.explanation')}>
                <Input.TextArea rows={2} maxLength={4000} />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
      <Modal open={!!results} title={t('bulk.summary')} onOk={() => setResults(null)} onCancel={() => setResults(null)} cancelButtonProps={{ style: { display: 'none' } }} width={640}>
        <Alert type={refused ? 'warning' : 'success'} showIcon message={t('bulk.counts', { done, refused })} style={{ marginBottom: 8 }} data-testid="bulk-counts" />
        <Table<BulkOutcome>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={results ?? []}
          data-testid="bulk-results"
          columns={[
            { title: t('field.number'), dataIndex: 'number', width: 150 },
            { title: t('bulk.result'), dataIndex: 'ok', width: 90, render: (ok: boolean) => (ok ? <Tag color="green">{t('bulk.done')}</Tag> : <Tag color="red">{t('bulk.refused')}</Tag>) },
            { title: t('bulk.why'), dataIndex: 'reason', render: (v?: string) => v ?? '—' },
          ]}
        />
      </Modal>
    </>
  );
}
