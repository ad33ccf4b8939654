/** Users: the list, and a form to add one (admin). */
import { Alert, App, Button, Card, Form, Input, Modal, Select, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, type User } from '../../api/client';
import { useLookups, useSession } from '../../app/session';
import { applyServerErrors, clean } from '../../shared/forms';
import { pick } from '../../i18n';
import { joinList } from '../../shared/format';

export const ROLES = ['agent', 'specialist', 'handler', 'approver', 'followup', 'admin', 'auditor'];
const FIELDS = [['username'], ['name'], ['password'], ['roles'], ['departmentCode'], ['managerOf'], ['approvalLevels'], ['locale']];

export function UsersTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { has } = useSession();
  const { policy, deptName, levelName, reload } = useLookups();
  const [users, setUsers] = useState<User[]>([]);
  const [open, setOpen] = useState(false);
  const [banner, setBanner] = useState<string[]>([]);
  const [form] = Form.useForm();
  const load = useCallback(async () => setUsers(await ok(api.GET('/api/v1/users'))), []);
  useEffect(() => {
    void load();
  }, [load]);
  const create = async () => {
    setBanner([]);
    try {
      await form.validateFields();
    } catch {
      return;
    }
    try {
      await ok(api.POST('/api/v1/users', { body: clean(form.getFieldsValue()) }));
      setOpen(false);
      form.resetFields();
      void message.success(t('admin.userCreated'));
      await Promise.all([load(), reload()]);
    } catch (e) {
      setBanner(applyServerErrors(form, e, FIELDS).map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)));
    }
  };
  const depts = (policy?.departments ?? []).map((d) => ({ value: d.code, label: pick(d.name) }));
  return (
    <Card extra={has('admin') && <Button type="primary" onClick={() => setOpen(true)} data-testid="new-user">{t('admin.newUser')}</Button>} styles={{ body: { padding: 8 } }}>
      <Table<User>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={users}
        data-testid="users-table"
        columns={[
          { title: t('auth.username'), dataIndex: 'username', width: 120 },
          { title: t('admin.name'), dataIndex: 'name', width: 100 },
          { title: t('admin.roles'), dataIndex: 'roles', render: (r: string[]) => r.map((x) => <Tag key={x}>{t(`role.${x}`)}</Tag>) },
          { title: t('field.department'), dataIndex: 'departmentCode', width: 120, render: (v: string | null) => deptName(v) },
          { title: t('admin.managerOf'), dataIndex: 'managerOf', width: 120, render: (v: string[]) => joinList(v.map(deptName)) || '—' },
          { title: t('admin.approvalLevels'), dataIndex: 'approvalLevels', width: 140, render: (v: string[]) => joinList(v.map(levelName)) || '—' },
          { title: t('admin.active'), dataIndex: 'active', width: 60, render: (v: boolean) => (v ? t('common.yes') : t('common.no')) },
        ]}
      />
      <Modal open={open} title={t('admin.newUser')} onCancel={() => setOpen(false)} onOk={() => void create()} okText={t('common.save')} destroyOnHidden okButtonProps={{ 'data-testid': 'new-user-save' } as Record<string, string>}>
        <Form form={form} layout="vertical" name="newuser" initialValues={{ roles: ['agent'], locale: 'zh-CN', managerOf: [], approvalLevels: [] }}>
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('form.required') }]}>
            <Input autoFocus />
          </Form.Item>
          <Form.Item name="name" label={t('admin.name')} rules={[{ required: true, message: t('form.required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('form.required') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="roles" label={t('admin.roles')} rules={[{ required: true, message: t('form.required') }]}>
            <Select mode="multiple" options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
          </Form.Item>
          <Form.Item name="departmentCode" label={t('field.department')}>
            <Select allowClear options={depts} />
          </Form.Item>
          <Form.Item name="managerOf" label={t('admin.managerOf')}>
            <Select mode="multiple" allowClear options={depts} />
          </Form.Item>
          <Form.Item name="approvalLevels" label={t('admin.approvalLevels')}>
            <Select mode="multiple" allowClear options={(policy?.approval.levels ?? []).map((l) => ({ value: l.code, label: pick(l.name) }))} />
          </Form.Item>
          <Form.Item name="locale" label={t('app.language')}>
            <Select options={['zh-CN', 'zh-TW', 'en'].map((l) => ({ value: l, label: t(`lang.${l}`) }))} />
          </Form.Item>
          {banner.length > 0 && <Alert type="error" showIcon message={t('form.notSaved')} description={banner.join('\n')} data-testid="form-banner" />}
        </Form>
      </Modal>
    </Card>
  );
}
