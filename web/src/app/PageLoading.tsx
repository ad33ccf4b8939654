/**
 * While a page's chunk loads (pages.tsx): a short line in the reader's language inside the shell,
 * so the header and the menu stay usable. A chunk that cannot be loaded (the server was updated
 * while this tab stayed open, and the old chunk is gone; or the network dropped) says so and
 * offers a reload instead of an empty page.
 */
import { Component, Suspense, type ReactNode } from 'react';
import { Alert, Button, Spin } from 'antd';
import { useTranslation } from 'react-i18next';

/** A spinner and "loading" in the reader's language. */
export function LoadingLine() {
  const { t } = useTranslation();
  return (
    <div role="status" data-testid="page-loading" style={{ display: 'flex', alignItems: 'center', gap: 8, padding: 24 }}>
      <Spin />
      <span>{t('common.loadingPage')}</span>
    </div>
  );
}

function LoadFailed() {
  const { t } = useTranslation();
  // An Alert, not a Result: Result's illustrations would weigh on every first load.
  return <Alert type="warning" showIcon role="alert" message={t('common.loadFailed')} action={<Button onClick={() => location.reload()}>{t('common.reload')}</Button>} style={{ margin: 24 }} />;
}

class ChunkBoundary extends Component<{ children: ReactNode; path: string }, { failed: boolean; path: string }> {
  override state = { failed: false, path: this.props.path };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  // Another page chosen in the menu tries again.
  static getDerivedStateFromProps(props: { path: string }, state: { failed: boolean; path: string }) {
    return props.path === state.path ? null : { failed: false, path: props.path };
  }
  override render() {
    return this.state.failed ? <LoadFailed /> : this.props.children;
  }
}

/** The current page, or the loading line until its chunk has arrived. */
export function PageFrame({ path, children }: { path: string; children: ReactNode }) {
  return (
    <ChunkBoundary path={path}>
      <Suspense fallback={<LoadingLine />}>{children}</Suspense>
    </ChunkBoundary>
  );
}
