import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { catalogueReady } from './i18n';
import './app/app.css';
import { App } from './app/App';
import { keyboardScrollableTables } from './app/scroll-regions';
import { preloadPage } from './app/pages';

keyboardScrollableTables();
// The opened page's chunk travels beside /me and the lookups, not after them (one round trip less).
preloadPage(location.pathname);
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
