/**
 * The frame around every screen: the menu for the user's roles, language, live status, the user
 * menu on the name (change password, sign out everywhere, keyboard shortcuts), sign-out, and the
 * keyboard shortcuts (./shortcuts.ts) on every screen.
 */
import { App, Badge, Button, Dropdown, Grid, Layout, Menu, Modal, Select, Tooltip, Typography } from 'antd';
import {
  AlertOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BarChartOutlined,
  BookOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  DisconnectOutlined,
  DownOutlined,
  FileExcelOutlined,
  FolderOpenOutlined,
  FormOutlined,
  HomeOutlined,
  KeyOutlined,
  LaptopOutlined,
  LogoutOutlined,
  PhoneOutlined,
  SettingOutlined,
  TrophyOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { Suspense, lazy, useEffect, useState, type ReactNode } from 'react';
import { useSession } from './session';
import { useLive } from './live';
import { QUEUES, firstQueuePath } from '../modules/queues/queues';
import { LOCALES, setLanguage } from '../i18n';
import type { Locale } from '../api/client';
import { joinList } from '../shared/format';
import { useShortcuts } from './useShortcuts';
import { ShortcutsHelp } from './ShortcutsHelp';
import { focusSearch } from './focus-search';
import { LoadingLine, PageFrame } from './PageLoading';

// Opened from the account menu only: their forms, date pickers and table need not travel with every page.
const ChangePasswordForm = lazy(() => import('../modules/auth/ChangePasswordForm').then((m) => ({ default: m.ChangePasswordForm })));
const MyAbsences = lazy(() => import('../modules/absences/MyAbsences').then((m) => ({ default: m.MyAbsences })));

export function Shell() {
  const { t, i18n } = useTranslation();
  const { me, signOut, signOutEverywhere, has } = useSession();
  const { message, modal, notification } = App.useApp();
  const [passwordOpen, setPasswordOpen] = useState(false);
  const [absencesOpen, setAbsencesOpen] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const { connected, onUrged } = useLive();
  const nav = useNavigate();
  // 催办 (issue 14): a manager urged a case I handle — told at once, wherever I am, with the way to it.
  useEffect(
    () =>
      onUrged((u) =>
        notification.warning({
          key: `urged-${u.id}`,
          title: t('urge.notice', { number: u.number }),
          description: t('urge.noticeHint'),
          duration: 0,
          actions: (
            <Button type="primary" size="small" data-testid="urge-open" onClick={() => (notification.destroy(`urged-${u.id}`), void nav(`/cases/${u.number}`))}>
              {t('urge.open')}
            </Button>
          ),
          props: { 'data-testid': 'urge-notice' } as never,
        }),
      ),
    [onUrged, notification, nav, t],
  );
  const loc = useLocation();
  // On a phone the menu is a rail of icons and the header keeps only what fits on one line.
  const screens = Grid.useBreakpoint();
  const wide = screens.md ?? true;
  // The rail follows the screen: collapsed below lg, open from lg, also after a viewport change
  // (an uncontrolled Sider could stay open on a phone after a resize or rotation).
  const large = screens.lg ?? true;
  const [collapsed, setCollapsed] = useState(!large);
  useEffect(() => setCollapsed(!large), [large]);
  useShortcuts(me, (id) => {
    if (id === 'help') setShortcutsOpen(true);
    else if (id === 'search') focusSearch(() => void nav('/queues/all'));
    else if (id === 'queue') void nav(firstQueuePath(me));
    else void nav({ workbench: '/workbench', duties: '/duties', intake: '/intake' }[id]);
  });
  if (!me) return null;
  const items: { key: string; icon?: ReactNode; label: string; children?: { key: string; label: string }[] }[] = [];
  items.push({ key: '/workbench', icon: <HomeOutlined />, label: t('nav.workbench') });
  if (has('agent') || has('specialist')) items.push({ key: '/intake', icon: <FormOutlined />, label: t('nav.intake') });
  items.push({
    key: 'queues',
    icon: <UnorderedListOutlined />,
    label: t('nav.queues'),
    children: QUEUES.filter((q) => q.for(me) && !q.hidden).map((q) => ({ key: `/queues/${q.key}`, label: t(`queue.${q.key}`) })),
  });
  items.push({ key: '/duties', icon: <CheckSquareOutlined />, label: t('nav.duties') }); // 我的待办: everyone may own duties
  if (has('followup') || has('specialist')) items.push({ key: '/followup', icon: <PhoneOutlined />, label: t('nav.followup') });
  if (has('specialist') || has('approver') || has('admin') || has('auditor')) items.push({ key: '/dashboard', icon: <BarChartOutlined />, label: t('nav.dashboard') });
  if (has('specialist') || has('approver') || has('admin') || has('auditor')) items.push({ key: '/reports', icon: <FileExcelOutlined />, label: t('nav.reports') });
  if (has('specialist') || has('admin') || has('auditor')) items.push({ key: '/archive', icon: <FolderOpenOutlined />, label: t('nav.archive') }); // the archive's roles (server: ARCHIVE_ROLES)
  if (has('specialist') || has('approver') || has('admin') || has('auditor')) items.push({ key: '/systemic', icon: <AlertOutlined />, label: t('nav.systemic') }); // issue 13 §2: 系统性问题
  items.push({ key: '/accountability', icon: <TrophyOutlined />, label: t('nav.accountability') }); // everyone may have entries of their own
  items.push({ key: '/knowledge', icon: <BookOutlined />, label: t('nav.knowledge') }); // everyone reads the experience library
  items.push({ key: '/process', icon: <AppstoreOutlined />, label: t('nav.process') });
  if (has('admin') || has('auditor')) items.push({ key: '/admin', icon: <SettingOutlined />, label: t('nav.admin') });
  const selected = loc.pathname.startsWith('/cases/') ? [] : [loc.pathname];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={196} theme="light" breakpoint="lg" collapsed={collapsed} collapsedWidth={wide ? 56 : 44} onCollapse={setCollapsed} style={{ borderRight: '1px solid #f0f0f0' }}>
        <div style={{ padding: collapsed ? '14px 0' : '14px 16px', textAlign: collapsed ? 'center' : undefined, fontWeight: 600, fontSize: 16, whiteSpace: 'nowrap', overflow: 'hidden' }} title={t('app.name')}>
          <AuditOutlined style={{ color: '#1677ff' }} />
          {!collapsed && ` ${t('app.name')}`}
        </div>
        <Menu mode="inline" items={items} selectedKeys={selected} defaultOpenKeys={['queues']} onClick={(e) => nav(e.key)} style={{ borderInlineEnd: 0 }} />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: wide ? '0 16px' : '0 8px',
            height: 48,
            lineHeight: '48px',
            borderBottom: '1px solid #f0f0f0',
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            gap: wide ? 16 : 8,
            whiteSpace: 'nowrap',
            minWidth: 0,
          }}
        >
          <Tooltip title={connected ? t('live.on') : t('live.off')}>
            <Badge status={connected ? 'success' : 'default'} text={wide ? <Typography.Text type="secondary">{t('live.label')}</Typography.Text> : undefined} />
          </Tooltip>
          <Select<Locale>
            size="small"
            value={i18n.language as Locale}
            onChange={(l) => setLanguage(l)}
            aria-label={t('app.language')}
            data-testid="language"
            options={LOCALES.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
            style={{ width: wide ? 110 : 96, flex: 'none' }}
          />
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'password', icon: <KeyOutlined />, label: <span data-testid="user-menu-password">{t('account.changePassword')}</span> },
                { key: 'absences', icon: <CalendarOutlined />, label: <span data-testid="user-menu-absences">{t('absence.mine')}</span> },
                { key: 'shortcuts', icon: <LaptopOutlined />, label: <span data-testid="user-menu-shortcuts">{t('shortcuts.menu')}</span> },
                { key: 'everywhere', icon: <DisconnectOutlined />, label: <span data-testid="user-menu-everywhere">{t('account.signOutEverywhere')}</span> },
              ],
              onClick: ({ key }) => {
                if (key === 'password') setPasswordOpen(true);
                else if (key === 'absences') setAbsencesOpen(true);
                else if (key === 'shortcuts') setShortcutsOpen(true);
                else
                  void modal.confirm({
                    title: t('account.signOutEverywhere'),
                    content: t('account.signOutEverywhereConfirm'),
                    okText: t('account.signOutEverywhere'),
                    cancelText: t('common.cancel'),
                    okButtonProps: { danger: true, 'data-testid': 'everywhere-confirm' },
                    onOk: () => signOutEverywhere().then(() => nav('/login')),
                  });
              },
            }}
          >
            <Button type="text" size="small" title={t('account.menu')} data-testid="user-menu" style={{ minWidth: 0, maxWidth: wide ? 380 : 140, display: 'flex', alignItems: 'center', gap: 4 }}>
              <Typography.Text data-testid="whoami" ellipsis style={{ minWidth: 0 }}>
                {me.name}
                {wide && ` · ${joinList(me.roles.map((r) => t(`role.${r}`)))}`}
              </Typography.Text>
              <DownOutlined style={{ fontSize: 10 }} />
            </Button>
          </Dropdown>
          <Button size="small" icon={<LogoutOutlined />} onClick={() => void signOut().then(() => nav('/login'))} aria-label={t('auth.signOut')} style={{ flex: 'none' }}>
            {wide && t('auth.signOut')}
          </Button>
        </Layout.Header>
        <Layout.Content style={{ padding: 12, minWidth: 0 }}>
          <PageFrame path={loc.pathname}>
            <Outlet />
          </PageFrame>
        </Layout.Content>
        <Modal open={passwordOpen} title={t('account.changePassword')} footer={null} onCancel={() => setPasswordOpen(false)} destroyOnHidden>
          <Suspense fallback={<LoadingLine />}>
            <ChangePasswordForm
              onCancel={() => setPasswordOpen(false)}
              onDone={() => {
                setPasswordOpen(false);
                void message.success(t('account.changed'));
              }}
            />
          </Suspense>
        </Modal>
        <Modal open={absencesOpen} title={t('absence.mine')} footer={null} width={760} onCancel={() => setAbsencesOpen(false)} destroyOnHidden>
          <Suspense fallback={<LoadingLine />}>
            <MyAbsences />
          </Suspense>
        </Modal>
        <ShortcutsHelp open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
      </Layout>
    </Layout>
  );
}
