/** Administration: users, departments and roles; the active policy, readable, and its upload; the policy editor and its version history; the holiday calendar; legal holds and the purge preview; the ledger import. */
import { Tabs } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { UsersTab } from './UsersTab';
import { PolicyTab } from './PolicyTab';
import { PolicyEditor } from './PolicyEditor';
import { CalendarTab } from './CalendarTab';
import { DepartmentsTab, RolesTab } from './OrgTabs';
import { RecordsTab } from './RecordsTab';
import { ImportTab } from './ImportTab';
import { useConfirmLeave } from './useUnpublishedGuard';

export function AdminPage() {
  const { t } = useTranslation();
  const { has } = useSession();
  const [tab, setTab] = useState('users');
  // The editor's unpublished changes: its tab is destroyed when hidden, so leaving it asks first.
  const draftChanges = useRef(0);
  const confirmLeave = useConfirmLeave();
  const countChanges = useCallback((n: number) => {
    draftChanges.current = n;
  }, []);
  const go = (next: string) => (tab === 'policyEditor' && next !== tab ? confirmLeave(draftChanges.current, () => setTab(next)) : setTab(next));
  return (
    <Tabs
      type="card"
      destroyOnHidden
      activeKey={tab}
      onChange={go}
      items={[
        { key: 'users', label: t('admin.users'), children: <UsersTab /> },
        { key: 'departments', label: t('admin.departments'), children: <DepartmentsTab /> },
        { key: 'roles', label: t('admin.roles'), children: <RolesTab /> },
        { key: 'policy', label: t('admin.policy'), children: <PolicyTab onEdit={() => setTab('policyEditor')} /> },
        // Publishing is for administrators; an auditor reads the policy and its upload check only.
        ...(has('admin') ? [{ key: 'policyEditor', label: t('policyEditor.tab'), children: <PolicyEditor onOpenCalendar={() => go('calendar')} onChanges={countChanges} /> }] : []),
        { key: 'calendar', label: t('admin.calendar'), children: <CalendarTab /> },
        { key: 'records', label: t('admin.records'), children: <RecordsTab /> },
        { key: 'import', label: t('admin.import'), children: <ImportTab /> },
      ]}
    />
  );
}
