/**
 * Departments (from the policy, with the people in each) and what each role does. An
 * administrator creates, renames, sets the head of, deactivates and deletes departments here:
 * each save is a new version of the active policy (services/departments.ts).
 */
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, type Policy } from '../../api/client';
import { useLookups, useSession } from '../../app/session';
import { pick } from '../../i18n';
import { applyServerErrors, clean } from '../../shared/forms';
import { ROLES } from './UsersTab';
import { joinList } from '../../shared/format';

type Dept = Policy['departments'][number];
const DEPT_FIELDS = [['code'], ['name', 'zh-CN'], ['name', 'zh-TW'], ['name', 'en'], ['head']];

export function DepartmentsTab() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { has } = useSession();
  const { policy, staff, reload } = useLookups();
  const isAdmin = has('admin');
  /** The department being edited, 'new' for the create dialog, null when closed. */
  const [editing, setEditing] = useState<Dept | 'new' | null>(null);
  const [banner, setBanner] = useState<string[]>([]);
  const [form] = Form.useForm();
  const heads = staff.filter((u) => u.active).map((u) => ({ value: u.username, label: `${u.name} (${u.username})` }));
  const headName = (username?: string) => {
    if (!username) return '—';
    return staff.find((u) => u.username === username)?.name ?? username;
  };
  const saved = async (policyKey: string) => {
    setEditing(null);
    void message.success(t('dept.saved', { version: policyKey }));
    await reload();
  };
  const open = (d: Dept | 'new') => {
    setBanner([]);
    form.resetFields();
    if (d !== 'new') form.setFieldsValue({ name: { 'zh-CN': d.name['zh-CN'], 'zh-TW': d.name['zh-TW'], en: d.name.en }, head: d.head });
    setEditing(d);
  };
  const save = async () => {
    if (!editing) return;
    setBanner([]);
    try {
      await form.validateFields();
    } catch {
      return;
    }
    const v = clean(form.getFieldsValue()) as { code?: string; name: Record<string, string>; head?: string };
    try {
      if (editing === 'new') {
        const r = await ok(api.POST('/api/v1/departments', { body: v as never }));
        await saved(r.policyKey);
      } else {
        const r = await ok(api.PATCH('/api/v1/departments/{code}', { params: { path: { code: editing.code } }, body: { name: v.name as never, head: v.head ?? null } }));
        await saved(r.policyKey);
      }
    } catch (e) {
      setBanner(applyServerErrors(form, e, DEPT_FIELDS).map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)));
    }
  };
  const setActive = (d: Dept, active: boolean) => {
    void modal.confirm({
      title: active ? t('dept.reactivate') : t('dept.deactivate'),
      content: active ? t('dept.reactivateConfirm', { name: pick(d.name) }) : t('dept.deactivateConfirm', { name: pick(d.name) }),
      okText: active ? t('dept.reactivate') : t('dept.deactivate'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: !active, 'data-testid': 'dept-active-confirm' },
      onOk: async () => {
        try {
          const r = await ok(api.PATCH('/api/v1/departments/{code}', { params: { path: { code: d.code } }, body: { active } }));
          await saved(r.policyKey);
        } catch (e) {
          void message.error((e as Error).message);
        }
      },
    });
  };
  const remove = (d: Dept) => {
    void modal.confirm({
      title: t('dept.delete'),
      content: t('dept.deleteConfirm', { name: pick(d.name) }),
      okText: t('dept.delete'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: true, 'data-testid': 'dept-delete-confirm' },
      onOk: async () => {
        try {
          const r = await ok(api.DELETE('/api/v1/departments/{code}', { params: { path: { code: d.code } } }));
          await saved(r.policyKey);
        } catch (e) {
          void message.error((e as Error).message);
        }
      },
    });
  };
  return (
    <Card
      extra={
        isAdmin && (
          <Button type="primary" onClick={() => open('new')} data-testid="new-department">
            {t('dept.new')}
          </Button>
        )
      }
      styles={{ body: { padding: 8 } }}
    >
      <Alert type="info" showIcon style={{ marginBottom: 8 }} message={t('dept.policyNote', { version: policy ? `${policy.id}@${policy.version}` : '—' })} />
      <Table<Dept>
        size="small"
        rowKey="code"
        pagination={false}
        scroll={{ x: 900 }}
        dataSource={policy?.departments ?? []}
        data-testid="departments-table"
        onRow={(d) => ({ 'data-testid': `dept-row-${d.code}`, 'data-active': String(d.active !== false), style: d.active === false ? { opacity: 0.55 } : undefined }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('admin.code'), dataIndex: 'code', width: 140 },
          {
            title: t('admin.deptName'),
            dataIndex: 'name',
            width: 160,
            render: (n, d) => (
              <>
                {pick(n)} {d.active === false && <Tag data-testid="dept-inactive">{t('dept.inactive')}</Tag>}
              </>
            ),
          },
          { title: t('dept.head'), dataIndex: 'head', width: 110, render: (h?: string) => headName(h) },
          { title: t('admin.members'), key: 'members', render: (_: unknown, d: Dept) => staff.filter((u) => u.departmentCode === d.code).map((u) => <Tag key={u.id}>{u.name}</Tag>) },
          { title: t('admin.managers'), key: 'managers', width: 120, render: (_: unknown, d: Dept) => joinList(staff.filter((u) => u.managerOf.includes(d.code)).map((u) => u.name)) || '—' },
          { title: t('admin.routedCategories'), key: 'cats', width: 160, render: (_: unknown, d: Dept) => joinList((policy?.categories ?? []).filter((c) => c.department === d.code).map((c) => pick(c.name))) || '—' },
          ...(isAdmin
            ? [
                {
                  title: t('account.actions'),
                  key: 'actions',
                  width: 240,
                  render: (_: unknown, d: Dept) => (
                    <Space size={4} wrap>
                      <Button size="small" type="link" onClick={() => open(d)} data-testid={`dept-edit-${d.code}`}>
                        {t('account.edit')}
                      </Button>
                      {d.active === false ? (
                        <Button size="small" type="link" onClick={() => setActive(d, true)} data-testid={`dept-reactivate-${d.code}`}>
                          {t('dept.reactivate')}
                        </Button>
                      ) : (
                        <Button size="small" type="link" danger onClick={() => setActive(d, false)} data-testid={`dept-deactivate-${d.code}`}>
                          {t('dept.deactivate')}
                        </Button>
                      )}
                      <Button size="small" type="link" danger onClick={() => remove(d)} data-testid={`dept-delete-${d.code}`}>
                        {t('dept.delete')}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={!!editing}
        title={editing === 'new' ? t('dept.new') : t('dept.editTitle', { name: editing ? pick(editing.name) : '' })}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        okButtonProps={{ 'data-testid': 'dept-save' } as Record<string, string>}
        forceRender
      >
        <Form form={form} layout="vertical" name="department">
          {editing === 'new' && (
            <Form.Item name="code" label={t('admin.code')} extra={t('dept.codeHint')} rules={[{ required: true, message: t('form.required') }]}>
              <Input autoComplete="off" />
            </Form.Item>
          )}
          <Form.Item name={['name', 'zh-CN']} label={t('dept.nameZhCN')} rules={[{ required: true, message: t('form.required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name={['name', 'zh-TW']} label={t('dept.nameZhTW')}>
            <Input />
          </Form.Item>
          <Form.Item name={['name', 'en']} label={t('dept.nameEn')}>
            <Input />
          </Form.Item>
          <Form.Item name="head" label={t('dept.head')}>
            <Select allowClear showSearch optionFilterProp="label" options={heads} data-testid="dept-head" />
          </Form.Item>
          {banner.length > 0 && <Alert type="error" showIcon message={t('form.notSaved')} description={banner.join('\n')} data-testid="form-banner" />}
        </Form>
      </Modal>
    </Card>
  );
}

export function RolesTab() {
  const { t } = useTranslation();
  const { staff } = useLookups();
  return (
    <Card styles={{ body: { padding: 8 } }}>
      <Table
        size="small"
        rowKey="role"
        pagination={false}
        dataSource={ROLES.map((role) => ({ role }))}
        columns={[
          { title: t('admin.role'), dataIndex: 'role', width: 140, render: (r: string) => <b>{t(`role.${r}`)}</b> },
          { title: t('admin.roleDoes'), dataIndex: 'role', key: 'does', render: (r: string) => t(`roleDoes.${r}`) },
          { title: t('admin.members'), dataIndex: 'role', key: 'members', width: 260, render: (r: string) => joinList(staff.filter((u) => u.roles.includes(r)).map((u) => u.name)) },
        ]}
      />
    </Card>
  );
}
