/** Administration: users, departments and roles; the active policy, readable, and its upload; the holiday calendar; legal holds and the purge preview; the ledger import. */
import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { UsersTab } from './UsersTab';
import { PolicyTab } from './PolicyTab';
import { CalendarTab } from './CalendarTab';
import { DepartmentsTab, RolesTab } from './OrgTabs';
import { RecordsTab } from './RecordsTab';
import { ImportTab } from './ImportTab';

export function AdminPage() {
  const { t } = useTranslation();
  return (
    <Tabs
      type="card"
      destroyOnHidden
      items={[
        { key: 'users', label: t('admin.users'), children: <UsersTab /> },
        { key: 'departments', label: t('admin.departments'), children: <DepartmentsTab /> },
        { key: 'roles', label: t('admin.roles'), children: <RolesTab /> },
        { key: 'policy', label: t('admin.policy'), children: <PolicyTab /> },
        { key: 'calendar', label: t('admin.calendar'), children: <CalendarTab /> },
        { key: 'records', label: t('admin.records'), children: <RecordsTab /> },
        { key: 'import', label: t('admin.import'), children: <ImportTab /> },
      ]}
    />
  );
}
