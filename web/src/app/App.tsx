/** Providers and routes. */
import { ConfigProvider, App as AntApp, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import zhTW from 'antd/locale/zh_TW';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/zh-tw';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Suspense } from 'react';
import { LookupsProvider, SessionProvider, useSession } from './session';
import { LiveProvider } from './live';
import { Shell } from './Shell';
import { HOME, LOGIN, PAGES } from './pages';
import type { User } from '../api/client';

const ANTD_LOCALES = { 'zh-CN': zhCN, 'zh-TW': zhTW, en: enUS } as const;
const DAYJS_LOCALES = { 'zh-CN': 'zh-cn', 'zh-TW': 'zh-tw', en: 'en' } as const;

/** Everyone starts the day on the workbench (工作台); the role's own page is one click away. */
function home(_me: User): string {
  return HOME;
}

function Routed() {
  const { me, loading } = useSession();
  if (loading) return <Spin style={{ display: 'block', marginTop: '20vh' }} />;
  if (!me)
    return (
      <Routes>
        <Route
          path="*"
          element={
            <Suspense fallback={<Spin style={{ display: 'block', marginTop: '20vh' }} />}>
              <LOGIN.Component />
            </Suspense>
          }
        />
      </Routes>
    );
  return (
    <LookupsProvider key={me.id}>
      <LiveProvider key={me.id}>
        <Routes>
          <Route path="/login" element={<Navigate to={home(me)} replace />} />
          <Route element={<Shell />}>
            <Route index element={<Navigate to={home(me)} replace />} />
            {PAGES.map(({ path, Component }) => (
              <Route key={path} path={path} element={<Component />} />
            ))}
            <Route path="*" element={<Navigate to={home(me)} replace />} />
          </Route>
        </Routes>
      </LiveProvider>
    </LookupsProvider>
  );
}

/**
 * Colours that meet WCAG AA contrast (4.5:1) for the console's small text (axe-core, see
 * test/browser/accessibility.test.ts): antd's defaults (#1677ff on white 4.1, secondary #8c8c8c
 * 3.4, placeholders #bfbfbf 1.8, success and warning text 2.2 and 1.9) fall short.
 */
const READABLE = {
  colorPrimary: '#0958d9',
  colorTextSecondary: '#595959',
  colorTextDescription: '#595959',
  colorTextPlaceholder: '#707070',
  colorLink: '#0958d9',
  colorTextDisabled: '#707070',
  colorTextQuaternary: '#707070',
  // Darker status colours on antd's own light backgrounds (set explicitly: derived ones would darken too).
  colorSuccess: '#237804',
  colorSuccessBg: '#f6ffed',
  colorSuccessBorder: '#b7eb8f',
  colorInfo: '#0958d9',
  colorInfoBg: '#e6f4ff',
  colorInfoBorder: '#91caff',
  colorWarning: '#874d00',
  colorWarningBg: '#fffbe6',
  colorWarningBorder: '#ffe58f',
  colorError: '#cf1322',
  colorErrorBg: '#fff1f0',
  colorErrorBorder: '#ffa39e',
} as const;

export function App() {
  const { i18n } = useTranslation();
  const lang = (i18n.language in ANTD_LOCALES ? i18n.language : 'zh-CN') as keyof typeof ANTD_LOCALES;
  dayjs.locale(DAYJS_LOCALES[lang]);
  return (
    <ConfigProvider locale={ANTD_LOCALES[lang]} theme={{ token: { borderRadius: 4, fontSize: 13, ...READABLE } }} componentSize="small">
      <AntApp>
        <BrowserRouter>
          <SessionProvider>
            <Routed />
          </SessionProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
