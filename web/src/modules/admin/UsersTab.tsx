/**
 * Users: the list, a form to add one, and per user (admin): edit, deactivate (listing the open
 * cases to reassign), reactivate, reset the password (they must change it at the next sign-in).
 */
import { Alert, App, Button, Card, Form, Input, List, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, type User } from '../../api/client';
import { useLookups, useSession } from '../../app/session';
import { applyServerErrors, clean } from '../../shared/forms';
import { pick } from '../../i18n';
import { joinList } from '../../shared/format';

export const ROLES = ['agent', 'specialist', 'handler', 'approver', 'followup', 'admin', 'auditor'];
const FIELDS = [['username'], ['name'], ['password'], ['roles'], ['departmentCode'], ['managerOf'], ['approvalLevels'], ['locale']];
const EDIT_FIELDS = [['name'], ['email'], ['phone'], ['roles'], ['departmentCode'], ['managerOf'], ['approvalLevels'], ['locale']];

interface OpenCase {
  id: string;
  number: string;
  state: string;
  relation: string;
}

type Option = { value: string; label: string; disabled?: boolean };

/** What an account may do and where — the same fields in the new-user and edit dialogs. */
function AccessFields({ depts, levels }: { depts: Option[]; levels: Option[] }) {
  const { t } = useTranslation();
  return (
    <>
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
        <Select mode="multiple" allowClear options={levels} />
      </Form.Item>
      <Form.Item name="locale" label={t('app.language')}>
        <Select options={['zh-CN', 'zh-TW', 'en'].map((l) => ({ value: l, label: t(`lang.${l}`) }))} />
      </Form.Item>
    </>
  );
}

export function UsersTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { has } = useSession();
  const { policy, deptName, levelName, reload } = useLookups();
  const [users, setUsers] = useState<User[]>([]);
  const [open, setOpen] = useState(false);
  const [banner, setBanner] = useState<string[]>([]);
  const [form] = Form.useForm();
  const { modal } = App.useApp();
  const [editing, setEditing] = useState<User | null>(null);
  const [editForm] = Form.useForm();
  const [editBanner, setEditBanner] = useState<string[]>([]);
  const [resetting, setResetting] = useState<User | null>(null);
  const [resetForm] = Form.useForm();
  const [openCases, setOpenCases] = useState<{ user: User; cases: OpenCase[] } | null>(null);
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
  const startEdit = (u: User) => {
    setEditBanner([]);
    editForm.setFieldsValue({ name: u.name, email: '', phone: '', roles: u.roles, departmentCode: u.departmentCode ?? undefined, managerOf: u.managerOf, approvalLevels: u.approvalLevels, locale: u.locale });
    setEditing(u);
  };
  const saveEdit = async () => {
    if (!editing) return;
    setEditBanner([]);
    try {
      await editForm.validateFields();
    } catch {
      return;
    }
    const v = editForm.getFieldsValue() as Record<string, unknown>;
    // Contacts are not in the list (personal data): a blank field leaves them as they are.
    const body = { ...v, departmentCode: v.departmentCode ?? null, email: v.email || undefined, phone: v.phone || undefined };
    try {
      const r = await ok(api.PATCH('/api/v1/users/{id}', { params: { path: { id: editing.id } }, body: body as never }));
      setEditing(null);
      void message.success(r.sessionsEnded ? t('account.sessionsEnded', { count: r.sessionsEnded }) : t('account.saved'));
      await Promise.all([load(), reload()]);
    } catch (e) {
      setEditBanner(applyServerErrors(editForm, e, EDIT_FIELDS).map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)));
    }
  };
  const deactivate = (u: User) => {
    void modal.confirm({
      title: t('account.deactivate'),
      content: t('account.deactivateConfirm', { name: u.name }),
      okText: t('account.deactivate'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: true, 'data-testid': 'deactivate-confirm' },
      onOk: async () => {
        try {
          const r = await ok(api.POST('/api/v1/users/{id}/deactivate', { params: { path: { id: u.id } } }));
          void message.success(t('account.deactivated', { name: u.name }));
          setOpenCases({ user: u, cases: r.openCases });
          await Promise.all([load(), reload()]);
        } catch (e) {
          void message.error((e as Error).message);
        }
      },
    });
  };
  const reactivate = async (u: User) => {
    try {
      await ok(api.POST('/api/v1/users/{id}/reactivate', { params: { path: { id: u.id } } }));
      void message.success(t('account.reactivated', { name: u.name }));
      await Promise.all([load(), reload()]);
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
  const saveReset = async () => {
    if (!resetting) return;
    try {
      await resetForm.validateFields();
    } catch {
      return;
    }
    try {
      await ok(api.POST('/api/v1/users/{id}/password', { params: { path: { id: resetting.id } }, body: { password: resetForm.getFieldValue('password') as string } }));
      void message.success(t('account.resetDone', { name: resetting.name }));
      setResetting(null);
      resetForm.resetFields();
    } catch (e) {
      const rest = applyServerErrors(resetForm, e, [['password']]);
      if (rest.length) resetForm.setFields([{ name: 'password', errors: rest.map((f) => f.message) }]);
    }
  };
  // A deactivated department stays selectable for nobody new, but a user already in it still shows its name.
  const depts = (policy?.departments ?? []).map((d) => ({ value: d.code, label: pick(d.name), disabled: d.active === false }));
  const levels = (policy?.approval.levels ?? []).map((l) => ({ value: l.code, label: pick(l.name) }));
  return (
    <Card
      extra={
        has('admin') && (
          <Button type="primary" onClick={() => setOpen(true)} data-testid="new-user">
            {t('admin.newUser')}
          </Button>
        )
      }
      styles={{ body: { padding: 8 } }}
    >
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
          {
            title: t('admin.active'),
            dataIndex: 'active',
            width: 80,
            render: (v: boolean) =>
              v ? (
                t('common.yes')
              ) : (
                <Tag color="default" data-testid="user-inactive">
                  {t('account.inactive')}
                </Tag>
              ),
          },
          ...(has('admin')
            ? [
                {
                  title: t('account.actions'),
                  key: 'actions',
                  width: 230,
                  render: (_: unknown, u: User) => (
                    <Space size={4} wrap>
                      <Button size="small" type="link" onClick={() => startEdit(u)} data-testid={`user-edit-${u.username}`}>
                        {t('account.edit')}
                      </Button>
                      <Button
                        size="small"
                        type="link"
                        onClick={() => {
                          resetForm.resetFields();
                          setResetting(u);
                        }}
                        data-testid={`user-reset-${u.username}`}
                      >
                        {t('account.resetPassword')}
                      </Button>
                      {u.active ? (
                        <Button size="small" type="link" danger onClick={() => deactivate(u)} data-testid={`user-deactivate-${u.username}`}>
                          {t('account.deactivate')}
                        </Button>
                      ) : (
                        <Button size="small" type="link" onClick={() => void reactivate(u)} data-testid={`user-reactivate-${u.username}`}>
                          {t('account.reactivate')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
        onRow={(u) => ({ 'data-testid': `user-row-${u.username}`, 'data-active': String(u.active), style: u.active ? undefined : { opacity: 0.55 } }) as React.HTMLAttributes<HTMLElement>}
      />
      <Modal
        open={!!editing}
        title={t('account.editTitle', { name: editing?.name ?? '' })}
        onCancel={() => setEditing(null)}
        onOk={() => void saveEdit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        okButtonProps={{ 'data-testid': 'edit-user-save' } as Record<string, string>}
        forceRender
      >
        <Form form={editForm} layout="vertical" name="edituser">
          <Form.Item name="name" label={t('admin.name')} rules={[{ required: true, message: t('form.required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="email" label={t('account.email')} extra={t('account.contactsHint')}>
            <Input type="email" autoComplete="off" />
          </Form.Item>
          <Form.Item name="phone" label={t('account.phone')} extra={t('account.contactsHint')}>
            <Input autoComplete="off" />
          </Form.Item>
          <AccessFields depts={depts} levels={levels} />
          {editBanner.length > 0 && <Alert type="error" showIcon message={t('form.notSaved')} description={editBanner.join('\n')} data-testid="form-banner" />}
        </Form>
      </Modal>
      <Modal
        open={!!resetting}
        title={t('account.resetTitle', { name: resetting?.name ?? '' })}
        onCancel={() => setResetting(null)}
        onOk={() => void saveReset()}
        okText={t('account.resetPassword')}
        cancelText={t('common.cancel')}
        okButtonProps={{ 'data-testid': 'reset-password-save' } as Record<string, string>}
        forceRender
      >
        <Typography.Paragraph type="secondary">{t('account.resetHint')}</Typography.Paragraph>
        <Form form={resetForm} layout="vertical" name="resetpassword">
          <Form.Item name="password" label={t('account.temporaryPassword')} extra={t('account.rule')} rules={[{ required: true, message: t('form.required') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={!!openCases} title={t('account.deactivated', { name: openCases?.user.name ?? '' })} onCancel={() => setOpenCases(null)} footer={null} data-testid="open-cases">
        <Typography.Title level={5}>{t('account.openCases')}</Typography.Title>
        <List
          size="small"
          data-testid="open-cases-list"
          dataSource={openCases?.cases ?? []}
          locale={{ emptyText: t('account.noOpenCases') }}
          renderItem={(c) => (
            <List.Item>
              <Link to={`/cases/${c.number}`}>{c.number}</Link>
              <span>
                <Tag>{t(`state.${c.state}`, { defaultValue: c.state })}</Tag>
                {t(`account.relation.${c.relation}`, { defaultValue: c.relation })}
              </span>
            </List.Item>
          )}
        />
      </Modal>
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
          <AccessFields depts={depts} levels={levels} />
          {banner.length > 0 && <Alert type="error" showIcon message={t('form.notSaved')} description={banner.join('\n')} data-testid="form-banner" />}
        </Form>
      </Modal>
    </Card>
  );
}
