import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { catalogueReady } from './i18n';
import './app/app.css';
import { App } from './app/App';
import { keyboardScrollableTables } from './app/scroll-regions';
import { LOGIN, preloadPage } from './app/pages';
import { hinted } from './app/session';
import { installPopGuard } from './app/pop-guard';

keyboardScrollableTables();
// Before the router adds its own listener (app/pop-guard.ts).
installPopGuard();
// The chunk the first screen needs travels beside /me (and the lookups), not after it: the opened
// page's when this browser was signed in last time, else the sign-in page's.
if (hinted()) preloadPage(location.pathname);
else void LOGIN.preload().catch(() => undefined);
document.documentElement.lang = localStorage.getItem('kesu.lang') ?? 'zh-CN';

// zh-TW or en readers wait for their catalogue (a small chunk, loading beside the page's) so no
// Chinese words flash before theirs; zh-CN readers render at once.
void catalogueReady.then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
