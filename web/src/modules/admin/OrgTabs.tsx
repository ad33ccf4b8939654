/** Departments (from the policy, with the people in each) and what each role does. */
import { Card, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLookups } from '../../app/session';
import { pick } from '../../i18n';
import { ROLES } from './UsersTab';
import { joinList } from '../../shared/format';

export function DepartmentsTab() {
  const { t } = useTranslation();
  const { policy, staff } = useLookups();
  return (
    <Card styles={{ body: { padding: 8 } }}>
      <Table
        size="small"
        rowKey="code"
        pagination={false}
        dataSource={policy?.departments ?? []}
        columns={[
          { title: t('admin.code'), dataIndex: 'code', width: 160 },
          { title: t('admin.deptName'), dataIndex: 'name', width: 200, render: (n) => pick(n) },
          { title: t('admin.members'), key: 'members', render: (_: unknown, d: { code: string }) => staff.filter((u) => u.departmentCode === d.code).map((u) => <Tag key={u.id}>{u.name}</Tag>) },
          { title: t('admin.managers'), key: 'managers', render: (_: unknown, d: { code: string }) => joinList(staff.filter((u) => u.managerOf.includes(d.code)).map((u) => u.name)) || '—' },
          { title: t('admin.routedCategories'), key: 'cats', render: (_: unknown, d: { code: string }) => joinList((policy?.categories ?? []).filter((c) => c.department === d.code).map((c) => pick(c.name))) || '—' },
        ]}
      />
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
